"""Stance assignment on planted campaigns: the seed-fraction curve and robustness to
cross-group replies (arguments).

    .venv/bin/python benchmarks/stance_curve.py [--accounts 2000]

For seed fractions 1%, 2%, 5%, 10% (cross-group replies 20%), and for cross-group reply
shares 0%, 20%, 40% (seeds 5%), with lexicon evidence on 30% of accounts and without any:
macro-F1, accuracy and coverage on the non-seed accounts
(``netmap stance evaluate`` against the generated truth.csv). Writes
benchmarks/results/stance.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(work: Path, accounts: int, seed_fraction: float, cross: float, seed: int,
        lexicon: float = 0.3) -> dict:
    from netmap.pipeline import collect
    from netmap.stance import apply_seeds, assign, evaluate, load_groups, load_seeds
    from netmap.store.sqlite import SQLiteStore
    from netmap.synth import generate

    out = work / f"s-{seed_fraction}-{cross}-{seed}-{lexicon}"
    generate(out, accounts=accounts, seed=seed, seed_fraction=seed_fraction,
             cross_reply_share=cross, lexicon_fraction=lexicon)
    store = SQLiteStore(out / "s.db")
    collect(store, "auto", [str(out / "blogs"), str(out / "twitter")])
    groups = load_groups(None)
    apply_seeds(store, load_seeds(out / "seeds.csv", groups))
    assign(store, groups)
    ev = evaluate(store, out / "truth.csv")
    store.close()
    return {"seed_fraction": seed_fraction, "cross_reply_share": cross, "seed": seed,
            "lexicon_fraction": lexicon,
            "macro_f1": round(ev["macro_f1"], 3), "accuracy": round(ev["accuracy"], 3),
            "coverage": round(ev["coverage"], 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "stance.json"))
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="netmap-stance-") as tmp:
        for frac in (0.01, 0.02, 0.05, 0.10):
            rows.append(run(Path(tmp), args.accounts, frac, 0.2, args.seed))
            print(json.dumps(rows[-1]))
        for cross in (0.0, 0.4):  # 0.2 at 5% is in the curve above
            rows.append(run(Path(tmp), args.accounts, 0.05, cross, args.seed))
            print(json.dumps(rows[-1]))
        # Propagation alone: no account writes its group's words.
        for frac in (0.01, 0.02, 0.05, 0.10):
            rows.append(run(Path(tmp), args.accounts, frac, 0.2, args.seed, lexicon=0.0))
            print(json.dumps(rows[-1]))
        for cross in (0.0, 0.4):
            rows.append(run(Path(tmp), args.accounts, 0.05, cross, args.seed, lexicon=0.0))
            print(json.dumps(rows[-1]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
