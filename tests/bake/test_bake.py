"""The static edition as files (`python -m app.bake`): byte-identical for one build, every file naming the build, every
reference inside the folder, a page per view named by its URL state, the downloads of every relation."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from app import downloads
from app.bake import site
from app.i18n import LANGS
from tests.helpers import ROOT

TEXT = (".html", ".js", ".css")
# Every address a page or script of the edition loads or links to (src, href; url() in CSS).
REFERENCE = re.compile(r"""(?:src|href)="([^"]*)"|url\(([^)]*)\)""")


def bake(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.bake", "--out", str(out), *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=600)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.timeout(900)  # a second bake of one language: a minute on a loaded machine
def test_two_bakes_of_one_build_are_byte_identical(baked):
    """English baked again, in this process (the fixture ran the command, a process per language): every file it
    makes, its pages, figure scripts, embed pages and zips and the shared assets and downloads, is the first bake's,
    byte for byte (the languages differ in their texts, not in how their files are made)."""
    build = site._build()
    again = {**site.shared(build), **site.language("en", list(LANGS), "")[0]}
    first = {p: b for p, b in files(baked).items() if p.split("/")[0] in ("en", "assets", "data")}
    assert sorted(first) == sorted(again) and any(p.startswith("en/") for p in first)
    assert [p for p in first if first[p] != again[p]] == []


def test_the_manifest_lists_every_file_with_its_hash(baked, db):
    manifest = json.loads((baked / "manifest.json").read_text())
    on_disk = files(baked)
    on_disk.pop("manifest.json")
    assert manifest["files"] == {p: hashlib.sha256(b).hexdigest() for p, b in on_disk.items()}
    built_at, version, sha = db.execute("SELECT built_at, etl_version, inputs_sha256 FROM build_info").fetchone()
    assert manifest["build"] == {"built_at": f"{built_at:%Y-%m-%d %H:%M:%S}", "etl_version": version,
                                 "inputs_sha256": sha}


def test_every_file_names_the_build(baked, db):
    built_at, version = db.execute("SELECT built_at, etl_version FROM build_info").fetchone()
    stamp = f"{built_at:%Y-%m-%d %H:%M:%S} UTC, ETL {version}"
    unnamed = []
    for path, body in files(baked).items():
        if path.endswith(TEXT):
            ok = stamp in body.decode()
        elif path.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(body)) as zf:
                meta = json.loads(zf.read("metadata.json"))
                # A ZIP entry's time has two-second steps (MS-DOS format): an odd second is stored one lower.
                ok = meta["build"]["built_at"] == f"{built_at:%Y-%m-%dT%H:%M:%S}Z" and all(
                    i.date_time == (*built_at.timetuple()[:5], built_at.second // 2 * 2) for i in zf.infolist())
        elif path.endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(body)) as zf:
                core = zf.read("docProps/core.xml").decode()
            ok = f"{built_at:%Y-%m-%dT%H:%M:%SZ}" in core and stamp in core
        else:  # data as published (CSV), the topology and tab icon as copied (JSON, PNG) and the manifest: the manifest
            ok = path.endswith((".csv", ".json", ".png"))  # names the build
        if not ok:
            unnamed.append(path)
    assert unnamed == []


def test_every_reference_stays_inside_the_folder(baked):
    outside = []
    for path, body in files(baked).items():
        if not path.endswith(TEXT) or path == "assets/plotly.min.js":  # plotly.js as built from its package: the
            continue  # browser tests see that it requests nothing
        here = (baked / path).parent
        for m in REFERENCE.finditer(body.decode()):
            ref = (m.group(1) or m.group(2)).strip("'\"")
            if not ref or ref.startswith(("#", "data:")) or path.endswith("Data/index.html") and ref.startswith("http"):
                continue  # in-page anchors; the Data page links each source's address for the reader to follow
            target = (here / unquote(urlsplit(ref).path)).resolve()
            if urlsplit(ref).scheme or not target.is_relative_to(baked.resolve()) or not target.exists():
                outside.append((path, ref))
    assert outside == []


def test_a_page_per_view_named_by_its_url_state(baked):
    for lang in ("pl", "en"):
        page = (baked / lang / "Referrals" / "year-2012_metric-rate.html").read_text()
        assert 'data-figure="referrals_map_rate_2012"' in page and 'data-figure="referrals_ranking_rate_2012"' in page
        assert f'<html lang="{lang}"' in page
        other = "en" if lang == "pl" else "pl"
        assert f'href="../../{other}/Referrals/year-2012_metric-rate.html"' in page  # the language switch
        index = (baked / lang / "Referrals" / "index.html").read_text()
        views = json.loads(re.search(r"window.DASHBOARD_VIEWS = (\{.*?\});</script>", index).group(1))
        assert views["pages"]["metric=rate&year=2012"] == "year-2012_metric-rate.html"  # the live app's query


@pytest.mark.parametrize("name", downloads.DOWNLOADABLE)
def test_every_relation_downloads_as_csv_and_xlsx(baked, db, name):
    text = (baked / "data" / f"{name}.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    count = db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # a name of the fixed list
    columns = [r[0] for r in db.execute(f"DESCRIBE \"{name}\"").fetchall()]
    assert rows[0] == columns and len(rows) - 1 == count
    assert zipfile.is_zipfile(baked / "data" / f"{name}.xlsx")
    data_page = (baked / "en" / "Data" / "index.html").read_text()
    assert f'href="../../data/{name}.csv"' in data_page and f'href="../../data/{name}.xlsx"' in data_page


def test_a_folder_that_is_not_an_edition_is_refused(tmp_path):
    (tmp_path / "keep.txt").write_text("not an edition")
    proc = bake(tmp_path, "--lang", "en")
    assert proc.returncode == 2 and "manifest.json" in proc.stderr
    assert (tmp_path / "keep.txt").read_text() == "not an edition"


def test_no_database_exits_2_with_the_command(tmp_path):
    proc = bake(tmp_path / "out", env={"DASHBOARD_DB": str(tmp_path / "none" / "dashboard.duckdb")})
    assert proc.returncode == 2 and "python -m etl" in proc.stderr


def test_plotly_js_is_the_plotly_packages_version():
    """The partial bundle (app/bake/plotly) is built from the plotly.js the plotly package draws with: figure JSON of
    one version read by another can draw differently or not at all."""
    import plotly.graph_objects as go

    package = (Path(go.__file__).resolve().parents[1] / "package_data" / "plotly.min.js").read_text()[:300]
    bundle = (ROOT / "app" / "bake" / "plotly" / "plotly-partial.min.js").read_text()[:300]
    declared = json.loads((ROOT / "app" / "bake" / "plotly" / "package.json").read_text())["dependencies"]["plotly.js"]
    versions = [re.search(r"plotly\.js v(\d+\.\d+\.\d+)", text).group(1) for text in (package, bundle)]
    assert versions == [declared, declared]


def test_every_trace_type_drawn_is_in_the_bundle(baked):
    """plotly.js skips a trace type it does not have: every type any baked figure uses is registered in entry.js
    (scatter is in plotly.js's core)."""
    entry = (ROOT / "app" / "bake" / "plotly" / "entry.js").read_text()
    registered = {"scatter", *re.findall(r"require\('plotly\.js/lib/(\w+)'\)", entry)} - {"core"}
    drawn = set()
    for path in baked.glob("*/figures/*.js"):
        body = path.read_text(encoding="utf-8")
        figure = json.loads(body[body.index("= {") + 2:].rstrip().rstrip(";"))
        drawn |= {trace.get("type", "scatter") for trace in figure["data"]}
    assert drawn and drawn <= registered, drawn - registered


def test_plotly_js_names_no_cdn():
    """The edition's plotly.js has no CDN as a default (its topojsonURL: assets/, set by build.sh), so a map whose
    page did not preload the topology asks the folder, never the internet."""
    bundle = (ROOT / "app" / "bake" / "plotly" / "plotly-partial.min.js").read_text()
    assert re.findall(r"\bcdn\.[\w.-]+", bundle) == []
    assert 'topojsonURL:{valType:"string",noBlank:!0,dflt:"assets/"' in bundle
