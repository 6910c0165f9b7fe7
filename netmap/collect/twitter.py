"""Twitter/X data collected with twarc2 (API v2), as JSON lines.

Two line shapes are read, and may be mixed in one file:

* a response page as ``twarc2 search``/``timeline`` write it:
  ``{"data": [tweet, ...], "includes": {"users", "tweets", "media", "places"},
  "meta": {...}, "__twarc": {...}}``;
* a flattened tweet as ``twarc2 flatten`` writes it: one tweet object per line
  with its ``author`` embedded and its ``referenced_tweets`` merged with the
  referenced tweets' own fields;
* a Twitter API v1.1 status (twarc 1, the streaming and REST APIs): ``id_str``,
  ``user``, ``full_text``/``extended_tweet``, ``retweeted_status``,
  ``quoted_status``, ``in_reply_to_status_id_str``. Stream notices (``delete``,
  ``limit``, ``status_withheld``, ...) carry no tweet: each is rejected with its kind.

A personal X/Twitter archive is read as downloaded (the ``.zip``) or unpacked, from its
``data/tweets.js`` (older archives: ``tweet.js``; big ones are split into
``tweets-part1.js``, ...): the
``window.YTD.tweets.part0 = [...]`` file, whose tweets are all the owner's, who is
named by ``account.js`` (and ``profile.js``) in the same folder, or by
``-o twitter_owner=HANDLE``. The archive's other ``.js`` files (likes, followers,
direct messages, ``deleted-tweets.js``) are read as nothing: pass the ``data``
folder or just the tweets file. An archive retweet is text ``RT @name: ...``
without the original's id: it is stored as a share mentioning that account.

One tweet of ``data`` (or one flattened line) is one input record. Referenced
tweets found in ``includes.tweets`` (or merged into ``referenced_tweets``) are
stored as context — their Post and author — but are not counted as read.

The file is streamed line by line; JSON is parsed with orjson when installed
(``pip install orjson``), else with the standard library.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import CollectError
from ..keys import account_key, hashtag_key
from ..model import Batch, Edge, Node, utc_iso
from ..util import gc_paused
from .base import (
    CACHE_MAX,
    HEAD_BYTES,
    CollectOptions,
    Collector,
    Source,
    excerpt,
    iter_lines,
    memo,
    url_info,
)

_loads: Callable[[bytes], Any]
try:  # orjson parses twarc2 pages ~1.7x faster; the standard library works too.
    import orjson as _orjson

    _loads = _orjson.loads
except ImportError:  # pragma: no cover - exercised only without orjson
    import json as _json

    _loads = _json.loads

__all__ = ["TwitterCollector", "MAX_LINE_BYTES"]

MAX_LINE_BYTES = 64 * 1024 * 1024

_EDGE_OF = {"retweeted": "SHARES", "quoted": "QUOTES", "replied_to": "REPLIES_TO"}
_TWITTER_HOSTS = frozenset({"twitter.com", "x.com", "t.co", "pic.twitter.com", "pic.x.com"})


class _Emitter:
    """Builds the records of tweets into the current batch.

    Keys are cached for the whole file (usernames, hashtags and URLs repeat a
    lot in a campaign); Accounts, Hashtags, Urls and context tweets are
    emitted once per file.
    """

    __slots__ = ("source", "batch", "nodes", "edges", "seen_users", "seen_context", "seen_tags",
                 "seen_urls", "names", "account_keys", "tag_keys", "url_cache", "context")

    def __init__(self, source: str) -> None:
        self.source = source
        self.names: dict[Any, str] = {}  # user id -> username
        self.account_keys: dict[str, str] = {}
        self.tag_keys: dict[str, str] = {}
        self.url_cache: dict[str, tuple[str, str] | None] = {}
        # includes.tweets of the page being read, by id
        self.context: dict[Any, dict[str, Any]] = {}
        self.seen_users: set[Any] = set()
        self.seen_context: set[Any] = set()
        self.seen_tags: set[str] = set()
        self.seen_urls: set[str] = set()
        self.new_batch()

    def new_batch(self) -> Batch:
        """Start a new batch; what earlier batches carried is not emitted again.

        Batches are written in order, so an Account, context tweet, Hashtag or
        Url node needs writing once per file; later edges to it only name its
        key. The sets are bounded: past the cap they start afresh.
        """
        self.batch = Batch(source=self.source)
        self.nodes = self.batch.nodes
        self.edges = self.batch.edges
        for seen in (self.seen_users, self.seen_context, self.seen_tags, self.seen_urls):
            if len(seen) > CACHE_MAX:
                seen.clear()
        return self.batch

    def rollback(self, n_nodes: int, n_edges: int) -> None:
        """Drop what a rejected tweet added; forget dedup state it may have touched."""
        if len(self.nodes) == n_nodes and len(self.edges) == n_edges:
            return
        del self.nodes[n_nodes:], self.edges[n_edges:]
        self.seen_users.clear()
        self.seen_context.clear()
        self.seen_tags.clear()
        self.seen_urls.clear()

    # -- keys ------------------------------------------------------------------
    def account(self, username: str) -> str:
        key = self.account_keys.get(username)
        if key is None:
            if len(self.account_keys) > CACHE_MAX:
                self.account_keys.clear()
            key = self.account_keys[username] = account_key("twitter", username)
        return key

    def url(self, value: str) -> tuple[str, str] | None:
        return memo(self.url_cache, value, url_info)

    # -- accounts ------------------------------------------------------------
    def user(self, u: Any) -> str | None:
        """Emit an Account for a user object (once per file); return its key."""
        if not isinstance(u, dict):
            return None
        username = u.get("username")
        if not username or not isinstance(username, str):
            return None
        key = self.account(username)
        if key in self.seen_users:
            return key
        self.seen_users.add(key)
        uid = u.get("id")
        if uid:
            self.names[uid] = username
        links: list[str] = []
        ents = u.get("entities")
        if ents:
            for part in ("url", "description"):
                block = ents.get(part)
                if block:
                    for x in block.get("urls") or ():
                        exp = x.get("expanded_url")
                        if exp and exp not in links:
                            links.append(exp)
        metrics = u.get("public_metrics")
        props = {
            "platform": "twitter",
            "handle": username,
            "name": u.get("name"),
            "url": "https://twitter.com/" + username,
            "bio": u.get("description") or None,
            "followers": metrics.get("followers_count") if metrics else None,
            "user_id": uid,
            "location": u.get("location"),
        }
        if links:
            props["profile_links"] = links
        self.nodes.append(Node("Account", key, props))
        return key

    # -- tweets ----------------------------------------------------------------
    def tweet(self, t: dict[str, Any], context: bool = False) -> bool:
        """Emit one tweet's records; False if it lacks an id or (unless context) an author."""
        tid = t.get("id")
        if not tid:
            return False
        # A key built from a dict or list id would be garbage; a numeric text breaks text analyses.
        if isinstance(tid, bool) or not isinstance(tid, (str, int)):
            raise ValueError(f"tweet id is a JSON {type(tid).__name__}, not a string")
        author = t.get("author")
        author_id = t.get("author_id") or (author.get("id") if author else None)
        if not author_id and not context:
            return False
        key = "twitter:" + str(tid)
        nodes, edges = self.nodes, self.edges

        handle = None
        if author:
            handle = author.get("username")
            if handle:
                self.user(author)
        if not handle:
            handle = self.names.get(author_id)
        akey = self.account(handle) if handle else None

        refs = t.get("referenced_tweets")
        # _kind: set by the archive reader for "RT @x:" texts (never taken from the input as is)
        kind = "share" if t.get("_kind") == "share" else "post"
        if refs:
            for r in refs:
                rtype = r.get("type")
                if rtype == "retweeted":
                    kind = "share"
                    break
                if rtype == "quoted":
                    kind = "quote"
                elif rtype == "replied_to" and kind == "post":
                    kind = "reply"

        note = t.get("note_tweet")
        if note:
            text = note.get("text") or t.get("text")
            ents = note.get("entities") or t.get("entities")
        else:
            text = t.get("text")
            ents = t.get("entities")
        if text is not None and not isinstance(text, str):
            raise ValueError(f"tweet text is a JSON {type(text).__name__}, not a string")
        created = t.get("created_at")
        if created:
            # API v2 always writes 2013-11-06T08:00:00.000Z: slice instead of parsing.
            if isinstance(created, str) and len(created) == 24 and created[19] == "." \
                    and created[23] == "Z":
                created = created[:19] + "Z"
            else:
                created = utc_iso(created)
        props: dict[str, Any] = {
            "platform": "twitter", "kind": kind, "text": text, "lang": t.get("lang"),
            "created_at": created,
            "url": (f"https://twitter.com/{handle}/status/{tid}" if handle
                    else f"https://twitter.com/i/web/status/{tid}"),
        }
        if kind != "share":  # a retweet's public_metrics are the original's
            m = t.get("public_metrics")
            if m:
                props["retweet_count"] = m.get("retweet_count")
                props["reply_count"] = m.get("reply_count")
                props["like_count"] = m.get("like_count")
                props["quote_count"] = m.get("quote_count")
                views = m.get("impression_count")
                if views:
                    props["views"] = views
        if not akey and author_id:
            props["author_id"] = str(author_id)
        nodes.append(Node("Post", key, props))
        if akey:
            edges.append(Edge("AUTHORED", "Account", akey, "Post", key, {}))

        # Referenced tweets: the edge, and the tweet itself as context when it came along.
        original: str | None = None
        original_included = False
        ref_ids: tuple[str, ...] = ()
        if refs:
            ref_ids = tuple(str(r.get("id")) for r in refs)
            for r in refs:
                rid = r.get("id")
                rtype = r.get("type")
                etype = _EDGE_OF.get(rtype)  # type: ignore[arg-type]
                if not rid or etype is None:
                    continue
                rkey = "twitter:" + str(rid)
                edges.append(Edge(etype, "Post", key, "Post", rkey, {}))
                included = r if ("text" in r or "author_id" in r) else self.context.get(rid)
                if included is not None and not context and rid not in self.seen_context:
                    self.seen_context.add(rid)
                    self.tweet(included, context=True)
                if rtype == "retweeted":
                    original = rkey
                    original_included = included is not None
                elif rtype == "replied_to" and included is None:
                    # in_reply_to_user_id is the parent's author: keep who was answered.
                    reply_user = t.get("in_reply_to_user")
                    rname = reply_user.get("username") if reply_user else None
                    if rname:
                        self.user(reply_user)
                    else:
                        rname = self.names.get(t.get("in_reply_to_user_id"))
                    if rname:
                        edges.append(Edge("AUTHORED", "Account", self.account(rname), "Post",
                                          rkey, {}))

        if not ents:
            return True
        src = key
        mentions = ents.get("mentions")
        if original is not None:
            if original_included:
                return True  # the original carries its own links, tags and mentions
            # Links and tags of a retweet belong to the original; "RT @x:" names its author.
            src = original
            if mentions and text and text.startswith("RT @"):
                first = mentions[0]
                uname = first.get("username")
                if uname:
                    if "name" in first:
                        self.user(first)
                    edges.append(Edge("AUTHORED", "Account", self.account(uname), "Post",
                                      original, {}))
                mentions = mentions[1:]
        if mentions:
            for mnt in mentions:
                uname = mnt.get("username")
                if uname:
                    if "name" in mnt:  # flattened: the mentioned user's profile is merged in
                        self.user(mnt)
                    edges.append(Edge("MENTIONS", "Post", src, "Account", self.account(uname), {}))
        tags = ents.get("hashtags")
        if tags:
            for h in tags:
                tag = h.get("tag")
                if not tag:
                    continue
                hkey = self.tag_keys.get(tag)
                if hkey is None:
                    if len(self.tag_keys) > CACHE_MAX:
                        self.tag_keys.clear()
                    hkey = self.tag_keys[tag] = hashtag_key(tag)
                if not hkey:
                    continue
                if hkey not in self.seen_tags:
                    self.seen_tags.add(hkey)
                    nodes.append(Node("Hashtag", hkey, {"tag": tag}))
                edges.append(Edge("TAGGED", "Post", src, "Hashtag", hkey, {}))
        urls = ents.get("urls")
        if urls:
            for u in urls:
                if u.get("media_key"):
                    continue
                target = u.get("unwound_url") or u.get("expanded_url")
                if not target or not isinstance(target, str):
                    continue  # never fall back to the t.co wrapper
                hit = self.url(target)
                if hit is None:
                    continue
                ukey, domain = hit
                if domain in _TWITTER_HOSTS and _is_twitter_media_or_ref(ukey, domain, ref_ids):
                    continue
                if ukey not in self.seen_urls:
                    self.seen_urls.add(ukey)
                    nodes.append(Node("Url", ukey, {"url": target, "domain": domain}))
                edges.append(Edge("LINKS_TO", "Post", src, "Url", ukey, {}))
        return True


