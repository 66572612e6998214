"""Emigration, population and UN DESA tables as loaded, against the files they came from."""

import csv
import json

from tests.helpers import RAW, ROOT


def rows(name):
    with open(RAW / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_emigration_values_are_the_published_ones(db):
    scopes = {"TOTAL": "total", "Europe": "europe", "EU": "eu"}
    expected_stock = sorted((int(r["year"]), r["iso3"], int(r["emigrants_thousands"]), r["source_id"])
                            for r in rows("emigration_gus.csv") if r["iso3"])
    expected_totals = sorted((int(r["year"]), scopes[r["country_en"]], int(r["emigrants_thousands"]),
                              r["source_id"]) for r in rows("emigration_gus.csv") if not r["iso3"])
    assert db.execute("SELECT * FROM emigration_stock ORDER BY ALL").fetchall() == expected_stock
    assert db.execute("SELECT * FROM emigration_totals ORDER BY ALL").fetchall() == expected_totals
    assert db.execute("SELECT emigrants_thousands FROM emigration_stock WHERE year = 2012 AND iso3 = 'GBR'"
                      ).fetchone() == (637,)
    assert db.execute("SELECT emigrants_thousands FROM emigration_totals WHERE year = 2020 AND scope = 'eu'"
                      ).fetchone() == (1339,)


def test_no_data_is_absent_not_zero(db):
    # 2013 has only four destinations published; the rest must be missing, never 0.
    assert db.execute("SELECT list(iso3 ORDER BY iso3) FROM emigration_stock WHERE year = 2013"
                      ).fetchone() == (["DEU", "GBR", "IRL", "NLD"],)
    assert db.execute("SELECT count(*) FROM emigration_stock WHERE emigrants_thousands = 0").fetchone() == (0,)


def test_every_destination_has_a_country_and_a_map_feature(db):
    features = {f["id"] for f in json.loads((ROOT / "geo" / "countries.geojson").read_text())["features"]}
    for table in ("emigration_stock", "migrant_stock_born_in_poland"):
        iso3 = {r[0] for r in db.execute(f"SELECT DISTINCT iso3 FROM {table}").fetchall()}
        named = {r[0] for r in db.execute("SELECT iso3 FROM countries").fetchall()}
        assert iso3 <= named, table
        assert iso3 <= features, iso3 - features


def test_undesa_destinations_add_up_to_world(db):
    assert db.execute("SELECT persons FROM migrant_stock_born_in_poland WHERE year = 2020 AND iso3 = 'DEU'"
                      ).fetchone() == (2141722,)
    diff = db.execute("""SELECT w.year, w.persons, sum(s.persons) FROM migrant_stock_born_in_poland_world w
                         JOIN migrant_stock_born_in_poland s USING (year) GROUP BY ALL
                         HAVING w.persons <> sum(s.persons)""").fetchall()
    assert diff == []
    assert db.execute("SELECT count(*) FROM migrant_stock_born_in_poland_world").fetchone() == (7,)


def test_population(db):
    assert db.execute("SELECT count(*), count(DISTINCT teryt) FROM population").fetchone() == (128, 16)
    assert db.execute("SELECT population FROM population WHERE year = 2013 AND teryt = '14'").fetchone() == (5316840,)
    assert db.execute("SELECT sum(population) FROM population WHERE year = 2013").fetchone() == (38495659,)
