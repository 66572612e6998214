"""The views the static edition bakes, page by page, each named by its URL state, and the controls between them.

Every choice of one year, measure, topic, section or slide is baked; a range of years only as the whole period, a
voivodeship's series and the views below the first screen at the default year, the continuous colour scale at the
latest year (the live app has the rest). A control's option leads to the view with that choice, or, where that combination is not baked, to the
nearest one that is (the secondary choices dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app import data, figures, slides
from app.i18n import t

# Each page's parameters in the order a file name lists them; the last ones are dropped first (see `resolve`).
PARAMS = {"overview": [], "victims": ["years", "mode"],
          "referrals": ["period", "year", "years", "metric", "v", "below"],
          "emigration": ["measure", "year", "un_year", "view", "scale", "below"],
          "national_counts": ["topic", "mode"], "data": [], "slides": ["slide"], "context": ["section"]}
SECONDARY = ("v", "below", "mode", "view", "scale")
SAFE = re.compile(r"[A-Za-z0-9._-]+")
# The page's labels of each control's options (the live pages' own keys).
LABELS = {"mode": {"count": "mode_count", "share": "mode_share"},
          "period": {"year": "period_year", "range": "period_range"},
          "metric": {"count": "metric_count", "rate": "metric_rate"},
          "below": {"maps": "years_view_maps", "grid": "years_view_grid", "totals": "gus_view_totals",
                    "top": "gus_view_top"},
          "measure": {"gus": "measure_gus", "undesa": "measure_undesa"},
          "view": {"europe": "view_europe", "world": "view_world"},
          "scale": {"classes": "scale_classes", "continuous": "scale_continuous"},
          "topic": {"justice": "since_topic_justice", "profile": "since_topic_profile",
                    "assistance": "since_topic_assistance", "exploitation": "since_topic_exploitation"},
          "section": {"survey": "context_section_survey", "teams": "context_section_teams",
                      "prevention": "context_section_prevention", "iom": "context_section_iom"}}
HEADINGS = {"mode": "measure", "period": "period", "year": "year", "un_year": "year", "metric": "measure",
            "below": "years_view", "measure": "measure", "view": "view", "scale": "scale", "topic": "since_topic",
            "section": "context_section", "v": "voivodeship_pick", "slide": "nav_slides"}


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
    order = PARAMS[page]
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


def all_views() -> list[View]:
    """Every view of every page the static edition bakes, page by page."""
    return ([view("overview", {})]
            + [view("victims", {}), view("victims", {"mode": "share"})]
            + _referrals() + _emigration()
            + [view("national_counts", {})] + [view("national_counts", {"topic": tp}) for tp in
                                               ("profile", "assistance", "exploitation")]
            + [view("national_counts", {"topic": "exploitation", "mode": "share"})]
            + [view("data", {})]
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


def _options(current: View) -> list[tuple[str, list[tuple[str | None, str]]]]:
    """Each control of a view's page: (parameter, [(value or None for the default, label key or text)])."""
    p = current.page
    if p == "victims":
        return [("mode", [(None, "count"), ("share", "share")])]
    if p == "referrals":
        years = figures.referral_years()
        names = data.voivodeship_names()
        return [("period", [(None, "year"), ("range", "range")]),
                ("year", [(str(y) if y != years[-1] else None, str(y)) for y in years]),
                ("metric", [(None, "count"), ("rate", "rate")]),
                ("v", [(teryt, teryt) for teryt in names.teryt]),
                ("below", [("maps", "maps"), ("grid", "grid")])]
    if p == "emigration":
        gus = current.get("measure") != "undesa"
        years = figures.emigration_years() if gus else figures.undesa_years()
        out = [("measure", [(None, "gus"), ("undesa", "undesa")]),
               ("year" if gus else "un_year", [(str(y) if y != years[-1] else None, str(y)) for y in years])]
        if not gus:
            out.append(("view", [(None, "europe"), ("world", "world")]))
        out.append(("scale", [(None, "classes"), ("continuous", "continuous")]))
        if gus:
            out.append(("below", [(None, "totals"), ("top", "top")]))
        return out
    if p == "national_counts":
        out = [("topic", [(None, "justice"), ("profile", "profile"), ("assistance", "assistance"),
                          ("exploitation", "exploitation")])]
        return out + ([("mode", [(None, "count"), ("share", "share")])] if current.get("topic") == "exploitation"
                      else [])
    if p == "slides":
        return [("slide", [(str(i) if i > 1 else None, str(i)) for i in range(1, len(slides.SLIDES) + 1)])]
    if p == "context":
        return [("section", [(None, "survey"), ("teams", "teams"), ("prevention", "prevention"), ("iom", "iom")])]
    return []


def controls(current: View, baked: set[View], lang: str) -> list[tuple[str, list[tuple[str, View | None, bool]]]]:
    """Each control as (heading, [(label, the view it leads to, chosen)])."""
    names = dict(zip(data.voivodeship_names().teryt, data.voivodeship_names()[f"name_{lang}"]))
    out = []
    for param, options in _options(current):
        items = []
        for value, label in options:
            params = dict(current.params)
            if param == "year":  # a year is a one-year period
                params.pop("period", None)
            if value is None:
                params.pop(param, None)
            else:
                params[param] = value
            target = resolve(current.page, params, baked)
            text = names.get(label, label) if param == "v" else t(LABELS[param][label], lang) if param in LABELS \
                else label
            items.append((text, target, (current.get(param) == value) and (target == current)))
        out.append((t(HEADINGS[param], lang) if param != "slide" else t(HEADINGS[param], lang), items))
    return out
