"""RSS 2.0 / RSS 1.0 / Atom blog feeds and WordPress comment feeds.

Each feed item is one input record. A blog post becomes a ``Post`` (kind
``post``, key ``url_key(link)``) with its author ``Account``, the ``Site`` it
is published on, its categories as ``Hashtag`` nodes and every ``<a href>`` in
its body as ``LINKS_TO``. A comment (an item of a WordPress comment feed, or
any item whose link carries a ``#comment-N`` anchor) becomes a ``Post`` of kind
``comment`` that ``REPLIES_TO`` its post or, for threaded replies, the comment
it answers.

Parsing happens in three steps so that hostile or broken input cannot hurt:

1. The bytes are decoded with :func:`~netmap.collect.base.decode_bytes` (BOM,
   declared charset, UTF-8, then cp1251/koi8-r by letter frequencies) and
   re-encoded as UTF-8 without an XML declaration, so feeds in cp1251 or koi8-r
   come out right with or without a declaration (feedparser alone reads an
   undeclared cp1251 feed as windows-1252 mojibake).
2. The DOCTYPE is removed before any XML parser sees the document, so external
   entities are never resolved or fetched and entity bombs never expand; HTML
   named entities (``&nbsp;``, ``&laquo;``) that such DOCTYPEs used to define
   become numeric references. lxml then checks well-formedness with
   ``resolve_entities=False, no_network=True, huge_tree=False``. When the
   document is malformed, each ``<item>``/``<entry>`` is checked on its own:
   broken ones are rejected with their number, line and the parser's reason,
   the others are kept.
3. feedparser reads the cleaned, well-formed document (HTML sanitising and
   relative-URI resolution off: links are resolved here, against the item link).
"""

from __future__ import annotations

import copy
import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
from lxml import etree

from ..errors import CollectError
from ..keys import (
    blog_account_key,
    hashtag_key,
    host_of,
    is_http_url,
    post_key,
    profile_account,
    site_key,
    url_key,
)
from ..model import Batch, utc_iso
from .base import CollectOptions, Collector, Source, decode_bytes

__all__ = ["FeedsCollector", "parse_feed", "html_text_links", "ParsedFeed", "FeedItem", "MAX_FEED_BYTES"]

# A feed is read whole (feedparser needs the whole document); anything bigger
# than this is not a feed a blog serves.
MAX_FEED_BYTES = 256 * 1024 * 1024

_THR = "{http://purl.org/syndication/thread/1.0}"

_XML_PARSER_ARGS = dict(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
    dtd_validation=False, remove_comments=False,
)

_HTML_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)

# Prolog items that may precede the root element.
_PROLOG = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*<([A-Za-z_][\w.:-]*)", re.S
)
_XML_DECL = re.compile(r"\A\s*<\?xml\b.*?\?>", re.S)
_FEED_ROOTS = {"rss", "feed", "RDF"}
_XML_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_ITEM_TOKEN = re.compile(
    r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<(/?)((?:[\w.-]+:)?(?:item|entry))(?=[\s/>])[^>]*>", re.S
)
_CONTAINER_END = re.compile(r"</(?:[\w.-]+:)?(?:channel|feed|RDF)\s*>")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LXML_POS = re.compile(r",? line \d+, column \d+\s*$")

_COMMENT_ANCHOR = re.compile(r"#comment-(\d+)")
_COMMENT_QUERY = re.compile(r"[?&](?:replytocom|comment_id|comment)=(\d+)")
_COMMENT_ITEM_TITLE = re.compile(
    r"^\s*(?:Comment on (?P<en>.+) by (?P<en_by>.+)|Комментарий к записи (?P<ru>.+?)(?: от (?P<ru_by>.+))?)\s*$",
    re.S,
)
_COMMENT_FEED_TITLE = re.compile(
    r"^\s*(?:Comments on:?\s|Comments for\s|Комментари[ийя] (?:к|для|на)\s|Комментарии:)", re.I
)
_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "tr", "pre", "table", "section", "article", "hr",
)


