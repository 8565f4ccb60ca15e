"""GIS exports: GeoJSON (RFC 7946), KML and GeoPackage carry the analysis geometry and answers.

Every ring is checked against ``range_ring`` and every path against ``check_table``;
each file is read back by an independent reader (json, ElementTree, fastkml with the
OGC schema, GDAL through pyogrio/geopandas).
"""

import html
import json
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import shape

import geo.outputs.export as ex
import geo
from geo import InputError, Missile, Place, check_table, default_catalog, geodesic_path, range_ring
from geo.outputs.export import COLUMNS, LAYERS, PRECISION, export, scenario_layers

CAT = default_catalog()
KML = "{http://www.opengis.net/kml/2.2}"


def founding():
    return [CAT.site("Chagang")], [CAT.missile("Hwasong-12")], [CAT.target("Guam")]


def icbm():
    return [CAT.site("Chagang")], [CAT.missile("Hwasong-15")], [CAT.target("Guam"), CAT.target("Washington")]


def two_by_two_by_three():
    return ([CAT.site("Chagang"), CAT.site("Sohae")], [CAT.missile("Hwasong-12"), CAT.missile("KN-23")],
            [CAT.target("Guam"), CAT.target("Tokyo"), CAT.target("Pearl Harbor")])


SCENARIOS = {"founding": founding, "icbm": icbm, "2x2x3": two_by_two_by_three}
HOSTILE = '<img src=x onerror=alert(1)> & "quotes" \'too\' </name>]]> <![CDATA['


def ring_kinds(m):
    """The rings expected for a missile, widest first."""
    kinds = {"nominal": m.range_km}
    if m.certain_km != m.range_km:
        kinds["certain"] = m.certain_km
    if m.max_km > m.range_km:
        kinds["band"] = m.max_km
    return sorted(kinds.items(), key=lambda kv: -kv[1])


def expected_counts(sites, missiles, targets):
    return {"rings": len(sites) * sum(len(ring_kinds(m)) for m in missiles), "sites": len(sites),
            "targets": len(targets), "paths": len(sites) * len(missiles) * len(targets), "countries": 0}


def rounded(geom):
    return shapely.transform(geom, lambda xy: np.round(xy, PRECISION))


def polygons(geom):
    return list(getattr(geom, "geoms", [geom]))


def positions(coords):
    """Every [lon, lat] position in a GeoJSON coordinates array."""
    if not isinstance(coords[0], (list, tuple)):
        return [coords]
    return [p for c in coords for p in positions(c)]


# --- the layers --------------------------------------------------------------------

def test_layers_schema_and_geometry_are_the_analysis_geometry():
    sites, missiles, targets = two_by_two_by_three()
    layers = scenario_layers(sites, missiles, targets)
    assert list(layers) == list(LAYERS)
    assert {n: len(g) for n, g in layers.items()} == expected_counts(sites, missiles, targets)
    for name, gdf in layers.items():
        assert list(gdf.columns) == [*COLUMNS[name], "geometry"] and gdf.crs.to_epsg() == 4326
    rings = layers["rings"]
    i = 0
    for s in sites:
        for m in missiles:
            for kind, km in ring_kinds(m):
                row = rings.iloc[i]
                assert (row.site, row.missile, row.kind, row.radius_km) == (s.name, m.name, kind, km)
                assert (row.range_km, row.band_low_km, row.band_high_km) == (m.range_km, m.certain_km, m.max_km)
                assert (row.missile_type, row.source, row.confidence) == (m.type, m.source, m.confidence)
                assert row.geometry.equals_exact(range_ring(s.lat, s.lon, km), 0.0)
                i += 1
    table = geo.assess(geo.Scenario.resolve(sites, missiles, targets)).table()
    paths = layers["paths"]
    assert paths[COLUMNS["paths"]].astype(object).where(paths[COLUMNS["paths"]].notna(), None).values.tolist() == \
        table[COLUMNS["paths"]].astype(object).where(table[COLUMNS["paths"]].notna(), None).values.tolist()
    s, t = sites[1], targets[2]
    assert paths.geometry.iloc[-1].equals_exact(geodesic_path(s.lat, s.lon, t.lat, t.lon), 0.0)
    assert paths.geometry.iloc[-1].geom_type == "MultiLineString"       # Sohae to Pearl Harbor crosses ±180


def test_kn23_has_all_three_ring_kinds_and_hwasong12_no_certain_ring():
    layers = scenario_layers(["Chagang"], ["KN-23", "Hwasong-12"], [])
    assert layers["rings"][["missile", "kind"]].values.tolist() == [
        ["KN-23", "band"], ["KN-23", "nominal"], ["KN-23", "certain"],
        ["Hwasong-12", "band"], ["Hwasong-12", "nominal"]]
    assert len(layers["targets"]) == len(layers["paths"]) == 0


