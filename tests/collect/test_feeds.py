"""The feeds collector on real-format RSS/Atom/WordPress fixtures."""

from __future__ import annotations

import codecs
import time
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from batchtools import edges, rejects, totals

from netmap.collect.base import CollectOptions, Source
from netmap.collect.feeds import FeedsCollector, parse_feed
from netmap.collect.http import Fetcher
from netmap.errors import CollectError
from netmap.keys import post_key, url_key
from netmap.model import Batch
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
TWITTER_FIX = Path(__file__).resolve().parent.parent / "fixtures" / "twitter"

POST = "https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/"
KANDIDATY = "https://pamirnotes.wordpress.com/2013/10/01/kandidaty/"
HOST = "pamirnotes.wordpress.com"


def comment(host: str, n: int) -> str:
    return post_key("blog", f"{host}:comment:{n}")


def collect(path: Path | str, **options) -> list[Batch]:
    return list(FeedsCollector().read(Source.from_path(path), CollectOptions(**options)))


def nodes(batches: list[Batch], label: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for b in batches:
        for n in b.nodes:
            if n.label == label:
                out.setdefault(n.key, {}).update(n.props)
    return out


def all_text(batches: list[Batch]) -> str:
    parts = []
    for b in batches:
        for n in b.nodes:
            parts.append(n.key)
            parts.extend(str(v) for v in n.props.values())
        for r in b.rejects:
            parts.append(r.reason)
    return "\n".join(parts)


# -- sniffing ----------------------------------------------------------------

@pytest.mark.parametrize(
    "name",
    ["wordpress_rss.xml", "atom.xml", "wp_comments_rss.xml", "wp_comments_atom.xml",
     "cp1251_decl.xml", "cp1251_nodecl.xml", "koi8r.xml", "empty.xml", "malformed.xml",
     "bomb.xml", "xxe.xml"],
)
def test_sniff_recognises_feeds(name: str) -> None:
    assert FeedsCollector().sniff(Source.from_path(FIX / name)) == 90


def test_sniff_rejects_other_formats(tmp_path: Path) -> None:
    assert FeedsCollector().sniff(Source.from_path(FIX / "not_a_feed.html")) == 0
    assert FeedsCollector().sniff(Source.from_path(TWITTER_FIX / "pages.jsonl")) == 0
    svg = tmp_path / "image.svg"
    svg.write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert FeedsCollector().sniff(Source.from_path(svg)) == 0
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert FeedsCollector().sniff(Source.from_path(empty)) == 0


def test_sniff_rdf_and_utf16_with_bom(tmp_path: Path) -> None:
    rdf = tmp_path / "rss1.rdf"
    rdf.write_text(
        '<?xml version="1.0"?>\n<!-- RSS 1.0 -->\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/">'
        '<channel rdf:about="http://b.example.org/"><title>B</title><link>http://b.example.org/</link>'
        '<description>d</description><items><rdf:Seq><rdf:li resource="http://b.example.org/1"/>'
        '</rdf:Seq></items></channel>'
        '<item rdf:about="http://b.example.org/1"><title>One</title><link>http://b.example.org/1</link>'
        '</item></rdf:RDF>'
    )
    assert FeedsCollector().sniff(Source.from_path(rdf)) == 90
    batches = collect(rdf)
    assert totals(batches) == (1, 1, 0)
    assert set(nodes(batches, "Post")) == {url_key("http://b.example.org/1")}

    utf16 = tmp_path / "utf16.xml"
    text = (FIX / "wordpress_rss.xml").read_text("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    utf16.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert FeedsCollector().sniff(Source.from_path(utf16)) == 90
    assert nodes(collect(utf16), "Post") == nodes(collect(FIX / "wordpress_rss.xml"), "Post")


# -- posts ---------------------------------------------------------------------

def test_wordpress_rss_posts_authors_site_tags() -> None:
    batches = collect(FIX / "wordpress_rss.xml")
    assert totals(batches) == (3, 3, 0)
    posts = nodes(batches, "Post")
    key = url_key(POST)
    assert set(posts) == {key, url_key(KANDIDATY),
                          url_key("https://pamirnotes.wordpress.com/2013/11/05/boycott-note/")}
    p = posts[key]
    assert p["platform"] == "blog" and p["kind"] == "post"
    assert p["title"] == "Соцсети наконец стали площадкой для дебатов"
    assert p["created_at"] == "2013-10-12T08:30:00Z"
    assert p["url"] == POST
    assert p["lang"] == "ru"
    assert p["comment_feed"] == POST + "feed/"
    assert p["comment_count"] == 4
    assert p["text"].startswith("Впервые кандидаты и избиратели спорят открыто.")
    assert "<p>" not in p["text"]

    assert edges(batches, "AUTHORED") == {
        (f"blog:{HOST}/farrukh", key),
        (f"blog:{HOST}/guest author", url_key(KANDIDATY)),
        (f"blog:{HOST}/farrukh", url_key("https://pamirnotes.wordpress.com/2013/11/05/boycott-note/")),
    }
    assert nodes(batches, "Account")[f"blog:{HOST}/farrukh"]["name"] == "Farrukh"
    assert nodes(batches, "Site") == {HOST: {"name": "Pamir Notes", "url": "https://pamirnotes.wordpress.com"}}
    assert {dst for _, dst in edges(batches, "PUBLISHED_ON")} == {HOST}
    assert (key, "выборы 2013") in edges(batches, "TAGGED")
    assert nodes(batches, "Hashtag")["соцсети"] == {"tag": "Соцсети"}


def test_links_resolved_filtered_and_canonical() -> None:
    batches = collect(FIX / "wordpress_rss.xml")
    links = {dst for src, dst in edges(batches, "LINKS_TO") if src == url_key(POST)}
    # utm parameters dropped, relative link resolved against the item link,
    # mailto:/javascript: ignored, the "read more" link to the post itself skipped
    assert links == {
        "asiaplus.tj/ru/news/election-2013",
        url_key("https://otherblog.blogspot.com/2013/10/boycott.html"),
        url_key(KANDIDATY),
    }
    urls = nodes(batches, "Url")
    assert urls["asiaplus.tj/ru/news/election-2013"]["domain"] == "asiaplus.tj"
    assert all(not k.startswith(("mailto", "javascript")) for k in urls)
    # a protocol-relative link with a #fragment meets the same key
    note = url_key("https://pamirnotes.wordpress.com/2013/11/05/boycott-note/")
    assert (note, url_key("https://otherblog.blogspot.com/2013/10/boycott.html")) in edges(batches, "LINKS_TO")


def test_atom_feed_authors_and_comment_links() -> None:
    batches = collect(FIX / "atom.xml")
    assert totals(batches) == (2, 2, 0)
    boycott = url_key("https://otherblog.blogspot.com/2013/10/boycott.html")
    itogi = url_key("https://otherblog.blogspot.com/2013/11/itogi.html")
    posts = nodes(batches, "Post")
    assert posts[boycott]["comment_feed"] == "https://otherblog.blogspot.com/feeds/1111/comments/default"
    assert posts[boycott]["comment_count"] == 3
    assert posts[boycott]["created_at"] == "2013-10-20T06:00:00Z"
    assert posts[itogi]["text"] == "Коротко о главном за неделю."
    accounts = nodes(batches, "Account")
    # the author's URI is a prop, never part of the key; no author: the blog itself
    assert accounts["blog:otherblog.blogspot.com/rustam k."]["url"].startswith("https://www.blogger.com/profile/")
    assert accounts["blog:otherblog.blogspot.com"]["name"] == "Другой блог"
    assert edges(batches, "AUTHORED") == {
        ("blog:otherblog.blogspot.com/rustam k.", boycott),
        ("blog:otherblog.blogspot.com", itogi),
    }
    assert (boycott, url_key(POST)) in edges(batches, "LINKS_TO")
    assert {t for _, t in edges(batches, "TAGGED")} == {"бойкот", "выборы 2013"}
    assert "noreply@blogger.com" not in all_text(batches)


# -- comments --------------------------------------------------------------------

def test_wordpress_rss_comment_feed_threads() -> None:
    batches = collect(FIX / "wp_comments_rss.xml")
    assert totals(batches) == (4, 4, 0)
    posts = nodes(batches, "Post")
    assert set(posts) == {comment(HOST, n) for n in (99, 101, 102, 103)}
    assert all(p["kind"] == "comment" and p["platform"] == "blog" for p in posts.values())
    assert edges(batches, "REPLIES_TO") == {
        (comment(HOST, 101), url_key(POST)),
        (comment(HOST, 102), comment(HOST, 101)),  # "In reply to <a …#comment-101>"
        (comment(HOST, 103), comment(HOST, 102)),  # thr:in-reply-to inside an RSS item
        (comment(HOST, 99), url_key(KANDIDATY)),  # comment-page-1/ is not part of the post
    }
    assert posts[comment(HOST, 102)]["text"] == "Спасибо! Шум тоже часть дебатов."
    assert posts[comment(HOST, 101)]["url"] == POST + "#comment-101"
    assert edges(batches, "AUTHORED") == {
        (f"blog:{HOST}/dilshod", comment(HOST, 101)),
        (f"blog:{HOST}/farrukh", comment(HOST, 102)),
        (f"blog:{HOST}/zarina", comment(HOST, 103)),
        (f"blog:{HOST}/бахтиёр", comment(HOST, 99)),
    }
    assert edges(batches, "LINKS_TO") == {
        (comment(HOST, 101), "twitter.com/dilshod_tj/status/389012345678901234"),
        (comment(HOST, 103), "ozodi.org/content/article/25130000.html"),
    }


def test_atom_comment_feed_commenter_urls() -> None:
    batches = collect(FIX / "wp_comments_atom.xml")
    assert totals(batches) == (3, 3, 0)
    assert edges(batches, "REPLIES_TO") == {
        (comment(HOST, 104), url_key(POST)),
        (comment(HOST, 105), comment(HOST, 104)),
        (comment(HOST, 106), comment(HOST, 105)),
    }
    accounts = nodes(batches, "Account")
    # a social profile URL makes the commenter that profile's account
    assert accounts["twitter:nigora_tj"]["platform"] == "twitter"
    # another blog's URL makes the commenter that blog
    lj = accounts["blog:rustam-k.livejournal.com"]
    assert lj["url"] == "http://rustam-k.livejournal.com/"
    assert lj["profile_links"] == ["http://rustam-k.livejournal.com/"]
    # no URL: a name scoped to the blog commented on
    assert f"blog:{HOST}/гость" in accounts
    assert edges(batches, "AUTHORED") == {
        ("twitter:nigora_tj", comment(HOST, 104)),
        ("blog:rustam-k.livejournal.com", comment(HOST, 105)),
        (f"blog:{HOST}/гость", comment(HOST, 106)),
    }
    assert edges(batches, "LINKS_TO") == {(comment(HOST, 105), "rustam-k.livejournal.com/12345.html")}


# -- encodings --------------------------------------------------------------------

TITLE = "Выборы в Таджикистане: соцсети наконец стали площадкой для дебатов"
TEXT_1251 = "Читатели спорят, согласны ли они с тем, что интернет изменил кампанию. Ёжик в тумане — «цитата»."
TEXT_KOI = "Читатели спорят, согласны ли они с тем, что интернет изменил кампанию. Ёжик в тумане - \"цитата\"."


@pytest.mark.parametrize(
    ("name", "text"),
    [("cp1251_decl.xml", TEXT_1251), ("cp1251_nodecl.xml", TEXT_1251),
     ("koi8r.xml", TEXT_KOI), ("koi8r_nodecl.xml", TEXT_KOI)],
)
def test_cyrillic_single_byte_encodings(name: str, text: str) -> None:
    batches = collect(FIX / name)
    assert totals(batches) == (1, 1, 0)
    post = nodes(batches, "Post")[url_key("http://politika-tj.narod.ru/2013/10/debaty.html")]
    assert post["title"] == TITLE
    assert post["text"] == text
    assert "blog:politika-tj.narod.ru/фаррух шарипов" in nodes(batches, "Account")
    assert nodes(batches, "Hashtag") == {"общество": {"tag": "Общество"}}
    assert nodes(batches, "Site")["politika-tj.narod.ru"]["name"] == "Блог о политике"


def test_feedparser_alone_only_gets_declared_cp1251_right() -> None:
    # Why the collector decodes first: feedparser honours the declaration, but
    # reads an undeclared cp1251 feed as windows-1252.
    declared = feedparser.parse((FIX / "cp1251_decl.xml").read_bytes())
    assert declared.entries[0].title == TITLE
    undeclared = feedparser.parse((FIX / "cp1251_nodecl.xml").read_bytes())
    assert undeclared.entries[0].title != TITLE


# -- bad input --------------------------------------------------------------------

def test_empty_feed_reads_nothing_without_error() -> None:
    batches = collect(FIX / "empty.xml")
    assert totals(batches) == (0, 0, 0)


def test_malformed_item_rejected_rest_stored() -> None:
    batches = collect(FIX / "malformed.xml")
    assert totals(batches) == (4, 3, 1)
    (rej,) = rejects(batches)
    assert rej.location == "item 2 (line 14)"
    assert "line 19" in rej.reason and "mismatch" in rej.reason
    assert "Turnout figures" in rej.excerpt
    posts = nodes(batches, "Post")
    base = "https://khujanddiary.wordpress.com/2013/11/"
    assert set(posts) == {url_key(base + "06/polling/"), url_key(base + "06/evening/"),
                          url_key(base + "07/qa/")}
    # HTML named entities that XML does not define still come out right
    assert posts[url_key(base + "07/qa/")]["title"] == "Q&A with readers \u2014 part 1"
    assert posts[url_key(base + "07/qa/")]["text"] == "Your questions answered."  # &nbsp; -> space


def test_recoverable_damage_outside_items(tmp_path: Path) -> None:
    bad = tmp_path / "header.xml"
    bad.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A & B</title>\n'
        "<link>http://b.example.org/</link>\n"
        "<item><title>One</title><link>http://b.example.org/1</link></item>\n"
        "<item><title>Two</title><link>http://b.example.org/2</link></item>\n"
        "</channel></rss>\n"
    )
    batches = collect(bad)
    assert totals(batches) == (3, 2, 1)
    assert rejects(batches)[0].location == "feed header (line 2)"
    assert len(nodes(batches, "Post")) == 2


@pytest.mark.parametrize("name", ["not_a_feed.html", "../twitter/pages.jsonl"])
def test_not_a_feed_raises_collect_error_naming_the_file(name: str) -> None:
    path = FIX / name
    with pytest.raises(CollectError) as err:
        collect(path)
    assert str(path) in str(err.value)
    assert "not an RSS or Atom feed" in str(err.value)


def test_empty_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "zero.xml"
    path.write_bytes(b"")
    with pytest.raises(CollectError, match="zero.xml"):
        collect(path)


def test_entity_bomb_is_not_expanded() -> None:
    start = time.monotonic()
    batches = collect(FIX / "bomb.xml")
    assert time.monotonic() - start < 5
    read, stored, rejected = totals(batches)
    assert stored == 1 and rejected >= 1
    assert set(nodes(batches, "Post")) == {url_key("https://laughs.example.org/2013/11/plain/")}
    assert any(r.location.startswith("item 1") for r in rejects(batches))
    assert "lollol" not in all_text(batches)


def test_external_entities_are_never_resolved() -> None:
    batches = collect(FIX / "xxe.xml")
    assert totals(batches) == (2, 1, 1)
    assert "root:" not in all_text(batches)
    assert set(nodes(batches, "Post")) == {url_key("https://xxe.example.org/2013/11/harmless/")}


def test_external_entities_are_never_fetched(tmp_path: Path, httpserver) -> None:
    base = httpserver.url_for("/")
    httpserver.expect_request("/evil.dtd").respond_with_data('<!ENTITY leak "LEAKED">')
    httpserver.expect_request("/secret.txt").respond_with_data("LEAKED")
    feed = tmp_path / "xxe-http.xml"
    feed.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss SYSTEM "{base}evil.dtd" [\n'
        f' <!ENTITY secret SYSTEM "{base}secret.txt">\n'
        f' <!ENTITY % p SYSTEM "{base}evil.dtd">\n %p;\n]>\n'
        '<rss version="2.0"><channel><title>t</title><link>https://x.example.org/</link>\n'
        "<item><title>&secret;</title><link>https://x.example.org/1</link></item>\n"
        "<item><title>&leak;</title><link>https://x.example.org/2</link></item>\n"
        "<item><title>fine</title><link>https://x.example.org/3</link></item>\n"
        "</channel></rss>\n"
    )
    batches = collect(feed)
    assert "LEAKED" not in all_text(batches)
    assert totals(batches) == (3, 1, 2)
    assert httpserver.log == []


def test_item_without_link_or_guid_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "nolink.xml"
    path.write_text(
        '<rss version="2.0"><channel><title>t</title>\n'
        "<item><title>No link at all</title><description>x</description></item>\n"
        "<item><title>ok</title><link>https://x.example.org/ok</link></item>\n"
        "</channel></rss>"
    )
    batches = collect(path)
    assert totals(batches) == (2, 1, 1)
    assert rejects(batches)[0].location == "item 1 (line 2)"


# -- batching and the store --------------------------------------------------------

def test_batch_size_splits_items() -> None:
    batches = collect(FIX / "wordpress_rss.xml", batch_size=2)
    assert [b.read for b in batches] == [2, 1]
    assert totals(batches) == (3, 3, 0)


def test_store_counts_and_idempotency(tmp_path: Path) -> None:
    names = ["wordpress_rss.xml", "atom.xml", "wp_comments_rss.xml", "wp_comments_atom.xml",
             "cp1251_decl.xml", "malformed.xml"]
    batches = [b for n in names for b in collect(FIX / n)]
    with SQLiteStore(tmp_path / "t.db") as store:
        run = store.begin_run("collect", names, {})
        for b in batches:
            store.write_batch(b, run)
        first = store.counts()
        for b in batches:
            store.write_batch(b, run)
        assert store.counts() == first
        # 3 + 2 posts, 4 + 3 comments (their parents are among the posts), 1 + 3 posts
        assert first["nodes"]["Post"] == 16
        post = store.get_node("Post", url_key(POST))
        assert post["title"] == "Соцсети наконец стали площадкой для дебатов"
        # comments reply into the collected post, whichever feed they came from
        rel = store.edges(["REPLIES_TO"])
        assert (rel["dst"] == url_key(POST)).sum() == 2
        assert store.get_node("Account", "twitter:nigora_tj")["platform"] == "twitter"


# -- following comment feeds over HTTP ------------------------------------------------

def _blog_feed(base: str) -> str:
    items = []
    for n, slug in ((1, "first-post"), (2, "second-post")):
        link = f"{base}2013/10/1{n}/{slug}/"
        items.append(f"""
	<item>
		<title>Post {n}</title>
		<link>{link}</link>
		<dc:creator><![CDATA[Farrukh]]></dc:creator>
		<pubDate>Sat, 1{n} Oct 2013 08:30:00 +0000</pubDate>
		<guid isPermaLink="false">{base}?p={n}</guid>
		<description><![CDATA[Text {n}]]></description>
		<wfw:commentRss>{link}feed/</wfw:commentRss>
		<slash:comments>{2 if n == 1 else 0}</slash:comments>
	</item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
	<title>Local Blog</title>
	<link>{base.rstrip('/')}</link>
	<description>served by the test</description>
	{''.join(items)}
</channel>
</rss>
"""


def _comment_feed(base: str) -> str:
    link = f"{base}2013/10/11/first-post/"
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
	<title>Comments on: Post 1</title>
	<link>{link}</link>
	<description>served by the test</description>
	<item>
		<title>By: Dilshod</title>
		<link>{link}#comment-7</link>
		<dc:creator><![CDATA[Dilshod]]></dc:creator>
		<pubDate>Sat, 11 Oct 2013 09:00:00 +0000</pubDate>
		<guid isPermaLink="false">{base}?p=1#comment-7</guid>
		<description><![CDATA[Первый!]]></description>
		<content:encoded><![CDATA[<p>Первый! <a href="https://www.ozodi.org/">Озоди</a></p>]]></content:encoded>
	</item>
	<item>
		<title>By: Farrukh</title>
		<link>{link}#comment-8</link>
		<dc:creator><![CDATA[Farrukh]]></dc:creator>
		<pubDate>Sat, 11 Oct 2013 09:30:00 +0000</pubDate>
		<guid isPermaLink="false">{base}?p=1#comment-8</guid>
		<description><![CDATA[In reply to Dilshod. Спасибо.]]></description>
		<content:encoded><![CDATA[<p>In reply to <a href="{link}#comment-7">Dilshod</a>.</p>
<p>Спасибо.</p>]]></content:encoded>
	</item>
</channel>
</rss>
"""


def test_follow_comments_over_http(tmp_path: Path, httpserver) -> None:
    base = httpserver.url_for("/")
    ctype = "application/rss+xml; charset=UTF-8"
    httpserver.expect_request("/feed/").respond_with_data(_blog_feed(base), content_type=ctype)
    httpserver.expect_request("/2013/10/11/first-post/feed/").respond_with_data(
        _comment_feed(base), content_type=ctype)
    httpserver.expect_request("/2013/10/12/second-post/feed/").respond_with_data(
        "gone", status=404)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # no rules
    fetcher = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path / "cache")
    source = Source.from_url(base + "feed/", fetcher)
    batches = list(FeedsCollector().read(
        source, CollectOptions(follow_comments=True, fetcher=fetcher)))

    # 2 posts + 2 comments stored; the missing comment feed is one reject
    assert totals(batches) == (5, 4, 1)
    (rej,) = rejects(batches)
    assert rej.location.startswith("item 2 (line ") and rej.location.endswith(" comment feed")
    assert rej.source == f"{base}2013/10/12/second-post/feed/"
    assert "404" in rej.reason
    host = urlsplit(base).hostname  # blog keys carry the host, not the port
    first = url_key(f"{base}2013/10/11/first-post/")
    assert edges(batches, "REPLIES_TO") == {
        (comment(host, 7), first),
        (comment(host, 8), comment(host, 7)),
    }
    assert (comment(host, 7), "ozodi.org") in edges(batches, "LINKS_TO")
    assert nodes(batches, "Post")[comment(host, 7)]["text"] == "Первый! Озоди"

    # without follow_comments nothing is fetched beyond the feed itself
    httpserver.clear_log()
    plain = list(FeedsCollector().read(Source.from_url(base + "feed/", fetcher), CollectOptions()))
    assert totals(plain) == (2, 2, 0)
    assert httpserver.log == []  # the feed came from the fetcher's cache


def test_parse_feed_reports_items_with_lines() -> None:
    parsed = parse_feed((FIX / "wp_comments_rss.xml").read_bytes(), "x")
    assert [it.number for it in parsed.items] == [1, 2, 3, 4]
    assert parsed.items[0].line == 16
    assert parsed.items[2].in_reply_to == (
        "http://pamirnotes.wordpress.com/?p=412#comment-102",
        POST + "#comment-102",
    )
