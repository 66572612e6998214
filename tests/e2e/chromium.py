"""Headless Debian Chromium for the e2e tests, offline, and the Recorder of what a browser context did."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
# Offline for real: Chromium's own resolver answers "not found" for every name but 127.0.0.1, so nothing
# leaves the machine even where a network is up (a page, a service worker, the browser itself); the
# Recorder only reports what a page asks for. "localhost" does not resolve either:
# use 127.0.0.1. app/export/__init__.py starts kaleido's Chromium with the same rule.
HOST_RESOLVER_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 HOST_RESOLVER_RULES]
VIEWPORT = {"width": 1366, "height": 768}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_MS = 60_000  # generous: a slow shared 2-core machine runs the server, Chromium and pytest at once


def launch_browser(playwright):
    """Debian's Chromium, headless and offline (Playwright's own browsers are never downloaded)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Debian chromium not found at {CHROMIUM}: apt-get install chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Recorder:
    """What a browser context did: every request, off-machine requests (`blocked`: the browser's resolver refuses
    them), console errors, page errors, JavaScript dialogs (alert, confirm, prompt: none is expected, so each is
    recorded and dismissed). `answered_here` names requests a test answers itself (never counted as blocked)."""
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, resource URL)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # "<type>: <message>"
    answered_here: Callable[[object], bool] | None = None

    def attach(self, context) -> None:
        """Record every request of the context. Events, not routing: Playwright's routing turns the browser's HTTP
        cache off, so every page would fetch and compile Streamlit's scripts and plotly.js again, as no reader's
        browser does; nothing leaves the machine anyway (HOST_RESOLVER_RULES fails such a request at once)."""
        context.on("request", self._request)

    def _request(self, request) -> None:
        if self.answered_here is None or not self.answered_here(request):
            self._check(request.url)

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

    def allowed(self, url: str) -> bool:
        """A request that stays on the machine: loopback, or no network at all (data:, blob:, about:)."""
        return urlsplit(url).hostname in LOOPBACK or url.startswith(("data:", "blob:", "about:"))

    def _check(self, url: str) -> None:
        self.requests.append(url)
        if not self.allowed(url):
            self.blocked.append(url)

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
