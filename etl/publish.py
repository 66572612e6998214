"""Adding data: stage files as updates, show what would change, publish as one checked build, roll back.

Staging copies data/raw into a temporary folder with the new files beside it as updates (the originals are
never edited), builds from there exactly as a full build does, and compares the result with the live build.
Publishing writes that build, puts the files into data/raw/updates/ as received with their sidecars, and only
then swaps the database pointer. Every publish and roll-back is appended to the change log beside the
database (`<db>.changes.csv`), which the Data page shows.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from . import updates
from .build import (BuildResult, _prune, _swap, build, build_lock, builds_dir, collect, current_build, made_from,
                    validated)
from .checks import resolve
from .errors import BuildError, InputError
from .rawio import MAX_BYTES, sha256
from .table import RAW_DIR, Finding

PROVENANCE = ("title", "publisher", "date", "licence")  # required; url and caveats are optional
LEDGER_COLUMNS = ["at", "action", "publish_id", "dataset", "file", "sha256", "rows_added", "cells_changed",
                  "rows_removed", "by", "build", "previous_build"]


@dataclass
class Change:
    """What one dataset's relation would gain, change and lose."""

    dataset: str
    relation: str
    added: pd.DataFrame
    changed: list[tuple[tuple, str, object, object]]  # (key, column, old, new)
    removed: pd.DataFrame


