"""The Update page under AppTest: off unless enabled, a password, upload, preview from a staged build, publish,
roll back; the live database untouched until Publish; the change log names the machine's operator, not a typed
name."""

from __future__ import annotations

import re
import socket

import pytest
from streamlit.testing.v1 import AppTest

from app import data, downloads
from etl import store
from tests.helpers import ROOT, built_copy, disclosures, numbered, snapshot

SYNTH = ROOT / "tests" / "fixtures" / "synthetic_year"
PASSWORD = "correct horse battery staple"
OPERATOR = "Operator Testowy"


@pytest.fixture
def live(tmp_path, monkeypatch):
    """A copy of data/raw and its build, served to the page; the Update page enabled."""
    raw, pointer = built_copy(tmp_path)
    monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    monkeypatch.setenv("DASHBOARD_RAW", str(raw))
    monkeypatch.setenv("DASHBOARD_UPDATES", "1")
    return raw, pointer


def page(password: str | None = PASSWORD, operator: str | None = OPERATOR) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if password is not None:
        at.secrets["update_password"] = password
    if operator is not None:
        at.secrets["update_operator"] = operator
        at.secrets["update_operator_email"] = "operator@example.gov.pl"
    at.switch_page("pages/7_Update.py")
    return at.run()


def login(at: AppTest, given: str = PASSWORD) -> AppTest:
    at.text_input[0].input(given)
    return at.button(key="FormSubmitter:update_login-Zaloguj").click().run()


def unescaped(markdown: str) -> str:
    """Markdown as the reader sees it (the page escapes every character that could be markup)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_off_unless_enabled(built, monkeypatch):
    monkeypatch.delenv("DASHBOARD_UPDATES", raising=False)
    at = page()
    assert not at.exception
    assert "DASHBOARD_UPDATES=1" in at.info[0].value and not at.get("file_uploader") and not at.text_input


@pytest.mark.parametrize("secret, given", [(PASSWORD, "wrong"), (None, ""), (None, "anything")])
def test_password_required(live, secret, given):
    at = login(page(secret), given)
    assert not at.exception
    assert [e.value for e in at.error] == ["Nieprawidłowe hasło."] and not at.get("file_uploader")


@pytest.mark.slow
def test_upload_preview_publish_and_roll_back(live):
    raw, pointer = live
    before = snapshot(pointer)
    at = login(page())
    assert not at.exception and at.get("file_uploader")
    for dataset, name in [("programme_victims", "programme_victims_2014.csv"),
                          ("programme_referrals", "programme_referrals_2014.csv"),
                          ("population", "population_2014.csv")]:
        at.selectbox(key="update.dataset").select(dataset)
        at.get("file_uploader")[0].set_value((name, (SYNTH / name).read_bytes(), "text/csv"))
        at.run()
        at = at.button(key="update.add").click().run()
    at = at.button(key="update.check").click().run()
    assert not at.exception, [e.message for e in at.exception]
    changes = at.dataframe[0].value
    assert sorted(changes.dataset.unique()) == ["population", "programme_referrals", "programme_victims"]
    assert (changes.year == 2014).all() and (changes.change == "+").all() and len(changes) == 33
    checks = at.dataframe[1].value
    assert set(checks.severity) == {"warning"}  # the known 2013 discrepancy, nothing failing
    names = [c.proto.spec for c in at.get("plotly_chart")]
    assert any('"referrals_map_count_2014"' in n for n in names)  # the analyst sees the 2014 map first
    assert any('"referrals_map_rate_2006-2014"' in n for n in names)
    assert snapshot(pointer) == before  # nothing published yet
    assert data.headline()["last_year"] == 2013

    # Publish without provenance: refused, still unchanged.
    at = at.button(key="FormSubmitter:update_publish-Opublikuj").click().run()
    assert "missing title, publisher, date, licence" in unescaped(at.error[0].value) and snapshot(pointer) == before
    assert not [w for w in at.text_input if w.form_id == "update_publish" and "Kto" in w.label]  # no "by" to type
    for i, value in enumerate(["INVENTED test title", "Test suite", "2026", "", "test only"]):
        at.text_input[i].input(value)
    at = at.button(key="FormSubmitter:update_publish-Opublikuj").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Opublikowano")
    assert data.headline()["total"] == 281 and snapshot(pointer) != before
    history = at.dataframe[0].value
    assert list(history.action) == ["publish"] * 3 and set(history.by) == {OPERATOR}
    assert set(history.by_email) == {"operator@example.gov.pl"} and history.publish_id.nunique() == 1
    assert set(store.read_ledger(pointer).signed_in) == {
        f"shared password on {socket.gethostname()} (its operator, update_operator)"}

    # The Data page lists each update inside the expander of the dataset it updates, not as a dataset of its own.
    shown = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    shown.switch_page("pages/4_Data.py")
    shown.run()
    shown_in = disclosures(shown)
    labels = list(shown_in)
    datasets = downloads.table("datasets").dataset
    assert len(labels) == (~datasets.str.contains("_update_")).sum() and not [x for x in labels if "_update_" in x]
    victims = next(label for label in labels if label.startswith("programme_victims:"))
    assert victims.endswith("(+ 1 aktualizacja)")
    assert numbered(0, "programme_victims.csv") in shown_in[victims]

    at = at.button(key="update.rollback").click().run()
    assert not at.exception and at.success[0].value.startswith("Cofnięto")
    assert data.headline()["total"] == 241


def test_hostile_file_name_and_content_stay_text(live):
    at = login(page())
    evil = "<img src=x onerror=alert(1)>[x](javascript:alert(1)).csv"
    at.selectbox(key="update.dataset").select("population")
    at.get("file_uploader")[0].set_value((evil, b"year,teryt,population\n2014,<b>02</b>,1\n", "text/csv"))
    at.run()
    at = at.button(key="update.add").click().run()
    at = at.button(key="update.check").click().run()
    shown = " ".join(m.value for m in at.markdown) + " ".join(e.value for e in at.error)
    assert not re.search(r"(?<!\\)<img|(?<!\\)\]\(javascript", shown)  # every < ] ( escaped
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in shown
    assert evil + ", row 2, column 'teryt'" in unescaped(at.error[0].value) and "\\<b\\>02\\<\\/b\\>" in at.error[0].value
