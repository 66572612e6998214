"""The data behind a figure: the zip's CSV equals SQL written here for the figure's view, for a figure of every page;
its metadata names the sources with their addresses, the view and the build; the README is in both languages."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile

import pytest

from app import bundle, cite, figures, slides, views
from app.charts.spec import Spec
from app.figures import national

BASE = "https://dashboard.example/"


def unzip(fig, lang: str = "en") -> tuple[list[dict[str, str]], dict, str, list[str]]:
    """The zip of a figure as the live button and the bake make it: CSV rows, metadata, README, entry names."""
    spec = Spec.of(fig)
    url = cite.link(spec, lang, BASE)
    raw = bundle.zip_bytes(spec, lang, url, cite.citation(spec, lang, url))
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        names = zf.namelist()
        meta = json.loads(zf.read("metadata.json"))
        text = zf.read(meta["file"]).decode("utf-8-sig")
        readme = zf.read("README.md").decode()
    return list(csv.DictReader(io.StringIO(text))), meta, readme, names


def same(cell: str, value) -> bool:
    """A CSV cell and a database value: empty for NULL, numbers equal, text as it is."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return cell == ""
    if isinstance(value, bool):
        return cell == str(value)
    if isinstance(value, (int, float)):
        return cell != "" and math.isclose(float(cell), float(value), rel_tol=1e-9)
    return cell == str(value)


def assert_rows(rows: list[dict[str, str]], db, sql: str, key=None) -> None:
    """The CSV has exactly the query's columns (in order) and rows (in order, or sorted by `key`)."""
    cur = db.execute(sql)
    columns = [d[0] for d in cur.description]
    expected = [dict(zip(columns, r)) for r in cur.fetchall()]
    assert rows and list(rows[0]) == columns
    if key:
        rows, expected = sorted(rows, key=lambda r: key(r)), sorted(expected, key=lambda r: key({k: str(v) for k, v in r.items()}))
    assert len(rows) == len(expected)
    wrong = [(r, e) for r, e in zip(rows, expected) if not all(same(r[c], e[c]) for c in columns)]
    assert wrong == []


def test_overview_trend(built, db):
    rows, *_ = unzip(figures.total_trend("en"))
    assert_rows(rows, db, "SELECT year, total, note, source_id FROM programme_victims ORDER BY year")


def test_victims_shares_of_a_range(built, db):
    rows, meta, *_ = unzip(figures.victims("pl", "light", 2008, 2012, "share"), "pl")
    shares = ", ".join(f"100.0 * {g} / NULLIF(total, 0) AS {g}_share_pct" for g in
                       ("women", "men", "minors_in_care", "minors_unaccompanied"))
    assert_rows(rows, db, f"""SELECT year, total, women, men, minors_in_care, minors_unaccompanied, note, source_id,
                                     {shares} FROM programme_victims WHERE year BETWEEN 2008 AND 2012 ORDER BY year""")
    assert meta["view"]["query"] == {"years": "2008-2012", "mode": "share"}
    assert meta["view"]["url"] == BASE + "Victims?years=2008-2012&mode=share"


def test_referrals_rate_of_one_year(built, db):
    rows, meta, *_ = unzip(figures.referrals_map("en", "light", 2012, 2012, "rate"))
    assert_rows(rows, db, """
        SELECT 2012 AS first, 2012 AS last, r.teryt, v.name_pl, v.name_en, r.referrals,
               CASE WHEN p.population IS NOT NULL THEN r.referrals END AS rate_referrals,
               p.population AS population_years, r.referrals * 1000000.0 / p.population AS per_million
        FROM programme_referrals r JOIN voivodeships v ON v.teryt = r.teryt
        LEFT JOIN population p ON p.teryt = r.teryt AND p.year = r.year
        WHERE r.year = 2012 ORDER BY r.teryt""")
    assert meta["view"]["query"] == {"year": "2012", "metric": "rate", "lang": "en"}
    assert {d["dataset"] for d in meta["datasets"]} == {"programme_referrals", "population"}


def test_emigration_map_of_a_year(built, db):
    rows, meta, *_ = unzip(figures.emigration_map("en", "light", 2019, classes=False))
    assert_rows(rows, db, """SELECT s.year, s.iso3, c.name_pl, c.name_en, c.in_europe, s.emigrants_thousands, s.source_id
                             FROM emigration_stock s JOIN countries c ON c.iso3 = s.iso3 WHERE s.year = 2019
                             ORDER BY s.iso3""")
    urls = dict(db.execute("SELECT source_id, url FROM sources").fetchall())
    assert meta["sources"] and all(s["url"] == urls[s["source_id"]] for s in meta["sources"])
    assert {s["source_id"] for s in meta["sources"]} >= {r["source_id"] for r in rows}