@dataclass
class Staged:
    """Files staged as updates in a temporary copy of the raw folder, and what building it found."""

    raw: Path
    names: list[tuple[str, str]]  # (dataset, update file name relative to the raw folder)
    relations: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    missing_provenance: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that stop a publish."""
        return [f for f in self.findings if f.severity == "error"]


def ledger_path(pointer: Path) -> Path:
    """The change log of a database: `data/dashboard.changes.csv` beside `data/dashboard.duckdb`."""
    return pointer.with_name(pointer.stem + ".changes.csv")


def read_ledger(pointer: Path) -> pd.DataFrame:
    """Every publish and roll-back of this database, oldest first."""
    path = ledger_path(pointer)
    if not path.exists():
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _append_ledger(pointer: Path, rows: list[dict]) -> None:
    path = ledger_path(pointer)
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=LEDGER_COLUMNS)
        if new:
            w.writeheader()
        w.writerows([{k: "" if r.get(k) is None else r.get(k) for k in LEDGER_COLUMNS} for r in rows])


def _layout(dataset: str, path: Path) -> str:
    suffix = path.suffix.lower()
    if dataset not in updates.LONG:
        raise InputError(path, f"a dataset that takes updates: one of {sorted(updates.LONG)}", got=dataset)
    if suffix == ".csv":
        return "long"
    if suffix in (".tsv", ".xlsx") and dataset in updates.PUBLISHED:
        return "published"
    kinds = "CSV in the long layout" + (", or TSV/XLSX as published" if dataset in updates.PUBLISHED else "")
    raise InputError(path, f"{kinds} for {dataset}", got=path.name)


def _next_sequence(raw_dir: Path) -> int:
    seen = [int(p.name[:4]) for p in updates.folder(raw_dir).rglob("*.meta.yml") if p.name[:4].isdigit()]
    return max(seen, default=0) + 1


def _provenance(meta: dict) -> dict:
    missing = [k for k in PROVENANCE if not str(meta.get(k) or "").strip()]
    if missing:
        raise InputError("provenance", "the source of the figures: --source-title, --publisher, --published and "
                         "--licence (or the same fields in a --meta sidecar file)", got=f"missing {', '.join(missing)}")
    return meta


@contextmanager
def stage(pairs: list[tuple[str, Path]], meta: dict, by: str = "", raw_dir: Path = RAW_DIR,
          require_provenance: bool = True) -> Iterator[Staged]:
    """Copy the raw folder with the new files added as updates, and check it as a build; the copy goes away."""
    with tempfile.TemporaryDirectory(prefix="etl-update-") as tmp:
        yield stage_into(Path(tmp), pairs, meta, by, raw_dir, require_provenance)


def stage_into(tmp: Path, pairs: list[tuple[str, Path]], meta: dict, by: str = "", raw_dir: Path = RAW_DIR,
               require_provenance: bool = True) -> Staged:
    """Stage into the folder `tmp` (which the caller removes). Without require_provenance (a preview),
    missing provenance fields are filled with a placeholder and listed in `Staged.missing_provenance`."""
    missing = [k for k in PROVENANCE if not str(meta.get(k) or "").strip()]
    if require_provenance:
        _provenance(meta)
    # A preview's placeholders (never published: publish() refuses while any is missing).
    meta = {**meta, **{k: str(datetime.now(timezone.utc).year) if k == "date" else "(not given)" for k in missing}}
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(meta["date"]).strip()):
        raise InputError("provenance", "the date of publication as YYYY, YYYY-MM or YYYY-MM-DD (--published)",
                         got=str(meta["date"]))
    raw = Path(tmp) / "raw"
    shutil.copytree(raw_dir, raw, ignore=shutil.ignore_patterns("withdrawn", ".pending"))
    updates.folder(raw).mkdir(exist_ok=True)
    seq = _next_sequence(Path(raw_dir))
    names = []
    for dataset, src in pairs:
        src = Path(src)
        if not src.exists():
            raise InputError(src, "the file to exist")
        if src.stat().st_size > MAX_BYTES:
            raise InputError(src, f"a published table of at most {MAX_BYTES // 1000} KB",
                             got=f"{src.stat().st_size:,} bytes")
        if src.stat().st_size == 0:
            raise InputError(src, "a header row and data rows", got="an empty file")
        layout = _layout(dataset, src)
        name = f"{seq:04d}-{dataset}{src.suffix.lower()}"
        dest = updates.folder(raw) / name
        shutil.copyfile(src, dest)  # as received, byte for byte
        try:
            columns, total_row = updates.columns_for(dataset, layout, dest, raw)
        except InputError as exc:
            raise InputError(src, exc.expected, row=exc.row, column=exc.column, got=exc.got) from None
        side = {"dataset": f"{dataset}_update_{seq:04d}", "updates": dataset, "sequence": seq, "layout": layout,
                "received_as": src.name, "received": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "by": by or None, "source_id": f"update_{seq:04d}",
                **{k: meta.get(k) for k in ("title", "publisher", "date", "url", "licence")},
                "title_en": meta.get("title_en") or meta["title"],
                "citation": {"pl": f"{meta['publisher']}, {meta['title']} ({meta['date']})",
                             "en": f"{meta['publisher']}, {meta.get('title_en') or meta['title']} ({meta['date']})"},
                "caveats": list(meta.get("caveats") or []), "columns": columns, "sha256": sha256(dest)}
        if total_row:
            side["total_row"] = total_row
        (dest.parent / (name + ".meta.yml")).write_text(
            "# An update of " + dataset + ", staged by `python -m etl update`.\n"
            + yaml.safe_dump(side, allow_unicode=True, sort_keys=False), encoding="utf-8")
        names.append((dataset, f"{updates.FOLDER}/{name}"))
        seq += 1
    staged = Staged(raw, names, missing_provenance=missing)
    try:
        staged.relations, ctx = collect(raw)
    except InputError as exc:  # name the file as the analyst knows it, not the staged copy
        for (dataset, name), (_, src) in zip(names, pairs):
            if exc.path == str(raw / name):
                raise InputError(src, exc.expected, row=exc.row, column=exc.column, got=exc.got) from None
        raise
    staged.findings = resolve(ctx)
    # The data contract (types, keys, allowed values, references) as the build will check it, so a dry run
    # shows what publishing would refuse.
    _, problems = validated(staged.relations, complete=False)
    staged.findings += [Finding(re.split(r"[,:]", p, maxsplit=1)[0], "contract", "", p, severity="error")
                        for p in problems]
    return staged


# The relations an update can change, with their keys.
RELATIONS = {"programme_victims": ("programme_victims", ["year"]),
             "programme_referrals": ("programme_referrals", ["year", "teryt"]),
             "population": ("population", ["year", "teryt"]),
             "emigration_stock": ("emigration_stock", ["year", "iso3"])}


def diff(staged: Staged, pointer: Path) -> list[Change]:
    """Compare the staged relations with the live build, row by row and cell by cell."""
    path = current_build(pointer)
    con = duckdb.connect(str(path), read_only=True) if path else None
    out = []
    try:
        for dataset in dict.fromkeys(d for d, _ in staged.names):
            relation, keys = RELATIONS[dataset]
            new = staged.relations[relation]
            old = con.execute(f'SELECT * FROM "{relation}"').df() if con else new.iloc[0:0]  # fixed names
            cols = [c for c in new.columns if c in old.columns and c not in keys]
            o, n = old.set_index(keys), new.set_index(keys)
            added = new[~n.index.isin(o.index)]
            removed = old[~o.index.isin(n.index)]
            both = n.index.intersection(o.index)
            changed = []
            # Column by column over the rows both have (a cell loop took a quarter of a second at 20 years).
            a_all, b_all = o.loc[both, cols], n.loc[both, cols]
            for c in cols:
                a, b = a_all[c], b_all[c]
                there = (a.notna() & b.notna()).to_numpy()
                differ = (a.isna() != b.isna()).to_numpy().copy()
                differ[there] = a.to_numpy(dtype=object)[there] != b.to_numpy(dtype=object)[there]
                changed += [(k if isinstance(k, tuple) else (k,), c, a[k], b[k]) for k in a.index[differ]]
            changed.sort(key=lambda ch: (ch[0], cols.index(ch[1])))  # by key, then column, as before
            out.append(Change(dataset, relation, added, changed, removed))
    finally:
        if con:
            con.close()
    staged.changes = out
    return out


def report(staged: Staged, live_findings: set[tuple]) -> str:
    """The dry run's text: changes per dataset and year, then every check that fails or warns."""
    lines = []
    for ch in staged.changes:
        lines.append(f"{ch.dataset} ({ch.relation}): {len(ch.added)} rows added, {len(ch.changed)} cells changed, "
                     f"{len(ch.removed)} rows removed")
        years = sorted({int(y) for y in ch.added.get("year", [])} | {int(k[0]) for k, *_ in ch.changed}
                       | {int(y) for y in ch.removed.get("year", [])})
        for y in years:
            add = ch.added[ch.added.year == y] if len(ch.added) else ch.added
            rem = ch.removed[ch.removed.year == y] if len(ch.removed) else ch.removed
            cells = [c for c in ch.changed if int(c[0][0]) == y]
            lines.append(f"  {y}: +{len(add)} rows, {len(cells)} cells changed, -{len(rem)} rows")
            for r in add.itertuples(index=False):
                lines.append("    + " + ", ".join(f"{k}={_v(v)}" for k, v in r._asdict().items()
                                              if k != "year" and not (k == "note" and _v(v) == "no data")))
            for key, col, a, b in cells:
                lines.append(f"    ~ {'/'.join(map(str, key))} {col}: {_v(a)} -> {_v(b)}")
            for r in rem.itertuples(index=False):
                lines.append("    - " + ", ".join(f"{k}={_v(v)}" for k, v in r._asdict().items() if k != "year"))
    errors = staged.errors
    warnings = [f for f in staged.findings if f.severity == "warning"]
    lines.append(f"checks: {len(errors)} failing, {len(warnings)} warnings")
    for f in errors + warnings:
        new = "" if (f.dataset, f.check_name, f.key) in live_findings else " (new)"
        lines.append(f"  {f.severity}{new}: {f.dataset} / {f.check_name} [{f.key}]: {f.detail}")
    return "\n".join(lines)


