"""Facebook exports: CrowdTangle CSV, Meta Content Library CSV/JSON, "Download your information" JSON.

Facebook has no open API any more, so netmap reads the exports analysts hold.
One collector reads all of them and tells them apart by their content:

* **CrowdTangle CSV** (the historical research export of page, group and
  search lists): one post per row, with the account in ``Page Name`` (or
  ``Group Name``), ``User Name`` and ``Facebook Id``, the post in ``URL``,
  ``Message``, ``Type``, ``Post Created`` (or older ``Created``; or ``Post
  Created Date`` + ``Post Created Time``), interaction counts (``Likes``,
  ``Comments``, ``Shares``, ``Love`` … ``Total Interactions``; often written
  with thousands separators) and the shared link in ``Link`` and ``Final Link``
  (the link after redirects, preferred). Times carry the dashboard's time zone
  as an abbreviation (``2013-10-29 09:15:02 EST``); known abbreviations are
  converted to UTC, unknown ones are taken as UTC and the raw value is kept
  in ``created_raw``.
* **Meta Content Library** posts and comments, as the API returns them (JSON
  pages ``{"data": [...]}``, a list, or JSON lines; nested ``post_owner``,
  ``statistics``, ``link_attachment`` objects) or as the web UI exports them
  (CSV with dotted column names such as ``post_owner.name``). Fields read:
  ``id``, ``creation_time``, ``text``, ``lang``, ``post_owner.{id,username,
  name,type}``, ``surface.{id,name,type}``, ``statistics.{reaction_count,
  like_count,comment_count,share_count,views}``, ``link_attachment.link``
  (also ``link_url``), ``shared_post_id``, ``multimedia``; comments:
  ``post_id``, ``parent_comment_id``, ``owner.*``. The library gives no post
  permalink, so its posts are keyed ``facebook:<id>``.
* **"Download your information" JSON** of one person: ``your_posts_1.json``
  (a list of ``{timestamp, data: [{post}], attachments: [{data:
  [{external_context: {url}} | {media: {...}}]}], title}``), group posts
  (``group_posts_v2``), ``comments.json`` (``comments_v2``) and
  ``profile_information.json`` (the owner). Facebook writes these files with
  every UTF-8 byte escaped as its own ``\\u00XX``; text is repaired with
  :func:`~netmap.collect.socialutil.fix_mojibake`. The owner's account is
  taken from ``profile_information.json`` found in the same export (up to
  four folders up), else from ``CollectOptions.extra["facebook_owner"]``,
  else from the comment author's name. Comments in this export do not say
  which post they answer, so they carry no ``REPLIES_TO``.

Mapping: pages, groups and profiles are ``Account`` nodes keyed
``facebook:<username>`` (``User Name``) or ``facebook:<id>``; a post is keyed by
``url_key`` of its Facebook URL, else ``facebook:<id>``. Every outgoing link
(the final link, links in the text) becomes ``LINKS_TO`` a ``Url``; the store's
reconcile step turns a link to a known blog post into ``SHARES``. Photos and
videos a post carries are media, not links.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import CollectError
from ..keys import account_key, host_of, is_http_url, post_key, url_key
from ..model import Batch, utc_iso
from .base import (
    HEAD_BYTES,
    CollectOptions,
    Collector,
    Source,
    decode_bytes,
    excerpt,
)
from .socialutil import (
    PostEmitter,
    fix_mojibake_deep,
    load_json_documents,
    parse_count,
    parse_float,
    text_urls,
)

__all__ = ["FacebookCollector", "parse_crowdtangle_time", "detect_export", "fb_post_key"]

PLATFORM = "facebook"
_FB_HOSTS = {"facebook.com", "fb.com", "fb.watch", "fbcdn.net", "facebook.net"}
_MEDIA_TYPES = {"photo", "video", "live video", "live video complete", "live video scheduled",
                "album", "native video", "igtv", "reel"}
# Path heads of facebook.com URLs that are not an account name.
_NOT_ACCOUNTS = {"permalink.php", "story.php", "photo.php", "video.php", "watch", "groups",
                 "events", "media", "photo", "l.php", "sharer.php", "pages", "profile.php",
                 "notes", "hashtag", "share"}

# ---------------------------------------------------------------------------
# CrowdTangle time stamps

# Zone abbreviations CrowdTangle dashboards wrote, as hours east of UTC.
_ZONES: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "IST": 5.5, "CET": 1,
    "CEST": 2, "EET": 2, "EEST": 3, "TRT": 3, "GST": 4, "PKT": 5, "TJT": 5, "UZT": 5,
    "ALMT": 6, "ICT": 7, "WIB": 7, "SGT": 8, "HKT": 8, "AWST": 8, "PHT": 8, "JST": 9,
    "KST": 9, "ACST": 9.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "EST": -5,
    "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "BRT": -3, "ART": -3, "SAST": 2, "WAT": 1,
    "EAT": 3, "CAT": 2,
}
_CT_TIME = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*"
    r"(?:([A-Za-z]{1,5})|([+-]\d{2}:?\d{2}))?\s*$"
)


def _msk_offset(day: datetime) -> float:
    # Moscow time was UTC+4 from 27 March 2011 to 26 October 2014, UTC+3 otherwise.
    return 4 if datetime(2011, 3, 27) <= day < datetime(2014, 10, 26) else 3


def parse_crowdtangle_time(value: str | None) -> tuple[str | None, bool]:
    """``("2013-10-29T14:15:02Z", True)`` for ``"2013-10-29 09:15:02 EST"``.

    The flag is False when the zone was missing or unknown and UTC was assumed
    (or when nothing could be parsed: then the time is None).
    """
    if not value or not value.strip():
        return None, False
    m = _CT_TIME.match(value)
    if not m:
        iso = utc_iso(value.strip())
        return iso, iso is not None
    day, clock, abbr, offset = m.groups()
    try:
        local = datetime.fromisoformat(f"{day}T{clock if clock.count(':') == 2 or '.' in clock else clock + ':00'}")
    except ValueError:
        return None, False
    if offset:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        hours = sign * (int(digits[:2]) + int(digits[2:]) / 60)
        known = True
    elif abbr:
        abbr = abbr.upper()
        if abbr == "MSK":
            hours, known = _msk_offset(local), True
        elif abbr in _ZONES:
            hours, known = _ZONES[abbr], True
        else:
            hours, known = 0, False
    else:
        hours, known = 0, False
    utc = local.replace(tzinfo=UTC) - timedelta(hours=hours)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ"), known


# ---------------------------------------------------------------------------
# telling the exports apart

_CT_ACCOUNT_COLS = {"Facebook Id", "Page Name", "Group Name"}
_CT_POST_COLS = {"Post Created", "Created", "Total Interactions", "Likes at Posting",
                 "Followers at Posting", "Post Created Date"}
_MCL_PREFIXES = ("post_owner.", "surface.", "owner.", "statistics.", "link_attachment.")
_DYI_KEYS = re.compile(rb'"(comments_v2|group_posts_v2|group_comments_v2|profile_v2)"\s*:')
_DYI_ENTRY = re.compile(
    rb'^\s*\[\s*\{\s*"(timestamp|attachments|data|title|tags)"\s*:'
)
_DYI_INNER = re.compile(rb'"(post|external_context|update_timestamp)"\s*:|"media"\s*:\s*\{\s*"uri"')


def _csv_header(text: str) -> list[str]:
    first = text.split("\n", 1)[0].rstrip("\r")
    delim = _delimiter(first)
    try:
        row = next(csv.reader([first], delimiter=delim))
    except (csv.Error, StopIteration):
        return []
    return [h.strip().strip("\ufeff") for h in row]


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _is_crowdtangle(header: list[str]) -> bool:
    cols = set(header)
    return "URL" in cols and bool(cols & _CT_ACCOUNT_COLS) and bool(cols & _CT_POST_COLS)


def _is_mcl_columns(header: list[str]) -> bool:
    cols = set(header)
    return "id" in cols and "creation_time" in cols and any(
        c.startswith(_MCL_PREFIXES) for c in cols)


def detect_export(source: Source) -> str | None:
    """Which Facebook export ``source`` is: ``crowdtangle``, ``mcl_csv``, ``mcl_json``, ``dyi``, or None."""
    head = source.head()[:HEAD_BYTES]
    if not head.strip():
        return None
    text, _ = decode_bytes(head)
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return None
    if stripped[0] in "[{":
        raw = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if _DYI_KEYS.search(raw[:4096]) or (_DYI_ENTRY.match(raw) and _DYI_INNER.search(raw)):
            return "dyi"
        if b'"creation_time"' in raw and (
            b'"post_owner' in raw or b'"surface' in raw or b'"owner' in raw
            or b'"statistics' in raw
        ):
            return "mcl_json"
        return None
    header = _csv_header(stripped)
    if _is_crowdtangle(header):
        return "crowdtangle"
    if _is_mcl_columns(header):
        return "mcl_csv"
    return None


# ---------------------------------------------------------------------------
# building records


class _Emitter(PostEmitter):
    """Builds nodes and edges into the current batch; Url and Hashtag nodes once per file."""

    def account(self, handle: str, **props: Any) -> str:
        key = account_key(PLATFORM, handle)
        self.batch.node("Account", key, platform=PLATFORM, handle=handle, **props)
        return key

    def links(self, post: str, urls: list[str], *,
              skip_keys: frozenset[str] | set[str] = frozenset(), media: bool = False) -> int:
        """LINKS_TO each usable URL; with ``media`` links to Facebook itself are attachments."""
        done: set[str] = set()
        for raw in urls:
            hit = self.link(raw)
            if hit is None:
                continue
            url, key, domain = hit
            if key == post or key in skip_keys or key in done:
                continue
            if media and (domain in _FB_HOSTS or domain.endswith(".fbcdn.net")):
                continue
            done.add(key)
            self.link_to(post, url, key, domain)
        return len(done)


class _Reject(Exception):
    """A record that cannot be used, with the reason."""


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _account_from_url(url: str) -> tuple[str, bool] | None:
    """``(handle, is_group)`` named by a facebook.com post URL, if any."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if host_of(url) not in _FB_HOSTS:
        return None
    segs = [unquote(s) for s in parts.path.split("/") if s]
    if not segs:
        return None
    if segs[0] == "groups" and len(segs) > 1:
        return segs[1], True
    if segs[0] in ("permalink.php", "story.php"):
        owner = parse_qs(parts.query).get("id")
        return (owner[0], False) if owner else None
    if segs[0].lower() in _NOT_ACCOUNTS or not re.fullmatch(r"[\w.\-]+", segs[0]):
        return None
    return segs[0], False


