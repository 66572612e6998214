"""Every figure of the dashboard for a given view: data from app.data, drawing from app.charts/app.maps.

Pages call these with the user's choices; the PNG batch export and the slides call them with the
default views listed in CATALOGUE, so a figure looks the same wherever it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from app import charts, data, maps, national, numbers
from app.cache import cached
from app.numbers import period
from app.i18n import fmt_int, t, tn



def _labelled(df, lang: str):
    df["label"] = df[f"name_{lang}"]
    return df


@cached
def victims(lang: str, tpl: str = "light", first: int | None = None, last: int | None = None,
            mode: str = "count") -> go.Figure:
    """Enrolments by group per year (counts or shares) over [first, last]."""
    v = data.victims()
    first, last = first or int(v.year.min()), last or int(v.year.max())
    drawn = v[v.year.between(first, last)]
    return charts.victims_chart(drawn, lang, mode, source=data.cite("programme_victims", drawn.source_id, lang),
                                tpl=tpl)


@cached
def total_trend(lang: str, tpl: str = "light") -> go.Figure:
    """The small yearly total of the overview."""
    v = data.victims()
    return charts.total_trend_chart(v, lang, source=data.cite("programme_victims", v.source_id, lang), tpl=tpl)


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
    df = _shown(_labelled(data.referrals_in_range(first, last), lang), value, decimals, lang)
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
    df = _shown(_labelled(data.referrals_in_range(first, last), lang), value, decimals, lang)
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
                                name=f"referrals_maps_by_year_{metric}" + (f"_{period(*years, '-')}" if latest else ""),
                                note=_notes(lang, *years, rows, rate=metric == "rate"))


@cached
def referrals_heatmap(lang: str, tpl: str = "light") -> go.Figure:
    """Voivodeship x year grid of referrals."""
    rows = _labelled(data.referrals_by_year(), lang)
    first, last = int(rows.year.min()), int(rows.year.max())
    return charts.heatmap_chart(rows, lang, source=referrals_source(lang, first, last, rate=False), tpl=tpl,
                                note=_notes(lang, first, last))


@cached
def factsheet_chart(lang: str, teryt: str, tpl: str = "light") -> go.Figure:
    """A voivodeship fact sheet's chart (app.factsheet): its referrals per year over every year in the database, and
    its rate per million beside the national rate."""
    rows = _labelled(data.referrals_by_year(), lang)
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
    df["text"] = [team_date(f, lang) if st == "dated" else t("team_short", lang) if st == "mentioned" else ""
                  for f, st in zip(df.founded.fillna(""), df.status)]
    df["hover"] = [f"{lab}: {t('team_' + st, lang)}" + (f" ({txt})" if st == "dated" else "")
                   for lab, st, txt in zip(df.label, df.status, df.text)]
    return maps.teams_map(df, lang, title=t("title_teams", lang), subtitle=t("subtitle_teams", lang),
                          source=data.citation("regional_teams", lang), tpl=tpl, name="context_regional_teams")


def team_date(founded: str, lang: str) -> str:
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
    this["hover_extra"] = [tn("n_persons", "n", lang, n=fmt_int(n, lang)) for n in this.persons]  # the exact estimate
    world = data.migrant_world().set_index("year").persons.get(year)
    world = t("no_data", lang) if world is None or pd.isna(world) else tn("n_persons", "n", lang, n=fmt_int(world, lang))
    return maps.emigration_map(this, lang, classes=classes, view=view, bounds=maps.UN_CLASSES,
                               title=t("title_undesa_map", lang, year=year),
                               subtitle=t("subtitle_undesa_map", lang, year=year, world=world),
                               source=undesa_source(lang, year), tpl=tpl,
                               name=f"born_in_poland_map_{year}_{view}_{'classes' if classes else 'continuous'}")


def undesa_source(lang: str, year: int | None = None) -> str:
    """The UN DESA figures' source line: the 2020 revision and any later revision published as an update."""
    ids = set(data.source_ids("migrant_stock_born_in_poland", year)) | set(
        data.source_ids("migrant_stock_born_in_poland_world", year))
    return data.cite("migrant_stock_born_in_poland", ids, lang)


@cached
def undesa_top(lang: str, tpl: str = "light") -> go.Figure:
    """The largest destinations of people born in Poland, 1990-2020 (UN DESA)."""
    return charts.emigration_top_chart(_undesa(lang), lang, value="thousands", unit_key="unit_undesa",
                                       title_key="title_undesa_top", name="born_in_poland_top", step=5,
                                       source=undesa_source(lang), tpl=tpl)


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


# The figures an update of each dataset changes: the Update page draws them from the staged build.
AFFECTED = {"programme_victims": ("victims",), "programme_referrals": ("referrals_map", "referrals_maps_by_year"),
            "population": ("rate_map",), "emigration_stock": ("emigration_map",),
            "national_indicators": ("national_victims", "national_justice"),
            "migrant_stock_born_in_poland": ("born_in_poland_map",)}


def affected(datasets, lang: str, tpl: str = "light") -> list[go.Figure]:
    """The figures that updates of these datasets change, in catalogue order (sources and indicator
    descriptions change the words of figures, not what they draw)."""
    keys = {k for d in datasets for k in AFFECTED.get(d, ())}
    figs = [e.figure(lang, tpl) for e in CATALOGUE if e.key in keys]
    if "rate_map" in keys:
        figs.append(rate_map(lang, tpl))
    return figs


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
    Entry("national_victims", "national_counts", national.national_victims),
    Entry("national_justice", "national_counts", national.national_justice),
    Entry("national_profile", "national_counts", national.national_profile, query="topic=profile"),
    Entry("national_kcik", "national_counts", national.national_kcik, query="topic=assistance"),
    Entry("national_assistance", "national_counts", national.national_assistance, query="topic=assistance"),
    Entry("national_kcik_exploitation", "national_counts", national.national_exploitation,
          query="topic=exploitation"),
    Entry("national_kcik_exploitation_share", "national_counts", national.national_exploitation, {"mode": "share"},
          query="topic=exploitation&mode=share"),
    Entry("national_kcik_exploitation_apart", "national_counts", national.national_exploitation_apart,
          query="topic=exploitation"),
    Entry("context_survey", "context", context_survey),
    Entry("context_teams", "context", context_teams, query="section=teams"),
    Entry("context_prevention", "context", context_prevention, query="section=prevention"),
    Entry("context_timeline", "context", context_timeline, query="section=iom"),
]
