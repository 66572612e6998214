"""The data behind a figure: the rows it draws, as stored (a count, '<5' or a bound as published), per figure kind.

Each function takes the view arguments a figure records (layout.meta["view"], app/cache.py) and returns the rows of
the database that figure draws, with the values derived from them that it draws (a rate, a share). The zip of
app/bundle.py writes them as CSV; tests/app/test_behind.py checks them against SQL of its own.
"""

from __future__ import annotations

import pandas as pd

from app import charts, data, downloads, figures
from app.figures import abroad, assistance, indicators, national
from etl.contract import CONTRACT

# The published datasets (relation `datasets`) each kind draws from: their units, caveats and provenance go into the
# zip's metadata. A rate also draws on the population.
DATASETS = {
    "total_trend": ["programme_victims"], "victims": ["programme_victims"],
    "overview_map": ["programme_referrals"], "referrals_map": ["programme_referrals"],
    "referrals_ranking": ["programme_referrals"], "referrals_series": ["programme_referrals"],
    "referrals_by_year": ["programme_referrals"], "referrals_heatmap": ["programme_referrals"],
    "rate_map": ["programme_referrals", "population"],
    "emigration_map": ["emigration_gus"], "emigration_totals": ["emigration_gus"], "emigration_top": ["emigration_gus"],
    "undesa_map": ["migrant_stock_born_in_poland"], "undesa_top": ["migrant_stock_born_in_poland"],
    "national_victims": ["programme_victims", "national_indicators"], "national_justice": ["national_indicators"],
    "national_profile": ["national_indicators"], "national_kcik": ["national_indicators"],
    "national_assistance": ["national_indicators"], "national_exploitation": ["national_indicators"],
    "national_exploitation_apart": ["national_indicators"],
    "context_survey": ["survey_obop2010"], "context_teams": ["regional_teams"],
    "context_prevention": ["prevention_swietokrzyskie_2017"], "context_timeline": ["iom_project_2020_2024"],
    "limits": ["programme_victims", "programme_referrals", "emigration_gus"],
    "abroad_map": ["unodc_glotip"], "abroad_trend": ["unodc_glotip"],
    "abroad_rates": ["unodc_glotip", "migrant_stock_born_in_poland"],
    "europe_rank": ["unodc_glotip", "world_population"],
}
GROUPS = charts.GROUPS
NATIONAL = CONTRACT["national_indicators"].column_names  # a value with how it was published ("<5", a bound)


def datasets(kind: str, args: dict) -> list[str]:
    """The datasets a view draws from (a referrals figure's rate adds the population)."""
    names = list(DATASETS[kind])
    if kind == "abroad_rates" and args.get("measure") == "gus":  # one measure of Poles abroad at a time
        names = ["unodc_glotip", "emigration_gus"]
    if args.get("metric") == "rate" and "population" not in names:
        names.append("population")
    return names


def _victims(first=None, last=None, mode="count", **_) -> pd.DataFrame:
    v = data.victims()
    first, last = first or int(v.year.min()), last or int(v.year.max())
    rows = v[v.year.between(first, last)][["year", "total", *GROUPS, "note", "source_id"]].reset_index(drop=True)
    if mode == "share":  # what the bars draw: each group's share of the year's total, in %
        for g in GROUPS:
            rows[f"{g}_share_pct"] = [100 * c / n if n else None for c, n in zip(rows[g], rows.total)]
    return rows


def _trend(**_) -> pd.DataFrame:
    return data.victims()[["year", "total", "note", "source_id"]]


def _range(first=None, last=None, metric="count", **_) -> pd.DataFrame:
    years = figures.referral_years()
    first = first or years[-1]
    rows = data.referrals_in_range(first, last or first).rename(columns={"id": "teryt"})
    rows.insert(0, "last", last or first)
    rows.insert(0, "first", first)
    keep = ["first", "last", "teryt", "name_pl", "name_en", "referrals"]
    return rows[keep + (["rate_referrals", "population_years", "per_million"] if metric == "rate" else [])]


def _whole(metric: str) -> pd.DataFrame:
    years = figures.referral_years()
    return _range(years[0], years[-1], metric)


def _by_year(metric="count", latest=None, teryt=None, **_) -> pd.DataFrame:
    rows = data.referrals_by_year().rename(columns={"id": "teryt"})
    if latest:
        rows = rows[rows.year.isin(sorted(rows.year.unique())[-latest:])]
    if teryt:
        rows = rows[rows.teryt == teryt]
    keep = ["year", "teryt", "name_pl", "name_en", "referrals", "note"]
    return rows[keep + (["population", "per_million"] if metric == "rate" else [])].reset_index(drop=True)


def _stock(year=None, **_) -> pd.DataFrame:
    rows = data.emigration_stock()
    year = year or int(rows.year.max())
    return rows[rows.year == year].reset_index(drop=True)


