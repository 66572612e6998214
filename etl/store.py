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
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pandas as pd

from . import ledger
from .contract import CHANGES
from .errors import BuildError

DEFAULT_DB = Path(__file__).resolve().parents[1] / "data" / "dashboard.duckdb"
KEEP_BUILDS = 3  # older builds are deleted; open readers keep their file until they close it
LEDGER_COLUMNS = CHANGES.column_names  # the change log's columns, declared in the contract

# The step boundaries of a publish, a roll-back and the undo of a roll-back ("restore"), in order. With
# ETL_FAULT=<step> in its environment a writer kills itself (SIGKILL, no clean-up) there: the crash tests.
ACTIONS = ("publish", "rollback", "restore")  # the change log's other action, "abandon", has no steps
STEPS = tuple(f"{a}.{s}" for a in ACTIONS
              for s in ("locked", "built", *(("staged",) if a == "publish" else ()), "committed", "moving", "moved",
                        "swapped", "logged"))
FAULT_ENV = "ETL_FAULT"


def db_pointer(path: str | os.PathLike | None = None) -> Path:
    """The database path the app opens: DASHBOARD_DB, else data/dashboard.duckdb (resolved, see `resolved`)."""
    return resolved(path or os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def resolved(pointer: str | os.PathLike) -> Path:
    """The pointer with its folder resolved (absolute, no symlinked or relative folder; the pointer itself is a
    symlink to its build and stays one): every sibling path, the lock's included, is derived from this one path,
    so 'x.duckdb', './x.duckdb' and an absolute spelling of it share one lock, one journal and one change log."""
    pointer = Path(pointer)
    return pointer.parent.resolve() / pointer.name


def sibling(pointer: Path, suffix: str) -> Path:
    """`<folder>/<stem><suffix>` of the resolved pointer: the one way every file beside a database is named."""
    pointer = resolved(pointer)
    return pointer.parent / (pointer.stem + suffix)


def builds_dir(pointer: Path) -> Path:
    """Where the versioned database files live, next to the pointer."""
    return sibling(pointer, ".builds")


def current_build(pointer: Path) -> Path | None:
    """The file the pointer names now (the pointer is a symlink; a plain file is its own build)."""
    return pointer.resolve() if pointer.exists() else None


def journal_path(pointer: Path) -> Path:
    """The journal of the publish or roll-back in progress (absent when none is)."""
    return sibling(pointer, ".journal")


def waiting_dir(pointer: Path) -> Path:
    """Where a publish's files wait until its journal entry commits it (never read by the ETL)."""
    return sibling(pointer, ".pending")


def ledger_path(pointer: Path) -> Path:
    """The change log of a database: `data/dashboard.changes.csv` beside `data/dashboard.duckdb`."""
    return sibling(pointer, ".changes.csv")


def lock_path(pointer: Path) -> Path:
    """The write lock's file."""
    return sibling(pointer, ".lock")


def fault(step: str) -> None:
    """Die here, as a power cut or `kill -9` would, when the environment asks for it (crash tests only)."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}: add it to etl.store.STEPS")
    if os.environ.get(FAULT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


class JournalError(BuildError):
    """A journal entry that cannot be applied (a file it moves or the build it points at is gone, or a file would
    be overwritten): nothing more is changed, readers keep the last complete build (see `recover`)."""


_held = threading.local()  # lock path -> depth, per thread: each lock is re-entrant within one thread


@contextmanager
def _flock(path: Path, wait_message: str | None, folder: bool = False):
    """Hold an exclusive flock on a lock file (or on a folder itself); yield True to its outermost holder.

    flock locks belong to an open file description, so two threads of one process (two sessions of the app)
    exclude each other like two processes do; a thread that holds it may enter again (a publish builds).
    """
    depth = getattr(_held, "depth", None)
    if depth is None:
        depth = _held.depth = {}
    key = str(path)
    if depth.get(key):
        depth[key] += 1
        try:
            yield False
        finally:
            depth[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY) if folder else os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait_message:
                print(wait_message, file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        depth[key] = 1
        try:
            yield True
        finally:
            depth[key] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def updates_lock(raw_dir: Path) -> Path:
    """The folder whose flock guards a raw folder's updates (their numbers, files and withdrawals): shared by every
    database built from that raw folder, whatever its path."""
    return Path(raw_dir).resolve() / "updates"


@contextmanager
def writer(pointer: Path, wait_message: str | None = None, raw_dir: Path | None = None, recovering: bool = True):
    """Hold the database's write lock (and, given `raw_dir`, its updates folder's, taken first: always in that
    order); the outermost holder first finishes or undoes what a dead writer left (unless not `recovering`)
    and raises JournalError, holding nothing, if a journal cannot be applied."""
    pointer = resolved(pointer)
    with ExitStack() as stack:
        if raw_dir is not None:
            folder = updates_lock(raw_dir)
            folder.mkdir(exist_ok=True)
            stack.enter_context(_flock(folder, wait_message, folder=True))
        if stack.enter_context(_flock(lock_path(pointer), wait_message)) and recovering:
            done = recover(pointer)
            if done:
                print(f"{pointer}: {done}", file=sys.stderr)
        yield


def holds_lock(pointer: Path) -> bool:
    """True if this thread holds the write lock of `pointer`."""
    return bool(getattr(_held, "depth", {}).get(str(lock_path(pointer))))


def needs_recovery(pointer: Path) -> bool:
    """True if a writer died with a journal entry or waiting files (a cheap check: two stat calls)."""
    return journal_path(pointer).exists() or waiting_dir(pointer).exists()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync(paths) -> None:
    """Flush files (or folders) to disk, then the folders that hold them: after this a power cut keeps them."""
    paths = [Path(p) for p in paths]
    for path in paths:
        _fsync_dir(path)  # an O_RDONLY descriptor: fsync flushes a file's data as well as a folder's entries
    for folder in dict.fromkeys(p.parent for p in paths):
        _fsync_dir(folder)


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` by `data` in one rename, flushed to disk first (a reader sees the old or the new file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def problem(pointer: Path, entry: dict) -> str | None:
    """Why a journal entry cannot be applied (None if it can): a move with neither end, a move that would overwrite
    a file, or a build that does not exist."""
    for src, dest in entry["moves"]:
        if not Path(src).exists() and not Path(dest).exists():
            return f"neither {src} nor {dest} exists"
        if Path(src).exists() and Path(dest).exists():
            return f"{dest} exists already: it is never overwritten"
    if not (builds_dir(pointer) / entry["build"]).exists():
        return f"the build {entry['build']} does not exist in {builds_dir(pointer)}"
    return None


def commit(pointer: Path, entry: dict) -> None:
    """Write the journal entry: from here on the change is made, whatever happens to this process. Every file it
    names and their folders are flushed to disk first, so that after a power cut the entry finds them."""
    trouble = problem(pointer, entry)
    if trouble:
        raise JournalError(f"not committed: {trouble}")
    named = [Path(s) for s, _ in entry["moves"] if Path(s).exists()] + [builds_dir(pointer) / entry["build"]]
    sync(named + sorted({p.parent for p in named}))  # the files, their folders, and the folders' own entries
    _write_atomically(journal_path(pointer), json.dumps(entry, indent=1, sort_keys=True).encode())
    fault(f"{entry['action']}.committed")


def read_ledger(pointer: Path) -> pd.DataFrame:
    """Every publish, roll-back and restore of this database, oldest first; an InputError naming the row and column
    when the log has a line that is not one of its rows (etl/ledger.py)."""
    path = ledger_path(pointer)
    return ledger.read(path) if path.exists() else pd.DataFrame(columns=LEDGER_COLUMNS)


def _ledger_rows(rows: list[dict]) -> list[dict]:
    return [{k: "" if r.get(k) is None else str(r.get(k)) for k in LEDGER_COLUMNS} for r in rows]


def append_ledger(pointer: Path, rows: list[dict]) -> None:
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
    """Point the database path at the new file (which must exist) in one atomic rename, flushed to disk."""
    pointer = resolved(pointer)
    tmp = pointer.with_name(f".{pointer.name}.{os.getpid()}.link")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    if not Path(target).exists():
        raise JournalError(f"{pointer} is not swapped: its target {target} does not exist")
    os.symlink(os.path.relpath(target, pointer.parent), tmp)
    os.replace(tmp, pointer)
    _fsync_dir(pointer.parent)  # the swap itself survives a power cut


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
    An entry that cannot be carried out (JournalError) is refused before its first step.
    """
    action = entry["action"]
    trouble = problem(pointer, entry)
    if trouble:
        raise JournalError(f"journal {journal_path(pointer)} cannot be applied: {trouble}")
    folders = {}
    for i, (src, dest) in enumerate(entry["moves"]):
        src, dest = Path(src), Path(dest)
        if src.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
        folders.update(dict.fromkeys((src.parent, dest.parent)))
        if i == 0:
            fault(f"{action}.moving")
    for folder in folders:
        if folder.exists():  # the moves survive a power cut before the pointer names what they made
            _fsync_dir(folder)
    fault(f"{action}.moved")
    target = builds_dir(pointer) / entry["build"]
    if current_build(pointer) != target.resolve():
        swap(pointer, target)
    fault(f"{action}.swapped")
    append_ledger(pointer, entry["ledger"])
    fault(f"{action}.logged")
    prune(pointer, keep=entry.get("keep", KEEP_BUILDS))
    shutil.rmtree(waiting_dir(pointer), ignore_errors=True)
    journal_path(pointer).unlink(missing_ok=True)
    _fsync_dir(resolved(pointer).parent)


