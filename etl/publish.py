"""Staged updates into the live build as one transaction: publish, roll back, and undo a roll-back.

A publish, a roll-back and the undo of a roll-back ("restore") each hold the write lock from the moment they
read the state (the live build, the next update number) to the change-log row, and each becomes durable at one
point, its journal entry (etl/store.py): a kill at any moment leaves it done or not done, never half. Every
change is appended to the change log beside the database (`<db>.changes.csv`), which the Data page shows.
What a publish would change is etl/preview.py's.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import releases, store, updates
from .authors import Author, as_author
from .build import BuildResult, build, current_build, made_from
from .errors import BuildError, InputError
from .preview import Staged, check_provenance, next_sequence
from .rawio import sha256
from .store import ledger_path, read_ledger
from .table import RAW_DIR


class StaleError(BuildError):
    """The live state changed since what the caller saw (the preview's base build, the newest change-log row shown, a
    publish named by its id): nothing was changed. `moved` holds the change-log rows since, one per change (action,
    publish_id, files, by, by_email, at), empty when a rebuild moved it."""

    def __init__(self, message: str, moved: list[dict] | None = None):
        super().__init__(message)
        self.moved = moved or []


def publish_id_of(build_name: str) -> str:
    """A publish's id: the first 12 hex digits of the SHA-256 of its build's file name (the change log's
    `publish_id`, what `python -m etl update` prints and `rollback --publish-id` takes)."""
    return hashlib.sha256(build_name.encode()).hexdigest()[:12]


def changes_since(ledger: pd.DataFrame, seen_id: str | None = None, seen_build: str | None = None) -> list[dict]:
    """The changes (one per action and publish, its files together) the change log records after the newest row of
    publish `seen_id` (an empty string: an empty log), or after the build `seen_build` became live."""
    rows = ledger.reset_index(drop=True)
    if seen_id is not None:
        hits = rows.index[rows.publish_id == seen_id] if seen_id else []
        after = rows.iloc[hits[-1] + 1:] if len(hits) else rows
    else:
        made = rows.index[rows.build == seen_build]
        left = rows.index[rows.previous_build == seen_build]
        after = rows.iloc[made[-1] + 1:] if len(made) else rows.iloc[left[0]:] if len(left) else rows.iloc[0:0]
    out: list[dict] = []
    for r in after.itertuples():
        if out and (out[-1]["action"], out[-1]["publish_id"], out[-1]["at"]) == (r.action, r.publish_id, r.at):
            out[-1]["files"].append(r.file)
            continue
        out.append({"action": r.action, "publish_id": r.publish_id, "files": [r.file], "by": r.by,
                    "by_email": r.by_email, "at": r.at})
    return out


def describe_changes(moved: list[dict]) -> str:
    """'publish 1a2b3c4d5e6f (updates/0007-sources.csv) by Anna Kowalska <anna@...> at 2026-...', newest last."""
    return "; ".join(f"{m['action']} {m['publish_id']} ({', '.join(m['files'])}) by {m['by'] or 'someone unnamed'}"
                     + (f" <{m['by_email']}>" if m.get("by_email") else "") + f" at {m['at']}" for m in moved)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _keep(pointer: Path) -> int:
    # Keep the builds a roll-back (or its undo) may point back to, not only the last three.
    return max(store.KEEP_BUILDS, len(read_ledger(pointer)) + 3)


def publish(staged: Staged, pointer: Path, by: Author | str = "", raw_dir: Path = RAW_DIR) -> BuildResult:
    """Publish staged updates as one transaction: refused if the live build is no longer the one they were staged
    against; built, committed by a journal entry, then the files moved, the pointer swapped and the log written."""
    if staged.missing_provenance:
        check_provenance({})  # raises, naming what is missing
    if staged.errors:
        raise BuildError("checks of severity 'error' failed:\n" + "\n".join(
            f"  - {f.dataset} / {f.check_name} [{f.key}]: {f.detail}" for f in staged.errors))
    raw_dir, pointer = Path(raw_dir).absolute(), store.resolved(pointer)
    author = as_author(by)
    # The raw folder's lock too: another database built from it takes its update numbers from the same folder.
    with store.writer(pointer, wait_message="Waiting for another publish or build of this database to finish...",
                      raw_dir=raw_dir):
        store.fault("publish.locked")
        live = current_build(pointer)
        first = int(Path(staged.names[0][1]).name[:4])
        if (live.name if live else None) != staged.base or next_sequence(raw_dir, pointer) > first:
            moved = changes_since(read_ledger(pointer), seen_build=staged.base)
            raise StaleError("the database changed since your preview, "
                             + (f"by {describe_changes(moved)}" if moved else
                                f"by a change this change log does not record (a rebuild: {live.name if live else 'no build'} "
                                "is live)")
                             + ": nothing was published; preview again", moved)
        result = build(pointer, raw_dir=staged.raw, swap=False)
        store.fault("publish.built")
        waiting = store.waiting_dir(pointer)
        waiting.mkdir(parents=True, exist_ok=True)
        moves = []
        for _, name in staged.names:
            for suffix in ("", ".meta.yml"):
                shutil.copyfile(staged.raw / (name + suffix), waiting / Path(name + suffix).name)
                moves.append((str(waiting / Path(name + suffix).name), str(raw_dir / (name + suffix))))
        store.fault("publish.staged")
        publish_id = publish_id_of(result.path.name)
        by_dataset = {c.dataset: c for c in staged.changes if c.relation == updates.RELATIONS_CHANGED[c.dataset][0]}
        ledger = [{"at": _now(), "action": "publish", "publish_id": publish_id, "dataset": dataset, "file": name,
                   "sha256": sha256(staged.raw / name),
                   "rows_added": len(by_dataset[dataset].added) if dataset in by_dataset else "",
                   "cells_changed": len(by_dataset[dataset].changed) if dataset in by_dataset else "",
                   "rows_removed": len(by_dataset[dataset].removed) if dataset in by_dataset else "",
                   **author.ledger(), "build": result.path.name, "previous_build": live.name if live else "",
                   "release": releases.of_update(staged.raw / name)}
                  for dataset, name in staged.names]
        entry = {"action": "publish", "publish_id": publish_id, "build": result.path.name, "moves": moves,
                 "files": [n for _, n in staged.names], "ledger": ledger, "keep": _keep(pointer)}
        store.commit(pointer, entry)
        store.apply(pointer, entry)
    return result


def _active(ledger: pd.DataFrame) -> dict[str, str]:
    """publish_id -> its state now: 'publish' or 'restore' (live) or 'rollback' (withdrawn), in event order."""
    state: dict[str, str] = {}
    for row in ledger[ledger.action != "abandon"].itertuples():  # a journal set aside changed nothing
        state.pop(row.publish_id, None)  # re-inserted last: the dict's order is the order of the latest events
        state[row.publish_id] = row.action
    return state


def rollback(pointer: Path, by: Author | str = "", raw_dir: Path = RAW_DIR, publish_id: str | None = None,
             expected: str | None = None) -> str:
    """Withdraw the last publish that is live (or the live publish `publish_id`, e.g. one superseded by a later
    source): its files move to updates/withdrawn/, the database points at a build without them. Undo with restore().
    `expected`: the publish_id of the newest change-log row the caller saw ("" for an empty log); if the log has
    moved on since, StaleError names what changed and who did it, and nothing changes."""
    return _toggle(pointer, by, Path(raw_dir).absolute(), "rollback", publish_id, expected)


def restore(pointer: Path, by: Author | str = "", raw_dir: Path = RAW_DIR, publish_id: str | None = None,
            expected: str | None = None) -> str:
    """Undo the last roll-back (or the roll-back of `publish_id`): its files come back from updates/withdrawn/ and
    their figures are live again. `expected` as for rollback()."""
    return _toggle(pointer, by, Path(raw_dir).absolute(), "restore", publish_id, expected)


def _toggle(pointer: Path, by: Author | str, raw_dir: Path, action: str, publish_id: str | None = None,
            expected: str | None = None) -> str:
    """A roll-back or its undo as one transaction (see publish)."""
    folder, withdrawn = updates.folder(raw_dir), updates.folder(raw_dir) / "withdrawn"
    pointer = store.resolved(pointer)
    author = as_author(by)
    with store.writer(pointer, wait_message="Waiting for another publish or build of this database to finish...",
                      raw_dir=raw_dir):
        store.fault(f"{action}.locked")
        ledger = read_ledger(pointer)
        wanted = ("publish", "restore") if action == "rollback" else ("rollback",)
        active = _active(ledger)
        candidates = [pid for pid, state in active.items() if state in wanted]
        newest = ledger.publish_id.iloc[-1] if len(ledger) else ""
        if expected is not None and newest != expected:
            moved = changes_since(ledger, seen_id=expected)
            raise StaleError(f"refused: the change log moved on since the change you saw "
                             f"({expected or 'an empty log'}): {describe_changes(moved)}; nothing was changed, look "
                             "at the history again", moved)
        if publish_id and publish_id in active and publish_id not in candidates:
            last = changes_since(ledger[ledger.publish_id == publish_id], seen_id="")[-1:]
            raise StaleError(f"refused: publish {publish_id} is "
                             f"{'not live' if action == 'rollback' else 'not rolled back'}: {describe_changes(last)}"
                             "; nothing was changed", last)
        if not candidates or (publish_id and publish_id not in candidates):
            what = "a publish to roll back" if action == "rollback" else "a roll-back to undo"
            raise InputError(ledger_path(pointer), what + (f" with publish_id {publish_id}" if publish_id else ""),
                             got="none recorded")
        publish_id = publish_id or candidates[-1]
        rows = ledger[ledger.publish_id == publish_id]
        first = rows[rows.action == "publish"]
        files = list(dict.fromkeys(first.file))
        src, dest = (folder, withdrawn) if action == "rollback" else (withdrawn, folder)
        moves = [(str(src / Path(f + s).name), str(dest / Path(f + s).name)) for f in files for s in ("", ".meta.yml")]
        for s, _ in moves:
            if not Path(s).exists():
                raise InputError(s, f"the file of {publish_id} to {action}", got="missing")
        before = current_build(pointer)
        # The build to point at: the one the log says held exactly these files, if it still exists and was made
        # from the raw files as they will be; else a new build of them (refused, changing nothing, if it fails).
        back = first.previous_build.iloc[0] if action == "rollback" else rows.iloc[-1].previous_build
        with tempfile.TemporaryDirectory(prefix=f"etl-{action}-") as tmp:
            after = Path(tmp) / "raw"
            shutil.copytree(raw_dir, after, ignore=shutil.ignore_patterns("withdrawn", ".pending"))
            for s, d in moves:
                if action == "rollback":
                    (after / updates.FOLDER / Path(s).name).unlink()
                else:
                    shutil.copyfile(s, after / updates.FOLDER / Path(d).name)
            target = store.builds_dir(pointer) / back if back else None
            if target is None or not target.exists() or not made_from(target, after):
                try:
                    target = build(pointer, raw_dir=after, swap=False).path
                except (InputError, BuildError) as exc:
                    raise BuildError(f"cannot {action} {', '.join(files)}: the raw files without them do not "
                                     f"build ({exc})" if action == "rollback" else
                                     f"cannot restore {', '.join(files)}: {exc}") from None
        store.fault(f"{action}.built")
        ledger_rows = [{"at": _now(), "action": action, "publish_id": publish_id, "dataset": d, "file": f,
                        "sha256": h, **author.ledger(), "build": target.name,
                        "previous_build": before.name if before else ""}
                       for d, f, h in zip(first.dataset, first.file, first.sha256)]
        entry = {"action": action, "publish_id": publish_id, "build": target.name, "moves": moves, "files": files,
                 "ledger": ledger_rows, "keep": _keep(pointer)}
        store.commit(pointer, entry)
        store.apply(pointer, entry)
    verb = "rolled back" if action == "rollback" else "restored"
    return f"{verb} {', '.join(files)}: the database now points at {target.name}"
