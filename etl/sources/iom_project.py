"""The IOM / Border Guard project 2020-2024: targets and the dated events of its calendar."""

import pandas as pd

from ..errors import InputError
from ..table import Context, read_table

RAW = "iom_project_2020_2024.csv"
KINDS = {"period", "target", "event"}


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the timeline; dates are real, start <= end, events fall within the project period."""
    t = read_table(ctx, RAW, key=("key",))
    for r in t.records:
        if r["kind"] not in KINDS:
            raise InputError(t.path, f"one of {sorted(KINDS)}", row=r["_line"], column="kind", got=r["kind"])
        for col in ("start", "end"):
            if r[col]:
                day = pd.to_datetime(r[col], format="%Y-%m-%d", errors="coerce")
                if pd.isna(day):
                    raise InputError(t.path, "a date YYYY-MM-DD", row=r["_line"], column=col, got=r[col])
                r[col] = day.date()
            else:
                r[col] = None
        if r["start"] and r["end"] and r["start"] > r["end"]:
            raise InputError(t.path, "an end on or after the start", row=r["_line"], column="end", got=str(r["end"]))
    period = next((r for r in t.records if r["kind"] == "period"), None)
    for r in t.records:
        if period and r["kind"] == "event" and not (period["start"] <= r["start"] and r["end"] <= period["end"]):
            raise InputError(t.path, f"a date within the project ({period['start']} to {period['end']})",
                             row=r["_line"], column="start", got=str(r["start"]))
    return {"iom_project": pd.DataFrame(t.records).drop(columns="_line").replace({"": None})}
