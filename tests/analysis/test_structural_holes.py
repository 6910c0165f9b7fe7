"""Burt's constraint and effective size: by hand and against networkx."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from netmap.analysis.structural_holes import structural_holes

from .conftest import ag_from


def test_hand_computed_star_and_triangle():
    # ego e tied to a, b (each one retweet); a and b tied to each other; c tied to e only
    rows = [("e", "a", "retweet"), ("e", "b", "retweet"), ("a", "b", "retweet"),
            ("c", "e", "retweet")]
    sh = structural_holes(ag_from(rows)).set_index("key")
    # e: p_ea = p_eb = p_ec = 1/3; a: p_ab = p_ae = 1/2
    # c_ea = (1/3 + p_eb p_ba)^2 = (1/3 + 1/6)^2 = 1/4, same for b; c_ec = (1/3)^2
    assert sh.loc["twitter:e", "constraint"] == pytest.approx(1 / 4 + 1 / 4 + 1 / 9)
    # c is tied to e alone: fully constrained
    assert sh.loc["twitter:c", "constraint"] == pytest.approx(1.0)
    # effective size of e: 3 contacts, a and b redundant with each other:
    # for j=a: p_eb * m_ab = 1/3 * 1 ; for j=b likewise -> 3 - 2/3
    assert sh.loc["twitter:e", "effective_size"] == pytest.approx(3 - 2 / 3)
    assert sh.loc["twitter:c", "effective_size"] == pytest.approx(1.0)


def random_ag(seed: int, n: int = 50, p: float = 0.1):
    rng = random.Random(seed)
    names = [f"u{i}" for i in range(n)]
    rows = [(a, b, rng.choice(["retweet", "reply", "quote", "mention"]))
            for a in names for b in names if a != b and rng.random() < p
            for _ in range(rng.choice((1, 1, 2)))]
    return ag_from(rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_matches_networkx(seed):
    ag = random_ag(seed)
    sh = structural_holes(ag).set_index("key")
    g = ag.to_networkx()
    ref_c = nx.constraint(g, weight="weight")
    # nodes= forces networkx's per-node formula: its whole-graph sparse shortcut
    # (networkx 3.6) normalises redundancy by the wrong vertex's strongest tie.
    ref_e = nx.effective_size(g, nodes=list(g), weight="weight")
    for k in g.nodes:
        if np.isnan(ref_c[k]):
            assert np.isnan(sh.loc[k, "constraint"])
            continue
        assert sh.loc[k, "constraint"] == pytest.approx(ref_c[k], abs=1e-12)
        assert sh.loc[k, "effective_size"] == pytest.approx(ref_e[k], abs=1e-12)


def test_sampled_estimate_tracks_exact():
    ag = random_ag(3, n=120, p=0.08)
    exact = structural_holes(ag)
    est = structural_holes(ag, budget=exact.attrs["wedges"], seed=1)  # about half the work
    assert est.attrs["cap"] is not None and est.attrs["sampled"] > 0
    assert np.corrcoef(exact["effective_size"], est["effective_size"])[0, 1] > 0.95
    assert np.corrcoef(exact["constraint"], est["constraint"])[0, 1] > 0.8
    runs = [structural_holes(ag, budget=exact.attrs["wedges"] // 2, seed=s)["effective_size"]
            for s in range(20)]
    # effective size is linear in the sampled sums: unbiased
    assert np.mean(runs, axis=0).sum() == pytest.approx(exact["effective_size"].sum(), rel=0.01)


def test_isolated_and_empty():
    rows = [("a", "b", "retweet")]
    sh = structural_holes(ag_from(rows)).set_index("key")
    assert sh.loc["twitter:a", "constraint"] == pytest.approx(1.0)
    assert sh.loc["twitter:a", "effective_size"] == pytest.approx(1.0)
