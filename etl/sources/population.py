"""Population of the voivodeships at 31 December 2006-2013 (GUS BDL), for per-million rates."""

import pandas as pd

from .. import updates
from ..checks import summary
from ..errors import InputError
from ..table import Context, Finding, read_table

RAW = "population_voivodeship.csv"
JUMP = 0.05  # a year-on-year change this large outside a recorded break is refused
DATASET = "population"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Check every voivodeship x year once, names matching codes, and smooth year-on-year change."""
    t = read_table(ctx, RAW, key=("year", "teryt"))
    for r in t.records:
        if ctx.voivodeships[r["voivodeship"]] != r["teryt"]:
            raise InputError(t.path, f"the name of TERYT {r['teryt']}", row=r["_line"],
                             column="voivodeship", got=r["voivodeship"])
        if r["population"] < 100_000:
            raise InputError(t.path, "a voivodeship population (over 100,000)", row=r["_line"],
                             column="population", got=str(r["population"]))
    df = pd.DataFrame(t.records)[["year", "teryt", "population", "source_id"]].assign(_file=t.path.name)
    df = df.sort_values(["year", "teryt"]).reset_index(drop=True)
    for name in updates.of_dataset(ctx.raw_dir, DATASET):
        u = updates.read(ctx, name)
        rows = updates.long_rows(ctx, DATASET, u).assign(_file=name)
        rows["source_id"] = u.meta.get("source_id")  # the update's provenance is its sidecar
        df = updates.merge(df, rows, ["year", "teryt"])
    years = sorted(df.year.unique())
    n_voiv = len(ctx.voivodeships)
    for y in years:
        if (n := (df.year == y).sum()) != n_voiv:
            raise InputError(t.path if (df[df.year == y]._file == t.path.name).all() else
                             ctx.raw_dir / df[df.year == y]._file.iloc[-1],
                             f"{n_voiv} voivodeships for {y}", column="teryt", got=f"{n}")
    breaks = {(n["first_year"], n["last_year"]) for n in t.meta.get("series_notes") or [] if n["kind"] == "break"}
    wide = df.pivot(index="teryt", columns="year", values="population")
    files = df.set_index(["year", "teryt"])._file
    ok = n = 0
    for a, b in zip(years, years[1:]):
        change = (wide[b] / wide[a] - 1).abs()
        if (a, b) in breaks:
            ctx.findings.append(Finding(DATASET, "series_break", f"{a}-{b}",
                                        f"{a} -> {b}: series break (census rebasing); changes up to "
                                        f"{change.max():.1%} are not real growth", severity="info"))
            continue
        n += n_voiv
        ok += int((change < 0.02).sum())
        for teryt, c in change[change >= JUMP].items():
            # Population does not move 5 % in a year without a recorded break: a typing slip or a wrong unit.
            raise InputError(ctx.raw_dir / files[(b, teryt)], f"a change under {JUMP:.0%} from {a} "
                             f"(or a break recorded in series_notes)", column="population",
                             got=f"{teryt} {b}: {wide.at[teryt, b]:,} after {wide.at[teryt, a]:,} ({c:+.1%})")
        for teryt, c in change[change >= 0.02].items():
            ctx.findings.append(Finding(DATASET, "year_on_year", f"{teryt} {a}-{b}",
                                        f"{teryt}: population changes by {c:.1%} from {a} to {b}",
                                        severity="warning"))
    summary(ctx, DATASET, "year_on_year", ok, n, "year-on-year changes under 2 % outside breaks")
    return {"population": df.drop(columns="_file")}
