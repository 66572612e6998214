"""Figures built once per database build and view, shared by every session."""

from __future__ import annotations

import functools
from collections.abc import Callable

import plotly.graph_objects as go

from app import builds

FIGURE_CACHE = 64  # figures kept (each up to ~1 MB): the default views of every page in 3 templates and 2 languages


def cached(make: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """Build a figure once per database build and view, shared by every session: callers must not change it.

    Pages rerun on every click, and rebuilding their figures took 80-90 ms a run (bench/); a rebuild of the
    database gives a new build path, so nothing stale is ever served.
    """
    @functools.lru_cache(maxsize=FIGURE_CACHE)
    def build(_build, *args, **kwargs) -> go.Figure:
        return make(*args, **kwargs)

    @functools.wraps(make)
    def figure(*args, **kwargs) -> go.Figure:
        return build(builds.build_path(), *args, **kwargs)

    figure.cache_clear = build.cache_clear
    return figure

