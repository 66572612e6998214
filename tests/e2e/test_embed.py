"""The live app's embed view (`?figure=<kind>&embed=true`) and "cite this figure" in a real browser: one figure of
every page alone (one chart, no sidebar); an unknown name falls back with a notice; hostile values are escaped; the
citation's link reopens the same view."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from app import figures, slides
from app.figures import national
from tests.e2e.harness import load
from tests.e2e.test_hostile import PARAMS, SCRIPT
from tests.e2e.test_pages import clean

pytestmark = pytest.mark.browser
RATE = next(i for i, s in enumerate(slides.SLIDES, 1) if s.key == "rate")
# One figure of every page with figures: (URL path, its parameters, the figure's name, how to make it).
EMBEDS = [("", {"figure": "overview_map"}, lambda: figures.overview_map("pl")),
          ("/Victims", {"figure": "victims", "mode": "share", "years": "2007-2012"},
           lambda: figures.victims("pl", "light", 2007, 2012, "share")),
          ("/Referrals", {"figure": "referrals_map", "year": "2012", "metric": "rate"},
           lambda: figures.referrals_map("pl", "light", 2012, 2012, "rate")),
          ("/Emigration", {"figure": "undesa_map", "measure": "undesa", "un_year": "2010", "view": "world"},
           lambda: figures.undesa_map("pl", "light", 2010, view="world")),
          ("/National_counts", {"figure": "national_justice"}, lambda: national.national_justice("pl")),
          ("/Slides", {"figure": "rate_map", "slide": str(RATE)}, lambda: figures.rate_map("pl")),
          ("/Context", {"figure": "context_teams", "section": "teams"}, lambda: figures.context_teams("pl"))]


def sidebar_shown(page) -> bool:
    return page.locator('[data-testid="stSidebar"]').is_visible()


@pytest.mark.parametrize("path,params,make", EMBEDS, ids=[e[1]["figure"] for e in EMBEDS])
def test_one_figure_alone(page, recorded, base_url, path, params, make):
    charts = load(page, f"{base_url}{path}?{urlencode({**params, 'embed': 'true'})}", expect=1)
    clean(page, recorded)
    assert [c["name"] for c in charts] == [make().layout.meta["name"]] and charts[0]["drawn"], charts
    assert not sidebar_shown(page)
    assert page.locator('[data-testid="stAlertContentInfo"]').count() == 0  # every parameter was taken
    assert page.locator('[data-testid="stHeading"], [data-testid="stPopover"]').count() == 0  # the figure alone


def test_an_unknown_figure_falls_back_to_the_page_with_a_notice(page, recorded, base_url):
    charts = load(page, f"{base_url}/Victims?figure=no_such_figure&embed=true&mode=share", expect=1)
    clean(page, recorded)
    notices = page.locator('[data-testid="stAlertContentInfo"]').all_inner_texts()
    assert any("figure" in n for n in notices), notices
    assert "no_such_figure" not in page.locator('[data-testid="stApp"]').inner_text()  # never echoed
    assert [c["name"] for c in charts] == [figures.victims("pl", mode="share").layout.meta["name"]]  # the page's view


def test_hostile_values_are_escaped(page, recorded, base_url):
    params = {**PARAMS, "figure": SCRIPT, "embed": "true"}
    charts = load(page, f"{base_url}/Referrals?{urlencode(params)}")
    clean(page, recorded)  # no dialog: nothing injected ran
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert [e for e in ("onerror", "alert(", "<script", "DROP TABLE") if e in text] == []
    assert any("figure" in n for n in page.locator('[data-testid="stAlertContentInfo"]').all_inner_texts())
    assert charts and all(c["drawn"] for c in charts)
    # a known figure with hostile view parameters: the figure in its default view, each refused parameter named
    charts = load(page, f"{base_url}/Referrals?{urlencode({**PARAMS, 'figure': 'referrals_ranking'})}", expect=1)
    clean(page, recorded)
    assert [c["name"] for c in charts] == [figures.referrals_ranking("pl").layout.meta["name"]]
    notices = " ".join(page.locator('[data-testid="stAlertContentInfo"]').all_inner_texts())
    assert all(name in notices for name in ("year", "metric", "period", "lang")), notices


def test_the_citation_link_reopens_the_same_view(page, recorded, base_url, db):
    load(page, f"{base_url}/Emigration?year=2011&scale=continuous&lang=en", expect=2)
    page.get_by_role("button", name=re.compile("Cite · data · embed")).first.click()
    cite = page.locator('[data-testid="stCode"]').first.inner_text()
    link = re.search(r"(http://\S+)$", cite.strip()).group(1)
    built_at = db.execute("SELECT built_at FROM build_info").fetchone()[0]
    assert link.startswith(base_url + "/Emigration?") and f"data build of {built_at:%Y-%m-%d}" in cite
    name = figures.emigration_map("en", "light", 2011, classes=False).layout.meta["name"]
    assert cite.startswith(figures.emigration_map("en", "light", 2011, classes=False).layout.meta["title"])
    charts = load(page, link, expect=2)
    clean(page, recorded)
    assert name in [c["name"] for c in charts]
