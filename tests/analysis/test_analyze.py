"""analyze() end to end: results written to accounts, read back through the tables."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from netmap.analysis import RESULT_COLUMNS, analyze
from netmap.analysis.tables import (
    ACCOUNT_COLUMNS,
    TOP_COLUMNS,
    accounts_table,
    communities_table,
    top,
)
from netmap.errors import AnalysisError, UsageError

from .conftest import planted_ties, set_groups, share_graph


@pytest.fixture
def campaign(store, builder):
    ties, truth = planted_ties([15, 10], p_in=0.35, n_out=0, seed=4)
    for i in range(3):  # the bridge shares both camps
        ties += [("bridge", f"g0u{i}"), ("bridge", f"g1u{i}")]
    share_graph(builder, ties)
    builder.account("twitter:silent")  # an account with nothing yet
    builder.write(store)
    camps = ["critic", "supporter"]
    set_groups(store, {f"twitter:{n}": camps[g] for n, g in truth.items()})
    return store


def test_analyze_writes_results(campaign):
    store = campaign
    with pytest.raises(AnalysisError, match="run `netmap analyze` first"):
        top(store, "influencers")
    with pytest.raises(AnalysisError, match="run `netmap analyze` first"):
        communities_table(store)
    res = analyze(store, seed=3)
    assert res.algorithm == "leiden"
    assert res.parameters["seed"] == 3 and res.parameters["resolution"] == 1.0
    assert res.fingerprint == res.actor_graph.fingerprint
    stages = {k for k in res.timings if "." not in k}
    assert stages == {"project", "communities", "influence", "bridges", "structural_holes",
                      "summary", "write"}
    parts = {k for k in res.timings if "." in k}
    assert {"influence.pagerank", "influence.hits", "influence.kcore", "bridges.betweenness",
            "bridges.brokerage"} <= parts
    assert res.cached is False and res.summary()["cached"] is False
    assert res.community.n_communities == 2
    assert res.written == res.actor_graph.graph.vcount() == 26
    meta = json.loads(store.meta("analysis"))
    assert meta["fingerprint"] == res.fingerprint
    assert meta["parameters"]["seed"] == 3 and meta["betweenness"] == "exact"
    assert meta["bridge_basis"] == "group"
    assert set(meta["timings"]) == set(res.timings)
    summary = res.summary()
    assert summary["accounts"] == 26 and summary["communities"] == 2
    assert json.loads(json.dumps(summary)) == summary  # plain data
    node = store.get_node("Account", "twitter:bridge")
    # every metric defined for an ungrouped account with ties (no group-relative ones)
    # (it only carries content, nobody carries its own: no two-path runs through it)
    undefined = {"community_agreement", "in_own_group", "in_other_groups", "group_pagerank",
                 "brokerage_cross_share"}
    for col in set(RESULT_COLUMNS) - undefined:
        assert col in node, col
    assert not undefined & set(node)
    member = store.get_node("Account", "twitter:g0u0")
    assert {"in_own_group", "in_other_groups", "group_pagerank"} <= set(member)
    assert isinstance(node["community"], int) and isinstance(node["pagerank"], float)
    assert node["brokerage"] == 0 and node["bridge_score"] > 0
    assert "community_agreement" not in node  # only with stability runs
    assert res.mixing.loc["critic", "supporter"] == 0  # only the (ungrouped) bridge crosses
    assert set(res.ei["group"]) == {"critic", "supporter"}
    assert res.assortativity == pytest.approx(1.0)


def test_accounts_table(campaign):
    store = campaign
    before = accounts_table(store)
    assert before.columns.tolist() == list(ACCOUNT_COLUMNS)
    assert before["pagerank"].isna().all() and len(before) == 27
    analyze(store)
    table = accounts_table(store)
    assert table.columns.tolist() == list(ACCOUNT_COLUMNS)
    assert len(table) == 27
    assert table["key"].iloc[-1] == "twitter:silent"  # listed, no metrics, last
    assert table.iloc[-1][["pagerank", "community", "bridge_score"]].isna().all()
    pr = table["pagerank"].dropna().to_numpy()
    assert (np.diff(pr) <= 0).all()
    assert table["community"].dtype == "Int64"
    row = table.set_index("key").loc["twitter:g0u0"]
    assert row["group"] == "critic" and row["group_source"] == "seed"
    assert row["platform"] == "twitter" and row["group_score"] == 1.0


def test_top_and_communities_table(campaign):
    store = campaign
    res = analyze(store)
    infl = top(store, "influencers", limit=5)
    assert len(infl) == 5
    expected = (res.accounts.sort_values(["indegree", "key"], ascending=[False, True])
                ["key"].head(5).tolist())
    assert infl["key"].tolist() == expected
    assert infl.columns.tolist() == list(TOP_COLUMNS["influencers"])
    assert infl["reach"].dtype == "Int64"
    br = top(store, "bridges", limit=3)
    assert br.columns.tolist() == list(TOP_COLUMNS["bridges"])
    assert br["key"].iloc[0] == "twitter:bridge"
    assert (np.diff(br["bridge_score"].to_numpy()) <= 0).all()
    critics = top(store, "influencers", group="critic", limit=50)
    assert len(critics) == 15 and (critics["group"] == "critic").all()
    with pytest.raises(UsageError, match="groups present: critic, supporter"):
        top(store, "bridges", group="boycott")
    with pytest.raises(UsageError):
        top(store, "followers")
    by_reach = top(store, "influencers", by="reach", limit=4)
    assert by_reach["reach"].tolist() == sorted(res.accounts["reach"], reverse=True)[:4]
    by_core = top(store, "bridges", by="coreness", limit=2)
    assert "coreness" in by_core.columns and by_core["coreness"].dtype == "Int64"
    with pytest.raises(UsageError, match="cannot rank by"):
        top(store, "influencers", by="followers")
    hubs = top(store, "hubs", limit=3)
    assert hubs.columns.tolist() == list(TOP_COLUMNS["hubs"])
    assert hubs["key"].tolist() == (res.accounts.sort_values(["hub", "key"],
                                                             ascending=[False, True])
                                    ["key"].head(3).tolist())
    brokers = top(store, "brokers", limit=3)
    assert (np.diff(brokers["brokerage"].to_numpy()) <= 0).all()
    assert brokers.columns.tolist() == list(TOP_COLUMNS["brokers"])
    least = top(store, "bridges", by="constraint", limit=3)
    assert (np.diff(least["constraint"].to_numpy()) >= 0).all()  # least constrained first
    comm = communities_table(store, limit_members=2)
    assert comm.columns.tolist() == ["id", "size", "top_members", "group_mix", "platforms",
                                     "top_urls", "top_hashtags", "top_posts"]
    assert comm["size"].sum() == 26
    assert comm.loc[0, "size"] >= comm.loc[1, "size"]
    assert all(len(m.split(", ")) == 2 for m in comm["top_members"])
    assert comm["group_mix"].str.contains("critic:15").any()
    assert comm["platforms"].str.startswith("twitter:").all()
    # the stored summary matches the one analyze() returned
    pd.testing.assert_series_equal(comm["size"], res.communities["size"], check_names=False)


def test_rerun_clears_stale_results(campaign, builder):
    store = campaign
    analyze(store)
    assert store.get_node("Account", "twitter:g0u0").get("pagerank") is not None
    # a window with no interaction by these accounts: their old values must go
    builder.tweet("late1", created_at="2014-01-01T00:00:00Z")
    builder.tweet("late2", retweet_of="twitter:1001", created_at="2014-01-02T00:00:00Z")
    builder.write(store)
    res = analyze(store, since="2014-01-01")
    keys = set(res.accounts["key"])
    assert "twitter:late2" in keys and "twitter:g0u5" not in keys
    node = store.get_node("Account", "twitter:g0u5")
    assert not set(RESULT_COLUMNS) & set(node)
    assert node["group"] == "critic"  # stance props untouched
    assert json.loads(store.meta("analysis"))["parameters"]["since"] == "2014-01-01T00:00:00Z"


def test_analyze_is_cached_until_data_groups_or_parameters_change(campaign, builder):
    store = campaign
    first = analyze(store, seed=3)
    assert not first.cached
    again = analyze(store, seed=3)
    assert again.cached and again.actor_graph is None
    summary = again.summary()
    assert summary["cached"] is True and summary["fingerprint"] == first.fingerprint
    assert summary["accounts"] == 26 and "cache_key" not in summary
    assert analyze(store, seed=3, force=True).cached is False
    assert analyze(store, seed=4).cached is False  # other parameters
    assert analyze(store, seed=4).cached is True
    set_groups(store, {"twitter:bridge": "critic"})  # stance changed: bridges change
    assert analyze(store, seed=4).cached is False
    builder.tweet("newcomer", retweet_of="twitter:1001")  # new data
    builder.write(store)
    res = analyze(store, seed=4)
    assert not res.cached and "twitter:newcomer" in set(res.accounts["key"])


def test_analyze_with_stability_runs(campaign):
    res = analyze(campaign, stability_runs=3, seed=1)
    assert res.algorithm == "consensus-leiden"
    assert res.community.parameters["seeds"] == [1, 2, 3]
    agreement = res.accounts["community_agreement"].to_numpy()
    assert agreement.shape == (26,) and (agreement > 0).all() and (agreement <= 1).all()
    assert campaign.get_node("Account", "twitter:g0u0")["community_agreement"] > 0
    assert "stability_nmi" in res.summary()


def test_analyze_empty_store(store):
    with pytest.raises(AnalysisError, match="netmap collect"):
        analyze(store)


def test_analyze_without_groups_uses_communities(store, builder):
    ties, _ = planted_ties([8, 8], p_in=0.5, n_out=2, seed=9)
    share_graph(builder, ties)
    builder.write(store)
    res = analyze(store, betweenness_sample=5)
    assert res.extra["bridge_basis"] == "community"
    assert res.betweenness_sample == 5
    assert np.isnan(res.assortativity) and res.mixing.empty
    assert "sampled from 5 sources" in res.summary()["betweenness"]
    assert top(store, "bridges")["bridge_score"].notna().all()
