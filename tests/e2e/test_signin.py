"""Sign-in by an identity provider, end to end: a real OpenID Connect provider on loopback (oidc-provider-mock, the
Authlib server behind a login form), a real `streamlit run` with `[auth]` and `[publishers]` in its secrets.toml,
and headless Chromium signing in through the provider's form, as st.login, Authlib and the browser do it.

- a publisher on the list publishes, and the change log names them with the e-mail the provider verified;
- a signed-in person not on the list sees no control that changes data, and a forged request (a rerun message
  with the roll-back and undo buttons' triggers, sent down their own session's websocket) changes nothing, while
  the same message from a publisher's session does roll back (so the forgery is well made);
- signing out ends the session: the identity cookie is gone and the page asks to sign in again;
- two sessions: X reads the history, Y publishes, X's roll-back is refused naming Y's publish and Y, and Y's
  publish stays live.

One provider and one server for the module; the data is put back after each test."""

from __future__ import annotations

import re
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import werkzeug.serving

from etl import preview, publish, store
from etl.authors import Author
from tests.e2e import a11y
from tests.e2e.harness import TIMEOUT_MS, VIEWPORT, Recorder, load, streamlit_server, wait_idle
from tests.helpers import reset_to_template

import authlib.deprecate  # noqa: E402 - its import adds an "always" filter for its warnings, which the next one beats

with warnings.catch_warnings():  # Authlib 1.9 warns of its own modules that oidc-provider-mock 0.3 imports
    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    import oidc_provider_mock

# The provider runs in this process, where Authlib 1.9 warns of the APIs oidc-provider-mock 0.3 calls.
pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

USERS = {  # sub -> the claims the provider issues (its ID token and userinfo)
    "anna": {"email": "anna.kowalska@example.gov.pl", "email_verified": True, "name": "Anna Kowalska"},
    "ygrek": {"email": "ygrek.nowak@example.gov.pl", "email_verified": True, "name": "Ygrek Nowak"},
    "bob": {"email": "bob@example.org", "email_verified": True, "name": "Bob Obcy"},
    "gosia": {"email": "gosia@example.gov.pl", "email_verified": True, "name": "Gosia Grupowa",
              "groups": ["staff", "dashboard-publishers"]},
}
SECRETS = """
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "a-long-random-cookie-secret-for-the-tests-0123456789"
client_id = "dashboard-tests"
client_secret = "any-secret-the-mock-accepts"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[publishers]
emails = ["Anna.Kowalska@example.gov.pl", "ygrek.nowak@example.gov.pl"]
claim = "groups"
groups = ["dashboard-publishers"]
"""
SOURCE = ("source_id,title,publisher,published,url,licence,caveats,figures\n"
          "invented_source,INVENTED source of the sign-in tests,test,2026,,none,made up,nothing\n")
META = {"title": "INVENTED test figures (not a publication)", "publisher": "The dashboard's test suite",
        "date": "2026", "licence": "test fixture, no data"}


# --- the provider and the server ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock on a free loopback port (127.0.0.1: the only name the tests' Chromium resolves), its
    users' claims set through its API."""
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        for sub, claims in USERS.items():
            assert httpx.put(f"{url}/users/{quote(sub)}", json=claims, timeout=10).status_code == 204
        yield url
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


@dataclass
class Served:
    url: str
    provider: str
    raw: Path
    pointer: Path
    server: object

    def reset(self) -> None:
        """The raw folder, the first build and no change log, as the server started."""
        reset_to_template(self.raw, self.pointer)

    def ledger(self):
        return store.read_ledger(self.pointer)

    def publish(self, tmp: Path, by: Author, name: str = "s.csv") -> str:
        """A publish made elsewhere (another analyst's shell): its id."""
        src = tmp / name
        src.write_text(SOURCE.replace("invented_source", f"invented_{name[:-4]}"), encoding="utf-8")
        with preview.stage([("sources", src)], META, by=str(by), raw_dir=self.raw, pointer=self.pointer) as staged:
            preview.diff(staged, self.pointer)
            return publish.publish_id_of(publish.publish(staged, self.pointer, by=by, raw_dir=self.raw).path.name)


