"""Time: activity per day, and how communities and bridges changed between two periods.

* :func:`activity`: posts per day (or week, month) per stance group or per
  platform, from each post's ``created_at``.
* :func:`compare_periods`: the actor graph of each period (the same
  ``since``/``until`` slicing every analysis takes), communities and bridges
  on each, communities of the second period matched to those of the first by
  overlap, and per account: did it change community, did it change side (the
  group its endorsements go to and come from), did it become a bridge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..store.base import Store

if TYPE_CHECKING:
    from .project import ActorGraph
    from .results import CommunityResult

__all__ = [
    "FREQS",
    "parse_period",
    "activity",
    "leaning",
    "match_communities",
    "PeriodComparison",
    "compare_graphs",
    "compare_periods",
]

FREQS = ("day", "week", "month")
NO_GROUP = "(none)"


def parse_period(text: str) -> tuple[str | None, str | None]:
    """``"2013-10-01..2013-10-15"`` -> normalised ``(since, until)``; either side may be empty.

    ``until`` is exclusive, as everywhere in netmap. A bare date with no
    ``..`` is that one day.

    Examples
    --------
    >>> parse_period("2013-10-01..2013-10-15")
    ('2013-10-01T00:00:00Z', '2013-10-15T00:00:00Z')
    >>> parse_period("..2013-11-01")
    (None, '2013-11-01T00:00:00Z')
    """
    from .project import _normalise_bound

    text = (text or "").strip()
    if ".." not in text:
        if not text:
            raise UsageError("a period looks like 2013-10-01..2013-10-15 (until exclusive)")
        start = pd.Timestamp(_normalise_bound(text, "period"))
        end = (start + pd.Timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return _normalise_bound(text, "period"), end
    a, b = text.split("..", 1)
    since = _normalise_bound(a.strip() or None, "period")
    until = _normalise_bound(b.strip() or None, "period")
    if since and until and since >= until:
        raise UsageError(f"period {text!r} ends before it starts")
    return since, until


def activity(
    store: Store,
    *,
    by: str = "group",
    since: str | None = None,
    until: str | None = None,
    freq: str = "day",
    count: str = "posts",
) -> pd.DataFrame:
    """Activity over time per stance group or per platform.

    Parameters
    ----------
    store : Store
    by : {"group", "platform"}
        Split by the author's stance group (``(none)`` for accounts without
        one) or by the post's platform.
    since, until : str, optional
        ISO bounds on ``created_at`` (until exclusive).
    freq : {"day", "week", "month"}
        Bucket size (weeks start on Monday; buckets are labelled by their
        first day, UTC).
    count : {"posts", "accounts"}
        Posts, or distinct active accounts, per bucket.

    Returns
    -------
    DataFrame
        ``period`` (ISO date of the bucket), one column per group/platform
        (sorted, ``(none)`` last) and ``total``; undated posts are left out
        (``attrs["undated"]`` counts them).
    """
    from .project import _normalise_bound

    if by not in ("group", "platform"):
        raise UsageError(f"--by must be group or platform, not {by!r}")
    if freq not in FREQS:
        raise UsageError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    if count not in ("posts", "accounts"):
        raise UsageError(f"count must be posts or accounts, not {count!r}")
    since = _normalise_bound(since, "since")
    until = _normalise_bound(until, "until")
    posts = store.nodes("Post", columns=["created_at", "platform"])
    au = store.edges(["AUTHORED"])
    au = au[(au["src_label"] == "Account") & (au["dst_label"] == "Post")].drop_duplicates("dst")
    author = pd.Series(au["src"].astype(str).to_numpy(), index=au["dst"].astype(str).to_numpy())
    created = posts["created_at"].astype(object)
    dated = created.notna() & (created.astype(str) != "")
    frame = pd.DataFrame({
        "key": posts["key"].astype(str).to_numpy()[dated.to_numpy()],
        "created": created[dated].astype(str).to_numpy(),
        "platform": posts["platform"].astype(object)[dated].fillna("").astype(str).to_numpy(),
    })
    if since is not None:
        frame = frame[frame["created"] >= since]
    if until is not None:
        frame = frame[frame["created"] < until]
    frame["account"] = author.reindex(frame["key"].to_numpy()).to_numpy()
    if by == "group":
        acc = store.nodes("Account", columns=["group"])
        grp = pd.Series(acc["group"].to_numpy(dtype=object), index=acc["key"].astype(str))
        grp = grp[~grp.index.duplicated()]
        value = grp.reindex(frame["account"].fillna("").to_numpy()).to_numpy(dtype=object)
        value = np.where(pd.isna(value) | (pd.Series(value).astype(str) == "").to_numpy(),
                         NO_GROUP, value)
    else:
        value = np.where(frame["platform"].to_numpy() == "", NO_GROUP, frame["platform"])
    frame["value"] = value
    day = pd.to_datetime(frame["created"].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    if freq == "week":
        day = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    elif freq == "month":
        day = day.dt.to_period("M").dt.start_time
    frame["period"] = day.dt.strftime("%Y-%m-%d")
    frame = frame[frame["period"].notna()]
    if count == "posts":
        table = frame.groupby(["period", "value"]).size()
    else:
        table = frame.dropna(subset=["account"]).groupby(["period", "value"])["account"].nunique()
    wide = table.unstack("value", fill_value=0) if len(table) else pd.DataFrame()
    cols = sorted([c for c in wide.columns if c != NO_GROUP]) + (
        [NO_GROUP] if NO_GROUP in wide.columns else [])
    wide = wide.reindex(columns=cols).astype(np.int64)
    if count == "posts":
        wide["total"] = wide.sum(axis=1)
    else:
        wide["total"] = frame.dropna(subset=["account"]).groupby("period")["account"].nunique()
        wide["total"] = wide["total"].fillna(0).astype(np.int64)
    out = wide.reset_index().rename(columns={"index": "period"})
    if "period" not in out.columns:
        out = pd.DataFrame(columns=["period", "total"])
    out.columns.name = None
    out.attrs["undated"] = int((~dated).sum())
    return out


def leaning(ag: ActorGraph, groups: pd.Series, *, types: tuple[str, ...] | None = None,
            min_weight: float = 2.0, min_share: float = 0.6) -> pd.Series:
    """Per account, the group its endorsement ties (either way) mostly connect it to.

    Tie weight of ``types`` (default the brokerage flow types: shares,
    quotes, links) to and from accounts with a group, summed per group; the
    largest wins if it holds at least ``min_share`` of that weight and the
    account has at least ``min_weight`` of it in all. None otherwise: an
    account with one retweet has no side worth comparing. Indexed by key.
    """
    from .bridges import _by_label, group_codes
    from .brokerage import FLOW_TYPES

    types = FLOW_TYPES if types is None else types
    codes, labels = group_codes(ag, groups)
    n = ag.n
    if not labels or n == 0:
        return pd.Series([None] * n, index=ag.accounts["key"].astype(str).to_numpy(),
                         dtype=object)
    mask = np.zeros(len(ag.edges), dtype=bool)
    for t in types:
        mask |= ag.edges[f"n_{t}"].to_numpy() > 0
    sub = _Sub(ag, mask)
    v, lab, w = _by_label(sub, codes, len(labels))  # type: ignore[arg-type]
    best = np.full(n, -1.0)
    np.maximum.at(best, v, w)
    total = np.bincount(v, weights=w, minlength=n)
    top = w == best[v]
    winners = np.bincount(v[top], minlength=n)
    choice = np.full(n, -1, dtype=np.int64)
    choice[v[top]] = lab[top]
    weak = (winners != 1) | (total < min_weight) | (best < min_share * np.maximum(total, 1e-300))
    choice[weak] = -1
    names = np.asarray(labels, dtype=object)
    picked = names[np.maximum(choice, 0)]
    picked[choice < 0] = None
    return pd.Series(picked, index=ag.accounts["key"].astype(str).to_numpy(), dtype=object)


class _Sub:
    """An actor graph restricted to some ties (what :func:`_by_label` reads)."""

    def __init__(self, ag: ActorGraph, mask: np.ndarray) -> None:
        self.edges = ag.edges[mask]
        self.graph = ag.graph
        self.n = ag.n


def match_communities(a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    """Match each community of labelling ``b`` to one of labelling ``a`` by overlap.

    ``a`` and ``b`` label the same items (accounts present in both periods).
    One-to-one matching maximising the total overlap (Hungarian algorithm,
    ``scipy.optimize.linear_sum_assignment``) over communities with at least
    two shared accounts; if that matrix would exceed 2.5e7 cells, each
    ``b`` community takes the ``a`` community it overlaps most (greedy).

    Returns
    -------
    DataFrame
        ``community2, size2, community1, overlap, jaccard``, one row per
        community of ``b`` (``community1`` is -1 when unmatched); ``attrs["method"]``.
    """
    from scipy.optimize import linear_sum_assignment

    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ka = int(a.max()) + 1 if len(a) else 0
    kb = int(b.max()) + 1 if len(b) else 0
    size_a = np.bincount(a, minlength=ka)
    size_b = np.bincount(b, minlength=kb)
    pair, cnt = np.unique(b * np.int64(max(ka, 1)) + a, return_counts=True)
    pb, pa = pair // max(ka, 1), pair % max(ka, 1)
    big = cnt >= 2
    rows_b = np.unique(pb[big])
    cols_a = np.unique(pa[big])
    match = np.full(kb, -1, dtype=np.int64)
    overlap = np.zeros(kb, dtype=np.int64)
    if len(rows_b) and len(rows_b) * len(cols_a) <= 25_000_000:
        method = "hungarian"
        ri = np.searchsorted(rows_b, pb[big])
        ci = np.searchsorted(cols_a, pa[big])
        mat = np.zeros((len(rows_b), len(cols_a)))
        mat[ri, ci] = cnt[big]
        r, c = linear_sum_assignment(mat, maximize=True)
        ok = mat[r, c] > 0
        match[rows_b[r[ok]]] = cols_a[c[ok]]
        overlap[rows_b[r[ok]]] = mat[r[ok], c[ok]].astype(np.int64)
    else:
        method = "greedy"
        order = np.lexsort((pa, -cnt, pb))
        first = np.unique(pb[order], return_index=True)[1]
        sel = order[first]
        sel = sel[cnt[sel] >= 2]
        match[pb[sel]] = pa[sel]
        overlap[pb[sel]] = cnt[sel]
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(match >= 0, overlap / (size_b + size_a[np.maximum(match, 0)] - overlap),
                       0.0)
    out = pd.DataFrame({"community2": np.arange(kb), "size2": size_b, "community1": match,
                        "overlap": overlap, "jaccard": jac})
    out.attrs["method"] = method
    return out


@dataclass
class PeriodComparison:
    """Two periods side by side (see :func:`compare_periods`)."""

    periods: list[tuple[str | None, str | None]]
    communities: list[CommunityResult]
    community_map: pd.DataFrame
    accounts: pd.DataFrame
    parameters: dict[str, Any]
    fingerprints: list[str]
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Plain-data summary: sizes, stability and the counts of movers."""
        acc = self.accounts
        both = acc["in1"] & acc["in2"]
        return {
            "periods": [{"since": s, "until": u} for s, u in self.periods],
            "accounts": [int(acc["in1"].sum()), int(acc["in2"].sum())],
            "in_both": int(both.sum()),
            "communities": [c.n_communities for c in self.communities],
            "modularity": [round(float(c.modularity), 4) for c in self.communities],
            "community_nmi": self.extra.get("community_nmi"),
            "matched_communities": int((self.community_map["community1"] >= 0).sum()),
            "moved": int(acc["moved"].sum()),
            "changed_side": int(acc["changed_side"].sum()),
            "became_bridge": int(acc["became_bridge"].sum()),
            "stopped_bridging": int(acc["stopped_bridging"].sum()),
            "matching": self.community_map.attrs.get("method"),
            "parameters": self.parameters,
            "fingerprints": self.fingerprints,
        }


