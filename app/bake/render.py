"""The static edition's HTML: a page per view, an embed page per figure view, and the figure scripts they load."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field

import plotly.graph_objects as go
from _plotly_utils.utils import PlotlyJSONEncoder

from app.markup import esc, figure_table
from app.i18n import LANGS, t

LANG_NAMES = {"pl": "Polski", "en": "English"}
MODEBAR_REMOVE = ["select2d", "lasso2d"]


@dataclass
class Shared:
    """A figure as the edition publishes it: its script, zip, embed page, citation and iframe code."""

    key: str
    script: str  # paths relative to the edition's folder
    zip: str
    embed: str
    citation: str
    iframe: str
    rel_links: list[str] = field(default_factory=list)  # links the page completes to absolute ones (no --base-url)


@dataclass(frozen=True)
class Build:
    """The database build every file names."""

    built_at: str
    etl_version: str
    inputs_sha256: str

    @property
    def line(self) -> str:
        return f"{self.built_at} UTC, ETL {self.etl_version}, inputs sha256 {self.inputs_sha256[:12]}"


def figure_script(fig: go.Figure, key: str, build: Build) -> str:
    """The figure's JSON (data, layout, the live app's chart config but the topojson folder) as a script, so that it
    also loads from file:// (where a page may not fetch files)."""
    meta = fig.layout.meta
    # The figure's own dicts, arrays as lists and NaN as null by plotly's encoder: no deep copy and base64 of every
    # array first (pio.to_json, 15 times slower); the figure is shared (cached) and is only read here.
    body = {"data": fig._data, "layout": fig._layout}
    body["config"] = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": MODEBAR_REMOVE,
                      "toImageButtonOptions": {"format": "png", "scale": 3,
                                               "filename": f"{meta['name']}_{meta['lang']}"}}
    text = json.dumps(body, cls=PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (f"/* {build.line} */\n(window.DASHBOARD_FIGURES = window.DASHBOARD_FIGURES || {{}})"
            f"[{json.dumps(key)}] = {text};\n")


def read_figure_script(script: str) -> go.Figure:
    """The figure a `figure_script` holds, read back (its data and layout)."""
    body = json.loads(script.split("\n", 2)[1].split("] = ", 1)[1].removesuffix(";"))
    return go.Figure({"data": body["data"], "layout": body["layout"]})


def rel(path: str, start: str) -> str:
    """`path` relative to the folder of the file `start` (both relative to the edition's folder)."""
    return posixpath.relpath(path, posixpath.dirname(start) or ".")


def _head(lang: str, title: str, page: str, build: Build) -> str:
    root = "../" * page.count("/")  # from the page's folder up to the edition's
    return (f'<!doctype html>\n<html lang="{lang}" data-root="{esc(root)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{esc(title)}</title>\n'
            f'<meta name="dashboard-build" content="{esc(build.line)}">\n'
            f'<link rel="icon" href="{root}assets/favicon.png">\n<link rel="stylesheet" href="{root}assets/site.css">\n'
            f'<script src="{root}assets/plotly.min.js"></script>\n<script src="{root}assets/world_110m.js"></script>\n'
            "</head>\n")


def _figure(fig: go.Figure, shared: Shared, page: str, lang: str) -> str:
    meta = fig.layout.meta
    fid = esc(shared.key)
    rel_attr = lambda text: "".join(f' data-rel="{esc(r)}"' for r in shared.rel_links if r in text)  # noqa: E731
    parts = [f'<figure class="chart" id="fig-{fid}"><div class="plot" data-figure="{fid}"></div>']
    if meta.get("description"):
        parts.append(f'<figcaption>{esc(meta["description"])}</figcaption>')
    if table := figure_table(meta.get("table")):
        parts.append(f'<details><summary>{esc(t("table_toggle", lang))}: {esc(meta["title"])}</summary>{table}</details>')
    parts.append(
        f'<details class="share"><summary>{esc(t("share_menu", lang))}</summary>'
        f'<h3>{esc(t("cite_heading", lang))}</h3><pre id="cite-{fid}"{rel_attr(shared.citation)}>{esc(shared.citation)}</pre>'
        f'<button type="button" data-copy="cite-{fid}">{esc(t("copy", lang))}</button>'
        f'<p><a href="{esc(rel(shared.zip, page))}" download>{esc(t("behind_download", lang))}</a><br>'
        f'<span class="caption">{esc(t("behind_help", lang))}</span></p>'
        f'<h3>{esc(t("embed_heading", lang))}</h3><pre id="embed-{fid}"{rel_attr(shared.iframe)}>{esc(shared.iframe)}</pre>'
        f'<button type="button" data-copy="embed-{fid}">{esc(t("copy", lang))}</button></details></figure>')
    return "".join(parts)


def page(*, lang: str, path: str, title: str, blocks: list, shared: dict[int, Shared], nav: list[tuple[str, str, bool]],
         other: dict[str, str], build: Build, redirects: dict | None = None) -> str:
    """A page of the edition at `path`: header (pages, language), its blocks (controls among them), the footer."""
    scripts = []
    body = []
    for block in blocks:
        if isinstance(block, go.Figure):
            s = shared[id(block)]
            body.append(_figure(block, s, path, lang))
            scripts.append(rel(s.script, path))
        else:
            body.append(block)
    links = "".join(f'<li><a href="{esc(rel(href, path))}"{" aria-current=page" if here else ""}>{esc(label)}</a></li>'
                    for label, href, here in nav)
    langs = "".join(f'<a href="{esc(rel(href, path))}" lang="{code}" hreflang="{code}">{LANG_NAMES[code]}</a>'
                    for code, href in other.items())
    redirect = ""
    if redirects:
        redirect = (f'<script>window.DASHBOARD_VIEWS = {json.dumps(redirects, sort_keys=True, ensure_ascii=False)};'
                    "</script>\n")
    return (_head(lang, f"{title} – {t('app_title', lang)}", path, build)
            + f'<body>\n<a class="skip" href="#main">{esc(t("static_skip", lang))}</a>\n<header><p class="brand">'
            f'{esc(t("app_title", lang))}</p><nav aria-label="{esc(t("static_nav", lang))}"><ul>{links}</ul></nav>'
            f'<p class="langs">{langs}</p></header>\n<main id="main">\n'
            + "\n".join(body)
            + f'\n</main>\n<footer><p>{esc(t("static_footer", lang, build=build.line))}</p></footer>\n'
            + redirect + "".join(f'<script src="{esc(s)}"></script>\n' for s in dict.fromkeys(scripts))
            + f'<script src="{rel("assets/site.js", path)}"></script>\n</body>\n</html>\n')


def embed(*, lang: str, path: str, fig: go.Figure, shared: Shared, build: Build) -> str:
    """The figure alone, as wide as its frame: for an <iframe> on another site."""
    meta = fig.layout.meta
    return (_head(lang, meta["title"], path, build)
            + f'<body class="embed">\n<main><figure class="chart"><div class="plot" data-figure="{esc(shared.key)}"></div>'
            f'<figcaption class="sr-only">{esc(meta.get("description") or meta.get("alt") or "")}</figcaption></figure>'
            f'</main>\n<script src="{esc(rel(shared.script, path))}"></script>\n'
            f'<script src="{rel("assets/site.js", path)}"></script>\n</body>\n</html>\n')


def root_index(build: Build, first: dict[str, str]) -> str:
    """The edition's entry: the language choice (Polish first), leading to each language's overview."""
    links = "".join(f'<li><a href="{esc(href)}" lang="{code}" hreflang="{code}">{esc(t("app_title", code))} '
                    f"({LANG_NAMES[code]})</a></li>" for code, href in first.items())
    lang = next(iter(first)) if first else LANGS[0]
    return (_head(lang, t("app_title", lang), "index.html", build)
            + f'<body>\n<main id="main"><h1>{esc(t("app_title", lang))}</h1><ul>{links}</ul>'
            f'<p>{esc(t("static_footer", lang, build=build.line))}</p></main>\n</body>\n</html>\n')
