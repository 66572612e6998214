"""The floor app: one dashboard page's charts on toy data and nothing else (`?page=<name>`)."""

import streamlit as st

from bench.floor.charts import PAGES, figures

CONFIG = {"topojsonURL": "app/static/"}  # static/ is a symlink to the dashboard's static/

st.set_page_config(layout="wide")
page = st.query_params.get("page", "home")
for (widths, _), row in zip(PAGES[page], figures(page)):
    for col, fig in zip(st.columns(widths) if len(widths) > 1 else [st.container()], row):
        col.plotly_chart(fig, theme=None, config=CONFIG)
