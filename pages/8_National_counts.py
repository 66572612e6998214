"""After the Programme: every national count of victims side by side, each with whom it counts, never spliced."""

import streamlit as st

from app import data, tables

from app.figures import assistance, national
from app.i18n import N_, t
from app.page import notices, setup, show, ui_template
from app.state import PageState

# Each control's options and the keys of their labels.
TOPICS = {"justice": N_("since_topic_justice"), "profile": N_("since_topic_profile"),
          "assistance": N_("since_topic_assistance"), "exploitation": N_("since_topic_exploitation")}
MODES = {"count": N_("mode_count"), "share": N_("mode_share")}

lang = setup("nav_since")
state = PageState("national_counts")
key_mode = state.choice("mode", list(MODES), "count")
key_topic = state.choice("topic", list(TOPICS), "justice")
notices(state.sync(), lang)
tpl = ui_template()
first, last = data.programme_period()
latest = national.latest_year()

st.title(t("since_heading", lang, last=last, next=last + 1, latest=latest))
st.write(t("since_intro", lang, last=last, latest=latest))
st.warning(t("since_caveat", lang, first=first, last=last), icon=":material/warning:")

# The default view: every count of victims per year, side by side, and why they differ.
show(national.national_victims(lang, tpl))
if said := national.victims_range(lang):
    st.markdown(f"**{tables.escape(said)}**")
with st.expander(t("since_victims_table", lang)):
    st.markdown(tables.markdown(national.victim_counts_table(lang), lang, plain=(t("year", lang),)))
if footnote := national.witness_footnote(lang):
    st.caption(tables.escape(footnote))

facts = national.facts(lang)
if facts:
    st.subheader(t("since_facts", lang))
    for row in range(0, len(facts), 2):  # two a row: the labels are the indicators' names, often long
        for col, fact in zip(st.columns(2), facts[row:row + 2]):
            col.metric(f"{fact['label']}, {fact['year']}", fact["value"],
                       help=t("fact_help", lang, sources=fact["sources"], note=fact["note"]))
words = national.in_words(lang)
if words:
    st.markdown(f"**{tables.escape(t('since_words', lang, year=words[0]['year']))}**")
    for w in words:
        st.markdown("> " + tables.escape(t("words_quote", lang, publisher=w["publisher"], source=w["source_id"],
                                           words=w["words"])))

# Below the first screen, one topic at a time (?topic=...): a page load draws two figures.
st.segmented_control(t("since_topic", lang), list(TOPICS), required=True, key=key_topic,
                     format_func=lambda m: t(TOPICS[m], lang))
topic = state.value("topic")
if topic == "exploitation":
    st.segmented_control(t("since_mode", lang), list(MODES), required=True, key=key_mode,
                         format_func=lambda m: t(MODES[m], lang))
    show(assistance.national_exploitation(lang, tpl, state.value("mode")))
    if assistance.exploitation_years()[1]:  # years in finer categories of their own: a chart apart, never regrouped
        show(assistance.national_exploitation_apart(lang, tpl))
elif topic == "profile":
    profile = national.national_profile(lang, tpl)
    if profile is not None:
        show(profile)
elif topic == "assistance":
    show(assistance.national_kcik(lang, tpl))
    show(assistance.national_assistance(lang, tpl))
else:
    show(national.national_justice(lang, tpl))
    st.caption(t("justice_rule", lang))

with st.expander(t("since_provenance", lang)):
    st.markdown(tables.markdown(national.provenance(lang), lang, plain=(t("year", lang),)))
