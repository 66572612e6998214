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