def _bridge_frame(ag: ActorGraph, groups: pd.Series, membership: np.ndarray,
                  betweenness_sample: int | None, seed: int) -> pd.DataFrame:
    from .bridges import bridges

    return bridges(ag, groups, membership, betweenness_sample=betweenness_sample, seed=seed)


def compare_graphs(
    ag1: ActorGraph,
    ag2: ActorGraph,
    groups: pd.Series | None = None,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    method: str = "leiden",
    betweenness_sample: int | None = None,
    bridge_quantile: float = 0.99,
    margin: float = 0.8,
    min_size: int = 5,
    min_strength: float = 3.0,
) -> PeriodComparison:
    """Compare two actor graphs of the same accounts (two periods); see :func:`compare_periods`."""
    from .communities import detect_communities
    from .results import nmi

    if not 0.0 < bridge_quantile < 1.0:
        raise UsageError(f"bridge_quantile must be in (0, 1), not {bridge_quantile}")
    if groups is None:
        parts = [pd.Series(ag.accounts["group"].to_numpy(dtype=object),
                           index=ag.accounts["key"].astype(str).to_numpy()) for ag in (ag1, ag2)]
        groups = pd.concat(parts)
        groups = groups[~groups.index.duplicated()]
    comms = [detect_communities(ag, resolution=resolution, seed=seed, method=method)
             for ag in (ag1, ag2)]
    frames = []
    for i, (ag, c) in enumerate(((ag1, comms[0]), (ag2, comms[1])), start=1):
        br = _bridge_frame(ag, groups, c.membership, betweenness_sample, seed)
        lean = leaning(ag, groups)
        e = ag.edges
        w = e["weight"].to_numpy(dtype=float)
        strength = (np.bincount(e["source"].to_numpy(), weights=w, minlength=ag.n)
                    + np.bincount(e["target"].to_numpy(), weights=w, minlength=ag.n))
        frames.append(pd.DataFrame({
            "key": ag.accounts["key"].astype(str).to_numpy(),
            f"strength{i}": strength,
            f"community{i}": c.membership,
            f"leaning{i}": lean.to_numpy(),
            f"bridge_score{i}": br["bridge_score"].to_numpy(),
        }))
    acc = frames[0].merge(frames[1], on="key", how="outer", sort=True)
    acc["in1"] = acc["community1"].notna()
    acc["in2"] = acc["community2"].notna()
    both = (acc["in1"] & acc["in2"]).to_numpy()
    c1 = acc["community1"].to_numpy()
    c2 = acc["community2"].to_numpy()
    cmap = match_communities(c1[both].astype(np.int64), c2[both].astype(np.int64))
    # communities of period 2 with no account in both periods are unmatched too
    k2 = comms[1].n_communities
    full_map = np.full(k2, -1, dtype=np.int64)
    full_map[cmap["community2"].to_numpy()] = cmap["community1"].to_numpy()
    as1 = np.full(len(acc), np.nan)
    in2 = acc["in2"].to_numpy()
    as1[in2] = full_map[c2[in2].astype(np.int64)]
    acc["community2_as1"] = as1
    # Only accounts in communities of some size both times: tiny communities
    # of barely active accounts reshuffle by chance.
    s1 = np.bincount(c1[acc["in1"].to_numpy()].astype(np.int64), minlength=1)
    s2 = comms[1].sizes()
    sized = both & (acc["strength1"].fillna(0).to_numpy() >= min_strength) & (
        acc["strength2"].fillna(0).to_numpy() >= min_strength)
    sized[sized] = ((s1[c1[sized].astype(np.int64)] >= min_size)
                    & (s2[c2[sized].astype(np.int64)] >= min_size))
    acc["moved"] = sized & (as1 != c1)
    l1, l2 = acc["leaning1"].to_numpy(dtype=object), acc["leaning2"].to_numpy(dtype=object)
    known = both & pd.notna(l1) & pd.notna(l2)
    acc["changed_side"] = known & (l1 != l2)
    b1 = acc["bridge_score1"].to_numpy(dtype=float)
    b2 = acc["bridge_score2"].to_numpy(dtype=float)
    t1 = float(np.nanquantile(b1, bridge_quantile)) if np.isfinite(b1).any() else np.inf
    t2 = float(np.nanquantile(b2, bridge_quantile)) if np.isfinite(b2).any() else np.inf
    top1 = np.nan_to_num(b1, nan=-1.0) >= max(t1, 1e-12)
    top2 = np.nan_to_num(b2, nan=-1.0) >= max(t2, 1e-12)
    # Hysteresis: crossing the threshold by a hair is noise, not a change.
    low1 = np.nan_to_num(b1, nan=0.0) < margin * t1
    low2 = np.nan_to_num(b2, nan=0.0) < margin * t2
    acc["became_bridge"] = top2 & low1
    acc["stopped_bridging"] = top1 & low2 & in2
    acc["group"] = groups.reindex(acc["key"].to_numpy()).to_numpy(dtype=object)
    for col in ("community1", "community2", "community2_as1"):
        acc[col] = acc[col].astype("Int64")
    acc = acc[["key", "group", "in1", "in2", "strength1", "strength2", "community1",
               "community2", "community2_as1",
               "moved", "leaning1", "leaning2", "changed_side", "bridge_score1",
               "bridge_score2", "became_bridge", "stopped_bridging"]]
    cmap_out = pd.DataFrame({"community2": np.arange(k2), "size2": comms[1].sizes(),
                             "community1": full_map})
    cm = cmap.set_index("community2")
    cmap_out["overlap"] = cm["overlap"].reindex(cmap_out["community2"]).fillna(0).astype(
        np.int64).to_numpy()
    cmap_out["jaccard"] = cm["jaccard"].reindex(cmap_out["community2"]).fillna(0.0).to_numpy()
    cmap_out.attrs["method"] = cmap.attrs["method"]
    params = {"resolution": resolution, "seed": seed, "method": method,
              "betweenness_sample": betweenness_sample, "bridge_quantile": bridge_quantile,
              "margin": margin, "min_size": min_size, "min_strength": min_strength,
              "weights": dict(ag1.weights)}
    return PeriodComparison(
        periods=[(ag1.since, ag1.until), (ag2.since, ag2.until)],
        communities=comms,
        community_map=cmap_out,
        accounts=acc.reset_index(drop=True),
        parameters=params,
        fingerprints=[ag1.fingerprint, ag2.fingerprint],
        extra={"community_nmi": round(nmi(c1[both], c2[both]), 4) if both.any() else None,
               "bridge_thresholds": [t1, t2]},
    )


