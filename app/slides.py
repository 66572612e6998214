"""The presenter's deck: about eight figures that tell the story, each with a speaker note."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from app import charts, data, export, figures, numbers
from app.cache import cached
from app.figures import abroad, national
from app.i18n import N_, Nn_, fmt_int, fmt_num, fmt_pct, t, tn


@cached
def limits(lang: str, tpl: str = "light") -> go.Figure:
    """What the data cannot say, as a text slide whose numbers come from the database."""
    h = data.headline()
    gap = data.referral_gaps()
    lines = [tn("limit_foreigners", "total", lang, total=h["total"], first=h["first_year"], last=h["last_year"])]
    lines += [tn("limit_mismatch", "expected", lang, year=r.year, actual=r.actual, expected=r.expected) for r in gap.itertuples()]
    lines += [t("limit_gus", lang, notes=figures.series_caveat("emigration_gus", lang)), t("limit_no_data", lang),
              t("limit_populations", lang)]
    return charts.text_figure(lines, lang, title=t("slide_limits_title", lang), subtitle=t("slide_limits_sub", lang),
                              source=data.cite("programme_victims", data.source_ids("programme_victims"), lang)
                              + "; " + data.citation("emigration_gus", lang),
                              tpl=tpl, name="slide_limits")


def facts(lang: str) -> dict:
    """The numbers the speaker notes quote, each by a rule a reader can check against the figures."""
    h = data.headline()
    v = data.victims().set_index("year")
    top2 = v.total.nlargest(2)  # the two largest yearly totals
    years = figures.referral_years()
    span = data.referrals_in_range(years[0], years[-1])
    span["label"] = span[f"name_{lang}"]
    by_count = span.nlargest(3, "referrals")
    by_rate = span.nlargest(1, "per_million").iloc[0]  # the largest average yearly rate over every year
    rows = data.referrals_by_year()
    peak = rows.loc[rows.referrals.idxmax()]  # the largest single voivodeship-year cell
    year_total = rows[rows.year == peak.year].referrals.sum()
    totals = data.emigration_totals().query("scope == 'total'")
    top_total = totals.loc[totals.emigrants_thousands.idxmax()]
    men_share = (v.men / v.total).dropna()
    return {
        "range": national.victims_range(lang) or "",
        "latest": "; ".join(f"{tile['label']}: {tile['value']}" for tile in national.latest_tiles(lang)),
        "total": h["total"], "first": h["first_year"], "last": h["last_year"],
        "incomplete": t("headline_incomplete", lang, years=", ".join(map(str, h["missing_years"])))
        if h["missing_years"] else "",
        "peak1": int(top2.index[0]), "peak1_n": int(top2.iloc[0]),
        "peak2": int(top2.index[1]), "peak2_n": int(top2.iloc[1]),
        "women_share": fmt_pct(h["women"] / h["total"], lang), "men_share": fmt_pct(h["men"] / h["total"], lang),
        "minors_share": fmt_pct(h["minors"] / h["total"], lang),
        "men_peak_year": int(men_share.idxmax()), "men_peak_share": fmt_pct(men_share.max(), lang),
        "top3": ", ".join(f"{r.label} ({r.referrals})" for r in by_count.itertuples()),
        "all_referring": h["voivodeships_referring"], "n_voivodeships": int(span.id.nunique()),
        "rate_top": by_rate.label, "rate_top_value": fmt_num(numbers.shown(by_rate.per_million, 1), lang, 1),
        "rate_top_n": int(by_rate.referrals),
        "cell_year": int(peak.year), "cell_name": peak[f"name_{lang}"], "cell_n": int(peak.referrals),
        "cell_share": fmt_pct(peak.referrals / year_total, lang),
        "emi_peak_year": int(top_total.year), "emi_peak": fmt_int(top_total.emigrants_thousands, lang),
        **abroad.note_facts(lang),
    }


@dataclass(frozen=True)
class Slide:
    """One slide: how to draw its figure and the key of its speaker note."""

    key: str
    make: Callable[..., go.Figure]
    kwargs: dict
    note_key: str  # the speaker note's text (marked for pybabel extract where the slide is listed)

    def figure(self, lang: str, tpl: str = "light") -> go.Figure:
        """The slide's figure."""
        return self.make(lang, tpl=tpl, **self.kwargs)

    def note(self, lang: str) -> str:
        """The speaker note, its numbers taken from the database."""
        f = facts(lang)
        note = t(self.note_key, lang, **f)
        return note + (" " + f["incomplete"] if f["incomplete"] and self.key in ("enrolments", "groups") else "")


SLIDES = [
    Slide("enrolments", figures.victims, {}, Nn_("note_enrolments", "total")),
    Slide("groups", figures.victims, {"mode": "share"}, N_("note_groups")),
    Slide("where", figures.overview_map, {}, Nn_("note_where", "n_voivodeships")),
    Slide("rate", figures.rate_map, {}, Nn_("note_rate", "rate_top_n")),
    Slide("years", figures.referrals_by_year, {}, Nn_("note_years", "cell_n")),
    Slide("emigration_map", figures.emigration_map, {}, N_("note_emigration_map")),
    Slide("emigration_totals", figures.emigration_totals, {}, N_("note_emigration_totals")),
    Slide("after", national.national_victims, {}, N_("note_after")),
    Slide("abroad", abroad.abroad_map, {}, N_("note_abroad")),
    Slide("limits", limits, {}, N_("note_limits")),
]


def deck_zip(images: list[tuple[str, bytes]]) -> bytes:
    """Numbered PNGs in one ZIP file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:  # PNGs are compressed already
        for name, data in images:
            zf.writestr(name, data)
    return buf.getvalue()


def deck_pptx(pictures: list[tuple[bytes, str]]) -> bytes:
    """A 16:9 PowerPoint file: one full-slide picture per (PNG, speaker note)."""
    from pptx import Presentation
    from pptx.util import Emu

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in, 16:9
    blank = deck.slide_layouts[6]
    for image, note in pictures:
        slide = deck.slides.add_slide(blank)
        slide.shapes.add_picture(io.BytesIO(image), 0, 0, width=deck.slide_width, height=deck.slide_height)
        slide.notes_slide.notes_text_frame.text = note
    buf = io.BytesIO()
    deck.save(buf)
    return buf.getvalue()


def deck_images(lang: str, preset: str = "slide") -> list[tuple[str, bytes, str]]:
    """Every slide as (numbered file name, PNG, speaker note)."""
    return [(f"slide_{i:02d}_{lang}_{preset}.png", export.png(s.figure(lang), preset), s.note(lang))
            for i, s in enumerate(SLIDES, 1)]


def deck_zip_for(lang: str, preset: str = "slide") -> bytes:
    """All slides as numbered PNGs in a ZIP (for the slides page's download button)."""
    return deck_zip([(name, image) for name, image, _ in deck_images(lang, preset)])


def deck_pptx_for(lang: str) -> bytes:
    """All slides as a PPTX with speaker notes (16:9, slide preset)."""
    return deck_pptx([(image, note) for _, image, note in deck_images(lang, "slide")])
