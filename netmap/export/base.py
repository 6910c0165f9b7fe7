"""The exporter interface and the view of the graph every exporter starts from.

Every exporter writes the *actor graph* (accounts and the weighted ties between
them, see :func:`netmap.analysis.project.actor_graph`) with each account's
stored properties (stance group, community, PageRank, ...). The shared work
lives here, in :func:`prepare_graph`: joining the properties, choosing the size
metric, reducing a graph too big to draw (:data:`REDUCE_MODES`: the top N
accounts by that metric, the k-core that fits, or communities collapsed into
super-nodes), colouring by a category (stance group, community or any column),
and, for formats that carry positions, an igraph layout.

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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ExportError, UsageError

if TYPE_CHECKING:
    import igraph as ig

    from ..analysis.project import ActorGraph
    from ..store.base import Store

__all__ = [
    "Exporter",
    "ExportReport",
    "ExportGraph",
    "Category",
    "CommunityView",
    "REDUCE_MODES",
    "prepare_graph",
    "kcore_numbers",
    "category_text",
    "community_membership",
    "column_kinds",
    "typed_records",
    "typed_column",
    "clean_text",
    "safe_url",
    "atomic_write",
    "atomic_path",
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
    With ``reduce == "communities"`` (graph collapsed), ``nodes`` and ``edges``
    count the community nodes and the ties between communities.
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
    reduce: str = "top"


@dataclass(slots=True)
class Category:
    """One colour class of the view (a stance group, a community, ...)."""

    value: str  # the raw value as text; "" for accounts without one
    label: str
    colour: str  # "#rrggbb"
    count: int = 0  # accounts shown
    total: int = 0  # accounts in the whole actor graph


@dataclass(slots=True)
class CommunityView:
    """Communities collapsed into super-nodes (``reduce="communities"``).

    ``nodes`` has one row per community shown: ``community`` (id as text, ""
    for accounts without one), ``size`` (accounts), ``shown`` (members kept
    for its drill-down view), ``internal`` (tie weight inside), ``groups`` and
    ``platforms`` (``{value: accounts}``), ``top`` (keys of the members with
    the highest metric). ``edges`` aggregates the ties between two
    communities: ``src``, ``dst`` (community ids), ``weight``, ``ties``
    (account pairs), ``cross_platform`` (ties among them that cross
    platforms) and ``n_<type>`` (interactions per type).
    The arrays run parallel to ``nodes``; ``category`` is the dominant colour
    class of each community's members.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    category: np.ndarray
    size: np.ndarray
    positions: np.ndarray | None
    total: int  # communities in the whole graph
    computed: bool = False  # True when the partition was computed for the export


