"""Errors for bad input: each names the file, row, column and what was expected."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A raw file cannot be read as the table it should be."""

    def __init__(self, path: Path | str, expected: str, *, row: int | None = None,
                 column: str | None = None, got: str | None = None):
        self.path, self.expected, self.row, self.column, self.got = str(path), expected, row, column, got
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.path]
        if self.row is not None:
            where.append(f"row {self.row}")  # rows are file lines, the header is row 1
        if self.column is not None:
            where.append(f"column '{self.column}'")
        got = "" if self.got is None else f", got {_show(self.got)}"
        return f"{', '.join(where)}: expected {self.expected}{got}"


class BuildError(Exception):
    """Checks of severity 'error' failed: the database was not replaced."""


def _show(text: str, limit: int = 60) -> str:
    """Quote a bad value for a message, shortened so junk cannot flood the terminal."""
    text = str(text)
    return repr(text if len(text) <= limit else text[:limit] + "…")