def _is_twitter_media_or_ref(ukey: str, domain: str, ref_ids: tuple[str, ...]) -> bool:
    """A t.co wrapper, attached media, or the status page of a tweet this one references."""
    if domain == "t.co" or domain.startswith("pic."):
        return True
    parts = ukey.split("/")
    for i, seg in enumerate(parts):
        if seg in ("status", "statuses") and i + 1 < len(parts):
            if "photo" in parts or "video" in parts:
                return True
            return parts[i + 1].split("?")[0] in ref_ids
    return False


def _looks_like_tweet(obj: Any) -> bool:
    return isinstance(obj, dict) and "author_id" in obj and ("id" in obj or "text" in obj)


def _looks_like_v1(obj: Any) -> bool:
    return isinstance(obj, dict) and "id_str" in obj and isinstance(obj.get("user"), dict)


# Stream messages of the v1.1 streaming API that are not tweets.
_NOTICES = ("delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
            "warning", "event", "friends", "direct_message")


def _id_of(obj: dict[str, Any], field: str = "id") -> str | None:
    """A v1.1 id: the ``*_str`` form (the numeric one loses digits in JavaScript readers)."""
    value = obj.get(field + "_str")
    if value is None:
        value = obj.get(field)
    if value is None or value == "" or isinstance(value, bool):
        return None
    if not isinstance(value, (str, int)):
        raise ValueError(f"{field} is a JSON {type(value).__name__}, not a string")
    return str(value)