# --------------------------------------------------------------------------
# cleaning and well-formedness
# --------------------------------------------------------------------------

def _strip_doctype(text: str) -> str:
    """Blank out the DOCTYPE (with its internal subset), keeping line numbers."""
    m = _PROLOG.match(text)
    limit = m.start(1) if m else min(len(text), 65536)
    start = text.find("<!DOCTYPE", 0, limit)
    if start < 0:
        return text
    i = start + len("<!DOCTYPE")
    quote: str | None = None
    in_subset = False
    n = len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            in_subset = True
        elif ch == "]":
            in_subset = False
        elif ch == ">" and not in_subset:
            break
        i += 1
    end = min(i + 1, n)
    blank = "\n" * text.count("\n", start, end)
    return text[:start] + blank + text[end:]


def _numeric_entities(text: str) -> str:
    """Turn HTML named entities into numeric references (XML knows only five names)."""
    if "&" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _XML_PREDEFINED:
            return m.group(0)
        cp = html.entities.name2codepoint.get(name)
        return f"&#{cp};" if cp is not None else m.group(0)

    return _NAMED_ENTITY.sub(repl, text)


def _blank_decl(text: str) -> str:
    """Replace the XML declaration by spaces: the bytes handed on are UTF-8 whatever it said."""
    m = _XML_DECL.match(text)
    if not m:
        return text
    decl = m.group(0)
    return re.sub(r"[^\n]", " ", decl) + text[m.end():]


def _root_name(text: str) -> str | None:
    m = _PROLOG.match(text)
    return m.group(1) if m else None


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _lxml_reason(exc: etree.XMLSyntaxError) -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    return "malformed XML: " + _LXML_POS.sub("", msg).strip()


def _strict_parser() -> etree.XMLParser:
    # A fresh parser per document keeps error logs apart.
    return etree.XMLParser(recover=False, **_XML_PARSER_ARGS)


@dataclass
class _Salvage:
    text: str
    lines: list[int]  # original line of each kept item, in order
    numbers: list[int]  # original 1-based item number of each kept item
    rejects: list[tuple[str, str, str]]  # location, reason, excerpt


def _salvage(text: str, root_qname: str) -> _Salvage:
    """Split a malformed feed into items, keep the well-formed ones, reject the rest."""
    chunks: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _ITEM_TOKEN.finditer(text):
        if m.group(2) is None:
            continue  # CDATA section or comment: markup inside is text
        if m.group(1) != "/":
            if open_at is not None:  # previous item never closed
                chunks.append((open_at, m.start()))
                open_at = None
            if m.group(0).endswith("/>"):
                chunks.append((m.start(), m.end()))
            else:
                open_at = m.start()
        elif open_at is not None:
            chunks.append((open_at, m.end()))
            open_at = None
    if open_at is not None:
        m_end = _CONTAINER_END.search(text, open_at)
        chunks.append((open_at, m_end.start() if m_end else len(text)))

    skeleton_parts: list[str] = []
    pos = 0
    for s, e in chunks:
        skeleton_parts.append(text[pos:s])
        skeleton_parts.append("\n" * text.count("\n", s, e))
        pos = e
    skeleton_parts.append(text[pos:])
    skeleton = "".join(skeleton_parts)

    m_root = re.search(r"<" + re.escape(root_qname) + r"(?=[\s>])[^>]*>", skeleton)
    if not m_root:
        raise CollectError("the feed's root element is malformed")
    wrap_open = m_root.group(0)
    wrap_close = f"</{root_qname}>"
    if _local(root_qname.split(":")[-1]) == "rss":
        m_ch = re.search(r"<channel(?=[\s>])[^>]*>", skeleton)
        wrap_open += m_ch.group(0) if m_ch else "<channel>"
        wrap_close = "</channel>" + wrap_close
    open_lines = wrap_open.count("\n")

    out: list[str] = []
    lines: list[int] = []
    numbers: list[int] = []
    rejects: list[tuple[str, str, str]] = []
    pos = 0
    for i, (s, e) in enumerate(chunks, start=1):
        chunk = text[s:e]
        line = text.count("\n", 0, s) + 1
        out.append(text[pos:s])
        try:
            etree.fromstring((wrap_open + chunk + wrap_close).encode("utf-8"), _strict_parser())
        except etree.XMLSyntaxError as exc:
            def in_input(n: int, line: int = line) -> int:
                # lines of the wrapped chunk -> lines of the input file
                return line + max(n - 1 - open_lines, 0)

            msg = re.sub(r"\bline (\d+)", lambda m: f"line {in_input(int(m.group(1)))}",
                         _lxml_reason(exc))
            reason = msg.replace("malformed XML:", f"malformed XML at line {in_input(exc.lineno or 1)}:", 1)
            rejects.append((f"item {i} (line {line})", reason, chunk[:300]))
            out.append("\n" * chunk.count("\n"))
        else:
            out.append(chunk)
            lines.append(line)
            numbers.append(i)
        pos = e
    out.append(text[pos:])
    return _Salvage("".join(out), lines, numbers, rejects)


