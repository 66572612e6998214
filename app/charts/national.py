"""The national counts' figures as pure functions: (DataFrame, options) -> plotly Figure (framed by app/charts/frame.py)."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app import palette, theme
from app.charts.frame import RANKING_WRAP, WIDE_WRAP, fit_categories, frame, year_axis
from app.describe import Drawn
from app.i18n import fmt_int, fmt_pct, t

BOUND_REACH = 0.3  # KCIK's total published as a bound: an open-ended bar 30 % above it, "more than", never a value


def _end_labels(fig: go.Figure, ends: list, top: float) -> None:
    """The last values at the lines' ends, right of the point, moved apart where two would touch (ends: year, value,
    text, palette.style of each series)."""
    gap = 0.11 * top  # a label's height where the plot is 200 px high (presentation; a slide's, a page's are taller)
    placed: list[tuple[int, float]] = []
    for year, value, text, look in sorted(ends, key=lambda e: (e[0], e[1])):
        y = value
        for other_year, other_y in placed:
            if other_year == year and y - other_y < gap:
                y = other_y + gap
        placed.append((year, y))
        # the series' marker in its colour, then the value: two series ending at one value stay told apart
        fig.add_annotation(x=year, y=y, text=palette.GLYPHS[look["symbol"]], showarrow=False, xanchor="left",
                           xshift=8, name="end", font=dict(color=look["colour"], size=13))
        fig.add_annotation(x=year, y=y, text=text, showarrow=False, xanchor="left", xshift=24, name="end",
                           font=dict(color=palette.INK, size=13))


def victim_counts_chart(rows: pd.DataFrame, lang: str, *, labels: dict[str, str], title: str, subtitle: str,
                        source: str, note: str, alt: str, name: str, tpl: str = "light") -> go.Figure:
    """Every count of victims per year, one line each (`labels`: series -> name, in drawing order), never stacked
    or summed; a year without a figure is a gap. rows: indicator, year, value, qualifier, bound, shown, source_id.
    Each series its own colour, dash and marker, its last value written at the line's end (labels pushed apart so
    none covers another). A lower bound ('more than 1,000') never sets the axis: above it, it is an arrowhead at the
    top edge with its words; a suppressed small count ('<5') is written at the axis, never a bar or a point; where
    the sources of one series disagree, each value is a marker of its own."""
    years = list(range(int(rows.year.min()), int(rows.year.max()) + 1))
    exact = rows[rows.qualifier.isna()]
    above = rows[rows.qualifier == ">"]
    top = 1.2 * max([*exact.value.dropna()], default=1)  # the counts fill the plot; a bound beyond is at the edge
    fig = go.Figure()
    ends = []  # (year, value, text, colour) of each line's last point
    for i, (series, label) in enumerate(labels.items()):
        look = palette.style(i)
        colour = look["colour"]
        s = exact[exact.indicator == series]
        agree = s.groupby("year").value_as_published.transform("nunique") == 1
        one = s[agree].groupby("year").agg(value=("value", "first"), shown=("shown", "first"),
                                           source=("source_id", lambda x: ", ".join(sorted(set(x)))))
        values = [int(one.value[y]) if y in one.index else None for y in years]
        hover = [f"{y} · {label}: {one.shown[y]} ({one.source[y]})" if y in one.index else "" for y in years]
        if len(one):
            ends.append((int(one.index.max()), float(one.value.iloc[-1]), one.shown.iloc[-1], look))
        fig.add_scatter(x=years, y=values, name=label, mode="lines+markers", connectgaps=False,
                        line=dict(color=colour, width=2.5, dash=look["dash"]),
                        marker=dict(size=8, symbol=look["symbol"]), meta={"indicator": series}, customdata=hover,
                        hovertemplate="%{customdata}<extra></extra>")
        for r in s[~agree].itertuples():
            fig.add_scatter(x=[r.year], y=[r.value], mode="markers", showlegend=False, meta={"indicator": series},
                            name=f"{label} ({t('conflicting_sources', lang)})",
                            marker=dict(symbol="x", size=11, color=colour),
                            customdata=[f"{r.year} · {label}: {r.shown} ({r.source_id}; {t('conflicting_sources', lang)})"],
                            hovertemplate="%{customdata}<extra></extra>")
        for r in above[above.indicator == series].itertuples():
            said = [f"{r.year} · {label}: {r.shown} ({r.source_id})"]
            if r.bound < top:  # inside the plot: an open bar from the bound to the top edge, hatched, outlined
                fig.add_bar(x=[r.year], y=[top - r.bound], base=[r.bound], width=0.45, showlegend=False,
                            name=f"{label}: {r.shown}", meta={"indicator": series, "bound": ">"}, customdata=said,
                            marker=dict(color=palette.PAPER, line=dict(color=colour, width=1.5),
                                        pattern=dict(shape="/", fgcolor=colour)),
                            hovertemplate="%{customdata}<extra></extra>")
            # an arrowhead on the top edge, pointing up: more than the plot shows; its words below it
            fig.add_scatter(x=[r.year], y=[top], mode="markers+text", cliponaxis=False, showlegend=False,
                            name=f"{label}: {r.shown}", meta={"indicator": series, "bound": ">"},
                            marker=dict(symbol="triangle-up", size=14, color=colour), text=[r.shown],
                            textposition="bottom left", textfont=dict(color=palette.INK), customdata=said,
                            hovertemplate="%{customdata}<extra></extra>")
        for r in rows[(rows.indicator == series) & (rows.qualifier == "<")].itertuples():
            fig.add_annotation(x=r.year, y=0, text=r.shown, showarrow=False, yanchor="bottom",
                               font=dict(color=palette.INK), name="bound")
    _end_labels(fig, ends, top)
    year_axis(fig, years)
    fig.update_xaxes(range=[years[0] - 0.4, years[-1] + 1.1])  # room right of the last year for its labels
    fig.update_yaxes(title=t("persons", lang), range=[0, top])
    # presentation text is 1.5 times larger: the plot keeps its room under the taller legend and notes
    fig.update_layout(hovermode="closest", height=520 if tpl != "presentation" else 760, barmode="overlay",
                      legend_traceorder="normal")
    drawn = Drawn(t("year", lang), [str(y) for y in years])
    for series, label in labels.items():  # a count, both values where sources disagree, a bound as published
        cells = rows[rows.indicator == series].groupby("year").shown.apply(lambda v: " / ".join(dict.fromkeys(v)))
        counts = rows[(rows.indicator == series) & rows.qualifier.isna()].groupby("year").value
        exact = counts.nunique() == 1
        drawn.series[label] = [(int(counts.first()[y]) if exact.get(y, False) and y in cells.index
                                and cells[y] == rows[(rows.indicator == series) & (rows.year == y)].shown.iloc[0]
                                else cells[y]) if y in cells.index else None for y in years]
    # the series' long names wrap into about one row per two names on a laptop's full-width chart
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 note=note, wrap=WIDE_WRAP, legend_rows=(len(labels) + 1) // 2, drawn=drawn)


SPACING = 0.12  # between the profile's rows of panels: room for the years over each


def nice_step(peak: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten not above `peak` (1 for none)."""
    if not peak or peak != peak or peak < 1:
        return 1
    power = 10 ** math.floor(math.log10(peak))
    return max(m * power for m in (1, 2, 5) if m * power <= peak)


