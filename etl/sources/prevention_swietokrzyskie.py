"""Counted prevention activities in Świętokrzyskie in 2017 (the voivodeship's annual report)."""

import re

import pandas as pd

from ..checks import compare
from ..errors import InputError
from ..table import Context, read_table

RAW = "prevention_swietokrzyskie_2017.csv"
DATASET = "prevention_swietokrzyskie_2017"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the activities; check the survey's published share of women against its counts."""
    t = read_table(ctx, RAW, key=("key",))
    for r in t.records:
        m = re.search(r"(\d+) osób, w tym (\d+) kobiet \((\d+)%", r["passage"])
        if m:  # 856 respondents, 588 women, published as 69 %
            total, women, pct = map(int, m.groups())
            compare(ctx, DATASET, "survey_share_of_women", r["key"], pct, round(100 * women / total),
                    "published share of women vs 588 / 856")
    labels = t.meta.get("labels") or {}
    for r in t.records:
        if not {"pl", "en"} <= set(labels.get(r["key"]) or {}):
            raise InputError(t.path.with_name(RAW + ".meta.yml"), f"labels.{r['key']} with pl and en",
                             row=r["_line"], column="key", got=r["key"])
    df = pd.DataFrame(t.records).drop(columns="_line").replace({"": None})
    df["label_pl"] = [labels[k]["pl"] for k in df.key]
    df["label_en"] = [labels[k]["en"] for k in df.key]
    return {"prevention_swietokrzyskie_2017": df}
