"""The embedded default store: one SQLite file (WAL mode).

Two tables hold the graph: ``nodes(label, key, props)`` and
``edges(type, src_label, src, dst_label, dst, props)``, each with provenance
columns. Properties are a JSON object merged with ``json_patch`` on conflict,
so re-collecting the same input changes no count and erases nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..model import NODE_LABELS, REL_TYPES, Batch, clean_props, now_iso
from ..util import gc_paused
from .base import SCHEMA_VERSION, SOCIAL_PLATFORMS, EdgeRow, prepare_batch

if TYPE_CHECKING:  # pandas loads only when a command reads tables (0.25 s of start-up)
    import pandas as pd

__all__ = ["SQLiteStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    run TEXT PRIMARY KEY, command TEXT, inputs TEXT, params TEXT,
    started TEXT, finished TEXT, status TEXT,
    read INTEGER DEFAULT 0, stored INTEGER DEFAULT 0, rejected INTEGER DEFAULT 0, error TEXT
);
CREATE TABLE IF NOT EXISTS nodes (
    label TEXT NOT NULL, key TEXT NOT NULL, props TEXT NOT NULL DEFAULT '{}',
    source TEXT, run TEXT, first_seen TEXT, last_seen TEXT,
    PRIMARY KEY (label, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS edges (
    type TEXT NOT NULL, src_label TEXT NOT NULL, src TEXT NOT NULL,
    dst_label TEXT NOT NULL, dst TEXT NOT NULL, props TEXT NOT NULL DEFAULT '{}',
    source TEXT, run TEXT, first_seen TEXT, last_seen TEXT,
    PRIMARY KEY (type, src_label, src, dst_label, dst)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_dst ON edges (dst_label, dst, type);
"""

_NODE_UPSERT = """
INSERT INTO nodes (label, key, props, source, run, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (label, key) DO UPDATE SET
    props = CASE WHEN excluded.props = '{}' THEN nodes.props
                 ELSE json_patch(nodes.props, excluded.props) END,
    last_seen = excluded.last_seen
"""

# Endpoint stubs carry no properties: they only need to exist.
_NODE_STUB = """
INSERT OR IGNORE INTO nodes (label, key, props, source, run, first_seen, last_seen)
VALUES (?, ?, '{}', ?, ?, ?, ?)
"""

_EDGE_UPSERT = """
INSERT INTO edges (type, src_label, src, dst_label, dst, props, source, run, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (type, src_label, src, dst_label, dst) DO UPDATE SET
    props = CASE WHEN excluded.props = '{}' THEN edges.props
                 ELSE json_patch(edges.props, excluded.props) END,
    last_seen = excluded.last_seen
"""


try:  # orjson is ~5x faster at the one thing every write does
    import orjson as _orjson

    _SORT = _orjson.OPT_SORT_KEYS

    def _dumps(props: dict[str, Any]) -> str:
        if not props:
            return "{}"
        return _orjson.dumps(props, option=_SORT).decode()

