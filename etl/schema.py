"""The relations the ETL writes: the data contract of DESIGN.md plus a few documented extras."""

# relation -> [(column, DuckDB type)], key columns first. The contract's names and columns are stable.
SCHEMA: dict[str, list[tuple[str, str]]] = {
    "voivodeships": [("teryt", "VARCHAR"), ("name_pl", "VARCHAR"), ("name_en", "VARCHAR"),
                     ("postal", "VARCHAR")],
    "programme_victims": [("year", "INTEGER"), ("total", "INTEGER"), ("women", "INTEGER"),
                          ("men", "INTEGER"), ("minors_in_care", "INTEGER"),
                          ("minors_unaccompanied", "INTEGER"), ("note", "VARCHAR")],
    "programme_referrals": [("year", "INTEGER"), ("teryt", "VARCHAR"), ("referrals", "INTEGER"),
                            ("note", "VARCHAR")],
    "emigration_stock": [("year", "INTEGER"), ("iso3", "VARCHAR"), ("emigrants_thousands", "INTEGER"),
                         ("source_id", "VARCHAR")],
    "emigration_totals": [("year", "INTEGER"), ("scope", "VARCHAR"), ("emigrants_thousands", "INTEGER"),
                          ("source_id", "VARCHAR")],
    "countries": [("iso3", "VARCHAR"), ("name_pl", "VARCHAR"), ("name_en", "VARCHAR"),
                  ("in_europe", "BOOLEAN")],
    "population": [("year", "INTEGER"), ("teryt", "VARCHAR"), ("population", "INTEGER"),
                   ("source_id", "VARCHAR")],
    "migrant_stock_born_in_poland": [("year", "INTEGER"), ("iso3", "VARCHAR"), ("persons", "INTEGER"),
                                     ("source_id", "VARCHAR")],
    "data_quality": [("dataset", "VARCHAR"), ("check_name", "VARCHAR"), ("severity", "VARCHAR"),
                     ("detail", "VARCHAR"), ("key", "VARCHAR"), ("expected", "VARCHAR"),
                     ("actual", "VARCHAR")],
    "sources": [("source_id", "VARCHAR"), ("title", "VARCHAR"), ("publisher", "VARCHAR"),
                ("published", "VARCHAR"), ("url", "VARCHAR"), ("licence", "VARCHAR"),
                ("caveats", "VARCHAR"), ("figures", "VARCHAR")],
    # built_at is UTC.
    "build_info": [("built_at", "TIMESTAMP"), ("etl_version", "VARCHAR"), ("inputs_sha256", "VARCHAR")],
    # Extras beyond the contract.
    "migrant_stock_born_in_poland_world": [("year", "INTEGER"), ("persons", "INTEGER"),
                                           ("source_id", "VARCHAR")],
    "published_totals": [("dataset", "VARCHAR"), ("key", "VARCHAR"), ("measure", "VARCHAR"),
                         ("value", "INTEGER"), ("note", "VARCHAR")],
    "datasets": [("dataset", "VARCHAR"), ("title", "VARCHAR"), ("title_en", "VARCHAR"),
                 ("publisher", "VARCHAR"), ("publication", "VARCHAR"), ("date", "VARCHAR"),
                 ("url", "VARCHAR"), ("licence", "VARCHAR"), ("unit", "VARCHAR"),
                 ("citation_pl", "VARCHAR"), ("citation_en", "VARCHAR"),
                 ("caveats", "VARCHAR"), ("source_id", "VARCHAR"), ("raw_file", "VARCHAR"),
                 ("raw_sha256", "VARCHAR")],
    "published_annotations": [("dataset", "VARCHAR"), ("key", "VARCHAR"), ("column", "VARCHAR"),
                              ("published", "VARCHAR"), ("counted", "INTEGER"),
                              ("explanation_pl", "VARCHAR"), ("explanation_en", "VARCHAR")],
    "build_inputs": [("file", "VARCHAR"), ("sha256", "VARCHAR"), ("bytes", "BIGINT")],
}

# Primary keys, checked after loading (a duplicate here is a bug, the parsers reject duplicates).
KEYS = {
    "voivodeships": ["teryt"], "programme_victims": ["year"], "programme_referrals": ["year", "teryt"],
    "emigration_stock": ["year", "iso3"], "emigration_totals": ["year", "scope"], "countries": ["iso3"],
    "population": ["year", "teryt"], "migrant_stock_born_in_poland": ["year", "iso3"],
    "sources": ["source_id"],
}
