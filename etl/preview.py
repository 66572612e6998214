"""Files staged as updates into what publishing them would change: their checks, the diff, the dry run's report.

Staging copies data/raw into a temporary folder with the new files beside it as updates (the originals are
never edited), builds from there exactly as a full build does, and compares the result with the live build.
Publishing what was staged is etl/publish.py's.
"""

from __future__ import annotations

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

from . import releases, sheet, updates
from .build import collect, current_build, validated
from .checks import resolve
from .contract import CONTRACT, PARTIAL_DATE_PATTERN
from .contract import PROVENANCE as PROVENANCE_FIELDS
from .contract import PROVENANCE_REQUIRED as PROVENANCE
from .errors import InputError
from .rawio import MAX_BYTES, sha256
from .store import read_ledger
from .table import RAW_DIR, Finding

# The fields a --meta file may give: the provenance (`published` is the same as `date`, as the CLI's --published)
# and where the figures were read, if not at the publication's address.
META_FIELDS = {*PROVENANCE_FIELDS, "published", "read_in"}
PLACEHOLDER = "(not given)"  # a preview's stand-in for missing provenance; never published


@dataclass
class Change:
    """What one dataset's update would add to, change in and remove from one relation."""

    dataset: str
    relation: str
    added: pd.DataFrame
    changed: list[tuple[tuple, str, object, object]]  # (key, column, old, new)
    removed: pd.DataFrame