def test_names_ranges_and_coordinates_are_accepted():
    layers = scenario_layers(["41.37,126.91"], [3000], [(13.5, 144.8)])
    assert layers["paths"]["verdict"].tolist() == ["out of range"]


def test_needs_a_site_and_a_missile():
    with pytest.raises(InputError, match="at least one launch site and one missile"):
        scenario_layers([], ["Hwasong-12"], ["Guam"])
    with pytest.raises(InputError, match="at least one launch site and one missile"):
        scenario_layers(["Chagang"], [], ["Guam"])


# --- GeoJSON -----------------------------------------------------------------------

@pytest.mark.parametrize("name", SCENARIOS)
def test_geojson_is_rfc7946_with_the_analysis_rings(tmp_path, name):
    sites, missiles, targets = SCENARIOS[name]()
    out = export(sites, missiles, targets, tmp_path / "scenario.geojson")
    assert out == tmp_path / "scenario.geojson" and sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and set(doc) == {"type", "features"}      # no crs member
    feats = doc["features"]
    assert all(f["type"] == "Feature" and f["geometry"] and f["properties"] for f in feats)
    counts = {n: sum(f["properties"]["layer"] == n for f in feats) for n in LAYERS}
    assert counts == expected_counts(sites, missiles, targets)
    assert [f["properties"]["layer"] for f in feats] == sorted((f["properties"]["layer"] for f in feats),
                                                                key=LAYERS.index)
    for f in feats:
        layer = f["properties"]["layer"]
        assert list(f["properties"]) == ["layer", *COLUMNS[layer]]
        xy = np.array(positions(f["geometry"]["coordinates"]), dtype=float)
        assert xy.shape[1] == 2
        assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
        assert (np.round(xy, PRECISION) == xy).all()                    # at most 7 decimals
        geom = shape(f["geometry"])
        assert geom.is_valid
        for poly in polygons(geom) if layer == "rings" else []:
            assert poly.exterior.is_ccw and not any(h.is_ccw for h in poly.interiors)
    rings = [f for f in feats if f["properties"]["layer"] == "rings"]
    site = {s.name: s for s in sites}
    for f in rings:
        p = f["properties"]
        exact = range_ring(site[p["site"]].lat, site[p["site"]].lon, p["radius_km"])
        assert shape(f["geometry"]).equals_exact(rounded(exact), 1e-9)
        assert shape(f["geometry"]).equals_exact(exact, 10.0 ** -PRECISION)     # rounding moves < 1e-7
    assert len(gpd.read_file(out)) == len(feats)


def test_geojson_icbm_ring_contains_the_north_pole(tmp_path):
    out = export(*icbm(), tmp_path / "icbm.json")
    feats = json.loads(out.read_text())["features"]
    nominal = next(f for f in feats if f["properties"].get("kind") == "nominal")
    assert nominal["properties"]["radius_km"] == 13000.0
    geom = shape(nominal["geometry"])
    assert shapely.intersects_xy(geom, 0.0, 90.0) and shapely.contains_xy(geom, 45.0, 89.9)
    verdicts = {f["properties"]["target"]: f["properties"]["verdict"] for f in feats
                if f["properties"]["layer"] == "paths"}
    assert verdicts == {"Guam (Andersen AFB)": "in range", "Washington, DC": "in range"}


def test_geojson_paths_answer_as_check_table(tmp_path):
    sites, missiles, targets = two_by_two_by_three()
    out = export(sites, missiles, targets, tmp_path / "s.geojson")
    paths = [f["properties"] for f in json.loads(out.read_text())["features"] if f["properties"]["layer"] == "paths"]
    table = geo.assess(geo.Scenario.resolve(sites, missiles, targets)).table()[COLUMNS["paths"]]
    assert [[p[c] for c in COLUMNS["paths"]] for p in paths] == \
        table.astype(object).where(table.notna(), None).values.tolist()


# --- KML -----------------------------------------------------------------------------

def kml_coords(text):
    return np.array([[float(v) for v in c.split(",")] for c in text.split()])