def profile_chart(rows: pd.DataFrame, lang: str, *, years: list[int], groups: list[str], labels: dict[str, str],
                  title: str, subtitle: str, source: str, note: str, alt: str, name: str,
                  tpl: str = "light") -> go.Figure:
    """Who the victims were: one row of panels per group (citizenship, age, type of exploitation), one column per
    year; horizontal bars of the counts (rows: group, year, breakdown, label, value, qualifier, shown). A value
    published as '<5' has no bar: it is written at the axis; a panel with no value says "no data". The own country's
    citizens come first. Tall enough, on the page and in an export, that every category is labelled."""
    present = [g for g in groups if (rows.group == g).any()]
    orders = {}
    for g in present:
        sub = rows[rows.group == g]
        first = sub[sub.breakdown == "polish"].label.unique().tolist()
        rest = sub[sub.breakdown != "polish"].groupby("label").value.max().fillna(-1).sort_values(ascending=False)
        orders[g] = first + [x for x in rest.index if x not in first]
    heights = [len(orders[g]) + 1.5 for g in present]
    fig = make_subplots(rows=len(present), cols=len(years), shared_yaxes=True, row_heights=heights,
                        horizontal_spacing=0.06, vertical_spacing=SPACING,
                        subplot_titles=[str(y) for g in present for y in years])
    # a row's group named once, as its first panel's axis title: "group, year" over every panel did not fit nine years
    for i, g in enumerate(present, 1):
        colour = palette.SERIES[(i - 1) % len(palette.SERIES)]
        peak = rows[rows.group == g].value.max()
        step = nice_step(peak)
        for j, y in enumerate(years, 1):
            sub = rows[(rows.group == g) & (rows.year == y)]
            if sub.empty:  # nothing published for the group that year: said, not an empty axis read as zero
                fig.add_annotation(text="<br>".join(t("no_data", lang).split(" ", 1)), xref="x domain",
                                   yref="y domain", x=0.5, y=0.5, showarrow=False, name="no_data",
                                   font=dict(color=theme.muted(tpl)), row=i, col=j)
            counts = sub[sub.qualifier.isna()]
            fig.add_bar(x=counts.value, y=counts.label, orientation="h", text=counts.shown, textposition="outside",
                        textfont=dict(size=9), cliponaxis=False, marker_color=colour, showlegend=False, name=f"{labels[g]} {y}",
                        meta={"group": g, "year": y}, customdata=[f"{y} · {lab}: {v}" for lab, v in
                                                                 zip(counts.label, counts.shown)],
                        hovertemplate="%{customdata}<extra></extra>", row=i, col=j)
            small = sub[sub.qualifier.notna()]
            if len(small):
                fig.add_scatter(x=[0] * len(small), y=small.label, mode="text", text=small.shown,
                                textposition="middle right", textfont=dict(size=9), showlegend=False, name=f"{labels[g]} {y} <",
                                meta={"group": g, "year": y, "bound": "<"},
                                customdata=[f"{y} · {lab}: {v}" for lab, v in zip(small.label, small.shown)],
                                hovertemplate="%{customdata}<extra></extra>", row=i, col=j)
            # one tick: nine panels side by side leave no room for two numbers in larger text (the bars start at 0)
            fig.update_xaxes(range=[0, 1.25 * peak], row=i, col=j, title=None, tickvals=[step],
                             ticktext=[fmt_int(step, lang)], tickangle=0)
        fig.update_yaxes(categoryorder="array", categoryarray=orders[g], autorange="reversed", title=labels[g],
                         row=i, col=1)
    fig.update_layout(height=int(300 + 30 * sum(heights)), bargap=0.25)
    # the table: one row per group and category, one column per year; '<5' as published, "no data" where absent
    keys = [(g, c) for g in present for c in orders[g]]
    cells = {(r.group, r.label, r.year): (int(r.value) if r.qualifier is None or pd.isna(r.qualifier) else r.shown)
             for r in rows.itertuples()}
    drawn = Drawn(t("col_category", lang), [f"{labels[g]}: {c}" for g, c in keys],
                  {str(y): [cells.get((g, c, y)) for g, c in keys] for y in years}, ordered=False,
                  main=str(years[-1]))
    fig = frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                note=note, wrap=WIDE_WRAP, drawn=drawn)
    # An export preset's height (720 px) leaves the categories closer than their labels are tall: app/export draws
    # the figure at the least height that labels every one (at a smaller scale, the PNG keeps its size); the page
    # draws it at least that tall too.
    return fit_categories(fig, sum(heights) / (1 - SPACING * (len(present) - 1)), tpl)


