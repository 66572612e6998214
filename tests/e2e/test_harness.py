"""The harness itself: page URLs follow Streamlit's rule, and charts_drawn tells drawn charts from blank ones."""

from __future__ import annotations

import json
import time
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots
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

    def layer(locations, grey=False):
        # A "no data" layer is one grey trace, as app.maps draws it; "XX" has no shape in the GeoJSON.
        scale = [[0, "#bdbdbd"], [1, "#bdbdbd"]] if grey else "Blues"
        return go.Choropleth(geojson=gj, locations=locations, z=list(range(len(locations))), featureidkey="id",
                             colorscale=scale, showscale=False)

    def voivodeship_map(*traces, cols=1):
        fig = make_subplots(rows=1, cols=cols, specs=[[{"type": "choropleth"}] * cols])
        for i, trace in enumerate(traces):
            fig.add_trace(trace, row=1, col=1 + i % cols)
        return fig.update_geos(fitbounds="locations", visible=False)

    grey_and_data = voivodeship_map(layer(ids[:8], grey=True), layer(ids[8:]))
    data_failed = voivodeship_map(layer(ids[:8], grey=True), layer(["XX", "XY"]))  # only the grey layer drawn
    data_partly = voivodeship_map(layer(ids[:8], grey=True), layer(ids[8:] + ["XX"]))  # 8 of 9 rows drawn
    multiples = voivodeship_map(layer(ids), layer(ids[:4]), layer(ids), cols=3)
    multiple_failed = voivodeship_map(layer(ids), layer(ids), layer(["XX"]), cols=3)  # the third subplot is blank
    # A fixed frame over the south-west: podlaskie and warmińsko-mazurskie lie wholly outside it.
    south_west = dict(fitbounds=False, lonaxis_range=[14, 18], lataxis_range=[49.5, 52])
    cropped = voivodeship_map(layer(ids)).update_geos(**south_west)
    cropped_away = voivodeship_map(layer(ids), layer(["20", "28"])).update_geos(**south_west)  # a layer all outside
    return [
        ("bar", go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), True),
        ("line", go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2], mode="lines")), True),
        ("markers", go.Figure(go.Scatter(x=[1, 2], y=[2, 1], mode="markers")), True),
        ("heatmap", go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])), True),
        ("pie", go.Figure(go.Pie(values=[1, 2])), True),
        ("voivodeships", voivodeships, True),
        ("world", world, True),
        ("grey no-data layer and data layer", grey_and_data, True),
        ("small multiples", multiples, True),
        ("only the grey no-data layer drawn", data_failed, False),
        ("a data location not drawn", data_partly, False),
        ("one small multiple blank", multiple_failed, False),
        ("some locations outside the frame", cropped, True),
        ("a layer wholly outside the frame", cropped_away, False),
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
def test_recorder_names_requests_off_the_machine_and_they_fail(browser, base_url):
    context = browser.new_context()
    rec = Recorder()
    rec.attach(context)
    page = context.new_page()
    rec.watch(page)
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    html = '<html><body><img src="https://offsite.example.invalid/probe.png"><img src="/favicon.png"></body></html>'
    page.route(f"{base_url}/e2e-probe.html", lambda r: r.fulfill(body=html, content_type="text/html"))
    page.goto(f"{base_url}/e2e-probe.html")  # returns after the load event: the image has failed by then
    context.close()
    assert rec.blocked == ["https://offsite.example.invalid/probe.png"] == failed
    assert f"{base_url}/favicon.png" in rec.requests


@pytest.mark.browser
def test_recorder_records_dialogs(browser, base_url):
    context = browser.new_context()
    rec = Recorder()
    rec.attach(context)
    page = context.new_page()
    rec.watch(page)
    html = "<html><body><script>alert('probe'); confirm('sure?')</script></body></html>"
    page.route(f"{base_url}/e2e-probe.html", lambda r: r.fulfill(body=html, content_type="text/html"))
    page.goto(f"{base_url}/e2e-probe.html")
    context.close()
    assert rec.dialogs == ["alert: probe", "confirm: sure?"]
