"""The data contract: every relation the ETL writes, declared once.

Each relation lists its columns in order with their DuckDB type, whether they may be NULL, their allowed
values (a list, a range, a pattern, or the values of another relation's column) and its key. Everything
else derives from this: the DuckDB DDL and the loader's typing (etl/build.py), the pandera checks run on
every build (etl/schema.py), and the relations the app offers for download (app/data.py).

This module is plain data on purpose: the app imports it on every page load, and pandera (about a second
to import) is only imported by the build. DESIGN.md section 2 names the contract's relations and columns;
those names and orders are stable.
"""

from __future__ import annotations

from dataclasses import dataclass

# DuckDB types the contract uses. The pandas dtype each is loaded as is in etl/schema.py.
TYPES = ("VARCHAR", "INTEGER", "BIGINT", "BOOLEAN", "DATE", "TIMESTAMP")

SEVERITIES = ("error", "warning", "info")
EMIGRATION_SCOPES = ("total", "europe", "eu")
SERIES_NOTE_KINDS = ("break", "dropped", "underestimated", "definition", "coverage")
IOM_KINDS = ("event", "period", "target")  # the Context page draws exactly these
YEARS = (1990, 2100)

# TERYT voivodeship codes are the even numbers 02..32 (DESIGN.md: '02'..'32').
TERYT_PATTERN = r"^(0[2468]|[12][02468]|3[02])$"
ISO3_PATTERN = r"^[A-Z]{3}$"
ID_PATTERN = r"^[a-z0-9_]+$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # 2011, 2011-10 or 2011-10-10
URL_PATTERN = r"^https?://"
# national_indicators breakdowns: sex, nationality and age groups, and the sets of a category (types of
# exploitation, citizenships). female_adult / male_adult (UNODC: "Female/Male, 18 years or over") cover only part
# of a total and are not a sex split.
BREAKDOWN_PATTERN = (r"^(total|female|male|foreign|polish|minors|adults|female_adult|male_adult|"
                     r"exploitation=.+|citizenship=.+)$")
QUALIFIERS = ("<", ">")  # a value published as a bound: '<5' (a suppressed small count), '>1000' (more than)
# What a national indicator counts, as the pages group them: victims (one count of victims per year, each
# source counting its own population), assistance (care and protection given), justice (offences,
# proceedings, persons prosecuted and convicted).
TOPICS = ("victims", "assistance", "justice")


@dataclass(frozen=True)
class Column:
    """One column: its DuckDB type and what its values may be."""

    name: str
    type: str
    nullable: bool = False
    isin: tuple[str, ...] | None = None
    range: tuple[int, int] | None = None  # inclusive
    ge: int | None = None  # value >= ge
    gt: int | None = None  # value > gt
    pattern: str | None = None  # a regular expression the whole text must match (anchor it)
    references: str | None = None  # "relation.column": every value occurs there (checked in each build)

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column {self.name!r}: unknown DuckDB type {self.type!r}")


