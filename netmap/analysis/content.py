"""What accounts post about: top links, hashtags and posts per community, and bridging content.

These read the post layer of the store (posts, their links, shares and tags)
rather than the actor graph: which URLs a community circulates, and which
posts or pages are engaged with by accounts of several stance groups — the
content that bridges camps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..store.base import Store

if TYPE_CHECKING:
    from .project import ActorGraph

__all__ = ["ENGAGEMENT_TYPES", "community_content", "bridging_content", "format_counts"]

# Relationships by which a post engages with another post or a page.
ENGAGEMENT_TYPES: tuple[str, ...] = ("SHARES", "QUOTES", "REPLIES_TO", "LINKS_TO")


def format_counts(labels: Sequence[str], counts: Sequence[int]) -> str:
    """``"a (3), b (2)"``."""
    return ", ".join(f"{lab} ({int(c)})" for lab, c in zip(labels, counts, strict=True))


def _authors(store: Store) -> pd.DataFrame:
    """``post, account`` for every authored post (one author per post)."""
    au = store.edges(["AUTHORED"])
    au = au[(au["src_label"] == "Account") & (au["dst_label"] == "Post")]
    out = pd.DataFrame({"post": au["dst"].astype(str).to_numpy(),
                        "account": au["src"].astype(str).to_numpy()})
    return out.drop_duplicates("post").reset_index(drop=True)


def _in_window(store: Store, authors: pd.DataFrame, since: str | None,
               until: str | None) -> pd.DataFrame:
    """The rows of ``authors`` whose post was created in ``[since, until)`` (all without bounds)."""
    if since is None and until is None:
        return authors
    posts = store.nodes("Post", columns=["created_at"]).drop_duplicates("key")
    created = posts.set_index("key")["created_at"].astype(object)
    when = created.reindex(authors["post"].to_numpy()).fillna("").astype(str).to_numpy()
    ok = when != ""
    if since is not None:
        ok &= when >= since
    if until is not None:
        ok &= when < until
    return authors[ok]


def _display(store: Store, keys: pd.Series, labels: pd.Series) -> pd.Series:
    """What to show for Post/Url keys: a post's ``url`` property (else its key); a Url's key.

    A Url's key is its canonical form, the same for every variant people
    pasted (tracking parameters, http/https), while its ``url`` property is
    whichever variant was stored last.
    """
    out = keys.astype(str).copy()
    for label in ("Post",):
        m = (labels == label).to_numpy()
        if not m.any():
            continue
        nodes = store.nodes(label, columns=["url"]).drop_duplicates("key").set_index("key")
        url = nodes["url"].reindex(out[m].to_numpy()).to_numpy(dtype=object)
        have = pd.notna(url) & (pd.Series(url).astype(str) != "").to_numpy()
        vals = out[m].to_numpy(dtype=object)
        vals[have] = url[have]
        out[m] = vals
    return out


def _top_per(frame: pd.DataFrame, by: str, item: str, count: str, top_n: int,
             label: pd.Series | None = None) -> pd.Series:
    """Per ``by`` value, the ``top_n`` items by ``count`` (ties by item) as ``"item (n), ..."``."""
    if frame.empty:
        return pd.Series(dtype=object)
    f = frame.sort_values([by, count, item], ascending=[True, False, True], kind="stable")
    f = f.groupby(by, sort=True).head(top_n)
    shown = f[item] if label is None else label.loc[f.index]
    f = f.assign(_s=shown.astype(str) + " (" + f[count].astype(int).astype(str) + ")")
    return f.groupby(by, sort=True)["_s"].agg(", ".join)


def community_content(
    store: Store,
    ag: ActorGraph,
    membership: Sequence[int] | np.ndarray,
    *,
    top_n: int = 5,
) -> pd.DataFrame:
    """Top URLs, hashtags and posts of each community, from its members' posts.

    Parameters
    ----------
    store : Store
        The store the actor graph was projected from.
    ag : ActorGraph
        Its window (``since``/``until``) applies to the members' posts.
    membership : sequence of int
        Community id per vertex.
    top_n : int
        Items per list.

    Returns
    -------
    DataFrame
        ``id, top_urls, top_hashtags, top_posts``, one row per community with
        any content: ``top_urls`` are the pages and posts members linked to or
        shared, by number of distinct members; ``top_hashtags`` the tags on
        members' posts, by distinct members; ``top_posts`` members' own posts
        by the number of distinct accounts that shared, quoted, answered or
        linked them. Each reads ``"item (n), ..."``.
    """
    mem = np.asarray(membership, dtype=np.int64)
    comm_of = pd.Series(mem, index=ag.accounts["key"].astype(str).to_numpy())
    all_authors = _authors(store)
    authors = _in_window(store, all_authors, ag.since, ag.until).copy()
    authors["community"] = comm_of.reindex(authors["account"].to_numpy()).to_numpy()
    authors = authors[authors["community"].notna()]
    authors["community"] = authors["community"].astype(np.int64)
    by_post = authors.set_index("post")
    out = pd.DataFrame({"id": np.arange(int(mem.max()) + 1 if len(mem) else 0)})

    links = store.edges(["LINKS_TO", "SHARES"])
    links = links[links["src_label"] == "Post"]
    links = links[links["dst_label"].isin(["Url", "Post"])]
    lk = pd.DataFrame({"post": links["src"].astype(str).to_numpy(),
                       "target": links["dst"].astype(str).to_numpy(),
                       "label": links["dst_label"].astype(str).to_numpy()})
    lk = lk.join(by_post, on="post", how="inner")
    lk = lk.drop_duplicates(["community", "target", "account"])
    urls = lk.groupby(["community", "target", "label"], as_index=False).size()
    urls = urls.rename(columns={"size": "n"})
    shown = _display(store, urls["target"], urls["label"])
    out["top_urls"] = out["id"].map(_top_per(urls, "community", "target", "n", top_n,
                                              label=shown)).astype(object).fillna("")

    tags = store.edges(["TAGGED"])
    tg = pd.DataFrame({"post": tags["src"].astype(str).to_numpy(),
                       "tag": tags["dst"].astype(str).to_numpy()})
    tg = tg.join(by_post, on="post", how="inner").drop_duplicates(["community", "tag", "account"])
    tc = tg.groupby(["community", "tag"], as_index=False).size().rename(columns={"size": "n"})
    tc["tag"] = "#" + tc["tag"].astype(str)
    out["top_hashtags"] = out["id"].map(_top_per(tc, "community", "tag", "n", top_n)).astype(object).fillna("")

    eng = store.edges(list(ENGAGEMENT_TYPES))
    eng = eng[(eng["src_label"] == "Post") & (eng["dst_label"] == "Post")]
    en = pd.DataFrame({"post": eng["dst"].astype(str).to_numpy(),
                       "by_post": eng["src"].astype(str).to_numpy()})
    by_author = all_authors.set_index("post")["account"]
    en["by"] = by_author.reindex(en["by_post"].to_numpy()).to_numpy()
    en = en[en["by"].notna()].join(by_post, on="post", how="inner")
    en = en[en["by"] != en["account"]].drop_duplicates(["post", "by"])
    pc = en.groupby(["community", "post"], as_index=False).size().rename(columns={"size": "n"})
    shown = _display(store, pc["post"], pd.Series(["Post"] * len(pc), index=pc.index))
    out["top_posts"] = out["id"].map(_top_per(pc, "community", "post", "n", top_n,
                                               label=shown)).astype(object).fillna("")
    return out


def _entropy(counts: np.ndarray) -> np.ndarray:
    """Shannon entropy (bits) of each row of non-negative counts."""
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(total > 0, counts / np.where(total > 0, total, 1), 0.0)
        logs = np.where(p > 0, np.log2(np.where(p > 0, p, 1.0)), 0.0)
    return -(p * logs).sum(axis=1)


def bridging_content(
    store: Store,
    groups: pd.Series | None = None,
    *,
    since: str | None = None,
    until: str | None = None,
    min_groups: int = 2,
    types: Sequence[str] = ENGAGEMENT_TYPES,
    limit: int | None = 50,
) -> pd.DataFrame:
    """Posts and pages engaged with by accounts of several stance groups, most mixed first.

    An engagement is a share, quote, reply or link (``types``) from a post
    to another post or to a page (Url); the engaging account is the acting
    post's author, and its own content does not count. Each item is scored by
    the Shannon entropy (bits) of the groups of its distinct engaging
    accounts: content the camps discuss in equal measure scores highest
    (``log2`` of the number of groups), content one camp dominates near 0.

    Parameters
    ----------
    store : Store
    groups : Series, optional
        Group per account key; default the accounts' stored ``group``.
    since, until : str, optional
        ISO bounds on the engaging posts' ``created_at`` (until exclusive).
    min_groups : int
        Fewest distinct groups among the engaging accounts.
    types : sequence of str
        Engagement relationships.
    limit : int, optional
        Rows returned (None: all).

    Returns
    -------
    DataFrame
        ``key, label (Post|Url), url, author, author_group, n_accounts,
        n_groups, groups, entropy``: ``n_accounts`` counts engaging accounts
        with a group, ``groups`` reads ``"critic:5, supporter:3"``.
    """
    from .project import _normalise_bound

    bad = [t for t in types if t not in ENGAGEMENT_TYPES]
    if bad:
        raise UsageError(f"unknown engagement type(s) {bad}; use {', '.join(ENGAGEMENT_TYPES)}")
    since = _normalise_bound(since, "since")
    until = _normalise_bound(until, "until")
    if groups is None:
        acc = store.nodes("Account", columns=["group"])
        groups = pd.Series(acc["group"].to_numpy(dtype=object), index=acc["key"].astype(str))
    groups = groups[groups.notna() & (groups.astype(str) != "")].astype(str)
    groups = groups[~groups.index.duplicated()]
    cols = ["key", "label", "url", "author", "author_group", "n_accounts", "n_groups", "groups",
            "entropy"]
    eng = store.edges(list(types))
    eng = eng[(eng["src_label"] == "Post") & eng["dst_label"].isin(["Post", "Url"])]
    if eng.empty or groups.empty:
        return pd.DataFrame(columns=cols)
    authors = _authors(store)
    acting = _in_window(store, authors, since, until).set_index("post")["account"]
    all_authors = authors.set_index("post")["account"]
    e = pd.DataFrame({"target": eng["dst"].astype(str).to_numpy(),
                      "label": eng["dst_label"].astype(str).to_numpy()})
    e["by"] = acting.reindex(eng["src"].astype(str).to_numpy()).to_numpy()
    e = e[e["by"].notna()]
    e["owner"] = np.where(e["label"] == "Post",
                          all_authors.reindex(e["target"].to_numpy()).to_numpy(), None)
    e = e[e["by"] != e["owner"]]
    e["group"] = groups.reindex(e["by"].to_numpy()).to_numpy()
    e = e[e["group"].notna()].drop_duplicates(["target", "label", "by"])
    if e.empty:
        return pd.DataFrame(columns=cols)
    tcode, targets = pd.factorize(pd.MultiIndex.from_arrays([e["target"], e["label"]]))
    gcode, glabels = pd.factorize(e["group"])
    counts = np.bincount(tcode * len(glabels) + gcode,
                         minlength=len(targets) * len(glabels)).reshape(len(targets), len(glabels))
    n_groups = (counts > 0).sum(axis=1)
    rows = np.flatnonzero(n_groups >= min_groups)
    res = pd.DataFrame({
        "row": rows,
        "key": [targets[i][0] for i in rows],
        "label": [targets[i][1] for i in rows],
        "n_accounts": counts[rows].sum(axis=1),
        "n_groups": n_groups[rows],
        "entropy": _entropy(counts[rows].astype(float)),
    })
    res = res.sort_values(["entropy", "n_accounts", "key"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)
    if limit is not None:
        res = res.head(max(int(limit), 0)).copy()
    names = np.asarray(glabels, dtype=object)

    def mix_of(r: int) -> str:
        c = counts[r]
        nz = np.flatnonzero(c)
        order = sorted(nz.tolist(), key=lambda j: (-c[j], str(names[j])))
        return ", ".join(f"{names[j]}:{c[j]}" for j in order)

    res["groups"] = [mix_of(r) for r in res["row"].tolist()]
    res["url"] = _display(store, res["key"], res["label"]).to_numpy()
    owner = all_authors.reindex(res["key"].to_numpy()).to_numpy(dtype=object)
    res["author"] = np.where(res["label"] == "Post", owner, None)
    res["author_group"] = [groups.get(a) if isinstance(a, str) else None for a in res["author"]]
    return res[cols]
