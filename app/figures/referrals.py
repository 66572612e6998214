"""Referrals by voivodeship: the map of a year or a range, its ranking, one voivodeship's years, the maps of every
year, the grid, and the fact sheet's chart; each with the notes it must carry (mismatches, rates without population)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import charts, data, maps, numbers
from app.cache import cached
from app.figures.common import labelled
from app.i18n import fmt_int, t, tn
from app.numbers import period


def _referrals_view(lang: str, first: int, last: int, metric: str, span: tuple[int, int] | None = None):
    """value column, decimals, unit, subtitle and source of a referrals figure."""
    rate = metric == "rate"
    unit = ((t("unit_rate", lang) if first == last or span else t("unit_rate_range", lang)) if rate
            else t("unit_referrals", lang))
    a, b = span or (first, last)
    subtitle = f"{unit}, {period(a, b)}"
    if rate:  # a range across a break of the population series compares unlike denominators
        for n in data.series_notes("population", "break").itertuples():
            if a <= n.first_year and n.last_year <= b:
                subtitle += f"; {getattr(n, f'label_{lang}')}"
    source = referrals_source(lang, a, b, rate)
    return ("per_million", 1) if rate else ("referrals", 0), unit, subtitle, source


def referrals_source(lang: str, first: int, last: int, rate: bool) -> str:
    """The source line of referrals of [first, last] (and of the population behind a rate): every source of
    the rows drawn, an update's included."""
    source = data.cite("programme_referrals", data.source_ids("programme_referrals", first, last), lang)
    if rate:
        source += "; " + data.cite("population", data.source_ids("population", first, last), lang)
    return source


def _shown(df: pd.DataFrame, value: str, decimals: int, lang: str) -> pd.DataFrame:
    """Each row's label and hover as shown (one rounding rule); a rate carries its count, and a rate on
    fewer than SMALL_COUNT referrals is marked, as noise."""
    df = df.copy()
    if value == "referrals":
        df["text"] = [numbers.label(v, lang, 0) for v in df.referrals]
        df["hover"] = [f"{lab}: {txt}" for lab, txt in zip(df.label, df.text)]
        return df
    counted = df["rate_referrals"] if "rate_referrals" in df else df.referrals  # the referrals the rate rests on
    mark = [numbers.small(n) for n in counted]
    df["text"] = [numbers.label(v, lang, decimals) + ("*" if m and pd.notna(v) else "")
                  for v, m in zip(df[value], mark)]
    df["hover"] = [f"{lab}: " + (t("no_data", lang) if pd.isna(v) else
                                 f"{txt} {t('colorbar_rate', lang)} ({tn('n_referrals', 'n', lang, n=fmt_int(n, lang))})")
                   for lab, v, txt, n in zip(df.label, df[value], df.text, counted)]
    return df


def referral_mismatches(lang: str, first: int | None = None, last: int | None = None) -> list[str]:
    """A sentence for each year (in [first, last]) whose referrals do not add up to its enrolments, as the build's
    checks found them (data_quality): the captions, the figures' notes and the fact sheets all say it so."""
    return [tn("referrals_mismatch", "expected", lang, year=r.year, expected=r.expected, actual=r.actual)
            for r in data.referral_gaps().itertuples()
            if (first is None or first <= r.year) and (last is None or r.year <= last)]


def _notes(lang: str, first: int, last: int, df: pd.DataFrame | None = None, rate: bool = False) -> str:
    """The notes a referrals figure over [first, last] must carry inside it, so an exported image has them:
    each year whose referrals do not add up to its enrolments (from data_quality), years without population
    (no rate), and the small-count mark."""
    notes = referral_mismatches(lang, first, last)
    missing = data.population_gaps(first, last) if rate else []
    if missing:
        notes.append(t("rate_without_population", lang, years=", ".join(map(str, missing))))
    if df is not None and "text" in df and df.text.str.endswith("*").any():
        notes.append(tn("small_count_note", "n", lang, n=numbers.SMALL_COUNT))
    return " ".join(notes)


def _colorbar(metric: str, lang: str) -> str:
    """A short colour-bar title (the subtitle carries the full unit)."""
    return t("colorbar_rate", lang) if metric == "rate" else t("referrals", lang)


# The small multiples drawn at first: two rows of maps. More years wait behind "show all", so a long series
# does not make every visit to the Referrals page draw a map per year (bench/, the "grown" run).
MULTIPLES_AT_FIRST = 2 * maps.MULTIPLES_COLUMNS


def referral_years() -> list[int]:
    """The years of the referrals table."""
    return sorted(int(y) for y in data.referrals_by_year().year.unique())


@cached
def referrals_map(lang: str, tpl: str = "light", first: int | None = None, last: int | None = None,
                  metric: str = "count", height: int = 560, wrap: int = charts.SOURCE_WRAP) -> go.Figure:
    """Choropleth of referrals (or the rate) for one year or summed over a range (default: latest year)."""
    first = first or referral_years()[-1]
    last = last or first
    (value, decimals), unit, subtitle, source = _referrals_view(lang, first, last, metric)
    df = _shown(labelled(data.referrals_in_range(first, last), lang), value, decimals, lang)
    return maps.referrals_map(df, lang, value=value, decimals=decimals, colorbar=_colorbar(metric, lang), height=height,
                              title=t("title_referrals_map", lang), subtitle=subtitle, source=source, tpl=tpl,
                              name=f"referrals_map_{metric}_{period(first, last, '-')}", wrap=wrap,
                              note=_notes(lang, first, last, df, rate=metric == "rate"))


