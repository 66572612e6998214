"""The emigration charts: GUS totals with their breaks and revisions, and the main destinations over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import palette, theme
from app.charts.frame import frame, year_axis
from app.describe import Drawn
from app.i18n import t
from app.numbers import label

def emigration_totals_chart(df: pd.DataFrame, lang: str, *, notes: pd.DataFrame, source: str,
                            tpl: str = "light") -> go.Figure:
    """Totals (all, Europe, EU) per year, with gaps where nothing was published and the series notes marked:
    dropped years shaded, an underestimated year pointed at, definition changes as dotted lines."""
    years = list(range(int(df.year.min()), int(df.year.max()) + 1))
    fig = go.Figure()
    for n in notes[notes.kind == "dropped"].itertuples():
        fig.add_vrect(x0=n.first_year - 0.5, x1=n.last_year + 0.5, fillcolor=theme.NO_DATA, opacity=0.18,
                      line_width=0, annotation=dict(text=getattr(n, f"label_{lang}"), font=dict(size=12)),
                      annotation_position="top left")
    drawn = Drawn(t("year", lang), [str(y) for y in years])
    for scope in ["total", "europe", "eu"]:
        s = df[df.scope == scope].set_index("year").emigrants_thousands.reindex(years)
        drawn.series[t(f"scope_{scope}", lang)] = list(s)
        # formatted here (app.numbers): d3's ",.0f" groups with a comma inside a Polish page
        fig.add_scatter(x=years, y=s, name=t(f"scope_{scope}", lang), mode="lines+markers",
                        connectgaps=False, line=dict(color=theme.SCOPE_COLOURS[scope]),
                        marker=dict(symbol={"total": "circle", "europe": "square", "eu": "diamond"}[scope]),
                        customdata=[label(v, lang) for v in s],
                        hovertemplate=f"%{{x}} · {t(f'scope_{scope}', lang)}: %{{customdata}} "
                                      f"{t('thousand_short', lang)}<extra></extra>")
    for n in notes[notes.kind == "underestimated"].itertuples():
        point = df[(df.scope == (n.scope or "total")) & (df.year == n.first_year)].emigrants_thousands
        if len(point):
            fig.add_annotation(x=n.first_year, y=float(point.iloc[0]), text=getattr(n, f"label_{lang}"),
                               showarrow=True, arrowhead=2, axref="x", ayref="y", ax=n.first_year,
                               ay=0.45 * float(point.iloc[0]), font=dict(size=12))  # below every line, clear of them
    for n in notes[notes.kind == "definition"].itertuples():
        if years[0] <= n.first_year <= years[-1]:
            colour = theme.SCOPE_COLOURS.get(n.scope, theme.SCOPE_COLOURS["eu"])
            fig.add_vline(x=n.first_year - 0.5, line=dict(color=colour, dash="dot", width=1.5))
            fig.add_annotation(x=n.first_year - 0.5, y=0, yref="paper", text=getattr(n, f"label_{lang}"),
                               showarrow=False, xanchor="left", yanchor="bottom", font=dict(size=11, color=colour))
    year_axis(fig, years)
    fig.update_xaxes(tickangle=-45)
    fig.update_yaxes(title=t("thousands_of_persons", lang), rangemode="tozero")
    alt = t("alt_emigration_totals", lang, first=years[0], last=years[-1])
    return frame(fig, title=t("title_emigration_totals", lang),
                 subtitle=f"{t('unit_emigration', lang)}, {years[0]}–{years[-1]}", source=source, lang=lang,
                 tpl=tpl, alt=alt, name=f"emigration_totals_{years[0]}-{years[-1]}", drawn=drawn)


def emigration_top_chart(df: pd.DataFrame, lang: str, *, n: int = 6, source: str, tpl: str = "light",
                         value: str = "emigrants_thousands", unit_key: str = "unit_emigration",
                         title_key: str = "title_emigration_top", name: str = "emigration_top",
                         step: int = 1) -> go.Figure:
    """The largest destinations by each one's latest figure, as lines; unpublished years are gaps.

    Latest figures can be of different years (GUS published no UK figure for 2020): a country whose latest
    figure is older than the last year carries that year in its name, so the ranking never hides it.
    """
    years = list(range(int(df.year.min()), int(df.year.max()) + 1, step))
    latest = df.dropna(subset=[value]).sort_values("year").groupby("iso3").tail(1).nlargest(n, value)
    fig = go.Figure()
    drawn = Drawn(t("year", lang), [str(y) for y in years])
    for i, row in enumerate(latest.itertuples()):
        s = df[df.iso3 == row.iso3].set_index("year")[value].reindex(years)
        drawn.series[row.label] = list(s)
        legend = row.label if row.year == years[-1] else t("latest_in", lang, name=row.label, year=int(row.year))
        fig.add_scatter(x=years, y=s, name=legend, mode="lines+markers", connectgaps=False,
                        line=dict(color=palette.style(i)["colour"], dash=palette.style(i)["dash"]),
                        marker=dict(symbol=palette.style(i)["symbol"]),
                        customdata=[label(v, lang) for v in s],  # rounded as the maps round it
                        hovertemplate=f"%{{x}} · {row.label}: %{{customdata}} {t('thousand_short', lang)}"
                                      "<extra></extra>")
    year_axis(fig, years)
    fig.update_xaxes(tickangle=-45)
    fig.update_yaxes(title=t("thousands_of_persons", lang), rangemode="tozero")
    alt = t("alt_emigration_top", lang, names=", ".join(latest.label))
    return frame(fig, title=t(title_key, lang, n=len(latest)),
                 subtitle=f"{t(unit_key, lang)}, {years[0]}–{years[-1]}; {t('ranked_latest', lang)}; "
                          f"{t('gaps_no_data', lang)}",
                 source=source, lang=lang, tpl=tpl, alt=alt, name=f"{name}_{years[0]}-{years[-1]}", drawn=drawn)
