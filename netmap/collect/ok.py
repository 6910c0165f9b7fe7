"""Odnoklassniki (ok.ru) API responses saved as JSON.

OK's REST API (``api.ok.ru/fb.do``) is closed to new research use, so netmap
reads the responses analysts saved. A file holds one response, or one
response per line (JSON lines), in any of these shapes:

* ``mediatopic.getByIds``: ``{"media_topics": [topic, ...], "entities":
  {"users": [...], "groups": [...], "media_topics": [...]}}``. Each topic in
  ``media_topics`` is one input record; topics in ``entities.media_topics``
  (reshared originals) are stored as context.
* ``stream.get`` (group or user feeds): ``{"feeds": [item, ...], "entities":
  {...}}``. Each topic of ``entities.media_topics`` is one record; a feed item
  that points at no topic (``target_refs`` without ``media_topic:…``), or at
  one missing from ``entities``, is rejected with that reason.
* ``discussions.getComments``: ``{"comments": [comment, ...], ...}``. The
  response does not name its discussion, so the file must: wrap it as
  ``{"request": {"method": "discussions.getComments", "params":
  {"discussionId": "…", "discussionType": "GROUP_TOPIC"}}, "response": {...}}``
  or add a ``"discussion"`` field (``"123"`` or ``{"id": "123", "type":
  "GROUP_TOPIC"}``). Each comment is one record.
* ``group.getInfo`` / ``users.getInfo``: a list of group or user objects; each
  is one record (an Account).
* Any of the above inside ``{"request": {"method": …, "params": …},
  "response": …}``; an API error (``{"error_code", "error_msg"}``) is one
  rejected record.

A media topic's ``media`` is a list of blocks: ``text`` (``text``), ``link``
(``url``, ``title``), ``reshare`` (a repost: the reshared topic is named by a
``…_ref`` field such as ``"media_topic:123"``), ``photo``, ``movie``, ``poll``
…. Counts (``discussion_summary.comments_count``, ``like_summary.count``,
``reshare_summary.count``) may be strings. OK wraps outbound links as
``ok.ru/dk?st.cmd=outLinkWarning&st.rfn=…``; they are unwrapped.

Keys: accounts ``ok:<shortname>`` when the shortname is known (``shortname``,
or the single path segment of ``url_profile``), else ``ok:user<uid>`` /
``ok:group<gid>``. Shortnames are learned from every response read in the
process and, before a file is read, from the OK responses saved in the same
folder, so a user whom a comments file names by uid only gets the same key as
in the topics file next to it. Topics are ``ok:<topic id>``, comments
``ok:comment:<comment id>``.

Field names follow the ok.ru API documentation and responses as seen in client
code; not confirmed against the official reference: the reshare block's ref
field name, whether comment ``date`` strings are UTC (they are read as UTC;
``date_ms`` is preferred when present) and ``reply_to_id`` (taken as the parent
comment when it names a comment of the same response, else as the user
answered, a ``MENTIONS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import CollectError
from ..keys import account_key, host_of, post_key
from ..model import Batch, utc_iso
from .base import HEAD_BYTES, CollectOptions, Collector, Source, excerpt
from .socialutil import (
    PostEmitter,
    link_target,
    load_json_documents,
    parse_count,
    text_urls,
)

__all__ = ["OkCollector", "known_shortnames", "forget_shortnames"]

PLATFORM = "ok"
_OK_HOSTS = {"ok.ru", "odnoklassniki.ru"}
_TOPIC_TYPES = {"GROUP_TOPIC", "USER_STATUS", "USER_FORUM", "MEDIA_TOPIC", "GROUP_THEME",
                "USER_TOPIC", "TOPIC", ""}
_NOT_SHORTNAMES = {"profile", "group", "groups", "dk", "game", "app", "video", "music", "feed"}
_SHORTNAME_RE = re.compile(r"[\w.\-]{2,64}")
_REGISTRY_MAX = 1_000_000

# (kind, uid) -> shortname, learned from every response read in this process.
_SHORTNAMES: dict[tuple[str, str], str] = {}


def known_shortnames() -> dict[tuple[str, str], str]:
    """The ``(kind, uid) -> shortname`` pairs learned so far (kind is ``user`` or ``group``)."""
    return dict(_SHORTNAMES)


def forget_shortnames() -> None:
    """Forget every learned shortname and scanned folder (a fresh start, as in a new process)."""
    _SHORTNAMES.clear()
    _FOLDERS_SCANNED.clear()


def _learn(kind: str, uid: str, shortname: str) -> None:
    if len(_SHORTNAMES) > _REGISTRY_MAX:
        _SHORTNAMES.clear()
    _SHORTNAMES[(kind, uid)] = shortname


def _clean(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _obj(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def _lazy(value: Any) -> Callable[[], str]:
    """An excerpt made only when a record is rejected."""
    return lambda: excerpt(str(value))


def _parse_ref(ref: Any) -> tuple[str, str] | None:
    """``"user:123"`` -> ``("user", "123")``; groups likewise; anything else None."""
    text = _clean(ref)
    if not text or ":" not in text:
        return None
    kind, _, ident = text.partition(":")
    kind = kind.lower()
    if kind not in ("user", "group") or not ident:
        return None
    return kind, ident


def _shortname_of(entity: dict[str, Any]) -> str | None:
    name = _clean(entity.get("shortname"))
    if name and _SHORTNAME_RE.fullmatch(name):
        return name
    for field in ("url_profile", "url", "permalink", "url_profile_mobile"):
        url = _clean(entity.get(field))
        if not url:
            continue
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if host_of(url) not in _OK_HOSTS:
            continue
        segs = [unquote(s) for s in parts.path.split("/") if s]
        if len(segs) == 1 and segs[0].lower() not in _NOT_SHORTNAMES \
                and _SHORTNAME_RE.fullmatch(segs[0]) and not segs[0].isdigit():
            return segs[0]
    return None


_FOLDERS_SCANNED: set[str] = set()
_SCAN_MAX_BYTES = 64 * 1024 * 1024


def _learn_entities(value: Any) -> None:
    """Remember the shortnames of the users and groups a saved response names."""
    method, _, response = _unwrap(value)
    pools: list[tuple[str | None, Any]] = []
    if isinstance(response, list):
        pools.append((None, response))
    elif isinstance(response, dict):
        ents = _obj(response.get("entities")) or response
        pools += [("user", ents.get("users")), ("group", ents.get("groups"))]
    for kind, objs in pools:
        if not isinstance(objs, list):
            continue
        for obj in objs:
            if not isinstance(obj, dict):
                continue
            uid = _clean(obj.get("uid")) or _clean(obj.get("id"))
            short = _shortname_of(obj)
            if uid and short:
                _learn(kind or _account_kind(method, "", obj), uid, short)


def _scan_folder(source: Source) -> None:
    """Learn shortnames from the OK responses saved next to ``source`` (once per folder).

    Comments name their authors by uid only; reading the folder's topic and
    ``*.getInfo`` files first gives an account the same key in every file,
    whatever order the files are collected in.
    """
    if source.url is not None or source.name == "<stdin>":
        return
    folder = source.path.resolve().parent
    tag = str(folder)
    if tag in _FOLDERS_SCANNED:
        return
    _FOLDERS_SCANNED.add(tag)
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.suffix.lower() not in (
                ".json", ".jsonl", ".ndjson"):
            continue
        try:
            if path.stat().st_size > _SCAN_MAX_BYTES:
                continue
            with open(path, "rb") as fh:
                if _sniff_head(fh.read(HEAD_BYTES)) == 0:
                    continue
            for doc in load_json_documents(path, str(path)):
                if doc.error is None:
                    _learn_entities(doc.value)
        except (OSError, CollectError):
            continue


def _when(*values: Any) -> str | None:
    """UTC ISO time from the first usable value: epoch milliseconds, or a date string."""
    for value in values:
        if value is None or value == "":
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return utc_iso(value / 1000 if value > 1e11 else value)
        text = str(value).strip()
        if text.isdigit():
            number = int(text)
            return utc_iso(number / 1000 if number > 1e11 else number)
        iso = utc_iso(text)
        if iso:
            return iso
    return None


class _Reject(Exception):
    """A record that cannot be used, with the reason."""


class _Emitter(PostEmitter):
    """Builds the records of one file into the current batch."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.seen_accounts: set[str] = set()

    def forget(self) -> None:
        super().forget()
        self.seen_accounts.clear()

    # -- accounts --------------------------------------------------------------
    def account_key(self, kind: str, uid: str) -> str:
        short = _SHORTNAMES.get((kind, uid))
        return account_key(PLATFORM, short or f"{kind}{uid}")

    def ref_account(self, kind: str, uid: str) -> str:
        """Key of the account a ref names; a minimal Account node the first time."""
        key = self.account_key(kind, uid)
        if key not in self.seen_accounts:
            self.seen_accounts.add(key)
            short = _SHORTNAMES.get((kind, uid))
            if short:
                url = f"https://ok.ru/{short}"
            else:
                url = (f"https://ok.ru/group/{uid}" if kind == "group"
                       else f"https://ok.ru/profile/{uid}")
            self.batch.node("Account", key, platform=PLATFORM, handle=short or f"{kind}{uid}",
                            ok_id=uid, account_type=kind, url=url)
        return key

    def entity(self, obj: Any, kind: str) -> str:
        """Emit the Account of a user or group object; return its key."""
        if not isinstance(obj, dict):
            raise _Reject(f"{kind} is not a JSON object")
        uid = _clean(obj.get("uid")) or _clean(obj.get("id"))
        if uid is None:
            raise _Reject(f"{kind} has no 'uid'")
        short = _shortname_of(obj)
        if short:
            _learn(kind, uid, short)
        key = self.account_key(kind, uid)
        self.seen_accounts.add(key)
        name = _clean(obj.get("name"))
        if not name:
            parts = [_clean(obj.get("first_name")), _clean(obj.get("last_name"))]
            name = " ".join(p for p in parts if p) or None
        if short:
            url = f"https://ok.ru/{short}"
        elif kind == "group":
            url = f"https://ok.ru/group/{uid}"
        else:
            url = f"https://ok.ru/profile/{uid}"
        links = [u for u in (_clean(obj.get("homepage_url")), _clean(obj.get("homepage")))
                 if u and link_target(u)]
        location = obj.get("location")
        city = _clean(location.get("city")) if isinstance(location, dict) else None
        self.batch.node(
            "Account", key, platform=PLATFORM, handle=short or f"{kind}{uid}", name=name,
            url=url, bio=_clean(obj.get("description")), ok_id=uid, account_type=kind,
            followers=parse_count(obj.get("members_count")), location=city,
            profile_links=links or None,
        )
        return key

    # -- posts -------------------------------------------------------------------
    def links(self, post: str, urls: list[str]) -> None:
        done: set[str] = set()
        for raw in urls:
            hit = self.link(raw)
            if hit is None:
                continue
            url, key, domain = hit
            if key not in done:
                done.add(key)
                self.link_to(post, url, key, domain)

    def topic(self, t: Any, context: dict[str, Any], emitted: set[str]) -> None:
        """One media topic; a reshared original found in ``context`` comes along."""
        if not isinstance(t, dict):
            raise _Reject("media topic is not a JSON object")
        tid = _clean(t.get("id"))
        if tid is None:
            raise _Reject("media topic has no 'id'")
        key = post_key(PLATFORM, tid)
        emitted.add(tid)
        author = _parse_ref(t.get("author_ref"))
        owner = _parse_ref(t.get("owner_ref"))
        texts: list[str] = []
        urls: list[str] = []
        kinds: list[str] = []
        link_title = None
        reshared: list[str] = []
        for block in t.get("media") or ():
            if not isinstance(block, dict):
                continue
            btype = _clean(block.get("type")) or "unknown"
            kinds.append(btype)
            if btype == "text":
                text = _clean(block.get("text"))
                if text:
                    texts.append(text)
            elif btype == "link":
                if _clean(block.get("url")):
                    urls.append(block["url"])
                link_title = link_title or _clean(block.get("title"))
            elif btype == "reshare":
                reshared.extend(_reshare_refs(block))
        text = "\n\n".join(texts) or None
        if owner and owner[0] == "group":
            url = f"https://ok.ru/group/{owner[1]}/topic/{tid}"
        elif owner:
            url = f"https://ok.ru/profile/{owner[1]}/statuses/{tid}"
        elif author:
            url = (f"https://ok.ru/group/{author[1]}/topic/{tid}" if author[0] == "group"
                   else f"https://ok.ru/profile/{author[1]}/statuses/{tid}")
        else:
            url = None
        disc = _obj(t.get("discussion_summary"))
        likes = _obj(t.get("like_summary"))
        shares = _obj(t.get("reshare_summary"))
        props: dict[str, Any] = {
            "platform": PLATFORM, "kind": "share" if "reshare" in kinds else "post",
            "text": text, "created_at": _when(t.get("created_ms"), t.get("created"),
                                               t.get("date")),
            "url": url, "link_title": link_title, "media": kinds or None,
            "comment_count": parse_count(disc.get("comments_count")),
            "like_count": parse_count(likes.get("count")),
            "reshare_count": parse_count(shares.get("count")),
        }
        who = author or owner
        if owner and who != owner:
            props["posted_in"] = self.ref_account(*owner)
        self.batch.node("Post", key, **props)
        if who:
            self.batch.edge("AUTHORED", "Account", self.ref_account(*who), "Post", key)
        for orig in reshared:
            self.batch.edge("SHARES", "Post", key, "Post", post_key(PLATFORM, orig))
            original = context.get(orig)
            if original is not None and orig not in emitted:
                self.topic(original, context, emitted)
        self.links(key, urls + text_urls(text))
        self.tags(key, text)

    def comment(self, c: Any, parent: str | None, comment_ids: set[str]) -> None:
        if not isinstance(c, dict):
            raise _Reject("comment is not a JSON object")
        cid = _clean(c.get("id"))
        if cid is None:
            raise _Reject("comment has no 'id'")
        to_comment = _clean(c.get("reply_to_comment_id"))
        reply_to = _clean(c.get("reply_to_id"))
        answered_user = None
        if not to_comment and reply_to:
            if reply_to in comment_ids:
                to_comment = reply_to
            else:
                answered_user = reply_to
        target = post_key(PLATFORM, f"comment:{to_comment}") if to_comment else parent
        if target is None:
            raise _Reject(
                "the comment's discussion is unknown: wrap the discussions.getComments response "
                "as {\"request\": {\"params\": {\"discussionId\": …}}, \"response\": …} "
                "or add a \"discussion\" field"
            )
        key = post_key(PLATFORM, f"comment:{cid}")
        text = _clean(c.get("text"))
        self.batch.node(
            "Post", key, platform=PLATFORM, kind="comment", text=text,
            created_at=_when(c.get("date_ms"), c.get("date")),
            like_count=parse_count(c.get("like_count")),
        )
        self.batch.edge("REPLIES_TO", "Post", key, "Post", target)
        author = _clean(c.get("author_id"))
        if author:
            kind = "group" if (_clean(c.get("author_type")) or "").upper() == "GROUP" else "user"
            if c.get("author_name") and self.account_key(kind, author) not in self.seen_accounts:
                self.entity({"uid": author, "name": c.get("author_name")}, kind)
            self.batch.edge("AUTHORED", "Account", self.ref_account(kind, author), "Post", key)
        if answered_user:
            kind = "group" if (_clean(c.get("reply_to_type")) or "").upper() == "GROUP" else "user"
            self.batch.edge("MENTIONS", "Post", key, "Account", self.ref_account(kind, answered_user))
        self.links(key, text_urls(text))
        self.tags(key, text)


