"""The wordpress collector: saved REST API JSON, and a live crawl of a fake WordPress API
served by pytest-httpserver on 127.0.0.1."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from batchtools import edges, nodes, rejects, totals
from werkzeug import Request, Response

from netmap.collect import sniff
from netmap.collect.base import CollectOptions, Source
from netmap.collect.http import Fetcher
from netmap.collect.wordpress import WordPressCollector, api_root, endpoint_url
from netmap.errors import CollectError
from netmap.keys import post_key
from netmap.model import Batch
from netmap.pipeline import collect as run_collect
from netmap.store.sqlite import SQLiteStore

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "wordpress"
FIXTURES = FIX.parent
HOST = "dushanbe-diary.example"
P57 = f"{HOST}/2013/11/04/boycott-or-vote"
P41 = f"{HOST}/2013/11/01/first"


def comment(n: int) -> str:
    return post_key("blog", f"{HOST}:comment:{n}")


def read(path: Path | Source, **options) -> list[Batch]:
    source = path if isinstance(path, Source) else Source.from_path(path)
    return list(WordPressCollector().read(source, CollectOptions(**options)))


# -- API addresses ---------------------------------------------------------------------

def test_api_root_and_endpoints() -> None:
    assert api_root("https://blog.example/") == "https://blog.example/wp-json/"
    assert api_root("https://blog.example/wp-json/wp/v2/posts?page=2") == "https://blog.example/wp-json/"
    assert api_root("https://e.example/blog/wp-json/wp/v2/comments") == "https://e.example/blog/wp-json/"
    assert api_root("https://blog.example/?rest_route=/wp/v2/posts") == "https://blog.example/?rest_route=/"
    html = b'<html><head><link rel="https://api.w.org/" href="https://e.example/blog/wp-json/"></head></html>'
    assert api_root("https://e.example/blog/", html) == "https://e.example/blog/wp-json/"
    assert endpoint_url("https://b.example/wp-json/", "wp/v2/posts", {"per_page": 100, "page": 2}) == \
        "https://b.example/wp-json/wp/v2/posts?per_page=100&page=2"
    assert endpoint_url("https://b.example/?rest_route=/", "wp/v2/posts", {"page": 2}) == \
        "https://b.example/?rest_route=/wp/v2/posts&page=2"


# -- saved JSON ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "score"), [("posts.json", 85), ("comments.json", 85),
                                             ("users.json", 70), ("appended_pages.json", 85)])
def test_sniff_saved_json(name: str, score: int) -> None:
    assert WordPressCollector().sniff(Source.from_path(FIX / name)) == score
    assert sniff(Source.from_path(FIX / name)).name == "wordpress"


@pytest.mark.parametrize("path", ["twitter/pages.jsonl", "mastodon/timeline.json",
                                  "vk/wall_get.json", "html/wp_post.html", "feeds/wordpress_rss.xml"])
def test_sniff_leaves_other_formats_alone(path: str) -> None:
    assert WordPressCollector().sniff(Source.from_path(FIXTURES / path)) == 0


def test_saved_posts() -> None:
    batches = read(FIX / "posts.json")
    assert totals(batches) == (2, 2, 0)
    posts = nodes(batches, "Post")
    p = posts[P57]
    assert p["title"] == "Бойкот или голосование? — спор в сети"  # entities decoded, tags gone
    assert p["created_at"] == "2013-11-04T09:10:00Z"  # date_gmt, not the local date
    assert p["kind"] == "post" and p["platform"] == "blog" and p["wp_id"] == 57
    assert p["text"].startswith("Призывы к бойкоту звучат всё громче")
    assert {d for s, d in edges(batches, "LINKS_TO") if s == P57} == {
        "boycott2013.example.org/manifesto", "pamirnotes.wordpress.com/2013/10/12/socseti-debaty",
        P41}
    assert edges(batches, "QUOTES") == {(P57, "twitter:397312345678901234"),
                                        (P41, "t.me/asiaplus/1201")}
    # no users in the file: the blog as a whole is the author
    assert edges(batches, "AUTHORED") >= {(f"blog:{HOST}", P57), (f"blog:{HOST}", P41)}
    assert (P57, HOST) in edges(batches, "PUBLISHED_ON")


def test_saved_tags_and_categories_name_the_posts_tags(tmp_path: Path) -> None:
    # /wp/v2/tags and /categories pages saved beside the posts: context, not users or records
    post = {"id": 57, "date_gmt": "2013-11-04T09:10:00", "guid": {"rendered": f"https://{HOST}/?p=57"},
            "link": f"https://{HOST}/2013/11/04/x/", "title": {"rendered": "T"},
            "content": {"rendered": "<p>hi</p>"}, "author": 2, "tags": [7], "categories": [3]}
    tags = [{"id": 7, "count": 3, "link": f"https://{HOST}/tag/vybory/", "name": "выборы2013",
             "slug": "vybory", "taxonomy": "post_tag"}]
    cats = [{"id": 3, "count": 9, "link": f"https://{HOST}/category/politics/",
             "name": "Политика", "slug": "politics", "taxonomy": "category", "parent": 0}]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in ([post], tags, cats)),
                    encoding="utf-8")
    batches = read(path)
    assert totals(batches) == (1, 1, 0)
    assert not any(k.endswith("выборы2013") for k in nodes(batches, "Account"))
    tagged = {d for _, d in edges(batches, "TAGGED")}
    assert "выборы2013" in tagged


def test_saved_comments_threaded_with_commenters() -> None:
    batches = read(FIX / "comments.json")  # escaped the way WordPress writes JSON
    assert totals(batches) == (5, 5, 0)
    assert edges(batches, "REPLIES_TO") == {
        (comment(310), P57), (comment(311), comment(310)), (comment(312), comment(311)),
        (comment(313), P41),  # the post from the link, without its comment-page-1/
    }
    authored = edges(batches, "AUTHORED")
    assert ("twitter:dilshod_r", comment(310)) in authored
    assert (f"blog:{HOST}/гулнора", comment(311)) in authored
    assert ("blog:nigora.livejournal.com", comment(312)) in authored
    assert (f"blog:{HOST}/гость", comment(313)) in authored
    acc = nodes(batches, "Account")
    assert acc["twitter:dilshod_r"]["profile_links"] == ["https://twitter.com/Dilshod_R"]
    posts = nodes(batches, "Post")
    assert posts[comment(310)]["text"] == "Бойкот — единственный честный ответ. Вот почему."
    assert posts[comment(310)]["created_at"] == "2013-11-04T10:00:00Z"
    assert (comment(310), "news.tj/ru/node/171000") in edges(batches, "LINKS_TO")
    # the pingback is the linking post
    assert ("tajikblog.net/2013/11/05/otvet", P57) in edges(batches, "LINKS_TO")


def test_saved_users_and_appended_pages() -> None:
    users = read(FIX / "users.json")
    assert totals(users) == (2, 2, 0)
    acc = nodes(users, "Account")[f"blog:{HOST}/гулнора"]
    assert acc["handle"] == "gulnora" and acc["url"] == f"https://{HOST}/author/gulnora/"
    assert acc["profile_links"] == [f"https://{HOST}/author/gulnora/", "https://gulnora.example.net"]

    batches = read(FIX / "appended_pages.json")
    assert totals(batches) == (2, 2, 0)
    # the second page was saved with _embed: its author and category come along
    assert (f"blog:{HOST}/рустам н.", P41) in edges(batches, "AUTHORED")
    assert (P41, "выборы") in edges(batches, "TAGGED")


def test_saved_broken_and_bad_records() -> None:
    batches = read(FIX / "broken.json")
    assert totals(batches) == (2, 1, 1)
    (rej,) = rejects(batches)
    assert rej.location == "line 2" and "invalid JSON" in rej.reason

    batches = read(FIX / "bad_records.json")
    assert totals(batches) == (4, 2, 2)
    reasons = {r.location: r.reason for r in rejects(batches)}
    assert reasons == {"line 1 item 2": "not a WordPress post, comment or user object",
                       "line 1 item 3": "post has neither a link nor a guid URL"}


def test_not_wordpress(tmp_path: Path) -> None:
    other = tmp_path / "x.json"
    other.write_text('[{"a": 1}]')
    with pytest.raises(CollectError, match="no WordPress post, comment or user objects"):
        read(other)
    with pytest.raises(CollectError, match="give the site's URL"):
        read(FIXTURES / "html" / "wp_post.html")


def test_saved_dumps_meet_in_one_store(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        report = run_collect(store, "auto", [str(FIX / "users.json"), str(FIX / "posts.json"),
                                             str(FIX / "comments.json")])
        assert report.errors == [] and report.rejected == 0
        posts = store.nodes("Post").set_index("key")
        assert posts.loc[comment(311), "kind"] == "comment"
        assert posts.loc[P57, "wp_id"] == 57


# -- a live crawl of a fake WordPress ------------------------------------------------------

def _load(name: str) -> list[dict]:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


class FakeWordPress:
    """Just enough of the WordPress REST API, with its pagination behaviour."""

    def __init__(self, *, users_status: int = 200, post_page_2_status: int = 200) -> None:
        self.posts = _load("posts.json")
        self.comments = _load("comments.json")
        self.users = _load("users.json")
        self.users_status = users_status
        self.post_page_2_status = post_page_2_status
        self.requests: list[tuple[str, dict]] = []

    def api(self, route: str, args: dict) -> Response:
        self.requests.append((route, dict(args)))
        page = int(args.get("page", 1))

        def listing(items: list, per: int, total_header: bool = True) -> Response:
            pages = max(1, -(-len(items) // per))
            if page > pages:
                return Response(json.dumps({"code": "rest_post_invalid_page_number",
                                            "message": "The page number requested is larger than the number of pages available.",
                                            "data": {"status": 400}}),
                                status=400, content_type="application/json; charset=UTF-8")
            headers = {"X-WP-Total": str(len(items))}
            if total_header:
                headers["X-WP-TotalPages"] = str(pages)
            chunk = items[(page - 1) * per: page * per]
            return Response(json.dumps(chunk), headers=headers,
                            content_type="application/json; charset=UTF-8")

        if route in ("", "/"):
            return Response(json.dumps({"name": "Dushanbe Diary", "description": "Заметки",
                                        "url": f"https://{HOST}", "home": f"https://{HOST}",
                                        "namespaces": ["wp/v2"]}),
                            content_type="application/json")
        if route == "/wp/v2/users":
            if self.users_status != 200:
                return Response(json.dumps({"code": "rest_user_cannot_view", "message": "Sorry",
                                            "data": {"status": 401}}), status=self.users_status,
                                content_type="application/json")
            return listing(self.users, 100)
        if route == "/wp/v2/categories":
            return listing([{"id": 3, "name": "Выборы"}], 100)
        if route == "/wp/v2/tags":
            return listing([{"id": 7, "name": "бойкот"}, {"id": 8, "name": "выборы2013"}], 100)
        if route == "/wp/v2/posts":
            if page == 2 and self.post_page_2_status != 200:
                return Response("oops", status=self.post_page_2_status)
            posts = self.posts
            if args.get("_embed") == "author":
                posts = [dict(p, _embedded={"author": [u for u in self.users if u["id"] == p["author"]]})
                         for p in posts]
            return listing(posts, 1)  # one post per page: two pages
        if route == "/wp/v2/comments":
            # no X-WP-TotalPages: the end shows as WordPress's 400 on page 2
            return listing(self.comments, 100, total_header=False)
        return Response(json.dumps({"code": "rest_no_route"}), status=404,
                        content_type="application/json")


def serve(httpserver, wp: FakeWordPress, *, pretty: bool = True) -> str:
    base = httpserver.url_for("/")
    root = base + "wp-json/" if pretty else base + "?rest_route=/"
    home = (f'<!DOCTYPE html><html><head><title>Dushanbe Diary</title>'
            f'<link rel="https://api.w.org/" href="{root}"></head><body>Home</body></html>')
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n")

    def wp_json(request: Request) -> Response:
        return wp.api(request.path[len("/wp-json"):], request.args)

    def front(request: Request) -> Response:
        if "rest_route" in request.args:
            args = {k: v for k, v in request.args.items() if k != "rest_route"}
            return wp.api(request.args["rest_route"], args)
        return Response(home, content_type="text/html; charset=UTF-8")

    httpserver.expect_request(re.compile(r"^/wp-json/.*")).respond_with_handler(wp_json)
    httpserver.expect_request("/").respond_with_handler(front)
    return base


@pytest.fixture
def fetcher(tmp_path: Path) -> Fetcher:
    return Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path / "cache", timeout=5,
                   retries=1)


def check_crawl(batches: list[Batch]) -> None:
    assert totals(batches) == (7, 7, 0)  # 2 posts + 5 comments; users and terms are context
    posts = nodes(batches, "Post")
    assert set(posts) >= {P57, P41, comment(310), comment(311), comment(312), comment(313)}
    authored = edges(batches, "AUTHORED")
    gulnora = f"blog:{HOST}/гулнора"
    assert (gulnora, P57) in authored and (f"blog:{HOST}/рустам н.", P41) in authored
    # the registered user commenting is the same account as the post author
    assert (gulnora, comment(311)) in authored
    acc = nodes(batches, "Account")[gulnora]
    assert acc["handle"] == "gulnora" and "https://gulnora.example.net" in acc["profile_links"]
    assert nodes(batches, "Site")[HOST]["name"] == "Dushanbe Diary"
    assert (comment(312), comment(311)) in edges(batches, "REPLIES_TO")
    assert {t for s, t in edges(batches, "TAGGED") if s == P57} == {"выборы", "бойкот", "выборы2013"}


def test_crawl_site_url_through_the_pipeline(httpserver, fetcher, tmp_path: Path) -> None:
    wp = FakeWordPress()
    base = serve(httpserver, wp)
    with SQLiteStore(tmp_path / "s.db") as store:
        report = run_collect(store, "wordpress", [base], options=CollectOptions(fetcher=fetcher))
        assert report.errors == [] and (report.read, report.stored, report.rejected) == (7, 7, 0)
        assert store.get_node("Post", P57)["title"] == "Бойкот или голосование? — спор в сети"
    routes = [(r, a.get("page")) for r, a in wp.requests]
    assert ("/wp/v2/posts", "1") in routes and ("/wp/v2/posts", "2") in routes
    assert ("/wp/v2/posts", "3") not in routes  # X-WP-TotalPages said 2
    assert ("/wp/v2/comments", "2") in routes  # answered 400 rest_..._invalid_page_number
    assert all(a.get("per_page") == "100" for r, a in wp.requests if r.startswith("/wp/v2/"))
    assert any(req.path == "/robots.txt" for req, _ in httpserver.log)

    # a re-run is served from the fetcher's cache; only the end-of-list answer (a 400,
    # never cached: a busy blog grows) is asked again
    n = len(httpserver.log)
    batches = read(Source.from_url(base, fetcher), fetcher=fetcher)
    check_crawl(batches)
    assert [(r.path, r.args.get("page")) for r, _ in httpserver.log[n:]] == [
        ("/wp-json/wp/v2/comments", "2")]


def test_crawl_rest_route_site(httpserver, fetcher) -> None:
    wp = FakeWordPress()
    base = serve(httpserver, wp, pretty=False)
    batches = read(Source.from_url(base, fetcher), fetcher=fetcher)
    check_crawl(batches)
    assert any(req.path == "/" and req.args.get("rest_route") == "/wp/v2/posts"
               for req, _ in httpserver.log)


def test_crawl_from_an_api_url_and_auto(httpserver, fetcher) -> None:
    wp = FakeWordPress()
    base = serve(httpserver, wp)
    source = Source.from_url(base + "wp-json/wp/v2/posts", fetcher)
    assert sniff(source).name == "wordpress"
    check_crawl(read(source, fetcher=fetcher))


def test_crawl_users_blocked_and_failed_page(httpserver, fetcher) -> None:
    wp = FakeWordPress(users_status=401, post_page_2_status=404)
    base = serve(httpserver, wp)
    batches = read(Source.from_url(base, fetcher), fetcher=fetcher,
                   extra={"after": "2013-10-01", "before": "2013-11-30T00:00:00Z"})
    # posts page 2 failed: one reject naming it; comments still crawled
    assert totals(batches) == (7, 6, 1)
    (rej,) = rejects(batches)
    assert rej.location == "posts page 2" and "HTTP 404" in rej.reason
    assert "wp/v2/posts" in rej.excerpt
    # /users refused: posts were asked with _embed=author, so the author is still named
    post_args = [a for r, a in wp.requests if r == "/wp/v2/posts"]
    assert all(a.get("_embed") == "author" for a in post_args)
    assert all(a.get("after") == "2013-10-01T00:00:00Z" and a.get("before") == "2013-11-30T00:00:00Z"
               for r, a in wp.requests if r in ("/wp/v2/posts", "/wp/v2/comments"))
    assert (f"blog:{HOST}/гулнора", P57) in edges(batches, "AUTHORED")
    assert any("401" in reason for _url, reason in fetcher.failures)


def test_crawl_of_a_site_without_the_api(httpserver, fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/").respond_with_data("<html><body>not wordpress</body></html>",
                                                     content_type="text/html")
    httpserver.expect_request("/wp-json/").respond_with_data("nope", status=404)
    with pytest.raises(CollectError, match="no WordPress REST API"):
        read(Source.from_url(httpserver.url_for("/"), fetcher), fetcher=fetcher)


def test_crawl_refuses_private_addresses_by_default(httpserver, tmp_path: Path) -> None:
    wp = FakeWordPress()
    base = serve(httpserver, wp)
    page = tmp_path / "home.html"
    page.write_text(f'<html><head><link rel="https://api.w.org/" href="{base}wp-json/"></head></html>')
    source = Source(base, page, url=base)  # as if the home page came from elsewhere
    batches = read(source, extra={}, fetcher=Fetcher(cache_dir=tmp_path / "c", min_delay=0))
    # every API page is refused: the posts and comments listings are rejected, nothing fetched
    assert [r.location for r in rejects(batches)] == ["posts page 1", "comments page 1"]
    assert all("private or loopback" in r.reason for r in rejects(batches))
    assert wp.requests == []
    assert urlsplit(base).hostname in ("localhost", "127.0.0.1")
