"""Benchmark of the full analysis on planted synth graphs, and the same pipeline in networkx.

    .venv/bin/python benchmarks/analysis.py                        # everything (about 25 min)
    .venv/bin/python benchmarks/analysis.py --sizes 100000:1000000 --no-networkx --no-periods

For each size ``ACCOUNTS:INTERACTIONS`` a fresh subprocess (so sizes and
libraries never share memory) builds the planted campaign with
:func:`netmap.synth.generate_graph` (planted groups, hubs and 20 brokers),
turns it into store-shaped frames (:func:`netmap.analysis.frames.interaction_frames`),
projects the actor graph (:func:`netmap.analysis.project.build_actor_graph`)
and runs :func:`netmap.analysis.run_analysis`: Leiden communities, weighted
in-degree, PageRank, HITS, k-core, one- and two-hop reach, personalised
PageRank per group, in/out-group influence, cross-group shares,
participation, sampled betweenness, Gould–Fernandez brokerage, Burt's
constraint and effective size, mixing/E-I/assortativity and the community
summary. The synth and frame building are the harness and are reported but
not counted. Peak memory per stage is ``VmHWM`` from ``/proc/self/status``,
reset before each stage by writing ``5`` to ``/proc/self/clear_refs``.

``--networkx`` (on by default, at the smallest size) runs the pipeline the
issue names with networkx 3.x on the same actor graph: build a weighted
``DiGraph``, ``pagerank``, ``louvain_communities`` (undirected, weight-summed
copy), ``hits``, ``core_number`` and ``betweenness_centrality(k=K)`` with the
same ``K`` sampled sources netmap uses (or ``--nx-k`` sources and a linear
extrapolation to ``K``, stated in the output).

Recovery against the planted truth is measured on the same runs: NMI of the
communities with the planted groups, precision@10 of the planted brokers by
bridge score, recall of each group's planted hubs in that group's top 10 by
weighted in-degree (the ``top influencers`` ranking). ``--periods`` adds a
two-period campaign (switchers and new bridges) compared with
:func:`netmap.analysis.timeline.compare_graphs`.

Results go to ``benchmarks/results/analysis.json`` and, as a table, to the
``## Analysis`` section of ``benchmarks/RESULTS.md`` (other sections kept).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS_JSON = HERE / "results" / "analysis.json"
RESULTS_MD = HERE / "RESULTS.md"
SECTION = "## Analysis"
SEED = 7
BROKERS = 20


# -- measuring ----------------------------------------------------------------------------


def _status(field: str) -> float:
    """A ``/proc/self/status`` memory field in GB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class Stages:
    """Times and peak memory of consecutive stages in this process."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, float]] = {}
        self.resettable = _reset_peak()
        self.t = time.perf_counter()
        self.c = _cpu()

    def end(self, name: str) -> None:
        now, cpu = time.perf_counter(), _cpu()
        self.rows[name] = {"seconds": round(now - self.t, 3),
                           "cpu_seconds": round(cpu - self.c, 3),
                           "peak_gb": round(_status("VmHWM"), 3),
                           "rss_gb": round(_status("VmRSS"), 3)}
        print(f"  {name:<22} {now - self.t:8.2f} s  cpu {cpu - self.c:8.2f} s  "
              f"peak {self.rows[name]['peak_gb']:.2f} GB", file=sys.stderr, flush=True)
        _reset_peak()
        self.t = time.perf_counter()
        self.c = _cpu()


def _cpu() -> float:
    """User + system CPU seconds of this process (what other jobs on the machine do not inflate)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- the netmap worker --------------------------------------------------------------------


def _planted(accounts: int, interactions: int, **extra: Any) -> tuple[Any, dict[str, Any]]:
    from netmap.synth import generate_graph

    return generate_graph(accounts, seed=SEED, interactions_per_account=interactions / accounts,
                          **extra)


