"""National counts after 2013 (KCIK, identification, proceedings, UNODC): long format, one published figure a row.

Two relations: national_indicators (the file as published, with its updates) and indicators (what each indicator
counts, from the sidecar and `indicators` updates). A value is kept as published: a count, or a bound ('<5', a
suppressed small count; '>1000', more than a thousand) that is never made a number. Checks: a set of parts
(types of exploitation, citizenships, female + male, Polish + foreign, minors + adults) never exceeds its total
(a set that covers less is noted with how much it covers); every source_id and also_in id is in sources; two
sources giving different values for one figure keep both rows and are a warning naming both, as are two
indicators declared the same measure (indicators.same_as) whose counts differ in a year.
"""

from collections import defaultdict

import pandas as pd

from .. import updates
from ..checks import summary
from ..contract import CONTRACT
from ..errors import InputError
from ..table import Context, Finding, Table, read_table, unique
from . import unodc_glotip

RAW = "national_indicators.csv"
DATASET = "national_indicators"
COLUMNS = CONTRACT[DATASET].column_names
KEY = list(CONTRACT[DATASET].key)
# What describes an indicator: every column of `indicators` an update or the sidecar gives (not its position).
DESCRIPTION = tuple(c for c in CONTRACT["indicators"].update_columns().values() if c != "indicator")
REQUIRED = tuple(c.name for c in CONTRACT["indicators"].columns if c.name in DESCRIPTION and not c.nullable)
# The sets of parts a total breaks down into: (check name, what it is called, which breakdowns belong to it).
SETS = (("exploitation_sum", "exploitation types", lambda b: b.startswith("exploitation=")),
        ("citizenship_sum", "citizenships", lambda b: b.startswith("citizenship=") or b == "polish"),
        ("sex_sum", "female + male", lambda b: b in ("female", "male")),
        ("nationality_sum", "Polish + foreign nationals", lambda b: b in ("polish", "foreign")),
        ("age_sum", "minors + adults", lambda b: b in ("minors", "adults")))
PAIRS = {"sex_sum", "nationality_sum", "age_sum"}  # one half alone (minors without adults) is a breakdown, not a set


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the figures and their updates and the indicator descriptions; check the sums, record conflicts."""
    t = read_table(ctx, RAW, key=tuple(KEY))
    described = _described(t)
    for name in updates.of_dataset(ctx.raw_dir, "indicators"):
        u = updates.read(ctx, name)
        rows = updates.long_rows(ctx, "indicators", u)
        described.update({r["indicator"]: {k: r.get(k) for k in DESCRIPTION} for r in rows.to_dict("records")})
    records = {tuple(r[k] for k in KEY): (t, r) for r in t.records}
    for name in updates.of_dataset(ctx.raw_dir, DATASET):
        u = updates.read(ctx, name)
        unique(u, *KEY)
        records.update({tuple(r[k] for k in KEY): (u, r) for r in u.records})  # a row with the same key replaces
    # Poland's UNODC series, derived from UNODC's whole file as published (never typed a second time)
    whole = Table(ctx.raw_dir / unodc_glotip.RAW, {}, [])
    derived = _consistent(ctx, unodc_glotip.national_rows(ctx, loaded))
    records.update({tuple(r[k] for k in KEY): (whole, r) for r in derived})
    for table, r in records.values():
        _check_row(ctx, table, r, described)
    rows = [_row(r) for _, r in records.values()]
    _sums(ctx, rows)
    _conflicts(ctx, rows)
    _disagreements(ctx, rows, described)
    df = pd.DataFrame(rows, columns=COLUMNS).sort_values(KEY).reset_index(drop=True)
    # position: the order of the sidecar's list, then of each update's rows (dicts keep insertion order)
    indicators = pd.DataFrame([{"indicator": k, **{c: d.get(c) for c in DESCRIPTION}, "position": i}
                               for i, (k, d) in enumerate(described.items(), 1)],
                              columns=["indicator", *DESCRIPTION, "position"])
    return {"national_indicators": df, "indicators": indicators.replace({"": None})}


def _row(r: dict) -> dict:
    """A record as a row of the relation: the published value split into count, qualifier, bound and text."""
    p = r["value"]
    return {"indicator": r["indicator"], "year": r["year"], "breakdown": r["breakdown"], "value": p.value,
            "source_id": r["source_id"], "note": r["note"] or None, "also_in": r["also_in"] or None,
            "qualifier": p.qualifier, "bound": p.bound, "value_as_published": p.text}


def _check_row(ctx: Context, table, r: dict, described: dict) -> None:
    """Every also_in id is a source; every indicator is described (in the sidecar or an `indicators` update)."""
    for sid in (r["also_in"] or "").split():
        if sid not in ctx.source_ids:
            raise InputError(table.path, "source_ids listed in sources.csv (or added by a sources update), "
                             "separated by spaces", row=r["_line"], column="also_in", got=sid)
    if r["indicator"] not in described:
        raise InputError(table.path, f"an indicator described under 'indicators' in {RAW}.meta.yml or by an "
                         "`indicators` update", row=r["_line"], column="indicator", got=r["indicator"])


def _described(t) -> dict[str, dict]:
    """The sidecar's `indicators`: what each counts, in both languages; every field but population required."""
    side = t.path.with_name(t.path.name + ".meta.yml")
    out = {}
    for name, d in (t.meta.get("indicators") or {}).items():
        d = d or {}
        for k in REQUIRED:
            if not d.get(k):
                raise InputError(side, f"indicators.{name}.{k}: a non-empty text", column=k, got=str(d.get(k)))
        out[name] = {k: d.get(k) for k in DESCRIPTION}
    return out


