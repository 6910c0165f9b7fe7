"""The html collector on real-format pages: a WordPress post with comments, an
IndieWeb h-entry, a cp1251 news article, an undeclared koi8-r LiveJournal page."""

from __future__ import annotations

from pathlib import Path

import pytest
from batchtools import edges, nodes, totals

from netmap.collect import sniff
from netmap.collect.base import CollectOptions, Source
from netmap.collect.feeds import FeedsCollector
from netmap.collect.html import HtmlCollector, parse_page
from netmap.collect.http import Fetcher
from netmap.collect.twitter import TwitterCollector
from netmap.errors import CollectError
from netmap.keys import post_key, url_key
from netmap.model import Batch
from netmap.pipeline import collect as run_collect
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "html"
FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
TWITTER = Path(__file__).resolve().parent.parent / "fixtures" / "twitter"

PAGE = "pamirnotes.wordpress.com/2013/10/12/socseti-debaty"
HOST = "pamirnotes.wordpress.com"


def comment(host: str, n: int | str) -> str:
    return post_key("blog", f"{host}:comment:{n}")


def collect(path: Path, **options) -> list[Batch]:
    return list(HtmlCollector().read(Source.from_path(path), CollectOptions(**options)))


# -- sniffing ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["wp_post.html", "hentry.html", "news_cp1251.html",
                                  "koi8r_nodecl.html", "no_url.html"])
def test_sniff_html(name: str) -> None:
    assert HtmlCollector().sniff(Source.from_path(FIX / name)) == 60


def test_sniff_leaves_feeds_and_json_alone() -> None:
    assert HtmlCollector().sniff(Source.from_path(FEEDS / "wordpress_rss.xml")) == 0
    assert HtmlCollector().sniff(Source.from_path(TWITTER / "pages.jsonl")) == 0
    assert sniff(Source.from_path(FEEDS / "wordpress_rss.xml")).name == "feeds"
    assert sniff(Source.from_path(FEEDS / "not_a_feed.html")).name == "html"
    assert FeedsCollector().sniff(Source.from_path(FIX / "wp_post.html")) == 0
    assert TwitterCollector().sniff(Source.from_path(FIX / "wp_post.html")) == 0


# -- a WordPress post page ---------------------------------------------------------------

def test_wordpress_page_post_author_links_embeds() -> None:
    batches = collect(FIX / "wp_post.html")
    assert totals(batches) == (6, 6, 0)  # the page, 4 comments, 1 pingback
    posts = nodes(batches, "Post")
    page = posts[PAGE]
    assert page["kind"] == "post" and page["platform"] == "blog"
    assert page["title"] == "Соцсети наконец-то стали площадкой для дебатов"
    assert page["created_at"] == "2013-10-12T08:30:00Z"  # JSON-LD over article:published_time
    assert page["lang"] == "ru"
    assert page["url"] == "https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/"
    assert page["text"].startswith("Впервые за все выборы споры о кандидатах")
    assert "Поделиться" not in page["text"] and "Блогролл" not in page["text"]
    assert "Это шум, а не дебаты" not in page["text"]  # comments are not the article

    author = "blog:pamirnotes.wordpress.com/farrukh"
    acc = nodes(batches, "Account")[author]
    assert acc["name"] == "Farrukh" and acc["url"] == "https://pamirnotes.wordpress.com/author/farrukh/"
    assert set(acc["profile_links"]) >= {"https://www.facebook.com/farrukh.pamir",
                                         "https://twitter.com/FarrukhP"}
    assert (author, PAGE) in edges(batches, "AUTHORED")
    assert (PAGE, HOST) in edges(batches, "PUBLISHED_ON")
    assert nodes(batches, "Site")[HOST]["name"] == "Pamir Notes"

    links = {dst for src, dst in edges(batches, "LINKS_TO") if src == PAGE}
    # body links only: no share buttons, sidebar, footer, comment form, mailto or self-links
    assert links == {"ozodi.org/a/25133700.html", "tajikblog.net/2013/10/11/debaty",
                     "pamirnotes.wordpress.com/2013/10/01/kandidaty"}
    assert {t for _, t in edges(batches, "TAGGED")} == {"выборы2013", "таджикистан", "соцсети"}


