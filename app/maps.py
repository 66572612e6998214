"""Boundary loading and choropleth builders (voivodeships, European countries), offline."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.subplots import make_subplots
from shapely.geometry import mapping, shape

from app import palette, theme
from app.charts import SOURCE_WRAP, frame, sequential_scale
from app.describe import Drawn
from app.i18n import t, tn
from app.numbers import in_class, label, shown

GEO = Path(__file__).resolve().parents[1] / "geo"
# plotly.js loads <topojsonURL>world_110m.json for every geo subplot, even with our own GeoJSON:
# Streamlit serves static/ at app/static/ (server.enableStaticServing).
TOPOJSON_URL = "app/static/"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
EUROPE_BOX = (-25.0, 33.0, 48.0, 72.0)  # lon/lat box of the countries kept for the Europe map
BORDER = palette.BORDER


@functools.lru_cache(maxsize=None)
def voivodeships(coarse: bool = False) -> dict:
    """The 16 voivodeships (feature id = TERYT); coarse=True for small multiples (fewer bytes)."""
    fc = json.loads((GEO / "voivodeships.geojson").read_text(encoding="utf-8"))
    if not coarse:
        return fc
    geoms = shapely.coverage_simplify([shape(f["geometry"]) for f in fc["features"]], 0.07)
    geoms = shapely.orient_polygons(shapely.set_precision(geoms, 0.01), exterior_cw=True)
    return {"type": "FeatureCollection", "features": [
        {**f, "geometry": mapping(g)} for f, g in zip(fc["features"], geoms)]}


@functools.lru_cache(maxsize=None)
def europe() -> dict:
    """The countries that reach into the Europe map's box (the rest is never drawn there)."""
    fc = json.loads((GEO / "countries.geojson").read_text(encoding="utf-8"))
    box = shapely.box(*EUROPE_BOX)
    keep = [f for f in fc["features"] if shape(f["geometry"]).intersects(box)]
    return {"type": "FeatureCollection", "features": keep}


@functools.lru_cache(maxsize=None)
def world() -> dict:
    """Every country, simplified further for a world view (the base map's grey land shows the rest)."""
    fc = json.loads((GEO / "countries.geojson").read_text(encoding="utf-8"))
    geoms = shapely.coverage_simplify([shape(f["geometry"]) for f in fc["features"]], 0.3)
    geoms = shapely.orient_polygons(shapely.set_precision(geoms, 0.01), exterior_cw=True)
    return {"type": "FeatureCollection", "features": [
        {**f, "geometry": mapping(g)} for f, g in zip(fc["features"], geoms) if not g.is_empty]}


@functools.lru_cache(maxsize=None)
def label_points(layer: str) -> dict[str, tuple[float, float]]:
    """A point inside each feature's largest part, for value labels."""
    fc = {"voivodeships": voivodeships, "europe": europe, "world": world}[layer]()
    out = {}
    for f in fc["features"]:
        g = shape(f["geometry"])
        if g.geom_type == "MultiPolygon":
            g = max(g.geoms, key=lambda p: p.area)
        if layer == "europe":
            g = g.intersection(shapely.box(*EUROPE_BOX)) or g
        p = g.representative_point() if not g.is_empty else shape(f["geometry"]).representative_point()
        out[f["id"]] = (round(p.x, 3), round(p.y, 3))
    return out


def subset(fc: dict, ids) -> dict:
    """Only the features a trace draws: each trace carries its own copy of the GeoJSON."""
    ids = set(ids)
    return {"type": "FeatureCollection", "features": [f for f in fc["features"] if f["id"] in ids]}


def _poland(fig: go.Figure, **where) -> None:
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator", **where)


def _labels(values: pd.DataFrame, value: str, layer: str, lang: str, decimals: int,
            dark: pd.Series | None = None) -> go.Scattergeo:
    """Value labels on the map, so the numbers do not depend on reading colours.

    `dark` marks the places filled with a dark colour, whose label is drawn in white.
    """
    pts = label_points(layer)
    keep = values.id.isin(pts.keys())
    df = values[keep]
    dark = dark[keep] if dark is not None else pd.Series(False, index=df.index)
    text = list(df["text"]) if "text" in df else [label(v, lang, decimals) for v in df[value]]
    colours = [palette.PAPER if d else palette.INK for d in dark]
    return go.Scattergeo(lon=[pts[i][0] for i in df.id], lat=[pts[i][1] for i in df.id], text=text, ids=list(df.id),
                         mode="text", hoverinfo="skip", textfont=dict(size=14, color=colours, **(
                             # over the world's small countries and the symbols a label spills past its area: a halo
                             dict(shadow="auto") if layer == "world" else {})),
                         showlegend=False, name="labels")


