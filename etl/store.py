"""Where builds live and how the live one changes: the pointer, the write lock, the journal and recovery.

Every change of what the dashboard serves (a full build, a publish, a roll-back and its undo) holds one write
lock from its first read of the state to its last write. A publish or roll-back becomes durable at one point:
the journal entry (`<db>.journal`) written with an atomic rename. Before it nothing visible has changed (a new
build file nobody points at, files waiting in `<db>.pending/`); after it, `apply` moves the files, swaps the
pointer and appends the change-log rows, each step safe to repeat. Whoever takes the lock next finishes a
journal it finds (the writer that wrote it died) or removes the waiting files of an uncommitted one, so after a
kill at any moment the state is exactly "done" or exactly "not done". Tests kill a writer at every step
(`ETL_FAULT`, see `fault`).
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import shutil
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .contract import CHANGE_ACTIONS, CHANGES

DEFAULT_DB = Path(__file__).resolve().parents[1] / "data" / "dashboard.duckdb"
KEEP_BUILDS = 3  # older builds are deleted; open readers keep their file until they close it
LEDGER_COLUMNS = CHANGES.column_names  # the change log's columns, declared in the contract

# The step boundaries of a publish, a roll-back and the undo of a roll-back ("restore"), in order. With
# ETL_FAULT=<step> in its environment a writer kills itself (SIGKILL, no clean-up) there: the crash tests.
ACTIONS = CHANGE_ACTIONS
STEPS = tuple(f"{a}.{s}" for a in ACTIONS
              for s in ("locked", "built", *(("staged",) if a == "publish" else ()), "committed", "moving", "moved",
                        "swapped", "logged"))
FAULT_ENV = "ETL_FAULT"


def db_pointer(path: str | os.PathLike | None = None) -> Path:
    """The database path the app opens: DASHBOARD_DB, else data/dashboard.duckdb."""
    return Path(path or os.environ.get("DASHBOARD_DB") or DEFAULT_DB).absolute()


def builds_dir(pointer: Path) -> Path:
    """Where the versioned database files live, next to the pointer."""
    return pointer.parent / (pointer.stem + ".builds")


def current_build(pointer: Path) -> Path | None:
    """The file the pointer names now (the pointer is a symlink; a plain file is its own build)."""
    return pointer.resolve() if pointer.exists() else None


def journal_path(pointer: Path) -> Path:
    """The journal of the publish or roll-back in progress (absent when none is)."""
    return pointer.with_name(pointer.name + ".journal")


def waiting_dir(pointer: Path) -> Path:
    """Where a publish's files wait until its journal entry commits it (never read by the ETL)."""
    return pointer.with_name(pointer.name + ".pending")


def ledger_path(pointer: Path) -> Path:
    """The change log of a database: `data/dashboard.changes.csv` beside `data/dashboard.duckdb`."""
    return pointer.with_name(pointer.stem + ".changes.csv")


