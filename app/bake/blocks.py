"""A page declaration's blocks (app/blocks.py) as the static edition's HTML: figures stay figures (app/bake/render.py
draws them with their description, table and "cite · data · embed"), every control a list of links to baked views."""

from __future__ import annotations

import plotly.graph_objects as go

from app import blocks as b
from app import downloads
from app import markup
from app.markup import esc, frame_table, md_table, table
from app.bake.views import View, resolve
from app.i18n import t, tn


class Html:
    """One view of one page in one language: its blocks as HTML strings and figures, in order."""

    def __init__(self, edition, view: View, page: b.Page, path: str):
        self.edition, self.view, self.page, self.path = edition, view, page, path
        self.lang = edition.lang
        self.values = page.values(dict(view.params))

    def render(self, blocks) -> list[str | go.Figure]:
        out: list[str | go.Figure] = []
        for block in blocks:
            if isinstance(block, b.Columns):  # side by side on a screen, one after another on a page of the edition
                for col in block.cols:
                    out += self.render(col)
            elif isinstance(block, b.Figure):
                out.append(block.fig)
            else:
                html = getattr(self, type(block).__name__.lower())(block)
                if html:
                    out.append(html)
        return out

    def inner(self, blocks) -> str:
        parts = self.render(blocks)
        assert not any(isinstance(p, go.Figure) for p in parts), "a figure inside a disclosure is not baked"
        return "".join(parts)

    def heading(self, h: b.Heading) -> str:
        return f"<h{h.level}>{esc(h.text)}</h{h.level}>"

    def text(self, x: b.Text) -> str:
        return markup.text(x)

    def table(self, x: b.Table) -> str:
        return md_table(x.md)

    def frame(self, x: b.Frame) -> str:
        if not x.links:
            return frame_table(x.df)
        rows = [[_link(v) if c in x.links else esc("" if not isinstance(v, str) else v) for c, v in r.items()]
                for r in x.df.to_dict("records")]
        return table([str(c) for c in x.df.columns], rows, cell=lambda v: v)

    def metrics(self, m: b.Metrics) -> str:
        return '<dl class="metrics">' + "".join(f"<div><dt>{esc(i.label)}</dt><dd>{esc(i.value)}</dd></div>"
                                                for i in m.items) + "</dl>"

    def details(self, d: b.Details) -> str:
        return f"<details><summary>{esc(d.summary)}</summary>{self.inner(d.blocks)}</details>"

    def control(self, c: b.Control) -> str:
        """Each option a link to the baked view with that choice (or the nearest baked one; none: plain text)."""
        p = self.page.param(c.param)
        options = list(p.options())
        if p.kind == "range":  # the edition bakes a range as the whole period only
            first, last = self.values[c.param]
            items = [f"<li><span>{first}–{last}</span></li>"]
        else:
            items = []
            for option in options[1:] if c.widget == "toggle" else options:
                target = self._target(p, option, options)
                if target is None and c.widget == "toggle":
                    return ""  # a switch whose other view is not baked: the live app has it
                text = c.label if c.widget == "toggle" else c.labels.get(option, str(option))
                chosen = option == self.values[c.param] and target == self.view
                items.append(f'<li><a href="{esc(self.edition.rel(target, self.path))}"'
                             f'{" aria-current=true" if chosen else ""}>{esc(text)}</a></li>'
                             if target else f"<li><span>{esc(text)}</span></li>")
        return (f'<nav class="controls" aria-label="{esc(c.label)}"><div class="control"><span class="label">'
                f'{esc(c.label)}</span><ul>{"".join(items)}</ul></div></nav>')

    def _target(self, p: b.Param, option, options: list) -> View | None:
        params = dict(self.view.params)
        if option == p.default(options):
            params.pop(p.name, None)
        else:
            params[p.name] = p.dump(option)
        return resolve(self.view.page, params, self.edition.baked)

    def link(self, x: b.Link) -> str:
        return f'<p><a href="{esc(self.edition.rel(View(x.page), self.path))}">{esc(x.label)}</a></p>'

    def download(self, d: b.Download) -> str:
        if not d.baked:
            return ""  # made on demand by the live app only (fact sheets, decks)
        path = self.edition.attach(f"data/{d.file_name}", d.make)
        return f'<p><a href="{esc(self.edition.rel_file(path, self.path))}" download>{esc(d.label)}</a></p>'

    def relations(self, r: b.Relations) -> str:
        """Every relation with its CSV and XLSX (the live page shows one at a time)."""
        rows = [[esc(name), esc(tn("rows", "n", self.lang, n=n)),
                 f'<a href="{esc(self.edition.rel_file(csv, self.path))}" download>CSV</a>',
                 f'<a href="{esc(self.edition.rel_file(xlsx, self.path))}" download>XLSX</a>']
                for name, (csv, xlsx, n) in self.edition.downloads.items()]
        assert list(self.edition.downloads) == downloads.DOWNLOADABLE
        return '<div class="relations">' + table([t("table", self.lang), t("col_rows", self.lang), "CSV", "XLSX"], rows,
                                                 cell=lambda v: v) + "</div>"


def _link(value) -> str:
    """A web address as a link, no value as an empty cell."""
    text = value if isinstance(value, str) else ""
    return f'<a href="{esc(text)}">{esc(text)}</a>' if text.startswith("http") else esc(text)
