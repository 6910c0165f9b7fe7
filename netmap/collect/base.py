"""What every collector shares: the input :class:`Source`, options, and the base class.

A collector turns one input (a file, stdin, or an http(s) URL) into
:class:`~netmap.model.Batch` objects. It never touches a store, never raises
on a bad record (it rejects it with a location and a reason), and raises
:class:`~netmap.errors.CollectError` only when the whole input is unusable.
"""

from __future__ import annotations

import codecs
import io
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar

from ..errors import CollectError
from ..model import Batch

if TYPE_CHECKING:
    from .http import Fetcher

__all__ = [
    "Source",
    "CollectOptions",
    "Collector",
    "expand_inputs",
    "decode_bytes",
    "iter_lines",
    "excerpt",
    "CACHE_MAX",
    "memo",
    "url_info",
]

HEAD_BYTES = 64 * 1024

# Collectors memoise keys of repeated values (links, handles, tags); past this many entries a
# cache is cleared rather than grown, so memory stays bounded on any input.
CACHE_MAX = 500_000

_MISSING = object()


def memo(cache: dict[Any, Any], key: Any, compute: Any) -> Any:
    """``compute(key)`` remembered in ``cache`` (bounded by :data:`CACHE_MAX`)."""
    hit = cache.get(key, _MISSING)
    if hit is not _MISSING:
        return hit
    if len(cache) > CACHE_MAX:
        cache.clear()
    out = cache[key] = compute(key)
    return out


def url_info(value: str) -> tuple[str, str] | None:
    """``(url_key, host)`` of an http(s) URL, or None when it is not one."""
    from ..keys import host_of, url_key

    try:
        return url_key(value), host_of(value)
    except ValueError:
        return None


@dataclass
class CollectOptions:
    batch_size: int = 20000
    follow_comments: bool = False
    allow_private: bool = False
    fetcher: Fetcher | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Source:
    """One input: a local file, stdin (``-``) or an http(s) URL, opened as bytes.

    ``name`` is what error messages and provenance show (the path or URL).
    URLs and stdin are spooled to a temporary file once, so they can be sniffed
    and then read like a file.
    """

    def __init__(self, name: str, path: Path, *, url: str | None = None,
                 content_type: str | None = None, temp: bool = False,
                 final_url: str | None = None) -> None:
        self.name = name
        self.path = path
        self.url = url
        # where the URL's redirects ended (a short link's target, http -> https, ...)
        self.final_url = final_url or url
        self.content_type = content_type
        self._temp = temp
        self._head: bytes | None = None

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        p = Path(path)
        if not p.exists():
            raise CollectError(f"{path}: no such file or directory")
        if not p.is_file():
            raise CollectError(f"{path}: not a regular file")
        return cls(str(path), p)

    @classmethod
    def from_stdin(cls, stream: IO[bytes] | None = None) -> Source:
        stream = stream if stream is not None else sys.stdin.buffer
        tmp = tempfile.NamedTemporaryFile(prefix="netmap-stdin-", delete=False)
        with tmp:
            shutil.copyfileobj(stream, tmp, 1024 * 1024)
        return cls("<stdin>", Path(tmp.name), temp=True)

    @classmethod
    def from_url(cls, url: str, fetcher: Fetcher) -> Source:
        result = fetcher.fetch_to_file(url)
        return cls(url, result.path, url=url, content_type=result.content_type, temp=False,
                   final_url=result.final_url)

    def open(self) -> IO[bytes]:
        return open(self.path, "rb")

    def head(self) -> bytes:
        if self._head is None:
            with self.open() as fh:
                self._head = fh.read(HEAD_BYTES)
        return self._head

    def size(self) -> int:
        return self.path.stat().st_size

    def cleanup(self) -> None:
        if self._temp:
            self.path.unlink(missing_ok=True)


def expand_inputs(inputs: list[str], fetcher: Fetcher | None = None) -> Iterator[Source]:
    """Yield a Source per input; a directory yields every (non-hidden) file under it, sorted."""
    for item in inputs:
        if item == "-":
            yield Source.from_stdin()
        elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", item):
            scheme = item.split("://", 1)[0].lower()
            if scheme not in ("http", "https"):
                raise CollectError(f"{item}: only http(s) URLs, files, directories and '-' are read")
            if fetcher is None:
                from .http import Fetcher

                fetcher = Fetcher()
            yield Source.from_url(item, fetcher)
        else:
            p = Path(item)
            if p.is_dir():
                files = sorted(
                    f for f in p.rglob("*")
                    if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
                if not files:
                    raise CollectError(f"{item}: directory holds no files")
                for f in files:
                    yield Source.from_path(f)
            else:
                yield Source.from_path(p)


_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.I)


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes to text: BOM, then declared/XML/meta charset, then UTF-8, then cp1251.

    Returns ``(text, encoding_used)``. Cyrillic in cp1251 or koi8-r without a
    declaration is told apart by letter frequencies.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    head = data[:2048]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    if m:
        candidates.append(m.group(1).decode("ascii", "ignore"))
    for enc in candidates:
        try:
            codecs.lookup(enc)
        except LookupError:
            continue
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = _guess_cyrillic(data)
    return data.decode(enc, errors="replace"), enc


def _guess_cyrillic(data: bytes) -> str:
    """cp1251 or koi8-r: pick the one whose decoding has more common Russian lower-case letters."""
    common = set("оеаинтсрвлкмдпуяыь")
    best, best_score = "cp1251", -1
    for enc in ("cp1251", "koi8-r"):
        text = data[:20000].decode(enc, errors="replace")
        score = sum(1 for ch in text if ch in common)
        if score > best_score:
            best, best_score = enc, score
    return best


def iter_lines(fh: IO[bytes], max_line: int = 64 * 1024 * 1024) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line_number, bytes)`` from a binary stream without loading the file.

    A line longer than ``max_line`` is skipped while streaming and yielded as
    ``(n, None)`` so the caller can reject it without holding it in memory.
    """
    n = 0
    while True:
        line = fh.readline(max_line + 1)
        if not line:
            return
        n += 1
        if len(line) > max_line and not line.endswith(b"\n"):
            # drain the rest of the over-long line
            while True:
                chunk = fh.readline(1024 * 1024)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, line


def excerpt(data: bytes | str, n: int = 200) -> str:
    if isinstance(data, bytes):
        data = data[: n * 4].decode("utf-8", errors="replace")
    return data[:n]


class Collector:
    """Base class. Subclasses set ``name`` and ``description`` and implement ``read``.

    Register a collector (built-in or plugin) under the ``netmap.collectors``
    entry-point group: ``myformat = "mypkg.module:MyCollector"``.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def sniff(self, source: Source) -> int:
        """How sure (0-100) this collector is that it can read ``source``."""
        return 0

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        raise NotImplementedError

    # helper for subclasses
    @staticmethod
    def text_stream(source: Source) -> io.TextIOBase:
        data = source.path.read_bytes()
        text, _ = decode_bytes(data)
        return io.StringIO(text)
