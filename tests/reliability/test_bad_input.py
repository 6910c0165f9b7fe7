"""Hostile and broken input through ``netmap collect FORMAT FILE --rejects R --format json``.

Each case of the table says what must survive: the exit code, read / stored / rejected
(``read == stored + rejected`` always), a reason and location that must appear in the rejects
file or on stderr, and what must (not) be in the store afterwards.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from netmap.cli import cli
from netmap.store.sqlite import SQLiteStore

from .conftest import CORPUS, NETMAP, netmap_env


@dataclass(frozen=True)
class Case:
    file: str
    fmt: str
    exit: int
    read: int
    stored: int
    message: str = ""  # in the rejects file (reason + location) or, with exit 1, on stderr
    location: str = ""

    @property
    def rejected(self) -> int:
        return self.read - self.stored


CASES = [
    # JSON damage: each broken line is rejected with its line number, the others are kept.
    Case("truncated.jsonl", "twitter", 0, 3, 2, "invalid JSON", "line 3"),
    Case("concatenated.jsonl", "twitter", 0, 3, 2, "invalid JSON", "line 2"),
    Case("wrong-types.jsonl", "twitter", 0, 5, 1, "tweet id is a JSON dict", "line 1"),
    # Encodings: a BOM is skipped; invalid UTF-8 inside a line rejects that line only.
    Case("bom-utf8.jsonl", "twitter", 0, 2, 2),
    Case("invalid-utf8.jsonl", "twitter", 0, 2, 1, "not valid UTF-8", "line 1"),
    Case("feed-utf16.xml", "feeds", 0, 1, 1),
    Case("feed-cp1251.xml", "feeds", 0, 1, 1),
    Case("feed-koi8r.xml", "feeds", 0, 1, 1),
    Case("feed-broken-item.xml", "feeds", 0, 3, 2, "malformed XML", "item 2"),
    # XML bombs: entities are never expanded or resolved; the item using them is rejected.
    Case("billion-laughs.xml", "feeds", 0, 1, 0, "Entity 'lol9' not defined", "item 1"),
    Case("xxe-file.xml", "feeds", 0, 1, 0, "Entity 'xxe' not defined", "item 1"),
    # Binary files.
    Case("random.bin", "twitter", 0, 16, 0, "invalid JSON", "line 1"),
    Case("random.bin", "feeds", 1, 0, 0, "not an RSS or Atom feed"),
    Case("random.bin", "auto", 1, 0, 0, "format not recognised"),
    Case("png-header.png", "feeds", 1, 0, 0, "not an RSS or Atom feed"),
    Case("png-header.png", "auto", 1, 0, 0, "format not recognised"),
    # Empty files: nothing to read is not an error for a line format, is one for a feed.
    Case("empty.jsonl", "twitter", 0, 0, 0),
    Case("whitespace-only.jsonl", "twitter", 0, 0, 0),
    Case("empty.xml", "feeds", 1, 0, 0, "empty file"),
    Case("empty.xml", "auto", 1, 0, 0, "format not recognised"),
    # Wrong collector for the format.
    Case("feed-cp1251.xml", "twitter", 0, 1, 0, "invalid JSON", "line 1"),
    Case("truncated.jsonl", "feeds", 1, 0, 0, "not an RSS or Atom feed"),
    # Dates in odd formats or missing: the record is kept, the date only when it can be read.
    Case("odd-dates.jsonl", "twitter", 0, 6, 6),
    # The same id twice with different text: both counted, one node, the later record wins.
    Case("duplicate-ids.jsonl", "twitter", 0, 3, 3),
]


def collect_cli(store: Path, fmt: str, path: Path, rejects: Path) -> tuple[int, dict, str]:
    result = CliRunner().invoke(
        cli, ["--store", str(store), "collect", fmt, str(path), "--rejects", str(rejects),
              "--format", "json", "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return result.exit_code, report, result.stderr


def read_rejects(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.file}-{c.fmt}")
def test_bad_input_corpus(case: Case, tmp_path: Path):
    store, rejects = tmp_path / "s.db", tmp_path / "rejects.csv"
    code, report, stderr = collect_cli(store, case.fmt, CORPUS / case.file, rejects)
    assert code == case.exit, stderr
    assert report == {"read": case.read, "stored": case.stored, "rejected": case.rejected}
    rows = read_rejects(rejects)
    assert len(rows) == case.rejected
    if case.exit:
        # Nothing could be read: stderr names the file and says why.
        assert case.file in stderr and case.message in stderr
    elif case.message:
        assert any(case.message in r["reason"] and r["location"].startswith(case.location)
                   for r in rows), rows
        assert all(r["source"].endswith(case.file) for r in rows)
    with SQLiteStore(store) as s:
        assert s.integrity_check() == "ok"
        posts = s.nodes("Post")
        runs = s.runs()
    assert runs["read"].iloc[-1] == case.read and runs["rejected"].iloc[-1] == case.rejected
    if case.stored:
        assert len(posts) >= 1
    else:
        assert posts.empty
    text = " ".join(str(t) for t in posts.get("text", []))
    assert "lollol" not in text and "root:" not in text  # nothing expanded, nothing read


def test_wrong_types_keep_only_the_good_record(tmp_path: Path):
    store = tmp_path / "s.db"
    collect_cli(store, "twitter", CORPUS / "wrong-types.jsonl", tmp_path / "r.csv")
    with SQLiteStore(store) as s:
        posts = s.nodes("Post")
    assert list(posts["key"]) == ["twitter:1001"]
    assert all(isinstance(t, str) for t in posts["text"])


def test_duplicate_ids_deterministic(tmp_path: Path):
    texts = []
    for i in range(2):
        store = tmp_path / f"s{i}.db"
        _, report, _ = collect_cli(store, "twitter", CORPUS / "duplicate-ids.jsonl",
                                   tmp_path / "r.csv")
        assert report["read"] == 3
        with SQLiteStore(store) as s:
            assert s.counts()["nodes"]["Post"] == 2
            texts.append(s.get_node("Post", "twitter:2000")["text"])
    assert texts == ["second version", "second version"]  # the later record wins, every time


def test_odd_dates(tmp_path: Path):
    store = tmp_path / "s.db"
    collect_cli(store, "twitter", CORPUS / "odd-dates.jsonl", tmp_path / "r.csv")
    with SQLiteStore(store) as s:
        dates = dict(s.nodes("Post", ["created_at"]).itertuples(index=False))
    assert dates["twitter:3003"] == "2013-11-06T08:00:00Z"  # epoch seconds
    assert dates["twitter:3006"] == "2013-11-06T08:00:00Z"  # offset converted to UTC
    assert dates["twitter:3001"] == "2013-11-06T08:00:00Z"  # Twitter v1.1 form
    assert dates["twitter:3002"] == "2013-11-06T00:00:00Z"  # slashes, date only
    for key in ("twitter:3004", "twitter:3005"):
        assert pd.isna(dates[key])  # unreadable or missing: no date rather than a wrong one


def test_cyrillic_feeds_decoded(tmp_path: Path):
    for name, word in [("feed-cp1251.xml", "Выборы"), ("feed-koi8r.xml", "Бойкот"),
                       ("feed-utf16.xml", "Выборы")]:
        store = tmp_path / f"{name}.db"
        collect_cli(store, "feeds", CORPUS / name, tmp_path / "r.csv")
        with SQLiteStore(store) as s:
            titles = " ".join(str(t) for t in s.nodes("Post", ["title"])["title"])
        assert word in titles, (name, titles)


def test_external_entities_not_fetched(tmp_path: Path, httpserver):
    httpserver.expect_request("/evil.dtd").respond_with_data('<!ENTITY x "pwned">')
    httpserver.expect_request("/secret").respond_with_data("pwned")
    feed = tmp_path / "xxe-http.xml"
    feed.write_bytes((CORPUS / "xxe-http.xml.tmpl").read_bytes()
                     .replace(b"PORT", str(httpserver.port).encode()))
    for fmt in ("feeds", "auto"):
        code, report, _ = collect_cli(tmp_path / f"{fmt}.db", fmt, feed, tmp_path / "r.csv")
        assert code == 0 and report["read"] == report["stored"] + report["rejected"] == 1
    assert len(httpserver.log) == 0, "the collector fetched an external entity or DTD"


@pytest.mark.slow
def test_100mb_single_line_bounded_memory(tmp_path: Path):
    """A 100 MB line (no newline) is rejected with its line number; memory stays bounded."""
    big = tmp_path / "big.jsonl"
    good = b'{"id": "1", "author_id": "10", "text": "fine"}\n'
    with open(big, "wb") as fh:
        fh.write(good)
        fh.write(b'{"id": "2", "author_id": "10", "text": "')
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            fh.write(chunk)
        fh.write(b'"}\n')
        fh.write(b'{"id": "3", "author_id": "10", "text": "after"}\n')
    rejects = tmp_path / "r.csv"
    # A fresh wrapper process whose only child is netmap reports that child's peak RSS
    # (RUSAGE_CHILDREN of this test process would include every earlier test's children).
    wrapper = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
               "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
               "file=sys.stderr); sys.exit(p.returncode)")
    proc = subprocess.Popen(
        [sys.executable, "-c", wrapper,
         str(NETMAP), "--store", str(tmp_path / "s.db"), "collect", "twitter", str(big),
         "--rejects", str(rejects), "--format", "json", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=netmap_env())
    out, err = proc.communicate(timeout=120)
    peak_kb = int(err.strip().splitlines()[-1].split()[-1])
    assert proc.returncode == 0, err
    report = json.loads(out)
    assert report["read"] == report["stored"] + report["rejected"]
    assert report["stored"] == 2 and report["rejected"] == 1
    rows = read_rejects(rejects)
    assert rows[0]["location"] == "line 2" and "longer than" in rows[0]["reason"]
    assert peak_kb < 400 * 1024, f"peak RSS {peak_kb / 1024:.0f} MB"
