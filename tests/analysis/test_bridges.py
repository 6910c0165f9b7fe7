"""Bridges, mixing and betweenness, hand-computed and against networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netmap.analysis.bridges import (
    assortativity,
    betweenness,
    bridges,
    ei_index,
    group_codes,
    mixing_matrix,
)
from netmap.analysis.project import actor_graph, build_actor_graph
from netmap.errors import UsageError

from .conftest import planted_ties, set_groups, share_graph

GROUPS = {"twitter:a1": "A", "twitter:a2": "A", "twitter:b1": "B", "twitter:b2": "B"}


@pytest.fixture
def small(store, builder):
    ties = [("a1", "a2"), ("a2", "a1"), ("a2", "a1"), ("a1", "b1"), ("b1", "b2"),
            ("x", "a1"), ("x", "b1"), ("x", "b1"), ("x", "b1"), ("u", "x")]
    share_graph(builder, ties)
    builder.write(store)
    set_groups(store, GROUPS)
    return actor_graph(store)


def groups_of(ag) -> pd.Series:
    return pd.Series(ag.accounts["group"].to_numpy(), index=ag.accounts["key"].to_numpy())


def test_cross_group_share_hand_computed(small):
    br = bridges(small, groups_of(small)).set_index("key")
    share = br["cross_group_share"]
    assert share["twitter:a1"] == pytest.approx(1 / 4)  # a2 3, b1 1; x has no group
    assert share["twitter:a2"] == 0.0
    assert share["twitter:b1"] == pytest.approx(1 / 2)  # a1 1, b2 1
    assert share["twitter:b2"] == 0.0
    assert share["twitter:x"] == pytest.approx(1 - 3 / 4)  # no group: share off its main group
    assert np.isnan(share["twitter:u"])  # tied only to an ungrouped account
    assert br["n_groups_touched"].to_dict() == {
        "twitter:a1": 2, "twitter:a2": 1, "twitter:b1": 2, "twitter:b2": 1,
        "twitter:u": 0, "twitter:x": 2,
    }
    assert br.attrs["basis"] == "group"
    # groups may also be given aligned with the vertices, and a dict-like Series
    aligned = bridges(small, small.accounts["group"].tolist())
    assert np.allclose(aligned["cross_group_share"], br["cross_group_share"].to_numpy(),
                       equal_nan=True)


def test_mixing_matrix_and_ei_hand_computed(small):
    groups = groups_of(small)
    mix = mixing_matrix(small, groups)
    assert mix.index.tolist() == ["A", "B"] and mix.columns.tolist() == ["A", "B"]
    assert mix.to_numpy().tolist() == [[3.0, 1.0], [0.0, 1.0]]
    ei = ei_index(small, groups).set_index("group")
    assert ei.loc["A", "internal"] == 3 and ei.loc["A", "external"] == 1
    assert ei.loc["A", "ei"] == pytest.approx((1 - 3) / 4)
    assert ei.loc["B", "ei"] == pytest.approx(0.0)
    assert ei["members"].tolist() == [2, 2]
    assert mixing_matrix(small, None).empty


def test_assortativity(small):
    groups = groups_of(small)
    sub = nx.DiGraph()
    for r in small.edges.itertuples():
        if r.src in GROUPS and r.dst in GROUPS:
            sub.add_edge(r.src, r.dst)
    nx.set_node_attributes(sub, GROUPS, "group")
    expected = nx.attribute_assortativity_coefficient(sub, "group")
    assert assortativity(small, groups, weighted=False) == pytest.approx(expected)
    keep = [i for i, k in enumerate(small.accounts["key"]) if k in GROUPS]
    sub_ig = small.graph.induced_subgraph(keep)
    types = [0 if GROUPS[k] == "A" else 1 for k in sub_ig.vs["name"]]
    assert assortativity(small, groups, weighted=False) == pytest.approx(
        sub_ig.assortativity_nominal(types, directed=True))
    # weighted, by hand: e = [[3, 1], [0, 1]] / 5, a = (.8, .2), b = (.6, .4)
    ab = 0.8 * 0.6 + 0.2 * 0.4
    assert assortativity(small, groups) == pytest.approx((0.8 - ab) / (1 - ab))
    # all grouped ties inside groups: perfectly assortative
    inside = groups.copy()
    inside["twitter:b1"] = "A"
    inside["twitter:b2"] = "A"
    assert np.isnan(assortativity(small, inside))  # one group only
    assert np.isnan(assortativity(small, None))


def test_group_codes_validation(small):
    with pytest.raises(UsageError):
        group_codes(small, ["A", "B"])
    codes, labels = group_codes(small, pd.Series({"twitter:a1": "A", "nobody": "C"}))
    assert labels == ["A"] and (codes >= 0).sum() == 1  # only groups among the vertices


def test_exact_betweenness_matches_networkx(small):
    bt, used = betweenness(small)
    assert used is None
    und = nx.Graph()
    und.add_nodes_from(small.accounts["key"])
    for r in small.edges.itertuples():
        w = und[r.src][r.dst]["weight"] if und.has_edge(r.src, r.dst) else 0.0
        und.add_edge(r.src, r.dst, weight=w + r.weight)
    for _, _, d in und.edges(data=True):
        d["dist"] = 1.0 / d["weight"]
    ref = nx.betweenness_centrality(und, weight="dist", normalized=True)
    for key, v in zip(small.accounts["key"], bt, strict=True):
        assert v == pytest.approx(ref[key], abs=1e-9)


def _frames_from_igraph(g) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Posts/accounts/edges frames where every igraph edge is one share."""
    n = g.vcount()
    acc = [f"twitter:v{i}" for i in range(n)]
    el = np.asarray(g.get_edgelist())
    orig = [f"twitter:p{i}" for i in range(n)]
    shares = [f"twitter:s{j}" for j in range(len(el))]
    posts = pd.DataFrame({"key": orig + shares, "platform": "twitter",
                          "kind": ["post"] * n + ["share"] * len(el), "created_at": None})
    edges = pd.DataFrame({
        "type": ["AUTHORED"] * (n + len(el)) + ["SHARES"] * len(el),
        "src_label": ["Account"] * (n + len(el)) + ["Post"] * len(el),
        "src": acc + [acc[s] for s in el[:, 0]] + shares,
        "dst_label": "Post",
        "dst": orig + shares + [orig[t] for t in el[:, 1]],
    })
    return posts, pd.DataFrame({"key": acc}), edges