def _accounts_frame(truth: dict[str, Any]) -> Any:
    import pandas as pd

    kinds = truth["kinds"]
    keys = list(truth["accounts"])
    return pd.DataFrame({
        "key": keys,
        "platform": ["twitter" if kinds[k] == "twitter" else "blog" for k in keys],
        "group": list(truth["accounts"].values()),
    })


def _actor_graph(accounts: int, interactions: int, st: Stages | None) -> tuple[Any, dict]:
    from netmap.analysis.frames import interaction_frames
    from netmap.analysis.project import build_actor_graph

    edges, truth = _planted(accounts, interactions, brokers=BROKERS)
    if st:
        st.end("synth (harness)")
    frames = interaction_frames(edges, _accounts_frame(truth))
    del edges
    if st:
        st.end("frames (harness)")
    ag = build_actor_graph(*frames, edge_attributes=False)
    del frames
    if st:
        st.end("project")
    return ag, truth


def recovery(res: Any, truth: dict[str, Any]) -> dict[str, Any]:
    """Planted groups, brokers and hubs against what the analysis found."""
    import numpy as np

    from netmap.analysis.results import nmi

    acc = res.accounts
    keys = acc["key"].astype(str)
    labels = keys.map(truth["accounts"]).to_numpy()
    top10 = acc.nlargest(10, "bridge_score")["key"].astype(str)
    brokers = set(truth.get("brokers", {}))
    hubs = set(truth["hubs"])
    by_group = acc.assign(group=labels)
    found = sum(len(set(m.nlargest(10, "indegree")["key"].astype(str)) & hubs)
                for _, m in by_group.groupby("group"))
    overall = set(acc.nlargest(len(hubs), "indegree")["key"].astype(str))
    pr_top = set(acc.nlargest(len(hubs), "pagerank")["key"].astype(str))
    roles = {}
    for key, b in truth.get("brokers", {}).items():
        row = acc.loc[keys == key, [f"broker_{r}" for r in ("liaison", "gatekeeper",
                                                             "representative")]]
        roles[key] = row.iloc[0].idxmax().removeprefix("broker_") == b["role"]
    return {
        "communities": int(res.community.n_communities),
        "modularity": round(float(res.community.modularity), 4),
        "nmi_vs_planted_groups": round(nmi(res.community.membership, labels), 4),
        "brokers_planted": len(brokers),
        "brokers_precision_at_10": float(top10.isin(brokers).mean()),
        "brokers_role_recovered": round(float(np.mean(list(roles.values()))), 3) if roles
        else None,
        "hubs_planted": len(hubs),
        "hubs_recall_top10_per_group_indegree": round(found / len(hubs), 3),
        "hubs_recall_overall_indegree": round(len(overall & hubs) / len(hubs), 3),
        "hubs_recall_overall_pagerank": round(len(pr_top & hubs) / len(hubs), 3),
        "assortativity": round(float(res.assortativity), 4),
    }


def worker_netmap(args: argparse.Namespace) -> dict[str, Any]:
    from netmap.analysis import run_analysis

    st = Stages()
    load0 = _load()
    ag, truth = _actor_graph(args.accounts, args.interactions, st)
    res = run_analysis(ag, seed=1, on_stage=st.end)
    counted = ["project", "communities", "influence", "bridges", "structural_holes", "summary"]
    total = sum(st.rows[s]["seconds"] for s in counted)
    cpu_total = sum(st.rows[s]["cpu_seconds"] for s in counted)
    peak = max(st.rows[s]["peak_gb"] for s in counted)
    extra = res.extra
    return {
        "library": "netmap",
        "accounts": ag.n,
        "ties": int(ag.graph.ecount()),
        "interactions": int(truth["counts"]["interactions"]),
        "stages": st.rows,
        "parts": {k: round(v, 3) for k, v in res.timings.items() if "." in k},
        "total_seconds": round(total, 2),
        "total_cpu_seconds": round(cpu_total, 2),
        "analysis_seconds": round(total - st.rows["project"]["seconds"], 2),
        "peak_gb": round(peak, 3),
        "peak_gb_with_harness": round(max(r["peak_gb"] for r in st.rows.values()), 3),
        "peak_resettable": st.resettable,
        "betweenness_sources": res.betweenness_sample,
        "brokerage": extra.get("brokerage"),
        "structural_holes": extra.get("structural_holes"),
        "reach2": extra.get("reach2_method"),
        "hits_iterations": extra.get("hits_iterations"),
        "recovery": recovery(res, truth),
        "load_before": load0,
        "load_after": _load(),
    }


