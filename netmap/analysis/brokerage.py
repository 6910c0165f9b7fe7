"""Gould–Fernandez brokerage roles over stance groups, on the directed actor graph.

A broker ``b`` sits on an *open* two-path ``a -> b -> c``: ``a`` reaches ``b``,
``b`` reaches ``c``, and ``a`` does not reach ``c`` directly (``a != c``).
Gould and Fernandez (1989) name the role by the groups of the three accounts:

============== ====================== =============================================
role           groups                 reads as
============== ====================== =============================================
coordinator    a = b = c              brokers inside its own camp
itinerant      a = c != b             an outsider brokering within another camp
               (a.k.a. consultant)
representative a = b != c             carries its camp's content out to another camp
gatekeeper     b = c != a             lets another camp's content into its own
liaison        a, b, c all different  connects two camps it belongs to neither of
============== ====================== =============================================

Direction. Actor-graph ties point from the acting account to the account
acted upon (a sharer to the shared author), but content flows the other way.
By default (``direction="flow"``) the two-paths follow the content: ``a -> b``
means ``b`` carried ``a``'s content, so a *representative* is an account whose
camp's content it passes to another camp. ``direction="ties"`` uses the ties
as they point. Only endorsement-like ties count by default
(:data:`FLOW_TYPES`: shares, quotes, links): replies and mentions across
camps are mostly arguments, not content passing through.

Counting is vectorised: per broker, the pairs ``(a, c)`` of an in-neighbour
and an out-neighbour are enumerated with ``repeat``/``divmod`` arithmetic and
the closing tie ``a -> c`` is looked up in the sorted tie codes. The number
of such pairs is the sum over accounts of in-degree times out-degree, about
10^8 at 10M ties; above ``budget`` each account with more pairs than a cap
has ``cap`` pairs drawn at random and its counts scaled up (an unbiased
estimate), the cap chosen so the total stays within the budget. The result's
``attrs`` say whether and where that happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import UsageError
from .project import INTERACTION_TYPES

if TYPE_CHECKING:
    from .bridges import GroupsLike
    from .project import ActorGraph

__all__ = ["ROLES", "FLOW_TYPES", "BROKERAGE_BUDGET", "brokerage", "role_of"]

ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
FLOW_TYPES: tuple[str, ...] = ("share", "quote", "link", "site_link")
# Two-path pairs examined at most (about 5 s of numpy work on the reference machine).
BROKERAGE_BUDGET = 20_000_000
_CHUNK = 2_000_000


def role_of(ga: np.ndarray, gb: np.ndarray, gc: np.ndarray) -> np.ndarray:
    """Role index (position in :data:`ROLES`) of two-paths with groups ``ga -> gb -> gc``."""
    ab, bc, ac = ga == gb, gb == gc, ga == gc
    return np.select(
        [ab & bc, ac & ~ab, ab & ~bc, bc & ~ab],
        [0, 1, 2, 3],
        default=4,
    )


def _find(sorted_codes: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``searchsorted`` clipped to valid positions, probing in sorted order.

    Millions of random probes into a 10M array miss the cache at every step;
    sorting the probes first makes neighbouring probes share cache lines (5x faster).
    """
    order = np.argsort(q, kind="stable")
    pos = np.empty(len(q), dtype=np.int64)
    pos[order] = np.searchsorted(sorted_codes, q[order])
    return np.minimum(pos, len(sorted_codes) - 1)


def _cap_for(pairs: np.ndarray, budget: int) -> int | None:
    """Largest per-account cap keeping ``sum(min(pairs, cap)) <= budget`` (None: no cap needed)."""
    if pairs.sum() <= budget:
        return None
    lo, hi = 1, int(pairs.max())
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if np.minimum(pairs, mid).sum() <= budget:
            lo = mid
        else:
            hi = mid - 1
    return lo


