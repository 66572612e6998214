"""`make serve` without a browser: the nginx and supervisord configuration it renders (nginx's `-t` and
supervisord's own parser read it), what it refuses, the replicas' database health check, one build per page run,
and a replica never building a database."""

from __future__ import annotations

import contextvars
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys

import pytest

from app import builds
from deploy import serve
from tests.helpers import ROOT, require_program

PORTS = ["127.0.0.1:8601", "127.0.0.1:8602", "127.0.0.1:8603"]

# supervisord's own reading of a configuration file: every process it would start, expanded.
READ_AS_SUPERVISORD = """
import json, sys
from supervisor.options import ServerOptions
o = ServerOptions()
o.realize(["-c", sys.argv[1]])
print(json.dumps({"socket": o.server_configs[0]["file"], "logfile": o.logfile, "processes": {
    p.name: {"command": p.command, "environment": p.environment, "directory": p.directory, "priority": p.priority,
             "log": p.stdout_logfile, "autorestart": getattr(p.autorestart, "__name__", p.autorestart), "stopasgroup": p.stopasgroup,
             "killasgroup": p.killasgroup, "startsecs": p.startsecs, "startretries": p.startretries}
    for g in o.process_group_configs for p in g.process_configs}}))
"""


def as_supervisord_reads(conf) -> dict:
    """The file as Debian's supervisord parses it: its own options module, under its own Python."""
    supervisord = serve.find("supervisord")
    require_program(supervisord, "supervisord", "sudo apt-get install supervisor")
    python = shlex.split(open(supervisord).readline()[2:])  # its #! line: Debian's /usr/bin/python3
    proc = subprocess.run([*python, "-c", READ_AS_SUPERVISORD, str(conf)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def nginx_conf(tmp_path) -> str:
    return serve.nginx_conf(tmp_path, "127.0.0.1:8080", PORTS)


def test_rendered_nginx_config_fills_every_field_and_keeps_what_serving_needs(tmp_path):
    text = nginx_conf(tmp_path)
    assert "{{" not in text.replace("{{...}}", "")
    assert f"pid {tmp_path}/nginx.pid;" in text and "listen 127.0.0.1:8080;" in text
    # in the foreground, for the process manager that watches it
    assert re.search(r"^daemon off;", text, re.M)
    for port in (8601, 8602, 8603):
        assert f"server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" in text
    # What a Streamlit replica set needs from its proxy, each a line a careless edit could drop.
    for line in ("hash $dashboard_key consistent;", "proxy_set_header Upgrade $http_upgrade;",
                 "proxy_set_header Connection $connection_upgrade;", "add_header Set-Cookie $dashboard_cookie always;",
                 "proxy_next_upstream error timeout http_502 http_503 http_504;", "gzip on;", "client_max_body_size 3m;",
                 "zone dashboard 64k;", "\"\"      close;"):
        assert line in text, line
    assert "ip_hash" not in text.replace("ip_hash cannot", "")
    # No kept-alive connections to the replicas: reusing them raced with uvicorn closing them (502s under load).
    assert not re.search(r"^\s*keepalive \d+;", text, re.M)
    # The health check's 503 (a database every replica reads) is no failed attempt: asking it takes none out.
    health = re.search(r"location = /_dashboard/health \{(.*?)\}", text, re.S).group(1)
    assert re.search(r"^\s*proxy_next_upstream off;", health, re.M), health


def test_nginx_accepts_the_rendered_config(tmp_path):
    nginx = serve.find("nginx")
    require_program(nginx, "nginx", "sudo apt-get install nginx")
    (tmp_path / "nginx.conf").write_text(nginx_conf(tmp_path))
    proc = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_supervisord_reads_one_replica_per_port_and_nginx_after_them(tmp_path):
    conf = tmp_path / "supervisord.conf"
    conf.write_text(serve.supervisord_conf(3, 8601, "127.0.0.1", "/usr/sbin/nginx",
                                           ["--logger.messageFormat", "%(asctime)s %(message)s"]))
    read = as_supervisord_reads(conf)
    assert (read["socket"], read["logfile"]) == (str(tmp_path / "supervisor.sock"), str(tmp_path / "supervisord.log"))
    procs = read["processes"]
    assert sorted(procs) == ["nginx", "replica_8601", "replica_8602", "replica_8603"]
    for port in (8601, 8602, 8603):
        p = procs[f"replica_{port}"]
        assert p["command"] == (f"{sys.executable} -m streamlit run deploy/replica.py --server.address 127.0.0.1 "
                                f"--server.port {port} --server.headless true --server.fileWatcherType none "
                                "--server.runOnSave false --logger.messageFormat '%(asctime)s %(message)s'")
        assert p["environment"] == {"DASHBOARD_REPLICA": f"replica_{port}", "PYTHONUNBUFFERED": "1"}
        assert (p["directory"], p["log"]) == (str(ROOT), str(tmp_path / f"replica_{port}.log"))
        # restarted whenever it ends, with its kaleido Chromium stopped with it
        assert (p["autorestart"], p["stopasgroup"], p["killasgroup"]) == ("RestartUnconditionally", True, True)
        assert p["priority"] < procs["nginx"]["priority"]  # started before nginx, stopped after it
    assert procs["nginx"]["command"] == f"/usr/sbin/nginx -p {tmp_path} -c {tmp_path}/nginx.conf"
    assert procs["nginx"]["autorestart"] == "RestartUnconditionally"


def test_no_proxy_and_proxy_only_leave_out_a_program(tmp_path):
    conf = tmp_path / "supervisord.conf"
    conf.write_text(serve.supervisord_conf(2, 9001, "10.0.0.11", None))
    assert sorted(as_supervisord_reads(conf)["processes"]) == ["replica_9001", "replica_9002"]
    conf.write_text(serve.supervisord_conf(0, 8601, "127.0.0.1", "/usr/sbin/nginx"))
    assert sorted(as_supervisord_reads(conf)["processes"]) == ["nginx"]


def test_arguments_after_the_separator_go_to_streamlit():
    args, extra = serve.parse(["--replicas", "2", "--port", "9000", "--", "--server.maxUploadSize", "1"])
    assert (args.replicas, args.port, extra) == (2, 9000, ["--server.maxUploadSize", "1"])
    with pytest.raises(SystemExit):
        serve.parse(["--replicas", "0"])


@pytest.fixture
def no_exec(monkeypatch):
    """A tripwire: deploy.serve must stop before it becomes supervisord (which would replace the test process)."""
    monkeypatch.setattr(serve.os, "execv", lambda *args: pytest.fail(f"deploy.serve went on to run {args[0]}"))


def test_serve_refuses_to_start_without_a_build(tmp_path, monkeypatch, capsys, no_exec):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "none" / "dashboard.duckdb"))
    assert serve.main(["--no-proxy", "--run-dir", str(tmp_path / "run")]) == 2
    assert "python -m etl" in capsys.readouterr().err
    assert not (tmp_path / "none").exists() and not (tmp_path / "run").exists()


