"""app.theme: one template per (name, scale), made once and shared by every figure, which never changes it."""

from __future__ import annotations

import plotly.graph_objects as go

from app import theme
from app.charts.frame import frame


def test_a_figure_changing_its_template_leaves_the_shared_one_as_it_was():
    shared = theme.template("light")
    assert theme.template("light") is shared  # made once
    fig = frame(go.Figure(go.Bar(x=[1], y=[2])), title="t", subtitle="s", source="", lang="en", tpl="light", name="x")
    fig.layout.template.layout.font.size = 99
    fig.update_layout(template_layout_title_font_size=40)
    # the light template's sizes as designed: text 15 px, titles 21 px
    assert (shared.layout.font.size, shared.layout.title.font.size) == (15, 21)
    assert theme.template("light").to_plotly_json() == theme.template.__wrapped__("light").to_plotly_json()
