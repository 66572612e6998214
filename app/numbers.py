"""One rounding rule for every number shown: half away from zero, at the precision it is shown with."""

from __future__ import annotations

import pandas as pd

from app.i18n import fmt_int, fmt_num, rounded, t

# A rate per million built on fewer cases than this is noise (one case more or less moves it by a large
# step): it is marked, and its count is shown beside it. 5 is the usual small-cell threshold of official
# statistics (e.g. Eurostat's and GUS's confidentiality rules start there).
SMALL_COUNT = 5


def shown(x, decimals: int = 0) -> float | None:
    """`x` rounded as it is displayed (None when missing).

    Classes, labels, hover texts and lists all use this value, so a country is never coloured by one
    number and labelled with another; the browser gets the rounded number and formatted text, so
    plotly.js never rounds anything itself (d3's rounding and Python's differ at .5).
    """
    if x is None or pd.isna(x):
        return None
    # app.i18n.rounded is the rule (the formatters use it too): 2.675 rounds to 2.68 as a reader expects.
    return float(rounded(x, decimals))


def in_class(value: float | None, bounds: list[tuple[float, float | None]]) -> int | None:
    """The index of the class [lo, hi) that holds the shown value (None when missing)."""
    if value is None or pd.isna(value):
        return None
    for i, (lo, hi) in enumerate(bounds):
        if value >= lo and (hi is None or value < hi):
            return i
    return None


def small(count) -> bool:
    """True when a rate rests on fewer than SMALL_COUNT cases (but at least one)."""
    return count is not None and not pd.isna(count) and 0 < count < SMALL_COUNT


def label(v, lang: str, decimals: int = 0) -> str:
    """A value as a label or hover shows it: rounded by `shown`; '<1' for a small positive value (it must
    not read as zero); '–' when missing (a grey "no data" shape or a legend says so in words)."""
    if v is None or pd.isna(v):
        return "–"
    if v > 0 and shown(v, decimals) == 0:
        return "<" + fmt_num(10 ** -decimals, lang, decimals)
    return fmt_num(shown(v, decimals), lang, decimals)


def period(first: int, last: int, sep: str = "–") -> str:
    """'2017' for one year, else '2006–2013' (or with `sep`, '2006-2013' for file names)."""
    return str(first) if first == last else f"{first}{sep}{last}"


def published(value, qualifier: str | None, bound, lang: str) -> str:
    """A figure as it was published: the count, '<5' (a suppressed small count) or 'more than 1,000' (a lower
    bound); never a number it is not (0, 4, 5 or 1,000), and 'no data' only where nothing was published."""
    if qualifier == "<":
        return f"<{fmt_int(bound, lang)}"
    if qualifier == ">":
        return t("more_than", lang, n=fmt_int(bound, lang))
    if value is None or pd.isna(value):
        return t("no_data", lang)
    return fmt_int(value, lang)