# -- CrowdTangle -----------------------------------------------------------------

_CT_COUNTS = {
    "Likes": "like_count", "Comments": "comment_count", "Shares": "share_count",
    "Love": "love_count", "Wow": "wow_count", "Haha": "haha_count", "Sad": "sad_count",
    "Angry": "angry_count", "Care": "care_count", "Thankful": "thankful_count",
    "Total Interactions": "interaction_count",
}
_CT_MAIN_COUNTS = {"like_count", "comment_count", "share_count", "interaction_count"}


def _ct_row(em: _Emitter, row: dict[str, str]) -> None:
    """One CrowdTangle row; its cells are already stripped."""
    get = row.get

    def col(*names: str) -> str | None:
        for name in names:
            value = get(name)
            if value:
                return value
        return None

    url = get("URL") or ""
    m = _FB_POST_URL.match(url)
    if m:
        key = "facebook.com" + m.group(1)
    else:
        if not url or not is_http_url(url):
            raise _Reject("row has no post URL (the 'URL' column is empty or not an http(s) link)")
        try:
            key = url_key(url)
        except ValueError as exc:
            raise _Reject(f"post URL is not usable: {exc}") from None
    is_group = "Group Name" in row and "Page Name" not in row
    name = col("Page Name", "Group Name")
    username = col("User Name")
    fb_id = col("Facebook Id")
    handle = username or fb_id
    if handle is None:
        found = _account_from_url(url)
        if found:
            handle, is_group = found[0], found[1] or is_group
    created, known = parse_crowdtangle_time(col("Post Created", "Created"))
    raw_time = col("Post Created", "Created")
    if created is None and col("Post Created Date"):
        raw_time = f"{col('Post Created Date')} {col('Post Created Time') or '00:00:00'}"
        created, known = parse_crowdtangle_time(raw_time)
    ptype = col("Type")
    text = col("Message")
    props: dict[str, Any] = {
        "platform": PLATFORM, "kind": "post", "text": text, "created_at": created,
        "url": url, "post_type": ptype, "link_title": col("Link Text"),
        "link_description": col("Description"), "image_text": col("Image Text"),
        "sponsor_name": col("Sponsor Name"), "sponsor_id": col("Sponsor Id"),
    }
    if raw_time and not known:
        props["created_raw"] = raw_time
    for column, prop in _CT_COUNTS.items():
        value = get(column)
        if value is not None:
            count = parse_count(value)
            # the per-reaction breakdown is kept only where it says something
            if count or prop in _CT_MAIN_COUNTS:
                props[prop] = count
    views = parse_count(get("Total Views")) or parse_count(get("Post Views"))
    if views:
        props["views"] = views
    score = get("Overperforming Score")
    if score:
        props["overperforming_score"] = parse_float(score)
    em.batch.node("Post", key, **props)
    if handle is not None:
        followers = parse_count(get("Followers at Posting"))
        if followers is None:
            followers = parse_count(get("Likes at Posting"))
        acc = em.account(
            handle, name=name, url=_account_url(handle, is_group),
            followers=followers, facebook_id=fb_id, account_type="group" if is_group else "page",
            category=col("Page Category"), country=col("Page Admin Top Country"),
            bio=col("Page Description"), page_created=col("Page Created"),
        )
        em.batch.edge("AUTHORED", "Account", acc, "Post", key)
    final, link = col("Final Link"), col("Link")
    chosen = final or link
    media = (ptype or "").strip().lower() in _MEDIA_TYPES
    skip: set[str] = set()
    if final and link and final != link:
        # the short form of the final link, when it also appears in the message
        short, full = em.link(link), em.link(final)
        if short and (full is None or short[1] != full[1]):
            skip.add(short[1])
    em.links(key, ([chosen] if chosen else []) + text_urls(text), skip_keys=skip, media=media)
    em.tags(key, text)


