"""The Neo4j commands end to end against a real server: push, query, cypher, --store neo4j://."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from netmap.cli import cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tajikistan-2013"


def ok(args):
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


def test_push_query_and_collect_straight_into_neo4j(neo4j_store, neo4j_uri, tmp_path):
    db = str(tmp_path / "ex.db")
    ok(["--store", db, "collect", "auto", str(EXAMPLE / "blogs"), str(EXAMPLE / "twitter"), "-q"])
    ok(["--store", db, "stance", "seed", str(EXAMPLE / "seeds.csv")])
    ok(["--store", db, "stance", "assign"])
    ok(["--store", db, "analyze"])
    ok(["--store", db, "push", neo4j_uri, "--format", "json"])
    local = json.loads(ok(["--store", db, "stats", "--format", "json"]).stdout)
    remote = json.loads(ok(["--store", neo4j_uri, "stats", "--format", "json"]).stdout)
    assert local == remote
    # a second push changes nothing
    ok(["--store", db, "push", neo4j_uri, "-q"])
    assert json.loads(ok(["--store", neo4j_uri, "stats", "--format", "json"]).stdout) == remote
    # analysis results are on the Neo4j nodes, so `accounts` reads the same on both
    a_local = json.loads(ok(["--store", db, "accounts", "--format", "json"]).stdout)
    a_remote = json.loads(ok(["--store", neo4j_uri, "accounts", "--format", "json"]).stdout)
    assert a_local == a_remote
    # the named queries answer the same on both stores
    for args in (["top_influencers_per_group", "-p", "group=critic", "-p", "limit=5"],
                 ["who_shared_url", "-p",
                  "url=https://nigoh.wordpress.com/2013/10/28/sotsseti-vybory-2013/?utm_source=x"]):
        q_local = json.loads(ok(["--store", db, "query", *args, "--format", "json"]).stdout)
        q_remote = json.loads(ok(["--store", neo4j_uri, "query", *args, "--format", "json"]).stdout)
        assert q_local == q_remote and q_local
    rows = json.loads(ok(["--store", neo4j_uri, "cypher",
                          "MATCH (a:Account) WHERE a.group = $g RETURN count(a) AS n",
                          "-p", "g=critic", "--format", "json"]).stdout)
    assert rows[0]["n"] > 0
    res = CliRunner().invoke(cli, ["--store", neo4j_uri, "cypher", "CREATE (x:Account {key: 'x'})"])
    assert res.exit_code != 0 and "--write" in res.output


def test_collect_straight_into_neo4j_matches_sqlite(neo4j_store, neo4j_uri, tmp_path):
    db = str(tmp_path / "s.db")
    inputs = [str(EXAMPLE / "blogs"), str(EXAMPLE / "twitter")]
    a = json.loads(ok(["--store", db, "collect", "auto", *inputs, "--format", "json"]).stdout)
    b = json.loads(ok(["--store", neo4j_uri, "collect", "auto", *inputs, "--format", "json"]).stdout)
    assert a == b
    assert (json.loads(ok(["--store", db, "stats", "--format", "json"]).stdout)
            == json.loads(ok(["--store", neo4j_uri, "stats", "--format", "json"]).stdout))