def test_national_victims_as_published(built, db):
    rows, meta, *_ = unzip(national.national_victims("en"))
    assert_rows(rows, db, """
        SELECT 'programme' AS indicator, year, total AS value, source_id, note, NULL AS also_in, NULL AS qualifier,
               NULL AS bound, CAST(total AS VARCHAR) AS value_as_published
        FROM programme_victims WHERE total IS NOT NULL
        UNION ALL
        SELECT n.indicator, n.year, n.value, n.source_id, n.note, n.also_in, n.qualifier, n.bound, n.value_as_published
        FROM national_indicators n JOIN indicators i ON i.indicator = n.indicator
        WHERE i.topic = 'victims' AND n.breakdown = 'total'""",
                key=lambda r: (r["indicator"], r["year"], r["source_id"], r["value_as_published"]))
    assert any(u.get("indicator") for u in meta["units"])  # each indicator's own unit


def test_profile_keeps_small_counts_as_published(built, db):
    rows, *_ = unzip(national.national_profile("en"))
    stored = {(r[0], str(r[1]), r[2], r[3]): r[4:] for r in db.execute(
        "SELECT indicator, year, breakdown, source_id, value_as_published, qualifier, bound FROM national_indicators")
        .fetchall()}
    assert [r for r in rows if not all(same(c, v) for c, v in zip(
        (r["value_as_published"], r["qualifier"], r["bound"]),
        stored[(r["indicator"], r["year"], r["breakdown"], r["source_id"])]))] == []
    assert "<5" in {r["value_as_published"] for r in rows}  # written as published, never a number


def test_slides_rate_map_over_every_year(built, db):
    rows, meta, *_ = unzip(figures.rate_map("en"))
    assert_rows(rows, db, """
        WITH span AS (SELECT min(year) AS a, max(year) AS b FROM programme_referrals)
        SELECT span.a AS first, span.b AS last, r.teryt, v.name_pl, v.name_en, sum(r.referrals) AS referrals,
               sum(r.referrals) FILTER (WHERE p.population IS NOT NULL) AS rate_referrals,
               sum(p.population) FILTER (WHERE r.referrals IS NOT NULL) AS population_years,
               1000000.0 * sum(r.referrals) FILTER (WHERE p.population IS NOT NULL)
                   / sum(p.population) FILTER (WHERE r.referrals IS NOT NULL) AS per_million
        FROM programme_referrals r JOIN voivodeships v ON v.teryt = r.teryt, span
        LEFT JOIN population p ON p.teryt = r.teryt AND p.year = r.year
        GROUP BY span.a, span.b, r.teryt, v.name_pl, v.name_en ORDER BY r.teryt""")
    rate = next(i for i, s in enumerate(slides.SLIDES, 1) if s.key == "rate")
    assert meta["view"]["url"] == f"{BASE}Slides?slide={rate}&lang=en"


def test_context_prevention(built, db):
    rows, *_ = unzip(figures.context_prevention("pl"), "pl")
    assert_rows(rows, db, "SELECT * FROM prevention_swietokrzyskie_2017", key=lambda r: r["key"])


@pytest.mark.parametrize("kind", sorted(views.KINDS))
def test_every_kind_has_its_zip(built, db, kind):
    k = views.KINDS[kind]
    fig = k.make("en", teryt="02") if kind == "referrals_series" else k.make("en")
    rows, meta, readme, names = unzip(fig)
    assert sorted(names) == sorted(["README.md", "metadata.json", meta["file"]])
    assert meta["rows"] == len(rows) > 0
    built_at, version = db.execute("SELECT built_at, etl_version FROM build_info").fetchone()
    assert meta["build"]["built_at"] == f"{built_at:%Y-%m-%dT%H:%M:%S}Z" and meta["build"]["etl_version"] == version
    assert meta["figure"]["title"] == fig.layout.meta["title"] and meta["view"]["url"].startswith(BASE)
    # both languages, each with the citation and the link
    assert "dane wykresu" in readme and "the data behind the chart" in readme
    assert readme.count(meta["citation"]) == 2 and meta["view"]["url"] in meta["citation"]
