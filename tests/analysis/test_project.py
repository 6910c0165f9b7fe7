"""The actor-graph projection, checked against hand-computed ties."""

from __future__ import annotations

import pandas as pd
import pytest

from netmap.analysis.project import (
    DEFAULT_WEIGHTS,
    INTERACTION_TYPES,
    actor_graph,
    build_actor_graph,
)
from netmap.errors import UsageError

from .conftest import GraphBuilder

ALI, BOB, DAVE = "blog:alpha.tj/ali", "blog:beta.tj/bob", "blog:alpha.tj/dave"
CAROL, ERIN, FRANK = "twitter:carol", "twitter:erin", "twitter:frank"


def scenario(b: GraphBuilder) -> dict[str, str]:
    """A blog post, its comments, a tweet sharing it, a retweet, a quote and a reply."""
    pa = b.blog_post("alpha.tj", "ali", "election", created_at="2013-11-01T10:00:00Z")
    b.blog_post("beta.tj", "bob", "answer", created_at="2013-11-03T10:00:00Z",
                links=("https://alpha.tj/election", "https://alpha.tj/about"))
    b.blog_post("gamma.tj", "gus", "quiet", created_at="2013-10-01T10:00:00Z")
    b.comment("alpha.tj", CAROL, pa, created_at="2013-11-01T11:00:00Z")
    b.comment("alpha.tj", DAVE, pa, created_at="2013-11-01T12:00:00Z")
    b.comment("alpha.tj", ALI, pa, created_at="2013-11-01T13:00:00Z")  # self: dropped
    t1 = b.tweet("carol", links=("https://alpha.tj/election?utm_source=tw",),
                 created_at="2013-11-02T09:00:00Z")
    b.tweet("erin", retweet_of=t1, created_at="2013-11-02T10:00:00Z")
    t3 = b.tweet("erin", quote_of=t1, created_at="2013-11-04T10:00:00Z")
    b.tweet("frank", reply_to=t3, mentions=(CAROL,), created_at="2013-11-05T10:00:00Z")
    b.account("twitter:lurker")  # neither posts nor interactions: not a vertex
    return {"pa": pa}


def ties(ag) -> dict[tuple[str, str], dict]:
    return {(r["src"], r["dst"]): r for r in ag.edges.to_dict("records")}


def test_projection_hand_computed(store, builder):
    scenario(builder).keys()
    builder.write(store)
    ag = actor_graph(store)
    t = ties(ag)
    assert set(t) == {(CAROL, ALI), (DAVE, ALI), (BOB, ALI), (ERIN, CAROL), (FRANK, CAROL),
                      (FRANK, ERIN)}
    # carol commented on ali's post and tweeted its link (a share after reconcile)
    assert t[(CAROL, ALI)]["weight"] == pytest.approx(0.5 + 1.0)
    assert (t[(CAROL, ALI)]["n_comment"], t[(CAROL, ALI)]["n_share"]) == (1, 1)
    assert t[(CAROL, ALI)]["cross_platform"] is True
    assert t[(DAVE, ALI)]["weight"] == pytest.approx(0.5)
    assert t[(DAVE, ALI)]["cross_platform"] is False
    # bob links to ali's post (link) and to another page of ali's blog (site_link)
    assert t[(BOB, ALI)]["weight"] == pytest.approx(1.0 + 0.5)
    assert (t[(BOB, ALI)]["n_link"], t[(BOB, ALI)]["n_site_link"]) == (1, 1)
    assert t[(ERIN, CAROL)]["weight"] == pytest.approx(2.0)
    assert (t[(ERIN, CAROL)]["n_share"], t[(ERIN, CAROL)]["n_quote"]) == (1, 1)
    assert t[(FRANK, ERIN)]["n_reply"] == 1 and t[(FRANK, ERIN)]["weight"] == pytest.approx(0.3)
    assert t[(FRANK, CAROL)]["n_mention"] == 1
    # vertices: everyone who posted or interacted, including the quiet blogger
    keys = ag.accounts["key"].tolist()
    assert "blog:gamma.tj/gus" in keys and "twitter:lurker" not in keys
    assert keys == sorted(keys)
    g = ag.graph
    assert g.is_directed() and g.vcount() == 7 and g.ecount() == 6
    assert g.vs["name"] == keys
    assert g.vs.find(name=CAROL)["platform"] == "twitter"
    e = g.es[g.get_eid(keys.index(CAROL), keys.index(ALI))]
    assert e["weight"] == pytest.approx(1.5) and e["cross_platform"] and e["n_share"] == 1
    # edges frame is in edge-id order
    el = g.get_edgelist()
    assert list(zip(ag.edges["source"], ag.edges["target"], strict=True)) == el
    for t_ in INTERACTION_TYPES:
        assert f"n_{t_}" in ag.edges.columns and f"n_{t_}" in g.es.attributes()


