"""Our plotly templates (light, dark, presentation), colour-blind-safe palettes and fonts."""

from __future__ import annotations

import plotly.graph_objects as go

# Unquoted CSS family names may not start with a digit ("Source Sans 3" would void the whole list).
FONT = "Source Sans Pro, Liberation Sans, DejaVu Sans, Arial, sans-serif"

# Okabe-Ito's hues, distinguishable with every common colour-vision deficiency, darkened where needed so that every
# mark has 3:1 against white and against the dark template's paper (WCAG 1.4.11; tests/app/test_contrast.py): the
# original orange, sky blue and yellow had 2.3:1, 2.3:1 and 1.3:1 on white, black 1.1:1 on the dark paper.
OKABE_ITO = ["#0072B2", "#B86E00", "#009E73", "#C0588F", "#3A87C0", "#D55E00", "#8A7A00", "#5F6368"]
GROUP_COLOURS = {"women": "#C0588F", "men": "#0072B2", "minors_in_care": "#009E73",
                 "minors_unaccompanied": "#B86E00"}
SCOPE_COLOURS = {"total": "#5F6368", "europe": "#0072B2", "eu": "#B86E00"}
# Stacked segments touch each other: a thin line of the paper's colour between them makes each segment's neighbour
# the paper, against which every palette colour has 3:1 (two palette colours side by side need not).
SEGMENT_LINE = {"color": "#ffffff", "width": 1}
# ColorBrewer Blues (sequential, colour-blind safe); zero is white and outlined, so it is never
# confused with the lightest non-zero class, and "no data" is a neutral grey.
SEQUENTIAL = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
BAR = SEQUENTIAL[5]  # single-colour bars and lines: 5.1:1 on white, 3.7:1 on the dark paper
BAR_LIGHT = SEQUENTIAL[4]  # a second kind of bar beside BAR: 3.4:1 on white
ZERO = "#ffffff"
NO_DATA = "#bdbdbd"
# The four classes of the source map "DOKĄD WYEMIGROWALIŚMY" (ColorBrewer YlGnBu).
CLASS_COLOURS = ["#c7e9b4", "#41b6c4", "#225ea8", "#081d58"]
CLASS_COLOURS_5 = ["#edf8b1", "#c7e9b4", "#41b6c4", "#225ea8", "#081d58"]

_BASE = {
    "light": {"paper": "#ffffff", "text": "#1f2328", "muted": "#57606a", "grid": "#e1e4e8", "line": "#8c959f"},
    # Presentation: pure black text and darker grid lines for projectors.
    "contrast": {"paper": "#ffffff", "text": "#000000", "muted": "#333333", "grid": "#b0b4ba", "line": "#333333"},
    "dark": {"paper": "#0e1117", "text": "#f0f2f6", "muted": "#a3a8b4", "grid": "#30343c", "line": "#6e7681"},
}


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
        paper_bgcolor=c["paper"], plot_bgcolor=c["paper"], colorway=OKABE_ITO,
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
