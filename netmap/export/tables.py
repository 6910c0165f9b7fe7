"""Tables: CSV and Parquet (a nodes table and an edges table), and node-link JSON.

All carry every account property and every tie attribute. In CSV, list
properties (``profile_links`` ...) are JSON text and booleans are ``True`` /
``False`` (what pandas reads back as booleans); missing values are empty cells.
Parquet keeps the types: integers, doubles, booleans, strings and lists of
strings, with nulls for missing values (it needs ``pyarrow``).
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

from ..errors import ExportError
from .base import (
    Exporter,
    ExportGraph,
    atomic_path,
    atomic_write,
    column_kinds,
    edge_columns,
    node_columns,
    out_path,
    typed_column,
    typed_records,
    unique_name,
)

__all__ = [
    "CsvExporter",
    "JsonExporter",
    "ParquetExporter",
    "csv_paths",
    "table_paths",
    "node_link_data",
    "arrow_tables",
]


def table_paths(out: Path, suffix: str) -> tuple[Path, Path]:
    """Nodes and edges files for ``out``.

    ``OUT<suffix>`` gives ``OUT<suffix>`` and ``OUT-edges<suffix>``; anything
    else is a folder (created if needed) holding ``nodes<suffix>`` and
    ``edges<suffix>``.
    """
    out = Path(out).expanduser()
    if out.suffix.lower() == suffix and not out.is_dir():
        out_path(out, suffix)  # creates the parent folder
        return out, out.with_name(f"{out.stem}-edges{suffix}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {out}: {exc}") from exc
    return out / f"nodes{suffix}", out / f"edges{suffix}"


def csv_paths(out: Path) -> tuple[Path, Path]:
    """Nodes and edges CSV files for ``out`` (see :func:`table_paths`)."""
    return table_paths(out, ".csv")


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


# Our column kinds -> Arrow types; lists are lists of strings (URLs, evidence).
_ARROW_TYPES = {"boolean": "bool_", "integer": "int64", "long": "int64", "double": "float64",
                "string": "string", "list": "list"}


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet  # noqa: F401  (the writer lives in the submodule)
    except ImportError as exc:
        raise ExportError(
            "the parquet export needs pyarrow: pip install 'netmap[parquet]' (or pip install pyarrow)"
        ) from exc
    return pa


def arrow_tables(data: ExportGraph) -> tuple[Any, Any]:
    """The nodes and edges of ``data`` as typed :class:`pyarrow.Table` objects."""
    pa = _pyarrow()

    def table(df: Any, cols: list[str]) -> Any:
        frame = df[cols]
        kinds = column_kinds(frame)
        arrays, fields = [], []
        for c in cols:
            kind = kinds[c]
            values = typed_column(frame[c], kind)
            if kind == "list":
                typ = pa.list_(pa.string())
                values = [None if v is None else [str(x) for x in v] for v in values]
            else:
                typ = getattr(pa, _ARROW_TYPES[kind])()
            arrays.append(pa.array(values, type=typ))
            fields.append(pa.field(str(c), typ, nullable=True))
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))

    nodes = table(data.nodes, node_columns(data.nodes))
    edges = table(data.edges, edge_columns(data.edges))
    meta = {b"netmap": json.dumps({
        "title": data.title, "size_by": data.size_by, "color_by": data.color_by,
        "total_nodes": data.total_nodes, "total_edges": data.total_edges,
        "reduced": data.reduced, "note": data.note,
    }).encode("utf-8")}
    return nodes.replace_schema_metadata(meta), edges.replace_schema_metadata(meta)


class ParquetExporter(Exporter):
    """Two Parquet files, typed: one row per account, one row per tie (needs pyarrow)."""

    name = "parquet"
    description = "Parquet tables (typed): accounts and ties, for pandas, DuckDB, Arrow"
    suffix = ".parquet"

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        _pyarrow()  # fail with the install hint before touching the disk
        import pyarrow.parquet as pq

        nodes_path, edges_path = table_paths(out, self.suffix)
        nodes, edges = arrow_tables(data)
        for table, path in ((nodes, nodes_path), (edges, edges_path)):
            with atomic_path(path) as tmp:
                pq.write_table(table, tmp, compression="zstd")
        return [nodes_path, edges_path]
