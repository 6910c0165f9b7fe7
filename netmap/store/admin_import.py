"""First loads of a big store into Neo4j with ``neo4j-admin database import full``.

``netmap push`` writes through Cypher transactions: it works on any running server, remote
ones included, resumes, and merges into existing data. For the first load of a large store
into a new database, Neo4j's offline importer writes the store files directly and is many times
faster (benchmarks/neo4j_push.py measures both). This module makes that path exact:

1. :func:`write_import_files` (``netmap admin-import-files DIR``) writes one CSV pair (header,
   data) per node label and per relationship shape, an ``import.args`` file for
   ``neo4j-admin database import full @DIR/import.args neo4j``, and ``manifest.json``.
2. The user runs the importer on the stopped database and starts Neo4j.
3. :func:`finish_import` (``netmap push URI --after-import DIR``) applies netmap's schema, copies
   the runs, writes what CSV cannot carry exactly (the *leftovers*, below) through Cypher, and
   checks the counts against the manifest.

CSV columns have one type each (``name:long``, ``tags:string[]``), so a property whose values
differ in type across the records of a label, an empty list, a string with NUL, CR or the
array delimiter, or a string too long for the importer's read buffer, goes to
``leftovers.jsonl`` instead, and step 3 sets it with the same statements ``push`` uses. Every
value therefore arrives with its type, as with ``push``. Relationships whose endpoints the
origin lacks, or whose shape the model does not allow, are not written and are counted as
``skipped`` (``push`` skips the same ones).
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..model import NODE_LABELS
from ..util import gc_paused
from . import cypher_queries as cq
from .neo4j import neo4j_props
from .transfer import _data, _runs_rows

if TYPE_CHECKING:
    from .neo4j import Neo4jStore
    from .sqlite import SQLiteStore

__all__ = ["write_import_files", "finish_import", "ARRAY_DELIMITER"]

# Between array elements in a CSV field (neo4j-admin's --array-delimiter): a control character
# no text should hold; strings that do go to the leftovers.
ARRAY_DELIMITER = "\x1f"
# neo4j-admin reads in buffers (--read-buffer-size, set to 16 MiB below) that must hold the
# largest value; longer values go to the leftovers. In UTF-8 bytes.
MAX_FIELD_BYTES = 4_000_000
READ_BUFFER = "16m"
MANIFEST = "manifest.json"
LEFTOVERS = "leftovers.jsonl"
ARGS = "import.args"
_FORMAT = 1

_PAGE = 20_000


_BAD_TEXT = re.compile("[\x00\r\x1f]")  # NUL, CR, the array delimiter


def _text_ok(value: str) -> bool:
    """A non-empty string a CSV field carries unchanged."""
    return bool(value) and _BAD_TEXT.search(value) is None and (
        len(value) <= MAX_FIELD_BYTES // 4 or len(value.encode()) <= MAX_FIELD_BYTES)


def _kind(value: Any) -> str | None:
    """The CSV column type for a Neo4j property value, or None when CSV cannot carry it."""
    t = type(value)
    if t is str:
        # "" would read back as no property; NUL, CR and the array delimiter do not survive
        return "string" if _text_ok(value) else None
    if t is bool:
        return "boolean"
    if t is int:
        return "long"
    if t is float:
        return "double"
    if t is list:
        if not value:
            return None  # an empty field reads as "no property", not as an empty list
        inner = {_kind(v) for v in value}
        if len(inner) != 1 or None in inner or "[]" in next(iter(inner)):  # type: ignore[operator]
            return None
        return f"{inner.pop()}[]"
    return None


_BAD_NAME = re.compile('[:,"\n\r\x1f]')


@lru_cache(maxsize=65536)
def _ok_name(name: str) -> bool:
    """Whether a property name can be a CSV header column (``name:type``)."""
    return bool(name) and name == name.strip() and _BAD_NAME.search(name) is None


def _column_types(conn: Any, sql: str, params: tuple = ()) -> dict[str, str]:
    """The type of every property column of one file: the most common kind of its values."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    cur = conn.execute(sql, params)
    for page in iter(lambda: cur.fetchmany(_PAGE), []):
        for (text,) in page:
            for k, v in _data(text).items():
                kind = _kind(v)
                if kind is not None and _ok_name(k):
                    kinds[k][kind] += 1
    return {k: c.most_common(1)[0][0] for k, c in kinds.items()}


