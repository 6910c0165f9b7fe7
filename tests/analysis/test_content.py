"""Community content (top URLs, hashtags, posts) and bridging posts/URLs, from a store."""

from __future__ import annotations

import numpy as np
import pytest

from netmap.analysis.content import bridging_content, community_content, format_counts
from netmap.analysis.project import actor_graph
from netmap.errors import UsageError

from .conftest import set_groups

GROUPS = {"twitter:c1": "critic", "twitter:c2": "critic", "twitter:s1": "supporter",
          "twitter:s2": "supporter", "blog:alpha.tj/ali": "critic"}


@pytest.fixture
def campaign(store, builder):
    b = builder
    post = b.blog_post("alpha.tj", "ali", "election", created_at="2013-11-01T10:00:00Z")
    t1 = b.tweet("c1", links=("https://news.tj/a",), created_at="2013-11-02T10:00:00Z")
    b.tag(t1, "vybory")
    t2 = b.tweet("c2", links=("https://news.tj/a?utm_source=tw",),
                 created_at="2013-11-02T11:00:00Z")
    b.tag(t2, "vybory")
    b.tag(t2, "fraud")
    t3 = b.tweet("s1", links=("https://news.tj/b", "https://alpha.tj/election"),
                 created_at="2013-11-03T10:00:00Z")
    b.tag(t3, "stability")
    b.tweet("s2", retweet_of=t1, created_at="2013-11-03T11:00:00Z")
    b.tweet("c2", retweet_of=t1, created_at="2013-11-03T12:00:00Z")
    b.comment("alpha.tj", "twitter:c1", post, created_at="2013-11-04T10:00:00Z")
    b.tweet("s2", retweet_of=t3, created_at="2013-11-05T10:00:00Z")
    b.write(store)
    set_groups(store, GROUPS)
    return store, {"post": post, "t1": t1, "t3": t3}


def test_bridging_content(campaign):
    store, keys = campaign
    res = bridging_content(store)
    assert res.columns.tolist() == ["key", "label", "url", "author", "author_group",
                                    "n_accounts", "n_groups", "groups", "entropy"]
    rows = res.set_index("key")
    # c1's tweet: retweeted by s2 (supporter) and c2 (critic)
    assert rows.loc[keys["t1"], "groups"] == "critic:1, supporter:1"
    assert rows.loc[keys["t1"], "entropy"] == pytest.approx(1.0)
    assert rows.loc[keys["t1"], "author"] == "twitter:c1"
    assert rows.loc[keys["t1"], "author_group"] == "critic"
    # ali's post: shared by s1 (its link, folded into a share), commented by c1
    assert rows.loc[keys["post"], "n_groups"] == 2
    assert rows.loc[keys["post"], "label"] == "Post"
    assert rows.loc[keys["post"], "url"] == "https://alpha.tj/election"
    # news.tj/a: both critics only (the utm variant is the same URL); s1's post: supporters only
    assert "news.tj/a" not in rows.index and keys["t3"] not in rows.index
    assert set(rows.index) == {keys["t1"], keys["post"]}
    single = bridging_content(store, min_groups=1).set_index("key")
    assert single.loc["news.tj/a", "n_accounts"] == 2
    assert single.loc["news.tj/a", "entropy"] == 0.0
    assert single.loc["news.tj/a", "label"] == "Url"
    assert single.loc["news.tj/a", "url"] == "news.tj/a"  # canonical: the utm variant too
    # the window applies to the engaging posts
    late = bridging_content(store, since="2013-11-03T11:30:00Z", min_groups=1)
    assert set(late["key"]) == {keys["t1"], keys["post"], keys["t3"]}
    assert bridging_content(store, limit=1)["key"].tolist() == [res["key"].iloc[0]]
    with pytest.raises(UsageError):
        bridging_content(store, types=("FOLLOWS",))
    with pytest.raises(UsageError):
        bridging_content(store, since="last week")


def test_community_content(campaign):
    store, keys = campaign
    ag = actor_graph(store)
    critic = {"twitter:c1", "twitter:c2", "blog:alpha.tj/ali"}
    membership = np.array([0 if k in critic else 1 for k in ag.accounts["key"]])
    res = community_content(store, ag, membership, top_n=2).set_index("id")
    # links and shares (a retweet shares a post): by distinct members
    assert res.loc[0, "top_urls"] == f"news.tj/a (2), {keys['t1']} (1)"
    assert res.loc[0, "top_hashtags"] == "#vybory (2), #fraud (1)"
    # ali's post carried by s1 and c1, c1's tweet by s2 and c2: 2 accounts each
    assert res.loc[0, "top_posts"] == f"https://alpha.tj/election (2), {keys['t1']} (2)"
    assert res.loc[1, "top_urls"] == "https://alpha.tj/election (1), news.tj/b (1)"
    assert res.loc[1, "top_posts"] == f"{keys['t3']} (1)"  # s2 retweeted s1
    assert res.loc[1, "top_hashtags"] == "#stability (1)"
    assert format_counts(["a", "b"], [3, 1]) == "a (3), b (1)"
