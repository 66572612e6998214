"""What the pages read: every query of the current build (cached per build), a cursor per query."""

from __future__ import annotations

import functools

import duckdb
import pandas as pd

from app.builds import DatabaseUnavailable, build_path, connection
from app.cache import per_build
from etl import store
from etl.build import db_pointer
from etl.contract import CONTRACT


@functools.lru_cache(maxsize=256)
def _query(path: str, sql: str, params: tuple) -> pd.DataFrame:
    cur = connection(path).cursor()  # a connection is not thread-safe; a cursor per query is
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run a parameterised read-only query against the current build (results cached per build)."""
    path = build_path()
    if path is None:
        raise DatabaseUnavailable(f"no database at {db_pointer()}")
    try:
        return _query(str(path), sql, tuple(params)).copy()
    except duckdb.Error as exc:
        raise DatabaseUnavailable(f"{path}: {exc}") from exc


def victims() -> pd.DataFrame:
    """Programme enrolments per year with the published notes."""
    return query("SELECT * FROM programme_victims ORDER BY year")


def referrals() -> pd.DataFrame:
    """Referrals per voivodeship and year, with the voivodeship names."""
    return query("""SELECT r.year, r.teryt, v.name_pl, v.name_en, r.referrals, r.note
                    FROM programme_referrals r JOIN voivodeships v USING (teryt)
                    ORDER BY r.year, r.teryt""")


def emigration_totals() -> pd.DataFrame:
    """GUS totals (all destinations, Europe, EU) per year."""
    return query("SELECT * FROM emigration_totals ORDER BY year, scope")


def build_info() -> dict:
    """When and from which inputs the current database was built."""
    return query("SELECT * FROM build_info").iloc[0].to_dict()


def build_stamp() -> dict:
    """The build as a manifest records it: when (UTC, ISO 8601), the ETL version and the inputs' checksum."""
    info = build_info()
    return {"built_at": f"{info['built_at']:%Y-%m-%dT%H:%M:%SZ}", "etl_version": info["etl_version"],
            "inputs_sha256": info["inputs_sha256"]}


def headline() -> dict:
    """The overview figures: enrolments by group, voivodeships referring, latest emigration total."""
    v = victims()
    r = query("""SELECT count(DISTINCT teryt) FILTER (WHERE referrals > 0) AS n, count(DISTINCT teryt) AS of
                 FROM programme_referrals""")
    e = query("""SELECT year, emigrants_thousands, source_id FROM emigration_totals
                 WHERE scope = ? ORDER BY year DESC LIMIT 1""", ("total",))
    first, last = int(v.year.min()), int(v.year.max())
    programme = CONTRACT["programme_victims"]
    complete = v.dropna(subset=[programme.whole, *programme.parts])
    return {
        "first_year": first, "last_year": last,
        # Sums skip missing values: say which years they leave out rather than shrink without a word.
        "missing_years": sorted(set(range(first, last + 1)) - set(int(y) for y in complete.year)),
        "total": int(v.total.sum()), "women": int(v.women.sum()), "men": int(v.men.sum()),
        "minors": int(v.minors_in_care.sum() + v.minors_unaccompanied.sum()),
        "minors_in_care": int(v.minors_in_care.sum()),
        "minors_unaccompanied": int(v.minors_unaccompanied.sum()),
        "peak_year": int(v.loc[v.total.idxmax(), "year"]) if v.total.notna().any() else None,
        "peak": int(v.total.max()) if v.total.notna().any() else None,
        "voivodeships_referring": int(r.n.iloc[0]), "voivodeships": int(r["of"].iloc[0]),
        # No published total is "no data" (None), as anywhere else: never a crash, never 0.
        "emigration_year": int(e.year.iloc[0]) if len(e) else None,
        "emigration_thousands": None if e.empty or pd.isna(e.emigrants_thousands.iloc[0])
        else int(e.emigrants_thousands.iloc[0]),
        "emigration_source": e.source_id.iloc[0] if len(e) else None,
    }


def changes() -> pd.DataFrame:
    """Every publish and roll-back of figures (`python -m etl update` / `rollback`), newest first.

    The change log lives beside the database pointer, not in a build: a roll-back points at an older build,
    which cannot hold the record of its own restoring.
    """
    return store.read_ledger(db_pointer()).iloc[::-1].reset_index(drop=True)


