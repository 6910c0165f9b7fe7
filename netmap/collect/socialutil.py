"""Small helpers shared by the collectors of social-network exports (Facebook, Odnoklassniki,
and VKontakte for links in text). The JSON-reading machinery of the other social collectors
is in :mod:`netmap.collect._social`; JSON error texts come from there for all of them.

* :func:`parse_count` reads interaction counts that exports write as strings,
  with thousands separators (``"1,234"``, ``"1 234"``, ``"1.234"``).
* :func:`unwrap_redirect` turns a platform's outbound-link wrapper
  (``l.facebook.com/l.php?u=…``, ``ok.ru/dk?st.cmd=outLinkWarning&st.rfn=…``)
  into the URL it wraps, so a shared blog post is keyed by its own URL.
* :func:`text_urls` and :func:`text_hashtags` find links and tags in free text.
* :func:`fix_mojibake` repairs text whose UTF-8 bytes were written as Latin-1
  code points, as Facebook's "Download your information" JSON does.
* :func:`load_json_documents` reads a file holding one JSON document or JSON
  lines, rejecting broken lines one by one.
* :class:`PostEmitter` is the shared half of the Facebook and Odnoklassniki
  emitters: Url and Hashtag nodes once per file, links, tags, rollback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import CollectError
from ..keys import hashtag_key, host_of, is_http_url, url_key
from ..model import Batch
from ._social import json_error_text
from .base import decode_bytes, excerpt, memo

_loads: Callable[[bytes | str], Any]
try:  # orjson is a dependency; the standard library is the fallback
    import orjson as _orjson

    _loads = _orjson.loads
except ImportError:  # pragma: no cover
    import json as _json

    _loads = _json.loads

__all__ = [
    "parse_count",
    "parse_float",
    "unwrap_redirect",
    "text_urls",
    "PostEmitter",
    "text_hashtags",
    "link_target",
    "fix_mojibake",
    "fix_mojibake_deep",
    "load_json_documents",
    "JsonDoc",
    "MAX_JSON_BYTES",
]

# A JSON export is parsed whole; API pages and personal exports are far below this.
MAX_JSON_BYTES = 512 * 1024 * 1024

_SEPARATORS = re.compile(r"[,\s\u00a0\u202f'’_]")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def parse_count(value: Any) -> int | None:
    """A non-negative count from an int, float or string (``"1,234"`` -> 1234); else None."""
    if type(value) is str and value.isdigit() and value.isascii():
        return int(value)  # the usual case, first
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value and abs(value) < 1e18 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _DOT_THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    text = _SEPARATORS.sub("", text)
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or abs(number) >= 1e18:
        return None
    return int(number)


def parse_float(value: Any) -> float | None:
    """A float from a number or a string such as ``"-2.35"`` or ``"1,234.5"``; else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    else:
        return None
    return number if number == number and abs(number) != float("inf") else None


# Outbound-link wrappers: host -> (path, query parameters holding the target URL)
_WRAPPERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "l.facebook.com": ("/l.php", ("u",)),
    "lm.facebook.com": ("/l.php", ("u",)),
    "facebook.com": ("/l.php", ("u",)),
    "ok.ru": ("/dk", ("st.link", "st.rfn")),
    "odnoklassniki.ru": ("/dk", ("st.link", "st.rfn")),
    "vk.com": ("/away.php", ("to",)),
}


def unwrap_redirect(url: str) -> str:
    """The URL behind a platform's outbound-link wrapper, or ``url`` itself."""
    for _ in range(3):  # wrappers are sometimes nested once
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return url
        host = (parts.hostname or "").lower()
        if host.startswith("www.") or host.startswith("m."):
            host = host.split(".", 1)[1]
        rule = _WRAPPERS.get(host)
        if rule is None or parts.path.rstrip("/") != rule[0]:
            return url
        query = parse_qs(parts.query)
        target = next((query[k][0] for k in rule[1] if query.get(k)), None)
        if not target or not is_http_url(target):
            return url
        url = target
    return url


_URL_RE = re.compile(r"https?://[^\s<>\"'«»\[\]{}|\\^`]+", re.I)
_TRAILING = ".,;:!?…)»\"'"
_HASHTAG_RE = re.compile(r"(?<![\w&/#])#(\w[\w\-]*)")


def text_urls(text: str | None) -> list[str]:
    """http(s) URLs written in free text, in order, without trailing punctuation."""
    if not text or "http" not in text.lower():
        return []
    out: list[str] = []
    for m in _URL_RE.finditer(text):
        url = m.group(0)
        while url and url[-1] in _TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if is_http_url(url) and url not in out:
            out.append(url)
    return out


def text_hashtags(text: str | None) -> list[str]:
    """Hashtags (without ``#``) in free text; URLs are ignored so fragments are not tags."""
    if not text or "#" not in text:
        return []
    stripped = _URL_RE.sub(" ", text)
    out: list[str] = []
    for m in _HASHTAG_RE.finditer(stripped):
        tag = m.group(1).rstrip("-_")
        if tag and not tag.isdigit() and tag not in out:
            out.append(tag)
    return out


