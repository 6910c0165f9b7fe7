from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netmap.stance import apply_seeds, assign, evaluate, load_groups, load_seeds
from netmap.stance.assign import LexiconEvidence, _decide, stored_groups
from netmap.stance.groups import Groups
from netmap.stance.propagate import propagate
from netmap.stance.ties import Ties, endorsement_ties
from netmap.store.sqlite import SQLiteStore

from .conftest import FIXTURES, PostGraph, plain_groups, planted

RED_BLUE = plain_groups("red", "blue")


def seed(store: SQLiteStore, tmp_path: Path, groups: Groups, rows: dict[str, str]) -> None:
    path = tmp_path / "seeds.csv"
    path.write_text("account,group\n" + "".join(f"{k},{g}\n" for k, g in rows.items()),
                    encoding="utf-8")
    apply_seeds(store, load_seeds(path, groups))


def props(store: SQLiteStore, key: str) -> dict:
    node = store.get_node("Account", key)
    assert node is not None, key
    return {k: node.get(k) for k in ("group", "group_score", "group_source", "group_evidence")}


@pytest.fixture
def two_camps(store: SQLiteStore, tmp_path: Path) -> SQLiteStore:
    """Two seeded camps tied by shares and quotes, and arguments between them."""
    g = PostGraph()
    sa = g.tweet("twitter:s_a", "первый")
    sb = g.tweet("twitter:s_b", "второй")
    a1 = g.tweet("twitter:a1", "мой твит")
    g.tweet("twitter:a1", "RT", share=sa)
    a2 = g.tweet("twitter:a2", "RT", share=a1)  # two hops from the seed
    g.tweet("twitter:a3", "смотрите", quote=a2)
    g.tweet("twitter:b1", "RT", share=sb)
    g.tweet("twitter:x", "RT", share=sa)
    g.tweet("twitter:x", "вы ошибаетесь", reply=sb)  # x argues with the other camp
    g.tweet("twitter:s_b", "неправда", reply=a1)  # a cross-camp argument
    g.tweet("twitter:r", "согласен", reply=sa)  # r only replies
    g.tweet("twitter:lonely", "доброе утро")
    g.write(store)
    seed(store, tmp_path, RED_BLUE, {"twitter:s_a": "red", "https://twitter.com/S_B": "blue"})
    return store


def test_seeds_propagate_along_shares_not_replies(two_camps: SQLiteStore):
    result = assign(two_camps, RED_BLUE)
    assert props(two_camps, "twitter:s_a") == {
        "group": "red", "group_score": 1.0, "group_source": "seed", "group_evidence": "seed"}
    for key in ("twitter:a1", "twitter:a2", "twitter:a3", "twitter:x"):
        p = props(two_camps, key)
        assert (p["group"], p["group_source"]) == ("red", "propagated"), key
        assert p["group_score"] == 1.0, key  # the cross-camp replies carried nothing
    assert props(two_camps, "twitter:b1")["group"] == "blue"
    assert props(two_camps, "twitter:a1")["group_evidence"].startswith(
        "propagated from 2 neighbours: twitter:s_a, twitter:a2")
    # no evidence: no group, no score, nothing written
    for key in ("twitter:r", "twitter:lonely"):
        assert props(two_camps, key) == dict.fromkeys(
            ("group", "group_score", "group_source", "group_evidence")), key
    assert result.accounts == 9 and result.assigned == 7
    assert result.by_group == {"red": 5, "blue": 2}
    assert result.by_source == {"seed": 2, "propagated": 5}
    assert result.coverage == round(7 / 9, 4)
    assert result.converged and result.iterations > 1
    assert "assigned 7 of 9 accounts" in str(result)
    json.dumps(result.as_dict())  # what the CLI prints as JSON


def test_replies_can_be_given_weight(two_camps: SQLiteStore):
    assign(two_camps, RED_BLUE, tie_weights={"REPLIES_TO": 1.0})
    assert props(two_camps, "twitter:r")["group"] == "red"
    p = props(two_camps, "twitter:a1")  # s_b's reply now pulls a1 towards blue
    assert p["group"] is None and p["group_evidence"].startswith("unassigned"), p


