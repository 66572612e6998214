"""Numbers at the edges: one rounding rule for class, label, hover and list; missing is never 0; the 2013
discrepancy travels inside the figures; small counts are marked; notes say only what the data says."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from app import data, figures, maps, slides
from app.i18n import t
from app.numbers import SMALL_COUNT, in_class, label, shown
from tests.helpers import RAW


@pytest.mark.parametrize("x, decimals, expected", [
    (9.52, 0, 10.0), (9.49, 0, 9.0), (2.5, 0, 3.0), (0.5, 0, 1.0), (2.675, 2, 2.68), (0.125, 2, 0.13),
    (1.25, 1, 1.3), (49.5, 0, 50.0), (835.975, 0, 836.0), (0, 0, 0.0)])
def test_shown_rounds_half_up_at_the_shown_precision(x, decimals, expected):
    assert shown(x, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_shown_and_label_of_missing(missing):
    assert shown(missing) is None and label(missing, "pl") == "–" and in_class(missing, maps.CLASSES) is None


def test_label_keeps_a_small_positive_value_from_reading_as_zero():
    assert label(0.3, "pl") == "<1" and label(0.04, "en", 1) == "<0.1" and label(0, "pl") == "0"


def _traces_by_location(fig):
    """location -> (class name, z, hover) for the value traces; location -> label text for the labels (as plotly
    shows them: the figure holds them escaped, app/safe_text.py)."""
    from html import unescape

    values, labels = {}, {}
    for tr in fig.data:
        if tr.type == "choropleth" and tr.customdata is not None and tr.name not in (t("no_data", "pl"),
                                                                                      t("no_data", "en")):
            for loc, z, hover in zip(tr.locations, tr.z, tr.customdata):
                values[loc] = (unescape(tr.name), z, unescape(hover))
        if tr.type == "scattergeo" and tr.name == "labels":
            labels.update(zip(tr.ids, map(unescape, tr.text)))
    return values, labels


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_un_map_class_label_hover_and_list_agree(built, lang):
    """Every country of every UN year and view: the class holds the labelled value and the hover says it too."""
    stock = data.migrant_stock()
    checked = 0
    for year in figures.undesa_years():
        persons = stock[stock.year == year].set_index("iso3").persons
        for view in ("europe", "world"):
            values, labels = _traces_by_location(figures.undesa_map(lang, year=year, view=view))
            bounds = {maps.class_label(i, lang, maps.UN_CLASSES): b for i, b in enumerate(maps.UN_CLASSES)}
            for iso, (cls, z, hover) in values.items():
                text = label(persons[iso] / 1000, lang)
                lo, hi = bounds[cls]
                assert z == shown(persons[iso] / 1000) and lo <= z and (hi is None or z < hi), (year, iso, cls, z)
                assert hover.split(": ", 1)[1].startswith(text + " "), (hover, text)
                if iso in labels:
                    assert labels[iso] == text
                checked += 1
    assert checked > 500


def test_denmark_1995_is_labelled_and_coloured_as_10_thousand(built):
    values, labels = _traces_by_location(figures.undesa_map("en", year=1995))
    cls, z, hover = values["DNK"]
    assert data.migrant_stock().query("year == 1995 and iso3 == 'DNK'").persons.iloc[0] == 9520
    assert (cls, z, labels["DNK"]) == ("10–49 thousand", 10.0, "10")
    assert hover == "Denmark: 10 thousand (9,520 persons)"


def test_gus_map_classes_agree_with_labels(built):
    stock = data.emigration_stock()
    for year in figures.emigration_years():
        values, labels = _traces_by_location(figures.emigration_map("pl", year=year))
        bounds = {maps.class_label(i, "pl"): b for i, b in enumerate(maps.CLASSES)}
        for iso, (cls, z, _hover) in values.items():
            lo, hi = bounds[cls]
            published = stock.query("year == @year and iso3 == @iso").emigrants_thousands.iloc[0]
            assert lo <= z and (hi is None or z < hi) and labels[iso] == label(published, "pl")


def _drop_lines(path, predicate) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not predicate(line)), encoding="utf-8")


def test_missing_world_total_is_no_data_not_zero(built, variant):
    assert re.search(r"world: 2[,\d]+ persons", figures.undesa_map("en", year=2000).layout.title.subtitle.text)
    variant(lambda raw: _drop_lines(raw / "poles_abroad_undesa2020.csv",
                                    lambda line: line.startswith("2000,,World")))
    subtitle = figures.undesa_map("en", year=2000).layout.title.subtitle.text
    assert "world: no data;" in subtitle and "0 persons" not in subtitle


@pytest.mark.slow
def test_headline_over_a_year_without_data_says_so(built, variant):
    assert data.headline()["missing_years"] == [] and data.headline()["total"] == 241

    def blank_2010(raw):  # the 2010 total published as an empty cell: no data
        path = raw / "programme_victims.tsv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines = ["\t".join(["2010", "", *line.split("\t")[2:]]) if line.startswith("2010\t") else line
                 for line in lines]
        path.write_text("".join(lines), encoding="utf-8")

    variant(blank_2010)
    h = data.headline()
    assert h["missing_years"] == [2010] and (h["first_year"], h["last_year"]) == (2006, 2013)
    from streamlit.testing.v1 import AppTest
    from tests.helpers import ROOT
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["No data for: 2010; the sums and shares leave these years out."]
    assert "No data for: 2010" in slides.SLIDES[0].note("en")


def _note(fig) -> str:
    return " ".join(a.text for a in fig.layout.annotations if a.name == "note").replace("<br>", " ")


def test_the_2013_discrepancy_is_inside_every_figure_it_affects(built, db):
    year, expected, actual = db.execute(
        "SELECT CAST(key AS INTEGER), expected, actual FROM data_quality "
        "WHERE check_name = 'referrals_year_vs_enrolments' AND severity = 'warning'").fetchone()
    said = t("referrals_mismatch", "en", year=year, expected=expected, actual=actual)
    assert f"add up to {actual} against {expected}" in said
    affected = [figures.referrals_map("en", first=year, last=year),
                figures.referrals_map("en", first=year - 3, last=year, metric="rate"),
                figures.referrals_ranking("en", first=year, last=year), figures.overview_map("en"),
                figures.referrals_by_year("en"), figures.referrals_heatmap("en"),
                figures.referrals_series("en", "02"), next(s for s in slides.SLIDES if s.key == "rate").figure("en")]
    for fig in affected:
        assert said in _note(fig), fig.layout.meta["name"]
    for fig in (figures.referrals_map("en", first=year - 1, last=year - 1),
                figures.referrals_ranking("en", first=year - 2, last=year - 1)):
        assert said not in _note(fig)
    # Computed, never written: no UI text quotes the discrepancy's numbers.
    from app.i18n import LANGS
    from app.i18n import texts as catalog_texts

    said = [(k, s) for lang in LANGS for k, s in catalog_texts(lang)]
    assert not [k for k, s in said if str(actual) in s and str(expected) in s]


def test_rates_on_small_counts_are_marked_with_their_count(built, db):
    fig = figures.referrals_map("pl", first=2013, last=2013, metric="rate")
    counts = dict(db.execute("SELECT teryt, referrals FROM programme_referrals WHERE year = 2013").fetchall())
    values = {loc: hover for tr in fig.data if tr.type == "choropleth" and tr.customdata is not None
              for loc, hover in zip(tr.locations, tr.customdata)}
    _, labels = _traces_by_location(fig)
    small = [k for k, n in counts.items() if 0 < n < SMALL_COUNT]
    assert small, "2013 has voivodeships with 1-4 referrals"
    for teryt, n in counts.items():
        assert labels[teryt].endswith("*") == (teryt in small), (teryt, n, labels[teryt])
        assert f"({n} " in values[teryt]  # the count beside the rate in the hover
    assert t("small_count_note", "pl", n=SMALL_COUNT).replace("<br>", " ") in _note(fig)
    ranking = figures.referrals_ranking("en", first=2013, last=2013, metric="rate").data[0]
    for name, text in zip(ranking.y, ranking.text):
        teryt = db.execute("SELECT teryt FROM voivodeships WHERE name_en = ?", [name]).fetchone()[0]
        assert text.endswith(f"({counts[teryt]})") and ("*" in text) == (teryt in small)
    # counts are never marked: a count of 3 is exact
    assert not any(x.endswith("*") for x in _traces_by_location(figures.referrals_map("pl", first=2013, last=2013))[1].values())


def test_main_destinations_name_the_year_of_an_older_figure(built):
    fig = figures.emigration_top("en")
    stock = data.emigration_stock()
    last = int(stock.year.max())
    for tr in fig.data:
        m = re.match(r"(.*) \(latest (\d{4})\)$", tr.name)
        name, year = (m.group(1), int(m.group(2))) if m else (tr.name, last)
        assert int(stock[stock.name_en == name].year.max()) == year, tr.name
    assert "United Kingdom (latest 2019)" in [tr.name for tr in fig.data]
    assert fig.layout.meta["name"] == "emigration_top_2004-2020"  # the file name, not a country's


@pytest.mark.slow
def test_speaker_notes_quote_checkable_numbers(built, db):
    notes = {s.key: s.note("en") for s in slides.SLIDES}
    men = db.execute("SELECT year, men / total FROM programme_victims ORDER BY 2 DESC LIMIT 1").fetchone()
    assert f"The men's largest share in one year: {men[0]} ({round(100 * men[1])}%)" in notes["groups"]
    cell = db.execute("SELECT year, referrals FROM programme_referrals ORDER BY referrals DESC LIMIT 1").fetchone()
    year_total = db.execute("SELECT sum(referrals) FROM programme_referrals WHERE year = ?", [cell[0]]).fetchone()[0]
    assert f"{cell[1]} referrals, {round(100 * cell[1] / year_total)}% of the country's" in notes["years"]
    n = db.execute("SELECT count(*) FROM voivodeships").fetchone()[0]
    assert f"of {n} voivodeships referred someone" in notes["where"]
    for claim in ("stands out", "rare and clustered", "larger numbers", "one large case"):
        assert not [k for k, v in notes.items() if claim in v]


def test_series_notes_come_from_the_sidecars(db):
    import yaml
    rows = db.execute("SELECT dataset, kind, scope, first_year, last_year, label_en FROM series_notes").fetchall()
    expected = []
    for side in sorted(RAW.glob("*.meta.yml")):
        meta = yaml.safe_load(side.read_text(encoding="utf-8"))
        for n in meta.get("series_notes") or []:
            first, last = n.get("first_year"), n.get("last_year", n.get("first_year"))
            expected.append((meta["dataset"], n["kind"], n.get("scope"), first, last,
                             n["en"].format(first=first, last=last)))
    assert sorted(rows, key=str) == sorted(expected, key=str)
    assert ("population", "break", None, 2009, 2010,
            "population: series break 2009/2010 (balances rebased on the 2011 census)") in rows


@pytest.mark.slow
def test_a_new_break_is_a_data_edit(built, variant):
    def add_break(raw):
        side = raw / "population_voivodeship.csv.meta.yml"
        side.write_text(side.read_text(encoding="utf-8").replace(
            "series_notes:\n", "series_notes:\n  - {kind: break, first_year: 2011, last_year: 2012, "
                               "pl: \"test {first}/{last}\", en: \"test break {first}/{last}\"}\n"), encoding="utf-8")
    variant(add_break)
    assert "test break 2011/2012" in figures.referrals_map("en", first=2010, last=2013, metric="rate").layout.title.subtitle.text
    assert "test break" not in figures.referrals_map("en", first=2012, last=2013, metric="rate").layout.title.subtitle.text
    assert "test break 2011/2012" in figures.series_caveat("population", "en")


@pytest.mark.slow
def test_a_year_without_population_has_no_rate_and_the_range_says_so(built, db, variant):
    pop = dict(db.execute("SELECT year, population FROM population WHERE teryt = '02'").fetchall())
    refs = dict(db.execute("SELECT year, referrals FROM programme_referrals WHERE teryt = '02'").fetchall())
    variant(lambda raw: _drop_lines(raw / "population_voivodeship.csv", lambda line: line.startswith("2013,")))
    one = figures.referrals_map("en", first=2013, last=2013, metric="rate")
    assert _traces_by_location(one)[0] == {}  # every voivodeship grey: no data, never a rate of 0
    assert "No population figures for 2013" in _note(one)
    whole = data.referrals_in_range(2006, 2013).set_index("id").loc["02"]
    years = range(2006, 2013)  # the rate weights only the years that have both
    assert whole.per_million == pytest.approx(sum(refs[y] for y in years) * 1e6 / sum(pop[y] for y in years))
    assert (whole.rate_years, whole.years, whole.referrals) == (7, 8, sum(refs.values()))
    assert "No population figures for 2013" in _note(figures.referrals_map("en", first=2006, last=2013, metric="rate"))
    assert "No population figures" not in _note(figures.referrals_map("en", first=2006, last=2013))  # counts
