"""The insight commands (mixing, brokerage, timeline, compare, hubs, bridging-content) on the example."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import cli

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "tajikistan-2013"


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--store", str(db), *args], catch_exceptions=False)


def ok(db: Path, *args: str):
    res = run(db, *args)
    assert res.exit_code == 0, res.output
    return res


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    db = tmp_path_factory.mktemp("insight") / "ex.db"
    ok(db, "collect", "auto", str(EXAMPLE / "blogs"), str(EXAMPLE / "twitter"), "--format", "json")
    ok(db, "stance", "seed", str(EXAMPLE / "seeds.csv"))
    ok(db, "stance", "assign")
    ok(db, "analyze", "--seed", "1")
    return db


def test_registered():
    names = set(cli.commands)
    assert {"mixing", "brokerage", "timeline", "compare", "hubs", "bridging-content"} <= names


def test_mixing(example):
    rows = json.loads(ok(example, "mixing", "--format", "json").stdout)
    groups = [r["from \\ to"] for r in rows]
    assert groups == sorted(groups) and "critic" in groups
    assert all(set(groups) <= set(r) for r in rows)
    total = sum(v for r in rows for k, v in r.items() if k != "from \\ to")
    assert total > 0
    shares = json.loads(ok(example, "mixing", "--normalize", "row", "--format", "json").stdout)
    for r in shares:
        s = sum(v for k, v in r.items() if k != "from \\ to")
        assert s == pytest.approx(1.0) or s == 0
    ei = list(csv.DictReader(io.StringIO(ok(example, "mixing", "--ei", "--format", "csv").stdout)))
    assert {"group", "members", "internal", "external", "ei", "assortativity"} <= set(ei[0])
    assert all(-1 <= float(r["ei"]) <= 1 for r in ei if r["ei"])


def test_brokerage(example):
    rows = json.loads(ok(example, "brokerage", "--format", "json", "--limit", "5").stdout)
    assert rows and len(rows) <= 5
    assert [r["brokerage"] for r in rows] == sorted((r["brokerage"] for r in rows), reverse=True)
    assert {"key", "group", "coordinator", "itinerant", "representative", "gatekeeper",
            "liaison", "brokerage"} <= set(rows[0])
    gk = json.loads(ok(example, "brokerage", "--role", "gatekeeper", "--format", "json").stdout)
    assert all(r["gatekeeper"] > 0 for r in gk)
    crit = json.loads(ok(example, "brokerage", "--group", "critic", "--format", "json").stdout)
    assert all(r["group"] == "critic" for r in crit)
    by_comm = json.loads(ok(example, "brokerage", "--basis", "community", "--format",
                            "json").stdout)
    assert by_comm
    bad = run(example, "brokerage", "--group", "royalist")
    assert bad.exit_code != 0 and "groups present" in bad.output


def test_timeline(example):
    rows = json.loads(ok(example, "timeline", "--format", "json").stdout)
    days = [r["period"] for r in rows]
    assert days == sorted(days) and all(d.startswith("2013-") for d in days)
    assert all(r["total"] == sum(v for k, v in r.items() if k not in ("period", "total"))
               for r in rows)
    plat = json.loads(ok(example, "timeline", "--by", "platform", "--freq", "month",
                         "--format", "json").stdout)
    assert {"blog", "twitter"} <= set(plat[0])
    table = ok(example, "timeline", "--since", "2013-11-01", "--until", "2013-11-08")
    assert "posts per day by group" in table.output


def test_compare(example):
    summary = json.loads(ok(example, "compare", "--period1", "2013-10-01..2013-11-06",
                            "--period2", "2013-11-06..2013-12-31", "--show", "summary",
                            "--format", "json").stdout)
    assert len(summary["communities"]) == 2 and summary["in_both"] >= 0
    assert summary["periods"][0]["until"] == "2013-11-06T00:00:00Z"
    acc = ok(example, "compare", "--period1", "2013-10-01..2013-11-06", "--period2",
             "2013-11-06..2013-12-31", "--format", "csv")
    header = acc.stdout.splitlines()[0].split(",")
    assert header[:4] == ["key", "group", "leaning1", "leaning2"]
    comm = json.loads(ok(example, "compare", "--period1", "2013-10-01..2013-11-06",
                         "--period2", "2013-11-06..2013-12-31", "--show", "communities",
                         "--format", "json").stdout)
    assert {"community2", "size2", "community1", "overlap", "jaccard"} == set(comm[0])
    bad = run(example, "compare", "--period1", "2013-11-06..2013-10-01", "--period2", "..")
    assert bad.exit_code != 0 and "ends before it starts" in bad.output


def test_hubs_and_bridging_content(example):
    hubs = json.loads(ok(example, "hubs", "--limit", "3", "--format", "json").stdout)
    assert len(hubs) == 3 and hubs[0]["hub"] == pytest.approx(1.0)
    assert [h["hub"] for h in hubs] == sorted((h["hub"] for h in hubs), reverse=True)
    content = json.loads(ok(example, "bridging-content", "--format", "json").stdout)
    assert content and all(c["n_groups"] >= 2 for c in content)
    assert [c["entropy"] for c in content] == sorted((c["entropy"] for c in content),
                                                     reverse=True)
