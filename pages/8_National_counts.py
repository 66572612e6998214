"""After the Programme: every national count of victims side by side, each with whom it counts, never spliced."""

from app import blocks as b
from app import data, live, tables
from app.figures import assistance, national
from app.i18n import N_, t

# Each control's options and the keys of their labels.
TOPICS = {"justice": N_("since_topic_justice"), "profile": N_("since_topic_profile"),
          "assistance": N_("since_topic_assistance"), "exploitation": N_("since_topic_exploitation")}
MODES = {"count": N_("mode_count"), "share": N_("mode_share")}


def topic(v: b.View) -> list:
    """Below the first screen, one topic at a time (?topic=...): a page load draws two figures."""
    lang, tpl = v.lang, v.tpl
    if v["topic"] == "exploitation":
        out = [b.Control("mode", t("since_mode", lang), {k: t(m, lang) for k, m in MODES.items()}),
               b.Figure(assistance.national_exploitation(lang, tpl, v["mode"]))]
        if assistance.exploitation_years()[1]:  # years in finer categories of their own: a chart apart, never regrouped
            out.append(b.Figure(assistance.national_exploitation_apart(lang, tpl)))
        return out
    if v["topic"] == "profile":
        profile = national.national_profile(lang, tpl)
        return [b.Figure(profile)] if profile is not None else []
    if v["topic"] == "assistance":
        return [b.Figure(assistance.national_kcik(lang, tpl)), b.Figure(assistance.national_assistance(lang, tpl))]
    return [b.Figure(national.national_justice(lang, tpl)), b.Text(t("justice_rule", lang), "caption")]


def body(v: b.View) -> list:
    lang = v.lang
    first, last = data.programme_period()
    latest = national.latest_year()
    said, footnote, words = national.victims_range(lang), national.witness_footnote(lang), national.in_words(lang)
    facts = [b.Metric(f"{f['label']}, {f['year']}", f["value"], t("fact_help", lang, sources=f["sources"],
                                                                     note=f["note"])) for f in national.facts(lang)]
    return [
        b.Heading(t("since_heading", lang, last=last, next=last + 1, latest=latest)),
        b.Text(t("since_intro", lang, last=last, latest=latest)),
        b.Text(t("since_caveat", lang, first=first, last=last), "warning"),
        # The default view: every count of victims per year, side by side, and why they differ.
        b.Figure(national.national_victims(lang, v.tpl)),
        *([b.Text(tables.escape(said), "strong")] if said else []),
        b.Details(t("since_victims_table", lang), (b.Table(tables.markdown(
            national.victim_counts_table(lang), lang, plain=(t("year", lang),))),)),
        *([b.Text(tables.escape(footnote), "caption")] if footnote else []),
        *([b.Heading(t("since_facts", lang), 3), b.Metrics(tuple(facts), per_row=2)] if facts else []),
        *([b.Text(tables.escape(t("since_words", lang, year=words[0]["year"])), "strong")] if words else []),
        *[b.Text(tables.escape(t("words_quote", lang, publisher=w["publisher"], source=w["source_id"],
                                 words=w["words"])), "quote") for w in words],
        b.Control("topic", t("since_topic", lang), {k: t(m, lang) for k, m in TOPICS.items()}),
        *topic(v),
        b.Details(t("since_provenance", lang), (b.Table(tables.markdown(national.provenance(lang), lang,
                                                                       plain=(t("year", lang),))),)),
    ]


PAGE = b.Page("national_counts", "nav_since", (b.choice("topic", list(TOPICS)), b.choice("mode", list(MODES))), body)

if __name__ == "__main__":
    live.draw(PAGE)
