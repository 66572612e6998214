"""The documentation's commands: every fenced shell block of the Markdown files (README.md, docs/, deploy/, bench/,
geo/, ...) is either run here, in a scratch copy of the checkout, or listed in NOT_RUN with the reason and the test
that covers it. A block in neither table fails; so does an entry whose block is gone. Relative links must resolve.

`python -m tests.test_docs` prints every block and how it is treated."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.helpers import ROOT, SHARED, require_shared

SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
# Folders that hold no documentation of this project (or are not part of the checkout).
SKIP_DIRS = {".git", ".venv", "node_modules", ".pytest_cache", "__pycache__", ".serve", "site", "out", "results"}
BLOCK_TIMEOUT_S = 120


@dataclass(frozen=True)
class Block:
    file: str  # relative to the repository's root, with forward slashes
    line: int  # of the opening fence
    language: str
    text: str  # the commands, as a shell script (a console block's prompts removed)

    @property
    def key(self) -> tuple[str, str]:
        return self.file, first_command(self.text)


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
        "checks: 0 failing, 9 warnings",
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
    ("docs/data-and-sources.md", "printf 'update_password = \"choose-a-long-one\"\\n' > .streamlit/secrets.toml"):
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
    ("deploy/README.md", "make bake"):
        "three bakes of both languages (13-36 s each here), the second into /srv/www; the `baked` fixture of "
        "tests/conftest.py runs `python -m app.bake --out DIR --lang all` for tests/bake/test_bake.py.",
    ("bench/README.md", ". .venv/bin/activate"):
        "the benchmark takes 7-30 minutes in Chromium; CI runs `python -m bench.run --smoke` and "
        "`python -m bench.viewer --smoke` (.ci/run).",
    ("geo/README.md", "python geo/build.py"):
        "rewrites geo/*.geojson, `--out /tmp/x` writes outside the checkout and `--fetch` needs npm and the "
        "registry; tests/geo/test_geo.py::test_rebuild_is_byte_identical runs geo/build.py --out into a "
        "temporary folder.",
}


# --- reading the Markdown ------------------------------------------------------------------------------------

def markdown_files() -> list[Path]:
    """Every Markdown file of the checkout (not .venv, .git, build output)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        found += [Path(folder) / f for f in files if f.endswith(".md")]
    return sorted(found, key=lambda p: p.relative_to(ROOT).as_posix())


FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")


def fenced_blocks(path: Path) -> list[tuple[int, str, str]]:
    """(line of the opening fence, language, text) of every fenced code block of a Markdown file."""
    blocks, lines, i = [], path.read_text(encoding="utf-8").splitlines(), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, language = len(m.group(1)), m.group(2), m.group(3).lower()
        start, body = i + 1, []
        i += 1
        while i < len(lines) and not re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[i]):
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        blocks.append((start, language, "\n".join(body) + "\n"))
        i += 1
    return blocks


def console_commands(text: str) -> str:
    """The commands of a console block: the lines after a `$ ` prompt, with their continuation lines."""
    out, going_on = [], False
    for line in text.splitlines():
        if line.startswith("$ ") or going_on:
            out.append(line[2:] if line.startswith("$ ") and not going_on else line)
            going_on = line.rstrip().endswith("\\")
    return "\n".join(out) + "\n"


def shell_blocks() -> list[Block]:
    blocks = []
    for path in markdown_files():
        rel = path.relative_to(ROOT).as_posix()
        for line, language, text in fenced_blocks(path):
            if language in SHELL_LANGUAGES:
                blocks.append(Block(rel, line, language, console_commands(text) if language == "console" else text))
    return blocks


def strip_comment(line: str) -> str:
    """A shell line without its comment (a `#` outside quotes that starts a word)."""
    quote, i = None, 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and quote != "'":
            i += 2  # an escaped character, outside quotes or inside double quotes
            continue
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
        i += 1
    return line


def first_command(text: str) -> str:
    """A block's key: its first line that is not blank or a comment, without its comment or trailing backslash,
    whitespace collapsed."""
    for line in text.splitlines():
        command = " ".join(strip_comment(line).strip().removesuffix("\\").split())
        if command:
            return command
    return ""


def logical_lines(text: str) -> list[str]:
    """The block's lines with backslash continuations joined."""
    out, current = [], ""
    for line in text.splitlines():
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
        else:
            out.append(current + line)
            current = ""
    return out + ([current] if current else [])


def commands(text: str) -> list[list[str]]:
    """Every simple command of a block as its words (split at ; && || | and newlines, comments dropped)."""
    found = []
    for line in logical_lines(text):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
        lexer.whitespace_split, lexer.commenters = True, "#"
        words: list[str] = []
        for token in list(lexer) + [";"]:
            if token and set(token) <= set(";&|<>"):
                if token[0] in "<>" and words:
                    words.append(token)  # a redirection's target follows as a word; keep the command going
                    continue
                if words:
                    found.append(words)
                words = []
            else:
                words.append(token)
    return found


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
        skip |= {n for n in names if n.endswith((".builds", ".duckdb", ".lock", ".journal", ".pending", ".logins.json"))
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


# --- links ---------------------------------------------------------------------------------------------------

def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found, counts = set(), {}
    in_block = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_block = not in_block
        elif not in_block and (m := re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)):
            base = slug(m.group(1))
            n = counts.get(base, 0)
            counts[base] = n + 1
            found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(path: Path) -> list[tuple[int, str]]:
    """(line, target) of every Markdown link outside code blocks and code spans."""
    text = path.read_text(encoding="utf-8")
    out, in_block = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            in_block = not in_block
            continue
        if not in_block:
            line = re.sub(r"`[^`]*`", "", line)
            out += [(number, m.group(1)) for m in re.finditer(r"\]\(([^)\s]+)\)", line)]
    return out


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(path):
    broken = []
    for line, target in links(path):
        if re.match(r"^[a-z][\w+.-]*:", target):  # https:, mailto:
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        if not dest.exists():
            broken.append(f"line {line}: {target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"line {line}: {target} (no heading with that anchor)")
    assert not broken, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(broken)


if __name__ == "__main__":
    print(report())
