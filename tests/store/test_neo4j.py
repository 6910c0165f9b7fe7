"""Neo4jStore against a real Neo4j 5 server, compared with SQLiteStore on the same batches."""

from __future__ import annotations

import json
import socket

import pandas as pd
import pytest

from netmap.errors import StoreError, UsageError
from netmap.model import NODE_LABELS, REL_TYPES, Batch
from netmap.store import cypher_queries as cq
from netmap.store import open_store
from netmap.store.neo4j import Neo4jStore, neo4j_props
from netmap.store.sqlite import SQLiteStore
from netmap.store.transfer import pull, push

neo4j = pytest.mark.neo4j

TIMESTAMPS = ["first_seen", "last_seen"]
BLOG = "nigoh.wordpress.com/2013/10/12/social"


def make_batch() -> Batch:
    b = Batch(source="test")
    b.node("Account", "blog:nigoh.wordpress.com/nigoh", platform="blog", name="Nigoh")
    b.node("Post", BLOG, platform="blog", kind="post", text="Соцсети",
           created_at="2013-10-12T08:00:00Z")
    b.edge("AUTHORED", "Account", "blog:nigoh.wordpress.com/nigoh", "Post", BLOG)
    b.node("Account", "twitter:sharer", platform="twitter", handle="sharer")
    b.node("Post", "twitter:1", platform="twitter", kind="post", text="look")
    b.edge("AUTHORED", "Account", "twitter:sharer", "Post", "twitter:1")
    b.edge("LINKS_TO", "Post", "twitter:1", "Url", BLOG)
    b.ok()
    b.ok()
    return b


def rich_batch() -> Batch:
    """Every property kind (text, int, float, bool, lists) on several labels and types."""
    b = Batch(source="rich.jsonl")
    for i in range(5):
        b.node("Account", f"twitter:u{i}", platform="twitter", handle=f"u{i}", followers=i * 10,
               verified=i % 2 == 0, profile_links=[f"https://blog{i}.example/"], score=i / 3)
        b.node("Post", f"twitter:{i}", platform="twitter", kind="post", text=f"tweet {i}",
               created_at=f"2013-11-0{i + 1}T08:00:00Z", views=i * 100)
        b.edge("AUTHORED", "Account", f"twitter:u{i}", "Post", f"twitter:{i}")
        b.edge("TAGGED", "Post", f"twitter:{i}", "Hashtag", "выборы", weight=1.5)
        if i:
            b.edge("SHARES", "Post", f"twitter:{i}", "Post", "twitter:0", retweet=True)
            b.edge("MENTIONS", "Post", f"twitter:{i}", "Account", "twitter:u0")
            b.edge("FOLLOWS", "Account", f"twitter:u{i}", "Account", "twitter:u0")
    b.node("Hashtag", "выборы", tag="выборы")
    b.node("Site", "nigoh.wordpress.com", name="Nigoh", url="https://nigoh.wordpress.com/")
    b.edge("PUBLISHED_ON", "Post", "twitter:0", "Site", "nigoh.wordpress.com")
    b.edge("LINKS_TO", "Post", "twitter:3", "Url", "example.org/page", position=2)
    b.node("Url", "example.org/page", url="https://example.org/page?utm_source=x",
           domain="example.org")
    return b


def both(neo4j_store: Neo4jStore, *batches: Batch) -> SQLiteStore:
    """Write the same batches to a fresh SQLite store and to the Neo4j store."""
    sqlite = SQLiteStore(":memory:")
    for store in (sqlite, neo4j_store):
        run = store.begin_run("test", [], {})
        for b in batches:
            store.write_batch(b, run)
    return sqlite


def drop_ts(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=[c for c in TIMESTAMPS if c in df.columns])


def sorted_edges(df: pd.DataFrame) -> pd.DataFrame:
    # SQLiteStore.edges() has no ORDER BY (its order depends on the plan); Neo4jStore sorts.
    keys = ["type", "src_label", "src", "dst_label", "dst"]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def raw_graph(store) -> tuple[list[tuple], list[tuple]]:
    """Every node and relationship with its properties and full provenance, sorted."""
    prov = cq.PROVENANCE
    if isinstance(store, SQLiteStore):
        nodes = [(lab, key, json.loads(p), *rest) for lab, key, p, *rest in store.conn.execute(
            "SELECT label, key, props, source, run, first_seen, last_seen FROM nodes")]
        edges = [(*k, json.loads(p), *rest) for *k, p, s_, r_, f_, l_ in store.conn.execute(
            "SELECT type, src_label, src, dst_label, dst, props, source, run, first_seen, "
            "last_seen FROM edges") for rest in [(s_, r_, f_, l_)]]
        return sorted(nodes, key=lambda t: t[:2]), sorted(edges, key=lambda t: t[:5])
    nodes, edges = [], []
    for lab in NODE_LABELS:
        for r in store._read_all(cq.node_query("nodes_all", lab)):
            p = dict(r["p"])
            rest = tuple(p.pop(k, None) for k in prov)
            key = p.pop("key")
            nodes.append((lab, key, p, *rest))
    for t in REL_TYPES:
        for r in store._read_all(cq.rel_query("edges_all", t), labels=list(NODE_LABELS)):
            p = dict(r["p"])
            rest = tuple(p.pop(k, None) for k in prov)
            edges.append((t, r["src_label"], r["src"], r["dst_label"], r["dst"], p, *rest))
    return sorted(nodes, key=lambda t: t[:2]), sorted(edges, key=lambda t: t[:5])


