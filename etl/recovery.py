"""Recovery that cannot take the site down: run it where anything starts, and set aside a journal that cannot be applied.

A committed journal (etl/store.py) is finished by whoever takes the write lock next. If it cannot be finished (its
pending folder was removed by hand, its build deleted), nothing more is changed: the pointer still names the last
complete build, which every reader keeps serving, and writers are refused until someone restores what is missing or
runs `python -m etl recover --abandon`, which undoes what the journal had done, keeps the journal and its files in
`<db stem>.abandoned/<time>/` and records an "abandon" row in the change log.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from . import store
from .errors import InputError

log = logging.getLogger(__name__)
_said: set[str] = set()  # what this process has logged already (a page run recovers at every load)


def run(pointer: Path) -> str | None:
    """Recover before reading or serving: None when nothing is left half-done, else why the journal cannot be applied
    (logged once per process); it never raises for that, so every reader goes on with the last complete build."""
    if not store.needs_recovery(pointer):
        return None
    try:
        with store.writer(pointer):
            return None
    # OSError: a read-only copy of the database (a replica's); InputError: a change log that cannot be read
    except (store.JournalError, OSError, InputError) as exc:
        message = str(exc)
        if message not in _said:
            _said.add(message)
            log.error("recovery of %s failed, serving the last complete build: %s", pointer, message)
        return message


def _now() -> datetime:
    return datetime.now(timezone.utc)


def abandon(pointer: Path, by=None) -> str:
    """Set aside a journal that cannot be applied (one that can is finished instead); say what was done. `by`: an
    etl.authors.Author (default: the account that runs this process)."""
    from .authors import as_author

    author = as_author(by)
    pointer = store.resolved(pointer)
    with store.writer(pointer, wait_message="Waiting for another publish or build of this database...",
                      recovering=False):
        store.read_ledger(pointer)  # its row must be written: a log that cannot be read stops it before any change
        try:
            done = store.recover(pointer)
            return done or "no journal is left: nothing to set aside"
        except store.JournalError:
            pass
        journal = store.journal_path(pointer)
        try:
            entry = store.read_journal(pointer)
        except store.JournalError:
            entry = {"action": "", "moves": [], "build": "", "ledger": [], "files": []}
        aside = store.sibling(pointer, ".abandoned") / _now().strftime("%Y%m%dT%H%M%S%fZ")
        aside.mkdir(parents=True)
        # Undo what the journal had done before it failed: a publish's files go aside with it, a roll-back's or an
        # undo's go back where they were, and the pointer back to the build before it (if it had been swapped).
        for src, dest in reversed(entry["moves"]):
            src, dest = Path(src), Path(dest)
            if dest.exists() and not src.exists():
                os.replace(dest, aside / dest.name if entry["action"] == "publish" else src)
        target = store.builds_dir(pointer) / entry["build"] if entry["build"] else None
        before = next((r.get("previous_build") for r in entry["ledger"] if r.get("previous_build")), None)
        if target and store.current_build(pointer) == target.resolve() and before \
                and (store.builds_dir(pointer) / before).exists():
            store.swap(pointer, store.builds_dir(pointer) / before)
        if store.waiting_dir(pointer).exists():
            os.replace(store.waiting_dir(pointer), aside / "pending")
        os.replace(journal, aside / "journal.json")
        store.sync([aside, *{Path(s).parent for s, _ in entry["moves"] if Path(s).parent.exists()}])
        live = store.current_build(pointer)
        rows = entry["ledger"] or [{"publish_id": "", "dataset": "", "file": ""}]
        store.append_ledger(pointer, [{**r, "at": _now().isoformat(timespec="seconds"), "action": "abandon",
                                        **author.ledger(), "build": live.name if live else "",
                                        "previous_build": entry["build"]} for r in rows])
    what = f"the {entry['action']} of {', '.join(entry['files'])}" if entry["files"] else "an unreadable journal"
    return (f"set aside {what}: it is kept in {aside}, the change log says so, and the database points at "
            f"{live.name if live else 'no build'}")
