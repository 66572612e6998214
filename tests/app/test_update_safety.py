"""Publishing served on a network (issue 21): preview folders cleaned up, XLSX bombs refused, uploaded text never
markup in a figure, a removed year falls back; and every figure drawn after an update names the update's source, on
screen and in the exported files. The password's throttle: test_login_throttle.py."""

from __future__ import annotations

import gc
import html
import io
import os
import re
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from app import data, figures, updates
from etl import preview, publish, store
from etl.errors import InputError
from etl.rawio import MAX_CELLS, MAX_ROWS, MAX_XLSX_UNPACKED, read_header
from etl.authors import Author
from tests.app.test_login_throttle import submit_login
from tests.app.test_update_page import OPERATOR, PASSWORD, live, page, unescaped  # noqa: F401 - the fixture
from tests.helpers import RAW, ROOT, built_copy, numbered, require_export_browser

SYNTH = ROOT / "tests" / "fixtures" / "synthetic_year"
YEAR = [("programme_victims", SYNTH / "programme_victims_2014.csv"),
        ("programme_referrals", SYNTH / "programme_referrals_2014.csv"),
        ("population", SYNTH / "population_2014.csv")]
META = {"title": "INVENTED test figures for 2014 (not a publication)", "publisher": "The dashboard's test suite",
        "date": "2026", "licence": "test fixture, no data"}

pytestmark = pytest.mark.slow  # see pytest.ini


def publish_year(pointer: Path, raw: Path, pairs=YEAR, meta=META, by: Author | str = "test") -> None:
    with preview.stage(pairs, meta, raw_dir=raw, pointer=pointer) as staged:
        preview.diff(staged, pointer)
        publish.publish(staged, pointer, by=by, raw_dir=raw)


def test_a_preview_folder_goes_when_its_session_drops_it_or_when_it_is_old(live, tmp_path):
    p = updates.preview([updates.Upload("population", "p.csv", (SYNTH / "population_2014.csv").read_bytes())])
    folder = Path(p.folder)
    assert folder.exists() and p.db is not None
    del p
    gc.collect()
    assert not folder.exists()  # the session's state was dropped (a closed tab): no folder left behind
    old = Path(updates.tempfile.mkdtemp(prefix=updates.PREVIEW_PREFIX))
    young = Path(updates.tempfile.mkdtemp(prefix=updates.PREVIEW_PREFIX))
    os.utime(old, (time.time() - updates.PREVIEW_TTL_S - 60,) * 2)
    gone = updates.sweep()
    assert old.name in gone and not old.exists() and young.exists()
    young.rmdir()


def _xlsx(rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["year", "teryt", "population"])
    for i in range(rows):
        sheet.append([2014, "02", 2_900_000 + i])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_an_xlsx_too_large_when_unpacked_or_too_many_rows_is_refused(tmp_path):
    long = tmp_path / "long.xlsx"
    long.write_bytes(_xlsx(MAX_ROWS + 1))
    with pytest.raises(InputError, match=f"a sheet of at most {MAX_ROWS:,} rows and {MAX_CELLS:,} cells"):
        read_header(long, ",")
    # A zip bomb: under the 2 MB upload limit, far over the unpacked limit.
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(io.BytesIO(_xlsx(1))) as small, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in small.infolist():
            out.writestr(item, small.read(item))
        out.writestr("xl/padding.xml", b"0" * (MAX_XLSX_UNPACKED + 1))
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(InputError, match="unpacks to at most"):
        read_header(bomb, ",")
    ok = tmp_path / "ok.xlsx"
    ok.write_bytes(_xlsx(16))
    assert read_header(ok, ",") == ["year", "teryt", "population"]


EVIL = '<a href="https://example.invalid/x">click</a> <b>bold</b> <span style="font-size:90px">big</span>'


