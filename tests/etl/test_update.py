"""`python -m etl update` and `rollback`: an invented year goes in checked and reversible, the dashboard follows,
and bad input is refused with its file, row and column while the live database stays byte-identical."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from openpyxl import Workbook

from etl.__main__ import main
from etl.build import current_build, is_stale
from etl.publish import ledger_path, read_ledger
from tests.helpers import ROOT, built_copy, snapshot

SYNTH = ROOT / "tests" / "fixtures" / "synthetic_year"
YEAR_FILES = ["programme_victims", SYNTH / "programme_victims_2014.csv",
              "programme_referrals", SYNTH / "programme_referrals_2014.csv",
              "population", SYNTH / "population_2014.csv"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A copy of data/raw, a good build of it, and the app pointed at that build."""
    raw, pointer = built_copy(tmp_path)
    monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    return raw, pointer


def run(env, *args: object) -> int:
    raw, pointer = env
    return main([str(a) for a in args] + ["--db", str(pointer), "--raw", str(raw)])


def update(env, *pairs: object, meta=SYNTH / "provenance.yml", extra=()) -> int:
    return run(env, "update", *pairs, *(["--meta", meta] if meta else []), *extra)


def active_updates(raw) -> list[str]:
    return sorted(p.name for p in (raw / "updates").glob("*")) if (raw / "updates").exists() else []


