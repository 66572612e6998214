"""Numbers by one rule (issue 23): no number formatted by d3 in the browser, one rounding function, missing values
shown as "no data" rather than crashing a page."""

from __future__ import annotations

import ast
import re

import pytest
from streamlit.testing.v1 import AppTest

from app import figures, slides
from app.i18n import t
from tests.helpers import ROOT

APP_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "app").rglob("*.py"))]
# A plotly template field with a format after a colon, e.g. "%{y:,.0f}" or "%{customdata[1]:.1%}": d3 formats it in
# the browser, in English, whatever the page's language. ("%{x|%Y}" is a date format, not a number.)
D3_NUMBER = re.compile(r"%\{[^}|]*:[^}]*\}")


def templates(fig) -> list[str]:
    """Every hover and text template of a figure's traces."""
    out = []
    for trace in fig.data:
        for attr in ("hovertemplate", "texttemplate"):
            value = getattr(trace, attr, None)
            out += value if isinstance(value, (list, tuple)) else [value] if value else []
    return out


def some_figures(lang: str):
    """Every catalogue figure and slide, and views the catalogue does not list (shares, rates, one voivodeship)."""
    yield from (e.figure(lang) for e in figures.CATALOGUE)
    yield from (s.figure(lang) for s in slides.SLIDES)
    yield figures.victims(lang, mode="share")
    yield figures.referrals_ranking(lang, metric="rate")
    yield figures.referrals_series(lang, "02", metric="rate")
    yield figures.factsheet_chart(lang, "02")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_no_hover_or_label_is_formatted_by_d3(built, lang):
    found = [(fig.layout.meta["name"], tpl) for fig in some_figures(lang) for tpl in templates(fig)
             if D3_NUMBER.search(tpl)]
    assert found == []


def test_no_d3_number_format_in_the_code():
    """The same in the source, for figures drawn only on demand (an Update preview, a fact sheet)."""
    found = []
    for path in APP_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and D3_NUMBER.search(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
            elif isinstance(node, ast.JoinedStr):  # f"%{{y:,.0f}}": the braces are doubled in the source
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if D3_NUMBER.search(text.replace("{{", "{").replace("}}", "}")):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text}")
    assert found == []


def test_one_rounding_function():
    """The rule (half away from zero) is written once, in app.i18n.rounded; no module that shapes numbers for a
    reader calls Python's round() (half to even on floats) on a figure."""
    rule = [p.relative_to(ROOT).as_posix() for p in APP_FILES if "ROUND_HALF" in p.read_text(encoding="utf-8")]
    assert rule == ["app/i18n.py"]
    calls = []
    for path in APP_FILES:
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("app/theme.py", "app/export/__init__.py", "app/export/__main__.py", "app/factsheet.py",
                   "app/page.py", "app/legibility/colour.py", "app/legibility/rules.py"):
            # sizes in pixels, timings; colour channels and the legibility check's measured ratios and distances
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "round":
                line = path.read_text(encoding="utf-8").splitlines()[node.lineno - 1]
                if "label_points" in rel or "round(p.x, 3)" in line:  # map label positions in degrees
                    continue
                calls.append(f"{rel}:{node.lineno}: {line.strip()}")
    assert calls == []


def without_emigration_totals(raw) -> None:
    """The emigration table with no published total for any year (the Europe and EU rows stay)."""
    path = raw / "emigration_gus.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if ",TOTAL," not in line), encoding="utf-8")


def test_home_without_an_emigration_total_says_no_data(variant):
    variant(without_emigration_totals)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles[t("emigration_latest", "pl", year="–")] == t("no_data", "pl")
