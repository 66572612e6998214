"""A scan of the app's code: no SQL built from strings, a read-only connection, no raw HTML from data."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

APP_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "app").glob("*.py"))]
# (file, function) that pick their SQL by name: a relation from a fixed list, or one of a fixed dict of
# literal queries (a KeyError for anything else). Both are checked below.
IDENTIFIER_SQL = {("app/data.py", "table"), ("app/data.py", "context_table")}
# The executor itself passes its caller's SQL (checked here at every call site) to DuckDB.
PLUMBING = {("app/data.py", "query"), ("app/data.py", "_query")}
SQL_CALLS = {"execute", "query", "sql", "executemany"}


def functions(tree: ast.AST, name: str = "<module>"):
    """(innermost enclosing function name, node) for every node."""
    for child in ast.iter_child_nodes(tree):
        inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else name
        yield inner, child
        yield from functions(child, inner)


def call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def test_sql_is_never_built_from_strings():
    problems = []
    for path in APP_FILES:
        rel = str(path.relative_to(ROOT))
        for fn, node in functions(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and call_name(node) in SQL_CALLS and node.args:
                sql = node.args[0]
                literal = isinstance(sql, ast.Constant) and isinstance(sql.value, str)
                if not literal and (rel, fn) not in IDENTIFIER_SQL | PLUMBING:
                    problems.append(f"{rel}:{node.lineno} in {fn}: SQL is not a string literal")
    assert problems == []


def test_identifier_sql_checks_the_fixed_list():
    source = (ROOT / "app" / "data.py").read_text(encoding="utf-8")
    body = source.split("def table(", 1)[1].split("\ndef ", 1)[0]
    assert "if name not in RELATIONS:" in body and "raise ValueError" in body
    body = source.split("def context_table(", 1)[1].split("\ndef ", 1)[0]
    tree = ast.parse("def context_table(name):\n" + body.split("\n", 1)[1])
    queries = next(n for n in ast.walk(tree) if isinstance(n, ast.Dict))
    assert all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in queries.values)
    assert "return query(queries[name])" in body


def test_connection_is_read_only():
    connects = []
    for path in APP_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and call_name(node) == "connect":
                kw = {k.arg: k.value for k in node.keywords}
                connects.append((path.name, isinstance(kw.get("read_only"), ast.Constant) and kw["read_only"].value))
    assert connects == [("data.py", True)]


def test_no_raw_html_from_data():
    problems = []
    for path in APP_FILES:
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for k in node.keywords:
                if k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and k.value.value is False):
                    problems.append(f"{rel}:{node.lineno}: unsafe_allow_html")
            if call_name(node) == "html":  # st.html only with a module constant (static CSS)
                arg = node.args[0] if node.args else None
                if not (isinstance(arg, ast.Name) and arg.id.isupper()):
                    problems.append(f"{rel}:{node.lineno}: st.html with non-constant content")
    assert problems == []


def test_the_scan_sees_a_violation(tmp_path):
    """The scanner itself: formatted SQL and raw HTML are caught."""
    bad = ast.parse('def f(x):\n    query(f"SELECT * FROM t WHERE a = {x}")\n    st.markdown(x, unsafe_allow_html=True)\n')
    calls = [n for _, n in functions(bad) if isinstance(n, ast.Call)]
    assert any(call_name(c) == "query" and not isinstance(c.args[0], ast.Constant) for c in calls)
    assert any(k.arg == "unsafe_allow_html" for c in calls for k in c.keywords)
