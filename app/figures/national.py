"""Every official count of victims side by side (with who each counts and its source, never added to another), who
the victims were, offences and proceedings by each source with their disagreements marked, single figures, what the
sources say only in words, and the Overview's latest tiles. A series added by `python -m etl update` appears here
with no change of code: which indicator is a count of victims comes from the relation `indicators`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import data
from app.cache import cached, per_build
from app.charts import national as charts
from app.figures.indicators import (ASSISTANCE, CITIZENSHIP, EXPLOITATION, JUSTICE, KCIK, PROGRAMME, VICTIMS,
                                    WITNESS, breakdown_label, described, indicator_label, national_source,
                                    not_programme, series, shown, who_is_counted)
from app.figures.indicators import latest_year  # noqa: F401 - the page asks for it here
from app.i18n import t
from app.numbers import period

# The breakdowns of a count's profile (who the victims were), in the order the figure draws them.
PROFILE = (("citizenship", lambda b: b == "polish" or b.startswith(CITIZENSHIP)),
           ("age", lambda b: b in ("minors", "adults")),
           ("exploitation", lambda b: b.startswith(EXPLOITATION)))


PART_ONLY = ("female_adult", "male_adult")  # cover part of a total, not a sex split: stated, never drawn


def victim_counts() -> pd.DataFrame:
    """Every yearly count of victims: the Programme's enrolments and each indicator of topic 'victims' (its totals),
    one row per series, year and source (indicator, year, value, qualifier, bound, value_as_published, source_id,
    also_in, note). A year a series has no figure for has no row (a gap)."""
    prog = data.victims()
    prog = prog[prog.total.notna()]
    programme = pd.DataFrame({"indicator": PROGRAMME, "year": prog.year.astype(int), "value": prog.total,
                              "qualifier": None, "bound": None,
                              "value_as_published": prog.total.astype(int).astype(str),
                              "source_id": prog.source_id, "also_in": None, "note": prog.note})
    national = data.national_topic(VICTIMS)[list(programme.columns)]
    return pd.concat([programme, national], ignore_index=True)


def victim_series(rows: pd.DataFrame | None = None) -> list[str]:
    """The series in the order they are drawn: the Programme first, then in the indicators' order."""
    rows = victim_counts() if rows is None else rows
    position = described().position
    return sorted(set(rows.indicator), key=lambda n: (n != PROGRAMME, position.get(n, 0), n))


def _low_high(r) -> tuple[float, float]:
    if r.qualifier == "<":
        return 0, r.bound - 1
    if r.qualifier == ">":
        return r.bound + 1, float("inf")
    return r.value, r.value


def victims_range(lang: str) -> str | None:
    """For the latest year with at least two series, the range of the published counts and which series says what
    ("In 2022 the published counts of victims range from 141 to 277 depending on who counts: ...")."""
    rows = victim_counts()
    years = rows.groupby("year").indicator.nunique()
    years = years[years >= 2]
    if years.empty:
        return None
    year = int(years.index.max())
    this = rows[rows.year == year].drop_duplicates(["indicator", "value_as_published"])
    spans = [(r, *_low_high(r)) for r in this.itertuples()]
    low = min(spans, key=lambda s: s[1])[0]
    high = max(spans, key=lambda s: s[2])[0]
    said = "; ".join(f"{indicator_label(r.indicator, lang)} {shown(r, lang)} ({r.source_id})"
                     for r, *_ in sorted(spans, key=lambda s: (s[1], s[2])))
    return t("victims_range", lang, year=year, low=shown(low, lang), high=shown(high, lang), series=said)


@cached
def national_victims(lang: str, tpl: str = "light") -> go.Figure:
    """Every count of victims per year, one line each with who it counts; a bound drawn as a bound, gaps as gaps."""
    rows = victim_counts()
    order = victim_series(rows)
    first, last = int(rows.year.min()), int(rows.year.max())
    rows = rows.assign(shown=[shown(r, lang) for r in rows.itertuples()])
    programme = rows[rows.indicator == PROGRAMME]
    sources = [data.cite("programme_victims", programme.source_id, lang)] if len(programme) else []
    source = "; ".join(sources + [national_source(rows[rows.indicator != PROGRAMME])])
    return charts.victim_counts_chart(
        rows, lang, labels={n: indicator_label(n, lang) for n in order},
        title=t("title_national_victims", lang, n=len(order)),
        subtitle=t("subtitle_national", lang, unit=t("persons_per_year", lang), period=period(first, last)),
        source=source, note=" ".join([who_is_counted(order, lang), t("never_added", lang)]),
        alt=victims_range(lang) or "", name=f"national_victims_{first}-{last}", tpl=tpl)


