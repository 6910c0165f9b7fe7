"""Records per second of the social-media and blog collectors, each alone.

Generates N input records (default 50,000) in each real format — a Telegram
Desktop channel export, VK ``wall.get`` pages, Mastodon timeline pages and
Bluesky ``getAuthorFeed`` pages as JSON lines, a 4CAT Twitter CSV with its
``table`` mapping, a CrowdTangle Facebook CSV, Odnoklassniki API responses as
JSON lines, a saved WordPress REST API dump, and a folder of saved blog post
pages for ``html`` — with Cyrillic text, links to blog posts, mentions,
hashtags, replies and reposts where the format has them, then times
``Collector.read`` over it (batches built, nothing stored), and optionally the
whole ``netmap.pipeline.collect`` into SQLite. Every generated record is one
the collector counts as read and none is rejected.

    python benchmarks/bench_social.py [--records 50000] [--store] [--keep DIR] [--formats a,b]

Importable without side effects: ``GENERATORS`` (collector name -> generator),
``input_path(fmt, folder)``, ``collect_args(fmt, path)`` and
``collect_options(fmt, path)``.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import random
import shutil
import string
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from netmap.collect import get_collector
from netmap.collect.base import CollectOptions, expand_inputs

BLOGS = [f"https://blog{i}.wordpress.com/2013/11/{i % 28 + 1:02d}/post-{i}/" for i in range(500)]
WORDS = "выборы дебаты соцсети бойкот явка участок кандидат президент блог новости".split()


def _text(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _code(rng: random.Random, n: int) -> str:
    """A short-link code (t.co, bit.ly)."""
    return "".join(rng.choices(string.ascii_letters + string.digits, k=n))


def telegram(path: Path, n: int, rng: random.Random) -> None:
    """A Telegram Desktop export of one channel: n messages with links, hashtags and mentions; 10% forwards, 10% replies."""
    msgs = []
    for i in range(1, n + 1):
        link = rng.choice(BLOGS) + "?utm_source=telegram"
        parts = [_text(rng) + " ", {"type": "link", "text": link}, " ",
                 {"type": "hashtag", "text": "#выборы2013"}, " ", {"type": "mention", "text": f"@user{i % 900}"}]
        m = {"id": i, "type": "message", "date": "2013-11-06T10:00:00", "date_unixtime": str(1383714000 + i),
             "from": "Канал", "from_id": "channel1001234567", "text": parts,
             "text_entities": [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in parts]}
        if i % 10 == 0:
            m["forwarded_from"] = f"Источник {i % 50}"
            m["forwarded_from_id"] = f"channel{2000 + i % 50}"
        elif i % 5 == 0:
            m["reply_to_message_id"] = i - 1
        msgs.append(m)
    path.write_text(json.dumps({"name": "Канал", "type": "public_channel", "id": 1001234567,
                                "messages": msgs}, ensure_ascii=False, indent=1), "utf-8")


def vk(path: Path, n: int, rng: random.Random) -> None:
    """VK ``wall.get`` responses as JSON lines, 100 posts a page; 10% reposts (``copy_history``)."""
    with open(path, "w", encoding="utf-8") as fh:
        for page in range(0, n, 100):
            items = []
            for i in range(page, min(page + 100, n)):
                owner = -(1000 + i % 300)
                p = {"id": i + 1, "from_id": owner, "owner_id": owner, "date": 1383714000 + i,
                     "post_type": "post", "text": _text(rng) + f" #выборы [id{i % 700 + 1}|Имя]",
                     "attachments": [{"type": "link", "link": {"url": rng.choice(BLOGS), "title": "t"}}],
                     "comments": {"count": 1}, "likes": {"count": 3}, "reposts": {"count": 0},
                     "views": {"count": 100}}
                if i % 10 == 0:
                    p["copy_history"] = [{"id": i, "owner_id": 5, "from_id": 5, "date": 1383710000,
                                          "post_type": "post", "text": _text(rng)}]
                items.append(p)
            profiles = [{"id": u, "first_name": "Имя", "last_name": "Фамилия", "screen_name": f"user{u}"}
                        for u in range(1, 50)]
            groups = [{"id": g, "name": f"Группа {g}", "screen_name": f"group{g}", "is_closed": 0,
                       "type": "page"} for g in range(1000, 1050)]
            fh.write(json.dumps({"response": {"count": n, "items": items, "profiles": profiles,
                                              "groups": groups}}, ensure_ascii=False) + "\n")


def mastodon(path: Path, n: int, rng: random.Random) -> None:
    """Mastodon timeline pages (40 statuses) as JSON lines; 10% reblogs, 20% replies."""
    def account(i: int) -> dict:
        return {"id": str(i), "username": f"user{i}", "acct": f"user{i}@inst{i % 20}.social",
                "display_name": f"User {i}", "note": "<p>bio</p>", "url": f"https://inst{i % 20}.social/@user{i}",
                "followers_count": i, "fields": []}

    def status(i: int) -> dict:
        a = account(i % 2000)
        link = rng.choice(BLOGS)
        content = (f'<p>{_text(rng)} <a href="{link}" rel="nofollow noopener noreferrer" target="_blank">'
                   f'<span class="invisible">https://</span><span class="ellipsis">{link[8:38]}</span></a> '
                   '<span class="h-card"><a href="https://inst1.social/@user1" class="u-url mention">@<span>'
                   'user1</span></a></span> <a href="https://inst1.social/tags/выборы" class="mention hashtag" '
                   'rel="tag">#<span>выборы</span></a></p>')
        return {"id": str(10**17 + i), "created_at": "2013-11-06T09:00:00.000Z",
                "in_reply_to_id": str(10**17 + i - 1) if i % 5 == 0 else None,
                "in_reply_to_account_id": None, "spoiler_text": "", "visibility": "public", "language": "ru",
                "uri": f"https://inst{i % 20}.social/users/user{i % 2000}/statuses/{10**17 + i}",
                "url": f"https://inst{i % 20}.social/@user{i % 2000}/{10**17 + i}", "content": content,
                "reblog": None, "account": a, "media_attachments": [],
                "mentions": [{"id": "1", "username": "user1", "acct": "user1@inst1.social",
                              "url": "https://inst1.social/@user1"}],
                "tags": [{"name": "выборы", "url": "https://inst1.social/tags/выборы"}],
                "replies_count": 0, "reblogs_count": 0, "favourites_count": 1}

    with open(path, "w", encoding="utf-8") as fh:
        for page in range(0, n, 40):
            out = []
            for i in range(page, min(page + 40, n)):
                s = status(i)
                if i % 10 == 0:
                    s = {**status(i), "id": str(2 * 10**17 + i), "content": "", "url": None,
                         "uri": f"https://inst1.social/users/user7/statuses/{2 * 10**17 + i}/activity",
                         "reblog": status(i + n)}
                out.append(s)
            fh.write(json.dumps(out, ensure_ascii=False) + "\n")


def bluesky(path: Path, n: int, rng: random.Random) -> None:
    """Bluesky ``getAuthorFeed`` pages (100 items) as JSON lines; 10% reposts, 10% replies."""
    def author(i: int) -> dict:
        return {"did": f"did:plc:author{i:019d}", "handle": f"user{i}.bsky.social", "displayName": f"User {i}"}

    def post(i: int) -> dict:
        head = f"{_text(rng)} 🗳️ "
        tag = "#выборы"
        mention = f"@user{i % 500}.bsky.social"
        text = f"{head}{tag} {mention}"
        b = text.encode()
        t0 = len(head.encode())
        m0 = b.index(mention.encode())
        rec = {"$type": "app.bsky.feed.post", "createdAt": "2013-11-06T10:00:00.000Z", "langs": ["ru"],
               "text": text, "facets": [
                   {"index": {"byteStart": t0, "byteEnd": t0 + len(tag.encode())},
                    "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "выборы"}]},
                   {"index": {"byteStart": m0, "byteEnd": len(b)},
                    "features": [{"$type": "app.bsky.richtext.facet#mention",
                                  "did": f"did:plc:author{i % 500:019d}"}]}],
               "embed": {"$type": "app.bsky.embed.external",
                         "external": {"uri": rng.choice(BLOGS), "title": "t", "description": ""}}}
        a = author(i % 3000)
        return {"uri": f"at://{a['did']}/app.bsky.feed.post/3k{i:011d}", "cid": "bafy", "author": a,
                "record": rec, "replyCount": 0, "repostCount": 0, "likeCount": 1, "quoteCount": 0,
                "indexedAt": "2013-11-06T10:00:00.000Z"}

    with open(path, "w", encoding="utf-8") as fh:
        for page in range(0, n, 100):
            feed = []
            for i in range(page, min(page + 100, n)):
                item: dict = {"post": post(i)}
                if i % 10 == 0:
                    item["reason"] = {"$type": "app.bsky.feed.defs#reasonRepost", "by": author(7),
                                      "indexedAt": "2013-11-06T11:00:00.000Z"}
                elif i % 5 == 0:
                    parent = post(i + n)
                    item["post"]["record"]["reply"] = {"root": {"uri": parent["uri"], "cid": "x"},
                                                       "parent": {"uri": parent["uri"], "cid": "x"}}
                    item["reply"] = {"root": parent, "parent": parent}
                feed.append(item)
            fh.write(json.dumps({"feed": feed, "cursor": "x"}, ensure_ascii=False) + "\n")


T0 = 1383714000  # 2013-11-06 05:00 UTC, election day in Tajikistan
NAMES = "Фаррух Дильшод Нигора Гулнора Рустам Зарина Бахтиёр Манижа Сухроб Шахло".split()
TAGS = ["выборы2013", "бойкот", "явка", "Таджикистан", "дебаты"]


def _when(ts: float, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(ts, UTC).strftime(fmt)


def _name(i: int) -> str:
    return f"{NAMES[i % len(NAMES)]} {chr(0x410 + i % 32)}."


TABLE_COLUMNS = ["id", "thread_id", "timestamp", "unix_timestamp", "body", "author", "author_fullname",
                 "author_id", "language_guess", "retweet_count", "is_retweet", "retweeted_id",
                 "is_quote_tweet", "quoted_id", "is_reply", "reply_to_id", "hashtags", "urls",
                 "mentions", "stance"]
TABLE_MAPPING = """\
# A 4CAT Twitter export written by benchmarks/bench_social.py; read it with
#   netmap collect table FILE.csv --mapping FILE.csv.yaml
platform: twitter
format: csv
time_format: "%Y-%m-%d %H:%M:%S"
list_separator: ","
columns:
  id: id
  time: timestamp
  text: body
  author: author
  author_name: author_fullname
  lang: language_guess
  shared: retweeted_id
  quoted: quoted_id
  parent: reply_to_id
  hashtags: hashtags
  shared_url: urls
  mentions: mentions
  group: stance
