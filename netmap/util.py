"""Small helpers shared across netmap's packages."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block (restored after, if it was on).

    Bulk work (building a batch of records, packing a chunk of rows for Neo4j) allocates
    millions of small dicts, lists and tuples that die by reference counting. Each of them
    counts towards the collector's thresholds, and every full collection walks all live
    containers, so with a large working set the scans cost more than the work itself
    (measured: half of a push's client time). Nothing built in such blocks forms cycles.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