def _reshare_refs(block: dict[str, Any]) -> list[str]:
    """Topic ids a reshare block names through its ``…ref``/``…refs`` fields."""
    out: list[str] = []
    for name, value in block.items():
        if not (name.endswith("_ref") or name.endswith("_refs") or name == "ref"):
            continue
        for ref in value if isinstance(value, list) else [value]:
            text = _clean(ref)
            if not text:
                continue
            kind, sep, ident = text.partition(":")
            if sep and kind in ("media_topic", "topic", "group_topic", "user_topic") and ident \
                    and ident not in out:
                out.append(ident)
    return out


Builder = Callable[[_Emitter], None]
# (location, builder or None for a reject, reason, excerpt or a function making it,
#  counted as an input record)
Record = tuple[str, Builder | None, str, str | Callable[[], str], bool]


def _unwrap(value: Any) -> tuple[str | None, dict[str, Any], Any]:
    """``(method, params, response)`` of a saved response, wrapped or bare."""
    if isinstance(value, dict) and "response" in value and (
            "request" in value or "method" in value or "params" in value):
        request = _obj(value.get("request"))
        method = _clean(request.get("method")) or _clean(value.get("method"))
        params: dict[str, Any] = (_obj(request.get("params")) if "params" in request
                                  else {k: v for k, v in request.items() if k != "method"})
        params = {**_obj(value.get("params")), **params}
        return method, params, value["response"]
    return None, {}, value