def assert_same_graph(a, b, *, timestamps: bool = False) -> None:
    """Same counts, same nodes of every label, same relationships with their properties."""
    assert a.counts() == b.counts()
    for label in NODE_LABELS:
        left, right = a.nodes(label), b.nodes(label)
        if not timestamps:
            left, right = drop_ts(left), drop_ts(right)
        # property column order follows JSON insertion order in SQLite: compare by name
        assert sorted(left.columns) == sorted(right.columns), label
        pd.testing.assert_frame_equal(left, right[list(left.columns)])
    pd.testing.assert_frame_equal(sorted_edges(a.edges()), sorted_edges(b.edges()))
    nodes_a, edges_a = raw_graph(a)
    nodes_b, edges_b = raw_graph(b)
    if timestamps:
        assert nodes_a == nodes_b
        assert edges_a == edges_b
    else:  # same data and source; run ids and times differ between two writes
        assert [n[:4] for n in nodes_a] == [n[:4] for n in nodes_b]
        assert [e[:7] for e in edges_a] == [e[:7] for e in edges_b]


# -- unit: no server needed --------------------------------------------------------------------
def test_neo4j_props_drop_what_neo4j_cannot_hold():
    props = {"name": "x", "": 1, "a\x00b": 2, "key": "evil", "source": "s", "run": "r",
             "first_seen": "f", "last_seen": "l", "big": 2**70, "nums": [1, 2**70]}
    assert neo4j_props(props) == {"name": "x", "big": float(2**70), "nums": [1.0, float(2**70)]}


def test_templates_refuse_unknown_labels_and_types():
    with pytest.raises(StoreError, match="unknown node label"):
        cq.node_query("node_upsert", "Account {key: 1}) DETACH DELETE n //")
    with pytest.raises(StoreError, match="unknown relationship type"):
        cq.rel_query("count_rels", "SHARES]->() DETACH DELETE")
    with pytest.raises(StoreError, match="cannot connect"):
        cq.edge_query("edge_upsert", "AUTHORED", "Post", "Account")


def test_registry_covers_every_label_and_type():
    names = {q.name for q in cq.all_queries()}
    for label in NODE_LABELS:
        assert f"node_upsert:{label}" in names and f"count_nodes:{label}" in names
    for type_ in REL_TYPES:
        assert f"count_rels:{type_}" in names and f"edges_columns:{type_}" in names
    for type_, src, dst in cq.EDGE_SHAPES:
        assert f"edge_upsert:{type_}:{src}:{dst}" in names


def test_schema_file_constrains_every_label():
    statements = cq.schema_statements()
    for label in (*NODE_LABELS, *cq.BOOKKEEPING_LABELS):
        assert any(f"FOR (n:{label}) REQUIRE" in s and "IS UNIQUE" in s for s in statements), label
    assert all("IF NOT EXISTS" in s for s in statements)


def test_split_statements_respects_strings_and_comments():
    text = "// a; comment\nRETURN 'x;y' AS a; /* b; */ RETURN \"q\\\";\" AS b;\n\n"
    assert cq.split_statements(text) == ["RETURN 'x;y' AS a", 'RETURN "q\\";" AS b']


def test_cypher_queries_module_prints_json(capsys):
    cq.main()
    data = json.loads(capsys.readouterr().out)
    assert {"name", "query", "params"} <= set(data[0])
    assert len(data) == len(cq.all_queries())


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_unreachable_server_error_hides_password(monkeypatch):
    secret = "s3cret-Pa55word"
    monkeypatch.setenv("NETMAP_NEO4J_PASSWORD", secret)
    with pytest.raises(StoreError) as info:
        Neo4jStore(f"bolt://127.0.0.1:{_closed_port()}")
    assert "cannot reach Neo4j" in str(info.value)
    assert secret not in str(info.value) and secret not in repr(info.value)


