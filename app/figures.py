"""Every figure of the dashboard for a given view: data from app.data, drawing from app.charts/app.maps.

Pages call these with the user's choices; the PNG batch export and the slides call them with the
default views listed in CATALOGUE, so a figure looks the same wherever it is made.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from app import charts, data, maps, numbers
from app.i18n import TEXT, fmt_int, t

FIGURE_CACHE = 64  # figures kept (each up to ~1 MB): the default views of every page in 3 templates and 2 languages


def cached(make: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """Build a figure once per database build and view, shared by every session: callers must not change it.

    Pages rerun on every click, and rebuilding their figures took 80-90 ms a run (bench/); a rebuild of the
    database gives a new build path, so nothing stale is ever served.
    """
    @functools.lru_cache(maxsize=FIGURE_CACHE)
    def build(_build, *args, **kwargs) -> go.Figure:
        return make(*args, **kwargs)

    @functools.wraps(make)
    def figure(*args, **kwargs) -> go.Figure:
        return build(data.build_path(), *args, **kwargs)

    return figure


def _period(first: int, last: int, sep: str = "–") -> str:
    return str(first) if first == last else f"{first}{sep}{last}"


def _labelled(df, lang: str):
    df["label"] = df[f"name_{lang}"]
    return df


@cached
def victims(lang: str, tpl: str = "light", first: int | None = None, last: int | None = None,
            mode: str = "count") -> go.Figure:
    """Enrolments by group per year (counts or shares) over [first, last]."""
    v = data.victims()
    first, last = first or int(v.year.min()), last or int(v.year.max())
    return charts.victims_chart(v[v.year.between(first, last)], lang, mode,
                                source=data.citation("programme_victims", lang), tpl=tpl)


@cached
def total_trend(lang: str, tpl: str = "light") -> go.Figure:
    """The small yearly total of the overview."""
    return charts.total_trend_chart(data.victims(), lang, source=data.citation("programme_victims", lang), tpl=tpl)


def _referrals_view(lang: str, first: int, last: int, metric: str, span: tuple[int, int] | None = None):
    """value column, decimals, unit, subtitle and source of a referrals figure."""
    rate = metric == "rate"
    unit = t("unit_rate" if first == last or span else "unit_rate_range", lang) if rate else t("unit_referrals", lang)
    a, b = span or (first, last)
    subtitle = f"{unit}, {_period(a, b)}"
    if rate:  # a range across a break of the population series compares unlike denominators
        for n in data.series_notes("population", "break").itertuples():
            if a <= n.first_year and n.last_year <= b:
                subtitle += f"; {getattr(n, f'label_{lang}')}"
    source = data.citation("programme_referrals", lang)
    if rate:
        source += "; " + data.citation("population", lang)
    return ("per_million", 1) if rate else ("referrals", 0), unit, subtitle, source


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
                                 f"{txt} {t('colorbar_rate', lang)} ({t('n_referrals', lang, n=fmt_int(n, lang))})")
                   for lab, v, txt, n in zip(df.label, df[value], df.text, counted)]
    return df


def _notes(lang: str, first: int, last: int, df: pd.DataFrame | None = None, rate: bool = False) -> str:
    """The notes a referrals figure over [first, last] must carry inside it, so an exported image has them:
    each year whose referrals do not add up to its enrolments (from data_quality), years without population
    (no rate), and the small-count mark."""
    gaps = data.referral_gaps()
    notes = [t("referrals_mismatch", lang, year=r.year, expected=r.expected, actual=r.actual)
             for r in gaps.itertuples() if first <= r.year <= last]
    missing = data.population_gaps(first, last) if rate else []
    if missing:
        notes.append(t("rate_without_population", lang, years=", ".join(map(str, missing))))
    if df is not None and "text" in df and df.text.str.endswith("*").any():
        notes.append(t("small_count_note", lang, n=numbers.SMALL_COUNT))
    return " ".join(notes)


def _colorbar(metric: str, lang: str) -> str:
    """A short colour-bar title (the subtitle carries the full unit)."""
    return t("colorbar_rate" if metric == "rate" else "referrals", lang)


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
    df = _shown(_labelled(data.referrals_in_range(first, last), lang), value, decimals, lang)
    return maps.referrals_map(df, lang, value=value, decimals=decimals, colorbar=_colorbar(metric, lang), height=height,
                              title=t("title_referrals_map", lang), subtitle=subtitle, source=source, tpl=tpl,
                              name=f"referrals_map_{metric}_{_period(first, last, '-')}", wrap=wrap,
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
    df = _shown(_labelled(data.referrals_in_range(first, last), lang), value, decimals, lang)
    if value != "referrals":  # the count beside the rate: a high rate on 2 referrals is not a pattern
        df["text"] = [f"{txt} ({fmt_int(n, lang)})" if pd.notna(v) else t("no_data", lang)
                      for txt, n, v in zip(df.text, df.rate_referrals, df[value])]
    return charts.ranking_chart(df, lang, value=value, decimals=decimals, title=t("title_referrals_ranking", lang),
                                subtitle=subtitle, source=source, tpl=tpl,
                                name=f"referrals_ranking_{metric}_{_period(first, last, '-')}",
                                note=_notes(lang, first, last, df, rate=metric == "rate"))


@cached
def referrals_series(lang: str, teryt: str, tpl: str = "light", metric: str = "count") -> go.Figure:
    """One voivodeship's referrals (or rate) per year."""
    rows = _labelled(data.referrals_by_year(), lang)
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
    rows = _labelled(data.referrals_by_year(), lang)
    if latest:
        rows = rows[rows.year.isin(sorted(rows.year.unique())[-latest:])]
    years = (int(rows.year.min()), int(rows.year.max()))
    (value, decimals), unit, subtitle, source = _referrals_view(lang, *years, metric, span=years)
    rows = _shown(rows, value, decimals, lang)
    return maps.small_multiples(rows, lang, value=value, decimals=decimals, colorbar=_colorbar(metric, lang),
                                title=t("title_small_multiples", lang), subtitle=subtitle, source=source, tpl=tpl,
                                name=f"referrals_maps_by_year_{metric}" + (f"_{_period(*years, '-')}" if latest else ""),
                                note=_notes(lang, *years, rows, rate=metric == "rate"))


