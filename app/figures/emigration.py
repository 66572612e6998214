"""Where Poles live abroad: GUS temporary emigrants (map, totals, main destinations) and UN DESA's people born in
Poland (map, main destinations), two measures never combined, and the side-by-side list of the years they share."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import charts, data, maps, numbers
from app.cache import cached
from app.figures.common import labelled
from app.i18n import fmt_int, t, tn


def emigration_years() -> list[int]:
    """Years with at least one published destination figure."""
    return sorted(int(y) for y in data.emigration_stock().year.unique())


@cached
def emigration_map(lang: str, tpl: str = "light", year: int | None = None, classes: bool = True) -> go.Figure:
    """Europe map of the GUS estimate for one year (default: the latest)."""
    stock = labelled(data.emigration_stock(), lang)
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


@cached
def emigration_top(lang: str, tpl: str = "light") -> go.Figure:
    """The main destinations as lines over time."""
    return charts.emigration_top_chart(labelled(data.emigration_stock(), lang), lang,
                                       source=data.citation("emigration_gus", lang), tpl=tpl)


def undesa_years() -> list[int]:
    """The UN DESA reference years (mid-year, every five years)."""
    return sorted(int(y) for y in data.migrant_stock().year.unique())


def _undesa(lang: str):
    df = labelled(data.migrant_stock(), lang)
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
    names = labelled(data.query("SELECT iso3, name_pl, name_en FROM countries"), lang).set_index("iso3").label
    rows = []
    for iso in ids:
        row = {t("country", lang): names.get(iso, iso),
               t("col_undesa", lang, year=year): None if iso not in un.index else numbers.shown(un.persons[iso] / 1000, 1)}
        for y in around:
            v = gus.at[iso, y]
            row[t("col_gus", lang, year=y)] = None if v != v else int(v)
        rows.append(row)
    return pd.DataFrame(rows)
