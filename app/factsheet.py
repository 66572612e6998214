"""Voivodeship fact sheets: the database at the time of export -> one A4 PDF page per voivodeship and language.

`facts()` computes every number and text of a sheet from the database (nothing about the data is written here: a
year added with `python -m etl update` flows in); `pdf()` draws its chart and locator map as vector SVG with kaleido
and lays the page out with Typst (app/templates/factsheet.typ) in the dashboard's fonts, embedded; `export_all()`
writes every sheet with a manifest (`python -m app.export --factsheets`).
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import threading
import time
import unicodedata
from pathlib import Path

import pandas as pd

from app import builds, data, export, figures, maps, numbers
from app.charts import quote
from app.i18n import fmt_int, fmt_pct, is_missing, t, tn

TEMPLATE = Path(__file__).resolve().parent / "templates" / "factsheet.typ"
# The dashboard's fonts (app.theme.FONT): Liberation Sans, and DejaVu Sans for any glyph it lacks, from Debian's
# fonts-liberation and fonts-dejavu-core. Typst searches only these folders (FACTSHEET_FONTS may name others,
# separated by ':'): no system font lookup and none of the fonts built into Typst, so a sheet is set in the same
# fonts on every machine, and a missing font is an error, not a silent substitute.
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"))
FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf", "DejaVuSans.ttf")
FONT_HINT = ("Install Debian's fonts (sudo apt-get install fonts-liberation fonts-dejavu-core) or set FACTSHEET_FONTS "
             "to folders holding Liberation Sans and DejaVu Sans.")
# Layout sizes (px) of the figures put on the sheet. The template scales each to its column, so these set the size
# of their text on paper: the chart is 182 mm wide, so its 15 px body text prints at about 7.7 pt.
CHART_SIZE = (1000, 500)
MAP_SIZE = (420, 400)
# Scales of the text and the chart tried in turn until the sheet fits on one page (a longer series, more caveats or
# more activity data would need the smaller ones); a sheet that fits none fails with SheetTooLong, naming it.
FITS = (1.0, 0.94, 0.88, 0.82)

_typst_lock = threading.Lock()  # one Typst compiler, reused (its font book is loaded once): not for two threads


def font_dirs() -> list[Path]:
    """The folders Typst may take fonts from: $FACTSHEET_FONTS, else FONT_DIRS."""
    env = os.environ.get("FACTSHEET_FONTS")
    return [Path(p) for p in env.split(os.pathsep) if p] if env else list(FONT_DIRS)


def check_fonts() -> list[Path]:
    """The font folders if they hold every file of FONT_FILES; ExportUnavailable with install advice if not."""
    dirs = font_dirs()
    missing = [f for f in FONT_FILES if not any((d / f).is_file() for d in dirs)]
    if missing:
        raise export.ExportUnavailable(f"fonts not found in {', '.join(map(str, dirs))}: {', '.join(missing)}. "
                                       f"{FONT_HINT}")
    return dirs


@functools.cache
def _compiler(dirs: tuple[Path, ...]):
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(d) for d in dirs])
    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=fonts, ignore_system_fonts=True)


# --- what the sheet says ---------------------------------------------------------------------------------------

def year_spans(years) -> str:
    """'2006–2008, 2011' for the years 2006, 2007, 2008, 2011 (consecutive years as one span)."""
    years = sorted(int(y) for y in years)
    spans: list[list[int]] = []
    for y in years:
        if spans and y == spans[-1][1] + 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return ", ".join(numbers.period(a, b) for a, b in spans)


def display_name(name_pl: str) -> str:
    """The voivodeship's name as a heading: 'Łódzkie', 'Kujawsko-pomorskie' (Polish capitalises the first word)."""
    return name_pl[:1].upper() + name_pl[1:]


def slug(name_pl: str) -> str:
    """An ASCII file-name part: 'łódzkie' -> 'lodzkie'."""
    folded = unicodedata.normalize("NFKD", name_pl.replace("ł", "l").replace("Ł", "L"))
    return re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode().lower()).strip("-")


