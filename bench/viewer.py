"""`python -m bench.viewer [--n N] [--sessions S] [--replicas R] [--smoke]`: what a viewer costs, live and static.

In one run, on one database build: the static edition is baked as a command (`python -m app.bake --lang all`, its wall
time against the 60 s target), served by `python -m http.server`, and the live dashboard by `streamlit run` (or with
--replicas R by `make serve`'s nginx and R replicas). Every page's default view is loaded N times from each, interleaved
(live, static; the order rotated), each load a fresh Chromium context: the time to all charts drawn (the e2e
harness's definition), and around each live load the server's own CPU time (utime + stime of every replica in
/proc/<pid>/stat, the context closed and the session ended), so CPU ms per page view; the static server's the same.
Then S sessions are opened at once and kept open: the replicas' RSS before and after, per session. Targets: a static
page draws all its charts in at most a third of the live page's time; the bake of both languages under 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench import browser
from bench.run import machine
from tests.e2e import harness
from tests.helpers import ROOT

TARGETS = {"static_ratio": 1 / 3, "bake_s": 60.0}
PAGES = ["", "/Victims", "/Referrals", "/Emigration", "/National_counts", "/Data", "/Slides", "/Context"]
# --smoke (CI: that the measurement still runs, no target enforced): the overview, a page of maps and the page of
# tables, and the bake of one language (the test suite bakes both).
SMOKE_PAGES = ["", "/Referrals", "/Data"]
TICK = os.sysconf("SC_CLK_TCK")
SETTLE_S = 0.3  # after a context is closed, for the server to end the session (its CPU counts for the view)


def cpu_ms(pids: list[int]) -> float:
    """User + system CPU time of the processes so far, in ms (/proc/<pid>/stat fields 14 and 15)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total * 1000 / TICK


STATIC_IDLE = "() => document.readyState === 'complete'"  # a static page is idle once it has loaded
WARM_FROM = "/Context"  # a warm load follows a load of this page in the same context (a viewer's next page)


def timed(chromium, url: str, expect: int, idle: str, warm_from: str | None = None) -> dict:
    """A page in a fresh context (or after `warm_from` in the same context: its cache warm): ms from navigation to
    all `expect` charts drawn and to idle, by bench/browser.py's in-page timer."""
    context = browser._context(chromium)
    try:
        context.add_init_script(browser._TIMER_JS % {"expect": expect, "charts": harness._CHARTS_JS.strip(),
                                                     "idle": idle})
        page = context.new_page()
        done = "() => window.__bench && __bench.charts !== null && __bench.idle !== null"
        if warm_from:  # its own charts (the timer waits for the target's number of charts in every document)
            page.goto(warm_from)
            page.wait_for_function("() => window.__bench && __bench.idle !== null", polling=100,
                                   timeout=harness.TIMEOUT_MS)
            harness.wait_charts(page, expect=1)
        page.goto(url)
        page.wait_for_function(done, polling=100, timeout=harness.TIMEOUT_MS)
        return {"ok": True, **page.evaluate("() => window.__bench")}
    except Exception as exc:  # noqa: BLE001  (a load that never finished is counted, not fatal)
        return {"ok": False, "charts": None, "idle": None, "error": str(exc).splitlines()[0]}
    finally:
        context.close()


def counted(load, pids: list[int]) -> dict:
    """A load and the CPU the processes spent on it (the session closed, then SETTLE_S for it to end)."""
    before = cpu_ms(pids)
    out = load()
    time.sleep(SETTLE_S)
    return {**out, "cpu_ms": cpu_ms(pids) - before}


@contextmanager
def live_server(db: Path, logs: Path, replicas: int):
    """(URL, the replicas' pids): one `streamlit run`, or nginx and `replicas` replicas under supervisord."""
    env = {"DASHBOARD_DB": str(db)}
    if replicas <= 1:
        with harness.streamlit_server(logs / "viewer_app.log", env=env) as srv:
            yield srv.url, [srv.proc.pid]
    else:
        with harness.replicated_server(logs / "viewer_serve", replicas, env=env) as srv:
            yield srv.url, [r["pid"] for r in srv.replicas().values()]


