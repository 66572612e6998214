"""The change log read as the contract declares it (etl/contract.py CHANGES), or an InputError naming file, row, column.

The log is a CSV a person may open and edit (a merge of two copies leaves conflict markers in it). A line that is not
a row of it must not be read as one: pandas would take "<<<<<<< HEAD" for a row whose action is empty, and a publish
would then number, roll back or withdraw from a history that is not the one written.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from .contract import CHANGES
from .errors import InputError

MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")  # what git's merge writes around two sides of a conflict


def read(path: Path) -> pd.DataFrame:
    """Every row of the change log at `path`, as text, in the contract's columns (one missing from an older log's
    header reads as empty)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, "a change log in UTF-8", got=f"byte {exc.start}: {exc.reason}") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return pd.DataFrame(columns=CHANGES.column_names)
    header, body = rows[0], rows[1:]
    unknown = [h for h in header if h not in CHANGES.column_names]
    if unknown or "at" not in header or "action" not in header:
        raise InputError(path, f"the change log's header ({','.join(CHANGES.column_names)})", row=1,
                         got=",".join(header))
    lines = text.splitlines()
    for number, fields in enumerate(body, start=2):  # the header is row 1; a row never spans lines (no newlines)
        line = lines[number - 1] if number - 1 < len(lines) else ""
        if line.startswith(MARKERS):
            raise InputError(path, "a row of the change log, not a merge conflict marker: keep the rows of both "
                             "sides in time order and delete the marker lines", row=number, got=line)
        if len(fields) != len(header):
            raise InputError(path, f"{len(header)} fields, as in the header", row=number, got=line)
        for name, value in zip(header, fields):
            _check(path, number, CHANGES.column(name), value)
    frame = pd.DataFrame(body, columns=header, dtype=str)
    return frame.reindex(columns=CHANGES.column_names, fill_value="")


def _check(path: Path, row: int, column, value: str) -> None:
    """A value as the contract declares its column: one of its values, or text matching its pattern."""
    if column.nullable and value == "":
        return
    if column.isin is not None and value not in column.isin:
        raise InputError(path, "one of " + ", ".join(column.isin), row=row, column=column.name, got=value)
    if column.pattern is not None and not re.fullmatch(column.pattern, value):
        raise InputError(path, f"text matching {column.pattern}", row=row, column=column.name, got=value)
