"""The home page under AppTest: it runs, shows the real headline figures, and builds a missing database."""

from streamlit.testing.v1 import AppTest

from app.i18n import t
from tests.helpers import ROOT

APP = str(ROOT / "dashboard.py")


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_home_shows_headline_figures(built, db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    m = metrics(at)
    assert m["Objęci Programem 2006–2013"] == "241"
    assert m["Udział kobiet"] == "64\u00a0%" and m["Udział mężczyzn"] == "26\u00a0%"
    assert m["Udział małoletnich"] == "10\u00a0%" and m["Małoletni"] == "23"
    helps = {m.label: m.help for m in at.metric}
    assert helps["Udział kobiet"].startswith("155 z 241")
    assert m["Województwa ze zgłoszeniami"] == "16 z 16"
    assert m["Za granicą 2020, tys."] == "2\u00a0239"
    captions = " ".join(c.value for c in at.caption)
    assert "Dane według stanu z" in captions
    # each year whose referrals do not add up to its enrolments, as SQL finds it, in the page's own words
    gaps = db.execute("SELECT v.year, v.total, sum(r.referrals) FROM programme_victims v JOIN programme_referrals r "
                      "USING (year) GROUP BY v.year, v.total HAVING v.total <> sum(r.referrals) ORDER BY 1").fetchall()
    assert gaps
    for year, enrolled, referred in gaps:
        assert t("referrals_mismatch", "pl", year=year, expected=enrolled, actual=referred) in captions


def test_home_in_english(built):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    m = metrics(at)
    assert m["Enrolled 2006–2013"] == "241"
    assert m["Abroad 2020, thousands"] == "2,239"


def test_missing_database_is_built_on_first_start(tmp_path, monkeypatch):
    pointer = tmp_path / "fresh" / "dashboard.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert pointer.exists() and pointer.is_symlink()
    assert metrics(at)["Objęci Programem 2006–2013"] == "241"


def test_home_opens_with_today_and_the_programme_follows_as_history(built, db):
    """The first screen names the latest year of each source (national counts, Polish citizens detected abroad,
    Poland among European countries) before the Programme's 2006-2013 figures; the abroad tile equals SQL."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    labels = [m.label for m in at.metric]
    year, iso3, country, value = db.execute("""SELECT year, iso3, country, value FROM unodc_glotip
        WHERE dimension = 'by citizenship' AND category_iso3 = 'POL' AND iso3 <> 'POL' AND sex = 'Total'
        AND age = 'Total' AND indicator = 'Detected trafficking victims' AND value IS NOT NULL
        ORDER BY year DESC, value DESC LIMIT 1""").fetchone()
    name = db.execute("SELECT coalesce(max(name_en), ?) FROM countries WHERE iso3 = ?", (country, iso3)).fetchone()[0]
    abroad = labels.index(f"Most Polish citizens detected abroad, {year}: {name}")
    europe = next(i for i, label in enumerate(labels) if label.startswith("Poland's rank among European countries"))
    programme = labels.index("Enrolled 2006–2013")
    assert abroad < programme and europe < programme
    from app.figures import national
    today = [tile["label"] for tile in national.latest_tiles("en")]
    assert labels[:len(today)] == today  # the national counts, each with its latest year, come first
    assert metrics(at)[labels[abroad]] == f"{value:,}"
