"""Influence of each account in the actor graph.

Ties point from the acting account to the account acted upon (the sharer to
the shared author), so influence flows *in*: weighted in-degree, PageRank and
HITS authority reward accounts whose content others carry; HITS hub rewards
accounts that carry the content of authorities.

Everything here is vectorised over the tie table or a sparse matrix, so a
million accounts take seconds: HITS and personalised PageRank are power
iterations on a SciPy CSR matrix (igraph's ARPACK-based HITS took 50 s at 1M
accounts where the power iteration takes 3), two-hop reach is an exact sparse
product on graphs where that is cheap and a min-hash estimate above
:data:`REACH_BUDGET`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from .project import INTERACTION_TYPES

if TYPE_CHECKING:
    from .bridges import GroupsLike
    from .project import ActorGraph

__all__ = [
    "influence",
    "pagerank",
    "hits",
    "group_pagerank",
    "reach",
    "group_influence",
    "REACH_TYPES",
    "REACH2_TYPES",
    "REACH_BUDGET",
    "INFLUENCE_COLUMNS",
]

# Interactions that carry or answer an account's content: its reach.
REACH_TYPES: tuple[str, ...] = ("share", "quote", "comment")
# The second hop: content passed on again (not argued with).
REACH2_TYPES: tuple[str, ...] = ("share", "quote")
# Work allowed for exact two-hop reach, in (account, engager, engager's engager)
# paths; beyond it reach2 is estimated from min-hash sketches.
REACH_BUDGET = 50_000_000
_SKETCH = 64  # min-hash functions: about 13% relative error per account

INFLUENCE_COLUMNS: tuple[str, ...] = (
    "key", "indegree", "outdegree", *[f"in_{t}" for t in INTERACTION_TYPES],
    "pagerank", "hub", "authority", "coreness", "reach", "reach2", "cross_platform_reach",
    "in_own_group", "in_other_groups", "group_pagerank",
)


class _Clock:
    """Adds the seconds since the previous call to ``timings[name]`` (a no-op without a dict)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        import time

        self._now = time.perf_counter
        self.timings = timings
        self.last = self._now()

    def __call__(self, name: str) -> None:
        t = self._now()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + t - self.last
        self.last = t


def _csr(ag: ActorGraph) -> Any:
    return ag.matrix()


def pagerank(ag: ActorGraph, *, damping: float = 0.85) -> np.ndarray:
    """Weighted, directed PageRank (igraph's PRPACK); sums to 1."""
    g = ag.graph
    if g.vcount() == 0:
        return np.zeros(0)
    return np.asarray(g.pagerank(weights="weight" if g.ecount() else None, directed=True,
                                 damping=damping), dtype=float)


def hits(ag: ActorGraph, *, tol: float = 1e-10, max_iter: int = 1000
         ) -> tuple[np.ndarray, np.ndarray, int]:
    """Weighted HITS hub and authority scores by power iteration, each scaled to a maximum of 1.

    ``authority = A^T hub`` and ``hub = A authority`` (``A`` the tie-weight
    matrix, row = acting account), iterated from uniform scores until the
    hub vector moves less than ``tol`` per account (L1) or ``max_iter``
    rounds. The fixed point is the leading singular pair of ``A``, as in
    networkx's ``hits`` and igraph's ``hub_score``/``authority_score``.

    Returns
    -------
    hub, authority, iterations
    """
    n = ag.n
    if n == 0 or len(ag.edges) == 0:
        return np.zeros(n), np.zeros(n), 0
    a_mat = _csr(ag)
    at = a_mat.T.tocsr()
    hub = np.ones(n)
    auth = np.zeros(n)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        auth = at @ hub
        auth /= auth.max()
        new = a_mat @ auth
        new /= new.max()
        done = np.abs(new - hub).sum() < tol * n
        hub = new
        if done:
            break
    return hub, auth, it


