"""A scan of the app's code: no SQL built from strings, a read-only connection, no raw HTML from data.

Each scanner is a function (file, source) -> problems; the real tests run them over the app's files and
the self-tests feed them bad and good source, so the scan that guards the app is the scan that is tested.
"""

from __future__ import annotations

import ast

import pytest

from tests.helpers import ROOT

APP_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "app").rglob("*.py"))]
# (file, function) that pick their SQL by name: a relation from a fixed list (an f-string of the guarded
# name only, after `if name not in CONSTANT: raise ...`), or one of a local dict of literal queries.
IDENTIFIER_SQL = {("app/downloads.py", "table"), ("app/data.py", "context_table"), ("app/data.py", "source_ids")}
# The executor itself passes its caller's SQL (checked at every call site) to DuckDB: a bare parameter only.
PLUMBING = {("app/data.py", "query"), ("app/data.py", "_query")}
SQL_CALLS = {"execute", "query", "sql", "executemany"}

Function = ast.FunctionDef | ast.AsyncFunctionDef


def functions(tree: ast.AST, fn: Function | None = None):
    """(innermost enclosing function or None, node) for every node."""
    for child in ast.iter_child_nodes(tree):
        inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else fn
        yield inner, child
        yield from functions(child, inner)


def call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def is_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def parameters(fn: Function) -> set[str]:
    a = fn.args
    return {p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]}


def guarded_name(fn: Function) -> str | None:
    """The parameter checked by the function's first statement `if p not in CONSTANT: raise ...`, if any."""
    body = fn.body[1:] if fn.body and is_text(getattr(fn.body[0], "value", None)) else fn.body  # skip the docstring
    if not body or not isinstance(body[0], ast.If):
        return None
    test, then = body[0].test, body[0].body
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn)
            and isinstance(test.left, ast.Name) and test.left.id in parameters(fn)
            and isinstance(test.comparators[0], ast.Name) and test.comparators[0].id.isupper()):
        return None
    return test.left.id if then and isinstance(then[-1], ast.Raise) else None


def literal_dicts(fn: Function) -> set[str]:
    """Local names assigned a dict whose values are all string literals (a fixed menu of queries)."""
    out = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and all(is_text(v) for v in node.value.values):
            out.add(node.targets[0].id)
    return out


def identifier_sql_ok(fn: Function, sql: ast.AST) -> bool:
    """SQL picked by name: an f-string of the guarded name only, or a fixed dict of literal queries."""
    if isinstance(sql, ast.JoinedStr):
        name = guarded_name(fn)
        values = [v.value for v in sql.values if isinstance(v, ast.FormattedValue)]
        return name is not None and all(isinstance(v, ast.Name) and v.id == name for v in values)
    if isinstance(sql, ast.Subscript) and isinstance(sql.value, ast.Name):
        return sql.value.id in literal_dicts(fn)
    return False


def sql_problems(rel: str, source: str) -> list[str]:
    """Every SQL call whose SQL is not a string literal (unless it is a checked, listed exception)."""
    problems = []
    for fn, node in functions(ast.parse(source)):
        if not (isinstance(node, ast.Call) and call_name(node) in SQL_CALLS and node.args):
            continue
        sql, where = node.args[0], (rel, fn.name if fn else "<module>")
        if is_text(sql):
            continue
        if where in PLUMBING and isinstance(sql, ast.Name) and sql.id in parameters(fn):
            continue
        if where in IDENTIFIER_SQL and identifier_sql_ok(fn, sql):
            continue
        problems.append(f"{rel}:{node.lineno} in {where[1]}: SQL is not a string literal")
    return problems


# HTML that app/markup.py builds from the pages' Markdown, every text escaped on the way (tests/app/test_tables.py)
MARKUP = {"md_table", "details"}


def html_problems(rel: str, source: str) -> list[str]:
    """unsafe_allow_html other than False, and st.html with anything but a module constant (static CSS) or a table
    of app/markup.py (`markup.md_table(...)`)."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for k in node.keywords:
            if k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and k.value.value is False):
                problems.append(f"{rel}:{node.lineno}: unsafe_allow_html")
        if call_name(node) == "html":
            arg = node.args[0] if node.args else None
            built = (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr in MARKUP
                     and isinstance(arg.func.value, ast.Name) and arg.func.value.id == "markup")
            if not (isinstance(arg, ast.Name) and arg.id.isupper()) and not built:
                problems.append(f"{rel}:{node.lineno}: st.html with non-constant content")
    return problems


def connections(rel: str, source: str) -> list[tuple[str, bool]]:
    """(file, read_only=True literally given) for every connect() call."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and call_name(node) == "connect":
            kw = {k.arg: k.value for k in node.keywords}
            out.append((rel, isinstance(kw.get("read_only"), ast.Constant) and kw["read_only"].value is True))
    return out


def app_sources():
    for path in APP_FILES:
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


# --- the app ----------------------------------------------------------------------------------


def test_sql_is_never_built_from_strings():
    assert [p for rel, source in app_sources() for p in sql_problems(rel, source)] == []


