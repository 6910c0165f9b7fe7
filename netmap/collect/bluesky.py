"""Bluesky (AT Protocol) posts: API feed views and raw repository records, as JSON/JSONL.

Read shapes (a JSON document, or JSON lines with one of them per line):

* feed views: ``app.bsky.feed.getAuthorFeed`` / ``getTimeline`` / ``getFeed``
  responses ``{"feed": [{"post": PostView, "reply": {...}, "reason": {...}}],
  "cursor"}``; ``searchPosts`` / ``getPosts`` ``{"posts": [PostView]}``;
  ``getPostThread`` ``{"thread": ThreadViewPost}``; or one feed item or
  PostView per line;
* raw records: ``com.atproto.repo.listRecords`` pages ``{"records": [{uri,
  cid, value}]}`` or one ``{uri, cid, value}`` per line.

One feed item, PostView or record is one input record. Mapping:

* Posts are keyed ``bsky.app/profile/<handle>/post/<rkey>`` (``url_key`` of
  the post's web address) when the author's handle is known in the file, else
  ``bsky.app/profile/<did>/post/<rkey>``. Handles are learnt from every
  author, reposter and profile seen, so a reply's parent or a quoted post keys
  by handle when its author appears anywhere before it in the file. Raw
  repository records carry only DIDs, so their posts key by DID unless
  ``CollectOptions.extra["bluesky_handles"]`` maps DIDs to handles (without
  it, raw records and feed views of the same posts give two keys).
* Accounts are ``bluesky:<handle>`` (lower case) with the ``did`` property,
  or ``bluesky:<did>`` when only the DID is known.
* A feed item with ``reason`` ``app.bsky.feed.defs#reasonRepost`` is a
  repost: a Post of kind ``share`` by the reposter that ``SHARES`` the post.
  Repost records (``app.bsky.feed.repost``) map the same way; both key the
  repost ``bluesky:<reposter did>:repost:<subject author>:<subject rkey>``
  (one account reposts a post at most once), so the two shapes meet.
* ``record.reply.parent`` gives REPLIES_TO; a parent the view reports as
  ``notFound`` (deleted) or ``blocked`` is still the parent, stored as a Post
  with ``not_found``/``blocked`` set. Quotes (``app.bsky.embed.record``,
  ``recordWithMedia``) give QUOTES, and the quoted post comes along as context
  when the view embeds it.
* Facets index the text by UTF-8 **byte** offsets (``byteStart``/``byteEnd``):
  the encoded text is sliced, never the Python string. ``#link`` facets and
  ``app.bsky.embed.external`` give LINKS_TO, ``#tag`` facets (and the
  record's ``tags``) TAGGED, ``#mention`` facets MENTIONS — of the account by
  handle when known (from the file, else from the mention's own text
  ``@handle``), else by DID.
* ``app.bsky.graph.follow`` records give FOLLOWS, ``app.bsky.actor.profile``
  records the account's name and bio. Likes, blocks and other record types
  are rejected as not mapped.

Measured (benchmarks/bench_social.py): about 37,000 feed items/s of CPU time on
50k ``getAuthorFeed`` items in JSON lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..keys import account_key, post_key
from ..model import Batch, Edge, utc_iso
from ._social import (
    Bad,
    Emitter,
    JsonCollector,
    as_dict,
    as_str,
    json_values,
    record_excerpt,
)
from .base import CollectOptions, Source

__all__ = ["BlueskyCollector", "parse_at_uri", "facet_slice"]

_POST = "app.bsky.feed.post"
_REPOST = "app.bsky.feed.repost"
_FOLLOW = "app.bsky.graph.follow"
_PROFILE = "app.bsky.actor.profile"
_HANDLE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def parse_at_uri(uri: Any) -> tuple[str, str, str] | None:
    """``(authority, collection, rkey)`` of ``at://authority/collection/rkey``."""
    if not isinstance(uri, str) or not uri.startswith("at://"):
        return None
    parts = uri[5:].split("/")
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


def facet_slice(encoded: bytes, index: Any) -> str | None:
    """The text a facet's ``{"byteStart", "byteEnd"}`` covers in the UTF-8 encoded text."""
    if not isinstance(index, dict):
        return None
    start, end = index.get("byteStart"), index.get("byteEnd")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(encoded):
        return None
    return encoded[start:end].decode("utf-8", errors="replace")


