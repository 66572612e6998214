"""The data contract: every relation the ETL writes, declared once.

Each relation lists its columns in order with their DuckDB type, whether they may be NULL, their allowed
values (a list, a range, a pattern, or the values of another relation's column) and its key. Everything
else derives from this: the DuckDB DDL and the loader's typing (etl/build.py), the pandera checks run on
every build (etl/schema.py), and the relations the app offers for download (app/downloads.py).

This module is plain data on purpose: the app imports it on every page load, and pandera (about a second
to import) is only imported by the build. DESIGN.md section 2 names the contract's relations and columns;
those names and orders are stable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    # In an update file (python -m etl update, the long layout): the cell kind its text is read as (etl/table.py),
    # the header if it is not the column's name, and whether the file may leave the column out.
    update: str | None = None
    update_header: str | None = None
    update_optional: bool = False

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
    # Columns that are parts of another (`whole`): the groups a figure stacks, the checks that they add up to it.
    parts: tuple[str, ...] = ()
    whole: str | None = None
    update_order: tuple[str, ...] = ()  # the headers of an update file where their order is not the columns'

    def __post_init__(self):
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names) or not set(self.key) <= set(names):
            raise ValueError(f"relation {self.name!r}: duplicate columns or a key column that is not a column")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def update_layout(self, optional: bool = False) -> dict[str, str]:
        """The long layout an update file of this relation has: header -> cell kind (the required columns, or with
        optional=True the ones it may leave out), in column order."""
        layout = {c.update_header or c.name: c.update for c in self.columns
                  if c.update and c.update_optional == optional}
        return {h: layout[h] for h in self.update_order if h in layout} or layout if self.update_order else layout

    def update_columns(self) -> dict[str, str]:
        """header -> column, for every column an update file may give."""
        return {c.update_header or c.name: c.name for c in self.columns if c.update}

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


def updated(column: Column, kind: str, header: str | None = None, optional: bool = False) -> Column:
    """The column as an update file gives it: read as `kind` (etl/table.py), under `header` if not its own name."""
    return replace(column, update=kind, update_header=header, update_optional=optional)


def counts(*names: str) -> tuple[Column, ...]:
    """Published counts (NULL: not published) that update files give as counts."""
    return tuple(updated(count(n, True), "count") for n in names)


# In download order (the data page lists them so). A published figure may be NULL: no figure was published
# (DESIGN.md: drawn as "no data", never as 0); keys, names and labels may not.
RELATIONS: tuple[Relation, ...] = (
    Relation("programme_victims", (
        updated(year(), "year"), *counts("total", "women", "men", "minors_in_care", "minors_unaccompanied"),
        updated(text("note", nullable=True), "text_or_empty", optional=True), source_id()), key=("year",),
        parts=("women", "men", "minors_in_care", "minors_unaccompanied"), whole="total"),
    Relation("programme_referrals", (
        updated(year(), "year"), updated(teryt(), "voivodeship_or_teryt", header="voivodeship"), *counts("referrals"),
        updated(text("note", nullable=True), "text_or_empty", optional=True), source_id()),
        key=("year", "teryt")),
    Relation("voivodeships", (
        teryt(references=None), text("name_pl"), text("name_en"), text("postal", pattern=r"^[A-Z]{2}$")),
        key=("teryt",)),
    Relation("population", (
        updated(year(), "year"), updated(teryt(), "teryt"),
        updated(Column("population", "INTEGER", True, gt=0), "int"), source_id()), key=("year", "teryt")),
    Relation("emigration_stock", (
        updated(year(), "year"), updated(iso3(), "iso3"), updated(count("emigrants_thousands", True), "int"),
        updated(source_id(), "source_id")), key=("year", "iso3")),
    Relation("emigration_totals", (
        year(), text("scope", isin=EMIGRATION_SCOPES), count("emigrants_thousands", True), source_id()),
        key=("year", "scope")),
    Relation("countries", (
        iso3(references=None), text("name_pl"), text("name_en"), Column("in_europe", "BOOLEAN")), key=("iso3",)),
    # An update gives the world total of a year on a row of its own, iso3 WLD (etl.updates.WORLD).
    Relation("migrant_stock_born_in_poland", (
        updated(year(), "year"), updated(iso3(), "iso3_or_world"), updated(count("persons", True), "int"),
        source_id()), key=("year", "iso3")),
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
        updated(text("source_id", pattern=ID_PATTERN), "text"), updated(text("title"), "text"),
        updated(text("publisher"), "text"),
        updated(text("published", nullable=True, pattern=PARTIAL_DATE_PATTERN), "text_or_empty"),
        updated(text("url", nullable=True, pattern=URL_PATTERN), "text_or_empty"), updated(text("licence"), "text"),
        updated(text("caveats"), "text"), updated(text("figures"), "text")), key=("source_id",)),
    Relation("datasets", (
        text("dataset", pattern=ID_PATTERN), text("title"), text("title_en"), text("publisher"),
        text("publication", nullable=True), text("date"), text("url", nullable=True, pattern=URL_PATTERN),
        text("licence"), text("unit", nullable=True), text("citation_pl"), text("citation_en"),
        text("caveats", nullable=True),
        source_id(nullable=True), text("raw_file"), text("raw_sha256", pattern=SHA256_PATTERN),
        text("period_pl", nullable=True), text("period_en", nullable=True)), key=("dataset",)),
    # (the provenance of a dataset's sidecar and of an update: PROVENANCE below)
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
        updated(text("indicator", pattern=ID_PATTERN, references="indicators.indicator"), "text"),
        updated(year(), "year"), updated(text("breakdown", pattern=BREAKDOWN_PATTERN), "text"),
        updated(count("value", True), "count_or_bound"), updated(source_id(), "source_id"),
        updated(text("note", nullable=True), "text_or_empty"),
        updated(text("also_in", nullable=True, pattern=r"^[a-z0-9_]+( [a-z0-9_]+)*$"), "text_or_empty"),
        # a value published as a bound ('<5', '>1000'), from the `value` cell: NULL value, the qualifier, the bound
        text("qualifier", nullable=True, isin=QUALIFIERS), count("bound", True),
        text("value_as_published", pattern=r"^(\d[\d ]*|[<>]\s*\d[\d ]*)$")),
        key=("indicator", "year", "breakdown", "source_id"),
        update_order=("indicator", "year", "breakdown", "value", "source_id", "also_in", "note"),  # the file's own
        rules=(("a figure is a count (value) or a bound (qualifier and bound), never both or neither",
                "(value.notna() != bound.notna()) & (qualifier.notna() == bound.notna())"),)),
    # What each national indicator counts, its population, unit and topic (from the sidecar and updates);
    # same_as names the indicator of another source that reads as the same measure (disagreements are marked);
    # position is the order the curator listed them in (the sidecar, then each update), which tables follow.
    Relation("indicators", (
        updated(text("indicator", pattern=ID_PATTERN), "text"),
        *(updated(text(n), "text") for n in ("label_pl", "label_en", "counts_pl", "counts_en")),
        *(updated(text(n, nullable=True), "text_or_empty") for n in ("population_pl", "population_en")),
        updated(text("unit_pl"), "text"), updated(text("unit_en"), "text"),
        updated(text("topic", isin=TOPICS), "text"),
        updated(text("same_as", nullable=True, pattern=ID_PATTERN, references="indicators.indicator"), "text_or_empty",
                optional=True),
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
    # UNODC's GLOTIP data set as published, every country, the live release (etl/sources/unodc_glotip.py): one row per
    # row of the file (`row`, its sheet row: a release gives some cells twice, and both are kept). A value is a count or
    # '<5' kept as published (value NULL, qualifier '<', bound 5); category_iso3 maps a citizenship or country of
    # repatriation by unodc_glotip.countries.json (NULL: not a country, or not mapped: listed in data_quality).
    Relation("unodc_glotip", (
        text("iso3", nullable=True), text("indicator"), text("dimension"),
        text("category", nullable=True), text("category_iso3", nullable=True, pattern=ISO3_PATTERN), text("sex"),
        text("age"), year(), count("value", True),
        text("value_as_published", pattern=r"^(\d{1,3}(,\d{3})+|\d+|<\s*\d+)$"),
        text("qualifier", nullable=True, isin=("<",)), Column("release", "DATE"), count("bound", True),
        Column("row", "INTEGER", ge=1), text("country", True), text("region", True), text("subregion", True),
        text("unit"), text("source")), key=("row",),
        rules=(("a cell is a count (value) or a bound (qualifier and bound), never both or neither",
                "(value.notna() != bound.notna()) & (qualifier.notna() == bound.notna())"),)),
    # The World Bank population of every country and aggregate (SP.POP.TOTL), for rates per 100,000 inhabitants.
    Relation("world_population", (
        text("iso3", pattern=ISO3_PATTERN), Column("year", "INTEGER", range=(1900, YEARS[1])),
        Column("population", "BIGINT", gt=0), text("name")),
        key=("iso3", "year")),
    # Breaks, dropped years, revisions and definition changes of a dataset's series, from its sidecar.
    Relation("series_notes", (
        dataset(), text("kind", isin=SERIES_NOTE_KINDS), text("scope", nullable=True), year("first_year", True),
        year("last_year", True), text("label_pl"), text("label_en")), rows_required=False),
)

CONTRACT: dict[str, Relation] = {r.name: r for r in RELATIONS}

# The provenance an update is published with (`python -m etl update --meta`, the Update page's form), as the
# columns of `datasets` it becomes; the required ones first. A --meta file may say `published` for `date`.
PROVENANCE_REQUIRED = ("title", "publisher", "date", "licence")
PROVENANCE = (*PROVENANCE_REQUIRED, "title_en", "url", "caveats")

# The change log beside the database (`<db>.changes.csv`, etl/store.py): every publish, roll-back and its undo, one
# row per file. Not a relation of a build: a roll-back returns to an older build, which cannot record its own return.
CHANGE_ACTIONS = ("publish", "rollback", "restore", "abandon")  # abandon: a journal set aside (etl/recovery.py)
CHANGES = Relation("changes", (
    text("at", pattern=r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)"),  # ISO 8601, UTC offset
    text("action", isin=CHANGE_ACTIONS), text("publish_id"), text("dataset"), text("file"),
    text("sha256", nullable=True), text("rows_added", nullable=True), text("cells_changed", nullable=True),
    text("rows_removed", nullable=True),
    # who (etl/authors.py): the name, the e-mail and how the identity was known (the identity provider's issuer and
    # subject, the shared password's operator, a shell account), never typed in a field
    text("by", nullable=True), text("by_email", nullable=True), text("signed_in", nullable=True), text("build"),
    text("previous_build", nullable=True),
    text("release", nullable=True)),  # a whole file's release date (its title row), when a release is published
    rows_required=False)

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
