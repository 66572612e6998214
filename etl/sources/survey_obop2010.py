"""TNS OBOP survey of February 2010: four shares quoted in the MSW presentation."""

import pandas as pd

from ..errors import InputError
from ..table import Context, read_table

RAW = "survey_obop2010.csv"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the shares; each is a percentage of respondents."""
    t = read_table(ctx, RAW, key=("key",))
    for r in t.records:
        if not 0 <= r["share_pct"] <= 100:
            raise InputError(t.path, "a percentage 0-100", row=r["_line"], column="share_pct",
                             got=str(r["share_pct"]))
    return {"survey_obop2010": pd.DataFrame(t.records).drop(columns="_line")}
