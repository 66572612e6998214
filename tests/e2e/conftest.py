"""Browser fixtures: one real `streamlit run` and one headless Chromium per session, a fresh context per test; one
server with the Update page on for the tests that need it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e import a11y
from tests.e2e.harness import VIEWPORT, TIMEOUT_MS, Recorder, Server, launch_browser, streamlit_server
from tests.helpers import reset_to_template


@pytest.fixture(scope="session")
def server(built, tmp_path_factory):
    """The dashboard served on a free loopback port from the session's database build."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with streamlit_server(log, env={"DASHBOARD_DB": os.environ["DASHBOARD_DB"]}) as srv:
        yield srv


@pytest.fixture(scope="session")
def base_url(server) -> str:
    """http://127.0.0.1:<port> of the running dashboard."""
    return server.url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; a missing browser fails the suite rather than skipping it."""
    with sync_playwright() as p:
        try:
            b = launch_browser(p)
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)
        yield b
        b.close()


@pytest.fixture
def recorded() -> Recorder:
    """Requests, console errors and page errors of this test's browser context."""
    return Recorder()


@pytest.fixture
def page(server, browser, recorded):
    """A page in a fresh Polish-locale context that cannot reach anything but the loopback interface."""
    log_start = len(server.log_text())
    context = browser.new_context(viewport=VIEWPORT, locale="pl-PL")
    context.set_default_timeout(TIMEOUT_MS)
    recorded.attach(context)
    pg = context.new_page()
    recorded.watch(pg)
    yield pg
    context.close()
    if recorded.blocked:
        pytest.fail(f"requests for addresses off the machine (refused): {recorded.blocked}", pytrace=False)
    if recorded.dialogs:
        pytest.fail(f"the page opened JavaScript dialogs: {recorded.dialogs}", pytrace=False)
    new_log = server.log_text()[log_start:]  # only this test's part, so the failure names the culprit
    if "Traceback" in new_log:
        pytest.fail(f"the server logged a traceback:\n{new_log}", pytrace=False)


@dataclass
class UpdateServer:
    """A running dashboard with the Update page on (password: a11y.UPDATE_PASSWORD) over a private copy of data/raw
    and its build (tests/helpers.py template)."""
    server: Server
    raw: Path
    pointer: Path

    @property
    def url(self) -> str:
        return self.server.url

    def log_text(self) -> str:
        return self.server.log_text()

    def reset(self) -> None:
        """Put back what the server was started on (tests/helpers.py reset_to_template)."""
        reset_to_template(self.raw, self.pointer)


@pytest.fixture(scope="session")
def update_server(tmp_path_factory):
    """The one Update-enabled server of the session (the accessibility gate audits its pages, the update flow
    publishes on it): tests that change its data use `update_server_reset`. Mark them
    `pytest.mark.xdist_group("update_server")` to share it under xdist."""
    tmp = tmp_path_factory.mktemp("update")
    env, args = a11y.update_server_env(tmp)
    with streamlit_server(tmp / "server.log", env=env, args=args) as srv:
        yield UpdateServer(srv, Path(env["DASHBOARD_RAW"]), Path(env["DASHBOARD_DB"]))


@pytest.fixture
def update_server_reset(update_server):
    """The Update-enabled server, its data put back as it was after the test (whatever the test published)."""
    yield update_server
    update_server.reset()
