"""`python -m bench.cpu [--pages /,/Referrals] [--reps 3]`: where the browser's main thread spends a page load.

Chromium's sampling profiler (CDP `Profiler`) over each load of a page and of its floor (bench/floor), from navigation
to charts drawn and idle (bench/browser.py's timer): self time by script file, largest difference first. This is how
the Markdown tables were found (National counts: 0.7 s in StreamlitMarkdown for one 40 KB table; docs/performance.md).
Milliseconds include the profiler's own overhead and move by 10 % between runs on a shared machine: read the
differences between page and floor, not the totals.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
from contextlib import ExitStack
from pathlib import Path

SAMPLING_US = 200


def self_time(profile: dict) -> collections.Counter:
    """A CDP CPU profile's self time in ms by script file (the last part of its URL; native work by its name)."""
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    spent: collections.Counter = collections.Counter()
    # timeDeltas[i] is the time before sample i: sample i ran until sample i + 1
    for sample, delta in zip(profile["samples"], profile["timeDeltas"][1:] + [0]):
        frame = nodes[sample]
        spent[frame["url"].rsplit("/", 1)[-1] or f"({frame['functionName']})"] += delta / 1000
    return spent


def profiled_load(chromium, url: str, expect: int) -> collections.Counter:
    """One load of `url` in a fresh context, profiled until its `expect` charts are drawn and it is idle."""
    from bench import browser

    with browser.timed_page(chromium, expect) as (page, cdp):
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLING_US})
        cdp.send("Profiler.start")
        page.goto(url)
        browser.wait_drawn(page)
        return self_time(cdp.send("Profiler.stop")["profile"])


def report(path: str, page: collections.Counter, floor: collections.Counter, top: int = 15) -> str:
    """The files whose self time differs most between the page and its floor, as text."""
    lines = [f"{path}: page {sum(page.values()):.0f} ms, floor {sum(floor.values()):.0f} ms (self time per load)"]
    for name in sorted(set(page) | set(floor), key=lambda k: floor[k] - page[k])[:top]:
        lines.append(f"  {name[:48]:48} page {page[name]:7.1f}  floor {floor[name]:7.1f}  "
                     f"difference {page[name] - floor[name]:+7.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cpu", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="/,/Referrals", help="URL paths, comma-separated")
    parser.add_argument("--reps", type=int, default=3, help="loads of each page and floor (averaged)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from app import data
    from bench import browser
    from tests.e2e.harness import launch_browser, streamlit_server

    logs = Path(os.environ.get("TMPDIR", "/tmp")) / "bench-cpu"
    with ExitStack() as stack:
        app = stack.enter_context(streamlit_server(logs / "app.log", env={"DASHBOARD_DB": str(data.db_pointer())}))
        floor = stack.enter_context(browser.floor_server(logs / "floor.log"))
        chromium = launch_browser(stack.enter_context(sync_playwright()))
        for path in args.pages.split(","):
            spent = {}
            for name, base in (("page", app.url), ("floor", floor.url)):
                expect = len(browser.probe_load(chromium, base + path)["charts"])
                total: collections.Counter = collections.Counter()
                for _ in range(args.reps):
                    total.update(profiled_load(chromium, base + path, expect))
                spent[name] = collections.Counter({k: v / args.reps for k, v in total.items()})
            print(report(path, spent["page"], spent["floor"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
