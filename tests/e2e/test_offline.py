"""Offline for real: both Chromiums (Playwright's for the tests, kaleido's for PNG export) resolve no name
but 127.0.0.1, so nothing leaves the machine even where a network is up, and such a request fails at once.

The proof needs no network: "localhost" is a name this machine's own resolver answers (/etc/hosts) with the
address a server of the test listens on, so it loads unless the browser's resolver rule refuses it; IP
literals other than 127.0.0.1 are refused by the rule too (without it they would be connected to).
"""

from __future__ import annotations

import io
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import plotly.graph_objects as go
import pytest
from PIL import Image

from app import export

pytestmark = pytest.mark.browser

FAST_MS = 5000  # a refused name fails in milliseconds; an unreachable host would take tens of seconds
# Names that must never resolve: reserved test names, an ordinary-looking one, and IP literals other than
# 127.0.0.1 (a documentation address and IPv6 loopback: the server listens on 127.0.0.1 only).
OUTSIDE = ["http://example.invalid/", "http://outside-name.test/x.png", "https://example.com/", "http://192.0.2.1/"]
_PNG = Image.new("RGB", (1, 1), "red")


def _png_bytes() -> bytes:
    buf = io.BytesIO()
    _PNG.save(buf, "PNG")
    return buf.getvalue()


@contextmanager
def counting_server():
    """A tiny HTTP server on 127.0.0.1 that answers every GET with a 1x1 PNG and records the paths asked."""
    hits: list[str] = []
    body = _png_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def test_this_machine_resolves_localhost():
    # The precondition of the tests below: without the browsers' rule, "localhost" would reach 127.0.0.1.
    assert "127.0.0.1" in {a[4][0] for a in socket.getaddrinfo("localhost", 80, socket.AF_INET)}


_FETCH_JS = """async (urls) => Promise.all(urls.map(async url => {
  const start = performance.now();
  try {
    await fetch(url, {mode: 'no-cors', cache: 'no-store'});
    return {url, ok: true, ms: performance.now() - start};
  } catch (e) {
    return {url, ok: false, ms: performance.now() - start};
  }
}))"""


def test_playwright_chromium_resolves_nothing_but_127_0_0_1(browser):
    # A context without the Recorder's routing: what stops the requests here is the resolver rule alone.
    with counting_server() as (port, hits):
        context = browser.new_context()
        page = context.new_page()
        failures = {}
        page.on("requestfailed", lambda r: failures.__setitem__(r.url, r.failure))
        page.goto(f"http://127.0.0.1:{port}/start")
        by_name = f"http://localhost:{port}/by-name"
        urls = OUTSIDE + [f"http://[::1]:{port}/by-ipv6", by_name, f"http://127.0.0.1:{port}/by-address"]
        results = {r["url"]: r for r in page.evaluate(_FETCH_JS, urls)}
        context.close()
    # the same server by any other name or address: never asked
    assert sorted(set(hits) - {"/favicon.ico"}) == ["/by-address", "/start"]
    assert results[f"http://127.0.0.1:{port}/by-address"]["ok"]
    refused = [u for u in urls if urlsplit(u).hostname != "127.0.0.1"]
    assert {u: failures.get(u) for u in refused} == {u: "net::ERR_NAME_NOT_RESOLVED" for u in refused}
    slow = {u: round(results[u]["ms"]) for u in refused if results[u]["ok"] or results[u]["ms"] > FAST_MS}
    assert slow == {}


def test_kaleido_chromium_resolves_nothing_but_127_0_0_1():
    with counting_server() as (port, hits):
        sources = [*OUTSIDE, f"http://localhost:{port}/by-name.png", f"http://[::1]:{port}/by-ipv6.png",
                   f"http://127.0.0.1:{port}/by-address.png"]  # the last one: proof that images are fetched
        fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
        fig.update_layout(images=[dict(source=s, xref="paper", yref="paper", x=i / len(sources), y=1, sizex=0.1,
                                       sizey=0.1) for i, s in enumerate(sources)])
        export.png(go.Figure(go.Bar(x=["a"], y=[1])), "square")  # start kaleido's browser outside the timing
        start = time.monotonic()
        image = export.png(fig, "square")
        seconds = time.monotonic() - start
    assert Image.open(io.BytesIO(image)).size == (1080, 1080)
    assert set(hits) == {"/by-address.png"}
    assert seconds < 30, seconds  # kaleido would wait up to its 90 s render timeout for a hanging image
