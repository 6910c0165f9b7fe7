"""Gould–Fernandez brokerage: hand-computed roles, a brute-force reference, sampling."""

from __future__ import annotations

import random
from itertools import product

import numpy as np
import pandas as pd
import pytest

from netmap.analysis.brokerage import ROLES, brokerage, role_of
from netmap.errors import UsageError

from .conftest import ag_from, flow

GROUPS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
# content flowing u -> v; x has no group
EDGES = [("a1", "a2"), ("a2", "b1"), ("b1", "b2"), ("a1", "b1"), ("b2", "c1"), ("c1", "a2"),
         ("a2", "a1"), ("a2", "a3"), ("c1", "b1"), ("a1", "x"), ("x", "b2")]


def counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    f = frame.set_index("key")
    return {k.split(":", 1)[1]: {r: int(f.loc[k, r]) for r in ROLES if f.loc[k, r]}
            for k in f.index if f.loc[k, "brokerage"]}


def test_roles_hand_computed():
    ag = ag_from(flow(EDGES), GROUPS)
    res = brokerage(ag, pd.Series({f"twitter:{k}": g for k, g in GROUPS.items()}))
    # a2: a1->a2->a3 (AAA), c1->a2->a1 and c1->a2->a3 (CAA); a1->a2->b1 and
    #     c1->a2->b1 are closed by a1->b1 and c1->b1; a1->a2->a1 is no path
    # b1: a2->b1->b2, a1->b1->b2 (ABB), c1->b1->b2 (CBB)
    # b2: b1->b2->c1 (BBC); x->b2 does not count (x has no group)
    # c1: b2->c1->a2 (BCA), b2->c1->b1 (BCB)
    # x:  a1->x->b2 (A, none, B): a broker without a group is a liaison here
    assert counts(res) == {
        "a2": {"coordinator": 1, "gatekeeper": 2},
        "b1": {"gatekeeper": 3},
        "b2": {"representative": 1},
        "c1": {"liaison": 1, "itinerant": 1},
        "x": {"liaison": 1},
    }
    assert res["brokerage"].sum() == 3 + 3 + 1 + 2 + 1
    assert res.attrs["cap"] is None and res.attrs["sampled"] == 0
    assert res.attrs["direction"] == "flow" and res.attrs["groups"] == ["A", "B", "C"]
    assert res["coordinator"].dtype == np.int64  # exact counts are whole numbers


def test_direction_ties_reverses_the_paths():
    ag = ag_from(flow(EDGES), GROUPS)
    res = counts(brokerage(ag, pd.Series({f"twitter:{k}": g for k, g in GROUPS.items()}),
                           direction="ties"))
    # reversed, b2's only path is c1 -> b2 -> b1 (CBB): its representative role turns gatekeeper
    assert res["b2"] == {"gatekeeper": 1}
    assert res["b1"] == {"representative": 3}
    with pytest.raises(UsageError):
        brokerage(ag, None, direction="up")


def test_only_endorsement_types_count_by_default():
    rows = flow([("a1", "b1"), ("b1", "c1")]) + [("b1", "a2", "reply"), ("a1", "b1", "mention")]
    ag = ag_from(rows, GROUPS)
    g = pd.Series({f"twitter:{k}": v for k, v in GROUPS.items()})
    assert counts(brokerage(ag, g)) == {"b1": {"liaison": 1}}
    # all types: the reply (flow a2 -> b1) adds a2 -> b1 -> c1 (ABC), the mention
    # (flow b1 -> a1) adds a2 -> b1 -> a1 (ABA)
    every = counts(brokerage(ag, g, types=None))
    assert every["b1"] == {"liaison": 2, "itinerant": 1}
    with pytest.raises(UsageError):
        brokerage(ag, g, types=("retweet",))


def brute_force(ag, codes: np.ndarray) -> np.ndarray:
    """Triple loops over the flow ties: the definition, nothing clever."""
    e = ag.edges
    n = ag.n
    ties = set(zip(e["target"].tolist(), e["source"].tolist(), strict=True))  # flow u -> v
    out: dict[int, list[int]] = {}
    inn: dict[int, list[int]] = {}
    for u, v in ties:
        out.setdefault(u, []).append(v)
        inn.setdefault(v, []).append(u)
    res = np.zeros((n, len(ROLES)))
    for b in range(n):
        for a, c in product(inn.get(b, []), out.get(b, [])):
            if a == c or (a, c) in ties or codes[a] < 0 or codes[c] < 0:
                continue
            gb = codes[b] if codes[b] >= 0 else -1 - b
            res[b, role_of(np.array([codes[a]]), np.array([gb]), np.array([codes[c]]))[0]] += 1
    return res


@pytest.fixture(scope="module")
def random_graph():
    rng = random.Random(7)
    names = [f"u{i}" for i in range(80)]
    groups = {n: rng.choice("ABCD") for n in names if rng.random() < 0.85}
    rows = [(a, b, rng.choice(["retweet", "quote", "retweet"])) for a in names for b in names
            if a != b and rng.random() < 0.07]
    ag = ag_from(rows, groups)
    g = pd.Series({f"twitter:{k}": v for k, v in groups.items()})
    from netmap.analysis.bridges import group_codes

    codes, _ = group_codes(ag, g)
    return ag, g, codes


def test_matches_brute_force(random_graph):
    ag, g, codes = random_graph
    res = brokerage(ag, g)
    assert np.array_equal(res[list(ROLES)].to_numpy(), brute_force(ag, codes))


def test_sampling_is_unbiased(random_graph):
    ag, g, _ = random_graph
    exact = brokerage(ag, g)
    total = exact.attrs["pairs"]
    runs = [brokerage(ag, g, budget=total // 4, seed=s) for s in range(30)]
    assert runs[0].attrs["cap"] is not None and runs[0].attrs["sampled"] > 0
    mean = np.mean([r[list(ROLES)].to_numpy() for r in runs], axis=0)
    ex = exact[list(ROLES)].to_numpy()
    # per role, summed over accounts: within 5% of the exact totals
    assert np.allclose(mean.sum(axis=0), ex.sum(axis=0), rtol=0.05)
    # the busiest brokers keep their place
    top_exact = set(exact.nlargest(10, "brokerage")["key"])
    top_sampled = set(runs[0].nlargest(10, "brokerage")["key"])
    assert len(top_exact & top_sampled) >= 7
    # the same seed gives the same estimate
    again = brokerage(ag, g, budget=total // 4, seed=0)
    assert np.array_equal(again[list(ROLES)].to_numpy(), runs[0][list(ROLES)].to_numpy())


def test_no_groups_no_brokerage():
    ag = ag_from(flow(EDGES))
    res = brokerage(ag, None)
    assert (res["brokerage"] == 0).all() and res.attrs["groups"] == []
