"""The actor graph: who interacts with whom, projected from the post graph.

The store holds posts, links and replies; analyses need accounts tied to
accounts. :func:`actor_graph` derives that projection once, vectorised over
integer codes (no per-edge Python), so a million interactions project in a few
seconds. Each interaction has a source account (the author of the acting post,
or the account itself for account-level links) and one or more target accounts:

* ``comment``: ``REPLIES_TO`` from a post of kind comment -> author of the parent post
* ``reply``: ``REPLIES_TO`` from any other post -> author of the parent post
* ``share``: ``SHARES`` Post -> Post -> author of the shared post
* ``quote``: ``QUOTES`` Post -> Post -> author of the quoted post
* ``mention``: ``MENTIONS`` Post -> Account -> the mentioned account
* ``link``: ``LINKS_TO`` Post|Account -> Post -> author of the linked post
* ``site_link``: ``LINKS_TO``/``SHARES`` -> Url, ``LINKS_TO`` -> Site -> the
  accounts that run the site

A site is *run by* the accounts that authored its own posts (``PUBLISHED_ON``
from a non-comment post on a blog or web platform) or that are
``PUBLISHED_ON`` it directly. Social platforms are excluded on purpose: every
tweeter "publishes on" twitter.com, and a link to twitter.com is no tie to all
of them. A Url belongs to the site :func:`netmap.keys.site_key` gives its URL.
When a site has several owners the interaction's weight is split evenly among
them, so one link weighs the same however many people run the blog; each owner
still counts one interaction of the type. A reply, share or link whose target
post has no known author falls back to the owners of the post's site.

Ties are aggregated per (source, target) account pair: ``weight`` is the sum of
the type weights (:data:`DEFAULT_WEIGHTS`, configurable), ``n_<type>`` counts
interactions per type, ``cross_platform`` says the two accounts are on
different platforms. Self-ties are dropped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..keys import site_key
from ..model import utc_iso
from ..store.base import SOCIAL_PLATFORMS, Store

if TYPE_CHECKING:
    import igraph as ig
    import networkx as nx

__all__ = [
    "INTERACTION_TYPES",
    "DEFAULT_WEIGHTS",
    "ActorGraph",
    "actor_graph",
    "build_actor_graph",
]

INTERACTION_TYPES: tuple[str, ...] = (
    "share", "quote", "link", "site_link", "comment", "reply", "mention",
)

# Endorsement-like acts (carrying someone's content) weigh most; replies and
# mentions are frequent and often hostile, so they weigh least.
DEFAULT_WEIGHTS: dict[str, float] = {
    "share": 1.0,
    "quote": 1.0,
    "link": 1.0,
    "site_link": 0.5,
    "comment": 0.5,
    "reply": 0.3,
    "mention": 0.3,
}

_T = {t: i for i, t in enumerate(INTERACTION_TYPES)}
_ACCOUNT_COLUMNS = ("platform", "handle", "name", "url", "group")
_EDGE_TYPES = (
    "AUTHORED", "PUBLISHED_ON", "REPLIES_TO", "SHARES", "QUOTES", "LINKS_TO", "MENTIONS",
)
# Posts whose site ownership counts: a blog's own articles, not comments under them.
_OWNER_KINDS_EXCLUDED = ("comment", "reply")


@dataclass
class ActorGraph:
    """Accounts tied by interactions, as an igraph graph plus aligned DataFrames.

    Attributes
    ----------
    graph : igraph.Graph
        Directed; vertex attributes ``name`` (account key) and ``platform``;
        edge attribute ``weight``, and (unless built with
        ``edge_attributes=False``) ``cross_platform`` and ``n_<type>`` per
        interaction type.
    accounts : DataFrame
        One row per vertex, row ``i`` is vertex ``i``: ``key``, ``platform``,
        ``handle``, ``name``, ``url``, ``group``.
    edges : DataFrame
        One row per graph edge, in edge-id order: ``src``, ``dst`` (keys, as
        categoricals over the vertex keys),
        ``source``, ``target`` (vertex ids), ``weight``, ``cross_platform``,
        ``n_<type>``.
    weights, since, until
        The projection's parameters.
    fingerprint : str
        Store fingerprint combined with the parameters: equal fingerprints mean
        the same actor graph.
    """

    graph: ig.Graph
    accounts: pd.DataFrame
    edges: pd.DataFrame
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    since: str | None = None
    until: str | None = None
    fingerprint: str = ""
    # Derived structures several analyses share (undirected copy, sparse matrix).
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return self.graph.vcount()

    def undirected_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(a, b, weight)`` with ``a < b``: one row per account pair, weights of both directions summed.

        Sorted by ``(a, b)``; cached.
        """
        if "uedges" not in self._cache:
            n = self.n
            s = self.edges["source"].to_numpy(dtype=np.int64)
            t = self.edges["target"].to_numpy(dtype=np.int64)
            w = self.edges["weight"].to_numpy(dtype=float)
            lo, hi = np.minimum(s, t), np.maximum(s, t)
            pair, inv = np.unique(lo * np.int64(max(n, 1)) + hi, return_inverse=True)
            self._cache["uedges"] = (pair // max(n, 1), pair % max(n, 1),
                                     np.bincount(inv, weights=w, minlength=len(pair)))
        return self._cache["uedges"]

    def undirected(self) -> ig.Graph:
        """Undirected igraph graph of :meth:`undirected_edges` (attribute ``weight``); cached.

        Shared by community detection, k-core and betweenness, so the copy is made once.
        """
        if "undirected" not in self._cache:
            import igraph as ig

            a, b, w = self.undirected_edges()
            u = ig.Graph(n=self.n, directed=False)
            if len(a):
                u.add_edges(np.column_stack([a, b]))
            u.es["weight"] = w.tolist()
            self._cache["undirected"] = u
        return self._cache["undirected"]

    def matrix(self) -> Any:
        """Sparse ``n x n`` CSR matrix of tie weights, row = acting account; cached."""
        if "csr" not in self._cache:
            import scipy.sparse as sp

            e = self.edges
            self._cache["csr"] = sp.csr_matrix(
                (e["weight"].to_numpy(dtype=float),
                 (e["source"].to_numpy(dtype=np.int64), e["target"].to_numpy(dtype=np.int64))),
                shape=(self.n, self.n))
        return self._cache["csr"]

    def to_igraph(self) -> ig.Graph:
        """The directed igraph graph (shared, not copied)."""
        return self.graph

    def to_networkx(self) -> nx.DiGraph:
        """A networkx DiGraph with the same vertex and edge attributes (slow at scale)."""
        import networkx as nx

        g = nx.DiGraph()
        acc = self.accounts
        attrs = [c for c in acc.columns if c != "key"]
        rec = acc[attrs].astype(object).where(acc[attrs].notna(), None).to_dict("records")
        g.add_nodes_from(zip(acc["key"].tolist(), rec, strict=True))
        cols = [c for c in self.edges.columns if c not in ("src", "dst", "source", "target")]
        erec = self.edges[cols].to_dict("records")
        g.add_edges_from(
            zip(self.edges["src"].tolist(), self.edges["dst"].tolist(), erec, strict=True)
        )
        return g


