"""The `voivodeships` reference relation (TERYT, names, postal code)."""

import re

import pandas as pd

from ..errors import InputError
from ..contract import CONTRACT
from ..table import Context, read_table, unique

RAW = "voivodeships.csv"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the 16 voivodeships; later tables join on their names and codes."""
    table = read_table(ctx, RAW)
    for rec in table.records:
        if not re.fullmatch(r"(0[2-9]|[12]\d|3[0-2])", rec["teryt"]) or int(rec["teryt"]) % 2:
            raise InputError(table.path, "an even two-digit TERYT code '02'..'32'",
                             row=rec["_line"], column="teryt", got=rec["teryt"])
        rec["name_pl"] = rec["name_pl"].lower()
    for key in ("teryt", "name_pl", "postal"):
        unique(table, key)
    if len(table.records) != 16:
        raise InputError(table.path, "16 voivodeships", got=f"{len(table.records)} rows")
    ctx.voivodeships = {r["name_pl"]: r["teryt"] for r in table.records}
    df = pd.DataFrame(table.records)[CONTRACT["voivodeships"].column_names]
    return {"voivodeships": df.sort_values("teryt").reset_index(drop=True)}
