"""One exception tree for netmap; the CLI turns these into exit codes."""

from __future__ import annotations

__all__ = [
    "NetmapError",
    "CollectError",
    "StoreError",
    "StanceError",
    "AnalysisError",
    "ExportError",
    "UsageError",
]


class NetmapError(Exception):
    """Base class. The message says what went wrong and what to do."""

    exit_code = 1


class UsageError(NetmapError):
    """The user asked for something that cannot be done as asked."""

    exit_code = 2


class CollectError(NetmapError):
    """An input could not be read at all (a single bad record is a Reject, not this)."""


class StoreError(NetmapError):
    """The store could not be opened, read or written."""


class StanceError(NetmapError):
    """Stance groups, seeds or lexicons are invalid."""


class AnalysisError(NetmapError):
    """An analysis could not run (e.g. nothing collected yet)."""


class ExportError(NetmapError):
    """An export could not be written."""
