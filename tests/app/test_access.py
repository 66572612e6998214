"""Who may publish (app/access.py) and the Update page under AppTest with sign-in by an identity provider configured:
the rules of `[publishers]`, the page a signed-out, unlisted, listed or stale sign-in sees, and the change log naming
the person the ID token names. The same through a real provider and browser: tests/e2e/test_signin.py."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from app import access
from etl import store
from tests.app.test_update_page import live  # noqa: F401 - the fixture
from tests.app.test_update_safety import publish_year
from tests.helpers import ROOT

AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "a-test-cookie-secret-0123456789",
        "client_id": "dashboard", "client_secret": "s3cret",
        "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration"}
PUBLISHERS = {"emails": ["Anna.Kowalska@example.gov.pl"], "claim": "groups", "groups": ["dashboard-publishers"]}
ISSUER = "http://127.0.0.1:9400"


def claims(email: str, name: str = "Anna Kowalska", **more) -> dict:
    return {"is_logged_in": True, "iss": ISSUER, "sub": f"sub-{email}", "email": email, "name": name,
            "iat": int(time.time()), "provider": "default", **more}


ANNA = claims("anna.kowalska@example.gov.pl")


# --- the rules ---------------------------------------------------------------------------------------------------

def test_providers_need_the_shared_settings_and_a_client():
    assert access.providers(None) == () and access.providers({}) == ()
    assert access.providers({"update_password": "x"}) == ()  # the shared password: no sign-in configured
    assert access.providers({"auth": AUTH}) == (None,)
    assert access.providers({"auth": {k: v for k, v in AUTH.items() if k != "cookie_secret"}}) == ()
    named = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"],
             "keycloak": {k: AUTH[k] for k in access.PROVIDER_KEYS}, "other": {"client_id": "only"}}
    assert access.providers({"auth": named}) == ("keycloak",)


def test_an_e_mail_on_the_list_or_a_group_of_the_claim_may_publish():
    rule = access.rules({"publishers": PUBLISHERS})
    now = time.time()
    assert access.check(ANNA, rule, now) == (True, "")  # the list's case does not matter
    assert access.check(claims("bob@example.org"), rule, now) == (False, "not_listed")
    assert access.check(claims("bob@example.org", groups=["staff", "dashboard-publishers"]), rule, now) == (True, "")
    assert access.check(claims("bob@example.org", groups="dashboard-publishers"), rule, now) == (True, "")
    assert access.check(claims("bob@example.org", roles=["dashboard-publishers"]), rule, now) == (False, "not_listed")
    roles = access.rules({"publishers": {"claim": "roles", "groups": "dashboard-publishers"}})
    assert access.check(claims("bob@example.org", roles=["dashboard-publishers"]), roles, now) == (True, "")


def test_an_unverified_e_mail_a_stale_sign_in_and_an_empty_list_may_not():
    rule = access.rules({"publishers": PUBLISHERS})
    now = time.time()
    assert access.check({**ANNA, "email_verified": False}, rule, now) == (False, "unverified_email")
    assert access.check({**ANNA, "email_verified": True}, rule, now) == (True, "")
    assert access.check({**ANNA, "iat": now - 13 * 3600}, rule, now) == (False, "too_old")
    assert access.check({k: v for k, v in ANNA.items() if k != "iat"}, rule, now) == (False, "too_old")
    longer = access.rules({"publishers": {**PUBLISHERS, "max_sign_in_age_hours": 24}})
    assert access.check({**ANNA, "iat": now - 13 * 3600}, longer, now) == (True, "")
    assert access.check(ANNA, access.rules({}), now) == (False, "no_publishers")  # nobody, not everybody


def test_the_author_is_who_the_id_token_names():
    author = access.author_of(ANNA)
    assert (author.name, author.email) == ("Anna Kowalska", "anna.kowalska@example.gov.pl")
    assert author.signed_in == f"OpenID Connect: {ISSUER}, subject sub-anna.kowalska@example.gov.pl"
    assert access.author_of({"given_name": "Jan", "family_name": "Nowak", "sub": "1"}).name == "Jan Nowak"
    assert access.author_of({"preferred_username": "jnowak", "sub": "1"}, "keycloak").signed_in.endswith(
        "([auth.keycloak]), subject 1")


def test_the_shared_password_acts_as_the_configured_operator_else_the_server_s_account():
    op = access.operator({"update_operator": "Ewa Operator", "update_operator_email": "ewa@example.gov.pl"})
    assert (op.name, op.email) == ("Ewa Operator", "ewa@example.gov.pl") and "update_operator" in op.signed_in
    fallback = access.operator({})
    assert fallback.name and "no update_operator" in fallback.signed_in and "shell account" in fallback.signed_in


# --- the page ----------------------------------------------------------------------------------------------------

def page(user: dict | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.secrets["publishers"] = PUBLISHERS
    at.user = user if user is not None else {"is_logged_in": False}
    at.switch_page("pages/7_Update.py")
    return at.run()


def controls(at: AppTest) -> set[str]:
    """The keys of what changes data on the page: upload, add, publish, roll back, undo."""
    keys = {b.key for b in at.button if b.key}
    return {k for k in keys if k in ("update.add", "update.check", "update.rollback", "update.restore")
            or "update_publish" in k} | ({"upload"} if at.get("file_uploader") else set())


def test_signed_out_the_page_offers_sign_in_and_nothing_else(live):
    at = page(None)
    assert not at.exception
    assert [b.key for b in at.button if b.key.startswith("update.signin")] == ["update.signin.default"]
    assert not controls(at) and not at.text_input and not at.dataframe  # not even the password form


def test_a_signed_in_person_not_on_the_list_sees_the_history_and_no_control(live):
    raw, pointer = live
    publish_year(pointer, raw)
    at = page(claims("bob@example.org", "Bob Obcy"))
    assert not at.exception
    assert "Bob Obcy <bob@example.org>" in at.markdown[0].value.replace("\\", "")
    assert "bob@example.org" in at.warning[0].value.replace("\\", "") and "[publishers]" in at.warning[0].value
    assert not controls(at) and len(at.dataframe) == 1  # the change history only


def test_a_stale_sign_in_is_asked_to_sign_in_again(live):
    at = page({**ANNA, "iat": time.time() - 13 * 3600})
    assert not at.exception and "12 h" in at.warning[0].value and not controls(at)
    assert at.button(key="update.signin.again")


def test_a_publisher_s_roll_back_records_their_verified_name_and_e_mail(live):
    raw, pointer = live
    publish_year(pointer, raw)
    at = page(ANNA)
    assert not at.exception and {"upload", "update.rollback"} <= controls(at)
    at = at.button(key="update.rollback").click().run()
    assert not at.exception and at.success[0].value.startswith("Cofnięto")
    row = store.read_ledger(pointer).iloc[-1]
    assert (row.action, row.by, row.by_email) == ("rollback", "Anna Kowalska", "anna.kowalska@example.gov.pl")
    assert row.signed_in == f"OpenID Connect: {ISSUER}, subject sub-anna.kowalska@example.gov.pl"


def test_a_session_that_lost_the_right_is_refused_by_the_action_not_only_the_page(live):
    """The button was drawn while the person was a publisher; by the click the list no longer names them (or their
    sign-in grew too old): the action itself refuses, on the server."""
    raw, pointer = live
    publish_year(pointer, raw)
    at = page(ANNA)
    before = store.read_ledger(pointer)
    at.secrets["publishers"] = {"emails": ["someone.else@example.gov.pl"]}
    at = at.button(key="update.rollback").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Twoje konto nie może zmieniać danych")
    assert store.read_ledger(pointer).equals(before)