"""


def table(path: Path, n: int, rng: random.Random) -> None:
    """A 4CAT-style CSV export of tweets at ``path``, and its column mapping at ``<path>.yaml``.

    ``netmap collect table FILE --mapping FILE.yaml`` reads it: one row per tweet,
    with retweets, replies and quote tweets of earlier rows, t.co links in the
    text expanded in ``urls``, hashtags and mentions in their own columns.
    """
    path.with_name(path.name + ".yaml").write_text(TABLE_MAPPING, "utf-8")
    base = 396_100_000_000_000_000
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(TABLE_COLUMNS)
        for i in range(n):
            tid, ts, user = base + i, T0 + 11 * i, i % 900
            tags = [TAGS[0]] + ([rng.choice(TAGS[1:])] if i % 3 == 0 else [])
            mentions = [f"user{(i * 7 + 1) % 900}"]
            body = f"{_text(rng)} https://t.co/{_code(rng, 10)} " + " ".join("#" + t for t in tags)
            shared = quoted = parent = ""
            thread = tid
            if i and i % 10 == 0:
                j = rng.randrange(i)
                shared, mentions = str(base + j), [f"user{j % 900}"]
                body = f"RT @user{j % 900}: {body}"
            elif i and i % 5 == 0:
                j = rng.randrange(i)
                parent = str(base + j)
                thread = base + j
                mentions.insert(0, f"user{j % 900}")
                body = f"@user{j % 900} {body}"
            elif i and i % 7 == 0:
                j = rng.randrange(i)
                quoted = str(base + j)
                body = f"{body} https://twitter.com/user{j % 900}/status/{base + j}"
            link = rng.choice(BLOGS) + "?utm_source=twitter&utm_medium=social"
            out.writerow([tid, thread, _when(ts), ts, body, f"user{user}", _name(user), 1000 + user,
                          "ru", rng.randrange(50), "yes" if shared else "no", shared,
                          "yes" if quoted else "no", quoted, "yes" if parent else "no", parent,
                          ",".join(tags), link, ",".join(mentions),
                          rng.choice(["supporter", "boycott", "neutral", ""])])


FACEBOOK_COLUMNS = [
    "Page Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country",
    "Page Description", "Page Created", "Likes at Posting", "Followers at Posting", "Post Created",
    "Post Created Date", "Post Created Time", "Type", "Total Interactions", "Likes", "Comments",
    "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care", "Video Share Status",
    "Is Video Owner?", "Post Views", "Total Views", "Total Views For All Crossposts",
    "Video Length", "URL", "Message", "Link", "Final Link", "Image Text", "Link Text",
    "Description", "Sponsor Id", "Sponsor Name", "Sponsor Category",
    "Overperforming Score (weighted  —  Likes 1x Shares 1x Comments 1x Love 1x Wow 1x Haha 1x "
    "Sad 1x Angry 1x Care 1x )",
]
_FB_ZONES = [("EST", -5), ("UTC", 0), ("MSK", 4), ("TJT", 5)]  # MSK was UTC+4 in 2013


def facebook(path: Path, n: int, rng: random.Random) -> None:
    """A CrowdTangle CSV export of n Facebook page posts (links, statuses, photos, videos).

    CrowdTangle gives no replies or shares between posts: the graph gets the
    pages, their posts, the links they share (short link plus final link) and hashtags.
    """
    pages = ["Ватандор", "Озоди фикр", "Нигоҳ — Дидбони интихобот", "Бойкот 2013", "Азия-Плюс",
             "Голос Душанбе", "Хабархо", "Майдон"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(FACEBOOK_COLUMNS)
        for i in range(n):
            p = i % 120
            name, user = f"{pages[p % len(pages)]} {p}", f"page.{p}.tj"
            pid = 10151234567890000 + i
            zone, hours = _FB_ZONES[i % len(_FB_ZONES)]
            local = _when(T0 + 60 * i + 3600 * hours)
            kind = ["Link", "Link", "Link", "Status", "Photo", "Link", "Native Video"][i % 7]
            text = f"{_text(rng)} #{rng.choice(TAGS)}"
            url = f"https://www.facebook.com/{user}/posts/{pid}"
            link = final = link_text = desc = ""
            if kind == "Link":
                link = f"http://bit.ly/{_code(rng, 7)}"
                final = rng.choice(BLOGS) + "?utm_source=facebook&utm_medium=social"
                text = f"{text}\nЧитайте: {link}"
                link_text, desc = _text(rng, 5).capitalize(), _text(rng, 9)
            elif kind == "Status" and i % 2:
                text = f"{text} {rng.choice(BLOGS)} (советую)"
            elif kind == "Photo":
                url = f"https://www.facebook.com/{user}/photos/a.{4455 + p}.1073741825.{4433 + p}/{pid}/"
                link = url + "?type=3"
            elif kind == "Native Video":
                url = f"https://www.facebook.com/{user}/videos/{pid}/"
                link = url
            likes, comments, shares = rng.randrange(5000), rng.randrange(300), rng.randrange(200)
            love, angry = rng.randrange(100), rng.randrange(50)
            out.writerow([
                name, user, 301234567890000 + p, "MEDIA_NEWS_COMPANY" if p % 3 else "POLITICAL_ORGANIZATION",
                "TJ", f"Новости и мнения {p}", "2012-05-03 10:00:00", f"{1000 + 37 * p:,}",
                f"{1200 + 41 * p:,}", f"{local} {zone}", local[:10], local[11:], kind,
                f"{likes + comments + shares + love + angry:,}", f"{likes:,}", comments, shares,
                love, 0, 0, 0, angry, 0, "", "", "", "", "", "", url, text, link, final, "",
                link_text, desc, "", "", "", f"{rng.uniform(-3, 3):.2f}",
            ])


def ok(path: Path, n: int, rng: random.Random) -> None:
    """Odnoklassniki API responses as JSON lines: ``mediatopic.getByIds`` and ``discussions.getComments``.

    Each page holds up to 20 group and user topics (text, a link wrapped in
    OK's ``outLinkWarning`` redirect, hashtags; every 8th a reshare of a topic
    given in ``entities.media_topics``, which is context and not counted),
    followed by a comments response of up to 5 comments on the page's first
    topic (threaded, some answering a user). Topics plus comments make n.
    """
    users = [{"uid": str(574521190000 + u), "first_name": NAMES[u % len(NAMES)],
              "last_name": f"{chr(0x410 + u % 32)}ова", "name": _name(u),
              "url_profile": f"https://ok.ru/user.{u}" if u % 2 else f"https://ok.ru/profile/{574521190000 + u}",
              "location": {"city": "Душанбе", "country": "TAJIKISTAN", "countryCode": "TJ"}}
             for u in range(40)]
    groups = [{"uid": str(53038939046000 + g), "name": f"Группа {g} — Ватан", "shortname": f"vatan{g}",
               "description": "Хабарҳо ва таҳлил", "members_count": f"{1000 + 250 * g:,}"}
              for g in range(15)]

    def wrapped(url: str) -> str:
        return "http://www.odnoklassniki.ru/dk?st.cmd=outLinkWarning&st.rfn=" + quote(url, safe="")

    def topic(tid: int, i: int, media: list[dict]) -> dict:
        by_user = i % 4 == 3
        ref = f"user:{users[i % 40]['uid']}" if by_user else f"group:{groups[i % 15]['uid']}"
        return {"id": str(tid), "created_ms": (T0 + 90 * i) * 1000, "media": media,
                "author_ref": ref, "owner_ref": ref, "has_more": False,
                "discussion_summary": {"comments_count": str(rng.randrange(40))},
                "like_summary": {"count": f"{rng.randrange(3000):,}", "self": False},
                "reshare_summary": {"count": rng.randrange(30), "self": False, "reshare_possible": True}}

    def text_block() -> dict:
        return {"type": "text", "text": f"{_text(rng)} #{rng.choice(TAGS)}"}

    def link_block() -> dict:
        return {"type": "link", "url": wrapped(rng.choice(BLOGS) + "?utm_source=ok"),
                "title": _text(rng, 4).capitalize(), "description": _text(rng, 8)}

    with open(path, "w", encoding="utf-8") as fh:
        i = comment = 0
        while i < n:
            count = min(20, n - i)
            topics, originals = [], []
            for k in range(i, i + count):
                if k % 8 == 7:
                    orig = 61_000_000_000_000 + k
                    originals.append(topic(orig, k + 1, [text_block(), link_block()]))
                    media = [{"type": "text", "text": "Согласна! #выборы2013"},
                             {"type": "reshare", "reshared_topic_ref": f"media_topic:{orig}"}]
                else:
                    media = [text_block(), link_block()]
                topics.append(topic(62_000_000_000_000 + k, k, media))
            page = {"media_topics": topics, "entities": {"users": users, "groups": groups,
                                                         "media_topics": originals}}
            fh.write(json.dumps({"request": {"method": "mediatopic.getByIds",
                                             "params": {"topic_ids": ",".join(t["id"] for t in topics)}},
                                 "response": page}, ensure_ascii=False) + "\n")
            i += count
            count = min(5, n - i)
            if not count:
                break
            comments = []
            for k in range(count):
                comment += 1
                c = {"id": base64.b64encode(f"{topics[0]['id']}:{comment}".encode()).decode(),
                     "text": _text(rng, 8), "author_id": users[comment % 40]["uid"],
                     "author_type": "USER", "date": _when(T0 + 30 * comment),
                     "date_ms": (T0 + 30 * comment) * 1000, "like_count": str(rng.randrange(20))}
                if k and k % 2:
                    c["reply_to_comment_id"] = comments[-1]["id"]
                elif k:
                    c["reply_to_id"] = users[(comment + 3) % 40]["uid"]
                    c["text"] += f" см. {rng.choice(BLOGS)}"
                comments.append(c)
            fh.write(json.dumps({"request": {"method": "discussions.getComments", "params": {
                "discussionId": topics[0]["id"], "discussionType": "GROUP_TOPIC", "count": "100"}},
                "response": {"comments": comments, "has_more": False,
                             "anchor": comments[-1]["id"]}}, ensure_ascii=False) + "\n")
            i += count


WP_HOME = "https://dilshod-notes.tj/"


def wordpress(path: Path, n: int, rng: random.Random) -> None:
    """One WordPress site's REST API saved as JSON: ``/users``, ``/posts?_embed`` and ``/comments`` pages.

    The pages are JSON lists one per line, as ``curl …&page=N >> dump.json``
    writes them. Users, posts and comments are all input records: a few users,
    then about a third of the rest posts (links to blog posts, embedded tweets
    and Telegram posts, categories and tags) and two thirds comments (threads,
    commenters with Twitter or LiveJournal profiles, pingbacks).
    """
    n_users = min(10, max(1, n // 20))
    rest = n - n_users
    n_posts = (rest + 2) // 3
    n_comments = rest - n_posts
    users = [{"id": u, "name": _name(u), "url": f"https://user{u}.example.net" if u % 2 else "", "description": "Журналист", "link": f"{WP_HOME}author/user{u}/",
              "slug": f"user{u}", "avatar_urls": {s: f"https://secure.gravatar.com/avatar/u{u}?s={s}&d=mm&r=g"
                                                 for s in ("24", "48", "96")}, "meta": [], "_links": {}}
             for u in range(1, n_users + 1)]
    terms = [{"id": 10 + t, "link": f"{WP_HOME}tag/tag{t}/", "name": tag, "slug": f"tag{t}",
              "taxonomy": "post_tag"} for t, tag in enumerate(TAGS)]
    category = {"id": 3, "link": f"{WP_HOME}category/politika/", "name": "Политика",
                "slug": "politika", "taxonomy": "category"}

    def link_of(p: int) -> str:
        return f"{WP_HOME}2013/11/{p % 28 + 1:02d}/zapis-{p}/"

    def post(p: int) -> dict:
        pid = 100 + p
        author = users[p % n_users] if users else None
        ts = T0 - 86400 + 600 * p
        body = f'<p>{_text(rng)} <a href="{rng.choice(BLOGS)}">{_text(rng, 3)}</a>.</p>\n'
        if p % 4 == 1:
            tweet = 397_312_345_678_901_234 + p
            body += (f'<blockquote class="twitter-tweet"><p lang="ru" dir="ltr">{_text(rng, 6)} '
                     f'<a href="https://t.co/x{p}">pic.twitter.com/x{p}</a></p>&mdash; {_name(p)} '
                     f'(@user{p % 900}) <a href="https://twitter.com/user{p % 900}/status/{tweet}">'
                     'November 6, 2013</a></blockquote>\n')
        if p % 6 == 2:
            body += ('<script async src="https://telegram.org/js/telegram-widget.js?22" '
                     f'data-telegram-post="asiaplus/{1200 + p}"></script>\n')
        if p:
            body += f'<p><a href="/2013/11/{(p - 1) % 28 + 1:02d}/zapis-{p - 1}/">Раньше</a> я писал об этом.</p>\n'
        tags = [terms[p % len(terms)], terms[(p + 2) % len(terms)]]
        obj = {"id": pid, "date": _when(ts + 5 * 3600, "%Y-%m-%dT%H:%M:%S"),
               "date_gmt": _when(ts, "%Y-%m-%dT%H:%M:%S"), "guid": {"rendered": f"{WP_HOME}?p={pid}"},
               "slug": f"zapis-{p}", "status": "publish", "type": "post", "link": link_of(p),
               "title": {"rendered": f"{_text(rng, 4).capitalize()} &#8212; запись {p}"},
               "content": {"rendered": body, "protected": False},
               "excerpt": {"rendered": f"<p>{_text(rng, 6)}&#8230;</p>\n", "protected": False},
               "author": author["id"] if author else 0, "comment_status": "open", "ping_status": "open",
               "format": "standard", "categories": [3], "tags": [t["id"] for t in tags],
               "_links": {"self": [{"href": f"{WP_HOME}wp-json/wp/v2/posts/{pid}"}]},
               "_embedded": {"author": [author] if author else [], "wp:term": [[category], tags]}}
        return obj

    def comment(c: int) -> dict:
        cid = 1000 + c
        p = c % n_posts
        ts = T0 + 120 * c
        obj = {"id": cid, "post": 100 + p, "parent": 0, "author": 0, "author_name": _name(c + 3),
               "author_url": "", "date": _when(ts + 5 * 3600, "%Y-%m-%dT%H:%M:%S"),
               "date_gmt": _when(ts, "%Y-%m-%dT%H:%M:%S"),
               "content": {"rendered": f"<p>{_text(rng, 7)}</p>\n"},
               "link": f"{link_of(p)}#comment-{cid}", "status": "approved", "type": "comment",
               "author_avatar_urls": {"48": f"https://secure.gravatar.com/avatar/c{c}?s=48&d=mm&r=g"},
               "meta": [], "_links": {}}
        if c % 15 == 14:
            obj.update(type="pingback", author_name=f"Блог {c}",
                       author_url=f"https://blog{c % 300}.livejournal.com/{10000 + c}.html",
                       content={"rendered": f"<p>[&#8230;] {_text(rng, 6)} [&#8230;]</p>\n"})
        elif c >= n_posts and c % 3 == 0 and (c - n_posts) % 15 != 14:
            obj["parent"] = cid - n_posts  # answers an earlier comment on the same post
            if c % 2 and users:
                obj.update(author=users[c % n_users]["id"], author_name=users[c % n_users]["name"])
        elif c % 3 == 1:
            obj["author_url"] = f"https://twitter.com/user{c % 900}"
            obj["content"] = {"rendered": f'<p>{_text(rng, 5)} <a href="{rng.choice(BLOGS)}" '
                                          'rel="nofollow ugc">вот</a>.</p>\n'}
        elif c % 3 == 2:
            obj["author_url"] = f"http://user{c % 500}.livejournal.com/"
        return obj

    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(users, ensure_ascii=False) + "\n")
        for start in range(0, n_posts, 100):
            page = [post(p) for p in range(start, min(start + 100, n_posts))]
            fh.write(json.dumps(page, ensure_ascii=False) + "\n")
        for start in range(0, n_comments, 100):
            page = [comment(c) for c in range(start, min(start + 100, n_comments))]
            fh.write(json.dumps(page, ensure_ascii=False) + "\n")


def _html_comment(cid: int, page_url: str, rng: random.Random, children: str = "", depth: int = 1) -> str:
    """One comment of a WordPress theme's comment list (``children``: its nested replies)."""
    c = cid
    if c % 4 == 0:
        who = (f'<b class="fn"><a href="https://twitter.com/user{c % 900}" rel="external nofollow ugc" '
               f'class="url">{_name(c)}</a></b>')
    elif c % 4 == 1:
        who = f'<b class="fn"><a href="http://user{c % 500}.livejournal.com/" class="url">{_name(c)}</a></b>'
    else:
        who = f'<b class="fn">{_name(c)}</b>'
    link = f' <a href="{rng.choice(BLOGS)}" rel="nofollow ugc">ссылка</a>' if c % 3 == 0 else ""
    return (f'<li id="comment-{cid}" class="comment depth-{depth}">\n'
            f'<article id="div-comment-{cid}" class="comment-body">\n'
            f'<footer class="comment-meta"><div class="comment-author vcard">{who} '
            '<span class="says">пишет:</span></div>\n'
            f'<div class="comment-metadata"><a href="{page_url}#comment-{cid}"><time datetime="'
            f'{_when(T0 + 60 * cid, "%Y-%m-%dT%H:%M:%S")}+00:00">06.11.2013</time></a></div></footer>\n'
            f'<div class="comment-content"><p>{_text(rng, 7)}{link}</p></div>\n'
            f'<div class="reply"><a class="comment-reply-link" href="{page_url}?replytocom={cid}#respond">'
            f'Ответить</a></div>\n</article>{children}</li>\n')