def _group_codes(ag: ActorGraph, groups: GroupsLike | None) -> tuple[np.ndarray, list[str]]:
    from .bridges import group_codes

    if groups is None and "group" in ag.accounts.columns:
        groups = pd.Series(ag.accounts["group"].to_numpy(), index=ag.accounts["key"].to_numpy())
    return group_codes(ag, groups)


def group_pagerank(
    ag: ActorGraph,
    groups: GroupsLike | None = None,
    *,
    damping: float = 0.85,
    tol: float = 1e-9,
    max_iter: int = 200,
) -> pd.DataFrame:
    """Personalised PageRank per group: the random surfer restarts at the group's own members.

    An account ranks high in group G's column when G's members (and the
    accounts they carry) keep coming back to it: G's influencers as G itself
    sees them. Dangling accounts (no outgoing tie) jump to the restart set,
    as networkx's ``pagerank(personalization=...)`` does. All groups iterate
    together as one sparse-matrix-times-dense-block product.

    Parameters
    ----------
    ag : ActorGraph
    groups : Series or sequence, optional
        Stance group per account (see :func:`netmap.analysis.bridges.group_codes`);
        default the actor graph's ``group`` column.
    damping, tol, max_iter
        Damping factor; stop when every column moves less than ``tol`` (L1).

    Returns
    -------
    DataFrame
        ``key`` plus one column per group (sorted labels), each summing to 1.
    """
    codes, labels = _group_codes(ag, groups)
    n, k = ag.n, len(labels)
    out = pd.DataFrame({"key": ag.accounts["key"].to_numpy()})
    if n == 0 or k == 0:
        return out
    a_mat = _csr(ag)
    outw = np.asarray(a_mat.sum(axis=1)).ravel()
    dangling = outw == 0
    inv = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, outw))
    pt = (a_mat.multiply(inv[:, None])).T.tocsr()  # column-stochastic transition
    reset = np.zeros((n, k))
    for j in range(k):
        members = codes == j
        reset[members, j] = 1.0 / max(int(members.sum()), 1)
    x = reset.copy()
    for _ in range(max_iter):
        lost = x[dangling].sum(axis=0)
        new = damping * (pt @ x + reset * lost) + (1.0 - damping) * reset
        delta = np.abs(new - x).sum(axis=0)
        x = new
        if (delta < tol).all():
            break
    x /= x.sum(axis=0, keepdims=True)
    for j, lab in enumerate(labels):
        out[lab] = x[:, j]
    return out


def group_influence(ag: ActorGraph, groups: GroupsLike | None = None) -> pd.DataFrame:
    """Tie weight an account receives from its own group and from other groups.

    Columns ``key, in_own_group, in_other_groups``; only ties from accounts
    with a group count, and both are NaN for an account without a group.
    """
    codes, labels = _group_codes(ag, groups)
    n = ag.n
    e = ag.edges
    s = e["source"].to_numpy(dtype=np.int64)
    t = e["target"].to_numpy(dtype=np.int64)
    w = e["weight"].to_numpy(dtype=float)
    gs, gt = codes[s], codes[t]
    known = (gs >= 0) & (gt >= 0)
    own = np.bincount(t[known & (gs == gt)], weights=w[known & (gs == gt)], minlength=n)
    other = np.bincount(t[known & (gs != gt)], weights=w[known & (gs != gt)], minlength=n)
    has = codes >= 0
    return pd.DataFrame({"key": ag.accounts["key"].to_numpy(),
                         "in_own_group": np.where(has, own, np.nan),
                         "in_other_groups": np.where(has, other, np.nan)})


def _type_mask(ag: ActorGraph, types: Sequence[str]) -> np.ndarray:
    e = ag.edges
    mask = np.zeros(len(e), dtype=bool)
    for t in types:
        if t not in INTERACTION_TYPES:
            raise UsageError(f"unknown interaction type {t!r}; use {', '.join(INTERACTION_TYPES)}")
        mask |= e[f"n_{t}"].to_numpy() > 0
    return mask


