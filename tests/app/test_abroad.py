"""The Abroad page under AppTest against SQL written here: Polish citizens detected by other countries in a year with
"<5" cells (list, map classes, the map's table) in both languages, and Poland's rank among European countries with
ties."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.app.test_pages import figures, run
from tests.helpers import html_tables

DETECTED, CONVICTED = "Detected trafficking victims", "Persons convicted"
NAME = {"pl": "Obywatele Polski (ofiary)", "en": "Polish citizens (victims)"}


def _small_year(db) -> int:
    """The year with the most "<5" cells of Polish citizens counted abroad (the latest of equals)."""
    return db.execute("""SELECT year FROM unodc_glotip WHERE dimension = 'by citizenship' AND category_iso3 = 'POL'
                         AND iso3 <> 'POL' AND indicator = ? AND sex = 'Total' AND age = 'Total'
                         GROUP BY year ORDER BY count(*) FILTER (WHERE value_as_published = '<5') DESC, year DESC
                         LIMIT 1""", (DETECTED,)).fetchone()[0]


def _expected(db, year: int, lang: str) -> dict[str, str]:
    rows = db.execute(f"""SELECT coalesce(c.name_{lang}, u.country), u.value_as_published FROM unodc_glotip u
                          LEFT JOIN countries c USING (iso3) WHERE u.year = ? AND u.dimension = 'by citizenship'
                          AND u.category_iso3 = 'POL' AND u.iso3 <> 'POL' AND u.indicator = ? AND u.sex = 'Total'
                          AND u.age = 'Total'""", (year, DETECTED)).fetchall()
    return {name: shown.replace(",", "") for name, shown in rows}


def _listed(at, lang: str) -> dict[str, str]:
    """The page's list: country -> Polish citizens as shown (the table whose header names them)."""
    table = next(rows for rows in html_tables(at) if rows and NAME[lang] in rows[0] and "Region" in rows[0])
    return {cells[0]: cells[-1].replace("\u00a0", "").replace(",", "") for cells in map(list, map(dict.values, table))}


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_polish_citizens_abroad_equal_sql(built, db, lang):
    year = _small_year(db)
    expected = _expected(db, year, lang)
    assert list(expected.values()).count("<5") >= 2  # a year with "<5" cells
    at = run("pages/10_Abroad.py", year=str(year), lang=lang)
    assert _listed(at, lang) == expected
    fig = next(f for f in figures(at) if f["layout"]["meta"]["name"] == f"abroad_map_{year}")
    table = fig["layout"]["meta"]["table"]
    drawn = {r[0]: r[1].replace("\u00a0", "").replace(",", "") for r in table["rows"]}
    assert {k: drawn[k] for k in expected} == expected  # the map's table: every country with Poles, as published
    # a "<5" is its own class, labelled "<5" on the map too, never a colour of a count
    small = {r[0] for r in db.execute("""SELECT iso3 FROM unodc_glotip WHERE year = ? AND category_iso3 = 'POL'
                                         AND iso3 <> 'POL' AND dimension = 'by citizenship' AND indicator = ?
                                         AND sex = 'Total' AND age = 'Total' AND value_as_published = '<5'
                                         AND region = 'Europe'""", (year, DETECTED)).fetchall()}
    layer = next(t for t in fig["data"] if t.get("name") == "&lt;5")
    assert set(layer["locations"]) == small
    labels = next(t for t in fig["data"] if t.get("name") == "labels")
    assert {i for i, text in zip(labels["ids"], labels["text"]) if text == "&lt;5"} == small
    counts = [t for t in fig["data"] if t["type"] == "choropleth" and t.get("name") != "&lt;5"]
    assert not small & {i for t in counts for i in t["locations"]}


def _population(raw, iso3: str, year: int, population: int) -> None:
    path = raw / "world_population.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line if f",{iso3},{year}," not in line else
                            line.rsplit(",", 1)[0] + f",{population}\n" for line in lines), encoding="utf-8")


