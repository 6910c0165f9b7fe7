"""Twitter/X data collected with twarc2 (API v2), as JSON lines.

Two line shapes are read, and may be mixed in one file:

* a response page as ``twarc2 search``/``timeline`` write it:
  ``{"data": [tweet, ...], "includes": {"users", "tweets", "media", "places"},
  "meta": {...}, "__twarc": {...}}``;
* a flattened tweet as ``twarc2 flatten`` writes it: one tweet object per line
  with its ``author`` embedded and its ``referenced_tweets`` merged with the
  referenced tweets' own fields.

One tweet of ``data`` (or one flattened line) is one input record. Referenced
tweets found in ``includes.tweets`` (or merged into ``referenced_tweets``) are
stored as context — their Post and author — but are not counted as read.

The file is streamed line by line; JSON is parsed with orjson when installed
(``pip install orjson``), else with the standard library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

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
        kind = "post"
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


class TwitterCollector(Collector):
    """twarc2 JSONL: API v2 response pages or flattened tweets."""

    name = "twitter"
    description = "Twitter/X API v2 data as written by twarc2 (pages or flattened JSONL)"

    def sniff(self, source: Source) -> int:
        head = source.head()[:HEAD_BYTES]
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
            return 90 if _looks_like_tweet(obj) else 0
        # The first line does not fit in the head: judge by its opening.
        line = head[start:]
        compact = line[:32].replace(b" ", b"")
        tweety = b'"author_id"' in line or b'"edit_history_tweet_ids"' in line
        if compact.startswith(b'{"data":[{') or compact.startswith(b'{"data":{'):
            return 90 if tweety else 0
        if tweety and (b'"id"' in line or b'"text"' in line):
            return 90
        return 0

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        size = max(int(options.batch_size or 1), 1)
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