@cached
def overview_map(lang: str, tpl: str = "light") -> go.Figure:
    """The overview's small map: referrals summed over every year."""
    years = referral_years()
    return referrals_map(lang, tpl, years[0], years[-1], height=420, wrap=charts.NARROW_WRAP)


@cached
def rate_map(lang: str, tpl: str = "light") -> go.Figure:
    """The referral rate per million over every year in the database (the slides' rate map)."""
    years = referral_years()
    return referrals_map(lang, tpl, years[0], years[-1], metric="rate")


@cached
def referrals_ranking(lang: str, tpl: str = "light", first: int | None = None, last: int | None = None,
                      metric: str = "count") -> go.Figure:
    """Voivodeships ranked by referrals (or the rate) for one year or a range (default: latest year)."""
    first = first or referral_years()[-1]
    last = last or first
    (value, decimals), _unit, subtitle, source = _referrals_view(lang, first, last, metric)
    df = _shown(labelled(data.referrals_in_range(first, last), lang), value, decimals, lang)
    if value != "referrals":  # the count beside the rate: a high rate on 2 referrals is not a pattern
        df["text"] = [f"{txt} ({fmt_int(n, lang)})" if pd.notna(v) else t("no_data", lang)
                      for txt, n, v in zip(df.text, df.rate_referrals, df[value])]
    return charts.ranking_chart(df, lang, value=value, decimals=decimals, title=t("title_referrals_ranking", lang),
                                subtitle=subtitle, source=source, tpl=tpl,
                                name=f"referrals_ranking_{metric}_{period(first, last, '-')}",
                                note=_notes(lang, first, last, df, rate=metric == "rate"))


@cached
def referrals_series(lang: str, teryt: str, tpl: str = "light", metric: str = "count") -> go.Figure:
    """One voivodeship's referrals (or rate) per year."""
    rows = labelled(data.referrals_by_year(), lang)
    years = (int(rows.year.min()), int(rows.year.max()))
    (value, decimals), unit, subtitle, source = _referrals_view(lang, *years, metric, span=years)
    one = _shown(rows[rows.id == teryt], value, decimals, lang)
    return charts.series_chart(one, lang, value=value, decimals=decimals, label=unit,
                               title=t("title_referrals_series", lang, name=one.label.iloc[0]),
                               subtitle=subtitle, source=source, tpl=tpl, name=f"referrals_{teryt}_{metric}",
                               note=_notes(lang, *years, one, rate=metric == "rate"))


@cached
def referrals_by_year(lang: str, tpl: str = "light", metric: str = "count", latest: int | None = None) -> go.Figure:
    """One map per year on one colour scale (small multiples); `latest` keeps only the last years."""
    rows = labelled(data.referrals_by_year(), lang)
    if latest:
        rows = rows[rows.year.isin(sorted(rows.year.unique())[-latest:])]
    years = (int(rows.year.min()), int(rows.year.max()))
    (value, decimals), unit, subtitle, source = _referrals_view(lang, *years, metric, span=years)
    rows = _shown(rows, value, decimals, lang)
    return maps.small_multiples(rows, lang, value=value, decimals=decimals, colorbar=_colorbar(metric, lang),
                                title=t("title_small_multiples", lang), subtitle=subtitle, source=source, tpl=tpl,
                                name=f"referrals_maps_by_year_{metric}" + (f"_{period(*years, '-')}" if latest else ""),
                                note=_notes(lang, *years, rows, rate=metric == "rate"))


@cached
def referrals_heatmap(lang: str, tpl: str = "light") -> go.Figure:
    """Voivodeship x year grid of referrals."""
    rows = labelled(data.referrals_by_year(), lang)
    first, last = int(rows.year.min()), int(rows.year.max())
    return charts.heatmap_chart(rows, lang, source=referrals_source(lang, first, last, rate=False), tpl=tpl,
                                note=_notes(lang, first, last))


@cached
def factsheet_chart(lang: str, teryt: str, tpl: str = "light") -> go.Figure:
    """A voivodeship fact sheet's chart (app.factsheet): its referrals per year over every year in the database, and
    its rate per million beside the national rate."""
    rows = labelled(data.referrals_by_year(), lang)
    years = (int(rows.year.min()), int(rows.year.max()))
    one = rows[rows.id == teryt]
    notes = [_notes(lang, *years, rate=True)]
    if any(numbers.small(n) for n in one.referrals):
        notes.append(tn("fs_small_counts", "n", lang, n=numbers.SMALL_COUNT))
    source = referrals_source(lang, *years, rate=True)
    name = one.label.iloc[0]
    return charts.factsheet_chart(one, data.national_referrals(), lang, region=name, tpl=tpl,
                                  title=t("title_referrals_series", lang, name=name),
                                  subtitle=t("fs_chart_subtitle", lang, period=period(*years)), source=source,
                                  note=" ".join(n for n in notes if n), name=f"factsheet_chart_{teryt}")
