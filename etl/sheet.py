"""The cells of a large one-sheet XLSX as a grid of text (a regular expression over the zip, not openpyxl)."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from .errors import InputError

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# A whole published file (UNODC's is 2.3 MB, 27 MB unpacked); a zip bomb or a wrong file is refused before reading.
MAX_BYTES = 50_000_000
MAX_UNPACKED = 500_000_000
_REF = re.compile(r"([A-Z]+)(\d+)$")
# What a damaged or truncated workbook raises while it is read (the zip, the inflater or the XML parser).
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, etree.XMLSyntaxError, KeyError, OSError, ValueError)


def column_index(letters: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letters(index: int) -> str:
    """0 -> 'A', 26 -> 'AA'."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    out = []
    for _, si in etree.iterparse(z.open("xl/sharedStrings.xml"), tag=f"{NS}si"):
        # a rich-text string is several runs; phonetic guides (rPh) are not part of the text
        out.append("".join(t.text or "" for t in si.iter(f"{NS}t") if t.getparent().tag != f"{NS}rPh"))
        si.clear()
    return out


def _sheet_part(path: Path, z: zipfile.ZipFile) -> str:
    sheets = sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    if len(sheets) != 1:
        raise InputError(path, "a workbook with one sheet", got=f"{len(sheets)} sheets")
    return sheets[0]


def open_workbook(path: Path) -> zipfile.ZipFile:
    """The workbook's zip, its size and unpacked size checked; InputError if it is not a readable workbook."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "the file to exist")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(path, f"a workbook of at most {MAX_BYTES // 1_000_000} MB", got=f"{size:,} bytes")
    try:
        z = zipfile.ZipFile(path)
        unpacked = sum(i.file_size for i in z.infolist())
    except DAMAGED as exc:
        raise InputError(path, "a complete Excel workbook (.xlsx); it may be truncated or damaged",
                         got=f"{type(exc).__name__}: {str(exc)[:80]}") from None
    if unpacked > MAX_UNPACKED:
        z.close()
        raise InputError(path, f"a workbook that unpacks to at most {MAX_UNPACKED // 1_000_000} MB",
                         got=f"{unpacked:,} bytes unpacked")
    return z


def grid(path: Path, formulas_before: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Every row with a cell: its sheet row number, and the cell texts as a grid (rows x columns from A, '' where
    no cell); numbers as written ('2017', not '2017.0'); a formula refused after row `formulas_before` (a title row
    may hold a hyperlink formula). InputError names the file and the row where a damaged workbook stops."""
    path = Path(path)
    with open_workbook(path) as z:
        try:
            strings = _shared_strings(z)
            part = _sheet_part(path, z)
            fast = _fast(path, z.read(part).decode("utf-8"), strings, formulas_before) \
                if z.getinfo(part).file_size <= FAST_MAX else None
        except InputError:
            raise
        except DAMAGED as exc:
            raise InputError(path, "a complete Excel workbook (.xlsx); it may be truncated or damaged",
                             got=f"{type(exc).__name__}: {str(exc)[:80]}") from None
        if fast is not None:
            return fast
        streamed = list(_streamed(path, z, part, strings, formulas_before))
    width = max((len(c) for _, c in streamed), default=0)
    cells = np.full((len(streamed), width), "", dtype=object)
    for i, (_, row) in enumerate(streamed):
        cells[i, :len(row)] = row
    return np.array([n for n, _ in streamed], dtype=np.int64), cells


def first_rows(path: Path, last: int, formulas_before: int = 0) -> list[tuple[int, list[str]]]:
    """The rows up to row `last` only (a layout's title and header rows), without reading the whole sheet."""
    path = Path(path)
    out = []
    with open_workbook(path) as z:
        try:
            strings, part = _shared_strings(z), _sheet_part(path, z)
        except DAMAGED as exc:
            raise InputError(path, "a complete Excel workbook (.xlsx); it may be truncated or damaged",
                             got=f"{type(exc).__name__}: {str(exc)[:80]}") from None
        for line, cells in _streamed(path, z, part, strings, formulas_before):
            if line > last:
                break
            out.append((line, cells))
    return out


