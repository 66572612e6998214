"""Colour contrast by WCAG 2.1's formula (written out here): the Streamlit theme's text at 4.5:1, and every mark a
figure draws (bar, line, marker) at 3:1 against its paper, on the light, presentation and dark templates."""

from __future__ import annotations

import tomllib

import pytest

from app import figures, slides
from tests.helpers import ROOT

THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
WHITE, SIDEBAR = "#ffffff", "#f0f2f6"  # Streamlit's light background and its secondary (sidebar) background

pytestmark = pytest.mark.slow  # see pytest.ini


def rgb(colour: str) -> tuple[int, int, int]:
    c = colour.strip().lower()
    if c.startswith("rgb"):
        return tuple(int(float(x)) for x in c[c.index("(") + 1:c.index(")")].split(",")[:3])
    c = c.lstrip("#")
    return tuple(int(c[i:i + 2], 16) for i in (0, 2, 4))


def luminance(colour: str) -> float:
    def channel(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over(colour: str, background: str, alpha: float) -> str:
    """`colour` drawn at `alpha` opacity over `background`."""
    return "#" + "".join(f"{round(alpha * f + (1 - alpha) * b):02x}" for f, b in zip(rgb(colour), rgb(background)))


@pytest.mark.parametrize("background", [WHITE, SIDEBAR])
def test_streamlit_theme_text_has_4_5_to_1(background):
    text, primary = THEME["textColor"], THEME["primaryColor"]
    assert ratio(text, background) >= 4.5
    # captions and help texts: the text colour at 60 % opacity (Streamlit's fadedText60)
    assert ratio(over(text, background, 0.6), background) >= 4.5
    assert ratio(over(THEME["codeTextColor"], background, 0.6), background) >= 4.5
    # a selected option: the primary colour on a light tint of it; links and focus rings: the primary colour
    assert ratio(primary, over(primary, background, 0.2)) >= 4.5
    assert ratio("#ffffff", primary) >= 4.5  # a primary button's label


def colours(trace) -> list[str]:
    """The colours a trace draws its marks in (bars, lines, markers), not text-only or filled-area traces."""
    if trace.type not in ("bar", "scatter"):
        return []
    if trace.type == "scatter" and (trace.mode or "").replace("text", "").strip("+") == "":
        return []
    out = []
    for value in (trace.marker.color, getattr(trace, "line", None) and trace.line.color):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, (list, tuple)):
            out += [v for v in value if isinstance(v, str)]
    return out


@pytest.mark.parametrize("tpl", ["light", "presentation", "dark"])
def test_every_mark_has_3_to_1_against_its_paper(built, tpl):
    low = []
    for fig in [*(e.figure("pl", tpl=tpl) for e in figures.CATALOGUE), *(s.figure("pl", tpl) for s in slides.SLIDES)]:
        paper = fig.layout.template.layout.paper_bgcolor
        for trace in fig.data:
            low += [(fig.layout.meta["name"], trace.name, c, round(ratio(c, paper), 2)) for c in colours(trace)
                    if ratio(c, paper) < 3]
    assert low == []
