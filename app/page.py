"""Set-up shared by every page: page config, language, presentation mode, database, chart display."""

from __future__ import annotations

import functools
import importlib.util
from functools import partial
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import blocks, builds, data, describe, downloads, export, markup, share, tables, updates
from app.i18n import DEFAULT_LANG, LANGS, t, tn
from app.maps import TOPOJSON_URL
from app.state import PageState
from etl.errors import BuildError, InputError

# Presentation mode: no sidebar, no widgets (the view comes from the URL), text 1.5x. Static CSS only.
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stSlider"], [data-testid="stButtonGroup"], [data-testid="stSelectbox"],
[data-testid="stDownloadButton"], [data-testid="stToggle"], [data-testid="stExpandSidebarButton"] {display: none !important;}
html {font-size: 150%;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding-top: 1.5rem;}
</style>"""

# Static CSS for every page. A visible focus for every control the keyboard reaches (WCAG 2.4.7): Streamlit draws
# none on page links, the disclosures' summaries and the main area that "Skip to main content" focuses. The tables and
# disclosures of text (app/markup.py's HTML, as the static edition draws them) in Streamlit's look: a wide table
# scrolls inside its own box, numbers right-aligned; a <details> framed as an expander.
PAGE_CSS = """<style>
a:focus-visible, summary:focus-visible, [tabindex]:focus-visible {outline: 2px solid #08519c !important;
  outline-offset: 2px;}
