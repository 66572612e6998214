"""Smaller pieces (issue 29): no Python module of the project over 400 lines, tests and bench included, and no
function over 80, so that the next engineer reads one piece at a time."""

from __future__ import annotations

import ast

from tests.helpers import ROOT

MAX_MODULE, MAX_FUNCTION = 400, 80
FOLDERS = ("app", "etl", "pages", "tests", "bench", "deploy", "geo")


def modules() -> list:
    return [ROOT / "dashboard.py"] + [p for d in FOLDERS for p in sorted((ROOT / d).rglob("*.py"))]


def test_no_module_over_400_lines():
    long = [f"{p.relative_to(ROOT)}: {n}" for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE]
    assert long == []


def test_no_function_over_80_lines():
    long = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1  # the decorators aside, its signature to its last line
                if n > MAX_FUNCTION:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {n}")
    assert long == []
