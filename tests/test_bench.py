"""The benchmark's smoke runs (that every measurement still runs; no target is enforced and no timing is read, as the
suite shares the machine): `python -m bench.run --smoke` and `python -m bench.viewer --smoke` exit 0 and write a
result for each of their pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench import run, viewer
from tests.helpers import ROOT

# Each starts its own servers and Chromium, and builds or bakes what it measures: minutes, in the whole suite only.
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.server]


@pytest.mark.timeout(1200)
@pytest.mark.parametrize(("module", "result", "pages"), [("bench.run", "latest.json", run.SMOKE_PAGES),
                                                        ("bench.viewer", "viewer.json", viewer.SMOKE_PAGES)])
def test_the_benchmark_runs(module, result, pages, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DB"}  # as a developer runs it: its own database
    proc = subprocess.run([sys.executable, "-m", module, "--smoke", "--out", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1100)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    measured = json.loads((tmp_path / result).read_text())
    got = measured["browser"]["pages"] if module == "bench.run" else measured["pages"]
    assert sorted(got) == sorted(p or "/" for p in pages)
