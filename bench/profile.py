"""Where a page run spends its time: each page's warm script run (AppTest) timed and profiled, with its top functions."""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import threading
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("/app/", "/pages/", "/etl/", "dashboard.py")  # the functions of this project, not of its libraries


def _pages() -> list[str]:
    """The dashboard's page files in sidebar order (the Overview is dashboard.py itself)."""
    return ["dashboard.py"] + sorted(p.name for p in (ROOT / "pages").glob("[0-9]*.py"))


def _run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if page != "dashboard.py":
        at.switch_page(f"pages/{page}")
    at.run()
    if at.exception:
        raise SystemExit(f"{page}: {[e.message for e in at.exception]}")
    return at


def _profiled_threads(profiles: list) -> None:
    """Profile every thread started from now on (AppTest runs the page script in a thread of its own)."""
    def start(*_):
        sys.setprofile(None)
        prof = cProfile.Profile()
        profiles.append(prof)
        prof.enable()

    threading.setprofile(start)


def profile(page: str, n: int, top: int) -> tuple[float, float, str]:
    """(median ms of n warm runs, the best of them, the top functions by cumulative time over the n runs' script
    threads, this project's own)."""
    _run(page)  # the warm-up: every cache a run fills (figures per build and view, the database connection)
    times, profiles = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        _profiled_threads(profiles)
        _run(page)
        threading.setprofile(None)
        times.append((time.perf_counter() - t0) * 1000)
    out = io.StringIO()
    stats = pstats.Stats(*profiles, stream=out).sort_stats("cumulative")
    stats.print_stats("|".join(p.replace(".", r"\.") for p in PROJECT), top)
    return statistics.median(times), min(times), out.getvalue()


def main(argv: list[str] | None = None) -> None:
    """Print each page's warm run time and its profile (the app's own functions by cumulative time)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=5, help="warm runs per page (default 5)")
    ap.add_argument("--top", type=int, default=12, help="functions listed per page (default 12)")
    ap.add_argument("--pages", help="comma-separated page files, e.g. 8_National_counts.py (default: all)")
    args = ap.parse_args(argv)
    pages = args.pages.split(",") if args.pages else _pages()
    rows = []
    for page in pages:
        med, best, text = profile(page, args.n, args.top)
        rows.append((page, med, best))
        print(f"=== {page}: median {med:.0f} ms, best {best:.0f} ms of {args.n} warm runs (profiled)")
        print("\n".join(line for line in text.splitlines() if line.strip())[-4000:])
    print("\n| page | warm run, median ms | best ms |\n|---|---|---|")
    for page, med, best in rows:
        print(f"| {page} | {med:.0f} | {best:.0f} |")


if __name__ == "__main__":
    main()
