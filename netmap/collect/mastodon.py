"""Mastodon statuses: REST API JSON and ActivityPub archive exports.

Read shapes (a JSON document, or JSON lines with one of them per line):

* REST API ``Status`` entities: a list (timelines, ``/api/v1/accounts/:id/statuses``),
  one status, ``{"statuses": [...]}`` (``/api/v2/search``) or
  ``{"ancestors": [...], "descendants": [...]}`` (a thread's context);
* a Mastodon archive's ``outbox.json`` (an ActivityPub ``OrderedCollection``
  whose ``orderedItems`` are ``Create`` activities holding a ``Note`` and
  ``Announce`` activities naming the boosted status by URI) and its
  ``actor.json`` (the account, a ``Person``).

Each status, activity or actor is one input record. Mapping:

* Post key ``url_key`` of the status ``url`` (else its ``uri``). Mastodon
  ActivityPub URIs ``https://host/users/<u>/statuses/<id>`` are folded to the
  web form ``https://host/@<u>/<id>``, so a status named by URI (``inReplyTo``,
  an ``Announce``) meets the same status seen through the API or linked from
  another platform.
* Boosts (``reblog``, ``Announce``) are Posts of kind ``share`` that ``SHARE``
  the original; the original comes along as a context Post when the API
  embedded it (its text may be empty when it only carries media).
* Replies ``REPLIES_TO`` the parent: ``inReplyTo`` is a URI; the API's
  ``in_reply_to_id`` is an id local to the instance that served the data, so it
  is matched against every status of the file, wherever the parent appears
  (timelines list replies before their parents). A parent that is not in the
  file gets the key ``mastodon:<instance>:<id>`` (the instance is the one whose
  local accounts appear in the file) and, when its account is known from
  ``in_reply_to_account_id``, that author.
* Content warnings (``spoiler_text``, ActivityPub ``summary``) are kept as
  the ``cw`` property; the text is still stored.
* ``mentions`` / ``Mention`` tags give MENTIONS, ``tags`` / ``Hashtag`` tags
  TAGGED, and every other ``<a href>`` of the content gives LINKS_TO (mention
  and hashtag links are not links out).
* Accounts are ``mastodon:<username>@<instance>`` from ``acct``; local accounts
  have no domain in ``acct``, so the instance is taken from the account URL.
  Links in the bio and in profile fields become ``profile_links``.

Outboxes are streamed item by item with ijson when installed; other
documents are read whole (up to 512 MiB; JSON lines have no limit).
Measured (benchmarks/bench_social.py): about 17,000 statuses/s of CPU time on 50k
statuses in JSON lines (HTML parsing is most of it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from ..errors import CollectError
from ..keys import account_key, is_http_url, post_key
from ..model import Batch, utc_iso
from ._social import (
    Bad,
    Emitter,
    JsonCollector,
    as_dict,
    as_str,
    have_ijson,
    json_error_text,
    json_values,
    open_utf8,
    peek_json,
    record_excerpt,
)
from .base import CollectOptions, Source

__all__ = ["MastodonCollector", "html_text_anchors", "canonical_status_url"]

_AP_STATUS = re.compile(r"^(https?://[^/]+)/users/([^/]+)/statuses/([^/?#]+)(?:/activity)?/?$")
_WEB_STATUS = re.compile(r"^https?://([A-Za-z0-9][A-Za-z0-9.-]*)(/@\w+/\d+)$")
_ACTOR_TYPES = frozenset({"Person", "Service", "Organization", "Group", "Application"})
_NOTE_TYPES = frozenset({"Note", "Article", "Question", "Page"})
_BLOCK_TAGS = ("p", "br", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4")
_HTML_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


def canonical_status_url(url: str) -> str:
    """Mastodon's ActivityPub form ``/users/<u>/statuses/<id>`` as the web form ``/@<u>/<id>``."""
    m = _AP_STATUS.match(url.strip())
    if m:
        return f"{m.group(1)}/@{m.group(2)}/{m.group(3)}"
    return url.strip()


