"""Machinery shared by the social-platform JSON collectors (telegram, vk, mastodon, bluesky).

* :class:`Emitter` builds one file's graph records into the current batch:
  Accounts, Hashtags and Urls are emitted once per file (an Account again only
  when it is seen with more properties), URL keys are cached, and what a
  rejected record added is rolled back.
* :func:`json_values` reads an input as JSON lines (streamed line by line) or
  as one JSON document (read whole, with a size cap), telling the two apart by
  whether the first line is a complete JSON value followed by more content.
* :func:`peek_json` parses as much of the first 64 KiB as it can, for sniffing.
* :func:`open_utf8` opens a JSON input positioned after a UTF-8 byte order
  mark and refuses UTF-16/32 with a message naming the file.

JSON is parsed with orjson when installed, else with the standard library;
ijson (``pip install ijson``) is used to stream single huge documents
(Telegram exports, Mastodon outboxes) and to read partial heads when sniffing.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from ..errors import CollectError
from ..keys import hashtag_key
from ..model import Batch, Edge, Node
from ..util import gc_paused
from .base import (
    CACHE_MAX,
    HEAD_BYTES,
    CollectOptions,
    Collector,
    Source,
    excerpt,
    iter_lines,
    memo,
    url_info,
)

__all__ = [
    "Emitter",
    "Bad",
    "json_values",
    "peek_json",
    "open_utf8",
    "bom_length",
    "loads",
    "json_error_text",
    "JsonCollector",
    "have_ijson",
    "as_str",
    "as_dict",
    "record_excerpt",
    "MAX_DOCUMENT_BYTES",
    "MAX_LINE_BYTES",
]

loads: Callable[[bytes | str], Any]
try:  # orjson parses API pages several times faster; the standard library works too.
    import orjson as _orjson

    loads = _orjson.loads
    _DECODE_ERRORS: tuple[type[BaseException], ...] = (_orjson.JSONDecodeError, ValueError,
                                                        RecursionError)
except ImportError:  # pragma: no cover - exercised only without orjson
    import json as _json

    loads = _json.loads
    _DECODE_ERRORS = (ValueError, RecursionError)

# A single JSON document is read whole; past this size it must be split into JSON lines
# (Telegram exports and Mastodon outboxes are streamed instead, when ijson is installed).
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
MAX_LINE_BYTES = 64 * 1024 * 1024

_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                  codecs.BOM_UTF16_BE)


def have_ijson() -> bool:
    try:
        import ijson  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------
# reading JSON inputs
# --------------------------------------------------------------------------

class Bad:
    """A line or document that could not be parsed, with the reason to reject it."""

    __slots__ = ("reason", "raw")

    def __init__(self, reason: str, raw: bytes = b"") -> None:
        self.reason = reason
        self.raw = raw


_POSITION = re.compile(r":? line \d+ column \d+ \(char \d+\)\s*$")


def json_error_text(exc: BaseException) -> str:
    """One short line out of a JSON parser's exception (orjson, json or ijson)."""
    msg = exc.args[0] if exc.args else exc
    if isinstance(msg, bytes):
        msg = msg.decode("utf-8", "replace")
    text = str(msg).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if "UTF8" in first or "UTF-8" in first or "surrogates not allowed" in first:
        return "not valid UTF-8; re-save the file as UTF-8"
    # positions inside one line or a cut-out text mislead: the caller gives the location
    return _POSITION.sub("", first)[:200]


def _check_bom(head: bytes, name: str) -> int:
    """Bytes to skip at the start (a UTF-8 BOM); CollectError for UTF-16/32 input."""
    if head.startswith(codecs.BOM_UTF8):
        return len(codecs.BOM_UTF8)
    for bom in _UTF16_32_BOMS:
        if head.startswith(bom):
            raise CollectError(
                f"{name}: the file is UTF-16/UTF-32 encoded; JSON input must be UTF-8 "
                "(re-save or convert it, e.g. `iconv -f UTF-16 -t UTF-8`)"
            )
    return 0


def bom_length(source: Source) -> int:
    """Bytes of a UTF-8 BOM at the start of ``source``; CollectError for UTF-16/32 input."""
    return _check_bom(source.head()[:4], source.name)


def open_utf8(source: Source) -> IO[bytes]:
    """Open ``source`` as bytes positioned after a UTF-8 BOM (UTF-16/32 raise CollectError)."""
    skip = bom_length(source)
    fh = source.open()
    if skip:
        fh.seek(skip)
    return fh


def _first_line_is_value(head: bytes) -> bool:
    """True when the head's first line is a whole JSON value and more content follows."""
    head = head.lstrip()
    end = head.find(b"\n")
    if end < 0:
        return False
    rest = head[end + 1:].strip()
    if not rest:
        return False
    line = head[:end].strip()
    if not line or line[:1] not in (b"{", b"["):
        return False
    try:
        loads(line)
    except _DECODE_ERRORS:
        return False
    return True


