"""Set-up shared by every page: page config, language, the database being there."""

from __future__ import annotations

import streamlit as st

from app import data
from app.i18n import DEFAULT_LANG, LANGS, t
from etl.errors import BuildError, InputError


def language() -> str:
    """The UI language from the `lang` query parameter, with a switch in the sidebar."""
    lang = st.query_params.get("lang", DEFAULT_LANG)
    if lang not in LANGS:
        lang = DEFAULT_LANG
    chosen = st.sidebar.segmented_control(
        t("language", lang), options=list(LANGS), default=lang,
        format_func=lambda code: {"pl": "Polski", "en": "English"}[code], key="lang_switch")
    chosen = chosen or lang
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


def setup(title_key: str = "app_title") -> str:
    """Configure the page and return the UI language."""
    st.set_page_config(page_title=t(title_key, DEFAULT_LANG), layout="wide")
    lang = language()
    database(lang)
    return lang
