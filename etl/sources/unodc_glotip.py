"""UNODC's GLOTIP data set as published (every country, the live release) -> relation unodc_glotip, and its checks."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .. import sheet, updates
from ..cells import Published
from ..contract import CONTRACT, YEARS
from ..errors import InputError
from ..rawio import load_meta, sha256
from ..table import Context, Finding

RAW = "unodc_glotip.xlsx"
ALSO = ("unodc_glotip.countries.json",)  # inputs besides the file and its sidecar (the build's checksum covers them)
DATASET = "unodc_glotip"
COLUMNS = CONTRACT[DATASET].column_names
# The cell as it identifies itself: a release may give one such cell twice (the relation keeps both, by `row`).
CELL = ["iso3", "country", "indicator", "dimension", "category", "sex", "age", "year"]
COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")  # '12', '1,538'
BOUND = re.compile(r"<\s*(\d+)")  # '<5': a count UNODC suppresses
EXPECTED_VALUE = "a count such as '12' or '1,538', or '<5' (a suppressed small count)"
DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def live_file(raw_dir: Path) -> tuple[str, dict]:
    """The release the relation holds (relative to the raw folder) and its sidecar: the latest published update
    of the dataset, else the base file. A release replaces the one before; a roll-back brings it back."""
    names = updates.of_dataset(raw_dir, DATASET)
    name = names[-1] if names else RAW
    return name, load_meta(Path(raw_dir) / name)


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the live release, map its country categories, check duplicated cells and breakdowns."""
    base = load_meta(ctx.raw_dir / RAW)
    name, meta = live_file(ctx.raw_dir)
    _record(ctx, RAW, base)
    _record(ctx, ALSO[0], None)
    for earlier in updates.of_dataset(ctx.raw_dir, DATASET):  # every release published, the live one last
        _record(ctx, earlier, load_meta(ctx.raw_dir / earlier))
    df = cached_release(ctx.raw_dir / name, base)
    df["source_id"] = meta.get("source_id")  # which release a national row derives from (not a column here)
    mapping = read_mapping(ctx.raw_dir / ALSO[0])
    df["category_iso3"] = categorise(ctx, df, mapping, base["country_dimensions"])
    _not_codes(ctx, df)
    drawn = drawn_mask(df, base)
    _twice_published(ctx, df, drawn)
    _breakdowns(ctx, df, base["breakdown_sets"], drawn)
    ctx.shared[DATASET] = df  # the national counts derive from it (etl/sources/national_indicators.py)
    return {DATASET: df[COLUMNS]}


def cache_dir() -> Path:
    """Where parsed releases are kept between builds: DASHBOARD_CACHE, else data/.cache (never data/raw)."""
    return Path(os.environ.get("DASHBOARD_CACHE") or Path(__file__).resolve().parents[2] / "data" / ".cache")


def cached_release(path: Path, layout: dict) -> pd.DataFrame:
    """read_release, kept as Parquet under a name made of the file's sha256, the layout and this reader's code, so
    a build whose release did not change skips the 1.5 s parse (a file changed by one byte is read again)."""
    code = b"".join(Path(m.__file__).read_bytes() for m in (sheet, sys.modules[__name__]))
    key = hashlib.sha256(sha256(path).encode() + json.dumps(layout["columns"], sort_keys=True).encode()
                         + str((layout["release_row"], layout["header_row"])).encode() + code).hexdigest()
    kept = cache_dir() / f"unodc_glotip-{key}.parquet"
    if kept.exists():
        try:
            return pd.read_parquet(kept)
        except (OSError, ValueError):
            pass  # a damaged cache file is read again from the release
    df = read_release(path, layout)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(f".{os.getpid()}.partial")
        df.to_parquet(partial, index=False)
        os.replace(partial, kept)  # whole or absent, whichever process writes it
    except OSError:
        pass  # no cache where it cannot be written (a read-only checkout): the next build parses again
    return df