except ImportError:  # pragma: no cover - exercised when orjson is absent

    def _dumps(props: dict[str, Any]) -> str:
        if not props:
            return "{}"
        return json.dumps(props, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _retry_busy(fn):  # type: ignore[no-untyped-def]
    """Retry a write a few times when another process holds the lock past the busy timeout."""

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        delay = 0.2
        for attempt in range(8):
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if attempt == 7:
                    raise StoreError(
                        f"the store is locked by another process for too long ({exc}); "
                        "retry when the other netmap command has finished"
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
        return None

    return wrapper


class SQLiteStore:
    """Graph store in one SQLite file. ``SQLiteStore(":memory:")`` works for tests."""

    def __init__(self, path: str | Path = "netmap.db", *, readonly: bool = False) -> None:
        self.path = str(path)
        self.uri = self.path
        if self.path != ":memory:":
            parent = Path(self.path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot create store {self.path}: folder {parent} does not exist")
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open store {self.path}: {exc}. Is it a netmap SQLite file? "
                "Choose another with --store PATH."
            ) from exc

    # -- setup -------------------------------------------------------------
    @_retry_busy
    def _open(self) -> None:
        """Connect and set up; retried as a whole when another process holds the lock.

        Two processes opening a new store at once race to switch it to WAL, and SQLite
        answers the loser "database is locked" at once, without waiting its busy timeout.
        """
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -262144")  # 256 MiB page cache for bulk upserts
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA wal_autocheckpoint = 16384")  # fewer, larger checkpoints
            conn.execute("PRAGMA foreign_keys = OFF")
            self.conn = conn
            self._init_schema()
        except BaseException:
            conn.close()
            raise

    @_retry_busy
    def _init_schema(self) -> None:
        cur = self.conn.cursor()
        row = None
        try:
            row = cur.execute("SELECT value FROM meta WHERE name='schema_version'").fetchone()
        except sqlite3.OperationalError:
            row = None
        if row is not None:
            version = int(row[0])
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"store {self.path} has schema version {version}, newer than this netmap "
                    f"({SCHEMA_VERSION}); upgrade netmap"
                )
            return
        cur.executescript(_SCHEMA)  # every statement is IF NOT EXISTS: safe to race
        cur.execute(
            "INSERT OR IGNORE INTO meta(name, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
        cur.execute("INSERT OR IGNORE INTO meta(name, value) VALUES ('graph_version', '0')")

    # -- runs --------------------------------------------------------------
    @_retry_busy
    def begin_run(self, command: str, inputs: Sequence[str], params: dict[str, Any]) -> str:
        run = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}"
        self.conn.execute(
            "INSERT INTO runs(run, command, inputs, params, started, status) VALUES (?,?,?,?,?,?)",
            (run, command, json.dumps(list(inputs), ensure_ascii=False),
             json.dumps(params, ensure_ascii=False, default=str), now_iso(), "running"),
        )
        return run

    @_retry_busy
    def end_run(
        self, run: str, *, read: int, stored: int, rejected: int, status: str = "ok",
        error: str | None = None,
    ) -> None:
        self.conn.execute(
            "UPDATE runs SET finished=?, status=?, read=?, stored=?, rejected=?, error=? WHERE run=?",
            (now_iso(), status, read, stored, rejected, error, run),
        )

    def runs(self) -> pd.DataFrame:
        import pandas as pd

        return pd.read_sql_query("SELECT * FROM runs ORDER BY started", self.conn)

    # -- writing -----------------------------------------------------------
    @_retry_busy
    def write_batch(self, batch: Batch, run: str) -> None:
        with gc_paused():  # millions of short-lived tuples: see netmap.util.gc_paused
            prepared = prepare_batch(batch)
            if not prepared.nodes and not prepared.edges:
                return
            ts = now_iso()
            src = batch.source
            # In key order: B-tree inserts then touch neighbouring pages (~25% less time).
            node_rows = sorted(
                (lab, key, _dumps(p), src, run, ts, ts) for lab, key, p in prepared.nodes if p)
            stub_rows = sorted(
                (lab, key, src, run, ts, ts) for lab, key, p in prepared.nodes if not p)
            edge_rows = sorted(
                (t, sl, s, dl, d, _dumps(p), src, run, ts, ts)
                for t, sl, s, dl, d, p in prepared.edges
            )
            self._write_rows(node_rows, stub_rows, edge_rows)

    def _write_rows(self, node_rows: list[tuple], stub_rows: list[tuple],
                    edge_rows: list[tuple]) -> None:
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.executemany(_NODE_UPSERT, node_rows)
            cur.executemany(_NODE_STUB, stub_rows)
            cur.executemany(_EDGE_UPSERT, edge_rows)
            cur.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name='graph_version'"
            )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    @_retry_busy
    def write_edges(self, rows: Iterable[EdgeRow], run: str, source: str) -> int:
        ts = now_iso()
        data = [
            (t, sl, s, dl, d, _dumps(clean_props(p)), source, run, ts, ts)
            for t, sl, s, dl, d, p in rows
        ]
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.executemany(_EDGE_UPSERT, data)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return len(data)

    @_retry_busy
    def delete_edges(self, type_: str) -> int:
        if type_ not in REL_TYPES:
            raise StoreError(f"unknown relationship type {type_!r}")
        cur = self.conn.execute("DELETE FROM edges WHERE type = ?", (type_,))
        return cur.rowcount

    @_retry_busy
    def reconcile_links(self) -> dict[str, int]:
        social = ", ".join(f"'{p}'" for p in SOCIAL_PLATFORMS)  # constants, not data
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.execute(
                "CREATE TEMP TABLE IF NOT EXISTS fold(key TEXT PRIMARY KEY) WITHOUT ROWID"
            )
            cur.execute("DELETE FROM fold")
            cur.execute(
                "INSERT INTO fold SELECT u.key FROM nodes u JOIN nodes p "
                "ON p.label = 'Post' AND p.key = u.key WHERE u.label = 'Url'"
            )
            folded = cur.execute("SELECT count(*) FROM fold").fetchone()[0]
            # Move relationships that point at a folded Url onto the Post. A link from a
            # short social post to a known Post is a share of it.
            cur.execute(
                f"""
                INSERT INTO edges (type, src_label, src, dst_label, dst, props, source, run,
                                   first_seen, last_seen)
                SELECT CASE WHEN e.type = 'LINKS_TO' AND e.src_label = 'Post'
                             AND json_extract(s.props, '$.platform') IN ({social})
                            THEN 'SHARES' ELSE e.type END,
                       e.src_label, e.src, 'Post', e.dst, e.props, e.source, e.run,
                       e.first_seen, e.last_seen
                FROM edges e
                JOIN fold f ON f.key = e.dst
                LEFT JOIN nodes s ON s.label = e.src_label AND s.key = e.src
                WHERE e.dst_label = 'Url'
                ON CONFLICT (type, src_label, src, dst_label, dst) DO UPDATE SET
                    props = json_patch(edges.props, excluded.props),
                    first_seen = min(edges.first_seen, excluded.first_seen),
                    last_seen = max(edges.last_seen, excluded.last_seen)
                """
            )
            cur.execute(
                "DELETE FROM edges WHERE dst_label = 'Url' AND dst IN (SELECT key FROM fold)"
            )
            cur.execute(
                "DELETE FROM edges WHERE src_label = 'Url' AND src IN (SELECT key FROM fold)"
            )
            # The Url's properties (original URL, domain) enrich the Post without overriding it.
            cur.execute(
                "UPDATE nodes SET props = json_patch("
                "  (SELECT u.props FROM nodes u WHERE u.label = 'Url' AND u.key = nodes.key),"
                "  props) "
                "WHERE label = 'Post' AND key IN (SELECT key FROM fold)"
            )
            cur.execute("DELETE FROM nodes WHERE label = 'Url' AND key IN (SELECT key FROM fold)")
            if folded:
                cur.execute(
                    "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name='graph_version'"
                )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return {"urls_folded": folded}

    @_retry_busy
    def set_props(
        self, label: str, rows: Iterable[tuple[str, dict[str, Any]]], clear: Sequence[str] = ()
    ) -> int:
        if label not in NODE_LABELS:
            raise StoreError(f"unknown node label {label!r}")
        data = [(_dumps(clean_props(p)), label, key) for key, p in rows]
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            if clear:
                paths = ", ".join("?" for _ in clear)
                cur.execute(
                    f"UPDATE nodes SET props = json_remove(props, {paths}) WHERE label = ?",
                    [f'$."{c}"' for c in clear] + [label],
                )
            cur.executemany(
                "UPDATE nodes SET props = json_patch(props, ?) WHERE label = ? AND key = ?", data
            )
            n = cur.rowcount
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return n if n >= 0 else len(data)

    @_retry_busy
    def delete_nodes(self, label: str, keys: Iterable[str]) -> int:
        keys = list(keys)
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.executemany(
                "DELETE FROM edges WHERE src_label = ? AND src = ?", [(label, k) for k in keys]
            )
            cur.executemany(
                "DELETE FROM edges WHERE dst_label = ? AND dst = ?", [(label, k) for k in keys]
            )
            cur.executemany("DELETE FROM nodes WHERE label = ? AND key = ?", [(label, k) for k in keys])
            n = cur.rowcount
            cur.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name='graph_version'"
            )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return n

    # -- reading -----------------------------------------------------------
    def counts(self) -> dict[str, dict[str, int]]:
        nodes = {lab: 0 for lab in NODE_LABELS}
        for lab, n in self.conn.execute("SELECT label, count(*) FROM nodes GROUP BY label"):
            nodes[lab] = n
        rels = {t: 0 for t in REL_TYPES}
        for t, n in self.conn.execute("SELECT type, count(*) FROM edges GROUP BY type"):
            rels[t] = n
        return {"nodes": nodes, "relationships": rels}

    def nodes(self, label: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        import pandas as pd

        if columns is not None:
            cols = ", ".join(f"json_extract(props, ?) AS c{i}" for i in range(len(columns)))
            sql = f"SELECT key{', ' + cols if cols else ''} FROM nodes WHERE label = ? ORDER BY key"
            params = [f'$."{c}"' for c in columns] + [label]
            df = pd.read_sql_query(sql, self.conn, params=params)
            df.columns = ["key", *columns]
            return df
        rows = self.conn.execute(
            "SELECT key, props, source, first_seen, last_seen FROM nodes WHERE label = ? ORDER BY key",
            (label,),
        ).fetchall()
        records = []
        for key, props, source, first, last in rows:
            rec = json.loads(props)
            rec["key"] = key
            rec["source"] = source
            rec["first_seen"] = first
            rec["last_seen"] = last
            records.append(rec)
        df = pd.DataFrame.from_records(records)
        if df.empty:
            df = pd.DataFrame(columns=["key", "source", "first_seen", "last_seen"])
        cols = ["key"] + [c for c in df.columns if c != "key"]
        return df[cols]

    def edges(
        self, types: Sequence[str] | None = None, columns: Sequence[str] = ()
    ) -> pd.DataFrame:
        import pandas as pd

        extra = "".join(f", json_extract(props, ?) AS p{i}" for i in range(len(columns)))
        sql = f"SELECT type, src_label, src, dst_label, dst{extra} FROM edges"
        params: list[Any] = [f'$."{c}"' for c in columns]
        if types:
            bad = [t for t in types if t not in REL_TYPES]
            if bad:
                raise StoreError(f"unknown relationship type(s): {', '.join(bad)}")
            sql += f" WHERE type IN ({', '.join('?' for _ in types)})"
            params += list(types)
        sql += " ORDER BY type, src_label, src, dst_label, dst"
        df = pd.read_sql_query(sql, self.conn, params=params)
        df.columns = ["type", "src_label", "src", "dst_label", "dst", *columns]
        return df

    def get_node(self, label: str, key: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT props, source, run, first_seen, last_seen FROM nodes WHERE label=? AND key=?",
            (label, key),
        ).fetchone()
        if row is None:
            return None
        rec = json.loads(row[0])
        rec.update(key=key, source=row[1], run=row[2], first_seen=row[3], last_seen=row[4])
        return rec

    def meta(self, name: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    @_retry_busy
    def set_meta(self, name: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def fingerprint(self) -> str:
        counts = self.counts()
        basis = json.dumps([self.meta("graph_version"), counts], sort_keys=True)
        return hashlib.sha256(basis.encode()).hexdigest()[:16]

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
