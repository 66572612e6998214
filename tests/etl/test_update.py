"""`python -m etl update` and `rollback`: an invented year goes in checked and reversible, and the dashboard follows
(bad input: test_update_bad_input.py)."""

from __future__ import annotations

import io
import re

import duckdb
import pandas as pd
import pytest

from etl.__main__ import main
from etl.authors import shell_account
from etl.build import is_stale
from etl.store import ledger_path, read_ledger
from tests.helpers import ROOT, built_copy, committed_updates, numbered, snapshot

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
    """What the test's own publishes added to the raw folder's updates (not the committed ones)."""
    names = {p.name for p in (raw / "updates").glob("*")} if (raw / "updates").exists() else set()
    return sorted(names - committed_updates())


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
    con = duckdb.connect(str(pointer), read_only=True)
    warnings = con.execute("SELECT count(*) FROM data_quality WHERE severity = 'warning'").fetchone()[0]
    con.close()
    # the live build's warnings, none new (an added year adds no mismatch)
    assert f"checks: 0 failing, {warnings} warnings" in out and "(new)" not in out
    assert "referrals_year_vs_enrolments [2013]" in out
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


@pytest.mark.slow
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


def maps_by_year_shown(at) -> tuple[int, str]:
    """The Referrals page's maps by year: how many it draws, and the figure's name (which names its years)."""
    spec = next(c.proto.spec for c in at.get("plotly_chart") if "referrals_maps_by_year" in c.proto.spec)
    return spec.count('"type":"choropleth"'), re.search(r'"name":"(referrals_maps_by_year[^"]*)"', spec)[1]


def pages_follow(referrals: str, me) -> None:
    """The pages after the invented year's publish: the Overview's total, the Referrals page's maps by year, the Data
    page's change history and its CSV."""
    from streamlit.testing.v1 import AppTest

    from app import downloads, figures

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
    assert maps_by_year_shown(at) == (figures.MULTIPLES_AT_FIRST, "referrals_maps_by_year_count_2007-2014")
    at = at.toggle(key="referrals.all.toggle").set_value(True).run()
    assert maps_by_year_shown(at) == (9, "referrals_maps_by_year_count")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.switch_page("pages/4_Data.py")
    at.run()
    history = at.dataframe[1].value  # after data quality: the change history
    assert list(history.action) == ["publish"] * 3 and f"updates/{referrals}" in set(history.file)
    log = pd.read_csv(io.BytesIO(downloads.changes_csv()), dtype=str, encoding="utf-8-sig")
    assert list(log.rows_added) == ["16", "16", "1"] and set(log.by) == {me.name}  # newest first


@pytest.mark.slow
def test_publish_follow_and_roll_back(env, capsys):
    raw, pointer = env
    from app import data, figures, slides

    before = snapshot(pointer)
    assert update(env, *YEAR_FILES) == 0
    victims, referrals, population = (numbered(0, "programme_victims.csv"), numbered(1, "programme_referrals.csv"),
                                      numbered(2, "population.csv"))
    out = capsys.readouterr().out
    assert f"Published updates/{victims}" in out
    publish_id = read_ledger(pointer).publish_id.iloc[-1]
    assert out.rstrip().endswith(f"publish id: {publish_id}")  # what `rollback --publish-id` takes
    assert snapshot(pointer) != before
    assert active_updates(raw) == sorted([victims, victims + ".meta.yml", referrals, referrals + ".meta.yml",
                                          population, population + ".meta.yml"])
    # the files as received, byte for byte
    assert (raw / "updates" / referrals).read_bytes() == YEAR_FILES[3].read_bytes()
    assert not is_stale(pointer, raw)  # `make run` would not rebuild it away
    log = read_ledger(pointer)
    me = shell_account()
    assert list(log.action) == ["publish"] * 3 and set(log.by) == {me.name}  # the account that ran the command
    assert set(log.signed_in) == {me.signed_in} and me.signed_in.startswith("shell account ")
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
    pages_follow(referrals, me)

    # Roll back, naming the publish: the previous state, recorded.
    assert run(env, "rollback", "--publish-id", publish_id) == 0
    assert f"rolled back updates/{victims}" in capsys.readouterr().out
    assert (data.headline()["total"], figures.referral_years()[-1]) == (241, 2013)
    assert active_updates(raw) == ["withdrawn"] and len(list((raw / "updates" / "withdrawn").iterdir())) == 6
    assert not is_stale(pointer, raw)
    assert list(read_ledger(pointer).action) == ["publish"] * 3 + ["rollback"] * 3
    assert run(env, "rollback", "--publish-id", publish_id) == 4  # no longer live: refused, naming who did it
    assert f"publish {publish_id} is not live: rollback {publish_id}" in capsys.readouterr().err


def test_a_dry_run_needs_no_provenance_and_a_publish_does(env, capsys):
    """The README's step 1 as written (no provenance): a dry run changes nothing, so it asks for none; publishing
    the same files without it is refused, naming what is missing."""
    raw, pointer = env
    before = snapshot(pointer)
    assert update(env, *YEAR_FILES, meta=None, extra=["--dry-run"]) == 0
    assert "once the provenance is given: title, publisher, date, licence" in capsys.readouterr().out
    assert update(env, *YEAR_FILES, meta=None) == 2
    err = capsys.readouterr().err
    assert "provenance" in err and "--source-title" in err and "missing title, publisher, date, licence" in err
    assert snapshot(pointer) == before and active_updates(raw) == [] and not ledger_path(pointer).exists()
