"""Durable as a database is, under one lock for all shared state: a publish flushes everything its journal names before
the journal (traced with strace), two databases on one raw folder take turns for update numbers, a relative pointer
shares the lock of its absolute spelling, and a journal that cannot be applied is set aside by `recover --abandon`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from etl import preview, publish, store
from etl.__main__ import main as etl_main
from etl.build import build, is_stale
from tests import processes
from tests.etl.test_transactions import META, POPULATION, _files, env, etl, population_2014, sql  # noqa: F401
from tests.helpers import ROOT, built_copy, committed_updates, numbered, require_program, snapshot

pytestmark = pytest.mark.slow  # see pytest.ini: publishes in subprocesses, strace

PROVENANCE = {"title": "INVENTED", "publisher": "the test suite", "date": "2026", "licence": "none"}


def new_updates(raw: Path) -> list[str]:
    """The update files (not sidecars) published into `raw` by the test."""
    return sorted(p.name for p in (raw / "updates").glob("*") if p.is_file() and not p.name.endswith(".meta.yml")
                  and p.name not in committed_updates())


def test_two_databases_on_one_raw_folder_publish_under_different_numbers(tmp_path):
    """The app's database and an analyst's other database path, both built from one raw folder, publishing at once:
    each update gets a number and a source id of its own, and a fresh build of the raw folder still works."""
    raw, first = built_copy(tmp_path)
    second = tmp_path / "analyst" / "mine.duckdb"
    build(second, raw_dir=raw)
    files = _files(tmp_path)
    procs = [processes.Forked(etl_main, ["update", dataset, str(f), "--meta", str(META), "--db", str(db),
                                         "--raw", str(raw)], cwd=ROOT)
             for dataset, f, db in (("population", files["population"], first),
                                    ("sources", files["sources"], second))]
    results = [(p.returncode, out, err) for p in procs for out, err in [p.communicate(timeout=300)]]
    assert [code for code, *_ in results] == [0, 0], [err[-400:] for *_, err in results]
    names = new_updates(raw)
    assert len(names) == 2 and len({n[:4] for n in names}) == 2, names
    ids = [yaml.safe_load((raw / "updates" / f"{n}.meta.yml").read_text(encoding="utf-8"))["source_id"]
           for n in names]
    assert len(set(ids)) == 2, ids
    fresh = build(tmp_path / "fresh" / "dashboard.duckdb", raw_dir=raw)  # a new machine builds the raw folder
    assert sql(fresh.pointer, "SELECT count(*) FROM population WHERE year = 2014") == [(16,)]
    assert sql(fresh.pointer, "SELECT count(*) FROM sources WHERE source_id = 'invented_source'") == [(1,)]


def _relative(argv: list[str]) -> int:
    """Publish and roll back through the Python API with the relative pointer DASHBOARD_DB names (run in `cwd`)."""
    pointer, raw = Path(os.environ["DASHBOARD_DB"]), Path("raw")
    assert not pointer.is_absolute()
    with preview.stage([("population", POPULATION)], PROVENANCE, raw_dir=raw, pointer=pointer) as staged:
        preview.diff(staged, pointer)
        publish.publish(staged, pointer, raw_dir=raw)
    print(publish.rollback(pointer, raw_dir=raw))
    return 0


def test_a_relative_pointer_does_not_deadlock(tmp_path):
    """A relative DASHBOARD_DB passed to publish and rollback from code: its lock is the absolute one's, so the
    build inside the publish re-enters it instead of waiting for itself."""
    raw, pointer = built_copy(tmp_path)
    proc = processes.Forked(_relative, [], env={"DASHBOARD_DB": "db/dashboard.duckdb"}, cwd=tmp_path)
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        raise AssertionError("publish with a relative pointer did not finish in 120 s: it waits for its own lock")
    assert proc.returncode == 0, err
    assert "rolled back" in out
    assert [r.action for r in store.read_ledger(pointer).itertuples()] == ["publish", "rollback"]


def _fsynced(trace: str) -> list[tuple[int, str]]:
    """(line number, path) of every fsync or fdatasync in an `strace -y` trace."""
    return [(i, m.group(1)) for i, line in enumerate(trace.splitlines())
            for m in [re.search(r"\b(?:fsync|fdatasync)\(\d+<([^>]*)>", line)] if m]


def test_a_publish_flushes_every_file_its_journal_names_before_the_journal(env, tmp_path):
    """Traced system calls of a real publish (stopped just after its commit point, so its journal can be read): every
    file the journal names, and the folder that holds it, is fsynced before the rename that writes the journal."""
    raw, pointer = env
    strace = shutil.which("strace")
    require_program(strace, "strace", "sudo apt-get install -y strace")
    trace_file = tmp_path / "publish.strace"
    environ = {**os.environ, store.FAULT_ENV: "publish.committed"}
    proc = subprocess.run([strace, "-f", "-y", "-qq", "-e", "trace=%file,fsync,fdatasync", "-o", str(trace_file),
                           sys.executable, "-m", "etl", "update", "population", str(POPULATION), "--meta", str(META),
                           "--db", str(pointer), "--raw", str(raw)],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr[-2000:]  # killed by its own fault at the commit point
    journal = store.journal_path(pointer)
    entry = json.loads(journal.read_text(encoding="utf-8"))
    trace = trace_file.read_text(encoding="utf-8", errors="replace")
    commits = [i for i, line in enumerate(trace.splitlines())
               if re.search(r"\brename\w*\(.*\"" + re.escape(str(journal)) + r"\"", line)]
    assert commits, "no rename that writes the journal in the trace"
    synced = {path for i, path in _fsynced(trace) if i < commits[0]}
    named = [Path(src) for src, _ in entry["moves"]] + [store.builds_dir(pointer) / entry["build"]]
    assert len(named) == 3  # the update, its sidecar and the new build
    for path in named:
        assert str(path) in synced, f"{path} is not fsynced before the journal's rename"
        assert str(path.parent) in synced, f"its folder {path.parent} is not fsynced before the journal's rename"
        assert str(path.parent.parent) in synced, f"{path.parent.parent} (which holds {path.parent.name}) is not"


def test_a_journal_that_cannot_be_applied_is_set_aside_by_abandon(env, tmp_path):
    """A publish stopped after its commit point, its pending folder then removed by hand: every start goes on with
    the last complete build, writers are refused with the way out, and `recover --abandon` sets the journal aside
    with a change-log row; after it, publishing works again, under a new number."""
    raw, pointer = env
    before = snapshot(pointer)
    assert etl(env, "update", "population", POPULATION, "--meta", META, fault="publish.committed")[0] == -9
    shutil.rmtree(store.waiting_dir(pointer))
    code, out, err = etl(env, "--if-stale")  # what `make run` does before serving
    assert code == 0 and "Up to date" in out and "recover --abandon" in err, err
    assert snapshot(pointer) == before
    code, _, err = etl(env, "update", "sources", _files(tmp_path)["sources"], "--meta", META)
    assert code == 3 and "cannot be applied" in err and "recover --abandon" in err, err
    recover = processes.Forked(etl_main, ["recover", "--db", str(pointer)], cwd=ROOT)
    assert recover.wait(120) == 3
    abandon = processes.Forked(etl_main, ["recover", "--abandon", "--db", str(pointer)], cwd=ROOT)
    out, err = abandon.communicate(timeout=120)
    assert abandon.returncode == 0 and "set aside the publish of" in out, err
    assert not store.journal_path(pointer).exists() and not store.needs_recovery(pointer)
    aside = list(store.sibling(pointer, ".abandoned").glob("*/journal.json"))
    assert len(aside) == 1
    name = numbered(0, "population.csv")
    log = store.read_ledger(pointer)
    login = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()  # the account, as `id` says
    assert [(r.action, r.file, r.signed_in.split("@")[0]) for r in log.itertuples()] == [
        ("abandon", f"updates/{name}", f"shell account {login}")]
    assert snapshot(pointer) == before and population_2014(env) == 0 and not is_stale(pointer, raw)
    code, out, err = etl(env, "update", "sources", _files(tmp_path)["sources"], "--meta", META)
    assert code == 0 and f"updates/{numbered(1, 'sources.csv')}" in out, err  # the abandoned number is not reused
    assert [r.action for r in store.read_ledger(pointer).itertuples()] == ["abandon", "publish"]


def test_recovery_clears_the_temporary_files_a_killed_writer_left(env):
    raw, pointer = env
    left = [pointer.with_name(".dashboard.changes.csv.99999.tmp"), pointer.with_name(".dashboard.journal.99999.tmp"),
            pointer.with_name(".dashboard.duckdb.99999.link"), store.builds_dir(pointer) / "dashboard-x.partial"]
    for path in left:
        path.write_bytes(b"half-written")
    before = snapshot(pointer)
    recover = processes.Forked(etl_main, ["recover", "--db", str(pointer)], cwd=ROOT)
    out, err = recover.communicate(timeout=120)
    assert recover.returncode == 0 and "removed temporary files" in err, err
    assert [p for p in left if p.exists()] == [] and snapshot(pointer) == before