def test_sampled_betweenness_close_to_exact():
    import random

    import igraph as ig

    ig.set_random_number_generator(random.Random(11))
    try:
        g = ig.Graph.Barabasi(2000, 3, directed=True)
    finally:
        ig.set_random_number_generator(random)
    ag = build_actor_graph(*_frames_from_igraph(g))
    assert ag.graph.vcount() == 2000
    exact, used = betweenness(ag, sample=10_000)
    assert used is None
    est, used = betweenness(ag, sample=300, seed=3)
    assert used == 300
    assert np.corrcoef(exact, est)[0, 1] > 0.95
    top_exact = set(np.argsort(-exact)[:20])
    top_est = set(np.argsort(-est)[:20])
    assert len(top_exact & top_est) >= 15
    # the estimate is unbiased: total betweenness within a few percent
    assert est.sum() == pytest.approx(exact.sum(), rel=0.1)
    # the default decides by size: a graph this small is computed exactly
    auto, used = betweenness(ag)
    assert used is None and np.allclose(auto, exact)
    with pytest.raises(UsageError):
        betweenness(ag, sample=0)


def test_planted_bridges_rank_first(store, builder):
    ties, truth = planted_ties([20, 20, 20], p_in=0.3, n_out=0, seed=2)
    camps = ["critic", "supporter", "boycott"]
    # bridges: each shares four posts of each of two camps
    plan = {"br0": (0, 1), "br1": (1, 2), "br2": (2, 0)}
    for name, (ga, gb) in plan.items():
        for g in (ga, gb):
            for i in range(4):
                ties.append((name, f"g{g}u{i}"))
    # peripheral accounts: one tie, straight across the divide
    for i in range(6):
        ties.append((f"peri{i}", f"g{(i + 1) % 3}u{i + 5}"))
    share_graph(builder, ties)
    builder.write(store)
    groups = {f"twitter:{n}": camps[g] for n, g in truth.items()}
    groups.update({f"twitter:peri{i}": camps[i % 3] for i in range(6)})
    groups.update({"twitter:br0": "critic", "twitter:br2": "boycott"})  # br1 unassigned
    set_groups(store, groups)
    ag = actor_graph(store)
    br = bridges(ag, groups_of(ag)).sort_values("bridge_score", ascending=False)
    assert set(br["key"].head(3)) == {"twitter:br0", "twitter:br1", "twitter:br2"}
    peri = br[br["key"].str.contains("peri")]
    assert (peri["cross_group_share"] == 1.0).all() and (peri["bridge_score"] == 0).all()
    assert (br.set_index("key").loc[["twitter:br0", "twitter:br1", "twitter:br2"],
                                   "n_groups_touched"] == 2).all()


def test_bridge_basis_falls_back_to_communities(small):
    membership = [0, 0, 1, 1, 1, 1]
    br = bridges(small, None, membership)
    assert br.attrs["basis"] == "community"
    assert np.isnan(br["cross_group_share"]).all()
    tie = np.nan_to_num(br["cross_community_share"])
    paths = br["brokerage"].to_numpy(dtype=float)
    flow = (paths - br["coordinator"] + 100 * tie) / (paths + 100)
    crossing = np.fmax(tie, flow)
    assert np.allclose(br["bridge_score"], np.sqrt(crossing * br["betweenness_rank"]))
    rank = br["betweenness_rank"].to_numpy()
    bt = br["betweenness"].to_numpy()
    assert (rank[bt == 0] == 0).all() and rank.max() == 1.0
    assert (rank[bt > 0] > 0).all()
    assert br.attrs["brokerage"]["direction"] == "flow"
    br_none = bridges(small)
    assert br_none.attrs["basis"] is None and br_none.attrs["brokerage"] is None
    assert np.allclose(br_none["bridge_score"], np.sqrt(br_none["betweenness_rank"]))


def test_participation_hand_computed(small):
    from netmap.analysis.bridges import participation

    p = dict(zip(small.accounts["key"], participation(small, groups_of(small)), strict=True))
    # a1: tie weight 3 to a2 (A) and 1 to b1 (B): 1 - (3/4)^2 - (1/4)^2
    assert p["twitter:a1"] == pytest.approx(1 - (3 / 4) ** 2 - (1 / 4) ** 2)
    assert p["twitter:a2"] == pytest.approx(0.0)
    # x: 1 to a1 (A), 3 to b1 (B); its tie from u has no group
    assert p["twitter:x"] == pytest.approx(1 - (1 / 4) ** 2 - (3 / 4) ** 2)
    assert np.isnan(p["twitter:u"])
    # over communities, as a membership aligned with the vertices
    by_comm = participation(small, [0, 0, 1, 1, 1, 1])
    assert np.all((by_comm[~np.isnan(by_comm)] >= 0) & (by_comm[~np.isnan(by_comm)] <= 0.5))
    assert np.isnan(participation(small, None)).all()
    br = bridges(small, groups_of(small), [0, 0, 1, 1, 1, 1]).set_index("key")
    assert br.loc["twitter:a1", "participation_group"] == pytest.approx(p["twitter:a1"])
