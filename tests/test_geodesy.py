"""Geodesy against golden values and against geographiclib, an independent implementation."""

import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import bearing_deg, distance_km, geodesic_path
from geo.errors import InputError
from geo.core.geodesy import HALF_MERIDIAN_KM, check_lat, check_lon, check_range_km, destination, unwrap_lon

GEOD = Geodesic.WGS84

# name, lat1, lon1, lat2, lon2, distance km, initial bearing (GeographicLib 2.1, WGS84).
GOLDEN = [
    ("pyongyang_guam", 39.0194, 125.7381, 13.58111, 144.92444, 3391.673190, 140.935027),
    ("chagang_guam", 41.369883, 126.913631, 13.58111, 144.92444, 3540.258072, 145.215594),
    ("equator_quarter", 0, 0, 0, 90, 10018.754171, 90.000000),
    ("pole_to_pole", 90, 0, -90, 0, 20003.931459, None),
    ("antipodal_equator", 0, 0, 0, 180, 20003.931459, None),
    ("nearly_antipodal", 0, 0, 0.5, 179.7, 19944.127421, 15.556883),
    ("antimeridian_hop", 0, 179.5, 0, -179.5, 111.319491, 90.000000),
    ("over_the_pole", 89, 0, 89, 180, 223.387730, 0.000000),
    ("coincident", 10, 20, 10, 20, 0.000000, None),
    ("chagang_washington", 41.369883, 126.913631, 38.8951, -77.0364, 10791.247755, 18.528588),
    ("pyongyang_anchorage", 39.0194, 125.7381, 61.25139, -149.80639, 6017.568217, 36.331888),
    ("pyongyang_cairns", 39.0194, 125.7381, -16.9186, 145.7781, 6534.511834, 157.408373),
    ("south_pole_start", -90, 0, -60, 45, 3347.892910, None),
]
DIST_TOL_KM = 1e-6      # 1 mm
BEARING_TOL_DEG = 1e-6


@pytest.fixture(params=["scalar", "array"])
def scalar_and_array(request):
    """Call a function with scalars, or with arrays of three copies (after pyproj's tests)."""
    if request.param == "scalar":
        return lambda func, *args: func(*args)

    def as_array(func, *args):
        result = func(*(np.full(3, a, dtype=float) for a in args))
        assert isinstance(result, np.ndarray) and result.shape == (3,)
        assert np.all(result == result[0])
        return float(result[0])

    return as_array