def publish_evil_note(live, tmp_path):
    """Publish a year of the Programme whose note is markup; the victims figure drawn from it."""
    raw, pointer = live
    victims = tmp_path / "v.csv"
    victims.write_text("year,total,women,men,minors_in_care,minors_unaccompanied,note\n"
                       f'2014,40,24,12,1,3,"{EVIL}"\n', encoding="utf-8")
    publish_year(pointer, raw, pairs=[("programme_victims", victims)])
    return figures.victims("en")


def test_text_from_an_uploaded_file_is_never_markup_in_a_figure(live, tmp_path):
    """plotly renders <a>, <b> and <span style> in annotations and hovers: a note from a file must show as text."""
    fig = publish_evil_note(live, tmp_path)
    shown = [a.text for a in fig.layout.annotations if a.name == "note"][0]
    assert "<a " not in shown and "<b>" not in shown and "<span" not in shown
    assert html.unescape(shown.replace("<br>", " ")).count("click</a>") == 1  # the words, as text


@pytest.mark.browser
def test_text_from_an_uploaded_file_is_text_in_the_exported_figure(live, tmp_path):
    """The same note, drawn by kaleido's Chromium as SVG: text, never markup."""
    from app import export

    require_export_browser()
    svg = export.render(publish_evil_note(live, tmp_path), "svg").decode()
    assert re.search(r"(&#60;|&lt;)a href=", svg) and re.search(r"(&#60;|&lt;)b(&#62;|&gt;)bold", svg)  # text...
    assert not re.search(r"<a[\s>]", svg) and not re.search(r'<[^>]*style="[^"]*font-size:\s*90px', svg)  # not markup


def test_a_year_a_roll_back_removed_falls_back_with_a_notice(live):
    raw, pointer = live
    publish_year(pointer, raw)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.switch_page("pages/2_Referrals.py")
    at.run()
    assert at.select_slider(key="referrals.year").value == 2014
    publish.rollback(pointer, by="test", raw_dir=raw)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.select_slider(key="referrals.year").value == 2013
    assert any("„year”" in i.value for i in at.info)


# --- sources and labels after an update -----------------------------------------------------------------------

def test_every_figure_drawn_after_an_update_names_its_source(live):
    raw, pointer = live
    publish_year(pointer, raw)
    title = META["title"]
    base = {"pl": data.citation("programme_referrals", "pl"), "en": data.citation("programme_referrals", "en")}
    for lang in ("pl", "en"):
        # every year: the publication and the update; the new year alone (the default map): the update only
        for fig, both in ((figures.referrals_map(lang), False), (figures.referrals_map(lang, metric="rate"), False),
                          (figures.victims(lang), True), (figures.total_trend(lang), True),
                          (figures.referrals_heatmap(lang), True), (figures.factsheet_chart(lang, "02"), True),
                          (figures.rate_map(lang), True)):
            source = fig.layout.meta["source"]
            assert title in source, fig.layout.meta["name"]
            assert (base[lang].split(",")[0] in source) == both, (fig.layout.meta["name"], source)
            shown = " ".join(a.text for a in fig.layout.annotations if a.name == "source").replace("<br>", " ")
            assert "INVENTED test" in shown
    # A figure of the publication's own years only names only the publication.
    assert title not in figures.referrals_map("en", first=2012).layout.meta["source"]


@pytest.mark.browser
def test_an_exported_figure_and_a_fact_sheet_after_an_update_name_its_source(live):
    """Drawn by kaleido's Chromium: the map as SVG and the voivodeship's fact sheet name the update's publication."""
    from pypdf import PdfReader

    from app import export, factsheet

    raw, pointer = live
    publish_year(pointer, raw)
    require_export_browser()
    svg = export.render(figures.referrals_map("en"), "svg").decode()
    assert "INVENTED test" in html.unescape(svg)
    pdf = PdfReader(io.BytesIO(factsheet.pdf("02", "en")))
    text = " ".join(p.extract_text() for p in pdf.pages).replace("\n", " ")
    assert "INVENTED test figures" in text


