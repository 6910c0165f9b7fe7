"""Identity resolution: each kind of evidence, guards, aliases, decisions, persons."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netmap.analysis.project import build_actor_graph
from netmap.errors import UsageError
from netmap.resolve.identity import (
    candidates,
    collapse_to_persons,
    decide,
    decisions,
    evaluate_links,
    load_aliases,
    persons_map,
    persons_table,
    resolve,
    score_pair,
)
from netmap.store.sqlite import SQLiteStore

from .conftest import Builder


def _person_of(store: SQLiteStore) -> dict[str, str]:
    return persons_map(store)


def _same(pm: dict[str, str], *accounts: str) -> bool:
    got = {pm.get(a) for a in accounts}
    return len(got) == 1 and None not in got


def _link(res, account: str) -> dict:
    row = res.memberships[res.memberships["account"] == account]
    assert len(row) == 1, res.memberships
    return row.iloc[0].to_dict()


# -- each kind of evidence ------------------------------------------------------------


def test_profile_link_to_another_platforms_profile(store, build: Builder) -> None:
    build.account("twitter:farhod_r", handle="Farhod_R", name="Farhod R.",
                  profile_links=["https://vk.com/farhod.rahimov"])
    build.account("vk:farhod.rahimov", handle="farhod.rahimov", name="Фарход Рахимов")
    build.account("vk:someone", handle="someone")
    res = resolve(build.write(store))
    pm = _person_of(store)
    assert _same(pm, "twitter:farhod_r", "vk:farhod.rahimov")
    assert "vk:someone" not in pm
    link = _link(res, "twitter:farhod_r")
    assert link["method"] == "profile_link" and link["confidence"] == 0.85
    assert "https://vk.com/farhod.rahimov" in link["evidence"]
    # Person key: derived from the smallest account key of the group, stable.
    assert pm["twitter:farhod_r"] == "person:twitter:farhod_r"


def test_links_in_both_directions_are_stronger(store, build: Builder) -> None:
    build.account("twitter:farhod_r", profile_links=["https://vk.com/farhod.rahimov"])
    build.account("vk:farhod.rahimov", profile_links=["https://twitter.com/Farhod_R"])
    res = resolve(build.write(store))
    assert _link(res, "vk:farhod.rahimov")["confidence"] == 0.95
    assert "and back" in _link(res, "vk:farhod.rahimov")["evidence"]


def test_profile_link_to_a_blog_its_owner_runs(store, build: Builder) -> None:
    post = build.blog_post("nigoh.wordpress.com", "Nigoh", "2013/10/28/post", "2013-10-28T09:00:00Z")
    build.comment("nigoh.wordpress.com", "blog:nigoh.wordpress.com/rustam", post,
                  "2013-10-28T10:00:00Z", "Хорошо.")
    build.account("twitter:nigoh_tj", profile_links=["https://nigoh.wordpress.com/"])
    resolve(build.write(store))
    pm = _person_of(store)
    assert _same(pm, "twitter:nigoh_tj", "blog:nigoh.wordpress.com/nigoh")
    # Commenters on the blog do not run it.
    assert "blog:nigoh.wordpress.com/rustam" not in pm


def test_group_blog_with_several_authors_is_ambiguous(store, build: Builder) -> None:
    build.blog_post("team.wordpress.com", "Ann", "a", "2013-10-28T09:00:00Z")
    build.blog_post("team.wordpress.com", "Bob", "b", "2013-10-28T10:00:00Z")
    build.account("twitter:ann", profile_links=["https://team.wordpress.com/"])
    build.account("twitter:bob", profile_links=["https://team.wordpress.com/author/bob/"])
    resolve(build.write(store))
    pm = _person_of(store)
    assert "twitter:ann" not in pm  # the host has two authors: whose is it?
    assert _same(pm, "twitter:bob", "blog:team.wordpress.com/bob")  # the URL names the author


def test_comment_author_url_ties_the_commenter_to_the_blogger(store, build: Builder) -> None:
    # A commenter who left only their blog's URL is keyed blog:<that host> by the collector.
    post = build.blog_post("other.wordpress.com", "Zarina", "p", "2013-10-28T09:00:00Z")
    build.blog_post("farhod.wordpress.com", "Farhod", "own", "2013-10-20T09:00:00Z")
    build.account("blog:farhod.wordpress.com", handle="farhod.wordpress.com",
                  url="https://farhod.wordpress.com/",
                  profile_links=["https://farhod.wordpress.com/"])
    build.comment("other.wordpress.com", "blog:farhod.wordpress.com", post,
                  "2013-10-28T11:00:00Z", "Согласен.")
    res = resolve(build.write(store))
    assert _same(_person_of(store), "blog:farhod.wordpress.com",
                 "blog:farhod.wordpress.com/farhod")
    assert _link(res, "blog:farhod.wordpress.com")["method"] == "comment_url"


@pytest.mark.parametrize(("bio", "target", "method"), [
    ("Журналист. Мой канал t.me/ozod_news", "telegram:ozod_news", "bio_link"),
    ("Journalist | vk.com/ozod.sado", "vk:ozod.sado", "bio_link"),
    ("Пишу тут и в Telegram: @ozod_news", "telegram:ozod_news", "bio_handle"),
    ("ВК — @ozod.sado, подписывайтесь", "vk:ozod.sado", "bio_handle"),
    ("@ozod_news в телеграме", "telegram:ozod_news", "bio_handle"),
    ("Блог: nigoh.wordpress.com", "blog:nigoh.wordpress.com/nigoh", "bio_link"),
])
def test_handles_and_addresses_written_in_a_bio(store, build: Builder, bio: str, target: str,
                                                method: str) -> None:
    build.blog_post("nigoh.wordpress.com", "Nigoh", "p", "2013-10-28T09:00:00Z")
    build.account("twitter:ozod", handle="ozod", bio=bio)
    build.account("telegram:ozod_news", handle="ozod_news")
    build.account("vk:ozod.sado", handle="ozod.sado")
    res = resolve(build.write(store))
    assert _same(_person_of(store), "twitter:ozod", target)
    assert _link(res, "twitter:ozod")["method"] == method


def test_bio_mentions_that_are_no_identity(store, build: Builder) -> None:
    # A same-platform @mention is an affiliation; a handle without a platform word is nothing;
    # a handle of an account not in the store links nothing.
    build.account("twitter:ozod", bio="Работаю в @asiaplus. Twitter: @boss. @ozod_news. "
                                      "VK: @not_collected")
    build.account("twitter:asiaplus")
    build.account("twitter:boss")
    build.account("telegram:ozod_news")
    resolve(build.write(store))
    assert _person_of(store) == {}


def test_my_blog_in_an_own_comment(store, build: Builder) -> None:
    post = build.blog_post("nigoh.wordpress.com", "Nigoh", "p", "2013-10-28T09:00:00Z")
    build.blog_post("dushanbe-notes.livejournal.com", "dushanbe_notes", "1.html",
                    "2013-10-20T09:00:00Z")
    build.comment("nigoh.wordpress.com", "blog:nigoh.wordpress.com/dushanbe_notes", post,
                  "2013-10-28T16:00:00Z",
                  "Подпишусь под каждым словом (мой блог: https://dushanbe-notes.livejournal.com/)")
    build.comment("nigoh.wordpress.com", "blog:nigoh.wordpress.com/rustam", post,
                  "2013-10-28T17:00:00Z", "Почитайте https://dushanbe-notes.livejournal.com/ ")
    res = resolve(build.write(store))
    pm = _person_of(store)
    assert _same(pm, "blog:nigoh.wordpress.com/dushanbe_notes",
                 "blog:dushanbe-notes.livejournal.com/dushanbe_notes")
    assert "blog:nigoh.wordpress.com/rustam" not in pm  # a link is no claim of ownership
    assert _link(res, "blog:nigoh.wordpress.com/dushanbe_notes")["method"] == "self_link"


def test_affiliation_links_are_dropped(store, build: Builder) -> None:
    build.blog_post("asiaplus.tj", "Редакция", "news/1", "2013-10-28T09:00:00Z")
    for i in range(3):  # three staff accounts link their newspaper
        build.account(f"twitter:staff{i}", profile_links=["https://asiaplus.tj/"])
    res = resolve(build.write(store))
    assert _person_of(store) == {}
    assert len(res.dropped) == 3 and "claimed by 3 twitter accounts" in res.dropped[0][1]
    # with a looser guard the same evidence merges them
    res = resolve(store, max_claimants=5)
    assert len(set(_person_of(store).values())) == 1


# -- writing, aliases, decisions ---------------------------------------------------------


def test_resolve_writes_persons_and_replaces_them(store, build: Builder) -> None:
    build.account("twitter:a", name="Farhod", profile_links=["https://vk.com/a.vk"])
    build.account("vk:a.vk")
    build.write(store)
    resolve(store)
    c1 = store.counts()
    assert c1["nodes"]["Person"] == 1 and c1["relationships"]["BELONGS_TO"] == 2
    person = store.get_node("Person", "person:twitter:a")
    assert person["n_accounts"] == 2 and person["platforms"] == ["twitter", "vk"]
    assert person["name"] == "Farhod"
    e = store.edges(["BELONGS_TO"], columns=["method", "confidence", "evidence", "via"])
    assert set(e["method"]) == {"profile_link"} and set(e["via"]) == {"twitter:a", "vk:a.vk"}
    resolve(store)  # idempotent
    assert store.counts() == c1
    # the evidence disappears: the person goes too (derived data is recomputed whole)
    store.set_props("Account", [("twitter:a", {"profile_links": []})])
    resolve(store)
    assert store.counts()["nodes"]["Person"] == 0
    assert store.counts()["relationships"]["BELONGS_TO"] == 0


def test_alias_file(store, build: Builder, tmp_path: Path) -> None:
    build.account("twitter:farhod_r")
    build.account("vk:id123")
    build.account("blog:farhod.wordpress.com/farhod")
    build.account("twitter:other", profile_links=["https://vk.com/id123"])
    build.write(store)
    f = tmp_path / "aliases.csv"
    f.write_text("account,person\nhttps://twitter.com/Farhod_R,Farhod Rahimov\n"
                 "vk:id123,Farhod Rahimov\n\nblog:farhod.wordpress.com/farhod,Farhod Rahimov\n"
                 "twitter:not_collected,Farhod Rahimov\n", encoding="utf-8")
    res = resolve(store, f)
    pm = _person_of(store)
    assert pm["twitter:farhod_r"] == pm["vk:id123"] == "Farhod Rahimov"
    assert pm["blog:farhod.wordpress.com/farhod"] == "Farhod Rahimov"
    assert pm["twitter:other"] == "Farhod Rahimov"  # explicit evidence joins the alias person
    assert res.missing_aliases == ["twitter:not_collected"]
    assert _link(res, "vk:id123")["method"] == "alias"
    # remembered: a later run without the file keeps it
    resolve(store)
    assert _person_of(store)["vk:id123"] == "Farhod Rahimov"
    resolve(store, [])  # forget
    assert _person_of(store).get("vk:id123") == "person:twitter:other"


def test_alias_file_errors(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("account,person\ntwitter:a\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 2"):
        load_aliases(f)
    f.write_text("not a key,P\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 1"):
        load_aliases(f)
    with pytest.raises(UsageError, match="does not exist"):
        load_aliases(tmp_path / "missing.csv")


def test_two_alias_persons_are_never_merged(store, build: Builder) -> None:
    build.account("twitter:a", profile_links=["https://vk.com/b"])
    build.account("vk:b")
    build.write(store)
    res = resolve(store, [("twitter:a", "Alpha"), ("vk:b", "Beta")])
    pm = _person_of(store)
    assert pm == {"twitter:a": "Alpha", "vk:b": "Beta"}
    assert any("alias persons" in why for _, why in res.dropped)


def test_accept_and_reject_decisions_persist(store, build: Builder, tmp_path: Path) -> None:
    build.account("twitter:farhod_r", handle="Farhod_R", name="Farhod R.")
    build.account("vk:farhod_r", handle="farhod_r", name="Фарход Рахимов")
    build.account("vk:nigoh", handle="nigoh", name="Нигоҳ")
    build.account("twitter:nigoh_tj", handle="nigoh_tj", name="Nigoh",
                  profile_links=["https://vk.com/nigoh"])
    build.write(store)
    resolve(store)
    cands = candidates(store)
    pairs = {frozenset(p) for p in zip(cands["a"], cands["b"], strict=True)}
    assert frozenset(("twitter:farhod_r", "vk:farhod_r")) in pairs
    assert frozenset(("twitter:nigoh_tj", "vk:nigoh")) not in pairs  # already one person

    decide(store, "https://twitter.com/Farhod_R", "vk:farhod_r", "accept", person="Farhod")
    decide(store, "twitter:nigoh_tj", "vk:nigoh", "reject", note="namesake")
    res = resolve(store)
    pm = _person_of(store)
    assert pm["twitter:farhod_r"] == pm["vk:farhod_r"] == "Farhod"
    assert _link(res, "vk:farhod_r")["method"] in ("analyst", "alias")
    assert "twitter:nigoh_tj" not in pm  # the rejection beats the profile link
    assert any("rejected" in why for _, why in res.dropped)
    assert candidates(store).empty  # decided pairs are not proposed again

    path = store.path
    store.close()
    again = SQLiteStore(path)
    try:
        d = decisions(again)
        assert [(x["a"], x["decision"]) for x in d] == [
            ("twitter:farhod_r", "accept"), ("twitter:nigoh_tj", "reject")]
        assert d[1]["note"] == "namesake"
        resolve(again)
        assert _person_of(again)["vk:farhod_r"] == "Farhod"
        # the latest decision on a pair wins
        decide(again, "vk:nigoh", "twitter:nigoh_tj", "accept")
        resolve(again)
        assert _same(_person_of(again), "twitter:nigoh_tj", "vk:nigoh")
    finally:
        again.close()


def test_decide_errors(store, build: Builder) -> None:
    build.account("twitter:a")
    build.write(store)
    with pytest.raises(UsageError, match="not in the store"):
        decide(store, "twitter:a", "vk:zzz", "accept")
    with pytest.raises(UsageError, match="same account"):
        decide(store, "twitter:a", "https://twitter.com/A", "reject")
    with pytest.raises(UsageError):
        decide(store, "twitter:a", "twitter:b", "maybe")


# -- candidates ---------------------------------------------------------------------------


def test_score_pair() -> None:
    same = score_pair("Farhod_R", "Farhod R.", "farhod_r", "Фарход Рахимов")
    assert same["handle"] == 1.0 and same["score"] > 0.9
    namesake = score_pair("pamir12", "Фарход Рахимов", "zzz_krot", "Фарход Рахимов")
    assert namesake["name"] == 1.0 and namesake["score"] < 0.6
    handle_only = score_pair("pamir12", "Зарина Саидова", "pamir12", "Фарход Рахимов")
    assert handle_only["score"] < 0.85
    number_apart = score_pair("pamir12", "Фарход Р.", "pamir13", "Фарход Рахимов")
    assert number_apart["handle"] <= 0.75 and number_apart["score"] < 0.85


def test_candidates_are_cross_platform_and_never_merged(store, build: Builder) -> None:
    build.account("twitter:farkhod_rakhimov", handle="farkhod_rakhimov", name="Farkhod")
    build.account("vk:farhod.rahimov", handle="farhod.rahimov", name="Фарход Рахимов")
    build.account("twitter:farhod_rahimov", handle="farhod_rahimov", name="Farhod Rahimov")
    build.account("vk:someone", handle="someone", name="Зарина Саидова")
    build.write(store)
    c = candidates(store, min_score=0.8)
    pairs = {frozenset(p) for p in zip(c["a"], c["b"], strict=True)}
    assert frozenset(("vk:farhod.rahimov", "twitter:farhod_rahimov")) in pairs
    assert frozenset(("vk:farhod.rahimov", "twitter:farkhod_rakhimov")) in pairs
    # two Twitter accounts are never a cross-platform candidate
    assert frozenset(("twitter:farkhod_rakhimov", "twitter:farhod_rahimov")) not in pairs
    assert all(c["score"] >= 0.8) and list(c["score"]) == sorted(c["score"], reverse=True)
    assert store.counts()["relationships"]["BELONGS_TO"] == 0


# -- persons for analyses ------------------------------------------------------------------


def test_collapse_to_persons() -> None:
    posts = pd.DataFrame({"key": ["p1", "p2", "p3", "p4"],
                          "platform": ["twitter", "vk", "twitter", "twitter"],
                          "kind": ["post"] * 4})
    accounts = pd.DataFrame({"key": ["twitter:a", "vk:a", "twitter:b", "twitter:c"],
                             "platform": ["twitter", "vk", "twitter", "twitter"],
                             "name": ["A", "А", "B", "C"], "group": ["critic", "critic", None, None]})
    edges = pd.DataFrame([
        ("AUTHORED", "Account", "twitter:a", "Post", "p1"),
        ("AUTHORED", "Account", "vk:a", "Post", "p2"),
        ("AUTHORED", "Account", "twitter:b", "Post", "p3"),
        ("AUTHORED", "Account", "twitter:c", "Post", "p4"),
        ("SHARES", "Post", "p3", "Post", "p1"),  # b -> a (twitter)
        ("SHARES", "Post", "p4", "Post", "p2"),  # c -> a (vk)
        ("QUOTES", "Post", "p4", "Post", "p1"),  # c -> a (twitter)
        ("SHARES", "Post", "p2", "Post", "p1"),  # a shares a: becomes a self-tie
    ], columns=["type", "src_label", "src", "dst_label", "dst"])
    ag = build_actor_graph(posts, accounts, edges)
    assert ag.n == 4
    pg = collapse_to_persons(ag, {"twitter:a": "P:a", "vk:a": "P:a"})
    assert pg.n == 3
    keys = pg.accounts["key"].tolist()
    assert keys == sorted(keys) and "P:a" in keys
    row = pg.accounts.set_index("key").loc["P:a"]
    assert row["platform"] == "twitter+vk" and row["n_accounts"] == 2 and row["group"] == "critic"
    e = pg.edges.assign(src=pg.edges["src"].astype(str), dst=pg.edges["dst"].astype(str))
    ca = e[(e["src"] == "twitter:c") & (e["dst"] == "P:a")].iloc[0]
    assert ca["weight"] == pytest.approx(2.0) and ca["n_share"] == 1 and ca["n_quote"] == 1
    assert not ((e["src"] == "P:a") & (e["dst"] == "P:a")).any()
    g = pg.graph
    assert g.vcount() == 3 and g.ecount() == len(pg.edges)
    assert np.allclose(sorted(g.es["weight"]), sorted(pg.edges["weight"]))
    assert pg.fingerprint != ag.fingerprint
    with pytest.raises(UsageError, match="persons_map"):
        collapse_to_persons(ag)


def test_persons_table_and_map(store, build: Builder) -> None:
    build.account("twitter:a", name="A", profile_links=["https://vk.com/a"])
    build.account("vk:a", name="А")
    build.write(store)
    resolve(store)
    t = persons_table(store)
    assert list(t.columns) == ["person", "account", "platform", "name", "method", "confidence",
                               "evidence"]
    assert t["account"].tolist() == ["twitter:a", "vk:a"]
    assert persons_map(store) == {"twitter:a": "person:twitter:a", "vk:a": "person:twitter:a"}


def test_evaluate_links() -> None:
    truth = {"p1": ["a", "b", "c"], "p2": ["d", "e"]}
    perfect = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
    assert evaluate_links(perfect, truth)["f1"] == 1.0
    half = {"a": "x", "b": "x", "d": "x"}
    r = evaluate_links(half, truth)
    assert r["tp"] == 1 and r["recall"] == 0.25
    assert r["precision"] == pytest.approx(1 / 3, abs=1e-3)
    only = evaluate_links(half, truth, only=["p1"])  # pairs touching p2's accounts ignored
    assert only["precision"] == 1.0 and only["recall"] == pytest.approx(1 / 3, abs=1e-3)
