"""The Programme's charts: enrolments by group per year (stacked, counts or shares) and the yearly total."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app import theme
from app.charts.frame import NARROW_WRAP, frame, quote, year_axis
from app.describe import Drawn
from app.i18n import fmt_int, fmt_pct, t, tn
from etl.contract import CONTRACT

GROUPS = list(CONTRACT["programme_victims"].parts)  # the groups enrolments are published in


def victims_chart(df: pd.DataFrame, lang: str, mode: str = "count", *, source: str = "",
                  tpl: str = "light") -> go.Figure:
    """Stacked bars of enrolments by group per year, total on top; counts or shares (%)."""
    df = df.sort_values("year")
    fig = go.Figure()
    totals = df.total.to_numpy()
    for g in GROUPS:
        count = df[g].to_numpy()
        share = np.divide(count, totals, out=np.full(len(df), np.nan), where=totals > 0)
        # Both numbers formatted here (app.i18n): d3 would write "70.0%" inside a Polish page.
        custom = [[fmt_int(c, lang), fmt_pct(sh, lang, 1)] for c, sh in zip(count, share)]
        fig.add_bar(x=df.year, y=count if mode == "count" else share * 100, name=t(g, lang),
                    marker_color=theme.GROUP_COLOURS[g], customdata=custom, marker_line=theme.SEGMENT_LINE,
                    hovertemplate=f"%{{x}} · {t(g, lang)}: %{{customdata[0]}} (%{{customdata[1]}})"
                                  "<extra></extra>")
    top = totals if mode == "count" else np.full(len(df), 100.0)
    # In share mode the label says n=, so a count on top of a 100 % bar is not read as a percentage.
    labels = [fmt_int(v, lang) if mode == "count" else f"n={fmt_int(v, lang)}" for v in totals]
    fig.add_scatter(x=df.year, y=top, mode="text", text=labels,
                    textposition="top center", name=t("total", lang), showlegend=False,
                    customdata=[fmt_int(v, lang) for v in totals],
                    hovertemplate=f"%{{x}} · {t('total', lang)}: %{{customdata}}<extra></extra>")
    noted = df[df.note.notna()]
    note = ""
    year_axis(fig, df.year, set(noted.year))
    fig.update_layout(barmode="stack", hovermode="closest", legend_traceorder="normal")
    fig.update_yaxes(title=t("persons", lang) if mode == "count" else t("share_pct", lang),
                     range=[0, 1.1 * totals.max()] if mode == "count" else [0, 112],
                     ticksuffix="" if mode == "count" else "%")
    if len(noted):
        notes = "; ".join(f"{r.year}*: {t('published_as', lang)} {quote(r.note.split(': ', 1)[-1], lang)}"
                          for r in noted.itertuples())
        note = notes
    y0, y1 = int(df.year.min()), int(df.year.max())
    unit = t("unit_persons", lang) if mode == "count" else t("unit_share", lang)
    alt = tn("alt_victims", "total", lang, first=y0, last=y1, total=fmt_int(int(totals.sum()), lang),
            peak=int(df.loc[df.total.idxmax(), "year"]), peak_n=int(totals.max()))
    series = {t("total", lang): list(df.total)}
    for g in GROUPS:  # what the bars draw: counts, or shares of the year's total in %
        series[t(g, lang) + ("" if mode == "count" else " (%)")] = [
            c if mode == "count" else (100 * c / tot if tot else None) for c, tot in zip(df[g], df.total)]
    drawn = Drawn(t("year", lang), [str(y) for y in df.year], series,
                  decimals=0 if mode == "count" else {k: 1 for k in series if k != t("total", lang)})
    return frame(fig, title=t("title_victims", lang), subtitle=f"{unit}, {y0}–{y1}", source=source,
                 lang=lang, tpl=tpl, alt=alt, name=f"victims_{mode}_{y0}-{y1}", note=note, drawn=drawn)


def total_trend_chart(df: pd.DataFrame, lang: str, *, source: str, tpl: str = "light") -> go.Figure:
    """A small bar chart of the yearly total enrolments (overview page)."""
    df = df.sort_values("year")
    fig = go.Figure(go.Bar(x=df.year, y=df.total, text=[fmt_int(v, lang) for v in df.total],
                           textposition="outside", marker_color=theme.GROUP_COLOURS["men"], cliponaxis=False,
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    year_axis(fig, df.year, set(df[df.note.notna()].year))
    fig.update_yaxes(title=t("persons", lang), rangemode="tozero")
    fig.update_layout(height=420, showlegend=False)
    y0, y1 = int(df.year.min()), int(df.year.max())
    alt = tn("alt_victims", "total", lang, first=y0, last=y1, total=fmt_int(int(df.total.sum()), lang),
            peak=int(df.loc[df.total.idxmax(), "year"]), peak_n=int(df.total.max()))
    drawn = Drawn(t("year", lang), [str(y) for y in df.year], {t("total", lang): list(df.total)})
    return frame(fig, title=t("title_total_trend", lang), subtitle=f"{t('unit_persons', lang)}, {y0}–{y1}",
                 source=source, lang=lang, tpl=tpl, alt=alt, name=f"victims_total_{y0}-{y1}", wrap=NARROW_WRAP,
                 drawn=drawn)


def victims_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The numbers behind the victims chart: each group's count with its share, and the published notes."""
    out = pd.DataFrame({t("year", lang): df.year.astype(str), t("total", lang): df.total})
    for g in GROUPS:  # "14 (70,0 %)": one column per group keeps the table narrow enough for presenting
        out[t(g, lang)] = [f"{fmt_int(c, lang)}\u00a0({fmt_pct(c / tot if tot else None, lang, 1)})"
                           for c, tot in zip(df[g], df.total)]
    out[t("note", lang)] = df.note.fillna("").str.split(": ", n=1).str[-1]
    return out