@cached
def referrals_heatmap(lang: str, tpl: str = "light") -> go.Figure:
    """Voivodeship x year grid of referrals."""
    rows = _labelled(data.referrals_by_year(), lang)
    return charts.heatmap_chart(rows, lang, source=data.citation("programme_referrals", lang), tpl=tpl,
                                note=_notes(lang, int(rows.year.min()), int(rows.year.max())))


@cached
def factsheet_chart(lang: str, teryt: str, tpl: str = "light") -> go.Figure:
    """A voivodeship fact sheet's chart (app.factsheet): its referrals per year over every year in the database, and
    its rate per million beside the national rate."""
    rows = _labelled(data.referrals_by_year(), lang)
    years = (int(rows.year.min()), int(rows.year.max()))
    one = rows[rows.id == teryt]
    notes = [_notes(lang, *years, rate=True)]
    if any(numbers.small(n) for n in one.referrals):
        notes.append(t("fs_small_counts", lang, n=numbers.SMALL_COUNT))
    source = f"{data.citation('programme_referrals', lang)}; {data.citation('population', lang)}"
    name = one.label.iloc[0]
    return charts.factsheet_chart(one, data.national_referrals(), lang, region=name, tpl=tpl,
                                  title=t("title_referrals_series", lang, name=name),
                                  subtitle=t("fs_chart_subtitle", lang, period=_period(*years)), source=source,
                                  note=" ".join(n for n in notes if n), name=f"factsheet_chart_{teryt}")


def emigration_years() -> list[int]:
    """Years with at least one published destination figure."""
    return sorted(int(y) for y in data.emigration_stock().year.unique())


@cached
def emigration_map(lang: str, tpl: str = "light", year: int | None = None, classes: bool = True) -> go.Figure:
    """Europe map of the GUS estimate for one year (default: the latest)."""
    stock = _labelled(data.emigration_stock(), lang)
    year = year or int(stock.year.max())
    this = stock[stock.year == year].rename(columns={"iso3": "id", "emigrants_thousands": "value"})
    ids = ", ".join(sorted(this.source_id.unique()))
    scale = "classes" if classes else "continuous"
    return maps.emigration_map(this, lang, classes=classes, title=t("title_emigration_map", lang, year=year),
                               subtitle=f"{t('unit_emigration', lang)}, {year}; {t('grey_no_data', lang)}",
                               source=f"{data.citation('emigration_gus', lang)} ({ids})", tpl=tpl,
                               name=f"emigration_map_{year}_{scale}")