def _v(v) -> str:
    return "no data" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def live_findings(pointer: Path) -> set[tuple]:
    """(dataset, check, key) of the live build's data-quality findings."""
    path = current_build(pointer)
    if path is None:
        return set()
    con = duckdb.connect(str(path), read_only=True)
    try:
        return set(con.execute("SELECT dataset, check_name, key FROM data_quality").fetchall())
    finally:
        con.close()


def publish(staged: Staged, pointer: Path, by: str = "", raw_dir: Path = RAW_DIR) -> BuildResult:
    """Build from the staged folder, put the update files in place, then swap: the live build changes last."""
    if staged.missing_provenance:
        _provenance({})  # raises, naming what is missing
    if staged.errors:
        raise BuildError("checks of severity 'error' failed:\n" + "\n".join(
            f"  - {f.dataset} / {f.check_name} [{f.key}]: {f.detail}" for f in staged.errors))
    previous = current_build(pointer)
    result = build(pointer, raw_dir=staged.raw, swap=False)
    # The files wait in updates/.pending/ (never read by the ETL) until the swap: a publish killed before it
    # leaves the raw folder and the live build as they were, and a later `--if-stale` finds nothing new.
    pending = updates.folder(raw_dir) / ".pending"
    pending.mkdir(parents=True, exist_ok=True)
    moves = []
    for _, name in staged.names:
        for suffix in ("", ".meta.yml"):
            shutil.copyfile(staged.raw / (name + suffix), pending / Path(name + suffix).name)
            moves.append((pending / Path(name + suffix).name, Path(raw_dir) / (name + suffix)))
    with build_lock(pointer):
        _swap(pointer, result.path)
        for src, dest in moves:
            os.replace(src, dest)
        try:
            pending.rmdir()
        except OSError:  # left-overs of an interrupted publish: kept for a look, never read
            pass
        _prune(pointer, keep=max(3, len(read_ledger(pointer)) + 2))
    publish_id = hashlib.sha256(f"{result.path.name}".encode()).hexdigest()[:12]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    by_dataset = {c.dataset: c for c in staged.changes}
    _append_ledger(pointer, [{
        "at": now, "action": "publish", "publish_id": publish_id, "dataset": dataset, "file": name,
        "sha256": sha256(Path(raw_dir) / name),
        "rows_added": len(by_dataset[dataset].added) if dataset in by_dataset else "",
        "cells_changed": len(by_dataset[dataset].changed) if dataset in by_dataset else "",
        "rows_removed": len(by_dataset[dataset].removed) if dataset in by_dataset else "",
        "by": by, "build": result.path.name, "previous_build": previous.name if previous else ""}
        for dataset, name in staged.names])
    return result


