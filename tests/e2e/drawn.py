"""Waiting for a page of the app: its script run finished, its charts drawn (and what "drawn" means per chart)."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError

from tests.e2e.chromium import TIMEOUT_MS

# --- waiting for the page ---------------------------------------------------------------------

_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"], '
                               + '[data-testid="stSpinner"], [data-stale="true"]');
}"""


POLL_MS = 50  # between two looks at the page: a page is seen idle or drawn within this of being so
CHART_POLL_MS = 100  # counting the drawn charts walks every plot's DOM: looked at less often
IDLE_HOLD_S = 0.25  # how long a page must stay idle to count as idle (the old wait: two looks 250 ms apart)


def _poll(page, script: str, fallback):
    # A navigation between polls destroys the JS context; that poll just counts as "not yet".
    try:
        return page.evaluate(script)
    except PlaywrightError:
        return fallback


def wait_idle(page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the script finished, the websocket is up and nothing is a skeleton, spinner or stale."""
    # Idle for IDLE_HOLD_S without a break: right after a click the old run still reads "notRunning" for a moment.
    deadline = time.monotonic() + timeout / 1000
    since = None
    while True:
        now = time.monotonic()
        since = (since or now) if _poll(page, _IDLE_JS, False) else None
        if since is not None and now - since >= IDLE_HOLD_S:
            return
        if now > deadline:
            raise TimeoutError(f"{page.url} not idle after {timeout / 1000:.0f} s")
        page.wait_for_timeout(POLL_MS)


# Per chart: does every data layer that has traces hold real geometry? A chart with no data layer
# (empty figure, map whose topojson failed to load) is not drawn. plotly.js 4 (Streamlit 1.67 and
# plotly 7.1 both bundle it) puts cartesian traces in .cartesianlayer .overplot, not .plot.
# Maps are held to more: every geo subplot (each small multiple) must be drawn, and every choropleth
# trace in it ("no data" grey ones too, each on its own) must draw as many shaped, filled locations
# as it has rows (less those lying wholly outside the frame), so a map whose data layer failed beside
# a drawn grey layer is not drawn.
_CHARTS_JS = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  document.querySelectorAll('.js-plotly-plot').forEach(p => {
    if (!p.closest('[data-testid="stPlotlyChart"]')) charts.push(p);
  });
  const shaped = el => { const d = el.getAttribute('d') || ''; return d !== '' && d !== 'M0,0Z'; };
  const filled = el => {
    const s = getComputedStyle(el);
    return !!s.fill && s.fill !== 'none' && !/^rgba\\(.*,\\s*0\\)$/.test(s.fill)
      && parseFloat(s.fillOpacity) > 0 && parseFloat(s.opacity) > 0;
  };
  return charts.map((chart, index) => {
    const gd = chart.matches('.js-plotly-plot') ? chart : chart.querySelector('.js-plotly-plot');
    if (!gd) return {index, name: null, kind: 'loading', drawn: false, traces: 0};
    const box = gd.getBoundingClientRect();
    const q = sel => [...gd.querySelectorAll(sel)];
    const full = (gd._fullData || []).filter(t => t.visible === true);
    // Per choropleth trace (by its index in _fullData): the locations drawn with a shape and a fill, and
    // those whose feature was found but lies wholly outside the map's frame (a fixed Europe frame crops
    // Libya away; wider exports show its coast). A location without a feature (GeoJSON/topojson not
    // loaded, ids that do not match) is neither.
    const located = new Map();
    q('.geolayer .choroplethlayer g.trace').forEach(g => {
      const trace = g.__data__ && g.__data__[0] && g.__data__[0].trace;
      const paths = [...g.querySelectorAll('path.choroplethlocation')];
      if (trace) located.set(trace.index, {
        drawn: paths.filter(p => shaped(p) && filled(p)).length,
        outside: paths.filter(p => !shaped(p) && p.__data__ && p.__data__.geojson)
          .map(p => p.__data__.loc)});
    });
    const geoIds = ((gd._fullLayout || {})._subplots || {}).geo || [];
    const geos = geoIds.map(id => {
      const choropleths = full.filter(t => t.type === 'choropleth' && t.geo === id).map(t => ({
        name: t.name, rows: (t.locations || []).length, ...(located.get(t.index) || {drawn: 0, outside: []})}));
      const scatter = full.some(t => t.type === 'scattergeo' && t.geo === id);
      // Every row is drawn or outside the frame, and a trace with rows draws at least one of them.
      const drawn = choropleths.length
        ? choropleths.some(t => t.rows > 0)
          && choropleths.every(t => t.drawn + t.outside.length === t.rows && (t.rows === 0 || t.drawn > 0))
        : scatter && q('.geolayer .scatterlayer g.trace path').some(shaped);
      return {id, drawn, choropleths};
    });
    const layers = {
      // bars (.bars path), lines (path.js-line), markers (path.point), fills: any trace path with a shape
      cartesian: q('.cartesianlayer g.trace').length ? q('.cartesianlayer g.trace path').some(shaped) : null,
      // heatmaps are one bitmap per trace
      heatmap: q('.heatmaplayer .hm').length
        ? q('.heatmaplayer .hm image')
            .some(i => (i.getAttribute('href') || i.getAttribute('xlink:href') || '').startsWith('data:image'))
        : null,
      // maps: one frame per geo subplot, each with all its locations (absent when the topojson/geojson failed)
      map: q('.geolayer .geo').length
        ? geoIds.length > 0 && q('.geolayer .geo').length === geoIds.length && geos.every(g => g.drawn)
        : null,
      pie: q('.pielayer g.trace').length ? q('.pielayer g.trace path.surface').some(shaped) : null,
    };
    const present = Object.entries(layers).filter(([, v]) => v !== null);
    const out = {
      index,
      name: ((gd.layout || {}).meta || {}).name || null,
      kind: present.map(([k]) => k).join('+') || 'empty',
      traces: full.length,
      size: [Math.round(box.width), Math.round(box.height)],
      drawn: box.width > 0 && box.height > 0 && present.length > 0 && present.every(([, v]) => v),
    };
    if (geoIds.length) out.geos = geos;
    return out;
  });
}"""


def charts_drawn(page) -> list[dict]:
    """Per plotly chart on the page: {index, name (layout.meta.name), kind, traces, size, drawn}, and for
    maps `geos`: per geo subplot {id, drawn, choropleths: [{name, rows, drawn, outside}]} (drawn: the number
    of locations drawn; outside: the locations wholly outside the frame)."""
    return page.evaluate(_CHARTS_JS)


def wait_charts(page, timeout: float = TIMEOUT_MS, expect: int = 0) -> list[dict]:
    """Poll until at least `expect` charts are on the page and every one is drawn (or the timeout passes);
    return the last `charts_drawn`."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        charts = _poll(page, _CHARTS_JS, [{"kind": "page navigating", "drawn": False}])
        if (len(charts) >= expect and all(c["drawn"] for c in charts)) or time.monotonic() > deadline:
            return charts
        page.wait_for_timeout(CHART_POLL_MS)


def load(page, url: str, timeout: float = TIMEOUT_MS, expect: int = 0) -> list[dict]:
    """Open a URL, wait for the script run and the charts (at least `expect`); return `charts_drawn`."""
    page.goto(url, timeout=timeout)
    wait_idle(page, timeout)
    return wait_charts(page, timeout, expect)


def fit_viewport_to_content(page) -> None:
    """Grow the viewport to the height of Streamlit's scrolling main area, so a screenshot shows all of it."""
    # Streamlit scrolls inside [data-testid="stMain"], not the document, so full_page alone cuts it off.
    height = page.evaluate("""() => {
      const main = document.querySelector('[data-testid="stMain"]');
      return Math.max(document.documentElement.scrollHeight, main ? main.scrollHeight : 0);
    }""")
    size = page.viewport_size
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