def file_name(teryt: str, lang: str) -> str:
    """'factsheet_10_lodzkie_pl.pdf'."""
    name = data.voivodeship_names().set_index("teryt").name_pl[teryt]
    return f"factsheet_{teryt}_{slug(name)}_{lang}.pdf"


def _rate(v, lang: str, small: bool = False) -> str:
    """A rate per million as shown in the sheet's table ('–' when missing: the table's legend says 'no data')."""
    return numbers.label(v, lang, 1) + ("*" if small and not is_missing(v) else "")


def _source_line(meta: dict, lang: str, title_key: str = "title") -> str:
    """A full source line: publisher, title, publication, date, address, licence (the parts the record has)."""
    title = meta.get(f"{title_key}_en") if lang == "en" and meta.get(f"{title_key}_en") else meta.get(title_key)
    parts = [meta.get("publisher"), quote(title, lang) if title else None, meta.get("publication"),
             meta.get("date") or meta.get("published"), meta.get("url")]
    line = "; ".join(str(p) for p in parts if p and not is_missing(p))
    licence = meta.get("licence")
    return line + (f". {t('fs_licence', lang, licence=licence)}" if licence and not is_missing(licence) else "")


def _team(teryt: str, lang: str) -> dict:
    """What the sources say of the voivodeship's team: rows of (label, value), the quoted passage, or 'none'."""
    not_stated = t("fs_not_stated", lang)
    row = data.regional_team(teryt)
    if row is None:
        return {"rows": [[t("fs_founded", lang), not_stated], [t("fs_members", lang), not_stated]],
                "none": t("fs_team_none", lang), "quote": "", "quote_label": "", "source": None}
    value = lambda v: None if v is None or is_missing(v) or v == "" else v  # noqa: E731
    founded = not_stated
    if value(row["founded"]):
        founded = figures.team_date(row["founded"], lang)
        said = [quote(row["founded_published"], lang)] if value(row["founded_published"]) else []
        if value(row["order_published"]):
            said.append(t("fs_order", lang, text=quote(row["order_published"], lang)))
        if said:
            founded += f" ({t('fs_in_source', lang, text='; '.join(said))})"
    members = fmt_int(row["members"], lang) if value(row["members"]) is not None else not_stated
    rows = [[t("fs_founded", lang), founded], [t("fs_members", lang), members]]
    if value(row["activity"]):
        rows.append([t("fs_team_activity", lang), t("fs_in_source", lang, text=row["activity"])])
    source = {"publisher": row["source_publisher"], "title": row["source_title"], "date": row["source_published"],
              "url": row["source_url"], "licence": row["source_licence"]}
    return {"rows": rows, "none": "", "quote": quote(row["passage"], lang), "quote_label": t("fs_quote", lang),
            "source": source}


def _activity(teryt: str, lang: str) -> list[dict]:
    """The regional activity data in the database for this voivodeship (e.g. prevention counts), as small tables."""
    out = []
    for dataset, rows in data.regional_activity(teryt):
        meta = data.dataset(dataset)
        period = meta.get(f"period_{lang}") or meta.get("period_pl") or ""
        table = []
        for r in rows.itertuples():
            events = fmt_int(r.events, lang, missing="–")
            reach = ("~" if r.approx and not is_missing(r.reach) else "") + fmt_int(r.reach, lang, missing="–")
            table.append([getattr(r, f"label_{lang}"), events, reach])
        title = meta.get("title_en") if lang == "en" else meta.get("title")
        out.append({"title": f"{title} ({period})" if period and period not in title else title,
                    "columns": [t("fs_activity", lang), t("fs_events", lang), t("reach", lang)], "rows": table,
                    "note": t("fs_activity_note", lang, note=t("note_prevention", lang)), "dataset": dataset})
    return out