def test_dry_run_shows_the_changes_and_changes_nothing(env, capsys):
    raw, pointer = env
    before = snapshot(pointer)
    assert update(env, *YEAR_FILES, extra=["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "programme_victims (programme_victims): 1 rows added, 0 cells changed, 0 rows removed" in out
    assert "programme_referrals (programme_referrals): 16 rows added" in out
    assert "  2014: +16 rows, 0 cells changed, -0 rows" in out
    assert "+ total=40, women=24, men=12, minors_in_care=1, minors_unaccompanied=3, note=INVENTED test figure" in out
    assert "+ teryt=10, referrals=3" in out  # 'lodzkie' without diacritics is łódzkie, TERYT 10
    assert "checks: 0 failing, 3 warnings" in out and "referrals_year_vs_enrolments [2013]" in out
    assert "Dry run: nothing was changed" in out
    assert snapshot(pointer) == before and active_updates(raw) == []


def test_a_changed_cell_shows_old_and_new(env, tmp_path, capsys):
    fixed = tmp_path / "victims_2013.csv"
    fixed.write_text("year,total,women,men,minors_in_care,minors_unaccompanied\n2013,56,33,21,2,0\n", encoding="utf-8")
    code = update(env, "programme_victims", fixed, extra=["--dry-run"])
    out = capsys.readouterr().out
    assert re.search(r"~ 2013 women: \d+ -> 33", out), out
    # the changed row still adds up to its total (33 + 21 + 2 + 0 = 56): it would publish
    assert code == 0 and "checks: 0 failing" in out, out


def test_a_row_that_does_not_add_up_would_not_publish(env, tmp_path, capsys):
    raw, pointer = env
    before = snapshot(pointer)
    wrong = tmp_path / "victims_2013.csv"
    wrong.write_text("year,total,women,men,minors_in_care,minors_unaccompanied\n2013,56,40,21,2,0\n", encoding="utf-8")
    code = update(env, "programme_victims", wrong, extra=["--dry-run"])
    out = capsys.readouterr().out
    assert code == 3, out  # 40 + 21 + 2 + 0 = 63, not 56: a failing check
    assert re.search(r"checks: [1-9]\d* failing", out) and "2013" in out, out
    assert snapshot(pointer) == before


def test_publish_follow_and_roll_back(env, capsys):
    raw, pointer = env
    from streamlit.testing.v1 import AppTest

    from app import data, figures, slides

    before = snapshot(pointer)
    assert update(env, *YEAR_FILES, extra=["--by", "test suite"]) == 0
    assert "Published updates/0001-programme_victims.csv" in capsys.readouterr().out
    assert snapshot(pointer) != before
    assert active_updates(raw) == sorted(["0001-programme_victims.csv", "0001-programme_victims.csv.meta.yml",
                                          "0002-programme_referrals.csv", "0002-programme_referrals.csv.meta.yml",
                                          "0003-population.csv", "0003-population.csv.meta.yml"])
    # the files as received, byte for byte
    assert (raw / "updates" / "0002-programme_referrals.csv").read_bytes() == YEAR_FILES[3].read_bytes()
    assert not is_stale(pointer, raw)  # `make run` would not rebuild it away
    log = read_ledger(pointer)
    assert list(log.action) == ["publish"] * 3 and set(log.by) == {"test suite"}
    assert list(log.rows_added) == ["1", "16", "16"]

    # The whole dashboard follows, with no code change.
    h = data.headline()
    assert (h["first_year"], h["last_year"], h["total"]) == (2006, 2014, 281)
    assert figures.referral_years()[-1] == 2014
    assert data.referral_gaps().year.tolist() == [2013]  # the 2013 discrepancy still shows
    multiples = figures.referrals_by_year("en")
    assert [tr.name for tr in multiples.data if tr.type == "choropleth"][-1] == "2014"
    assert len([tr for tr in multiples.data if tr.type == "choropleth"]) == 9
    latest = figures.referrals_map("en")  # the default view: the latest year
    assert latest.layout.meta["name"] == "referrals_map_count_2014"
    z = {loc: v for tr in latest.data if tr.type == "choropleth" and tr.name != "no data"
         for loc, v in zip(tr.locations, tr.z)}
    assert z["02"] == 9 and z["10"] == 3 and sum(z.values()) == 40
    # Every exported Programme figure in its default view covers the new period (names carry the period).
    programme = {e.key: e.figure("en").layout.meta["name"] for e in figures.CATALOGUE
                 if e.page in ("overview", "victims", "referrals")}
    assert programme == {"overview_trend": "victims_total_2006-2014", "overview_map": "referrals_map_count_2006-2014",
                         "victims": "victims_count_2006-2014", "referrals_map": "referrals_map_count_2014",
                         "referrals_ranking": "referrals_ranking_count_2014",
                         "referrals_maps_by_year": "referrals_maps_by_year_count",
                         "referrals_heatmap": "referrals_heatmap_2006-2014"}
    rate = next(s for s in slides.SLIDES if s.key == "rate").figure("en")
    assert rate.layout.meta["name"] == "referrals_map_rate_2006-2014"
    assert "2013 referrals add up to 55 against 56" in " ".join(a.text for a in rate.layout.annotations)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    assert {m.label: m.value for m in at.metric}["Enrolled 2006–2014"] == "281"
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["below"] = "maps"
    at.switch_page("pages/2_Referrals.py")
    at.run()
    assert not at.exception
    assert "Rok po roku, 2006–2014" in [s.value for s in at.subheader]
    # More years than two rows of maps: the latest ones first, the rest behind "show all".
    def multiples(at):
        spec = next(c.proto.spec for c in at.get("plotly_chart") if "referrals_maps_by_year" in c.proto.spec)
        return spec.count('"type":"choropleth"'), re.search(r'"name":"(referrals_maps_by_year[^"]*)"', spec)[1]
    assert multiples(at) == (figures.MULTIPLES_AT_FIRST, "referrals_maps_by_year_count_2007-2014")
    at = at.toggle(key="referrals.all_years").set_value(True).run()
    assert multiples(at) == (9, "referrals_maps_by_year_count")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.switch_page("pages/4_Data.py")
    at.run()
    history = at.dataframe[1].value  # after data quality: the change history
    assert list(history.action) == ["publish"] * 3 and "updates/0002-programme_referrals.csv" in set(history.file)
    import io

    import pandas as pd
    log = pd.read_csv(io.BytesIO(data.changes_csv()), dtype=str, encoding="utf-8-sig")
    assert list(log.rows_added) == ["16", "16", "1"] and set(log.by) == {"test suite"}  # newest first

    # Roll back: the previous state, recorded.
    assert run(env, "rollback", "--by", "test suite") == 0
    assert "rolled back updates/0001-programme_victims.csv" in capsys.readouterr().out
    assert (data.headline()["total"], figures.referral_years()[-1]) == (241, 2013)
    assert active_updates(raw) == ["withdrawn"] and len(list((raw / "updates" / "withdrawn").iterdir())) == 6
    assert not is_stale(pointer, raw)
    assert list(read_ledger(pointer).action) == ["publish"] * 3 + ["rollback"] * 3
    assert run(env, "rollback") == 2  # nothing left to roll back


def test_interrupted_publish_leaves_the_previous_build(env):
    """The publishing process killed between build and swap: the old build serves, nothing half-added."""
    raw, pointer = env
    before = snapshot(pointer)
    script = ("import os, signal, sys\nimport etl.publish as p\n"
              "p._swap = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
              "from etl.__main__ import main\nsys.exit(main(sys.argv[1:]))\n")
    args = ["update", *map(str, YEAR_FILES), "--meta", str(SYNTH / "provenance.yml"), "--db", str(pointer),
            "--raw", str(raw)]
    proc = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    assert proc.returncode == -9, proc.stderr
    assert snapshot(pointer) == before
    assert [n for n in active_updates(raw) if n != ".pending"] == []
    assert not is_stale(pointer, raw) and not ledger_path(pointer).exists()


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


def no_provenance(tmp_path):
    return [*YEAR_FILES[:2], "--meta-none"], 2, ["provenance", "--source-title", "missing title"]


CASES = [wrong_encoding, missing_column, extra_column, non_numeric, negative, year_out_of_range, duplicated_key,
         unknown_voivodeship, unknown_country, groups_exceed_total, population_jump, empty_file, too_big, xlsx_formula,
         xlsx_two_sheets, no_provenance]


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
