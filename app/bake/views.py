"""The views the static edition bakes, page by page, each named by its URL state, and the controls between them.

Every choice of one year, measure, topic, section or slide is baked; a range of years only as the whole period, a
voivodeship's series and the views below the first screen at the default year, the continuous colour scale at the
latest year (the live app has the rest). A control's option (app/bake/blocks.py) leads to the view with that choice,
or, where that combination is not baked, to the nearest one that is (the secondary choices dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app import data, figures, slides
from app.figures import abroad
from app.page import declaration

# Dropped first, in this order, where a view is not baked (resolve).
SECONDARY = ("v", "below", "mode", "view", "scale", "rank", "per")
SAFE = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class View:
    """A page in one state: its parameters (defaults omitted), in the page's order."""

    page: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def file(self) -> str:
        """'index.html' for the default view, else 'year-2012_metric-rate.html' (the URL state)."""
        parts = [f"{k}-{v}" for k, v in self.params]
        assert all(SAFE.fullmatch(p) for p in parts), parts
        return "_".join(parts) + ".html" if parts else "index.html"

    @property
    def key(self) -> str:
        """The URL query with its names sorted ('metric=rate&year=2012'): how a live link finds the view."""
        return "&".join(f"{k}={v}" for k, v in sorted(self.params))

    def get(self, name: str, default: str | None = None) -> str | None:
        return dict(self.params).get(name, default)


def view(page: str, params: dict[str, object]) -> View:
    """A view from parameters (None and defaults left out by the caller), in the page's order."""
    order = [p.name for p in declaration(page).params]  # the page's declaration: its parameters in URL order
    return View(page, tuple((k, str(params[k])) for k in order if params.get(k) is not None))


def _referrals() -> list[View]:
    years = figures.referral_years()
    out = []
    for metric in ("count", "rate"):
        m = {"metric": metric if metric != "count" else None}
        out += [view("referrals", {"year": y if y != years[-1] else None, **m}) for y in years]
        out.append(view("referrals", {"period": "range", **m}))
        out += [view("referrals", {"v": teryt, **m}) for teryt in data.voivodeship_names().teryt]
        out += [view("referrals", {"below": below, **m}) for below in ("maps", "grid")]
    return out


def _emigration() -> list[View]:
    gus, un = figures.emigration_years(), figures.undesa_years()
    out = []
    for year in gus:
        for scale in ("classes", "continuous") if year == gus[-1] else ("classes",):  # each map is 0.3 s to bake
            for below in ("totals", "top"):
                out.append(view("emigration", {"year": year if year != gus[-1] else None,
                                               "scale": scale if scale != "classes" else None,
                                               "below": below if below != "totals" else None}))
    for year in un:
        for where in ("europe", "world"):
            for scale in ("classes", "continuous") if year == un[-1] else ("classes",):
                out.append(view("emigration", {"measure": "undesa", "un_year": year if year != un[-1] else None,
                                               "view": where if where != "europe" else None,
                                               "scale": scale if scale != "classes" else None}))
    return out


def _abroad() -> list[View]:
    """Every year with each measure of Poles abroad and each ranking (one choice at a time), and the whole period."""
    years = abroad.abroad_years()
    out = []
    for y in years:
        year = y if y != years[-1] else None
        out += [view("abroad", {"year": year}), view("abroad", {"year": year, "per": "gus"}),
                view("abroad", {"year": year, "rank": "convicted"})]
    return out + [view("abroad", {"period": "all"})]


def all_views() -> list[View]:
    """Every view of every page the static edition bakes, page by page."""
    return ([view("overview", {})]
            + [view("victims", {}), view("victims", {"mode": "share"})]
            + _referrals() + _emigration()
            + [view("national_counts", {})] + [view("national_counts", {"topic": tp}) for tp in
                                               ("profile", "assistance", "exploitation")]
            + [view("national_counts", {"topic": "exploitation", "mode": "share"})]
            + _abroad() + [view("data", {})]
            + [view("slides", {"slide": i} if i > 1 else {}) for i in range(1, len(slides.SLIDES) + 1)]
            + [view("context", {"section": s} if s != "survey" else {}) for s in ("survey", "teams", "prevention",
                                                                                  "iom")])


def resolve(page: str, params: dict[str, str], baked: set[View]) -> View | None:
    """The baked view with these parameters, or the nearest one: the secondary choices dropped one by one."""
    params = dict(params)
    candidate = view(page, params)
    for name in (None, *SECONDARY):
        if name:
            params.pop(name, None)
            candidate = view(page, params)
        if candidate in baked:
            return candidate
    return None
