"""Referrals by voivodeship: a map for a year or a range, small multiples, ranking, heatmap, one series."""

import streamlit as st

from app import charts, data, maps
from app.i18n import t
from app.page import notices, setup, show, ui_template
from app.state import PageState

lang = setup("nav_referrals")
rows = data.referrals_by_year()
rows["label"] = rows[f"name_{lang}"]
years = sorted(int(y) for y in rows.year.unique())
names = dict(zip(rows.id, rows.label))
state = PageState("referrals")
tpl = ui_template()
source = data.citation("programme_referrals", lang)

k_voiv = state.choice("v", sorted(names), "")


def pick_from_map():
    """A click on the map chooses that voivodeship."""
    points = st.session_state["referrals_map"].selection.points
    if points and points[0].get("location") in names:
        st.session_state[k_voiv] = points[0]["location"]


st.title(t("referrals_heading", lang))
c1, c2, c3 = st.columns([2, 3, 2], gap="medium")
c1.segmented_control(t("period", lang), ["year", "range"], required=True,
                     key=state.choice("period", ["year", "range"], "year"),
                     format_func=lambda p: t(f"period_{p}", lang))
if state.value("period") == "year":
    c2.select_slider(t("year", lang), options=years, key=state.year("year", years, years[-1]))
else:
    c2.select_slider(t("years", lang), options=years,
                     key=state.year_range("years", years, (years[0], years[-1])))
c3.segmented_control(t("measure", lang), ["count", "rate"], required=True,
                     key=state.choice("metric", ["count", "rate"], "count"),
                     format_func=lambda m: t(f"metric_{m}", lang))
notices(state.sync(), lang)

first, last = ((state.value("year"),) * 2 if state.value("period") == "year" else state.value("years"))
rate = state.value("metric") == "rate"
value, decimals = ("per_million", 1) if rate else ("referrals", 0)
period = str(first) if first == last else f"{first}–{last}"
unit = t("unit_rate", lang) if rate else t("unit_referrals", lang)
if rate and first != last:
    unit = t("unit_rate_range", lang)
subtitle = f"{unit}, {period}" + (f"; {t('population_break', lang)}" if rate and first <= 2009 < last else "")
if rate:
    source += "; " + data.citation("population", lang)
in_range = data.referrals_in_range(first, last)
in_range["label"] = in_range[f"name_{lang}"]

left, right = st.columns([3, 2])
with left:
    show(maps.referrals_map(in_range, lang, value=value, decimals=decimals, colorbar=unit,
                            title=t("title_referrals_map", lang), subtitle=subtitle, source=source, tpl=tpl,
                            name=f"referrals_map_{state.value('metric')}_{period}"),
         key="referrals_map", on_select=pick_from_map, selection_mode="points")
    st.caption(t("map_legend_note", lang))
with right:
    show(charts.ranking_chart(in_range, lang, value=value, decimals=decimals,
                              title=t("title_referrals_ranking", lang), subtitle=subtitle, source=source,
                              tpl=tpl, name=f"referrals_ranking_{state.value('metric')}_{period}"))

st.selectbox(t("voivodeship", lang), [""] + sorted(names, key=lambda i: names[i]), key=k_voiv,
             format_func=lambda i: names.get(i, t("choose_voivodeship", lang)))
chosen = state.value("v")
if chosen:
    one = rows[rows.id == chosen]
    show(charts.series_chart(one, lang, value=value, decimals=decimals, label=unit,
                             title=t("title_referrals_series", lang, name=names[chosen]),
                             subtitle=f"{unit}, {years[0]}–{years[-1]}", source=source, tpl=tpl,
                             name=f"referrals_{chosen}_{state.value('metric')}"))

st.subheader(t("small_multiples_heading", lang))
show(maps.small_multiples(rows, lang, value=value, decimals=decimals, colorbar=unit,
                          title=t("title_small_multiples", lang), source=source, tpl=tpl,
                          subtitle=f"{unit}, {years[0]}–{years[-1]}"
                                   + (f"; {t('population_break', lang)}" if rate else ""),
                          name=f"referrals_maps_by_year_{state.value('metric')}"))
show(charts.heatmap_chart(rows, lang, source=data.citation("programme_referrals", lang), tpl=tpl))
st.caption(t("referrals_caveat", lang))