def _record(ctx: Context, name: str, meta: dict | None) -> None:
    """An input of the build: its checksum, and for a data file its sidecar and its row of `datasets`."""
    path = ctx.raw_dir / name
    digest = sha256(path) if path.exists() else ""
    ctx.inputs.append((name, digest, path.stat().st_size if path.exists() else 0))
    if meta is None:
        return
    side = path.with_name(path.name + ".meta.yml")
    ctx.inputs.append((name + ".meta.yml", sha256(side), side.stat().st_size))
    ctx.metas[meta["dataset"]] = meta | {"raw_file": name, "raw_sha256": digest}
    if meta.get("sha256") and meta["sha256"] != digest:
        ctx.findings.append(Finding(meta["dataset"], "raw_checksum", name, f"{name} differs from the sha256 recorded "
                                    "in its sidecar; check the new file against the publication and update the sidecar",
                                    meta["sha256"], digest, "warning"))


def read_release(path: Path, layout: dict) -> pd.DataFrame:
    """Every published cell of a file in UNODC's layout (the base sidecar's `release_row`, `header_row` and
    `columns`), typed: a count, or '<5' kept as a bound; the release date from the title row. InputError names
    the file, row and column of the first cell that is not as the layout says."""
    header, names = list(layout["columns"]), [c["name"] for c in layout["columns"].values()]
    lines, cells = sheet.grid(path, formulas_before=layout["header_row"] - 1)
    title = {int(n): list(cells[i]) for i, n in enumerate(lines[:layout["header_row"] + 1])}
    if layout["release_row"] not in title:
        raise InputError(path, "UNODC's layout: the release date dd/mm/yyyy in the first cell of row "
                         f"{layout['release_row']}", row=layout["release_row"], column="A", got="nothing")
    release = _release_date(path, layout["release_row"], title[layout["release_row"]])
    if layout["header_row"] not in title:
        raise InputError(path, f"UNODC's header in row {layout['header_row']}", row=layout["header_row"], got="nothing")
    _check_header(path, layout["header_row"], title[layout["header_row"]], header)
    body = lines > layout["header_row"]
    lines, cells = lines[body], cells[body]
    if cells.shape[1] < len(header):
        cells = np.hstack([cells, np.full((len(cells), len(header) - cells.shape[1]), "", dtype=object)])
    extra = (cells[:, len(header):] != "").any(axis=1) if cells.shape[1] > len(header) else np.zeros(len(cells), bool)
    if extra.any():
        i = np.flatnonzero(extra)[0]
        j = len(header) + np.flatnonzero(cells[i, len(header):] != "")[0]
        raise InputError(path, f"{len(header)} columns, as the header", row=int(lines[i]),
                         column=sheet.column_letters(j), got=cells[i, j])
    df = pd.DataFrame(cells[:, :len(header)], columns=names).assign(row=lines)
    df = df[(df[names] != "").any(axis=1)][["row", *names]].reset_index(drop=True)
    if df.empty:
        raise InputError(path, "data rows under the header", got="only the header")
    _typed(path, df, dict(zip(names, header)))
    df["release"] = release
    return df


def _release_date(path: Path, line: int, cells: list[str]) -> str:
    m = DATE.fullmatch((cells[0] if cells else "").strip())
    if not m:
        raise InputError(path, "UNODC's layout: two title rows, the second the release date dd/mm/yyyy", row=line,
                         column="A", got=cells[0] if cells else "")
    return f"{m.group(3)}-{m.group(2)}-{m.group(1)}"


def _check_header(path: Path, line: int, cells: list[str], header: list[str]) -> None:
    got = [c.strip() for c in cells]
    for i, name in enumerate(header):
        if i >= len(got) or got[i] != name:
            raise InputError(path, f"UNODC's header: column {sheet.column_letters(i)} '{name}'", row=line,
                             column=sheet.column_letters(i), got=got[i] if i < len(got) else "nothing")
    if len(got) > len(header) and any(got[len(header):]):
        raise InputError(path, f"UNODC's header of {len(header)} columns", row=line,
                         column=sheet.column_letters(len(header)), got=got[len(header)])


