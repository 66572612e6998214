"""PNG export with real kaleido on Debian's Chromium: sizes, content, the batch command, the deck."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation

from app import export, figures, slides, theme
from tests.helpers import ROOT


def image(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def colour_pixels(img: np.ndarray, hex_colour: str, tol: int = 6) -> int:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(img.astype(int) - rgb).max(axis=2) <= tol).sum())


@pytest.mark.browser
@pytest.mark.parametrize("preset", sorted(export.PRESETS))
def test_presets_give_exact_size_and_content(built, preset):
    img = image(export.png(figures.victims("pl"), preset))
    p = export.PRESETS[preset]
    assert img.shape == (p.height, p.width, 3)
    assert img.std() > 20  # not a blank frame
    # the four group colours of the stacked bars are all there
    for colour in theme.GROUP_COLOURS.values():
        assert colour_pixels(img, colour) > 500, colour


@pytest.mark.browser
def test_a_figure_taller_than_a_preset_is_drawn_at_its_height_in_the_presets_pixels():
    """A figure whose rows need 1000 px (meta export_height, as the victims' profile): the slide's PNG is still
    1920x1080, its layout 1008 px high (the first multiple of 9 from 1000: 16:9 in whole pixels) and 1792 wide."""
    import plotly.graph_objects as go

    from app.charts.frame import frame

    fig = frame(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), title="t", subtitle="s", source="x", lang="en", name="tall")
    fig.layout.meta = {**fig.layout.meta, "export_height": 1000}
    assert image(export.png(fig, "slide")).shape == (1080, 1920, 3)
    assert image(export.png(fig, "square")).shape == (1080, 1080, 3)
    svg = export.render(fig, "svg", "slide").decode("utf-8")
    assert 'width="1792" height="1008"' in svg[:svg.index(">", svg.index("<svg"))]
    short = frame(go.Figure(go.Bar(x=[1], y=[1])), title="t", subtitle="s", source="x", lang="en", name="short")
    assert 'width="1280" height="720"' in export.render(short, "svg", "slide").decode("utf-8")[:400]


@pytest.mark.browser
def test_map_png_has_filled_voivodeships(built):
    img = image(export.png(figures.overview_map("pl"), "report"))
    # mazowieckie (54, the maximum) is drawn in the darkest blue of the scale; others in lighter blues
    assert colour_pixels(img, theme.SEQUENTIAL[-1]) > 2000
    assert colour_pixels(img, theme.SEQUENTIAL[0], tol=10) > 2000
    assert colour_pixels(img, "#ffffff") < img.shape[0] * img.shape[1] * 0.9


@pytest.mark.browser
def test_export_uses_light_template_even_from_dark(built):
    img = image(export.png(figures.victims("en", tpl="dark"), "square"))
    assert tuple(img[5, 5]) == (255, 255, 255)


@pytest.mark.browser
def test_batch_command_exports_every_figure(built, tmp_path):
    out = tmp_path / "png"
    proc = subprocess.run([sys.executable, "-m", "app.export", "--out", str(out), "--lang", "en",
                           "--preset", "report"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = [f["file"] for f in manifest["figures"]]
    assert len(files) == len(figures.CATALOGUE) + len(slides.SLIDES)
    for f in manifest["figures"]:
        assert image((out / f["file"]).read_bytes()).shape == (900, 1600, 3)
        assert f["title"] and f["source"] and f["lang"] == "en"
        png = Image.open(out / f["file"])
        png.load()
        assert png.text["Description"] == f["alt"]  # the manifest's alt text is the one inside the file
    victims = next(f for f in manifest["figures"] if "_victims_" in f["file"])
    assert figures.victims("en").layout.meta["description"] in victims["alt"]
    import duckdb
    con = duckdb.connect(str(built.path), read_only=True)
    assert manifest["build"]["inputs_sha256"] == con.execute("SELECT inputs_sha256 FROM build_info").fetchone()[0]
    con.close()
    deck = Presentation(str(out / "slides_en.pptx"))
    assert len(deck.slides) == len(slides.SLIDES)
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides]
    assert notes == [s.note("en") for s in slides.SLIDES]
    assert "241" in notes[0]


def test_batch_command_fails_clearly_without_browser(built, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "app.export", "--out", str(tmp_path / "x")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "BROWSER_PATH": "/nonexistent/chromium"})
    assert proc.returncode == 2
    assert "Chromium not found at /nonexistent/chromium" in proc.stderr
    assert "apt-get install chromium" in proc.stderr
    assert not (tmp_path / "x" / "manifest.json").exists()


@pytest.mark.browser
def test_pptx_deck_has_one_picture_per_slide(built):
    data = slides.deck_pptx([(export.png(figures.victims("pl"), "slide"), "note one"),
                             (export.png(figures.emigration_totals("pl"), "slide"), "note two")])
    deck = Presentation(io.BytesIO(data))
    assert [len(s.shapes) for s in deck.slides] == [1, 1]
    assert [s.notes_slide.notes_text_frame.text for s in deck.slides] == ["note one", "note two"]
    assert deck.slide_width * 9 == deck.slide_height * 16


@pytest.mark.browser
def test_exported_files_carry_the_text_alternative(built, db):
    """SVG <title>/<desc>, the PDF's title, subject and language, the PNG's iTXt: the figure's title and its alt text
    with the description, which names the year of most enrolments (SQL)."""
    import xml.etree.ElementTree as ET

    from pypdf import PdfReader

    fig = figures.victims("pl")
    top, year = db.execute("SELECT total, year FROM programme_victims ORDER BY total DESC LIMIT 1").fetchone()
    text = export.text_alternative(fig)
    assert f"{top} ({year})" in text and fig.layout.meta["description"] in text
    svg = ET.fromstring(export.render(fig, "svg", "report"))
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.find(f"{ns}title").text == fig.layout.meta["title"] and svg.find(f"{ns}desc").text == text
    pdf = PdfReader(io.BytesIO(export.render(fig, "pdf", "report")))
    assert pdf.metadata.title == fig.layout.meta["title"] and pdf.metadata.subject == text
    assert pdf.trailer["/Root"]["/Lang"] == "pl"
    png = Image.open(io.BytesIO(export.render(fig, "png", "report")))
    png.load()
    assert png.text == {"Title": fig.layout.meta["title"], "Description": text}