# --------------------------------------------------------------------------
# parsed feed
# --------------------------------------------------------------------------

@dataclass
class FeedItem:
    """One item as feedparser reads it, with what only the XML tree tells."""

    number: int  # 1-based position in the input
    line: int | None
    entry: Any  # feedparser.FeedParserDict
    in_reply_to: tuple[str | None, str | None] | None = None  # thr:in-reply-to (ref, href)

    @property
    def location(self) -> str:
        return f"item {self.number}" + (f" (line {self.line})" if self.line else "")


@dataclass
class ParsedFeed:
    name: str
    version: str
    feed: Any  # feedparser's channel dict
    items: list[FeedItem] = field(default_factory=list)
    rejects: list[tuple[str, str, str]] = field(default_factory=list)
    encoding: str = "utf-8"


def _find_items(root: etree._Element) -> list[etree._Element]:
    name = _local(root.tag)
    if name == "feed":
        return [el for el in root if _local(el.tag) == "entry"]
    items = [el for el in root if _local(el.tag) == "item"]
    if name == "rss":
        for ch in root:
            if _local(ch.tag) == "channel":
                items = [el for el in ch if _local(el.tag) == "item"] + items
    return items


def _container(root: etree._Element) -> etree._Element:
    if _local(root.tag) == "rss":
        for ch in root:
            if _local(ch.tag) == "channel":
                return ch
    return root


def _feedparser(data: bytes) -> Any:
    return feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)


