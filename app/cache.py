"""Figures built once per database build and view, shared by every session."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import plotly.graph_objects as go

from app import builds

TABLE_CACHE = 64  # lookup tables kept: a few per page and language, of the current build and the one before
FIGURE_CACHE = 64  # figures kept (each up to ~1 MB): the default views of every page in 3 templates and 2 languages


def cached(make: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """Build a figure once per database build and view, shared by every session: callers must not change it.

    Pages rerun on every click, and rebuilding their figures took 80-90 ms a run (bench/); a rebuild of the
    database gives a new build path, so nothing stale is ever served.
    """
    signature = inspect.signature(make)

    @functools.lru_cache(maxsize=FIGURE_CACHE)
    def build(_build, *args, **kwargs) -> go.Figure:
        return record_view(make(*args, **kwargs), make.__name__, signature.bind(*args, **kwargs))

    @functools.wraps(make)
    def figure(*args, **kwargs) -> go.Figure:
        return build(builds.build_path(), *args, **kwargs)

    figure.cache_clear = build.cache_clear
    return figure


def per_build(make: Callable):
    """Compute `make(*args)` once per database build (a lookup table many calls of one page run read): callers must
    not change what it returns."""
    @functools.lru_cache(maxsize=TABLE_CACHE)
    def build(_build, *args):
        return make(*args)

    @functools.wraps(make)
    def value(*args):
        return build(builds.build_path(), *args)

    value.cache_clear = build.cache_clear
    return value


def record_view(fig: go.Figure | None, kind: str, bound: inspect.BoundArguments) -> go.Figure | None:
    """Write which figure function and view arguments made `fig` into layout.meta["view"] (its citation, data behind
    and embed code follow from them: app/views.py); a figure made by another figure function is copied first, so
    the inner function's cached figure keeps its own record."""
    if fig is None:
        return None
    bound.apply_defaults()
    args = {k: getattr(v, "item", lambda v=v: v)() for k, v in bound.arguments.items() if k not in ("lang", "tpl")}
    meta = dict(fig.layout.meta or {})
    if "view" in meta:
        fig = go.Figure(fig)
    fig.layout.meta = {**meta, "view": {"figure": kind, "args": args}}
    return fig