@per_build
def datasets_grouped() -> list[tuple[pd.Series, pd.DataFrame]]:
    """Each published dataset with the updates added to it since (`<dataset>_update_<n>`), in sequence order."""
    from etl.updates import LISTED_WITH

    df = query("SELECT * FROM datasets")
    base = df.dataset.str.replace(r"_update_\d+$", "", regex=True)
    updates = df[base != df.dataset].assign(base=base[base != df.dataset].replace(LISTED_WITH)).sort_values("dataset")
    return [(row, updates[updates.base == row.dataset]) for _, row in df[base == df.dataset].iterrows()]


# What names a source, as a citation gives it (the rest of `sources` is its caveats and the figures it holds).
SOURCE_FIELDS = [c for c in CONTRACT["sources"].column_names if c not in ("caveats", "figures")]
# The data-quality columns a reader is shown (the compared values are in the detail's words).
QUALITY_SHOWN = [c for c in CONTRACT["data_quality"].column_names if c not in ("expected", "actual")]


def data_quality(severity: str | None = None) -> pd.DataFrame:
    """The data-quality findings of the current build, optionally of one severity."""
    if severity is None:
        return query("SELECT * FROM data_quality")
    return query("SELECT * FROM data_quality WHERE severity = ?", (severity,))


def referral_gaps() -> pd.DataFrame:
    """Years whose referrals do not add up to the year's enrolments, as the build's checks found them
    (year, expected enrolments, actual referrals); known discrepancies are warnings."""
    return query("""SELECT CAST(key AS INTEGER) AS year, expected, actual FROM data_quality
                    WHERE check_name = 'referrals_year_vs_enrolments' AND severity = 'warning'
                    ORDER BY year""")


def referrals_by_year() -> pd.DataFrame:
    """Referrals per voivodeship and year with population and the rate per million inhabitants."""
    return query("""SELECT r.year, r.teryt AS id, v.name_pl, v.name_en, r.referrals, r.note, p.population,
                           r.referrals * 1e6 / p.population AS per_million
                    FROM programme_referrals r JOIN voivodeships v USING (teryt)
                    LEFT JOIN population p USING (year, teryt) ORDER BY r.year, r.teryt""")


def referrals_in_range(first: int, last: int) -> pd.DataFrame:
    """Referrals per voivodeship summed over [first, last]; the rate is per million per year.

    The rate divides by the summed population of the years (person-years), so a range gives the
    average yearly rate, comparable with a single year. It counts only the years that have both a
    referral count and a population (rate_years of years): a year without population must neither add
    its referrals nor drop its person-years, or the rate would be inflated.
    """
    return query("""SELECT r.teryt AS id, v.name_pl, v.name_en, sum(r.referrals)::INTEGER AS referrals,
                           (sum(r.referrals) FILTER (WHERE p.population IS NOT NULL))::INTEGER AS rate_referrals,
                           (sum(p.population) FILTER (WHERE r.referrals IS NOT NULL))::BIGINT AS population_years,
                           sum(r.referrals) FILTER (WHERE p.population IS NOT NULL) * 1e6
                             / sum(p.population) FILTER (WHERE r.referrals IS NOT NULL) AS per_million,
                           count(*) FILTER (WHERE p.population IS NOT NULL AND r.referrals IS NOT NULL) AS rate_years,
                           count(*) AS years
                    FROM programme_referrals r JOIN voivodeships v USING (teryt)
                    LEFT JOIN population p USING (year, teryt)
                    WHERE r.year BETWEEN ? AND ? GROUP BY ALL ORDER BY id""", (first, last))


def population_gaps(first: int, last: int) -> list[int]:
    """Years in [first, last] with referrals but no population for some voivodeship (no rate there)."""
    rows = query("""SELECT DISTINCT r.year FROM programme_referrals r LEFT JOIN population p USING (year, teryt)
                    WHERE r.year BETWEEN ? AND ? AND p.population IS NULL ORDER BY r.year""", (first, last))
    return [int(y) for y in rows.year]


# --- fact sheets (issue 15) ---
# Regional activity data: (dataset, context_table name, TERYT of the voivodeship it covers). Such a relation holds
# one voivodeship's report and has no teryt column of its own (its name and its source say which voivodeship).
REGIONAL_ACTIVITY = [("prevention_swietokrzyskie_2017", "prevention", "26")]


