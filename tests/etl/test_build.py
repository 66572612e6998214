"""The build as a whole: the data contract, build_info, versioned files and the atomic swap."""

from __future__ import annotations

import hashlib
import os
import re

import duckdb
import pytest

from app import builds, data
from etl.build import build, builds_dir, is_stale
from etl.sources import ALL
from tests.helpers import RAW, ROOT, SHARED, require_shared


def contract() -> dict[str, list[str]]:
    """The relations and columns of DESIGN.md's data contract table."""
    require_shared(SHARED / "DESIGN.md")
    text = (SHARED / "DESIGN.md").read_text(encoding="utf-8")
    section = text.split("### The data contract", 1)[1].split("More relations", 1)[0]
    out = {}
    for line in section.splitlines():
        m = re.match(r"\| `(\w+)` \| (.+) \|$", line)
        if m:
            # Drop the parenthesised examples, e.g. "(lowercase with diacritics, e.g. `łódzkie`)".
            out[m.group(1)] = re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", m.group(2)))
    return out


# Contract relations whose issue is still open: the test fails when one of them appears (drop it from
# here then) or when any other contract relation is missing.
PENDING: dict[str, str] = {}


def test_contract_relations_and_columns(db):
    wanted = contract()
    assert len(wanted) == 13
    tables = {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {r for r in wanted if r not in tables} == set(PENDING)
    for relation, columns in wanted.items():
        if relation in PENDING:
            continue
        have = [r[0] for r in db.execute(f'DESCRIBE "{relation}"').fetchall()]
        assert have[: len(columns)] == columns, relation
        assert db.execute(f'SELECT count(*) FROM "{relation}"').fetchone()[0] > 0, relation


def test_build_info_records_inputs(db):
    built_at, version, digest, code = db.execute("SELECT * FROM build_info").fetchone()
    assert re.fullmatch(r"[0-9a-f]{64}", code)
    files = [n for m in ALL for n in (m.RAW, m.RAW + ".meta.yml", *getattr(m, "ALSO", ()))]  # and a mapping file
    # and every update published into data/raw/updates (the file and its sidecar), listed here by the file system
    files += [f"updates/{p.name}" for side in (RAW / "updates").glob("*.meta.yml")
              for p in (side, side.with_name(side.name[:-len(".meta.yml")]))]
    # The digest as documented (one sha256 over sorted "file sha256" lines), computed here with hashlib alone.
    lines = sorted(f"{n} {hashlib.sha256((RAW / n).read_bytes()).hexdigest()}\n" for n in files)
    assert digest == hashlib.sha256("".join(lines).encode()).hexdigest()
    recorded = dict(db.execute("SELECT file, sha256 FROM build_inputs").fetchall())
    assert recorded["programme_victims.tsv"] == hashlib.sha256((RAW / "programme_victims.tsv").read_bytes()).hexdigest()


def test_every_source_id_is_listed(db):
    missing = db.execute("""
        SELECT source_id FROM (SELECT source_id FROM emigration_stock UNION SELECT source_id FROM
        emigration_totals UNION SELECT source_id FROM population UNION SELECT source_id FROM
        migrant_stock_born_in_poland UNION SELECT source_id FROM datasets WHERE source_id IS NOT NULL)
        EXCEPT SELECT source_id FROM sources""").fetchall()
    assert missing == []


@pytest.mark.slow
def test_rebuild_swaps_and_old_readers_keep_working(tmp_path, monkeypatch):
    pointer = tmp_path / "dashboard.duckdb"
    first = build(pointer)
    monkeypatch.setenv("DASHBOARD_DB", str(pointer))
    assert data.headline()["total"] == 241
    old = duckdb.connect(str(first.path), read_only=True)
    second = build(pointer)
    assert second.path != first.path and pointer.resolve() == second.path
    assert builds.build_path() == second.path
    assert str(data.build_info()["built_at"]) == str(
        duckdb.connect(str(second.path), read_only=True).execute("SELECT built_at FROM build_info").fetchone()[0])
    assert old.execute("SELECT sum(total) FROM programme_victims").fetchone() == (241,)
    old.close()
    for _ in range(3):
        build(pointer)
    kept = sorted(p.name for p in builds_dir(pointer).glob("*.duckdb"))
    assert len(kept) == 3 and pointer.resolve().name in kept
    assert not is_stale(pointer)
    os.remove(pointer)
    assert is_stale(pointer)


def test_require_shared_fails_in_ci_and_skips_elsewhere(monkeypatch, tmp_path):
    """The helper the tests against ../shared use: never a silent skip in CI."""
    import pytest

    def outcome(*paths) -> tuple[str, str]:
        try:
            require_shared(*paths)
        except pytest.fail.Exception as exc:
            return "fail", str(exc)
        except pytest.skip.Exception as exc:  # caught here, or this very test would end as a skip
            return "skip", str(exc)
        return "ok", ""

    missing, present = tmp_path / "not-there.json", tmp_path / "here.json"
    present.write_text("{}", encoding="utf-8")
    monkeypatch.setenv("CI", "true")
    kind, message = outcome(missing)
    assert kind == "fail" and "not-there.json" in message and "CI" in message
    assert outcome(present) == ("ok", "")
    for value in ("", "false", "0"):
        monkeypatch.setenv("CI", value)
        assert outcome(missing)[0] == "skip" and "not-there.json" in outcome(missing)[1]
    monkeypatch.delenv("CI")
    assert outcome(present, missing)[0] == "skip"
    assert outcome(present) == ("ok", "")


def test_require_export_browser_and_program_fail_in_ci_and_skip_elsewhere(monkeypatch, tmp_path):
    """The helpers of the tests that need kaleido's Chromium or a system program: never a silent skip in CI."""
    import pytest

    from tests.helpers import require_export_browser, require_program

    def outcome(check) -> str:
        try:
            check()
        except pytest.fail.Exception:
            return "fail"
        except pytest.skip.Exception:
            return "skip"
        return "ok"

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    no_program = lambda: require_program(None, "nginx", "sudo apt-get install nginx")  # noqa: E731
    monkeypatch.setenv("CI", "true")
    assert outcome(require_export_browser) == outcome(no_program) == "fail"
    monkeypatch.setenv("CI", "false")
    assert outcome(require_export_browser) == outcome(no_program) == "skip"
    monkeypatch.setenv("BROWSER_PATH", "/bin/sh")  # an executable file: found
    assert outcome(require_export_browser) == "ok"


def test_no_test_skips_but_through_the_helpers():
    """Every way a test can stop short goes through tests/helpers.py (`unavailable` and the require_ helpers, which
    fail in CI): no pytest.skip, skipif, skip mark or importorskip anywhere else in tests/."""
    import re

    pattern = re.compile(r"pytest\.skip\((?!.*\.Exception)|mark\.skip|skipif|importorskip")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in sorted((ROOT / "tests").rglob("*.py"))
             if p.name != "helpers.py" and p.name != "test_build.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []
