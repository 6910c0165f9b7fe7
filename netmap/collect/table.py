"""Any CSV, TSV or JSON-lines table, read through a small YAML mapping.

For data that netmap has no collector for (4CAT exports, Gephi node/edge
tables turned into posts, a spreadsheet an analyst kept by hand). The table
collector is never chosen by ``auto``: name it and pass the mapping, e.g.
``netmap collect table export.csv --mapping 4cat.yaml`` (the CLI puts the
path in ``CollectOptions.extra["mapping"]``; a library caller may pass the
path or an already loaded dict).

The mapping (every key but ``columns`` optional)::

    platform: twitter        # platform of every row, unless columns.platform names it
    format: csv              # csv | tsv | jsonl (default: by file name, else by content)
    delimiter: ","           # csv: default sniffed from the header line
    header: true             # csv: false = no header row; columns are then 0-based numbers
    encoding: utf-8          # default: detected (BOM, UTF-8, else cp1251 / koi8-r)
    kind: post               # kind of rows that reply to, share and quote nothing (default post)
    time_format: iso         # iso (default; also RFC 2822 and epoch numbers), epoch,
                             # epoch_ms, or a strptime format like "%d.%m.%Y %H:%M"
    timezone: "+05:00"       # for times without an offset: "+05:00" or "Asia/Dushanbe" (default UTC)
    list_separator: ","      # splits list cells (shared_url, hashtags, mentions); default: , ; space
    links_from_text: true    # URLs in the text are links too (default true)
    hashtags_from_text: true # #tags in the text (default true when no hashtags column)
    required: [id, author]   # fields a row must have (default: author, and id or url)
    columns:                 # field: column name (csv header), number, or dotted path (jsonl)
      id: tweet_id           # the post's id on its platform
      url: url               # the post's own URL
      author: author         # handle, or a profile/blog URL
      author_name: author_fullname
      author_url: author_profile
      text: body
      title: title
      time: timestamp
      lang: lang
      parent: in_reply_to    # id or URL of the post this one replies to
      shared: retweet_of     # id or URL of the post natively shared (retweet, forward, repost)
      quoted: quote_of       # id or URL of the post quoted
      shared_url: urls       # URL(s) the post links to or shares
      hashtags: hashtags
      mentions: mentions     # handles or profile URLs
      group: stance          # the author's stance group (stored as the account's group_seed)
      kind: type             # post | comment | reply | share | quote
      views: views
      platform: platform

Keys follow the graph conventions, so a table meets what other collectors
stored: a tweet is ``twitter:<id>``; a blog or web post, or a Telegram post
with its ``t.me`` URL, is keyed by its URL; any other post ``<platform>:<id>``
(give ids in the form the platform's collector uses, e.g. VK ``wall-1_2``).
References (``parent``, ``shared``, ``quoted``) may be ids on the row's
platform or URLs (a tweet's URL becomes ``twitter:<id>``). Authors are
``<platform>:<handle>``; a profile or blog URL is that account; a name on a
blog or web row is ``blog:<host of the row's URL>/<name>``.

Each row is one input record. A row lacking a required field, or too short
to reach a mapped column, is rejected with its line. The file is streamed:
CSV through :mod:`csv` (field size limit raised to 64 MiB) over an
incremental decoder, JSON lines line by line.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from ..errors import CollectError
from ..keys import (
    account_key,
    account_ref,
    blog_account_key,
    hashtag_key,
    host_of,
    is_http_url,
    post_key,
    site_key,
    url_key,
)
from ..model import POST_KINDS, Batch, utc_iso
from .base import CACHE_MAX, CollectOptions, Collector, Source, decode_bytes, excerpt, iter_lines
from .shorturls import is_short, resolver_for

__all__ = ["TableCollector", "TableMapping", "load_mapping", "FIELDS"]

FIELDS: tuple[str, ...] = (
    "id", "url", "author", "author_name", "author_url", "text", "title", "time", "lang",
    "parent", "shared", "quoted", "shared_url", "hashtags", "mentions", "group", "kind",
    "views", "platform",
)
_LIST_FIELDS = frozenset(("shared_url", "hashtags", "mentions"))
_OPTIONS = frozenset((
    "platform", "format", "delimiter", "header", "encoding", "kind", "time_format", "timezone",
    "list_separator", "links_from_text", "hashtags_from_text", "required", "columns",
))
_URL_KEYED = frozenset(("blog", "web", "telegram"))
_FIELD_LIMIT = 64 * 1024 * 1024
_MAX_LINE = 64 * 1024 * 1024
_TEXT_URL = re.compile(r"https?://[^\s<>\"'«»]+", re.I)
_TEXT_TAG = re.compile(r"(?<![\w&])[#＃](\w{1,139})", re.U)
_TWEET_URL = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/[^/]+/status(?:es)?/(\d+)", re.I)
_SPLIT = re.compile(r"[,;\s]+")


@dataclass
class TableMapping:
    """A validated mapping (see the module docstring for the YAML)."""

    columns: dict[str, Any]
    platform: str | None = None
    format: str | None = None
    delimiter: str | None = None
    header: bool = True
    encoding: str | None = None
    kind: str = "post"
    time_format: str = "iso"
    timezone: _dt.tzinfo = _dt.UTC
    list_separator: str | None = None
    links_from_text: bool = True
    hashtags_from_text: bool | None = None
    required: list[str] = field(default_factory=list)
    source: str = "<mapping>"


def _tz(value: Any, where: str) -> _dt.tzinfo:
    text = str(value).strip()
    m = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", text, re.I)
    if m:
        delta = _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return _dt.timezone(-delta if m.group(1) == "-" else delta)
    if text.upper() in ("UTC", "GMT", "Z"):
        return _dt.UTC
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(text)
    except (ValueError, KeyError, ImportError, OSError):
        raise CollectError(f"{where}: unknown timezone {text!r}; write e.g. \"+05:00\" or "
                           "\"Asia/Dushanbe\"") from None


def load_mapping(value: str | Path | dict[str, Any]) -> TableMapping:
    """Read and check a mapping: a YAML file path or an already loaded dict.

    Raises
    ------
    CollectError
        The file is missing or invalid; the message names the key at fault.
    """
    where = "mapping"
    if isinstance(value, dict):
        data: Any = value
    else:
        where = str(value)
        path = Path(value)
        if not path.is_file():
            raise CollectError(f"{where}: mapping file not found")
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise CollectError(f"{where}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise CollectError(f"{where}: a mapping must be a YAML dictionary with a 'columns' key")
    unknown = sorted(set(map(str, data)) - _OPTIONS)
    if unknown:
        raise CollectError(f"{where}: unknown key(s) {', '.join(unknown)}; "
                           f"known: {', '.join(sorted(_OPTIONS))}")
    cols = data.get("columns")
    if not isinstance(cols, dict) or not cols:
        raise CollectError(f"{where}: 'columns' must map fields to column names, "
                           f"e.g. columns: {{id: tweet_id, author: user, text: body}}")
    bad = sorted(set(map(str, cols)) - set(FIELDS))
    if bad:
        raise CollectError(f"{where}: unknown field(s) under columns: {', '.join(bad)}; "
                           f"fields: {', '.join(FIELDS)}")
    m = TableMapping(columns={str(k): v for k, v in cols.items() if v is not None and v != ""},
                     source=where)
    m.platform = str(data["platform"]).strip().lower() if data.get("platform") else None
    if not m.platform and "platform" not in m.columns:
        raise CollectError(f"{where}: say which platform the rows are from "
                           "(platform: twitter) or name a platform column")
    fmt = data.get("format")
    if fmt is not None and str(fmt).lower() not in ("csv", "tsv", "jsonl", "ndjson"):
        raise CollectError(f"{where}: format must be csv, tsv or jsonl, not {fmt!r}")
    m.format = {"ndjson": "jsonl"}.get(str(fmt).lower(), str(fmt).lower()) if fmt else None
    if data.get("delimiter") is not None:
        delim = str(data["delimiter"]).replace("\\t", "\t")
        if len(delim) != 1:
            raise CollectError(f"{where}: delimiter must be one character, not {delim!r}")
        m.delimiter = delim
    m.header = bool(data.get("header", True))
    if not m.header and not all(isinstance(v, int) for v in m.columns.values()):
        raise CollectError(f"{where}: without a header row, columns must be 0-based numbers")
    m.encoding = str(data["encoding"]) if data.get("encoding") else None
    if m.encoding:
        try:
            import codecs

            codecs.lookup(m.encoding)
        except LookupError:
            raise CollectError(f"{where}: unknown encoding {m.encoding!r}") from None
    m.kind = str(data.get("kind") or "post")
    if m.kind not in POST_KINDS:
        raise CollectError(f"{where}: kind must be one of {', '.join(POST_KINDS)}")
    m.time_format = str(data.get("time_format") or "iso")
    if data.get("timezone"):
        m.timezone = _tz(data["timezone"], where)
    m.list_separator = str(data["list_separator"]) if data.get("list_separator") else None
    m.links_from_text = bool(data.get("links_from_text", True))
    if "hashtags_from_text" in data:
        m.hashtags_from_text = bool(data["hashtags_from_text"])
    req = data.get("required")
    if req is None:
        m.required = ["author"] if "author" in m.columns else []
    else:
        req = [req] if isinstance(req, str) else req
        if not isinstance(req, list) or not all(isinstance(r, str) and r in FIELDS for r in req):
            raise CollectError(f"{where}: required must list fields from: {', '.join(FIELDS)}")
        m.required = list(req)
    missing = [r for r in m.required if r not in m.columns]
    if missing:
        raise CollectError(f"{where}: required field(s) {', '.join(missing)} have no column")
    if "id" not in m.columns and "url" not in m.columns:
        raise CollectError(f"{where}: map an id or a url column: posts need a key")
    if "author" not in m.columns:
        raise CollectError(f"{where}: map an author column: every post needs its account")
    return m


# --------------------------------------------------------------------------
# reading rows
# --------------------------------------------------------------------------

def _detect_encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # the head cut a character in two
    _text, enc = decode_bytes(head)
    return enc


def _sniff_delimiter(line: str) -> str:
    counts = {d: 0 for d in ",\t;|"}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _get(obj: Any, path: str) -> Any:
    cur = obj
    for part in path.split("."):
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return None
    return cur


class _Reader:
    """Yields ``(location, {field: value} | None, problem)`` for each row."""

    def __init__(self, source: Source, mapping: TableMapping) -> None:
        self.source = source
        self.m = mapping
        fmt = mapping.format
        if fmt is None:
            suffix = source.path.suffix.lower() if not source.url else Path(source.url).suffix.lower()
            fmt = {".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
                   ".csv": "csv"}.get(suffix)
        if fmt is None:
            head = source.head().lstrip(b"\xef\xbb\xbf").lstrip()
            fmt = "jsonl" if head[:1] == b"{" else "csv"
        self.format = fmt

    def rows(self) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
        if self.format == "jsonl":
            yield from self._jsonl()
        else:
            yield from self._csv()

    def _jsonl(self) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
        cols = self.m.columns
        with self.source.open() as fh:
            for n, raw in iter_lines(fh, _MAX_LINE):
                loc = f"line {n}"
                if raw is None:
                    yield loc, None, f"line longer than {_MAX_LINE} bytes"
                    continue
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw)
                except ValueError as exc:
                    yield loc, None, f"invalid JSON: {exc}"
                    continue
                if not isinstance(obj, dict):
                    yield loc, None, f"a JSON {type(obj).__name__}, not an object"
                    continue
                yield loc, {f: _get(obj, str(c)) for f, c in cols.items()}, None

    def _csv(self) -> Iterator[tuple[str, dict[str, Any] | None, str | None]]:
        csv.field_size_limit(_FIELD_LIMIT)
        m = self.m
        encoding = m.encoding or _detect_encoding(self.source.head())
        with self.source.open() as fh:
            # TextIOWrapper decodes incrementally: the file is never held whole.
            text = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")
            delimiter = m.delimiter or ("\t" if self.format == "tsv" else None)
            if delimiter is None:
                first = text.readline()
                delimiter = _sniff_delimiter(first)
                lines: Iterator[str] = itertools.chain([first], text)
            else:
                lines = iter(text)
            reader = csv.reader(lines, delimiter=delimiter)
            index: dict[str, int] = {}
            if m.header:
                try:
                    header = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise CollectError(f"{self.source.name}: unreadable header line ({exc})") from None
                names = [h.strip().lstrip("\ufeff") for h in header]
                for i, name in enumerate(names):
                    index.setdefault(name, i)
                missing = [f"{f} -> {c!r}" for f, c in m.columns.items() if str(c) not in index]
                if missing:
                    raise CollectError(
                        f"{self.source.name}: mapped column(s) not in the header: "
                        f"{', '.join(missing)}; the header has: {', '.join(names[:60])}"
                    )
                cols = {f: index[str(c)] for f, c in m.columns.items()}
            else:
                cols = {f: int(c) for f, c in m.columns.items()}
            last = reader.line_num
            while True:
                start = last + 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    last = reader.line_num
                    yield f"line {start}", None, f"malformed CSV: {exc}"
                    continue
                last = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                loc = f"line {start}"
                short = [f for f, i in cols.items() if i >= len(row)]
                if short:
                    yield loc, None, (f"row has {len(row)} fields; no column for "
                                      f"{', '.join(short)}")
                    continue
                yield loc, {f: row[i] for f, i in cols.items()}, None


# --------------------------------------------------------------------------
# rows -> graph
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=200_000)
def _url_info(url: str) -> tuple[str, str] | None:
    """``(url_key, host)`` of an http(s) URL, else None; cached (a campaign repeats its links)."""
    if not url.startswith(("http://", "https://", "HTTP", "Http")) or not is_http_url(url):
        return None
    try:
        return url_key(url), host_of(url)
    except ValueError:
        return None


def _is_url(value: str | None) -> bool:
    return bool(value) and _url_info(value) is not None  # type: ignore[arg-type]


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _list(value: Any, sep: str | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [s for s in (_str(v) for v in value) if s]
    text = _str(value)
    if not text:
        return []
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return [s for s in (_str(v) for v in parsed) if s]
        except ValueError:
            pass
    parts = text.split(sep) if sep else _SPLIT.split(text)
    return [p.strip() for p in parts if p.strip()]


class _Mapper:
    def __init__(self, mapping: TableMapping, resolve: Callable[[str], str]) -> None:
        self.m = mapping
        self.resolve = resolve
        self.seen_accounts: dict[str, tuple[Any, ...]] = {}
        self.seen_urls: set[str] = set()

    def new_batch(self) -> None:
        for seen in (self.seen_accounts, self.seen_urls):
            if len(seen) > CACHE_MAX:
                seen.clear()

    # -- values -------------------------------------------------------------
    def time(self, value: Any) -> str | None:
        text = _str(value)
        if text is None:
            return None
        fmt = self.m.time_format
        tz = self.m.timezone
        try:
            if fmt in ("epoch", "epoch_ms") or (fmt == "iso" and re.fullmatch(r"\d{9,13}(\.\d+)?", text)):
                num = float(text)
                if fmt == "epoch_ms" or (fmt == "iso" and num > 1e11):
                    num /= 1000
                return utc_iso(num)
            if fmt == "iso":
                iso = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", text) else text
                try:
                    dt = _dt.datetime.fromisoformat(iso[:-1] + "+00:00" if iso.endswith("Z") else iso)
                except ValueError:
                    dt = parsedate_to_datetime(text)
            else:
                dt = _dt.datetime.strptime(text, fmt)
        except (ValueError, TypeError, OverflowError, IndexError):
            raise ValueError(f"time {text[:60]!r} does not match {fmt!r}") from None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=tz)
        return utc_iso(dt)

    def platform(self, row: dict[str, Any]) -> str:
        value = _str(row.get("platform")) if "platform" in self.m.columns else None
        platform = (value or self.m.platform or "").lower()
        if not platform:
            raise ValueError("no platform for this row")
        return platform

    def post_key(self, platform: str, ident: str | None, url: str | None) -> str:
        if platform == "twitter" and ident:
            return post_key("twitter", ident)
        if url and platform in _URL_KEYED:
            return _url_info(url)[0]  # type: ignore[index]
        if ident:
            return post_key(platform, ident)
        if url:
            return _url_info(url)[0]  # type: ignore[index]
        raise ValueError("row has neither an id nor a URL")

    def ref_key(self, platform: str, value: str) -> str:
        if _is_url(value):
            m = _TWEET_URL.match(value)
            if m:
                return post_key("twitter", m.group(1))
            return _url_info(value)[0]  # type: ignore[index]
        return post_key(platform, value)

    def account(self, b: Batch, platform: str, author: str, row_url: str | None,
                **props: Any) -> str:
        if _is_url(author):
            key = account_ref(author)
            props.setdefault("url", author)
            props["profile_links"] = [author]
        elif platform in ("blog", "web"):
            if not row_url:
                raise ValueError("a blog or web author needs the row's URL to tell the blog")
            key = blog_account_key(host_of(row_url), author)
            props.setdefault("handle", author)
        else:
            key = account_key(platform, author)
            props.setdefault("handle", author.lstrip("@"))
        acc_platform = key.partition(":")[0]
        sig = tuple(sorted((k, str(v)) for k, v in props.items() if v is not None))
        if self.seen_accounts.get(key) != sig:
            self.seen_accounts[key] = sig
            b.node("Account", key, platform=acc_platform, **props)
        return key

    def url(self, b: Batch, src: str, url: str, edge: str = "LINKS_TO") -> None:
        url = self.resolve(url)
        info = _url_info(url)
        if info is None or info[0] == src:
            return
        key = info[0]
        if key not in self.seen_urls:
            self.seen_urls.add(key)
            b.node("Url", key, url=url, domain=info[1])
        b.edge(edge, "Post", src, "Url", key)

    # -- one row --------------------------------------------------------------
    def row(self, b: Batch, row: dict[str, Any]) -> str | None:
        """Map one row into ``b``; return why it is rejected, or None."""
        m = self.m
        for req in m.required:
            value = row.get(req)
            if value is None or (isinstance(value, str) and not value.strip()):
                return f"missing {req} (column {m.columns[req]!r})"
        platform = self.platform(row)
        ident = _str(row.get("id"))
        url = _str(row.get("url"))
        url = url if _is_url(url) else None
        author = _str(row.get("author"))
        if not author:
            return f"missing author (column {m.columns.get('author')!r})"
        if not ident and not url:
            return "row has neither an id nor a URL"
        key = self.post_key(platform, ident, url)
        text = row.get("text") if isinstance(row.get("text"), str) else _str(row.get("text"))
        parent = _str(row.get("parent"))
        shared = _str(row.get("shared"))
        quoted = _str(row.get("quoted"))
        kind = (_str(row.get("kind")) or "").lower()
        if kind not in POST_KINDS:
            kind = ("share" if shared else "quote" if quoted else
                    ("comment" if platform in ("blog", "web") else "reply") if parent else m.kind)
        views = _str(row.get("views"))
        b.node("Post", key, platform=platform, kind=kind, text=text or None,
               title=_str(row.get("title")), lang=(_str(row.get("lang")) or "").lower()[:8] or None,
               created_at=self.time(row.get("time")), url=url,
               views=int(float(views)) if views and re.fullmatch(r"\d+(\.0+)?", views) else None)
        author_url = _str(row.get("author_url"))
        akey = self.account(b, platform, author, url, name=_str(row.get("author_name")),
                            url=author_url if _is_url(author_url) else None,
                            group_seed=_str(row.get("group")))
        b.edge("AUTHORED", "Account", akey, "Post", key)
        if url and platform in ("blog", "web"):
            b.edge("PUBLISHED_ON", "Post", key, "Site", site_key(url))
        if parent:
            b.edge("REPLIES_TO", "Post", key, "Post", self.ref_key(platform, parent))
        if shared:
            b.edge("SHARES", "Post", key, "Post", self.ref_key(platform, shared))
        if quoted:
            b.edge("QUOTES", "Post", key, "Post", self.ref_key(platform, quoted))
        links = [u for u in _list(row.get("shared_url"), m.list_separator) if _is_url(u)]
        if m.links_from_text and text:
            refs = {self.ref_key(platform, r) for r in (parent, shared, quoted) if r}
            for u in _TEXT_URL.findall(text):
                u = u.rstrip(".,;:!?)»")
                if links and is_short(u):
                    continue  # the URL column already holds the expanded form of text links
                tweet = _TWEET_URL.match(u)
                if tweet and post_key("twitter", tweet.group(1)) in refs:
                    continue  # the permalink of the post quoted or replied to
                links.append(u)
        done: set[str] = set()
        for link in links:
            if link not in done:
                done.add(link)
                self.url(b, key, link)
        tags = _list(row.get("hashtags"), m.list_separator)
        from_text = m.hashtags_from_text if m.hashtags_from_text is not None else \
            "hashtags" not in m.columns
        if from_text and text:
            tags.extend(_TEXT_TAG.findall(text))
        seen_tags: set[str] = set()
        for tag in tags:
            hkey = hashtag_key(tag)
            if hkey and hkey not in seen_tags:
                seen_tags.add(hkey)
                b.node("Hashtag", hkey, tag=tag.lstrip("#＃"))
                b.edge("TAGGED", "Post", key, "Hashtag", hkey)
        for handle in _list(row.get("mentions"), m.list_separator):
            handle = handle.strip()
            if not handle.lstrip("@"):
                continue
            mkey = account_ref(handle) if _is_url(handle) else account_key(platform, handle)
            b.edge("MENTIONS", "Post", key, "Account", mkey)
        return None


class TableCollector(Collector):
    """CSV / TSV / JSON lines with a YAML mapping (``options.extra["mapping"]``)."""

    name = "table"
    description = "any CSV/TSV/JSON-lines table, read through a YAML column mapping (--mapping)"

    def sniff(self, source: Source) -> int:
        return 0  # any file could be a table: only ever read when named, with a mapping

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        spec = options.extra.get("mapping")
        if not spec:
            raise CollectError(
                f"{source.name}: the table format needs a mapping that says what each column "
                "means: pass --mapping FILE.yaml (see `netmap.collect.table` for the keys)"
            )
        mapping = spec if isinstance(spec, TableMapping) else load_mapping(spec)
        reader = _Reader(source, mapping)
        mapper = _Mapper(mapping, resolver_for(options))
        size = max(int(options.batch_size or 1), 1)
        b = Batch(source=source.name)
        for loc, row, problem in reader.rows():
            if row is None:
                b.reject(loc, problem or "unreadable row", "")
            else:
                n_nodes, n_edges = len(b.nodes), len(b.edges)
                try:
                    reason = mapper.row(b, row)
                except (ValueError, TypeError) as exc:
                    reason = str(exc)
                if reason is None:
                    b.ok()
                else:
                    del b.nodes[n_nodes:], b.edges[n_edges:]
                    mapper.seen_accounts.clear()
                    mapper.seen_urls.clear()
                    b.reject(loc, reason, excerpt(json.dumps(row, ensure_ascii=False, default=str)))
            if b.read >= size:
                yield b
                b = Batch(source=source.name)
                mapper.new_batch()
        if b.read or b.nodes:
            yield b
