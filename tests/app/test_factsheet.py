"""Voivodeship fact sheets (A4 PDF, pl/en) and vector figure export (SVG, PDF), with real kaleido on Debian's
Chromium and real Typst; read back with pypdf and poppler's pdftoppm. Expected values come from SQL over the database
in the test, not from the code under test. Every sheet is written once per module by the batch command."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from app import export, factsheet, figures, maps, theme
from tests.helpers import ROOT, built_copy

SYNTH = ROOT / "tests" / "fixtures" / "synthetic_year"


@pytest.fixture(scope="module")
def sheets(built, tmp_path_factory):
    """`python -m app.export --factsheets --lang all`: every voivodeship in both languages, and the manifest."""
    out = tmp_path_factory.mktemp("factsheets")
    proc = subprocess.run([sys.executable, "-m", "app.export", "--factsheets", "--out", str(out), "--lang", "all"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    return out, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected(db) -> dict:
    """Per voivodeship, from the database: total over the period, rank by total (ties share the first place),
    how many share it, and the years with 0 referrals; plus the period and the number of voivodeships."""
    rows = db.execute("""
        WITH t AS (SELECT v.teryt, v.name_pl, sum(r.referrals) AS total,
                          list(r.year ORDER BY r.year) FILTER (WHERE r.referrals = 0) AS zero_years
                   FROM voivodeships v JOIN programme_referrals r USING (teryt) GROUP BY ALL)
        SELECT teryt, name_pl, total, rank() OVER (ORDER BY total DESC) AS rank,
               count(*) OVER (PARTITION BY total) AS same, count(*) OVER () AS n, zero_years FROM t""").fetchall()
    first, last = db.execute("SELECT min(year), max(year) FROM programme_referrals").fetchone()
    return {"period": f"{first}–{last}",
            "by_teryt": {r[0]: {"name": r[1], "total": int(r[2]), "rank": int(r[3]), "same": int(r[4]), "n": int(r[5]),
                                "zero_years": r[6] or []} for r in rows}}


def text_of(path) -> str:
    """The PDF's extracted text, whitespace runs made single spaces (lines wrap where the layout wraps them)."""
    return re.sub(r"\s+", " ", PdfReader(str(path)).pages[0].extract_text())


def sheet(sheets, teryt: str, lang: str):
    out, manifest = sheets
    entry = next(f for f in manifest["factsheets"] if f["teryt"] == teryt and f["language"] == lang)
    return out / entry["file"]


def test_batch_writes_every_sheet_in_both_languages_with_a_manifest(sheets, expected, db):
    out, manifest = sheets
    entries = manifest["factsheets"]
    assert len(entries) == 2 * len(expected["by_teryt"])
    assert {(f["teryt"], f["language"]) for f in entries} == {(t, lang) for t in expected["by_teryt"] for lang in ("pl", "en")}
    sha = db.execute("SELECT inputs_sha256 FROM build_info").fetchone()[0]
    for f in entries:
        assert (out / f["file"]).is_file() and f["file"].endswith(f"_{f['language']}.pdf")
        assert f["voivodeship"] == expected["by_teryt"][f["teryt"]]["name"]
        assert f["pages"] == 1 and f["build"]["inputs_sha256"] == sha


def test_every_sheet_is_one_a4_page_with_name_total_and_rank_as_in_the_database(sheets, expected):
    for teryt, e in expected["by_teryt"].items():
        rank = f"{e['rank']}–{e['rank'] + e['same'] - 1}" if e["same"] > 1 else str(e["rank"])  # ties as ties
        name = e["name"][0].upper() + e["name"][1:]  # 'Łódzkie', 'Świętokrzyskie'
        for lang, label, of in (("pl", "Zgłoszenia", "z"), ("en", "Referrals", "of")):
            reader = PdfReader(str(sheet(sheets, teryt, lang)))
            assert len(reader.pages) == 1
            box = reader.pages[0].mediabox
            assert abs(float(box.width) - 595.28) <= 1 and abs(float(box.height) - 841.89) <= 1
            text = text_of(sheet(sheets, teryt, lang))
            assert name in text, (teryt, lang)
            assert f"{label} {expected['period']} {e['total']} " in text, (teryt, lang)
            assert f" {rank} {of} {e['n']} " in text, (teryt, lang, rank)


def test_polish_letters_are_text_in_embedded_fonts(sheets):
    text = text_of(sheet(sheets, "10", "pl")) + text_of(sheet(sheets, "26", "en"))
    for word in ("Łódzkie", "Świętokrzyskie", "województwo świętokrzyskie", "zgłoszeń"):
        assert word in text
    fonts = set()
    for teryt, lang in (("10", "pl"), ("26", "en")):
        resources = PdfReader(str(sheet(sheets, teryt, lang))).pages[0]["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]  # embedded
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith(("LiberationSans", "DejaVuSans")) for f in fonts), fonts


