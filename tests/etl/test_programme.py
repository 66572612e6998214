"""The Programme tables as loaded: the published figures, notes and the checks of their totals."""

from tests.helpers import RAW, SHARED, require_shared


def test_victims_totals(db):
    rows = db.execute("SELECT year, total, women, men, minors_in_care, minors_unaccompanied "
                      "FROM programme_victims ORDER BY year").fetchall()
    assert [r[0] for r in rows] == list(range(2006, 2014))
    sums = [sum(r[i] for r in rows) for i in range(1, 6)]
    assert sums == [241, 155, 63, 9, 14]
    for year, total, *groups in rows:
        assert sum(groups) == total, year


def test_victims_notes_kept(db):
    notes = dict(db.execute("SELECT year, note FROM programme_victims WHERE note IS NOT NULL").fetchall())
    assert notes == {2008: "ilość ofiar: 20 (18 + 2)", 2011: "ilość ofiar: 25 (2 os x 2)"}
    assert db.execute("SELECT total FROM programme_victims WHERE year = 2008").fetchone() == (20,)


def test_victims_dash_is_zero_not_null(db):
    assert db.execute("SELECT men, minors_in_care FROM programme_victims WHERE year = 2006").fetchone() == (0, 0)
    assert db.execute("SELECT count(*) FROM programme_victims WHERE total IS NULL OR men IS NULL").fetchone() == (0,)


def test_referrals_grid(db):
    assert db.execute("SELECT count(*), count(DISTINCT teryt), count(DISTINCT year), count(referrals) "
                      "FROM programme_referrals").fetchone() == (128, 16, 8, 128)
    assert db.execute("SELECT sum(referrals) FROM programme_referrals").fetchone() == (240,)
    # Every '-' of the published table is a stored zero.
    dashes = sum(line.split("\t")[1:9].count("-") for line in
                 (RAW / "programme_referrals.tsv").read_text(encoding="utf-8").splitlines()[1:])
    assert db.execute("SELECT count(*) FROM programme_referrals WHERE referrals = 0").fetchone() == (dashes,)
    assert dashes > 50


def test_referrals_values(db):
    def cell(name, year):
        return db.execute("SELECT r.referrals, r.note FROM programme_referrals r JOIN voivodeships v "
                          "USING (teryt) WHERE v.name_pl = ? AND r.year = ?", [name, year]).fetchone()
    assert cell("dolnośląskie", 2012) == (27, None)
    assert cell("wielkopolskie", 2008) == (4, "2008: 2+ 2")
    assert cell("łódzkie", 2013) == (16, None)


def test_referrals_rows_equal_published_column(db):
    rows = db.execute("""SELECT p.key, p.value, sum(r.referrals) FROM published_totals p
                         JOIN programme_referrals r ON r.teryt = p.key
                         WHERE p.dataset = 'programme_referrals' GROUP BY p.key, p.value""").fetchall()
    assert len(rows) == 16
    assert all(published == summed for _, published, summed in rows)
    assert db.execute("SELECT value, note FROM published_totals WHERE dataset = 'programme_referrals' "
                      "AND key = '30'").fetchone() == (10, "2006-2013: 8 +2")


def test_referral_year_sums_vs_enrolments(db):
    diff = db.execute("""SELECT v.year, v.total, sum(r.referrals) FROM programme_victims v
                         JOIN programme_referrals r USING (year) GROUP BY v.year, v.total
                         HAVING v.total <> sum(r.referrals)""").fetchall()
    assert diff == [(2013, 56, 55)]
    dq = db.execute("""SELECT key, severity, expected, actual FROM data_quality
                       WHERE check_name = 'referrals_year_vs_enrolments' AND severity <> 'info'""").fetchall()
    assert dq == [("2013", "warning", "56", "55")]


def test_annotations_listed(db):
    keys = sorted(r[0] for r in db.execute(
        "SELECT key FROM data_quality WHERE check_name = 'published_annotation'").fetchall())
    assert keys == ["2008", "2011", "wielkopolskie", "wielkopolskie"]


def test_raw_files_match_seed():
    """The raw tables are the seed's text, byte for byte, line by line."""
    seed = SHARED / "seeds" / "001_0ed4411ff6dc2ba2.txt"
    require_shared(seed)
    text = seed.read_text(encoding="utf-8").splitlines()
    for name in ("programme_victims.tsv", "programme_referrals.tsv"):
        lines = (RAW / name).read_text(encoding="utf-8").splitlines()
        start = text.index(lines[0])
        assert text[start:start + len(lines)] == lines