def victim_counts_table(lang: str) -> pd.DataFrame:
    """Each value of the victims figure with its source: series, year, value as published, source, also in, note."""
    rows = victim_counts()
    order = {n: i for i, n in enumerate(victim_series(rows))}
    rows = rows.assign(o=rows.indicator.map(order)).sort_values(["year", "o", "source_id"])
    return pd.DataFrame({
        t("col_series", lang): [indicator_label(n, lang) for n in rows.indicator],
        t("year", lang): rows.year.astype(int).astype(str),
        t("col_value", lang): [shown(r, lang) for r in rows.itertuples()],
        t("col_source", lang): rows.source_id,
        t("col_also_in", lang): rows.also_in.fillna(""),
        t("col_note", lang): rows.note.fillna(""),
    })


def profile_indicator() -> str | None:
    """The count of victims (topic 'victims') that says most about who the victims were: the one broken down into
    the most of citizenship, age (adults as well as minors) and type of exploitation (KCIK's own breakdowns have
    charts of their own); None if no count is."""
    rows = data.national_topic(VICTIMS, breakdown=None)
    rows = rows[(rows.indicator != KCIK) & (rows.breakdown != "minors")]  # minors alone is no age profile
    groups = {n: {g for b in g_rows.breakdown for g, belongs in PROFILE if belongs(b)}
              for n, g_rows in rows.groupby("indicator", sort=False)}
    ranked = sorted((n for n in groups if groups[n]), key=lambda n: -len(groups[n]))  # stable: position order
    return ranked[0] if ranked else None


def profile_rows(indicator: str) -> pd.DataFrame:
    """The breakdowns of the years in which the indicator gives citizenships, adults or types of exploitation:
    indicator, year, group (citizenship / age / exploitation), breakdown, value, qualifier, bound, as published."""
    rows = data.national(indicator)
    rich = rows[rows.breakdown.str.startswith((CITIZENSHIP, EXPLOITATION)) | (rows.breakdown == "adults")]
    rows = rows[rows.year.isin(set(rich.year))].copy()
    rows["group"] = [next((g for g, f in PROFILE if f(b)), None) for b in rows.breakdown]
    return rows


@cached
def national_profile(lang: str, tpl: str = "light") -> go.Figure | None:
    """Who the victims of a count were in the years it says: citizenship (own country first), age, type of
    exploitation; '<5' written, never a bar length; the partial sex cells stated, not drawn."""
    indicator = profile_indicator()
    if indicator is None:
        return None
    rows = profile_rows(indicator)
    years = sorted(int(y) for y in rows.year.unique())
    totals = rows[rows.breakdown == "total"].set_index("year")
    drawn = rows[rows.group.notna()].copy()
    drawn["label"] = [breakdown_label(b, lang) for b in drawn.breakdown]
    drawn["shown"] = [shown(r, lang) for r in drawn.itertuples()]
    parts = rows[rows.breakdown.isin(PART_ONLY)]
    part_note = t("profile_partial", lang, cells="; ".join(
        f"{y}: " + ", ".join(f"{breakdown_label(r.breakdown, lang)} {shown(r, lang)}" for r in g.itertuples())
        for y, g in parts.groupby("year"))) if len(parts) else ""
    span = period(years[0], years[-1])
    total_text = ", ".join(f"{y}: {shown(r, lang)}" for y, r in totals.iterrows())
    left = " ".join(t("profile_left_out", lang, group=t(f"profile_{g}", lang), years=", ".join(map(str, ys)))
                    for g, ys in left_out(indicator).items())
    return charts.profile_chart(
        drawn, lang, years=years, groups=[g for g, _ in PROFILE], labels={g: t(f"profile_{g}", lang) for g, _ in PROFILE},
        title=t("title_profile", lang, label=indicator_label(indicator, lang), period=span),
        subtitle=t("subtitle_profile", lang, totals=total_text),
        source=national_source(rows), note=" ".join(p for p in (t("profile_small", lang), part_note, left,
                                                                 who_is_counted([indicator], lang)) if p),
        alt=t("alt_profile", lang, label=indicator_label(indicator, lang), period=span),
        name=f"national_profile_{indicator}_{period(years[0], years[-1], '-')}", tpl=tpl)


