"""Context: the survey, regional teams, regional prevention, the IOM project (KCIK: the national counts page)."""

import streamlit as st

from app import data, figures, tables
from app.i18n import t
from app.page import nav_label, notices, setup, show, ui_template
from app.state import PageState

lang = setup("nav_context")
state = PageState("context")
SECTIONS = {"survey": (figures.context_survey, "passage"), "teams": (figures.context_teams, "passage"),
            "prevention": (figures.context_prevention, "passage"), "iom": (figures.context_timeline, "passage")}
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
                     format_func=lambda s: t(f"context_section_{s}", lang))
name = state.value("section")
make, quote = SECTIONS[name]
show(make(lang, tpl))
with st.expander(t("provenance", lang)):
    st.markdown(tables.records(data.context_table(name).dropna(subset=[quote]), lang, quote))
