"""Measurements into the plain-text tables the benchmark prints: per page, the grown build, every target's verdict."""

from __future__ import annotations

from bench.pages import failures

KB = 1000
# Upper limits: a measurement PASSes if it is at most its limit (1 KB = 1000 B).
TARGETS = {"page_ratio": 1.25, "etl_inprocess_s": 1.5, "png_warm_s": 0.5, "png_batch_s": 20.0,
           "grown_ratio": 1.25, "grown_etl_ratio": 2.0, "dry_run_s": 2.0,
           "page_bytes": 300 * KB, "voivodeships_geojson": 60 * KB, "countries_geojson": 400 * KB, "rss_mb": 350.0,
           "factsheet_page_s": 3.0, "factsheet_batch_s": 60.0}


def verdict(value, limit) -> str:
    """PASS / MISS against a limit (never enforced: the exit code ignores it)."""
    return "n/a" if value is None else "PASS" if value <= limit else "MISS"


def _fmt(v, spec):
    return "-" if v is None else format(v, spec)


def traces(probe: dict) -> int:
    """Plotly traces over all of a probed page's charts."""
    return sum(c.get("traces") or 0 for c in probe["charts"])


def grown_table(b: dict, grown: dict | None = None) -> list[str]:
    """Per page, the real build (8 years) against the grown one (20): time to charts drawn, ratios, what is sent."""
    fixed = b["fixed"]["charts_ms"]
    years = f"{grown['years'][0]}-{grown['years'][1]}, INVENTED {grown['invented'][0]}-{grown['invented'][1]}" \
        if grown else "the grown build"
    lines = [f"Grown data: 8 vs 20 years ({years}); the fixed floor {_fmt(fixed, '.0f')} ms",
             f"{'page':11s} {'charts':>7s} {'8y ms':>7s} {'20y ms':>7s} {'20/8':>5s}  {'/fixed':>6s} "
             f"{'traces':>7s} {'ws KB 8':>7s} {'ws KB 20':>8s} {'total KB 20':>11s} {'fails':>5s}"]
    for name, r in b["pages"].items():
        g = r["grown_probe"]
        lines.append(f"{name:11s} {str(r['expect']) + '/' + str(r['grown_expect']):>7s} {_fmt(r['page_charts_ms'], '7.0f')} "
                     f"{_fmt(r['grown_charts_ms'], '7.0f')} {_fmt(r['grown_ratio'], '5.2f')}  "
                     f"{_fmt(r['grown_fixed_ratio'], '6.2f')} {str(traces(r['probe'])) + '/' + str(traces(g)):>7s} "
                     f"{r['probe']['ws_bytes'] / KB:7.1f} {g['ws_bytes'] / KB:8.1f} {g['total_bytes'] / KB:11.1f} "
                     f"{r['page_failed'] + r['grown_failed']:>5d}")
        if r["grown_kinds"] != r["kinds"]:
            lines.append(f"  ! with 20 years the page draws {r['grown_kinds']}, with 8 {r['kinds']}")
    return lines


def work_table(b: dict) -> list[str]:
    """The browser's main-thread work per load (Chromium's Performance metrics, medians): where drawing goes."""
    lines = [f"{'browser work, ms':17s} {'script':>11s} {'layout':>9s} {'style':>9s} {'task':>11s}   (page / its floor)"]
    for name, r in list(b["pages"].items()) + [("fixed floor", {"page_work_ms": b["fixed"].get("work_ms", {})})]:
        page, floor = r.get("page_work_ms") or {}, r.get("floor_work_ms") or {}
        cell = lambda k: f"{page[k]:.0f}" + (f"/{floor[k]:.0f}" if k in floor else "") if k in page else "-"  # noqa: E731
        lines.append(f"{name:17s} " + " ".join(f"{cell(k):>{w}s}" for k, w in (("script", 11), ("layout", 9), ("style", 9), ("task", 11))))
    return lines