def reach(
    ag: ActorGraph,
    *,
    types: Sequence[str] = REACH_TYPES,
    second_types: Sequence[str] = REACH2_TYPES,
    budget: int = REACH_BUDGET,
    seed: int = 42,
) -> tuple[np.ndarray, np.ndarray, str]:
    """One- and two-hop reach: how many distinct accounts carried an account's content.

    ``reach``: accounts tied to it by one of ``types`` (shared, quoted or
    commented on its posts). ``reach2``: those, plus the accounts that passed
    *their* content on (``second_types``: shared or quoted one of them), the
    account itself excepted.

    Exact (a boolean sparse product) while the number of two-hop paths is
    within ``budget``; above it, estimated per account from ``64`` min-hash
    sketches (relative error about 13%, unbiased), which is what ranking the
    top accounts of a million-account graph needs.

    Returns
    -------
    (reach, reach2, method)
        ``method`` is ``"exact"`` or ``"minhash"``.
    """
    import scipy.sparse as sp

    n = ag.n
    e = ag.edges
    src = e["source"].to_numpy(dtype=np.int64)
    tgt = e["target"].to_numpy(dtype=np.int64)
    m1 = _type_mask(ag, types)
    m2 = _type_mask(ag, second_types)
    # One edge per (source, target) pair: counting edges counts distinct accounts.
    reach1 = np.bincount(tgt[m1], minlength=n).astype(np.int64)
    if n == 0 or not m1.any():
        return reach1, reach1.copy(), "exact"
    # r1[a, b] = 1: b carried a's content; r2[b, c] = 1: c passed b's content on.
    r1 = sp.csr_matrix((np.ones(int(m1.sum()), dtype=np.int8), (tgt[m1], src[m1])), shape=(n, n))
    r2 = sp.csr_matrix((np.ones(int(m2.sum()), dtype=np.int8), (tgt[m2], src[m2])), shape=(n, n))
    row_len2 = np.diff(r2.indptr)
    paths = int(row_len2[r1.indices].sum())
    if paths <= budget:
        reach2 = np.empty(n, dtype=np.int64)
        # Rows in blocks of about budget/10 paths, so the product never holds all paths at once.
        cum = np.concatenate([[0], np.cumsum(row_len2[r1.indices])])
        per_row = cum[r1.indptr[1:]] - cum[r1.indptr[:-1]]
        step = max(budget // 10, 1)
        bounds = np.searchsorted(np.cumsum(per_row), np.arange(step, paths, step))
        starts = np.unique(np.concatenate([[0], bounds, [n]])).astype(np.int64)
        for lo, hi in zip(starts[:-1], starts[1:], strict=True):
            block = r1[lo:hi]
            both = ((block @ r2) + block).tocsr()
            both.data[:] = 1
            counts = np.diff(both.indptr).astype(np.int64)
            # the account itself is not part of its reach
            rows = np.repeat(np.arange(lo, hi), np.diff(both.indptr))
            self_hit = np.bincount(rows[both.indices == rows] - lo, minlength=hi - lo)
            reach2[lo:hi] = counts - self_hit
        return reach1, reach2, "exact"
    return reach1, _reach2_sketch(r1, r2, seed), "minhash"


def _row_min(indptr: np.ndarray, indices: np.ndarray, values: np.ndarray,
             chunk: int = 2_000_000) -> np.ndarray:
    """Per row of a CSR structure, the column-wise minimum of ``values[indices]`` (inf if empty).

    Works through whole rows about ``chunk`` entries at a time, so the gathered
    block stays small (64 float32 columns x 2M entries = 0.5 GB).
    """
    n = len(indptr) - 1
    out = np.full((n, values.shape[1]), np.inf, dtype=values.dtype)
    rows = np.flatnonzero(np.diff(indptr) > 0)
    ends = indptr[rows + 1]
    i = 0
    while i < len(rows):
        lo = int(indptr[rows[i]])
        j = max(int(np.searchsorted(ends, lo + chunk, side="right")) - 1, i)
        sel = rows[i:j + 1]
        hi = int(indptr[sel[-1] + 1])
        out[sel] = np.minimum.reduceat(values[indices[lo:hi]], indptr[sel] - lo, axis=0)
        i = j + 1
    return out


def _reach2_sketch(r1: Any, r2: Any, seed: int) -> np.ndarray:
    """Min-hash estimate of the size of ``rows(r1) ∪ rows(r1 @ r2)`` minus the account itself."""
    n = r1.shape[0]
    rng = np.random.default_rng(seed)
    h = rng.random((n, _SKETCH), dtype=np.float32)
    h = np.maximum(h, np.float32(1e-12))
    # hop: for each b, the minimum over accounts that passed b's content on
    hop = _row_min(r2.indptr, r2.indices, h)
    own = np.minimum(h, hop)  # b itself, or someone who passed its content on
    m = _row_min(r1.indptr, r1.indices, own)
    total = m.astype(np.float64).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(np.isfinite(total), (_SKETCH - 1) / total, 0.0)
    # The sketch cannot tell whether the account itself is in the set; counts
    # below the one-hop reach are impossible, so floor at it.
    reach1 = np.diff(r1.indptr)
    return np.maximum(np.rint(est).astype(np.int64), reach1)


def influence(ag: ActorGraph, *, damping: float = 0.85,
              groups: GroupsLike | None = None, seed: int = 42,
              timings: dict[str, float] | None = None) -> pd.DataFrame:
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
        Weighted HITS scores (:func:`hits`), scaled so the maximum is 1.
    coreness
        k-core number on the undirected simple graph.
    reach, reach2
        Distinct accounts that shared, quoted or commented on the account's
        posts, and those plus the accounts that passed their content on
        (:func:`reach`; ``attrs["reach2_method"]`` says exact or min-hash).
    cross_platform_reach
        Those of the one-hop reach on another platform.
    in_own_group, in_other_groups
        Tie weight received from the account's own group and from other
        groups (:func:`group_influence`); NaN without a group.
    group_pagerank
        The account's score in its own group's personalised PageRank
        (:func:`group_pagerank`, which gives every group's column), i.e. its
        influence as its camp sees it; NaN without a group.

    ``timings``, when given, receives the seconds each part took.

    Examples
    --------
    >>> infl = influence(ag)  # doctest: +SKIP
    >>> infl.nlargest(10, "indegree")[["key", "indegree", "reach"]]  # doctest: +SKIP
    """
    clock = _Clock(timings)
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
    clock("degrees")
    out["pagerank"] = pagerank(ag, damping=damping)
    clock("pagerank")
    hub, auth, iters = hits(ag)
    out["hub"] = hub
    out["authority"] = auth
    clock("hits")
    out["coreness"] = (np.asarray(ag.undirected().coreness(), dtype=np.int64) if n
                       else np.zeros(0, dtype=np.int64))
    clock("kcore")
    reach1, reach2, method = reach(ag, seed=seed)
    out["reach"] = reach1
    out["reach2"] = reach2
    cross = _type_mask(ag, REACH_TYPES) & e["cross_platform"].to_numpy(dtype=bool)
    out["cross_platform_reach"] = np.bincount(tgt[cross], minlength=n).astype(np.int64)
    clock("reach")
    gi = group_influence(ag, groups)
    out["in_own_group"] = gi["in_own_group"].to_numpy()
    out["in_other_groups"] = gi["in_other_groups"].to_numpy()
    codes, labels = _group_codes(ag, groups)
    ppr = group_pagerank(ag, groups, damping=damping)
    own = np.full(n, np.nan)
    for j, lab in enumerate(labels):
        m = codes == j
        own[m] = ppr[lab].to_numpy()[m]
    out["group_pagerank"] = own
    clock("group_pagerank")
    out.attrs["reach2_method"] = method
    out.attrs["hits_iterations"] = iters
    return out
