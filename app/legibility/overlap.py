"""The legibility check's third rule, measured in Chromium on the SVG plotly.js draws, at the export presets and in a
1280 px wide page: no two text labels of a figure overlap, no label lies on another series' line, no text of the figure
leaves its drawing, no category axis leaves categories unlabelled, and no two tick labels of one axis touch.

The labels are the figure's data labels (trace text, on bars and maps too) and its annotations; every text (titles,
ticks, legend, source and note too) must lie inside the figure's SVG. plotly.js labels a category axis every n-th
category when its categories are closer than its tick font (1.2 em): the categories between go unlabelled, silently.
Every figure is drawn in one page of one browser, one after another.
"""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go

from app.bake.site import ASSETS, PLOTLY_JS, TOPOLOGY
from app.export import PRESETS, for_export, layout_size
from app.legibility.figures import drawn
from app.legibility.rules import Finding
from app.maps import STATIC_DIR

PAGE_WIDTH = 1280  # the viewport of the static edition's page (its figures as wide as its main column)
TOLERANCE = 1.0  # pixels two boxes may share: glyph boxes touch at their edges without covering each other
MARGIN = 2.0  # pixels a text may reach past the figure's edge: a glyph box is wider than the ink of its glyphs
# Pixels between two tick labels of one axis along their text: less than a space, "0 200 400" reads "0 200400". Across
# it, lines of text set solid (glyph boxes from ascent to descent meeting, 1.2 em apart) read well: boxes must not cover
# each other.
TICK_GAP = 2.0

# In the page: draw a figure, then every label's box and every line's points, in screen pixels.
MEASURE = """async ([spec, width, height]) => {
  const el = document.getElementById('plot');
  el.style.width = width ? width + 'px' : '';
  const fig = JSON.parse(spec);
  if (width) { fig.layout.width = width; fig.layout.height = height; }
  await Plotly.newPlot(el, fig.data, fig.layout, {staticPlot: true, responsive: false});
  const owner = n => { for (let g = n; g && g !== el; g = g.parentNode) {
      const d = g.__data__; if (d && d[0] && d[0].trace) return d[0].trace.index; } return -1; };
  const labels = [];
  el.querySelectorAll('.textpoint text, text.bartext, g.annotation text.annotation-text').forEach(n => {
    const r = n.getBoundingClientRect(); const text = (n.textContent || '').trim();
    if (!text || r.width < 1 || r.height < 1) return;
    const g = n.closest('g.annotation'); const ann = g ? +g.getAttribute('data-index') : -1;  // its text, not its arrow
    labels.push({text, trace: ann >= 0 ? -1 : owner(n), ann, box: [r.left, r.top, r.right, r.bottom]});
  });
  const lines = [];
  el.querySelectorAll('path.js-line').forEach(p => {
    const len = p.getTotalLength(); const m = p.getScreenCTM(); const pts = [];
    for (let s = 0; s <= len; s += 2) { const q = p.getPointAtLength(s).matrixTransform(m); pts.push([q.x, q.y]); }
    lines.push({trace: owner(p), pts});
  });
  const fig_box = el.querySelector('svg.main-svg').getBoundingClientRect();
  const texts = [];  // every text drawn, the frame's and the axes' too: each must lie inside the figure
  el.querySelectorAll('svg.main-svg text').forEach(n => {
    const r = n.getBoundingClientRect(); const text = (n.textContent || '').trim();
    if (text && r.width >= 1 && r.height >= 1) texts.push({text, box: [r.left, r.top, r.right, r.bottom]});
  });
  const axes = [];  // each cartesian axis with labels: its categories in range, its tick labels as drawn (rotated too)
  for (const [name, ax] of Object.entries(el._fullLayout)) {
    if (!/^[xy]axis[0-9]*$/.test(name) || !ax.visible || !ax.showticklabels) continue;
    const layer = el.querySelector(`g.subplot.${ax._mainSubplot} > .${ax._id[0]}axislayer-above`);
    const ticks = [];
    (layer ? layer.querySelectorAll(`g.${ax._id}tick text`) : []).forEach(n => {
      const text = (n.textContent || '').trim(); const r = n.getBoundingClientRect();
      if (!text || r.width < 1) return;
      const b = n.getBBox(); const m = n.getCTM();
      ticks.push({text, centre: [(r.left + r.right) / 2, (r.top + r.bottom) / 2], size: [b.width, b.height],
                  angle: Math.atan2(m.b, m.a)});
    });
    const [lo, hi] = [Math.min(...ax.range), Math.max(...ax.range)];
    const categories = ax.type === 'category' ? ax._categories.filter((c, i) => i >= lo && i <= hi).length : null;
    axes.push({name, categories, ticks});
  }
  const out = {labels, lines, texts, axes, figure: [fig_box.left, fig_box.top, fig_box.right, fig_box.bottom]};
  Plotly.purge(el);
  return out;
}"""


