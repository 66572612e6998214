"""Victims: Programme enrolments by year and group, counts or shares, with the published notes."""

from app import blocks as b
from app import charts, data, figures, live, tables
from app.i18n import N_, t

MODES = {"count": N_("mode_count"), "share": N_("mode_share")}  # option -> its label's key


def body(v: b.View) -> list:
    lang = v.lang
    first, last = v["years"]
    victims = data.victims()
    notes = data.annotations("programme_victims")
    return [
        b.Heading(t("victims_heading", lang)),
        b.Columns((3, 2), ((b.Control("years", t("years", lang), widget="slider"),),
                           (b.Control("mode", t("measure", lang), {m: t(k, lang) for m, k in MODES.items()}),))),
        b.Figure(figures.victims(lang, v.tpl, first, last, v["mode"])),
        *[b.Text(t("victims_note", lang, year=row.key, text=tables.escape(row.published), counted=row.counted,
                   why=tables.plain(getattr(row, f"explanation_{lang}"), "")))
          for row in notes[notes.key.astype(int).between(first, last)].itertuples()],
        b.Table(tables.markdown(charts.victims_table(victims[victims.year.between(first, last)], lang), lang)),
        b.Text(t("victims_caveat", lang), "caption"),
    ]


PAGE = b.Page("victims", "nav_victims", (b.years("years", lambda: [int(y) for y in data.victims().year]),
                                         b.choice("mode", list(MODES))), body)

if __name__ == "__main__":
    live.draw(PAGE)
