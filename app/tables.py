"""Small tables as Markdown: chart pages show them without loading the data grid's JavaScript (see bench/)."""

from __future__ import annotations

import re

import pandas as pd

from app.i18n import fmt_num, t
from etl.cells import missing  # noqa: F401 - the one "no data" rule, also for the pages

# Every ASCII punctuation mark may be backslash-escaped in Markdown; escaping them all means a cell can
# never turn into a link, emphasis, HTML, LaTeX ($), a Streamlit directive (:red[...]) or a column break (|).
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_BREAKS = re.compile(r"[ \t\r\n]+")
_NUMBERISH = re.compile(r"^[<\d\s\u00a0\u202f,.%—–+()*-]+$")  # formatted numbers, shares, '<1', '0,2*': right-aligned


def escape(value: object) -> str:
    """Text as literal Markdown on one line."""
    # Only line breaks and tabs are folded: non-breaking spaces keep "2 141,7" on one line.
    return _PUNCT.sub(r"\\\1", _BREAKS.sub(" ", str(value).strip()))


def plain(value: object, default: str = "–") -> str:
    """A database text for Markdown: escaped, or `default` when it is missing (NULL comes back as NaN)."""
    return default if missing(value) or value == "" else escape(value)


def _decimals(col: pd.Series) -> int:
    """0 for whole numbers, else 1 (the dashboard's tables carry at most one decimal)."""
    values = col.dropna()
    return 0 if values.empty or not pd.api.types.is_float_dtype(col) or (values == values.round()).all() else 1


def _cell(value: object, lang: str, decimals: int | None) -> str:
    """A cell's text before escaping; decimals None: a number printed as is (years)."""
    if missing(value):
        return t("no_data", lang)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if decimals is None or isinstance(value, (bool, str)) or not pd.api.types.is_number(value):
        return str(value)
    return fmt_num(float(value), lang, decimals)


def markdown(df: pd.DataFrame, lang: str, plain: tuple[str, ...] = ("year",)) -> str:
    """A GFM table of every cell: numbers in the language's format (the `plain` columns, years, as they are),
    "no data" for missing, text escaped, number columns right-aligned."""
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df.columns]
    decimals = [None if c in plain or not num else _decimals(df[c]) for c, num in zip(df.columns, numeric)]
    body = [[_cell(v, lang, d) for v, d in zip(row, decimals)] for row in df.itertuples(index=False)]
    right = [num or all(_NUMBERISH.match(cells[i]) or cells[i] == t("no_data", lang) for cells in body)
             for i, num in enumerate(numeric)]
    lines = ["| " + " | ".join(escape(c) for c in df.columns) + " |",
             "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(escape(c) for c in cells) + " |" for cells in body]
    return "\n".join(lines)


def sources_line(df: pd.DataFrame, lang: str) -> str:
    """'Source: id' for rows from one source, else each source with its rows' labels (Markdown, escaped)."""
    groups = df.groupby("source_id", sort=True).label.apply(lambda labels: ", ".join(sorted(labels)))
    if len(groups) == 1:
        return f"{t('source', lang)}: {escape(groups.index[0])}"
    return f"{t('sources', lang)}: " + "; ".join(f"{escape(sid)} ({escape(names)})" for sid, names in groups.items())


def records(df: pd.DataFrame, lang: str, quote: str) -> str:
    """Wide rows with a long quoted passage, one block each: the first column in bold, the other fields on one
    line, the `quote` column as a block quote (a table that wide would scroll sideways)."""
    blocks = []
    for row in df.to_dict("records"):
        first, *rest = [c for c in df.columns if c != quote]
        fields = " · ".join(f"{escape(c)}: {escape(_cell(row[c], lang, None))}" for c in rest)
        text = "" if missing(row[quote]) else escape(row[quote])
        blocks.append(f"**{escape(_cell(row[first], lang, None))}** · {fields}" + (f"\n\n> {text}" if text else ""))
    return "\n\n".join(blocks)
