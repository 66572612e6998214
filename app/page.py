"""Set-up shared by every page: page config, language, the database being there."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app import data
from app.i18n import DEFAULT_LANG, LANGS, t
from app.maps import TOPOJSON_URL
from etl.errors import BuildError, InputError

# The pages in navigation order: (file, label key). Streamlit discovers them from pages/.
PAGES = [("dashboard.py", "nav_home"), ("pages/1_Victims.py", "nav_victims"),
         ("pages/2_Referrals.py", "nav_referrals"), ("pages/3_Emigration.py", "nav_emigration"),
         ("pages/4_Data.py", "nav_data")]


def language() -> str:
    """The UI language from the `lang` query parameter, with a switch in the sidebar."""
    # The URL wins; without it, the language chosen earlier in this session (page links drop it).
    lang = st.query_params.get("lang") or st.session_state.get("lang", DEFAULT_LANG)
    if lang not in LANGS:
        st.session_state["bad_lang"] = True
        lang = DEFAULT_LANG
    chosen = st.sidebar.segmented_control(
        t("language", lang), options=list(LANGS), default=lang,
        format_func=lambda code: {"pl": "Polski", "en": "English"}[code], key="lang_switch")
    chosen = chosen or lang
    st.session_state["lang"] = chosen
    if chosen != DEFAULT_LANG:
        st.query_params["lang"] = chosen
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    return chosen


def database(lang: str) -> None:
    """Make sure a database build exists (build it on first start); stop the page if it cannot."""
    try:
        if data.build_path() is None:
            with st.spinner(t("building_db", lang)):
                data.ensure_database()
            st.toast(t("built_db", lang))
        data.build_info()
    except (InputError, BuildError) as exc:
        st.error(t("etl_error", lang, error=exc))
        st.stop()
    except data.DatabaseUnavailable as exc:
        st.error(t("db_error", lang, error=exc))
        st.stop()


def navigation(lang: str) -> None:
    """Translated page links (Streamlit's own list would show the English file names)."""
    params = {"lang": lang} if lang != DEFAULT_LANG else None
    for path, key in PAGES:
        st.sidebar.page_link(path, label=t(key, lang), query_params=params)


def setup(title_key: str = "app_title") -> str:
    """Configure the page and return the UI language."""
    st.set_page_config(page_title=t(title_key, DEFAULT_LANG), layout="wide")
    lang = language()
    navigation(lang)
    database(lang)
    return lang


def notices(invalid: list[str], lang: str) -> None:
    """Say which URL parameters were ignored (by name only: user text is never echoed)."""
    if st.session_state.pop("bad_lang", False):
        invalid = ["lang", *invalid]
    for name in invalid:
        st.info(t("bad_param", lang) if name == "?" else t("invalid_param", lang, name=name))


def ui_template() -> str:
    """The figure template matching the UI theme (exports always use 'light')."""
    try:
        return "dark" if st.context.theme.type == "dark" else "light"
    except AttributeError:
        return "light"


def chart_config(fig: go.Figure) -> dict:
    """plotly.js config: local topojson, a sharp PNG with a meaningful name from the camera button."""
    return {"topojsonURL": TOPOJSON_URL, "displaylogo": False,
            "modeBarButtonsToRemove": ["select2d", "lasso2d"],
            "toImageButtonOptions": {"format": "png", "scale": 3,
                                     "filename": f"{fig.layout.meta['name']}_{fig.layout.meta['lang']}"}}


def show(fig: go.Figure, key: str | None = None, **kwargs):
    """Draw a figure with our own template (theme=None) and its alt text."""
    return st.plotly_chart(fig, theme=None, config=chart_config(fig), key=key,
                           alt=fig.layout.meta.get("alt") or None, **kwargs)
