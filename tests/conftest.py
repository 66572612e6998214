"""Shared fixtures: a real build of data/raw into a temporary database."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from etl.build import build


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build the real raw tables once; DASHBOARD_DB points at the result for the whole session."""
    pointer = tmp_path_factory.mktemp("db") / "dashboard.duckdb"
    result = build(pointer)
    previous = os.environ.get("DASHBOARD_DB")
    os.environ["DASHBOARD_DB"] = str(pointer)
    yield result
    if previous is None:
        os.environ.pop("DASHBOARD_DB", None)
    else:
        os.environ["DASHBOARD_DB"] = previous


@pytest.fixture(scope="session")
def db(built):
    """A read-only connection to the session's build."""
    con = duckdb.connect(str(built.path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def baked(built, tmp_path_factory):
    """The static edition of the session's build, made by the real command (`python -m app.bake --lang all`)."""
    out = tmp_path_factory.mktemp("edition") / "site"
    proc = subprocess.run([sys.executable, "-m", "app.bake", "--out", str(out), "--lang", "all"],
                          env={**os.environ, "DASHBOARD_DB": str(built.pointer)},
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out
