"""Copy a graph between the SQLite store and a Neo4j store (``netmap push`` / ``netmap pull``).

Both directions copy nodes first, then relationships, each with the provenance it has at the
origin (``source``, ``run``, ``first_seen``, ``last_seen``) and every property, analysis results
included (``group``, ``community``, ``pagerank`` …, so Bloom can style by them). Copies are
upserts: running one twice changes nothing, and a record that exists on both sides keeps the
target's properties the origin lacks, the earlier ``first_seen`` and the later ``last_seen``.

A push commits one transaction per chunk of ``batch_size`` rows and records, in the same
transaction, how far it got (``push:state`` in the target's metadata). An interrupted push
therefore resumes after the last committed chunk when it is run again on an unchanged origin;
when the origin changed in between, it starts over (MERGE makes the repeat harmless).

A push into a target without graph nodes (the usual first push) uses CREATE instead of MERGE:
nothing there can match, and CREATE spares the lookups, the per-row provenance CASEs and the
Eager that MERGE plus ``SET +=`` needs (benchmarks/neo4j_push.py). The marker remembers the
mode, so a resumed push keeps it; a target that gained a conflicting node meanwhile makes the
key constraint reject the chunk, which is then redone, like the rest, with MERGE.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..model import NODE_LABELS, REL_TYPES, now_iso
from . import cypher_queries as cq

if TYPE_CHECKING:
    from .neo4j import Neo4jStore
    from .sqlite import SQLiteStore

__all__ = ["push", "pull", "Progress"]

# progress(table, rows done, rows total); raising from it stops the copy after a committed chunk.
Progress = Callable[[str, int, int], None]

_STATE = "push:state"

_NODE_SQL = (
    "SELECT label, key, props, source, run, first_seen, last_seen FROM nodes "
    "WHERE (label, key) > (?, ?) ORDER BY label, key LIMIT ?"
)
_EDGE_SQL = (
    "SELECT type, src_label, src, dst_label, dst, props, source, run, first_seen, last_seen "
    "FROM edges WHERE (type, src_label, src, dst_label, dst) > (?, ?, ?, ?, ?) "
    "ORDER BY type, src_label, src, dst_label, dst LIMIT ?"
)

_PULL_NODE_SQL = """
INSERT INTO nodes (label, key, props, source, run, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (label, key) DO UPDATE SET
    props = json_patch(nodes.props, excluded.props),
    source = coalesce(nodes.source, excluded.source),
    run = coalesce(nodes.run, excluded.run),
    first_seen = CASE WHEN nodes.first_seen IS NULL OR excluded.first_seen < nodes.first_seen
                      THEN excluded.first_seen ELSE nodes.first_seen END,
    last_seen = CASE WHEN nodes.last_seen IS NULL OR excluded.last_seen > nodes.last_seen
                     THEN excluded.last_seen ELSE nodes.last_seen END
"""

_PULL_EDGE_SQL = """
INSERT INTO edges (type, src_label, src, dst_label, dst, props, source, run, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, src_label, src, dst_label, dst) DO UPDATE SET
    props = json_patch(edges.props, excluded.props),
    source = coalesce(edges.source, excluded.source),
    run = coalesce(edges.run, excluded.run),
    first_seen = CASE WHEN edges.first_seen IS NULL OR excluded.first_seen < edges.first_seen
                      THEN excluded.first_seen ELSE edges.first_seen END,
    last_seen = CASE WHEN edges.last_seen IS NULL OR excluded.last_seen > edges.last_seen
                     THEN excluded.last_seen ELSE edges.last_seen END
"""

_RUN_COLUMNS = ("run", "command", "inputs", "params", "started", "finished", "status",
                "read", "stored", "rejected", "error")


def _pages(conn: Any, sql: str, start: tuple[str, ...], size: int) -> Iterator[list[tuple]]:
    after = start
    while True:
        rows = conn.execute(sql, (*after, size)).fetchall()
        if not rows:
            return
        yield rows
        after = tuple(rows[-1][: len(start)])


def _runs_rows(sqlite_store: SQLiteStore) -> list[dict[str, Any]]:
    cur = sqlite_store.conn.execute(f"SELECT {', '.join(_RUN_COLUMNS)} FROM runs")
    return [{k: v for k, v in zip(_RUN_COLUMNS, row, strict=True) if v is not None} for row in cur]


def push(
    sqlite_store: SQLiteStore,
    neo4j_store: Neo4jStore,
    *,
    batch_size: int = 10_000,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Copy the whole graph of a SQLite store into a Neo4j store.

    Parameters
    ----------
    sqlite_store, neo4j_store
        Origin and target.
    batch_size
        Rows per transaction.
    progress
        Called as ``progress(table, done, total)`` after each committed chunk (``table`` is
        ``"nodes"`` or ``"relationships"``).

    Returns
    -------
    dict
        ``nodes`` and ``relationships`` written by this call, ``skipped`` relationships (whose
        endpoints are missing at the origin, or whose shape the model does not allow),
        ``runs`` copied, ``resumed`` (True when an interrupted push was continued), ``seconds``.
    """
    if batch_size < 1:
        raise StoreError("batch_size must be at least 1")
    t0 = time.perf_counter()
    conn = sqlite_store.conn
    origin = f"{sqlite_store.uri}#{sqlite_store.fingerprint()}"
    node_total = conn.execute("SELECT count(*) FROM nodes").fetchone()[0]
    edge_total = conn.execute("SELECT count(*) FROM edges").fetchone()[0]

    state: dict[str, Any] = {}
    raw = neo4j_store.meta(_STATE)
    if raw:
        try:
            state = json.loads(raw)
        except ValueError:
            state = {}
        if state.get("origin") != origin:
            state = {}  # the origin changed since: its keys and order may differ, start over
    resumed = bool(state)
    report: dict[str, Any] = {"nodes": 0, "relationships": 0, "skipped": 0, "runs": 0,
                              "resumed": resumed}
    # Fresh target: no graph node there when the push began. Then nothing can match, and CREATE
    # replaces MERGE (several times faster: no lookup, no per-row CASE, no Eager). A resumed push
    # keeps the mode it began with: each chunk commits with its marker, so what lies after the
    # marker is absent. Should the target have gained a node meanwhile, the key constraint
    # rejects the chunk and the push falls back to MERGE (see commit()).
    fresh = bool(state.get("fresh")) if resumed else _is_empty(neo4j_store)

    runs = _runs_rows(sqlite_store)
    if runs:
        neo4j_store._write(
            lambda tx: tx.run(cq.fixed("run_copy"), rows=runs).consume()
        )
        report["runs"] = len(runs)

    def commit(build: Callable[[bool], list[tuple[str, list[Any]]]],
               new_state: dict[str, Any]) -> tuple[int, int]:
        """Write one chunk and its marker in one transaction: (written, rows sent)."""
        nonlocal fresh
        statements = build(fresh)
        payload = json.dumps({**new_state, "fresh": fresh}, ensure_ascii=False)

        def work(tx: Any) -> int:
            n = 0
            for query, rows in statements:
                rec = tx.run(query, rows=rows).single()
                n += rec["n"] if rec is not None and "n" in rec.keys() else len(rows)
            tx.run(cq.fixed("meta_set"), name=_STATE, value=payload).consume()
            return n

        try:
            written = int(neo4j_store._write(work))
        except StoreError as exc:
            if not (fresh and isinstance(exc.__cause__, neo4j_store._neo4j.exceptions.ConstraintError)):
                raise
            # A node appeared on the target since the push began: the chunk rolled back as a
            # whole, so redo it (and the rest) with MERGE.
            fresh = False
            return commit(build, new_state)
        return written, sum(len(rows) for _, rows in statements)

    # -- nodes ---------------------------------------------------------------------------------
    done = int(state.get("nodes_done", 0))
    if state.get("table") != "relationships":
        start = tuple(state.get("after", ("", "")))
        for page in _pages(conn, _NODE_SQL, start, batch_size):
            done += len(page)
            written, _ = commit(lambda create, page=page: _node_statements(page, create), {
                "origin": origin, "table": "nodes", "after": list(page[-1][:2]),
                "nodes_done": done,
            })
            report["nodes"] += written
            if progress:
                progress("nodes", done, node_total)
        state = {"origin": origin, "table": "relationships", "after": [""] * 5,
                 "nodes_done": done, "edges_done": 0}

    # -- relationships ---------------------------------------------------------------------
    edone = int(state.get("edges_done", 0))
    start = tuple(state.get("after", [""] * 5))
    for page in _pages(conn, _EDGE_SQL, start, batch_size):
        edone += len(page)
        written, _ = commit(lambda create, page=page: _edge_statements(page, create), {
            "origin": origin, "table": "relationships", "after": list(page[-1][:5]),
            "nodes_done": done, "edges_done": edone,
        })
        report["relationships"] += written
        # rows of a shape the model does not allow were never sent; missing endpoints match nothing
        report["skipped"] += len(page) - written
        if progress:
            progress("relationships", edone, edge_total)

    def finish(tx: Any) -> None:
        tx.run(cq.fixed("graph_version_bump")).consume()
        tx.run(cq.fixed("meta_delete"), name=_STATE).consume()

    neo4j_store._write(finish)
    report["seconds"] = round(time.perf_counter() - t0, 3)
    return report


def _is_empty(neo4j_store: Neo4jStore) -> bool:
    """True when the target holds no graph node (bookkeeping nodes do not count)."""
    return not any(neo4j_store.counts()["nodes"].values())


def _node_statements(page: list[tuple], create: bool) -> list[tuple[str, list[dict[str, Any]]]]:
    """One statement per label for a page of ``nodes`` rows (pages come in label order)."""
    from .neo4j import neo4j_props

    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for label, key, props, source, run, first, last in page:
        if label not in NODE_LABELS:
            continue
        data = neo4j_props(json.loads(props))
        if create:  # the node's whole property map; the reserved names are not in data
            data.update(key=key, source=source, run=run, first_seen=first, last_seen=last)
            by_label[label].append(data)
        else:
            by_label[label].append({"key": key, "props": data, "source": source, "run": run,
                                    "first_seen": first, "last_seen": last})
    name = "node_create" if create else "node_copy"
    return [(cq.node_query(name, lab), rows) for lab, rows in by_label.items()]


def _edge_statements(page: list[tuple], create: bool) -> list[tuple[str, list[Any]]]:
    """One statement per (type, source label, target label) for a page of ``edges`` rows,
    rows in source-key order (the page's order), so neighbouring rows touch neighbouring
    records."""
    from .neo4j import neo4j_props

    by_shape: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for type_, sl, s, dl, d, props, source, run, first, last in page:
        if (type_, sl, dl) not in cq.EDGE_SHAPES:
            continue  # counted as skipped by the caller
        data = neo4j_props(json.loads(props))
        if create:
            data.update(source=source, run=run, first_seen=first, last_seen=last)
            by_shape[(type_, sl, dl)].append([s, d, data])
        else:
            by_shape[(type_, sl, dl)].append({"src": s, "dst": d, "props": data, "source": source,
                                              "run": run, "first_seen": first, "last_seen": last})
    name = "edge_create" if create else "edge_copy"
    return [(cq.edge_query(name, t, sl, dl), rows) for (t, sl, dl), rows in by_shape.items()]


def _json_default(value: Any) -> Any:
    # Neo4j temporal values (from data written outside netmap) become ISO-8601 text.
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


def _dumps(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                      default=_json_default)


def _split(p: dict[str, Any]) -> tuple[str, list[Any]]:
    data = {k: v for k, v in p.items() if k not in cq.RESERVED_PROPS}
    return _dumps(data), [p.get(k) for k in cq.PROVENANCE]


def pull(
    neo4j_store: Neo4jStore,
    sqlite_store: SQLiteStore,
    *,
    batch_size: int = 10_000,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Copy the whole graph of a Neo4j store into a SQLite store (the reverse of :func:`push`).

    Returns ``nodes``, ``relationships`` and ``runs`` copied, and ``seconds``.
    """
    t0 = time.perf_counter()
    conn = sqlite_store.conn
    report: dict[str, Any] = {"nodes": 0, "relationships": 0, "runs": 0}
    counts = neo4j_store.counts()
    node_total = sum(counts["nodes"].values())
    edge_total = sum(counts["relationships"].values())

    def write(sql: str, rows: list[tuple]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(sql, rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    runs = neo4j_store.runs()
    if len(runs):
        rows = [tuple(None if _isna(v) else v for v in r) for r in
                runs[list(_RUN_COLUMNS)].itertuples(index=False, name=None)]
        write(f"INSERT OR IGNORE INTO runs ({', '.join(_RUN_COLUMNS)}) "
              f"VALUES ({', '.join('?' for _ in _RUN_COLUMNS)})", rows)
        report["runs"] = len(rows)

    for label in NODE_LABELS:
        query = cq.node_query("nodes_page", label)
        after = ""
        while True:
            records = neo4j_store._read_all(query, after=after, limit=batch_size)
            if not records:
                break
            rows = []
            for r in records:
                p = r["p"]
                props, prov = _split(p)
                rows.append((label, p["key"], props, *prov))
            write(_PULL_NODE_SQL, rows)
            after = records[-1]["p"]["key"]
            report["nodes"] += len(rows)
            if progress:
                progress("nodes", report["nodes"], node_total)

    labels = list(NODE_LABELS)
    for type_ in REL_TYPES:
        query = cq.rel_query("edges_all", type_)
        records = neo4j_store._read_all(query, labels=labels)
        rows = []
        for r in records:
            if r["src_label"] is None or r["dst_label"] is None or r["src"] is None:
                continue  # a relationship to a node outside netmap's model
            props, prov = _split(r["p"])
            rows.append((type_, r["src_label"], r["src"], r["dst_label"], r["dst"], props, *prov))
        for i in range(0, len(rows), batch_size):
            write(_PULL_EDGE_SQL, rows[i : i + batch_size])
            report["relationships"] += len(rows[i : i + batch_size])
            if progress:
                progress("relationships", report["relationships"], edge_total)

    if report["nodes"] or report["relationships"]:
        conn.execute(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name='graph_version'"
        )
    sqlite_store.set_meta("pulled_from", f"{neo4j_store.uri} at {now_iso()}")
    report["seconds"] = round(time.perf_counter() - t0, 3)
    return report


def _isna(value: Any) -> bool:
    try:
        return value is None or value != value  # NaN is the only value unequal to itself
    except (TypeError, ValueError):
        return False
