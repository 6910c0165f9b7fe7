"""The ok collector on saved Odnoklassniki API responses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from batchtools import edges, nodes, totals

import netmap.collect.ok as ok_mod
from netmap.collect import sniff as sniff_any
from netmap.collect.base import CollectOptions, Source
from netmap.collect.facebook import FacebookCollector
from netmap.collect.ok import OkCollector, forget_shortnames, known_shortnames
from netmap.collect.twitter import TwitterCollector
from netmap.keys import url_key
from netmap.model import Batch
from netmap.store.sqlite import SQLiteStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIX = FIXTURES / "ok"

BLOG_KEY = url_key("https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/")
PG_KEY = url_key("http://vatandor-info.tj/news/politics/1842-itogi-semiletki.html")
BOY_KEY = url_key("http://tahrim2013.blogspot.com/2013/10/blog-post.html")
C1 = "ok:comment:MTM4MjUwMDAwMDAwMToxMDE="
C2 = "ok:comment:MTM4MjUwMDAwMDAwMToxMDI="
C3 = "ok:comment:MTM4MjUwMDAwMDAwMToxMDM="
C5 = "ok:comment:MTM4MjUwMDAwMDAwMToxMDU="


@pytest.fixture(autouse=True)
def fresh_registry():
    """Each test starts as a new process would: no shortnames learned yet."""
    forget_shortnames()
    yield
    forget_shortnames()


def collect(path: Path | str, **options) -> list[Batch]:
    return list(OkCollector().read(Source.from_path(path), CollectOptions(**options)))


def rejects(batches: list[Batch]) -> dict[str, str]:
    return {r.location: r.reason for b in batches for r in b.rejects}


def alone(tmp_path: Path, name: str) -> Path:
    """A fixture copied into a folder of its own (no neighbours to learn shortnames from)."""
    folder = tmp_path / name.replace(".", "_")
    folder.mkdir()
    shutil.copy(FIX / name, folder / name)
    return folder / name


# -- sniffing ----------------------------------------------------------------------

@pytest.mark.parametrize("name,score", [
    ("getbyids.json", 95), ("stream.json", 95), ("comments.json", 95),
    ("comments_bare.json", 90), ("responses.jsonl", 95), ("groups.json", 70),
])
def test_sniff_recognises_ok_responses(name: str, score: int) -> None:
    source = Source.from_path(FIX / name)
    assert OkCollector().sniff(source) == score
    assert FacebookCollector().sniff(source) == 0
    assert TwitterCollector().sniff(source) == 0
    assert sniff_any(source).name == "ok"


def test_sniff_leaves_other_formats_alone(tmp_path: Path) -> None:
    vk_wall = tmp_path / "wall.json"
    vk_wall.write_text(json.dumps({"response": {"count": 1, "items": [
        {"id": 5, "owner_id": -1, "from_id": -1, "date": 1383032520, "text": "пост"}]}},
        ensure_ascii=False), encoding="utf-8")
    vk_old_users = tmp_path / "users.json"
    vk_old_users.write_text(json.dumps({"response": [{"uid": 1, "first_name": "Павел",
                                                      "last_name": "Дуров"}]}), encoding="utf-8")
    vk_error = tmp_path / "vk_error.json"
    vk_error.write_text(json.dumps({"error": {"error_code": 5, "error_msg": "User authorization failed"}}),
                        encoding="utf-8")
    others = [
        FIXTURES / "feeds" / "wordpress_rss.xml", FIXTURES / "twitter" / "pages.jsonl",
        FIXTURES / "twitter" / "flat.jsonl", FIXTURES / "facebook" / "mcl_posts.json",
        FIXTURES / "facebook" / "mcl_comments.jsonl", FIXTURES / "facebook" / "crowdtangle_pages.csv",
        FIXTURES / "facebook" / "dyi" / "your_facebook_activity" / "posts" / "your_posts_1.json",
        vk_wall, vk_old_users, vk_error,
    ]
    for path in others:
        assert OkCollector().sniff(Source.from_path(path)) == 0, path.name


# -- media topics --------------------------------------------------------------------

def test_getbyids_counts_and_topics() -> None:
    batches = collect(FIX / "getbyids.json")
    assert totals(batches) == (6, 5, 1)
    assert rejects(batches) == {"media_topic 4": "media topic has no 'id'"}
    posts = nodes(batches, "Post")
    # five records plus the reshared original, stored as context
    assert set(posts) == {"ok:62000000000001", "ok:62000000000002", "ok:62000000000003",
                          "ok:62000000000005", "ok:62000000000006", "ok:62000000000009"}
    assert posts["ok:62000000000001"] == {
        "platform": "ok", "kind": "post", "text": "Итоги семилетки: дороги, школы, свет.",
        "created_at": "2013-10-23T03:46:40Z",
        "url": "https://ok.ru/group/53038939046001/topic/62000000000001",
        "link_title": "Итоги семилетки", "media": ["text", "link"],
        "comment_count": 14, "like_count": 1204, "reshare_count": 31,
    }
    assert posts["ok:62000000000002"]["kind"] == "share"
    assert posts["ok:62000000000002"]["created_at"] == "2013-10-25T11:20:00Z"  # created_ms string
    assert posts["ok:62000000000002"]["url"] == "https://ok.ru/profile/574521190001/statuses/62000000000002"
    assert posts["ok:62000000000003"]["media"] == ["photo"]  # a photo-only topic
    assert "text" not in posts["ok:62000000000003"]
    assert posts["ok:62000000000006"]["comment_count"] == 1002
    assert posts["ok:62000000000006"]["like_count"] == 12345
    assert posts["ok:62000000000005"]["text"].startswith("Ҳамаи мо ба интихобот")
    assert posts["ok:62000000000005"]["posted_in"] == "ok:vatandor"


def test_getbyids_edges_reshares_links_and_authors() -> None:
    batches = collect(FIX / "getbyids.json")
    assert edges(batches, "SHARES") == {("ok:62000000000002", "ok:62000000000009")}
    assert edges(batches, "LINKS_TO") == {
        ("ok:62000000000001", PG_KEY),  # unwrapped from outLinkWarning, utm dropped
        ("ok:62000000000009", BOY_KEY),
        ("ok:62000000000006", BLOG_KEY),  # a link written in the text
    }
    urls = nodes(batches, "Url")
    assert urls[PG_KEY]["url"] == ("http://vatandor-info.tj/news/politics/1842-itogi-semiletki.html"
                                   "?utm_source=ok&utm_medium=social")
    assert not any("odnoklassniki" in k for k in urls)
    assert edges(batches, "AUTHORED") == {
        ("ok:vatandor", "ok:62000000000001"), ("ok:nigora.karimova", "ok:62000000000002"),
        ("ok:vatandor", "ok:62000000000003"), ("ok:user574521199999", "ok:62000000000005"),
        ("ok:user574521190002", "ok:62000000000006"), ("ok:boykot2013", "ok:62000000000009"),
    }
    assert edges(batches, "TAGGED") == {("ok:62000000000002", "выборы")}


def test_accounts_from_entities() -> None:
    acc = nodes(collect(FIX / "getbyids.json"), "Account")
    assert acc["ok:nigora.karimova"] == {
        "platform": "ok", "handle": "nigora.karimova", "name": "Нигора Каримова",
        "url": "https://ok.ru/nigora.karimova", "ok_id": "574521190001", "account_type": "user",
        "location": "Душанбе",
    }
    # no custom profile name: the uid
    assert acc["ok:user574521190002"]["url"] == "https://ok.ru/profile/574521190002"
    assert acc["ok:user574521190002"]["name"] == "Далер Ҳакимов"
    assert acc["ok:vatandor"]["followers"] == 12500  # "12 500"
    assert acc["ok:boykot2013"]["profile_links"] == ["http://tahrim2013.blogspot.com/"]
    # a deleted author, absent from entities
    assert acc["ok:user574521199999"] == {
        "platform": "ok", "handle": "user574521199999", "ok_id": "574521199999",
        "account_type": "user", "url": "https://ok.ru/profile/574521199999"}


def test_stream_get_feed() -> None:
    batches = collect(FIX / "stream.json")
    assert totals(batches) == (4, 2, 2)
    assert rejects(batches) == {
        "feed 2": "feed item (pattern 'CONTENT', type 'PHOTO') points at no media topic; "
                  "only topics are mapped",
        "feed 3": "feed item points at media_topic:62000000000099, which is not in "
                  "entities.media_topics",
    }
    assert set(nodes(batches, "Post")) == {"ok:62000000000021", "ok:62000000000022"}
    assert edges(batches, "TAGGED") == {("ok:62000000000021", "бойкот")}
    assert edges(batches, "LINKS_TO") == {("ok:62000000000022", BOY_KEY)}


# -- comments ---------------------------------------------------------------------------

def test_comments_in_a_wrapper(tmp_path: Path) -> None:
    batches = collect(alone(tmp_path, "comments.json"))
    assert totals(batches) == (5, 4, 1)
    assert rejects(batches) == {"comment 4": "comment has no 'id'"}
    assert edges(batches, "REPLIES_TO") == {
        (C1, "ok:62000000000001"), (C2, C1), (C3, "ok:62000000000001"), (C5, "ok:62000000000001")}
    # reply_to_id naming a user, not a comment of this response: the user answered
    assert edges(batches, "MENTIONS") == {(C3, "ok:user574521190001")}
    assert edges(batches, "AUTHORED") == {
        ("ok:user574521190002", C1), ("ok:user574521190001", C2),
        ("ok:user574521199999", C3), ("ok:group53038939046001", C5)}
    posts = nodes(batches, "Post")
    assert posts[C1] == {"platform": "ok", "kind": "comment",
                         "text": "Правильно! Стабильность важнее.",
                         "created_at": "2013-10-23T05:00:00Z", "like_count": 3}
    assert posts[C2]["created_at"] == "2013-10-23T06:00:00Z"  # date_ms
    assert edges(batches, "LINKS_TO") == {(C2, BLOG_KEY)}


def test_comment_authors_get_the_keys_of_the_topics_next_to_them() -> None:
    # comments.json sits next to getbyids.json, which names the users' shortnames
    batches = collect(FIX / "comments.json")
    authored = edges(batches, "AUTHORED")
    assert ("ok:nigora.karimova", C2) in authored
    assert ("ok:vatandor", C5) in authored
    assert ("ok:user574521190002", C1) in authored  # this user has no shortname
    assert known_shortnames()[("user", "574521190001")] == "nigora.karimova"
    assert nodes(batches, "Account")["ok:nigora.karimova"]["url"] == "https://ok.ru/nigora.karimova"


def test_comments_without_their_discussion(tmp_path: Path) -> None:
    batches = collect(alone(tmp_path, "comments_bare.json"))
    assert totals(batches) == (2, 1, 1)
    (loc, reason), = rejects(batches).items()
    assert loc == "comment 1"
    assert reason.startswith("the comment's discussion is unknown: wrap")
    # a reply still knows its parent comment
    assert edges(batches, "REPLIES_TO") == {("ok:comment:MTM4MjYwMDAwMDAwMToyMDI=",
                                             "ok:comment:MTM4MjYwMDAwMDAwMToyMDE=")}


def test_discussion_field_and_photo_discussions(tmp_path: Path) -> None:
    path = tmp_path / "photo_comments.json"
    path.write_text(json.dumps({
        "discussion": {"id": "889000000001", "type": "GROUP_PHOTO"},
        "comments": [{"id": "X1", "text": "Зебо!", "author_id": "1", "date": "2013-11-06 10:00:00"}],
    }, ensure_ascii=False), encoding="utf-8")
    assert edges(collect(path), "REPLIES_TO") == {("ok:comment:X1", "ok:group_photo:889000000001")}
    path.write_text(json.dumps({"discussion": "62000000000001", "comments": [
        {"id": "X2", "text": "да", "author_id": "1"}]}), encoding="utf-8")
    assert edges(collect(path), "REPLIES_TO") == {("ok:comment:X2", "ok:62000000000001")}


# -- accounts, errors, JSON lines ---------------------------------------------------------

def test_getinfo_lists_and_json_lines() -> None:
    groups = collect(FIX / "groups.json")
    assert totals(groups) == (2, 2, 0)
    assert set(nodes(groups, "Account")) == {"ok:vatandor", "ok:boykot2013"}
    assert nodes(groups, "Account")["ok:vatandor"]["account_type"] == "group"
    batches = collect(FIX / "responses.jsonl")
    assert totals(batches) == (6, 3, 3)
    reasons = rejects(batches)
    assert reasons["line 2 item 2"] == "user has no 'uid'"
    assert reasons["line 3"] == "API error 100: PARAM : Missing required parameter uids"
    assert reasons["line 4"].startswith("invalid JSON (")
    acc = nodes(batches, "Account")
    assert set(acc) == {"ok:vatandor", "ok:boykot2013", "ok:nigora.karimova"}
    assert acc["ok:nigora.karimova"]["account_type"] == "user"


def test_unusable_files(tmp_path: Path) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text('{"media_topics": "нет", "something": 1}', encoding="utf-8")
    batches = collect(odd)
    assert totals(batches) == (1, 0, 1)
    assert rejects(batches)["file"].startswith("not an OK API response netmap reads")
    broken = tmp_path / "broken.json"
    broken.write_text('{"media_topics": [{"id": "1", "media": [', encoding="utf-8")
    assert totals(collect(broken)) == (1, 0, 1)
    empty = tmp_path / "empty.json"
    empty.write_text("  \n", encoding="utf-8")
    assert rejects(collect(empty)) == {"file": "empty file"}


# -- batching and the store -----------------------------------------------------------------

def test_batches_and_store(tmp_path: Path) -> None:
    small = collect(FIX / "getbyids.json", batch_size=2)
    assert [b.read for b in small] == [2, 2, 2]
    forget_shortnames()
    whole = collect(FIX / "getbyids.json")
    with SQLiteStore(tmp_path / "a.db") as a, SQLiteStore(tmp_path / "b.db") as b:
        for store, bs in ((a, small), (b, whole)):
            run = store.begin_run("collect", ["x"], {})
            for batch in bs:
                store.write_batch(batch, run)
        assert a.counts() == b.counts()
        cols = ["name", "followers", "url"]
        assert a.nodes("Account", cols).equals(b.nodes("Account", cols))
        first = a.counts()
        run = a.begin_run("collect", ["x"], {})
        for batch in collect(FIX / "getbyids.json"):
            a.write_batch(batch, run)
        assert a.counts() == first
        assert first["nodes"]["Post"] == 6
        assert first["relationships"]["SHARES"] == 1


def test_registry_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(ok_mod, "_REGISTRY_MAX", 2)
    for i in range(5):
        ok_mod._learn("user", str(i), f"name{i}")
    assert len(known_shortnames()) <= 3
