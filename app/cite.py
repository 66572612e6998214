"""A figure's citation, permanent link and <iframe> embed code, in the reader's language (live app and static edition)."""

from __future__ import annotations

import html
import os

from app import data, views
from app.charts.spec import Spec
from app.i18n import t

# The dashboard's public address, for links that must work anywhere (a citation, an embed): set it where the
# dashboard is served behind a proxy or under a path (deploy/README.md). Without it the live app uses the address the
# reader's browser used.
URL_ENV = "DASHBOARD_URL"
EMBED_PADDING = 24  # pixels around the figure in the embed view


def public_base(fallback: str | None = None) -> str:
    """The dashboard's base address ending in "/": DASHBOARD_URL, else `fallback` (scheme, host and base path)."""
    base = os.environ.get(URL_ENV) or fallback or "http://127.0.0.1:8501/"
    return base if base.endswith("/") else base + "/"


def build_date() -> str:
    """The database build's date (UTC), as every citation and file names it."""
    return f"{data.build_info()['built_at']:%Y-%m-%d}"


def citation(spec: Spec, lang: str, url: str) -> str:
    """'<title>. Source: <sources>. In: <dashboard>, data build of <date> (ETL <version>). <url>' in `lang`."""
    info = data.build_info()
    return t("cite_text", lang, title=spec.title.rstrip("."), source=spec.source or "–",
             dashboard=t("app_title", lang), date=build_date(), version=info["etl_version"], url=url)


def link(spec: Spec, lang: str, base: str) -> str | None:
    """The permanent link to the figure's view on its page (None for a figure of no known view)."""
    found = views.view_of(spec)
    return views.page_url(base, *found, lang) if found else None


def embed_url(spec: Spec, lang: str, base: str) -> str | None:
    """The figure alone: its view's address with `figure=<kind>&embed=true` (Streamlit's own embed mode)."""
    found = views.view_of(spec)
    return views.page_url(base, *found, lang, figure=found[0].name, embed="true") if found else None


def height(spec: Spec) -> int:
    """The embed frame's height in pixels: the figure's own, plus the padding of the embed view."""
    return spec.height + EMBED_PADDING


def iframe(spec: Spec, url: str) -> str:
    """The <iframe> code for another site; its `title` (the figure's) is what a screen reader announces."""
    return (f'<iframe src="{html.escape(url)}" title="{html.escape(spec.title)}" width="100%" '
            f'height="{height(spec)}" style="border:0" loading="lazy"></iframe>')
