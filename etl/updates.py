"""Published additions to a dataset (data/raw/updates/): their layouts, reading, and merging into the base table.

An update is a file kept as received, `NNNN-<dataset>.<csv|tsv|xlsx>`, with a sidecar that gives its provenance,
the dataset it extends and how to read it. Its rows add years or replace the rows with the same key; the base
table (the original publication) is never edited. Withdrawn updates (rolled back) move to `updates/withdrawn/`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .contract import CONTRACT, RELATIONS
from .errors import InputError
from .rawio import load_meta, read_header
from .table import Context, Table, read_table, unique

FOLDER = "updates"

# The long layouts, from the contract (etl/contract.py: each column's `update` kind): dataset -> header -> cell kind;
# OPTIONAL the columns a file may leave out. A dataset is named after the relation it updates.
LONG = {r.name: r.update_layout() for r in RELATIONS if r.update_layout()}
OPTIONAL = {r.name: r.update_layout(optional=True) for r in RELATIONS if r.update_layout(optional=True)}
# The relations each dataset's updates change (the first one has the dataset's name), for the dry run's diff.
# Whole published files that a new release replaces (etl/releases.py): dataset -> the base file in data/raw.
WHOLE = {"unodc_glotip": "unodc_glotip.xlsx"}
RELATIONS_CHANGED = {d: (d,) for d in LONG} | {
    "migrant_stock_born_in_poland": ("migrant_stock_born_in_poland", "migrant_stock_born_in_poland_world"),
    "unodc_glotip": ("unodc_glotip", "national_indicators")}  # Poland's national counts derive from the release
KEYS = {r: list(CONTRACT[r].key) for rels in RELATIONS_CHANGED.values() for r in rels}
# Datasets that also take the table as the ministry publishes it (the base file's layout, TSV or XLSX).
PUBLISHED = {"programme_victims": "programme_victims.tsv", "programme_referrals": "programme_referrals.tsv"}
# An update dataset whose relation has no dataset of its own is listed with the dataset that writes it.
LISTED_WITH = {"indicators": "national_indicators"}
WORLD = "WLD"  # the code of the world total in a UN DESA update (not an ISO 3166 country: never drawn)
SUFFIXES = {".csv", ".tsv", ".xlsx"}


def folder(raw_dir: Path) -> Path:
    """Where the updates of a raw folder live."""
    return Path(raw_dir) / FOLDER


def files(raw_dir: Path) -> list[str]:
    """The active update files and their sidecars, relative to the raw folder (the build's inputs)."""
    out = []
    for side in sorted(folder(raw_dir).glob("*.meta.yml")):
        out += [f"{FOLDER}/{side.name[:-len('.meta.yml')]}", f"{FOLDER}/{side.name}"]
    return out


def of_dataset(raw_dir: Path, dataset: str) -> list[str]:
    """The active update files of one dataset in sequence order (relative to the raw folder)."""
    names = []
    for side in sorted(folder(raw_dir).glob("*.meta.yml")):
        meta = load_meta(side.with_name(side.name[:-len(".meta.yml")]))
        if meta.get("updates") == dataset:
            names.append((int(meta.get("sequence", 0)), f"{FOLDER}/{side.name[:-len('.meta.yml')]}"))
    return [n for _, n in sorted(names)]


def columns_for(dataset: str, layout: str, path: Path, raw_dir: Path) -> tuple[dict, str | None]:
    """The sidecar `columns` spec (header -> name, type) and total row label for reading an update file."""
    if layout == "release":  # a whole file in its publisher's layout: the base file's sidecar reads it
        return load_meta(Path(raw_dir) / WHOLE[dataset])["columns"], None
    delimiter = "\t" if path.suffix == ".tsv" else ","
    header = read_header(path, delimiter)
    if layout == "long":
        spec = dict(LONG[dataset])
        for name, kind in OPTIONAL.get(dataset, {}).items():
            if name in header:
                spec[name] = kind
        names = CONTRACT[dataset].update_columns()
        return {h: {"name": names[h], "type": k} for h, k in spec.items()}, None
    base = load_meta(Path(raw_dir) / PUBLISHED[dataset])
    if dataset == "programme_victims":
        return base["columns"], base.get("total_row")
    # The referrals table is wide: its year columns (and a 'YYYY-YYYY' total) are whatever the file has.
    spec = {header[0] if header else "województwo": {"name": "voivodeship", "type": "voivodeship"}}
    for h in header[1:]:
        if re.fullmatch(r"\d{4}", h):
            spec[h] = {"name": h, "type": "count"}
        elif re.fullmatch(r"\d{4}-\d{4}", h):
            spec[h] = {"name": "total", "type": "count"}
        else:
            raise InputError(path, "year columns (YYYY) and an optional total column 'YYYY-YYYY'",
                             row=1, column=h, got=h)
    return spec, None


def read(ctx: Context, name: str) -> Table:
    """Read one update file (relative to the raw folder) with the spec its sidecar records."""
    path = ctx.raw_dir / name
    delimiter = "\t" if path.suffix == ".tsv" else ","
    return read_table(ctx, name, delimiter=delimiter)


def merge(base: pd.DataFrame, rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The base rows with `rows` added, a row with an existing key replacing the old one."""
    if rows.empty:
        return base
    rows = rows.reindex(columns=base.columns)
    kept = base[~base.set_index(keys).index.isin(rows.set_index(keys).index)]
    return pd.concat([kept, rows], ignore_index=True).sort_values(keys).reset_index(drop=True)


def long_rows(ctx: Context, dataset: str, t: Table) -> pd.DataFrame:
    """An update table's records as rows of the dataset's relation (long layout or the published one)."""
    keys = KEYS[dataset]
    if dataset == "programme_referrals" and t.meta.get("layout") == "published":
        # the published wide layout: one row per voivodeship, one column per year
        unique(t, "voivodeship")
        years = [h for h, c in t.meta["columns"].items() if re.fullmatch(r"\d{4}", h)]
        recs = [{"year": int(y), "teryt": ctx.voivodeships[r["voivodeship"]], "referrals": r[y],
                 "note": r.get(f"{y}__note"), "source_id": t.meta.get("source_id"), "_line": r["_line"]}
                for r in t.records for y in years]
        return pd.DataFrame(recs)
    unique(t, *keys)
    df = pd.DataFrame(t.records)
    for column in (c.name for c in CONTRACT[dataset].columns if c.update == "text_or_empty"):  # '' is no text
        if column in df:
            df[column] = df[column].replace({"": None})
    if "source_id" in CONTRACT[dataset].column_names and "source_id" not in df:
        df["source_id"] = t.meta.get("source_id")  # a row with no source of its own: the update's provenance
    return df
