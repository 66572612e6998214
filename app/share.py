"""In the live app: each figure's "cite, data, embed" menu, and the embed view of one figure (`?figure=<kind>`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

import plotly.graph_objects as go
import streamlit as st

from app import builds, bundle, cite, views
from app.charts.spec import Spec
from app.i18n import DEFAULT_LANG, LANGS, t
from app.state import PageState

PARAM = "figure"  # our own: Streamlit reserves `embed` and `embed_options` and never shows them to the script
# The embed view: no header, toolbar or sidebar, no padding, the figure as wide as its frame. Static CSS only.
EMBED_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stExpandSidebarButton"], [data-testid="stToolbar"] {display: none !important;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding: 0.5rem 0.5rem 0 0.5rem;}
</style>"""


def base_url() -> str:
    """The dashboard's address for links: DASHBOARD_URL, else the one the reader's browser used (without the page)."""
    try:
        url = st.context.url
    except AttributeError:
        url = None
    if not url:
        return cite.public_base()
    parts = urlsplit(url)
    path = parts.path
    if path.rstrip("/").rsplit("/", 1)[-1] in {p for p in views.PAGE_PATHS.values() if p}:
        path = path.rstrip("/").rsplit("/", 1)[0]
    return cite.public_base(f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}/")


def _zip(build, spec: Spec, lang: str, url: str, citation: str) -> bytes:
    with builds.staged(build):  # the build the figure was drawn from, whenever the button is clicked
        return bundle.zip_bytes(spec, lang, url, citation)


def menu(fig: go.Figure, lang: str) -> None:
    """'Cite · data · embed' under a figure: the citation (with the copy button of a code block), the zip of the data
    behind it, and the <iframe> code. Not for the Update page's preview of a build that is not published."""
    spec = Spec.of(fig)
    if views.view_of(spec) is None or builds.is_staged():
        return
    base = base_url()
    url = cite.link(spec, lang, base)
    citation = cite.citation(spec, lang, url)
    name = spec.name
    with st.popover(t("share_menu", lang), icon=":material/format_quote:"):
        st.markdown(f"**{t('cite_heading', lang)}**")
        st.code(citation, language=None, wrap_lines=True)
        st.download_button(t("behind_download", lang), partial(_zip, builds.build_path(), spec, lang, url, citation),
                           file_name=bundle.file_name(spec, lang), mime="application/zip", help=t("behind_help", lang),
                           icon=":material/folder_zip:", key=f"behind_{name}")
        st.markdown(f"**{t('embed_heading', lang)}**")
        st.code(cite.iframe(spec, cite.embed_url(spec, lang, base)), language="html", wrap_lines=True)


def requested() -> bool:
    """True when the URL names a figure to show alone."""
    return PARAM in st.query_params


def language() -> str:
    """The embed view's language from the URL (no switch: the frame shows one figure)."""
    lang = st.query_params.get("lang", DEFAULT_LANG)
    if lang not in LANGS:
        st.session_state["bad_lang"] = True
        return DEFAULT_LANG
    return lang


def embed(lang: str, tpl: str, config: Callable[[go.Figure], dict]) -> bool:
    """Show the named figure alone in the view its parameters give (an invalid one falls back to its default, with a
    notice); return False after a notice if no figure has that name (the page is then shown as usual)."""
    kind = views.KINDS.get(st.query_params.get(PARAM, ""))
    state = PageState(kind.page) if kind else None
    if kind:  # the page's own parameters, as its declaration gives them (an invalid value: its default, named below)
        from app.page import declaration

        params = declaration(kind.page).params
        for p in params:
            state.declare(p)
        fig = kind.make(lang, tpl=tpl, **kind.args({p.name: state.value(p.name) for p in params}))
    else:
        fig = None
    if fig is None:  # unknown, or a figure the data do not allow (never echoed: names only)
        del st.query_params[PARAM]
        st.info(t("invalid_param", lang, name=PARAM))
        return False
    st.html(EMBED_CSS)
    for name in (["lang"] if st.session_state.pop("bad_lang", False) else []) + state.invalid:
        st.info(t("invalid_param", lang, name=name))
    st.plotly_chart(fig, theme=None, config=config(fig), alt=fig.layout.meta.get("alt") or None,
                    key=f"embed_{fig.layout.meta['name']}")
    return True