def _no_data(geojson: dict, ids: list[str], lang: str, showlegend: bool = True, **kw) -> go.Choropleth:
    """Grey polygons for places without a published figure (never drawn as zero)."""
    return go.Choropleth(geojson=subset(geojson, ids), locations=ids, z=[0] * len(ids), featureidkey="id",
                         colorscale=[[0, theme.NO_DATA], [1, theme.NO_DATA]], showscale=False,
                         marker_line=dict(color=BORDER, width=0.6), name=t("no_data", lang),
                         showlegend=showlegend, hovertemplate=f"%{{location}}: {t('no_data', lang)}<extra></extra>",
                         **kw)


def referrals_map(df: pd.DataFrame, lang: str, *, value: str, title: str, subtitle: str, source: str,
                  decimals: int = 0, zmax: float | None = None, colorbar: str = "", tpl: str = "light",
                  name: str = "", height: int = 560, wrap: int = SOURCE_WRAP, note: str = "") -> go.Figure:
    """Choropleth of one value per voivodeship (df: id, label, value, optionally the shown `text` and `hover`);
    zero white, no data grey."""
    fc = voivodeships()
    df = _texts(df, value, lang, decimals)
    have = df[df[value].notna()]
    missing = df[df[value].isna()]
    zmax = zmax or max(1.0, float(have[value].max() or 1))
    fig = go.Figure(go.Choropleth(
        geojson=subset(fc, have.id), locations=have.id, z=[shown(v, decimals) for v in have[value]],
        featureidkey="id", customdata=have.hover, colorscale=sequential_scale(), zmin=0, zmax=zmax,
        marker_line=dict(color=BORDER, width=0.8), name=colorbar,
        colorbar=dict(title=dict(text=colorbar), thickness=14, len=0.75),
        hovertemplate="%{customdata}<extra></extra>"))
    if len(missing):
        fig.add_trace(_no_data(fc, list(missing.id), lang))
    fig.add_trace(_labels(df, value, "voivodeships", lang, decimals, dark=df[value] > 0.55 * zmax))
    _poland(fig)
    fig.update_layout(height=height, margin=dict(l=10, r=10), legend=dict(x=0, y=0))
    top = have.nlargest(1, value)
    alt = t("alt_map", lang, title=title, top=top.label.iloc[0] if len(top) else "–",
            value=top.text.iloc[0] if len(top) else "–")
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 wrap=wrap, note=note, drawn=_places_drawn(df, value, colorbar or value, decimals, lang))


def _places_drawn(df: pd.DataFrame, value: str, name: str, decimals: int, lang: str) -> Drawn:
    """A map's numbers by place (in alphabetical order), a rate with the count it rests on."""
    df = df.sort_values("label")
    series = {name: list(df[value])}
    if value != "referrals" and "rate_referrals" in df:
        series[t("referrals", lang)] = list(df.rate_referrals)
    elif value != "referrals" and "referrals" in df:
        series[t("referrals", lang)] = list(df.referrals)
    return Drawn(t("voivodeship", lang), list(df.label), series, ordered=False,
                 decimals={k: (decimals if i == 0 else 0) for i, k in enumerate(series)})


def _texts(df: pd.DataFrame, value: str, lang: str, decimals: int) -> pd.DataFrame:
    """The shown label and hover of each row, unless the caller made them (the browser formats nothing)."""
    df = df.copy()
    if "text" not in df:
        df["text"] = [label(v, lang, decimals) for v in df[value]]
    if "hover" not in df:
        df["hover"] = [f"{lab}: {txt}" for lab, txt in zip(df.label, df.text)]
    return df


MULTIPLES_COLUMNS = 4  # maps per row of the small multiples