def compare_periods(
    store: Store,
    period1: str | tuple[str | None, str | None],
    period2: str | tuple[str | None, str | None],
    *,
    weights: Mapping[str, float] | None = None,
    resolution: float = 1.0,
    seed: int = 42,
    method: str = "leiden",
    betweenness_sample: int | None = None,
    bridge_quantile: float = 0.99,
    margin: float = 0.8,
    min_size: int = 5,
    min_strength: float = 3.0,
) -> PeriodComparison:
    """Communities and bridges in two periods, and who moved between them.

    Parameters
    ----------
    store : Store
    period1, period2 : str or (since, until)
        ``"2013-10-01..2013-10-15"`` (until exclusive) or a pair of ISO bounds.
    weights, resolution, seed, method, betweenness_sample
        As :func:`netmap.analysis.analyze`.
    bridge_quantile, margin : float
        An account "is a bridge" in a period when its bridge score is in that
        period's top ``1 - bridge_quantile`` (default the top 1%); it
        *became* one when it is in period 2 and scored below ``margin`` times
        period 1's threshold before (and the reverse for ``stopped_bridging``).
    min_size, min_strength
        ``moved`` only counts accounts in communities of at least
        ``min_size`` accounts with at least ``min_strength`` tie weight, in
        both periods: barely tied accounts reshuffle by chance.

    Returns
    -------
    PeriodComparison
        ``community_map``: each period-2 community, its matched period-1
        community (one-to-one by overlap, see :func:`match_communities`) and
        their Jaccard overlap. ``accounts``: per account, presence, community
        in each period (``community2_as1`` in period-1 numbering), ``moved``
        (in both periods, in a community that does not continue its old one),
        ``leaning1/2`` and ``changed_side`` (see :func:`leaning`),
        ``bridge_score1/2``, ``became_bridge`` (in the top bridges of period
        2, not of period 1) and ``stopped_bridging``.

    Examples
    --------
    >>> cmp = compare_periods(store, "2013-10-15..2013-11-01", "2013-11-01..2013-11-15")  # doctest: +SKIP
    >>> cmp.accounts[cmp.accounts.changed_side]  # doctest: +SKIP
    """
    from .project import actor_graph

    p1 = parse_period(period1) if isinstance(period1, str) else tuple(period1)
    p2 = parse_period(period2) if isinstance(period2, str) else tuple(period2)
    ag1 = actor_graph(store, weights=weights, since=p1[0], until=p1[1], edge_attributes=False)
    ag2 = actor_graph(store, weights=weights, since=p2[0], until=p2[1], edge_attributes=False)
    for ag, name in ((ag1, "period1"), (ag2, "period2")):
        if ag.n == 0:
            raise UsageError(f"{name} holds no interaction: widen it or check the dates")
    return compare_graphs(ag1, ag2, resolution=resolution, seed=seed, method=method,
                          betweenness_sample=betweenness_sample,
                          bridge_quantile=bridge_quantile, margin=margin, min_size=min_size,
                          min_strength=min_strength)
