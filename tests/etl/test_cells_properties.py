"""Property-based tests of the published-cell parser: the intended number with its note, or ValueError."""

import re

from hypothesis import example, given
from hypothesis import strategies as st

from etl.cells import clean, parse_count

SPACES = st.sampled_from([" ", "  ", "\u00a0", "\u202f", "\t", ""])
counts = st.integers(min_value=0, max_value=10_000_000)


def grouped(n: int, sep: str) -> str:
    """'1 234 567' with the given thousands separator."""
    return f"{n:,}".replace(",", sep)


@given(counts, SPACES, SPACES)
def test_plain_numbers(n, left, right):
    assert parse_count(f"{left}{n}{right}") == (n, None)


@given(counts, st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_thousands_separators(n, sep):
    assert parse_count(grouped(n, sep)) == (n, None)


@given(st.lists(st.integers(0, 999), min_size=2, max_size=4), SPACES, SPACES)
@example([2, 2], "", " ")  # '2+ 2' as published
@example([8, 2], " ", "")  # '8 +2'
def test_published_sums(parts, before, after):
    text = f"{before}+{after}".join(str(p) for p in parts)
    value, note = parse_count(text)
    assert value == sum(parts)
    assert note == clean(text)


@given(counts, st.integers(0, 999))
@example(20, 2)  # '20 (18 + 2)'
def test_bracketed_breakdown_must_add_up(total, b):
    a = total - b
    text = f"{total} ({a} + {b})"
    if a >= 0:
        assert parse_count(text) == (total, text)
    else:
        try:
            parse_count(text)
        except ValueError:
            return
        raise AssertionError("a negative part must be refused")


@given(counts, st.integers(0, 999).filter(lambda d: d != 0), st.integers(0, 999))
def test_bracketed_breakdown_that_does_not_add_up_is_refused(total, delta, b):
    a = total + delta - b
    if a < 0:
        return
    try:
        parse_count(f"{total} ({a} + {b})")
    except ValueError as exc:
        assert "adds up" in str(exc)
    else:
        raise AssertionError("a breakdown that does not add up must be refused")


@given(counts, st.text(alphabet=st.characters(blacklist_characters="()", blacklist_categories=("Cs", "Cc")),
                       min_size=1, max_size=20).filter(lambda s: s.strip() and not re.fullmatch(r"[\d\s+\-]+", s)))
@example(25, "2 os x 2")
def test_free_text_notes_are_kept(n, note):
    value, kept = parse_count(f"{n} ({note})")
    assert value == n and kept == clean(f"{n} ({note})")


@given(st.text(max_size=40))
def test_anything_else_is_a_number_with_its_text_or_a_clear_refusal(text):
    try:
        value, note = parse_count(text)
    except ValueError as exc:
        assert str(exc)  # the reason is never empty
        return
    assert value is None or (isinstance(value, int) and value >= 0)
    if note is None:  # a bare number, a dash or nothing
        assert re.fullmatch(r"|[-\u2013\u2014\u2212]|\d{1,3}( \d{3})+|\d+", clean(text))
    else:
        assert note == clean(text)
