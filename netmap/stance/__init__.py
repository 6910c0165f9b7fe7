"""Stance groups: which camp each account is in.

Groups are data (:func:`load_groups`, ``groups.yaml``). Assignment
(:func:`assign`) takes analyst seeds first (:func:`load_seeds`,
:func:`apply_seeds`), then lexicon evidence from each account's own posts
(:func:`match_text`), then propagation over endorsement ties (shares, quotes,
links). :func:`explain` shows the evidence for one account; :func:`evaluate`
scores the result against held-out labels.

Examples
--------
>>> import netmap
>>> from netmap.stance import load_groups, load_seeds, apply_seeds, assign  # doctest: +SKIP
>>> store = netmap.open_store("netmap.db")                                  # doctest: +SKIP
>>> groups = load_groups()                                                  # doctest: +SKIP
>>> apply_seeds(store, load_seeds("seeds.csv", groups))                     # doctest: +SKIP
>>> print(assign(store, groups))                                            # doctest: +SKIP
"""

from __future__ import annotations

from .assign import AssignResult, assign
from .explain import evaluate, explain
from .groups import Group, Groups, default_groups_path, load_groups, write_default
from .lexicon import Match, guess_lang, match_text, tokenize
from .propagate import propagate
from .seeds import SeedReport, SeedResult, apply_seeds, load_seeds
from .ties import DEFAULT_TIE_WEIGHTS, endorsement_ties

__all__ = [
    "load_groups",
    "write_default",
    "default_groups_path",
    "Groups",
    "Group",
    "load_seeds",
    "apply_seeds",
    "SeedResult",
    "SeedReport",
    "assign",
    "AssignResult",
    "DEFAULT_TIE_WEIGHTS",
    "endorsement_ties",
    "propagate",
    "explain",
    "evaluate",
    "match_text",
    "Match",
    "tokenize",
    "guess_lang",
]
