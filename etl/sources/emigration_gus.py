"""GUS estimates of Polish residents temporarily abroad at 31 December, by destination, 2004-2020."""

import pandas as pd

from .. import updates
from ..checks import summary
from ..errors import InputError
from ..table import Context, Finding, read_table, unique

RAW = "emigration_gus.csv"
DATASET = "emigration_gus"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Split countries from aggregates (total, Europe, EU) and check parts against wholes."""
    t = read_table(ctx, RAW)
    scopes = t.meta["aggregates"]  # country_en label of an aggregate row -> scope
    for r in t.records:
        if r["iso3"] is None:
            if r["country_en"] not in scopes:
                raise InputError(t.path, f"an ISO-3 code, or an aggregate named one of {list(scopes)}",
                                 row=r["_line"], column="iso3", got=r["country_en"])
            r["scope"] = scopes[r["country_en"]]
        elif r["country_en"] in scopes:
            raise InputError(t.path, "an empty iso3 on an aggregate row", row=r["_line"],
                             column="iso3", got=r["iso3"])
    countries = [r for r in t.records if r["iso3"]]
    aggregates = [r for r in t.records if not r["iso3"]]
    for r in t.records:
        r["key"] = r["iso3"] or r["scope"]
    unique(t, "year", "key", column="iso3")
    stock = pd.DataFrame(countries)[["year", "iso3", "emigrants_thousands", "source_id"]]
    totals = pd.DataFrame(aggregates)[["year", "scope", "emigrants_thousands", "source_id"]]
    stock = stock.sort_values(["year", "iso3"]).reset_index(drop=True)
    totals = totals.sort_values(["year", "scope"]).reset_index(drop=True)
    for name in updates.of_dataset(ctx.raw_dir, "emigration_stock"):
        stock = updates.merge(stock, updates.long_rows(ctx, "emigration_stock", updates.read(ctx, name)),
                              ["year", "iso3"])

    # Parts never exceed their whole: listed countries <= Europe <= total, EU <= Europe.
    europe = set(loaded["countries"].query("in_europe").iso3)
    agg = totals.pivot(index="year", columns="scope", values="emigrants_thousands")
    checked = ok = 0
    for year, row in agg.iterrows():
        listed = stock[stock.year == year]
        pairs = [("countries_vs_total", "total", listed.emigrants_thousands.sum()),
                 ("europe_countries_vs_europe", "europe",
                  listed[listed.iso3.isin(europe)].emigrants_thousands.sum()),
                 ("europe_vs_total", "total", row.get("europe")),
                 ("eu_vs_europe", "europe", row.get("eu"))]
        for check, whole, part in pairs:
            if pd.isna(row.get(whole)) or part is None or pd.isna(part):
                continue
            checked += 1
            if part <= row[whole]:
                ok += 1
            else:
                ctx.findings.append(Finding(DATASET, check, str(year),
                                            f"{year}: the parts ({int(part)}) exceed the {whole} "
                                            f"({int(row[whole])})", int(row[whole]), int(part)))
    summary(ctx, DATASET, "parts_within_wholes", ok, checked,
            "listed countries <= Europe <= total and EU <= Europe, per year")
    for year in sorted(set(stock.year) - set(totals[totals.scope == "total"].year)):
        ctx.findings.append(Finding(DATASET, "no_total", str(year),
                                    f"{year}: country figures but no published total", severity="info"))
    counts = stock.groupby("year").size()
    ctx.findings.append(Finding(DATASET, "coverage", "all",
                                "countries with a published figure per year: "
                                + ", ".join(f"{y}: {n}" for y, n in counts.items())
                                + "; other destinations are 'no data'", severity="info"))
    return {"emigration_stock": stock, "emigration_totals": totals}