@contextmanager
def http_server(folder: Path):
    """`python -m http.server` on a free loopback port; (URL, pid)."""
    port = harness.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory",
                             str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(1.0)
        yield f"http://127.0.0.1:{port}/", proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def sessions_memory(chromium, url: str, pids: list[int], n: int, pages: list[str] = PAGES) -> dict:
    """n sessions opened at once (one page each, round-robin over the pages) and kept open: RSS per session."""
    rss = lambda: sum(browser.rss_mb(p) for p in pids)  # noqa: E731
    before = rss()
    contexts = []
    try:
        for i in range(n):
            context = browser._context(chromium)
            page = context.new_page()
            harness.load(page, url + pages[i % len(pages)])
            contexts.append(context)
        time.sleep(1.0)
        after = rss()
    finally:
        for context in contexts:
            context.close()
    return {"sessions": n, "rss_before_mb": before, "rss_after_mb": after, "per_session_mb": (after - before) / n}


def measure(n: int, sessions: int, replicas: int, out: Path, pages: list[str] = PAGES, lang: str = "all") -> dict:
    from playwright.sync_api import sync_playwright

    from etl.build import build

    tmp = Path(tempfile.mkdtemp(prefix="bench-viewer-"))
    try:
        db = tmp / "db" / "dashboard.duckdb"
        build(db)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "app.bake", "--out", str(tmp / "site"), "--lang", lang],
                              cwd=ROOT, env={**os.environ, "DASHBOARD_DB": str(db)}, capture_output=True, text=True)
        bake_s = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(f"python -m app.bake failed:\n{proc.stdout}\n{proc.stderr}")
        result = {"bake_s": bake_s, "bake_lang": lang, "bake_output": proc.stdout.strip(), "replicas": max(1, replicas),
                  "pages": {}}
        with ExitStack() as stack:
            live, pids = stack.enter_context(live_server(db, out, replicas))
            static, static_pid = stack.enter_context(http_server(tmp / "site"))
            chromium = harness.launch_browser(stack.enter_context(sync_playwright()))
            loadavg = [os.getloadavg()[0]]
            for path in pages:  # the warm-up: how many charts each draws
                r = result["pages"][path or "/"] = {"live_runs": [], "static_runs": [], "live_warm_runs": [],
                                                    "static_warm_runs": []}
                r["expect"] = len(harness.load(page := chromium.new_page(), live + path))
                page.close()
                r["static_path"] = "pl/" + (f"{path.strip('/')}/" if path else "") + "index.html"
                r["static_expect"] = (tmp / "site" / r["static_path"]).read_text().count('class="plot" data-figure=')
                timed(chromium, static + r["static_path"], r["static_expect"], STATIC_IDLE)
            for i in range(n):
                for path in pages:
                    r = result["pages"][path or "/"]
                    live_url, static_url = live + path, static + r["static_path"]
                    runs = [(r["live_runs"], lambda: counted(lambda: timed(chromium, live_url, r["expect"],
                                                                           harness._IDLE_JS.strip()), pids)),
                            (r["static_runs"], lambda: counted(lambda: timed(chromium, static_url, r["static_expect"],
                                                                             STATIC_IDLE), [static_pid])),
                            (r["live_warm_runs"], lambda: timed(chromium, live_url, r["expect"],
                                                                harness._IDLE_JS.strip(), live + WARM_FROM)),
                            (r["static_warm_runs"], lambda: timed(chromium, static_url, r["static_expect"],
                                                                  STATIC_IDLE, static + "pl/Context/index.html"))]
                    k = i % len(runs)
                    for into, load in runs[k:] + runs[:k]:
                        into.append(load())
                    loadavg.append(os.getloadavg()[0])
            result["memory"] = sessions_memory(chromium, live, pids, sessions, pages)
            chromium.close()
        result["loadavg"] = loadavg
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for r in result["pages"].values():
        for kind in ("live", "static", "live_warm", "static_warm"):
            runs = r[f"{kind}_runs"]
            ok = [x for x in runs if x["ok"]]
            r[f"{kind}_ms"] = statistics.median(x["charts"] for x in ok) if ok else None
            r[f"{kind}_cpu_ms"] = statistics.median(x["cpu_ms"] for x in runs) if runs and "cpu_ms" in runs[0] else None
            r[f"{kind}_failed"] = len(runs) - len(ok)
        r["ratio"] = r["static_ms"] / r["live_ms"] if r["static_ms"] and r["live_ms"] else None
        r["warm_ratio"] = r["static_warm_ms"] / r["live_warm_ms"] if r["static_warm_ms"] and r["live_warm_ms"] else None
    return result