def test_credentials_in_uri_refused():
    with pytest.raises(UsageError, match="NETMAP_NEO4J_PASSWORD") as info:
        Neo4jStore("bolt://neo4j:hunter2@127.0.0.1:7687")
    assert "hunter2" not in str(info.value)


# -- against the server ------------------------------------------------------------------------
@neo4j
def test_open_store_dispatches_and_applies_schema(neo4j_uri, neo4j_store):
    store = open_store(neo4j_uri)
    assert isinstance(store, Neo4jStore)
    store.close()
    with neo4j_store.driver.session() as s:
        rows = s.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties").data()
    constrained = {(r["labelsOrTypes"][0], r["properties"][0]) for r in rows}
    for label in NODE_LABELS:
        assert (label, "key") in constrained
    assert neo4j_store.meta("schema_version") == "1"
    assert neo4j_store.meta("graph_version") == "0"


@neo4j
def test_every_registered_statement_compiles(neo4j_store):
    # gds_* need the Graph Data Science plugin: tests/analysis/test_gds.py compiles them there
    with neo4j_store.driver.session() as s:
        for q in cq.all_queries():
            if not q.name.startswith("gds_"):
                s.run("EXPLAIN " + q.text).consume()


@neo4j
def test_write_batch_idempotent(neo4j_store):
    run = neo4j_store.begin_run("t", [], {})
    neo4j_store.write_batch(make_batch(), run)
    first = neo4j_store.counts()
    fp = neo4j_store.fingerprint()
    neo4j_store.write_batch(make_batch(), run)
    assert neo4j_store.counts() == first
    assert first["nodes"]["Account"] == 2 and first["nodes"]["Url"] == 1  # endpoint stub
    assert first["relationships"]["AUTHORED"] == 2 and first["relationships"]["LINKS_TO"] == 1
    assert set(first["nodes"]) == set(NODE_LABELS)  # bookkeeping labels are not counted
    assert set(first["relationships"]) == set(REL_TYPES)
    assert neo4j_store.fingerprint() != fp  # a write happened, even if nothing changed
    assert neo4j_store.meta("graph_version") == "2"


@neo4j
def test_props_merge_without_erasing(neo4j_store):
    run = neo4j_store.begin_run("t", [], {})
    b = Batch(source="a")
    b.node("Account", "twitter:x", platform="twitter", name="X", followers=10)
    neo4j_store.write_batch(b, run)
    b = Batch(source="b")
    b.node("Account", "twitter:x", name=None, bio="new bio")
    b.edge("FOLLOWS", "Account", "twitter:x", "Account", "twitter:y")
    neo4j_store.write_batch(b, run)
    node = neo4j_store.get_node("Account", "twitter:x")
    assert node["name"] == "X" and node["bio"] == "new bio" and node["followers"] == 10
    assert node["source"] == "a" and node["run"] == run
    assert node["first_seen"] < node["last_seen"]
    stub = neo4j_store.get_node("Account", "twitter:y")
    assert stub["source"] == "b" and set(stub) == {"key", "source", "run", "first_seen", "last_seen"}
    assert neo4j_store.get_node("Account", "twitter:nobody") is None
    assert neo4j_store.get_node("Nope", "twitter:x") is None


@neo4j
def test_frames_equal_sqlite(neo4j_store):
    sqlite = both(neo4j_store, rich_batch(), make_batch())
    assert_same_graph(sqlite, neo4j_store)
    for label in ("Account", "Post", "Hashtag", "Person"):
        cols = ["platform", "followers", "verified", "profile_links", "score", "missing", "key"]
        pd.testing.assert_frame_equal(neo4j_store.nodes(label, columns=cols),
                                      sqlite.nodes(label, columns=cols))
        pd.testing.assert_frame_equal(neo4j_store.nodes(label, columns=[]),
                                      sqlite.nodes(label, columns=[]))
    for types in (None, ["SHARES"], ["TAGGED", "AUTHORED"], ["QUOTES"]):
        cols = ["weight", "retweet", "position", "nope"]
        pd.testing.assert_frame_equal(sorted_edges(neo4j_store.edges(types, cols)),
                                      sorted_edges(sqlite.edges(types, cols)))
    # Nodes come sorted by key; column order follows SQLite's (JSON order, then provenance).
    acc = neo4j_store.nodes("Account")
    assert list(acc["key"]) == sorted(acc["key"])
    assert list(acc.columns) == list(sqlite.nodes("Account").columns)
    for label, key in (("Account", "twitter:u1"), ("Post", BLOG), ("Url", "example.org/page")):
        mine, theirs = neo4j_store.get_node(label, key), sqlite.get_node(label, key)
        for k in ("run", *TIMESTAMPS):
            mine.pop(k), theirs.pop(k)
        assert mine == theirs
    with pytest.raises(StoreError, match="unknown relationship"):
        neo4j_store.edges(["NOPE"])
    assert neo4j_store.nodes("Nope").empty and list(neo4j_store.nodes("Nope").columns) == list(
        sqlite.nodes("Nope").columns)