@dataclass
class Staged:
    """Files staged as updates in a temporary copy of the raw folder, what building it found, and the live build
    it was staged against (a publish is refused if that is no longer the live one)."""

    raw: Path
    names: list[tuple[str, str]]  # (dataset, update file name relative to the raw folder)
    base: str | None = None  # the file name of the live build when staging began
    relations: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    missing_provenance: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that stop a publish."""
        return [f for f in self.findings if f.severity == "error"]


def _layout(dataset: str, path: Path) -> str:
    suffix = path.suffix.lower()
    if dataset in updates.WHOLE:
        if suffix == ".xlsx":
            return "release"
        raise InputError(path, f"the file of {dataset} as published (.xlsx)", got=path.name)
    if dataset not in updates.LONG:
        raise InputError(path, f"a dataset that takes updates: one of {sorted(updates.LONG)}", got=dataset)
    if suffix == ".csv":
        return "long"
    if suffix in (".tsv", ".xlsx") and dataset in updates.PUBLISHED:
        return "published"
    kinds = "CSV in the long layout" + (", or TSV/XLSX as published" if dataset in updates.PUBLISHED else "")
    raise InputError(path, f"{kinds} for {dataset}", got=path.name)


def next_sequence(raw_dir: Path, pointer: Path | None = None) -> int:
    """The number of the next update: one more than any ever used (active, withdrawn or in the change log), so a
    number is never given twice, even after a roll-back."""
    folder = updates.folder(raw_dir)
    names = [p.name for p in folder.glob("*.meta.yml")] + [p.name for p in (folder / "withdrawn").glob("*.meta.yml")]
    if pointer is not None:
        names += [Path(f).name for f in read_ledger(pointer).file]
    return max((int(n[:4]) for n in names if n[:4].isdigit()), default=0) + 1


def provenance(meta: dict) -> dict:
    """The provenance fields with `published` read as `date`; an unknown field is refused (a typo would be lost)."""
    unknown = sorted(set(meta) - META_FIELDS)
    if unknown:
        raise InputError("provenance", f"only the fields {sorted(META_FIELDS)}", got=", ".join(unknown))
    meta = dict(meta)
    if meta.get("published") and not meta.get("date"):
        meta["date"] = meta["published"]
    meta.pop("published", None)
    return {k: (str(v).strip() if k not in ("caveats",) and v is not None else v) for k, v in meta.items()}


def check_provenance(meta: dict) -> None:
    """Refuse provenance that lacks a field a publish needs."""
    missing = [k for k in PROVENANCE if not str(meta.get(k) or "").strip()]
    if missing:
        raise InputError("provenance", "the source of the figures: --source-title, --publisher, --published and "
                         "--licence (or the same fields in a --meta sidecar file)", got=f"missing {', '.join(missing)}")


@contextmanager
def stage(pairs: list[tuple[str, Path]], meta: dict, by: str = "", raw_dir: Path = RAW_DIR,
          require_provenance: bool = True, pointer: Path | None = None) -> Iterator[Staged]:
    """Copy the raw folder with the new files added as updates, and check it as a build; the copy goes away."""
    with tempfile.TemporaryDirectory(prefix="etl-update-") as tmp:
        yield stage_into(Path(tmp), pairs, meta, by, raw_dir, require_provenance, pointer)


def stage_into(tmp: Path, pairs: list[tuple[str, Path]], meta: dict, by: str = "", raw_dir: Path = RAW_DIR,
               require_provenance: bool = True, pointer: Path | None = None) -> Staged:
    """Stage into the folder `tmp` (which the caller removes), against the live build of `pointer`. Without
    require_provenance (a preview or a dry run), missing provenance fields are filled with a placeholder and
    listed in `Staged.missing_provenance`."""
    meta = provenance(meta)
    for dataset, src in pairs:  # a whole file's release: its publisher and release date, unless given
        if dataset in updates.WHOLE:
            meta = releases.provenance(dataset, Path(src), raw_dir, meta)
    missing = [k for k in PROVENANCE if not str(meta.get(k) or "").strip()]
    if require_provenance:
        check_provenance(meta)
    # A preview's placeholders (never published: publish() refuses while any is missing).
    meta = {**meta, **{k: str(datetime.now(timezone.utc).year) if k == "date" else PLACEHOLDER for k in missing}}
    if not re.fullmatch(PARTIAL_DATE_PATTERN, str(meta["date"]).strip()):
        raise InputError("provenance", "the date of publication as YYYY, YYYY-MM or YYYY-MM-DD (--published)",
                         got=str(meta["date"]))
    live = current_build(pointer) if pointer is not None else None
    raw = Path(tmp) / "raw"
    shutil.copytree(raw_dir, raw, ignore=shutil.ignore_patterns("withdrawn", ".pending"))
    updates.folder(raw).mkdir(exist_ok=True)
    seq = next_sequence(Path(raw_dir), pointer)
    names = []
    for dataset, src in pairs:
        src = Path(src)
        if not src.exists():
            raise InputError(src, "the file to exist")
        limit = sheet.MAX_BYTES if dataset in updates.WHOLE else MAX_BYTES
        if src.stat().st_size > limit:
            raise InputError(src, f"a published table of at most {limit // 1000} KB",
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
                **{k: meta.get(k) for k in PROVENANCE_FIELDS},
                "title_en": meta.get("title_en") or meta["title"],
                "citation": {"pl": citation(meta, "pl"), "en": citation(meta, "en")},
                "caveats": list(meta.get("caveats") or []), "columns": columns, "sha256": sha256(dest)}
        if meta.get("read_in"):
            side["read_in"] = meta["read_in"]
        if total_row:
            side["total_row"] = total_row
        if layout == "release":
            side["release"] = releases.release_date(dest, raw, dataset)
        (dest.parent / (name + ".meta.yml")).write_text(
            "# An update of " + dataset + ", staged by `python -m etl update`.\n"
            + yaml.safe_dump(side, allow_unicode=True, sort_keys=False), encoding="utf-8")
        names.append((dataset, f"{updates.FOLDER}/{name}"))
        seq += 1
    staged = Staged(raw, names, base=live.name if live else None, missing_provenance=missing)
    try:
        staged.relations, ctx = collect(raw)
    except InputError as exc:  # name the file as the analyst knows it, not the staged copy
        for (dataset, name), (_, src) in zip(names, pairs):
            if exc.path in (str(raw / name), str(raw / name) + ".meta.yml"):
                raise InputError(src, exc.expected, row=exc.row, column=exc.column, got=exc.got) from None
        raise
    staged.findings = resolve(ctx)
    # The data contract (types, keys, allowed values, references) as the build will check it, so a dry run
    # shows what publishing would refuse.
    _, problems = validated(staged.relations, complete=False)
    staged.findings += [Finding(re.split(r"[,:]", p, maxsplit=1)[0], "contract", "", p, severity="error")
                        for p in problems]
    return staged


def citation(meta: dict, lang: str) -> str:
    """How a figure names an update's source: '<title>, <publisher> (<date>)'."""
    title = meta.get("title_en") or meta["title"] if lang == "en" else meta["title"]
    return f"{title}, {meta['publisher']} ({meta['date']})"