# The common shapes of a CrowdTangle post URL, whose url_key is the path on facebook.com:
# normalising them without ural is ~50x faster, and tests check both agree.
_FB_POST_URL = re.compile(
    r"^https?://(?:www\.|m\.)?facebook\.com"
    r"(/(?:groups/)?[A-Za-z0-9._\-]+/(?:posts|permalink|videos)/[A-Za-z0-9]+)/?$"
)


def fb_post_key(url: str) -> str:
    """``url_key`` of a Facebook post URL, fast for the usual shapes."""
    m = _FB_POST_URL.match(url)
    if m:
        return "facebook.com" + m.group(1)
    return url_key(url)


def _account_url(handle: str, is_group: bool) -> str:
    return ("https://www.facebook.com/groups/" if is_group else "https://www.facebook.com/") + handle


# -- Meta Content Library ------------------------------------------------------------

def _flatten(obj: dict[str, Any], prefix: str = "", out: dict[str, Any] | None = None) -> dict[str, Any]:
    """Nested objects as dotted keys (``{"post_owner": {"id": 1}}`` -> ``{"post_owner.id": 1}``)."""
    out = {} if out is None else out
    for k, v in obj.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            _flatten(v, name + ".", out)
        else:
            out[name] = v
    return out


def _mcl_account(em: _Emitter, rec: dict[str, Any], prefix: str) -> str | None:
    kind = _clean(rec.get(prefix + "type"))
    if kind and kind.lower() == "private":
        return None  # a real comment whose author cannot be named
    username = _clean(rec.get(prefix + "username"))
    ident = _clean(rec.get(prefix + "id"))
    handle = username or ident
    if handle is None:
        return None
    return em.account(
        handle, name=_clean(rec.get(prefix + "name")),
        url=_account_url(username, (kind or "").lower() == "group") if username else None,
        account_type=kind.lower() if kind else None, mcl_id=ident,
    )