def kcik_chart(df: pd.DataFrame, lang: str, *, source: str, note: str, tpl: str = "light") -> go.Figure:
    """People assisted by KCIK per year (columns year, total, female, male, foreign, minors; NaN = not published):
    women and men stacked where both are published, the total elsewhere; foreign nationals and minors as
    markers where published. Every trace names its indicator in `meta`."""
    df = df.sort_values("year")
    meta = {"indicator": "kcik_assisted"}
    split = df.female.notna() & df.male.notna()
    fig = go.Figure()
    fig.add_bar(x=df.year[~split], y=df.total[~split], name=t("sex_not_published", lang), meta=meta,
                marker_color=palette.UNPUBLISHED, hovertemplate="%{x}: %{y}<extra></extra>")
    for col, colour in (("female", theme.GROUP_COLOURS["women"]), ("male", theme.GROUP_COLOURS["men"])):
        fig.add_bar(x=df.year[split], y=df[col][split], name=t(f"kcik_{col}", lang), marker_color=colour, meta=meta,
                    marker_line=theme.SEGMENT_LINE,
                    hovertemplate=f"%{{x}} · {t(f'kcik_{col}', lang)}: %{{y}}<extra></extra>")
    bounded = df.total_qualifier.notna() if "total_qualifier" in df else pd.Series(False, index=df.index)
    shown = [text if b else fmt_int(v, lang) for b, v, text in
             zip(bounded, df.total, df.get("total_shown", df.total))]
    fig.add_scatter(x=df.year[~bounded], y=df.total[~bounded], mode="text", text=[s for s, b in zip(shown, bounded)
                    if not b], meta=meta, textposition="top center", showlegend=False, hoverinfo="skip",
                    name=t("total", lang))
    for r in df[bounded].itertuples():  # a total published as a bound: drawn as one, as the counts of victims are
        low = r.total_bound if r.total_qualifier == ">" else 0
        if r.total_qualifier == ">":  # an open-ended bar from the bound: "more than", never a value
            fig.add_bar(x=[r.year], y=[r.total_bound * BOUND_REACH], base=[low], showlegend=False, meta=meta,
                        name=r.total_shown, marker=dict(color="rgba(0,0,0,0)", line=dict(color=palette.UNPUBLISHED, width=2)),
                        hovertemplate=f"%{{x}}: {r.total_shown}<extra></extra>")
        fig.add_scatter(x=[r.year], y=[low + (r.total_bound * BOUND_REACH if r.total_qualifier == ">" else 0)],
                        mode="text", text=[r.total_shown], textposition="top center", showlegend=False,
                        meta={**meta, "bound": r.total_qualifier}, name=r.total_shown, hoverinfo="skip")
    for col, key, symbol, colour in (("foreign", "kcik_foreign_nationals", "diamond", palette.SERIES[1]),
                                     ("minors", "kcik_minors", "circle", palette.SERIES[2])):
        have = df[df[col].notna()]
        fig.add_scatter(x=have.year, y=have[col], mode="markers+text", name=t(key, lang), meta=meta,
                        text=[fmt_int(v, lang) for v in have[col]], textposition="middle right",
                        marker=dict(symbol=symbol, size=12, color=colour, line=dict(color=palette.PAPER, width=1)),
                        hovertemplate=f"%{{x}} · {t(key, lang)}: %{{y}}<extra></extra>")
    # presentation text is 1.5 times larger: taller, so that the labels of one year stay apart
    fig.update_layout(barmode="stack", legend_traceorder="normal", height=None if tpl != "presentation" else 760)
    year_axis(fig, range(int(df.year.min()), int(df.year.max()) + 1))
    reach = [b * (1 + BOUND_REACH) for b in df.total_bound.dropna()] if "total_bound" in df else []
    fig.update_yaxes(title=t("persons", lang), rangemode="tozero", range=[0, 1.15 * max([*df.total.dropna(),
                                                                                        *reach, 1])])
    y0, y1 = int(df.year.min()), int(df.year.max())
    last = df.iloc[-1]
    alt = t("alt_national_kcik", lang, first=y0, last=y1, year=int(last.year), total=shown[-1],
            foreign=fmt_int(last.foreign, lang))
    totals = [text if b else v for b, v, text in zip(bounded, df.total, shown)]  # a bound as published
    drawn = Drawn(t("year", lang), [str(int(y)) for y in df.year], {t("total", lang): totals, **{
        t(key, lang): list(df[col]) for col, key in (("female", "kcik_female"), ("male", "kcik_male"),
                                                     ("foreign", "kcik_foreign_nationals"), ("minors", "kcik_minors"))}})
    return frame(fig, title=t("title_national_kcik", lang),
                 subtitle=f"{t('unit_kcik', lang)}, {y0}–{y1}; {t('missing_not_published', lang)}", source=source,
                 lang=lang, tpl=tpl, alt=alt, name=f"national_kcik_{y0}-{y1}", note=note, drawn=drawn)


