"""Counted prevention activities in Świętokrzyskie in 2017 (the voivodeship's annual report)."""

import re

import pandas as pd

from ..checks import compare
from ..table import Context, read_table, unique

RAW = "prevention_swietokrzyskie_2017.csv"
DATASET = "prevention_swietokrzyskie_2017"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the activities; check the survey's published share of women against its counts."""
    t = read_table(ctx, RAW)
    unique(t, "key")
    for r in t.records:
        m = re.search(r"(\d+) osób, w tym (\d+) kobiet \((\d+)%", r["passage"])
        if m:  # 856 respondents, 588 women, published as 69 %
            total, women, pct = map(int, m.groups())
            compare(ctx, DATASET, "survey_share_of_women", r["key"], pct, round(100 * women / total),
                    "published share of women vs 588 / 856")
    df = pd.DataFrame(t.records).drop(columns="_line").replace({"": None})
    return {"prevention_swietokrzyskie_2017": df}
