"""The named query library: headers, the Cypher linter, and SQLite/Neo4j parity on one graph."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from netmap.errors import UsageError
from netmap.model import Batch
from netmap.queries import _SQLITE, get_query, list_queries, run_cypher, run_query
from netmap.store import cypher_queries as cq
from netmap.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent


NAMES = {
    "top_influencers_per_group", "bridges_between_groups", "who_shared_url", "post_cascade",
    "comment_thread", "accounts_of_person", "shortest_path", "community_members",
    "activity_per_day",
}

BLOG = "nigoh.wordpress.com/2013/10/12/social-networks"
NIGOH = "blog:nigoh.wordpress.com/nigoh"


def campaign() -> list[Batch]:
    """A blog post, its comment thread, tweets that share its link, a retweet, a quote, a
    mention, one person's two accounts, and analysis results (groups, communities, PageRank)."""
    blog = Batch(source="nigoh-blog.rss.xml")
    blog.node("Account", NIGOH, platform="blog", handle="nigoh", name="Нигох",
              url="https://nigoh.wordpress.com/")
    blog.node("Site", "nigoh.wordpress.com", name="Nigoh", url="https://nigoh.wordpress.com/")
    blog.node("Post", BLOG, platform="blog", kind="post", title="Social networks",
              text="Соцсети наконец-то стали площадкой для дебатов.",
              created_at="2013-10-12T08:00:00Z", url=f"https://{BLOG}/")
    blog.edge("AUTHORED", "Account", NIGOH, "Post", BLOG)
    blog.edge("PUBLISHED_ON", "Post", BLOG, "Site", "nigoh.wordpress.com")
    comments = [  # (id, author, parent, day)
        ("c1", "farid", BLOG, "12"), ("c2", "zarina", BLOG, "12"), ("c3", "nigoh", "c1", "13"),
        ("c4", "farid", "c3", "13"), ("c5", "anon", "c2", "14"),
    ]
    for cid, who, parent, day in comments:
        key = f"blog:nigoh.wordpress.com:comment:{cid}"
        parent_key = parent if parent == BLOG else f"blog:nigoh.wordpress.com:comment:{parent}"
        author = NIGOH if who == "nigoh" else f"blog:nigoh.wordpress.com/{who}"
        blog.node("Account", author, platform="blog", name=who.title())
        blog.node("Post", key, platform="blog", kind="comment",
                  text=f"{who} ' \" `}}) DETACH DELETE n // says", created_at=f"2013-10-{day}T09:00:00Z")
        blog.edge("AUTHORED", "Account", author, "Post", key)
        blog.edge("REPLIES_TO", "Post", key, "Post", parent_key)

    tw = Batch(source="tweets.jsonl")
    for i, (user, day) in enumerate([("dilshod", "13"), ("tj_watch", "13"), ("malika", "15")]):
        tid = f"twitter:{380000 + i}"
        tw.node("Account", f"twitter:{user}", platform="twitter", handle=user,
                followers=100 * (i + 1))
        tw.node("Post", tid, platform="twitter", kind="post",
                text=f"Read this https://{BLOG}/?utm_source=tw", created_at=f"2013-10-{day}T10:00:00Z")
        tw.edge("AUTHORED", "Account", f"twitter:{user}", "Post", tid)
        tw.edge("LINKS_TO", "Post", tid, "Url", BLOG)
        tw.node("Url", BLOG, url=f"https://{BLOG}/?utm_source=tw", domain="nigoh.wordpress.com")
    # a retweet of a share, a quote, a mention, a hashtag, follow ties both ways
    tw.node("Post", "twitter:390000", platform="twitter", kind="share",
            created_at="2013-10-16T07:00:00Z")
    tw.edge("AUTHORED", "Account", "twitter:malika", "Post", "twitter:390000")
    tw.edge("SHARES", "Post", "twitter:390000", "Post", "twitter:380000")
    tw.node("Post", "twitter:390001", platform="twitter", kind="quote", text="No. #boycott",
            created_at="2013-10-16T08:00:00Z")
    tw.edge("AUTHORED", "Account", "twitter:boycott_tj", "Post", "twitter:390001")
    tw.node("Account", "twitter:boycott_tj", platform="twitter", handle="boycott_tj")
    tw.edge("QUOTES", "Post", "twitter:390001", "Post", "twitter:380001")
    tw.edge("MENTIONS", "Post", "twitter:390001", "Account", "twitter:dilshod")
    tw.edge("TAGGED", "Post", "twitter:390001", "Hashtag", "boycott")
    tw.edge("FOLLOWS", "Account", "twitter:tj_watch", "Account", "twitter:malika")
    tw.edge("FOLLOWS", "Account", "twitter:malika", "Account", "twitter:tj_watch")
    # a self-reply that must not loop forever, and a post with no author and no date
    tw.node("Post", "twitter:395000", platform="twitter", kind="reply")
    tw.edge("REPLIES_TO", "Post", "twitter:395000", "Post", "twitter:395000")
    tw.edge("SHARES", "Post", "twitter:395000", "Post", "twitter:380002")

    person = Batch(source="identity")
    person.node("Person", "person:nigoh", name="Nigoh")
    person.edge("BELONGS_TO", "Account", NIGOH, "Person", "person:nigoh",
                method="profile_link", confidence=0.9)
    person.edge("BELONGS_TO", "Account", "twitter:tj_watch", "Person", "person:nigoh",
                method="seed", confidence=1.0)
    return [blog, tw, person]


