"""Bounded load test on 127.0.0.1: 20 concurrent browser sessions, then 200 page loads in all.

    python -m bench.load [--sessions 20] [--loads 200] [--out bench/results/load.json]
    python -m bench.load --replicas 1,3 --sessions 30 --loads 300 [--load-timeout 300] [--time-limit 2400]
    python -m bench.load --target http://127.0.0.1:8080 [--serve-run-dir DIR]

Starts the real dashboard (`streamlit run`) on a free loopback port with a fresh database build,
then drives headless Debian Chromium (one browser, a fresh context per load): first every session
loads every page once, concurrently; then the sessions keep loading pages round-robin until the
total is reached. It records the time from navigation until every chart is drawn, every error
(Streamlit exception, page error, console error, request leaving the machine) and the server's
resident memory before, after the first 50 loads and at the end. It stops by itself: the number of
loads is fixed and the whole run has a time limit.

With --replicas N[,M...] the same load goes, for each N in turn, through `make serve`'s nginx in front of N
replicas under supervisord (`python -m deploy.serve`, same database build): each load is a fresh browser
context, so a fresh sticky cookie and a replica chosen by nginx. The summary puts the configurations side by
side, with each replica's memory. With --target URL it loads pages from a server already running there (`make serve`, or
anything else); --serve-run-dir names that `python -m deploy.serve --run-dir` directory (`.serve` for `make
serve`), for its replicas' memory and logs (supervisord, asked over that directory's socket, gives their pids).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import async_playwright

from etl.build import build
from tests.e2e.harness import (_CHARTS_JS, _IDLE_JS, CHROMIUM, CHROMIUM_ARGS, LOOPBACK, VIEWPORT,
                               benign_console_error, page_urls, replicated_server, streamlit_server, supervised)

TIME_LIMIT_S = 1200  # the whole run stops after 20 minutes whatever happens (--time-limit per configuration)
LOAD_TIMEOUT_S = 120  # --load-timeout


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (from /proc; no psutil needed)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_load(browser, url: str, timeout_s: float = LOAD_TIMEOUT_S) -> dict:
    """Load a page in a fresh context; return its timing and every problem seen."""
    problems: list[str] = []
    context = await browser.new_context(viewport=VIEWPORT, locale="pl-PL")

    async def route(r):
        if urlsplit(r.request.url).hostname in LOOPBACK or r.request.url.startswith(("data:", "blob:")):
            await r.continue_()
        else:
            problems.append(f"request leaving the machine: {r.request.url}")
            await r.abort("blockedbyclient")

    await context.route("**/*", route)
    page = await context.new_page()
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: m.type == "error" and not benign_console_error(m.text, m.location.get("url", ""))
            and problems.append(f"console: {m.text}"))
    start = time.perf_counter()
    drawn_ms = idle_ms = None
    try:
        await page.goto(url, timeout=timeout_s * 1000)
        deadline = start + timeout_s
        while time.perf_counter() < deadline:
            try:
                idle = await page.evaluate(_IDLE_JS)
                charts = await page.evaluate(_CHARTS_JS)
            except Exception:  # a navigation between polls: not yet
                idle, charts = False, []
            now = (time.perf_counter() - start) * 1000
            if charts and all(c["drawn"] for c in charts) and drawn_ms is None:
                drawn_ms = now
            if idle and idle_ms is None:
                idle_ms = now
                if not charts:
                    drawn_ms = now  # a page without charts is drawn when the script is done
            if idle_ms is not None and drawn_ms is not None:
                break
            await asyncio.sleep(0.05)
        else:
            problems.append(f"not drawn within {timeout_s:.0f} s")
        if await page.locator('[data-testid="stException"]').count():
            problems.append("Streamlit exception on the page")
    except Exception as exc:  # noqa: BLE001 - a failed load is a result, not a crash
        problems.append(f"{type(exc).__name__}: {exc}")
    finally:
        await context.close()
    return {"url": url, "drawn_ms": drawn_ms, "idle_ms": idle_ms, "problems": problems}


async def run(base: str, pids: dict[str, int], sessions: int, loads: int, load_timeout_s: float = LOAD_TIMEOUT_S,
              time_limit_s: float = TIME_LIMIT_S) -> dict:
    """Phase 1: every session loads every page once, concurrently; phase 2: up to `loads` in all. `pids`: the
    server processes whose memory is recorded, by name."""
    pages = [base + p for p in page_urls()]
    results: list[dict] = []
    memory = {name: {"before_mb": rss_mb(pid)} for name, pid in pids.items()}

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        queue: asyncio.Queue[str] = asyncio.Queue()
        for _ in range(sessions):  # phase 1: each session, every page once
            for url in pages:
                queue.put_nowait(url)
        for i in range(max(0, loads - sessions * len(pages))):  # phase 2: round-robin up to `loads`
            queue.put_nowait(pages[i % len(pages)])

        in_flight: set[str] = set()

        async def worker(i: int):
            while not queue.empty():
                url = queue.get_nowait()
                in_flight.add(f"{i} {url}")
                results.append(await one_load(browser, url, load_timeout_s))
                in_flight.discard(f"{i} {url}")
                if len(results) == 50:
                    for name, pid in pids.items():
                        memory[name]["after_50_mb"] = rss_mb(pid)

        # At the time limit the loads still running and those not started count as failed (the run still
        # reports what it measured).
        tasks = [asyncio.create_task(worker(i)) for i in range(sessions)]
        _, pending = await asyncio.wait(tasks, timeout=time_limit_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        unfinished = [key.split(" ", 1)[1] for key in in_flight] + [queue.get_nowait() for _ in range(queue.qsize())]
        results.extend({"url": url, "drawn_ms": None, "idle_ms": None,
                        "problems": [f"time limit of the run ({time_limit_s:.0f} s) passed"]} for url in unfinished)
        await browser.close()
    for name, pid in pids.items():
        memory[name]["end_mb"] = rss_mb(pid)
    return {"results": results, "memory": memory}


def summarise(outcome: dict, sessions: int) -> dict:
    """p50/p95 per page and overall, errors, memory growth."""
    res = outcome["results"]
    drawn = [r["drawn_ms"] for r in res if r["drawn_ms"] is not None]
    q = lambda xs, p: statistics.quantiles(xs, n=100)[p - 1] if len(xs) > 1 else (xs[0] if xs else None)  # noqa: E731
    by_page = {}
    for r in res:
        by_page.setdefault(urlsplit(r["url"]).path or "/", []).append(r["drawn_ms"] or float("nan"))
    mem = outcome["memory"]  # per server process
    growths = [m["end_mb"] / m["after_50_mb"] - 1 for m in mem.values() if m.get("after_50_mb")]
    growth = max(growths) if growths else None
    return {
        "sessions": sessions, "loads": len(res), "errors": sum(bool(r["problems"]) for r in res),
        "problems": [f"{r['url']}: {p}" for r in res for p in r["problems"]][:20],
        "problem_kinds": dict(Counter(re.sub(r"https?://\\S+", "URL", p)[:90] for r in res for p in r["problems"])),
        "p50_ms": q(drawn, 50), "p95_ms": q(drawn, 95),
        "by_page": {k: {"p50_ms": q(v, 50), "p95_ms": q(v, 95), "n": len(v)} for k, v in sorted(by_page.items())},
        "memory_mb": mem, "growth_after_50": growth,
    }


def load_average() -> str:
    """The 1/5/15-minute load averages, as /proc/loadavg gives them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure(label: str, base: str, pids: dict[str, int], logs: list[Path], args) -> dict:
    """One configuration: the load against `base`, its summary with the memory of `pids` and the tracebacks in
    `logs`."""
    load_before = load_average()
    start = time.perf_counter()
    outcome = asyncio.run(run(base, pids, args.sessions, args.loads, args.load_timeout, args.time_limit))
    seconds = time.perf_counter() - start
    tracebacks = sum(log.read_text(errors="replace").count("Traceback") for log in logs if log.exists())
    return summarise(outcome, args.sessions) | {
        "configuration": label, "seconds": round(seconds, 1), "server_tracebacks": tracebacks,
        "load_average_before": load_before, "load_average_after": load_average(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def report(summary: dict) -> None:
    """Print one configuration's summary."""
    print(f"{summary['configuration']}: {summary['loads']} loads by {summary['sessions']} concurrent sessions in "
          f"{summary['seconds']:.0f} s; errors {summary['errors']}; server tracebacks {summary['server_tracebacks']}; "
          f"load average {summary['load_average_before']} before, {summary['load_average_after']} after")
    if summary["p50_ms"] is not None:
        print(f"  time to all charts drawn: p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms")
    for page, s in summary["by_page"].items():
        print(f"  {page:14s} n={s['n']:3d}  p50 {s['p50_ms']:7.0f} ms  p95 {s['p95_ms']:7.0f} ms")
    for name, mem in summary["memory_mb"].items():
        print(f"  {name} RSS: before {mem['before_mb']:.0f} MB, after 50 loads {mem.get('after_50_mb', float('nan')):.0f} MB, "
              f"end {mem['end_mb']:.0f} MB")
    print(f"  largest growth after 50 loads: {100 * (summary['growth_after_50'] or 0):+.1f} %")
    for kind, n in summary["problem_kinds"].items():
        print(f"  {n} x {kind}")
    if "nginx_errors" in summary:
        print(f"  nginx error log: {summary['nginx_errors']} lines")
        for line in summary["nginx_error_sample"]:
            print("   ", line[:200])


def side_by_side(summaries: list[dict]) -> None:
    """The configurations as one Markdown table (what docs/publishing.md shows)."""
    print("\n| configuration | loads | concurrent sessions | errors | server tracebacks | time to all charts drawn "
          "p50 / p95 | RSS per replica before / after 50 loads / end | wall time |")
    print("|---|---|---|---|---|---|---|---|")
    for s in summaries:
        rss = "; ".join(f"{n} {m['before_mb']:.0f} / {m.get('after_50_mb', float('nan')):.0f} / {m['end_mb']:.0f} MB"
                        for n, m in s["memory_mb"].items())
        p50 = f"{s['p50_ms'] / 1000:.1f} s / {s['p95_ms'] / 1000:.1f} s" if s["p50_ms"] is not None else "-"
        print(f"| {s['configuration']} | {s['loads']} | {s['sessions']} | {s['errors']} | {s['server_tracebacks']} | "
              f"{p50} | {rss} | {s['seconds']:.0f} s |")


def main(argv: list[str] | None = None) -> int:
    """Run the load test and print the summary; exit 1 on any error or memory growth over 20 %."""
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--loads", type=int, default=200)
    ap.add_argument("--replicas", help="through nginx: a comma-separated list of replica counts, run in turn "
                    "(e.g. 1,3); without it, one `streamlit run` directly")
    ap.add_argument("--target", help="load an already running server at this URL instead of starting one")
    ap.add_argument("--serve-run-dir", type=Path, help="with --target: the deploy.serve run directory serving it "
                    "(its supervisord gives the replicas' pids)")
    ap.add_argument("--load-timeout", type=float, default=LOAD_TIMEOUT_S,
                    help=f"seconds one page load may take (default {LOAD_TIMEOUT_S})")
    ap.add_argument("--time-limit", type=float, default=TIME_LIMIT_S,
                    help=f"seconds each configuration may take in all (default {TIME_LIMIT_S})")
    ap.add_argument("--out", type=Path, default=Path("bench/results/load.json"))
    args = ap.parse_args(argv)
    counts = [int(n) for n in args.replicas.split(",")] if args.replicas else []
    summaries = []
    if args.target:
        pids, logs = {}, []
        if args.serve_run_dir:
            pids = {name: p["pid"] for name, p in supervised(args.serve_run_dir).items()
                    if p["group"] == "replica" and p["pid"]}
            logs = sorted(args.serve_run_dir.glob("replica_*.log"))
        summaries.append(measure(args.target, args.target.rstrip("/"), pids, logs, args))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            pointer = Path(tmp) / "dashboard.duckdb"
            build(pointer)
            env = {"DASHBOARD_DB": str(pointer)}
            if not counts:
                with streamlit_server(Path(tmp) / "server.log", env=env) as server:
                    summaries.append(measure("one streamlit, no proxy", server.url, {"server": server.proc.pid},
                                             [server.log], args))
            for n in counts:
                run_dir = Path(tmp) / f"serve-{n}"
                with replicated_server(run_dir, n, env=env) as srv:
                    pids = {name: r["pid"] for name, r in srv.replicas().items()}
                    label = f"nginx + {n} replica{'s' if n > 1 else ''}"
                    summary = measure(label, srv.url, pids, sorted(run_dir.glob("replica_*.log")), args)
                    summary["restarts"] = {name: r["restarts"] for name, r in srv.replicas().items()}
                    # nginx's complaints about the replicas (502s, timeouts), kept before the run directory goes
                    errors = (run_dir / "error.log").read_text(errors="replace").splitlines()
                    summary["nginx_errors"] = len(errors)
                    summary["nginx_error_sample"] = errors[:10]
                    summaries.append(summary)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summaries[0] if len(summaries) == 1 and not args.replicas else summaries, indent=1),
                        encoding="utf-8")
    for summary in summaries:
        report(summary)
    if args.replicas:
        side_by_side(summaries)
    ok = all(s["errors"] == 0 and s["server_tracebacks"] == 0 and (s["growth_after_50"] or 0) <= 0.20
             and not any(s.get("restarts", {}).values()) for s in summaries)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
