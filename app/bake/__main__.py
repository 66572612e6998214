"""`python -m app.bake --out DIR [--lang pl|en|all] [--base-url URL]`: the static edition of the current build.

Every page's views as plain HTML (app/bake/views.py, content.py, render.py), each figure's JSON as a script, its
embed page and the zip of the data behind it, the CSV and XLSX of every relation, plotly.js and the topology, all in
DIR: it opens from file:// and from any web server, and requests nothing outside DIR. The same build gives the same
bytes (no date but the build's). Exit 0; 2 if there is no database or DIR holds something else.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from app import builds, data
from app.bake import render, site
from app.i18n import LANGS

MANIFEST = "manifest.json"


def prepare(out: Path) -> None:
    """Empty DIR if it holds an earlier edition (its manifest says so); refuse a folder that holds anything else."""
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).is_file():
            raise SystemExit(f"{out} is not empty and holds no {MANIFEST} of an earlier edition: choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def write(out: Path, files: dict[str, bytes], build: render.Build, langs: list[str]) -> None:
    """Every file, then the manifest: the build and each file's SHA-256, for a web team to diff editions."""
    for path in sorted(files):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])
    manifest = {"build": {"built_at": build.built_at, "etl_version": build.etl_version,
                          "inputs_sha256": build.inputs_sha256}, "languages": langs,
                "files": {p: hashlib.sha256(files[p]).hexdigest() for p in sorted(files)}}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.bake", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="the folder to write (emptied if it holds an edition)")
    parser.add_argument("--lang", choices=[*LANGS, "all"], default="all")
    parser.add_argument("--base-url", default="", help="the address the folder will be published at (for citations "
                        "and embed codes); without it, links are completed in the reader's browser")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="processes, one per language at most (default: 2 where there are 2 cores)")
    args = parser.parse_args(argv)
    langs = list(LANGS) if args.lang == "all" else [args.lang]
    started = time.perf_counter()
    try:
        builds.recover()
        if builds.build_path() is None:
            print(f"no database at {data.db_pointer()}: run `python -m etl` first", file=sys.stderr)
            return 2
        builds.pin_build()
        prepare(args.out)
    except (builds.DatabaseUnavailable, SystemExit) as exc:
        print(exc, file=sys.stderr)
        return 2
    base = args.base_url if not args.base_url or args.base_url.endswith("/") else args.base_url + "/"
    files, build, pages = site.bake(langs, base, args.jobs)
    write(args.out, files, build, langs)
    print(f"Baked {pages} pages and {len(files)} files ({sum(map(len, files.values())) / 1e6:.1f} MB) of build "
          f"{build.line} into {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
