"""Nothing outlives the test run (tests/processes.py): a child dies with the process that started it, `stop` ends a
server's whole tree, the end-of-session check finds an orphan, and the guard cleans up after a run killed at a time
limit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests import processes
from tests.helpers import ROOT

# A process that starts `sleep` in a session of its own (as choreographer starts kaleido's Chromium), prints its
# pid, then waits.
GRANDCHILD = textwrap.dedent("""
    import subprocess, sys, time
    p = subprocess.Popen(["sleep", "300"], start_new_session=True)
    print(p.pid, flush=True)
    time.sleep(300)
""")


def gone(pid: int, start: int, timeout: float = 10) -> bool:
    """True once the process `pid` (started at `start`) has ended (or is a zombie) within `timeout` seconds."""
    proc = processes.Proc(pid, 0, start, "", "")
    deadline = time.monotonic() + timeout
    while proc.alive():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def identity(pid: int) -> int:
    """The start time of a running process (with its pid: who it is)."""
    p = processes._read(pid)
    assert p is not None and p.state != "Z", pid
    return p.start


def python(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, **kwargs)


def test_a_spawned_child_dies_with_its_parent():
    """PR_SET_PDEATHSIG: the parent killed with SIGKILL (no teardown, as at a time limit), the child goes too."""
    parent = python("from tests import processes; import time\n"
                    "p = processes.spawn(['sleep', '300']); print(p.pid, flush=True); time.sleep(300)")
    child = int(parent.stdout.readline())
    start = identity(child)
    parent.kill()
    parent.wait(timeout=10)
    assert gone(child, start), "the spawned child outlived its parent"


def test_stop_ends_the_whole_tree_also_in_other_sessions():
    server = processes.spawn([sys.executable, "-c", GRANDCHILD], stdout=subprocess.PIPE, text=True)
    grandchild = int(server.stdout.readline())
    start = identity(grandchild)
    assert processes.stop(server, timeout=5) is not None
    assert gone(grandchild, start), "stop left the grandchild of another session running"


def test_the_end_check_finds_an_orphan_and_kills_it():
    """In a stand-in for a pytest process (a subreaper, as tests/conftest.py makes every one): a process whose parent
    died is adopted, found by the end-of-session check, reported and killed."""
    run = python(textwrap.dedent(f"""
        import json, subprocess, sys, time
        from tests import processes
        processes.become_subreaper()
        mid = subprocess.Popen([sys.executable, "-c", {GRANDCHILD!r}], stdout=subprocess.PIPE, text=True)
        orphan = int(mid.stdout.readline())
        mid.kill()
        mid.wait()
        found = [p.pid for p in processes.leftovers()]
        lines = processes.end_check(grace=0.5)
        print(json.dumps({{"orphan": orphan, "found": found, "lines": lines,
                          "after": [p.pid for p in processes.leftovers()]}}))
    """))
    out = json.loads(run.communicate(timeout=60)[0])
    assert out["found"] == [out["orphan"]], out
    assert len(out["lines"]) == 1 and out["lines"][0].startswith(f"pid {out['orphan']} ") and "sleep 300" in out["lines"][0]
    assert out["after"] == []


LEAK = textwrap.dedent("""
    import subprocess
    def test_leaks():
        p = subprocess.Popen(["sleep", "300"], start_new_session=True)
        open("leaked.pid", "w").write(str(p.pid))
""")


@pytest.mark.slow
@pytest.mark.parametrize("mode", [["-p", "no:xdist"], ["-n", "1"]], ids=["one process", "xdist"])
def test_a_run_that_leaves_a_process_fails_and_names_it(tmp_path, mode):
    """The wiring of tests/conftest.py in a real pytest run of a test that leaks a server: the run fails, names the
    process, and it is gone afterwards."""
    (tmp_path / "test_leak.py").write_text(LEAK, encoding="utf-8")
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_configure, pytest_sessionfinish, "
                                          "pytest_testnodedown  # noqa: F401\n"
                                          "from tests import processes\nprocesses.GRACE_S = 0.5\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *mode, "--rootdir",
                           str(tmp_path), "-c", os.devnull, str(tmp_path)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    pid = int((tmp_path / "leaked.pid").read_text())
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout and "processes left running" in proc.stdout, proc.stdout
    assert f"pid {pid} " in proc.stdout and "sleep 300" in proc.stdout
    assert not processes.Proc(pid, 0, 0, "", "").alive() or processes._read(pid).state == "Z"


@pytest.mark.parametrize("ends", ["killed", "released"])
def test_the_guard_kills_what_a_killed_run_left_and_nothing_after_a_clean_end(ends):
    """A stand-in for a pytest run: it starts its guard, then a server in a session of its own without a death signal
    (the worst case: nothing of its own ties it to the run)."""
    run = python(textwrap.dedent("""
        import subprocess, sys, time
        from tests import processes
        guard = processes.Guard()
        print(guard.start(), flush=True)
        p = subprocess.Popen(["sleep", "300"], start_new_session=True)
        print(p.pid, flush=True)
        if sys.stdin.readline().strip() == "release":
            guard.release()
            print("released", flush=True)
        time.sleep(300)
    """), stdin=subprocess.PIPE)
    guard, server = int(run.stdout.readline()), int(run.stdout.readline())
    guard_start, server_start = identity(guard), identity(server)
    time.sleep(1.5)  # the guard notes the run's descendants twice a second
    try:
        if ends == "killed":
            run.kill()  # SIGKILL: no teardown, no word to the guard
            run.wait(timeout=10)
            assert gone(server, server_start), "the guard left the killed run's server running"
        else:
            run.stdin.write("release\n")
            run.stdin.flush()
            assert run.stdout.readline().strip() == "released"
            run.kill()
            run.wait(timeout=10)
            time.sleep(1.5)
            assert not gone(server, server_start, timeout=0), "the guard killed after a clean end"
        assert gone(guard, guard_start), "the guard outlived the run"
    finally:
        for pid, start in ((server, server_start), (guard, guard_start)):
            if not gone(pid, start, timeout=0):
                os.kill(pid, signal.SIGKILL)
