"""The data contract (etl/contract.py): each relation declared once; the DDL, the loader's typing, the checks
and the downloads derive from it. The breaking tests take the real build's relations, break one thing and
expect the build to refuse, naming relation, column, row and value."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from app import downloads
from etl.build import _write
from etl.contract import CONTRACT, RELATIONS
from etl.errors import BuildError
from tests.helpers import ROOT, unavailable


@pytest.fixture(scope="module")
def relations(db) -> dict[str, pd.DataFrame]:
    """Every relation of the session's real build, read back as frames (as a loader would hand them over)."""
    return {name: db.execute(f'SELECT * FROM "{name}"').df() for name in CONTRACT}


def refused(tmp_path, relations, **changes) -> str:
    """The BuildError message for the real relations with some replaced (a callable changes a copy,
    None removes the relation); nothing may be written."""
    frames = dict(relations)
    for name, change in changes.items():
        if change is None:
            frames.pop(name)
        else:
            frames[name] = change(frames[name].copy()) if name in frames else change(None)
    path = tmp_path / "refused.duckdb"
    with pytest.raises(BuildError) as exc:
        _write(path, frames)
    assert not path.exists()
    return str(exc.value)


def setting(column, row, value):
    def change(df):
        df[column] = df[column].astype(object)
        df.loc[row, column] = value
        return df
    return change


def test_every_relation_written_has_a_contract_and_back(db, tmp_path, relations):
    tables = [r[0] for r in db.execute("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = current_schema()").fetchall()]
    assert sorted(tables) == sorted(CONTRACT)
    # The build refuses a relation no contract declares and a declared relation nobody wrote.
    stray = lambda _: pd.DataFrame({"a": [1]})  # noqa: E731
    assert "stray: written by the loaders but not in the contract" in refused(tmp_path, relations, stray=stray)
    assert "countries: in the contract but no loader wrote it" in refused(tmp_path, relations, countries=None)


