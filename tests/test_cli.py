"""The CLI contract, through click's CliRunner and through the installed executable."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tajikistan-2013"

ACCOUNT_FIELDS = ["key", "platform", "handle", "name", "url", "group", "group_score", "group_source",
                  "community", "pagerank", "indegree", "bridge_score"]


def run(args, db, **kw):
    runner = CliRunner()
    return runner.invoke(cli, ["--store", str(db), *args], catch_exceptions=False, **kw)


def ok(args, db):
    res = run(args, db)
    assert res.exit_code == 0, res.output + (res.stderr if hasattr(res, "stderr") else "")
    return res


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """The example collected, seeded, assigned and analysed once for the module."""
    db = tmp_path_factory.mktemp("cli") / "ex.db"
    ok(["collect", "auto", str(EXAMPLE / "blogs"), str(EXAMPLE / "twitter"), "--format", "json"], db)
    ok(["stance", "seed", str(EXAMPLE / "seeds.csv")], db)
    ok(["stance", "assign"], db)
    ok(["analyze", "--seed", "1"], db)
    return db


def test_collect_json_counts_and_idempotent(tmp_path):
    db = tmp_path / "c.db"
    res = ok(["collect", "auto", str(EXAMPLE / "blogs"), str(EXAMPLE / "twitter"), "--format", "json"], db)
    first = json.loads(res.stdout)
    assert set(first) == {"read", "stored", "rejected"}
    assert first["read"] == first["stored"] + first["rejected"] and first["stored"] > 100
    stats1 = json.loads(ok(["stats", "--format", "json"], db).stdout)
    ok(["collect", "auto", str(EXAMPLE / "blogs"), str(EXAMPLE / "twitter"), "--format", "json"], db)
    stats2 = json.loads(ok(["stats", "--format", "json"], db).stdout)
    assert stats1 == stats2
    assert stats1["relationships"]["SHARES"] > 0 and stats1["nodes"]["Account"] >= 40


def test_blog_post_shared_on_twitter_is_one_post(analysed):
    from netmap.store.sqlite import SQLiteStore

    s = SQLiteStore(analysed)
    shares = s.edges(["SHARES"])
    posts = s.nodes("Post", columns=["platform"]).set_index("key")["platform"]
    cross = shares[(shares["dst"].map(posts) == "blog") & shares["src"].str.startswith("twitter:")]
    assert len(cross) >= 1, "a tweet carrying the blog post's link must be a SHARES of that Post"
    s.close()


def test_accounts_contract(analysed):
    rows = json.loads(ok(["accounts", "--format", "json"], analysed).stdout)
    assert rows and list(rows[0])[: len(ACCOUNT_FIELDS)] == ACCOUNT_FIELDS
    assert any(r["group"] for r in rows) and any(r["community"] is not None for r in rows)
    text = ok(["accounts", "--format", "csv"], analysed).stdout
    header = next(csv.reader([text.splitlines()[0]]))
    assert header[: len(ACCOUNT_FIELDS)] == ACCOUNT_FIELDS
    table = ok(["accounts"], analysed).stdout
    assert "twitter:" in table and "blog:" in table


def test_top_and_communities(analysed):
    infl = json.loads(ok(["top", "influencers", "--limit", "5", "--format", "json"], analysed).stdout)
    assert len(infl) == 5
    ranked = [r["indegree"] for r in infl]  # influencers rank by weighted in-degree
    assert ranked == sorted(ranked, reverse=True)
    by_pr = json.loads(ok(["top", "influencers", "--by", "pagerank", "--format", "json"], analysed).stdout)
    pr = [r["pagerank"] for r in by_pr]
    assert pr == sorted(pr, reverse=True)
    for what in ("hubs", "brokers", "carriers"):
        rows = json.loads(ok(["top", what, "--format", "json"], analysed).stdout)
        assert rows, what
    br = json.loads(ok(["top", "bridges", "--group", "critic", "--format", "json"], analysed).stdout)
    assert br and all(r["group"] == "critic" for r in br)
    comms = json.loads(ok(["communities", "--format", "json"], analysed).stdout)
    assert comms and {"id", "size", "top_members", "group_mix"} <= set(comms[0])
    assert sum(c["size"] for c in comms) > 0


@pytest.mark.parametrize("kind,name", [("html", "v.html"), ("gexf", "v.gexf"), ("graphml", "v.graphml"),
                                       ("json", "v.json"), ("csv", "v.csv")])
def test_exports(analysed, tmp_path, kind, name):
    out = tmp_path / name
    res = ok(["export", kind, str(out)], analysed)
    assert "wrote" in res.stdout
    assert out.exists() or any(tmp_path.iterdir())


def test_stats_before_anything(tmp_path):
    res = ok(["stats", "--format", "json"], tmp_path / "empty.db")
    data = json.loads(res.stdout)
    assert data["nodes"]["Account"] == 0 and "SHARES" in data["relationships"]


def test_top_before_analyze_says_what_to_do(tmp_path):
    db = tmp_path / "x.db"
    ok(["collect", "auto", str(EXAMPLE / "twitter"), "-q"], db)
    res = run(["top", "influencers"], db)
    assert res.exit_code == 1
    assert "netmap analyze" in res.stderr


def test_unknown_format_is_usage_error(tmp_path):
    res = run(["collect", "nosuch", str(EXAMPLE / "seeds.csv")], tmp_path / "x.db")
    assert res.exit_code == 2 and "unknown format" in res.stderr


def test_missing_input_fails(tmp_path):
    res = run(["collect", "auto", str(tmp_path / "missing.jsonl")], tmp_path / "x.db")
    assert res.exit_code == 1 and "missing.jsonl" in res.stderr


def test_bad_input_rejected_with_location(tmp_path):
    src = EXAMPLE / "twitter"
    first = next(p for p in sorted(src.glob("*.jsonl")))
    lines = first.read_bytes().splitlines(keepends=True)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(lines[:2]) + lines[2][: len(lines[2]) // 2] + b"\n")
    rejects = tmp_path / "rej.csv"
    res = ok(["collect", "twitter", str(bad), "--rejects", str(rejects), "--format", "json"], tmp_path / "x.db")
    counts = json.loads(res.stdout)
    assert counts["rejected"] == 1 and counts["read"] == counts["stored"] + counts["rejected"]
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert rows[0]["source"].endswith("bad.jsonl") and rows[0]["location"] == "line 3"
    assert "JSON" in rows[0]["reason"]


def test_stdin_input(tmp_path):
    data = (EXAMPLE / "twitter").glob("*.jsonl")
    payload = next(iter(sorted(data))).read_bytes()
    res = run(["collect", "auto", "-", "--format", "json"], tmp_path / "x.db", input=payload)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["stored"] > 0


def test_installed_executable(tmp_path):
    exe = Path(sys.executable).parent / "netmap"
    if not exe.exists():
        exe = shutil.which("netmap")
    assert exe, "the netmap console script is not installed"
    env = {**os.environ, "NETMAP_STORE": str(tmp_path / "exe.db")}
    p = subprocess.run([str(exe), "collect", "auto", str(EXAMPLE / "blogs"), "--format", "json"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["stored"] > 0
    p = subprocess.run([str(exe), "stats", "--format", "json"], capture_output=True, text=True, env=env)
    assert json.loads(p.stdout)["nodes"]["Post"] > 0
    p = subprocess.run([str(exe), "collect", "nosuch", "x"], capture_output=True, text=True, env=env)
    assert p.returncode == 2 and "Error" in p.stderr
    p = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert p.returncode == 0 and "netmap" in p.stdout


def test_demo_writes_view(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "exports" / "demo.html"
    res = CliRunner().invoke(cli, ["demo", "--out", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "vis-network" in html or "vis.Network" in html
    assert "wrote" in res.stdout


def test_analyze_by_person(tmp_path):
    db = tmp_path / "p.db"
    ok(["collect", "auto", str(EXAMPLE / "blogs"), str(EXAMPLE / "twitter"), "-q"], db)
    ok(["identities", "resolve"], db)
    rows = json.loads(ok(["analyze", "--by", "person", "--format", "json"], db).stdout)
    keys = [r["key"] for r in rows]
    assert any(k.startswith("person:") for k in keys)
    assert "blog:nigoh.wordpress.com/nigoh" not in keys  # merged into its person
