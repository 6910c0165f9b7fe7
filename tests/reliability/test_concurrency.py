"""Two collects into one SQLite store at once, and readers while a collect runs (WAL)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from netmap.store.sqlite import SQLiteStore

from .conftest import json_out, run_netmap, start_netmap

pytestmark = pytest.mark.slow


def split_halves(src: Path, out: Path) -> tuple[Path, Path]:
    lines = src.read_bytes().splitlines(keepends=True)
    a, b = out / "a", out / "b"
    a.mkdir()
    b.mkdir()
    (a / "t.jsonl").write_bytes(b"".join(lines[: len(lines) // 2]))
    (b / "t.jsonl").write_bytes(b"".join(lines[len(lines) // 2:]))
    return a, b


def collect_args(db: Path, inp: Path, rej: Path) -> list[str]:
    return ["--store", str(db), "collect", "twitter", str(inp), "--batch-size", "500",
            "--format", "json", "--quiet", "--rejects", str(rej)]


def test_two_writers_then_same_input(synth_mid: Path, tmp_path: Path):
    src = next((synth_mid / "twitter").glob("*.jsonl"))
    ref = tmp_path / "ref.db"
    total = json_out(run_netmap(collect_args(ref, src, tmp_path / "r.csv")))
    with SQLiteStore(ref) as s:
        expected = s.counts()
    a, b = split_halves(src, tmp_path)
    db = tmp_path / "shared.db"
    procs = [start_netmap(collect_args(db, d, tmp_path / f"r{i}.csv")) for i, d in enumerate((a, b))]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        reports.append(json.loads(out))
    assert sum(r["read"] for r in reports) == total["read"]
    with SQLiteStore(db) as s:
        assert s.counts() == expected
    # The same input twice at once: idempotent upserts, same counts.
    procs = [start_netmap(collect_args(db, src, tmp_path / f"s{i}.csv")) for i in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        assert json.loads(out) == total
    with SQLiteStore(db) as s:
        assert s.counts() == expected
        assert s.integrity_check() == "ok"


def test_readers_work_during_collect(synth_mid: Path, synth_small: Path, tmp_path: Path):
    db = tmp_path / "s.db"
    json_out(run_netmap(collect_args(db, synth_small / "twitter", tmp_path / "r.csv")))
    assert run_netmap(["--store", str(db), "analyze", "--format", "json"]).returncode == 0
    writer = start_netmap(collect_args(db, synth_mid / "twitter", tmp_path / "w.csv"))
    try:
        time.sleep(1.0)
        reads = 0
        while writer.poll() is None or reads < 2:
            top = run_netmap(["--store", str(db), "top", "influencers", "--format", "json"])
            assert top.returncode == 0, top.stderr
            assert len(json.loads(top.stdout)) > 0
            out = tmp_path / f"csv{reads}"
            exp = run_netmap(["--store", str(db), "export", "csv", str(out)])
            assert exp.returncode == 0, exp.stderr
            reads += 1
            if reads >= 4:
                break
        out, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err
    finally:
        if writer.poll() is None:
            writer.kill()
    assert reads >= 2
    shutil.rmtree(tmp_path / "csv0", ignore_errors=True)