def parse_feed(data: bytes, name: str, declared: str | None = None) -> ParsedFeed:
    """Parse feed bytes safely into a :class:`ParsedFeed`.

    Parameters
    ----------
    data : bytes
        The feed as fetched or read.
    name : str
        File name or URL, used in error messages.
    declared : str, optional
        Charset from an HTTP ``Content-Type`` header, if any.

    Raises
    ------
    CollectError
        When the input is not an RSS/Atom feed at all.
    """
    if not data.strip():
        raise CollectError(f"{name}: empty file, not an RSS or Atom feed")
    text, encoding = decode_bytes(data, declared)
    text = _blank_decl(_numeric_entities(_strip_doctype(text)))
    # C0 control characters are illegal in XML and carry nothing: drop them
    # rather than reject the items that hold them.
    text = _CONTROL_CHARS.sub("", text)
    root_qname = _root_name(text)
    if root_qname is None:
        raise CollectError(
            f"{name}: not an RSS or Atom feed (no XML root element found); "
            "check the file, or name its format explicitly"
        )
    if root_qname.split(":")[-1] not in _FEED_ROOTS:
        raise CollectError(
            f"{name}: not an RSS or Atom feed (root element <{root_qname}>); "
            "check the file, or name its format explicitly"
        )
    parsed = ParsedFeed(name=name, version="", feed={}, encoding=encoding)
    numbers: list[int] | None = None  # input item numbers of the items kept, in order
    salvaged_lines: list[int] | None = None
    recovered = False
    try:
        root = etree.fromstring(text.encode("utf-8"), _strict_parser())
    except etree.XMLSyntaxError:
        try:
            salvage = _salvage(text, root_qname)
        except CollectError as exc:
            raise CollectError(f"{name}: {exc}; not a readable feed") from None
        parsed.rejects.extend(salvage.rejects)
        text, numbers, salvaged_lines = salvage.text, salvage.numbers, salvage.lines
        try:
            root = etree.fromstring(text.encode("utf-8"), _strict_parser())
        except etree.XMLSyntaxError as exc:
            # The damage is outside the items (channel header, stray markup):
            # keep what libxml2's recovery makes of it, and say so.
            line = exc.lineno or 0
            parsed.rejects.append(
                (f"feed header (line {line})",
                 _lxml_reason(exc) + "; the rest of the feed was recovered", "")
            )
            rec = etree.XMLParser(recover=True, **_XML_PARSER_ARGS)
            root = etree.fromstring(text.encode("utf-8"), rec)
            if root is None or _local(root.tag) not in _FEED_ROOTS:
                raise CollectError(f"{name}: malformed beyond recovery ({_lxml_reason(exc)})") from None
            text = etree.tostring(root, encoding="unicode")
            recovered = True
    elements = _find_items(root)
    lines: list[int] | None
    if not recovered:
        # Cleaning kept every newline, so the tree's lines are the input's.
        lines = [el.sourceline for el in elements]
    elif numbers is not None and len(numbers) == len(elements):
        lines = salvaged_lines
    else:
        lines = None  # recovery reshaped the document: positions are unknown
    if numbers is None or len(numbers) != len(elements):
        numbers = list(range(1, len(elements) + 1))
    fp = _feedparser(text.encode("utf-8"))
    parsed.version = fp.get("version") or ""
    parsed.feed = fp.get("feed", {})
    if not parsed.version:
        raise CollectError(f"{name}: feedparser does not recognise this as RSS or Atom")
    entries = list(fp.get("entries", []))
    if len(entries) != len(elements):
        entries = _entries_one_by_one(root, elements)
    for i, (el, entry) in enumerate(zip(elements, entries, strict=False)):
        thr = el.find(f"{_THR}in-reply-to")
        irt = (thr.get("ref"), thr.get("href")) if thr is not None else None
        parsed.items.append(
            FeedItem(numbers[i], lines[i] if lines else None, entry, irt)
        )
    return parsed


def _entries_one_by_one(root: etree._Element, elements: list[etree._Element]) -> list[Any]:
    """feedparser saw a different number of items than the tree: read each item alone."""
    shell = copy.deepcopy(root)
    for el in _find_items(shell):
        el.getparent().remove(el)
    out = []
    for el in elements:
        doc = copy.deepcopy(shell)
        _container(doc).append(copy.deepcopy(el))
        fp = _feedparser(etree.tostring(doc, encoding="utf-8"))
        entries = fp.get("entries") or [feedparser.FeedParserDict()]
        out.append(entries[0])
    return out


# --------------------------------------------------------------------------
# HTML bodies
# --------------------------------------------------------------------------

def html_text_links(markup: str) -> tuple[str, list[tuple[str, str]]]:
    """Plain text of an HTML fragment and its ``(href, anchor text)`` pairs, in order."""
    if not markup or not markup.strip():
        return "", []
    if "<" not in markup and "&" not in markup:
        return " ".join(markup.split()), []
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=_HTML_PARSER)
    except (etree.ParserError, ValueError, TypeError):
        return " ".join(markup.split()), []
    for bad in list(root.iter("script", "style")):
        bad.drop_tree()
    links = [((a.get("href") or "").strip(), a.text_content()) for a in root.iter("a") if a.get("href")]
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line), links


