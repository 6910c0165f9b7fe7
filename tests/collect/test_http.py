"""The fetcher against real local servers (127.0.0.1 only): pytest-httpserver, and raw
sockets where a server has to misbehave below HTTP (resets, trickling, stalling)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from werkzeug import Response

from netmap.collect.http import Fetcher, FetchError
from netmap.collect.shorturls import SHORTENERS, is_short, resolve_short

ALLOW_ALL = "User-agent: *\nDisallow:\n"


@pytest.fixture
def robots_ok(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data(ALLOW_ALL, content_type="text/plain")
    return httpserver


@pytest.fixture
def fetcher(tmp_path):
    return Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path / "cache", timeout=2,
                   retries=2)


def hits(httpserver, path: str, method: str | None = None) -> int:
    return sum(1 for req, _ in httpserver.log
               if req.path == path and (method is None or req.method == method))


def test_fetch_and_cache(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/feed").respond_with_data("<rss/>", content_type="application/rss+xml")
    r = fetcher.fetch_to_file(httpserver.url_for("/feed"))
    assert r.path.read_bytes() == b"<rss/>" and r.status == 200 and not r.from_cache
    assert r.header("content-type") == "application/rss+xml"
    r2 = fetcher.fetch_to_file(httpserver.url_for("/feed"))
    assert r2.from_cache and r2.headers == r.headers
    assert hits(httpserver, "/feed") == 1  # the second call did not refetch
    # a new fetcher on the same cache does not refetch either
    f2 = Fetcher(allow_private=True, min_delay=0, cache_dir=fetcher.cache_dir)
    assert f2.fetch_to_file(httpserver.url_for("/feed")).from_cache
    assert hits(httpserver, "/feed") == 1


def test_refresh_and_max_age(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/p").respond_with_data("v")
    fetcher.fetch_to_file(httpserver.url_for("/p"))
    fresh = Fetcher(allow_private=True, min_delay=0, cache_dir=fetcher.cache_dir, refresh=True)
    assert not fresh.fetch_to_file(httpserver.url_for("/p")).from_cache
    # refreshed once per fetcher: the same URL again in the same run comes from the cache
    assert fresh.fetch_to_file(httpserver.url_for("/p")).from_cache
    assert hits(httpserver, "/p") == 2
    assert not fetcher.fetch_to_file(httpserver.url_for("/p"), refresh=True).from_cache
    assert hits(httpserver, "/p") == 3
    aged = Fetcher(allow_private=True, min_delay=0, cache_dir=fetcher.cache_dir, cache_max_age=0)
    time.sleep(0.01)
    assert not aged.fetch_to_file(httpserver.url_for("/p")).from_cache
    assert hits(httpserver, "/p") == 4


def test_private_refused_by_default(httpserver, tmp_path):
    f = Fetcher(cache_dir=tmp_path)
    with pytest.raises(FetchError, match="private or loopback"):
        f.fetch_to_file(httpserver.url_for("/x"))
    assert httpserver.log == []
    assert f.failures and "private or loopback" in f.failures[0][1]


def test_retry_after_429(robots_ok, fetcher):
    httpserver = robots_ok
    calls = {"n": 0}

    def handler(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response("ok")

    httpserver.expect_request("/r").respond_with_handler(handler)
    t0 = time.monotonic()
    r = fetcher.fetch_to_file(httpserver.url_for("/r"))
    assert r.path.read_text() == "ok"
    assert time.monotonic() - t0 >= 0.9  # honoured Retry-After
    assert calls["n"] == 2


def test_5xx_bounded(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/boom").respond_with_data("no", status=503)
    with pytest.raises(FetchError, match="503"):
        fetcher.fetch_to_file(httpserver.url_for("/boom"))
    assert hits(httpserver, "/boom") == 3  # one try plus two retries
    assert fetcher.failures == [(httpserver.url_for("/boom"), fetcher.failures[0][1])]


def test_4xx_not_retried_unless_accepted(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.fetch_to_file(httpserver.url_for("/gone"))
    assert hits(httpserver, "/gone") == 1
    httpserver.expect_request("/bad").respond_with_json({"code": "rest_post_invalid_page_number"},
                                                        status=400)
    r = fetcher.fetch_to_file(httpserver.url_for("/bad"), accept_status={400})
    assert r.status == 400 and b"rest_post_invalid_page_number" in r.path.read_bytes()
    # error bodies are not cached
    assert not fetcher.fetch_to_file(httpserver.url_for("/bad"), accept_status={400}).from_cache
    assert hits(httpserver, "/bad") == 2


def test_redirect_loop(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect"):
        fetcher.fetch_to_file(httpserver.url_for("/a"))
    assert hits(httpserver, "/a") == 1 and hits(httpserver, "/b") == 1


def test_redirect_followed(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("here")
    r = fetcher.fetch_to_file(httpserver.url_for("/old"))
    assert r.final_url == httpserver.url_for("/new") and r.path.read_text() == "here"


def test_redirect_to_file_scheme_refused(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/f").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="non-http"):
        fetcher.fetch_to_file(httpserver.url_for("/f"))


def test_size_cap(robots_ok, tmp_path):
    httpserver = robots_ok
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, max_bytes=1000)
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(FetchError, match="cap"):
        f.fetch_to_file(httpserver.url_for("/big"))
    assert not list(tmp_path.rglob("*.body")) and not list(tmp_path.rglob("*.part"))


def test_only_http(fetcher):
    with pytest.raises(FetchError, match="only http"):
        fetcher.fetch_to_file("file:///etc/passwd")


def test_unreachable(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=1, timeout=1)
    t0 = time.monotonic()
    with pytest.raises(FetchError, match=f"127.0.0.1:{port}"):
        f.fetch_to_file(f"http://127.0.0.1:{port}/x")
    assert time.monotonic() - t0 < 10
    f2 = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=1, timeout=1,
                 robots=False)
    with pytest.raises(FetchError, match=r"refused.*after 2 tries"):
        f2.fetch_to_file(f"http://127.0.0.1:{port}/x")


# -- content types ----------------------------------------------------------------

def test_wrong_content_type(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/api").respond_with_data("<html></html>",
                                                        content_type="text/html; charset=UTF-8")
    url = httpserver.url_for("/api")
    with pytest.raises(FetchError, match=r"'text/html; charset=UTF-8'.*expected application/json"):
        fetcher.fetch_to_file(url, expect=["application/json"])
    assert httpserver.log[-1][0].headers["Accept"] == "application/json"
    # what matched the wildcard types is fetched (and then cached) ...
    assert fetcher.fetch_to_file(url, expect=["application/json", "text/*"]).status == 200
    # ... and a cached body of the wrong type is refused just the same
    with pytest.raises(FetchError, match="unexpected content type"):
        fetcher.fetch_to_file(url, expect=["+json"])
    httpserver.expect_request("/ld").respond_with_data("{}", content_type="application/ld+json")
    assert fetcher.fetch_to_file(httpserver.url_for("/ld"), expect=["+json"]).status == 200


# -- robots.txt ---------------------------------------------------------------------

ROBOTS = """\
# a WordPress-like robots.txt
User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Disallow: /*?replytocom=
Disallow: /*.pdf$

User-agent: otherbot
Disallow: /

User-agent: netmap
Disallow: /no-netmap/
Crawl-delay: 1
"""


def test_robots_rules(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS, content_type="text/plain")
    httpserver.expect_request("/").respond_with_data("page")
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, robots=True)
    base = httpserver.url_for("/")
    # the netmap group applies to us, not the * group
    assert not f.allowed(base + "no-netmap/x")
    assert f.allowed(base + "wp-admin/")
    rp = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path,
                 user_agent="somebot/1.0")
    assert not rp.allowed(base + "wp-admin/options.php")
    assert rp.allowed(base + "wp-admin/admin-ajax.php")  # the longer Allow wins
    assert not rp.allowed(base + "2013/10/post/?replytocom=7")  # wildcard
    assert rp.allowed(base + "2013/10/post/")
    assert not rp.allowed(base + "files/report.pdf")
    assert rp.allowed(base + "files/report.pdf?download=1")  # '$' anchors the end
    assert rp.allowed(base + "robots.txt")
    assert hits(httpserver, "/robots.txt") == 2  # once per fetcher and host


def test_robots_disallow_blocks_fetch(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS)
    httpserver.expect_request("/no-netmap/secret").respond_with_data("nope")
    httpserver.expect_request("/ok").respond_with_data("fine")
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path)
    url = httpserver.url_for("/no-netmap/secret")
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        f.fetch_to_file(url)
    assert hits(httpserver, "/no-netmap/secret") == 0
    assert f.failures == [(url, f"{url}: disallowed by robots.txt")]
    # Crawl-delay: 1 in our group spaces requests to the host
    t0 = time.monotonic()
    f.fetch_to_file(httpserver.url_for("/ok"))
    f.fetch_to_file(httpserver.url_for("/ok"), refresh=True)
    assert time.monotonic() - t0 >= 0.9
    # robots off: the user's decision
    f_off = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, robots=False)
    assert f_off.fetch_to_file(url).path.read_text() == "nope"


def test_robots_redirect_to_disallowed_target(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS)
    httpserver.expect_request("/go").respond_with_data("", status=302,
                                                       headers={"Location": "/no-netmap/x"})
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path)
    with pytest.raises(FetchError, match="no-netmap/x: disallowed by robots.txt"):
        f.fetch_to_file(httpserver.url_for("/go"))
    assert hits(httpserver, "/no-netmap/x") == 0


def test_robots_404_allows_all(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data("not here", status=404)
    httpserver.expect_request("/anything").respond_with_data("yes")
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path)
    assert f.fetch_to_file(httpserver.url_for("/anything")).path.read_text() == "yes"


def test_robots_5xx_means_try_later(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    httpserver.expect_request("/page").respond_with_data("page")
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=1)
    with pytest.raises(FetchError, match=r"robots.txt .* unreachable \(HTTP 503.*try later"):
        f.fetch_to_file(httpserver.url_for("/page"))
    with pytest.raises(FetchError, match="unreachable"):
        f.fetch_to_file(httpserver.url_for("/page"))
    assert hits(httpserver, "/page") == 0
    assert hits(httpserver, "/robots.txt") == 2  # one try + one retry, then remembered


# -- misbehaving servers (raw sockets) ------------------------------------------------

class RawServer:
    """A TCP server on 127.0.0.1 whose handler gets each accepted socket (one at a time)."""

    def __init__(self, handler: Callable[[socket.socket, int], None]) -> None:
        self.handler = handler
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "/x") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.settimeout(10)
            try:
                conn.recv(65536)  # the request
                self.handler(conn, self.connections)
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, int], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Callable[[socket.socket, int], None]) -> RawServer:
        srv = RawServer(handler)
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.close()


def _reset(conn: socket.socket) -> None:
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()


HEAD_1000 = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"


def test_connection_reset_mid_body_is_retried(raw_server, tmp_path):
    def handler(conn: socket.socket, n: int) -> None:
        if n == 1:
            conn.sendall(HEAD_1000 + b"a" * 100)
            time.sleep(0.05)
            _reset(conn)
        else:
            conn.sendall(HEAD_1000 + b"a" * 1000)

    srv = raw_server(handler)
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=2, timeout=2,
                robots=False)
    r = f.fetch_to_file(srv.url())
    assert r.path.read_bytes() == b"a" * 1000
    assert srv.connections == 2


def test_connection_reset_every_time(raw_server, tmp_path):
    def handler(conn: socket.socket, n: int) -> None:
        conn.sendall(HEAD_1000 + b"a" * 100)
        time.sleep(0.05)
        _reset(conn)

    srv = raw_server(handler)
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=1, timeout=2,
                robots=False)
    with pytest.raises(FetchError, match=r"mid-body.*after 2 tries"):
        f.fetch_to_file(srv.url())
    assert srv.connections == 2
    assert not list(tmp_path.rglob("*.body"))  # nothing half-written is cached


def test_truncated_body_is_not_cached(raw_server, tmp_path):
    def handler(conn: socket.socket, n: int) -> None:
        conn.sendall(HEAD_1000 + b"a" * 10)  # then a clean close: 990 bytes missing

    srv = raw_server(handler)
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=1, timeout=2,
                robots=False)
    with pytest.raises(FetchError, match=r"closed mid-body \(10 of 1000 bytes\)"):
        f.fetch_to_file(srv.url())
    assert not list(tmp_path.rglob("*.body"))


def test_trickling_body_hits_the_deadline(raw_server, tmp_path):
    stop = threading.Event()

    def handler(conn: socket.socket, n: int) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while not stop.is_set():  # a byte every 0.1 s: each read is well inside the timeout
            conn.sendall(b"x")
            time.sleep(0.1)

    srv = raw_server(handler)
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=2, timeout=1,
                deadline=1.5, robots=False)
    t0 = time.monotonic()
    try:
        with pytest.raises(FetchError, match="too slow"):
            f.fetch_to_file(srv.url())
    finally:
        stop.set()
    assert time.monotonic() - t0 < 4
    assert srv.connections == 1  # a slow body is not retried


def test_stalled_server_times_out_per_read(raw_server, tmp_path):
    stop = threading.Event()

    def handler(conn: socket.socket, n: int) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
        stop.wait(10)  # then silence

    srv = raw_server(handler)
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=0, timeout=0.5,
                deadline=60, robots=False)
    t0 = time.monotonic()
    try:
        with pytest.raises(FetchError, match="timed out"):
            f.fetch_to_file(srv.url())
    finally:
        stop.set()
    assert time.monotonic() - t0 < 3


def test_progress_hook(robots_ok, tmp_path):
    httpserver = robots_ok
    httpserver.expect_request("/data").respond_with_data(b"y" * 200_000)
    seen: list[tuple[str, int, int | None]] = []
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path,
                progress=lambda url, got, total: seen.append((url, got, total)))
    f.fetch_to_file(httpserver.url_for("/data"))
    url = httpserver.url_for("/data")
    assert seen[0] == (url, 0, 200_000) and seen[-1] == (url, 200_000, 200_000)
    assert [g for _, g, _ in seen] == sorted(g for _, g, _ in seen)
    per_call: list[int] = []
    f.fetch_to_file(url, refresh=True, progress=lambda u, g, t: per_call.append(g))
    assert per_call[-1] == 200_000


# -- redirects without bodies, short links -------------------------------------------

def test_resolve_redirects_uses_head(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/s1").respond_with_data("", status=301, headers={"Location": "/s2"})
    httpserver.expect_request("/s2").respond_with_data("", status=302,
                                                       headers={"Location": "/article?id=1"})
    httpserver.expect_request("/article").respond_with_data("x" * 10_000)
    final = fetcher.resolve_redirects(httpserver.url_for("/s1"))
    assert final == httpserver.url_for("/article?id=1")
    assert {req.method for req, _ in httpserver.log if req.path != "/robots.txt"} == {"HEAD"}
    n = len(httpserver.log)
    assert fetcher.resolve_redirects(httpserver.url_for("/s1")) == final  # cached
    assert len(httpserver.log) == n


def test_resolve_redirects_head_refused_falls_back_to_get(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/h", method="HEAD").respond_with_data("", status=405)
    httpserver.expect_request("/h", method="GET").respond_with_data(
        "", status=301, headers={"Location": "https://example.org/post"})
    assert fetcher.resolve_redirects(httpserver.url_for("/h"),
                                     follow=lambda u: "127.0.0.1" in u or "localhost" in u
                                     ) == "https://example.org/post"
    assert hits(httpserver, "/h", "GET") == 1


def test_resolve_redirects_loop_and_bad_scheme(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/l1").respond_with_data("", status=302, headers={"Location": "/l2"})
    httpserver.expect_request("/l2").respond_with_data("", status=302, headers={"Location": "/l1"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.resolve_redirects(httpserver.url_for("/l1"))
    httpserver.expect_request("/js").respond_with_data(
        "", status=302, headers={"Location": "javascript:alert(1)"})
    with pytest.raises(FetchError, match="non-http"):
        fetcher.resolve_redirects(httpserver.url_for("/js"))
    assert [u for u, _ in fetcher.failures] == [httpserver.url_for("/l1"), httpserver.url_for("/js")]


def test_is_short():
    assert is_short("https://t.co/AbC123")
    assert is_short("http://bit.ly/1aB2c3")
    assert is_short("https://www.bit.ly/x")
    assert is_short("https://vk.cc/abc") and is_short("https://clck.ru/xyz")
    assert is_short("https://goo.gl/maps/xyz") and is_short("https://tinyurl.com/y7x")
    assert not is_short("https://t.co/")  # no code: not a short link
    assert not is_short("https://twitter.com/user/status/1")
    assert not is_short("https://pamirnotes.wordpress.com/2013/10/12/post/")
    assert not is_short("ftp://bit.ly/x") and not is_short("not a url")
    assert {"t.co", "bit.ly", "goo.gl", "ow.ly", "tinyurl.com", "vk.cc", "clck.ru", "buff.ly",
            "dlvr.it", "ift.tt", "fb.me"} <= SHORTENERS


def test_resolve_short_chain_stops_at_first_real_url(robots_ok, fetcher):
    httpserver = robots_ok
    short = httpserver.url_for("/abc")  # on "localhost": treated as a shortener below
    port = httpserver.port
    httpserver.expect_request("/abc").respond_with_data(
        "", status=301, headers={"Location": f"http://localhost:{port}/def"})
    httpserver.expect_request("/def").respond_with_data(
        "", status=301, headers={"Location": f"http://127.0.0.1:{port}/2013/10/post/"})
    httpserver.expect_request("/2013/10/post/").respond_with_data("the article")
    hosts = {"localhost"}
    assert resolve_short(short, fetcher, hosts=hosts) == f"http://127.0.0.1:{port}/2013/10/post/"
    # the article itself was never requested: only the short hops were
    assert hits(httpserver, "/2013/10/post/") == 0
    assert hits(httpserver, "/abc", "HEAD") == 1 and hits(httpserver, "/def", "HEAD") == 1
    # not a short link: returned as it is, no request
    n = len(httpserver.log)
    assert resolve_short("https://example.org/a", fetcher) == "https://example.org/a"
    assert len(httpserver.log) == n


def test_resolve_short_failure_keeps_the_url(robots_ok, fetcher):
    httpserver = robots_ok
    httpserver.expect_request("/dead").respond_with_data("", status=404)
    url = httpserver.url_for("/dead")
    assert resolve_short(url, fetcher, hosts={"localhost"}) == url
    assert fetcher.failures and fetcher.failures[-1][0] == url
    # bounded hops: an endless chain of short links gives up
    httpserver.expect_request("/hop").respond_with_handler(
        lambda req: Response("", status=302,
                             headers={"Location": f"/hop?n={int(req.args.get('n', 0)) + 1}"}))
    start = httpserver.url_for("/hop")
    assert resolve_short(start, fetcher, hosts={"localhost"}, max_hops=4) == start
    assert hits(httpserver, "/hop") == 5
