"""The figures the legibility check reads: every figure the static edition bakes (its own views and blocks), in a
language and on a template, each once as the edition publishes it (one script for figures drawn alike)."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
from _plotly_utils.utils import PlotlyJSONEncoder

from app.bake import render, site
from app.bake.views import all_views

TEMPLATES = ("light", "presentation")  # the edition's and the presenters'


def drawn(fig: go.Figure) -> str:
    """What the edition's figure script holds of a figure (its data and layout): two figures alike are one file."""
    return json.dumps({"data": fig._data, "layout": fig._layout}, cls=PlotlyJSONEncoder, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"))


def published(edition: Path, lang: str) -> list[go.Figure]:
    """Every figure a baked edition's folder publishes in `lang` (its figure scripts, drawn on the light template),
    read back from the files, in file name order."""
    return [render.read_figure_script(p.read_text(encoding="utf-8"))
            for p in sorted((edition / lang / "figures").glob("*.js"))]


def baked(lang: str, tpl: str = "light") -> list[go.Figure]:
    """Every figure of every view of the static edition in `lang`, drawn on `tpl`, each once, in view order."""
    edition = site.Edition(lang, "", site._build(), {}, all_views(), site._downloads())
    seen: dict[int, go.Figure] = {}
    for view in edition.views:
        for block in edition.blocks(view, tpl):
            if isinstance(block, go.Figure):
                seen.setdefault(id(block), block)
    unique: dict[str, go.Figure] = {}
    for fig in seen.values():
        unique.setdefault(drawn(fig), fig)
    return list(unique.values())
