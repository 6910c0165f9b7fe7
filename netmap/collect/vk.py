"""VK (VKontakte) API responses saved as JSON: walls, comments, users and groups.

Input: a JSON document or JSON lines (one response per line, as paging tools
write them). Each value may be a raw response ``{"response": {...}}``, a bare
response object ``{"count", "items", ...}``, a bare list of items, or a
request wrapper ``{"request": {"method", "owner_id", "post_id", ...},
"response": {...}}`` — the wrapper is how the parameters of a
``wall.getComments`` call come along, since comment items do not carry their
post in every API version. ``{"error": {...}}`` responses are rejected with
VK's error code and message.

Each item of a response is one input record:

* ``wall.get`` / ``wall.getById`` / ``newsfeed.get`` posts become ``Post``
  nodes keyed ``vk.com/wall<owner_id>_<id>`` (kind ``post``, or ``share`` for
  reposts). ``copy_history`` is the repost chain, nearest first: the post
  ``SHARES`` ``copy_history[0]``, which ``SHARES`` ``copy_history[1]``, ...;
  every element is stored as a context Post with its author, text and links.
  Posts with only photos or videos are Posts too (``attachments`` lists the
  attachment types). ``views``, ``likes``, ``reposts`` and ``comments``
  counts become properties; ``signer_id`` (the member who wrote a community
  post) becomes ``signer``.
* ``wall.getComments`` items become comments keyed
  ``vk:wall<owner>_<post>_c<id>`` that ``REPLIES_TO`` the comment they answer
  (``reply_to_comment``, else the last of ``parents_stack``, else the thread
  they sit in) or the post. The post comes from the item's ``post_id`` and
  ``owner_id``, else from the request wrapper. Replies nested in ``thread``
  are records too. A deleted comment (``"deleted": true``) is stored as a
  comment with ``deleted`` set and no author or text, so the replies under it
  keep their place in the thread.
* ``users.get`` / ``groups.getById`` entries become Accounts.

``profiles`` and ``groups`` of extended responses name the authors: accounts
are ``vk:<screen_name>`` when the screen name is known, else ``vk:id<id>`` for
users and ``vk:club<id>`` for communities (negative owner ids). Default
community names (``club1``, ``public1``, ``event1``) all become ``vk:club1``.
Links come from ``link`` attachments and from URLs written in the text;
``[id1|Name]`` / ``[club1|Name]`` / ``[screen_name|Name]`` markup gives
MENTIONS, ``#tag`` (and ``#tag@community``) gives TAGGED.

Measured (benchmarks/bench_social.py): about 36,000 posts/s of CPU time on 50k
``wall.get`` posts in JSON lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..keys import account_key, post_key
from ..model import Batch, utc_iso
from ._social import (
    Bad,
    Emitter,
    JsonCollector,
    as_str,
    json_values,
    record_excerpt,
)
from .base import CollectOptions, Source
from .socialutil import text_urls

__all__ = ["VkCollector"]

_DEFAULT_GROUP = re.compile(r"^(?:club|public|event)(\d+)$")
_MENTION_ID = re.compile(r"\[(id|club|public|event)(\d+)(?::bp-?\d+_\d+)?\|[^\]\n]*\]")
_MENTION_NAME = re.compile(r"\[([A-Za-z][A-Za-z0-9_.]{1,63})\|[^\]\n]*\]")
_HASHTAG = re.compile(r"(?<![\w#&/])#(\w*[^\W\d_]\w*)(?:@\w+)?")
_COMMENT_METHODS = frozenset({"wall.getComments", "wall.getComment"})
_ACCOUNT_METHODS = frozenset({"users.get", "groups.getById", "groups.get", "users.search",
                              "groups.search", "friends.get", "groups.getMembers"})


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        v = value.strip()
        if v.lstrip("-").isdigit():
            return int(v)
    return None


def _unwrap(url: str) -> str:
    """VK's outbound-link warning page ``vk.com/away.php?to=<url>`` as the URL it wraps."""
    if "away.php" not in url:
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith("vk.com") and parts.path.endswith("/away.php"):
        target = parse_qs(parts.query).get("to")
        if target and target[0].startswith(("http://", "https://")):
            return target[0]
    return url