def test_kml_folders_placemarks_styles_and_coordinates(tmp_path):
    sites, missiles, targets = two_by_two_by_three()
    out = export(sites, missiles, targets, tmp_path / "scenario.kml")
    root = ET.parse(out).getroot()
    doc = root.find(f"{KML}Document")
    folders = doc.findall(f"{KML}Folder")
    assert [f.findtext(f"{KML}name") for f in folders] == list(LAYERS)
    counts = {f.findtext(f"{KML}name"): len(f.findall(f"{KML}Placemark")) for f in folders}
    assert counts == expected_counts(sites, missiles, targets)
    styles = {s.get("id") for s in doc.findall(f"{KML}Style")}
    assert {"ring-0-nominal", "ring-0-band", "ring-1-certain", "site", "target"} <= styles
    assert {"verdict-in-range", "verdict-out-of-range"} <= styles
    for pm in root.iter(f"{KML}Placemark"):
        assert pm.findtext(f"{KML}styleUrl")[1:] in styles
        for c in pm.iter(f"{KML}coordinates"):
            xy = kml_coords(c.text)
            assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
    # the first ring is Hwasong-12's band from Chagang: same vertices as range_ring, lon,lat order
    first = folders[0].find(f"{KML}Placemark")
    exact = rounded(range_ring(sites[0].lat, sites[0].lon, missiles[0].max_km))
    kml_rings = [kml_coords(c.text) for c in first.iter(f"{KML}coordinates")]
    assert [r.tolist() for r in kml_rings] == [np.asarray(p.exterior.coords).tolist() for p in polygons(exact)]
    data = {d.get("name"): d.findtext(f"{KML}value") for d in first.iter(f"{KML}Data")}
    assert data["kind"] == "band" and float(data["radius_km"]) == 5000.0 and data["missile"] == "Hwasong-12"


def test_kml_validates_against_the_ogc_schema_and_reads_in_fastkml_and_gdal(tmp_path):
    out = export(*two_by_two_by_three(), tmp_path / "s.kml")
    fastkml = pytest.importorskip("fastkml")
    parsed = fastkml.KML.parse(out, validate=True)
    assert [f.name for f in parsed.features[0].features] == list(LAYERS)
    layers = dict(pyogrio.list_layers(out))
    assert set(layers) == set(LAYERS)
    assert len(gpd.read_file(out, layer="paths")) == 12


def test_kml_pole_cap_is_written_as_it_is_clamped_to_the_ground(tmp_path):
    out = export(*icbm(), tmp_path / "icbm.kml")
    root = ET.parse(out).getroot()
    nominal = next(pm for pm in root.iter(f"{KML}Placemark") if "nominal" in pm.findtext(f"{KML}name"))
    poly = nominal.find(f".//{KML}Polygon")
    assert poly.findtext(f"{KML}tessellate") == "1" and poly.findtext(f"{KML}altitudeMode") == "clampToGround"
    xy = kml_coords(poly.find(f".//{KML}coordinates").text)
    assert [180.0, 90.0] in xy.tolist() and [-180.0, 90.0] in xy.tolist()


def test_kml_hostile_names_round_trip_as_text(tmp_path):
    site = Place(HOSTILE, 41.37, 126.91, source="a & b < c")
    missile = Missile("M<&>\"'", 4500.0, range_high_km=5000.0, type="IRBM & <b>", source=HOSTILE)
    target = Place("T & <t>", 13.58, 144.92)
    out = export([site], [missile], [target], tmp_path / "hostile.kml")
    root = ET.parse(out).getroot()                      # well-formed despite ]]> and <![CDATA[
    names = [pm.findtext(f"{KML}name") for pm in root.iter(f"{KML}Placemark")]
    assert HOSTILE in names and "T & <t>" in names
    site_pm = next(pm for pm in root.iter(f"{KML}Placemark") if pm.findtext(f"{KML}name") == HOSTILE)
    data = {d.get("name"): d.findtext(f"{KML}value") for d in site_pm.iter(f"{KML}Data")}
    assert data["name"] == HOSTILE and data["source"] == "a & b < c"
    # descriptions are HTML (KML's rule): the text is escaped there, so no tag from the data survives
    for pm in root.iter(f"{KML}Placemark"):
        desc = pm.findtext(f"{KML}description")
        assert "<img" not in desc and "<t>" not in desc and "<b>IRBM" not in desc
    assert html.escape(HOSTILE) in site_pm.findtext(f"{KML}description")
    ring = next(pm for pm in root.iter(f"{KML}Placemark") if "band" in pm.findtext(f"{KML}name"))
    ring_data = {d.get("name"): d.findtext(f"{KML}value") for d in ring.iter(f"{KML}Data")}
    assert ring_data["missile"] == "M<&>\"'" and ring_data["missile_type"] == "IRBM & <b>"
    assert ring_data["source"] == HOSTILE and ring_data["site"] == HOSTILE


def test_kml_refuses_control_characters_that_xml_cannot_hold(tmp_path):
    with pytest.raises(InputError, match="control character"):
        export([Place("bell\x07", 41.37, 126.91)], ["Hwasong-12"], [], tmp_path / "a.kml")
    assert list(tmp_path.iterdir()) == []
    export([Place("bell\x07", 41.37, 126.91)], ["Hwasong-12"], [], tmp_path / "a.geojson")   # JSON can


