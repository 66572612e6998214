"""Many viewers (issue 16): `python -m deploy.serve` runs 3 replicas behind Debian's nginx; headless Chromium
goes through the proxy only.

One supervisor for the module, on free loopback ports, over a database build of its own in a temporary folder
(the module rebuilds it and points it at a corrupt file). A viewer is put on a chosen replica with the proxy's
own sticky cookie: nginx hashes the cookie's value, so the module finds one value per replica by asking the
replicas' health check through the proxy (it answers with the replica's name). The tests run in file order:
pages, downloads, a rebuild, a database that cannot be read, a killed replica, the stop.
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
from deploy.serve import HEALTH_PATH, find_nginx
from etl.build import build, current_build
from tests.e2e.harness import (TIMEOUT_MS, VIEWPORT, Recorder, Replicated, load, page_urls,
                               replicated_server, wait_charts, wait_idle)
from tests.e2e.test_pages import assert_every_chart, clean, default_figures
from tests.e2e.test_reliability import data_as_of
from tests.helpers import ROOT, require_program

pytestmark = pytest.mark.browser

COOKIE = "dashboard_replica"  # deploy/nginx.conf
REPLICAS = 3
START_TIMEOUT_S = 180


@dataclass
class Cluster:
    """The running supervisor (tests.e2e.harness.Replicated), the database path it serves, and for each replica
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
    require_program(find_nginx(), "nginx", "sudo apt-get install nginx")
    tmp = tmp_path_factory.mktemp("serve")
    pointer = tmp / "db" / "dashboard.duckdb"
    build(pointer)
    try:
        with replicated_server(tmp / "run", REPLICAS, env={"DASHBOARD_DB": str(pointer)}, timeout=START_TIMEOUT_S) as srv:
            c = Cluster(srv, pointer)
            for i in range(500):  # about 1 in 3 values lands on each replica
                status, body = through_proxy(c.url, HEALTH_PATH, f"key{i}")
                assert status == 200, body
                c.keys.setdefault(body.split(":")[0], f"key{i}")
                if len(c.keys) == REPLICAS:
                    break
            assert sorted(c.keys) == [f"r{i + 1}" for i in range(REPLICAS)], c.keys
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


def test_every_page_through_the_proxy(browser, cluster):
    paths = page_urls()
    names = sorted(cluster.keys)
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
    with viewer(browser, cluster, "r3") as (page, rec):
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
        assert served_by(page, cluster) == "r3"


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
        # every replica says so; none is taken out when none is healthy (a moment may pass between the first
        # replica and the last to have failed the checks it takes)
        replicas = cluster.wait(lambda rs: all(not r["healthy"] and "database: cannot read" in r["message"]
                                               and r["fails"] >= 3 and r["in_rotation"] for r in rs.values()),
                                "every replica reports the database, all in rotation", 30)
        # Asked directly, a replica answers 503 and says what is wrong (Streamlit's own check still says ok).
        r1 = replicas["r1"]["url"]
        status, body = through_proxy(r1, HEALTH_PATH)
        assert status == 503 and "corrupt.duckdb" in body, body
        assert through_proxy(r1, "/_stcore/health") == (200, "ok")
        # The page explains, with the command to rebuild.
        with viewer(browser, cluster, "r1") as (page, rec):
            load(page, cluster.url + "/")
            errors = page.get_by_test_id("stAlertContentError").all_inner_texts()
            assert len(errors) == 1 and "python -m etl" in errors[0], errors
            assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        repoint(cluster.pointer, good)
    cluster.wait(lambda rs: all(r["healthy"] for r in rs.values()), "every replica healthy again", 30)


def test_killed_replica_new_loads_succeed_and_its_viewer_reconnects(browser, cluster):
    victim = "r2"
    before = cluster.server.replicas()[victim]
    log_start = len(cluster.server.log_text())
    expected = default_figures("/Victims")
    with viewer(browser, cluster, victim) as (page, rec):
        assert_every_chart(load(page, cluster.url + "/Victims", expect=len(expected)), expected)
        os.kill(before["pid"], signal.SIGKILL)
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
    # The supervisor took it out of nginx's rotation, restarted it and put it back.
    after = cluster.wait(lambda rs: rs[victim]["healthy"] and rs[victim]["in_rotation"] and rs[victim]["restarts"] == 1,
                         f"{victim} restarted and back in rotation", 120)[victim]
    assert after["pid"] != before["pid"]
    events = cluster.server.log_text()[log_start:]
    assert events.index(f"{victim} out of nginx's rotation") < events.index(f"{victim} back in nginx's rotation")
    assert through_proxy(cluster.url, HEALTH_PATH, cluster.keys[victim])[1].startswith(f"{victim}: ok")


def test_sigterm_stops_nginx_and_every_replica(cluster):
    status = cluster.server.status()
    pids = [status["nginx_pid"]] + [r["pid"] for r in status["replicas"]]
    assert all(pids) and all(alive(p) for p in pids)
    assert cluster.server.stop() == 0
    assert [p for p in pids if alive(p)] == []
    assert "Traceback" not in cluster.server.log_text()
    for log in cluster.server.run_dir.glob("r*.log"):
        assert "Traceback" not in log.read_text(errors="replace"), log
