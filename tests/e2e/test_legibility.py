"""The legibility check's overlap rule (issue 32), measured in Chromium: it fails on a figure made to break it (two
labels at one point, a label on another series' line), and finds no overlap in any figure the static edition bakes,
in both languages, at the page's width and at the export presets."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from app.charts.frame import frame
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


@pytest.mark.timeout(900)  # 836 drawings: about 2 minutes alone, 6 on the shared machine at a load of 8
def test_no_labels_overlap_in_any_figure(browser, edition_figures):
    """Every figure in both languages at the page's width, and in Polish (the longer words) at each export preset
    (python -m app.legibility draws every one at every size, on both templates)."""
    found = []
    for lang in LANGS:
        found += overlap.check(browser, edition_figures(lang, "light"), presets=lang == "pl")
    assert [f"{f.figure}: {f.what}" for f in found] == []
