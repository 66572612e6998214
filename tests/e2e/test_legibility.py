"""The legibility check's overlap rule (issue 32), measured in Chromium: it fails on a figure made to break it (two
labels at one point, a label on another series' line, a note running off the figure, a category axis with unlabelled
categories, tick labels that touch), and finds none of these in any figure the static edition bakes, in both
languages, at the page's width and at the export presets."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from app.charts.frame import frame
from app.export import PRESETS
from app.i18n import LANGS
from app.legibility import overlap


# with tests/app/test_legibility.py on one worker: both read the same drawings (tests/conftest.py edition_figures)
pytestmark = pytest.mark.xdist_group("baked")


def made(*traces, annotations=()) -> go.Figure:
    fig = go.Figure(list(traces))
    for a in annotations:
        fig.add_annotation(**a)
    return frame(fig, title="t", subtitle="s", source="a source", note="a note", lang="en", name="made")


def test_two_labels_at_one_point_overlap(browser):
    at = dict(x=2, y=2, showarrow=False, font=dict(size=14))
    line = go.Scatter(x=[1, 2, 3], y=[1, 2, 3], mode="lines", name="line")
    found = overlap.check(browser, [made(line, annotations=[dict(text="277", **at), dict(text="254", **at)])])
    assert any("'277' / '254'" in f.what for f in found)
    assert {f.what.split(":")[0] for f in found} >= {"page", "slide", "square"}  # each drawing measured
    # the same labels apart, off the line: none
    apart = made(line, annotations=[dict(text="277", x=1, y=3, showarrow=False), dict(text="254", x=3, y=1,
                                                                                        showarrow=False)])
    assert overlap.check(browser, [apart]) == []
    # a series' label on another series' line
    crossed = made(line, go.Scatter(x=[2], y=[2], mode="markers+text", text=["115"], textposition="middle center",
                                    name="other"))
    assert [f.what for f in overlap.check(browser, [crossed], presets=False)] == ["page: '115' / line of trace 0"]


def test_a_note_wider_than_the_figure_leaves_it(browser):
    """A note on one line wider than the figure runs off its right edge, on the page and at every preset; wrapped as
    frame wraps it, to the narrowest drawing, it does not (its other texts inside too)."""
    note = " ".join(["unlabelled"] * 60)
    line = go.Scatter(x=[1, 2], y=[1, 2], mode="lines", name="line")
    wide = frame(go.Figure([line]), title="t", subtitle="s", source="a source", note=note, lang="en", name="wide")
    wide.update_annotations(text=note, selector=dict(name="note"))  # unwrapped: frame would not let it run off
    found = [f.what for f in overlap.check(browser, [wide])]
    assert all("leaves the figure by" in w for w in found)
    assert {w.split(":")[0] for w in found} == {"page", *PRESETS} - {"report"}  # the report's size is the slide's
    # asked for lines wider than the square export, frame wraps them to its width
    narrow = frame(go.Figure([line]), title="t", subtitle="s", source="a source", note=note, lang="en", name="narrow",
                   wrap=400)
    assert overlap.check(browser, [narrow]) == []


def test_a_category_axis_too_short_for_its_labels_leaves_categories_unlabelled(browser):
    """Forty categories in 200 px: plotly.js labels every n-th; the check counts the labels against the categories.
    Twenty px apart (more than the 14 px tick font's 17 px line) every category is labelled."""
    names = [f"country {i}" for i in range(40)]

    def bars(height):
        return made(go.Bar(x=list(range(40)), y=names, orientation="h", name="bars")).update_layout(height=height)

    found = [f.what for f in overlap.check(browser, [bars(400)], presets=False)]
    assert len(found) == 1 and found[0].startswith("page: yaxis labels ") and found[0].endswith(" of 40 categories")
    tall = bars(40 * 20 + 400)
    assert overlap.check(browser, [tall], presets=False) == []


def test_tick_labels_that_touch_are_found_and_turned_ones_are_not(browser):
    """Long category names on a narrow x axis, held level: each touches its neighbour. Left to plotly.js, they are
    turned and apart (the boxes are compared as turned, not as their upright screen rectangles)."""
    names = [f"{w} trafficking" for w in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")]

    def bars(angle):
        fig = made(go.Bar(x=names, y=[1, 2, 3, 4, 5, 6], name="bars")).update_layout(width=420, height=500)
        return fig.update_xaxes(tickangle=angle)

    level = [f.what for f in overlap.check(browser, [bars(0)], presets=False)]
    assert "page: xaxis ticks 'alpha trafficking' / 'beta trafficking'" in level
    assert all(" ticks " in w for w in level)
    assert overlap.check(browser, [bars(None)], presets=False) == []


@pytest.mark.timeout(900)  # 836 drawings: about 2 minutes alone, 6 on the shared machine at a load of 8
def test_no_labels_overlap_in_any_figure(browser, edition_figures):
    """Every figure in both languages at the page's width, and in Polish (the longer words) at each export preset
    (python -m app.legibility draws every one at every size, on both templates)."""
    found = []
    for lang in LANGS:
        found += overlap.check(browser, edition_figures(lang, "light"), presets=lang == "pl")
    assert [f"{f.figure}: {f.what}" for f in found] == []
