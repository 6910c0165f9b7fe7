from __future__ import annotations

from pathlib import Path

import pytest

from netmap.errors import StanceError
from netmap.stance import apply_seeds, load_groups, load_seeds
from netmap.store.sqlite import SQLiteStore

from .conftest import FIXTURES, PostGraph

GROUPS = load_groups()


def test_bom_urls_comments_and_duplicates():
    seeds = load_seeds(FIXTURES / "seeds_bom.csv", GROUPS)
    assert seeds.seeds == {
        "twitter:vatandortj": "supporter",
        "twitter:tajnet_watch": "critic",  # profile URL, mixed case
        "blog:vatandor-info.tj": "supporter",  # a blog URL without an author
        "twitter:boykot_2013": "boycott",  # status URL, group written "Boycott"
        "twitter:not_collected": "neutral",
    }
    assert seeds.lines["twitter:not_collected"] == 8  # the blank and comment lines count
    assert seeds.duplicates == 1 and seeds.rejects == []
    assert seeds.by_group == {"supporter": 2, "critic": 1, "boycott": 1, "neutral": 1}


def test_cp1251_with_semicolons():
    seeds = load_seeds(FIXTURES / "seeds_cp1251.csv", GROUPS)
    assert seeds.encoding == "cp1251"
    assert seeds.seeds == {"blog:nigoh.wordpress.com/рустам к.": "supporter",
                           "vk:tahrim2013": "boycott"}


def test_bad_lines_are_reported_by_number():
    with pytest.raises(StanceError) as info:
        load_seeds(FIXTURES / "seeds_bad.csv", GROUPS)
    msg = str(info.value)
    assert "5 bad seed line(s)" in msg
    assert "line 3: unknown group 'critics'" in msg and "did you mean 'critic'?" in msg
    assert "line 4: 'not an account' is neither an account key" in msg
    assert "line 5: twitter:ok_account is already seeded as 'critic' on line 2" in msg
    assert "line 6: no account" in msg
    assert "line 7: no group" in msg


def test_lenient_mode_keeps_the_good_lines():
    seeds = load_seeds(FIXTURES / "seeds_bad.csv", GROUPS, strict=False)
    assert seeds.seeds == {"twitter:ok_account": "critic"}
    assert [r["line"] for r in seeds.rejects] == [3, 4, 5, 6, 7]


def test_header_is_required():
    with pytest.raises(StanceError, match="header must name the columns 'account' and 'group'"):
        load_seeds(FIXTURES / "seeds_noheader.csv", GROUPS)


def test_groups_other_than_the_defaults(tmp_path: Path):
    groups = load_groups(FIXTURES / "groups_milestone.yaml")
    path = tmp_path / "s.csv"
    path.write_text("account,group\ntwitter:a,milestone\ntwitter:b,critic\n", encoding="utf-8")
    with pytest.raises(StanceError, match="unknown group 'critic' \\(groups: milestone, noise\\)"):
        load_seeds(path, groups)


def _store_with_accounts(store: SQLiteStore) -> SQLiteStore:
    g = PostGraph()
    g.tweet("twitter:vatandortj", "Итоги семилетки")
    g.tweet("twitter:tajnet_watch", "Блокировки")
    g.tweet("twitter:boykot_2013", "Бойкот")
    g.blog_post("vatandor-info.tj", "", "itogi", "Итоги")  # blog:vatandor-info.tj
    g.blog_post("tahrim2013.blogspot.com", "Bedor", "post", "Бойкот")
    g.comment("tahrim2013.blogspot.com", "Farid", "tahrim2013.blogspot.com/post", "Да")
    return g.write(store)


def test_apply_seeds_reports_unknown_accounts(store: SQLiteStore):
    _store_with_accounts(store)
    seeds = load_seeds(FIXTURES / "seeds_bom.csv", GROUPS)
    report = apply_seeds(store, seeds)
    assert report.unknown == ["twitter:not_collected"]
    assert report.applied == 4 and report.seeds == 5
    assert report.by_group == {"supporter": 2, "critic": 1, "boycott": 1}
    assert store.get_node("Account", "twitter:tajnet_watch")["group_seed"] == "critic"
    assert store.get_node("Account", "blog:vatandor-info.tj")["group_seed"] == "supporter"
    assert vars(report)["unknown"] == report.as_dict()["unknown"]  # what the CLI prints


def test_apply_seeds_replaces_or_adds(store: SQLiteStore, tmp_path: Path):
    _store_with_accounts(store)
    first = tmp_path / "a.csv"
    first.write_text("account,group\ntwitter:vatandortj,supporter\n", encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text("account,group\ntwitter:tajnet_watch,critic\n", encoding="utf-8")
    apply_seeds(store, load_seeds(first, GROUPS))
    apply_seeds(store, load_seeds(second, GROUPS), replace=False)
    assert store.get_node("Account", "twitter:vatandortj").get("group_seed") == "supporter"
    apply_seeds(store, load_seeds(second, GROUPS))  # default: the file is the whole truth
    assert store.get_node("Account", "twitter:vatandortj").get("group_seed") is None
    assert store.get_node("Account", "twitter:tajnet_watch")["group_seed"] == "critic"


def test_blog_url_seed_resolves_to_the_only_author(store: SQLiteStore, tmp_path: Path):
    _store_with_accounts(store)
    path = tmp_path / "s.csv"
    path.write_text("account,group\nhttp://tahrim2013.blogspot.com/,boycott\n", encoding="utf-8")
    report = apply_seeds(store, load_seeds(path, GROUPS))
    # the commenter on the same host is not an author, so the author is the only match
    assert report.resolved == {"blog:tahrim2013.blogspot.com": "blog:tahrim2013.blogspot.com/bedor"}
    assert report.unknown == []
    assert store.get_node("Account", "blog:tahrim2013.blogspot.com/bedor")["group_seed"] == "boycott"
    assert store.get_node("Account", "blog:tahrim2013.blogspot.com/farid").get("group_seed") is None
