"""The legibility check (issue 32): each colour rule fails on a figure made to break it and passes the same figure
with the cure; CIEDE2000 against Sharma, Wu and Dalal's published test pairs; every figure the static edition bakes
is checked (as many as its figure scripts), and passes; a map class told apart by a symbol sized by class."""

from __future__ import annotations

import itertools
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from app import legibility, maps, palette
from app.charts.frame import frame
from app.i18n import LANGS
from app.legibility import colour, figures, rules


# every test of the module on the worker of the static edition's tests: the drawings of every figure are made once
# there and shared with tests/e2e/test_legibility.py (tests/conftest.py edition_figures)
pytestmark = pytest.mark.xdist_group("baked")


def made(*traces, tpl: str = "light") -> go.Figure:
    return frame(go.Figure(list(traces)), title="t", subtitle="s", source="", lang="en", tpl=tpl, name="made")


# Sharma, Wu and Dalal (2005), "The CIEDE2000 color-difference formula", Table 1: (Lab 1, Lab 2, ΔE00).
SHARMA = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425), ((50, -1.3802, -84.2814), (50, 0, -82.7485), 1.0),
          ((50, 2.5, 0), (58, 24, 15), 19.4535), ((50, 2.5, 0), (73, 25, -18), 27.1492),
          ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
          ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082)]


@pytest.mark.parametrize("one, two, expected", SHARMA)
def test_ciede2000_matches_the_published_pairs(one, two, expected):
    assert colour.ciede2000(one, two) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("tpl", ["light", "presentation"])
def test_two_greys_fail_the_contrast_rule(tpl):
    greys = made(go.Bar(x=[1], y=[3], marker_color="#bbbbbb", name="a"),
                 go.Bar(x=[2], y=[4], marker_color="#cccccc", name="b"), tpl=tpl)
    found = rules.contrast_findings(greys)
    assert {f.what.split(" ")[0] for f in found} == {"a", "b"}
    # WCAG's ratio of #bbbbbb on white, by hand: (1 + 0.05) / (0.4969 + 0.05) = 1.92
    assert max(f.value for f in found) == pytest.approx(1.92, abs=0.01)
    # drawn at half opacity a passing grey fails too: opacity as drawn
    faded = made(go.Bar(x=[1], y=[3], marker=dict(color="#5F6368", opacity=0.4), name="a"), tpl=tpl)
    assert rules.contrast_findings(faded) and not rules.contrast_findings(made(go.Bar(x=[1], y=[3], name="a",
                                                                                   marker_color="#5F6368")))


def test_a_red_green_pair_fails_the_colour_vision_rule_unless_a_dash_tells_them_apart():
    red, green = "#D62728", "#2CA02C"  # 72 apart in normal vision, under 5 with deuteranopia
    pair = made(go.Scatter(x=[1, 2], y=[1, 2], mode="lines", line_color=red, name="red"),
                go.Scatter(x=[1, 2], y=[2, 1], mode="lines", line_color=green, name="green"))
    found = rules.colour_vision_findings(pair)
    assert len(found) == 1 and "deuteranomaly" in found[0].what and found[0].value < rules.THRESHOLD
    dashed = made(go.Scatter(x=[1, 2], y=[1, 2], mode="lines", line_color=red, name="red"),
                  go.Scatter(x=[1, 2], y=[2, 1], mode="lines", line=dict(color=green, dash="dash"), name="green"))
    assert rules.colour_vision_findings(dashed) == []


def _classes(sizes, marked=({"FRA"}, {"DEU"})) -> go.Figure:
    """Two neighbouring classes of a map (1.19:1 apart, 5.4 under protanomaly), each with a symbol of `sizes` (None:
    none) in its legend group on the areas `marked`."""
    traces = []
    for (area, colour), size, on in zip((("FRA", palette.CLASS_COLOURS_5[0]), ("DEU", palette.CLASS_COLOURS_5[1])),
                                        sizes, marked):
        traces.append(go.Choropleth(locations=[area], z=[1], colorscale=[[0, colour], [1, colour]], showscale=False,
                                    name=area, legendgroup=area, showlegend=size is None,
                                    marker_line=dict(color=palette.BORDER, width=0.6)))
        if size is not None:
            traces.append(go.Scattergeo(lon=[0], lat=[0], ids=sorted(on), mode="markers", name=area, legendgroup=area,
                                        marker=dict(size=size, color=colour, line=dict(color=palette.INK, width=1))))
    return made(*traces)


def test_a_symbol_sized_by_class_tells_neighbouring_classes_apart():
    """Classes at 1.19:1 fail both colour rules by colour alone; a symbol per class, sizes SIZE_STEP apart, on each
    of their areas passes; sizes too close, or a symbol missing from an area, does not."""
    bare = {(f.rule, f.what) for f in rules.check(_classes((None, None)))}
    assert ("contrast", "classes FRA / DEU") in bare and any(r == "colour_vision" for r, _ in bare)
    assert rules.check(_classes((8, 10))) == []
    close = {(f.rule, f.what) for f in rules.check(_classes((8, 9)))}  # 1.125 times: under the step
    assert ("contrast", "classes FRA / DEU") in close and any(r == "colour_vision" for r, _ in close)
    assert ("contrast", "classes FRA / DEU") in {(f.rule, f.what) for f in rules.check(
        _classes((8, 10), marked=({"FRA"}, set())))}  # Germany's symbol not drawn on Germany


