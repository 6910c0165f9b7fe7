"""Store-shaped DataFrames from account-to-account interaction records.

:func:`~netmap.analysis.project.build_actor_graph` projects the frames a store
returns (posts, accounts, relationships). Interaction records that are
already account to account — :func:`netmap.synth.generate_graph`'s edge
table, a spreadsheet of who retweeted whom — become such frames here, so they
go through the very same projection (and its weights and time windows) as a
collected graph, without writing a store first. At 10M interactions this takes
a few seconds and under 1 GB, where writing them through a store takes minutes.

Each interaction becomes one acting post authored by its source account; the
target is an original post of the target account (one per account) or, for a
mention, the account itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import UsageError

__all__ = ["INTERACTION_KINDS", "interaction_frames"]

# kind -> (relationship, kind of the acting post, target is a post)
INTERACTION_KINDS: dict[str, tuple[str, str, bool]] = {
    "retweet": ("SHARES", "share", True),
    "share": ("SHARES", "share", True),
    "urlshare": ("SHARES", "post", True),
    "quote": ("QUOTES", "quote", True),
    "reply": ("REPLIES_TO", "reply", True),
    "comment": ("REPLIES_TO", "comment", True),
    "bloglink": ("LINKS_TO", "post", True),
    "link": ("LINKS_TO", "post", True),
    "mention": ("MENTIONS", "post", False),
}
_RELS = ("AUTHORED", "SHARES", "QUOTES", "MENTIONS", "REPLIES_TO", "LINKS_TO")
_POST_KINDS = ("post", "share", "quote", "reply", "comment")


def _keys(prefix: str, n: int) -> pd.Series:
    return prefix + pd.Series(np.arange(n, dtype=np.int64)).astype("str")


def _cat(codes: np.ndarray, categories: list[str] | tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes), categories=list(categories))


def _codes(values: pd.Series, categories: pd.Index) -> np.ndarray:
    """Integer position of each value in ``categories`` (-1: absent)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        cats = values.cat.categories
    else:
        codes, cats = pd.factorize(values.astype(str))
    # look up each distinct key once, then spread by code
    pos = np.append(categories.get_indexer(pd.Index(cats).astype(str)), -1)
    return pos[np.where(codes >= 0, codes, len(pos) - 1)]