def national_referrals() -> pd.DataFrame:
    """Referrals of all voivodeships per year, and the national rate per million inhabitants (NULL for a year in
    which some voivodeship has no population figure: a rate over part of the country is not the national one)."""
    return query("""SELECT r.year, sum(r.referrals)::INTEGER AS referrals, sum(p.population)::BIGINT AS population,
                           CASE WHEN count(p.population) = count(*) AND count(r.referrals) = count(*)
                                THEN sum(r.referrals) * 1e6 / sum(p.population) END AS per_million
                    FROM programme_referrals r LEFT JOIN population p USING (year, teryt)
                    GROUP BY r.year ORDER BY r.year""")


def voivodeship_names() -> pd.DataFrame:
    """TERYT code and names of every voivodeship, in TERYT order."""
    return query("SELECT teryt, name_pl, name_en FROM voivodeships ORDER BY teryt")


def regional_team(teryt: str) -> dict | None:
    """What the source documents say about one voivodeship's team, with its source (None if they say nothing)."""
    rows = query("""SELECT t.*, s.title AS source_title, s.publisher AS source_publisher,
                           s.published AS source_published, s.url AS source_url, s.licence AS source_licence
                    FROM regional_teams t LEFT JOIN sources s USING (source_id) WHERE t.teryt = ?""", (teryt,))
    return rows.iloc[0].to_dict() if len(rows) else None


def regional_activity(teryt: str) -> list[tuple[str, pd.DataFrame]]:
    """(dataset, rows) of every regional activity relation that covers this voivodeship (see REGIONAL_ACTIVITY)."""
    return [(dataset, context_table(table)) for dataset, table, where in REGIONAL_ACTIVITY if where == teryt]


def emigration_stock() -> pd.DataFrame:
    """GUS figures per destination country and year, with the country names."""
    return query("""SELECT s.year, s.iso3, c.name_pl, c.name_en, c.in_europe, s.emigrants_thousands,
                           s.source_id
                    FROM emigration_stock s JOIN countries c USING (iso3) ORDER BY s.year, s.iso3""")


def dataset(name: str) -> dict:
    """The metadata of one dataset (title, citation, caveats, raw file)."""
    rows = query("SELECT * FROM datasets WHERE dataset = ?", (name,))
    return rows.iloc[0].to_dict() if len(rows) else {}


def citation(name: str, lang: str) -> str:
    """The short citation of a dataset for a figure's source line."""
    meta = dataset(name)
    return meta.get(f"citation_{lang}") or meta.get("citation_pl") or meta.get("title") or name


def updates_of(name: str) -> pd.DataFrame:
    """The updates published to a dataset since its first publication (their provenance rows of `datasets`)."""
    rows = query("SELECT * FROM datasets WHERE starts_with(dataset, ?) ORDER BY dataset", (f"{name}_update_",))
    return rows[rows.dataset.str.fullmatch(rf"{name}_update_\d+")]


def source_ids(relation: str, first: int | None = None, last: int | None = None) -> list[str]:
    """The sources of a relation's rows (of the years [first, last] if given): what a figure drawing them names."""
    queries = {  # the relations whose rows carry their source (fixed names)
        "programme_victims": "SELECT DISTINCT source_id FROM programme_victims "
                             "WHERE year BETWEEN coalesce(?, year) AND coalesce(?, year) ORDER BY 1",
        "programme_referrals": "SELECT DISTINCT source_id FROM programme_referrals "
                               "WHERE year BETWEEN coalesce(?, year) AND coalesce(?, year) ORDER BY 1",
        "population": "SELECT DISTINCT source_id FROM population "
                      "WHERE year BETWEEN coalesce(?, year) AND coalesce(?, year) ORDER BY 1",
        "emigration_stock": "SELECT DISTINCT source_id FROM emigration_stock "
                            "WHERE year BETWEEN coalesce(?, year) AND coalesce(?, year) ORDER BY 1",
        "migrant_stock_born_in_poland": "SELECT DISTINCT source_id FROM migrant_stock_born_in_poland "
                                        "WHERE year BETWEEN coalesce(?, year) AND coalesce(?, year) ORDER BY 1",
        "migrant_stock_born_in_poland_world": "SELECT DISTINCT source_id FROM migrant_stock_born_in_poland_world "
                                              "WHERE year BETWEEN coalesce(?, year) AND coalesce(?, year) ORDER BY 1",
    }
    return list(query(queries[relation], (first, last if last is not None else first)).source_id)


