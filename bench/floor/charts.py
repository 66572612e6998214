"""The floor app's figures: each dashboard page's charts on toy data, with the dashboard's polygons and heights."""

import functools

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app.maps import TOPOJSON_URL, europe, label_points, voivodeships  # the dashboard's polygons and topojson URL

# The app's offline topojson config (app/static/world_110m.json; the floor's static/ is a symlink to static/).
CONFIG = {"topojsonURL": TOPOJSON_URL}
YEARS = list(range(2006, 2014))  # the programme's 8 years
GUS_YEARS = list(range(2004, 2021))  # the emigration series' 17 years


def toy(n: int, k: int = 1) -> list[int]:
    """n deterministic positive toy values."""
    return [(i * 37 + k * 11) % 90 + 5 for i in range(n)]


def _layout(fig: go.Figure, height: int | None) -> go.Figure:
    # No theme work at all: the floor measures Streamlit + plotly.js, not styling.
    return fig.update_layout(template="none", height=height)


def bars(height=None):
    """A bar per year with value labels (overview trend)."""
    return _layout(go.Figure(go.Bar(x=YEARS, y=toy(8), text=toy(8), textposition="outside")), height)


def stacked(groups: int = 4, markers: int = 0, height=None):
    """Stacked groups per year, a text total on top, and `markers` marker+text series (victims, KCIK)."""
    fig = go.Figure([go.Bar(x=YEARS, y=toy(8, k)) for k in range(groups)])
    fig.add_scatter(x=YEARS, y=[sum(v) for v in zip(*(toy(8, k) for k in range(groups)))], mode="text",
                    text=[str(v) for v in toy(8)], textposition="top center")
    for k in range(markers):
        fig.add_scatter(x=YEARS, y=toy(8, k), mode="markers+text", text=[str(v) for v in toy(8, k)])
    return _layout(fig.update_layout(barmode="stack"), height)


def hbars(n: int, height=None):
    """n labelled horizontal bars (referrals ranking, survey, prevention)."""
    return _layout(go.Figure(go.Bar(x=toy(n), y=[f"label {k}" for k in range(n)], orientation="h", text=toy(n),
                                    textposition="outside")), height)


def heatmap(height=None):
    """16 x 8 cells, each with its number (referrals heatmap)."""
    return _layout(go.Figure(go.Heatmap(z=[toy(8, k) for k in range(16)], x=[str(y) for y in YEARS],
                                        y=[f"v{k}" for k in range(16)], texttemplate="%{z}")), height)


def lines(n: int, points: int = 17, height=None):
    """n line+marker series of `points` points (emigration totals and top destinations, timeline)."""
    return _layout(go.Figure([go.Scatter(x=GUS_YEARS[:points], y=toy(points, k), mode="lines+markers")
                              for k in range(n)]), height)


def _choropleth(fc: dict, **kw) -> go.Choropleth:
    ids = [f["id"] for f in fc["features"]]
    return go.Choropleth(geojson=fc, locations=ids, z=toy(len(ids)), featureidkey="id", **kw)


def _labels(layer: str, ids: list[str]) -> go.Scattergeo:
    pts = label_points(layer)
    return go.Scattergeo(lon=[pts[i][0] for i in ids], lat=[pts[i][1] for i in ids], mode="text",
                         text=[str(v) for v in toy(len(ids))])


def voivodeship_map(height=None):
    """The 16 voivodeships with a value label each (overview, referrals and teams maps)."""
    fc = voivodeships()
    fig = go.Figure([_choropleth(fc), _labels("voivodeships", [f["id"] for f in fc["features"]])])
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    return _layout(fig, height)


def multiples(height=None):
    """One coarse voivodeship map per year, 2 x 4, on one colour axis (referrals small multiples)."""
    fig = make_subplots(rows=2, cols=4, specs=[[{"type": "choropleth"}] * 4] * 2)
    for i, _ in enumerate(YEARS):
        fig.add_trace(_choropleth(voivodeships(coarse=True), coloraxis="coloraxis"), row=i // 4 + 1, col=i % 4 + 1)
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    return _layout(fig, height)


def europe_map(height=None):
    """The Europe subset of the countries layer, 14 labelled (emigration map)."""
    fc = europe()
    fig = go.Figure([_choropleth(fc), _labels("europe", [f["id"] for f in fc["features"]][:14])])
    fig.update_geos(visible=False, projection=dict(type="conic equal area", parallels=[40, 65], rotation=dict(lon=12)),
                    lonaxis_range=[-24, 42], lataxis_range=[35, 71])
    return _layout(fig, height)


def table(rows: int, cols: int):
    """A rows x cols data table of toy numbers (the Data page's grids are its 'charts')."""
    import pandas as pd

    return pd.DataFrame({f"c{k}": toy(rows, k) for k in range(cols)})


def full(*charts) -> list:
    """One full-width row per chart."""
    return [([1], [c]) for c in charts]


# Per dashboard page (harness.page_name): rows of (column widths, chart or table makers), with the dashboard's heights.
# Keep in step with pages/: the benchmark flags a page whose chart kinds differ from its floor's.
PAGES = {
    "home": [([1, 1], [lambda: bars(420), lambda: voivodeship_map(420)])],
    "Victims": full(stacked),
    # The first screen only: what is below it is drawn on demand (?below=, ?section=, ?topic=), not at a page load.
    "Referrals": [([3, 2], [lambda: voivodeship_map(560), lambda: hbars(16, 618)])],
    "Emigration": [([3, 1], [lambda: europe_map(700)]), *full(lambda: lines(3))],
    # Data quality, sources and the first relation, in the shapes the page shows by default.
    "Data": full(lambda: table(16, 5), lambda: table(52, 8), lambda: table(8, 7)),
    "Slides": full(stacked),
    "Context": full(lambda: hbars(4, 480)),
    "National_counts": full(lambda: lines(5, points=17, height=520), lambda: heatmap(614)),
    # The Europe map, the main countries' lines, the rates per 100,000 Poles and the European ranking.
    "Abroad": full(lambda: europe_map(700), lambda: lines(5, points=16, height=520), lambda: hbars(8, 380),
                   lambda: hbars(34, 900)),
    # Off unless DASHBOARD_UPDATES=1 (as benchmarked): a title and a notice, no chart or table.
    "Update": [],
    # The accessibility statement: headings and texts, no chart or table.
    "Accessibility": [],
}


def plain_map(height=None):
    """The 16 voivodeships (the project's geo/voivodeships.geojson via app.maps), nothing else."""
    fig = go.Figure(_choropleth(voivodeships()))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    return _layout(fig, height)


# The fixed floor (bench/floor/fixed.py): one minimal page that every dashboard page is also compared with,
# what a user's wait is measured against. One bar chart and one 16-region map, one under the other, with
# plotly's and Streamlit's default heights.
FIXED = [bars, plain_map]


@functools.lru_cache(maxsize=None)
def fixed_figures() -> list[go.Figure]:
    """The fixed floor's two figures, built once per server process."""
    return [make() for make in FIXED]


@functools.lru_cache(maxsize=None)
def figures(page: str) -> list[list[go.Figure]]:
    """The page's figures, built once per server process: the floor does no per-run Python work."""
    return [[make() for make in makers] for _, makers in PAGES[page]]