def _typed_row(row: list[str], data: dict[str, Any], names: list[str],
               types: dict[str, str]) -> dict[str, Any]:
    """Append the typed cells of ``data`` to ``row``; return what the columns cannot carry."""
    left: dict[str, Any] = {}
    for name in names:
        v = data.pop(name, None)
        if v is None:
            row.append("")
        elif _kind(v) == types[name]:
            row.append(_cell(v))
        else:
            row.append("")
            left[name] = v
    left.update(data)  # names no column carries
    return left


def _cell(value: Any) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is float:
        return repr(value)
    if type(value) is list:
        return ARRAY_DELIMITER.join(_cell(v) for v in value)
    return str(value)


def write_import_files(sqlite_store: SQLiteStore, out_dir: str | Path) -> dict[str, Any]:
    """Write the files for ``neo4j-admin database import full`` into ``out_dir``.

    Returns the manifest: origin fingerprint, ``nodes`` and ``relationships`` per file,
    ``skipped`` relationships, ``leftovers`` (values that :func:`finish_import` sets), ``seconds``.
    """
    with gc_paused():
        return _write(sqlite_store, Path(out_dir))


def _write(sqlite_store: SQLiteStore, out: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    stale = [p for p in out.iterdir()
             if p.name.endswith(".csv") or p.name in (ARGS, LEFTOVERS, MANIFEST)]
    for p in stale:  # a previous export into the same folder must not leak into this one
        p.unlink()
    conn = sqlite_store.conn
    leftovers = (out / LEFTOVERS).open("w", encoding="utf-8")
    n_left = whole_nodes = whole_rels = 0
    seen: set[str] = set()
    # every node key per label, to drop relationships whose endpoint the origin lacks (the
    # importer would stop at them); cheaper than a lookup per relationship in SQLite
    keys: dict[str, set[str]] = defaultdict(set)
    whole_keys: set[tuple[str, str]] = set()  # nodes that go in through Cypher, and their rels
    args: list[str] = []
    files: dict[str, int] = {}
    prov = list(cq.PROVENANCE)
    try:
        # -- nodes: one file per label -----------------------------------------------------
        for label in NODE_LABELS:
            types = _column_types(
                conn, "SELECT props FROM nodes WHERE label = ? AND props != '{}'", (label,))
            names = sorted(types)
            stem = f"nodes-{label}"
            n = 0
            with (out / f"{stem}.csv").open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                cur = conn.execute(
                    f"SELECT key, props, {', '.join(prov)} FROM nodes "  # noqa: S608 - constants
                    "WHERE label = ? ORDER BY key", (label,))
                for page in iter(lambda cur=cur: cur.fetchmany(_PAGE), []):
                    for key, text, *pv in page:
                        keys[label].add(key)
                        cells = _provenance(pv, seen) if _ok_key(key) else None
                        if cells is None:  # the whole node goes in through Cypher
                            leftovers.write(json.dumps(
                                {"node": label, "key": key, "props": json.loads(text),
                                 "provenance": pv}, ensure_ascii=False) + "\n")
                            whole_nodes += 1
                            whole_keys.add((label, key))
                            continue
                        row = [key, *cells]
                        left = _typed_row(row, _data(text), names, types)
                        if left:
                            leftovers.write(json.dumps({"node": label, "key": key, "props": left},
                                                       ensure_ascii=False) + "\n")
                            n_left += 1
                        w.writerow(row)
                        n += 1
            header = [f"key:ID({label})", *prov, *(f"{name}:{types[name]}" for name in names)]
            if _close_file(out, stem, n, header, f"nodes={label}", args):
                files[stem] = n

        # -- relationships: one file per (type, source label, target label) ------------------
        # Only those whose endpoints the origin holds: the importer would stop at the others.
        skipped = conn.execute("SELECT count(*) FROM edges").fetchone()[0]
        where = "FROM edges e WHERE e.type = ? AND e.src_label = ? AND e.dst_label = ?"
        for type_, sl, dl in sorted(cq.EDGE_SHAPES):
            shape = (type_, sl, dl)
            src_keys, dst_keys = keys[sl], keys[dl]
            types = _column_types(conn, f"SELECT e.props {where} AND e.props != '{{}}'", shape)
            names = sorted(types)
            stem = f"relationships-{type_}-{sl}-{dl}"
            n = 0
            with (out / f"{stem}.csv").open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                cur = conn.execute(
                    f"SELECT e.src, e.dst, e.props, {', '.join('e.' + c for c in prov)} {where} "
                    "ORDER BY e.src, e.dst", shape)
                for page in iter(lambda cur=cur: cur.fetchmany(_PAGE), []):
                    for src, dst, text, *pv in page:
                        if src not in src_keys or dst not in dst_keys:
                            continue  # an endpoint the origin lacks: counted as skipped
                        cells = _provenance(pv, seen) if _ok_key(src) and _ok_key(dst) and not (
                            whole_keys and ((sl, src) in whole_keys or (dl, dst) in whole_keys)
                        ) else None
                        if cells is None:
                            leftovers.write(json.dumps(
                                {"rel": type_, "src_label": sl, "src": src, "dst_label": dl,
                                 "dst": dst, "props": json.loads(text), "provenance": pv},
                                ensure_ascii=False) + "\n")
                            whole_rels += 1
                            continue
                        row = [src, dst, *cells]
                        if text != "{}" or names:
                            left = _typed_row(row, _data(text), names, types)
                            if left:
                                leftovers.write(json.dumps(
                                    {"rel": type_, "src_label": sl, "src": src, "dst_label": dl,
                                     "dst": dst, "props": left}, ensure_ascii=False) + "\n")
                                n_left += 1
                        w.writerow(row)
                        n += 1
            header = [f":START_ID({sl})", f":END_ID({dl})", *prov,
                      *(f"{name}:{types[name]}" for name in names)]
            if _close_file(out, stem, n, header, f"relationships={type_}", args):
                files[stem] = n
                skipped -= n
    finally:
        leftovers.close()

    args += [
        "--multiline-fields=true",
        f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
        "--id-type=string",
        f"--read-buffer-size={READ_BUFFER}",
    ]
    (out / ARGS).write_text("\n".join(args) + "\n", encoding="utf-8")
    manifest = {
        "format": _FORMAT,
        "origin": f"{sqlite_store.uri}#{sqlite_store.fingerprint()}",
        "nodes": sum(v for k, v in files.items() if k.startswith("nodes-")),
        "relationships": sum(v for k, v in files.items() if k.startswith("relationships-")),
        "skipped": skipped - whole_rels,
        "leftovers": n_left,
        "whole_nodes": whole_nodes,
        "whole_relationships": whole_rels,
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                encoding="utf-8")
    manifest["seconds"] = round(time.perf_counter() - t0, 3)
    return manifest


def _provenance(values: list[Any], seen: set[str]) -> list[str] | None:
    """The provenance cells, or None when one cannot be written to CSV. ``seen`` remembers
    values already checked (a run's few sources and timestamps repeat on every row)."""
    out = []
    for v in values:
        if v is None:
            out.append("")
        elif v in seen:
            out.append(v)
        elif type(v) is str and _text_ok(v):
            if len(seen) < 100_000:
                seen.add(v)
            out.append(v)
        else:
            return None
    return out


def _ok_key(key: str) -> bool:
    """Keys are ID columns: the same rules as string values."""
    return type(key) is str and _text_ok(key)


def _close_file(out: Path, stem: str, rows: int, header: list[str], option: str,
                args: list[str]) -> bool:
    """Write the header of a finished data file and its importer option; drop it if empty."""
    data = out / f"{stem}.csv"
    if not rows:
        data.unlink()
        return False
    head = out / f"{stem}.header.csv"
    with head.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(header)
    args.append(f"--{option}={head},{data}")
    return True


def finish_import(sqlite_store: SQLiteStore, neo4j_store: Neo4jStore,
                  out_dir: str | Path) -> dict[str, Any]:
    """After ``neo4j-admin database import full`` and a start: runs, leftovers, checks.

    The Neo4jStore has applied netmap's schema when it opened. Raises :class:`StoreError` when
    the origin changed since the files were written or the counts do not match the manifest.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"no readable {MANIFEST} in {out}: {exc}") from exc
    origin = f"{sqlite_store.uri}#{sqlite_store.fingerprint()}"
    if manifest.get("origin") != origin:
        raise StoreError(
            f"the store changed since the import files in {out} were written "
            f"({manifest.get('origin')} -> {origin}); write them again, or use `netmap push`"
        )
    counts = neo4j_store.counts()
    have_nodes = sum(counts["nodes"].values())
    have_rels = sum(counts["relationships"].values())
    if (have_nodes, have_rels) not in (
        (manifest["nodes"], manifest["relationships"]),  # just imported
        (manifest["nodes"] + manifest["whole_nodes"],  # finished before: a re-run is harmless
         manifest["relationships"] + manifest["whole_relationships"]),
    ):
        raise StoreError(
            f"Neo4j at {neo4j_store.uri} holds {have_nodes} nodes and {have_rels} relationships, "
            f"the import files {manifest['nodes']} and {manifest['relationships']}: was the "
            "import run into this database, and nothing else written?"
        )
    runs = _runs_rows(sqlite_store)
    # (statement, rows) in order: whole nodes, then whole relationships, then single values
    whole_n: dict[str, list[dict[str, Any]]] = defaultdict(list)
    whole_r: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    node_left: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rel_left: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    with (out / LEFTOVERS).open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            props = neo4j_props(rec["props"])
            prov = dict(zip(cq.PROVENANCE, rec.get("provenance") or (), strict=False))
            if "node" in rec:
                if "provenance" in rec:
                    whole_n[rec["node"]].append({"key": rec["key"], "props": props, **prov})
                else:
                    node_left[rec["node"]].append({"key": rec["key"], "props": props})
            else:
                shape = (rec["rel"], rec["src_label"], rec["dst_label"])
                row = {"src": rec["src"], "dst": rec["dst"], "props": props}
                if "provenance" in rec:
                    whole_r[shape].append({**row, **prov})
                else:
                    rel_left[shape].append(row)
    statements: list[tuple[str, list[dict[str, Any]]]] = []
    statements += [(cq.node_query("node_copy", lab), rows) for lab, rows in whole_n.items()]
    statements += [(cq.edge_query("edge_copy", *shape), rows) for shape, rows in whole_r.items()]
    statements += [(cq.node_query("set_props", lab), rows) for lab, rows in node_left.items()]
    statements += [(cq.edge_query("edge_set_props", *shape), rows)
                   for shape, rows in rel_left.items()]

    def work(tx: Any) -> int:
        tx.run(cq.fixed("graph_version_bump")).consume()
        if runs:
            tx.run(cq.fixed("run_copy"), rows=runs).consume()
        n = 0
        for query, rows in statements:
            for i in range(0, len(rows), 5000):
                n += tx.run(query, rows=rows[i:i + 5000]).single()["n"]
        return n

    applied = int(neo4j_store._write(work))
    expected = manifest["leftovers"] + manifest["whole_nodes"] + manifest["whole_relationships"]
    counts = neo4j_store.counts()
    totals = (sum(counts["nodes"].values()), sum(counts["relationships"].values()))
    want = (manifest["nodes"] + manifest["whole_nodes"],
            manifest["relationships"] + manifest["whole_relationships"])
    if applied != expected or totals != want:
        raise StoreError(
            f"after the import Neo4j at {neo4j_store.uri} holds {totals[0]} nodes and "
            f"{totals[1]} relationships ({applied} of {expected} leftover records applied); "
            f"expected {want[0]} and {want[1]}"
        )
    return {"nodes": want[0], "relationships": want[1], "skipped": manifest["skipped"],
            "leftovers": applied, "runs": len(runs),
            "seconds": round(time.perf_counter() - t0, 3)}