def _mcl_record(em: _Emitter, rec: dict[str, Any]) -> None:
    ident = _clean(rec.get("id"))
    if ident is None:
        raise _Reject("record has no 'id'")
    is_comment = "post_id" in rec and not any(k.startswith("post_owner.") for k in rec)
    key = post_key(PLATFORM, ident)
    text = _clean(rec.get("text"))
    created = rec.get("creation_time")
    if isinstance(created, str) and created.strip().isdigit():
        created = int(created.strip())
    props: dict[str, Any] = {
        "platform": PLATFORM, "kind": "comment" if is_comment else "post", "text": text,
        "lang": _clean(rec.get("lang")), "created_at": utc_iso(created),
        "url": _clean(rec.get("mcl_url")) or _clean(rec.get("url")),
        "reaction_count": parse_count(rec.get("statistics.reaction_count")),
        "like_count": parse_count(rec.get("statistics.like_count")),
        "comment_count": parse_count(rec.get("statistics.comment_count")),
        "share_count": parse_count(rec.get("statistics.share_count")),
        "views": parse_count(rec.get("statistics.views")),
        "content_type": _clean(rec.get("content_type")) or _clean(rec.get("media_type")),
        "surface": _clean(rec.get("surface.name")),
        "surface_type": _clean(rec.get("surface.type")),
        "link_title": _clean(rec.get("link_attachment.name")) or _clean(rec.get("link_title")),
    }
    media = rec.get("multimedia")
    if isinstance(media, str) and media.strip().startswith("["):
        try:
            media = json.loads(media)
        except ValueError:
            media = None
    if isinstance(media, list):
        kinds = [m.get("type") for m in media if isinstance(m, dict) and m.get("type")]
        if kinds:
            props["media"] = kinds
    shared = _clean(rec.get("shared_post_id"))
    if shared and not is_comment:
        props["kind"] = "share"
    owner_type = _clean(rec.get("owner.type"))
    if owner_type and owner_type.lower() == "private":
        props["author_private"] = True
    em.batch.node("Post", key, **props)
    author = _mcl_account(em, rec, "owner." if is_comment else "post_owner.")
    if author:
        em.batch.edge("AUTHORED", "Account", author, "Post", key)
    if is_comment:
        parent = _clean(rec.get("parent_comment_id")) or _clean(rec.get("post_id"))
        if parent:
            em.batch.edge("REPLIES_TO", "Post", key, "Post", post_key(PLATFORM, parent))
    if shared:
        em.batch.edge("SHARES", "Post", key, "Post", post_key(PLATFORM, shared))
    urls = [u for u in (rec.get("link_attachment.link"), rec.get("link_attachment.url"),
                        rec.get("link_url")) if isinstance(u, str)]
    em.links(key, urls + text_urls(text))
    em.tags(key, text)


