"""Emigration: two separate measures of where Poles live abroad (GUS temporary emigrants, UN DESA born in
Poland), each with its own map, years and source, and a side-by-side comparison that never combines them."""

from app import blocks as b
from app import data, figures, live, numbers, tables
from app.i18n import N_, t

# Each control's options and the keys of their labels.
MEASURES = {"gus": N_("measure_gus"), "undesa": N_("measure_undesa")}
VIEWS = {"europe": N_("view_europe"), "world": N_("view_world")}
SCALES = {"classes": N_("scale_classes"), "continuous": N_("scale_continuous")}
GUS_VIEWS = {"totals": N_("gus_view_totals"), "top": N_("gus_view_top")}


def labels(keys: dict, lang: str) -> dict:
    return {k: t(v, lang) for k, v in keys.items()}


def listing(v: b.View, gus: bool, year: int) -> list:
    """The values the map shows as a list (one rounding rule for map, hover and list: numbers.label), the countries
    without a figure this year and those outside the map. The list flows with the page: a fixed-height scroll box
    cannot be reached with the keyboard (WCAG 2.1.1)."""
    lang = v.lang
    if gus:
        stock = data.emigration_stock()
        this = stock[stock.year == year].rename(columns={"emigrants_thousands": "value"})
    else:
        stock = data.migrant_stock()
        this = stock[stock.year == year].assign(value=lambda d: d.persons / 1000)
    values, unit = this.assign(label=this[f"name_{lang}"]), t("thousand_short", lang)
    listed = values.sort_values("value", ascending=False)
    shown = listed.assign(value=[numbers.label(x, lang) for x in listed.value])
    out = [b.Text(t("published_for_year", lang, year=year) if gus else t("published_for_mid_year", lang, year=year),
                  "strong"),
           b.Table(tables.markdown(shown[["label", "value"]].rename(columns={"label": t("country", lang),
                                                                           "value": unit}), lang)),
           b.Text(tables.sources_line(listed, lang), "caption")]
    if gus:
        elsewhere = stock[(stock.year != year) & ~stock.iso3.isin(this.iso3)].drop_duplicates("iso3")
        if len(elsewhere):
            out.append(b.Text(f"**{t('no_data_this_year', lang)}**: "
                              + ", ".join(map(tables.escape, sorted(elsewhere[f"name_{lang}"])))))
    outside = values[~values.in_europe].sort_values("value", ascending=False)
    if gus or v["view"] == "europe":
        out.append(b.Text(f"**{t('outside_map', lang)}**: " + (", ".join(
            f"{tables.escape(r.label)} ({tables.escape(numbers.label(r.value, lang))} {unit})"
            for r in outside.itertuples()) if len(outside) else t("none_published", lang))))
    return out + [b.Text(t("emigration_coverage_note", lang) if gus else t("measure_help", lang), "caption")]


def body(v: b.View) -> list:
    lang, tpl = v.lang, v.tpl
    gus = v["measure"] == "gus"
    classes = v["scale"] == "classes"
    year = v["year"] if gus else v["un_year"]
    fig = figures.emigration_map(lang, tpl, year, classes=classes) if gus else \
        figures.undesa_map(lang, tpl, year, view=v["view"], classes=classes)
    # The published years as buttons, not a slider: the GUS years have gaps that a slider would space evenly, and a
    # slider's JavaScript (about 180 KB in nine files) is fetched before the page's first screen is complete.
    choices = (b.Control("year" if gus else "un_year", t("year", lang)),
               b.Control("scale", t("scale", lang), labels(SCALES, lang)),
               *(() if gus else (b.Control("view", t("view", lang), labels(VIEWS, lang)),)))
    if gus:  # one view below the map at a time: a page load waits only for what it shows
        after = [b.Control("below", t("gus_view", lang), labels(GUS_VIEWS, lang)),
                 b.Figure(figures.emigration_totals(lang, tpl) if v["below"] == "totals"
                          else figures.emigration_top(lang, tpl)),
                 b.Text(t("emigration_caveat", lang, notes=figures.series_caveat("emigration_gus", lang)), "caption")]
    else:
        after = [b.Figure(figures.undesa_top(lang, tpl))]
    return [
        b.Heading(t("emigration_heading", lang)),
        b.Control("measure", t("measure", lang), labels(MEASURES, lang), help=t("measure_help", lang)),
        b.Columns((7, 4, 3), tuple((c,) for c in choices)),  # at 1366 px: seven years a row, the scale unclipped
        b.Columns((3, 1), ((b.Figure(fig),), tuple(listing(v, gus, year)))),
        *after,
        b.Heading(t("comparison_heading", lang), 3),
        b.Text(t("comparison_intro", lang)),
        b.Control("cmp", t("comparison_year", lang)),
        b.Table(tables.markdown(figures.measure_comparison(lang, v["cmp"]), lang)),
    ]


# Both measures' choices are declared, so switching back and forth keeps each one's view in the URL.
PAGE = b.Page("emigration", "nav_emigration", (
    b.choice("measure", list(MEASURES)), b.year("year", figures.emigration_years),
    b.year("un_year", figures.undesa_years), b.choice("view", list(VIEWS)), b.choice("scale", list(SCALES)),
    b.choice("below", list(GUS_VIEWS)), b.year("cmp", figures.comparison_years)), body)

if __name__ == "__main__":
    live.draw(PAGE)