def read_journal(pointer: Path) -> dict:
    """The journal entry (JournalError if it is not one)."""
    try:
        entry = json.loads(journal_path(pointer).read_text(encoding="utf-8"))
        if not isinstance(entry, dict) or not {"action", "moves", "build", "ledger", "files"} <= set(entry):
            raise ValueError("not a journal entry")
        return entry
    except (OSError, ValueError) as exc:
        raise JournalError(f"journal {journal_path(pointer)} cannot be read: {exc}") from None


def journal_problem(pointer: Path) -> str | None:
    """Why the journal left beside the database cannot be applied, or None (no journal, or one that can): what the
    Update page shows. Reads only."""
    if not journal_path(pointer).exists():
        return None
    try:
        trouble = problem(pointer, read_journal(pointer))
    except JournalError as exc:
        return str(exc)
    except FileNotFoundError:  # applied and removed meanwhile
        return None
    return f"journal {journal_path(pointer)} cannot be applied: {trouble}" if trouble else None


def _clear_temporary(pointer: Path) -> list[str]:
    """Remove what a writer killed mid-write left: temporary files beside the database and unfinished builds (only
    a holder of the lock writes them, so with the lock held none is in use)."""
    pointer = resolved(pointer)
    left = [*pointer.parent.glob(f".{pointer.stem}.*.tmp"), *pointer.parent.glob(f".{pointer.name}.*.link"),
            *builds_dir(pointer).glob("*.partial")]
    for path in left:
        path.unlink(missing_ok=True)
    return sorted(p.name for p in left)


