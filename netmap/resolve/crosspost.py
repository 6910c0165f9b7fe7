"""Near-duplicate posts across platforms: the same text posted on a blog, VK and Twitter.

A cross-post is a post whose text repeats an earlier post's text on another
platform, within a time window, whoever posted it (the same person on two
platforms, or a channel copying a blogger). :func:`detect_crossposts` finds
them and records ``(later)-[:CROSSPOST_OF]->(earlier)`` with ``similarity``
(Jaccard of word 3-shingles), ``containment``, ``lag_seconds`` and ``method``
(``exact`` when the normalised texts are equal, else ``minhash``).

How (vectorised with numpy, in chunks; measured on 1M short posts with
planted copies: 25 s CPU, 0.4 GB over the input, precision 1.0, recall 0.97,
see ``benchmarks/crosspost.py``):

1. Normalise: URLs, ``@mentions`` and ``#hashtags`` removed, lower-cased,
   ``ё`` -> ``е`` and the Tajik letters folded to their Russian look-alikes
   (``ҳ`` -> ``х``, ``қ`` -> ``к``, ``ӯ`` -> ``у`` ...: people type Tajik on
   Russian keyboards), punctuation dropped. A blog post's title is put before
   its text. Texts are cut to their first ``max_words`` words, so a long
   article and its copy compare on their leads.
2. Shingle: word ``k``-grams (default 3), hashed from Unicode code points
   (stable across runs and machines, unlike Python's ``hash``).
3. MinHash signatures (``bands * rows`` multiply-shift hash functions) and
   LSH banding: posts that agree on all ``rows`` values of some band are
   candidates.
4. In each band bucket, a post is paired only with the first
   ``per_platform`` earlier posts of each *other* platform inside the window,
   so a slogan repeated by thousands never explodes into millions of pairs.
5. Candidates are checked on their shingle sets: Jaccard similarity at
   least ``threshold``, or the shorter text at least ``containment`` inside
   the longer one (a tweet that is the first lines of a blog post). Each
   later post keeps one edge, to the earliest post it duplicates (the origin
   rather than another copy).

Slogans are not cross-posts: a text posted word for word more than
``max_repeats`` times on one platform (a campaign slogan, a greeting,
copypasta) is left out, since nothing tells which of its many posts another
one copied.

Reposts (kind ``share``: retweets, forwards) are left out: their text is the
original's and they are already ``SHARES``. A post tied to one of its
duplicates by SHARES, QUOTES, LINKS_TO or REPLIES_TO (a tweet sharing the
blog post whose title it repeats) is explained by that tie and gets no
cross-post. Posts without a date cannot be placed in a window and are skipped.

Known limit: a copy that keeps only a small part of a long text (a tweet with
the first lines of a 2,000-word article) has a low Jaccard similarity and is
rarely even a candidate; short texts (under about 15 words) with an edited
word fall below the threshold.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UsageError

if TYPE_CHECKING:
    from ..store.base import Store

__all__ = [
    "CrosspostResult",
    "normalise",
    "normalise_many",
    "shingle_hashes",
    "find_crossposts",
    "detect_crossposts",
    "evaluate_pairs",
]

_SOURCE = "netmap:crosspost"
_CONNECTED = ("SHARES", "QUOTES", "LINKS_TO", "REPLIES_TO")

# URLs, @mentions and #hashtags (applied after lower-casing, so no re.I).
_STRIP = re.compile(r"https?://[^\s\x00]+|www\.[^\s\x00]+|[@#＃][\w.]*\w")
_DROP = np.uint32(0xFFFFFFFF)
# Letters folded for matching: ё -> е, й -> и (NFC and NFD spellings meet), and the Tajik
# and other Cyrillic letters people replace with Russian look-alikes on Russian keyboards.
_FOLD = {
    "ё": "е", "й": "и", "ҳ": "х", "қ": "к", "ғ": "г", "ӯ": "у", "ӣ": "и", "ҷ": "ч", "ә": "а",
    "ө": "о", "ү": "у", "ң": "н", "һ": "х", "і": "и", "ї": "и", "є": "е", "ґ": "г", "ў": "у",
}
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


@functools.cache
def _fold_table() -> np.ndarray:
    """Code point -> normalised code point for the Basic Multilingual Plane.

    Letters and digits stay (lower-cased before), folded letters fold,
    combining marks and invisible characters are dropped, everything else
    (punctuation, symbols, spaces, ``_``) becomes a space, and 0 separates texts.
    """
    import unicodedata

    table = np.full(65536, 32, dtype=np.uint32)
    for c in range(1, 65536):
        ch = chr(c)
        if ch in _FOLD:
            table[c] = ord(_FOLD[ch])
        elif ch in _INVISIBLE or unicodedata.category(ch).startswith("M"):
            table[c] = _DROP
        elif ch.isalnum():
            table[c] = c
    table[0] = 0
    return table


def _codepoints(texts: Sequence[str | None]) -> np.ndarray:
    """Normalised code points of all texts, separated by 0 (one pass over all of them)."""
    joined = "\x00".join(t.replace("\x00", " ") if isinstance(t, str) else "" for t in texts)
    joined = _STRIP.sub(" ", joined.lower())
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    table = _fold_table()
    out = np.where(cp < 65536, table[np.minimum(cp, 65535)], np.uint32(32))
    return out[out != _DROP]


def normalise_many(texts: Sequence[str | None]) -> list[str]:
    """Normalise texts as the detector compares them (words separated by single spaces).

    >>> normalise_many(["Ёлки: https://t.co/x #выборы @bob", None, "Ҳақ гап!"])
    ['елки', '', 'хак гап']
    """
    if not len(texts):
        return []
    cp = _codepoints(texts)
    out = [" ".join(t.split()) for t in cp.tobytes().decode("utf-32-le").split("\x00")]
    if len(out) != len(texts):  # pragma: no cover - separators are removed from inputs above
        raise AssertionError("normalisation lost a text boundary")
    return out


def normalise(text: str | None) -> str:
    """One text as :func:`normalise_many` normalises it."""
    return normalise_many([text])[0]


# -- hashing -----------------------------------------------------------------------


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the output (uint64, wrapping)."""
    x = x.astype(np.uint64, copy=True)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


