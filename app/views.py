"""Each figure function as a view of a page: its URL query (for citations, embeds and the static edition) and back.

A figure carries the function and arguments that made it in layout.meta["view"] (app/cache.py). Its `kind` is that
function's name; `?figure=<kind>` with the page's usual parameters shows it alone (app/share.py), and its URL query
reopens the same view on its page. The parameters and defaults are those the pages declare (pages/*.py, app/blocks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import plotly.graph_objects as go

from app import data, figures, slides
from app.charts.spec import Spec
from app.figures import abroad, assistance, national

# The URL path of each page of the catalogue (Entry.page), as Streamlit serves it from pages/.
PAGE_PATHS = {"overview": "", "victims": "Victims", "referrals": "Referrals", "emigration": "Emigration",
              "national_counts": "National_counts", "data": "Data", "slides": "Slides", "context": "Context",
              "abroad": "Abroad"}


@dataclass(frozen=True)
class Kind:
    """A figure function as a page's view: how its arguments read as URL parameters, and back."""

    name: str
    page: str
    make: Callable[..., go.Figure | None]
    to_url: Callable[[dict], dict[str, str]] = lambda args: {}
    args: Callable[[dict], dict] = lambda values: {}  # the figure's arguments from its page's parameter values


def _years(years: list[int], first, last) -> tuple[int, int]:
    first = first or years[-1]
    return first, last or first


def _referrals_query(args: dict) -> dict[str, str]:
    years = figures.referral_years()
    first, last = _years(years, args.get("first"), args.get("last"))
    q = {}
    if first != last:
        q["period"] = "range"
        if (first, last) != (years[0], years[-1]):
            q["years"] = f"{first}-{last}"
    elif first != years[-1]:
        q["year"] = str(first)
    return q | _metric(args)


def _metric(args: dict) -> dict[str, str]:
    return {"metric": args["metric"]} if args.get("metric", "count") != "count" else {}


def _referrals_args(v: dict) -> dict:
    first, last = (v["year"],) * 2 if v["period"] == "year" else v["years"]
    return {"first": first, "last": last, "metric": v["metric"]}


def _victims_query(args: dict) -> dict[str, str]:
    years = [int(y) for y in data.victims().year]
    first, last = args.get("first") or years[0], args.get("last") or years[-1]
    q = {"years": f"{first}-{last}"} if (first, last) != (years[0], years[-1]) else {}
    return q | ({"mode": args["mode"]} if args.get("mode", "count") != "count" else {})


def _victims_args(v: dict) -> dict:
    return {"first": v["years"][0], "last": v["years"][1], "mode": v["mode"]}


def _series_args(v: dict) -> dict:
    # The series of one voivodeship: the page's choice, else the first (the embed always shows one).
    return {"teryt": v["v"] or sorted(data.voivodeship_names().teryt)[0], "metric": v["metric"]}


def _scale(args: dict) -> dict[str, str]:
    return {} if args.get("classes", True) else {"scale": "continuous"}


def _emigration_query(args: dict) -> dict[str, str]:
    year = args.get("year") or figures.emigration_years()[-1]
    return ({"year": str(year)} if year != figures.emigration_years()[-1] else {}) | _scale(args)


def _undesa_query(args: dict) -> dict[str, str]:
    year = args.get("year") or figures.undesa_years()[-1]
    q = {"measure": "undesa"} | ({"un_year": str(year)} if year != figures.undesa_years()[-1] else {})
    return q | ({"view": "world"} if args.get("view") == "world" else {}) | _scale(args)


def _emigration_args(v: dict) -> dict:
    return {"year": v["year"], "classes": v["scale"] == "classes"}


def _undesa_args(v: dict) -> dict:
    return {"year": v["un_year"], "view": v["view"], "classes": v["scale"] == "classes"}


def _metric_args(v: dict) -> dict:
    return {"metric": v["metric"]}


def _mode_args(v: dict) -> dict:
    return {"mode": v["mode"]}


def _abroad_year(args: dict) -> dict[str, str]:
    year = args.get("year") or abroad.abroad_years()[-1]
    return {"year": str(year)} if year != abroad.abroad_years()[-1] else {}


def _abroad_map_query(args: dict) -> dict[str, str]:
    return {"period": "all"} if args.get("period") == "all" else _abroad_year(args)


def _abroad_rates_query(args: dict) -> dict[str, str]:
    return _abroad_year(args) | ({"per": "gus"} if args.get("measure") == "gus" else {})


