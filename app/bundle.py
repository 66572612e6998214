""""Data behind this chart": a zip with the rows a figure draws (CSV), its metadata (JSON) and a README in both languages.

The same figure, view and build give the same bytes (entries sorted, dated with the build, keys sorted), so a zip of
the static edition can be diffed between editions.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pandas as pd

from app import behind, data, downloads, views
from app.charts.spec import Spec
from app.i18n import LANGS, t
from app.tables import missing


def file_name(spec: Spec, lang: str) -> str:
    """'<figure name>_<lang>_data.zip'."""
    return f"{spec.name}_{lang}_data.zip"


def _clean(value):
    return None if missing(value) else value.isoformat() if hasattr(value, "isoformat") else value


def metadata(spec: Spec, lang: str, url: str, citation: str, rows: pd.DataFrame) -> dict:
    """What a reader needs to reuse the rows: the figure, its view and link, sources with their addresses, units,
    caveats, the columns, and the database build."""
    kind, args = views.view_of(spec)
    names = behind.datasets(kind.name, args)
    sets = downloads.table("datasets").set_index("dataset")
    ids = set()
    for column in ("source_id", "also_in", "world_source_id"):
        if column in rows:
            ids |= {s for v in rows[column].dropna() for s in re.split(r"[,;\s]+", str(v)) if s}
    ids |= {s for s in sets.reindex(names).source_id.dropna()}
    sources = data.sources()
    notes = data.query("SELECT * FROM series_notes ORDER BY dataset, first_year NULLS FIRST, kind")
    units = [{"dataset": n, "unit": _clean(sets.loc[n, "unit"])} for n in names if n in sets.index]
    if "indicator" in rows:  # each national indicator has a unit of its own
        ind = data.indicators().set_index("indicator")
        units += [{"indicator": i, "unit": _clean(ind.loc[i, f"unit_{lang}"])} for i in sorted(set(rows.indicator))
                  if i in ind.index]
    caveats = [{"dataset": n, "caveats": _clean(sets.loc[n, "caveats"])} for n in names
               if n in sets.index and not missing(sets.loc[n, "caveats"])]
    caveats += [{"dataset": r.dataset, "kind": r.kind, "note": getattr(r, f"label_{lang}")}
                for r in notes[notes.dataset.isin(names)].itertuples()]
    if spec.note:
        caveats.append({"figure_note": spec.note})
    info = data.build_info()
    return {
        "figure": {"kind": kind.name, "name": spec.name, "title": spec.title, "subtitle": spec.subtitle,
                   "description": spec.description, "source_line": spec.source, "language": lang},
        "view": {"page": "/" + views.PAGE_PATHS[kind.page], "query": views.url_params(kind, args, lang), "url": url,
                 "arguments": args},
        "citation": citation,
        "file": f"{spec.name}.csv", "rows": len(rows), "columns": list(rows.columns),
        "units": units, "caveats": caveats,
        "sources": [{k: _clean(v) for k, v in r.items() if k in data.SOURCE_FIELDS}
                    for r in sources[sources.source_id.isin(ids)].to_dict("records")],
        "datasets": [{"dataset": n, **{k: _clean(sets.loc[n, k]) for k in data.SOURCE_FIELDS if k in sets.columns}}
                     for n in names if n in sets.index],
        "build": {"built_at": f"{info['built_at']:%Y-%m-%dT%H:%M:%S}Z", "etl_version": info["etl_version"],
                  "inputs_sha256": info["inputs_sha256"]},
    }


def readme(meta: dict) -> str:
    """The README: what the files are, in Polish and in English."""
    parts = []
    for lang in LANGS:
        parts.append(t("behind_readme", lang, title=meta["figure"]["title"], file=meta["file"], rows=meta["rows"],
                       columns=", ".join(meta["columns"]), url=meta["view"]["url"], citation=meta["citation"],
                       built=meta["build"]["built_at"], version=meta["build"]["etl_version"],
                       encoding="UTF-8 (BOM)"))
    return "\n\n---\n\n".join(parts) + "\n"


def zip_bytes(spec: Spec, lang: str, url: str, citation: str) -> bytes:
    """The zip: <name>.csv, metadata.json, README.md; every entry dated with the database build."""
    kind, args = views.view_of(spec)
    rows = behind.rows(kind.name, args)
    meta = metadata(spec, lang, url, citation, rows)
    built = data.build_info()["built_at"]
    stamp = (built.year, built.month, built.day, built.hour, built.minute, built.second)
    files = {meta["file"]: behind.as_csv(rows),
             "metadata.json": (json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode(),
             "README.md": readme(meta).encode()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 * 0x10000  # rw-r--r--, in the upper half
            zf.writestr(info, files[name])
    return buf.getvalue()
