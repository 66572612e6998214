"""The static edition in memory: {path: bytes} for every file, from the views, the figures and the relations."""

from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from app import bundle, cite, data, downloads, views
from app import blocks as declared
from app.bake import render
from app.charts.spec import Spec
from app.bake.blocks import Html
from app.bake.views import View, all_views, resolve
from app.page import declaration
from app.i18n import t
from app.maps import STATIC_DIR

ASSETS = Path(__file__).resolve().parent / "assets"
# The live app's tab icon (Streamlit's own): without one a browser asks the web server for /favicon.ico and logs a 404.
FAVICON = Path(importlib.util.find_spec("streamlit").origin).parent / "static" / "favicon.png"
# plotly.js with only the traces the figures draw (app/bake/plotly/build.sh): the full plotly.min.js of the plotly
# package is three times larger, and parsing it was most of a static page's first load (docs/performance.md, bench.viewer).
PLOTLY_JS = Path(__file__).resolve().parent / "plotly" / "plotly-partial.min.js"
TOPOLOGY = "world_110m"
# The pages in the live app's navigation order: (page, its label's key).
NAV = [("overview", "nav_home"), ("victims", "nav_victims"), ("referrals", "nav_referrals"),
       ("emigration", "nav_emigration"), ("national_counts", "nav_since"), ("abroad", "nav_abroad"),
       ("data", "nav_data"),
       ("slides", "nav_slides"), ("context", "nav_context")]


def page_path(lang: str, v: View) -> str:
    """'pl/index.html' (the overview), 'en/Referrals/year-2012_metric-rate.html', ..."""
    folder = views.PAGE_PATHS[v.page]
    return f"{lang}/" + (f"{folder}/" if folder else "") + v.file


def _label(key: str, lang: str) -> str:
    if key != "nav_since":
        return t(key, lang)
    _first, last = data.programme_period()
    return t(key, lang, last=last, next=last + 1)


def _stamp(build: render.Build) -> tuple[int, ...]:
    when = pd.Timestamp(build.built_at)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def _rezip(raw: bytes, stamp: tuple[int, ...]) -> bytes:
    """A zip (an XLSX) again with every entry dated `stamp`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def xlsx(name: str, build: render.Build) -> bytes:
    """A relation as the Data page's XLSX, with the build as its date and description, and every entry of the zip
    dated the build too: the same build gives the same file."""
    when = pd.Timestamp(build.built_at).to_pydatetime()
    props = {"created": when, "author": "dashboard", "title": name, "comments": build.line}
    return _rezip(downloads.xlsx_bytes(downloads.download_frame(name), name[:31], props), _stamp(build))


def assets(build: render.Build) -> dict[str, bytes]:
    """plotly.js (our partial bundle of the plotly package's version), the topology from static/ (and as a script that hands it to
    plotly.js, which otherwise fetches it: a page from file:// may not), the tab icon, the edition's CSS and script."""
    head = f"/* {build.line} */\n".encode()
    topo = (STATIC_DIR / f"{TOPOLOGY}.json").read_bytes()
    return {"assets/plotly.min.js": head + PLOTLY_JS.read_bytes(),
            f"assets/{TOPOLOGY}.json": topo,
            f"assets/{TOPOLOGY}.js": head + b"window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
            + f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOLOGY)}] = ".encode() + topo.strip() + b";\n",
            "assets/favicon.png": FAVICON.read_bytes(),
            "assets/site.css": head + (ASSETS / "site.css").read_bytes(),
            "assets/site.js": head + (ASSETS / "site.js").read_bytes()}


