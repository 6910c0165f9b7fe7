"""Copy a graph between the SQLite store and a Neo4j store (``netmap push`` / ``netmap pull``).

Both directions copy nodes first, then relationships, each with the provenance it has at the
origin (``source``, ``run``, ``first_seen``, ``last_seen``) and every property, analysis results
included (``group``, ``community``, ``pagerank`` …, so Bloom can style by them). Copies are
upserts: running one twice changes nothing, and a record that exists on both sides keeps the
target's properties the origin lacks, the earlier ``first_seen`` and the later ``last_seen``.

A push commits one transaction per chunk of ``batch_size`` rows, two (``workers``) at a time,
and each chunk records, in its own transaction, that it is done (a ``push:chunk:<table>:<n>``
marker in the target's metadata; ``push:state`` holds the origin's fingerprint, the chunk size
and the mode). An interrupted push therefore resumes with exactly the chunks that did not
commit when it is run again on an unchanged origin; when the origin changed in between, it
starts over (MERGE makes the repeat harmless).

A push into a target without graph nodes (the usual first push) uses CREATE instead of MERGE:
nothing there can match, and CREATE spares the lookups, the per-row provenance CASEs and the
Eager that MERGE plus ``SET +=`` needs (benchmarks/neo4j_push.py). The marker remembers the
mode, so a resumed push keeps it; a target that gained a conflicting node meanwhile makes the
key constraint reject the chunk, which is then redone, like the rest, with MERGE.

Two transactions in flight keep both cores of a small server busy (Neo4j runs a transaction
on one thread). They never write the same node or relationship, but may lock the same
endpoint; a deadlock that Neo4j detects is a transient error the driver retries.
"""

from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..model import NODE_LABELS, REL_TYPES, now_iso
from ..util import gc_paused
from . import cypher_queries as cq
from .neo4j import _INT64, neo4j_props

if TYPE_CHECKING:
    from .neo4j import Neo4jStore
    from .sqlite import SQLiteStore

__all__ = ["push", "pull", "Progress"]

# progress(table, rows done, rows total); raising from it stops the copy after a committed chunk.
Progress = Callable[[str, int, int], None]

try:
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - orjson is a dependency
    _loads = json.loads

