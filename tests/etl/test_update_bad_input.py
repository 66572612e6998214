"""`python -m etl update` refuses bad input with its file, row and column while the live database stays
byte-identical; a national count and a UN revision go in by the same path."""

from __future__ import annotations

import duckdb
import pytest
from openpyxl import Workbook

from etl.store import ledger_path
from tests.etl.test_update import SYNTH, active_updates, env, update  # noqa: F401 - the fixture
from tests.helpers import numbered, snapshot


# --- bad input: each refused with its message, the live database byte-identical -------------------------

def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


VICTIMS_HEAD = "year,total,women,men,minors_in_care,minors_unaccompanied\n"


def wrong_encoding(tmp_path):
    return ["programme_referrals", _write(tmp_path, "r.csv", "year,voivodeship,referrals\n2014,łódzkie,3\n", "cp1250")], \
        2, ["r.csv", "row 2", "UTF-8", "Windows-1250"]


def missing_column(tmp_path):
    return ["population", _write(tmp_path, "p.csv", "year,teryt\n2014,02\n")], 2, ["p.csv", "row 1", "column 'population'"]


def extra_column(tmp_path):
    return ["population", _write(tmp_path, "p.csv", "year,teryt,population,x\n2014,02,2900000,1\n")], \
        2, ["p.csv", "row 1", "column 'x'", "an extra column"]


def non_numeric(tmp_path):
    return ["programme_victims", _write(tmp_path, "v.csv", VICTIMS_HEAD + "2014,40,x24,12,1,3\n")], \
        2, ["v.csv", "row 2", "column 'women'", "'x24'"]


def negative(tmp_path):
    return ["programme_victims", _write(tmp_path, "v.csv", VICTIMS_HEAD + "2014,40,24,-12,1,3\n")], \
        2, ["v.csv", "row 2", "column 'men'", "'-12'"]


def year_out_of_range(tmp_path):
    return ["programme_victims", _write(tmp_path, "v.csv", VICTIMS_HEAD + "2104,40,24,12,1,3\n")], \
        2, ["v.csv", "row 2", "column 'year'", "from 1990 to 2100", "'2104'"]


def duplicated_key(tmp_path):
    return ["population", _write(tmp_path, "p.csv", "year,teryt,population\n2014,02,2900000\n2014,02,2900001\n")], \
        2, ["p.csv", "row 3", "already on row 2"]


def unknown_voivodeship(tmp_path):
    return ["programme_referrals", _write(tmp_path, "r.csv", "year,voivodeship,referrals\n2014,atlantis,3\n")], \
        2, ["r.csv", "row 2", "column 'voivodeship'", "'atlantis'"]


def unknown_country(tmp_path):
    return ["emigration_stock", _write(tmp_path, "e.csv", "year,iso3,emigrants_thousands,source_id\n2021,ATL,5,gus2021\n")], \
        2, ["e.csv", "row 2", "column 'iso3'", "'ATL'"]


def groups_exceed_total(tmp_path):
    return ["programme_victims", _write(tmp_path, "v.csv", VICTIMS_HEAD + "2014,40,30,12,1,3\n")], \
        3, ["victims_row_sum", "[2014]", "published 40, the parts add up to 46"]


def population_jump(tmp_path):
    rows = (SYNTH / "population_2014.csv").read_text(encoding="utf-8").replace("2014,02,2907087", "2014,02,3207087")
    return ["population", _write(tmp_path, "p.csv", rows)], 2, ["p.csv", "column 'population'", "a change under 5%",
                                                                "02 2014: 3,207,087 after 2,909,997 (+10.2%)"]


def empty_file(tmp_path):
    return ["population", _write(tmp_path, "p.csv", "")], 2, ["p.csv", "an empty file"]


def too_big(tmp_path):
    return ["population", _write(tmp_path, "p.csv", "year,teryt,population\n" + "2014,02,1\n" * 300_000)], \
        2, ["p.csv", "at most 2000 KB"]


NATIONAL_HEAD = "indicator,year,breakdown,value,source_id,also_in,note\n"
UN_HEAD = "year,iso3,persons\n"


def national_unknown_source(tmp_path):
    return ["national_indicators", _write(tmp_path, "n.csv", NATIONAL_HEAD + "kcik_assisted,2023,total,300,nobody,,\n")], \
        2, ["n.csv", "row 2", "column 'source_id'", "'nobody'"]


