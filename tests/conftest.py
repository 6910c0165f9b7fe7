"""Shared fixtures. A test that needs a missing component fails under CI=true and
skips with the reason printed otherwise."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from netmap.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tajikistan-2013"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def require(available: bool, reason: str) -> None:
    """Fail under CI (a missing component is a defect there); skip elsewhere."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required component missing under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):
    s = SQLiteStore(db_path)
    yield s
    s.close()


# -- a real Neo4j at $NETMAP_TEST_NEO4J_URI (`make test` starts one with tools/neo4j/start) --
# Community edition has one database, so every test that uses it starts by emptying it.

CLEAN = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def _require_uri() -> str:
    uri = os.environ.get("NETMAP_TEST_NEO4J_URI")
    if uri:
        return uri
    reason = "NETMAP_TEST_NEO4J_URI is not set (start a server with tools/neo4j/start)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"required component missing under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    return _require_uri()


def clean_database(uri: str) -> None:
    """Delete every node and relationship (constraints and indexes stay)."""
    from neo4j import GraphDatabase

    password = os.environ.get("NETMAP_NEO4J_PASSWORD")
    auth = (os.environ.get("NETMAP_NEO4J_USER") or "neo4j", password) if password else None
    with GraphDatabase.driver(uri, auth=auth) as driver:
        with driver.session(database=os.environ.get("NETMAP_NEO4J_DATABASE")) as session:
            session.run(CLEAN).consume()


@pytest.fixture
def neo4j_store(neo4j_uri: str) -> Iterator:
    from netmap.store.neo4j import Neo4jStore

    clean_database(neo4j_uri)
    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()
