"""The published-cell parser: every quirk of the source tables, and clear refusals."""

import pytest

from etl.cells import parse_count, parse_int


@pytest.mark.parametrize("text, value, note", [
    ("-", 0, None), ("–", 0, None), ("", None, None), ("   ", None, None), ("10", 10, None),
    (" 7 ", 7, None), ("20 (18 + 2)", 20, "20 (18 + 2)"), ("25 (2 os x 2)", 25, "25 (2 os x 2)"),
    ("2+ 2", 4, "2+ 2"), ("8 +2", 10, "8 +2"), ("1\u00a0096", 1096, None), ("8\u202f201", 8201, None),
    ("2\u00a0+\u00a02", 4, "2 + 2"),
])
def test_published_forms(text, value, note):
    assert parse_count(text) == (value, note)


@pytest.mark.parametrize("text", ["abc", "-3", "2,5", "1.5", "20 (18 + 3)", "2 2", "(5)", "5 (", "++2", "x21"])
def test_refused(text):
    with pytest.raises(ValueError, match="a count|adds up"):
        parse_count(text)


def test_plain_int():
    assert parse_int("637") == 637
    assert parse_int("") is None
    with pytest.raises(ValueError):
        parse_int("-")