def national_series_chart(df: pd.DataFrame, lang: str, *, labels: dict[str, str], conflicts: pd.DataFrame,
                          title: str, subtitle: str, source: str, note: str, alt: str, name: str,
                          tpl: str = "light") -> go.Figure:
    """Yearly series of several national indicators (columns indicator, year, value) on one time axis, one line
    each, labelled with what it counts (`labels`, in order); a year without a figure is a gap, never bridged.
    A figure whose sources disagree (`conflicts`: indicator, year, value, source_id) is not put on the line:
    each source's value is a marker of its own."""
    every = pd.concat([df.year, conflicts.year]).astype(int)
    years = list(range(int(every.min()), int(every.max()) + 1))
    fig = go.Figure()
    drawn = Drawn(t("year", lang), [str(y) for y in years])
    for i, (indicator, label) in enumerate(labels.items()):
        look = palette.style(i)
        colour = look["colour"]
        s = df[df.indicator == indicator].set_index("year").value.reindex(years)
        values = [None if pd.isna(v) else int(v) for v in s]
        disputed = conflicts[conflicts.indicator == indicator].groupby("year").value.apply(
            lambda v: " / ".join(fmt_int(x, lang) for x in v))  # both sources' values, as the markers draw them
        drawn.series[label] = [disputed.get(y, v) for y, v in zip(years, values)]
        shown = [j for j, v in enumerate(values) if v is not None]
        text = [fmt_int(v, lang) if shown and j == shown[-1] else "" for j, v in enumerate(values)]
        fig.add_scatter(x=years, y=values, name=label, mode="lines+markers+text", text=text, connectgaps=False,
                        textposition="top center", line=dict(color=colour, dash=look["dash"]),
                        marker=dict(symbol=look["symbol"]),
                        meta={"indicator": indicator}, customdata=[fmt_int(v, lang) for v in values],
                        hovertemplate=f"%{{x}} · {label}: %{{customdata}}<extra></extra>")
        c = conflicts[conflicts.indicator == indicator]
        if len(c):
            fig.add_scatter(x=list(c.year), y=list(c.value), mode="markers", showlegend=False,
                            name=f"{label} ({t('conflicting_sources', lang)})", meta={"indicator": indicator},
                            marker=dict(symbol="x", size=11, color=colour),
                            customdata=list(c.source_id),
                            hovertemplate=f"%{{x}} · {label}: %{{y}} (%{{customdata}})<extra></extra>")
    year_axis(fig, years)
    top = max([v for v in pd.concat([df.value, conflicts.value]) if pd.notna(v)], default=1)
    fig.update_yaxes(title=t("persons", lang), range=[0, 1.15 * top])  # room for the labels on the last points
    fig.update_layout(hovermode="closest", height=500)
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 note=note, drawn=drawn)


