"""Cascades, cross-platform content and carriers (netmap.analysis.crossposting)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netmap.analysis.crossposting import (
    carriers,
    carriers_table,
    cascade,
    cascade_lines,
    cross_platform_content,
    members,
    spread_edges,
)
from netmap.errors import UsageError
from netmap.store.sqlite import SQLiteStore

from .conftest import EXAMPLE, Builder

HOST = "nigoh.wordpress.com"


@pytest.fixture
def spread(store, build: Builder) -> dict[str, str]:
    """A blog post that travels to Twitter and VK, and on within each.

    blog B (09:00) <- tweet T1 by twitter:nigoh_tj (09:30, share of the link)
                         <- RT R1 (10:00), RT R2 (11:00)
                         <- quote Q (12:00) <- RT R3 of the quote (13:00)
                   <- VK copy V1 by vk:news (10:30, CROSSPOST_OF B) <- VK repost V2 (11:30)
                   <- tweet T2 by twitter:late (14:00, another share)
                   <- comment C under B (09:45) <- reply to it (09:50)
                   <- blog L linking B (15:00) <- tweet sharing L (16:00: L's own audience)
    and, elsewhere, a news page shared from Twitter and VK.
    """
    b = build
    k: dict[str, str] = {}
    k["B"] = b.blog_post(HOST, "Nigoh", "2013/10/28/post", "2013-10-28T09:00:00Z",
                         title="Выборы-2013", text="Спор переехал в соцсети.")
    k["T1"] = b.post("twitter:1", "twitter:nigoh_tj", "twitter", "2013-10-28T09:30:00Z", "Новый пост")
    k["R1"] = b.post("twitter:2", "twitter:r1", "twitter", "2013-10-28T10:00:00Z", kind="share")
    k["R2"] = b.post("twitter:3", "twitter:r2", "twitter", "2013-10-28T11:00:00Z", kind="share")
    k["Q"] = b.post("twitter:4", "twitter:q", "twitter", "2013-10-28T12:00:00Z", "Смотрите",
                    kind="quote")
    k["R3"] = b.post("twitter:5", "twitter:r3", "twitter", "2013-10-28T13:00:00Z", kind="share")
    k["V1"] = b.post("vk.com/wall-1_1", "vk:news", "vk", "2013-10-28T10:30:00Z", "Спор …")
    k["V2"] = b.post("vk.com/wall2_2", "vk:reader", "vk", "2013-10-28T11:30:00Z", kind="share")
    k["T2"] = b.post("twitter:6", "twitter:late", "twitter", "2013-10-28T14:00:00Z", "Читайте")
    k["C"] = b.comment(HOST, f"blog:{HOST}/rustam", k["B"], "2013-10-28T09:45:00Z", "Шум.")
    k["C2"] = b.comment(HOST, f"blog:{HOST}/nigoh", k["C"], "2013-10-28T09:50:00Z", "Нет.")
    k["L"] = b.blog_post("other.livejournal.com", "other", "1.html", "2013-10-28T15:00:00Z")
    k["LT"] = b.post("twitter:7", "twitter:lfan", "twitter", "2013-10-28T16:00:00Z", "ЖЖ")
    b.rel("SHARES", k["T1"], k["B"])
    b.rel("SHARES", k["R1"], k["T1"])
    b.rel("SHARES", k["R2"], k["T1"])
    b.rel("QUOTES", k["Q"], k["T1"])
    b.rel("SHARES", k["R3"], k["Q"])
    b.rel("CROSSPOST_OF", k["V1"], k["B"])
    b.rel("SHARES", k["V2"], k["V1"])
    b.rel("SHARES", k["T2"], k["B"])
    b.rel("LINKS_TO", k["L"], k["B"])
    b.rel("SHARES", k["LT"], k["L"])
    # a news page, shared from Twitter and VK
    b.batch.node("Url", "news.tj/a", url="https://news.tj/a?utm_source=tw")
    k["N1"] = b.post("twitter:8", "twitter:r1", "twitter", "2013-10-29T09:00:00Z", "Новость")
    k["N2"] = b.post("vk.com/wall3_3", "vk:reader", "vk", "2013-10-29T10:00:00Z", "Новость")
    b.rel("LINKS_TO", k["N1"], "news.tj/a", "Url")
    b.rel("LINKS_TO", k["N2"], "news.tj/a", "Url")
    b.write(store)
    return k


def test_cascade_tree(store, spread: dict[str, str]) -> None:
    k = spread
    c = cascade(store, k["B"])
    n = c.nodes.set_index("key")
    assert c.nodes.loc[0, "key"] == k["B"] and c.nodes.loc[0, "relation"] == "root"
    assert set(n.index) == {k[x] for x in ("B", "T1", "R1", "R2", "Q", "R3", "V1", "V2", "T2",
                                           "C", "C2", "L")}
    assert k["LT"] not in n.index  # the citing blog's own audience is not this item's
    assert n.loc[k["R3"], "parent"] == k["Q"] and n.loc[k["R3"], "depth"] == 3
    assert n.loc[k["Q"], "relation"] == "quote"
    assert n.loc[k["V1"], "relation"] == "crosspost" and n.loc[k["V1"], "platform"] == "vk"
    assert n.loc[k["C2"], "relation"] == "reply" and n.loc[k["C2"], "parent"] == k["C"]
    assert n.loc[k["T1"], "account"] == "twitter:nigoh_tj"
    assert n.loc[k["T1"], "lag_seconds"] == 1800 and n.loc[k["R3"], "lag_seconds"] == 4 * 3600
    assert n.loc[k["R3"], "parent_lag_seconds"] == 3600
    plat = c.platforms.set_index("platform")
    assert plat.loc["twitter", "posts"] == 6 and plat.loc["twitter", "accounts"] == 6
    assert plat.loc["vk", "first_lag_seconds"] == 5400
    assert c.platforms["platform"].tolist()[0] == "blog"
    car = c.carriers.set_index("post")
    first_tw = car.loc[k["T1"]]
    assert first_tw["account"] == "twitter:nigoh_tj" and first_tw["carried_from"] == "blog"
    assert bool(first_tw["first_on_platform"]) and first_tw["downstream"] == 4
    assert not bool(car.loc[k["T2"], "first_on_platform"])
    assert car.loc[k["V1"], "downstream"] == 1 and car.loc[k["V1"], "relation"] == "crosspost"
    assert set(c.carriers["platform"]) == {"twitter", "vk"}  # the blog link stays on blogs

    no_replies = cascade(store, k["B"], replies=False)
    assert k["C"] not in set(no_replies.nodes["key"])
    shallow = cascade(store, k["B"], max_depth=1)
    assert shallow.nodes["depth"].max() == 1


def test_cascade_accepts_urls_and_renders(store, spread: dict[str, str]) -> None:
    k = spread
    c = cascade(store, f"http://{HOST}/2013/10/28/post/?utm_source=twitter&utm_medium=social")
    assert c.root == k["B"]
    lines = cascade_lines(c)
    assert lines[0].startswith("[blog] blog:nigoh.wordpress.com/nigoh")
    assert any(line.startswith("├─ share: [twitter] twitter:nigoh_tj") for line in lines)
    assert any("└─ share: [twitter] twitter:r3" in line for line in lines)
    assert len(lines) == len(c.nodes)
    d = c.as_dict()
    assert d["root"] == k["B"] and d["nodes"][0]["parent"] is None
    assert {"platform", "account", "created_at", "lag_seconds", "parent"} <= set(d["nodes"][1])
    web = cascade(store, "https://news.tj/a")
    assert web.params["label"] == "Url" and web.nodes.loc[0, "platform"] == "web"
    assert web.nodes.loc[1, "lag_seconds"] == 0  # undated page: lags from the first post
    with pytest.raises(UsageError, match="no post or web page"):
        cascade(store, "https://nowhere.example/x")


def test_members_and_cross_platform_content(store, spread: dict[str, str]) -> None:
    k = spread
    m = members(spread_edges(store))
    of_b = m[m["item"] == k["B"]].set_index("member")
    assert of_b.loc[k["R3"], "depth"] == 3 and of_b.loc[k["V2"], "depth"] == 2
    assert k["LT"] not in of_b.index and k["L"] in of_b.index
    df = cross_platform_content(store)
    row = df.set_index("key").loc[k["B"]]
    assert row["platforms"] == "blog,twitter,vk" and row["n_platforms"] == 3
    assert row["n_posts"] == 9 and row["first_seen"] == "2013-10-28T09:00:00Z"
    assert row["last_seen"] == "2013-10-28T15:00:00Z"
    news = df.set_index("key").loc["news.tj/a"]
    assert news["label"] == "Url" and news["platforms"] == "twitter,vk"
    assert df["key"].tolist()[0] == k["B"]  # most platforms first
    assert cross_platform_content(store, min_platforms=3)["key"].tolist() == [k["B"]]
    assert cross_platform_content(store, min_platforms=4).empty
    with pytest.raises(UsageError):
        cross_platform_content(store, min_platforms=0)


def test_carriers(store, spread: dict[str, str]) -> None:
    c = carriers(store).set_index(["account", "platform"])
    nigoh = c.loc[("twitter:nigoh_tj", "twitter")]
    assert nigoh["carried_from"] == "blog" and nigoh["n_first"] == 1
    assert nigoh["downstream"] == 4 and nigoh["first_lag_seconds"] == 1800
    assert c.loc[("vk:news", "vk")]["n_first"] == 1
    assert c.loc[("twitter:late", "twitter")]["n_first"] == 0
    assert carriers(store)["account"].tolist()[:2] == ["twitter:nigoh_tj", "vk:news"]
    top = carriers_table(store, limit=2)
    assert len(top) == 2 and "name" in top.columns


def test_empty_store(store) -> None:
    assert cross_platform_content(store).empty
    assert carriers(store).empty
    assert carriers_table(store).empty


def test_example_dataset_cascade(tmp_path: Path) -> None:
    """The bundled example: the main blog post reaches Twitter through its author's share."""
    from netmap.pipeline import collect

    store = SQLiteStore(tmp_path / "example.db")
    try:
        inputs = [str(p) for p in sorted(EXAMPLE.iterdir()) if p.is_dir()]
        report = collect(store, "auto", inputs, rejects=tmp_path / "rejects.csv")
        assert report.read > 0 and report.rejected == 0
        c = cascade(store, "https://nigoh.wordpress.com/2013/10/28/sotsseti-vybory-2013/")
        assert c.root == "nigoh.wordpress.com/2013/10/28/sotsseti-vybory-2013"
        n = c.nodes
        first_tw = n[n["platform"] == "twitter"].sort_values("lag_seconds").iloc[0]
        assert first_tw["parent"] == c.root and first_tw["relation"] == "share"
        assert first_tw["account"] == "twitter:nigoh_tj"
        assert (n["parent"] == first_tw["key"]).sum() >= 3  # retweets of that share
        car = c.carriers.set_index("platform")
        assert car.loc["twitter"].iloc[0]["account"] == "twitter:nigoh_tj"
        assert {"blog", "twitter"} <= set(c.platforms["platform"])
        text = "\n".join(cascade_lines(c))
        assert "share: [twitter] twitter:nigoh_tj" in text
    finally:
        store.close()
