"""`python -m bench.run [--n N] [--smoke] [--out bench/results]`: the dashboard's performance against its targets."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from bench.floor.charts import PAGES as FLOOR_PAGES
from tests.helpers import ROOT

KB = 1000
# Upper limits: a measurement PASSes if it is at most its limit (1 KB = 1000 B).
TARGETS = {"page_ratio": 1.25, "etl_inprocess_s": 1.5, "png_warm_s": 0.5, "png_batch_s": 20.0,
           "page_bytes": 300 * KB, "voivodeships_geojson": 60 * KB, "countries_geojson": 400 * KB, "rss_mb": 350.0}


def median(values):
    """Median of the values that are not None (None if there are none)."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def timed(fn, *args, **kwargs) -> float:
    """Seconds a call took."""
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def run_checked(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    """Run a command from the project root; raise with its output if it fails."""
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


# --- the machine --------------------------------------------------------------------------------

def machine() -> dict:
    """What ran the benchmark: CPUs, memory, load, versions, date."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "nproc": len(os.sched_getaffinity(0)),
            "cpu": model, "mem_gb": round(int(mem) / 1024 ** 2, 1), "loadavg_start": os.getloadavg(),
            "python": platform.python_version(), "streamlit": version("streamlit"), "plotly": version("plotly"),
            "kaleido": version("kaleido"), "playwright": version("playwright"), "duckdb": version("duckdb"),
            "chromium": chromium}


# --- ETL, PNG, files ----------------------------------------------------------------------------

def etl(tmp: Path, pointer: Path, reps: int) -> dict:
    """A full build as a command (interpreter start included) and in-process (etl.build.build only)."""
    from etl.build import build

    command = [timed(run_checked, [sys.executable, "-m", "etl", "--db", str(pointer), "--quiet"], {})
               for _ in range(reps)]
    inproc = [timed(build, tmp / "inprocess" / "dashboard.duckdb") for _ in range(reps)]
    return {"command_s": median(command), "command_runs_s": command,
            "inprocess_s": median(inproc), "inprocess_runs_s": inproc}


def png(tmp: Path, env: dict, reps: int, only: int, batch_reps: int) -> dict:
    """Per-figure render times (`python -m bench.png`, a fresh process) and the whole batch export."""
    out = run_checked([sys.executable, "-m", "bench.png", "--reps", str(reps), "--only", str(only)], env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    batch = [timed(run_checked, [sys.executable, "-m", "app.export", "--out", str(tmp / f"png{i}"), "--lang", "pl",
                                 "--preset", "slide"], env) for i in range(batch_reps)]
    files = len(list((tmp / "png0").glob("*.png")))
    return {**result, "warm_max_s": max(w["median_s"] for w in result["warm"].values()),
            "batch_s": median(batch), "batch_runs_s": batch, "batch_files": files}


def geojson_sizes() -> dict:
    """Bytes of each prepared boundary file."""
    return {p.name: p.stat().st_size for p in sorted((ROOT / "geo").glob("*.geojson"))}


# --- the browser --------------------------------------------------------------------------------

def pages(db: Path, logs: Path, n: int, mem_loads: int, only: list[str] | None = None) -> dict:
    """Every page (or `only` these) and its floor: one probe load each (charts, bytes), then n timed loads, interleaved."""
    from playwright.sync_api import sync_playwright

    from bench import browser
    from tests.e2e.harness import launch_browser, page_name, page_urls, streamlit_server

    paths = [p for p in page_urls() if not only or page_name(p) in only]
    result = {page_name(p): {"path": p or "/"} for p in paths}
    rss = []  # server RSS in MB after each dashboard load, in order

    with streamlit_server(logs / "app.log", env={"DASHBOARD_DB": str(db)}) as app, \
            browser.floor_server(logs / "floor.log") as floor, sync_playwright() as pw:
        chromium = launch_browser(pw)
        rss_start = browser.rss_mb(app.proc.pid)

        def app_load(load, *args):
            out = load(chromium, *args)
            rss.append(browser.rss_mb(app.proc.pid))
            return out

        for path in paths:  # the warm-up: also tells how many charts to wait for
            r = result[page_name(path)]
            r["probe"] = app_load(browser.probe_load, app.url + path)
            r["expect"], r["kinds"] = len(r["probe"]["charts"]), [c["kind"] for c in r["probe"]["charts"]]
            r["kinds"] += ["table"] * r["probe"]["tables"]
            r["page_runs"], r["floor_runs"] = [], []
            if page_name(path) in FLOOR_PAGES:
                r["floor_probe"] = browser.probe_load(chromium, floor.url + path)
                r["floor_expect"] = len(r["floor_probe"]["charts"])
                r["floor_kinds"] = [c["kind"] for c in r["floor_probe"]["charts"]] + ["table"] * r["floor_probe"]["tables"]
        for i in range(n):
            for path in paths:
                r = result[page_name(path)]
                runs = [(r["page_runs"], lambda: app_load(browser.timed_load, app.url + path, r["expect"]))]
                if "floor_probe" in r:
                    runs.append((r["floor_runs"], lambda: browser.timed_load(chromium, floor.url + path, r["floor_expect"])))
                for into, load in runs if i % 2 == 0 else runs[::-1]:  # alternate who goes first
                    into.append(load())
        while len(rss) < mem_loads:  # top up to mem_loads dashboard loads, spread over the pages
            path = paths[len(rss) % len(paths)]
            app_load(browser.timed_load, app.url + path, result[page_name(path)]["expect"])
        chromium.close()
        tracebacks = app.log_text().count("Traceback") + floor.log_text().count("Traceback")

    for r in result.values():
        for kind in ("page", "floor"):
            runs = r[f"{kind}_runs"]
            r[f"{kind}_charts_ms"] = median(x["charts"] for x in runs)
            r[f"{kind}_idle_ms"] = median(x["idle"] for x in runs)
            r[f"{kind}_failed"] = sum(not x["ok"] for x in runs)
        r["ratio"] = r["page_charts_ms"] / r["floor_charts_ms"] if r["page_charts_ms"] and r["floor_charts_ms"] else None
        r["idle_ratio"] = r["page_idle_ms"] / r["floor_idle_ms"] if r["page_idle_ms"] and r["floor_idle_ms"] else None
        for probe in ("probe", "floor_probe") if "floor_probe" in r else ("probe",):
            r[probe]["charts"] = [{k: c.get(k) for k in ("kind", "traces", "size", "drawn")} for c in r[probe]["charts"]]
    return {"pages": result, "rss_start_mb": rss_start, "rss_after_mb": rss, "mem_loads": mem_loads,
            "rss_at_mem_loads_mb": rss[mem_loads - 1], "server_tracebacks": tracebacks}


# --- the report ---------------------------------------------------------------------------------

def verdict(value, limit) -> str:
    """PASS / MISS against a limit (never enforced: the exit code ignores it)."""
    return "n/a" if value is None else "PASS" if value <= limit else "MISS"


def table(res: dict) -> str:
    """The results as two plain-text tables: per page, then every target."""
    lines = [f"{'page':11s} {'charts':>6s} {'page ms':>8s} {'floor ms':>8s} {'ratio':>6s}  {'idle ms':>7s} "
             f"{'floor':>6s} {'ws KB':>6s} {'http KB':>7s} {'topo KB':>7s} {'total KB':>8s} {'fails':>5s}"]
    fmt = lambda v, spec: "-" if v is None else format(v, spec)
    rows = []
    for name, r in res["browser"]["pages"].items():
        p = r["probe"]
        lines.append(f"{name:11s} {r['expect']:>6d} {fmt(r['page_charts_ms'], '8.0f')} {fmt(r['floor_charts_ms'], '8.0f')} "
                     f"{fmt(r['ratio'], '6.2f')}  {fmt(r['page_idle_ms'], '7.0f')} {fmt(r['floor_idle_ms'], '6.0f')} "
                     f"{p['ws_bytes'] / KB:6.1f} {p['http_other_bytes'] / KB:7.1f} {p['topojson_bytes'] / KB:7.1f} "
                     f"{p['total_bytes'] / KB:8.1f} {r['page_failed'] + r['floor_failed']:>5d}")
        if "floor_probe" not in r:
            lines.append(f"  ! no floor for {name}: add it to bench/floor/charts.py PAGES")
        elif r["kinds"] != r["floor_kinds"]:
            lines.append(f"  ! the floor draws {r['floor_kinds']}, the page {r['kinds']}")
        rows.append((f"{name}: charts drawn / floor (median ratio)", r["ratio"], TARGETS["page_ratio"], ".2f", "x"))
    rows += [(f"{name}: bytes beyond Streamlit's bundle", r["probe"]["total_bytes"] / KB, TARGETS["page_bytes"] / KB,
              ".1f", " KB") for name, r in res["browser"]["pages"].items()]
    e, g, b = res["etl"], res["geojson_bytes"], res["browser"]
    rows += [("ETL full build, in-process (median)", e["inprocess_s"], TARGETS["etl_inprocess_s"], ".2f", " s"),
             ("ETL full build, `python -m etl` (median)", e["command_s"], None, ".2f", " s"),
             ("PNG per figure, warm kaleido (slowest figure's median)", res["png"]["warm_max_s"], TARGETS["png_warm_s"],
              ".2f", " s"),
             (f"PNG first call, fresh process ({res['png']['cold_figure']})", res["png"]["cold_first_s"], None, ".2f", " s"),
             (f"PNG batch export ({res['png']['batch_files']} files, median)", res["png"]["batch_s"], TARGETS["png_batch_s"],
              ".1f", " s"),
             ("geo/voivodeships.geojson", g.get("voivodeships.geojson", 0) / KB, TARGETS["voivodeships_geojson"] / KB,
              ".1f", " KB"),
             ("geo/countries.geojson", g.get("countries.geojson", 0) / KB, TARGETS["countries_geojson"] / KB, ".1f", " KB"),
             (f"server RSS after {b['mem_loads']} page loads (start {b['rss_start_mb']:.0f} MB)", b["rss_at_mem_loads_mb"],
              TARGETS["rss_mb"], ".0f", " MB")]
    lines += ["", f"{'measure':64s} {'value':>10s} {'target':>10s}  result"]
    for label, value, limit, spec, unit in rows:
        shown = "-" if value is None else format(value, spec) + unit
        lines.append(f"{label:64s} {shown:>10s} {'' if limit is None else '<= ' + format(limit, spec) + unit:>10s}  "
                     f"{'' if limit is None else verdict(value, limit)}")
    return "\n".join(lines)


def pages_only(names: list[str], n: int, out: Path) -> int:
    """Time a few pages against their floors (a quick build, then the browser part only)."""
    from etl.build import build

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        db = tmp / "db" / "dashboard.duckdb"
        build(db)
        res = pages(db, out, n, mem_loads=0, only=names)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    (out / "pages.json").write_text(json.dumps(res, indent=1, default=str))
    print(f"N={n}, load {os.getloadavg()[0]:.1f}; wrote {out / 'pages.json'}")
    for name, r in res["pages"].items():
        print(f"{name:11s} page {r['page_charts_ms'] or 0:7.0f} ms  floor {r['floor_charts_ms'] or 0:7.0f} ms  "
              f"ratio {r['ratio'] or 0:5.2f}  bytes {r['probe']['total_bytes'] / KB:6.1f} KB  "
              f"fails {r['page_failed'] + r['floor_failed']}")
        if r["kinds"] != r.get("floor_kinds"):
            print(f"  ! the floor draws {r.get('floor_kinds')}, the page {r['kinds']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure everything, print the tables, write <out>/latest.json; exit 1 if something crashed."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--n", type=int, default=7, help="timed loads per page and per floor, after a warm-up (>= 7)")
    parser.add_argument("--smoke", action="store_true", help="N=1, single ETL/PNG runs, 5 loads for memory (CI)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--pages", help="comma-separated page names (home, Victims, ...): only these pages, no "
                        "ETL/PNG timings; for iterating on a fix, the README's table comes from a full run")
    args = parser.parse_args(argv)
    if args.pages:
        return pages_only(args.pages.split(","), args.n, args.out)
    if not args.smoke and args.n < 7:
        parser.error("--n must be at least 7 (use --smoke for a quick run)")
    n, reps, mem_loads = (1, 1, 5) if args.smoke else (args.n, 5, 50)
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    res = {"mode": "smoke" if args.smoke else "full", "n": n, "machine": machine()}
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        db = tmp / "db" / "dashboard.duckdb"
        res["etl"] = etl(tmp, db, reps)  # also builds the database the app and exports read
        res["geojson_bytes"] = geojson_sizes()
        env = {"DASHBOARD_DB": str(db)}
        res["png"] = png(tmp, env, reps=1 if args.smoke else 3, only=2 if args.smoke else 0,
                         batch_reps=1 if args.smoke else 3)
        res["browser"] = pages(db, args.out, n, mem_loads)  # the server logs stay next to latest.json
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res["machine"]["loadavg_end"] = os.getloadavg()
    res["seconds"] = round(time.perf_counter() - started, 1)
    m = res["machine"]
    print(f"{res['mode']} run, N={n}, {m['date']}, {m['nproc']} x {m['cpu']}, {m['mem_gb']} GB, load {m['loadavg_start'][0]:.1f}"
          f"->{m['loadavg_end'][0]:.1f}; streamlit {m['streamlit']}, plotly {m['plotly']}, {m['chromium']}")
    print(table(res))
    busiest = max(m["loadavg_start"][0], m["loadavg_end"][0])
    # The benchmark itself keeps about 2 processes busy; beyond twice the CPUs, other work moves the medians.
    if busiest > 2 * m["nproc"]:
        print(f"! load average {busiest:.1f} > 2 x {m['nproc']} CPUs during the run: page timings and ratios are unreliable")
    print(f"({res['seconds']:.0f} s; server tracebacks: {res['browser']['server_tracebacks']}, logs in {args.out})")
    (args.out / "latest.json").write_text(json.dumps(res, indent=1, default=str))
    print(f"wrote {args.out / 'latest.json'}")
    # Slow numbers never fail the run; a load that never finished or a server traceback is a crash.
    failed = sum(r["page_failed"] + r["floor_failed"] for r in res["browser"]["pages"].values())
    return 1 if failed or res["browser"]["server_tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
