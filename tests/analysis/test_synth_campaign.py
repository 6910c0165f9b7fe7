"""End to end on a planted campaign: files -> collectors -> store -> analyze, against the truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netmap.analysis import analyze
from netmap.analysis.results import nmi
from netmap.pipeline import collect
from netmap.synth import generate


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    from netmap.store.sqlite import SQLiteStore

    root = tmp_path_factory.mktemp("campaign")
    generate(root / "files", accounts=800, seed=5)
    truth = json.loads((root / "files" / "truth.json").read_text(encoding="utf-8"))
    store = SQLiteStore(root / "campaign.db")
    inputs = [str(p) for p in sorted((root / "files").iterdir()) if p.is_dir()]
    collect(store, "auto", inputs, rejects=Path(root / "rejects.csv"))
    # what stance assignment would write, taken from the truth to test the analyses alone
    store.set_props("Account", [(k, {"group": g}) for k, g in truth["accounts"].items()])
    yield store, truth
    store.close()


@pytest.mark.parametrize("sample", [None, 150])
def test_planted_structure_recovered(campaign, sample):
    store, truth = campaign
    res = analyze(store, seed=1, betweenness_sample=sample)
    acc = res.accounts.set_index("key")
    bridges, hubs = set(truth["bridges"]), set(truth["hubs"])
    assert bridges <= set(acc.index)
    top_bridges = set(acc.sort_values("bridge_score", ascending=False).head(len(bridges)).index)
    assert len(bridges & top_bridges) >= 0.9 * len(bridges)
    top_in = set(acc.sort_values("indegree", ascending=False).head(len(hubs)).index)
    assert len(hubs & top_in) >= 0.8 * len(hubs)
    keys = [k for k in acc.index if k in truth["accounts"]]
    labels = [truth["accounts"][k] for k in keys]
    assert nmi(acc.loc[keys, "community"].to_numpy(), labels) > 0.85
    assert res.assortativity > 0.5
    assert (res.ei["ei"] < 0).all()  # every camp mostly talks to itself