def _normalise_bound(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    iso = utc_iso(value)
    if iso is None:
        raise UsageError(
            f"--{name} {value!r} is not an ISO date or datetime; use e.g. 2013-11-06 or "
            "2013-11-06T08:00:00Z"
        )
    return iso


def _fingerprint(store: Store, weights: Mapping[str, float], since: str | None,
                 until: str | None) -> str:
    basis = json.dumps(
        [store.fingerprint(), sorted(weights.items()), since, until], sort_keys=True
    )
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _platform_of_key(keys: pd.Series) -> pd.Series:
    return keys.str.split(":", n=1).str[0]


def actor_graph(
    store: Store,
    *,
    weights: Mapping[str, float] | None = None,
    since: str | None = None,
    until: str | None = None,
    edge_attributes: bool = True,
) -> ActorGraph:
    """Project the store's post graph onto an account -> account graph.

    Parameters
    ----------
    store : Store
        Any netmap store.
    weights : dict, optional
        Weight per interaction type; missing types keep :data:`DEFAULT_WEIGHTS`.
        A weight of 0 drops that type.
    since, until : str, optional
        ISO dates/datetimes (UTC unless an offset is given): keep interactions
        whose acting post was created at or after ``since`` and before
        ``until``. Undated posts are then left out; account-level links
        (blogrolls) have no date and always count.
    edge_attributes : bool
        Copy ``cross_platform`` and the ``n_<type>`` counts onto the igraph
        edges too. They are always in ``ActorGraph.edges``; leaving them off
        the igraph graph saves about 2.5 GB and 10 s at 10M ties (igraph keeps
        one Python object per value), which is what :func:`netmap.analysis.analyze` does.

    Returns
    -------
    ActorGraph
        Every account that authored a post (in the window) or took part in an
        interaction is a vertex.

    Examples
    --------
    >>> ag = actor_graph(store, weights={"mention": 0.0})  # doctest: +SKIP
    >>> ag.edges.sort_values("weight", ascending=False).head()  # doctest: +SKIP
    """
    w = _check_weights(weights)
    since_iso = _normalise_bound(since, "since")
    until_iso = _normalise_bound(until, "until")
    # created_at is only read when a window needs it: json_extract per post is not free.
    windowed = since_iso is not None or until_iso is not None
    posts = store.nodes("Post", columns=["platform", "kind", *(["created_at"] * windowed)])
    accounts = store.nodes("Account", columns=list(_ACCOUNT_COLUMNS))
    edges = store.edges(list(_EDGE_TYPES))
    ag = build_actor_graph(posts, accounts, edges, weights=w, since=since_iso, until=until_iso,
                           edge_attributes=edge_attributes)
    ag.fingerprint = _fingerprint(store, w, since_iso, until_iso)
    return ag


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS)
    for k, v in (weights or {}).items():
        if k not in _T:
            raise UsageError(
                f"unknown interaction type {k!r} in weights; use {', '.join(INTERACTION_TYPES)}"
            )
        v = float(v)
        if not np.isfinite(v) or v < 0:
            raise UsageError(f"weight for {k!r} must be a finite number >= 0, not {v}")
        w[k] = v
    return w


