"""app.data: queries against the current build and the CSV/XLSX downloads."""

import csv
import io

import openpyxl
import pytest

from app import data, downloads


def test_downloads_carry_the_real_numbers(built):
    rows = list(csv.DictReader(io.StringIO(downloads.as_csv("programme_victims").decode("utf-8-sig"))))
    assert sum(int(r["total"]) for r in rows) == 241
    assert rows[2]["note"] == "ilość ofiar: 20 (18 + 2)"
    book = openpyxl.load_workbook(io.BytesIO(downloads.as_xlsx("programme_referrals")))
    sheet = book["programme_referrals"]
    header = [c.value for c in sheet[1]]
    values = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 128 and sum(v["referrals"] for v in values) == 240


def test_every_relation_downloads(built):
    for name in downloads.DOWNLOADABLE:
        parsed = list(csv.reader(io.StringIO(downloads.as_csv(name).decode("utf-8-sig"))))
        assert len(parsed) == len(downloads.table(name)) + 1 and parsed[0] == list(downloads.table(name).columns), name


def test_only_listed_relations(built):
    with pytest.raises(ValueError):
        downloads.table("sources; DROP TABLE sources")


def test_range_rate_is_person_year_weighted(built, db):
    r = data.referrals_in_range(2006, 2013).set_index("id")
    pop = db.execute("SELECT sum(population) FROM population WHERE teryt = '14'").fetchone()[0]
    assert r.loc["14", "referrals"] == 54
    assert r.loc["14", "per_million"] == pytest.approx(54 * 1e6 / pop)


def test_figures_are_cached_per_build(built, tmp_path, monkeypatch):
    from app import figures
    from etl.build import build

    first = figures.referrals_map("pl", "light", 2012, 2012)
    assert figures.referrals_map("pl", "light", 2012, 2012) is first  # a rerun does not rebuild it
    assert figures.referrals_map("en", "light", 2012, 2012) is not first
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "other.duckdb"))
    build(tmp_path / "other.duckdb")  # a new build: a new file, so new figures
    rebuilt = figures.referrals_map("pl", "light", 2012, 2012)
    assert rebuilt is not first and rebuilt.to_json() == first.to_json()
