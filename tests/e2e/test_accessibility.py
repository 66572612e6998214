"""The accessibility gate (issue 23): axe-core finds no serious or critical WCAG 2.x A/AA violation on any page, view
or language, the Update page enabled and logged in; app/accessibility.json (the statement page's facts) says what
this run measured.

Every view is audited once per test process, on demand (`Gate`): by its own test, or by the record's test when it
runs first or alone, so the record's test stands alone and no view is audited twice."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from app import accessibility
from tests.e2e import a11y

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("update_server")]
VIEWS = a11y.views()
JOBS = [(v, lang, False) for v in VIEWS for lang in a11y.LANGS]
JOBS += [(a11y.View("/Update"), lang, login) for login in (False, True) for lang in a11y.LANGS]


class Gate:
    """The audits of this process on the session's Update-enabled server: (view, lang, login) -> (violations,
    problems: off-machine requests, page errors, a traceback in the server's log while it was audited)."""

    def __init__(self, server, browser):
        self.server, self.browser = server, browser
        self.done: dict[tuple, tuple[list[dict], list[str]]] = {}

    def measure(self, view: a11y.View, lang: str, login: bool) -> tuple[list[dict], list[str]]:
        if (view, lang, login) not in self.done:
            log_start = len(self.server.log_text())
            found, _version, problems = a11y.audit_view(self.browser, self.server.url, view, lang, login)
            log = self.server.log_text()[log_start:]
            problems += [f"the server logged a traceback:\n{log}"] if "Traceback" in log else []
            self.done[(view, lang, login)] = found, problems
        return self.done[(view, lang, login)]


@pytest.fixture(scope="module")
def gate(update_server, browser) -> Gate:
    return Gate(update_server, browser)


def test_the_bundled_axe_core_is_4x():
    """The rule set's meaning depends on axe's version: the gate names it (the statement quotes it)."""
    version = re.search(r"axe v(\d+\.\d+\.\d+)", AXE_SCRIPT[:200]).group(1)
    assert version.startswith("4."), version
    assert accessibility.last_check()["axe_core"] == version


@pytest.mark.parametrize(("view", "lang", "login"), JOBS,
                         ids=[f"{v.name}{'+login' if login else ''}-{lang}" for v, lang, login in JOBS])
def test_no_serious_violation(gate, view, lang, login):
    found, problems = gate.measure(view, lang, login)
    assert problems == []
    assert a11y.gating(found) == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}"
                                               for v in a11y.gating(found))


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
        for v in gate.measure(*job)[0]:
            counts[v["impact"]] = counts.get(v["impact"], 0) + 1
    assert record["violations"] == counts
