"""national_indicators: the published file row for row, its sums, the 2017 conflict kept, broken sums refused."""

from __future__ import annotations

import csv

import pytest

from etl.build import build
from etl.errors import BuildError, InputError
from tests.etl.test_bad_input import edit, env, snapshot  # noqa: F401 - fixtures and helpers
from tests.helpers import RAW, SHARED, require_shared

COLUMNS = ["indicator", "year", "breakdown", "value_as_published", "source_id", "also_in", "note"]


def _typed(path) -> list[tuple]:
    with open(path, newline="", encoding="utf-8") as f:
        return [(r["indicator"], int(r["year"]), r["breakdown"], r["value"], r["source_id"], r["also_in"], r["note"])
                for r in csv.DictReader(f)]


def test_relation_is_the_typed_files_and_unodc_cells_row_for_row(db):
    """The relation is the published file and the typed updates still live (data/raw/updates), row for row, plus
    Poland's UNODC series derived from UNODC's whole file (relation unodc_glotip), each value as published."""
    files = [RAW / "national_indicators.csv", *sorted((RAW / "updates").glob("*-national_indicators.csv"))]
    typed = [r for path in files for r in _typed(path)]
    built = [tuple("" if v is None else v for v in row) for row in db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM national_indicators").fetchall()]
    release = db.execute("SELECT DISTINCT source_id FROM datasets WHERE dataset = 'unodc_glotip'").fetchone()[0]
    assert sorted(r for r in built if r[4] != release) == sorted(typed)
    # every derived row is a cell of Poland in unodc_glotip (SQL here, not the ETL's mapping), as published
    derived = db.execute(f"""SELECT count(*), count(*) FILTER (WHERE u.row IS NULL) FROM national_indicators n
        LEFT JOIN unodc_glotip u ON u.iso3 = 'POL' AND u.year = n.year AND u.value_as_published = n.value_as_published
          AND n.indicator = CASE u.indicator WHEN 'Detected trafficking victims' THEN 'unodc_detected_victims'
            WHEN 'Offences of trafficking in persons' THEN 'unodc_offences' WHEN 'Persons convicted'
            THEN 'unodc_persons_convicted' WHEN 'Persons prosecuted' THEN 'unodc_persons_prosecuted'
            WHEN 'Persons brought into formal contact' THEN 'unodc_persons_formal_contact' END
          AND ((n.breakdown = 'total' AND u.dimension = 'Total' AND u.sex = 'Total' AND u.age = 'Total')
            OR (n.breakdown = 'minors' AND u.dimension = 'Total' AND u.sex = 'Total' AND u.age = '0 to 17 years')
            OR (n.breakdown = 'adults' AND u.dimension = 'Total' AND u.sex = 'Total' AND u.age = '18 years or over')
            OR (n.breakdown IN ('female', 'male') AND u.dimension = 'Total' AND lower(u.sex) = n.breakdown
                AND u.age = 'Total')
            OR (n.breakdown = 'polish' AND u.dimension = 'by citizenship' AND u.category_iso3 = 'POL')
            OR (n.breakdown = 'exploitation=' || lower(u.category) AND u.dimension = 'by form of exploitation')
            OR (n.breakdown LIKE 'citizenship=%' AND u.dimension = 'by citizenship' AND u.sex = 'Total')
            OR (n.breakdown = lower(u.sex) || '_adult' AND u.dimension = 'Total' AND u.age = '18 years or over'))
        WHERE n.source_id = ?""", (release,)).fetchone()
    assert derived[0] > 0 and derived[1] == 0
    # the rows typed a second time (update 0003, withdrawn) are all there with their values, but for those the
    # checks left out as a contradiction of the file (named in data_quality)
    retyped = _typed(next((RAW / "updates" / "withdrawn").glob("*-national_indicators.csv")))
    have = {r[:3]: r[3] for r in built}
    left_out = " ".join(d for (d,) in db.execute("SELECT detail FROM data_quality WHERE check_name = 'national_left_out'")
                        .fetchall())
    for indicator, year, breakdown, value, *_ in retyped:
        if (indicator, year, breakdown) not in have:
            assert f"{indicator} {year}" in left_out and breakdown.startswith("exploitation="), (indicator, year)
        else:
            assert have[(indicator, year, breakdown)] == value, (indicator, year, breakdown)
    bounds = db.execute("SELECT DISTINCT value_as_published, value, qualifier, bound FROM national_indicators "
                        "WHERE qualifier IS NOT NULL ORDER BY 1").fetchall()
    assert bounds == [("<5", None, "<", 5), (">1000", None, ">", 1000)]


def test_the_superseded_kcik_dataset_is_in_it_unchanged(db):
    """shared/data/kcik_assisted.csv (the Context page's KCIK table until issue 14) is superseded by
    national_indicators: every figure it gives is here with the same value and the same source."""
    path = SHARED / "data" / "kcik_assisted.csv"
    require_shared(path)
    columns = {"victims_assisted": "total", "minors": "minors", "female": "female", "male": "male",
               "foreign_nationals": "foreign"}
    ours = {(y, b): (v, s) for y, b, v, s in db.execute("SELECT year, breakdown, value, source_id "
                                                         "FROM national_indicators WHERE indicator = 'kcik_assisted'").fetchall()}
    compared = 0
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            for column, breakdown in columns.items():
                if r[column] == "":
                    # one figure more: 2015's foreign nationals, from mswia2016 (not in the TIP reports)
                    assert (int(r["year"]), breakdown) not in ours or (int(r["year"]), breakdown) == (2015, "foreign")
                    continue
                value, source = ours[(int(r["year"]), breakdown)]
                assert value == int(r[column]), (r["year"], column)
                if breakdown == "total":
                    assert source == r["source_id"], r["year"]
                compared += 1
    assert compared == 20  # 8 yearly totals, 3 years of minors, 3 of female + male + foreign
    assert db.execute("SELECT value FROM national_indicators WHERE indicator = 'kcik_assisted' AND year = 2022 "
                      "AND breakdown = 'total'").fetchone() == (254,)  # and it goes on


def test_every_indicator_is_described(db):
    used = {r[0] for r in db.execute("SELECT DISTINCT indicator FROM national_indicators").fetchall()}
    rows = db.execute("SELECT indicator, counts_pl, counts_en, unit_pl, unit_en FROM indicators").fetchall()
    assert {r[0] for r in rows} == used
    assert all(all(r) for r in rows)


def test_sums_hold(db):
    rows = db.execute("SELECT check_name, severity, detail FROM data_quality WHERE dataset = 'national_indicators' "
                      "AND check_name IN ('exploitation_sum', 'sex_sum') AND key = 'all'").fetchall()
    sets = {name: db.execute(f"SELECT count(DISTINCT (indicator, year)) FROM national_indicators WHERE {where}")
            .fetchone()[0] for name, where in (("exploitation", "breakdown LIKE 'exploitation=%'"),
                                              ("sex", "breakdown IN ('female', 'male')"))}
    assert sorted(rows) == [
        ("exploitation_sum", "info", f"indicator-years whose exploitation types do not exceed the total: "
                                     f"{sets['exploitation']} of {sets['exploitation']} agree"),
        ("sex_sum", "info", f"indicator-years whose female + male do not exceed the total: {sets['sex']} of "
                            f"{sets['sex']} agree")]
    # The base file's sets add up exactly (SQL, not the check): no "covers part" note for them either.
    exact = db.execute("""SELECT count(*) FROM (SELECT indicator, year, sum(value) AS parts FROM national_indicators
                          WHERE breakdown LIKE 'exploitation=%' AND source_id NOT LIKE 'unodc%' GROUP BY ALL) p
                          JOIN national_indicators t USING (indicator, year)
                          WHERE t.breakdown = 'total' AND t.value = p.parts""").fetchone()[0]
    assert exact == 7
    assert db.execute("SELECT count(*) FROM data_quality WHERE dataset = 'national_indicators' "
                      "AND severity = 'error'").fetchone() == (0,)


def test_the_2017_conflict_is_a_warning_with_both_rows_kept(db):
    rows = db.execute("SELECT severity, detail, expected, actual FROM data_quality "
                      "WHERE dataset = 'national_indicators' AND check_name = 'conflicting_sources'").fetchall()
    assert len(rows) == 1
    severity, detail, expected, actual = rows[0]
    assert (severity, expected, actual) == ("warning", "135", "126")
    found = detail.split(". Known:")[0]  # the check's own words, not the sidecar's explanation
    assert "tip2019 gives 135" in found and "heuni gives 126" in found and "both rows are kept" in found
    kept = db.execute("SELECT source_id, value FROM national_indicators WHERE indicator = 'investigations_prosecutors' "
                      "AND year = 2017 AND breakdown = 'total' ORDER BY source_id").fetchall()
    assert kept == [("heuni", 126), ("tip2019", 135)]


def broken_exploitation_sum(raw):
    edit(raw / "national_indicators.csv", "kcik_assisted,2019,exploitation=other,26,", "kcik_assisted,2019,exploitation=other,27,")
    return BuildError, ["exploitation_sum", "kcik_assisted 2019", "226 vs exploitation types", "exceed the total",
                        "= 227", "Not a known discrepancy"]


def broken_sex_sum(raw):
    edit(raw / "national_indicators.csv", "prosecutor_victims,2015,female,48,", "prosecutor_victims,2015,female,49,")
    return BuildError, ["sex_sum", "prosecutor_victims 2015", "115 vs female + male", "exceed the total", "= 116"]


def changed_conflict(raw):
    # The conflict is no longer the one the sidecar knows: the sidecar's exception is stale, which stops the build
    # (a new conflict alone is a warning: see test_a_new_conflict_is_a_warning_naming_both_sources).
    edit(raw / "national_indicators.csv", "2017,total,126,heuni", "2017,total,125,heuni")
    return BuildError, ["conflicting_sources", "investigations_prosecutors 2017 total", "no longer occurs",
                        "published 135, parts add up to 126"]


def unknown_also_in(raw):
    edit(raw / "national_indicators.csv", "tip2017,tip2018 mswia2016,", "tip2017,tip2018 mswia2099,")
    return InputError, ["national_indicators.csv", "row 3", "column 'also_in'", "'mswia2099'"]


def undescribed_indicator(raw):
    edit(raw / "national_indicators.csv", "convicted,2014,", "acquitted,2014,")
    return InputError, ["national_indicators.csv", "column 'indicator'", "'acquitted'", "indicators"]


CASES = [broken_exploitation_sum, broken_sex_sum, changed_conflict, unknown_also_in, undescribed_indicator]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_national_indicators_fail_the_build(env, case):
    raw, pointer = env
    before = snapshot(pointer)
    error, fragments = case(raw)
    with pytest.raises(error) as exc:
        build(pointer, raw_dir=raw)
    message = str(exc.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert snapshot(pointer) == before


def test_a_new_conflict_is_a_warning_naming_both_sources(env):
    """Two sources disagreeing is what the sources say, not an error in the file: both rows are kept and the build
    goes on, with a warning that names both values and both sources."""
    raw, pointer = env
    with open(raw / "national_indicators.csv", "a", encoding="utf-8") as f:
        f.write("kcik_assisted,2022,total,250,heuni,,invented for a test\n")
    build(pointer, raw_dir=raw)
    import duckdb

    con = duckdb.connect(str(pointer), read_only=True)
    rows = con.execute("SELECT severity, detail FROM data_quality WHERE check_name = 'conflicting_sources' "
                       "AND key = 'kcik_assisted 2022 total'").fetchall()
    kept = con.execute("SELECT source_id, value FROM national_indicators WHERE indicator = 'kcik_assisted' "
                       "AND year = 2022 AND breakdown = 'total' ORDER BY source_id").fetchall()
    assert len(rows) == 1 and rows[0][0] == "warning"
    assert "tip2023 gives 254" in rows[0][1] and "heuni gives 250" in rows[0][1]
    assert kept == [("heuni", 250), ("tip2023", 254)]


def test_a_set_covering_part_of_its_total_is_noted_not_refused(env):
    """Types of exploitation that add up to less than the total (a partial breakdown, as UNODC's) are kept, with a
    note saying how much of the total they cover; more than the total is refused (above)."""
    raw, pointer = env
    edit(raw / "national_indicators.csv", "kcik_assisted,2019,exploitation=other,26,", "kcik_assisted,2019,exploitation=other,20,")
    build(pointer, raw_dir=raw)
    import duckdb

    con = duckdb.connect(str(pointer), read_only=True)
    rows = con.execute("SELECT severity, detail FROM data_quality WHERE check_name = 'exploitation_sum' "
                       "AND key = 'kcik_assisted 2019'").fetchall()
    assert rows == [("info", "kcik_assisted 2019: total (tip2020) 226 vs exploitation types: the parts cover 220 of "
                             "226; the rest is not broken down this way")]
