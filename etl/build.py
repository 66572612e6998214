"""Build the database: load every source, resolve the checks, write a new file, swap it in."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from . import ETL_VERSION, store, updates
from .checks import resolve
from .errors import BuildError
from .contract import CONTRACT, YEARS, SERIES_NOTE_KINDS as _NOTE_KINDS
from .sources import ALL
from .rawio import sha256
# Where builds live and the write lock: etl/store.py (re-exported here for the app and the tests).
from .store import KEEP_BUILDS, builds_dir, current_build, db_pointer, writer
from .table import RAW_DIR, Context, Finding


@dataclass
class BuildResult:
    """What a successful build wrote."""

    pointer: Path
    path: Path
    findings: list[Finding]
    rows: dict[str, int]
    seconds: float


def inputs_digest(files: list[tuple[str, str]]) -> str:
    """One sha256 over the (file, sha256) pairs of the raw inputs, as recorded in build_info."""
    return hashlib.sha256("".join(f"{f} {s}\n" for f, s in sorted(files)).encode()).hexdigest()


ETL_DIR = Path(__file__).resolve().parent


def code_digest(code_dir: Path = ETL_DIR) -> str:
    """One sha256 over the ETL's own Python files: a changed parser or check makes every build stale,
    whether or not someone remembered to bump ETL_VERSION."""
    h = hashlib.sha256()
    for f in sorted(Path(code_dir).rglob("*.py")):
        h.update(f"{f.relative_to(code_dir).as_posix()}\n".encode() + f.read_bytes() + b"\n")
    return h.hexdigest()


def is_stale(pointer: Path, raw_dir: Path = RAW_DIR, code_dir: Path = ETL_DIR) -> bool:
    """True if there is no build, or it was made from other raw files, another ETL version or other ETL code."""
    path = current_build(pointer)
    return path is None or not made_from(path, raw_dir, code_dir)


def input_names(raw_dir: Path = RAW_DIR) -> list[str]:
    """Every file a build reads: each source's raw file, its sidecar and its other inputs (a mapping file), and the
    published updates."""
    return [n for m in ALL for n in (m.RAW, m.RAW + ".meta.yml", *getattr(m, "ALSO", ()))] + updates.files(raw_dir)


def made_from(path: Path, raw_dir: Path = RAW_DIR, code_dir: Path = ETL_DIR) -> bool:
    """True if a build file was made from exactly the raw files (and updates) and the ETL code there are now."""
    names = input_names(raw_dir)
    now = inputs_digest([(n, sha256(Path(raw_dir) / n)) for n in names if (Path(raw_dir) / n).exists()])
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            version, digest, code = con.execute(
                "SELECT etl_version, inputs_sha256, etl_code_sha256 FROM build_info").fetchone()
        finally:
            con.close()
    except duckdb.Error:  # also a build from before the code digest existed
        return False
    return (version, digest, code) == (ETL_VERSION, now, code_digest(code_dir))


def collect(raw_dir: Path = RAW_DIR) -> tuple[dict[str, pd.DataFrame], Context]:
    """Parse and check every source; InputError on the first bad cell."""
    ctx = Context(raw_dir=Path(raw_dir))
    loaded: dict[str, pd.DataFrame] = {}
    for module in ALL:
        loaded.update(module.load(ctx, loaded))
    return loaded, ctx


def _typed(name: str, df: pd.DataFrame, relations: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame | None, list[str]]:
    """The relation validated against its contract and typed for DuckDB, or None and every failing check.

    pandera converts each column to the pandas dtype of its DuckDB type (etl/schema.py) and checks it;
    the columns are then put in the contract's order and times stored as naive UTC.
    """
    from . import schema  # pandera is imported by the build only, not by the app that imports this module

    typed, problems = schema.validate(name, df, relations)
    if typed is None:
        return None, problems
    out = typed[CONTRACT[name].column_names]
    for column in CONTRACT[name].columns:
        if column.type == "TIMESTAMP":
            out[column.name] = out[column.name].dt.tz_convert("UTC").dt.tz_localize(None)
    return out, []


def _metadata(ctx: Context, findings: list[Finding], built_at: datetime) -> dict[str, pd.DataFrame]:
    """The relations that describe the build: data_quality, datasets, build_inputs, build_info."""
    order = {"error": 0, "warning": 1, "info": 2}
    dq = pd.DataFrame([{"dataset": f.dataset, "check_name": f.check_name, "severity": f.severity,
                        "detail": f.detail, "key": f.key,
                        # as text: a float column would print 56 as '56.0'
                        "expected": None if f.expected is None else str(f.expected),
                        "actual": None if f.actual is None else str(f.actual)}
                       for f in sorted(findings, key=lambda f: (order[f.severity], f.dataset))],
                      columns=CONTRACT["data_quality"].column_names)
    # a sidecar's fields are the columns of `datasets` by name; citation, period and caveats are shaped here
    datasets = pd.DataFrame([{**{k: m.get(k) for k in CONTRACT["datasets"].column_names},
                              "citation_pl": (m.get("citation") or {}).get("pl"),
                              "citation_en": (m.get("citation") or {}).get("en"),
                              "period_pl": (m.get("period") or {}).get("pl"),
                              "period_en": (m.get("period") or {}).get("en"),
                              "caveats": "\n".join(m.get("caveats") or []) or None}  # none given: NULL
                             for m in ctx.metas.values()],
                            columns=CONTRACT["datasets"].column_names)
    inputs = pd.DataFrame(sorted(ctx.inputs), columns=CONTRACT["build_inputs"].column_names)
    digest = inputs_digest([(f, s) for f, s, _ in ctx.inputs])
    info = pd.DataFrame([{"built_at": built_at, "etl_version": ETL_VERSION, "inputs_sha256": digest,
                          "etl_code_sha256": code_digest()}], columns=CONTRACT["build_info"].column_names)
    notes = pd.DataFrame(ctx.annotations, columns=CONTRACT["published_annotations"].column_names)
    return {"data_quality": dq, "datasets": datasets, "build_inputs": inputs, "build_info": info,
            "published_annotations": notes, "series_notes": series_notes(ctx)}


SERIES_NOTE_KINDS = set(_NOTE_KINDS)  # declared in the contract (series_notes.kind)


def series_notes(ctx: Context) -> pd.DataFrame:
    """Every sidecar's series notes, their labels filled with their years ('{first}–{last}: ...')."""
    rows = []
    for dataset, meta in ctx.metas.items():
        for i, n in enumerate(meta.get("series_notes") or [], 1):
            where = f"{meta['raw_file']}.meta.yml, series_notes item {i}"
            if n.get("kind") not in SERIES_NOTE_KINDS or not n.get("pl") or not n.get("en"):
                raise BuildError(f"{where}: expected kind one of {sorted(SERIES_NOTE_KINDS)} and texts pl and en, "
                                 f"got {n!r}")
            first, last = n.get("first_year"), n.get("last_year", n.get("first_year"))
            if (first is None) != (last is None) or (first is not None and not YEARS[0] <= first <= last <= YEARS[1]):
                raise BuildError(f"{where}: expected first_year <= last_year within {YEARS[0]}-{YEARS[1]}, "
                                 f"got {first}, {last}")
            rows.append({"dataset": dataset, "kind": n["kind"], "scope": n.get("scope"), "first_year": first,
                         "last_year": last, **{f"label_{lang}": n[lang].format(first=first, last=last)
                                               for lang in ("pl", "en")}})
    return pd.DataFrame(rows, columns=CONTRACT["series_notes"].column_names)


