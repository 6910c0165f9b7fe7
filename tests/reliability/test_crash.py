"""Crash safety: ``kill -9`` of a real ``netmap collect`` / ``netmap push`` at random moments.

Each batch is one transaction, so whatever moment the process dies at, the store holds
whole batches only (a prefix of the input), passes SQLite's integrity check, and a re-run of
the same command completes the collection with exactly the counts of an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from netmap.store.sqlite import SQLiteStore

from .conftest import json_out, run_netmap, sqlite_graph_check, start_netmap

pytestmark = pytest.mark.slow

KILLS = 4
SEED = 20131106


def tweet_prefixes(jsonl: Path) -> list[tuple[frozenset[str], frozenset[str]]]:
    """For every k, the tweet keys of the first k lines of a twarc2 JSONL file: those of the
    pages' ``data`` (must all be stored) and those plus the ``includes.tweets`` that came along
    (may be stored, as context)."""
    main: set[str] = set()
    anyk: set[str] = set()
    out = [(frozenset(), frozenset())]
    with open(jsonl, "rb") as fh:
        for line in fh:
            page = json.loads(line)
            ids = {"twitter:" + t["id"] for t in page["data"]}
            main |= ids
            anyk |= ids | {"twitter:" + t["id"] for t in
                           (page.get("includes") or {}).get("tweets") or ()}
            out.append((frozenset(main), frozenset(anyk)))
    return out


def is_prefix(stored: set[str], prefixes: list[tuple[frozenset[str], frozenset[str]]]) -> bool:
    return any(main <= stored <= anyk for main, anyk in prefixes)


def kill9_after(proc: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL ``proc`` after ``delay`` seconds; False if it had already finished."""
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        return True
    proc.communicate()
    return False


def test_kill9_collect_leaves_whole_batches_and_rerun_completes(synth_big: Path, tmp_path: Path):
    tweets = synth_big / "twitter"
    files = sorted(tweets.glob("*.jsonl"))
    assert len(files) == 1  # the prefix check below reads one file in order
    prefixes = tweet_prefixes(files[0])
    args = ["collect", "twitter", str(tweets), "--batch-size", "500", "--format", "json",
            "--quiet"]

    ref = tmp_path / "ref.db"
    t0 = time.perf_counter()
    report = json_out(run_netmap(["--store", str(ref), *args, "--rejects", str(tmp_path / "r0.csv")]))
    full_seconds = time.perf_counter() - t0
    assert report == {"read": 33060, "stored": 33060, "rejected": 0}
    with SQLiteStore(ref) as s:
        expected = s.counts()

    db = tmp_path / "crash.db"
    rng = random.Random(SEED)
    killed = 0
    progress: list[int] = []
    for i in range(KILLS):
        # Start-up takes ~0.6 s; aim the kills over the whole writing phase.
        delay = rng.uniform(0.8, max(1.5, full_seconds * 0.9))
        proc = start_netmap(["--store", str(db), *args, "--rejects", str(tmp_path / f"r{i}.csv")])
        killed += kill9_after(proc, delay)
        if not db.exists():
            progress.append(0)
            continue
        facts = sqlite_graph_check(db)
        assert facts["integrity"] == "ok"
        assert facts["dangling"] == 0, "a relationship lost an endpoint node"
        assert facts["orphan_posts"] == 0, "a collected Post lost its AUTHORED edge"
        # Whole batches only: the collected tweets are exactly the first k pages of the input.
        assert is_prefix(facts["authored"], prefixes), "the store holds a partial batch"
        progress.append(len(facts["authored"]))
        with SQLiteStore(db) as s:  # opens, and reads, after the crash
            assert s.counts()["relationships"]["AUTHORED"] == len(facts["authored"])
    assert killed >= 2, f"only {killed} of {KILLS} runs were killed mid-way; retune the delays"

    final = json_out(run_netmap(["--store", str(db), *args, "--rejects", str(tmp_path / "rf.csv")]))
    assert final == report
    with SQLiteStore(db) as s:
        assert s.counts() == expected
        assert s.integrity_check() == "ok"
        runs = s.runs()
    # The killed runs stay visible as unfinished; the last one finished ok.
    assert runs["status"].iloc[-1] == "ok"
    # (a kill during start-up, before the run was recorded, leaves no row)
    assert 1 <= (runs["status"] == "running").sum() <= killed


def _neo4j_counts(uri: str) -> dict:
    from netmap.store.neo4j import Neo4jStore

    s = Neo4jStore(uri)
    try:
        return s.counts()
    finally:
        s.close()


def test_kill9_push_rerun_completes(synth_mid: Path, tmp_path: Path, neo4j_uri: str, neo4j_store):
    db = tmp_path / "push.db"
    json_out(run_netmap(["--store", str(db), "collect", "twitter", str(synth_mid / "twitter"),
                         "--format", "json", "--quiet", "--rejects", str(tmp_path / "r.csv")]))
    with SQLiteStore(db) as s:
        expected = s.counts()
    args = ["--store", str(db), "push", neo4j_uri, "--batch-size", "500", "--format", "json",
            "--quiet"]
    rng = random.Random(SEED + 1)
    killed = 0
    partial_total = 0
    for _ in range(2):
        proc = start_netmap(args)
        killed += kill9_after(proc, rng.uniform(1.5, 3.0))
        partial = _neo4j_counts(neo4j_uri)
        partial_total = sum(partial["nodes"].values())
        # Each chunk is one transaction: never more than the origin holds.
        for part in ("nodes", "relationships"):
            for name, n in partial[part].items():
                assert n <= expected[part][name], (part, name)
    assert killed >= 1, "no push was interrupted; retune the delays"
    report = json_out(run_netmap(args, timeout=300))
    # A kill before the first chunk committed (slow start under load) leaves nothing to
    # resume; once a chunk is in, the re-run must continue from the marker.
    assert report["resumed"] is (partial_total > 0)
    assert _neo4j_counts(neo4j_uri) == expected