def small_multiples(df: pd.DataFrame, lang: str, *, value: str, title: str, subtitle: str, source: str,
                    decimals: int = 0, colorbar: str = "", tpl: str = "light", name: str = "",
                    note: str = "") -> go.Figure:
    """One map per year on one colour scale (df: year, id, label, value, optionally `text` and `hover`)."""
    df = _texts(df, value, lang, decimals)
    years = sorted(df.year.unique())
    cols = MULTIPLES_COLUMNS
    rows = -(-len(years) // cols)
    fig = make_subplots(rows=rows, cols=cols, specs=[[{"type": "choropleth"}] * cols] * rows,
                        subplot_titles=[str(y) for y in years], horizontal_spacing=0.01,
                        vertical_spacing=0.06)
    fc = voivodeships(coarse=True)
    zmax = max(1.0, float(df[value].max()))
    for i, year in enumerate(years):
        d = df[(df.year == year) & df[value].notna()]
        fig.add_trace(go.Choropleth(
            geojson=fc, locations=d.id, z=[shown(v, decimals) for v in d[value]], featureidkey="id",
            customdata=d.hover, coloraxis="coloraxis", marker_line=dict(color=BORDER, width=0.5), name=str(year),
            hovertemplate=f"{year} · %{{customdata}}<extra></extra>"),
            row=i // cols + 1, col=i % cols + 1)
        gone = df[(df.year == year) & df[value].isna()]
        if len(gone):
            fig.add_trace(_no_data(fc, list(gone.id), lang, showlegend=False),
                          row=i // cols + 1, col=i % cols + 1)
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(coloraxis=dict(colorscale=sequential_scale(), cmin=0, cmax=zmax,
                                     colorbar=dict(title=dict(text=colorbar), thickness=14)),
                      height=300 * rows + 170, margin=dict(l=10, r=10))
    y0, y1 = years[0], years[-1]
    alt = tn("alt_small_multiples", "n", lang, first=y0, last=y1, n=len(years))
    wide = df.pivot(index="label", columns="year", values=value).sort_index()
    drawn = Drawn(t("voivodeship", lang), list(wide.index), {str(y): list(wide[y]) for y in years}, ordered=False,
                  decimals=decimals, main=str(y1))
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 note=note, drawn=drawn)


CLASSES = [(0, 50), (50, 100), (100, 200), (200, None)]  # thousands, as on the source map
# UN DESA stocks reach 2 million: wider classes (thousands), so the large destinations are told apart.
UN_CLASSES = [(0, 10), (10, 50), (50, 100), (100, 500), (500, None)]


# The world view's symbol per class (diameter in px): each at least SIZE_STEP (app/legibility/rules.py) times the one
# before, small enough that Europe's countries stay visible under them.
CLASS_SIZES = [4, 6, 9, 12, 15]


def _symbols(d: pd.DataFrame, colour: str, size: float, name: str, dark: bool) -> go.Scattergeo:
    """One class's symbol on each country of `d` (at its label point; a legend entry alone if none), filled with the
    class's colour and outlined so it shows on its own area: dark classes in white, as their labels."""
    pts = label_points("world")
    d = d[d.id.isin(pts.keys())]
    at = [pts[i] for i in d.id] or [(None, None)]
    return go.Scattergeo(lon=[p[0] for p in at], lat=[p[1] for p in at], ids=list(d.id), mode="markers", name=name,
                         legendgroup=name, customdata=list(d.hover), hovertemplate="%{customdata}<extra></extra>",
                         marker=dict(symbol="circle", size=size, color=colour,
                                     line=dict(color=palette.PAPER if dark else palette.INK, width=1)))


def class_label(i: int, lang: str, bounds: list = CLASSES) -> str:
    """'0–49 tys.', '200+ tys.' (the source map's classes, on values shown in whole thousands)."""
    lo, hi = bounds[i]
    unit = t("thousand_short", lang)
    return f"{lo}+ {unit}" if hi is None else f"{lo}–{hi - 1} {unit}"


def _view_geos(fig: go.Figure, view: str) -> None:
    """The Europe view's conic projection without a base map, or the world view's base map of grey land."""
    if view == "europe":
        fig.update_geos(visible=False, projection=dict(type="conic equal area", parallels=[40, 65],
                                                       rotation=dict(lon=12)),
                        lonaxis_range=[-24, 42], lataxis_range=[35, 71])
    else:
        fig.update_geos(visible=True, showland=True, landcolor=theme.NO_DATA, showcountries=True,
                        countrycolor=palette.PAPER, showcoastlines=False, showframe=False, showocean=False,
                        showlakes=False, projection_type="natural earth", lataxis_range=[-58, 85])


def _classes(fig: go.Figure, fc: dict, have: pd.DataFrame, labelled: pd.Series, bounds: list, lang: str) -> pd.Series:
    """A classed map's areas, one trace per class in the legend; the countries filled dark (labelled in white)."""
    colours = theme.CLASS_COLOURS if len(bounds) == 4 else theme.CLASS_COLOURS_5
    cls = pd.Series([in_class(v, bounds) for v in have.shown], index=have.index)
    dark = pd.Series(False, index=have.index)
    # Where only some values are written (the world view), a symbol sized by class on each country without one tells
    # the classes apart where their colours cannot (legibility); its legend entry shows colour and size.
    sized = not labelled.all()
    for i, (lo, hi) in enumerate(bounds):
        d = have[cls == i]
        c, name = colours[i], class_label(i, lang, bounds)
        dark[d.index] = i >= len(bounds) - 2
        if sized:  # the class's legend entry, and its symbol where its value is not written
            fig.add_trace(_symbols(d[~labelled[d.index]], c, CLASS_SIZES[i], name, dark=i >= len(bounds) - 2))
        elif d.empty:  # keep the class in the legend, as on the source map
            fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="markers", name=name,
                                        marker=dict(symbol="square", size=12, color=c,
                                                    line=dict(color=BORDER, width=1))))
        if not d.empty:
            fig.add_trace(go.Choropleth(
                geojson=subset(fc, d.id), locations=d.id, z=d.shown, featureidkey="id", customdata=d.hover,
                colorscale=[[0, c], [1, c]], showscale=False, name=name, showlegend=not sized,
                legendgroup=name if sized else None, marker_line=dict(color=BORDER, width=0.6),
                hovertemplate="%{customdata}<extra></extra>"))
    return dark


