"""Read raw files strictly: UTF-8 (BOM allowed), the declared header, one value per column."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from .cells import clean
from .errors import InputError

MAX_BYTES = 2_000_000  # published tables here are a few KB; megabytes mean a wrong file


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
        meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(side, "valid UTF-8 YAML", got=str(exc).splitlines()[0]) from None
    if not isinstance(meta, dict) or "columns" not in meta:
        raise InputError(side, "a mapping with at least 'columns'")
    return meta


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


def read_rows(path: Path, columns: list[str], delimiter: str) -> list[Row]:
    """Rows of a delimited file whose header must be exactly `columns` (after trimming)."""
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
        if len(rec) != len(columns):
            missing = columns[len(rec)] if len(rec) < len(columns) else None
            raise InputError(path, f"{len(columns)} values per row", row=line, column=missing,
                             got=f"{len(rec)} values")
        rows.append(Row(line, dict(zip(columns, rec))))
    if not rows:
        raise InputError(path, "data rows under the header", got="only the header")
    return rows
