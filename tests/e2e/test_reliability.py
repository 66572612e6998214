"""Reliability with the real server: a rebuild while serving, hostile query parameters."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.e2e.harness import load, wait_idle
from tests.e2e.test_pages import clean
from tests.helpers import ROOT

pytestmark = pytest.mark.browser


def data_as_of(page) -> str:
    return page.get_by_text("Dane według stanu z").first.inner_text()


def test_rebuild_while_serving(page, recorded, base_url, browser):
    load(page, base_url + "/")
    before = data_as_of(page)
    time.sleep(1.1)  # the build time is shown to the second
    proc = subprocess.run([sys.executable, "-m", "etl", "--db", os.environ["DASHBOARD_DB"], "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    # the page opened before the rebuild keeps working
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    page.get_by_text("Data as of").first.wait_for()
    wait_idle(page)
    clean(page, recorded)
    # a new page load shows the new build, without restarting the server
    fresh = browser.new_page()
    load(fresh, base_url + "/")
    after = data_as_of(fresh)
    fresh.close()
    assert after != before


@pytest.mark.parametrize("query", [
    "year=%27%3B%20DROP%20TABLE%20programme_referrals%3B--&metric=rate%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "year=2012&year=2010&year=abc&v=02&v=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "period=range&years=2013-2006&unknown=1&lang=xx",
    "years=" + "9" * 4000,
])
def test_hostile_query_parameters(page, recorded, base_url, query):
    load(page, f"{base_url}/Referrals?{query}")
    clean(page, recorded)
    assert page.get_by_test_id("stAlertContentInfo").count() >= 1  # a visible notice
    html = page.content()
    assert "<script>alert(1)</script>" not in html and "onerror=alert(1)" not in html
    assert page.evaluate("window.__xss === undefined")
