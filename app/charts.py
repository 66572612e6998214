"""Figures as pure functions: (DataFrame, options) -> plotly Figure, with title, subtitle and source inside."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app import describe, theme
from app.describe import Drawn
from app.safe_text import escape, escape_figure
from etl.contract import CONTRACT
from app.i18n import fmt_int, fmt_num, fmt_pct, t, tn
from app import numbers
from app.numbers import label

GROUPS = list(CONTRACT["programme_victims"].parts)  # the groups enrolments are published in
SOURCE_WRAP = 80  # characters per source line: fits a 3/5-width chart on a 1366 px screen (95 was cut)
WIDE_WRAP = 140  # a chart the page draws full width
# An annotation starts at the plot area's left edge: half-width overview charts, and a ranking whose
# long labels push the plot area right, need shorter lines or the source runs off the figure.
NARROW_WRAP = 55
RANKING_WRAP = 34


def separators(lang: str) -> str:
    """plotly's decimal and thousands separators: Polish '1 234,5', English '1,234.5'."""
    return ", " if lang == "pl" else ".,"


def frame(fig: go.Figure, *, title: str, subtitle: str, source: str, lang: str, tpl: str = "light",
          alt: str = "", name: str = "", note: str = "", wrap: int = SOURCE_WRAP, legend_rows: int = 1,
          drawn: Drawn | None = None) -> go.Figure:
    """Give a figure our template, its title, subtitle (unit, period), source and note lines (of at most
    `wrap` characters), alt text, and the text alternative of the numbers it draws (description and table).
    Every text of the figure is escaped for plotly here (app/safe_text.py)."""
    escape_figure(fig)
    fig.update_layout(
        template=theme.template(tpl), separators=separators(lang),
        title=dict(text=escape(title), subtitle=dict(text=escape(subtitle))),
        meta={"alt": alt, "name": name, "title": title, "source": source, "lang": lang,
              "description": describe.description(drawn, lang) if drawn else "",
              "table": describe.table(drawn, lang) if drawn else None},
    )
    base = fig.layout.template.layout
    size = base.font.size
    if legend_rows > 1:  # a legend that wraps on a laptop grows upwards: room for it below the subtitle
        fig.update_layout(margin_t=base.margin.t + (legend_rows - 1) * math.ceil(1.4 * base.legend.font.size))
    # An annotation does not wrap by itself and a half-width chart is narrow: wrap by hand.
    lines = textwrap.wrap(f"{t('source', lang)}: {source}", wrap) if source else []
    notes = textwrap.wrap(note, wrap) if note else []
    # plotly sets annotation lines about 1.3 em apart; the template's bottom margin holds the first source line.
    source_lh, note_lh = math.ceil(1.3 * (size - 3)), math.ceil(1.3 * (size - 2))  # pixels
    extra = max(0, source_lh * (len(lines) - 1) + note_lh * len(notes) + (4 if notes else 0))
    margin_b = (fig.layout.margin.b or base.margin.b) + extra
    fig.update_layout(margin_b=margin_b)
    if fig.layout.height:  # the notes take room of their own below the plot, not from it
        fig.update_layout(height=fig.layout.height + extra)
    # Both lines are anchored to the bottom edge in pixels, so they stay inside an image of any size.
    bottom = dict(xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom", showarrow=False,
                  align="left")
    if lines:
        fig.add_annotation(text="<br>".join(map(escape, lines)), yshift=-margin_b + 6, name="source",
                           font=dict(size=size - 3, color=theme.muted(tpl)), **bottom)
    if notes:
        fig.add_annotation(text="<br>".join(map(escape, notes)), yshift=-margin_b + 10 + source_lh * len(lines),
                           name="note", font=dict(size=size - 2, color=base.font.color), **bottom)
    return fig


def quote(text: str, lang: str) -> str:
    """Quotation marks of the language: „…” in Polish, '…' in English."""
    return f"„{text}”" if lang == "pl" else f"'{text}'"


