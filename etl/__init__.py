"""ETL: published tables in data/raw/ -> validated DuckDB file (see DESIGN.md, section 2)."""

ETL_VERSION = "1.1.0"  # bump when the relations written change, so `--if-stale` rebuilds
