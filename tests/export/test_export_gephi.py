"""GEXF 1.3 and GraphML: structure, types, and round trips through networkx."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from exportdata import XSS_BREAKOUT, XSS_IMG, XSS_SCRIPT

from netmap.export import get_exporter
from netmap.export.gephi import GEXF_NS, VIZ_NS

G = f"{{{GEXF_NS}}}"
V = f"{{{VIZ_NS}}}"


@pytest.fixture
def gexf(small_store, tmp_path):
    report = get_exporter("gexf").export(small_store, tmp_path / "g.gexf", max_nodes=None)
    return report


def test_gexf_structure(gexf):
    root = ET.parse(gexf.path).getroot()
    assert root.tag == f"{G}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{G}graph")
    assert graph.get("defaultedgetype") == "directed"
    declared = {}
    for attrs in graph.findall(f"{G}attributes"):
        assert attrs.get("class") in ("node", "edge")
        ids = [a.get("id") for a in attrs.findall(f"{G}attribute")]
        assert len(ids) == len(set(ids))
        for a in attrs.findall(f"{G}attribute"):
            assert a.get("type") in {"string", "double", "integer", "long", "boolean"}
            declared[(attrs.get("class"), a.get("title"))] = (a.get("id"), a.get("type"))
    assert declared[("node", "pagerank")][1] == "double"
    assert declared[("node", "group_score")][1] == "double"  # 1.0 for seeds: still a score
    assert declared[("node", "followers")][1] == "integer"
    assert declared[("node", "community")][1] == "integer"
    assert declared[("edge", "cross_platform")][1] == "boolean"
    assert declared[("edge", "n_share")][1] == "integer"
    node_ids = {v[0] for k, v in declared.items() if k[0] == "node"}
    nodes = graph.find(f"{G}nodes").findall(f"{G}node")
    assert len(nodes) == 6 == gexf.nodes
    for node in nodes:
        for av in node.iter(f"{G}attvalue"):
            assert av.get("for") in node_ids
        colour = node.find(f"{V}color")
        assert all(0 <= int(colour.get(c)) <= 255 for c in "rgb")
        assert float(node.find(f"{V}size").get("value")) > 0
        pos = node.find(f"{V}position")
        assert pos is not None and pos.get("x") and pos.get("y")
    edges = graph.find(f"{G}edges").findall(f"{G}edge")
    assert len(edges) == 6 == gexf.edges
    keys = {n.get("id") for n in nodes}
    assert all(e.get("source") in keys and e.get("target") in keys for e in edges)
    assert all(float(e.get("weight")) > 0 for e in edges)


def test_gexf_round_trip_through_networkx(gexf):
    g = nx.read_gexf(gexf.path)
    assert g.is_directed() and g.number_of_nodes() == 6 and g.number_of_edges() == 6
    evil1 = g.nodes["twitter:evil1"]
    assert evil1["name"] == XSS_SCRIPT and evil1["label"] == XSS_SCRIPT
    assert json.loads(evil1["group_evidence"]) == [XSS_BREAKOUT]
    assert evil1["group_score"] == pytest.approx(0.75)
    assert evil1["bio"] == "control  char"  # the control character XML cannot carry is gone
    assert g.nodes["twitter:evil2"]["name"] == XSS_IMG
    blog = g.nodes["blog:nigoh.example/nigoh"]
    assert blog["followers"] == 120 and isinstance(blog["followers"], int)
    assert json.loads(blog["profile_links"]) == ["https://twitter.com/nigoh", "https://t.me/nigoh"]
    assert blog["community"] == 0 and blog["platform"] == "blog"
    assert set(blog["viz"]) == {"color", "size", "position"}
    assert "\u2028" in g.nodes["blog:other.example"]["name"]
    assert "group" not in g.nodes["telegram:chan"]  # missing values are left out, not ""
    tie = g.edges["twitter:evil1", "blog:nigoh.example/nigoh"]
    assert tie["cross_platform"] is True and tie["n_share"] == 1 and tie["weight"] == 1.0
    assert g.edges["blog:other.example", "blog:nigoh.example/nigoh"]["cross_platform"] is False
    # Same group -> same colour; group colours differ.
    c = {k: g.nodes[k]["viz"]["color"] for k in g.nodes}
    assert c["twitter:evil1"] == c["blog:other.example"] != c["blog:nigoh.example/nigoh"]


def test_gexf_reduced_note(small_store, tmp_path):
    report = get_exporter("gexf").export(small_store, tmp_path / "r.gexf", max_nodes=2)
    assert report.reduced and report.nodes == 2
    root = ET.parse(report.path).getroot()
    assert "showing 2 of 6 accounts" in root.find(f"{G}meta/{G}description").text
    assert nx.read_gexf(report.path).number_of_nodes() == 2


def test_graphml_round_trip(small_store, tmp_path):
    report = get_exporter("graphml").export(small_store, tmp_path / "g.graphml", max_nodes=None)
    g = nx.read_graphml(report.path)
    assert g.is_directed() and g.number_of_nodes() == 6 and g.number_of_edges() == 6
    evil1 = g.nodes["twitter:evil1"]
    assert evil1["name"] == XSS_SCRIPT and evil1["pagerank"] == pytest.approx(0.2)
    assert g.nodes["blog:nigoh.example/nigoh"]["followers"] == 120
    assert isinstance(g.nodes["blog:nigoh.example/nigoh"]["followers"], int)
    assert "group" not in g.nodes["telegram:chan"]  # None values dropped
    assert g.nodes["twitter:evil2"]["url"] == "javascript:alert(1)"  # data kept as data
    tie = g.edges["telegram:chan", "twitter:evil1"]
    assert tie["cross_platform"] is True and tie["n_share"] == 1
    assert tie["weight"] == pytest.approx(1.0)
    text = report.path.read_text(encoding="utf-8")
    assert re.search(r'attr.name="followers" attr.type="(int|long)"', text)
    assert 'attr.name="cross_platform" attr.type="boolean"' in text


# -- validation against the GEXF 1.3 schema -------------------------------------------

SCHEMA_DIR = __import__("pathlib").Path(__file__).with_name("schema")


@pytest.fixture(scope="module")
def gexf_schema():
    """GEXF 1.3 as XML Schema: tests/export/schema/*.xsd.

    These .xsd files are a HAND-WRITTEN TRANSCRIPTION of the GEXF 1.3
    specification (the RELAX NG grammar and primer published at gexf.net),
    made for these tests: no package on PyPI or npm ships the GEXF schema, and
    the .xsd the GEXF project publishes for 1.3 leaves the graph, node and
    edge content undefined. Where XML Schema 1.0 cannot say what RELAX NG
    says (children in any order, either/or attributes) the transcription is
    looser, never stricter; gexf.xsd's header lists where.
    """
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "gexf.xsd")))


def _validate(schema, path):
    from lxml import etree

    doc = etree.parse(str(path))
    ok = schema.validate(doc)
    return ok, [f"{e.line}: {e.message}" for e in schema.error_log]


def test_gexf_validates_against_the_1_3_schema(gexf, gexf_schema):
    ok, errors = _validate(gexf_schema, gexf.path)
    assert ok, errors


def test_big_and_empty_gexf_validate(tmp_path, gexf_schema):
    from exportdata import build_big_store

    from netmap.store.sqlite import SQLiteStore

    store = build_big_store(tmp_path / "big.db", 800)
    try:
        for reduce in ("top", "kcore"):
            report = get_exporter("gexf").export(store, tmp_path / f"{reduce}.gexf",
                                                 max_nodes=300, reduce=reduce)
            ok, errors = _validate(gexf_schema, report.path)
            assert ok, errors
    finally:
        store.close()
    empty = SQLiteStore(tmp_path / "empty.db")
    try:
        report = get_exporter("gexf").export(empty, tmp_path / "e.gexf")
    finally:
        empty.close()
    ok, errors = _validate(gexf_schema, report.path)
    assert ok, errors


@pytest.mark.parametrize("breakage", [
    ('version="1.3"', 'version="1.2"'),  # wrong version
    ('<viz:color r="', '<viz:color r="300" x="'),  # channel above 255, unknown attribute
    ('type="double"', 'type="decimal"'),  # not a GEXF attribute type
    ("<edges>", "<edges><edge/>"),  # edge without source and target
    ('<attributes class="node">', '<attributes class="node" mode="static">'),  # 1.2 only
])
def test_schema_rejects_broken_files(gexf, gexf_schema, tmp_path, breakage):
    """The schema is strict enough to catch real mistakes (so the test above can fail)."""
    text = gexf.path.read_text(encoding="utf-8")
    assert breakage[0] in text
    bad = tmp_path / "bad.gexf"
    bad.write_text(text.replace(breakage[0], breakage[1], 1), encoding="utf-8")
    ok, errors = _validate(gexf_schema, bad)
    assert not ok and errors
