"""Referrals by voivodeship: a map for a year or a range, ranking, one series; small multiples or heatmap on demand."""

from app import blocks as b
from app import data, figures, live
from app.i18n import N_, t, tn
from app.page import factsheet_download

# Each control's options and the keys of their labels.
PERIODS = {"year": N_("period_year"), "range": N_("period_range")}
METRICS = {"count": N_("metric_count"), "rate": N_("metric_rate")}
BELOW = {"maps": N_("years_view_maps"), "grid": N_("years_view_grid")}
SHOWN = ("latest", "all")  # the maps of the years: the latest rows, or all of them


def labels(keys: dict, lang: str) -> dict:
    return {k: t(v, lang) for k, v in keys.items()}


def voivodeships() -> list[str]:
    """"" (none chosen) and the voivodeships' codes."""
    return ["", *sorted(data.voivodeship_names().teryt)]


def below(v: b.View, years: list[int], metric: str) -> list:
    """Below the first screen, drawn when asked for (or named in the URL): a page load waits only for what it
    shows first."""
    lang = v.lang
    if v["below"] == "maps":
        if len(years) > figures.MULTIPLES_AT_FIRST:
            out = [b.Control("all", t("show_all_years", lang, n=len(years)), widget="toggle")]
            if v["all"] == "latest":
                return out + [b.Text(tn("latest_years_shown", "n", lang, n=figures.MULTIPLES_AT_FIRST), "caption"),
                              b.Figure(figures.referrals_by_year(lang, v.tpl, metric,
                                                                 latest=figures.MULTIPLES_AT_FIRST))]
            return out + [b.Figure(figures.referrals_by_year(lang, v.tpl, metric))]
        return [b.Figure(figures.referrals_by_year(lang, v.tpl, metric))]
    if v["below"] == "grid":
        return [b.Figure(figures.referrals_heatmap(lang, v.tpl))]
    return [b.Text(t("years_view_pick", lang), "caption")]


def body(v: b.View) -> list:
    lang, tpl = v.lang, v.tpl
    years = figures.referral_years()
    names = dict(zip(data.voivodeship_names().teryt, data.voivodeship_names()[f"name_{lang}"]))
    first, last = (v["year"],) * 2 if v["period"] == "year" else v["years"]
    metric = v["metric"]
    when = (b.Control("year", t("year", lang), widget="slider") if v["period"] == "year"
            else b.Control("years", t("years", lang), widget="slider"))
    chosen = [factsheet_download(v["v"], lang), b.Figure(figures.referrals_series(lang, v["v"], tpl, metric))] \
        if v["v"] else []
    return [
        b.Heading(t("referrals_heading", lang)),
        b.Columns((2, 3, 2), ((b.Control("period", t("period", lang), labels(PERIODS, lang)),), (when,),
                              (b.Control("metric", t("measure", lang), labels(METRICS, lang)),))),
        b.Columns((3, 2), ((b.Figure(figures.referrals_map(lang, tpl, first, last, metric), key="referrals_map",
                                     select="v"),
                            b.Text(t("map_legend_note", lang), "caption")),
                           (b.Figure(figures.referrals_ranking(lang, tpl, first, last, metric)),))),
        # The map's click-to-choose for the keyboard; its label says so (a screen reader announces it).
        b.Control("v", t("voivodeship_pick", lang), {"": t("choose_voivodeship", lang), **names}, widget="select"),
        *chosen,
        b.Heading(t("small_multiples_heading", lang, first=years[0], last=years[-1]), 3),
        b.Control("below", t("years_view", lang), labels(BELOW, lang)),
        *below(v, years, metric),
        b.Text(t("referrals_caveat", lang, coverage=figures.series_caveat("programme_referrals", lang)), "caption"),
        *[b.Text(said, "caption") for said in figures.referral_mismatches(lang)],
    ]


PAGE = b.Page("referrals", "nav_referrals", (
    b.choice("period", list(PERIODS)), b.year("year", figures.referral_years),
    b.years("years", figures.referral_years), b.choice("metric", list(METRICS)), b.Param("v", voivodeships, lambda opts: ""),
    b.Param("below", lambda: list(BELOW), lambda opts: None), b.choice("all", list(SHOWN))), body)

if __name__ == "__main__":
    live.draw(PAGE)
