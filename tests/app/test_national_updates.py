"""The national counts grow through `etl update` (issues 21 and 22): a sixth count of victims shows on the page, the
slide and the tiles with no change of code; a value published as '<5' or '>1000' reaches every place a reader sees it
(table, hover, CSV, XLSX, the exported figure) as published, never as a number it is not."""

from __future__ import annotations

import csv
import html
import io

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from app import downloads, export, slides

from app.figures import national
from etl.__main__ import main
from tests.app.test_pages import figures
from tests.helpers import ROOT, built_copy, require_export_browser

META = ROOT / "tests" / "fixtures" / "synthetic_year" / "provenance.yml"  # INVENTED provenance


@pytest.fixture
def sixth(tmp_path, monkeypatch):
    """A copy of data/raw with an INVENTED sixth count of victims published through `python -m etl update`."""
    raw, pointer = built_copy(tmp_path)
    monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    monkeypatch.setenv("DASHBOARD_RAW", str(raw))
    files = {
        "sources": "source_id,title,publisher,published,url,licence,caveats,figures\n"
                   "invented_source,INVENTED source,test suite,2026,,none,made up for a test,invented_victims\n",
        "indicators": "indicator,label_pl,label_en,counts_pl,counts_en,population_pl,population_en,unit_pl,unit_en,"
                      "topic,same_as\n"
                      "invented_victims,Wymyśleni,Invented count,wymyślone ofiary,invented victims,tylko test,"
                      "test only,osoby,persons,victims,\n",
        "national_indicators": "indicator,year,breakdown,value,source_id,also_in,note\n"
                               + "".join(f"invented_victims,{y},total,{v},invented_source,,INVENTED\n"
                                         for y, v in ((2019, 300), (2020, 310), (2022, 330))),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    common = ["--meta", str(META), "--db", str(pointer), "--raw", str(raw), "--by", "test"]
    assert main(["update", "sources", str(paths["sources"]), "indicators", str(paths["indicators"]), *common]) == 0
    assert main(["update", "national_indicators", str(paths["national_indicators"]), *common]) == 0
    return raw, pointer


@pytest.mark.slow
def test_a_sixth_series_appears_on_the_page_the_slide_and_the_tiles(sixth):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.query_params["lang"] = "en"
    at.switch_page("pages/8_National_counts.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    fig = next(f for f in figures(at) if f["layout"]["meta"]["name"].startswith("national_victims_"))
    line = next(tr for tr in fig["data"] if tr["name"] == "Invented count" and tr.get("mode") == "lines+markers")
    assert {x: y for x, y in zip(line["x"], line["y"]) if y is not None} == {2019: 300, 2020: 310, 2022: 330}
    assert line["y"][line["x"].index(2021)] is None  # a gap, not 0
    assert fig["layout"]["title"]["text"] == "Victims of trafficking, counted 6 ways"
    assert "invented_source" in fig["layout"]["meta"]["source"]
    slide = next(s for s in slides.SLIDES if s.key == "after")
    assert "Invented count" in {tr.name for tr in slide.figure("en").data}
    assert "Invented count, 2022: 330" in slide.note("en")
    tiles = {tile["label"]: tile["value"] for tile in national.latest_tiles("en")}
    assert tiles["Invented count, 2022"] == "330"
    # and in Polish, with the label the update gives for it
    assert "Wymyśleni" in {tr.name for tr in slide.figure("pl").data}
    assert {tile["label"]: tile["value"] for tile in national.latest_tiles("pl")}["Wymyśleni, 2022"] == "330"
    assert national.national_victims("pl").layout.title.text == "Ofiary handlu ludźmi liczone na 6 sposobów"


def test_a_bound_and_a_suppressed_cell_round_trip_as_published(built, db):
    # the database keeps them as published: no number, the qualifier and the bound
    rows = db.execute("SELECT value, qualifier, bound, value_as_published FROM national_indicators "
                      "WHERE qualifier IS NOT NULL").fetchall()
    assert {r[3] for r in rows} == {"<5", ">1000"} and all(r[0] is None for r in rows)
    # the page's tables
    for lang, bound in (("pl", "ponad 1\u00a0000"), ("en", "more than 1,000")):
        shown = national.provenance(lang)
        values = set(shown.iloc[:, 3])
        assert "<5" in values and bound in values
        assert not {"0", "4", "5", "1\u00a0000", "1,000"} & set(shown[shown.iloc[:, 4] == "dolpol2025"].iloc[:, 3])
        # the hovers
        victims = national.national_victims(lang)
        assert any(bound in " ".join(tr.customdata) for tr in victims.data if (tr.meta or {}).get("bound") == ">")
        profile = national.national_profile(lang)
        assert any("<5" in html.unescape(" ".join(tr.text)) for tr in profile.data if tr.type == "scatter")
    # the downloads: the text as published beside an empty number
    table = list(csv.DictReader(io.StringIO(downloads.as_csv("national_indicators").decode("utf-8-sig"))))
    published = {r["value_as_published"]: r["value"] for r in table if r["qualifier"]}
    assert published == {"<5": "", ">1000": ""}
    sheet = load_workbook(io.BytesIO(downloads.as_xlsx("national_indicators")), read_only=True).active
    head, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    col = {name: i for i, name in enumerate(head)}
    assert {(r[col["value_as_published"]], r[col["value"]]) for r in body if r[col["qualifier"]]} == {
        ("<5", None), (">1000", None)}


@pytest.mark.browser
def test_the_exported_figure_says_more_than_never_the_bound_as_a_value(built):
    require_export_browser()
    for lang, words in (("pl", "ponad 1 000"), ("en", "more than 1,000")):
        fig = national.national_victims(lang)
        svg = html.unescape(export.render(fig, "svg").decode()).replace("\u00a0", " ")
        assert words in svg
        png = export.for_export(fig)  # what the PNG is drawn from carries the same words
        assert any(words in " ".join(tr.text).replace("\u00a0", " ") for tr in png.data
                   if (tr.meta or {}).get("bound") == ">")


def test_the_data_page_lists_every_source_of_every_row(built, db):
    """Every source a national figure names (source_id and also_in, the updates' included) is in the Data page's list
    of sources, and the relation downloads with the value as published beside the number."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.query_params["table"] = "national_indicators"
    at.switch_page("pages/4_Data.py")
    at.run()
    assert not at.exception
    listed = next(set(df.value.source_id) for df in at.dataframe if "source_id" in df.value and "licence" in df.value)
    named = {sid for (sid, also) in db.execute("SELECT source_id, also_in FROM national_indicators").fetchall()
             for sid in [sid, *(also or "").split()]}
    assert named <= listed and {"unodc_glotip2025", "dolpol2025", "tip2024w", "tip2024pl", "wroclaw360"} <= named
    shown = at.dataframe[-1].value
    assert {"value", "qualifier", "bound", "value_as_published"} <= set(shown.columns)
    assert set(shown[shown.qualifier.notna()].value_as_published) == {"<5", ">1000"}
