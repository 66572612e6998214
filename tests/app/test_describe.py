"""Every figure's text alternative (issue 23, item 2): its description follows the rules of app/describe.py and its
table holds the numbers it draws, both checked against SQL on the database, not against the code that made them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import charts, describe, figures, slides

from app.figures import national
from app.i18n import t
from tests.helpers import ROOT, disclosures, html_table

NBSP = "\u00a0"


def half_up(x: float, decimals: int = 0) -> str:
    """A number rounded half away from zero (the dashboard's rule, written out here on its own), as plain digits."""
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q:f}"


def plain(text: str) -> str:
    """A formatted number as plain digits: no group separator (Polish NBSP / English comma)."""
    return text.replace(NBSP, "").replace(",", "")


def places(names: list[str]) -> str:
    """At most three names, then '+n' (the rule of app.describe, written out here)."""
    return ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")


def table(fig) -> pd.DataFrame:
    return describe.as_frame(fig.layout.meta["table"])


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_victims_description_is_the_database_read_aloud(built, db, lang):
    rows = db.execute("SELECT year, total FROM programme_victims ORDER BY year").fetchall()
    top, low = max(v for _, v in rows), min(v for _, v in rows)
    (y0, a), (y1, b) = rows[0], rows[-1]
    trend = "desc_rose" if b > a else "desc_fell" if b < a else "desc_same"
    expected = (t("desc_extremes", lang, series=t("total", lang), max=top,
                  max_at=places([str(y) for y, v in rows if v == top]), min=low,
                  min_at=places([str(y) for y, v in rows if v == low]))
                + " " + t(trend, lang, first=y0, last=y1, a=a, b=b))
    fig = figures.victims(lang)
    assert fig.layout.meta["description"] == expected
    # the table: one row per year, the total and every group as counted
    groups = db.execute("SELECT year, total, women, men, minors_in_care, minors_unaccompanied FROM programme_victims "
                        "ORDER BY year").fetchall()
    assert [tuple(int(plain(c)) for c in r) for r in table(fig).itertuples(index=False)] == groups


def test_a_share_table_gives_the_drawn_percentages(built, db):
    fig = figures.victims("en", mode="share")
    rows = db.execute("SELECT year, women, total FROM programme_victims ORDER BY year").fetchall()
    women = table(fig)[f"{t('women', 'en')} (%)"]
    assert list(women) == [half_up(100 * w / tot, 1) for _, w, tot in rows]


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_referrals_map_names_the_largest_and_smallest_from_sql(built, db, lang):
    year = db.execute("SELECT max(year) FROM programme_referrals").fetchone()[0]
    rows = db.execute(f"SELECT v.name_{lang}, r.referrals FROM programme_referrals r JOIN voivodeships v USING (teryt) "
                      "WHERE r.year = ?", [year]).fetchall()
    fig = figures.referrals_map(lang)
    got = table(fig)
    assert dict(zip(got.iloc[:, 0], got.iloc[:, 1].map(int))) == dict(rows)
    top, low = max(v for _, v in rows), min(v for _, v in rows)
    # names listed in the table's (alphabetical) order
    order = list(got.iloc[:, 0])
    at = lambda value: places(sorted([n for n, v in rows if v == value], key=order.index))  # noqa: E731
    assert fig.layout.meta["description"] == t("desc_extremes", lang, series=t("referrals", lang), max=top,
                                               max_at=at(top), min=low, min_at=at(low))


def test_emigration_map_table_is_rounded_as_labelled(built, db):
    year = db.execute("SELECT max(year) FROM emigration_stock").fetchone()[0]
    rows = db.execute("SELECT c.name_en, s.emigrants_thousands FROM emigration_stock s JOIN countries c USING (iso3) "
                      "WHERE s.year = ? AND s.emigrants_thousands IS NOT NULL ORDER BY 2 DESC", [year]).fetchall()
    got = table(figures.emigration_map("en"))
    on_map = dict(zip(got.iloc[:, 0], got.iloc[:, 1].map(plain)))
    assert on_map and set(on_map) <= {n for n, _ in rows}  # the countries drawn on the Europe map
    assert all(on_map[n] == half_up(v) for n, v in rows if n in on_map)
    assert figures.emigration_map("en").layout.meta["description"].startswith(
        f"{t('thousands_of_persons', 'en')}: largest {half_up(rows[0][1])} ({rows[0][0]})")