def test_poland_rank_with_ties_equals_sql(built, db, variant):
    """Two rates made equal (by the populations): the page says both share the rank SQL written here gives."""
    year = db.execute("SELECT max(year) FROM unodc_glotip WHERE iso3 = 'POL' AND indicator = ? AND dimension = "
                      "'Total' AND sex = 'Total' AND age = 'Total' AND value IS NOT NULL", (DETECTED,)).fetchone()[0]
    pol, other, value = db.execute("""SELECT p.value, o.iso3, o.value FROM unodc_glotip p, unodc_glotip o
        WHERE p.iso3 = 'POL' AND o.iso3 <> 'POL' AND o.region = 'Europe' AND p.year = ? AND o.year = p.year
        AND p.indicator = ? AND o.indicator = p.indicator AND p.dimension = 'Total' AND o.dimension = 'Total'
        AND p.sex = 'Total' AND o.sex = 'Total' AND p.age = 'Total' AND o.age = 'Total' AND o.value IS NOT NULL
        ORDER BY o.value LIMIT 1""", (year, DETECTED)).fetchone()

    def tie(raw):
        _population(raw, "POL", year, pol * 100_000)  # both exactly 1 per 100,000
        _population(raw, other, year, value * 100_000)
    variant(tie)
    from app import data
    rows = data.query("""SELECT u.iso3, u.value * 1e5 / p.population AS rate FROM unodc_glotip u JOIN world_population
                         p ON p.iso3 = u.iso3 AND p.year = u.year WHERE u.region = 'Europe' AND u.indicator = ?
                         AND u.year = ? AND u.dimension = 'Total' AND u.sex = 'Total' AND u.age = 'Total'
                         AND u.value IS NOT NULL""", (DETECTED, year))
    rate = dict(zip(rows.iso3, rows.rate))
    rank = 1 + sum(r > rate["POL"] for r in rate.values())
    tied = sorted(i for i, r in rate.items() if r == rate["POL"] and i != "POL")
    assert tied == [other]
    name = data.query("SELECT coalesce(max(c.name_en), max(u.country)) AS n FROM unodc_glotip u LEFT JOIN countries c "
                      "USING (iso3) WHERE iso3 = ?", (other,)).n.iloc[0]
    at = run("pages/10_Abroad.py", year=str(year), lang="en")
    fig = next(f for f in figures(at) if f["layout"]["meta"]["name"] == f"europe_detected_{year}")
    subtitle = fig["layout"]["meta"]["subtitle"]
    assert subtitle.startswith(f"Poland: rank {rank} of {len(rate)} ") and subtitle.endswith(f"Tied with: {name}.")
    table = {r[0]: r[2] for r in fig["layout"]["meta"]["table"]["rows"]}
    assert table["Poland"] == table[name] == str(rank)


@pytest.mark.parametrize("measure", ["undesa", "gus"])
def test_rates_per_100000_poles_equal_sql(built, db, measure):
    """Per 100,000 Poles living there: the victims of a year with "<5" cells over the stock of the nearest year of
    one measure (never both), a "<5" a bound marked as such."""
    from app.figures import abroad

    year = _small_year(db)
    table, column = (("emigration_stock", "emigrants_thousands * 1000") if measure == "gus" else
                     ("migrant_stock_born_in_poland", "persons"))
    used = db.execute(f"SELECT DISTINCT year FROM {table} ORDER BY abs(year - ?), year LIMIT 1", (year,)).fetchone()[0]
    rows = db.execute(f"""SELECT u.iso3, u.value, u.value_as_published, s.{column} FROM unodc_glotip u
                          JOIN {table} s ON s.iso3 = u.iso3 AND s.year = ? WHERE u.year = ? AND u.iso3 <> 'POL'
                          AND u.dimension = 'by citizenship' AND u.category_iso3 = 'POL' AND u.indicator = ?
                          AND u.sex = 'Total' AND u.age = 'Total' AND s.{column} > 0""",
                      (used, year, DETECTED)).fetchall()
    got = abroad.per_poles("en", year, measure).set_index("iso3")
    assert sorted(got.index) == sorted(r[0] for r in rows) and set(got.stock_year) == {used}
    for iso3, value, shown, persons in rows:
        if shown == "<5":
            assert pd.isna(got.at[iso3, "rate"]) and got.at[iso3, "bound"] == pytest.approx(5e5 / persons)
        else:
            assert got.at[iso3, "rate"] == pytest.approx(value * 1e5 / persons)
    fig = abroad.abroad_rates("en", year=year, measure=measure)
    assert f"{used}" in fig.layout.meta["subtitle"]
    assert any(r[1].startswith("<") for r in fig.layout.meta["table"]["rows"])  # a rate from "<5", marked