def pixels(pdf_path, tmp_path) -> np.ndarray:
    """The page rendered by poppler's pdftoppm at 50 dpi, as RGB."""
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm not found: install poppler-utils (apt-get install poppler-utils; .ci/run does)")
    stem = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(pdf_path), str(stem)], check=True, timeout=60)
    return np.asarray(Image.open(f"{stem}.png").convert("RGB")).astype(int)


def near(img: np.ndarray, hex_colour: str, tol: int = 12) -> int:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(img - rgb).max(axis=2) <= tol).sum())


@pytest.mark.parametrize(("teryt", "lang"), [("14", "pl"), ("26", "en")])
def test_rendered_sheet_has_its_map_and_chart_drawn(sheets, tmp_path, teryt, lang):
    img = pixels(sheet(sheets, teryt, lang), tmp_path)
    h, w, _ = img.shape
    assert img.std() > 20  # not a blank page
    # the locator map: top right, the chosen voivodeship dark, the others light
    top_right = img[: int(0.22 * h), int(0.70 * w):]
    assert top_right.std() > 20
    assert near(top_right, maps.LOCATOR_COLOURS["chosen"]) > 80
    assert near(top_right, maps.LOCATOR_COLOURS["other"], tol=6) > 800
    # the chart: below the header, the count bars and the rate bars in their colours
    chart = img[int(0.22 * h): int(0.50 * h)]
    assert chart.std() > 15
    assert near(chart, theme.BAR) > 40 and near(chart, theme.BAR_LIGHT) > 20


def test_no_referral_years_and_unstated_team_are_said_in_words(sheets, expected, db):
    # łódzkie: referrals in some years only, and no team in the source documents
    zero = expected["by_teryt"]["10"]["zero_years"]
    assert zero, "the test needs a voivodeship with years without referrals"
    spans = factsheet.year_spans(zero)
    pl, en = text_of(sheet(sheets, "10", "pl")), text_of(sheet(sheets, "10", "en"))
    assert f"Brak zgłoszeń w latach {spans}" in pl and f"No referral in {spans}" in en
    assert "0 = brak zgłoszeń" in pl and "0 = no referral" in en
    assert "Powołany nie podano" in pl and "Founded not stated" in en
    assert "nie mówią nic o zespole tego województwa" in pl
    # świętokrzyskie: a team the documents mention without a founding date, and the 2017 prevention figures
    founded = db.execute("SELECT founded FROM regional_teams WHERE teryt = '26'").fetchone()[0]
    assert founded is None
    pl, en = text_of(sheet(sheets, "26", "pl")), text_of(sheet(sheets, "26", "en"))
    assert "Powołany nie podano" in pl and "Founded not stated" in en
    assert "Liczba członków nie podano" in pl and "Members not stated" in en
    for label, reach in db.execute("SELECT label_pl, reach FROM prevention_swietokrzyskie_2017").fetchall():
        assert label in pl
        if reach is not None:
            assert f"{reach:,}".replace(",", "\u00a0") in pl.replace(" ", "\u00a0")
    assert "Baza nie zawiera danych o działaniach" not in pl
    assert "Baza nie zawiera danych o działaniach" in text_of(sheet(sheets, "10", "pl"))


def test_stated_founding_date_and_members_are_shown(sheets, db):
    for teryt, founded, members in db.execute(
            "SELECT teryt, founded, members FROM regional_teams WHERE founded IS NOT NULL").fetchall():
        parts = founded.split("-")
        date = ".".join(reversed(parts[1:])) + "." + parts[0]
        text = text_of(sheet(sheets, teryt, "pl"))
        assert f"Powołany {date}" in text
        assert f"Liczba członków {members if members is not None else 'nie podano'}" in text


def test_caveats_come_from_the_database(sheets, db):
    year, expected_n, actual = db.execute("""SELECT key, expected, actual FROM data_quality
        WHERE check_name = 'referrals_year_vs_enrolments' AND severity = 'warning'""").fetchone()
    text = text_of(sheet(sheets, "02", "en"))
    caveats = text.split(" Caveats ", 1)[1].split(" Sources ", 1)[0]  # the list, not the chart's own note
    assert f"The {year} referrals add up to {actual} against {expected_n} enrolments" in caveats
    assert "foreigners" in caveats and "fewer than 5 referrals a year" in caveats
    # the footer: build date and ETL version
    built_at, version = db.execute("SELECT built_at, etl_version FROM build_info").fetchone()
    assert f"built {built_at:%Y-%m-%d %H:%M} UTC (ETL {version}" in text


