"""Stance groups as data: names, labels, colours, seeds and lexicons from YAML.

The defaults (``supporter``, ``critic``, ``boycott``, ``neutral``) live in the
package's ``groups.yaml``, whose header documents the format. Any set of
groups works: :func:`load_groups` validates a file and reports every problem
with the file name and where in it the problem is.

Examples
--------
>>> from netmap.stance import load_groups
>>> groups = load_groups()
>>> groups.names
['supporter', 'critic', 'boycott', 'neutral']
>>> groups.colour("critic")
'#E69F00'
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import StanceError
from ..keys import account_ref
from .lexicon import KNOWN_LANGUAGES, parse_pattern

__all__ = ["Group", "Groups", "load_groups", "write_default", "default_groups_path"]

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]{0,63}$")
_HEX = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
_GROUP_KEYS = {"name", "label", "colour", "color", "description", "weight", "seeds", "lexicon"}
_TOP_KEYS = {"version", "groups"}


@dataclass(frozen=True)
class Group:
    """One stance group."""

    name: str
    label: str
    colour: str
    description: str = ""
    weight: float = 1.0
    seeds: tuple[str, ...] = ()  # account keys
    lexicon: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "label": self.label, "colour": self.colour,
            "description": self.description, "weight": self.weight,
            "seeds": list(self.seeds),
            "lexicon": {lang: list(p) for lang, p in self.lexicon.items()},
        }


@dataclass
class Groups:
    """An ordered set of stance groups (iterate for :class:`Group` objects)."""

    groups: tuple[Group, ...]
    path: str | None = None

    def __post_init__(self) -> None:
        self._by_name = {g.name: g for g in self.groups}

    @property
    def names(self) -> list[str]:
        return [g.name for g in self.groups]

    def __iter__(self) -> Iterator[Group]:
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> Group:
        try:
            return self._by_name[name]
        except KeyError:
            raise StanceError(
                f"unknown stance group {name!r}; the groups are: {', '.join(self.names)}"
            ) from None

    def colour(self, name: str) -> str:
        return self[name].colour

    color = colour

    def label(self, name: str) -> str:
        return self[name].label

    def seeds(self) -> dict[str, str]:
        """Seed accounts named in the YAML: ``{account key: group}``."""
        return {key: g.name for g in self.groups for key in g.seeds}

    def as_dict(self) -> dict[str, Any]:
        """What the YAML holds, normalised (round-trips through :func:`groups_from_dict`)."""
        return {"version": 1, "groups": [g.as_dict() for g in self.groups]}


def default_groups_path() -> Path:
    """The packaged ``groups.yaml``."""
    return Path(str(resources.files("netmap.stance").joinpath("groups.yaml")))


def write_default(path: str | Path) -> Path:
    """Copy the default ``groups.yaml`` (with its format notes) to ``path``."""
    path = Path(path)
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(default_groups_path(), path)
    except OSError as exc:
        raise StanceError(f"cannot write {path}: {exc}") from exc
    return path


def load_groups(path: str | Path | None = None) -> Groups:
    """Read and validate stance groups; ``None`` loads the defaults.

    Raises
    ------
    StanceError
        Naming the file and every problem found (duplicate names, bad colours,
        unknown languages, bad patterns or seed accounts, YAML syntax errors).
    """
    import yaml

    src = default_groups_path() if path is None else Path(path)
    try:
        text = src.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StanceError(
            f"{src}: no such groups file; write one with `netmap stance init {src}`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StanceError(f"{src}: cannot read the groups file: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" (line {mark.line + 1}, column {mark.column + 1})"
        problem = getattr(exc, "problem", None) or str(exc)
        raise StanceError(f"{src}: not valid YAML{where}: {problem}") from exc
    return groups_from_dict(data, source=str(src))


def groups_from_dict(data: Any, source: str = "<groups>") -> Groups:
    """Validate a parsed groups document (see :func:`load_groups`)."""
    problems: list[str] = []
    if isinstance(data, list):
        data = {"groups": data}
    if not isinstance(data, dict):
        raise StanceError(f"{source}: expected a mapping with a 'groups' list at the top")
    unknown_top = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown_top:
        problems.append(f"unknown top-level key(s) {', '.join(unknown_top)} "
                        f"(allowed: {', '.join(sorted(_TOP_KEYS))})")
    version = data.get("version", 1)
    if version != 1:
        problems.append(f"version {version!r} is not supported (use version: 1)")
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        raise StanceError(f"{source}: 'groups' must be a non-empty list of groups")
    groups: list[Group] = []
    names: dict[str, int] = {}
    colours: dict[str, str] = {}
    seed_owner: dict[str, str] = {}
    for i, raw in enumerate(raw_groups, 1):
        where = f"group {i}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: expected a mapping with name, label, colour, lexicon")
            continue
        name = raw.get("name")
        if isinstance(name, str):
            where = f"group {i} ({name})"
        extra = sorted(set(map(str, raw)) - _GROUP_KEYS)
        if extra:
            problems.append(f"{where}: unknown key(s) {', '.join(extra)} "
                            f"(allowed: {', '.join(sorted(_GROUP_KEYS - {'color'}))})")
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(f"{where}: 'name' must be letters, digits, _ or - "
                            f"(got {name!r})")
            continue
        if name in names:
            problems.append(f"{where}: duplicate group name {name!r} (also group {names[name]})")
        names[name] = i
        label = raw.get("label", name)
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{where}: 'label' must be a non-empty string")
            label = name
        colour = raw.get("colour", raw.get("color"))
        if not isinstance(colour, str) or not _HEX.match(colour.strip()):
            problems.append(f"{where}: 'colour' must be a hex colour like \"#0072B2\" "
                            f"(got {colour!r})")
            colour = ""
        else:
            colour = colour.strip()
            norm = _expand(colour)
            if norm in colours:
                problems.append(f"{where}: colour {colour} is already used by group "
                                f"{colours[norm]!r}; each group needs its own colour")
            colours[norm] = name
        description = raw.get("description") or ""
        if not isinstance(description, str):
            problems.append(f"{where}: 'description' must be a string")
            description = str(description)
        weight = raw.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            problems.append(f"{where}: 'weight' must be a number >= 0 (got {weight!r})")
            weight = 1.0
        seeds: list[str] = []
        raw_seeds = raw.get("seeds") or []
        if not isinstance(raw_seeds, list):
            problems.append(f"{where}: 'seeds' must be a list of account keys or profile URLs")
            raw_seeds = []
        for s in raw_seeds:
            try:
                key = account_ref(str(s))
            except ValueError as exc:
                problems.append(f"{where}: seed {s!r}: {exc}")
                continue
            if key in seed_owner and seed_owner[key] != name:
                problems.append(f"{where}: seed {key} is also a seed of {seed_owner[key]!r}")
            seed_owner[key] = name
            seeds.append(key)
        lexicon: dict[str, tuple[str, ...]] = {}
        raw_lex = raw.get("lexicon") or {}
        if not isinstance(raw_lex, dict):
            problems.append(f"{where}: 'lexicon' must map languages "
                            f"({', '.join(KNOWN_LANGUAGES)}) to lists of patterns")
            raw_lex = {}
        for lang, pats in raw_lex.items():
            if lang not in KNOWN_LANGUAGES:
                problems.append(
                    f"{where}: unknown lexicon language {lang!r} (known: "
                    + ", ".join(f"{k} = {v}" for k, v in KNOWN_LANGUAGES.items()) + ")"
                )
                continue
            if pats is None:
                pats = []
            if not isinstance(pats, list):
                problems.append(f"{where}: lexicon.{lang} must be a list of patterns")
                continue
            good: list[str] = []
            for pat in pats:
                if not isinstance(pat, str):
                    problems.append(f"{where}: lexicon.{lang}: pattern {pat!r} is not a string "
                                    "(quote it)")
                    continue
                try:
                    parse_pattern(pat, lang)
                except ValueError as exc:
                    problems.append(f"{where}: lexicon.{lang}: pattern {pat!r}: {exc}")
                    continue
                good.append(pat.strip())
            lexicon[lang] = tuple(good)
        groups.append(Group(name=name, label=label.strip(), colour=colour,
                            description=description.strip(), weight=float(weight),
                            seeds=tuple(seeds), lexicon=lexicon))
    if problems:
        shown = problems[:25]
        more = f"\n  … and {len(problems) - 25} more" if len(problems) > 25 else ""
        raise StanceError(
            f"{source}: invalid stance groups:\n  " + "\n  ".join(shown) + more
        )
    return Groups(tuple(groups), path=source)


def _expand(colour: str) -> str:
    c = colour.lower()
    if len(c) == 4:
        c = "#" + "".join(ch * 2 for ch in c[1:])
    return c
