"""Influence of each account in the actor graph.

Ties point from the acting account to the account acted upon (the sharer to
the shared author), so influence flows *in*: weighted in-degree, PageRank and
HITS authority reward accounts whose content others carry; HITS hub rewards
accounts that carry the content of authorities.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .project import INTERACTION_TYPES

if TYPE_CHECKING:
    from .project import ActorGraph

__all__ = ["influence", "REACH_TYPES", "INFLUENCE_COLUMNS"]

# Interactions that carry or answer an account's content: its reach.
REACH_TYPES: tuple[str, ...] = ("share", "quote", "comment")

INFLUENCE_COLUMNS: tuple[str, ...] = (
    "key", "indegree", "outdegree", *[f"in_{t}" for t in INTERACTION_TYPES],
    "pagerank", "hub", "authority", "coreness", "reach", "cross_platform_reach",
)


def _hits(g, weights) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Hub and authority scores; NaN when ARPACK does not converge (rare, tiny graphs)."""
    n = g.vcount()
    if g.ecount() == 0:
        return [0.0] * n, [0.0] * n
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            hub = np.clip(np.asarray(g.hub_score(weights=weights), dtype=float), 0.0, None)
            auth = np.clip(np.asarray(g.authority_score(weights=weights), dtype=float), 0.0, None)
            return hub.tolist(), auth.tolist()
    except Exception:  # igraph raises InternalError from ARPACK; the rest still stands
        return [float("nan")] * n, [float("nan")] * n


def influence(ag: ActorGraph, *, damping: float = 0.85) -> pd.DataFrame:
    """Influence metrics per account, one row per actor-graph vertex (vertex order).

    Columns
    -------
    key
    indegree, outdegree
        Weighted in/out-degree (sum of tie weights).
    in_<type>
        Interactions of each type received (counts, unweighted).
    pagerank
        Weighted, directed PageRank (damping 0.85); sums to 1.
    hub, authority
        Weighted HITS scores, scaled so the maximum is 1.
    coreness
        k-core number on the undirected simple graph.
    reach
        Distinct accounts that shared, quoted or commented on the account's
        posts (:data:`REACH_TYPES`).
    cross_platform_reach
        Those of them on another platform.

    Examples
    --------
    >>> infl = influence(ag)  # doctest: +SKIP
    >>> infl.nlargest(10, "pagerank")[["key", "pagerank", "reach"]]  # doctest: +SKIP
    """
    g = ag.graph
    n = g.vcount()
    e = ag.edges
    tgt = e["target"].to_numpy(dtype=np.int64)
    src = e["source"].to_numpy(dtype=np.int64)
    w = e["weight"].to_numpy(dtype=float)
    out = pd.DataFrame({"key": ag.accounts["key"].to_numpy()})
    out["indegree"] = np.bincount(tgt, weights=w, minlength=n)
    out["outdegree"] = np.bincount(src, weights=w, minlength=n)
    for t in INTERACTION_TYPES:
        out[f"in_{t}"] = np.bincount(
            tgt, weights=e[f"n_{t}"].to_numpy(dtype=float), minlength=n
        ).astype(np.int64)
    weights = "weight" if g.ecount() else None
    out["pagerank"] = g.pagerank(weights=weights, directed=True, damping=damping) if n else []
    hub, auth = _hits(g, weights)
    out["hub"] = hub
    out["authority"] = auth
    if n:
        simple = g.as_undirected(mode="collapse")
        out["coreness"] = np.asarray(simple.coreness(), dtype=np.int64)
    else:
        out["coreness"] = np.zeros(0, dtype=np.int64)
    # Each (source, target) pair is one edge, so counting edges counts distinct accounts.
    reach_mask = np.zeros(len(e), dtype=bool)
    for t in REACH_TYPES:
        reach_mask |= e[f"n_{t}"].to_numpy() > 0
    out["reach"] = np.bincount(tgt[reach_mask], minlength=n).astype(np.int64)
    cross = reach_mask & e["cross_platform"].to_numpy(dtype=bool)
    out["cross_platform_reach"] = np.bincount(tgt[cross], minlength=n).astype(np.int64)
    return out