def _discussion(params: dict[str, Any], response: dict[str, Any]) -> tuple[str | None, str]:
    disc = response.get("discussion")
    if isinstance(disc, dict):
        return (_clean(disc.get("id")) or _clean(disc.get("object_id")),
                (_clean(disc.get("type")) or _clean(disc.get("object_type")) or "").upper())
    ident = (_clean(params.get("discussionId")) or _clean(params.get("discussion_id"))
             or _clean(params.get("topic_id")) or _clean(disc)
             or _clean(response.get("discussionId")) or _clean(response.get("discussion_id")))
    dtype = (_clean(params.get("discussionType")) or _clean(params.get("discussion_type"))
             or _clean(response.get("discussionType")) or "")
    return ident, dtype.upper()


def _records(value: Any, prefix: str) -> Iterator[Record]:
    """The records of one saved response (see the module docstring)."""
    method, params, response = _unwrap(value)
    where = prefix.strip() or "file"
    if isinstance(response, dict) and "error_code" in response:
        yield (where, None, f"API error {response.get('error_code')}: "
               f"{_clean(response.get('error_msg')) or 'no message'}", "", True)
        return
    if isinstance(response, list) or (isinstance(response, dict) and (
            isinstance(response.get("users"), list) or isinstance(response.get("groups"), list))
            and not any(k in response for k in ("media_topics", "feeds", "comments"))):
        yield from _account_records(method, response, prefix)
        return
    if not isinstance(response, dict):
        yield (where, None, "not an OK API response (expected a JSON object or list)",
               excerpt(str(response)), True)
        return
    entities = _obj(response.get("entities"))
    users = [u for u in entities.get("users") or () if isinstance(u, dict)]
    groups = [g for g in entities.get("groups") or () if isinstance(g, dict)]
    if users or groups:
        yield where, _context_accounts(users, groups), "", "", False
    if isinstance(response.get("media_topics"), list):
        context = {tid: t for t in entities.get("media_topics") or ()
                   if isinstance(t, dict) and (tid := _clean(t.get("id")))}
        emitted: set[str] = set()
        for k, t in enumerate(response["media_topics"], start=1):
            yield (f"{prefix}media_topic {k}", _topic_builder(t, context, emitted), "",
                   _lazy(t), True)
    elif isinstance(response.get("feeds"), list):
        topics = list(entities.get("media_topics") or ())
        ids = {_clean(t.get("id")) for t in topics if isinstance(t, dict)}
        emitted = set()
        for k, t in enumerate(topics, start=1):
            yield (f"{prefix}entities.media_topic {k}", _topic_builder(t, {}, emitted), "",
                   _lazy(t), True)
        for k, item in enumerate(response["feeds"], start=1):
            problem = _feed_problem(item, ids)
            if problem:
                yield f"{prefix}feed {k}", None, problem, excerpt(str(item)), True
    elif isinstance(response.get("comments"), list):
        ident, dtype = _discussion(params, response)
        if ident is None:
            parent = None
        elif dtype in _TOPIC_TYPES:
            parent = post_key(PLATFORM, ident)
        else:
            parent = post_key(PLATFORM, f"{dtype.lower()}:{ident}")
        comments = response["comments"]
        cids = {cid for c in comments if isinstance(c, dict) and (cid := _clean(c.get("id")))}
        for k, c in enumerate(comments, start=1):
            yield f"{prefix}comment {k}", _comment_builder(c, parent, cids), "", _lazy(c), True
    else:
        yield (where, None, "not an OK API response netmap reads (no 'media_topics', 'feeds', "
               "'comments', or list of users/groups)", excerpt(str(response)), True)


