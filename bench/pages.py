"""Every page into load times and bytes in headless Chromium, against its floor, the fixed floor and its grown build."""

from __future__ import annotations

import os
from pathlib import Path

from bench.floor.charts import PAGES as FLOOR_PAGES
from bench.timing import median, ratio


def _kinds(probe: dict) -> list[str]:
    """What a probed page draws: each chart's kind, then one 'table' per data table."""
    return [c["kind"] for c in probe["charts"]] + ["table"] * probe["tables"]


def _slim(probe: dict) -> None:
    """Keep only what the results record of each probed chart."""
    probe["charts"] = [{k: c.get(k) for k in ("kind", "traces", "size", "drawn")} for c in probe["charts"]]


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
            r["expect"], r["kinds"] = len(r["probe"]["charts"]), _kinds(r["probe"])
            r["page_runs"], r["floor_runs"], r["fixed_runs"] = [], [], []
            if page_name(path) in FLOOR_PAGES:
                r["floor_probe"] = browser.probe_load(chromium, floor.url + path)
                r["floor_expect"], r["floor_kinds"] = len(r["floor_probe"]["charts"]), _kinds(r["floor_probe"])
            if grown:
                r["grown_probe"] = browser.probe_load(chromium, grown.url + path)
                r["grown_expect"], r["grown_kinds"] = len(r["grown_probe"]["charts"]), _kinds(r["grown_probe"])
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

    fixed_summary = _summarise(result, fixed_probe, bool(grown))
    return {"pages": result, "rss_start_mb": rss_start, "rss_after_mb": rss, "mem_loads": mem_loads,
            "rss_at_mem_loads_mb": rss[mem_loads - 1] if mem_loads else None, "server_tracebacks": tracebacks,
            "fixed": fixed_summary, "grown_rss_mb": grown_rss, "loadavg": loadavg}


def _summarise(result: dict, fixed_probe: dict, grown: bool) -> dict:
    """Each page's medians, failures and ratios (added to its entry), and the fixed floor's over all its loads."""
    fixed_runs = [x for r in result.values() for x in r["fixed_runs"]]
    fixed_ms = median(x["charts"] for x in fixed_runs)
    for r in result.values():
        for kind in ("page", "floor", "fixed") + (("grown",) if grown else ()):
            runs = r[f"{kind}_runs"]
            r[f"{kind}_charts_ms"] = median(x["charts"] for x in runs)
            r[f"{kind}_idle_ms"] = median(x["idle"] for x in runs)
            r[f"{kind}_failed"] = sum(not x["ok"] for x in runs)
            done = [x["work"] for x in runs if x["ok"] and "work" in x]
            r[f"{kind}_work_ms"] = {k: median(w[k] for w in done) for k in done[0]} if done else {}
        r["ratio"] = ratio(r["page_charts_ms"], r["floor_charts_ms"])
        r["idle_ratio"] = ratio(r["page_idle_ms"], r["floor_idle_ms"])
        # Against the fixed floor: the median of all its loads (interleaved with every page's, so one number).
        r["fixed_ratio"] = ratio(r["page_charts_ms"], fixed_ms)
        if grown:
            r["grown_ratio"] = ratio(r["grown_charts_ms"], r["page_charts_ms"])
            r["grown_fixed_ratio"] = ratio(r["grown_charts_ms"], fixed_ms)
        for probe in ("probe", "floor_probe", "grown_probe"):
            if probe in r:
                _slim(r[probe])
    _slim(fixed_probe)
    done = [x["work"] for x in fixed_runs if x["ok"] and "work" in x]
    return {"charts_ms": fixed_ms, "idle_ms": median(x["idle"] for x in fixed_runs), "loads": len(fixed_runs),
            "work_ms": {k: median(w[k] for w in done) for k in done[0]} if done else {},
            "failed": sum(not x["ok"] for x in fixed_runs), "probe": fixed_probe}


def failures(r: dict) -> int:
    """Timed loads of a page (and its floors, and its grown version) that never finished."""
    return sum(r.get(f"{kind}_failed", 0) for kind in ("page", "floor", "fixed", "grown"))