@pytest.fixture(scope="module")
def served(provider, tmp_path_factory):
    """The dashboard with the Update page on and sign-in by the provider: a private copy of data/raw and its build."""
    tmp = tmp_path_factory.mktemp("signin")
    env, args = a11y.update_server_env(tmp)  # a copy of data/raw, its build, --secrets.files tmp/secrets.toml
    (tmp / "secrets.toml").write_text(SECRETS.format(provider=provider), encoding="utf-8")
    with streamlit_server(tmp / "server.log", env=env, args=args) as srv:
        yield Served(srv.url, provider, Path(env["DASHBOARD_RAW"]), Path(env["DASHBOARD_DB"]), srv)


@pytest.fixture
def site(served):
    log_start = len(served.server.log_text())
    yield served
    served.reset()
    assert "Traceback" not in served.server.log_text()[log_start:], served.server.log_text()[log_start:]


@pytest.fixture
def tabs(browser, provider):
    """Fresh browser contexts (each a person with cookies of their own), offline but for loopback. The provider's own
    login form (a test tool's page, not the dashboard's) links a stylesheet off this machine: only that request, from
    the provider's page, is answered here with an empty one; the recorder records any other as blocked, and the
    browser's resolver refuses it."""
    made = []

    def new():
        recorded = Recorder()
        context = browser.new_context(viewport=VIEWPORT, locale="pl-PL")
        context.set_default_timeout(TIMEOUT_MS)
        recorded.answered_here = lambda request: _is_provider_style(request, provider)
        recorded.attach(context)
        context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: _provider_style(route, provider))
        page = context.new_page()
        recorded.watch(page)
        made.append((context, recorded))
        return page

    yield new
    for context, recorded in made:
        context.close()
        assert recorded.blocked == [] and recorded.dialogs == []


def _is_provider_style(request, provider: str) -> bool:
    return request.resource_type == "stylesheet" and request.frame.url.startswith(provider)


def _provider_style(route, provider: str) -> None:
    if _is_provider_style(route.request, provider):
        route.fulfill(status=200, content_type="text/css", body="")
    else:
        route.abort("blockedbyclient")  # recorded as blocked by the recorder


def sign_in(page, site: Served, sub: str) -> None:
    """The Update page's sign-in button, the provider's form (the subject typed in), back to the dashboard, then the
    Update page again, signed in."""
    base = site.url
    load(page, base + "/Update")
    page.get_by_role("button", name="Zaloguj się kontem instytucji").click()
    page.get_by_placeholder("sub").wait_for()  # the provider's own page
    assert page.url.startswith(site.provider)
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/?(\?.*)?$"))  # Streamlit's callback sends the browser home
    load(page, base + "/Update")
    page.get_by_text("Zalogowano jako").wait_for()
    wait_idle(page)


def controls(page) -> list[str]:
    """The controls on the page that change data: upload, publish, roll back, undo."""
    found = []
    if page.locator('input[type="file"]').count():
        found.append("upload")
    for name in ("Opublikuj", "Sprawdź i pokaż zmiany"):
        if page.get_by_role("button", name=name).count():
            found.append(name)
    for pattern in (r"^Cofnij publikację", r"^Przywróć cofniętą publikację"):
        if page.get_by_role("button", name=re.compile(pattern)).count():
            found.append(pattern)
    return found


def upload_and_publish(page, tmp: Path, name: str) -> None:
    src = tmp / name
    src.write_text(SOURCE.replace("invented_source", f"invented_{name[:-4]}"), encoding="utf-8")
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="sources", exact=True).click()
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(src))
    page.get_by_test_id("stFileChip").first.wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Dodaj plik").click()
    page.get_by_text(f"sources: {name}").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Sprawdź i pokaż zmiany").click()
    page.get_by_text("Zmiany względem bieżącej bazy").wait_for()
    wait_idle(page)
    for label, value in [("Tytuł publikacji", META["title"]), ("Wydawca", META["publisher"]),
                         ("Data publikacji", META["date"]), ("Licencja / warunki użycia", META["licence"])]:
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Opublikuj").click()
    page.get_by_text(re.compile(r"^Opublikowano")).wait_for()
    wait_idle(page)


