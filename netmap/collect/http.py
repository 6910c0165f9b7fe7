"""The one polite fetcher every collector uses for http(s) input.

What it guarantees, whoever calls it:

* **Only public http(s).** Every URL and every redirect target is checked:
  other schemes are refused, and so are private, loopback, link-local and
  reserved addresses unless ``allow_private``.
* **robots.txt** (RFC 9309) is read once per scheme/host/port and obeyed:
  a disallowed URL raises :class:`FetchError` ("disallowed by robots.txt").
  The file is fetched under the same rules as everything else (address
  checks, redirects, rate limit, timeouts, a 500 KiB read). A 4xx answer
  means no rules (everything allowed); a 5xx answer, 429 or a network error
  means the site is unreachable, which RFC 9309 treats as "disallow all":
  the URL is not fetched and the message says to try later. Groups are
  parsed with :mod:`urllib.robotparser`; matching follows RFC 9309 (the
  longest matching rule wins, ``*`` and ``$`` are wildcards, ties go to
  Allow), which the standard library's first-match does not. A
  ``Crawl-delay`` raises the per-host delay (up to ``max_crawl_delay``).
* **Rate limit.** At least ``min_delay`` seconds between two requests to one host.
* **Bounded retries** with exponential backoff on 429/5xx (honouring
  ``Retry-After``), on connection errors and on connections reset or closed
  in the middle of a body.
* **Timeouts.** ``timeout`` bounds connecting and every single socket read
  (a server that stops sending fails after ``timeout`` seconds of silence);
  ``deadline`` bounds a whole body, so a server dripping a byte at a time
  (slowloris) cannot hold a run hostage. Bodies are read with one socket read
  per chunk so the deadline is checked while data trickles in.
* **Size cap** (``max_bytes``), checked against ``Content-Length`` and while reading.
* **Content types.** A caller names what it can read (``expect``); anything
  else fails before the body is downloaded, with what came.
* **On-disk cache** (``$NETMAP_CACHE`` or ``~/.cache/netmap/http``): a
  re-run does not refetch. ``refresh`` refetches (and rewrites the cache);
  ``cache_max_age`` expires entries. Redirect look-ups are cached too.
* **Reporting.** :attr:`Fetcher.failures` lists every URL that was not
  fetched and why; an optional ``progress`` callback sees bytes arrive.

:meth:`Fetcher.resolve_redirects` follows a redirect chain with ``HEAD``
requests (falling back to a ``GET`` whose body is never read), which is what
short-link expansion needs (see :mod:`netmap.collect.shorturls`).
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from .. import __version__
from ..errors import CollectError

__all__ = ["Fetcher", "FetchResult", "FetchError", "ProgressHook", "USER_AGENT"]

USER_AGENT = f"netmap/{__version__} (+https://pypi.org/project/netmap; research crawler)"

ProgressHook = Callable[[str, int, int | None], None]
"""``progress(url, bytes_received, bytes_expected_or_None)``, called as a body arrives."""

_REDIRECTS = frozenset((301, 302, 303, 307, 308))
# RFC 9309 asks crawlers to parse at least 500 KiB of a robots.txt; more is cut off.
_ROBOTS_MAX_BYTES = 500 * 1024
_CHUNK = 64 * 1024
# A 4xx robots.txt means "no rules", except 429, which says the site is overloaded.
_ROBOTS_NO_RULES = frozenset(range(400, 500)) - {429}


class FetchError(CollectError):
    """A URL could not be fetched; the message says why and whether retrying may help."""


@dataclass
class FetchResult:
    """What :meth:`Fetcher.fetch_to_file` got: the body is in ``path``.

    ``headers`` holds the response headers (names as sent); ``status`` may be
    an error status only when the caller listed it in ``accept_status`` (such
    bodies are not cached).
    """

    url: str
    final_url: str
    status: int
    content_type: str | None
    path: Path
    from_cache: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """A response header, case-insensitively."""
        low = name.lower()
        for k, v in self.headers.items():
            if k.lower() == low:
                return v
        return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # Redirects are followed by the fetcher itself, so every hop is checked.
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class _Retryable(Exception):
    """A failure worth another try (connection reset, truncated body, 5xx, 429)."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


