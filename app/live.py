"""A page declaration (app/blocks.py) drawn by Streamlit: its parameters as widgets kept in the URL, its blocks in order."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app import blocks as b
from app import downloads, markup, page as ui
from app.i18n import t, tn
from app.page import PAGE_FILES
from app.state import PageState


class Live:
    """One run of a page (or of blocks without one): its state and keys, language, and each kind of block drawn."""

    def __init__(self, lang: str, page: b.Page | None = None):
        self.page, self.lang = page, lang
        self.state = PageState(page.key) if page else None
        self.keys = {p.name: self.state.declare(p) for p in page.params} if page else {}
        self.invalid = self.state.sync() if page else []
        self.figures = 0

    def view(self) -> b.View:
        return b.View({p.name: self.state.value(p.name) for p in self.page.params}, self.lang, ui.ui_template(),
                      st.session_state.get("png_preset", "slide"))

    def draw(self, blocks, where=None) -> None:
        for block in blocks:
            getattr(self, type(block).__name__.lower())(block, where or st)

    def heading(self, h: b.Heading, where) -> None:
        {1: where.title, 2: where.header}.get(h.level, where.subheader)(h.text)
        if h.level == 1:  # which URL parameters were ignored, right under the title
            ui.notices(self.invalid, self.lang)

    def text(self, x: b.Text, where) -> None:
        if x.presenter and ui.presenting():
            return
        if x.style == "caption":
            where.caption(x.md)
        elif x.style == "warning":
            where.warning(x.md, icon=":material/warning:")
        elif x.style == "quote":
            where.markdown("> " + x.md)
        elif x.style == "strong":
            where.markdown(f"**{x.md}**")
        else:
            where.markdown(x.md)

    def figure(self, f: b.Figure, where) -> None:
        kwargs = {}
        if f.select:  # a click on an area chooses it (e.g. a voivodeship on the map)
            kwargs = {"on_select": partial(self._pick, f.key, f.select), "selection_mode": "points"}
        self.figures += 1
        with where.container(key=f"figure_{self.figures}"):  # the chart, its text alternative, exports, citation
            ui.show(f.fig, key=f.key, **kwargs)

    def _pick(self, key: str, param: str) -> None:
        points = st.session_state[key].selection.points
        if points and points[0].get("location") in self.page.param(param).options():
            st.session_state[self.keys[param]] = points[0]["location"]

    def table(self, x: b.Table, where) -> None:
        where.html(markup.md_table(x.md))  # as HTML: the browser's Markdown parser took 0.7 s on a 40 KB table

    def frame(self, x: b.Frame, where) -> None:
        where.dataframe(x.df, hide_index=True, width="stretch",
                        column_config={c: st.column_config.LinkColumn(c) for c in x.links} or None)

    def metrics(self, m: b.Metrics, where) -> None:
        items = list(m.items)
        for row in range(0, len(items), m.per_row):
            for col, item in zip(where.columns(m.per_row), items[row:row + m.per_row]):
                col.metric(item.label, item.value, help=item.help or None)

    def details(self, d: b.Details, where) -> None:
        if markup.plain_blocks(d.blocks):  # text and tables: one HTML <details>, not an expander and an element each
            where.html(markup.details(d))
            return
        with where.expander(d.summary):
            self.draw(d.blocks)

    def columns(self, c: b.Columns, where) -> None:
        for col, inner in zip(ui.columns(list(c.widths)), c.cols):
            with col:
                self.draw(inner)

    def control(self, c: b.Control, where) -> None:
        p = self.page.param(c.param)
        options, key = list(p.options()), self.keys[c.param]
        label = lambda o: c.labels.get(o, str(o))  # noqa: E731
        if c.widget == "slider" and p.kind == "range":
            where.select_slider(c.label, options=options, key=key, value=self.state.initial(c.param))
        elif c.widget == "slider":
            where.select_slider(c.label, options=options, key=key)
        elif c.widget == "select":
            where.selectbox(c.label, options, key=key, format_func=label, help=c.help)
        elif c.widget == "toggle":  # two options: off, on
            where.toggle(c.label, value=self.state.value(c.param) == options[1], key=f"{key}.toggle",
                         on_change=lambda: st.session_state.__setitem__(
                             key, options[1] if st.session_state[f"{key}.toggle"] else options[0]))
        elif c.widget == "stepper":
            self._stepper(c, options, key, where)
        else:
            where.segmented_control(c.label, options, required=p.default(options) is not None, key=key,
                                    format_func=label, help=c.help, wrap=True)

    def _stepper(self, c: b.Control, options: list, key: str, where) -> None:
        """Previous, "i of n", next (the slides)."""
        i = options.index(st.session_state[key])

        def step(delta: int) -> None:
            st.session_state[key] = options[min(len(options) - 1, max(0, options.index(st.session_state[key]) + delta))]

        prev, _gap, nxt = where.columns([1, 4, 1], vertical_alignment="center")  # the heading says which slide
        prev.button(t("previous", self.lang), on_click=step, args=(-1,), disabled=i == 0, icon=":material/arrow_back:",
                    key=f"{c.param}_prev", width="stretch")
        nxt.button(t("next", self.lang), on_click=step, args=(1,), disabled=i == len(options) - 1,
                   icon=":material/arrow_forward:", icon_position="right", key=f"{c.param}_next", width="stretch")

    def link(self, x: b.Link, where) -> None:
        where.page_link(PAGE_FILES[x.page], label=x.label, icon=x.icon,
                        query_params={"lang": self.lang} if self.lang != "pl" else None)

    def download(self, d: b.Download, where) -> None:
        if ui.presenting():
            return
        if d.unavailable and (why := d.unavailable()):
            where.caption(why)
            return
        where.download_button(d.label, d.make, file_name=d.file_name, mime=d.mime, key=d.key, help=d.help,
                              icon=d.icon)

    def relations(self, r: b.Relations, where) -> None:
        """One relation at a time (sending all of them made the Data page the heaviest, about 230 KB a load)."""
        where = where.container(key="relations")
        where.selectbox(t("table", self.lang), downloads.DOWNLOADABLE, key=self.keys[r.param])
        name = self.state.value(r.param)
        frame = downloads.table(name)
        where.caption(tn("rows", "n", self.lang, n=len(frame)))
        where.dataframe(frame, hide_index=True, width="stretch")
        a, c = where.columns(2)
        a.download_button(t("download_csv", self.lang), partial(downloads.as_csv, name), file_name=f"{name}.csv",
                          mime="text/csv", key=f"csv_{name}")
        c.download_button(t("download_xlsx", self.lang), partial(downloads.as_xlsx, name), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{name}")


def draw(page: b.Page) -> None:
    """Run a page: set-up, parameters, its body drawn block by block."""
    run = Live(ui.setup(page.title), page)
    run.draw(page.body(run.view()))

