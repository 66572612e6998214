"""`make serve`: several Streamlit replicas of the dashboard on loopback ports, Debian's nginx in front of them.

    python -m deploy.serve [--replicas 3] [--host 127.0.0.1] [--port 8080] [--run-dir DIR] [-- STREAMLIT ARGS]

What it does, in order (deploy/README.md has the administrator's view):

1. refuses to start without nginx (unless --no-proxy) or without a database build: the build is made before
   anything serves (`make serve` runs `python -m etl --if-stale` first) and no replica ever writes one;
2. starts N replicas, `streamlit run deploy/replica.py` on free loopback ports (or --first-port and up), each
   in its own process group, with one cookie secret for all of them (a viewer moved to another replica keeps a
   valid XSRF cookie), and waits until each answers;
3. renders deploy/nginx.conf into the run directory and runs nginx as the current user
   (`nginx -p RUN_DIR -c RUN_DIR/nginx.conf -g 'daemon off;'`): websocket upgrade, sticky sessions by cookie,
   passive health, gzip, timeouts, a body-size limit;
4. every --interval seconds asks each replica's /_dashboard/health (Streamlit up and the current build readable,
   deploy/replica.py). A replica that fails it 3 times in a row (at once if its process ended) is marked `down`
   in the upstream and nginx reloads (SIGHUP; open connections finish on the old workers); it is put back when
   it passes again. Never all of them: with every
   replica failing, the pages' own error message says more than nginx's 502. A replica whose process ended is
   restarted after 2 s, then 4, 8, ... up to 60 s if it keeps ending;
5. Ctrl-C or SIGTERM stops nginx, then the replicas (SIGTERM, SIGKILL after 15 s), and removes a temporary run
   directory. If nginx itself ends, everything stops and the exit status is 1 (systemd restarts the service).

The run directory holds nginx.conf, nginx's pid, error log and temporary files, one log per replica and
status.json (the URL, nginx's pid, and per replica its URL, pid, health, whether it is in rotation), rewritten
whenever something changes: tests and bench/load.py read it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf")
REPLICA_SCRIPT = Path(__file__).with_name("replica.py")
HEALTH_PATH = "/_dashboard/health"  # deploy/replica.py (not imported here: it imports Streamlit and the app)
NGINX_PATHS = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")  # Debian's is not on a normal user's PATH
SERVER_PARAMS = "max_fails=3 fail_timeout=10s"  # nginx's passive health; a dead replica is also marked down
FAILS_TO_TAKE_OUT = 3  # consecutive failed checks (a replica busy for a moment is not taken out at once)
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 15
RESTART_DELAYS_S = (2, 4, 8, 16, 32, 60)


def find_nginx() -> str | None:
    """The nginx binary: on PATH, else Debian's /usr/sbin/nginx; None if not installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in NGINX_PATHS if os.access(p, os.X_OK)), None)