def test_wordpress_page_embedded_tweet_and_telegram_post() -> None:
    batches = collect(FIX / "wp_post.html")
    tweet = "twitter:389012345678901248"
    tg = "t.me/asiaplus/1234"
    assert edges(batches, "QUOTES") == {(PAGE, tweet), (PAGE, tg)}
    posts = nodes(batches, "Post")
    assert posts[tweet]["platform"] == "twitter"
    assert posts[tweet]["text"] == "Дебаты в сети — это шум, а не политика https://t.co/AbC123"
    assert posts[tweet]["created_at"] == "2013-10-12T12:59:05Z"  # from the snowflake id
    assert posts[tg]["platform"] == "telegram"
    assert ("twitter:dilshod_r", tweet) in edges(batches, "AUTHORED")
    assert ("telegram:asiaplus", tg) in edges(batches, "AUTHORED")
    assert nodes(batches, "Account")["twitter:dilshod_r"]["name"] == "Dilshod R."
    # the embed's own links are the quote, not links of the page
    assert not {d for s, d in edges(batches, "LINKS_TO") if s == PAGE and "twitter.com" in d}


def test_wordpress_page_comments_threaded() -> None:
    batches = collect(FIX / "wp_post.html")
    c = {n: comment(HOST, n) for n in (101, 102, 103, 104)}
    assert edges(batches, "REPLIES_TO") == {
        (c[101], PAGE), (c[102], c[101]), (c[104], c[102]), (c[103], PAGE),
    }
    posts = nodes(batches, "Post")
    assert posts[c[101]]["text"] == "Это шум, а не дебаты. См. новость."
    assert posts[c[101]]["created_at"] == "2013-10-12T09:05:00Z"
    assert posts[c[101]]["kind"] == "comment"
    assert posts[c[104]]["url"].endswith("#comment-104")
    authored = edges(batches, "AUTHORED")
    # a commenter's social profile or blog is that account; otherwise a name on this blog
    assert ("twitter:dilshod_r", c[101]) in authored
    assert ("blog:pamirnotes.wordpress.com/farrukh", c[102]) in authored
    assert ("blog:nigora.livejournal.com", c[104]) in authored
    assert ("blog:pamirnotes.wordpress.com/гость", c[103]) in authored
    acc = nodes(batches, "Account")
    assert acc["twitter:dilshod_r"]["profile_links"] == ["https://twitter.com/Dilshod_R"]
    assert (c[101], "news.tj/ru/node/170000") in edges(batches, "LINKS_TO")
    # the reply button's ?replytocom link is navigation, not a link
    assert not any("replytocom" in d for _, d in edges(batches, "LINKS_TO"))
    # the pingback is the linking post
    ping = "tajikblog.net/2013/10/13/otvet-pamirnotes"
    assert (ping, PAGE) in edges(batches, "LINKS_TO")
    assert posts[ping]["url"] == "http://tajikblog.net/2013/10/13/otvet-pamirnotes/"