def html_text_anchors(markup: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Plain text of a status' HTML and its anchors as ``(href, class, rel)``."""
    if not markup or not isinstance(markup, str) or not markup.strip():
        return "", []
    if "<" not in markup and "&" not in markup:
        return markup.strip(), []
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=_HTML_PARSER)
    except (etree.ParserError, ValueError, TypeError):
        return markup.strip(), []
    anchors = [((a.get("href") or "").strip(), a.get("class") or "", a.get("rel") or "")
               for a in root.iter("a") if a.get("href")]
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line), anchors


def _host(url: Any) -> str | None:
    if not isinstance(url, str) or not is_http_url(url):
        return None
    return (urlsplit(url.strip()).hostname or "").lower() or None


def _ap_url(value: Any) -> str | None:
    """An ActivityPub ``url``: a string, a Link object, or a list of them."""
    if isinstance(value, str):
        return value if is_http_url(value) else None
    if isinstance(value, dict):
        return _ap_url(value.get("href"))
    if isinstance(value, list):
        for v in value:
            u = _ap_url(v)
            if u:
                return u
    return None


def _actor_key(uri: Any) -> str | None:
    """``mastodon:<user>@<host>`` from an actor URI such as ``https://host/users/<user>``."""
    if not isinstance(uri, str) or not is_http_url(uri):
        return None
    parts = urlsplit(uri.strip())
    host = (parts.hostname or "").lower()
    segs = [s for s in parts.path.split("/") if s]
    if not segs or not host:
        return None
    user = segs[-1]
    if len(segs) >= 2 and segs[-2] in ("users", "u", "accounts", "profile"):
        user = segs[-1]
    user = user.lstrip("@")
    if not user:
        return None
    return account_key("mastodon", f"{user}@{host}")


def _status_author_key(uri: str) -> str | None:
    m = _AP_STATUS.match(uri.strip())
    if not m:
        return None
    return account_key("mastodon", f"{m.group(2)}@{urlsplit(m.group(1)).hostname}")


class _Skip(Exception):
    """A record that cannot be used; the message is the reject reason."""