def _year_axis(fig: go.Figure, years, marked: set[int] = frozenset()) -> None:
    """Integer year ticks (never '2 006'); years with a published note get an asterisk."""
    years = list(years)
    fig.update_xaxes(tickmode="array", tickvals=years,
                     ticktext=[f"{y}*" if y in marked else str(y) for y in years], title=None)


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
    _year_axis(fig, df.year, set(noted.year))
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
    _year_axis(fig, df.year, set(df[df.note.notna()].year))
    fig.update_yaxes(title=t("persons", lang), rangemode="tozero")
    fig.update_layout(height=420, showlegend=False)
    y0, y1 = int(df.year.min()), int(df.year.max())
    alt = tn("alt_victims", "total", lang, first=y0, last=y1, total=fmt_int(int(df.total.sum()), lang),
            peak=int(df.loc[df.total.idxmax(), "year"]), peak_n=int(df.total.max()))
    drawn = Drawn(t("year", lang), [str(y) for y in df.year], {t("total", lang): list(df.total)})
    return frame(fig, title=t("title_total_trend", lang), subtitle=f"{t('unit_persons', lang)}, {y0}–{y1}",
                 source=source, lang=lang, tpl=tpl, alt=alt, name=f"victims_total_{y0}-{y1}", wrap=NARROW_WRAP,
                 drawn=drawn)


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
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 wrap=RANKING_WRAP, note=note, drawn=drawn)


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
    return frame(fig, title=t("title_heatmap", lang), subtitle=f"{t('unit_referrals', lang)}, {y0}–{y1}",
                 source=source, lang=lang, tpl=tpl, alt=t("alt_heatmap", lang, first=y0, last=y1),
                 name=f"referrals_heatmap_{y0}-{y1}", note=note, drawn=drawn)


def series_chart(df: pd.DataFrame, lang: str, *, value: str, label: str, title: str, subtitle: str,
                 source: str, decimals: int = 0, tpl: str = "light", name: str = "", note: str = "") -> go.Figure:
    """One voivodeship's yearly values as labelled bars (the caller's `text` and `hover` if given)."""
    df = df.sort_values("year")
    text = list(df["text"]) if "text" in df else [fmt_num(v, lang, decimals) for v in df[value]]
    hover = list(df["hover"]) if "hover" in df else text
    fig = go.Figure(go.Bar(x=df.year, y=df[value], text=text, textposition="outside", customdata=hover,
                           marker_color=theme.BAR, cliponaxis=False,
                           hovertemplate="%{x} · %{customdata}<extra></extra>"))
    _year_axis(fig, df.year)
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
    from plotly.subplots import make_subplots

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
                    name=t("fs_poland", lang), line=dict(color="#1f2328", width=2.5), marker=dict(size=7),
                    customdata=[label(v, lang, 1) for v in national.per_million],
                    hovertemplate=f"%{{x}} · {t('fs_poland', lang)}: %{{customdata}}<extra></extra>", row=1, col=2)
    _year_axis(fig, years)
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


def sequential_scale(zero: str = theme.ZERO) -> list:
    """Sequential colour scale whose zero is white and whose smallest positive value is already blue."""
    steps = theme.SEQUENTIAL
    scale = [[0.0, zero], [1e-9, steps[0]]]
    scale += [[i / (len(steps) - 1), c] for i, c in enumerate(steps) if i > 0]
    return scale


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
                               showarrow=True, arrowhead=2, ax=40, ay=50, font=dict(size=12))
    for n in notes[notes.kind == "definition"].itertuples():
        if years[0] <= n.first_year <= years[-1]:
            colour = theme.SCOPE_COLOURS.get(n.scope, theme.SCOPE_COLOURS["eu"])
            fig.add_vline(x=n.first_year - 0.5, line=dict(color=colour, dash="dot", width=1.5))
            fig.add_annotation(x=n.first_year - 0.5, y=0, yref="paper", text=getattr(n, f"label_{lang}"),
                               showarrow=False, xanchor="left", yanchor="bottom", font=dict(size=11, color=colour))
    _year_axis(fig, years)
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
                        line=dict(color=theme.OKABE_ITO[i % len(theme.OKABE_ITO)]),
                        customdata=[label(v, lang) for v in s],  # rounded as the maps round it
                        hovertemplate=f"%{{x}} · {row.label}: %{{customdata}} {t('thousand_short', lang)}"
                                      "<extra></extra>")
    _year_axis(fig, years)
    fig.update_xaxes(tickangle=-45)
    fig.update_yaxes(title=t("thousands_of_persons", lang), rangemode="tozero")
    alt = t("alt_emigration_top", lang, names=", ".join(latest.label))
    return frame(fig, title=t(title_key, lang, n=len(latest)),
                 subtitle=f"{t(unit_key, lang)}, {years[0]}–{years[-1]}; {t('ranked_latest', lang)}; "
                          f"{t('gaps_no_data', lang)}",
                 source=source, lang=lang, tpl=tpl, alt=alt, name=f"{name}_{years[0]}-{years[-1]}", drawn=drawn)