def _count(value: Any) -> int | None:
    """``{"count": n}`` objects (views, likes, reposts, comments) or a bare number."""
    if isinstance(value, dict):
        return _int(value.get("count"))
    return _int(value)


class _Skip(Exception):
    """A record that cannot be used; the message is the reject reason."""


class _VkEmitter(Emitter):
    __slots__ = ("info",)

    def __init__(self, source: str) -> None:
        super().__init__(source)
        # signed owner id -> account properties (screen name, name, ...), for the whole file
        self.info: dict[int, dict[str, Any]] = {}

    def learn_user(self, u: Any) -> int | None:
        if not isinstance(u, dict):
            return None
        uid = _int(u.get("id"))
        if uid is None:
            return None
        name = " ".join(p for p in (u.get("first_name"), u.get("last_name"))
                        if isinstance(p, str) and p) or None
        site = u.get("site")
        self.info[uid] = {
            "screen_name": u.get("screen_name") if isinstance(u.get("screen_name"), str) else None,
            "name": name, "followers": _int(u.get("followers_count")),
            "bio": u.get("about") or u.get("status") or None,
            "profile_links": text_urls(site) if isinstance(site, str) else None,
            "deactivated": u.get("deactivated") if isinstance(u.get("deactivated"), str) else None,
        }
        return uid

    def learn_group(self, g: Any) -> int | None:
        if not isinstance(g, dict):
            return None
        gid = _int(g.get("id"))
        if gid is None:
            return None
        gid = -abs(gid)
        site = g.get("site")
        self.info[gid] = {
            "screen_name": g.get("screen_name") if isinstance(g.get("screen_name"), str) else None,
            "name": g.get("name") if isinstance(g.get("name"), str) else None,
            "followers": _int(g.get("members_count")),
            "bio": g.get("description") or g.get("status") or None,
            "profile_links": text_urls(site) if isinstance(site, str) else None,
            "community_type": g.get("type") if isinstance(g.get("type"), str) else None,
        }
        return gid

    def handle(self, oid: int) -> str:
        info = self.info.get(oid)
        screen = info.get("screen_name") if info else None
        if screen:
            m = _DEFAULT_GROUP.match(screen)
            if m and oid < 0 and int(m.group(1)) == -oid:
                return f"club{-oid}"
            return screen
        return f"id{oid}" if oid > 0 else f"club{-oid}"

    def owner(self, oid: int | None) -> str | None:
        """The Account of a signed owner id (users > 0, communities < 0)."""
        if not oid:
            return None
        handle = self.handle(oid)
        key = account_key("vk", handle)
        info = self.info.get(oid) or {}
        props: dict[str, Any] = {
            "platform": "vk", "handle": handle, "url": "https://vk.com/" + handle, "vk_id": oid,
        }
        for k, v in info.items():
            if k != "screen_name" and v:
                props[k] = v
        return self.account(key, props)

    def screen_account(self, screen: str) -> str:
        for oid, info in self.info.items():
            if info.get("screen_name") == screen:
                return self.owner(oid) or account_key("vk", screen)
        key = account_key("vk", screen)
        return self.account(key, {"platform": "vk", "handle": screen,
                                  "url": "https://vk.com/" + screen})

    def text_refs(self, src: str, text: str) -> None:
        """Links, [id1|..] mentions and #hashtags written in a post's or comment's text."""
        if not text:
            return
        urls = text_urls(text)
        for u in urls:
            self.link(src, _unwrap(u))
        if "[" in text:
            seen: set[str] = set()
            for m in _MENTION_ID.finditer(text):
                n = int(m.group(2))
                acc = self.owner(n if m.group(1) == "id" else -n)
                if acc and acc not in seen:
                    seen.add(acc)
                    self.mention(src, acc)
            for m in _MENTION_NAME.finditer(text):
                screen = m.group(1)
                if _DEFAULT_GROUP.match(screen) or re.fullmatch(r"id\d+", screen):
                    continue  # handled above
                acc = self.screen_account(screen)
                if acc not in seen:
                    seen.add(acc)
                    self.mention(src, acc)
        if "#" in text:
            bare = text
            for u in urls:
                bare = bare.replace(u, " ")
            for m in _HASHTAG.finditer(bare):
                self.tag(src, m.group(1))

    def attachments(self, src: str, item: dict[str, Any]) -> list[str]:
        kinds: list[str] = []
        for a in item.get("attachments") or ():
            if not isinstance(a, dict):
                continue
            t = a.get("type")
            if isinstance(t, str):
                kinds.append(t)
            if t == "link":
                link = a.get("link")
                if isinstance(link, dict) and isinstance(link.get("url"), str):
                    self.link(src, _unwrap(link["url"]))
        return kinds