def test_listed_exceptions_exist():
    """Every (file, function) exempted above is still there (a stale entry would exempt a new function)."""
    defined = {(rel, node.name) for rel, source in app_sources() for node in ast.walk(ast.parse(source))
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    assert IDENTIFIER_SQL | PLUMBING <= defined


def test_connection_is_read_only():
    assert [c for rel, source in app_sources() for c in connections(rel, source)] == [("app/builds.py", True)]


def test_no_raw_html_from_data():
    assert [p for rel, source in app_sources() for p in html_problems(rel, source)] == []


# --- the scanners themselves -----------------------------------------------------------------

BAD_SQL = {
    "f-string": 'def f(x):\n    query(f"SELECT * FROM t WHERE a = {x}")\n',
    "concatenation": 'def f(x):\n    con.execute("SELECT * FROM " + x)\n',
    "format": 'def f(x):\n    con.sql("SELECT * FROM {}".format(x))\n',
    "percent": 'def f(x):\n    cur.executemany("SELECT %s" % x, [])\n',
    "variable": 'q = "SELECT 1"\nquery(q)\n',
    "table without its guard": 'def table(name):\n    return query(f\'SELECT * FROM "{name}"\')\n',
    "guard after the query": ('def table(name):\n    df = query(f\'SELECT * FROM "{name}"\')\n'
                              '    if name not in RELATIONS:\n        raise ValueError(name)\n'),
    "guard that does not raise": ('def table(name):\n    if name not in RELATIONS:\n        print(name)\n'
                                  '    return query(f\'SELECT * FROM "{name}"\')\n'),
    "guarded name plus another value": ('def table(name, where):\n    if name not in RELATIONS:\n'
                                        '        raise ValueError(name)\n'
                                        '    return query(f\'SELECT * FROM "{name}" WHERE {where}\')\n'),
    "a query menu with a built entry": ('def context_table(name, x):\n'
                                        '    queries = {"a": "SELECT 1", "b": f"SELECT {x}"}\n'
                                        '    return query(queries[name])\n'),
    "plumbing that adds text": 'def query(sql, params=()):\n    return cur.execute(sql + " LIMIT 1", params)\n',
}
GOOD_SQL = {
    "literal": 'def f(x):\n    query("SELECT * FROM t WHERE a = ?", (x,))\n',
    "triple-quoted literal": 'def f():\n    return con.execute("""SELECT 1""").fetchall()\n',
    "guarded relation name": ('def table(name: str):\n    """Doc."""\n    if name not in RELATIONS:\n'
                              '        raise ValueError(f"unknown relation {name!r}")\n'
                              '    return query(f\'SELECT * FROM "{name}"\')\n'),
    "a menu of literal queries": ('def context_table(name):\n    queries = {"a": "SELECT 1", "b": """SELECT 2"""}\n'
                                  '    return query(queries[name])\n'),
    "plumbing": 'def _query(path, sql, params):\n    return cur.execute(sql, list(params)).df()\n',
}


def home(source: str) -> str:
    """The file where the function in `source` is exempt, if it is one of the listed ones."""
    return "app/downloads.py" if "def table(" in source else "app/data.py"


@pytest.mark.parametrize("case", BAD_SQL)
def test_sql_scan_catches(case):
    assert len(sql_problems(home(BAD_SQL[case]), BAD_SQL[case])) == 1


@pytest.mark.parametrize("case", GOOD_SQL)
def test_sql_scan_passes(case):
    assert sql_problems(home(GOOD_SQL[case]), GOOD_SQL[case]) == []


@pytest.mark.parametrize("case", ["guarded relation name", "a menu of literal queries", "plumbing"])
def test_sql_exceptions_hold_only_where_listed(case):
    """The same code in another file, or in a function of another name, is not exempt."""
    assert sql_problems("app/other.py", GOOD_SQL[case]) != []
    renamed = GOOD_SQL[case].replace("def table(", "def rows(").replace("def context_table(", "def rows(")
    assert sql_problems(home(GOOD_SQL[case]), renamed.replace("def _query(", "def rows(")) != []


@pytest.mark.parametrize("source", [
    "st.markdown(x, unsafe_allow_html=True)\n",
    "st.markdown(x, unsafe_allow_html=flag)\n",
    "st.html(x)\n",
    'st.html(f"<b>{x}</b>")\n',
    'st.html("<b>x</b>")\n',
    "st.html(markup.inline(x))\n",
    "st.html(other.md_table(x))\n",
])
def test_html_scan_catches(source):
    assert len(html_problems("pages/x.py", source)) == 1


@pytest.mark.parametrize("source", ["st.markdown(x)\n", "st.markdown(x, unsafe_allow_html=False)\n", "st.html(CSS)\n",
                                    "where.html(markup.md_table(x.md))\n"])
def test_html_scan_passes(source):
    assert html_problems("pages/x.py", source) == []


def test_connection_scan():
    assert connections("app/x.py", "duckdb.connect(p)\n") == [("app/x.py", False)]
    assert connections("app/x.py", "duckdb.connect(p, read_only=False)\n") == [("app/x.py", False)]
    assert connections("app/x.py", "duckdb.connect(p, read_only=flag)\n") == [("app/x.py", False)]
    assert connections("app/x.py", "duckdb.connect(p, read_only=1)\n") == [("app/x.py", False)]
    assert connections("app/x.py", "duckdb.connect(p, read_only=True)\n") == [("app/x.py", True)]
