"""`python -m bench.png [--reps R] [--only K]`: PNG render times in this fresh process, as JSON on stdout."""

from __future__ import annotations

import argparse
import json
import statistics

from bench.timing import timed


def main() -> None:
    """Time the first render (cold: it starts kaleido's Chromium), then each catalogue figure warm."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3, help="warm renders per figure (median)")
    parser.add_argument("--only", type=int, default=0, help="only the first K catalogue figures (0: all)")
    args = parser.parse_args()
    imported, _ = timed(__import__, "app.export")
    from app import export, figures

    entries = figures.CATALOGUE[: args.only or None]
    built = {e.key: timed(e.figure, "pl") for e in entries}  # key -> (build seconds, figure)
    cold, _ = timed(export.png, built[entries[0].key][1], "slide")
    warm = {}
    for key, (build_s, fig) in built.items():
        runs = [timed(export.png, fig, "slide") for _ in range(args.reps)]
        warm[key] = {"median_s": statistics.median(s for s, _ in runs), "runs_s": [s for s, _ in runs],
                     "png_bytes": len(runs[-1][1]), "build_s": build_s, "figure_json_bytes": len(fig.to_json())}
    print(json.dumps({"import_s": imported, "cold_first_s": cold, "cold_figure": entries[0].key, "warm": warm}))


if __name__ == "__main__":
    main()
