"""A real `streamlit run` and headless Debian Chromium, shared by the e2e tests and the screenshot command."""

from __future__ import annotations

import http.client
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xmlrpc.client
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

from tests.helpers import ROOT

CHROMIUM = "/usr/bin/chromium"
# Offline for real: Chromium's own resolver answers "not found" for every name but 127.0.0.1, so nothing
# leaves the machine even where a network is up (a page, a service worker, the browser itself); the
# Recorder's routing only reports and aborts what a page asks for. "localhost" does not resolve either:
# use 127.0.0.1. app/export/__init__.py starts kaleido's Chromium with the same rule.
HOST_RESOLVER_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 HOST_RESOLVER_RULES]
VIEWPORT = {"width": 1366, "height": 768}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_MS = 60_000  # generous: a slow shared 2-core machine runs the server, Chromium and pytest at once


# --- the server -------------------------------------------------------------------------------

@dataclass
class Server:
    """A running `streamlit run`: its base URL, process and combined stdout/stderr log."""
    url: str
    proc: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        """Everything the server printed so far."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    # The server runs in its own session, so its process group is exactly the server and its children.
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@contextmanager
def streamlit_server(log: Path, env: dict[str, str] | None = None, timeout: float = 60, args: list[str] = ()):
    """Run `streamlit run dashboard.py` (with extra `args`, e.g. `--secrets.files`) on a free loopback port until
    the block ends; yield a Server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
           # Files are edited while the suite runs; the tests must not react to that.
           "--server.fileWatcherType", "none", *args]
    env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(url, proc, log)
    try:
        deadline = time.monotonic() + timeout
        while not _health(url):
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{server.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{server.log_text()}")
            time.sleep(0.25)
        yield server
    finally:
        _stop(proc)


# --- several replicas behind nginx under supervisord (`make serve`) -----------------------------

class _UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a unix socket: how supervisorctl reaches supervisord (deploy/supervisord.conf)."""

    def __init__(self, path: str):
        super().__init__("localhost", timeout=10)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        return _UnixHTTPConnection(self.path)


def supervised(run_dir: Path) -> dict[str, dict]:
    """What supervisord says of its processes (nginx, replica_<port>), by name: pid (0 when not running),
    statename, group..., from its XML-RPC interface on the run directory's socket, as supervisorctl asks it."""
    proxy = xmlrpc.client.ServerProxy("http://localhost", transport=_UnixTransport(str(run_dir / "supervisor.sock")))
    return {p["name"]: p for p in proxy.supervisor.getAllProcessInfo()}


def replica_health(url: str, timeout: float = 5) -> tuple[bool, str]:
    """A replica's /_dashboard/health, asked directly: (healthy, its answer or why there was none)."""
    try:
        with urllib.request.urlopen(url + "/_dashboard/health", timeout=timeout) as r:
            return r.status == 200, r.read().decode(errors="replace").strip()
    except urllib.error.HTTPError as exc:
        return False, exc.read().decode(errors="replace").strip() or f"HTTP {exc.code}"
    except OSError as exc:
        return False, f"no answer: {exc}"


def free_ports(n: int) -> int:
    """The first of n consecutive loopback ports that nothing listens on now."""
    from deploy.serve import in_use

    while True:
        first = free_port()
        if first + n < 65536 and not in_use("127.0.0.1", range(first, first + n)):
            return first


@dataclass
class Replicated:
    """A running `python -m deploy.serve` (supervisord, once it has written the configuration): nginx's URL, the
    process, its run directory and its output."""
    url: str
    proc: subprocess.Popen
    run_dir: Path
    log: Path

    def processes(self) -> dict[str, dict]:
        """supervisord's account of its processes, by name (see `supervised`)."""
        return supervised(self.run_dir)

    def replicas(self) -> dict[str, dict]:
        """Each replica (replica_<port>): its URL, pid and state from supervisord, how many times supervisord
        restarted it (its log), and its health check asked directly."""
        events = self.events()
        out = {}
        for name, p in self.processes().items():
            if p["group"] != "replica":
                continue
            url = f"http://127.0.0.1:{name.rsplit('_', 1)[1]}"  # process_num is the port (deploy/supervisord.conf)
            healthy, message = replica_health(url) if p["statename"] == "RUNNING" else (False, p["statename"])
            out[name] = {"name": name, "url": url, "pid": p["pid"] or None, "state": p["statename"],
                         "restarts": events.count(f"spawned: '{name}'") - 1, "healthy": healthy, "message": message}
        return out

    def events(self) -> str:
        """supervisord's log: every process spawned, exited, stopped."""
        return (self.run_dir / "supervisord.log").read_text(errors="replace")

    def log_text(self) -> str:
        """What `python -m deploy.serve` printed so far (supervisord echoes its log there)."""
        return self.log.read_text(errors="replace")

    def wait(self, ok, what: str, timeout: float = 60) -> dict[str, dict]:
        """Poll the replicas until `ok(replicas)` holds; return them. RuntimeError on timeout or if supervisord
        ended."""
        deadline = time.monotonic() + timeout
        replicas = None
        while True:
            try:
                replicas = self.replicas()
                if ok(replicas):
                    return replicas
            except (OSError, xmlrpc.client.Error):  # supervisord not listening yet
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"deploy.serve ended ({self.proc.returncode}):\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what}: not after {timeout:.0f} s; replicas: {replicas}\n{self.log_text()}")
            time.sleep(0.25)

    def stop(self) -> int | None:
        """SIGTERM, as systemd or Ctrl-C would: supervisord stops nginx and the replicas. Its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@contextmanager
def replicated_server(run_dir: Path, replicas: int = 3, env: dict[str, str] | None = None, timeout: float = 180):
    """Run `python -m deploy.serve` (nginx and `replicas` replicas on free loopback ports, under supervisord)
    until the block ends; yield a Replicated once every replica is healthy. The database is whatever DASHBOARD_DB
    in `env` names."""
    first = free_ports(replicas)
    port = next(p for p in iter(free_port, None) if not first <= p < first + replicas)
    log = run_dir.with_name(run_dir.name + ".log")
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "deploy.serve", "--replicas", str(replicas), "--port", str(port),
             "--first-port", str(first), "--run-dir", str(run_dir)],
            cwd=ROOT, env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Replicated(f"http://127.0.0.1:{port}", proc, run_dir, log)
    try:
        server.wait(lambda rs: len(rs) == replicas and all(r["healthy"] for r in rs.values())
                    and server.processes()["nginx"]["statename"] == "RUNNING", "every replica healthy behind nginx",
                    timeout)
        yield server
    finally:
        pids = []
        try:
            pids = [p["pid"] for p in server.processes().values()]
        except (OSError, xmlrpc.client.Error):
            pass
        server.stop()
        for pid in pids:  # only if supervisord could not stop them: each leads a process group of its own
            if pid and _alive(pid):
                os.killpg(pid, signal.SIGKILL)


# --- the browser ------------------------------------------------------------------------------

def launch_browser(playwright):
    """Debian's Chromium, headless and offline (Playwright's own browsers are never downloaded)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Debian chromium not found at {CHROMIUM}: apt-get install chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Recorder:
    """What a browser context did: every request, blocked off-machine requests, console errors, page errors,
    JavaScript dialogs (alert, confirm, prompt: none is expected, so each is recorded and dismissed)."""
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, resource URL)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # "<type>: <message>"

    def attach(self, context) -> None:
        """Record the context's requests and abort every one that would leave the machine."""
        context.route("**/*", self._route)

    def watch(self, page) -> None:
        """Record the page's console errors, uncaught errors, dialogs and off-machine websockets."""
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            (m.text, m.location.get("url", ""))))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        # Without a listener Playwright dismisses dialogs unseen; an injected alert() must be noticed.
        page.on("dialog", self._dialog)
        # context.route does not see websockets; check their host too, but only report (routing
        # Streamlit's own websocket through Playwright would proxy every message of the app).
        page.on("websocket", lambda ws: self._check(ws.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _check(self, url: str) -> bool:
        self.requests.append(url)
        if urlsplit(url).hostname in LOOPBACK or url.startswith(("data:", "blob:", "about:")):
            return True
        self.blocked.append(url)
        return False

    def _route(self, route) -> None:
        if self._check(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def unexpected_console_errors(self) -> list[tuple[str, str]]:
        """Console errors except Streamlit's own 404 probes, see `benign_console_error`."""
        return [e for e in self.console_errors if not benign_console_error(*e)]


# Opened directly at a sub-page URL, Streamlit's frontend first probes <page>/_stcore/health and
# <page>/_stcore/host-config (in case the app is served under that prefix), gets 404 and falls back
# to the root: streamlit/streamlit#7074, open. The browser logs each 404 as a console error.
_STCORE_PROBE = re.compile(r"^https?://[^/]+/[^/?#]+/_stcore/(health|host-config)$")


def benign_console_error(text: str, url: str) -> bool:
    """True only for the 404s of Streamlit's base-path probes on sub-page URLs."""
    return text.startswith("Failed to load resource: the server responded with a status of 404") \
        and bool(_STCORE_PROBE.match(url))


# --- the app's pages --------------------------------------------------------------------------

# Streamlit 1.67 (runtime/scriptrunner/script_runner.py `_mpa_v1`) makes a page of every pages/*.py
# except dot-files and __init__.py, sorted by `source_util.page_sort_key`; its url_path is
# `source_util.page_icon_and_name`: PAGE_FILENAME_REGEX drops a leading number and [_ -] separators,
# runs of "_"/" " become one "_", and a leading emoji is dropped ("2_Victims.py" -> "Victims",
# "10 - By  country.py" -> "By_country", "3_🗺️_Map.py" -> "Map").
_PAGE_FILENAME = re.compile(r"([0-9]*)[_ -]*(.*)\.py")


def url_path(script: Path) -> str:
    """The URL path (no slash) Streamlit gives a pages/ script."""
    from streamlit.string_util import extract_leading_emoji  # its emoji table is too big to copy

    m = _PAGE_FILENAME.search(script.name)
    name = re.sub(r"[_ ]+", "_", m.group(2)).strip() or m.group(1)
    return extract_leading_emoji(name)[1]


def _sort_key(script: Path) -> tuple[float, str]:
    number, label = _PAGE_FILENAME.findall(script.name)[0]
    return (float(number) if number else math.inf, label.lower())


def page_urls(root: Path = ROOT) -> list[str]:
    """URL paths of the app's pages in sidebar order: "" for dashboard.py, then "/<url_path>" per page."""
    scripts = [p for p in (root / "pages").glob("*.py") if not p.name.startswith(".") and p.name != "__init__.py"]
    return [""] + ["/" + url_path(p) for p in sorted(scripts, key=_sort_key)]


def page_name(path: str) -> str:
    """A file-name-safe name for a page URL path ("home" for the main page)."""
    return path.strip("/") or "home"


# --- waiting for the page ---------------------------------------------------------------------

_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"], '
                               + '[data-testid="stSpinner"], [data-stale="true"]');
}"""


def _poll(page, script: str, fallback):
    # A navigation between polls destroys the JS context; that poll just counts as "not yet".
    try:
        return page.evaluate(script)
    except PlaywrightError:
        return fallback


def wait_idle(page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until the script finished, the websocket is up and nothing is a skeleton, spinner or stale."""
    # Two idle polls in a row: right after a click the old run still reads "notRunning" for a moment.
    deadline = time.monotonic() + timeout / 1000
    streak = 0
    while streak < 2:
        streak = streak + 1 if _poll(page, _IDLE_JS, False) else 0
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page.url} not idle after {timeout / 1000:.0f} s")
        page.wait_for_timeout(250)


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
        page.wait_for_timeout(250)


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