@neo4j
def test_reconcile_parity(neo4j_store):
    b = make_batch()
    # a blog's link to a known post stays a link, and so does an Account's (only a short
    # social Post's link is a share)
    b.node("Post", "other.livejournal.com/2.html", platform="blog", kind="post")
    b.edge("LINKS_TO", "Post", "other.livejournal.com/2.html", "Url", BLOG, anchor="here")
    b.edge("LINKS_TO", "Account", "twitter:sharer", "Url", BLOG)
    b.node("Url", BLOG, url=f"https://{BLOG}?utm_source=tw", domain="nigoh.wordpress.com",
           text="the url's text must not win")
    # already a share of the post: the moved link merges into it
    b.node("Post", "twitter:2", platform="twitter", kind="share")
    b.edge("SHARES", "Post", "twitter:2", "Post", BLOG, native=True)
    b.edge("LINKS_TO", "Post", "twitter:2", "Url", BLOG, position=1)
    sqlite = both(neo4j_store, b)
    assert neo4j_store.reconcile_links() == sqlite.reconcile_links() == {"urls_folded": 1}
    assert_same_graph(sqlite, neo4j_store)
    post = neo4j_store.get_node("Post", BLOG)
    assert post["text"] == "Соцсети" and post["domain"] == "nigoh.wordpress.com"
    assert post["source"] == "test"
    shares = neo4j_store.edges(["SHARES"], columns=["native", "position", "source"])
    assert set(shares["src"]) == {"twitter:1", "twitter:2"}
    assert set(neo4j_store.edges(["LINKS_TO"])["src"]) == {"other.livejournal.com/2.html",
                                                           "twitter:sharer"}
    # the merged relationship keeps its own source and run, and spans both first/last seen
    _, edges = raw_graph(neo4j_store)
    (moved,) = [e for e in edges if e[0] == "SHARES" and e[2] == "twitter:2"]
    assert moved[5] == {"native": True, "position": 1} and moved[6] == "test"
    assert moved[8] <= moved[9]
    version = neo4j_store.meta("graph_version")
    # nothing left to fold: nothing changes, not even the version
    assert neo4j_store.reconcile_links() == {"urls_folded": 0}
    assert neo4j_store.meta("graph_version") == version
    # re-collect and reconcile again: same graph as SQLite after the same steps
    for store in (sqlite, neo4j_store):
        store.write_batch(b, store.begin_run("again", [], {}))
        store.reconcile_links()
    assert_same_graph(sqlite, neo4j_store)


@neo4j
@pytest.mark.parametrize("n_nodes", [9, 10])  # a multiple of the chunk size, and not
def test_set_props_and_clear_commit_in_chunks(neo4j_store, monkeypatch, n_nodes):
    # Large graphs exceed Neo4j's transaction memory in one transaction: the store clears and
    # writes CHUNK_ROWS nodes per transaction. Every node must still be cleared and written.
    import netmap.store.neo4j as neo4j_module

    monkeypatch.setattr(neo4j_module, "CHUNK_ROWS", 3)
    b = Batch(source="t")
    for i in range(n_nodes):
        b.node("Account", f"twitter:c{i}", platform="twitter", community=1, pagerank=0.5)
    neo4j_store.write_batch(b, neo4j_store.begin_run("t", [], {}))
    rows = [(f"twitter:c{i}", {"bridge_score": float(i)}) for i in range(n_nodes)]
    assert neo4j_store.set_props("Account", rows, clear=["community", "pagerank"]) == n_nodes
    df = neo4j_store.nodes("Account", columns=["community", "pagerank", "bridge_score"])
    assert df["community"].isna().all() and df["pagerank"].isna().all()
    assert sorted(df["bridge_score"]) == [float(i) for i in range(n_nodes)]


