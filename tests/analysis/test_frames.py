"""Interaction records -> store-shaped frames -> the same actor graph as a store gives."""

from __future__ import annotations

import pandas as pd
import pytest

from netmap.analysis.frames import interaction_frames
from netmap.analysis.project import actor_graph, build_actor_graph
from netmap.errors import UsageError

from .conftest import share_graph
from .test_project import ties


def test_same_ties_as_through_a_store(store, builder):
    pairs = [("a", "b"), ("a", "b"), ("c", "b"), ("b", "c"), ("d", "a")]
    share_graph(builder, pairs)
    builder.write(store)
    via_store = ties(actor_graph(store))
    df = pd.DataFrame({"src": [f"twitter:{s}" for s, _ in pairs],
                       "dst": [f"twitter:{d}" for _, d in pairs], "kind": "retweet"})
    via_frames = ties(build_actor_graph(*interaction_frames(df)))
    assert set(via_frames) == set(via_store)
    for k, row in via_store.items():
        for col in ("weight", "n_share", "cross_platform"):
            assert via_frames[k][col] == row[col], (k, col)


def test_kinds_platforms_and_windows():
    df = pd.DataFrame({
        "src": ["twitter:a", "blog:x.tj/b", "twitter:a", "twitter:c", "twitter:c"],
        "dst": ["blog:x.tj/b", "twitter:a", "twitter:c", "twitter:a", "twitter:a"],
        "kind": ["urlshare", "comment", "mention", "reply", "quote"],
        "created_at": ["2013-11-01T10:00:00Z", "2013-11-02T10:00:00Z", "2013-11-03T10:00:00Z",
                       "2013-11-04T10:00:00Z", "2013-11-05T10:00:00Z"],
    })
    posts, accounts, edges = interaction_frames(df)
    assert len(posts) == 3 + 5 and set(accounts["key"]) == {"twitter:a", "twitter:c",
                                                            "blog:x.tj/b"}
    assert accounts.set_index("key").loc["blog:x.tj/b", "platform"] == "blog"
    t = ties(build_actor_graph(posts, accounts, edges))
    assert t[("twitter:a", "blog:x.tj/b")]["n_share"] == 1
    assert t[("twitter:a", "blog:x.tj/b")]["cross_platform"]
    assert t[("blog:x.tj/b", "twitter:a")]["n_comment"] == 1
    assert t[("twitter:a", "twitter:c")]["n_mention"] == 1
    assert (t[("twitter:c", "twitter:a")]["n_reply"], t[("twitter:c", "twitter:a")]["n_quote"]) \
        == (1, 1)
    win = build_actor_graph(posts, accounts, edges, since="2013-11-03T00:00:00Z",
                            until="2013-11-05T00:00:00Z")
    assert set(ties(win)) == {("twitter:a", "twitter:c"), ("twitter:c", "twitter:a")}
    with pytest.raises(UsageError, match="unknown interaction kind"):
        interaction_frames(df.assign(kind="like"))
    with pytest.raises(UsageError):
        interaction_frames(df.drop(columns="kind"))