def html(path: Path, n: int, rng: random.Random) -> None:
    """Saved blog post pages in the folder ``path``, one file per page; n counts pages plus comments.

    The html collector counts each page as one record and each comment or
    pingback on it as one more, so pages carry 0-4 comments (replies nested
    under the comment they answer, now and then a pingback) and the last page
    takes what is left to make exactly n. A page names its canonical URL and
    published time, its author in ``<meta name=author>`` and Yoast-style
    JSON-LD (with ``sameAs`` profiles), links to other blogs, tags, and now
    and then an embedded tweet or Telegram post.
    """
    path.mkdir(parents=True, exist_ok=True)
    left, k, cid = n, 0, 5000
    while left > 0:
        comments = min([2, 3, 0, 1, 4][k % 5], left - 1)
        left -= 1 + comments
        url = f"https://blog{k % 500}.wordpress.com/2013/11/{k % 28 + 1:02d}/post-{k}/"
        host = url.split("/")[2]
        author = _name(k % 37)
        person = f"https://{host}/#/schema/person/{k % 37}"
        published = _when(T0 - 86400 + 300 * k, "%Y-%m-%dT%H:%M:%S") + "+00:00"
        title = _text(rng, 5).capitalize()
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "BlogPosting", "@id": url + "#article", "headline": title, "author": {"@id": person},
             "datePublished": published, "inLanguage": "ru-RU", "keywords": [TAGS[k % len(TAGS)], "Таджикистан"]},
            {"@type": "Person", "@id": person, "name": author, "url": f"https://{host}/author/a{k % 37}/",
             "sameAs": [f"https://twitter.com/user{k % 900}", f"https://www.facebook.com/user.{k % 900}"]}]}
        embed = ""
        if k % 3 == 1:
            tweet = 397_400_000_000_000_000 + k
            embed = (f'<blockquote class="twitter-tweet"><p lang="ru" dir="ltr">{_text(rng, 6)}</p>&mdash; '
                     f'{_name(k)} (@user{k % 900}) <a href="https://twitter.com/user{k % 900}/status/{tweet}">'
                     'November 5, 2013</a></blockquote>\n')
        elif k % 5 == 2:
            embed = ('<script async src="https://telegram.org/js/telegram-widget.js?22" '
                     f'data-telegram-post="asiaplus/{2000 + k}"></script>\n')
        items, c = [], 0
        while c < comments:
            cid += 1
            if c + 1 < comments and c % 3 == 0:  # a comment with one reply nested under it
                reply = _html_comment(cid + 1, url, rng, depth=2)
                items.append(_html_comment(cid, url, rng, f'<ol class="children">\n{reply}</ol>\n'))
                cid += 1
                c += 2
            elif c == 3:
                items.append(f'<li id="comment-{cid}" class="pingback even depth-1"><div class="comment-body">'
                             f'Уведомление: <a href="https://tajikblog{k % 50}.net/2013/11/{k}/otvet/" '
                             f'class="url" rel="ugc external nofollow">{_text(rng, 3)}</a></div></li>\n')
                c += 1
            else:
                items.append(_html_comment(cid, url, rng))
                c += 1
        tag = TAGS[(k + 1) % len(TAGS)]
        page = f"""<!DOCTYPE html>
<html lang="ru-RU">
<head>
<meta charset="UTF-8">
<title>{title} | Блог {k % 500}</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{url}?utm_source=og">
<meta property="og:site_name" content="Блог {k % 500}">
<meta property="article:published_time" content="{published}">
<meta property="article:tag" content="{tag}">
<meta name="author" content="{author}">
<meta name="generator" content="WordPress.com">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>
<body class="single single-post">
<header class="site-header"><a href="https://{host}/" rel="home">Блог</a>
<nav><a href="https://{host}/about/">Обо мне</a></nav></header>
<main id="main">
<article id="post-{k}" class="post hentry">
<h1 class="entry-title">{title}</h1>
<span class="byline"><span class="author vcard"><a class="url fn n" href="https://{host}/author/a{k % 37}/">{author}</a></span></span>
<time class="entry-date published" datetime="{published}">06.11.2013</time>
<div class="entry-content">
<p>{_text(rng)} <a href="{rng.choice(BLOGS)}">{_text(rng, 2)}</a>, и ещё
<a href="https://news{k % 20}.tj/ru/node/{170000 + k}">новость</a>. #{tag}</p>
{embed}<p>{_text(rng)} <a href="/2013/11/01/kandidaty/">прошлый пост</a>.</p>
<div class="sharedaddy"><a href="https://twitter.com/intent/tweet?url={quote(url, safe='')}">Twitter</a>
<a href="https://vk.com/share.php?url={quote(url, safe='')}">VK</a></div>
</div>
<footer class="entry-footer"><a href="https://{host}/tag/{k % 5}/" rel="tag">{tag}</a></footer>
</article>
<div id="comments" class="comments-area">
<ol class="comment-list">
{"".join(items)}</ol>
<div id="respond" class="comment-respond"><form action="https://{host}/wp-comments-post.php" method="post">
<textarea name="comment"></textarea></form></div>
</div>
</main>
<footer class="site-footer"><a href="https://wordpress.com/?ref=footer_blog">Blog at WordPress.com.</a></footer>
</body>
</html>
"""
        (path / f"{k:06d}.html").write_text(page, "utf-8")
        k += 1