class VkCollector(JsonCollector):
    """VK API JSON: wall.get, wall.getComments, users.get, groups.getById responses."""

    name = "vk"
    description = "VK API responses (wall.get, wall.getComments, users.get, groups.getById) as JSON/JSONL"

    # -- sniffing --------------------------------------------------------------
    def score(self, value: Any) -> int:
        return _score(value)

    # -- reading ---------------------------------------------------------------

    def _read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        size = max(int(options.batch_size or 1), 1)
        em = _VkEmitter(source.name)
        for loc, value in json_values(source):
            for _ in self._document(em, loc, value):
                if em.batch.read >= size:
                    yield em.batch
                    em.new_batch()
        if em.batch.read or em.batch.nodes or em.batch.edges:
            yield em.batch

    def _document(self, em: _VkEmitter, loc: str, value: Any) -> Iterator[None]:
        """Process one response; yields after each record so the caller can cut batches."""
        where = loc or "document"
        if isinstance(value, Bad):
            em.batch.reject(where, value.reason, record_excerpt(value))
            return
        params: dict[str, Any] = {}
        resp: Any = value
        if isinstance(value, dict):
            if "error" in value and "response" not in value:
                em.batch.reject(where, "VK API error response: " + _error_text(value["error"]),
                                record_excerpt(value))
                return
            req = value.get("request")
            if isinstance(req, dict):
                inner = req.get("params")
                params = {**req, **inner} if isinstance(inner, dict) else dict(req)
            if "response" in value:
                resp = value["response"]
        method = params.get("method") if isinstance(params.get("method"), str) else None
        items: Any
        if isinstance(resp, list):
            items = resp
        elif isinstance(resp, dict):
            has_items = isinstance(resp.get("items"), list)
            for u in resp.get("profiles") or () if isinstance(resp.get("profiles"), list) else ():
                em.owner(em.learn_user(u))
            if has_items:
                for g in resp.get("groups") or () if isinstance(resp.get("groups"), list) else ():
                    em.owner(em.learn_group(g))
                items = resp["items"]
            elif isinstance(resp.get("groups"), list):  # groups.getById since API 5.194
                items = resp["groups"]
                method = method or "groups.getById"
            elif _item_kind(resp, method):
                items = [resp]
            else:
                em.batch.reject(where, "not a VK API response: no 'items' list and no post, "
                                "comment, user or group", record_excerpt(value))
                return
        else:
            em.batch.reject(where, "not a VK API response (expected a JSON object or list)",
                            record_excerpt(value))
            return
        prefix = f"{loc} item" if loc else "item"
        for k, item in enumerate(items, start=1):
            self._item(em, f"{prefix} {k}", item, method, params)
            yield None
            if isinstance(item, dict) and _item_kind(item, method) == "comment":
                thread = item.get("thread")
                replies = thread.get("items") if isinstance(thread, dict) else None
                if isinstance(replies, list):
                    ctx = {"owner_id": item.get("owner_id", params.get("owner_id")),
                           "post_id": item.get("post_id", params.get("post_id")),
                           "thread": item.get("id")}
                    for j, reply in enumerate(replies, start=1):
                        self._item(em, f"{prefix} {k} reply {j}", reply, "wall.getComments",
                                   {**params, **ctx})
                        yield None

    def _item(self, em: _VkEmitter, loc: str, item: Any, method: str | None,
              params: dict[str, Any]) -> None:
        batch = em.batch
        if not isinstance(item, dict):
            batch.reject(loc, "item is not a JSON object", record_excerpt(item))
            return
        kind = _item_kind(item, method)
        mark = em.mark()
        try:
            if kind == "post":
                self._post(em, item)
            elif kind == "comment":
                self._comment(em, item, params)
            elif kind == "user":
                if em.owner(em.learn_user(item)) is None:
                    raise _Skip("user has no id")
            elif kind == "group":
                if em.owner(em.learn_group(item)) is None:
                    raise _Skip("community has no id")
            else:
                raise _Skip("neither a wall post, a comment, a user nor a community")
        except _Skip as exc:
            em.rollback(mark)
            batch.reject(loc, str(exc), record_excerpt(item))
            return
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            em.rollback(mark)
            batch.reject(loc, f"unusable {kind or 'item'}: {exc}", record_excerpt(item))
            return
        batch.ok()

    # -- posts -----------------------------------------------------------------------
    def _post(self, em: _VkEmitter, item: dict[str, Any], context: bool = False,
              kind: str | None = None) -> str:
        owner = _int(item.get("owner_id"))
        if owner is None:
            owner = _int(item.get("source_id"))  # newsfeed.get
        if owner is None:
            owner = _int(item.get("to_id"))  # API versions before 5.0
        pid = _int(item.get("post_id")) if "source_id" in item else _int(item.get("id"))
        if pid is None:
            raise _Skip("post has no id")
        if owner is None:
            raise _Skip("post has no owner_id")
        key = f"vk.com/wall{owner}_{pid}"
        history = item.get("copy_history")
        history = [h for h in history if isinstance(h, dict)] if isinstance(history, list) else []
        if kind is None:
            kind = "share" if history else "post"
        author = em.owner(_int(item.get("from_id")) or owner)
        text = as_str(item.get("text"))
        signer = _int(item.get("signer_id"))
        props: dict[str, Any] = {
            "platform": "vk", "kind": kind, "text": text or None,
            "created_at": utc_iso(_int(item.get("date"))),
            "url": f"https://vk.com/wall{owner}_{pid}",
            "views": _count(item.get("views")), "likes": _count(item.get("likes")),
            "reposts": _count(item.get("reposts")), "comments": _count(item.get("comments")),
            "signer": em.owner(signer) if signer else None,
            "post_type": item.get("post_type") if isinstance(item.get("post_type"), str) else None,
            "is_pinned": bool(item.get("is_pinned")) or None,
        }
        em.post(key, props)
        em.authored(author, key)
        kinds = em.attachments(key, item)
        if kinds:
            props["attachments"] = kinds
        em.text_refs(key, text)
        prev = key
        for i, orig in enumerate(history):
            # nearest first: each element shares the next one
            okey = self._post(em, orig, context=True,
                              kind="share" if i + 1 < len(history) else "post")
            em.edge("SHARES", "Post", prev, "Post", okey)
            prev = okey
        return key

    # -- comments ----------------------------------------------------------------------
    def _comment(self, em: _VkEmitter, item: dict[str, Any], params: dict[str, Any]) -> None:
        cid = _int(item.get("id"))
        if cid is None:
            raise _Skip("comment has no id")
        owner = _int(item.get("owner_id"))
        if owner is None:
            owner = _int(params.get("owner_id"))
        post = _int(item.get("post_id"))
        if post is None:
            post = _int(params.get("post_id"))
        if owner is None or post is None:
            raise _Skip("comment does not say which post it belongs to: no post_id/owner_id in "
                        "the item, and no {'request': {'owner_id', 'post_id'}} wrapper")
        key = post_key("vk", f"wall{owner}_{post}_c{cid}")
        parent_id = _int(item.get("reply_to_comment"))
        if parent_id is None:
            stack = item.get("parents_stack")
            if isinstance(stack, list) and stack:
                parent_id = _int(stack[-1])
        if parent_id is None:
            parent_id = _int(params.get("thread"))
        parent = (post_key("vk", f"wall{owner}_{post}_c{parent_id}") if parent_id is not None
                  else f"vk.com/wall{owner}_{post}")
        deleted = bool(item.get("deleted"))
        text = "" if deleted else as_str(item.get("text"))
        props: dict[str, Any] = {
            "platform": "vk", "kind": "comment", "text": text or None,
            "created_at": utc_iso(_int(item.get("date"))),
            "url": f"https://vk.com/wall{owner}_{post}?reply={cid}",
            "likes": _count(item.get("likes")),
            "deleted": True if deleted else None,
        }
        em.post(key, props)
        em.edge("REPLIES_TO", "Post", key, "Post", parent)
        if deleted:
            return
        em.authored(em.owner(_int(item.get("from_id"))), key)
        kinds = em.attachments(key, item)
        if kinds:
            props["attachments"] = kinds
        em.text_refs(key, text)


