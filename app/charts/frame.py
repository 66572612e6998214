"""What every figure has: our template, its title, subtitle, source and note lines inside it, its text alternative,
and every text escaped for plotly; year axes and the language's number separators."""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go

from app import describe, theme
from app.describe import Drawn
from app.i18n import t
from app.safe_text import escape, escape_figure

SOURCE_WRAP = 80  # characters per source line: fits a 3/5-width chart on a 1366 px screen (95 was cut)


WIDE_WRAP = 140  # a chart the page draws full width


# An annotation starts at the plot area's left edge: half-width overview charts, and a ranking whose
# long labels push the plot area right, need shorter lines or the source runs off the figure.
NARROW_WRAP = 55


RANKING_WRAP = 34

DEFAULT_HEIGHT = 450  # px: plotly.js draws a figure of no height this tall
# px: the plot of a figure of no height on the light template with no notes (450 less its margins, 125 and 100); the
# presentation template's larger margins and a figure's notes leave it less, down to nothing
LEAST_PLOT = 225

# A character's mean width in em: 0.5 measured on the notes' Polish and English text in Chromium, with room to spare.
CHAR_EM = 0.55


def fits(width: float, font_size: float) -> int:
    """Characters of text in `font_size` px that fit in `width` px."""
    return int(width / (CHAR_EM * font_size))


def narrowest() -> int:
    """The narrowest layout width a figure is drawn at: the square export's (app/export PRESETS)."""
    from app.export import PRESETS  # app.export draws figures this module frames: imported when first framed

    return min(p.logical[0] for p in PRESETS.values())


def category_pitch(tpl: str, size: float | None = None, lines: int = 1) -> int:
    """Pixels from one category to the next that label every one, in tick labels of `size` px (the template's if
    None) of up to `lines` lines: plotly.js labels every n-th category when they are closer than 1.2 times its tick
    font, and two labels need 2 px between their glyph boxes (about 1.1 em tall a line)."""
    return math.ceil(1.2 * lines * (size or theme.template(tpl).layout.yaxis.tickfont.size)) + 2


def fit_categories(fig: go.Figure, n: float, tpl: str, size: float | None = None, lines: int = 1) -> go.Figure:
    """A framed figure made tall enough for its `n` categories (of its plot area: more where subplots share it) to be
    category_pitch apart, on the page and in an export (meta 'export_height', read by app/export layout_size): its
    margins, notes included, plus them."""
    least = math.ceil(fig.layout.margin.t + fig.layout.margin.b + n * category_pitch(tpl, size, lines))
    fig.update_layout(height=max(fig.layout.height or 0, least))
    fig.layout.meta = {**fig.layout.meta, "export_height": least}
    return fig


def separators(lang: str) -> str:
    """plotly's decimal and thousands separators: Polish '1 234,5', English '1,234.5'."""
    return ", " if lang == "pl" else ".,"


def frame(fig: go.Figure, *, title: str, subtitle: str, source: str, lang: str, tpl: str = "light",
          alt: str = "", name: str = "", note: str = "", wrap: int = SOURCE_WRAP, legend_rows: int = 1,
          drawn: Drawn | None = None) -> go.Figure:
    """Give a figure our template, its title, subtitle (unit, period), source and note lines (of at most
    `wrap` characters), alt text, and the text alternative of the numbers it draws (description and table).
    Every text of the figure is escaped for plotly here (app/safe_text.py)."""
    escape_figure(fig)
    # a subtitle does not wrap by itself: wrapped to the narrowest drawing (it starts at the figure's left edge)
    sub_size = theme.template(tpl).layout.title.subtitle.font.size
    sub_lines = textwrap.wrap(subtitle, fits(narrowest() - 20, sub_size)) or [subtitle]
    fig.update_layout(
        template=theme.template(tpl), separators=separators(lang),
        title=dict(text=escape(title), subtitle=dict(text="<br>".join(map(escape, sub_lines)))),
        meta={"alt": alt, "name": name, "title": title, "subtitle": subtitle, "source": source, "note": note,
              "lang": lang,
              "description": describe.description(drawn, lang) if drawn else "",
              "table": describe.table(drawn, lang) if drawn else None},
    )
    base = fig.layout.template.layout
    size = base.font.size
    taller = (len(sub_lines) - 1) * math.ceil(1.3 * sub_size)  # the subtitle's lines after its first
    top = (fig.layout.margin.t or base.margin.t) + taller
    if legend_rows > 1:  # a legend that wraps on a laptop grows upwards: room for it below the subtitle
        top += (legend_rows - 1) * math.ceil(1.4 * base.legend.font.size)
    fig.update_layout(margin_t=top)
    # An annotation does not wrap by itself and a half-width chart is narrow: wrap by hand, `wrap` characters of the
    # light template's text (fewer of larger text), and no wider than the narrowest drawing's plot area.
    room = narrowest() - (fig.layout.margin.l or base.margin.l) - (fig.layout.margin.r or base.margin.r)
    chars = int(wrap * theme.template("light").layout.font.size / size)  # whole characters, never more
    lines = textwrap.wrap(f"{t('source', lang)}: {source}", min(chars, fits(room, size - 3))) if source else []
    notes = textwrap.wrap(note, min(chars, fits(room, size - 2))) if note else []
    # plotly sets annotation lines about 1.3 em apart; the template's bottom margin holds the first source line.
    source_lh, note_lh = math.ceil(1.3 * (size - 3)), math.ceil(1.3 * (size - 2))  # pixels
    extra = max(0, source_lh * (len(lines) - 1) + note_lh * len(notes) + (4 if notes else 0))
    margin_b = (fig.layout.margin.b or base.margin.b) + extra
    fig.update_layout(margin_b=margin_b)
    if fig.layout.height:  # the notes and the subtitle take room of their own, not from the plot
        fig.update_layout(height=fig.layout.height + extra + taller)
    elif top + margin_b + LEAST_PLOT > DEFAULT_HEIGHT:  # plotly's default height would squash the plot
        fig.update_layout(height=top + margin_b + LEAST_PLOT)
    # Both lines are anchored to the bottom edge in pixels, so they stay inside an image of any size.
    bottom = dict(xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom", showarrow=False,
                  align="left")
    if lines:
        fig.add_annotation(text="<br>".join(map(escape, lines)), yshift=-margin_b + 6, name="source",
                           font=dict(size=size - 3, color=theme.muted(tpl)), **bottom)
    if notes:
        fig.add_annotation(text="<br>".join(map(escape, notes)), yshift=-margin_b + 10 + source_lh * len(lines),
                           name="note", font=dict(size=size - 2, color=base.font.color), **bottom)
    return fig


def quote(text: str, lang: str) -> str:
    """Quotation marks of the language: „…” in Polish, '…' in English."""
    return f"„{text}”" if lang == "pl" else f"'{text}'"


def year_axis(fig: go.Figure, years, marked: set[int] = frozenset()) -> None:
    """Integer year ticks (never '2 006'); years with a published note get an asterisk."""
    years = list(years)
    fig.update_xaxes(tickmode="array", tickvals=years,
                     ticktext=[f"{y}*" if y in marked else str(y) for y in years], title=None)


def sequential_scale(zero: str = theme.ZERO) -> list:
    """Sequential colour scale whose zero is white and whose smallest positive value is already blue."""
    steps = theme.SEQUENTIAL
    scale = [[0.0, zero], [1e-9, steps[0]]]
    scale += [[i / (len(steps) - 1), c] for i, c in enumerate(steps) if i > 0]
    return scale
