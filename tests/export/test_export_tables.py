"""CSV and node-link JSON: every attribute, read back."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
from exportdata import XSS_BREAKOUT, XSS_IMG, XSS_SCRIPT

from netmap.export import get_exporter


def test_csv_file_pair(small_store, tmp_path):
    report = get_exporter("csv").export(small_store, tmp_path / "out.csv", max_nodes=None)
    assert report.paths == (tmp_path / "out.csv", tmp_path / "out-edges.csv")
    nodes = pd.read_csv(report.paths[0], keep_default_na=False, na_values=[""])
    edges = pd.read_csv(report.paths[1])
    assert list(nodes.columns[:3]) == ["key", "platform", "handle"]
    assert {"name", "url", "group", "group_score", "group_source", "group_evidence",
            "community", "pagerank", "followers", "profile_links", "bio"} <= set(nodes.columns)
    by_key = nodes.set_index("key")
    assert by_key.loc["twitter:evil1", "name"] == XSS_SCRIPT
    assert by_key.loc["twitter:evil2", "name"] == XSS_IMG
    assert json.loads(by_key.loc["twitter:evil2", "group_evidence"]) == [XSS_SCRIPT, XSS_IMG]
    assert json.loads(by_key.loc["twitter:evil1", "group_evidence"]) == [XSS_BREAKOUT]
    assert by_key.loc["blog:nigoh.example/nigoh", "followers"] == 120
    assert by_key.loc["twitter:evil1", "pagerank"] == pytest.approx(0.2)
    assert pd.isna(by_key.loc["telegram:chan", "group"])
    assert "\u2028" in by_key.loc["blog:other.example", "name"]
    assert len(nodes) == 6 and len(edges) == 6
    assert list(edges.columns[:4]) == ["src", "dst", "weight", "cross_platform"]
    assert edges["cross_platform"].dtype == bool and edges["cross_platform"].sum() == 3
    assert {"n_share", "n_quote", "n_reply", "n_mention"} <= set(edges.columns)
    assert set(edges["src"]) | set(edges["dst"]) <= set(nodes["key"])


def test_csv_folder(small_store, tmp_path):
    report = get_exporter("csv").export(small_store, tmp_path / "tables", max_nodes=3)
    assert report.paths == (tmp_path / "tables" / "nodes.csv", tmp_path / "tables" / "edges.csv")
    assert report.reduced and len(pd.read_csv(report.paths[0])) == 3
    assert len(pd.read_csv(report.paths[1])) == report.edges == 2


def test_json_node_link_round_trip(small_store, tmp_path):
    report = get_exporter("json").export(small_store, tmp_path / "g.json", max_nodes=None)
    data = json.loads(report.path.read_text(encoding="utf-8"))
    assert data["directed"] is True and data["multigraph"] is False
    assert len(data["nodes"]) == 6 and len(data["links"]) == 6
    g = nx.node_link_graph(data, edges="links")
    assert g.is_directed()
    evil1 = g.nodes["twitter:evil1"]
    assert evil1["name"] == XSS_SCRIPT and evil1["group_evidence"] == [XSS_BREAKOUT]
    blog = g.nodes["blog:nigoh.example/nigoh"]
    assert blog["profile_links"] == ["https://twitter.com/nigoh", "https://t.me/nigoh"]
    assert blog["followers"] == 120 and blog["group_score"] == 1.0
    assert "group" not in g.nodes["telegram:chan"]
    tie = g.edges["twitter:evil2", "blog:nigoh.example/nigoh"]
    assert tie["weight"] == 1.0 and tie["cross_platform"] is True and tie["n_share"] == 1
    assert {k: v for k, v in tie.items() if k.startswith("n_") and k != "n_share"} == {
        "n_comment": 0, "n_link": 0, "n_mention": 0, "n_quote": 0, "n_reply": 0, "n_site_link": 0}
    assert data["graph"]["total_nodes"] == 6 and data["graph"]["reduced"] is False


def test_empty_store_exports_empty_tables(tmp_path):
    from netmap.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "empty.db")
    try:
        report = get_exporter("json").export(store, tmp_path / "e.json")
        data = json.loads(report.path.read_text(encoding="utf-8"))
        assert data["nodes"] == [] and data["links"] == []
        csv = get_exporter("csv").export(store, tmp_path / "e.csv")
        assert csv.nodes == 0
        html = get_exporter("html").export(store, tmp_path / "e.html")
        assert html.nodes == 0 and html.path.is_file()
        gexf = get_exporter("gexf").export(store, tmp_path / "e.gexf")
        assert nx.read_gexf(gexf.path).number_of_nodes() == 0
    finally:
        store.close()


def test_parquet_tables_keep_types(small_store, tmp_path):
    import pyarrow.parquet as pq  # a test dependency: missing pyarrow fails, never skips

    report = get_exporter("parquet").export(small_store, tmp_path / "out", max_nodes=None)
    assert report.paths == (tmp_path / "out" / "nodes.parquet", tmp_path / "out" / "edges.parquet")
    nodes_t = pq.read_table(report.paths[0])
    edges_t = pq.read_table(report.paths[1])
    import pyarrow as pa

    types = {f.name: str(f.type) for f in nodes_t.schema}
    links = nodes_t.schema.field("profile_links").type
    assert pa.types.is_list(links) and links.value_type == pa.string()
    assert types["followers"] == "int64" and types["community"] == "int64"
    assert types["pagerank"] == "double" and types["group_score"] == "double"
    assert types["name"] == "string"
    etypes = {f.name: str(f.type) for f in edges_t.schema}
    assert etypes["cross_platform"] == "bool" and etypes["n_share"] == "int64"
    assert etypes["weight"] == "double"
    nodes = nodes_t.to_pandas().set_index("key")
    assert nodes.loc["twitter:evil1", "name"] == XSS_SCRIPT
    assert list(nodes.loc["blog:nigoh.example/nigoh", "profile_links"]) == [
        "https://twitter.com/nigoh", "https://t.me/nigoh"]
    assert list(nodes.loc["twitter:evil2", "group_evidence"]) == [XSS_SCRIPT, XSS_IMG]
    assert list(nodes.loc["twitter:evil1", "group_evidence"]) == [XSS_BREAKOUT]
    assert nodes["group"].isna().sum() == 2 and len(nodes) == 6
    edges = edges_t.to_pandas()
    assert len(edges) == 6 and int(edges["cross_platform"].sum()) == 3
    meta = json.loads(nodes_t.schema.metadata[b"netmap"])
    assert meta["total_nodes"] == 6 and meta["reduced"] is False


def test_parquet_file_pair_and_reduction(small_store, tmp_path):
    report = get_exporter("parquet").export(small_store, tmp_path / "g.parquet", max_nodes=3)
    assert report.paths == (tmp_path / "g.parquet", tmp_path / "g-edges.parquet")
    assert len(pd.read_parquet(report.paths[0])) == 3 and len(pd.read_parquet(report.paths[1])) == 2
    assert not list(tmp_path.glob(".*.tmp"))


def test_parquet_without_pyarrow_says_how_to_install(small_store, tmp_path, monkeypatch):
    import builtins

    from netmap.errors import ExportError

    real_import = builtins.__import__

    def no_pyarrow_for_netmap(name, globals=None, locals=None, fromlist=(), level=0):
        # Only the exporter's own imports fail: pandas keeps its pyarrow-backed strings.
        if name.split(".")[0] == "pyarrow" and (globals or {}).get("__name__", "").startswith(
                "netmap.export"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow_for_netmap)
    with pytest.raises(ExportError, match=r"pip install 'netmap\[parquet\]'"):
        get_exporter("parquet").export(small_store, tmp_path / "x")
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
