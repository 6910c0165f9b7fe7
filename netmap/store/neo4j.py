"""The Neo4j store: the same graph and the same :class:`~netmap.store.base.Store` contract as
:class:`~netmap.store.sqlite.SQLiteStore`, in a Neo4j 5 database.

Graph model in Neo4j: one node label per model label with a unique ``key``; data properties
flattened onto the node next to the provenance properties ``source``, ``run``, ``first_seen``,
``last_seen``; relationships typed by model type with the same properties. Runs are
``(:NetmapRun)`` nodes and store metadata ``(:NetmapMeta {name, value})`` nodes; neither is
part of the graph or of :meth:`Neo4jStore.counts`.

Every write is one managed transaction (``execute_write``, retried by the driver on transient
errors such as deadlocks), rows travel as ``UNWIND $rows`` parameters in chunks, and every
statement comes from :mod:`netmap.store.cypher_queries`. Credentials come from
``NETMAP_NEO4J_USER`` (default ``neo4j``) and ``NETMAP_NEO4J_PASSWORD`` or the constructor,
never from the URI, and never appear in a message.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from ..errors import StoreError, UsageError
from ..model import NODE_LABELS, REL_TYPES, Batch, clean_props, now_iso
from . import cypher_queries as cq
from .base import SCHEMA_VERSION, SOCIAL_PLATFORMS, EdgeRow, prepare_batch

__all__ = ["Neo4jStore", "neo4j_props", "CHUNK_ROWS"]

# Rows per UNWIND statement (Neo4j's guidance: 10k-50k); a transaction may run several.
CHUNK_ROWS = 10_000

_INT64 = (-(2**63), 2**63 - 1)

# Databases whose schema this process already applied (schema statements take a few ms each).
_SCHEMA_DONE: set[tuple[str, str | None]] = set()


def _neo_value(value: Any) -> Any:
    """Make a clean_props value storable in Neo4j: integers beyond 64 bits become floats."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not _INT64[0] <= value <= _INT64[1]:
            return float(value)
        return value
    if isinstance(value, list):
        items = [_neo_value(v) for v in value]
        kinds = {type(v) for v in items}
        if len(kinds) > 1:  # a big int turned float among ints: keep the list homogeneous
            items = [float(v) for v in items] if kinds <= {int, float} else [str(v) for v in items]
        return items
    return value


def neo4j_props(props: dict[str, Any]) -> dict[str, Any]:
    """Data properties as stored in Neo4j.

    ``clean_props`` plus what Neo4j cannot hold: names that are empty or contain NUL (Neo4j
    refuses them as tokens) are dropped, and so are the names of the key and provenance
    properties (``key``, ``source``, ``run``, ``first_seen``, ``last_seen``), which a data
    record must not overwrite.
    """
    out: dict[str, Any] = {}
    for k, v in clean_props(props).items():
        if not k or "\x00" in k or k in cq.RESERVED_PROPS:
            continue
        out[k] = _neo_value(v)
    return out


def _chunks(rows: list[Any], size: int = CHUNK_ROWS) -> Iterable[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _as_sql_value(value: Any) -> Any:
    """What SQLite's ``json_extract`` returns for a property value (booleans as 0/1, lists as
    compact JSON text), so column reads match :class:`SQLiteStore` exactly."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def _frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame built the way ``pandas.read_sql_query`` builds one."""
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)


def _model_label(labels: Iterable[str]) -> str | None:
    for lab in labels:
        if lab in NODE_LABELS:
            return lab
    return None


