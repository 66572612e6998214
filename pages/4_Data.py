"""Data and sources: every relation with CSV/XLSX download, the sources, data quality, build info."""

from functools import partial

import streamlit as st

from app import data, downloads
from app.i18n import t, tn
from app.page import change_history, notices, setup
from app.state import PageState
from app.tables import markdown, missing, plain

lang = setup("nav_data")
state = PageState("data")
k_table = state.choice("table", downloads.DOWNLOADABLE, downloads.DOWNLOADABLE[0])
notices(state.sync(), lang)
st.title(t("data_heading", lang))

info = data.build_info()
st.markdown(t("build_line", lang, when=f"{info['built_at']:%Y-%m-%d %H:%M:%S} UTC", version=info["etl_version"],
              sha=info["inputs_sha256"][:12]))

st.header(t("quality_heading", lang))
quality = data.data_quality()
counts = quality.severity.value_counts()
st.markdown(t("quality_counts", lang, errors=int(counts.get("error", 0)),
              warnings=int(counts.get("warning", 0)), infos=int(counts.get("info", 0))))
st.dataframe(quality[data.QUALITY_SHOWN], hide_index=True, width="stretch")

st.header(t("changes_heading", lang))
change_history(lang, key="data")

st.header(t("sources_heading", lang))
st.dataframe(data.sources(), hide_index=True, width="stretch",
             column_config={"url": st.column_config.LinkColumn("url")})
# One expander per published dataset, its updates listed inside: the list stays as long as the number of
# datasets however many years are added.
for row, added in data.datasets_grouped():
    title = row.title_en if lang == "en" and not missing(row.title_en) else row.title  # our sidecars' titles
    more = f" (+ {tn('dataset_updates', 'n', lang, n=len(added))})" if len(added) else ""
    with st.expander(f"{row.dataset}: {title}{more}"):
        st.markdown(f"**{t('publisher', lang)}:** {plain(row.publisher)}  \n**{t('unit', lang)}:** {plain(row.unit)}  \n"
                    f"**{t('licence', lang)}:** {plain(row.licence)}  \n**{t('raw_file', lang)}:** "
                    f"`data/raw/{row.raw_file}` (sha256 `{row.raw_sha256[:12]}…`)")  # code spans show text as is
        for line in ("" if missing(row.caveats) else row.caveats).splitlines():
            st.markdown(f"- {plain(line)}")
        if len(added):
            st.markdown(f"**{t('updates_of_dataset', lang)}**")
            st.markdown(markdown(added.assign(sha256=added.raw_sha256.str[:12])[
                ["raw_file", "title", "publisher", "date", "sha256"]].rename(columns={
                    "raw_file": t("col_file", lang), "title": t("col_publication", lang),
                    "publisher": t("publisher", lang).lower(), "date": t("col_date", lang)}), lang))

st.header(t("tables_heading", lang))
# One relation at a time: sending all of them made this the heaviest page (about 230 KB per load).
st.selectbox(t("table", lang), downloads.DOWNLOADABLE, key=k_table)
name = state.value("table")
frame = downloads.table(name)
st.caption(tn("rows", "n", lang, n=len(frame)))
st.dataframe(frame, hide_index=True, width="stretch")
a, b = st.columns(2)
# Callables: the file is made only when the button is clicked.
a.download_button(t("download_csv", lang), partial(downloads.as_csv, name), file_name=f"{name}.csv",
                  mime="text/csv", key=f"csv_{name}")
b.download_button(t("download_xlsx", lang), partial(downloads.as_xlsx, name), file_name=f"{name}.xlsx",
                  mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{name}")
