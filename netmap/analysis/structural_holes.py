"""Burt's structural holes: constraint and effective size of each account's ego network.

Both are read on the undirected actor graph with *mutual* tie weights (both
directions summed), the definitions networkx's ``constraint`` and
``effective_size`` use with ``weight=``:

* ``p_ij = w_ij / sum_k w_ik``: the share of ``i``'s tie weight going to ``j``;
* ``m_jq = w_jq / max_k w_jk``: ``j``'s tie to ``q`` relative to ``j``'s strongest;
* constraint ``C_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over neighbours ``j``
  and common neighbours ``q`` of ``i`` and ``j``: high when ``i``'s contacts
  are few and tied to each other (no hole to broker), low for brokers;
* effective size ``E_i = sum_j (1 - sum_q p_iq m_jq)``: the number of
  contacts, less their redundancy (contacts tied to each other).

The indirect terms only involve triangles, so both come from one triangle
listing: vertices are ranked by degree, each edge points from the lower to
the higher rank, and every pair of a vertex's higher-ranked neighbours is a
wedge to check against the sorted edge codes (the classic orientation
trick: hubs rarely start wedges, so the count stays near m^1.5 at worst and
about 4 x 10^7 at a million accounts). Above ``budget`` candidate pairs
(twice the wedges), a vertex with more than a cap of them has ``cap`` drawn
at random and their contributions scaled up (unbiased for the sums; constraint squares them, so
its estimate is slightly biased upwards), reported in ``attrs``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .project import ActorGraph

__all__ = ["structural_holes", "HOLES_BUDGET"]

HOLES_BUDGET = 30_000_000
_CHUNK = 2_000_000


def structural_holes(ag: ActorGraph, *, budget: int = HOLES_BUDGET, seed: int = 42
                     ) -> pd.DataFrame:
    """Burt's constraint and effective size per account (see the module docstring).

    Returns
    -------
    DataFrame
        ``key, constraint, effective_size`` in vertex order; NaN for accounts
        without ties. ``attrs``: ``wedges`` (in the graph), ``cap`` (wedges
        per vertex when sampled, else None), ``sampled`` (vertices sampled).

    Examples
    --------
    >>> sh = structural_holes(ag)  # doctest: +SKIP
    >>> sh.nsmallest(10, "constraint")  # the least constrained: brokers  # doctest: +SKIP
    """
    from .brokerage import _cap_for, _find

    n = ag.n
    a, b, w = ag.undirected_edges()
    out = pd.DataFrame({"key": ag.accounts["key"].to_numpy()})
    attrs: dict[str, object] = {"wedges": 0, "cap": None, "sampled": 0}
    if n == 0 or len(a) == 0:
        out["constraint"] = np.full(n, np.nan)
        out["effective_size"] = np.full(n, np.nan)
        out.attrs.update(attrs)
        return out
    m = len(a)
    deg = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    strength = np.bincount(a, weights=w, minlength=n) + np.bincount(b, weights=w, minlength=n)
    strongest = np.zeros(n)
    np.maximum.at(strongest, a, w)
    np.maximum.at(strongest, b, w)
    codes = a * np.int64(n) + b  # sorted: undirected_edges is ordered by (a, b)

    # Directed pair ids: edge e seen from a is 2e, from b is 2e + 1.
    s_acc = np.zeros(2 * m)  # sum_q p_iq p_qj for pair (i, j)
    redund = np.zeros(n)  # sum_j sum_q p_iq m_jq for ego i

    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), deg))] = np.arange(n)
    low_is_a = rank[a] < rank[b]
    lo = np.where(low_is_a, a, b)
    hi = np.where(low_is_a, b, a)
    eid = np.arange(m)
    order = np.argsort(lo, kind="stable")
    up_nb, up_eid = hi[order], eid[order]
    dplus = np.bincount(lo, minlength=n).astype(np.int64)
    ptr = np.concatenate([[0], np.cumsum(dplus)])
    # Candidates per centre: every ordered position pair (i, j) of its up-neighbours;
    # those with i < j are its wedges. Drawing from the full d x d grid keeps
    # sampling uniform and the scale factor simple (d^2 / draws).
    grid = dplus * dplus
    cap = _cap_for(grid, budget)
    take = grid if cap is None else np.minimum(grid, cap)
    attrs.update(wedges=int((dplus * (dplus - 1) // 2).sum()), cap=cap,
                 sampled=int((take < grid).sum()))
    scale = np.where(take > 0, grid / np.maximum(take, 1), 0.0)
    rng = np.random.default_rng(seed)

    centres = np.flatnonzero((take > 0) & (dplus > 1))
    cum = np.cumsum(take[centres])
    start = 0
    while start < len(centres):
        stop = max(int(np.searchsorted(cum, (cum[start - 1] if start else 0) + _CHUNK,
                                       side="right")), start + 1)
        us = centres[start:stop]
        k = take[us]
        x = np.repeat(us, k)
        full = np.repeat(take[us] == grid[us], k)
        local = np.arange(len(x)) - np.repeat(np.cumsum(k) - k, k)
        drawn = rng.integers(0, np.repeat(grid[us], k))
        i, j = np.divmod(np.where(full, local, drawn), dplus[x])
        wedge = i < j
        x, i, j = x[wedge], i[wedge], j[wedge]
        y, e_xy = up_nb[ptr[x] + i], up_eid[ptr[x] + i]
        z, e_xz = up_nb[ptr[x] + j], up_eid[ptr[x] + j]
        q = np.minimum(y, z) * np.int64(n) + np.maximum(y, z)
        pos = _find(codes, q)
        tri = codes[pos] == q
        f = scale[x[tri]]
        x, y, z = x[tri], y[tri], z[tri]
        e_xy, e_xz, e_yz = e_xy[tri], e_xz[tri], pos[tri]
        w_xy, w_xz, w_yz = w[e_xy], w[e_xz], w[e_yz]
        p = {  # p[u, v] = w_uv / strength_u
            ("x", "y"): w_xy / strength[x], ("y", "x"): w_xy / strength[y],
            ("x", "z"): w_xz / strength[x], ("z", "x"): w_xz / strength[z],
            ("y", "z"): w_yz / strength[y], ("z", "y"): w_yz / strength[z],
        }
        ids = {"x": x, "y": y, "z": z}
        edge = {frozenset("xy"): e_xy, frozenset("xz"): e_xz, frozenset("yz"): e_yz}
        wt = {frozenset("xy"): w_xy, frozenset("xz"): w_xz, frozenset("yz"): w_yz}
        for i_, j_, q_ in (("x", "y", "z"), ("y", "x", "z"), ("x", "z", "y"),
                           ("z", "x", "y"), ("y", "z", "x"), ("z", "y", "x")):
            e_ij = edge[frozenset((i_, j_))]
            # pair id: 2e when i is the edge's smaller endpoint a, else 2e + 1
            pid = 2 * e_ij + (ids[i_] != a[e_ij])
            s_acc += np.bincount(pid, weights=f * p[(i_, q_)] * p[(q_, j_)], minlength=2 * m)
            # redundancy of contact j for ego i through q: p_iq * m_jq
            m_jq = wt[frozenset((j_, q_))] / strongest[ids[j_]]
            redund += np.bincount(ids[i_], weights=f * p[(i_, q_)] * m_jq, minlength=n)
        start = stop

    p_ab = w / strength[a]
    p_ba = w / strength[b]
    direct = np.empty(2 * m)
    direct[0::2] = p_ab
    direct[1::2] = p_ba
    ego = np.empty(2 * m, dtype=np.int64)
    ego[0::2] = a
    ego[1::2] = b
    constraint = np.bincount(ego, weights=(direct + s_acc) ** 2, minlength=n)
    has = deg > 0
    out["constraint"] = np.where(has, constraint, np.nan)
    out["effective_size"] = np.where(has, deg - redund, np.nan)
    out.attrs.update(attrs)
    return out