GENERATORS: dict[str, Callable[[Path, int, random.Random], None]] = {
    "telegram": telegram, "vk": vk, "mastodon": mastodon, "bluesky": bluesky, "table": table,
    "facebook": facebook, "ok": ok, "wordpress": wordpress, "html": html,
}
"""netmap collector name -> generator of its input (``fn(path, n, rng)``)."""

_FILE_NAMES = {"telegram": "result.json", "vk": "wall.jsonl", "mastodon": "timeline.jsonl",
               "bluesky": "feed.jsonl", "table": "4cat_twitter.csv", "facebook": "crowdtangle.csv",
               "ok": "ok_responses.jsonl", "wordpress": "wp_api.json", "html": "html"}


def input_path(fmt: str, folder: Path) -> Path:
    """Where to generate the input of ``fmt`` in ``folder``: a file, or a folder for ``html``."""
    return folder / _FILE_NAMES[fmt]


def collect_args(fmt: str, path: Path) -> list[str]:
    """Extra ``netmap collect FMT INPUT`` arguments the input at ``path`` needs."""
    return ["--mapping", str(path) + ".yaml"] if fmt == "table" else []


def collect_options(fmt: str, path: Path) -> CollectOptions:
    """The :class:`CollectOptions` that :func:`collect_args` amount to (what the CLI builds)."""
    args = collect_args(fmt, path)
    return CollectOptions(extra={"mapping": args[1]} if args[:1] == ["--mapping"] else {})


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size