def _topic_builder(t: Any, context: dict[str, Any], emitted: set[str]) -> Builder:
    def build(em: _Emitter) -> None:
        em.topic(t, context, emitted)
    return build


def _comment_builder(c: Any, parent: str | None, cids: set[str]) -> Builder:
    def build(em: _Emitter) -> None:
        em.comment(c, parent, cids)
    return build


def _context_accounts(users: list[dict[str, Any]], groups: list[dict[str, Any]]) -> Builder:
    def build(em: _Emitter) -> None:
        for kind, objs in (("user", users), ("group", groups)):
            for obj in objs:
                try:
                    em.entity(obj, kind)
                except _Reject:
                    continue  # context without a uid names nobody
    return build


def _account_records(method: str | None, response: Any, prefix: str) -> Iterator[Record]:
    if isinstance(response, list):
        lists = [("", response)]
    else:
        lists = [(name + " ", response[name]) for name in ("users", "groups")
                 if isinstance(response.get(name), list)]
    for label, objs in lists:
        for k, obj in enumerate(objs, start=1):
            kind = _account_kind(method, label, obj)
            yield f"{prefix}{label}item {k}", _entity_builder(obj, kind), "", _lazy(obj), True


def _entity_builder(obj: Any, kind: str) -> Builder:
    def build(em: _Emitter) -> None:
        em.entity(obj, kind)
    return build


