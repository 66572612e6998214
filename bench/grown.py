"""The grown data set: INVENTED Programme years and population added to a copy of data/raw until the series
cover 20 years, through the real `python -m etl update` command, one publication per year.

    python -m bench.grown DIR [--years 20]     # build it in DIR and print what was done (to look at it)

Nothing here is data: every figure after the real years is made up, deterministically (a fixed seed), from the
real years' pattern, so that the benchmark can ask how the dashboard copes when the series are 2.5 times as
long. The files say so in their names (`*_INVENTED.csv`), their provenance (`INVENTED` in the title, which the
update command copies into each update's sidecar and the `sources` relation) and a README in the folder. No
note column is filled in: a note per row would put an asterisk and a footnote per year on the Victims chart,
which is not what a longer series looks like. data/raw/ is only ever read (copied).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.contract import CONTRACT
from tests.helpers import ROOT

SEED = 13  # issue 13
YEARS = 20  # the length of the grown Programme series
GROUPS = list(CONTRACT["programme_victims"].parts)
PROVENANCE = """\
# INVENTED: provenance of the benchmark's grown data set (bench/grown.py). Not a publication.
title: "INVENTED benchmark figures (bench/grown.py), not a publication"
publisher: "The dashboard's benchmark"
date: "2026"
url: null
licence: "invented for the benchmark, no data"
caveats:
  - "INVENTED: made up from the real years' pattern with a fixed seed; never publish."
