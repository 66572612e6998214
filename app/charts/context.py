"""The Context page's charts: a slide of sentences, the survey's shares, prevention activity, the IOM timeline."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from app import numbers, theme
from app.charts.frame import fit_categories, frame
from app.describe import Drawn
from app.i18n import fmt_int, fmt_pct, t, tn

def text_figure(lines: list[str], lang: str, *, title: str, subtitle: str, source: str, tpl: str = "light",
                name: str = "") -> go.Figure:
    """A slide of short statements (bullets), drawn as a figure so it exports like the others."""
    fig = go.Figure()
    wrapped = ["<br>   ".join(textwrap.wrap(line, 80)) for line in lines]
    fig.add_annotation(text="<br><br>".join(f"•  {w}" for w in wrapped), xref="paper", yref="paper", x=0, y=1,
                       xanchor="left", yanchor="top", align="left", showarrow=False, font=dict(size=19))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=560)
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl,
                 alt=" ".join(lines), name=name)


def survey_chart(df: pd.DataFrame, lang: str, *, source: str, period: str, tpl: str = "light") -> go.Figure:
    """The four quoted survey shares as labelled horizontal bars, with the statement as the label."""
    df = df.iloc[::-1]  # first statement on top
    labels = ["<br>".join(textwrap.wrap(s, 42)) for s in df[f"statement_{lang}"]]
    fig = go.Figure(go.Bar(x=df.share_pct, y=labels, orientation="h", text=[fmt_pct(v / 100, lang) for v in df.share_pct],
                           textposition="outside", cliponaxis=False, marker_color=theme.BAR,
                           customdata=df.published, hovertemplate="%{y}: %{x}% (%{customdata})<extra></extra>"))
    fig.update_xaxes(range=[0, 100], ticksuffix="%", title=t("share_respondents", lang))
    fig.update_yaxes(title=None)
    fig.update_layout(showlegend=False, height=480)
    alt = t("alt_survey", lang, first=fmt_pct(df.share_pct.iloc[-1] / 100, lang), period=period)
    read = df.iloc[::-1]  # top to bottom
    drawn = Drawn(t("col_category", lang), list(read[f"statement_{lang}"]), {t("share_respondents", lang): list(read.share_pct)},
                  ordered=False)
    fig = frame(fig, title=t("title_survey", lang, period=period), subtitle=tn("subtitle_survey", "n", lang, n=len(df)),
                source=source, lang=lang, tpl=tpl, alt=alt, name="context_survey", note=t("note_survey", lang),
                drawn=drawn)
    return fit_categories(fig, len(df), tpl, lines=max(label.count("<br>") + 1 for label in labels))


def prevention_chart(df: pd.DataFrame, lang: str, *, source: str, period: str, tpl: str = "light") -> go.Figure:
    """Reach of each counted activity (people or items), with the number of events in the label."""
    df = df[df.reach.notna()].sort_values("reach")
    labels = list(df[f"label_{lang}"])
    text = []
    for r in df.itertuples():
        value = ("~" if r.approx else "") + fmt_int(r.reach, lang)
        text.append(value + (f" ({tn('events_n', 'n', lang, n=fmt_int(r.events, lang))})" if pd.notna(r.events) else ""))
    colours = [theme.BAR_LIGHT if k == "materials" else theme.BAR for k in df.kind]
    fig = go.Figure(go.Bar(x=df.reach, y=labels, orientation="h", text=text, textposition="outside", cliponaxis=False,
                           marker_color=colours, hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_xaxes(title=t("reach", lang), range=[0, 1.3 * df.reach.max()])
    fig.update_yaxes(title=None)
    fig.update_layout(showlegend=False, height=560)
    alt = t("alt_prevention", lang, period=period)
    read = df.iloc[::-1]
    drawn = Drawn(t("col_category", lang), list(read[f"label_{lang}"]),
                  {t("reach", lang): list(read.reach), t("col_events", lang): list(read.events)}, ordered=False)
    return frame(fig, title=t("title_prevention", lang, period=period), subtitle=t("subtitle_prevention", lang),
                 source=source, lang=lang, tpl=tpl, alt=alt, name="context_prevention", note=t("note_prevention", lang),
                 drawn=drawn)


def timeline_chart(df: pd.DataFrame, lang: str, *, source: str, tpl: str = "light") -> go.Figure:
    """The project's period and dated events on a time axis; its targets in the note line."""
    events = df[df.kind == "event"].sort_values("start", ascending=False)
    period = df[df.kind == "period"]
    fig = go.Figure()
    for r in period.itertuples():
        fig.add_vrect(x0=r.start, x1=r.end, fillcolor=theme.SEQUENTIAL[0], opacity=0.5, line_width=0,
                      annotation=dict(text=getattr(r, f"label_{lang}"), font=dict(size=12)),
                      annotation_position="top left")
    labels = [getattr(r, f"label_{lang}") for r in events.itertuples()]
    for r, label in zip(events.itertuples(), labels):
        fig.add_scatter(x=[r.start, r.end], y=[label, label], mode="lines+markers", showlegend=False,
                        line=dict(color=theme.BAR, width=6), marker=dict(size=9, color=theme.BAR),
                        hovertemplate=f"{label}: {r.start:%Y-%m-%d} – {r.end:%Y-%m-%d}<extra></extra>")
    span = pd.concat([df.start, df.end]).dropna()
    fig.update_xaxes(type="date", title=None, tickformat="%Y-%m",
                     range=[span.min() - pd.Timedelta(days=60), span.max() + pd.Timedelta(days=60)])
    fig.update_yaxes(title=None, categoryorder="array", categoryarray=labels)
    fig.update_layout(height=max(460, 30 * len(events) + 220))
    targets = df[df.kind == "target"]
    note = t("targets", lang) + ": " + "; ".join(getattr(r, f"label_{lang}") for r in targets.itertuples())
    alt = tn("alt_timeline", "n", lang, n=len(events))
    dates = lambda col: [f"{d:%Y-%m-%d}" if pd.notna(d) else None for d in col]  # noqa: E731
    drawn = Drawn(t("col_category", lang), list(reversed(labels)), {
        t("col_start", lang): dates(events.start[::-1]), t("col_end", lang): dates(events.end[::-1])}, ordered=False)
    years = lambda dates: numbers.period(int(dates.dt.year.min()), int(dates.dt.year.max()))  # noqa: E731
    whole = pd.concat([period.start, period.end]).dropna()
    dated = pd.concat([events.start, events.end]).dropna()
    return fit_categories(frame(fig, title=t("title_timeline", lang, period=years(whole)),
                                subtitle=t("subtitle_timeline", lang, years=years(dated)), source=source, lang=lang,
                                tpl=tpl, alt=alt, name=f"context_iom_project_{years(whole).replace('–', '-')}",
                                note=note, drawn=drawn), len(events), tpl)
