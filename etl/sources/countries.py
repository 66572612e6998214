"""The `countries` reference relation (ISO-3, Polish and English names, on the Europe map)."""

import pandas as pd

from ..contract import CONTRACT
from ..table import Context, read_table

RAW = "countries.csv"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the destination countries; emigration rows must name one of them."""
    table = read_table(ctx, RAW, key=("iso3",))
    ctx.countries = {r["iso3"] for r in table.records}
    df = pd.DataFrame(table.records)[CONTRACT["countries"].column_names]
    return {"countries": df.sort_values("iso3").reset_index(drop=True)}