def validated(relations: dict[str, pd.DataFrame], complete: bool = True) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every relation typed by its contract, and every failing check; complete=False (a dry run, before the
    build's own metadata relations exist) checks only the relations given."""
    problems = [f"{n}: written by the loaders but not in the contract (etl/contract.py)"
                for n in relations if n not in CONTRACT]
    if complete:
        problems += [f"{n}: in the contract but no loader wrote it" for n in CONTRACT if n not in relations]
    frames = {}
    for name, rel in CONTRACT.items():
        if name not in relations:
            continue
        frames[name], failed = _typed(name, relations[name], relations)
        problems += failed
        if rel.rows_required and len(relations[name]) == 0:
            problems.append(f"{name}: empty (the contract requires rows)")
    return frames, problems


def _write(path: Path, relations: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Validate every relation against its contract, then write them into a new DuckDB file; return row counts.

    Nothing is written unless every relation passes; the BuildError lists every failing check at once.
    """
    frames, problems = validated(relations)
    if problems:
        raise BuildError(f"{len(problems)} failure(s) of the data contract:\n" + "\n".join(f"  - {p}" for p in problems))
    con = duckdb.connect(str(path))
    try:
        for name, rel in CONTRACT.items():
            con.execute(rel.ddl())  # names and types come from the contract, not from input
            con.register("frame", frames[name])
            con.execute(f'INSERT INTO "{name}" SELECT * FROM frame')
            con.unregister("frame")
        rows = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in CONTRACT}
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return rows


def build(pointer: str | os.PathLike | None = None, raw_dir: Path = RAW_DIR,
          keep: int = KEEP_BUILDS, only_if_missing: bool = False, swap: bool = True) -> BuildResult | None:
    """Parse, check, write a new versioned file and swap it in; the old one is kept on failure.

    The whole build holds the write lock (etl/store.py), so a publish cannot land between the moment this build
    reads the raw files and the moment it swaps, to be silently replaced by a build without it. With
    only_if_missing, return None without writing if a build exists once the lock is held. With swap=False the
    new file is written but not pointed at (a publish or roll-back swaps it itself, after its commit point).
    """
    start = time.perf_counter()
    pointer = db_pointer(pointer)
    with writer(pointer):
        if only_if_missing and current_build(pointer) is not None:
            return None
        relations, ctx = collect(raw_dir)
        findings = resolve(ctx)
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise BuildError("checks of severity 'error' failed:\n" + "\n".join(
                f"  - {f.dataset} / {f.check_name} [{f.key}]: {f.detail}" for f in errors))
        built_at = datetime.now(timezone.utc)
        relations.update(_metadata(ctx, findings, built_at))
        out = builds_dir(pointer)
        out.mkdir(parents=True, exist_ok=True)
        stamp = built_at.strftime("%Y%m%dT%H%M%S%fZ")
        final = out / f"{pointer.stem}-{stamp}.duckdb"
        partial = final.with_suffix(".partial")
        try:
            rows = _write(partial, relations)
            store.sync([partial])  # on disk before its name says it is complete (a power cut keeps it whole)
            os.replace(partial, final)
            store.sync([out])
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        if swap:
            store.swap(pointer, final)
            store.prune(pointer, keep)
    return BuildResult(pointer, final, findings, rows, time.perf_counter() - start)
