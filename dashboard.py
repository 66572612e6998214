"""Overview: today first (the latest year of each source: victims by who counts, Polish citizens detected abroad,
Poland among European countries), then the Programme's years as history (headline figures, a small trend and a small
map linking to their pages), caveats."""

from app import blocks as b
from app import data, figures, live
from app.figures import abroad, national
from app.i18n import fmt_int, fmt_pct, t, tn


def headline(lang: str) -> list:
    """The Programme's headline numbers, each with how it is counted."""
    h = data.headline()
    period = f"{h['first_year']}–{h['last_year']}"
    # a share of nothing is "no data", not a division by zero
    share = lambda k: fmt_pct(h[k] / h["total"] if h["total"] else None, lang)  # noqa: E731
    items = [b.Metric(t("enrolled", lang, first=h["first_year"], last=h["last_year"]), fmt_int(h["total"], lang))]
    items += [b.Metric(t(f"share_{k}", lang), share(k), tn("share_help", "total", lang, n=h[k], total=h["total"],
                                                          period=period)) for k in ("women", "men", "minors")]
    items += [
        b.Metric(t("peak_year", lang), str(h["peak_year"] or t("no_data", lang)), tn("peak_help", "n", lang, n=h["peak"])),
        b.Metric(t("voivodeships_referring", lang), f"{h['voivodeships_referring']} {t('of_n', lang, n=h['voivodeships'])}",
                 t("voivodeships_help", lang, period=period)),
        # the unit is in the label: "2,239 thousand" was cut
        b.Metric(t("emigration_latest", lang, year=h["emigration_year"] or "–"), fmt_int(h["emigration_thousands"], lang),
                 t("emigration_help", lang)),
        b.Metric(t("minors", lang), fmt_int(h["minors"], lang),
                 t("minors_help", lang, in_care=h["minors_in_care"], unaccompanied=h["minors_unaccompanied"]))]
    incomplete = [b.Text(t("headline_incomplete", lang, years=", ".join(map(str, h["missing_years"]))), "warning")] \
        if h["missing_years"] else []
    return [b.Metrics(tuple(items)), *incomplete]


def body(v: b.View) -> list:
    lang, tpl = v.lang, v.tpl
    info = data.build_info()
    last = data.programme_period()[1]
    first = data.programme_period()[0]
    # Today first: the latest published national counts, each with its year (other populations), then Polish
    # citizens detected abroad and Poland among European countries; three a row, not four: the labels say what is
    # counted and must not be cut.
    tiles = tuple(b.Metric(tile["label"], tile["value"], tile["help"]) for tile in national.latest_tiles(lang))
    beyond = tuple(b.Metric(tile["label"], tile["value"], tile["help"]) for tile in abroad.tiles(lang))
    return [
        b.Heading(t("app_title", lang)),
        b.Text(t("home_intro", lang)),
        b.Heading(t("today_heading", lang), 3),
        b.Text(t("latest_heading", lang, last=last, next=last + 1), "strong"),
        b.Metrics(tiles, per_row=3),
        b.Link("national_counts", t("more_since", lang, last=last, next=last + 1), ":material/timeline:"),
        b.Metrics(beyond, per_row=3),
        b.Text(abroad.caveat(lang), "caption"),
        b.Link("abroad", t("more_abroad", lang), ":material/public:"),
        # The Programme's years follow, as history.
        b.Heading(t("history_heading", lang, first=first, last=last), 3),
        *headline(lang),
        b.Columns((1, 1), ((b.Figure(figures.total_trend(lang, tpl)),
                            b.Link("victims", t("more_victims", lang), ":material/bar_chart:")),
                           (b.Figure(figures.overview_map(lang, tpl)),
                            b.Link("referrals", t("more_referrals", lang), ":material/map:")))),
        b.Text(t("caveats", lang), "caption"),
        *[b.Text(said, "caption") for said in figures.referral_mismatches(lang)],
        b.Text(t("data_as_of", lang, when=f"{info['built_at']:%Y-%m-%d %H:%M:%S} UTC", version=info["etl_version"]),
               "caption"),
    ]


PAGE = b.Page("overview", "app_title", (), body)

if __name__ == "__main__":
    live.draw(PAGE)
elif not __name__.startswith("declared_"):
    # `streamlit run dashboard.py` reads this file for an app to serve and imports it (a page run is "__main__"):
    # the dashboard itself, its HTML document in the reader's language from the first byte (app/document.py).
    import streamlit as st
    from starlette.middleware import Middleware

    from app.document import DocumentLanguage

    streamlit_app = st.App(__file__, middleware=[Middleware(DocumentLanguage)])
