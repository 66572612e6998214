"""The only DuckDB access: one cached read-only connection per build, a cursor per query."""

from __future__ import annotations

import functools
from pathlib import Path

import duckdb
import pandas as pd

from etl.build import build, current_build, db_pointer


class DatabaseUnavailable(Exception):
    """The database file is missing or cannot be opened as a dashboard build."""


def build_path() -> Path | None:
    """The build file the database path points at now (None if nothing is built)."""
    return current_build(db_pointer())


def ensure_database() -> bool:
    """Build the database if it is missing; return True if a build was made now."""
    if build_path() is not None:
        return False
    # Another process may be building too: the build re-checks under its lock.
    return build(db_pointer(), only_if_missing=True) is not None


@functools.lru_cache(maxsize=4)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # Keyed by the versioned file: a rebuild gives a new path, so new queries see the new build
    # while cursors of the old connection finish undisturbed.
    return duckdb.connect(path, read_only=True)


@functools.lru_cache(maxsize=256)
def _query(path: str, sql: str, params: tuple) -> pd.DataFrame:
    cur = _connection(path).cursor()  # a connection is not thread-safe; a cursor per query is
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run a parameterised read-only query against the current build (results cached per build)."""
    path = build_path()
    if path is None:
        raise DatabaseUnavailable(f"no database at {db_pointer()}")
    try:
        return _query(str(path), sql, tuple(params)).copy()
    except duckdb.Error as exc:
        raise DatabaseUnavailable(f"{path}: {exc}") from exc


def victims() -> pd.DataFrame:
    """Programme enrolments per year with the published notes."""
    return query("SELECT * FROM programme_victims ORDER BY year")


def referrals() -> pd.DataFrame:
    """Referrals per voivodeship and year, with the voivodeship names."""
    return query("""SELECT r.year, r.teryt, v.name_pl, v.name_en, r.referrals, r.note
                    FROM programme_referrals r JOIN voivodeships v USING (teryt)
                    ORDER BY r.year, r.teryt""")


def emigration_totals() -> pd.DataFrame:
    """GUS totals (all destinations, Europe, EU) per year."""
    return query("SELECT * FROM emigration_totals ORDER BY year, scope")


def build_info() -> dict:
    """When and from which inputs the current database was built."""
    return query("SELECT * FROM build_info").iloc[0].to_dict()


def headline() -> dict:
    """The overview figures: enrolments by group, voivodeships referring, latest emigration total."""
    v = victims()
    r = query("SELECT count(DISTINCT teryt) AS n FROM programme_referrals WHERE referrals > 0")
    e = query("""SELECT year, emigrants_thousands, source_id FROM emigration_totals
                 WHERE scope = ? ORDER BY year DESC LIMIT 1""", ("total",))
    return {
        "first_year": int(v.year.min()), "last_year": int(v.year.max()),
        "total": int(v.total.sum()), "women": int(v.women.sum()), "men": int(v.men.sum()),
        "minors": int(v.minors_in_care.sum() + v.minors_unaccompanied.sum()),
        "minors_in_care": int(v.minors_in_care.sum()),
        "minors_unaccompanied": int(v.minors_unaccompanied.sum()),
        "peak_year": int(v.loc[v.total.idxmax(), "year"]), "peak": int(v.total.max()),
        "voivodeships_referring": int(r.n.iloc[0]),
        "emigration_year": int(e.year.iloc[0]), "emigration_thousands": int(e.emigrants_thousands.iloc[0]),
        "emigration_source": e.source_id.iloc[0],
    }


def data_quality(severity: str | None = None) -> pd.DataFrame:
    """The data-quality findings of the current build, optionally of one severity."""
    if severity is None:
        return query("SELECT * FROM data_quality")
    return query("SELECT * FROM data_quality WHERE severity = ?", (severity,))
