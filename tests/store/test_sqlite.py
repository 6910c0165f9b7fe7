from __future__ import annotations

import sqlite3
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.errors import StoreError
from netmap.model import Batch
from netmap.store import open_store
from netmap.store.sqlite import SQLiteStore


def make_batch() -> Batch:
    b = Batch(source="test")
    b.node("Account", "blog:nigoh.wordpress.com/nigoh", platform="blog", name="Nigoh")
    b.node("Post", "nigoh.wordpress.com/p1", platform="blog", kind="post", text="Соцсети", created_at="2013-10-12T08:00:00Z")
    b.edge("AUTHORED", "Account", "blog:nigoh.wordpress.com/nigoh", "Post", "nigoh.wordpress.com/p1")
    b.node("Account", "twitter:sharer", platform="twitter", handle="sharer")
    b.node("Post", "twitter:1", platform="twitter", kind="post", text="look")
    b.edge("AUTHORED", "Account", "twitter:sharer", "Post", "twitter:1")
    b.edge("LINKS_TO", "Post", "twitter:1", "Url", "nigoh.wordpress.com/p1")
    b.ok()
    b.ok()
    return b


def test_wal_and_schema(store: SQLiteStore):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.meta("schema_version") == "1"


def test_upsert_idempotent(store: SQLiteStore):
    run = store.begin_run("t", [], {})
    store.write_batch(make_batch(), run)
    first = store.counts()
    fp = store.fingerprint()
    store.write_batch(make_batch(), run)
    assert store.counts() == first
    assert first["nodes"]["Account"] == 2
    assert first["nodes"]["Url"] == 1  # endpoint stub created
    assert store.fingerprint() != fp  # a write happened, even if nothing changed


def test_props_merge_without_erasing(store: SQLiteStore):
    run = store.begin_run("t", [], {})
    b = Batch(source="a")
    b.node("Account", "twitter:x", platform="twitter", name="X", followers=10)
    store.write_batch(b, run)
    b = Batch(source="b")
    b.node("Account", "twitter:x", name=None, bio="new bio")
    store.write_batch(b, run)
    node = store.get_node("Account", "twitter:x")
    assert node["name"] == "X" and node["bio"] == "new bio" and node["followers"] == 10
    assert node["source"] == "a"  # first source is kept as provenance
    assert node["first_seen"] <= node["last_seen"]


def test_reconcile_turns_tweet_link_into_share(store: SQLiteStore):
    run = store.begin_run("t", [], {})
    store.write_batch(make_batch(), run)
    assert store.reconcile_links() == {"urls_folded": 1}
    c = store.counts()
    assert c["nodes"]["Url"] == 0
    assert c["relationships"]["SHARES"] == 1
    assert c["relationships"]["LINKS_TO"] == 0
    e = store.edges(["SHARES"])
    assert list(e[["src", "dst", "dst_label"]].iloc[0]) == ["twitter:1", "nigoh.wordpress.com/p1", "Post"]
    # re-collect and reconcile again: nothing changes
    store.write_batch(make_batch(), run)
    store.reconcile_links()
    assert store.counts() == c


def test_blog_link_to_post_stays_link(store: SQLiteStore):
    run = store.begin_run("t", [], {})
    b = make_batch()
    b.node("Post", "other.livejournal.com/2.html", platform="blog", kind="post")
    b.edge("LINKS_TO", "Post", "other.livejournal.com/2.html", "Url", "nigoh.wordpress.com/p1")
    store.write_batch(b, run)
    store.reconcile_links()
    e = store.edges(["LINKS_TO"])
    assert e.iloc[0]["dst_label"] == "Post"


def test_set_props_and_clear(store: SQLiteStore):
    run = store.begin_run("t", [], {})
    store.write_batch(make_batch(), run)
    store.set_props("Account", [("twitter:sharer", {"pagerank": 0.5, "community": 1})])
    df = store.nodes("Account", columns=["pagerank", "community"])
    assert df.set_index("key").loc["twitter:sharer", "pagerank"] == 0.5
    store.set_props("Account", [], clear=["pagerank"])
    assert "pagerank" not in store.get_node("Account", "twitter:sharer")
    assert store.get_node("Account", "twitter:sharer")["community"] == 1


