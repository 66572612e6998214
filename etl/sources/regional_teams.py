"""Regional teams against trafficking: founding dates and activity where the sources state them."""

import re

import pandas as pd

from ..errors import InputError
from ..table import Context, Finding, read_table

RAW = "regional_teams.csv"
DATASET = "regional_teams"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the teams; a stated date must be a real date and 'first' must be the earliest."""
    t = read_table(ctx, RAW, key=("teryt",))
    for r in t.records:
        if ctx.voivodeships[r["voivodeship"]] != r["teryt"]:
            raise InputError(t.path, f"the name of TERYT {r['teryt']}", row=r["_line"], column="voivodeship",
                             got=r["voivodeship"])
        if r["founded"] and not (re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", r["founded"])
                                 and pd.notna(pd.to_datetime(r["founded"], errors="coerce"))):
            raise InputError(t.path, "a date YYYY-MM or YYYY-MM-DD (or empty: not stated)", row=r["_line"],
                             column="founded", got=r["founded"])
    dated = sorted((r["founded"], r["order_published"], r["voivodeship"]) for r in t.records if r["founded"])
    if dated and dated[0][1] not in ("pierwszy", ""):
        ctx.findings.append(Finding(DATASET, "first_is_earliest", dated[0][2],
                                    f"the earliest stated team ({dated[0][2]}) is not the one called the first"))
    df = pd.DataFrame(t.records).drop(columns=["_line", "voivodeship"]).replace({"": None})
    return {"regional_teams": df}
