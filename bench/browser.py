"""Page loads in headless Chromium: time to charts drawn and to idle, bytes received, server RSS."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

from tests.e2e import harness
from tests.helpers import ROOT

FLOOR_DIR = Path(__file__).resolve().parent / "floor"

# Runs in every new document before Streamlit's code: checks on every animation frame and DOM change
# whether the page is idle and every chart drawn, with the e2e harness's own definitions, and records
# performance.now() (ms since navigation start) the first time each holds.
_TIMER_JS = """(() => {
  if (window.top !== window) return;
  const expect = %(expect)d;
  const chartsDrawn = %(charts)s;
  const idleNow = %(idle)s;
  // Data tables count as drawn once their grid canvas is in (the Data page has no charts, only tables).
  const gridsDrawn = () => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .every(d => d.querySelector('canvas'));
  const b = window.__bench = {charts: null, idle: null};
  const check = () => {
    const now = performance.now();
    // The state is 'initial' until the first script run, so notRunning means the run finished.
    if (b.idle === null && idleNow()) b.idle = now;
    if (b.charts === null) {
      const c = chartsDrawn();
      // A page without charts is drawn once it is idle and its tables are drawn.
      if ((expect === 0 ? b.idle !== null : c.length >= expect && c.every(x => x.drawn)) && gridsDrawn()) b.charts = now;
    }
    return b.idle !== null && b.charts !== null;
  };
  const frame = () => { if (!check()) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  // DOM insertions (plotly sets a path's shape in the task that inserts it) and the script state;
  // other attribute changes are left to the next frame, to keep the checks few.
  const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
  document.addEventListener('DOMContentLoaded', () => mo.observe(document.body, {
    subtree: true, childList: true, attributeFilter: ['data-test-script-state', 'data-test-connection-state']}));
})();"""


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc (psutil is not a dependency)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


@contextmanager
def floor_server(log: Path, timeout: float = 60, script: str = "floor.py"):
    """Run `streamlit run <script>` in bench/floor (its own config and static/) on a free port; yield a Server.
    floor.py is the per-page floor app, fixed.py the fixed floor."""
    port = harness.free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.address", "127.0.0.1",
           "--server.port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}  # floor.py imports app.maps
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=FLOOR_DIR, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = harness.Server(url, proc, log)
    try:
        deadline = time.monotonic() + timeout
        while not harness._health(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"floor server did not start:\n{server.log_text()}")
            time.sleep(0.25)
        yield server
    finally:
        harness._stop(proc)


def _context(browser):
    context = browser.new_context(viewport=harness.VIEWPORT, locale="pl-PL")
    context.set_default_timeout(harness.TIMEOUT_MS)
    return context


# Chromium's Performance domain (seconds of main-thread work up to the moment read): what drawing a page costs.
BROWSER_WORK = {"script": "ScriptDuration", "layout": "LayoutDuration", "style": "RecalcStyleDuration",
                "task": "TaskDuration"}


@contextmanager
def timed_page(browser, expect: int):
    """A page in a fresh context whose every document runs the timer (waiting for `expect` charts), and its CDP
    session; the context is closed after."""
    context = _context(browser)
    try:
        context.add_init_script(_TIMER_JS % {"expect": expect, "charts": harness._CHARTS_JS.strip(),
                                             "idle": harness._IDLE_JS.strip()})
        page = context.new_page()
        yield page, context.new_cdp_session(page)
    finally:
        context.close()


def wait_drawn(page) -> None:
    """Until the timer has seen every chart drawn and the page idle (polling every 100 ms only reads the in-page
    timestamps: it does not change them)."""
    page.wait_for_function("() => window.__bench && __bench.charts !== null && __bench.idle !== null",
                           polling=100, timeout=harness.TIMEOUT_MS)


def timed_load(browser, url: str, expect: int) -> dict:
    """Load a URL in a fresh context; ms from navigation to all `expect` charts drawn and to idle."""
    try:
        with timed_page(browser, expect) as (page, cdp):
            cdp.send("Performance.enable")  # the browser's own account of its work: the profile of the drawing
            page.goto(url)
            wait_drawn(page)
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            work = {key: metrics.get(name, 0) * 1000 for key, name in BROWSER_WORK.items()}
            return {"ok": True, **page.evaluate("() => window.__bench"), "work": work}
    except (PlaywrightError, TimeoutError) as exc:
        return {"ok": False, "charts": None, "idle": None, "error": str(exc).splitlines()[0]}


def _payload_size(payload) -> int:
    return len(payload) if isinstance(payload, bytes) else len(payload.encode())


def probe_load(browser, url: str) -> dict:
    """Load a URL like the e2e tests do and count what arrives beyond Streamlit's /static/ bundle."""
    context = _context(browser)
    frames: list[int] = []
    finished = []
    try:
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", lambda p: frames.append(_payload_size(p))))
        page.on("requestfinished", lambda req: finished.append(req))
        charts = harness.load(page, url)
        page.wait_for_timeout(500)  # late frames (e.g. the script-finished message) and responses
        http = {"other": 0, "topojson": 0, "bundle": 0}
        other_urls = []
        for req in finished:
            path = urlsplit(req.url).path
            size = req.sizes()["responseBodySize"]  # as received: after any gzip
            kind = ("topojson" if path.endswith("/app/static/world_110m.json")
                    else "bundle" if path.startswith("/static/") else "other")
            http[kind] += size
            if kind == "other":
                other_urls.append(f"{path} {size}")
        tables = page.locator('[data-testid="stDataFrame"]').count()
        return {"charts": charts, "tables": tables, "ws_frames": len(frames), "ws_bytes": sum(frames),
                "http_other_bytes": http["other"], "topojson_bytes": http["topojson"],
                "bundle_bytes": http["bundle"], "other_urls": other_urls,
                "total_bytes": sum(frames) + http["other"] + http["topojson"]}
    finally:
        context.close()