def recover(pointer: Path) -> str | None:
    """Finish a committed change a dead writer left, or remove the files of an uncommitted one; say which.

    Call with the write lock held (`writer` does it on entry). A journal that cannot be applied raises
    JournalError and changes nothing: the pointer still names the last complete build, which readers keep
    serving, until what is missing is restored or `python -m etl recover --abandon` sets the journal aside.
    """
    cleared = _clear_temporary(pointer)
    said = [f"removed temporary files a killed writer left: {', '.join(cleared)}"] if cleared else []
    if journal_path(pointer).exists():
        entry = read_journal(pointer)
        try:
            apply(pointer, entry)
        except JournalError as exc:
            raise JournalError(f"{exc}. Readers keep serving {current_build(pointer)}; restore what is missing "
                               "and run `python -m etl recover`, or set the journal aside with "
                               "`python -m etl recover --abandon`") from None
        said.append(f"finished the interrupted {entry['action']} of {', '.join(sorted(set(entry['files'])))}")
    elif waiting_dir(pointer).exists():
        names = sorted(p.name for p in waiting_dir(pointer).iterdir())
        shutil.rmtree(waiting_dir(pointer))
        said.append("removed the files of an interrupted publish that had not been committed: " + ", ".join(names))
    return "; ".join(said) or None
