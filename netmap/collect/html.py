"""One web page — a blog post or a news article — as a file or an http(s) URL.

What is read, in order of trust (the first source that has a value wins):

* **Identity of the page**: ``<link rel=canonical>``, ``og:url``, JSON-LD
  ``url``/``mainEntityOfPage``, the h-entry's ``u-url``, then the URL it was
  fetched from. That URL keys the ``Post`` (``url_key``), so a page collected
  here is the same Post a feed or a tweet's link names.
* **Author**: JSON-LD ``Article``/``BlogPosting``/``NewsArticle`` ``author``
  (``@id`` references into ``@graph`` are followed, as Yoast SEO writes them),
  the microformats2 h-entry ``p-author h-card``, ``<meta name=author>``,
  ``article:author``, ``DC.creator``, then a ``rel=author`` link or the
  ``.author .fn`` byline of WordPress themes. Author URLs, JSON-LD ``sameAs``,
  ``rel=me`` links and ``twitter:creator`` become the account's
  ``profile_links`` (identity resolution uses them).
* **Published time, title, language, tags**: JSON-LD, Open Graph / ``article:*``
  meta, h-entry ``dt-published``/``p-name``, ``<time datetime>``, ``<html lang>``.
* **Body**: the h-entry ``e-content``, ``[itemprop=articleBody]``, the usual
  WordPress/CMS content classes, ``<article>``, ``<main>``, else ``<body>``
  without navigation, header, footer, sidebars and forms. Its text becomes the
  Post's text and every outgoing link a ``LINKS_TO`` (share buttons are not links).
* **Embeds**: an embedded tweet (``blockquote.twitter-tweet``) is a ``QUOTES``
  of Post ``twitter:<id>`` by Account ``twitter:<user>``; an embedded Telegram
  post (``data-telegram-post="channel/123"``, its iframe, or a blockquote
  linking ``t.me/channel/123``) is a ``QUOTES`` of Post ``t.me/channel/123``
  by Account ``telegram:channel``.
* **Comments** in WordPress markup (``ol.commentlist``/``.comment-list`` of
  ``li.comment`` with ``.comment-author .fn``, ``a.url``, ``time[datetime]``,
  ``.comment-content``) and in microformats2 (``p-comment``/``u-comment``
  ``h-cite``/``h-entry``): each is a ``Post`` of kind ``comment`` that
  ``REPLIES_TO`` the page or, when nested in another comment, that comment.
  Comment keys are ``blog:<host>:comment:<id>`` like the feeds collector's,
  so a comment read from the page and from the comment feed is one Post.
  Pingbacks and trackbacks are the linking post, ``LINKS_TO`` the page.

Input records: the page is one, each comment, pingback and trackback one more.

The bytes are decoded with :func:`~netmap.collect.base.decode_bytes` (the HTTP
charset, a BOM, ``<meta charset>`` or ``http-equiv``, UTF-8, then cp1251 or
koi8-r told apart by letter frequencies) and parsed by lxml's HTML parser with
network access off; HTML has no entity definitions to expand.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from ..errors import CollectError
from ..keys import (
    account_key,
    account_ref,
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
from .shorturls import resolver_for

__all__ = [
    "HtmlCollector",
    "Page",
    "Author",
    "Comment",
    "Embed",
    "parse_page",
    "parse_html",
    "page_records",
    "fragment_parts",
    "RecordBuilder",
    "find_embeds",
    "element_text",
    "MAX_HTML_BYTES",
]

# A page bigger than this is not an article (and lxml would hold all of it).
MAX_HTML_BYTES = 32 * 1024 * 1024

_PARSER_ARGS = dict(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)

_BLOCK = frozenset((
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "pre", "table", "section", "article", "hr", "header", "footer", "figure",
    "figcaption", "dd", "dt", "main", "aside", "nav", "address",
))
_NO_TEXT = frozenset(("script", "style", "noscript", "template", "iframe", "object", "svg",
                      "button", "select", "textarea"))
_CHROME = frozenset(("nav", "header", "footer", "aside", "form"))
# Share buttons and "related posts" boxes themes put inside the article body.
_BOXES = frozenset((
    "sharedaddy", "sd-sharing", "sharing", "share-buttons", "social-share", "addtoany_share_save_container",
    "a2a_kit", "ya-share2", "jp-relatedposts", "related-posts", "yarpp-related", "wp-block-buttons",
    "post-navigation", "navigation",
))

_ARTICLE_TYPES = frozenset((
    "article", "blogposting", "newsarticle", "socialmediaposting", "report",
    "scholarlyarticle", "liveblogposting", "opinionnewsarticle", "analysisnewsarticle",
    "reportagenewsarticle", "techarticle", "discussionforumposting", "posting",
    "backgroundnewsarticle", "reviewnewsarticle",
))
_CONTENT_CLASSES = (
    "entry-content", "post-content", "article-content", "post-body", "article-body",
    "story-body", "article__body", "content-body", "single-content", "post-entry",
    "entry-body", "td-post-content", "blog-post-body", "article-text", "news-text",
)
_BLOG_ENGINES = re.compile(
    r"wordpress|blogger|livejournal|ghost|hugo|jekyll|tumblr|typepad|movable ?type|dotclear|"
    r"liveinternet|medium|substack|write\.as|micro\.blog|serendipity|b2evolution|textpattern|"
    r"pelican|hexo|eleventy|ucoz|dreamwidth",
    re.I,
)
_BLOG_HOSTS = (
    "wordpress.com", "blogspot.com", "livejournal.com", "tumblr.com", "medium.com",
    "substack.com", "dreamwidth.org", "liveinternet.ru", "blogger.com",
)

_MF_PROP = re.compile(r"^(?:p|u|dt|e)-[a-z0-9]+(?:-[a-z0-9]+)*$")
_COMMENT_ID = re.compile(r"^(?:li-|div-)?comment-(\d+)$")
_COMMENT_ANCHOR = re.compile(r"#comment-(\d+)$")
_COMMENT_CONTAINERS = frozenset(("commentlist", "comment-list", "comments-list", "comments",
                                 "comments-area", "comment-thread", "comments-thread"))
_REPLY_LISTS = frozenset(("children", "replies", "comment-replies", "comments"))
_TWEET = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?:#!/)?([A-Za-z0-9_]{1,50})/status(?:es)?/(\d{1,25})",
    re.I,
)
_TG_POST = re.compile(r"^https?://(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)/(?:s/)?"
                      r"([A-Za-z][A-Za-z0-9_]{3,64})/(\d{1,12})(?:[/?#]|$)", re.I)
_TG_ATTR = re.compile(r"^([A-Za-z][A-Za-z0-9_]{3,64})/(\d{1,12})$")
_TWEET_BYLINE = re.compile(r"^\s*[—–-]+\s*([^\n()]{1,100}?)\s*\(@([A-Za-z0-9_]{1,50})\)")
_SHARE_BUTTON = re.compile(
    r"^https?://(?:www\.|m\.)?(?:"
    r"(?:twitter|x)\.com/(?:intent/|share)|facebook\.com/(?:sharer|share\.php|dialog/share)|"
    r"vk\.com/share\.php|(?:t|telegram)\.me/share|connect\.ok\.ru/(?:offer|dk)|"
    r"linkedin\.com/(?:shareArticle|sharing)|pinterest\.com/pin/create|reddit\.com/submit|"
    r"(?:api\.)?whatsapp\.com/send|plus\.google\.com/share|tumblr\.com/share|"
    r"getpocket\.com/save|connect\.mail\.ru/share|livejournal\.com/update\.bml"
    r")",
    re.I,
)
# A tweet id made after November 2010 carries its creation time (ms since the Twitter epoch).
_SNOWFLAKE_MIN = 1 << 32
_TWITTER_EPOCH_MS = 1288834974657


# --------------------------------------------------------------------------
# records
# --------------------------------------------------------------------------

@dataclass
class Author:
    """Who wrote a page or comment, as the markup says."""

    name: str | None = None
    url: str | None = None
    profile_links: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.name or self.url)


@dataclass
class Embed:
    """A post of another platform embedded in the page (quoted by it)."""

    platform: str  # twitter | telegram
    key: str
    url: str
    handle: str
    text: str | None = None
    name: str | None = None
    created_at: str | None = None


@dataclass
class Comment:
    """One comment (or pingback) found in the page's markup."""

    key: str
    location: str
    kind: str = "comment"  # comment | pingback
    url: str | None = None
    author: Author = field(default_factory=Author)
    created_at: str | None = None
    text: str | None = None
    links: list[str] = field(default_factory=list)
    parent: str | None = None  # key of the comment it answers; None: the page
    problem: str | None = None  # why it cannot be stored


