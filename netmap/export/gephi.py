"""Gephi files: GEXF 1.3 (with colours, sizes and positions) and GraphML.

GEXF is written here, streamed with lxml so big graphs do not sit in memory
as a tree: every account property becomes a typed node attribute
(``string``/``double``/``integer``/``long``/``boolean``; list properties are
JSON text), ``viz:color``/``viz:size``/``viz:position`` carry the view's
colouring, sizing and igraph layout, and each tie carries its ``weight`` plus
typed attributes (``cross_platform``, counts per interaction type).

GraphML goes through :func:`networkx.write_graphml` with the same typed
values, missing ones dropped (GraphML has no null).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from .base import (
    Exporter,
    ExportGraph,
    atomic_path,
    clean_text,
    column_kinds,
    edge_columns,
    node_columns,
    out_path,
    typed_records,
)

__all__ = ["GexfExporter", "GraphmlExporter", "write_gexf", "to_networkx", "GEXF_NS", "VIZ_NS"]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"

# Our column kinds -> GEXF attribute types (lists travel as JSON text).
_GEXF_TYPES = {
    "boolean": "boolean",
    "integer": "integer",
    "long": "long",
    "double": "double",
    "string": "string",
    "list": "string",
}


def _g(tag: str) -> str:
    return f"{{{GEXF_NS}}}{tag}"


def _v(tag: str) -> str:
    return f"{{{VIZ_NS}}}{tag}"


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if kind == "list":
        return clean_text(json.dumps(value, ensure_ascii=False))
    return clean_text(str(value))


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def write_gexf(data: ExportGraph, path: Path) -> Path:
    """Write ``data`` as GEXF 1.3 to ``path`` (atomically)."""
    from lxml import etree

    ncols = [c for c in node_columns(data.nodes) if c != "key"]
    nkinds = column_kinds(data.nodes[ncols])
    ecols = [c for c in edge_columns(data.edges) if c not in ("src", "dst", "weight")]
    ekinds = column_kinds(data.edges[ecols])
    nid = {c: str(i) for i, c in enumerate(ncols)}
    eid = {c: str(i) for i, c in enumerate(ecols)}
    colours = data.colours()
    positions = data.positions

    with atomic_path(path) as tmp, etree.xmlfile(str(tmp), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(
            _g("gexf"),
            nsmap={None: GEXF_NS, "viz": VIZ_NS, "xsi": XSI_NS},
            attrib={"version": "1.3", f"{{{XSI_NS}}}schemaLocation": _SCHEMA_LOCATION},
        ):
            xf.write("\n")
            with xf.element(_g("meta")):
                with xf.element(_g("creator")):
                    xf.write(f"netmap {__version__}")
                with xf.element(_g("description")):
                    desc = clean_text(data.title)
                    if data.note:
                        desc += f" ({clean_text(data.note)})"
                    xf.write(desc)
            xf.write("\n")
            with xf.element(_g("graph"), defaultedgetype="directed", mode="static"):
                xf.write("\n")
                _attributes(xf, "node", ncols, nkinds, nid)
                _attributes(xf, "edge", ecols, ekinds, eid)
                with xf.element(_g("nodes")):
                    xf.write("\n")
                    nodes = data.nodes[["key", *ncols]]
                    for i, rec in enumerate(typed_records(nodes, {"key": "string", **nkinds})):
                        key = rec.pop("key")
                        label = rec.get("name") or rec.get("handle") or key
                        with xf.element(_g("node"), id=key, label=clean_text(str(label))):
                            if rec:
                                with xf.element(_g("attvalues")):
                                    for col, value in rec.items():
                                        with xf.element(
                                            _g("attvalue"), attrib={
                                                "for": nid[col],
                                                "value": _text(value, nkinds[col]),
                                            }
                                        ):
                                            pass
                            r, g, b = _rgb(colours[i])
                            with xf.element(_v("color"), r=str(r), g=str(g), b=str(b), a="1.0"):
                                pass
                            with xf.element(_v("size"), value=repr(float(data.size[i]))):
                                pass
                            if positions is not None:
                                x, y = positions[i]
                                with xf.element(
                                    _v("position"), x=repr(float(x)), y=repr(float(-y)), z="0.0"
                                ):
                                    pass
                        xf.write("\n")
                xf.write("\n")
                with xf.element(_g("edges")):
                    xf.write("\n")
                    edges = data.edges[["src", "dst", "weight", *ecols]]
                    kinds = {"src": "string", "dst": "string", "weight": "double", **ekinds}
                    for i, rec in enumerate(typed_records(edges, kinds)):
                        attrib = {"id": str(i), "source": rec.pop("src"),
                                  "target": rec.pop("dst")}
                        weight = rec.pop("weight", None)
                        if weight is not None:
                            attrib["weight"] = repr(float(weight))
                        with xf.element(_g("edge"), attrib=attrib):
                            if rec:
                                with xf.element(_g("attvalues")):
                                    for col, value in rec.items():
                                        with xf.element(
                                            _g("attvalue"), attrib={
                                                "for": eid[col],
                                                "value": _text(value, ekinds[col]),
                                            }
                                        ):
                                            pass
                        xf.write("\n")
                xf.write("\n")
            xf.write("\n")
    return path


def _attributes(xf: Any, cls: str, cols: list[str], kinds: dict[str, str], ids: dict[str, str]) -> None:
    if not cols:
        return
    # GEXF 1.3 gives <attributes> only a class (its "mode" went with 1.2's dynamics).
    with xf.element(_g("attributes"), attrib={"class": cls}):
        for col in cols:
            with xf.element(
                _g("attribute"),
                id=ids[col], title=clean_text(str(col)), type=_GEXF_TYPES[kinds[col]],
            ):
                pass
    xf.write("\n")


class GexfExporter(Exporter):
    """GEXF 1.3 for Gephi: typed attributes, colours, sizes and igraph positions."""

    name = "gexf"
    description = "GEXF 1.3 for Gephi: every attribute, plus colour, size and layout position"
    suffix = ".gexf"
    needs_layout = True

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        return [write_gexf(data, out_path(out, self.suffix))]


def to_networkx(data: ExportGraph, *, lists_as_json: bool = True) -> Any:
    """``data`` as a :class:`networkx.DiGraph` with typed attributes (missing ones dropped)."""
    import networkx as nx

    G = nx.DiGraph()
    G.graph["title"] = clean_text(data.title)
    if data.note:
        G.graph["note"] = clean_text(data.note)
    ncols = node_columns(data.nodes)
    nodes = data.nodes[ncols]
    nkinds = column_kinds(nodes)
    G.add_nodes_from(
        (rec.pop("key"), rec) for rec in typed_records(nodes, nkinds, lists_as_json=lists_as_json)
    )
    ecols = edge_columns(data.edges)
    edges = data.edges[ecols]
    ekinds = column_kinds(edges)
    G.add_edges_from(
        (rec.pop("src"), rec.pop("dst"), rec)
        for rec in typed_records(edges, ekinds, lists_as_json=lists_as_json)
    )
    return G


class GraphmlExporter(Exporter):
    """GraphML with every typed attribute (via networkx)."""

    name = "graphml"
    description = "GraphML with every account and tie attribute, typed"
    suffix = ".graphml"

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        import networkx as nx

        path = out_path(out, self.suffix)
        G = to_networkx(data)
        with atomic_path(path) as tmp:
            nx.write_graphml(G, str(tmp), encoding="utf-8")
        return [path]