def link_target(url: Any) -> tuple[str, str, str] | None:
    """``(original_url, url_key, domain)`` of an outgoing link after unwrapping; None if unusable."""
    if not isinstance(url, str) or not url.strip():
        return None
    target = unwrap_redirect(url.strip())
    if not is_http_url(target):
        return None
    try:
        return target, url_key(target), host_of(target)
    except ValueError:
        return None


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 bytes written as Latin-1 code points (``"Ð\\x92Ñ\\x8b"`` -> ``"Вы"``).

    Facebook's personal-data JSON escapes every byte of a UTF-8 character as
    its own ``\\u00XX``. A string is repaired only when all its characters fit in
    Latin-1 and their bytes are valid UTF-8, so correct text is left alone.
    """
    if not text or text.isascii():
        return text
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def fix_mojibake_deep(obj: Any) -> Any:
    """:func:`fix_mojibake` applied to every string (keys too) of a parsed JSON value."""
    if isinstance(obj, str):
        return fix_mojibake(obj)
    if isinstance(obj, list):
        return [fix_mojibake_deep(v) for v in obj]
    if isinstance(obj, dict):
        return {fix_mojibake(k) if isinstance(k, str) else k: fix_mojibake_deep(v)
                for k, v in obj.items()}
    return obj


class JsonDoc:
    """One parsed JSON document of a file: ``value`` with its ``location`` (``""`` or ``"line N"``).

    A document that could not be parsed has ``error`` set (and ``value`` None).
    """

    __slots__ = ("location", "value", "error", "raw")

    def __init__(self, location: str, value: Any = None, error: str | None = None,
                 raw: str = "") -> None:
        self.location = location
        self.value = value
        self.error = error
        self.raw = raw


def _parse(data: bytes) -> Any:
    try:
        return _loads(data)
    except (ValueError, RecursionError):
        # orjson wants UTF-8; an export re-saved in another encoding is decoded first.
        text, _ = decode_bytes(data)
        return _loads(text)


def _error(exc: BaseException) -> str:
    return f"invalid JSON ({json_error_text(exc)})"


def load_json_documents(path: Path, name: str, max_bytes: int = MAX_JSON_BYTES) -> Iterator[JsonDoc]:
    """Yield the JSON documents of a file: the whole file, or one per line (JSON lines).

    The whole file is tried first. When that fails and the first non-empty line
    parses on its own, the file is JSON lines and each broken line becomes its
    own error document; otherwise the file is one broken document.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise CollectError(
            f"{name}: {size} bytes is more than a JSON export is read whole ({max_bytes} bytes); "
            "split it into JSON lines or smaller files"
        )
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        yield JsonDoc("file", error="empty file")
        return
    try:
        yield JsonDoc("", _parse(data))
        return
    except (ValueError, RecursionError) as exc:
        whole_error = _error(exc)
    lines = data.splitlines()
    first = next((ln for ln in lines if ln.strip()), b"")
    try:
        _parse(first)
    except (ValueError, RecursionError):
        yield JsonDoc("file", error=whole_error, raw=excerpt(data))
        return
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield JsonDoc(f"line {n}", _parse(line))
        except (ValueError, RecursionError) as exc:
            yield JsonDoc(f"line {n}", error=_error(exc), raw=excerpt(line))


class PostEmitter:
    """Builds one file's records into the current batch, Url and Hashtag nodes once per file
    (the shared half of the Facebook and Odnoklassniki emitters)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.batch = Batch(source=source)
        self.seen_urls: set[str] = set()
        self.seen_tags: set[str] = set()
        self.link_cache: dict[str, tuple[str, str, str] | None] = {}

    def new_batch(self) -> Batch:
        self.batch = Batch(source=self.source)
        return self.batch

    def link(self, raw: str) -> tuple[str, str, str] | None:
        """:func:`link_target`, cached: shared links repeat across a campaign's posts."""
        return memo(self.link_cache, raw, link_target)

    def link_to(self, post: str, url: str, key: str, domain: str) -> None:
        """``post`` LINKS_TO the Url ``key`` (its node written once per file)."""
        if key not in self.seen_urls:
            self.seen_urls.add(key)
            self.batch.node("Url", key, url=url, domain=domain)
        self.batch.edge("LINKS_TO", "Post", post, "Url", key)

    def tags(self, post: str, text: str | None) -> None:
        """``post`` TAGGED with each hashtag in ``text``."""
        done: set[str] = set()
        for tag in text_hashtags(text):
            key = hashtag_key(tag)
            if not key or key in done:
                continue
            done.add(key)
            if key not in self.seen_tags:
                self.seen_tags.add(key)
                self.batch.node("Hashtag", key, tag=tag)
            self.batch.edge("TAGGED", "Post", post, "Hashtag", key)

    def rollback(self, n_nodes: int, n_edges: int) -> None:
        """Drop what a rejected record added (and forget dedup state it may have touched)."""
        b = self.batch
        if len(b.nodes) != n_nodes or len(b.edges) != n_edges:
            del b.nodes[n_nodes:], b.edges[n_edges:]
            self.forget()

    def forget(self) -> None:
        """Clear the once-per-file memory of emitted nodes (after a rollback)."""
        self.seen_urls.clear()
        self.seen_tags.clear()
