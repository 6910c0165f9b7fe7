"""Near-duplicate cross-posts: normalisation, shingles, MinHash/LSH, rules, store writes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmap.errors import UsageError
from netmap.resolve.crosspost import (
    _signatures,
    detect_crossposts,
    evaluate_pairs,
    find_crossposts,
    normalise,
    normalise_many,
    shingle_hashes,
)

from .conftest import Builder

TEXT = ("Вчера на участке в Душанбе наблюдатели насчитали втрое меньше людей, чем потом "
        "объявила комиссия, и никто из них не смог получить копию протокола")
TEXT_EN = ("Observers at the polling station in Khujand counted three times fewer voters than "
           "the commission later announced and none of them got a copy of the protocol")


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["key", "platform", "created_at", "text", "kind"])


def pairs(res) -> set[tuple[str, str]]:
    return set(zip(res.pairs["src"], res.pairs["dst"], strict=True))


# -- normalisation and shingles ------------------------------------------------------


def test_normalise() -> None:
    assert normalise("RT? Ёжик идёт! https://t.co/AbC @bob #выборы2013 www.x.tj/a") == \
        "rt ежик идет"
    # Tajik letters meet their Russian look-alikes; punctuation and case go.
    assert normalise("Ҳақ гап, ҶАВОБ!") == normalise("Хак гап — чавоб")
    assert normalise(None) == ""
    assert normalise_many(["a\x00b", "", "  x  "]) == ["a b", "", "x"]


def test_shingle_hashes() -> None:
    norm = normalise_many([TEXT, "", "два слова", TEXT, TEXT + " ещё"])
    sh, start, words = shingle_hashes(norm)
    count = np.diff(np.append(start, len(sh)))
    assert words.tolist() == [23, 0, 2, 23, 24]
    assert count.tolist() == [21, 0, 1, 21, 22]  # short texts: one shingle of all their words
    a = sh[start[0]:start[0] + 21]
    assert np.array_equal(a, sh[start[3]:start[3] + 21])  # same text, same shingles
    assert np.array_equal(a, sh[start[4]:start[4] + 21])  # a prefix keeps its shingles
    # Stable across calls (no Python hash randomisation) and word order matters.
    sh2, _, _ = shingle_hashes(normalise_many([TEXT]))
    assert np.array_equal(sh2, a)
    swapped, _, _ = shingle_hashes(["б а в", "а б в"])
    assert swapped[0] != swapped[1]
    sh3, _, w3 = shingle_hashes(normalise_many([TEXT]), max_words=5)
    assert w3.tolist() == [5] and len(sh3) == 3


def test_minhash_agreement_estimates_jaccard() -> None:
    import datasketch  # the reference implementation; a test extra, so never skipped
    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(400)]
    base = [vocab[i] for i in rng.integers(0, 400, 60)]
    texts = [" ".join(base), " ".join(base[:45] + [vocab[i] for i in rng.integers(0, 400, 15)])]
    sh, start, _ = shingle_hashes(texts)
    count = np.diff(np.append(start, len(sh)))
    sig = _signatures(sh, start, count, 256)
    est = float((sig[0] == sig[1]).mean())
    a, b = (set(sh[start[i]:start[i] + count[i]].tolist()) for i in (0, 1))
    exact = len(a & b) / len(a | b)
    assert abs(est - exact) < 0.08
    ma, mb = datasketch.MinHash(num_perm=256), datasketch.MinHash(num_perm=256)
    for x in a:
        ma.update(str(x).encode())
    for x in b:
        mb.update(str(x).encode())
    assert abs(ma.jaccard(mb) - est) < 0.12


# -- detection rules ---------------------------------------------------------------------


def test_exact_and_near_duplicates_across_platforms() -> None:
    edited = "Репост: " + TEXT.replace("втрое", "вдвое") + " #выборы"
    df = frame([
        ("blog.tj/p1", "blog", "2013-11-07T08:00:00Z", TEXT, "post"),
        ("twitter:1", "twitter", "2013-11-07T09:00:00Z", TEXT + " https://t.co/x", "post"),
        ("vk.com/wall1_1", "vk", "2013-11-08T08:00:00Z", edited, "post"),
        ("twitter:2", "twitter", "2013-11-07T10:00:00Z", TEXT_EN, "post"),
        ("vk.com/wall1_2", "vk", "2013-11-07T12:00:00Z", TEXT_EN, "post"),
    ])
    res = find_crossposts(df)
    assert pairs(res) == {("twitter:1", "blog.tj/p1"), ("vk.com/wall1_1", "blog.tj/p1"),
                          ("vk.com/wall1_2", "twitter:2")}
    p = res.pairs.set_index("src")
    assert p.loc["twitter:1", "method"] == "exact" and p.loc["twitter:1", "similarity"] == 1.0
    assert p.loc["twitter:1", "lag_seconds"] == 3600
    assert p.loc["vk.com/wall1_1", "method"] == "minhash"
    assert 0.5 <= p.loc["vk.com/wall1_1", "similarity"] < 1.0
    assert p.loc["vk.com/wall1_2", "src_platform"] == "vk"
    assert res.summary()["crossposts"] == 3


def test_the_earliest_origin_is_chosen() -> None:
    # A VK copy of a tweet that copied a blog post points at the blog post.
    df = frame([
        ("twitter:1", "twitter", "2013-11-07T09:00:00Z", TEXT, "post"),
        ("blog.tj/p1", "blog", "2013-11-07T08:00:00Z", TEXT, "post"),
        ("vk.com/wall1_1", "vk", "2013-11-07T10:00:00Z", TEXT, "post"),
    ])
    assert pairs(find_crossposts(df)) == {("twitter:1", "blog.tj/p1"),
                                          ("vk.com/wall1_1", "blog.tj/p1")}


@pytest.mark.parametrize("case", ["same_platform", "outside_window", "reposts", "short",
                                  "unrelated", "undated"])
def test_what_is_not_a_crosspost(case: str) -> None:
    rows = {
        "same_platform": [("twitter:1", "twitter", "2013-11-07T08:00:00Z", TEXT, "post"),
                          ("twitter:2", "twitter", "2013-11-07T09:00:00Z", TEXT, "post")],
        "outside_window": [("blog.tj/p1", "blog", "2013-11-01T08:00:00Z", TEXT, "post"),
                           ("twitter:2", "twitter", "2013-11-09T08:00:01Z", TEXT, "post")],
        "reposts": [("twitter:1", "twitter", "2013-11-07T08:00:00Z", TEXT, "post"),
                    ("vk.com/wall1_1", "vk", "2013-11-07T09:00:00Z", TEXT, "share")],
        "short": [("twitter:1", "twitter", "2013-11-07T08:00:00Z", "Доброе утро, Душанбе!",
                   "post"),
                  ("vk.com/wall1_1", "vk", "2013-11-07T09:00:00Z", "Доброе утро, Душанбе!",
                   "post")],
        "unrelated": [("twitter:1", "twitter", "2013-11-07T08:00:00Z", TEXT, "post"),
                      ("vk.com/wall1_1", "vk", "2013-11-07T09:00:00Z", TEXT_EN, "post")],
        "undated": [("twitter:1", "twitter", None, TEXT, "post"),
                    ("vk.com/wall1_1", "vk", "2013-11-07T09:00:00Z", TEXT, "post")],
    }[case]
    assert find_crossposts(frame(rows)).pairs.empty


def test_window_is_a_parameter() -> None:
    df = frame([("blog.tj/p1", "blog", "2013-11-01T08:00:00Z", TEXT, "post"),
                ("twitter:2", "twitter", "2013-11-09T08:00:01Z", TEXT, "post")])
    assert len(find_crossposts(df, window_days=9).pairs) == 1
    with pytest.raises(UsageError):
        find_crossposts(df, window_days=0)
    with pytest.raises(UsageError):
        find_crossposts(df, threshold=1.5)


def test_slogans_repeated_on_a_platform_are_no_crossposts() -> None:
    rows = [(f"twitter:{i}", "twitter", f"2013-11-07T0{i}:00:00Z", TEXT, "post") for i in range(5)]
    rows.append(("vk.com/wall1_1", "vk", "2013-11-07T09:30:00Z", TEXT, "post"))
    assert find_crossposts(frame(rows)).pairs.empty
    assert len(find_crossposts(frame(rows), max_repeats=10).pairs) == 1


def test_containment_catches_a_cut_copy() -> None:
    longer = TEXT + ". " + TEXT_EN
    df = frame([("blog.tj/p1", "blog", "2013-11-07T08:00:00Z", longer, "post"),
                ("twitter:1", "twitter", "2013-11-07T09:00:00Z", TEXT, "post")])
    res = find_crossposts(df)
    assert len(res.pairs) == 1 and res.pairs.loc[0, "containment"] == 1.0
    assert res.pairs.loc[0, "similarity"] < 0.5
    assert find_crossposts(df, containment=1.01).pairs.empty


def test_titles_count_and_excluded_pairs() -> None:
    df = pd.DataFrame({
        "key": ["blog.tj/p1", "twitter:1"], "platform": ["blog", "twitter"],
        "created_at": ["2013-11-07T08:00:00Z", "2013-11-07T09:00:00Z"],
        "title": [TEXT[:60], None], "text": [TEXT[60:], TEXT],
    })
    assert len(find_crossposts(df).pairs) == 1
    tied = pd.DataFrame({"src": ["twitter:1"], "dst": ["blog.tj/p1"]})
    assert find_crossposts(df, exclude_pairs=tied).pairs.empty


def test_empty_and_single_platform_inputs() -> None:
    assert find_crossposts(frame([])).pairs.empty
    one = frame([("twitter:1", "twitter", "2013-11-07T08:00:00Z", TEXT, "post")])
    assert find_crossposts(one).pairs.empty


def test_many_posts_with_planted_copies() -> None:
    """A few thousand random posts with planted one-word edits: copies found, nothing else.

    Texts have 15-30 words: one changed word removes up to three of a text's
    shingles, which shorter texts cannot afford at a Jaccard threshold of 0.5.
    """
    rng = np.random.default_rng(3)
    words = [f"слово{i}" for i in range(3000)]
    rows, truth = [], []
    base = pd.Timestamp("2013-10-15", tz="UTC")
    plats = ["twitter", "vk", "telegram", "blog"]
    for i in range(3000):
        n = int(rng.integers(15, 31))
        text = " ".join(words[j] for j in rng.integers(0, 3000, n))
        t = base + pd.Timedelta(seconds=int(rng.integers(0, 30 * 86400)))
        p = plats[i % 4]
        rows.append((f"{p}:{i}", p, t.isoformat(), text, "post"))
        if i % 10 == 0:
            w = text.split()
            w[int(rng.integers(0, len(w)))] = "правка"
            lag = pd.Timedelta(seconds=int(rng.integers(60, 5 * 86400)))
            q = plats[(i + 1 + i // 10 % 3) % 4]
            rows.append((f"{q}:copy{i}", q, (t + lag).isoformat(), " ".join(w) + " #tag", "post"))
            truth.append((f"{q}:copy{i}", f"{p}:{i}"))
    res = find_crossposts(frame(rows))
    ev = evaluate_pairs(res.pairs, truth)
    assert ev["precision"] == 1.0 and ev["recall"] >= 0.95 and ev["oriented"] == 1.0


# -- the store ----------------------------------------------------------------------------


def test_detect_crossposts_writes_and_recomputes(store, build: Builder) -> None:
    blog = build.blog_post("nigoh.wordpress.com", "Nigoh", "p", "2013-11-07T08:00:00Z",
                           title="Наблюдатели", text=TEXT)
    build.post("vk.com/wall1_1", "vk:nigoh", "vk", "2013-11-07T11:00:00Z", "Наблюдатели. " + TEXT)
    build.post("twitter:5", "twitter:sharer", "twitter", "2013-11-07T12:00:00Z", TEXT)
    build.rel("SHARES", "twitter:5", blog)  # already a share: not also a cross-post
    build.write(store)
    res = detect_crossposts(store)
    assert res.written == 1
    e = store.edges(["CROSSPOST_OF"], columns=["similarity", "lag_seconds", "method",
                                               "containment"])
    assert e[["src", "dst"]].values.tolist() == [["vk.com/wall1_1", blog]]
    assert e.loc[0, "lag_seconds"] == 3 * 3600 and e.loc[0, "method"] == "exact"
    assert store.meta("crossposts_params") is not None
    detect_crossposts(store, window_days=0.01)  # 14 minutes: every copy is now too late
    assert store.counts()["relationships"]["CROSSPOST_OF"] == 0
    res = detect_crossposts(store, write=False)
    assert len(res.pairs) == 1 and store.counts()["relationships"]["CROSSPOST_OF"] == 0


def test_evaluate_pairs() -> None:
    ev = evaluate_pairs([("a", "b"), ("d", "c"), ("x", "y")], [("a", "b"), ("c", "d"), ("e", "f")])
    assert ev["tp"] == 2 and ev["precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert ev["recall"] == pytest.approx(2 / 3, abs=1e-3) and ev["oriented"] == 0.5