@pytest.fixture(scope="module")
def writable(built, tmp_path_factory):
    """A writable copy of the session's build: the constraints are tried on it by writing."""
    import shutil

    path = tmp_path_factory.mktemp("ddl") / "copy.duckdb"
    shutil.copy(built.path, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


@pytest.mark.parametrize("name", list(CONTRACT))
def test_the_build_enforces_the_contract(writable, name):
    """What the DDL must do, tried on the build itself: a second row with an existing key is refused, and so is a
    NULL in a column declared not nullable (a DDL that lost a constraint would accept both)."""
    rel = CONTRACT[name]
    if writable.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == 0:  # no row to repeat or blank
        unavailable(f"{name} is empty in this build: nothing to try its constraints on", "row")
    if rel.key:
        with pytest.raises(duckdb.ConstraintException):
            writable.execute(f'INSERT INTO "{name}" SELECT * FROM "{name}" LIMIT 1')
    for column in [c for c in rel.columns if not c.nullable]:
        others = ", ".join(f'"{c.name}"' if c.name != column.name else "NULL" for c in rel.columns)
        with pytest.raises(duckdb.ConstraintException):
            writable.execute(f'INSERT INTO "{name}" SELECT {others} FROM "{name}" LIMIT 1')


def test_real_relations_pass_and_write_unchanged(db, tmp_path, relations):
    path = tmp_path / "again.duckdb"
    rows = _write(path, relations)
    con = duckdb.connect(str(path), read_only=True)
    try:
        for name in CONTRACT:
            assert rows[name] == len(relations[name])
            sql = f'SELECT * FROM "{name}"'
            assert con.execute(sql).fetchall() == db.execute(sql).fetchall(), name
    finally:
        con.close()


def show(value) -> str:
    """A value as the messages quote it (numpy scalars as Python numbers)."""
    return repr(value.item() if hasattr(value, "item") else value)


def key_of(rel, df, row) -> str:
    return ", ".join(f"{k}={show(df.at[row, k])}" for k in CONTRACT[rel].key)


def test_wrong_type_is_refused(tmp_path, relations):
    df = relations["programme_victims"]
    msg = refused(tmp_path, relations, programme_victims=setting("women", 3, "many"))
    assert (f"programme_victims, column 'women', row 3 ({key_of('programme_victims', df, 3)}): "
            f"value 'many' fails coerce_dtype('Int32')") in msg
    # A fraction in an integer column is a wrong type too, found value by value.
    msg = refused(tmp_path, relations, regional_teams=setting("members", 1, 3.5))
    assert "regional_teams, column 'members', row 1 (teryt=" in msg and "value 3.5 fails coerce_dtype('Int32')" in msg
    # Dates given as text must be ISO 8601: '20.12.2020' is not guessed.
    for text in ("someday", "20.12.2020"):
        msg = refused(tmp_path, relations, iom_project=setting("start", 0, text))
        assert "iom_project, column 'start', row 0 (key=" in msg and f"value {text!r} fails coerce_dtype('date')" in msg


def test_null_in_a_key_is_refused(tmp_path, relations):
    df = relations["programme_referrals"]
    msg = refused(tmp_path, relations, programme_referrals=setting("teryt", 5, None))
    assert f"programme_referrals, column 'teryt', row 5 (year={show(df.at[5, 'year'])}, teryt=NULL): " \
           f"value NULL fails not_nullable" in msg


def test_duplicate_key_is_refused(tmp_path, relations):
    df = relations["programme_referrals"]
    twice = lambda d: pd.concat([d, d.iloc[[5]]], ignore_index=True)  # noqa: E731
    msg = refused(tmp_path, relations, programme_referrals=twice)
    assert (f"programme_referrals, columns (year, teryt), rows 5, {len(df)}: "
            f"value ({show(df.at[5, 'year'])}, {show(df.at[5, 'teryt'])}) is a duplicate key") in msg


@pytest.mark.parametrize("name, column, value, check", [
    ("emigration_totals", "scope", "world", "isin(['total', 'europe', 'eu'])"),
    ("data_quality", "severity", "fatal", "isin(['error', 'warning', 'info'])"),
    ("series_notes", "kind", "typo", "isin(['break', 'dropped', 'underestimated', 'definition', 'coverage'])"),
    ("emigration_stock", "iso3", "XXX", "isin(countries.iso3)"),
    ("population", "source_id", "nowhere", "isin(sources.source_id)"),
    ("programme_referrals", "teryt", "2", "str_matches('^(0[2468]|[12][02468]|3[02])$')"),
])
def test_value_outside_allowed_values_is_refused(tmp_path, relations, name, column, value, check):
    msg = refused(tmp_path, relations, **{name: setting(column, 0, value)})
    assert f"{name}, column '{column}', row 0" in msg and f"value {value!r} fails {check}" in msg


def test_a_voivodeship_referred_to_must_exist(tmp_path, relations):
    gone = relations["programme_referrals"].at[0, "teryt"]
    msg = refused(tmp_path, relations, voivodeships=lambda d: d[d.teryt != gone].reset_index(drop=True))
    assert f"population, column 'teryt', row 0" in msg and f"value {show(gone)} fails isin(voivodeships.teryt)" in msg
    assert f"programme_referrals, column 'teryt', row 0" in msg


@pytest.mark.parametrize("name, column, value, check", [
    ("programme_victims", "women", -1, "greater_than_or_equal_to(0)"),
    ("programme_victims", "year", 1989, "in_range(1990, 2100)"),
    ("population", "population", 0, "greater_than(0)"),
    ("survey_obop2010", "share_pct", 101, "in_range(0, 100)"),
    ("series_notes", "last_year", 2101, "in_range(1990, 2100)"),
    ("population", "population", 2 ** 40, "coerce_dtype('Int32')"),  # beyond DuckDB's INTEGER
])
def test_value_out_of_range_is_refused(tmp_path, relations, name, column, value, check):
    msg = refused(tmp_path, relations, **{name: setting(column, 0, value)})
    assert f"{name}, column '{column}', row 0" in msg and f"value {value!r} fails {check}" in msg


def test_extra_column_is_refused(tmp_path, relations):
    msg = refused(tmp_path, relations, countries=lambda d: d.assign(capital="?"))
    assert "countries, column 'capital': not in the contract (strict)" in msg


def test_missing_column_is_refused(tmp_path, relations):
    msg = refused(tmp_path, relations, programme_victims=lambda d: d.drop(columns=["men"]))
    assert "programme_victims, column 'men': missing (the contract has it)" in msg


def test_empty_relation_is_refused_where_the_contract_requires_rows(tmp_path, relations):
    required = [r.name for r in RELATIONS if r.rows_required]
    optional = [r.name for r in RELATIONS if not r.rows_required]
    assert "programme_victims" in required and "data_quality" in optional
    msg = refused(tmp_path, relations, **{n: (lambda d: d.iloc[0:0]) for n in CONTRACT})
    assert sorted(line.split(":")[0].strip(" -") for line in msg.splitlines() if "empty" in line) == sorted(required)
    _write(tmp_path / "few.duckdb", {**relations, **{n: relations[n].iloc[0:0] for n in optional}})


def test_every_failure_is_reported_at_once(tmp_path, relations):
    msg = refused(tmp_path, relations, programme_victims=setting("women", 3, -1),
                  emigration_totals=setting("scope", 2, "world"), countries=lambda d: d.assign(capital="?"))
    assert msg.startswith("3 failure(s) of the data contract")
    assert "'women', row 3" in msg and "'scope', row 2" in msg and "'capital'" in msg


def test_every_download_is_its_relation_in_the_build(built, db):
    """Each downloadable relation's CSV has the build's columns and rows (SQL is the oracle), and every relation of
    DESIGN.md's data contract is downloadable."""
    import io

    from tests.etl.test_build import contract

    assert set(contract()) <= set(downloads.DOWNLOADABLE)
    for name in downloads.DOWNLOADABLE:
        csv = pd.read_csv(io.BytesIO(downloads.as_csv(name)), encoding="utf-8-sig", keep_default_na=False)
        assert list(csv.columns) == [r[0] for r in db.execute(f'DESCRIBE "{name}"').fetchall()], name
        assert len(csv) == db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0], name


