"""Endorsement ties between accounts, derived from the post graph.

The store holds posts and what they do (share, quote, link, reply); stance
propagation needs who endorses whom. :func:`endorsement_ties` turns each act
into a tie from the acting post's author to the target post's author,
vectorised over integer codes:

============ ======================================= ==============================
act          relationship in the store               endorsed account(s)
============ ======================================= ==============================
SHARES       ``SHARES`` Post -> Post                  author of the shared post
QUOTES       ``QUOTES`` Post -> Post                  author of the quoted post
LINKS_TO     ``LINKS_TO`` Post -> Post                author of the linked post
SITE_LINK    ``LINKS_TO``/``SHARES`` -> Url or Site   the account of a profile URL, or
                                                     the accounts running the site
REPLIES_TO   ``REPLIES_TO`` (weight 0 by default)     author of the parent post
MENTIONS     ``MENTIONS`` (weight 0 by default)       the mentioned account
============ ======================================= ==============================

A site is run by the authors of its own articles (not comments) on blogs and the
web, and by accounts ``PUBLISHED_ON`` it; a link to a site is split evenly among
them. A post with no known author (a stub created as a link target) counts as
a link to its site.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import StanceError
from ..keys import profile_account
from ..store.base import SOCIAL_PLATFORMS, Store

__all__ = [
    "DEFAULT_TIE_WEIGHTS",
    "TIE_TYPES",
    "Ties",
    "endorsement_ties",
    "edge_types_needed",
    "post_authors",
]

# Weight of one act of each kind. SITE_LINK is a link to a site or profile (not to a
# known post): it is split among the accounts running the site.
DEFAULT_TIE_WEIGHTS: dict[str, float] = {
    "SHARES": 1.0,
    "QUOTES": 0.5,  # quotes endorse less reliably than reposts: some are rebuttals
    "LINKS_TO": 1.0,
    "SITE_LINK": 0.5,
    "REPLIES_TO": 0.0,
    "MENTIONS": 0.0,
}
TIE_TYPES: tuple[str, ...] = tuple(DEFAULT_TIE_WEIGHTS)

_SOCIAL_HOSTS = frozenset({
    "twitter.com", "x.com", "mobile.twitter.com", "t.me", "telegram.me", "telegram.dog",
    "vk.com", "m.vk.com", "vkontakte.ru", "facebook.com", "fb.com", "ok.ru",
    "odnoklassniki.ru", "bsky.app",
})


@dataclass
class Ties:
    """Account-to-account endorsement acts: ``src`` endorses ``dst`` with ``weight``.

    ``keys[i]`` is the account key of index ``i``; ``type`` indexes
    :data:`TIE_TYPES`. One row per act (aggregation happens in :func:`propagate`).
    """

    keys: pd.Index
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    type: np.ndarray

    def __len__(self) -> int:
        return len(self.src)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "src": self.keys[self.src], "dst": self.keys[self.dst],
            "type": np.asarray(TIE_TYPES, dtype=object)[self.type], "weight": self.weight,
        })


def _hosts_up(host: str) -> list[str]:
    """``a.b.example.tj`` -> itself, ``b.example.tj``, ``example.tj``."""
    parts = host.split(".")
    return [".".join(parts[i:]) for i in range(max(1, len(parts) - 1))]


def _tie_weights(tie_weights: Mapping[str, float] | None) -> dict[str, float]:
    weights = dict(DEFAULT_TIE_WEIGHTS)
    if tie_weights:
        unknown = set(tie_weights) - set(weights)
        if unknown:
            raise StanceError(
                f"unknown tie type(s) {', '.join(sorted(unknown))}; use {', '.join(TIE_TYPES)}"
            )
        weights.update({k: float(v) for k, v in tie_weights.items()})
    return weights


def edge_types_needed(tie_weights: Mapping[str, float] | None = None) -> list[str]:
    """Relationship types :func:`endorsement_ties` reads for these weights."""
    weights = _tie_weights(tie_weights)
    types = [t for t in ("SHARES", "QUOTES", "LINKS_TO", "REPLIES_TO", "MENTIONS")
             if weights[t] > 0]
    if weights["SITE_LINK"] > 0:
        types += [t for t in ("LINKS_TO", "SHARES") if t not in types]
    return ["AUTHORED", "PUBLISHED_ON", *types]


def post_authors(edges: pd.DataFrame, post_ix: pd.Index, accounts: pd.Index) -> np.ndarray:
    """Account index of each post's author (-1 if unknown), from ``AUTHORED`` rows."""
    aut = edges[edges["type"] == "AUTHORED"]
    author = np.full(len(post_ix), -1, dtype=np.int64)
    p = post_ix.get_indexer(aut["dst"])
    a = accounts.get_indexer(aut["src"])
    ok = (p >= 0) & (a >= 0)
    author[p[ok]] = a[ok]  # one author per post under the graph conventions
    return author