.table {overflow-x: auto;}
.table table {border-collapse: collapse; margin: 0 0 1rem; font-size: 0.875rem;}
.table th, .table td {border: 1px solid rgba(49, 51, 63, 0.2); padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top;}
.table th {font-weight: 600;}
.table .num {text-align: right;}
[data-testid="stHtml"] details {border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; margin: 0; padding: 0 1rem;}
[data-testid="stHtml"] details > summary {padding: 0.75rem 0; cursor: pointer;}
[data-testid="stHtml"] details[open] > summary {margin-bottom: 0.25rem;}
[data-testid="stHtml"] details code {font-size: 0.875em; background: #f0f2f6; border-radius: 0.25rem; padding: 0.1em 0.25em;}
[data-testid="stHtml"] details blockquote {border-left: 3px solid rgba(49, 51, 63, 0.3); margin: 0 0 1rem; padding-left: 1rem;}
[data-testid="stHtml"] details .caption {font-size: 0.875rem; color: #4b5058;}
</style>"""

# <html lang> must follow the UI language (a screen reader reads Polish text with English rules otherwise), but
# Streamlit serves one static index.html with lang="en" and has no setting for it. st.html with JavaScript runs
# in the page itself: no iframe per page (components.html would add one, and a document to load), and it runs
# again when its text changes, i.e. when the language does. Constants only: the code never comes from the URL
# (tests/app/test_code_safety.py), and the value is one of LANGS.
HTML_LANG_PL = "<script>document.documentElement.lang = 'pl';</script>" + PAGE_CSS
HTML_LANG_EN = "<script>document.documentElement.lang = 'en';</script>" + PAGE_CSS

# The pages in navigation order: (file, label key). Streamlit discovers them from pages/.
PAGES = [("dashboard.py", "nav_home"), ("pages/1_Victims.py", "nav_victims"),
         ("pages/2_Referrals.py", "nav_referrals"), ("pages/3_Emigration.py", "nav_emigration"),
         ("pages/8_National_counts.py", "nav_since"), ("pages/10_Abroad.py", "nav_abroad"),
         ("pages/4_Data.py", "nav_data"),
         ("pages/5_Slides.py", "nav_slides"),
         ("pages/6_Context.py", "nav_context"), ("pages/7_Update.py", "nav_update"),
         ("pages/9_Accessibility.py", "nav_a11y")]
FOOTER = {"nav_a11y"}  # linked at the foot of the sidebar, not in the list of pages
# Each declared page's file by its key (the static edition's and the figure catalogue's name of the page).
PAGE_FILES = {"overview": "dashboard.py", "victims": "pages/1_Victims.py", "referrals": "pages/2_Referrals.py",
              "emigration": "pages/3_Emigration.py", "data": "pages/4_Data.py", "slides": "pages/5_Slides.py",
              "context": "pages/6_Context.py", "national_counts": "pages/8_National_counts.py",
              "accessibility": "pages/9_Accessibility.py", "abroad": "pages/10_Abroad.py"}
ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def declaration(key: str):
    """A page's declaration (PAGE in its file), imported without running it: the static edition draws it too."""
    spec = importlib.util.spec_from_file_location(f"declared_{key}", ROOT / PAGE_FILES[key])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PAGE


def language() -> str:
    """The UI language from the `lang` query parameter, with a switch in the sidebar."""
    # The URL wins; without it, the language chosen earlier in this session (page links drop it).
    lang = st.query_params.get("lang") or st.session_state.get("lang", DEFAULT_LANG)
    if lang not in LANGS:
        st.session_state["bad_lang"] = True
        lang = DEFAULT_LANG
    chosen = st.sidebar.segmented_control(
        "Język / Language", options=list(LANGS), default=lang,
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
        builds.recover()  # a publish killed half-way is finished or undone before anything is read (two stat calls)
        if builds.build_path() is None:
            with st.spinner(t("building_db", lang)):
                builds.ensure_database()
            st.toast(t("built_db", lang))
        data.build_info()
    except (InputError, BuildError) as exc:
        st.error(t("etl_error", lang, error=exc))
        st.stop()
    except builds.DatabaseUnavailable as exc:
        st.error(t("db_error", lang, error=exc))
        st.stop()


def document_language(lang: str) -> None:
    """Set <html lang> in the browser (from the sidebar: an empty element there takes no room from the page)."""
    if lang == "en":
        st.sidebar.html(HTML_LANG_EN, unsafe_allow_javascript=True)
    else:
        st.sidebar.html(HTML_LANG_PL, unsafe_allow_javascript=True)


def nav_label(key: str, lang: str) -> str:
    """A page's name; the page of the national counts is named after the Programme's last year, from the data
    ("Po 2013 roku"), or plainly while no database can be read."""
    if key != "nav_since":
        return t(key, lang)
    try:
        _first, last = data.programme_period()
    except builds.DatabaseUnavailable:
        return t("nav_since_plain", lang)
    return t(key, lang, last=last, next=last + 1)


def navigation(lang: str) -> None:
    """Translated page links (Streamlit's own list would show the English file names)."""
    params = {"lang": lang} if lang != DEFAULT_LANG else None
    for path, key in PAGES:
        if key == "nav_update" and not updates.enabled():  # the Update page is off unless the server enables it
            continue
        if key in FOOTER:
            continue
        st.sidebar.page_link(path, label=nav_label(key, lang), query_params=params)


def footer(lang: str) -> None:
    """The sidebar's foot: the accessibility statement (the act asks for it to be reachable from every page)."""
    params = {"lang": lang} if lang != DEFAULT_LANG else None
    for path, key in PAGES:
        if key in FOOTER:
            st.sidebar.divider()
            st.sidebar.page_link(path, label=t(key, lang), icon=":material/accessibility:", query_params=params)


def presenting() -> bool:
    """True in presentation mode (`?present=1`)."""
    return st.query_params.get("present") == "1"


def _leave_presentation() -> None:
    del st.query_params["present"]


def _enter_presentation() -> None:
    st.query_params["present"] = "1"


def setup(title_key: str = "app_title") -> str:
    """Configure the page and return the UI language."""
    builds.pin_build()  # the whole run reads one build, even if a rebuild is swapped in half-way (app.builds)
    if share.requested():  # ?figure=<name>: that figure alone, for an iframe on another site (app/share.py)
        lang = share.language()
        st.set_page_config(page_title=nav_label(title_key, lang), layout="wide", initial_sidebar_state="collapsed")
        database(lang)
        if share.embed(lang, ui_template(), chart_config):
            st.stop()
    present = presenting()
    lang = language()
    # After the language switch, so the browser tab's title is in the chosen language: Streamlit 1.67's
    # set_page_config may be called anywhere in a run (its calls add up); only the switch comes before it.
    st.set_page_config(page_title=nav_label(title_key, lang), layout="wide",
                       initial_sidebar_state="collapsed" if present else "auto")
    navigation(lang)
    if present:
        st.html(PRESENT_CSS)
        st.button(t("present_exit", lang), on_click=_leave_presentation, type="tertiary",
                  icon=":material/close_fullscreen:", key="present_exit")
    else:
        st.sidebar.button(t("present_enter", lang), on_click=_enter_presentation,
                          icon=":material/slideshow:", key="present_enter")
        # A segmented control, like the language switch: a selectbox here pulled ~15 more JS files into
        # every page load (bench/). Language-independent labels keep the choice across a language switch.
        st.sidebar.segmented_control(t("png_size", lang), list(export.PRESETS), key="png_preset", required=True,
                                     default="slide",
                                     format_func=lambda p: f"{export.PRESETS[p].width}×{export.PRESETS[p].height}",
                                     help=", ".join(t(f"preset_{p}", lang) for p in export.PRESETS))
    footer(lang)
    document_language(lang)  # last in the sidebar: its empty element's gap falls below everything else
    database(lang)
    return lang


def year_range(where, state: PageState, years: list[int], lang: str, name: str = "years"):
    """A range slider over `years` (default: all of them), kept in the URL as first-last.

    `value=` must be the pair: a pair preset only in session state gives a single slider in the browser.
    """
    key = state.year_range(name, years, (years[0], years[-1]))
    return where.select_slider(t("years", lang), options=years, key=key, value=state.initial(name))


def columns(spec: list[int]) -> list:
    """st.columns, or full-width stacked containers in presentation mode."""
    if presenting():
        return [st.container() for _ in spec]
    return st.columns(spec)


def notices(invalid: list[str], lang: str) -> None:
    """Say which URL parameters were ignored (by name only: user text is never echoed)."""
    if st.session_state.pop("bad_lang", False):
        invalid = ["lang", *invalid]
    for name in invalid:
        st.info(t("bad_param", lang) if name == "?" else t("invalid_param", lang, name=name))


def ui_template() -> str:
    """The figure template for the screen: presentation, or the UI theme's (exports use 'light')."""
    if presenting():
        return "presentation"
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
    """Draw a figure with our own template (theme=None) and its alt text, and offer it as PNG."""
    if presenting():  # 1.5x text needs a taller plot, or the margins eat it (on a copy: figures are shared)
        fig = go.Figure(fig).update_layout(height=max(720, round((fig.layout.height or 450) * 1.4)))
    event = st.plotly_chart(fig, theme=None, config=chart_config(fig), key=key,
                            alt=fig.layout.meta.get("alt") or None, **kwargs)
    if not presenting():
        lang = st.session_state.get("lang", DEFAULT_LANG)
        text_alternative(fig, lang)
        download_buttons(fig, lang)
        share.menu(fig, lang)  # cite this figure, the data behind it, its <iframe> code
    return event


def text_alternative(fig: go.Figure, lang: str) -> None:
    """The figure's description under it (read in order by a screen reader, and useful to anyone) and its numbers
    as an HTML table in a disclosure "Tabela / Table", an HTML <details> (no data grid, whose JavaScript is heavy; no
    Markdown table, which the browser parses cell by cell; no expander, an element and its styles each: see bench/)."""
    meta = fig.layout.meta
    if meta.get("description"):
        st.caption(tables.escape(meta["description"]))
    table = describe.as_frame(meta.get("table"))
    if not table.empty:
        # The figure's title in the label: a screen reader's list of controls then says which table each one opens.
        st.html(markup.details(blocks.Details(f"{t('table_toggle', lang)}: {meta.get('title', '')}",
                                              (blocks.Table(tables.markdown(table, lang)),))))


def download_buttons(fig: go.Figure, lang: str) -> None:
    """'Download PNG', 'SVG' and 'PDF' buttons in one row (PNG first); each file is rendered by kaleido only when
    its button is clicked. SVG and PDF are vector, at the layout of the PNG size chosen in the sidebar."""
    preset = st.session_state.get("png_preset", "slide")
    try:
        export.check_browser()
    except export.ExportUnavailable as exc:
        st.caption(t("png_unavailable", lang, error=exc))
        return
    p = export.PRESETS[preset]
    name = fig.layout.meta["name"]
    with st.container(horizontal=True, gap="small"):
        st.download_button(t("download_png", lang, w=p.width, h=p.height), partial(export.png, fig, preset),
                           file_name=export.file_name(fig, preset), mime=export.FORMATS["png"],
                           icon=":material/download:", key=f"png_{name}", type="tertiary")
        for fmt in ("svg", "pdf"):
            st.download_button(t(f"download_{fmt}", lang), partial(export.render, fig, fmt, preset),
                               file_name=export.file_name(fig, preset, fmt), mime=export.FORMATS[fmt],
                               help=t("download_vector_help", lang), key=f"{fmt}_{name}", type="tertiary")


def factsheet_download(teryt: str, lang: str):
    """The voivodeship's fact sheet as a PDF download (A4, made from the database when it is clicked)."""
    from app import factsheet

    def unavailable() -> str | None:
        try:
            factsheet.check_fonts()
            export.check_browser()
        except export.ExportUnavailable as exc:
            return t("fs_unavailable", lang, error=exc)
        return None

    return blocks.Download(t("fs_download", lang), partial(factsheet.pdf, teryt, lang),
                           file_name=factsheet.file_name(teryt, lang), mime=export.FORMATS["pdf"],
                           key=f"factsheet_{teryt}_{lang}", help=t("fs_download_help", lang),
                           icon=":material/picture_as_pdf:", unavailable=unavailable)


CHANGES_SHOWN = 20  # the change log grows with every publish: the page shows the latest, the CSV has them all


def change_history(lang: str, key: str) -> list:
    """The data change log (newest first, the latest CHANGES_SHOWN rows) with the CSV of all of it, as blocks."""
    try:
        log = data.changes()
    except InputError as exc:  # a line of the log is not a row of it (a merge's conflict marker): said, not hidden
        return [blocks.Text(t("changes_unreadable", lang, error=tables.escape(exc)), "warning")]
    if log.empty:
        return [blocks.Text(t("changes_none", lang), "caption")]
    # publish_id: what the Update page's roll-back and undo act on and carry; by, by_email: who, as signed in
    shown = log.head(CHANGES_SHOWN)[["at", "action", "publish_id", "dataset", "file", "rows_added", "cells_changed",
                                     "rows_removed", "by", "by_email", "build"]]
    more = [blocks.Text(tn("changes_latest", "total", lang, n=CHANGES_SHOWN, total=len(log)), "caption")] \
        if len(log) > CHANGES_SHOWN else []
    return [blocks.Frame(shown), *more, blocks.Download(t("download_csv", lang), downloads.changes_csv,
                                                        "data_changes.csv", "text/csv", f"csv_changes_{key}",
                                                        baked=True)]
