"""Home page: headline figures of the Programme and of emigration, and the build date."""

import streamlit as st

from app import data
from app.i18n import fmt_int, fmt_pct, t
from app.page import setup

lang = setup()
h = data.headline()
info = data.build_info()

st.title(t("app_title", lang))
st.write(t("home_intro", lang))

cols = st.columns(4)
cols[0].metric(t("enrolled", lang, first=h["first_year"], last=h["last_year"]), fmt_int(h["total"], lang))
cols[1].metric(t("women", lang), fmt_int(h["women"], lang),
               help=t("share_of_total", lang, share=fmt_pct(h["women"] / h["total"], lang)))
cols[2].metric(t("men", lang), fmt_int(h["men"], lang),
               help=t("share_of_total", lang, share=fmt_pct(h["men"] / h["total"], lang)))
cols[3].metric(t("minors", lang), fmt_int(h["minors"], lang),
               help=t("minors_help", lang, in_care=h["minors_in_care"],
                      unaccompanied=h["minors_unaccompanied"]))
cols = st.columns(4)
cols[0].metric(t("peak_year", lang), str(h["peak_year"]), help=t("peak_help", lang, n=h["peak"]))
cols[1].metric(t("voivodeships_referring", lang), f"{h['voivodeships_referring']} {t('of_16', lang)}")
cols[2].metric(t("emigration_latest", lang, year=h["emigration_year"]),
               t("thousands_persons", lang, n=fmt_int(h["emigration_thousands"], lang)))

st.caption(t("caveats", lang))
for m in data.data_quality("warning").query("check_name == 'referrals_year_vs_enrolments'").itertuples():
    st.caption(t("referrals_mismatch", lang, year=m.key, expected=m.expected, actual=m.actual))
st.caption(t("data_as_of", lang, when=f"{info['built_at']:%Y-%m-%d %H:%M} UTC", version=info["etl_version"]))
