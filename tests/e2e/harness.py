"""A real `streamlit run` and headless Debian Chromium, shared by the e2e tests and the screenshot command.

The pieces live in tests/e2e/serving.py (the servers), chromium.py (the browser, the Recorder) and drawn.py (waiting
for a page and its charts); this module names them all, and the app's page URLs.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from tests.e2e.chromium import (CHROMIUM, CHROMIUM_ARGS, HOST_RESOLVER_RULES, LOOPBACK, TIMEOUT_MS, VIEWPORT,
                                Recorder, benign_console_error, launch_browser)
from tests.e2e.drawn import (_CHARTS_JS, _IDLE_JS, charts_drawn, fit_viewport_to_content, load, wait_charts,
                             wait_idle)
from tests.e2e.serving import (Replicated, Server, _health, _stop, free_port, free_ports, replica_health,
                               replicated_server, streamlit_server, supervised)
from tests.helpers import ROOT

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "HOST_RESOLVER_RULES", "LOOPBACK", "TIMEOUT_MS", "VIEWPORT", "Recorder",
           "benign_console_error", "launch_browser", "charts_drawn", "fit_viewport_to_content", "load", "wait_charts",
           "wait_idle", "Replicated", "Server", "free_port", "free_ports", "replica_health", "replicated_server",
           "streamlit_server", "supervised", "url_path", "page_urls", "page_name"]


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