# -- the networkx worker ------------------------------------------------------------------


def worker_networkx(args: argparse.Namespace) -> dict[str, Any]:
    import networkx as nx
    import numpy as np

    from netmap.analysis.bridges import BETWEENNESS_BUDGET, MIN_SAMPLE

    load0 = _load()
    ag, truth = _actor_graph(args.accounts, args.interactions, None)
    src = ag.edges["source"].to_numpy().tolist()
    dst = ag.edges["target"].to_numpy().tolist()
    w = ag.edges["weight"].to_numpy().tolist()
    a, b, uw = ag.undirected_edges()
    n, m = ag.n, len(a)
    k = n if n * (n + m) <= BETWEENNESS_BUDGET else max(MIN_SAMPLE, BETWEENNESS_BUDGET // (n + m))
    k_run = min(k, args.nx_k) if args.nx_k else k
    labels = ag.accounts["key"].astype(str).map(truth["accounts"]).to_numpy()
    del ag
    st = Stages()
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(src, dst, w, strict=True))
    st.end("build DiGraph")
    nx.pagerank(g, weight="weight")
    st.end("pagerank")
    u = nx.Graph()
    u.add_nodes_from(range(n))
    u.add_weighted_edges_from(zip(a.tolist(), b.tolist(), uw.tolist(), strict=True))
    st.end("undirected copy")
    comm = nx.community.louvain_communities(u, weight="weight", seed=1)
    st.end("louvain_communities")
    nx.hits(g)
    st.end("hits")
    nx.core_number(u)
    st.end("core_number")
    for _, _, d in u.edges(data=True):
        d["dist"] = 1.0 / d["weight"]
    nx.betweenness_centrality(u, k=k_run, weight="dist", seed=1)
    st.end("betweenness_centrality")
    measured = st.rows["betweenness_centrality"]["seconds"]
    rows = st.rows
    if k_run < k:
        rows["betweenness_centrality"]["measured_k"] = k_run
        rows["betweenness_centrality"]["seconds"] = round(measured * k / k_run, 2)
        rows["betweenness_centrality"]["extrapolated_from_seconds"] = measured
    from netmap.analysis.results import nmi

    membership = np.zeros(n, dtype=np.int64)
    for i, c in enumerate(comm):
        membership[list(c)] = i
    return {
        "library": f"networkx {nx.__version__}",
        "accounts": n,
        "ties": len(src),
        "betweenness_sources": k,
        "betweenness_sources_measured": k_run,
        "stages": rows,
        "total_seconds": round(sum(r["seconds"] for r in rows.values()), 2),
        "total_cpu_seconds": round(sum(r["cpu_seconds"] for r in rows.values()), 2),
        "peak_gb": round(max(r["peak_gb"] for r in rows.values()), 3),
        "louvain_communities": len(comm),
        "louvain_nmi_vs_planted_groups": round(nmi(membership, labels), 4),
        "load_before": load0,
        "load_after": _load(),
    }


# -- periods ------------------------------------------------------------------------------