def cite(name: str, ids, lang: str) -> str:
    """The source line of rows of dataset `name` whose sources are `ids`: the dataset's own citation for the rows
    it published, then each update's ('MSW (2014); <title>, <publisher> (<date>)'), so a figure drawn after an
    update names the update's source too."""
    ups = updates_of(name)
    by_update = dict(zip(ups.source_id, ups[f"citation_{lang}"]))
    ids = set(ids)
    parts = [citation(name, lang)] if ids - set(by_update) or not ids else []
    return "; ".join(parts + [by_update[i] for i in sorted(ids & set(by_update))])


def update_sources(name: str, ids) -> list[dict]:
    """The provenance of the updates among `ids` (for full source lines, as on a fact sheet)."""
    ups = updates_of(name)
    return [r for r in ups.to_dict("records") if r["source_id"] in set(ids)]


def sources() -> pd.DataFrame:
    """Every source with URL, licence and caveats."""
    return query("SELECT * FROM sources ORDER BY source_id")


def series_notes(dataset: str, kind: str | None = None) -> pd.DataFrame:
    """A dataset's breaks, dropped years, revisions, definition changes and coverage, from its sidecar."""
    return query("""SELECT * FROM series_notes WHERE dataset = ? AND (kind = ? OR ? IS NULL)
                    ORDER BY first_year NULLS FIRST, kind""", (dataset, kind, kind))


def annotations(dataset: str) -> pd.DataFrame:
    """Annotated published cells of a dataset with their explanations."""
    return query("SELECT * FROM published_annotations WHERE dataset = ? ORDER BY key", (dataset,))


def context_table(name: str) -> pd.DataFrame:
    """One of the Context page's relations (fixed names)."""
    queries = {
        "survey": "SELECT * FROM survey_obop2010",
        "teams": """SELECT v.teryt AS id, v.name_pl, v.name_en, t.founded, t.founded_published, t.order_published,
                           t.members, t.activity, t.source_id, t.passage
                    FROM voivodeships v LEFT JOIN regional_teams t USING (teryt) ORDER BY v.teryt""",
        "prevention": "SELECT * FROM prevention_swietokrzyskie_2017",
        "iom": "SELECT * FROM iom_project ORDER BY start NULLS LAST, key",
    }
    return query(queries[name])


def programme_period() -> tuple[int, int]:
    """The first and last year of the Programme table (what the national counts must never continue)."""
    row = query("SELECT min(year) AS first, max(year) AS last FROM programme_victims").iloc[0]
    return int(row["first"]), int(row["last"])


def national(indicator: str) -> pd.DataFrame:
    """One national indicator (national_indicators): every published figure, breakdown and source, by year. A value
    published as a bound has a NULL `value` and its `qualifier` ('<', '>') and `bound`; `value_as_published` is the
    cell as published."""
    return query("""SELECT indicator, year, breakdown, value, qualifier, bound, value_as_published, source_id, also_in,
                           note FROM national_indicators WHERE indicator = ? ORDER BY year, breakdown, source_id""",
                 (indicator,))


def national_topic(topic: str, breakdown: str | None = "total") -> pd.DataFrame:
    """Every figure of the indicators of one topic (indicators.topic: victims, assistance, justice), with what each
    counts, in the indicators' order (indicators.position); one breakdown (default the totals) or all (None)."""
    return query("""SELECT n.indicator, n.year, n.breakdown, n.value, n.qualifier, n.bound, n.value_as_published,
                           n.source_id, n.also_in, n.note, i.label_pl, i.label_en, i.unit_pl, i.unit_en, i.same_as
                    FROM national_indicators n JOIN indicators i USING (indicator)
                    WHERE i.topic = ? AND (n.breakdown = ? OR ? IS NULL)
                    ORDER BY i.position, n.year, n.breakdown, n.source_id""", (topic, breakdown, breakdown))


def indicators() -> pd.DataFrame:
    """What each national indicator counts, its population, unit and topic, in Polish and English."""
    return query("SELECT * FROM indicators ORDER BY position")


def latest_national(indicator: str, breakdown: str = "total") -> dict | None:
    """An indicator's latest published figure: its year, the rows its sources give (value, qualifier, bound, as
    published) and the sources (None if it was never published)."""
    rows = query("""SELECT year, value, qualifier, bound, value_as_published, source_id FROM national_indicators
                    WHERE indicator = ? AND breakdown = ? AND year = (
                        SELECT max(year) FROM national_indicators WHERE indicator = ? AND breakdown = ?)
                    ORDER BY source_id""", (indicator, breakdown, indicator, breakdown))
    if rows.empty:
        return None
    return {"year": int(rows.year.iloc[0]), "rows": rows.drop_duplicates("value_as_published"),
            "sources": list(rows.source_id)}


