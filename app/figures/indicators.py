"""The national indicators: what each is called and counts (the relation indicators), how a value published as a bound
is shown, the source line of their figures, and the caveat that none continues the Programme."""

from __future__ import annotations

import re

import pandas as pd

from app import data, numbers
from app.cache import per_build
from app.i18n import has, t

KCIK = "kcik_assisted"  # the count broken down each year by sex, foreign nationals, minors and type of exploitation


WITNESS = "witness_victim_programme_joined"  # a footnote only: never a point of any series


EXPLOITATION, CITIZENSHIP = "exploitation=", "citizenship="


PROGRAMME = "programme"  # the Programme's enrolments, drawn beside the national counts as a series of its own


VICTIMS, ASSISTANCE, JUSTICE = "victims", "assistance", "justice"  # indicators.topic


@per_build  # a page's tables label hundreds of rows from it
def described() -> pd.DataFrame:
    """The relation indicators by indicator."""
    return data.indicators().set_index("indicator")


def indicator_label(name: str, lang: str) -> str:
    """The short name of a series: the indicator's label from the data, or the Programme's."""
    if name == PROGRAMME:
        return t("series_programme", lang)
    d = described()
    return d.loc[name, f"label_{lang}"] if name in d.index else name


def category_label(category: str, lang: str) -> str:
    """A type of exploitation as its source words it, in the UI language (the source's words where the UI
    has no translation)."""
    slug = re.sub(r"\W+", "_", category).strip("_")
    key = f"expl_{slug}"
    return t(key, lang) if has(key) else category


def country_label(name_en: str, lang: str) -> str:
    """A citizenship as the source names it (an English country name), in the UI language where the countries
    relation has it."""
    return _country_names(lang).get(name_en, name_en)


@per_build
def _country_names(lang: str) -> dict[str, str]:
    countries = data.countries()
    return dict(zip(countries.name_en, countries[f"name_{lang}"]))


def breakdown_label(breakdown: str, lang: str) -> str:
    """'total', 'female', ..., a type of exploitation or a citizenship, in the UI language."""
    if breakdown.startswith(EXPLOITATION):
        return category_label(breakdown.removeprefix(EXPLOITATION), lang)
    if breakdown.startswith(CITIZENSHIP):
        return country_label(breakdown.removeprefix(CITIZENSHIP), lang)
    key = f"breakdown_{breakdown}"
    return t(key, lang) if has(key) else breakdown


def shown(row, lang: str) -> str:
    """A published figure as the page shows it: the count, '<5' or 'more than 1,000' (app.numbers.published)."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return numbers.published(get("value"), get("qualifier"), get("bound"), lang)


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
    d = described()
    parts = []
    for name in names:
        if name == PROGRAMME:
            parts.append(f"{indicator_label(name, lang)}: {t('who_programme', lang)}.")
            continue
        what = d.loc[name, f"{field}_{lang}"]
        what = what if isinstance(what, str) else d.loc[name, f"counts_{lang}"]
        parts.append(f"{indicator_label(name, lang)}: {what}.")
    return t("who_counted", lang, what=" ".join(parts))


def not_programme(lang: str) -> str:
    """The caveat every figure of the page carries: no series continues the Programme table."""
    first, last = data.programme_period()
    return t("not_programme", lang, first=first, last=last)


def split_conflicts(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures given one value, kept once; rows of figures whose sources disagree, every row kept)."""
    key = ["indicator", "year", "breakdown"]
    values = rows.groupby(key).value_as_published.transform("nunique")
    return rows[values == 1].drop_duplicates(key), rows[values > 1]


def series(topic: str) -> pd.DataFrame:
    """The totals of the indicators of a topic with at least two published years (one year is a fact, below)."""
    rows = data.national_topic(topic)
    years = rows.groupby("indicator").year.nunique()
    return rows[rows.indicator.isin(years[years >= 2].index)]


def latest_year() -> int:
    """The latest year any national count was published for (the page's title and period follow it)."""
    return int(pd.concat([data.national_topic(tp) for tp in (VICTIMS, ASSISTANCE, JUSTICE)]).year.max())