def diff(staged: Staged, pointer: Path) -> list[Change]:
    """Compare the staged relations with the live build, row by row and cell by cell."""
    path = current_build(pointer)
    con = duckdb.connect(str(path), read_only=True) if path else None
    out = []
    try:
        for dataset in dict.fromkeys(d for d, _ in staged.names):
            for relation in updates.RELATIONS_CHANGED[dataset]:
                out.append(releases.diff(staged.relations[relation], con, staged.raw, relation)
                           if relation in releases.RELEASES else
                           _relation_diff(dataset, relation, staged.relations[relation], con))
    finally:
        if con:
            con.close()
    staged.changes = out
    return out


def _relation_diff(dataset: str, relation: str, new: pd.DataFrame, con) -> Change:
    keys = updates.KEYS[relation]
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
    changed.sort(key=lambda ch: (ch[0], cols.index(ch[1])))  # by key, then column
    return Change(dataset, relation, added, changed, removed)


# How a row of a relation is written in the dry run and the Update page: a value kept as published shows as
# published ('<5'), and what the build derives from it (qualifier, bound) is not repeated; the year is said before.
_SHOWN_AS = {"value": "value_as_published"}
_NOT_SHOWN = {"year"} | (set(CONTRACT["national_indicators"].column_names)
                        - set(CONTRACT["national_indicators"].update_columns().values()))


def shown_value(v) -> str:
    """A cell as the dry run shows it: 'no data' for NULL."""
    return "no data" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def row_text(record: dict) -> str:
    """One added or removed row as 'column=value, ...' (the year is said before it)."""
    return ", ".join(f"{k}={shown_value(record.get(_SHOWN_AS.get(k, k)))}" for k in record
                     if k not in _NOT_SHOWN and not (k == "note" and shown_value(record[k]) == "no data"))


def report(staged: Staged, live_findings: set[tuple]) -> str:
    """The dry run's text: changes per dataset and year, then every check that fails or warns."""
    lines = []
    for ch in staged.changes:
        if ch.relation in releases.RELEASES:  # a whole file: its revisions of what the dashboard draws
            lines += releases.report_lines(ch, staged.findings)
            continue
        lines.append(f"{ch.dataset} ({ch.relation}): {len(ch.added)} rows added, {len(ch.changed)} cells changed, "
                     f"{len(ch.removed)} rows removed")
        by_year = "year" in updates.KEYS[ch.relation]
        groups = sorted({int(y) for y in ch.added.get("year", [])} | {int(k[0]) for k, *_ in ch.changed}
                        | {int(y) for y in ch.removed.get("year", [])}) if by_year else [None]
        for y in groups:
            add = ch.added[ch.added.year == y] if by_year and len(ch.added) else ch.added
            rem = ch.removed[ch.removed.year == y] if by_year and len(ch.removed) else ch.removed
            at = updates.KEYS[ch.relation].index("year") if by_year else None
            cells = [c for c in ch.changed if not by_year or int(c[0][at]) == y]
            if by_year:
                lines.append(f"  {y}: +{len(add)} rows, {len(cells)} cells changed, -{len(rem)} rows")
            lines += [f"    + {row_text(r)}" for r in add.to_dict("records")]
            lines += [f"    ~ {'/'.join(map(str, key))} {col}: {shown_value(a)} -> {shown_value(b)}"
                      for key, col, a, b in cells]
            lines += [f"    - {row_text(r)}" for r in rem.to_dict("records")]
    errors = staged.errors
    warnings = [f for f in staged.findings if f.severity == "warning"]
    lines.append(f"checks: {len(errors)} failing, {len(warnings)} warnings")
    for f in errors + warnings:
        new = "" if (f.dataset, f.check_name, f.key) in live_findings else " (new)"
        lines.append(f"  {f.severity}{new}: {f.dataset} / {f.check_name} [{f.key}]: {f.detail}")
    return "\n".join(lines)


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