def _count(value: Any) -> Any:
    """Archive counts are strings ("12"); API counts are numbers."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _v1_urls(block: Any) -> list[dict[str, Any]]:
    out = []
    for u in (block or {}).get("urls") or ():
        if isinstance(u, dict):
            unwound = u.get("unwound")
            out.append({"expanded_url": u.get("expanded_url"),
                        "unwound_url": unwound.get("url") if isinstance(unwound, dict) else None})
    return out


def _v1_user(u: dict[str, Any]) -> dict[str, Any]:
    """A v1.1 user object in the v2 shape the emitter reads."""
    ents = u.get("entities") or {}
    return {
        "id": _id_of(u), "username": u.get("screen_name"), "name": u.get("name"),
        "description": u.get("description"), "location": u.get("location"),
        "public_metrics": {"followers_count": u.get("followers_count")},
        "entities": {"url": {"urls": _v1_urls(ents.get("url"))},
                     "description": {"urls": _v1_urls(ents.get("description"))}},
    }


def _v1_entities(ents: dict[str, Any]) -> dict[str, Any]:
    return {
        "mentions": [{"username": m.get("screen_name"), "id": _id_of(m)}
                     for m in ents.get("user_mentions") or () if isinstance(m, dict)],
        "hashtags": [{"tag": h.get("text")} for h in ents.get("hashtags") or ()
                     if isinstance(h, dict)],
        # entities.media (pic.twitter.com) is left out: attached media are not links
        "urls": _v1_urls(ents),
    }


def from_v1(t: dict[str, Any], owner: dict[str, Any] | None = None) -> dict[str, Any]:
    """A v1.1 status (API or archive) as a flattened v2 tweet: one mapping for both.

    ``owner`` is the archive owner's user (archive tweets carry no ``user``).
    Retweeted and quoted statuses that came along become referenced tweets with
    their own fields, as ``twarc2 flatten`` writes them.
    """
    tid = _id_of(t)
    user = t.get("user")
    author = _v1_user(user) if isinstance(user, dict) else owner
    ext = t.get("extended_tweet")
    if not isinstance(ext, dict):
        ext = {}
    text = ext.get("full_text") or t.get("full_text") or t.get("text")
    ents = ext.get("entities") or t.get("entities") or {}
    if not isinstance(ents, dict):
        raise ValueError("entities is not a JSON object")
    v2: dict[str, Any] = {
        # an owner named by -o twitter_owner has no id: the handle stands in for it
        "id": tid, "text": text,
        "author_id": (author.get("id") or author.get("username")) if author else None,
        "author": author, "created_at": t.get("created_at"), "lang": t.get("lang"),
        "public_metrics": {
            "retweet_count": _count(t.get("retweet_count")),
            "reply_count": _count(t.get("reply_count")),
            "like_count": _count(t.get("favorite_count")),
            "quote_count": _count(t.get("quote_count")),
        },
        "entities": _v1_entities(ents),
    }
    refs: list[dict[str, Any]] = []
    rt = t.get("retweeted_status")
    if isinstance(rt, dict):
        refs.append({"type": "retweeted", **from_v1(rt)})
    elif isinstance(text, str) and text.startswith("RT @") and owner is not None:
        v2["_kind"] = "share"  # an archive retweet: the original's id is not in the archive
    quoted = t.get("quoted_status")
    qid = _id_of(t, "quoted_status_id")
    if isinstance(quoted, dict):
        refs.append({"type": "quoted", **from_v1(quoted)})
    elif qid:
        refs.append({"type": "quoted", "id": qid})
    parent = _id_of(t, "in_reply_to_status_id")
    if parent:
        refs.append({"type": "replied_to", "id": parent})
        rname = t.get("in_reply_to_screen_name")
        if rname:
            v2["in_reply_to_user"] = {"username": rname,
                                      "id": _id_of(t, "in_reply_to_user_id")}
    if refs:
        v2["referenced_tweets"] = refs
    return v2


_YTD = re.compile(rb"^\s*window\.YTD\.([A-Za-z0-9_]+)\.part\d+\s*=\s*")
_ARCHIVE_TWEETS = frozenset({b"tweets", b"tweet"})


def _ytd(data: bytes, name: str) -> Any:
    """The JSON value of an archive file ``window.YTD.<kind>.part0 = <json>``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    m = _YTD.match(data)
    if not m:
        raise CollectError(f"{name}: not a Twitter archive file (no 'window.YTD.' assignment)")
    try:
        return json.loads(data[m.end():].decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CollectError(f"{name}: invalid JSON ({str(exc)[:200]})") from exc


def _archive_media(source: Source) -> bool:
    """A file of an archive's media folders (``data/tweets_media/...``): nothing to read."""
    parent = source.path.parent
    return parent.name.endswith("_media") and (parent.parent / "account.js").is_file()


def _archive_owner(account: bytes | None, profile: bytes | None, where: str,
                   options: CollectOptions, name: str) -> dict[str, Any]:
    """The archive owner as a v2 user, from account.js (+ profile.js) or -o twitter_owner."""
    given = options.extra.get("twitter_owner")
    if given:
        handle = str(given).lstrip("@")
        owner: dict[str, Any] = {"id": None, "username": handle, "name": None}
    elif account is not None:
        items = _ytd(account, f"{where}/account.js")
        acct = items[0].get("account") if isinstance(items, list) and items and \
            isinstance(items[0], dict) else None
        if not isinstance(acct, dict) or not acct.get("username"):
            raise CollectError(f"{where}/account.js: no account with a username in it")
        owner = {"id": str(acct["accountId"]) if acct.get("accountId") else None,
                 "username": acct["username"], "name": acct.get("accountDisplayName")}
    else:
        raise CollectError(
            f"{name}: whose archive is it? account.js is not in the same folder; "
            "pass the archive's data folder or .zip, or -o twitter_owner=HANDLE")
    if profile is not None:
        try:
            items = _ytd(profile, f"{where}/profile.js")
            prof = items[0].get("profile") if isinstance(items, list) and items else None
            desc = prof.get("description") if isinstance(prof, dict) else None
        except (CollectError, AttributeError):
            desc = None  # the profile only adds a bio: the tweets are read without it
        if isinstance(desc, dict):
            owner["description"] = desc.get("bio")
            owner["location"] = desc.get("location")
            site = desc.get("website")
            # archives keep the t.co wrapper of the website, which names no site offline
            if isinstance(site, str) and site and not re.match(r"(?i)https?://t\.co/", site):
                owner["entities"] = {"url": {"urls": [{"expanded_url": site}]}}
    return owner


def _read_if_file(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


# The tweets files of an archive: tweets.js (tweet.js before 2022), big ones split in parts.
_ZIP_TWEETS = re.compile(r"^(?:.*/)?data/(?:tweets?|tweets?-part\d+)\.js$")
ZIP_MAX_BYTES = 4 * 1024**3  # a tweets.js larger than this (uncompressed) is refused


def _zip_members(source: Source) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]] | None:
    """An archive .zip and its tweets files, or None when ``source`` is not such a zip."""
    if not source.head().startswith(b"PK\x03\x04"):
        return None
    try:
        zf = zipfile.ZipFile(source.path)
    except (zipfile.BadZipFile, OSError):
        return None
    members = sorted((i for i in zf.infolist() if _ZIP_TWEETS.match(i.filename)),
                     key=lambda i: i.filename)
    if not members:
        zf.close()
        return None
    return zf, members


