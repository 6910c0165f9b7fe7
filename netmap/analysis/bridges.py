"""Bridges between stance groups (or communities), and how mixed the groups are.

Per account:

* ``cross_group_share``: the share of its tie weight (in and out) that goes to
  accounts of another group, among ties to accounts that have a group. For an
  account with no group itself, the share not going to the group it is most
  tied to (so an unassigned account split evenly between two camps scores 0.5,
  one tied to a single camp 0).
* ``n_groups_touched``: how many distinct groups its tie partners belong to.
* ``betweenness``: weighted betweenness on the undirected, weight-summed actor
  graph with distance ``1/weight`` (a strong tie is a short one), normalised
  to [0, 1] by the number of account pairs. Exact on small graphs; on large
  ones estimated from a random sample of source accounts (see
  :func:`betweenness`).
* ``bridge_score``: ``sqrt(cross_group_share * betweenness_rank)``, the
  geometric mean of the cross-group share and the betweenness percentile rank
  among accounts that lie on any shortest path (0 for those on none). Both
  must be high: an account whose only tie is one reply across the divide has
  share 1 but lies on no path (score 0), a hub inside one camp lies on many
  paths but has share near 0. Ranks, not raw betweenness, because betweenness
  is heavy-tailed: one super-hub would otherwise squash every other bridge
  towards 0. On the bundled Tajikistan example (groups from its truth file)
  this ranks first the blogger whose post all four camps discussed, then the
  boycott blogger answering it.

Group-level: :func:`mixing_matrix` (tie weight from group to group),
:func:`ei_index` (Krackhardt's E-I index per group) and :func:`assortativity`
(Newman's nominal assortativity by group).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from ..errors import UsageError

if TYPE_CHECKING:
    from .project import ActorGraph

__all__ = [
    "bridges",
    "betweenness",
    "cross_group_share",
    "mixing_matrix",
    "ei_index",
    "assortativity",
    "group_codes",
    "BETWEENNESS_BUDGET",
    "MIN_SAMPLE",
]

# Work allowed for betweenness, in vertex x (vertices + edges) units: one
# single-source pass costs about n + m, so exact betweenness costs n (n + m).
# 1e8 is about 10 s of weighted single-source passes at 100k accounts / 1M ties
# on the reference machine (cache misses make big graphs dearer per unit).
BETWEENNESS_BUDGET = 100_000_000
# Fewest sampled sources worth estimating from.
MIN_SAMPLE = 100

GroupsLike: TypeAlias = pd.Series | Sequence[Any] | np.ndarray


def group_codes(ag: ActorGraph, groups: GroupsLike | None) -> tuple[np.ndarray, list[str]]:
    """Integer group code per vertex (-1 = no group) and the sorted group labels.

    ``groups`` is either a Series indexed by account key (missing keys and
    NaN/empty values mean no group) or a sequence aligned with the vertices
    (e.g. a community membership).
    """
    n = ag.graph.vcount()
    if groups is None:
        return np.full(n, -1, dtype=np.int64), []
    if isinstance(groups, pd.Series) and not isinstance(groups.index, pd.RangeIndex):
        vals = groups[~groups.index.duplicated()].reindex(ag.accounts["key"].to_numpy())
    else:
        vals = pd.Series(np.asarray(groups, dtype=object))
        if len(vals) != n:
            raise UsageError(f"groups has {len(vals)} values for {n} accounts")
    vals = vals.astype(object)
    missing = vals.isna() | (vals.astype(str).str.strip() == "")
    labels = sorted({str(v) for v in vals[~missing]})
    index = pd.Index(labels)
    codes = np.full(n, -1, dtype=np.int64)
    if labels:
        codes[~missing.to_numpy()] = index.get_indexer(vals[~missing].astype(str).to_numpy())
    return codes, labels


def _both_directions(ag: ActorGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    e = ag.edges
    s = e["source"].to_numpy(dtype=np.int64)
    t = e["target"].to_numpy(dtype=np.int64)
    w = e["weight"].to_numpy(dtype=float)
    return np.concatenate([s, t]), np.concatenate([t, s]), np.concatenate([w, w])


def cross_group_share(
    ag: ActorGraph, codes: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Cross-group share of tie weight and number of groups touched, per vertex.

    See the module docstring for the definition; NaN where an account has no
    tie to an account with a group.
    """
    n = ag.graph.vcount()
    if n_groups == 0:
        return np.full(n, np.nan), np.zeros(n, dtype=np.int64)
    a, b, w = _both_directions(ag)
    m = codes[b] >= 0
    a, gb, w = a[m], codes[b][m], w[m]
    by_group = np.bincount(a * n_groups + gb, weights=w, minlength=n * n_groups).reshape(
        n, n_groups
    )
    total = by_group.sum(axis=1)
    own = codes >= 0
    same = np.where(own, by_group[np.arange(n), np.maximum(codes, 0)], by_group.max(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, (total - same) / total, np.nan)
    # Rounding can leave -1e-17 for accounts with all ties inside their group.
    share = np.clip(share, 0.0, 1.0)
    touched = (by_group > 0).sum(axis=1).astype(np.int64)
    return share, touched


def betweenness(
    ag: ActorGraph, *, sample: int | None = None, seed: int = 42
) -> tuple[np.ndarray, int | None]:
    """Normalised weighted betweenness per vertex, exact or sampled.

    Parameters
    ----------
    ag : ActorGraph
    sample : int, optional
        Number of source accounts to estimate from. ``None`` decides by size:
        exact while ``n * (n + m)`` stays within :data:`BETWEENNESS_BUDGET`,
        else as many sources as the budget allows (at least
        :data:`MIN_SAMPLE`). A sample of ``n`` or more is exact.
    seed : int
        Seed for drawing the sources.

    Returns
    -------
    (values, k)
        ``values`` in [0, 1] (vertex order), ``k`` the number of sources used,
        or None when exact.

    Notes
    -----
    igraph's subset betweenness (``Graph.betweenness(sources=S)``) sums
    pair dependencies over shortest paths starting in ``S``; with ``S`` a
    uniform sample of ``k`` of the ``n`` vertices, ``n / k`` times it is an
    unbiased estimate of the full betweenness (Brandes & Pich 2007).
    """
    from .communities import undirected_weighted

    g = undirected_weighted(ag.graph)
    n, m = g.vcount(), g.ecount()
    if n < 3 or m == 0:
        return np.zeros(n), None
    if sample is None:
        k = n if n * (n + m) <= BETWEENNESS_BUDGET else max(MIN_SAMPLE, BETWEENNESS_BUDGET // (n + m))
    else:
        if sample < 1:
            raise UsageError(f"betweenness sample must be at least 1 source, not {sample}")
        k = int(sample)
    dist = (1.0 / np.asarray(g.es["weight"], dtype=float)).tolist()
    if k >= n:
        raw = np.asarray(g.betweenness(directed=False, weights=dist), dtype=float)
        used: int | None = None
    else:
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(n, size=k, replace=False)).tolist()
        raw = np.asarray(
            g.betweenness(directed=False, weights=dist, sources=sources), dtype=float
        ) * (n / k)
        used = k
    pairs = (n - 1) * (n - 2) / 2.0
    return np.clip(raw / pairs, 0.0, None), used


def _percentile_rank(values: np.ndarray) -> np.ndarray:
    """Share of the positive values that are <= each value (the largest gets 1); 0 for zero.

    Ranked among positives only: on a typical actor graph most accounts are
    leaves with zero betweenness, and ranking against them would lift any
    account on a single shortest path to the middle of the scale.
    """
    v = np.nan_to_num(values, nan=0.0)
    out = np.zeros(len(v))
    pos = v > 0
    if pos.any():
        out[pos] = pd.Series(v[pos]).rank(method="max").to_numpy() / int(pos.sum())
    return out


def bridges(
    ag: ActorGraph,
    groups: GroupsLike | None = None,
    communities: GroupsLike | None = None,
    *,
    betweenness_sample: int | None = None,
    seed: int = 42,
) -> pd.DataFrame:
    """Bridge metrics per account, one row per actor-graph vertex (vertex order).

    Parameters
    ----------
    ag : ActorGraph
    groups : Series or sequence, optional
        Stance group per account (Series indexed by key, or aligned with the
        vertices). When no account has a group, the communities stand in.
    communities : sequence, optional
        Community id per vertex (``CommunityResult.membership``).
    betweenness_sample : int, optional
        See :func:`betweenness`.
    seed : int

    Returns
    -------
    DataFrame
        ``key, cross_group_share, n_groups_touched, cross_community_share,
        betweenness, betweenness_rank, bridge_score``. ``attrs`` records
        ``basis`` (``"group"``, ``"community"`` or ``None``) and
        ``betweenness_sample`` (sources used, None when exact).
    """
    n = ag.graph.vcount()
    gcodes, glabels = group_codes(ag, groups)
    out = pd.DataFrame({"key": ag.accounts["key"].to_numpy()})
    share, touched = cross_group_share(ag, gcodes, len(glabels))
    out["cross_group_share"] = share
    out["n_groups_touched"] = touched
    if communities is not None:
        ccodes, clabels = group_codes(ag, communities)
        cshare, _ = cross_group_share(ag, ccodes, len(clabels))
    else:
        cshare = np.full(n, np.nan)
    out["cross_community_share"] = cshare
    bt, used = betweenness(ag, sample=betweenness_sample, seed=seed)
    out["betweenness"] = bt
    rank = _percentile_rank(bt)
    out["betweenness_rank"] = rank
    if glabels:
        basis: str | None = "group"
        mix = share
    elif communities is not None:
        basis = "community"
        mix = cshare
    else:
        basis, mix = None, np.ones(n)
    out["bridge_score"] = np.sqrt(np.nan_to_num(mix, nan=0.0) * rank)
    out.attrs["basis"] = basis
    out.attrs["betweenness_sample"] = used
    return out


def mixing_matrix(ag: ActorGraph, groups: GroupsLike | None) -> pd.DataFrame:
    """Tie weight from each group (rows: acting accounts) to each group (columns).

    Only ties between two accounts that both have a group count.
    """
    codes, labels = group_codes(ag, groups)
    k = len(labels)
    e = ag.edges
    s = codes[e["source"].to_numpy(dtype=np.int64)] if len(e) else np.zeros(0, np.int64)
    t = codes[e["target"].to_numpy(dtype=np.int64)] if len(e) else np.zeros(0, np.int64)
    m = (s >= 0) & (t >= 0)
    w = e["weight"].to_numpy(dtype=float)[m] if len(e) else np.zeros(0)
    mat = np.bincount(s[m] * k + t[m], weights=w, minlength=k * k).reshape(k, k) if k else (
        np.zeros((0, 0))
    )
    return pd.DataFrame(mat, index=pd.Index(labels, name="from"),
                        columns=pd.Index(labels, name="to"))


def ei_index(ag: ActorGraph, groups: GroupsLike | None) -> pd.DataFrame:
    """Krackhardt's E-I index per group: ``(external - internal) / (external + internal)``.

    ``internal`` is the weight of ties among the group's members (each tie
    once), ``external`` the weight of ties, either way, between a member and an
    account of another group. -1: a closed camp; +1: all ties go outside.
    Columns ``group, members, internal, external, ei``.
    """
    codes, labels = group_codes(ag, groups)
    mat = mixing_matrix(ag, groups).to_numpy()
    internal = np.diag(mat).copy() if len(labels) else np.zeros(0)
    external = mat.sum(axis=1) + mat.sum(axis=0) - 2 * internal if len(labels) else np.zeros(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(internal + external > 0,
                      (external - internal) / (internal + external), np.nan)
    members = np.bincount(codes[codes >= 0], minlength=len(labels))
    return pd.DataFrame({"group": labels, "members": members, "internal": internal,
                         "external": external, "ei": ei})


def assortativity(ag: ActorGraph, groups: GroupsLike | None, *, directed: bool = True,
                  weighted: bool = True) -> float:
    """Newman's nominal assortativity of the group labels over the ties among grouped accounts.

    ``r = (sum_i e_ii - sum_i a_i b_i) / (1 - sum_i a_i b_i)`` with ``e`` the
    mixing matrix normalised to sum 1 (tie weights, or tie counts when
    ``weighted`` is False), ``a``/``b`` its row/column sums; undirected uses the
    symmetrised matrix. 1: ties stay within groups; 0: no preference; negative:
    ties prefer other groups. NaN with fewer than two groups or no tie between
    grouped accounts.

    Computed here rather than with igraph's ``assortativity_nominal``, whose
    ``weights`` argument fails in python-igraph 1.0 (SystemError).
    """
    codes, labels = group_codes(ag, groups)
    k = len(labels)
    if k < 2 or not len(ag.edges):
        return float("nan")
    s = codes[ag.edges["source"].to_numpy(dtype=np.int64)]
    t = codes[ag.edges["target"].to_numpy(dtype=np.int64)]
    m = (s >= 0) & (t >= 0)
    w = ag.edges["weight"].to_numpy(dtype=float)[m] if weighted else np.ones(int(m.sum()))
    e = np.bincount(s[m] * k + t[m], weights=w, minlength=k * k).reshape(k, k)
    if not directed:
        e = e + e.T
    total = e.sum()
    if total <= 0:
        return float("nan")
    e = e / total
    ab = float((e.sum(axis=1) * e.sum(axis=0)).sum())
    if ab >= 1.0:
        return float("nan")  # every tie inside one group: r is undefined
    return float((np.trace(e) - ab) / (1.0 - ab))
