"""Fixtures of the app tests: the app pointed at a build of a changed copy of data/raw."""

from __future__ import annotations

import pytest

from tests.helpers import built_copy


@pytest.fixture
def variant(tmp_path, monkeypatch):
    """Build a changed copy of data/raw and point the app at it for one test."""
    def make(change) -> None:
        _, pointer = built_copy(tmp_path, change)
        monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    return make