# --- GeoPackage ------------------------------------------------------------------------

def test_gpkg_has_four_layers_with_counts_attributes_and_exact_geometry(tmp_path):
    sites, missiles, targets = two_by_two_by_three()
    out = export(sites, missiles, targets, tmp_path / "scenario.gpkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.gpkg"]
    assert pyogrio.list_layers(out).tolist() == [["rings", "MultiPolygon"], ["sites", "Point"],
                                                  ["targets", "Point"], ["paths", "MultiLineString"],
                                                  ["countries", "MultiPolygon"]]
    expected = scenario_layers(sites, missiles, targets)
    for name, count in expected_counts(sites, missiles, targets).items():
        got = gpd.read_file(out, layer=name)
        assert len(got) == count and list(got.columns) == [*COLUMNS[name], "geometry"]
        assert got.crs.to_epsg() == 4326
        assert got[COLUMNS[name]].equals(expected[name][COLUMNS[name]])
        assert all(a.equals(b) for a, b in zip(got.geometry, expected[name].geometry))
    rings = gpd.read_file(out, layer="rings")
    assert rings.geometry.iloc[0].normalize().equals_exact(
        shapely.MultiPolygon(polygons(range_ring(sites[0].lat, sites[0].lon, 5000.0))).normalize(), 0.0)


def test_gpkg_without_targets_has_empty_layers(tmp_path):
    out = export(["Chagang"], ["Hwasong-12"], [], tmp_path / "rings.gpkg")
    assert len(gpd.read_file(out, layer="rings")) == 2
    assert len(gpd.read_file(out, layer="paths")) == 0


# --- formats, bad input, atomic writes ------------------------------------------------

@pytest.mark.parametrize("filename, fmt, first", [
    ("a.json", None, b"{"), ("a.GeoJSON", None, b"{"), ("a.dat", "KML", b"<?xml"), ("a.kml", "geojson", b"{"),
    ("a.gpkg", None, b"SQLite format 3"),
])
def test_format_from_extension_or_argument(tmp_path, filename, fmt, first):
    out = export(*founding(), tmp_path / filename, fmt=fmt)
    assert out.read_bytes().startswith(first)


@pytest.mark.parametrize("filename, fmt, message", [
    ("a.txt", None, r"cannot tell the export format of .*a\.txt: end the name with \.geojson, \.json, \.kml, \.gpkg"),
    ("a.geojson", "shp", r"unknown export format 'shp': choose one of geojson, kml, gpkg"),
    ("missing/a.kml", None, r"folder .*missing does not exist"),
    ("", "kml", r"it is a folder"),
])
def test_bad_input_is_one_line_and_leaves_nothing(tmp_path, filename, fmt, message):
    with pytest.raises(InputError, match=message) as err:
        export(*founding(), tmp_path / filename, fmt=fmt)
    assert "\n" not in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_a_writer_failing_midway_leaves_no_file(tmp_path, monkeypatch):
    def half_then_fail(layers, tmp):
        tmp.write_text('{"type": "FeatureCollection", "feat')
        raise RuntimeError("disk gone")

    monkeypatch.setitem(ex._WRITERS, "geojson", half_then_fail)
    with pytest.raises(RuntimeError, match="disk gone"):
        export(*founding(), tmp_path / "a.geojson")
    assert list(tmp_path.iterdir()) == []


def test_gpkg_failing_after_one_layer_keeps_the_old_file(tmp_path, monkeypatch):
    out = export(*founding(), tmp_path / "a.gpkg")
    before = out.read_bytes()
    real, calls = gpd.GeoDataFrame.to_file, []

    def flaky(self, *args, **kwargs):
        calls.append(kwargs.get("layer"))
        if len(calls) == 2:
            raise RuntimeError("GDAL gave up")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", flaky)
    with pytest.raises(RuntimeError, match="GDAL gave up"):
        export(*icbm(), out)
    assert calls == ["rings", "sites"]
    assert [p.name for p in tmp_path.iterdir()] == ["a.gpkg"] and out.read_bytes() == before


def test_os_errors_while_writing_become_input_errors(tmp_path, monkeypatch):
    def full(layers, tmp):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(ex._WRITERS, "kml", full)
    with pytest.raises(InputError, match=r"cannot write .*a\.kml: the disk is full \(No space left on device\)"):
        export(*founding(), tmp_path / "a.kml")
    assert list(tmp_path.iterdir()) == []


def test_export_replaces_an_existing_file(tmp_path):
    out = tmp_path / "a.geojson"
    out.write_text("old")
    export(*founding(), out)
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
    assert [p.name for p in tmp_path.iterdir()] == ["a.geojson"]
