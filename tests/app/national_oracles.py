"""The SQL oracles of the national counts' page (tests/app/test_since_2014.py): what the page must show, asked of the
session's build directly, never through the figure functions under test."""

from __future__ import annotations


def sql_victim_series(db) -> dict[str, dict[int, int]]:
    """The oracle: each count of victims (the Programme's enrolments and every indicator of topic victims, totals)
    as year -> count, where the count was published as a number that its sources agree on."""
    out = {"programme": dict(db.execute("SELECT year, total FROM programme_victims WHERE total IS NOT NULL").fetchall())}
    rows = db.execute("""SELECT n.indicator, n.year, min(n.value) FROM national_indicators n
                         JOIN indicators i USING (indicator)
                         WHERE i.topic = 'victims' AND n.breakdown = 'total' AND n.value IS NOT NULL
                         GROUP BY ALL HAVING count(DISTINCT n.value) = 1""").fetchall()
    for indicator, year, value in rows:
        out.setdefault(indicator, {})[year] = value
    for (indicator,) in db.execute("""SELECT DISTINCT indicator FROM national_indicators JOIN indicators
                                      USING (indicator) WHERE topic = 'victims'""").fetchall():
        out.setdefault(indicator, {})
    return out


def sql_latest_range(db) -> tuple[int, int, int]:
    """The oracle of the words on the range: the latest year with counts of victims from two series or more, and the
    lowest and highest count published for it."""
    return db.execute("""
        WITH counts AS (SELECT year, total AS value, 'programme' AS series FROM programme_victims
                        UNION ALL SELECT n.year, n.value, n.indicator FROM national_indicators n
                        JOIN indicators i USING (indicator) WHERE i.topic = 'victims' AND n.breakdown = 'total'),
             latest AS (SELECT max(year) AS year FROM (SELECT year FROM counts GROUP BY year
                                                      HAVING count(DISTINCT series) >= 2))
        SELECT year, min(value), max(value) FROM counts JOIN latest USING (year) GROUP BY year""").fetchone()


def sql_kcik(db, breakdown: str, years=None) -> dict[int, int]:
    """The oracle of the KCIK figures: the victims KCIK assisted, as year -> count, in one breakdown."""
    rows = db.execute("""SELECT year, value FROM national_indicators WHERE indicator = 'kcik_assisted'
                         AND breakdown = ? AND value IS NOT NULL""", [breakdown]).fetchall()
    return {y: v for y, v in rows if years is None or y in years}


FINER = 2017  # the year whose types of exploitation are finer than the others': a figure of its own


def exploitation(db, year=None) -> dict[str, dict[int, int]]:
    """The oracle: KCIK's victims by type of exploitation, as type -> {year: count} (one year, or all but FINER)."""
    rows = db.execute("""SELECT replace(breakdown, 'exploitation=', ''), year, value FROM national_indicators
                         WHERE indicator = 'kcik_assisted' AND breakdown LIKE 'exploitation=%'""").fetchall()
    out: dict[str, dict[int, int]] = {}
    for kind, y, value in rows:
        if (y == year) if year is not None else (y != FINER):
            out.setdefault(kind, {})[y] = value
    return out


def sql_disagreements(db) -> set[tuple[str, int]]:
    """The oracle of the documented rule: (indicator, year) of every figure where one indicator has two sources with
    different values, or two indicators linked by indicators.same_as give different values."""
    same = set(db.execute("""SELECT indicator, year FROM national_indicators WHERE breakdown = 'total'
                             GROUP BY ALL HAVING count(DISTINCT value_as_published) > 1""").fetchall())
    pairs = db.execute("""SELECT a.indicator, b.indicator, a.year FROM national_indicators a
                          JOIN indicators i ON i.indicator = a.indicator
                          JOIN national_indicators b ON b.indicator = i.same_as AND b.year = a.year
                          WHERE a.breakdown = 'total' AND b.breakdown = 'total'
                            AND a.value_as_published <> b.value_as_published""").fetchall()
    return same | {(a, y) for a, _, y in pairs} | {(b, y) for _, b, y in pairs}