@cached
def emigration_totals(lang: str, tpl: str = "light") -> go.Figure:
    """Totals (all, Europe, EU) 2004-2020 with the breaks marked."""
    return charts.emigration_totals_chart(data.emigration_totals(), lang, notes=data.series_notes("emigration_gus"),
                                          source=data.citation("emigration_gus", lang), tpl=tpl)


def series_caveat(dataset: str, lang: str) -> str:
    """A dataset's series notes as one sentence for captions and slides (breaks, dropped years, changes)."""
    notes = data.series_notes(dataset)
    return "; ".join(getattr(n, f"label_{lang}") if n.kind != "definition" else
                     t("from_year", lang, year=n.first_year, what=getattr(n, f"label_{lang}"))
                     for n in notes.itertuples())


@cached
def emigration_top(lang: str, tpl: str = "light") -> go.Figure:
    """The main destinations as lines over time."""
    return charts.emigration_top_chart(_labelled(data.emigration_stock(), lang), lang,
                                       source=data.citation("emigration_gus", lang), tpl=tpl)




@cached
def context_survey(lang: str, tpl: str = "light") -> go.Figure:
    """The 2010 public-awareness survey: four shares."""
    return charts.survey_chart(data.context_table("survey"), lang, source=data.citation("survey_obop2010", lang),
                               period=data.dataset("survey_obop2010")[f"period_{lang}"], tpl=tpl)


@cached
def context_teams(lang: str, tpl: str = "light") -> go.Figure:
    """Map of the regional teams the sources mention, with founding dates where stated."""
    df = data.context_table("teams")
    df["label"] = df[f"name_{lang}"]
    df["status"] = ["dated" if f else "mentioned" if s else "unknown"
                    for f, s in zip(df.founded.fillna(""), df.source_id.fillna(""))]
    df["text"] = [_team_date(f, lang) if st == "dated" else t("team_short", lang) if st == "mentioned" else ""
                  for f, st in zip(df.founded.fillna(""), df.status)]
    df["hover"] = [f"{lab}: {t('team_' + st, lang)}" + (f" ({txt})" if st == "dated" else "")
                   for lab, st, txt in zip(df.label, df.status, df.text)]
    return maps.teams_map(df, lang, title=t("title_teams", lang), subtitle=t("subtitle_teams", lang),
                          source=data.citation("regional_teams", lang), tpl=tpl, name="context_regional_teams")


def _team_date(founded: str, lang: str) -> str:
    """'13.06.2014' or '10.2010' (only what the source states)."""
    parts = founded.split("-")
    return ".".join(reversed(parts[1:])) + "." + parts[0] if len(parts) > 1 else founded


@cached
def context_prevention(lang: str, tpl: str = "light") -> go.Figure:
    """Counted prevention activities in Świętokrzyskie, 2017."""
    return charts.prevention_chart(data.context_table("prevention"), lang,
                                   source=data.citation("prevention_swietokrzyskie_2017", lang),
                                   period=data.dataset("prevention_swietokrzyskie_2017")[f"period_{lang}"], tpl=tpl)


@cached
def context_timeline(lang: str, tpl: str = "light") -> go.Figure:
    """The IOM / Border Guard project 2020-2024 as a timeline."""
    return charts.timeline_chart(data.context_table("iom"), lang, source=data.citation("iom_project_2020_2024", lang),
                                 tpl=tpl)


def undesa_years() -> list[int]:
    """The UN DESA reference years (mid-year, every five years)."""
    return sorted(int(y) for y in data.migrant_stock().year.unique())


def _undesa(lang: str):
    df = _labelled(data.migrant_stock(), lang)
    df["thousands"] = df.persons / 1000
    return df


