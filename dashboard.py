"""Overview: headline figures, a small trend and a small map linking to their pages, caveats."""

import streamlit as st

if __name__ != "__main__":
    # `streamlit run dashboard.py` reads this file for an app to serve and imports it (a page run is "__main__"):
    # the dashboard itself, its HTML document in the reader's language from the first byte (app/document.py).
    from starlette.middleware import Middleware

    from app.document import DocumentLanguage

    streamlit_app = st.App(__file__, middleware=[Middleware(DocumentLanguage)])
else:
    from app import data, figures
    from app.figures import national
    from app.i18n import fmt_int, fmt_pct, t, tn
    from app.page import columns, notices, setup, show, ui_template
    from app.state import PageState

    lang = setup()
    notices(PageState("home").sync(), lang)
    h = data.headline()
    info = data.build_info()
    tpl = ui_template()

    st.title(t("app_title", lang))
    st.write(t("home_intro", lang))

    period = f"{h['first_year']}–{h['last_year']}"
    cols = st.columns(4)
    cols[0].metric(t("enrolled", lang, first=h["first_year"], last=h["last_year"]), fmt_int(h["total"], lang))
    for col, key in zip(cols[1:], ["women", "men", "minors"]):
        # a share of nothing is "no data", not a division by zero
        col.metric(t(f"share_{key}", lang), fmt_pct(h[key] / h["total"] if h["total"] else None, lang),
                   help=tn("share_help", "total", lang, n=h[key], total=h["total"], period=period))
    cols = st.columns(4)
    cols[0].metric(t("peak_year", lang), str(h["peak_year"] or t("no_data", lang)), help=tn("peak_help", "n", lang, n=h["peak"]))
    cols[1].metric(t("voivodeships_referring", lang), f"{h['voivodeships_referring']} {t('of_n', lang, n=h['voivodeships'])}",
                   help=t("voivodeships_help", lang, period=period))
    cols[2].metric(t("emigration_latest", lang, year=h["emigration_year"] or "–"),
                   fmt_int(h["emigration_thousands"], lang),  # the unit is in the label: "2,239 thousand" was cut
                   help=t("emigration_help", lang))
    cols[3].metric(t("minors", lang), fmt_int(h["minors"], lang),
                   help=t("minors_help", lang, in_care=h["minors_in_care"], unaccompanied=h["minors_unaccompanied"]))

    if h["missing_years"]:
        st.warning(t("headline_incomplete", lang, years=", ".join(map(str, h["missing_years"]))))

    left, right = columns([1, 1])
    link = {"lang": lang} if lang != "pl" else None
    with left:
        show(figures.total_trend(lang, tpl))
        st.page_link("pages/1_Victims.py", label=t("more_victims", lang), icon=":material/bar_chart:", query_params=link)
    with right:
        show(figures.overview_map(lang, tpl))
        st.page_link("pages/2_Referrals.py", label=t("more_referrals", lang), icon=":material/map:", query_params=link)

    # After the Programme's years: the latest published national counts, each with its year (other populations).
    programme_last = h["last_year"]
    st.subheader(t("latest_heading", lang, last=programme_last, next=programme_last + 1))
    tiles = national.latest_tiles(lang)
    for row in range(0, len(tiles), 3):  # three a row, not four: the labels say what is counted and must not be cut
        for col, tile in zip(st.columns(3), tiles[row:row + 3]):
            col.metric(tile["label"], tile["value"], help=tile["help"])
    st.page_link("pages/8_National_counts.py", label=t("more_since", lang, last=programme_last, next=programme_last + 1),
                 icon=":material/timeline:", query_params=link)

    st.caption(t("caveats", lang))
    for said in figures.referral_mismatches(lang):
        st.caption(said)
    st.caption(t("data_as_of", lang, when=f"{info['built_at']:%Y-%m-%d %H:%M:%S} UTC", version=info["etl_version"]))
