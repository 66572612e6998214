"""Reliability with the real server: a rebuild while serving, hostile query parameters."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from urllib.parse import quote, urlencode, urlsplit

import duckdb
import pytest

from app.i18n import t
from tests.e2e.harness import load, wait_idle
from tests.e2e.test_pages import assert_every_chart, clean, default_figures
from tests.helpers import ROOT

pytestmark = pytest.mark.browser


def data_as_of(page) -> str:
    """The overview's build caption ("Dane według stanu z ..." / "Data as of ...")."""
    return page.get_by_text(re.compile(r"^(Dane według stanu z|Data as of) ")).first.inner_text()


def build_time() -> str:
    """The time of the build DASHBOARD_DB points at now, as the overview shows it (to the second), read
    from the file itself (not through app.data, whose behaviour is under test)."""
    con = duckdb.connect(os.path.realpath(os.environ["DASHBOARD_DB"]), read_only=True)
    try:
        return f"{con.execute('SELECT built_at FROM build_info').fetchone()[0]:%Y-%m-%d %H:%M:%S}"
    finally:
        con.close()


def test_rebuild_while_serving(page, recorded, base_url):
    load(page, base_url + "/")
    old = build_time()
    assert old in data_as_of(page)
    time.sleep(1.1)  # the build time is shown to the second
    proc = subprocess.run([sys.executable, "-m", "etl", "--db", os.environ["DASHBOARD_DB"], "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    new = build_time()
    assert new != old
    # Nothing is pushed to an open page: until it reruns it shows what it drew.
    assert old in data_as_of(page)
    # Its next run (any click) reads the new build: every query opens the file the pointer names now.
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    page.get_by_text("Data as of").first.wait_for()
    wait_idle(page)
    assert new in data_as_of(page)
    clean(page, recorded)
    # A page opened after the swap shows the new build too, without restarting the server; it is a
    # second page of the same recorded context (its requests are recorded and checked, its console and
    # dialogs watched).
    fresh = page.context.new_page()
    recorded.watch(fresh)
    seen = len(recorded.requests)
    load(fresh, base_url + "/")
    assert base_url + "/" in recorded.requests[seen:]
    assert new in data_as_of(fresh)
    clean(fresh, recorded)
    fresh.close()


# --- hostile query parameters ----------------------------------------------------------------

MARK = "xss12mark"  # in every payload: it must turn up nowhere in the page
IMG = f"<img src=x onerror=alert('{MARK}')>"
SVG = f"\"'><svg onload=alert('{MARK}')>"
JS_URL = f"javascript:alert('{MARK}')"
BIG = (IMG + "9" * 100) * 80  # about 10 kB

# (id, path, query pairs (repeated keys allowed), where it lands, parameters named in a notice,
#  whether the unknown-parameter notice shows, whether Streamlit says the page was not found)
CASES = [
    ("referrals-markup", "/Referrals", [("year", IMG), ("v", JS_URL), ("metric", "\x00")], "/Referrals",
     ["year", "v", "metric"], False, False),
    ("referrals-repeated-10kB", "/Referrals",
     [("year", "2010"), ("year", SVG), ("period", BIG), ("v", "02"), ("v", "02\x00"), (IMG, "1")], "/Referrals",
     ["year", "period", "v"], True, False),
    ("emigration", "/Emigration",
     [("measure", JS_URL), ("view", IMG), ("scale", "classes\x00"), ("cmp", BIG), ("un_year", SVG)], "/Emigration",
     ["measure", "view", "scale", "cmp", "un_year"], False, False),
    ("victims-lang", "/Victims", [("years", "9" * 10240), ("mode", SVG), ("lang", IMG)], "/Victims",
     ["lang", "years", "mode"], False, False),
    ("page-param", "", [("page", JS_URL), ("page", IMG), ("present", "\x00"), ("lang", "en\x00")], "",
     ["lang"], True, False),
    ("unknown-page", "/NoSuchPage", [("page", IMG), (JS_URL, SVG)], "", [], True, True),
    ("markup-page", "/" + quote(IMG, safe=""), [], "", [], False, True),
]

NOT_FOUND = "The page that you have requested does not seem to exist. Running the app's main page."

# Everything in a frame's DOM that a payload could have planted: any attribute holding the marker, any
# inline event handler (React sets none), any javascript: URL, and the marker in the visible text.
_PLANTED_JS = """(mark) => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (a.value.includes(mark) || name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
        found.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 80)}">`);
    }
  }
  if (document.body && document.body.innerText.includes(mark)) found.push('text: ' + mark);
  return found;
}"""


def planted(page) -> list[str]:
    """What `_PLANTED_JS` finds in the page and in every frame of it (components render in iframes)."""
    return [f"{frame.url[:60]}: {item}" for frame in page.frames for item in frame.evaluate(_PLANTED_JS, MARK)]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_query_parameters(page, recorded, base_url, db, case):
    _, path, pairs, lands, invalid, unknown, not_found = case
    query = urlencode(pairs, quote_via=quote)
    expected = default_figures(lands)
    charts = load(page, f"{base_url}{path}{'?' + query if query else ''}", expect=len(expected))
    page.wait_for_timeout(500)  # an injected onerror/onload would fire by now
    if not_found:  # Streamlit logs its "page not found" notice as a console error, once
        assert [text for text, _ in recorded.unexpected_console_errors()] == [NOT_FOUND]
        recorded.console_errors.clear()
    clean(page, recorded)  # no exception box, no page error, no dialog
    assert planted(page) == []
    assert page.locator('a[href^="javascript:" i]').count() == 0
    # the default view: the page's default figures (Referrals: its latest year, read from the database)...
    assert urlsplit(page.url).path.rstrip("/") == lands
    assert_every_chart(charts, expected)
    if lands == "/Referrals":
        latest = db.execute("SELECT max(year) FROM programme_referrals").fetchone()[0]
        assert f"referrals_map_count_{latest}" in [c["name"] for c in charts]
    # ... with its notice, naming the parameter but never its value
    notices = page.get_by_test_id("stAlertContentInfo").all_inner_texts()
    assert sorted(notices) == sorted([t("invalid_param", "pl", name=n) for n in invalid]
                                     + [t("bad_param", "pl")] * unknown), notices
    assert page.get_by_role("dialog").filter(has_text="Page not found").count() == int(not_found)
