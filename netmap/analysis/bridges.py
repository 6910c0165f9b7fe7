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
* ``participation_group``, ``participation_community``: the Guimerà–Amaral
  participation coefficient of its tie weight over groups / communities
  (:func:`participation`).
* ``coordinator`` ... ``liaison``, ``brokerage``: Gould–Fernandez brokerage
  counts over the groups (:mod:`netmap.analysis.brokerage`), and
  ``brokerage_cross_share``, the share of the content two-paths through it
  that cross groups (all but the coordinator ones).
* ``bridge_score``: ``sqrt(crossing * betweenness_rank)``, the geometric
  mean of how much the account crosses groups and its betweenness percentile
  rank among accounts that lie on any shortest path (0 for those on none).
  ``crossing`` is the larger of ``cross_group_share`` (its ties cross) and
  the share of its content two-paths that cross (a gatekeeper's ties are
  half inside its camp, yet all it passes on comes from outside), that
  share shrunk towards the tie share with the weight of :data:`FLOW_PRIOR`
  (100) two-paths: ``(crossing paths + 100 * tie share) / (paths + 100)``,
  so a few dozen paths that happen to cross weigh little against an
  account's ties, thousands a lot. Both factors must be high: an account whose only tie is one
  reply across the divide crosses fully but lies on no path (score 0), a hub
  inside one camp lies on many paths but crosses little. Ranks, not raw
  betweenness, because betweenness is heavy-tailed: one super-hub would
  otherwise squash every other bridge towards 0. On the bundled Tajikistan
  example (groups from its truth file) this ranks first the blogger whose
  post all four camps discussed, then the boycott blogger answering it.

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
    "participation",
    "FLOW_PRIOR",
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
# 1e8 is about 8 s of weighted single-source passes at 100k accounts / 1M ties
# (100 sources, 0.075 s each) on the reference machine.
BETWEENNESS_BUDGET = 100_000_000
# Fewest sampled sources. Cache misses make big graphs dearer per unit: a
# source costs 2-2.5 s at 1M accounts / 9M ties, so 10 sources (about 25 s)
# is what a three-minute analysis affords there (the budget alone would give
# 10 too). Bridge scores use betweenness *ranks*, and with 10 sources the 15
# best-scored accounts of the 1M benchmark graph are still all planted
# brokers (benchmarks/RESULTS.md).
MIN_SAMPLE = 10

# Weight, in two-paths, of the tie share when it tempers the flow share (bridge_score).
FLOW_PRIOR = 100.0

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
    if isinstance(groups, np.ndarray) and np.issubdtype(groups.dtype, np.integer):
        # a community membership: no string round trip (a second at a million accounts)
        if len(groups) != n:
            raise UsageError(f"groups has {len(groups)} values for {n} accounts")
        ok = groups >= 0
        uniq, inv = np.unique(groups[ok], return_inverse=True)
        codes = np.full(n, -1, dtype=np.int64)
        codes[ok] = inv
        return codes, [str(u) for u in uniq.tolist()]
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