def test_rerun_clears_old_results(two_camps: SQLiteStore, tmp_path: Path):
    assign(two_camps, RED_BLUE)
    path = tmp_path / "none.csv"
    path.write_text("account,group\n", encoding="utf-8")
    apply_seeds(two_camps, load_seeds(path, RED_BLUE))
    result = assign(two_camps, RED_BLUE)
    assert result.assigned == 0
    groups = two_camps.nodes("Account", columns=["group", "group_evidence"])
    assert groups["group"].isna().all() and groups["group_evidence"].isna().all()


def test_threshold_and_mixed_evidence(store: SQLiteStore, tmp_path: Path):
    g = PostGraph()
    ta = g.tweet("twitter:s_a", "a")
    tb = g.tweet("twitter:s_b", "b")
    g.tweet("twitter:m", "RT", share=ta)
    g.tweet("twitter:m", "RT", share=tb)  # endorses both camps equally
    g.write(store)
    seed(store, tmp_path, RED_BLUE, {"twitter:s_a": "red", "twitter:s_b": "blue"})
    assign(store, RED_BLUE)
    p = props(store, "twitter:m")
    assert p["group"] is None
    assert p["group_evidence"] == "unassigned (below threshold): red 0.50, blue 0.50"
    # a threshold of 0 still needs a strict winner
    assign(store, RED_BLUE, threshold=0.0)
    assert props(store, "twitter:m")["group"] is None


def test_lexicon_evidence_and_its_limits(store: SQLiteStore, tmp_path: Path):
    groups = load_groups()
    g = PostGraph()
    l1 = g.tweet("twitter:l1", "Бойкот! Не ходите на выборы 6 ноября. #бойкот")
    g.tweet("twitter:l1", "Boycott the vote, stay home")
    g.tweet("twitter:l2", "RT @l1: Бойкот! Не ходите на выборы 6 ноября. #бойкот", share=l1)
    g.tweet("twitter:negated", "Это не бойкот, это позиция")
    g.tweet("twitter:quoting", "Кто называет выборы «имитацией», тот не ходил на участок")
    g.tweet("twitter:sup", "Бойкот — это лень")  # a seed whose words say otherwise
    crit = [g.tweet("twitter:crit", f"Фальсификация итогов, часть {i}") for i in range(6)]
    g.tweet("twitter:c1", "Мы объявляем бойкот")  # one post says boycott ...
    for t in crit:
        g.tweet("twitter:c1", "RT", share=t)  # ... six retweets say critic
    g.write(store)
    seed(store, tmp_path, groups, {"twitter:sup": "supporter", "twitter:crit": "critic"})
    result = assign(store, groups)
    p = props(store, "twitter:l1")
    assert (p["group"], p["group_source"], p["group_score"]) == ("boycott", "lexicon", 1.0)
    assert p["group_evidence"].startswith("lexicon: 2 posts (бойкот x2, ")
    assert p["group_evidence"].endswith("; 1 neighbour agree")
    # a retweet's words are the original author's: l2 is boycott through the tie
    p = props(store, "twitter:l2")
    assert (p["group"], p["group_source"]) == ("boycott", "propagated")
    assert p["group_evidence"] == "propagated from 1 neighbour: twitter:l1"
    assert props(store, "twitter:negated")["group"] is None
    assert props(store, "twitter:quoting")["group"] is None
    assert props(store, "twitter:sup")["group"] == "supporter"  # seeds win
    p = props(store, "twitter:c1")
    assert (p["group"], p["group_source"]) == ("critic", "propagated")
    assert p["group_evidence"].endswith("(own posts lean boycott)")
    assert result.lexicon_accounts == 4  # l1, sup, crit, c1
    assert result.by_source == {"seed": 2, "lexicon": 1, "propagated": 2}


