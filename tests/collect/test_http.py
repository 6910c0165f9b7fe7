"""The fetcher against a real local HTTP server (127.0.0.1 only)."""

from __future__ import annotations

import time

import pytest
from werkzeug import Response

from netmap.collect.http import Fetcher, FetchError


@pytest.fixture
def fetcher(tmp_path):
    return Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path / "cache", timeout=2,
                   retries=2)


def test_fetch_and_cache(httpserver, fetcher):
    httpserver.expect_request("/feed").respond_with_data("<rss/>", content_type="application/rss+xml")
    r = fetcher.fetch_to_file(httpserver.url_for("/feed"))
    assert r.path.read_bytes() == b"<rss/>" and r.status == 200 and not r.from_cache
    r2 = fetcher.fetch_to_file(httpserver.url_for("/feed"))
    assert r2.from_cache
    assert len(httpserver.log) == 1  # the second call did not refetch


def test_private_refused_by_default(httpserver, tmp_path):
    f = Fetcher(cache_dir=tmp_path)
    with pytest.raises(FetchError, match="private or loopback"):
        f.fetch_to_file(httpserver.url_for("/x"))


def test_retry_after_429(httpserver, fetcher):
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


def test_5xx_bounded(httpserver, fetcher):
    httpserver.expect_request("/boom").respond_with_data("no", status=503)
    with pytest.raises(FetchError, match="503"):
        fetcher.fetch_to_file(httpserver.url_for("/boom"))
    assert len(httpserver.log) == 3  # one try plus two retries


def test_redirect_loop(httpserver, fetcher):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect"):
        fetcher.fetch_to_file(httpserver.url_for("/a"))


def test_redirect_to_file_scheme_refused(httpserver, fetcher):
    httpserver.expect_request("/f").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="non-http"):
        fetcher.fetch_to_file(httpserver.url_for("/f"))


def test_size_cap(httpserver, tmp_path):
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, max_bytes=1000)
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(FetchError, match="cap"):
        f.fetch_to_file(httpserver.url_for("/big"))


def test_only_http(fetcher):
    with pytest.raises(FetchError, match="only http"):
        fetcher.fetch_to_file("file:///etc/passwd")


def test_unreachable(tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    f = Fetcher(allow_private=True, min_delay=0, cache_dir=tmp_path, retries=1, timeout=1)
    t0 = time.monotonic()
    with pytest.raises(FetchError, match=f"127.0.0.1:{port}"):
        f.fetch_to_file(f"http://127.0.0.1:{port}/x")
    assert time.monotonic() - t0 < 10