def worker_periods(args: argparse.Namespace) -> dict[str, Any]:
    from netmap.analysis.frames import interaction_frames
    from netmap.analysis.project import build_actor_graph
    from netmap.analysis.timeline import compare_graphs

    n = args.accounts
    switchers, new_bridges = n // 500, n // 1000
    edges, truth = _planted(n, args.interactions, periods=2, switchers=switchers,
                            new_bridges=new_bridges)
    frames = interaction_frames(edges, _accounts_frame(truth))
    (a0, a1), (b0, b1) = truth["periods"]["bounds"]
    t = time.perf_counter()
    ag1 = build_actor_graph(*frames, since=a0, until=a1, edge_attributes=False)
    ag2 = build_actor_graph(*frames, since=b0, until=b1, edge_attributes=False)
    cmp = compare_graphs(ag1, ag2, seed=1)
    seconds = time.perf_counter() - t
    acc = cmp.accounts.set_index("key")

    def pr(flag: str, planted: set[str]) -> dict[str, Any]:
        got = set(acc.index[acc[flag]])
        hit = len(got & planted)
        return {"planted": len(planted), "flagged": len(got),
                "recall": round(hit / max(len(planted), 1), 3),
                "precision": round(hit / max(len(got), 1), 3)}

    sw = set(truth["periods"]["switchers"])
    return {
        "accounts": n,
        "interactions": int(truth["counts"]["interactions"]),
        "seconds": round(seconds, 2),
        "changed_side_vs_switchers": pr("changed_side", sw),
        "moved_vs_switchers": pr("moved", sw),
        "became_bridge_vs_new_bridges": pr("became_bridge", set(truth["periods"]["new_bridges"])),
        "community_nmi_between_periods": cmp.extra.get("community_nmi"),
        "matched_communities": int((cmp.community_map["community1"] >= 0).sum()),
    }


# -- a campaign through the collectors ----------------------------------------------------


def worker_campaign(args: argparse.Namespace) -> dict[str, Any]:
    """Planted hubs by in-degree vs PageRank on a campaign written as files and collected."""
    import tempfile

    import numpy as np

    from netmap.analysis.influence import influence
    from netmap.analysis.project import actor_graph
    from netmap.pipeline import collect
    from netmap.store.sqlite import SQLiteStore
    from netmap.synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "files", accounts=args.accounts, seed=5)
        truth = json.loads((root / "files" / "truth.json").read_text(encoding="utf-8"))
        store = SQLiteStore(root / "c.db")
        collect(store, "auto", [str(p) for p in sorted((root / "files").iterdir()) if p.is_dir()],
                rejects=root / "rejects.csv")
        store.set_props("Account", [(k, {"group": g}) for k, g in truth["accounts"].items()])
        infl = influence(actor_graph(store)).set_index("key")
        store.close()
    hubs = set(truth["hubs"])
    out: dict[str, Any] = {"accounts": args.accounts, "hubs": len(hubs)}
    for metric in ("indegree", "pagerank", "authority", "reach"):
        rec = []
        for g in sorted(set(truth["accounts"].values())):
            keys = [k for k in infl.index if truth["accounts"].get(k) == g]
            top = set(infl.loc[keys, metric].nlargest(10).index)
            hg = {h for h in hubs if truth["accounts"][h] == g}
            rec.append(len(top & hg) / max(len(hg), 1))
        top10 = infl[metric].nlargest(10).index
        out[metric] = {"recall_top10_per_group": round(float(np.mean(rec)), 3),
                       "hubs_in_overall_top10": int(top10.isin(list(hubs)).sum()),
                       "blogs_in_overall_top10": int(sum(truth["kinds"].get(k) == "blog"
                                                         for k in top10))}
    return out


# -- driver -------------------------------------------------------------------------------


def _run_worker(kind: str, accounts: int, interactions: int, extra: list[str]) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--accounts", str(accounts),
           "--interactions", str(interactions), *extra]
    print(f"[{kind}] {accounts:,} accounts / {interactions:,} interactions", file=sys.stderr,
          flush=True)
    out = subprocess.run(cmd, check=True, capture_output=False, stdout=subprocess.PIPE,
                         text=True)
    return json.loads(out.stdout)


def _versions() -> dict[str, str]:
    import igraph
    import networkx
    import numpy
    import pandas
    import scipy

    return {"python": platform.python_version(), "numpy": numpy.__version__,
            "pandas": pandas.__version__, "scipy": scipy.__version__,
            "python-igraph": igraph.__version__, "networkx": networkx.__version__}