def _world(**kw) -> go.Figure:
    """The world view of a classed map over a country of each UN class (thousands), Europe's unlabelled."""
    df = pd.DataFrame({"id": ["PRT", "ESP", "FRA", "ITA", "NOR", "SWE", "DEU", "BRA"],
                       "label": list("abcdefgh"), "value": [3, 30, 70, 300, 120, 60, 900, 8],
                       "in_europe": [True] * 7 + [False]})
    return maps.emigration_map(df, "en", classes=True, view="world", bounds=maps.UN_CLASSES, title="t",
                               subtitle="s", source="", name="world", **kw)


def test_the_world_map_tells_its_classes_apart_by_symbol_not_colour_alone():
    fig = _world()
    assert rules.check(fig) == []
    written = {i for tr in fig.data if tr.type == "scattergeo" and tr.mode == "text" for i in tr.ids}
    assert written == {"DEU", "ITA"}  # the two largest: the others carry their class's symbol alone
    symbols = {tr.name: tr.marker.size for tr in fig.data if tr.type == "scattergeo" and tr.legendgroup}
    assert len(symbols) == len(maps.UN_CLASSES)  # one legend entry per class, colour and size together
    # the same map without its symbols: its neighbouring classes under 3:1 are told apart by colour alone
    bare = go.Figure(fig).update_traces(marker_size=None, selector=dict(type="scattergeo", mode="markers"))
    pairs = [f.what for f in rules.contrast_findings(bare)]
    assert pairs == ["classes 0–9 thousand / 10–49 thousand", "classes 10–49 thousand / 50–99 thousand",
                     "classes 50–99 thousand / 100–499 thousand", "classes 100–499 thousand / 500+ thousand"]


def test_the_palette_passes_its_own_rules():
    """Every series colour has 3:1 on the light and presentation paper, every pair the threshold in every vision."""
    assert all(colour.contrast(c, "#ffffff") >= rules.MIN_CONTRAST for c in palette.SERIES)
    assert min(colour.difference(a, b)[0] for a, b in itertools.combinations(palette.SERIES, 2)) >= rules.THRESHOLD
    looks = [tuple(palette.style(i).values()) for i in range(24)]
    assert len(set(looks)) == len(looks)  # no two of the first 24 series share colour, dash, symbol and pattern


def pruned(value):
    """A figure's JSON without its empty objects (`title: {}`: plotly.py keeps one it was given, drops one it reads;
    plotly.js draws both alike)."""
    if isinstance(value, dict):
        value = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in value.items() if v != {}}
    return [pruned(v) for v in value] if isinstance(value, list) else value


def test_a_figure_script_reads_back_as_the_figure_it_holds():
    """The check reads the edition's figure scripts back (app/legibility/figures.py published): what it reads is
    the figure the bake wrote, gaps (NaN) and arrays included, and the rules find the same in both."""
    import numpy as np

    from app import figures as catalogue
    from app.bake import render

    build = render.Build("2026-01-01 00:00:00", "0", "0" * 64)
    gaps = made(go.Scatter(x=np.arange(3), y=np.array([1.0, np.nan, 3.0]), mode="lines", line_color="#bbbbbb",
                           name="gaps"))
    for fig in [gaps, *(e.figure("pl") for e in catalogue.CATALOGUE[:4])]:
        back = render.read_figure_script(render.figure_script(fig, "k", build))
        assert pruned(json.loads(figures.drawn(back))) == pruned(json.loads(figures.drawn(fig)))
        assert rules.check(back) == rules.check(fig)
    assert rules.check(gaps)  # the faint line is found in both


@pytest.fixture(scope="module")
def every_figure(edition_figures):
    return {(lang, tpl): edition_figures(lang, tpl) for lang in LANGS for tpl in figures.TEMPLATES}


@pytest.mark.timeout(900)  # the edition baked and its 418 presentation drawings made: minutes on a loaded machine
def test_the_check_reads_every_figure_the_edition_bakes(every_figure, baked):
    """On the light template the check reads the edition's own figure scripts; on the presenters' it draws every
    figure the edition's views draw: the same figures, as many as the scripts."""
    for lang in LANGS:
        scripts = list((baked / lang / "figures").glob("*.js"))
        assert len(every_figure[(lang, "light")]) == len(scripts)
        assert len(every_figure[(lang, "presentation")]) == len(scripts)
        names = [sorted(f.layout.meta["name"] for f in every_figure[(lang, tpl)]) for tpl in figures.TEMPLATES]
        assert names[0] == names[1]


@pytest.mark.slow  # the drawings of every figure: minutes (pytest.ini)
@pytest.mark.timeout(900)
def test_every_figure_passes_the_colour_rules(every_figure):
    found = [f for figs in every_figure.values() for fig in figs for f in rules.check(fig)]
    assert found == []
    # the statement's record (python -m app.legibility --write) says what this run measured
    last = legibility.last_record()["last"]
    assert last["figures"] == sum(len(figs) for figs in every_figure.values())
    assert [last["findings"][r] for r in ("contrast", "colour_vision")] == [
        sum(f.rule == r for f in found) for r in ("contrast", "colour_vision")]
    assert set(last["figures_with_findings"]) >= {f.figure for f in found}