@dataclass
class Page:
    """What :func:`parse_page` read from one page."""

    url: str  # canonical URL: the Post's identity
    fetched_url: str | None
    title: str | None = None
    text: str | None = None
    lang: str | None = None
    created_at: str | None = None
    authors: list[Author] = field(default_factory=list)
    site_name: str | None = None
    platform: str = "web"
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    embeds: list[Embed] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    encoding: str = "utf-8"

    @property
    def key(self) -> str:
        return url_key(self.url)

    @property
    def host(self) -> str:
        return host_of(self.url)


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def _classes(el: Any) -> set[str]:
    cls = el.get("class") if isinstance(el.tag, str) else None
    return set(cls.split()) if cls else set()


def _rels(el: Any) -> set[str]:
    rel = el.get("rel")
    return {r.lower() for r in rel.split()} if rel else set()


def _clean(value: Any, limit: int = 2000) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit] or None


def _abs(href: Any, base: str | None) -> str | None:
    """An absolute http(s) URL for ``href`` (resolved against ``base``), else None."""
    if not isinstance(href, str):
        return None
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    head = href.split("/", 1)[0]
    scheme = head.split(":", 1)[0].lower() if ":" in head else ""
    if scheme and scheme not in ("http", "https"):
        return None  # mailto:, javascript:, tel:, data: ...
    try:
        url = urljoin(base, href) if base and not scheme else href
    except ValueError:
        return None
    return url if is_http_url(url) else None