# --- the tests ---------------------------------------------------------------------------------------------------

def test_a_publisher_on_the_list_publishes_and_the_log_names_them(site, tabs, tmp_path):
    page = tabs()
    sign_in(page, site, "anna")
    assert "Anna Kowalska <anna.kowalska@example.gov.pl>" in page.get_by_text("Zalogowano jako").inner_text()
    upload_and_publish(page, tmp_path, "anna.csv")
    rows = site.ledger()
    assert list(rows.action) == ["publish"]
    row = rows.iloc[0]
    assert (row.by, row.by_email) == ("Anna Kowalska", "anna.kowalska@example.gov.pl")
    assert row.signed_in == f"OpenID Connect: {site.provider}, subject anna"
    assert store.current_build(site.pointer).name == row.build  # live
    # the page names the publish by its id: the newest row, and what the roll-back would withdraw
    assert page.get_by_text(f"Najnowszy wpis, który widzisz: {row.publish_id}").count() == 1
    assert page.get_by_role("button", name=f"Cofnij publikację {row.publish_id}").count() == 1


def test_a_member_of_the_publishers_group_may_publish(site, tabs):
    page = tabs()
    sign_in(page, site, "gosia")  # not on the e-mail list: in the group the claim names
    assert "upload" in controls(page)


def test_someone_not_on_the_list_sees_no_control_and_a_forged_request_is_refused(site, tabs, tmp_path):
    live_id = site.publish(tmp_path, Author("Zespół", "", "test"), "one.csv")
    withdrawn_id = site.publish(tmp_path, Author("Zespół", "", "test"), "two.csv")
    publish.rollback(site.pointer, by=Author("Zespół", "", "test"), raw_dir=site.raw, publish_id=withdrawn_id)
    before, live = site.ledger(), store.current_build(site.pointer)

    page = tabs()
    wire = Wire(page)
    sign_in(page, site, "bob")
    assert "bob@example.org" in page.get_by_test_id("stAlertContentWarning").inner_text()
    assert controls(page) == []  # nothing to upload, publish, roll back or undo
    assert page.get_by_test_id("stDataFrame").count() == 1  # the history, read only
    forged = wire.forge(["update.rollback", "update.restore"])
    assert forged["ids_checked"], forged  # the ids computed as Streamlit computes them (the sign-out button's)
    assert site.ledger().equals(before) and store.current_build(site.pointer) == live
    assert controls(page) == []

    # The same message from a publisher's session is obeyed: the forgery above was a real request, refused.
    page = tabs()
    wire = Wire(page)
    sign_in(page, site, "anna")
    wire.forge(["update.rollback"])
    after = site.ledger()
    assert list(after.action)[len(before):] == ["rollback"] and after.publish_id.iloc[-1] == live_id
    assert after.by.iloc[-1] == "Anna Kowalska"


