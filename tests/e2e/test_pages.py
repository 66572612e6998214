"""The real dashboard in headless Chromium: the sidebar, the home page, switching language, a click on the map, the
server's log. Every view of every page in both languages is loaded, checked and audited once, by the accessibility
gate (tests/e2e/test_accessibility.py): every chart drawn, the catalogue's figures, nothing off the machine, no error."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import urlsplit

import pytest

from app import figures, slides, updates
from tests.e2e.harness import load, page_urls, wait_idle
from tests.helpers import unavailable

PAGES = page_urls()

pytestmark = pytest.mark.browser
NAV_LINKS = '[data-testid="stSidebar"] a:is([data-testid="stSidebarNavLink"], [data-testid="stPageLink-NavLink"])'


def nav_paths(page) -> list[str]:
    """URL paths of the sidebar's page links (Streamlit's own navigation or st.page_link)."""
    hrefs = page.locator(NAV_LINKS).evaluate_all("links => links.map(a => a.href)")
    return [urlsplit(h).path.rstrip("/") for h in hrefs]


def clean(page, recorded) -> None:
    """Assert the page shows no Python exception or error box and the browser logged no error or dialog."""
    assert page.locator('[data-testid="stException"]').all_inner_texts() == []
    assert page.locator('[data-testid="stAlertContentError"]').all_inner_texts() == []
    assert recorded.page_errors == []
    assert recorded.unexpected_console_errors() == []
    assert recorded.blocked == []
    assert recorded.dialogs == []


def page_key(path: str) -> str:
    """The catalogue's name (Entry.page) of the page at a URL path: the path in lower case, "overview" for
    the main page ("/Victims" -> "victims")."""
    return path.strip("/").lower() or "overview"


def page_path(key: str) -> str:
    """The URL path of the page the catalogue calls `key`."""
    return {page_key(p): p for p in PAGES}[key]


def default_figures(path: str, lang: str = "pl") -> list[str]:
    """The names (layout.meta.name) of the figures the page at `path` shows in its default view, in page
    order: its CATALOGUE entries without a query, and on the Slides page the first slide of SLIDES."""
    key = page_key(path)
    names = [e.figure(lang).layout.meta["name"] for e in figures.CATALOGUE if e.page == key and not e.query]
    if key == "slides":
        names.append(slides.SLIDES[0].figure(lang).layout.meta["name"])
    return names


def test_catalogue_names_only_pages_that_exist():
    assert {e.page for e in figures.CATALOGUE} <= {page_key(p) for p in PAGES}


def assert_every_chart(charts: list[dict], expected: list[str]) -> None:
    """Exactly the expected figures, in order, each drawn (every map subplot and location, see harness)."""
    assert len(charts) == len(expected), (charts, expected)
    assert [c["name"] for c in charts] == expected, charts
    assert [c for c in charts if not c["drawn"]] == [], charts


def test_sidebar_links_every_page_file(page, base_url):
    load(page, base_url + "/")
    # The Update page is linked only when the server enables it (DASHBOARD_UPDATES=1, as app.updates reads it).
    linked = [p for p in PAGES if page_key(p) != "update" or updates.enabled()]
    assert sorted(set(nav_paths(page))) == sorted(linked)


def test_home_shows_total_enrolled(page, recorded, base_url):
    load(page, base_url + "/")
    assert "241" in page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert page.get_by_text("Objęci Programem").count() > 0


def test_language_switch_rerenders_in_english(page, recorded, base_url):
    load(page, base_url + "/")
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    page.wait_for_url(re.compile(r"[?&]lang=en\b"))
    page.get_by_text("Enrolled 2006–2013").first.wait_for()
    wait_idle(page)
    assert page.get_by_text("Objęci Programem").count() == 0
    assert "241" in page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    # and back: Polish is the default, so the parameter goes away
    page.get_by_test_id("stSidebar").get_by_role("radio", name="Polski").click()
    page.get_by_text("Objęci Programem").first.wait_for()
    wait_idle(page)
    assert "lang=" not in page.url
    clean(page, recorded)


def test_english_survives_page_links(page, recorded, base_url):
    if len(PAGES) < 2:
        unavailable("the app has one page: no page link to follow", "page")
    load(page, base_url + "/?lang=en")
    target = PAGES[1]
    page.locator(NAV_LINKS).nth(nav_paths(page).index(target)).click()
    page.wait_for_url(lambda url: urlsplit(url).path.rstrip("/") == target)
    wait_idle(page)
    assert "lang=en" in page.url
    assert page.get_by_test_id("stSidebar").get_by_text("Data and sources", exact=True).count() == 1
    clean(page, recorded)


def test_world_topojson_is_served_locally(base_url):
    with urllib.request.urlopen(f"{base_url}/app/static/world_110m.json", timeout=30) as r:
        assert r.status == 200
        topo = json.load(r)
    assert topo["type"] == "Topology" and "countries" in topo["objects"]


def test_server_log_has_no_traceback(server):
    # Last in the file on purpose: by now every page has run in the server at least once.
    assert "Traceback" not in server.log_text(), server.log_text()


def test_clicking_the_map_chooses_a_voivodeship(page, recorded, base_url):
    """A click on dolnośląskie (first location of the map trace) shows its yearly series."""
    load(page, base_url + "/Referrals")
    region = page.locator('[data-testid="stPlotlyChart"]').first.locator("path.choroplethlocation").first
    box = region.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.5)
    page.wait_for_url(re.compile(r"[?&]v=02\b"))
    wait_idle(page)
    page.get_by_text("Zgłoszenia: dolnośląskie").first.wait_for()
    clean(page, recorded)