@dataclass(frozen=True)
class Relation:
    """One relation: columns in order, key, whether it must have rows and whether it is downloadable."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    rows_required: bool = True  # an empty relation fails the build
    download: bool = True  # offered on the data page
    # Rules across columns: (what it means, a pandas expression true on every valid row), checked each build.
    rules: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names) or not set(self.key) <= set(names):
            raise ValueError(f"relation {self.name!r}: duplicate columns or a key column that is not a column")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def ddl(self) -> str:
        """The CREATE TABLE statement: types, NOT NULL and the primary key (names come from this module)."""
        parts = [f'"{c.name}" {c.type}' + ("" if c.nullable else " NOT NULL") for c in self.columns]
        if self.key:
            parts.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in self.key) + ")")
        return f'CREATE TABLE "{self.name}" (' + ", ".join(parts) + ")"


# Column helpers for the kinds that recur.
def text(name: str, nullable: bool = False, **kw) -> Column:
    return Column(name, "VARCHAR", nullable, **kw)


def count(name: str, nullable: bool = False) -> Column:
    return Column(name, "INTEGER", nullable, ge=0)


def year(name: str = "year", nullable: bool = False) -> Column:
    return Column(name, "INTEGER", nullable, range=YEARS)


def teryt(references: str | None = "voivodeships.teryt") -> Column:
    return text("teryt", pattern=TERYT_PATTERN, references=references)


def iso3(references: str | None = "countries.iso3") -> Column:
    return text("iso3", pattern=ISO3_PATTERN, references=references)


def source_id(nullable: bool = False) -> Column:
    return text("source_id", nullable, pattern=ID_PATTERN, references="sources.source_id")


def dataset() -> Column:
    return text("dataset", pattern=ID_PATTERN, references="datasets.dataset")


# In download order (the data page lists them so). A published figure may be NULL: no figure was published
# (DESIGN.md: drawn as "no data", never as 0); keys, names and labels may not.
RELATIONS: tuple[Relation, ...] = (
    Relation("programme_victims", (
        year(), count("total", True), count("women", True), count("men", True), count("minors_in_care", True),
        count("minors_unaccompanied", True), text("note", nullable=True), source_id()), key=("year",)),
    Relation("programme_referrals", (
        year(), teryt(), count("referrals", True), text("note", nullable=True), source_id()),
        key=("year", "teryt")),
    Relation("voivodeships", (
        teryt(references=None), text("name_pl"), text("name_en"), text("postal", pattern=r"^[A-Z]{2}$")),
        key=("teryt",)),
    Relation("population", (
        year(), teryt(), Column("population", "INTEGER", True, gt=0), source_id()), key=("year", "teryt")),
    Relation("emigration_stock", (
        year(), iso3(), count("emigrants_thousands", True), source_id()), key=("year", "iso3")),
    Relation("emigration_totals", (
        year(), text("scope", isin=EMIGRATION_SCOPES), count("emigrants_thousands", True), source_id()),
        key=("year", "scope")),
    Relation("countries", (
        iso3(references=None), text("name_pl"), text("name_en"), Column("in_europe", "BOOLEAN")), key=("iso3",)),
    Relation("migrant_stock_born_in_poland", (
        year(), iso3(), count("persons", True), source_id()), key=("year", "iso3")),
    Relation("migrant_stock_born_in_poland_world", (
        year(), count("persons", True), source_id()), key=("year",)),
    # The totals printed in the programme tables, checked against the sums (data_quality).
    Relation("published_totals", (
        dataset(), text("key"), text("measure"), count("value"), text("note", nullable=True)),
        key=("dataset", "key", "measure")),
    # Annotated published cells ('20 (18 + 2)') with what was counted and why.
    Relation("published_annotations", (
        dataset(), text("key"), text("column"), text("published"), count("counted"),
        text("explanation_pl", nullable=True), text("explanation_en", nullable=True)),
        key=("dataset", "key", "column"), rows_required=False),
    Relation("data_quality", (
        dataset(), text("check_name"), text("severity", isin=SEVERITIES), text("detail"),
        text("key", nullable=True), text("expected", nullable=True), text("actual", nullable=True)),
        rows_required=False),
    Relation("sources", (
        text("source_id", pattern=ID_PATTERN), text("title"), text("publisher"),
        text("published", nullable=True, pattern=PARTIAL_DATE_PATTERN), text("url", nullable=True, pattern=URL_PATTERN),
        text("licence"), text("caveats"), text("figures")), key=("source_id",)),
    Relation("datasets", (
        text("dataset", pattern=ID_PATTERN), text("title"), text("title_en"), text("publisher"),
        text("publication", nullable=True), text("date"), text("url", nullable=True, pattern=URL_PATTERN),
        text("licence"), text("unit", nullable=True), text("citation_pl"), text("citation_en"),
        text("caveats", nullable=True),
        source_id(nullable=True), text("raw_file"), text("raw_sha256", pattern=SHA256_PATTERN),
        text("period_pl", nullable=True), text("period_en", nullable=True)), key=("dataset",)),
    # One row; built_at is UTC.
    Relation("build_info", (
        Column("built_at", "TIMESTAMP"), text("etl_version", pattern=r"^\d+\.\d+\.\d+$"),
        text("inputs_sha256", pattern=SHA256_PATTERN), text("etl_code_sha256", pattern=SHA256_PATTERN))),
    Relation("build_inputs", (
        text("file"), text("sha256", pattern=SHA256_PATTERN), Column("bytes", "BIGINT", ge=0)), key=("file",)),
    # The Context page.
    Relation("survey_obop2010", (
        text("key"), Column("share_pct", "INTEGER", range=(0, 100)), text("published"), text("statement_pl"),
        text("statement_en"), text("passage")), key=("key",)),
    # National counts after 2013, long format (DESIGN.md: indicator, year, breakdown, value, source_id, note);
    # one figure may have several rows when sources conflict (key includes source_id). It replaced kcik_assisted
    # (KCIK 2014-2021, the same values: one source of truth).
    Relation("national_indicators", (
        text("indicator", pattern=ID_PATTERN, references="indicators.indicator"), year(),
        text("breakdown", pattern=BREAKDOWN_PATTERN), count("value", True), source_id(), text("note", nullable=True),
        text("also_in", nullable=True, pattern=r"^[a-z0-9_]+( [a-z0-9_]+)*$"),
        text("qualifier", nullable=True, isin=QUALIFIERS), count("bound", True),
        text("value_as_published", pattern=r"^(\d[\d ]*|[<>]\s*\d[\d ]*)$")),
        key=("indicator", "year", "breakdown", "source_id"),
        rules=(("a figure is a count (value) or a bound (qualifier and bound), never both or neither",
                "(value.notna() != bound.notna()) & (qualifier.notna() == bound.notna())"),)),
    # What each national indicator counts, its population, unit and topic (from the sidecar and updates);
    # same_as names the indicator of another source that reads as the same measure (disagreements are marked);
# position is the order the curator listed them in (the sidecar, then each update), which tables follow.
    Relation("indicators", (
        text("indicator", pattern=ID_PATTERN), text("label_pl"), text("label_en"), text("counts_pl"),
        text("counts_en"), text("population_pl", nullable=True), text("population_en", nullable=True),
        text("unit_pl"), text("unit_en"), text("topic", isin=TOPICS),
        text("same_as", nullable=True, pattern=ID_PATTERN, references="indicators.indicator"),
        Column("position", "INTEGER", ge=1)),
        key=("indicator",)),
    Relation("regional_teams", (
        teryt(), text("founded", nullable=True, pattern=PARTIAL_DATE_PATTERN), text("founded_published", nullable=True),
        text("order_published", nullable=True), count("members", True), text("activity", nullable=True), source_id(),
        text("passage")), key=("teryt",)),
    Relation("prevention_swietokrzyskie_2017", (
        text("key"), text("kind"), count("events", True), text("events_published", nullable=True),
        count("reach", True), text("reach_published", nullable=True), text("reach_unit"), Column("approx", "BOOLEAN"),
        text("passage"), text("label_pl"), text("label_en")), key=("key",)),
    Relation("iom_project", (
        text("key"), text("kind", isin=IOM_KINDS), Column("start", "DATE", True), Column("end", "DATE", True),
        count("value", True), text("published", nullable=True), text("label_pl"), text("label_en"), text("passage")),
        key=("key",)),
    # Breaks, dropped years, revisions and definition changes of a dataset's series, from its sidecar.
    Relation("series_notes", (
        dataset(), text("kind", isin=SERIES_NOTE_KINDS), text("scope", nullable=True), year("first_year", True),
        year("last_year", True), text("label_pl"), text("label_en")), rows_required=False),
)

CONTRACT: dict[str, Relation] = {r.name: r for r in RELATIONS}

# The relations offered for download, in the order the data page lists them.
DOWNLOADS: list[str] = [r.name for r in RELATIONS if r.download]


def _check_references() -> None:
    for r in RELATIONS:
        for c in r.columns:
            if c.references:
                target, column = c.references.split(".")
                if target not in CONTRACT or column not in CONTRACT[target].column_names:
                    raise ValueError(f"{r.name}.{c.name} references {c.references}, which is not in the contract")


_check_references()
