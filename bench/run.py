"""`python -m bench.run [--n N] [--smoke] [--grown] [--out bench/results]`: the dashboard's performance against its targets."""

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
           "grown_ratio": 1.25, "grown_etl_ratio": 2.0, "dry_run_s": 2.0,
           "page_bytes": 300 * KB, "voivodeships_geojson": 60 * KB, "countries_geojson": 400 * KB, "rss_mb": 350.0,
           "factsheet_page_s": 3.0, "factsheet_batch_s": 60.0}


def median(values):
    """Median of the values that are not None (None if there are none)."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def timed(fn, *args, **kwargs) -> float:
    """Seconds a call took."""
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def _ratio(a, b):
    return a / b if a and b else None


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
    git = lambda *args: subprocess.run(["git", "--no-optional-locks", *args], cwd=ROOT, capture_output=True,
                                       text=True).stdout.strip()
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "nproc": len(os.sched_getaffinity(0)),
            "cpu": model, "mem_gb": round(int(mem) / 1024 ** 2, 1), "loadavg_start": os.getloadavg(),
            "python": platform.python_version(), "streamlit": version("streamlit"), "plotly": version("plotly"),
            "kaleido": version("kaleido"), "playwright": version("playwright"), "duckdb": version("duckdb"),
            "chromium": chromium, "commit": git("rev-parse", "--short", "HEAD"),
            # what was measured is the working tree: files changed since the commit are part of it
            "modified": git("status", "--porcelain", "--untracked-files=no").splitlines()}


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


def factsheets(tmp: Path, env: dict, smoke: bool) -> dict:
    """Fact sheets (`python -m bench.factsheets`, a fresh process): the first, one as from the page and all of them with
    a warm renderer; and, unless smoke, the batch as a command (`python -m app.export --factsheets --lang all`)."""
    out = run_checked([sys.executable, "-m", "bench.factsheets"] + (["--smoke"] if smoke else []), env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not smoke:
        result["command_s"] = timed(run_checked, [sys.executable, "-m", "app.export", "--factsheets", "--lang", "all",
                                                  "--out", str(tmp / "factsheets")], env)
    return result


def grown_data(tmp: Path, reps: int) -> tuple[dict, object]:
    """Make the grown data set (bench/grown.py: INVENTED years through `python -m etl update`), then time a full
    build in-process on the real raw folder and on the grown one, interleaved, and the dry run of one more
    invented year against the grown build, as a command and in-process. Returns the timings and the Grown."""
    import resource

    from bench.grown import dry_run_inprocess, etl_update, grow
    from etl.build import build, current_build

    start = time.perf_counter()
    g = grow(tmp / "grown")
    made_s = time.perf_counter() - start
    folders = {"8": ROOT / "data" / "raw", "20": g.raw}
    wall, cpu = {k: [] for k in folders}, {k: [] for k in folders}
    for i in range(reps):
        for key in list(folders)[:: 1 if i % 2 == 0 else -1]:  # alternate who goes first
            c0 = time.process_time()
            wall[key].append(timed(build, tmp / "etl-grown" / key / "dashboard.duckdb", raw_dir=folders[key]))
            cpu[key].append(time.process_time() - c0)

    year = g.added[-1] + 1
    pairs, meta = g.year_files(year), g.inputs / "provenance_INVENTED.yml"
    live = current_build(g.db)
    command, command_cpu, out = [], [], ""
    for _ in range(reps):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, proc = etl_update(pairs, g.db, g.raw, meta, dry_run=True)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        command.append(seconds)
        command_cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        out = proc.stdout
    inproc = [dry_run_inprocess(g, year) for _ in range(reps + 1)][1:]  # the first call pays the imports
    if current_build(g.db) != live or "Dry run: nothing was changed" not in out:
        raise RuntimeError(f"the dry run changed the grown build or did not say so:\n{out}")
    etl_wall = {k: median(v) for k, v in wall.items()}
    etl_cpu = {k: median(v) for k, v in cpu.items()}
    return {"years": [g.years[0], g.years[-1]], "invented": [g.added[0], g.added[-1]], "make_s": made_s,
            "update_calls_s": g.update_s, "update_files": len(list((g.raw / "updates").glob("*.meta.yml"))),
            "etl": {"inprocess_s": etl_wall, "runs_s": wall, "cpu_s": etl_cpu, "cpu_runs_s": cpu,
                    "ratio": _ratio(etl_wall["20"], etl_wall["8"]), "cpu_ratio": _ratio(etl_cpu["20"], etl_cpu["8"])},
            "dry_run": {"year": year, "command_s": median(command), "command_runs_s": command,
                        "command_cpu_s": median(command_cpu), "inprocess_s": median(inproc), "inprocess_runs_s": inproc,
                        "summary": [line for line in out.splitlines() if " rows added" in line]}}, g


def geojson_sizes() -> dict:
    """Bytes of each prepared boundary file."""
    return {p.name: p.stat().st_size for p in sorted((ROOT / "geo").glob("*.geojson"))}


# --- the browser --------------------------------------------------------------------------------


def pages(db: Path, logs: Path, n: int, mem_loads: int, only: list[str] | None = None,
          grown_db: Path | None = None) -> dict:
    """Every page (or `only` these), its floor and the fixed floor (and, with grown_db, the same page served from
    the grown build by a second server): one probe load each (charts, bytes), then n timed loads, interleaved."""
    from contextlib import ExitStack

    from playwright.sync_api import sync_playwright

    from bench import browser
    from tests.e2e.harness import launch_browser, page_name, page_urls, streamlit_server

    paths = [p for p in page_urls() if not only or page_name(p) in only]
    result = {page_name(p): {"path": p or "/"} for p in paths}
    rss = []  # server RSS in MB after each dashboard load (the real build's server), in order

    with ExitStack() as stack:
        app = stack.enter_context(streamlit_server(logs / "app.log", env={"DASHBOARD_DB": str(db)}))
        grown = stack.enter_context(streamlit_server(logs / "app_grown.log", env={"DASHBOARD_DB": str(grown_db)})) \
            if grown_db else None
        floor = stack.enter_context(browser.floor_server(logs / "floor.log"))
        fixed = stack.enter_context(browser.floor_server(logs / "fixed.log", script="fixed.py"))
        chromium = launch_browser(stack.enter_context(sync_playwright()))
        rss_start = browser.rss_mb(app.proc.pid)

        def app_load(load, *args):
            out = load(chromium, *args)
            rss.append(browser.rss_mb(app.proc.pid))
            return out

        fixed_probe = browser.probe_load(chromium, fixed.url + "/")
        fixed_expect = len(fixed_probe["charts"])
        for path in paths:  # the warm-up: also tells how many charts to wait for
            r = result[page_name(path)]
            r["probe"] = app_load(browser.probe_load, app.url + path)
            r["expect"], r["kinds"] = len(r["probe"]["charts"]), [c["kind"] for c in r["probe"]["charts"]]
            r["kinds"] += ["table"] * r["probe"]["tables"]
            r["page_runs"], r["floor_runs"], r["fixed_runs"] = [], [], []
            if page_name(path) in FLOOR_PAGES:
                r["floor_probe"] = browser.probe_load(chromium, floor.url + path)
                r["floor_expect"] = len(r["floor_probe"]["charts"])
                r["floor_kinds"] = [c["kind"] for c in r["floor_probe"]["charts"]] + ["table"] * r["floor_probe"]["tables"]
            if grown:
                r["grown_probe"] = browser.probe_load(chromium, grown.url + path)
                r["grown_expect"] = len(r["grown_probe"]["charts"])
                r["grown_kinds"] = [c["kind"] for c in r["grown_probe"]["charts"]] + ["table"] * r["grown_probe"]["tables"]
                r["grown_runs"] = []
        loadavg = [os.getloadavg()[0]]  # sampled after every page's round: the machine is shared
        for i in range(n):
            for path in paths:
                r = result[page_name(path)]
                runs = [(r["page_runs"], lambda: app_load(browser.timed_load, app.url + path, r["expect"]))]
                if "floor_probe" in r:
                    runs.append((r["floor_runs"], lambda: browser.timed_load(chromium, floor.url + path, r["floor_expect"])))
                runs.append((r["fixed_runs"], lambda: browser.timed_load(chromium, fixed.url + "/", fixed_expect)))
                if grown:
                    runs.append((r["grown_runs"], lambda: browser.timed_load(chromium, grown.url + path, r["grown_expect"])))
                k = i % len(runs)  # rotate who goes first
                for into, load in runs[k:] + runs[:k]:
                    into.append(load())
                loadavg.append(os.getloadavg()[0])
        while len(rss) < mem_loads:  # top up to mem_loads dashboard loads, spread over the pages
            path = paths[len(rss) % len(paths)]
            app_load(browser.timed_load, app.url + path, result[page_name(path)]["expect"])
        grown_rss = browser.rss_mb(grown.proc.pid) if grown else None
        chromium.close()
        servers = [app, floor, fixed] + ([grown] if grown else [])
        tracebacks = sum(s.log_text().count("Traceback") for s in servers)

    fixed_runs = [x for r in result.values() for x in r["fixed_runs"]]
    fixed_ms = median(x["charts"] for x in fixed_runs)
    for r in result.values():
        for kind in ("page", "floor", "fixed") + (("grown",) if grown else ()):
            runs = r[f"{kind}_runs"]
            r[f"{kind}_charts_ms"] = median(x["charts"] for x in runs)
            r[f"{kind}_idle_ms"] = median(x["idle"] for x in runs)
            r[f"{kind}_failed"] = sum(not x["ok"] for x in runs)
        r["ratio"] = _ratio(r["page_charts_ms"], r["floor_charts_ms"])
        r["idle_ratio"] = _ratio(r["page_idle_ms"], r["floor_idle_ms"])
        # Against the fixed floor: the median of all its loads (interleaved with every page's, so one number).
        r["fixed_ratio"] = _ratio(r["page_charts_ms"], fixed_ms)
        if grown:
            r["grown_ratio"] = _ratio(r["grown_charts_ms"], r["page_charts_ms"])
            r["grown_fixed_ratio"] = _ratio(r["grown_charts_ms"], fixed_ms)
        for probe in ("probe", "floor_probe", "grown_probe"):
            if probe in r:
                r[probe]["charts"] = [{k: c.get(k) for k in ("kind", "traces", "size", "drawn")} for c in r[probe]["charts"]]
    fixed_probe["charts"] = [{k: c.get(k) for k in ("kind", "traces", "size", "drawn")} for c in fixed_probe["charts"]]
    return {"pages": result, "rss_start_mb": rss_start, "rss_after_mb": rss, "mem_loads": mem_loads,
            "rss_at_mem_loads_mb": rss[mem_loads - 1] if mem_loads else None, "server_tracebacks": tracebacks,
            "fixed": {"charts_ms": fixed_ms, "idle_ms": median(x["idle"] for x in fixed_runs), "loads": len(fixed_runs),
                      "failed": sum(not x["ok"] for x in fixed_runs), "probe": fixed_probe},
            "grown_rss_mb": grown_rss, "loadavg": loadavg}


def failures(r: dict) -> int:
    """Timed loads of a page (and its floors, and its grown version) that never finished."""
    return sum(r.get(f"{kind}_failed", 0) for kind in ("page", "floor", "fixed", "grown"))


# --- the report ---------------------------------------------------------------------------------

def verdict(value, limit) -> str:
    """PASS / MISS against a limit (never enforced: the exit code ignores it)."""
    return "n/a" if value is None else "PASS" if value <= limit else "MISS"


def _fmt(v, spec):
    return "-" if v is None else format(v, spec)


def _traces(probe: dict) -> int:
    return sum(c.get("traces") or 0 for c in probe["charts"])


def grown_table(b: dict, grown: dict | None = None) -> list[str]:
    """Per page, the real build (8 years) against the grown one (20): time to charts drawn, ratios, what is sent."""
    fixed = b["fixed"]["charts_ms"]
    years = f"{grown['years'][0]}-{grown['years'][1]}, INVENTED {grown['invented'][0]}-{grown['invented'][1]}" \
        if grown else "the grown build"
    lines = [f"Grown data: 8 vs 20 years ({years}); the fixed floor {_fmt(fixed, '.0f')} ms",
             f"{'page':11s} {'charts':>7s} {'8y ms':>7s} {'20y ms':>7s} {'20/8':>5s}  {'/fixed':>6s} "
             f"{'traces':>7s} {'ws KB 8':>7s} {'ws KB 20':>8s} {'total KB 20':>11s} {'fails':>5s}"]
    for name, r in b["pages"].items():
        g = r["grown_probe"]
        lines.append(f"{name:11s} {str(r['expect']) + '/' + str(r['grown_expect']):>7s} {_fmt(r['page_charts_ms'], '7.0f')} "
                     f"{_fmt(r['grown_charts_ms'], '7.0f')} {_fmt(r['grown_ratio'], '5.2f')}  "
                     f"{_fmt(r['grown_fixed_ratio'], '6.2f')} {str(_traces(r['probe'])) + '/' + str(_traces(g)):>7s} "
                     f"{r['probe']['ws_bytes'] / KB:7.1f} {g['ws_bytes'] / KB:8.1f} {g['total_bytes'] / KB:11.1f} "
                     f"{r['page_failed'] + r['grown_failed']:>5d}")
        if r["grown_kinds"] != r["kinds"]:
            lines.append(f"  ! with 20 years the page draws {r['grown_kinds']}, with 8 {r['kinds']}")
    return lines


def table(res: dict) -> str:
    """The results as plain-text tables: per page, the grown run if any, then every target."""
    b = res["browser"]
    fixed = b["fixed"]
    lines = [f"{'page':11s} {'charts':>6s} {'page ms':>8s} {'floor ms':>8s} {'ratio':>6s} {'/fixed':>6s}  {'idle ms':>7s} "
             f"{'floor':>6s} {'ws KB':>6s} {'http KB':>7s} {'topo KB':>7s} {'total KB':>8s} {'fails':>5s}"]
    rows = []
    for name, r in b["pages"].items():
        p = r["probe"]
        lines.append(f"{name:11s} {r['expect']:>6d} {_fmt(r['page_charts_ms'], '8.0f')} {_fmt(r['floor_charts_ms'], '8.0f')} "
                     f"{_fmt(r['ratio'], '6.2f')} {_fmt(r['fixed_ratio'], '6.2f')}  {_fmt(r['page_idle_ms'], '7.0f')} "
                     f"{_fmt(r['floor_idle_ms'], '6.0f')} {p['ws_bytes'] / KB:6.1f} {p['http_other_bytes'] / KB:7.1f} "
                     f"{p['topojson_bytes'] / KB:7.1f} {p['total_bytes'] / KB:8.1f} {failures(r):>5d}")
        if "floor_probe" not in r:
            lines.append(f"  ! no floor for {name}: add it to bench/floor/charts.py PAGES")
        elif r["kinds"] != r["floor_kinds"]:
            lines.append(f"  ! the floor draws {r['floor_kinds']}, the page {r['kinds']}")
        rows.append((f"{name}: charts drawn / its floor (median ratio)", r["ratio"], TARGETS["page_ratio"], ".2f", "x"))
    lines.append(f"{'fixed floor':11s} {len(fixed['probe']['charts']):>6d} {_fmt(fixed['charts_ms'], '8.0f')}"
                 f"{'':25s}{_fmt(fixed['idle_ms'], '7.0f')}{'':8s}{fixed['probe']['ws_bytes'] / KB:6.1f} "
                 f"{fixed['probe']['http_other_bytes'] / KB:7.1f} {fixed['probe']['topojson_bytes'] / KB:7.1f} "
                 f"{fixed['probe']['total_bytes'] / KB:8.1f} {fixed['failed']:>5d}   "
                 f"(one bar chart, one 16-region map; median of {fixed['loads']} loads)")
    rows += [(f"{name}: charts drawn / the fixed floor", r["fixed_ratio"], TARGETS["page_ratio"], ".2f", "x")
             for name, r in b["pages"].items()]
    grown = res.get("grown")
    if "grown_runs" in next(iter(b["pages"].values())):
        lines += [""] + grown_table(b, grown)
        rows += [(f"{name}: 20 years / 8 years (charts drawn, median ratio)", r["grown_ratio"], TARGETS["grown_ratio"],
                  ".2f", "x") for name, r in b["pages"].items()]
    rows += [(f"{name}: bytes beyond Streamlit's bundle", r["probe"]["total_bytes"] / KB, TARGETS["page_bytes"] / KB,
              ".1f", " KB") for name, r in b["pages"].items()]
    if "etl" in res:
        e, g = res["etl"], res["geojson_bytes"]
        rows += [("ETL full build, in-process (median)", e["inprocess_s"], TARGETS["etl_inprocess_s"], ".2f", " s"),
                 ("ETL full build, `python -m etl` (median)", e["command_s"], None, ".2f", " s")]
    if grown:
        ge, dr = grown["etl"], grown["dry_run"]
        rows += [(f"ETL in-process, 8 years (median, interleaved; CPU {ge['cpu_s']['8']:.2f} s)", ge["inprocess_s"]["8"],
                  None, ".2f", " s"),
                 (f"ETL in-process, 20 years, {grown['update_files']} update files (CPU {ge['cpu_s']['20']:.2f} s)",
                  ge["inprocess_s"]["20"], None, ".2f", " s"),
                 (f"ETL 20 years / 8 years (CPU time ratio {ge['cpu_ratio']:.2f})", ge["ratio"],
                  TARGETS["grown_etl_ratio"], ".2f", "x"),
                 (f"`etl update --dry-run` of {dr['year']} on 20 years, command (CPU {dr['command_cpu_s']:.2f} s)",
                  dr["command_s"], TARGETS["dry_run_s"], ".2f", " s"),
                 ("`etl update --dry-run`, the same in-process (after imports)", dr["inprocess_s"], None, ".2f", " s")]
    if "png" in res:
        rows += [("PNG per figure, warm kaleido (slowest figure's median)", res["png"]["warm_max_s"], TARGETS["png_warm_s"],
                  ".2f", " s"),
                 (f"PNG first call, fresh process ({res['png']['cold_figure']})", res["png"]["cold_first_s"], None, ".2f", " s"),
                 (f"PNG batch export ({res['png']['batch_files']} files, median)", res["png"]["batch_s"],
                  TARGETS["png_batch_s"], ".1f", " s"),
                 ("geo/voivodeships.geojson", g.get("voivodeships.geojson", 0) / KB, TARGETS["voivodeships_geojson"] / KB,
                  ".1f", " KB"),
                 ("geo/countries.geojson", g.get("countries.geojson", 0) / KB, TARGETS["countries_geojson"] / KB, ".1f",
                  " KB")]
    if "factsheets" in res:
        f = res["factsheets"]
        rows += [("Fact sheet as from the page, warm renderer (median)", f["page_s"], TARGETS["factsheet_page_s"], ".2f",
                  " s"),
                 ("Fact sheet, first in a fresh process (starts Chromium)", f["cold_first_s"], None, ".2f", " s"),
                 (f"Fact sheets in batch, warm renderer ({f['batch_files']} PDFs)", f["batch_s"],
                  None if f["smoke"] else TARGETS["factsheet_batch_s"], ".1f", " s")]
        if "command_s" in f:
            rows.append(("Fact sheets, `python -m app.export --factsheets --lang all` (command)", f["command_s"], None,
                         ".1f", " s"))
    if b["mem_loads"]:
        rows.append((f"server RSS after {b['mem_loads']} page loads (start {b['rss_start_mb']:.0f} MB)",
                     b["rss_at_mem_loads_mb"], TARGETS["rss_mb"], ".0f", " MB"))
    lines += ["", f"{'measure':72s} {'value':>10s} {'target':>10s}  result"]
    for label, value, limit, spec, unit in rows:
        shown = "-" if value is None else format(value, spec) + unit
        lines.append(f"{label:72s} {shown:>10s} {'' if limit is None else '<= ' + format(limit, spec) + unit:>10s}  "
                     f"{'' if limit is None else verdict(value, limit)}")
    return "\n".join(lines)


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
                  f"bytes {r['grown_probe']['total_bytes'] / KB:6.1f} KB  traces {_traces(r['probe'])}/{_traces(r['grown_probe'])}")
        if r["kinds"] != r.get("floor_kinds"):
            print(f"  ! the floor draws {r.get('floor_kinds')}, the page {r['kinds']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure everything, print the tables, write <out>/latest.json; exit 1 if something crashed."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--n", type=int, default=7, help="timed loads per page and per floor, after a warm-up (>= 7)")
    parser.add_argument("--smoke", action="store_true", help="N=1, single ETL/PNG runs, 5 loads for memory (CI)")
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
    n, reps, mem_loads = (1, 1, 5) if args.smoke else (args.n, 5, 50)
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
        res["browser"] = pages(db, args.out, n, mem_loads, grown_db=grown_db)
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