def _total_facts(totals: pd.DataFrame, teryt: str, period: str, lang: str) -> list[dict]:
    """The voivodeship's total over the period and its share of the country's."""
    total, national_total = totals.referrals[teryt], totals.referrals.dropna().sum()
    share = total / national_total if not is_missing(total) and national_total > 0 else None
    return [{"label": t("fs_total", lang, period=period), "value": fmt_int(total, lang),
             "detail": t("fs_total_detail", lang)},
            {"label": t("fs_share", lang), "value": fmt_pct(share, lang, 1),
             "detail": t("fs_share_detail", lang, total=fmt_int(national_total, lang))}]


def _rank_fact(totals: pd.DataFrame, teryt: str, lang: str) -> dict:
    """The rank among the voivodeships by count; equal totals share their places ('11–12', tied with ...)."""
    total, counted = totals.referrals[teryt], totals.referrals.dropna()
    if is_missing(total):
        return {"label": t("fs_rank", lang), "value": t("no_data", lang), "detail": ""}
    rank = int((counted > total).sum()) + 1
    same = (totals.referrals == total).fillna(False) & (totals.index != teryt)
    tied = sorted(totals.loc[same, f"name_{lang}"])
    value = t("fs_rank_value", lang, rank=f"{rank}–{rank + len(tied)}" if tied else str(rank), n=len(counted))
    detail = t("fs_rank_detail", lang) + ("; " + t("fs_tied", lang, names=", ".join(tied)) if tied else "")
    return {"label": t("fs_rank", lang), "value": value, "detail": detail}


def _peak_fact(one: pd.DataFrame, lang: str) -> dict:
    """The year or years with the most referrals."""
    known = one.dropna(subset=["referrals"])
    top = known.referrals.max() if len(known) else None
    if top is None or is_missing(top) or top == 0:
        return {"label": t("fs_peak", lang), "value": "–", "detail": t("fs_peak_none", lang)}
    peak = [int(y) for y in known.year[known.referrals == top]]
    count = tn("n_referrals", "n", lang, n=int(top))
    return {"label": t("fs_peak", lang), "value": ", ".join(map(str, peak)),
            "detail": count if len(peak) == 1 else t("fs_peak_each", lang, count=count)}


def _zero_fact(one: pd.DataFrame, lang: str) -> dict:
    """The years with no referral (0 as published), and those without a figure (no data: never counted as 0)."""
    zero = [int(y) for y in one.year[one.referrals == 0]]
    missing = [int(y) for y in one.year[one.referrals.isna()]]
    return {"label": t("fs_zero_years", lang), "value": year_spans(zero) if zero else "–",
            "detail": t("fs_no_data_years", lang, years=year_spans(missing)) if missing else
            ("" if zero else t("fs_zero_none", lang))}


def _rate_fact(totals: pd.DataFrame, national: pd.DataFrame, teryt: str, small_total: bool, lang: str) -> dict:
    """The average yearly rate beside the national one (both over the years that have population figures)."""
    rated = national.dropna(subset=["per_million"])
    national_rate = rated.referrals.sum() * 1e6 / rated.population.sum() if len(rated) else None
    return {"label": t("fs_rate", lang), "value": _rate(totals.per_million[teryt], lang, small_total),
            "detail": t("fs_rate_detail", lang, national=_rate(national_rate, lang))}


def _series_table(one: pd.DataFrame, national: pd.DataFrame, lang: str) -> dict:
    """The table under the chart: one column per year, the counts, the rate and the national rate."""
    rows = [[t("referrals", lang), *[fmt_int(v, lang, missing="–") for v in one.referrals]],
            [t("fs_row_rate", lang), *[_rate(v, lang, numbers.small(n)) for v, n in zip(one.per_million,
                                                                                         one.referrals)]],
            [t("fs_row_national", lang), *[_rate(national.per_million.get(y), lang) for y in one.year]]]
    return {"header": [t("year", lang), *map(str, one.year)], "rows": rows, "legend": t("fs_table_legend", lang)}