def _safe_key(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return url_key(url)
    except ValueError:
        return None


def _time(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    out = utc_iso(value.strip())
    if out is None:
        try:
            out = utc_iso(parsedate_to_datetime(value.strip()))
        except (TypeError, ValueError, IndexError):
            out = None
    return out


def _lang(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().replace("_", "-").split("-")[0].lower()[:8] or None


def _inside(el: Any, zone: set[Any]) -> bool:
    while el is not None:
        if el in zone:
            return True
        el = el.getparent()
    return False


def _walk(el: Any, skip: set[Any]) -> Iterator[Any]:
    """Elements under ``el`` (itself included) in document order, not descending into ``skip``."""
    walker = etree.iterwalk(el, events=("start",))
    for _event, e in walker:
        if not isinstance(e.tag, str):
            continue
        if e is not el and e in skip:
            walker.skip_subtree()
            continue
        yield e


def element_text(el: Any, skip: Iterable[Any] = ()) -> str:
    """Readable text of an element: block elements start new lines, scripts and ``skip`` are left out."""
    skipped = set(skip)
    parts: list[str] = []
    muted: set[Any] = set()
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, e in walker:
        tag = e.tag if isinstance(e.tag, str) else ""
        if event == "start":
            if e is not el and (e in skipped or tag in _NO_TEXT or not tag):
                muted.add(e)
                walker.skip_subtree()
                continue
            if tag == "br":
                parts.append("\n")
            if e.text:
                parts.append(e.text)
        else:
            if e not in muted and tag in _BLOCK:
                parts.append("\n")
            if e is not el and e.tail:
                parts.append(e.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _links(el: Any, base: str | None, skip: set[Any]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for e in _walk(el, skip):
        if e.tag not in ("a", "area"):
            continue
        url = _abs(e.get("href"), base)
        if url is None or url in seen or _SHARE_BUTTON.match(url):
            continue
        seen.add(url)
        out.append(url)
    return out


# --------------------------------------------------------------------------
# microformats2 (the parts an article and its comments need)
# --------------------------------------------------------------------------

def _is_mf_root(el: Any) -> bool:
    return any(c.startswith("h-") and len(c) > 2 for c in _classes(el))


def _mf_props(root: Any) -> dict[str, list[Any]]:
    """Property elements of the microformat ``root``: not those of nested microformats."""
    props: dict[str, list[Any]] = {}
    walker = etree.iterwalk(root, events=("start",))
    for _event, e in walker:
        if e is root or not isinstance(e.tag, str):
            continue
        for c in _classes(e):
            if _MF_PROP.match(c):
                props.setdefault(c, []).append(e)
        if _is_mf_root(e):
            walker.skip_subtree()  # its own properties belong to it
    return props


def _p_value(el: Any) -> str | None:
    if el.tag == "abbr" and el.get("title"):
        return _clean(el.get("title"))
    if el.tag in ("img", "area") and el.get("alt"):
        return _clean(el.get("alt"))
    if el.tag == "data" and el.get("value"):
        return _clean(el.get("value"))
    return _clean(el.text_content())


def _u_value(el: Any, base: str | None) -> str | None:
    for attr in ("href", "src", "data"):
        if el.get(attr):
            return _abs(el.get(attr), base)
    return _abs(el.get("value") or el.text_content(), base)


def _dt_value(el: Any) -> str | None:
    for attr in ("datetime", "title", "value"):
        if el.get(attr):
            return _time(el.get(attr))
    return _time(el.text_content())


def _first(props: dict[str, list[Any]], name: str) -> Any:
    found = props.get(name)
    return found[0] if found else None


def _hcard(el: Any, base: str | None) -> Author:
    """Name and URL of a ``p-author``: an h-card, or plain text / a link."""
    if _is_mf_root(el):
        props = _mf_props(el)
        name_el = _first(props, "p-name")
        url_el = _first(props, "u-url")
        url_el = _first(props, "u-uid") if url_el is None else url_el
        name = _p_value(name_el) if name_el is not None else None
        url = _u_value(url_el, base) if url_el is not None else None
        if name is None and not any(k.startswith("p-") for k in props):
            name = _p_value(el)  # an h-card with no properties: its text is the name
        if url is None and el.tag == "a":
            url = _abs(el.get("href"), base)
        return Author(name, url)
    url = _abs(el.get("href"), base) if el.tag == "a" else None
    return Author(_p_value(el), url)


def _main_entry(root: Any) -> Any:
    """The page's own h-entry: the first one not nested in another nor a comment."""
    for el in root.iter():
        cls = _classes(el)
        if "h-entry" not in cls or cls & {"p-comment", "u-comment"}:
            continue
        anc = el.getparent()
        nested = False
        while anc is not None:
            if "h-entry" in _classes(anc):
                nested = True
                break
            anc = anc.getparent()
        if not nested:
            return el
    return None


# --------------------------------------------------------------------------
# JSON-LD
# --------------------------------------------------------------------------

def _jsonld(root: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").split(";")[0].strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        for wrap in (("<!--", "-->"), ("<![CDATA[", "]]>")):
            if raw.startswith(wrap[0]) and raw.endswith(wrap[1]):
                raw = raw[len(wrap[0]):-len(wrap[1])]
        try:
            data = json.loads(raw)
        except ValueError:
            continue  # broken structured data is common; the page is still read
        stack = [data]
        while stack and len(nodes) < 10_000:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                nodes.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))
    return nodes


def _ld_types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    items = t if isinstance(t, list) else [t]
    return {str(x).lower().rsplit("/", 1)[-1] for x in items if isinstance(x, str)}


def _ld_str(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("@id")
    if isinstance(value, list):
        value = value[0] if value else None
    return _clean(value) if isinstance(value, str) else None


def _ld_authors(article: dict[str, Any], index: dict[str, dict[str, Any]],
                base: str | None) -> list[Author]:
    raw = article.get("author") or article.get("creator")
    items = raw if isinstance(raw, list) else [raw]
    out: list[Author] = []
    for item in items[:20]:
        if isinstance(item, str):
            if is_http_url(item):
                out.append(Author(None, item))
            elif _clean(item):
                out.append(Author(_clean(item), None))
            continue
        if not isinstance(item, dict):
            continue
        if set(item) <= {"@id", "@type"} and isinstance(item.get("@id"), str):
            item = index.get(item["@id"], item)
        name = _ld_str(item.get("name"))
        url = _abs(_ld_str(item.get("url")), base)
        same = item.get("sameAs")
        links = [u for u in (same if isinstance(same, list) else [same])
                 if isinstance(u, str) and is_http_url(u)]
        if name or url:
            out.append(Author(name, url, links))
    return out


# --------------------------------------------------------------------------
# embeds
# --------------------------------------------------------------------------

def _tweet_time(tweet_id: str) -> str | None:
    tid = int(tweet_id)
    if tid < _SNOWFLAKE_MIN:
        return None
    return utc_iso(((tid >> 22) + _TWITTER_EPOCH_MS) / 1000)


def _telegram_embed(channel: str, mid: str, text: str | None) -> Embed:
    url = f"https://t.me/{channel}/{mid}"
    return Embed("telegram", url_key(f"https://t.me/{channel.lower()}/{mid}"), url, channel,
                 text=text)


def find_embeds(el: Any, base: str | None, skip: set[Any] | None = None
                ) -> list[tuple[Any, Embed]]:
    """Tweets and Telegram posts embedded under ``el``: ``(element, Embed)`` in document order.

    The elements are returned so that their links can be left out of the
    page's own ``LINKS_TO`` (an embed is a quote, not a link).
    """
    out: list[tuple[Any, Embed]] = []
    seen: set[str] = set()
    for e in _walk(el, skip or set()):
        tag = e.tag
        found: Embed | None = None
        if tag == "blockquote":
            cls = _classes(e)
            links = [u for u in (_abs(a.get("href"), base) for a in e.iter("a")) if u]
            if cls & {"twitter-tweet", "twitter-video"}:
                for url in reversed(links):  # the permalink is the last link (the date)
                    m = _TWEET.match(url)
                    if m:
                        user, tid = m.group(1), m.group(2)
                        p = e.find(".//p")
                        text = element_text(p) if p is not None else None
                        # "— Name (@user) date" follows the tweet's paragraph
                        full = e.text_content()
                        ptext = p.text_content() if p is not None else ""
                        rest = full[full.find(ptext) + len(ptext):] if ptext in full else full
                        byline = _TWEET_BYLINE.search(rest)
                        name = byline.group(1).strip() if byline and \
                            byline.group(2).lower() == user.lower() else None
                        found = Embed("twitter", post_key("twitter", tid),
                                      f"https://twitter.com/{user}/status/{tid}", user,
                                      text=text or None, name=name, created_at=_tweet_time(tid))
                        break
            else:
                for url in links:
                    m = _TG_POST.match(url)
                    if m:
                        found = _telegram_embed(m.group(1), m.group(2),
                                                element_text(e) or None)
                        break
        elif tag == "script" and e.get("data-telegram-post"):
            m = _TG_ATTR.match(e.get("data-telegram-post").strip())
            if m:
                found = _telegram_embed(m.group(1), m.group(2), None)
        elif tag == "iframe" and e.get("src"):
            m = _TG_POST.match(_abs(e.get("src"), base) or "")
            if m:
                found = _telegram_embed(m.group(1), m.group(2), None)
        if found is not None and found.key not in seen:
            seen.add(found.key)
            out.append((e, found))
    return out


# --------------------------------------------------------------------------
# comments
# --------------------------------------------------------------------------

def _in_comment_container(el: Any) -> bool:
    anc = el.getparent()
    while anc is not None:
        if anc.get("id") == "comments" or _classes(anc) & _COMMENT_CONTAINERS:
            return True
        anc = anc.getparent()
    return False


def _comment_elements(root: Any) -> list[Any]:
    """Comment, pingback and trackback elements, in document order, without inner wrappers."""
    found: list[Any] = []
    chosen: set[Any] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        cls = _classes(el)
        wp = bool(cls & {"comment", "pingback", "trackback"}) and el.tag in ("li", "article", "div") \
            and (bool(_COMMENT_ID.match(el.get("id") or "")) or _in_comment_container(el))
        mf = bool(cls & {"p-comment", "u-comment"}) and _is_mf_root(el)
        if not (wp or mf):
            continue
        # An element classed "comment" inside another one, with no reply list in
        # between, is the same comment's wrapper, not a reply (a microformats2
        # comment property is always a comment of its own).
        anc = None if mf else el.getparent()
        wrapper = False
        while anc is not None:
            if anc in chosen:
                wrapper = True
                break
            if anc.tag in ("ol", "ul") or _classes(anc) & _REPLY_LISTS or \
                    _classes(anc) & {"p-comment", "u-comment"}:
                break
            anc = anc.getparent()
        if wrapper:
            continue
        chosen.add(el)
        found.append(el)
    return found


def _own_first(cel: Any, others: set[Any], pred: Callable[[Any], bool]) -> Any:
    for e in _walk(cel, others):
        if e is not cel and pred(e):
            return e
    return None


def _comment_ident(cel: Any, others: set[Any], permalink: str | None, page_key: str
                   ) -> str | None:
    m = _COMMENT_ID.match(cel.get("id") or "")
    if m:
        return m.group(1)
    inner = _own_first(cel, others, lambda e: bool(_COMMENT_ID.match(e.get("id") or "")))
    m = _COMMENT_ID.match(inner.get("id") or "") if inner is not None else None
    if m:
        return m.group(1)
    if permalink:
        m = _COMMENT_ANCHOR.search(permalink)
        if m:
            return m.group(1)
        # another engine's anchor on the page itself (#c2, #reply-17)
        base, _, frag = permalink.partition("#")
        if frag and _safe_key(base) == page_key and re.fullmatch(r"[\w.:-]{1,64}", frag):
            return frag
    return None


def _read_comment(cel: Any, others: set[Any], base: str | None, page: Page,
                  parents: dict[Any, str], number: int) -> Comment:
    cls = _classes(cel)
    host = page.host
    props = _mf_props(cel) if _is_mf_root(cel) else {}
    # permalink
    permalink = None
    if props.get("u-url"):
        permalink = _u_value(props["u-url"][0], base)
    if permalink is None:
        a = _own_first(cel, others, lambda e: e.tag == "a" and "#comment-" in (e.get("href") or ""))
        if a is not None:
            permalink = _abs(a.get("href"), base)
    ident = _comment_ident(cel, others, permalink, page.key)
    line = getattr(cel, "sourceline", None)
    location = f"comment {number}" + (f" (line {line})" if line else "")

    if cls & {"pingback", "trackback"}:
        body = _own_first(cel, others, lambda e: "comment-body" in _classes(e))
        body = cel if body is None else body
        src = None
        for e in _walk(body, others):
            if e.tag == "a":
                u = _abs(e.get("href"), base)
                if u and _safe_key(u) != page.key and "#comment-" not in u:
                    src = u
                    break
        c = Comment(key="", location=location, kind="pingback", url=src)
        if src is None or _safe_key(src) is None:
            c.problem = "pingback without a link to the linking post"
        else:
            c.key = url_key(src)
            c.text = _clean(element_text(body, others), 5000)
        return c

    # author
    author = Author()
    if props.get("p-author"):
        author = _hcard(props["p-author"][0], base)
    if not author:
        fn = _own_first(cel, others, lambda e: "fn" in _classes(e))
        if fn is not None:
            name = _clean(fn.text_content(), 300)
            url = None
            if fn.tag == "a":
                url = _abs(fn.get("href"), base)
            else:
                a = fn.find(".//a[@href]")
                if a is not None:
                    url = _abs(a.get("href"), base)
            author = Author(name, url)
        if not author.url:
            a_url = _own_first(cel, others, lambda e: e.tag == "a" and "url" in _classes(e))
            if a_url is not None:
                author.url = _abs(a_url.get("href"), base)
                author.name = author.name or _clean(a_url.text_content(), 300)
        if not author.name:
            ca = _own_first(cel, others, lambda e: "comment-author" in _classes(e))
            if ca is not None:
                cite = ca.find(".//cite")
                raw = (cite if cite is not None else ca).text_content()
                author.name = _clean(re.sub(r"\s*(says|пишет|говорит):?\s*$", "", raw.strip()), 300)
    if author.url and _safe_key(author.url) == page.key:
        author.url = None  # a theme linking the commenter's name to the post itself
    if author.url:
        author.profile_links = [author.url]

    # time
    created = None
    if props.get("dt-published"):
        created = _dt_value(props["dt-published"][0])
    if created is None:
        t = _own_first(cel, others, lambda e: e.tag == "time" and bool(e.get("datetime")))
        created = _time(t.get("datetime")) if t is not None else None

    # content
    content = None
    for name in ("e-content", "p-content"):
        if props.get(name):
            content = props[name][0]
            break
    if content is None:
        content = _own_first(cel, others, lambda e: "comment-content" in _classes(e)
                             or "comment-text" in _classes(e))
    chrome: set[Any] = set(others)
    if content is None:
        content = _own_first(cel, others, lambda e: "comment-body" in _classes(e))
        content = cel if content is None else content
        for e in _walk(content, others):
            if _classes(e) & {"comment-author", "comment-meta", "reply", "comment-metadata",
                              "comment-awaiting-moderation", "vcard", "comment-reply-link"}:
                chrome.add(e)
    text = element_text(content, chrome)[:100_000]
    links = [u for u in _links(content, base, chrome) if "replytocom=" not in u]

    if ident:
        key = post_key("blog", f"{host}:comment:{ident}")
    elif permalink and host_of(permalink) != host and _safe_key(permalink):
        key = url_key(permalink)  # a reply posted on another site (webmention)
    else:
        digest = hashlib.sha1(
            "\x1f".join((page.key, author.name or "", created or "", text or "")).encode("utf-8")
        ).hexdigest()[:16]
        key = post_key("blog", f"{host}:comment:h{digest}")
    c = Comment(key=key, location=location, url=permalink, author=author, created_at=created,
                text=text or None, links=links)
    if not text and not author:
        c.problem = "comment markup without text or author"
    # the nearest enclosing comment is the one it answers
    anc = cel.getparent()
    while anc is not None:
        if anc in parents:
            c.parent = parents[anc]
            break
        anc = anc.getparent()
    return c


# --------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------

def _meta(root: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in root.iter("meta"):
        content = m.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            name = m.get(attr)
            if name:
                out.setdefault(name.strip().lower(), []).append(content.strip())
    return out


def _meta1(meta: dict[str, list[str]], name: str) -> str | None:
    values = meta.get(name)
    return values[0] if values else None


def _body_element(root: Any, entry: Any, entry_props: dict[str, list[Any]],
                  zone: set[Any]) -> tuple[Any, bool]:
    """The element holding the article and whether it is the whole ``<body>`` (chrome to skip)."""
    if entry is not None:
        el = _first(entry_props, "e-content")
        if el is not None:
            return el, False
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("itemprop") == "articleBody" and not _inside(el, zone):
            return el, False
    for cls_name in _CONTENT_CLASSES:
        for el in root.iter():
            if cls_name in _classes(el) and not _inside(el, zone):
                return el, False
    for tag in ("article", "main"):
        for el in root.iter(tag):
            if not _inside(el, zone):
                return el, False
    body = root.find(".//body")
    return (body if body is not None else root), True


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def parse_html(data: bytes, declared: str | None = None) -> tuple[Any, str]:
    """Decode and parse HTML bytes: ``(lxml root, encoding used)``."""
    text, encoding = decode_bytes(data, declared)
    # Hand lxml UTF-8 with the encoding stated, so a <meta charset> in the
    # document can never make it decode the text a second time.
    parser = lxml.html.HTMLParser(encoding="utf-8", **_PARSER_ARGS)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise CollectError(f"not a readable HTML document ({exc})") from None
    return root, encoding


def fragment_parts(markup: str | None, base: str | None) -> tuple[str, list[str], list[Embed]]:
    """Text, outgoing links and embedded posts of an HTML fragment (a post body, a comment).

    Links inside embeds and share/related-posts boxes are left out, as on pages.
    """
    if not markup or not markup.strip():
        return "", [], []
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div",
                                             parser=lxml.html.HTMLParser(**_PARSER_ARGS))
    except (etree.ParserError, ValueError, TypeError):
        return " ".join(markup.split()), [], []
    embeds = find_embeds(root, base)
    skip = {el for el, _emb in embeds}
    skip.update(e for e in root.iter() if isinstance(e.tag, str) and _classes(e) & _BOXES)
    return element_text(root, skip), _links(root, base, skip), [emb for _el, emb in embeds]


def parse_page(data: bytes, *, url: str | None = None, declared: str | None = None,
               name: str = "<page>") -> Page:
    """Read one article page.

    Parameters
    ----------
    data : bytes
        The page as fetched or saved.
    url : str, optional
        Where it was fetched from (the fallback identity and base for relative links).
    declared : str, optional
        Charset from the HTTP ``Content-Type`` header.
    name : str
        File name or URL for messages.

    Raises
    ------
    CollectError
        When the bytes are no HTML page, or the page has no URL to key it by.
    """
    if not data.strip():
        raise CollectError(f"{name}: empty file, not an HTML page")
    try:
        root, encoding = parse_html(data, declared)
    except CollectError as exc:
        raise CollectError(f"{name}: {exc}") from None
    meta = _meta(root)
    fetched = url if is_http_url(url) else None

    base = fetched
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = _abs(base_el.get("href"), fetched) or base

    nodes = _jsonld(root)
    index = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    article = next((n for n in nodes if _ld_types(n) & _ARTICLE_TYPES), None)
    webpage = next((n for n in nodes if "webpage" in _ld_types(n)), None)
    entry = _main_entry(root)
    entry_props = _mf_props(entry) if entry is not None else {}

    # comments first: their zone is left out of everything the page itself says
    zone: set[Any] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        cls = _classes(el)
        if el.get("id") in ("comments", "respond") or cls & (
                _COMMENT_CONTAINERS | {"comment-respond", "comments-area"}):
            zone.add(el)
    celements = _comment_elements(root)
    zone.update(celements)

    # identity
    canonical = None
    for link in root.iter("link"):
        if "canonical" in _rels(link):
            canonical = _abs(link.get("href"), base)
            if canonical:
                break
    candidates = [
        canonical,
        _abs(_meta1(meta, "og:url"), base),
        _abs(_ld_str(article.get("url")) if article else None, base),
        _abs(_ld_str(article.get("mainEntityOfPage")) if article else None, base),
        _u_value(entry_props["u-url"][0], base) if entry_props.get("u-url") else None,
        fetched,
    ]
    page_url = next((u for u in candidates if u and _safe_key(u)), None)
    if page_url is None:
        raise CollectError(
            f"{name}: the page names no URL (no <link rel=canonical>, og:url or JSON-LD url) "
            "and was read from a file; collect it by its http(s) URL instead"
        )
    base = base or page_url
    page = Page(url=page_url, fetched_url=fetched, encoding=encoding)

    # title, time, language, site
    title_el = root.find(".//title")
    page.title = (
        (_ld_str(article.get("headline")) if article else None)
        or _clean(_meta1(meta, "og:title"))
        or (_p_value(entry_props["p-name"][0]) if entry_props.get("p-name") else None)
        or (_clean(title_el.text_content()) if title_el is not None else None)
    )
    time_el = None
    for el in root.iter("time"):
        if el.get("datetime") and not _inside(el, zone) and (
                el.get("itemprop") == "datePublished" or _classes(el) & {"published", "entry-date"}):
            time_el = el
            break
    page.created_at = (
        (_time(_ld_str(article.get("datePublished"))) if article else None)
        or _time(_meta1(meta, "article:published_time"))
        or (_dt_value(entry_props["dt-published"][0]) if entry_props.get("dt-published") else None)
        or _time(_meta1(meta, "datepublished"))
        or (_time(time_el.get("datetime")) if time_el is not None else None)
        or (_time(_ld_str(webpage.get("datePublished"))) if webpage else None)
        or next((_time(v) for k in ("date", "dc.date.issued", "dc.date", "pubdate",
                                    "publish-date", "sailthru.date") for v in meta.get(k, [])
                 if _time(v)), None)
    )
    html_el = root if root.tag == "html" else root.find(".//html")
    page.lang = (
        _lang(html_el.get("lang") if html_el is not None else None)
        or _lang(_meta1(meta, "og:locale"))
        or _lang(_ld_str(article.get("inLanguage")) if article else None)
        or _lang(_meta1(meta, "content-language"))
    )
    publisher = article.get("publisher") if article else None
    if isinstance(publisher, dict) and set(publisher) <= {"@id", "@type"}:
        publisher = index.get(publisher.get("@id"), publisher)
    page.site_name = (
        _clean(_meta1(meta, "og:site_name"))
        or (_ld_str(publisher.get("name")) if isinstance(publisher, dict) else None)
    )

    # authors
    page.authors = _authors(root, meta, article, index, entry_props, base, zone)

    # platform: a blog when its engine, markup or host says so
    generator = " ".join(meta.get("generator", []))
    if _BLOG_ENGINES.search(generator) or entry is not None or celements or \
            page.host.endswith(_BLOG_HOSTS):
        page.platform = "blog"

    # tags
    tags: list[str] = list(meta.get("article:tag", []))
    kw = article.get("keywords") if article else None
    if isinstance(kw, str):
        tags.extend(t for t in kw.split(","))
    elif isinstance(kw, list):
        tags.extend(t for t in kw if isinstance(t, str))
    for a in root.iter("a"):
        if "tag" in _rels(a) and not _inside(a, zone):
            tags.append(a.text_content())
    tags.extend(_p_value(el) or "" for el in entry_props.get("p-category", []))
    seen_tags: set[str] = set()
    for raw in tags:
        t = _clean(raw, 100)
        if t and hashtag_key(t) and hashtag_key(t) not in seen_tags and len(seen_tags) < 50:
            seen_tags.add(hashtag_key(t))
            page.tags.append(t)

    # body, embeds, links
    body, whole = _body_element(root, entry, entry_props, zone)
    skip = set(zone)
    skip.update(e for e in body.iter() if isinstance(e.tag, str) and (
        (whole and e.tag in _CHROME) or _classes(e) & _BOXES))
    embeds = find_embeds(root, base, zone)
    page.embeds = [emb for _el, emb in embeds]
    skip.update(el for el, _emb in embeds)
    page.text = element_text(body, skip) or None
    page.links = [u for u in _links(body, base, skip) if _safe_key(u) != page.key]

    # comments
    parents: dict[Any, str] = {}
    others = set(celements)
    for n, cel in enumerate(celements, start=1):
        c = _read_comment(cel, others - {cel}, base, page, parents, n)
        if c.key and c.kind == "comment":
            parents[cel] = c.key
        page.comments.append(c)
    return page


def _authors(root: Any, meta: dict[str, list[str]], article: dict[str, Any] | None,
             index: dict[str, dict[str, Any]], entry_props: dict[str, list[Any]],
             base: str | None, zone: set[Any]) -> list[Author]:
    """The page's authors, with every profile link the page gives for them."""
    sources: list[list[Author]] = []
    if article:
        sources.append(_ld_authors(article, index, base))
    if entry_props.get("p-author"):
        sources.append([_hcard(el, base) for el in entry_props["p-author"][:20]])
    metas = []
    for key in ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author"):
        for value in meta.get(key, []):
            metas.append(Author(None, value) if is_http_url(value) else Author(_clean(value, 300)))
    if metas:
        sources.append(metas)
    byline: list[Author] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or _inside(el, zone):
            continue
        if el.tag in ("a", "link") and "author" in _rels(el):
            name = _clean(el.text_content(), 300) if el.tag == "a" else None
            byline.append(Author(name, _abs(el.get("href"), base)))
        elif "fn" in _classes(el) and el.getparent() is not None and (
                {"author"} & _classes(el) or {"author", "byline"} & _classes(el.getparent())):
            url = _abs(el.get("href"), base) if el.tag == "a" else None
            byline.append(Author(_clean(el.text_content(), 300), url))
        if len(byline) >= 5:
            break
    if byline:
        sources.append(byline)

    authors: list[Author] = []
    for found in sources:
        found = [a for a in found if a]
        if not found:
            continue
        if not authors:
            authors = [Author(a.name, a.url, list(a.profile_links)) for a in found]
            continue
        if len(authors) == 1:
            # fill what the more trusted source lacked, from one that names the same person
            main = authors[0]
            for a in found:
                same = not main.name or not a.name or a.name.casefold() == main.name.casefold()
                if not same:
                    continue
                main.name = main.name or a.name
                if a.url and not main.url:
                    main.url = a.url
                elif a.url and a.url != main.url:
                    main.profile_links.append(a.url)
                main.profile_links.extend(a.profile_links)
    # the page owner's identities: rel=me and twitter:creator
    extra: list[str] = []
    for el in root.iter("a", "link"):
        if "me" in _rels(el) and not _inside(el, zone):
            u = _abs(el.get("href"), base)
            if u:
                extra.append(u)
    for handle in meta.get("twitter:creator", []):
        handle = handle.strip().lstrip("@")
        if re.fullmatch(r"[A-Za-z0-9_]{1,50}", handle):
            extra.append(f"https://twitter.com/{handle}")
    if authors and extra:
        authors[0].profile_links.extend(extra)
    elif extra:
        authors = [Author(None, None, extra)]
    for a in authors:
        links = ([a.url] if a.url else []) + a.profile_links
        a.profile_links = list(dict.fromkeys(u for u in links if is_http_url(u)))
    return authors


# --------------------------------------------------------------------------
# graph records
# --------------------------------------------------------------------------

class RecordBuilder:
    """Builds blog records (pages, comments, authors, links, embeds) into batches.

    Shared by the html and wordpress collectors so that both key authors,
    commenters, links and embedded posts the same way. A new batch starts
    once ``size`` input records are in the current one (see :meth:`flush`).
    """

    def __init__(self, source: str, size: int, resolve: Callable[[str], str]) -> None:
        self.source = source
        self.size = max(int(size or 1), 1)
        self.resolve = resolve
        self.batch = Batch(source=source)
        self.urls: set[str] = set()
        self.sites: set[tuple[str, str | None]] = set()

    def flush(self, force: bool = False) -> Iterator[Batch]:
        if self.batch.read >= self.size or (force and (self.batch.read or self.batch.nodes)):
            yield self.batch
            self.batch = Batch(source=self.source)

    def site(self, url: str, name: str | None = None) -> str:
        skey = site_key(url)
        if (skey, name) not in self.sites:  # once per input (and again if it gains a name)
            self.sites.add((skey, name))
            parts = urlsplit(url)
            self.batch.node("Site", skey, name=name, url=f"{parts.scheme}://{parts.netloc}/")
        return skey

    def link(self, src: str, url: str, skip: str | None = None) -> None:
        url = self.resolve(url)
        key = _safe_key(url)
        if key is None or key == skip:
            return
        if key not in self.urls:
            self.urls.add(key)
            self.batch.node("Url", key, url=url, domain=host_of(url))
        self.batch.edge("LINKS_TO", "Post", src, "Url", key)

    def account(self, author: Author, host: str, *, site_name: str | None = None,
                fallback_blog: bool = True, handle: str | None = None) -> str | None:
        """Account key for an author; a blog-wide account when nothing names one."""
        b = self.batch
        links = author.profile_links or None
        if author.name:
            key = blog_account_key(host, author.name)
            url = next((u for u in ([author.url] if author.url else []) if not profile_account(u)),
                       None)
            b.node("Account", key, platform="blog", handle=handle or author.name, name=author.name,
                   url=url, profile_links=links)
            return key
        if author.url:
            prof = profile_account(author.url)
            if prof:
                b.node("Account", prof, platform=prof.partition(":")[0], url=author.url,
                       profile_links=links)
                return prof
            key = account_ref(author.url)
            b.node("Account", key, platform="blog", url=author.url, profile_links=links)
            return key
        if not fallback_blog:
            return None
        key = blog_account_key(host)
        b.node("Account", key, platform="blog", handle=host, name=site_name,
               url=f"https://{host}/", profile_links=links)
        return key

    def commenter(self, author: Author, host: str) -> str | None:
        """A commenter whose URL is a profile or another blog is that account (as in feeds)."""
        b = self.batch
        if author.url:
            prof = profile_account(author.url)
            if prof:
                b.node("Account", prof, platform=prof.partition(":")[0], url=author.url,
                       profile_links=[author.url])
                return prof
            uhost = host_of(author.url)
            if uhost and uhost != host:
                key = blog_account_key(uhost)
                b.node("Account", key, platform="blog", handle=uhost, url=author.url,
                       profile_links=[author.url])
                return key
        if not author.name:
            return None
        key = blog_account_key(host, author.name)
        b.node("Account", key, platform="blog", handle=author.name, name=author.name)
        return key

    def embed(self, src: str, emb: Embed) -> None:
        b = self.batch
        b.node("Post", emb.key, platform=emb.platform, kind="post", url=emb.url, text=emb.text,
               created_at=emb.created_at)
        akey = account_key(emb.platform, emb.handle)
        b.node("Account", akey, platform=emb.platform, handle=emb.handle, name=emb.name,
               url=(f"https://twitter.com/{emb.handle}" if emb.platform == "twitter"
                    else f"https://t.me/{emb.handle}"))
        b.edge("AUTHORED", "Account", akey, "Post", emb.key)
        b.edge("QUOTES", "Post", src, "Post", emb.key)


def page_records(page: Page, source: str, options: CollectOptions | None = None
                 ) -> Iterator[Batch]:
    """Graph records of a parsed page (the page, then its comments), in batches."""
    options = options or CollectOptions()
    rec = RecordBuilder(source, options.batch_size, resolver_for(options))
    key, host = page.key, page.host
    b = rec.batch
    b.node("Post", key, platform=page.platform, kind="post", title=page.title, text=page.text,
           lang=page.lang, created_at=page.created_at, url=page.url,
           comment_count=sum(1 for c in page.comments if c.kind == "comment") or None)
    skey = rec.site(page.url, page.site_name)
    b.edge("PUBLISHED_ON", "Post", key, "Site", skey)
    for author in page.authors or [Author()]:
        akey = rec.account(author, host, site_name=page.site_name)
        if akey:
            b.edge("AUTHORED", "Account", akey, "Post", key)
    for tag in page.tags:
        hkey = hashtag_key(tag)
        b.node("Hashtag", hkey, tag=tag)
        b.edge("TAGGED", "Post", key, "Hashtag", hkey)
    for url in page.links:
        rec.link(key, url, skip=key)
    for emb in page.embeds:
        rec.embed(key, emb)
    b.ok()

    for c in page.comments:
        yield from rec.flush()
        b = rec.batch
        if c.problem:
            b.reject(c.location, c.problem, (c.text or c.author.name or "")[:200])
            continue
        if c.kind == "pingback":
            assert c.url is not None
            b.node("Post", c.key, platform="blog", kind="post", url=c.url)
            b.edge("PUBLISHED_ON", "Post", c.key, "Site", rec.site(c.url))
            rec.link(c.key, page.url)
            b.ok()
            continue
        b.node("Post", c.key, platform="blog", kind="comment", text=c.text, lang=page.lang,
               created_at=c.created_at, url=c.url, post_url=page.url)
        b.edge("REPLIES_TO", "Post", c.key, "Post", c.parent or key)
        b.edge("PUBLISHED_ON", "Post", c.key, "Site", skey)
        akey = rec.commenter(c.author, host)
        if akey:
            b.edge("AUTHORED", "Account", akey, "Post", c.key)
        for url in c.links:
            rec.link(c.key, url, skip=c.key)
        b.ok()
    yield from rec.flush(force=True)


# --------------------------------------------------------------------------
# the collector
# --------------------------------------------------------------------------

_SNIFF_START = re.compile(
    rb"^(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_SNIFF_PARTS = re.compile(rb"<(?:head|body)[\s>]", re.I)


class HtmlCollector(Collector):
    """One blog post or article page: author, date, body links, embeds, comments.

    Give the page's URL (``netmap collect html https://blog.example/2013/10/post/``)
    or a saved copy; a saved copy must name its canonical URL. Options:
    ``options.extra["resolve_short"]`` expands short links among the outgoing links.
    """

    name = "html"
    description = "one blog post or article page (author, date, links, embedded posts, comments)"

    def sniff(self, source: Source) -> int:
        head = source.head()
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        if _SNIFF_START.match(head[:4096]):
            return 60  # below feeds (90): an XHTML feed page is still a feed
        if _SNIFF_PARTS.search(head[:2048]) and head.lstrip()[:1] == b"<":
            return 40
        return 0

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        size = source.size()
        if size > MAX_HTML_BYTES:
            raise CollectError(
                f"{source.name}: {size} bytes is more than one page can be "
                f"({MAX_HTML_BYTES} bytes); is this the right file?"
            )
        page = parse_page(source.path.read_bytes(),
                          url=getattr(source, "final_url", None) or source.url,
                          declared=_charset(source.content_type), name=source.name)
        yield from page_records(page, source.name, options)

