"""The accessibility gate (issue 23): axe-core finds no serious or critical WCAG 2.x A/AA violation on any page, view
or language, the Update page enabled and logged in; app/accessibility.json (the statement page's facts) says what
this run measured."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from app import accessibility
from tests.e2e import a11y
from tests.e2e.harness import streamlit_server

pytestmark = pytest.mark.browser
VIEWS = a11y.views()
JOBS = [(v, lang, False) for v in VIEWS for lang in a11y.LANGS]
JOBS += [(a11y.View("/Update"), lang, login) for login in (False, True) for lang in a11y.LANGS]
MEASURED: dict[tuple[str, str], list[dict]] = {}  # (view, lang) -> violations, filled as the tests run


@pytest.fixture(scope="module")
def gate_server(tmp_path_factory):
    """One server for the whole gate, with the Update page on (a copy of data/raw, a password in a secrets file)."""
    tmp = tmp_path_factory.mktemp("a11y")
    env, args = a11y.update_server_env(tmp)
    with streamlit_server(tmp / "server.log", env=env, args=args) as srv:
        yield srv
    assert "Traceback" not in srv.log_text()


def test_the_bundled_axe_core_is_4x():
    """The rule set's meaning depends on axe's version: the gate names it (the statement quotes it)."""
    version = re.search(r"axe v(\d+\.\d+\.\d+)", AXE_SCRIPT[:200]).group(1)
    assert version.startswith("4."), version
    assert accessibility.last_check()["axe_core"] == version


@pytest.mark.parametrize(("view", "lang", "login"), JOBS,
                         ids=[f"{v.name}{'+login' if login else ''}-{lang}" for v, lang, login in JOBS])
def test_no_serious_violation(gate_server, browser, view, lang, login):
    found, _version, problems = a11y.audit_view(browser, gate_server.url, view, lang, login)
    MEASURED[(view.name + (" (logged in)" if login else ""), lang)] = found
    assert problems == []
    assert a11y.gating(found) == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}"
                                               for v in a11y.gating(found))


def test_the_record_is_what_the_gate_measured():
    """app/accessibility.json, which the statement page quotes, matches this run: the views and languages, the
    number of page loads, the rule set and the violations by impact (run `python -m tests.e2e.a11y --write`
    after changing what the gate covers)."""
    record = accessibility.last_check()
    assert record["ruleset"] == list(accessibility.RULESET)
    assert record["gating_impacts"] == list(accessibility.GATING)
    names = {v.name for v in VIEWS} | {"Update", "Update (logged in)"}
    assert set(record["views"]) == names and record["languages"] == sorted(a11y.LANGS)
    assert record["page_loads"] == len(JOBS)
    if len(MEASURED) < len(JOBS):
        pytest.skip(f"only {len(MEASURED)} of {len(JOBS)} views were audited in this run (-k?)")
    counts: dict[str, int] = {}
    for found in MEASURED.values():
        for v in found:
            counts[v["impact"]] = counts.get(v["impact"], 0) + 1
    assert record["violations"] == counts