def emigration_map(df: pd.DataFrame, lang: str, *, classes: bool, title: str, subtitle: str, source: str,
                   tpl: str = "light", name: str = "", view: str = "europe", bounds: list = CLASSES) -> go.Figure:
    """The value per country (df: id, label, value in thousands) on a Europe or world map, classed or continuous.

    Countries without a figure are grey "no data", never zero: on the Europe map as grey polygons, on the
    world map as the base map's grey land (far fewer bytes than every country's polygon).
    """
    fc = europe() if view == "europe" else world()
    # Classes, colours, labels and hover all use the value as shown (whole thousands): Denmark's 9.52
    # thousand is labelled 10 and so is coloured in the 10-49 class, never in 0-9.
    df = df.assign(shown=[shown(v, 0) for v in df.value])
    have = df[df.value.notna() & df.id.isin([f["id"] for f in fc["features"]])].copy()
    unit = t("thousand_short", lang)
    extra = have["hover_extra"] if "hover_extra" in have else pd.Series("", index=have.index)
    have["hover"] = [f"{lab}: {label(v, lang)} {unit}" + (f" ({x})" if x else "")
                     for lab, v, x in zip(have.label, have.value, extra.fillna(""))]
    fig = go.Figure()
    if view == "europe":
        origin = [i for i in ("POL",) if i not in set(have.id)]  # the country of origin, not "no data"
        fig.add_trace(_no_data(fc, sorted({f["id"] for f in fc["features"]} - set(have.id) - set(origin)), lang))
        fig.add_trace(go.Choropleth(geojson=subset(fc, origin), locations=origin, z=[0] * len(origin),
                                    featureidkey="id", colorscale=[[0, palette.PAPER], [1, palette.PAPER]], showscale=False,
                                    marker_line=dict(color=palette.INK, width=1.2), name=t("origin_poland", lang),
                                    hovertemplate=t("origin_poland", lang) + "<extra></extra>"))
    else:
        fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="markers", name=t("no_data", lang),
                                    marker=dict(symbol="square", size=12, color=theme.NO_DATA,
                                                line=dict(color=BORDER, width=1))))  # outlined as the areas
    hover = "%{customdata}<extra></extra>"  # text made in Python: the browser rounds nothing
    # The world view labels the large destinations outside Europe and the two largest: Europe's other
    # countries would pile up (the Europe view labels them all).
    if view == "world":
        labelled = ((have.shown >= 50) & ~have.in_europe.astype(bool)) | have.index.isin(have.nlargest(2, "value").index)
    else:
        labelled = pd.Series(True, index=have.index)
    if classes:
        dark = _classes(fig, fc, have, labelled, bounds, lang)
    else:
        dark = have.shown > 0.55 * have.shown.max()
        fig.add_trace(go.Choropleth(
            geojson=subset(fc, have.id), locations=have.id, z=have.shown, featureidkey="id",
            customdata=have.hover, colorscale=sequential_scale(), zmin=0,
            marker_line=dict(color=BORDER, width=0.6),
            colorbar=dict(title=dict(text=t("thousand_short", lang)), thickness=14), hovertemplate=hover,
            name=t("thousand_short", lang)))
    fig.add_trace(_labels(have[labelled], "value", view, lang, 0, dark=dark[labelled]))
    _view_geos(fig, view)
    # Europe: top left, over the Atlantic; world: bottom left, over the South Pacific (not over Canada).
    y, anchor = (0.98, "top") if view == "europe" else (0.02, "bottom")
    fig.update_layout(height=700, margin=dict(l=10, r=10),
                      legend=dict(title=dict(text=t("legend_classes", lang)), orientation="v", x=0.0, y=y,
                                  yanchor=anchor, bgcolor="rgba(255,255,255,0.85)"))
    top = have.nlargest(1, "value")
    alt = t("alt_map", lang, title=title, top=top.label.iloc[0] if len(top) else "–",
            value=label(top.value.iloc[0], lang) if len(top) else "–")
    # The countries with a figure on this map, largest first, in whole thousands as labelled.
    listed = have.sort_values(["value", "label"], ascending=[False, True])
    drawn = Drawn(t("country", lang), list(listed.label), {t("thousands_of_persons", lang): list(listed.value)},
                  ordered=False)
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 drawn=drawn)


