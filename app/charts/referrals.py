"""The referrals' charts: a ranking of voivodeships, the voivodeship x year grid, one voivodeship's years, the fact
sheet's two panels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app import palette, theme
from app.charts.frame import RANKING_WRAP, fit_categories, frame, sequential_scale, year_axis
from app.describe import Drawn
from app.i18n import fmt_int, fmt_num, t
from app.numbers import label

def ranking_chart(df: pd.DataFrame, lang: str, *, value: str, title: str, subtitle: str, source: str,
                  decimals: int = 0, tpl: str = "light", name: str = "", note: str = "") -> go.Figure:
    """Horizontal bars of one value per voivodeship, largest on top, with the value (or the caller's
    `text`) as a label; places without a value at the bottom, labelled "no data" (never leading)."""
    # The first row is the bottom bar: missing values first, so they end up below every value.
    df = df.sort_values([value, "label"], ascending=[True, False], na_position="first")
    text = list(df["text"]) if "text" in df else [
        fmt_num(v, lang, decimals) if pd.notna(v) else t("no_data", lang) for v in df[value]]
    fig = go.Figure(go.Bar(x=df[value], y=df.label, orientation="h", text=text, textposition="outside",
                           marker_color=theme.SEQUENTIAL[5], cliponaxis=False,
                           hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_layout(showlegend=False, height=max(420, 28 * len(df) + 170))
    fig.update_xaxes(title=None, rangemode="tozero")
    fig.update_yaxes(title=None)
    have = [i for i, v in enumerate(df[value]) if pd.notna(v)]
    alt = t("alt_ranking", lang, first=df.label.iloc[have[-1]], value=text[have[-1]]) if have else ""
    ranked = df.iloc[::-1]  # top to bottom, as read
    series = {subtitle.split(",")[0]: list(ranked[value])}
    if "rate_referrals" in ranked:  # the count beside a rate, as the labels give it
        series[t("referrals", lang)] = list(ranked.rate_referrals)
    drawn = Drawn(t("voivodeship", lang), list(ranked.label), series, ordered=False,
                  decimals={k: (decimals if i == 0 else 0) for i, k in enumerate(series)})
    return fit_categories(frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt,
                                name=name, wrap=RANKING_WRAP, note=note, drawn=drawn), len(df), tpl)


def heatmap_chart(df: pd.DataFrame, lang: str, *, source: str, tpl: str = "light", note: str = "") -> go.Figure:
    """Voivodeship x year grid of referrals; zero is white, every cell carries its number."""
    wide = df.pivot(index="label", columns="year", values="referrals")
    wide = wide.loc[wide.sum(axis=1).sort_values(ascending=True).index]  # largest total on top
    zmax = max(1, float(np.nanmax(wide.to_numpy())))
    fig = go.Figure(go.Heatmap(
        z=wide.to_numpy(), x=[str(c) for c in wide.columns], y=list(wide.index),
        colorscale=sequential_scale(), zmin=0, zmax=zmax, xgap=2, ygap=2,
        texttemplate="%{z}", textfont=dict(size=13), hoverongaps=False,
        colorbar=dict(title=dict(text=t("referrals", lang)), thickness=14),
        hovertemplate="%{y}, %{x}: %{z}<extra></extra>"))
    fig.update_layout(height=max(480, 26 * len(wide) + 190), plot_bgcolor=theme.NO_DATA)
    fig.update_xaxes(type="category", title=None, side="bottom")
    fig.update_yaxes(title=None)
    y0, y1 = int(df.year.min()), int(df.year.max())
    table = wide.iloc[::-1]  # top to bottom, as read
    drawn = Drawn(t("voivodeship", lang), list(table.index), {str(c): list(table[c]) for c in table.columns},
                  ordered=False, main=str(table.columns[-1]))
    fig = frame(fig, title=t("title_heatmap", lang), subtitle=f"{t('unit_referrals', lang)}, {y0}–{y1}",
                source=source, lang=lang, tpl=tpl, alt=t("alt_heatmap", lang, first=y0, last=y1),
                name=f"referrals_heatmap_{y0}-{y1}", note=note, drawn=drawn)
    return fit_categories(fig, len(wide), tpl)


def series_chart(df: pd.DataFrame, lang: str, *, value: str, label: str, title: str, subtitle: str,
                 source: str, decimals: int = 0, tpl: str = "light", name: str = "", note: str = "") -> go.Figure:
    """One voivodeship's yearly values as labelled bars (the caller's `text` and `hover` if given)."""
    df = df.sort_values("year")
    text = list(df["text"]) if "text" in df else [fmt_num(v, lang, decimals) for v in df[value]]
    hover = list(df["hover"]) if "hover" in df else text
    fig = go.Figure(go.Bar(x=df.year, y=df[value], text=text, textposition="outside", customdata=hover,
                           marker_color=theme.BAR, cliponaxis=False,
                           hovertemplate="%{x} · %{customdata}<extra></extra>"))
    year_axis(fig, df.year)
    fig.update_yaxes(title=label, rangemode="tozero")
    fig.update_layout(showlegend=False)
    # "in all" is a count: a sum of yearly rates means nothing
    total = fmt_int(df["referrals"].sum(), lang) if "referrals" in df else fmt_num(df[value].sum(), lang, decimals)
    alt = t("alt_series", lang, name=title, total=total)
    series = {label: list(df[value])}
    if value != "referrals" and "referrals" in df:  # a rate's count, as the hover gives it
        series[t("referrals", lang)] = list(df.referrals)
    drawn = Drawn(t("year", lang), [str(y) for y in df.year], series,
                  decimals={k: (decimals if i == 0 else 0) for i, k in enumerate(series)})
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 note=note, drawn=drawn)


FACTSHEET_WRAP = 150  # the fact sheet's chart is drawn wide (app.factsheet.CHART_SIZE): longer source lines fit


def factsheet_chart(df: pd.DataFrame, national: pd.DataFrame, lang: str, *, region: str, title: str, subtitle: str,
                    source: str, note: str = "", name: str = "", tpl: str = "light") -> go.Figure:
    """A fact sheet's chart: one voivodeship's referrals per year (left, labelled) and its rate per million
    inhabitants as bars beside the national rate as a line (right; the sheet's table gives each rate). df: year,
    referrals, per_million; national: year, per_million. A missing value is no bar and '–', never 0."""

    df = df.sort_values("year")
    national = national.sort_values("year")
    years = [int(y) for y in df.year]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.07,
                        subplot_titles=[t("fs_panel_count", lang), t("fs_panel_rate", lang, region=region)])
    fig.add_bar(x=years, y=df.referrals, text=[label(v, lang) for v in df.referrals], textposition="outside",
                cliponaxis=False, marker_color=theme.BAR, name=t("referrals", lang),
                hovertemplate="%{x}: %{text}<extra></extra>", row=1, col=1)
    fig.add_bar(x=years, y=df.per_million, marker_color=theme.BAR_LIGHT, name=region,
                customdata=[label(v, lang, 1) for v in df.per_million],
                hovertemplate="%{x}: %{customdata}<extra></extra>", row=1, col=2)
    fig.add_scatter(x=[int(y) for y in national.year], y=national.per_million, mode="lines+markers",
                    name=t("fs_poland", lang), line=dict(color=palette.INK, width=2.5), marker=dict(size=7),
                    customdata=[label(v, lang, 1) for v in national.per_million],
                    hovertemplate=f"%{{x}} · {t('fs_poland', lang)}: %{{customdata}}<extra></extra>", row=1, col=2)
    year_axis(fig, years)
    top_count = np.nanmax([1, *df.referrals.astype(float)])
    top_rate = np.nanmax([0.1, *df.per_million.astype(float), *national.per_million.astype(float)])
    fig.update_yaxes(range=[0, 1.18 * top_count], dtick=1 if top_count <= 5 else None, row=1, col=1)  # whole counts
    fig.update_yaxes(range=[0, 1.1 * top_rate], row=1, col=2)
    fig.update_layout(bargap=0.25, showlegend=False, margin_t=100)
    alt = t("alt_series", lang, name=title, total=fmt_int(df.referrals.sum(), lang))
    rate = t("fs_panel_rate", lang, region=region)
    national_rate = national.set_index("year").per_million.reindex(years)
    series = {t("referrals", lang): list(df.referrals), rate: list(df.per_million),
              t("fs_poland", lang): list(national_rate)}
    drawn = Drawn(t("year", lang), [str(y) for y in years], series,
                  decimals={t("referrals", lang): 0, rate: 1, t("fs_poland", lang): 1})
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 note=note, wrap=FACTSHEET_WRAP, drawn=drawn)