def _europe_query(args: dict) -> dict[str, str]:
    return _abroad_year(args) | ({"rank": "convicted"} if args.get("indicator") == "convicted" else {})


def _slide(key: str) -> Callable[[dict], dict[str, str]]:
    """The Slides page's number of the slide with this key."""
    return lambda args: {"slide": str(next(i for i, s in enumerate(slides.SLIDES, 1) if s.key == key))}


def _fixed(**q: str) -> Callable[[dict], dict[str, str]]:
    return lambda args: dict(q)


KINDS = {k.name: k for k in [
    Kind("total_trend", "overview", figures.total_trend),
    Kind("overview_map", "overview", figures.overview_map),
    Kind("victims", "victims", figures.victims, _victims_query, _victims_args),
    Kind("referrals_map", "referrals", figures.referrals_map, _referrals_query, _referrals_args),
    Kind("referrals_ranking", "referrals", figures.referrals_ranking, _referrals_query, _referrals_args),
    Kind("referrals_series", "referrals", figures.referrals_series,
         lambda a: {"v": a["teryt"]} | _metric(a), _series_args),
    Kind("referrals_by_year", "referrals", figures.referrals_by_year,
         lambda a: {"below": "maps"} | _metric(a),
         _metric_args),
    Kind("referrals_heatmap", "referrals", figures.referrals_heatmap, _fixed(below="grid")),
    Kind("emigration_map", "emigration", figures.emigration_map, _emigration_query, _emigration_args),
    Kind("emigration_totals", "emigration", figures.emigration_totals),
    Kind("emigration_top", "emigration", figures.emigration_top, _fixed(below="top")),
    Kind("undesa_map", "emigration", figures.undesa_map, _undesa_query, _undesa_args),
    Kind("undesa_top", "emigration", figures.undesa_top, _fixed(measure="undesa")),
    Kind("national_victims", "national_counts", national.national_victims),
    Kind("national_justice", "national_counts", national.national_justice),
    Kind("national_profile", "national_counts", national.national_profile, _fixed(topic="profile")),
    Kind("national_kcik", "national_counts", assistance.national_kcik, _fixed(topic="assistance")),
    Kind("national_assistance", "national_counts", assistance.national_assistance, _fixed(topic="assistance")),
    Kind("national_exploitation", "national_counts", assistance.national_exploitation,
         lambda a: {"topic": "exploitation"} | ({"mode": "share"} if a.get("mode") == "share" else {}), _mode_args),
    Kind("national_exploitation_apart", "national_counts", assistance.national_exploitation_apart,
         _fixed(topic="exploitation")),
    Kind("context_survey", "context", figures.context_survey),
    Kind("context_teams", "context", figures.context_teams, _fixed(section="teams")),
    Kind("context_prevention", "context", figures.context_prevention, _fixed(section="prevention")),
    Kind("context_timeline", "context", figures.context_timeline, _fixed(section="iom")),
    Kind("abroad_map", "abroad", abroad.abroad_map, _abroad_map_query,
         lambda v: {"year": None if v["period"] == "all" else v["year"], "period": v["period"]}),
    Kind("abroad_trend", "abroad", abroad.abroad_trend),
    Kind("abroad_rates", "abroad", abroad.abroad_rates, _abroad_rates_query,
         lambda v: {"year": v["year"], "measure": v["per"]}),
    Kind("europe_rank", "abroad", abroad.europe_rank, _europe_query,
         lambda v: {"indicator": v["rank"], "year": v["year"]}),
    Kind("rate_map", "slides", figures.rate_map, _slide("rate")),
    Kind("limits", "slides", slides.limits, _slide("limits")),
]}


def view_of(spec: Spec) -> tuple[Kind, dict] | None:
    """The kind and arguments that made a figure (None for a figure no figure function of KINDS made)."""
    if spec is None or spec.kind not in KINDS:
        return None
    return KINDS[spec.kind], dict(spec.args)


def url_params(kind: Kind, args: dict, lang: str) -> dict[str, str]:
    """The URL parameters of the view on its page, the language last (the default language is omitted)."""
    return kind.to_url(args) | ({"lang": lang} if lang != "pl" else {})


def page_url(base: str, kind: Kind, args: dict, lang: str, **extra: str) -> str:
    """The address of the view on its page under `base` (ending in "/"), with `extra` parameters after its own."""
    q = url_params(kind, args, lang) | extra
    return base + PAGE_PATHS[kind.page] + (f"?{urlencode(q)}" if q else "")
