"""Context: the survey, regional teams, regional prevention, the IOM project (KCIK: the national counts page)."""

import streamlit as st

from app import data, figures, tables
from app.i18n import N_, t
from app.page import nav_label, notices, setup, show, ui_template
from app.state import PageState

lang = setup("nav_context")
state = PageState("context")
SECTIONS = {"survey": (figures.context_survey, N_("context_section_survey")),
            "teams": (figures.context_teams, N_("context_section_teams")),
            "prevention": (figures.context_prevention, N_("context_section_prevention")),
            "iom": (figures.context_timeline, N_("context_section_iom"))}  # section -> its figure, its label's key
k_section = state.choice("section", list(SECTIONS), "survey")
notices(state.sync(), lang)
tpl = ui_template()
st.title(t("context_heading", lang))
st.write(t("context_intro", lang))
# KCIK assistance used to be a figure here; it is on the page of the national counts, with the other series.
st.page_link("pages/8_National_counts.py", label=t("context_kcik_moved", lang, page=nav_label("nav_since", lang)),
             icon=":material/timeline:", query_params={"lang": lang} if lang != "pl" else None)

# One topic at a time (each a figure and its quotations), chosen here or in the URL (?section=teams): a page
# load draws one figure, not four.
st.segmented_control(t("context_section", lang), list(SECTIONS), required=True, key=k_section,
                     format_func=lambda s: t(SECTIONS[s][1], lang))
name = state.value("section")
make = SECTIONS[name][0]
show(make(lang, tpl))
with st.expander(t("provenance", lang)):
    st.markdown(tables.records(data.context_table(name).dropna(subset=["passage"]), lang, "passage"))
