"""Export and presentation in a real browser: PNG download, presentation mode, the slides page."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from app import slides
from tests.e2e.harness import load, wait_idle
from tests.e2e.test_pages import clean

pytestmark = pytest.mark.browser


def test_download_png_button_delivers_a_png(page, recorded, base_url):
    load(page, base_url + "/Victims?years=2010-2013")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_test_id("stDownloadButton").first.locator("button").click()
    download = info.value
    assert download.suggested_filename == "victims_count_2010-2013_pl_slide.png"
    data = open(download.path(), "rb").read()
    assert Image.open(io.BytesIO(data)).size == (1920, 1080)
    clean(page, recorded)


def test_present_parameter_hides_sidebar_and_widgets(page, recorded, base_url):
    load(page, base_url + "/Referrals?year=2012&present=1")
    # present but hidden: is_visible() alone is false for a missing element too
    for testid in ("stSidebar", "stSlider"):
        assert page.get_by_test_id(testid).count() >= 1, testid
        assert not page.get_by_test_id(testid).first.is_visible(), testid
    assert page.get_by_test_id("stDownloadButton").count() == 0
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size >= 24
    clean(page, recorded)
    page.get_by_role("button", name="Zakończ prezentację").click()
    page.wait_for_url(lambda url: "present=" not in url)
    wait_idle(page)
    assert page.get_by_test_id("stSidebar").is_visible()
    assert "year=2012" in page.url


def test_slides_step_forward_and_back_with_the_url(page, recorded, base_url):
    load(page, base_url + "/Slides")
    n = len(slides.SLIDES)  # the deck's length is the code's, not a fact of this test

    def step(button: str, number: int) -> None:
        page.get_by_role("button", name=button).click()
        page.wait_for_url(re.compile(rf"[?&]slide={number}\b"))
        wait_idle(page)  # the next click must not land on a page that is still rerunning
        page.get_by_text(f"Slajd {number} z {n}").wait_for()

    step("Następny", 2)
    step("Następny", 3)
    step("Poprzedni", 2)
    load(page, base_url + "/Slides?slide=5")  # a presenter jumps back by URL
    page.get_by_text(f"Slajd 5 z {n}").wait_for()
    clean(page, recorded)