def _by_label(ag: ActorGraph, codes: np.ndarray, n_labels: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tie weight (both directions) per (vertex, partner's label), sparse: ``(vertex, label, weight)``.

    Sparse because communities can number in the hundreds of thousands: a
    dense vertex x label matrix would not fit at a million accounts.
    """
    a, b, w = _both_directions(ag)
    lab = codes[b]
    m = lab >= 0
    a, lab, w = a[m], lab[m], w[m]
    k = max(n_labels, 1)
    code = a * np.int64(k) + lab
    if ag.n * k <= 50_000_000:  # few labels (stance groups): a dense count is 20x faster
        dense = np.bincount(code, weights=w, minlength=ag.n * k)
        pair = np.flatnonzero(np.bincount(code, minlength=ag.n * k))
        return pair // k, pair % k, dense[pair]
    pair, inv = np.unique(code, return_inverse=True)
    return pair // k, pair % k, np.bincount(inv, weights=w)


def _share_touched(v: np.ndarray, lab: np.ndarray, w: np.ndarray, codes: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    n = len(codes)
    total = np.bincount(v, weights=w, minlength=n)
    own = lab == codes[v]
    same_own = np.bincount(v[own], weights=w[own], minlength=n)
    biggest = np.zeros(n)
    np.maximum.at(biggest, v, w)
    same = np.where(codes >= 0, same_own, biggest)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, (total - same) / total, np.nan)
    # Rounding can leave -1e-17 for accounts with all ties inside their group.
    share = np.clip(share, 0.0, 1.0)
    touched = np.bincount(v, minlength=n).astype(np.int64)
    return share, touched


def _participation(v: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    total = np.bincount(v, weights=w, minlength=n)
    sq = np.bincount(v, weights=w * w, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, 1.0 - sq / np.where(total > 0, total, 1.0) ** 2, np.nan)
    return np.clip(out, 0.0, 1.0)


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
    return _share_touched(*_by_label(ag, codes, n_groups), codes)


def participation(ag: ActorGraph, groups: GroupsLike | None) -> np.ndarray:
    """Guimerà–Amaral participation coefficient per account over the given labels.

    ``P_i = 1 - sum_s (k_is / k_i)^2`` with ``k_is`` the tie weight (both
    directions) between account ``i`` and accounts labelled ``s`` and ``k_i``
    its total over labelled partners. 0: all ties into one group or
    community; towards ``1 - 1/S`` when spread evenly over ``S`` of them. NaN
    with no labelled partner. ``groups`` as :func:`group_codes` (stance
    groups, or a community membership).
    """
    codes, labels = group_codes(ag, groups)
    n = ag.n
    if not labels:
        return np.full(n, np.nan)
    v, _, w = _by_label(ag, codes, len(labels))
    return _participation(v, w, n)


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
    g = ag.undirected()
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
    brokerage_budget: int | None = None,
    timings: dict[str, float] | None = None,
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
    brokerage_budget : int, optional
        Two-path pairs examined by :func:`~netmap.analysis.brokerage.brokerage`
        (default :data:`~netmap.analysis.brokerage.BROKERAGE_BUDGET`).
    timings : dict, optional
        Receives the seconds each part took.

    Returns
    -------
    DataFrame
        ``key, cross_group_share, n_groups_touched, cross_community_share,
        participation_group, participation_community, betweenness,
        betweenness_rank, brokerage_cross_share, bridge_score`` plus the
        Gould–Fernandez role counts (``coordinator`` ... ``liaison``,
        ``brokerage``) over the basis labels. ``attrs`` records ``basis``
        (``"group"``, ``"community"`` or ``None``), ``betweenness_sample``
        (sources used, None when exact) and ``brokerage`` (its attrs).
    """
    from .brokerage import BROKERAGE_BUDGET, ROLES, brokerage
    from .influence import _Clock

    clock = _Clock(timings)
    n = ag.graph.vcount()
    nan = np.full(n, np.nan)
    gcodes, glabels = group_codes(ag, groups)
    out = pd.DataFrame({"key": ag.accounts["key"].to_numpy()})
    if glabels:
        gv, glab, gw = _by_label(ag, gcodes, len(glabels))
        share, touched = _share_touched(gv, glab, gw, gcodes)
        gpart = _participation(gv, gw, n)
    else:
        share, touched, gpart = nan, np.zeros(n, dtype=np.int64), nan
    out["cross_group_share"] = share
    out["n_groups_touched"] = touched
    ccodes, clabels = group_codes(ag, communities)
    if clabels:
        cv, clab, cw = _by_label(ag, ccodes, len(clabels))
        cshare, _ = _share_touched(cv, clab, cw, ccodes)
        cpart = _participation(cv, cw, n)
    else:
        cshare, cpart = nan, nan
    out["cross_community_share"] = cshare
    out["participation_group"] = gpart
    out["participation_community"] = cpart
    clock("cross_shares")
    bt, used = betweenness(ag, sample=betweenness_sample, seed=seed)
    clock("betweenness")
    out["betweenness"] = bt
    rank = _percentile_rank(bt)
    out["betweenness_rank"] = rank
    if glabels:
        basis: str | None = "group"
        mix, labels_for = share, (gcodes, glabels)
    elif clabels:
        basis = "community"
        mix, labels_for = cshare, (ccodes, clabels)
    else:
        basis, mix, labels_for = None, np.ones(n), None
    if labels_for is not None:
        br = brokerage(ag, None, codes=labels_for, seed=seed,
                       budget=BROKERAGE_BUDGET if brokerage_budget is None else brokerage_budget)
        total = br["brokerage"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            flow_share = np.where(total > 0, 1.0 - br["coordinator"].to_numpy() / total, np.nan)
        for r in (*ROLES, "brokerage"):
            out[r] = br[r].to_numpy()
        out.attrs["brokerage"] = dict(br.attrs)
    else:
        flow_share = np.full(n, np.nan)
        out.attrs["brokerage"] = None
    clock("brokerage")
    out["brokerage_cross_share"] = flow_share
    # The stronger of two signals that an account sits between camps: its
    # ties cross, or the content flowing through it does (a gatekeeper's ties
    # are half inside its camp, but everything it passes on comes from outside).
    # The flow share is shrunk towards the tie share with the weight of
    # FLOW_PRIOR two-paths, so an account whose few dozen two-paths happen to
    # all cross cannot outrank brokers carrying thousands.
    tie_share = np.nan_to_num(mix, nan=0.0)
    if labels_for is not None:
        total = out["brokerage"].to_numpy(dtype=float)
        crossed = total - out["coordinator"].to_numpy(dtype=float)
        flow = (crossed + FLOW_PRIOR * tie_share) / (total + FLOW_PRIOR)
    else:
        flow = tie_share
    crossing = np.fmax(tie_share, flow)
    out["bridge_score"] = np.sqrt(crossing * rank)
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
