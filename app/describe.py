"""A figure's text alternative: the numbers it draws (Drawn) as a table and a one- or two-sentence description."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from app.i18n import t
from app.numbers import label

# The description's rules, which a reader can check against the table (and tests/app/test_describe.py checks against
# SQL on the database): the largest and the smallest value of the figure's main series, as the chart labels them,
# with where they are (every place whose value reads the same, at most MAX_NAMED, then "+n"); for a time series, the
# first and the last value with a number and whether it rose, fell or reads the same; the places with no value.
MAX_NAMED = 3


@dataclass(frozen=True)
class Drawn:
    """The numbers of a figure: one row per category (year, voivodeship, country), one column per series. A value is
    a number, None (nothing published: "no data") or a published text kept as it is (e.g. "<5")."""

    category: str
    categories: list[str]
    series: dict[str, list] = field(default_factory=dict)
    decimals: int | dict[str, int] = 0  # per series where they differ (a count beside a rate)
    ordered: bool = True  # the categories are years in order: the description says the trend
    main: str | None = None  # the series the description is about (default: the first)
    # per series, the text the table shows instead of a number where the published cell says more ("808 + 2 × <5":
    # the "<5" years beside the sum); None where the number says it all
    shown: dict[str, list] = field(default_factory=dict)

    def places(self, series: str) -> int:
        """The decimals a series is shown with."""
        return self.decimals.get(series, 0) if isinstance(self.decimals, dict) else self.decimals


def is_number(v) -> bool:
    """True for a value drawn as a number (not missing, not a published text)."""
    return not isinstance(v, str) and v is not None and not pd.isna(v)


def cell(v, lang: str, decimals: int) -> str:
    """A value as the table shows it: as the chart labels round it, "no data" where there is none, a published text
    as it is."""
    if isinstance(v, str):
        return v
    if not is_number(v):
        return t("no_data", lang)
    return label(v, lang, decimals)


def table(d: Drawn, lang: str) -> dict:
    """The figure's numbers as {"columns": [...], "rows": [[...], ...]} of text (JSON, kept in layout.meta)."""
    def shown(name: str, i: int) -> str | None:
        return d.shown[name][i] if name in d.shown else None

    rows = [[str(c), *(shown(name, i) or cell(values[i], lang, d.places(name)) for name, values in d.series.items())]
            for i, c in enumerate(d.categories)]
    return {"columns": [d.category, *d.series], "rows": rows}


def as_frame(meta_table: dict | None) -> pd.DataFrame:
    """A figure's table (layout.meta["table"]) as a DataFrame of text; empty if it has none."""
    if not meta_table:
        return pd.DataFrame()
    return pd.DataFrame(meta_table["rows"], columns=meta_table["columns"])


def _places(names: list[str]) -> str:
    """'2010, 2012' or, for more than MAX_NAMED, 'a, b, c +2'."""
    extra = len(names) - MAX_NAMED
    return ", ".join(names[:MAX_NAMED]) + (f" +{extra}" if extra > 0 else "")


def description(d: Drawn, lang: str) -> str:
    """One or two sentences by the rules of this module's docstring."""
    if not d.series:
        return ""
    name = d.main or next(iter(d.series))
    values, places = d.series[name], d.places(name)
    if all(isinstance(v, str) for v in values):  # texts (statuses, dates): the table says it all
        return ""
    points = [(str(c), v) for c, v in zip(d.categories, values) if is_number(v)]
    gaps = [str(c) for c, v in zip(d.categories, values) if not is_number(v) and not isinstance(v, str)]
    if not points:
        return t("desc_empty", lang, series=name)
    read = lambda v: label(v, lang, places)  # noqa: E731  (as the chart labels it)
    top, low = read(max(v for _, v in points)), read(min(v for _, v in points))
    text = t("desc_extremes", lang, series=name, max=top, max_at=_places([c for c, v in points if read(v) == top]),
             min=low, min_at=_places([c for c, v in points if read(v) == low]))
    if d.ordered and len(points) > 1:
        (first, a), (last, b) = points[0], points[-1]
        key = "desc_same" if read(a) == read(b) else "desc_rose" if b > a else "desc_fell"
        text += " " + t(key, lang, first=first, last=last, a=read(a), b=read(b))
    if gaps:
        text += " " + t("desc_gaps", lang, which=_places(gaps))
    return text
