"""First load through neo4j-admin's offline importer: the same graph as ``netmap push``.

A private Neo4j (tests/private_neo4j.py) is loaded with ``tools/neo4j/import`` from the files
of ``netmap admin-import-files``, started, and finished with ``netmap push --after-import``;
the result must equal the SQLite origin exactly, every value with its type and provenance,
including what CSV cannot carry (mixed types across records, empty strings and lists, NUL,
CR, 1 MB texts, hostile names) and relationships whose endpoints the origin lacks (skipped).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from private_neo4j import PrivateNeo4j
from test_neo4j import HOSTILE, assert_same_graph, make_batch, rich_batch

from netmap.model import Batch
from netmap.store.admin_import import finish_import, write_import_files
from netmap.store.neo4j import Neo4jStore
from netmap.store.sqlite import SQLiteStore

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

NETMAP = Path(sys.executable).with_name("netmap")


def awkward_batch() -> Batch:
    b = Batch(source="awkward.jsonl")
    for i, text in enumerate(HOSTILE):
        b.node("Post", f"awkward:{text}", platform="blog", text=text, title=text,
               tags=[text, "x"], n=i)
        b.node("Account", f"blog:{text}", name=text, handle=f"h{i}")
        b.edge("AUTHORED", "Account", f"blog:{text}", "Post", f"awkward:{text}", note=text)
    # the same property with different types across records of one label
    b.node("Account", "mixed:1", handle=1, score=0.5, flags=[1, 2])
    b.node("Account", "mixed:2", handle="two", score=2, flags=["a"])
    b.node("Account", "mixed:3", handle="", empty=[], crlf="a\r\nb", multiline="a\nb")
    b.node("Post", "big", text="Ж" * 1_000_000, emoji="😀" * 1_100_000)
    b.edge("MENTIONS", "Post", "big", "Account", "mixed:1", weight=1, label="x")
    b.edge("MENTIONS", "Post", "awkward:it's", "Account", "mixed:2", weight="heavy")
    b.edge("MENTIONS", "Post", "big", "Account", "nobody")  # endpoint stub only
    return b


@pytest.fixture
def origin(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "origin.db")
    run = store.begin_run("collect", ["rich.jsonl"], {})
    for batch in (rich_batch(), make_batch(), awkward_batch()):
        store.write_batch(batch, run)
    store.reconcile_links()
    store.end_run(run, read=3, stored=3, rejected=0)
    # an edge whose endpoint the origin lacks: push skips it, so must the import
    store.write_edges([("FOLLOWS", "Account", "twitter:u1", "Account", "ghost:none", {})],
                      run, "manual")
    yield store
    store.close()


def test_admin_import_equals_origin(origin: SQLiteStore, tmp_path: Path, neo4j_uri: str):
    # neo4j_uri: the shared server proves the launcher is built (fails under CI=true if not)
    files = tmp_path / "import"
    manifest = write_import_files(origin, files)
    assert manifest["skipped"] == 1
    assert manifest["leftovers"] > 0 and manifest["whole_nodes"] > 0  # the awkward cases
    server = PrivateNeo4j(tmp_path / "neo4j")
    proc = server.admin_import(files)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "IMPORT DONE" in proc.stdout
    server.start()
    try:
        target = Neo4jStore(server.uri)
        try:
            report = finish_import(origin, target, files)
            assert report["skipped"] == 1
            assert report["runs"] == 1
            # the skipped edge cannot exist in Neo4j (no endpoint); compare without it
            finish_import(origin, target, files)  # finishing twice changes nothing
            origin.conn.execute("DELETE FROM edges WHERE dst = 'ghost:none'")
            assert_same_graph(origin, target, timestamps=True)
            assert target.runs()["run"].tolist() == origin.runs()["run"].tolist()
            assert target.meta("graph_version") is not None
        finally:
            target.close()
    finally:
        server.stop()


def test_admin_import_cli_and_refusals(origin: SQLiteStore, tmp_path: Path, neo4j_uri: str):
    files = tmp_path / "import"
    out = subprocess.run([str(NETMAP), "--store", origin.path, "admin-import-files", str(files),
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["relationships"] > 0
    args = (files / "import.args").read_text().splitlines()
    assert any(a.startswith("--nodes=Account=") for a in args)
    server = PrivateNeo4j(tmp_path / "neo4j")
    server.start()
    try:
        # the importer refuses to run under a live server of the same home
        busy = server.admin_import(files)
        assert busy.returncode != 0 and "running" in busy.stderr
        # finishing against a database the files were not imported into: a clear refusal
        wrong = subprocess.run([str(NETMAP), "--store", origin.path, "push", server.uri,
                                "--after-import", str(files)],
                               capture_output=True, text=True, timeout=120)
        assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
        assert "import files" in wrong.stderr
    finally:
        server.stop()
    assert server.admin_import(files).returncode == 0
    server.start()
    try:
        done = subprocess.run([str(NETMAP), "--store", origin.path, "push", server.uri,
                               "--after-import", str(files), "--format", "json"],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["nodes"] == sum(origin.counts()["nodes"].values())
        # the origin changed after the files were written: refused, not half-applied
        b = Batch(source="late")
        b.node("Account", "twitter:late", platform="twitter")
        origin.write_batch(b, origin.begin_run("late", [], {}))
        late = subprocess.run([str(NETMAP), "--store", origin.path, "push", server.uri,
                               "--after-import", str(files)],
                              capture_output=True, text=True, timeout=120)
        assert late.returncode != 0 and "changed since" in late.stderr
    finally:
        server.stop()