def test_signing_out_ends_the_session(site, tabs, tmp_path):
    page = tabs()
    sign_in(page, site, "anna")
    assert any(c["name"] == "_streamlit_user" for c in page.context.cookies())
    page.get_by_role("button", name="Wyloguj").click()
    page.get_by_role("button", name="End session").click()  # the provider's end of its session
    page.wait_for_url(re.compile(re.escape(site.url) + r"/?(\?.*)?$"))
    wait_idle(page)
    assert not [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    load(page, site.url + "/Update")
    page.get_by_role("button", name="Zaloguj się kontem instytucji").wait_for()
    assert controls(page) == [] and page.get_by_text("Zalogowano jako").count() == 0
    other = page.context.new_page()  # another tab of the same browser: signed out too
    load(other, site.url + "/Update")
    other.get_by_role("button", name="Zaloguj się kontem instytucji").wait_for()
    assert controls(other) == []


def test_two_sessions_x_s_roll_back_of_what_moved_is_refused_and_y_s_publish_stays_live(site, tabs, tmp_path):
    seen = site.publish(tmp_path, Author("Zespół", "", "test"), "first.csv")
    x = tabs()
    sign_in(x, site, "anna")  # X views the history: its newest row is `seen`
    assert x.get_by_role("button", name=f"Cofnij publikację {seen}").count() == 1
    y = tabs()
    sign_in(y, site, "ygrek")  # Y publishes
    upload_and_publish(y, tmp_path, "ygrek.csv")
    theirs = site.ledger().iloc[-1]
    assert (theirs.action, theirs.by) == ("publish", "Ygrek Nowak")

    x.get_by_role("button", name=f"Cofnij publikację {seen}").click()  # X's roll-back, of what X saw
    refused = x.get_by_test_id("stAlertContentError")
    refused.wait_for()
    wait_idle(x)
    text = refused.inner_text()
    assert text.startswith("Odrzucono: od chwili") and theirs.publish_id in text
    assert "Ygrek Nowak <ygrek.nowak@example.gov.pl>" in text
    rows = site.ledger()
    assert list(rows.action) == ["publish", "publish"] and rows.iloc[-1].publish_id == theirs.publish_id
    assert store.current_build(site.pointer).name == theirs.build  # Y's publish is live
    # X now sees Y's publish as the newest: the button names it.
    assert x.get_by_role("button", name=f"Cofnij publikację {theirs.publish_id}").count() == 1


# --- a forged request: a rerun message of our own down the page's own websocket -------------------------------

class Wire:
    """The page's websocket to Streamlit, relayed through Playwright so a test can send a message of its own in
    the page's session (its cookies, its sign-in): a rerun whose widget states trigger buttons by id. Streamlit
    computes a keyed button's id from its key and the page's script hash (streamlit.elements.lib.utils), which is
    what a forger would do; the id of a button the page did draw checks the computation."""

    def __init__(self, page):
        self.page, self.server, self.rerun, self.seen, self.finished, self.script = page, None, None, [], 0, ""
        page.route_web_socket(re.compile(r"/_stcore/stream$"), self._route)

    def _route(self, ws) -> None:
        self.server = ws.connect_to_server()
        ws.on_message(self._from_page)
        self.server.on_message(self._from_server)
        self.page_ws = ws

    def _from_page(self, message) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if isinstance(message, bytes):
            msg = BackMsg()
            msg.ParseFromString(message)
            if msg.WhichOneof("type") == "rerun_script":
                self.rerun = msg
        self.server.send(message)

    def _from_server(self, message) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(message, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(message)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "button":
                    self.seen.append(element.button.id)
                    self.script = msg.metadata.active_script_hash  # the page's, which every id of it includes
            elif kind == "script_finished":
                self.finished += 1
        self.page_ws.send(message)

    def forge(self, keys: list[str]) -> dict:
        """Send a rerun of the page's last one with the buttons `keys` triggered; wait for that run to finish."""
        from streamlit.elements.lib.utils import _compute_element_id
        from streamlit.proto.BackMsg_pb2 import BackMsg

        assert self.rerun is not None and self.server is not None, "no rerun seen on the page's websocket"
        script = self.script
        ids = {k: _compute_element_id("button", k, active_script_hash=script) for k in keys + ["update.logout"]}
        ids_checked = ids["update.logout"] in self.seen
        msg = BackMsg()
        msg.CopyFrom(self.rerun)
        for k in keys:
            state = msg.rerun_script.widget_states.widgets.add()
            state.id, state.trigger_value = ids[k], True
        before = self.finished
        self.server.send(msg.SerializeToString())
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while self.finished == before:
            assert time.monotonic() < deadline, "the forged rerun never finished"
            self.page.wait_for_timeout(100)
        wait_idle(self.page)
        return {"ids": ids, "ids_checked": ids_checked, "seen": self.seen, "script": script}