def test_weights_configurable_and_zero_drops(store, builder):
    scenario(builder)
    builder.write(store)
    ag = actor_graph(store, weights={"mention": 0, "share": 2.0})
    t = ties(ag)
    assert (FRANK, CAROL) not in t
    assert t[(ERIN, CAROL)]["weight"] == pytest.approx(3.0)
    assert ag.weights["share"] == 2.0 and ag.weights["quote"] == DEFAULT_WEIGHTS["quote"]
    assert ag.fingerprint != actor_graph(store).fingerprint
    assert actor_graph(store).fingerprint == actor_graph(store).fingerprint
    with pytest.raises(UsageError, match="unknown interaction type"):
        actor_graph(store, weights={"retweet": 1.0})
    with pytest.raises(UsageError):
        actor_graph(store, weights={"share": -1})


def test_time_window_on_acting_post(store, builder):
    scenario(builder)
    builder.write(store)
    ag = actor_graph(store, since="2013-11-02", until="2013-11-04")
    t = ties(ag)
    # only carol's link tweet (11-02 09:00), erin's retweet (11-02 10:00), bob's post (11-03)
    assert set(t) == {(CAROL, ALI), (ERIN, CAROL), (BOB, ALI)}
    assert t[(CAROL, ALI)]["n_comment"] == 0 and t[(CAROL, ALI)]["n_share"] == 1
    assert t[(ERIN, CAROL)]["n_quote"] == 0
    keys = set(ag.accounts["key"])
    assert "blog:gamma.tj/gus" not in keys and FRANK not in keys
    # an offset is converted to UTC: 2013-11-02T14:00+05:00 is 09:00Z, inclusive
    ag2 = actor_graph(store, since="2013-11-02T14:00:00+05:00", until="2013-11-02T10:00:00Z")
    assert set(ties(ag2)) == {(CAROL, ALI)}
    with pytest.raises(UsageError, match="not an ISO date"):
        actor_graph(store, since="last tuesday")


def test_site_link_split_among_owners_and_blogroll(store, builder):
    builder.blog_post("duo.tj", "anna", "one")
    builder.blog_post("duo.tj", "ivan", "two")
    post = builder.blog_post("solo.tj", "sam", "refs", links=("https://duo.tj/about",))
    builder.batch.edge("LINKS_TO", "Account", "blog:solo.tj/sam", "Site", "duo.tj")  # blogroll
    # a tweet linking to twitter.com/... must not tie to every tweeter
    builder.tweet("tw1")
    builder.tweet("tw2", links=("https://twitter.com/someone/status/1",))
    builder.batch.edge("PUBLISHED_ON", "Post", "twitter:1001", "Site", "twitter.com")
    builder.write(store)
    assert post
    t = ties(actor_graph(store))
    for owner in ("blog:duo.tj/anna", "blog:duo.tj/ivan"):
        tie = t[("blog:solo.tj/sam", owner)]
        assert tie["n_site_link"] == 2  # the post's link and the account's blogroll link
        assert tie["weight"] == pytest.approx(2 * 0.5 / 2)
    assert not [k for k in t if k[0] == "twitter:tw2"]