def _fail(path: Path, df: pd.DataFrame, bad: pd.Series, column: str, header: str, expected: str) -> None:
    if bad.any():
        i = bad.to_numpy().nonzero()[0][0]
        raise InputError(path, expected, row=int(df.row.iloc[i]),
                         column=f"{sheet.column_letters(list(df.columns).index(column) - 1)} ({header})",
                         got=str(df[column].iloc[i]))


def _typed(path: Path, df: pd.DataFrame, headers: dict[str, str]) -> None:
    """Check every column at once (vectorised: 58,000 rows) and type year and value in place."""
    for c in df.columns[1:]:
        df[c] = df[c].str.strip()
    # Iso3_code, Country, Region and Subregion are kept as published, even empty (Sark has no code; the 2023
    # release has a row 'Aruba/Curacao' in Iso3_code and no country): listed in data_quality, never guessed.
    for c in ("indicator", "dimension", "sex", "age", "unit", "source"):
        _fail(path, df, df[c] == "", c, headers[c], "non-empty text")
    years = pd.to_numeric(df.year.where(df.year.str.fullmatch(r"\d{4}")), errors="coerce")
    _fail(path, df, ~years.between(*YEARS), "year", headers["year"], f"a year from {YEARS[0]} to {YEARS[1]}")
    text = df.value
    count, bound = text.str.fullmatch(COUNT.pattern), text.str.fullmatch(BOUND.pattern)
    _fail(path, df, ~(count | bound), "value", headers["value"], EXPECTED_VALUE)
    df["year"] = years.astype(int)
    df["value_as_published"] = text
    df["value"] = pd.to_numeric(text.where(count).str.replace(",", ""), errors="coerce").astype("Int64")
    df["qualifier"] = text.where(bound).str[0]
    df["bound"] = pd.to_numeric(text.where(bound).str.extract(BOUND.pattern)[0], errors="coerce").astype("Int64")
    for c in ("iso3", "country", "region", "subregion", "category"):
        df[c] = df[c].replace({"": None})


def read_mapping(path: Path) -> dict:
    """The spellings file: countries (spelling -> ISO3), nationals (the reporting country's own), excluded."""
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(path, "a JSON object with countries, nationals and excluded", got=str(exc)[:80]) from None
    for k, v in mapping.get("countries", {}).items():
        if not re.fullmatch(r"[A-Z]{3}", str(v)):
            raise InputError(path, "an ISO 3166-1 alpha-3 code for every spelling under countries", column=k, got=v)
    return mapping


def categorise(ctx: Context, df: pd.DataFrame, mapping: dict, dimensions: list[str]) -> pd.Series:
    """category_iso3 of every cell of a country dimension; every spelling not mapped is a row of data_quality
    (left out by the mapping file: info; unknown to it: a warning; no category at all: a warning)."""
    countries, own = mapping.get("countries", {}), set(mapping.get("nationals", []))
    excluded = mapping.get("excluded", {})
    of_country = df.dimension.isin(dimensions)
    out = df.category.map(countries).where(of_country)
    out = out.where(~(of_country & df.category.isin(own)), df.iso3)
    cells = df[of_country & out.isna()]
    counts = cells.groupby(cells.category.fillna(""), sort=True).size()
    mapped = df[of_country & out.notna()]
    for spelling, n in counts.items():
        if spelling == "":
            detail, severity = f"{n} cells of {' / '.join(dimensions)} have no category: kept, category_iso3 NULL", \
                "warning"
        elif spelling in excluded:
            detail, severity = f"'{spelling}' ({n} cells): left out by {ALSO[0]}: {excluded[spelling]}; kept, " \
                               "category_iso3 NULL", "info"
        else:
            detail, severity = f"'{spelling}' ({n} cells): not in {ALSO[0]}: add it to countries, nationals or " \
                               "excluded; kept, category_iso3 NULL", "warning"
        ctx.findings.append(Finding(DATASET, "unmapped_category", spelling or "(none)", detail, severity=severity))
    ctx.findings.append(Finding(DATASET, "unmapped_category", "all",
                                f"{mapped.category.nunique()} spellings mapped to a country ({len(mapped)} cells), "
                                f"{len(counts)} not ({len(cells)} cells), by {ALSO[0]}", severity="info"))
    return out


