"""`python -m app.export`: every figure of the dashboard (and the slides) as PNG, SVG or PDF, or with --factsheets
every voivodeship's fact sheet, with manifest.json."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from app import builds, data, factsheet, figures, slides
from app.export import FORMATS, PRESETS, ExportUnavailable, check_browser, render, text_alternative


def export_all(out: Path, langs: list[str], preset: str, deck: bool = True,
               fmt: str = "png") -> tuple[list[dict], list[str]]:
    """Write every catalogue figure (and the slides) as PNG, SVG or PDF, and with PNG the PPTX deck; return the
    manifest and the failures."""
    builds.ensure_database()
    build = data.build_stamp()
    out.mkdir(parents=True, exist_ok=True)
    manifest, failed = [], []
    for lang in langs:
        jobs = [(f"{i:02d}_{e.key}", e.page, lambda e=e: e.figure(lang)) for i, e in enumerate(figures.CATALOGUE, 1)]
        if deck:
            jobs += [(f"slide_{i:02d}", "slides", lambda s=s: s.figure(lang))
                     for i, s in enumerate(slides.SLIDES, 1)]
        pptx = []
        for stem, page, make in jobs:
            name = f"{stem}_{lang}_{preset}.{fmt}"
            try:
                fig = make()
                if fig is None:  # a view the data hold nothing for (e.g. no count broken down by citizenship)
                    continue
                start = time.perf_counter()
                image = render(fig, fmt, preset)
            except ExportUnavailable:
                raise
            except Exception as exc:  # one bad figure must not hide the others
                failed.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            (out / name).write_bytes(image)
            meta = fig.layout.meta
            manifest.append({"file": name, "page": page, "lang": lang, "preset": preset, "format": fmt,
                             "title": meta["title"],
                             "source": meta["source"], "alt": text_alternative(fig), "bytes": len(image),
                             "seconds": round(time.perf_counter() - start, 3), "build": build})
            if stem.startswith("slide_"):
                pptx.append((image, slides.SLIDES[int(stem[6:]) - 1].note(lang)))
        if deck and fmt == "png" and pptx and len(pptx) == len(slides.SLIDES):
            (out / f"slides_{lang}.pptx").write_bytes(slides.deck_pptx(pptx))
    (out / "manifest.json").write_text(json.dumps({"build": build, "figures": manifest}, ensure_ascii=False,
                                                  indent=1), encoding="utf-8")
    return manifest, failed


def main(argv: list[str] | None = None) -> int:
    """`python -m app.export --out DIR [--lang pl|en|all] [--preset slide|report|square] [--format png|svg|pdf]
    [--no-deck]`, or `python -m app.export --factsheets --out DIR [--lang pl|en|all]`."""
    parser = argparse.ArgumentParser(prog="python -m app.export",
                                     description="Write every figure of the dashboard as PNG, SVG or PDF (or every "
                                                 "voivodeship's fact sheet as PDF), with manifest.json.")
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--lang", choices=["pl", "en", "all"], default="pl")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="slide")
    parser.add_argument("--format", choices=list(FORMATS), default="png", dest="fmt",
                        help="png (the preset's pixel size) or svg / pdf (vector, the preset's layout)")
    parser.add_argument("--no-deck", action="store_true", help="skip the slides and the PPTX deck")
    parser.add_argument("--factsheets", action="store_true",
                        help="write the A4 fact sheet of every voivodeship (PDF) instead of the figures")
    args = parser.parse_args(argv)
    langs = ["pl", "en"] if args.lang == "all" else [args.lang]
    start = time.perf_counter()
    what = "fact sheets (PDF)" if args.factsheets else f"{args.fmt.upper()} files"
    try:
        check_browser()
        if args.factsheets:
            manifest, failed = factsheet.export_all(args.out, langs)
        else:
            manifest, failed = export_all(args.out, langs, args.preset, deck=not args.no_deck, fmt=args.fmt)
    except ExportUnavailable as exc:
        print(f"Export is not possible: {exc}", file=sys.stderr)
        return 2
    for line in failed:
        print(f"export failed: {line}", file=sys.stderr)
    size = "A4" if args.factsheets else args.preset
    print(f"Wrote {len(manifest)} {what} to {args.out} ({size}, {', '.join(langs)}) "
          f"in {time.perf_counter() - start:.1f} s; manifest.json lists them.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