def _consistent(ctx: Context, derived: list[dict]) -> list[dict]:
    """The derived cells less every set of parts that exceeds its total (the file contradicting itself: such cells
    stay in unodc_glotip as published, flagged there and here, and are not drawn as a breakdown of the total)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in derived:
        groups[(r["indicator"], r["year"])].append(r)
    dropped = set()
    for (indicator, year), members in groups.items():
        totals = [_row(r) for r in members if r["breakdown"] == "total"]
        for check, what, belongs in SETS:
            parts = [r for r in members if belongs(r["breakdown"])]
            if not parts or not totals:
                continue
            low = sum(_range(_row(r))[0] for r in parts)
            if low > _range(totals[0])[1]:
                dropped |= {id(r) for r in parts}
                ctx.findings.append(Finding(
                    unodc_glotip.DATASET, "national_left_out", f"{indicator} {year} {check}",
                    f"{indicator} {year}: the {what} ({' + '.join(r['value'].text for r in parts)} = {low} at least) "
                    f"exceed the total {totals[0]['value_as_published']} in UNODC's file: kept there as published, "
                    "not carried into the national counts", totals[0]["value_as_published"], low, unknown="warning"))
    return [r for r in derived if id(r) not in dropped]


def _range(row: dict) -> tuple[int, float]:
    """The counts a published value allows: (n, n) for a count, (0, 4) for '<5', (1001, inf) for '>1000'."""
    if row["qualifier"] == "<":
        return 0, row["bound"] - 1
    if row["qualifier"] == ">":
        return row["bound"] + 1, float("inf")
    return row["value"], row["value"]


def _sums(ctx: Context, rows: list[dict]) -> None:
    """Each year's sets of parts against the total they break down: more than the total is refused (unless the
    sidecar records it as published so); a set covering less is noted (partial breakdowns are common)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["indicator"], r["year"])].append(r)
    passed = {check: [0, 0] for check, *_ in SETS}
    for (indicator, year), members in groups.items():
        totals = [r for r in members if r["breakdown"] == "total"]
        for check, what, belongs in SETS:
            parts = [r for r in members if belongs(r["breakdown"])]
            if not parts:
                continue
            key = f"{indicator} {year}"
            cited = {r["source_id"] for r in parts}
            # Several totals (conflicting sources): compare with those whose sources state the parts too.
            against = [r for r in totals if cited & {r["source_id"], *(r["also_in"] or "").split()}] or totals
            low = sum(_range(r)[0] for r in parts)
            high = sum(_range(r)[1] for r in parts)
            shown = " + ".join(r["value_as_published"] for r in parts)
            bounded = any(r["qualifier"] for r in parts)
            whole = check not in PAIRS or len(parts) == 2  # one half of a pair is checked only for excess
            for total in against:
                passed[check][1] += 1
                t_low, t_high = _range(total)
                where = f"{key}: total ({total['source_id']}) {total['value_as_published']} vs {what}"
                if low > t_high:
                    ctx.findings.append(Finding(DATASET, check, key, f"{where}: the parts exceed the total: "
                                                f"{shown} = {low}" + (" at least" if bounded else ""),
                                                _number(total), low))
                    continue
                passed[check][0] += 1
                if whole and high < t_low:
                    ctx.findings.append(Finding(
                        DATASET, check, key, f"{where}: the parts cover {low}" + (f"-{high:g}" if bounded else "")
                        + f" of {total['value_as_published']}; the rest is not broken down this way",
                        severity="info"))
                elif whole and not low == high == t_low == t_high:
                    ctx.findings.append(Finding(
                        DATASET, check, key, f"{where}: consistent, but the sum is a range ({low}-{high:g}): it "
                        "holds a value published as a bound", severity="info"))
    for check, what, _ in SETS:
        if passed[check][1]:
            summary(ctx, DATASET, check, *passed[check], f"indicator-years whose {what} do not exceed the total")


