"""Shared fixtures. A test that needs a missing component fails under CI=true and
skips with the reason printed otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from netmap.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tajikistan-2013"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def require(available: bool, reason: str) -> None:
    """Fail under CI (a missing component is a defect there); skip elsewhere."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required component missing under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):
    s = SQLiteStore(db_path)
    yield s
    s.close()
