"""The page of the national counts after the Programme ("Po 2013 roku / Since 2014", issues 14 and 22) under AppTest:
every count of victims side by side with the database's values (SQL is the oracle, never the figure functions), bounds
drawn as bounds, '<5' never a length, disagreements between sources marked by the documented rule, the profile of the
victims, single figures and what the sources say only in words; the Overview's tiles; the slide."""

from __future__ import annotations

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from app import slides
from app.page import nav_label
from tests.app.test_pages import by_name, figures, notices
from tests.app.national_oracles import (FINER, exploitation, sql_disagreements, sql_kcik, sql_latest_range,
                                        sql_victim_series)
from tests.helpers import ROOT, html_tables

PAGE = "pages/8_National_counts.py"
TIMEOUT = 180  # a loaded shared 2-core machine runs several suites at once
TOPICS = {"default": {}, "exploitation": {"topic": "exploitation"}, "profile": {"topic": "profile"},
          "assistance": {"topic": "assistance"}}


def run(page: str = PAGE, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    if page != "dashboard.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def named(at: AppTest) -> dict[str, dict]:
    return {f["layout"]["meta"]["name"]: f for f in figures(at)}


def first(figs: dict, prefix: str) -> dict:
    return next(f for name, f in figs.items() if name.startswith(prefix))


def point(trace: dict, year: int):
    return trace["y"][trace["x"].index(year)]


def traces_of(fig: dict, indicator: str) -> list[dict]:
    return [tr for tr in fig["data"] if (tr.get("meta") or {}).get("indicator") == indicator]


def note_of(fig: dict) -> str:
    return " ".join(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "note").replace("<br>", " ")


@pytest.fixture(scope="module", params=["pl", "en"])
def views(request, built):
    """The page in its default view and with each topic below the first screen, in one language."""
    return request.param, {name: run(lang=request.param, **params) for name, params in TOPICS.items()}


@pytest.fixture(scope="module")
def page(views):
    return views[0], views[1]["default"]


def test_one_topic_below_the_first_screen(views):
    drawn = {view: [n.rsplit("_", 1)[0] for n in named(at)] for view, at in views[1].items()}
    assert drawn["default"] == ["national_victims", "national_justice"]
    assert drawn["exploitation"] == ["national_victims", "national_kcik_exploitation_count", "national_kcik_exploitation"]
    assert drawn["profile"] == ["national_victims", "national_profile_unodc_detected_victims"]
    assert drawn["assistance"] == ["national_victims", "national_kcik", "national_assistance"]


def test_every_count_of_victims_is_drawn_with_the_database_s_values(page, db):
    lang, at = page
    fig = first(named(at), "national_victims_")
    expected = sql_victim_series(db)
    years = list(range(min(min(v) for v in expected.values() if v), db.execute(
        "SELECT max(year) FROM national_indicators JOIN indicators USING (indicator) WHERE topic = 'victims'"
    ).fetchone()[0] + 1))
    lines = {tr["meta"]["indicator"]: tr for tr in fig["data"] if tr.get("mode") == "lines+markers"}
    assert set(lines) == set(expected)  # every series of the data, and only those
    for indicator, values in expected.items():
        line = lines[indicator]
        assert line["x"] == years and line["connectgaps"] is False
        assert {x: y for x, y in zip(line["x"], line["y"]) if y is not None} == values, indicator
        # a year with no figure is a gap: None, never 0
        assert all(line["y"][years.index(y)] is None for y in years if y not in values)
    # never stacked or summed: lines, plus the marks of bounds
    assert {tr["type"] for tr in fig["data"]} <= {"scatter", "bar"}
    assert fig["layout"].get("barmode") != "stack"


def test_a_bound_is_drawn_as_a_bound_never_as_a_point(page, db):
    lang, at = page
    fig = first(named(at), "national_victims_")
    bounds = db.execute("""SELECT indicator, year, bound FROM national_indicators JOIN indicators USING (indicator)
                           WHERE topic = 'victims' AND breakdown = 'total' AND qualifier = '>'""").fetchall()
    assert bounds  # the prosecutors' 'more than 1,000' of 2023
    for indicator, year, bound in bounds:
        for tr in fig["data"]:
            pairs = set(zip(tr.get("x") or [], tr.get("y") or []))
            assert (year, bound) not in pairs, tr.get("name")  # no trace has a point at the bound
        # the bound never sets the axis (the counts keep the plot): it is an arrowhead on the top edge, with its words
        exact = max(v for values in sql_victim_series(db).values() for v in values.values())
        top = fig["layout"]["yaxis"]["range"][1]
        assert exact < top <= 1.2 * exact < bound  # the counts fill the plot, with room above the largest
        mark, = [tr for tr in traces_of(fig, indicator) if (tr.get("meta") or {}).get("bound") == ">"]
        assert mark["x"] == [year] and mark["y"] == [top] and mark["marker"]["symbol"] == "triangle-up"
        words = "ponad 1 000" if lang == "pl" else "more than 1,000"
        assert words in mark["text"][0].replace("\u00a0", " ") and words in mark["customdata"][0].replace("\u00a0", " ")


def test_the_range_of_the_latest_year_is_said_in_words(page, db):
    lang, at = page
    year, low, high = sql_latest_range(db)
    said = [m.value for m in at.markdown if m.value.startswith("**")]
    words = (f"W roku {year} opublikowane liczby ofiar wynoszą od {low} do {high}" if lang == "pl" else
             f"In {year} the published counts of victims range from {low} to {high} depending on who counts")
    assert any(words in re.sub(r"\\(.)", r"\1", s) for s in said), said


def test_every_value_of_the_figure_is_in_a_table_with_its_source(page, db):
    lang, at = page
    tables = html_tables(at)
    series = "Seria" if lang == "pl" else "Series"
    table = next(t for t in tables if t and series in t[0])
    value, source, year = ("Liczba", "Źródło", "Rok") if lang == "pl" else ("Value", "Source", "Year")
    shown = {(r[year], r[value], r[source]) for r in table}
    expected = db.execute("""SELECT n.year, n.value_as_published, n.source_id FROM national_indicators n
                             JOIN indicators i USING (indicator) WHERE i.topic = 'victims' AND n.breakdown = 'total'
                             UNION ALL SELECT year, total::VARCHAR, source_id FROM programme_victims""").fetchall()
    as_shown = {"<5": "<5", ">1000": "ponad 1 000" if lang == "pl" else "more than 1,000"}
    assert {(str(y), as_shown.get(v, v), s) for y, v, s in expected} == {
        (y, v.replace("\u00a0", " "), s) for y, v, s in shown}


def points(trace: dict) -> dict:
    """A trace's points as x -> y, gaps (None) left out."""
    return {x: y for x, y in zip(trace["x"], trace["y"]) if y is not None}


def test_kcik_by_sex_and_foreign_nationals(views, db):
    lang, at = views[0], views[1]["assistance"]
    kcik = first(named(at), "national_kcik_2")
    total = next(tr for tr in kcik["data"] if tr.get("mode") == "text")
    assert points(total) == sql_kcik(db, "total")
    as_published = dict(db.execute("""SELECT year, value_as_published FROM national_indicators
                                      WHERE indicator = 'kcik_assisted' AND breakdown = 'total'""").fetchall())
    assert dict(zip(total["x"], total["text"])) == as_published
    foreign = by_name(kcik, "w tym cudzoziemcy" if lang == "pl" else "of whom foreign nationals")
    assert points(foreign) == sql_kcik(db, "foreign") and foreign["x"]
    women = by_name(kcik, "kobiety" if lang == "pl" else "women")
    assert points(women) == sql_kcik(db, "female") and women["x"]
    for (source,) in db.execute("""SELECT DISTINCT source_id FROM national_indicators WHERE indicator = 'kcik_assisted'
                                   AND breakdown IN ('total', 'female', 'male', 'foreign', 'minors')""").fetchall():
        assert source in kcik["layout"]["meta"]["source"], source  # mswia2016 for the foreign nationals of 2015 too
    assistance = first(named(at), "national_assistance_")
    referred, = traces_of(assistance, "referred_to_care")
    assert points(referred) == dict(db.execute("""SELECT year, value FROM national_indicators
                                                WHERE indicator = 'referred_to_care' AND breakdown = 'total'""").fetchall())


def test_exploitation_as_the_source_groups_it_and_the_finer_year_apart(views, db):
    lang, at = views[0], views[1]["exploitation"]
    figs = named(at)
    grouped = first(figs, "national_kcik_exploitation_count_")
    bars = [tr for tr in grouped["data"] if tr["type"] == "bar"]
    expected = exploitation(db)
    assert sorted({x for tr in bars for x in tr["x"]}) == sorted({y for ys in expected.values() for y in ys})
    labour = by_name(grouped, "praca przymusowa" if lang == "pl" else "forced labour")
    assert points(labour) == expected["forced labour"]
    slavery = by_name(grouped, "niewolnictwo domowe" if lang == "pl" else "domestic slavery")
    assert points(slavery) == expected["domestic slavery"]
    assert sorted(points(tr)[x] for tr in bars for x in points(tr)) == sorted(v for ys in expected.values()
                                                                            for v in ys.values())  # no more, no less
    apart = figs[f"national_kcik_exploitation_{FINER}"]
    finer = exploitation(db, FINER)
    bar = apart["data"][0]
    assert sorted(bar["x"]) == sorted(ys[FINER] for ys in finer.values())
    assert sum(bar["x"]) == sql_kcik(db, "total")[FINER]  # its types add up to the year's total


def test_justice_every_source_side_by_side_and_disagreements_marked(page, db):
    lang, at = page
    justice = first(named(at), "national_justice_")
    grid = justice["data"][0]
    years = [int(y) for y in grid["x"]]
    rows = dict(zip(grid["meta"]["indicators"], grid["text"]))
    state = dict(zip(grid["meta"]["indicators"], grid["z"]))
    no_data = "brak<br>danych" if lang == "pl" else "no<br>data"
    assert {"police_offences_recorded", "unodc_offences", "unodc_persons_formal_contact"} <= set(rows)
    assert rows["police_offences_recorded"][years.index(2013)] == no_data  # nothing published: never 0
    marked = {(n, y) for n, zs in state.items() for y, z in zip(years, zs) if z == 2}
    assert marked == sql_disagreements(db)
    # the examples of the issue: 2017 investigations (two sources), UNODC vs police offences in 2014-2015, while
    # UNODC's 2017-2018 offences equal the police and Border Guard investigations (another measure: not marked)
    assert {("investigations_prosecutors", 2017), ("unodc_offences", 2014), ("police_offences_recorded", 2014),
            ("unodc_offences", 2015), ("police_offences_recorded", 2015)} <= marked
    assert ("unodc_offences", 2017) not in marked and ("investigations_police_border_guard", 2017) not in marked
    note = note_of(justice)
    # one indicator, two sources that disagree: the cell shows every value, the note names every source
    for indicator, year, values, sources in db.execute("""
            SELECT indicator, year, list(DISTINCT value_as_published), list(DISTINCT source_id) FROM national_indicators
            WHERE breakdown = 'total' GROUP BY ALL HAVING count(DISTINCT value_as_published) > 1""").fetchall():
        conflict = rows[indicator][years.index(year)]
        assert all(v in conflict for v in values), (indicator, year, conflict)
        assert all(s in note for s in sources), (indicator, year, sources)
    # two indicators that count the same (indicators.same_as) and disagree: the note gives both values with their sources
    for a, a_source, b, b_source in db.execute("""
            SELECT a.value_as_published, a.source_id, b.value_as_published, b.source_id FROM national_indicators a
            JOIN indicators i ON i.indicator = a.indicator
            JOIN national_indicators b ON b.indicator = i.same_as AND b.year = a.year
            WHERE a.breakdown = 'total' AND b.breakdown = 'total' AND a.value_as_published <> b.value_as_published
            """).fetchall():
        assert f"{a} ({a_source})" in note and f"{b} ({b_source})" in note, (a, a_source, b, b_source)
    assert "same_as" in note
    cited = set(re.findall(r"\((\w+)\)", justice["layout"]["meta"]["source"]))
    assert {s for (s,) in db.execute("""SELECT DISTINCT source_id FROM national_indicators JOIN indicators USING (indicator)
                                        WHERE topic = 'justice' AND indicator IN (SELECT indicator FROM national_indicators
                                              GROUP BY indicator HAVING count(DISTINCT year) > 1)""").fetchall()} <= cited


def test_who_the_victims_were_with_small_cells_never_a_length(views, db):
    lang, at = views[0], views[1]["profile"]
    fig = first(named(at), "national_profile_")
    # the breakdowns the profile draws (citizenship, age, exploitation) of the years it draws (UNODC's, derived from
    # its whole file, give them from 2014 on)
    years = sorted({tr["meta"]["year"] for tr in fig["data"]})
    drawn = ("(breakdown IN ('polish', 'minors', 'adults') OR breakdown LIKE 'citizenship=%' "
             "OR breakdown LIKE 'exploitation=%')")
    small = db.execute(f"""SELECT year, breakdown FROM national_indicators WHERE indicator = 'unodc_detected_victims'
                          AND qualifier = '<' AND {drawn} AND list_contains(?, year)""", (years,)).fetchall()
    assert small and len(years) > 2
    bars = [tr for tr in fig["data"] if tr["type"] == "bar"]
    texts = [tr for tr in fig["data"] if tr["type"] == "scatter"]
    written = {(tr["meta"]["year"], label) for tr in texts for label, text in zip(tr["y"], tr["text"])
               if html.unescape(text) == "<5"}  # as plotly shows it
    assert len(written) == len(small)  # every suppressed cell is written...
    assert all(x == 0 for tr in texts for x in tr["x"])  # ...at the axis...
    barred = {(tr["meta"]["year"], label) for tr in bars for label in tr["y"]}
    assert not written & barred  # ...and has no bar, of any length
    largest = db.execute(f"""SELECT max(value) FROM national_indicators WHERE indicator = 'unodc_detected_victims'
                            AND list_contains(?, year) AND {drawn}""", (years,)).fetchone()[0]
    assert max(v for tr in bars for v in tr["x"]) == largest
    polish = "Polacy" if lang == "pl" else "Polish nationals"
    assert fig["layout"]["yaxis"]["categoryarray"][0] == polish  # citizenship, the first row: own country first
    note = note_of(fig)
    assert ("nie jest podział według płci" if lang == "pl" else "not a split by sex") in note


def test_no_figure_but_the_victims_one_draws_the_programme(views, db):
    """Only the figure of every count draws the Programme's enrolments, as a series of its own."""
    indicators = {r[0] for r in db.execute("SELECT indicator FROM indicators").fetchall()} | {"programme"}
    programme = set(db.execute("SELECT year, total FROM programme_victims").fetchall())
    for at in views[1].values():
        for fig in figures(at):
            name = fig["layout"]["meta"]["name"]
            for tr in fig["data"]:
                meta = tr.get("meta") or {}
                drawn = meta.get("indicators") or [meta.get("indicator")] if "group" not in meta else ["profile"]
                if "group" not in meta:
                    assert drawn and set(drawn) <= indicators, (name, tr.get("name"), meta)
                assert "witness_victim_programme_joined" not in drawn
                if meta.get("indicator") == "programme":
                    assert name.startswith("national_victims_")
                elif tr["type"] in ("scatter", "bar") and tr.get("orientation") != "h":
                    pairs = {(x, y) for x, y in zip(tr["x"], tr["y"]) if y is not None}
                    assert not pairs & programme, (name, tr.get("name"))
    captions = " ".join(c.value for c in views[1]["default"].caption)
    (year, value, source), = db.execute("""SELECT year, value_as_published, source_id FROM national_indicators
                                           WHERE indicator = 'witness_victim_programme_joined'""").fetchall()
    assert str(year) in captions and value in captions and source in captions  # said in words, never drawn


def test_every_figure_says_who_it_counts_and_that_none_is_added(views):
    lang = views[0]
    for at in views[1].values():
        for fig in figures(at):
            note = note_of(fig)
            assert ("Kogo liczy" if lang == "pl" else "Who is counted") in note, fig["layout"]["meta"]["name"]
            if not fig["layout"]["meta"]["name"].startswith(("national_victims_", "national_profile_")):
                assert "2006–2013" in note, fig["layout"]["meta"]["name"]
            else:
                assert ("żadnej nie wolno dodawać" if lang == "pl" else "none may be added") in note or \
                    fig["layout"]["meta"]["name"].startswith("national_profile_")


def test_single_figures_and_words_with_their_sources(page, db):
    lang, at = page
    single = db.execute("""SELECT n.indicator, n.year, n.value_as_published, n.source_id FROM national_indicators n
                           WHERE n.indicator IN (SELECT indicator FROM national_indicators GROUP BY indicator
                                                 HAVING count(DISTINCT year) = 1)
                             AND n.indicator <> 'witness_victim_programme_joined'""").fetchall()
    metrics = {m.label: (m.value, m.help) for m in at.metric}
    assert len(single) == 2 and len(metrics) == len(single)
    for _indicator, year, value, source in single:
        label = next(k for k in metrics if k.endswith(f", {year}") and metrics[k][0].startswith(value))
        assert source in metrics[label][1]
    quotes = " ".join(m.value for m in at.markdown if m.value.startswith(">"))
    for (source,) in db.execute("SELECT DISTINCT source_id FROM national_indicators WHERE year = "
                                "(SELECT max(year) FROM national_indicators)").fetchall():
        assert source in quotes.replace("\\", "")


def test_caveat_and_provenance(page, db):
    lang, at = page
    warning = " ".join(w.value for w in at.warning)
    assert "2006–2013" in warning
    assert ("nie wolno" if lang == "pl" else "none may be added") in warning
    value, source, year = ("Liczba", "Źródło", "Rok") if lang == "pl" else ("Value", "Source", "Year")
    # the provenance table (each chart's own table, behind "Tabela / Table", has no source column): every row of
    # the national counts, as published, with its source
    provenance = next(rows for rows in html_tables(at) if rows and source in rows[0]
                      and ("Podział" in rows[0] or "Breakdown" in rows[0]))
    shown = [(r[year], r[value].replace("\u00a0", " "), r[source]) for r in provenance]
    as_shown = {">1000": "ponad 1 000" if lang == "pl" else "more than 1,000"}
    expected = db.execute("SELECT year, value_as_published, source_id FROM national_indicators").fetchall()
    assert sorted(shown) == sorted((str(y), as_shown.get(v, v), s) for y, v, s in expected)


def test_title_and_navigation_follow_the_data(built, db):
    latest = db.execute("SELECT max(year) FROM national_indicators").fetchone()[0]
    assert nav_label("nav_since", "pl") == "Po 2013 roku" and nav_label("nav_since", "en") == "Since 2014"
    at = run(lang="en")
    assert at.title[0].value.startswith("Since 2014") and at.title[0].value.endswith(f"(2014–{latest})")


def test_share_mode_in_the_url_and_a_bad_value_falls_back(built, db):
    at = run(mode="share", topic="exploitation")
    grouped = first(named(at), "national_kcik_exploitation_share_")
    labour = by_name(grouped, "praca przymusowa")
    total, counts = sql_kcik(db, "total"), exploitation(db)["forced labour"]
    assert points(labour) == pytest.approx({y: 100 * n / total[y] for y, n in counts.items()})
    at = run(mode="<script>", topic="exploitation")
    assert len(notices(at)) == 1
    assert first(named(at), "national_kcik_exploitation_count_")


def test_overview_tiles_show_every_count_s_latest_value_with_its_year(built, db):
    latest = db.execute("""SELECT i.label_pl, i.label_en, n.year, n.value_as_published FROM national_indicators n
                           JOIN indicators i USING (indicator) WHERE i.topic = 'victims' AND n.breakdown = 'total'
                             AND n.year = (SELECT max(year) FROM national_indicators m
                                           WHERE m.indicator = n.indicator AND m.breakdown = 'total')""").fetchall()
    for lang in ("pl", "en"):
        at = run("dashboard.py", lang=lang)
        metrics = {m.label: m.value.replace("\u00a0", " ") for m in at.metric}
        as_shown = {">1000": "ponad 1 000" if lang == "pl" else "more than 1,000"}
        for label_pl, label_en, year, value in latest:
            label = f"{label_pl if lang == 'pl' else label_en}, {year}"
            assert metrics[label] == as_shown.get(value, value), (label, metrics)
        more = "Co wiadomo po 2013 roku →" if lang == "pl" else "What is known since 2014 →"
        links = {p.proto.label: p.proto.page for p in at.get("page_link")}
        assert "National_counts" in links[more], links


def test_the_slide_after_the_programme(built, db):
    slide = next(s for s in slides.SLIDES if s.key == "after")
    assert slide.figure("en").layout.meta["name"].startswith("national_victims_")
    note = slide.note("en")
    year, low, high = sql_latest_range(db)
    assert f"In {year} the published counts of victims range from {low} to {high}" in note
    bounds = db.execute("""SELECT i.label_en, n.year, n.bound FROM national_indicators n JOIN indicators i USING (indicator)
                           WHERE i.topic = 'victims' AND n.breakdown = 'total' AND n.qualifier = '>'""").fetchall()
    assert bounds
    for label, year, bound in bounds:
        assert f"{label}, {year}: more than {bound:,}" in note
    assert "ends in 2013" in note and "none may be added" in note
    assert slides.SLIDES[-1].key == "limits"  # the caveats stay last
