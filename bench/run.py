"""`python -m bench.run [--n N] [--smoke] [--grown] [--out bench/results]`: the dashboard's performance against its targets."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from bench.etl_export import etl, factsheets, geojson_sizes, grown_data, png
from bench.pages import failures, pages
from bench.report import KB, table, traces, work_table
from tests.helpers import ROOT


# --smoke (CI: that every measurement still runs, no target enforced): the pages of a map, of tables and of the most
# charts; the README's table comes from a full run of every page.
SMOKE_PAGES = ["home", "Data", "Abroad"]


def machine() -> dict:
    """What ran the benchmark: CPUs, memory, load, versions, date."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    git = lambda *args: subprocess.run(["git", "--no-optional-locks", *args], cwd=ROOT, capture_output=True,
                                       text=True).stdout.strip()
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "nproc": len(os.sched_getaffinity(0)),
            "cpu": model, "mem_gb": round(int(mem) / 1024 ** 2, 1), "loadavg_start": os.getloadavg(),
            "python": platform.python_version(), "streamlit": version("streamlit"), "plotly": version("plotly"),
            "kaleido": version("kaleido"), "playwright": version("playwright"), "duckdb": version("duckdb"),
            "chromium": chromium, "commit": git("rev-parse", "--short", "HEAD"),
            # what was measured is the working tree: files changed since the commit are part of it
            "modified": git("status", "--porcelain", "--untracked-files=no").splitlines()}


def pages_only(names: list[str], n: int, out: Path, grown: bool = False) -> int:
    """Time a few pages against their floors (a quick build, then the browser part only); with grown, also
    against the same pages with 20 years."""
    from etl.build import build

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        db = tmp / "db" / "dashboard.duckdb"
        build(db)
        grown_db = None
        if grown:
            from bench.grown import grow

            grown_db = grow(tmp / "grown").db
        res = pages(db, out, n, mem_loads=0, only=names, grown_db=grown_db)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    (out / "pages.json").write_text(json.dumps(res, indent=1, default=str))
    print(f"N={n}, load {os.getloadavg()[0]:.1f} (during the loads {min(res['loadavg']):.1f}-{max(res['loadavg']):.1f}); "
          f"fixed floor {res['fixed']['charts_ms'] or 0:.0f} ms; wrote {out / 'pages.json'}")
    for name, r in res["pages"].items():
        print(f"{name:11s} page {r['page_charts_ms'] or 0:7.0f} ms  floor {r['floor_charts_ms'] or 0:7.0f} ms  "
              f"ratio {r['ratio'] or 0:5.2f}  /fixed {r['fixed_ratio'] or 0:5.2f}  "
              f"bytes {r['probe']['total_bytes'] / KB:6.1f} KB  fails {failures(r)}")
        if grown:
            print(f"{'':11s} 20 years {r['grown_charts_ms'] or 0:7.0f} ms  20/8 {r['grown_ratio'] or 0:5.2f}  "
                  f"bytes {r['grown_probe']['total_bytes'] / KB:6.1f} KB  traces {traces(r['probe'])}/{traces(r['grown_probe'])}")
        if r["kinds"] != r.get("floor_kinds"):
            print(f"  ! the floor draws {r.get('floor_kinds')}, the page {r['kinds']}")
    print("\n".join(work_table(res)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure everything, print the tables, write <out>/latest.json; exit 1 if something crashed."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--n", type=int, default=7, help="timed loads per page and per floor, after a warm-up (>= 7)")
    parser.add_argument("--smoke", action="store_true", help="N=1, single ETL/PNG runs, 3 pages, 3 loads for memory (CI)")
    parser.add_argument("--grown", action="store_true", help="also the grown data set (20 years, INVENTED beyond the "
                        "real ones, bench/grown.py): every page with 8 and with 20 years side by side, the ETL on "
                        "both, `etl update --dry-run` of one more year; about doubles the run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--pages", help="comma-separated page names (home, Victims, ...): only these pages, no "
                        "ETL/PNG timings; for iterating on a fix, the README's table comes from a full run")
    args = parser.parse_args(argv)
    if args.pages:
        return pages_only(args.pages.split(","), args.n, args.out, grown=args.grown)
    if not args.smoke and args.n < 7:
        parser.error("--n must be at least 7 (use --smoke for a quick run)")
    n, reps, mem_loads = (1, 1, 3) if args.smoke else (args.n, 5, 50)
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    res = {"mode": ("smoke" if args.smoke else "full") + (" + grown" if args.grown else ""), "n": n,
           "machine": machine()}
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        db = tmp / "db" / "dashboard.duckdb"
        res["etl"] = etl(tmp, db, reps)  # also builds the database the app and exports read
        grown_db = None
        if args.grown:
            res["grown"], grown = grown_data(tmp, reps)
            grown_db = grown.db
        res["geojson_bytes"] = geojson_sizes()
        env = {"DASHBOARD_DB": str(db)}
        res["png"] = png(tmp, env, reps=1 if args.smoke else 3, only=2 if args.smoke else 0,
                         batch_reps=1 if args.smoke else 3)
        res["factsheets"] = factsheets(tmp, env, args.smoke)
        # the server logs stay next to latest.json
        res["browser"] = pages(db, args.out, n, mem_loads, grown_db=grown_db, only=SMOKE_PAGES if args.smoke else None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res["machine"]["loadavg_end"] = os.getloadavg()
    res["seconds"] = round(time.perf_counter() - started, 1)
    m = res["machine"]
    during = res["browser"]["loadavg"]
    print(f"{res['mode']} run, N={n}, {m['date']}, {m['nproc']} x {m['cpu']}, {m['mem_gb']} GB, load {m['loadavg_start'][0]:.1f}"
          f"->{m['loadavg_end'][0]:.1f} (during the page loads {min(during):.1f}-{max(during):.1f}); "
          f"streamlit {m['streamlit']}, plotly {m['plotly']}, {m['chromium']}; commit {m['commit']}"
          + (f" + {len(m['modified'])} files modified in the working tree" if m["modified"] else ""))
    print(table(res))
    busiest = max(m["loadavg_start"][0], m["loadavg_end"][0], *during)
    # The benchmark itself keeps about 2 processes busy; beyond twice the CPUs, other work moves the medians.
    if busiest > 2 * m["nproc"]:
        print(f"! load average {busiest:.1f} > 2 x {m['nproc']} CPUs during the run: page timings and ratios are unreliable")
    print(f"({res['seconds']:.0f} s; server tracebacks: {res['browser']['server_tracebacks']}, logs in {args.out})")
    (args.out / "latest.json").write_text(json.dumps(res, indent=1, default=str))
    print(f"wrote {args.out / 'latest.json'}")
    # Slow numbers never fail the run; a load that never finished or a server traceback is a crash.
    failed = sum(failures(r) for r in res["browser"]["pages"].values()) + res["browser"]["fixed"]["failed"]
    return 1 if failed or res["browser"]["server_tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