def test_runs_table(store: SQLiteStore):
    run = store.begin_run("collect feeds", ["a.xml"], {"format": "feeds"})
    store.end_run(run, read=3, stored=2, rejected=1, status="ok")
    r = store.runs().iloc[0]
    assert (r["read"], r["stored"], r["rejected"], r["status"]) == (3, 2, 1, "ok")


def test_not_a_database(tmp_path):
    p = tmp_path / "x.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="x.db"):
        SQLiteStore(p)


def test_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(tmp_path / "nope" / "x.db")


def test_open_store_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NETMAP_STORE", raising=False)
    s = open_store()
    assert s.uri == "netmap.db"
    s.close()
    monkeypatch.setenv("NETMAP_STORE", str(tmp_path / "env.db"))
    s = open_store()
    assert s.uri.endswith("env.db")
    s.close()


def test_delete_nodes(store: SQLiteStore):
    run = store.begin_run("t", [], {})
    store.write_batch(make_batch(), run)
    assert store.delete_nodes("Account", ["twitter:sharer"]) == 1
    assert store.edges(["AUTHORED"]).shape[0] == 1


def test_concurrent_writers(db_path):
    """Two connections writing at once both succeed (busy timeout + retry)."""
    errors: list[Exception] = []

    def work(i: int) -> None:
        try:
            s = SQLiteStore(db_path)
            run = s.begin_run("t", [], {})
            for j in range(30):
                b = Batch(source=f"w{i}")
                for k in range(50):
                    b.node("Account", f"twitter:w{i}_{j}_{k}", platform="twitter")
                s.write_batch(b, run)
            s.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    s = SQLiteStore(db_path)
    assert s.counts()["nodes"]["Account"] == 2 * 30 * 50
    s.close()


props = st.dictionaries(
    st.sampled_from(["name", "text", "n", "flag", "tags"]),
    st.one_of(st.text(max_size=20), st.integers(-5, 5), st.booleans(), st.lists(st.text(max_size=5), max_size=3)),
    max_size=4,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Account", "Post", "Hashtag"]), st.text(min_size=1, max_size=8), props), max_size=15))
def test_upsert_twice_equals_once(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("h") / "h.db"
    s = SQLiteStore(path)
    b = Batch(source="h")
    for label, key, p in rows:
        b.node(label, key, **p)
    run = s.begin_run("t", [], {})
    s.write_batch(b, run)
    once = sorted(s.conn.execute("SELECT label, key, props FROM nodes").fetchall())
    s.write_batch(b, run)
    twice = sorted(s.conn.execute("SELECT label, key, props FROM nodes").fetchall())
    assert once == twice
    assert s.integrity_check() == "ok"
    s.close()
    sqlite3.connect(path).close()


def test_open_waits_for_a_lock_that_blocks_the_switch_to_wal(tmp_path) -> None:
    """SQLite refuses the switch to WAL at once ("database is locked") while another
    connection holds a lock, without waiting its busy timeout: opening must retry."""
    import time

    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN IMMEDIATE")  # a racing opener writing the schema, before WAL
    other.execute("INSERT INTO t VALUES (1)")
    probe = sqlite3.connect(path, timeout=5)
    t0 = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        probe.execute("PRAGMA journal_mode = WAL")  # what the store's open runs into ...
    assert time.monotonic() - t0 < 1  # ... at once: the 5 s busy timeout does not apply
    probe.close()
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    t0 = time.monotonic()
    store = SQLiteStore(path)
    waited = time.monotonic() - t0
    release.join()
    try:
        assert waited >= 0.3
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.counts()["nodes"]["Account"] == 0
    finally:
        store.close()
        other.close()
