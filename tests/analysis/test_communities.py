"""Community detection: planted groups recovered, determinism, summaries."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest

from netmap.analysis.communities import (
    community_summary,
    detect_communities,
    format_mix,
    stability,
)
from netmap.analysis.project import actor_graph
from netmap.analysis.results import nmi
from netmap.errors import UsageError

from .conftest import planted_ties, set_groups, share_graph


@pytest.fixture
def planted(store, builder):
    ties, truth = planted_ties([30, 20, 12], p_in=0.3, n_out=8, seed=1)
    share_graph(builder, ties)
    builder.write(store)
    ag = actor_graph(store)
    labels = [truth[k.split(":", 1)[1]] for k in ag.accounts["key"]]
    return ag, labels


@pytest.mark.parametrize("method", ["leiden", "louvain"])
def test_planted_groups_recovered(planted, method):
    ag, labels = planted
    res = detect_communities(ag, seed=42, method=method)
    assert nmi(res.membership, labels) == pytest.approx(1.0)
    assert ig.compare_communities(res.membership.tolist(), labels, method="nmi") == (
        pytest.approx(1.0)
    )
    assert res.n_communities == 3
    assert res.sizes().tolist() == [30, 20, 12]  # renumbered by size: 0 is the largest
    assert res.algorithm == method
    assert res.parameters["resolution"] == 1.0 and res.parameters["seed"] == 42
    assert res.fingerprint == ag.fingerprint
    assert 0.3 < res.modularity < 1.0
    assert stability(ag, seeds=(1, 2, 3), method=method) == pytest.approx(1.0)


def test_same_seed_same_partition(store, builder):
    # a graph with no clear structure, where the random order matters
    ties, _ = planted_ties([60], p_in=0.06, n_out=0, seed=5)
    share_graph(builder, ties)
    builder.write(store)
    ag = actor_graph(store)
    runs = [detect_communities(ag, seed=7).membership for _ in range(3)]
    assert all(np.array_equal(runs[0], r) for r in runs[1:])
    others = {tuple(detect_communities(ag, seed=s).membership) for s in range(8)}
    assert len(others) > 1, "the seed should matter on a structureless graph"
    assert stability(ag, seeds=range(4)) < 1.0
    # igraph draws from the `random` module again afterwards (not from our seeded copy)
    import random

    random.seed(1)
    g1 = ig.Graph.Erdos_Renyi(30, 0.3).get_edgelist()
    random.seed(1)
    g2 = ig.Graph.Erdos_Renyi(30, 0.3).get_edgelist()
    assert g1 == g2


def test_resolution_and_bad_arguments(planted):
    ag, _ = planted
    coarse = detect_communities(ag, resolution=0.05)
    fine = detect_communities(ag, resolution=5.0)
    assert coarse.n_communities < fine.n_communities
    with pytest.raises(UsageError):
        detect_communities(ag, method="girvan")
    with pytest.raises(UsageError):
        detect_communities(ag, resolution=0)


def test_nmi_helper_matches_igraph():
    rng = np.random.default_rng(0)
    for _ in range(20):
        a = rng.integers(0, 4, 50)
        b = rng.integers(0, 6, 50)
        assert nmi(a, b) == pytest.approx(ig.compare_communities(a.tolist(), b.tolist(),
                                                                 method="nmi"))
    assert nmi(["x", "x", "y"], [1, 1, 2]) == 1.0
    assert nmi([0, 0, 0], [1, 1, 1]) == 1.0
    with pytest.raises(ValueError):
        nmi([0, 1], [0])


def test_community_summary(store, builder, planted):
    ag, labels = planted
    groups = {k: ("critic" if lab == 0 else "boycott")
              for k, lab in zip(ag.accounts["key"], labels, strict=True) if lab in (0, 1)}
    set_groups(store, groups)
    ag = actor_graph(store)
    res = detect_communities(ag)
    pr = np.asarray(ag.graph.pagerank(weights="weight"))
    summary = community_summary(ag, res, scores=pr, top_n=3)
    assert summary.columns.tolist() == ["id", "size", "top_members", "group_mix", "platforms"]
    assert summary["size"].tolist() == [30, 20, 12]
    assert summary["group_mix"].tolist() == ["critic:30", "boycott:20", ""]
    assert summary["platforms"].tolist() == ["twitter:30", "twitter:20", "twitter:12"]
    members0 = np.flatnonzero(res.membership == 0)
    best = members0[np.argsort(-pr[members0], kind="stable")][:3]
    assert summary.loc[0, "top_members"] == ", ".join(ag.accounts["key"].iloc[best])
    # without scores: weighted degree
    assert len(community_summary(ag, res)) == 3


def test_format_mix():
    import pandas as pd

    assert format_mix(pd.Series(["critic", "boycott", "critic", None, ""])) == (
        "critic:2, boycott:1"
    )
    assert format_mix(pd.Series([], dtype=object)) == ""


# -- CPM, consensus over seeds, hierarchy ------------------------------------------------

from netmap.analysis.communities import consensus, hierarchy  # noqa: E402


def test_cpm_objective(planted):
    ag, labels = planted
    # weighted CPM: a community must be denser than `resolution` weight per pair of members;
    # the planted groups have p_in = 0.3 share ties per ordered pair, about 0.6 per pair
    res = detect_communities(ag, objective="cpm", resolution=0.1, seed=3)
    assert nmi(res.membership, labels) == pytest.approx(1.0)
    assert res.parameters["objective"] == "cpm" and res.algorithm == "leiden"
    dense = detect_communities(ag, objective="cpm", resolution=2.0, seed=3)
    assert dense.n_communities > 20  # denser than any group: mostly singletons
    with pytest.raises(UsageError, match="louvain optimises modularity only"):
        detect_communities(ag, method="louvain", objective="cpm")
    with pytest.raises(UsageError):
        detect_communities(ag, objective="surprise")


def test_consensus_on_planted_groups(planted):
    ag, labels = planted
    cons = consensus(ag, seeds=(1, 2, 3))
    assert nmi(cons.membership, labels) == pytest.approx(1.0)
    assert np.allclose(cons.agreement, 1.0) and cons.pairwise_nmi == pytest.approx(1.0)
    assert len(cons.partitions) == 3
    assert cons.algorithm == "consensus-leiden" and cons.parameters["seeds"] == [1, 2, 3]
    with pytest.raises(UsageError):
        consensus(ag, seeds=(1,))


def test_consensus_flags_unstable_accounts(store, builder):
    ties, _ = planted_ties([60], p_in=0.06, n_out=0, seed=5)
    share_graph(builder, ties)
    builder.write(store)
    ag = actor_graph(store)
    cons = consensus(ag, seeds=range(6))
    assert cons.pairwise_nmi < 1.0
    assert cons.agreement.min() < 0.9 and cons.agreement.max() <= 1.0
    again = consensus(ag, seeds=range(6))
    assert np.array_equal(cons.membership, again.membership)  # reproducible
    assert np.allclose(cons.agreement, again.agreement)


def test_hierarchy_levels_nest(store, builder):
    # two blocks of two planted groups each: the levels should find 4 then 2
    ties, truth = planted_ties([12, 12, 12, 12], p_in=0.5, n_out=0, seed=8)
    import random

    rng = random.Random(1)
    for _ in range(25):  # many ties within each block, few between blocks
        for a, b in ((0, 1), (2, 3)):
            ties.append((f"g{a}u{rng.randrange(12)}", f"g{b}u{rng.randrange(12)}"))
    ties.append(("g0u0", "g2u0"))
    share_graph(builder, ties)
    builder.write(store)
    ag = actor_graph(store)
    for method in ("leiden", "louvain"):
        h = hierarchy(ag, method=method, seed=2)
        assert len(h.levels) >= 2, method
        ks = [int(lev.max()) + 1 for lev in h.levels]
        assert ks == sorted(ks, reverse=True) and ks[-1] < ks[0]
        for fine, coarse in zip(h.levels, h.levels[1:], strict=False):
            # nested: every fine community sits inside one coarse community
            pairs = {(f, c) for f, c in zip(fine.tolist(), coarse.tolist(), strict=True)}
            assert len({f for f, _ in pairs}) == len(pairs)
        frame = h.frame(ag.accounts["key"])
        assert frame.columns.tolist()[:2] == ["key", "level_0"]
    lev = hierarchy(ag, seed=2)
    labels = [truth[k.split(":", 1)[1]] for k in ag.accounts["key"]]
    blocks = [label // 2 for label in labels]
    assert nmi(lev.levels[0], labels) == pytest.approx(1.0)
    assert any(nmi(level, blocks) == pytest.approx(1.0) for level in lev.levels[1:])
    assert lev.resolutions[0] == 1.0 and lev.resolutions[1] < 1.0
