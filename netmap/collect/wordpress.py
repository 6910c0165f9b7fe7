"""WordPress sites through the REST API (``/wp-json/wp/v2``), crawled live or saved as JSON.

Two kinds of input:

* **A site URL** — ``netmap collect wordpress https://blog.example/``. The
  pipeline fetches the URL as it fetches any URL input (the home page, as
  HTML) and hands over a :class:`~netmap.collect.base.Source` with ``url``
  set. The collector then finds the API root (the home page's
  ``<link rel="https://api.w.org/">``, else ``<site>/wp-json/``; ``?rest_route=``
  roots of sites without pretty permalinks work too) and crawls it itself
  with ``options.fetcher`` (a polite :class:`~netmap.collect.http.Fetcher`;
  one is made with ``options.allow_private`` when none is given): the site
  index (name), ``/users``, ``/categories``, ``/tags``, then ``/posts`` and
  ``/comments``, each ``per_page=100&page=N`` until ``X-WP-TotalPages`` or
  WordPress's 400 ``rest_post_invalid_page_number`` says the pages ended.
  A URL inside the API (``…/wp-json/wp/v2/posts``) crawls the same site. A
  home page fetched as HTML is read this way only when the format is named:
  ``auto`` leaves HTML pages to the ``html`` collector.
* **Saved JSON** of those endpoints: a list of post objects, of comment
  objects or of user objects (several lists, one per line or concatenated,
  are fine, as ``curl …page=1 >> dump.json; curl …page=2 >> dump.json``
  makes). Users in the same file name the authors; posts saved with
  ``?_embed`` carry their author and terms in ``_embedded``.

Mapping, matching the feeds collector so both meet in one graph:

* post -> ``Post`` (key ``url_key(link)``, platform blog, kind post: title,
  text, created_at from ``date_gmt``, url, ``wp_id``), ``PUBLISHED_ON`` its
  Site, ``AUTHORED`` by ``blog:<host>/<display name>`` (the name the RSS
  ``dc:creator`` carries; handle = the user's slug; url = the author page;
  the user's own website in ``profile_links``), its categories and tags as
  ``Hashtag`` s, every link of ``content.rendered`` a ``LINKS_TO``, embedded
  tweets and Telegram posts ``QUOTES``.
* comment -> ``Post`` ``blog:<host>:comment:<id>`` (kind comment) that
  ``REPLIES_TO`` its parent comment (``parent != 0``) or its post; its author
  is the blog user when ``author`` names one, else the account of
  ``author_url`` when that is a social profile or another blog, else
  ``blog:<host>/<author_name>``. Pingbacks and trackbacks are the linking
  post, ``LINKS_TO`` the post.

Input records: each post and comment (and, in saved files, each user).
Users, categories and tags fetched while crawling are context, not records.
An API page that cannot be fetched is one rejected record naming the page.

Options (``CollectOptions.extra``): ``after`` / ``before`` (ISO-8601) limit
posts and comments to a period; ``max_pages`` caps pages per endpoint
(default 10,000); ``resolve_short`` expands short links among outgoing links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..errors import CollectError
from ..keys import hashtag_key, host_of, is_http_url, post_key, url_key
from ..model import Batch, utc_iso
from .base import CollectOptions, Collector, Source, decode_bytes, excerpt
from .html import Author, RecordBuilder, fragment_parts, parse_html
from .http import Fetcher, FetchError
from .shorturls import resolver_for

__all__ = ["WordPressCollector", "api_root", "endpoint_url", "MAX_DUMP_BYTES"]

MAX_DUMP_BYTES = 512 * 1024 * 1024
_PER_PAGE = 100
_MAX_PAGES = 10_000
_JSON_TYPES = ("application/json", "+json")
_END_CODES = {"rest_post_invalid_page_number", "rest_comment_invalid_page_number",
              "rest_user_invalid_page_number", "rest_term_invalid_page_number",
              "rest_invalid_page_number"}
_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$")

_RENDERED = rb'"content"\s*:\s*\{\s*"rendered"'
_SNIFF_COMMENT = re.compile(rb'"author_name"\s*:')
_SNIFF_POST = re.compile(rb'"guid"\s*:\s*\{\s*"rendered"|"comment_status"\s*:|"ping_status"\s*:')
_SNIFF_USER = re.compile(rb'"avatar_urls"\s*:')


def api_root(url: str, html: bytes | None = None) -> str:
    """The REST API root of the WordPress site ``url`` belongs to.

    A URL inside the API gives its own root; else the page's
    ``<link rel="https://api.w.org/">`` (when its HTML is given); else
    ``<scheme>://<host>/wp-json/``.
    """
    parts = urlsplit(url)
    if "/wp-json" in parts.path:
        path = parts.path[: parts.path.index("/wp-json") + len("/wp-json")] + "/"
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    query = dict(parse_qsl(parts.query))
    if "rest_route" in query:
        return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "rest_route=/", ""))
    if html:
        try:
            root, _enc = parse_html(html)
        except CollectError:
            root = None
        if root is not None:
            for link in root.iter("link"):
                if (link.get("rel") or "").strip() == "https://api.w.org/" and link.get("href"):
                    found = urljoin(url, link.get("href").strip())
                    if is_http_url(found):
                        return found
    return urlunsplit((parts.scheme, parts.netloc, "/wp-json/", "", ""))


def endpoint_url(root: str, route: str, params: dict[str, Any] | None = None) -> str:
    """URL of ``route`` (``wp/v2/posts``) under an API root, pretty or ``?rest_route=``."""
    params = {k: v for k, v in (params or {}).items() if v is not None}
    parts = urlsplit(root)
    query = dict(parse_qsl(parts.query))
    if "rest_route" in query:
        query["rest_route"] = "/" + route.strip("/")
        query.update({k: str(v) for k, v in params.items()})
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, safe="/"), ""))
    base = root if root.endswith("/") else root + "/"
    url = base + route.strip("/")
    return url + ("?" + urlencode(params) if params else "")


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _post_url_of(link: str) -> str:
    """The post a comment permalink belongs to: no fragment, no comment page."""
    parts = urlsplit(link.split("#", 1)[0])
    path = _COMMENT_PAGE.sub("/", parts.path)
    query = "&".join(p for p in parts.query.split("&")
                     if p and not p.startswith(("cpage=", "replytocom=")))
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _kind(obj: Any) -> str | None:
    """post | comment | user | term (a tag or category) for a REST API object, else None."""
    if not isinstance(obj, dict):
        return None
    if "taxonomy" in obj and "name" in obj:  # /wp/v2/tags, /categories: context, not records
        return "term"
    if "author_name" in obj or ("post" in obj and "parent" in obj and "content" in obj):
        return "comment"
    if "content" in obj or "guid" in obj or "title" in obj:
        return "post"
    if "slug" in obj and ("avatar_urls" in obj or ("name" in obj and "link" in obj)):
        return "user"
    return None


@dataclass
class _Site:
    """What is known about the site while mapping its objects."""

    host: str | None = None
    home: str | None = None
    name: str | None = None
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    terms: dict[int, str] = field(default_factory=dict)
    post_keys: dict[int, str] = field(default_factory=dict)


class _Mapper:
    def __init__(self, rec: RecordBuilder, site: _Site) -> None:
        self.rec = rec
        self.site = site

    # -- helpers -----------------------------------------------------------
    def _site_node(self, url: str) -> str:
        same = self.site.host and host_of(url) == self.site.host
        return self.rec.site(url, self.site.name if same else None)

    def _user_author(self, user: dict[str, Any]) -> tuple[Author, str | None]:
        name = user.get("name") if isinstance(user.get("name"), str) else None
        slug = user.get("slug") if isinstance(user.get("slug"), str) else None
        link = user.get("link") if is_http_url(user.get("link")) else None
        own = user.get("url") if is_http_url(user.get("url")) else None
        links = [u for u in (link, own) if u]
        return Author((name or slug or "").strip() or None, link, links), slug

    def user_account(self, user: dict[str, Any], host: str) -> str | None:
        author, slug = self._user_author(user)
        if not author:
            return None
        return self.rec.account(author, host, site_name=self.site.name, handle=slug,
                                fallback_blog=False)

    def _tags(self, obj: dict[str, Any]) -> list[str]:
        names: list[str] = []
        for field_name in ("categories", "tags"):
            for tid in obj.get(field_name) or []:
                name = self.site.terms.get(tid) if isinstance(tid, int) else None
                if name:
                    names.append(name)
        embedded: dict[str, Any] = obj["_embedded"] if isinstance(obj.get("_embedded"), dict) else {}
        for group in embedded.get("wp:term") or []:
            for term in group if isinstance(group, list) else []:
                if isinstance(term, dict) and isinstance(term.get("name"), str):
                    names.append(term["name"])
        return names

    # -- records -----------------------------------------------------------
    def user(self, b: Batch, obj: dict[str, Any], loc: str) -> None:
        uid = _int(obj.get("id"))
        if uid is not None:
            self.site.users[uid] = obj
        link = obj.get("link") if is_http_url(obj.get("link")) else None
        host = host_of(link) if link else self.site.host
        if not host or self.user_account(obj, host) is None:
            b.reject(loc, "user has neither a name, a slug nor a link", excerpt(json.dumps(obj)))
            return
        b.ok()

    def post(self, b: Batch, obj: dict[str, Any], loc: str) -> None:
        link = obj.get("link") if is_http_url(obj.get("link")) else None
        guid = _rendered(obj.get("guid"))
        pid = _int(obj.get("id"))
        if link:
            key = url_key(link)
            host = host_of(link)
        elif is_http_url(guid):
            host = host_of(guid)
            key = post_key("blog", f"{host}:{guid.strip()}")
        else:
            b.reject(loc, "post has neither a link nor a guid URL", excerpt(json.dumps(obj)))
            return
        base = link or guid
        title, _, _ = fragment_parts(_rendered(obj.get("title")), base)
        text, links, embeds = fragment_parts(_rendered(obj.get("content")), base)
        if not text:
            text, _, _ = fragment_parts(_rendered(obj.get("excerpt")), base)
        created = utc_iso(obj.get("date_gmt")) or utc_iso(obj.get("date"))
        b.node("Post", key, platform="blog", kind="post", title=title or None, text=text or None,
               created_at=created, url=link or (guid if is_http_url(guid) else None), wp_id=pid)
        if pid is not None:
            self.site.post_keys[pid] = key
        b.edge("PUBLISHED_ON", "Post", key, "Site", self._site_node(base))
        akey = None
        uid = _int(obj.get("author"))
        user = self.site.users.get(uid) if uid is not None else None
        if user is None:
            embedded: dict[str, Any] = \
                obj["_embedded"] if isinstance(obj.get("_embedded"), dict) else {}
            found = [a for a in embedded.get("author") or []
                     if isinstance(a, dict) and "code" not in a]
            user = found[0] if found else None
        if user is not None:
            akey = self.user_account(user, host)
        if akey is None:
            akey = self.rec.account(Author(), host, site_name=self.site.name)
        if akey:
            b.edge("AUTHORED", "Account", akey, "Post", key)
        seen: set[str] = set()
        for tag in self._tags(obj):
            hkey = hashtag_key(tag)
            if hkey and hkey not in seen:
                seen.add(hkey)
                b.node("Hashtag", hkey, tag=tag)
                b.edge("TAGGED", "Post", key, "Hashtag", hkey)
        for url in links:
            self.rec.link(key, url, skip=key)
        for quoted in embeds:
            self.rec.embed(key, quoted)
        b.ok()

    def comment(self, b: Batch, obj: dict[str, Any], loc: str) -> None:
        cid = _int(obj.get("id"))
        link = obj.get("link") if is_http_url(obj.get("link")) else None
        host = host_of(link) if link else self.site.host
        if cid is None or not host:
            b.reject(loc, "comment has no id" if cid is None else
                     "comment has no link to tell which blog it belongs to",
                     excerpt(json.dumps(obj)))
            return
        pid = _int(obj.get("post"))
        post = self.site.post_keys.get(pid) if pid is not None else None
        if post is None and link:
            post = url_key(_post_url_of(link))
        ctype = obj.get("type") if isinstance(obj.get("type"), str) else "comment"
        author_url = obj.get("author_url") if is_http_url(obj.get("author_url")) else None
        if ctype in ("pingback", "trackback"):
            if not author_url or post is None:
                b.reject(loc, f"{ctype} without the linking post's URL or the post it links",
                         excerpt(json.dumps(obj)))
                return
            if not link:
                b.reject(loc, f"{ctype} without a link to the post it links",
                         excerpt(json.dumps(obj)))
                return
            pkey = url_key(author_url)
            b.node("Post", pkey, platform="blog", kind="post", url=author_url)
            b.edge("PUBLISHED_ON", "Post", pkey, "Site", self.rec.site(author_url))
            self.rec.link(pkey, _post_url_of(link))
            b.ok()
            return
        key = post_key("blog", f"{host}:comment:{cid}")
        base = link or self.site.home
        text, links, _embeds = fragment_parts(_rendered(obj.get("content")), base)
        b.node("Post", key, platform="blog", kind="comment", text=text or None,
               created_at=utc_iso(obj.get("date_gmt")) or utc_iso(obj.get("date")), url=link,
               post_url=_post_url_of(link) if link else None, wp_id=cid)
        parent = _int(obj.get("parent"))
        if parent:
            b.edge("REPLIES_TO", "Post", key, "Post", post_key("blog", f"{host}:comment:{parent}"))
        elif post:
            b.edge("REPLIES_TO", "Post", key, "Post", post)
        b.edge("PUBLISHED_ON", "Post", key, "Site", self._site_node(link or f"https://{host}/"))
        akey = None
        uid = _int(obj.get("author"))
        if uid and uid in self.site.users:
            akey = self.user_account(self.site.users[uid], host)
        if akey is None:
            name = obj.get("author_name") if isinstance(obj.get("author_name"), str) else None
            akey = self.rec.commenter(Author((name or "").strip() or None, author_url), host)
        if akey:
            b.edge("AUTHORED", "Account", akey, "Post", key)
        for url in links:
            self.rec.link(key, url, skip=key)
        b.ok()

    def record(self, b: Batch, obj: Any, loc: str, kind: str | None = None) -> None:
        kind = kind or _kind(obj)
        n_nodes, n_edges = len(b.nodes), len(b.edges)
        try:
            if kind == "post":
                self.post(b, obj, loc)
            elif kind == "comment":
                self.comment(b, obj, loc)
            elif kind == "user":
                self.user(b, obj, loc)
            else:
                b.reject(loc, "not a WordPress post, comment or user object",
                         excerpt(json.dumps(obj, default=str)))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # a value the model refuses: drop what the record added, reject it
            del b.nodes[n_nodes:], b.edges[n_edges:]
            self.rec.urls.clear()  # a Url or Site node may have gone with the rollback
            self.rec.sites.clear()
            b.reject(loc, f"unusable {kind or 'record'}: {exc}", excerpt(json.dumps(obj, default=str)))


def _iter_json_values(text: str) -> Iterator[tuple[int, Any, str | None]]:
    """Top-level JSON values of a text (one, several concatenated, or one per line).

    Yields ``(line, value, error)``; after an error nothing more is read.
    """
    dec = json.JSONDecoder()
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            return
        line = text.count("\n", 0, pos) + 1
        try:
            value, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield line, None, f"invalid JSON at line {exc.lineno}: {exc.msg}"
            return
        yield line, value, None
        pos = end


class WordPressCollector(Collector):
    """WordPress REST API: crawl a site by URL, or read saved posts/comments/users JSON."""

    name = "wordpress"
    description = "WordPress REST API (wp-json): posts, comments, authors; a site URL or saved JSON"

    def sniff(self, source: Source) -> int:
        head = source.head().lstrip(b"\xef\xbb\xbf").lstrip()
        if head[:1] not in (b"[", b"{"):
            return 0
        if source.url and "/wp-json" in urlsplit(source.url).path:
            return 85
        if re.search(_RENDERED, head) and (_SNIFF_COMMENT.search(head) or _SNIFF_POST.search(head)):
            return 85
        if _SNIFF_USER.search(head) and b'"slug"' in head:
            return 70
        return 0

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        head = source.head().lstrip(b"\xef\xbb\xbf").lstrip()
        is_json = head[:1] in (b"[", b"{")
        api_url = bool(source.url) and ("/wp-json" in urlsplit(source.url or "").path
                                        or "rest_route=" in urlsplit(source.url or "").query)
        if source.url and (api_url or not is_json):
            html = None if is_json else source.path.read_bytes()[:2 * 1024 * 1024]
            where = getattr(source, "final_url", None) or source.url
            yield from self._crawl(source, options, api_root(where, html))
            return
        if not is_json:
            raise CollectError(
                f"{source.name}: not WordPress REST API JSON; give the site's URL "
                "(netmap collect wordpress https://blog.example/) or saved JSON of "
                "/wp-json/wp/v2/posts, /comments or /users"
            )
        yield from self._dump(source, options)

    # -- saved JSON ------------------------------------------------------------
    def _dump(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        if source.size() > MAX_DUMP_BYTES:
            raise CollectError(f"{source.name}: {source.size()} bytes is more than a saved API "
                               f"dump can be ({MAX_DUMP_BYTES} bytes)")
        text, _enc = decode_bytes(source.path.read_bytes())
        values: list[tuple[int, Any]] = []
        error: tuple[int, str] | None = None
        for line, value, err in _iter_json_values(text):
            if err:
                error = (line, err)
                break
            values.append((line, value))
        if not values:
            raise CollectError(f"{source.name}: {error[1] if error else 'no JSON found'}; "
                               "not a saved WordPress API response")
        items: list[tuple[str, Any]] = []
        for line, value in values:
            objs = value if isinstance(value, list) else [value]
            if isinstance(value, dict) and "code" in value and "message" in value:
                items.append((f"line {line}", value))  # a saved API error: rejected below
                continue
            for i, obj in enumerate(objs, start=1):
                loc = f"line {line} item {i}" if isinstance(value, list) else f"line {line}"
                items.append((loc, obj))
        if not any(_kind(o) for _, o in items):
            raise CollectError(f"{source.name}: JSON, but no WordPress post, comment or user "
                               "objects in it")
        site = _Site()
        # users first, wherever they are in the file: they name the authors
        for _loc, obj in items:
            kind = _kind(obj)
            if kind == "user" and _int(obj.get("id")) is not None:
                site.users[_int(obj.get("id"))] = obj  # type: ignore[index]
            elif kind == "term" and _int(obj.get("id")) is not None \
                    and isinstance(obj.get("name"), str):
                site.terms[_int(obj.get("id"))] = obj["name"]  # type: ignore[index]
        items = [(loc, obj) for loc, obj in items if _kind(obj) != "term"]
        first_link = next((o.get("link") for _, o in items
                           if isinstance(o, dict) and is_http_url(o.get("link"))), None)
        if first_link:
            site.host = host_of(first_link)
            parts = urlsplit(first_link)
            site.home = f"{parts.scheme}://{parts.netloc}/"
        rec = RecordBuilder(source.name, options.batch_size, resolver_for(options))
        mapper = _Mapper(rec, site)
        # posts before comments, so comments find their posts' keys
        order = {"user": 0, "post": 1, "comment": 2}
        for loc, obj in sorted(items, key=lambda it: order.get(_kind(it[1]) or "", 3)):
            yield from rec.flush()
            mapper.record(rec.batch, obj, loc)
        if error:
            rec.batch.reject(f"line {error[0]}", error[1], "")
        yield from rec.flush(force=True)

    # -- live crawl -----------------------------------------------------------
    def _crawl(self, source: Source, options: CollectOptions, root: str) -> Iterator[Batch]:
        fetcher = options.fetcher or Fetcher(allow_private=options.allow_private)
        options.fetcher = fetcher
        max_pages = int(options.extra.get("max_pages") or _MAX_PAGES)
        period = {"after": options.extra.get("after"), "before": options.extra.get("before")}
        period = {k: (utc_iso(v) or v) for k, v in period.items() if v}
        site = _Site()
        parts = urlsplit(source.url or root)
        site.host = host_of(source.url or root)
        site.home = f"{parts.scheme}://{parts.netloc}/"
        name = source.url or root

        # the site's name (and home URL) from the index: optional
        try:
            r = fetcher.fetch_to_file(endpoint_url(root, "", {"_fields": "name,description,url,home"}),
                                      expect=_JSON_TYPES)
            index = json.loads(r.path.read_bytes())
        except (FetchError, ValueError) as exc:
            if isinstance(exc, FetchError) and re.search(r"HTTP 404|unexpected content type", str(exc)):
                raise CollectError(
                    f"{name}: no WordPress REST API at {root} ({exc}); is this a WordPress site? "
                    "Saved API JSON can be read instead"
                ) from None
            index = {}
        if isinstance(index, dict):
            site.name = index.get("name") if isinstance(index.get("name"), str) else None
            home = index.get("home") or index.get("url")
            if isinstance(home, str) and is_http_url(home):
                site.home = home if home.endswith("/") else home + "/"
                site.host = host_of(home)

        # context: users and terms (not records)
        users_ok = True
        for _page, data, _err in self._pages(fetcher, root, "wp/v2/users", {}, max_pages):
            if data is None:
                users_ok = False
                break
            for u in data:
                if isinstance(u, dict) and _int(u.get("id")) is not None:
                    site.users[_int(u.get("id"))] = u  # type: ignore[index]
        for route in ("wp/v2/categories", "wp/v2/tags"):
            for _page, data, _err in self._pages(fetcher, root, route,
                                                 {"_fields": "id,name"}, max_pages):
                for t in data or []:
                    if isinstance(t, dict) and _int(t.get("id")) is not None \
                            and isinstance(t.get("name"), str):
                        site.terms[_int(t.get("id"))] = t["name"]  # type: ignore[index]

        rec = RecordBuilder(name, options.batch_size, resolver_for(options))
        mapper = _Mapper(rec, site)
        post_params: dict[str, Any] = dict(period)
        if not users_ok:
            post_params["_embed"] = "author"  # /users is often blocked; the embed may pass
        for what, route, params in (("posts", "wp/v2/posts", post_params),
                                    ("comments", "wp/v2/comments", dict(period))):
            for page, data, err in self._pages(fetcher, root, route, params, max_pages):
                if data is None:
                    rec.batch.reject(f"{what} page {page}", f"could not read the API page: {err}",
                                     endpoint_url(root, route, {**params, "page": page}))
                    yield from rec.flush(force=True)
                    break
                for i, obj in enumerate(data, start=1):
                    mapper.record(rec.batch, obj, f"{what} page {page} item {i}",
                                  kind="post" if what == "posts" else "comment")
                # one API page per batch at least: the pages are the unit of progress
                yield from rec.flush(force=True)

    @staticmethod
    def _pages(fetcher: Fetcher, root: str, route: str, params: dict[str, Any], max_pages: int
               ) -> Iterator[tuple[int, list[Any] | None, str | None]]:
        """``(page, objects, None)`` per API page; ``(page, None, reason)`` then stop on failure."""
        page = 1
        while page <= max_pages:
            url = endpoint_url(root, route, {**params, "per_page": _PER_PAGE, "page": page})
            try:
                r = fetcher.fetch_to_file(url, expect=_JSON_TYPES, accept_status={400})
                data = json.loads(r.path.read_bytes())
            except FetchError as exc:
                yield page, None, str(exc)
                return
            except ValueError as exc:
                yield page, None, f"{url}: not JSON ({exc})"
                return
            if r.status == 400:
                code = data.get("code") if isinstance(data, dict) else None
                if code in _END_CODES or page > 1:
                    return  # past the last page
                yield page, None, f"{url}: HTTP 400 {code or ''}".strip()
                return
            if not isinstance(data, list):
                yield page, None, f"{url}: expected a JSON list, got {type(data).__name__}"
                return
            if not data:
                return
            yield page, data, None
            total = r.header("X-WP-TotalPages")
            if total and total.strip().isdigit() and page >= int(total):
                return
            page += 1
