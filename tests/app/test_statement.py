"""The accessibility statement page (issue 23, item 5): the act's sections, and the facts of the last check as the
gate recorded them in app/accessibility.json (tests/e2e/test_accessibility.py checks that record against a run)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from app import accessibility, legibility
from app.i18n import t
from tests.helpers import ROOT


def statement(lang: str, **env) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if lang != "pl":
        at.query_params["lang"] = lang
    at.switch_page("pages/9_Accessibility.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_statement_reports_the_recorded_check(built, lang):
    record = accessibility.last_check()
    at = statement(lang)
    assert [h.value for h in at.header] == [t(k, lang) for k in ("a11y_status_heading", "a11y_not_heading",
                                                                 "a11y_check_heading", "a11y_contact_heading")]
    text = " ".join(m.value for m in at.markdown)
    check = text[text.index(record["checked"]):]
    # the facts as recorded, not as typed: date, axe version, every rule tag, page loads, views, violations
    assert record["axe_core"] in check and all(tag in check for tag in record["ruleset"])
    numbers = [int(n) for n in re.findall(r"\b\d+\b", check.split(record["axe_core"], 1)[1])]
    gating = sum(n for impact, n in record["violations"].items() if impact in record["gating_impacts"])
    for value in (record["page_loads"], len(record["views"]), gating, sum(record["violations"].values())):
        assert value in numbers
    assert ("częściowo zgodna" if lang == "pl" else "partially compliant") in text


def test_the_contact_is_the_operators(built, monkeypatch):
    at = statement("pl")
    assert "DASHBOARD_A11Y_CONTACT" in " ".join(m.value for m in at.markdown)
    monkeypatch.setenv(accessibility.CONTACT_ENV, "dostepnosc@example.gov.pl")
    at = statement("pl")
    assert "dostepnosc@example.gov.pl" in " ".join(m.value.replace("\\", "") for m in at.markdown)


def test_the_sidebar_links_the_statement_on_every_page(built):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    links = [el.proto for el in at.sidebar if getattr(el, "type", None) == "page_link"]
    assert [(p.page, p.label) for p in links][-1] == ("Accessibility", t("nav_a11y", "pl"))  # last: the foot


NONE = {"pl": "Teraz: żadnych ustaleń", "en": "Findings now: none"}  # the statement's words for no finding left


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_statement_reports_what_the_legibility_check_found_and_fixed(built, lang):
    """The legibility check's record (app/legibility.json; tests/app/test_legibility.py checks it against a run) as
    recorded: its date, figures, the first run's findings by rule and the last run's, the figures still failing."""
    record = legibility.last_record()
    first, last = record["first"], record["last"]
    text = " ".join(m.value for m in statement(lang).markdown)
    part = text[text.index(last["checked"]):]
    numbers = [int(n) for n in re.findall(r"\b\d+\b", part.replace("\u00a0", ""))]
    still = [*last["findings"].values(), len(last["figures_with_findings"])] if last["figures_with_findings"] else []
    for value in (last["figures"], *first["findings"].values(), len(first["figures_with_findings"]), *still):
        assert value in numbers
    assert all(name.replace("_", "\\_") in part or name in part for name in last["figures_with_findings"])
    if not last["figures_with_findings"]:  # nothing left: said in words, not as a row of zeros
        assert not any(last["findings"].values()) and NONE[lang] in part