def victims_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The numbers behind the victims chart: each group's count with its share, and the published notes."""
    out = pd.DataFrame({t("year", lang): df.year.astype(str), t("total", lang): df.total})
    for g in GROUPS:  # "14 (70,0 %)": one column per group keeps the table narrow enough for presenting
        out[t(g, lang)] = [f"{fmt_int(c, lang)}\u00a0({fmt_pct(c / tot if tot else None, lang, 1)})"
                           for c, tot in zip(df[g], df.total)]
    out[t("note", lang)] = df.note.fillna("").str.split(": ", n=1).str[-1]
    return out


def text_figure(lines: list[str], lang: str, *, title: str, subtitle: str, source: str, tpl: str = "light",
                name: str = "") -> go.Figure:
    """A slide of short statements (bullets), drawn as a figure so it exports like the others."""
    fig = go.Figure()
    wrapped = ["<br>   ".join(textwrap.wrap(line, 80)) for line in lines]
    fig.add_annotation(text="<br><br>".join(f"•  {w}" for w in wrapped), xref="paper", yref="paper", x=0, y=1,
                       xanchor="left", yanchor="top", align="left", showarrow=False, font=dict(size=19))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=560)
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl,
                 alt=" ".join(lines), name=name)


def survey_chart(df: pd.DataFrame, lang: str, *, source: str, period: str, tpl: str = "light") -> go.Figure:
    """The four quoted survey shares as labelled horizontal bars, with the statement as the label."""
    df = df.iloc[::-1]  # first statement on top
    labels = ["<br>".join(textwrap.wrap(s, 42)) for s in df[f"statement_{lang}"]]
    fig = go.Figure(go.Bar(x=df.share_pct, y=labels, orientation="h", text=[fmt_pct(v / 100, lang) for v in df.share_pct],
                           textposition="outside", cliponaxis=False, marker_color=theme.BAR,
                           customdata=df.published, hovertemplate="%{y}: %{x}% (%{customdata})<extra></extra>"))
    fig.update_xaxes(range=[0, 100], ticksuffix="%", title=t("share_respondents", lang))
    fig.update_yaxes(title=None)
    fig.update_layout(showlegend=False, height=480)
    alt = t("alt_survey", lang, first=fmt_pct(df.share_pct.iloc[-1] / 100, lang), period=period)
    read = df.iloc[::-1]  # top to bottom
    drawn = Drawn(t("col_category", lang), list(read[f"statement_{lang}"]), {t("share_respondents", lang): list(read.share_pct)},
                  ordered=False)
    return frame(fig, title=t("title_survey", lang, period=period), subtitle=tn("subtitle_survey", "n", lang, n=len(df)),
                 source=source, lang=lang, tpl=tpl, alt=alt, name="context_survey", note=t("note_survey", lang),
                 drawn=drawn)