class _MastoEmitter(Emitter):
    __slots__ = ("ids", "account_ids", "pending", "api_host", "profiled", "fast_hosts")

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.ids: dict[str, str] = {}  # status id (instance-local) -> Post key
        self.account_ids: dict[str, str] = {}  # account id -> Account key
        self.pending: list[tuple[str, str, str | None]] = []  # reply, parent id, parent author id
        self.api_host: str | None = None
        self.profiled: set[str] = set()  # accounts whose full profile was emitted already
        self.fast_hosts: dict[str, bool] = {}

    def rollback(self, mark: tuple[int, int]) -> None:
        if mark != self.mark():
            self.profiled.clear()
        super().rollback(mark)

    # -- keys ------------------------------------------------------------------
    def status_key(self, *candidates: Any) -> str | None:
        for cand in candidates:
            if isinstance(cand, str) and cand:
                cand = canonical_status_url(cand)
                m = _WEB_STATUS.match(cand)
                if m:
                    # Status URLs are all distinct, so the URL cache cannot help, and full
                    # normalisation is the main cost; the plain web form is keyed directly once
                    # url_key has been seen to agree for the host.
                    host = m.group(1).lower()
                    same = self.fast_hosts.get(host)
                    if same is None:
                        hit = self.url(cand)
                        same = self.fast_hosts[host] = hit is not None and hit[0] == host + m.group(2)
                    if same:
                        return host + m.group(2)
                hit = self.url(cand)
                if hit:
                    return hit[0]
        return None

    # -- accounts ----------------------------------------------------------------
    def api_account(self, a: Any) -> str | None:
        if not isinstance(a, dict):
            return None
        acct = as_str(a.get("acct"))
        url = as_str(a.get("url")) or None
        if "@" in acct.strip("@"):
            user, _, domain = acct.strip("@").partition("@")
        else:
            user = acct.strip("@") or as_str(a.get("username"))
            domain = _host(url) or ""
            if domain and acct:
                self.api_host = self.api_host or domain  # a local account: the serving instance
        if not user or not domain:
            return None
        key = account_key("mastodon", f"{user}@{domain}")
        aid = a.get("id")
        if aid is not None:
            self.account_ids[str(aid)] = key
        if "display_name" not in a and "note" not in a:
            # a mention: only the handle and URL are known
            return self.account(key, {"platform": "mastodon", "handle": f"{user}@{domain}",
                                      "url": url})
        if key in self.profiled:
            return key  # an account repeats with every status: its bio is parsed once
        if len(self.profiled) > 500_000:
            self.profiled.clear()
        self.profiled.add(key)
        bio, anchors = html_text_anchors(a.get("note") or "")
        links = [h for h, cls, _rel in anchors if is_http_url(h) and "mention" not in cls
                 and "hashtag" not in cls]
        for f in a.get("fields") or ():
            if isinstance(f, dict):
                _t, fa = html_text_anchors(f.get("value") or "")
                links.extend(h for h, _c, _r in fa if is_http_url(h) and h not in links)
        props = {
            "platform": "mastodon", "handle": f"{user}@{domain}",
            "name": a.get("display_name") or None, "url": url, "bio": bio or None,
            "followers": a.get("followers_count") if isinstance(a.get("followers_count"), int) else None,
            "profile_links": links or None, "mastodon_id": str(aid) if aid is not None else None,
            "bot": True if a.get("bot") else None,
        }
        return self.account(key, props)

    def actor(self, obj: dict[str, Any]) -> str:
        """An ActivityPub actor document (actor.json) as an Account."""
        key = _actor_key(obj.get("id"))
        user = obj.get("preferredUsername")
        host = _host(obj.get("id"))
        if isinstance(user, str) and user and host:
            key = account_key("mastodon", f"{user}@{host}")
        if key is None:
            raise _Skip("actor has no id URI")
        bio, anchors = html_text_anchors(obj.get("summary") or "")
        links = [h for h, cls, _r in anchors if is_http_url(h) and "mention" not in cls
                 and "hashtag" not in cls]
        for att in obj.get("attachment") or ():
            if isinstance(att, dict) and att.get("type") == "PropertyValue":
                _t, fa = html_text_anchors(att.get("value") or "")
                links.extend(h for h, _c, _r in fa if is_http_url(h) and h not in links)
        handle = key.split(":", 1)[1]
        return self.account(key, {
            "platform": "mastodon", "handle": handle, "name": obj.get("name") or None,
            "url": _ap_url(obj.get("url")) or obj.get("id"), "bio": bio or None,
            "profile_links": links or None,
        })

    def uri_account(self, uri: Any) -> str | None:
        key = _actor_key(uri)
        if key is None:
            return None
        return self.account(key, {"platform": "mastodon", "handle": key.split(":", 1)[1],
                                  "url": uri})

    # -- content ---------------------------------------------------------------------
    def content(self, key: str, html: str, skip: set[str]) -> str:
        """Text of the HTML; LINKS_TO for its anchors other than mentions and hashtags."""
        text, anchors = html_text_anchors(html)
        for href, cls, rel in anchors:
            if "mention" in cls or "hashtag" in cls or "tag" in rel.split() or href in skip:
                continue
            self.link(key, href)  # validated (and cached) there
        return text

    # -- REST API statuses ---------------------------------------------------------------
    def status(self, s: Any, context: bool = False) -> str:
        if not isinstance(s, dict):
            raise _Skip("status is not a JSON object")
        key = self.status_key(s.get("url"), s.get("uri"))
        if key is None:
            raise _Skip("status has neither an http(s) url nor uri")
        author = self.api_account(s.get("account"))
        if author is None and not context:
            raise _Skip("status has no account with an acct and url")
        reblog = s.get("reblog")
        quote = s.get("quote")
        quoted = quote.get("quoted_status") if isinstance(quote, dict) else None
        reply_id = s.get("in_reply_to_id")
        kind = ("share" if isinstance(reblog, dict) else "quote" if isinstance(quoted, dict)
                else "reply" if reply_id else "post")
        media = [m.get("type") for m in s.get("media_attachments") or () if isinstance(m, dict)]
        props: dict[str, Any] = {
            "platform": "mastodon", "kind": kind, "lang": s.get("language") or None,
            "created_at": utc_iso(s.get("created_at")),
            # a boost's uri names the Announce activity, not a page
            "url": s.get("url") or (None if isinstance(reblog, dict) else s.get("uri")),
            "edited_at": utc_iso(s.get("edited_at")), "visibility": s.get("visibility"),
            "media": [m for m in media if isinstance(m, str)] or None,
        }
        sid = s.get("id")
        if sid is not None:
            self.ids[str(sid)] = key
        self.post(key, props)
        self.authored(author, key)
        if kind == "share":
            okey = self.status(reblog, context=True)
            self.edge("SHARES", "Post", key, "Post", okey)
            return key  # a boost carries no content of its own: it is the original's
        props["cw"] = s.get("spoiler_text") or None
        props["sensitive"] = True if s.get("sensitive") else None
        props["replies_count"] = s.get("replies_count")
        props["reblogs_count"] = s.get("reblogs_count")
        props["favourites_count"] = s.get("favourites_count")
        poll = s.get("poll")
        if isinstance(poll, dict):
            props["poll_options"] = [o.get("title") for o in poll.get("options") or ()
                                     if isinstance(o, dict) and o.get("title")]
        skip: set[str] = set()
        for m in s.get("mentions") or ():
            acc = self.api_account(m)
            if acc:
                self.mention(key, acc)
                if isinstance(m.get("url"), str):
                    skip.add(m["url"])
        for t in s.get("tags") or ():
            if isinstance(t, dict) and isinstance(t.get("name"), str):
                self.tag(key, t["name"])
                if isinstance(t.get("url"), str):
                    skip.add(t["url"])
        props["text"] = self.content(key, s.get("content") or "", skip) or None
        if reply_id:
            parent = self.ids.get(str(reply_id))
            if parent is not None:
                self.edge("REPLIES_TO", "Post", key, "Post", parent)
            else:
                aid = s.get("in_reply_to_account_id")
                self.pending.append((key, str(reply_id), str(aid) if aid is not None else None))
        if isinstance(quoted, dict):
            qkey = self.status(quoted, context=True)
            self.edge("QUOTES", "Post", key, "Post", qkey)
        return key

    def resolve_pending(self) -> None:
        """REPLIES_TO for replies whose parent was not yet seen when they were read."""
        host = self.api_host or "unknown"
        for key, pid, aid in self.pending:
            parent = self.ids.get(pid)
            if parent is None:
                parent = post_key("mastodon", f"{host}:{pid}")
                author = self.account_ids.get(aid) if aid else None
                if author:
                    self.authored(author, parent)
            self.edge("REPLIES_TO", "Post", key, "Post", parent)
        self.pending.clear()

    # -- ActivityPub ----------------------------------------------------------------------
    def activity(self, act: Any) -> None:
        if not isinstance(act, dict):
            raise _Skip("activity is not a JSON object")
        atype = act.get("type")
        if atype == "Create":
            obj = act.get("object")
            if not isinstance(obj, dict) or obj.get("type") not in _NOTE_TYPES:
                raise _Skip("Create activity without an embedded Note")
            self.note(obj, act.get("actor"))
        elif atype == "Announce":
            key = self.status_key(act.get("id"))
            if key is None:
                raise _Skip("Announce activity has no id URI")
            obj = act.get("object")
            target: str | None
            target_uri = obj if isinstance(obj, str) else obj.get("id") if isinstance(obj, dict) else None
            if isinstance(obj, dict) and obj.get("type") in _NOTE_TYPES:
                target = self.note(obj, obj.get("attributedTo"))
            else:
                target = self.status_key(target_uri)
                if target is not None and isinstance(target_uri, str):
                    author = _status_author_key(target_uri)
                    if author:
                        self.account(author, {"platform": "mastodon",
                                              "handle": author.split(":", 1)[1]})
                        self.authored(author, target)
            if target is None:
                raise _Skip("Announce activity does not name the boosted status")
            self.post(key, {"platform": "mastodon", "kind": "share",
                            "created_at": utc_iso(act.get("published"))})
            self.authored(self.uri_account(act.get("actor")), key)
            self.edge("SHARES", "Post", key, "Post", target)
        elif isinstance(atype, str):
            raise _Skip(f"activity type {atype!r} is not mapped (only Create and Announce "
                        "carry posts)")
        else:
            raise _Skip("activity has no type")

    def note(self, obj: dict[str, Any], actor: Any) -> str:
        key = self.status_key(_ap_url(obj.get("url")), obj.get("id"))
        if key is None:
            raise _Skip("Note has neither an http(s) url nor id")
        author = self.uri_account(obj.get("attributedTo") if isinstance(obj.get("attributedTo"), str)
                                  else actor)
        reply_to = obj.get("inReplyTo")
        reply_to = reply_to if isinstance(reply_to, str) else (
            reply_to.get("id") if isinstance(reply_to, dict) else None)
        lang = None
        cmap = obj.get("contentMap")
        if isinstance(cmap, dict) and cmap:
            lang = next(iter(cmap))
        media = [a.get("mediaType") or a.get("type") for a in obj.get("attachment") or ()
                 if isinstance(a, dict)]
        props: dict[str, Any] = {
            "platform": "mastodon", "kind": "reply" if reply_to else "post", "lang": lang,
            "created_at": utc_iso(obj.get("published")), "url": _ap_url(obj.get("url")) or obj.get("id"),
            "edited_at": utc_iso(obj.get("updated")), "cw": obj.get("summary") or None,
            "sensitive": True if obj.get("sensitive") else None,
            "media": [m for m in media if isinstance(m, str)] or None,
        }
        self.post(key, props)
        self.authored(author, key)
        skip: set[str] = set()
        for t in obj.get("tag") or ():
            if not isinstance(t, dict):
                continue
            href = t.get("href") if isinstance(t.get("href"), str) else None
            if t.get("type") == "Mention":
                acc = None
                name = as_str(t.get("name"))
                user, _, domain = name.strip("@").partition("@")
                if user:
                    domain = domain or _host(href) or ""
                    if domain:
                        acc = self.account(account_key("mastodon", f"{user}@{domain}"), {
                            "platform": "mastodon", "handle": f"{user}@{domain}", "url": href})
                if acc is None:
                    acc = self.uri_account(href)
                if acc:
                    self.mention(key, acc)
            elif t.get("type") == "Hashtag" and isinstance(t.get("name"), str):
                self.tag(key, t["name"])
            if href:
                skip.add(href)
        props["text"] = self.content(key, obj.get("content") or "", skip) or None
        if reply_to:
            parent = self.status_key(reply_to)
            if parent:
                self.edge("REPLIES_TO", "Post", key, "Post", parent)
        return key