def test_serve_refuses_a_port_in_use(pointer, tmp_path, capsys, no_exec):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert serve.main(["--no-proxy", "--replicas", "2", "--first-port", str(port - 1),
                           "--run-dir", str(tmp_path / "run")]) == 2
    # the second replica's port is the one taken (the first may be taken too, by someone else)
    assert re.search(rf"port (\d+, )?{port} in use", capsys.readouterr().err)
    assert not (tmp_path / "run").exists()


def test_render_only_writes_both_files_for_systemd(tmp_path, capsys, no_exec):
    require_program(serve.find("nginx"), "nginx", "sudo apt-get install nginx")
    run = tmp_path / "run"
    assert serve.main(["--render-only", "--replicas", "4", "--run-dir", str(run)]) == 0  # nginx -t passed too
    assert "server 127.0.0.1:8604 max_fails=3" in (run / "nginx.conf").read_text()
    assert "numprocs=4" in (run / "supervisord.conf").read_text()


# --- app.data: the replicas' health check, a page run pinned to one build, replicas never build -------------

@pytest.fixture
def pointer(built, tmp_path, monkeypatch):
    """A database path of this test's own, pointing at a copy of the session's build."""
    p = tmp_path / "dashboard.duckdb"
    first = tmp_path / "dashboard.builds" / "dashboard-1.duckdb"
    first.parent.mkdir()
    shutil.copy(built.path, first)
    os.symlink(first, p)
    monkeypatch.setenv("DASHBOARD_DB", str(p))
    return p


