"""The documentation's commands: every fenced shell block of the Markdown files (README.md, docs/, deploy/, bench/,
geo/, ...) is either run here, in a scratch copy of the checkout, or listed in NOT_RUN with the reason and the test
that covers it. A block in neither table fails; so does an entry whose block is gone. Relative links must resolve.

`python -m tests.test_docs` prints every block and how it is treated."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.docblocks import commands, shell_blocks
from tests.helpers import ROOT, SHARED, require_shared

BLOCK_TIMEOUT_S = 120


@dataclass(frozen=True)
class Run:
    """A block this test runs: `expect` is text its output must contain (what the documentation says it prints),
    `needs` files beside the repository it reads."""
    expect: tuple[str, ...] = ()
    needs: tuple[Path, ...] = ()


# Blocks run here, keyed by (file, first command line without its comment or trailing backslash).
RUN: dict[tuple[str, str], Run] = {
    ("README.md", "Y=tests/fixtures/synthetic_year"): Run(expect=(
        "programme_victims (programme_victims): 1 rows added, 0 cells changed, 0 rows removed",
        "checks: 0 failing, ",
        "Dry run: nothing was changed.",
        "Published updates/",
        "rolled back updates/",
    )),
    ("docs/data-and-sources.md", ".venv/bin/python -m etl update national_indicators "
                                 "../shared/data/updates/national_indicators_2023.csv"): Run(
        expect=("national_indicators (national_indicators): 0 rows added, 0 cells changed",),
        needs=(SHARED / "data" / "updates" / "national_indicators_2023.csv",
               SHARED / "data" / "updates" / "national_indicators_2023.provenance.yml")),
    ("docs/development.md", ".venv/bin/pybabel update -i app/locale/messages.pot -d app/locale "
                            "--no-fuzzy-matching --width 116"): Run(
        expect=("(100%) translated in app/locale/pl/LC_MESSAGES/messages.po", "writing PO template file")),
}

# Blocks not run here, with the reason and what covers them instead. The `make` targets and variables and the
# `python` modules, scripts and options they name are still checked (test_unrun_block_names_real_commands).
NOT_RUN: dict[tuple[str, str], str] = {
    ("README.md", "make run"):
        "`make run` serves until it is stopped; the browser tests start the same `streamlit run dashboard.py` "
        "(tests/e2e/harness.py). `make test` runs this whole suite, this test included.",
    ("docs/data-and-sources.md", "printf 'update_password = \"choose-a-long-one\"\\nupdate_operator = \"Your Name\"\\n' "
                                 "> .streamlit/secrets.toml"):
        "writes a password into the checkout's .streamlit/secrets.toml, and `make run` serves until it is stopped; "
        "the Update page with a password and DASHBOARD_UPDATES=1 is run end to end by tests/e2e/test_update_flow.py "
        "and under AppTest by tests/app/test_update_page.py.",
    ("deploy/README.md", "sudo apt-get install nginx supervisor"):
        "installs system packages as root, and `make serve` serves on fixed ports until it is stopped; "
        "tests/e2e/test_replicas.py runs deploy.serve (supervisord, 3 replicas, nginx) on free ports and "
        "tests/deploy/test_serve.py checks what it renders and refuses.",
    ("deploy/README.md", "supervisorctl -c .serve/supervisord.conf status"):
        "needs `make serve` running in this checkout; tests/e2e/test_replicas.py runs supervisord with the "
        "replicas and nginx, kills a replica and checks that it is restarted.",
    ("deploy/README.md", "sudo cp deploy/systemd/* /etc/systemd/system/"):
        "installs units into /etc as root and needs a running systemd; "
        "tests/deploy/test_serve.py::test_systemd_units_pass_systemd_analyze_verify verifies the units.",
    ("README.md", ".venv/bin/python -m etl update unodc_glotip data_glotip.xlsx --dry-run"):
        "`data_glotip.xlsx` is the next release an analyst downloads, not a file of this project; the same two "
        "commands publish the 2023 release into a copy and back in "
        "tests/etl/test_unodc_glotip.py::test_a_release_replaces_the_live_one_and_the_preview_names_its_revisions.",
    ("deploy/README.md", "make bake"):
        "three bakes of both languages (13-36 s each here), the second into /srv/www; the `baked` fixture of "
        "tests/conftest.py runs `python -m app.bake --out DIR --lang all` for tests/bake/test_bake.py.",
    ("bench/README.md", ". .venv/bin/activate"):
        "the benchmark takes 7-30 minutes in Chromium; tests/test_bench.py::test_the_benchmark_runs runs "
        "`python -m bench.run --smoke` and `python -m bench.viewer --smoke`; tests/app/test_profile.py profiles a page "
        "run with bench.profile.",
    ("geo/README.md", "python geo/build.py"):
        "rewrites geo/*.geojson, `--out /tmp/x` writes outside the checkout and `--fetch` needs npm and the "
        "registry; tests/geo/test_geo.py::test_rebuild_is_byte_identical runs geo/build.py --out into a "
        "temporary folder.",
}


# --- reading the Markdown ------------------------------------------------------------------------------------

BLOCKS = shell_blocks()


def block_id(key: tuple[str, str]) -> str:
    file, command = key
    return f"{file}: {command[:50]}"


# --- every block is run or has a reason ---------------------------------------------------------------------

def report() -> str:
    """Every shell block and how this test treats it."""
    lines = []
    for b in BLOCKS:
        if b.key in RUN:
            how = "run here"
        elif b.key in NOT_RUN:
            how = "not run: " + NOT_RUN[b.key]
        else:
            how = "NEITHER RUN NOR GIVEN A REASON"
        lines.append(f"{b.file}:{b.line} `{b.key[1]}`\n    {how}")
    return "\n".join(lines)


def test_every_shell_block_is_run_or_has_a_reason():
    print(report())
    keys = [b.key for b in BLOCKS]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    assert not twice, f"two blocks of one file start with the same command, so a key cannot tell them apart: {twice}"
    both = sorted(set(RUN) & set(NOT_RUN))
    assert not both, f"in RUN and in NOT_RUN: {both}"
    missing = [f"{b.file}:{b.line} `{b.key[1]}`" for b in BLOCKS if b.key not in RUN and b.key not in NOT_RUN]
    assert not missing, ("shell blocks neither run by tests/test_docs.py nor listed with a reason; add each to RUN "
                         "(it runs in a scratch copy) or to NOT_RUN (with why and what covers it):\n  "
                         + "\n  ".join(missing))


def test_every_entry_names_a_block_that_exists():
    keys = {b.key for b in BLOCKS}
    stale = [k for k in [*RUN, *NOT_RUN] if k not in keys]
    assert not stale, ("entries of tests/test_docs.py whose block is gone (moved, removed or its first command "
                       f"changed); update or remove them: {stale}")


PATH_IN_REASON = re.compile(r"(?<![\w/.])((?:tests|\.ci|deploy|bench|app|etl|geo|docs)/[\w./-]*\w)(?:::(\w+))?")


@pytest.mark.parametrize("key", sorted(NOT_RUN), ids=block_id)
def test_every_reason_names_what_covers_the_block_and_it_exists(key):
    reason = NOT_RUN[key]
    named = PATH_IN_REASON.findall(reason)
    assert named, f"{block_id(key)}: the reason names no test or file that covers the block: {reason!r}"
    for path, name in named:
        assert (ROOT / path).exists(), f"{block_id(key)}: the reason names {path}, which does not exist"
        if name:
            assert re.search(rf"^def {name}\(", (ROOT / path).read_text(), re.M), \
                f"{block_id(key)}: the reason names {path}::{name}, which is not a test there"


# --- the blocks not run: still only real commands ------------------------------------------------------------

@cache
def makefile_targets() -> set[str]:
    return set(re.findall(r"^([\w-]+)\s*:(?!=)", (ROOT / "Makefile").read_text(), re.M))


@cache
def help_text(program: tuple[str, ...]) -> str:
    proc = subprocess.run([sys.executable, *program, "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=BLOCK_TIMEOUT_S, env=scratch_free_env())
    assert proc.returncode == 0, f"`python {' '.join(program)} --help` failed:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


def check_command(words: list[str]) -> list[str]:
    """What is wrong with one command: a make target or variable the Makefile lacks, a python module or script
    that does not exist, an option its --help does not list."""
    while words and re.match(r"^[A-Za-z_]\w*=", words[0]):
        words = words[1:]
    if words and words[0] == "sudo":
        words = words[1:]
    if not words:
        return []
    program, args = Path(words[0]).name, words[1:]
    problems = []
    if program == "make":
        makefile = (ROOT / "Makefile").read_text()
        for arg in args:
            if m := re.match(r"^([A-Za-z_]\w*)=", arg):
                if not re.search(rf"\$\({m.group(1)}\)|^{m.group(1)}\s*[?:]?=", makefile, re.M):
                    problems.append(f"`make ... {arg}`: the Makefile has no variable {m.group(1)}")
            elif not arg.startswith("-") and arg not in makefile_targets():
                problems.append(f"`make {arg}`: the Makefile has no target {arg}")
    elif re.fullmatch(r"python3?(\.\d+)?", program):
        if args[:1] == ["-m"]:
            program_args, rest = ("-m", args[1]), args[2:]
            if not (ROOT / args[1].replace(".", "/")).with_suffix(".py").exists() \
                    and not (ROOT / args[1].replace(".", "/") / "__main__.py").exists():
                return [f"`python -m {args[1]}`: no such module in the checkout"]
        else:
            program_args, rest = (args[0],), args[1:]
            if not (ROOT / args[0]).exists():
                return [f"`python {args[0]}`: no such file in the checkout"]
        options = [a.split("=")[0] for a in (rest[:rest.index("--")] if "--" in rest else rest) if a.startswith("--")]
        if options:
            listed = help_text(program_args)
            sub = next((a for a in rest if not a.startswith("-")), None)
            for option in options:
                if not re.search(rf"{re.escape(option)}\b", listed):
                    if sub is None or not re.search(rf"{re.escape(option)}\b", help_text((*program_args, sub))):
                        problems.append(f"`python {' '.join(program_args)}`: its --help lists no {option}")
    return problems


@pytest.mark.parametrize("key", sorted(NOT_RUN), ids=block_id)
def test_unrun_block_names_real_commands(key):
    """A block not run is still parsed by bash, and the make targets, python modules and options it names exist."""
    block = next((b for b in BLOCKS if b.key == key), None)
    assert block is not None, f"{block_id(key)}: no such block"
    proc = subprocess.run(["bash", "-n"], input=block.text, capture_output=True, text=True)
    assert proc.returncode == 0, f"{block.file}:{block.line}: bash cannot parse the block: {proc.stderr}"
    problems = [p for words in commands(block.text) for p in check_command(words)]
    assert not problems, f"{block.file}:{block.line}:\n  " + "\n  ".join(problems)


# --- the blocks run ------------------------------------------------------------------------------------------

def ignored(folder: str, names: list[str]) -> set[str]:
    """What a scratch copy leaves out: the environment, caches, builds and git-ignored output."""
    rel = Path(folder).resolve().relative_to(ROOT.resolve()).as_posix()
    skip = {n for n in names if n in {".git", ".venv", "__pycache__", ".pytest_cache", "node_modules"}}
    if rel == ".":
        skip |= {n for n in names if n in {".serve", "site", "out"}}
    if rel == "bench":
        skip |= {"results"} & set(names)
    if rel == "data":
        skip |= {n for n in names if n.endswith((".builds", ".duckdb", ".lock", ".journal", ".pending", ".abandoned", ".logins.json"))
                 or re.fullmatch(r"\..*\.link", n)}
    if rel == "data/raw/updates":
        skip |= {"withdrawn", ".pending"} & set(names)
    if rel == ".streamlit":
        skip |= {"secrets.toml"} & set(names)
    return skip


def scratch_free_env() -> dict[str, str]:
    """The environment without this session's settings for the dashboard (DASHBOARD_DB and the like)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("DASHBOARD_", "ETL_FAULT"))}