def _account_kind(method: str | None, label: str, obj: Any) -> str:
    if method:
        return "group" if method.lower().startswith("group") else "user"
    if label.strip() == "groups":
        return "group"
    if label.strip() == "users":
        return "user"
    if isinstance(obj, dict) and "first_name" not in obj and "last_name" not in obj and (
            "members_count" in obj or "shortname" in obj or "description" in obj):
        return "group"
    return "user"


def _feed_problem(item: Any, topic_ids: set[str | None]) -> str | None:
    if not isinstance(item, dict):
        return "feed item is not a JSON object"
    refs = [r for r in item.get("target_refs") or () if isinstance(r, str)]
    topics = [r.partition(":")[2] for r in refs if r.startswith("media_topic:")]
    if not topics:
        return (f"feed item (pattern {item.get('pattern')!r}, type {item.get('type')!r}) "
                "points at no media topic; only topics are mapped")
    missing = [t for t in topics if t not in topic_ids]
    if missing:
        return f"feed item points at media_topic:{missing[0]}, which is not in entities.media_topics"
    return None


_OK_METHOD = re.compile(
    rb'"method"\s*:\s*"(mediatopic|stream|discussions|group|users)\.[A-Za-z]+"')
_OK_MARKERS = (b'"media_topics"', b'"author_ref"', b'"owner_ref"')


