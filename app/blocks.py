"""A page as data: its parameters and the blocks it shows in order, drawn live by Streamlit (app/live.py) and baked to
HTML by the static edition (app/bake/blocks.py) from the same declaration."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go


@dataclass(frozen=True)
class Param:
    """A choice of the page kept in the URL: one of `options`, one year of them, or a range 'first-last' of them."""

    name: str
    options: Callable[[], Sequence]  # read when the page runs: the data decide the years
    default: Callable[[Sequence], object]  # from the options (the latest year, the first option)
    kind: str = "choice"  # "choice" | "year" | "range" | "flag"

    def parse(self, raw: str | None):
        """The value of a URL parameter (a baked view's), the default if absent; ValueError if it is not one."""
        options = list(self.options())
        if raw is None:
            return self.default(options)
        if self.kind == "range":
            a, b = raw.split("-")
            if int(a) not in options or int(b) not in options or int(a) > int(b):
                raise ValueError(raw)
            return int(a), int(b)
        value = int(raw) if self.kind == "year" else raw
        if value not in options:
            raise ValueError(raw)
        return value

    def dump(self, value) -> str:
        """The value as the URL writes it."""
        return f"{value[0]}-{value[1]}" if self.kind == "range" else str(value)


def choice(name: str, options: Sequence[str], default: str | None = None) -> Param:
    """One of fixed options (the first is the default unless named)."""
    return Param(name, lambda: list(options), lambda opts: default if default is not None else opts[0])


def year(name: str, years: Callable[[], Sequence[int]]) -> Param:
    """One of the published years (the latest by default)."""
    return Param(name, years, lambda ys: ys[-1], "year")


def years(name: str, years_of: Callable[[], Sequence[int]]) -> Param:
    """A range of the published years (all of them by default)."""
    return Param(name, years_of, lambda ys: (ys[0], ys[-1]), "range")


@dataclass
class View:
    """A page's parameter values, its language and figure template: what a declaration's body is drawn for."""

    values: dict
    lang: str
    tpl: str = "light"
    preset: str = "slide"  # the export size chosen in the sidebar (the slides' deck)

    def __getitem__(self, name: str):
        return self.values[name]


# ---- blocks ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading (1: the page's title)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Text:
    """A UI text in the Markdown subset of app/markup.py, in a style: text, caption, warning, quote, strong."""

    md: str
    style: str = "text"
    presenter: bool = False  # for the presenter only: not shown in presentation mode (a speaker's note)


@dataclass(frozen=True)
class Figure:
    """A figure with its text alternative and "cite · data · embed"; a click on it may choose a parameter."""

    fig: go.Figure
    key: str | None = None
    select: str | None = None  # the parameter a click on a map's area sets (its location)


@dataclass(frozen=True)
class Table:
    """A GFM table as app.tables.markdown writes it (numbers formatted, cells escaped)."""

    md: str


@dataclass(frozen=True)
class Frame:
    """A table of rows as they are (a data grid live, an HTML table baked); `links`: columns of web addresses."""

    df: pd.DataFrame
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metric:
    """A headline number, its label and how it is counted (a tooltip live)."""

    label: str
    value: str
    help: str = ""


@dataclass(frozen=True)
class Metrics:
    """Headline numbers, `per_row` a row on screen."""

    items: tuple[Metric, ...]
    per_row: int = 4


@dataclass(frozen=True)
class Details:
    """Blocks behind a summary (an expander live, <details> baked)."""

    summary: str
    blocks: tuple = ()


@dataclass(frozen=True)
class Columns:
    """Blocks side by side (stacked in presentation mode and in the static edition)."""

    widths: tuple[int, ...]
    cols: tuple[tuple, ...]


@dataclass(frozen=True)
class Control:
    """The widget of a parameter: its label and each option's label; the static edition links each option's view."""

    param: str
    label: str
    labels: dict = field(default_factory=dict)  # option -> label (the option itself where absent)
    widget: str = "buttons"  # "buttons" | "slider" | "select" | "toggle" | "stepper"
    help: str | None = None


@dataclass(frozen=True)
class Link:
    """A link to another page of the dashboard (by its key, e.g. "victims")."""

    page: str
    label: str
    icon: str | None = None


@dataclass(frozen=True)
class Download:
    """A file made when asked for (live: a button; baked: a file of the edition when `baked` is True)."""

    label: str
    make: Callable[[], bytes]
    file_name: str
    mime: str
    key: str
    baked: bool = False
    help: str | None = None
    icon: str | None = None
    unavailable: Callable[[], str | None] | None = None  # why it cannot be made here (live: said instead)


@dataclass(frozen=True)
class Relations:
    """Every downloadable relation: live one at a time with its rows and CSV/XLSX buttons, baked as a list of files."""

    param: str = "table"


Block = Heading | Text | Figure | Table | Frame | Metrics | Details | Columns | Control | Link | Download | Relations


@dataclass(frozen=True)
class Page:
    """A page: its key (the static edition's and the catalogue's name), its title's key, parameters and body."""

    key: str
    title: str
    params: tuple[Param, ...]
    body: Callable[[View], list]

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def defaults(self) -> dict:
        return {p.name: p.parse(None) for p in self.params}

    def values(self, query: dict[str, str]) -> dict:
        """Every parameter's value from a URL query (a baked view's), defaults for the rest."""
        return {p.name: p.parse(query.get(p.name)) for p in self.params}


def walk(blocks) -> list:
    """The blocks in reading order, those inside details and columns included (after their container)."""
    out = []
    for b in blocks:
        out.append(b)
        if isinstance(b, Details):
            out += walk(b.blocks)
        elif isinstance(b, Columns):
            for col in b.cols:
                out += walk(col)
    return out
