"""The one polite fetcher every collector uses for http(s) input.

Timeouts, bounded retries with backoff on 429/5xx (honouring ``Retry-After``),
a per-host minimum delay, a size cap, a redirect limit (and only http/https
redirect targets), refusal of private/loopback addresses unless
``allow_private``, an on-disk cache so re-runs do not refetch, and a clear
User-Agent.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..errors import CollectError

__all__ = ["Fetcher", "FetchResult", "FetchError"]

USER_AGENT = f"netmap/{__version__} (+https://pypi.org/project/netmap; research crawler)"


class FetchError(CollectError):
    """A URL could not be fetched; the message says why and whether retrying may help."""


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    content_type: str | None
    path: Path
    from_cache: bool = False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _default_cache_dir() -> Path:
    base = os.environ.get("NETMAP_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "netmap", "http"
    )
    return Path(base)


class Fetcher:
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
        self._last_hit: dict[str, float] = {}
        self._opener = urllib.request.build_opener(_NoRedirect())
        self.failures: list[tuple[str, str]] = []

    # -- policy ------------------------------------------------------------
    def check_url(self, url: str) -> None:
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
        if last is not None:
            wait = self.min_delay - (time.monotonic() - last)
            if wait > 0:
                time.sleep(wait)
        self._last_hit[host] = time.monotonic()

    # -- cache -------------------------------------------------------------
    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        h = hashlib.sha256(url.encode("utf-8")).hexdigest()
        d = self.cache_dir / h[:2]
        return d / f"{h}.body", d / f"{h}.json"

    # -- fetching ----------------------------------------------------------
    def fetch_to_file(self, url: str) -> FetchResult:
        body_path, meta_path = self._cache_paths(url)
        if self.use_cache and body_path.exists() and meta_path.exists():
            meta = json.loads(meta_path.read_text())
            return FetchResult(url, meta["final_url"], meta["status"], meta.get("content_type"),
                               body_path, from_cache=True)
        current = url
        for _hop in range(self.max_redirects + 1):
            self.check_url(current)
            status, headers, location = self._get_with_retries(current, body_path)
            if status in (301, 302, 303, 307, 308):
                if not location:
                    raise FetchError(f"{current}: redirect without a Location header")
                nxt = urljoin(current, location)
                if urlsplit(nxt).scheme.lower() not in ("http", "https"):
                    raise FetchError(f"{current}: redirect to a non-http(s) URL refused ({nxt[:100]})")
                current = nxt
                continue
            meta = {"final_url": current, "status": status,
                    "content_type": headers.get("Content-Type")}
            meta_path.write_text(json.dumps(meta))
            return FetchResult(url, current, status, meta["content_type"], body_path)
        raise FetchError(f"{url}: more than {self.max_redirects} redirects (a redirect loop?)")

    def _get_with_retries(self, url: str, body_path: Path):  # type: ignore[no-untyped-def]
        host = urlsplit(url).hostname or ""
        delay = 1.0
        last_error = ""
        for attempt in range(self.retries + 1):
            self._wait_turn(host)
            req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
            try:
                resp = self._opener.open(req, timeout=self.timeout)
            except urllib.error.HTTPError as exc:
                if exc.code in (301, 302, 303, 307, 308):
                    return exc.code, exc.headers, exc.headers.get("Location")
                if exc.code == 429 or 500 <= exc.code < 600:
                    last_error = f"HTTP {exc.code}"
                    wait = self._retry_after(exc.headers.get("Retry-After"), delay)
                    if attempt < self.retries:
                        time.sleep(wait)
                        delay *= 2
                        continue
                raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                last_error = str(getattr(exc, "reason", exc))
                if attempt < self.retries:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise FetchError(f"{url}: {last_error} (after {attempt + 1} tries)") from exc
            with resp:
                length = resp.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(f"{url}: body of {length} bytes exceeds the {self.max_bytes}-byte cap")
                body_path.parent.mkdir(parents=True, exist_ok=True)
                tmp = body_path.with_suffix(".part")
                total = 0
                deadline = time.monotonic() + self.timeout * 5
                with open(tmp, "wb") as out:
                    while True:
                        chunk = resp.read(64 * 1024)
                        if not chunk:
                            break
                        total += len(chunk)
                        if total > self.max_bytes:
                            out.close()
                            tmp.unlink(missing_ok=True)
                            raise FetchError(f"{url}: body exceeds the {self.max_bytes}-byte cap")
                        if time.monotonic() > deadline:
                            out.close()
                            tmp.unlink(missing_ok=True)
                            raise FetchError(f"{url}: body too slow (over {self.timeout * 5:.0f} s)")
                        out.write(chunk)
                os.replace(tmp, body_path)
                return resp.status, resp.headers, None
        raise FetchError(f"{url}: {last_error}")

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
