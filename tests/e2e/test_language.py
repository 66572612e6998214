"""The document follows the UI language in a real browser: <html lang> (screen readers) and the tab's title."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app.i18n import t
from app.page import nav_label
from app.page import PAGES
from tests.e2e.harness import load, page_name, page_urls, url_path, wait_idle
from tests.helpers import ROOT
from tests.e2e.test_pages import clean

pytestmark = pytest.mark.browser


def document(page) -> dict:
    return page.evaluate("() => ({lang: document.documentElement.lang, title: document.title})")


def assert_document(page, lang: str, title: str) -> None:
    """<html lang> and document.title become `lang` and `title` (both are set after the script run)."""
    try:
        page.wait_for_function("([lang, title]) => document.documentElement.lang === lang && document.title === title",
                               arg=[lang, title], timeout=10_000)
    except PlaywrightTimeout:
        pass  # the assertion below says what the page has instead
    assert document(page) == {"lang": lang, "title": title}


@pytest.mark.parametrize(("path", "lang", "title_key"), [
    ("/", "pl", "app_title"),
    ("/?lang=en", "en", "app_title"),
    ("/Data", "pl", "nav_data"),
    ("/Data?lang=en", "en", "nav_data"),
    ("/Referrals?lang=en&present=1", "en", "nav_referrals"),  # the sidebar is hidden in presentation mode
], ids=["home-pl", "home-en", "data-pl", "data-en", "present-en"])
def test_document_language_and_title_follow_the_url(page, recorded, base_url, path, lang, title_key):
    load(page, base_url + path)
    assert_document(page, lang, t(title_key, lang))
    clean(page, recorded)


def test_switching_language_in_the_sidebar_updates_lang_and_title(page, recorded, base_url):
    load(page, base_url + "/")
    assert_document(page, "pl", t("app_title", "pl"))
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("radio", name="English").click()
    page.wait_for_url(re.compile(r"[?&]lang=en\b"))
    wait_idle(page)
    assert_document(page, "en", t("app_title", "en"))
    # A page link keeps the language; the sub-page keeps lang and takes its own title.
    sidebar.get_by_role("link", name=t("nav_victims", "en")).click()
    page.wait_for_url(re.compile(r"/Victims\?(.*&)?lang=en\b"))
    wait_idle(page)
    assert_document(page, "en", t("nav_victims", "en"))
    sidebar.get_by_role("radio", name="Polski").click()
    page.wait_for_url(lambda url: "lang=" not in url)
    wait_idle(page)
    assert_document(page, "pl", t("nav_victims", "pl"))
    clean(page, recorded)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_national_counts_page_is_named_from_the_data(page, recorded, base_url, lang):
    """Its name says the Programme's last year ("Po 2013 roku" / "Since 2014"), read from the database."""
    load(page, base_url + "/National_counts" + ("?lang=en" if lang == "en" else ""), expect=1)
    title = nav_label("nav_since", lang)
    assert title == {"pl": "Po 2013 roku", "en": "Since 2014"}[lang]
    assert_document(page, lang, title)
    assert page.get_by_test_id("stSidebar").get_by_text(title, exact=True).count() == 1
    clean(page, recorded)


def title_keys() -> dict[str, str]:
    """URL path -> the page's title key, from app.page.PAGES and Streamlit's naming of pages/ files (harness)."""
    return {"": "app_title", **{"/" + url_path(ROOT / file): key for file, key in PAGES if file.startswith("pages/")}}


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("path", page_urls(), ids=[page_name(p) for p in page_urls()])
def test_the_document_is_in_the_reader_language_from_the_first_byte(base_url, path, lang):
    """The HTML as served, before any script runs: `<html lang>` and `<title>` of the page in its language (a screen
    reader starts reading before Streamlit's script sets them), even when the browser offers gzip."""
    query = "?lang=en" if lang == "en" else ""
    request = urllib.request.Request(base_url + path + query, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.headers.get("Content-Encoding") is None
        head = r.read().decode("utf-8")
    assert re.search(r"<html\b[^>]*>", head).group(0) == f'<html lang="{lang}">'
    assert re.search(r"<title>(.*?)</title>", head).group(1) == nav_label(title_keys()[path], lang)


def test_an_unknown_language_is_served_in_the_default(base_url):
    with urllib.request.urlopen(base_url + "/Data?lang=xx%22%3E%3Cscript%3E", timeout=30) as r:
        head = r.read().decode("utf-8")
    assert '<html lang="pl">' in head and "<script>\"" not in head and '"><script>' not in head
