"""What each page of the static edition shows in a view, in page order: its figures (the live pages' figure functions
with the same arguments) and its texts, caveats and tables, as HTML blocks around them."""

from __future__ import annotations

import functools

import plotly.graph_objects as go

from app import charts, data, figures, slides, tables
from app.figures import assistance, national
from app.bake.markup import blocks, esc, frame_table, inline, md_table, table
from app.bake.views import View
from app.i18n import fmt_int, fmt_pct, t, tn

Block = str | go.Figure  # HTML, or a figure drawn with its description, table and "cite · data · embed"


def _p(md: str, cls: str = "") -> str:
    return f'<p{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{inline(md)}</p>'


def _h(level: int, text: str) -> str:
    return f"<h{level}>{esc(text)}</h{level}>"


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{esc(summary)}</summary>{body}</details>"


def _gaps(lang: str) -> list[str]:
    return [_p(tn("referrals_mismatch", "expected", lang, year=m.year, expected=m.expected, actual=m.actual), "caption")
            for m in data.referral_gaps().itertuples()]


def _metrics(items: list[tuple[str, str]]) -> str:
    return "<dl class=\"metrics\">" + "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items) \
        + "</dl>"


def overview(v: View, lang: str) -> list[Block]:
    h = data.headline()
    info = data.build_info()
    share = lambda k: fmt_pct(h[k] / h["total"] if h["total"] else None, lang)  # noqa: E731
    out: list[Block] = [_h(1, t("app_title", lang)), _p(t("home_intro", lang)), _metrics([
        (t("enrolled", lang, first=h["first_year"], last=h["last_year"]), fmt_int(h["total"], lang)),
        (t("share_women", lang), share("women")), (t("share_men", lang), share("men")),
        (t("share_minors", lang), share("minors")),
        (t("peak_year", lang), str(h["peak_year"] or t("no_data", lang))),
        (t("voivodeships_referring", lang), f"{h['voivodeships_referring']} {t('of_n', lang, n=h['voivodeships'])}"),
        (t("emigration_latest", lang, year=h["emigration_year"] or "–"), fmt_int(h["emigration_thousands"], lang)),
        (t("minors", lang), fmt_int(h["minors"], lang))])]
    if h["missing_years"]:
        out.append(_p(t("headline_incomplete", lang, years=", ".join(map(str, h["missing_years"])))))
    out += [figures.total_trend(lang), figures.overview_map(lang),
            _h(2, t("latest_heading", lang, last=h["last_year"], next=h["last_year"] + 1)),
            _metrics([(tile["label"], tile["value"]) for tile in national.latest_tiles(lang)]),
            _p(t("caveats", lang), "caption"), *_gaps(lang),
            _p(t("data_as_of", lang, when=f"{info['built_at']:%Y-%m-%d %H:%M:%S} UTC", version=info["etl_version"]),
               "caption")]
    return out


def victims(v: View, lang: str) -> list[Block]:
    rows = data.victims()
    first, last = int(rows.year.min()), int(rows.year.max())
    notes = data.annotations("programme_victims")
    out: list[Block] = [_h(1, t("victims_heading", lang)), figures.victims(lang, "light", first, last,
                                                                           v.get("mode", "count"))]
    out += [_p(t("victims_note", lang, year=r.key, text=tables.escape(r.published), counted=r.counted,
                 why=tables.plain(getattr(r, f"explanation_{lang}"), ""))) for r in notes.itertuples()]
    return out + [md_table(tables.markdown(charts.victims_table(rows, lang), lang)), _p(t("victims_caveat", lang),
                                                                                        "caption")]


