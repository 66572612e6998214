"""The Update page's work: whether it is on, a session's uploads staged and previewed, publish, roll back. Every
action takes the person's app.access.Identity and asks it for the Author to record first: on the server, whatever
the page showed."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from app.i18n import N_
from etl import publish, releases, sheet, store
from etl.build import build, db_pointer
from etl.errors import BuildError, InputError
from etl.preview import Staged, diff, row_text, shown_value, stage, stage_into
from etl.publish import StaleError  # the page tells a stale preview or history apart
from etl.rawio import MAX_BYTES
from etl.table import raw_dir
from etl.updates import KEYS, LONG, OPTIONAL, PUBLISHED, WHOLE

ENV = "DASHBOARD_UPDATES"  # "1" turns the page on; who may publish: app/access.py
DATASETS = list(LONG) + list(WHOLE)  # WHOLE: a file in its publisher's layout, a new release of it (UNODC's)
SUFFIXES = (".csv", ".tsv", ".xlsx")
PREVIEW_PREFIX = "dashboard-update-"
PREVIEW_TTL_S = 3600  # a preview folder older than this is removed (its session closed without discarding it)


def enabled() -> bool:
    """True when the server was started with DASHBOARD_UPDATES=1."""
    return os.environ.get(ENV) == "1"


@dataclass
class Upload:
    """One uploaded file: the dataset it updates, the name it came with (shown escaped, never used as a path)."""

    dataset: str
    name: str
    data: bytes

    def __post_init__(self):
        # A whole published file is known by its layout, whichever dataset was chosen for it (UNODC's GLOTIP file).
        if Path(self.name).suffix.lower() == ".xlsx" and len(self.data) <= sheet.MAX_BYTES:
            self.dataset = recognised(self.data) or self.dataset

    @property
    def suffix(self) -> str:
        """The file type, from the uploaded name; anything else is refused."""
        suffix = Path(self.name).suffix.lower()
        if suffix not in SUFFIXES:
            raise InputError(self.name, f"a {', '.join(SUFFIXES)} file", got=suffix or "no extension")
        return suffix


@dataclass
class Preview:
    """A session's staged uploads: the staged raw folder and, when every check passes, a preview build; `base` is
    the live build it was made against (a publish is refused if another one is live by then)."""

    folder: str  # a temporary folder owned by the session, removed by discard() or when the preview is dropped
    staged: Staged | None = None
    db: Path | None = None
    error: str | None = None
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    checks: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __post_init__(self):
        # A closed tab never clicks Discard: when Streamlit drops the session (and with it this object), the folder
        # goes too; sweep() removes what a killed server left.
        weakref.finalize(self, shutil.rmtree, self.folder, True)

    @property
    def base(self) -> str | None:
        return self.staged.base if self.staged else None


def recognised(data: bytes) -> str | None:
    """The dataset of a whole published file whose layout the workbook has (etl.releases.recognise), else None."""
    with tempfile.NamedTemporaryFile(prefix=PREVIEW_PREFIX, suffix=".xlsx") as f:
        f.write(data)
        f.flush()
        return releases.recognise(Path(f.name), raw_dir())


def sweep(now: float | None = None) -> list[str]:
    """Remove preview folders older than PREVIEW_TTL_S (left by a session that ended without discarding)."""
    now = time.time() if now is None else now
    gone = []
    for folder in Path(tempfile.gettempdir()).glob(PREVIEW_PREFIX + "*"):
        try:
            if now - folder.stat().st_mtime > PREVIEW_TTL_S:
                shutil.rmtree(folder, ignore_errors=True)
                gone.append(folder.name)
        except FileNotFoundError:
            pass
    return gone


def _files(folder: Path, uploads: list[Upload]) -> list[tuple[str, Path]]:
    """Write the uploads under safe names of our own (the uploaded name is never part of a path)."""
    inbox = folder / "in"
    inbox.mkdir(parents=True, exist_ok=True)
    pairs = []
    for i, u in enumerate(uploads, 1):
        if u.dataset not in DATASETS:
            raise InputError(u.name, f"one of the datasets {DATASETS}", got=u.dataset)
        limit = sheet.MAX_BYTES if u.dataset in WHOLE else MAX_BYTES
        if len(u.data) > limit:
            raise InputError(u.name, f"a published table of at most {limit // 1000} KB", got=f"{len(u.data):,} bytes")
        path = inbox / f"upload-{i}-{u.dataset}{u.suffix}"
        path.write_bytes(u.data)
        pairs.append((u.dataset, path))
    return pairs


def preview(uploads: list[Upload]) -> Preview:
    """Stage the uploads against the live build: the changes, the checks, and a build to draw figures from."""
    sweep()
    folder = Path(tempfile.mkdtemp(prefix=PREVIEW_PREFIX))
    result = Preview(str(folder))
    try:
        staged = stage_into(folder / "stage", _files(folder, uploads), {}, raw_dir=raw_dir(),
                            require_provenance=False, pointer=db_pointer())
        diff(staged, db_pointer())
        result.staged = staged
        result.changes = changes_table(staged)
        result.checks = checks_table(staged)
        if not staged.errors:
            result.db = build(folder / "db" / "preview.duckdb", raw_dir=staged.raw).path
    except InputError as exc:  # name the file as the analyst uploaded it, not our temporary copy
        result.error = str(_as_uploaded(exc, folder, uploads))
    except BuildError as exc:
        result.error = str(exc)
    return result


def _as_uploaded(exc: InputError, folder: Path, uploads: list[Upload]) -> InputError:
    for i, u in enumerate(uploads, 1):
        if Path(exc.path).name == f"upload-{i}-{u.dataset}{Path(u.name).suffix.lower()}":
            return InputError(u.name, exc.expected, row=exc.row, column=exc.column, got=exc.got)
    return exc


def changes_table(staged: Staged) -> pd.DataFrame:
    """One row per added row, changed cell and removed row, by dataset and year (as the dry run writes them)."""
    rows = []
    for ch in staged.changes:
        if ch.relation in releases.RELEASES:  # a new release: every cell the dashboard draws that it revises
            rows += [{"dataset": ch.dataset, "year": r["year"], "change": "~", "row": r["words"],
                      "column": "value_as_published", "old": r["before"], "new": r["after"]}
                     for r in ch.drawn.to_dict("records")]
            continue
        rows += [{"dataset": ch.dataset, "year": r.get("year"), "change": "+", "row": row_text(r),
                  "column": "", "old": "", "new": ""} for r in ch.added.to_dict("records")]
        at = KEYS[ch.relation].index("year") if "year" in KEYS[ch.relation] else None
        rows += [{"dataset": ch.dataset, "year": "" if at is None else key[at],
                  "change": "~", "row": "/".join(map(str, key)), "column": col, "old": shown_value(old),
                  "new": shown_value(new)} for key, col, old, new in ch.changed]
        rows += [{"dataset": ch.dataset, "year": r.get("year"), "change": "-", "row": row_text(r),
                  "column": "", "old": "", "new": ""} for r in ch.removed.to_dict("records")]
    return pd.DataFrame(rows, columns=["dataset", "year", "change", "row", "column", "old", "new"])


def checks_table(staged: Staged) -> pd.DataFrame:
    """Every check that fails or warns, failures first."""
    from app.data import QUALITY_SHOWN

    rows = [{c: getattr(f, c) for c in QUALITY_SHOWN} for f in staged.findings if f.severity in ("error", "warning")]
    return pd.DataFrame(rows, columns=QUALITY_SHOWN).sort_values("severity", kind="stable")


def publish_uploads(uploads: list[Upload], meta: dict, who, base: str | None) -> str:
    """Stage again with the provenance and publish as one transaction, as `who` (an app.access.Identity: refused
    with access.NotAllowed unless they may publish), refused (publish.StaleError, naming what changed and who
    changed it) if the live build is no longer `base`, the one the preview was made against; returns the new
    build's file name."""
    author = who.publisher()
    with tempfile.TemporaryDirectory(prefix="dashboard-publish-") as tmp:
        pairs = _files(Path(tmp), uploads)
        try:
            # From the update's number to the change-log row: one transaction (the raw folder's lock as well).
            with store.writer(db_pointer(), raw_dir=raw_dir()):
                with stage(pairs, meta, by=str(author), raw_dir=raw_dir(), pointer=db_pointer()) as staged:
                    staged.base = base  # the preview's: what the analyst saw is what must still be live
                    diff(staged, db_pointer())
                    return publish.publish(staged, db_pointer(), by=author, raw_dir=raw_dir()).path.name
        except InputError as exc:
            raise _as_uploaded(exc, Path(tmp), uploads) from None