def national_unknown_also_in(tmp_path):
    return ["national_indicators", _write(tmp_path, "n.csv", NATIONAL_HEAD + "kcik_assisted,2023,total,300,tip2023,nobody,\n")], \
        2, ["n.csv", "row 2", "column 'also_in'", "'nobody'"]


def national_undescribed(tmp_path):
    return ["national_indicators", _write(tmp_path, "n.csv", NATIONAL_HEAD + "acquitted,2023,total,3,tip2023,,\n")], \
        2, ["n.csv", "row 2", "column 'indicator'", "'acquitted'", "an `indicators` update"]


def national_not_a_value(tmp_path):
    return ["national_indicators", _write(tmp_path, "n.csv", NATIONAL_HEAD + "kcik_assisted,2023,total,about 300,tip2023,,\n")], \
        2, ["n.csv", "row 2", "column 'value'", "'<5'", "'>1000'", "'about 300'"]


def national_bound_below_one(tmp_path):
    return ["national_indicators", _write(tmp_path, "n.csv", NATIONAL_HEAD + "kcik_assisted,2023,total,300,tip2023,,\n"
                                          "kcik_assisted,2023,minors,<1,tip2023,,\n")], \
        2, ["n.csv", "row 3", "column 'value'", "'<1'", "'<0' and '<1' are not bounds"]


def national_bound_below_zero(tmp_path):
    return ["national_indicators", _write(tmp_path, "n.csv", NATIONAL_HEAD + "kcik_assisted,2023,minors,<0,tip2023,,\n")], \
        2, ["n.csv", "row 2", "column 'value'", "'<0'", "'<0' and '<1' are not bounds"]


def national_parts_exceed_total(tmp_path):
    # one form of exploitation beyond UNODC's 2022 total of 277 (its own forms, 250 + 20 + 31, exceed that total in
    # the file and are not carried into the national counts: listed in data_quality instead)
    return ["national_indicators", _write(tmp_path, "n.csv", NATIONAL_HEAD + "unodc_detected_victims,2022,"
                                          "exploitation=forced begging,278,unodc_glotip2025,,\n")], \
        3, ["exploitation_sum", "unodc_detected_victims 2022", "the parts exceed the total", "= 278"]


def national_bad_breakdown(tmp_path):
    return ["national_indicators", _write(tmp_path, "n.csv", NATIONAL_HEAD + "kcik_assisted,2023,young,3,tip2023,,\n")], \
        3, ["national_indicators", "column 'breakdown'", "'young'"]


def un_unknown_country(tmp_path):
    return ["migrant_stock_born_in_poland", _write(tmp_path, "u.csv", UN_HEAD + "2024,ATL,5\n2024,WLD,5\n")], \
        2, ["u.csv", "row 2", "column 'iso3'", "'ATL'"]


def un_world_below_destinations(tmp_path):
    return ["migrant_stock_born_in_poland", _write(tmp_path, "u.csv", UN_HEAD + "2024,DEU,500\n2024,GBR,400\n"
                                                                               "2024,WLD,800\n")], \
        3, ["destinations_vs_world", "[2024]", "published 800, the parts add up to 900"]


def indicator_bad_topic(tmp_path):
    head = "indicator,label_pl,label_en,counts_pl,counts_en,population_pl,population_en,unit_pl,unit_en,topic\n"
    return ["indicators", _write(tmp_path, "i.csv", head + "x_count,x,x,x,x,,,osoby,persons,weather\n")], \
        3, ["indicators", "column 'topic'", "'weather'"]


def _xlsx(tmp_path, sheets: int = 1, formula: bool = False):
    book = Workbook()
    ws = book.active
    ws.append(["rok", "ilość ofiar", "kobiety", "mężczyźni", "małoletni pod opieką", "małoletni bez opieki"])
    ws.append([2014, "=C2+D2+E2+F2" if formula else 40, 24, 12, 1, 3])
    for i in range(1, sheets):
        book.create_sheet(f"extra{i}")
    path = tmp_path / "v.xlsx"
    book.save(path)
    return path


def xlsx_formula(tmp_path):
    return ["programme_victims", _xlsx(tmp_path, formula=True)], 2, ["v.xlsx", "row 2", "column 'B2'",
                                                                    "published numbers, not formulas"]


