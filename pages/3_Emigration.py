"""Emigration: two separate measures of where Poles live abroad (GUS temporary emigrants, UN DESA born in
Poland), each with its own map, years and source, and a side-by-side comparison that never combines them."""

import streamlit as st

from app import data, figures, numbers, tables
from app.i18n import N_, t
from app.page import columns, notices, setup, show, ui_template
from app.state import PageState

# Each control's options and the keys of their labels.
MEASURES = {"gus": N_("measure_gus"), "undesa": N_("measure_undesa")}
VIEWS = {"europe": N_("view_europe"), "world": N_("view_world")}
SCALES = {"classes": N_("scale_classes"), "continuous": N_("scale_continuous")}
GUS_VIEWS = {"totals": N_("gus_view_totals"), "top": N_("gus_view_top")}

lang = setup("nav_emigration")
state = PageState("emigration")
tpl = ui_template()
gus_years, un_years = figures.emigration_years(), figures.undesa_years()

st.title(t("emigration_heading", lang))
st.segmented_control(t("measure", lang), list(MEASURES), required=True, key=state.choice("measure", list(MEASURES), "gus"),
                     format_func=lambda m: t(MEASURES[m], lang), help=t("measure_help", lang))
gus = state.value("measure") == "gus"
# Both measures' choices are declared, so switching back and forth keeps each one's view in the URL.
k_year, k_un_year = state.year("year", gus_years, gus_years[-1]), state.year("un_year", un_years, un_years[-1])
k_view = state.choice("view", list(VIEWS), "europe")
k_below = state.choice("below", list(GUS_VIEWS), "totals")
c1, c2, c3 = st.columns([7, 4, 3])  # at 1366 px: seven years a row, the scale control unclipped in English
# The published years as buttons, not a slider: the GUS years have gaps that a slider would space evenly, and a
# slider's JavaScript (about 180 KB in nine files) is fetched before the page's first screen is complete.
c1.segmented_control(t("year", lang), gus_years if gus else un_years, required=True, key=k_year if gus else k_un_year,
                     wrap=True)
if not gus:
    c3.segmented_control(t("view", lang), list(VIEWS), required=True, key=k_view,
                         format_func=lambda v: t(VIEWS[v], lang))
c2.segmented_control(t("scale", lang), list(SCALES), required=True, key=state.choice("scale", list(SCALES), "classes"),
                     format_func=lambda s: t(SCALES[s], lang))
cmp_years = figures.comparison_years()
k_cmp = state.year("cmp", cmp_years, cmp_years[-1])
notices(state.sync(), lang)

classes = state.value("scale") == "classes"
if gus:
    year = state.value("year")
    stock = data.emigration_stock()
    this = stock[stock.year == year].rename(columns={"emigrants_thousands": "value"})
    fig = figures.emigration_map(lang, tpl, year, classes=classes)
else:
    year = state.value("un_year")
    stock = data.migrant_stock()
    this = stock[stock.year == year].assign(value=lambda d: d.persons / 1000)
    fig = figures.undesa_map(lang, tpl, year, view=state.value("view"), classes=classes)
values, unit = this.assign(label=this[f"name_{lang}"]), t("thousand_short", lang)

left, right = columns([3, 1])
with left:
    show(fig)
with right:
    st.markdown(f"**{t('published_for_year' if gus else 'published_for_mid_year', lang, year=year)}**")
    listed = values.sort_values("value", ascending=False)
    # The values as the map shows them (numbers.label): one rounding rule for map, hover and list. The list
    # flows with the page: a fixed-height scroll box cannot be reached with the keyboard (WCAG 2.1.1).
    shown = listed.assign(value=[numbers.label(v, lang) for v in listed.value])
    st.markdown(tables.markdown(shown[["label", "value"]].rename(columns={
        "label": t("country", lang), "value": unit}), lang))
    st.caption(tables.sources_line(listed, lang))
    if gus:
        elsewhere = stock[(stock.year != year) & ~stock.iso3.isin(this.iso3)].drop_duplicates("iso3")
        if len(elsewhere):
            st.markdown(f"**{t('no_data_this_year', lang)}**: " + ", ".join(map(tables.escape, sorted(elsewhere[f"name_{lang}"]))))
    outside = values[~values.in_europe]
    if gus or state.value("view") == "europe":
        st.markdown(f"**{t('outside_map', lang)}**: " + (", ".join(
            f"{tables.escape(r.label)} ({tables.escape(numbers.label(r.value, lang))} {unit})" for r in outside.sort_values("value", ascending=False).itertuples())
            if len(outside) else t("none_published", lang)))
    st.caption(t("emigration_coverage_note", lang) if gus else t("measure_help", lang))

if gus:
    # One view below the map at a time: a page load waits only for what it shows.
    st.segmented_control(t("gus_view", lang), list(GUS_VIEWS), required=True, key=k_below,
                         format_func=lambda v: t(GUS_VIEWS[v], lang))
    show(figures.emigration_totals(lang, tpl) if state.value("below") == "totals" else figures.emigration_top(lang, tpl))
    st.caption(t("emigration_caveat", lang, notes=figures.series_caveat("emigration_gus", lang)))
else:
    show(figures.undesa_top(lang, tpl))

st.subheader(t("comparison_heading", lang))
st.write(t("comparison_intro", lang))
st.segmented_control(t("comparison_year", lang), cmp_years, required=True, key=k_cmp)
st.markdown(tables.markdown(figures.measure_comparison(lang, state.value("cmp")), lang))