def fingerprint() -> dict[str, str]:
    """What a block must not change in the real checkout: data/ (raw tables, updates, change log, database link)
    and the translation catalogues."""
    seen = {}
    for base in (ROOT / "data", ROOT / "app" / "locale"):
        for path in sorted(base.rglob("*")):
            if any(part.endswith((".builds", ".pending")) for part in path.relative_to(base).parts):
                continue  # the builds the link names (large; a new one would show as a changed link)
            if path.is_symlink():
                seen[str(path)] = "-> " + os.readlink(path)
            elif path.is_file():
                seen[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


@pytest.mark.parametrize("key", sorted(RUN), ids=block_id)
def test_block_runs(key, tmp_path):
    """The block as written, `bash -euo pipefail`, in a scratch copy of the checkout with a fresh build of its own
    data/raw (DASHBOARD_DB and DASHBOARD_RAW point into the copy) and the venv's bin first on PATH; ../shared is
    beside the copy."""
    block = next((b for b in BLOCKS if b.key == key), None)
    assert block is not None, f"{block_id(key)}: no such block"
    run = RUN[key]
    require_shared(*run.needs)
    repo = tmp_path / ROOT.name
    shutil.copytree(ROOT, repo, ignore=ignored, symlinks=True)
    (repo / ".venv").symlink_to((ROOT / ".venv").resolve())
    if SHARED.exists():
        (tmp_path / "shared").symlink_to(SHARED.resolve())
    from etl.build import build

    pointer = repo / "data" / "dashboard.duckdb"
    build(pointer, raw_dir=repo / "data" / "raw")
    env = {**scratch_free_env(), "DASHBOARD_DB": str(pointer), "DASHBOARD_RAW": str(repo / "data" / "raw"),
           "PATH": f"{repo / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    before = fingerprint()
    script = tmp_path / "block.sh"
    script.write_text(block.text, encoding="utf-8")
    proc = subprocess.run(["bash", "-euo", "pipefail", str(script)], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=BLOCK_TIMEOUT_S)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{block.file}:{block.line}: exit {proc.returncode}\n{output[-4000:]}"
    for text in run.expect:
        assert text in output, f"{block.file}:{block.line}: the output lacks {text!r}\n{output[-4000:]}"
    assert fingerprint() == before, f"{block.file}:{block.line}: the block changed the real checkout"




if __name__ == "__main__":
    print(report())