def left_out(indicator: str) -> dict[str, list[int]]:
    """The profile's groups whose parts the build left out of a count, by year: UNODC's file giving more by those
    parts than in all (data_quality 'national_left_out', key '<indicator> <year> <group>_sum')."""
    found = data.data_quality()
    found = found[(found.check_name == "national_left_out") & found.key.str.startswith(f"{indicator} ")]
    out: dict[str, list[int]] = {}
    for _, year, check in sorted(k.split(" ") for k in found.key):
        group = check.removesuffix("_sum")
        if group in dict(PROFILE):
            out.setdefault(group, []).append(int(year))
    return out


def justice_rows() -> pd.DataFrame:
    """The totals of the justice indicators with at least two published years, in table order: each national
    indicator followed by those of other sources that read as the same measure (indicators.same_as)."""
    return series(JUSTICE)


def justice_order(rows: pd.DataFrame) -> list[str]:
    names = list(dict.fromkeys(rows.indicator))
    same = described().same_as
    heads = [n for n in names if not isinstance(same.get(n), str) or same.get(n) not in names]
    order = []
    for head in heads:
        order += [head] + [n for n in names if same.get(n) == head]
    return order


def disagreements(lang: str) -> list[dict]:
    """Every year in which two sources give different values for what reads as the same measure: the same indicator
    from two sources (investigations 2017: 135 vs 126), or two indicators linked by indicators.same_as (UNODC's
    offences vs the police's recorded offences). Each: label, year, indicators and the values with their sources."""
    rows = justice_rows()
    same = described().same_as
    out = []
    for (indicator, year), group in rows.groupby(["indicator", "year"], sort=True):
        if group.value_as_published.nunique() > 1:
            out.append({"indicators": [indicator], "year": int(year), "rows": group})
    for indicator, other in same.dropna().items():
        a, b = rows[rows.indicator == indicator], rows[rows.indicator == other]
        for year in sorted(set(a.year) & set(b.year)):
            pair = pd.concat([b[b.year == year], a[a.year == year]])
            if pair.value_as_published.nunique() > 1:
                out.append({"indicators": [other, indicator], "year": int(year), "rows": pair})
    for d in out:
        d["text"] = f"{d['year']}: " + " / ".join(f"{indicator_label(r.indicator, lang)} {shown(r, lang)} "
                                                  f"({r.source_id})" for r in d["rows"].itertuples())
    return sorted(out, key=lambda d: (d["year"], d["indicators"]))


@cached
def national_justice(lang: str, tpl: str = "light") -> go.Figure:
    """Offences, investigations, prosecutions and convictions of every source as a compact table: "no data" where
    nothing was published; where two sources disagree on what reads as the same measure, both values, marked."""
    rows = justice_rows()
    order = justice_order(rows)
    labels = {n: indicator_label(n, lang) for n in order}
    units = described()[f"unit_{lang}"]
    marked = {(n, d["year"]) for d in disagreements(lang) for n in d["indicators"]}
    cells = []
    for (indicator, year), group in rows.groupby(["indicator", "year"]):
        group = group.drop_duplicates("value_as_published")
        texts = [shown(r, lang) for r in group.itertuples()]
        parts = ", ".join(f"{x} ({r.source_id})" for x, r in zip(texts, group.itertuples()))
        text = " / ".join(texts) + ("*" if (indicator, year) in marked else "")
        hover = f"{labels[indicator]}, {year}: {parts} ({units[indicator]})"
        if (indicator, year) in marked:  # both values and both sources, whichever of the two cells is pointed at
            hover += " – " + t("conflicting_sources", lang) + ": " + "; ".join(
                d["text"] for d in disagreements(lang) if d["year"] == year and indicator in d["indicators"])
        exact = len(group) == 1 and pd.notna(group.value.iloc[0]) and (indicator, year) not in marked
        cells.append({"indicator": indicator, "year": int(year), "state": 2 if (indicator, year) in marked else 1,
                      "text": text, "hover": hover,
                      "value": int(group.value.iloc[0]) if exact else text})  # the table: a number or the text
    cells = pd.DataFrame(cells)
    first, last = int(cells.year.min()), int(cells.year.max())
    found = disagreements(lang)
    note = " ".join([t("justice_disagree", lang, values="; ".join(d["text"] for d in found)) if found else "",
                     t("justice_rule_short", lang), who_is_counted(order, lang), not_programme(lang)])
    return charts.justice_chart(
        cells, lang, rows=labels, title=t("title_justice", lang),
        subtitle=t("subtitle_justice", lang, period=period(first, last)), source=national_source(rows), note=note,
        alt=t("alt_justice", lang, period=period(first, last)), name=f"national_justice_{first}-{last}", tpl=tpl)


