"""Read raw files strictly: UTF-8 (BOM allowed), the declared header, one value per column."""

from __future__ import annotations

import copy
import csv
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from .cells import clean
from .errors import InputError

MAX_BYTES = 2_000_000  # published tables here are a few KB; megabytes mean a wrong file
# An XLSX is a zip: 2 MB can unpack to gigabytes (a "zip bomb"). Published tables have a few hundred cells.
MAX_XLSX_UNPACKED = 30_000_000  # bytes, all parts of the workbook together
MAX_ROWS = 10_000
MAX_CELLS = 100_000
# libyaml's parser where PyYAML was built with it (about 10x faster than the pure-Python one).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Row:
    """One data row: its line in the file and its cells by header name."""

    line: int
    cells: dict[str, str]


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_meta(raw: Path) -> dict:
    """The metadata sidecar `<raw>.meta.yml` of a raw file."""
    side = raw.with_name(raw.name + ".meta.yml")
    if not side.exists():
        raise InputError(side, "a metadata sidecar next to the raw file")
    try:
        meta = _parsed(side.read_bytes().decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(side, "valid UTF-8 YAML", got=str(exc).splitlines()[0]) from None
    if not isinstance(meta, dict) or "columns" not in meta:
        raise InputError(side, "a mapping with at least 'columns'")
    return copy.deepcopy(meta)  # callers may fill in defaults; the cached parse stays as read


@functools.lru_cache(maxsize=4096)
def _parsed(text: str):
    # Keyed by the content: one build reads each sidecar several times (the loader, the update layouts, the
    # sources list), and a staged copy of the raw folder has the same sidecars under other paths.
    return yaml.load(text, Loader=_YAML_LOADER)


def read_text(path: Path) -> str:
    """Decode a raw file as UTF-8 (a BOM is accepted and dropped); anything else is rejected."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "the file to exist")
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise InputError(path, f"a published table of at most {MAX_BYTES // 1000} KB",
                         got=f"{len(data):,} bytes")
    if not data.strip():
        raise InputError(path, "a header row and data rows", got="an empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("cp1250")
            hint = " (it decodes as Windows-1250: save it as UTF-8)"
        except UnicodeDecodeError:
            pass
        raise InputError(path, "UTF-8 text" + hint, row=line,
                         got=f"byte 0x{data[exc.start]:02X} at offset {exc.start}") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(path, "text, not binary data", row=line, got="a NUL byte")
    return text


def _numbered(path: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    """The non-blank rows of a delimited or XLSX file with their line (or sheet row) numbers, 1-based."""
    if Path(path).suffix.lower() == ".xlsx":
        numbered = _xlsx_rows(Path(path))
    else:
        text = read_text(path)
        # Tab-separated tables are transcribed text: quotes in them are text, not CSV quoting.
        quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
        reader = csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting)
        numbered = []
        try:
            for rec in reader:
                if any(clean(c) for c in rec):
                    numbered.append((reader.line_num, rec))  # line_num: the file line, 1-based
        except csv.Error as exc:
            raise InputError(path, "well-formed delimited text", row=reader.line_num, got=str(exc)) from None
    if not numbered:
        raise InputError(path, "a header row and data rows", got="only blank lines")
    return numbered


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The rows of a one-sheet workbook as text, read without evaluating anything: a formula is refused
    (its cached value may be stale or absent, and a figure must be a published number)."""
    import zipfile

    from openpyxl import load_workbook

    if not path.exists():
        raise InputError(path, "the file to exist")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(path, f"a published table of at most {MAX_BYTES // 1000} KB",
                         got=f"{path.stat().st_size:,} bytes")
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(path, "an Excel workbook (.xlsx)", got=type(exc).__name__ + ": " + str(exc)[:80]) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError(path, f"a workbook that unpacks to at most {MAX_XLSX_UNPACKED // 1_000_000} MB",
                         got=f"{unpacked:,} bytes unpacked")
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(path, "an Excel workbook (.xlsx)", got=type(exc).__name__ + ": " + str(exc)[:80]) from None
    try:
        if len(book.sheetnames) != 1:
            raise InputError(path, "a workbook with one sheet", got=f"{len(book.sheetnames)} sheets: {book.sheetnames}")
        sheet = book.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_row or 0) * (sheet.max_column or 0) > MAX_CELLS:
            raise InputError(path, f"a sheet of at most {MAX_ROWS:,} rows and {MAX_CELLS:,} cells",
                             got=f"{sheet.max_row:,} rows x {sheet.max_column:,} columns")
        rows, seen = [], 0
        for line, row in enumerate(sheet.iter_rows(), 1):
            seen += len(row)
            if line > MAX_ROWS or seen > MAX_CELLS:  # the sheet's declared size can be wrong: count as we go
                raise InputError(path, f"a sheet of at most {MAX_ROWS:,} rows and {MAX_CELLS:,} cells", row=line,
                                 got="more")
            cells = []
            for cell in row:
                if cell.data_type == "f":
                    raise InputError(path, "published numbers, not formulas", row=line,
                                     column=getattr(cell, "coordinate", None), got=str(cell.value))
                v = cell.value
                cells.append("" if v is None else str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
            while cells and cells[-1] == "":
                cells.pop()  # trailing empty cells of a ragged sheet
            if any(clean(c) for c in cells):
                rows.append((line, cells))
        return rows
    finally:
        book.close()


def read_header(path: Path, delimiter: str) -> list[str]:
    """The trimmed header row of a delimited or XLSX file."""
    return [clean(c) for c in _numbered(path, delimiter)[0][1]]


def read_rows(path: Path, columns: list[str], delimiter: str) -> list[Row]:
    """Rows of a delimited (or one-sheet XLSX) file whose header must be exactly `columns` (after trimming)."""
    numbered = _numbered(path, delimiter)
    head_line, head = numbered[0]
    header = [clean(c) for c in head]
    for i, name in enumerate(columns):
        if i >= len(header):
            raise InputError(path, f"column '{name}' in the header", row=head_line,
                             got=f"{len(header)} columns: {header}")
        if header[i] != name:
            raise InputError(path, f"column {i + 1} of the header to be '{name}'", row=head_line,
                             column=name, got=header[i])
    if len(header) > len(columns):
        raise InputError(path, f"{len(columns)} columns {columns}", row=head_line,
                         column=header[len(columns)], got=f"an extra column '{header[len(columns)]}'")
    rows = []
    for line, rec in numbered[1:]:
        if Path(path).suffix.lower() == ".xlsx" and len(rec) < len(columns):
            rec = rec + [""] * (len(columns) - len(rec))  # a sheet row ends at its last filled cell
        if len(rec) != len(columns):
            missing = columns[len(rec)] if len(rec) < len(columns) else None
            raise InputError(path, f"{len(columns)} values per row", row=line, column=missing,
                             got=f"{len(rec)} values")
        rows.append(Row(line, dict(zip(columns, rec))))
    if not rows:
        raise InputError(path, "data rows under the header", got="only the header")
    return rows
