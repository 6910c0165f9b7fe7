"""The exporter interface and the view of the graph every exporter starts from.

Every exporter writes the *actor graph* (accounts and the weighted ties between
them, see :func:`netmap.analysis.project.actor_graph`) with each account's
stored properties (stance group, community, PageRank, ...). The shared work
lives here, in :func:`prepare_graph`: joining the properties, choosing the size
metric, reducing a graph too big to draw (top N accounts by that metric),
colouring by a category (stance group, community or any column), and, for
formats that carry positions, an igraph layout.

Exporters differ only in how they write that :class:`ExportGraph`.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ExportError, UsageError

if TYPE_CHECKING:
    import igraph as ig

    from ..store.base import Store

__all__ = [
    "Exporter",
    "ExportReport",
    "ExportGraph",
    "Category",
    "prepare_graph",
    "column_kinds",
    "typed_records",
    "typed_column",
    "clean_text",
    "safe_url",
    "atomic_write",
    "out_path",
    "PALETTE",
    "UNASSIGNED_COLOUR",
    "PLATFORM_SHAPES",
    "compute_layout",
    "display_sizes",
    "typed_value",
    "node_columns",
    "edge_columns",
    "unique_name",
]

# Distinct, colour-blind-tolerant hues, strongest first; categories beyond the
# palette share OTHER_COLOUR rather than repeat a hue (a repeated hue reads as
# "same group").
PALETTE: tuple[str, ...] = (
    "#2f6db3", "#e8743b", "#3aa655", "#d43f5a", "#8e5bb5", "#c49a17",
    "#16a0a0", "#a6537a", "#6f8f1f", "#d867b8", "#4f5fd0", "#a0522d",
    "#2aa7d6", "#8a8a2e", "#e05a9c", "#5c7d8a",
)
UNASSIGNED_COLOUR = "#c3c9d0"
OTHER_COLOUR = "#858d96"

# vis-network shapes with the label outside, one per platform; the dashed
# border tells apart the platforms that must share a shape.
PLATFORM_SHAPES: dict[str, tuple[str, bool]] = {
    "twitter": ("dot", False),
    "blog": ("square", False),
    "telegram": ("triangle", False),
    "vk": ("diamond", False),
    "mastodon": ("star", False),
    "bluesky": ("triangleDown", False),
    "facebook": ("hexagon", False),
    "ok": ("hexagon", True),
    "web": ("square", True),
}
DEFAULT_SHAPE: tuple[str, bool] = ("dot", True)

# Metrics an exporter can compute from the actor graph when the store does not
# hold them yet (``netmap analyze`` has not run).
_COMPUTED_METRICS = ("pagerank", "indegree", "outdegree", "degree", "strength")

# Column names that hold continuous measures: keep them "double" even when
# every value happens to be whole (a seed's group_score of 1.0).
_FLOAT_HINT = re.compile(
    r"score|rank|betweenness|closeness|constraint|ratio|share|weight|centrality|hub|"
    r"authority|index|frac|pct|prob|modularity|ei_|reach_rate|lag",
    re.IGNORECASE,
)
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
# Characters XML 1.0 forbids (and lone surrogates, which no encoder accepts).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(slots=True)
class ExportReport:
    """What an export wrote.

    ``nodes``/``edges`` count what is in the file; ``total_nodes``/``total_edges``
    what the actor graph holds; ``reduced`` says the file shows only part of it
    and ``note`` says which part (and anything else the reader should know).
    """

    path: Path
    nodes: int
    edges: int
    reduced: bool = False
    note: str = ""
    format: str = ""
    total_nodes: int = 0
    total_edges: int = 0
    paths: tuple[Path, ...] = ()
    seconds: float = 0.0


@dataclass(slots=True)
class Category:
    """One colour class of the view (a stance group, a community, ...)."""

    value: str  # the raw value as text; "" for accounts without one
    label: str
    colour: str  # "#rrggbb"
    count: int = 0  # accounts shown
    total: int = 0  # accounts in the whole actor graph


@dataclass(slots=True)
class ExportGraph:
    """The actor graph as exporters see it (possibly reduced).

    ``nodes`` has one row per account shown, ``key`` first, then every stored
    account property; ``edges`` has ``src``, ``dst`` (account keys) and every
    tie attribute (``weight``, ``cross_platform``, ``n_share`` ...). The arrays
    run parallel to ``nodes``.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    color_by: str
    size_by: str
    categories: list[Category]
    category: np.ndarray  # index into categories, per node
    metric: np.ndarray  # raw size metric, per node (missing -> 0)
    size: np.ndarray  # display size, per node
    positions: np.ndarray | None  # (n, 2) layout coordinates, or None
    total_nodes: int
    total_edges: int
    reduced: bool
    notes: list[str] = field(default_factory=list)
    title: str = "netmap"

    @property
    def note(self) -> str:
        return "; ".join(self.notes)

    def colours(self) -> list[str]:
        return [self.categories[i].colour for i in self.category]