@cached
def undesa_map(lang: str, tpl: str = "light", year: int | None = None, view: str = "europe",
               classes: bool = True) -> go.Figure:
    """People born in Poland living in each country (UN DESA), Europe or the world, for one year."""
    df = _undesa(lang)
    year = year or int(df.year.max())
    this = df[df.year == year].rename(columns={"iso3": "id", "thousands": "value"})
    this["hover_extra"] = [t("n_persons", lang, n=fmt_int(n, lang)) for n in this.persons]  # the exact estimate
    world = data.migrant_world().set_index("year").persons.get(year)
    world = t("no_data", lang) if world is None or pd.isna(world) else t("n_persons", lang, n=fmt_int(world, lang))
    return maps.emigration_map(this, lang, classes=classes, view=view, bounds=maps.UN_CLASSES,
                               title=t("title_undesa_map", lang, year=year),
                               subtitle=t("subtitle_undesa_map", lang, year=year, world=world),
                               source=data.citation("migrant_stock_born_in_poland", lang), tpl=tpl,
                               name=f"born_in_poland_map_{year}_{view}_{'classes' if classes else 'continuous'}")


@cached
def undesa_top(lang: str, tpl: str = "light") -> go.Figure:
    """The largest destinations of people born in Poland, 1990-2020 (UN DESA)."""
    return charts.emigration_top_chart(_undesa(lang), lang, value="thousands", unit_key="unit_undesa",
                                       title_key="title_undesa_top", name="born_in_poland_top", step=5,
                                       source=data.citation("migrant_stock_born_in_poland", lang), tpl=tpl)


def comparison_years() -> list[int]:
    """The UN reference years (mid-year) for which GUS published an estimate at the end of that year or
    the year before: the years the two measures can be shown side by side."""
    gus = set(emigration_years())
    return [y for y in undesa_years() if y in gus or y - 1 in gus]


def measure_comparison(lang: str, year: int):
    """Per destination, the UN figure (mid-year) beside the GUS estimates at the ends of the years around it.

    The columns stay apart (different populations and dates): nothing is summed or combined.
    """
    un = _undesa(lang)
    un = un[un.year == year].set_index("iso3")
    gus = data.emigration_stock().pivot(index="iso3", columns="year", values="emigrants_thousands")
    around = [y for y in (year - 1, year) if y in gus.columns]
    ids = sorted(set(gus[around].dropna(how="all").index) if around else set())
    names = _labelled(data.query("SELECT iso3, name_pl, name_en FROM countries"), lang).set_index("iso3").label
    rows = []
    for iso in ids:
        row = {t("country", lang): names.get(iso, iso),
               t("col_undesa", lang, year=year): None if iso not in un.index else numbers.shown(un.persons[iso] / 1000, 1)}
        for y in around:
            v = gus.at[iso, y]
            row[t("col_gus", lang, year=y)] = None if v != v else int(v)
        rows.append(row)
    return pd.DataFrame(rows)


# --- the national counts after the Programme (issue 14) ---------------------------------------------------
# Indicator names of the relation national_indicators, grouped by the figure that draws them.
SERIES = ("kcik_assisted", "identified_by_authorities", "referred_to_care")  # yearly persons, one time axis
KCIK = "kcik_assisted"
JUSTICE = ("police_offences_recorded", "investigations_police_border_guard", "investigations_prosecutors",
           "prosecuted", "convicted")
WITNESS = "witness_victim_programme_joined"  # a footnote only: never a point of any series
EXPLOITATION = "exploitation="


def indicator_label(name: str, lang: str) -> str:
    """The short name of a national indicator (its id where the UI has no name for it)."""
    key = f"ind_{name}"
    return t(key, lang) if key in TEXT else name


def category_label(category: str, lang: str) -> str:
    """A type of exploitation as its source words it, in the UI language (the source's words where the UI
    has no translation)."""
    key = "expl_" + re.sub(r"\W+", "_", category).strip("_")
    return t(key, lang) if key in TEXT else category


def breakdown_label(breakdown: str, lang: str) -> str:
    """'total', 'female', ..., or a type of exploitation, in the UI language."""
    if breakdown.startswith(EXPLOITATION):
        return category_label(breakdown.removeprefix(EXPLOITATION), lang)
    key = f"breakdown_{breakdown}"
    return t(key, lang) if key in TEXT else breakdown


