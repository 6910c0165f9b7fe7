"""Influence metrics against networkx and hand counts."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from netmap.analysis.influence import influence
from netmap.analysis.project import actor_graph

from .conftest import share_graph
from .test_project import ALI, BOB, CAROL, DAVE, ERIN, FRANK, scenario


def test_pagerank_and_hits_match_networkx(store, builder):
    rng = random.Random(3)
    names = [f"u{i}" for i in range(40)]
    pairs = {(a, b) for a in names for b in names if a != b and rng.random() < 0.08}
    ties = [p for p in sorted(pairs) for _ in range(rng.choice((1, 1, 2, 3)))]  # repeated shares
    share_graph(builder, ties)
    builder.write(store)
    ag = actor_graph(store)
    infl = influence(ag).set_index("key")
    g = ag.to_networkx()
    ref = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    for k, v in ref.items():
        assert infl.loc[k, "pagerank"] == pytest.approx(v, rel=1e-5, abs=1e-9)
    assert infl["pagerank"].sum() == pytest.approx(1.0)
    hubs, auths = nx.hits(g, max_iter=10000, tol=1e-12)
    hmax, amax = max(hubs.values()), max(auths.values())
    # networkx's HITS uses the "weight" attribute too; it scales to sum 1, igraph to max 1
    for k in g.nodes:
        assert infl.loc[k, "hub"] == pytest.approx(hubs[k] / hmax, abs=1e-6)
        assert infl.loc[k, "authority"] == pytest.approx(auths[k] / amax, abs=1e-6)


def test_indegree_types_reach_and_coreness(store, builder):
    scenario(builder)
    builder.write(store)
    infl = influence(actor_graph(store)).set_index("key")
    ali = infl.loc[ALI]
    assert ali["indegree"] == pytest.approx(0.5 + 1.5 + 1.5)  # dave, carol, bob
    assert (ali["in_comment"], ali["in_share"], ali["in_link"], ali["in_site_link"]) == (2, 1, 1, 1)
    # reach: accounts that shared, quoted or commented: carol (both), dave; bob only linked
    assert ali["reach"] == 2
    assert ali["cross_platform_reach"] == 1  # carol, from twitter
    carol = infl.loc[CAROL]
    assert carol["reach"] == 1 and carol["cross_platform_reach"] == 0  # erin; frank only mentioned
    assert (carol["in_share"], carol["in_quote"], carol["in_mention"]) == (1, 1, 1)
    assert infl.loc[FRANK, "indegree"] == 0 and infl.loc[FRANK, "outdegree"] == pytest.approx(0.6)
    # undirected simple graph: frank-carol-erin is a triangle (2-core), the rest a star
    assert infl.loc[[FRANK, CAROL, ERIN], "coreness"].tolist() == [2, 2, 2]
    assert infl.loc[[ALI, DAVE, BOB], "coreness"].tolist() == [1, 1, 1]
    assert infl.loc["blog:gamma.tj/gus", "coreness"] == 0
    assert infl.loc["blog:gamma.tj/gus", "pagerank"] > 0
    assert np.isfinite(infl[["hub", "authority"]].to_numpy()).all()
    assert (infl[["hub", "authority"]].to_numpy() >= 0).all()