class Exporter:
    """Base class of every exporter (built-in or plugin).

    Subclasses set :attr:`name`, :attr:`description`, :attr:`suffix` and
    implement :meth:`write`. Register them under the ``netmap.exporters``
    entry-point group.
    """

    name: str = ""
    description: str = ""
    suffix: str = ""
    #: formats that carry positions ask :func:`prepare_graph` for a layout.
    needs_layout: bool = False

    def export(
        self,
        store: Store,
        out: str | Path,
        *,
        color_by: str = "stance",
        size_by: str = "pagerank",
        max_nodes: int | None = 2000,
        groups: Any = None,
        title: str | None = None,
    ) -> ExportReport:
        """Write the store's actor graph to ``out``.

        Parameters
        ----------
        store : Store
            The graph store to read.
        out : str or Path
            Output file (an existing folder gets ``netmap<suffix>`` inside it).
        color_by : str
            ``stance`` (the account's ``group``), ``community``, or any account column.
        size_by : str
            Numeric account column sizing the nodes and ranking them for
            reduction; ``pagerank``, ``indegree``, ``outdegree``, ``degree`` and
            ``strength`` are computed from the graph when the store lacks them.
        max_nodes : int or None
            Keep only the top ``max_nodes`` accounts by ``size_by`` (and the ties
            among them); ``None`` or 0 keeps every account.
        groups : Groups, path or None
            Stance groups for colours and labels; None loads the default groups.
        title : str, optional
            Title shown in the view / stored in the file.
        """
        started = time.perf_counter()
        data = prepare_graph(
            store,
            color_by=color_by,
            size_by=size_by,
            max_nodes=max_nodes,
            groups=groups,
            title=title,
            layout=self.needs_layout,
        )
        paths = self.write(data, Path(out))
        return ExportReport(
            path=paths[0],
            nodes=len(data.nodes),
            edges=len(data.edges),
            reduced=data.reduced,
            note=data.note,
            format=self.name,
            total_nodes=data.total_nodes,
            total_edges=data.total_edges,
            paths=tuple(paths),
            seconds=time.perf_counter() - started,
        )

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        """Write ``data``; return the paths written, the main one first."""
        raise NotImplementedError


# -- preparing the graph ---------------------------------------------------