def exploitation_chart(df: pd.DataFrame, lang: str, *, mode: str, labels: dict[str, str], indicator: str,
                       title: str, subtitle: str, source: str, note: str, alt: str, name: str,
                       tpl: str = "light") -> go.Figure:
    """Stacked bars per year of the types of exploitation as each year's source lists them (columns year,
    category, value, qualifier, value_as_published, total); `labels` gives the order and the shown name of each
    category. A category a year does not list has no bar that year (not zero). Counts, or shares of the year's
    total (%). A cell published as a bound ('<5') has no bar and is written as published; its year has no total
    (NaN) and so no shares: the counts are written beside the bound ('31 + <5'), never summed with it."""
    years = sorted(int(y) for y in df.year.unique())
    totals = df.groupby("year").total.first().reindex(years)
    bounded = df[df.qualifier.notna()].groupby("year").value_as_published.apply(list)
    counted = df[df.qualifier.isna()].groupby("year").value.sum().reindex(years, fill_value=0)
    shown_totals = [fmt_int(v, lang) if y not in bounded.index else
                    " + ".join([fmt_int(counted[y], lang)] * bool(counted[y]) + bounded[y]) for y, v in totals.items()]
    fig = go.Figure()
    drawn = Drawn(t("year", lang), [str(y) for y in years],
                  {t("total", lang): [int(v) if y not in bounded.index else text
                                      for (y, v), text in zip(totals.items(), shown_totals)]},
                  decimals={} if mode == "count" else {label: 1 for label in labels.values()})
    for i, (category, label) in enumerate(labels.items()):
        cells = df[df.category == category].set_index("year").reindex(years)
        count = [None if pd.isna(v) else int(v) for v in cells.value]
        share = [None if c is None or pd.isna(tot) else 100 * c / tot for c, tot in zip(count, totals)]
        bound = [None if pd.isna(q) else text for q, text in zip(cells.qualifier, cells.value_as_published)]
        drawn.series[label] = [b or c for b, c in zip(bound, count)] if mode == "count" else share
        custom = [[b or (fmt_int(c, lang) if c is not None else ""), fmt_pct(p / 100, lang) if p is not None else ""]
                  for b, c, p in zip(bound, count, share)]
        fig.add_bar(x=years, y=count if mode == "count" else share, name=label, meta={"indicator": indicator},
                    marker_line=theme.SEGMENT_LINE, marker_pattern_shape=palette.style(i)["pattern"],
                    marker_color=palette.style(i)["colour"], customdata=custom,
                    hovertemplate=f"%{{x}} · {label}: %{{customdata[0]}} (%{{customdata[1]}})<extra></extra>")
    top = list(counted) if mode == "count" else [100.0 if y not in bounded.index else 0.0 for y in years]
    labels_top = shown_totals if mode == "count" else [f"n={v}" for v in shown_totals]
    fig.add_scatter(x=years, y=top, mode="text", text=labels_top, textposition="top center", showlegend=False,
                    name=t("total", lang), meta={"indicator": indicator}, hoverinfo="skip")
    year_axis(fig, years)
    fig.update_layout(barmode="stack", hovermode="closest", height=520, legend_traceorder="normal")
    fig.update_yaxes(title=t("persons", lang) if mode == "count" else t("share_pct", lang),
                     range=[0, 1.12 * max(top + [1])], ticksuffix="" if mode == "count" else "%")
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 note=note, drawn=drawn)


