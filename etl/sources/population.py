"""Population of the voivodeships at 31 December 2006-2013 (GUS BDL), for per-million rates."""

import pandas as pd

from ..checks import summary
from ..errors import InputError
from ..table import Context, Finding, read_table, unique

RAW = "population_voivodeship.csv"
DATASET = "population"


def load(ctx: Context, loaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Check every voivodeship x year once, names matching codes, and smooth year-on-year change."""
    t = read_table(ctx, RAW)
    unique(t, "year", "teryt")
    for r in t.records:
        if ctx.voivodeships[r["voivodeship"]] != r["teryt"]:
            raise InputError(t.path, f"the name of TERYT {r['teryt']}", row=r["_line"],
                             column="voivodeship", got=r["voivodeship"])
        if r["population"] < 100_000:
            raise InputError(t.path, "a voivodeship population (over 100,000)", row=r["_line"],
                             column="population", got=str(r["population"]))
    df = pd.DataFrame(t.records)[["year", "teryt", "population", "source_id"]]
    df = df.sort_values(["year", "teryt"]).reset_index(drop=True)
    years = sorted(df.year.unique())
    for y in years:
        if (n := (df.year == y).sum()) != 16:
            raise InputError(t.path, f"16 voivodeships for {y}", column="teryt", got=f"{n}")
    breaks = {(n["first_year"], n["last_year"]) for n in t.meta.get("series_notes") or [] if n["kind"] == "break"}
    wide = df.pivot(index="teryt", columns="year", values="population")
    ok = n = 0
    for a, b in zip(years, years[1:]):
        change = (wide[b] / wide[a] - 1).abs()
        if (a, b) in breaks:
            ctx.findings.append(Finding(DATASET, "series_break", f"{a}-{b}",
                                        f"{a} -> {b}: series break (census rebasing); changes up to "
                                        f"{change.max():.1%} are not real growth", severity="info"))
            continue
        n += 16
        ok += int((change < 0.02).sum())
        for teryt, c in change[change >= 0.02].items():
            ctx.findings.append(Finding(DATASET, "year_on_year", f"{teryt} {a}-{b}",
                                        f"{teryt}: population changes by {c:.1%} from {a} to {b}",
                                        severity="warning"))
    summary(ctx, DATASET, "year_on_year", ok, n, "year-on-year changes under 2 % outside breaks")
    return {"population": df}
