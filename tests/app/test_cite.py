"""'Cite this figure': the citation names the build's date and a link that reopens the same view (every figure
function, its page run under AppTest with the link's parameters); the menu under a figure offers it with the zip and
the <iframe> code."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from app import cite, figures, views
from app.charts.spec import Spec
from tests.app.test_pages import PAGES, figures as drawn, run
from tests.e2e.harness import url_path

BASE = "https://dashboard.example/stats/"
# A view of every figure function other than its default, where it has one.
VIEWS = {"victims": {"first": 2008, "last": 2011, "mode": "share"}, "referrals_map": {"first": 2009, "last": 2009,
         "metric": "rate"}, "referrals_ranking": {"first": 2007, "last": 2012}, "referrals_series": {"teryt": "12",
         "metric": "rate"}, "referrals_by_year": {"metric": "rate"}, "emigration_map": {"year": 2011, "classes": False},
         "undesa_map": {"year": 2005, "view": "world"}, "national_exploitation": {"mode": "share"},
         "abroad_map": {"period": "all"}, "abroad_rates": {"year": 2012, "measure": "gus"},
         "europe_rank": {"indicator": "convicted", "year": 2015}}


def page_file(path: str) -> str:
    """The script of the page at a URL path ('' -> dashboard.py)."""
    return next(p for p in PAGES if (p == "dashboard.py" and path == "") or (p != "dashboard.py" and url_path(
        Path(p)) == path))


@pytest.mark.parametrize("kind", sorted(views.KINDS))
def test_the_citation_names_the_build_and_reopens_the_view(built, db, kind):
    k = views.KINDS[kind]
    fig = k.make("en", **VIEWS.get(kind, {}))
    url = cite.link(Spec.of(fig), "en", BASE)
    text = cite.citation(Spec.of(fig), "en", url)
    built_at, version = db.execute("SELECT built_at, etl_version FROM build_info").fetchone()
    assert f"{built_at:%Y-%m-%d}" in text and f"ETL {version}" in text
    assert text.startswith(fig.layout.meta["title"].rstrip(".")) and fig.layout.meta["source"] in text
    assert url in text and url.startswith(BASE)
    parts = urlsplit(url)
    at = run(page_file(parts.path.removeprefix(urlsplit(BASE).path)), **dict(parse_qsl(parts.query)))
    assert not at.info, [i.value for i in at.info]  # no parameter of the link was refused
    names = [f["layout"]["meta"]["name"] for f in drawn(at)]
    assert fig.layout.meta["name"] in names, (url, names)
    # the very figure: its title and the numbers of its table
    same = next(f for f in drawn(at) if f["layout"]["meta"]["name"] == fig.layout.meta["name"])
    assert same["layout"]["meta"]["title"] == fig.layout.meta["title"]
    assert same["layout"]["meta"]["table"] == fig.layout.meta["table"]


def test_the_menu_offers_citation_zip_and_iframe(built, db, monkeypatch):
    monkeypatch.setenv(cite.URL_ENV, BASE)
    at = run("pages/2_Referrals.py", year="2010", metric="rate", lang="en")
    codes = [c.value for c in at.code]
    fig = figures.referrals_map("en", "light", 2010, 2010, "rate")
    url = f"{BASE}Referrals?year=2010&metric=rate&lang=en"
    built_at = db.execute("SELECT built_at FROM build_info").fetchone()[0]
    assert any(c.startswith(fig.layout.meta["title"]) and url in c and f"{built_at:%Y-%m-%d}" in c for c in codes)
    frames = [c for c in codes if c.startswith("<iframe")]
    assert len(frames) == len(drawn(at))
    first = re.search(r'src="([^"]+)" title="([^"]+)"', frames[0])
    assert html.unescape(first.group(1)) == url + "&figure=referrals_map&embed=true"
    assert html.unescape(first.group(2)) == fig.layout.meta["title"]
    zips = [b for b in at.get("download_button") if b.key.startswith("behind_")]
    assert len(zips) == len(drawn(at))


@pytest.mark.parametrize("kind", sorted(views.KINDS))
def test_every_figure_embeds_alone(built, kind):
    """`?figure=<kind>` with its view's parameters (from its permanent link) draws that very figure alone, on its
    page's own parameter declarations, with no notice."""
    k = views.KINDS[kind]
    fig = k.make("en", **VIEWS.get(kind, {}))
    query = dict(parse_qsl(urlsplit(cite.embed_url(Spec.of(fig), "en", BASE)).query))
    at = run("dashboard.py", **query)
    assert not at.info, [i.value for i in at.info]
    assert [f["layout"]["meta"]["name"] for f in drawn(at)] == [fig.layout.meta["name"]]
