"""Facts about the data live in the data: no year of the data, no count of years or voivodeships, in app code
or UI text (DESIGN.md, "Growing data"). Docstrings and comments may name what the data held when written."""

from __future__ import annotations

import ast
import re

from app.i18n import TEXT
from etl.contract import CONTRACT
from tests.helpers import ROOT

APP_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "app").glob("*.py"))]
YEAR = re.compile(r"(?<!\d)(200[6-9]|201\d|202[0-2])(?!\d)")  # the years the data cover
COUNT = re.compile(r"(?<![\d.,])(8|16)(?![\d.,%])|\b(osiem|ośmiu|szesnaście|szesnastu|eight|sixteen)\b", re.I)
# Identifiers that name a relation or raw file (they end in the year of their publication, not of the data).
NAMES = set(CONTRACT) | {p.name.split(".")[0] for p in (ROOT / "data" / "raw").iterdir()}
# Styling numbers that happen to be 8 or 16: (file, source line fragment) -> why it is not a data fact.
STYLE = {("app/theme.py", "size=8 * scale"): "marker size in pixels"}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def literals(path) -> list[str]:
    """Every data fact written into one file's code: a year of the data in a number or string, 8 or 16."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    docs = _docstrings(tree)
    rel = path.relative_to(ROOT).as_posix()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in docs:
            continue
        v = node.value
        line = lines[node.lineno - 1]
        if type(v) is int and (2006 <= v <= 2022 or v == 16 or
                               (v == 8 and not any(rel == f and frag in line for f, frag in STYLE))):
            found.append(f"{rel}:{node.lineno}: {v}")
        elif isinstance(v, str) and YEAR.search(re.sub(r"\w+", lambda m: "" if m[0] in NAMES else m[0], v)):
            found.append(f"{rel}:{node.lineno}: {v!r}")
    return found


def texts() -> list[tuple[str, str, str]]:
    """(key, lang, text) of every UI text and every plural form of it."""
    out = []
    for key, entry in TEXT.items():
        for lang, value in entry.items():
            forms = getattr(value, "forms", {"": value})
            out += [(key, lang, f) for f in forms.values()]
    return out


def test_no_year_or_count_of_the_data_in_app_code():
    assert [f for path in APP_FILES for f in literals(path)] == []


def test_no_year_or_count_of_the_data_in_ui_text():
    assert [(k, lang, s) for k, lang, s in texts() if YEAR.search(s) or COUNT.search(s)] == []


def test_the_scan_sees_each_kind_of_fact(tmp_path):
    """The scanner itself, on code that writes the period, a year count and the voivodeship count."""
    bad = tmp_path / "bad.py"
    bad.write_text('"""Docstring about 2006-2013 is fine."""\n# so is a comment on 2013\n'
                   'FIRST = 2006\nTITLE = "Mapy lat 2006–2013"\nN = 16\nYEARS = 8\nOK = "programme_victims"\n',
                   encoding="utf-8")
    import tests.app.test_no_data_facts as scan
    old = scan.ROOT
    scan.ROOT = tmp_path
    try:
        assert [f.split(": ", 1)[1] for f in literals(bad)] == ["2006", "'Mapy lat 2006–2013'", "16", "8"]
    finally:
        scan.ROOT = old
    assert COUNT.search("z 16") and COUNT.search("Osiem map") and not COUNT.search("1,6") and not COUNT.search("2 180")