def test_the_app_does_not_import_pandera():
    code = "import sys, app.data; print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandera'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _declarations(path):
    """(line, names) of every list, tuple or set literal of strings in a Python file."""
    import ast

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            names = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if names:
                yield node.lineno, names


def test_only_the_contract_lists_a_relations_columns():
    """A relation's columns are declared once, in etl/contract.py: no other module (app, pages, ETL, bench, deploy)
    lists four or more of a relation's columns, half of them or more, in one literal (an update layout, the groups
    of a chart, the columns a loader keeps); they take them from the contract (CONTRACT[name].column_names, .parts,
    .update_layout()). Naming one column to use it is not a list of its columns."""
    from etl.contract import RELATIONS
    from tests.helpers import ROOT

    files = [p for d in ("app", "etl", "pages", "bench", "deploy") for p in sorted((ROOT / d).rglob("*.py"))]
    files.append(ROOT / "dashboard.py")
    generic = {"year", "source_id", "note"}  # columns of many relations: naming them lists none
    found = []
    for path in files:
        if path == ROOT / "etl" / "contract.py":
            continue
        for line, names in _declarations(path):
            for rel in RELATIONS:
                columns = set(rel.column_names) - generic
                hit = names & columns
                if len(hit) >= 4 and 2 * len(hit) >= len(columns):
                    found.append(f"{path.relative_to(ROOT)}:{line}: {rel.name} {sorted(hit)}")
    assert found == []