def test_page_and_comment_feed_meet_in_one_store(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        report = run_collect(store, "auto", [str(FEEDS / "wp_comments_rss.xml"),
                                             str(FIX / "wp_post.html")])
        assert report.errors == []
        assert [s["format"] for s in report.sources] == ["feeds", "html"]
        posts = store.nodes("Post").set_index("key")
        # the comment read from the feed and from the page is one Post
        assert comment(HOST, 101) in posts.index and comment(HOST, 102) in posts.index
        assert posts.loc[PAGE, "kind"] == "post"
        edges_df = store.edges(["REPLIES_TO"])
        pairs = set(zip(edges_df["src"], edges_df["dst"], strict=True))
        assert (comment(HOST, 102), comment(HOST, 101)) in pairs


def test_batches_split_and_keep_counts() -> None:
    batches = collect(FIX / "wp_post.html", batch_size=2)
    assert len(batches) >= 3
    assert totals(batches) == (6, 6, 0)


# -- microformats2 -------------------------------------------------------------------

def test_hentry_page() -> None:
    batches = collect(FIX / "hentry.html")
    key = "aziz.example.net/2013/11/01/no-boycott"
    posts = nodes(batches, "Post")
    assert posts[key]["title"] == "Why I will not boycott the election"
    assert posts[key]["created_at"] == "2013-11-01T13:00:00Z"
    assert posts[key]["lang"] == "en"
    author = "blog:aziz.example.net/aziz karimov"
    acc = nodes(batches, "Account")[author]
    assert acc["url"] == "https://aziz.example.net/"
    # rel=me identities (in <head> and in the page) are the author's profile links
    assert set(acc["profile_links"]) == {"https://aziz.example.net/", "https://mastodon.social/@aziz",
                                         "https://github.com/aziz"}
    assert (author, key) in edges(batches, "AUTHORED")
    assert {d for s, d in edges(batches, "LINKS_TO") if s == key} == {
        "boycott2013.example.org/manifesto", "t.co/xyz987"}
    # a blockquote linking a Telegram post quotes it
    assert edges(batches, "QUOTES") == {(key, "t.me/asiaplus/1290")}
    assert {t for _, t in edges(batches, "TAGGED")} == {"elections"}

    bob = "bob.example.org/2013/11/02/reply-to-aziz"
    reply = comment("aziz.example.net", "c2")
    anon = [k for k, p in posts.items() if p.get("text") == "Thanks!"][0]
    assert edges(batches, "REPLIES_TO") == {(bob, key), (reply, bob), (anon, key)}
    authored = edges(batches, "AUTHORED")
    assert ("blog:bob.example.org", bob) in authored
    assert ("twitter:azizk", reply) in authored
    assert ("blog:aziz.example.net/anonymous reader", anon) in authored
    assert (reply, "example.com/turnout") in edges(batches, "LINKS_TO")
    # the empty comment is rejected with its place
    assert totals(batches) == (5, 4, 1)
    (rej,) = [r for b in batches for r in b.rejects]
    assert rej.location == "comment 4 (line 42)" and "without text or author" in rej.reason


# -- encodings, news articles ------------------------------------------------------------

def test_cp1251_news_article() -> None:
    batches = collect(FIX / "news_cp1251.html")
    key = "news-tj.example/politics/2013/11/03/boikot.html"
    posts = nodes(batches, "Post")
    assert posts[key]["platform"] == "web"
    assert posts[key]["title"] == "Оппозиция призвала к бойкоту выборов"
    assert posts[key]["created_at"] == "2013-11-03T06:15:00Z"
    assert posts[key]["text"].startswith("Партия заявила о бойкоте.")
    assert ("blog:news-tj.example/зарина саидова", key) in edges(batches, "AUTHORED")
    assert nodes(batches, "Site")["news-tj.example"]["name"] == "Новости Таджикистана"
    assert edges(batches, "QUOTES") == {(key, "twitter:396912345678901234")}
    assert nodes(batches, "Account")["twitter:farhod_tj"]["name"] == "Фарход"
    assert {d for s, d in edges(batches, "LINKS_TO") if s == key} == {"sdpt.example.tj/zayavlenie"}


def test_koi8r_without_declaration() -> None:
    page = parse_page((FIX / "koi8r_nodecl.html").read_bytes(), name="koi8r")
    assert page.encoding == "koi8-r"
    assert page.title == "Дневник избирателя"
    assert page.authors[0].name == "Шамсиддин"
    assert page.platform == "blog"  # a LiveJournal host
    batches = collect(FIX / "koi8r_nodecl.html")
    assert ("shams.livejournal.com/12345.html", PAGE) in edges(batches, "LINKS_TO")
    assert ("blog:shams.livejournal.com/шамсиддин", "shams.livejournal.com/12345.html") in \
        edges(batches, "AUTHORED")


def test_saved_page_without_url_is_refused() -> None:
    with pytest.raises(CollectError, match="names no URL.*collect it by its http"):
        collect(FIX / "no_url.html")


def test_empty_and_binary(tmp_path: Path) -> None:
    empty = tmp_path / "e.html"
    empty.write_bytes(b"  \n")
    with pytest.raises(CollectError, match="empty"):
        collect(empty)


def test_hostile_markup_is_inert(tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    page.write_text(
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<html><head><link rel="canonical" href="https://e.example/p"></head><body><article>'
        + "<div>" * 3000 + "deep &xxe; <a href='javascript:alert(1)'>j</a>"
        + "<a href='https://ok.example/'>ok</a>" + "</div>" * 3000
        + "</article></body></html>", encoding="utf-8")
    batches = collect(page)
    assert totals(batches) == (1, 1, 0)
    text = nodes(batches, "Post")["e.example/p"].get("text") or ""
    assert "root:" not in text
    assert {d for _, d in edges(batches, "LINKS_TO")} <= {"ok.example"}


# -- over HTTP ---------------------------------------------------------------------------

@pytest.fixture
def fetcher(tmp_path: Path) -> Fetcher:
    return Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path / "cache", timeout=5,
                   retries=1)


def test_page_by_url_with_header_charset(httpserver, fetcher, tmp_path: Path) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")
    body = ("<!DOCTYPE html><html><head><title>Страница</title></head><body><article>"
            "<p>Текст <a href='/other'>ссылка</a></p></article></body></html>").encode("cp1251")
    httpserver.expect_request("/2013/11/page").respond_with_data(
        body, content_type="text/html; charset=windows-1251")
    url = httpserver.url_for("/2013/11/page")
    with SQLiteStore(tmp_path / "s.db") as store:
        report = run_collect(store, "html", [url], options=CollectOptions(fetcher=fetcher))
        assert report.errors == [] and (report.read, report.stored) == (1, 1)
        post = store.get_node("Post", url_key(url))
        assert post is not None and post["title"] == "Страница" and post["text"] == "Текст ссылка"
    page = parse_page(body, url=url, declared="windows-1251")
    assert page.encoding == "windows-1251" and page.links == [httpserver.url_for("/other")]


def test_short_links_resolved_on_request(httpserver, fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow:\n")
    port = httpserver.port
    httpserver.expect_request("/s/abc").respond_with_data(
        "", status=301, headers={"Location": f"http://127.0.0.1:{port}/2013/10/article/"})
    html = (f'<!DOCTYPE html><html><head><link rel="canonical" href="https://b.example/p"></head>'
            f'<body><article><a href="http://localhost:{port}/s/abc">short</a></article></body></html>')
    source_path = Path(fetcher.cache_dir).parent / "short.html"
    source_path.write_text(html, encoding="utf-8")
    plain = list(HtmlCollector().read(Source.from_path(source_path), CollectOptions()))
    assert {d for _, d in edges(plain, "LINKS_TO")} == {f"localhost:{port}/s/abc"}
    opts = CollectOptions(fetcher=fetcher, extra={"resolve_short": True, "short_hosts": {"localhost"}})
    resolved = list(HtmlCollector().read(Source.from_path(source_path), opts))
    assert {d for _, d in edges(resolved, "LINKS_TO")} == {f"127.0.0.1:{port}/2013/10/article"}
    assert [r.method for r, _ in httpserver.log if r.path == "/s/abc"] == ["HEAD"]


def test_page_keyed_by_where_redirects_end(httpserver, fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/go/xyz").respond_with_data(
        "", status=301, headers={"Location": "/2013/11/real-page/"})
    httpserver.expect_request("/2013/11/real-page/").respond_with_data(
        "<!DOCTYPE html><html><body><article><p>Без канонической ссылки</p></article></body></html>",
        content_type="text/html; charset=utf-8")
    source = Source.from_url(httpserver.url_for("/go/xyz"), fetcher)
    assert sniff(source).name == "html"
    batches = list(HtmlCollector().read(source, CollectOptions()))
    assert set(nodes(batches, "Post")) == {url_key(httpserver.url_for("/2013/11/real-page/"))}