@neo4j
def test_set_props_and_clear(neo4j_store):
    sqlite = both(neo4j_store, rich_batch())
    rows = [("twitter:u1", {"pagerank": 0.5, "community": 1, "group": "critic", "odd key`}": 1}),
            ("twitter:u2", {"pagerank": 0.25, "community": 2, "key": "not-a-key"}),
            ("twitter:nobody", {"pagerank": 1.0})]
    assert neo4j_store.set_props("Account", rows) == sqlite.set_props("Account", rows) == 2
    assert neo4j_store.get_node("Account", "twitter:u2")["key"] == "twitter:u2"
    cols = ["pagerank", "community", "group", "odd key`}"]
    pd.testing.assert_frame_equal(neo4j_store.nodes("Account", columns=cols),
                                  sqlite.nodes("Account", columns=cols))
    clear = ["pagerank", "odd key`}", "never-set", "source"]
    rows2 = [("twitter:u3", {"pagerank": 0.75})]
    assert neo4j_store.set_props("Account", rows2, clear=clear) == 1
    sqlite.set_props("Account", rows2, clear=clear)
    pd.testing.assert_frame_equal(neo4j_store.nodes("Account", columns=cols),
                                  sqlite.nodes("Account", columns=cols))
    node = neo4j_store.get_node("Account", "twitter:u1")
    assert "pagerank" not in node and node["community"] == 1 and node["source"] == "rich.jsonl"
    assert neo4j_store.get_node("Account", "twitter:u3")["pagerank"] == 0.75
    with pytest.raises(StoreError, match="unknown node label"):
        neo4j_store.set_props("Nope", rows)
    # results are not collected data: the fingerprint stays
    fp = neo4j_store.fingerprint()
    neo4j_store.set_props("Account", [("twitter:u0", {"pagerank": 0.1})])
    assert neo4j_store.fingerprint() == fp


@neo4j
def test_delete_and_derived_edges(neo4j_store):
    sqlite = both(neo4j_store, rich_batch())
    person = Batch(source="identity")
    person.node("Person", "person:u", name="U")
    for store in (sqlite, neo4j_store):
        store.write_batch(person, store.begin_run("resolve", [], {}))
    rows = [("BELONGS_TO", "Account", "twitter:u1", "Person", "person:u",
             {"method": "seed", "confidence": 1.0}),
            ("BELONGS_TO", "Account", "twitter:u2", "Person", "person:u", {"method": "bio"})]
    assert neo4j_store.write_edges(rows, "r1", "identity") == sqlite.write_edges(rows, "r1", "identity")
    assert_same_graph(sqlite, neo4j_store)
    with pytest.raises(StoreError):
        neo4j_store.write_edges([("BELONGS_TO", "Post", "x", "Person", "y", {})], "r", "s")
    assert neo4j_store.delete_edges("BELONGS_TO") == sqlite.delete_edges("BELONGS_TO") == 2
    keys = ["twitter:u0", "twitter:u0", "twitter:missing"]
    assert neo4j_store.delete_nodes("Account", keys) == sqlite.delete_nodes("Account", keys) == 1
    assert neo4j_store.delete_nodes("Nope", ["x"]) == 0
    sqlite.delete_nodes("Nope", ["x"])
    assert_same_graph(sqlite, neo4j_store)
    assert neo4j_store.meta("graph_version") == sqlite.meta("graph_version")
    with pytest.raises(StoreError):
        neo4j_store.delete_edges("NOPE")


@pytest.mark.parametrize("props", [
    {"name": "x", "n": 3, "f": 0.5, "ok": True},
    {"big": 2**70, "name": "x"},
    {"nan": float("nan"), "inf": float("inf"), "name": "x"},
    {"key": "evil", "source": "s", "name": "x"},
    {"": 1, "a\x00b": 2, "name": "x"},
    {"tags": ["a", 1], "none": None, "nested": {"a": 1}},
])
def test_row_props_fast_path_equals_neo4j_props(props):
    # push and the neo4j-admin files read rows through transfer._data, which skips
    # neo4j_props for plain rows: the result must be what neo4j_props gives
    from netmap.store.transfer import _data

    text = json.dumps(props)  # NaN/Infinity as the stdlib writes them
    assert _data(text) == neo4j_props(json.loads(text))


HOSTILE = [
    "it's",
    'say "hi"',
    "back`tick`",
    "}) DETACH DELETE n //",
    "'}) MATCH (m) DETACH DELETE m //",
    "nul\x00inside",
    "\\u0000 and \\\\",
    "emoji 😀 and RTL سلام",
    "$param {key: 1}",
]