def _conflicts(ctx: Context, rows: list[dict]) -> None:
    """One figure given different values by different sources: both rows stay, a warning names both sources
    (the sidecar's known_discrepancies may explain it)."""
    by_figure: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        by_figure[(r["indicator"], r["year"], r["breakdown"])].append(r)
    for (indicator, year, breakdown), group in by_figure.items():
        group = sorted(group, key=lambda r: r["source_id"], reverse=True)
        first, *others = group
        for other in others:
            if other["value_as_published"] == first["value_as_published"]:
                continue
            ctx.findings.append(Finding(
                DATASET, "conflicting_sources", f"{indicator} {year} {breakdown}",
                f"{indicator} {year} {breakdown}: {first['source_id']} gives {first['value_as_published']}, "
                f"{other['source_id']} gives {other['value_as_published']}; both rows are kept, neither dropped "
                "nor averaged", _number(first), _number(other), unknown="warning"))


def _disagreements(ctx: Context, rows: list[dict], described: dict) -> None:
    """An indicator that reads as the same measure as another source's (its `same_as`): each year and breakdown in
    which both give a count and the counts differ is a warning naming both (both rows are kept)."""
    counts = defaultdict(list)
    for r in rows:
        if r["value"] is not None:
            counts[(r["indicator"], r["year"], r["breakdown"])].append(r)
    for (indicator, year, breakdown), group in sorted(counts.items()):
        other = described.get(indicator, {}).get("same_as")
        for a in group:
            for b in counts.get((other, year, breakdown), []) if other else []:
                if a["value"] != b["value"]:
                    ctx.findings.append(Finding(
                        DATASET, "same_measure_disagrees", f"{indicator} {year} {breakdown}",
                        f"{indicator} ({a['source_id']}) gives {a['value']} for {year}, {other} ({b['source_id']}) "
                        f"gives {b['value']}: read as the same measure (indicators.same_as), the sources disagree; "
                        "both rows are kept", b["value"], a["value"], unknown="warning"))


def _number(row: dict):
    return row["value"] if row["value"] is not None else row["value_as_published"]
