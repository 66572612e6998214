"""The contract (etl/contract.py) as pandera schemas: the checks every relation passes before it is written.

Only the build imports this module (pandera takes about a second to import; the app reads etl.contract).
Each relation gets one DataFrameSchema: its columns with the pandas dtype of their DuckDB type, NULLs
refused where the contract says so, the key unique, allowed values, ranges and patterns, `strict` (no
column more or less) and `coerce` (values are converted to the declared type, and a value that cannot be
is a failure). `validate` runs it lazily, so one build reports every failing value at once.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from .cells import missing
from .contract import CONTRACT, Column, Relation

# DuckDB type -> the pandas dtype a column is coerced to (nullable types: a NULL stays NULL). INTEGER is
# Int32 so a value DuckDB's INTEGER cannot hold fails here, with its row, rather than in the INSERT.
PANDAS_TYPES = {
    "VARCHAR": pandas_engine.Engine.dtype(str),
    "INTEGER": pandas_engine.Engine.dtype("Int32"),
    "BIGINT": pandas_engine.Engine.dtype("Int64"),
    "BOOLEAN": pandas_engine.Engine.dtype("boolean"),
    # Dates and times given as text must be ISO 8601 ('2020-12-20'): no guessing of day and month order.
    "DATE": pandas_engine.Date(to_datetime_kwargs={"format": "ISO8601"}),
    "TIMESTAMP": pandas_engine.DateTime(tz="UTC", to_datetime_kwargs={"format": "ISO8601"}),  # naive = UTC
}


def _checks(column: Column, relations: dict[str, pd.DataFrame] | None) -> list[pa.Check]:
    checks = []
    if column.isin is not None:
        checks.append(pa.Check.isin(list(column.isin)))
    if column.range is not None:
        checks.append(pa.Check.in_range(*column.range))
    if column.ge is not None:
        checks.append(pa.Check.ge(column.ge))
    if column.gt is not None:
        checks.append(pa.Check.gt(column.gt))
    if column.pattern is not None:
        checks.append(pa.Check.str_matches(column.pattern))
    if column.references and relations is not None:
        target, target_column = column.references.split(".")
        frame = relations.get(target)
        if frame is not None and target_column in frame:
            allowed = sorted({str(v) for v in frame[target_column] if not missing(v)})
            checks.append(pa.Check.isin(allowed, error=f"isin({column.references})"))
    return checks


def schema(relation: Relation | str, relations: dict[str, pd.DataFrame] | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a relation; with the build's relations, references are checked too."""
    rel = CONTRACT[relation] if isinstance(relation, str) else relation
    rules = [pa.Check(lambda df, expr=expr: df.eval(expr, engine="python"), error=what) for what, expr in rel.rules]
    return pa.DataFrameSchema(
        {c.name: pa.Column(PANDAS_TYPES[c.type], _checks(c, relations), nullable=c.nullable) for c in rel.columns},
        checks=rules, name=rel.name, strict=True, coerce=True, unique=list(rel.key) or None,
        report_duplicates="all")


# The static schemas (without the references, which depend on the build's data).
SCHEMAS: dict[str, pa.DataFrameSchema] = {name: schema(rel) for name, rel in CONTRACT.items()}


def validate(name: str, frame: pd.DataFrame,
             relations: dict[str, pd.DataFrame] | None = None) -> tuple[pd.DataFrame | None, list[str]]:
    """The relation typed as the contract says, or None and one line per failing check and value.

    Rows are numbered from 0 in the frame's order; the row's key is shown where the relation has one.
    """
    frame = frame.reset_index(drop=True)
    try:
        return schema(name, relations).validate(frame, lazy=True), []
    except pa.errors.SchemaErrors as exc:
        return None, failures(name, frame, exc.failure_cases)


def _show(value) -> str:
    value = value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value
    if missing(value):
        return "NULL"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def failures(name: str, frame: pd.DataFrame, cases: pd.DataFrame) -> list[str]:
    """pandera's failure cases as sentences naming relation, column, row and value."""
    rel = CONTRACT[name]
    key = [k for k in rel.key if k in frame]

    def row(i) -> str:
        if not key:
            return f"row {i}"
        return f"row {i} ({', '.join(f'{k}={_show(frame.at[i, k])}' for k in key)})"

    lines, duplicates = [], {}
    coerced = {c for c, chk in zip(cases["column"], cases["check"]) if str(chk).startswith("coerce_dtype")}
    for case in cases.itertuples(index=False):
        column, check, value, index = case.column, str(case.check), case.failure_case, case.index
        if check == "column_in_schema":
            lines.append(f"{name}, column {value!r}: not in the contract (strict)")
        elif check == "column_in_dataframe":
            lines.append(f"{name}, column {value!r}: missing (the contract has it)")
        elif check in ("multiple_fields_uniqueness", "field_uniqueness"):
            if not missing(index):
                duplicates.setdefault(int(index), None)
        elif column in coerced and (check.startswith("dtype(") or (missing(index) and not check.startswith("coerce"))):
            continue  # the coercion failure says it, value by value; checks of the unconverted column add noise
        elif missing(index):
            # A failure of the whole column (pandera could not point at values): find them one by one.
            bad = _uncoercible(frame, column, rel) if check.startswith("coerce_dtype") and column in frame else []
            if bad:
                lines += [f"{name}, column {column!r}, {row(i)}: value {_show(v)} fails {check}" for i, v in bad]
            else:
                lines.append(f"{name}, column {column!r}: fails {check} ({_show(value)})")
        elif column is None or missing(column):  # a rule across columns (Relation.rules)
            lines.append(f"{name}, {row(int(index))}: fails the rule '{check}'")
        else:
            lines.append(f"{name}, column {column!r}, {row(int(index))}: value {_show(value)} fails {check}")
    if duplicates:
        groups: dict[tuple, list[int]] = {}
        for i in duplicates:
            groups.setdefault(tuple(_show(frame.at[i, k]) for k in key), []).append(i)
        for values, rows in groups.items():
            lines.append(f"{name}, column{'s' if len(key) > 1 else ''} ({', '.join(key)}), rows "
                         f"{', '.join(map(str, sorted(rows)))}: value ({', '.join(values)}) is a duplicate key")
    return list(dict.fromkeys(lines))


def _uncoercible(frame: pd.DataFrame, column: str, rel: Relation) -> list[tuple[int, object]]:
    """The rows whose value cannot be converted to the column's type (e.g. 3.5 for an INTEGER)."""
    dtype = PANDAS_TYPES[rel.column(column).type]
    bad = []
    for i, v in frame[column].items():
        if missing(v):
            continue
        try:
            dtype.coerce(pd.Series([v]))
        except Exception:  # noqa: BLE001 - any failure to convert is the finding
            bad.append((i, v))
    return bad
