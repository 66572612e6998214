"""Programme referrals by voivodeship x year, with the publication's total column; updates add years."""

import pandas as pd

from .. import updates
from ..checks import annotations, compare, summary
from ..errors import InputError
from ..table import Context, read_table

RAW = "programme_referrals.tsv"
DATASET = "programme_referrals"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Parse 16 voivodeship rows; check row totals and the year sums against enrolments."""
    t = read_table(ctx, RAW, delimiter="\t", key=("voivodeship",))
    missing = sorted(set(ctx.voivodeships) - {r["voivodeship"] for r in t.records})
    if missing:
        raise InputError(t.path, "one row for each of the 16 voivodeships", column="województwo",
                         got=f"no row for {', '.join(missing)}")
    years = [int(c["name"]) for c in t.meta["columns"].values() if c["name"].isdigit()]
    rows = []
    for r in t.records:
        for y in years:
            rows.append({"year": y, "teryt": ctx.voivodeships[r["voivodeship"]],
                         "referrals": r[str(y)], "note": r.get(f"{y}__note"), "source_id": t.meta["source_id"]})
    df = pd.DataFrame(rows).sort_values(["year", "teryt"]).reset_index(drop=True)
    base_years = years
    for name in updates.of_dataset(ctx.raw_dir, DATASET):
        u = updates.read(ctx, name)
        df = updates.merge(df, updates.long_rows(ctx, DATASET, u), ["year", "teryt"])
        for y, got in df.groupby("year").teryt.apply(set).items():
            if len(got) != len(ctx.voivodeships):
                names = {v: k for k, v in ctx.voivodeships.items()}
                absent = sorted(names[x] for x in set(names) - got)
                raise InputError(u.path, f"a row for every voivodeship in {y}", column="voivodeship",
                                 got=f"no row for {', '.join(absent)}")
    years = sorted(int(y) for y in df.year.unique())

    ok = sum(compare(ctx, DATASET, "referrals_row_total", r["voivodeship"], r["total"],
                     None if any(r[str(y)] is None for y in base_years) else sum(r[str(y)] for y in base_years),
                     f"{r['voivodeship']}: published {base_years[0]}-{base_years[-1]} total vs the sum of its years")
             for r in t.records)
    summary(ctx, DATASET, "referrals_row_total", ok, len(t.records),
            "each voivodeship's 2006-2013 column vs the sum of its years")

    victims = loaded["programme_victims"].set_index("year")["total"]
    ok = 0
    for y in years:
        col = df.loc[df.year == y, "referrals"]
        ok += compare(ctx, DATASET, "referrals_year_vs_enrolments", str(y),
                      None if y not in victims.index or pd.isna(victims[y]) else int(victims[y]),
                      None if col.isna().any() else int(col.sum()),
                      f"{y}: enrolments (programme_victims.total) vs the referrals of all voivodeships")
    summary(ctx, DATASET, "referrals_year_vs_enrolments", ok, len(years),
            "each year's referrals vs that year's enrolments")
    # Over the publication's own years (its published totals); later years are checked one by one above.
    enrolled = victims.reindex(base_years)  # a missing year must not shrink the sum without a word
    counted = df[df.year.isin(base_years)].referrals
    compare(ctx, DATASET, "referrals_total_vs_enrolments", f"{base_years[0]}-{base_years[-1]}",
            None if enrolled.isna().any() else int(enrolled.sum()),
            None if counted.isna().any() else int(counted.sum()),
            f"{base_years[0]}-{base_years[-1]}: all enrolments vs all referrals")
    annotations(ctx, DATASET, t.records, "voivodeship")
    # The publication's own total column, named by its own years (never by the years updates added since).
    published = pd.DataFrame([{"dataset": DATASET, "key": ctx.voivodeships[r["voivodeship"]],
                               "measure": f"{base_years[0]}-{base_years[-1]}", "value": r["total"],
                               "note": r.get("total__note")} for r in t.records])
    return {"programme_referrals": df,
            "published_totals": pd.concat([loaded["published_totals"], published], ignore_index=True)}
