"""The harness itself: page URLs follow Streamlit's rule, and charts_drawn tells drawn charts from blank ones."""

from __future__ import annotations

import json
import time
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.offline import get_plotlyjs
from streamlit.source_util import page_icon_and_name, page_sort_key

from tests.e2e.harness import Recorder, _sort_key, charts_drawn, page_urls, url_path
from tests.helpers import ROOT

NAMES = ["2_Victims.py", "10 - Emigration by  country.py", "3_🗺️_Map.py", "About.py", "01_a__b.py", "4.py",
         "Zażółć.py"]


@pytest.mark.parametrize("name", NAMES)
def test_url_path_is_streamlits(name):
    assert url_path(Path(name)) == page_icon_and_name(Path(name))[1]
    assert _sort_key(Path(name)) == page_sort_key(Path(name))


def test_page_urls_of_a_pages_dir(tmp_path):
    (tmp_path / "pages").mkdir()
    for name in NAMES + ["__init__.py", ".hidden.py", "notes.txt"]:
        (tmp_path / "pages" / name).touch()
    assert page_urls(tmp_path) == ["", "/a_b", "/Victims", "/Map", "/4", "/Emigration_by_country", "/About",
                                   "/Zażółć"]
    assert page_urls(tmp_path.parent / "nowhere") == [""]


def _figures() -> list[tuple[str, go.Figure, bool]]:
    gj = json.loads((ROOT / "geo" / "voivodeships.geojson").read_text())
    ids = [f["id"] for f in gj["features"]]
    voivodeships = go.Figure(go.Choropleth(geojson=gj, locations=ids, z=list(range(16)), featureidkey="id"))
    voivodeships.update_geos(fitbounds="locations", visible=False)
    world = go.Figure(go.Choropleth(locations=["POL", "DEU", "GBR"], z=[1, 2, 3], locationmode="ISO-3"))
    # scope="europe" needs europe_110m.json, which is not shipped: the map stays blank
    europe = go.Figure(go.Choropleth(locations=["POL"], z=[1], locationmode="ISO-3"), layout={"geo.scope": "europe"})
    return [
        ("bar", go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), True),
        ("line", go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2], mode="lines")), True),
        ("markers", go.Figure(go.Scatter(x=[1, 2], y=[2, 1], mode="markers")), True),
        ("heatmap", go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])), True),
        ("pie", go.Figure(go.Pie(values=[1, 2])), True),
        ("voivodeships", voivodeships, True),
        ("world", world, True),
        ("no data", go.Figure(), False),
        ("all-empty bars", go.Figure(go.Bar(x=[], y=[])), False),
        ("europe without topojson", europe, False),
    ]


@pytest.mark.browser
def test_charts_drawn_tells_drawn_from_blank(page, recorded, base_url):
    figures = _figures()
    config = {"topojsonURL": f"{base_url}/app/static/"}
    divs = "".join(pio.to_html(fig, include_plotlyjs=False, full_html=False, config=config) for _, fig, _ in figures)
    html = f"<html><body><script>{get_plotlyjs()}</script>{divs}</body></html>"
    # Served from the app's origin so plotly.js can fetch the topojson from Streamlit's static folder.
    page.route(f"{base_url}/e2e-probe.html", lambda r: r.fulfill(body=html, content_type="text/html"))
    page.goto(f"{base_url}/e2e-probe.html")
    expected = {name: drawn for name, _, drawn in figures}

    def seen():
        return {name: c["drawn"] for (name, _, _), c in zip(figures, charts_drawn(page))}

    # Poll until the drawable ones are drawn and the missing topojson has been reported; then the
    # blank ones have had their chance too.
    deadline = time.monotonic() + 60
    while not (all(seen()[n] for n, d in expected.items() if d) and recorded.page_errors):
        assert time.monotonic() < deadline, (seen(), recorded.page_errors)
        page.wait_for_timeout(250)
    assert seen() == expected, charts_drawn(page)
    assert any("europe_110m.json" in e for e in recorded.page_errors)
    assert recorded.blocked == []


@pytest.mark.browser
def test_recorder_aborts_requests_off_the_machine(browser, base_url):
    context = browser.new_context()
    rec = Recorder()
    rec.attach(context)
    page = context.new_page()
    rec.watch(page)
    html = '<html><body><img src="https://offsite.example.invalid/probe.png"><img src="/favicon.png"></body></html>'
    page.route(f"{base_url}/e2e-probe.html", lambda r: r.fulfill(body=html, content_type="text/html"))
    page.goto(f"{base_url}/e2e-probe.html")
    context.close()
    assert rec.blocked == ["https://offsite.example.invalid/probe.png"]
    assert f"{base_url}/favicon.png" in rec.requests
