"""Exporters: offline HTML views and report, Gephi files (GEXF, GraphML), tables (CSV, JSON, Parquet).

Built-in exporters register exactly like plugins, through the
``netmap.exporters`` entry-point group (see ``pyproject.toml``), so choosing a
format is a lookup, never a chain of checks::

    from netmap.export import get_exporter
    report = get_exporter("html").export(store, "exports/view.html", color_by="community")
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from ..errors import ExportError, UsageError
from .base import (
    REDUCE_MODES,
    Category,
    CommunityView,
    Exporter,
    ExportGraph,
    ExportReport,
    prepare_graph,
)

__all__ = [
    "Exporter",
    "ExportReport",
    "ExportGraph",
    "Category",
    "CommunityView",
    "REDUCE_MODES",
    "prepare_graph",
    "exporters",
    "get_exporter",
]

ENTRY_POINT_GROUP = "netmap.exporters"


@cache
def exporters() -> dict[str, type[Exporter]]:
    """Every registered exporter class by name (built-ins and plugins)."""
    found: dict[str, type[Exporter]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # a broken plugin must not take netmap down
            import warnings

            warnings.warn(f"exporter plugin {ep.name!r} failed to load: {exc}", stacklevel=2)
            continue
        found[ep.name] = cls
    if not found:
        raise ExportError(
            "no exporters are registered: netmap is not installed as a package; "
            "run `pip install -e .` in the netmap checkout"
        )
    return dict(sorted(found.items()))


def get_exporter(name: str) -> Exporter:
    """A new instance of the exporter registered as ``name``."""
    table = exporters()
    if name not in table:
        raise UsageError(f"unknown export format {name!r}; choose one of: {', '.join(table)}")
    return table[name]()
