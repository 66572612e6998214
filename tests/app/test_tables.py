"""app.tables: the tables of the chart pages (Markdown, drawn as HTML) read back to exactly the data, and stay plain
text."""

import re

import pandas as pd

from app import markup, tables
from tests.helpers import html_table, markdown_table

HOSTILE = "a | b [link](http://example.invalid) <script>x</script> *em* $x^2$ :red[red] `code` \\ end"


def test_cells_are_plain_text_and_read_back_exactly():
    df = pd.DataFrame({"Kraj": [HOSTILE, "Niemcy"], "liczba": [1.0, 2.5]})
    text = tables.markdown(df, "pl")
    rows = markdown_table(text)
    assert rows[0]["Kraj"] == " ".join(HOSTILE.split()) and rows[1]["Kraj"] == "Niemcy"
    body = text.splitlines()[2]
    # Every Markdown, HTML, LaTeX or directive character is escaped: only the column bars are bare.
    assert re.findall(r"(?<!\\)[\[\]<>*`$|:]", body) == ["|", "|", "|"]


def test_as_html_every_cell_is_text_read_back_exactly():
    """The pages draw these tables as HTML (app/markup.py, through st.html): every cell is text, nothing in it an
    element or an attribute, and it reads back as the data; number columns keep their right alignment."""
    from lxml import html as lhtml

    df = pd.DataFrame({"Kraj": [HOSTILE, "Niemcy"], "liczba": [1.0, 2.5]})
    drawn = markup.md_table(tables.markdown(df, "pl"))
    tree = lhtml.fromstring(drawn)
    assert {el.tag for el in tree.iter()} == {"div", "table", "thead", "tbody", "tr", "th", "td"}
    assert [r["Kraj"] for r in html_table(drawn)] == [" ".join(HOSTILE.split()), "Niemcy"]
    assert [td.get("class") for td in tree.iter("td")] == [None, "num", None, "num"]


def test_numbers_in_the_language_format_and_missing_is_no_data():
    df = pd.DataFrame({"year": [2019, 2020], "thousands": [2141.722, None],
                       "persons": pd.array([1200, None], dtype="Int32")})
    pl, en = markdown_table(tables.markdown(df, "pl")), markdown_table(tables.markdown(df, "en"))
    assert pl[0] == {"year": "2019", "thousands": "2\u00a0141,7", "persons": "1\u00a0200"}
    assert pl[1] == {"year": "2020", "thousands": "brak danych", "persons": "brak danych"}
    assert en[0]["thousands"] == "2,141.7" and en[1]["persons"] == "no data"


def test_whole_numbers_have_no_decimals_and_number_columns_align_right():
    df = pd.DataFrame({"name": ["x", "y"], "share": ["64,0 %", "—"], "n": [3.0, 4.0]})
    text = tables.markdown(df, "pl")
    assert text.splitlines()[1] == "|---|---:|---:|"
    assert [r["n"] for r in markdown_table(text)] == ["3", "4"]


def test_dates_and_empty_frames():
    df = pd.DataFrame({"start": pd.to_datetime(["2023-04-03"]), "n": [1]})
    assert markdown_table(tables.markdown(df, "en")) == [{"start": "2023-04-03", "n": "1"}]
    assert markdown_table(tables.markdown(df.iloc[:0], "en")) == []


def test_sources_line_names_each_source_with_its_rows():
    df = pd.DataFrame({"label": ["Niemcy", "Austria", "Irlandia"], "source_id": ["b2021", "a[1]", "b2021"]})
    assert tables.sources_line(df, "pl") == "Źródła: a\\[1\\] (Austria); b2021 (Irlandia\\, Niemcy)"
    assert tables.sources_line(df.iloc[:1], "en") == "Source: b2021"


def test_records_quote_each_passage_and_name_every_field():
    df = pd.DataFrame({"key": ["a", "b"], "n": pd.array([5, None], dtype="Int32"), "passage": [HOSTILE, "ok"]})
    blocks = tables.records(df, "en", "passage").split("\n\n")
    assert blocks[0] == "**a** · n: 5" and blocks[2] == "**b** · n: no data" and blocks[3] == "> ok"
    assert re.sub(r"\\(.)", r"\1", blocks[1]) == "> " + " ".join(HOSTILE.split())
    assert not re.findall(r"(?<!\\)[\[\]<>*`$|:]", blocks[1][2:])  # only the quote marker is bare