def _split_conflicts(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures given one value, kept once; rows of figures whose sources disagree, every row kept)."""
    key = ["indicator", "year", "breakdown"]
    values = rows.groupby(key).value.transform("nunique")
    return rows[values == 1].drop_duplicates(key), rows[values > 1]


def national_source(rows: pd.DataFrame) -> str:
    """The source line of a figure: the sources of the rows it draws, by publisher ('U.S. Department of State
    (tip2020, tip2021); HEUNI (heuni)'); each id is listed with its title and address on the Data page."""
    publishers = data.sources().set_index("source_id").publisher
    groups: dict[str, list[str]] = {}
    for sid in sorted(set(rows.source_id)):
        groups.setdefault(publishers.get(sid, sid), []).append(sid)
    return "; ".join(f"{publisher} ({', '.join(ids)})" for publisher, ids in groups.items())


def who_is_counted(names, lang: str, field: str = "population") -> str:
    """Which population (or unit) each of `names` counts, from the relation indicators: "Who is counted – KCIK:
    Poles and foreigners, ... Identified: ..." (the population where it is given, else what is counted)."""
    described = data.indicators().set_index("indicator")
    parts = []
    for name in names:
        d = described.loc[name]
        what = d[f"{field}_{lang}"] if isinstance(d[f"{field}_{lang}"], str) else d[f"counts_{lang}"]
        parts.append(f"{indicator_label(name, lang)}: {what}.")
    return t("who_counted", lang, what=" ".join(parts))


def not_programme(lang: str) -> str:
    """The caveat every figure of the page carries: no series continues the Programme table."""
    first, last = data.programme_period()
    return t("not_programme", lang, first=first, last=last)


def _totals(names) -> pd.DataFrame:
    rows = pd.concat([data.national(n) for n in names], ignore_index=True)
    return rows[rows.breakdown == "total"]


def series_period() -> tuple[int, int]:
    """The first and last year of the yearly series drawn on one axis."""
    years = _totals(SERIES).year.astype(int)
    return int(years.min()), int(years.max())


@cached
def national_series(lang: str, tpl: str = "light") -> go.Figure:
    """The yearly series that reach the latest year (KCIK assisted, identified, referred to care) on one axis."""
    rows = _totals(SERIES)
    single, conflicts = _split_conflicts(rows)
    years = rows.year.astype(int)
    first, last = int(years.min()), int(years.max())
    _, programme_last = data.programme_period()
    latest = {n: data.latest_national(n) for n in SERIES}
    alt = t("alt_national_series", lang, first=first, last=last, latest="; ".join(
        f"{indicator_label(n, lang)} {v['year']}: {' / '.join(fmt_int(x, lang) for x in v['values'])}"
        for n, v in latest.items() if v))
    return charts.national_series_chart(
        single, lang, labels={n: indicator_label(n, lang) for n in SERIES}, conflicts=conflicts,
        title=t("title_national_series", lang, last=programme_last, next=programme_last + 1),
        subtitle=t("subtitle_national", lang, unit=t("persons_per_year", lang), period=_period(first, last)),
        source=national_source(rows), note=f"{who_is_counted(SERIES, lang)} {not_programme(lang)}", alt=alt,
        name=f"national_series_{first}-{last}", tpl=tpl)


def kcik_breakdowns() -> pd.DataFrame:
    """KCIK per year: total, female, male, foreign, minors as published (NaN where not published)."""
    rows = data.national(KCIK)
    single, _ = _split_conflicts(rows[~rows.breakdown.str.startswith(EXPLOITATION)])
    wide = single.pivot(index="year", columns="breakdown", values="value")
    wide = wide.reindex(columns=["total", "female", "male", "foreign", "minors"])
    return wide[wide.total.notna()].reset_index()


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


def _exploitation(years: list[int]) -> pd.DataFrame:
    rows = data.national(KCIK)
    rows = rows[rows.breakdown.str.startswith(EXPLOITATION) & rows.year.isin(years)].copy()
    rows["category"] = rows.breakdown.str.removeprefix(EXPLOITATION)
    totals = rows.groupby("year").value.transform("sum")
    rows["total"] = totals
    return rows


@cached
def national_exploitation(lang: str, tpl: str = "light", mode: str = "count") -> go.Figure:
    """KCIK's types of exploitation per year, for the years the source groups them alike (counts or shares)."""
    grouped, apart = exploitation_years()
    rows = _exploitation(grouped)
    latest = rows[rows.year == max(grouped)].sort_values("value", ascending=False).category.tolist()
    others = rows[~rows.category.isin(latest)].groupby("category").value.sum().sort_values(ascending=False)
    order = latest + list(others.index)
    period = _period(min(grouped), max(grouped))
    note = t("note_exploitation", lang)
    if apart:
        note += " " + t("note_exploitation_apart", lang, years=", ".join(map(str, apart)))
    note += f" {who_is_counted([KCIK], lang)} {not_programme(lang)}"
    unit = t("persons_per_year", lang) if mode == "count" else t("unit_share_of_year", lang)
    return charts.exploitation_chart(
        rows, lang, mode=mode, labels={c: category_label(c, lang) for c in order}, indicator=KCIK,
        title=t("title_exploitation", lang, period=period), subtitle=f"{unit}, {period}",
        source=national_source(rows), note=note, alt=t("alt_exploitation", lang, period=period), tpl=tpl,
        name=f"national_kcik_exploitation_{mode}_{_period(min(grouped), max(grouped), '-')}")


@cached
def national_exploitation_apart(lang: str, tpl: str = "light") -> go.Figure:
    """The years whose types of exploitation are finer than the later grouping, each category on its own."""
    grouped, apart = exploitation_years()
    rows = _exploitation(apart)
    rows["label"] = [category_label(c, lang) if len(apart) == 1 else f"{y}: {category_label(c, lang)}"
                     for y, c in zip(rows.year, rows.category)]
    years = ", ".join(map(str, apart))
    later = _period(min(grouped), max(grouped)) if grouped else ""
    return charts.categories_chart(
        rows, lang, indicator=KCIK, title=t("title_exploitation_apart", lang, years=years),
        subtitle=t("subtitle_exploitation_apart", lang, total=fmt_int(int(rows.value.sum()), lang)),
        source=national_source(rows), note=" ".join([t("note_exploitation_finer", lang, later=later),
                                                     who_is_counted([KCIK], lang), not_programme(lang)]),
        alt=t("alt_exploitation_apart", lang, years=years), tpl=tpl,
        name=f"national_kcik_exploitation_{'_'.join(map(str, apart))}")


@cached
def national_justice(lang: str, tpl: str = "light") -> go.Figure:
    """Offences, investigations, prosecutions and convictions as a compact table: "no data" where nothing was
    published, a figure whose sources disagree with both values and both sources."""
    rows = _totals(JUSTICE)
    labels = {n: indicator_label(n, lang) for n in JUSTICE}
    described = data.indicators().set_index("indicator")
    cells, conflicts = [], []
    for (indicator, year), group in rows.groupby(["indicator", "year"]):
        values = sorted(set(group.value))
        unit = described.loc[indicator, f"unit_{lang}"]
        sources = ", ".join(group.source_id)
        if len(values) == 1:
            text, state = fmt_int(values[0], lang), 1
            hover = f"{labels[indicator]}, {year}: {text} ({unit}; {sources})"
        else:
            parts = [f"{fmt_int(r.value, lang)} ({r.source_id})" for r in group.itertuples()]
            text, state = " / ".join(fmt_int(r.value, lang) for r in group.itertuples()) + "*", 2
            hover = f"{labels[indicator]}, {year}: {', '.join(parts)} ({unit})"
            conflicts.append(t("justice_conflict", lang, label=labels[indicator], year=int(year),
                               values=", ".join(parts)))
        cells.append({"indicator": indicator, "year": int(year), "state": state, "text": text, "hover": hover,
                      "value": values[0] if state == 1 else None})
    cells = pd.DataFrame(cells)
    first, last = int(cells.year.min()), int(cells.year.max())
    note = " ".join([*(f"* {c}" for c in conflicts), who_is_counted(JUSTICE, lang),
                     t("justice_prosecuted", lang, what=described.loc["prosecuted", f"counts_{lang}"]),
                     not_programme(lang)])
    return charts.justice_chart(
        cells, lang, rows=labels, title=t("title_justice", lang),
        subtitle=t("subtitle_justice", lang, period=_period(first, last)), source=national_source(rows), note=note,
        alt=t("alt_justice", lang, period=_period(first, last)), name=f"national_justice_{first}-{last}", tpl=tpl)


TILES = (("tile_kcik", KCIK), ("tile_identified", "identified_by_authorities"))  # the Overview's latest figures


def latest_tiles(lang: str) -> list[dict]:
    """The Overview's "latest published" figures: label with the year, value (both values where sources
    disagree) and a help text saying what is counted, the source and that it is not the Programme."""
    described = data.indicators().set_index("indicator")
    tiles = []
    for key, name in TILES:
        latest = data.latest_national(name)
        if latest is None:
            continue
        tiles.append({"label": t(key, lang, year=latest["year"]),
                      "value": " / ".join(fmt_int(v, lang) for v in latest["values"]),
                      "help": t("tile_help", lang, counts=described.loc[name, f"counts_{lang}"],
                                sources=", ".join(latest["sources"]))})
    return tiles


def witness_footnote(lang: str) -> str | None:
    """The figure of people who joined the witness and victim protection programme, as a footnote: never a
    point of any series (the source does not name the Programme). None if the data hold no such figure."""
    rows = data.national(WITNESS)
    if rows.empty:
        return None
    first, last = data.programme_period()
    why = data.indicators().set_index("indicator").loc[WITNESS, f"population_{lang}"]
    return " ".join(t("witness_footnote", lang, year=int(r.year), n=fmt_int(r.value, lang), source=r.source_id,
                      why=why, first=first, last=last) for r in rows.itertuples())


def national_provenance(lang: str) -> pd.DataFrame:
    """Every figure the page draws or cites, with its source, the sources that repeat it and the source's note."""
    rows = pd.concat([data.national(n) for n in (*SERIES, *JUSTICE, WITNESS)], ignore_index=True)
    rows = rows.drop_duplicates(["indicator", "year", "breakdown", "source_id"])
    return pd.DataFrame({
        t("col_indicator", lang): [indicator_label(n, lang) for n in rows.indicator],
        t("year", lang): rows.year.astype(int).astype(str),
        t("col_breakdown", lang): [breakdown_label(b, lang) for b in rows.breakdown],
        t("col_value", lang): rows.value.astype(int),
        t("col_source", lang): rows.source_id,
        t("col_also_in", lang): rows.also_in,
        t("col_note", lang): rows.note,
    })


@dataclass(frozen=True)
class Entry:
    """A figure in its default view: which page shows it and how to make it."""

    key: str
    page: str
    make: Callable[..., go.Figure]
    kwargs: dict = field(default_factory=dict)
    query: str = ""  # the URL query under which its page shows it; "" = the page's default view

    def figure(self, lang: str, tpl: str = "light") -> go.Figure:
        """The figure in `lang`."""
        return self.make(lang, tpl=tpl, **self.kwargs)


# Every figure of the dashboard in its default view, in page order (the batch export writes these).
CATALOGUE = [
    Entry("overview_trend", "overview", total_trend),
    Entry("overview_map", "overview", overview_map),
    Entry("victims", "victims", victims),
    Entry("referrals_map", "referrals", referrals_map),
    Entry("referrals_ranking", "referrals", referrals_ranking),
    Entry("referrals_maps_by_year", "referrals", referrals_by_year, query="below=maps"),
    Entry("referrals_heatmap", "referrals", referrals_heatmap, query="below=grid"),
    Entry("emigration_map", "emigration", emigration_map),
    Entry("emigration_totals", "emigration", emigration_totals),
    Entry("emigration_top", "emigration", emigration_top, query="below=top"),
    Entry("born_in_poland_map", "emigration", undesa_map, query="measure=undesa"),
    Entry("born_in_poland_world", "emigration", undesa_map, {"view": "world"}, query="measure=undesa&view=world"),
    Entry("born_in_poland_top", "emigration", undesa_top, query="measure=undesa"),
    Entry("national_series", "national_counts", national_series),
    Entry("national_kcik", "national_counts", national_kcik),
    Entry("national_kcik_exploitation", "national_counts", national_exploitation, query="topic=exploitation"),
    Entry("national_kcik_exploitation_share", "national_counts", national_exploitation, {"mode": "share"},
          query="topic=exploitation&mode=share"),
    Entry("national_kcik_exploitation_apart", "national_counts", national_exploitation_apart,
          query="topic=exploitation"),
    Entry("national_justice", "national_counts", national_justice),
    Entry("context_survey", "context", context_survey),
    Entry("context_teams", "context", context_teams, query="section=teams"),
    Entry("context_prevention", "context", context_prevention, query="section=prevention"),
    Entry("context_timeline", "context", context_timeline, query="section=iom"),
]