def _resolve(href: str, base: str | None) -> str | None:
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
    if scheme and scheme not in ("http", "https"):
        return None  # mailto:, javascript:, tel:, data: ...
    url = urljoin(base, href) if base and not scheme else href
    return url if is_http_url(url) else None


def _body(entry: Any) -> tuple[str, str]:
    """The item's best HTML body (full content over summary) and the summary."""
    content = ""
    for c in entry.get("content") or []:
        value = c.get("value") or ""
        if c.get("type") == "text/plain":
            value = value.replace("&", "&amp;").replace("<", "&lt;")
        if len(value) > len(content):
            content = value
    summary = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    if detail.get("type") == "text/plain":
        summary = summary.replace("&", "&amp;").replace("<", "&lt;")
    return content or summary, summary if content else ""


# --------------------------------------------------------------------------
# mapping to the graph
# --------------------------------------------------------------------------

def _lang(value: Any) -> str | None:
    if not value or not isinstance(value, str):
        return None
    return value.strip().replace("_", "-").split("-")[0].lower() or None


def _author_name(entry: Any) -> tuple[str | None, str | None]:
    """``(name, uri)`` of an item's author; e-mail addresses are never used as names."""
    detail = entry.get("author_detail") or {}
    author = (entry.get("author") or "").strip()
    name = (detail.get("name") or "").strip()
    if author and "@" not in author:
        name = author
    if name and "@" in name and " " not in name:
        name = ""
    uri = detail.get("href")
    return (name or None), (uri if is_http_url(uri) else None)


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _comment_id(link: str | None, guid: str | None) -> str | None:
    for value in (link, guid):
        if value:
            m = _COMMENT_ANCHOR.search(value) or _COMMENT_QUERY.search(value)
            if m:
                return m.group(1)
    return None


def _post_url_of(link: str) -> str:
    """The post a comment permalink belongs to: no fragment, comment page or reply parameters."""
    parts = urlsplit(link.split("#", 1)[0])
    path = _COMMENT_PAGE.sub("/", parts.path)
    query = "&".join(
        p for p in parts.query.split("&") if p and not p.startswith(("cpage=", "replytocom="))
    )
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _safe_url_key(url: str | None) -> str | None:
    if not url or not is_http_url(url):
        return None
    try:
        return url_key(url)
    except ValueError:
        return None


