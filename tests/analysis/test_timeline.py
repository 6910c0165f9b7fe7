"""Activity over time, period slicing and the comparison of two periods."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netmap.analysis.frames import interaction_frames
from netmap.analysis.project import build_actor_graph
from netmap.analysis.timeline import (
    activity,
    compare_graphs,
    compare_periods,
    match_communities,
    parse_period,
)
from netmap.errors import UsageError
from netmap.synth import generate_graph

from .conftest import set_groups


def test_parse_period():
    assert parse_period("2013-10-01..2013-10-15") == ("2013-10-01T00:00:00Z",
                                                      "2013-10-15T00:00:00Z")
    assert parse_period("2013-10-01..") == ("2013-10-01T00:00:00Z", None)
    assert parse_period("..2013-10-15T12:00:00+05:00") == (None, "2013-10-15T07:00:00Z")
    assert parse_period("2013-10-01") == ("2013-10-01T00:00:00Z", "2013-10-02T00:00:00Z")
    for bad in ("", "2013-10-15..2013-10-01", "yesterday..today"):
        with pytest.raises(UsageError):
            parse_period(bad)


@pytest.fixture
def dated(store, builder):
    b = builder
    b.tweet("c1", created_at="2013-11-01T10:00:00Z")
    b.tweet("c1", created_at="2013-11-01T23:59:59Z")
    b.tweet("c2", created_at="2013-11-02T00:00:00Z")
    b.tweet("s1", created_at="2013-11-01T09:00:00Z", platform="telegram")
    b.tweet("n1", created_at="2013-11-08T09:00:00Z")
    b.blog_post("alpha.tj", "ali", "x", created_at="2013-11-02T10:00:00Z")
    b.batch.node("Post", "twitter:undated", platform="twitter", kind="post")
    b.batch.edge("AUTHORED", "Account", "twitter:c1", "Post", "twitter:undated")
    b.write(store)
    set_groups(store, {"twitter:c1": "critic", "twitter:c2": "critic",
                       "telegram:s1": "supporter", "blog:alpha.tj/ali": "critic"})
    return store


def test_activity_by_group_and_platform(dated):
    t = activity(dated)
    assert t.columns.tolist() == ["period", "critic", "supporter", "(none)", "total"]
    rows = t.set_index("period")
    assert rows.loc["2013-11-01"].tolist() == [2, 1, 0, 3]
    assert rows.loc["2013-11-02"].tolist() == [2, 0, 0, 2]  # c2's tweet and ali's post
    assert rows.loc["2013-11-08"].tolist() == [0, 0, 1, 1]
    assert t.attrs["undated"] == 1
    p = activity(dated, by="platform").set_index("period")
    assert p.columns.tolist() == ["blog", "telegram", "twitter", "total"]
    assert p.loc["2013-11-01"].tolist() == [0, 1, 2, 3]
    w = activity(dated, freq="week").set_index("period")
    assert w.index.tolist() == ["2013-10-28", "2013-11-04"]  # Mondays
    assert w["total"].tolist() == [5, 1]
    m = activity(dated, freq="month")
    assert m["period"].tolist() == ["2013-11-01"] and m["total"].tolist() == [6]
    acc = activity(dated, count="accounts").set_index("period")
    assert acc.loc["2013-11-01", "critic"] == 1 and acc.loc["2013-11-01", "total"] == 2
    win = activity(dated, since="2013-11-02", until="2013-11-03")
    assert win["period"].tolist() == ["2013-11-02"] and win["total"].tolist() == [2]
    with pytest.raises(UsageError):
        activity(dated, by="community")
    with pytest.raises(UsageError):
        activity(dated, since="soon")


def test_match_communities():
    a = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    b = np.array([1, 1, 1, 0, 0, 2, 2, 2])
    m = match_communities(a, b).set_index("community2")
    assert m["community1"].tolist() == [1, 0, 2]
    assert m.loc[1, "overlap"] == 3 and m.loc[1, "jaccard"] == pytest.approx(1.0)
    assert m.loc[2, "jaccard"] == pytest.approx(2 / 3)  # {6, 7} of {5, 6, 7}
    assert m.attrs["method"] == "hungarian"


@pytest.fixture
def two_periods(store, builder):
    """Camps A and B retweet inside themselves; `sw` changes camp in November."""
    import random

    rng = random.Random(3)
    camps = {"A": [f"a{i}" for i in range(8)] + ["sw"], "B": [f"b{i}" for i in range(8)]}
    originals = {}
    for names in camps.values():
        for n in names:
            originals[n] = builder.tweet(n, created_at="2013-10-01T08:00:00Z")
    for month, day0 in (("10", 2), ("11", 2)):
        for names in camps.values():
            members = [n for n in names if n != "sw"]
            for a in members:
                for b in rng.sample(members, 4):
                    if a != b:
                        builder.tweet(a, retweet_of=originals[b],
                                      created_at=f"2013-{month}-{day0 + rng.randrange(20):02d}T10:00:00Z")
        side = camps["A"][:8] if month == "10" else camps["B"]
        for b in side[:6]:
            builder.tweet("sw", retweet_of=originals[b], created_at=f"2013-{month}-05T10:00:00Z")
            builder.tweet(b, retweet_of=originals["sw"], created_at=f"2013-{month}-06T10:00:00Z")
    builder.write(store)
    set_groups(store, {f"twitter:{n}": c for c, names in camps.items() for n in names})
    return store


def test_compare_periods_finds_the_switcher(two_periods):
    cmp = compare_periods(two_periods, "2013-10-02..2013-11-01", "2013-11-01..2013-12-01",
                          min_strength=1.0)
    acc = cmp.accounts.set_index("key")
    sw = acc.loc["twitter:sw"]
    assert (sw["leaning1"], sw["leaning2"], sw["changed_side"]) == ("A", "B", True)
    assert sw["moved"]
    others = acc.drop(index="twitter:sw")
    assert not others["changed_side"].any() and not others["moved"].any()
    assert (others["leaning1"] == others["group"]).all()
    summary = cmp.summary()
    assert summary["communities"] == [2, 2] and summary["matched_communities"] == 2
    assert summary["changed_side"] == 1 and summary["in_both"] == 17
    assert cmp.community_map["jaccard"].min() > 0.8
    assert cmp.periods[0] == ("2013-10-02T00:00:00Z", "2013-11-01T00:00:00Z")
    with pytest.raises(UsageError, match="period2 holds no interaction"):
        compare_periods(two_periods, "2013-10-02..2013-11-01", "2014-01-01..2014-02-01")


def test_planted_periods_recovered():
    edges, truth = generate_graph(6000, seed=3, periods=2, switchers=20, new_bridges=6)
    acc = pd.DataFrame({"key": list(truth["accounts"]), "group": list(truth["accounts"].values())})
    frames = interaction_frames(edges, acc)
    (a0, a1), (b0, b1) = truth["periods"]["bounds"]
    ag1 = build_actor_graph(*frames, since=a0, until=a1, edge_attributes=False)
    ag2 = build_actor_graph(*frames, since=b0, until=b1, edge_attributes=False)
    cmp = compare_graphs(ag1, ag2, seed=1)
    res = cmp.accounts.set_index("key")
    switchers = set(truth["periods"]["switchers"])
    flagged = set(res.index[res["changed_side"]])
    assert len(flagged & switchers) >= 0.8 * len(switchers)
    assert len(flagged & switchers) >= 0.8 * len(flagged)
    for key, (before, after) in truth["periods"]["switchers"].items():
        if key in flagged:
            assert (res.loc[key, "leaning1"], res.loc[key, "leaning2"]) == (before, after)
    new = set(truth["periods"]["new_bridges"])
    assert len(set(res.index[res["became_bridge"]]) & new) >= 0.5 * len(new)
