"""Analyses of the actor graph: communities, influence, bridges.

:func:`analyze` runs them all on a store and writes the per-account results
back as Account properties (:data:`RESULT_COLUMNS`), so tables, exports and
Cypher queries read them without recomputing. Each step is also a library
function of its own::

    from netmap.analysis.project import actor_graph
    from netmap.analysis.communities import detect_communities
    ag = actor_graph(store)
    res = detect_communities(ag, resolution=1.5, seed=1)
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..store.base import Store
from .bridges import assortativity, bridges, ei_index, mixing_matrix
from .communities import community_summary, detect_communities
from .influence import influence
from .project import DEFAULT_WEIGHTS, INTERACTION_TYPES, ActorGraph, actor_graph
from .results import AnalysisResult, CommunityResult, nmi

__all__ = [
    "analyze",
    "AnalysisResult",
    "CommunityResult",
    "ActorGraph",
    "actor_graph",
    "detect_communities",
    "influence",
    "bridges",
    "mixing_matrix",
    "ei_index",
    "assortativity",
    "nmi",
    "RESULT_COLUMNS",
    "DEFAULT_WEIGHTS",
    "INTERACTION_TYPES",
]

# Account properties analyze() owns: cleared on every Account before a run
# writes its own, so an account that left the graph keeps no stale value.
RESULT_COLUMNS: tuple[str, ...] = (
    "community", "pagerank", "indegree", "hub", "authority", "coreness", "reach",
    "cross_platform_reach", "betweenness", "cross_group_share", "n_groups_touched",
    "bridge_score",
)

_INT_COLUMNS = ("community", "coreness", "reach", "cross_platform_reach", "n_groups_touched")


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
) -> AnalysisResult:
    """Project the actor graph, find communities, influencers and bridges; store the results.

    Parameters
    ----------
    store : Store
    resolution, seed, method
        Community detection (see :func:`~netmap.analysis.communities.detect_communities`).
    weights, since, until
        Projection (see :func:`~netmap.analysis.project.actor_graph`).
    betweenness_sample : int, optional
        Sources for sampled betweenness; None decides by graph size (see
        :func:`~netmap.analysis.bridges.betweenness`).

    Returns
    -------
    AnalysisResult
        Also written: the Account properties in :data:`RESULT_COLUMNS`, and
        the run's parameters, fingerprint and timings as JSON in the store's
        ``analysis`` meta entry.

    Raises
    ------
    AnalysisError
        When the store holds no account with a post or an interaction.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ag = actor_graph(store, weights=weights, since=since, until=until)
    timings["project"] = time.perf_counter() - t0
    if ag.graph.vcount() == 0:
        window = " in the --since/--until window" if (since or until) else ""
        raise AnalysisError(
            f"nothing to analyze: no account authored a post or interacted{window}; "
            "run `netmap collect` first (or widen the window)"
        )

    t0 = time.perf_counter()
    comm = detect_communities(ag, resolution=resolution, seed=seed, method=method)
    timings["communities"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    infl = influence(ag)
    timings["influence"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    groups = pd.Series(ag.accounts["group"].to_numpy(), index=ag.accounts["key"].to_numpy())
    br = bridges(ag, groups, comm.membership, betweenness_sample=betweenness_sample, seed=seed)
    mixing = mixing_matrix(ag, groups)
    ei = ei_index(ag, groups)
    assort = assortativity(ag, groups)
    timings["bridges"] = time.perf_counter() - t0

    accounts = infl.copy()
    accounts.insert(1, "community", comm.membership)
    for c in br.columns:
        if c != "key":
            accounts[c] = br[c].to_numpy()
    summary = community_summary(ag, comm, scores=infl["pagerank"].to_numpy())

    t0 = time.perf_counter()
    written = store.set_props("Account", _rows(accounts), clear=list(RESULT_COLUMNS))
    timings["write"] = time.perf_counter() - t0

    parameters: dict[str, Any] = {
        "resolution": resolution,
        "seed": seed,
        "method": method,
        "weights": dict(ag.weights),
        "since": ag.since,
        "until": ag.until,
        "betweenness_sample": betweenness_sample,
    }
    result = AnalysisResult(
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
        written=written,
        extra={"bridge_basis": br.attrs.get("basis")},
    )
    meta = result.summary()
    meta["bridge_basis"] = br.attrs.get("basis")
    meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    store.set_meta("analysis", json.dumps(meta, ensure_ascii=False, sort_keys=True))
    return result
