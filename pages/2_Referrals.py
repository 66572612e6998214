"""Referrals by voivodeship: a map for a year or a range, ranking, one series; small multiples or heatmap on demand."""

import streamlit as st

from app import data, figures
from app.i18n import N_, t, tn
from app.page import columns, factsheet_button, notices, setup, show, ui_template, year_range
from app.state import PageState

# Each control's options and the keys of their labels.
PERIODS = {"year": N_("period_year"), "range": N_("period_range")}
METRICS = {"count": N_("metric_count"), "rate": N_("metric_rate")}
BELOW = {"maps": N_("years_view_maps"), "grid": N_("years_view_grid")}

lang = setup("nav_referrals")
voivodeships = data.query("SELECT teryt, name_pl, name_en FROM voivodeships")
names = dict(zip(voivodeships.teryt, voivodeships[f"name_{lang}"]))
years = figures.referral_years()
state = PageState("referrals")
tpl = ui_template()
k_voiv = state.choice("v", sorted(names), "")
k_below = state.choice("below", list(BELOW), None)


def pick_from_map():
    """A click on the map chooses that voivodeship."""
    points = st.session_state["referrals_map"].selection.points
    if points and points[0].get("location") in names:
        st.session_state[k_voiv] = points[0]["location"]


st.title(t("referrals_heading", lang))
c1, c2, c3 = st.columns([2, 3, 2], gap="medium")
c1.segmented_control(t("period", lang), list(PERIODS), required=True, key=state.choice("period", list(PERIODS), "year"),
                     format_func=lambda p: t(PERIODS[p], lang))
if state.value("period") == "year":
    c2.select_slider(t("year", lang), options=years, key=state.year("year", years, years[-1]))
else:
    year_range(c2, state, years, lang)
c3.segmented_control(t("measure", lang), list(METRICS), required=True, key=state.choice("metric", list(METRICS), "count"),
                     format_func=lambda m: t(METRICS[m], lang))
notices(state.sync(), lang)

first, last = (state.value("year"),) * 2 if state.value("period") == "year" else state.value("years")
metric = state.value("metric")
left, right = columns([3, 2])
with left:
    show(figures.referrals_map(lang, tpl, first, last, metric), key="referrals_map", on_select=pick_from_map,
         selection_mode="points")
    st.caption(t("map_legend_note", lang))
with right:
    show(figures.referrals_ranking(lang, tpl, first, last, metric))

# The map's click-to-choose for the keyboard; its label says so (a screen reader announces it).
st.selectbox(t("voivodeship_pick", lang), [""] + sorted(names, key=names.get), key=k_voiv,
             format_func=lambda i: names.get(i, t("choose_voivodeship", lang)))
if state.value("v"):
    factsheet_button(state.value("v"), lang)
    show(figures.referrals_series(lang, state.value("v"), tpl, metric))

st.subheader(t("small_multiples_heading", lang, first=years[0], last=years[-1]))
# Below the first screen: the maps of the years and the grid are drawn when asked for (or named in the URL),
# so that a page load waits only for what it shows first.
st.segmented_control(t("years_view", lang), list(BELOW), key=k_below, format_func=lambda v: t(BELOW[v], lang))
below = state.value("below")
if below == "maps":
    capped = len(years) > figures.MULTIPLES_AT_FIRST
    if capped and not st.toggle(t("show_all_years", lang, n=len(years)), key="referrals.all_years"):
        st.caption(tn("latest_years_shown", "n", lang, n=figures.MULTIPLES_AT_FIRST))
        show(figures.referrals_by_year(lang, tpl, metric, latest=figures.MULTIPLES_AT_FIRST))
    else:
        show(figures.referrals_by_year(lang, tpl, metric))
elif below == "grid":
    show(figures.referrals_heatmap(lang, tpl))
else:
    st.caption(t("years_view_pick", lang))
st.caption(t("referrals_caveat", lang, coverage=figures.series_caveat("programme_referrals", lang)))
for said in figures.referral_mismatches(lang):
    st.caption(said)