def drawn_mask(df: pd.DataFrame, layout: dict) -> pd.Series:
    """The cells the dashboard draws (the sidecar's `drawn` rules, and every cell of the country whose national
    counts derive from the file): their contradictions are warnings, and a release preview lists their revisions."""
    home = (layout.get("national_indicators") or {}).get("iso3")
    mask = df.iso3 == home
    for rule in layout.get("drawn") or []:
        match = pd.Series(True, index=df.index)
        for column, allowed in rule.items():
            match &= df[column].isin(allowed if isinstance(allowed, list) else [allowed])
        mask |= match
    return mask


def _not_codes(ctx: Context, df: pd.DataFrame) -> None:
    """A reporting country without an ISO3 code (or with another text in its place) is kept, and listed."""
    odd = df[~df.iso3.fillna("").str.fullmatch(r"[A-Z]{3}")]
    for (code, country), g in odd.groupby([odd.iso3.fillna(""), odd.country.fillna("")], sort=True):
        ctx.findings.append(Finding(DATASET, "not_a_country_code", code or country or "(none)",
                                    f"Iso3_code '{code}' (country '{country}'): not an ISO 3166-1 alpha-3 code; "
                                    f"{len(g)} cells kept as published, in no comparison of countries",
                                    severity="info"))


def _twice_published(ctx: Context, df: pd.DataFrame, drawn: pd.Series) -> None:
    """A cell the release gives more than once: every row is kept; different values are a row each (a warning
    where the dashboard draws the cell)."""
    key = df[CELL].fillna("")
    dup = df[key.duplicated(keep=False)]
    groups = dup.groupby([dup[c].fillna("") for c in CELL], sort=True)
    differ = 0
    for k, g in groups:
        if g.value_as_published.nunique() > 1:
            differ += 1
            ctx.findings.append(Finding(DATASET, "twice_published", cell_key(dict(zip(CELL, k))),
                                        f"{cell_words(dict(zip(CELL, k)))}: published {len(g)} times, as "
                                        f"{' and '.join(g.value_as_published)} (rows {', '.join(map(str, g.row))}); "
                                        "all kept", severity="warning" if drawn[g.index].any() else "info"))
    ctx.findings.append(Finding(DATASET, "twice_published", "all", f"{groups.ngroups} cells given more than once, "
                                f"{differ} of them with different values", severity="info"))


def cell_key(r: dict) -> str:
    return " ".join(str(r.get(c) or "-") for c in ("iso3", "year", "indicator", "dimension", "category", "sex", "age"))


def cell_words(r: dict) -> str:
    """'Poland, Detected trafficking victims, 2021, Female' (what a cell is, its Total parts left out)."""
    parts = [r.get("country"), r.get("indicator"), str(r.get("year"))]
    parts += [str(r[c]) for c in ("dimension", "category", "sex", "age") if r.get(c) and r.get(c) != "Total"]
    return ", ".join(str(p) for p in parts if p)


def _breakdowns(ctx: Context, df: pd.DataFrame, sets: dict, drawn: pd.Series) -> None:
    """Each breakdown set (the sidecar's breakdown_sets) against its country's total for the indicator and year:
    parts that exceed it contradict the file (a row each, a warning where the dashboard draws the parts; kept as
    published); parts that cover less are partial breakdowns (counted)."""
    once = df[~df[CELL].fillna("").duplicated(keep=False)]
    whole = (once.dimension == "Total") & (once.sex == "Total") & (once.age == "Total")
    totals = once[whole].set_index(["iso3", "indicator", "year"])
    low = once.value.fillna(0)
    for name, rule in sets.items():
        member = pd.Series(True, index=once.index)
        for column, allowed in rule.items():
            member &= once[column].isin(allowed if isinstance(allowed, list) else [allowed])
        parts = once[member].assign(low=low[member], drawn=drawn[once.index][member])
        groups = parts.groupby(["iso3", "indicator", "year"])
        sums = groups.agg(low=("low", "sum"), drawn=("drawn", "any"))
        sums = sums.join(totals[["value", "bound", "value_as_published", "country"]], how="inner")
        t_high = sums.value.fillna(sums.bound - 1)
        over = sums[sums.low > t_high]
        keys = ["iso3", "indicator", "year"]
        shown = parts.merge(over.reset_index()[keys], on=keys).groupby(keys).value_as_published.agg(" + ".join)
        for (iso3, indicator, year), r in over.assign(shown=shown).iterrows():
            ctx.findings.append(Finding(
                DATASET, f"{name}_exceeds_total", f"{iso3} {year} {indicator}",
                f"{r.country}, {indicator}, {year}: total {r.value_as_published} vs by {name}: {r.shown} = "
                f"{int(r.low)} at least; the file contradicts itself: both kept as published, never rescaled",
                r.value_as_published, int(r.low), severity="warning" if r.drawn else "info"))
        ctx.findings.append(Finding(DATASET, f"{name}_exceeds_total", "all",
                                    f"country-indicator-years whose parts by {name} do not exceed the total: "
                                    f"{len(sums) - len(over)} of {len(sums)}", severity="info"))


