"""After the Programme: the national counts of other populations, each with what it counts, never spliced."""

import streamlit as st

from app import data, figures, tables
from app.i18n import t
from app.page import notices, setup, show, ui_template
from app.state import PageState

lang = setup("nav_since")
state = PageState("national_counts")
key_mode = state.choice("mode", ["count", "share"], "count")
key_topic = state.choice("topic", ["justice", "exploitation"], "justice")
notices(state.sync(), lang)
tpl = ui_template()
first, last = data.programme_period()
latest = figures.series_period()[1]

st.title(t("since_heading", lang, last=last, next=last + 1))
st.write(t("since_intro", lang, last=last, latest=latest))
st.warning(t("since_caveat", lang, first=first, last=last), icon=":material/warning:")

show(figures.national_series(lang, tpl))
footnote = figures.witness_footnote(lang)
if footnote:
    st.caption(footnote)

show(figures.national_kcik(lang, tpl))

# Below the first screen, one topic at a time (?topic=exploitation): a page load draws three figures, not five.
st.segmented_control(t("since_topic", lang), ["justice", "exploitation"], required=True, key=key_topic,
                     format_func=lambda m: t(f"since_topic_{m}", lang))
if state.value("topic") == "exploitation":
    st.segmented_control(t("since_mode", lang), ["count", "share"], required=True, key=key_mode,
                         format_func=lambda m: t(f"mode_{m}", lang))
    show(figures.national_exploitation(lang, tpl, state.value("mode")))
    if figures.exploitation_years()[1]:  # years in finer categories of their own: a chart apart, never regrouped
        show(figures.national_exploitation_apart(lang, tpl))
else:
    show(figures.national_justice(lang, tpl))

with st.expander(t("since_provenance", lang)):
    st.markdown(tables.markdown(figures.national_provenance(lang).fillna(""), lang, plain=(t("year", lang),)))