# -- Download your information -----------------------------------------------------

_DYI_LISTS = {
    "comments_v2": "comment", "group_comments_v2": "comment", "group_posts_v2": "post",
}


def _find_profile(path: Path) -> dict[str, Any] | None:
    """The export's ``profile_information.json`` (profile_v2), looked for near ``path``."""
    names = ("profile_information/profile_information.json",
             "personal_information/profile_information/profile_information.json",
             "profile_information.json")
    for folder in list(path.parents)[:4]:
        for name in names:
            candidate = folder / name
            if candidate.is_file() and candidate.stat().st_size < 16 * 1024 * 1024:
                try:
                    data = fix_mojibake_deep(json.loads(candidate.read_bytes()))
                except (ValueError, OSError, RecursionError):
                    continue
                if isinstance(data, dict) and isinstance(data.get("profile_v2"), dict):
                    return data["profile_v2"]
    return None


def _profile_handle(profile: dict[str, Any]) -> tuple[str | None, str | None]:
    name = profile.get("name")
    full = _clean(name.get("full_name")) if isinstance(name, dict) else _clean(name)
    return _clean(profile.get("username")) or full, full


class _DyiOwner:
    def __init__(self, handle: str | None, name: str | None, username: str | None = None):
        self.handle = handle
        self.name = name
        self.url = _account_url(username, False) if username else None


def _dyi_owner(source: Source, options: CollectOptions) -> _DyiOwner:
    profile = _find_profile(source.path)
    if profile:
        handle, name = _profile_handle(profile)
        if handle:
            return _DyiOwner(handle, name, _clean(profile.get("username")))
    given = options.extra.get("facebook_owner")
    if isinstance(given, str) and given.strip():
        return _DyiOwner(given.strip(), None)
    return _DyiOwner(None, None)


def _dyi_profile(em: _Emitter, profile: dict[str, Any]) -> None:
    handle, full = _profile_handle(profile)
    if not handle:
        raise _Reject("profile_v2 has neither a username nor a name")
    links = []
    for site in profile.get("websites") or ():
        addr = site.get("address") if isinstance(site, dict) else site
        if isinstance(addr, str) and is_http_url(addr):
            links.append(addr)
    username = _clean(profile.get("username"))
    em.account(handle, name=full, url=_account_url(username, False) if username else None,
               profile_links=links or None)