def national_rows(ctx: Context, loaded: dict[str, pd.DataFrame]) -> list[dict]:
    """The dashboard's country's cells as national counts (the sidecar's `national_indicators`): one record per
    cell in national_indicators' layout, its value as published; a cell given twice is left out (a warning)."""
    df, rule = ctx.shared.get(DATASET), ctx.metas.get(DATASET, {}).get("national_indicators")
    if df is None or not rule:
        return []
    first = rule.get("first_year") or {}
    since = df.indicator.map(lambda i: first.get(i, first.get("default", YEARS[0])))
    home = df[(df.iso3 == rule["iso3"]) & df.indicator.isin(rule["indicators"]) & (df.year >= since)]
    twice = home[CELL].fillna("").duplicated(keep=False)
    for r in home[twice].drop_duplicates(CELL).to_dict("records"):
        ctx.findings.append(Finding(DATASET, "national_left_out", cell_key(r), f"{cell_words(r)}: given more than "
                                    "once with different values: not carried into the national counts",
                                    unknown="warning"))
    names = _country_names(df, loaded.get("countries"))
    out = []
    for r in home[~twice].to_dict("records"):
        breakdown = _breakdown(r, rule, names)
        if breakdown is None:
            continue
        shown = [f"'{r[c]}'" for c in ("category", "sex", "age") if r[c] and r[c] != "Total"]
        out.append({"indicator": rule["indicators"][r["indicator"]], "year": r["year"], "breakdown": breakdown,
                    "value": Published(None if pd.isna(r["value"]) else int(r["value"]), r["qualifier"]
                                       if isinstance(r["qualifier"], str) else None,
                                       None if pd.isna(r["bound"]) else int(r["bound"]), r["value_as_published"]),
                    "source_id": r["source_id"], "also_in": "", "_line": r["row"], "_derived": True,
                    "note": f"UNODC: {r['indicator']}" + (f", {', '.join(shown)}" if shown else "")})
    return out


def _country_names(df: pd.DataFrame, countries: pd.DataFrame | None) -> dict[str, str]:
    """ISO3 -> the English name a breakdown uses: the countries relation's, else UNODC's own name of it."""
    names = dict(df.dropna(subset=["iso3"]).drop_duplicates("iso3")[["iso3", "country"]].to_numpy())
    if countries is not None:
        names.update(dict(zip(countries.iso3, countries.name_en)))
    return names


def _breakdown(r: dict, rule: dict, names: dict[str, str]) -> str | None:
    for b in rule["breakdowns"]:
        if (r["dimension"], r["sex"], r["age"]) != (b["dimension"], b["sex"], b["age"]):
            continue
        if "{country}" in b["breakdown"]:
            code = r["category_iso3"] if isinstance(r["category_iso3"], str) else None
            if code == rule["iso3"] and b.get("own"):
                return b["own"]
            return b["breakdown"].format(country=names.get(code) or r["category"] or "not stated")
        return b["breakdown"].format(category=(r["category"] or "").lower())
    return None
