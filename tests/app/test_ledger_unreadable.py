"""A change log with a line that is not a row of it (a merge's conflict marker, a cut line, an unknown action, a time
that is not one): the reader names the file, row and column; the Data and Update pages say so instead of showing a
traceback; nothing is published or rolled back from a history that cannot be read, and the database stays as it was.

Row numbers are the file's lines as the test writes them (the header is row 1)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl import store
from etl.__main__ import main as etl_main
from etl.errors import InputError
from tests import processes
from tests.app.test_update_page import live, login, page  # noqa: F401 - the fixture
from tests.etl.test_transactions import META, POPULATION
from tests.helpers import ROOT, snapshot

COMMITTED = ROOT / "data" / "dashboard.changes.csv"  # the project's own change log: real rows
HEADER, *ROWS = COMMITTED.read_text(encoding="utf-8").splitlines()


def conflicted() -> list[str]:
    """The committed rows as a merge of two copies leaves them: marker, ours, marker, theirs, marker."""
    return [HEADER, ROWS[0], "<<<<<<< HEAD", *ROWS[1:3], "=======", ROWS[3], ">>>>>>> other-branch", *ROWS[4:]]


def _replaced(row: str, column: str, value: str) -> str:
    fields = row.split(",")
    fields[HEADER.split(",").index(column)] = value
    return ",".join(fields)


# (lines, the row and column the error must name, a word of what it must say)
BAD = {
    "conflict marker": (conflicted(), 3, None, "conflict marker"),
    "a field cut off": ([HEADER, ROWS[0], ROWS[1].rsplit(",", 1)[0]], 3, None, "fields"),
    "unknown action": ([HEADER, *ROWS[:2], _replaced(ROWS[2], "action", "pubish")], 4, "action", "pubish"),
    "not a time": ([HEADER, _replaced(ROWS[0], "at", "yesterday"), *ROWS[1:]], 2, "at", "yesterday"),
    "unknown column": ([HEADER.replace("by_email", "email"), *ROWS], 1, None, "header"),
}


def _write(pointer, lines: list[str]) -> None:
    store.ledger_path(pointer).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("case", BAD)
def test_the_reader_names_the_file_row_and_column(case, tmp_path):
    lines, row, column, said = BAD[case]
    pointer = tmp_path / "dashboard.duckdb"
    _write(pointer, lines)
    with pytest.raises(InputError) as raised:
        store.read_ledger(pointer)
    assert (raised.value.path, raised.value.row, raised.value.column) == (str(store.ledger_path(pointer)), row, column)
    assert said in str(raised.value)


def test_a_good_log_reads_as_pandas_reads_it():
    """The project's own log: every row, every value, as pandas reads the CSV (the oracle)."""
    expected = pd.read_csv(COMMITTED, dtype=str, keep_default_na=False)
    assert store.read_ledger(COMMITTED.with_name("dashboard.duckdb")).equals(expected) and len(expected) == len(ROWS)


def test_pages_say_which_line_and_nothing_changes(live):
    raw, pointer = live
    _write(pointer, conflicted())
    before, log = snapshot(pointer), store.ledger_path(pointer).read_bytes()
    data = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    data.switch_page("pages/4_Data.py")
    data.run()
    assert not data.exception
    assert [w.value for w in data.warning if "row 3" in w.value and "conflict marker" in w.value]
    update = login(page())
    assert not update.exception
    assert [w.value for w in update.warning if "row 3" in w.value]
    assert not [b for b in update.button if b.key in ("update.rollback", "update.restore")]  # no history to act on

    refused = processes.Forked(etl_main, ["update", "population", str(POPULATION), "--meta", str(META), "--db",
                                          str(pointer), "--raw", str(raw)], cwd=ROOT)
    out, err = refused.communicate(timeout=300)
    assert refused.returncode == 2 and "row 3" in err and str(store.ledger_path(pointer)) in err
    assert snapshot(pointer) == before and store.ledger_path(pointer).read_bytes() == log


@pytest.mark.slow  # a publish killed after its commit point, in a subprocess
def test_abandon_changes_nothing_until_the_log_is_mended(live):
    """A journal that cannot be applied and a log that cannot be read: `recover --abandon` refuses before it undoes
    anything (its row could not be written), and sets the journal aside once the log is mended."""
    raw, pointer = live
    killed = processes.Forked(etl_main, ["update", "population", str(POPULATION), "--meta", str(META), "--db",
                                         str(pointer), "--raw", str(raw)], env={store.FAULT_ENV: "publish.committed"},
                              cwd=ROOT)
    assert killed.wait(300) == -9 and store.journal_path(pointer).exists()
    store.waiting_dir(pointer).rename(pointer.with_name("moved-away"))  # the journal can no longer be applied
    _write(pointer, conflicted())
    before, journal = snapshot(pointer), store.journal_path(pointer).read_bytes()
    abandon = processes.Forked(etl_main, ["recover", "--abandon", "--db", str(pointer)], cwd=ROOT)
    out, err = abandon.communicate(timeout=120)
    assert abandon.returncode == 2 and "row 3" in err, err
    assert snapshot(pointer) == before and store.journal_path(pointer).read_bytes() == journal

    _write(pointer, [HEADER, *ROWS])  # mended
    abandon = processes.Forked(etl_main, ["recover", "--abandon", "--db", str(pointer)], cwd=ROOT)
    out, err = abandon.communicate(timeout=120)
    assert abandon.returncode == 0, err
    assert not store.journal_path(pointer).exists() and store.read_ledger(pointer).action.iloc[-1] == "abandon"