def test_blog_links_sites_and_profiles(store: SQLiteStore, tmp_path: Path):
    groups = plain_groups("critic", "boycott")
    g = PostGraph()
    a = g.blog_post("ozod.example.tj", "Ozod", "2013/10/post", "текст")
    # another blog cites it: blog-to-blog links are endorsement
    g.blog_post("second.livejournal.com", "notes", "1.html", "см.", links=(
        "https://ozod.example.tj/2013/10/post?utm_source=lj",))
    # a tweet that carries the post's link is a share (the store reconciles it)
    g.tweet("twitter:sharer", "читайте", links=("http://ozod.example.tj/2013/10/post",))
    g.blog_post("tahrim.blogspot.com", "Bedor", "why", "почему")
    # a link to the boycott blog's front page ties to the blog's author
    g.tweet("twitter:fan", "хороший блог", links=("http://tahrim.blogspot.com/",))
    # a commenter naming their blog: linked to that blog's author
    g.comment("ozod.example.tj", "Bedor", a, "(my blog: http://tahrim.blogspot.com/)",
              links=("http://tahrim.blogspot.com/",))
    # a link to a Twitter profile ties to that account
    g.tweet("twitter:tahrim_tj", "новый пост")
    g.tweet("twitter:follower", "подпишитесь", links=("https://twitter.com/Tahrim_TJ",))
    g.write(store)
    seed(store, tmp_path, groups, {"blog:ozod.example.tj/ozod": "critic",
                                   "http://tahrim.blogspot.com/": "boycott",
                                   "twitter:tahrim_tj": "boycott"})
    assign(store, groups)
    assert props(store, "blog:second.livejournal.com/notes")["group"] == "critic"
    assert props(store, "twitter:sharer")["group"] == "critic"
    assert props(store, "twitter:fan")["group"] == "boycott"
    assert props(store, "blog:ozod.example.tj/bedor")["group"] == "boycott"
    assert props(store, "twitter:follower")["group"] == "boycott"
    ties = endorsement_ties(store).frame()
    site = ties[ties["type"] == "SITE_LINK"]
    assert set(zip(site["src"], site["dst"], strict=True)) == {
        ("twitter:fan", "blog:tahrim.blogspot.com/bedor"),
        ("blog:ozod.example.tj/bedor", "blog:tahrim.blogspot.com/bedor"),
        ("twitter:follower", "twitter:tahrim_tj"),
    }
    assert set(site["weight"]) == {0.5}


def test_yaml_seeds_and_ignored_seeds(store: SQLiteStore, tmp_path: Path):
    g = PostGraph()
    t = g.tweet("twitter:cec_tj", "Итоги")
    g.tweet("twitter:reader", "RT", share=t)
    g.tweet("twitter:other", "hi")
    g.write(store)
    seed(store, tmp_path, load_groups(), {"twitter:other": "critic"})
    groups = load_groups(FIXTURES / "groups_milestone.yaml")  # seeds twitter:cec_tj
    result = assign(store, groups)
    assert props(store, "twitter:cec_tj")["group_source"] == "seed"
    assert props(store, "twitter:reader")["group"] == "milestone"
    assert result.seeds_ignored == ["twitter:other (critic)"]
    assert props(store, "twitter:other")["group"] is None
    saved = stored_groups(store)
    assert saved is not None and saved.names == ["milestone", "noise"]


def test_empty_store(store: SQLiteStore):
    result = assign(store)
    assert (result.accounts, result.assigned, result.coverage) == (0, 0, 0.0)


def test_planted_campaign(store: SQLiteStore, tmp_path: Path, capsys):
    """3 groups x 200 accounts, 5% seeds, shares mostly inside groups, 20% cross replies."""
    g = PostGraph()
    truth = planted(g, groups=3, size=200, seed=11)
    g.write(store)
    groups = plain_groups("g0", "g1", "g2")
    rng = np.random.default_rng(3)
    seeds = {}
    for name in groups.names:
        members = sorted(k for k, v in truth.items() if v == name)
        for k in rng.choice(members, size=10, replace=False):  # 5% of 200
            seeds[str(k)] = name
    seed(store, tmp_path, groups, seeds)
    truth_csv = tmp_path / "truth.csv"
    truth_csv.write_text("account,group\n" + "".join(f"{k},{v}\n" for k, v in truth.items()),
                         encoding="utf-8")
    assign(store, groups)
    ev = evaluate(store, truth_csv)
    assert ev["evaluated"] == 570 and ev["seeds_excluded"] == 30
    assert ev["macro_f1"] >= 0.95 and ev["coverage"] >= 0.97, ev
    # the same graph with replies counted as endorsement does worse
    assign(store, groups, tie_weights={"REPLIES_TO": 1.0})
    ev_replies = evaluate(store, truth_csv)
    assert ev_replies["accuracy"] < ev["accuracy"]
    with capsys.disabled():
        print(f"\nplanted 3x200, 5% seeds: macro-F1 {ev['macro_f1']:.3f}, coverage "
              f"{ev['coverage']:.3f}, accuracy {ev['accuracy']:.3f}; with replies as "
              f"endorsement: macro-F1 {ev_replies['macro_f1']:.3f}, accuracy "
              f"{ev_replies['accuracy']:.3f}")


