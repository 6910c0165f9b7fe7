"""The benchmark generators in benchmarks/bench_social.py write input their collectors read whole.

Each generator must make exactly n input records that ``netmap collect`` reads
and stores without a reject, and the graph must hold the relationships its
format is there to exercise (shares, replies, quotes, links).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from netmap.collect import CollectOptions
from netmap.pipeline import collect
from netmap.store.sqlite import SQLiteStore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench_social  # noqa: E402

N = 60

# What each generated input must give, beyond AUTHORED: the point of generating it.
EXPECTED_RELS: dict[str, tuple[str, ...]] = {
    "telegram": ("SHARES", "REPLIES_TO", "LINKS_TO", "TAGGED", "MENTIONS"),
    "vk": ("SHARES", "LINKS_TO", "TAGGED"),
    "mastodon": ("SHARES", "REPLIES_TO", "LINKS_TO", "TAGGED", "MENTIONS"),
    "bluesky": ("SHARES", "REPLIES_TO", "LINKS_TO", "TAGGED", "MENTIONS"),
    "table": ("SHARES", "REPLIES_TO", "QUOTES", "LINKS_TO", "TAGGED", "MENTIONS"),
    "facebook": ("LINKS_TO", "TAGGED"),  # CrowdTangle rows never name another post
    "ok": ("SHARES", "REPLIES_TO", "LINKS_TO", "TAGGED", "MENTIONS"),
    "wordpress": ("REPLIES_TO", "LINKS_TO", "QUOTES", "TAGGED"),
    "html": ("REPLIES_TO", "LINKS_TO", "QUOTES", "TAGGED"),
}


def _options(fmt: str, path: Path) -> CollectOptions:
    """CollectOptions as ``netmap collect`` builds them from the generator's extra CLI arguments."""
    args = bench_social.collect_args(fmt, path)
    extra: dict[str, str] = {}
    while args:
        flag, value, *args = args
        assert flag == "--mapping", f"unexpected collect argument {flag}"
        assert Path(value).is_file(), f"{value}: the mapping was not written"
        extra["mapping"] = value  # as cli.collect puts --mapping into CollectOptions.extra
    return CollectOptions(extra=extra)


def test_every_expected_format_has_a_generator() -> None:
    assert set(bench_social.GENERATORS) == set(EXPECTED_RELS)


@pytest.mark.parametrize("fmt", sorted(bench_social.GENERATORS))
def test_generator_reads_whole(fmt: str, tmp_path: Path) -> None:
    path = bench_social.input_path(fmt, tmp_path)
    bench_social.GENERATORS[fmt](path, N, random.Random(7))
    assert path.exists()
    if fmt == "table":
        assert bench_social.collect_args(fmt, path) == ["--mapping", f"{path}.yaml"]
    with SQLiteStore(tmp_path / "s.db") as store:
        report = collect(store, fmt, [str(path)], options=_options(fmt, path),
                         rejects=tmp_path / "rejects.csv")
        counts = store.counts()
    rejects = (tmp_path / "rejects.csv").read_text("utf-8")
    assert report.errors == []
    assert (report.read, report.rejected, report.stored) == (N, 0, N), rejects
    rels = counts["relationships"]
    missing = [r for r in EXPECTED_RELS[fmt] if not rels.get(r)]
    assert not missing, f"no {', '.join(missing)} relationships; got {rels}"
    assert rels["AUTHORED"] > 0
