"""The servers of the e2e tests: one `streamlit run`, or `make serve`'s replicas behind nginx under supervisord.

Each runs in a session of its own and dies with the test process (tests/processes.py)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xmlrpc.client
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests import processes
from tests.helpers import ROOT


# --- one `streamlit run` ------------------------------------------------------------------------

@dataclass
class Server:
    """A running `streamlit run`: its base URL, process and combined stdout/stderr log."""
    url: str
    proc: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        """Everything the server printed so far."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    # The server runs in its own session: SIGTERM to its process group, SIGKILL after 15 s, then whatever it started
    # in sessions of its own (kaleido's Chromium for a PNG export) (tests/processes.py).
    processes.stop(proc, timeout=15)


@contextmanager
def streamlit_server(log: Path, env: dict[str, str] | None = None, timeout: float = 60, args: list[str] = ()):
    """Run `streamlit run dashboard.py` (with extra `args`, e.g. `--secrets.files`) on a free loopback port until
    the block ends; yield a Server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
           # Files are edited while the suite runs; the tests must not react to that.
           "--server.fileWatcherType", "none", *args]
    env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = processes.spawn(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    server = Server(url, proc, log)
    try:
        deadline = time.monotonic() + timeout
        while not _health(url):
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{server.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{server.log_text()}")
            time.sleep(0.25)
        yield server
    finally:
        _stop(proc)


# --- several replicas behind nginx under supervisord (`make serve`) -----------------------------

class _UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a unix socket: how supervisorctl reaches supervisord (deploy/supervisord.conf)."""

    def __init__(self, path: str):
        super().__init__("localhost", timeout=10)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        return _UnixHTTPConnection(self.path)


def supervised(run_dir: Path) -> dict[str, dict]:
    """What supervisord says of its processes (nginx, replica_<port>), by name: pid (0 when not running),
    statename, group..., from its XML-RPC interface on the run directory's socket, as supervisorctl asks it."""
    proxy = xmlrpc.client.ServerProxy("http://localhost", transport=_UnixTransport(str(run_dir / "supervisor.sock")))
    return {p["name"]: p for p in proxy.supervisor.getAllProcessInfo()}


def replica_health(url: str, timeout: float = 5) -> tuple[bool, str]:
    """A replica's /_dashboard/health, asked directly: (healthy, its answer or why there was none)."""
    try:
        with urllib.request.urlopen(url + "/_dashboard/health", timeout=timeout) as r:
            return r.status == 200, r.read().decode(errors="replace").strip()
    except urllib.error.HTTPError as exc:
        return False, exc.read().decode(errors="replace").strip() or f"HTTP {exc.code}"
    except OSError as exc:
        return False, f"no answer: {exc}"


def free_ports(n: int) -> int:
    """The first of n consecutive loopback ports that nothing listens on now."""
    from deploy.serve import in_use

    while True:
        first = free_port()
        if first + n < 65536 and not in_use("127.0.0.1", range(first, first + n)):
            return first


@dataclass
class Replicated:
    """A running `python -m deploy.serve` (supervisord, once it has written the configuration): nginx's URL, the
    process, its run directory and its output."""
    url: str
    proc: subprocess.Popen
    run_dir: Path
    log: Path

    def processes(self) -> dict[str, dict]:
        """supervisord's account of its processes, by name (see `supervised`)."""
        return supervised(self.run_dir)

    def replicas(self) -> dict[str, dict]:
        """Each replica (replica_<port>): its URL, pid and state from supervisord, how many times supervisord
        restarted it (its log), and its health check asked directly."""
        events = self.events()
        out = {}
        for name, p in self.processes().items():
            if p["group"] != "replica":
                continue
            url = f"http://127.0.0.1:{name.rsplit('_', 1)[1]}"  # process_num is the port (deploy/supervisord.conf)
            healthy, message = replica_health(url) if p["statename"] == "RUNNING" else (False, p["statename"])
            out[name] = {"name": name, "url": url, "pid": p["pid"] or None, "state": p["statename"],
                         "restarts": events.count(f"spawned: '{name}'") - 1, "healthy": healthy, "message": message}
        return out

    def events(self) -> str:
        """supervisord's log: every process spawned, exited, stopped."""
        return (self.run_dir / "supervisord.log").read_text(errors="replace")

    def log_text(self) -> str:
        """What `python -m deploy.serve` printed so far (supervisord echoes its log there)."""
        return self.log.read_text(errors="replace")

    def wait(self, ok, what: str, timeout: float = 60) -> dict[str, dict]:
        """Poll the replicas until `ok(replicas)` holds; return them. RuntimeError on timeout or if supervisord
        ended."""
        deadline = time.monotonic() + timeout
        replicas = None
        while True:
            try:
                replicas = self.replicas()
                if ok(replicas):
                    return replicas
            except (OSError, xmlrpc.client.Error):  # supervisord not listening yet
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"deploy.serve ended ({self.proc.returncode}):\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what}: not after {timeout:.0f} s; replicas: {replicas}\n{self.log_text()}")
            time.sleep(0.25)

    def stop(self) -> int | None:
        """SIGTERM, as systemd or Ctrl-C would: supervisord stops nginx and the replicas. Its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@contextmanager
def replicated_server(run_dir: Path, replicas: int = 3, env: dict[str, str] | None = None, timeout: float = 180):
    """Run `python -m deploy.serve` (nginx and `replicas` replicas on free loopback ports, under supervisord)
    until the block ends; yield a Replicated once every replica is healthy. The database is whatever DASHBOARD_DB
    in `env` names."""
    first = free_ports(replicas)
    port = next(p for p in iter(free_port, None) if not first <= p < first + replicas)
    log = run_dir.with_name(run_dir.name + ".log")
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = processes.spawn(
            [sys.executable, "-m", "deploy.serve", "--replicas", str(replicas), "--port", str(port),
             "--first-port", str(first), "--run-dir", str(run_dir)],
            cwd=ROOT, env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT)
    server = Replicated(f"http://127.0.0.1:{port}", proc, run_dir, log)
    try:
        server.wait(lambda rs: len(rs) == replicas and all(r["healthy"] for r in rs.values())
                    and server.processes()["nginx"]["statename"] == "RUNNING", "every replica healthy behind nginx",
                    timeout)
        yield server
    finally:
        pids = []
        try:
            pids = [p["pid"] for p in server.processes().values()]
        except (OSError, xmlrpc.client.Error):
            pass
        tree = processes.descendants(proc.pid)
        server.stop()
        for pid in pids:  # only if supervisord could not stop them: each leads a process group of its own
            if pid and _alive(pid):
                os.killpg(pid, signal.SIGKILL)
        processes.stop(proc, graceful=False)  # and anything below them (their own children, in other sessions)
        for p in tree:
            if p.alive():
                os.kill(p.pid, signal.SIGKILL)
