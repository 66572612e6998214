"""Typed reading of a raw table driven by its sidecar's column list, plus check findings."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import cells
from .contract import YEARS  # the years any table here may hold; outside them a cell is a typing slip
from .errors import InputError
from .rawio import load_meta, read_rows, sha256

RAW_DIR = Path(__file__).resolve().parents[1] / "data" / "raw"


def raw_dir() -> Path:
    """The raw folder a running dashboard builds and updates from: DASHBOARD_RAW, else data/raw."""
    return Path(os.environ.get("DASHBOARD_RAW") or RAW_DIR)


@dataclass
class Finding:
    """One result of a check; severity None means `unknown` ('error' unless said otherwise) unless the sidecar
    lists it as known, which makes it a warning with the sidecar's explanation."""

    dataset: str
    check_name: str
    key: str
    detail: str
    expected: object = None
    actual: object = None
    severity: str | None = None
    unknown: str = "error"


@dataclass
class Context:
    """What the sources loaded so far let later sources validate against."""

    raw_dir: Path = RAW_DIR
    voivodeships: dict[str, str] = field(default_factory=dict)  # name_pl -> teryt
    countries: set[str] = field(default_factory=set)
    source_ids: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    inputs: list[tuple[str, str, int]] = field(default_factory=list)  # (file, sha256, bytes)
    metas: dict[str, dict] = field(default_factory=dict)  # dataset -> sidecar
    annotations: list[dict] = field(default_factory=list)  # annotated published cells
    shared: dict = field(default_factory=dict)  # what a loader leaves for a later one (UNODC's cells, the national)


@dataclass
class Table:
    """A raw table after typing: records keyed by the sidecar's column names."""

    path: Path
    meta: dict
    records: list[dict]
    total: dict | None = None  # the published total row (e.g. 'SUMA'), typed like the records


def _convert(ctx: Context, kind: str, text: str):
    """Return (value, note) for one cell of a declared kind; raise ValueError(expected)."""
    cell = cells.clean(text)
    if kind == "count":
        return cells.parse_count(text)
    if kind == "int":
        value = cells.parse_int(text)
        if value is None:
            raise ValueError("a whole number >= 0 (this column may not be empty)")
        return value, None
    if kind == "count_or_bound":  # expanded into value, qualifier, bound and the text by its loader
        return cells.parse_published(text), None
    if kind == "int_or_empty":
        return cells.parse_int(text), None
    if kind == "year":
        if not re.fullmatch(r"\d{4}", cell) or not YEARS[0] <= int(cell) <= YEARS[1]:
            raise ValueError(f"a year from {YEARS[0]} to {YEARS[1]}, four digits")
        return int(cell), None
    if kind in ("text", "text_or_empty"):
        if kind == "text" and not cell:
            raise ValueError("non-empty text")
        return cell, None
    if kind == "bool":
        if cell.lower() not in ("true", "false"):
            raise ValueError("true or false")
        return cell.lower() == "true", None
    if kind == "teryt":
        if cell not in ctx.voivodeships.values():
            raise ValueError("a voivodeship TERYT code '02'..'32' listed in voivodeships.csv")
        return cell, None
    if kind == "voivodeship_or_teryt":  # an update's long layout: '10', 'łódzkie' or 'lodzkie'
        if cell in ctx.voivodeships.values():
            return cell, None
        by_plain = {cells.plain(n): t for n, t in ctx.voivodeships.items()}
        if cells.plain(cell) in by_plain:
            return by_plain[cells.plain(cell)], None
        raise ValueError("a voivodeship TERYT code such as '10' or a name as in voivodeships.csv "
                         "(diacritics optional, e.g. 'łódzkie' or 'lodzkie')")
    if kind == "voivodeship":
        name = cell.lower()
        if name not in ctx.voivodeships:
            raise ValueError("a voivodeship name as in voivodeships.csv (e.g. 'łódzkie')")
        return name, None
    if kind in ("iso3", "iso3_or_empty", "iso3_or_world"):
        if kind == "iso3_or_empty" and cell == "":
            return None, None
        if kind == "iso3_or_world" and cell == "WLD":  # etl.updates.WORLD: the world total's row
            return cell, None
        if not re.fullmatch(r"[A-Z]{3}", cell):
            raise ValueError("an ISO 3166-1 alpha-3 code such as 'GBR'")
        if ctx.countries and cell not in ctx.countries:
            raise ValueError("a country listed in countries.csv")
        return cell, None
    if kind == "source_id":
        if cell not in ctx.source_ids:
            raise ValueError("a source_id listed in sources.csv")
        return cell, None
    raise AssertionError(f"unknown column type {kind!r} in a sidecar")


def read_table(ctx: Context, filename: str, delimiter: str = ",", key: tuple[str, ...] = ()) -> Table:
    """Read data/raw/<filename> with its sidecar: header and types; each `key` once (the other checks are the
    caller's)."""
    path = ctx.raw_dir / filename
    meta = load_meta(path)
    spec = meta["columns"]
    digest = sha256(path) if path.exists() else ""
    rows = read_rows(path, list(spec), delimiter)
    side = path.with_name(path.name + ".meta.yml")  # the sidecar shapes the build too
    ctx.inputs += [(filename, digest, path.stat().st_size), (filename + ".meta.yml", sha256(side), side.stat().st_size)]
    ctx.metas[meta["dataset"]] = meta | {"raw_file": filename, "raw_sha256": digest}
    if meta.get("sha256") and meta["sha256"] != digest:
        ctx.findings.append(Finding(
            meta["dataset"], "raw_checksum", filename,
            f"{filename} differs from the sha256 recorded in its sidecar; check the new file against "
            "the publication and update the sidecar", meta["sha256"], digest, "warning"))
    first = next(iter(spec))
    total_label = meta.get("total_row")
    records, total = [], None
    for row in rows:
        is_total = total_label is not None and cells.clean(row.cells[first]) == total_label
        rec = {"_line": row.line}
        for header, col in spec.items():
            if is_total and header == first:
                continue
            try:
                value, note = _convert(ctx, col["type"], row.cells[header])
            except ValueError as exc:
                raise InputError(path, str(exc), row=row.line, column=header,
                                 got=row.cells[header]) from None
            rec[col["name"]] = value
            if note is not None:
                rec[col["name"] + "__note"] = f"{header}: {note}"
        if is_total:
            if total is not None:
                raise InputError(path, f"one '{total_label}' row", row=row.line, column=first,
                                 got=total_label)
            total = rec
        else:
            records.append(rec)
    table = Table(path, meta, records, total)
    if key:
        unique(table, *key)
    return table


def unique(table: Table, *keys: str, column: str | None = None) -> None:
    """Raise InputError on the first record whose key repeats an earlier one."""
    seen: dict[tuple, int] = {}
    for rec in table.records:
        k = tuple(rec[c] for c in keys)
        if k in seen:
            header = {c["name"]: h for h, c in table.meta["columns"].items()}
            cols = ", ".join(header.get(c, c) for c in keys)
            raise InputError(table.path, f"each ({cols}) once; {k} is already on row {seen[k]}",
                             row=rec["_line"], column=column or header.get(keys[-1], keys[-1]),
                             got=str(k[-1] if len(k) == 1 else k))
        seen[k] = rec["_line"]
