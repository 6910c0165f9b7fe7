"""Telegram Desktop chat exports (``result.json``, "Export chat history" as JSON).

Two layouts are read:

* a single chat: ``{"name", "type", "id", "messages": [...]}`` where ``type``
  is ``public_channel``, ``private_channel``, ``public_supergroup``,
  ``private_supergroup``, ``private_group``, ``personal_chat``, ...;
* a full account export: ``{"about", "personal_information", ..., "chats":
  {"about", "list": [chat, ...]}, "left_chats": {...}}``.

Every message is one input record, ``read == stored + rejected``:

* ``type: "message"`` becomes a ``Post`` (kind ``post``, ``reply`` when it has
  ``reply_to_message_id``, ``share`` when it is a forward). Media-only
  messages (a photo or file without text) and polls (the question is the
  text) are Posts too.
* ``type: "service"`` messages (channel created, members joined, message
  pinned, ...) are **stored without a Post**: they are real records of the
  chat, and their actor becomes an ``Account``, but they carry no content.
  They are therefore counted as stored, never as rejected.
* anything else (``type: "unsupported"``, a message without an id, not an
  object) is rejected with its position and id.

Keys. The export never states a chat's public username (the chat ``name`` is a
display title, not a username), so by default accounts are keyed by Telegram's
peer id — ``telegram:channel1001234567``, ``telegram:user123`` — and posts by
``telegram:<chat id>:<message id>``. When the username is known, accounts
become ``telegram:<username>`` and posts take their public address
``t.me/<username>/<id>`` (which is what other platforms link to). Usernames
are known from the exporting user's ``personal_information`` in a full
export, from ``@mentions`` (``telegram:<handle>``), and from
``CollectOptions.extra["telegram_usernames"]``: a mapping from a chat or peer
id (``"1001234567"``, ``"channel1001234567"``) or a chat name to its username
(``"asiaplus"``, ``"@asiaplus"`` or ``"https://t.me/asiaplus"``).

Forwards. The export gives the source's name (``forwarded_from``, ``null``
for deleted accounts) and, in newer exports, its peer id
(``forwarded_from_id``), but never the original message's id. The original is
represented by a Post keyed ``telegram:<source>:fwd:<digest>`` where
``<source>`` is the peer id (or username), ``name:<name>`` for senders who hide
their account, or ``unknown``; the digest is taken over the source and the
text, so the same original forwarded into several exported chats is one Post.
Forwards with little or no text (under 16 characters: media, stickers, "+1")
get a digest of the forwarding message instead, so distinct originals never
merge. As for retweets, the forwarded text's links, mentions and hashtags
belong to the original, and the forward ``SHARES`` it.

Links come from ``text_entities`` (``link`` — Telegram also autolinks bare
domains, which get ``http://`` — and ``text_link`` with ``href``), or from the
entity objects inside a ``text`` array in exports that have no
``text_entities``. Dates come from ``date_unixtime`` (UTC); older exports only
have ``date`` in the exporting computer's local time, which is taken as UTC.

The file is streamed message by message with ijson (``pip install ijson``)
for single-chat exports; a full account export is read one chat at a time.
Without ijson the file is read whole (up to 512 MiB).
Measured (benchmarks/bench_social.py): about 35,000 messages/s of CPU time on a
50k-message, 62 MB channel export.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import CollectError
from ..keys import account_key, is_http_url, post_key, profile_account
from ..model import Batch, utc_iso
from ._social import (
    MAX_DOCUMENT_BYTES,
    Emitter,
    JsonCollector,
    bom_length,
    have_ijson,
    json_error_text,
    loads,
    open_utf8,
    peek_json,
    record_excerpt,
)
from .base import CollectOptions, Source

__all__ = ["TelegramCollector", "CHAT_TYPES"]

CHAT_TYPES = frozenset({
    "public_channel", "private_channel", "public_supergroup", "private_supergroup",
    "private_group", "personal_chat", "bot_chat", "saved_messages", "replies",
})
_CHANNELS = frozenset({"public_channel", "private_channel"})
_PEER_PREFIX = {
    "public_channel": "channel", "private_channel": "channel",
    "public_supergroup": "channel", "private_supergroup": "channel",
    "private_group": "chat", "personal_chat": "user", "bot_chat": "user",
}
_FULL_EXPORT_KEYS = ("chats", "left_chats", "personal_information", "frequent_contacts",
                     "contacts", "sessions", "profile_pictures")
_MIN_FORWARD_TEXT = 16
_USERNAME = re.compile(r"\w+\Z")
_SCHEMES = ("http://", "https://")


@dataclass(slots=True)
class _Chat:
    id: str | None
    name: str | None
    type: str | None
    peer: str | None  # channel123 / chat123 / user123
    username: str | None
    key: str | None  # the chat's account key (a channel's posting identity)
    loc: str  # location prefix: "" or "chat 3 "


def _clean_username(value: Any) -> str | None:
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if is_http_url(value):
        prof = profile_account(value)
        return prof.split(":", 1)[1] if prof and prof.startswith("telegram:") else None
    value = value.lstrip("@").strip()
    return value.lower() or None


def _peer_id(value: Any) -> str | None:
    """``user123``/``channel456``/``chat789`` from a from_id (old exports wrote bare user ids)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"user{value}"
    if isinstance(value, float) and value.is_integer():
        return f"user{int(value)}"
    if isinstance(value, str) and value.strip():
        return value.strip().lower()
    return None