# Between two elements of the array as archives write it (JSON.stringify(value, null, 2)):
# raw newlines never occur inside JSON strings, so this is always structure.
_NEXT_ELEMENT = b"\n  },\n  {"


def _archive_items(data: bytes, name: str) -> Iterator[tuple[int, int, Any, str | None]]:
    """``(index, line, item, error)`` for each element of the archive's JSON array.

    Elements are decoded one by one, so a truncated or damaged file still gives every
    element before the damage, and the damage is reported with its line. Archives as
    X writes them are cut at the element boundaries of their layout, without decoding
    the whole file to text (about a third of the memory); other layouts are scanned.
    """
    m = _YTD.match(data)
    assert m is not None
    start = m.end()
    while start < len(data) and data[start] in b" \t\r\n":
        start += 1
    if data.startswith(b"[\n  {", start):
        yield from _pretty_items(data, start + 4)
    else:
        text = data[m.end():].decode("utf-8-sig", errors="replace")
        yield from _scan_items(text.lstrip(" \t\r\n"), 0, 1 + text[:len(text) - len(
            text.lstrip(" \t\r\n"))].count("\n"))


def _pretty_items(data: bytes, pos: int) -> Iterator[tuple[int, int, Any, str | None]]:
    """The elements of a pretty-printed archive array, ``pos`` at the first one's ``{``.

    A piece between two boundaries that is not one element (damage, a file cut short, an
    element that is not an object) is scanned on its own; the piece after it is read
    again from its boundary, whatever the damage was.
    """
    line = data.count(b"\n", 0, pos) + 1
    index = 0
    while True:
        index += 1
        sep = data.find(_NEXT_ELEMENT, pos)
        if sep >= 0:
            chunk = data[pos:sep + 4]  # through the element's closing brace
        else:  # the last element, then "]" (unless the file was cut short)
            chunk = data[pos:].rstrip()
            if chunk.endswith(b"]"):
                chunk = chunk[:-1]
        try:
            item = _loads(chunk)
        except (ValueError, RecursionError):
            text = "[" + chunk.decode("utf-8", errors="replace") + "]"
            last = index - 1
            for result in _scan_items(text, last, line):
                last = result[0]
                yield result
            index = last
        else:
            yield index, line, item, None
        if sep < 0:
            return
        line += chunk.count(b"\n") + 1
        pos = sep + len(_NEXT_ELEMENT) - 1