def fault(step: str) -> None:
    """Die here, as a power cut or `kill -9` would, when the environment asks for it (crash tests only)."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}: add it to etl.store.STEPS")
    if os.environ.get(FAULT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


_held = threading.local()  # lock file -> depth, per thread: the lock is re-entrant within one thread


@contextmanager
def writer(pointer: Path, wait_message: str | None = None):
    """Hold the database's write lock; the outermost holder first finishes or undoes what a dead writer left.

    flock locks belong to an open file description, so two threads of one process (two sessions of the app)
    exclude each other like two processes do; a thread that holds it may enter again (a publish builds).
    """
    pointer = Path(pointer)
    path = pointer.parent / (pointer.name + ".lock")
    depth = getattr(_held, "depth", {})
    _held.depth = depth
    if depth.get(str(path)):
        depth[str(path)] += 1
        try:
            yield
        finally:
            depth[str(path)] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait_message:
                print(wait_message, file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        depth[str(path)] = 1
        try:
            done = recover(pointer)
            if done:
                print(f"{pointer}: {done}", file=sys.stderr)
            yield
        finally:
            depth[str(path)] = 0
            fcntl.flock(fh, fcntl.LOCK_UN)


def holds_lock(pointer: Path) -> bool:
    """True if this thread holds the write lock of `pointer`."""
    return bool(getattr(_held, "depth", {}).get(str(Path(pointer).parent / (Path(pointer).name + ".lock"))))


def needs_recovery(pointer: Path) -> bool:
    """True if a writer died with a journal entry or waiting files (a cheap check: two stat calls)."""
    return journal_path(pointer).exists() or waiting_dir(pointer).exists()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` by `data` in one rename, flushed to disk first (a reader sees the old or the new file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def commit(pointer: Path, entry: dict) -> None:
    """Write the journal entry: from here on the change is made, whatever happens to this process."""
    _write_atomically(journal_path(pointer), json.dumps(entry, indent=1, sort_keys=True).encode())
    fault(f"{entry['action']}.committed")


def read_ledger(pointer: Path) -> pd.DataFrame:
    """Every publish, roll-back and restore of this database, oldest first."""
    path = ledger_path(pointer)
    if not path.exists():
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    return pd.read_csv(path, dtype=str, keep_default_na=False).reindex(columns=LEDGER_COLUMNS, fill_value="")


def _ledger_rows(rows: list[dict]) -> list[dict]:
    return [{k: "" if r.get(k) is None else str(r.get(k)) for k in LEDGER_COLUMNS} for r in rows]


def _append_ledger(pointer: Path, rows: list[dict]) -> None:
    """Append rows unless the log already ends with them (a recovery repeats what a dead writer may have done)."""
    rows = _ledger_rows(rows)
    path = ledger_path(pointer)
    old = path.read_bytes() if path.exists() else b""
    if old and old.split(b"\n", 1)[0].decode("utf-8").strip() != ",".join(LEDGER_COLUMNS):
        # a log written before a column was added: rewritten once with the new header (old rows keep their values)
        buf = io.StringIO()
        read_ledger(pointer).to_csv(buf, index=False, lineterminator="\n")
        old = buf.getvalue().encode("utf-8")
    if old:
        tail = read_ledger(pointer).tail(len(rows)).to_dict("records")
        if tail == rows:
            return
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=LEDGER_COLUMNS, lineterminator="\n")
    if not old:
        w.writeheader()
    w.writerows(rows)
    if old and not old.endswith(b"\n"):
        old += b"\n"
    _write_atomically(path, old + buf.getvalue().encode("utf-8"))


def swap(pointer: Path, target: Path) -> None:
    """Point the database path at the new file in one atomic rename."""
    tmp = pointer.with_name(f".{pointer.name}.{os.getpid()}.link")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(target, pointer.parent), tmp)
    os.replace(tmp, pointer)


def prune(pointer: Path, keep: int = KEEP_BUILDS) -> None:
    """Delete all but the newest `keep` builds (never the current one, nor one a change-log row may return to)."""
    current = current_build(pointer)
    files = sorted(builds_dir(pointer).glob("*.duckdb"), key=lambda p: p.name, reverse=True)
    for old in files[keep:]:
        if old != current:
            old.unlink(missing_ok=True)
    for partial in builds_dir(pointer).glob("*.partial"):
        if time.time() - partial.stat().st_mtime > 3600:
            partial.unlink(missing_ok=True)


def apply(pointer: Path, entry: dict) -> None:
    """Carry out a committed journal entry: move its files, swap the pointer, log it, forget the entry.

    Each step may already have been done by a writer that died after it: moving a file that is already in
    place, pointing at the build already pointed at and logging rows the log already ends with change nothing.
    """
    action = entry["action"]
    for i, (src, dest) in enumerate(entry["moves"]):
        src, dest = Path(src), Path(dest)
        if src.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
        elif not dest.exists():
            raise FileNotFoundError(f"journal {journal_path(pointer)}: neither {src} nor {dest} exists")
        if i == 0:
            fault(f"{action}.moving")
    if entry["moves"]:
        _fsync_dir(Path(entry["moves"][0][1]).parent)
    fault(f"{action}.moved")
    target = builds_dir(pointer) / entry["build"]
    if current_build(pointer) != target.resolve():
        swap(pointer, target)
    fault(f"{action}.swapped")
    _append_ledger(pointer, entry["ledger"])
    fault(f"{action}.logged")
    prune(pointer, keep=entry.get("keep", KEEP_BUILDS))
    shutil.rmtree(waiting_dir(pointer), ignore_errors=True)
    journal_path(pointer).unlink(missing_ok=True)
    _fsync_dir(pointer.parent)


def recover(pointer: Path) -> str | None:
    """Finish a committed change a dead writer left, or remove the files of an uncommitted one; say which.

    Call with the write lock held (`writer` does it on entry).
    """
    journal = journal_path(pointer)
    if journal.exists():
        entry = json.loads(journal.read_text(encoding="utf-8"))
        apply(pointer, entry)
        return f"finished the interrupted {entry['action']} of {', '.join(sorted(set(entry['files'])))}"
    waiting = waiting_dir(pointer)
    if waiting.exists():
        names = sorted(p.name for p in waiting.iterdir())
        shutil.rmtree(waiting)
        return "removed the files of an interrupted publish that had not been committed: " + ", ".join(names)
    return None