def _item_kind(item: Any, method: str | None) -> str | None:
    if not isinstance(item, dict):
        return None
    if method in _COMMENT_METHODS:
        return "comment"
    if "first_name" in item or "last_name" in item:
        return "user"
    if method in _ACCOUNT_METHODS:
        return "group" if "name" in item else "user"
    if "post_type" in item or "copy_history" in item or "source_id" in item:
        return "post"
    if ("post_id" in item or "parents_stack" in item or "reply_to_comment" in item
            or "thread" in item or item.get("deleted") is True):
        return "comment"
    if "name" in item and ("screen_name" in item or "is_closed" in item) and "date" not in item:
        return "group"
    if ("owner_id" in item or "from_id" in item or "to_id" in item) and "id" in item:
        return "post"
    return None


def _looks_vk(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    if "first_name" in item and isinstance(item.get("id"), int):
        return True
    if "is_closed" in item and "screen_name" in item:
        return True
    return (isinstance(item.get("date"), int) and isinstance(item.get("id"), int)
            and any(isinstance(item.get(k), int) for k in ("owner_id", "from_id", "to_id",
                                                              "source_id")))


def _score(value: Any) -> int:
    if isinstance(value, list):
        return 80 if value and _looks_vk(value[0]) else 0
    if not isinstance(value, dict):
        return 0
    if "response" in value:
        resp = value["response"]
        if isinstance(resp, list):
            return 90 if resp and _looks_vk(resp[0]) else (40 if not resp else 0)
        if isinstance(resp, dict):
            items = resp.get("items")
            if isinstance(items, list):
                if items and _looks_vk(items[0]):
                    return 90
                if not items and "count" in resp:
                    return 40
                return 0
            groups = resp.get("groups")
            if isinstance(groups, list) and groups and _looks_vk(groups[0]):
                return 90
            return 80 if _looks_vk(resp) else 0
        return 0
    err = value.get("error")
    if isinstance(err, dict) and "error_code" in err and "error_msg" in err:
        return 70
    items = value.get("items")
    if isinstance(items, list) and "count" in value:
        return 85 if items and _looks_vk(items[0]) else 0
    return 80 if _looks_vk(value) else 0


def _error_text(err: Any) -> str:
    if isinstance(err, dict):
        code = err.get("error_code")
        msg = err.get("error_msg") or err.get("error_text") or ""
        return f"{code}: {msg}"[:300] if code is not None else str(msg)[:300]
    return str(err)[:300]
