"""`python -m etl [--db PATH]`: build the dashboard database from data/raw/.

`python -m etl update DATASET FILE [DATASET FILE ...]` adds published figures (checked, previewed with
--dry-run, recorded) and prints the publish's id; `python -m etl rollback --publish-id ID` withdraws that publish and
`rollback --undo --publish-id ID` brings it back. The change log names the account that ran the command.
Every command first finishes or undoes a publish or roll-back that was interrupted (etl/store.py). The raw folder
is data/raw, or DASHBOARD_RAW for every command (and the app) alike. See README, "Adding a new year".
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

from . import recovery, store
from .build import build, current_build, db_pointer, is_stale
from .errors import BuildError, InputError
from .table import raw_dir

EXIT_INPUT, EXIT_CHECKS, EXIT_MOVED = 2, 3, 4  # 4: the live state moved since what the command named


def main(argv: list[str] | None = None) -> int:
    """Dispatch: a full build (the default), `update` or `rollback`."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["recover"]:
        return recover(argv[1:])
    if argv[:1] == ["update"]:
        return update(argv[1:])
    if argv[:1] == ["rollback"]:
        return rollback(argv[1:])
    return full_build(argv)


def full_build(argv: list[str]) -> int:
    """Run the build and report; exit 2 on bad input, 3 on failed checks."""
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database path (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    _raw_option(parser)
    parser.add_argument("--if-stale", action="store_true",
                        help="build only if there is no build or the raw files or ETL changed")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")
    args = parser.parse_args(argv)
    pointer = db_pointer(args.db)
    _recover(pointer)
    if args.if_stale and not is_stale(pointer, Path(args.raw)):
        print(f"Up to date: {pointer} -> {current_build(pointer).name}")
        return 0
    try:
        result = build(pointer, raw_dir=Path(args.raw))
    except (InputError, BuildError) as exc:
        return _failed(exc, pointer)
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


def _raw_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", default=str(raw_dir()),
                        help="folder of raw tables (default: $DASHBOARD_RAW or data/raw; the app and every command "
                             "must use the same one, or a rebuild drops the updates published to the other)")


def _recover(pointer: Path) -> None:
    """Finish or undo a publish or roll-back a killed process left (under the write lock; said on stderr). A journal
    that cannot be applied is said as a warning: what changes the database then refuses, what only reads goes on."""
    trouble = recovery.run(pointer)
    if trouble:
        print(f"warning: {trouble}", file=sys.stderr)


def recover(argv: list[str]) -> int:
    """`python -m etl recover`: only the start-up recovery (what every command does first); with --abandon, a
    journal that cannot be applied is set aside (its files kept, the change log says so)."""
    parser = argparse.ArgumentParser(prog="python -m etl recover", description=recover.__doc__)
    parser.add_argument("--db", help="database path (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    parser.add_argument("--abandon", action="store_true",
                        help="set aside a journal that cannot be applied; readers keep the build they serve")
    parser.add_argument("--by", default=None, help=argparse.SUPPRESS)  # before sign-in: free text, now ignored
    args = parser.parse_args(argv)
    pointer = db_pointer(args.db)
    try:
        if args.abandon:
            print(f"{pointer}: {recovery.abandon(pointer, by=_author(args))}")
            return 0
        with store.writer(pointer):  # says on stderr what it finished or undid
            pass
    except (InputError, BuildError) as exc:
        return _failed(exc, pointer)
    print(f"{pointer}: no publish or roll-back is left half-done")
    return 0


def _failed(exc: Exception, pointer: Path) -> int:
    from .publish import StaleError

    kept = current_build(pointer)
    print(f"ETL failed: {exc}", file=sys.stderr)
    print(f"The database was not changed ({kept or 'none built yet'}).", file=sys.stderr)
    return EXIT_INPUT if isinstance(exc, InputError) else EXIT_MOVED if isinstance(exc, StaleError) else EXIT_CHECKS


def _by_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", default=None, help=argparse.SUPPRESS)  # before sign-in: free text, now ignored


def _author(args: argparse.Namespace):
    """Who the change log names: the account that runs the command (etl/authors.py); a --by text is not recorded."""
    from .authors import shell_account

    author = shell_account()
    if args.by is not None:
        print(f"note: --by is no longer recorded; the change log names the account that runs the command: {author} "
              f"({author.signed_in})", file=sys.stderr)
    return author


