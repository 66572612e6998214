"""The HTML document in the reader's language from the first byte: an ASGI middleware that writes `<html lang>` and
`<title>` into the page Streamlit serves (its one static index.html says lang="en" and "Streamlit")."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool

from app.i18n import DEFAULT_LANG, LANGS

# Streamlit answers every page path (/, /Victims, ...) with index.html; its own routes and files live below these.
NOT_DOCUMENTS = ("/_stcore/", "/static/", "/app/static/", "/component/", "/media/", "/_dashboard/")
_HTML_TAG = re.compile(rb"<html\b[^>]*>")
_TITLE = re.compile(rb"<title>.*?</title>", re.S)
DROPPED_REQUEST = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
DROPPED_RESPONSE = {b"content-length", b"etag", b"last-modified"}


def language(query_string: bytes) -> str:
    """The page's language from its URL (`?lang=en`), the default for anything else."""
    lang = parse_qs(query_string.decode("latin-1")).get("lang", [DEFAULT_LANG])[-1]
    return lang if lang in LANGS else DEFAULT_LANG


def page_key(path: str) -> str:
    """The title key (app.page.PAGES) of the page at a URL path; the app's title for the home page or any other."""
    from app.page import PAGES

    name = path.strip("/").split("/")[-1]
    for file, key in PAGES:
        # Streamlit's URL of pages/N_Name.py is /Name
        if file.startswith("pages/") and re.sub(r"^\d+_", "", file[len("pages/"):-3]) == name:
            return key
    return "app_title"


def title(path: str, lang: str) -> str:
    """The tab title of the page at `path` in `lang` (the same that set_page_config sets after the script runs)."""
    from app.page import nav_label

    return nav_label(page_key(path), lang)


def localised(body: bytes, lang: str, page_title: str) -> bytes:
    """index.html with our `lang` and title."""
    body = _HTML_TAG.sub(f'<html lang="{lang}">'.encode(), body, count=1)
    return _TITLE.sub(f"<title>{html.escape(page_title)}</title>".encode(), body, count=1)


class DocumentLanguage:
    """ASGI middleware: for a GET of a page (not of Streamlit's own routes and files) whose answer is HTML,
    set `lang` and `<title>` before the first byte leaves. The request is passed on without Accept-Encoding, so
    the small document comes back uncompressed and can be rewritten (Streamlit's gzip sits inside this)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "GET" or path.startswith(NOT_DOCUMENTS):
            await self.app(scope, receive, send)
            return
        # No validators either: a 304 would let the browser reuse the document of the other language.
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in DROPPED_REQUEST]}
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body" or not _is_html(start):
                if start and not start.get("_sent"):
                    start["_sent"] = True
                    await send({k: v for k, v in start.items() if k != "_sent"})
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            lang = language(scope.get("query_string", b""))
            body = localised(b"".join(chunks), lang, await run_in_threadpool(title, path, lang))
            headers = [(k, v) for k, v in start["headers"] if k.lower() not in DROPPED_RESPONSE]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": start["status"], "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def _is_html(start: dict) -> bool:
    headers = dict((k.lower(), v) for k, v in start.get("headers", []))
    return start.get("status") == 200 and headers.get(b"content-type", b"").startswith(b"text/html")
