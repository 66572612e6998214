"""Victims: Programme enrolments by year and group, counts or shares, with the published notes."""

import streamlit as st

from app import charts, data, figures, tables
from app.i18n import N_, t
from app.page import notices, setup, show, ui_template, year_range
from app.state import PageState

MODES = {"count": N_("mode_count"), "share": N_("mode_share")}  # option -> its label's key

lang = setup("nav_victims")
victims = data.victims()
years = [int(y) for y in victims.year]
state = PageState("victims")

st.title(t("victims_heading", lang))
left, right = st.columns([3, 2])
year_range(left, state, years, lang)
right.segmented_control(t("measure", lang), list(MODES), required=True, key=state.choice("mode", list(MODES), "count"),
                        format_func=lambda m: t(MODES[m], lang))
notices(state.sync(), lang)

first, last = state.value("years")
show(figures.victims(lang, ui_template(), first, last, state.value("mode")))

notes = data.annotations("programme_victims")
for row in notes[notes.key.astype(int).between(first, last)].itertuples():
    st.markdown(t("victims_note", lang, year=row.key, text=tables.escape(row.published), counted=row.counted,
                  why=tables.plain(getattr(row, f"explanation_{lang}"), "")))
st.markdown(tables.markdown(charts.victims_table(victims[victims.year.between(first, last)], lang), lang))
st.caption(t("victims_caveat", lang))
