"""The fixed floor: one minimal page, one bar chart and one 16-region voivodeship map, served at "/".

Every dashboard page is compared with this one page as well as with its own floor (floor.py): the own floor
says what the page's charts cost at the least, the fixed floor what a user's wait is compared with. Served at
the root, so it pays no sub-path probe (streamlit/streamlit#7074): a sub-page opened directly does.
"""

import streamlit as st

from bench.floor.charts import CONFIG, fixed_figures

st.set_page_config(layout="wide")
for fig in fixed_figures():
    st.plotly_chart(fig, theme=None, config=CONFIG)
