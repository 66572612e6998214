"""Bad raw input: a clear error naming file, row and column, a non-zero exit, the database untouched."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from etl.build import build
from etl.errors import BuildError, InputError
from tests.helpers import ROOT, built_copy, snapshot


@pytest.fixture
def env(tmp_path):
    """A copy of data/raw and a good build made from it."""
    return built_copy(tmp_path)


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def non_numeric(raw):
    edit(raw / "programme_victims.tsv", "2009\t22\t21", "2009\t22\tx21")
    return InputError, ["programme_victims.tsv", "row 5", "column 'kobiety'", "expected a count", "'x21'"]


def negative(raw):
    edit(raw / "programme_referrals.tsv", "dolnośląskie\t-\t-\t-\t-\t-\t3\t27", "dolnośląskie\t-\t-\t-\t-\t-\t-3\t27")
    return InputError, ["programme_referrals.tsv", "row 3", "column '2011'", "'-3'"]


def missing_column(raw):
    path = raw / "programme_victims.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join("\t".join(line.split("\t")[:5]) for line in lines) + "\n", encoding="utf-8")
    return InputError, ["programme_victims.tsv", "row 1", "column 'małoletni bez opieki'"]


def extra_column(raw):
    path = raw / "emigration_gus.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line + ",x" for line in lines) + "\n", encoding="utf-8")
    return InputError, ["emigration_gus.csv", "row 1", "extra column 'x'"]


def short_row(raw):
    edit(raw / "programme_referrals.tsv", "opolskie\t-\t-\t-\t-\t-\t1\t1\t-\t2", "opolskie\t-\t-\t-\t-\t-\t1\t1")
    return InputError, ["programme_referrals.tsv", "row 16", "column '2013'", "10 values per row"]


def duplicated_year(raw_dir):
    path = raw_dir / "programme_victims.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(9, lines[8])  # 2013 twice, before SUMA
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return InputError, ["programme_victims.tsv", "row 10", "column 'rok'", "already on row 9"]


def duplicated_key(raw):
    path = raw / "programme_referrals.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    return InputError, ["programme_referrals.tsv", "row 18", "column 'województwo'", "already on row 2"]


def duplicated_country_year(raw):
    edit(raw / "emigration_gus.csv", "2012,Wielka Brytania,United Kingdom,GBR,637,wp2013",
         "2012,Wielka Brytania,United Kingdom,GBR,637,wp2013\n2012,Wielka Brytania,United Kingdom,GBR,640,wp2013")
    return InputError, ["emigration_gus.csv", "column 'iso3'", "already on row"]


def unknown_voivodeship(raw):
    edit(raw / "programme_referrals.tsv", "mazowieckie\t4", "mazowickie\t4")
    return InputError, ["programme_referrals.tsv", "row 2", "column 'województwo'", "'mazowickie'"]


def unknown_country(raw):
    edit(raw / "emigration_gus.csv", "United Kingdom,GBR,637", "United Kingdom,GBX,637")
    return InputError, ["emigration_gus.csv", "column 'iso3'", "a country listed in countries.csv", "'GBX'"]


def empty_file(raw):
    (raw / "emigration_gus.csv").write_bytes(b"")
    return InputError, ["emigration_gus.csv", "expected a header row and data rows", "an empty file"]


def wrong_encoding(raw):
    path = raw / "programme_victims.tsv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1250"))
    return InputError, ["programme_victims.tsv", "row 1", "UTF-8", "Windows-1250"]


def truncated(raw):
    path = raw / "programme_victims.tsv"
    path.write_text(path.read_text(encoding="utf-8")[:200], encoding="utf-8")
    return InputError, ["programme_victims.tsv", "row"]


def junk(raw):
    (raw / "poles_abroad_undesa2020.csv").write_bytes(os.urandom(3_000_000))
    return InputError, ["poles_abroad_undesa2020.csv", "at most 2000 KB", "3,000,000 bytes"]


def unknown_mismatch(raw):
    edit(raw / "programme_referrals.tsv", "mazowieckie\t4\t5\t6\t5\t9\t10\t7\t8\t54",
         "mazowieckie\t4\t5\t6\t5\t9\t10\t7\t8\t55")
    return BuildError, ["referrals_row_total", "mazowieckie", "published 55", "add up to 54",
                        "Not a known discrepancy"]


def stale_known_discrepancy(raw):
    # One more 2013 referral: the year now adds up to its 56 enrolments, so the sidecar's exception is stale.
    edit(raw / "programme_referrals.tsv", "dolnośląskie\t-\t-\t-\t-\t-\t3\t27\t1\t31",
         "dolnośląskie\t-\t-\t-\t-\t-\t3\t27\t2\t32")
    return BuildError, ["referrals_year_vs_enrolments [2013]", "no longer occurs", "known_discrepancies"]


def unknown_country_name(raw):
    edit(raw / "emigration_gus.csv", "2012,Ogółem,TOTAL,,2130", "2012,Ogółem,Atlantis,,2130")
    return InputError, ["emigration_gus.csv", "column 'iso3'", "an aggregate named one of", "'Atlantis'"]


def decimal_count(raw):
    edit(raw / "programme_victims.tsv", "2012\t57\t30", "2012\t57\t30,5")
    return InputError, ["programme_victims.tsv", "row 8", "column 'kobiety'", "'30,5'"]


def missing_sidecar(raw):
    (raw / "population_voivodeship.csv.meta.yml").unlink()
    return InputError, ["population_voivodeship.csv.meta.yml", "a metadata sidecar"]


def missing_voivodeship_row(raw):
    path = raw / "programme_referrals.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("opolskie")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return InputError, ["programme_referrals.tsv", "column 'województwo'", "no row for opolskie"]


def missing_total_row(raw):
    path = raw / "programme_victims.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("SUMA")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return InputError, ["programme_victims.tsv", "a 'SUMA' row"]


def binary_nul(raw):
    path = raw / "countries.csv"
    path.write_bytes(path.read_bytes()[:200] + b"\x00\x00" + path.read_bytes()[200:])
    return InputError, ["countries.csv", "text, not binary data", "row"]


CASES = [non_numeric, negative, decimal_count, missing_column, extra_column, short_row, duplicated_year,
         duplicated_key, duplicated_country_year, unknown_voivodeship, unknown_country, unknown_country_name,
         empty_file, wrong_encoding, truncated, junk, binary_nul, unknown_mismatch, stale_known_discrepancy,
         missing_sidecar,
         missing_voivodeship_row, missing_total_row]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_is_refused_and_database_kept(env, case):
    raw, pointer = env
    before = snapshot(pointer)
    error, fragments = case(raw)
    with pytest.raises(error) as exc:
        build(pointer, raw_dir=raw)
    message = str(exc.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert snapshot(pointer) == before
    assert not list(pointer.parent.glob("*.builds/*.partial"))


def test_cli_exit_code_and_message(env):
    raw, pointer = env
    before = snapshot(pointer)
    non_numeric(raw)
    proc = subprocess.run([sys.executable, "-m", "etl", "--db", str(pointer), "--raw", str(raw)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "programme_victims.tsv, row 5, column 'kobiety': expected a count" in proc.stderr
    assert "The database was not changed" in proc.stderr
    assert snapshot(pointer) == before


def test_utf8_bom_is_read_correctly(env):
    raw, pointer = env
    path = raw / "programme_referrals.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = build(pointer, raw_dir=raw)
    import duckdb
    con = duckdb.connect(str(result.path), read_only=True)
    assert con.execute("SELECT sum(referrals) FROM programme_referrals").fetchone() == (240,)
    assert con.execute("SELECT count(*) FROM programme_referrals r JOIN voivodeships v USING (teryt) "
                       "WHERE v.name_pl = 'śląskie'").fetchone() == (8,)
    con.close()


def test_stray_spaces_and_nbsp_in_numbers_parse_to_the_same_values(env):
    raw, pointer = env
    edit(raw / "programme_victims.tsv", "2012\t57\t30\t23", "2012\t 57\u00a0\t\u00a030 \t23\u202f")
    edit(raw / "population_voivodeship.csv", "2013,14,mazowieckie,5316840", "2013,14,mazowieckie,5\u00a0316\u00a0840")
    result = build(pointer, raw_dir=raw)
    import duckdb
    con = duckdb.connect(str(result.path), read_only=True)
    assert con.execute("SELECT total, women, men FROM programme_victims WHERE year = 2012").fetchone() == (57, 30, 23)
    assert con.execute("SELECT population FROM population WHERE year = 2013 AND teryt = '14'").fetchone() == (5316840,)
    con.close()


def test_changed_raw_file_is_flagged(env):
    """A raw file edited without updating its sidecar's sha256 is a visible warning."""
    raw, pointer = env
    edit(raw / "emigration_gus.csv", "2012,Wielka Brytania,United Kingdom,GBR,637,wp2013",
         "2012,Wielka Brytania,United Kingdom,GBR,637,wp2013 ")
    result = build(pointer, raw_dir=raw)
    flagged = [f for f in result.findings if f.check_name == "raw_checksum"]
    assert [(f.key, f.severity) for f in flagged] == [("emigration_gus.csv", "warning")]
