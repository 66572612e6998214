"""Slides: a curated sequence of figures with speaker notes; the slide number lives in the URL."""

from functools import partial

from app import blocks as b
from app import live, slides
from app.i18n import t
from app.slides import SLIDES


def numbers() -> list[str]:
    return [str(i) for i in range(1, len(SLIDES) + 1)]


def body(v: b.View) -> list:
    lang, i = v.lang, int(v["slide"])
    slide = SLIDES[i - 1]
    return [
        b.Heading(t("slide_of", lang, i=i, n=len(SLIDES))),
        b.Control("slide", t("nav_slides", lang), {n: t("slide_of", lang, i=n, n=len(SLIDES)) for n in numbers()},
                  widget="stepper"),
        b.Figure(slide.figure(lang, v.tpl), key=f"slide_{i}"),
        # The audience sees the shared screen; the note is for the presenter.
        b.Text(f"**{t('speaker_note', lang)}:** {slide.note(lang)}", presenter=True),
        b.Columns((1, 1), ((b.Download(t("deck_zip", lang), partial(slides.deck_zip_for, lang, v.preset),
                                       f"slides_{lang}_{v.preset}.zip", "application/zip", "deck_zip",
                                       icon=":material/folder_zip:"),),
                           (b.Download(t("deck_pptx", lang), partial(slides.deck_pptx_for, lang), f"slides_{lang}.pptx",
                                       "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                                       "deck_pptx", icon=":material/slideshow:"),))),
    ]


PAGE = b.Page("slides", "nav_slides", (b.Param("slide", numbers, lambda opts: opts[0]),), body)

if __name__ == "__main__":
    live.draw(PAGE)
