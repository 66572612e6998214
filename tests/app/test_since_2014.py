"""The page of the national counts after the Programme ("Po 2013 roku / Since 2014", issue 14) under AppTest:
the figures carry the published values, no figure mixes a national indicator with the Programme enrolments,
the 2017 witness-programme figure is a footnote only, the conflict is shown with both sources; the Overview's
latest tiles; the slide. Expected values are the published ones (tests may hold facts, the app may not)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from app import figures as figs
from app import slides
from app.page import nav_label
from tests.app.test_pages import by_name, figures, notices
from tests.helpers import ROOT, markdown_table

PAGE = "pages/8_National_counts.py"
TIMEOUT = 180  # the page draws five figures; a loaded shared 2-core machine runs several suites at once


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


@pytest.fixture(scope="module", params=["pl", "en"])
def views(request, built):
    """The page in its default view, and with its other topic below the first screen (types of exploitation),
    which is drawn when asked for."""
    return request.param, run(lang=request.param), run(lang=request.param, topic="exploitation")


@pytest.fixture(scope="module")
def page(views):
    return views[0], views[1]


@pytest.fixture(scope="module")
def exploitation(views):
    return views[0], views[2]


def test_one_topic_below_the_first_screen(page, exploitation):
    assert [n.rsplit("_", 1)[0] for n in named(page[1])] == ["national_series", "national_kcik", "national_justice"]
    assert [n.rsplit("_", 1)[0] for n in named(exploitation[1])] == [
        "national_series", "national_kcik", "national_kcik_exploitation_count", "national_kcik_exploitation"]


def test_the_series_carry_the_published_values(page):
    lang, at = page
    series = first(named(at), "national_series_")
    kcik, = traces_of(series, "kcik_assisted")
    identified, = traces_of(series, "identified_by_authorities")
    referred, = traces_of(series, "referred_to_care")
    assert point(kcik, 2022) == 254 and point(kcik, 2014) == 207
    assert point(identified, 2019) == 221 and point(identified, 2020) == 82
    assert point(referred, 2019) == 104 and point(referred, 2022) == 46
    # One time axis; a year with no figure is a gap (None, never 0) and the line is not drawn across it.
    assert kcik["x"] == identified["x"] == referred["x"] == list(range(2014, 2023))
    assert identified["y"][:2] == [None, None] and referred["y"][:4] == [None] * 4
    assert all(tr["connectgaps"] is False for tr in (kcik, identified, referred))
    # Each line is labelled with what it counts, and the figure says which population each counts.
    assert kcik["name"] == ("Objęci wsparciem KCIK" if lang == "pl" else "Assisted by KCIK")
    note = next(a["text"] for a in series["layout"]["annotations"] if a.get("name") == "note")
    note = note.replace("<br>", " ")
    assert ("Polacy i cudzoziemcy" if lang == "pl" else "Poles and foreigners") in note
    assert ("2006–2013" in note) and ("nie dodawać" in note if lang == "pl" else "never add" in note)
    source = series["layout"]["meta"]["source"]
    assert {"tip2017", "tip2020", "tip2023"} <= set(re.findall(r"tip\d{4}", source))


def test_kcik_by_sex_and_foreign_nationals(page):
    lang, at = page
    kcik = first(named(at), "national_kcik_2")
    total = next(tr for tr in kcik["data"] if tr.get("mode") == "text")
    assert point(total, 2022) == 254 and total["text"][total["x"].index(2022)] == "254"
    foreign = by_name(kcik, "w tym cudzoziemcy" if lang == "pl" else "of whom foreign nationals")
    assert dict(zip(foreign["x"], foreign["y"])) == {2015: 126, 2019: 168, 2020: 109, 2021: 159, 2022: 231}
    women = by_name(kcik, "kobiety" if lang == "pl" else "women")
    assert dict(zip(women["x"], women["y"])) == {2019: 90, 2020: 102, 2021: 115, 2022: 99}
    # KCIK's sources include MSWiA for the 2015 foreigners
    assert "mswia2016" in kcik["layout"]["meta"]["source"]


def test_exploitation_as_the_source_groups_it_and_the_finer_year_apart(exploitation):
    lang, at = exploitation
    drawn = named(at)
    grouped = first(drawn, "national_kcik_exploitation_count_")
    bars = [tr for tr in grouped["data"] if tr["type"] == "bar"]
    assert sorted({x for tr in bars for x in tr["x"]}) == [2019, 2020, 2021, 2022]
    labour = by_name(grouped, "praca przymusowa" if lang == "pl" else "forced labour")
    assert dict(zip(labour["x"], labour["y"])) == {2019: 154, 2020: 70, 2021: 87, 2022: 171}
    # 2019's own extra categories are drawn in 2019 only: never spread as zeros over later years
    slavery = by_name(grouped, "niewolnictwo domowe" if lang == "pl" else "domestic slavery")
    assert [y for y in slavery["y"] if y is not None] == [3] and slavery["y"][0] == 3
    apart = drawn["national_kcik_exploitation_2017"]
    bar = apart["data"][0]
    assert len(bar["x"]) == 12 and sum(bar["x"]) == 169 and max(bar["x"]) == 74


def test_criminal_justice_table_marks_no_data_and_the_conflict(page):
    lang, at = page
    justice = first(named(at), "national_justice_")
    grid = justice["data"][0]
    years = [int(y) for y in grid["x"]]
    assert years == list(range(2013, 2022))
    rows = dict(zip(grid["meta"]["indicators"], grid["text"]))
    no_data = "brak<br>danych" if lang == "pl" else "no<br>data"
    assert rows["police_offences_recorded"][years.index(2015)] == "101"
    assert rows["police_offences_recorded"][years.index(2013)] == no_data  # nothing published: never 0
    assert rows["convicted"][years.index(2014)] == "37" and rows["convicted"][years.index(2017)] == no_data
    conflict = rows["investigations_prosecutors"][years.index(2017)]
    assert "135" in conflict and "126" in conflict  # both values, neither dropped nor averaged
    state = dict(zip(grid["meta"]["indicators"], grid["z"]))
    assert state["investigations_prosecutors"][years.index(2017)] == 2
    note = " ".join(a["text"] for a in justice["layout"]["annotations"] if a.get("name") == "note")
    assert "tip2019" in note and "heuni" in note  # both sources named
    cited = set(re.findall(r"\((\w+)\)", justice["layout"]["meta"]["source"]))
    assert {"heuni", "tip2019", "tip2015m", "gp2016a"} <= cited


@pytest.mark.parametrize("view", [1, 2], ids=["default", "exploitation"])
def test_no_figure_mixes_a_national_indicator_with_the_programme(views, view, db):
    lang, at = views[0], views[view]
    indicators = {r[0] for r in db.execute("SELECT indicator FROM indicators").fetchall()}
    programme = set(db.execute("SELECT year, total FROM programme_victims").fetchall())
    programme_source = db.execute("SELECT citation_pl, citation_en FROM datasets "
                                  "WHERE dataset = 'programme_victims'").fetchone()
    for fig in figures(at):
        for tr in fig["data"]:
            meta = tr.get("meta") or {}
            drawn = meta.get("indicators") or [meta.get("indicator")]
            # Every trace names what it draws, and each is one of the national indicators...
            assert drawn and set(drawn) <= indicators, (fig["layout"]["meta"]["name"], tr.get("name"), meta)
            # ...never the one figure that might be read as the Programme's
            assert "witness_victim_programme_joined" not in drawn
            if tr["type"] in ("scatter", "bar") and tr.get("orientation") != "h":
                pairs = {(x, y) for x, y in zip(tr["x"], tr["y"]) if y is not None}
                assert not pairs & programme, (fig["layout"]["meta"]["name"], tr.get("name"))
        assert not set(programme_source) & set(fig["layout"]["meta"]["source"].split("; "))
    # The 2017 witness-programme figure is a footnote, from the data
    captions = " ".join(c.value for c in at.caption)
    assert "2017" in captions and "21" in captions and "tip2018" in captions


@pytest.mark.parametrize("view", [1, 2], ids=["default", "exploitation"])
def test_every_figure_says_who_it_counts_and_that_it_is_not_the_programme(views, view):
    lang, at = views[0], views[view]
    for fig in figures(at):
        note = " ".join(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "note")
        note = note.replace("<br>", " ")
        assert ("Kogo liczy" if lang == "pl" else "Who is counted") in note, fig["layout"]["meta"]["name"]
        assert "2006–2013" in note, fig["layout"]["meta"]["name"]


def test_caveat_and_provenance(page):
    lang, at = page
    warning = " ".join(w.value for w in at.warning)
    assert "2006–2013" in warning
    assert ("nie wolno" if lang == "pl" else "none may be added") in warning
    value = "Liczba" if lang == "pl" else "Value"
    source = "Źródło" if lang == "pl" else "Source"
    # the provenance table (each chart's own table, behind "Tabela / Table", has no source column)
    table = markdown_table(next(m.value for m in at.markdown if m.value.startswith("|") and f"| {source} |" in m.value))
    assert {(r[value], r[source]) for r in table} >= {("254", "tip2023"), ("135", "tip2019"), ("126", "heuni"),
                                                       ("21", "tip2018")}


def test_title_and_navigation_follow_the_data(built):
    assert nav_label("nav_since", "pl") == "Po 2013 roku" and nav_label("nav_since", "en") == "Since 2014"
    at = run(lang="en")
    assert at.title[0].value.startswith("Since 2014")


def test_share_mode_in_the_url_and_a_bad_value_falls_back(built):
    at = run(mode="share", topic="exploitation")
    grouped = first(named(at), "national_kcik_exploitation_share_")
    labour = by_name(grouped, "praca przymusowa")
    assert labour["y"][labour["x"].index(2022)] == pytest.approx(100 * 171 / 254)
    at = run(mode="<script>", topic="exploitation")
    assert len(notices(at)) == 1
    assert first(named(at), "national_kcik_exploitation_count_")


def test_overview_tiles_show_the_latest_values_with_their_years(built):
    for lang, kcik, identified, more in (
            ("pl", "Objęci wsparciem KCIK, 2022", "Zidentyfikowani przez Policję i SG, 2022",
             "Co wiadomo po 2013 roku →"),
            ("en", "Assisted by KCIK, 2022", "Identified by police and Border Guard, 2022",
             "What is known since 2014 →")):
        at = run("dashboard.py", lang=lang)
        metrics = {m.label: m.value for m in at.metric}
        assert metrics[kcik] == "254" and metrics[identified] == "141"
        helps = {m.label: m.help for m in at.metric}
        assert "tip2023" in helps[kcik] and "KCIK" in helps[kcik]
        links = {p.proto.label: p.proto.page for p in at.get("page_link")}
        assert "National_counts" in links[more], links


def test_the_slide_after_the_programme(built):
    slide = next(s for s in slides.SLIDES if s.key == "after")
    assert slide.figure("en").layout.meta["name"] == figs.national_series("en").layout.meta["name"]
    note = slide.note("en")
    assert "assisted by KCIK in 2022: 254 (of whom foreign nationals: 231)" in note
    assert "identified by the police and Border Guard in 2022: 141" in note
    assert "ends in 2013" in note and "none may be added" in note
    assert slides.SLIDES[-1].key == "limits"  # the caveats stay last
