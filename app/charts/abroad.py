"""Drawing Polish citizens detected abroad: a Europe map whose "<5" is a class of its own (a colour outside the count
scale and the label "<5" on the country), a trend whose "<5" is the interval 1-4, and bars of rates whose bounds
are hatched."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import maps, palette, theme
from app.charts.frame import fit_categories, frame
from app.describe import Drawn
from app.i18n import fmt_num, t
from app.numbers import in_class, label

RANK_TICK = 12  # px: the European ranking's country names, smaller than the template's to keep 40 rows short

SMALL = "<5"
BOUNDS = [(5, 20), (20, 50), (50, 100), (100, None)]  # counts of Polish victims


def _class_label(i: int) -> str:
    lo, hi = BOUNDS[i]
    return f"{lo}+" if hi is None else f"{lo}–{hi - 1}"


def _layer(fig, fc, d: pd.DataFrame, colour: str, name: str, hover: list[str]) -> None:
    if d.empty:
        fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="markers", name=name,
                                    marker=dict(symbol="square", size=12, color=colour,
                                                line=dict(color=palette.BORDER, width=1))))
        return
    fig.add_trace(go.Choropleth(geojson=maps.subset(fc, d.iso3), locations=d.iso3, z=[1] * len(d),
                                featureidkey="id", customdata=hover, colorscale=[[0, colour], [1, colour]],
                                showscale=False, name=name, showlegend=True,
                                marker_line=dict(color=palette.BORDER, width=0.6),
                                hovertemplate="%{customdata}<extra></extra>"))


def abroad_map(df: pd.DataFrame, lang: str, *, title: str, subtitle: str, source: str, note: str,
               tpl: str = "light", name: str = "") -> go.Figure:
    # Count classes, "<5", none listed, and grey "no data" where no breakdown by citizenship was reported.
    """Europe by Polish victims as published (df: iso3, label, value, small, cls, text)."""
    fc = maps.europe()
    drawn_ids = {f["id"] for f in fc["features"]}
    here = df[df.iso3.isin(drawn_ids)]
    fig = go.Figure()
    fig.add_trace(maps._no_data(fc, sorted(drawn_ids - set(here.iso3) - {"POL"}), lang))
    fig.add_trace(go.Choropleth(geojson=maps.subset(fc, ["POL"]), locations=["POL"], z=[0], featureidkey="id",
                                colorscale=[[0, palette.PAPER], [1, palette.PAPER]], showscale=False,
                                name=t("origin_poland", lang),
                                marker_line=dict(color=palette.INK, width=1.2),
                                hovertemplate=t("origin_poland", lang) + "<extra></extra>"))
    hover = lambda d: [f"{lab}: {txt if txt != '–' else t('none_listed', lang)}"  # noqa: E731
                       for lab, txt in zip(d.label, d.text)]
    counted = here[here.cls == "count"]
    cls = pd.Series([in_class(v, BOUNDS) for v in counted.value], index=counted.index, dtype=object)
    for i in range(len(BOUNDS)):
        d = counted[cls == i]
        _layer(fig, fc, d, theme.CLASS_COLOURS[i], _class_label(i), hover(d))
    for key, colour, label_ in ((SMALL, palette.SMALL, SMALL), ("none", palette.NONE, t("none_listed", lang))):
        d = here[here.cls == key]
        _layer(fig, fc, d, colour, label_, hover(d))
    labelled = here[here.cls != "none"].rename(columns={"iso3": "id"})
    # on the map, the count alone or "<5" (the whole period's "<5" years are in the hover and the table)
    labelled["text"] = [label(v, lang) if c == "count" else SMALL for c, v in zip(labelled.cls, labelled.value)]
    dark = pd.Series([c == "count" and in_class(v, BOUNDS) >= 2 for c, v in zip(labelled.cls, labelled.value)],
                     index=labelled.index)
    fig.add_trace(maps._labels(labelled, "value", "europe", lang, 0, dark=dark))
    maps._view_geos(fig, "europe")
    fig.update_layout(height=700, margin=dict(l=10, r=10),
                      legend=dict(title=dict(text=t("legend_polish_victims", lang)), orientation="v", x=0.0, y=0.98,
                                  yanchor="top", bgcolor="rgba(255,255,255,0.85)"))
    top = df[df.cls == "count"].nlargest(1, "value")
    alt = t("alt_map", lang, title=title, top=top.label.iloc[0] if len(top) else "–",
            value=top.text.iloc[0] if len(top) else "–")
    # the description reads the counts; the table shows each cell as published ("<5" never becomes a number)
    column = t("col_polish_victims", lang)
    values = [int(v) if c == "count" else (SMALL if c == SMALL and n == 1 else t("none_listed", lang) if c == "none"
                                            else x) for c, v, n, x in zip(df.cls, df.value, df.small, df.text)]
    drawn = Drawn(t("country", lang), list(df.label), {column: values}, ordered=False,
                  shown={column: [x if c == "count" and n else None for c, n, x in zip(df.cls, df.small, df.text)]})
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 note=note, drawn=drawn)


def trend(rows: pd.DataFrame, main: list[str], years: list[int], lang: str, reported: set, *, title: str,
          subtitle: str, source: str, note: str, tpl: str = "light") -> go.Figure:
    # A "<5" year is a bar from 1 to 4, and the line breaks there (it is not a point of the line).
    """One line per country over the years (rows: iso3, label, year, value, value_as_published)."""
    fig = go.Figure()
    series = {}
    for i, iso3 in enumerate(main):
        d = rows[rows.iso3 == iso3].set_index("year")
        name = d.label.iloc[0]
        look = palette.style(i)  # a colour, and a dash and marker of its own: more countries than colours
        colour = look["colour"]
        y = [d.value.get(yr) if yr in d.index and pd.notna(d.value.get(yr)) else None for yr in years]
        fig.add_trace(go.Scatter(x=years, y=y, mode="lines+markers", name=name,
                                 line=dict(color=colour, dash=look["dash"]), marker=dict(symbol=look["symbol"]),
                                 legendgroup=iso3, connectgaps=False,
                                 hovertemplate=f"{name}, %{{x}}: %{{y}}<extra></extra>"))
        small = [yr for yr in years if yr in d.index and d.value_as_published.get(yr) == SMALL]
        if small:
            # the interval's shape says "<5" (the subtitle names it, the hover writes it): a text over it was crossed
            # by the other countries' lines near zero
            fig.add_trace(go.Scatter(x=small, y=[2.5] * len(small), mode="markers",
                                     legendgroup=iso3, showlegend=False, name=name,
                                     marker=dict(symbol="line-ew-open", color=colour, size=10),
                                     error_y=dict(type="constant", value=1.5, color=colour, thickness=2, width=0),
                                     hovertemplate=f"{name}, %{{x}}: {SMALL}<extra></extra>"))
        # the table: as published, "no Poles listed" where the country gave citizenships, else no data (None)
        series[name] = [(SMALL if d.value_as_published[yr] == SMALL else int(d.value[yr])) if yr in d.index else
                        (t("none_listed", lang) if (iso3, yr) in reported else None) for yr in years]
    fig.update_layout(height=520, yaxis=dict(title=t("persons", lang), rangemode="tozero"),
                      xaxis=dict(dtick=1, tickangle=-45), legend=dict(orientation="h", y=1.02, yanchor="bottom"))
    alt = t("alt_abroad_trend", lang, names=", ".join(series))
    drawn = Drawn(t("year", lang), [str(y) for y in years], series)
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt,
                 name="abroad_trend", note=note, drawn=drawn)


def _bars(labels: list[str], values: list, bounds: list, colours: list[str], lang: str) -> list[go.Bar]:
    """Measured rates as plain bars, bounds ("<5" victims) as hatched bars labelled '<x'."""
    measured = [v if v is not None and not pd.isna(v) else None for v in values]
    bounded = [b if m is None and b is not None and not pd.isna(b) else None for m, b in zip(measured, bounds)]
    return [go.Bar(y=labels, x=measured, orientation="h", marker=dict(color=colours), name=t("rate", lang),
                   text=[label(v, lang, 2) if v is not None else "" for v in measured], textposition="outside",
                   hovertemplate="%{y}: %{text}<extra></extra>", showlegend=False),
            go.Bar(y=labels, x=bounded, orientation="h", name=t("rate_from_small", lang),
                   marker=dict(color=colours, pattern=palette.HATCH),
                   text=["<" + fmt_num(b, lang, 2) if b is not None else "" for b in bounded],
                   textposition="outside", hovertemplate="%{y}: %{text}<extra></extra>",
                   showlegend=any(b is not None for b in bounded))]


def rates(df: pd.DataFrame, lang: str, *, title: str, subtitle: str, source: str, note: str, axis: str,
          tpl: str = "light", name: str = "") -> go.Figure:
    """Polish victims per 100,000 Poles living there, one bar a country (df: label, rate, bound, text, persons)."""
    df = df.iloc[::-1]
    fig = go.Figure(_bars(list(df.label), list(df.rate), list(df.bound), [theme.BAR] * len(df), lang))
    # room right of the longest bar for its label: plotly.js's range leaves none for a label outside a bar
    reach = max([*df.rate.dropna(), *df.bound.dropna()], default=1)
    fig.update_layout(barmode="overlay", height=max(320, 60 + 34 * len(df)),
                      xaxis=dict(title=axis, range=[0, 1.2 * reach]), yaxis=dict(dtick=1),
                      legend=dict(orientation="h", y=1.0, yanchor="bottom"))
    top = df.iloc[::-1].head(1)
    alt = t("alt_abroad_rates", lang, title=title, top=top.label.iloc[0] if len(top) else "–")
    listed = df.iloc[::-1]
    drawn = Drawn(t("country", lang), list(listed.label), {
        axis: [r if r is not None and not pd.isna(r) else (f"<{fmt_num(b, lang, 2)}" if b is not None and
                                                           not pd.isna(b) else None)
               for r, b in zip(listed.rate, listed.bound)],
        t("col_polish_victims", lang): list(listed.text), t("col_poles_living", lang): list(listed.persons)},
        ordered=False, decimals={axis: 2})
    fig = frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                note=note, drawn=drawn)
    return fit_categories(fig, len(df), tpl)


def ranking(rows: pd.DataFrame, lang: str, *, title: str, subtitle: str, source: str, note: str, axis: str,
            tpl: str = "light", name: str = "") -> go.Figure:
    # Poland highlighted; the countries that did not report named in the note as "no data".
    """European countries per 100,000 inhabitants (rows: iso3, label, per_100k, rate_bound, rank, ...)."""
    shown = rows[rows.per_100k.notna() | rows.rate_bound.notna()].iloc[::-1]
    silent = rows[rows.per_100k.isna() & rows.rate_bound.isna()]
    colours = [palette.HIGHLIGHT if i == "POL" else theme.BAR_LIGHT for i in shown.iso3]
    labels = [f"{lab} ({int(r)})" if pd.notna(r) else lab for lab, r in zip(shown.label, shown["rank"])]
    fig = go.Figure(_bars(labels, list(shown.per_100k), list(shown.rate_bound), colours, lang))
    fig.update_layout(barmode="overlay", height=max(360, 80 + 24 * len(shown)), xaxis=dict(title=axis),
                      legend=dict(orientation="h", y=1.0, yanchor="bottom"),
                      yaxis=dict(dtick=1, tickfont=dict(size=RANK_TICK)))
    note = note + " " + t("no_data_countries", lang, names=", ".join(sorted(silent.label)) or "–")
    listed = shown.iloc[::-1]
    drawn = Drawn(t("country", lang), list(listed.label), {
        axis: [r if pd.notna(r) else f"<{fmt_num(b, lang, 2)}" for r, b in zip(listed.per_100k, listed.rate_bound)],
        t("col_rank", lang): [int(r) if pd.notna(r) else None for r in listed["rank"]],
        t("col_published", lang): list(listed.value_as_published)}, ordered=False, decimals={axis: 2})
    fig = frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl,
                alt=t("alt_europe_rank", lang, title=title, said=subtitle), name=name, note=note, drawn=drawn)
    return fit_categories(fig, len(shown), tpl, size=RANK_TICK)
