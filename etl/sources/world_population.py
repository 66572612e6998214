"""World Bank population of every country and aggregate by year (SP.POP.TOTL), for rates per 100,000 inhabitants."""

import pandas as pd

from ..contract import YEARS
from ..errors import InputError
from ..rawio import load_meta, read_header, read_text, sha256
from ..table import Context, Finding

RAW = "world_population.csv"
DATASET = "world_population"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each country (or aggregate) and year once, a positive population, the code three capital letters; read
    column by column (17,000 rows: the cell-by-cell reader of the small tables takes ten times as long)."""
    path = ctx.raw_dir / RAW
    meta = load_meta(path)
    side = path.with_name(RAW + ".meta.yml")
    digest = sha256(path)
    ctx.inputs += [(RAW, digest, path.stat().st_size), (side.name, sha256(side), side.stat().st_size)]
    ctx.metas[meta["dataset"]] = meta | {"raw_file": RAW, "raw_sha256": digest}
    if meta.get("sha256") != digest:
        ctx.findings.append(Finding(DATASET, "raw_checksum", RAW, f"{RAW} differs from the sha256 recorded in its "
                                    "sidecar; check the new file against the publication and update the sidecar",
                                    meta.get("sha256"), digest, "warning"))
    header = list(meta["columns"])
    if read_header(path, ",") != header:
        raise InputError(path, f"the header {header}", row=1, got=str(read_header(path, ",")))
    import io

    df = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
    df.columns = [meta["columns"][h]["name"] for h in header]
    df.index += 2  # the file's line numbers (the header is line 1)
    _fail(path, df, ~df.iso3.str.fullmatch(r"[A-Z]{3}"), "Country Code", "iso3", "a three-letter World Bank code")
    _fail(path, df, ~df.year.str.fullmatch(r"\d{4}") | ~pd.to_numeric(df.year, errors="coerce").between(
        1900, YEARS[1]), "Year", "year", f"a year from 1900 to {YEARS[1]}")  # the World Bank's series start in 1960
    _fail(path, df, ~df.population.str.fullmatch(r"[1-9]\d*"), "Value", "population", "a population above 0")
    _fail(path, df, df.name.str.strip() == "", "Country Name", "name", "non-empty text")
    _fail(path, df, df.duplicated(["iso3", "year"]), "Year", "year", "each (Country Code, Year) once")
    df = df.astype({"year": int, "population": "int64"})[["iso3", "year", "population", "name"]]
    return {DATASET: df.sort_values(["iso3", "year"]).reset_index(drop=True)}


def _fail(path, df: pd.DataFrame, bad: pd.Series, header: str, column: str, expected: str) -> None:
    if bad.any():
        line = bad[bad].index[0]
        raise InputError(path, expected, row=int(line), column=header, got=str(df.at[line, column]))
