"""Every process a test starts dies with the run: servers, browsers and what they start themselves.

Three layers, from the test up:

- `spawn` starts a child in a session of its own (so its whole process group can be signalled) with
  PR_SET_PDEATHSIG: the kernel sends it SIGKILL when the process that started it dies, however it dies;
  `stop` ends it and every process below it, also those in sessions of their own (kaleido's Chromium, started by
  a server, or nginx and the replicas under supervisord).
- Every pytest process (the run, or each xdist worker) is a child subreaper (PR_SET_CHILD_SUBREAPER): a process
  whose parent died is re-parented to it instead of to init, so it stays visible as a descendant of the run.
  When the session ends, `leftovers` lists every descendant still running: the run fails and names them, then
  they are killed.
- The run's first process starts a guard (`python -m tests.processes guard <pid>`), a process in a session of
  its own that notes the run's descendants twice a second; if the run dies without saying it is done (killed at a
  time limit: SIGKILL, no teardown), the guard kills every process it saw that is still running, then exits.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
_libc = ctypes.CDLL(None, use_errno=True)
_prctl = _libc.prctl  # looked up here: a preexec_fn must not import or load anything after fork


def _die_with(parent: int):
    """A preexec_fn: SIGKILL this child when `parent` dies (and at once if it already has)."""
    def preexec() -> None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died between fork and prctl
            os._exit(1)
    return preexec


def spawn(cmd: list[str], **kwargs) -> subprocess.Popen:
    """subprocess.Popen in a session of its own that the kernel kills when this process dies.

    The death signal follows the thread that started the child: call it from the main thread (pytest's and
    xdist's tests run there)."""
    return subprocess.Popen(cmd, start_new_session=True, preexec_fn=_die_with(os.getpid()), **kwargs)


def become_subreaper() -> None:
    """Orphaned descendants of this process are re-parented to it (and stay visible as its descendants)."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


# --- a command forked from this process -------------------------------------------------------------------------

class Forked:
    """A command's `main(argv)` run in a child forked from this process (its modules already imported, so no
    interpreter start and no imports), as `python -m <command>` would run it: its own pid, exit status (-9 when
    killed by SIGKILL), stdout and stderr (as text, like subprocess.Popen(text=True)). The child dies with this
    process (PR_SET_PDEATHSIG)."""

    def __init__(self, main, argv: list[str], env: dict[str, str | None] | None = None, cwd: Path | None = None):
        self._out, self._err = (tempfile.TemporaryFile() for _ in range(2))
        parent = os.getpid()
        self.returncode: int | None = None
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            _prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:
                os._exit(1)
            self._child(main, argv, env or {}, cwd)

    def _child(self, main, argv, env, cwd) -> None:
        code = 1
        try:
            os.dup2(self._out.fileno(), 1)
            os.dup2(self._err.fileno(), 2)
            # stdout block-buffered as on a pipe; stderr written as it comes, as Python's own stderr is
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
            sys.stdin = open(os.devnull, encoding="utf-8")
            for key, value in env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            if cwd is not None:
                os.chdir(cwd)
            code = main(argv)
        except SystemExit as exc:  # argparse's errors, sys.exit(...) as `python -m` would report them
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else (print(exc.code, file=sys.stderr) or 1)
        except BaseException:  # noqa: BLE001 - an uncaught exception: the traceback and exit status 1, as python's
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:  # noqa: BLE001
                    pass
            os._exit(code if isinstance(code, int) else 1)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                self.wait()
                raise subprocess.TimeoutExpired(f"forked {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        """Wait for the child; (stdout, stderr)."""
        self.wait(timeout)
        out = []
        for f in (self._out, self._err):
            f.seek(0)
            out.append(f.read().decode("utf-8", errors="replace"))
            f.close()
        return out[0], out[1]


# --- the process table ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Proc:
    """A process as /proc shows it: pid, parent, start time (clock ticks since boot: with the pid, an identity
    that survives pid reuse), state (R, S, Z...) and name."""
    pid: int
    ppid: int
    start: int
    state: str
    name: str

    def alive(self) -> bool:
        """Still this process (not a new one with its pid) and not a zombie."""
        now = _read(self.pid)
        return now is not None and now.start == self.start and now.state != "Z"

    def cmdline(self) -> str:
        """Its command line (its name in brackets once it is gone or a zombie)."""
        try:
            cmd = Path(f"/proc/{self.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            cmd = ""
        return cmd.strip() or f"[{self.name}]"

    def __str__(self) -> str:
        return f"pid {self.pid} ({self.state}): {self.cmdline()[:200]}"


def _read(pid: int) -> Proc | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return Proc(pid, int(fields[1]), int(fields[19]), fields[0], stat[stat.index("(") + 1:stat.rindex(")")])


def table() -> dict[int, Proc]:
    """Every process on the machine now."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (p := _read(int(entry))) is not None:
            out[p.pid] = p
    return out


def descendants(root: int, procs: dict[int, Proc] | None = None) -> list[Proc]:
    """The processes below `root` (children, their children...), zombies included."""
    procs = table() if procs is None else procs
    children: dict[int, list[Proc]] = {}
    for p in procs.values():
        children.setdefault(p.ppid, []).append(p)
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child.pid)
    return out


