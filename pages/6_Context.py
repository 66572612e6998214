"""Context: the survey, KCIK assistance, regional teams, regional prevention, the IOM project."""

import streamlit as st

from app import data, figures, tables
from app.i18n import t
from app.page import notices, setup, show, ui_template
from app.state import PageState

lang = setup("nav_context")
notices(PageState("context").sync(), lang)
tpl = ui_template()
st.title(t("context_heading", lang))
st.write(t("context_intro", lang))

SECTIONS = [("survey", figures.context_survey, "passage"), ("kcik", figures.context_kcik, "note"),
            ("teams", figures.context_teams, "passage"), ("prevention", figures.context_prevention, "passage"),
            ("iom", figures.context_timeline, "passage")]
for name, make, quote in SECTIONS:
    show(make(lang, tpl))
    with st.expander(t("provenance", lang)):
        st.markdown(tables.records(data.context_table(name).dropna(subset=[quote]), lang, quote))