# The common form of a cell (`r` first, a value or none), read with one regular expression: five times faster
# than walking the XML tree. A sheet written otherwise (a cell without `r` first) is walked with lxml instead.
FAST_MAX = 200_000_000  # characters of sheet XML held in memory at once
_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(?:<v>([^<]*)</v>)?(.*?)</c>)', re.S)
_LETTERS = {column_letters(i): i for i in range(702)}  # A..ZZ


def _fast(path: Path, xml: str, strings: list[str], formulas_before: int) -> tuple[np.ndarray, np.ndarray] | None:
    found = _CELL.findall(xml)
    if len(found) != xml.count("<c ") + xml.count("<c>"):
        return None
    if not found:
        return np.zeros(0, dtype=np.int64), np.empty((0, 0), dtype=object)
    cols, rows, attrs, values, rest = (pa.array(c, type=pa.string()) for c in zip(*found))  # string ops in C
    line = pc.cast(rows, pa.int64()).to_numpy()
    text = values.to_numpy(zero_copy_only=False).copy()
    shared = pc.match_substring(attrs, 't="s"').to_numpy(zero_copy_only=False)
    text[shared] = np.asarray(strings, dtype=object)[pc.cast(values.filter(pa.array(shared)), pa.int64()).to_numpy()]
    floats = pc.and_(pc.invert(pc.match_substring(attrs, 't="')), pc.ends_with(values, ".0"))
    for i in np.flatnonzero(floats.to_numpy(zero_copy_only=False)):
        text[i] = text[i].split(".")[0]  # a whole number stored as a float
    for i in np.flatnonzero(pc.not_equal(rest, "").to_numpy(zero_copy_only=False)):  # a formula, an inline string
        text[i] = _odd_cell(path, cols[i].as_py(), int(line[i]), attrs[i].as_py(), values[i].as_py(), rest[i].as_py(),
                            strings, formulas_before)
    at = pd.Series(cols.to_numpy(zero_copy_only=False)).map(_LETTERS).to_numpy()
    numbers, where = np.unique(line, return_inverse=True)
    cells = np.full((len(numbers), int(at.max()) + 1), "", dtype=object)
    cells[where, at] = text
    return numbers, cells


def _odd_cell(path, col, row, attrs, v, rest, strings, formulas_before) -> str:
    c = etree.fromstring(f'<c xmlns="{NS[1:-1]}" r="{col}{row}"{attrs}>' + (f"<v>{v}</v>" if v else "") + rest
                         + "</c>")
    if c.find(f"{NS}f") is not None and row > formulas_before:
        raise InputError(path, "published values, not formulas", row=row, column=col, got=c.findtext(f"{NS}f"))
    return _text(c, strings)


def _streamed(path: Path, z, part: str, strings: list[str], formulas_before: int) -> Iterator[tuple[int, list[str]]]:
    last = 0
    try:
        for _, row in etree.iterparse(z.open(part), tag=f"{NS}row"):
            last = int(row.get("r") or last + 1)
            cells: list[str] = []
            for c in row.iterchildren(f"{NS}c"):
                m = _REF.match(c.get("r") or "")
                at = column_index(m.group(1)) if m else len(cells)
                if c.find(f"{NS}f") is not None and last > formulas_before:
                    raise InputError(path, "published values, not formulas", row=last,
                                     column=column_letters(at), got=c.findtext(f"{NS}f"))
                cells += [""] * (at - len(cells)) + [_text(c, strings)]
            row.clear()
            while row.getprevious() is not None:  # keep memory flat over a large sheet
                del row.getparent()[0]
            yield last, cells
    except InputError:
        raise
    except DAMAGED as exc:
        raise InputError(path, "a complete Excel workbook (.xlsx); it may be truncated or damaged",
                         row=last + 1 if last else None, got=f"{type(exc).__name__}: {str(exc)[:80]}") from None


def _text(c, strings: list[str]) -> str:
    kind = c.get("t")
    if kind == "inlineStr":
        return "".join(c.find(f"{NS}is").itertext()) if c.find(f"{NS}is") is not None else ""
    v = c.findtext(f"{NS}v")
    if v is None:
        return ""
    if kind == "s":
        return strings[int(v)]
    if kind in (None, "n") and re.fullmatch(r"-?\d+\.0+", v):
        return v.split(".")[0]  # a whole number stored as a float
    return v