def table(res: dict) -> str:
    """The results as plain-text tables: per page, the grown run if any, then every target."""
    b = res["browser"]
    fixed = b["fixed"]
    lines = [f"{'page':11s} {'charts':>6s} {'page ms':>8s} {'floor ms':>8s} {'ratio':>6s} {'/fixed':>6s}  {'idle ms':>7s} "
             f"{'floor':>6s} {'ws KB':>6s} {'http KB':>7s} {'topo KB':>7s} {'total KB':>8s} {'fails':>5s}"]
    rows = []
    for name, r in b["pages"].items():
        p = r["probe"]
        lines.append(f"{name:11s} {r['expect']:>6d} {_fmt(r['page_charts_ms'], '8.0f')} {_fmt(r['floor_charts_ms'], '8.0f')} "
                     f"{_fmt(r['ratio'], '6.2f')} {_fmt(r['fixed_ratio'], '6.2f')}  {_fmt(r['page_idle_ms'], '7.0f')} "
                     f"{_fmt(r['floor_idle_ms'], '6.0f')} {p['ws_bytes'] / KB:6.1f} {p['http_other_bytes'] / KB:7.1f} "
                     f"{p['topojson_bytes'] / KB:7.1f} {p['total_bytes'] / KB:8.1f} {failures(r):>5d}")
        if "floor_probe" not in r:
            lines.append(f"  ! no floor for {name}: add it to bench/floor/charts.py PAGES")
        elif r["kinds"] != r["floor_kinds"]:
            lines.append(f"  ! the floor draws {r['floor_kinds']}, the page {r['kinds']}")
        rows.append((f"{name}: charts drawn / its floor (median ratio)", r["ratio"], TARGETS["page_ratio"], ".2f", "x"))
    lines.append(f"{'fixed floor':11s} {len(fixed['probe']['charts']):>6d} {_fmt(fixed['charts_ms'], '8.0f')}"
                 f"{'':25s}{_fmt(fixed['idle_ms'], '7.0f')}{'':8s}{fixed['probe']['ws_bytes'] / KB:6.1f} "
                 f"{fixed['probe']['http_other_bytes'] / KB:7.1f} {fixed['probe']['topojson_bytes'] / KB:7.1f} "
                 f"{fixed['probe']['total_bytes'] / KB:8.1f} {fixed['failed']:>5d}   "
                 f"(one bar chart, one 16-region map; median of {fixed['loads']} loads)")
    lines += [""] + work_table(b)
    rows += [(f"{name}: charts drawn / the fixed floor", r["fixed_ratio"], TARGETS["page_ratio"], ".2f", "x")
             for name, r in b["pages"].items()]
    grown = res.get("grown")
    if "grown_runs" in next(iter(b["pages"].values())):
        lines += [""] + grown_table(b, grown)
        rows += [(f"{name}: 20 years / 8 years (charts drawn, median ratio)", r["grown_ratio"], TARGETS["grown_ratio"],
                  ".2f", "x") for name, r in b["pages"].items()]
    rows += [(f"{name}: bytes beyond Streamlit's bundle", r["probe"]["total_bytes"] / KB, TARGETS["page_bytes"] / KB,
              ".1f", " KB") for name, r in b["pages"].items()]
    if "etl" in res:
        e, g = res["etl"], res["geojson_bytes"]
        rows += [("ETL full build, in-process (median)", e["inprocess_s"], TARGETS["etl_inprocess_s"], ".2f", " s"),
                 ("ETL full build, `python -m etl` (median)", e["command_s"], None, ".2f", " s")]
    if grown:
        ge, dr = grown["etl"], grown["dry_run"]
        rows += [(f"ETL in-process, 8 years (median, interleaved; CPU {ge['cpu_s']['8']:.2f} s)", ge["inprocess_s"]["8"],
                  None, ".2f", " s"),
                 (f"ETL in-process, 20 years, {grown['update_files']} update files (CPU {ge['cpu_s']['20']:.2f} s)",
                  ge["inprocess_s"]["20"], None, ".2f", " s"),
                 (f"ETL 20 years / 8 years (CPU time ratio {ge['cpu_ratio']:.2f})", ge["ratio"],
                  TARGETS["grown_etl_ratio"], ".2f", "x"),
                 (f"`etl update --dry-run` of {dr['year']} on 20 years, command (CPU {dr['command_cpu_s']:.2f} s)",
                  dr["command_s"], TARGETS["dry_run_s"], ".2f", " s"),
                 ("`etl update --dry-run`, the same in-process (after imports)", dr["inprocess_s"], None, ".2f", " s")]
    if "png" in res:
        rows += [("PNG per figure, warm kaleido (slowest figure's median)", res["png"]["warm_max_s"], TARGETS["png_warm_s"],
                  ".2f", " s"),
                 (f"PNG first call, fresh process ({res['png']['cold_figure']})", res["png"]["cold_first_s"], None, ".2f", " s"),
                 (f"PNG batch export ({res['png']['batch_files']} files, median)", res["png"]["batch_s"],
                  TARGETS["png_batch_s"], ".1f", " s"),
                 ("geo/voivodeships.geojson", g.get("voivodeships.geojson", 0) / KB, TARGETS["voivodeships_geojson"] / KB,
                  ".1f", " KB"),
                 ("geo/countries.geojson", g.get("countries.geojson", 0) / KB, TARGETS["countries_geojson"] / KB, ".1f",
                  " KB")]
    if "factsheets" in res:
        f = res["factsheets"]
        rows += [("Fact sheet as from the page, warm renderer (median)", f["page_s"], TARGETS["factsheet_page_s"], ".2f",
                  " s"),
                 ("Fact sheet, first in a fresh process (starts Chromium)", f["cold_first_s"], None, ".2f", " s"),
                 (f"Fact sheets in batch, warm renderer ({f['batch_files']} PDFs)", f["batch_s"],
                  None if f["smoke"] else TARGETS["factsheet_batch_s"], ".1f", " s")]
        if "command_s" in f:
            rows.append(("Fact sheets, `python -m app.export --factsheets --lang all` (command)", f["command_s"], None,
                         ".1f", " s"))
    if b["mem_loads"]:
        rows.append((f"server RSS after {b['mem_loads']} page loads (start {b['rss_start_mb']:.0f} MB)",
                     b["rss_at_mem_loads_mb"], TARGETS["rss_mb"], ".0f", " MB"))
    lines += ["", f"{'measure':72s} {'value':>10s} {'target':>10s}  result"]
    for label, value, limit, spec, unit in rows:
        shown = "-" if value is None else format(value, spec) + unit
        lines.append(f"{label:72s} {shown:>10s} {'' if limit is None else '<= ' + format(limit, spec) + unit:>10s}  "
                     f"{'' if limit is None else verdict(value, limit)}")
    return "\n".join(lines)