def countries() -> pd.DataFrame:
    """ISO-3 code and names of every country the data name."""
    return query("SELECT iso3, name_pl, name_en FROM countries ORDER BY iso3")


def migrant_stock() -> pd.DataFrame:
    """UN DESA: people born in Poland per destination and year, with the country names."""
    return query("""SELECT m.year, m.iso3, c.name_pl, c.name_en, c.in_europe, m.persons, m.source_id
                    FROM migrant_stock_born_in_poland m JOIN countries c USING (iso3) ORDER BY m.year, m.iso3""")


def migrant_world() -> pd.DataFrame:
    """UN DESA world totals of people born in Poland living abroad."""
    return query("SELECT * FROM migrant_stock_born_in_poland_world ORDER BY year")


HOME = "POL"  # beyond Poland's borders (UNODC's whole file, World Bank population): the dashboard's country code
DETECTED, CONVICTED = "Detected trafficking victims", "Persons convicted"  # UNODC's indicators (the file's words)


def unodc_release() -> str | None:
    """The release date of the UNODC file the build holds (YYYY-MM-DD), None if it holds none."""
    return next(iter(query("SELECT strftime(max(release), '%Y-%m-%d') AS r FROM unodc_glotip").r.dropna()), None)


def citizens_abroad(indicator: str = DETECTED, iso3: str = HOME) -> pd.DataFrame:
    """Citizens of `iso3` counted by other countries, by country and year, as published ('<5' a bound); Europe first."""
    return query("""SELECT iso3, country, region, subregion, region = 'Europe' AS in_europe, year, value, qualifier,
                           bound, value_as_published, category AS published_as, release FROM unodc_glotip
                    WHERE indicator = ? AND dimension = 'by citizenship' AND category_iso3 = ? AND iso3 IS DISTINCT
                    FROM ? AND sex = 'Total' AND age = 'Total' ORDER BY region <> 'Europe', country, year""",
                 (indicator, iso3, iso3))


def citizenship_reported(indicator: str = DETECTED) -> pd.DataFrame:
    """The countries and years with any breakdown by citizenship (elsewhere citizens abroad are "no data")."""
    return query("""SELECT DISTINCT iso3, country, region, region = 'Europe' AS in_europe, year FROM unodc_glotip WHERE
                    indicator = ? AND dimension = 'by citizenship' AND iso3 IS NOT NULL ORDER BY 2, 5""", (indicator,))


def europe_rates(indicator: str, year: int) -> pd.DataFrame:
    """European countries in a year: total as published, population, rate per 100,000 ('<5': only rate_bound), rank
    with ties (1 = highest, of `ranked`); a country that did not report: a row without value ("no data")."""
    return query("""WITH europe AS (SELECT iso3, arg_max(country, year) AS country FROM unodc_glotip
                                    WHERE region = 'Europe' AND iso3 IS NOT NULL GROUP BY iso3),
                         total AS (SELECT iso3, value, qualifier, bound, value_as_published FROM unodc_glotip
                                   WHERE indicator = ? AND year = ? AND region = 'Europe' AND dimension = 'Total'
                                     AND sex = 'Total' AND age = 'Total')
                    SELECT e.iso3, e.country, ?::INTEGER AS year, t.value, t.qualifier, t.bound, t.value_as_published,
                           p.population, t.value * 1e5 / p.population AS per_100k, t.bound * 1e5 / p.population AS
                           rate_bound, CASE WHEN t.value * 1e5 / p.population IS NOT NULL THEN rank() OVER
                           (ORDER BY t.value * 1e5 / p.population DESC NULLS LAST) END AS rank,
                           count(t.value * 1e5 / p.population) OVER () AS ranked
                    FROM europe e LEFT JOIN total t USING (iso3) LEFT JOIN world_population p ON p.iso3 = e.iso3
                      AND p.year = ? ORDER BY per_100k DESC NULLS LAST, e.country""", (indicator, year, year, year))


def same_counts() -> pd.DataFrame:
    """Two series that are one count: a figure whose also_in names another indicator's source, same year, value."""
    return query("""SELECT a.indicator, b.indicator AS same_as, year, breakdown, value_as_published, a.source_id,
                    b.source_id AS other_source FROM national_indicators a JOIN national_indicators b USING (year,
                    breakdown, value_as_published) WHERE b.indicator <> a.indicator
                    AND list_contains(string_split(coalesce(a.also_in, ''), ' '), b.source_id) ORDER BY 1, 2, 3, 4""")
