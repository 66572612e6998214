"""The Programme's enrolments: by year and group (counts or shares), and the Overview's small trend."""

from __future__ import annotations

import plotly.graph_objects as go

from app import charts, data
from app.cache import cached


@cached
def victims(lang: str, tpl: str = "light", first: int | None = None, last: int | None = None,
            mode: str = "count") -> go.Figure:
    """Enrolments by group per year (counts or shares) over [first, last]."""
    v = data.victims()
    first, last = first or int(v.year.min()), last or int(v.year.max())
    drawn = v[v.year.between(first, last)]
    return charts.victims_chart(drawn, lang, mode, source=data.cite("programme_victims", drawn.source_id, lang),
                                tpl=tpl)


@cached
def total_trend(lang: str, tpl: str = "light") -> go.Figure:
    """The small yearly total of the overview."""
    v = data.victims()
    return charts.total_trend_chart(v, lang, source=data.cite("programme_victims", v.source_id, lang), tpl=tpl)
