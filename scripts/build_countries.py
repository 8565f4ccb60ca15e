"""Build ``geo/data/countries/countries-50m.geojson`` from Natural Earth packages on PyPI and npm.

Geometry: Natural Earth 1:50m admin-0 countries (v4.1.0) from the npm package
``world-atlas@2`` (TopoJSON, feature ids = ISO 3166-1 numeric codes). Attributes
(``pop_est``, ``iso_a3``): Natural Earth 1:110m admin-0 countries shipped in the
wheel of ``geopandas==0.14.4`` (``naturalearth_lowres``). ``pycountry`` maps ISO
numeric to alpha-3 codes. Natural Earth data is in the public domain.

Regenerate (from the repository root; needs node/npm, pip and network access to
the two registries only)::

    tmp=$(mktemp -d)
    npm install --prefix "$tmp/npm" world-atlas@2
    pip download --no-deps geopandas==0.14.4 -d "$tmp/whl"
    pip install pycountry pyogrio
    python scripts/build_countries.py \\
        --topojson "$tmp/npm/node_modules/world-atlas/countries-50m.json" \\
        --wheel "$tmp"/whl/geopandas-0.14.4-py3-none-any.whl

It then writes the two files derived from the GeoJSON, which ship beside it and make
maps fast: ``countries-50m.wkb`` (the same outlines as WKB, read in milliseconds; see
:mod:`geo.catalog.countries`) and ``land-50m.json`` (the simplified, encoded land layer of
the web maps; see :mod:`geo.outputs.web.basemap`). After editing the GeoJSON by hand, rebuild
only those (no network)::

    python scripts/build_countries.py --derived

The script decodes the TopoJSON itself (delta-encoded quantized arcs plus a
transform), joins the 110m attributes by ISO alpha-3 code (falling back to the
name for Natural Earth's non-ISO entities such as Kosovo, N. Cyprus, Somaliland),
cuts the polygons that world-atlas stitched across the antimeridian back at ±180°,
closes Antarctica along the South Pole, repairs and orients every polygon for
RFC 7946, rounds coordinates to 4 decimals (11 m; the source is quantized to about
400 m) and prints the countries left without a population. All 177 rows of the
1:110m table find their 1:50m outline; 64 small territories have no population.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.polygon import orient

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "geo" / "data" / "countries" / "countries-50m.geojson"
LOWRES = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp"
DECIMALS = 4

# Natural Earth entities without an ISO 3166-1 code (no id in world-atlas): the
# Natural Earth ADM0_A3 code stands in for iso_a3, as in naturalearth_lowres.
NON_ISO = {
    "Kosovo": "KOS",
    "N. Cyprus": "CYN",
    "Somaliland": "SOL",
    "Indian Ocean Ter.": "IOA",
    "Siachen Glacier": "KAS",
}
# world-atlas gives Australia's id (036) to Ashmore and Cartier Is. as well.
SHARED_ID = {"Ashmore and Cartier Is.": "ATC"}


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Absolute lon/lat arcs from delta-encoded quantized TopoJSON arcs."""
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    """Join arcs into one closed ring; ``~i`` means arc ``i`` reversed."""
    parts = []
    for k, i in enumerate(indices):
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(pts if k == 0 else pts[1:])
    return np.concatenate(parts)


def snap(xy: np.ndarray, bbox) -> np.ndarray:
    """Put points on the quantization grid's outer columns exactly onto ±180°."""
    x = xy[:, 0].copy()
    x[np.abs(x - bbox[0]) < 1e-6] = -180.0
    x[np.abs(x - bbox[2]) < 1e-6] = 180.0
    return np.column_stack([x, xy[:, 1]])


def unwrap(xy: np.ndarray) -> tuple[np.ndarray, int]:
    """Longitudes made continuous (no jump over 180°), and how many times the ring winds round a pole."""
    steps = np.diff(xy[:, 0])
    steps = np.mod(steps + 180.0, 360.0) - 180.0
    lons = xy[0, 0] + np.concatenate([[0.0], np.cumsum(steps)])
    return np.column_stack([lons, xy[:, 1]]), int(round((lons[-1] - lons[0]) / 360.0))


def spherical_polygon(rings: list[np.ndarray]):
    """One polygon of world-atlas (stitched across ±180°, d3 style) as a planar lon/lat region.

    world-atlas removes Natural Earth's cuts at the antimeridian: Russia's and Fiji's
    rings cross it, and Antarctica is a coast ring winding round the South Pole plus a
    tiny ring at -89.999°. Here rings are unwrapped; a ring that winds round a pole is
    closed along that pole; the tiny polar ring is dropped; the region is then cut back
    to [-180, 180] by clipping its copies shifted by ±360°.
    """
    rings = [r for r in rings if not np.all(np.abs(r[:, 1]) > 89.99)]
    outer, winding = unwrap(rings[0])
    if winding:
        pole = -90.0 if outer[:, 1].mean() < 0 else 90.0
        outer = np.vstack([outer, [[outer[-1, 0], pole], [outer[0, 0], pole]]])
    holes = []
    for r in rings[1:]:
        hole, _ = unwrap(r)
        shift = 360.0 * round((outer[:, 0].mean() - hole[:, 0].mean()) / 360.0)
        holes.append(hole + [shift, 0.0])
    polygon = shapely.make_valid(shapely.Polygon(outer, holes))
    pieces = [shapely.clip_by_rect(shapely.transform(polygon, lambda xy, k=k: xy + [360.0 * k, 0.0]),
                                   -180.0, -90.0, 180.0, 90.0) for k in (-1, 0, 1)]
    return shapely.union_all(pieces)