def rollback(who, publish_id: str, expected: str) -> str:
    """Withdraw the publish `publish_id`, as `who` (an app.access.Identity), refused (StaleError) unless the newest
    change-log row is still `expected`, the one the analyst saw (see etl.publish.rollback)."""
    return publish.rollback(db_pointer(), by=who.publisher(), raw_dir=raw_dir(), publish_id=publish_id,
                            expected=expected)


def restore(who, publish_id: str, expected: str) -> str:
    """Undo the roll-back of `publish_id`, as rollback() (see etl.publish.restore)."""
    return publish.restore(db_pointer(), by=who.publisher(), raw_dir=raw_dir(), publish_id=publish_id,
                           expected=expected)


def targets(log: pd.DataFrame) -> tuple[str | None, str | None]:
    """What the page's two buttons act on, from the change log (newest first, as app.data.changes gives it): the
    latest publish that is live, and the latest that is rolled back."""
    state = publish._active(log.iloc[::-1])
    live = [pid for pid, s in state.items() if s in ("publish", "restore")]
    withdrawn = [pid for pid, s in state.items() if s == "rollback"]
    return (live[-1] if live else None), (withdrawn[-1] if withdrawn else None)


# The words of a change in the user's language (etl.publish.changes_since's actions).
ACTIONS = {"publish": N_("update_action_publish"), "rollback": N_("update_action_rollback"),
           "restore": N_("update_action_restore")}


def describe(moved: list[dict], lang: str) -> str:
    """The changes a StaleError names, in the user's language, every text from the log escaped; a rebuild (no
    change-log row) when there are none."""
    from app.i18n import t
    from app.tables import escape

    if not moved:
        return t("update_moved_rebuild", lang)
    return "; ".join(t("update_change", lang, action=t(ACTIONS.get(m["action"], "update_action_publish"), lang),
                       id=escape(m["publish_id"]), files=escape(", ".join(m["files"])),
                       by=escape(m["by"] + (f" <{m['by_email']}>" if m.get("by_email") else "")),
                       at=escape(m["at"])) for m in moved)


def discard(p: Preview | None) -> None:
    """Remove a preview's temporary folder."""
    if p is not None:
        shutil.rmtree(p.folder, ignore_errors=True)


def published_layouts() -> dict[str, str]:
    """dataset -> the layouts it takes, for the page's help text (optional columns in brackets)."""
    return {d: ",".join(cols) + "".join(f" [,{c}]" for c in OPTIONAL.get(d, {}))
            + (" | TSV/XLSX" if d in PUBLISHED else "") for d, cols in LONG.items()} | {
        d: f"XLSX as published, as {f} (a new release replaces the live one; recognised by its layout)"
        for d, f in WHOLE.items()}
