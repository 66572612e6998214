"""The floor app: each dashboard page's charts on toy data and nothing else, at the same URL path."""

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from bench.floor.charts import CONFIG, PAGES, figures


def draw(name: str) -> None:
    """One floor page: its rows of charts."""
    for (widths, _), row in zip(PAGES[name], figures(name)):
        for col, fig in zip(st.columns(widths) if len(widths) > 1 else [st.container()], row):
            if isinstance(fig, go.Figure):
                col.plotly_chart(fig, theme=None, config=CONFIG)
            else:
                col.dataframe(fig, hide_index=True)


st.set_page_config(layout="wide")
# Served at the dashboard's own paths ("/", "/Victims", ...): opened at a sub-path, Streamlit's frontend
# first probes <path>/_stcore/health (streamlit/streamlit#7074), a cost of the URL that the floor must share.
st.navigation([st.Page(partial(draw, name), title=name, default=name == "home",
                       url_path=None if name == "home" else name) for name in PAGES], position="hidden").run()
