"""Fixtures of the app tests: the app pointed at a build of a changed copy of data/raw."""

from __future__ import annotations

import shutil

import pytest

from etl.build import build
from tests.helpers import RAW


@pytest.fixture
def variant(tmp_path, monkeypatch):
    """Build a changed copy of data/raw and point the app at it for one test."""
    def make(change) -> None:
        raw = tmp_path / "raw"
        shutil.copytree(RAW, raw)
        change(raw)
        pointer = tmp_path / "db" / "dashboard.duckdb"
        build(pointer, raw_dir=raw)
        monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    return make
