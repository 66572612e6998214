"""Markdown files and their fenced shell blocks, for tests/test_docs.py: which files, which blocks, their commands."""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import ROOT

SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
# Folders that hold no documentation of this project (or are not part of the checkout).
SKIP_DIRS = {".git", ".venv", "node_modules", ".pytest_cache", "__pycache__", ".serve", "site", "out", "results"}


@dataclass(frozen=True)
class Block:
    file: str  # relative to the repository's root, with forward slashes
    line: int  # of the opening fence
    language: str
    text: str  # the commands, as a shell script (a console block's prompts removed)

    @property
    def key(self) -> tuple[str, str]:
        return self.file, first_command(self.text)



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