def prevention_chart(df: pd.DataFrame, lang: str, *, source: str, period: str, tpl: str = "light") -> go.Figure:
    """Reach of each counted activity (people or items), with the number of events in the label."""
    df = df[df.reach.notna()].sort_values("reach")
    labels = list(df[f"label_{lang}"])
    text = []
    for r in df.itertuples():
        value = ("~" if r.approx else "") + fmt_int(r.reach, lang)
        text.append(value + (f" ({tn('events_n', 'n', lang, n=fmt_int(r.events, lang))})" if pd.notna(r.events) else ""))
    colours = [theme.BAR_LIGHT if k == "materials" else theme.BAR for k in df.kind]
    fig = go.Figure(go.Bar(x=df.reach, y=labels, orientation="h", text=text, textposition="outside", cliponaxis=False,
                           marker_color=colours, hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_xaxes(title=t("reach", lang), range=[0, 1.3 * df.reach.max()])
    fig.update_yaxes(title=None)
    fig.update_layout(showlegend=False, height=560)
    alt = t("alt_prevention", lang, period=period)
    read = df.iloc[::-1]
    drawn = Drawn(t("col_category", lang), list(read[f"label_{lang}"]),
                  {t("reach", lang): list(read.reach), t("col_events", lang): list(read.events)}, ordered=False)
    return frame(fig, title=t("title_prevention", lang, period=period), subtitle=t("subtitle_prevention", lang),
                 source=source, lang=lang, tpl=tpl, alt=alt, name="context_prevention", note=t("note_prevention", lang),
                 drawn=drawn)


def timeline_chart(df: pd.DataFrame, lang: str, *, source: str, tpl: str = "light") -> go.Figure:
    """The project's period and dated events on a time axis; its targets in the note line."""
    events = df[df.kind == "event"].sort_values("start", ascending=False)
    period = df[df.kind == "period"]
    fig = go.Figure()
    for r in period.itertuples():
        fig.add_vrect(x0=r.start, x1=r.end, fillcolor=theme.SEQUENTIAL[0], opacity=0.5, line_width=0,
                      annotation=dict(text=getattr(r, f"label_{lang}"), font=dict(size=12)),
                      annotation_position="top left")
    labels = [getattr(r, f"label_{lang}") for r in events.itertuples()]
    for r, label in zip(events.itertuples(), labels):
        fig.add_scatter(x=[r.start, r.end], y=[label, label], mode="lines+markers", showlegend=False,
                        line=dict(color=theme.BAR, width=6), marker=dict(size=9, color=theme.BAR),
                        hovertemplate=f"{label}: {r.start:%Y-%m-%d} – {r.end:%Y-%m-%d}<extra></extra>")
    span = pd.concat([df.start, df.end]).dropna()
    fig.update_xaxes(type="date", title=None, tickformat="%Y-%m",
                     range=[span.min() - pd.Timedelta(days=60), span.max() + pd.Timedelta(days=60)])
    fig.update_yaxes(title=None, categoryorder="array", categoryarray=labels)
    fig.update_layout(height=max(460, 30 * len(events) + 220))
    targets = df[df.kind == "target"]
    note = t("targets", lang) + ": " + "; ".join(getattr(r, f"label_{lang}") for r in targets.itertuples())
    alt = tn("alt_timeline", "n", lang, n=len(events))
    dates = lambda col: [f"{d:%Y-%m-%d}" if pd.notna(d) else None for d in col]  # noqa: E731
    drawn = Drawn(t("col_category", lang), list(reversed(labels)), {
        t("col_start", lang): dates(events.start[::-1]), t("col_end", lang): dates(events.end[::-1])}, ordered=False)
    years = lambda dates: numbers.period(int(dates.dt.year.min()), int(dates.dt.year.max()))  # noqa: E731
    whole = pd.concat([period.start, period.end]).dropna()
    dated = pd.concat([events.start, events.end]).dropna()
    return frame(fig, title=t("title_timeline", lang, period=years(whole)),
                 subtitle=t("subtitle_timeline", lang, years=years(dated)), source=source,
                 lang=lang, tpl=tpl, alt=alt, name=f"context_iom_project_{years(whole).replace('–', '-')}", note=note,
                 drawn=drawn)

