"""End to end on a planted campaign: does the pipeline recover what was planted?

    .venv/bin/python benchmarks/recovery.py [--accounts 2000] [--seeds 1 2 3]

For each seed: ``netmap synth`` -> ``collect auto`` -> ``stance seed`` (the generated 5%
seeds) -> ``stance assign`` -> ``analyze``; then compares with ``truth.json``:
NMI of communities vs planted groups, stance macro-F1 and coverage on the non-seed
accounts, precision@k of ``top bridges`` against planted bridges, and of
``top influencers`` (PageRank, and in-degree) against planted hubs.
Writes benchmarks/results/recovery.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(accounts: int, seed: int, work: Path) -> dict:
    from netmap.analysis import analyze
    from netmap.analysis.results import nmi
    from netmap.analysis.tables import accounts_table, top
    from netmap.pipeline import collect
    from netmap.stance import apply_seeds, assign, evaluate, load_groups, load_seeds
    from netmap.store.sqlite import SQLiteStore
    from netmap.synth import generate

    out = work / f"synth-{seed}"
    generate(out, accounts=accounts, seed=seed)
    truth = json.loads((out / "truth.json").read_text())
    store = SQLiteStore(work / f"s{seed}.db")
    t0 = time.perf_counter()
    rep = collect(store, "auto", [str(out / "blogs"), str(out / "twitter")])
    groups = load_groups(None)
    apply_seeds(store, load_seeds(out / "seeds.csv", groups))
    assign(store, groups)
    analyze(store, seed=seed)
    seconds = time.perf_counter() - t0
    acc = accounts_table(store).set_index("key")
    planted = truth["accounts"]
    common = [k for k in planted if k in acc.index and acc.loc[k, "community"] == acc.loc[k, "community"]]
    score = nmi([planted[k] for k in common], [int(acc.loc[k, "community"]) for k in common])
    stance = evaluate(store, out / "truth.csv")
    bridges, hubs = set(truth["bridges"]), set(truth["hubs"])
    k_b, k_h = min(10, len(bridges)), len(hubs)
    top_b = top(store, "bridges", limit=k_b)["key"].tolist()
    top_pr = top(store, "influencers", limit=k_h)["key"].tolist()
    top_in = top(store, "influencers", limit=k_h, by="indegree")["key"].tolist()
    store.close()
    return {
        "seed": seed, "accounts": accounts, "records": rep.read, "rejected": rep.rejected,
        "pipeline_seconds": round(seconds, 1),
        "community_nmi": round(score, 3),
        "stance_macro_f1": round(stance.get("macro_f1", float("nan")), 3),
        "stance_coverage": round(stance.get("coverage", float("nan")), 3),
        f"bridges_precision_at_{k_b}": round(len(set(top_b) & bridges) / k_b, 3),
        f"hubs_precision_at_{k_h}_pagerank": round(len(set(top_pr) & hubs) / k_h, 3),
        f"hubs_precision_at_{k_h}_indegree": round(len(set(top_in) & hubs) / k_h, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=2000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "recovery.json"))
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="netmap-recovery-") as tmp:
        for seed in args.seeds:
            row = one(args.accounts, seed, Path(tmp))
            print(json.dumps(row))
            rows.append(row)
    keys = [k for k in rows[0] if k not in ("seed", "accounts")]
    mean = {k: round(statistics.mean(r[k] for r in rows), 3) for k in keys}
    print("mean:", json.dumps(mean))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"runs": rows, "mean": mean}, indent=2))


if __name__ == "__main__":
    main()
