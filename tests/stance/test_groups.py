from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from netmap.errors import StanceError
from netmap.stance import Groups, load_groups, write_default
from netmap.stance.groups import default_groups_path

from .conftest import FIXTURES


def test_default_groups():
    groups = load_groups()
    assert isinstance(groups, Groups)
    assert groups.names == ["supporter", "critic", "boycott", "neutral"]
    colours = [groups.colour(n).lower() for n in groups.names]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    assert len(set(colours)) == 4
    # neutral must not look like the light grey of unassigned accounts in the views
    assert groups.colour("neutral").lower() != "#c3c9d0"
    assert groups.label("boycott") == "Boycott advocates"
    for name in ("supporter", "critic", "boycott"):
        assert set(groups[name].lexicon) == {"ru", "tg", "en"}, name
        assert all(groups[name].lexicon[lang] for lang in ("ru", "tg", "en"))
    assert groups["neutral"].weight < 1
    assert groups.seeds() == {}


def test_write_default_round_trip(tmp_path: Path):
    out = write_default(tmp_path / "sub" / "groups.yaml")
    text = out.read_text(encoding="utf-8")
    assert "Patterns are matched" in text  # the format notes travel with the copy
    assert load_groups(out).as_dict() == load_groups().as_dict()


def test_any_group_set(tmp_path: Path):
    groups = load_groups(FIXTURES / "groups_milestone.yaml")
    assert groups.names == ["milestone", "noise"]
    assert groups.colour("noise") == "#D55E00"  # "color" is accepted too
    assert groups.label("noise") == "Noise"
    assert groups.seeds() == {"twitter:cec_tj": "milestone"}
    with pytest.raises(StanceError, match="unknown stance group 'critic'"):
        groups.colour("critic")


def test_validation_lists_every_problem_with_the_file():
    path = FIXTURES / "groups_bad.yaml"
    with pytest.raises(StanceError) as info:
        load_groups(path)
    msg = str(info.value)
    assert str(path) in msg
    assert "duplicate group name 'supporter'" in msg
    assert "'colour' must be a hex colour" in msg and "'blue'" in msg
    assert "unknown lexicon language 'fr'" in msg
    assert "unknown key(s) colr" in msg
    assert "colour #0072b2 is already used by group 'supporter'" in msg
    assert "bad regular expression '/fraud(/'" in msg
    assert "pattern 42 is not a string" in msg
    assert "'*' may only end a word" in msg


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(StanceError, match=r"groups_syntax\.yaml: not valid YAML \(line \d+"):
        load_groups(FIXTURES / "groups_syntax.yaml")


def test_missing_file_says_what_to_do(tmp_path: Path):
    with pytest.raises(StanceError, match="netmap stance init"):
        load_groups(tmp_path / "nope.yaml")


@pytest.mark.parametrize("doc, message", [
    ({"groups": []}, "non-empty list"),
    ({"version": 2, "groups": [{"name": "a", "colour": "#000"}]}, "version 2"),
    ({"groups": [{"name": "a b", "colour": "#000"}]}, "'name' must be"),
    ({"groups": [{"name": "a", "colour": "#000", "weight": -1}]}, "'weight' must be"),
    ({"groups": [{"name": "a", "colour": "#000", "seeds": ["nobody"]}]}, "seed 'nobody'"),
    ({"groups": [{"name": "a", "colour": "#000", "seeds": ["twitter:x"]},
                 {"name": "b", "colour": "#fff", "seeds": ["https://twitter.com/X"]}]},
     "also a seed of 'a'"),
    ({"groups": [{"name": "a", "colour": "#000", "lexicon": ["x"]}]}, "must map languages"),
    ({"groups": [{"name": "a", "colour": "#000", "lexicon": {"ru": [""]}}]}, "empty pattern"),
    ({"groups": [{"name": "a", "colour": "#000"}], "extra": 1}, "unknown top-level"),
])
def test_validation_cases(tmp_path: Path, doc: dict, message: str):
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(StanceError, match=re.escape(message)):
        load_groups(path)


def test_bom_and_colour_shorthand(tmp_path: Path):
    path = tmp_path / "g.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + b'groups:\n  - {name: a, colour: "#abc"}\n')
    g = load_groups(path)
    assert g.colour("a") == "#abc" and g.label("a") == "a"


def test_packaged_file_is_the_default(tmp_path: Path):
    copy = tmp_path / "g.yaml"
    shutil.copyfile(default_groups_path(), copy)
    assert load_groups(copy).names == load_groups(None).names