def _dyi_entry(em: _Emitter, entry: Any, kind: str, owner: _DyiOwner) -> None:
    if not isinstance(entry, dict):
        raise _Reject("entry is not a JSON object")
    texts: list[str] = []
    author_name: str | None = None
    when = entry.get("timestamp")
    group: str | None = None
    for item in entry.get("data") or ():
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("post"), str):
            texts.append(item["post"])
        comment = item.get("comment")
        if isinstance(comment, dict):
            if isinstance(comment.get("comment"), str):
                texts.append(comment["comment"])
            author_name = _clean(comment.get("author")) or author_name
            when = comment.get("timestamp") or when
            group = _clean(comment.get("group")) or group
    urls: list[str] = []
    media: list[str] = []
    for att in entry.get("attachments") or ():
        for item in (att.get("data") if isinstance(att, dict) else None) or ():
            if not isinstance(item, dict):
                continue
            ext = item.get("external_context")
            if isinstance(ext, dict) and isinstance(ext.get("url"), str):
                urls.append(ext["url"])
            if isinstance(item.get("media"), dict):
                media.append("media")
            for other in ("place", "event", "text", "name"):
                if other in item:
                    media.append(other)
    text = "\n\n".join(t for t in (s.strip() for s in texts) if t) or None
    title = _clean(entry.get("title"))
    if not text and not urls and not media:
        raise _Reject("entry holds no text, link or attachment")
    handle = owner.handle or author_name
    digest = hashlib.sha1(
        json.dumps([handle, when, text, urls, title], ensure_ascii=False, default=str).encode()
    ).hexdigest()[:12]
    key = post_key(PLATFORM, f"dyi:{when}:{digest}")
    em.batch.node(
        "Post", key, platform=PLATFORM, kind=kind, text=text, created_at=utc_iso(when),
        title=title, group=group, media=media or None,
    )
    if handle:
        acc = em.account(handle, name=owner.name or author_name,
                         url=owner.url if owner.handle else None)
        em.batch.edge("AUTHORED", "Account", acc, "Post", key)
    em.links(key, urls + text_urls(text))
    em.tags(key, text)


# ---------------------------------------------------------------------------


def _text(text: Any) -> str:
    return text() if callable(text) else text


def _lazy(obj: Any) -> Any:
    return lambda: excerpt(str(obj))