def prepare_graph(
    store: Store,
    *,
    color_by: str = "stance",
    size_by: str = "pagerank",
    max_nodes: int | None = 2000,
    groups: Any = None,
    title: str | None = None,
    layout: bool = False,
    seed: int = 0,
) -> ExportGraph:
    """Build the :class:`ExportGraph` every exporter writes (see :meth:`Exporter.export`)."""
    from ..analysis.project import actor_graph  # analysis layer, left of export

    ag = actor_graph(store)
    g = ag.graph
    n_total = g.vcount()
    names: list[str] = [str(k) for k in g.vs["name"]] if n_total else []
    nodes = _account_table(store, g, names)

    metric, metric_note = _metric(nodes, g, size_by)
    notes: list[str] = []
    if metric_note:
        notes.append(metric_note)

    keep = np.arange(n_total)
    reduced = False
    if max_nodes and max_nodes > 0 and n_total > max_nodes:
        # Rank by the metric, ties broken by key so the cut is reproducible.
        order = np.lexsort((np.array(names, dtype=object), -metric))
        keep = np.sort(order[:max_nodes])
        reduced = True
        notes.insert(
            0, f"showing {max_nodes:,} of {n_total:,} accounts, top by {size_by}"
        )

    colour_col = _colour_column(color_by, nodes)
    full_values = nodes[colour_col] if reduced and colour_col in nodes.columns else None

    edges = _edge_table(g, names)
    if reduced:
        mask = np.zeros(n_total, dtype=bool)
        mask[keep] = True
        el = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        edges = edges[mask[el[:, 0]] & mask[el[:, 1]]].reset_index(drop=True)
    nodes = nodes.iloc[keep].reset_index(drop=True)
    metric = metric[keep]
    categories, category = _categories(colour_col, nodes, full_values, groups)

    positions = None
    if layout:
        if reduced:
            sub = g.induced_subgraph(keep.tolist())
            xy = compute_layout(sub, seed=seed)
            # Match positions to rows by key: the subgraph's vertex order is igraph's choice.
            row = {k: i for i, k in enumerate(sub.vs["name"])}
            positions = xy[[row[k] for k in nodes["key"]]] if len(xy) else xy
        else:
            positions = compute_layout(g, seed=seed)

    return ExportGraph(
        nodes=nodes,
        edges=edges,
        color_by=colour_col,
        size_by=size_by,
        categories=categories,
        category=category,
        metric=metric,
        size=display_sizes(metric),
        positions=positions,
        total_nodes=n_total,
        total_edges=g.ecount(),
        reduced=reduced,
        notes=notes,
        title=title or "netmap: accounts and their ties",
    )


def _account_table(store: Store, g: ig.Graph, names: list[str]) -> pd.DataFrame:
    """Stored account properties, one row per actor-graph vertex, in vertex order."""
    base = pd.DataFrame({"key": names})
    if "platform" in g.vs.attributes() and names:
        base["platform"] = g.vs["platform"]
    accounts = store.nodes("Account")
    if accounts.empty or not names:
        return base
    accounts = accounts.drop_duplicates("key")
    extra = [c for c in accounts.columns if c != "key"]
    if "platform" in base.columns and "platform" in extra:
        merged = base.merge(accounts, on="key", how="left", suffixes=("_graph", ""))
        merged["platform"] = merged["platform"].where(
            merged["platform"].notna(), merged["platform_graph"]
        )
        merged = merged.drop(columns=["platform_graph"])
    else:
        merged = base.merge(accounts, on="key", how="left")
    return merged


def _edge_table(g: ig.Graph, names: list[str]) -> pd.DataFrame:
    el = g.get_edgelist()
    edges = pd.DataFrame(
        {"src": [names[s] for s, _ in el], "dst": [names[d] for _, d in el]}
    )
    for attr in g.es.attributes():
        if attr in ("src", "dst"):
            continue
        edges[attr] = g.es[attr]
    if "weight" not in edges.columns:
        edges["weight"] = 1.0
    return edges


def _metric(nodes: pd.DataFrame, g: ig.Graph, size_by: str) -> tuple[np.ndarray, str]:
    """The size metric per vertex (missing -> 0), and a note when it had to be computed."""
    n = len(nodes)
    if size_by in nodes.columns:
        values = pd.to_numeric(nodes[size_by], errors="coerce")
        if values.notna().any():
            return values.fillna(0.0).to_numpy(dtype=float), ""
        if size_by not in _COMPUTED_METRICS:
            raise UsageError(
                f"cannot size by {size_by!r}: the column holds no numbers; "
                f"choose a numeric account column ({', '.join(_numeric_columns(nodes)) or 'none'}) "
                f"or one of {', '.join(_COMPUTED_METRICS)}"
            )
    elif size_by not in _COMPUTED_METRICS:
        raise UsageError(
            f"cannot size by {size_by!r}: no such account column; choose one of "
            f"{', '.join([*_COMPUTED_METRICS, *_numeric_columns(nodes)])}"
        )
    if n == 0:
        return np.zeros(0), ""
    weights = "weight" if "weight" in g.es.attributes() else None
    if size_by == "pagerank":
        values = g.pagerank(weights=weights, directed=True)
    elif size_by == "indegree":
        values = g.strength(mode="in", weights=weights)
    elif size_by == "outdegree":
        values = g.strength(mode="out", weights=weights)
    elif size_by == "strength":
        values = g.strength(mode="all", weights=weights)
    else:
        values = g.degree(mode="all")
    return (
        np.asarray(values, dtype=float),
        f"{size_by} computed from the actor graph (not stored yet: run `netmap analyze`)",
    )


