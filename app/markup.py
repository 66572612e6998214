"""HTML from the declarations' Markdown subset: text, paragraphs, tables (the static edition; the live tables)."""

from __future__ import annotations

import html
import re

import pandas as pd

from app import blocks as b
from app import describe

_ESCAPED = re.compile(r"\\(.)")
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def esc(text: object) -> str:
    """Text as HTML (quotes too: it may stand in an attribute)."""
    return html.escape("" if text is None else str(text), quote=True)


def inline(md: str) -> str:
    """A UI text's Markdown (bold, code spans, backslash escapes from app.tables.escape) as HTML; nothing else of it
    is interpreted, so a text from the data can never become markup."""
    kept: list[str] = []

    def keep(html_text: str) -> str:
        kept.append(html_text)
        return f"\x00{len(kept) - 1}\x00"

    def restore(text: str) -> str:
        return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)

    # Escapes first: an escaped backtick (a cell's text, app.tables.escape) must not open a code span.
    text = _ESCAPED.sub(lambda m: keep(esc(m.group(1))), md)  # an escaped mark is never markup
    text = _CODE.sub(lambda m: keep(f"<code>{restore(esc(m.group(1)))}</code>"), text)
    text = _BOLD.sub(lambda m: f"\x01{m.group(1)}\x02", text)
    return restore(esc(text).replace("\x01", "<strong>").replace("\x02", "</strong>"))


def blocks(md: str) -> str:
    """Paragraphs, '> ' quotes and '- ' lists of a Markdown text (app.tables.records) as HTML."""
    out = []
    for block in md.split("\n\n"):
        lines = block.splitlines()
        if lines and all(line.startswith("> ") for line in lines):
            out.append("<blockquote>" + " ".join(inline(line[2:]) for line in lines) + "</blockquote>")
        elif lines and all(line.startswith("- ") for line in lines):
            out.append("<ul>" + "".join(f"<li>{inline(line[2:])}</li>" for line in lines) + "</ul>")
        elif lines:
            out.append("<p>" + "<br>".join(inline(line) for line in lines) + "</p>")
    return "".join(out)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def md_table(md: str) -> str:
    """A GFM table as app.tables.markdown writes it (cells escaped, numbers formatted), as an HTML table."""
    lines = [line for line in md.splitlines() if line.startswith("|")]
    if not lines:
        return f"<p>{inline(md)}</p>"
    head, rows = _cells(lines[0]), [_cells(line) for line in lines[2:]]
    right = [c.strip().endswith(":") for c in _cells(lines[1])]
    return table(head, rows, right, cell=inline)


def table(head: list[str], rows: list[list], right: list[bool] | None = None, cell=esc, caption: str = "") -> str:
    """An HTML table; `cell` turns a value into HTML."""
    right = right or [False] * len(head)
    cls = lambda i: ' class="num"' if right[i] else ""  # noqa: E731
    out = ["<div class=\"table\"><table>"]
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col"{cls(i)}>{cell(h)}</th>' for i, h in enumerate(head))
               + "</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td{cls(i)}>{cell(v)}</td>" for i, v in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def text(x: b.Text) -> str:
    """A text block in its style as HTML: paragraphs, a quote, strong, or a caption or warning."""
    if x.style == "text":
        return blocks(x.md)
    if x.style == "quote":
        return f"<blockquote>{inline(x.md)}</blockquote>"
    if x.style == "strong":
        return f"<p><strong>{inline(x.md)}</strong></p>"
    return f'<p class="{x.style}">{inline(x.md)}</p>'  # caption, warning


def plain_blocks(inner) -> bool:
    """True when blocks are text (no speaker's note, no warning) and tables only: HTML draws them as they are."""
    return all(isinstance(x, b.Table) or isinstance(x, b.Text) and not x.presenter and x.style != "warning"
               for x in inner)


def details(d: b.Details) -> str:
    """A disclosure of text and tables (plain_blocks) as an HTML <details>."""
    assert plain_blocks(d.blocks), d.summary
    inner = "".join(md_table(x.md) if isinstance(x, b.Table) else text(x) for x in d.blocks)
    return f"<details><summary>{esc(d.summary)}</summary>{inner}</details>"


def frame_table(df: pd.DataFrame) -> str:
    """A DataFrame of text or numbers as an HTML table (NULL empty)."""
    def value(v):
        return "" if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v
    return table([str(c) for c in df.columns], [[value(v) for v in row] for row in df.itertuples(index=False)])


def figure_table(meta_table: dict | None) -> str:
    """A figure's table of the numbers it draws (layout.meta["table"], app/describe.py)."""
    df = describe.as_frame(meta_table)
    if df.empty:
        return ""
    right = [False] + [True] * (len(df.columns) - 1)
    return table(list(df.columns), df.values.tolist(), right)