RESULTS = [
    (NIGOH, {"group": "critic", "community": 1, "pagerank": 0.31}),
    ("twitter:dilshod", {"group": "critic", "community": 1, "pagerank": 0.12}),
    ("twitter:tj_watch", {"group": "critic", "community": 2, "pagerank": 0.12}),
    ("twitter:malika", {"group": "supporter", "community": 2, "pagerank": 0.05}),
    ("twitter:boycott_tj", {"group": "boycott", "community": 3}),
    ("blog:nigoh.wordpress.com/farid", {"group": "supporter", "community": 1, "pagerank": 0.2}),
    ("blog:nigoh.wordpress.com/zarina", {"group": "boycott", "community": 1}),
]


def load(store) -> None:
    run = store.begin_run("collect", [], {})
    for b in campaign():
        store.write_batch(b, run)
    store.reconcile_links()
    store.set_props("Account", RESULTS)


CASES: list[tuple[str, dict]] = [
    ("top_influencers_per_group", {}),
    ("top_influencers_per_group", {"group": "critic", "limit": "2"}),
    ("top_influencers_per_group", {"group": "nobody"}),
    ("bridges_between_groups", {"group_a": "critic", "group_b": "supporter"}),
    ("bridges_between_groups", {"group_a": "critic", "group_b": "boycott", "limit": 1}),
    ("who_shared_url", {"url": f"https://www.{BLOG}/?utm_source=twitter&utm_medium=x"}),
    ("who_shared_url", {"url": BLOG}),
    ("who_shared_url", {"url": "twitter:380001"}),
    ("post_cascade", {"post": BLOG}),
    ("post_cascade", {"post": "twitter:380000"}),
    ("post_cascade", {"post": "no-such-post"}),
    ("comment_thread", {"post": BLOG}),
    ("comment_thread", {"post": "twitter:395000"}),
    ("accounts_of_person", {"person": "person:nigoh"}),
    ("shortest_path", {"from": "twitter:malika", "to": "twitter:tj_watch"}),
    ("shortest_path", {"from": "twitter:boycott_tj", "to": NIGOH}),
    ("shortest_path", {"from": "blog:nigoh.wordpress.com/anon", "to": "twitter:malika"}),
    ("shortest_path", {"from": NIGOH, "to": NIGOH}),
    ("community_members", {"community": 1}),
    ("community_members", {"community": "2"}),
    ("activity_per_day", {}),
    ("activity_per_day", {"since": "2013-10-13", "until": "2013-10-15"}),
]


@pytest.fixture(scope="module")
def sqlite_campaign():
    store = SQLiteStore(":memory:")
    load(store)
    yield store
    store.close()


# -- the library itself ------------------------------------------------------------------------
def test_every_query_is_listed_described_and_answerable_on_sqlite():
    infos = list_queries()
    assert {q.name for q in infos} == NAMES == set(_SQLITE)
    for q in infos:
        assert len(q.description) > 30, q.name
        declared = {p.name for p in q.params}
        used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", q.text))
        assert declared == used, q.name
        assert all(p.description for p in q.params), q.name
        assert q.as_dict()["name"] == q.name


def test_header_defaults_and_types():
    top = get_query("top_influencers_per_group")
    assert {p.name: (p.type, p.default) for p in top.params} == {
        "group": ("STRING", None), "limit": ("INTEGER", 10)}


def test_bad_parameters_are_usage_errors(sqlite_campaign):
    with pytest.raises(UsageError, match="no query named"):
        run_query(sqlite_campaign, "nope", {})
    with pytest.raises(UsageError, match="has no parameter grp"):
        run_query(sqlite_campaign, "top_influencers_per_group", {"grp": "x"})
    with pytest.raises(UsageError, match="must be integer"):
        run_query(sqlite_campaign, "community_members", {"community": "one"})


