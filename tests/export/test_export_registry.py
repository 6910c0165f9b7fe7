from __future__ import annotations

import pytest

from netmap.errors import UsageError
from netmap.export import Exporter, exporters, get_exporter


def test_builtin_exporters_registered_through_entry_points():
    table = exporters()
    assert {"html", "gexf", "graphml", "csv", "json"} <= set(table)
    for name, cls in table.items():
        assert issubclass(cls, Exporter)
        assert cls.name == name
        assert cls.description


def test_get_exporter_returns_instance_and_rejects_unknown():
    assert get_exporter("gexf").name == "gexf"
    with pytest.raises(UsageError, match="unknown export format 'pdf'.*html"):
        get_exporter("pdf")
