"""National counts after 2013 (KCIK, identification, proceedings): long format, one published figure a row.

Two relations: national_indicators (the file as published) and indicators (what each indicator counts, from the
sidecar). Checks: every exploitation= set and every female + male pair against its total, every source_id and
also_in id in sources, and two sources giving different values for one figure (kept both, a finding naming both).
"""

from collections import defaultdict

import pandas as pd

from ..checks import compare, summary
from ..errors import InputError
from ..table import Context, Finding, read_table, unique

RAW = "national_indicators.csv"
DATASET = "national_indicators"
DESCRIPTION = ("counts_pl", "counts_en", "population_pl", "population_en", "unit_pl", "unit_en")


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the figures and the indicator descriptions; check the sums and record conflicts."""
    t = read_table(ctx, RAW)
    unique(t, "indicator", "year", "breakdown", "source_id")
    for r in t.records:
        for sid in r["also_in"].split():
            if sid not in ctx.source_ids:
                raise InputError(t.path, "source_ids listed in sources.csv, separated by spaces", row=r["_line"],
                                 column="also_in", got=sid)
    indicators = _indicators(t)
    _sums(ctx, t.records)
    _conflicts(ctx, t.records)
    df = pd.DataFrame(t.records).drop(columns="_line").replace({"": None})
    return {"national_indicators": df[["indicator", "year", "breakdown", "value", "source_id", "note", "also_in"]],
            "indicators": indicators}


def _indicators(t) -> pd.DataFrame:
    """One row per indicator from the sidecar's `indicators`; every indicator of the file must be described."""
    described = t.meta.get("indicators") or {}
    side = t.path.with_name(t.path.name + ".meta.yml")
    for r in t.records:
        if r["indicator"] not in described:
            raise InputError(t.path, f"an indicator described under 'indicators' in {side.name}", row=r["_line"],
                             column="indicator", got=r["indicator"])
    rows = []
    for name, d in described.items():
        d = d or {}
        for k in ("counts_pl", "counts_en", "unit_pl", "unit_en"):
            if not d.get(k):
                raise InputError(side, f"indicators.{name}.{k}: a non-empty text", column=k, got=str(d.get(k)))
        rows.append({"indicator": name, **{k: d.get(k) for k in DESCRIPTION}})
    return pd.DataFrame(rows, columns=["indicator", *DESCRIPTION])


def _sums(ctx: Context, records: list[dict]) -> None:
    """Each year's exploitation= rows and female + male pair against the total they break down."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in records:
        groups[(r["indicator"], r["year"])].append(r)
    passed = {"exploitation_sum": [0, 0], "sex_sum": [0, 0]}
    for (indicator, year), rows in groups.items():
        totals = [r for r in rows if r["breakdown"] == "total"]
        parts = {"exploitation_sum": [r for r in rows if r["breakdown"].startswith("exploitation=")],
                 "sex_sum": [r for r in rows if r["breakdown"] in ("female", "male")]}
        for check, members in parts.items():
            if not members:
                continue
            what = "exploitation types" if check == "exploitation_sum" else "female + male"
            if check == "sex_sum" and len(members) != 2:
                compare(ctx, DATASET, check, f"{indicator} {year}", None, None,
                        f"{indicator} {year}: total vs {what} (only one of the pair published)")
                continue
            cited = {r["source_id"] for r in members}
            # Several totals (conflicting sources): compare with those whose sources state the parts too.
            against = [r for r in totals if cited & {r["source_id"], *r["also_in"].split()}] or totals or [None]
            for total in against:
                passed[check][1] += 1
                passed[check][0] += compare(
                    ctx, DATASET, check, f"{indicator} {year}", total and total["value"],
                    sum(r["value"] for r in members),
                    f"{indicator} {year}: total" + (f" ({total['source_id']})" if total else "") + f" vs {what}")
    summary(ctx, DATASET, "exploitation_sum", *passed["exploitation_sum"],
            "indicator-years whose exploitation types add up to the total")
    summary(ctx, DATASET, "sex_sum", *passed["sex_sum"], "indicator-years whose female + male equal the total")


def _conflicts(ctx: Context, records: list[dict]) -> None:
    """One figure given different values by different sources: both rows stay, a finding names both sources."""
    by_figure: dict[tuple, list[dict]] = defaultdict(list)
    for r in records:
        by_figure[(r["indicator"], r["year"], r["breakdown"])].append(r)
    for (indicator, year, breakdown), rows in by_figure.items():
        if len({r["value"] for r in rows}) < 2:
            continue
        first, *others = rows
        for other in others:
            if other["value"] == first["value"]:
                continue
            ctx.findings.append(Finding(
                DATASET, "conflicting_sources", f"{indicator} {year} {breakdown}",
                f"{indicator} {year} {breakdown}: {first['source_id']} gives {first['value']}, "
                f"{other['source_id']} gives {other['value']}; both rows are kept, neither dropped nor averaged",
                first["value"], other["value"]))
