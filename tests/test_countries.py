"""The shipped country outlines: complete, valid, RFC 7946, with sane attributes; the build script's decoder."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.catalog.countries import COUNTRIES_FILE, countries_path, country_outlines, load_countries

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def world():
    return load_countries()


def by_code(world, code):
    rows = world[world.iso_a3 == code]
    assert len(rows) == 1, code
    return rows.iloc[0]


def test_file_is_compact_geojson_in_the_data_folder():
    path = countries_path()
    assert path == ROOT / "geo" / "data" / COUNTRIES_FILE
    assert path.stat().st_size < 3_000_000
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert all(set(f["properties"]) == {"name", "iso_a3", "iso_n3", "population"} for f in doc["features"])


def test_table_columns_crs_and_count(world):
    assert list(world.columns) == ["name", "iso_a3", "iso_n3", "population", "geometry"]
    assert world.crs.to_epsg() == 4326
    assert 175 <= len(world) <= 260
    assert world.iso_a3.is_unique and world.name.is_unique
    assert len(country_outlines()) == len(world)


def test_every_geometry_is_a_valid_polygon_inside_the_lonlat_box(world):
    geoms = np.asarray(world.geometry)
    assert shapely.is_valid(geoms).all()
    assert set(world.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    xy = shapely.get_coordinates(geoms)
    assert (xy[:, 0] >= -180).all() and (xy[:, 0] <= 180).all()
    assert (xy[:, 1] >= -90).all() and (xy[:, 1] <= 90).all()


def test_rfc7946_exteriors_counter_clockwise_and_no_edge_across_the_antimeridian(world):
    for name, geom in zip(world.name, world.geometry):
        for poly in getattr(geom, "geoms", [geom]):
            assert shapely.is_ccw(poly.exterior), name
            for ring in (poly.exterior, *poly.interiors):
                xy = np.asarray(ring.coords)
                jumps = np.abs(np.diff(xy[:, 0])) > 180
                # the only long edges allowed run along a pole (Antarctica's closure at -90)
                assert (np.abs(xy[:-1, 1][jumps]) == 90).all(), name


def test_known_countries_and_codes(world):
    for code in ("PRK", "KOR", "JPN", "USA", "RUS", "FJI", "ATA", "CHN", "GUM", "FRA", "NOR", "AUS"):
        by_code(world, code)
    assert by_code(world, "JPN").iso_n3 == "392"
    assert by_code(world, "GUM").iso_n3 == "316"
    assert by_code(world, "PRK")["name"] == "North Korea"
    # Natural Earth entities without an ISO code keep Natural Earth's own code
    kosovo = by_code(world, "KOS")
    assert kosovo["name"] == "Kosovo" and pd.isna(kosovo.iso_n3)


def test_populations_are_plausible(world):
    assert 1.2e8 <= by_code(world, "JPN").population <= 1.3e8
    assert 2.0e7 <= by_code(world, "PRK").population <= 3.0e7
    assert 4.5e7 <= by_code(world, "KOR").population <= 5.5e7
    assert 3.0e8 <= by_code(world, "USA").population <= 3.5e8
    assert 1.3e9 <= by_code(world, "CHN").population <= 1.5e9
    assert 6.0e7 <= by_code(world, "FRA").population <= 7.0e7      # a '-99' ISO code in Natural Earth
    assert 4.0e6 <= by_code(world, "NOR").population <= 6.0e6      # likewise
    # only small territories (not in the 1:110m table) lack a population
    missing = world[world.population.isna()]
    assert len(missing) < 70
    assert (shapely.area(np.asarray(missing.geometry)) < 1.0).all()


def test_antarctica_reaches_and_contains_the_south_pole(world):
    ata = by_code(world, "ATA").geometry
    assert shapely.intersects_xy(ata, 0.0, -90.0)
    assert all(shapely.contains_xy(ata, lon, -89.5) for lon in (-179.9, -90.0, 0.0, 90.0, 179.9))
    assert not shapely.contains_xy(ata, 0.0, -50.0)
    assert ata.bounds[0] == -180 and ata.bounds[2] == 180 and ata.bounds[1] == -90


@pytest.mark.parametrize("code", ["RUS", "FJI"])
def test_countries_across_the_antimeridian_are_cut_there(world, code):
    geom = by_code(world, code).geometry
    assert geom.geom_type == "MultiPolygon"
    assert geom.bounds[0] == -180 and geom.bounds[2] == 180
    west = [p for p in geom.geoms if p.bounds[0] == -180]
    east = [p for p in geom.geoms if p.bounds[2] == 180]
    assert west and east


def test_russia_is_whole_and_guam_is_where_the_target_is(world):
    rus = by_code(world, "RUS").geometry
    assert shapely.contains_xy(rus, 37.6, 55.75)       # Moscow
    assert shapely.contains_xy(rus, 170.0, 66.0)       # Chukotka, east of the cut
    assert shapely.contains_xy(rus, -173.0, 65.7)      # Chukotka, west of it
    guam = by_code(world, "GUM").geometry
    assert shapely.dwithin(guam, shapely.Point(144.92444, 13.58111), 0.05)


def test_load_countries_returns_a_copy(world):
    world.loc[world.index[0], "name"] = "changed"
    assert load_countries().iloc[0]["name"] != "changed"


# --- the build script's TopoJSON decoding, on a small synthetic topology -----------

def build_script():
    spec = importlib.util.spec_from_file_location("build_countries", ROOT / "scripts" / "build_countries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_decoder_undoes_delta_encoding_and_reversed_arcs():
    b = build_script()
    topo = {"transform": {"scale": [0.5, 0.25], "translate": [-10, 20]},
            "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4]]]}
    arcs = b.decode_arcs(topo)
    np.testing.assert_allclose(arcs[0], [[-10, 20], [-9, 20], [-9, 21]])
    ring = b.ring(arcs, [0, 1])
    np.testing.assert_allclose(ring, [[-10, 20], [-9, 20], [-9, 21], [-10, 21], [-10, 20]])
    np.testing.assert_allclose(b.ring(arcs, [~1, ~0])[0], [-10, 20])


def test_stitched_polygon_is_cut_at_the_antimeridian():
    b = build_script()
    ring = np.array([[170.0, 60.0], [-170.0, 60.0], [-170.0, 70.0], [170.0, 70.0], [170.0, 60.0]])
    geom = b.spherical_polygon([ring])
    assert geom.geom_type == "MultiPolygon" and geom.is_valid
    assert geom.bounds == (-180.0, 60.0, 180.0, 70.0)
    assert abs(geom.area - 200.0) < 1e-9


def test_ring_winding_round_the_pole_is_closed_along_it():
    b = build_script()
    lons = np.linspace(-180.0, 180.0, 37)
    coast = np.column_stack([lons, np.full_like(lons, -70.0)])
    polar = np.column_stack([lons[::-1], np.full_like(lons, -89.999)])     # world-atlas' tiny polar ring
    geom = b.spherical_polygon([polar, coast])
    assert geom.is_valid and shapely.intersects_xy(geom, 0.0, -90.0)
    assert abs(geom.area - 360.0 * 20.0) < 1e-6


def test_binary_copy_is_the_geojson_exactly_and_what_the_build_script_writes():
    import hashlib

    from geo.catalog.countries import binary_path, country_records, decode_binary, encode_binary

    source = countries_path().read_bytes()
    blob = binary_path().read_bytes()
    assert blob == encode_binary(source)                                      # reproducible from the GeoJSON
    props, geoms, made_from = decode_binary(blob)
    assert made_from == {"source_bytes": len(source), "source_sha256": hashlib.sha256(source).hexdigest()}
    doc = json.loads(source)
    assert list(props) == [f["properties"] for f in doc["features"]]
    parsed = shapely.get_parts(shapely.from_geojson(source.decode("utf-8")))
    assert shapely.equals_exact(geoms, parsed, tolerance=0).all()
    assert shapely.equals_exact(country_records()[1], parsed, tolerance=0).all()
    with pytest.raises(ValueError):
        decode_binary(blob[:-10])
    with pytest.raises(ValueError):
        decode_binary(b"not it")


def test_a_binary_copy_of_other_outlines_is_not_used(tmp_path, monkeypatch):
    import shutil

    from geo.catalog import countries

    data = tmp_path / "data"
    (data / "countries").mkdir(parents=True)
    one = json.loads(countries_path().read_text(encoding="utf-8"))
    one["features"] = one["features"][:3]
    (data / COUNTRIES_FILE).write_text(json.dumps(one), encoding="utf-8")
    shutil.copy(countries.binary_path(), data / countries.BINARY_FILE)        # made from the full file
    monkeypatch.setattr(countries, "data_dir", lambda: data)
    countries._read.cache_clear()
    try:
        props, geoms = countries.country_records()
        assert len(props) == len(geoms) == 3
    finally:
        countries._read.cache_clear()