@dataclass(slots=True)
class ExportGraph:
    """The actor graph as exporters see it (possibly reduced).

    ``nodes`` has one row per account shown, ``key`` first, then every stored
    account property; ``edges`` has ``src``, ``dst`` (account keys) and every
    tie attribute (``weight``, ``cross_platform``, ``n_share`` ...). The arrays
    run parallel to ``nodes``.

    With ``reduce="communities"`` on a graph above ``max_nodes``,
    ``collapsed`` holds the community super-nodes; ``nodes`` then holds the
    members kept for each community's drill-down view (``edges``: the ties
    among members of the same community) and ``positions`` one layout per
    community.
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
    title: str = "netmap: accounts and their ties"
    reduce: str = "top"
    collapsed: CommunityView | None = None

    @property
    def note(self) -> str:
        return "; ".join(self.notes)

    def colours(self) -> list[str]:
        return [self.categories[i].colour for i in self.category]


#: Ways to shrink a graph above ``max_nodes``: the top accounts by the size
#: metric, the densest k-core, or communities collapsed into super-nodes.
REDUCE_MODES: tuple[str, ...] = ("top", "kcore", "communities")


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
    #: reductions the format can show; "communities" needs a drill-down view.
    reduce_modes: tuple[str, ...] = ("top", "kcore")

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
        reduce: str = "top",
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
            Above this many accounts the graph is reduced (see ``reduce``);
            ``None`` or 0 keeps every account.
        groups : Groups, path or None
            Stance groups for colours and labels; None loads the default groups.
        title : str, optional
            Title shown in the view / stored in the file.
        reduce : {"top", "kcore", "communities"}
            How a graph above ``max_nodes`` is reduced: ``top`` keeps the top
            ``max_nodes`` accounts by ``size_by``; ``kcore`` keeps the
            smallest-order k-core that fits (every account kept has ties to at
            least k others kept); ``communities`` (HTML view and report)
            draws one node per community, each opening a view of its members.
        """
        self.check_reduce(reduce)
        started = time.perf_counter()
        data = prepare_graph(
            store,
            color_by=color_by,
            size_by=size_by,
            max_nodes=max_nodes,
            groups=groups,
            title=title,
            layout=self.needs_layout,
            reduce=reduce,
        )
        paths = self.write(data, Path(out))
        return self.report(data, paths, started)

    def check_reduce(self, reduce: str) -> None:
        """Refuse a reduction this format cannot show, saying which can."""
        if reduce not in REDUCE_MODES:
            raise UsageError(
                f"unknown reduction {reduce!r}; choose one of: {', '.join(REDUCE_MODES)}"
            )
        if reduce not in self.reduce_modes:
            raise UsageError(
                f"--reduce {reduce} needs a view that can open each community; the {self.name} "
                f"format supports {', '.join(self.reduce_modes)} (use html or report for "
                "communities)"
            )

    def report(self, data: ExportGraph, paths: list[Path], started: float) -> ExportReport:
        """The :class:`ExportReport` for ``data`` written to ``paths``."""
        return ExportReport(
            path=paths[0],
            nodes=len(data.nodes) if data.collapsed is None else len(data.collapsed.nodes),
            edges=len(data.edges) if data.collapsed is None else len(data.collapsed.edges),
            reduced=data.reduced,
            note=data.note,
            format=self.name,
            total_nodes=data.total_nodes,
            total_edges=data.total_edges,
            paths=tuple(paths),
            seconds=time.perf_counter() - started,
            reduce=data.reduce,
        )

    def write(self, data: ExportGraph, out: Path) -> list[Path]:
        """Write ``data``; return the paths written, the main one first."""
        raise NotImplementedError


# -- preparing the graph ---------------------------------------------------


def prepare_graph(
    store: Store | None,
    *,
    color_by: str = "stance",
    size_by: str = "pagerank",
    max_nodes: int | None = 2000,
    groups: Any = None,
    title: str | None = None,
    layout: bool = False,
    seed: int = 0,
    reduce: str = "top",
    ag: ActorGraph | None = None,
    accounts: pd.DataFrame | None = None,
) -> ExportGraph:
    """Build the :class:`ExportGraph` every exporter writes (see :meth:`Exporter.export`).

    ``ag`` reuses an actor graph already projected (the report needs it for
    other sections too); ``accounts`` (one row per account, ``key`` plus
    properties) replaces reading them from ``store``, so a graph built in
    memory exports without a store (``store=None``; ``ag`` is then required).
    """
    if reduce not in REDUCE_MODES:
        raise UsageError(f"unknown reduction {reduce!r}; choose one of: {', '.join(REDUCE_MODES)}")
    if ag is None:
        if store is None:
            raise UsageError("prepare_graph needs a store or an actor graph (ag=...)")
        from ..analysis.project import actor_graph  # analysis layer, left of export

        ag = actor_graph(store)
    g = ag.graph
    n_total = g.vcount()
    names: list[str] = [str(k) for k in g.vs["name"]] if n_total else []
    nodes = _account_table(store, ag, names, accounts)

    metric, metric_note = _metric(nodes, g, size_by)
    notes: list[str] = []
    if metric_note:
        notes.append(metric_note)
    colour_col = _colour_column(color_by, nodes)
    title = title or "netmap: accounts and their ties"
    over = bool(max_nodes and max_nodes > 0 and n_total > max_nodes)

    if reduce == "communities" and over:
        return _collapse_communities(
            ag, nodes, names, metric, notes, colour_col=colour_col, size_by=size_by,
            max_nodes=int(max_nodes or 0), groups=groups, title=title, layout=layout, seed=seed,
        )

    keep = np.arange(n_total)
    reduced = False
    if over:
        keep, banner = _reduce_keep(g, names, metric, int(max_nodes or 0), reduce, size_by)
        reduced = True
        notes.insert(0, banner)

    full_values = nodes[colour_col] if reduced and colour_col in nodes.columns else None
    rows = None
    if reduced:
        mask = np.zeros(n_total, dtype=bool)
        mask[keep] = True
        el = _endpoints(ag)
        rows = mask[el[:, 0]] & mask[el[:, 1]]
    edges = _edge_table(ag, names, rows)
    nodes = nodes.iloc[keep].reset_index(drop=True)
    metric = metric[keep]
    categories, category = _categories(colour_col, nodes, full_values, groups)

    positions = None
    if layout:
        positions = _layout_rows(g, keep if reduced else None, nodes["key"], seed)

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
        title=title,
        reduce=reduce,
    )


