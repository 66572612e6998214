"""Figures as pure functions, (DataFrame, options) -> plotly Figure, by what they show; every one framed by
app/charts/frame.py (title, subtitle, source, notes, text alternative). The names below are the package's API."""

from app.charts.context import prevention_chart, survey_chart, text_figure, timeline_chart  # noqa: F401
from app.charts.emigration import emigration_top_chart, emigration_totals_chart  # noqa: F401
from app.charts.frame import (NARROW_WRAP, RANKING_WRAP, SOURCE_WRAP, WIDE_WRAP, frame, quote,  # noqa: F401
                              separators, sequential_scale, year_axis)
from app.charts.programme import GROUPS, total_trend_chart, victims_chart, victims_table  # noqa: F401
from app.charts.referrals import FACTSHEET_WRAP, factsheet_chart, heatmap_chart, ranking_chart, series_chart  # noqa: F401