def _default_cache_dir() -> Path:
    base = os.environ.get("NETMAP_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "netmap", "http"
    )
    return Path(base)


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _type_matches(content_type: str | None, expect: Collection[str]) -> bool:
    """``text/*`` matches any text type; ``+json`` matches any ``…+json`` type."""
    mt = _media_type(content_type)
    for want in expect:
        want = want.strip().lower()
        if want == mt or want in ("*", "*/*"):
            return True
        if want.endswith("/*") and mt.startswith(want[:-1]):
            return True
        if want.startswith("+") and mt.endswith(want):
            return True
    return False


class _Robots:
    """The rules of one robots.txt group that applies to us, matched per RFC 9309."""

    def __init__(self, rules: list[tuple[str, bool]], delay: float | None) -> None:
        self.delay = delay
        compiled = []
        for path, allow in rules:
            if not path:
                continue  # an empty Disallow allows everything: no rule
            anchored = path.endswith("%24")
            body = path[:-3] if anchored else path
            pattern = ".*".join(re.escape(p) for p in body.split("%2A"))
            compiled.append((len(path), allow, re.compile(pattern + ("$" if anchored else ""))))
        # Longest rule first; on equal length Allow first (RFC 9309 2.2.2).
        compiled.sort(key=lambda r: (-r[0], not r[1]))
        self._rules = compiled

    @classmethod
    def parse(cls, text: str, agent: str) -> _Robots:
        rp = urllib.robotparser.RobotFileParser()
        rp.parse(text.splitlines())
        chosen = None
        for entry in getattr(rp, "entries", []):  # parsed groups (not in the typeshed stubs)
            if entry.applies_to(agent):
                chosen = entry
                break
        if chosen is None:
            chosen = getattr(rp, "default_entry", None)
        if chosen is None:
            return cls([], None)
        rules = [(line.path, bool(line.allowance)) for line in chosen.rulelines]
        delay = float(chosen.delay) if chosen.delay is not None else None
        return cls(rules, delay)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        # Quote the way urllib.robotparser quoted the rules, so both sides compare alike.
        path = quote(unquote(parts.path or "/") + ("?" + unquote(parts.query) if parts.query else ""))
        if path == "/robots.txt":
            return True
        for _n, allow, rx in self._rules:
            if rx.match(path):
                return allow
        return True


