"""Tables: CSV (a nodes table and an edges table) and node-link JSON.

Both carry every account property and every tie attribute. In CSV, list
properties (``profile_links`` ...) are JSON text and booleans are ``True`` /
``False`` (what pandas reads back as booleans); missing values are empty cells.
The JSON follows networkx's node-link layout with ``links`` for the ties, so
``networkx.node_link_graph(data, edges="links")`` reads it back.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .base import (
    Exporter,
    ExportGraph,
    atomic_write,
    column_kinds,
    edge_columns,
    node_columns,
    out_path,
    typed_records,
    unique_name,
)

__all__ = ["CsvExporter", "JsonExporter", "csv_paths", "node_link_data"]


def csv_paths(out: Path) -> tuple[Path, Path]:
    """Nodes and edges files for ``out``.

    ``OUT.csv`` gives ``OUT.csv`` and ``OUT-edges.csv``; anything else is a
    folder (created if needed) holding ``nodes.csv`` and ``edges.csv``.
    """
    out = Path(out).expanduser()
    if out.suffix.lower() == ".csv" and not out.is_dir():
        out_path(out, ".csv")  # creates the parent folder
        return out, out.with_name(f"{out.stem}-edges.csv")
    out.mkdir(parents=True, exist_ok=True)
    return out / "nodes.csv", out / "edges.csv"


def _csv_rows(columns: list[str], records: Iterator[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow(rec)
        n += 1
        if n % 5000 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


class CsvExporter(Exporter):
    """Two CSV files: one row per account, one row per tie (``src``, ``dst``, attributes)."""

    name = "csv"
    description = "CSV tables: accounts (every property) and ties (weights, counts per type)"
    suffix = ".csv"

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        nodes_path, edges_path = csv_paths(out)
        ncols = node_columns(data.nodes)
        nodes = data.nodes[ncols]
        nkinds = column_kinds(nodes)
        atomic_write(nodes_path, _csv_rows(ncols, typed_records(nodes, nkinds, lists_as_json=True)))
        ecols = edge_columns(data.edges)
        edges = data.edges[ecols]
        ekinds = column_kinds(edges)
        atomic_write(edges_path, _csv_rows(ecols, typed_records(edges, ekinds, lists_as_json=True)))
        return [nodes_path, edges_path]


def node_link_data(data: ExportGraph) -> dict[str, Any]:
    """The graph as a node-link dict (``directed``, ``multigraph``, ``graph``, ``nodes``, ``links``)."""
    ncols = node_columns(data.nodes)
    nodes_df = data.nodes[ncols]
    nkinds = column_kinds(nodes_df)
    # "id" names the node in node-link data; a property of that name is kept under another.
    rename = {c: unique_name(c, ("id",)) for c in ncols if c != "key"}
    nodes = []
    for rec in typed_records(nodes_df, nkinds):
        item: dict[str, Any] = {"id": rec.pop("key")}
        for k, v in rec.items():
            item[rename[k]] = v
        nodes.append(item)
    ecols = edge_columns(data.edges)
    edges_df = data.edges[ecols]
    ekinds = column_kinds(edges_df)
    erename = {c: unique_name(c, ("source", "target", "key")) for c in ecols
               if c not in ("src", "dst")}
    links = []
    for rec in typed_records(edges_df, ekinds):
        item = {"source": rec.pop("src"), "target": rec.pop("dst")}
        for k, v in rec.items():
            item[erename[k]] = v
        links.append(item)
    graph: dict[str, Any] = {"title": data.title, "size_by": data.size_by, "color_by": data.color_by,
                             "total_nodes": data.total_nodes, "total_edges": data.total_edges,
                             "reduced": data.reduced}
    if data.note:
        graph["note"] = data.note
    return {"directed": True, "multigraph": False, "graph": graph, "nodes": nodes, "links": links}


class JsonExporter(Exporter):
    """Node-link JSON with every attribute (networkx ``node_link_data`` layout, ``links`` key)."""

    name = "json"
    description = "node-link JSON (networkx style) with every account and tie attribute"
    suffix = ".json"

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        path = out_path(out, self.suffix)
        doc = node_link_data(data)
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        atomic_write(path, text)
        return [path]