def _inside(box, pt) -> bool:
    return box[0] + TOLERANCE < pt[0] < box[2] - TOLERANCE and box[1] + TOLERANCE < pt[1] < box[3] - TOLERANCE


def collisions(measured: dict, skip: set[int] = frozenset()) -> list[str]:
    """Pairs of labels whose boxes overlap, and labels that a line of another trace crosses."""
    labels = [lab for lab in measured["labels"] if lab["ann"] not in skip]
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            w = min(a["box"][2], b["box"][2]) - max(a["box"][0], b["box"][0])
            h = min(a["box"][3], b["box"][3]) - max(a["box"][1], b["box"][1])
            if w > TOLERANCE and h > TOLERANCE:
                out.append(f"'{a['text']}' / '{b['text']}'")
        for line in measured["lines"]:
            if line["trace"] != a["trace"] and any(_inside(a["box"], p) for p in line["pts"]):
                out.append(f"'{a['text']}' / line of trace {line['trace']}")
    return out


def outside(measured: dict) -> list[str]:
    """Texts that reach past the figure's drawing by more than MARGIN, and by how much."""
    left, top, right, bottom = measured["figure"]
    out = []
    for t in measured["texts"]:
        x0, y0, x1, y1 = t["box"]
        past = max(left - x0, top - y0, x1 - right, y1 - bottom)
        if past > MARGIN:
            out.append(f"'{_short(t['text'])}' leaves the figure by {past:.0f} px")
    return out


def unlabelled(measured: dict) -> list[str]:
    """Category axes that label fewer of their categories than they draw (plotly.js skipped some)."""
    return [f"{ax['name']} labels {len(ax['ticks'])} of {ax['categories']} categories" for ax in measured["axes"]
            if ax["categories"] is not None and len(ax["ticks"]) < ax["categories"]]


def _apart(a: dict, b: dict) -> bool:
    """Two tick labels of one axis apart: their boxes, turned as drawn (one angle per axis), TICK_GAP apart along the
    text's direction or not covering each other across it."""
    ux, uy = math.cos(a["angle"]), math.sin(a["angle"])
    dx, dy = b["centre"][0] - a["centre"][0], b["centre"][1] - a["centre"][1]
    along, across = abs(dx * ux + dy * uy), abs(-dx * uy + dy * ux)
    return (along - (a["size"][0] + b["size"][0]) / 2 >= TICK_GAP
            or across - (a["size"][1] + b["size"][1]) / 2 >= -TOLERANCE)


def crowded(measured: dict) -> list[str]:
    """Pairs of tick labels of one axis that overlap or touch."""
    out = []
    for ax in measured["axes"]:
        ticks = ax["ticks"]
        for i, a in enumerate(ticks):
            out += [f"{ax['name']} ticks '{a['text']}' / '{b['text']}'" for b in ticks[i + 1:] if not _apart(a, b)]
    return out


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def sizes(fig: go.Figure) -> list[tuple[str, go.Figure, int | None, int | None]]:
    """The drawings to measure: each export preset's layout size (the export's copy), and the page's width."""
    out = [("page", fig, None, None)]
    for name in PRESETS:
        width, height, _ = layout_size(fig, name)
        if (width, height) not in {(w, h) for _, _, w, h in out}:
            out.append((name, for_export(fig), width, height))
    return out


def page_html() -> str:
    """The harness: the edition's stylesheet, plotly.js and the world topology, a main column with one plot."""
    topo = (STATIC_DIR / f"{TOPOLOGY}.json").read_text(encoding="utf-8")
    return ("<!doctype html><html><head><meta charset='utf-8'><style>" + (ASSETS / "site.css").read_text()
            + "</style><script>" + PLOTLY_JS.read_text(encoding="utf-8") + "</script><script>"
            + f"window.PlotlyGeoAssets = {{topojson: {{{json.dumps(TOPOLOGY)}: {topo}}}}};</script></head>"
            "<body><main><div id='plot'></div></main></body></html>")


def check(browser, figs: list[go.Figure], presets: bool = True) -> list[Finding]:
    """Overlaps in every figure, drawn in one page of `browser` (Playwright): at the page's width, and at each export
    preset when `presets`; the source and note lines under the plot are the figure's frame, not labels."""
    context = browser.new_context(viewport={"width": PAGE_WIDTH, "height": 900})
    try:
        page = context.new_page()
        page.set_content(page_html())
        out = []
        for fig in figs:
            frame = {i for i, a in enumerate(fig.layout.annotations) if a.name in ("source", "note")}
            for where, drawing, width, height in (sizes(fig) if presets else sizes(fig)[:1]):
                measured = page.evaluate(MEASURE, [drawn(drawing), width, height])
                found = collisions(measured, frame) + outside(measured) + unlabelled(measured) + crowded(measured)
                out += [Finding("overlap", fig.layout.meta["name"], f"{where}: {c}", 0) for c in dict.fromkeys(found)]
        return out
    finally:
        context.close()