class FacebookCollector(Collector):
    """CrowdTangle CSV, Meta Content Library CSV/JSON and "Download your information" JSON."""

    name = "facebook"
    description = ("Facebook exports: CrowdTangle CSV, Meta Content Library CSV/JSON, "
                   "'Download your information' JSON")

    def sniff(self, source: Source) -> int:
        kind = detect_export(source)
        return 0 if kind is None else 95

    def read(self, source: Source, options: CollectOptions) -> Iterator[Batch]:
        kind = detect_export(source)
        size = max(int(options.batch_size or 1), 1)
        em = _Emitter(source.name)
        if kind in ("crowdtangle", "mcl_csv"):
            records = self._csv_records(source, kind)
        elif kind == "mcl_json":
            records = self._mcl_json_records(source)
        elif kind == "dyi":
            records = self._dyi_records(source, options)
        else:
            raise CollectError(
                f"{source.name}: not a Facebook export netmap reads (CrowdTangle CSV, Meta "
                "Content Library CSV/JSON, or 'Download your information' JSON)"
            )
        for location, build, reason, text in records:
            batch = em.batch
            if build is None:
                batch.reject(location, reason, _text(text))
            else:
                n_nodes, n_edges = len(batch.nodes), len(batch.edges)
                try:
                    build(em)
                except _Reject as exc:
                    em.rollback(n_nodes, n_edges)
                    batch.reject(location, str(exc), _text(text))
                except (TypeError, ValueError, AttributeError, KeyError) as exc:
                    em.rollback(n_nodes, n_edges)
                    batch.reject(location, f"unusable record: {exc}", _text(text))
                else:
                    batch.ok()
            if batch.read >= size:
                yield batch
                em.new_batch()
        if em.batch.read or em.batch.nodes:
            yield em.batch

    # Each record source yields (location, builder or None, reason, excerpt); the excerpt
    # is a string or a function giving it, so rows that are kept never build one.

    def _csv_records(self, source: Source, kind: str) -> Iterator[tuple[str, Any, str, Any]]:
        head_text, encoding = decode_bytes(source.head())
        if encoding.startswith("utf-16"):
            raise CollectError(f"{source.name}: UTF-16 CSV is not read; save it as UTF-8")
        encoding = "utf-8-sig" if encoding == "utf-8" else encoding
        delim = _delimiter(head_text.lstrip("\ufeff").split("\n", 1)[0])
        limit = csv.field_size_limit()
        csv.field_size_limit(max(limit, min(sys.maxsize, 256 * 1024 * 1024)))
        with source.open() as raw:
            fh = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
            reader = csv.reader(fh, delimiter=delim)
            try:
                header = [h.strip().strip("\ufeff") for h in next(reader)]
            except StopIteration:
                return
            # the score column's name spells out its weights, which differ between exports
            header = ["Overperforming Score" if h.startswith("Overperforming Score") else h
                      for h in header]
            width = len(header)
            row_no = 0
            while True:
                start = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    row_no += 1
                    yield f"row {row_no} (line {start})", None, f"malformed CSV: {exc}", ""
                    continue
                if not any(cells):
                    continue
                row_no += 1
                loc = f"row {row_no} (line {start})"

                def text(cells: list[str] = cells) -> str:
                    return excerpt(",".join(cells))

                if len(cells) != width:
                    if not any(c.strip() for c in cells):
                        row_no -= 1
                        continue
                    yield loc, None, f"row has {len(cells)} fields, the header has {width}", text
                    continue
                if kind == "crowdtangle":
                    row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
                    yield loc, (lambda em, row=row: _ct_row(em, row)), "", text
                else:
                    rec = {h: c for h, c in zip(header, cells, strict=True) if c != ""}
                    yield loc, (lambda em, rec=rec: _mcl_record(em, rec)), "", text

    def _mcl_json_records(self, source: Source) -> Iterator[tuple[str, Any, str, Any]]:
        for doc in load_json_documents(source.path, source.name):
            prefix = f"{doc.location} " if doc.location else ""
            if doc.error:
                yield doc.location, None, doc.error, doc.raw
                continue
            value = doc.value
            if isinstance(value, dict) and isinstance(value.get("data"), list):
                items = value["data"]
            elif isinstance(value, list):
                items = value
            elif isinstance(value, dict) and "id" in value:
                items = [value]  # one record per line
            elif isinstance(value, dict) and (value.get("error") or value.get("errors")):
                err = str(value.get("error") or value.get("errors"))[:200]
                yield doc.location or "file", None, f"API error response: {err}", ""
                continue
            else:
                yield (doc.location or "file", None,
                       "neither a Content Library page ({'data': [...]}) nor a list of records",
                       excerpt(str(value)))
                continue
            for k, item in enumerate(items, start=1):
                yield f"{prefix}item {k}", self._mcl_builder(item), "", _lazy(item)

    @staticmethod
    def _mcl_builder(item: Any) -> Any:
        def build(em: _Emitter) -> None:
            if not isinstance(item, dict):
                raise _Reject("record is not a JSON object")
            _mcl_record(em, _flatten(item))
        return build

    def _dyi_records(self, source: Source, options: CollectOptions
                     ) -> Iterator[tuple[str, Any, str, Any]]:
        owner: _DyiOwner | None = None
        for doc in load_json_documents(source.path, source.name):
            if doc.error:
                yield doc.location or "file", None, doc.error, doc.raw
                continue
            value = fix_mojibake_deep(doc.value)
            prefix = f"{doc.location} " if doc.location else ""
            if isinstance(value, dict) and isinstance(value.get("profile_v2"), dict):
                profile = value["profile_v2"]
                yield (f"{prefix}profile_v2".strip(),
                       (lambda em, p=profile: _dyi_profile(em, p)), "", _lazy(profile))
                continue
            if owner is None:
                owner = _dyi_owner(source, options)
            lists: list[tuple[str, str, list[Any]]] = []
            if isinstance(value, list):
                lists.append(("", "post", value))
            elif isinstance(value, dict):
                for name, kind in _DYI_LISTS.items():
                    if isinstance(value.get(name), list):
                        lists.append((name + " ", kind, value[name]))
            if not lists:
                yield (doc.location or "file", None,
                       "not a 'Download your information' posts, group posts or comments file",
                       excerpt(str(value)))
                continue
            for label, kind, entries in lists:
                for k, entry in enumerate(entries, start=1):
                    yield (f"{prefix}{label}item {k}",
                           (lambda em, e=entry, kd=kind, ow=owner: _dyi_entry(em, e, kd, ow)),
                           "", _lazy(entry))
