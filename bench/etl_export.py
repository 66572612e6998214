"""The ETL, the exports and the boundary files into seconds and bytes: builds, PNGs, fact sheets, the grown data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.timing import median, ratio, seconds
from tests.helpers import ROOT


def run_checked(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    """Run a command from the project root; raise with its output if it fails."""
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def etl(tmp: Path, pointer: Path, reps: int) -> dict:
    """A full build as a command (interpreter start included) and in-process (etl.build.build only)."""
    from etl.build import build

    command = [seconds(run_checked, [sys.executable, "-m", "etl", "--db", str(pointer), "--quiet"], {})
               for _ in range(reps)]
    inproc = [seconds(build, tmp / "inprocess" / "dashboard.duckdb") for _ in range(reps)]
    return {"command_s": median(command), "command_runs_s": command,
            "inprocess_s": median(inproc), "inprocess_runs_s": inproc}


def png(tmp: Path, env: dict, reps: int, only: int, batch_reps: int) -> dict:
    """Per-figure render times (`python -m bench.png`, a fresh process) and the whole batch export."""
    out = run_checked([sys.executable, "-m", "bench.png", "--reps", str(reps), "--only", str(only)], env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    batch = [seconds(run_checked, [sys.executable, "-m", "app.export", "--out", str(tmp / f"png{i}"), "--lang",
                                   "pl", "--preset", "slide"], env) for i in range(batch_reps)]
    files = len(list((tmp / "png0").glob("*.png")))
    return {**result, "warm_max_s": max(w["median_s"] for w in result["warm"].values()),
            "batch_s": median(batch), "batch_runs_s": batch, "batch_files": files}


def factsheets(tmp: Path, env: dict, smoke: bool) -> dict:
    """Fact sheets (`python -m bench.factsheets`, a fresh process): the first, one as from the page and all of them with
    a warm renderer; and, unless smoke, the batch as a command (`python -m app.export --factsheets --lang all`)."""
    out = run_checked([sys.executable, "-m", "bench.factsheets"] + (["--smoke"] if smoke else []), env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not smoke:
        result["command_s"] = seconds(run_checked, [sys.executable, "-m", "app.export", "--factsheets", "--lang",
                                                    "all", "--out", str(tmp / "factsheets")], env)
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
            wall[key].append(seconds(build, tmp / "etl-grown" / key / "dashboard.duckdb", raw_dir=folders[key]))
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
                    "ratio": ratio(etl_wall["20"], etl_wall["8"]), "cpu_ratio": ratio(etl_cpu["20"], etl_cpu["8"])},
            "dry_run": {"year": year, "command_s": median(command), "command_runs_s": command,
                        "command_cpu_s": median(command_cpu), "inprocess_s": median(inproc), "inprocess_runs_s": inproc,
                        "summary": [line for line in out.splitlines() if " rows added" in line]}}, g


def geojson_sizes() -> dict:
    """Bytes of each prepared boundary file."""
    return {p.name: p.stat().st_size for p in sorted((ROOT / "geo").glob("*.geojson"))}