def update(argv: list[str]) -> int:
    """Stage DATASET FILE pairs, show the changes and checks; publish them as one build unless --dry-run."""
    from . import preview, publish, updates

    parser = argparse.ArgumentParser(
        prog="python -m etl update", description="Add published figures to the database: checked, previewed "
        "with --dry-run, published as one build and recorded. Datasets and their long layouts (CSV, UTF-8, "
        "header row): " + "; ".join(f"{d}: {','.join(c)}" for d, c in updates.LONG.items())
        + ". The Programme tables also take the ministry's layout (TSV as in data/raw/, or XLSX). A whole published "
        "file in its publisher's layout replaces the live release: " + ", ".join(updates.WHOLE) + " (XLSX).")
    parser.add_argument("pairs", nargs="+", metavar="DATASET FILE", help="a dataset name and a file, repeated")
    parser.add_argument("--dry-run", action="store_true", help="show what would change and the checks; change nothing")
    parser.add_argument("--db", help="database path (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    _raw_option(parser)
    parser.add_argument("--meta", help="a YAML file with the provenance fields (title, publisher, published, url, "
                                       "licence; optional title_en, caveats, read_in)")
    parser.add_argument("--source-title", help="the publication's title")
    parser.add_argument("--publisher", help="who published the figures")
    parser.add_argument("--published", help="when (date or year of the publication)")
    parser.add_argument("--url", help="where it can be read")
    parser.add_argument("--licence", help="the terms of reuse")
    _by_option(parser)
    args = parser.parse_args(argv)
    pointer = db_pointer(args.db)
    author = _author(args)
    if len(args.pairs) % 2:
        parser.error("expected DATASET FILE pairs")
    pairs = [(args.pairs[i], Path(args.pairs[i + 1])) for i in range(0, len(args.pairs), 2)]
    meta = {}
    raw = Path(args.raw)
    _recover(pointer)
    try:
        if args.meta:
            meta = yaml.safe_load(Path(args.meta).read_text(encoding="utf-8")) or {}
            if not isinstance(meta, dict):
                raise InputError(args.meta, "a YAML mapping of provenance fields")
        given = {"title": args.source_title, "publisher": args.publisher, "date": args.published, "url": args.url,
                 "licence": args.licence}
        meta = {**meta, **{k: v for k, v in given.items() if v}}
        if args.dry_run:  # changes nothing, so it asks for no provenance and takes no lock
            with preview.stage(pairs, meta, by=str(author), raw_dir=raw, require_provenance=False,
                               pointer=pointer) as staged:
                preview.diff(staged, pointer)
                print(preview.report(staged, preview.live_findings(pointer)))
                if staged.errors:
                    print("Would not publish: a check fails.", file=sys.stderr)
                    return EXIT_CHECKS
                print("Dry run: nothing was changed. Without --dry-run this would be published as one build"
                      + (f" (once the provenance is given: {', '.join(staged.missing_provenance)})."
                         if staged.missing_provenance else "."))
                return 0
        # One transaction from reading the live build and choosing the update's number to the change-log row:
        # two analysts publishing at once take turns, and each publish is staged against what is live.
        with store.writer(pointer, wait_message="Waiting for another publish or build of this database...",
                          raw_dir=raw):
            with preview.stage(pairs, meta, by=str(author), raw_dir=raw, pointer=pointer) as staged:
                preview.diff(staged, pointer)
                print(preview.report(staged, preview.live_findings(pointer)))
                if staged.errors:
                    print("Not published: a check fails.", file=sys.stderr)
                    return EXIT_CHECKS
                result = publish.publish(staged, pointer, by=author, raw_dir=raw)
    except (InputError, BuildError) as exc:
        return _failed(exc, pointer)
    print(f"Published {', '.join(n for _, n in staged.names)}: {pointer} -> {result.path.name}, by {author}")
    print(f"publish id: {publish.publish_id_of(result.path.name)}")
    return 0


def rollback(argv: list[str]) -> int:
    """Withdraw the publish named by --publish-id (the id `update` printed, the change log's publish_id): its files
    move to updates/withdrawn/ and the database points at a build without them; --undo brings a publish rolled back
    again. Refused, naming who changed it, if that publish is no longer live (or, with --undo, no longer rolled
    back). Without --publish-id nothing changes: it names the publish it would act on."""
    from . import publish, store

    parser = argparse.ArgumentParser(prog="python -m etl rollback", description=rollback.__doc__)
    parser.add_argument("--db", help="database path (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    _raw_option(parser)
    parser.add_argument("--undo", action="store_true", help="undo the roll-back of that publish (live again)")
    parser.add_argument("--publish-id", "--publish", dest="publish_id", metavar="ID",
                        help="the publish to act on: its id, as `update` printed it and the change log records it "
                             "(--publish is the same option's earlier name)")
    _by_option(parser)
    args = parser.parse_args(argv)
    pointer = db_pointer(args.db)
    author = _author(args)
    try:
        if not args.publish_id:
            ledger = store.read_ledger(pointer)
            state = publish._active(ledger)
            wanted = ("rollback",) if args.undo else ("publish", "restore")
            latest = [pid for pid, s in state.items() if s in wanted][-1:]
            shown = publish.describe_changes(publish.changes_since(ledger[ledger.publish_id == latest[0]], "")[-1:]) \
                if latest else ""
            raise InputError("--publish-id", "the id of the publish to " + ("bring back" if args.undo else "roll back")
                             + (f"; the latest {'rolled back' if args.undo else 'live'} one is {latest[0]}, from "
                                f"{shown}: `python -m etl rollback{' --undo' if args.undo else ''} --publish-id "
                                f"{latest[0]}`" if latest else ""), got="none given")
        act = publish.restore if args.undo else publish.rollback
        print(act(pointer, by=author, raw_dir=Path(args.raw), publish_id=args.publish_id))
    except (InputError, BuildError) as exc:
        return _failed(exc, pointer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
