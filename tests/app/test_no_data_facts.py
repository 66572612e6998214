"""Facts about the data live in the data: no year of the data, no count of years or voivodeships and no published
total, in app code, the fact sheet's template, UI text or the messages the ETL shows users (DESIGN.md, "Growing
data"). Docstrings and comments may name what the data held when written."""

from __future__ import annotations

import ast
import operator
import re

from app.i18n import LANGS
from app.i18n import texts as catalog_texts
from etl.contract import CONTRACT
from tests.helpers import ROOT

APP_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "app").rglob("*.py"))]
ETL_FILES = sorted((ROOT / "etl").rglob("*.py"))
TEMPLATES = sorted((ROOT / "app" / "templates").glob("*"))
FIRST_YEAR, LAST_YEAR = 1990, 2024  # every year any dataset holds (UN DESA from 1990, the latest updates)
YEAR = re.compile(r"(?<!\d)(199\d|20[01]\d|202[0-4])(?!\d)")
TOTALS = {241, 240, 55, 56}  # the Programme's published totals: enrolled, referred, and 2013's referrals/enrolments
TOTAL = re.compile(r"(?<![\d.,])(241|240|55|56)(?![\d.,%])")
COUNT = re.compile(r"(?<![\d.,])(8|16)(?![\d.,%])|\b(osiem|ośmiu|szesnaście|szesnastu|eight|sixteen)\b", re.I)
# Identifiers that name a relation or raw file (they end in the year of their publication, not of the data).
NAMES = set(CONTRACT) | {p.name.split(".")[0] for p in (ROOT / "data" / "raw").iterdir()}
# Numbers that happen to look like a fact: (file, source line fragment) -> why it is not a data fact.
STYLE = {("app/theme.py", "size=8 * scale"): "marker size in pixels",
         ("app/export/__init__.py", "header_end = 33"): "bytes of a PNG header",
         ("app/charts/frame.py", "NARROW_WRAP = 55"): "characters per source line of a half-width chart",
         ("app/i18n.py", "4 kwietnia 2019"): "the date of the accessibility act the statement cites",
         ("app/i18n.py", "4 April 2019"): "the date of the accessibility act the statement cites",
         ("app/charts/national.py", "marker=dict(size=8, symbol"): "marker size in pixels",
         ("app/charts/national.py", "xshift=8,"): "a label's offset in pixels",
         ("app/legibility/colour.py", "int(c[i:i + 2], 16)"): "hexadecimal digits of a colour"}
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")  # colours ("#D55E00") are not numbers
# ETL messages with a year of the data as an example: etl/ is being reworked on another branch, which clears these;
# the test fails when one of them is gone (drop it here then) or any other appears.
PENDING_ETL: dict[str, str] = {}  # (file -> fragment) of a message still to reword; none left
# UI texts that name a year that is not the data's: (key, year) -> why.
NOT_DATA = {("a11y_intro", "2019"): "the date of the accessibility act the statement cites",
            ("a11y_legibility", "2009"): "Machado et al. 2009, the colour-vision model the check simulates",
            ("a11y_legibility", "2000"): "CIEDE2000, the colour difference the check measures"}
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _value(node: ast.AST):
    """The number a constant expression makes (2000 + 13 -> 2013, 2013.0), else None."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        a, b = _value(node.left), _value(node.right)
        return None if a is None or b is None else _OPS[type(node.op)](a, b)
    return None


def _fact(v) -> bool:
    whole = float(v).is_integer()
    return whole and (FIRST_YEAR <= v <= LAST_YEAR or int(v) in TOTALS or v == 16 or v == 8)


def literals(path) -> list[str]:
    """Every data fact written into one file's code: a year of the data in a number (or a constant sum) or a
    string, 8 or 16, a published total."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    docs = _docstrings(tree)
    rel = path.relative_to(ROOT).as_posix()
    found, inner = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and _value(node) is not None:
            inner |= {id(n) for n in ast.walk(node) if n is not node}
            if _fact(_value(node)) and not any(rel == f and frag in lines[node.lineno - 1] for f, frag in STYLE):
                found.append(f"{rel}:{node.lineno}: {ast.unparse(node)} = {_value(node)}")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in docs or id(node) in inner:
            continue
        v = node.value
        line = lines[node.lineno - 1]
        styled = any(rel == f and frag in line for f, frag in STYLE)
        if type(v) in (int, float) and _fact(v) and not styled:
            found.append(f"{rel}:{node.lineno}: {v}")
        elif isinstance(v, str) and not styled:
            bare = re.sub(r"\w+", lambda m: "" if m[0] in NAMES else m[0], HEX.sub("", v))
            if YEAR.search(bare) or TOTAL.search(bare):
                found.append(f"{rel}:{node.lineno}: {v!r}")
    return found