def label_of(db, indicator: str, lang: str) -> str:
    return db.execute(f"SELECT label_{lang} FROM indicators WHERE indicator = ?", [indicator]).fetchone()[0]


def test_the_victims_counts_table_has_gaps_bounds_and_every_count(built, db):
    fig = national.national_victims("en")
    got = table(fig).set_index(t("year", "en"))
    kcik = dict(db.execute("SELECT year, value FROM national_indicators WHERE indicator = 'kcik_assisted' AND "
                           "breakdown = 'total'").fetchall())
    years = [int(y) for y in got.index]
    column = got[label_of(db, "kcik_assisted", "en")]
    assert {y: column[str(y)] for y in years} == {
        y: (str(kcik[y]) if y in kcik else t("no_data", "en")) for y in years}
    assert (column == t("no_data", "en")).sum() == len([y for y in years if y not in kcik])
    year, bound = db.execute("SELECT year, bound FROM national_indicators WHERE qualifier = '>'").fetchone()
    assert got[label_of(db, "prosecutor_victims", "en")][str(year)] == f"more than {bound:,}"


def test_justice_table_says_no_data_where_nothing_was_published(built, db):
    fig = national.national_justice("pl")
    got = table(fig).set_index(t("year", "pl"))
    published = db.execute("SELECT year, count(DISTINCT value) FROM national_indicators WHERE indicator = "
                           "'police_offences_recorded' AND breakdown = 'total' GROUP BY year").fetchall()
    column = got[label_of(db, "police_offences_recorded", "pl")]
    assert {int(y) for y in column.index[column == t("no_data", "pl")]} == \
        {int(y) for y in got.index} - {y for y, _ in published}


def test_a_ranking_puts_missing_values_last_and_never_leads_with_them():
    df = pd.DataFrame({"label": ["a", "b", "c"], "v": [3.0, np.nan, 5.0]})
    fig = charts.ranking_chart(df, "en", value="v", title="T", subtitle="per million, 2013", source="S", decimals=1)
    assert list(fig.data[0].y) == ["b", "a", "c"]  # bottom to top: the bar without a value at the very bottom
    assert fig.data[0].text[0] == t("no_data", "en")
    assert "c" in fig.layout.meta["alt"] and "b" not in fig.layout.meta["alt"].split(":")[-1]
    assert list(table(fig).iloc[:, 0]) == ["c", "a", "b"] and table(fig).iloc[2, 1] == t("no_data", "en")
    assert fig.layout.meta["description"] == ("per million: largest 5.0 (c), smallest 3.0 (a). "
                                              + t("desc_gaps", "en", which="b"))


def number(text: str) -> bool:
    try:
        float(plain(text).replace(",", "."))
        return True
    except ValueError:
        return False


def every_figure(lang: str):
    for e in figures.CATALOGUE:
        yield e.key, e.figure(lang)
    for i, s in enumerate(slides.SLIDES, 1):
        yield f"slide {i}", s.figure(lang)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_every_figure_has_a_table_and_a_description(built, lang):
    missing = []
    for key, fig in every_figure(lang):
        meta = fig.layout.meta
        if fig.layout.meta["name"] == "slide_limits":  # a slide of sentences: its text is its own alternative
            assert meta["alt"]
            continue
        got = table(fig)
        # a figure of texts (statuses, dates) has no description: its table says it all
        texts = not got.empty and not any(number(v) for v in got.iloc[:, 1])
        if got.empty or (not meta["description"] and not texts):
            missing.append(key)
    assert missing == []


def test_the_page_shows_the_description_and_the_table(built):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.switch_page("pages/1_Victims.py")
    at.run()
    assert not at.exception
    fig = figures.victims("pl")
    assert fig.layout.meta["description"] in [c.value.replace("\\", "") for c in at.caption]
    inside = disclosures(at)[f"{t('table_toggle', 'pl')}: {fig.layout.meta['title']}"]
    assert list(html_table(inside)[0])[0] == t("year", "pl")
