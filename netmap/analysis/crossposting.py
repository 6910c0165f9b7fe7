"""How content moves between platforms: cross-platform items, cascades and carriers.

Content spreads along *carrying* relationships, each pointing from the later
post to what it carries:

* ``SHARES`` (retweets, forwards, reposts, and short social posts carrying a
  link to a known post), ``QUOTES``, ``CROSSPOST_OF`` (a copy of the text on
  another platform, see :mod:`netmap.resolve.crosspost`), and ``LINKS_TO`` (a
  blog article citing another post, or any post linking a web page);
* ``REPLIES_TO`` is conversation, not carrying: it belongs to a post's
  cascade (the comments under it) but never counts as moving content.

An item's *members* are the posts that carry it directly (any carrying type)
and, recursively, whatever shares, quotes or copies those posts. Links are
followed one hop only: a blog citing a post carries that post, but the
citing blog's own readers carry the citing blog.

* :func:`cross_platform_content` lists items seen on several platforms.
* :func:`cascade` gives one item's tree: who carried it where, when.
* :func:`carriers` ranks the accounts that moved content from one platform to
  another: the posts whose parent is on another platform, with how often each
  account was the *first* on the new platform and how much followed there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..keys import is_http_url, url_key
from ..store.base import SOCIAL_PLATFORMS

if TYPE_CHECKING:
    from ..store.base import Store

__all__ = [
    "CARRY_TYPES",
    "Cascade",
    "spread_edges",
    "members",
    "cross_platform_content",
    "cascade",
    "cascade_lines",
    "carriers",
    "carriers_table",
]

CARRY_TYPES: dict[str, str] = {
    "SHARES": "share", "QUOTES": "quote", "CROSSPOST_OF": "crosspost", "LINKS_TO": "link",
}
_RECURSIVE = ("share", "quote", "crosspost")
_POST_COLS = ["platform", "kind", "title", "text", "created_at", "url"]


def _epoch(values: pd.Series) -> np.ndarray:
    """Seconds since 1970 (float, NaN where missing) from ISO-8601 strings."""
    ts = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
    # Subtracting the epoch works whatever resolution pandas picked (s, ms, us, ns).
    sec = (ts - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(seconds=1)
    return sec.to_numpy(dtype=float, na_value=np.nan)


def _authors(store: Store) -> pd.Series:
    a = store.edges(["AUTHORED"])
    a = a[(a["src_label"] == "Account") & (a["dst_label"] == "Post")]
    a = a.sort_values(["dst", "src"]).drop_duplicates("dst")
    return pd.Series(a["src"].to_numpy(), index=a["dst"].to_numpy())


@dataclass
class _Data:
    posts: pd.DataFrame  # indexed by key
    edges: pd.DataFrame  # child, parent, rel, parent_label
    author: pd.Series
    urls: pd.DataFrame

    @classmethod
    def load(cls, store: Store, *, replies: bool = False) -> _Data:
        posts = store.nodes("Post", columns=_POST_COLS).set_index("key", drop=False)
        posts["t"] = _epoch(posts["created_at"])
        types = list(CARRY_TYPES) + (["REPLIES_TO"] if replies else [])
        e = store.edges(types)
        e = e[(e["src_label"] == "Post") & e["dst_label"].isin(["Post", "Url"])]
        rel = e["type"].map({**CARRY_TYPES, "REPLIES_TO": "reply"}).to_numpy(dtype=object)
        # A short social post linking a page shares it (as the store's reconcile step says
        # for known posts); a blog article linking a page cites it.
        social = posts["platform"].reindex(e["src"]).isin(SOCIAL_PLATFORMS).to_numpy(dtype=bool)
        rel = np.where((rel == "link") & social, "share", rel)
        edges = pd.DataFrame({"child": e["src"].to_numpy(), "parent": e["dst"].to_numpy(),
                              "rel": rel, "parent_label": e["dst_label"].to_numpy()})
        urls = store.nodes("Url", columns=["url"]).set_index("key", drop=False)
        return cls(posts=posts, edges=edges, author=_authors(store), urls=urls)


def spread_edges(store: Store, *, replies: bool = False) -> pd.DataFrame:
    """Carrying relationships as ``child, parent, rel, child_platform, parent_platform``."""
    d = _Data.load(store, replies=replies)
    e = d.edges.copy()
    plat = d.posts["platform"]
    e["child_platform"] = plat.reindex(e["child"]).to_numpy()
    e["parent_platform"] = np.where(e["parent_label"] == "Post",
                                    plat.reindex(e["parent"]).to_numpy(), "web")
    return e


def members(edges: pd.DataFrame, *, max_depth: int = 30) -> pd.DataFrame:
    """``item, member, depth``: every post that carries each item, directly or through others.

    ``edges`` has ``child, parent, rel`` (as :func:`spread_edges` gives).
    Depth 1 are direct carriers of any type; deeper members only come through
    shares, quotes and cross-posts of members that were themselves reached
    that way (a blog citing the item carries it, the blog's own sharers do not).
    """
    base = edges[edges["rel"] != "reply"]
    level = pd.DataFrame({"item": base["parent"].to_numpy(), "member": base["child"].to_numpy(),
                          "via": base["rel"].to_numpy()})
    level = level[level["member"] != level["item"]].drop_duplicates(["item", "member"])
    level["depth"] = 1
    parts = [level[["item", "member", "depth"]]]
    rec = base[base["rel"].isin(_RECURSIVE)][["child", "parent"]].drop_duplicates()
    seen = level[["item", "member"]]
    frontier = level[level["via"].isin(_RECURSIVE)][["item", "member"]]
    for depth in range(2, max_depth + 1):
        if frontier.empty:
            break
        nxt = rec.merge(frontier, left_on="parent", right_on="member", suffixes=("", "_l"))
        nxt = pd.DataFrame({"item": nxt["item"].to_numpy(), "member": nxt["child"].to_numpy()})
        nxt = nxt[nxt["member"] != nxt["item"]].drop_duplicates()
        if nxt.empty:
            break
        # anti-join: a member already reached at a smaller depth keeps that depth (and cycles end)
        nxt = nxt.merge(seen, on=["item", "member"], how="left", indicator=True)
        nxt = nxt[nxt["_merge"] == "left_only"][["item", "member"]]
        if nxt.empty:
            break
        nxt["depth"] = depth
        parts.append(nxt)
        seen = pd.concat([seen, nxt[["item", "member"]]], ignore_index=True)
        frontier = nxt[["item", "member"]]
    return pd.concat(parts, ignore_index=True)


def _excerpt(title: Any, text: Any, n: int = 80) -> str:
    for v in (title, text):
        if isinstance(v, str) and v.strip():
            v = " ".join(v.split())
            return v if len(v) <= n else v[:n - 1] + "…"
    return ""


def _iso(sec: float) -> str | None:
    if sec is None or not np.isfinite(sec):
        return None
    return pd.Timestamp(int(sec), unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def cross_platform_content(store: Store, *, min_platforms: int = 2,
                           limit: int | None = None) -> pd.DataFrame:
    """Items (posts or web pages) seen on at least ``min_platforms`` platforms.

    Returns
    -------
    DataFrame
        ``key, label, origin_platform, excerpt, platforms, n_platforms,
        n_posts, n_accounts, first_seen, last_seen`` sorted by platforms and
        posts. ``platforms`` lists the item's own platform (a web page's is
        ``web``) and its members' platforms; ``n_posts`` counts the members;
        ``first_seen``/``last_seen`` span the item and its members.
    """
    if min_platforms < 1:
        raise UsageError("--min-platforms must be at least 1")
    d = _Data.load(store)
    cols = ["key", "label", "origin_platform", "excerpt", "platforms", "n_platforms", "n_posts",
            "n_accounts", "first_seen", "last_seen"]
    if d.edges.empty:
        return pd.DataFrame(columns=cols)
    m = members(d.edges)
    plat = d.posts["platform"]
    m["platform"] = plat.reindex(m["member"]).to_numpy()
    m["t"] = d.posts["t"].reindex(m["member"]).to_numpy()
    m["account"] = d.author.reindex(m["member"]).to_numpy()
    items = pd.Index(m["item"].unique())
    is_post = items.isin(d.posts.index)
    # A post's own platform counts; a web page has none (it is seen where it is shared).
    own = pd.DataFrame({
        "item": items[is_post],
        "platform": plat.reindex(items[is_post]).to_numpy(),
        "t": d.posts["t"].reindex(items[is_post]).to_numpy(),
        "account": d.author.reindex(items[is_post]).to_numpy(),
    })
    both = pd.concat([own, m[["item", "platform", "t", "account"]]], ignore_index=True)
    both["platform"] = both["platform"].fillna("unknown")
    g = both.groupby("item", sort=False)
    agg = pd.DataFrame({
        "platforms": g["platform"].agg(lambda s: sorted(set(s))),
        "first": g["t"].min(), "last": g["t"].max(),
        "n_accounts": g["account"].nunique(),
    })
    agg["n_platforms"] = agg["platforms"].map(len)
    agg["n_posts"] = m.groupby("item").size().reindex(agg.index).fillna(0).astype(int)
    agg = agg[agg["n_platforms"] >= min_platforms]
    if agg.empty:
        return pd.DataFrame(columns=cols)
    keys = agg.index
    in_posts = keys.isin(d.posts.index)
    titles = d.posts["title"].reindex(keys).to_numpy()
    texts = d.posts["text"].reindex(keys).to_numpy()
    urls = d.urls["url"].reindex(keys).to_numpy() if len(d.urls) else [None] * len(keys)
    excerpt = [_excerpt(ti, tx) if ip else (u if isinstance(u, str) else k)
               for k, ip, ti, tx, u in zip(keys, in_posts, titles, texts, urls, strict=True)]
    out = pd.DataFrame({
        "key": keys,
        "label": np.where(in_posts, "Post", "Url"),
        "origin_platform": np.where(in_posts, d.posts["platform"].reindex(keys).to_numpy(), "web"),
        "excerpt": excerpt,
        "platforms": [",".join(p) for p in agg["platforms"]],
        "n_platforms": agg["n_platforms"].to_numpy(),
        "n_posts": agg["n_posts"].to_numpy(),
        "n_accounts": agg["n_accounts"].to_numpy(),
        "first_seen": [_iso(x) for x in agg["first"]],
        "last_seen": [_iso(x) for x in agg["last"]],
    })
    out = out.sort_values(["n_platforms", "n_posts", "key"], ascending=[False, False, True])
    out = out.reset_index(drop=True)
    return out.head(limit) if limit else out


# -- one item's cascade -----------------------------------------------------------------


@dataclass
class Cascade:
    """One item's spread: a tree of posts with parents, platforms, accounts and lags.

    ``nodes`` has ``key, parent, relation, depth, platform, kind, account,
    created_at, lag_seconds`` (since the root, or since the earliest post when
    the root is an undated web page), ``parent_lag_seconds`` and ``excerpt``;
    row 0 is the root. ``platforms`` gives posts and accounts per platform;
    ``carriers`` the posts whose parent is on another platform.
    """

    root: str
    nodes: pd.DataFrame
    platforms: pd.DataFrame
    carriers: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        def recs(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: (None if v is pd.NA or (isinstance(v, float) and not np.isfinite(v))
                         else v) for k, v in r.items()} for r in df.to_dict(orient="records")]

        return {"root": self.root, "nodes": recs(self.nodes),
                "platforms": recs(self.platforms), "carriers": recs(self.carriers),
                "params": self.params}


def _root_key(store: Store, ref: str) -> tuple[str, str]:
    ref = ref.strip()
    candidates = [ref]
    if is_http_url(ref):
        try:
            candidates.insert(0, url_key(ref))
        except ValueError:
            pass
    elif "/" in ref and ":" not in ref.split("/", 1)[0]:
        try:
            candidates.append(url_key("https://" + ref))
        except ValueError:
            pass
    for c in candidates:
        if store.get_node("Post", c) is not None:
            return c, "Post"
    for c in candidates:
        if store.get_node("Url", c) is not None:
            return c, "Url"
    raise UsageError(f"no post or web page {ref!r} in the store; give a post key "
                     "(see `netmap crossposts`) or the URL of a collected post")


def cascade(store: Store, ref: str, *, replies: bool = True, max_depth: int = 50) -> Cascade:
    """How one post (or web page) spread: everything that carries or answers it, recursively.

    Parameters
    ----------
    store : Store
    ref : str
        A post key or a URL (canonicalised with :func:`netmap.keys.url_key`).
    replies : bool
        Include replies and comments (``REPLIES_TO``) in the tree.
    max_depth : int
        Stop after this many hops.

    Each post appears once, under the parent through which it is reached first
    (breadth first, earlier parents first), so a DAG becomes a tree. Articles
    that link the item are shown but not expanded: what spreads below them is
    their own content.
    """
    root, label = _root_key(store, ref)
    d = _Data.load(store, replies=replies)
    e = d.edges
    e = e[e["child"] != e["parent"]]
    if not replies:
        e = e[e["rel"] != "reply"]
    t = d.posts["t"]
    parent: dict[str, tuple[str | None, str, int]] = {root: (None, "root", 0)}
    order = [root]
    frontier = [root]
    depth = 0
    # Breadth first, one vectorised step per level (no per-edge Python over the whole store).
    while frontier and depth < max_depth:
        depth += 1
        step = e[e["parent"].isin(frontier) & ~e["child"].isin(parent.keys())]
        if step.empty:
            break
        # Earlier parents claim shared children first; children in time order.
        step = step.assign(
            _tp=t.reindex(step["parent"]).fillna(np.inf).to_numpy(),
            _tc=t.reindex(step["child"]).fillna(np.inf).to_numpy(),
        ).sort_values(["_tp", "parent", "_tc", "child"]).drop_duplicates("child")
        nxt: list[str] = []
        for c, p, r in zip(step["child"].tolist(), step["parent"].tolist(),
                           step["rel"].tolist(), strict=True):
            parent[c] = (p, r, depth)
            if r != "link":  # a citing article is shown, its own audience is not this item's
                nxt.append(c)
        # Keep the tree order: children listed under their parents, parents in order.
        order.extend(step["child"].tolist())
        frontier = nxt
    keys = pd.Index(order)
    posts = d.posts.reindex(keys)
    tt = posts["t"].to_numpy(dtype=float)
    t0 = tt[0] if np.isfinite(tt[0]) else (np.nanmin(tt) if np.isfinite(tt).any() else np.nan)
    par = [parent[k][0] for k in order]
    t_of = dict(zip(order, tt.tolist(), strict=True))
    plat = posts["platform"].to_numpy(dtype=object)
    if label == "Url":
        plat[0] = "web"
    nodes = pd.DataFrame({
        "key": order,
        "parent": par,
        "relation": [parent[k][1] for k in order],
        "depth": [parent[k][2] for k in order],
        "platform": plat,
        "kind": posts["kind"].to_numpy(dtype=object),
        "account": d.author.reindex(keys).to_numpy(dtype=object),
        "created_at": posts["created_at"].to_numpy(dtype=object),
        "lag_seconds": [int(x - t0) if np.isfinite(x) and np.isfinite(t0) else None for x in tt],
        "parent_lag_seconds": [
            int(t_of[k] - t_of[p]) if p is not None and np.isfinite(t_of[k])
            and np.isfinite(t_of[p]) else None for k, p in zip(order, par, strict=True)],
        "excerpt": [(d.urls["url"].get(root, root) if (i == 0 and label == "Url") else
                     _excerpt(ti, tx)) for i, (ti, tx) in
                    enumerate(zip(posts["title"].tolist(), posts["text"].tolist(), strict=True))],
    })
    nodes["platform"] = nodes["platform"].fillna("unknown")
    for col in ("lag_seconds", "parent_lag_seconds"):  # whole seconds, missing when undated
        nodes[col] = pd.array(nodes[col].tolist(), dtype="Int64")
    plat_of = dict(zip(nodes["key"], nodes["platform"], strict=True))
    # Reach per platform.
    pf = nodes.assign(_t=tt).groupby("platform", sort=False).agg(
        posts=("key", "size"), accounts=("account", "nunique"), first=("_t", "min"),
    ).reset_index()
    pf["first_seen"] = [_iso(x) for x in pf["first"]]
    pf["first_lag_seconds"] = [int(x - t0) if np.isfinite(x) and np.isfinite(t0) else None
                               for x in pf["first"]]
    pf = pf.drop(columns=["first"]).sort_values(["first_lag_seconds", "platform"],
                                                 na_position="last").reset_index(drop=True)
    # Carriers: carrying (not reply) hops onto another platform.
    hop = nodes[(nodes["relation"] != "reply") & nodes["parent"].notna()].copy()
    hop["carried_from"] = hop["parent"].map(plat_of)
    hop = hop[hop["carried_from"] != hop["platform"]]
    below = _descendants_on_platform(nodes)
    first_on = {p: k for p, k in zip(*_first_per_platform(nodes), strict=True)}
    car = pd.DataFrame({
        "platform": hop["platform"].to_numpy(),
        "account": hop["account"].to_numpy(),
        "carried_from": hop["carried_from"].to_numpy(),
        "post": hop["key"].to_numpy(),
        "relation": hop["relation"].to_numpy(),
        "lag_seconds": hop["lag_seconds"].to_numpy(),
        "first_on_platform": [first_on.get(p) == k for p, k in
                              zip(hop["platform"], hop["key"], strict=True)],
        "downstream": [below.get(k, 0) for k in hop["key"]],
    })
    car = car.sort_values(["platform", "lag_seconds", "post"], na_position="last")
    car = car.reset_index(drop=True)
    return Cascade(root=root, nodes=nodes, platforms=pf, carriers=car,
                   params={"replies": replies, "max_depth": max_depth, "label": label})


def _first_per_platform(nodes: pd.DataFrame) -> tuple[list[str], list[str]]:
    t = nodes["lag_seconds"].astype("Float64").to_numpy(dtype=float, na_value=np.inf)
    df = nodes.assign(_t=t)
    df = df[df["relation"] != "reply"].sort_values(["_t", "key"])
    first = df.drop_duplicates("platform")
    return first["platform"].tolist(), first["key"].tolist()


def _descendants_on_platform(nodes: pd.DataFrame) -> dict[str, int]:
    """For each post: how many posts below it in the tree are on its platform (replies excluded)."""
    kids: dict[str, list[str]] = defaultdict(list)
    plat = dict(zip(nodes["key"], nodes["platform"], strict=True))
    for k, p, r in zip(nodes["key"], nodes["parent"], nodes["relation"], strict=True):
        if p is not None and r != "reply":
            kids[p].append(k)
    out: dict[str, int] = {}
    for k in reversed(nodes["key"].tolist()):  # children come after parents in BFS order
        out[k] = sum(out[c] + (plat[c] == plat[k]) for c in kids.get(k, ()))
    return out


def cascade_lines(c: Cascade, *, width: int = 70) -> list[str]:
    """The cascade as an indented tree of text lines (for terminals)."""
    kids: dict[str | None, list[int]] = defaultdict(list)
    for i, p in enumerate(c.nodes["parent"].tolist()):
        kids[p].append(i)
    rows = c.nodes.to_dict(orient="records")
    lines: list[str] = []

    def fmt_lag(sec: Any) -> str:
        if sec is None or (isinstance(sec, float) and not np.isfinite(sec)):
            return ""
        sec = int(sec)
        sign = "-" if sec < 0 else "+"
        sec = abs(sec)
        d, rem = divmod(sec, 86400)
        h, rem = divmod(rem, 3600)
        m = rem // 60
        return sign + (f"{d}d{h}h" if d else f"{h}h{m:02d}m" if h else f"{m}m")

    def walk(i: int, prefix: str, last: bool, top: bool) -> None:
        r = rows[i]
        head = "" if top else prefix + ("└─ " if last else "├─ ")
        rel = "" if top else f"{r['relation']}: "
        acct = r["account"] if isinstance(r["account"], str) else "?"
        when = r["created_at"] if isinstance(r["created_at"], str) else "undated"
        ex = r["excerpt"] or ""
        ex = ex if len(ex) <= width else ex[:width - 1] + "…"
        lines.append(f"{head}{rel}[{r['platform']}] {acct}  {when} {fmt_lag(r['lag_seconds'])}"
                     f"  {r['key']}" + (f"  «{ex}»" if ex else ""))
        ch = kids.get(r["key"], [])
        for n, j in enumerate(ch):
            walk(j, "" if top else prefix + ("   " if last else "│  "), n == len(ch) - 1, False)

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        walk(0, "", True, True)
    finally:
        sys.setrecursionlimit(limit)
    return lines


# -- carriers across all content -----------------------------------------------------------


def carriers(store: Store) -> pd.DataFrame:
    """Accounts that carry content from one platform to another, across all content.

    A *carry* is a post on platform B that shares, quotes, copies or links a
    collected post on platform A != B (links to web pages are not counted).
    Per (account, platform B, carried_from A):

    * ``n_posts`` carries and ``n_items`` distinct top-level items carried
      (an item is a post or page that itself carries nothing);
    * ``n_first``: items for which this account's carry was the first post on
      B;
    * ``downstream``: posts on B that then carried this account's carries
      further (retweets of its tweet sharing a blog post ...);
    * ``first_lag_seconds`` / ``median_lag_seconds``: time from the carried
      post to the carry.

    Sorted by ``n_first``, ``downstream``, ``n_items``.
    """
    cols = ["account", "platform", "carried_from", "n_items", "n_posts", "n_first", "downstream",
            "first_lag_seconds", "median_lag_seconds"]
    d = _Data.load(store)
    e = d.edges
    if e.empty:
        return pd.DataFrame(columns=cols)
    plat = d.posts["platform"]
    e = e.assign(
        cp=plat.reindex(e["child"]).to_numpy(),
        pp=np.where(e["parent_label"] == "Post", plat.reindex(e["parent"]).to_numpy(), "web"),
    )
    # Carries between posts: a link to a web page is no move between collected platforms.
    hops = e[(e["parent_label"] == "Post") & e["cp"].notna() & e["pp"].notna()
             & (e["cp"] != e["pp"])].copy()
    if hops.empty:
        return pd.DataFrame(columns=cols)
    m = members(d.edges)
    m["platform"] = plat.reindex(m["member"]).to_numpy()
    m["t"] = d.posts["t"].reindex(m["member"]).to_numpy()
    # Top items carry nothing themselves (a blog article citing others still is one).
    carrying = set(d.edges.loc[d.edges["rel"].isin(_RECURSIVE), "child"])
    tops = m[~m["item"].isin(carrying)]
    # The first post on each platform for each top item (the item's own platform excluded).
    item_plat = pd.Series(np.where(tops["item"].isin(d.posts.index),
                                   plat.reindex(tops["item"]).to_numpy(), "web"),
                          index=tops.index)
    tp = tops[tops["platform"].notna() & (tops["platform"] != item_plat)]
    tp = tp.assign(_t=tp["t"].fillna(np.inf)).sort_values(["item", "platform", "_t", "member"])
    first = tp.drop_duplicates(["item", "platform"])
    first_posts = first.groupby("member")["item"].nunique()
    # The top items each carry belongs to.
    item_of = tops.groupby("member")["item"].agg(lambda s: sorted(set(s)))
    # Downstream: members of the carry on its own platform.
    dm = m[m["item"].isin(set(hops["child"]))]
    dm = dm[dm["platform"].to_numpy() == plat.reindex(dm["item"]).to_numpy()]
    downstream = dm.groupby("item").size()

    hops["account"] = d.author.reindex(hops["child"]).to_numpy()
    hops = hops[hops["account"].notna()]
    tc = d.posts["t"].reindex(hops["child"]).to_numpy(dtype=float)
    tpar = d.posts["t"].reindex(hops["parent"]).to_numpy(dtype=float)
    hops["lag"] = tc - tpar
    hops["n_first"] = first_posts.reindex(hops["child"]).fillna(0).to_numpy()
    hops["down"] = downstream.reindex(hops["child"]).fillna(0).to_numpy()
    hops["items"] = [item_of.get(c) or [p] for c, p in zip(hops["child"], hops["parent"],
                                                            strict=True)]
    # A carry post with several parents on another platform counts once per group.
    hops = hops.drop_duplicates(["child", "account", "cp", "pp"])
    rows = []
    for (acct, b, a), g in hops.groupby(["account", "cp", "pp"], sort=False):
        lags = g["lag"].to_numpy(dtype=float)
        lags = lags[np.isfinite(lags)]
        items = {i for lst in g["items"] for i in lst}
        rows.append((acct, b, a, len(items), len(g), int(g["n_first"].sum()),
                     int(g["down"].sum()),
                     int(lags.min()) if len(lags) else None,
                     int(np.median(lags)) if len(lags) else None))
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["n_first", "downstream", "n_items", "account"],
                          ascending=[False, False, False, True]).reset_index(drop=True)
    return out


def carriers_table(store: Store, limit: int = 20) -> pd.DataFrame:
    """Top carriers for ``netmap top carriers``: :func:`carriers` plus the account's name."""
    c = carriers(store)
    if c.empty:
        return c.assign(name=pd.Series(dtype=object))
    acc = store.nodes("Account", columns=["name"]).set_index("key")["name"]
    c.insert(1, "name", acc.reindex(c["account"]).to_numpy())
    return c.head(limit).reset_index(drop=True)
