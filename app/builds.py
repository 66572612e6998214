"""Which database build a page run reads: the pointer, a pinned or staged build, recovery, the connection, health."""

from __future__ import annotations

import functools
import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import duckdb

from etl import recovery, store
from etl.build import build, current_build, db_pointer
from etl.table import raw_dir


class DatabaseUnavailable(Exception):
    """The database file is missing or cannot be opened as a dashboard build."""


# The Update page draws its preview from a staged build: within `staged(path)` every query of this session's
# thread reads that file instead of the live one (a context variable: other sessions are not affected).
_STAGED: ContextVar[Path | None] = ContextVar("staged_build", default=None)
# One page run reads one build: app.page.setup pins the build the pointer names when the run starts, so a rebuild
# swapped in half-way through a run cannot give one page old and new figures. The script thread keeps the value
# until its next run pins again; code outside a page run (a replica's health check) is never pinned.
_PINNED: ContextVar[Path | None] = ContextVar("pinned_build", default=None)


def build_path() -> Path | None:
    """The build this page run reads (pinned when it started), a staged preview's, or else the file the database
    path points at now (None if nothing is built)."""
    return _STAGED.get() or _PINNED.get() or current_build(db_pointer())


def pin_build() -> Path | None:
    """Pin the calling page run (its thread's context) to the build the database path points at now; return it."""
    path = current_build(db_pointer())
    _PINNED.set(path)
    return path


def replica() -> str | None:
    """The replica's name when this process is one of `make serve`'s (DASHBOARD_REPLICA, set by deploy/supervisord.conf or the systemd unit)."""
    return os.environ.get("DASHBOARD_REPLICA") or None


def is_staged() -> bool:
    """Whether this session's queries read a staged preview (the Update page), not a published build."""
    return _STAGED.get() is not None


@contextmanager
def staged(path: Path):
    """Read from the staged build file `path` inside the block (the Update page's preview)."""
    token = _STAGED.set(Path(path))
    try:
        yield
    finally:
        _STAGED.reset(token)


def recover() -> str | None:
    """Finish or undo a publish or roll-back a killed process left half-done (etl/store.py), before reading.

    Costs two stat calls when there is nothing to do. A replica runs it too (a replica killed mid-publish must not
    leave figures live without their change-log rows). A journal that cannot be applied is logged and returned,
    never raised: the pointer still names the last complete build, and every page goes on serving it.
    """
    return recovery.run(db_pointer())


def journal_problem() -> str | None:
    """Why a journal beside the database cannot be applied (the Update page shows it), or None."""
    return store.journal_problem(db_pointer())


def ensure_database() -> bool:
    """Build the database if it is missing; return True if a build was made now."""
    recover()
    if build_path() is not None:
        return False
    if replica():
        # A replica only reads the build it is given (made before anything serves, or copied to its machine).
        raise DatabaseUnavailable(f"no database at {db_pointer()}: a replica never builds it; run python -m etl")
    # Another process may be building too: the build re-checks under its lock.
    return build(db_pointer(), raw_dir=raw_dir(), only_if_missing=True) is not None


@functools.lru_cache(maxsize=4)
def connection(path: str) -> duckdb.DuckDBPyConnection:
    """The read-only connection to one build file (cached; a cursor per query)."""
    # Keyed by the versioned file: a rebuild gives a new path, so new queries see the new build
    # while cursors of the old connection finish undisturbed.
    return duckdb.connect(path, read_only=True)


def health() -> tuple[bool, str]:
    """Whether this process can read the database now, and what it found: a replica's health check.

    Reads the build the pointer names now through the read-only connection the pages use, with one query past
    the result cache, so a missing, unreadable or corrupt build shows here before a page shows it as an error.
    """
    path = current_build(db_pointer())
    if path is None:
        return False, f"no database at {db_pointer()}"
    try:
        cur = connection(str(path)).cursor()
        try:
            row = cur.execute("SELECT built_at FROM build_info").fetchone()
        finally:
            cur.close()
    except duckdb.Error as exc:
        return False, f"cannot read {path}: {exc}"
    if row is None:
        return False, f"cannot read {path}: build_info is empty"
    return True, f"{path.name} built {row[0]:%Y-%m-%d %H:%M:%S} UTC"
