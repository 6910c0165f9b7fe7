"""Fixtures for the exporters: a small store with hostile strings, and the
headless-Chromium check (fails under CI=true, skips with the reason elsewhere)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from exportdata import CHROMIUM, CHROMIUM_ARGS, build_small_store


def _require(available: bool, reason: str) -> None:
    """A missing component fails under CI=true (it is a defect there) and skips elsewhere."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"required component missing under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def small_store(tmp_path: Path):
    store = build_small_store(tmp_path / "small.db")
    yield store
    store.close()


# -- browser ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    """A launched headless Chromium (playwright); fails under CI=true when missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _require(False, f"python playwright is not installed ({exc})")
        return
    wanted = os.environ.get("NETMAP_TEST_CHROMIUM", CHROMIUM)
    exe = wanted if os.path.exists(wanted) else shutil.which("chromium")
    _require(exe is not None, f"Chromium not found at {wanted} or on PATH")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
    except Exception as exc:
        pw.stop()
        _require(False, f"Chromium at {exe} did not start: {exc}")
        return
    yield browser
    browser.close()
    pw.stop()
