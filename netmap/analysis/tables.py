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

__all__ = ["ACCOUNT_COLUMNS", "TOP_COLUMNS", "accounts_table", "top", "communities_table"]

ACCOUNT_COLUMNS: tuple[str, ...] = (
    "key", "platform", "handle", "name", "url", "group", "group_score", "group_source",
    "community", "pagerank", "indegree", "bridge_score", "betweenness", "cross_group_share",
)
_NUMERIC = ("group_score", "pagerank", "indegree", "bridge_score", "betweenness",
            "cross_group_share")
_INTS = ("reach", "cross_platform_reach", "n_groups_touched", "coreness")
# Stored metrics `top --by` accepts (what analyze() writes, community excepted).
_RANKABLE = ("pagerank", "indegree", "hub", "authority", "coreness", "reach",
             "cross_platform_reach", "betweenness", "cross_group_share", "n_groups_touched",
             "bridge_score")
# What `top` shows: identity, then the ranking metric and the ones that explain it.
TOP_COLUMNS: dict[str, tuple[str, ...]] = {
    "influencers": ("key", "platform", "name", "group", "community", "pagerank", "indegree",
                    "reach", "cross_platform_reach"),
    "bridges": ("key", "platform", "name", "group", "community", "bridge_score",
                "betweenness", "cross_group_share", "n_groups_touched"),
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
    return df.sort_values([col, "key"], ascending=[False, True], na_position="last",
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
    """Top accounts: ``"influencers"`` by PageRank or ``"bridges"`` by bridge score.

    Columns are :data:`TOP_COLUMNS` ``[what]``: the account, its group and
    community, the ranking metric and the metrics that explain it.

    Parameters
    ----------
    store : Store
    what : {"influencers", "bridges"}
    group : str, optional
        Only accounts whose stance group is this one.
    limit : int
        Rows returned.
    by : str, optional
        Rank by another stored metric instead (e.g. ``indegree``, ``reach``,
        ``betweenness``); it is added to the columns when not among them.

    Raises
    ------
    AnalysisError
        When ``netmap analyze`` has not run on this store.
    UsageError
        For an unknown ``what``, or a group no account belongs to.
    """
    if what not in TOP_COLUMNS:
        raise UsageError(f"top what? use 'influencers' or 'bridges', not {what!r}")
    _require_analysis(store)
    cols = list(TOP_COLUMNS[what])
    metric = by or ("pagerank" if what == "influencers" else "bridge_score")
    if metric not in _RANKABLE:
        raise UsageError(f"cannot rank by {metric!r}; use one of {', '.join(_RANKABLE)}")
    if metric not in cols:
        cols.append(metric)
    df = _read(store, tuple(c for c in cols if c not in ACCOUNT_COLUMNS))
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
    """Stored communities: ``id, size, top_members, group_mix, platforms``, largest first.

    ``top_members`` joins the keys of the ``limit_members`` members with the
    highest PageRank; ``group_mix`` and ``platforms`` read like
    ``"critic:12, boycott:3"``.
    """
    _require_analysis(store)
    df = _read(store)
    frame = df[["key", "platform", "group", "community", "pagerank"]].copy()
    frame["community"] = frame["community"].astype("float").to_numpy()
    frame.loc[~np.isfinite(frame["community"]), "community"] = np.nan
    return summarise_communities(frame, score_col="pagerank", group_col="group",
                                 top_n=limit_members)