"""
README = """\
INVENTED figures, made by bench/grown.py (seed {seed}) for the benchmark's grown run: years {first}-{last}
of the Programme tables and the voivodeship population, derived from the real years {real}. Not data, never
to be copied into data/raw/.
"""


@dataclass
class Grown:
    """A grown raw folder and its build, and what making them took."""

    raw: Path
    db: Path
    inputs: Path
    years: list[int]
    added: list[int]
    update_s: list[float] = field(default_factory=list)  # wall time of each `python -m etl update` call

    def year_files(self, year: int) -> list[tuple[str, Path]]:
        """The DATASET FILE pairs of one invented year."""
        return [(d, self.inputs / f"{d}_{year}_INVENTED.csv")
                for d in ("programme_victims", "programme_referrals", "population")]


def _real(db: Path) -> tuple[list[dict], dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """The real build's victims rows, referrals and population by year and voivodeship."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        victims = con.execute("SELECT * FROM programme_victims ORDER BY year").df().to_dict("records")
        refs, pop = {}, {}
        for y, t, v in con.execute("SELECT year, teryt, referrals FROM programme_referrals").fetchall():
            refs.setdefault(int(y), {})[t] = int(v or 0)
        for y, t, v in con.execute("SELECT year, teryt, population FROM population").fetchall():
            pop.setdefault(int(y), {})[t] = int(v)
    finally:
        con.close()
    return victims, refs, pop


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` in whole numbers that add up to it (largest remainder)."""
    s = sum(weights)
    if total == 0 or s == 0:
        return [total] + [0] * (len(weights) - 1)
    exact = [total * w / s for w in weights]
    out = [int(e) for e in exact]
    for i in sorted(range(len(weights)), key=lambda i: exact[i] - out[i], reverse=True)[:total - sum(out)]:
        out[i] += 1
    return out


def invent(db: Path, out: Path, first: int, last: int, seed: int = SEED) -> list[int]:
    """Write one victims, referrals and population CSV (long layouts) per year first..last into `out`.

    Each year repeats a real year's pattern in turn (year k after the real ones borrows real year k mod n),
    with mild growth and noise: enrolments = the borrowed year's x (1 + 4 % a year) x U(0.85, 1.15), split into
    the groups by the borrowed year's shares (adding up to the total, as the checks require); referrals = the
    enrolments drawn one by one over the voivodeships by their real shares of all referrals (so each year's
    referrals add up to its enrolments); population = the year before x (1 + the voivodeship's mean yearly change
    since the last recorded break + U(-0.2 %, 0.2 %)), well under the 2 % that makes a data-quality finding.
    """
    victims, refs, pop = _real(db)
    rng = random.Random(seed)
    real_years = [int(v["year"]) for v in victims]
    teryts = sorted(pop[max(pop)])
    shares = [sum(refs[y].get(t, 0) for y in refs) + 0.5 for t in teryts]  # + 0.5: no voivodeship never drawn
    after = [y for y in sorted(pop) if y >= 2010]  # past the 2009/2010 census break, the trend is real
    trend = {t: ((pop[after[-1]][t] / pop[after[0]][t]) ** (1 / max(1, len(after) - 1)) - 1) for t in teryts}
    last_pop = dict(pop[max(pop)])
    out.mkdir(parents=True, exist_ok=True)
    (out / "README_INVENTED.txt").write_text(README.format(seed=seed, first=first, last=last,
                                                          real=f"{real_years[0]}-{real_years[-1]}"))
    (out / "provenance_INVENTED.yml").write_text(PROVENANCE)
    years = list(range(first, last + 1))
    for y in years:
        k = y - real_years[-1] - 1
        base = victims[k % len(victims)]
        total = max(5, round(int(base["total"]) * (1 + 0.04 * (k + 1)) * rng.uniform(0.85, 1.15)))
        groups = _split(total, [float(base[g] or 0) for g in GROUPS])
        (out / f"programme_victims_{y}_INVENTED.csv").write_text(
            "year,total," + ",".join(GROUPS) + "\n" + f"{y},{total}," + ",".join(map(str, groups)) + "\n")
        drawn = dict.fromkeys(teryts, 0)
        for t in rng.choices(teryts, weights=shares, k=total):
            drawn[t] += 1
        (out / f"programme_referrals_{y}_INVENTED.csv").write_text(
            "year,voivodeship,referrals\n" + "".join(f"{y},{t},{drawn[t]}\n" for t in teryts))
        if y > max(pop):
            last_pop = {t: round(last_pop[t] * (1 + trend[t] + rng.uniform(-0.002, 0.002))) for t in teryts}
            (out / f"population_{y}_INVENTED.csv").write_text(
                "year,teryt,population\n" + "".join(f"{y},{t},{last_pop[t]}\n" for t in teryts))
    return years


def etl_update(pairs: list[tuple[str, Path]], db: Path, raw: Path, meta: Path, dry_run: bool = False,
               check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """`python -m etl update DATASET FILE ... --meta META --db DB --raw RAW [--dry-run]`: wall seconds, process."""
    if Path(raw).resolve() == (ROOT / "data" / "raw").resolve():
        raise ValueError("the grown data set never goes into data/raw")
    cmd = [sys.executable, "-m", "etl", "update", *[str(x) for pair in pairs for x in pair], "--meta", str(meta),
           "--db", str(db), "--raw", str(raw), "--by", "bench (INVENTED data)"] + (["--dry-run"] if dry_run else [])
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return seconds, proc


def grow(tmp: Path, years: int = YEARS, raw_dir: Path | None = None, yearly: bool = False) -> Grown:
    """Copy data/raw into tmp/raw, build it, then publish invented years through `python -m etl update` until
    the Programme series cover `years` years; also write the year after (for a dry run) without publishing it.

    The years go in as a ministry would publish them, one file per dataset and year (victims, referrals,
    population of 2014, then of 2015, ...: 36 update files and sidecars for 12 years). By default they are
    published in one call with all the DATASET FILE pairs (one staged build, a few seconds); with `yearly`,
    one call per year with its three pairs (twelve builds, the same raw folder but for the change log and
    the times in the sidecars; a couple of minutes on a busy machine, so the benchmark does not).
    """
    raw_dir = raw_dir or ROOT / "data" / "raw"
    raw, db, inputs = tmp / "raw", tmp / "db" / "dashboard.duckdb", tmp / "inputs"
    shutil.copytree(raw_dir, raw, ignore=shutil.ignore_patterns("withdrawn", ".pending"))
    subprocess.run([sys.executable, "-m", "etl", "--db", str(db), "--raw", str(raw), "--quiet"], cwd=ROOT,
                   check=True, capture_output=True)
    con = duckdb.connect(str(db), read_only=True)
    first, last = con.execute("SELECT min(year), max(year) FROM programme_victims").fetchone()
    con.close()
    target_last = int(first) + years - 1
    added = invent(db, inputs, int(last) + 1, target_last + 1)[:-1]  # the last one is for the dry run
    grown = Grown(raw, db, inputs, list(range(int(first), target_last + 1)), added)
    meta = inputs / "provenance_INVENTED.yml"
    for batch in [[y] for y in added] if yearly else [added]:
        seconds, _ = etl_update([pair for y in batch for pair in grown.year_files(y)], db, raw, meta)
        grown.update_s.append(seconds)
    return grown


def dry_run_inprocess(grown: Grown, year: int) -> float:
    """What `etl update --dry-run` does after its imports (stage, diff, report), timed in this process."""
    from etl import preview
    from etl.build import db_pointer

    import yaml

    start = time.perf_counter()
    meta = yaml.safe_load((grown.inputs / "provenance_INVENTED.yml").read_text())
    pointer = db_pointer(grown.db)
    with preview.stage(grown.year_files(year), meta, raw_dir=grown.raw) as staged:
        preview.diff(staged, pointer)
        preview.report(staged, preview.live_findings(pointer))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Build the grown data set in a folder, to look at it."""
    parser = argparse.ArgumentParser(prog="python -m bench.grown", description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="an empty or new folder (never data/raw)")
    parser.add_argument("--years", type=int, default=YEARS)
    parser.add_argument("--yearly", action="store_true", help="one `etl update` call per year (slower)")
    args = parser.parse_args(argv)
    if args.dir.resolve().is_relative_to((ROOT / "data").resolve()):
        parser.error("the grown data set never goes under data/")
    args.dir.mkdir(parents=True, exist_ok=True)
    g = grow(args.dir, args.years, yearly=args.yearly)
    print(f"{g.raw}: years {g.years[0]}-{g.years[-1]}, INVENTED {g.added[0]}-{g.added[-1]} "
          f"({len(g.update_s)} `etl update` call(s), {sum(g.update_s):.1f} s); build {g.db}; "
          f"dry-run year {g.added[-1] + 1} in {g.inputs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
