"""Timing of the analyses on a planted graph (run by hand, not collected by pytest).

    .venv/bin/python tests/analysis/bench_analysis.py --accounts 100000 --shares 1000000
    .venv/bin/python tests/analysis/bench_analysis.py --store /tmp/bench.db   # via SQLite

Accounts fall into ``accounts / 1000`` planted communities (80% of shares stay
inside), each community leaning to one of four stance groups. Without
``--store`` the stages run on DataFrames shaped like the store's output; with
it the graph is first written through Batches and ``analyze()`` runs on the store.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from netmap.analysis import analyze
from netmap.analysis.bridges import bridges, ei_index, mixing_matrix
from netmap.analysis.communities import detect_communities
from netmap.analysis.influence import influence
from netmap.analysis.project import build_actor_graph
from netmap.analysis.results import nmi

CAMPS = ("supporter", "critic", "boycott", "neutral")


def planted(n_acc: int, n_shares: int, seed: int = 0):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    n_comm = max(2, n_acc // 1000)
    comm = rng.integers(0, n_comm, n_acc)
    order = np.argsort(comm, kind="stable")
    starts = np.searchsorted(comm[order], np.arange(n_comm))
    sizes = np.bincount(comm, minlength=n_comm)
    src = rng.integers(0, n_acc, n_shares)
    inside = rng.random(n_shares) < 0.8
    c = comm[src]
    dst_in = order[starts[c] + (rng.random(n_shares) * sizes[c]).astype(np.int64)]
    dst_out = rng.integers(0, n_acc, n_shares)
    dst = np.where(inside, dst_in, dst_out)
    keep = src != dst
    return comm, src[keep], dst[keep]


def frames(n_acc: int, src: np.ndarray, dst: np.ndarray):  # type: ignore[no-untyped-def]
    acc = np.array([f"twitter:u{i}" for i in range(n_acc)], dtype=object)
    orig = np.array([f"twitter:{i}" for i in range(n_acc)], dtype=object)
    shares = np.array([f"twitter:{n_acc + j}" for j in range(len(src))], dtype=object)
    posts = pd.DataFrame({
        "key": np.concatenate([orig, shares]),
        "platform": "twitter",
        "kind": np.concatenate([np.full(n_acc, "post", dtype=object),
                                np.full(len(src), "share", dtype=object)]),
        "created_at": "2013-11-06T08:00:00Z",
    })
    edges = pd.DataFrame({
        "type": np.concatenate([np.full(n_acc + len(src), "AUTHORED", dtype=object),
                                np.full(len(src), "SHARES", dtype=object)]),
        "src_label": np.concatenate([np.full(n_acc + len(src), "Account", dtype=object),
                                     np.full(len(src), "Post", dtype=object)]),
        "src": np.concatenate([acc, acc[src], shares]),
        "dst_label": "Post",
        "dst": np.concatenate([orig, shares, orig[dst]]),
    })
    return posts, acc, edges


def run_frames(args: argparse.Namespace) -> None:
    comm, src, dst = planted(args.accounts, args.shares)
    t = time.perf_counter()
    posts, acc, edges = frames(args.accounts, src, dst)
    groups = np.array(CAMPS, dtype=object)[comm % 4]
    accounts = pd.DataFrame({"key": acc, "platform": "twitter", "group": groups})
    print(f"frames built: {time.perf_counter() - t:.1f}s ({len(edges):,} store edges)")
    timings = {}
    t = time.perf_counter()
    ag = build_actor_graph(posts, accounts, edges)
    timings["project"] = time.perf_counter() - t
    t = time.perf_counter()
    res = detect_communities(ag, seed=42)
    timings["communities"] = time.perf_counter() - t
    t = time.perf_counter()
    influence(ag)
    timings["influence"] = time.perf_counter() - t
    t = time.perf_counter()
    g = pd.Series(ag.accounts["group"].to_numpy(), index=ag.accounts["key"].to_numpy())
    br = bridges(ag, g, res.membership, betweenness_sample=args.sample)
    mixing_matrix(ag, g)
    ei_index(ag, g)
    timings["bridges"] = time.perf_counter() - t
    truth = comm[[int(k.split(":u")[1]) for k in ag.accounts["key"]]]
    print(json.dumps({
        "accounts": ag.graph.vcount(), "ties": ag.graph.ecount(),
        "communities": res.n_communities, "modularity": round(res.modularity, 3),
        "nmi_vs_planted": round(nmi(res.membership, truth), 3),
        "betweenness_sample": br.attrs["betweenness_sample"],
        "timings": {k: round(v, 2) for k, v in timings.items()},
        "total": round(sum(timings.values()), 2),
    }, indent=1))


def run_store(args: argparse.Namespace) -> None:
    from netmap.model import Batch
    from netmap.store.sqlite import SQLiteStore

    comm, src, dst = planted(args.accounts, args.shares)
    store = SQLiteStore(args.store)
    t = time.perf_counter()
    run = store.begin_run("bench", [], {})
    chunk = 100_000
    b = Batch("bench")
    for i in range(args.accounts):
        b.node("Account", f"twitter:u{i}", platform="twitter", handle=f"u{i}",
               group=CAMPS[comm[i] % 4])
        b.node("Post", f"twitter:{i}", platform="twitter", kind="post",
               created_at="2013-11-06T08:00:00Z")
        b.edge("AUTHORED", "Account", f"twitter:u{i}", "Post", f"twitter:{i}")
        if len(b.nodes) >= chunk:
            store.write_batch(b, run)
            b = Batch("bench")
    for j, (s, d) in enumerate(zip(src.tolist(), dst.tolist(), strict=True)):
        key = f"twitter:{args.accounts + j}"
        b.node("Post", key, platform="twitter", kind="share", created_at="2013-11-06T09:00:00Z")
        b.edge("AUTHORED", "Account", f"twitter:u{s}", "Post", key)
        b.edge("SHARES", "Post", key, "Post", f"twitter:{d}")
        if len(b.nodes) >= chunk:
            store.write_batch(b, run)
            b = Batch("bench")
    store.write_batch(b, run)
    store.end_run(run, read=0, stored=0, rejected=0)
    print(f"store written: {time.perf_counter() - t:.1f}s")
    t = time.perf_counter()
    res = analyze(store, betweenness_sample=args.sample)
    total = time.perf_counter() - t
    summary = res.summary()
    summary.pop("parameters")
    summary["analyze_total"] = round(total, 2)
    print(json.dumps(summary, indent=1))
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--shares", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=None, help="betweenness sources")
    ap.add_argument("--store", default=None, help="write to this SQLite file and analyze it")
    args = ap.parse_args()
    if args.store:
        run_store(args)
    else:
        run_frames(args)


if __name__ == "__main__":
    main()