class _Mapper:
    """Turns the items of one parsed feed into graph records."""

    def __init__(self, parsed: ParsedFeed, base_url: str | None) -> None:
        self.parsed = parsed
        feed = parsed.feed
        self.title = (feed.get("title") or "").strip() or None
        link = feed.get("link")
        self.feed_link = link if is_http_url(link) else None
        self.base_url = base_url if is_http_url(base_url) else None
        self.lang = _lang(feed.get("language"))
        self.is_comment_feed = bool(self.title and _COMMENT_FEED_TITLE.match(self.title))
        self.comment_feeds: list[tuple[str, str]] = []  # (location, url)

    # -- helpers -------------------------------------------------------
    def _item_link(self, entry: Any) -> str | None:
        for key in ("feedburner_origlink", "link"):
            value = entry.get(key)
            if is_http_url(value):
                return value.strip()
        for lk in entry.get("links") or []:
            if lk.get("rel", "alternate") == "alternate" and is_http_url(lk.get("href")):
                return lk["href"].strip()
        guid = entry.get("id")
        if is_http_url(guid) and entry.get("guidislink", True) and not self.is_comment_feed:
            return guid.strip()
        return None

    def _is_comment(self, entry: Any, link: str | None) -> bool:
        if self.is_comment_feed:
            return True
        if link and "#comment-" in link:
            return True
        return bool(_COMMENT_ITEM_TITLE.match(entry.get("title") or ""))

    def _site(self, b: Batch, url: str, *, describe: bool) -> str:
        skey = site_key(url)
        parts = urlsplit(url)
        props: dict[str, Any] = {}
        if describe and self.feed_link and site_key(self.feed_link) == skey:
            props = {"name": self.title, "url": self.feed_link}
        else:
            props = {"url": f"{parts.scheme}://{parts.netloc}/"}
        b.node("Site", skey, **props)
        return skey

    def _links(self, b: Batch, src: str, bodies: list[str], base: str | None,
               skip: set[str]) -> None:
        done: set[str] = set()
        for markup in bodies:
            _, links = html_text_links(markup)
            for href, _anchor in links:
                url = _resolve(href, base)
                if url is None:
                    continue
                key = _safe_url_key(url)
                if key is None or key in skip or key in done:
                    continue
                done.add(key)
                b.node("Url", key, url=url, domain=host_of(url))
                b.edge("LINKS_TO", "Post", src, "Url", key)

    # -- items -----------------------------------------------------------
    def item(self, b: Batch, it: FeedItem) -> None:
        entry = it.entry
        link = self._item_link(entry)
        if self._is_comment(entry, link):
            self.comment(b, it, link)
        else:
            self.post(b, it, link)

    def post(self, b: Batch, it: FeedItem, link: str | None) -> None:
        entry = it.entry
        guid = (entry.get("id") or "").strip()
        host_url = link or self.feed_link or self.base_url
        if link:
            key = url_key(link)
        elif guid and host_url:
            key = post_key("blog", f"{host_of(host_url)}:{guid}")
        else:
            b.reject(it.location, "item has neither a link nor a guid", entry.get("title") or "")
            return
        host = host_of(host_url) if host_url else ""
        body, summary = _body(entry)
        text, _ = html_text_links(body)
        comment_feed = entry.get("wfw_commentrss")
        if not is_http_url(comment_feed):
            comment_feed = None
            for lk in entry.get("links") or []:
                if lk.get("rel") == "replies" and is_http_url(lk.get("href")) and (
                    "atom" in (lk.get("type") or "") or "rss" in (lk.get("type") or "")
                ):
                    comment_feed = lk["href"]
                    break
        count = _int(entry.get("slash_comments"))
        if count is None:
            count = _int(entry.get("thr_total"))
        created = utc_iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        b.node(
            "Post", key, platform="blog", kind="post", title=(entry.get("title") or "").strip() or None,
            text=text or None, lang=self.lang, created_at=created,
            url=link or (guid if is_http_url(guid) else None),
            comment_feed=comment_feed, comment_count=count,
        )
        if comment_feed:
            self.comment_feeds.append((it.location, comment_feed))
        if host_url:
            skey = self._site(b, host_url, describe=True)
            b.edge("PUBLISHED_ON", "Post", key, "Site", skey)
        name, uri = _author_name(entry)
        if host:
            if name:
                akey = blog_account_key(host, name)
                b.node("Account", akey, platform="blog", handle=name, name=name, url=uri)
            else:
                akey = blog_account_key(host)
                b.node("Account", akey, platform="blog", handle=host, name=self.title,
                       url=self.feed_link or f"https://{host}/")
            b.edge("AUTHORED", "Account", akey, "Post", key)
        for tag in entry.get("tags") or []:
            term = (tag.get("term") or "").strip()
            if not term:
                continue
            hkey = hashtag_key(term)
            if hkey:
                b.node("Hashtag", hkey, tag=term)
                b.edge("TAGGED", "Post", key, "Hashtag", hkey)
        self._links(b, key, [body, summary], link or self.feed_link, {key})
        b.ok()

    def comment(self, b: Batch, it: FeedItem, link: str | None) -> None:
        entry = it.entry
        guid = (entry.get("id") or "").strip()
        host_url = link or (guid if is_http_url(guid) else None) or self.feed_link or self.base_url
        if not host_url:
            b.reject(it.location, "comment has no link to tell which blog it belongs to",
                     entry.get("title") or "")
            return
        host = host_of(host_url)
        cid = _comment_id(link, guid) or guid or link
        if not cid:
            b.reject(it.location, "comment has neither a link nor a guid", entry.get("title") or "")
            return
        key = post_key("blog", f"{host}:comment:{cid}")
        post_url = None
        if link:
            post_url = _post_url_of(link)
            if self.is_comment_feed and self.feed_link and re.search(r"[?&]p=\d+", post_url):
                post_url = self.feed_link  # a per-post comment feed links its post
        elif self.is_comment_feed and self.feed_link:
            post_url = self.feed_link
        body, summary = _body(entry)
        text, links = html_text_links(body)

        parent, reply_href = self._comment_parent(it, host, link, body, links, post_url)
        if reply_href:
            # drop the "In reply to Name." line WordPress puts before a threaded reply
            lead = re.sub(r"<[^>]+>", "", body.split("<a", 1)[0]).strip()
            first, _, rest = text.partition("\n")
            if lead and first.startswith(lead) and len(first) <= 80 and rest:
                text = rest

        created = utc_iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        b.node("Post", key, platform="blog", kind="comment", text=text or None, lang=self.lang,
               created_at=created, url=link or (guid if is_http_url(guid) else None),
               post_url=post_url)
        if parent is not None:
            b.edge("REPLIES_TO", "Post", key, "Post", parent)
        skey = self._site(b, host_url, describe=not self.is_comment_feed)
        b.edge("PUBLISHED_ON", "Post", key, "Site", skey)

        name, uri = _author_name(entry)
        if not name:
            m = _COMMENT_ITEM_TITLE.match(entry.get("title") or "")
            if m:
                name = (m.group("en_by") or m.group("ru_by") or "").strip() or None
        akey = self._commenter(b, host, name, uri)
        if akey:
            b.edge("AUTHORED", "Account", akey, "Post", key)

        done: set[str] = set()
        for href, _anchor in links:
            if reply_href and href == reply_href:
                continue  # thread navigation, already a REPLIES_TO
            url = _resolve(href, link or self.feed_link)
            lkey = _safe_url_key(url) if url else None
            if url is None or lkey is None or lkey in done:
                continue
            done.add(lkey)
            b.node("Url", lkey, url=url, domain=host_of(url))
            b.edge("LINKS_TO", "Post", key, "Url", lkey)
        b.ok()

    def _comment_parent(self, it: FeedItem, host: str, link: str | None, body: str,
                        links: list[tuple[str, str]], post_url: str | None
                        ) -> tuple[str | None, str]:
        """What a comment replies to: ``(parent key, href of the reply link in its body)``.

        Atom threading (``thr:in-reply-to``) first; then WordPress's
        "In reply to <a href=…#comment-N>Name</a>." opening; then the post.
        """
        if it.in_reply_to:
            ref, href = it.in_reply_to
            for value in (href, ref):
                m = _COMMENT_ANCHOR.search(value or "")
                if value and m:
                    phost = host_of(value) if is_http_url(value) else host
                    return post_key("blog", f"{phost}:comment:{m.group(1)}"), ""
            for value in (href, ref):
                pk = _safe_url_key(value)
                if pk:
                    return pk, ""
        if links:
            href = links[0][0]
            m = _COMMENT_ANCHOR.search(href)
            lead = re.sub(r"<[^>]+>", "", body.split("<a", 1)[0]).strip()
            if m and len(lead) <= 40:  # "In reply to", "В ответ на", …
                target = _resolve(href, link)
                phost = host_of(target) if target else host
                return post_key("blog", f"{phost}:comment:{m.group(1)}"), href
        return _safe_url_key(post_url), ""

    def _commenter(self, b: Batch, host: str, name: str | None, uri: str | None) -> str | None:
        if uri:
            prof = profile_account(uri)
            if prof:
                # Name, handle and profile links are left to that platform's own collector
                # (a list property here would replace the links it found).
                b.node("Account", prof, platform=prof.partition(":")[0], url=uri)
                return prof
            uhost = host_of(uri)
            if uhost and uhost != host:
                akey = blog_account_key(uhost)
                b.node("Account", akey, platform="blog", handle=uhost, url=uri, profile_links=[uri])
                return akey
        if not name:
            return None
        akey = blog_account_key(host, name)
        b.node("Account", akey, platform="blog", handle=name, name=name)
        return akey


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return m.group(1) if m else None


