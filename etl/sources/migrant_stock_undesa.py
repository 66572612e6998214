"""UN DESA International Migrant Stock: people born in Poland by destination (the 2020 revision, and updates)."""

import pandas as pd

from .. import updates
from ..checks import compare, summary
from ..errors import InputError
from ..table import Context, read_table

RAW = "poles_abroad_undesa2020.csv"
DATASET = "migrant_stock_born_in_poland"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Split destinations from the world rows and check they add up to the world total."""
    t = read_table(ctx, RAW, key=("year", "iso3"))
    for r in t.records:
        if r["iso3"] is None and not r["country_en"].startswith("World"):
            raise InputError(t.path, "an ISO-3 code (only the World row may have none)",
                             row=r["_line"], column="iso3", got=r["country_en"])
    df = pd.DataFrame(t.records)
    stock = df[df.iso3.notna()][["year", "iso3", "persons", "source_id"]]
    world = df[df.iso3.isna()][["year", "persons", "source_id"]]
    for name in updates.of_dataset(ctx.raw_dir, DATASET):  # a new revision: rows replace those of their key
        rows = updates.long_rows(ctx, DATASET, updates.read(ctx, name))
        stock = updates.merge(stock, rows[rows.iso3 != updates.WORLD], ["year", "iso3"])
        world = updates.merge(world, rows[rows.iso3 == updates.WORLD].drop(columns="iso3"), ["year"])
    ok = 0
    for y in sorted(stock.year.unique()):
        w = world.loc[world.year == y, "persons"]
        ok += compare(ctx, DATASET, "destinations_vs_world", str(y),
                      int(w.iloc[0]) if len(w) else None, int(stock[stock.year == y].persons.sum()),
                      f"{y}: UN world total vs the sum of destinations")
    summary(ctx, DATASET, "destinations_vs_world", ok, stock.year.nunique(),
            "each year's destinations vs the world total")
    return {"migrant_stock_born_in_poland": stock.sort_values(["year", "iso3"]).reset_index(drop=True),
            "migrant_stock_born_in_poland_world": world.sort_values("year").reset_index(drop=True)}
