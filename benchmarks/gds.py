"""``analyze --engine gds`` against the local engine on the same planted campaign.

    .venv/bin/python benchmarks/gds.py [--accounts 100000] [--interactions 5]

Builds the SQLite store of benchmarks/neo4j_push.py (a planted synth graph as posts, authorship
and interactions), runs the local analysis on it, pushes it into a private Neo4j with the Graph
Data Science plugin (tools/neo4j/start, NETMAP_NEO4J_GDS=1) and runs the GDS engine there.
Prints and writes (results/gds.json) the seconds of each, the agreement of the two engines
(NMI of the communities, Spearman of PageRank and in-degree) and both engines' NMI against
the planted camps.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

COLUMNS = ["community", "pagerank", "indegree"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--interactions", type=int, default=5, help="per account")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "gds.json"))
    args = ap.parse_args()

    from neo4j_push import build_store
    from scipy.stats import spearmanr

    from netmap.analysis import analyze
    from netmap.analysis.gds import analyze_gds
    from netmap.analysis.results import nmi
    from netmap.store.neo4j import Neo4jStore
    from netmap.store.transfer import push
    from netmap.synth import generate_graph

    work = Path(tempfile.mkdtemp(prefix="netmap-gds-"))
    store = build_store(work / "bench.db", args.accounts, args.interactions)
    _, truth = generate_graph(args.accounts, seed=3, interactions_per_account=args.interactions)
    counts = store.counts()
    print(f"store: {sum(counts['nodes'].values())} nodes, "
          f"{sum(counts['relationships'].values())} relationships")

    t = time.perf_counter()
    local_result = analyze(store, seed=42, force=True)
    local_s = time.perf_counter() - t
    local = store.nodes("Account", columns=COLUMNS).set_index("key")
    print(f"local engine: {local_s:.1f} s, {local_result.summary().get('communities')} communities")

    env = {**os.environ, "NETMAP_NEO4J_HOME": str(work / "neo4j"), "NETMAP_NEO4J_GDS": "1",
           "NETMAP_NEO4J_HEAP": os.environ.get("NETMAP_NEO4J_HEAP", "4g"),
           "NETMAP_NEO4J_PAGECACHE": os.environ.get("NETMAP_NEO4J_PAGECACHE", "2g")}
    uri = subprocess.run([str(ROOT / "tools" / "neo4j" / "start")], env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        target = Neo4jStore(uri)
        t = time.perf_counter()
        push(store, target)
        push_s = time.perf_counter() - t
        t = time.perf_counter()
        summary = analyze_gds(target, seed=42)
        gds_s = time.perf_counter() - t
        server = target.nodes("Account", columns=COLUMNS).set_index("key")
        target.close()
    finally:
        subprocess.run([str(ROOT / "tools" / "neo4j" / "stop")], env=env, check=False)
    print(f"gds engine: {gds_s:.1f} s ({summary['seconds']}), push first: {push_s:.1f} s")

    both = local.dropna(subset=["community"]).index.intersection(
        server.dropna(subset=["community"]).index)
    planted = [k for k in both if k in truth["accounts"]]
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "accounts": args.accounts, "interactions_per_account": args.interactions,
        "local_seconds": round(local_s, 1), "gds_seconds": round(gds_s, 1),
        "gds_steps": summary["seconds"], "push_seconds": round(push_s, 1),
        "gds_summary": {k: v for k, v in summary.items() if k != "seconds"},
        "accounts_compared": len(both),
        "nmi_local_vs_gds": round(nmi(local.loc[both, "community"].astype(int),
                                      server.loc[both, "community"].astype(int)), 4),
        "spearman_pagerank": round(float(spearmanr(local.loc[both, "pagerank"],
                                                   server.loc[both, "pagerank"]).statistic), 4),
        "spearman_indegree": round(float(spearmanr(local.loc[both, "indegree"],
                                                   server.loc[both, "indegree"]).statistic), 4),
        "nmi_planted_local": round(nmi([truth["accounts"][k] for k in planted],
                                       local.loc[planted, "community"].astype(int)), 4),
        "nmi_planted_gds": round(nmi([truth["accounts"][k] for k in planted],
                                     server.loc[planted, "community"].astype(int)), 4),
    }
    print(json.dumps(result, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    store.close()


if __name__ == "__main__":
    main()
