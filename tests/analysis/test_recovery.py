"""Planted structure recovered by the full pipeline on netmap synth (generate_graph).

The done-when figures at scale are in benchmarks/RESULTS.md (benchmarks/analysis.py);
this runs the same checks on 10,000 accounts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmap.analysis import run_analysis
from netmap.analysis.frames import interaction_frames
from netmap.analysis.project import build_actor_graph
from netmap.analysis.results import nmi
from netmap.synth import generate_graph


@pytest.fixture(scope="module")
def planted():
    edges, truth = generate_graph(10_000, seed=11, brokers=15)
    acc = pd.DataFrame({"key": list(truth["accounts"]), "group": list(truth["accounts"].values())})
    ag = build_actor_graph(*interaction_frames(edges, acc), edge_attributes=False)
    return run_analysis(ag, seed=1), truth


def test_synth_brokers_option():
    edges, truth = generate_graph(2000, seed=4, brokers=6)
    plain, plain_truth = generate_graph(2000, seed=4)
    assert "brokers" not in plain_truth and "brokers" not in plain_truth["params"]
    assert truth["params"]["brokers"] == 6
    roles = [b["role"] for b in truth["brokers"].values()]
    assert sorted(roles) == ["gatekeeper"] * 2 + ["liaison"] * 2 + ["representative"] * 2
    for key, b in truth["brokers"].items():
        assert truth["accounts"][key] == b["group"]
        if b["role"] == "gatekeeper":
            assert b["to"] == b["group"] != b["from"]
        elif b["role"] == "representative":
            assert b["from"] == b["group"] != b["to"]
        else:
            assert len({b["group"], b["from"], b["to"]}) == 3
        carried = edges[edges["src"] == key]["dst"].map(truth["accounts"])
        assert (carried == b["from"]).sum() >= 60  # 100 retweets, minus its own
    # the planted graph is the default one plus the brokers' retweets
    assert len(edges) > len(plain)


def test_synth_periods_option():
    edges, truth = generate_graph(4000, seed=4, periods=2, switchers=16, new_bridges=3)
    assert edges.columns.tolist() == ["src", "dst", "type", "kind", "period", "created_at"]
    bounds = truth["periods"]["bounds"]
    for k, (lo, hi) in enumerate(bounds):
        times = edges.loc[edges["period"] == k, "created_at"]
        assert times.min() >= lo and times.max() < hi
    assert len(truth["periods"]["switchers"]) == 16 and len(truth["periods"]["new_bridges"]) == 3
    switchers = truth["periods"]["switchers"]
    for key, (before, after) in switchers.items():
        assert before == truth["accounts"][key] != after
    # after the switch, what they retweet comes from their new group
    late = edges[edges["src"].astype(str).isin(list(switchers)) & (edges["period"] == 1)
                 & (edges["kind"] == "retweet")]
    new_group = late["src"].astype(str).map(lambda k: switchers[k][1])
    assert len(late) >= 20
    assert (late["dst"].astype(str).map(truth["accounts"]) == new_group).mean() > 0.6
    from netmap.errors import UsageError

    with pytest.raises(UsageError):
        generate_graph(2000, seed=4, switchers=3)


def test_communities_recovered(planted):
    res, truth = planted
    keys = res.accounts["key"]
    labels = [truth["accounts"][k] for k in keys]
    assert nmi(res.community.membership, labels) >= 0.9


def test_planted_brokers_rank_first_by_bridge_score(planted):
    res, truth = planted
    top = res.accounts.nlargest(10, "bridge_score")["key"]
    assert top.isin(list(truth["brokers"])).mean() >= 0.8
    acc = res.accounts.set_index("key")
    for key, b in truth["brokers"].items():  # each broker's planted role is its main one
        roles = acc.loc[key, [f"broker_{r}" for r in ("liaison", "gatekeeper",
                                                      "representative")]]
        assert roles.idxmax() == f"broker_{b['role']}", key


def test_planted_hubs_lead_their_group_by_indegree(planted):
    res, truth = planted
    acc = res.accounts.assign(group=lambda d: d["key"].map(truth["accounts"]))
    found = 0
    for _, members in acc.groupby("group"):
        top = set(members.nlargest(10, "indegree")["key"])
        found += len(top & set(truth["hubs"]))
    assert found / len(truth["hubs"]) >= 0.9


def test_every_metric_is_filled(planted):
    res, _ = planted
    acc = res.accounts
    for col in ("pagerank", "hub", "authority", "coreness", "reach", "reach2",
                "group_pagerank", "betweenness", "participation_group", "constraint",
                "effective_size", "brokerage", "bridge_score"):
        assert acc[col].notna().mean() > 0.95, col
    assert np.isfinite(res.assortativity) and (res.ei["ei"] < 0).all()
