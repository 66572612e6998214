"""The victims' profile (app/figures/national.py national_profile): a panel of a year with nothing published for its
group says "no data" instead of an empty axis, and every type of exploitation is named in Polish; the database is the
oracle."""

from __future__ import annotations

import pytest

from app.figures.indicators import breakdown_label
from app.figures.national import national_profile
from app.i18n import t

INDICATOR = "unodc_detected_victims"  # the count the profile draws (its figure's name says so; checked below)
# each row of panels and the breakdowns it draws, in SQL
GROUPS = {"citizenship": "breakdown = 'polish' OR breakdown LIKE 'citizenship=%'",
          "age": "breakdown IN ('minors', 'adults')",
          "exploitation": "breakdown LIKE 'exploitation=%'"}


def _axis(ref: str) -> int:
    """The number of an axis reference: 'x' -> 1, 'x17 domain' -> 17."""
    return int(ref.split()[0][1:] or 1)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_a_panel_with_nothing_published_says_no_data(db, lang):
    fig = national_profile(lang)
    assert INDICATOR in fig.layout.meta["name"]
    years = sorted({tr.meta["year"] for tr in fig.data})
    panel = {_axis(tr.xaxis): (tr.meta["group"], tr.meta["year"]) for tr in fig.data}
    rows = {(n - 1) // len(years): g for n, (g, _) in panel.items()}
    said = {(rows[(_axis(a.xref) - 1) // len(years)], years[(_axis(a.xref) - 1) % len(years)])
            for a in fig.layout.annotations if a.name == "no_data"}
    published = {(g, y) for g, where in GROUPS.items() for (y,) in db.execute(
        f"SELECT DISTINCT year FROM national_indicators WHERE indicator = ? AND ({where})", [INDICATOR]).fetchall()}
    empty = {(g, y) for g in rows.values() for y in years} - published
    assert empty  # UNODC's types of exploitation for some years exceed its total: not carried, so none to draw
    assert said == empty
    assert not empty & {(tr.meta['group'], tr.meta['year']) for tr in fig.data if len(tr.y)}  # nothing drawn there
    words = t("no_data", lang).split(" ", 1)
    assert {a.text for a in fig.layout.annotations if a.name == "no_data"} == {"<br>".join(words)}


def test_every_type_of_exploitation_is_named_in_polish(db):
    """A type the catalogues do not name stays in the source's English words in the Polish figure."""
    types = [b for (b,) in db.execute("SELECT DISTINCT breakdown FROM national_indicators "
                                      "WHERE breakdown LIKE 'exploitation=%' ORDER BY 1").fetchall()]
    assert types
    assert [b for b in types if breakdown_label(b, "pl") == breakdown_label(b, "en")] == []
    drawn = {y for tr in national_profile("pl").data if tr.meta["group"] == "exploitation" for y in tr.y}
    english = {b.split("=", 1)[1] for b in types}
    assert drawn and not drawn & english


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_note_says_why_a_group_is_left_out(db, lang):
    """The years whose types of exploitation the build left out (more by type than in all, data_quality) are named in
    the note with the group, so that "no data" is not read as "nothing published"."""
    keys = [k for (k,) in db.execute("SELECT key FROM data_quality WHERE check_name = 'national_left_out' "
                                     "AND key LIKE ? AND key LIKE '%exploitation_sum'", [f"{INDICATOR} %"]).fetchall()]
    years = sorted(int(k.split(" ")[1]) for k in keys)
    assert years
    note = national_profile(lang).layout.meta["note"]
    assert f"{t('profile_exploitation', lang)}, {', '.join(map(str, years))}:" in note
