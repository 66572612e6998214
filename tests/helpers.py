"""Paths shared by the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RAW = ROOT / "data" / "raw"


def markdown_table(text: str) -> list[dict[str, str]]:
    """The rows of the first GFM table in a Markdown text (app.tables output), unescaped, as dicts."""
    import re

    lines = [line for line in text.splitlines() if line.startswith("|")]
    split = lambda line: [re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    header = split(lines[0])
    return [dict(zip(header, split(line))) for line in lines[2:]]