def _long_first_line_is_value(source: Source, skip: int, head_len: int, max_line: int) -> bool:
    """Like :func:`_first_line_is_value` for a first line longer than the head (big pages)."""
    if head_len < HEAD_BYTES - skip or b"\n" in source.head().lstrip():
        return False  # the head held the whole file or the whole first line
    with source.open() as fh:
        fh.seek(skip)
        line = fh.readline(max_line + 1)
        while line and not line.strip():
            line = fh.readline(max_line + 1)
        if not line.endswith(b"\n") or len(line) > max_line:
            return False
        rest = fh.read(4096)
    if not rest.strip():
        return False
    line = line.strip()
    if line[:1] not in (b"{", b"["):
        return False
    try:
        loads(line)
    except _DECODE_ERRORS:
        return False
    return True


def json_values(source: Source, *, max_document: int | None = None,
                max_line: int | None = None) -> Iterator[tuple[str, Any]]:
    """Yield ``(location, value)`` for every JSON value of ``source``.

    JSON lines give ``("line N", value)`` per non-blank line (a line that does
    not parse gives a :class:`Bad`); a single document gives ``("", value)``.
    A document that does not parse, or is bigger than ``max_document``, raises
    :class:`CollectError` naming the file.
    """
    max_document = MAX_DOCUMENT_BYTES if max_document is None else max_document
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    head = source.head()
    skip = _check_bom(head[:4], source.name)
    head = head[skip:]
    if not head.strip():
        raise CollectError(f"{source.name}: the file is empty")
    if _first_line_is_value(head) or _long_first_line_is_value(source, skip, len(head), max_line):
        with source.open() as fh:
            if skip:
                fh.seek(skip)
            for n, line in iter_lines(fh, max_line):
                if line is None:
                    yield f"line {n}", Bad(f"line longer than {max_line} bytes; skipped")
                    continue
                if not line.strip():
                    continue
                try:
                    value = loads(line)
                except _DECODE_ERRORS as exc:
                    yield f"line {n}", Bad(f"invalid JSON ({json_error_text(exc)})", line)
                    continue
                yield f"line {n}", value
        return
    size = source.size()
    if size > max_document:
        raise CollectError(
            f"{source.name}: a single JSON document of {size} bytes is more than the "
            f"{max_document} bytes read at once; write it as JSON lines (one API response "
            "or record per line)"
        )
    with source.open() as fh:
        data = fh.read()
    try:
        value = loads(data[skip:])
    except _DECODE_ERRORS as exc:
        raise CollectError(f"{source.name}: not valid JSON ({json_error_text(exc)})") from None
    yield "", value


def peek_json(head: bytes) -> tuple[str, Any]:
    """What the start of a JSON/JSONL input holds, for sniffing.

    Returns ``("lines", first value)`` for JSON lines, ``("document", value)``
    with as much of the (possibly cut) document as the head holds, or
    ``("", None)`` when the head is not JSON.
    """
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    stripped = head.lstrip()
    if not stripped or stripped[:1] not in (b"{", b"["):
        return "", None
    if _first_line_is_value(stripped):
        return "lines", loads(stripped[:stripped.find(b"\n")])
    try:
        return "document", loads(stripped)
    except _DECODE_ERRORS:
        pass
    return "document", _partial(stripped)


def _partial(data: bytes) -> Any:
    """The value a cut-off JSON text starts with, as far as it goes (needs ijson)."""
    try:
        import ijson
        from ijson.common import ObjectBuilder
    except ImportError:  # pragma: no cover - exercised only without ijson
        return None
    builder = ObjectBuilder()
    try:
        for _prefix, event, value in ijson.parse(data, use_float=True):
            builder.event(event, value)
    except (ijson.JSONError, ValueError, RecursionError):
        pass
    except Exception:  # noqa: BLE001 - a sniffer never fails on odd bytes
        return None
    return getattr(builder, "value", None)


class JsonCollector(Collector):
    """Base of the JSON collectors: sniffing scores the parsed head of a file with
    :meth:`score`, and :meth:`read` runs the subclass's ``_read`` with the GC paused."""

    def score(self, value: Any) -> int:
        raise NotImplementedError

    def sniff(self, source: Source) -> int:
        kind, value = peek_json(source.head())
        return self.score(value) if kind else 0

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        # The GC is off while a batch is built (see netmap.util.gc_paused) and back on while
        # the consumer (the store) works with it.
        batches = self._read(source, options)
        while True:
            with gc_paused():
                batch = next(batches, None)
            if batch is None:
                return
            yield batch

    def _read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        raise NotImplementedError