class Fetcher:
    """Polite http(s) fetching to files, with the guarantees listed in the module doc.

    Parameters
    ----------
    timeout : float
        Seconds to connect and for each socket read.
    retries : int
        Extra tries after a retryable failure (429, 5xx, reset, truncated body).
    max_bytes : int
        Largest body accepted.
    max_redirects : int
        Redirect hops followed per request.
    min_delay : float
        Seconds between two requests to one host.
    allow_private : bool
        Fetch private, loopback and link-local addresses too.
    cache_dir : path, optional
        Where bodies are cached (default ``$NETMAP_CACHE`` or ``~/.cache/netmap/http``).
    use_cache : bool
        Serve repeated URLs from the cache.
    refresh : bool
        Refetch every URL once in this fetcher's life even when cached, rewriting
        the cache (what a ``--refresh`` run wants).
    cache_max_age : float, optional
        Seconds after which a cached body is refetched.
    max_retry_after : float
        Longest ``Retry-After`` wait honoured.
    robots : bool
        Obey robots.txt (on by default; turning it off is the user's decision).
    deadline : float, optional
        Seconds one body may take in all (default ``5 * timeout``).
    progress : callable, optional
        ``progress(url, received, expected)`` while a body is read.
    max_crawl_delay : float
        Cap on a robots.txt ``Crawl-delay``.
    user_agent : str
        The User-Agent sent, and the name robots.txt groups are matched against.

    Examples
    --------
    >>> f = Fetcher(min_delay=0.5)                       # doctest: +SKIP
    >>> r = f.fetch_to_file("https://blog.example/feed/", expect=["+xml", "text/xml"])  # doctest: +SKIP
    >>> r.path.read_bytes()[:5]                          # doctest: +SKIP
    b'<?xml'
    """

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        retries: int = 3,
        max_bytes: int = 50 * 1024 * 1024,
        max_redirects: int = 5,
        min_delay: float = 1.0,
        allow_private: bool = False,
        cache_dir: Path | str | None = None,
        use_cache: bool = True,
        max_retry_after: float = 60.0,
        refresh: bool = False,
        cache_max_age: float | None = None,
        robots: bool = True,
        deadline: float | None = None,
        progress: ProgressHook | None = None,
        max_crawl_delay: float = 30.0,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.min_delay = min_delay
        self.allow_private = allow_private
        self.cache_dir = Path(cache_dir) if cache_dir else _default_cache_dir()
        self.use_cache = use_cache
        self.max_retry_after = max_retry_after
        self.refresh = refresh
        self.cache_max_age = cache_max_age
        self.robots = robots
        self.deadline = deadline if deadline is not None else timeout * 5
        self.progress = progress
        self.max_crawl_delay = max_crawl_delay
        self.user_agent = user_agent
        self._last_hit: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self._robots: dict[str, _Robots | str] = {}  # origin -> rules, or why it is unreachable
        self._refreshed: set[str] = set()
        self._opener = urllib.request.build_opener(_NoRedirect())
        self.failures: list[tuple[str, str]] = []
        """Every URL not fetched (or not resolved) in this fetcher's life, with the reason."""

    # -- policy ------------------------------------------------------------
    def check_url(self, url: str) -> None:
        """Raise :class:`FetchError` unless ``url`` is http(s) on an address we may fetch."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http(s) URLs are fetched")
        if self.allow_private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
        except socket.gaierror as exc:
            raise FetchError(f"{url}: host {parts.hostname} not found ({exc})") from exc
        for info in infos:
            addr = ipaddress.ip_address(info[4][0])
            if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
                raise FetchError(
                    f"{url}: refusing to fetch a private or loopback address ({addr}); "
                    "pass --allow-private if you mean it"
                )

    def _wait_turn(self, host: str) -> None:
        last = self._last_hit.get(host)
        delay = self._host_delay.get(host, self.min_delay)
        if last is not None:
            wait = delay - (time.monotonic() - last)
            if wait > 0:
                time.sleep(wait)
        self._last_hit[host] = time.monotonic()

    # -- robots.txt --------------------------------------------------------
    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (fetching robots.txt if needed).

        Raises :class:`FetchError` when robots.txt is unreachable (5xx, 429,
        network error): RFC 9309 says not to crawl then.
        """
        if not self.robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._robots[origin] = self._load_robots(origin)
            if isinstance(rules, _Robots) and rules.delay is not None:
                host = parts.hostname or ""
                self._host_delay[host] = max(self.min_delay, min(rules.delay, self.max_crawl_delay))
        if isinstance(rules, str):
            raise FetchError(f"{url}: {rules}")
        return rules.allows(url)

    def _load_robots(self, origin: str) -> _Robots | str:
        robots_url = origin + "/robots.txt"
        agent = self.user_agent.split("/", 1)[0]
        tmp = self.cache_dir / "robots" / (hashlib.sha256(origin.encode()).hexdigest() + ".txt")
        try:
            status, _headers, final, path = self._follow(
                robots_url, "GET", tmp, expect=None, progress=None,
                max_bytes=_ROBOTS_MAX_BYTES, truncate=True, accept_status=_ROBOTS_NO_RULES,
                robots=False,
            )
        except FetchError as exc:
            return (f"robots.txt of {origin} is unreachable ({_short_reason(exc, robots_url)}); "
                    "RFC 9309 says not to crawl then: try later")
        try:
            if status >= 400:
                return _Robots([], None)  # no robots.txt (4xx): no restrictions
            data = path.read_bytes() if path else b""
        finally:
            if path:
                path.unlink(missing_ok=True)
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
        return _Robots.parse(text, agent)

    # -- cache -------------------------------------------------------------
    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        h = hashlib.sha256(url.encode("utf-8")).hexdigest()
        d = self.cache_dir / h[:2]
        return d / f"{h}.body", d / f"{h}.json"

    def _cached_meta(self, key: str, meta_path: Path, refresh: bool | None,
                     body_path: Path | None = None) -> dict[str, Any] | None:
        if not self.use_cache:
            return None
        if refresh:
            return None  # asked for this call: always refetch
        if refresh is None and self.refresh and key not in self._refreshed:
            return None  # the fetcher refreshes: once per URL, then its new copy serves
        if not meta_path.exists() or (body_path is not None and not body_path.exists()):
            return None
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            return None
        if self.cache_max_age is not None:
            fetched = meta.get("fetched_at")
            if not isinstance(fetched, (int, float)) or time.time() - fetched > self.cache_max_age:
                return None
        return meta

    # -- fetching ----------------------------------------------------------
    def fetch_to_file(
        self,
        url: str,
        *,
        expect: Iterable[str] | None = None,
        refresh: bool | None = None,
        accept_status: Collection[int] = (),
        progress: ProgressHook | None = None,
    ) -> FetchResult:
        """Fetch ``url`` (following redirects) into a file and return where it is.

        Parameters
        ----------
        url : str
            An http(s) URL.
        expect : iterable of str, optional
            Media types the caller can read (``application/json``, ``text/*``,
            ``+xml``); another type raises :class:`FetchError` naming it.
        refresh : bool, optional
            True refetches even when cached; False uses the cache even if the
            fetcher refreshes; None (default) follows the fetcher's ``refresh``.
        accept_status : collection of int
            Error statuses (e.g. ``{400}``) whose bodies are returned instead of
            raising; they are never cached.
        progress : callable, optional
            Overrides the fetcher's progress hook for this call.

        Raises
        ------
        FetchError
            The URL was not fetched (the reason is also appended to :attr:`failures`).
        """
        try:
            return self._fetch_to_file(url, list(expect) if expect else None, refresh,
                                       accept_status, progress)
        except FetchError as exc:
            self.failures.append((url, str(exc)))
            raise

    def _fetch_to_file(self, url: str, expect: list[str] | None, refresh: bool | None,
                       accept_status: Collection[int], progress: ProgressHook | None) -> FetchResult:
        body_path, meta_path = self._cache_paths(url)
        meta = self._cached_meta(url, meta_path, refresh, body_path)
        if meta is not None:
            ctype = meta.get("content_type")
            if expect and not _type_matches(ctype, expect):
                raise FetchError(_wrong_type(url, ctype, expect))
            return FetchResult(url, meta["final_url"], meta["status"], ctype, body_path,
                               from_cache=True, headers=meta.get("headers") or {})
        err_path = body_path.with_suffix(".error")
        status, headers, final, _path = self._follow(
            url, "GET", body_path, expect=expect, progress=progress or self.progress,
            max_bytes=self.max_bytes, truncate=False, accept_status=accept_status,
            robots=self.robots, error_sink=err_path,
        )
        self._refreshed.add(url)
        hdrs = {k: v for k, v in headers.items()} if headers is not None else {}
        ctype = headers.get("Content-Type") if headers is not None else None
        if status >= 400:
            return FetchResult(url, final, status, ctype, err_path, headers=hdrs)
        meta_path.write_text(json.dumps({
            "final_url": final, "status": status, "content_type": ctype,
            "headers": hdrs, "fetched_at": time.time(),
        }))
        return FetchResult(url, final, status, ctype, body_path, headers=hdrs)

    def _follow(self, url: str, method: str, sink: Path | None, *, expect: list[str] | None,
                progress: ProgressHook | None, max_bytes: int, truncate: bool,
                accept_status: Collection[int], robots: bool, error_sink: Path | None = None,
                ) -> tuple[int, Any, str, Path | None]:
        """One request with its redirects: ``(status, headers, final_url, body path)``."""
        current = url
        seen = {current}
        for _hop in range(self.max_redirects + 1):
            self.check_url(current)
            if robots and not self.allowed(current):
                raise FetchError(f"{current}: disallowed by robots.txt")
            status, headers, location, path = self._transfer(
                current, method, sink, expect=expect, progress=progress, max_bytes=max_bytes,
                truncate=truncate, accept_status=accept_status, error_sink=error_sink,
            )
            if status in _REDIRECTS:
                current = self._next_hop(current, location)
                if current in seen:
                    raise FetchError(f"{url}: redirect loop through {current}")
                seen.add(current)
                continue
            return status, headers, current, path
        raise FetchError(f"{url}: more than {self.max_redirects} redirects (a redirect loop?)")

    @staticmethod
    def _next_hop(current: str, location: str | None) -> str:
        if not location:
            raise FetchError(f"{current}: redirect without a Location header")
        nxt = urljoin(current, location.strip())
        if urlsplit(nxt).scheme.lower() not in ("http", "https"):
            raise FetchError(f"{current}: redirect to a non-http(s) URL refused ({nxt[:100]})")
        return nxt

    def _transfer(self, url: str, method: str, sink: Path | None, *, expect: list[str] | None,
                  progress: ProgressHook | None, max_bytes: int, truncate: bool,
                  accept_status: Collection[int], error_sink: Path | None,
                  ) -> tuple[int, Any, str | None, Path | None]:
        """One HTTP exchange with bounded retries: ``(status, headers, location, body path)``.

        Redirects are returned, not followed. The body (when ``sink`` is set)
        is written to ``sink`` (or ``error_sink`` for an accepted error status).
        """
        host = urlsplit(url).hostname or ""
        delay = 1.0
        attempts = self.retries + 1
        for attempt in range(attempts):
            self._wait_turn(host)
            headers: dict[str, str] = {"User-Agent": self.user_agent, "Accept": "*/*"}
            if expect:
                headers["Accept"] = ", ".join(expect)
            req = urllib.request.Request(url, headers=headers, method=method)
            try:
                try:
                    resp = self._opener.open(req, timeout=self.timeout)
                except urllib.error.HTTPError as exc:
                    if exc.code in _REDIRECTS:
                        exc.close()
                        return exc.code, exc.headers, exc.headers.get("Location"), None
                    if exc.code in accept_status:
                        target = error_sink or sink
                        with exc:
                            path = None
                            if target is not None and method != "HEAD":
                                path = self._read_body(url, exc, target, progress, max_bytes,
                                                       truncate)
                        return exc.code, exc.headers, None, path
                    if exc.code == 429 or 500 <= exc.code < 600:
                        wait = self._retry_after(exc.headers.get("Retry-After"), delay)
                        exc.close()
                        raise _Retryable(f"HTTP {exc.code} {exc.reason}", wait) from exc
                    exc.close()
                    raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
                except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                    reason = getattr(exc, "reason", None) or exc
                    raise _Retryable(f"{_describe(reason)}") from exc
                with resp:
                    status = resp.status
                    if status in _REDIRECTS:
                        return status, resp.headers, resp.headers.get("Location"), None
                    ctype = resp.headers.get("Content-Type")
                    if expect and not _type_matches(ctype, expect):
                        raise FetchError(_wrong_type(url, ctype, expect))
                    path = None
                    if sink is not None and method != "HEAD":
                        path = self._read_body(url, resp, sink, progress, max_bytes, truncate)
                    return status, resp.headers, None, path
            except _Retryable as exc:
                if attempt + 1 < attempts:
                    time.sleep(exc.wait if exc.wait is not None else delay)
                    delay *= 2
                    continue
                raise FetchError(f"{url}: {exc} (after {attempt + 1} tries)") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _read_body(self, url: str, resp: Any, sink: Path, progress: ProgressHook | None,
                   max_bytes: int, truncate: bool) -> Path:
        length_hdr = resp.headers.get("Content-Length")
        expected = int(length_hdr) if length_hdr and length_hdr.strip().isdigit() else None
        if expected is not None and expected > max_bytes and not truncate:
            raise FetchError(f"{url}: body of {expected} bytes exceeds the {max_bytes}-byte cap")
        sink.parent.mkdir(parents=True, exist_ok=True)
        tmp = sink.with_name(sink.name + ".part")
        total = 0
        deadline = time.monotonic() + self.deadline
        read1 = getattr(resp, "read1", None) or resp.read
        try:
            with open(tmp, "wb") as out:
                if progress is not None:
                    progress(url, 0, expected)
                while True:
                    try:
                        # One socket read per call: a trickling body still returns
                        # often enough for the deadline to be checked.
                        chunk = read1(_CHUNK)
                    except (OSError, http.client.HTTPException) as exc:
                        raise _Retryable(
                            f"connection failed mid-body after {total} bytes ({_describe(exc)})"
                        ) from exc
                    if not chunk:
                        break
                    if total + len(chunk) > max_bytes:
                        if truncate:
                            out.write(chunk[: max_bytes - total])
                            total = max_bytes
                            break
                        raise FetchError(f"{url}: body exceeds the {max_bytes}-byte cap")
                    total += len(chunk)
                    out.write(chunk)
                    if progress is not None:
                        progress(url, total, expected)
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{url}: body too slow (over {self.deadline:.0f} s; {total} bytes came)"
                        )
            if expected is not None and total < expected and not truncate:
                raise _Retryable(f"connection closed mid-body ({total} of {expected} bytes)")
            os.replace(tmp, sink)
        finally:
            tmp.unlink(missing_ok=True)
        return sink

    def _retry_after(self, value: str | None, default: float) -> float:
        if not value:
            return default
        value = value.strip()
        if value.isdigit():
            return min(float(value), self.max_retry_after)
        try:
            when = parsedate_to_datetime(value)
            return max(0.0, min(when.timestamp() - time.time(), self.max_retry_after))
        except (TypeError, ValueError):
            return default

    # -- redirects only ----------------------------------------------------
    def resolve_redirects(self, url: str, *, max_hops: int | None = None,
                          follow: Callable[[str], bool] | None = None,
                          refresh: bool | None = None) -> str:
        """Where ``url`` redirects to, without downloading any body.

        Each hop is a ``HEAD`` request (a ``GET`` whose body is never read when
        the server refuses ``HEAD``), checked like any fetch (address, robots,
        rate limit). Answers are cached on disk.

        Parameters
        ----------
        url : str
            The URL to resolve.
        max_hops : int, optional
            Most redirects followed (default: the fetcher's ``max_redirects``).
        follow : callable, optional
            Only hops from URLs for which ``follow(url)`` is true are looked up;
            the first URL it refuses is returned as it is (short-link
            expansion stops at the first URL that is not a short link).

        Returns
        -------
        str
            The last URL reached.

        Raises
        ------
        FetchError
            A hop failed, looped, or went outside http(s); recorded in :attr:`failures`.
        """
        try:
            return self._resolve(url, self.max_redirects if max_hops is None else max_hops,
                                 follow, refresh)
        except FetchError as exc:
            self.failures.append((url, str(exc)))
            raise

    def _resolve(self, url: str, max_hops: int, follow: Callable[[str], bool] | None,
                 refresh: bool | None) -> str:
        current = url
        seen = {url}
        for _hop in range(max_hops + 1):
            if follow is not None and not follow(current):
                return current
            nxt = self._one_hop(current, refresh)
            if nxt is None:
                return current
            if nxt in seen:
                raise FetchError(f"{url}: redirect loop through {nxt}")
            seen.add(nxt)
            current = nxt
        if follow is not None and not follow(current):
            return current
        raise FetchError(f"{url}: more than {max_hops} redirects (a redirect loop?)")

    def _one_hop(self, url: str, refresh: bool | None) -> str | None:
        """The Location ``url`` redirects to, or None when it answers without redirecting."""
        key = "HEAD " + url
        _body, meta_path = self._cache_paths(key)
        meta = self._cached_meta(key, meta_path, refresh)
        if meta is not None and "location" in meta:
            return meta["location"]
        self.check_url(url)
        if self.robots and not self.allowed(url):
            raise FetchError(f"{url}: disallowed by robots.txt")
        try:
            status, headers, _final, _p = self._transfer_once_hop(url, "HEAD")
        except FetchError as exc:
            if not re.search(r"HTTP (400|403|405|501)\b", str(exc)):
                raise
            # Some servers refuse HEAD: ask with GET and never read the body.
            status, headers, _final, _p = self._transfer_once_hop(url, "GET")
        location = self._next_hop(url, headers.get("Location")) if status in _REDIRECTS else None
        self._refreshed.add(key)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta_path.write_text(json.dumps({"location": location, "status": status,
                                         "fetched_at": time.time()}))
        return location

    def _transfer_once_hop(self, url: str, method: str) -> tuple[int, Any, str | None, None]:
        status, headers, location, _ = self._transfer(
            url, method, None, expect=None, progress=None, max_bytes=0, truncate=True,
            accept_status=(), error_sink=None,
        )
        return status, headers, location, None


def _describe(exc: Any) -> str:
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, http.client.IncompleteRead):
        return "connection closed mid-body"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "server closed the connection without answering"
    text = str(exc)
    return text or type(exc).__name__


def _short_reason(exc: FetchError, url: str) -> str:
    text = str(exc)
    return text[len(url) + 2:] if text.startswith(url + ": ") else text


def _wrong_type(url: str, ctype: str | None, expect: Collection[str]) -> str:
    return (f"{url}: unexpected content type {ctype or 'none'!r} "
            f"(expected {', '.join(expect)})")