def interaction_frames(
    interactions: pd.DataFrame, accounts: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(posts, accounts, edges)`` frames for :func:`~netmap.analysis.project.build_actor_graph`.

    Parameters
    ----------
    interactions : DataFrame
        ``src``, ``dst`` (account keys; categoricals are fastest), ``kind``
        (one of :data:`INTERACTION_KINDS`: retweet/share, urlshare, quote,
        reply, comment, bloglink/link, mention) and optionally ``created_at``
        (ISO-8601 UTC strings, the time of each interaction).
    accounts : DataFrame, optional
        ``key`` plus any account columns (``platform``, ``group`` ...).
        Accounts only named by interactions are added; a missing platform is
        the key's prefix (``twitter:x`` -> ``twitter``).

    Returns
    -------
    posts, accounts, edges : DataFrame
        Shaped like ``Store.nodes("Post")``, ``Store.nodes("Account")`` and
        ``Store.edges()``: each interaction is a post by ``src`` (its
        platform, ``kind`` share/quote/reply/comment/post, ``created_at``)
        tied to an original post of ``dst`` (keys ``o<i>``; acting posts are
        ``i<j>``), or to ``dst`` itself for a mention.

    Examples
    --------
    >>> from netmap.synth import generate_graph
    >>> from netmap.analysis.project import build_actor_graph
    >>> edges, truth = generate_graph(1000, seed=1)
    >>> ag = build_actor_graph(*interaction_frames(edges))
    >>> ag.graph.vcount() > 900
    True
    """
    for col in ("src", "dst", "kind"):
        if col not in interactions.columns:
            raise UsageError(f"interactions need a {col!r} column (src, dst, kind)")
    kind = interactions["kind"]
    if not isinstance(kind.dtype, pd.CategoricalDtype):
        kind = kind.astype(str).astype("category")
    unknown = sorted({str(k) for k in kind.cat.categories} - set(INTERACTION_KINDS))
    if unknown:
        raise UsageError(f"unknown interaction kind(s) {unknown}; use {sorted(INTERACTION_KINDS)}")
    src_s, dst_s = interactions["src"], interactions["dst"]
    if (isinstance(src_s.dtype, pd.CategoricalDtype)
            and isinstance(dst_s.dtype, pd.CategoricalDtype)
            and src_s.cat.categories.equals(dst_s.cat.categories)):
        named = pd.Index(src_s.cat.categories.astype(str))
    else:
        named = pd.Index(pd.unique(pd.concat([src_s.astype(str), dst_s.astype(str)],
                                             ignore_index=True)))
    if accounts is None:
        accounts = pd.DataFrame({"key": named})
    acc = accounts.drop_duplicates("key").reset_index(drop=True).copy()
    acc["key"] = acc["key"].astype(str)
    # get_indexer, not isin: isin on Arrow strings takes seconds per million
    extra = named[pd.Index(acc["key"]).get_indexer(named) < 0]
    if len(extra):
        acc = pd.concat([acc, pd.DataFrame({"key": extra})], ignore_index=True)
    acc_keys = pd.Index(acc["key"])
    plat = acc["platform"].astype(object) if "platform" in acc.columns else pd.Series(
        [None] * len(acc), dtype=object)
    missing = (plat.isna() | (plat.astype(str) == "")).to_numpy()
    if missing.any():
        plat[missing] = acc["key"][missing].str.split(":", n=1).str[0].to_numpy()
    plat_codes, plat_names = pd.factorize(plat.astype(str))
    acc["platform"] = _cat(plat_codes, [str(p) for p in plat_names])

    src = _codes(src_s, acc_keys)
    dst = _codes(dst_s, acc_keys)
    n_acc, m = len(acc), len(src)
    kinds = list(INTERACTION_KINDS)
    k_code = pd.Index(kinds).get_indexer(kind.cat.categories.astype(str))[
        kind.cat.codes.to_numpy()]
    rel_of = np.array([_RELS.index(INTERACTION_KINDS[k][0]) for k in kinds], dtype=np.int8)
    pk_of = np.array([_POST_KINDS.index(INTERACTION_KINDS[k][1]) for k in kinds], dtype=np.int8)
    to_post = np.array([INTERACTION_KINDS[k][2] for k in kinds], dtype=bool)[k_code]

    orig = _keys("o", n_acc)
    act = _keys("i", m)
    posts = pd.DataFrame({
        "key": pd.concat([orig, act], ignore_index=True),
        "platform": _cat(np.concatenate([plat_codes, plat_codes[src]]),
                         [str(p) for p in plat_names]),
        "kind": _cat(np.concatenate([np.zeros(n_acc, np.int8), pk_of[k_code]]), _POST_KINDS),
    })
    if "created_at" in interactions.columns:
        posts["created_at"] = pd.concat(
            [pd.Series([None] * n_acc, dtype="str"),
             interactions["created_at"].astype("str").reset_index(drop=True)],
            ignore_index=True)
    dkey = orig.iloc[dst].reset_index(drop=True)
    men = ~to_post
    if men.any():
        dkey[men] = acc_keys[dst[men]].to_numpy()
    key_s = pd.Series(acc_keys)
    edges = pd.DataFrame({
        "type": _cat(np.concatenate([np.zeros(n_acc + m, np.int8), rel_of[k_code]]), _RELS),
        "src_label": _cat(np.concatenate([np.zeros(n_acc + m, np.int8), np.ones(m, np.int8)]),
                          ["Account", "Post"]),
        "src": pd.concat([key_s, key_s.iloc[src], act], ignore_index=True),
        "dst_label": _cat(np.concatenate([np.ones(n_acc + m, np.int8), to_post.astype(np.int8)]),
                          ["Account", "Post"]),
        "dst": pd.concat([orig, act, dkey], ignore_index=True),
    })
    return posts, acc, edges
