"""Text for plotly figures: its pseudo-HTML shown literally, so no data text can become a link or a style.

plotly renders `<a href>`, `<b>`, `<i>`, `<span style>` and `<sub>`/`<sup>` in titles, annotations, legends, tick
labels and hover labels. Every string a figure shows can hold text from a file somebody uploaded (a note, a
source's title, an indicator's name), so `frame` passes the whole figure through `escape_figure` once: `<`, `>`
and `&` become entities (which plotly turns back into the characters), and only the line breaks and hover
`<extra>` boxes our own code writes are kept.
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

KEPT = ("<br>", "<extra>", "</extra>")  # the only markup our figures use
# Category names are drawn as tick labels, so string x / y values are escaped too (alike in every trace and in
# tickvals, so they still match; numbers, dates and ids for the map's shapes are left alone).
TRACE_TEXT = ("name", "text", "hovertext", "hovertemplate", "texttemplate", "legendgrouptitle_text", "x", "y",
              "labels")


def escape(text: str) -> str:
    """One string as literal text for plotly, line breaks kept."""
    out = html.escape(str(text), quote=False)
    for tag in KEPT:
        out = out.replace(html.escape(tag, quote=False), tag)
    return out


def _escaped(value):
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.vectorize(lambda v: escape(v) if isinstance(v, str) else v, otypes=[object])(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_escaped(v) for v in value)
    return value


def escape_figure(fig: go.Figure) -> go.Figure:
    """Every text of the figure's traces, axes and annotations escaped (call once, before adding own markup)."""
    for trace in fig.data:
        for attr in (*TRACE_TEXT, "customdata"):
            path = attr.split("_")[0] if attr == "legendgrouptitle_text" else attr
            if path in trace and trace[path] is not None:
                if attr == "legendgrouptitle_text":
                    trace.legendgrouptitle.text = _escaped(trace.legendgrouptitle.text)
                else:
                    trace[attr] = _escaped(trace[attr])
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        if axis.ticktext is not None:
            axis.ticktext = _escaped(axis.ticktext)
        if axis.tickvals is not None:
            axis.tickvals = _escaped(axis.tickvals)
        if axis.title and axis.title.text:
            axis.title.text = escape(axis.title.text)
    for ann in fig.layout.annotations:
        if ann.text:
            ann.text = escape(ann.text)
    return fig