@neo4j
def test_hostile_strings_round_trip(neo4j_store):
    big = "Ж" * 1_000_000
    b = Batch(source="hostile `'\"}) DETACH DELETE n //")
    for i, text in enumerate(HOSTILE):
        # (Neo4j cannot hold a NUL in a property name: see the test below)
        b.node("Post", text, platform="blog", text=text, title=big if i == 0 else text,
               tags=[text, "x"], **({text: i} if "\x00" not in text else {}))
        b.node("Account", f"blog:{text}", name=text)
        b.edge("AUTHORED", "Account", f"blog:{text}", "Post", text, note=text)
    sqlite = both(neo4j_store, b)
    counts = neo4j_store.counts()
    assert counts["nodes"]["Post"] == len(HOSTILE) and counts["nodes"]["Account"] == len(HOSTILE)
    assert counts["relationships"]["AUTHORED"] == len(HOSTILE)
    for i, text in enumerate(HOSTILE):
        node = neo4j_store.get_node("Post", text)
        assert node["key"] == text and node["text"] == text
        assert node.get(text) == (None if "\x00" in text else i)
        assert node["tags"] == [text, "x"]
        assert node["source"] == "hostile `'\"}) DETACH DELETE n //"
    assert neo4j_store.get_node("Post", HOSTILE[0])["title"] == big
    assert_same_graph(sqlite, neo4j_store)
    named = [h for h in HOSTILE if "\x00" not in h]
    by_name = neo4j_store.nodes("Post", columns=named).set_index("key")
    for i, text in enumerate(HOSTILE):
        if text in named:
            assert by_name.loc[text, text] == i
    # SQLite's JSON paths cannot name a property with a double quote or a backslash
    cols = ["text", "tags", *[h for h in named if '"' not in h and "\\" not in h]]
    mine, theirs = neo4j_store.nodes("Post", columns=cols), sqlite.nodes("Post", columns=cols)
    # SQLite's json_extract cuts a string at NUL ("nul\x00inside" reads "nul"); Neo4j keeps it.
    nul = mine["key"].str.contains("\x00", regex=False)
    assert mine.loc[nul, "text"].tolist() == ["nul\x00inside"]
    assert theirs.loc[nul, "text"].tolist() == ["nul"]
    pd.testing.assert_frame_equal(mine[~nul], theirs[~nul])
    # hostile strings as analysis results, cleared keys, and deletions
    neo4j_store.set_props("Post", [(t, {"group": t}) for t in HOSTILE], clear=HOSTILE)
    assert neo4j_store.get_node("Post", HOSTILE[3])["group"] == HOSTILE[3]
    assert HOSTILE[3] not in neo4j_store.get_node("Post", HOSTILE[3])
    assert neo4j_store.delete_nodes("Post", [HOSTILE[3]]) == 1
    assert neo4j_store.counts()["nodes"]["Post"] == len(HOSTILE) - 1
    assert neo4j_store.counts()["nodes"]["Account"] == len(HOSTILE)


@neo4j
def test_property_names_neo4j_cannot_hold_are_dropped(neo4j_store):
    run = neo4j_store.begin_run("t", [], {})
    b = Batch(source="csv")
    b.node("Account", "twitter:x", **{"": "empty name", "a\x00b": 1, "ok": 2})
    neo4j_store.write_batch(b, run)
    node = neo4j_store.get_node("Account", "twitter:x")
    assert node["ok"] == 2 and "" not in node and "a\x00b" not in node


@neo4j
def test_runs_and_meta(neo4j_store):
    sqlite = SQLiteStore(":memory:")
    for store in (sqlite, neo4j_store):
        r1 = store.begin_run("collect feeds", ["a.xml", "b.xml"], {"format": "feeds", "n": 1})
        store.end_run(r1, read=3, stored=2, rejected=1, status="ok")
        r2 = store.begin_run("collect twitter", ["t.jsonl"], {})
        store.end_run(r2, read=0, stored=0, rejected=0, status="failed", error="boom ' `")
        store.begin_run("still running", [], {})
    volatile = ["run", "started", "finished"]
    mine, theirs = neo4j_store.runs(), sqlite.runs()
    pd.testing.assert_frame_equal(mine.drop(columns=volatile), theirs.drop(columns=volatile))
    assert list(mine["status"]) == ["ok", "failed", "running"]
    assert neo4j_store.meta("nope") is None
    neo4j_store.set_meta("x", "1")
    neo4j_store.set_meta("x", "two ' `")
    assert neo4j_store.meta("x") == "two ' `"
    assert neo4j_store.counts() == sqlite.counts()  # runs and meta are not graph nodes


