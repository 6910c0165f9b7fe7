"""``netmap analyze --engine gds``: the same analysis inside Neo4j, equal in quality.

A planted campaign (netmap synth, 1,000 accounts) is collected into SQLite, analysed locally,
pushed into a private Neo4j with the Graph Data Science plugin and analysed there. The two
engines must agree: communities NMI >= 0.9, PageRank and weighted in-degree rank-correlated,
the same top influencers; and both must recover the planted camps.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from private_neo4j import PrivateNeo4j
from scipy.stats import spearmanr

from netmap.analysis import analyze
from netmap.analysis.gds import analyze_gds
from netmap.analysis.results import nmi
from netmap.errors import StoreError
from netmap.pipeline import collect
from netmap.store.neo4j import Neo4jStore
from netmap.store.sqlite import SQLiteStore
from netmap.store.transfer import push

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

NETMAP = Path(sys.executable).with_name("netmap")
RESULTS = ["community", "pagerank", "indegree", "betweenness"]


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    from netmap.synth import generate

    out = tmp_path_factory.mktemp("gds-synth")
    generate(out / "synth", accounts=1000, seed=11)
    db = out / "local.db"
    with SQLiteStore(db) as store:
        for fmt, sub in (("twitter", "twitter"), ("feeds", "blogs")):
            collect(store, fmt, [str(out / "synth" / sub)])
    truth = json.loads((out / "synth" / "truth.json").read_text())
    return db, truth


@pytest.fixture(scope="module")
def gds_uri(tmp_path_factory: pytest.TempPathFactory, neo4j_uri: str):
    # neo4j_uri: the shared server proves the launcher is built (fails under CI=true if not)
    server = PrivateNeo4j(tmp_path_factory.mktemp("gds-neo4j"), persist=False, gds=True)
    server.start()
    yield server.uri
    server.stop()


@pytest.fixture(scope="module")
def both(campaign: tuple[Path, dict], gds_uri: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    db, _ = campaign
    with SQLiteStore(db) as store:
        analyze(store, seed=42, force=True)
        local = store.nodes("Account", columns=RESULTS).set_index("key")
        neo = Neo4jStore(gds_uri)
        try:
            push(store, neo)
            summary = analyze_gds(neo, seed=42)
            server = neo.nodes("Account", columns=RESULTS).set_index("key")
        finally:
            neo.close()
    return local, server, summary


def test_gds_communities_agree_with_local(both):
    local, server, summary = both
    assert summary["engine"] == "gds" and summary["communities"] > 1
    common = local.dropna(subset=["community"]).index.intersection(
        server.dropna(subset=["community"]).index)
    assert len(common) >= 0.9 * local["community"].notna().sum()
    score = nmi(local.loc[common, "community"].astype(int), server.loc[common, "community"].astype(int))
    print(f"NMI local vs gds: {score:.3f} on {len(common)} accounts, {summary}")
    assert score >= 0.9


def test_gds_influence_agrees_with_local(both):
    local, server, _ = both
    common = local.dropna(subset=["pagerank"]).index.intersection(
        server.dropna(subset=["pagerank"]).index)
    rho_pr = spearmanr(local.loc[common, "pagerank"], server.loc[common, "pagerank"]).statistic
    rho_in = spearmanr(local.loc[common, "indegree"], server.loc[common, "indegree"]).statistic
    top_local = set(local.loc[common, "indegree"].nlargest(20).index)
    top_server = set(server.loc[common, "indegree"].nlargest(20).index)
    print(f"Spearman pagerank {rho_pr:.3f}, indegree {rho_in:.3f}, "
          f"top-20 in-degree overlap {len(top_local & top_server)}")
    assert rho_pr >= 0.9 and rho_in >= 0.9
    assert len(top_local & top_server) >= 17
    assert server["betweenness"].notna().sum() >= len(common) * 0.9


def test_gds_recovers_planted_camps(both, campaign):
    _, server, _ = both
    truth = campaign[1]["accounts"]
    keys = [k for k in server.dropna(subset=["community"]).index if k in truth]
    assert len(keys) > 500
    score = nmi([truth[k] for k in keys], server.loc[keys, "community"].astype(int))
    print(f"NMI gds communities vs planted camps: {score:.3f}")
    assert score >= 0.8


def test_cli_engine_gds(campaign, gds_uri, tmp_path):
    out = subprocess.run([str(NETMAP), "--store", gds_uri, "analyze", "--engine", "gds",
                          "--format", "json"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["engine"] == "gds" and report["accounts"] > 900
    # top influencers reads what the engine wrote
    top = subprocess.run([str(NETMAP), "--store", gds_uri, "top", "influencers", "--limit", "5",
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    assert top.returncode == 0, top.stderr
    assert len(json.loads(top.stdout)) == 5
    # an SQLite store: a clear refusal
    db = campaign[0]
    bad = subprocess.run([str(NETMAP), "--store", str(db), "analyze", "--engine", "gds"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "Neo4j" in bad.stderr


def test_every_gds_statement_compiles(gds_uri):
    from neo4j import GraphDatabase

    from netmap.store import cypher_queries as cq

    gds = [q for q in cq.all_queries() if q.name.startswith("gds_")]
    assert len(gds) >= 6
    with GraphDatabase.driver(gds_uri, auth=None) as driver, driver.session() as s:
        for q in gds:
            s.run("EXPLAIN " + q.text).consume()


def test_engine_gds_without_the_plugin_is_a_clear_error(neo4j_store):
    # the shared test server runs without GDS
    with pytest.raises(StoreError, match="Graph Data Science"):
        analyze_gds(neo4j_store)