def _numeric_columns(nodes: pd.DataFrame) -> list[str]:
    out = []
    for c in nodes.columns:
        if c == "key":
            continue
        if pd.to_numeric(nodes[c], errors="coerce").notna().any() and nodes[c].map(
            lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool)
        ).any():
            out.append(c)
    return out


def _colour_column(color_by: str, nodes: pd.DataFrame) -> str:
    col = {"stance": "group", "group": "group", "community": "community"}.get(color_by, color_by)
    if col not in nodes.columns and col not in ("group", "community"):
        raise UsageError(
            f"cannot colour by {color_by!r}: no such account column; use stance, community "
            f"or one of {', '.join(c for c in nodes.columns if c != 'key')}"
        )
    return col


def _category_text(value: Any) -> str:
    if _missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _categories(
    col: str, nodes: pd.DataFrame, full: pd.Series | None, groups: Any
) -> tuple[list[Category], np.ndarray]:
    values = (
        nodes[col].map(_category_text) if col in nodes.columns else pd.Series([""] * len(nodes))
    )
    totals = (full.map(_category_text) if full is not None else values).value_counts()
    counts = values.value_counts()
    present = [v for v in totals.index if v != ""]

    cats: list[Category] = []
    if col == "group":
        g = _load_groups(groups)
        declared = list(getattr(g, "names", []) or []) if g is not None else []
        # Declared groups keep their configured order, then any others by size.
        ordered = [v for v in declared if v in totals.index] + [
            v for v in present if v not in declared
        ]
        used: set[str] = set()
        fallback = iter(c for c in PALETTE)
        for v in ordered:
            colour = _group_colour(g, v)
            if colour is None or colour in used:
                colour = next((c for c in fallback if c not in used), OTHER_COLOUR)
            used.add(colour)
            cats.append(Category(v, _group_label(g, v), colour))
        unassigned_label = "unassigned"
    else:
        # Largest categories get the palette; the long tail shares one colour.
        ordered = sorted(present, key=lambda v: (-int(totals[v]), _natural(v)))
        for i, v in enumerate(ordered):
            colour = PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR
            label = f"{col} {v}" if col == "community" else v
            cats.append(Category(v, label, colour))
        unassigned_label = f"no {col}"
    if "" in totals.index or not cats:
        cats.append(Category("", unassigned_label, UNASSIGNED_COLOUR))
    index = {c.value: i for i, c in enumerate(cats)}
    for c in cats:
        c.count = int(counts.get(c.value, 0))
        c.total = int(totals.get(c.value, 0))
    category = np.fromiter((index.get(v, len(cats) - 1) for v in values), dtype=np.int64,
                           count=len(values))
    return cats, category


def _natural(v: str) -> tuple[int, Any]:
    return (0, int(v)) if v.lstrip("-").isdigit() else (1, v)


def _load_groups(groups: Any) -> Any:
    """Groups object from ``groups`` (object, path, or None for the defaults), or None."""
    if groups is not None and not isinstance(groups, (str, os.PathLike)):
        return groups
    try:
        from ..stance import load_groups
    except ImportError:
        return None
    try:
        return load_groups(groups) if groups is not None else load_groups()
    except Exception as exc:  # colours are cosmetic: report, carry on with the palette
        if groups is not None:
            raise ExportError(f"cannot load stance groups from {groups}: {exc}") from exc
        return None


def _group_colour(groups: Any, name: str) -> str | None:
    if groups is None:
        return None
    try:
        colour = groups.colour(name)
    except Exception:
        return None
    if isinstance(colour, str) and _HEX_COLOUR.match(colour.strip()):
        return _expand_hex(colour.strip())
    return None


