"""Analyses of the actor graph: communities, influence, bridges, time.

:func:`analyze` runs them all on a store and writes the per-account results
back as Account properties (:data:`RESULT_COLUMNS`), so tables, exports and
Cypher queries read them without recomputing. It skips the work when the
store, the stance groups and the parameters are the ones of the stored run
(``force=True`` recomputes). :func:`run_analysis` is the same pipeline on an
actor graph held in memory (no store), as the benchmarks run it. Each step is
also a library function of its own::

    from netmap.analysis.project import actor_graph
    from netmap.analysis.communities import detect_communities, consensus
    ag = actor_graph(store)
    res = detect_communities(ag, resolution=1.5, seed=1)
    cons = consensus(ag, seeds=range(5))          # stability over seeds
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..store.base import Store
from .bridges import assortativity, bridges, ei_index, mixing_matrix
from .brokerage import ROLES, brokerage
from .communities import community_summary, consensus, detect_communities, hierarchy
from .influence import influence
from .project import DEFAULT_WEIGHTS, INTERACTION_TYPES, ActorGraph, actor_graph
from .results import AnalysisResult, CommunityResult, nmi
from .structural_holes import structural_holes

__all__ = [
    "analyze",
    "run_analysis",
    "AnalysisResult",
    "CommunityResult",
    "ActorGraph",
    "actor_graph",
    "detect_communities",
    "consensus",
    "hierarchy",
    "influence",
    "bridges",
    "brokerage",
    "structural_holes",
    "mixing_matrix",
    "ei_index",
    "assortativity",
    "nmi",
    "RESULT_COLUMNS",
    "DEFAULT_WEIGHTS",
    "INTERACTION_TYPES",
]

BROKER_COLUMNS: tuple[str, ...] = tuple(f"broker_{r}" for r in ROLES)

# Account properties analyze() owns: cleared on every Account before a run
# writes its own, so an account that left the graph keeps no stale value.
RESULT_COLUMNS: tuple[str, ...] = (
    "community", "community_agreement", "pagerank", "indegree", "outdegree", "hub",
    "authority", "coreness", "reach", "reach2", "cross_platform_reach", "in_own_group",
    "in_other_groups", "group_pagerank", "betweenness", "cross_group_share",
    "n_groups_touched", "participation_group", "participation_community", "constraint",
    "effective_size", *BROKER_COLUMNS, "brokerage", "brokerage_cross_share", "bridge_score",
)

_INT_COLUMNS = ("community", "coreness", "reach", "reach2", "cross_platform_reach",
                "n_groups_touched")
# Stored meta entries: the run's summary, and the per-community summary table.
META_KEY = "analysis"
META_COMMUNITIES = "analysis.communities"


def _rows(frame: pd.DataFrame) -> list[tuple[str, dict[str, Any]]]:
    """(key, props) per account, leaving out missing values."""
    cols = [c for c in RESULT_COLUMNS if c in frame.columns]
    data = {c: frame[c].to_numpy() for c in cols}
    keys = frame["key"].astype(str).tolist()
    out: list[tuple[str, dict[str, Any]]] = []
    for i, key in enumerate(keys):
        props: dict[str, Any] = {}
        for c in cols:
            v = data[c][i]
            if v is None or (isinstance(v, float) and not np.isfinite(v)):
                continue
            props[c] = int(v) if c in _INT_COLUMNS else float(v)
        out.append((key, props))
    return out


def _groups_of(ag: ActorGraph) -> pd.Series:
    return pd.Series(ag.accounts["group"].to_numpy(dtype=object),
                     index=ag.accounts["key"].astype(str).to_numpy())


def run_analysis(
    ag: ActorGraph,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    method: str = "leiden",
    objective: str = "modularity",
    stability_runs: int = 0,
    betweenness_sample: int | None = None,
    brokerage_budget: int | None = None,
    holes_budget: int | None = None,
    store: Store | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> AnalysisResult:
    """Communities, influence, bridges and structural holes of an actor graph (nothing written).

    Parameters
    ----------
    ag : ActorGraph
        Its ``group`` column holds the stance groups (or none).
    resolution, seed, method, objective
        Community detection (see :func:`~netmap.analysis.communities.detect_communities`).
    stability_runs : int
        With 2 or more, communities are the consensus of that many seeds
        (``seed``, ``seed + 1``, ...) and each account gets its
        ``community_agreement`` (see :func:`~netmap.analysis.communities.consensus`).
    betweenness_sample : int, optional
        Sources for sampled betweenness; None decides by graph size (see
        :func:`~netmap.analysis.bridges.betweenness`).
    brokerage_budget, holes_budget : int, optional
        Work caps of :func:`~netmap.analysis.brokerage.brokerage` and
        :func:`~netmap.analysis.structural_holes.structural_holes`.
    store : Store, optional
        When given, the community summary adds each community's top URLs,
        hashtags and posts from the store's posts.
    on_stage : callable, optional
        Called with each stage's name as it ends (communities, influence,
        bridges, structural_holes, summary): the benchmarks read peak memory there.

    Returns
    -------
    AnalysisResult
        ``timings`` has each stage and, as ``influence.<part>`` and
        ``bridges.<part>``, the parts of those two.
    """
    timings: dict[str, float] = {}

    def done(stage: str) -> None:
        if on_stage is not None:
            on_stage(stage)

    t0 = time.perf_counter()
    if stability_runs >= 2:
        comm: CommunityResult = consensus(
            ag, seeds=range(seed, seed + stability_runs), resolution=resolution, method=method,
            objective=objective)
    else:
        comm = detect_communities(ag, resolution=resolution, seed=seed, method=method,
                                  objective=objective)
    timings["communities"] = time.perf_counter() - t0
    done("communities")

    groups = _groups_of(ag)
    t0 = time.perf_counter()
    parts: dict[str, float] = {}
    infl = influence(ag, groups=groups, seed=seed, timings=parts)
    timings["influence"] = time.perf_counter() - t0
    timings.update({f"influence.{k}": v for k, v in parts.items()})
    done("influence")

    t0 = time.perf_counter()
    parts = {}
    br = bridges(ag, groups, comm.membership, betweenness_sample=betweenness_sample, seed=seed,
                 brokerage_budget=brokerage_budget, timings=parts)
    mixing = mixing_matrix(ag, groups)
    ei = ei_index(ag, groups)
    assort = assortativity(ag, groups)
    timings["bridges"] = time.perf_counter() - t0
    timings.update({f"bridges.{k}": v for k, v in parts.items()})
    done("bridges")

    t0 = time.perf_counter()
    holes = (structural_holes(ag, seed=seed) if holes_budget is None
             else structural_holes(ag, budget=holes_budget, seed=seed))
    timings["structural_holes"] = time.perf_counter() - t0
    done("structural_holes")

    accounts = infl.copy()
    accounts.insert(1, "community", comm.membership)
    agreement = getattr(comm, "agreement", None)
    if agreement is not None and len(agreement) == ag.n:
        accounts.insert(2, "community_agreement", agreement)
    for c in br.columns:
        if c == "key":
            continue
        name = f"broker_{c}" if c in ROLES else c
        accounts[name] = br[c].to_numpy()
    accounts["constraint"] = holes["constraint"].to_numpy()
    accounts["effective_size"] = holes["effective_size"].to_numpy()

    t0 = time.perf_counter()
    summary = community_summary(ag, comm, scores=infl["indegree"].to_numpy(), store=store)
    timings["summary"] = time.perf_counter() - t0
    done("summary")

    parameters: dict[str, Any] = {
        "resolution": resolution,
        "seed": seed,
        "method": method,
        "objective": objective,
        "stability_runs": stability_runs,
        "weights": dict(ag.weights),
        "since": ag.since,
        "until": ag.until,
        "betweenness_sample": betweenness_sample,
        "brokerage_budget": brokerage_budget,
        "holes_budget": holes_budget,
    }
    return AnalysisResult(
        algorithm=comm.algorithm,
        parameters=parameters,
        fingerprint=ag.fingerprint,
        timings=timings,
        actor_graph=ag,
        community=comm,
        accounts=accounts,
        communities=summary,
        mixing=mixing,
        ei=ei,
        assortativity=assort,
        betweenness_sample=br.attrs.get("betweenness_sample"),
        extra={
            "bridge_basis": br.attrs.get("basis"),
            "brokerage": br.attrs.get("brokerage"),
            "structural_holes": dict(holes.attrs),
            "reach2_method": infl.attrs.get("reach2_method"),
            "hits_iterations": infl.attrs.get("hits_iterations"),
        },
    )


def _cache_key(store: Store, weights: Mapping[str, float] | None, since: str | None,
               until: str | None, parameters: dict[str, Any]) -> str:
    """What a stored run must match to be reused: data, projection, stance groups, parameters."""
    from .project import _check_weights, _fingerprint, _normalise_bound

    w = _check_weights(weights)
    fp = _fingerprint(store, w, _normalise_bound(since, "since"), _normalise_bound(until, "until"))
    acc = store.nodes("Account", columns=["group"])
    h = hashlib.sha256()
    keys = acc["key"].astype(str).to_numpy(dtype=object)
    grp = acc["group"].astype(object).where(acc["group"].notna(), "").astype(str).to_numpy(
        dtype=object)
    order = np.argsort(keys, kind="stable")
    h.update("\x1f".join(f"{k}\x1e{g}" for k, g in zip(keys[order], grp[order], strict=True)
                         ).encode())
    basis = json.dumps([fp, h.hexdigest(), parameters], sort_keys=True, default=str)
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _cached(store: Store, key: str) -> AnalysisResult | None:
    raw = store.meta(META_KEY)
    if not raw:
        return None
    try:
        meta = json.loads(raw)
    except ValueError:
        return None
    if meta.get("cache_key") != key:
        return None
    return AnalysisResult.from_meta(meta)


def analyze(
    store: Store,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    weights: Mapping[str, float] | None = None,
    since: str | None = None,
    until: str | None = None,
    betweenness_sample: int | None = None,
    method: str = "leiden",
    objective: str = "modularity",
    stability_runs: int = 0,
    brokerage_budget: int | None = None,
    holes_budget: int | None = None,
    force: bool = False,
) -> AnalysisResult:
    """Project the actor graph, find communities, influencers and bridges; store the results.

    Parameters
    ----------
    store : Store
    resolution, seed, method, objective, stability_runs
        Community detection (see :func:`run_analysis`).
    weights, since, until
        Projection (see :func:`~netmap.analysis.project.actor_graph`).
    betweenness_sample, brokerage_budget, holes_budget
        Work caps for large graphs (see :func:`run_analysis`).
    force : bool
        Recompute even when the stored run used the same data, stance groups
        and parameters (otherwise that run is returned, ``cached=True``).

    Returns
    -------
    AnalysisResult
        Also written: the Account properties in :data:`RESULT_COLUMNS`, the
        run's summary (parameters, fingerprint, cache key, timings) as JSON
        in the store's ``analysis`` meta entry, and the community summary
        (with top URLs, hashtags and posts) in ``analysis.communities``.

    Raises
    ------
    AnalysisError
        When the store holds no account with a post or an interaction.
    """
    params_for_key = {
        "resolution": resolution, "seed": seed, "method": method, "objective": objective,
        "stability_runs": stability_runs, "betweenness_sample": betweenness_sample,
        "brokerage_budget": brokerage_budget, "holes_budget": holes_budget,
    }
    t_start = time.perf_counter()
    key = _cache_key(store, weights, since, until, params_for_key)
    if not force:
        hit = _cached(store, key)
        if hit is not None:
            hit.timings = {"cache_check": time.perf_counter() - t_start}
            return hit

    t0 = time.perf_counter()
    ag = actor_graph(store, weights=weights, since=since, until=until, edge_attributes=False)
    t_project = time.perf_counter() - t0
    if ag.graph.vcount() == 0:
        window = " in the --since/--until window" if (since or until) else ""
        raise AnalysisError(
            f"nothing to analyze: no account authored a post or interacted{window}; "
            "run `netmap collect` first (or widen the window)"
        )
    result = run_analysis(
        ag, resolution=resolution, seed=seed, method=method, objective=objective,
        stability_runs=stability_runs, betweenness_sample=betweenness_sample,
        brokerage_budget=brokerage_budget, holes_budget=holes_budget, store=store)
    result.timings = {"project": t_project, **result.timings}

    t0 = time.perf_counter()
    result.written = store.set_props("Account", _rows(result.accounts),
                                     clear=list(RESULT_COLUMNS))
    result.timings["write"] = time.perf_counter() - t0

    meta = result.summary()
    meta["bridge_basis"] = result.extra.get("bridge_basis")
    meta["cache_key"] = key
    meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    store.set_meta(META_KEY, json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str))
    store.set_meta(META_COMMUNITIES, result.communities.to_json(orient="records",
                                                                force_ascii=False))
    return result