def _scan_items(text: str, index: int, line: int) -> Iterator[tuple[int, int, Any, str | None]]:
    """Scan a JSON array (``text`` starts at ``[``) element by element, up to the damage.

    ``index`` and ``line`` are those of what comes before ``text``.
    """
    decoder = json.JSONDecoder()
    n = len(text)

    def skip(p: int) -> int:
        while p < n and text[p] in " \t\r\n":
            p += 1
        return p

    if not text.startswith("["):
        yield index + 1, line, None, "the archive file holds no JSON array"
        return
    pos = skip(1)
    counted = 0
    while pos < n and text[pos] != "]":
        index += 1
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            item, end = decoder.raw_decode(text, pos)
        except ValueError as exc:
            yield index, line, None, f"invalid or truncated JSON ({exc.args[0].split(':')[0]})"
            return
        except RecursionError:
            yield index, line, None, "invalid JSON (nested too deeply)"
            return
        yield index, line, item, None
        pos = skip(end)
        if pos < n and text[pos] == ",":
            pos = skip(pos + 1)
        elif pos < n and text[pos] != "]":
            yield index + 1, line + text.count("\n", counted, pos), None, \
                "invalid JSON (expected ',' or ']' between tweets)"
            return


class TwitterCollector(Collector):
    """twarc2 JSONL (API v2 pages or flattened tweets), API v1.1 statuses, personal archives."""

    name = "twitter"
    description = ("Twitter/X: twarc2 JSONL (API v2 pages or flattened), API v1.1 statuses "
                   "(twarc 1, streams), personal archives (.zip or data/tweets.js)")

    def sniff(self, source: Source) -> int:
        head = source.head()[:HEAD_BYTES]
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        m = _YTD.match(head)
        if m:  # an archive file: the tweets, or another part read as nothing
            return 95 if m.group(1) in _ARCHIVE_TWEETS else 60
        if _archive_media(source):
            return 60
        zipped = _zip_members(source)
        if zipped is not None:
            zipped[0].close()
            return 95
        start = 0
        n = len(head)
        while start < n and head[start] in b" \t\r\n":
            start += 1
        if start >= n or head[start:start + 1] != b"{":
            return 0
        end = head.find(b"\n", start)
        if end >= 0:
            try:
                obj = _loads(head[start:end])
            except (ValueError, RecursionError):
                return 0
            if not isinstance(obj, dict):
                return 0
            data = obj.get("data")
            if isinstance(data, list):
                return 90 if data and all(isinstance(x, dict) for x in data) and any(
                    "author_id" in x for x in data) else 0
            if isinstance(data, dict):
                return 90 if _looks_like_tweet(data) else 0
            if _looks_like_v1(obj) or (len(obj) == 1 and next(iter(obj)) in _NOTICES):
                return 85
            return 90 if _looks_like_tweet(obj) else 0
        # The first line does not fit in the head: judge by its opening.
        line = head[start:]
        compact = line[:32].replace(b" ", b"")
        tweety = b'"author_id"' in line or b'"edit_history_tweet_ids"' in line
        if compact.startswith(b'{"data":[{') or compact.startswith(b'{"data":{'):
            return 90 if tweety else 0
        if tweety and (b'"id"' in line or b'"text"' in line):
            return 90
        if b'"id_str"' in line and (b'"screen_name"' in line
                                    or compact.startswith(b'{"created_at":"')):
            return 85  # a v1.1 status (its user object may come after a long text)
        return 0

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        size = max(int(options.batch_size or 1), 1)
        head = source.head()
        m = _YTD.match(head[3:] if head.startswith(b"\xef\xbb\xbf") else head)
        if m or _archive_media(source):
            if m and m.group(1) in _ARCHIVE_TWEETS:
                yield from self._archive(source, options, size)
            return  # likes, followers, messages, media ...: nothing of the graph
        zipped = _zip_members(source)
        if zipped is not None:  # the archive as downloaded: twitter-2023-...zip
            yield from self._zip(source, options, size, *zipped)
            return
        em = _Emitter(source.name)
        with source.open() as fh:
            lines = iter_lines(fh, MAX_LINE_BYTES)
            while True:
                with gc_paused():
                    more = self._fill(em, lines, size)
                batch = em.batch
                if batch.read or batch.nodes or batch.edges:
                    yield batch
                if not more:
                    return
                em.new_batch()

    def _archive(self, source: Source, options: CollectOptions, size: int) -> Iterator[Batch]:
        folder = source.path.parent
        owner = _archive_owner(_read_if_file(folder / "account.js"),
                               _read_if_file(folder / "profile.js"), str(folder), options,
                               source.name)
        em = _Emitter(source.name)
        em.user(owner)
        yield from self._archive_tweets(em, source.path.read_bytes(), owner, size, "")

    def _zip(self, source: Source, options: CollectOptions, size: int,
             zf: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> Iterator[Batch]:
        with zf:
            data_dir = members[0].filename.rsplit("/", 1)[0]

            def member(name: str) -> bytes | None:
                try:
                    info = zf.getinfo(f"{data_dir}/{name}")
                except KeyError:
                    return None
                return zf.read(info) if info.file_size < ZIP_MAX_BYTES else None

            owner = _archive_owner(member("account.js"), member("profile.js"),
                                   f"{source.name}:{data_dir}", options, source.name)
            em = _Emitter(source.name)
            em.user(owner)
            for info in members:
                if info.file_size > ZIP_MAX_BYTES:
                    raise CollectError(f"{source.name}:{info.filename}: {info.file_size} bytes "
                                       f"uncompressed, over the {ZIP_MAX_BYTES} byte limit")
                try:
                    data = zf.read(info)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise CollectError(f"{source.name}:{info.filename}: cannot be read from "
                                       f"the zip ({exc})") from exc
                prefix = f"{info.filename}: " if len(members) > 1 else ""
                yield from self._archive_tweets(em, data, owner, size, prefix)

    def _archive_tweets(self, em: _Emitter, data: bytes, owner: dict[str, Any], size: int,
                        prefix: str) -> Iterator[Batch]:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if not _YTD.match(data):
            em.batch.reject(prefix + "line 1", "not a Twitter archive file "
                            "(no 'window.YTD.' assignment)", excerpt(data[:200]))
            yield em.batch
            em.new_batch()
            return
        with gc_paused():
            for index, line, item, error in _archive_items(data, em.source):
                where = f"{prefix}tweet {index} (line {line})"
                if error is not None:
                    em.batch.reject(where, error)
                    continue
                t = item.get("tweet", item) if isinstance(item, dict) else item
                if not isinstance(t, dict):
                    em.batch.reject(where, "archive entry is not a JSON object",
                                    excerpt(repr(t)))
                    continue
                try:
                    converted = from_v1(t, owner)
                except (TypeError, AttributeError, ValueError) as exc:
                    em.batch.reject(where, f"unusable tweet: {exc}", _text_excerpt(t))
                    continue
                self._tweet(em, converted, where, lambda t=t: _text_excerpt(t))
                if em.batch.read >= size:
                    yield em.batch
                    em.new_batch()
        if em.batch.read or em.batch.nodes or em.batch.edges:
            yield em.batch
            em.new_batch()

    def _fill(self, em: _Emitter, lines: Iterator[tuple[int, bytes | None]], size: int) -> bool:
        """Read lines into ``em.batch`` until it holds ``size`` records; False at end of input."""
        batch = em.batch
        for n, line in lines:
            if line is None:
                batch.reject(f"line {n}", f"line longer than {MAX_LINE_BYTES} bytes; skipped")
            elif not line.strip():
                continue
            else:
                self._line(em, n, line)
            if batch.read >= size:
                return True
        return False

    def _line(self, em: _Emitter, n: int, line: bytes) -> None:
        batch = em.batch
        if n == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]  # a UTF-8 BOM that Windows tools put before the first line
        try:
            obj = _loads(line)
        except (ValueError, RecursionError) as exc:
            msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            batch.reject(f"line {n}", f"invalid JSON ({msg})", excerpt(line))
            return
        if not isinstance(obj, dict):
            batch.reject(f"line {n}", "not a JSON object (expected a twarc2 page or a tweet)",
                         excerpt(line))
        elif "data" in obj or "includes" in obj or "meta" in obj:
            self._page(em, obj, n, line)
        elif "id_str" in obj and "user" in obj:  # an API v1.1 status
            try:
                converted = from_v1(obj)
            except (TypeError, AttributeError, ValueError) as exc:
                batch.reject(f"line {n}", f"unusable tweet: {exc}", excerpt(line))
                return
            self._tweet(em, converted, f"line {n}", lambda: excerpt(line))
        elif len(obj) <= 2 and any(k in obj for k in _NOTICES):
            kind = next(k for k in _NOTICES if k in obj)
            batch.reject(f"line {n}", f"stream notice '{kind}', not a tweet"
                         + (" (the tweet was deleted by its author)" if kind == "delete" else ""),
                         excerpt(line))
        elif "id" in obj or "author_id" in obj:
            self._tweet(em, obj, f"line {n}", lambda: excerpt(line))
        elif "errors" in obj:
            batch.reject(f"line {n}", "API error response with no data: "
                         + _error_text(obj.get("errors")), excerpt(line))
        else:
            batch.reject(f"line {n}", "neither a twarc2 page nor a tweet "
                         "(no 'data', 'id' or 'author_id')", excerpt(line))

    @staticmethod
    def _tweet(em: _Emitter, t: Any, location: str, text: Any) -> None:
        batch = em.batch
        if not isinstance(t, dict):
            batch.reject(location, "tweet is not a JSON object", excerpt(repr(t)))
            return
        n_nodes, n_edges = len(em.nodes), len(em.edges)
        try:
            ok = em.tweet(t)
        except (TypeError, AttributeError, ValueError) as exc:
            ok, reason = False, f"unusable tweet: {exc}"
        else:
            reason = _missing(t)
        if ok:
            batch.ok()
        else:
            em.rollback(n_nodes, n_edges)
            batch.reject(location, reason, text())

    def _page(self, em: _Emitter, obj: dict[str, Any], n: int, line: bytes) -> None:
        batch = em.batch
        data = obj.get("data")
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            meta = obj.get("meta")
            if data is None and isinstance(meta, dict) and meta.get("result_count") == 0:
                return  # an empty result page holds no records
            reason = "page has no 'data' list of tweets"
            if obj.get("errors"):
                reason += ": " + _error_text(obj.get("errors"))
            batch.reject(f"line {n}", reason, excerpt(line))
            return
        includes = obj.get("includes")
        if isinstance(includes, dict):
            for u in includes.get("users") or ():
                em.user(u)
            em.context = {
                it["id"]: it for it in includes.get("tweets") or () if isinstance(it, dict) and it.get("id")
            }
        for k, t in enumerate(data, start=1):
            self._tweet(em, t, f"line {n} tweet {k}",
                        lambda t=t: excerpt(str(t.get("text") or t) if isinstance(t, dict) else repr(t)))
        em.context = {}


def _text_excerpt(t: Any) -> str:
    if isinstance(t, dict):
        return excerpt(str(t.get("full_text") or t.get("text") or t))
    return excerpt(repr(t))


def _missing(t: dict[str, Any]) -> str:
    if not t.get("id"):
        return "tweet has no id"
    return "tweet has no author_id"


def _error_text(errors: Any) -> str:
    if isinstance(errors, list) and errors:
        first = errors[0]
        if isinstance(first, dict):
            return str(first.get("detail") or first.get("title") or first.get("message") or first)[:200]
    return str(errors)[:200]
