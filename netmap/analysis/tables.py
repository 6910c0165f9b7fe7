"""Tables of stored analysis results, read back from Account properties.

These read what :func:`netmap.analysis.analyze` wrote; they never recompute,
so ``netmap accounts`` / ``top`` / ``communities`` are instant on any size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import AnalysisError, UsageError
from ..store.base import Store
from .communities import summarise_communities

__all__ = ["ACCOUNT_COLUMNS", "TOP_COLUMNS", "TOP_DEFAULT", "accounts_table", "top",
           "communities_table"]

ACCOUNT_COLUMNS: tuple[str, ...] = (
    "key", "platform", "handle", "name", "url", "group", "group_score", "group_source",
    "community", "pagerank", "indegree", "bridge_score", "betweenness", "cross_group_share",
)
_NUMERIC = ("group_score", "pagerank", "indegree", "bridge_score", "betweenness",
            "cross_group_share")
_INTS = ("reach", "reach2", "cross_platform_reach", "n_groups_touched", "coreness")
# Stored metrics `top --by` accepts (what analyze() writes, community excepted).
_RANKABLE = ("pagerank", "indegree", "outdegree", "hub", "authority", "coreness", "reach",
             "reach2", "cross_platform_reach", "in_own_group", "in_other_groups",
             "group_pagerank", "betweenness", "cross_group_share", "n_groups_touched",
             "participation_group", "participation_community", "constraint",
             "effective_size", "broker_coordinator", "broker_itinerant",
             "broker_representative", "broker_gatekeeper", "broker_liaison", "brokerage",
             "brokerage_cross_share", "bridge_score", "community_agreement")
# Metrics where lower means more (Burt's constraint: brokers are the least constrained).
_ASCENDING = ("constraint",)
# What `top` shows: identity, then the ranking metric and the ones that explain it.
TOP_COLUMNS: dict[str, tuple[str, ...]] = {
    "influencers": ("key", "platform", "name", "group", "community", "indegree", "pagerank",
                    "reach", "reach2", "cross_platform_reach", "in_own_group",
                    "in_other_groups"),
    "bridges": ("key", "platform", "name", "group", "community", "bridge_score",
                "betweenness", "cross_group_share", "brokerage_cross_share", "n_groups_touched",
                "participation_group", "constraint"),
    "hubs": ("key", "platform", "name", "group", "community", "hub", "outdegree",
             "authority"),
    "brokers": ("key", "platform", "name", "group", "community", "brokerage",
                "broker_coordinator", "broker_itinerant", "broker_representative",
                "broker_gatekeeper", "broker_liaison", "bridge_score"),
}
# The default ranking of each `top` list. Influencers rank by weighted
# in-degree: on campaigns collected from files PageRank puts blog authors
# (whose commenters have no other out-ties) above the accounts the most
# people share; in-degree finds those (see benchmarks/RESULTS.md).
TOP_DEFAULT: dict[str, str] = {
    "influencers": "indegree",
    "bridges": "bridge_score",
    "hubs": "hub",
    "brokers": "brokerage",
}


def _read(store: Store, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    cols = list(ACCOUNT_COLUMNS[1:]) + [c for c in extra if c not in ACCOUNT_COLUMNS]
    df = store.nodes("Account", columns=cols)
    for c in (*_NUMERIC, *extra):
        if c in df.columns and c not in _INTS:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    for c in _INTS:
        if c in df.columns:
            df[c] = pd.to_numeric(df[c], errors="coerce").round().astype("Int64")
    df["community"] = pd.to_numeric(df["community"], errors="coerce").astype("Int64")
    plat = df["platform"]
    df["platform"] = plat.where(plat.notna() & (plat.astype(str) != ""),
                                df["key"].astype(str).str.split(":", n=1).str[0])
    return df


def _sort_desc(df: pd.DataFrame, col: str) -> pd.DataFrame:
    asc = col in _ASCENDING
    return df.sort_values([col, "key"], ascending=[asc, True], na_position="last",
                          kind="stable").reset_index(drop=True)


def accounts_table(store: Store) -> pd.DataFrame:
    """Every account with its group and metrics, by PageRank (accounts without one last).

    Columns: ``key, platform, handle, name, url, group, group_score,
    group_source, community, pagerank, indegree, bridge_score, betweenness,
    cross_group_share``. Accounts not analysed yet have NaN metrics.
    """
    df = _read(store)
    return _sort_desc(df[list(ACCOUNT_COLUMNS)], "pagerank")


def _require_analysis(store: Store) -> None:
    if store.meta("analysis") is None:
        raise AnalysisError("no analysis results in this store: run `netmap analyze` first")


def top(store: Store, what: str, *, group: str | None = None, limit: int = 20,
        by: str | None = None) -> pd.DataFrame:
    """Top accounts: influencers, bridges, hubs or brokers.

    ``"influencers"`` rank by weighted in-degree (the tie weight of everyone
    who shared, quoted, answered or linked them), ``"bridges"`` by bridge
    score, ``"hubs"`` by HITS hub score (accounts that carry the content of
    the most-carried accounts), ``"brokers"`` by Gould–Fernandez brokerage
    (:data:`TOP_DEFAULT`). Columns are :data:`TOP_COLUMNS` ``[what]``: the
    account, its group and community, the ranking metric and the metrics
    that explain it.

    Parameters
    ----------
    store : Store
    what : {"influencers", "bridges", "hubs", "brokers"}
    group : str, optional
        Only accounts whose stance group is this one.
    limit : int
        Rows returned.
    by : str, optional
        Rank by another stored metric instead (e.g. ``pagerank``, ``reach2``,
        ``group_pagerank``, ``betweenness``, ``broker_gatekeeper``); it is
        added to the columns when not among them. ``constraint`` ranks
        lowest first (the least constrained accounts broker most).

    Raises
    ------
    AnalysisError
        When ``netmap analyze`` has not run on this store.
    UsageError
        For an unknown ``what``, or a group no account belongs to.
    """
    if what not in TOP_COLUMNS:
        raise UsageError(f"top what? use one of {', '.join(TOP_COLUMNS)}, not {what!r}")
    _require_analysis(store)
    cols = list(TOP_COLUMNS[what])
    metric = by or TOP_DEFAULT[what]
    if metric not in _RANKABLE:
        raise UsageError(f"cannot rank by {metric!r}; use one of {', '.join(_RANKABLE)}")
    if metric not in cols:
        cols.append(metric)
    df = _read(store, tuple(c for c in cols if c not in ACCOUNT_COLUMNS))
    for c in cols:
        if c not in df.columns:  # stored by an older analysis run
            df[c] = np.nan
    if group is not None:
        present = sorted({str(g) for g in df["group"].dropna() if str(g)})
        if group not in present:
            hint = (f"groups present: {', '.join(present)}" if present
                    else "no account has a group yet: run `netmap stance` first")
            raise UsageError(f"no account is in group {group!r}; {hint}")
        df = df[df["group"] == group]
    df = df[df[metric].notna()]
    return _sort_desc(df[cols], metric).head(max(int(limit), 0))


def communities_table(store: Store, limit_members: int = 5) -> pd.DataFrame:
    """Stored communities, largest first.

    Columns ``id, size, top_members, group_mix, platforms`` and, when the
    last ``netmap analyze`` stored them, ``top_urls, top_hashtags,
    top_posts`` (see :func:`netmap.analysis.content.community_content`).
    ``top_members`` joins the keys of the ``limit_members`` members with the
    highest weighted in-degree; ``group_mix`` and ``platforms`` read like
    ``"critic:12, boycott:3"``.
    """
    import json

    _require_analysis(store)
    df = _read(store)
    score = "indegree" if df["indegree"].notna().any() else "pagerank"
    frame = df[["key", "platform", "group", "community", score]].copy()
    frame["community"] = frame["community"].astype("float").to_numpy()
    frame.loc[~np.isfinite(frame["community"]), "community"] = np.nan
    out = summarise_communities(frame, score_col=score, group_col="group", top_n=limit_members)
    raw = store.meta("analysis.communities")
    if raw:
        try:
            stored = pd.DataFrame(json.loads(raw))
        except ValueError:
            stored = pd.DataFrame()
        extra = [c for c in ("top_urls", "top_hashtags", "top_posts") if c in stored.columns]
        if extra and "id" in stored.columns and len(out):
            out = out.merge(stored[["id", *extra]], on="id", how="left")
            for c in extra:
                out[c] = out[c].astype(object).fillna("")
    return out
