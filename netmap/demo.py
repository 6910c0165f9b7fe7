"""``netmap demo``: the whole pipeline on the bundled example, into a temporary store."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["run_demo"]


def run_demo(example: Path, out: str | Path, *, keep_store: str | Path | None = None,
             ) -> Iterator[str]:
    """Collect, seed, assign, analyze and export ``example``; yield progress lines."""
    from .analysis import analyze
    from .analysis.tables import top
    from .export import get_exporter
    from .pipeline import collect
    from .stance import apply_seeds, assign, load_groups, load_seeds
    from .store.sqlite import SQLiteStore

    tmp = None
    if keep_store:
        db = Path(keep_store)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="netmap-demo-")
        db = Path(tmp.name) / "demo.db"
    store = SQLiteStore(db)
    try:
        inputs = [str(p) for p in sorted(example.iterdir())
                  if p.is_dir() and not p.name.startswith(".")]
        report = collect(store, "auto", inputs, rejects=Path(db).with_suffix(".rejects.csv"))
        yield (f"collected {', '.join(Path(i).name for i in inputs)}: read {report.read}, "
               f"stored {report.stored}, rejected {report.rejected}")
        counts = store.counts()
        yield "graph: " + ", ".join(f"{n} {lab}" for lab, n in counts["nodes"].items() if n)
        groups = load_groups(None)
        seeds = load_seeds(example / "seeds.csv", groups)
        apply_seeds(store, seeds)
        result = assign(store, groups)
        yield f"stance: {result}"
        res = analyze(store, seed=42)
        summary = res.summary() if hasattr(res, "summary") else {}
        yield "analysis: " + ", ".join(f"{k}={v}" for k, v in summary.items()
                                       if not isinstance(v, (dict, list)))
        for what in ("influencers", "bridges"):
            df = top(store, what, limit=5)
            yield f"top {what}: " + ", ".join(df["key"].astype(str).tolist())
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        rep = get_exporter("html").export(store, out, color_by="stance", groups=groups,
                                          title="Tajikistan 2013: the election debate online")
        yield f"wrote {rep.path}: {rep.nodes} accounts, {rep.edges} ties — open it in a browser"
    finally:
        store.close()
        if tmp is not None:
            tmp.cleanup()
