"""Every page under AppTest in its main states: the figure data equals the database values."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pytest
from lxml import html as lhtml
from streamlit.testing.v1 import AppTest

from app.figures import CATALOGUE
from app.i18n import t
from app.numbers import shown
from app.slides import SLIDES
from tests.helpers import ROOT, disclosures, html_tables

# Every page the app has: the main script and every file Streamlit discovers in pages/.
PAGES = ["dashboard.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]


def page_key(page: str) -> str:
    """The catalogue's name (Entry.page) of a page file: "overview" for dashboard.py, else the file name
    without its number prefix, in lower case ("pages/1_Victims.py" -> "victims")."""
    return "overview" if page == "dashboard.py" else re.sub(r"^\d+_", "", Path(page).stem).lower()


def expected_figures(page: str, lang: str) -> list[str]:
    """The names (layout.meta.name) of the figures a page shows in its default view, in page order: its
    CATALOGUE entries without a URL query, and on the Slides page the first slide. Empty: a page of no figures."""
    key = page_key(page)
    names = [e.figure(lang).layout.meta["name"] for e in CATALOGUE if e.page == key and not e.query]
    if key == "slides":
        names.append(SLIDES[0].figure(lang).layout.meta["name"])
    return names


def run(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    if page != "dashboard.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def decode(obj):
    """plotly sends numpy arrays as base64 typed arrays: turn them back into lists."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            if "shape" in obj:
                arr = arr.reshape([int(n) for n in str(obj["shape"]).split(",")])
            return arr.tolist()
        return {k: decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [decode(v) for v in obj]
    return obj


def figures(at: AppTest) -> list[dict]:
    return [decode(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def by_name(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def choropleth_values(fig: dict) -> dict[str, float]:
    out = {}
    for t in fig["data"]:
        if t["type"] == "choropleth" and t.get("name") not in NOT_VALUES:
            out.update(zip(t["locations"], t["z"]))
    return out


NOT_VALUES = {"brak danych", "no data", "Polska (kraj pochodzenia)", "Poland (origin)"}


def notices(at: AppTest) -> list[str]:
    return [e.value for e in at.info]


def test_pages_are_discovered_and_the_catalogue_names_them():
    assert len(PAGES) == len(set(map(page_key, PAGES))) >= 2
    assert {e.page for e in CATALOGUE} | {"slides"} <= set(map(page_key, PAGES))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_every_page_runs(built, page, lang):
    at = run(page, lang=lang)
    expected = expected_figures(page, lang)
    drawn = [fig["layout"]["meta"]["name"] for fig in figures(at)]
    assert drawn or not expected, f"{page} ({page_key(page)}) is expected to show {expected} and shows no figure"
    assert drawn == expected, f"{page} ({page_key(page)}) shows {drawn}, expected {expected}"
    for fig in figures(at):
        meta = fig["layout"]["meta"]
        assert meta["title"] and meta["alt"] and meta["lang"] == lang
        assert fig["layout"]["title"]["subtitle"]["text"]
        assert any(a.get("name") == "source" for a in fig["layout"]["annotations"])
        assert fig["layout"]["template"]["layout"]["font"]["family"].startswith("Source Sans Pro")


@pytest.mark.parametrize("entry", [e for e in CATALOGUE if e.query], ids=lambda e: e.key)
def test_catalogue_figures_outside_the_default_view(built, entry):
    page = next(p for p in PAGES if page_key(p) == entry.page)
    drawn = [fig["layout"]["meta"]["name"] for fig in figures(run(page, **dict(parse_qsl(entry.query))))]
    assert entry.figure("pl").layout.meta["name"] in drawn, (entry.query, drawn)


def test_victims_counts_equal_database(built, db):
    fig = figures(run("pages/1_Victims.py"))[0]
    rows = db.execute("SELECT year, women, men FROM programme_victims ORDER BY year").fetchall()
    assert by_name(fig, "Kobiety")["x"] == [r[0] for r in rows]
    assert by_name(fig, "Kobiety")["y"] == [r[1] for r in rows]
    assert by_name(fig, "Mężczyźni")["y"] == [r[2] for r in rows]
    assert fig["layout"]["xaxis"]["ticktext"][2] == "2008*"


def test_victims_shares_add_to_100(built):
    fig = figures(run("pages/1_Victims.py", mode="share"))[0]
    groups = ["Kobiety", "Mężczyźni", "Małoletni pod opieką", "Małoletni bez opieki"]
    i = by_name(fig, "Kobiety")["x"].index(2012)
    assert sum(by_name(fig, g)["y"][i] for g in groups) == pytest.approx(100.0)
    assert by_name(fig, "Kobiety")["y"][i] == pytest.approx(100 * 30 / 57)


def test_victims_year_range_and_english(built, db):
    at = run("pages/1_Victims.py", years="2008-2011", lang="en")
    fig = figures(at)[0]
    assert by_name(fig, "Women")["x"] == [2008, 2009, 2010, 2011]
    assert "2008–2011" in fig["layout"]["title"]["subtitle"]["text"]
    markdown = " ".join(re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown)  # as rendered: escapes removed
    assert "published as '20 (18 + 2)'" in markdown and "'25 (2 os x 2)'" in markdown
    # the page's table (the chart's own table, behind "Table", has no notes column)
    table = next(rows for rows in html_tables(at) if rows and "Note in the source" in rows[0])
    totals = db.execute("SELECT year, total FROM programme_victims WHERE year BETWEEN 2008 AND 2011 ORDER BY year")
    assert [(int(r["Year"]), int(r["Total"])) for r in table] == totals.fetchall()
    assert table[0]["Women"] == "14\u00a0(70.0%)" and table[0]["Note in the source"] == "20 (18 + 2)"


@pytest.mark.parametrize("params", [{"years": "abc"}, {"years": "2013-2006"}, {"mode": "x"},
                                    {"years": "1" * 5000}])
def test_victims_bad_parameter_falls_back(built, params):
    at = run("pages/1_Victims.py", **params)
    assert len(notices(at)) == 1
    assert by_name(figures(at)[0], "Kobiety")["x"] == list(range(2006, 2014))


def test_referrals_map_one_year(built):
    figs = figures(run("pages/2_Referrals.py", year="2012"))
    values = choropleth_values(figs[0])
    assert values["02"] == 27 and values["26"] == 0 and len(values) == 16
    ranking = figs[1]["data"][0]
    assert ranking["y"][-1] == "dolnośląskie" and ranking["x"][-1] == 27


def test_referrals_map_range_sum(built, db):
    figs = figures(run("pages/2_Referrals.py", period="range", years="2006-2013"))
    values = choropleth_values(figs[0])
    assert sum(values.values()) == 240 and values["14"] == 54 and values["30"] == 10


def test_referrals_per_million(built, db):
    figs = figures(run("pages/2_Referrals.py", year="2013", metric="rate"))
    pop = db.execute("SELECT population FROM population WHERE year = 2013 AND teryt = '12'").fetchone()[0]
    assert choropleth_values(figs[0])["12"] == shown(17 * 1e6 / pop, 1)  # coloured by the value as shown
    assert "Bank Danych Lokalnych" in " ".join(a["text"] for a in figs[0]["layout"]["annotations"])


def test_referrals_years_views_on_demand(built):
    """The maps of the years and the grid are drawn only when asked for (in the URL or by the control)."""
    names = lambda at: [f["layout"]["meta"]["name"] for f in figures(at)]  # noqa: E731
    assert names(run("pages/2_Referrals.py")) == ["referrals_map_count_2013", "referrals_ranking_count_2013"]
    assert names(run("pages/2_Referrals.py", below="grid"))[-1] == "referrals_heatmap_2006-2013"
    at = run("pages/2_Referrals.py")
    at.segmented_control(key="referrals.below").set_value("maps").run()
    assert names(at)[-1] == "referrals_maps_by_year_count"


def test_referrals_chosen_voivodeship_and_small_multiples(built):
    at = run("pages/2_Referrals.py", v="02", lang="en", below="maps")
    figs = figures(at)
    series = next(f for f in figs if f["layout"]["meta"]["name"].startswith("referrals_02"))
    assert series["data"][0]["y"] == [0, 0, 0, 0, 0, 3, 27, 1]
    multiples = next(f for f in figs if f["layout"]["meta"]["name"].startswith("referrals_maps_by_year"))
    chor = [t for t in multiples["data"] if t["type"] == "choropleth"]
    assert len(chor) == 8 and chor[6]["name"] == "2012"
    assert dict(zip(chor[6]["locations"], chor[6]["z"]))["02"] == 27
    assert multiples["layout"]["coloraxis"]["cmax"] == 27


def test_referrals_bad_parameters(built):
    at = run("pages/2_Referrals.py", year="1999", v="99", metric="<script>alert(1)</script>")
    assert len(notices(at)) == 3
    assert choropleth_values(figures(at)[0])["12"] == 17  # default: 2013, counts


def test_emigration_map_values(built):
    figs = figures(run("pages/3_Emigration.py", year="2012"))
    values = choropleth_values(figs[0])
    assert values == {"GBR": 637, "DEU": 500, "IRL": 118, "NLD": 97, "ITA": 97}
    names = [t["name"] for t in figs[0]["data"]]
    assert "brak danych" in names and "200+ tys." in names and "0–49 tys." in names


def test_emigration_default_year_and_continuous(built):
    figs = figures(run("pages/3_Emigration.py", scale="continuous"))
    values = choropleth_values(figs[0])
    assert values["DEU"] == 706 and "GBR" not in values  # 2020: no published UK figure = no data
    totals = figs[1]
    total = by_name(totals, "Ogółem")
    assert total["y"][total["x"].index(2012)] == 2130
    assert total["y"][total["x"].index(2013)] == 2196
    assert len(figs) == 2  # the main destinations are the other view below the map, drawn when chosen
    top = figures(run("pages/3_Emigration.py", below="top"))
    assert [f["layout"]["meta"]["name"] for f in top][1] == "emigration_top_2004-2020"


@pytest.mark.parametrize("measure, table, param", [("gus", "emigration_stock", "year"),
                                                    ("undesa", "migrant_stock_born_in_poland", "un_year")])
def test_emigration_year_buttons_are_the_published_years(db, measure, table, param):
    # Buttons, one per year in the data, gaps included (a slider spaced them evenly); a pick draws that year.
    years = [y for (y,) in db.execute(f"SELECT DISTINCT year FROM {table} ORDER BY year").fetchall()]
    at = run("pages/3_Emigration.py", measure=measure)
    control = next(b for b in at.button_group if b.label == t("year", "pl"))
    assert control.options == [str(y) for y in years] and control.value == years[-1]
    assert not at.get("select_slider") and not at.slider
    at = run("pages/3_Emigration.py", measure=measure, **{param: str(years[0])})
    assert str(years[0]) in figures(at)[0]["layout"]["meta"]["name"]


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_data_page_describes_every_dataset(built, db, lang):
    at = run("pages/4_Data.py", lang=lang)
    labels = list(disclosures(at))
    # one disclosure per dataset as first published; each update is listed inside the one of the dataset it adds to
    assert len(labels) == db.execute("SELECT count(*) FROM datasets WHERE NOT regexp_matches(dataset, "
                                     "'_update_[0-9]+$')").fetchone()[0]
    shown = " ".join([m.value for m in at.markdown] + [v for rows in html_tables(at) for r in rows for v in r.values()])
    listed = shown.replace("\\", "")  # the texts and the tables (of the files and their sidecars) as rendered
    for (raw_file,) in db.execute("SELECT raw_file FROM datasets WHERE regexp_matches(dataset, '_update_[0-9]+$')"
                                  ).fetchall():
        assert raw_file.split("/")[-1] in listed, raw_file
    assert not [label for label in labels if label.endswith(("nan", "None", ": "))]
    assert not re.search(r"\b(nan|None)\b", shown)  # NULL in a sidecar field is shown as "–"
    assert any(label.startswith("sources: Lista źródeł zbiorów danych pulpitu" if lang == "pl"
                                else "sources: Source list of the dashboard's datasets") for label in labels)


def test_data_page_offers_downloads(built, db):
    at = run("pages/4_Data.py", lang="en")
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Download CSV") == labels.count("Download XLSX") == 1
    # the table shown is the first relation, exactly as the database holds it
    first = at.selectbox[-1].value
    shown = at.dataframe[-1].value
    assert list(shown.columns) == [r[0] for r in db.execute(f'DESCRIBE "{first}"').fetchall()]
    assert len(shown) == db.execute(f'SELECT count(*) FROM "{first}"').fetchone()[0]
    # every relation of DESIGN.md's data contract can be chosen (and so downloaded), nothing that is not in the build
    from tests.etl.test_build import contract

    options = at.selectbox[-1].options
    tables = {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert set(contract()) <= set(options) <= tables
    at = run("pages/4_Data.py", table="programme_referrals")
    assert int(at.dataframe[-1].value.referrals.sum()) == \
        db.execute("SELECT sum(referrals) FROM programme_referrals").fetchone()[0]


def test_a_hostile_table_name_never_reaches_sql(built, db):
    """The one URL value that names something in SQL (the Data page's table) is checked against the list of
    relations: an injected statement falls back with a notice and the database keeps every table and row."""
    before = db.execute("SELECT count(*) FROM sources").fetchone()[0]
    at = run("pages/4_Data.py", table="sources; DROP TABLE sources")
    assert len(notices(at)) == 1
    default = at.selectbox[-1].value
    assert len(at.dataframe[-1].value) == db.execute(f'SELECT count(*) FROM "{default}"').fetchone()[0]
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == before


def test_unknown_and_hostile_language(built):
    """An unknown or hostile language gives the whole default page (every figure and text as without it), says
    which parameter was ignored, and never echoes the value."""
    hostile = "<img src=x onerror=alert(1)>"
    at = run("dashboard.py", lang=hostile, foo="bar")
    plain = run("dashboard.py")
    assert [(m.label, m.value) for m in at.metric] == [(m.label, m.value) for m in plain.metric]
    assert [c.value for c in at.caption] == [c.value for c in plain.caption]
    assert [f["layout"]["meta"]["name"] for f in figures(at)] == [f["layout"]["meta"]["name"] for f in figures(plain)]
    assert [n for n in notices(at) if "lang" in n]
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.title])
    assert "onerror" not in shown and "<img" not in shown


def test_slides_page_follows_the_url(built):
    at = run("pages/5_Slides.py", slide="3")
    fig = figures(at)[0]
    assert fig["layout"]["meta"]["name"] == "referrals_map_count_2006-2013"
    assert "mazowieckie (54)" in " ".join(m.value for m in at.markdown)
    at.button(key="slide_next").click().run()
    assert figures(at)[0]["layout"]["meta"]["name"] == "referrals_map_rate_2006-2013"
    assert at.query_params["slide"] == "4"
    for _ in range(3):
        at.button(key="slide_prev").click().run()
    assert figures(at)[0]["layout"]["meta"]["name"] == "victims_count_2006-2013"
    assert "slide" not in at.query_params  # slide 1 is the default
    assert at.button(key="slide_prev").disabled


def test_slides_bad_number_falls_back(built):
    at = run("pages/5_Slides.py", slide="99")
    assert len(notices(at)) == 1
    assert figures(at)[0]["layout"]["meta"]["name"] == "victims_count_2006-2013"


def test_presentation_mode_enlarges_and_hides_downloads(built):
    normal = run("pages/2_Referrals.py", year="2012")
    present = run("pages/2_Referrals.py", year="2012", present="1")
    size = [f["layout"]["template"]["layout"]["font"]["size"] for f in figures(normal)]
    big = [f["layout"]["template"]["layout"]["font"]["size"] for f in figures(present)]
    assert all(b >= round(1.5 * s) for s, b in zip(size, big))
    assert choropleth_values(figures(present)[0])["02"] == 27  # the chosen view is kept
    # PNG, SVG and PDF per figure, and the data behind it (app/share.py)
    assert len(normal.get("download_button")) == 4 * len(figures(normal))
    assert len(present.get("download_button")) == 0
    # Figures are cached and shared: the taller presentation plot must not leak into them.
    heights = [f["layout"]["height"] for f in figures(present)]
    assert [f["layout"]["height"] for f in figures(run("pages/2_Referrals.py", year="2012", present="1"))] == heights
    again = figures(run("pages/2_Referrals.py", year="2012"))
    assert [f["layout"]["height"] for f in again] == [f["layout"]["height"] for f in figures(normal)]


def test_context_page_figures(built, db):
    at = run("pages/6_Context.py", lang="en")
    assert [f["layout"]["meta"]["name"] for f in figures(at)] == ["context_survey"]  # one topic at a time
    figs = {f["layout"]["meta"]["name"]: f for section in ("survey", "teams", "prevention", "iom")
            for f in figures(run("pages/6_Context.py", lang="en", section=section))}
    assert len(figs) == 4
    survey = figs["context_survey"]["data"][0]
    assert sorted(survey["x"]) == [22, 25, 34, 36]
    # KCIK moved to the page of the national counts (one source of truth): a link there, no figure here.
    assert not [n for n in figs if "kcik" in n]
    link = next(p.proto for p in at.get("page_link") if "KCIK" in p.proto.label)
    assert "National_counts" in link.page, link
    teams = figs["context_regional_teams"]
    statuses = {t["name"]: t["locations"] for t in teams["data"] if t["type"] == "choropleth"}
    assert statuses["team, founding date stated"] == ["08", "14"]
    assert len(statuses["not stated in the sources"]) == 12
    labels = next(t for t in teams["data"] if t["type"] == "scattergeo")["text"]
    assert "13.06.2014" in labels and "10.2010" in labels
    at = run("pages/6_Context.py", lang="en", section="teams")  # provenance: every quoted passage, as plain text
    shown = " ".join(lhtml.fromstring(h).text_content() for h in disclosures(at).values())
    passages = db.execute("SELECT passage FROM regional_teams WHERE passage IS NOT NULL").fetchall()
    assert passages and all(" ".join(p.split()) in shown for (p,) in passages)
    assert not at.dataframe


def test_emigration_born_in_poland_measure(built):
    figs = figures(run("pages/3_Emigration.py", measure="undesa", un_year="2020"))
    values = choropleth_values(figs[0])
    assert values["DEU"] == 2142 and values["GBR"] == 836  # 2,141,722 and 835,975 persons, shown in thousands
    assert "USA" not in values  # the Europe view by default
    world = choropleth_values(figures(run("pages/3_Emigration.py", measure="undesa", view="world"))[0])
    assert world["USA"] == 407 and world["AUS"] > 50 and world["ISR"] > 50


def test_two_emigration_measures_never_share_a_figure(built):
    for params in ({}, {"measure": "undesa"}, {"measure": "undesa", "view": "world", "lang": "en"}):
        at = run("pages/3_Emigration.py", **params)
        for fig in figures(at):
            source = fig["layout"]["meta"]["source"]
            assert ("GUS" in source) != ("UN" in source or "ONZ" in source), source
            unit = fig["layout"]["title"]["subtitle"]["text"]
            assert ("GUS" in source) == ("31" in unit), unit  # GUS: 31 December; UN: mid-year


def test_comparison_lists_both_measures_side_by_side(built):
    at = run("pages/3_Emigration.py", lang="en")
    table = {row["Country"]: row for row in html_tables(at)[-1]}
    uk = table["United Kingdom"]
    assert uk["Born in Poland, mid-2020 (UN, thousand)"] == "836.0"
    assert uk["Temporary emigrants, end of 2019 (GUS, thousand)"] == "678"
    assert uk["Temporary emigrants, end of 2020 (GUS, thousand)"] == "no data"  # not published: never 0
    at = run("pages/3_Emigration.py", cmp="2010")
    assert len(html_tables(at)[-1]) >= 8
    assert not at.dataframe  # chart pages draw no data grid (its JavaScript doubled the load time, bench/)


def test_emigration_bad_measure_parameters(built):
    at = run("pages/3_Emigration.py", measure="both", un_year="2021")
    assert len(notices(at)) == 2  # measure and un_year, each named
    assert choropleth_values(figures(at)[0])["DEU"] == 706
