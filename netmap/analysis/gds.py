"""``netmap analyze --engine gds``: communities and centralities computed inside Neo4j.

For a Neo4j store whose server has the Graph Data Science library, the actor graph is projected
server-side (``gds.graph.project`` over the same interactions and weights as
:mod:`netmap.analysis.project`, site links aside) and Leiden, PageRank, weighted in-degree and
(sampled) betweenness run there and write their results onto the Account nodes. Nothing of
the graph travels to the client: useful when the server is the bigger machine.

What it writes: ``community``, ``pagerank``, ``indegree`` (weighted, what ``top influencers``
ranks by) and ``betweenness``. The other result columns of the local engine (brokerage,
structural holes, the flow-based ``bridge_score``) are cleared, not computed: run the local
engine for them. tests/analysis/test_gds.py holds the engines' agreement on a planted
campaign (NMI of the communities, rank correlation of PageRank).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import AnalysisError, StoreError, UsageError
from ..store import cypher_queries as cq

if TYPE_CHECKING:
    from ..store.base import Store

__all__ = ["analyze_gds"]


def analyze_gds(
    store: Store,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    weights: Mapping[str, float] | None = None,
    betweenness_sample: int | None = 500,
) -> dict[str, Any]:
    """Run the analysis inside Neo4j (see the module docstring); return a summary.

    ``betweenness_sample``: source nodes for the betweenness estimate (None: all, exact).
    """
    from ..store.neo4j import Neo4jStore
    from . import META_COMMUNITIES, META_KEY, RESULT_COLUMNS
    from .project import DEFAULT_WEIGHTS

    if not isinstance(store, Neo4jStore):
        raise UsageError("--engine gds needs a Neo4j store (--store neo4j://... or bolt://...)")
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    t_start = time.perf_counter()
    try:
        version = store._read_all(cq.fixed("gds_version"))[0]["version"]
    except StoreError as exc:
        raise StoreError(
            f"Neo4j at {store.uri} has no Graph Data Science library ({exc}); install the GDS "
            "plugin, or use the local engine (the default)"
        ) from exc

    timings: dict[str, float] = {}
    # netmap's earlier results on the accounts would mix with these: clear them all first
    t0 = time.perf_counter()
    store.set_props("Account", [], clear=list(RESULT_COLUMNS))
    timings["clear"] = time.perf_counter() - t0

    tag = uuid.uuid4().hex[:8]  # two analyses at once must not share projection names
    directed, undirected = f"netmap-{tag}-directed", f"netmap-{tag}-undirected"

    def run(name: str, **params: Any) -> dict[str, Any]:
        def work(tx: Any) -> dict[str, Any]:
            rec = tx.run(cq.fixed(name), params).single()
            return dict(rec) if rec is not None else {}

        return store._write(work)

    summary: dict[str, Any] = {"engine": "gds", "gds_version": version}
    try:
        t0 = time.perf_counter()
        proj = run("gds_project_actors", w=w, graph=directed, config={})
        run("gds_project_actors", w=w, graph=undirected,
            config={"undirectedRelationshipTypes": ["*"]})
        timings["project"] = time.perf_counter() - t0
        if not proj.get("nodes"):
            raise AnalysisError("nothing to analyze: no account interacted with another; "
                                "run `netmap collect` first")
        summary.update(accounts=proj["nodes"], ties=proj["ties"])

        t0 = time.perf_counter()
        leiden = run("gds_leiden", graph=undirected, gamma=float(resolution), seed=int(seed))
        timings["communities"] = time.perf_counter() - t0
        summary.update(communities=leiden["communityCount"],
                       modularity=round(float(leiden["modularity"]), 4))

        t0 = time.perf_counter()
        pr = run("gds_pagerank", graph=directed)
        run("gds_indegree", graph=directed)
        timings["influence"] = time.perf_counter() - t0
        summary["pagerank_iterations"] = pr["ranIterations"]

        t0 = time.perf_counter()
        sample = int(proj["nodes"]) if betweenness_sample is None else min(
            int(betweenness_sample), int(proj["nodes"]))
        run("gds_betweenness", graph=directed, sample=sample, seed=int(seed))
        timings["betweenness"] = time.perf_counter() - t0
        summary["betweenness_sample"] = sample
    finally:
        for name in (directed, undirected):
            try:
                run("gds_drop", graph=name)
            except StoreError:
                pass  # never created (the projection failed): nothing to free

    store._write(lambda tx: tx.run(cq.fixed("graph_version_bump")).consume())
    # The local engine's cache must not mistake these for its own results.
    store.set_meta(META_KEY, json.dumps({**summary, "cache_key": None}, sort_keys=True))
    store.set_meta(META_COMMUNITIES, "[]")
    summary["seconds"] = {k: round(v, 2) for k, v in
                          {**timings, "total": time.perf_counter() - t_start}.items()}
    return summary
