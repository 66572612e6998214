"""A publish, a roll-back and its undo are transactions: killed at every step they are done or not done, never half;
writers started together take turns; a preview made against another build is refused; nothing is lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import preview, publish, store
from etl.__main__ import main as etl_main
from etl.build import current_build, is_stale
from tests import processes
from tests.helpers import ROOT, built_copy, committed_updates, numbered, snapshot

SYNTH = ROOT / "tests" / "fixtures" / "synthetic_year"
META = SYNTH / "provenance.yml"
POPULATION = SYNTH / "population_2014.csv"  # INVENTED: 16 rows for 2014

pytestmark = pytest.mark.slow  # see pytest.ini


@pytest.fixture
def env(tmp_path):
    raw, pointer = built_copy(tmp_path)
    return raw, pointer


def etl(env, *args, fault: str | None = None, wait: bool = True):
    """`python -m etl ...` in a process of its own (a kill -9 must not take the test with it), forked from this test
    process with the ETL already imported: the command's main() with the arguments and environment it would get
    (tests/processes.py Forked). `test_the_command_is_the_forked_one` runs the real command beside it."""
    raw, pointer = env
    proc = processes.Forked(etl_main, [*map(str, args), "--db", str(pointer), "--raw", str(raw)],
                            env={store.FAULT_ENV: fault}, cwd=ROOT)
    if not wait:
        return proc
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def command(env, *args, fault: str | None = None):
    """The real `python -m etl ...` (a fresh interpreter): (exit status, stdout, stderr)."""
    raw, pointer = env
    environ = {k: v for k, v in os.environ.items() if k != store.FAULT_ENV}
    if fault:
        environ[store.FAULT_ENV] = fault
    proc = subprocess.run([sys.executable, "-m", "etl", *map(str, args), "--db", str(pointer), "--raw", str(raw)],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def sql(pointer: Path, query: str, *params):
    con = duckdb.connect(str(current_build(pointer)), read_only=True)
    try:
        return con.execute(query, list(params)).fetchall()
    finally:
        con.close()


def state(env) -> dict:
    """What a reader of the files sees: active and withdrawn updates, the change log, leftovers."""
    raw, pointer = env
    folder = raw / "updates"
    return {"active": sorted({p.name for p in folder.glob("*") if p.is_file()} - committed_updates()),
            "withdrawn": sorted(p.name for p in (folder / "withdrawn").glob("*")) if folder.exists() else [],
            "log": [(r.action, r.file) for r in store.read_ledger(pointer).itertuples()],
            "leftovers": [p.name for p in (store.journal_path(pointer), store.waiting_dir(pointer)) if p.exists()]}


def last_id(env) -> str:
    """The publish_id of the newest change-log row: what `rollback --publish-id` names."""
    return store.read_ledger(env[1]).publish_id.iloc[-1]


def population_2014(env) -> int:
    return sql(env[1], "SELECT count(*) FROM population WHERE year = 2014")[0][0]


def publish_population(env) -> None:
    code, out, err = etl(env, "update", "population", POPULATION, "--meta", META, "--by", "test")
    assert code == 0, err


def steps(action: str) -> list[str]:
    return [s for s in store.STEPS if s.startswith(action + ".")]


def done_from(action: str, step: str) -> bool:
    """A kill at `step` leaves the change made when the step is at or after the commit point."""
    names = steps(action)
    return names.index(step) >= names.index(f"{action}.committed")


def killed_publish(env, step: str, run=etl) -> None:
    """A publish killed at `step`, then the next start of the ETL: all or nothing, recovered once."""
    raw, pointer = env
    before, files_before = snapshot(pointer), state(env)
    code, _, err = run(env, "update", "population", POPULATION, "--meta", META, "--by", "test", fault=step)
    assert code == -9, f"the fault at {step} was never reached: {err}"
    code, out, err = run(env, "--if-stale")  # the next start of the ETL: recovery, then the usual check
    assert code == 0, err
    after = state(env)
    assert after["leftovers"] == []
    if done_from("publish", step):
        name = numbered(0, "population.csv")
        assert f"finished the interrupted publish of updates/{name}" in err
        assert after["active"] == [name, name + ".meta.yml"]
        assert after["log"] == [("publish", f"updates/{name}")]  # once, however often it was redone
        assert population_2014(env) == 16
    else:
        if step == "publish.staged":  # its files were waiting for the commit: gone, never read
            assert "removed the files of an interrupted publish" in err
        assert after == {**files_before, "leftovers": []} and snapshot(pointer) == before
        assert population_2014(env) == 0
    assert "Up to date" in out  # --if-stale rebuilt nothing: what is live is what the raw files say
    live = snapshot(pointer)
    code, out, _ = run(env, "--if-stale")
    assert (code, snapshot(pointer)) == (0, live) and "Up to date" in out
    assert not is_stale(pointer, raw)


@pytest.mark.parametrize("step", steps("publish"))
def test_a_publish_killed_at_any_step_is_all_or_nothing(env, step):
    killed_publish(env, step)


@pytest.mark.parametrize("step", ["publish.staged", "publish.committed"])
def test_the_command_killed_before_or_after_the_commit_point_is_all_or_nothing(env, step):
    """The same with the real `python -m etl` (a fresh interpreter each time), killed just before the commit point and
    at it: what the forked main() stands for in the other tests."""
    killed_publish(env, step, run=command)


@pytest.mark.parametrize("action", ["rollback", "restore"])
def test_a_roll_back_or_its_undo_killed_at_any_step_is_all_or_nothing(env, action):
    raw, pointer = env
    publish_population(env)
    if action == "restore":
        assert etl(env, "rollback", "--publish-id", last_id(env))[0] == 0
    for step in steps(action):
        live = snapshot(pointer)
        was = population_2014(env)
        code, _, err = etl(env, "rollback", *(["--undo"] if action == "restore" else []), "--publish-id",
                           last_id(env), fault=step)
        assert code == -9, f"the fault at {step} was never reached: {err}"
        code, out, err = etl(env, "--if-stale")
        assert code == 0 and "Up to date" in out, err
        after = state(env)
        assert after["leftovers"] == []
        changed = done_from(action, step)
        assert population_2014(env) == (16 - was if changed else was), step
        assert (after["active"] == []) == (population_2014(env) == 0), step
        assert after["log"][-1][0] == (action if changed else {"rollback": "publish", "restore": "rollback"}[action])
        if not changed:
            assert snapshot(pointer) == live
        else:  # put it back for the next step: the opposite action, run cleanly
            assert etl(env, "rollback", *(["--undo"] if action == "rollback" else []), "--publish-id",
                       last_id(env))[0] == 0
        assert not is_stale(pointer, raw)


def _files(tmp: Path) -> dict[str, Path]:
    """One INVENTED update for each of five datasets (each a different relation)."""
    files = {
        "population": POPULATION,
        "emigration_stock": "year,iso3,emigrants_thousands,source_id\n2021,DEU,123,msw2014\n",
        "national_indicators": "indicator,year,breakdown,value,source_id,also_in,note\n"
                               "kcik_assisted,2024,total,300,tip2023,,INVENTED test figure\n",
        "migrant_stock_born_in_poland": "year,iso3,persons\n2025,DEU,400000\n2025,WLD,400000\n",
        "sources": "source_id,title,publisher,published,url,licence,caveats,figures\n"
                   "invented_source,INVENTED,test suite,2026,,none,made up,nothing\n",
    }
    out = {}
    for name, text in files.items():
        if isinstance(text, Path):
            out[name] = text
        else:
            out[name] = tmp / f"{name}.csv"
            out[name].write_text(text, encoding="utf-8")
    return out


def _is_live(pointer: Path, dataset: str) -> bool:
    queries = {"population": "SELECT count(*) = 16 FROM population WHERE year = 2014",
               "emigration_stock": "SELECT count(*) = 1 FROM emigration_stock WHERE year = 2021 AND iso3 = 'DEU'",
               "national_indicators": "SELECT count(*) = 1 FROM national_indicators WHERE year = 2024",
               "migrant_stock_born_in_poland": "SELECT count(*) = 1 FROM migrant_stock_born_in_poland_world "
                                               "WHERE year = 2025",
               "sources": "SELECT count(*) = 1 FROM sources WHERE source_id = 'invented_source'"}
    return sql(pointer, queries[dataset])[0][0]


@pytest.mark.parametrize("n", [2, 5])
def test_concurrent_publishes_are_all_live_and_logged_once(env, tmp_path, n):
    """Writers started together (as two analysts, or two replicas' Update pages, publishing at once): every one that
    says Published is live in the final build and in the log, each file stored once under its own number."""
    raw, pointer = env
    files = list(_files(tmp_path).items())[:n]
    procs = [(d, etl(env, "update", d, f, "--meta", META, "--by", f"analyst {i}", wait=False))
             for i, (d, f) in enumerate(files)]
    outputs = [(d, p, *p.communicate(timeout=300)) for d, p in procs]
    results = [(d, p.returncode, out, err) for d, p, out, err in outputs]
    published = [d for d, code, out, err in results if code == 0 and "Published" in out]
    assert len(published) == n, [(d, code, err[-300:]) for d, code, out, err in results]
    after = state(env)
    data_files = [f for f in after["active"] if not f.endswith(".meta.yml")]
    assert len(data_files) == n and len({f[:4] for f in data_files}) == n  # one number each, none reused
    assert sorted(f for _, f in after["log"]) == sorted(f"updates/{f}" for f in data_files)
    assert all(_is_live(pointer, d) for d in published)
    assert after["leftovers"] == [] and not is_stale(pointer, raw)


def test_a_publish_staged_against_another_build_is_refused(env, tmp_path):
    """Two previews at once are normal; the second publish must not silently replace what the first published."""
    raw, pointer = env
    files = _files(tmp_path)
    with preview.stage([("population", files["population"])], {"title": "a", "publisher": "b", "date": "2026",
                                                               "licence": "c"}, raw_dir=raw, pointer=pointer) as first, \
            preview.stage([("sources", files["sources"])], {"title": "a", "publisher": "b", "date": "2026",
                                                           "licence": "c"}, raw_dir=raw, pointer=pointer) as second:
        preview.diff(first, pointer)
        preview.diff(second, pointer)
        publish.publish(first, pointer, raw_dir=raw)
        before = snapshot(pointer)
        with pytest.raises(publish.StaleError, match="the database changed since your preview.*preview again"):
            publish.publish(second, pointer, raw_dir=raw)
    assert snapshot(pointer) == before and _is_live(pointer, "population") and not _is_live(pointer, "sources")
    assert [f for _, f in state(env)["log"]] == [f"updates/{numbered(0, 'population.csv')}"]


def test_a_roll_back_racing_a_publish_ends_in_one_of_the_two_orders(env, tmp_path):
    raw, pointer = env
    publish_population(env)
    files = _files(tmp_path)
    racing = [etl(env, "rollback", "--publish-id", last_id(env), wait=False),
              etl(env, "update", "sources", files["sources"], "--meta", META, "--by", "p", wait=False)]
    outputs = [p.communicate(timeout=300) for p in racing]
    assert [p.returncode for p in racing] == [0, 0], [err for _, err in outputs]
    live = (_is_live(pointer, "population"), _is_live(pointer, "sources"))
    log = [a for a, _ in state(env)["log"]]
    # in either order the roll-back withdraws the publish it names, the population update, never the other one
    assert live == (False, True) and log in (["publish", "rollback", "publish"], ["publish", "publish", "rollback"])
    assert state(env)["leftovers"] == [] and not is_stale(pointer, raw)


def test_a_roll_back_can_be_undone_and_numbers_are_never_reused(env, tmp_path):
    raw, pointer = env
    publish_population(env)
    published = last_id(env)
    assert etl(env, "rollback", "--publish-id", published)[0] == 0
    name = numbered(0, "population.csv")
    assert population_2014(env) == 0 and state(env)["withdrawn"] == [name, name + ".meta.yml"]
    code, out, _ = etl(env, "rollback", "--undo", "--publish-id", published)
    assert code == 0 and f"restored updates/{name}" in out
    assert population_2014(env) == 16 and state(env)["withdrawn"] == []
    assert [a for a, _ in state(env)["log"]] == ["publish", "rollback", "restore"]
    assert etl(env, "rollback", "--undo", "--publish-id", published)[0] == 4  # not rolled back: nothing to undo
    assert etl(env, "rollback", "--publish-id", published)[0] == 0  # the restored publish can be rolled back again
    code, out, err = etl(env, "update", "sources", _files(tmp_path)["sources"], "--meta", META)
    assert code == 0 and f"updates/{numbered(1, 'sources.csv')}" in out, err  # a number is never given twice
    assert not is_stale(pointer, raw)