def xlsx_two_sheets(tmp_path):
    return ["programme_victims", _xlsx(tmp_path, sheets=2)], 2, ["v.xlsx", "a workbook with one sheet", "2 sheets"]


CASES = [wrong_encoding, missing_column, extra_column, non_numeric, negative, year_out_of_range, duplicated_key,
         unknown_voivodeship, unknown_country, groups_exceed_total, population_jump, empty_file, too_big, xlsx_formula,
         xlsx_two_sheets, national_unknown_source, national_unknown_also_in, national_undescribed, national_not_a_value,
         national_bound_below_one, national_bound_below_zero,
         national_parts_exceed_total, national_bad_breakdown, un_unknown_country, un_world_below_destinations,
         indicator_bad_topic]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
@pytest.mark.parametrize("dry", [True, False], ids=["dry-run", "publish"])
def test_bad_update_is_refused_and_database_kept(env, tmp_path, capsys, case, dry):
    raw, pointer = env
    before = snapshot(pointer)
    args, code, fragments = case(tmp_path)
    meta = None if "--meta-none" in args else SYNTH / "provenance.yml"
    args = [a for a in args if a != "--meta-none"]
    assert update(env, *args, meta=meta, extra=["--dry-run"] if dry else []) == code
    err = capsys.readouterr()
    message = err.err + err.out
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert snapshot(pointer) == before
    assert [n for n in active_updates(raw) if n != ".pending"] == []
    assert not ledger_path(pointer).exists()


def test_published_xlsx_layout_is_read(env, tmp_path, capsys):
    """The ministry's layout as XLSX (no formulas, one sheet) gives the same row as the long CSV."""
    assert update(env, "programme_victims", _xlsx(tmp_path), extra=["--dry-run"]) == 0
    assert "+ total=40, women=24, men=12, minors_in_care=1, minors_unaccompanied=3" in capsys.readouterr().out


def test_dry_run_applies_the_data_contract(env, tmp_path, capsys):
    """What only the contract catches (a count too large for its column) fails the dry run, not just the publish."""
    raw, pointer = env
    big = _write(tmp_path, "v.csv", VICTIMS_HEAD + "2014,3000000000,3000000000,0,0,0\n")
    before = snapshot(pointer)
    assert update(env, "programme_victims", big, extra=["--dry-run"]) == 3
    out = capsys.readouterr().out
    assert "error (new): programme_victims / contract" in out and "column 'total'" in out and "3000000000" in out
    assert snapshot(pointer) == before


def test_a_national_count_and_a_un_revision_dry_run_and_publish(env, tmp_path, capsys):
    """The two series that grow every year or two take updates like the Programme tables: dry run, publish, live."""
    raw, pointer = env
    national = _write(tmp_path, "n.csv", NATIONAL_HEAD + "kcik_assisted,2023,total,300,tip2023,,INVENTED\n"
                                                         "kcik_assisted,2023,minors,<5,tip2023,,INVENTED\n")
    un = _write(tmp_path, "u.csv", UN_HEAD + "2024,DEU,500\n2024,GBR,400\n2024,WLD,900\n")
    assert update(env, "national_indicators", national, "migrant_stock_born_in_poland", un,
                  extra=["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "national_indicators (national_indicators): 2 rows added" in out
    assert "+ indicator=kcik_assisted, breakdown=minors, value=<5, source_id=tip2023" in out  # as published
    assert "migrant_stock_born_in_poland (migrant_stock_born_in_poland): 2 rows added" in out
    assert "migrant_stock_born_in_poland (migrant_stock_born_in_poland_world): 1 rows added" in out
    assert update(env, "national_indicators", national, "migrant_stock_born_in_poland", un) == 0
    con = duckdb.connect(str(pointer), read_only=True)
    assert con.execute("SELECT value, value_as_published FROM national_indicators WHERE indicator = 'kcik_assisted' "
                       "AND year = 2023 ORDER BY breakdown").fetchall() == [(None, "<5"), (300, "300")]
    assert con.execute("SELECT persons, source_id FROM migrant_stock_born_in_poland_world WHERE year = 2024"
                       ).fetchall() == [(900, f"update_{int(numbered(1, 'x')[:4]):04d}")]
