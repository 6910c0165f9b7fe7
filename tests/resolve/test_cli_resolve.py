"""``netmap identities``, ``netmap crossposts`` and ``netmap cascade`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netmap.cli import cli
from netmap.store.sqlite import SQLiteStore

from .conftest import Builder

TEXT = ("Наблюдатели насчитали на участке втрое меньше людей, чем потом объявила комиссия, "
        "и никто не получил копию протокола")


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.db"
    store = SQLiteStore(path)
    b = Builder()
    post = b.blog_post("nigoh.wordpress.com", "Nigoh", "2013/10/28/post", "2013-10-28T09:00:00Z",
                       title="Наблюдатели", text=TEXT)
    b.account("twitter:nigoh_tj", handle="nigoh_tj", name="Nigoh",
              profile_links=["https://nigoh.wordpress.com/"])
    b.account("facebook:nigoh.tj", handle="nigoh.tj", name="Нигоҳ")
    b.account("vk:farhod_r", handle="farhod_r", name="Фарход Рахимов")
    b.account("twitter:farhod_r", handle="Farhod_R", name="Farhod R.")
    b.post("twitter:1", "twitter:nigoh_tj", "twitter", "2013-10-28T09:30:00Z", "Новый пост")
    b.post("twitter:2", "twitter:fan", "twitter", "2013-10-28T10:00:00Z", kind="share")
    b.post("vk.com/wall1_1", "vk:farhod_r", "vk", "2013-10-28T12:00:00Z", TEXT)
    b.rel("SHARES", "twitter:1", post)
    b.rel("SHARES", "twitter:2", "twitter:1")
    b.write(store)
    store.close()
    return str(path)


def run(db: str, *args: str) -> str:
    res = CliRunner().invoke(cli, ["--store", db, *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_identities_commands(db: str, tmp_path: Path) -> None:
    out = json.loads(run(db, "identities", "resolve", "--format", "json"))
    assert out["persons"] == 1 and out["accounts_linked"] == 2
    listed = json.loads(run(db, "identities", "list", "--format", "json"))
    assert {r["account"] for r in listed} == {"twitter:nigoh_tj", "blog:nigoh.wordpress.com/nigoh"}
    assert all(r["method"] == "profile_link" for r in listed)
    assert "profile_link" in run(db, "identities", "list")  # table for people

    cands = json.loads(run(db, "identities", "candidates", "--format", "json"))
    pairs = {frozenset((c["a"], c["b"])) for c in cands}
    assert frozenset(("twitter:farhod_r", "vk:farhod_r")) in pairs
    assert frozenset(("facebook:nigoh.tj", "twitter:nigoh_tj")) in pairs
    strict = json.loads(run(db, "identities", "candidates", "--min-score", "0.99",
                            "--format", "json"))
    assert len(strict) < len(cands) and all(c["score"] >= 0.99 for c in strict)

    out = json.loads(run(db, "identities", "accept", "https://twitter.com/Farhod_R",
                         "vk:farhod_r", "--person", "Farhod", "--format", "json"))
    assert out["decision"]["decision"] == "accept" and out["persons"] == 2
    run(db, "identities", "reject", "facebook:nigoh.tj", "twitter:nigoh_tj", "--note", "namesake")
    dec = json.loads(run(db, "identities", "decisions", "--format", "json"))
    assert [d["decision"] for d in dec] == ["accept", "reject"] and dec[1]["note"] == "namesake"
    assert json.loads(run(db, "identities", "candidates", "--format", "json")) == []
    csv_out = run(db, "identities", "list", "--person", "Farhod", "--format", "csv")
    assert csv_out.splitlines()[0].startswith("person,account,platform")
    assert len(csv_out.splitlines()) == 3

    aliases = tmp_path / "aliases.csv"
    aliases.write_text("account,person\nfacebook:nigoh.tj,Нигоҳ\n", encoding="utf-8")
    out = json.loads(run(db, "identities", "resolve", "--aliases", str(aliases),
                         "--format", "json"))
    assert out["methods"]["alias"] >= 1
    dry = run(db, "identities", "resolve", "--forget-aliases", "--dry-run")
    assert "would link" in dry
    # a dry run wrote nothing: the alias person is still there
    assert any(r["person"] == "Нигоҳ" for r in
               json.loads(run(db, "identities", "list", "--format", "json")))


def test_identities_errors(db: str) -> None:
    res = CliRunner().invoke(cli, ["--store", db, "identities", "accept", "twitter:nigoh_tj",
                                   "vk:nobody"])
    assert res.exit_code == 2 and "not in the store" in res.output
    res = CliRunner().invoke(cli, ["--store", db, "identities", "reject", "twitter:nigoh_tj",
                                   "not-a-key"])
    assert res.exit_code == 2


def test_crossposts_and_cascade(db: str) -> None:
    res = CliRunner().invoke(cli, ["--store", db, "crossposts", "--format", "json"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    row = {r["key"]: r for r in rows}["nigoh.wordpress.com/2013/10/28/post"]
    assert row["platforms"] == "blog,twitter,vk" and row["n_posts"] == 3
    assert "cross-posts: 1 found" in res.stderr
    # detection ran once; a later listing does not rerun it unless asked
    again = CliRunner().invoke(cli, ["--store", db, "crossposts", "--min-platforms", "3"])
    assert again.exit_code == 0 and "cross-posts:" not in again.stderr
    assert "nigoh.wordpress.com/2013/10/28/post" in again.stdout
    res = CliRunner().invoke(cli, ["--store", db, "crossposts", "--window", "0.01",
                                   "--format", "json"])
    assert "cross-posts: 0 found" in res.stderr
    assert json.loads(res.stdout)[0]["platforms"] == "blog,twitter"

    out = run(db, "cascade", "https://nigoh.wordpress.com/2013/10/28/post/?utm_source=twitter")
    lines = out.splitlines()
    assert lines[0].startswith("[blog] blog:nigoh.wordpress.com/nigoh")
    assert lines[1].startswith("└─ share: [twitter] twitter:nigoh_tj")
    assert lines[2].startswith("   └─ share: [twitter] twitter:fan")
    assert "reach per platform" in out and "carriers to other platforms" in out
    data = json.loads(run(db, "cascade", "nigoh.wordpress.com/2013/10/28/post", "--format",
                          "json"))
    nodes = {n["key"]: n for n in data["nodes"]}
    assert nodes["twitter:1"]["parent"] == data["root"]
    assert nodes["twitter:1"]["lag_seconds"] == 1800
    assert nodes["twitter:2"]["platform"] == "twitter" and nodes["twitter:2"]["account"] == \
        "twitter:fan"
    assert data["carriers"][0]["account"] == "twitter:nigoh_tj"
    csv_out = run(db, "cascade", "nigoh.wordpress.com/2013/10/28/post", "--format", "csv")
    assert csv_out.splitlines()[0].startswith("key,parent,relation,depth,platform")
    res = CliRunner().invoke(cli, ["--store", db, "cascade", "https://example.org/none"])
    assert res.exit_code == 2 and "no post or web page" in res.output
