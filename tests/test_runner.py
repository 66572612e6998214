"""The test runner's own rules (tests/conftest.py): what must share an xdist worker shares one, and the markers that
`make check` leaves out."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from tests.helpers import ROOT

SUITE = textwrap.dedent("""
    import json, os
    import pytest

    @pytest.fixture(scope="module")
    def made_once():
        return object()

    def record(name):
        with open("workers.jsonl", "a") as f:
            f.write(json.dumps([name, os.environ.get("PYTEST_XDIST_WORKER")]) + "\\n")

    @pytest.mark.parametrize("i", range(6))
    def test_module_fixture(made_once, i):
        record("module")

    @pytest.mark.xdist_group("mine")
    @pytest.mark.parametrize("i", range(6))
    def test_grouped(i):
        record("grouped")

    @pytest.mark.parametrize("i", range(12))
    def test_free(i):
        record("free")
""")


@pytest.mark.slow
def test_a_group_and_a_module_fixture_s_tests_each_run_on_one_worker(tmp_path):
    """xdist's `--dist loadgroup` on this pytest (its renaming of grouped tests needed tests/conftest.py's help)."""
    (tmp_path / "test_suite.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n",
                                          encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist",
                           "loadgroup", "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    runs = [json.loads(line) for line in (tmp_path / "workers.jsonl").read_text().splitlines()]
    workers = {kind: {w for k, w in runs if k == kind} for kind in ("module", "grouped", "free")}
    assert len(runs) == 24 and None not in workers["free"]
    assert len(workers["module"]) == 1 and len(workers["grouped"]) == 1, workers  # each scope is sent whole


@pytest.mark.slow
def test_make_check_leaves_out_every_browser_and_server_test():
    """The fast tier's selection: no test of tests/e2e (each drives Chromium against a server) is in it, and the tests
    that use the browser or a server fixture are marked, wherever they are."""
    check = re.search(r'^check:.*\n\t.*-m "([^"]+)"', (ROOT / "Makefile").read_text(), re.M).group(1)
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", check,
                           "tests/e2e", "tests/app/test_factsheet.py", "tests/app/test_export.py", "tests/bake",
                           "tests/etl/test_transactions.py", "tests/app/test_legibility.py"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    selected = [line for line in proc.stdout.splitlines() if "::" in line]
    # of tests/e2e, only the harness's own rules of page URLs need neither
    e2e = {n.split("[")[0] for n in selected if n.startswith("tests/e2e/")}
    assert selected and e2e <= {"tests/e2e/test_harness.py::test_url_path_is_streamlits",
                                "tests/e2e/test_harness.py::test_page_urls_of_a_pages_dir"}
    assert not any("test_static.py" in n or "test_replicas.py" in n or "test_factsheet.py::test_rendered" in n
                   for n in selected)
    # nor a test of the bake (slow: the `baked` fixture) or of publishes killed and raced (slow: its module)
    assert not any("test_two_bakes" in n or "test_transactions.py" in n for n in selected)
    # nor one that draws every figure of the edition (the bake's, the legibility check's), in a module of its own group
    assert not any("every_figure" in n for n in selected)
    # nor the benchmark's smoke runs (minutes of servers and Chromium)
    assert not any(n.startswith("tests/test_bench.py") for n in selected)
    assert any(n.startswith("tests/bake/") for n in selected)  # the bake's quick tests (no bake) stay
