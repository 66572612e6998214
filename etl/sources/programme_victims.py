"""Programme enrolments by year, sex and minors, 2006-2013 (MSW table, with its SUMA row)."""

import pandas as pd

from .. import updates
from ..checks import annotations, compare, summary
from ..contract import CONTRACT
from ..errors import InputError
from ..table import Context, read_table, unique

RAW = "programme_victims.tsv"
DATASET = "programme_victims"
GROUPS = list(CONTRACT[DATASET].parts)  # the groups the total is published as the sum of
COLUMNS = [CONTRACT[DATASET].whole, *GROUPS]


def _note(rec: dict) -> str | None:
    notes = [rec[c + "__note"] for c in COLUMNS if c + "__note" in rec] + ([rec["note"]] if rec.get("note") else [])
    return "; ".join(notes) or None


def _with_updates(ctx: Context, records: list[dict]) -> list[dict]:
    """The base years with each update's years added or replacing them, in update order."""
    by_year = {r["year"]: r for r in records}
    for name in updates.of_dataset(ctx.raw_dir, DATASET):
        u = updates.read(ctx, name)
        unique(u, "year")
        if u.total is not None:  # a whole published table: its SUMA row is checked like the base one
            _column_sums(ctx, u.records, u.total, f"{name}: ")
        by_year.update({r["year"]: {**r, "source_id": u.meta["source_id"]} for r in u.records})
    return sorted(by_year.values(), key=lambda r: r["year"])


def _column_sums(ctx: Context, records: list[dict], total: dict, where: str = "") -> None:
    ok = 0
    for col in COLUMNS:
        parts = [r[col] for r in records]
        ok += compare(ctx, DATASET, "victims_column_sum", where + col, total[col],
                      None if None in parts else sum(parts), f"{where}SUMA of {col} vs the sum of the years")
    summary(ctx, DATASET, "victims_column_sum", ok, len(COLUMNS), f"{where}SUMA row vs the column sums")


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Parse the table, check row sums against totals and column sums against SUMA."""
    t = read_table(ctx, RAW, delimiter="\t", key=("year",))
    if t.total is None:
        raise InputError(t.path, f"a '{t.meta['total_row']}' row with the published totals",
                         got="no such row")
    _column_sums(ctx, t.records, t.total)  # the published SUMA covers the publication's own years
    records = _with_updates(ctx, [{**r, "source_id": t.meta["source_id"]} for r in t.records])
    years = [r["year"] for r in records]
    if years != list(range(years[0], years[-1] + 1)):
        raise InputError(t.path, "consecutive years (with the updates in data/raw/updates)", column="rok",
                         got=str(years))
    ok = sum(compare(ctx, DATASET, "victims_row_sum", str(r["year"]), r["total"],
                     None if any(r[g] is None for g in GROUPS) else sum(r[g] for g in GROUPS),
                     f"{r['year']}: ilość ofiar vs kobiety + mężczyźni + małoletni")
             for r in records)
    summary(ctx, DATASET, "victims_row_sum", ok, len(records), "each year's groups vs its total")
    annotations(ctx, DATASET, records, "year")
    df = pd.DataFrame([{**{c: r[c] for c in ["year", *COLUMNS]}, "note": _note(r), "source_id": r["source_id"]}
                       for r in records])
    published = pd.DataFrame([{"dataset": DATASET, "key": "SUMA", "measure": c, "value": t.total[c],
                               "note": t.total.get(c + "__note")} for c in COLUMNS])
    return {"programme_victims": df, "published_totals": published}