def brokerage(
    ag: ActorGraph,
    groups: GroupsLike | None,
    *,
    direction: str = "flow",
    types: Sequence[str] | None = FLOW_TYPES,
    budget: int = BROKERAGE_BUDGET,
    seed: int = 42,
    codes: tuple[np.ndarray, list[str]] | None = None,
) -> pd.DataFrame:
    """Gould–Fernandez brokerage counts per account (see the module docstring).

    Parameters
    ----------
    ag : ActorGraph
    groups : Series or sequence
        Stance group per account (or a community membership), as
        :func:`netmap.analysis.bridges.group_codes` takes it. Only two-paths
        whose ends ``a`` and ``c`` have a group count; a broker without a
        group belongs to none (so it is an itinerant or a liaison).
    direction : {"flow", "ties"}
        Follow the content (default) or the ties as they point.
    types : sequence of str, optional
        Interaction types whose ties count; None for all.
    budget : int
        Pairs examined at most before sampling (see the module docstring).
    seed : int
        For the sampled pairs.
    codes : (array, labels), optional
        ``groups`` already converted by
        :func:`~netmap.analysis.bridges.group_codes` (``groups`` is then ignored).

    Returns
    -------
    DataFrame
        ``key, coordinator, itinerant, representative, gatekeeper, liaison,
        brokerage`` (the total), one row per vertex. Counts are whole numbers
        when exact, estimates otherwise. ``attrs``: ``direction``, ``types``,
        ``cap`` (pairs per account when sampled, else None), ``sampled``
        (accounts whose counts are estimates), ``pairs`` (pairs in the graph).

    Examples
    --------
    >>> br = brokerage(ag, groups)  # doctest: +SKIP
    >>> br.nlargest(10, "gatekeeper")  # doctest: +SKIP
    """
    from .bridges import group_codes

    if direction not in ("flow", "ties"):
        raise UsageError(f"direction must be 'flow' or 'ties', not {direction!r}")
    n = ag.n
    gcodes, labels = group_codes(ag, groups) if codes is None else codes
    e = ag.edges
    mask = np.ones(len(e), dtype=bool)
    if types is not None:
        mask[:] = False
        for t in types:
            if t not in INTERACTION_TYPES:
                raise UsageError(
                    f"unknown interaction type {t!r}; use {', '.join(INTERACTION_TYPES)}")
            mask |= e[f"n_{t}"].to_numpy() > 0
    s = e["source"].to_numpy(dtype=np.int64)[mask]
    t = e["target"].to_numpy(dtype=np.int64)[mask]
    u, v = (t, s) if direction == "flow" else (s, t)  # u -> v along the chosen direction
    # Endpoints need a group; a broker without one is in none, so unequal to
    # every group (it can only be an itinerant or a liaison).
    bcode = np.where(gcodes >= 0, gcodes, -1 - np.arange(n, dtype=np.int64))
    counts = np.zeros((n, len(ROLES)))
    attrs = {"direction": direction, "types": None if types is None else list(types),
             "cap": None, "sampled": 0, "pairs": 0}
    if len(u):
        # in-lists of grouped sources (sorted by v), out-lists of grouped targets (by u)
        gi = gcodes[u] >= 0
        order_in = np.argsort(v[gi], kind="stable")
        in_nb = u[gi][order_in]
        in_deg = np.bincount(v[gi], minlength=n)
        in_ptr = np.concatenate([[0], np.cumsum(in_deg)])
        go = gcodes[v] >= 0
        order_out = np.argsort(u[go], kind="stable")
        out_nb = v[go][order_out]
        out_deg = np.bincount(u[go], minlength=n)
        out_ptr = np.concatenate([[0], np.cumsum(out_deg)])
        tie_codes = np.sort(u * np.int64(n) + v)

        pairs = in_deg.astype(np.int64) * out_deg
        cap = _cap_for(pairs, budget)
        take = pairs if cap is None else np.minimum(pairs, cap)
        scale = np.where(take > 0, pairs / np.maximum(take, 1), 0.0)
        attrs.update(cap=cap, sampled=int((take < pairs).sum()), pairs=int(pairs.sum()))
        rng = np.random.default_rng(seed)
        brokers = np.flatnonzero(take > 0)
        cum = np.cumsum(take[brokers])
        start = 0
        while start < len(brokers):
            stop = int(np.searchsorted(cum, (cum[start - 1] if start else 0) + _CHUNK,
                                       side="right"))
            stop = max(stop, start + 1)
            bs = brokers[start:stop]
            k = take[bs]
            b = np.repeat(bs, k)
            full = (take[bs] == pairs[bs])
            # index of each pair within its broker: all of them, or a random draw
            local = np.arange(len(b)) - np.repeat(np.cumsum(k) - k, k)
            drawn = rng.integers(0, np.repeat(pairs[bs], k))
            idx = np.where(np.repeat(full, k), local, drawn)
            ia, ic = np.divmod(idx, out_deg[b])
            a = in_nb[in_ptr[b] + ia]
            c = out_nb[out_ptr[b] + ic]
            q = a * np.int64(n) + c
            pos = _find(tie_codes, q)
            open_ = (a != c) & (tie_codes[pos] != q)
            role = role_of(gcodes[a[open_]], bcode[b[open_]], gcodes[c[open_]])
            bo = b[open_]
            counts += np.bincount(bo * len(ROLES) + role, weights=scale[bo],
                                  minlength=n * len(ROLES)).reshape(n, len(ROLES))
            start = stop
    out = pd.DataFrame({"key": ag.accounts["key"].to_numpy()})
    exact = attrs["cap"] is None
    for j, r in enumerate(ROLES):
        out[r] = np.rint(counts[:, j]).astype(np.int64) if exact else counts[:, j]
    out["brokerage"] = out[list(ROLES)].sum(axis=1)
    out.attrs.update(attrs)
    out.attrs["groups"] = labels
    return out
