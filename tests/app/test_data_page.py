"""The Data page's data-quality section against SQL: every error and warning row by row, and the information rows
counted by dataset and check (each of them is in the data_quality relation the page offers for download)."""

from __future__ import annotations

import pytest

from app.data import QUALITY_SHOWN
from tests.app.test_pages import run
from tests.helpers import html_tables


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_errors_and_warnings_row_by_row_and_the_information_counted(built, db, lang):
    at = run("pages/4_Data.py", lang=lang)
    shown = at.dataframe[0].value
    expected = db.execute(f"""SELECT {", ".join(QUALITY_SHOWN)} FROM data_quality WHERE severity <> 'info'""").fetchall()
    assert list(shown.columns) == QUALITY_SHOWN
    assert sorted(map(tuple, shown.astype(object).where(shown.notna(), None).values.tolist()), key=str) == \
        sorted(expected, key=str) and expected
    counts = db.execute("""SELECT dataset, check_name, count(*) FROM data_quality WHERE severity = 'info'
                           GROUP BY ALL ORDER BY ALL""").fetchall()
    table = next(rows for rows in html_tables(at) if rows and list(rows[0])[:2] == ["dataset", "check_name"])
    rows = [list(r.values()) for r in table]
    assert sorted((d, c, int(n.replace("\u00a0", "").replace(" ", "").replace(",", ""))) for d, c, n in rows) == counts
