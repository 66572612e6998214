"""A new release of a whole published file (UNODC's GLOTIP): its layout recognised, its provenance, its diff."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import sheet
from .contract import PROVENANCE
from .errors import InputError
from .rawio import load_meta
from .sources import unodc_glotip
from .updates import WHOLE

RELEASES = WHOLE  # datasets published as one whole file that a new release replaces -> the base file
# A cell's identity across releases: the country by its code (its name may be respelt), a citizenship by its ISO3
# where it maps ('Poles' in one release is 'Poland' in the next), and a cell given twice numbered by its order.
KEY = ["who", "indicator", "dimension", "what", "sex", "age", "year", "occurrence"]
# The provenance a release takes from the base sidecar unless the analyst gives it (the date is the file's own).
FIELDS = tuple(f for f in PROVENANCE if f not in ("date", "caveats"))


def of_update(path: Path) -> str:
    """The release date a staged update's sidecar records ('' for an update that is not a whole file's release)."""
    return str(load_meta(Path(path)).get("release") or "")


def layout(raw_dir: Path, dataset: str) -> dict:
    """The base sidecar of a release dataset: its layout (rows, header) and its rules."""
    return load_meta(Path(raw_dir) / RELEASES[dataset])


def release_date(path: Path, raw_dir: Path, dataset: str) -> str:
    """The release date a file gives in its title row (YYYY-MM-DD); InputError if it is not in the layout."""
    spec = layout(raw_dir, dataset)
    for line, cells in sheet.first_rows(path, spec["header_row"], formulas_before=spec["header_row"] - 1):
        if line == spec["release_row"]:
            return unodc_glotip._release_date(path, line, cells)
    raise InputError(path, "UNODC's layout: the release date dd/mm/yyyy in the first cell of row "
                     f"{spec['release_row']}", row=spec["release_row"], column="A", got="nothing")


def recognise(path: Path, raw_dir: Path) -> str | None:
    """The release dataset whose layout a file has (its header row is that dataset's header), else None."""
    for dataset in RELEASES:
        spec = layout(raw_dir, dataset)
        try:
            for line, cells in sheet.first_rows(path, spec["header_row"], formulas_before=spec["header_row"]):
                if line == spec["header_row"] and [c.strip() for c in cells][:len(spec["columns"])] == \
                        list(spec["columns"]):
                    return dataset
        except InputError:
            continue
    return None


def provenance(dataset: str, src: Path, raw_dir: Path, meta: dict) -> dict:
    """The provenance of a new release: what the analyst gave, else the base sidecar's title, publisher, address
    and licence, and the release date of the file's own title row (so two commands publish a release)."""
    base = layout(raw_dir, dataset)
    out = {k: v for k, v in meta.items() if v}
    for k in FIELDS:
        if not out.get(k) and base.get(k):
            out[k] = base[k]
    out.setdefault("date", release_date(src, raw_dir, dataset))
    return out


def _keyed(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["who"] = df.iso3.fillna(df.country).fillna("")
    df["what"] = df.category_iso3.fillna(df.category).fillna("")
    df["year"] = df.year.astype(int)
    df["occurrence"] = df.groupby(KEY[:-1]).cumcount() + 1
    return df


def diff(new: pd.DataFrame, con, raw_dir: Path, dataset: str):
    """The live release against the staged one, cell by cell: (added, changed, removed) as publish.Change wants
    them (a changed cell is (key, 'value_as_published', old, new)), with `releases` (before, after) and `drawn`,
    the revisions of the cells the dashboard draws (drawn_revisions)."""
    from .preview import Change  # preview imports this module

    old = con.execute(f'SELECT * FROM "{dataset}"').df() if con else new.iloc[0:0]  # a fixed name
    a, b = _keyed(old), _keyed(new)
    both = a.merge(b, on=KEY, how="outer", suffixes=("_old", ""), indicator=True)
    added = b.merge(both[both._merge == "right_only"][KEY], on=KEY)
    removed = a.merge(both[both._merge == "left_only"][KEY], on=KEY)
    same = both[both._merge == "both"]
    revised = same[same.value_as_published_old != same.value_as_published]
    changed = [(tuple(r[k] for k in KEY), "value_as_published", r["value_as_published_old"], r["value_as_published"])
               for r in revised.to_dict("records")]
    change = Change(dataset, dataset, added, changed, removed)
    change.releases = (_release(old), _release(new))
    change.drawn = drawn_revisions(pd.concat([
        revised.assign(before=revised.value_as_published_old, after=revised.value_as_published),
        added.assign(before="no cell", after=added.value_as_published),
        removed.assign(before=removed.value_as_published, after="no cell")], ignore_index=True), raw_dir, dataset)
    return change


def _release(df: pd.DataFrame) -> str:
    return str(pd.Timestamp(df.release.iloc[0]).date()) if len(df) else "none"


COLUMNS = ["iso3", "country", "indicator", "dimension", "category", "sex", "age", "year", "before", "after"]


def drawn_revisions(cells: pd.DataFrame, raw_dir: Path, dataset: str) -> pd.DataFrame:
    """Of the revised, new and withdrawn cells, those the dashboard draws (the sidecar's `drawn` rules and the
    national country's cells), each with the sentence that says it ('Poland, Detected trafficking victims, 2021:
    23 -> 447')."""
    if cells.empty:
        return pd.DataFrame(columns=[*COLUMNS, "words"])
    cells = cells.assign(category=cells.category.replace({"": None}), iso3=cells.iso3.replace({"": None}))
    cells = cells[unodc_glotip.drawn_mask(cells, layout(raw_dir, dataset)).to_numpy()]
    out = cells.sort_values(["iso3", "indicator", "year", "dimension", "category", "sex", "age"])[COLUMNS]
    out["words"] = [f"{unodc_glotip.cell_words(r)}: {r['before']} -> {r['after']}" for r in out.to_dict("records")]
    return out.reset_index(drop=True)


def report_lines(change, findings) -> list[str]:
    """The dry run's words for a new release: counts, then every revised, new or withdrawn cell the dashboard
    draws in words and as a table, then the spellings the mapping file does not know."""
    before, after = getattr(change, "releases", ("?", "?"))
    drawn = getattr(change, "drawn", pd.DataFrame(columns=[*COLUMNS, "words"]))
    lines = [f"{change.dataset} (release {before} -> {after}): {len(change.added)} cells added, "
             f"{len(change.changed)} cells revised, {len(change.removed)} cells withdrawn; {len(drawn)} of them "
             "drawn by the dashboard:"]
    lines += [f"    ~ {w}" for w in drawn.words]
    if len(drawn):
        lines += ["    " + line for line in drawn[COLUMNS].fillna("").to_string(index=False).splitlines()]
    unknown = [f for f in findings if f.dataset == change.dataset and f.check_name == "unmapped_category"
               and f.severity == "warning"]
    lines += [f"  category not in the mapping file: {f.detail}" for f in unknown]
    return lines
