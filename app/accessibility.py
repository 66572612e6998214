"""The accessibility check's rule set and its last recorded result (app/accessibility.json), for the statement page."""

from __future__ import annotations

import json
import os
from pathlib import Path

# axe-core's tags for the WCAG success criteria of levels A and AA: WCAG 2.1 AA is what the act of 4 April 2019
# requires (through EN 301 549); 2.2's AA rules are checked too.
RULESET = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
GATING = ("critical", "serious")  # impacts that fail the gate (tests/e2e/test_accessibility.py)
RECORD = Path(__file__).with_name("accessibility.json")  # written by `python -m tests.e2e.a11y --write`


def last_check() -> dict | None:
    """The recorded result of the last full check (None if it was never recorded)."""
    try:
        return json.loads(RECORD.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


CONTACT_ENV = "DASHBOARD_A11Y_CONTACT"  # who answers accessibility requests: set by whoever runs the server


def contact() -> str | None:
    """The contact for accessibility requests, from the environment (None when not set)."""
    return os.environ.get(CONTACT_ENV) or None


def summary(record: dict) -> dict:
    """The statement's facts from a recorded check: date, axe version, rules, page loads, views, violations."""
    violations = record["violations"]
    return {"date": record["checked"], "axe": record["axe_core"], "rules": ", ".join(record["ruleset"]),
            "loads": record["page_loads"], "views": len(record["views"]),
            "gating": sum(n for impact, n in violations.items() if impact in record["gating_impacts"]),
            "total": sum(violations.values())}
