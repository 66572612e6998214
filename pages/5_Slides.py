"""Slides: a curated sequence of figures with speaker notes; the slide number lives in the URL."""

from functools import partial

import streamlit as st

from app import slides
from app.i18n import t
from app.page import notices, presenting, setup, show, ui_template
from app.slides import SLIDES
from app.state import PageState

lang = setup("nav_slides")
state = PageState("slides")
numbers = [str(i) for i in range(1, len(SLIDES) + 1)]
key = state.choice("slide", numbers, "1")


def step(delta: int) -> None:
    """Move to the previous or next slide (the URL follows on the rerun)."""
    st.session_state[key] = str(min(len(SLIDES), max(1, int(st.session_state[key]) + delta)))


i = int(st.session_state[key])
prev, label, nxt = st.columns([1, 4, 1], vertical_alignment="center")
prev.button(t("previous", lang), on_click=step, args=(-1,), disabled=i == 1, icon=":material/arrow_back:",
            key="slide_prev", width="stretch")
label.markdown(f"**{t('slide_of', lang, i=i, n=len(SLIDES))}**")
nxt.button(t("next", lang), on_click=step, args=(1,), disabled=i == len(SLIDES), icon=":material/arrow_forward:",
           icon_position="right", key="slide_next", width="stretch")
notices(state.sync(), lang)

slide = SLIDES[i - 1]
show(slide.figure(lang, ui_template()), key=f"slide_{i}")
if not presenting():  # the audience sees the shared screen; the note is for the presenter
    st.markdown(f"**{t('speaker_note', lang)}:** {slide.note(lang)}")

a, b = st.columns(2)
preset = st.session_state.get("png_preset", "slide")
a.download_button(t("deck_zip", lang), partial(slides.deck_zip_for, lang, preset), file_name=f"slides_{lang}_{preset}.zip",
                  mime="application/zip", icon=":material/folder_zip:", key="deck_zip")
b.download_button(t("deck_pptx", lang), partial(slides.deck_pptx_for, lang), file_name=f"slides_{lang}.pptx",
                  mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  icon=":material/slideshow:", key="deck_pptx")