def _top(rows: pd.DataFrame, value: str, n: int = 6) -> pd.DataFrame:
    """The destinations a "main destinations" chart draws: the n largest by each one's latest figure."""
    latest = rows.dropna(subset=[value]).sort_values("year").groupby("iso3").tail(1).nlargest(n, value)
    return rows[rows.iso3.isin(latest.iso3)].reset_index(drop=True)


def _undesa(year=None, **_) -> pd.DataFrame:
    rows = data.migrant_stock()
    year = year or int(rows.year.max())
    world = data.migrant_world().rename(columns={"persons": "world_persons", "source_id": "world_source_id"})
    return rows[rows.year == year].merge(world, on="year", how="left").reset_index(drop=True)


def _national(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[[c for c in NATIONAL if c in rows]].reset_index(drop=True)


def _exploitation(apart: bool, mode: str = "count") -> pd.DataFrame:
    grouped, others = assistance.exploitation_years()
    rows = assistance.exploitation_rows(others if apart else grouped)
    out = _national(rows)
    if mode == "share":  # each type's share of the year's total, in %
        out["share_pct"] = list(100 * rows.value / rows.total)
    return out


def _kcik(**_) -> pd.DataFrame:
    rows = data.national(indicators.KCIK)
    return _national(rows[~rows.breakdown.str.startswith(indicators.EXPLOITATION)])


def _profile(**_) -> pd.DataFrame:
    indicator = national.profile_indicator()
    return _national(national.profile_rows(indicator)) if indicator else pd.DataFrame(columns=NATIONAL)


ABROAD_HIDDEN = ["region", "subregion", "in_europe"]  # the page's grouping, not the published cell


def _abroad(year=None, period="year", **_) -> pd.DataFrame:
    rows = data.citizens_abroad()
    year = None if period == "all" else year or abroad.abroad_years()[-1]
    rows = rows.drop(columns=ABROAD_HIDDEN)
    return rows if year is None else rows[rows.year == year]


def _abroad_rates(year=None, measure="undesa", **_) -> pd.DataFrame:
    df = abroad.per_poles("en", year or abroad.abroad_years()[-1], measure)
    shown = df.rename(columns={"bound": "rate_bound", "stock_year": f"{measure}_year"})
    return shown[["iso3", "text", "value", "persons", f"{measure}_year", "rate", "rate_bound"]].rename(
        columns={"text": "value_as_published"})


def _europe(indicator="detected", year=None, **_) -> pd.DataFrame:
    year = abroad.rank_year(abroad.INDICATORS[indicator], year or abroad.abroad_years()[-1])
    return data.europe_rates(abroad.INDICATORS[indicator], year)


ROWS = {
    "total_trend": _trend, "victims": _victims,
    "overview_map": lambda **_: _whole("count"), "rate_map": lambda **_: _whole("rate"),
    "referrals_map": _range, "referrals_ranking": _range,
    "referrals_series": _by_year, "referrals_by_year": _by_year,
    "referrals_heatmap": lambda **_: _by_year("count"),
    "emigration_map": _stock, "emigration_totals": lambda **_: data.emigration_totals(),
    "emigration_top": lambda **_: _top(data.emigration_stock(), "emigrants_thousands"),
    "undesa_map": _undesa, "undesa_top": lambda **_: _top(data.migrant_stock(), "persons"),
    "national_victims": lambda **_: _national(national.victim_counts()),
    "national_justice": lambda **_: _national(national.justice_rows()),
    "national_assistance": lambda **_: _national(indicators.series(indicators.ASSISTANCE)),
    "national_kcik": _kcik, "national_profile": _profile,
    "national_exploitation": lambda mode="count", **_: _exploitation(False, mode),
    "national_exploitation_apart": lambda **_: _exploitation(True),
    "context_survey": lambda **_: data.context_table("survey"),
    "context_teams": lambda **_: data.context_table("teams").rename(columns={"id": "teryt"}),
    "context_prevention": lambda **_: data.context_table("prevention"),
    "context_timeline": lambda **_: data.context_table("iom"),
    "limits": lambda **_: data.referral_gaps(),
    "abroad_map": _abroad, "abroad_trend": lambda **_: _abroad(period="all").query("iso3 in @abroad.main_countries()"),
    "abroad_rates": _abroad_rates, "europe_rank": _europe,
}


def rows(kind: str, args: dict) -> pd.DataFrame:
    """The rows a figure of this kind and view draws."""
    return ROWS[kind](**args).reset_index(drop=True)


def as_csv(df: pd.DataFrame) -> bytes:
    """Rows as the Data page's CSV downloads are written: UTF-8 with BOM, CRLF, NULL empty, text made safe for a
    spreadsheet (app.downloads.neutralise), whole numbers without '.0'."""
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values) and values.dropna().eq(values.dropna().round()).all():
            out[column] = values.astype("Int64")
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.astype(object).map(downloads.neutralise)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