def messages(path) -> list[str]:
    """Data facts in the texts an ETL module shows users: the strings of its raise statements and of the
    messages it records (data_quality details, refusals)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT).as_posix()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for c in ast.walk(node.exc):
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and (YEAR.search(c.value)
                                                                                or TOTAL.search(c.value)):
                    found.append(f"{rel}:{c.lineno}: {c.value!r}")
    return found


def texts() -> list[tuple[str, str, str]]:
    """(key, lang, text) of every UI text and every plural form of it."""
    return [(key, lang, text) for lang in LANGS for key, text in catalog_texts(lang)]


def test_no_year_or_count_of_the_data_in_app_code():
    assert [f for path in APP_FILES for f in literals(path)] == []


def test_no_year_or_count_of_the_data_in_ui_text():
    def facts(key: str, s: str) -> list[str]:
        return [m for m in YEAR.findall(s) + TOTAL.findall(s) if (key, m) not in NOT_DATA] + \
            [m.group(0) for m in COUNT.finditer(s)]
    assert [(k, lang, s) for k, lang, s in texts() if facts(k, s)] == []


def test_no_data_fact_in_the_fact_sheet_template():
    found = [f"{p.name}:{i}: {line.strip()}" for p in TEMPLATES
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if not line.lstrip().startswith("//") and (YEAR.search(line) or TOTAL.search(line))]
    assert found == []


def test_no_data_fact_in_the_etl_messages_users_see():
    found = [f for path in ETL_FILES for f in messages(path)]
    pending = [f for f in found if any(f.startswith(p + ":") and frag in f for p, frag in PENDING_ETL.items())]
    assert [f for f in found if f not in pending] == []
    assert len(pending) == len(PENDING_ETL), f"fixed in etl/: drop it from PENDING_ETL ({pending})"


def test_the_scan_sees_each_kind_of_fact(tmp_path):
    """The scanner itself, on code that writes the period, a year count, the voivodeship count, a total, a year as a
    float and as a sum, a year of the UN series."""
    bad = tmp_path / "bad.py"
    bad.write_text('"""Docstring about 2006-2013 is fine."""\n# so is a comment on 2013\n'
                   'FIRST = 2006\nTITLE = "Mapy lat 2006–2013"\nN = 16\nYEARS = 8\nOK = "programme_victims"\n'
                   'ALL = 241\nLAST = 2000 + 13\nF = 2013.0\nUN = 1990\nS = "razem 240"\n',
                   encoding="utf-8")
    import tests.app.test_no_data_facts as scan
    old = scan.ROOT
    scan.ROOT = tmp_path
    try:
        assert [f.split(": ", 1)[1] for f in literals(bad)] == [
            "2000 + 13 = 2013", "2006", "'Mapy lat 2006–2013'", "16", "8", "241", "2013.0", "1990", "'razem 240'"]
    finally:
        scan.ROOT = old
    assert COUNT.search("z 16") and COUNT.search("Osiem map") and not COUNT.search("1,6") and not COUNT.search("2 180")