class MastodonCollector(JsonCollector):
    """Mastodon REST API statuses and ActivityPub outbox/actor exports."""

    name = "mastodon"
    description = "Mastodon statuses (REST API JSON/JSONL) and ActivityPub archives (outbox.json, actor.json)"

    def score(self, value: Any) -> int:
        return _score(value)

    def _read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        size = max(int(options.batch_size or 1), 1)
        em = _MastoEmitter(source.name)
        kind, head = peek_json(source.head())
        if kind == "document" and isinstance(head, dict) and "orderedItems" in head and have_ijson():
            steps = self._outbox_stream(em, source)
        else:
            steps = self._values(em, source)
        for _ in steps:
            if em.batch.read >= size:
                yield em.batch
                em.new_batch()
        em.resolve_pending()
        if em.batch.read or em.batch.nodes or em.batch.edges:
            yield em.batch

    def _outbox_stream(self, em: _MastoEmitter, source: Source) -> Iterator[None]:
        import ijson

        k = 0
        with open_utf8(source) as fh:
            try:
                for k, act in enumerate(ijson.items(fh, "orderedItems.item", use_float=True),
                                        start=1):
                    self._record(em, f"item {k}", act, em.activity)
                    yield None
            except ijson.JSONError as exc:
                if k == 0:
                    raise CollectError(f"{source.name}: not valid JSON "
                                       f"({json_error_text(exc)})") from None
                em.batch.reject(f"after item {k}", f"invalid JSON ({json_error_text(exc)}); "
                                "the rest of the file could not be read")

    def _values(self, em: _MastoEmitter, source: Source) -> Iterator[None]:
        for loc, value in json_values(source):
            where = loc or "document"
            prefix = f"{loc} item" if loc else "item"
            if isinstance(value, Bad):
                em.batch.reject(where, value.reason, record_excerpt(value))
                yield None
                continue
            if isinstance(value, list):
                for k, s in enumerate(value, start=1):
                    self._record(em, f"{prefix} {k}", s, em.status)
                    yield None
                continue
            if not isinstance(value, dict):
                em.batch.reject(where, "not a status, a list of statuses or an ActivityPub "
                                "document", record_excerpt(value))
                yield None
                continue
            coll = as_dict(value.get("first")) or value
            if isinstance(coll.get("orderedItems"), list):
                for k, act in enumerate(coll["orderedItems"], start=1):
                    self._record(em, f"{prefix} {k}", act, em.activity)
                    yield None
            elif value.get("type") in ("Create", "Announce"):
                self._record(em, where, value, em.activity)
                yield None
            elif value.get("type") in _ACTOR_TYPES:
                self._record(em, where, value, em.actor)
                yield None
            elif value.get("type") in _NOTE_TYPES:
                self._record(em, where, value, lambda o: em.note(o, o.get("attributedTo")))
                yield None
            elif any(isinstance(value.get(k), list) for k in ("statuses", "ancestors",
                                                              "descendants")):
                k = 0
                for part in ("ancestors", "descendants", "statuses"):
                    for s in value.get(part) or () if isinstance(value.get(part), list) else ():
                        k += 1
                        self._record(em, f"{prefix} {k}", s, em.status)
                        yield None
            elif "account" in value or "reblog" in value or "content" in value:
                self._record(em, where, value, em.status)
                yield None
            else:
                em.batch.reject(where, "not a Mastodon status or ActivityPub document (no "
                                "'account', 'orderedItems' or actor 'type')", record_excerpt(value))
                yield None

    @staticmethod
    def _record(em: _MastoEmitter, loc: str, value: Any, fn: Any) -> None:
        mark = em.mark()
        pending = len(em.pending)
        try:
            fn(value)
        except _Skip as exc:
            reason = str(exc)
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            reason = f"unusable record: {exc}"
        else:
            em.batch.ok()
            return
        em.rollback(mark)
        del em.pending[pending:]
        em.batch.reject(loc, reason, record_excerpt(value))