def test_the_published_total_keeps_the_publication_s_own_years(live):
    """The ministry's total column is named by its own header, never by the years updates added since."""
    raw, pointer = live
    publish_year(pointer, raw)
    header = read_header(RAW / "programme_referrals.tsv", "\t")
    con = duckdb.connect(str(pointer), read_only=True)
    measures = {m for (m,) in con.execute("SELECT DISTINCT measure FROM published_totals "
                                          "WHERE dataset = 'programme_referrals'").fetchall()}
    assert measures == {header[-1]} and con.execute("SELECT max(year) FROM programme_referrals").fetchone() == (2014,)


def test_the_raw_folder_is_the_same_for_the_page_and_every_command(live):
    """DASHBOARD_RAW (the Update page's folder) is the folder `python -m etl --if-stale` (make run, make serve)
    rebuilds from: a restart keeps what the page published."""
    import subprocess
    import sys

    raw, pointer = live
    publish_year(pointer, raw)
    live_build = os.readlink(pointer)
    env = {**os.environ, "DASHBOARD_DB": str(pointer), "DASHBOARD_RAW": str(raw)}
    proc = subprocess.run([sys.executable, "-m", "etl", "--if-stale"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and "Up to date" in proc.stdout, proc.stderr
    assert os.readlink(pointer) == live_build and data.headline()["last_year"] == 2014


def test_roll_back_and_undo_from_the_page_record_who(live):
    """The buttons name the publish they act on; the log names the machine's operator (no name is typed)."""
    raw, pointer = live
    publish_year(pointer, raw)
    published = store.read_ledger(pointer).publish_id.iloc[-1]
    at = submit_login(page(), PASSWORD)
    assert not at.text_input  # nothing to type a name into
    assert at.button(key="update.rollback").label == f"Cofnij publikację {published}"
    at = at.button(key="update.rollback").click().run()
    assert not at.exception and at.success[0].value.startswith("Cofnięto")
    assert at.button(key="update.restore").label == f"Przywróć cofniętą publikację {published}"
    at = at.button(key="update.restore").click().run()
    assert not at.exception and at.success[0].value.startswith("Przywrócono")
    log = store.read_ledger(pointer)
    assert list(log.action) == ["publish"] * 3 + ["rollback"] * 3 + ["restore"] * 3
    assert set(log[log.action != "publish"].by) == {OPERATOR}
    assert data.headline()["last_year"] == 2014


def test_a_roll_back_from_a_history_that_moved_is_refused_naming_who_moved_it(live, tmp_path):
    """X looks at the history (the newest row: X's own publish); Y publishes; X's roll-back would have withdrawn
    Y's publish: it is refused, naming Y's publish and Y, and Y's publish stays live. The undo likewise."""
    raw, pointer = live
    publish_year(pointer, raw)
    at = submit_login(page(), PASSWORD)
    other = tmp_path / "s.csv"
    other.write_text("source_id,title,publisher,published,url,licence,caveats,figures\n"
                     "invented_source,INVENTED,test,2026,,none,made up,nothing\n", encoding="utf-8")
    publish_year(pointer, raw, pairs=[("sources", other)], by=Author("Ygrek Analityk", "y@example.gov.pl", "test"))
    theirs = store.read_ledger(pointer).publish_id.iloc[-1]
    before = store.read_ledger(pointer)
    at = at.button(key="update.rollback").click().run()
    assert not at.exception
    refused = unescaped(at.error[0].value)
    assert refused.startswith("Odrzucono: od chwili") and theirs in refused
    assert "Ygrek Analityk <y@example.gov.pl>" in refused and "sources.csv" in refused
    assert store.read_ledger(pointer).equals(before)  # nothing withdrawn: Y's publish is live
    assert store.current_build(pointer).name == before.build.iloc[-1]
    # The page now shows Y's publish as the newest row: the roll-back names it and acts on it.
    assert at.button(key="update.rollback").label == f"Cofnij publikację {theirs}"


def test_the_actions_themselves_refuse_someone_who_may_not_publish(live):
    """Not only hidden: the functions behind the buttons refuse a signed-out or unlisted person on the server."""
    from app import access

    raw, pointer = live
    publish_year(pointer, raw)
    before = store.read_ledger(pointer)
    seen = before.publish_id.iloc[-1]
    for who in (access.Identity("password"), access.Identity("oidc"),
                access.Identity("oidc", True, Author("Bob", "bob@example.org", "test"), False, "not_listed")):
        with pytest.raises(access.NotAllowed):
            updates.rollback(who, publish_id=seen, expected=seen)
        with pytest.raises(access.NotAllowed):
            updates.restore(who, publish_id=seen, expected=seen)
        with pytest.raises(access.NotAllowed):
            updates.publish_uploads([], {}, who, base=None)
    assert store.read_ledger(pointer).equals(before)


def test_a_stale_preview_is_refused_on_the_page(live, tmp_path):
    raw, pointer = live
    at = submit_login(page(), PASSWORD)
    at.selectbox(key="update.dataset").select("population")
    at.get("file_uploader")[0].set_value(("p.csv", (SYNTH / "population_2014.csv").read_bytes(), "text/csv"))
    at.run()
    at = at.button(key="update.add").click().run()
    at = at.button(key="update.check").click().run()
    # meanwhile another analyst publishes
    other = tmp_path / "s.csv"
    other.write_text("source_id,title,publisher,published,url,licence,caveats,figures\n"
                     "invented_source,INVENTED,test,2026,,none,made up,nothing\n", encoding="utf-8")
    publish_year(pointer, raw, pairs=[("sources", other)])
    for i, value in enumerate(["INVENTED", "Test suite", "2026", "", "test only"]):
        at.text_input[i].input(value)
    at = at.button(key="FormSubmitter:update_publish-Opublikuj").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("Baza zmieniła się od Twojego podglądu")
    theirs = store.read_ledger(pointer).publish_id.iloc[-1]
    assert theirs in at.error[0].value and "test" in at.error[0].value  # the publish and who made it
    assert [r.file for r in store.read_ledger(pointer).itertuples()] == [f"updates/{numbered(0, 'sources.csv')}"]


def test_frame_escapes_every_text_of_a_figure():
    """Legend names, bar labels, hovers, tick labels and annotations from data: all shown as text (app/safe_text),
    while the line breaks and hover boxes the code itself writes still work."""
    import plotly.graph_objects as go

    from app import charts

    evil = '<a href="x">a</a><b>b</b>'
    fig = go.Figure(go.Bar(x=[evil], y=[1], name=evil, text=[evil], hovertext=[evil], customdata=[[evil]],
                           hovertemplate="%{customdata[0]}<br>%{y}<extra></extra>"))
    fig.update_xaxes(tickvals=[evil], ticktext=[evil])
    fig.add_annotation(text=evil)
    charts.frame(fig, title=evil, subtitle=evil, source=evil, note=evil, lang="en")
    import json

    shown = fig.to_dict()
    shown["layout"].pop("meta")  # kept as plain text for file names and manifests; never drawn
    spec = json.dumps(shown, default=lambda a: a.tolist(), ensure_ascii=False)
    assert "<a " not in spec and "<b>" not in spec and spec.count("&lt;a href") >= 9
    assert "<br>%{y}<extra></extra>" in spec


def test_the_app_finishes_a_publish_killed_after_its_commit_point(live):
    """The app's start (any page run) recovers like every ETL command: the publish is live and logged once."""
    import subprocess
    import sys

    raw, pointer = live
    env = {**os.environ, store.FAULT_ENV: "publish.committed"}
    proc = subprocess.run([sys.executable, "-m", "etl", "update", "population", str(SYNTH / "population_2014.csv"),
                           "--meta", str(SYNTH / "provenance.yml"), "--db", str(pointer), "--raw", str(raw)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9 and store.journal_path(pointer).exists()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception and not store.needs_recovery(pointer)
    assert [r.action for r in store.read_ledger(pointer).itertuples()] == ["publish"]
    con = duckdb.connect(str(pointer), read_only=True)
    assert con.execute("SELECT count(*) FROM population WHERE year = 2014").fetchone() == (16,)