def geometry(obj: dict, arcs, bbox):
    """A shapely (Multi)Polygon from a TopoJSON Polygon/MultiPolygon: valid, cut at ±180°, CCW."""
    polys = obj["arcs"] if obj["type"] == "MultiPolygon" else [obj["arcs"]]
    geom = shapely.union_all([spherical_polygon([snap(ring(arcs, r), bbox) for r in rings]) for rings in polys])
    geom = shapely.set_precision(shapely.make_valid(geom), 10.0 ** -DECIMALS)
    # make_valid/set_precision may nest a MultiPolygon inside a GeometryCollection (Canada
    # does): flatten twice so no polygon is lost.
    polygons = [orient(p, 1.0) for p in shapely.get_parts(shapely.get_parts(geom))
                if isinstance(p, shapely.Polygon) and not p.is_empty]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def attributes(wheel: str):
    """Natural Earth 1:110m attributes from the geopandas 0.14.4 wheel: name, iso_a3, pop_est."""
    import tempfile
    import zipfile

    import pyogrio

    stem = LOWRES.removesuffix(".shp")
    with zipfile.ZipFile(wheel) as whl, tempfile.TemporaryDirectory() as tmp:
        for member in whl.namelist():
            if member.startswith(stem):
                whl.extract(member, tmp)
        table = pyogrio.read_dataframe(Path(tmp) / LOWRES, read_geometry=False)
    return table[["name", "iso_a3", "pop_est"]]


def build(topojson: str, wheel: str) -> tuple[dict, list[str]]:
    """The GeoJSON FeatureCollection, sorted by name, and the names left without population."""
    import pycountry

    topology = json.loads(Path(topojson).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    bbox = topology["bbox"]
    lowres = attributes(wheel)
    pop_by_code = {c: p for c, p in zip(lowres.iso_a3, lowres.pop_est) if c != "-99"}
    pop_by_name = dict(zip(lowres.name, lowres.pop_est))

    features, missing = [], []
    for obj in topology["objects"]["countries"]["geometries"]:
        name = obj["properties"]["name"]
        n3 = obj.get("id", "")
        if name in NON_ISO or name in SHARED_ID:
            a3 = NON_ISO.get(name) or SHARED_ID[name]
            n3 = "" if name in NON_ISO else n3
        else:
            a3 = pycountry.countries.get(numeric=n3).alpha_3
        pop = pop_by_code.get(a3, pop_by_name.get(name))
        if pop is None:
            missing.append(f"{name} ({a3})")
        geom = geometry(obj, arcs, bbox)
        features.append({
            "type": "Feature",
            "properties": {"name": name, "iso_a3": a3, "iso_n3": n3 or None,
                           "population": None if pop is None else int(pop)},
            "geometry": json.loads(shapely.to_geojson(geom)),
        })
    features.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection", "features": features}, missing


def dump(collection: dict) -> str:
    """Compact GeoJSON, one feature per line, coordinates rounded to DECIMALS."""

    def rounded(c):
        if isinstance(c, float):
            r = round(c, DECIMALS)
            return int(r) if r == int(r) else r
        return [rounded(x) for x in c]

    lines = []
    for f in collection["features"]:
        f = dict(f, geometry=dict(f["geometry"], coordinates=rounded(f["geometry"]["coordinates"])))
        lines.append(json.dumps(f, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def derived(geojson: Path) -> list[Path]:
    """Write the binary copy and the web land layer next to `geojson`, from it; their paths."""
    sys.path.insert(0, str(REPO))
    from geo.catalog.countries import decode_binary, encode_binary
    from geo.outputs.web.basemap import encode_land

    source = geojson.read_bytes()
    blob = encode_binary(source)
    wkb = geojson.with_suffix(".wkb")
    wkb.write_bytes(blob)
    land = geojson.with_name(geojson.name.replace("countries-", "land-").replace(".geojson", ".json"))
    land.write_text(encode_land(decode_binary(blob)[1], source_bytes=len(source)), encoding="utf-8")
    return [wkb, land]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topojson", help="world-atlas@2 countries-50m.json")
    parser.add_argument("--wheel", help="geopandas-0.14.4-py3-none-any.whl")
    parser.add_argument("--derived", action="store_true",
                        help="only rebuild the binary copy and the web land layer from the GeoJSON (no network)")
    parser.add_argument("-o", "--output", default=str(OUT))
    args = parser.parse_args(argv)
    out = Path(args.output)
    if not args.derived:
        if not (args.topojson and args.wheel):
            parser.error("--topojson and --wheel are required (or --derived)")
        collection, missing = build(args.topojson, args.wheel)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(dump(collection), encoding="utf-8")
        print(f"{out}: {len(collection['features'])} countries, {out.stat().st_size / 1e6:.2f} MB")
        print(f"{len(missing)} without population (not in the 1:110m table): {', '.join(missing)}")
    for path in derived(out):
        print(f"{path}: {path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
