"""A figure's declaration: what it says (title, subtitle, sources, note, description, table) and which view of which
figure function drew it; the plotly figure, its citation, data zip and text alternative all read it."""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

EMBED_HEIGHT = 450  # plotly's default height, for a figure that sets none


@dataclass(frozen=True)
class Spec:
    """What frame() wrote into a figure's layout.meta, as one record (plain text, not plotly's escaped markup)."""

    name: str
    title: str
    lang: str
    subtitle: str = ""
    source: str = ""
    note: str = ""
    alt: str = ""
    description: str = ""
    table: dict | None = None
    kind: str | None = None  # the figure function (app/cache.py records it), None for a figure of no known view
    args: dict = field(default_factory=dict)
    height: int = EMBED_HEIGHT

    @classmethod
    def of(cls, fig: go.Figure) -> Spec:
        meta = dict(fig.layout.meta or {})
        view = meta.get("view") or {}
        return cls(name=meta.get("name", ""), title=meta.get("title", ""), lang=meta.get("lang", ""),
                   subtitle=meta.get("subtitle", ""), source=meta.get("source", ""), note=meta.get("note", ""),
                   alt=meta.get("alt", ""), description=meta.get("description", ""), table=meta.get("table"),
                   kind=view.get("figure"), args=dict(view.get("args") or {}),
                   height=int(fig.layout.height or EMBED_HEIGHT))
