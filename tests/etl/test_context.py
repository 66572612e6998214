"""The Context datasets as loaded, against the passages of the source documents."""

import pytest

from etl.build import build
from etl.errors import InputError
from tests.etl.test_bad_input import edit, env, snapshot  # noqa: F401 - fixtures and helpers
from tests.helpers import SHARED, require_shared


def test_survey_shares(db):
    assert dict(db.execute("SELECT key, share_pct FROM survey_obop2010").fetchall()) == {
        "unaware": 36, "unsafe_trip": 25, "check_employer": 34, "check_agency": 22}
    assert db.execute("SELECT published FROM survey_obop2010 WHERE key = 'unsafe_trip'").fetchone() == ("jedna czwarta",)


def test_passages_are_in_the_documents(db):
    require_shared(SHARED / "seeds")
    files = sorted((SHARED / "seeds").glob("*.txt"))
    assert files, f"no seed documents in {SHARED / 'seeds'}"
    seeds = " ".join(p.read_text(encoding="utf-8") for p in files)
    seeds = " ".join(seeds.split())
    for table in ("survey_obop2010", "regional_teams", "prevention_swietokrzyskie_2017", "iom_project"):
        for (passage,) in db.execute(f"SELECT passage FROM {table}").fetchall():
            for part in passage.split("[...]"):
                assert " ".join(part.strip(' "').split()) in seeds, (table, part)


def test_prevention_counts(db):
    rows = {k: (e, r, a) for k, e, r, a in db.execute(
        "SELECT key, events, reach, approx FROM prevention_swietokrzyskie_2017").fetchall()}
    assert rows["school_meetings"] == (233, 8201, False)
    assert rows["police_trainings"] == (14, 359, False)
    assert rows["eures_group_meetings"] == (46, 1096, False)
    assert rows["survey_2016_2017"][1] == 856
    assert rows["comics"][1] == 2000 and rows["discs"] == (None, 400, True)


def test_regional_teams_only_what_is_stated(db):
    teams = {t: (f, m) for t, f, m in db.execute("SELECT teryt, founded, members FROM regional_teams").fetchall()}
    assert teams["14"] == ("2010-10", None)  # mazowieckie, the first
    assert teams["08"] == ("2014-06-13", 28)  # lubuskie, the second, 28 members
    assert set(teams) == {"14", "08", "26", "28"}
    assert [k for k, (f, _) in teams.items() if f] == ["14", "08"]  # no date is inferred


def test_iom_targets_and_events(db):
    targets = dict(db.execute("SELECT key, value FROM iom_project WHERE kind = 'target'").fetchall())
    assert targets == {"target_workshops": 400, "target_elearning": 3000, "target_study_visits": 2}
    start, end = db.execute("SELECT start, \"end\" FROM iom_project WHERE kind = 'period'").fetchone()
    assert (str(start), str(end)) == ("2020-12-20", "2024-04-30")
    assert db.execute("SELECT count(*) FROM iom_project WHERE kind = 'event'").fetchone() == (11,)


def test_a_date_the_source_does_not_give_is_refused(env):  # noqa: F811
    raw, pointer = env
    before = snapshot(pointer)
    edit(raw / "regional_teams.csv", "14,mazowieckie,2010-10,", "14,mazowieckie,2010-13,")
    with pytest.raises(InputError) as exc:
        build(pointer, raw_dir=raw)
    assert "regional_teams.csv, row 2, column 'founded'" in str(exc.value)
    assert snapshot(pointer) == before