def referrals(v: View, lang: str) -> list[Block]:
    years = figures.referral_years()
    metric = v.get("metric", "count")
    first, last = (years[0], years[-1]) if v.get("period") == "range" else (int(v.get("year", years[-1])),) * 2
    out: list[Block] = [_h(1, t("referrals_heading", lang)), figures.referrals_map(lang, "light", first, last, metric),
                        _p(t("map_legend_note", lang), "caption"),
                        figures.referrals_ranking(lang, "light", first, last, metric)]
    if v.get("v"):
        out.append(figures.referrals_series(lang, v.get("v"), "light", metric))
    out.append(_h(2, t("small_multiples_heading", lang, first=years[0], last=years[-1])))
    if v.get("below") == "maps":
        capped = len(years) > figures.MULTIPLES_AT_FIRST
        out.append(figures.referrals_by_year(lang, "light", metric, latest=figures.MULTIPLES_AT_FIRST if capped else None))
    elif v.get("below") == "grid":
        out.append(figures.referrals_heatmap(lang))
    else:
        out.append(_p(t("years_view_pick", lang), "caption"))
    return out + [_p(t("referrals_caveat", lang, coverage=figures.series_caveat("programme_referrals", lang)), "caption"),
                  *_gaps(lang)]


def emigration(v: View, lang: str) -> list[Block]:
    gus = v.get("measure", "gus") == "gus"
    classes = v.get("scale", "classes") == "classes"
    out: list[Block] = [_h(1, t("emigration_heading", lang)), _p(t("measure_help", lang), "caption")]
    if gus:
        year = int(v.get("year", figures.emigration_years()[-1]))
        out += [figures.emigration_map(lang, "light", year, classes=classes),
                _p(t("emigration_coverage_note", lang), "caption"),
                figures.emigration_top(lang) if v.get("below") == "top" else figures.emigration_totals(lang),
                _p(t("emigration_caveat", lang, notes=figures.series_caveat("emigration_gus", lang)), "caption")]
    else:
        year = int(v.get("un_year", figures.undesa_years()[-1]))
        out += [figures.undesa_map(lang, "light", year, view=v.get("view", "europe"), classes=classes),
                figures.undesa_top(lang)]
    return out + [_h(2, t("comparison_heading", lang)), _p(t("comparison_intro", lang)), _comparison(lang)]


@functools.lru_cache(maxsize=4)
def _comparison(lang: str) -> str:
    """The two measures side by side at the latest year both cover (the same in every view of the page)."""
    return md_table(tables.markdown(figures.measure_comparison(lang, figures.comparison_years()[-1]), lang))


def national_counts(v: View, lang: str) -> list[Block]:
    first, last = data.programme_period()
    latest = national.latest_year()
    out: list[Block] = [_h(1, t("since_heading", lang, last=last, next=last + 1, latest=latest)),
                        _p(t("since_intro", lang, last=last, latest=latest)),
                        f'<p class="warning">{inline(t("since_caveat", lang, first=first, last=last))}</p>',
                        national.national_victims(lang)]
    if said := national.victims_range(lang):
        out.append(_p(f"**{tables.escape(said)}**"))
    out.append(_details(t("since_victims_table", lang), md_table(tables.markdown(
        national.victim_counts_table(lang), lang, plain=(t("year", lang),)))))
    if footnote := national.witness_footnote(lang):
        out.append(_p(tables.escape(footnote), "caption"))
    if facts := national.facts(lang):
        out += [_h(2, t("since_facts", lang)), _metrics([(f"{f['label']}, {f['year']}", f["value"]) for f in facts])]
    if words := national.in_words(lang):
        out.append(_p(f"**{tables.escape(t('since_words', lang, year=words[0]['year']))}**"))
        out += [f"<blockquote>{inline(tables.escape(t('words_quote', lang, publisher=w['publisher'], source=w['source_id'], words=w['words'])))}</blockquote>"
                for w in words]
    topic = v.get("topic", "justice")
    if topic == "exploitation":
        out.append(assistance.national_exploitation(lang, "light", v.get("mode", "count")))
        if assistance.exploitation_years()[1]:
            out.append(assistance.national_exploitation_apart(lang))
    elif topic == "profile":
        if (profile := national.national_profile(lang)) is not None:
            out.append(profile)
    elif topic == "assistance":
        out += [assistance.national_kcik(lang), assistance.national_assistance(lang)]
    else:
        out += [national.national_justice(lang), _p(t("justice_rule", lang), "caption")]
    return out + [_details(t("since_provenance", lang), md_table(tables.markdown(national.provenance(lang), lang,
                                                                                 plain=(t("year", lang),))))]