def _table(results: dict[str, Any]) -> str:
    lines = []
    runs = results["netmap"]
    lines.append("| stage | " + " | ".join(
        f"{r['accounts']:,} accounts / {r['ties']:,} ties" for r in runs) + " |")
    lines.append("|---|" + "---|" * len(runs))
    names = [k for k in runs[0]["stages"] if "harness" not in k]
    def cell(row: dict[str, float]) -> str:
        cpu = row.get("cpu_seconds")
        return (f"{row['seconds']:.1f} s" + (f" ({cpu:.1f} s CPU)" if cpu is not None else "")
                + f", {row['peak_gb']:.2f} GB")

    for name in names:
        lines.append(f"| {name} | " + " | ".join(cell(r["stages"][name]) for r in runs) + " |")
    lines.append("| **total (project + analysis)** | " + " | ".join(
        f"**{r['total_seconds']:.1f} s** ({r.get('total_cpu_seconds', float('nan')):.1f} s CPU),"
        f" peak **{r['peak_gb']:.2f} GB**" for r in runs) + " |")
    parts = sorted({p for r in runs for p in r["parts"]})
    lines.append("")
    lines.append("Parts of the influence and bridges stages (seconds):")
    lines.append("")
    lines.append("| part | " + " | ".join(f"{r['accounts']:,}" for r in runs) + " |")
    lines.append("|---|" + "---|" * len(runs))
    for p in parts:
        lines.append(f"| {p} | " + " | ".join(f"{r['parts'].get(p, float('nan')):.2f}"
                                              for r in runs) + " |")
    lines.append("")
    def cap(info: dict[str, Any] | None) -> str:
        if not info or not info.get("cap"):
            return "exact"
        return f"sampled ({info['cap']} pairs per account for {info['sampled']:,} accounts)"

    lines.append("Work caps on each graph: " + "; ".join(
        f"{r['accounts']:,} accounts: betweenness from {r['betweenness_sources'] or 'all'} "
        f"sources, brokerage {cap(r['brokerage'])}, structural holes "
        f"{cap(r['structural_holes'])}, reach2 {r['reach2']}"
        for r in runs) + ".")
    lines.append("")
    lines.append("Recovery of the planted structure (same runs):")
    lines.append("")
    keys = list(runs[0]["recovery"])
    lines.append("| measure | " + " | ".join(f"{r['accounts']:,}" for r in runs) + " |")
    lines.append("|---|" + "---|" * len(runs))
    for k in keys:
        lines.append(f"| {k} | " + " | ".join(str(r["recovery"][k]) for r in runs) + " |")
    nxr = results.get("networkx")
    if nxr:
        lines.append("")
        lines.append(f"networkx side by side ({nxr['library']}, {nxr['accounts']:,} accounts, "
                     f"{nxr['ties']:,} ties, betweenness k={nxr['betweenness_sources']}"
                     + (f", measured with k={nxr['betweenness_sources_measured']} and "
                        "extrapolated linearly" if nxr['betweenness_sources_measured']
                        < nxr['betweenness_sources'] else "") + "):")
        lines.append("")
        lines.append("| networkx stage | seconds | CPU seconds | peak GB |")
        lines.append("|---|---|---|---|")
        for name, r in nxr["stages"].items():
            lines.append(f"| {name} | {r['seconds']:.1f} | {r.get('cpu_seconds', float('nan')):.1f}"
                         f" | {r['peak_gb']:.2f} |")
        lines.append(f"| **total** | **{nxr['total_seconds']:.1f}** | "
                     f"{nxr.get('total_cpu_seconds', float('nan')):.1f} | {nxr['peak_gb']:.2f} |")
        ratio = results["ratio"]
        lines.append("")
        lines.append(
            f"Speed-up at {nxr['accounts']:,} accounts: **{ratio['like_for_like']:.1f}x** on the "
            f"same steps (netmap {ratio['netmap_like_for_like_seconds']:.1f} s: project + "
            "communities + PageRank + HITS + k-core + betweenness, vs networkx "
            f"{nxr['total_seconds']:.1f} s), **{ratio['full']:.1f}x** counting netmap's whole "
            f"analysis ({ratio['netmap_full_seconds']:.1f} s, which also computes reach, "
            "personalised PageRank, brokerage, structural holes and the rest).")
    big = max(runs, key=lambda r: r["accounts"])
    checks = [
        (f"{big['accounts']:,}-account total under 180 s", big["total_seconds"] < 180,
         f"{big['total_seconds']:.1f} s"),
        ("peak memory under 8 GB", big["peak_gb"] < 8, f"{big['peak_gb']:.2f} GB"),
        ("community NMI >= 0.9", all(r["recovery"]["nmi_vs_planted_groups"] >= 0.9
                                     for r in runs),
         ", ".join(str(r["recovery"]["nmi_vs_planted_groups"]) for r in runs)),
        ("planted brokers precision@10 >= 0.8", all(
            r["recovery"]["brokers_precision_at_10"] >= 0.8 for r in runs),
         ", ".join(str(r["recovery"]["brokers_precision_at_10"]) for r in runs)),
        ("planted hubs recall in each group's top 10 >= 0.9", all(
            r["recovery"]["hubs_recall_top10_per_group_indegree"] >= 0.9 for r in runs),
         ", ".join(str(r["recovery"]["hubs_recall_top10_per_group_indegree"]) for r in runs)),
    ]
    if results.get("ratio"):
        checks.append(("at least 20x faster than networkx",
                       results["ratio"]["like_for_like"] >= 20,
                       f"{results['ratio']['like_for_like']}x"))
    lines.append("")
    lines.append("Targets: " + "; ".join(f"{name}: {'yes' if ok else 'NO'} ({val})"
                                       for name, ok, val in checks) + ".")
    camp = results.get("campaign")
    if camp:
        lines.append("")
        lines.append(
            f"Through the collectors (a {camp['accounts']:,}-account campaign written as twarc2 "
            "pages and WordPress feeds by `netmap.synth.generate`, collected into SQLite): "
            "recall of each group's planted hubs in its top 10, and planted hubs / blog authors "
            "in the overall top 10, by metric: " + "; ".join(
                f"{m} {camp[m]['recall_top10_per_group']} ({camp[m]['hubs_in_overall_top10']} hubs"
                f", {camp[m]['blogs_in_overall_top10']} blogs)"
                for m in ("indegree", "pagerank", "authority", "reach"))
            + ". PageRank favours blog authors there (name-only commenters tie to their one blog "
            "only, so all their rank flows to it), which is why `top influencers` "
            "ranks by weighted in-degree.")
    per = results.get("periods")
    if per:
        lines.append("")
        lines.append(f"Two periods ({per['accounts']:,} accounts, {per['interactions']:,} "
                     f"interactions, compared in {per['seconds']:.1f} s): changed side vs "
                     f"planted switchers {per['changed_side_vs_switchers']}; became a bridge vs "
                     f"planted new bridges {per['became_bridge_vs_new_bridges']}; moved "
                     f"community vs switchers {per['moved_vs_switchers']}; community NMI "
                     f"between periods {per['community_nmi_between_periods']}.")
    return "\n".join(lines)


