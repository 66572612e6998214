"""Programme enrolments by year, sex and minors, 2006-2013 (MSW table, with its SUMA row)."""

import pandas as pd

from ..checks import annotations, compare, summary
from ..errors import InputError
from ..table import Context, read_table, unique

RAW = "programme_victims.tsv"
DATASET = "programme_victims"
GROUPS = ["women", "men", "minors_in_care", "minors_unaccompanied"]
COLUMNS = ["total", *GROUPS]


def _note(rec: dict) -> str | None:
    notes = [rec[c + "__note"] for c in COLUMNS if c + "__note" in rec]
    return "; ".join(notes) or None


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Parse the table, check row sums against totals and column sums against SUMA."""
    t = read_table(ctx, RAW, delimiter="\t")
    unique(t, "year")
    if t.total is None:
        raise InputError(t.path, f"a '{t.meta['total_row']}' row with the published totals",
                         got="no such row")
    years = sorted(r["year"] for r in t.records)
    if years != list(range(years[0], years[-1] + 1)):
        raise InputError(t.path, "consecutive years", column="rok", got=str(years))
    ok = sum(compare(ctx, DATASET, "victims_row_sum", str(r["year"]), r["total"],
                     None if any(r[g] is None for g in GROUPS) else sum(r[g] for g in GROUPS),
                     f"{r['year']}: ilość ofiar vs kobiety + mężczyźni + małoletni")
             for r in t.records)
    summary(ctx, DATASET, "victims_row_sum", ok, len(t.records), "each year's groups vs its total")
    ok = 0
    for col in COLUMNS:
        parts = [r[col] for r in t.records]
        ok += compare(ctx, DATASET, "victims_column_sum", col, t.total[col],
                      None if None in parts else sum(parts), f"SUMA of {col} vs the sum of the years")
    summary(ctx, DATASET, "victims_column_sum", ok, len(COLUMNS), "SUMA row vs the column sums")
    annotations(ctx, DATASET, t.records, "year")
    df = pd.DataFrame([{**{c: r[c] for c in ["year", *COLUMNS]}, "note": _note(r)}
                       for r in sorted(t.records, key=lambda r: r["year"])])
    published = pd.DataFrame([{"dataset": DATASET, "key": "SUMA", "measure": c, "value": t.total[c],
                               "note": t.total.get(c + "__note")} for c in COLUMNS])
    return {"programme_victims": df, "published_totals": published}
