"""Bounded load test on 127.0.0.1: 20 concurrent browser sessions, then 200 page loads in all.

    python -m bench.load [--sessions 20] [--loads 200] [--out bench/results/load.json]

Starts the real dashboard (`streamlit run`) on a free loopback port with a fresh database build,
then drives headless Debian Chromium (one browser, a fresh context per load): first every session
loads every page once, concurrently; then the sessions keep loading pages round-robin until the
total is reached. It records the time from navigation until every chart is drawn, every error
(Streamlit exception, page error, console error, request leaving the machine) and the server's
resident memory before, after the first 50 loads and at the end. It stops by itself: the number of
loads is fixed and the whole run has a time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import async_playwright

from etl.build import build
from tests.e2e.harness import (_CHARTS_JS, _IDLE_JS, CHROMIUM, CHROMIUM_ARGS, LOOPBACK, VIEWPORT,
                               benign_console_error, page_urls, streamlit_server)

TIME_LIMIT_S = 1200  # the whole run stops after 20 minutes whatever happens
LOAD_TIMEOUT_S = 120


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (from /proc; no psutil needed)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_load(browser, url: str) -> dict:
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
        await page.goto(url, timeout=LOAD_TIMEOUT_S * 1000)
        deadline = start + LOAD_TIMEOUT_S
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
            problems.append(f"not drawn within {LOAD_TIMEOUT_S} s")
        if await page.locator('[data-testid="stException"]').count():
            problems.append("Streamlit exception on the page")
    except Exception as exc:  # noqa: BLE001 - a failed load is a result, not a crash
        problems.append(f"{type(exc).__name__}: {exc}")
    finally:
        await context.close()
    return {"url": url, "drawn_ms": drawn_ms, "idle_ms": idle_ms, "problems": problems}


async def run(base: str, pid: int, sessions: int, loads: int) -> dict:
    """Phase 1: every session loads every page once, concurrently; phase 2: up to `loads` in all."""
    pages = [base + p for p in page_urls()]
    results: list[dict] = []
    memory = {"before_mb": rss_mb(pid)}

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        queue: asyncio.Queue[str] = asyncio.Queue()
        for _ in range(sessions):  # phase 1: each session, every page once
            for url in pages:
                queue.put_nowait(url)
        for i in range(max(0, loads - sessions * len(pages))):  # phase 2: round-robin up to `loads`
            queue.put_nowait(pages[i % len(pages)])

        async def worker():
            while not queue.empty():
                url = queue.get_nowait()
                results.append(await one_load(browser, url))
                if len(results) == 50:
                    memory["after_50_mb"] = rss_mb(pid)

        await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(sessions))), TIME_LIMIT_S)
        await browser.close()
    memory["end_mb"] = rss_mb(pid)
    return {"results": results, "memory": memory}


def summarise(outcome: dict, sessions: int) -> dict:
    """p50/p95 per page and overall, errors, memory growth."""
    res = outcome["results"]
    drawn = [r["drawn_ms"] for r in res if r["drawn_ms"] is not None]
    q = lambda xs, p: statistics.quantiles(xs, n=100)[p - 1] if len(xs) > 1 else (xs[0] if xs else None)  # noqa: E731
    by_page = {}
    for r in res:
        by_page.setdefault(urlsplit(r["url"]).path or "/", []).append(r["drawn_ms"] or float("nan"))
    mem = outcome["memory"]
    growth = (mem["end_mb"] / mem["after_50_mb"] - 1) if mem.get("after_50_mb") else None
    return {
        "sessions": sessions, "loads": len(res), "errors": sum(bool(r["problems"]) for r in res),
        "problems": [f"{r['url']}: {p}" for r in res for p in r["problems"]][:20],
        "p50_ms": q(drawn, 50), "p95_ms": q(drawn, 95),
        "by_page": {k: {"p50_ms": q(v, 50), "p95_ms": q(v, 95), "n": len(v)} for k, v in sorted(by_page.items())},
        "memory_mb": mem, "growth_after_50": growth,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the load test and print the summary; exit 1 on any error or memory growth over 20 %."""
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--loads", type=int, default=200)
    ap.add_argument("--out", type=Path, default=Path("bench/results/load.json"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pointer = Path(tmp) / "dashboard.duckdb"
        build(pointer)
        with streamlit_server(Path(tmp) / "server.log", env={"DASHBOARD_DB": str(pointer)}) as server:
            start = time.perf_counter()
            outcome = asyncio.run(run(server.url, server.proc.pid, args.sessions, args.loads))
            seconds = time.perf_counter() - start
            tracebacks = server.log_text().count("Traceback")
    summary = summarise(outcome, args.sessions) | {"seconds": round(seconds, 1), "server_tracebacks": tracebacks,
                                                   "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    mem = summary["memory_mb"]
    print(f"{summary['loads']} loads by {args.sessions} concurrent sessions in {seconds:.0f} s; "
          f"errors {summary['errors']}; server tracebacks {tracebacks}")
    print(f"time to all charts drawn: p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms")
    for page, s in summary["by_page"].items():
        print(f"  {page:14s} n={s['n']:3d}  p50 {s['p50_ms']:7.0f} ms  p95 {s['p95_ms']:7.0f} ms")
    print(f"server RSS: before {mem['before_mb']:.0f} MB, after 50 loads {mem.get('after_50_mb', float('nan')):.0f} MB, "
          f"end {mem['end_mb']:.0f} MB (growth after 50: {100 * (summary['growth_after_50'] or 0):+.1f} %)")
    for p in summary["problems"]:
        print("  problem:", p)
    ok = summary["errors"] == 0 and tracebacks == 0 and (summary["growth_after_50"] or 0) <= 0.20
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
