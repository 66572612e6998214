"""The static edition in headless Chromium: every page of both languages from a real `python -m http.server` (the
accessibility gate run on each page's default view and an embed page as the walk passes them) and a sample from
file://, every chart drawn, nothing requested outside the folder, no console error; embed pages draw one chart; a
live-app query and a citation's link open the same view.
That a static page shows what its live page shows, for every view the catalogue lists, is tests/bake/test_same_page.py's."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.harness import VIEWPORT, TIMEOUT_MS, Recorder, free_port, wait_charts
from tests.e2e.test_pages import PAGES

pytestmark = pytest.mark.browser
FIGURE = re.compile(r'<div class="plot" data-figure="([^"]+)">')


class FolderRecorder(Recorder):
    """A Recorder that lets through only what lies under one folder or address (the edition), and nothing else."""

    def __init__(self, inside: str):
        super().__init__()
        self.inside = inside

    def allowed(self, url: str) -> bool:
        return url.startswith((self.inside, "data:", "blob:", "about:"))


@contextmanager
def http_server(folder: Path):
    """`python -m http.server` on a free loopback port serving the folder; yields its URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory",
                             str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "index.html", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("http.server did not start")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def served(baked):
    with http_server(baked) as url:
        yield url


def pages(baked: Path, lang: str) -> list[str]:
    """Every page of a language (not the figure scripts or embed pages), as paths in the folder."""
    return sorted(p.relative_to(baked).as_posix() for p in (baked / lang).rglob("*.html")
                  if p.parent.name != "embed")


TEXT_ONLY = "slide_limits"  # a slide of statements: a figure of annotations only (no trace: "empty" to the harness)


def text_drawn(page, chart: dict) -> bool:
    """The one figure made of text alone (the slide of what the data cannot say) is drawn when its statements are:
    an annotation beside the source line every figure has. Any other figure must draw a trace."""
    return chart["name"] == TEXT_ONLY and chart["traces"] == 0 and page.evaluate(
        "i => document.querySelectorAll('.js-plotly-plot')[i].querySelectorAll('.annotation-text').length > 1",
        chart["index"])


@contextmanager
def context(browser, inside: str):
    rec = FolderRecorder(inside)
    ctx = browser.new_context(viewport=VIEWPORT, locale="pl-PL")
    ctx.set_default_timeout(TIMEOUT_MS)
    rec.attach(ctx)
    page = ctx.new_page()
    rec.watch(page)
    try:
        yield page, rec
    finally:
        ctx.close()


def walk(browser, baked: Path, base: str, paths: list[str], audit: set[str] = frozenset()) -> None:
    """Open every path under `base`: each draws as many charts as its page has figures, every one drawn; nothing is
    requested outside `base`; no console or page error; on the paths in `audit`, axe finds nothing serious or
    critical (tests/e2e/a11y.py: the live app's gate, its WCAG A and AA rules)."""
    from tests.e2e import a11y

    wrong, failing = [], {}
    with context(browser, base) as (page, rec):
        for path in paths:
            expected = FIGURE.findall((baked / path).read_text())
            page.goto(base + path)
            charts = wait_charts(page, expect=len(expected), timeout=3_000 if TEXT_ONLY in expected else 20_000)
            if len(charts) != len(expected) or not all(c["drawn"] or text_drawn(page, c) for c in charts):
                wrong.append((path, len(expected), charts))
            found = a11y.gating(a11y.audit(page)) if path in audit else []
            if found:
                failing[path] = [(v["id"], v["nodes"][:3]) for v in found]
        assert wrong == [] and failing == {}
        assert rec.blocked == [] and rec.page_errors == [] and rec.console_errors == [] and rec.dialogs == []
        assert any(r.endswith("assets/plotly.min.js") for r in rec.requests)


def default_views(baked: Path, lang: str) -> list[str]:
    """Each page's default view in a language: its home page, then every page's index."""
    return [f"{lang}/index.html"] + [p.relative_to(baked).as_posix() for p in sorted((baked / lang).glob("*/index.html"))]


def test_a_sample_of_pages_from_file(browser, baked):
    """Opened from a folder (file://, where a browser is strictest about what a page may load): the home page and a
    page of maps in both languages; the walk below opens every page from a web server."""
    paths = [p for lang in ("pl", "en") for p in default_views(baked, lang)
             if p.endswith(f"{lang}/index.html") or p.endswith("/Referrals/index.html")]
    assert len(paths) == 4
    walk(browser, baked, baked.resolve().as_uri() + "/", paths)


@pytest.mark.timeout(1200)  # about 120 pages a language, a second or two each on a busy machine
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_every_page_from_a_web_server(browser, baked, served, lang):
    """Every page and an embed page; the accessibility gate on each page's default view and on the embed page."""
    embed = sorted((baked / lang / "embed").glob("*.html"))[0].relative_to(baked).as_posix()
    audit = {*default_views(baked, lang), embed}
    assert len(audit) == len(PAGES) - 2 + 1  # every page but Update and Accessibility (live only), one embed
    walk(browser, baked, served, pages(baked, lang) + [embed], audit)


def test_embed_pages_draw_one_chart_alone(browser, baked, served):
    embeds = sorted((baked / "en" / "embed").glob("*.html"))
    kinds = {}
    for p in embeds:  # one embed page of each figure function (its figure name's first word differs)
        kinds.setdefault(re.sub(r"_\d.*|__.*", "", p.stem), p)
    with context(browser, served) as (page, rec):
        for p in kinds.values():
            page.goto(served + p.relative_to(baked).as_posix())
            charts = wait_charts(page, expect=1, timeout=3_000 if p.stem == TEXT_ONLY else TIMEOUT_MS)
            assert len(charts) == 1 and (charts[0]["drawn"] or text_drawn(page, charts[0])), (p.name, charts)
            assert page.locator("header, nav, footer").count() == 0
        assert rec.blocked == [] and rec.console_errors == []


def test_a_live_query_and_a_citation_open_the_same_view(browser, baked, served):
    with context(browser, served) as (page, rec):
        page.goto(served + "en/Referrals/?year=2012&metric=rate")  # the live app's query on the edition's folder
        page.wait_for_url(re.compile(r"year-2012_metric-rate\.html$"))
        charts = wait_charts(page, expect=2)
        assert [c["name"] for c in charts] == ["referrals_map_rate_2012", "referrals_ranking_rate_2012"]
        cite = page.locator('pre[id^="cite-referrals_map_rate_2012"]').text_content()
        link = re.search(r"(http://\S+\.html)$", cite).group(1)
        assert link == page.url  # absolute: completed in the browser (no --base-url)
        built = page.locator('meta[name="dashboard-build"]').get_attribute("content")[:10]
        assert f"data build of {built}" in cite
        page.goto(served + "pl/Referrals/index.html?figure=referrals_ranking&year=2012&metric=rate")
        page.wait_for_url(re.compile(r"/embed/referrals_ranking_rate_2012\.html$"))
        assert len(wait_charts(page, expect=1)) == 1
        assert rec.blocked == [] and rec.console_errors == []
