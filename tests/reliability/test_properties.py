"""Property-based tests: idempotent upserts on Neo4j, SQLite and Neo4j hold the same graph,
and URL canonicalisation is idempotent on broad generated URLs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.keys import url_key
from netmap.model import Batch
from netmap.store.sqlite import SQLiteStore

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=12)
props = st.dictionaries(st.sampled_from(["name", "text", "n", "flag", "tags"]),
                        st.one_of(text, st.integers(-5, 5), st.booleans(),
                                  st.lists(st.text(max_size=4), max_size=3)), max_size=4)
keys = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               min_size=1, max_size=6)
node_rows = st.lists(st.tuples(st.sampled_from(["Account", "Post", "Hashtag"]), keys, props),
                     max_size=10)
edge_rows = st.lists(st.tuples(keys, keys), max_size=8)


def make_batch(nodes, edges) -> Batch:
    b = Batch(source="h")
    for label, key, p in nodes:
        b.node(label, key, **p)
    for a, p in edges:
        b.edge("AUTHORED", "Account", a, "Post", p)
    return b


def graph(store) -> tuple:
    out = []
    for label in ("Account", "Post", "Hashtag"):
        df = store.nodes(label, ["name", "text", "n", "flag", "tags"])
        out.append(sorted(tuple(str(v) for v in r) for r in df.itertuples(index=False)))
    e = store.edges(["AUTHORED"])
    out.append(sorted(map(tuple, e.astype(str).values.tolist())))
    return tuple(map(tuple, out))


@pytest.mark.neo4j
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(nodes=node_rows, edges=edge_rows)
def test_neo4j_twice_equals_once_and_equals_sqlite(neo4j_uri, nodes, edges):
    from netmap.store.neo4j import Neo4jStore

    neo = Neo4jStore(neo4j_uri)
    neo._write(lambda tx: tx.run("MATCH (n) DETACH DELETE n").consume())  # a fresh graph
    lite = SQLiteStore(":memory:")
    try:
        b = make_batch(nodes, edges)
        for s in (neo, lite):
            s.write_batch(b, s.begin_run("t", [], {}))
        once = graph(neo)
        neo.write_batch(b, "again")
        assert graph(neo) == once
        assert once == graph(lite)
        assert neo.counts() == lite.counts()
    finally:
        neo.close()
        lite.close()


segment = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), max_codepoint=0x4FF),
                  min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(host=st.from_regex(r"[a-z][a-z0-9]{0,9}\.(com|tj|ru|org)", fullmatch=True),
       www=st.booleans(), scheme=st.sampled_from(["http", "https"]),
       path=st.lists(segment, max_size=3), query=st.lists(
           st.tuples(st.from_regex(r"[a-z]{1,5}", fullmatch=True), segment), max_size=2),
       utm=st.lists(st.sampled_from(["utm_source=tw", "utm_medium=social", "fbclid=abc"]),
                    max_size=2),
       fragment=st.one_of(st.none(), segment))
def test_url_key_idempotent_broad(host, www, scheme, path, query, utm, fragment):
    url = f"{scheme}://{'www.' if www else ''}{host}/" + "/".join(path)
    params = [f"{k}={v}" for k, v in query] + utm
    if params:
        url += "?" + "&".join(params)
    if fragment:
        url += "#" + fragment
    k = url_key(url)
    assert url_key("https://" + k) == k
    assert url_key("http://" + k) == k
    assert "utm_" not in k and "fbclid" not in k and "#" not in k
    assert not k.startswith("www.")
