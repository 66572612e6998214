"""KCIK's figures follow the national counts' rule for bounds: a type of exploitation published as '<5' is never summed
(as 0 or as anything) into its year's total or shares, and a total published as a bound keeps its year, drawn as a
bound. The figures are INVENTED rows published through `python -m etl update`; the expectations come from SQL."""

from __future__ import annotations

import html

import duckdb
import pytest

from app.figures import assistance
from app.i18n import t
from etl.__main__ import main
from tests.helpers import ROOT, built_copy

META = ROOT / "tests" / "fixtures" / "synthetic_year" / "provenance.yml"  # INVENTED provenance
YEAR = 2023
ROWS = {"total": ">200", "exploitation=forced labour": "150", "exploitation=other": "40",
        "exploitation=sex trafficking": "<5"}  # INVENTED: 2022's grouping, one type suppressed, the total a bound


@pytest.fixture
def bounded(tmp_path, monkeypatch):
    raw, pointer = built_copy(tmp_path)
    monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    monkeypatch.setenv("DASHBOARD_RAW", str(raw))
    path = tmp_path / "kcik.csv"
    path.write_text("indicator,year,breakdown,value,source_id,also_in,note\n" + "".join(
        f"kcik_assisted,{YEAR},{b},{v},tip2023,,INVENTED\n" for b, v in ROWS.items()), encoding="utf-8")
    assert main(["update", "national_indicators", str(path), "--meta", str(META), "--db", str(pointer),
                 "--raw", str(raw), "--by", "test"]) == 0
    return duckdb.connect(str(pointer), read_only=True)


def _exploitation(con, year: int) -> list[tuple]:
    return con.execute("SELECT breakdown, value, qualifier, value_as_published FROM national_indicators WHERE "
                       "indicator = 'kcik_assisted' AND year = ? AND breakdown LIKE 'exploitation=%'", [year]).fetchall()


def test_a_suppressed_type_is_never_summed_into_the_total_or_the_shares(bounded):
    con = bounded
    cells = _exploitation(con, YEAR)
    exact = sum(v for _, v, q, _ in cells if q is None)
    written = [text for _, _, q, text in cells if q is not None]
    assert written == ["<5"] and exact == 190
    counts = assistance.national_exploitation("en", mode="count")
    total = next(tr for tr in counts.data if tr.name == t("total", "en"))
    labels = dict(zip(total.x, map(html.unescape, total.text)))  # frame() escapes every text
    assert labels[YEAR] == f"{exact} + <5"  # the counts and the bound side by side, not 190 (the '<5' as 0)
    before = {b: v for b, v, _, _ in _exploitation(con, YEAR - 1)}
    assert labels[YEAR - 1] == str(sum(before.values()))
    bars = [tr for tr in counts.data if tr.type == "bar"]
    by_year = {tr.name: dict(zip(tr.x, tr.y)) for tr in bars}
    assert sum(y is not None for ys in by_year.values() for x, y in ys.items() if x == YEAR) == 2  # no '<5' bar
    shares = assistance.national_exploitation("en", mode="share")
    share_bars = [tr for tr in shares.data if tr.type == "bar"]
    assert all(dict(zip(tr.x, tr.y))[YEAR] is None for tr in share_bars)  # no total, so no share
    assert next(tr for tr in shares.data if tr.name == t("total", "en")).text[-1] == html.escape(f"n={exact} + <5")
    shares_before = sorted(y for tr in share_bars for x, y in zip(tr.x, tr.y) if x == YEAR - 1 and y is not None)
    assert shares_before == pytest.approx(sorted(100 * v / sum(before.values()) for v in before.values()))

def test_a_total_published_as_a_bound_keeps_its_year_drawn_as_a_bound(bounded):
    con = bounded
    published = con.execute("SELECT qualifier, bound, value_as_published FROM national_indicators WHERE "
                            "indicator = 'kcik_assisted' AND year = ? AND breakdown = 'total'", [YEAR]).fetchone()
    assert published == (">", 200, ">200")
    fig = assistance.national_kcik("en")
    years = {x for tr in fig.data if tr.x is not None for x in tr.x}
    assert YEAR in years
    marks = [tr for tr in fig.data if isinstance(tr.meta, dict) and tr.meta.get("bound") == ">"]
    assert [list(map(html.unescape, tr.text)) for tr in marks] == [[">200"]] and marks[0].y[0] > published[1]
    bar = next(tr for tr in fig.data if tr.type == "bar" and list(tr.x) == [YEAR])
    assert bar.base[0] == published[1]  # an open-ended bar from the bound, never a value
