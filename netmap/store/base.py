"""The Store interface every backend implements, and helpers they share.

A store holds the graph of :mod:`netmap.model`: nodes keyed by ``(label, key)``
and relationships keyed by ``(type, source node, target node)``. Writes are
idempotent upserts: properties merge (a later non-empty value wins, nothing is
erased by a record that lacks it), provenance records ``source``, the first
``run``, ``first_seen`` and ``last_seen``.

Analyses read through :meth:`Store.nodes` / :meth:`Store.edges` (pandas
DataFrames) and write results back with :meth:`Store.set_props`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..model import Batch, clean_props

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Store",
    "NodeRow",
    "EdgeRow",
    "prepare_batch",
    "default_store_uri",
    "is_neo4j_uri",
    "SCHEMA_VERSION",
    "SOCIAL_PLATFORMS",
]

SCHEMA_VERSION = 1

# Posts on these platforms are short social messages: a link in one is a share.
SOCIAL_PLATFORMS: tuple[str, ...] = (
    "twitter", "telegram", "vk", "mastodon", "bluesky", "facebook", "ok",
)

NodeRow = tuple[str, str, dict[str, Any]]  # label, key, props
EdgeRow = tuple[str, str, str, str, str, dict[str, Any]]  # type, src_label, src, dst_label, dst, props


@dataclass(slots=True)
class PreparedBatch:
    nodes: list[NodeRow]
    edges: list[EdgeRow]


def prepare_batch(batch: Batch) -> PreparedBatch:
    """Deduplicate a batch and add stub nodes for every edge endpoint.

    Duplicates within a batch merge their properties in order, so the batch
    writes each node and edge once. Endpoints referenced only by edges become
    nodes with no properties (a reply to a post that was not collected still
    has its parent as a node), so every backend stores the same graph.
    """
    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    for n in batch.nodes:
        props = clean_props(n.props)
        cur = nodes.get((n.label, n.key))
        if cur is None:
            nodes[(n.label, n.key)] = props
        else:
            cur.update(props)
    edges: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for e in batch.edges:
        k = (e.type, e.src_label, e.src, e.dst_label, e.dst)
        props = clean_props(e.props) if e.props else {}  # most relationships carry none
        cur = edges.get(k)
        if cur is None:
            edges[k] = props
        else:
            cur.update(props)
        nodes.setdefault((e.src_label, e.src), {})
        nodes.setdefault((e.dst_label, e.dst), {})
    return PreparedBatch(
        nodes=[(lab, key, p) for (lab, key), p in nodes.items()],
        edges=[(*k, p) for k, p in edges.items()],
    )


@runtime_checkable
class Store(Protocol):
    """What netmap needs from a graph store."""

    uri: str

    # -- collection runs -------------------------------------------------
    def begin_run(self, command: str, inputs: Sequence[str], params: dict[str, Any]) -> str:
        """Record the start of a run; return its id."""

    def write_batch(self, batch: Batch, run: str) -> None:
        """Upsert one batch atomically (all of it or nothing)."""

    def end_run(
        self, run: str, *, read: int, stored: int, rejected: int, status: str = "ok",
        error: str | None = None,
    ) -> None:
        """Record the outcome of a run."""

    def runs(self) -> pd.DataFrame:
        """One row per run: run, command, inputs, started, finished, status, read, stored, rejected."""

    # -- reading ---------------------------------------------------------
    def counts(self) -> dict[str, dict[str, int]]:
        """``{"nodes": {label: n}, "relationships": {type: n}}`` with every label/type present."""

    def nodes(self, label: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Nodes of one label: ``key`` plus properties (all, or only ``columns``)."""

    def edges(
        self, types: Sequence[str] | None = None, columns: Sequence[str] = ()
    ) -> pd.DataFrame:
        """Relationships: ``type, src_label, src, dst_label, dst`` plus the given property columns."""

    def get_node(self, label: str, key: str) -> dict[str, Any] | None:
        """One node's properties and provenance, or None."""

    # -- results and bookkeeping ----------------------------------------
    def set_props(
        self, label: str, rows: Iterable[tuple[str, dict[str, Any]]], clear: Sequence[str] = ()
    ) -> int:
        """Merge properties into existing nodes (analysis results); first remove ``clear`` keys
        from every node of the label. Unknown keys are ignored. Returns nodes updated."""

    def delete_nodes(self, label: str, keys: Iterable[str]) -> int:
        """Delete nodes and every relationship touching them; returns nodes deleted."""

    def write_edges(self, rows: Iterable[EdgeRow], run: str, source: str) -> int:
        """Upsert derived relationships (identity links, cross-posts); endpoints must exist."""

    def delete_edges(self, type_: str) -> int:
        """Delete every relationship of one type (derived ones are recomputed whole)."""

    def reconcile_links(self) -> dict[str, int]:
        """Fold ``Url`` nodes whose key is also a ``Post`` key into that Post.

        Every relationship to such a Url is moved to the Post; a ``LINKS_TO``
        from a short social post (see :data:`SOCIAL_PLATFORMS`) becomes
        ``SHARES``: a tweet carrying a blog post's link shares that post. Run
        after every collection, since the post and its sharers may arrive in
        any order. Returns ``{"urls_folded": n}``.
        """

    def meta(self, name: str) -> str | None: ...

    def set_meta(self, name: str, value: str) -> None: ...

    def fingerprint(self) -> str:
        """Changes whenever collected data changes (not when results are written back)."""

    def close(self) -> None: ...


def is_neo4j_uri(uri: str) -> bool:
    return uri.split("://", 1)[0].lower() in {
        "neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc",
    } and "://" in uri


def default_store_uri() -> str:
    return os.environ.get("NETMAP_STORE") or "netmap.db"
