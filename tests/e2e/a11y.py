"""The accessibility gate: axe-core on every page, view and language of a real `streamlit run` in headless
Chromium; `python -m tests.e2e.a11y --write` records what it measured in app/accessibility.json (the statement
page reads it)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from app import accessibility, figures
from tests.e2e.harness import (VIEWPORT, TIMEOUT_MS, Recorder, benign_console_error, launch_browser, load, page_urls,
                               streamlit_server, wait_idle)
from tests.helpers import ROOT, built_copy

LANGS = {"pl": "pl-PL", "en": "en-GB"}
# Views below the first screen or behind a control that the catalogue does not list (it lists one figure
# per view): a voivodeship chosen, a year range, the rate, the world map of the UN measure.
EXTRA_VIEWS = {
    "/Referrals": ["v=02", "period=range&metric=rate"],
    "/Emigration": ["measure=undesa&view=world&scale=continuous"],
    "/Slides": ["slide=2"],
    "/Victims": ["mode=share"],
}
UPDATE_PASSWORD = "a11y-gate-password"


@dataclass(frozen=True)
class View:
    """One page in one view: its URL path and query (without lang)."""

    path: str
    query: str = ""

    def url(self, base: str, lang: str) -> str:
        """The view's address in `lang` (Polish is the default and carries no parameter)."""
        params = [p for p in (self.query, "lang=en" if lang == "en" else "") if p]
        return base + self.path + ("?" + "&".join(params) if params else "")

    @property
    def name(self) -> str:
        return (self.path.strip("/") or "home") + (f"?{self.query}" if self.query else "")


def page_of(key: str) -> str:
    """The URL path of the page the catalogue calls `key` ("overview" -> "", "victims" -> "/Victims")."""
    return {(p.strip("/").lower() or "overview"): p for p in page_urls()}[key]


def views() -> list[View]:
    """Every page's default view, then every view below the fold or behind a control (catalogue queries and
    EXTRA_VIEWS). The Update page is audited apart (it needs a server with updates on and a login)."""
    out = [View(p) for p in page_urls() if p != "/Update"]
    queries = [(page_of(e.page), e.query) for e in figures.CATALOGUE if e.query]
    queries += [(path, q) for path, qs in EXTRA_VIEWS.items() for q in qs]
    for path, query in queries:
        if View(path, query) not in out:
            out.append(View(path, query))
    return out


def axe_options() -> dict:
    """Only the WCAG rules of accessibility.RULESET (A and AA of 2.0, 2.1, 2.2)."""
    return {"runOnly": {"type": "tag", "values": list(accessibility.RULESET)}, "resultTypes": ["violations"]}


def audit(page) -> list[dict]:
    """axe's violations on the page as it is: [{id, impact, help, nodes: [target, ...]}]."""
    result = Axe().run(page, options=axe_options())
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [" ".join(map(str, n["target"])) for n in v["nodes"]]} for v in result.response["violations"]]


def gating(violations: list[dict]) -> list[dict]:
    """The violations that fail the gate (serious or critical)."""
    return [v for v in violations if v["impact"] in accessibility.GATING]


def axe_version(page) -> str:
    """The version of the axe-core bundled with axe-playwright-python (read from the page it ran in)."""
    return page.evaluate("() => window.axe && window.axe.version")


@dataclass
class Audited:
    """One view as the gate saw it: axe's violations and version, what went wrong on the way (off-machine requests,
    page or console errors, dialogs, an exception or error box, a path the server did not know), the charts drawn
    (tests/e2e/drawn.py) and the sidebar's text."""

    found: list[dict]
    version: str
    problems: list[str]
    charts: list[dict]
    sidebar: str


SHOWN_ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass
class Tab:
    """A browser context in one language that records what its pages do (a reader's window: one for every view of
    a language, its cache warm from one page to the next, as a reader's is); `close` ends it."""

    context: object
    rec: Recorder

    @classmethod
    def open(cls, browser, lang: str) -> Tab:
        context = browser.new_context(viewport=VIEWPORT, locale=LANGS[lang])
        context.set_default_timeout(TIMEOUT_MS)
        rec = Recorder()
        rec.attach(context)
        return cls(context, rec)

    def close(self) -> None:
        self.context.close()


