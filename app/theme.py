"""Our plotly templates (light, dark, presentation) and fonts; the colours are app/palette.py's."""

from __future__ import annotations

import functools

import plotly.graph_objects as go

# Unquoted CSS family names may not start with a digit ("Source Sans 3" would void the whole list).
FONT = "Source Sans Pro, Liberation Sans, DejaVu Sans, Arial, sans-serif"

from app.palette import (BAR, BAR_LIGHT, CLASS_COLOURS, CLASS_COLOURS_5, GROUP_COLOURS, NO_DATA,  # noqa: F401
                         SCOPE_COLOURS, SEQUENTIAL, SERIES, ZERO)

# Stacked segments touch each other: a thin line of the paper's colour between them makes each segment's neighbour
# the paper, against which every palette colour has 3:1 (two palette colours side by side need not).
SEGMENT_LINE = {"color": "#ffffff", "width": 1}

_BASE = {
    "light": {"paper": "#ffffff", "text": "#1f2328", "muted": "#57606a", "grid": "#e1e4e8", "line": "#8c959f"},
    # Presentation: pure black text and darker grid lines for projectors.
    "contrast": {"paper": "#ffffff", "text": "#000000", "muted": "#333333", "grid": "#b0b4ba", "line": "#333333"},
    "dark": {"paper": "#0e1117", "text": "#f0f2f6", "muted": "#a3a8b4", "grid": "#30343c", "line": "#6e7681"},
}


# Made once per (name, scale): building a Template is about 5 ms, and every figure asks for one two or three times
# (a fifth of drawing every figure of the edition). Shared, so never changed in place: plotly copies a template
# assigned to a figure's layout, and the other callers only read its sizes.
@functools.cache
def template(name: str = "light", scale: float = 1.0) -> go.layout.Template:
    """A complete template; 'presentation' is the light one with 1.5x text and thicker lines."""
    if name == "presentation":
        return template("contrast", scale=1.5)
    c = _BASE[name]
    size = round(15 * scale)
    axis = dict(gridcolor=c["grid"], linecolor=c["line"], zerolinecolor=c["grid"], ticks="outside",
                tickcolor=c["line"], title=dict(font=dict(size=size, color=c["text"])),
                tickfont=dict(size=round(13 * scale), color=c["text"]), automargin=True)
    return go.layout.Template(layout=go.Layout(
        font=dict(family=FONT, size=size, color=c["text"]),
        paper_bgcolor=c["paper"], plot_bgcolor=c["paper"], colorway=SERIES,
        title=dict(font=dict(size=round(21 * scale), color=c["text"]), x=0.01, xanchor="left",
                   y=0.985, yanchor="top", yref="container",
                   subtitle=dict(font=dict(size=round(14 * scale), color=c["muted"]))),
        xaxis=axis, yaxis=axis,
        # Horizontal, just above the plot and below the title block (see margin t).
        legend=dict(font=dict(size=round(14 * scale)), bgcolor="rgba(0,0,0,0)", orientation="h",
                    x=0, xanchor="left", y=1.0, yanchor="bottom"),
        hoverlabel=dict(font=dict(family=FONT, size=round(14 * scale))),
        geo=dict(bgcolor=c["paper"], showframe=False),
        coloraxis=dict(colorbar=dict(tickfont=dict(size=round(13 * scale)), outlinewidth=0)),
        margin=dict(l=60, r=30, t=round(125 * scale), b=round(100 * scale)),
        meta={"template": name},
    ), data=dict(bar=[go.Bar(marker_line_width=0)],
                 scatter=[go.Scatter(line=dict(width=2.5 * scale), marker=dict(size=8 * scale))]))


def muted(name: str) -> str:
    """The secondary text colour of a template (for source lines and notes)."""
    return _BASE[{"dark": "dark", "presentation": "contrast"}.get(name, "light")]["muted"]
