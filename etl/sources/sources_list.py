"""The `sources` relation: one row per source_id (data/raw/sources.csv)."""

import pandas as pd

from ..table import Context, read_table, unique

RAW = "sources.csv"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the source list; every later source_id must be in it."""
    table = read_table(ctx, RAW)
    unique(table, "source_id")
    ctx.source_ids = {r["source_id"] for r in table.records}
    df = pd.DataFrame(table.records).drop(columns="_line")
    df = df.replace({"": None})
    return {"sources": df[["source_id", "title", "publisher", "published", "url", "licence",
                           "caveats", "figures"]]}