def _write_md(results: dict[str, Any]) -> None:
    m = results["machine"]
    body = (f"{SECTION} (benchmarks/analysis.py)\n\n"
            f"Run {results['finished']} on {m['cpus']} CPUs / {m['memory_gb']:.0f} GB, "
            f"{', '.join(f'{k} {v}' for k, v in results['versions'].items())}. Load average "
            "(1, 5, 15 min) when each run started: "
            + ", ".join(f"netmap {r['accounts']:,}: {r['load_before']}" for r in results["netmap"])
            + (f", networkx: {results['networkx']['load_before']}" if results.get("networkx")
               else "")
            + " (other jobs shared the 2 cores; one run each; CPU seconds are this process's "
            "user + system time, which those jobs do not inflate).\n\n"
            "Planted synth graphs (`netmap.synth.generate_graph`, 20 brokers) projected with "
            "`build_actor_graph` and analysed with `netmap.analysis.run_analysis`; "
            "seconds and peak memory (VmHWM, reset per stage) per stage.\n\n"
            + _table(results) + "\n")
    text = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else (
        "# Benchmark results\n\nOne section per benchmark; each script rewrites its own.\n")
    start = text.find(SECTION)
    if start >= 0:
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + ("\n" + text[nxt + 1:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    RESULTS_MD.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", default=["100000:1000000", "1000000:10000000"],
                    help="ACCOUNTS:INTERACTIONS per run")
    ap.add_argument("--no-networkx", dest="networkx", action="store_false")
    ap.add_argument("--nx-k", type=int, default=None,
                    help="networkx betweenness sources actually run (extrapolated to netmap's)")
    ap.add_argument("--no-periods", dest="periods", action="store_false")
    ap.add_argument("--no-write", dest="write", action="store_false")
    ap.add_argument("--render", action="store_true",
                    help="only rewrite the RESULTS.md section from results/analysis.json")
    ap.add_argument("--merge", action="store_true",
                    help="keep the stored results of sizes and steps not run this time")
    ap.add_argument("--worker", choices=["netmap", "networkx", "periods", "campaign"],
                    help=argparse.SUPPRESS)
    ap.add_argument("--accounts", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--interactions", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        fn = {"netmap": worker_netmap, "networkx": worker_networkx,
              "periods": worker_periods, "campaign": worker_campaign}[args.worker]
        print(json.dumps(fn(args)))
        return
    if args.render:
        _write_md(json.loads(RESULTS_JSON.read_text(encoding="utf-8")))
        return
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes]
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(),
                    "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30},
        "versions": _versions(),
        "netmap": [_run_worker("netmap", a, i, []) for a, i in sizes],
    }
    if args.networkx:
        a, i = sizes[0]
        extra = ["--nx-k", str(args.nx_k)] if args.nx_k else []
        results["networkx"] = _run_worker("networkx", a, i, extra)
    if args.periods:
        a, i = sizes[0]
        results["periods"] = _run_worker("periods", a, i, [])
    results["campaign"] = _run_worker("campaign", 800, 8000, [])
    if args.merge and RESULTS_JSON.exists():
        old = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
        fresh = {r["accounts"] for r in results["netmap"]}
        kept = [r for r in old.get("netmap", []) if r["accounts"] not in fresh]
        results["netmap"] = sorted(kept + results["netmap"], key=lambda r: r["accounts"])
        for key in ("networkx", "periods", "campaign"):
            if key not in results and key in old:
                results[key] = old[key]
    nxr = results.get("networkx")
    same = [r for r in results["netmap"] if nxr and r["accounts"] == nxr["accounts"]]
    if same:
        nm = same[0]
        like = (nm["stages"]["project"]["seconds"] + nm["stages"]["communities"]["seconds"]
                + sum(nm["parts"].get(p, 0.0) for p in ("influence.pagerank", "influence.hits",
                                                         "influence.kcore",
                                                         "bridges.betweenness")))
        results["ratio"] = {
            "like_for_like": round(nxr["total_seconds"] / like, 1),
            "full": round(nxr["total_seconds"] / nm["total_seconds"], 1),
            "netmap_like_for_like_seconds": round(like, 2),
            "netmap_full_seconds": nm["total_seconds"],
        }
        print(f"speed-up vs networkx: {results['ratio']}", file=sys.stderr)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(json.dumps(results, indent=1))
    if args.write:
        RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
        RESULTS_JSON.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        _write_md(results)


if __name__ == "__main__":
    main()