@neo4j
def test_write_batch_is_atomic(neo4j_store, monkeypatch):
    run = neo4j_store.begin_run("t", [], {})
    b = Batch(source="odd")
    b.node("Account", "twitter:odd", nested={"a": [1, [2]]}, value=2**63)  # coerced, not fatal
    neo4j_store.write_batch(b, run)
    node = neo4j_store.get_node("Account", "twitter:odd")
    assert node["value"] == float(2**63) and node["nested"] == "{'a': [1, [2]]}"
    before, version = neo4j_store.counts(), neo4j_store.meta("graph_version")
    # the relationship statement fails on the server after the nodes were written
    monkeypatch.setattr(cq, "edge_query", lambda *a: "UNWIND $rows AS r RETURN 1 / 0 AS n")
    bad = Batch(source="bad")
    bad.node("Account", "twitter:new", platform="twitter")
    bad.edge("AUTHORED", "Account", "twitter:new", "Post", "twitter:9")
    with pytest.raises(StoreError, match="by zero"):
        neo4j_store.write_batch(bad, run)
    assert neo4j_store.counts() == before
    assert neo4j_store.meta("graph_version") == version


# -- push / pull -------------------------------------------------------------------------------
def _origin() -> SQLiteStore:
    sqlite = SQLiteStore(":memory:")
    run = sqlite.begin_run("collect", ["rich.jsonl"], {})
    sqlite.write_batch(rich_batch(), run)
    sqlite.write_batch(make_batch(), run)
    sqlite.reconcile_links()
    sqlite.end_run(run, read=7, stored=7, rejected=0)
    sqlite.set_props("Account", [("twitter:u1", {"group": "critic", "community": 3,
                                                 "pagerank": 0.42})])
    return sqlite


@neo4j
def test_push_copies_everything_with_provenance(neo4j_store):
    sqlite = _origin()
    report = push(sqlite, neo4j_store, batch_size=7)
    assert report["nodes"] == sum(sqlite.counts()["nodes"].values())
    assert report["relationships"] == sum(sqlite.counts()["relationships"].values())
    assert report["skipped"] == 0 and report["runs"] == 1 and not report["resumed"]
    assert_same_graph(sqlite, neo4j_store, timestamps=True)
    acc = neo4j_store.get_node("Account", "twitter:u1")
    assert (acc["group"], acc["community"], acc["pagerank"]) == ("critic", 3, 0.42)
    assert acc == sqlite.get_node("Account", "twitter:u1")
    assert neo4j_store.runs()["run"].tolist() == sqlite.runs()["run"].tolist()
    assert neo4j_store.meta("push:state") is None


@neo4j
def test_push_twice_changes_nothing(neo4j_store):
    sqlite = _origin()
    push(sqlite, neo4j_store)
    snapshot = {lab: neo4j_store.nodes(lab) for lab in NODE_LABELS}
    edges = neo4j_store.edges(columns=["source", "run", *TIMESTAMPS])
    counts = neo4j_store.counts()
    push(sqlite, neo4j_store)
    assert neo4j_store.counts() == counts
    for lab in NODE_LABELS:
        pd.testing.assert_frame_equal(neo4j_store.nodes(lab), snapshot[lab])
    pd.testing.assert_frame_equal(neo4j_store.edges(columns=["source", "run", *TIMESTAMPS]), edges)


@neo4j
def test_interrupted_push_completes_on_rerun(neo4j_store):
    sqlite = _origin()
    calls: list[tuple[str, int, int]] = []

    class Stop(Exception):
        pass

    def stop_in_relationships(table: str, done: int, total: int) -> None:
        calls.append((table, done, total))
        if table == "relationships" and done >= 10:
            raise Stop

    with pytest.raises(Stop):  # one worker: the stop point is exact
        push(sqlite, neo4j_store, batch_size=5, workers=1, progress=stop_in_relationships)
    partial = neo4j_store.counts()
    assert 0 < sum(partial["relationships"].values()) < sum(
        sqlite.counts()["relationships"].values())
    assert json.loads(neo4j_store.meta("push:state"))["table"] == "relationships"
    seen: list[tuple[str, int, int]] = []
    report = push(sqlite, neo4j_store, batch_size=5, progress=lambda *a: seen.append(a))
    assert report["resumed"] and report["nodes"] == 0  # nodes were done: not sent again
    assert seen[0][0] == "relationships" and seen[0][1] == 15
    assert_same_graph(sqlite, neo4j_store, timestamps=True)
    assert neo4j_store.meta("push:state") is None


