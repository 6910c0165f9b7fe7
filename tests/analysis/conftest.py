"""Builders for small post graphs written through real Batches into a SQLite store.

Each helper adds what a collector would: the author Account, the Post, its
Site and the relationships, following the graph conventions (keys from
:mod:`netmap.keys`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from netmap.keys import account_key, blog_account_key, hashtag_key, post_key, site_key, url_key
from netmap.model import Batch
from netmap.store.sqlite import SQLiteStore


@dataclass
class GraphBuilder:
    """Accumulates one Batch; ``write(store)`` stores it like a collector run would."""

    batch: Batch = field(default_factory=lambda: Batch("test"))
    _n: int = 0

    def account(self, key: str, **props: object) -> str:
        platform = key.split(":", 1)[0]
        self.batch.node("Account", key, platform=platform, **props)
        return key

    def blog_post(self, host: str, author: str, slug: str,
                  created_at: str = "2013-11-01T10:00:00Z", links: tuple[str, ...] = ()) -> str:
        """A blog article at https://<host>/<slug> by blog:<host>/<author>."""
        url = f"https://{host}/{slug}"
        key = url_key(url)
        acc = self.account(blog_account_key(host, author), handle=author, name=author.title())
        b = self.batch
        b.node("Post", key, platform="blog", kind="post", url=url, created_at=created_at,
               title=slug)
        b.node("Site", site_key(url), name=host, url=f"https://{host}/")
        b.edge("AUTHORED", "Account", acc, "Post", key)
        b.edge("PUBLISHED_ON", "Post", key, "Site", site_key(url))
        for link in links:
            self.link(key, link)
        return key

    def link(self, post: str, target_url: str) -> None:
        """LINKS_TO from a post to a Url (the store's reconcile folds known posts)."""
        key = url_key(target_url)
        self.batch.node("Url", key, url=target_url)
        self.batch.edge("LINKS_TO", "Post", post, "Url", key)

    def comment(self, host: str, commenter: str, parent: str,
                created_at: str = "2013-11-01T12:00:00Z") -> str:
        """A comment under ``parent`` on blog ``host``; ``commenter`` is an account key."""
        self._n += 1
        key = post_key("blog", f"{host}:comment:{self._n}")
        self.account(commenter)
        b = self.batch
        b.node("Post", key, platform="blog", kind="comment", created_at=created_at,
               text="a comment")
        b.edge("AUTHORED", "Account", commenter, "Post", key)
        b.edge("REPLIES_TO", "Post", key, "Post", parent)
        b.edge("PUBLISHED_ON", "Post", key, "Site", site_key(f"https://{host}/"))
        return key

    def tweet(self, handle: str, *, created_at: str = "2013-11-02T09:00:00Z",
              links: tuple[str, ...] = (), retweet_of: str | None = None,
              quote_of: str | None = None, reply_to: str | None = None,
              mentions: tuple[str, ...] = (), platform: str = "twitter") -> str:
        """A social post by ``platform:handle``; returns its key."""
        self._n += 1
        key = post_key(platform, 1000 + self._n)
        acc = self.account(account_key(platform, handle), handle=handle)
        b = self.batch
        kind = "share" if retweet_of else "quote" if quote_of else "reply" if reply_to else "post"
        b.node("Post", key, platform=platform, kind=kind, created_at=created_at, text="t")
        b.edge("AUTHORED", "Account", acc, "Post", key)
        for link in links:
            self.link(key, link)
        if retweet_of:
            b.edge("SHARES", "Post", key, "Post", retweet_of)
        if quote_of:
            b.edge("QUOTES", "Post", key, "Post", quote_of)
        if reply_to:
            b.edge("REPLIES_TO", "Post", key, "Post", reply_to)
        for m in mentions:
            self.account(m)
            b.edge("MENTIONS", "Post", key, "Account", m)
        return key

    def tag(self, post: str, tag: str) -> None:
        """TAGGED from a post to a hashtag."""
        key = hashtag_key(tag)
        self.batch.node("Hashtag", key, tag=tag)
        self.batch.edge("TAGGED", "Post", post, "Hashtag", key)

    def write(self, store: SQLiteStore) -> SQLiteStore:
        run = store.begin_run("test", ["builder"], {})
        self.batch.ok()
        store.write_batch(self.batch, run)
        store.reconcile_links()
        store.end_run(run, read=1, stored=1, rejected=0)
        self.batch = Batch("test")
        return store


@pytest.fixture
def builder() -> GraphBuilder:
    return GraphBuilder()


def share_graph(builder: GraphBuilder, ties: list[tuple[str, str]], platform: str = "twitter",
                platforms: dict[str, str] | None = None) -> None:
    """One original post per account, and one share (retweet) per ``(sharer, author)`` tie.

    Handles are plain names; ``platforms`` overrides the platform per handle.
    """
    platforms = platforms or {}
    names = sorted({n for tie in ties for n in tie})
    originals = {
        n: builder.tweet(n, platform=platforms.get(n, platform)) for n in names
    }
    for sharer, author in ties:
        builder.tweet(sharer, platform=platforms.get(sharer, platform),
                      retweet_of=originals[author])


def planted_ties(sizes: list[int], p_in: float, n_out: int, seed: int = 0,
                 ) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Dense planted groups (tie probability ``p_in`` inside) plus ``n_out`` random cross ties."""
    import random

    rng = random.Random(seed)
    truth: dict[str, int] = {}
    members: list[list[str]] = []
    for g, size in enumerate(sizes):
        names = [f"g{g}u{i}" for i in range(size)]
        members.append(names)
        truth.update({n: g for n in names})
    ties: list[tuple[str, str]] = []
    for names in members:
        for a in names:
            for b in names:
                if a != b and rng.random() < p_in:
                    ties.append((a, b))
    done = 0
    while done < n_out:
        ga, gb = rng.sample(range(len(sizes)), 2)
        ties.append((rng.choice(members[ga]), rng.choice(members[gb])))
        done += 1
    return ties, truth


def set_groups(store: SQLiteStore, groups: dict[str, str]) -> None:
    """What stance assignment writes: ``group`` (+ score and source) on accounts."""
    store.set_props(
        "Account",
        [(k, {"group": g, "group_score": 1.0, "group_source": "seed"}) for k, g in groups.items()],
    )


def ag_from(rows: list[tuple[str, str, str]], groups: dict[str, str] | None = None,
            created_at: list[str] | None = None):
    """An actor graph from ``(src handle, dst handle, kind)`` interaction rows (no store).

    Handles become ``twitter:<handle>`` accounts; ``groups`` maps handles to
    stance groups.
    """
    import pandas as pd

    from netmap.analysis.frames import interaction_frames
    from netmap.analysis.project import build_actor_graph

    df = pd.DataFrame({"src": [f"twitter:{s}" for s, _, _ in rows],
                       "dst": [f"twitter:{d}" for _, d, _ in rows],
                       "kind": [k for _, _, k in rows]})
    if created_at is not None:
        df["created_at"] = created_at
    names = sorted({n for s, d, _ in rows for n in (s, d)} | set(groups or {}))
    acc = pd.DataFrame({"key": [f"twitter:{n}" for n in names],
                        "group": [(groups or {}).get(n) for n in names]})
    return build_actor_graph(*interaction_frames(df, acc))


def flow(edges: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Content flowing ``u -> v`` (``v`` retweets ``u``) as interaction rows."""
    return [(v, u, "retweet") for u, v in edges]