def test_answers_on_sqlite(sqlite_campaign):
    """Known answers, so the parity test below compares something that is right."""
    s = sqlite_campaign
    shared = run_query(s, "who_shared_url", {"url": f"http://{BLOG}?utm_source=x"})
    assert shared["account"].tolist() == ["twitter:dilshod", "twitter:tj_watch", "twitter:malika"]
    assert set(shared["via"]) == {"SHARES"}  # reconcile turned the tweets' links into shares
    thread = run_query(s, "comment_thread", {"post": BLOG}).set_index("key")
    assert thread["depth"].to_dict() == {
        f"blog:nigoh.wordpress.com:comment:{c}": d
        for c, d in (("c1", 1), ("c2", 1), ("c3", 2), ("c4", 3), ("c5", 2))}
    assert thread.loc["blog:nigoh.wordpress.com:comment:c3", "account"] == NIGOH
    cascade = run_query(s, "post_cascade", {"post": BLOG}).set_index("key")["depth"].to_dict()
    assert cascade == {BLOG: 0, "twitter:380000": 1, "twitter:380001": 1, "twitter:380002": 1,
                       "twitter:390000": 2, "twitter:390001": 2, "twitter:395000": 2}
    top = run_query(s, "top_influencers_per_group", {"group": "critic"})
    assert top["key"].tolist() == [NIGOH, "twitter:dilshod", "twitter:tj_watch"]
    assert top["reach"].tolist()[0] == 5  # three sharers and two commenters
    paths = run_query(s, "shortest_path", {"from": "twitter:malika", "to": "twitter:tj_watch"})
    assert paths["path"].max() == 2 and paths["direction"].dropna().tolist() == ["->", "<-"]
    assert run_query(s, "shortest_path", {"from": NIGOH, "to": NIGOH}).empty
    people = run_query(s, "accounts_of_person", {"person": "person:nigoh"})
    assert people["key"].tolist() == [NIGOH, "twitter:tj_watch"]
    members = run_query(s, "community_members", {"community": "1"})
    assert members["key"].tolist()[:2] == [NIGOH, "blog:nigoh.wordpress.com/farid"]
    days = run_query(s, "activity_per_day", {"since": "2013-10-13", "until": "2013-10-13"})
    assert days["posts"].sum() == 4
    bridges = run_query(s, "bridges_between_groups", {"group_a": "critic", "group_b": "supporter"})
    assert NIGOH in bridges["key"].tolist()


# -- the linter ------------------------------------------------------------------------------
def test_cypher_files_and_embedded_queries_pass_the_linter(tmp_path):
    lint = ROOT / "tools" / "cypher-lint" / "lint"
    if not lint.exists() or shutil.which("node") is None:
        reason = "tools/cypher-lint or node (>= 18) is missing"
        if os.environ.get("CI") == "true":
            pytest.fail(f"required component missing under CI: {reason}")
        pytest.skip(reason)
    queries = tmp_path / "queries.json"
    out = subprocess.run([sys.executable, "-m", "netmap.store.cypher_queries"],
                         capture_output=True, text=True, check=True)
    queries.write_text(out.stdout, encoding="utf-8")
    files = [str(ROOT / "cypher" / "schema.cypher"),
             *sorted(str(p) for p in (ROOT / "cypher" / "queries").glob("*.cypher"))]
    result = subprocess.run([str(lint), *files, "--queries", str(queries)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 errors" in result.stdout
    assert len(cq.all_queries()) > 100


# -- parity with a real Neo4j --------------------------------------------------------------------
@pytest.mark.neo4j
def test_every_named_query_same_rows_on_sqlite_and_neo4j(sqlite_campaign, neo4j_store):
    load(neo4j_store)
    non_empty = set()
    for name, params in CASES:
        mine = run_query(neo4j_store, name, params)
        theirs = run_query(sqlite_campaign, name, params)
        try:
            pd.testing.assert_frame_equal(mine, theirs)
        except AssertionError as exc:
            raise AssertionError(f"{name} {params}:\n{mine}\n--- SQLite:\n{theirs}") from exc
        if len(mine):
            non_empty.add(name)
    assert non_empty == NAMES  # every question was asked of data that answers it


@pytest.mark.neo4j
def test_run_cypher_is_read_only_unless_asked(neo4j_store, sqlite_campaign):
    load(neo4j_store)
    before = neo4j_store.counts()
    with pytest.raises(UsageError, match="writes"):
        run_cypher(neo4j_store, "CREATE (a:Account {key: $k}) RETURN a", {"k": "twitter:evil"})
    with pytest.raises(UsageError, match="writes"):
        run_cypher(neo4j_store, "MATCH (n) DETACH DELETE n")
    assert neo4j_store.counts() == before
    assert neo4j_store.get_node("Account", "twitter:evil") is None
    rows = run_cypher(neo4j_store, "MATCH (a:Account {key: $k})-[r:AUTHORED]->(p) "
                      "RETURN a, r, p.key AS post ORDER BY post LIMIT 1", {"k": NIGOH})
    assert rows.loc[0, "a"]["_labels"] == ["Account"] and rows.loc[0, "a"]["key"] == NIGOH
    assert rows.loc[0, "r"]["_type"] == "AUTHORED"
    made = run_cypher(neo4j_store, "CREATE (h:Hashtag {key: $k}) RETURN h.key AS key",
                      {"k": "new"}, write=True)
    assert made["key"].tolist() == ["new"]
    with pytest.raises(UsageError, match="Cypher error"):
        run_cypher(neo4j_store, "MATCH (n) RETRN n")
    with pytest.raises(UsageError, match="Neo4j store"):
        run_cypher(sqlite_campaign, "RETURN 1")
