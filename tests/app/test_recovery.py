"""Recovery that cannot take the site down: a publish stopped after its commit point whose pending folder was then
removed by hand. Every page still serves the last complete build, the Update page shows the failed journal, and
`python -m etl recover --abandon` clears it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from streamlit.testing.v1 import AppTest

from etl import store
from etl.__main__ import main as etl_main
from tests import processes
from tests.app.test_pages import PAGES
from tests.app.test_update_page import live, login, page  # noqa: F401 - the fixture
from tests.etl.test_transactions import META, POPULATION
from tests.helpers import ROOT, snapshot

pytestmark = pytest.mark.slow  # see pytest.ini: every page under AppTest, twice, around a recovery


def _serves_every_page() -> None:
    for name in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        if name != "dashboard.py":
            at.switch_page(name)
        at.run()
        assert not at.exception, (name, [e.message for e in at.exception])


def test_every_page_serves_while_a_journal_cannot_be_applied_and_abandon_clears_it(live):
    raw, pointer = live
    before = snapshot(pointer)
    killed = processes.Forked(etl_main, ["update", "population", str(POPULATION), "--meta", str(META), "--db",
                                         str(pointer), "--raw", str(raw)], env={store.FAULT_ENV: "publish.committed"},
                              cwd=ROOT)
    assert killed.wait(300) == -9 and store.journal_path(pointer).exists()
    shutil.rmtree(store.waiting_dir(pointer))
    _serves_every_page()
    assert snapshot(pointer) == before and store.journal_path(pointer).exists()  # the last complete build
    shown = [e.value for e in login(page()).error]
    assert len(shown) == 1 and "Przerwanej publikacji" in shown[0] and str(store.waiting_dir(pointer)) in shown[0]

    abandon = processes.Forked(etl_main, ["recover", "--abandon", "--db", str(pointer)], cwd=ROOT)
    out, err = abandon.communicate(timeout=120)
    assert abandon.returncode == 0, err
    assert not store.journal_path(pointer).exists()
    login = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()  # the account, as `id` says
    assert [(r.action, r.signed_in.split("@")[0]) for r in store.read_ledger(pointer).itertuples()] == [
        ("abandon", f"shell account {login}")]
    assert login(page()).error.len == 0
    _serves_every_page()
    assert snapshot(pointer) == before
