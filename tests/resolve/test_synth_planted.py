"""Precision and recall on a synthetic campaign with planted identities and cross-posts.

The campaign is written in real formats (twarc2 pages, WordPress feeds, VK API
responses) and read back with netmap's own collectors, so every step from the
files to the BELONGS_TO and CROSSPOST_OF relationships is exercised.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from netmap.pipeline import collect
from netmap.resolve.crosspost import detect_crossposts, evaluate_pairs
from netmap.resolve.identity import candidates, evaluate_links, persons_map, resolve
from netmap.store.sqlite import SQLiteStore
from netmap.synth import EXPLICIT_EVIDENCE, IDENTITY_EVIDENCE, generate


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("planted")
    generate(out, accounts=1200, seed=17, identities=42, crossposts=50)
    return out, json.loads((out / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store(campaign, tmp_path_factory: pytest.TempPathFactory):
    out, _ = campaign
    s = SQLiteStore(tmp_path_factory.mktemp("db") / "planted.db")
    inputs = [str(p) for p in sorted(out.iterdir()) if p.is_dir()]
    report = collect(s, "auto", inputs, rejects=out / "rejects.csv")
    assert report.rejected == 0 and report.read > 0
    yield s
    s.close()


def test_planted_truth_shape(campaign) -> None:
    out, truth = campaign
    assert len(truth["identities"]) == 42
    assert set(truth["identity_evidence"].values()) == set(IDENTITY_EVIDENCE)
    assert len(truth["crossposts"]) == 50 == len(truth["crosspost_kinds"])
    assert all(len(p) == 2 and p[0] != p[1] for p in truth["crossposts"])
    assert (out / "vk" / "wall-0001.jsonl").is_file() and (out / "aliases.csv").is_file()
    for accts in truth["identities"].values():
        assert len(accts) == 2 and all(a in truth["accounts"] for a in accts)


def test_collected_accounts_match_the_truth(campaign, store) -> None:
    _, truth = campaign
    accounts = set(store.nodes("Account", columns=[])["key"])
    assert accounts == set(truth["accounts"])
    posts = set(store.nodes("Post", columns=[])["key"])
    assert all(a in posts and b in posts for a, b in truth["crossposts"])


def test_explicit_identity_links(campaign, store) -> None:
    out, truth = campaign
    resolve(store, out / "aliases.csv")
    explicit = [p for p, e in truth["identity_evidence"].items() if e in EXPLICIT_EVIDENCE]
    ev = evaluate_links(persons_map(store), truth["identities"], only=explicit)
    assert ev["f1"] >= 0.95, ev
    assert ev["precision"] >= 0.95, ev
    # Fuzzy-only persons are never merged without a decision.
    fuzzy = [p for p, e in truth["identity_evidence"].items() if e == "fuzzy"]
    assert evaluate_links(persons_map(store), truth["identities"], only=fuzzy)["tp"] == 0


def test_fuzzy_candidates(campaign, store) -> None:
    out, truth = campaign
    resolve(store, out / "aliases.csv")
    c = candidates(store)  # the default threshold
    got = {frozenset(p) for p in zip(c["a"], c["b"], strict=True)}
    true_pairs = {frozenset(v) for v in truth["identities"].values()}
    fuzzy = {frozenset(truth["identities"][p]) for p, e in truth["identity_evidence"].items()
             if e == "fuzzy"}
    precision = len(got & true_pairs) / len(got)
    assert precision >= 0.9, c
    assert len(got & fuzzy) / len(fuzzy) >= 0.8


def test_crosspost_detection(campaign, store) -> None:
    _, truth = campaign
    res = detect_crossposts(store)
    ev = evaluate_pairs(res.pairs, truth["crossposts"])
    assert ev["f1"] >= 0.95, ev
    assert ev["oriented"] == 1.0  # always later -> earlier
    assert store.counts()["relationships"]["CROSSPOST_OF"] == len(res.pairs)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_planting_is_deterministic_and_off_by_default(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", accounts=300, seed=4, identities=14, crossposts=10)
    generate(tmp_path / "b", accounts=300, seed=4, identities=14, crossposts=10)
    fa, fb = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert fa == fb and a.files == len(fa)
    assert "vk/wall-0001.jsonl" in fa and "aliases.csv" in fa
    # Off (the default) writes exactly what a generator without the options wrote.
    plain = generate(tmp_path / "plain", accounts=300, seed=4)
    off = generate(tmp_path / "off", accounts=300, seed=4, identities=0, crossposts=0)
    fp, fo = _files(tmp_path / "plain"), _files(tmp_path / "off")
    assert fp == fo and plain.files == off.files == len(fp)
    assert "identities" not in json.loads(fp["truth.json"])
    assert not any(k.startswith("vk/") for k in fp)
    # Planting changes only what it plants: the blog feeds' file set and the accounts stay.
    assert {k for k in fp if k.startswith("blogs/")} <= {k for k in fa if k.startswith("blogs/")}
    truth_plain = json.loads(fp["truth.json"])["accounts"]
    truth_planted = json.loads(fa["truth.json"])["accounts"]
    assert all(truth_planted[k] == g for k, g in truth_plain.items())


def test_planted_evidence_is_in_the_files(campaign) -> None:
    out, truth = campaign
    pages = [json.loads(line) for f in sorted((out / "twitter").glob("*.jsonl"))
             for line in f.read_text(encoding="utf-8").splitlines()]
    users = {u["username"].lower(): u for p in pages for u in p["includes"]["users"]}
    vk = [json.loads(line) for line in
          (out / "vk" / "wall-0001.jsonl").read_text(encoding="utf-8").splitlines()]
    profiles = {p["id"]: p for r in vk for p in r["response"]["profiles"]}
    for person, ev in truth["identity_evidence"].items():
        accts = truth["identities"][person]
        tw = next((a for a in accts if a.startswith("twitter:")), None)
        u = users.get(tw.split(":", 1)[1]) if tw else None
        if ev == "twitter_url":
            assert u["entities"]["url"]["urls"][0]["expanded_url"].startswith("https://vk.com/")
        elif ev == "blog_url":
            assert ".wordpress.com/" in u["entities"]["url"]["urls"][0]["expanded_url"]
        elif ev == "bio_handle":
            assert "@" in u["description"] and ("ВК" in u["description"] or "VK" in u["description"])
        elif ev == "vk_site":
            assert any(p.get("site") == f"https://twitter.com/{u['username']}"
                       for p in profiles.values())