class Edition:
    """One language's pages, with every figure published once (script, zip, embed page) however many views show it."""

    def __init__(self, lang: str, base: str, build: render.Build, files: dict[str, bytes], baked: list[View],
                 downloads: dict[str, tuple[str, str, int]]):
        self.lang, self.base, self.build, self.files, self.downloads = lang, base, build, files, downloads
        self.views, self.baked = baked, set(baked)
        self.by_id: dict[int, render.Shared] = {}
        self.by_key: dict[str, str] = {}  # key -> the figure's JSON script, to tell two figures of one name apart
        self.embeds: dict[str, dict[str, str]] = {}  # page -> {"kind|query": embed page}

    def link(self, path: str) -> str:
        return self.base + path if self.base else path

    def publish(self, fig: go.Figure) -> render.Shared:
        """The figure's script, zip and embed page (once), its citation and iframe code."""
        if id(fig) in self.by_id:
            return self.by_id[id(fig)]
        spec = Spec.of(fig)
        kind, args = views.view_of(spec)
        key = spec.name
        script = render.figure_script(fig, key, self.build)
        if self.by_key.get(key, script) != script:  # another figure of the same name (the overview's smaller map)
            key = f"{key}__{kind.name}"
            script = render.figure_script(fig, key, self.build)
        self.by_key[key] = script
        params = kind.to_url(args)
        target = resolve(kind.page, params, self.baked)
        assert target is not None and dict(target.params) == params, (kind.name, params, target)
        page = page_path(self.lang, target)
        paths = {"script": f"{self.lang}/figures/{key}.js", "zip": f"{self.lang}/behind/{key}_{self.lang}_data.zip",
                 "embed": f"{self.lang}/embed/{key}.html"}
        citation = cite.citation(spec, self.lang, self.link(page))
        shared = render.Shared(key, **paths, citation=citation,
                               iframe=cite.iframe(spec, self.link(paths["embed"])),
                               rel_links=[] if self.base else [page, paths["embed"]])
        self.files[paths["script"]] = script.encode()
        self.files[paths["zip"]] = bundle.zip_bytes(spec, self.lang, self.link(page), citation)
        self.files[paths["embed"]] = render.embed(lang=self.lang, path=paths["embed"], fig=fig, shared=shared,
                                                  build=self.build).encode()
        query = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        self.embeds.setdefault(kind.page, {})[f"{kind.name}|{query}"] = paths["embed"]
        self.by_id[id(fig)] = shared
        return shared

    def rel(self, target: View, here: str) -> str:
        """The link from the page at `here` to a view of this language."""
        return render.rel(page_path(self.lang, target), here)

    @staticmethod
    def rel_file(path: str, here: str) -> str:
        return render.rel(path, here)

    def attach(self, path: str, make) -> str:
        """A file a page links to (the change log's CSV), made once."""
        if path not in self.files:
            self.files[path] = make()
        return path

    def blocks(self, v: View, tpl: str = "light") -> list:
        """The view's blocks from its page's declaration, the live pages' own, as HTML and figures (the edition's on
        the light template; the legibility check also draws them on the presentation one)."""
        page = declaration(v.page)
        body = page.body(declared.View(page.values(dict(v.params)), self.lang, tpl))
        return Html(self, v, page, page_path(self.lang, v)).render(body)

    def pages(self, others: list[str]) -> int:
        """Write every view's page; the index page of each page's folder also maps live-app queries to files."""
        made = {}
        for v in self.views:
            made[v] = self.blocks(v)
            for b in made[v]:
                if isinstance(b, go.Figure):
                    self.publish(b)
        for v in self.views:
            path = page_path(self.lang, v)
            nav = [(_label(key, self.lang), page_path(self.lang, View(p)), p == v.page) for p, key in NAV]
            redirects = None
            if v.file == "index.html":
                folder = path.rsplit("/", 1)[0] + "/"
                here = [w for w in self.views if w.page == v.page]
                redirects = {"pages": {w.key: render.rel(page_path(self.lang, w), path) for w in here if w.key},
                             "embeds": {k: render.rel(e, path) for k, e in self.embeds.get(v.page, {}).items()},
                             "langs": {o: render.rel(folder.replace(f"{self.lang}/", f"{o}/", 1), path) + "/"
                                       for o in others}}
            html = render.page(lang=self.lang, path=path, title=_label(dict(NAV)[v.page], self.lang), blocks=made[v],
                               shared=self.by_id, nav=nav, other={o: path.replace(f"{self.lang}/", f"{o}/", 1)
                                                                  for o in others}, build=self.build,
                               redirects=redirects)
            self.files[path] = html.encode()
        return len(self.views)


def _build() -> render.Build:
    info = data.build_info()
    return render.Build(f"{info['built_at']:%Y-%m-%d %H:%M:%S}", info["etl_version"], info["inputs_sha256"])


def _downloads() -> dict[str, tuple[str, str, int]]:
    return {name: (f"data/{name}.csv", f"data/{name}.xlsx", len(downloads.table(name))) for name in downloads.DOWNLOADABLE}


def language(lang: str, langs: list[str], base: str) -> tuple[dict[str, bytes], int]:
    """One language's pages, figures, zips and embed pages; the number of pages."""
    files: dict[str, bytes] = {}
    pages = Edition(lang, base, _build(), files, all_views(), _downloads()).pages([o for o in langs if o != lang])
    return files, pages


def shared(build: render.Build) -> dict[str, bytes]:
    """The files every language's pages use: the assets and each relation's CSV and XLSX download."""
    files = assets(build)
    for name, (csv, sheet, _rows) in _downloads().items():
        files[csv] = downloads.as_csv(name)
        files[sheet] = xlsx(name, build)
    return files


def bake(langs: list[str], base: str, jobs: int = 1) -> tuple[dict[str, bytes], render.Build, int]:
    """Every file of the edition for `langs` (a process per language with jobs > 1, forked before this process opens
    the database); the build; the number of pages."""
    pool = ProcessPoolExecutor(min(jobs, len(langs)), mp_context=get_context("fork")) if jobs > 1 else None
    try:
        running = [pool.submit(language, lang, langs, base) for lang in langs] if pool else []
        build = _build()
        files = shared(build)
        pages = 0
        for done in (f.result() for f in running) if pool else (language(lang, langs, base) for lang in langs):
            files.update(done[0])
            pages += done[1]
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    files["index.html"] = render.root_index(build, {lang: f"{lang}/index.html" for lang in langs}).encode()
    return files, build, pages