@pytest.mark.browser
def test_a_new_year_flows_into_the_sheet(tmp_path, monkeypatch):
    """The invented year of tests/fixtures/synthetic_year goes in through `python -m etl update`: the sheet's period,
    total and table follow with no change of code."""
    import duckdb

    from etl.__main__ import main

    raw, pointer = built_copy(tmp_path)
    monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    pairs = ["programme_victims", SYNTH / "programme_victims_2014.csv", "programme_referrals",
             SYNTH / "programme_referrals_2014.csv", "population", SYNTH / "population_2014.csv"]
    assert main(["update", *map(str, pairs), "--meta", str(SYNTH / "provenance.yml"), "--by", "test",
                 "--db", str(pointer), "--raw", str(raw)]) == 0
    con = duckdb.connect(str(pointer), read_only=True)
    first, last = con.execute("SELECT min(year), max(year) FROM programme_referrals").fetchone()
    total, latest = con.execute("""SELECT sum(referrals), arg_max(referrals, year) FROM programme_referrals
                                   WHERE teryt = '10'""").fetchone()
    con.close()
    pdf = factsheet.pdf("10", "pl")
    text = re.sub(r"\s+", " ", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert f"Zgłoszenia {first}–{last} {total} " in text
    assert re.search(rf"Rok( \d{{4}})* {last} Zgłoszenia( \d+)* {latest} Na 1 mln ", text)  # the table's last column


def test_referrals_page_offers_the_sheet_when_a_voivodeship_is_chosen(built):
    from tests.app.test_pages import run

    def sheet_buttons(at):
        return [b for b in at.get("download_button") if b.label in ("Karta województwa (PDF)", "Fact sheet (PDF)")]

    assert sheet_buttons(run("pages/2_Referrals.py")) == []
    assert [b.label for b in sheet_buttons(run("pages/2_Referrals.py", v="10"))] == ["Karta województwa (PDF)"]
    assert [b.label for b in sheet_buttons(run("pages/2_Referrals.py", v="26", lang="en"))] == ["Fact sheet (PDF)"]


# --- vector figures -------------------------------------------------------------------------------------------

@pytest.mark.browser
def test_svg_export_is_xml_with_the_title_as_text(built):
    fig = figures.victims("pl")
    svg = export.render(fig, "svg", "report")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [" ".join("".join(el.itertext()).split()) for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert fig.layout.meta["title"] in texts
    assert any(t.startswith("Źródło:") for t in texts)  # the source line is inside, as in the PNG


@pytest.mark.browser
def test_pdf_export_opens_with_the_title_as_text(built):
    fig = figures.referrals_map("en")
    reader = PdfReader(io.BytesIO(export.render(fig, "pdf", "slide")))
    assert len(reader.pages) == 1
    assert fig.layout.meta["title"] in re.sub(r"\s+", " ", reader.pages[0].extract_text())


@pytest.mark.browser
def test_batch_command_writes_vector_figures(built, tmp_path):
    out = tmp_path / "svg"
    proc = subprocess.run([sys.executable, "-m", "app.export", "--out", str(out), "--lang", "en", "--format", "svg",
                           "--no-deck"], cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["figures"]) == len(figures.CATALOGUE)
    for f in manifest["figures"]:
        assert f["file"].endswith("_en_slide.svg") and f["format"] == "svg"
        root = ET.parse(out / f["file"]).getroot()
        assert f["title"] in [" ".join("".join(el.itertext()).split())
                              for el in root.iter("{http://www.w3.org/2000/svg}text")], f["file"]
    assert not list(out.glob("*.pptx"))


def test_year_spans():
    assert factsheet.year_spans([2008, 2010, 2011, 2012]) == "2008, 2010–2012"
    assert factsheet.year_spans([]) == "" and factsheet.year_spans([2013]) == "2013"
    assert factsheet.slug("łódzkie") == "lodzkie" and factsheet.slug("warmińsko-mazurskie") == "warminsko-mazurskie"


@pytest.mark.browser
def test_a_sheet_that_does_not_fit_one_page_fails_naming_the_voivodeship(built, monkeypatch):
    """One page is the promise: a sheet with far more to say than fits even at the smallest scale (here, sixty
    caveats more, laid out by the real Typst) is refused with the voivodeship's name, never served on two pages."""
    real = factsheet.facts

    def longer(teryt, lang):
        sheet = real(teryt, lang)
        sheet["caveats"] = sheet["caveats"] + [f"An added caveat, number {i}, long enough to fill its own line "
                                               "of the sheet and a little of the next one." for i in range(60)]
        return sheet

    monkeypatch.setattr(factsheet, "facts", longer)
    with pytest.raises(factsheet.SheetTooLong, match=r"Łódzkie \(10, pl\).*one A4 page"):
        factsheet.pdf("10", "pl")