def _layout_rows(g: ig.Graph, keep: np.ndarray | None, keys: pd.Series, seed: int) -> np.ndarray:
    """Layout of the vertices ``keep`` (all when None), in the order of ``keys``."""
    if keep is None:
        return compute_layout(g, seed=seed)
    sub = g.induced_subgraph(keep.tolist())
    xy = compute_layout(sub, seed=seed)
    # Match positions to rows by key: the subgraph's vertex order is igraph's choice.
    row = {k: i for i, k in enumerate(sub.vs["name"])}
    return xy[[row[k] for k in keys]] if len(xy) else xy


def _reduce_keep(
    g: ig.Graph, names: list[str], metric: np.ndarray, max_nodes: int, reduce: str, size_by: str
) -> tuple[np.ndarray, str]:
    """Vertex ids to keep (sorted) and the banner that says what they are."""
    n_total = g.vcount()
    # Rank by the metric, ties broken by key so every cut is reproducible.
    order = np.lexsort((np.array(names, dtype=object), -metric))
    if reduce == "kcore":
        core = kcore_numbers(g)
        # Vertices in the k-core for each k: a reverse cumulative count.
        in_core = np.cumsum(np.bincount(core)[::-1])[::-1]
        fits = np.flatnonzero(in_core <= max_nodes)
        if fits.size:
            k = int(fits[0])
            keep = np.flatnonzero(core >= k)
            return keep, (
                f"showing the {k}-core: {len(keep):,} of {n_total:,} accounts, each tied to "
                f"at least {k} others shown"
            )
        k = int(core.max())
        inner = order[core[order] >= k][:max_nodes]
        return np.sort(inner), (
            f"showing {len(inner):,} of {n_total:,} accounts: the top by {size_by} in the "
            f"{k}-core (the innermost core alone has {int(in_core[k]):,})"
        )
    keep = np.sort(order[:max_nodes])
    return keep, f"showing {max_nodes:,} of {n_total:,} accounts, top by {size_by}"


def kcore_numbers(g: ig.Graph) -> np.ndarray:
    """Core number per vertex on the undirected simple graph (a reciprocated tie counts once)."""
    if g.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
    u = g.as_undirected(mode="collapse")
    u.simplify()
    return np.asarray(u.coreness(mode="all"), dtype=np.int64)


# -- communities collapsed into super-nodes ------------------------------------

#: Members embedded for all drill-down views together, as a multiple of max_nodes.
DRILL_BUDGET_FACTOR = 2
#: Communities smaller than this get no drill-down view (their node says it all).
DRILL_MIN_SIZE = 3
#: Members a drill-down gets at least, when the budget allows it for every community.
DRILL_MIN_MEMBERS = 25
#: Member keys listed per super-node.
TOP_MEMBERS = 5


def community_membership(
    ag: ActorGraph, nodes: pd.DataFrame, seed: int = 0
) -> tuple[pd.Series, bool]:
    """Community id per vertex as text ("" when none): the stored one, else computed.

    Returns the ids and whether they had to be computed (Leiden, as
    ``netmap analyze`` runs it, when no account has a stored community).
    """
    if "community" in nodes.columns and nodes["community"].map(lambda v: not _missing(v)).any():
        return nodes["community"].map(category_text).reset_index(drop=True), False
    from ..analysis.communities import detect_communities

    res = detect_communities(ag, seed=seed)
    return pd.Series([str(int(c)) for c in res.membership], dtype=object), True


