"""World Bank population of every country and aggregate by year (SP.POP.TOTL), for rates per 100,000 inhabitants."""

import pandas as pd

from ..contract import YEARS
from ..errors import InputError
from ..table import Context, read_table

RAW = "world_population.csv"
DATASET = "world_population"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each country (or aggregate) and year once, a positive population, the code three capital letters."""
    t = read_table(ctx, RAW, key=("iso3", "year"))
    for r in t.records:
        if len(r["iso3"]) != 3 or not r["iso3"].isascii() or not r["iso3"].isupper():
            raise InputError(t.path, "a three-letter World Bank code such as 'POL'", row=r["_line"],
                             column="Country Code", got=r["iso3"])
        if not 1900 <= r["year"] <= YEARS[1]:  # the World Bank's series start in 1960
            raise InputError(t.path, f"a year from 1900 to {YEARS[1]}", row=r["_line"], column="Year",
                             got=str(r["year"]))
        if r["population"] <= 0:
            raise InputError(t.path, "a population above 0", row=r["_line"], column="Value", got=str(r["population"]))
    df = pd.DataFrame(t.records, columns=["iso3", "year", "population", "name"])
    return {DATASET: df.sort_values(["iso3", "year"]).reset_index(drop=True)}
