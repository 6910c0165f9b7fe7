"""The bluesky collector on AT Protocol feed views and repository records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batchtools import edges, nodes, rejects, totals

from netmap.collect.base import CollectOptions, Source
from netmap.collect.bluesky import BlueskyCollector, facet_slice, parse_at_uri
from netmap.keys import url_key
from netmap.model import Batch

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "bluesky"
FEED = FIX / "author_feed.json"
RECORDS = FIX / "records.jsonl"
BLOG_KEY = url_key("https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/")

NIGORA_DID = "did:plc:n1g0rak4r1m0v4bl0gg3r5x"
DILSHOD_DID = "did:plc:d1lsh0dj0urn4l1st2013zz"
OZODI_DID = "did:plc:0z0d1r4d10n3ws2013abcde"
GONE = "did:plc:g0n3g0n3g0n3g0n3g0n3g0n3"


def k(who: str, rkey: str) -> str:
    return f"bsky.app/profile/{who}/post/{rkey}"


P1 = k("nigora.bsky.social", "3kb2nigora001")
OZODI_POST = k("ozodi.org", "3kb2ozodi0007")
REPOST = f"bluesky:{NIGORA_DID}:repost:{OZODI_DID}:3kb2ozodi0007"


def collect(path: Path | str, **options) -> list[Batch]:
    return list(BlueskyCollector().read(Source.from_path(path), CollectOptions(**options)))


def feed() -> dict:
    return json.loads(FEED.read_text("utf-8"))


def write(path: Path, obj) -> Path:
    path.write_text(json.dumps(obj, ensure_ascii=False), "utf-8")
    return path


# -- sniffing and helpers -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["author_feed.json", "records.jsonl"])
def test_sniff_recognises_bluesky(name: str) -> None:
    assert BlueskyCollector().sniff(Source.from_path(FIX / name)) == 95


def test_sniff_ignores_mastodon_statuses(tmp_path: Path) -> None:
    toot = write(tmp_path / "toot.json", [{"id": "1", "uri": "https://m.s/users/a/statuses/1",
                                           "content": "<p>x</p>", "account": {"acct": "a"}}])
    assert BlueskyCollector().sniff(Source.from_path(toot)) == 0


def test_facets_slice_utf8_bytes_not_characters() -> None:
    text = "Выборы 🗳️ #тег @bob.bsky.social"
    encoded = text.encode("utf-8")
    start = encoded.index(b"@bob")
    index = {"byteStart": start, "byteEnd": len(encoded)}
    assert facet_slice(encoded, index) == "@bob.bsky.social"
    assert text[start:] != "@bob.bsky.social"  # character offsets would be wrong here
    tag = encoded.index("#тег".encode())
    assert facet_slice(encoded, {"byteStart": tag, "byteEnd": tag + len("#тег".encode())}) == "#тег"
    assert facet_slice(encoded, {"byteStart": 5, "byteEnd": 500}) is None
    assert parse_at_uri("at://did:plc:x/app.bsky.feed.post/3k") == ("did:plc:x", "app.bsky.feed.post", "3k")
    assert parse_at_uri("https://bsky.app/x") is None


# -- feed views -------------------------------------------------------------------------------

def test_feed_counts_and_post_properties() -> None:
    batches = collect(FEED)
    assert totals(batches) == (6, 6, 0)
    assert P1 == url_key("https://bsky.app/profile/nigora.bsky.social/post/3kb2nigora001")
    p = nodes(batches, "Post")[P1]
    assert p["kind"] == "post" and p["lang"] == "ru" and p["created_at"] == "2013-11-06T08:00:00Z"
    assert p["url"] == "https://bsky.app/profile/nigora.bsky.social/post/3kb2nigora001"
    assert p["uri"] == f"at://{NIGORA_DID}/app.bsky.feed.post/3kb2nigora001"
    assert (p["reply_count"], p["repost_count"], p["like_count"], p["quote_count"]) == (2, 3, 10, 1)
    acc = nodes(batches, "Account")["bluesky:nigora.bsky.social"]
    assert acc == {"platform": "bluesky", "handle": "nigora.bsky.social", "did": NIGORA_DID,
                   "name": "Нигора 🌸", "url": "https://bsky.app/profile/nigora.bsky.social"}


def test_facets_with_cyrillic_and_emoji() -> None:
    batches = collect(FEED)
    # the link facet's visible text is cut short; its uri is whole
    assert (P1, BLOG_KEY) in edges(batches, "LINKS_TO")
    assert (P1, "выборы2013") in edges(batches, "TAGGED")
    mentions = {d for s, d in edges(batches, "MENTIONS") if s == P1}
    # farrukh's DID is known from the feed; asiaplus' handle comes from the byte-sliced text
    assert mentions == {"bluesky:farrukh.bsky.social", "bluesky:asiaplus.tj"}
    acc = nodes(batches, "Account")["bluesky:asiaplus.tj"]
    assert acc["did"] == "did:plc:4s14plu5n3ws2013qwertyu"


def test_mention_without_a_readable_handle_is_by_did(tmp_path: Path) -> None:
    doc = feed()
    rec = doc["feed"][0]["post"]["record"]
    rec["text"] = rec["text"].replace("@asiaplus.tj", "Азия+ 🙂")
    doc["feed"] = doc["feed"][:1]
    batches = collect(write(tmp_path / "f.json", doc))
    mentions = {d for s, d in edges(batches, "MENTIONS") if s == P1}
    assert mentions == {"bluesky:farrukh.bsky.social", "bluesky:did:plc:4s14plu5n3ws2013qwertyu"}


def test_repost_reason_is_a_share_by_the_reposter() -> None:
    batches = collect(FEED)
    assert (REPOST, OZODI_POST) in edges(batches, "SHARES")
    assert ("bluesky:nigora.bsky.social", REPOST) in edges(batches, "AUTHORED")
    assert ("bluesky:ozodi.org", OZODI_POST) in edges(batches, "AUTHORED")
    posts = nodes(batches, "Post")
    assert posts[REPOST] == {"platform": "bluesky", "kind": "share", "created_at": "2013-11-06T07:00:00Z"}
    # the external embed is the original's link
    assert (OZODI_POST, "ozodi.org/a/25159000.html") in edges(batches, "LINKS_TO")


def test_reply_to_a_deleted_post() -> None:
    batches = collect(FEED)
    reply = k("nigora.bsky.social", "3kb2nigora003")
    gone = k(GONE, "3kb2gone00001")
    assert (reply, gone) in edges(batches, "REPLIES_TO")
    assert nodes(batches, "Post")[gone] == {"platform": "bluesky", "not_found": True}
    assert nodes(batches, "Post")[reply]["kind"] == "reply"


def test_reply_parent_keyed_by_handle_from_context() -> None:
    batches = collect(FEED)
    farrukh = k("farrukh.bsky.social", "3kb2farrukh01")
    assert (k("nigora.bsky.social", "3kb2nigora005"), farrukh) in edges(batches, "REPLIES_TO")
    assert nodes(batches, "Post")[farrukh]["text"] == "Это шум, а не дебаты"


def test_quotes_with_and_without_the_quoted_post() -> None:
    batches = collect(FEED)
    quote = k("nigora.bsky.social", "3kb2nigora004")
    quoted = k("dilshod.bsky.social", "3kb2dilshod01")
    assert (quote, quoted) in edges(batches, "QUOTES")
    posts = nodes(batches, "Post")
    assert posts[quote]["kind"] == "quote" and posts[quoted]["text"] == "Дебаты ушли в сеть"
    assert ("bluesky:dilshod.bsky.social", quoted) in edges(batches, "AUTHORED")
    with_media = k("nigora.bsky.social", "3kb2nigora006")
    assert (with_media, k(GONE, "3kb2gone00002")) in edges(batches, "QUOTES")
    assert posts[with_media]["media"] == ["images"]
    assert posts[k(GONE, "3kb2gone00002")]["not_found"] is True


def test_other_view_shapes(tmp_path: Path) -> None:
    doc = feed()
    posts = write(tmp_path / "search.json", {"posts": [doc["feed"][0]["post"]], "hitsTotal": 1})
    assert totals(collect(posts)) == (1, 1, 0)
    thread = {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": doc["feed"][4]["post"],
                         "parent": {"$type": "app.bsky.feed.defs#threadViewPost",
                                    "post": doc["feed"][4]["reply"]["parent"], "replies": []},
                         "replies": [{"$type": "app.bsky.feed.defs#notFoundPost",
                                      "uri": f"at://{GONE}/app.bsky.feed.post/3x", "notFound": True}]}}
    path = write(tmp_path / "thread.json", thread)
    assert BlueskyCollector().sniff(Source.from_path(path)) == 95
    batches = collect(path)
    assert totals(batches) == (2, 2, 0)
    assert nodes(batches, "Post")[k(GONE, "3x")] == {"platform": "bluesky", "not_found": True}


# -- repository records ----------------------------------------------------------------------------

def test_raw_records() -> None:
    batches = collect(RECORDS)
    assert totals(batches) == (7, 5, 2)
    assert [(r.location, r.reason.split(" (")[0]) for r in rejects(batches)] == [
        ("line 5", "record type 'app.bsky.feed.like' is not mapped"),
        ("line 7", "invalid JSON"),
    ]
    me = f"bluesky:{DILSHOD_DID}"
    post = k(DILSHOD_DID, "3kb2dilshod02")
    assert (me, post) in edges(batches, "AUTHORED")
    assert (post, BLOG_KEY) in edges(batches, "LINKS_TO")
    assert edges(batches, "FOLLOWS") == {(me, f"bluesky:{NIGORA_DID}")}
    assert nodes(batches, "Account")[me]["bio"] == "Журналист. Пишу о выборах"
    repost = f"bluesky:{DILSHOD_DID}:repost:{OZODI_DID}:3kb2ozodi0007"
    assert (repost, k(OZODI_DID, "3kb2ozodi0007")) in edges(batches, "SHARES")


def test_repost_records_and_reasons_share_one_key(tmp_path: Path) -> None:
    line = {"uri": f"at://{NIGORA_DID}/app.bsky.feed.repost/3kb2nrepost1",
            "value": {"$type": "app.bsky.feed.repost", "createdAt": "2013-11-06T07:00:00.000Z",
                      "subject": {"uri": f"at://{OZODI_DID}/app.bsky.feed.post/3kb2ozodi0007", "cid": "x"}}}
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(line) + "\n", "utf-8")
    raw = collect(path, extra={"bluesky_handles": {OZODI_DID: "ozodi.org"}})
    assert (REPOST, OZODI_POST) in edges(raw, "SHARES")  # same key and target as the feed's


def test_handles_option_gives_raw_records_the_feed_keys() -> None:
    batches = collect(RECORDS, extra={"bluesky_handles": {DILSHOD_DID: "Dilshod.bsky.social"}})
    posts = nodes(batches, "Post")
    assert k("dilshod.bsky.social", "3kb2dilshod01") in posts
    assert ("bluesky:dilshod.bsky.social", k("dilshod.bsky.social", "3kb2dilshod01")) \
        in edges(batches, "AUTHORED")


def test_pages_longer_than_the_sniffing_head_are_json_lines(tmp_path: Path) -> None:
    page = feed()
    page["feed"] = page["feed"] * 60  # one page line of well over 64 KiB
    line = json.dumps(page, ensure_ascii=False)
    assert len(line.encode()) > 64 * 1024
    path = tmp_path / "pages.jsonl"
    path.write_text("\n" + line + "\n" + line + "\n", "utf-8")
    assert BlueskyCollector().sniff(Source.from_path(path)) == 95
    batches = collect(path)
    assert totals(batches) == (720, 720, 0)
    assert {r.location for r in rejects(batches)} == set()