def test_reply_to_authorless_post_goes_to_site_owners(store, builder):
    builder.blog_post("alpha.tj", "ali", "known")
    # a comment whose parent article was never collected: a stub Post with no author
    builder.comment("alpha.tj", "twitter:zed", "alpha.tj/not-collected")
    builder.write(store)
    t = ties(actor_graph(store))
    assert t[("twitter:zed", ALI)]["n_comment"] == 1


def test_build_from_frames_and_empty():
    empty = build_actor_graph(
        pd.DataFrame(columns=["key", "platform", "kind", "created_at"]),
        pd.DataFrame(columns=["key"]),
        pd.DataFrame(columns=["type", "src_label", "src", "dst_label", "dst"]),
    )
    assert empty.graph.vcount() == 0 and empty.edges.empty
    posts = pd.DataFrame({"key": ["p1", "p2"], "platform": ["vk", "telegram"],
                          "kind": ["post", "share"], "created_at": [None, None]})
    accounts = pd.DataFrame({"key": ["vk:a"]})  # telegram:b exists only as an edge endpoint
    edges = pd.DataFrame({
        "type": ["AUTHORED", "AUTHORED", "SHARES"],
        "src_label": ["Account", "Account", "Post"],
        "src": ["vk:a", "telegram:b", "p2"],
        "dst_label": ["Post", "Post", "Post"],
        "dst": ["p1", "p2", "p1"],
    })
    ag = build_actor_graph(posts, accounts, edges)
    assert ag.accounts["key"].tolist() == ["telegram:b", "vk:a"]
    assert ag.accounts["platform"].tolist() == ["telegram", "vk"]
    assert ties(ag)[("telegram:b", "vk:a")]["cross_platform"]


def test_post_and_account_sharing_a_key_stay_apart():
    # "vk:5" is both a post (by vk:a) and an account; labels keep them apart
    posts = pd.DataFrame({"key": ["vk:5", "vk:6"], "platform": ["vk", "vk"],
                          "kind": ["post", "post"], "created_at": [None, None]})
    accounts = pd.DataFrame({"key": ["vk:5", "vk:a", "vk:b"], "platform": ["vk"] * 3})
    edges = pd.DataFrame({
        "type": ["AUTHORED", "AUTHORED", "QUOTES", "MENTIONS", "LINKS_TO"],
        "src_label": ["Account", "Account", "Post", "Post", "Account"],
        "src": ["vk:a", "vk:b", "vk:6", "vk:6", "vk:5"],
        "dst_label": ["Post", "Post", "Post", "Account", "Post"],
        "dst": ["vk:5", "vk:6", "vk:5", "vk:5", "vk:6"],
    })
    t = ties(build_actor_graph(posts, accounts, edges))
    assert t[("vk:b", "vk:a")]["n_quote"] == 1  # quoting post vk:5 reaches its author
    assert t[("vk:b", "vk:5")]["n_mention"] == 1  # mentioning account vk:5
    assert t[("vk:5", "vk:b")]["n_link"] == 1  # an account-level link to post vk:6
    assert set(t) == {("vk:b", "vk:a"), ("vk:b", "vk:5"), ("vk:5", "vk:b")}


def test_to_networkx_matches(store, builder):
    scenario(builder)
    builder.write(store)
    ag = actor_graph(store)
    nxg = ag.to_networkx()
    assert nxg.number_of_nodes() == ag.graph.vcount()
    assert nxg.number_of_edges() == ag.graph.ecount()
    assert nxg[CAROL][ALI]["weight"] == pytest.approx(1.5)
    assert nxg.nodes[CAROL]["platform"] == "twitter"
    assert ag.to_igraph() is ag.graph
