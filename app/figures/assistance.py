"""Assistance given to victims: KCIK by sex, foreign nationals and minors, its types of exploitation, and the yearly
counts of the indicators of topic 'assistance' (referrals to care)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import data
from app.cache import cached
from app.charts import national as charts
from app.figures.indicators import (ASSISTANCE, EXPLOITATION, KCIK, category_label, indicator_label, national_source,
                                    not_programme, series, split_conflicts, who_is_counted)
from app.i18n import fmt_int, t
from app.numbers import period

@cached
def national_assistance(lang: str, tpl: str = "light") -> go.Figure:
    """The yearly counts of assistance given (indicators of topic 'assistance'), one line each, gaps as gaps."""
    rows = series(ASSISTANCE)
    single, conflicts = split_conflicts(rows)
    names = list(dict.fromkeys(rows.indicator))
    first, last = int(rows.year.min()), int(rows.year.max())
    return charts.national_series_chart(
        single, lang, labels={n: indicator_label(n, lang) for n in names}, conflicts=conflicts,
        title=t("title_national_assistance", lang),
        subtitle=t("subtitle_national", lang, unit=t("persons_per_year", lang), period=period(first, last)),
        source=national_source(rows), note=f"{who_is_counted(names, lang)} {not_programme(lang)}",
        alt=t("alt_national_assistance", lang, first=first, last=last), name=f"national_assistance_{first}-{last}",
        tpl=tpl)


def kcik_breakdowns() -> pd.DataFrame:
    """KCIK per year: total, female, male, foreign, minors as published (NaN where not published or a bound), and
    the total's qualifier, bound and published text ('total_qualifier', 'total_bound', 'total_shown') for a year
    whose total is published as a bound: that year is kept and drawn as a bound."""
    rows = data.national(KCIK)
    single, _ = split_conflicts(rows[~rows.breakdown.str.startswith(EXPLOITATION)])
    wide = single.pivot(index="year", columns="breakdown", values="value")
    wide = wide.reindex(columns=["total", "female", "male", "foreign", "minors"])
    totals = single[single.breakdown == "total"].set_index("year")
    wide["total_qualifier"] = totals.qualifier.reindex(wide.index)
    wide["total_bound"] = totals.bound.reindex(wide.index)
    wide["total_shown"] = totals.value_as_published.reindex(wide.index)
    return wide[wide.total.notna() | wide.total_qualifier.notna()].reset_index()


@cached
def national_kcik(lang: str, tpl: str = "light") -> go.Figure:
    """KCIK assistance per year with the breakdowns by sex, foreign nationals and minors where published."""
    rows = data.national(KCIK)
    drawn = rows[~rows.breakdown.str.startswith(EXPLOITATION)]
    return charts.kcik_chart(kcik_breakdowns(), lang, source=national_source(drawn),
                             note=f"{who_is_counted([KCIK], lang)} {not_programme(lang)}", tpl=tpl)


def exploitation_years() -> tuple[list[int], list[int]]:
    """(the years KCIK's types of exploitation are given in the latest year's grouping or a finer one that
    contains it; the other years, whose categories are their source's own and are shown apart)."""
    rows = data.national(KCIK)
    rows = rows[rows.breakdown.str.startswith(EXPLOITATION)]
    sets = rows.groupby("year").breakdown.apply(set).sort_index()
    if sets.empty:
        return [], []
    latest = sets.iloc[-1]
    grouped = [int(y) for y, cats in sets.items() if latest <= cats]
    return grouped, [int(y) for y in sets.index if int(y) not in grouped]


def exploitation_rows(years: list[int]) -> pd.DataFrame:
    """KCIK's cases by form of exploitation in `years`, as the exploitation figures draw them."""
    rows = data.national(KCIK)
    rows = rows[rows.breakdown.str.startswith(EXPLOITATION) & rows.year.isin(years)].copy()
    rows["category"] = rows.breakdown.str.removeprefix(EXPLOITATION)
    # A year's total is the sum of its cells only when every one is a count: a cell published as a bound ('<5') is
    # never summed, as 0 or as anything, so that year has no total and no shares (as the national counts' rule).
    exact = rows.qualifier.isna().groupby(rows.year).transform("all")
    rows["total"] = rows.groupby("year").value.transform("sum").where(exact)
    return rows


@cached
def national_exploitation(lang: str, tpl: str = "light", mode: str = "count") -> go.Figure:
    """KCIK's types of exploitation per year, for the years the source groups them alike (counts or shares)."""
    grouped, apart = exploitation_years()
    rows = exploitation_rows(grouped)
    latest = rows[rows.year == max(grouped)].sort_values("value", ascending=False).category.tolist()
    others = rows[~rows.category.isin(latest)].groupby("category").value.sum().sort_values(ascending=False)
    order = latest + list(others.index)
    span = period(min(grouped), max(grouped))
    note = t("note_exploitation", lang)
    if apart:
        note += " " + t("note_exploitation_apart", lang, years=", ".join(map(str, apart)))
    note += f" {who_is_counted([KCIK], lang)} {not_programme(lang)}"
    unit = t("persons_per_year", lang) if mode == "count" else t("unit_share_of_year", lang)
    return charts.exploitation_chart(
        rows, lang, mode=mode, labels={c: category_label(c, lang) for c in order}, indicator=KCIK,
        title=t("title_exploitation", lang, period=span), subtitle=f"{unit}, {span}",
        source=national_source(rows), note=note, alt=t("alt_exploitation", lang, period=span), tpl=tpl,
        name=f"national_kcik_exploitation_{mode}_{period(min(grouped), max(grouped), '-')}")


def published_sum(rows: pd.DataFrame, lang: str) -> str:
    """The total of cells as a reader may add them: the sum of the counts, and each bound written beside it as
    published ('31 + <5'), never counted as a number."""
    exact = rows[rows.qualifier.isna()].value
    return " + ".join([fmt_int(int(exact.sum()), lang)] * (len(exact) > 0)
                      + list(rows[rows.qualifier.notna()].value_as_published))


@cached
def national_exploitation_apart(lang: str, tpl: str = "light") -> go.Figure:
    """The years whose types of exploitation are finer than the later grouping, each category on its own."""
    grouped, apart = exploitation_years()
    rows = exploitation_rows(apart)
    rows["label"] = [category_label(c, lang) if len(apart) == 1 else f"{y}: {category_label(c, lang)}"
                     for y, c in zip(rows.year, rows.category)]
    years = ", ".join(map(str, apart))
    later = period(min(grouped), max(grouped)) if grouped else ""
    return charts.categories_chart(
        rows, lang, indicator=KCIK, title=t("title_exploitation_apart", lang, years=years),
        subtitle=t("subtitle_exploitation_apart", lang, total=published_sum(rows, lang)),
        source=national_source(rows), note=" ".join([t("note_exploitation_finer", lang, later=later),
                                                     who_is_counted([KCIK], lang), not_programme(lang)]),
        alt=t("alt_exploitation_apart", lang, years=years), tpl=tpl,
        name=f"national_kcik_exploitation_{'_'.join(map(str, apart))}")