def audit_view(browser, base: str, view: View, lang: str, login: bool = False, expect: int = 0,
               tab: Tab | None = None) -> Audited:
    """Load one view (waiting for at least `expect` charts) in a new page of `tab` (or of a context of its own) and
    log in, check it as every e2e page load is checked, then run axe on it."""
    own = tab is None
    tab = Tab.open(browser, lang) if own else tab
    rec = tab.rec
    before = {k: len(getattr(rec, k)) for k in ("blocked", "page_errors", "console_errors", "dialogs")}
    page = tab.context.new_page()
    rec.watch(page)
    try:
        charts = load(page, view.url(base, lang), expect=expect)
        if login:
            log_in(page, lang)
        shown = page.locator(SHOWN_ERRORS).all_inner_texts()
        # an unknown path falls back to the main page at "/" (and logs "page not found")
        landed = urlsplit(page.url).path.rstrip("/")
        sidebar = page.get_by_test_id("stSidebar").inner_text()
        found = audit(page)
        version = axe_version(page)
    finally:
        page.close()
        if own:
            tab.close()
    new = {k: getattr(rec, k)[n:] for k, n in before.items()}  # this view's part of what the tab recorded
    problems = [f"blocked request {u}" for u in new["blocked"]] + [f"page error {e}" for e in new["page_errors"]]
    problems += [f"console error {e}" for e in new["console_errors"] if not benign_console_error(*e)]
    problems += [f"dialog {d}" for d in new["dialogs"]] + [f"shown on the page: {text}" for text in shown]
    problems += [f"landed on {landed!r}, not {view.path!r}"] if landed != view.path else []
    return Audited(found, version, problems, charts, sidebar)


def log_in(page, lang: str) -> None:
    """Log in on the Update page with the gate's password."""
    from app.i18n import t

    page.get_by_label(t("update_password", lang), exact=True).fill(UPDATE_PASSWORD)
    page.get_by_role("button", name=t("update_login", lang)).click()
    page.get_by_text(t("update_intro", lang)[:30]).first.wait_for()
    wait_idle(page)


def update_server_env(tmp: Path) -> tuple[dict, list[str]]:
    """The environment and arguments of a server with the Update page on (a copy of data/raw and its build, a
    password)."""
    raw, pointer = built_copy(tmp)
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'update_password = "{UPDATE_PASSWORD}"\n', encoding="utf-8")
    env = {"DASHBOARD_DB": str(pointer), "DASHBOARD_RAW": str(raw), "DASHBOARD_UPDATES": "1"}
    return env, ["--secrets.files", str(secrets)]


def run_all(echo=print, only: str | None = None) -> dict:
    """Audit every view in both languages (the Update page enabled and logged in); the record for
    app/accessibility.json plus the details of every violation."""
    results, versions, problems = [], set(), []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        tmp = Path(tmp)
        browser = launch_browser(p)
        env, args = update_server_env(tmp)
        with streamlit_server(tmp / "server.log", env=env, args=args) as server:
            jobs = [(v, lang, False) for v in views() for lang in LANGS]
            jobs += [(View("/Update"), lang, login) for login in (False, True) for lang in LANGS]
            jobs = [j for j in jobs if only is None or only in j[0].name]
            for view, lang, login in jobs:
                audited = audit_view(browser, server.url, view, lang, login)
                found, seen = audited.found, audited.problems
                versions.add(audited.version)
                problems += [f"{view.name} [{lang}]: {s}" for s in seen]
                name = view.name + (" (logged in)" if login else "")
                results.append({"view": name, "lang": lang, "violations": found})
                echo(f"{name:55} {lang}  {len(gating(found))} serious/critical, {len(found)} in all")
            if "Traceback" in server.log_text():
                problems.append("the server logged a traceback:\n" + server.log_text())
        browser.close()
    return {"axe_version": ",".join(sorted(versions)), "results": results, "problems": problems}


def record(measured: dict, today: dt.date) -> dict:
    """What app/accessibility.json keeps of a run: the date, axe's version, the rule set, what was covered and
    the number of violations by impact."""
    by_impact: dict[str, int] = {}
    for r in measured["results"]:
        for v in r["violations"]:
            by_impact[v["impact"]] = by_impact.get(v["impact"], 0) + 1
    return {"checked": today.isoformat(), "axe_core": measured["axe_version"], "ruleset": list(accessibility.RULESET),
            "gating_impacts": list(accessibility.GATING), "page_loads": len(measured["results"]),
            "views": sorted({r["view"] for r in measured["results"]}), "languages": sorted(LANGS),
            "violations": {k: by_impact[k] for k in sorted(by_impact)}}


def main(argv: list[str] | None = None) -> int:
    """python -m tests.e2e.a11y [--write]: audit, print a line per view, with --write update the record."""
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.a11y", description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"write {accessibility.RECORD.relative_to(ROOT)}")
    parser.add_argument("--only", help="audit only the views whose name contains this (no --write then)")
    parser.add_argument("--details", type=Path, help="write every violation found (JSON) to this file")
    args = parser.parse_args(argv)
    if args.write and args.only:
        parser.error("--write records a full run: drop --only")
    measured = run_all(only=args.only)
    if args.details:
        args.details.write_text(json.dumps(measured, ensure_ascii=False, indent=1), encoding="utf-8")
    rec = record(measured, dt.date.today())
    print(json.dumps(rec["violations"]), f"{rec['page_loads']} page loads", *measured["problems"], sep="\n")
    if args.write:
        accessibility.RECORD.write_text(json.dumps(rec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {accessibility.RECORD}")
    failing = sum(len(gating(r["violations"])) for r in measured["results"])
    return 1 if failing or measured["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