_STATE = "push:state"
# One marker per committed chunk, written in the chunk's own transaction: push:chunk:<table>:<n>.
# (A single progress marker would be one node every transaction locks: no two could overlap.)
_CHUNK = "push:chunk:"

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
    workers: int = 2,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Copy the whole graph of a SQLite store into a Neo4j store.

    Parameters
    ----------
    sqlite_store, neo4j_store
        Origin and target.
    batch_size
        Rows per transaction (a resumed push keeps the size it began with).
    workers
        Transactions in flight at once. Neo4j runs each transaction on one thread, so two
        keep a 2-core server busy; chunks are disjoint, so they never write the same record.
    progress
        Called as ``progress(table, done, total)`` after each committed chunk (``table`` is
        ``"nodes"`` or ``"relationships"``); raising from it stops the copy once the chunks
        in flight have committed or failed.

    Returns
    -------
    dict
        ``nodes`` and ``relationships`` written by this call, ``skipped`` relationships (whose
        endpoints are missing at the origin, or whose shape the model does not allow),
        ``runs`` copied, ``resumed`` (True when an interrupted push was continued), ``seconds``.
    """
    if batch_size < 1:
        raise StoreError("batch_size must be at least 1")
    if workers < 1:
        raise StoreError("workers must be at least 1")
    with gc_paused():
        return _push(sqlite_store, neo4j_store, batch_size, workers, progress)


def _push(sqlite_store: SQLiteStore, neo4j_store: Neo4jStore, batch_size: int, workers: int,
          progress: Progress | None) -> dict[str, Any]:
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
    done_chunks: set[str] = set()
    if state:
        batch_size = int(state.get("batch_size") or batch_size)  # chunk numbers depend on it
        done_chunks = {
            r["name"] for r in neo4j_store._read_all(cq.fixed("meta_names"), prefix=_CHUNK)
        }
        # A marker of an older netmap (no chunk markers) cannot tell what committed: MERGE all.
        fresh = bool(state.get("fresh")) and "batch_size" in state
    else:
        # Fresh target: no graph node there when the push began. Then nothing can match, and
        # CREATE replaces MERGE (several times faster: no lookup, no per-row CASE, no Eager).
        # Should the target gain a node meanwhile, the key constraint rejects the chunk and
        # the push falls back to MERGE (see commit()).
        fresh = _is_empty(neo4j_store)
        neo4j_store._write(
            lambda tx: tx.run(cq.fixed("meta_delete_prefix"), prefix=_CHUNK).consume()
        )
        state = {"origin": origin, "table": "nodes", "batch_size": batch_size, "fresh": fresh}
        neo4j_store.set_meta(_STATE, json.dumps(state, ensure_ascii=False))
    resumed = bool(done_chunks)
    report: dict[str, Any] = {"nodes": 0, "relationships": 0, "skipped": 0, "runs": 0,
                              "resumed": resumed}

    runs = _runs_rows(sqlite_store)
    if runs:
        neo4j_store._write(
            lambda tx: tx.run(cq.fixed("run_copy"), rows=runs).consume()
        )
        report["runs"] = len(runs)

    ids = _ElementIds()  # node keys -> element ids of the nodes this push created

    def commit(build: Callable[[bool], list[tuple[str, list[Any], str | None]]],
               marker: str) -> int:
        """Write one chunk and its marker in one transaction; the rows written."""
        nonlocal fresh
        create = fresh
        statements = build(create)
        created: list[tuple[str, list[Any], list[str]]] = []

        def work(tx: Any) -> int:
            created.clear()  # a retried transaction starts over
            n = 0
            for query, rows, label in statements:
                rec = tx.run(query, rows=rows).single()
                n += rec["n"] if rec is not None and "n" in rec.keys() else len(rows)
                if label is not None and rec is not None:
                    created.append((label, rows, rec["ids"]))
            tx.run(cq.fixed("meta_set"), name=marker, value="done").consume()
            return n

        try:
            written = int(neo4j_store._write(work))
        except StoreError as exc:
            if not (create and isinstance(exc.__cause__, neo4j_store._neo4j.exceptions.ConstraintError)):
                raise
            # A node appeared on the target since the push began: the chunk rolled back as a
            # whole, so redo it (and the rest) with MERGE.
            fresh = False
            return commit(build, marker)
        for label, rows, eids in created:
            ids.add(label, [r["key"] for r in rows], eids)
        return written

    def chunks(table: str, sql: str, start: tuple[str, ...], build_rows: Callable[..., Any]
               ) -> Iterator[tuple[int, Callable[[], int]]]:
        for seq, page in enumerate(_pages(conn, sql, start, batch_size)):
            marker = f"{_CHUNK}{table}:{seq}"
            if marker in done_chunks:
                continue
            yield len(page), lambda page=page, marker=marker: commit(
                lambda create: build_rows(page, create), marker)

    # -- nodes ---------------------------------------------------------------------------------
    done = 0

    def node_done(rows: int, written: int) -> None:
        nonlocal done
        done += rows
        report["nodes"] += written
        if progress:
            progress("nodes", done, node_total)

    if state.get("table") != "relationships":
        done = _rows_done(done_chunks, "nodes", node_total, batch_size)
        _run_parallel(chunks("nodes", _NODE_SQL, ("", ""), _node_statements), workers, node_done)
        state = {**state, "table": "relationships", "fresh": fresh}
        neo4j_store.set_meta(_STATE, json.dumps(state, ensure_ascii=False))

    # -- relationships ---------------------------------------------------------------------
    edone = _rows_done(done_chunks, "relationships", edge_total, batch_size)

    def edge_done(rows: int, written: int) -> None:
        nonlocal edone
        edone += rows
        report["relationships"] += written
        # rows of a shape the model does not allow were never sent; missing endpoints match nothing
        report["skipped"] += rows - written
        if progress:
            progress("relationships", edone, edge_total)

    # A first push finds endpoints by element id. Nodes written by an earlier, interrupted call
    # (or by MERGE after a fallback) are not in the map: then it is read from the target once.
    idmap: _ElementIds | None = None
    if fresh:
        if len(ids) < node_total:
            ids.load(neo4j_store)
        idmap = ids

    def edge_rows(page: list[tuple], create: bool) -> list[tuple[str, list[Any], str | None]]:
        return _edge_statements(page, create, idmap if create else None)

    _run_parallel(chunks("relationships", _EDGE_SQL, ("",) * 5, edge_rows), workers, edge_done)

    def finish(tx: Any) -> None:
        tx.run(cq.fixed("graph_version_bump")).consume()
        tx.run(cq.fixed("meta_delete_prefix"), prefix=_CHUNK).consume()
        tx.run(cq.fixed("meta_delete"), name=_STATE).consume()

    neo4j_store._write(finish)
    report["seconds"] = round(time.perf_counter() - t0, 3)
    return report


def _rows_done(done_chunks: set[str], table: str, total: int, batch_size: int) -> int:
    """Rows of ``table`` (``total`` at the origin) in the chunks whose markers are in
    ``done_chunks`` (every chunk is full but possibly the last)."""
    prefix = f"{_CHUNK}{table}:"
    seqs = [int(m[len(prefix):]) for m in done_chunks if m.startswith(prefix)]
    return sum(min(batch_size, max(0, total - seq * batch_size)) for seq in seqs)


def _run_parallel(jobs: Iterator[tuple[int, Callable[[], int]]], workers: int,
                  on_result: Callable[[int, int], None]) -> None:
    """Run ``jobs`` (rows, job) with up to ``workers`` in flight; ``on_result(rows, written)``
    in this thread as each completes. On any error, the jobs in flight are let finish (each
    commits whole or not at all) before it is raised: what committed is then known."""
    if workers == 1:
        for rows, job in jobs:
            on_result(rows, job())
        return
    inflight: dict[Future[int], int] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="netmap-push") as pool:
        try:
            for rows, job in jobs:
                while len(inflight) >= workers:
                    finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        on_result(inflight.pop(fut), fut.result())
                inflight[pool.submit(job)] = rows
            while inflight:
                finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in finished:
                    on_result(inflight.pop(fut), fut.result())
        except BaseException:
            wait(inflight)
            raise


def _is_empty(neo4j_store: Neo4jStore) -> bool:
    """True when the target holds no graph node (bookkeeping nodes do not count)."""
    return not any(neo4j_store.counts()["nodes"].values())


def _node_statements(page: list[tuple], create: bool
                     ) -> list[tuple[str, list[dict[str, Any]], str | None]]:
    """One statement per label for a page of ``nodes`` rows (pages come in label order)."""

    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for label, key, props, source, run, first, last in page:
        if label not in NODE_LABELS:
            continue
        data = _data(props)
        if create:  # the node's whole property map; the reserved names are not in data
            data.update(key=key, source=source, run=run, first_seen=first, last_seen=last)
            by_label[label].append(data)
        else:
            by_label[label].append({"key": key, "props": data, "source": source, "run": run,
                                    "first_seen": first, "last_seen": last})
    if create:  # the new nodes' element ids come back, for the relationships' endpoints
        return [(cq.node_query("node_create_ids", lab), rows, lab) for lab, rows in by_label.items()]
    return [(cq.node_query("node_copy", lab), rows, None) for lab, rows in by_label.items()]


def _edge_statements(page: list[tuple], create: bool, ids: _ElementIds | None = None
                     ) -> list[tuple[str, list[Any], str | None]]:
    """One statement per (type, source label, target label) for a page of ``edges`` rows,
    rows in source-key order (the page's order), so neighbouring rows touch neighbouring
    records. With ``ids`` (a first push), endpoints travel as element ids; a row whose endpoint
    has none (missing at the origin) is not sent, as MATCH would not find it either."""

    by_shape: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    shapes = cq.EDGE_SHAPES
    shape = rows = None
    for type_, sl, s, dl, d, props, source, run, first, last in page:
        if (type_, sl, dl) != shape:  # pages come sorted by type and labels: few switches
            shape = (type_, sl, dl)
            rows = by_shape[shape] if shape in shapes else None
            if ids is not None:
                src_ids, dst_ids = ids.label(sl), ids.label(dl)
        if rows is None:
            continue  # a shape the model does not allow: counted as skipped by the caller
        data = _data(props)
        if create:
            data["source"] = source
            data["run"] = run
            data["first_seen"] = first
            data["last_seen"] = last
            if ids is not None:
                a, b = src_ids.get(s), dst_ids.get(d)
                if a is None or b is None:
                    continue
                rows.append([a, b, data])
            else:
                rows.append([s, d, data])
        else:
            rows.append({"src": s, "dst": d, "props": data, "source": source,
                         "run": run, "first_seen": first, "last_seen": last})
    by_shape = {k: v for k, v in by_shape.items() if v}
    name = ("edge_create_ids" if ids is not None else "edge_create") if create else "edge_copy"
    return [(cq.edge_query(name, t, sl, dl), rows, None) for (t, sl, dl), rows in by_shape.items()]


class _LabelIds:
    __slots__ = ("_m", "_prefix")

    def __init__(self, m: dict[str, int | str], prefix: str) -> None:
        self._m = m
        self._prefix = prefix

    def get(self, key: str) -> str | None:
        v = self._m.get(key)
        if v is None or type(v) is str:
            return v  # type: ignore[return-value]
        return self._prefix + str(v)


class _ElementIds:
    """(label, key) -> element id, compact: ids of one database share a prefix
    (``4:<database id>:``), so the map keeps the number after it where it can."""

    def __init__(self) -> None:
        self._by_label: dict[str, dict[str, int | str]] = defaultdict(dict)
        self._prefix: str | None = None

    def __len__(self) -> int:
        return sum(len(m) for m in self._by_label.values())

    def add(self, label: str, keys: list[str], eids: list[str]) -> None:
        m = self._by_label[label]
        for key, eid in zip(keys, eids, strict=True):
            head, _, tail = eid.rpartition(":")
            if self._prefix is None:
                self._prefix = head + ":"
            m[key] = int(tail) if head + ":" == self._prefix and tail.isdigit() else eid

    def label(self, label: str) -> _LabelIds:
        """The ids of one label, as a mapping with ``get(key)``."""
        return _LabelIds(self._by_label.get(label) or {}, self._prefix or "")

    def load(self, neo4j_store: Neo4jStore) -> None:
        """Read every graph node's element id from the target."""
        self._by_label.clear()
        for label in NODE_LABELS:
            records = neo4j_store._read_all(cq.node_query("node_ids", label))
            self.add(label, [r["key"] for r in records], [r["id"] for r in records])


def _data(props: str) -> dict[str, Any]:
    """A row's JSON properties as Neo4j properties (:func:`~netmap.store.neo4j.neo4j_props`),
    for push and the neo4j-admin import files alike. Most rows hold plain values under
    ordinary names, which ``neo4j_props`` would return unchanged: those skip it."""
    if props == "{}":
        return {}
    try:
        d = _loads(props)
    except ValueError:  # orjson stops at 64-bit integers; json reads any
        d = json.loads(props)
    for k, v in d.items():
        t = type(v)
        if not (t is str or t is bool or (t is int and _INT64[0] <= v <= _INT64[1])
                or (t is float and math.isfinite(v))) \
                or not k or k in cq.RESERVED_PROPS or "\x00" in k:
            return neo4j_props(d)
    return d


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
