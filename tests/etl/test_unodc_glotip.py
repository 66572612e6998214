"""UNODC's GLOTIP file as published: the reader against openpyxl, the spellings file, contradictions flagged, a new
release through the update path (its revisions named), and hostile files refused with the database untouched."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from etl.__main__ import main
from etl.publish import read_ledger
from etl.sources import unodc_glotip
from tests.helpers import RAW, SHARED, built_copy, require_shared, snapshot

RELEASES = {"2023-05-30": SHARED / "data" / "unodc" / "data_glotip_2023-05-30.xlsx",
            "2025-04-14": SHARED / "data" / "unodc" / "data_glotip_2025-04-14.xlsx"}
LAYOUT = unodc_glotip.load_meta(RAW / unodc_glotip.RAW)

pytestmark = pytest.mark.slow  # see pytest.ini


@pytest.fixture(scope="module", params=sorted(RELEASES))
def both(request):
    """A release read twice: by the ETL's reader and independently, cell by cell with openpyxl (read-only; UNODC's
    sheet declares its size as A1:A1, so the dimensions are reset)."""
    path = RELEASES[request.param]
    require_shared(path)
    book = load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    cells = [(i, row) for i, row in enumerate(sheet.iter_rows(values_only=True), 1)]
    book.close()
    return request.param, cells, unodc_glotip.read_release(path, LAYOUT)


def test_the_reader_against_an_independent_read(both):
    release, cells, df = both
    date = cells[1][1][0]  # the second title row: dd/mm/yyyy
    assert "-".join(reversed(date.split("/"))) == release
    header = [c for c in cells[2][1] if c is not None]
    assert header[11] == "txtVALUE"
    data = [(i, r) for i, r in cells[3:] if any(c is not None for c in r)]
    assert len(df) == len(data) == {"2023-05-30": 46556, "2025-04-14": 58769}[release]
    value = [str(r[11]) for _, r in data]
    assert list(df.row) == [i for i, _ in data]
    assert list(df.value_as_published) == value
    assert list(df.year) == [int(r[9]) for _, r in data]
    small = sum(v == "<5" for v in value)
    assert small > 20000 and (df.value_as_published == "<5").sum() == small
    # "<5" is never a number: no value, the bound kept
    assert df[df.value_as_published == "<5"].value.isna().all() and (df[df.qualifier == "<"].bound == 5).all()
    assert df.value.notna().sum() == len(df) - small
    thousands = [v for v in value if "," in v]
    assert thousands and all(df.value[df.value_as_published == v].iloc[0] == int(v.replace(",", ""))
                             for v in thousands[:50])
    if release == "2025-04-14":
        poland = [r for _, r in data if r[0] == "POL" and r[4] == "Detected trafficking victims" and r[9] == 2022
                  and r[5:9] == ("Total", "Total", "Total", "Total")]
        assert [r[11] for r in poland] == ["277"]
        mine = df[(df.iso3 == "POL") & (df.year == 2022) & (df.indicator == "Detected trafficking victims")
                  & (df.dimension == "Total") & (df.sex == "Total") & (df.age == "Total")]
        assert list(mine.value) == [277]


def test_every_spelling_of_both_releases_is_in_the_mapping_file(both):
    _, cells, _ = both
    mapping = json.loads((RAW / unodc_glotip.ALSO[0]).read_text(encoding="utf-8"))
    known = set(mapping["countries"]) | set(mapping["nationals"]) | set(mapping["excluded"])
    spelt = {r[6] for _, r in cells[3:] if r[5] in LAYOUT["country_dimensions"] and r[6] is not None}
    assert spelt - known == set()
    assert {"Poland", "Poles", "Polish"} <= {k for k, v in mapping["countries"].items() if v == "POL"}
    assert (mapping["countries"]["Moldavian"], mapping["countries"]["Ukraineans"],
            mapping["countries"]["Filippino"]) == ("MDA", "UKR", "PHL")
    assert "Other Asia" in mapping["excluded"]


def test_the_relation_and_every_unmapped_spelling_named(db):
    assert db.execute("SELECT count(*), count(DISTINCT release) FROM unodc_glotip").fetchone() == (58769, 1)
    # every category of a country dimension is mapped, or a data_quality row names it
    unnamed = db.execute("""SELECT DISTINCT coalesce(category, '(none)') FROM unodc_glotip
                            WHERE dimension IN ('by citizenship', 'by country of repatriation')
                              AND category_iso3 IS NULL
                            EXCEPT SELECT key FROM data_quality WHERE check_name = 'unmapped_category'""").fetchall()
    assert unnamed == []
    assert db.execute("""SELECT count(*) FROM data_quality WHERE check_name = 'unmapped_category'
                         AND key = 'Other Asia' AND detail LIKE '%left out%'""").fetchone() == (1,)


def test_contradictions_stay_as_published_and_are_flagged(db):
    flagged = {k: d for k, d in db.execute("SELECT key, detail FROM data_quality").fetchall()}
    germany = flagged["DEU 2022 Detected trafficking victims"]  # the age set, the last of the checks on the key
    assert any("193 + 1,096" in d for k, d in db.execute(
        "SELECT key, detail FROM data_quality WHERE check_name = 'age_exceeds_total'").fetchall())
    assert "<5" in germany
    assert db.execute("""SELECT value, qualifier, bound FROM unodc_glotip WHERE iso3 = 'DEU' AND year = 2022
                         AND indicator = 'Detected trafficking victims' AND dimension = 'Total' AND sex = 'Total'
                         AND age = 'Total'""").fetchall() == [(None, "<", 5)]
    for year in (2017, 2018):
        assert db.execute("""SELECT severity FROM data_quality WHERE check_name = 'exploitation_exceeds_total'
                             AND key = ?""", (f"POL {year} Detected trafficking victims",)).fetchall() == [("warning",)]
    # Poland 2022 by sex: 19 + 12 of 277, a partial breakdown kept as published and said so
    sex = db.execute("""SELECT value_as_published FROM national_indicators WHERE indicator = 'unodc_detected_victims'
                        AND year = 2022 AND breakdown IN ('female', 'male') ORDER BY breakdown""").fetchall()
    assert sex == [("19",), ("12",)]
    assert db.execute("""SELECT count(*) FROM data_quality WHERE check_name = 'sex_sum'
                         AND detail LIKE 'unodc_detected_victims 2022%cover 31 of 277%'""").fetchone() == (1,)


# --- a new release through the update path ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    return built_copy(tmp_path_factory.mktemp("unodc"))


def update(copy, *args) -> int:
    raw, pointer = copy
    return main(["update", *map(str, args), "--db", str(pointer), "--raw", str(raw)])


def test_a_release_replaces_the_live_one_and_the_preview_names_its_revisions(copy, capsys):
    raw, pointer = copy
    require_shared(*RELEASES.values())
    before = snapshot(pointer)
    assert update(copy, "unodc_glotip", RELEASES["2023-05-30"], "--dry-run") == 0
    out = capsys.readouterr().out
    assert "unodc_glotip (release 2025-04-14 -> 2023-05-30)" in out
    assert "~ Poland, Detected trafficking victims, 2021: 447 -> 23" in out
    assert re.search(r"POL\s+Poland\s+Detected trafficking victims\s+Total\s+Total\s+Total\s+Total\s+2021\s+447\s+23",
                     out)  # the same as a table
    assert snapshot(pointer) == before
    assert update(copy, "unodc_glotip", RELEASES["2023-05-30"], "--by", "test") == 0
    con = duckdb.connect(str(pointer), read_only=True)
    assert con.execute("SELECT DISTINCT release::VARCHAR FROM unodc_glotip").fetchall() == [("2023-05-30",)]
    assert con.execute("SELECT count(*) FROM unodc_glotip").fetchone() == (46556,)
    assert con.execute("""SELECT value FROM national_indicators WHERE indicator = 'unodc_detected_victims'
                          AND year = 2021 AND breakdown = 'total'""").fetchall() == [(23,)]
    con.close()
    assert read_ledger(pointer).iloc[-1][["dataset", "release"]].tolist() == ["unodc_glotip", "2023-05-30"]
    capsys.readouterr()
    assert update(copy, "unodc_glotip", RELEASES["2025-04-14"], "--dry-run") == 0  # and back
    assert "~ Poland, Detected trafficking victims, 2021: 23 -> 447" in capsys.readouterr().out


def _rewritten(src: Path, dest: Path, part: str, old: str, new: str) -> Path:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == part:
                text = data.decode("utf-8")
                assert old in text, old
                data = text.replace(old, new, 1).encode("utf-8")
            out.writestr(info, data)
    return dest


def renamed_header(src, tmp):
    return _rewritten(src, tmp / "renamed.xlsx", "xl/sharedStrings.xml", ">txtVALUE<", ">Value<"), \
        ["renamed.xlsx", "row 3", "column 'L'", "'txtVALUE'", "'Value'"]


def not_a_count(src, tmp):
    cell = re.search(r'<c r="L5" t="s"><v>\d+</v></c>',
                     zipfile.ZipFile(src).read("xl/worksheets/sheet1.xml").decode()).group(0)
    return _rewritten(src, tmp / "abc.xlsx", "xl/worksheets/sheet1.xml", cell,
                      '<c r="L5" t="inlineStr"><is><t>abc</t></is></c>'), \
        ["abc.xlsx", "row 5", "column 'L (txtVALUE)'", "'<5'", "'abc'"]


def truncated(src, tmp):
    dest = tmp / "truncated.xlsx"
    dest.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    return dest, ["truncated.xlsx", "truncated or damaged"]


@pytest.mark.parametrize("hostile", [renamed_header, not_a_count, truncated])
def test_a_hostile_file_is_refused_with_its_cell_and_the_database_untouched(hostile, copy, tmp_path, capsys):
    raw, pointer = copy
    require_shared(RELEASES["2025-04-14"])
    path, expected = hostile(RELEASES["2025-04-14"], tmp_path)
    before = snapshot(pointer)
    for extra in (["--dry-run"], ["--by", "test"]):
        assert update(copy, "unodc_glotip", path, *extra) == 2
        err = capsys.readouterr().err
        for fragment in expected:
            assert fragment in err, (fragment, err)
        assert snapshot(pointer) == before


def test_the_regular_expression_and_the_xml_walk_read_the_same_cells():
    """etl/sheet.py reads a sheet's common cells by one regular expression and walks the XML with lxml where a cell
    is in another form (or to read only the title rows): both give the same text for every cell of the real file."""
    from etl import sheet

    path = RAW / unodc_glotip.RAW
    lines, cells = sheet.grid(path, formulas_before=2)
    with zipfile.ZipFile(path) as z:
        walked = list(sheet._streamed(path, z, sheet._sheet_part(path, z), sheet._shared_strings(z), 2))
    assert list(lines) == [n for n, _ in walked]
    assert all(list(cells[i][:len(row)]) == row and not any(cells[i][len(row):]) for i, (_, row) in enumerate(walked))
    assert sheet.first_rows(path, 3, formulas_before=2) == walked[:3]