class Neo4jStore:
    """Graph store in a Neo4j 5 database.

    Parameters
    ----------
    uri
        ``neo4j://``, ``neo4j+s://``, ``bolt://`` … URI, without credentials.
    user, password
        Default ``$NETMAP_NEO4J_USER`` (else ``neo4j``) and ``$NETMAP_NEO4J_PASSWORD``
        (else no authentication, for servers that have it disabled).
    database
        Default ``$NETMAP_NEO4J_DATABASE``, else the server's default database.

    Examples
    --------
    >>> store = Neo4jStore("bolt://127.0.0.1:7687")  # doctest: +SKIP
    >>> store.counts()["nodes"]["Account"]  # doctest: +SKIP
    0
    """

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> None:
        try:
            import neo4j
        except ImportError as exc:  # pragma: no cover - neo4j is a declared dependency
            raise StoreError("the Neo4j store needs the neo4j driver: pip install neo4j") from exc
        self._neo4j = neo4j
        parts = urlsplit(uri)
        if parts.username is not None or parts.password is not None:
            # Credentials in a URI end up in shell history and process lists.
            raise UsageError(
                "do not put credentials in the Neo4j URI; set NETMAP_NEO4J_USER and "
                "NETMAP_NEO4J_PASSWORD instead"
            )
        self.uri = uri
        self.user = user or os.environ.get("NETMAP_NEO4J_USER") or "neo4j"
        if password is None:
            password = os.environ.get("NETMAP_NEO4J_PASSWORD")
        self.database = database or os.environ.get("NETMAP_NEO4J_DATABASE") or None
        auth = (self.user, password) if password else None
        try:
            self.driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, notifications_min_severity="OFF"
            )
        except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
            raise UsageError(f"invalid Neo4j URI {uri!r}: {exc}") from exc
        del password  # only the driver keeps it
        try:
            try:
                self.driver.verify_connectivity()
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
                raise self._error(exc) from None  # the driver's chain adds nothing for users
            self._init_schema()
        except BaseException:
            self.driver.close()
            raise

    # -- plumbing ----------------------------------------------------------------------------
    def _error(self, exc: Exception) -> StoreError:
        exc_mod = self._neo4j.exceptions
        if isinstance(exc, exc_mod.AuthError):
            return StoreError(
                f"Neo4j at {self.uri} refused the login of user {self.user!r}; "
                "set NETMAP_NEO4J_USER and NETMAP_NEO4J_PASSWORD"
            )
        if isinstance(exc, exc_mod.ServiceUnavailable):
            return StoreError(
                f"cannot reach Neo4j at {self.uri} ({exc}); is the server running? "
                "(tools/neo4j/start starts a local one)"
            )
        msg = getattr(exc, "message", None) or str(exc)
        return StoreError(f"Neo4j at {self.uri}: {msg}")

    def _write(self, work: Callable[[Any], Any]) -> Any:
        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_write(work)
        except self._neo4j.exceptions.Neo4jError as exc:
            raise self._error(exc) from exc
        except self._neo4j.exceptions.DriverError as exc:
            raise self._error(exc) from exc

    def _read(self, work: Callable[[Any], Any]) -> Any:
        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_read(work)
        except self._neo4j.exceptions.Neo4jError as exc:
            raise self._error(exc) from exc
        except self._neo4j.exceptions.DriverError as exc:
            raise self._error(exc) from exc

    def _read_all(self, query: str, **params: Any) -> list[Any]:
        def work(tx: Any) -> list[Any]:
            return list(tx.run(query, params))

        return self._read(work)

    def _init_schema(self) -> None:
        ident = (self.uri, self.database)
        if ident not in _SCHEMA_DONE:
            statements = cq.schema_statements()
            try:
                with self.driver.session(database=self.database) as session:
                    # Schema changes cannot share a transaction with data: one each, auto-commit.
                    for stmt in statements:
                        session.run(stmt).consume()
            except self._neo4j.exceptions.DriverError as exc:
                raise self._error(exc) from exc
            except self._neo4j.exceptions.Neo4jError as exc:
                raise self._error(exc) from exc
            _SCHEMA_DONE.add(ident)

        def work(tx: Any) -> str:
            rec = tx.run(cq.fixed("meta_init"), schema_version=str(SCHEMA_VERSION)).single()
            return str(rec["schema_version"])

        version = int(self._write(work))
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"Neo4j database at {self.uri} has netmap schema version {version}, newer than "
                f"this netmap ({SCHEMA_VERSION}); upgrade netmap"
            )

    # -- runs --------------------------------------------------------------------------------
    def begin_run(self, command: str, inputs: Sequence[str], params: dict[str, Any]) -> str:
        run = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}"
        args = {
            "run": run,
            "command": command,
            "inputs": json.dumps(list(inputs), ensure_ascii=False),
            "params": json.dumps(params, ensure_ascii=False, default=str),
            "started": now_iso(),
        }
        self._write(lambda tx: tx.run(cq.fixed("run_begin"), args).consume())
        return run

    def end_run(
        self, run: str, *, read: int, stored: int, rejected: int, status: str = "ok",
        error: str | None = None,
    ) -> None:
        args = {
            "run": run, "finished": now_iso(), "status": status, "read": int(read),
            "stored": int(stored), "rejected": int(rejected), "error": error,
        }
        self._write(lambda tx: tx.run(cq.fixed("run_end"), args).consume())

    def runs(self) -> pd.DataFrame:
        cols = ["run", "command", "inputs", "params", "started", "finished", "status",
                "read", "stored", "rejected", "error"]
        records = self._read_all(cq.fixed("runs_list"))
        return _frame([tuple(r[c] for c in cols) for r in records], cols)

    # -- writing -----------------------------------------------------------------------------
    @staticmethod
    def _bump(tx: Any) -> None:
        tx.run(cq.fixed("graph_version_bump")).consume()

    def write_batch(self, batch: Batch, run: str) -> None:
        prepared = prepare_batch(batch)
        if not prepared.nodes and not prepared.edges:
            return
        ts = now_iso()
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        stubs: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for label, key, props in prepared.nodes:
            if props:
                by_label[label].append({"key": key, "props": neo4j_props(props)})
            else:
                stubs[label].append({"key": key})
        by_shape: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for type_, sl, s, dl, d, props in prepared.edges:
            by_shape[(type_, sl, dl)].append({"src": s, "dst": d, "props": neo4j_props(props)})
        # Build (and so validate) every statement before the transaction starts.
        node_work = [(cq.node_query("node_upsert", lab), rows) for lab, rows in by_label.items()]
        # after the upserts, like SQLite: a stub of a node written in this batch changes nothing
        node_work += [(cq.node_query("node_stub", lab), rows) for lab, rows in stubs.items()]
        edge_work = [
            (cq.edge_query("edge_upsert", t, sl, dl), rows) for (t, sl, dl), rows in by_shape.items()
        ]
        common = {"source": batch.source, "run": run, "ts": ts}

        def work(tx: Any) -> None:
            self._bump(tx)
            for query, rows in node_work + edge_work:  # nodes first: edges MATCH their endpoints
                for chunk in _chunks(rows):
                    tx.run(query, rows=chunk, **common).consume()

        self._write(work)

    def write_edges(self, rows: Iterable[EdgeRow], run: str, source: str) -> int:
        by_shape: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for type_, sl, s, dl, d, props in rows:
            by_shape[(type_, sl, dl)].append({"src": s, "dst": d, "props": neo4j_props(props)})
        work_items = [
            (cq.edge_query("edge_upsert", t, sl, dl), r) for (t, sl, dl), r in by_shape.items()
        ]
        common = {"source": source, "run": run, "ts": now_iso()}

        def work(tx: Any) -> int:
            n = 0
            for query, shape_rows in work_items:
                for chunk in _chunks(shape_rows):
                    n += tx.run(query, rows=chunk, **common).single()["n"]
            return n

        # Relationships whose endpoints do not exist are not written (the contract requires them).
        return int(self._write(work))

    def delete_edges(self, type_: str) -> int:
        query = cq.rel_query("delete_rels", type_)
        return int(self._write(lambda tx: tx.run(query).single()["n"]))

    def reconcile_links(self) -> dict[str, int]:
        moves = [(cq.reconcile_move_query(t, new, f)) for t, new, f in cq.RECONCILE_MOVES]
        social = list(SOCIAL_PLATFORMS)

        def work(tx: Any) -> int:
            keys = [r["key"] for r in tx.run(cq.fixed("reconcile_find"))]
            if not keys:
                return 0
            self._bump(tx)
            for chunk in _chunks(keys):
                for query in moves:
                    params: dict[str, Any] = {"keys": chunk}
                    if "$social" in query:
                        params["social"] = social
                    tx.run(query, params).consume()
                tx.run(cq.fixed("reconcile_fold"), keys=chunk).consume()
            return len(keys)

        return {"urls_folded": int(self._write(work))}

    def set_props(
        self, label: str, rows: Iterable[tuple[str, dict[str, Any]]], clear: Sequence[str] = ()
    ) -> int:
        query = cq.node_query("set_props", label)  # validates the label
        data = [{"key": key, "props": neo4j_props(p)} for key, p in rows]
        keys = [str(c) for c in clear if c and "\x00" not in str(c) and c not in cq.RESERVED_PROPS]
        clear_query = cq.node_query("clear_props", label)

        # One transaction per chunk: results for a large graph (30 properties on each of 100k
        # accounts) exceed Neo4j's transaction memory limit in one. So a failure part-way leaves
        # some accounts cleared or updated; analysis results are recomputed by a re-run.
        while keys:
            cleared = self._write(lambda tx: tx.run(
                clear_query, keys=keys, nulls=dict.fromkeys(keys), limit=CHUNK_ROWS
            ).single()["n"])
            if cleared < CHUNK_ROWS:
                break
        n = 0
        for chunk in _chunks(data):
            n += self._write(lambda tx, chunk=chunk: tx.run(query, rows=chunk).single()["n"])
        return int(n)

    def delete_nodes(self, label: str, keys: Iterable[str]) -> int:
        keys = list(dict.fromkeys(keys))
        query = cq.node_query("delete_nodes", label) if label in NODE_LABELS else None

        def work(tx: Any) -> int:
            self._bump(tx)
            if query is None:  # like SQLite: an unknown label has no nodes to delete
                return 0
            n = 0
            for chunk in _chunks(keys):
                n += tx.run(query, keys=chunk).single()["n"]
            return n

        return int(self._write(work))

    # -- reading -----------------------------------------------------------------------------
    def counts(self) -> dict[str, dict[str, int]]:
        def work(tx: Any) -> dict[str, dict[str, int]]:
            nodes = {
                lab: int(tx.run(cq.node_query("count_nodes", lab)).single()["n"])
                for lab in NODE_LABELS
            }
            rels = {
                t: int(tx.run(cq.rel_query("count_rels", t)).single()["n"]) for t in REL_TYPES
            }
            return {"nodes": nodes, "relationships": rels}

        return self._read(work)

    def nodes(self, label: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        if columns is not None:
            columns = list(columns)
            rows: list[tuple[Any, ...]] = []
            if label in NODE_LABELS:
                # Key and provenance are not properties in SQLite's JSON: read as absent there too.
                asked = [None if c in cq.RESERVED_PROPS else c for c in columns]
                records = self._read_all(cq.node_query("nodes_columns", label), columns=asked)
                rows = [(r["key"], *(_as_sql_value(v) for v in r["vals"])) for r in records]
                rows.sort(key=lambda row: row[0])
            df = _frame(rows, ["key", *columns])
            df.columns = ["key", *columns]
            return df
        records_out: list[dict[str, Any]] = []
        if label in NODE_LABELS:
            for r in self._read_all(cq.node_query("nodes_all", label)):
                p = r["p"]
                rec = {k: p[k] for k in sorted(p) if k not in cq.RESERVED_PROPS}
                rec["key"] = p.get("key")
                rec["source"] = p.get("source")
                rec["first_seen"] = p.get("first_seen")
                rec["last_seen"] = p.get("last_seen")
                records_out.append(rec)
        records_out.sort(key=lambda rec: rec["key"])
        df = pd.DataFrame.from_records(records_out)
        if df.empty:
            df = pd.DataFrame(columns=["key", "source", "first_seen", "last_seen"])
        cols = ["key"] + [c for c in df.columns if c != "key"]
        return df[cols]

    def edges(
        self, types: Sequence[str] | None = None, columns: Sequence[str] = ()
    ) -> pd.DataFrame:
        columns = list(columns)
        if types:
            bad = [t for t in types if t not in REL_TYPES]
            if bad:
                raise StoreError(f"unknown relationship type(s): {', '.join(bad)}")
            wanted = list(dict.fromkeys(types))
        else:
            wanted = list(REL_TYPES)
        asked = [None if c in cq.RESERVED_PROPS else c for c in columns]
        labels = list(NODE_LABELS)

        def work(tx: Any) -> list[tuple[Any, ...]]:
            out: list[tuple[Any, ...]] = []
            for t in wanted:
                result = tx.run(cq.rel_query("edges_columns", t), labels=labels, columns=asked)
                for r in result:
                    out.append(
                        (t, r["src_label"], r["src"], r["dst_label"], r["dst"],
                         *(_as_sql_value(v) for v in r["vals"]))
                    )
            return out

        rows = self._read(work)
        # SQLite returns them in primary-key order; code-point order of str == its BINARY order.
        rows.sort(key=lambda row: row[:5])
        df = _frame(rows, ["type", "src_label", "src", "dst_label", "dst", *columns])
        df.columns = ["type", "src_label", "src", "dst_label", "dst", *columns]
        return df

    def get_node(self, label: str, key: str) -> dict[str, Any] | None:
        if label not in NODE_LABELS:
            return None
        records = self._read_all(cq.node_query("get_node", label), key=key)
        if not records:
            return None
        p = dict(records[0]["p"])
        rec = {k: p[k] for k in sorted(p) if k not in cq.RESERVED_PROPS}
        rec.update(
            key=key, source=p.get("source"), run=p.get("run"),
            first_seen=p.get("first_seen"), last_seen=p.get("last_seen"),
        )
        return rec

    # -- results and bookkeeping ----------------------------------------------------------------
    def meta(self, name: str) -> str | None:
        records = self._read_all(cq.fixed("meta_get"), name=name)
        if not records or records[0]["value"] is None:
            return None
        return str(records[0]["value"])

    def set_meta(self, name: str, value: str) -> None:
        self._write(lambda tx: tx.run(cq.fixed("meta_set"), name=name, value=str(value)).consume())

    def fingerprint(self) -> str:
        counts = self.counts()
        basis = json.dumps([self.meta("graph_version"), counts], sort_keys=True)
        return hashlib.sha256(basis.encode()).hexdigest()[:16]

    def close(self) -> None:
        try:
            self.driver.close()
        except Exception:  # closing twice or after a network failure is harmless
            pass

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"
