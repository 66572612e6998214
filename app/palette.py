"""Every colour a figure draws, in one place, each choice explained; the legibility check (app/legibility) holds
every figure to them: 3:1 against the paper (WCAG 2.1, 1.4.11) and series told apart with a colour-vision deficiency."""

from __future__ import annotations

# Series (lines, stacked segments, markers), in drawing order. Okabe-Ito's blue, vermillion and bluish green, then a
# violet, a brown and a grey found by a max-min search over colours with 3:1 against white and against the dark
# template's paper: every pair is at least 12.4 apart (CIEDE2000) in normal vision and under protanopia,
# deuteranopia and tritanopia simulated (Machado 2009), above the check's threshold of 10. Okabe-Ito's own orange,
# yellow, sky blue and reddish purple, darkened to 3:1 on white, fell to 0.6-8 apart from a neighbour under
# protanopia or tritanopia. Six colours is what that luminance band holds: a seventh series takes the first colour
# again with its own dash, marker or pattern (style()).
SERIES = ["#0072B2", "#D55E00", "#009E73", "#9977FF", "#995544", "#5F6368"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "star", "triangle-down", "hexagon"]
# each symbol as a character, for a label that names its series by the series' colour and marker
GLYPHS = {"circle": "●", "square": "■", "diamond": "◆", "triangle-up": "▲", "cross": "✚", "star": "★",
          "triangle-down": "▼", "hexagon": "⬢"}
PATTERNS = ["", "/", "\\", "x", ".", "+", "-", "|"]

GROUP_COLOURS = {"women": SERIES[3], "men": SERIES[0], "minors_in_care": SERIES[2], "minors_unaccompanied": SERIES[1]}
SCOPE_COLOURS = {"total": SERIES[5], "europe": SERIES[0], "eu": SERIES[1]}
HIGHLIGHT = SERIES[1]  # one bar among many (Poland among the European countries): vermillion against the blue bars

PAPER = "#ffffff"
INK = "#1f2328"  # labels on light fills, outlines of the country of origin
BORDER = "#57606a"  # between map areas: 6.4:1 on white, so every area's outline has 3:1 whatever its fill
UNPUBLISHED = "#8c959f"  # a total whose split was not published: grey, 3:1 on white, a neutral not a series

# ColorBrewer Blues (sequential, colour-blind safe); zero is white and outlined, so it is never confused with the
# lightest non-zero class, and "no data" is a neutral grey.
SEQUENTIAL = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
BAR = SEQUENTIAL[5]  # single-colour bars and lines: 5.1:1 on white, 3.7:1 on the dark paper
BAR_LIGHT = SEQUENTIAL[4]  # a second kind of bar beside BAR: 3.4:1 on white
ZERO = "#ffffff"
NO_DATA = "#bdbdbd"
# The four classes of the source map "DOKĄD WYEMIGROWALIŚMY" (ColorBrewer YlGnBu). Adjacent classes cannot all have
# 3:1 (four steps of 3:1 need 81:1, WCAG's range is 21:1): every area of a classed map has its value written on it.
CLASS_COLOURS = ["#c7e9b4", "#41b6c4", "#225ea8", "#081d58"]
CLASS_COLOURS_5 = ["#edf8b1", "#c7e9b4", "#41b6c4", "#225ea8", "#081d58"]
# Polish victims abroad: "<5" is a class of its own, a sand colour outside the count scale and the label "<5" on the
# country; "none listed" near white (both outlined).
SMALL = "#f2d388"
NONE = "#f3f4f6"
HATCH = dict(shape="/", fgcolor=INK, size=6, solidity=0.3)  # a bound, never a measured value
# The regional teams: a date known (light: its date is written on it), a team mentioned (dark: nothing written on
# it, so 3:1 against 'nothing known' beside it), nothing known.
TEAM_COLOURS = {"dated": "#6baed6", "mentioned": SEQUENTIAL[5], "unknown": "#f0f1f3"}
# The fact sheet's locator: the chosen voivodeship dark, the others light, white borders between them.
LOCATOR_COLOURS = {"other": "#dde3ea", "chosen": SEQUENTIAL[6]}
# The justice table's cells: nothing published, published, two sources disagree (each cell also says it in words).
JUSTICE_CELLS = ["#f3f4f6", SEQUENTIAL[1], "#fdd49e"]


def style(i: int) -> dict:
    """The i-th series' colour, dash, marker symbol and bar pattern: the colour repeats after six series, the dash,
    symbol and pattern then differ, so no two series of one figure share all four."""
    return {"colour": SERIES[i % len(SERIES)], "dash": DASHES[i % len(DASHES)], "symbol": SYMBOLS[i % len(SYMBOLS)],
            "pattern": PATTERNS[(i // len(SERIES)) % len(PATTERNS)]}