def _bare(peer: str) -> str:
    """``channel1001`` -> ``1001``."""
    i = 0
    while i < len(peer) and not peer[i].isdigit():
        i += 1
    return peer[i:] or peer


def _flatten(text: Any) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        parts: list[str] = []
        for p in text:
            if isinstance(p, str):
                parts.append(p)
            elif isinstance(p, dict):
                t = p.get("text")
                if isinstance(t, str):
                    parts.append(t)
        return "".join(parts)
    return ""


def _when(msg: dict[str, Any], key: str) -> str | None:
    raw = msg.get(key + "_unixtime")
    if raw is not None and raw != "":
        try:
            return utc_iso(int(raw))
        except (TypeError, ValueError):
            pass
    return utc_iso(msg.get(key))


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


class _Broken(Exception):
    """The JSON text breaks off: what was read is kept, the rest is one reject."""


class _TgEmitter(Emitter):
    __slots__ = ("usernames",)

    def __init__(self, source: str, usernames: dict[str, str]) -> None:
        super().__init__(source)
        self.usernames = usernames

    def username_of(self, peer: str | None, *alts: Any) -> str | None:
        u = self.usernames
        if not u:
            return None
        for cand in (peer, _bare(peer) if peer else None, *alts):
            if cand is not None:
                hit = u.get(str(cand))
                if hit:
                    return hit
        return None

    def peer_account(self, peer: str, name: Any) -> str:
        """Account of a peer id (``user123``, ``channel456``), by username when known."""
        username = self.username_of(peer)
        key = account_key("telegram", username) if username else "telegram:" + peer
        props: dict[str, Any] = {
            "platform": "telegram", "handle": username,
            "name": name if isinstance(name, str) and name else None,
            "url": "https://t.me/" + username if username else None,
            "telegram_id": peer,
        }
        return self.account(key, props)

    def handle_account(self, handle: str) -> str | None:
        handle = handle.strip().lstrip("@")
        if not _USERNAME.match(handle):
            return None
        key = account_key("telegram", handle)
        return self.account(key, {"platform": "telegram", "handle": handle.lower(),
                                  "url": "https://t.me/" + handle.lower()})


def _usernames(options: CollectOptions) -> dict[str, str]:
    given = options.extra.get("telegram_usernames") if options.extra else None
    out: dict[str, str] = {}
    if isinstance(given, dict):
        for k, v in given.items():
            u = _clean_username(v)
            if u and k is not None:
                out[str(k).strip()] = u
                out[str(k).strip().lower()] = u
    return out


