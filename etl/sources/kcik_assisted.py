"""Potential victims assisted by KCIK per year, 2014-2021 (TIP Reports): a separate population."""

import pandas as pd

from ..checks import compare, summary
from ..table import Context, Finding, read_table, unique

RAW = "kcik_assisted.csv"
DATASET = "kcik_assisted"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the yearly totals; published breakdowns must fit in their total."""
    t = read_table(ctx, RAW)
    unique(t, "year")
    ok = n = 0
    for r in t.records:
        if r["female"] is not None and r["male"] is not None:
            n += 1
            ok += compare(ctx, DATASET, "sex_sum", str(r["year"]), r["victims_assisted"], r["female"] + r["male"],
                          f"{r['year']}: assisted vs female + male")
        for part in ("minors", "foreign_nationals"):
            if r[part] is not None and r[part] > r["victims_assisted"]:
                ctx.findings.append(Finding(DATASET, f"{part}_within_total", str(r["year"]),
                                            f"{r['year']}: {part} {r[part]} exceed the total {r['victims_assisted']}",
                                            r["victims_assisted"], r[part]))
    summary(ctx, DATASET, "sex_sum", ok, n, "years whose female + male equal the total")
    return {"kcik_assisted": pd.DataFrame(t.records).drop(columns="_line")}
