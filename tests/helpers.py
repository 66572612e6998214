"""Paths shared by the tests."""

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RAW = ROOT / "data" / "raw"


def in_ci() -> bool:
    """True when the CI environment variable is set (`bash .ci/run` and most CI services set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str, what: str = "dependency") -> None:
    """Stop a test that cannot run here: in CI it fails (a silent skip there would turn a check into nothing;
    `bash .ci/run` installs every program and exports CI=true), elsewhere it is skipped with the reason, which
    pytest's -ra summary prints."""
    if in_ci():
        pytest.fail(f"{reason}; CI={os.environ['CI']}: in CI a missing {what} fails instead of skipping", pytrace=False)
    pytest.skip(reason)


def require_shared(*paths: Path) -> None:
    """Stop a test that compares against files of ../shared when one of them is missing (`unavailable`: fails in
    CI, skips elsewhere, e.g. a checkout without ../shared beside it)."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        unavailable(f"not found: {', '.join(missing)} (the test compares against ../shared beside this repository)",
                    "fixture")


def require_program(found: str | None, what: str, install: str) -> None:
    """Stop a test that needs a system program (nginx for `make serve`) when `found` (its path) is None
    (`unavailable`: fails in CI, skips elsewhere with the command that installs it)."""
    if not found:
        unavailable(f"{what} is not installed: {install}", "program")


def require_export_browser() -> None:
    """Stop a test that renders a figure with kaleido (PNG, SVG, PDF) when app.export finds no Chromium
    (`unavailable`: fails in CI, skips elsewhere with the install advice)."""
    from app import export

    try:
        export.check_browser()
    except export.ExportUnavailable as exc:
        unavailable(str(exc), "browser")


def markdown_table(text: str) -> list[dict[str, str]]:
    """The rows of the first GFM table in a Markdown text (app.tables output), unescaped, as dicts."""
    import re

    lines = [line for line in text.splitlines() if line.startswith("|")]
    split = lambda line: [re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    header = split(lines[0])
    return [dict(zip(header, split(line))) for line in lines[2:]]


def html_table(body: str) -> list[dict[str, str]]:
    """The rows of the table in an HTML text (app/markup.py's, as the pages draw their tables), as dicts of the
    cells' texts as shown."""
    from lxml import html as lhtml

    table = lhtml.fromstring(body).xpath("//table")[0]
    header = [th.text_content().strip() for th in table.xpath(".//thead//th")]
    return [dict(zip(header, (td.text_content().strip() for td in tr.xpath("./td"))))
            for tr in table.xpath(".//tbody/tr")]


def html_tables(at) -> list[list[dict[str, str]]]:
    """Every table a page (or a block of it) draws as HTML, in order, as html_table reads each."""
    return [html_table(h.value) for h in at.get("html") if "<table" in h.value]


def disclosures(at) -> dict[str, str]:
    """Every disclosure a page draws as HTML (app/markup.py's <details>: a figure's table, a dataset's provenance):
    its summary as shown -> its HTML, in order."""
    from lxml import html as lhtml

    found = {}
    for h in at.get("html"):
        for el in lhtml.fragments_fromstring(h.value) if "<details" in h.value else []:
            found[el.find("summary").text_content()] = lhtml.tostring(el, encoding="unicode")
    return found


_TEMPLATES: dict[int, Path] = {}  # per process: each xdist worker makes its own


def template() -> Path:
    """This process's template, made by the first test that needs it and only read after: `raw/`, a copy of data/raw,
    and `db/`, a good build of it (the pointer `dashboard.duckdb`, the build file in `dashboard.builds/`)."""
    from etl.build import build  # the ETL is imported by the tests that need a build, not by every test

    if os.getpid() not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="dashboard-template-"))
        atexit.register(shutil.rmtree, folder, True)
        shutil.copytree(RAW, folder / "raw", ignore=shutil.ignore_patterns("withdrawn", ".pending"))
        build(folder / "db" / "dashboard.duckdb", raw_dir=folder / "raw")
        _TEMPLATES[os.getpid()] = folder
    return _TEMPLATES[os.getpid()]


def reset_to_template(raw: Path, pointer: Path) -> None:
    """Put a served copy back as it started: the template's raw folder (no update, nothing withdrawn), its first build,
    no change log. Under the write lock, as a publish changes things."""
    from etl import store

    with store.writer(pointer):
        shutil.rmtree(raw)
        shutil.copytree(template() / "raw", raw)
        store.ledger_path(pointer).unlink(missing_ok=True)
        first = (template() / "db" / "dashboard.duckdb").resolve()
        again = store.builds_dir(pointer) / first.name
        if not again.exists():  # pruned
            shutil.copy2(first, again)
        store.swap(pointer, again)


def built_copy(tmp: Path, change=None) -> tuple[Path, Path]:
    """A copy of data/raw in `tmp/raw` (changed by `change(raw)` if given) and a good build of it at
    `tmp/db/dashboard.duckdb`; returns (raw folder, database pointer). data/raw itself is only read.

    Unchanged, both are copied from this process's `template`: the same raw files and the same ETL make the same
    database, so a private, writable one costs a copy, not a build (the build itself is tested by the tests that
    call etl.build.build). Changed, the copy is built."""
    from etl.build import build

    raw, pointer = tmp / "raw", tmp / "db" / "dashboard.duckdb"
    if change is None:
        shutil.copytree(template() / "raw", raw)
        shutil.copytree(template() / "db", pointer.parent, symlinks=True, ignore=shutil.ignore_patterns("*.lock"))
        return raw, pointer
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("withdrawn", ".pending"))
    change(raw)
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
