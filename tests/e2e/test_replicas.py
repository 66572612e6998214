"""Many viewers (issues 16 and 24): `python -m deploy.serve` runs 3 replicas behind Debian's nginx under Debian's
supervisord; headless Chromium goes through the proxy only.

One supervisord for the module, with nginx and the replicas on free loopback ports, over a database build of its
own in a temporary folder (the module rebuilds it and points it at a corrupt file). A viewer is put on a chosen
replica with the proxy's own sticky cookie: nginx hashes the cookie's value, so the module finds one value per
replica by asking the replicas' health check through the proxy (it answers with the replica's name,
replica_<port>). The tests run in file order: pages, downloads, a rebuild, a database that cannot be read, a
killed replica, the stop.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from PIL import Image

from app.i18n import t
from deploy.serve import HEALTH_PATH, find
from etl.build import current_build
from tests.e2e.harness import (TIMEOUT_MS, VIEWPORT, Recorder, Replicated, load, page_urls,
                               replicated_server, wait_charts, wait_idle)
from tests.e2e.test_pages import assert_every_chart, clean, default_figures
from tests.e2e.test_reliability import data_as_of
from tests.helpers import ROOT, built_copy, require_program

pytestmark = pytest.mark.browser

COOKIE = "dashboard_replica"  # deploy/nginx.conf
REPLICAS = 3
START_TIMEOUT_S = 180


@dataclass
class Cluster:
    """The running supervisord (tests.e2e.harness.Replicated), the database path it serves, and for each replica
    a cookie value nginx sends to it."""
    server: Replicated
    pointer: Path
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def wait(self, ok, what: str, timeout: float = 60) -> dict[str, dict]:
        try:
            return self.server.wait(ok, what, timeout)
        except RuntimeError as exc:
            pytest.fail(str(exc), pytrace=False)


def through_proxy(url: str, path: str, key: str | None = None) -> tuple[int, str]:
    """GET through the proxy with the sticky cookie `key`: (status, body)."""
    req = urllib.request.Request(url + path, headers={"Cookie": f"{COOKIE}={key}"} if key else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require_program(find("nginx"), "nginx", "sudo apt-get install nginx")
    require_program(find("supervisord"), "supervisord", "sudo apt-get install supervisor")
    tmp = tmp_path_factory.mktemp("serve")
    _, pointer = built_copy(tmp)  # a build of data/raw as it is (the rebuilds below read data/raw)
    try:
        with replicated_server(tmp / "run", REPLICAS, env={"DASHBOARD_DB": str(pointer)}, timeout=START_TIMEOUT_S) as srv:
            c = Cluster(srv, pointer)
            for i in range(500):  # about 1 in 3 values lands on each replica
                status, body = through_proxy(c.url, HEALTH_PATH, f"key{i}")
                assert status == 200, body
                c.keys.setdefault(body.split(":")[0], f"key{i}")
                if len(c.keys) == REPLICAS:
                    break
            assert sorted(c.keys) == sorted(srv.replicas()) and len(c.keys) == REPLICAS, c.keys
            yield c
    except RuntimeError as exc:  # did not start
        pytest.fail(str(exc), pytrace=False)


@contextmanager
def viewer(browser, cluster: Cluster, replica: str | None = None):
    """A page in a fresh browser context (a viewer of its own), on `replica` when given; yields (page, Recorder).
    Every request is checked to stay on 127.0.0.1 (Recorder) and to go through the proxy (checked on exit)."""
    recorder = Recorder()
    context = browser.new_context(viewport=VIEWPORT, locale="pl-PL", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    if replica:
        context.add_cookies([{"name": COOKIE, "value": cluster.keys[replica], "url": cluster.url}])
    recorder.attach(context)
    page = context.new_page()
    recorder.watch(page)
    try:
        yield page, recorder
    finally:
        context.close()
    proxy = urlsplit(cluster.url).netloc
    bypassing = [u for u in recorder.requests if u.startswith(("http", "ws")) and urlsplit(u).netloc != proxy]
    assert bypassing == [], f"requests not through the proxy: {bypassing}"


def served_by(page, cluster: Cluster) -> str:
    """The replica that holds this viewer's session: the health check through the proxy with the context's
    cookies (a request of the context itself, not of the page)."""
    return page.context.request.get(cluster.url + HEALTH_PATH).text().split(":")[0]


def built_at(path: Path) -> str:
    """A build's time as the overview shows it, read from the file itself."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return f"{con.execute('SELECT built_at FROM build_info').fetchone()[0]:%Y-%m-%d %H:%M:%S}"
    finally:
        con.close()


def repoint(pointer: Path, target: Path) -> None:
    """Point the database path at `target` in one rename, as the ETL swaps a build in."""
    tmp = pointer.with_name(".test-repoint")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, pointer)


def load_together(pages: list, urls: list[str], expect: list[int]) -> list[list[dict]]:
    """Open each URL in its page at once (one viewer per replica: the replicas work in parallel, as for real
    viewers), then wait for each as `load` does; return each page's charts."""
    for page, url in zip(pages, urls):
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    drawn = []
    for page, n in zip(pages, expect):
        wait_idle(page)
        drawn.append(wait_charts(page, expect=n))
    return drawn