def _kill(procs: list[Proc], sig: int = signal.SIGKILL) -> None:
    for p in procs:
        if p.alive():
            try:
                os.kill(p.pid, sig)
            except ProcessLookupError:
                pass


def stop(proc: subprocess.Popen, timeout: float = 15, graceful: bool = True) -> int | None:
    """End a process started by `spawn` and everything below it: SIGTERM to its process group (unless not
    `graceful`), SIGKILL to the group after `timeout`, then SIGKILL to every descendant seen before (a Chromium in
    a session of its own, the programs supervisord started). Its exit status."""
    tree = descendants(proc.pid)
    if proc.poll() is None:
        for sig in ((signal.SIGTERM,) if graceful else ()) + (signal.SIGKILL,):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=timeout)
                break
            except subprocess.TimeoutExpired:
                continue
    _kill(tree + descendants(proc.pid))
    proc.wait(timeout=timeout)
    deadline = time.monotonic() + timeout
    while any(p.alive() for p in tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc.returncode


# --- the check at the end of a session --------------------------------------------------------------------------

def leftovers(root: int | None = None, ignore: set[int] = frozenset()) -> list[Proc]:
    """The descendants of `root` (this process) still running, except the pids in `ignore`. Zombies are not
    running: they are reaped here when they are this process's own children (orphans re-parented to it)."""
    root = os.getpid() if root is None else root
    found = [p for p in descendants(root) if p.pid not in ignore and p.pid not in _ignored_subtrees(root, ignore)]
    for p in found:
        if p.state == "Z" and p.ppid == os.getpid():
            try:
                os.waitpid(p.pid, os.WNOHANG)
            except ChildProcessError:
                pass
    return [p for p in found if p.state != "Z"]


def _ignored_subtrees(root: int, ignore: set[int]) -> set[int]:
    procs = table()
    return {d.pid for pid in ignore for d in descendants(pid, procs)}


def close_in_process_browsers() -> None:
    """Close what the tests started inside this process and keep for reuse: kaleido's shared Chromium
    (app.export starts it on the first export and never stops it)."""
    export = sys.modules.get("app.export")
    if export is not None and getattr(export, "_started_with", None):
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        export._started_with = None


GRACE_S = 5.0  # how long the end-of-session check gives a process that is being stopped


def end_check(ignore: set[int] = frozenset(), grace: float | None = None) -> list[str]:
    """At the end of a session: what this process's tests left running (then killed), as lines for the report; a
    process still there after `grace` seconds (one being stopped may need a moment to go) is left running."""
    close_in_process_browsers()
    deadline = time.monotonic() + (GRACE_S if grace is None else grace)
    left = leftovers(ignore=ignore)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = leftovers(ignore=ignore)
    lines = [str(p) for p in left]  # named before they go
    _kill(left)
    gone_by = time.monotonic() + 5  # a SIGKILL is not instant on a loaded machine: wait until they are gone
    while left and time.monotonic() < gone_by:
        time.sleep(0.05)
        left = [p for p in left if p.alive()]
    return lines


# --- the guard --------------------------------------------------------------------------------------------------

DONE = b"done\n"


class Guard:
    """The guard of this run (see the module's docstring): `start`, then `release` when the session ended cleanly."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def start(self) -> int:
        """Start the guard of this process; its pid."""
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.processes", "guard", str(os.getpid())],
                                     stdin=subprocess.PIPE, start_new_session=True, cwd=Path(__file__).parents[1],
                                     env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
        return self.proc.pid

    def release(self) -> None:
        """The run ends cleanly: the guard stops watching and kills nothing."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.write(DONE)
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def guard(run: int, every: float = 0.5) -> int:
    """Note the descendants of `run` every `every` seconds until stdin says done (exit) or closes without saying
    it (the run died: kill every noted process still running, and whatever now runs below those)."""
    seen: dict[tuple[int, int], Proc] = {}
    said = b""
    while True:
        ready, _, _ = select.select([sys.stdin.buffer], [], [], every)
        if ready:
            chunk = os.read(sys.stdin.fileno(), 64)
            said += chunk
            if not chunk or DONE in said:
                break
        me = os.getpid()
        for p in descendants(run):
            if p.pid != me:
                seen[(p.pid, p.start)] = p
    if DONE in said:
        return 0
    procs = table()
    doomed = [p for p in seen.values() if p.alive()]
    doomed += [d for p in doomed for d in descendants(p.pid, procs)]
    for p in doomed:  # stop what might restart others first: supervisord, a server, then the rest
        try:
            os.kill(p.pid, signal.SIGSTOP)
        except ProcessLookupError:
            pass
    _kill(doomed)
    if doomed:
        print(f"tests.processes guard: the run {run} died; killed {len(doomed)} processes it left", file=sys.stderr)
    return 1 if doomed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["guard"]:
        sys.exit(guard(int(sys.argv[2])))
    sys.exit("usage: python -m tests.processes guard <pid>")
