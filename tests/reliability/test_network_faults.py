"""Network faults from a real server on 127.0.0.1, through ``netmap collect feeds URL`` and the
:class:`~netmap.collect.http.Fetcher` API: bounded time, bounded retries, a clear report."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug import Response

from netmap.collect.http import Fetcher, FetchError

from .conftest import run_netmap

FEED = (b'<rss version="2.0"><channel><title>B</title><link>https://b.example.org/</link>'
        b'<item><title>P</title><link>https://b.example.org/p</link></item></channel></rss>')


class RawServer:
    """A socket server on 127.0.0.1 whose handler gets each accepted connection."""

    def __init__(self, handler: Callable[[socket.socket], None]) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.handler = handler
        self.stop = threading.Event()
        self.connections = 0  # not counting robots.txt requests
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            head = conn.recv(65536)
            if head.split(b"\r\n", 1)[0].split(b" ")[1:2] == [b"/robots.txt"]:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            self.connections += 1
            self.handler(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], RawServer]]:
    servers: list[RawServer] = []

    def make(handler: Callable[[socket.socket], None]) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def fetcher(**kwargs: object) -> Fetcher:
    """A Fetcher for tests: no robots.txt round trip where this Fetcher knows that option."""
    import inspect

    params = inspect.signature(Fetcher).parameters
    if "robots" in params:
        kwargs.setdefault("robots", False)
    return Fetcher(**{k: v for k, v in kwargs.items() if k in params})  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _robots_absent(httpserver) -> None:
    # No robots.txt (404) means no rules; pytest-httpserver would answer 500 otherwise.
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)


def page_hits(httpserver) -> int:
    return sum(1 for req, _ in httpserver.log if req.path != "/robots.txt")


def collect_url(url: str, tmp_path: Path, *extra: str, timeout: float = 60):
    t0 = time.monotonic()
    proc = run_netmap(["--store", str(tmp_path / "s.db"), "collect", "feeds", url,
                       "--rejects", str(tmp_path / "r.csv"), "--format", "json", *extra],
                      timeout=timeout)
    return proc, time.monotonic() - t0


def test_5xx_storm_bounded_retries(httpserver, tmp_path: Path):
    httpserver.expect_request("/feed").respond_with_data("down", status=503)
    url = httpserver.url_for("/feed")
    proc, seconds = collect_url(url, tmp_path, "--allow-private")
    assert proc.returncode == 1
    assert url in proc.stderr and "503" in proc.stderr
    assert 2 <= page_hits(httpserver) <= 4  # the first try plus at most three retries
    assert seconds < 30


def test_429_honours_retry_after_then_succeeds(httpserver, tmp_path: Path):
    hits: list[float] = []

    def handler(request):
        hits.append(time.monotonic())
        if len(hits) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "2"})
        return Response(FEED, content_type="application/rss+xml")

    httpserver.expect_request("/feed").respond_with_handler(handler)
    proc, _ = collect_url(httpserver.url_for("/feed"), tmp_path, "--allow-private")
    assert proc.returncode == 0, proc.stderr
    assert len(hits) == 2 and hits[1] - hits[0] >= 1.9


def test_redirect_loop(httpserver, tmp_path: Path):
    httpserver.expect_request("/a").respond_with_response(
        Response(status=302, headers={"Location": "/b"}))
    httpserver.expect_request("/b").respond_with_response(
        Response(status=302, headers={"Location": "/a"}))
    url = httpserver.url_for("/a")
    proc, seconds = collect_url(url, tmp_path, "--allow-private")
    assert proc.returncode == 1 and "redirect" in proc.stderr and url in proc.stderr
    assert page_hits(httpserver) <= 8 and seconds < 30


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x",
                                    "gopher://127.0.0.1/x", "javascript:alert(1)"])
def test_redirect_to_other_scheme_refused(httpserver, target: str):
    httpserver.expect_request("/r").respond_with_response(
        Response(status=301, headers={"Location": target}))
    f = fetcher(allow_private=True, min_delay=0, use_cache=False, timeout=5)
    with pytest.raises(FetchError) as info:
        f.fetch_to_file(httpserver.url_for("/r"))
    assert "redirect" in str(info.value) or "http(s)" in str(info.value)


def test_oversized_declared_body_refused(raw_server, tmp_path: Path):
    def handler(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                     b"Content-Length: 999999999999\r\n\r\n" + FEED)

    srv = raw_server(handler)
    url = f"http://127.0.0.1:{srv.port}/huge"
    proc, seconds = collect_url(url, tmp_path, "--allow-private")
    assert proc.returncode == 1 and url in proc.stderr and "cap" in proc.stderr
    assert seconds < 20


def test_oversized_streamed_body_cut(raw_server):
    def handler(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n")
        chunk = b"x" * 65536
        for _ in range(64):  # 4 MiB without a length
            conn.sendall(chunk)

    srv = raw_server(handler)
    f = fetcher(allow_private=True, max_bytes=1024 * 1024, min_delay=0, use_cache=False,
                timeout=5)
    with pytest.raises(FetchError, match="cap"):
        f.fetch_to_file(f"http://127.0.0.1:{srv.port}/stream")


def test_connection_reset(raw_server, tmp_path: Path):
    def handler(conn: socket.socket) -> None:
        # SO_LINGER 0: close sends a RST instead of a FIN.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    srv = raw_server(handler)
    url = f"http://127.0.0.1:{srv.port}/feed"
    proc, seconds = collect_url(url, tmp_path, "--allow-private")
    assert proc.returncode == 1 and url in proc.stderr
    assert "tries" in proc.stderr or "reset" in proc.stderr.lower()
    assert 2 <= srv.connections <= 4 and seconds < 30


def test_timeout_bounded(raw_server):
    srv = raw_server(lambda conn: time.sleep(3))  # accepts, never answers
    f = fetcher(allow_private=True, timeout=0.5, retries=1, min_delay=0, use_cache=False)
    t0 = time.monotonic()
    with pytest.raises(FetchError) as info:
        f.fetch_to_file(f"http://127.0.0.1:{srv.port}/slow")
    assert time.monotonic() - t0 < 6
    assert "timed out" in str(info.value) and srv.connections == 2


def test_slowloris_body_bounded(raw_server):
    """Headers arrive, then one byte every 0.2 s forever: the fetch must give up in bounded time."""
    stop = threading.Event()

    def handler(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n")
        while not stop.is_set():
            conn.sendall(b"<")
            time.sleep(0.2)

    srv = raw_server(handler)
    f = fetcher(allow_private=True, timeout=1.0, retries=0, min_delay=0, use_cache=False)
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            f.fetch_to_file(f"http://127.0.0.1:{srv.port}/drip")
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout=20)
    stop.set()
    assert outcome, "the fetch of a trickling body did not give up within 20 s"
    assert isinstance(outcome[0], FetchError)


def test_private_address_refused_without_flag(httpserver, tmp_path: Path):
    httpserver.expect_request("/feed").respond_with_data(FEED)
    url = httpserver.url_for("/feed")
    proc, _ = collect_url(url, tmp_path)
    assert proc.returncode == 1
    assert "--allow-private" in proc.stderr and url in proc.stderr
    assert len(httpserver.log) == 0  # not even robots.txt


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/feed",
                                 "gopher://127.0.0.1:70/1"])
def test_non_http_inputs_refused(url: str, tmp_path: Path):
    proc, _ = collect_url(url, tmp_path, "--allow-private")
    assert proc.returncode == 1
    assert "only http(s)" in proc.stderr and "root:" not in proc.stdout + proc.stderr