def _collapse_communities(
    ag: ActorGraph,
    nodes: pd.DataFrame,
    names: list[str],
    metric: np.ndarray,
    notes: list[str],
    *,
    colour_col: str,
    size_by: str,
    max_nodes: int,
    groups: Any,
    title: str,
    layout: bool,
    seed: int,
) -> ExportGraph:
    g = ag.graph
    n_total = g.vcount()
    comm, computed = community_membership(ag, nodes, seed)
    if computed:
        nodes = nodes.assign(community=comm.to_numpy())
        notes.append("communities computed with Leiden for this export (not stored yet: "
                      "run `netmap analyze`)")
    comm_arr = comm.to_numpy(dtype=object)
    sizes = comm.value_counts()
    # Largest first; ties by natural id order so the view is reproducible.
    order = sorted(sizes.index, key=lambda c: (-int(sizes[c]), c == "", _natural(c)))
    shown_comms = order[:max_nodes]
    n_comms = len(order)

    # Members per drill-down: proportional to size, at least a floor (so every
    # community gets a view when the budget allows), at most max_nodes, until
    # the budget runs out (largest communities first).
    budget = DRILL_BUDGET_FACTOR * max_nodes
    drillable = sum(1 for c in shown_comms if int(sizes[c]) >= DRILL_MIN_SIZE)
    floor = min(DRILL_MIN_MEMBERS, max(DRILL_MIN_SIZE, budget // max(drillable, 1)))
    quota: dict[str, int] = {}
    for c in shown_comms:
        size = int(sizes[c])
        if size < DRILL_MIN_SIZE or budget <= 0:
            quota[c] = 0
            continue
        share = int(DRILL_BUDGET_FACTOR * max_nodes * size / n_total)
        want = min(size, max_nodes, max(floor, share))
        quota[c] = min(want, budget)
        budget -= quota[c]

    rank = np.lexsort((np.array(names, dtype=object), -metric))
    kept: list[int] = []
    taken: dict[str, int] = dict.fromkeys(shown_comms, 0)
    for v in rank:
        c = comm_arr[v]
        q = quota.get(c, 0)
        if taken.get(c, 0) < q:
            kept.append(int(v))
            taken[c] += 1
    # Members grouped by community (largest first), then by vertex id.
    pos_of = {c: i for i, c in enumerate(order)}
    keep = np.array(sorted(kept, key=lambda v: (pos_of[comm_arr[v]], v)), dtype=np.int64)

    full_values = nodes[colour_col] if colour_col in nodes.columns else None
    all_edges = _edge_table(ag, names)
    el = _endpoints(ag)
    same = comm_arr[el[:, 0]] == comm_arr[el[:, 1]] if len(el) else np.zeros(0, dtype=bool)
    mask = np.zeros(n_total, dtype=bool)
    mask[keep] = True
    member_edges = all_edges[
        (mask[el[:, 0]] & mask[el[:, 1]] & same) if len(el) else np.zeros(0, dtype=bool)
    ].reset_index(drop=True)

    # Both category lists are built from the whole graph's values, so they match:
    # the members' categories index the same list as the super-nodes' dominant ones.
    _, full_category = _categories(colour_col, nodes, None, groups)
    member_nodes = nodes.iloc[keep].reset_index(drop=True)
    categories, category = _categories(colour_col, member_nodes, full_values, groups)

    blank = next((i for i, c in enumerate(categories) if c.value == ""), None)
    super_nodes, super_category = _super_nodes(
        nodes, comm_arr, shown_comms, sizes, taken, full_category, metric, names, blank
    )
    super_edges = _super_edges(all_edges, el, comm_arr, set(shown_comms))
    internal = _internal_weights(all_edges, el, comm_arr, same)
    super_nodes["internal"] = [float(internal.get(c, 0.0)) for c in super_nodes["community"]]

    positions = None
    super_positions = None
    if layout:
        positions = _community_layouts(g, keep, comm_arr, seed)
        super_positions = _super_layout(super_nodes, super_edges, seed)

    hidden = n_comms - len(shown_comms)
    banner = (f"{n_total:,} accounts in {n_comms:,} communities: each node is a community "
              f"(size: members); double-click one to open it")
    if hidden:
        banner += f"; the {hidden:,} smallest communities are left out"
    notes.insert(0, banner)
    collapsed = CommunityView(
        nodes=super_nodes,
        edges=super_edges,
        category=super_category,
        size=display_sizes(np.sqrt(super_nodes["size"].to_numpy(dtype=float))),
        positions=super_positions,
        total=n_comms,
        computed=computed,
    )
    return ExportGraph(
        nodes=member_nodes,
        edges=member_edges,
        color_by=colour_col,
        size_by=size_by,
        categories=categories,
        category=category,
        metric=metric[keep],
        size=display_sizes(metric[keep]),
        positions=positions,
        total_nodes=n_total,
        total_edges=g.ecount(),
        reduced=True,
        notes=notes,
        title=title,
        reduce="communities",
        collapsed=collapsed,
    )


def _super_nodes(
    nodes: pd.DataFrame,
    comm: np.ndarray,
    shown: list[str],
    sizes: pd.Series,
    taken: dict[str, int],
    category: np.ndarray,
    metric: np.ndarray,
    names: list[str],
    blank: int | None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per community shown, and its dominant colour class."""
    frame = pd.DataFrame({
        "community": comm,
        "cat": category,
        "platform": nodes["platform"].map(category_text) if "platform" in nodes.columns else "",
        "group": nodes["group"].map(category_text) if "group" in nodes.columns else "",
        "metric": metric,
        "key": names,
    })
    frame = frame[frame["community"].isin(set(shown))]
    by = frame.groupby("community", sort=False)
    cat_counts = by["cat"].value_counts()
    group_counts = by["group"].value_counts()
    plat_counts = by["platform"].value_counts()
    top = (frame.sort_values(["metric", "key"], ascending=[False, True])
           .groupby("community", sort=False)["key"].apply(lambda s: list(s[:TOP_MEMBERS])))
    rows = []
    dominant = []
    for c in shown:
        cc = cat_counts.get(c)
        # The dominant class among members that have one; "unassigned" only if none has.
        counts = {int(k): int(v) for k, v in cc.items()} if cc is not None else {}
        assigned = {k: v for k, v in counts.items() if k != blank}
        pick = assigned or counts
        dominant.append(min(pick, key=lambda k: (-pick[k], k)) if pick else (blank or 0))
        gc = group_counts.get(c)
        pc = plat_counts.get(c)
        rows.append({
            "community": c,
            "size": int(sizes[c]),
            "shown": int(taken.get(c, 0)),
            "groups": {k: int(v) for k, v in (gc.items() if gc is not None else [])},
            "platforms": {k: int(v) for k, v in (pc.items() if pc is not None else [])},
            "top": top.get(c, []),
        })
    return pd.DataFrame(rows, columns=["community", "size", "shown", "groups", "platforms",
                                       "top"]), np.asarray(dominant, dtype=np.int64)


def _super_edges(
    edges: pd.DataFrame, el: np.ndarray, comm: np.ndarray, shown: set[str]
) -> pd.DataFrame:
    """Ties between two different communities (both shown), summed per ordered pair."""
    cols = ["src", "dst", "weight", "cross_platform", "ties"]
    if len(el) == 0:
        return pd.DataFrame(columns=cols)
    frame = edges.drop(columns=["src", "dst"]).copy()
    frame["ties"] = 1
    frame["src"] = comm[el[:, 0]]
    frame["dst"] = comm[el[:, 1]]
    frame = frame[(frame["src"] != frame["dst"]) & frame["src"].isin(shown)
                  & frame["dst"].isin(shown)]
    if "cross_platform" in frame.columns:
        frame["cross_platform"] = frame["cross_platform"].fillna(False).astype(bool).astype(int)
    numeric = [c for c in frame.columns if c not in ("src", "dst")
               and pd.api.types.is_numeric_dtype(frame[c])]
    out = frame.groupby(["src", "dst"], sort=True)[numeric].sum().reset_index()
    return out


def _internal_weights(
    edges: pd.DataFrame, el: np.ndarray, comm: np.ndarray, same: np.ndarray
) -> dict[str, float]:
    if len(el) == 0:
        return {}
    w = edges["weight"].to_numpy(dtype=float)
    s = pd.Series(w[same]).groupby(comm[el[:, 0]][same]).sum()
    return {str(k): float(v) for k, v in s.items()}


def _community_layouts(g: ig.Graph, keep: np.ndarray, comm: np.ndarray, seed: int) -> np.ndarray:
    """One layout per community's kept members (each view is drawn on its own)."""
    out = np.zeros((len(keep), 2))
    if not len(keep):
        return out
    groups = pd.Series(np.arange(len(keep))).groupby(comm[keep])
    for _, rows in groups:
        idx = rows.to_numpy()
        members = keep[idx]
        sub = g.induced_subgraph(members.tolist())
        xy = compute_layout(sub, seed=seed)
        # Match by name: the subgraph's vertex order is igraph's choice.
        row = {k: i for i, k in enumerate(sub.vs["name"])}
        out[idx] = xy[[row[k] for k in g.vs[members.tolist()]["name"]]]
    return out


def _super_layout(nodes: pd.DataFrame, edges: pd.DataFrame, seed: int) -> np.ndarray:
    import igraph as ig

    index = {c: i for i, c in enumerate(nodes["community"])}
    h = ig.Graph(n=len(index), directed=False)
    if len(edges):
        h.add_edges([(index[s], index[d]) for s, d in zip(edges["src"], edges["dst"],
                                                           strict=True)])
        h.es["weight"] = edges["weight"].astype(float).tolist()
        h.simplify(combine_edges={"weight": "sum"})
    return compute_layout(h, seed=seed)


def _account_table(
    store: Store | None, ag: ActorGraph, names: list[str], accounts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Account properties, one row per actor-graph vertex, in vertex order.

    Read from ``accounts`` when given, else from the store, else the actor
    graph's own account table.
    """
    g = ag.graph
    base = pd.DataFrame({"key": names})
    if "platform" in g.vs.attributes() and names:
        base["platform"] = g.vs["platform"]
    if accounts is None:
        accounts = store.nodes("Account") if store is not None else ag.accounts
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


def _endpoints(ag: ActorGraph) -> np.ndarray:
    """(m, 2) vertex ids of every tie, in edge-id order."""
    e = ag.edges
    if e is not None and len(e) == ag.graph.ecount() and {"source", "target"} <= set(e.columns):
        return np.column_stack([e["source"].to_numpy(dtype=np.int64),
                                e["target"].to_numpy(dtype=np.int64)])
    return np.asarray(ag.graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)


def _edge_table(ag: ActorGraph, names: list[str], rows: np.ndarray | None = None) -> pd.DataFrame:
    """Ties as ``src``, ``dst`` (keys) and every tie attribute; only ``rows`` when given.

    Taken from the actor graph's own edge table (one row per edge, in edge-id
    order) when it has one: building it again from igraph costs seconds at a
    million ties.
    """
    e = ag.edges
    g = ag.graph
    if e is not None and len(e) == g.ecount() and {"src", "dst"} <= set(e.columns):
        edges = e[rows] if rows is not None else e
        edges = edges.drop(columns=[c for c in ("source", "target") if c in edges.columns])
        edges = edges.reset_index(drop=True)
    else:
        el = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        keys = np.asarray(names, dtype=object)
        pick = np.flatnonzero(rows) if rows is not None else np.arange(len(el))
        edges = pd.DataFrame({"src": keys[el[pick, 0]] if len(el) else [],
                              "dst": keys[el[pick, 1]] if len(el) else []})
        for attr in g.es.attributes():
            if attr in ("src", "dst", "source", "target"):
                continue
            values = np.asarray(g.es[attr], dtype=object)
            edges[attr] = values[pick] if len(values) else []
    if "weight" not in edges.columns:
        edges = edges.assign(weight=1.0)
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


def category_text(value: Any) -> str:
    """A category value as the text views show and filter on ("" when missing)."""
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
        nodes[col].map(category_text) if col in nodes.columns else pd.Series([""] * len(nodes))
    )
    totals = (full.map(category_text) if full is not None else values).value_counts()
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
    with atomic_path(path) as tmp, open(tmp, "w", encoding=encoding, newline="") as fh:
        if isinstance(chunks, str):
            fh.write(chunks)
        else:
            for chunk in chunks:
                fh.write(chunk)
    return Path(path)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path`` that replaces it when the block succeeds.

    For writers that want a file name rather than text (pyarrow, networkx).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    # mkstemp makes the file private (0600); an export gets the mode any new file would.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise ExportError(f"cannot write {path}: {exc}") from exc
    except BaseException:
        _unlink(tmp)
        raise


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