def rollback(pointer: Path, by: str = "", raw_dir: Path = RAW_DIR) -> str:
    """Withdraw the last publish: its files move to updates/withdrawn/, the database points at the build
    from before it (rebuilt from the raw files if that build was deleted). Returns what was done."""
    ledger = read_ledger(pointer)
    undone = set(ledger[ledger.action == "rollback"].publish_id)
    done = ledger[(ledger.action == "publish") & ~ledger.publish_id.isin(undone)]
    if done.empty:
        raise InputError(ledger_path(pointer), "a publish to roll back", got="none recorded")
    last = done[done.publish_id == done.publish_id.iloc[-1]]
    before = current_build(pointer)
    withdrawn = updates.folder(raw_dir) / "withdrawn"
    withdrawn.mkdir(parents=True, exist_ok=True)
    with build_lock(pointer):
        for name in last.file:
            for suffix in ("", ".meta.yml"):
                src = Path(raw_dir) / (name + suffix)
                if src.exists():
                    os.replace(src, withdrawn / src.name)
        previous = builds_dir(pointer) / last.previous_build.iloc[0] if last.previous_build.iloc[0] else None
        if previous is not None and previous.exists() and made_from(previous, raw_dir):
            _swap(pointer, previous)
            how = f"pointed back at {previous.name}"
        else:
            previous = None
    if previous is None:  # the old build was deleted, or the raw files changed since: rebuild them
        result = build(pointer, raw_dir=raw_dir)
        previous, how = result.path, f"rebuilt as {result.path.name}"
    _append_ledger(pointer, [{
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "action": "rollback",
        "publish_id": last.publish_id.iloc[0], "dataset": d, "file": f, "by": by, "build": previous.name,
        "previous_build": before.name if before else ""} for d, f in zip(last.dataset, last.file)])
    return f"rolled back {', '.join(last.file)}: {how}"
