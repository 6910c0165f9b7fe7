"""The vk collector on VK API responses: wall.get, wall.getComments, users.get, groups.getById."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from batchtools import edges, nodes, rejects, totals

import netmap.collect._social as social_mod
from netmap.collect.base import CollectOptions, Source
from netmap.collect.vk import VkCollector
from netmap.errors import CollectError
from netmap.keys import url_key
from netmap.model import Batch
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "vk"
WALL = FIX / "wall_get.json"
COMMENTS = FIX / "comments.jsonl"
BLOG_KEY = url_key("https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/")


def w(owner: int, pid: int) -> str:
    return f"vk.com/wall{owner}_{pid}"


def c(owner: int, pid: int, cid: int) -> str:
    return f"vk:wall{owner}_{pid}_c{cid}"


def collect(path: Path | str, **options) -> list[Batch]:
    return list(VkCollector().read(Source.from_path(path), CollectOptions(**options)))


def write(path: Path, obj) -> Path:
    path.write_text(json.dumps(obj, ensure_ascii=False), "utf-8")
    return path


# -- sniffing -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["wall_get.json", "comments.jsonl", "users_get.json",
                                  "groups_getbyid.json"])
def test_sniff_recognises_vk_responses(name: str) -> None:
    assert VkCollector().sniff(Source.from_path(FIX / name)) >= 85


def test_sniff_ignores_telegram_and_twitter_shapes(tmp_path: Path) -> None:
    tg = write(tmp_path / "tg.json", {"name": "x", "type": "public_channel", "id": 1,
                                      "messages": [{"id": 1, "type": "message", "date": "2013-11-06T10:00:00",
                                                    "from_id": "user1", "text": "hi"}]})
    assert VkCollector().sniff(Source.from_path(tg)) == 0
    tw = write(tmp_path / "tw.json", {"data": [{"id": "1", "author_id": "2", "text": "x"}]})
    assert VkCollector().sniff(Source.from_path(tw)) == 0


# -- wall.get -----------------------------------------------------------------------------

def test_wall_posts_and_their_properties() -> None:
    batches = collect(WALL)
    assert totals(batches) == (5, 5, 0)
    posts = nodes(batches, "Post")
    assert w(-55555, 101) == url_key("https://vk.com/wall-55555_101")
    assert posts[w(-55555, 101)] == {
        "platform": "vk", "kind": "post", "text": "Соцсети стали площадкой для дебатов — читайте у Нигоры",
        "created_at": "2013-11-06T08:01:00Z", "url": "https://vk.com/wall-55555_101",
        "views": 1840, "likes": 3, "reposts": 4, "comments": 5, "post_type": "post",
        "attachments": ["link"],
    }
    assert (w(-55555, 101), BLOG_KEY) in edges(batches, "LINKS_TO")
    assert ("vk:tj_today", w(-55555, 101)) in edges(batches, "AUTHORED")
    acc = nodes(batches, "Account")
    assert acc["vk:tj_today"] == {"platform": "vk", "handle": "tj_today", "url": "https://vk.com/tj_today",
                                  "vk_id": -55555, "name": "Таджикистан сегодня", "community_type": "page"}
    assert acc["vk:nigora_tj"]["name"] == "Нигора Каримова"


def test_attachment_only_posts_are_posts() -> None:
    posts = nodes(collect(WALL), "Post")
    assert posts[w(-55555, 102)]["attachments"] == ["photo"]
    assert posts[w(-55555, 105)]["attachments"] == ["video"]
    for key in (w(-55555, 102), w(-55555, 105)):
        assert "text" not in posts[key] and posts[key]["kind"] == "post"


def test_repost_of_a_repost_is_a_chain_of_shares() -> None:
    batches = collect(WALL)
    assert edges(batches, "SHARES") == {(w(-55555, 103), w(1001, 50)), (w(1001, 50), w(-77777, 7))}
    posts = nodes(batches, "Post")
    assert [posts[k]["kind"] for k in (w(-55555, 103), w(1001, 50), w(-77777, 7))] == \
        ["share", "share", "post"]
    authored = edges(batches, "AUTHORED")
    assert ("vk:nigora_tj", w(1001, 50)) in authored
    # public77777 is a default community name: the same account as club77777
    assert ("vk:club77777", w(-77777, 7)) in authored
    # the original's link and tag are its own, not the reposts'
    assert (w(-77777, 7), "ozodi.org/a/25159000.html") in edges(batches, "LINKS_TO")
    assert (w(-77777, 7), "выборы2013") in edges(batches, "TAGGED")
    assert not any(src == w(-55555, 103) for src, _ in edges(batches, "LINKS_TO"))


def test_mentions_hashtags_links_and_signer_in_text() -> None:
    batches = collect(WALL)
    p = w(-55555, 104)
    assert {dst for src, dst in edges(batches, "MENTIONS") if src == p} == {"vk:nigora_tj", "vk:club77777"}
    assert {dst for src, dst in edges(batches, "TAGGED") if src == p} == {"выборы2013", "бойкот"}
    # the sentence's full stop is not part of the URL
    assert (p, "asiaplus.tj/ru/news/tajikistan/politics/20131106/turnout") in edges(batches, "LINKS_TO")
    assert nodes(batches, "Post")[p]["signer"] == "vk:id1002"


def test_keys_without_profiles_and_other_post_shapes(tmp_path: Path) -> None:
    item = {"id": 9, "from_id": 1001, "owner_id": -55555, "date": 1383724800, "text":
            "см. https://vk.com/away.php?to=https%3A%2F%2Fpamirnotes.wordpress.com%2F2013%2F10%2F12%2Fsocseti-debaty%2F&cc_key="}
    feed = {"source_id": -88888, "post_id": 3, "type": "post", "date": 1383724900, "text": "лента"}
    old = {"id": 4, "to_id": 1002, "from_id": 1002, "date": 1383725000, "text": "старый API"}
    batches = collect(write(tmp_path / "bare.json", {"response": {"count": 3, "items": [item, feed, old]}}))
    assert totals(batches) == (3, 3, 0)
    authored = edges(batches, "AUTHORED")
    assert authored == {("vk:id1001", w(-55555, 9)), ("vk:club88888", w(-88888, 3)),
                        ("vk:id1002", w(1002, 4))}
    # the away.php warning page is unwrapped to the page it leads to
    assert edges(batches, "LINKS_TO") == {(w(-55555, 9), BLOG_KEY)}


# -- wall.getComments -----------------------------------------------------------------------

def test_comment_threads_deleted_comments_and_rejects() -> None:
    batches = collect(COMMENTS)
    assert totals(batches) == (9, 6, 3)
    assert [(r.location, r.reason.split(":")[0]) for r in rejects(batches)] == [
        ("line 2 item 1", "comment does not say which post it belongs to"),
        ("line 3", "VK API error response"),
        ("line 5", "invalid JSON (unexpected end of data)"),
    ]
    assert "15: Access denied" in rejects(batches)[1].reason
    assert edges(batches, "REPLIES_TO") == {
        (c(-55555, 101, 2), w(-55555, 101)),
        (c(-55555, 101, 3), c(-55555, 101, 2)),
        (c(-55555, 101, 4), c(-55555, 101, 3)),
        (c(-55555, 101, 5), w(-55555, 101)),
        (c(-55555, 101, 6), c(-55555, 101, 5)),
        (c(-55555, 103, 11), w(-55555, 103)),  # the post came from the request wrapper
    }
    posts = nodes(batches, "Post")
    assert posts[c(-55555, 101, 5)] == {"platform": "vk", "kind": "comment", "deleted": True,
                                        "created_at": "2013-11-06T08:08:20Z",
                                        "url": "https://vk.com/wall-55555_101?reply=5"}
    assert not any(dst == c(-55555, 101, 5) for _, dst in edges(batches, "AUTHORED"))
    assert posts[c(-55555, 101, 2)]["text"].startswith("Спасибо за репост!")
    assert posts[c(-55555, 101, 2)]["likes"] == 5
    assert (c(-55555, 101, 2), BLOG_KEY) in edges(batches, "LINKS_TO")
    assert (c(-55555, 101, 3), "vk:nigora_tj") in edges(batches, "MENTIONS")
    assert ("vk:id1002", c(-55555, 101, 6)) in edges(batches, "AUTHORED")


# -- users.get and groups.getById ----------------------------------------------------------------

def test_users_and_groups_are_accounts() -> None:
    users = collect(FIX / "users_get.json")
    assert totals(users) == (2, 2, 0)
    acc = nodes(users, "Account")
    assert acc["vk:nigora_tj"]["followers"] == 2301
    assert acc["vk:nigora_tj"]["profile_links"] == ["https://pamirnotes.wordpress.com/"]
    assert acc["vk:nigora_tj"]["bio"] == "Блогер, активист"
    assert acc["vk:id1003"]["deactivated"] == "deleted"
    groups = collect(FIX / "groups_getbyid.json")
    assert totals(groups) == (2, 2, 0)
    gacc = nodes(groups, "Account")
    assert gacc["vk:tj_today"]["followers"] == 15400
    assert gacc["vk:club88888"]["vk_id"] == -88888


# -- broken input ----------------------------------------------------------------------------

def test_invalid_utf8_document_is_a_collect_error_and_a_line_a_reject(tmp_path: Path) -> None:
    doc = tmp_path / "wall.json"
    doc.write_bytes(WALL.read_bytes().replace("Важно".encode(), b"\xc3\x28", 1))
    with pytest.raises(CollectError, match=r"wall.json: not valid JSON \(not valid UTF-8"):
        collect(doc)
    lines = tmp_path / "lines.jsonl"
    good = json.dumps(json.loads(WALL.read_text("utf-8")), ensure_ascii=False).encode()
    lines.write_bytes(good + b"\n" + good.replace("Важно".encode(), b"\xff", 1) + b"\n")
    batches = collect(lines)
    assert totals(batches) == (6, 5, 1)
    assert rejects(batches)[0].location == "line 2"
    assert "not valid UTF-8" in rejects(batches)[0].reason


def test_bom_and_oversized_documents(tmp_path: Path, monkeypatch) -> None:
    bom = tmp_path / "bom.json"
    bom.write_bytes(codecs.BOM_UTF8 + WALL.read_bytes())
    assert VkCollector().sniff(Source.from_path(bom)) == 90
    assert totals(collect(bom)) == (5, 5, 0)
    monkeypatch.setattr(social_mod, "MAX_DOCUMENT_BYTES", 1000)
    with pytest.raises(CollectError, match="write it as JSON lines"):
        collect(WALL)
    assert totals(collect(COMMENTS)) == (9, 6, 3)  # JSON lines are never read whole


def test_batches_and_store(tmp_path: Path) -> None:
    batches = collect(COMMENTS, batch_size=2) + collect(WALL, batch_size=2)
    with SQLiteStore(tmp_path / "v.db") as store:
        run = store.begin_run("collect", [str(COMMENTS), str(WALL)], {})
        for b in batches:
            store.write_batch(b, run)
        first = store.counts()
        for b in batches:
            store.write_batch(b, run)
        assert store.counts() == first
        assert store.get_node("Post", c(-55555, 101, 5))["deleted"] is True
        assert store.get_node("Account", "vk:nigora_tj")["name"] == "Нигора Каримова"
    assert max(b.read for b in batches) == 2
