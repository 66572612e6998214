"""Every downloadable relation as the Data page offers it: CSV and XLSX, integers kept, text made spreadsheet-safe."""

from __future__ import annotations

import datetime as dt
import io
import math

import pandas as pd

from app import data
from etl.contract import DOWNLOADS


# Relations offered for download on the data page, in the contract's order (fixed names from etl/contract.py:
# never taken from user input). The contract is plain data: importing it does not import pandera.
DOWNLOADABLE = list(DOWNLOADS)


# DuckDB integer types and the pandas nullable type each is given, so that a column with a NULL is not
# turned into floats (90 would download as "90.0").
INTEGER_TYPES = {"TINYINT": "Int8", "SMALLINT": "Int16", "INTEGER": "Int32", "BIGINT": "Int64",
                 "UTINYINT": "UInt8", "USMALLINT": "UInt16", "UINTEGER": "UInt32", "UBIGINT": "UInt64"}
TEXT_TYPES = {"VARCHAR"}
# A spreadsheet program takes a cell that starts with one of these for a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def column_types(name: str) -> dict[str, str]:
    """{column: DuckDB type} of a relation of DOWNLOADABLE, in column order, from the database's catalogue."""
    if name not in DOWNLOADABLE:
        raise ValueError(f"unknown relation {name!r}")
    rows = data.query("""SELECT column_name, data_type FROM information_schema.columns
                    WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position""", (name,))
    return dict(zip(rows.column_name, rows.data_type))


def table(name: str) -> pd.DataFrame:
    """A whole relation by name, from the fixed list DOWNLOADABLE; integer columns stay integers (nullable)."""
    if name not in DOWNLOADABLE:
        raise ValueError(f"unknown relation {name!r}")
    df = data.query(f'SELECT * FROM "{name}"')  # the name is one of DOWNLOADABLE, never user text
    for column, kind in column_types(name).items():
        if kind in INTEGER_TYPES:
            df[column] = df[column].astype(INTEGER_TYPES[kind])
    return df


def neutralise(value):
    """A text cell made safe for a spreadsheet: a leading = + - @ tab or CR gets a single quote before it.

    Excel and LibreOffice run a cell that starts with one of these as a formula when a CSV or XLSX is
    opened (spreadsheet formula injection, e.g. `=HYPERLINK(...)` or `=cmd|...` in a quoted passage).
    OWASP's recommendation is to prefix such cells with a single quote, which makes them text; the
    quote is visible in the cell, a small price for a file that runs nothing. Only text columns are
    neutralised: a negative number in a numeric column stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def download_frame(name: str) -> pd.DataFrame:
    """A relation as it is downloaded: integers as integers, dates as dates, text neutralised."""
    df = table(name)
    for column, kind in column_types(name).items():
        if kind in TEXT_TYPES:
            df[column] = df[column].astype(object).map(neutralise)
        elif kind == "DATE":
            df[column] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in df[column]]
    return df


def as_csv(name: str) -> bytes:
    """A relation as UTF-8 CSV (with BOM, so spreadsheet programs show Polish letters); NULL is empty.

    Lines end in CRLF (RFC 4180), so a field holding a bare CR is quoted too and never splits a row.
    """
    return download_frame(name).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# Text stays text: xlsxwriter would otherwise make "=..." a formula, "http://..." a link and "90" a number.
XLSX_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
XLSX_TEXT_LIMIT = 32767  # characters in one cell of Excel (xlsxwriter would cut a longer text)


def xlsx_bytes(frame: pd.DataFrame, sheet: str, properties: dict | None = None) -> bytes:
    """A frame as one sheet of an XLSX: its header in bold, NULL an empty cell, integers as integers, dates and times
    formatted as dates, `properties` (xlsxwriter's: title, created...) as the file's. Written row by row with
    xlsxwriter: pandas' to_excel through openpyxl took about 30 s for UNODC's 58,000 rows."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, XLSX_OPTIONS)
    if properties:
        book.set_properties(properties)
    ws = book.add_worksheet(sheet)
    when, day = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}), book.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [str(c) for c in frame.columns], book.add_format({"bold": True}))
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, v in enumerate(row):
            if v is None or v is pd.NA or v is pd.NaT or isinstance(v, float) and math.isnan(v):
                continue
            if isinstance(v, dt.datetime):
                ws.write_datetime(i, j, v, when)
            elif isinstance(v, dt.date):
                ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()), day)
            elif isinstance(v, str) and len(v) > XLSX_TEXT_LIMIT:
                raise ValueError(f"{sheet}, row {i + 1}, column {frame.columns[j]!r}: a text of {len(v)} characters, "
                                 f"more than a spreadsheet cell holds ({XLSX_TEXT_LIMIT})")
            else:
                ws.write(i, j, v.item() if hasattr(v, "item") else v)  # numpy scalars as Python's
    book.close()
    return buf.getvalue()


def changes_csv() -> bytes:
    """The change log as a download, every cell neutralised like a relation's text (who wrote "by" is anyone)."""
    return data.changes().map(neutralise).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def as_xlsx(name: str) -> bytes:
    """A relation as an Excel workbook; NULL is an empty cell."""
    return xlsx_bytes(download_frame(name), name[:31])
