"""What else the documents tell: the 2010 survey, the regional teams, regional prevention, the IOM project."""

from __future__ import annotations

import plotly.graph_objects as go

from app import charts, data, maps
from app.cache import cached
from app.i18n import t


@cached
def context_survey(lang: str, tpl: str = "light") -> go.Figure:
    """The 2010 public-awareness survey: four shares."""
    return charts.survey_chart(data.context_table("survey"), lang, source=data.citation("survey_obop2010", lang),
                               period=data.dataset("survey_obop2010")[f"period_{lang}"], tpl=tpl)


@cached
def context_teams(lang: str, tpl: str = "light") -> go.Figure:
    """Map of the regional teams the sources mention, with founding dates where stated."""
    df = data.context_table("teams")
    df["label"] = df[f"name_{lang}"]
    df["status"] = ["dated" if f else "mentioned" if s else "unknown"
                    for f, s in zip(df.founded.fillna(""), df.source_id.fillna(""))]
    df["text"] = [team_date(f, lang) if st == "dated" else t("team_short", lang) if st == "mentioned" else ""
                  for f, st in zip(df.founded.fillna(""), df.status)]
    df["hover"] = [f"{lab}: {t('team_' + st, lang)}" + (f" ({txt})" if st == "dated" else "")
                   for lab, st, txt in zip(df.label, df.status, df.text)]
    return maps.teams_map(df, lang, title=t("title_teams", lang), subtitle=t("subtitle_teams", lang),
                          source=data.citation("regional_teams", lang), tpl=tpl, name="context_regional_teams")


def team_date(founded: str, lang: str) -> str:
    """'13.06.2014' or '10.2010' (only what the source states)."""
    parts = founded.split("-")
    return ".".join(reversed(parts[1:])) + "." + parts[0] if len(parts) > 1 else founded


@cached
def context_prevention(lang: str, tpl: str = "light") -> go.Figure:
    """Counted prevention activities in Świętokrzyskie, 2017."""
    return charts.prevention_chart(data.context_table("prevention"), lang,
                                   source=data.citation("prevention_swietokrzyskie_2017", lang),
                                   period=data.dataset("prevention_swietokrzyskie_2017")[f"period_{lang}"], tpl=tpl)


@cached
def context_timeline(lang: str, tpl: str = "light") -> go.Figure:
    """The IOM / Border Guard project 2020-2024 as a timeline."""
    return charts.timeline_chart(data.context_table("iom"), lang, source=data.citation("iom_project_2020_2024", lang),
                                 tpl=tpl)
