"""`python -m app.legibility [--write] [--first]`: the legibility check over every figure the static edition bakes,
in both languages, on the light and presentation templates; exit 1 on any finding. --write records the result in
app/legibility.json for the accessibility statement (--first: as the check's first run, before any fix)."""

from __future__ import annotations

import argparse
import collections
import json
import sys
from datetime import datetime, timezone

from app.i18n import LANGS
from app.legibility import RECORD, figures, overlap, rules


def run(browser: bool = True) -> tuple[dict, list[rules.Finding]]:
    """Every figure checked: the counts (figures, by template) and the findings."""
    found: list[rules.Finding] = []
    counts = {}
    with _chromium() if browser else _nothing() as chromium:
        for lang in LANGS:
            for tpl in figures.TEMPLATES:
                figs = figures.baked(lang, tpl)
                counts[f"{lang}/{tpl}"] = len(figs)
                for fig in figs:
                    found += rules.check(fig)
                if chromium is not None:
                    found += overlap.check(chromium, figs, presets=tpl == "light")
                print(f"{lang} {tpl}: {len(figs)} figures, {len(found)} findings so far", file=sys.stderr)
    return counts, found


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


class _chromium:
    """Debian's Chromium, headless, offline, for the overlap rule."""

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        from app.export import HOST_RESOLVER_RULES, check_browser

        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(executable_path=check_browser(), args=[
            "--headless", "--no-sandbox", "--disable-gpu", HOST_RESOLVER_RULES])
        return self.browser

    def __exit__(self, *exc):
        self.browser.close()
        self.pw.stop()
        return False


def summary(counts: dict, found: list[rules.Finding]) -> dict:
    """The record of one run: when, how many figures, the findings by rule, the figures they were found in."""
    return {"checked": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "figures": sum(counts.values()),
            "by_language_and_template": counts,
            "findings": {r: sum(f.rule == r for f in found) for r in ("contrast", "colour_vision", "overlap")},
            "figures_with_findings": sorted({f.figure for f in found}),
            "examples": [f"{f.rule}: {f.figure}: {f.what} ({f.value})" for f in found[:40]]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.legibility", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="record the result in app/legibility.json")
    parser.add_argument("--first", action="store_true", help="record it as the first run, before any fix")
    parser.add_argument("--no-browser", action="store_true", help="the colour rules only")
    args = parser.parse_args(argv)
    counts, found = run(browser=not args.no_browser)
    for line in (f"{f.rule}: {f.figure}: {f.what} ({f.value})" for f in found):
        print(line)
    result = summary(counts, found)
    print(json.dumps({k: result[k] for k in ("figures", "findings")}), file=sys.stderr)
    print(collections.Counter(f.figure for f in found).most_common(10), file=sys.stderr)
    if args.write:
        record = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else {}
        record["first" if args.first else "last"] = result
        RECORD.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
