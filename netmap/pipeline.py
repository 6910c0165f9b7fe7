"""Library entry points that join collectors to a store (what ``netmap collect`` runs).

Collectors yield batches; :func:`collect` writes each batch in its own
transaction, writes rejects to a CSV file, records the run with its
read/stored/rejected counts, and finally reconciles links (a tweet carrying a
blog post's URL becomes a share of that Post, whichever was collected first).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .collect import CollectOptions, expand_inputs, get_collector, sniff
from .errors import CollectError, NetmapError
from .model import Batch, Reject
from .store.base import Store

__all__ = ["CollectReport", "collect", "RejectWriter"]


@dataclass
class CollectReport:
    read: int = 0
    stored: int = 0
    rejected: int = 0
    run: str = ""
    sources: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    urls_folded: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "stored": self.stored, "rejected": self.rejected}


class RejectWriter:
    """Writes rejected records (source, location, reason, excerpt) as CSV, opened lazily."""

    FIELDS = ["source", "location", "reason", "excerpt"]

    def __init__(self, path: str | Path | None) -> None:
        self.path = str(path) if path else None
        self._fh: IO[str] | None = None
        self._writer: Any = None
        self.count = 0
        if self.path and self.path != "-":
            self._open()  # a run without rejects still leaves a current (empty) file

    def _open(self) -> None:
        if self.path == "-":
            self._fh = sys.stderr
        else:
            self._fh = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self._writer = csv.DictWriter(self._fh, fieldnames=self.FIELDS)
        self._writer.writeheader()

    def write(self, reject: Reject) -> None:
        self.count += 1
        if self.path is None:
            return
        if self._writer is None:
            self._open()
        row = reject.as_row()
        # Keep the rejects file one record per line and free of control characters.
        row = {k: "".join(ch if ch.isprintable() else " " for ch in v) for k, v in row.items()}
        self._writer.writerow(row)

    def close(self) -> None:
        if self._fh is not None and self._fh is not sys.stderr:
            self._fh.close()


def default_rejects_path(store_uri: str) -> str:
    if "://" in store_uri or store_uri == ":memory:":
        return "netmap-rejects.csv"
    return str(Path(store_uri).with_suffix("")) + "-rejects.csv"


def collect(
    store: Store,
    fmt: str,
    inputs: Sequence[str],
    *,
    options: CollectOptions | None = None,
    rejects: str | Path | None = None,
    on_batch: Callable[[Batch, str], None] | None = None,
) -> CollectReport:
    """Collect ``inputs`` in format ``fmt`` (``auto`` sniffs each input) into ``store``.

    Never stops at a bad record: each is rejected with its location and reason
    and written to ``rejects`` (CSV; ``-`` for stderr). An input that cannot be
    read at all is reported in ``errors`` and the others still run; the run is
    recorded with status ``partial`` then.
    """
    options = options or CollectOptions()
    report = CollectReport()
    writer = RejectWriter(rejects)
    report.rejects_file = str(rejects) if rejects else None
    fixed = None if fmt == "auto" else get_collector(fmt)
    run = store.begin_run(f"collect {fmt}", list(inputs), {"format": fmt})
    report.run = run
    status = "ok"
    try:
        sources = expand_inputs(list(inputs), options.fetcher)
        while True:
            try:
                source = next(sources)
            except StopIteration:
                break
            except NetmapError as exc:
                report.errors.append(str(exc))
                status = "partial"
                continue
            try:
                collector = fixed or sniff(source)
                src_read = src_stored = src_rejected = 0
                for batch in collector.read(source, options):
                    store.write_batch(batch, run)
                    for rej in batch.rejects:
                        writer.write(rej)
                    src_read += batch.read
                    src_stored += batch.stored
                    src_rejected += len(batch.rejects)
                    if on_batch is not None:
                        on_batch(batch, source.name)
                report.read += src_read
                report.stored += src_stored
                report.rejected += src_rejected
                report.sources.append({
                    "source": source.name, "format": collector.name, "read": src_read,
                    "stored": src_stored, "rejected": src_rejected,
                })
            except CollectError as exc:
                report.errors.append(str(exc))
                status = "partial"
            finally:
                source.cleanup()
        report.urls_folded = store.reconcile_links().get("urls_folded", 0)
    except BaseException as exc:
        store.end_run(run, read=report.read, stored=report.stored, rejected=report.rejected,
                      status="failed", error=str(exc)[:1000])
        writer.close()
        raise
    writer.close()
    store.end_run(run, read=report.read, stored=report.stored, rejected=report.rejected,
                  status=status, error="; ".join(report.errors)[:1000] or None)
    return report
