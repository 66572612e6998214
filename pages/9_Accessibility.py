"""Accessibility statement (deklaracja dostępności): its facts from the last recorded accessibility check and
legibility check (app/accessibility.json, app/legibility.json)."""

from app import accessibility, legibility, live, tables
from app import blocks as b
from app.i18n import t
from app.page import nav_label


def legibility_text(drawn: dict | None, lang: str) -> str:
    """What the last legibility check read and found (app/legibility.json), or that it never ran."""
    if not (drawn and "last" in drawn):
        return t("a11y_legibility_never", lang)
    facts = legibility.facts(drawn)
    now = t("a11y_legibility_open", lang, **facts) if facts["figures_open"] else t("a11y_legibility_clean", lang)
    return t("a11y_legibility", lang, **facts) + " " + now


def body(v: b.View) -> list:
    lang = v.lang
    record, contact = accessibility.last_check(), accessibility.contact()
    drawn = legibility.last_record()
    return [
        b.Heading(t("nav_a11y", lang)),
        b.Text(t("a11y_intro", lang, app=nav_label("app_title", lang))),
        b.Heading(t("a11y_status_heading", lang), 2), b.Text(t("a11y_status", lang)),
        b.Heading(t("a11y_not_heading", lang), 2), b.Text(t("a11y_not", lang)),
        b.Heading(t("a11y_check_heading", lang), 2),
        b.Text(t("a11y_check", lang, **accessibility.summary(record)) if record else t("a11y_never_checked", lang)),
        b.Text(legibility_text(drawn, lang)),
        b.Heading(t("a11y_contact_heading", lang), 2),
        b.Text(t("a11y_contact", lang, contact=tables.escape(contact) if contact else t("a11y_contact_unset", lang))),
    ]


PAGE = b.Page("accessibility", "nav_a11y", (), body)

if __name__ == "__main__":
    live.draw(PAGE)