def _caveats(one: pd.DataFrame, small_total: bool, first: int, last: int, name_pl: str, lang: str) -> list[str]:
    """The caveats that apply to this sheet: the series', the gaps', small counts, breaks, missing population."""
    caveats = [t("victims_caveat", lang),
               t("referrals_caveat", lang, coverage=figures.series_caveat("programme_referrals", lang))]
    caveats += [f"{said} {t('fs_gap_effect', lang)}" for said in figures.referral_mismatches(lang, first, last)]
    if any(numbers.small(n) for n in one.referrals) or small_total:
        caveats.append(tn("fs_small_counts", "n", lang, n=numbers.SMALL_COUNT))
    for n in data.series_notes("population", "break").itertuples():
        if first <= n.first_year and n.last_year <= last:
            caveats.append(t("fs_rate_break", lang, what=display_name(getattr(n, f"label_{lang}"))))
    no_population = data.population_gaps(first, last)
    if no_population:
        caveats.append(t("rate_without_population", lang, years=", ".join(map(str, no_population))))
    notes = data.annotations("programme_referrals")
    for a in notes[notes.key == name_pl].itertuples():
        caveats.append(t("fs_annotation", lang, year=a.column, text=quote(a.published, lang), counted=a.counted))
    return [re.sub(r"\.\.$", ".", c) for c in caveats]


def _sources(team: dict, activity: list[dict], lang: str) -> list[list[str]]:
    """The source lines: referrals and population (with their updates), the team, the activity data, the map."""
    sources = []
    for label, name in ((t("referrals", lang), "programme_referrals"), (t("fs_src_population", lang), "population")):
        # the first publication (if the sheet draws any of its rows) and every update whose rows it draws
        ids = set(data.source_ids(name))
        updates = data.update_sources(name, ids)
        if ids - {u["source_id"] for u in updates}:
            sources.append([label, _source_line(data.dataset(name), lang)])
        sources += [[label, _source_line(u, lang)] for u in updates]
    if team["source"]:
        sources.append([t("fs_src_team", lang), _source_line(team["source"], lang)])
    sources += [[t("fs_src_activity", lang), _source_line(data.dataset(a["dataset"]), lang)] for a in activity]
    sources.append([t("fs_src_map", lang), t("fs_map_source", lang)])
    return sources


def facts(teryt: str, lang: str) -> dict:
    """Every number and text of one sheet, computed from the database now (the template only lays them out)."""
    rows = data.referrals_by_year()
    years = sorted(int(y) for y in rows.year.unique())
    first, last = years[0], years[-1]
    period = numbers.period(first, last)
    names = data.voivodeship_names().set_index("teryt")
    name_pl, name_en = names.name_pl[teryt], names.name_en[teryt]
    one = rows[rows.id == teryt].sort_values("year")
    national = data.national_referrals().set_index("year")
    totals = data.referrals_in_range(first, last).set_index("id")
    total = totals.referrals[teryt]
    small_total = numbers.small(totals.rate_referrals[teryt])
    team = _team(teryt, lang)
    activity = _activity(teryt, lang)
    info = data.build_info()
    built = pd.Timestamp(info["built_at"])
    return {
        "lang": lang, "teryt": teryt, "name_pl": name_pl, "name": display_name(name_pl),
        "title": t("fs_page_title", lang, name=display_name(name_pl)), "kicker": t("fs_kicker", lang),
        "subtitle": t("fs_subtitle", lang, name=name_pl, name_en=name_en, period=period),
        "facts": [*_total_facts(totals, teryt, period, lang), _rank_fact(totals, teryt, lang), _peak_fact(one, lang),
                  _zero_fact(one, lang), _rate_fact(totals, national, teryt, small_total, lang)],
        "table": _series_table(one, national, lang),
        "team": {**{k: v for k, v in team.items() if k != "source"}, "heading": t("fs_team_heading", lang)},
        "activity": {"heading": t("fs_activity_heading", lang), "tables": [
            {k: v for k, v in a.items() if k != "dataset"} for a in activity], "none": "" if activity else
            t("fs_activity_none", lang)},
        "caveats_heading": t("fs_caveats", lang), "caveats": _caveats(one, small_total, first, last, name_pl, lang),
        "sources_heading": t("sources", lang), "sources": _sources(team, activity, lang),
        "footer": t("fs_footer", lang, when=f"{built:%Y-%m-%d %H:%M}", version=info["etl_version"],
                    sha=info["inputs_sha256"][:12]),
        "app": t("app_title", lang), "built_at": built.floor("s").tz_localize("UTC").to_pydatetime(),  # build_info is UTC
        "total": None if is_missing(total) else int(total),
    }


