"""The mastodon collector on REST API statuses and ActivityPub archive exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batchtools import edges, nodes, rejects, totals

import netmap.collect.mastodon as mastodon_mod
from netmap.collect.base import CollectOptions, Source
from netmap.collect.mastodon import MastodonCollector, canonical_status_url
from netmap.collect.twitter import TwitterCollector
from netmap.keys import url_key
from netmap.model import Batch
from netmap.pipeline import collect as pipeline_collect
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "mastodon"
TIMELINE = FIX / "timeline.json"
OUTBOX = FIX / "outbox.json"
ACTOR = FIX / "actor.json"
BLOG_KEY = url_key("https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/")

BOOST_LINK = "mastodon.social/@nigora/109300000000000006"
ORIG_LINK = "mastodon.online/@ozodi/111000000000000778"
BOOST_MEDIA = "mastodon.social/@nigora/109300000000000002"
ORIG_MEDIA = "mastodon.online/@ozodi/111000000000000777"
FARRUKH_POST = "pamir.social/@Farrukh/110000000000000300"
REPLY = "mastodon.social/@dilshod/109300000000000004"
REPLY_MISSING = "mastodon.social/@dilshod/109300000000000005"


def collect(path: Path | str, **options) -> list[Batch]:
    return list(MastodonCollector().read(Source.from_path(path), CollectOptions(**options)))


def timeline() -> list[dict]:
    return json.loads(TIMELINE.read_text("utf-8"))


# -- sniffing --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["timeline.json", "outbox.json", "actor.json"])
def test_sniff_recognises_mastodon(name: str) -> None:
    assert MastodonCollector().sniff(Source.from_path(FIX / name)) >= 85


def test_sniff_one_status_per_line_and_not_tweets(tmp_path: Path) -> None:
    path = tmp_path / "toots.jsonl"
    path.write_text("\n".join(json.dumps(s, ensure_ascii=False) for s in timeline()) + "\n", "utf-8")
    assert MastodonCollector().sniff(Source.from_path(path)) == 90
    assert TwitterCollector().sniff(Source.from_path(path)) == 0
    tweets = tmp_path / "tweets.jsonl"
    tweets.write_text('{"data": [{"id": "1", "author_id": "2", "text": "x"}]}\n', "utf-8")
    assert MastodonCollector().sniff(Source.from_path(tweets)) == 0


def test_canonical_status_url() -> None:
    assert canonical_status_url("https://pamir.social/users/Farrukh/statuses/110") == \
        "https://pamir.social/@Farrukh/110"
    assert canonical_status_url("https://m.s/users/bob/statuses/5/activity") == "https://m.s/@bob/5"
    assert canonical_status_url("https://pleroma.site/notice/AbC") == "https://pleroma.site/notice/AbC"


# -- REST API statuses -----------------------------------------------------------------------

def test_timeline_counts_and_boosts() -> None:
    batches = collect(TIMELINE)
    assert totals(batches) == (5, 5, 0)
    assert edges(batches, "SHARES") == {(BOOST_LINK, ORIG_LINK), (BOOST_MEDIA, ORIG_MEDIA)}
    posts = nodes(batches, "Post")
    assert posts[BOOST_LINK] == {"platform": "mastodon", "kind": "share",
                                 "created_at": "2013-11-06T10:00:00Z", "visibility": "public"}
    assert posts[ORIG_LINK]["text"] == "Явка на 10:00 — 20% https://ozodi.org/a/25159000.html"
    # the boosted original's link is its own; the boost carries none
    assert edges(batches, "LINKS_TO") >= {(ORIG_LINK, "ozodi.org/a/25159000.html")}
    assert not any(src in (BOOST_LINK, BOOST_MEDIA) for src, _ in edges(batches, "LINKS_TO"))
    assert ("mastodon:ozodi@mastodon.online", ORIG_LINK) in edges(batches, "AUTHORED")
    assert ("mastodon:nigora@mastodon.social", BOOST_LINK) in edges(batches, "AUTHORED")


def test_boost_of_a_media_only_original() -> None:
    posts = nodes(collect(TIMELINE), "Post")
    assert posts[ORIG_MEDIA]["media"] == ["image"]
    assert "text" not in posts[ORIG_MEDIA] and posts[ORIG_MEDIA]["kind"] == "post"


def test_content_warning_kept_and_text_stored() -> None:
    batches = collect(TIMELINE)
    p = nodes(batches, "Post")[FARRUKH_POST]
    assert p["cw"] == "выборы, политика" and p["sensitive"] is True
    assert p["text"].startswith("Хороший текст про соцсети и дебаты: http://pamirnotes")
    assert p["lang"] == "ru" and p["created_at"] == "2013-11-06T08:00:00Z"


def test_links_mentions_and_tags_of_the_content() -> None:
    batches = collect(TIMELINE)
    # the blog link (http, #fragment) counts; the mention and hashtag anchors do not
    assert {d for s, d in edges(batches, "LINKS_TO") if s == FARRUKH_POST} == {BLOG_KEY}
    assert (FARRUKH_POST, "mastodon:nigora@mastodon.social") in edges(batches, "MENTIONS")
    assert (FARRUKH_POST, "выборы2013") in edges(batches, "TAGGED")
    assert (REPLY, "mastodon:farrukh@pamir.social") in edges(batches, "MENTIONS")


def test_local_and_remote_accounts() -> None:
    acc = nodes(collect(TIMELINE), "Account")
    local = acc["mastodon:nigora@mastodon.social"]  # acct "nigora": the instance is the URL's
    assert local["handle"] == "nigora@mastodon.social"
    assert local["profile_links"] == ["https://pamirnotes.wordpress.com/", "https://t.me/nigora_tj"]
    assert local["followers"] == 2301 and local["bio"].startswith("Блогер, активист")
    remote = acc["mastodon:farrukh@pamir.social"]  # acct "Farrukh@pamir.social"
    assert remote["handle"] == "Farrukh@pamir.social" and remote["name"] == "Farrukh Pamir"


def test_replies_to_later_and_missing_parents() -> None:
    batches = collect(TIMELINE)
    # the timeline is newest first: the reply comes before its parent
    assert edges(batches, "REPLIES_TO") == {
        (REPLY, FARRUKH_POST),
        (REPLY_MISSING, "mastodon:mastodon.social:109000000000000999"),
    }
    # the missing parent's author is known from in_reply_to_account_id
    assert ("mastodon:farrukh@pamir.social", "mastodon:mastodon.social:109000000000000999") \
        in edges(batches, "AUTHORED")
    assert nodes(batches, "Post")[REPLY]["kind"] == "reply"


def test_other_api_shapes_and_rejects(tmp_path: Path) -> None:
    statuses = timeline()
    broken = dict(statuses[3], account=None)
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join([
        json.dumps({"accounts": [], "statuses": statuses[3:4], "hashtags": []}, ensure_ascii=False),
        json.dumps({"ancestors": statuses[3:4], "descendants": statuses[2:3]}, ensure_ascii=False),
        json.dumps(broken, ensure_ascii=False),
        json.dumps({"id": "1", "username": "x"}),
        "[1, 2",
    ]) + "\n", "utf-8")
    batches = collect(path)
    assert totals(batches) == (6, 3, 3)
    assert [(r.location, r.reason) for r in rejects(batches)][:2] == [
        ("line 3", "status has no account with an acct and url"),
        ("line 4", "not a Mastodon status or ActivityPub document (no 'account', 'orderedItems' "
                   "or actor 'type')"),
    ]
    assert rejects(batches)[2].location == "line 5"
    assert edges(batches, "REPLIES_TO") == {(REPLY, FARRUKH_POST)}


# -- ActivityPub archives ------------------------------------------------------------------------

def test_outbox_creates_and_announces() -> None:
    batches = collect(OUTBOX)
    assert totals(batches) == (5, 4, 1)
    (rej,) = rejects(batches)
    assert rej.location == "item 5" and "'Like' is not mapped" in rej.reason
    posts = nodes(batches, "Post")
    first = "mastodon.social/@nigora/110000000000000001"
    assert posts[first]["text"].startswith("Мой новый пост: https://pamirnotes")
    assert (first, BLOG_KEY) in edges(batches, "LINKS_TO")
    assert (first, "выборы2013") in edges(batches, "TAGGED")
    reply = "mastodon.social/@nigora/110000000000000002"
    assert posts[reply]["cw"] == "политика" and posts[reply]["kind"] == "reply"
    # inReplyTo is a /users/../statuses/.. URI: folded onto the status' web key
    assert (reply, FARRUKH_POST) in edges(batches, "REPLIES_TO")
    assert (reply, "mastodon:farrukh@pamir.social") in edges(batches, "MENTIONS")
    boost = "mastodon.social/@nigora/110000000000000003"
    assert (boost, ORIG_LINK) in edges(batches, "SHARES")
    assert ("mastodon:ozodi@mastodon.online", ORIG_LINK) in edges(batches, "AUTHORED")
    assert posts["mastodon.social/@nigora/110000000000000004"]["media"] == ["image/jpeg"]


def test_outbox_without_ijson_gives_the_same_records(monkeypatch) -> None:
    streamed = collect(OUTBOX)
    monkeypatch.setattr(mastodon_mod, "have_ijson", lambda: False)
    whole = collect(OUTBOX)
    assert totals(whole) == totals(streamed)
    assert nodes(whole, "Post") == nodes(streamed, "Post")
    assert edges(whole, "SHARES") == edges(streamed, "SHARES")


def test_truncated_outbox_keeps_earlier_items(tmp_path: Path) -> None:
    text = OUTBOX.read_text("utf-8")
    path = tmp_path / "outbox.json"
    path.write_text(text[: text.index('"type": "Announce"')], "utf-8")
    batches = collect(path)
    assert totals(batches) == (3, 2, 1)
    assert rejects(batches)[0].location == "after item 2"


def test_actor_document() -> None:
    batches = collect(ACTOR)
    assert totals(batches) == (1, 1, 0)
    acc = nodes(batches, "Account")["mastodon:nigora@mastodon.social"]
    assert acc["name"] == "Нигора" and acc["url"] == "https://mastodon.social/@nigora"
    assert acc["profile_links"] == ["https://pamirnotes.wordpress.com/", "https://t.me/nigora_tj"]


def test_api_and_archive_meet_in_the_store(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "m.db") as store:
        report = pipeline_collect(store, "auto", [str(FIX)])
        assert {s["format"] for s in report.sources} == {"mastodon"}
        assert (report.read, report.stored, report.rejected) == (11, 10, 1)
        replies = store.edges(["REPLIES_TO"])
        # the API reply and the archive reply point at the one Farrukh status
        assert set(replies[replies["dst"] == FARRUKH_POST]["src"]) == {
            REPLY, "mastodon.social/@nigora/110000000000000002"}
        shares = store.edges(["SHARES"])
        assert set(shares[shares["dst"] == ORIG_LINK]["src"]) == {
            BOOST_LINK, "mastodon.social/@nigora/110000000000000003"}


def test_status_keys_always_equal_url_key() -> None:
    from netmap.collect.mastodon import _MastoEmitter

    em = _MastoEmitter("x")
    for url in ("https://Mastodon.Social/@bob/109", "https://mastodon.social/@bob/110",
                "https://www.example.org/@ann/5", "https://www.example.org/@ann/6",
                "http://m.example.net/@cy/7", "https://example.com/users/Dee/statuses/8",
                "https://pleroma.site/notice/AbC?x=1"):
        assert em.status_key(url) == url_key(canonical_status_url(url)), url