def _sniff_head(head: bytes) -> int:
    raw = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not raw or raw[:1] not in (b"{", b"["):
        return 0
    if _OK_METHOD.search(raw[:4096]):
        return 95
    if any(m in raw for m in _OK_MARKERS):
        return 95
    if b'"feeds"' in raw and b'"entities"' in raw:
        return 95
    if b'"created_ms"' in raw and b'"media"' in raw:
        return 90
    if raw[:1] == b"{" and b'"comments"' in raw and b'"author_id"' in raw and (
            b'"discussion' in raw or b'"has_more"' in raw or b'"anchor"' in raw):
        return 90
    compact = re.sub(rb"\s+", b"", raw[:400])
    if compact.startswith(b'{"error_code":') and b'"error_msg"' in raw:
        return 60
    if compact.startswith(b'[{"uid":"') or (compact.startswith(b"[{") and re.search(
            rb'^\[\{[^{}]*"uid"\s*:\s*"\d+"', raw[:2000])):
        return 70
    return 0


class OkCollector(Collector):
    """Odnoklassniki API responses: media topics, feeds, comments, users and groups."""

    name = "ok"
    description = ("Odnoklassniki (ok.ru) API responses: mediatopic.getByIds, stream.get, "
                   "discussions.getComments, group.getInfo, users.getInfo")

    def sniff(self, source: Source) -> int:
        return _sniff_head(source.head()[:HEAD_BYTES])

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        size = max(int(options.batch_size or 1), 1)
        _scan_folder(source)
        em = _Emitter(source.name)
        seen_any = False
        for doc in load_json_documents(source.path, source.name):
            seen_any = True
            if doc.error:
                em.batch.reject(doc.location or "file", doc.error, doc.raw)
                continue
            prefix = f"{doc.location} " if doc.location else ""
            for location, build, reason, text, counted in _records(doc.value, prefix):
                batch = em.batch
                if build is None:
                    batch.reject(location, reason, text() if callable(text) else text)
                elif not counted:
                    build(em)  # context (entities): not an input record
                else:
                    n_nodes, n_edges = len(batch.nodes), len(batch.edges)
                    try:
                        build(em)
                    except _Reject as exc:
                        em.rollback(n_nodes, n_edges)
                        batch.reject(location, str(exc), text() if callable(text) else text)
                    except (TypeError, ValueError, AttributeError, KeyError) as exc:
                        em.rollback(n_nodes, n_edges)
                        batch.reject(location, f"unusable record: {exc}",
                                     text() if callable(text) else text)
                    else:
                        batch.ok()
                if batch.read >= size:
                    yield batch
                    em.new_batch()
        if not seen_any:
            raise CollectError(f"{source.name}: holds no JSON")
        if em.batch.read or em.batch.nodes:
            yield em.batch
