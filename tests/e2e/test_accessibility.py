"""The accessibility gate (issue 23): axe-core finds no serious or critical WCAG 2.x A/AA violation on any page, view
or language, the Update page enabled and logged in; app/accessibility.json (the statement page's facts) says what
this run measured.

Every view is audited once per test process, on demand (`Gate`): by its own test, or by the record's test when it
runs first or alone, so the record's test stands alone and no view is audited twice."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from app import accessibility, figures
from tests.e2e import a11y
from tests.e2e.test_pages import default_figures

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("update_server")]
VIEWS = a11y.views()
DATA_PAGE = {"pl": "Dane i źródła", "en": "Data and sources"}  # the sidebar's link to the data page, as a reader reads it
JOBS = [(v, lang, False) for v in VIEWS for lang in a11y.LANGS]
JOBS += [(a11y.View("/Update"), lang, login) for login in (False, True) for lang in a11y.LANGS]


class Gate:
    """The audits of this process on the session's Update-enabled server: (view, lang, login) -> a11y.Audited, a
    traceback in the server's log while it was audited counted among its problems."""

    def __init__(self, server, browser):
        self.server, self.browser = server, browser
        self.done: dict[tuple, a11y.Audited] = {}
        self.tabs: dict[str, a11y.Tab] = {}  # a window per language; a login gets a context of its own

    def measure(self, view: a11y.View, lang: str, login: bool) -> a11y.Audited:
        if (view, lang, login) not in self.done:
            log_start = len(self.server.log_text())
            if not login and lang not in self.tabs:
                self.tabs[lang] = a11y.Tab.open(self.browser, lang)
            tab = None if login else self.tabs[lang]
            audited = a11y.audit_view(self.browser, self.server.url, view, lang, login,
                                      expect=len(expected_figures(view, lang)), tab=tab)
            log = self.server.log_text()[log_start:]
            audited.problems += [f"the server logged a traceback:\n{log}"] if "Traceback" in log else []
            self.done[(view, lang, login)] = audited
        return self.done[(view, lang, login)]


def expected_figures(view: a11y.View, lang: str) -> list[str]:
    """The figures a view must draw, from the catalogue (app.figures.CATALOGUE): a default view exactly its page's
    figures in order, a view behind a control at least the figure the catalogue lists for it."""
    if not view.query:
        return default_figures(view.path, lang)
    return [e.figure(lang).layout.meta["name"] for e in figures.CATALOGUE
            if e.query == view.query and a11y.page_of(e.page) == view.path]


@pytest.fixture(scope="module")
def gate(update_server, browser) -> Gate:
    gate = Gate(update_server, browser)
    yield gate
    for tab in gate.tabs.values():
        tab.close()


def test_the_bundled_axe_core_is_4x():
    """The rule set's meaning depends on axe's version: the gate names it (the statement quotes it)."""
    version = re.search(r"axe v(\d+\.\d+\.\d+)", AXE_SCRIPT[:200]).group(1)
    assert version.startswith("4."), version
    assert accessibility.last_check()["axe_core"] == version


@pytest.mark.parametrize(("view", "lang", "login"), JOBS,
                         ids=[f"{v.name}{'+login' if login else ''}-{lang}" for v, lang, login in JOBS])
def test_no_serious_violation(gate, view, lang, login):
    """axe finds nothing serious or critical; and the view loads as every page must: no error on the page, in the
    browser or in the server's log, nothing requested off the machine, every chart drawn, the figures the catalogue
    lists for it, the sidebar in the view's language."""
    audited = gate.measure(view, lang, login)
    assert audited.problems == []
    assert a11y.gating(audited.found) == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}"
                                                       for v in a11y.gating(audited.found))
    names, expected = [c["name"] for c in audited.charts], expected_figures(view, lang)
    assert names == expected if not view.query else set(expected) <= set(names) and names, audited.charts
    assert [c for c in audited.charts if not c["drawn"]] == [], audited.charts
    assert DATA_PAGE[lang] in audited.sidebar.splitlines()


@pytest.mark.timeout(1800)  # alone, it audits every view itself
def test_the_record_is_what_the_gate_measured(gate):
    """app/accessibility.json, which the statement page quotes, matches this run: the views and languages, the
    number of page loads, the rule set and the violations by impact (run `python -m tests.e2e.a11y --write`
    after changing what the gate covers). Every view is measured here if its own test has not measured it yet."""
    record = accessibility.last_check()
    assert record["ruleset"] == list(accessibility.RULESET)
    assert record["gating_impacts"] == list(accessibility.GATING)
    names = {v.name for v in VIEWS} | {"Update", "Update (logged in)"}
    assert set(record["views"]) == names and record["languages"] == sorted(a11y.LANGS)
    assert record["page_loads"] == len(JOBS)
    counts: dict[str, int] = {}
    for job in JOBS:
        for v in gate.measure(*job).found:
            counts[v["impact"]] = counts.get(v["impact"], 0) + 1
    assert record["violations"] == counts