# One page on each replica, loaded together: the pages of maps (the world topology from the app's static files), of the
# most charts and of the largest tables (the longest websocket messages). Every page takes the same way through nginx
# (`location /` and the websocket's); each is loaded directly by the accessibility gate.
THROUGH_PROXY = ("", "/Abroad", "/Data")  # "": the Overview


def test_pages_through_the_proxy_on_every_replica(browser, cluster):
    paths = [p for p in page_urls() if p in THROUGH_PROXY]
    names = sorted(cluster.keys)
    assert len(paths) == len(THROUGH_PROXY) == len(names)
    for n, group in enumerate([paths[i:i + len(names)] for i in range(0, len(paths), len(names))]):
        with ExitStack() as stack:
            # One viewer on each replica at a time; the very first has no cookie yet (a new browser).
            pinned = [None if n == i == 0 else name for i, name in enumerate(names[:len(group)])]
            opened = [stack.enter_context(viewer(browser, cluster, name)) for name in pinned]
            expected = [default_figures(path) for path in group]
            drawn = load_together([p for p, _ in opened], [cluster.url + path for path in group],
                                  [len(e) for e in expected])
            for (page, rec), path, name, charts, figures in zip(opened, group, pinned, drawn, expected):
                clean(page, rec)
                assert urlsplit(page.url).path.rstrip("/") == path
                assert_every_chart(charts, figures)
                if name is None:  # nginx gave the new browser its cookie with the first answer
                    assert [c["name"] for c in page.context.cookies()].count(COOKIE) == 1
                    assert served_by(page, cluster) in names
                else:
                    assert served_by(page, cluster) == name


def test_downloads_through_the_proxy(browser, cluster):
    # Both files are made by the replica that holds the session and fetched from it (/media/...).
    third = sorted(cluster.keys)[2]
    with viewer(browser, cluster, third) as (page, rec):
        load(page, cluster.url + "/Victims?years=2010-2013")
        with page.expect_download(timeout=120_000) as info:
            page.get_by_test_id("stDownloadButton").first.locator("button").click()
        assert info.value.suggested_filename == "victims_count_2010-2013_pl_slide.png"
        assert Image.open(io.BytesIO(Path(info.value.path()).read_bytes())).size == (1920, 1080)
        load(page, cluster.url + "/Data")
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=t("download_csv", "pl")).click()
        name = info.value.suggested_filename
        assert name.endswith(".csv")
        rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
        assert len(rows) > 1 and len(rows[0]) > 1, rows[:3]
        clean(page, rec)
        assert served_by(page, cluster) == third


def test_rebuild_while_serving_reaches_every_replica(browser, cluster):
    before = cluster.server.replicas()
    old = built_at(current_build(cluster.pointer))
    names = sorted(cluster.keys)
    with ExitStack() as stack:
        # a viewer on each replica, its page drawn from the old build
        opened = [stack.enter_context(viewer(browser, cluster, name)) for name in names]
        load_together([p for p, _ in opened], [cluster.url + "/"] * len(names), [0] * len(names))
        for page, _ in opened:
            assert old in data_as_of(page)
        time.sleep(1.1)  # the build time is shown to the second
        proc = subprocess.run([sys.executable, "-m", "etl", "--db", str(cluster.pointer), "--quiet"], cwd=ROOT,
                              capture_output=True, text=True, timeout=180)
        assert proc.returncode == 0, proc.stderr
        new_build = current_build(cluster.pointer)
        new = built_at(new_build)
        assert new != old
        # Each open page keeps working and its next run reads the new build.
        for page, _ in opened:
            assert old in data_as_of(page)
            page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
        for page, rec in opened:
            page.get_by_text("Data as of").first.wait_for()
            wait_idle(page)
            assert new in data_as_of(page)
            clean(page, rec)
    # New viewers on every replica see the new build; no replica restarted.
    with ExitStack() as stack:
        fresh = [stack.enter_context(viewer(browser, cluster, name)) for name in names]
        load_together([p for p, _ in fresh], [cluster.url + "/"] * len(names), [0] * len(names))
        for (page, rec), name in zip(fresh, names):
            assert new in data_as_of(page)
            assert served_by(page, cluster) == name
            clean(page, rec)
    after = cluster.wait(lambda rs: all(new_build.name in r["message"] for r in rs.values()),
                         "every replica's health check reads the new build", 30)
    assert {n: (r["pid"], r["restarts"]) for n, r in after.items()} == \
           {n: (r["pid"], r["restarts"]) for n, r in before.items()}