# --- drawing ---------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _map_svg(build: Path | None, teryt: str) -> str:
    """The locator map as SVG, once per build and voivodeship (it has no text, so both languages share it)."""
    return export.draw(maps.locator_map(teryt), "svg", *MAP_SIZE).decode("utf-8")


@functools.lru_cache(maxsize=64)
def _chart_svg(build: Path | None, teryt: str, lang: str) -> str:
    return export.draw(export.for_export(figures.factsheet_chart(lang, teryt)), "svg", *CHART_SIZE).decode("utf-8")


def chart_svg(teryt: str, lang: str) -> str:
    """The sheet's chart as SVG (vector: it prints sharp), once per build, voivodeship and language."""
    return _chart_svg(builds.build_path(), teryt, lang)


def pdf(teryt: str, lang: str) -> bytes:
    """One voivodeship's fact sheet as a PDF (A4 portrait), from the database as it is now."""
    dirs = check_fonts()
    export.check_browser()
    sheet = facts(teryt, lang)
    built = sheet.pop("built_at")
    inputs = {"data": json.dumps(sheet, ensure_ascii=False), "chart": chart_svg(teryt, lang),
              "map": _map_svg(builds.build_path(), teryt)}
    with _typst_lock:
        for fit in FITS:  # a sheet with more to say (more years, caveats, activity) is set a little smaller
            # the PDF's creation date is the build's: the same database gives the same file
            out = _compiler(tuple(dirs)).compile(format="pdf", sys_inputs={**inputs, "fit": str(fit)},
                                                 timestamp=built)
            if pages(out) == 1:
                break
        else:  # the promise is one page: a sheet that spills over at the smallest scale is an error, not a file
            raise SheetTooLong(f"the fact sheet of {sheet.get('name', teryt)} ({teryt}, {lang}) does not fit on one A4 "
                               f"page even at {min(FITS):.0%} of its size ({pages(out)} pages)")
    return out


class SheetTooLong(RuntimeError):
    """A fact sheet that does not fit on one page at any of FITS."""


def pages(pdf_bytes: bytes) -> int:
    """The number of pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)


def export_all(out: Path, langs: list[str]) -> tuple[list[dict], list[str]]:
    """Write every voivodeship's sheet in every language to `out` with manifest.json; return it and the failures."""
    builds.ensure_database()
    check_fonts()
    export.check_browser()
    build = data.build_stamp()
    out.mkdir(parents=True, exist_ok=True)
    manifest, failed = [], []
    names = data.voivodeship_names()
    for lang in langs:
        for v in names.itertuples():
            name = file_name(v.teryt, lang)
            start = time.perf_counter()
            try:
                sheet = pdf(v.teryt, lang)
            except export.ExportUnavailable:
                raise
            except Exception as exc:  # one bad sheet must not hide the others
                failed.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            (out / name).write_bytes(sheet)
            manifest.append({"file": name, "voivodeship": v.name_pl, "teryt": v.teryt, "language": lang,
                             "pages": pages(sheet), "bytes": len(sheet),
                             "seconds": round(time.perf_counter() - start, 3), "build": build})
    (out / "manifest.json").write_text(json.dumps({"build": build, "factsheets": manifest}, ensure_ascii=False,
                                                  indent=1), encoding="utf-8")
    return manifest, failed
