"""Paths shared by the tests."""

import hashlib
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RAW = ROOT / "data" / "raw"


def in_ci() -> bool:
    """True when the CI environment variable is set (`bash .ci/run` and most CI services set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_shared(*paths: Path) -> None:
    """Stop a test that compares against files of ../shared when one of them is missing.

    In CI a missing fixture fails the test: a silent skip there would turn a check into nothing. Outside
    CI (a checkout without ../shared beside it) the test is skipped with the reason, which pytest's -ra
    summary prints.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if not missing:
        return
    reason = f"not found: {', '.join(missing)} (the test compares against ../shared beside this repository)"
    if in_ci():
        pytest.fail(f"{reason}; CI={os.environ['CI']}: in CI a missing fixture fails instead of skipping",
                    pytrace=False)
    pytest.skip(reason)


def require_program(found: str | None, what: str, install: str) -> None:
    """Stop a test that needs a system program (nginx for `make serve`) when `found` (its path) is None.

    As `require_shared`: in CI the missing program fails the test (`bash .ci/run` installs it), elsewhere the
    test is skipped with the reason and the command that installs it.
    """
    if found:
        return
    reason = f"{what} is not installed: {install}"
    if in_ci():
        pytest.fail(f"{reason}; CI={os.environ['CI']}: in CI a missing program fails instead of skipping",
                    pytrace=False)
    pytest.skip(reason)


def markdown_table(text: str) -> list[dict[str, str]]:
    """The rows of the first GFM table in a Markdown text (app.tables output), unescaped, as dicts."""
    import re

    lines = [line for line in text.splitlines() if line.startswith("|")]
    split = lambda line: [re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    header = split(lines[0])
    return [dict(zip(header, split(line))) for line in lines[2:]]


def built_copy(tmp: Path, change=None) -> tuple[Path, Path]:
    """A copy of data/raw in `tmp/raw` (changed by `change(raw)` if given) and a good build of it at
    `tmp/db/dashboard.duckdb`; returns (raw folder, database pointer). data/raw itself is only read."""
    from etl.build import build  # the ETL is imported by the tests that need a build, not by every test

    raw = tmp / "raw"
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("withdrawn", ".pending"))
    if change is not None:
        change(raw)
    pointer = tmp / "db" / "dashboard.duckdb"
    build(pointer, raw_dir=raw)
    return raw, pointer


def snapshot(pointer: Path) -> tuple[str, str]:
    """What a refused input or an unpublished preview must not change: where the database pointer points and
    the bytes of that file."""
    return os.readlink(pointer), hashlib.sha256(pointer.resolve().read_bytes()).hexdigest()


def committed_updates() -> set[str]:
    """The file names in data/raw/updates/ (updates published and committed with the project)."""
    folder = RAW / "updates"
    return {p.name for p in folder.iterdir() if p.is_file()} if folder.exists() else set()


def numbered(offset: int, name: str) -> str:
    """The name a test's publish gets: the number after the committed updates' (NEXT + offset), e.g. '0005-x.csv'."""
    from etl.preview import next_sequence

    return f"{next_sequence(RAW) + offset:04d}-{name}"