def repoint(pointer, target) -> None:
    tmp = pointer.with_name(".repoint")
    os.symlink(target, tmp)
    os.replace(tmp, pointer)


def test_health_reads_the_build_the_pointer_names(pointer):
    ok, message = builds.health()
    assert ok and message.startswith("dashboard-1.duckdb built "), message
    corrupt = pointer.parent / "dashboard.builds" / "dashboard-2.duckdb"
    corrupt.write_bytes(b"\0garbage" * 4096)
    repoint(pointer, corrupt)
    ok, message = builds.health()
    assert not ok and message.startswith(f"cannot read {corrupt}"), message
    pointer.unlink()
    assert builds.health() == (False, f"no database at {pointer}")


def test_a_page_run_reads_one_build_while_a_rebuild_swaps_in(pointer):
    first = pointer.resolve()
    second = first.with_name("dashboard-2.duckdb")
    shutil.copy(first, second)

    def run():  # a page run: pinned at its start (app.page.setup), then the pointer moves under it
        assert builds.pin_build() == first
        repoint(pointer, second)
        during = builds.build_path()
        assert builds.pin_build() == second  # the next run
        return during, builds.build_path()

    assert contextvars.copy_context().run(run) == (first, second)
    assert builds.build_path() == second  # outside a page run: whatever the pointer names


def test_a_replica_never_builds_the_database(tmp_path, monkeypatch):
    missing = tmp_path / "none" / "dashboard.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(missing))
    monkeypatch.setenv("DASHBOARD_REPLICA", "r1")
    with pytest.raises(builds.DatabaseUnavailable, match="never builds"):
        builds.ensure_database()
    assert not missing.parent.exists()


# --- the same under systemd: deploy/systemd/ -------------------------------------------------------------------

SYSTEMD = ROOT / "deploy" / "systemd"


def unit_values(path, key: str) -> list[str]:
    """Every value of `key` in a unit file (systemd allows a key more than once)."""
    return [line.split("=", 1)[1] for line in path.read_text().splitlines() if line.startswith(key + "=")]


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    require_program(analyze, "systemd-analyze", "sudo apt-get install systemd")
    # verify checks that every command exists: this checkout stands in for /srv/dashboard
    for unit in SYSTEMD.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/dashboard", str(ROOT)))
    units = sorted(u.name.replace("@.", "@8601.") for u in SYSTEMD.iterdir())
    assert units == ["dashboard-build.service", "dashboard-nginx.service", "dashboard-replica@8601.service",
                     "dashboard.target"]
    proc = subprocess.run([analyze, "verify", "--man=no", *(f"./{u}" for u in units)], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


def test_the_systemd_replica_runs_what_supervisord_runs(tmp_path):
    unit = SYSTEMD / "dashboard-replica@.service"
    (exec_start,) = unit_values(unit, "ExecStart")
    python, *args = shlex.split(exec_start.replace("%i", "8601"))
    conf = tmp_path / "supervisord.conf"
    conf.write_text(serve.supervisord_conf(1, 8601, "127.0.0.1", None))
    replica = as_supervisord_reads(conf)["processes"]["replica_8601"]
    assert python == "/srv/dashboard/.venv/bin/python" and unit_values(unit, "WorkingDirectory") == ["/srv/dashboard"]
    assert args == shlex.split(replica["command"])[1:]
    assert unit_values(unit, "Environment") == ["DASHBOARD_REPLICA=replica_%i PYTHONUNBUFFERED=1"]
    assert replica["environment"] == {"DASHBOARD_REPLICA": "replica_8601", "PYTHONUNBUFFERED": "1"}
    # nginx's unit renders make serve's nginx.conf for the replicas enabled, then runs it in the foreground
    nginx = SYSTEMD / "dashboard-nginx.service"
    (render,) = unit_values(nginx, "ExecStartPre")
    assert shlex.split(render)[1:5] == ["-m", "deploy.serve", "--render-only", "--replicas"]
    assert unit_values(nginx, "ExecStart") == ["/usr/sbin/nginx -p /run/dashboard -c /run/dashboard/nginx.conf"]
