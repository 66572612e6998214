"""Shared fixtures: a real build of data/raw into a temporary database; the check that no process outlives the run
(tests/processes.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from etl.build import build
from tests import processes

_GUARD = pytest.StashKey[processes.Guard]()
_LEFT = pytest.StashKey[list]()


def pytest_configure(config):
    """Every pytest process adopts the orphans of its tests; the run's first process starts the guard."""
    processes.become_subreaper()
    config.stash[_LEFT] = []
    if not hasattr(config, "workerinput"):  # the run itself, not an xdist worker
        config.stash[_GUARD] = guard = processes.Guard()
        guard.start()


# What a test needs, read from the fixtures it uses (`make check` leaves out both kinds: pytest.ini's markers).
BROWSER_FIXTURES = {"browser", "page", "sheets"}  # Playwright's Chromium; kaleido's, in the fact sheets' batch
SERVER_FIXTURES = {"server", "base_url", "page", "update_server", "update_server_reset", "gate", "cluster", "served"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """Mark tests `browser` and `server` by the fixtures they use, and keep together on one xdist worker what would
    otherwise be made twice or run out of order: every test of a module with a module-scoped fixture (made once per
    worker that runs one of its tests; test_replicas's tests also run in file order), and every test of the static
    edition (`baked`: one bake). A test's own xdist_group mark wins."""
    for item in items:
        names = set(item.fixturenames)
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & SERVER_FIXTURES:
            item.add_marker(pytest.mark.server)
        if "baked" in names:
            item.add_marker(pytest.mark.slow)  # the bake (a minute or more) is the fixture's
        if item.get_closest_marker("xdist_group"):
            continue
        defs = [d for name in item.fixturenames for d in item._fixtureinfo.name2fixturedefs.get(name, ())]
        if "baked" in names:
            item.add_marker(pytest.mark.xdist_group("baked"))
        elif any(d.scope in ("module", "class", "package") for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    if getattr(config.option, "loadgroup", False):  # an xdist worker of `--dist loadgroup`
        _name_groups(items)


def _name_groups(items) -> None:
    """pytest-xdist 3.8 sends a group to one worker by renaming its tests "<nodeid>@<group>" (item._nodeid), which
    pytest 9.2 no longer reads (a node's id is item._id): rename them as it means to (its own renaming, after this
    hook, then changes nothing)."""
    from _pytest.nodeid import NodeId

    for item in items:
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                         for m in item.iter_markers("xdist_group")})
        if groups and "@" not in item.nodeid and hasattr(item, "_id"):
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The run collects what each xdist worker found left running."""
    node.config.stash[_LEFT] += node.workeroutput.get("leftover_processes", []) if hasattr(node, "workeroutput") else []


@pytest.hookimpl(wrapper=True)
def pytest_sessionfinish(session):
    """After every fixture's teardown and the xdist workers' end: a process a test started that is still running fails
    the run, named in the report, and is killed. An xdist worker checks its own descendants first and hands the
    list to the run with its report (xdist sends `workeroutput` after this wrapper's first half)."""
    config = session.config
    if hasattr(config, "workerinput"):
        config.workeroutput["leftover_processes"] = processes.end_check()
        return (yield)
    result = yield
    guard = config.stash[_GUARD]
    left = config.stash[_LEFT] + processes.end_check(ignore={guard.proc.pid})
    guard.release()
    if left:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        lines = ["processes the tests left running (killed now; every server and browser a test starts must end "
                 "with it):", *(f"  {line}" for line in left)]
        if reporter is not None:
            reporter.write_sep("=", "processes left running", red=True)
            for line in lines:
                reporter.write_line(line)
        else:
            print("\n".join(lines), file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    return result


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build the real raw tables once; DASHBOARD_DB points at the result for the whole session."""
    pointer = tmp_path_factory.mktemp("db") / "dashboard.duckdb"
    result = build(pointer)
    previous = os.environ.get("DASHBOARD_DB")
    os.environ["DASHBOARD_DB"] = str(pointer)
    yield result
    if previous is None:
        os.environ.pop("DASHBOARD_DB", None)
    else:
        os.environ["DASHBOARD_DB"] = previous


@pytest.fixture(scope="session", autouse=True)
def _session_database(built):
    """DASHBOARD_DB names the session's build for every test from the first (a test that needs another database, or
    none, sets its own), so no test depends on whether an earlier one in its process asked for `built`."""


@pytest.fixture(scope="session")
def db(built):
    """A read-only connection to the session's build."""
    con = duckdb.connect(str(built.path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def baked(built, tmp_path_factory):
    """The static edition of the session's build, made by the real command (`python -m app.bake --lang all`)."""
    out = tmp_path_factory.mktemp("edition") / "site"
    proc = subprocess.run([sys.executable, "-m", "app.bake", "--out", str(out), "--lang", "all"],
                          env={**os.environ, "DASHBOARD_DB": str(built.pointer)},
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="session")
def edition_figures(built, baked):
    """Every figure the static edition bakes in a language on a template (app/legibility/figures.py), once per process
    when first asked for: on the light template read back from the session's edition (the files it publishes), on
    the presenters' template drawn. The colour rules and the overlaps read the same figures (both modules are in the
    "baked" xdist group, so on one worker)."""
    from app.legibility import figures

    drawn: dict[tuple[str, str], list] = {}

    def get(lang: str, tpl: str = "light") -> list:
        if (lang, tpl) not in drawn:
            drawn[lang, tpl] = figures.published(baked, lang) if tpl == "light" else figures.baked(lang, tpl)
        return drawn[lang, tpl]

    return get

