"""The twitter collector on twarc2 pages and flattened tweets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batchtools import edges, rejects, totals

import netmap.collect.twitter as twitter_mod
from netmap.collect.base import CollectOptions, Source
from netmap.collect.feeds import FeedsCollector
from netmap.collect.twitter import MAX_LINE_BYTES, TwitterCollector
from netmap.keys import url_key
from netmap.model import Batch
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "twitter"
FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"

BLOG = "twitter:397900000000000001"  # dilshod_tj shares the blog post
RT = "twitter:397900000000000002"  # Nigora_TJ retweets Asia-Plus
ORIG = "twitter:397800000000000002"  # the Asia-Plus original (context only)
QUOTE = "twitter:397900000000000003"  # farrukh_pamir quotes BLOG
REPLY = "twitter:397900000000000004"  # AsiaPlusTJ replies to QUOTE
RT_MISSING = "twitter:397900000000000006"  # retweet whose original did not come along
MISSING = "twitter:397700000000000009"
LONG = "twitter:397900000000000007"  # note_tweet
POST_KEY = url_key("https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/")


def collect(path: Path | str, **options) -> list[Batch]:
    return list(TwitterCollector().read(Source.from_path(path), CollectOptions(**options)))


def nodes(batches: list[Batch], label: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for b in batches:
        for n in b.nodes:
            if n.label == label:
                out.setdefault(n.key, {}).update(n.props)
    return out


def write_lines(path: Path, objs: list) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for o in objs:
            fh.write((o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n")
    return path


def flat_lines() -> list[dict]:
    return [json.loads(line) for line in (FIX / "flat.jsonl").read_text("utf-8").splitlines()]


# -- sniffing ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["pages.jsonl", "flat.jsonl", "truncated.jsonl"])
def test_sniff_recognises_twarc2(name: str) -> None:
    assert TwitterCollector().sniff(Source.from_path(FIX / name)) == 90


def test_sniff_rejects_other_formats(tmp_path: Path) -> None:
    assert TwitterCollector().sniff(Source.from_path(FEEDS / "wordpress_rss.xml")) == 0
    toot = write_lines(tmp_path / "toots.jsonl", [{"id": "1", "content": "<p>hi</p>",
                                                    "account": {"acct": "bob"}}])
    assert TwitterCollector().sniff(Source.from_path(toot)) == 0
    other = write_lines(tmp_path / "other.jsonl", [{"data": [{"name": "x"}]}])
    assert TwitterCollector().sniff(Source.from_path(other)) == 0
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n")
    assert TwitterCollector().sniff(Source.from_path(blank)) == 0


# -- mapping ------------------------------------------------------------------------

def test_pages_counts_and_rejects() -> None:
    batches = collect(FIX / "pages.jsonl")
    # page 1: 5 tweets (one without author_id), page 2: 2 tweets, page 3: an empty
    # result page (no records), page 4: a page without data (one reject)
    assert totals(batches) == (8, 6, 2)
    locs = {r.location: r.reason for r in rejects(batches)}
    assert locs == {"line 1 tweet 5": "tweet has no author_id",
                    "line 4": "page has no 'data' list of tweets"}
    posts = nodes(batches, "Post")
    assert set(posts) == {BLOG, RT, ORIG, QUOTE, REPLY, RT_MISSING, LONG}
    assert "twitter:397900000000000005" not in posts


def test_post_and_account_props() -> None:
    batches = collect(FIX / "pages.jsonl")
    p = nodes(batches, "Post")[BLOG]
    assert p == {
        "platform": "twitter", "kind": "post", "lang": "ru",
        "text": "Соцсети стали площадкой для дебатов — отличный текст @Nigora_TJ #Таджикистан https://t.co/AbC1",
        "created_at": "2013-11-06T08:00:00Z",
        "url": "https://twitter.com/dilshod_tj/status/397900000000000001",
        "retweet_count": 5, "reply_count": 1, "like_count": 9, "quote_count": 1,
    }
    kinds = {k: v["kind"] for k, v in nodes(batches, "Post").items()}
    assert kinds == {BLOG: "post", RT: "share", ORIG: "post", QUOTE: "quote", REPLY: "reply",
                     RT_MISSING: "share", LONG: "post"}
    acc = nodes(batches, "Account")
    assert acc["twitter:nigora_tj"] == {
        "platform": "twitter", "handle": "Nigora_TJ", "name": "Нигора",
        "url": "https://twitter.com/Nigora_TJ", "bio": "Блогер, активист", "followers": 2301,
        "user_id": "1500000002", "location": "Dushanbe",
        "profile_links": ["https://pamirnotes.wordpress.com/"],
    }
    assert acc["twitter:asiaplustj"]["profile_links"] == ["http://www.asiaplus.tj/"]
    assert ("twitter:dilshod_tj", BLOG) in edges(batches, "AUTHORED")


def test_retweet_quote_reply_mention_hashtag_mapping() -> None:
    batches = collect(FIX / "pages.jsonl")
    assert edges(batches, "SHARES") == {(RT, ORIG), (RT_MISSING, MISSING)}
    assert edges(batches, "QUOTES") == {(QUOTE, BLOG)}
    assert edges(batches, "REPLIES_TO") == {(REPLY, QUOTE)}
    assert edges(batches, "MENTIONS") == {(BLOG, "twitter:nigora_tj"), (REPLY, "twitter:farrukh_pamir")}
    assert edges(batches, "TAGGED") == {
        (BLOG, "таджикистан"), (ORIG, "выборы2013"), (REPLY, "бойкот"),
        (MISSING, "выборы2013"), (LONG, "таджикистан"),
    }
    assert nodes(batches, "Hashtag")["бойкот"] == {"tag": "Бойкот"}
    authored = edges(batches, "AUTHORED")
    # the retweeted original comes with its author; a missing one gets "RT @x:"'s author
    assert ("twitter:asiaplustj", ORIG) in authored
    assert ("twitter:ozodi_tj", MISSING) in authored
    # a retweet carries no links, tags or mentions of its own: they are the original's
    assert not any(src in (RT, RT_MISSING) for src, _ in
                   edges(batches, "LINKS_TO") | edges(batches, "TAGGED") | edges(batches, "MENTIONS"))


def test_urls_expanded_never_tco() -> None:
    batches = collect(FIX / "pages.jsonl")
    links = edges(batches, "LINKS_TO")
    assert links == {
        (BLOG, POST_KEY),  # unwound_url preferred over the bit.ly expanded_url
        (ORIG, "asiaplus.tj/ru/news/tajikistan/politics/20131106/turnout"),
        (REPLY, POST_KEY),
        (MISSING, "ozodi.org/a/25159000.html"),
        (LONG, "asiaplus.tj/ru/news/analysis"),  # note_tweet entities
    }
    urls = nodes(batches, "Url")
    assert not any("t.co/" in k or "t.co/" in v["url"] for k, v in urls.items())
    assert not any("bit.ly" in k for k in urls)
    # the quoted tweet's status page and the attached photo are not links
    assert not any(src == QUOTE for src, _ in links)
    assert urls[POST_KEY]["domain"] == "pamirnotes.wordpress.com"
    assert nodes(batches, "Post")[LONG]["text"].startswith("Длинный текст о выборах, полностью:")


def test_blog_url_variants_meet_the_blog_post_key(tmp_path: Path) -> None:
    feed = list(FeedsCollector().read(Source.from_path(FEEDS / "wordpress_rss.xml"), CollectOptions()))
    blog_post_key = next(n.key for b in feed for n in b.nodes
                         if n.label == "Post" and n.props.get("title", "").startswith("Соцсети"))
    variants = [
        "http://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/?utm_source=twitter&utm_medium=social#comments",
        "https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/",
        "http://www.pamirnotes.wordpress.com/2013/10/12/socseti-debaty",
        "https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/#more-412",
    ]
    base = flat_lines()[0]
    lines = []
    for i, v in enumerate(variants):
        t = json.loads(json.dumps(base))
        t["id"] = f"49000000000000000{i}"
        t["entities"]["urls"] = [{"start": 0, "end": 23, "url": f"https://t.co/v{i}", "expanded_url": v}]
        lines.append(t)
    batches = collect(write_lines(tmp_path / "variants.jsonl", lines))
    assert {dst for _, dst in edges(batches, "LINKS_TO")} == {blog_post_key}
    assert blog_post_key == POST_KEY


def test_flattened_tweets_give_the_same_graph_as_pages() -> None:
    flat = collect(FIX / "flat.jsonl")
    assert totals(flat) == (4, 4, 0)
    pages = collect(FIX / "pages.jsonl")
    first_page = {BLOG, RT, ORIG, QUOTE, REPLY}
    page_edges = {e for e in edges(pages) if e[1] in first_page or (e[0] == "AUTHORED" and e[2] in first_page)}
    assert edges(flat) == page_edges
    assert nodes(flat, "Post") == {k: v for k, v in nodes(pages, "Post").items() if k in first_page}
    flat_acc = nodes(flat, "Account")
    assert flat_acc["twitter:nigora_tj"]["followers"] == 2301


def test_truncated_last_line_is_one_reject(tmp_path: Path) -> None:
    batches = collect(FIX / "truncated.jsonl")
    assert totals(batches) == (4, 3, 1)
    (rej,) = rejects(batches)
    assert rej.location == "line 4"
    assert rej.reason.startswith("invalid JSON (")
    assert set(nodes(batches, "Post")) >= {BLOG, RT, QUOTE}


def test_odd_lines_are_rejected_one_by_one(tmp_path: Path) -> None:
    good = flat_lines()[0]
    path = write_lines(tmp_path / "odd.jsonl", [
        good,
        "",
        "[1, 2, 3]",
        '{"errors": [{"title": "Not Found Error", "detail": "Could not find tweet with ids: [1]."}]}',
        '{"hello": "world"}',
        '{"data": [{"id": "1", "text": "no author"}, "not a tweet", {"author_id": "5", "text": "no id"}], "includes": {}}',
        "{not json",
        {**good, "id": "397900000000000099"},
    ])
    batches = collect(path)
    locs = [r.location for r in rejects(batches)]
    assert locs == ["line 3", "line 4", "line 5", "line 6 tweet 1", "line 6 tweet 2",
                    "line 6 tweet 3", "line 7"]
    assert totals(batches) == (9, 2, 7)
    reasons = [r.reason for r in rejects(batches)]
    assert "Could not find tweet" in reasons[1]
    assert reasons[5] == "tweet has no id"


def test_ten_megabyte_line_works(tmp_path: Path) -> None:
    first = flat_lines()[0]
    # API v2 writes author_id before text, as here; the text is ~10 MB of UTF-8
    tweet = {"id": first["id"], "author_id": first["author_id"],
             "text": "Длинная строка " + "ы" * (5 * 1024 * 1024),
             **{k: v for k, v in first.items() if k not in ("id", "author_id", "text")}}
    path = write_lines(tmp_path / "huge.jsonl", [tweet, flat_lines()[1]])
    assert path.stat().st_size > 10 * 1024 * 1024
    assert TwitterCollector().sniff(Source.from_path(path)) == 90  # judged by a partial line
    batches = collect(path)
    assert totals(batches) == (2, 2, 0)
    assert nodes(batches, "Post")[BLOG]["text"] == tweet["text"]


def test_sniff_partial_page_line(tmp_path: Path) -> None:
    page = json.loads((FIX / "pages.jsonl").read_text("utf-8").splitlines()[0])
    first = page["data"][0]
    page["data"][0] = {"author_id": first["author_id"], "id": first["id"], "text": "x" * (200 * 1024)}
    path = write_lines(tmp_path / "bigpage.jsonl", [page])
    assert path.read_bytes()[:64 * 1024].count(b"\n") == 0
    assert TwitterCollector().sniff(Source.from_path(path)) == 90


def test_over_long_line_is_rejected_without_loading(tmp_path: Path, monkeypatch) -> None:
    assert MAX_LINE_BYTES == 64 * 1024 * 1024
    monkeypatch.setattr(twitter_mod, "MAX_LINE_BYTES", 16384)
    tweet = flat_lines()[0]
    tweet["text"] = "x" * 50_000
    path = write_lines(tmp_path / "long.jsonl", [flat_lines()[1], tweet, flat_lines()[2]])
    batches = collect(path)
    assert totals(batches) == (3, 2, 1)
    (rej,) = rejects(batches)
    assert rej.location == "line 2" and "longer than 16384 bytes" in rej.reason


def test_stdlib_json_fallback_gives_the_same_records(monkeypatch) -> None:
    with_orjson = collect(FIX / "pages.jsonl")
    monkeypatch.setattr(twitter_mod, "_loads", json.loads)
    with_json = collect(FIX / "pages.jsonl")
    assert edges(with_json) == edges(with_orjson)
    assert nodes(with_json, "Post") == nodes(with_orjson, "Post")
    assert totals(with_json) == totals(with_orjson)


# -- batching and the store --------------------------------------------------------

def test_batches_hold_batch_size_records(tmp_path: Path) -> None:
    lines = []
    for i in range(25):
        t = json.loads(json.dumps(flat_lines()[i % 4]))
        t["id"] = str(500000000000000000 + i)
        lines.append(t)
    path = write_lines(tmp_path / "many.jsonl", lines)
    batches = collect(path, batch_size=10)
    assert [b.read for b in batches] == [10, 10, 5]
    one = collect(path, batch_size=1000)
    assert len(one) == 1
    with SQLiteStore(tmp_path / "a.db") as a, SQLiteStore(tmp_path / "b.db") as b:
        for store, bs in ((a, batches), (b, one)):
            run = store.begin_run("collect", [str(path)], {})
            for batch in bs:
                store.write_batch(batch, run)
        assert a.counts() == b.counts()
        # what one batch carried is not repeated in the next, and nothing is lost
        cols = ["followers", "profile_links", "name"]
        assert a.nodes("Account", cols).equals(b.nodes("Account", cols))
        assert a.nodes("Post", ["kind", "text", "url"]).equals(b.nodes("Post", ["kind", "text", "url"]))
        assert a.nodes("Account", cols)["followers"].notna().all()
        # + the three referenced tweets (retweeted, quoted, replied to) as context
        assert a.counts()["nodes"]["Post"] == 25 + 3


def test_store_counts_and_idempotency(tmp_path: Path) -> None:
    batches = collect(FIX / "pages.jsonl") + collect(FIX / "flat.jsonl")
    with SQLiteStore(tmp_path / "t.db") as store:
        run = store.begin_run("collect", ["pages.jsonl", "flat.jsonl"], {})
        for b in batches:
            store.write_batch(b, run)
        first = store.counts()
        for b in batches:
            store.write_batch(b, run)
        assert store.counts() == first
        assert first["nodes"]["Post"] == 8  # 7 collected + the missing original (stub)
        assert first["nodes"]["Account"] == 5  # 4 users + ozodi_tj from "RT @ozodi_tj:"
        assert first["nodes"]["Hashtag"] == 3
        assert first["relationships"]["SHARES"] == 2
        assert first["relationships"]["LINKS_TO"] == 5
        assert store.get_node("Post", RT)["kind"] == "share"
        assert store.get_node("Account", "twitter:ozodi_tj") is not None
