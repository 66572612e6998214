"""The floor app: each dashboard page's charts on toy data and nothing else (`?page=<name>`)."""

import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from app.maps import europe, label_points, voivodeships  # the same prepared polygons as the dashboard

YEARS = list(range(2006, 2014))  # the programme's 8 years
GUS_YEARS = list(range(2004, 2021))  # the emigration series' 17 years
CONFIG = {"topojsonURL": "app/static/"}  # served from static/ -> ../../static, like the dashboard


def toy(n: int, k: int = 1) -> list[int]:
    """n deterministic positive toy values."""
    return [(i * 37 + k * 11) % 90 + 5 for i in range(n)]


def _layout(fig: go.Figure, height: int | None) -> go.Figure:
    # No theme work at all: the floor measures Streamlit + plotly.js, not styling.
    fig.update_layout(template="none", height=height)
    return fig


def bars(height=None):
    """A bar per year with value labels (overview trend)."""
    return _layout(go.Figure(go.Bar(x=YEARS, y=toy(8), text=toy(8), textposition="outside")), height)


def stacked(height=None):
    """Four stacked groups per year and a text total on top (victims, slide 1)."""
    fig = go.Figure([go.Bar(x=YEARS, y=toy(8, k), name=f"g{k}") for k in range(4)])
    fig.add_scatter(x=YEARS, y=[sum(v) for v in zip(*(toy(8, k) for k in range(4)))], mode="text",
                    text=[str(v) for v in toy(8)], textposition="top center")
    return _layout(fig.update_layout(barmode="stack"), height)


def ranking(height=None):
    """16 horizontal bars with value labels (referrals ranking)."""
    names = [f["properties"]["name"] for f in voivodeships()["features"]]
    return _layout(go.Figure(go.Bar(x=toy(16), y=names, orientation="h", text=toy(16), textposition="outside")),
                   height)


def heatmap(height=None):
    """16 x 8 cells, each with its number (referrals heatmap)."""
    return _layout(go.Figure(go.Heatmap(z=[toy(8, k) for k in range(16)], x=[str(y) for y in YEARS],
                                        y=[f"v{k}" for k in range(16)], texttemplate="%{z}")), height)


def lines(n: int, height=None):
    """n line+marker series over the 17 GUS years (emigration totals and top destinations)."""
    return _layout(go.Figure([go.Scatter(x=GUS_YEARS, y=toy(17, k), mode="lines+markers") for k in range(n)]),
                   height)


def _choropleth(fc: dict, **kw) -> go.Choropleth:
    ids = [f["id"] for f in fc["features"]]
    return go.Choropleth(geojson=fc, locations=ids, z=toy(len(ids)), featureidkey="id", **kw)


def _labels(layer: str, ids: list[str]) -> go.Scattergeo:
    pts = label_points(layer)
    return go.Scattergeo(lon=[pts[i][0] for i in ids], lat=[pts[i][1] for i in ids], mode="text",
                         text=[str(v) for v in toy(len(ids))])


def voivodeship_map(height=None):
    """The 16 voivodeships with a value label each (overview and referrals map)."""
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
    labelled = [f["id"] for f in fc["features"]][:14]
    fig = go.Figure([_choropleth(fc), _labels("europe", labelled)])
    fig.update_geos(visible=False, projection=dict(type="conic equal area", parallels=[40, 65], rotation=dict(lon=12)),
                    lonaxis_range=[-24, 42], lataxis_range=[35, 71])
    return _layout(fig, height)


# Per dashboard page (harness.page_name): rows of (column widths, charts), with the dashboard's heights.
PAGES = {
    "home": [([1, 1], [lambda: bars(420), lambda: voivodeship_map(420)])],
    "Victims": [([1], [stacked])],
    "Referrals": [([3, 2], [lambda: voivodeship_map(560), lambda: ranking(618)]),
                  ([1], [lambda: multiples(770)]), ([1], [lambda: heatmap(606)])],
    "Emigration": [([3, 1], [lambda: europe_map(700)]), ([1], [lambda: lines(3)]), ([1], [lambda: lines(6)])],
    "Data": [],
    "Slides": [([1], [stacked])],
}


# st.cache_resource, not lru_cache: Streamlit re-executes this script, so a module-level cache would not last.
@st.cache_resource(show_spinner=False)
def figures(page: str) -> list[list[go.Figure]]:
    """The page's figures, built once per server: a floor has no per-run Python work to speak of."""
    return [[make() for make in charts] for _, charts in PAGES[page]]


st.set_page_config(layout="wide")
page = st.query_params.get("page", "home")
for (widths, _), row in zip(PAGES[page], figures(page)):
    for col, fig in zip(st.columns(widths) if len(widths) > 1 else [st.container()], row):
        col.plotly_chart(fig, theme=None, config=CONFIG)