def categories_chart(df: pd.DataFrame, lang: str, *, indicator: str, title: str, subtitle: str, source: str,
                     note: str, alt: str, name: str, tpl: str = "light") -> go.Figure:
    """One year's categories (columns label, value) as labelled horizontal bars, largest on top."""
    df = df.sort_values(["value", "label"], ascending=[True, False])
    labels = ["<br>".join(textwrap.wrap(s, 38)) for s in df.label]
    # a cell published as a bound ('<5') has no bar and is written as published
    shown = [fmt_int(v, lang) if pd.isna(q) else text
             for v, q, text in zip(df.value, df.qualifier, df.value_as_published)]
    fig = go.Figure(go.Bar(x=df.value, y=labels, orientation="h", text=shown,
                           textposition="outside", cliponaxis=False, marker_color=theme.BAR,
                           meta={"indicator": indicator}, customdata=list(df.label),
                           hovertemplate="%{customdata}: %{x}<extra></extra>"))
    fig.update_xaxes(title=t("persons", lang), rangemode="tozero", range=[0, 1.15 * df.value.max()])
    fig.update_yaxes(title=None)
    fig.update_layout(showlegend=False, height=max(460, 40 * len(df) + 230))
    read = df.iloc[::-1]  # largest first, as read from the top
    drawn = Drawn(t("col_category", lang), list(read.label), {t("persons", lang): [
        int(v) if pd.isna(q) else text for v, q, text in zip(read.value, read.qualifier, read.value_as_published)]},
        ordered=False)
    fig = frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                note=note, wrap=RANKING_WRAP + 30, drawn=drawn)
    return fit_categories(fig, len(df), tpl, lines=max(label.count("<br>") + 1 for label in labels))


