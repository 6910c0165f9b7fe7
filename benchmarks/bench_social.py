"""Records per second of the telegram, vk, mastodon and bluesky collectors, each alone.

Generates a file of N records (default 50,000) in each real format — a
Telegram Desktop channel export, VK ``wall.get`` pages as JSON lines,
Mastodon timeline pages as JSON lines, Bluesky ``getAuthorFeed`` pages as
JSON lines — with Cyrillic text, links, mentions, hashtags, replies and
reposts, then times ``Collector.read`` over it (batches built, nothing
stored), and optionally the whole ``netmap.pipeline.collect`` into SQLite.

    python benchmarks/bench_social.py [--records 50000] [--store] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

from netmap.collect import get_collector
from netmap.collect.base import CollectOptions, Source

BLOGS = [f"https://blog{i}.wordpress.com/2013/11/{i % 28 + 1:02d}/post-{i}/" for i in range(500)]
WORDS = "выборы дебаты соцсети бойкот явка участок кандидат президент блог новости".split()


def _text(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def telegram(path: Path, n: int, rng: random.Random) -> None:
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


FORMATS = {"telegram": ("result.json", telegram), "vk": ("wall.jsonl", vk),
           "mastodon": ("timeline.jsonl", mastodon), "bluesky": ("feed.jsonl", bluesky)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=50_000)
    ap.add_argument("--store", action="store_true", help="also time pipeline.collect into SQLite")
    ap.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="netmap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for name, (fname, make) in FORMATS.items():
            path = work / fname
            make(path, args.records, random.Random(13))
            t = time.perf_counter()
            cpu = time.process_time()
            read = nodes = edges = 0
            for batch in get_collector(name).read(Source.from_path(path), CollectOptions()):
                read += batch.read
                nodes += len(batch.nodes)
                edges += len(batch.edges)
            secs = time.perf_counter() - t
            cpu = time.process_time() - cpu
            # CPU time too: on a shared machine the wall clock also measures the neighbours
            line = (f"{name:9s} {read:7d} records {path.stat().st_size / 1e6:6.1f} MB  "
                    f"{secs:6.2f} s  {read / secs:8.0f} records/s  (CPU {cpu:5.2f} s, "
                    f"{read / cpu:6.0f}/s; {nodes} nodes, {edges} edges)")
            if args.store:
                from netmap.pipeline import collect
                from netmap.store.sqlite import SQLiteStore

                with SQLiteStore(work / f"{name}.db") as store:
                    t = time.perf_counter()
                    collect(store, name, [str(path)])
                    line += f"  with SQLite store {read / (time.perf_counter() - t):8.0f} records/s"
            print(line, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