class TelegramCollector(JsonCollector):
    """Telegram Desktop JSON exports: one chat or a whole account."""

    name = "telegram"
    description = "Telegram Desktop chat export (result.json), one chat or a full account export"

    # -- sniffing --------------------------------------------------------------
    def sniff(self, source: Source) -> int:
        kind, value = peek_json(source.head())
        if kind != "document" or not isinstance(value, dict):
            return 0
        if "messages" in value:
            if value.get("type") in CHAT_TYPES:
                return 95
            msgs = value.get("messages")
            first = msgs[0] if isinstance(msgs, list) and msgs else None
            if isinstance(first, dict) and "date" in first and any(
                    k in first for k in ("text_entities", "from_id", "actor_id", "date_unixtime")):
                return 90
            return 0
        if isinstance(value.get("about"), str) and any(k in value for k in _FULL_EXPORT_KEYS):
            return 90
        if isinstance(value.get("chats"), dict) and "list" in value["chats"]:
            return 85
        return 0

    # -- reading (JsonCollector.read runs this with the GC paused) -----------------
    def _read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        size = max(int(options.batch_size or 1), 1)
        em = _TgEmitter(source.name, _usernames(options))
        last: str | None = None
        started = False
        try:
            for chat, messages in self._chats(source, em):
                started = True
                self._start_chat(em, chat)
                for i, msg in enumerate(messages, start=1):
                    loc = f"{chat.loc}message {i}"
                    self._record(em, chat, msg, loc)
                    last = loc
                    if em.batch.read >= size:
                        yield em.batch
                        em.new_batch()
        except _Broken as exc:
            if not started and not em.batch.read:
                raise CollectError(f"{source.name}: not valid JSON ({exc})") from None
            where = f"after {last}" if last else "before message 1"
            em.batch.reject(where, f"invalid JSON ({exc}); the rest of the file could not be read")
        if em.batch.read or em.batch.nodes or em.batch.edges:
            yield em.batch

    def _chats(self, source: Source, em: _TgEmitter) -> Iterator[tuple[_Chat, Iterable[Any]]]:
        """Each chat of the export with an iterable of its messages."""
        bom_length(source)  # refuses UTF-16/32 with a message naming the file
        kind, head = peek_json(source.head())
        if kind != "document" or not isinstance(head, dict):
            raise CollectError(f"{source.name}: not a Telegram Desktop export "
                               "(expected a JSON object with 'messages' or 'chats')")
        if not have_ijson():
            yield from self._chats_whole(source, em)
            return
        import ijson

        def items(prefix: str) -> Iterator[Any]:
            with open_utf8(source) as fh:
                try:
                    yield from ijson.items(fh, prefix, use_float=True)
                except ijson.JSONError as exc:
                    raise _Broken(json_error_text(exc)) from None

        def first(prefix: str) -> Any:
            try:
                return next(items(prefix), None)
            except _Broken:
                return None

        if "messages" in head or not any(k in head for k in _FULL_EXPORT_KEYS + ("about",)):
            meta = {k: head[k] if k in head else first(k) for k in ("name", "type", "id")}
            yield self._chat(meta, "", em), items("messages.item")
            return
        personal = head.get("personal_information")
        if not isinstance(personal, dict) or "user_id" not in personal:
            personal = first("personal_information")
        self._personal(em, personal)
        k = 0
        for section in ("chats", "left_chats"):
            for chat in items(f"{section}.list.item"):
                k += 1
                yield from self._one_chat(chat, k, em)

    def _chats_whole(self, source: Source, em: _TgEmitter) -> Iterator[tuple[_Chat, Iterable[Any]]]:
        if source.size() > MAX_DOCUMENT_BYTES:
            raise CollectError(
                f"{source.name}: {source.size()} bytes is too big to read at once; install "
                "ijson (`pip install ijson`) to stream Telegram exports")
        with open_utf8(source) as fh:
            data = fh.read()
        try:
            obj = loads(data)
        except (ValueError, RecursionError) as exc:
            raise CollectError(f"{source.name}: not valid JSON ({json_error_text(exc)})") from None
        if not isinstance(obj, dict):
            raise CollectError(f"{source.name}: not a Telegram Desktop export")
        if "messages" in obj:
            yield self._chat(obj, "", em), obj.get("messages") or []
            return
        self._personal(em, obj.get("personal_information"))
        k = 0
        for section in ("chats", "left_chats"):
            block = obj.get(section)
            for chat in (block.get("list") or []) if isinstance(block, dict) else []:
                k += 1
                yield from self._one_chat(chat, k, em)

    def _one_chat(self, chat: Any, k: int, em: _TgEmitter) -> Iterator[tuple[_Chat, Iterable[Any]]]:
        if not isinstance(chat, dict):
            em.batch.reject(f"chat {k}", "chat entry is not a JSON object", record_excerpt(chat))
            return
        msgs = chat.get("messages")
        yield self._chat(chat, f"chat {k} ", em), msgs if isinstance(msgs, list) else []

    @staticmethod
    def _personal(em: _TgEmitter, personal: Any) -> None:
        """The exporting user's own username (the only one a full export states)."""
        if not isinstance(personal, dict):
            return
        uid = _int(personal.get("user_id"))
        username = _clean_username(personal.get("username"))
        if uid is not None and username:
            em.usernames.setdefault(f"user{uid}", username)

    @staticmethod
    def _chat(meta: dict[str, Any], loc: str, em: _TgEmitter) -> _Chat:
        cid = meta.get("id")
        cid_s = str(_int(cid)) if _int(cid) is not None else (str(cid) if cid else None)
        ctype = meta.get("type") if isinstance(meta.get("type"), str) else None
        name = meta.get("name") if isinstance(meta.get("name"), str) else None
        prefix = _PEER_PREFIX.get(ctype or "")
        peer = f"{prefix}{cid_s}" if prefix and cid_s else None
        username = em.username_of(peer, cid_s, name)
        if username and peer:
            em.usernames.setdefault(peer, username)
        key = None
        if username:
            key = account_key("telegram", username)
        elif peer:
            key = "telegram:" + peer
        return _Chat(id=cid_s, name=name, type=ctype, peer=peer, username=username, key=key,
                     loc=loc)

    @staticmethod
    def _start_chat(em: _TgEmitter, chat: _Chat) -> None:
        if chat.key and chat.type in _CHANNELS:
            em.account(chat.key, {
                "platform": "telegram", "handle": chat.username, "name": chat.name,
                "url": "https://t.me/" + chat.username if chat.username else None,
                "telegram_id": chat.peer, "chat_type": chat.type,
            })

    # -- one message -----------------------------------------------------------------
    def _record(self, em: _TgEmitter, chat: _Chat, msg: Any, loc: str) -> None:
        batch = em.batch
        if not isinstance(msg, dict):
            batch.reject(loc, "message is not a JSON object", record_excerpt(msg))
            return
        mid = msg.get("id")
        if isinstance(mid, float) and mid.is_integer():
            mid = int(mid)
        if mid is None or isinstance(mid, bool) or not isinstance(mid, (int, str)) or mid == "":
            batch.reject(loc, "message has no id", record_excerpt(msg))
            return
        loc = f"{loc} (id {mid})"
        mark = em.mark()
        try:
            reason = self._message(em, chat, msg, mid)
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            reason = f"unusable message: {exc}"
        if reason is None:
            batch.ok()
        else:
            em.rollback(mark)
            batch.reject(loc, reason, record_excerpt(msg))

    def _key(self, chat: _Chat, mid: Any) -> str:
        if chat.username:
            return f"t.me/{chat.username}/{mid}"
        return post_key("telegram", f"{chat.id or 'unknown'}:{mid}")

    def _key_in_peer(self, em: _TgEmitter, peer: Any, mid: Any) -> str:
        pid = _peer_id(peer) if not isinstance(peer, int) else f"channel{peer}"
        if not pid:
            return post_key("telegram", f"unknown:{mid}")
        username = em.username_of(pid)
        if username:
            return f"t.me/{username}/{mid}"
        return post_key("telegram", f"{_bare(pid)}:{mid}")

    def _message(self, em: _TgEmitter, chat: _Chat, msg: dict[str, Any], mid: Any) -> str | None:
        mtype = msg.get("type", "message")
        if mtype == "service":
            actor = _peer_id(msg.get("actor_id"))
            if actor:
                em.peer_account(actor, msg.get("actor"))
            return None
        if mtype != "message":
            return (f"message of type {mtype!r} has no readable content "
                    "(Telegram Desktop could not export it)")
        key = self._key(chat, mid)
        raw_text = msg.get("text")
        text = _flatten(raw_text)
        poll = msg.get("poll")
        props: dict[str, Any] = {}
        if isinstance(poll, dict):
            question = poll.get("question")
            question = _flatten(question)
            if question:
                text = f"{text}\n\n{question}" if text else question
            answers = [_flatten(a.get("text")) for a in poll.get("answers") or ()
                       if isinstance(a, dict)]
            props["poll_answers"] = [a for a in answers if a]
            props["poll_voters"] = _int(poll.get("total_voters"))
        media = None
        if msg.get("photo"):
            media = "photo"
        elif msg.get("media_type"):
            media = msg.get("media_type")
        elif msg.get("file"):
            media = "file"
        elif isinstance(poll, dict):
            media = "poll"
        elif msg.get("location_information") or msg.get("place_name"):
            media = "location"
        elif msg.get("contact_information"):
            media = "contact"

        forwarded = "forwarded_from" in msg or "forwarded_from_id" in msg
        reply_to = msg.get("reply_to_message_id")
        kind = "share" if forwarded else ("reply" if reply_to is not None else "post")
        url = f"https://t.me/{chat.username}/{mid}" if chat.username else None

        fid = _peer_id(msg.get("from_id"))
        author: str | None
        if fid:
            author = em.peer_account(fid, msg.get("from"))
        elif chat.type in _CHANNELS:
            author = chat.key
        else:
            author = None
        views = _int(msg.get("views"))
        props.update({
            "platform": "telegram", "kind": kind, "text": text or None,
            "created_at": _when(msg, "date"), "url": url,
            "edited_at": _when(msg, "edited") if msg.get("edited") else None,
            "views": views, "media": media,
            "chat": chat.key, "chat_name": chat.name, "chat_type": chat.type,
            "signature": msg.get("author") if isinstance(msg.get("author"), str) else None,
            "message_id": mid,
        })
        if forwarded:
            props["forwarded_from"] = msg.get("forwarded_from")
        em.post(key, props)
        em.authored(author, key)

        if reply_to is not None and not isinstance(reply_to, bool):
            peer = msg.get("reply_to_peer_id")
            parent = self._key_in_peer(em, peer, reply_to) if peer else self._key(chat, reply_to)
            if parent != key:
                em.edge("REPLIES_TO", "Post", key, "Post", parent)

        target = key
        if forwarded:
            target = self._forward(em, chat, msg, mid, key, text, media, props)
        self._entities(em, target, msg, raw_text)
        return None

    def _forward(self, em: _TgEmitter, chat: _Chat, msg: dict[str, Any], mid: Any, key: str,
                 text: str, media: str | None, props: dict[str, Any]) -> str:
        """Emit the Post standing for a forwarded original; SHARES it; return its key."""
        name = msg.get("forwarded_from")
        name = name if isinstance(name, str) and name.strip() else None
        fid = _peer_id(msg.get("forwarded_from_id"))
        src_account: str | None = None
        if fid:
            src_account = em.peer_account(fid, name)
            source = em.username_of(fid) or fid
        elif name:
            # a sender who hides their account: known by name only
            src_account = em.account(account_key("telegram", "name:" + name), {
                "platform": "telegram", "name": name, "name_only": True,
            })
            source = "name:" + " ".join(name.lower().split())
        else:
            source = "unknown"
        basis = text.strip()
        if len(basis) < _MIN_FORWARD_TEXT:
            basis = f"\x00{chat.id}:{mid}"  # unique: never merge distinct short originals
        digest = hashlib.sha1(f"{source}\x1f{basis}".encode()).hexdigest()[:16]
        orig = post_key("telegram", f"{source}:fwd:{digest}")
        em.post(orig, {
            "platform": "telegram", "kind": "post", "text": text or None, "media": media,
            "from_forward": True, "poll_answers": props.get("poll_answers"),
        })
        em.authored(src_account, orig)
        em.edge("SHARES", "Post", key, "Post", orig)
        return orig

    def _entities(self, em: _TgEmitter, src: str, msg: dict[str, Any], raw_text: Any) -> None:
        ents = msg.get("text_entities")
        if not isinstance(ents, list):
            ents = [p for p in raw_text if isinstance(p, dict)] if isinstance(raw_text, list) else []
        for e in ents:
            if not isinstance(e, dict):
                continue
            etype = e.get("type")
            if etype == "plain":
                continue
            value = e.get("text")
            if etype == "link":
                if isinstance(value, str) and value.strip():
                    v = value.strip()
                    if not v.lower().startswith(_SCHEMES):
                        v = "http://" + v  # Telegram autolinks bare domains
                    em.link(src, v)
            elif etype == "text_link":
                href = e.get("href")
                if isinstance(href, str):
                    em.link(src, href)
            elif etype == "mention":
                if isinstance(value, str):
                    acc = em.handle_account(value)
                    if acc:
                        em.mention(src, acc)
            elif etype == "mention_name":
                uid = _int(e.get("user_id"))
                if uid is not None:
                    # the visible text is often an inflected name ("Нигоре"): not the account name
                    em.mention(src, em.peer_account(f"user{uid}", None))
            elif etype == "hashtag":
                if isinstance(value, str):
                    em.tag(src, value)