def justice_chart(cells: pd.DataFrame, lang: str, *, rows: dict[str, str], title: str, subtitle: str, source: str,
                  note: str, alt: str, name: str, tpl: str = "light") -> go.Figure:
    """A compact table as a figure: one row per indicator (`rows`: indicator -> label, top to bottom), one
    column per year (cells: indicator, year, state, text, hover); state 0 = nothing published ("no data"),
    1 = published, 2 = sources disagree (both values in the cell)."""
    years = list(range(int(cells.year.min()), int(cells.year.max()) + 1))
    grid = cells.set_index(["indicator", "year"])
    # The table: a number where one was published, the cell's text where sources disagree, "no data" elsewhere.
    drawn = Drawn(t("year", lang), [str(y) for y in years], {label: [
        (None if (ind, y) not in grid.index else grid.loc[(ind, y)].value if grid.loc[(ind, y)].state == 1
         else grid.loc[(ind, y)].text) for y in years] for ind, label in rows.items()})
    z, text, hover = [], [], []
    for indicator, label in rows.items():
        zr, tr, hr = [], [], []
        for y in years:
            if (indicator, y) in grid.index:
                cell = grid.loc[(indicator, y)]
                zr.append(int(cell.state)), tr.append(cell.text), hr.append(cell.hover)
            else:
                # "brak<br>danych": two short lines fit a narrow cell
                zr.append(0), tr.append("<br>".join(t("no_data", lang).split(" ", 1)))
                hr.append(f"{label}, {y}: {t('no_data', lang)}")
        z.append(zr), text.append(tr), hover.append(hr)
    cells = palette.JUSTICE_CELLS
    scale = [[0, cells[0]], [0.33, cells[0]], [0.33, cells[1]], [0.67, cells[1]], [0.67, cells[2]], [1, cells[2]]]
    fig = go.Figure(go.Heatmap(z=z, x=[str(y) for y in years], y=list(rows.values()), text=text, customdata=hover,
                               texttemplate="%{text}", textfont=dict(size=13), colorscale=scale, zmin=0, zmax=2,
                               showscale=False, xgap=3, ygap=3, meta={"indicators": list(rows)},
                               hovertemplate="%{customdata}<extra></extra>"))
    fig.update_xaxes(type="category", title=None, side="top", ticks="", showgrid=False)
    fig.update_yaxes(title=None, autorange="reversed", ticks="", showgrid=False)
    fig.update_layout(height=max(380, 46 * len(rows) + 200))
    # the notes start at the plot's left edge, right of the row names: shorter lines than a full-width chart's
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 note=note, wrap=WIDE_WRAP - 45, drawn=drawn)