def test_propagate_converges_to_the_harmonic_solution():
    # a path s_red - u - v - s_blue: u leans red, v leans blue, by the same margin
    src = np.array([0, 1, 2])
    dst = np.array([1, 2, 3])
    seeds = np.array([0, -1, -1, 1])
    F, W, it, ok = propagate(4, src, dst, np.ones(3), np.zeros((4, 2)), seeds,
                             alpha=0.5, seed_weight=1.0)
    assert ok
    # u = (a*1 + a*v)/2, v = a*u/2 (red) with a = 0.5 -> u_red = 4/15, v_red = 1/15
    assert F[1] == pytest.approx([4 / 15, 1 / 15], abs=1e-5)
    assert F[2] == pytest.approx([1 / 15, 4 / 15], abs=1e-5)
    dense = W.toarray()
    assert (dense == dense.T).all() and dense[0, 1] == 1.0


def _random_ties(n: int, m: int, k: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    order = np.argsort(truth, kind="stable")
    counts = np.bincount(truth, minlength=k)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    src = rng.integers(0, n, m)
    g = truth[src]
    inside = order[starts[g] + (rng.random(m) * counts[g]).astype(np.int64)]
    dst = np.where(rng.random(m) < 0.8, inside, rng.integers(0, n, m))
    seeds = np.where(rng.random(n) < 0.05, truth, -1)
    return truth, src, dst, seeds


@pytest.mark.slow
def test_scale_one_million_accounts_ten_million_ties():
    n, m, k = 1_000_000, 10_000_000, 4
    truth, src, dst, seeds = _random_ties(n, m, k)
    keys = pd.Index(np.char.add("twitter:u", np.arange(n).astype(str)).astype(object))
    ties = Ties(keys, src, dst, np.ones(m), np.zeros(m, dtype=np.int8))
    lexev = LexiconEvidence(np.zeros((n, k)), np.zeros((n, k), np.int64), {}, 0)
    t0 = time.perf_counter()
    d = _decide(keys, [f"g{i}" for i in range(k)], ties, np.zeros((n, k)), lexev, seeds,
                threshold=0.5, alpha=0.85, reverse_weight=1.0, seed_weight=2.0,
                max_iter=100, tol=1e-6)
    seconds = time.perf_counter() - t0
    assert d.converged and len(d.rows) == n
    pred = {key: p.get("group") for key, p in d.rows}
    sample = np.random.default_rng(0).integers(0, n, 20_000)
    acc = np.mean([pred[keys[i]] == f"g{truth[i]}" for i in sample])
    print(f"\n1M accounts / 10M ties: {seconds:.1f} s, {d.iterations} iterations, "
          f"accuracy on a sample {acc:.3f}")
    assert seconds < 60
    assert acc > 0.75


def test_numpy_fallback_matches_scipy(monkeypatch):
    n, m, k = 3000, 30000, 3
    truth, src, dst, seeds = _random_ties(n, m, k, seed=5)
    w = np.random.default_rng(2).random(m)
    prior = np.zeros((n, k))
    prior[np.arange(0, n, 7), truth[np.arange(0, n, 7)]] = 1.0
    F1, W1, it1, _ = propagate(n, src, dst, w, prior, seeds, reverse_weight=0.5)
    W1.dot(np.ones((n, 1)))
    assert W1._sp is not False  # scipy does the products when installed
    for mod in ("scipy", "scipy.sparse"):
        monkeypatch.setitem(__import__("sys").modules, mod, None)  # import now fails
    F2, W2, it2, _ = propagate(n, src, dst, w, prior, seeds, reverse_weight=0.5)
    np.testing.assert_allclose(W2.dot(np.ones((n, 1))), W1.dot(np.ones((n, 1))))
    assert W2._sp is False  # numpy did
    np.testing.assert_array_equal(W1.indptr, W2.indptr)
    np.testing.assert_array_equal(W1.indices, W2.indices)
    np.testing.assert_allclose(W1.data, W2.data)
    np.testing.assert_allclose(F1, F2, rtol=1e-4, atol=1e-6)
    assert it1 == it2
