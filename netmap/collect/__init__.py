"""Collectors: one module per source format, registered by name.

Built-in collectors are registered exactly like plugins, through the
``netmap.collectors`` entry-point group (see ``pyproject.toml``), so there is
no chain of format checks anywhere: ``auto`` asks every registered collector
how sure it is (:meth:`Collector.sniff`) and picks the surest.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from ..errors import CollectError, UsageError
from .base import CollectOptions, Collector, Source, expand_inputs

__all__ = [
    "Collector",
    "CollectOptions",
    "Source",
    "expand_inputs",
    "collectors",
    "get_collector",
    "sniff",
]

ENTRY_POINT_GROUP = "netmap.collectors"


@cache
def collectors() -> dict[str, type[Collector]]:
    """Every registered collector class by name (built-ins and plugins)."""
    found: dict[str, type[Collector]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
        except ModuleNotFoundError as exc:
            if exc.name and ep.value.startswith(exc.name + ":"):
                continue  # registered but not present in this install
            import warnings

            warnings.warn(f"collector plugin {ep.name!r} failed to load: {exc}", stacklevel=2)
            continue
        except Exception as exc:  # a broken plugin must not take netmap down
            import warnings

            warnings.warn(f"collector plugin {ep.name!r} failed to load: {exc}", stacklevel=2)
            continue
        found[ep.name] = cls
    if not found:
        raise CollectError(
            "no collectors are registered: netmap is not installed as a package; "
            "run `pip install -e .` (or `make demo`) in the netmap checkout"
        )
    return dict(sorted(found.items()))


def get_collector(name: str) -> Collector:
    table = collectors()
    if name not in table:
        raise UsageError(
            f"unknown format {name!r}; choose one of: auto, {', '.join(table)}"
        )
    return table[name]()


def sniff(source: Source) -> Collector:
    """The registered collector surest it can read ``source``."""
    best: Collector | None = None
    best_score = 0
    for cls in collectors().values():
        inst = cls()
        try:
            score = inst.sniff(source)
        except Exception:
            score = 0
        if score > best_score:
            best, best_score = inst, score
    if best is None:
        raise CollectError(
            f"{source.name}: format not recognised; name it explicitly "
            f"(netmap collect FORMAT ...; formats: {', '.join(collectors())})"
        )
    return best
