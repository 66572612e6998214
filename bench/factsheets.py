"""`python -m bench.factsheets [--reps R] [--smoke]`: voivodeship fact sheet times in this fresh process, as JSON.

- cold: the first sheet (kaleido's Chromium starts, Typst loads its fonts);
- page: one sheet as the Referrals page's button makes it, warm renderer, each rep another voivodeship and language
  never drawn before in this process (its chart and map rendered anew); median and every run;
- batch: every voivodeship in both languages with the warm renderer, as `app.factsheet.export_all` writes them
  (the chart and map caches emptied first, so the batch draws everything itself); with --smoke two voivodeships.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.timing import timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5, help="warm single sheets (median)")
    parser.add_argument("--smoke", action="store_true", help="one warm sheet, a batch of two voivodeships")
    args = parser.parse_args()
    imported, _ = timed(__import__, "app.factsheet")
    from app import builds, data, factsheet

    builds.ensure_database()
    teryts = list(data.voivodeship_names().teryt)
    cold, sheet = timed(factsheet.pdf, teryts[0], "pl")
    reps = 1 if args.smoke else args.reps
    pairs = [(t, lang) for lang in ("en", "pl") for t in teryts[1:]][:reps]  # never drawn before in this process
    page = [timed(factsheet.pdf, t, lang)[0] for t, lang in pairs]
    factsheet._map_svg.cache_clear()
    factsheet._chart_svg.cache_clear()
    with tempfile.TemporaryDirectory() as tmp:
        if args.smoke:  # the batch's loop on two voivodeships (the CLI's export_all takes all of them)
            start = time.perf_counter()
            for t in teryts[:2]:
                for lang in ("pl", "en"):
                    (Path(tmp) / factsheet.file_name(t, lang)).write_bytes(factsheet.pdf(t, lang))
            batch, files = time.perf_counter() - start, 4
        else:
            batch, (manifest, failed) = timed(factsheet.export_all, Path(tmp), ["pl", "en"])
            files = len(manifest)
            if failed:
                raise RuntimeError(f"fact sheets failed: {failed}")
    print(json.dumps({"import_s": imported, "cold_first_s": cold, "cold_pages": factsheet.pages(sheet),
                      "page_s": statistics.median(page), "page_runs_s": page, "batch_s": batch,
                      "batch_files": files, "smoke": args.smoke, "bytes": len(sheet)}))


if __name__ == "__main__":
    main()