def _obj(s: pd.Series) -> np.ndarray:
    """Object array with None for missing values (one conversion, whatever the string dtype)."""
    return s.to_numpy(dtype=object, na_value=None)


def _matcher(values: pd.Series):  # type: ignore[no-untyped-def]
    """``is_(*labels)`` -> boolean mask, comparing small integer codes instead of strings."""
    codes, uniques = values.factorize()
    lookup = {u: i for i, u in enumerate(uniques)}

    def is_(*wanted: str) -> np.ndarray:
        idx = [lookup[v] for v in wanted if v in lookup]
        if not idx:
            return np.zeros(len(codes), dtype=bool)
        return codes == idx[0] if len(idx) == 1 else np.isin(codes, idx)

    return is_


def _concat(parts: list[np.ndarray], dtype: Any = np.int64) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def build_actor_graph(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    since: str | None = None,
    until: str | None = None,
    edge_attributes: bool = True,
) -> ActorGraph:
    """Project DataFrames shaped like ``Store.nodes``/``Store.edges`` (no store needed).

    ``posts`` has ``key`` and optionally ``platform, kind, created_at``;
    ``accounts`` has ``key`` and optionally ``platform, handle, name, url,
    group``; ``edges`` has ``type, src_label, src, dst_label, dst``.
    ``since``/``until`` must already be normalised ISO strings. See
    :func:`actor_graph`; :func:`netmap.analysis.frames.interaction_frames`
    builds such frames from account-to-account interaction records.
    """
    w = _check_weights(weights)
    acc = accounts.drop_duplicates("key").reset_index(drop=True)
    n_post, n_acc0, n_e = len(posts), len(acc), len(edges)
    t_is = _matcher(edges["type"])
    sl_is = _matcher(edges["src_label"])
    dl_is = _matcher(edges["dst_label"])
    sl_post, sl_acc = sl_is("Post"), sl_is("Account")
    dl_post, dl_acc, dl_url, dl_site = dl_is("Post"), dl_is("Account"), dl_is("Url"), dl_is("Site")

    # One integer code per distinct key string. Labels have separate key spaces
    # (a Post and an Account may share a key), so each label maps codes through
    # its own array and is only looked up for endpoints of that label.
    # Series.factorize: Arrow-backed strings (pandas' default with pyarrow) hash in C++.
    codes, uniq_index = pd.concat(
        [posts["key"], acc["key"], edges["src"], edges["dst"]], ignore_index=True
    ).factorize()
    # Distinct keys stay Arrow-backed; only the few looked up become Python strings
    # (converting all of them costs 1.5 GB and 10 s at 10M interactions).
    n_u = len(uniq_index)

    def uniq(idx: np.ndarray) -> np.ndarray:
        return np.asarray(uniq_index[np.asarray(idx, dtype=np.int64)], dtype=object)

    c_post = codes[:n_post]
    c_acc = codes[n_post:n_post + n_acc0]
    c_src = codes[n_post + n_acc0:n_post + n_acc0 + n_e]
    c_dst = codes[n_post + n_acc0 + n_e:]

    acc_of = np.full(n_u, -1, dtype=np.int64)
    acc_of[c_acc] = np.arange(n_acc0)
    # Accounts referenced by edges but absent as nodes (another backend's stubs).
    ref = np.concatenate([c_src[sl_acc], c_dst[dl_acc]])
    miss = np.unique(ref[acc_of[ref] < 0])
    if len(miss):
        acc = pd.concat([acc, pd.DataFrame({"key": uniq(miss)})], ignore_index=True)
        acc_of[miss] = np.arange(n_acc0, n_acc0 + len(miss))
    n_acc = len(acc)

    def post_flag(name: str, values: tuple[str, ...]) -> np.ndarray:
        """Per key code: the post's ``name`` property is one of ``values``."""
        out = np.zeros(n_u, dtype=bool)
        if name in posts.columns:
            out[c_post] = posts[name].isin(values).to_numpy(dtype=bool)
        return out

    is_comment_u = post_flag("kind", ("comment",))
    not_owner_u = post_flag("kind", _OWNER_KINDS_EXCLUDED) | post_flag(
        "platform", SOCIAL_PLATFORMS)
    # Posts inside the time window; undated posts only count when there is no window.
    if (since is not None or until is not None) and n_post:
        created = posts["created_at"] if "created_at" in posts.columns else pd.Series(
            [None] * n_post, dtype=object)
        ok_post = np.array(created.notna(), dtype=bool)
        text = created.fillna("").astype(str)
        if since is not None:
            ok_post &= (text >= since).to_numpy(dtype=bool)
        if until is not None:
            ok_post &= (text < until).to_numpy(dtype=bool)
        in_window = np.zeros(n_u, dtype=bool)
        in_window[c_post] = ok_post
    elif since is not None or until is not None:
        in_window = np.zeros(n_u, dtype=bool)
    else:
        in_window = np.ones(n_u, dtype=bool)

    # -- authorship: one author per post (the smallest key if several) -----
    m = t_is("AUTHORED") & sl_acc & dl_post
    a_acc, a_post = acc_of[c_src[m]], c_dst[m]
    ok = a_acc >= 0
    a_acc, a_post = a_acc[ok], a_post[ok]
    author = np.full(n_u, -1, dtype=np.int64)
    order = np.argsort(-a_acc, kind="stable")  # fancy assignment keeps the last: the smallest
    author[a_post[order]] = a_acc[order]

    # -- sites and who runs them -------------------------------------------
    pub = t_is("PUBLISHED_ON") & dl_site
    site_codes = np.unique(np.concatenate([c_dst[pub], c_dst[t_is("LINKS_TO") & dl_site]]))
    site_of = np.full(n_u, -1, dtype=np.int64)
    site_of[site_codes] = np.arange(len(site_codes))
    site_by_key = {k: i for i, k in enumerate(uniq(site_codes).tolist())}
    post_site = np.full(n_u, -1, dtype=np.int64)
    m = pub & sl_post
    pc, sc = c_src[m], site_of[c_dst[m]]
    post_site[pc[::-1]] = sc[::-1]  # reversed: the first PUBLISHED_ON wins
    # A site's own articles make their authors its owners; comments under them
    # and social posts (every tweet "is on" twitter.com) do not.
    owner_post = ~not_owner_u[pc] & (author[pc] >= 0)
    m2 = pub & sl_acc
    owners = pd.DataFrame({
        "site": np.concatenate([sc[owner_post], site_of[c_dst[m2]]]),
        "acc": np.concatenate([author[pc][owner_post], acc_of[c_src[m2]]]),
    })
    owners = owners[owners["acc"] >= 0].drop_duplicates()
    owners = owners.sort_values(["site", "acc"], kind="stable").reset_index(drop=True)
    owner_site = owners["site"].to_numpy(dtype=np.int64)
    owner_acc = owners["acc"].to_numpy(dtype=np.int64)
    owner_count = np.bincount(owner_site, minlength=len(site_codes))

    def site_of_urlkeys(keys: np.ndarray) -> np.ndarray:
        """Site ids (or -1) of scheme-less URL keys, computed once per distinct host."""
        if not len(keys) or not site_by_key:
            return np.full(len(keys), -1, dtype=np.int64)
        hosts = pd.Series(keys, dtype=object).str.split("/", n=1).str[0]
        hcodes, hosts_u = pd.factorize(hosts)
        found = np.empty(len(hosts_u), dtype=np.int64)
        for i, h in enumerate(hosts_u):
            try:
                found[i] = site_by_key.get(site_key("http://" + str(h)), -1)
            except (ValueError, TypeError, AttributeError):
                found[i] = -1  # not a URL host (e.g. a platform:id post key)
        return np.where(hcodes >= 0, found[np.maximum(hcodes, 0)], -1)

    # -- interactions -------------------------------------------------------
    # Each part: edge mask, interaction type(s), target kind (0 account,
    # 1 post: its author, 2 site: its owners) and target code.
    parts: list[tuple[np.ndarray, np.ndarray, int, np.ndarray]] = []

    def add(mask: np.ndarray, types: np.ndarray | int, kind: int, target: np.ndarray) -> None:
        if mask.any():
            t = np.broadcast_to(np.asarray(types, dtype=np.int64), (int(mask.sum()),))
            parts.append((mask, t, kind, np.asarray(target, dtype=np.int64)))

    m = t_is("REPLIES_TO") & dl_post
    is_comment = is_comment_u[c_src[m]]
    add(m, np.where(is_comment, _T["comment"], _T["reply"]), 1, c_dst[m])
    for rel, name in (("SHARES", "share"), ("QUOTES", "quote"), ("LINKS_TO", "link")):
        m = t_is(rel) & dl_post
        add(m, _T[name], 1, c_dst[m])
    m = t_is("MENTIONS") & dl_acc
    add(m, _T["mention"], 0, acc_of[c_dst[m]])
    m = t_is("LINKS_TO", "SHARES") & dl_url
    add(m, _T["site_link"], 2, site_of_urlkeys(uniq(c_dst[m])))
    m = t_is("LINKS_TO") & dl_site
    add(m, _T["site_link"], 2, site_of[c_dst[m]])

    rows = _concat([np.flatnonzero(p[0]) for p in parts])
    t_type = _concat([p[1] for p in parts])
    t_kind = _concat([np.full(len(p[1]), p[2], dtype=np.int8) for p in parts], np.int8)
    t_code = _concat([p[3] for p in parts])
    # The acting account: the post's author, or the account itself.
    from_post = sl_post[rows]
    s_code = c_src[rows]
    s_acc = np.where(from_post, author[s_code], np.where(sl_acc[rows], acc_of[s_code], -1))
    # Time window on the acting post; account-level links (no acting post) always count.
    keep = (s_acc >= 0) & (t_code >= 0) & np.where(from_post, in_window[s_code], True)
    s_acc, t_type, t_kind, t_code = s_acc[keep], t_type[keep], t_kind[keep], t_code[keep]

    d_acc = np.where(t_kind == 0, t_code, -1)
    isp = np.flatnonzero(t_kind == 1)
    d_acc[isp] = author[t_code[isp]]
    # Targets with no known author fall back to the owners of the post's site.
    orphan = isp[d_acc[isp] < 0]
    if len(orphan):
        sc = post_site[t_code[orphan]]
        nosite = sc < 0
        if nosite.any():
            sc[nosite] = site_of_urlkeys(uniq(t_code[orphan[nosite]]))
        t_kind[orphan] = 2
        t_code[orphan] = sc
    # Site targets expand to one row per owner, the weight split among them.
    site_rows = np.flatnonzero((t_kind == 2) & (t_code >= 0))
    sc = t_code[site_rows]
    cnt = owner_count[sc] if len(owner_count) else np.zeros(len(sc), dtype=np.int64)
    site_rows, sc, cnt = site_rows[cnt > 0], sc[cnt > 0], cnt[cnt > 0]
    start = np.searchsorted(owner_site, sc)
    rep = np.repeat(np.arange(len(site_rows)), cnt)
    offs = np.arange(len(rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    direct = (t_kind != 2) & (d_acc >= 0)
    all_src = np.concatenate([s_acc[direct], s_acc[site_rows][rep]])
    all_dst = np.concatenate([d_acc[direct], owner_acc[start[rep] + offs]])
    all_type = np.concatenate([t_type[direct], t_type[site_rows][rep]])
    all_frac = np.concatenate([np.ones(int(direct.sum())), 1.0 / cnt[rep]])

    wvec = np.array([w[t] for t in INTERACTION_TYPES])
    keep = (all_src != all_dst) & (wvec[all_type] > 0)
    all_src, all_dst, all_type, all_frac = (
        all_src[keep], all_dst[keep], all_type[keep], all_frac[keep],
    )

    # -- aggregate per account pair ----------------------------------------
    uniq_pair, pid = np.unique(all_src * np.int64(n_acc) + all_dst, return_inverse=True)
    n_pairs = len(uniq_pair)
    weight = np.bincount(pid, weights=wvec[all_type] * all_frac, minlength=n_pairs)
    n_types = len(INTERACTION_TYPES)
    counts = np.bincount(pid * n_types + all_type, minlength=n_pairs * n_types).reshape(
        n_pairs, n_types
    )
    e_from, e_to = uniq_pair // n_acc, uniq_pair % n_acc
    posted = author[c_post[in_window[c_post]]]
    # Free the per-relationship arrays before building the graph (peak memory).
    parts.clear()
    del codes, c_src, c_dst, rows, t_type, t_kind, t_code, s_acc, d_acc, s_code
    del all_src, all_dst, all_type, all_frac, pid, uniq_pair, author, in_window, keep

    # -- vertices: accounts with an in-window post or any kept interaction -
    active = np.zeros(n_acc, dtype=bool)
    active[posted[posted >= 0]] = True
    active[e_from] = True
    active[e_to] = True
    verts = np.flatnonzero(active)
    keys_all = _obj(acc["key"])
    if len(miss) or not pd.Index(keys_all[verts]).is_monotonic_increasing:
        verts = verts[np.argsort(keys_all[verts].astype(str), kind="stable")]
    vid = np.full(n_acc, -1, dtype=np.int64)
    vid[verts] = np.arange(len(verts))
    vacc = acc.iloc[verts].reset_index(drop=True)
    for col in _ACCOUNT_COLUMNS:
        if col not in vacc:
            vacc[col] = None
    vacc = vacc[["key", *_ACCOUNT_COLUMNS,
                 *[c for c in vacc.columns if c not in ("key", *_ACCOUNT_COLUMNS)]]]
    plat = vacc["platform"].astype(object)
    lacking = (plat.isna() | (plat == "")).to_numpy(dtype=bool)
    if lacking.any():  # stub accounts: the platform is the key's prefix
        plat[lacking] = _platform_of_key(vacc.loc[lacking, "key"].astype(str)).to_numpy()
    vacc["platform"] = plat

    plat_codes, _ = pd.factorize(vacc["platform"])
    source, target = vid[e_from], vid[e_to]
    cross = plat_codes[source] != plat_codes[target]
    # src/dst as categoricals over the vertex keys: the codes are the vertex
    # ids, and 10M ties cost no string copies.
    vkeys = pd.Index(vacc["key"].astype(str).to_numpy(dtype=object))
    edf = pd.DataFrame({
        "src": pd.Categorical.from_codes(source, categories=vkeys),
        "dst": pd.Categorical.from_codes(target, categories=vkeys),
        "source": source,
        "target": target,
        "weight": weight,
        "cross_platform": cross,
    })
    for i, t in enumerate(INTERACTION_TYPES):
        edf[f"n_{t}"] = counts[:, i].astype(np.int64)

    import igraph as ig

    g = ig.Graph(n=len(vacc), directed=True)
    if n_pairs:
        # add_edges takes an (m, 2) array about twice as fast as the constructor does
        g.add_edges(np.column_stack([source, target]))
    g.vs["name"] = vkeys.tolist()
    g.vs["platform"] = vacc["platform"].astype(str).tolist()
    g.es["weight"] = weight.tolist()
    if edge_attributes:
        g.es["cross_platform"] = cross.tolist()
        for i, t in enumerate(INTERACTION_TYPES):
            g.es[f"n_{t}"] = counts[:, i].tolist()
    return ActorGraph(graph=g, accounts=vacc, edges=edf, weights=w, since=since, until=until)
