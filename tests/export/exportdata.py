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




# -- the XSS corpus ----------------------------------------------------------------

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
_PAYLOAD_ESCAPES = {"\\u2028": "\u2028", "\\u2029": "\u2029", "\\x00": "\x00", "\\x01": "\x01",
                    "\\t": "\t"}


def load_payloads(path: Path = PAYLOAD_FILE) -> list[str]:
    """The payloads of ``xss_payloads.txt`` (comments and blank lines skipped, escapes decoded).

    Split on "\\n" only: ``str.splitlines`` would also split on U+2028.
    """
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        for esc, ch in _PAYLOAD_ESCAPES.items():
            line = line.replace(esc, ch)
        out.append(line)
    return out


def hostile_groups_yaml(path: Path, payloads: list[str]) -> Path:
    """A valid groups.yaml whose labels and descriptions are payloads.

    Group names and colours are validated by ``load_groups`` (letters and
    ``#rrggbb`` only), so hostile ones never load; labels are free text.
    """
    import yaml

    doc = {"version": 1, "groups": [
        {"name": "camp_a", "label": payloads[0], "colour": "#aa3377",
         "description": payloads[1]},
        {"name": "camp_b", "label": payloads[2], "colour": "#228833",
         "description": payloads[3]},
        {"name": "camp_c", "label": next(p for p in payloads if "\u2028" in p),
         "colour": "#4477aa"},
    ]}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


class HostileGroups:
    """A groups object (duck-typed like netmap.stance.Groups) with hostile names and colours."""

    def __init__(self, payloads: list[str]) -> None:
        self.names = [payloads[4], payloads[5], "camp_a"]
        self._colour = {payloads[4]: 'red" onmouseover="window.__nmxss=1',
                        payloads[5]: "url(javascript:window.__nmxss=1)", "camp_a": "#aa3377"}
        self._label = {payloads[4]: payloads[6], payloads[5]: payloads[7], "camp_a": payloads[8]}

    def colour(self, name: str) -> str:
        return self._colour[name]

    def label(self, name: str) -> str:
        return self._label[name]


def build_hostile_store(path: Path, payloads: list[str]) -> SQLiteStore:
    """One account per payload, the payload in every field a view or report shows.

    Keys carry the payload too (except those with control characters, which no
    collector would produce); posts are dated over ten days so the report
    draws a timeline; each account's post shares the previous one's, across
    platforms every other time; accounts are in stance groups named by
    payloads, in groups.yaml groups (``camp_a``/``camp_b``/``camp_c``) and in
    communities named by payloads; the store is analysed so the report has
    top tables and communities.
    """
    from netmap.analysis import analyze

    store = SQLiteStore(path)
    run = store.begin_run(payloads[0], [payloads[1]], {"x": payloads[2]})
    b = Batch(source=payloads[3])
    platforms = ["twitter", "blog", "telegram"]
    keys, posts = [], []
    for i, p in enumerate(payloads):
        platform = platforms[i % 3] if i % 7 else p  # now and then a hostile platform
        clean = "\x00" not in p and "\x01" not in p
        key = f"{platforms[i % 3]}:{p}" if clean and i % 2 else f"{platforms[i % 3]}:h{i}"
        keys.append(key)
        b.node("Account", key, platform=platform, handle=p, name=p, url=p, bio=p,
               profile_links=[p, "https://example.org/ok"])
        post = f"{platforms[i % 3]}:post{i}"
        posts.append(post)
        b.node("Post", post, platform=platforms[i % 3], kind="post", title=p, text=p,
               url=p, created_at=f"2013-11-{1 + i % 10:02d}T{i % 24:02d}:00:00Z")
        b.edge("AUTHORED", "Account", key, "Post", post)
    for i in range(1, len(payloads)):
        b.edge("SHARES", "Post", posts[i], "Post", posts[i - 1])
        if i % 5 == 0:
            b.edge("MENTIONS", "Post", posts[i], "Account", keys[(i * 7) % len(keys)])
        if i % 4 == 0:
            b.edge("REPLIES_TO", "Post", posts[i], "Post", posts[(i * 3) % i])
    b.ok()
    store.write_batch(b, run)
    store.end_run(run, read=len(payloads), stored=len(payloads), rejected=0)
    analyze(store)
    named = ["camp_a", "camp_b", "camp_c"]
    store.set_props("Account", [
        (k, {"group": named[i % 3] if i % 4 else payloads[(i + 1) % len(payloads)],
             "group_score": 0.5, "group_source": payloads[(i + 2) % len(payloads)],
             "group_evidence": [payloads[i], payloads[(i + 3) % len(payloads)]]})
        for i, k in enumerate(keys)
    ])
    return store


def hostile_communities(store: SQLiteStore, payloads: list[str], n: int = 6) -> None:
    """Replace the stored communities by ``n`` communities named by payloads."""
    acc = store.nodes("Account", columns=[])
    store.set_props("Account", [(k, {"community": payloads[i % n]})
                                for i, k in enumerate(acc["key"])])


def build_dated_store(path: Path) -> SQLiteStore:
    """:func:`build_small_store` with dated posts and stored analysis results."""
    from netmap.analysis import analyze

    store = build_small_store(path)
    store.set_props("Post", [
        ("nigoh.example/p1", {"created_at": "2013-10-20T08:00:00Z", "title": "Выборы и сети"}),
        ("twitter:1", {"created_at": "2013-10-20T10:30:00Z"}),
        ("twitter:2", {"created_at": "2013-10-21T09:00:00Z"}),
        ("blog:other.example:comment:1", {"created_at": "2013-10-21T12:00:00Z"}),
        ("telegram:chan/5", {"created_at": "2013-10-23T07:00:00Z"}),
        ("twitter:3", {"created_at": "2013-10-23T18:00:00Z"}),
    ])
    analyze(store, seed=1)
    return store
