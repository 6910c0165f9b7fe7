"""Stores and stand-ins shared by the exporter tests (imported by conftest and tests)."""

from __future__ import annotations

import random
from pathlib import Path

from netmap.model import Batch
from netmap.store.sqlite import SQLiteStore

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

# Payloads a hostile account could put in its name, profile URL or group evidence.
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
XSS_JS_URL = "javascript:alert(1)"
XSS_BREAKOUT = "</script><script>alert(2)</script>"
XSS_REMOTE = "<img src=//evil.example/x.png> src=https://evil.example/a.js"
HOSTILE_STRINGS = (XSS_SCRIPT, XSS_IMG, XSS_BREAKOUT, XSS_REMOTE)


def build_small_store(path: Path) -> SQLiteStore:
    """Six accounts on three platforms, with hostile strings and analysis results.

    Ties: two tweets share a blog post (cross-platform), a blog comments on a
    blog, a telegram post forwards a tweet, a tweet mentions an account.
    """
    store = SQLiteStore(path)
    run = store.begin_run("test", [], {})
    b = Batch(source="fixture")
    b.node("Account", "blog:nigoh.example/nigoh", platform="blog", handle="nigoh",
           name="Nigoh Blog", url="https://nigoh.example/", followers=120,
           profile_links=["https://twitter.com/nigoh", "https://t.me/nigoh"])
    b.node("Account", "twitter:evil1", platform="twitter", handle="evil1",
           name=XSS_SCRIPT, url="https://twitter.com/evil1", bio="control \x01 char")
    b.node("Account", "twitter:evil2", platform="twitter", handle="evil2",
           name=XSS_IMG, url=XSS_JS_URL)
    b.node("Account", "blog:other.example", platform="blog", handle="other.example",
           name=f"Other {XSS_BREAKOUT} blog \u2028 & co", url="https://other.example/")
    b.node("Account", "telegram:chan", platform="telegram", handle="chan", name="Канал",
           url="https://t.me/chan", followers=5000)
    b.node("Account", "twitter:remote", platform="twitter", handle="remote",
           name=XSS_REMOTE, url="//evil.example/profile")
    posts = [
        ("nigoh.example/p1", "blog", "blog:nigoh.example/nigoh"),
        ("twitter:1", "twitter", "twitter:evil1"),
        ("twitter:2", "twitter", "twitter:evil2"),
        ("blog:other.example:comment:1", "blog", "blog:other.example"),
        ("telegram:chan/5", "telegram", "telegram:chan"),
        ("twitter:3", "twitter", "twitter:remote"),
    ]
    for key, platform, account in posts:
        b.node("Post", key, platform=platform, kind="post", text=f"post {key}")
        b.edge("AUTHORED", "Account", account, "Post", key)
    b.edge("SHARES", "Post", "twitter:1", "Post", "nigoh.example/p1")
    b.edge("SHARES", "Post", "twitter:2", "Post", "nigoh.example/p1")
    b.edge("REPLIES_TO", "Post", "blog:other.example:comment:1", "Post", "nigoh.example/p1")
    b.edge("SHARES", "Post", "telegram:chan/5", "Post", "twitter:1")
    b.edge("MENTIONS", "Post", "twitter:3", "Account", "twitter:evil1")
    b.edge("QUOTES", "Post", "twitter:2", "Post", "twitter:1")
    b.ok()
    store.write_batch(b, run)
    store.set_props("Account", [
        ("blog:nigoh.example/nigoh", {"group": "supporter", "group_score": 1.0,
                                      "group_source": "seed", "community": 0, "pagerank": 0.4}),
        ("twitter:evil1", {"group": "critic", "group_score": 0.75, "group_source": "lexicon",
                           "group_evidence": XSS_BREAKOUT, "community": 0, "pagerank": 0.2}),
        ("twitter:evil2", {"group": "<b>bold group</b>", "group_score": 0.5,
                           "group_source": "propagated", "group_evidence": [XSS_SCRIPT, XSS_IMG],
                           "community": 1, "pagerank": 0.1}),
        ("blog:other.example", {"group": "critic", "group_score": 1.0, "group_source": "seed",
                                "community": 1, "pagerank": 0.15}),
        ("telegram:chan", {"community": 0, "pagerank": 0.1}),
        ("twitter:remote", {"pagerank": 0.05}),
    ])
    store.end_run(run, read=1, stored=1, rejected=0)
    return store


def build_big_store(path: Path, n_accounts: int, ties_per_account: int = 5,
                    seed: int = 7) -> SQLiteStore:
    """``n_accounts`` accounts in 4 stance groups over 3 platforms, ~5 shares each."""
    rng = random.Random(seed)
    store = SQLiteStore(path)
    run = store.begin_run("test", [], {})
    platforms = ["twitter", "blog", "telegram"]
    groups = ["supporter", "critic", "boycott", "neutral", None]
    b = Batch(source="synthetic")
    keys = []
    for i in range(n_accounts):
        platform = platforms[i % 3]
        key = f"{platform}:acc{i}"
        keys.append(key)
        b.node("Account", key, platform=platform, handle=f"acc{i}", name=f"Account {i}",
               url=f"https://example.org/{platform}/{i}", followers=rng.randint(0, 10000))
        b.node("Post", f"{platform}:post{i}", platform=platform, kind="post")
        b.edge("AUTHORED", "Account", key, "Post", f"{platform}:post{i}")
    for i in range(n_accounts):
        # Preferential targets give the heavy-tailed in-degree real campaigns have.
        for _ in range(ties_per_account):
            j = min(int(rng.paretovariate(1.2)) - 1, n_accounts - 1)
            j = (j * 7919 + (i % 3)) % n_accounts
            if j != i:
                b.edge("SHARES", "Post", f"{platforms[i % 3]}:post{i}", "Post",
                       f"{platforms[j % 3]}:post{j}")
    b.ok()
    store.write_batch(b, run)
    store.set_props("Account", [
        (k, {"group": groups[i % 5], "group_score": rng.random(), "group_source": "lexicon",
             "community": i % 12, "pagerank": rng.paretovariate(1.5) / n_accounts})
        for i, k in enumerate(keys)
    ])
    return store