@neo4j
@pytest.mark.parametrize("stop_at", ["nodes", "relationships"])
def test_parallel_push_interrupted_resumes_exactly_the_missing_chunks(neo4j_store, stop_at):
    sqlite = _origin()
    total = sqlite.counts()

    class Stop(Exception):
        pass

    def stop(table: str, done: int, total_rows: int) -> None:
        if table == stop_at and done >= 6:
            raise Stop

    with pytest.raises(Stop):
        push(sqlite, neo4j_store, batch_size=3, workers=4, progress=stop)
    # whole chunks only, each with its marker
    markers = neo4j_store._read_all(cq.fixed("meta_names"), prefix="push:chunk:")
    assert markers
    partial = neo4j_store.counts()
    for part in ("nodes", "relationships"):
        assert sum(partial[part].values()) <= sum(total[part].values())
    report = push(sqlite, neo4j_store, batch_size=1000, workers=4)  # keeps the size it began with
    assert report["resumed"]
    # nothing sent twice: what this call wrote plus what was there makes the origin
    assert report["nodes"] + sum(partial["nodes"].values()) == sum(total["nodes"].values())
    assert (report["relationships"] + sum(partial["relationships"].values())
            == sum(total["relationships"].values()))
    assert_same_graph(sqlite, neo4j_store, timestamps=True)
    assert neo4j_store._read_all(cq.fixed("meta_names"), prefix="push:chunk:") == []
    assert neo4j_store.meta("push:state") is None


@neo4j
def test_push_restarts_when_origin_changed(neo4j_store):
    sqlite = _origin()

    def stop(table: str, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(sqlite, neo4j_store, batch_size=5, progress=stop)
    b = Batch(source="late")
    b.node("Account", "twitter:late", platform="twitter")
    sqlite.write_batch(b, sqlite.begin_run("late", [], {}))
    report = push(sqlite, neo4j_store, batch_size=5)
    assert not report["resumed"]
    assert_same_graph(sqlite, neo4j_store, timestamps=True)


@neo4j
def test_pull_round_trip(neo4j_store, tmp_path):
    sqlite = _origin()
    push(sqlite, neo4j_store)
    copy = SQLiteStore(tmp_path / "pulled.db")
    report = pull(neo4j_store, copy)
    assert report["nodes"] == sum(sqlite.counts()["nodes"].values())
    assert_same_graph(sqlite, copy, timestamps=True)
    assert copy.runs()["run"].tolist() == sqlite.runs()["run"].tolist()
    # pulling again changes nothing
    pull(neo4j_store, copy)
    assert_same_graph(sqlite, copy, timestamps=True)
    copy.close()


@neo4j
def test_push_into_empty_target_creates_and_remembers_it(neo4j_store):
    sqlite = _origin()

    def stop(table: str, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(sqlite, neo4j_store, batch_size=5, progress=stop)
    # the target was empty: the first chunk went in with CREATE, and the marker says so
    assert json.loads(neo4j_store.meta("push:state"))["fresh"] is True
    report = push(sqlite, neo4j_store, batch_size=5)
    assert report["resumed"]
    assert_same_graph(sqlite, neo4j_store, timestamps=True)


@neo4j
def test_push_into_non_empty_target_merges(neo4j_store):
    sqlite = _origin()
    b = Batch(source="already-there")
    b.node("Account", "twitter:u1", platform="twitter", extra="kept")
    b.node("Account", "twitter:only-in-neo4j", platform="twitter")
    neo4j_store.write_batch(b, neo4j_store.begin_run("before", [], {}))

    def stop(table: str, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(sqlite, neo4j_store, batch_size=5, progress=stop)
    assert json.loads(neo4j_store.meta("push:state"))["fresh"] is False
    report = push(sqlite, neo4j_store, batch_size=5)
    assert report["resumed"] and report["skipped"] == 0
    origin = sum(sqlite.counts()["nodes"].values())
    assert sum(neo4j_store.counts()["nodes"].values()) == origin + 1
    acc = neo4j_store.get_node("Account", "twitter:u1")
    assert acc["extra"] == "kept" and acc["group"] == "critic"  # merged, not duplicated


@neo4j
def test_fresh_push_falls_back_to_merge_when_target_gains_nodes(neo4j_store):
    sqlite = _origin()

    def stop(table: str, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(sqlite, neo4j_store, batch_size=5, progress=stop)
    # another writer adds a node the rest of the push will send: CREATE would break the key
    # constraint, so the chunk must roll back and go again with MERGE
    last = sqlite.conn.execute(
        "SELECT label, key FROM nodes ORDER BY label DESC, key DESC LIMIT 1").fetchone()
    b = Batch(source="meanwhile")
    b.node(last[0], last[1], note="meanwhile")
    neo4j_store.write_batch(b, neo4j_store.begin_run("meanwhile", [], {}))
    report = push(sqlite, neo4j_store, batch_size=5)
    assert report["resumed"]
    assert neo4j_store.counts() == sqlite.counts()
    node = neo4j_store.get_node(last[0], last[1])
    assert node["note"] == "meanwhile"
    origin = sqlite.get_node(last[0], last[1])
    assert {k: node[k] for k in origin if k not in cq.PROVENANCE} == {
        k: v for k, v in origin.items() if k not in cq.PROVENANCE}
    assert neo4j_store.meta("push:state") is None
