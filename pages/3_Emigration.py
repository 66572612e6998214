"""Emigration: where Poles stay temporarily abroad (GUS), a Europe map, totals and top destinations."""

import streamlit as st

from app import data, figures
from app.i18n import fmt_int, t
from app.page import columns, notices, setup, show, ui_template
from app.state import PageState

lang = setup("nav_emigration")
stock = data.emigration_stock()
stock["label"] = stock[f"name_{lang}"]
years = figures.emigration_years()
state = PageState("emigration")
tpl = ui_template()

st.title(t("emigration_heading", lang))
c1, c2 = st.columns([3, 2])
c1.select_slider(t("year", lang), options=years, key=state.year("year", years, years[-1]))
c2.segmented_control(t("scale", lang), ["classes", "continuous"], required=True,
                     key=state.choice("scale", ["classes", "continuous"], "classes"),
                     format_func=lambda s: t(f"scale_{s}", lang))
notices(state.sync(), lang)

year = state.value("year")
this = stock[stock.year == year].rename(columns={"iso3": "id", "emigrants_thousands": "value"})
left, right = columns([3, 1])
with left:
    show(figures.emigration_map(lang, tpl, year, classes=state.value("scale") == "classes"))
with right:
    st.markdown(f"**{t('published_for_year', lang, year=year)}**")
    listed = this.sort_values("value", ascending=False)
    st.dataframe(listed[["label", "value", "source_id"]].rename(columns={
        "label": t("country", lang), "value": t("thousand_short", lang), "source_id": t("source", lang)}),
        hide_index=True, width="stretch", height=min(36 * (len(listed) + 1) + 4, 420))
    elsewhere = stock[(stock.year != year) & ~stock.iso3.isin(this.id)].drop_duplicates("iso3")
    if len(elsewhere):
        st.markdown(f"**{t('no_data_this_year', lang)}**: " + ", ".join(sorted(elsewhere.label)))
    outside = this[~this.in_europe]
    st.markdown(f"**{t('outside_map', lang)}**: " + (", ".join(
        f"{r.label} ({fmt_int(r.value, lang)} {t('thousand_short', lang)})" for r in outside.itertuples())
        if len(outside) else t("none_published", lang)))
    st.caption(t("emigration_coverage_note", lang))

show(figures.emigration_totals(lang, tpl))
show(figures.emigration_top(lang, tpl))
st.caption(t("emigration_caveat", lang))
