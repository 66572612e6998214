"""The legibility check's colour rules over one figure, from the figure's own colours.

- contrast: every mark (line, marker, bar, map area) at 3:1 against the paper it is drawn on (WCAG 2.1, 1.4.11),
  opacity composited as drawn; an area whose outline has 3:1 passes by its outline, a table cell by the text written
  in it. On a classed map, classes next to each other in the legend's order at 3:1, unless text tells them apart
  (both written on each of their areas, or one written and the other never) or a symbol of their own (below).
- colour vision: two series or classes of one figure told apart by colour alone (the same dash, marker symbol,
  pattern, outline and written labels; no annotation naming either) at least THRESHOLD apart (CIEDE2000) in normal
  vision and with protanopia, deuteranopia and tritanopia simulated (app/legibility/colour.py).
- a graduated symbol tells two series or classes apart when each has one size, at least SIZE_STEP times the other's:
  a marker trace its marker size; a map class the size of the symbol in its legend group (its legend entry), if every
  one of its areas carries that symbol or its value written.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from app.legibility.colour import contrast, difference, over

MIN_CONTRAST = 3.0
# CIEDE2000 of about 1 is a just-noticeable difference between large patches side by side; a line 2.5 px wide or a
# legend swatch needs several times more (colour difference grows steeply as marks shrink: Stone, Szafir and Setlur
# 2014), and the reader matches a line to its legend entry across the figure, not side by side. 10 is the floor the
# issue set; the palette's closest pair is 12.4 (app/palette.py).
THRESHOLD = 10.0
# Two symbol diameters a reader matches to their legend entries across the map, not side by side: 1.25 times the
# diameter is 1.56 times the area, many times the few per cent by which two sizes side by side can be told apart.
SIZE_STEP = 1.25


@dataclass(frozen=True)
class Finding:
    """One failure of a rule in one figure."""

    rule: str  # "contrast" | "colour_vision" | "overlap"
    figure: str
    what: str
    value: float


@dataclass(frozen=True)
class Mark:
    """What a trace draws, as the rules read it."""

    name: str
    colours: tuple[str, ...]  # as drawn over the paper
    cue: tuple  # what else tells it apart: dash, symbol, pattern, outline, labels written
    outlined: bool  # an outline with 3:1 against the paper
    written: bool  # a table cell or map area with its value written on it
    series: bool  # a series or class of the figure (in the legend), not a label or a part of another
    paper: str
    kind: str
    size: float | None = None  # a graduated symbol's diameter (px) drawn on every point or area of the mark


def sized_apart(a: Mark, b: Mark) -> bool:
    """Told apart by their symbols' sizes: each has one, the larger at least SIZE_STEP times the smaller."""
    return bool(a.size and b.size) and max(a.size, b.size) >= SIZE_STEP * min(a.size, b.size)


def _paper(fig: go.Figure, trace) -> str:
    tl = fig.layout.template.layout
    if trace.type in ("choropleth", "scattergeo"):
        return fig.layout.geo.bgcolor or tl.geo.bgcolor or fig.layout.paper_bgcolor or tl.paper_bgcolor or "#ffffff"
    return fig.layout.plot_bgcolor or tl.plot_bgcolor or "#ffffff"