_RNG = np.random.default_rng(20131106)
_POS = (_RNG.integers(1, 2**63, 64, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_SHINGLE_MUL = (_RNG.integers(1, 2**63, 8, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)


@dataclass
class _Shingled:
    sh: np.ndarray  # shingle hashes, grouped by text
    start: np.ndarray  # first shingle of each text
    count: np.ndarray  # shingles per text
    words: np.ndarray  # words per text (after the max_words cut)
    text_hash: np.ndarray  # hash of each text's whole word sequence (0: empty)


def _shingle_cp(cp: np.ndarray, n: int, k: int, max_words: int) -> _Shingled:
    """Word k-shingles from normalised code points (texts separated by 0, words by 32)."""
    zeros = np.zeros(n, dtype=np.int64)
    is_char = (cp != 32) & (cp != 0)
    edge = np.diff(np.concatenate([[0], is_char.view(np.int8), [0]]))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)  # one past each word
    if not len(starts):
        return _Shingled(np.zeros(0, np.uint64), zeros, zeros, zeros,
                         np.zeros(n, np.uint64))
    lengths = ends - starts
    seps = np.flatnonzero(cp == 0)
    doc_of_word = np.searchsorted(seps, starts)
    # Word hash: a sum of (code point + 1) times a per-position odd multiplier, then mixed.
    pos = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(lengths) - lengths, lengths)
    chars = np.repeat(starts, lengths) + pos
    contrib = (cp[chars].astype(np.uint64) + np.uint64(1)) * _POS[np.minimum(pos, 63)]
    del chars, pos
    wh = np.add.reduceat(contrib, np.cumsum(lengths) - lengths)
    del contrib
    wh = _mix(wh ^ (lengths.astype(np.uint64) << np.uint64(56)))
    n_words_all = np.bincount(doc_of_word, minlength=n)
    first_word = np.cumsum(n_words_all) - n_words_all
    rank = np.arange(len(wh)) - first_word[doc_of_word]
    # The whole text's hash (for exact duplicates and slogans), before any cut.
    text_hash = np.zeros(n, dtype=np.uint64)
    has = n_words_all > 0
    text_hash[has] = _mix(np.add.reduceat(wh * _POS[rank % 64], first_word[has])
                          ^ n_words_all[has].astype(np.uint64))
    keep = rank < max_words
    wh, doc_of_word = wh[keep], doc_of_word[keep]
    n_words = np.bincount(doc_of_word, minlength=n).astype(np.int64)
    first_word = np.cumsum(n_words) - n_words
    m = len(wh)
    if k <= 1:
        sh, sh_doc = wh, doc_of_word
    else:
        idx = np.arange(max(m - k + 1, 0))
        idx = idx[doc_of_word[idx] == doc_of_word[idx + k - 1]]
        acc = np.zeros(len(idx), dtype=np.uint64)
        for d in range(k):
            acc += wh[idx + d] * _SHINGLE_MUL[d % len(_SHINGLE_MUL)]
        sh, sh_doc = _mix(acc), doc_of_word[idx]
        # Short texts (fewer than k words, at least one): one shingle of all their words.
        short = np.flatnonzero((n_words > 0) & (n_words < k))
        if len(short):
            acc_s = np.zeros(len(short), dtype=np.uint64)
            for d in range(k - 1):
                w = np.where(n_words[short] > d,
                             wh[np.minimum(first_word[short] + d, m - 1)], np.uint64(0))
                acc_s += w * _SHINGLE_MUL[d % len(_SHINGLE_MUL)]
            sh = np.concatenate([sh, _mix(acc_s)])
            sh_doc = np.concatenate([sh_doc, short])
            order = np.argsort(sh_doc, kind="stable")
            sh, sh_doc = sh[order], sh_doc[order]
    count = np.bincount(sh_doc, minlength=n).astype(np.int64)
    start = (np.cumsum(count) - count).astype(np.int64)
    return _Shingled(sh, start, count, n_words, text_hash)


def _shingle_texts(texts: Sequence[str | None], k: int, max_words: int,
                   chunk: int = 50_000) -> _Shingled:
    """Normalise and shingle raw texts a chunk at a time (temporaries stay small)."""
    parts: list[_Shingled] = []
    for c0 in range(0, len(texts), chunk):
        part = texts[c0:c0 + chunk]
        parts.append(_shingle_cp(_codepoints(part), len(part), k, max_words))
    if not parts:
        z = np.zeros(0, dtype=np.int64)
        return _Shingled(np.zeros(0, np.uint64), z, z, z, np.zeros(0, np.uint64))
    if len(parts) == 1:
        return parts[0]
    count = np.concatenate([p.count for p in parts])
    return _Shingled(
        sh=np.concatenate([p.sh for p in parts]),
        start=(np.cumsum(count) - count).astype(np.int64),
        count=count,
        words=np.concatenate([p.words for p in parts]),
        text_hash=np.concatenate([p.text_hash for p in parts]),
    )


def shingle_hashes(norm: Sequence[str], k: int = 3, max_words: int = 200
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word ``k``-shingle hashes of normalised texts (see :func:`normalise_many`).

    Returns
    -------
    hashes : uint64 array
        Shingle hashes, grouped by text in input order.
    start : int64 array
        Text ``i``'s shingles start at ``hashes[start[i]]`` and run to the next
        text's start.
    words : int64 array
        Number of words per text (after the ``max_words`` cut).

    A text with fewer than ``k`` words has one shingle made of all its words;
    an empty text has none.
    """
    n = len(norm)
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), z, z
    cp = np.frombuffer("\x00".join(norm).encode("utf-32-le"), dtype=np.uint32)
    s = _shingle_cp(cp, n, k, max_words)
    return s.sh, s.start, s.words


def _signatures(sh: np.ndarray, start: np.ndarray, count: np.ndarray, num_perm: int,
                seed: int = 1) -> np.ndarray:
    """MinHash signatures (uint32, one row per text with at least one shingle).

    ``count`` must be the true shingle counts: each text's segment of ``sh``
    runs to the next text's start.
    """
    rng = np.random.default_rng(seed)
    a = (rng.integers(1, 2**63, num_perm, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
    b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)
    docs = np.flatnonzero(count > 0)
    sig = np.empty((len(docs), num_perm), dtype=np.uint32)
    if not len(docs):
        return sig
    # Chunks of texts keep the temporaries small (a few million shingles each).
    chunk_docs = max(1, int(4_000_000 / max(1.0, count[docs].mean())))
    for c0 in range(0, len(docs), chunk_docs):
        ds = docs[c0:c0 + chunk_docs]
        lo, hi = start[ds[0]], start[ds[-1]] + count[ds[-1]]
        part = sh[lo:hi]
        offs = start[ds] - lo
        for p in range(num_perm):
            v = ((part * a[p] + b[p]) >> np.uint64(32)).astype(np.uint32)
            sig[c0:c0 + len(ds), p] = np.minimum.reduceat(v, offs)
    return sig


def _overlap(sh: np.ndarray, start: np.ndarray, count: np.ndarray, di: np.ndarray,
             dj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct shingles shared by each pair of texts, and each side's distinct count."""
    def side(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c = count[d]
        pid = np.repeat(np.arange(len(d), dtype=np.int64), c)
        idx = np.repeat(start[d], c) + (np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c))
        frame_ = pd.DataFrame({"p": pid, "s": sh[idx]}).drop_duplicates()
        return frame_["p"].to_numpy(), frame_["s"].to_numpy()

    pa, sa = side(di)
    pb, sb = side(dj)
    na = np.bincount(pa, minlength=len(di))
    nb = np.bincount(pb, minlength=len(dj))
    both = pd.DataFrame({"p": np.concatenate([pa, pb]), "s": np.concatenate([sa, sb])})
    shared = both.duplicated().to_numpy()  # a (pair, shingle) seen on the other side too
    inter = np.bincount(both["p"].to_numpy()[shared], minlength=len(di))
    return inter, na, nb


@dataclass
class CrosspostResult:
    """Cross-posts found, and how.

    ``pairs`` has one row per later post: ``src`` (the later post), ``dst``
    (the earlier one it repeats), ``similarity`` (Jaccard), ``containment``
    (share of the shorter text's shingles in the longer), ``lag_seconds``,
    ``method``, ``src_platform``, ``dst_platform``.
    """

    pairs: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    posts_compared: int = 0
    candidates: int = 0
    seconds: float = 0.0
    written: int = 0

    def summary(self) -> dict[str, Any]:
        methods = self.pairs["method"].value_counts().to_dict() if len(self.pairs) else {}
        return {"crossposts": len(self.pairs), "posts_compared": self.posts_compared,
                "candidates": self.candidates, "written": self.written,
                "methods": {str(k): int(v) for k, v in methods.items()},
                "seconds": round(self.seconds, 2), **self.params}


def _epoch(values: pd.Series) -> np.ndarray:
    """Seconds since 1970 from ISO strings or numbers; NaN where missing."""
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype=float)
    ts = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
    # Subtracting the epoch works whatever resolution pandas picked (s, ms, us, ns).
    sec = (ts - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(seconds=1)
    return sec.to_numpy(dtype=float, na_value=np.nan)


_EMPTY_PAIRS = ["src", "dst", "similarity", "containment", "lag_seconds", "method",
                "src_platform", "dst_platform"]


def find_crossposts(
    posts: pd.DataFrame,
    *,
    window_days: float = 7.0,
    threshold: float = 0.5,
    min_words: int = 6,
    shingle: int = 3,
    max_words: int = 200,
    bands: int = 25,
    rows: int = 2,
    per_platform: int = 3,
    containment: float = 0.7,
    max_repeats: int = 3,
    exclude_pairs: pd.DataFrame | None = None,
    seed: int = 1,
) -> CrosspostResult:
    """Find cross-posts among posts given as a DataFrame (no store needed).

    Parameters
    ----------
    posts : DataFrame
        ``key``, ``platform``, ``text``, ``created_at`` (ISO strings or epoch
        seconds); optional ``title`` (put before the text), ``kind`` (posts
        of kind ``share`` are skipped).
    window_days : float
        The later post must come at most this long after the earlier one.
    threshold : float
        Minimum Jaccard similarity of the two posts' word-shingle sets.
    min_words : int
        Posts with fewer words (after normalisation) are too short to tell a
        copy from a common phrase and are skipped.
    shingle, max_words : int
        Shingle length in words; words of each text considered.
    bands, rows : int
        LSH banding: ``bands * rows`` MinHash functions; a pair becomes a
        candidate when it agrees on a whole band. The defaults find pairs at
        Jaccard 0.4 with probability 0.98 (a short copy inside a longer text
        has a low Jaccard but a high containment) and at 0.5 with 0.999.
    per_platform : int
        In each band bucket, how many earlier posts per other platform a post
        is compared with.
    containment : float
        Also accept a pair when this share of the shorter text's shingles is
        in the longer text (the shorter must have at least 5 shingles); 1
        turns this off.
    max_repeats : int
        Texts posted word for word (after normalisation) more often than this
        on one platform are slogans or copypasta and never cross-posts.
    exclude_pairs : DataFrame, optional
        ``src``, ``dst`` key pairs (either order) that are never cross-posts
        (already tied by a share, quote, link or reply).
    seed : int
        Seed of the MinHash functions.

    Returns
    -------
    CrosspostResult
    """
    t0 = time.perf_counter()
    if not 0 < threshold <= 1:
        raise UsageError(f"threshold must be in (0, 1], not {threshold}")
    if window_days <= 0:
        raise UsageError(f"the window must be positive, not {window_days} days")
    params = {"window_days": window_days, "threshold": threshold, "min_words": min_words,
              "shingle": shingle, "bands": bands, "rows": rows, "containment": containment,
              "max_repeats": max_repeats}
    df = posts
    if "kind" in df:
        df = df[df["kind"].astype(object).ne("share").to_numpy(dtype=bool)]
    text_arr = df["text"].to_numpy(dtype=object, na_value=None)
    if "title" in df:
        title = df["title"].to_numpy(dtype=object, na_value=None)
        text_arr = np.array([f"{a} {b}" if isinstance(a, str) and isinstance(b, str)
                             else (a if isinstance(a, str) else b)
                             for a, b in zip(title.tolist(), text_arr.tolist(), strict=True)],
                            dtype=object)
    when = _epoch(df["created_at"]) if "created_at" in df else np.full(len(df), np.nan)
    plat_s = df["platform"].to_numpy(dtype=object, na_value=None)
    ok = ~np.isnan(when) & np.fromiter(
        (isinstance(t, str) and bool(t) and isinstance(p, str) and bool(p)
         for t, p in zip(text_arr.tolist(), plat_s.tolist(), strict=True)),
        dtype=bool, count=len(df))
    keys = df["key"].astype(str).to_numpy(dtype=object)[ok]
    plats = plat_s[ok]
    when = when[ok].astype(np.int64)
    shd = _shingle_texts(text_arr[ok].tolist(), shingle, max_words)
    sh, start, count, n_words = shd.sh, shd.start, shd.count, shd.words
    usable = (n_words >= min_words) & (count > 0)
    # Slogans: the same normalised text posted again and again on one platform.
    plat_codes, plat_names = pd.factorize(pd.Series(plats, dtype=object))
    tp = pd.DataFrame({"h": shd.text_hash, "p": plat_codes})
    usable &= (tp.groupby(["h", "p"])["p"].transform("size") <= max_repeats).to_numpy()
    n_usable = int(usable.sum())
    empty = pd.DataFrame(columns=_EMPTY_PAIRS)
    if n_usable < 2 or len(plat_names) < 2:
        return CrosspostResult(empty, params, n_usable, 0, time.perf_counter() - t0)
    docs = np.flatnonzero(usable)
    has_sh = np.flatnonzero(count > 0)
    sig = _signatures(sh, start, count, bands * rows, seed)
    # keep the rows of `docs` (texts with enough words)
    sig = sig[np.searchsorted(has_sh, docs)]
    d_time = when[docs]
    d_plat = plat_codes[docs].astype(np.int64)
    n_plat = int(d_plat.max()) + 1
    window = int(window_days * 86400)
    tmin = int(d_time.min())
    rel = (d_time - tmin).astype(np.int64)
    if rel.max() >= 2**32:
        raise UsageError("posts span more than 136 years; split the store by time")

    cand_i: list[np.ndarray] = []
    cand_j: list[np.ndarray] = []
    for band in range(bands):
        cols = sig[:, band * rows:(band + 1) * rows].astype(np.uint64)
        h = np.zeros(len(docs), dtype=np.uint64)
        for r in range(rows):
            h = _mix(h * np.uint64(0x9E3779B97F4A7C15) + cols[:, r])
        grp, uniq = pd.factorize(h)
        grp = grp.astype(np.int64)
        n_grp = len(uniq)
        # Which platforms each bucket holds; buckets with two or more are all that matter.
        present = np.zeros((n_plat, n_grp), dtype=bool)
        for q in range(n_plat):
            present[q, grp[d_plat == q]] = True
        n_pl = present.sum(axis=0)
        live = np.flatnonzero(n_pl[grp] >= 2)
        if not len(live):
            continue
        g, p, t = grp[live], d_plat[live], rel[live]
        comp = (g * n_plat + p) << np.int64(32) | t
        order = np.argsort(comp, kind="stable")
        comp_s, idx_s = comp[order], live[order]
        for other in range(n_plat):
            m = p != other
            if not m.any():
                continue
            has = present[other, g[m]]
            if not has.any():
                continue
            q_i = live[m][has]
            base = (g[m][has] * n_plat + other) << np.int64(32)
            tq = t[m][has]
            lo = np.searchsorted(comp_s, base | np.maximum(tq - window, 0), side="left")
            hi = np.searchsorted(comp_s, base | tq, side="right")
            for k in range(per_platform):
                pos = lo + k
                sel = pos < hi
                if not sel.any():
                    break
                cand_i.append(q_i[sel])
                cand_j.append(idx_s[pos[sel]])
    if not cand_i:
        return CrosspostResult(empty, params, n_usable, 0, time.perf_counter() - t0)
    ci = np.concatenate(cand_i)
    cj = np.concatenate(cand_j)
    # Orient later -> earlier (ties in time broken by position, so each pair has one direction).
    later = (d_time[ci] > d_time[cj]) | ((d_time[ci] == d_time[cj]) & (ci > cj))
    ci, cj = np.where(later, ci, cj), np.where(later, cj, ci)
    pair = np.unique(ci.astype(np.int64) * len(docs) + cj)
    ci, cj = pair // len(docs), pair % len(docs)
    n_cand = len(ci)
    # Cheap filter on the signatures, then the exact Jaccard of the shingle sets.
    est = (sig[ci] == sig[cj]).mean(axis=1)
    keep = est >= threshold - 0.2
    ci, cj = ci[keep], cj[keep]
    inter, na, nb = _overlap(sh, start, count, docs[ci], docs[cj])
    small = np.minimum(na, nb)
    sims = inter / (na + nb - inter)
    cont = inter / np.maximum(small, 1)
    keep = (sims >= threshold) | ((cont >= containment) & (small >= 5))
    ci, cj, sims, cont = ci[keep], cj[keep], sims[keep], cont[keep]
    if exclude_pairs is not None and len(exclude_pairs) and len(ci):
        ks = pd.DataFrame({"a": keys[docs[ci]], "b": keys[docs[cj]], "n": np.arange(len(ci))})
        ex = exclude_pairs[["src", "dst"]].astype(str)
        ex = pd.concat([ex, ex.rename(columns={"src": "dst", "dst": "src"})], ignore_index=True)
        hit = ks.merge(ex, left_on=["a", "b"], right_on=["src", "dst"])["n"].to_numpy()
        bad = np.zeros(len(ci), dtype=bool)
        bad[hit] = True
        # A post tied to one of its duplicates is explained by that tie: no cross-post at all.
        explained = np.isin(ci, np.unique(ci[bad]))
        ci, cj, sims, cont = ci[~explained], cj[~explained], sims[~explained], cont[~explained]
    # One edge per later post: to the earliest post it repeats (most similar on ties).
    res = pd.DataFrame({"i": ci, "j": cj, "sim": sims, "cont": cont, "tj": d_time[cj]})
    res = res.sort_values(["i", "tj", "sim", "j"], ascending=[True, True, False, True])
    res = res.drop_duplicates("i", keep="first")
    di, dj = docs[res["i"].to_numpy()], docs[res["j"].to_numpy()]
    exact = shd.text_hash[di] == shd.text_hash[dj]
    out = pd.DataFrame({
        "src": keys[di], "dst": keys[dj],
        "similarity": np.round(res["sim"].to_numpy(), 4),
        "containment": np.round(res["cont"].to_numpy(), 4),
        "lag_seconds": (when[di] - when[dj]).astype(np.int64),
        "method": np.where(exact, "exact", "minhash"),
        "src_platform": plats[di], "dst_platform": plats[dj],
    })
    out = out.sort_values(["dst", "src"]).reset_index(drop=True)
    return CrosspostResult(out, params, n_usable, n_cand, time.perf_counter() - t0)


def detect_crossposts(store: Store, *, write: bool = True, **kwargs: Any) -> CrosspostResult:
    """Find cross-posts in a store and (by default) replace its CROSSPOST_OF relationships.

    Keyword arguments are those of :func:`find_crossposts`.

    Examples
    --------
    >>> res = detect_crossposts(store, window_days=3)  # doctest: +SKIP
    >>> res.pairs.head()  # doctest: +SKIP
    """
    posts = store.nodes("Post", columns=["platform", "kind", "title", "text", "created_at"])
    tied = store.edges(list(_CONNECTED))
    tied = tied[(tied["src_label"] == "Post") & (tied["dst_label"] == "Post")]
    res = find_crossposts(posts, exclude_pairs=tied[["src", "dst"]], **kwargs)
    if write:
        store.delete_edges("CROSSPOST_OF")
        run = store.begin_run("crossposts", [], res.params)
        p = res.pairs
        rows = [("CROSSPOST_OF", "Post", s, "Post", d,
                 {"similarity": float(sim), "containment": float(c), "lag_seconds": int(lag),
                  "method": m})
                for s, d, sim, c, lag, m in zip(p["src"].tolist(), p["dst"].tolist(),
                                                p["similarity"].tolist(),
                                                p["containment"].tolist(),
                                                p["lag_seconds"].tolist(), p["method"].tolist(),
                                                strict=True)]
        res.written = store.write_edges(rows, run, _SOURCE)
        store.set_meta("crossposts_params", _json(res.params))
        store.end_run(run, read=res.posts_compared, stored=res.written, rejected=0)
    return res


def _json(obj: Any) -> str:
    import json

    return json.dumps(obj, sort_keys=True)


def evaluate_pairs(predicted: pd.DataFrame | Sequence[Sequence[str]],
                   truth: Sequence[Sequence[str]]) -> dict[str, float]:
    """Precision, recall and F1 of (later, earlier) cross-post pairs against a truth list.

    A predicted pair counts in either orientation (the direction is checked
    separately by the ``oriented`` share).
    """
    if isinstance(predicted, pd.DataFrame):
        pred = list(zip(predicted["src"].tolist(), predicted["dst"].tolist(), strict=True))
    else:
        pred = [tuple(p) for p in predicted]
    t = {tuple(x) for x in truth}
    t_un = {frozenset(x) for x in t}
    p_un = {frozenset(x) for x in pred}
    tp = len(t_un & p_un)
    precision = tp / len(p_un) if p_un else 1.0
    recall = tp / len(t_un) if t_un else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    oriented = sum(1 for x in pred if x in t)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "true_pairs": len(t_un), "predicted_pairs": len(p_un), "tp": tp,
            "oriented": round(oriented / tp, 4) if tp else 1.0}