def _group_label(groups: Any, name: str) -> str:
    if groups is None:
        return name
    try:
        label = groups.label(name)
    except Exception:
        return name
    return str(label) if label else name


def _expand_hex(colour: str) -> str:
    c = colour.lower()
    if len(c) == 4:
        c = "#" + "".join(ch * 2 for ch in c[1:])
    return c


def display_sizes(metric: np.ndarray, lo: float = 6.0, hi: float = 40.0) -> np.ndarray:
    """Node sizes from a metric: square-root scaled so area follows the metric."""
    if len(metric) == 0:
        return np.zeros(0)
    m = np.nan_to_num(metric.astype(float), nan=0.0)
    span = float(m.max() - m.min())
    if span <= 0:
        return np.full(len(m), (lo + hi) / 3)
    return lo + (hi - lo) * np.sqrt((m - m.min()) / span)


def compute_layout(g: ig.Graph, seed: int = 0) -> np.ndarray:
    """2-D positions from igraph's Fruchterman-Reingold (grid variant above 1,000 vertices).

    Scaled so the mean distance between neighbours suits vis-network's pixel
    units and Gephi's defaults. igraph draws from Python's ``random``; a private
    generator makes the layout reproducible without touching global state.
    """
    import igraph as ig

    n = g.vcount()
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    ig.set_random_number_generator(random.Random(seed))
    try:
        # The grid variant is linear per iteration: 10k accounts / 28k ties take
        # 0.4 s here, where DrL took 29 s and LGL 2.7 s.
        lay = g.layout_fruchterman_reingold(
            niter=300 if n <= 20000 else 100, grid=n > 1000
        )
    finally:
        ig.set_random_number_generator(random)
    xy = np.asarray(lay.coords, dtype=float)
    xy = np.nan_to_num(xy)
    xy -= xy.mean(axis=0)
    extent = float(np.abs(xy).max()) or 1.0
    radius = 60.0 * math.sqrt(n) + 200.0
    return xy * (radius / extent)


# -- typing attribute values -----------------------------------------------


def _missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return False
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, (list, tuple, np.ndarray)):
        return len(v) == 0
    try:
        return v is pd.NA or v is pd.NaT or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def column_kinds(df: pd.DataFrame) -> dict[str, str]:
    """One type per column: ``boolean``, ``integer``, ``long``, ``double``, ``list`` or ``string``.

    Integers stored in a float column (pandas turns ints with gaps into floats)
    come back as integers unless the column name says it is a continuous
    measure (``group_score``, ``pagerank`` ...).
    """
    kinds: dict[str, str] = {}
    for col in df.columns:
        s = df[col]
        name = str(col)
        dtype = s.dtype
        if pd.api.types.is_bool_dtype(dtype):
            kinds[col] = "boolean"
        elif pd.api.types.is_integer_dtype(dtype):
            kinds[col] = _int_kind(s.dropna().tolist()) if s.notna().any() else "integer"
        elif pd.api.types.is_float_dtype(dtype):
            v = s.dropna().to_numpy(dtype=float)
            v = v[np.isfinite(v)]
            if len(v) == 0:
                kinds[col] = "string"
            elif not _FLOAT_HINT.search(name) and bool(np.all(v == np.floor(v))):
                kinds[col] = "long" if float(np.abs(v).max()) > 2**31 - 1 else "integer"
            else:
                kinds[col] = "double"
        elif pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
            kinds[col] = "string"
        else:
            kinds[col] = _kind(name, [v for v in s.tolist() if not _missing(v)])
    return kinds


def _kind(name: str, vals: list[Any]) -> str:
    if not vals:
        return "string"
    if any(isinstance(v, (list, tuple, np.ndarray)) for v in vals):
        return "list"
    if all(isinstance(v, (bool, np.bool_)) for v in vals):
        return "boolean"
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in vals):
        return _int_kind(vals)
    if all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
        for v in vals
    ):
        if not _FLOAT_HINT.search(name) and all(float(v).is_integer() for v in vals):
            return _int_kind(vals)
        return "double"
    return "string"