def endorsement_ties(
    store: Store,
    tie_weights: Mapping[str, float] | None = None,
    *,
    accounts: pd.Index | None = None,
    posts: pd.DataFrame | None = None,
    edges: pd.DataFrame | None = None,
    author: np.ndarray | None = None,
) -> Ties:
    """Derive account endorsement ties from the post graph.

    Parameters
    ----------
    store : Store
    tie_weights : mapping, optional
        Weights by act (:data:`DEFAULT_TIE_WEIGHTS` keys); a weight of 0 drops the act.
    accounts : pandas.Index, optional
        Account keys (default: every Account in the store).
    posts : DataFrame, optional
        ``store.nodes("Post", columns=[..., "platform", "kind"])`` if already read.
    edges : DataFrame, optional
        ``store.edges(edge_types_needed(tie_weights))`` if already read.
    author : ndarray, optional
        :func:`post_authors` of ``edges`` if already computed.

    Returns
    -------
    Ties
    """
    weights = _tie_weights(tie_weights)
    if accounts is None:
        accounts = pd.Index(store.nodes("Account", columns=[])["key"])
    if posts is None:
        posts = store.nodes("Post", columns=["platform", "kind"])
    post_ix = pd.Index(posts["key"])
    act_types = edge_types_needed(weights)[2:]
    empty = Ties(accounts, np.empty(0, np.int64), np.empty(0, np.int64),
                 np.empty(0, float), np.empty(0, np.int8))
    if not act_types or len(accounts) == 0:
        return empty
    if edges is None:
        edges = store.edges(edge_types_needed(weights))
    if author is None:
        author = post_authors(edges, post_ix, accounts)

    # Who runs each site: authors of its own articles on blogs/the web (every tweeter
    # "publishes on" twitter.com, which ties nobody), and accounts PUBLISHED_ON it.
    pub = edges[edges["type"] == "PUBLISHED_ON"]
    kind = posts["kind"].to_numpy(dtype=object)
    platform = posts["platform"].to_numpy(dtype=object)
    own = pub[pub["src_label"] == "Post"]
    op = post_ix.get_indexer(own["src"])
    okp = op >= 0
    opv = op[okp]
    owner_acc = author[opv]
    good = (owner_acc >= 0) & ~pd.Series(kind[opv]).isin(["comment", "reply"]).to_numpy() \
        & ~pd.Series(platform[opv]).isin(SOCIAL_PLATFORMS).to_numpy()
    site_owner = pd.DataFrame({"site": own["dst"].to_numpy()[okp][good],
                               "acc": owner_acc[good]})
    acc_pub = pub[pub["src_label"] == "Account"]
    ap = accounts.get_indexer(acc_pub["src"])
    site_owner = pd.concat([site_owner, pd.DataFrame(
        {"site": acc_pub["dst"].to_numpy()[ap >= 0], "acc": ap[ap >= 0]})], ignore_index=True)
    site_owner = site_owner.drop_duplicates()
    owned_sites = set(site_owner["site"])

    out_src: list[np.ndarray] = []
    out_dst: list[np.ndarray] = []
    out_w: list[np.ndarray] = []
    out_t: list[np.ndarray] = []

    def emit(s: np.ndarray, d: np.ndarray, w: np.ndarray | float, t: str) -> None:
        keep = (s >= 0) & (d >= 0) & (s != d)
        if not keep.any():
            return
        out_src.append(s[keep])
        out_dst.append(d[keep])
        out_w.append(np.broadcast_to(np.asarray(w, dtype=float), s.shape)[keep].copy())
        out_t.append(np.full(int(keep.sum()), TIE_TYPES.index(t), dtype=np.int8))

    acts = edges[edges["type"].isin(act_types)]
    # Acting account: the author of the acting post, or the account itself.
    src_post = acts["src_label"].to_numpy() == "Post"
    actor = np.full(len(acts), -1, dtype=np.int64)
    sp_ix = post_ix.get_indexer(acts["src"].to_numpy()[src_post])
    actor[src_post] = np.where(sp_ix >= 0, author[np.maximum(sp_ix, 0)], -1)
    actor[~src_post] = accounts.get_indexer(acts["src"].to_numpy()[~src_post])
    types = acts["type"].to_numpy()
    dst_label = acts["dst_label"].to_numpy()
    dst = acts["dst"].to_numpy()

    # Acts on a post: the post's author. A post with no known author (a stub created as
    # a link or reply target) falls back to the site it is on, below.
    unresolved: list[tuple[np.ndarray, np.ndarray]] = []
    on_post = dst_label == "Post"
    tp_ix = post_ix.get_indexer(dst[on_post])
    target = np.where(tp_ix >= 0, author[np.maximum(tp_ix, 0)], -1)
    for t in ("SHARES", "QUOTES", "LINKS_TO", "REPLIES_TO"):
        if weights[t] <= 0:
            continue
        m = types[on_post] == t
        emit(actor[on_post][m], target[m], weights[t], t)
    if weights["SITE_LINK"] > 0:
        orphan = target < 0
        unresolved.append((actor[on_post][orphan], dst[on_post][orphan]))
        off = np.isin(dst_label, ["Url", "Site"]) & np.isin(types, ["LINKS_TO", "SHARES"])
        unresolved.append((actor[off], dst[off]))
    if weights["MENTIONS"] > 0:
        m = (types == "MENTIONS") & (dst_label == "Account")
        emit(actor[m], accounts.get_indexer(dst[m]), weights["MENTIONS"], "MENTIONS")

    # Links to sites and profiles: a social profile (or status) URL is its account;
    # any other URL belongs to the site running it, weight split among its owners.
    if unresolved:
        s = np.concatenate([u[0] for u in unresolved])
        k = np.concatenate([u[1] for u in unresolved]).astype(object)
        keep = s >= 0
        s, k = s[keep], k[keep]
        inv, uniq = pd.factorize(k)
        profile: list[str | None] = [None] * len(uniq)
        site_of = np.full(len(uniq), None, dtype=object)
        for i, key in enumerate(uniq.tolist()):
            key = str(key)
            if key.startswith("blog:"):
                # A comment key blog:<host>:comment:<id>: the blog it is on.
                host = key[5:].split(":", 1)[0]
            else:
                host = key.split("/", 1)[0]
                if ":" in host:  # platform:id keys of social posts name no site
                    continue
            if host in _SOCIAL_HOSTS or "/@" in key:
                profile[i] = profile_account("https://" + key)
                if profile[i] is not None:
                    continue
            site_of[i] = next((h for h in _hosts_up(host) if h in owned_sites), None)
        prof = accounts.get_indexer(pd.Index([p or "" for p in profile], dtype=object)) \
            if len(uniq) else np.empty(0, np.int64)
        is_prof = prof[inv] >= 0
        emit(s[is_prof], prof[inv][is_prof], weights["SITE_LINK"], "SITE_LINK")
        site = site_of[inv]
        has_site = pd.notna(site) & ~is_prof
        if has_site.any():
            lk = pd.DataFrame({"s": s[has_site], "site": site[has_site]})
            n_own = site_owner.groupby("site").size().rename("n")
            j = lk.merge(site_owner, on="site").join(n_own, on="site")
            emit(j["s"].to_numpy(np.int64), j["acc"].to_numpy(np.int64),
                 weights["SITE_LINK"] / j["n"].to_numpy(float), "SITE_LINK")

    if not out_src:
        return empty
    return Ties(accounts, np.concatenate(out_src), np.concatenate(out_dst),
                np.concatenate(out_w), np.concatenate(out_t))