def _read(name: str, path: Path) -> tuple[int, int, int, int]:
    """Run collector ``name`` over ``path`` (nothing stored): records read, rejected, nodes, edges."""
    read = rejected = nodes = edges = 0
    collector, options = get_collector(name), collect_options(name, path)
    for source in expand_inputs([str(path)]):
        for batch in collector.read(source, options):
            read += batch.read
            rejected += len(batch.rejects)
            nodes += len(batch.nodes)
            edges += len(batch.edges)
    return read, rejected, nodes, edges


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=50_000)
    ap.add_argument("--store", action="store_true", help="also time pipeline.collect into SQLite")
    ap.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    ap.add_argument("--formats", help=f"comma-separated subset of: {', '.join(GENERATORS)}")
    args = ap.parse_args()
    names = args.formats.split(",") if args.formats else list(GENERATORS)
    unknown = [f for f in names if f not in GENERATORS]
    if unknown:
        ap.error(f"unknown format(s): {', '.join(unknown)}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="netmap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        # Warm up on a few records first: lazy imports shared by the collectors would
        # otherwise be charged to whichever format is timed first.
        warm = work / "warmup"
        warm.mkdir(exist_ok=True)
        for name in names:
            path = input_path(name, warm)
            GENERATORS[name](path, 50, random.Random(1))
            _read(name, path)
        shutil.rmtree(warm, ignore_errors=True)
        for name in names:
            path = input_path(name, work)
            GENERATORS[name](path, args.records, random.Random(13))
            t = time.perf_counter()
            cpu = time.process_time()
            read, rejected, nodes, edges = _read(name, path)
            secs = time.perf_counter() - t
            cpu = time.process_time() - cpu
            # CPU time too: on a shared machine the wall clock also measures the neighbours
            line = (f"{name:9s} {read:7d} records {_size(path) / 1e6:6.1f} MB  "
                    f"{secs:6.2f} s  {read / secs:8.0f} records/s  (CPU {cpu:5.2f} s, "
                    f"{read / cpu:6.0f}/s; {nodes} nodes, {edges} edges)")
            if rejected:
                line += f"  {rejected} REJECTED"
            if args.store:
                from netmap.pipeline import collect
                from netmap.store.sqlite import SQLiteStore

                with SQLiteStore(work / f"{name}.db") as store:
                    t = time.perf_counter()
                    collect(store, name, [str(path)], options=collect_options(name, path))
                    line += f"  with SQLite store {read / (time.perf_counter() - t):8.0f} records/s"
            print(line, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
