"""Helpers the collector tests share for looking into the batches a collector yields.

Imported by plain name (``from batchtools import ...``): pytest puts this folder on
``sys.path`` for the tests in it.
"""

from __future__ import annotations

from netmap.model import Batch

__all__ = ["totals", "nodes", "edges", "rejects"]


def totals(batches: list[Batch]) -> tuple[int, int, int]:
    """``(read, stored, rejected)`` over all batches; asserts they add up."""
    read = sum(b.read for b in batches)
    stored = sum(b.stored for b in batches)
    rejected = sum(len(b.rejects) for b in batches)
    assert read == stored + rejected
    return read, stored, rejected


def nodes(batches: list[Batch], label: str) -> dict[str, dict]:
    """Properties per key of one label, merged over batches (None values left out)."""
    out: dict[str, dict] = {}
    for b in batches:
        for n in b.nodes:
            if n.label == label:
                out.setdefault(n.key, {}).update({k: v for k, v in n.props.items() if v is not None})
    return out


def edges(batches: list[Batch], type_: str | None = None) -> set[tuple[str, str]] | set[tuple]:
    """``(src, dst)`` pairs of one relationship type, or ``(type, src, dst)`` of all."""
    if type_ is None:
        return {(e.type, e.src, e.dst) for b in batches for e in b.edges}
    return {(e.src, e.dst) for b in batches for e in b.edges if e.type == type_}


def rejects(batches: list[Batch]) -> list:
    """Every reject, in order."""
    return [r for b in batches for r in b.rejects]