TEAM_COLOURS = palette.TEAM_COLOURS


def teams_map(df: pd.DataFrame, lang: str, *, title: str, subtitle: str, source: str, tpl: str = "light",
              name: str = "") -> go.Figure:
    """Voivodeships by what the sources say of their team (df: id, label, status, text)."""
    fc = voivodeships()
    fig = go.Figure()
    for status, colour in TEAM_COLOURS.items():
        d = df[df.status == status]
        if d.empty:
            continue
        fig.add_trace(go.Choropleth(
            geojson=subset(fc, d.id), locations=d.id, z=[1] * len(d), featureidkey="id", customdata=d.hover,
            colorscale=[[0, colour], [1, colour]], showscale=False, name=t(f"team_{status}", lang), showlegend=True,
            marker_line=dict(color=BORDER, width=0.8), hovertemplate="%{customdata}<extra></extra>"))
    pts = label_points("voivodeships")
    dated = df[df.text.notna() & (df.text != "")]
    fig.add_trace(go.Scattergeo(lon=[pts[i][0] for i in dated.id], lat=[pts[i][1] for i in dated.id], text=dated.text,
                                ids=list(dated.id), mode="text", hoverinfo="skip", showlegend=False, name="labels",
                                textfont=dict(size=13, color=palette.INK)))
    _poland(fig)
    fig.update_layout(height=560, margin=dict(l=10, r=10), legend=dict(orientation="v", x=0, y=0.02,
                                                                       yanchor="bottom"))
    alt = tn("alt_teams", "n", lang, n=int((df.status != "unknown").sum()))
    listed = df.sort_values("label")
    drawn = Drawn(t("voivodeship", lang), list(listed.label), {
        t("col_team", lang): [t(f"team_{st}", lang) + (f" ({x})" if st == "dated" else "")
                              for st, x in zip(listed.status, listed.text.fillna(""))]}, ordered=False)
    return frame(fig, title=title, subtitle=subtitle, source=source, lang=lang, tpl=tpl, alt=alt, name=name,
                 drawn=drawn)


LOCATOR_COLOURS = palette.LOCATOR_COLOURS


def locator_map(chosen: str) -> go.Figure:
    """Poland's voivodeships with one of them (TERYT `chosen`) highlighted; no text at all. It is an inset of a fact
    sheet, which carries the name, title and sources around it (app.factsheet), so it is language-independent."""
    fc = voivodeships()
    ids = [f["id"] for f in fc["features"]]
    fig = go.Figure(go.Choropleth(
        geojson=fc, locations=ids, z=[int(i == chosen) for i in ids], featureidkey="id", zmin=0, zmax=1,
        colorscale=[[0, LOCATOR_COLOURS["other"]], [1, LOCATOR_COLOURS["chosen"]]], showscale=False,
        marker_line=dict(color=palette.PAPER, width=1.2), hoverinfo="skip", name="locator"))
    _poland(fig)
    fig.update_layout(template=theme.template("light"), margin=dict(l=0, r=0, t=0, b=0), showlegend=False,
                      meta={"name": f"locator_{chosen}", "lang": "", "title": "", "source": "", "alt": ""})
    return fig
