from __future__ import annotations

from pathlib import Path

import pytest

from netmap.errors import StanceError
from netmap.stance import apply_seeds, assign, evaluate, explain, load_groups, load_seeds
from netmap.store.sqlite import SQLiteStore

from .conftest import PostGraph


@pytest.fixture
def judged(store: SQLiteStore) -> SQLiteStore:
    """Accounts with groups as assign would store them, one of them a seed."""
    g = PostGraph()
    for key in ("a1", "a2", "a3", "b1", "b2", "b3", "c1"):
        g.tweet(f"twitter:{key}", "текст")
    g.write(store)
    store.set_props("Account", [
        ("twitter:a1", {"group": "red", "group_source": "propagated"}),
        ("twitter:a2", {"group": "blue", "group_source": "propagated"}),
        ("twitter:b1", {"group": "blue", "group_source": "lexicon"}),
        ("twitter:b2", {"group": "blue", "group_source": "propagated"}),
        ("twitter:b3", {"group": "blue", "group_source": "seed", "group_seed": "blue"}),
        ("twitter:c1", {"group": "red", "group_source": "propagated"}),
    ])
    return store


def test_evaluate_by_hand(judged: SQLiteStore, tmp_path: Path):
    truth = tmp_path / "truth.csv"
    truth.write_text(
        "account,group\n"
        "twitter:a1,red\nhttps://twitter.com/A2,red\ntwitter:a3,red\n"
        "twitter:b1,blue\ntwitter:b2,blue\ntwitter:b3,blue\n"
        "twitter:c1,green\ntwitter:ghost,red\n",
        encoding="utf-8",
    )
    ev = evaluate(judged, truth)
    # evaluated: a1 a2 a3 b1 b2 c1 (b3 is a seed, ghost is not in the store)
    assert ev["evaluated"] == 6 and ev["seeds_excluded"] == 1 and ev["missing"] == ["twitter:ghost"]
    assert ev["assigned"] == 5  # a3 has no group
    assert ev["coverage"] == round(5 / 6, 4)
    assert ev["accuracy"] == 0.6  # a1, b1, b2 right out of 5 assigned
    assert ev["accuracy_all"] == 0.5  # 3 of 6
    # red: predicted a1, c1 (1 right) of truth a1 a2 a3 -> P 1/2, R 1/3, F1 0.4
    # blue: predicted a2 b1 b2 (2 right) of truth b1 b2 -> P 2/3, R 1, F1 0.8
    # green: never predicted -> F1 0
    assert ev["per_group"]["red"] == {"precision": 0.5, "recall": 0.3333, "f1": 0.4, "support": 3}
    assert ev["per_group"]["blue"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8, "support": 2}
    assert ev["per_group"]["green"]["f1"] == 0.0
    assert ev["macro_f1"] == 0.4
    assert ev["confusion"] == {
        "blue": {"blue": 2},
        "green": {"red": 1},
        "red": {"blue": 1, "red": 1, "unassigned": 1},
    }


def test_evaluate_reports_conflicts_and_bad_lines(judged: SQLiteStore, tmp_path: Path):
    truth = tmp_path / "truth.csv"
    truth.write_text("account,group\ntwitter:a1,red\ntwitter:a1,blue\n", encoding="utf-8")
    ev = evaluate(judged, truth)
    assert ev["conflicts"] and "line 3" in ev["conflicts"][0]
    assert ev["confusion"] == {"blue": {"red": 1}}
    truth.write_text("account,group\nnobody,red\n", encoding="utf-8")
    with pytest.raises(StanceError, match="line 2"):
        evaluate(judged, truth)


def test_explain(store: SQLiteStore, tmp_path: Path):
    groups = load_groups()
    g = PostGraph()
    l1 = g.tweet("twitter:l1", "Бойкот! Не ходите на выборы. Это не фальсификация, это фарс")
    g.tweet("twitter:l2", "RT", share=l1)
    g.tweet("twitter:l2", "Кто называет выборы «имитацией»?")
    g.tweet("twitter:l3", "Объявляем бойкот", reply=l1)
    g.write(store)
    seeds = tmp_path / "s.csv"
    seeds.write_text("account,group\ntwitter:l3,boycott\n", encoding="utf-8")
    apply_seeds(store, load_seeds(seeds, groups))
    assign(store, groups)

    ex = explain(store, "https://twitter.com/L1")
    assert ex["account"] == "twitter:l1"
    assert (ex["group"], ex["group_source"]) == ("boycott", "lexicon")
    assert ex["seed"] is None
    (post,) = ex["lexicon"]["matched_posts"]
    found = {(m["pattern"], m["negated"]) for m in post["matches"]}
    assert {("бойкот*", False), ("не ход* на выбор*", False), ("фальсифик*", True),
            ("фарс*", False)} <= found
    assert ex["lexicon"]["votes"]["boycott"] > ex["lexicon"]["votes"]["critic"] > 0
    nb = {(n["account"], n["relation"]): n for n in ex["neighbours"]}
    assert nb[("twitter:l2", "endorsed by")]["types"] == "SHARES"
    assert nb[("twitter:l2", "endorsed by")]["contribution"] > 0
    # the seed's reply is no tie with the default weights
    assert ("twitter:l3", "endorsed by") not in nb

    ex = explain(store, "twitter:l2")
    assert ex["group_source"] == "propagated"
    assert ex["neighbours"][0]["account"] == "twitter:l1"
    assert ex["neighbours"][0]["relation"] == "endorses"
    (post,) = ex["lexicon"]["matched_posts"]  # the quote does not count; the retweet is skipped
    assert post["matches"][0]["quoted"] is True and post["vote"] == {}

    ex = explain(store, "twitter:l3")
    assert (ex["seed"], ex["seed_from"], ex["group_source"]) == ("boycott", "seeds file", "seed")
    assert ex["params"]["tie_weights"]["REPLIES_TO"] == 0.0

    with pytest.raises(StanceError, match="not in the store"):
        explain(store, "twitter:nobody")
