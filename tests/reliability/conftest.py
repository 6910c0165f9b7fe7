"""Shared pieces of the reliability tests: the installed executable, synthetic input, checks.

These tests run the real ``netmap`` executable of the virtualenv in subprocesses (so a
``kill -9`` hits a real process) and talk only to servers on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

NETMAP = Path(sys.executable).with_name("netmap")
CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "bad"


def netmap_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NETMAP_STORE", None)
    env.update(extra)
    return env


def run_netmap(args: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 120,
               cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``netmap`` to completion and capture its output."""
    return subprocess.run([str(NETMAP), *args], capture_output=True, text=True, timeout=timeout,
                          env=env or netmap_env(), cwd=cwd)


def start_netmap(args: Sequence[str], *, env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([str(NETMAP), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env or netmap_env(), cwd=cwd)


def sqlite_graph_check(path: Path) -> dict[str, Any]:
    """Open a store file read-only with plain sqlite3 and check what a crash must not break.

    Returns facts for further assertions: the integrity-check result, relationships whose
    endpoint nodes are missing, and non-stub Posts without an AUTHORED edge.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        dangling = conn.execute(
            "SELECT count(*) FROM edges e WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE "
            "n.label = e.src_label AND n.key = e.src) OR NOT EXISTS (SELECT 1 FROM nodes n "
            "WHERE n.label = e.dst_label AND n.key = e.dst)"
        ).fetchone()[0]
        orphan_posts = conn.execute(
            "SELECT count(*) FROM nodes p WHERE p.label = 'Post' AND p.props != '{}' AND NOT "
            "EXISTS (SELECT 1 FROM edges e WHERE e.type = 'AUTHORED' AND e.dst_label = 'Post' "
            "AND e.dst = p.key)"
        ).fetchone()[0]
        authored = {r[0] for r in conn.execute(
            "SELECT dst FROM edges WHERE type = 'AUTHORED'")}
    finally:
        conn.close()
    return {"integrity": integrity, "dangling": dangling, "orphan_posts": orphan_posts,
            "authored": authored}


def json_out(proc: subprocess.CompletedProcess[str]) -> Any:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def synth_big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 3,000-account synthetic campaign (about 33k tweets in one twarc2 JSONL file)."""
    from netmap.synth import generate

    out = tmp_path_factory.mktemp("synth3000")
    generate(out, accounts=3000, seed=42)
    return out


@pytest.fixture(scope="session")
def synth_mid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 11k tweets: enough for a push that takes a few seconds."""
    from netmap.synth import generate

    out = tmp_path_factory.mktemp("synth1000")
    generate(out, accounts=1000, seed=42)
    return out


@pytest.fixture(scope="session")
def synth_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from netmap.synth import generate

    out = tmp_path_factory.mktemp("synth300")
    generate(out, accounts=300, seed=7)
    return out


@pytest.fixture(autouse=True)
def _private_http_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fetched bodies are cached on disk; tests must neither read nor leave a shared cache.
    monkeypatch.setenv("NETMAP_CACHE", str(tmp_path / "http-cache"))
