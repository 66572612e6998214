"""Parse published table cells ('-', '20 (18 + 2)', '2+ 2', '1 096') into (count, note)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Dashes used for "none" in published tables: hyphen, en dash, em dash, minus sign.
NONE_MARKS = {"-", "\u2013", "\u2014", "\u2212"}
# Spaces that appear inside numbers in Polish publications (thousands separators).
_SPACES = "\u00a0\u202f\u2007 "
_INT = r"\d{1,3}(?:[ ]\d{3})+|\d+"
_SUM = re.compile(rf"^({_INT})(?:\s*\+\s*({_INT}))+$")
_NUM = re.compile(rf"^({_INT})$")
_ANNOTATED = re.compile(rf"^({_INT})\s*\((.+)\)$")
_BOUND = re.compile(rf"^([<>])\s*({_INT})$")

EXPECTED_COUNT = ("a count: a whole number >= 0, '-' for none, or a published form such as "
                  "'20 (18 + 2)' or '2+ 2'")


def missing(value: object) -> bool:
    """True for NULL as pandas and DuckDB give it (None, NaN, NA, NaT, Decimal NaN): "no data", never 0."""
    import pandas as pd

    try:
        return value is None or bool(pd.api.types.is_scalar(value) and pd.isna(value))
    except (TypeError, ValueError):
        return False


def clean(text: str | None) -> str:
    """Normalise a cell: NFC, non-breaking and thin spaces to plain spaces, trimmed."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    for ch in _SPACES:
        text = text.replace(ch, " ")
    return re.sub(r"\s+", " ", text).strip()


def _int(token: str) -> int:
    return int(token.replace(" ", ""))


def parse_count(text: str | None) -> tuple[int | None, str | None]:
    """Return (value, note): the number that counts, and the published text when it is annotated.

    '' -> (None, None): nothing published (no data). '-' -> (0, None): published as none.
    Raises ValueError with what was expected for anything else.
    """
    cell = clean(text)
    if cell == "":
        return None, None
    if cell in NONE_MARKS:
        return 0, None
    if _NUM.match(cell):
        return _int(cell), None
    if _SUM.match(cell):
        # '2+ 2' and '8 +2': the published addition is what counts.
        return sum(_int(t) for t in re.split(r"\s*\+\s*", cell)), cell
    m = _ANNOTATED.match(cell)
    if m:
        value, inner = _int(m.group(1)), m.group(2).strip()
        # Arithmetic in brackets is a breakdown and must add up; other text is a note, kept as is.
        if re.fullmatch(r"[\d\s+\-]+", inner) and not (
                _SUM.match(inner) and sum(_int(t) for t in re.split(r"\s*\+\s*", inner)) == value):
            raise ValueError(f"a breakdown in brackets of whole numbers >= 0 that adds up to {value}")
        return value, cell
    raise ValueError(EXPECTED_COUNT)


@dataclass(frozen=True)
class Published:
    """A figure as published: an exact count, or a bound ('<5' a suppressed small count, '>1000' more than
    a thousand) that is never turned into a number (not 0, 4, 5 or 1000, and never 'no data')."""

    value: int | None  # the count, when it was published as one
    qualifier: str | None  # '<' or '>' for a bound
    bound: int | None  # the number of the bound
    text: str  # the cell as published


EXPECTED_PUBLISHED = ("a whole number >= 0, or a bound as published: '<5' (a suppressed small count) or "
                      "'>1000' (more than 1,000); '<0' and '<1' are not bounds (no count is below 0, and below 1 "
                      "is 0: write 0)")


def parse_published(text: str | None) -> Published:
    """An exact count or a bound, kept as published. Raises ValueError with what was expected."""
    cell = clean(text)
    if _NUM.match(cell):
        return Published(_int(cell), None, None, cell)
    m = _BOUND.match(cell)
    if m and not (m.group(1) == "<" and _int(m.group(2)) <= 1):  # '<0' and '<1' bound nothing a count can be
        return Published(None, m.group(1), _int(m.group(2)), cell)
    raise ValueError(EXPECTED_PUBLISHED)


def parse_int(text: str | None) -> int | None:
    """A plain whole number >= 0 (thousands spaces allowed); '' is None. Raises ValueError."""
    cell = clean(text)
    if cell == "":
        return None
    if not _NUM.match(cell):
        raise ValueError("a whole number >= 0")
    return _int(cell)


def plain(name: str) -> str:
    """A name lowercased without diacritics ('Łódzkie' -> 'lodzkie'), to match names typed without them."""
    text = clean(name).lower().replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
