"""Beyond Poland's borders: Polish citizens detected as victims by other countries (UNODC, as published, "<5" a class
of its own), per 100,000 Poles living there (UN DESA or GUS, never combined), and Poland among European countries
per 100,000 inhabitants (World Bank population)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import data
from app.cache import cached, per_build
from app.charts import abroad as draw
from app.i18n import N_, fmt_int, fmt_num, t

SMALL = "<5"  # UNODC's published bound: its own class, never a count, never summed
MAIN = 5  # the trend's main countries: the largest totals of published counts
INDICATORS = {"detected": data.DETECTED, "convicted": data.CONVICTED}
REGION = {True: N_("in_europe"), False: N_("outside_europe")}
MAP_SUBTITLE = {"year": N_("sub_abroad_map"), "all": N_("sub_abroad_map_all")}
RATES_SUBTITLE = {"undesa": N_("sub_abroad_rates_undesa"), "gus": N_("sub_abroad_rates_gus")}
RANK_TITLE = {"detected": N_("title_europe_detected"), "convicted": N_("title_europe_convicted")}
EUROSTAT = "Eurostat"  # a source (sources.csv) whose figures quote Eurostat's rate per million: the fact is its row


def abroad_years() -> list[int]:
    """The years in which another country listed Polish citizens among the victims it detected."""
    return sorted(int(y) for y in data.citizens_abroad().year.unique())


def names(lang: str) -> dict[str, str]:
    """Country names in `lang` by ISO3 (UNODC's English name where the reference table has none)."""
    ref = data.countries()
    return dict(zip(ref.iso3, ref[f"name_{lang}"]))


def _label(iso3: str, country: str, lang: str, known: dict) -> str:
    return known.get(iso3) or country


@per_build  # the Overview's tiles, the slide's note, the map and the list read it in one run
def cells(lang: str, year: int | None = None) -> pd.DataFrame:
    # The whole period (year None): the published counts added up, the "<5" years counted apart (never added).
    """Every country that reported victims by citizenship in `year`: its Polish citizens as published."""
    known = names(lang)
    poles, reported = data.citizens_abroad(), data.citizenship_reported()
    if year is not None:
        poles, reported = poles[poles.year == year], reported[reported.year == year]
    rows = []
    for iso3, rep in reported[reported.iso3 != data.HOME].groupby("iso3"):  # Poland's own count: another page
        mine = poles[poles.iso3 == iso3]
        counts = mine.value.dropna()
        small = int((mine.value_as_published == SMALL).sum())
        value = int(counts.sum()) if len(counts) else None
        rows.append({"iso3": iso3, "label": _label(iso3, rep.country.iloc[-1], lang, known),
                     "in_europe": bool(rep.in_europe.iloc[-1]), "value": value, "small": small,
                     "years": len(mine), "reported": rep.year.nunique(), "limit": mine.bound.max(),
                     "cls": "count" if value is not None else (SMALL if small else "none")})
    out = pd.DataFrame(rows, columns=["iso3", "label", "in_europe", "value", "small", "years", "reported", "limit",
                                      "cls"])
    out["text"] = [shown_text(r, lang) for r in out.itertuples()]
    return out.sort_values(["in_europe", "value", "small", "label"], ascending=[False, False, False, True],
                           na_position="last").reset_index(drop=True)


def shown_text(r, lang: str) -> str:
    """'104', '<5', '808 + 2 × <5' (the whole period: the "<5" years beside the sum, never in it), or '–'."""
    if r.value is None or pd.isna(r.value):
        return SMALL if r.small == 1 else (t("n_times_small", lang, n=r.small) if r.small else "–")
    return fmt_int(r.value, lang) + (f" + {t('n_times_small', lang, n=r.small)}" if r.small else "")


def source(lang: str) -> str:
    """UNODC's file (its citation names the release)."""
    return data.citation("unodc_glotip", lang)


def caveat(lang: str) -> str:
    """What detections measure (every export of these figures carries it as its note)."""
    return t("abroad_caveat", lang)


@cached
def abroad_map(lang: str, tpl: str = "light", year: int | None = None, period: str = "year") -> go.Figure:
    """Europe: Polish citizens detected as victims per country, in one year (default the latest) or all of them."""
    years = abroad_years()
    year = None if period == "all" else year or years[-1]
    when = str(year) if year else f"{years[0]}–{years[-1]}"
    df = cells(lang, year)
    return draw.abroad_map(df, lang, title=t("title_abroad_map", lang, when=when),
                           subtitle=t(MAP_SUBTITLE["year" if year else "all"], lang, when=when),
                           source=source(lang), note=caveat(lang), tpl=tpl,
                           name=f"abroad_map_{year or 'all'}")


def listing(lang: str, year: int | None = None) -> pd.DataFrame:
    """Every country that listed Polish citizens, outside Europe too, as published (the map's list)."""
    df = cells(lang, year)
    df = df[df.cls != "none"]
    out = pd.DataFrame({t("country", lang): df.label,
                        t("col_region", lang): [t(REGION[bool(e)], lang) for e in df.in_europe],
                        t("col_polish_victims", lang): [r if r != "–" else t("none_listed", lang) for r in df.text]})
    if year is None:
        out[t("col_years_listed", lang)] = [f"{y} / {n}" for y, n in zip(df.years, df.reported)]
    return out


def none_listed(lang: str, year: int | None = None) -> str:
    """The countries that reported victims by citizenship but listed no Poles: one sentence."""
    df = cells(lang, year)
    return t("none_listed_in", lang, names=", ".join(sorted(df[df.cls == "none"].label)) or "–")


def main_countries() -> list[str]:
    """The countries with the largest totals of published counts (ISO3), largest first."""
    poles = data.citizens_abroad()
    totals = poles.groupby("iso3").value.sum().sort_values(ascending=False)
    return list(totals[totals > 0].index[:MAIN])


@cached
def abroad_trend(lang: str, tpl: str = "light") -> go.Figure:
    """The main countries' Polish victims per year, "<5" drawn as the interval 1-4 with its label, never as 0."""
    poles, known = data.citizens_abroad(), names(lang)
    main = main_countries()
    rows = poles[poles.iso3.isin(main)].copy()
    rows["label"] = [_label(i, c, lang, known) for i, c in zip(rows.iso3, rows.country)]
    years = abroad_years()
    reported = data.citizenship_reported()
    return draw.trend(rows, main, years, lang, set(zip(reported.iso3, reported.year)),
                      title=t("title_abroad_trend", lang),
                      subtitle=t("sub_abroad_trend", lang, first=years[0], last=years[-1]), source=source(lang),
                      note=caveat(lang), tpl=tpl)


def nearest(years: list[int], year: int) -> int:
    """The year of `years` nearest to `year` (the earlier of two as near)."""
    return min(years, key=lambda y: (abs(y - year), y))


def stock(measure: str, year: int) -> tuple[int, pd.Series]:
    """Poles living in each country (persons, by ISO3) in the year of `measure` nearest to `year`."""
    if measure == "gus":
        rows = data.emigration_stock()
        used = nearest(sorted(int(y) for y in rows.year.unique()), year)
        this = rows[rows.year == used]
        return used, pd.Series(this.emigrants_thousands.values * 1000, index=this.iso3)
    rows = data.migrant_stock()
    used = nearest(sorted(int(y) for y in rows.year.unique()), year)
    this = rows[rows.year == used]
    return used, pd.Series(this.persons.values, index=this.iso3)


def per_poles(lang: str, year: int, measure: str = "undesa") -> pd.DataFrame:
    """Per 100,000 Poles living there: each country with Polish victims and a stock; a "<5" rate is a bound."""
    used, persons = stock(measure, year)
    df = cells(lang, year)
    df = df[df.cls != "none"].copy()
    df["persons"] = [persons.get(i) for i in df.iso3]
    df = df[df.persons.notna() & (df.persons > 0)]
    df["rate"] = [None if v is None or pd.isna(v) else v * 1e5 / p for v, p in zip(df.value, df.persons)]
    df["bound"] = [b * 1e5 / p if c == SMALL else None for c, b, p in zip(df.cls, df.limit, df.persons)]  # as published
    df["stock_year"] = used
    return df.sort_values(["rate", "bound"], ascending=False, na_position="last").reset_index(drop=True)


@cached
def abroad_rates(lang: str, tpl: str = "light", year: int | None = None, measure: str = "undesa") -> go.Figure:
    """Polish victims per 100,000 Poles living in each country (UN DESA or GUS, one at a time)."""
    year = year or abroad_years()[-1]
    df = per_poles(lang, year, measure)
    used = int(df.stock_year.iloc[0]) if len(df) else stock(measure, year)[0]
    cite = data.citation("emigration_gus" if measure == "gus" else "migrant_stock_born_in_poland", lang)
    return draw.rates(df, lang, title=t("title_abroad_rates", lang, year=year),
                      subtitle=t(RATES_SUBTITLE[measure], lang, year=year, used=used),
                      source=f"{source(lang)}; {cite}", note=caveat(lang), tpl=tpl,
                      name=f"abroad_rates_{year}_{measure}", axis=t("per_100k_poles", lang))


def rank_year(indicator: str, year: int) -> int:
    """The year itself if any European country reported `indicator` then, else the latest such year before it."""
    rows = data.europe_rates(indicator, year)
    return year if rows.value.notna().any() or rows.bound.notna().any() else rank_year(indicator, year - 1)


def europe(lang: str, indicator: str, year: int) -> pd.DataFrame:
    """European countries' rates per 100,000 inhabitants with their names in `lang` (data.europe_rates)."""
    known = names(lang)
    rows = data.europe_rates(INDICATORS[indicator], year)
    rows["label"] = [_label(i, c, lang, known) for i, c in zip(rows.iso3, rows.country)]
    return rows


def poland_rank(lang: str, indicator: str, year: int) -> str:
    """'Poland: 27th of 34' with the countries tied with it, or that Poland did not report."""
    rows = europe(lang, indicator, year)
    pol = rows[rows.iso3 == data.HOME]
    if pol.empty or pd.isna(pol["rank"].iloc[0]):
        return t("poland_no_rank", lang, year=year)
    rank = int(pol["rank"].iloc[0])
    tied = rows[(rows["rank"] == rank) & (rows.iso3 != data.HOME)].label
    said = t("poland_rank", lang, rank=rank, of=int(pol.ranked.iloc[0]), year=year,
             rate=fmt_num(pol.per_100k.iloc[0], lang, 2))
    return said + (" " + t("rank_tied", lang, names=", ".join(sorted(tied)))) if len(tied) else said


@cached
def europe_rank(lang: str, tpl: str = "light", indicator: str = "detected", year: int | None = None) -> go.Figure:
    """European countries per 100,000 inhabitants, Poland highlighted, its rank (with ties) in the subtitle."""
    year = rank_year(INDICATORS[indicator], year or abroad_years()[-1])
    rows = europe(lang, indicator, year)
    return draw.ranking(rows, lang, title=t(RANK_TITLE[indicator], lang, year=year),
                        subtitle=poland_rank(lang, indicator, year),
                        source=f"{source(lang)}; {data.citation('world_population', lang)}", note=caveat(lang),
                        tpl=tpl, name=f"europe_{indicator}_{year}", axis=t("per_100k_inhabitants", lang))


def eurostat(lang: str) -> list[str]:
    """Eurostat's rate as a source quotes it (a single fact from the sources table, none if it is absent)."""
    rows = data.sources()
    return [t("eurostat_quote", lang, publisher=r.publisher, url=r.url, words=r.figures)
            for r in rows[rows.figures.fillna("").str.startswith(f"{EUROSTAT} ")].itertuples()]


def note_facts(lang: str) -> dict:
    """The numbers the Abroad slide's speaker note quotes: the latest year's countries and the main ones."""
    years = abroad_years()
    df = cells(lang, years[-1])
    listed = df[df.cls != "none"]
    known = names(lang)
    poles = data.citizens_abroad().drop_duplicates("iso3").set_index("iso3").country
    return {"abroad_year": years[-1], "abroad_n": len(listed), "abroad_first": years[0],
            "abroad_top": ", ".join(f"{r.label} ({r.text})" for r in listed.head(3).itertuples()),
            "abroad_main": ", ".join(_label(i, poles[i], lang, known) for i in main_countries())}


def tiles(lang: str) -> list[dict]:
    """The Overview's tiles of today: Polish citizens detected abroad, Poland's rank among European countries."""
    f = note_facts(lang)
    top = cells(lang, f["abroad_year"]).iloc[0]  # Europe first, then the largest count
    year = rank_year(data.DETECTED, f["abroad_year"])
    pol = europe(lang, "detected", year).set_index("iso3")
    rank = pol["rank"].get(data.HOME)
    return [{"label": t("tile_abroad", lang, year=f["abroad_year"], country=top.label), "value": top.text,
             "help": t("tile_abroad_help", lang, n=f["abroad_n"], caveat=caveat(lang)) + " " + f["abroad_top"]},
            {"label": t("tile_europe_rank", lang, year=year),
             "value": t("rank_of", lang, rank=int(rank), of=int(pol.ranked.iloc[0])) if pd.notna(rank) else
             t("no_data", lang), "help": poland_rank(lang, "detected", year)}]
