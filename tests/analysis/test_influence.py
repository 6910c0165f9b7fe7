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


# -- personalised PageRank, reach, in-group influence --------------------------------------

from netmap.analysis.influence import (  # noqa: E402
    group_influence,
    group_pagerank,
    hits,
    reach,
)

from .conftest import ag_from  # noqa: E402


def _random_rows(seed: int, n: int = 40, p: float = 0.1):
    rng = random.Random(seed)
    names = [f"u{i}" for i in range(n)]
    rows = [(a, b, rng.choice(["retweet", "quote", "reply", "comment", "mention"]))
            for a in names for b in names if a != b and rng.random() < p]
    groups = {nm: rng.choice(["A", "B", "C"]) for nm in names if rng.random() < 0.8}
    return rows, groups


def test_group_pagerank_matches_networkx_personalised():
    rows, groups = _random_rows(5)
    ag = ag_from(rows, groups)
    ppr = group_pagerank(ag).set_index("key")
    assert list(ppr.columns) == ["A", "B", "C"]
    g = ag.to_networkx()
    for lab in ("A", "B", "C"):
        members = {f"twitter:{k}" for k, v in groups.items() if v == lab}
        pers = {k: (1.0 if k in members else 0.0) for k in g.nodes}
        ref = nx.pagerank(g, alpha=0.85, personalization=pers, weight="weight", tol=1e-13,
                          max_iter=2000)
        for k, v in ref.items():
            assert ppr.loc[k, lab] == pytest.approx(v, abs=1e-8)
        assert ppr[lab].sum() == pytest.approx(1.0)


def test_power_iteration_hits_matches_igraph():
    rows, _ = _random_rows(9, n=60)
    ag = ag_from(rows)
    hub, auth, iters = hits(ag)
    assert 0 < iters < 1000
    g = ag.graph
    ref_h = np.asarray(g.hub_score(weights="weight"))
    ref_a = np.asarray(g.authority_score(weights="weight"))
    assert np.allclose(hub, ref_h, atol=1e-6) and np.allclose(auth, ref_a, atol=1e-6)
    assert hub.max() == pytest.approx(1.0) and auth.max() == pytest.approx(1.0)


def test_reach_two_hops_hand_computed():
    rows = [("b", "a", "retweet"), ("c", "b", "retweet"), ("d", "c", "retweet"),
            ("e", "a", "comment"), ("f", "b", "quote"), ("g", "a", "mention"),
            ("h", "a", "retweet"), ("a", "h", "retweet"),  # a and h share each other
            ("i", "e", "reply")]  # a reply passes nothing on
    ag = ag_from(rows)
    r1, r2, method = reach(ag)
    assert method == "exact"
    keys = ag.accounts["key"].str.split(":").str[1].tolist()
    one = dict(zip(keys, r1.tolist(), strict=True))
    two = dict(zip(keys, r2.tolist(), strict=True))
    # a: carried by b, e (comment), h; then c, f carried b's content; a itself does not count
    assert one["a"] == 3 and two["a"] == 5
    assert one["b"] == 2 and two["b"] == 3  # c, f, then d
    assert one["h"] == 1 and two["h"] == 2  # a, then b (h carried a too, but h is h)
    assert one["g"] == 0 and two["g"] == 0
    assert one["e"] == 0  # a reply is not reach


def test_reach_sketch_estimates_the_exact_counts():
    rng = random.Random(2)
    names = [f"u{i}" for i in range(600)]
    weight = [1 + 30 * (i < 15) for i in range(600)]  # a few accounts everybody shares
    rows = []
    for a in names:
        for b in rng.choices(names, weights=weight, k=6):
            if a != b:
                rows.append((a, b, "retweet"))
    ag = ag_from(rows)
    r1, exact, m1 = reach(ag)
    _, est, m2 = reach(ag, budget=0)
    assert (m1, m2) == ("exact", "minhash")
    big = exact >= 50
    rel = (est[big] - exact[big]) / exact[big]
    assert abs(rel.mean()) < 0.05 and rel.std() < 0.2
    assert (est >= r1).all()
    top = set(np.argsort(-exact)[:10])
    assert len(top & set(np.argsort(-est)[:15])) >= 8


def test_group_influence_hand_computed():
    rows = [("a1", "a2", "retweet"), ("b1", "a2", "retweet"), ("b1", "a2", "quote"),
            ("x", "a2", "retweet")]
    ag = ag_from(rows, {"a1": "A", "a2": "A", "b1": "B"})
    gi = group_influence(ag).set_index("key")
    assert gi.loc["twitter:a2", "in_own_group"] == 1.0
    assert gi.loc["twitter:a2", "in_other_groups"] == 2.0  # x has no group: not counted
    assert np.isnan(gi.loc["twitter:x", "in_own_group"])
    infl = influence(ag).set_index("key")
    assert infl.loc["twitter:a2", "group_pagerank"] > infl.loc["twitter:a1", "group_pagerank"]
    assert np.isnan(infl.loc["twitter:x", "group_pagerank"])
    assert infl.attrs["reach2_method"] == "exact"
