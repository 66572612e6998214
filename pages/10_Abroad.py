"""Abroad: Polish citizens detected as victims by other countries (UNODC, as published), per 100,000 Poles living
there (UN DESA or GUS, one at a time), and Poland among European countries per 100,000 inhabitants."""

from app import blocks as b
from app import live, tables
from app.figures import abroad
from app.i18n import N_, t

# Each control's options and the keys of their labels.
PERIODS = {"year": N_("period_year"), "all": N_("period_all")}
MEASURES = {"undesa": N_("measure_undesa"), "gus": N_("measure_gus")}
RANKS = {"detected": N_("rank_detected"), "convicted": N_("rank_convicted")}


def labels(keys: dict, lang: str) -> dict:
    return {k: t(v, lang) for k, v in keys.items()}


def body(v: b.View) -> list:
    lang, tpl = v.lang, v.tpl
    year = v["year"]
    whole = v["period"] == "all"
    shown = None if whole else year
    return [
        b.Heading(t("abroad_heading", lang)),
        b.Text(t("abroad_intro", lang)),
        b.Text(abroad.caveat(lang), "warning"),
        b.Columns((1, 3), ((b.Control("period", t("period", lang), labels(PERIODS, lang)),),
                           (b.Control("year", t("year", lang)),))),
        b.Figure(abroad.abroad_map(lang, tpl, shown, v["period"])),
        b.Heading(t("abroad_list_heading", lang), 3),
        b.Table(tables.markdown(abroad.listing(lang, shown), lang)),
        b.Text(tables.escape(abroad.none_listed(lang, shown)), "caption"),
        b.Text(t("abroad_list_note", lang), "caption"),
        b.Figure(abroad.abroad_trend(lang, tpl)),
        b.Heading(t("abroad_rates_heading", lang), 3),
        b.Control("per", t("measure", lang), labels(MEASURES, lang), help=t("abroad_measure_help", lang)),
        b.Figure(abroad.abroad_rates(lang, tpl, year, v["per"])),
        b.Heading(t("europe_heading", lang), 3),
        b.Control("rank", t("rank_indicator", lang), labels(RANKS, lang)),
        b.Figure(abroad.europe_rank(lang, tpl, v["rank"], year)),
        *[b.Text(tables.escape(q), "quote") for q in abroad.eurostat(lang)],
    ]


PAGE = b.Page("abroad", "nav_abroad", (b.choice("period", list(PERIODS)), b.year("year", abroad.abroad_years),
                                       b.choice("per", list(MEASURES)), b.choice("rank", list(RANKS))), body)

if __name__ == "__main__":
    live.draw(PAGE)
