"""The Update page's shared password (one machine's sign-in): failures wait longer then lock out a session or a client
address, never the whole team; forwarded addresses are believed only from configured proxies; logging out."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app import login
from tests.app.test_update_page import PASSWORD, live, page  # noqa: F401 - the fixture
from tests.helpers import ROOT


def submit_login(at: AppTest, given: str) -> AppTest:
    at.text_input[0].input(given)
    return at.button(key="FormSubmitter:update_login-Zaloguj").click().run()


# --- the password --------------------------------------------------------------------------------------------

def test_failures_make_the_next_try_wait_longer_then_lock_out(live, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(login.time, "time", lambda: clock[0])
    keys = ["session:a", "client:192.0.2.1"]
    waits = []
    for _ in range(login.MAX_FAILURES):
        login.failed(keys)
        waits.append(login.wait_seconds(keys))
    assert waits[:-1] == [2 ** i for i in range(login.MAX_FAILURES - 1)]  # 1, 2, 4, 8 s
    assert waits[-1] == login.LOCKOUT_S
    # another session of the same client is locked out too; another client is not
    assert login.wait_seconds(["session:b", "client:192.0.2.1"]) == login.LOCKOUT_S
    assert login.wait_seconds(["session:c", "client:192.0.2.2"]) == 0
    clock[0] += login.LOCKOUT_S + 1
    assert login.wait_seconds(keys) == 0
    login.failed(keys)  # a failure after the lock-out locks out again at once
    assert login.wait_seconds(keys) == login.LOCKOUT_S


PROXIES = login.trusted_proxies("127.0.0.1,::1")  # what `make serve` sets for its own nginx


def test_a_forwarded_address_is_believed_only_from_a_configured_proxy():
    # make serve's nginx (127.0.0.1, configured) forwards the client; the chain's last address not a proxy is it
    assert login.client_address("127.0.0.1", {"X-Real-IP": "198.51.100.7", "X-Forwarded-For": "198.51.100.7"},
                                PROXIES) == ("198.51.100.7", True)
    # the documented TLS proxy in front of it (also 127.0.0.1): X-Real-IP is that proxy, X-Forwarded-For has the client
    assert login.client_address("127.0.0.1", {"X-Real-IP": "127.0.0.1", "X-Forwarded-For": "203.0.113.5, 127.0.0.1"},
                                PROXIES) == ("203.0.113.5", True)
    # a client that sends its own X-Forwarded-For through the proxy: what the proxy appended wins
    assert login.client_address("127.0.0.1", {"X-Forwarded-For": "192.0.2.66, 203.0.113.5"}, PROXIES) == \
        ("203.0.113.5", True)
    # not a configured proxy: its headers are not believed (a direct client cannot pick its address)
    assert login.client_address("203.0.113.9", {"X-Real-IP": "198.51.100.7"}, PROXIES) == ("203.0.113.9", True)
    # a proxy on this machine nobody configured: every client behind it shares its address, which only delays
    assert login.client_address("127.0.0.1", {"X-Real-IP": "198.51.100.7"}, []) == ("127.0.0.1", False)
    assert login.client_address("127.0.0.1", {}, []) == ("127.0.0.1", True)  # `make run`: the browser itself
    assert login.client_address(None, {}, PROXIES) == ("unknown", False)
    assert login.keys_for("s", "127.0.0.1", {"X-Real-IP": "x"}, "update_password", []) == [
        "session:s", "shared:127.0.0.1", "account:update_password"]


def test_one_wrong_guesser_never_locks_the_team_out(live, monkeypatch):
    """Behind a proxy the server was not told about (every analyst has its address), a guesser's 50 failures lock out
    their own session, and make another analyst's session wait at most SHARED_MAX_DELAY_S, never LOCKOUT_S."""
    clock = [1_000_000.0]
    monkeypatch.setattr(login.time, "time", lambda: clock[0])
    headers = {"X-Real-IP": "198.51.100.7", "X-Forwarded-For": "198.51.100.7"}
    guesser = login.keys_for("guesser", "127.0.0.1", headers, "update_password", [])
    for _ in range(50):
        login.failed(guesser)
    assert login.wait_seconds(guesser) == login.LOCKOUT_S
    colleague = login.keys_for("colleague", "127.0.0.1", headers, "update_password", [])
    assert 0 < login.wait_seconds(colleague) <= login.SHARED_MAX_DELAY_S
    clock[0] += login.SHARED_MAX_DELAY_S
    assert login.wait_seconds(colleague) == 0
    # configured, the proxy's forwarded addresses tell them apart: a guesser's address is locked out, no one else's
    guesser = login.keys_for("guesser2", "127.0.0.1", headers, "update_password", PROXIES)
    for _ in range(login.MAX_FAILURES):
        login.failed(guesser)
    assert login.wait_seconds(login.keys_for("other-session", "127.0.0.1", headers, "update_password", PROXIES)) \
        == login.LOCKOUT_S  # the same client in a new session
    other = {"X-Real-IP": "203.0.113.5", "X-Forwarded-For": "203.0.113.5"}
    assert login.wait_seconds(login.keys_for("colleague2", "127.0.0.1", other, "update_password", PROXIES)) \
        <= login.SHARED_MAX_DELAY_S


def test_a_locked_out_session_cannot_log_in_even_with_the_password(live):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets["update_password"] = PASSWORD
    at.session_state["update.session"] = "locked-session"
    at.switch_page("pages/7_Update.py")
    at.run()
    for _ in range(login.MAX_FAILURES):
        login.failed(["session:locked-session"])
    at = submit_login(at, PASSWORD)
    assert not at.exception
    assert at.error[0].value.startswith("Zbyt wiele nieudanych prób logowania") and not at.get("file_uploader")


def test_log_out(live):
    at = submit_login(page(), PASSWORD)
    assert at.get("file_uploader")
    at = at.button(key="update.logout").click().run()
    assert not at.exception and not at.get("file_uploader") and at.text_input[0].label == "Hasło"


# --- what an upload can do --------------------------------------------------------------------------------------