def as_str(value: Any) -> str:
    """``value`` when it is a string, else ``""`` (API fields may be null or of odd types)."""
    return value if isinstance(value, str) else ""


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------
# building records
# --------------------------------------------------------------------------

class Emitter:
    """Builds one input's graph records into the current batch.

    Batches are written in order, so an Account, Hashtag or Url node needs
    writing once per file; later edges to it only name its key. The dedup
    sets are bounded: past the cap they start afresh.
    """

    __slots__ = ("source", "batch", "nodes", "edges", "seen_accounts", "seen_tags",
                 "seen_urls", "url_cache", "tag_cache")

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen_accounts: dict[str, int] = {}
        self.seen_tags: set[str] = set()
        self.seen_urls: set[str] = set()
        self.url_cache: dict[str, tuple[str, str] | None] = {}
        self.tag_cache: dict[str, str] = {}
        self.new_batch()

    def new_batch(self) -> Batch:
        self.batch = Batch(source=self.source)
        self.nodes = self.batch.nodes
        self.edges = self.batch.edges
        for seen in (self.seen_accounts, self.seen_tags, self.seen_urls):
            if len(seen) > CACHE_MAX:
                seen.clear()
        return self.batch

    def mark(self) -> tuple[int, int]:
        return len(self.nodes), len(self.edges)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Drop what a rejected record added; forget dedup state it may have touched."""
        n_nodes, n_edges = mark
        if len(self.nodes) == n_nodes and len(self.edges) == n_edges:
            return
        del self.nodes[n_nodes:], self.edges[n_edges:]
        self.seen_accounts.clear()
        self.seen_tags.clear()
        self.seen_urls.clear()

    # -- nodes and edges ---------------------------------------------------
    def account(self, key: str, props: dict[str, Any]) -> str:
        """Emit an Account once per file, again only when seen with more properties."""
        n = sum(1 for v in props.values() if v is not None)
        if self.seen_accounts.get(key, -1) >= n:
            return key
        self.seen_accounts[key] = n
        self.nodes.append(Node("Account", key, props))
        return key

    def post(self, key: str, props: dict[str, Any]) -> None:
        self.nodes.append(Node("Post", key, props))

    def edge(self, type_: str, src_label: str, src: str, dst_label: str, dst: str) -> None:
        self.edges.append(Edge(type_, src_label, src, dst_label, dst, {}))

    def authored(self, account: str | None, post: str) -> None:
        if account:
            self.edges.append(Edge("AUTHORED", "Account", account, "Post", post, {}))

    def url(self, value: str) -> tuple[str, str] | None:
        """``(url_key, domain)`` of an http(s) URL, or None; cached."""
        return memo(self.url_cache, value, url_info)

    def link(self, src: str, target: str) -> str | None:
        """LINKS_TO from Post ``src`` to the Url ``target`` (node emitted once); its key."""
        if not target or not isinstance(target, str):
            return None
        hit = self.url(target.strip())
        if hit is None:
            return None
        ukey, domain = hit
        if ukey == src:
            return None  # a post's own address is not a link out of it
        if ukey not in self.seen_urls:
            self.seen_urls.add(ukey)
            self.nodes.append(Node("Url", ukey, {"url": target.strip(), "domain": domain}))
        self.edges.append(Edge("LINKS_TO", "Post", src, "Url", ukey, {}))
        return ukey

    def tag(self, src: str, tag: str) -> None:
        """TAGGED from Post ``src`` to the Hashtag ``tag`` (with or without '#')."""
        if not tag or not isinstance(tag, str):
            return
        hkey = self.tag_cache.get(tag)
        if hkey is None:
            if len(self.tag_cache) > CACHE_MAX:
                self.tag_cache.clear()
            hkey = self.tag_cache[tag] = hashtag_key(tag)
        if not hkey:
            return
        if hkey not in self.seen_tags:
            self.seen_tags.add(hkey)
            self.nodes.append(Node("Hashtag", hkey, {"tag": tag.strip().lstrip("#＃")}))
        self.edges.append(Edge("TAGGED", "Post", src, "Hashtag", hkey, {}))

    def mention(self, src: str, account: str) -> None:
        self.edges.append(Edge("MENTIONS", "Post", src, "Account", account, {}))


def record_excerpt(value: Any) -> str:
    """A short excerpt of a record for a rejects file."""
    if isinstance(value, Bad):
        return excerpt(value.raw)
    if isinstance(value, (bytes, str)):
        return excerpt(value)
    try:
        import json

        return excerpt(json.dumps(value, ensure_ascii=False, default=str)[:1000])
    except (TypeError, ValueError):
        return excerpt(repr(value))