def test_a_database_that_cannot_be_read_shows_in_the_health_check(browser, cluster):
    good = current_build(cluster.pointer)
    corrupt = cluster.pointer.parent / "corrupt.duckdb"
    corrupt.write_bytes(b"not a database " * 1000)
    repoint(cluster.pointer, corrupt)
    try:
        # Every replica says so, asked directly: 503 naming the file (Streamlit's own check still says ok).
        replicas = cluster.wait(lambda rs: all(not r["healthy"] and "database: cannot read" in r["message"]
                                               and "corrupt.duckdb" in r["message"] for r in rs.values()),
                                "every replica reports the database", 30)
        assert through_proxy(replicas[sorted(replicas)[0]]["url"], "/_stcore/health") == (200, "ok")
        # Through the proxy each answers for itself, more often than nginx's max_fails=3 in fail_timeout=10s, and
        # none is taken out: the file is the same for every replica, and the page's message says more than a 502.
        for name, key in sorted(cluster.keys.items()):
            for _ in range(4):
                status, body = through_proxy(cluster.url, HEALTH_PATH, key)
                assert status == 503 and body.startswith(f"{name}: database: cannot read") and "corrupt" in body, body
        # The page explains, with the command to rebuild, on every replica (still in nginx's rotation).
        for name in sorted(cluster.keys):
            with viewer(browser, cluster, name) as (page, rec):
                load(page, cluster.url + "/")
                errors = page.get_by_test_id("stAlertContentError").all_inner_texts()
                assert len(errors) == 1 and "python -m etl" in errors[0], errors
                assert page.locator('[data-testid="stException"]').count() == 0
                assert served_by(page, cluster) == name
    finally:
        repoint(cluster.pointer, good)
    cluster.wait(lambda rs: all(r["healthy"] for r in rs.values()), "every replica healthy again", 30)


def test_killed_replica_is_taken_out_restarted_and_its_viewer_reconnects(browser, cluster):
    victim = sorted(cluster.keys)[1]
    before = cluster.server.replicas()[victim]
    upstream = f'upstream: "{before["url"]}/'  # how nginx's error log names a request it sent there
    error_log = cluster.server.run_dir / "error.log"
    errors_from, events_from = error_log.stat().st_size, len(cluster.server.events())
    expected = default_figures("/Victims")
    with viewer(browser, cluster, victim) as (page, rec):
        assert_every_chart(load(page, cluster.url + "/Victims", expect=len(expected)), expected)
        os.kill(before["pid"], signal.SIGKILL)
        # At once, before supervisord's new process listens: requests with its cookie are answered by another
        # replica (nginx retries the refused connection), and the third refusal takes it out (max_fails=3).
        for _ in range(3):
            assert through_proxy(cluster.url, "/_stcore/health", cluster.keys[victim]) == (200, "ok")
        # New page loads right after, one with each replica's cookie (the victim's too): none fails.
        for name in sorted(cluster.keys):
            with viewer(browser, cluster, name) as (other, other_rec):
                home = default_figures("")
                assert_every_chart(load(other, cluster.url + "/", expect=len(home)), home)
                clean(other, other_rec)
        # The viewer who was on it: Streamlit reconnects (through the proxy, to another replica or to the
        # restarted one), and the page works: it draws its charts and answers a click.
        wait_idle(page)
        page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
        page.wait_for_url(lambda url: "lang=en" in url)
        wait_idle(page)
        assert_every_chart(wait_charts(page, expect=len(expected)), default_figures("/Victims", "en"))
        assert page.locator('[data-testid="stException"]').count() == 0
        assert rec.page_errors == [] and rec.blocked == []
    # nginx took it out (its own words, about the victim's address) ...
    with open(error_log, "rb") as f:
        f.seek(errors_from)
        disabled = [line for line in f.read().decode(errors="replace").splitlines()
                    if "upstream server temporarily disabled" in line and upstream in line]
    assert disabled, f"nginx did not take {victim} out; {error_log}"
    # ... supervisord restarted it ...
    after = cluster.wait(lambda rs: rs[victim]["healthy"] and rs[victim]["restarts"] == 1,
                         f"{victim} restarted by supervisord", 120)[victim]
    assert after["pid"] != before["pid"]
    events = cluster.server.events()[events_from:]
    assert events.index(f"exited: {victim} (terminated by SIGKILL; not expected)") \
           < events.index(f"spawned: '{victim}' with pid {after['pid']}")
    # ... and nginx sends its viewers to it again once fail_timeout (10 s) has passed.
    deadline = time.monotonic() + 60
    while not through_proxy(cluster.url, HEALTH_PATH, cluster.keys[victim])[1].startswith(f"{victim}: ok"):
        assert time.monotonic() < deadline, f"{victim} not back in nginx's rotation after 60 s"
        time.sleep(1)


def process_groups(groups: set[int]) -> list[int]:
    """Every live process in the given process groups."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) in groups and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def test_sigterm_stops_nginx_and_every_replica(cluster):
    processes = cluster.server.processes()
    assert sorted(processes) == sorted(["nginx", *cluster.keys])
    pids = [p["pid"] for p in processes.values()]
    assert all(pids) and all(alive(p) for p in pids)
    # supervisord starts each program in a process group of its own; a replica's kaleido Chromium is in it
    members = process_groups(set(pids))
    assert cluster.server.stop() == 0
    assert [p for p in members if alive(p)] == []
    assert "Traceback" not in cluster.server.log_text()
    logs = list(cluster.server.run_dir.glob("replica_*.log"))
    assert len(logs) == REPLICAS
    for log in logs:
        assert "Traceback" not in log.read_text(errors="replace"), log