def free_port(address: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def hostport(host: str, port: int) -> str:
    """host:port, with an IPv6 address in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass
class Replica:
    """One upstream server: a replica started here (`managed`) or one on another machine (--upstream)."""
    name: str
    host: str
    port: int
    managed: bool = True
    log: Path | None = None
    proc: subprocess.Popen | None = None
    healthy: bool = False
    message: str = "not checked yet"
    fails: int = 0  # consecutive failed health checks
    in_rotation: bool = True
    restarts: int = 0
    restart_at: float | None = None

    @property
    def failed(self) -> bool:
        """Failing for long enough to be taken out of rotation (or its process ended)."""
        return self.fails >= FAILS_TO_TAKE_OUT

    def checked(self, healthy: bool, message: str) -> None:
        """Record a health check's result."""
        self.healthy, self.message = healthy, message
        self.fails = 0 if healthy else self.fails + 1

    @property
    def address(self) -> str:
        return hostport(self.host, self.port)

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def status(self) -> dict:
        return {"name": self.name, "url": self.url, "managed": self.managed,
                "pid": self.proc.pid if self.proc and self.proc.poll() is None else None,
                "healthy": self.healthy, "message": self.message, "fails": self.fails, "in_rotation": self.in_rotation,
                "restarts": self.restarts, "log": str(self.log) if self.log else None}


def server_lines(replicas: list[Replica]) -> str:
    """The upstream's `server` lines; a replica out of rotation is marked `down`."""
    return "\n".join(f"        server {r.address} {SERVER_PARAMS}{'' if r.in_rotation else ' down'};  # {r.name}"
                     for r in replicas)


def render(template: str, run_dir: Path, listen: str, replicas: list[Replica], access_log: str = "off") -> str:
    """deploy/nginx.conf with its {{...}} fields filled in; every field must be known and filled."""
    fields = {"RUN_DIR": str(run_dir), "LISTEN": listen, "SERVERS": server_lines(replicas),
              "ACCESS_LOG": access_log}
    text = template
    for key, value in fields.items():
        text = text.replace("{{" + key + "}}", value)
    unfilled = re.findall(r"\{\{[A-Z_]+\}\}", text)
    if unfilled:
        raise ValueError(f"unfilled fields in {TEMPLATE}: {', '.join(sorted(set(unfilled)))}")
    return text


def rotation(replicas: list[Replica]) -> dict[str, bool]:
    """Which replicas nginx should send to: all but those that failed FAILS_TO_TAKE_OUT checks in a row (or whose
    process ended), and all of them when that would leave none (a page that says the database cannot be read is
    better than a 502 from nginx)."""
    if all(r.failed for r in replicas):
        return {r.name: True for r in replicas}
    return {r.name: not r.failed for r in replicas}


def check(replica: Replica, timeout: float = 5) -> tuple[bool, str]:
    """Ask a replica's /_dashboard/health: (healthy, its answer or why there was none)."""
    try:
        with urllib.request.urlopen(replica.url + HEALTH_PATH, timeout=timeout) as r:
            return r.status == 200, r.read().decode(errors="replace").strip()
    except urllib.error.HTTPError as exc:
        return False, exc.read().decode(errors="replace").strip() or f"HTTP {exc.code}"
    except OSError as exc:
        return False, f"no answer: {exc}"


def tail(path: Path | None, lines: int = 30) -> str:
    """The last lines of a log file."""
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def stop_group(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT_S) -> None:
    """Stop a process started in its own session, and its children (kaleido's Chromium), by its group."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        pass


@dataclass
class Supervisor:
    """The replicas, nginx and the loop that watches them."""
    replicas: list[Replica]
    run_dir: Path
    listen: str | None  # None: --no-proxy
    streamlit_args: list[str] = field(default_factory=list)
    access_log: str = "off"
    interval: float = 1.0
    nginx_bin: str | None = None
    nginx: subprocess.Popen | None = None
    stopping: threading.Event = field(default_factory=threading.Event)
    cookie_secret: str = field(default_factory=lambda: os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
                               or secrets.token_urlsafe(32))

    # --- the replicas --------------------------------------------------------------------------------------

    def start_replica(self, r: Replica) -> None:
        cmd = [sys.executable, "-m", "streamlit", "run", str(REPLICA_SCRIPT),
               "--server.address", r.host, "--server.port", str(r.port), "--server.headless", "true",
               # the code is not edited under a running service; a watcher per replica would only cost
               "--server.fileWatcherType", "none", "--server.runOnSave", "false", *self.streamlit_args]
        env = {**os.environ, "DASHBOARD_REPLICA": r.name, "PYTHONUNBUFFERED": "1",
               "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret}
        with open(r.log, "ab") as out:
            out.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {r.name} on {r.address}\n".encode())
            out.flush()
            r.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        r.restart_at = None

    def wait_started(self) -> None:
        """Until every replica started here answers its health check (healthy or not)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        waiting = [r for r in self.replicas if r.managed]
        while waiting:
            for r in list(waiting):
                if r.proc.poll() is not None:
                    raise RuntimeError(f"replica {r.name} ended with status {r.proc.returncode} while starting; "
                                       f"its log {r.log}:\n{tail(r.log)}")
                r.checked(*check(r, timeout=2))
                if not r.message.startswith("no answer"):
                    waiting.remove(r)
            if self.stopping.is_set():
                raise KeyboardInterrupt
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"replicas not answering after {START_TIMEOUT_S} s: "
                                   + ", ".join(f"{r.name} ({r.log})" for r in waiting))
            time.sleep(0.25)

    # --- nginx ---------------------------------------------------------------------------------------------

    def write_config(self) -> Path:
        conf = self.run_dir / "nginx.conf"
        text = render(TEMPLATE.read_text(encoding="utf-8"), self.run_dir, self.listen, self.replicas,
                      self.access_log)
        tmp = conf.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, conf)
        return conf

    def nginx_cmd(self, *extra: str) -> list[str]:
        return [self.nginx_bin, "-p", str(self.run_dir), "-c", str(self.run_dir / "nginx.conf"), *extra]

    def start_nginx(self) -> None:
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        self.write_config()
        test = subprocess.run(self.nginx_cmd("-t", "-q"), capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refuses {self.run_dir / 'nginx.conf'}:\n{test.stderr}{test.stdout}")
        log = open(self.run_dir / "nginx.out", "ab")
        self.nginx = subprocess.Popen(self.nginx_cmd("-g", "daemon off;"), stdin=subprocess.DEVNULL, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        host, _, port = self.listen.rpartition(":")
        host = host.strip("[]")
        deadline = time.monotonic() + 30
        while True:
            if self.nginx.poll() is not None:
                raise RuntimeError(f"nginx ended with status {self.nginx.returncode}:\n"
                                   f"{tail(self.run_dir / 'nginx.out')}\n{tail(self.run_dir / 'error.log')}")
            try:
                socket.create_connection((host, int(port)), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx not listening on {self.listen} after 30 s") from None
                time.sleep(0.1)

    def reload_nginx(self) -> None:
        """Write the upstream as `rotation` says and reload: new workers take it, old ones finish their
        connections."""
        self.write_config()
        if self.nginx is not None and self.nginx.poll() is None:
            os.kill(self.nginx.pid, signal.SIGHUP)

    # --- the loop ------------------------------------------------------------------------------------------

    def write_status(self) -> None:
        status = {"url": f"http://{self.listen}" if self.listen else None,
                  "nginx_pid": self.nginx.pid if self.nginx and self.nginx.poll() is None else None,
                  "run_dir": str(self.run_dir), "replicas": [r.status() for r in self.replicas]}
        tmp = self.run_dir / "status.json.tmp"
        tmp.write_text(json.dumps(status, indent=1), encoding="utf-8")
        os.replace(tmp, self.run_dir / "status.json")

    def say(self, text: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {text}", flush=True)

    def tick(self) -> bool:
        """One round: restart what ended, check every replica, update nginx's rotation; True if anything
        changed."""
        changed = False
        now = time.monotonic()
        for r in self.replicas:
            before = (r.healthy, r.message, r.fails)
            if r.managed and r.proc.poll() is not None:
                if r.restart_at is None:
                    delay = RESTART_DELAYS_S[min(r.restarts, len(RESTART_DELAYS_S) - 1)]
                    r.restart_at = now + delay
                    r.checked(False, f"process ended with status {r.proc.returncode}")
                    r.fails = max(r.fails, FAILS_TO_TAKE_OUT)  # out at once: nothing listens there
                    self.say(f"{r.name} ended (status {r.proc.returncode}); restarting it in {delay} s")
                elif now >= r.restart_at:
                    r.restarts += 1
                    self.start_replica(r)
                    r.message = "restarted, starting"
                    self.say(f"{r.name} restarted (pid {r.proc.pid})")
            else:
                r.checked(*check(r))
            if (r.healthy, r.message, r.fails) != before:
                changed = True
                if r.healthy != before[0]:
                    self.say(f"{r.name} {'healthy' if r.healthy else 'failing'}: {r.message}")
        if self.listen:
            wanted = rotation(self.replicas)
            if any(wanted[r.name] != r.in_rotation for r in self.replicas):
                for r in self.replicas:
                    if wanted[r.name] != r.in_rotation:
                        self.say(f"{r.name} {'back in' if wanted[r.name] else 'out of'} nginx's rotation")
                    r.in_rotation = wanted[r.name]
                self.reload_nginx()
                changed = True
            elif all(r.failed for r in self.replicas) and changed:
                self.say("no replica is healthy: all stay in rotation (their pages show what is wrong)")
        return changed

    def run(self) -> int:
        for r in self.replicas:
            if r.managed:
                self.start_replica(r)
        self.wait_started()
        if self.listen:
            self.start_nginx()
        self.tick()
        self.write_status()
        where = f"http://{self.listen}" if self.listen else "no proxy (--no-proxy)"
        self.say(f"serving {where}: " + ", ".join(f"{r.name} {r.address}" for r in self.replicas)
                 + f"; logs and status in {self.run_dir}; Ctrl-C stops")
        while not self.stopping.wait(self.interval):
            if self.nginx is not None and self.nginx.poll() is not None:
                self.say(f"nginx ended with status {self.nginx.returncode}: stopping\n"
                         f"{tail(self.run_dir / 'error.log')}")
                return 1
            if self.tick():
                self.write_status()
        return 0

    def stop(self) -> None:
        stop_group(self.nginx)  # SIGTERM: nginx's fast shutdown (a graceful one would wait for open websockets)
        for r in self.replicas:
            if r.managed and r.proc is not None and r.proc.poll() is None:
                os.killpg(r.proc.pid, signal.SIGTERM)
        for r in self.replicas:
            if r.managed:
                stop_group(r.proc)


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    if "--" in argv:
        i = argv.index("--")
        argv, streamlit_args = argv[:i], argv[i + 1:]
    else:
        streamlit_args = []
    ap = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.splitlines()[0],
                                 epilog="Arguments after -- go to every replica's `streamlit run`.")
    ap.add_argument("--replicas", type=int, default=3, help="Streamlit replicas started here (default 3)")
    ap.add_argument("--host", default="127.0.0.1", help="address nginx listens on (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=8080, help="port nginx listens on (default 8080)")
    ap.add_argument("--replica-address", default="127.0.0.1",
                    help="address the replicas listen on (default 127.0.0.1; another machine's proxy needs more)")
    ap.add_argument("--first-port", type=int, default=0,
                    help="replica ports from this one up (default: free ports)")
    ap.add_argument("--upstream", action="append", default=[], metavar="HOST:PORT",
                    help="a replica on another machine, watched and put in nginx's upstream but not started here")
    ap.add_argument("--no-proxy", action="store_true", help="only the replicas (their machine is behind a proxy "
                    "elsewhere)")
    ap.add_argument("--run-dir", type=Path, help="nginx's files, logs, status.json (default: a temporary "
                    "directory, removed at the end)")
    ap.add_argument("--access-log", default="off", help="nginx access log file (default off)")
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between health checks (default 1)")
    args = ap.parse_args(argv)
    if args.replicas < 0 or (args.replicas == 0 and not args.upstream):
        ap.error("nothing to serve: --replicas must be at least 1, or give --upstream")
    if args.no_proxy and args.upstream:
        ap.error("--upstream needs the proxy")
    return args, streamlit_args


def main(argv: list[str] | None = None) -> int:
    args, streamlit_args = parse(sys.argv[1:] if argv is None else argv)
    from etl.build import current_build, db_pointer  # light: no Streamlit, no app

    nginx_bin = None
    if not args.no_proxy:
        nginx_bin = find_nginx()
        if nginx_bin is None:
            print("nginx is not installed: sudo apt-get install nginx (or --no-proxy for the replicas alone)",
                  file=sys.stderr)
            return 2
    if args.replicas and current_build(db_pointer()) is None:
        print(f"no database build at {db_pointer()}: run `python -m etl` first (`make serve` does); "
              "replicas never build it", file=sys.stderr)
        return 2
    temporary = args.run_dir is None
    run_dir = Path(tempfile.mkdtemp(prefix="dashboard-serve-")) if temporary else args.run_dir.absolute()
    run_dir.mkdir(parents=True, exist_ok=True)
    replicas = []
    for i in range(args.replicas):
        port = args.first_port + i if args.first_port else free_port(args.replica_address)
        replicas.append(Replica(f"r{i + 1}", args.replica_address, port, log=run_dir / f"r{i + 1}.log"))
    for i, up in enumerate(args.upstream):
        host, _, port = up.rpartition(":")
        replicas.append(Replica(f"u{i + 1}", host.strip("[]"), int(port), managed=False))
    sup = Supervisor(replicas, run_dir, None if args.no_proxy else hostport(args.host, args.port),
                     streamlit_args, args.access_log, args.interval, nginx_bin)

    def on_signal(signum, frame):
        sup.stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    status = 0
    try:
        status = sup.run()
    except KeyboardInterrupt:
        status = 0
    except RuntimeError as exc:
        print(f"deploy.serve: {exc}", file=sys.stderr)
        status = 1
    finally:
        sup.stop()
        if temporary:
            shutil.rmtree(run_dir, ignore_errors=True)
        print(f"{time.strftime('%H:%M:%S')} stopped", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