def report(res: dict) -> str:
    f = lambda v, spec: "-" if v is None else format(v, spec)  # noqa: E731
    verdict = lambda v: "" if v is None else "PASS" if v <= TARGETS["static_ratio"] else "MISS"  # noqa: E731
    lines = [f"{'page':17s} {'charts':>6s} {'live ms':>8s} {'static ms':>9s} {'ratio':>10s}  {'warm live':>9s} "
             f"{'warm static':>11s} {'ratio':>10s}  {'live CPU ms/view':>16s} {'static CPU ms/view':>18s} {'fails':>5s}"]
    fails = lambda r: sum(r[f"{k}_failed"] for k in ("live", "static", "live_warm", "static_warm"))  # noqa: E731
    for path, r in res["pages"].items():
        lines.append(f"{path:17s} {r['expect']:>6d} {f(r['live_ms'], '8.0f')} {f(r['static_ms'], '9.0f')} "
                     f"{f(r['ratio'], '5.2f'):>5s} {verdict(r['ratio']):4s}  {f(r['live_warm_ms'], '9.0f')} "
                     f"{f(r['static_warm_ms'], '11.0f')} {f(r['warm_ratio'], '5.2f'):>5s} {verdict(r['warm_ratio']):4s}  "
                     f"{f(r['live_cpu_ms'], '16.0f')} {f(r['static_cpu_ms'], '18.1f')} {fails(r):>5d}")
    m = res["memory"]
    lines += ["", "ms: median time to all charts drawn; warm: the page opened after another page in the same browser "
              "context (a viewer's next page)",
              f"memory per live session: {m['per_session_mb']:.1f} MB ({m['sessions']} sessions kept open: "
              f"{m['rss_before_mb']:.0f} -> {m['rss_after_mb']:.0f} MB over {res['replicas']} replica(s))",
              f"bake of {'both languages' if res['bake_lang'] == 'all' else res['bake_lang']} (command): "
              f"{res['bake_s']:.1f} s (target for both < {TARGETS['bake_s']:.0f} s: "
              f"{'PASS' if res['bake_s'] < TARGETS['bake_s'] else 'MISS'}); {res['bake_output']}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.viewer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=7, help="timed loads per page from each server (after a warm-up)")
    parser.add_argument("--sessions", type=int, default=10, help="live sessions kept open for the memory per session")
    parser.add_argument("--replicas", type=int, default=1, help="1: one `streamlit run`; more: make serve's nginx")
    parser.add_argument("--smoke", action="store_true", help="N=1, 2 sessions, 3 pages, the bake of Polish only (CI)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    n, sessions = (1, 2) if args.smoke else (args.n, args.sessions)
    args.out.mkdir(parents=True, exist_ok=True)
    smoke = {"pages": SMOKE_PAGES, "lang": "pl"} if args.smoke else {}
    res = {"machine": machine(), "n": n, **measure(n, sessions, args.replicas, args.out, **smoke)}
    m = res["machine"]
    print(f"N={n}, {m['date']}, {m['nproc']} x {m['cpu']}, load {m['loadavg_start'][0]:.1f} (during the loads "
          f"{min(res['loadavg']):.1f}-{max(res['loadavg']):.1f}); commit {m['commit']}"
          + (f" + {len(m['modified'])} files modified" if m["modified"] else ""))
    print(report(res))
    (args.out / "viewer.json").write_text(json.dumps(res, indent=1, default=str))
    print(f"wrote {args.out / 'viewer.json'}")
    failed = sum(r[f"{k}_failed"] for r in res["pages"].values() for k in ("live", "static", "live_warm", "static_warm"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
