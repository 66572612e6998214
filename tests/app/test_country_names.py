"""Every country the data names has its name in both languages: each country UNODC's file names (reporting, or as a
citizenship) is in the countries relation, and a citizenship as UNODC spells it reads in Polish, checked with SQL."""

from __future__ import annotations

import pytest

from app.figures import abroad
from app.figures.indicators import CITIZENSHIP, breakdown_label


def test_every_country_unodc_names_is_in_the_countries_relation(db):
    missing = db.execute("""SELECT iso3 FROM unodc_glotip WHERE iso3 IS NOT NULL
                            UNION SELECT category_iso3 FROM unodc_glotip WHERE category_iso3 IS NOT NULL
                            EXCEPT SELECT iso3 FROM countries""").fetchall()
    assert missing == []


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_a_citizenship_reads_in_the_language_as_the_countries_relation_names_it(db, lang):
    """The profile's citizenships (national_indicators, in the source's English): each is shown by the countries
    relation's name in `lang`; a spelling of no country (a region such as 'Other Asia') stays as published."""
    rows = db.execute(f"""
        SELECT s.spelling, coalesce(c.name_{lang}, s.spelling)
        FROM (SELECT DISTINCT substr(breakdown, {len(CITIZENSHIP) + 1}) AS spelling FROM national_indicators
              WHERE breakdown LIKE '{CITIZENSHIP}%') s LEFT JOIN countries c ON c.name_en = s.spelling
        ORDER BY s.spelling""").fetchall()
    assert rows and [(s, breakdown_label(CITIZENSHIP + s, lang)) for s, _ in rows] == rows
    unnamed = [s for s, name in rows if s == name and lang == "pl"]
    assert len(unnamed) < len(rows) // 2, unnamed  # Polish names, not the source's English ones again


def test_every_reporting_country_is_named_in_polish(db):
    """The Abroad page's names: every reporting country by the relation's Polish name, none by UNODC's English."""
    expected = dict(db.execute("SELECT iso3, name_pl FROM countries").fetchall())
    reporting = [r[0] for r in db.execute("SELECT DISTINCT iso3 FROM unodc_glotip WHERE iso3 IS NOT NULL").fetchall()]
    names = abroad.names("pl")
    assert [(i, names.get(i)) for i in reporting] == [(i, expected[i]) for i in reporting]