def _source_cell(column: str, value) -> str:
    """A cell of the sources table: a web address as a link, no value as an empty cell."""
    text = value if isinstance(value, str) else ""
    return f'<a href="{esc(text)}">{esc(text)}</a>' if column == "url" and text.startswith("http") else esc(text)


def data_page(v: View, lang: str, downloads: dict[str, tuple[str, str, int]]) -> list[Block]:
    info = data.build_info()
    quality = data.data_quality()
    counts = quality.severity.value_counts()
    sources = data.sources()
    links = [[_source_cell(c, r[c]) for c in data.SOURCE_FIELDS] for r in sources.to_dict("records")]
    out: list[Block] = [_h(1, t("data_heading", lang)),
                        _p(t("build_line", lang, when=f"{info['built_at']:%Y-%m-%d %H:%M:%S} UTC",
                             version=info["etl_version"], sha=info["inputs_sha256"][:12])),
                        _h(2, t("tables_heading", lang))]
    rows = [[esc(name), esc(tn("rows", "n", lang, n=n)), f'<a href="{esc(csv)}" download>CSV</a>',
             f'<a href="{esc(xlsx)}" download>XLSX</a>'] for name, (csv, xlsx, n) in downloads.items()]
    out.append(table([t("table", lang), t("col_rows", lang), "CSV", "XLSX"], rows, cell=lambda x: x))
    out += [_h(2, t("sources_heading", lang)),
            table(data.SOURCE_FIELDS, links, cell=lambda x: x)]
    for row, added in data.datasets_grouped():
        title = row.title_en if lang == "en" and not tables.missing(row.title_en) else row.title
        body = _p(f"**{t('publisher', lang)}:** {tables.plain(row.publisher)} · **{t('unit', lang)}:** "
                  f"{tables.plain(row.unit)} · **{t('licence', lang)}:** {tables.plain(row.licence)}")
        caveats = "" if tables.missing(row.caveats) else row.caveats
        body += blocks("\n".join(f"- {tables.plain(line)}" for line in caveats.splitlines() if line.strip()))
        out.append(_details(f"{row.dataset}: {title}", body))
    out += [_h(2, t("quality_heading", lang)),
            _p(t("quality_counts", lang, errors=int(counts.get("error", 0)), warnings=int(counts.get("warning", 0)),
                 infos=int(counts.get("info", 0)))),
            frame_table(quality[data.QUALITY_SHOWN])]
    return out


def slides_page(v: View, lang: str) -> list[Block]:
    i = int(v.get("slide", "1"))
    slide = slides.SLIDES[i - 1]
    return [_h(1, t("slide_of", lang, i=i, n=len(slides.SLIDES))), slide.figure(lang),
            _p(f"**{t('speaker_note', lang)}:** {slide.note(lang)}")]


def context(v: View, lang: str) -> list[Block]:
    name = v.get("section", "survey")
    make = {"survey": figures.context_survey, "teams": figures.context_teams, "prevention": figures.context_prevention,
            "iom": figures.context_timeline}[name]
    return [_h(1, t("context_heading", lang)), _p(t("context_intro", lang)), make(lang),
            _details(t("provenance", lang), blocks(tables.records(data.context_table(name).dropna(subset=["passage"]),
                                                                  lang, "passage")))]


PAGES = {"overview": overview, "victims": victims, "referrals": referrals, "emigration": emigration,
         "national_counts": national_counts, "slides": slides_page, "context": context}
