"""Full-page PNGs of every dashboard page: python -m tests.e2e.screenshot --out /tmp/shots [--lang en] [--base URL]."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.harness import (Recorder, fit_viewport_to_content, launch_browser, load, page_name, page_urls,
                               streamlit_server, wait_charts, wait_idle)

LOCALES = {"pl": "pl-PL", "en": "en-GB"}


def shoot(base: str, out: Path, langs: list[str], width: int, height: int) -> list[str]:
    """Save <page>_<lang>.png for every page and language; return the problems seen on the way."""
    problems = []
    with sync_playwright() as p:
        browser = launch_browser(p)
        for lang in langs:
            for path in page_urls():
                context = browser.new_context(viewport={"width": width, "height": height}, locale=LOCALES[lang])
                rec = Recorder()
                rec.attach(context)
                page = context.new_page()
                rec.watch(page)
                load(page, base + path + ("?lang=en" if lang == "en" else ""))
                fit_viewport_to_content(page)
                wait_idle(page)  # the taller viewport can re-layout the page and its charts
                charts = wait_charts(page)
                png = out / f"{page_name(path)}_{lang}.png"
                page.screenshot(path=png, full_page=True)
                print(f"{png}  charts drawn {sum(c['drawn'] for c in charts)}/{len(charts)}")
                problems += [f"{png.name}: chart not drawn: {c}" for c in charts if not c["drawn"]]
                problems += [f"{png.name}: console error: {e}" for e in rec.unexpected_console_errors()]
                problems += [f"{png.name}: page error: {e}" for e in rec.page_errors]
                problems += [f"{png.name}: blocked request: {u}" for u in rec.blocked]
                context.close()
        browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True, help="directory for the PNGs (and server.log)")
    ap.add_argument("--lang", choices=["pl", "en"], action="append",
                    help="language; repeat for both (default: both)")
    ap.add_argument("--width", type=int, default=1366)
    ap.add_argument("--height", type=int, default=768, help="viewport height; the PNG grows to the content")
    ap.add_argument("--base", help="URL of a running dashboard; default: start one (database from DASHBOARD_DB)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    server = nullcontext() if args.base else streamlit_server(args.out / "server.log")
    with server as srv:
        base = (args.base or srv.url).rstrip("/")
        problems = shoot(base, args.out, args.lang or ["pl", "en"], args.width, args.height)
        if srv and "Traceback" in srv.log_text():
            problems.append(f"the server logged a traceback, see {srv.log}")
    for problem in problems:
        print("PROBLEM", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
