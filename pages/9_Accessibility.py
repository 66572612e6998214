"""Accessibility statement (deklaracja dostępności): its facts from the last recorded accessibility check."""

import streamlit as st

from app import accessibility, tables
from app.i18n import t
from app.page import nav_label, notices, setup
from app.state import PageState

lang = setup("nav_a11y")
notices(PageState("accessibility").sync(), lang)
st.title(t("nav_a11y", lang))
st.write(t("a11y_intro", lang, app=nav_label("app_title", lang)))
st.header(t("a11y_status_heading", lang))
st.markdown(t("a11y_status", lang))
st.header(t("a11y_not_heading", lang))
st.markdown(t("a11y_not", lang))
st.header(t("a11y_check_heading", lang))
record = accessibility.last_check()
st.markdown(t("a11y_check", lang, **accessibility.summary(record)) if record else t("a11y_never_checked", lang))
st.header(t("a11y_contact_heading", lang))
contact = accessibility.contact()
st.markdown(t("a11y_contact", lang, contact=tables.escape(contact) if contact else t("a11y_contact_unset", lang)))
