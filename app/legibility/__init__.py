"""The legibility check (issue 32): contrast, colour vision and overlapping labels over every figure the static
edition bakes (python -m app.legibility); its last result, for the accessibility statement."""

from __future__ import annotations

import json
from pathlib import Path

RECORD = Path(__file__).resolve().parent.parent / "legibility.json"  # written by `python -m app.legibility --write`


def last_record() -> dict | None:
    """The recorded runs: 'first' (before the fixes) and 'last' (None if never recorded)."""
    try:
        return json.loads(RECORD.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def facts(record: dict) -> dict:
    """The statement's facts from the record: the last run's date, figures and findings by rule, the figures still
    failing, and the first run's findings (before the fixes)."""
    from app.legibility.rules import THRESHOLD

    last, first = record["last"], record.get("first", record["last"])
    return {"date": last["checked"], "figures": last["figures"], "threshold": f"{THRESHOLD:g}",
            "first_date": first["checked"], "first_figures": len(first["figures_with_findings"]),
            **{f"first_{k}": first["findings"][rule] for k, rule in (("contrast", "contrast"),
                                                                    ("cvd", "colour_vision"), ("overlap", "overlap"))},
            "contrast": last["findings"]["contrast"], "cvd": last["findings"]["colour_vision"],
            "overlap": last["findings"]["overlap"], "figures_open": len(last["figures_with_findings"]),
            "open": ", ".join(last["figures_with_findings"]) or "–"}
