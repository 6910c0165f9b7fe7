from __future__ import annotations

import pytest

from netmap.errors import UsageError
from netmap.export import Exporter, exporters, get_exporter


def test_builtin_exporters_registered_through_entry_points():
    table = exporters()
    assert {"html", "gexf", "graphml", "csv", "json", "parquet", "report"} <= set(table)
    for name, cls in table.items():
        assert issubclass(cls, Exporter)
        assert cls.name == name
        assert cls.description
        assert set(cls.reduce_modes) <= {"top", "kcore", "communities"}
    assert "communities" in table["html"].reduce_modes and "communities" in table["report"].reduce_modes


def test_get_exporter_returns_instance_and_rejects_unknown():
    assert get_exporter("gexf").name == "gexf"
    with pytest.raises(UsageError, match="unknown export format 'pdf'.*html"):
        get_exporter("pdf")


def test_written_files_get_the_normal_file_mode(tmp_path):
    """Writes go through a private temporary file; the result must not stay 0600."""
    import os

    from netmap.export.base import atomic_path, atomic_write

    old = os.umask(0o022)
    try:
        text = atomic_write(tmp_path / "a.html", "<p>x</p>")
        with atomic_path(tmp_path / "b.graphml") as tmp:
            tmp.write_text("<graphml/>")
    finally:
        os.umask(old)
    for p in (text, tmp_path / "b.graphml"):
        assert p.stat().st_mode & 0o777 == 0o644, oct(p.stat().st_mode)
    assert not list(tmp_path.glob(".*.tmp"))
