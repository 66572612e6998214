"""Every figure of the dashboard, by what it shows (one module a topic), and the catalogue of their default views.

programme.py: the Programme's enrolments; referrals.py: referrals by voivodeship; emigration.py: Poles abroad (GUS, UN
DESA); national.py: every count of victims and the justice figures after the Programme; assistance.py: KCIK and
care; context.py: the survey, teams, prevention, IOM. Each figure function reads app.data and draws with app.charts
(or app.maps); pages, slides, exports and the static edition call them by the names below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import plotly.graph_objects as go

from app.figures import abroad, assistance, national
from app.figures.assistance import (exploitation_years, national_assistance, national_exploitation,  # noqa: F401
                                    national_exploitation_apart, national_kcik)
from app.figures.common import series_caveat  # noqa: F401
from app.figures.context import (context_prevention, context_survey, context_teams, context_timeline,  # noqa: F401
                                 team_date)
from app.figures.emigration import (comparison_years, emigration_map, emigration_top, emigration_totals,  # noqa: F401
                                    emigration_years, measure_comparison, undesa_map, undesa_top, undesa_years)
from app.figures.national import national_justice, national_profile, national_victims  # noqa: F401
from app.figures.programme import total_trend, victims
from app.figures.referrals import (MULTIPLES_AT_FIRST, factsheet_chart, overview_map, rate_map,  # noqa: F401
                                   referral_mismatches, referral_years, referrals_by_year, referrals_heatmap,
                                   referrals_map, referrals_ranking, referrals_series)


# The figures an update of each dataset changes: the Update page draws them from the staged build.
AFFECTED = {"programme_victims": ("victims",), "programme_referrals": ("referrals_map", "referrals_maps_by_year"),
            "population": ("rate_map",), "emigration_stock": ("emigration_map",),
            "national_indicators": ("national_victims", "national_justice"),
            "migrant_stock_born_in_poland": ("born_in_poland_map",),
            "unodc_glotip": ("abroad_map", "abroad_trend", "europe_detected"), "world_population": ("europe_detected",)}


def affected(datasets, lang: str, tpl: str = "light") -> list[go.Figure]:
    """The figures that updates of these datasets change, in catalogue order (sources and indicator
    descriptions change the words of figures, not what they draw)."""
    keys = {k for d in datasets for k in AFFECTED.get(d, ())}
    figs = [e.figure(lang, tpl) for e in CATALOGUE if e.key in keys]
    if "rate_map" in keys:
        figs.append(rate_map(lang, tpl))
    return figs


@dataclass(frozen=True)
class Entry:
    """A figure in its default view: which page shows it and how to make it."""

    key: str
    page: str
    make: Callable[..., go.Figure]
    kwargs: dict = field(default_factory=dict)
    query: str = ""  # the URL query under which its page shows it; "" = the page's default view

    def figure(self, lang: str, tpl: str = "light") -> go.Figure:
        """The figure in `lang`."""
        return self.make(lang, tpl=tpl, **self.kwargs)


# Every figure of the dashboard in its default view, in page order (the batch export writes these).
CATALOGUE = [
    Entry("overview_trend", "overview", total_trend),
    Entry("overview_map", "overview", overview_map),
    Entry("victims", "victims", victims),
    Entry("referrals_map", "referrals", referrals_map),
    Entry("referrals_ranking", "referrals", referrals_ranking),
    Entry("referrals_maps_by_year", "referrals", referrals_by_year, query="below=maps"),
    Entry("referrals_heatmap", "referrals", referrals_heatmap, query="below=grid"),
    Entry("emigration_map", "emigration", emigration_map),
    Entry("emigration_totals", "emigration", emigration_totals),
    Entry("emigration_top", "emigration", emigration_top, query="below=top"),
    Entry("born_in_poland_map", "emigration", undesa_map, query="measure=undesa"),
    Entry("born_in_poland_world", "emigration", undesa_map, {"view": "world"}, query="measure=undesa&view=world"),
    Entry("born_in_poland_top", "emigration", undesa_top, query="measure=undesa"),
    Entry("national_victims", "national_counts", national.national_victims),
    Entry("national_justice", "national_counts", national.national_justice),
    Entry("national_profile", "national_counts", national.national_profile, query="topic=profile"),
    Entry("national_kcik", "national_counts", assistance.national_kcik, query="topic=assistance"),
    Entry("national_assistance", "national_counts", assistance.national_assistance, query="topic=assistance"),
    Entry("national_kcik_exploitation", "national_counts", assistance.national_exploitation,
          query="topic=exploitation"),
    Entry("national_kcik_exploitation_share", "national_counts", assistance.national_exploitation, {"mode": "share"},
          query="topic=exploitation&mode=share"),
    Entry("national_kcik_exploitation_apart", "national_counts", assistance.national_exploitation_apart,
          query="topic=exploitation"),
    Entry("abroad_map", "abroad", abroad.abroad_map),
    Entry("abroad_map_all", "abroad", abroad.abroad_map, {"period": "all"}, query="period=all"),
    Entry("abroad_trend", "abroad", abroad.abroad_trend),
    Entry("abroad_rates", "abroad", abroad.abroad_rates),
    Entry("abroad_rates_gus", "abroad", abroad.abroad_rates, {"measure": "gus"}, query="per=gus"),
    Entry("europe_detected", "abroad", abroad.europe_rank),
    Entry("europe_convicted", "abroad", abroad.europe_rank, {"indicator": "convicted"}, query="rank=convicted"),
    Entry("context_survey", "context", context_survey),
    Entry("context_teams", "context", context_teams, query="section=teams"),
    Entry("context_prevention", "context", context_prevention, query="section=prevention"),
    Entry("context_timeline", "context", context_timeline, query="section=iom"),
]
