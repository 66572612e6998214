"""What the pages beyond Poland's borders read (app/data.py) against SQL written here, whose count two series are,
and the Update page knowing UNODC's file by its layout."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import Workbook

from app import data
from tests.helpers import SHARED, require_shared

# How countries spell Polish citizens in UNODC's file (read in both releases), independently of the mapping file.
POLISH = ("poland", "poles", "polish", "pologne", "polonia")


def test_polish_citizens_abroad_as_published(built, db):
    year = db.execute(f"""SELECT year FROM unodc_glotip WHERE dimension = 'by citizenship' AND iso3 <> 'POL'
                          AND lower(category) IN {POLISH} AND indicator = 'Detected trafficking victims'
                          GROUP BY year ORDER BY count(*) FILTER (WHERE value_as_published = '<5') DESC, year DESC
                          LIMIT 1""").fetchone()[0]
    expected = db.execute(f"""SELECT iso3, value_as_published FROM unodc_glotip WHERE year = ? AND iso3 <> 'POL'
                              AND dimension = 'by citizenship' AND lower(category) IN {POLISH} AND sex = 'Total'
                              AND age = 'Total' AND indicator = 'Detected trafficking victims' ORDER BY iso3""",
                          (year,)).fetchall()
    got = data.citizens_abroad()
    this = got[got.year == year].sort_values("iso3")
    assert list(zip(this.iso3, this.value_as_published)) == expected
    small = this[this.value_as_published == "<5"]
    assert len(small) >= 2 and small.value.isna().all() and (small.qualifier == "<").all() and (small.bound == 5).all()
    assert (this.value.dropna() >= 5).all()
    said = {(r.iso3, int(r.year)): r.value_as_published for r in got.itertuples()}  # PROVENANCE.md's examples
    assert (said[("NLD", 2011)], said[("GBR", 2021)], said[("DEU", 2007)], said[("DEU", 2022)]) == \
        ("104", "120", "56", "27")
    assert list(got.in_europe) == sorted(got.in_europe, reverse=True)  # Europe first, then the rest of the world
    # a country counted Poles only where it gave a breakdown by citizenship at all (elsewhere: no data)
    reported = data.citizenship_reported()
    assert set(zip(got.iso3, got.year)) <= set(zip(reported.iso3, reported.year))
    assert len(reported[reported.year == year]) > len(this)


def _ranks(rates: list[float]) -> list[int]:
    return [1 + sum(other > r for other in rates) for r in rates]


@pytest.mark.parametrize("indicator", [data.DETECTED, data.CONVICTED])
def test_poland_among_european_countries_per_100000(built, db, indicator):
    year = db.execute("""SELECT year FROM unodc_glotip WHERE region = 'Europe' AND indicator = ? AND dimension = 'Total'
                         AND sex = 'Total' AND age = 'Total' AND value_as_published = '<5'
                         ORDER BY year DESC LIMIT 1""", (indicator,)).fetchone()[0]
    rows = db.execute("""SELECT u.iso3, u.value, u.bound, p.population FROM unodc_glotip u
                         LEFT JOIN world_population p ON p.iso3 = u.iso3 AND p.year = u.year
                         WHERE u.region = 'Europe' AND u.indicator = ? AND u.year = ? AND u.dimension = 'Total'
                           AND u.sex = 'Total' AND u.age = 'Total'""", (indicator, year)).df()
    counted = rows[rows.value.notna() & rows.population.notna()]
    rate = dict(zip(counted.iso3, counted.value * 100000 / counted.population))
    rank = dict(zip(rate, _ranks(list(rate.values()))))
    got = data.europe_rates(indicator, year).set_index("iso3")
    europe = {r[0] for r in db.execute("SELECT DISTINCT iso3 FROM unodc_glotip WHERE region = 'Europe' "
                                       "AND iso3 IS NOT NULL").fetchall()}
    assert set(got.index) == europe  # every European country, reported or not
    for iso3, r in got.iterrows():
        if iso3 in rate:
            assert r.per_100k == pytest.approx(rate[iso3]) and r["rank"] == rank[iso3] and r.ranked == len(rate)
        else:
            assert pd.isna(r.per_100k) and pd.isna(r["rank"])  # "<5", or not reported: no rate, no rank
    small = rows[rows.bound.notna() & rows.population.notna()]
    assert len(small) >= 1
    for s in small.itertuples():
        assert got.at[s.iso3, "value_as_published"] == "<5"
        assert got.at[s.iso3, "rate_bound"] == pytest.approx(5 * 100000 / s.population)
    silent = europe - set(rows.iso3)
    assert silent and got.loc[sorted(silent)].value_as_published.isna().all()  # did not report: no data
    assert got.at["POL", "population"] == db.execute("SELECT population FROM world_population WHERE iso3 = 'POL' "
                                                     "AND year = ?", (year,)).fetchone()[0]


def test_where_two_series_are_one_count(built, db):
    """From the data (also_in and equal values), never from code: the prosecutors' 2022 figures are UNODC's."""
    expected = set(db.execute("""SELECT a.indicator, b.indicator, a.year, a.breakdown FROM national_indicators a
                                 JOIN national_indicators b ON a.year = b.year AND a.breakdown = b.breakdown
                                   AND a.indicator <> b.indicator AND a.value = b.value
                                   AND ' ' || a.also_in || ' ' LIKE '% ' || b.source_id || ' %'""").fetchall())
    got = data.same_counts()
    assert set(zip(got.indicator, got.same_as, got.year, got.breakdown)) == expected
    assert {("prosecutor_victims", "unodc_detected_victims", 2022, b) for b in ("total", "minors", "polish")} <= expected
    assert not any(y == 2015 for *_, y, _ in expected)  # 173 vs 115: two counts that year


def test_the_update_page_knows_unodcs_file_by_its_layout(built):
    from app.updates import Upload

    path = SHARED / "data" / "unodc" / "data_glotip_2023-05-30.xlsx"
    require_shared(path)
    assert Upload("national_indicators", "glotip.xlsx", path.read_bytes()).dataset == "unodc_glotip"
    book, buf = Workbook(), io.BytesIO()
    book.active.append(["year", "total"])
    book.save(buf)
    assert Upload("programme_victims", "table.xlsx", buf.getvalue()).dataset == "programme_victims"
    assert Upload("population", "p.csv", b"year,teryt,population\n").dataset == "population"
