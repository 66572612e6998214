"""The CSV and XLSX downloads, read back and compared cell by cell with the database.

Integers download as integers ("90", never "90.0"), NULL as an empty cell, dates as dates, and text
that a spreadsheet program would run as a formula is neutralised with a leading single quote.
"""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.escape import unescape

from app import data, downloads

# The OWASP list of characters a spreadsheet program reads as the start of a formula.
WHOLE_FILES = {"unodc_glotip", "world_population"}  # relations loaded from a publisher's whole file (../shared/data)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
           '=HYPERLINK("http://x","y")']
HARMLESS = ["2+2", "a=b", "", "'=already quoted", " =1"]


def expected_text(value: str) -> str:
    """What a text cell must read back as (the rule written out here, independently of app.data)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def database(db, name: str) -> tuple[list[str], list[str], list[tuple]]:
    """Column names, DuckDB types and rows of a relation, straight from the database."""
    types = db.execute("""SELECT column_name, data_type FROM information_schema.columns
                          WHERE table_name = ? ORDER BY ordinal_position""", [name]).fetchall()
    rows = db.execute(f'SELECT * FROM "{name}"').fetchall()  # a test: the name is from downloads.DOWNLOADABLE
    return [c for c, _ in types], [t for _, t in types], rows


def csv_cell(value, kind: str) -> str:
    """The text a database value must have in the CSV."""
    if value is None:
        return ""
    if kind == "VARCHAR":
        return expected_text(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)  # "90", not "90.0"
    if isinstance(value, (dt.date, dt.datetime)):
        return str(value)  # 2020-12-20, 2026-11-23 05:02:00.123456
    raise AssertionError(f"no CSV rule for {kind} {value!r}: add one")


def shown(cell):
    """A cell's value as a spreadsheet program shows it: a text's control characters are escaped in the file as
    _xHHHH_ (ECMA-376 Part 1, 22.9.2.19 ST_Xstring), which openpyxl leaves as written."""
    return unescape(cell.value) if cell.data_type == "s" and cell.value is not None else cell.value


def check_xlsx_cell(cell, value, kind: str, where: str) -> None:
    """A database value against the XLSX cell read back by openpyxl."""
    assert cell.data_type != "f", f"{where}: written as a formula: {cell.value!r}"
    got = shown(cell)
    if value is None:
        assert got is None, where
    elif kind == "VARCHAR":
        assert cell.data_type == "s" and got == expected_text(value), (where, got, value)
    elif isinstance(value, bool):
        assert got is value, (where, got, value)
    elif isinstance(value, int):
        assert type(got) is int and got == value, (where, got, value)  # an int cell, not 90.0
    elif isinstance(value, dt.datetime):
        assert isinstance(got, dt.datetime) and abs(got - value) < dt.timedelta(milliseconds=1), (where, got, value)
    elif isinstance(value, dt.date):
        assert isinstance(got, dt.datetime) and got == dt.datetime.combine(value, dt.time()), (where, got, value)
        assert "h" not in cell.number_format.lower(), (where, cell.number_format)  # shown as a date
    else:
        raise AssertionError(f"no XLSX rule for {kind} {value!r}: add one")


@pytest.mark.parametrize("name", downloads.DOWNLOADABLE)
def test_csv_reads_back_as_the_database(built, db, name):
    columns, types, rows = database(db, name)
    raw = downloads.as_csv(name)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs then read UTF-8
    back = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(back.columns) == columns
    assert len(back) == len(rows), name
    for i, (row, got) in enumerate(zip(rows, back.itertuples(index=False))):
        for column, kind, value, cell in zip(columns, types, row, got):
            assert cell == csv_cell(value, kind), (name, i, column, cell, value)


# openpyxl reads a sheet of tens of thousands of rows in tens of seconds: the whole-file relations are slow tests
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in WHOLE_FILES else n
                                  for n in downloads.DOWNLOADABLE])
def test_xlsx_reads_back_as_the_database(built, db, name):
    columns, types, rows = database(db, name)
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.as_xlsx(name)), read_only=True)[name[:31]]
    lines = list(sheet.iter_rows())
    assert [c.value for c in lines[0]] == columns
    assert len(lines) == len(rows) + 1, name
    for i, (row, cells) in enumerate(zip(rows, lines[1:])):
        for column, kind, value, cell in zip(columns, types, row, cells):
            check_xlsx_cell(cell, value, kind, f"{name} row {i} {column}")


def test_nullable_integers_stay_integers_even_as_floats(built, monkeypatch):
    """Older DuckDB versions hand a nullable INTEGER column to pandas as float64 (90 -> 90.0):
    the download takes the types from the database, not from the DataFrame."""
    real = data.query

    def as_floats(sql, params=()):
        df = real(sql, params)
        ints = [c for c in df.columns if pd.api.types.is_integer_dtype(df[c])]
        return df.astype({c: "float64" for c in ints}) if sql.startswith("SELECT * FROM") else df

    monkeypatch.setattr(data, "query", as_floats)
    assert pd.api.types.is_float_dtype(as_floats('SELECT * FROM "regional_teams"')["members"])  # the simulation works
    rows = pd.read_csv(io.BytesIO(downloads.as_csv("regional_teams")), dtype=str, keep_default_na=False,
                       encoding="utf-8-sig").set_index("teryt")
    assert rows.loc["08", "members"] == "28" and rows.loc["14", "members"] == ""
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.as_xlsx("regional_teams"))).active
    header = [c.value for c in sheet[1]]
    values = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    members = {v["teryt"]: v["members"] for v in values}
    assert type(members["08"]) is int and members["08"] == 28 and members["14"] is None


def test_neutralise():
    for text in HOSTILE:
        assert downloads.neutralise(text) == "'" + text, text
    for text in HARMLESS:
        assert downloads.neutralise(text) == text, text
    for value in (-2, -2.5, None, True):
        assert downloads.neutralise(value) is value  # not text: never touched


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    """A database whose relation `sources` holds formula-like text next to a negative number."""
    path = tmp_path / "hostile.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sources (id INTEGER, text VARCHAR, change INTEGER, share DOUBLE)")
    rows = [(i, text, -2 if i % 2 else None, -0.5) for i, text in enumerate(HOSTILE + HARMLESS)]
    con.executemany("INSERT INTO sources VALUES (?, ?, ?, ?)", rows)
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(path))  # a plain file is its own build
    return rows


def test_hostile_text_is_neutralised_in_csv(hostile_db):
    back = pd.read_csv(io.BytesIO(downloads.as_csv("sources")), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back.text.tolist() == ["'" + t for t in HOSTILE] + HARMLESS
    assert back.change.tolist() == ["" if i % 2 == 0 else "-2" for i in range(len(hostile_db))]  # numbers untouched
    assert set(back.share) == {"-0.5"}


def test_hostile_text_is_neutralised_in_xlsx(hostile_db):
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.as_xlsx("sources")))["sources"]
    header = [c.value for c in sheet[1]]
    cells = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]
    assert not [c.coordinate for row in cells for c in row.values() if c.data_type == "f"]  # no formula at all
    assert [shown(row["text"]) or "" for row in cells] == ["'" + t for t in HOSTILE] + HARMLESS
    assert [row["change"].value for row in cells] == [None if i % 2 == 0 else -2 for i in range(len(hostile_db))]
    assert {row["share"].value for row in cells} == {-0.5}
