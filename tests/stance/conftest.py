"""Small post graphs for stance tests, written through real Batches into a SQLite store.

Posts, accounts and relationships follow the graph conventions a collector
produces: a retweet is a Post of kind ``share`` with ``SHARES`` to the
original, a reply has kind ``reply`` and ``REPLIES_TO``, blog articles have
URL keys and a ``PUBLISHED_ON`` Site, links go to ``Url`` nodes and the
store's reconcile step folds the ones that are known posts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from netmap.keys import blog_account_key, post_key, site_key, url_key
from netmap.model import Batch
from netmap.stance.groups import Group, Groups
from netmap.store.sqlite import SQLiteStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "stance"


@dataclass
class PostGraph:
    batch: Batch = field(default_factory=lambda: Batch("stance-test"))
    n: int = 0

    def account(self, key: str, **props: object) -> str:
        platform, _, handle = key.partition(":")
        self.batch.node("Account", key, platform=platform, handle=handle, **props)
        return key

    def tweet(self, account: str, text: str = "", *, share: str | None = None,
              quote: str | None = None, reply: str | None = None,
              links: tuple[str, ...] = ()) -> str:
        """A tweet by ``account`` (a key); a retweet copies the text the way the API does."""
        self.n += 1
        key = post_key("twitter", 5000 + self.n)
        self.account(account)
        kind = "share" if share else "quote" if quote else "reply" if reply else "post"
        self.batch.node("Post", key, platform="twitter", kind=kind, text=text,
                        created_at="2013-11-01T10:00:00Z")
        self.batch.edge("AUTHORED", "Account", account, "Post", key)
        if share:
            self.batch.edge("SHARES", "Post", key, "Post", share)
        if quote:
            self.batch.edge("QUOTES", "Post", key, "Post", quote)
        if reply:
            self.batch.edge("REPLIES_TO", "Post", key, "Post", reply)
        for url in links:
            self.link(key, url)
        return key

    def link(self, post: str, url: str) -> None:
        self.batch.node("Url", url_key(url), url=url)
        self.batch.edge("LINKS_TO", "Post", post, "Url", url_key(url))

    def blog_post(self, host: str, author: str, slug: str, text: str = "", *,
                  title: str = "", links: tuple[str, ...] = ()) -> str:
        url = f"https://{host}/{slug}"
        key = url_key(url)
        acc = self.account(blog_account_key(host, author), url=f"https://{host}/")
        self.batch.node("Post", key, platform="blog", kind="post", url=url, text=text,
                        title=title, created_at="2013-10-28T08:00:00Z")
        self.batch.node("Site", site_key(url), name=host, url=f"https://{host}/")
        self.batch.edge("AUTHORED", "Account", acc, "Post", key)
        self.batch.edge("PUBLISHED_ON", "Post", key, "Site", site_key(url))
        for link in links:
            self.link(key, link)
        return key

    def comment(self, host: str, name: str, parent: str, text: str = "",
                links: tuple[str, ...] = ()) -> str:
        self.n += 1
        key = post_key("blog", f"{host}:comment:{self.n}")
        acc = self.account(blog_account_key(host, name))
        self.batch.node("Post", key, platform="blog", kind="comment", text=text)
        self.batch.edge("AUTHORED", "Account", acc, "Post", key)
        self.batch.edge("REPLIES_TO", "Post", key, "Post", parent)
        self.batch.edge("PUBLISHED_ON", "Post", key, "Site", site_key(f"https://{host}/"))
        for link in links:
            self.link(key, link)
        return key

    def write(self, store: SQLiteStore) -> SQLiteStore:
        run = store.begin_run("test", [], {})
        self.batch.ok()
        store.write_batch(self.batch, run)
        store.reconcile_links()
        store.end_run(run, read=1, stored=1, rejected=0)
        self.batch = Batch("stance-test")
        return store


@pytest.fixture
def graph() -> PostGraph:
    return PostGraph()


def plain_groups(*names: str) -> Groups:
    """Groups without lexicons: assignment can only use seeds and ties."""
    palette = ["#0072B2", "#E69F00", "#CC79A7", "#009E73", "#D55E00", "#56B4E9"]
    return Groups(tuple(Group(n, n.title(), palette[i]) for i, n in enumerate(names)))


def planted(graph: PostGraph, *, groups: int = 3, size: int = 200, seed: int = 7,
            shares_per_account: int = 4, p_cross_share: float = 0.05,
            reply_share: float = 0.2) -> dict[str, str]:
    """A planted campaign: ``groups`` x ``size`` accounts, each with one original tweet.

    Each account retweets ``shares_per_account`` tweets, inside its group except
    with probability ``p_cross_share``; on top, cross-group replies make up
    ``reply_share`` of all ties. Returns the truth ``{account key: group}``.
    """
    rng = random.Random(seed)
    names = [f"g{g}" for g in range(groups)]
    members = {g: [f"twitter:{g}_{i:03d}" for i in range(size)] for g in names}
    truth = {a: g for g, accs in members.items() for a in accs}
    original = {a: graph.tweet(a, "Доброе утро") for a in truth}
    n_shares = 0
    for g, accs in members.items():
        for a in accs:
            for _ in range(shares_per_account):
                if rng.random() < p_cross_share:
                    other = rng.choice([x for x in names if x != g])
                    target = rng.choice(members[other])
                else:
                    target = rng.choice([x for x in accs if x != a])
                graph.tweet(a, "RT", share=original[target])
                n_shares += 1
    # replies / (shares + replies) == reply_share
    n_replies = round(n_shares * reply_share / (1 - reply_share))
    for _ in range(n_replies):
        ga, gb = rng.sample(names, 2)
        a, b = rng.choice(members[ga]), rng.choice(members[gb])
        graph.tweet(a, "вы ошибаетесь", reply=original[b])
    return truth