def _valid_handle(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    h = value.strip().lstrip("@").lower()
    if not h or h == "handle.invalid" or not _HANDLE.match(h):
        return None
    return h


class _Skip(Exception):
    """A record that cannot be used; the message is the reject reason."""


class _BskyEmitter(Emitter):
    __slots__ = ("handles",)

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.handles: dict[str, str] = {}  # did -> handle (lower case), for the whole file

    # -- accounts ----------------------------------------------------------------
    def profile(self, p: Any) -> str | None:
        """Account of a profile view (author, reposter); learns its handle."""
        if not isinstance(p, dict):
            return None
        did = p.get("did") if isinstance(p.get("did"), str) else None
        handle = _valid_handle(p.get("handle"))
        if did and handle:
            self.handles[did] = handle
        if not did and not handle:
            return None
        key = account_key("bluesky", handle or did)  # type: ignore[arg-type]
        props: dict[str, Any] = {
            "platform": "bluesky", "handle": handle, "did": did,
            "name": p.get("displayName") or None,
            "url": f"https://bsky.app/profile/{handle or did}",
            "bio": p.get("description") or None,
            "followers": p.get("followersCount") if isinstance(p.get("followersCount"), int) else None,
        }
        return self.account(key, props)

    def actor(self, did_or_handle: str) -> str:
        """Account of a DID (or handle) from a URI or a record, by handle when known."""
        handle = self.handles.get(did_or_handle) or (
            None if did_or_handle.startswith("did:") else _valid_handle(did_or_handle))
        did = did_or_handle if did_or_handle.startswith("did:") else None
        key = account_key("bluesky", handle or did_or_handle)
        return self.account(key, {"platform": "bluesky", "handle": handle, "did": did,
                                  "url": f"https://bsky.app/profile/{handle or did_or_handle}"})

    # -- keys ---------------------------------------------------------------------------
    def post_key(self, uri: Any) -> str | None:
        parsed = parse_at_uri(uri)
        if parsed is None or parsed[1] != _POST:
            return None
        authority, _coll, rkey = parsed
        who = self.handles.get(authority) or authority.lower()
        return f"bsky.app/profile/{who}/post/{rkey}"

    def repost_key(self, reposter: str, subject: Any) -> str | None:
        parsed = parse_at_uri(subject)
        if parsed is None:
            return None
        return post_key("bluesky", f"{reposter}:repost:{parsed[0]}:{parsed[2]}")

    # -- posts ---------------------------------------------------------------------------
    def placeholder(self, obj: dict[str, Any]) -> str | None:
        """A parent or quoted post the view cannot show (deleted, blocked, detached)."""
        key = self.post_key(obj.get("uri"))
        if key is None:
            return None
        props: dict[str, Any] = {"platform": "bluesky"}
        if obj.get("notFound"):
            props["not_found"] = True
        if obj.get("blocked"):
            props["blocked"] = True
        if obj.get("detached"):
            props["detached"] = True
        author = obj.get("author")
        if isinstance(author, dict) and author.get("did") and not author.get("handle"):
            self.authored(self.actor(author["did"]), key)
        self.post(key, props)
        return key

    def any_view(self, obj: Any) -> str | None:
        """A PostView, a quoted viewRecord, or a not-found/blocked stand-in."""
        if not isinstance(obj, dict):
            return None
        if "record" in obj or "value" in obj:
            return self.view(obj)
        if "uri" in obj:
            return self.placeholder(obj)
        return None

    def view(self, pv: dict[str, Any]) -> str:
        """A PostView (or an embed's viewRecord, whose record is ``value``)."""
        uri = pv.get("uri")
        author = self.profile(pv.get("author"))
        key = self.post_key(uri)
        if key is None:
            raise _Skip("post view has no at:// post URI")
        record = pv.get("record") if "record" in pv else pv.get("value")
        if not isinstance(record, dict):
            raise _Skip("post view has no record")
        if author is None:
            parsed = parse_at_uri(uri)
            author = self.actor(parsed[0]) if parsed else None
        embed_view = pv.get("embed")
        if embed_view is None and isinstance(pv.get("embeds"), list) and pv["embeds"]:
            embed_view = pv["embeds"][0]
        self.embed_context(embed_view)
        self.record_post(key, uri, author, record, pv)
        return key

    def embed_context(self, ev: Any) -> None:
        """Quoted posts a view embeds, stored as context before the quoting post's edges."""
        if not isinstance(ev, dict):
            return
        etype = ev.get("$type") or ""
        rec = None
        if etype.startswith("app.bsky.embed.recordWithMedia"):
            inner = ev.get("record")
            rec = inner.get("record") if isinstance(inner, dict) else None
        elif etype.startswith("app.bsky.embed.record"):
            rec = ev.get("record")
        if isinstance(rec, dict) and parse_at_uri(rec.get("uri")) and \
                parse_at_uri(rec.get("uri"))[1] == _POST:  # type: ignore[index]
            self.any_view(rec)

    def record_post(self, key: str, uri: Any, author: str | None, rec: dict[str, Any],
                    pv: dict[str, Any] | None = None) -> None:
        text = as_str(rec.get("text"))
        reply = as_dict(rec.get("reply"))
        parent_uri = None
        if reply:
            parent = reply.get("parent")
            parent_uri = parent.get("uri") if isinstance(parent, dict) else None
        embed = as_dict(rec.get("embed"))
        etype = embed.get("$type") or ""
        quote_uri = None
        external = None
        media: list[str] = []
        if etype == "app.bsky.embed.record":
            r = embed.get("record")
            quote_uri = r.get("uri") if isinstance(r, dict) else None
        elif etype == "app.bsky.embed.recordWithMedia":
            r = embed.get("record")
            r = r.get("record") if isinstance(r, dict) else None
            quote_uri = r.get("uri") if isinstance(r, dict) else None
            m = embed.get("media")
            if isinstance(m, dict):
                media.append(str(m.get("$type") or "").rsplit(".", 1)[-1])
                ext = m.get("external")
                external = ext.get("uri") if isinstance(ext, dict) else None
        elif etype == "app.bsky.embed.external":
            ext = embed.get("external")
            external = ext.get("uri") if isinstance(ext, dict) else None
        elif etype:
            media.append(etype.rsplit(".", 1)[-1])
        quote_key = self.post_key(quote_uri)  # None for quoted feeds, lists, ...
        langs = rec.get("langs")
        pv = pv or {}
        parsed = parse_at_uri(uri)
        who = key.split("/")[2] if key.startswith("bsky.app/profile/") else None
        props: dict[str, Any] = {
            "platform": "bluesky",
            "kind": "reply" if parent_uri else "quote" if quote_key else "post",
            "text": text or None,
            "lang": langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None,
            "created_at": utc_iso(rec.get("createdAt")),
            "url": f"https://bsky.app/profile/{who}/post/{parsed[2]}" if parsed and who else None,
            "uri": uri,
            "reply_count": pv.get("replyCount"), "repost_count": pv.get("repostCount"),
            "like_count": pv.get("likeCount"), "quote_count": pv.get("quoteCount"),
            "media": media or None,
        }
        self.post(key, props)
        self.authored(author, key)
        if parent_uri:
            pkey = self.post_key(parent_uri)
            if pkey:
                self.edge("REPLIES_TO", "Post", key, "Post", pkey)
        if quote_key:
            self.edge("QUOTES", "Post", key, "Post", quote_key)
        if isinstance(external, str):
            self.link(key, external)
        encoded: bytes | None = None
        for facet in rec.get("facets") or ():
            if not isinstance(facet, dict):
                continue
            for feat in facet.get("features") or ():
                if not isinstance(feat, dict):
                    continue
                ftype = feat.get("$type") or ""
                if ftype.endswith("#link"):
                    if isinstance(feat.get("uri"), str):
                        self.link(key, feat["uri"])
                elif ftype.endswith("#tag"):
                    if isinstance(feat.get("tag"), str):
                        self.tag(key, feat["tag"])
                elif ftype.endswith("#mention"):
                    did = feat.get("did")
                    if not isinstance(did, str) or not did:
                        continue
                    handle = self.handles.get(did)
                    if handle is None:
                        if encoded is None:
                            encoded = text.encode("utf-8")
                        shown = facet_slice(encoded, facet.get("index"))
                        handle = _valid_handle(shown) if shown and shown.startswith("@") else None
                    acc = account_key("bluesky", handle or did)
                    self.account(acc, {"platform": "bluesky", "handle": handle, "did": did,
                                       "url": f"https://bsky.app/profile/{handle or did}"})
                    self.mention(key, acc)
        for tag in rec.get("tags") or ():
            if isinstance(tag, str):
                self.tag(key, tag)

    def repost(self, reposter: str, by_account: str | None, subject_uri: Any,
               created: Any) -> str:
        rkey = self.repost_key(reposter, subject_uri)
        target = self.post_key(subject_uri)
        if rkey is None or target is None:
            raise _Skip("repost does not name an at:// post")
        self.post(rkey, {"platform": "bluesky", "kind": "share", "created_at": utc_iso(created)})
        self.authored(by_account, rkey)
        self.edge("SHARES", "Post", rkey, "Post", target)
        return rkey

    # -- the record shapes -----------------------------------------------------------------
    def feed_item(self, item: Any) -> None:
        if not isinstance(item, dict) or not isinstance(item.get("post"), dict):
            raise _Skip("feed item has no post view")
        reply = item.get("reply")
        if isinstance(reply, dict):
            self.profile(reply.get("grandparentAuthor"))
            for part in ("root", "parent"):
                self.any_view(reply.get(part))
        reason = item.get("reason")
        by = reason.get("by") if isinstance(reason, dict) else None
        is_repost = isinstance(reason, dict) and str(reason.get("$type", "")).endswith("#reasonRepost")
        by_account = self.profile(by) if is_repost else None
        self.view(item["post"])
        if is_repost:
            did = by.get("did") if isinstance(by, dict) else None
            if not isinstance(did, str) or not did:
                raise _Skip("repost reason has no reposter DID")
            self.repost(did, by_account, item["post"].get("uri"), as_dict(reason).get("indexedAt"))

    def thread(self, node: Any, seen: list[int]) -> None:
        """Every PostView of a getPostThread tree; ``seen[0]`` counts them."""
        if not isinstance(node, dict):
            return
        post = node.get("post")
        if isinstance(post, dict):
            self.view(post)
            seen[0] += 1
        elif "uri" in node:
            self.placeholder(node)
        parent = node.get("parent")
        if isinstance(parent, dict):
            self.thread(parent, seen)
        for child in node.get("replies") or ():
            self.thread(child, seen)

    def raw(self, rec: Any) -> None:
        if not isinstance(rec, dict):
            raise _Skip("record is not a JSON object")
        uri = rec.get("uri")
        parsed = parse_at_uri(uri)
        value = rec.get("value")
        if parsed is None:
            raise _Skip("record has no at:// uri")
        if not isinstance(value, dict):
            raise _Skip("record has no value")
        repo, coll, _rkey = parsed
        rtype = value.get("$type") or coll
        if rtype == _POST:
            key = self.post_key(uri)
            self.record_post(key, uri, self.actor(repo), value)  # type: ignore[arg-type]
        elif rtype == _REPOST:
            subject = value.get("subject")
            self.repost(repo, self.actor(repo), subject.get("uri") if isinstance(subject, dict)
                        else None, value.get("createdAt"))
        elif rtype == _FOLLOW:
            subject = value.get("subject")
            if not isinstance(subject, str) or not subject:
                raise _Skip("follow record has no subject DID")
            self.edges.append(Edge("FOLLOWS", "Account", self.actor(repo), "Account",
                                   self.actor(subject), {}))
        elif rtype == _PROFILE:
            key = self.actor(repo)
            self.account(key, {
                "platform": "bluesky", "did": repo if repo.startswith("did:") else None,
                "handle": self.handles.get(repo), "name": value.get("displayName") or None,
                "bio": value.get("description") or None,
                "url": f"https://bsky.app/profile/{self.handles.get(repo) or repo}",
            })
        else:
            raise _Skip(f"record type {rtype!r} is not mapped (posts, reposts, follows and "
                        "profiles are)")


class BlueskyCollector(JsonCollector):
    """Bluesky feed views (getAuthorFeed, getTimeline, searchPosts, getPostThread) and repo records."""

    name = "bluesky"
    description = "Bluesky / AT Protocol feed views and repository records as JSON/JSONL"

    def score(self, value: Any) -> int:
        return _score(value)

    def _read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        size = max(int(options.batch_size or 1), 1)
        em = _BskyEmitter(source.name)
        given = options.extra.get("bluesky_handles") if options.extra else None
        if isinstance(given, dict):  # DID -> handle, for raw records that name DIDs only
            for did, handle in given.items():
                h = _valid_handle(handle)
                if isinstance(did, str) and h:
                    em.handles[did] = h
        for loc, value in json_values(source):
            for _ in self._document(em, loc, value):
                if em.batch.read >= size:
                    yield em.batch
                    em.new_batch()
        if em.batch.read or em.batch.nodes or em.batch.edges:
            yield em.batch

    def _document(self, em: _BskyEmitter, loc: str, value: Any) -> Iterator[None]:
        where = loc or "document"
        prefix = f"{loc} item" if loc else "item"
        if isinstance(value, Bad):
            em.batch.reject(where, value.reason, record_excerpt(value))
            yield None
            return
        if isinstance(value, list):
            for k, v in enumerate(value, start=1):
                self._record(em, f"{prefix} {k}", v, self._single(v))
                yield None
            return
        if not isinstance(value, dict):
            em.batch.reject(where, "not a Bluesky feed, post or record", record_excerpt(value))
            yield None
            return
        for field, fn in (("feed", em.feed_item), ("posts", em.view), ("records", em.raw)):
            seq = value.get(field)
            if isinstance(seq, list):
                for k, v in enumerate(seq, start=1):
                    self._record(em, f"{prefix} {k}", v, fn)
                    yield None
                return
        if isinstance(value.get("thread"), dict):
            mark = em.mark()
            seen = [0]
            try:
                em.thread(value["thread"], seen)
            except _Skip as exc:
                em.rollback(mark)
                em.batch.reject(where, str(exc), record_excerpt(value))
            else:
                if seen[0]:
                    em.batch.read += seen[0]
                    em.batch.stored += seen[0]
                else:
                    em.batch.reject(where, "thread holds no post (not found or blocked)",
                                    record_excerpt(value))
            yield None
            return
        fn = self._single(value)
        self._record(em, where, value, fn)
        yield None

    @staticmethod
    def _single(value: Any) -> Any:
        def unknown(_v: Any) -> None:
            raise _Skip("not a Bluesky feed item, post view or repository record (no 'post', "
                        "'record' or 'value')")

        if not isinstance(value, dict):
            return unknown
        em_fn = {"post": "feed_item", "value": "raw", "record": "view"}
        for field, name in em_fn.items():
            if field in value:
                return name
        return unknown

    @staticmethod
    def _record(em: _BskyEmitter, loc: str, value: Any, fn: Any) -> None:
        if isinstance(fn, str):
            fn = getattr(em, fn)
        mark = em.mark()
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
        em.batch.reject(loc, reason, record_excerpt(value))


def _is_at(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("at://")


def _score_one(v: Any) -> int:
    if not isinstance(v, dict):
        return 0
    post = v.get("post")
    if isinstance(post, dict) and _is_at(post.get("uri")):
        return 95
    if _is_at(v.get("uri")) and any(k in v for k in ("value", "record", "author", "notFound")):
        return 95
    return 0


def _score(value: Any) -> int:
    if isinstance(value, list):
        return _score_one(value[0]) if value else 0
    if not isinstance(value, dict):
        return 0
    for field in ("feed", "posts", "records"):
        seq = value.get(field)
        if isinstance(seq, list):
            if seq:
                return _score_one(seq[0])
            return 50 if "cursor" in value else 0
    thread = value.get("thread")
    if isinstance(thread, dict) and (_score_one(thread) or str(thread.get("$type", "")).startswith(
            "app.bsky.feed.defs#")):
        return 95
    return _score_one(value)
