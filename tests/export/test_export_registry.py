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