def _list(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def _scale(trace) -> list[str]:
    """The colours a colour scale paints, each once (a class layer paints one)."""
    scale = trace.colorscale or ()
    z = {v for v in np.asarray(trace.z if trace.z is not None else [], dtype=object).ravel() if v is not None}
    if scale and len(z) == 1 and scale[0][1] == scale[-1][1]:
        return [scale[0][1]]
    return list(dict.fromkeys(c for _, c in scale))


def _labelled(fig: go.Figure) -> set:
    """The map areas with a text written on them (a text layer's ids)."""
    return {i for tr in fig.data if tr.type == "scattergeo" and "text" in (tr.mode or "") and tr.ids is not None
            for i in tr.ids}


def _size(marker) -> float | None:
    """A marker's one size (None: the default or a size per point)."""
    return float(marker.size) if isinstance(marker.size, (int, float)) else None


def _symbols(fig: go.Figure) -> dict:
    """The graduated symbols of a map, by legend group: their one size and the areas they stand on (the trace's ids)."""
    return {tr.legendgroup: (_size(tr.marker), set(tr.ids or ())) for tr in fig.data
            if tr.type == "scattergeo" and "markers" in (tr.mode or "") and tr.legendgroup and _size(tr.marker)}


def marks(fig: go.Figure) -> list[Mark]:
    """Every trace that draws a mark (text-only traces are text), with its colours composited on its paper."""
    colorway = fig.layout.colorway or fig.layout.template.layout.colorway or ("#1f77b4",)
    written = _labelled(fig)
    symbols = _symbols(fig)
    entries = {tr.legendgroup for tr in fig.data if tr.legendgroup and tr.showlegend is not False}
    names = {a.text for a in fig.layout.annotations if a.text}
    out = []
    for i, tr in enumerate(fig.data):
        mode = getattr(tr, "mode", None) or ""
        if tr.type in ("scatter", "scattergeo") and not ({"lines", "markers"} & set(mode.split("+"))):
            continue
        paper = _paper(fig, tr)
        default = colorway[i % len(colorway)]
        opacity = getattr(tr, "opacity", None)
        opacity = 1.0 if opacity is None else opacity
        if tr.type in ("scatter", "scattergeo"):
            colours, cue = [], []
            if "lines" in mode:
                colours += _list(tr.line.color) or [default]
                cue.append(tr.line.dash or "solid")
            if "markers" in mode:
                colours += _list(tr.marker.color) or [default]
                cue.append(tr.marker.symbol or "circle")
                opacity *= tr.marker.opacity if tr.marker.opacity is not None else 1.0
            line = tr.marker.line if "markers" in mode else None
        elif tr.type == "bar":
            colours = _list(tr.marker.color) or [default]
            cue = [(tr.marker.pattern.shape or "") if tr.marker.pattern else ""]
            opacity *= tr.marker.opacity if tr.marker.opacity is not None else 1.0
            line = tr.marker.line
        elif tr.type in ("choropleth", "heatmap"):
            colours = _scale(tr)
            opacity *= tr.marker.opacity if tr.type == "choropleth" and tr.marker.opacity is not None else 1.0
            line = tr.marker.line if tr.type == "choropleth" else None
            cue = [(line.color, line.width) if line else None]
        else:
            continue
        outline = line is not None and (line.width or 0) >= 0.5 and isinstance(line.color, str)
        outlined = outline and contrast(over(line.color, paper, opacity), paper) >= MIN_CONTRAST
        ids = set(tr.locations if tr.locations is not None else ()) if tr.type == "choropleth" else set()
        cells = tr.type == "heatmap" and bool(tr.texttemplate)
        labels = "all" if cells or (ids and ids <= written) else "some" if ids & written else "none"
        cue.append(labels)
        named = tr.name in names  # a direct label: an annotation that names the series
        # a map class may have its legend entry drawn by its symbol (the same legend group)
        shown = tr.showlegend is not False or tr.type == "choropleth" and tr.legendgroup in entries
        series = shown and bool(tr.name) and tr.type != "heatmap"
        if tr.type == "choropleth":  # its group's symbol, if every area carries it or its value written
            size, on = symbols.get(tr.legendgroup, (None, set()))
            size = size if ids and ids <= on | written else None
        else:
            size = _size(tr.marker) if "markers" in mode else None
        out.append(Mark(tr.name or f"trace {i}", tuple(over(c, paper, opacity) for c in dict.fromkeys(colours)),
                        (*cue, tr.name if named else None), outlined, labels == "all", series, paper, tr.type, size))
    return out


def contrast_findings(fig: go.Figure) -> list[Finding]:
    """Marks under 3:1 against their paper; neighbouring classes of a classed map under 3:1 with no text between."""
    name, out = fig.layout.meta["name"], []
    drawn = marks(fig)
    for mark in drawn:
        for c in mark.colours:
            ratio = contrast(c, mark.paper)
            if ratio < MIN_CONTRAST and not mark.outlined and not mark.written:
                out.append(Finding("contrast", name, f"{mark.name} {c} on {mark.paper}", round(ratio, 2)))
    # a class with no area on this map (a legend entry only) has no neighbour to be confused with
    classes = [m for m in drawn if m.kind == "choropleth" and m.series and len(m.colours) == 1]
    for a, b in zip(classes, classes[1:]):
        ratio = contrast(a.colours[0], b.colours[0])
        told = (a.cue[-2] != b.cue[-2] and "some" not in (a.cue[-2], b.cue[-2]) or a.written and b.written
                or sized_apart(a, b))
        if ratio < MIN_CONTRAST and not told and a.cue[0] == b.cue[0]:
            out.append(Finding("contrast", name, f"classes {a.name} / {b.name}", round(ratio, 2)))
    return out


def colour_vision_findings(fig: go.Figure) -> list[Finding]:
    """Pairs of series (or of the colours one trace gives its bars) told apart by colour alone, too close."""
    name, out = fig.layout.meta["name"], []
    series = [m for m in marks(fig) if m.series]
    seen = set()
    for a, b in itertools.combinations(series, 2):
        if (a.name == b.name or a.cue != b.cue or a.written and b.written or sized_apart(a, b)
                or (a.name, b.name) in seen):
            continue  # one series drawn as two traces, or told apart by something else than colour
        seen.add((a.name, b.name))
        d, vision = min(difference(x, y) for x in a.colours for y in b.colours)
        if d < THRESHOLD:
            out.append(Finding("colour_vision", name, f"{a.name} / {b.name} ({vision})", round(d, 1)))
    for m in series:  # one trace's bars in colours of their own (a continuous scale is read with its labels)
        for x, y in itertools.combinations(m.colours if m.kind == "bar" else (), 2):
            d, vision = difference(x, y)
            if d < THRESHOLD:
                out.append(Finding("colour_vision", name, f"{m.name}: {x} / {y} ({vision})", round(d, 1)))
    return out


def check(fig: go.Figure) -> list[Finding]:
    """Both colour rules over one figure."""
    return contrast_findings(fig) + colour_vision_findings(fig)
