"""`make serve` without a browser: the nginx configuration it renders, which replicas stay in rotation, the
replicas' database health check, one build per page run, and a replica never building a database."""

from __future__ import annotations

import contextvars
import os
import re
import shutil
import subprocess

import pytest

from app import data
from deploy import serve
from deploy.serve import Replica, render, rotation
from tests.helpers import require_program


def replicas(*healthy: bool) -> list[Replica]:
    """Replicas r1, r2, ...: each healthy, or failing for long enough to be taken out."""
    out = []
    for i, ok in enumerate(healthy):
        r = Replica(f"r{i + 1}", "127.0.0.1", 8601 + i)
        for _ in range(1 if ok else serve.FAILS_TO_TAKE_OUT):
            r.checked(ok, "ok" if ok else "database: cannot read")
        out.append(r)
    return out


def conf(tmp_path, rs: list[Replica]) -> str:
    return render(serve.TEMPLATE.read_text(), tmp_path, "127.0.0.1:8080", rs)


def test_rendered_config_fills_every_field_and_keeps_what_serving_needs(tmp_path):
    text = conf(tmp_path, replicas(True, True, True))
    assert "{{" not in text.replace("{{...}}", "")
    assert f"pid {tmp_path}/nginx.pid;" in text and "listen 127.0.0.1:8080;" in text
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


def test_nginx_accepts_the_rendered_config(tmp_path):
    nginx = serve.find_nginx()
    require_program(nginx, "nginx", "sudo apt-get install nginx")
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / sub).mkdir(parents=True)
    rs = replicas(True, False, True)
    for r, in_rotation in zip(rs, rotation(rs).values()):
        r.in_rotation = in_rotation
    (tmp_path / "nginx.conf").write_text(conf(tmp_path, rs))
    proc = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "127.0.0.1:8602 max_fails=3 fail_timeout=10s down;" in (tmp_path / "nginx.conf").read_text()


def test_rotation_takes_out_failing_replicas_but_never_all():
    assert rotation(replicas(True, False, True)) == {"r1": True, "r2": False, "r3": True}
    busy = replicas(True, True, True)
    for _ in range(serve.FAILS_TO_TAKE_OUT - 1):  # a replica too busy to answer for a moment stays in
        busy[1].checked(False, "no answer: timed out")
    assert rotation(busy) == {"r1": True, "r2": True, "r3": True}
    busy[1].checked(False, "no answer: timed out")
    assert rotation(busy) == {"r1": True, "r2": False, "r3": True}
    busy[1].checked(True, "r2: ok")  # back at its first good answer
    assert rotation(busy) == {"r1": True, "r2": True, "r3": True}
    assert rotation(replicas(False, False, False)) == {"r1": True, "r2": True, "r3": True}
    assert rotation(replicas(True, True, True)) == {"r1": True, "r2": True, "r3": True}


def test_arguments_after_the_separator_go_to_streamlit():
    args, extra = serve.parse(["--replicas", "2", "--port", "9000", "--", "--server.maxUploadSize", "1"])
    assert (args.replicas, args.port, extra) == (2, 9000, ["--server.maxUploadSize", "1"])
    with pytest.raises(SystemExit):
        serve.parse(["--replicas", "0"])


def test_serve_refuses_to_start_without_a_build(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "none" / "dashboard.duckdb"))
    assert serve.main(["--no-proxy", "--run-dir", str(tmp_path / "run")]) == 2
    assert "python -m etl" in capsys.readouterr().err
    assert not (tmp_path / "none").exists() and not (tmp_path / "run").exists()


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
    ok, message = data.health()
    assert ok and message.startswith("dashboard-1.duckdb built "), message
    corrupt = pointer.parent / "dashboard.builds" / "dashboard-2.duckdb"
    corrupt.write_bytes(b"\0garbage" * 4096)
    repoint(pointer, corrupt)
    ok, message = data.health()
    assert not ok and message.startswith(f"cannot read {corrupt}"), message
    pointer.unlink()
    assert data.health() == (False, f"no database at {pointer}")


def test_a_page_run_reads_one_build_while_a_rebuild_swaps_in(pointer):
    first = pointer.resolve()
    second = first.with_name("dashboard-2.duckdb")
    shutil.copy(first, second)

    def run():  # a page run: pinned at its start (app.page.setup), then the pointer moves under it
        assert data.pin_build() == first
        repoint(pointer, second)
        during = data.build_path()
        assert data.pin_build() == second  # the next run
        return during, data.build_path()

    assert contextvars.copy_context().run(run) == (first, second)
    assert data.build_path() == second  # outside a page run: whatever the pointer names


def test_a_replica_never_builds_the_database(tmp_path, monkeypatch):
    missing = tmp_path / "none" / "dashboard.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(missing))
    monkeypatch.setenv("DASHBOARD_REPLICA", "r1")
    with pytest.raises(data.DatabaseUnavailable, match="never builds"):
        data.ensure_database()
    assert not missing.parent.exists()
