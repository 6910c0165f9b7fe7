"""Pseudonymised exports and forgetting an account, on SQLite and Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import cli
from netmap.errors import UsageError
from netmap.export import get_exporter
from netmap.pipeline import collect
from netmap.privacy import PseudonymStore, forget
from netmap.store.sqlite import SQLiteStore

EXPORTERS = ["html", "gexf", "graphml", "csv", "json"]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from netmap.analysis import analyze
    from netmap.synth import generate

    d = tmp_path_factory.mktemp("priv")
    generate(d / "in", accounts=120, seed=3)
    path = d / "s.db"
    with SQLiteStore(path) as s:
        collect(s, "auto", [str(d / "in" / "twitter"), str(d / "in" / "blogs")])
        analyze(s)
    return path


def identities(store: SQLiteStore) -> set[str]:
    """Handles and names of every account, as they would identify someone."""
    acc = store.nodes("Account", ["handle", "name"])
    out: set[str] = set()
    for key, handle, name in acc.itertuples(index=False, name=None):
        out.add(key)
        for v in (handle, name):
            if isinstance(v, str) and len(v) >= 5:
                out.add(v)
    return out


def export_all(view, out: Path) -> dict[str, bytes]:
    files = {}
    for kind in EXPORTERS:
        target = out / f"net.{kind}"
        if kind == "csv":
            target = out / "csv"
        get_exporter(kind).export(view, target, max_nodes=500)
        paths = [p for p in (out.rglob("*") if target.is_dir() else [target]) if p.is_file()]
        for p in (sorted(target.rglob("*")) if target.is_dir() else [target]):
            if p.is_file():
                files[str(p.relative_to(out))] = p.read_bytes()
        assert paths or target.exists()
    return files


def test_every_exporter_leaves_no_identity(small_store: Path, tmp_path: Path):
    with SQLiteStore(small_store) as s:
        secrets = identities(s)
        n_accounts = s.counts()["nodes"]["Account"]
        view = PseudonymStore(s, salt="unit-test-salt")
        files = export_all(view, tmp_path / "a")
        again = export_all(PseudonymStore(s, salt="unit-test-salt"), tmp_path / "b")
        pseudo = view.nodes("Account", ["handle", "platform", "community"])
    assert len(secrets) > 100
    for name, data in files.items():
        text = data.decode("utf-8", errors="replace").lower()
        leaked = [x for x in secrets if x.lower() in text]
        assert not leaked, f"{name} names {leaked[:5]}"
    # Same salt, same pseudonyms: the files are identical apart from time stamps.
    assert set(files) == set(again)
    assert (tmp_path / "a" / "net.graphml").read_bytes().count(b"u_") > n_accounts // 2
    assert sorted(pseudo["key"]) == sorted(PseudonymStore(SQLiteStore(small_store), salt="unit-test-salt")
                                          .nodes("Account", ["handle"])["key"])
    assert pseudo["key"].str.match(r"^[a-z]+:u_[0-9a-f]{10}$").all()
    assert pseudo["platform"].notna().all() and pseudo["community"].notna().any()


def test_salt_changes_pseudonyms_and_is_kept_in_meta(small_store: Path, monkeypatch):
    monkeypatch.delenv("NETMAP_PSEUDONYM_SALT", raising=False)
    with SQLiteStore(small_store) as s:
        a = PseudonymStore(s).nodes("Account", [])["key"].tolist()
        b = PseudonymStore(s).nodes("Account", [])["key"].tolist()  # salt kept in meta
        c = PseudonymStore(s, salt="other").nodes("Account", [])["key"].tolist()
        monkeypatch.setenv("NETMAP_PSEUDONYM_SALT", "other")
        d = PseudonymStore(s).nodes("Account", [])["key"].tolist()
        assert PseudonymStore(s).meta("pseudonym_salt") is None
        with pytest.raises(UsageError):
            PseudonymStore(s).write_batch(None, "r")
    assert a == b and set(a).isdisjoint(c) and c == d


def test_edges_follow_the_pseudonyms(small_store: Path):
    with SQLiteStore(small_store) as s:
        view = PseudonymStore(s, salt="x")
        keys = {("Account", k) for k in view.nodes("Account", [])["key"]}
        keys |= {("Post", k) for k in view.nodes("Post", [])["key"]}
        e = view.edges(["AUTHORED", "MENTIONS"])
        assert len(e) == len(s.edges(["AUTHORED", "MENTIONS"]))
    assert all((r.src_label, r.src) in keys and (r.dst_label, r.dst) in keys
               for r in e.itertuples())


def _seed_forget(store) -> None:
    from netmap.model import Batch

    b = Batch(source="t")
    for h in ("alice", "bob"):
        b.node("Account", f"twitter:{h}", platform="twitter", handle=h)
    for i, h in enumerate(["alice", "alice", "bob"]):
        b.node("Post", f"twitter:{i}", platform="twitter", text=f"t{i}")
        b.edge("AUTHORED", "Account", f"twitter:{h}", "Post", f"twitter:{i}")
    b.edge("MENTIONS", "Post", "twitter:2", "Account", "twitter:alice")
    b.edge("SHARES", "Post", "twitter:2", "Post", "twitter:0")
    store.write_batch(b, store.begin_run("t", [], {}))


def _check_forget(store) -> None:
    _seed_forget(store)
    assert forget(store, "twitter:alice") == {"account": "twitter:alice", "accounts": 1,
                                               "posts": 0, "relationships": 3}
    assert store.get_node("Account", "twitter:alice") is None
    assert store.counts()["nodes"]["Post"] == 3
    _seed_forget(store)
    report = forget(store, "twitter:alice", posts=True)
    assert report["posts"] == 2 and report["accounts"] == 1
    c = store.counts()
    assert c["nodes"]["Account"] == 1 and c["nodes"]["Post"] == 1
    assert c["relationships"]["AUTHORED"] == 1 and c["relationships"]["SHARES"] == 0
    with pytest.raises(UsageError):
        forget(store, "twitter:nobody")


def test_forget_sqlite(store):
    _check_forget(store)


@pytest.mark.neo4j
def test_forget_neo4j(neo4j_store):
    _check_forget(neo4j_store)


def test_forget_cli(tmp_path: Path):
    db = tmp_path / "s.db"
    with SQLiteStore(db) as s:
        _seed_forget(s)
    runner = CliRunner()
    # Without --yes it asks; answering no deletes nothing.
    r = runner.invoke(cli, ["--store", str(db), "forget", "twitter:bob"], input="n\n")
    assert r.exit_code == 1
    r = runner.invoke(cli, ["--store", str(db), "forget", "https://twitter.com/Bob", "--posts",
                            "--yes", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["posts"] == 1
    r = runner.invoke(cli, ["--store", str(db), "forget", "twitter:bob", "--yes"])
    assert r.exit_code == 2 and "not in the store" in r.stderr
    with SQLiteStore(db) as s:
        assert s.get_node("Account", "twitter:bob") is None