def _int_kind(vals: list[Any]) -> str:
    return "long" if any(abs(int(v)) > 2**31 - 1 for v in vals) else "integer"


def typed_value(v: Any, kind: str) -> Any:
    """``v`` as the Python type of ``kind`` (lists stay lists), or None when missing."""
    if _missing(v):
        return None
    if kind == "boolean":
        return bool(v)
    if kind in ("integer", "long"):
        return int(v)
    if kind == "double":
        f = float(v)
        return f if math.isfinite(f) else None
    if kind == "list":
        items = list(v) if isinstance(v, (list, tuple, np.ndarray)) else [v]
        return [_plain(x) for x in items if not _missing(x)]
    return clean_text(str(v))


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, str):
        return clean_text(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v if isinstance(v, (bool, int, float)) else clean_text(str(v))


def typed_column(s: pd.Series, kind: str, *, lists_as_json: bool = False) -> list[Any]:
    """The values of ``s`` as Python values of ``kind``; None where missing."""
    values = s.tolist()
    if kind == "string" and (
        pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype)
    ):
        return [None if _missing(v) else clean_text(v) for v in values]
    out = [typed_value(v, kind) for v in values]
    if kind == "list":
        out = [v if v else None for v in out]
        if lists_as_json:
            out = [None if v is None else json.dumps(v, ensure_ascii=False) for v in out]
    return out


def typed_records(
    df: pd.DataFrame, kinds: dict[str, str], *, lists_as_json: bool = False
) -> Iterator[dict[str, Any]]:
    """Rows of ``df`` as dicts of typed values, missing values dropped."""
    cols = list(df.columns)
    columns = [typed_column(df[c], kinds[c], lists_as_json=lists_as_json) for c in cols]
    for row in zip(*columns, strict=True):
        yield {c: v for c, v in zip(cols, row, strict=True) if v is not None}


def clean_text(text: str) -> str:
    """``text`` without the control characters and lone surrogates XML cannot carry."""
    return _XML_ILLEGAL.sub("", text)


def safe_url(value: Any) -> str | None:
    """``value`` if it is an absolute http(s) URL without spaces or control characters."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not re.match(r"^https?://[^\s/?#]+", url, re.IGNORECASE):
        return None
    if _XML_ILLEGAL.search(url) or any(ch in url for ch in "\"'<>\\ \t\r\n`"):
        return None
    return url


# -- writing files ----------------------------------------------------------


def out_path(out: Path, suffix: str) -> Path:
    """The file to write for ``out``: inside it when it is a folder; parents created."""
    out = Path(out).expanduser()
    if out.is_dir():
        out = out / f"netmap{suffix}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {out.parent}: {exc}") from exc
    return out


def atomic_write(path: Path, chunks: Iterable[str] | str, encoding: str = "utf-8") -> Path:
    """Write text to ``path`` through a temporary file so a failure leaves no half file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            if isinstance(chunks, str):
                fh.write(chunks)
            else:
                for chunk in chunks:
                    fh.write(chunk)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise ExportError(f"cannot write {path}: {exc}") from exc
    except BaseException:
        _unlink(tmp)
        raise
    return path


def _unlink(p: str | Path) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass


def node_columns(df: pd.DataFrame) -> list[str]:
    """Account columns in a stable, readable order: identity first, then the rest sorted."""
    first = ["key", "platform", "handle", "name", "url", "group", "group_score",
             "group_source", "community", "pagerank"]
    head = [c for c in first if c in df.columns]
    return head + sorted(c for c in df.columns if c not in head)


def edge_columns(df: pd.DataFrame) -> list[str]:
    first = ["src", "dst", "weight", "cross_platform"]
    head = [c for c in first if c in df.columns]
    return head + sorted(c for c in df.columns if c not in head)


def unique_name(name: str, taken: Sequence[str], prefix: str = "attr_") -> str:
    """``name``, renamed when it collides with a field the format reserves."""
    out = name
    while out in taken:
        out = prefix + out
    return out