def facts(lang: str) -> list[dict]:
    """The figures of indicators published for one year only (not a series: stated, not drawn), latest first:
    label, year, the value with its unit, the sources and the note as in the data."""
    rows = pd.concat([data.national_topic(topic) for topic in (ASSISTANCE, JUSTICE)], ignore_index=True)
    years = rows.groupby("indicator").year.nunique()
    rows = rows[rows.indicator.isin(years[years == 1].index) & (rows.indicator != WITNESS)]
    units = described()[f"unit_{lang}"]
    out = []
    for r in rows.sort_values(["year", "indicator"], ascending=[False, True]).itertuples():
        unit = units[r.indicator]
        value = shown(r, lang) + (("%" if lang == "en" else "\u00a0%") if unit == "%" else f" {unit}")
        out.append({"label": indicator_label(r.indicator, lang), "year": int(r.year), "value": value,
                    "sources": " ".join(x for x in (r.source_id, r.also_in) if isinstance(x, str)),
                    "note": r.note if isinstance(r.note, str) else ""})
    return out


def in_words(lang: str) -> list[dict]:
    """What the sources of the latest year's figures say only in words (their caveats in the sources relation):
    quoted with the source, never drawn."""
    latest = int(pd.concat([data.national_topic(tp) for tp in (VICTIMS, ASSISTANCE, JUSTICE)]).year.max())
    rows = pd.concat([data.national_topic(tp) for tp in (VICTIMS, ASSISTANCE, JUSTICE)])
    ids = sorted(set(rows[rows.year == latest].source_id))
    sources = data.sources().set_index("source_id")
    return [{"source_id": sid, "publisher": sources.loc[sid, "publisher"], "title": sources.loc[sid, "title"],
             "words": sources.loc[sid, "caveats"], "year": latest} for sid in ids if sid in sources.index]


def latest_tiles(lang: str) -> list[dict]:
    """The Overview's "latest published" figure of every count of victims: label with the year, the value (a bound
    as a bound, both values where sources disagree) and what is counted, the source, and that it is not the
    Programme."""
    d = described()
    tiles = []
    for name in victim_series(data.national_topic(VICTIMS)):
        latest = data.latest_national(name)
        tiles.append({"indicator": name, "year": latest["year"],
                      "label": t("tile_latest", lang, label=indicator_label(name, lang), year=latest["year"]),
                      "value": " / ".join(shown(r, lang) for r in latest["rows"].itertuples()),
                      "help": t("tile_help", lang, counts=d.loc[name, f"counts_{lang}"],
                                sources=", ".join(latest["sources"]))})
    return tiles


def witness_footnote(lang: str) -> str | None:
    """The figure of people who joined the witness and victim protection programme, as a footnote: never a
    point of any series (the source does not name the Programme). None if the data hold no such figure."""
    rows = data.national(WITNESS)
    if rows.empty:
        return None
    first, last = data.programme_period()
    why = described().loc[WITNESS, f"population_{lang}"]
    return " ".join(t("witness_footnote", lang, year=int(r.year), n=shown(r, lang), source=r.source_id,
                      why=why, first=first, last=last) for r in rows.itertuples())


@per_build  # hundreds of published figures labelled and formatted: once per build, not on every click
def provenance(lang: str) -> pd.DataFrame:
    """Every figure the page draws or cites, as published, with its source, the sources that repeat it and the
    source's note."""
    rows = pd.concat([data.national_topic(tp, breakdown=None) for tp in (VICTIMS, ASSISTANCE, JUSTICE)],
                     ignore_index=True).sort_values(["year", "indicator", "breakdown", "source_id"])
    return pd.DataFrame({
        t("col_indicator", lang): [indicator_label(n, lang) for n in rows.indicator],
        t("year", lang): rows.year.astype(int).astype(str),
        t("col_breakdown", lang): [breakdown_label(b, lang) for b in rows.breakdown],
        t("col_value", lang): [shown(r, lang) for r in rows.itertuples()],
        t("col_source", lang): rows.source_id,
        t("col_also_in", lang): rows.also_in.fillna(""),
        t("col_note", lang): rows.note.fillna(""),
    })
