"""The Update page end to end in headless Chromium: log in, upload the invented year, preview, publish, the
Referrals page shows the new year, roll back, it is gone. On the session's Update-enabled server (a copy of data/raw,
put back after the test)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.a11y import UPDATE_PASSWORD as PASSWORD
from tests.e2e.harness import VIEWPORT, TIMEOUT_MS, Recorder, load, wait_charts, wait_idle
from tests.e2e.test_pages import clean
from tests.helpers import ROOT, committed_updates, numbered

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("update_server")]
SYNTH = ROOT / "tests" / "fixtures" / "synthetic_year"
FILES = [("programme_victims", "programme_victims_2014.csv"), ("programme_referrals", "programme_referrals_2014.csv"),
         ("population", "population_2014.csv")]


@pytest.fixture
def tab(browser):
    recorded = Recorder()
    context = browser.new_context(viewport=VIEWPORT, locale="pl-PL")
    context.set_default_timeout(TIMEOUT_MS)
    recorded.attach(context)
    page = context.new_page()
    recorded.watch(page)
    page.on("dialog", lambda d: pytest.fail(f"a dialog opened: {d.message}"))
    yield page, recorded
    context.close()
    assert recorded.blocked == []


def login(page, base: str) -> None:
    load(page, base + "/Update")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()
    page.get_by_text("Dodaj pliki z nowymi danymi").wait_for()
    wait_idle(page)


def referrals_subtitle(page) -> str:
    """The texts drawn in the Referrals page's first map; its subtitle says 'liczba zgłoszeń, <year>'."""
    return " | ".join(page.locator('[data-testid="stPlotlyChart"]').first.locator("text").evaluate_all(
        "els => els.map(e => e.textContent || '')"))


def test_upload_preview_publish_and_roll_back(update_server_reset, tab):
    server, raw = update_server_reset, update_server_reset.raw
    page, recorded = tab
    log_start = len(server.log_text())
    load(page, server.url + "/Referrals")
    assert "liczba zgłoszeń, 2013" in referrals_subtitle(page)
    login(page, server.url)
    for dataset, name in FILES:
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name=dataset, exact=True).click()
        wait_idle(page)
        page.locator('input[type="file"]').set_input_files(str(SYNTH / name))
        page.get_by_test_id("stFileChip").first.wait_for()
        wait_idle(page)
        page.get_by_role("button", name="Dodaj plik").click()
        page.get_by_text(f"{dataset}: {name}").wait_for()  # the list of files to check
        wait_idle(page)
    page.get_by_role("button", name="Sprawdź i pokaż zmiany").click()
    page.get_by_text("Zmiany względem bieżącej bazy").wait_for()
    wait_idle(page)
    charts = wait_charts(page, expect=4)  # victims, the 2014 map, the maps by year, the rate map
    assert len(charts) >= 4 and all(c["drawn"] for c in charts), charts
    assert page.get_by_text(re.compile(r"liczba zgłoszeń, 2014")).count() >= 1  # the new year's map, staged
    for label, value in [("Tytuł publikacji", "INVENTED test figures"), ("Wydawca", "the e2e test"),
                         ("Data publikacji", "2026"), ("Licencja / warunki użycia", "test only")]:
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Opublikuj").click()
    page.get_by_text(re.compile(r"^Opublikowano")).wait_for()
    wait_idle(page)
    clean(page, recorded)
    assert sorted({p.name for p in (raw / "updates").glob("*.csv")} - committed_updates()) == [
        numbered(0, "programme_victims.csv"), numbered(1, "programme_referrals.csv"), numbered(2, "population.csv")]

    load(page, server.url + "/Referrals")
    assert "liczba zgłoszeń, 2014" in referrals_subtitle(page)  # the latest year is the new one

    login(page, server.url)
    page.get_by_role("button", name=re.compile(r"^Cofnij publikację [0-9a-f]{12}$")).click()
    page.get_by_text(re.compile(r"^Cofnięto")).wait_for()
    wait_idle(page)
    load(page, server.url + "/Referrals")
    assert "liczba zgłoszeń, 2013" in referrals_subtitle(page)  # gone again
    clean(page, recorded)
    assert "Traceback" not in server.log_text()[log_start:]