@pytest.mark.parametrize("name,lat1,lon1,lat2,lon2,dist,bearing", GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_distance(scalar_and_array, name, lat1, lon1, lat2, lon2, dist, bearing):
    got = scalar_and_array(distance_km, lat1, lon1, lat2, lon2)
    assert got == pytest.approx(dist, abs=DIST_TOL_KM)
    assert got == pytest.approx(GEOD.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000, abs=DIST_TOL_KM)


@pytest.mark.parametrize("name,lat1,lon1,lat2,lon2,dist,bearing",
                         [g for g in GOLDEN if g[-1] is not None], ids=[g[0] for g in GOLDEN if g[-1] is not None])
def test_golden_bearing(scalar_and_array, name, lat1, lon1, lat2, lon2, dist, bearing):
    got = scalar_and_array(bearing_deg, lat1, lon1, lat2, lon2)
    assert 0 <= got < 360
    assert math.remainder(got - bearing, 360) == pytest.approx(0, abs=BEARING_TOL_DEG)


def test_reference_figures():
    # Quoted in reporting: Pyongyang-Guam "about 3,400 km" (UCS, AP), Anchorage "about 6,000 km".
    assert round(distance_km(39.0194, 125.7381, 13.58111, 144.92444)) == 3392
    assert distance_km(39.0194, 125.7381, 61.25139, -149.80639) == pytest.approx(6000, rel=0.01)


def test_half_meridian_is_the_largest_distance():
    assert HALF_MERIDIAN_KM == pytest.approx(20003.931458623, abs=1e-6)


coords = st.tuples(st.floats(-90, 90), st.floats(-180, 180))


@settings(max_examples=300, deadline=None)
@given(coords, coords)
def test_distance_and_bearing_agree_with_geographiclib(p1, p2):
    (lat1, lon1), (lat2, lon2) = p1, p2
    ref = GEOD.Inverse(lat1, lon1, lat2, lon2)
    assert distance_km(lat1, lon1, lat2, lon2) == pytest.approx(ref["s12"] / 1000, abs=1e-6)
    if ref["s12"] > 1 and abs(lat1) < 90 and abs(ref["s12"] / 1000 - HALF_MERIDIAN_KM) > 1:
        assert math.remainder(bearing_deg(lat1, lon1, lat2, lon2) - ref["azi1"], 360) == pytest.approx(0, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(coords, st.floats(0, 360), st.floats(0, 19_000))
def test_destination_agrees_with_geographiclib(p, az, dist):
    lon2, lat2 = destination(p[0], p[1], az, dist)
    ref = GEOD.Direct(p[0], p[1], az, dist * 1000)
    assert lat2 == pytest.approx(ref["lat2"], abs=1e-9)
    if abs(ref["lat2"]) < 89.9999:
        assert math.remainder(lon2 - ref["lon2"], 360) == pytest.approx(0, abs=1e-8)


@pytest.mark.parametrize("bad,func,message", [
    (91, check_lat, "latitude 91 is outside [-90, 90]"),
    (-90.5, check_lat, "latitude -90.5 is outside"),
    (float("nan"), check_lat, "latitude nan"),
    (180.01, check_lon, "longitude 180.01 is outside [-180, 180]"),
    (float("nan"), check_lon, "longitude nan"),
    (0, check_range_km, "range 0 km must be a positive"),
    (-5, check_range_km, "range -5 km"),
    (float("inf"), check_range_km, "range inf km"),
    ("abc", check_lat, "'abc' is not a number"),
])
def test_bad_values_name_themselves(bad, func, message):
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        func(bad)


def test_distance_rejects_bad_coordinates():
    with pytest.raises(ValueError, match="latitude 100"):
        distance_km(100, 0, 0, 0)
    with pytest.raises(ValueError, match="longitude 200"):
        distance_km(0, 0, 0, [10, 200])


def test_unwrap_lon_is_continuous():
    assert unwrap_lon([179, -179, -170, 170]).tolist() == [179, 181, 190, 170]


class TestGeodesicPath:
    def test_vertices_lie_on_the_geodesic(self):
        path = geodesic_path(41.369883, 126.913631, 13.58111, 144.92444, max_step_km=50)
        line = GEOD.InverseLine(41.369883, 126.913631, 13.58111, 144.92444)
        for lon, lat in path.coords:
            # each vertex is at the distance along the line where its latitude says it is
            s = GEOD.Inverse(41.369883, 126.913631, lat, lon)["s12"]
            pos = line.Position(s)
            assert pos["lat2"] == pytest.approx(lat, abs=1e-8) and pos["lon2"] == pytest.approx(lon, abs=1e-8)
        assert len(path.coords) == math.ceil(3540.258 / 50) + 1

    def test_cut_at_the_antimeridian(self):
        path = geodesic_path(41.369883, 126.913631, 21.34927, -157.94397)   # Chagang to Pearl Harbor
        assert path.geom_type == "MultiLineString"
        west, east = path.geoms
        assert west.coords[-1][0] == 180.0 and east.coords[0][0] == -180.0
        assert west.coords[-1][1] == east.coords[0][1]
        for part in path.geoms:
            xs = np.array(part.coords)[:, 0]
            assert xs.min() >= -180 and xs.max() <= 180

    def test_unwrapped_is_one_continuous_line(self):
        path = geodesic_path(41.369883, 126.913631, 21.34927, -157.94397, unwrap=True)
        xs = np.array(path.coords)[:, 0]
        assert path.geom_type == "LineString"
        assert np.abs(np.diff(xs)).max() < 1 and xs[-1] == pytest.approx(360 - 157.94397)

    def test_across_the_pole(self):
        path = geodesic_path(80, 0, 80, 180)
        assert shapely.get_num_coordinates(path) >= 2
        lats = np.concatenate([np.array(g.coords)[:, 1] for g in getattr(path, "geoms", [path])])
        assert lats.max() == pytest.approx(90, abs=0.1)