class FeedsCollector(Collector):
    """RSS 2.0, RSS 1.0 and Atom feeds of blogs, and WordPress comment feeds.

    Options: ``follow_comments`` fetches each post's comment feed
    (``wfw:commentRss`` or an Atom ``replies`` link) with ``options.fetcher``.
    """

    name = "feeds"
    description = "RSS/Atom blog feeds and WordPress comment feeds (posts, authors, comments, links)"

    def sniff(self, source: Source) -> int:
        head = source.head()
        if not head:
            return 0
        text, _ = decode_bytes(head)
        name = _root_name(text)
        if name and name.split(":")[-1] in _FEED_ROOTS:
            return 90
        return 0

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        if source.size() > MAX_FEED_BYTES:
            raise CollectError(
                f"{source.name}: {source.size()} bytes is more than a feed can be "
                f"({MAX_FEED_BYTES} bytes); is this the right file?"
            )
        parsed = parse_feed(source.path.read_bytes(), source.name, _charset(source.content_type))
        mapper = _Mapper(parsed, source.url)
        yield from _emit(parsed, mapper, options)
        if options.follow_comments and mapper.comment_feeds:
            yield from self._follow(source, mapper, options)

    def _follow(self, source: Source, mapper: _Mapper, options: CollectOptions) -> Iterator[Batch]:
        from .http import Fetcher, FetchError

        fetcher = options.fetcher or Fetcher(allow_private=options.allow_private)
        seen: set[str] = set()
        for location, url in mapper.comment_feeds:
            if url in seen:
                continue
            seen.add(url)
            try:
                result = fetcher.fetch_to_file(url)
                if result.status >= 400:
                    raise FetchError(f"HTTP {result.status}")
                parsed = parse_feed(result.path.read_bytes(), url, _charset(result.content_type))
            except CollectError as exc:
                b = Batch(source=url)
                b.reject(f"{location} comment feed", f"could not read the comment feed: {exc}", url)
                yield b
                continue
            sub = _Mapper(parsed, url)
            sub.is_comment_feed = True  # fetched as a comment feed, whatever its title says
            if not sub.feed_link:
                sub.feed_link = mapper.feed_link
            yield from _emit(parsed, sub, options)


def _emit(parsed: ParsedFeed, mapper: _Mapper, options: CollectOptions) -> Iterator[Batch]:
    size = max(int(options.batch_size or 1), 1)
    b = Batch(source=parsed.name)
    for location, reason, text in parsed.rejects:
        b.reject(location, reason, text)
    for it in parsed.items:
        n_nodes, n_edges = len(b.nodes), len(b.edges)
        try:
            mapper.item(b, it)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # A value the model refuses (e.g. an unusable URL): drop what the item
            # had added, reject it, keep going.
            del b.nodes[n_nodes:], b.edges[n_edges:]
            b.reject(it.location, f"unusable item: {exc}", (it.entry.get("title") or "")[:200])
        if b.read >= size:
            yield b
            b = Batch(source=parsed.name)
    if b.read or b.nodes or b.edges:
        yield b
