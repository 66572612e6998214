"""`--if-stale` cannot lie: a change to the raw files, the sidecars or the ETL's own code makes a rebuild."""

from __future__ import annotations

import shutil

from etl.build import ETL_DIR, build, code_digest, is_stale
from tests.helpers import RAW


def test_stale_when_the_etl_code_changes(tmp_path):
    code = tmp_path / "etl"
    shutil.copytree(ETL_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    assert code_digest(code) == code_digest(ETL_DIR)
    pointer = tmp_path / "db" / "dashboard.duckdb"
    build(pointer)
    assert not is_stale(pointer, RAW, code)
    # A changed check with the same ETL_VERSION: the build no longer says what this code would write.
    module = code / "checks.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a changed check\n", encoding="utf-8")
    assert is_stale(pointer, RAW, code)


def test_stale_when_a_raw_file_or_sidecar_changes(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    pointer = tmp_path / "db" / "dashboard.duckdb"
    assert is_stale(pointer, raw)  # nothing built yet
    build(pointer, raw_dir=raw)
    assert not is_stale(pointer, raw)
    meta = raw / "population_voivodeship.csv.meta.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert is_stale(pointer, raw)
