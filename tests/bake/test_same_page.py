"""One page, two renderers: the live page (AppTest) and its static page show the same sequence of headings, texts,
figures, tables, disclosures and headline numbers, in every language, for a view of every kind each page bakes."""

from __future__ import annotations

import html
import json
import re

import pytest
from lxml import html as lhtml
from streamlit.testing.v1 import AppTest

from app import figures
from app.bake.site import page_path
from app.bake.views import all_views
from app.page import PAGE_FILES
from tests.helpers import ROOT


def sample() -> list:
    """Each page's first baked view of every set of parameters (the default view, a year, a measure, a topic...)."""
    seen, out = set(), []
    for v in all_views():
        kind = (v.page, tuple(k for k, _ in v.params))
        if kind not in seen:
            seen.add(kind)
            out.append(v)
    return out


def plain(text: str) -> str:
    """Text as a reader sees it: no Markdown marks or HTML, one space between words."""
    text = re.sub(r"\\(.)", r"\1", text.replace("**", "").replace("`", ""))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def markdown_items(md: str) -> list[tuple[str, str]]:
    """A Markdown text as the items a page shows: each paragraph or list item (tables are HTML: live_items)."""
    out = []
    for para in re.split(r"\n\s*\n", md.strip()):
        rows = para.splitlines()
        if rows and all(r.startswith("- ") for r in rows):
            out += [("text", plain(r[2:])) for r in rows]
        elif para.strip():
            out.append(("text", plain(" ".join(r[2:] if r.startswith("> ") else r for r in rows))))
    return out


def live_items(at: AppTest) -> list[tuple[str, str]]:
    """The live page's main area in order; a figure's container (its chart, text alternative, exports, citation)
    counts as the figure; the relations' browser (one at a time, live only) is left out."""
    out: list[tuple[str, str]] = []

    def visit(node) -> None:
        key = getattr(node, "key", None) or ""
        if key.startswith("figure_"):
            chart = next(n for n in node if getattr(n, "type", "") == "plotly_chart")
            out.append(("figure", json.loads(chart.proto.spec)["layout"]["meta"]["name"]))
            return
        if key == "relations":
            return
        kind = getattr(node, "type", "")
        if kind in ("title", "header", "subheader"):
            out.append(("heading", plain(node.value)))
        elif kind in ("markdown", "caption", "warning"):
            out.extend(markdown_items(node.value))
        elif kind == "html" and "<style>" not in node.value:  # tables, disclosures (app/markup.py): as static_items
            for el in lhtml.fragments_fromstring(node.value):
                html_items(el, out)
        elif kind == "expander":
            out.append(("details", plain(node.label)))
        elif kind == "dataframe":
            out.append(("table", " ".join(str(c) for c in node.value.columns)))
        elif kind == "metric":
            out.append(("metric", plain(node.label)))
        for child in getattr(node, "children", {}).values():
            visit(child)

    for child in at.main.children.values():
        visit(child)
    return out


SKIP = {"nav", "figure", "script"}  # controls (links to other views), a figure's own parts


def html_items(el, out: list[tuple[str, str]]) -> None:
    """An HTML element's items in order (a static page's, or what a live page draws as HTML: tables, disclosures)."""
    tag, cls = el.tag, el.get("class") or ""
    if tag == "figure":
        out.append(("figure", el.find(".//div[@data-figure]").get("data-figure").split("__")[0]))
        return
    if tag in SKIP or "relations" in cls:
        return
    text = plain(el.text_content())
    if re.fullmatch(r"h[1-6]", tag):
        out.append(("heading", text))
    elif tag == "p" and not (len(el) == 1 and el[0].tag == "a" and not (el.text or "").strip()):  # not a link
        out.append(("text", text))
    elif tag in ("li", "blockquote"):
        out.append(("text", text))
    elif tag == "details":
        out.append(("details", plain(el.find("summary").text_content())))
        for child in el:
            if child.tag != "summary":
                html_items(child, out)
    elif tag == "table":
        out.append(("table", " ".join(plain(th.text_content()) for th in el.iter("th"))))
    elif tag == "dt":
        out.append(("metric", text))
    else:
        for child in el:
            html_items(child, out)


def static_items(path) -> list[tuple[str, str]]:
    """The static page's <main> in order, as live_items reads the live page."""
    out: list[tuple[str, str]] = []
    for child in lhtml.fromstring(path.read_bytes()).find(".//main"):
        html_items(child, out)
    return out


def live(page: str, params: dict, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for k, v in {**params, **({"lang": lang} if lang != "pl" else {})}.items():
        at.query_params[k] = v
    if page != "overview":
        at.switch_page(PAGE_FILES[page])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


BAKED_PAGES = ["overview", "victims", "referrals", "emigration", "national_counts", "abroad", "data", "slides",
               "context"]


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("page", BAKED_PAGES)
def test_live_and_static_pages_show_the_same(built, baked, page, lang):
    views = [v for v in sample() if v.page == page]
    assert views
    for view in views:
        shown_live = live_items(live(view.page, dict(view.params), lang))
        shown_static = static_items(baked / page_path(lang, view))
        assert any(kind == "heading" for kind, _ in shown_live)
        assert any(kind == "text" for kind, _ in shown_live)
        assert shown_live == shown_static, view


def static_path(baked, page: str, query: str, lang: str) -> str:
    """The file of a live view (page, query) in the edition, as its folder's index page maps a live query to it
    (the map the edition's own script follows when a live address is opened on it)."""
    folder = page_path(lang, next(v for v in all_views() if v.page == page and not v.params)).rsplit("/", 1)[0] + "/"
    index = (baked / folder / "index.html").read_text()
    pages = re.search(r'"pages": (\{[^}]*\})', index).group(1)
    key = "&".join(sorted(query.split("&")))
    return folder + re.search(rf'"{re.escape(key)}": "([^"]+)"', pages).group(1)


CATALOGUED = [(e.page, e.query) for e in figures.CATALOGUE if e.query]  # the views behind a control, a figure each


@pytest.mark.parametrize("page, query", CATALOGUED, ids=[f"{p}?{q}" for p, q in CATALOGUED])
def test_every_catalogued_view_shows_the_same(built, baked, page, query):
    """Each view the catalogue lists behind a control, opened by its live query: the same items live and static,
    its catalogued figure among them (the default views are compared above)."""
    shown_live = live_items(live(page, dict(p.split("=", 1) for p in query.split("&")), "pl"))
    assert shown_live == static_items(baked / static_path(baked, page, query, "pl"))
    name = next(e for e in figures.CATALOGUE if (e.page, e.query) == (page, query)).figure("pl").layout.meta["name"]
    assert ("figure", name) in shown_live


def test_every_baked_page_is_compared(built):
    assert sorted(BAKED_PAGES) == sorted({v.page for v in all_views()})
