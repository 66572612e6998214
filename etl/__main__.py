"""`python -m etl [--db PATH]`: build the dashboard database from data/raw/."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .build import build, current_build, db_pointer, is_stale
from .table import RAW_DIR
from .errors import BuildError, InputError


def main(argv: list[str] | None = None) -> int:
    """Run the build and report; exit 2 on bad input, 3 on failed checks."""
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("--db", help="database path (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    parser.add_argument("--raw", default=str(RAW_DIR), help="folder of raw tables (default: data/raw)")
    parser.add_argument("--if-stale", action="store_true",
                        help="build only if there is no build or the raw files or ETL changed")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    args = parser.parse_args(argv)
    pointer = db_pointer(args.db)
    if args.if_stale and not is_stale(pointer, Path(args.raw)):
        print(f"Up to date: {pointer} -> {current_build(pointer).name}")
        return 0
    try:
        result = build(pointer, raw_dir=Path(args.raw))
    except (InputError, BuildError) as exc:
        kept = current_build(pointer)
        print(f"ETL failed: {exc}", file=sys.stderr)
        print(f"The database was not changed ({kept or 'none built yet'}).", file=sys.stderr)
        return 2 if isinstance(exc, InputError) else 3
    counts = Counter(f.severity for f in result.findings)
    if not args.quiet:
        for f in result.findings:
            if f.severity == "warning":
                print(f"warning: {f.dataset} / {f.check_name} [{f.key}]: {f.detail}")
        for name, n in result.rows.items():
            print(f"  {name:36s} {n:6d} rows")
    print(f"Built {result.pointer} -> {result.path.name} in {result.seconds:.2f} s "
          f"({counts['warning']} warnings, {counts['info']} info in data_quality)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