def _is_status(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    acc = x.get("account")
    return (isinstance(acc, dict) and "acct" in acc and "id" in x
            and ("content" in x or "reblog" in x or "uri" in x))


def _score(value: Any) -> int:
    if isinstance(value, list):
        return 90 if value and _is_status(value[0]) else 0
    if not isinstance(value, dict):
        return 0
    if _is_status(value):
        return 90
    ctx = value.get("@context")
    activitystreams = "activitystreams" in str(ctx)[:2000] if ctx is not None else False
    coll = as_dict(value.get("first")) or value
    items = coll.get("orderedItems")
    if isinstance(items, list) or value.get("type") in ("OrderedCollection", "OrderedCollectionPage"):
        first = items[0] if isinstance(items, list) and items else None
        if isinstance(first, dict) and first.get("type") in ("Create", "Announce"):
            return 90
        return 70 if activitystreams else 0
    if value.get("type") in _ACTOR_TYPES and "preferredUsername" in value:
        return 85 if activitystreams or "inbox" in value or "outbox" in value else 60
    if activitystreams and value.get("type") in {"Create", "Announce"} | _NOTE_TYPES:
        return 85
    for part in ("statuses", "ancestors", "descendants"):
        seq = value.get(part)
        if isinstance(seq, list) and seq and _is_status(seq[0]):
            return 85
    return 0
