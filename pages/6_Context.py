"""Context: the survey, regional teams, regional prevention, the IOM project (KCIK: the national counts page)."""

from app import blocks as b
from app import data, figures, live, tables
from app.i18n import N_, t
from app.page import nav_label

SECTIONS = {"survey": (figures.context_survey, N_("context_section_survey")),
            "teams": (figures.context_teams, N_("context_section_teams")),
            "prevention": (figures.context_prevention, N_("context_section_prevention")),
            "iom": (figures.context_timeline, N_("context_section_iom"))}  # section -> its figure, its label's key


def body(v: b.View) -> list:
    lang, name = v.lang, v["section"]
    return [
        b.Heading(t("context_heading", lang)),
        b.Text(t("context_intro", lang)),
        # KCIK assistance used to be a figure here; it is on the page of the national counts, with the other series.
        b.Link("national_counts", t("context_kcik_moved", lang, page=nav_label("nav_since", lang)),
               ":material/timeline:"),
        # One topic at a time (each a figure and its quotations): a page load draws one figure, not four.
        b.Control("section", t("context_section", lang), {k: t(key, lang) for k, (_f, key) in SECTIONS.items()}),
        b.Figure(SECTIONS[name][0](lang, v.tpl)),
        b.Details(t("provenance", lang), (b.Text(tables.records(data.context_table(name).dropna(subset=["passage"]),
                                                                lang, "passage")),)),
    ]


PAGE = b.Page("context", "nav_context", (b.choice("section", list(SECTIONS)),), body)

if __name__ == "__main__":
    live.draw(PAGE)
