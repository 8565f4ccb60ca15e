"""The reach engine agrees with Karney (pyproj.Geod.inv) on every pair, everywhere.

The reference verdict of every test is the exact one, ``WGS84.inv(...)[2] / 1000 <= range``:
no test decides what a verdict "should" be from how its target was built.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from geo.core import engine
from geo.core.engine import distance_bounds_km, in_range_matrix, within_km
from geo.errors import InputError
from geo.core.geodesy import HALF_MERIDIAN_KM, WGS84


def karney_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lat1, lon1, lat2, lon2)))
    if lat1.size == 0:
        return np.zeros(lat1.shape)
    return np.asarray(WGS84.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())[2]).reshape(lat1.shape) / 1000.0


def brute_force(s_lat, s_lon, t_lat, t_lon, ranges_km):
    s_lat, s_lon, t_lat, t_lon = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (s_lat, s_lon, t_lat, t_lon))
    d = karney_km(s_lat[:, None], s_lon[:, None], t_lat[None, :], t_lon[None, :])
    return d[:, :, None] <= np.atleast_1d(np.asarray(ranges_km, dtype=float))


def normalize_lon(lon):
    return (np.asarray(lon, dtype=float) + 180.0) % 360.0 - 180.0


# --------------------------------------------------------------------------- strategies

lats = st.one_of(st.floats(-90, 90), st.sampled_from([-90.0, 90.0, 0.0, -89.9999999, 89.9999999]))
lons = st.one_of(st.floats(-180, 180), st.sampled_from([-180.0, 180.0, 0.0, 179.9999999, -179.9999999]))
points = st.tuples(lats, lons)
ranges = st.one_of(st.floats(1, 20010), st.sampled_from([1.0, 300.0, 10018.754, 19970.0, 20003.93, 20004.0, 20010.0]))


@st.composite
def scenes(draw):
    """Sites and targets anywhere, with targets near sites' antipodes and on top of sites."""
    sites = draw(st.lists(points, min_size=1, max_size=4))
    targets = draw(st.lists(points, min_size=0, max_size=25))
    for lat, lon in sites:
        for _ in range(draw(st.integers(0, 3))):                      # near-antipodal targets
            dlat, dlon = draw(st.floats(-2, 2)), draw(st.floats(-2, 2))
            targets.append((float(np.clip(-lat + dlat, -90, 90)), float(normalize_lon(lon + 180 + dlon))))
        if draw(st.booleans()):
            targets.append((lat, lon))                                # the site itself
    assume(targets)
    rs = draw(st.lists(ranges, min_size=1, max_size=5))
    return np.array(sites), np.array(targets), np.array(rs)


# --------------------------------------------------------------------------- agreement

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes())
def test_agrees_with_karney_anywhere_on_the_globe(scene):
    sites, targets, rs = scene
    got = in_range_matrix(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1], rs)
    want = brute_force(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1], rs)
    assert got.shape == want.shape and got.dtype == bool
    assert np.array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(scenes(), st.sampled_from([1, 3, 17, 1000]))
def test_any_chunk_size_gives_the_same_answer(scene, chunk_pairs):
    sites, targets, rs = scene
    got = in_range_matrix(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1], rs, chunk_pairs=chunk_pairs)
    assert np.array_equal(got, brute_force(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1], rs))


def test_uniform_random_world_with_many_ranges():
    rng = np.random.default_rng(20240611)
    s_lat, s_lon = np.degrees(np.arcsin(rng.uniform(-1, 1, 20))), rng.uniform(-180, 180, 20)
    t_lat, t_lon = np.degrees(np.arcsin(rng.uniform(-1, 1, 3000))), rng.uniform(-180, 180, 3000)
    rs = np.concatenate([rng.uniform(1, 20010, 12), [300, 1000, 4500, 10400, 13000, 15000, 20003.9, 20010]])
    got = in_range_matrix(s_lat, s_lon, t_lat, t_lon, rs, chunk_pairs=5000)
    assert np.array_equal(got, brute_force(s_lat, s_lon, t_lat, t_lon, rs))


# --------------------------------------------------------------------------- adversarial: the boundary

OFFSETS_M = (-0.1, -1e-3, 0.0, 1e-3, 0.1)


def boundary_targets(s_lat, s_lon, r_km, azimuths):
    """Targets placed along each azimuth at r + offset metres (Geod.fwd)."""
    n = len(azimuths) * len(OFFSETS_M)
    az = np.repeat(azimuths, len(OFFSETS_M))
    dist = r_km * 1000.0 + np.tile(OFFSETS_M, len(azimuths))
    lon, lat, _ = WGS84.fwd(np.full(n, s_lon), np.full(n, s_lat), az, dist)
    return np.clip(np.asarray(lat), -90, 90), normalize_lon(lon)


@settings(max_examples=80, deadline=None)
@given(points, st.one_of(st.floats(1, 19_900), st.sampled_from([1.0, 300.0, 4500.0, 10_000.0, 15_000.0])),
       st.lists(st.floats(0, 360), min_size=1, max_size=8))
def test_targets_a_millimetre_from_the_boundary(site, r_km, azimuths):
    s_lat, s_lon = site
    t_lat, t_lon = boundary_targets(s_lat, s_lon, r_km, azimuths)
    got = in_range_matrix([s_lat], [s_lon], t_lat, t_lon, [r_km])[0, :, 0]
    assert np.array_equal(got, karney_km(s_lat, s_lon, t_lat, t_lon) <= r_km)


def test_boundary_targets_really_straddle_the_range():
    """Sanity of the adversarial set: it is split by the range, and the engine follows it."""
    rng = np.random.default_rng(7)
    for _ in range(20):
        s_lat, s_lon = rng.uniform(-90, 90), rng.uniform(-180, 180)
        r_km = rng.uniform(1, 15_000)
        t_lat, t_lon = boundary_targets(s_lat, s_lon, r_km, rng.uniform(0, 360, 10))
        exact = karney_km(s_lat, s_lon, t_lat, t_lon)
        offsets = np.tile(OFFSETS_M, 10)
        assert np.all(exact[offsets == -0.1] <= r_km) and np.all(exact[offsets == 0.1] > r_km)
        assert np.all(np.abs(exact - r_km - offsets / 1000.0) < 1e-9)        # fwd/inv agree to a µm
        got = in_range_matrix([s_lat], [s_lon], t_lat, t_lon, [r_km])[0, :, 0]
        assert np.array_equal(got, exact <= r_km)


@settings(max_examples=80, deadline=None)
@given(scenes(), st.sampled_from([-1e-6, -1e-9, 0.0, 1e-9, 1e-6]))
def test_ranges_equal_to_a_distance(scene, offset_km):
    """Ranges placed exactly on (or a millimetre, or a micrometre, off) a pair's distance."""
    sites, targets, _ = scene
    d = karney_km(sites[:, :1], sites[:, 1:], targets[:, 0], targets[:, 1]).ravel()
    rs = d[d + offset_km > 0] + offset_km
    assume(rs.size)
    rs = rs[:6]
    got = in_range_matrix(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1], rs)
    assert np.array_equal(got, brute_force(sites[:, 0], sites[:, 1], targets[:, 0], targets[:, 1], rs))


# --------------------------------------------------------------------------- named places

@pytest.mark.parametrize("site, targets", [
    ((90.0, 0.0), [(-90.0, 0.0), (0.0, 45.0), (89.0, -180.0), (-89.9, 180.0), (90.0, 123.0)]),
    ((-90.0, 180.0), [(90.0, -180.0), (-60.0, 0.0), (-90.0, -180.0)]),
    ((0.0, 180.0), [(0.0, -180.0), (0.0, 0.0), (0.0, 0.5), (0.5, 0.0), (-0.0, 179.4), (0.0, -0.6)]),
    ((41.369883, 126.913631), [(-41.369883, -53.086369), (-41.3, -53.0), (13.58111, 144.92444)]),
    ((45.0, -179.9999), [(45.0, 179.9999), (-45.0, 0.0001), (-44.9, 0.2)]),
])
def test_poles_antimeridian_and_antipodes(site, targets):
    t = np.array(targets)
    d = karney_km(site[0], site[1], t[:, 0], t[:, 1])
    rs = np.concatenate([[1e-3, 1.0, 10_000.0, 19_990.0, HALF_MERIDIAN_KM, 20_010.0], d, d - 1e-6, d + 1e-6])
    rs = rs[rs > 0]
    got = in_range_matrix([site[0]], [site[1]], t[:, 0], t[:, 1], rs)
    assert np.array_equal(got, brute_force(site[0], site[1], t[:, 0], t[:, 1], rs))


def test_half_a_meridian_reaches_everywhere():
    rng = np.random.default_rng(3)
    t_lat, t_lon = rng.uniform(-90, 90, 500), rng.uniform(-180, 180, 500)
    assert in_range_matrix([90, 0, -33.9], [0, 180, 151.2], t_lat, t_lon, [HALF_MERIDIAN_KM + 1e-6]).all()


def test_ranges_in_any_order_with_repeats():
    rng = np.random.default_rng(11)
    s_lat, s_lon = rng.uniform(-90, 90, 5), rng.uniform(-180, 180, 5)
    t_lat, t_lon = rng.uniform(-90, 90, 400), rng.uniform(-180, 180, 400)
    rs = np.array([5000.0, 300.0, 5000.0, 12000.0, 1.0, 300.0])
    got = in_range_matrix(s_lat, s_lon, t_lat, t_lon, rs)
    assert np.array_equal(got, brute_force(s_lat, s_lon, t_lat, t_lon, rs))
    assert np.array_equal(got[..., 0], got[..., 2]) and np.array_equal(got[..., 1], got[..., 5])


# --------------------------------------------------------------------------- the bound itself

@settings(max_examples=300, deadline=None)
@given(points, points)
def test_bounds_contain_the_exact_distance(p1, p2):
    lo, hi = distance_bounds_km(*p1, *p2)
    d = float(karney_km(*p1, *p2))
    assert lo <= d <= hi
    assert hi - lo <= 0.0034 * d + 1e-5        # never wider than the sphere bound (a - b)/b·σ


@settings(max_examples=200, deadline=None)
@given(points, st.floats(-3, 3), st.floats(-3, 3))
def test_bounds_contain_the_exact_distance_near_the_antipode(p, dlat, dlon):
    q = (float(np.clip(-p[0] + dlat, -90, 90)), float(normalize_lon(p[1] + 180 + dlon)))
    lo, hi = distance_bounds_km(*p, *q)
    assert lo <= float(karney_km(*p, *q)) <= hi


def test_bounds_on_a_global_grid_with_a_quarter_of_the_envelope(monkeypatch):
    """Lambert's error stays within a quarter of the envelope used: a safety factor of 4 at least.

    (The measured maximum on a 0.5° grid of 23.6 million pairs is 0.1252 of the envelope.)
    """
    monkeypatch.setattr(engine, "_LAMBERT_ENVELOPE", 0.25)
    g = np.arange(-90, 90.1, 3.0)
    lat2, dlon = np.meshgrid(g, np.arange(-180, 180.1, 3.0), indexing="ij")
    for lat1 in np.arange(-90, 90.1, 6.0):
        lo, hi = distance_bounds_km(lat1, 0.0, lat2, dlon)
        d = karney_km(lat1, 0.0, lat2, dlon)
        assert np.all((lo <= d) & (d <= hi)), lat1


def test_bounds_for_short_lines_in_every_direction(monkeypatch):
    monkeypatch.setattr(engine, "_LAMBERT_ENVELOPE", 0.25)
    rng = np.random.default_rng(5)
    n = 20_000
    lat, lon = rng.uniform(-90, 90, n), rng.uniform(-180, 180, n)
    dist = 10.0 ** rng.uniform(-3, 6.5, n)                   # 1 mm to 3,000 km
    lon2, lat2, _ = WGS84.fwd(lon, lat, rng.uniform(0, 360, n), dist)
    lo, hi = distance_bounds_km(lat, lon, np.clip(lat2, -90, 90), normalize_lon(lon2))
    d = karney_km(lat, lon, np.clip(lat2, -90, 90), normalize_lon(lon2))
    assert np.all((lo <= d) & (d <= hi))


def test_sphere_bound_alone_holds_everywhere(monkeypatch):
    """b·σ <= s <= a·σ with parametric latitude (tier 1), Lambert switched off."""
    monkeypatch.setattr(engine, "_LAMBERT_MAX_SIGMA", -1.0)
    rng = np.random.default_rng(9)
    lat1, lon1 = np.degrees(np.arcsin(rng.uniform(-1, 1, 50_000))), rng.uniform(-180, 180, 50_000)
    lat2, lon2 = np.degrees(np.arcsin(rng.uniform(-1, 1, 50_000))), rng.uniform(-180, 180, 50_000)
    lo, hi = distance_bounds_km(lat1, lon1, lat2, lon2)
    d = karney_km(lat1, lon1, lat2, lon2)
    assert np.all((lo <= d) & (d <= hi))
    ratio = (hi - lo) / np.maximum(d, 1e-9)
    assert ratio.max() < 0.00337 and np.median(ratio) > 0.0033      # as wide as (a - b)/b


def test_bounds_broadcast_and_return_floats_for_scalars():
    lo, hi = distance_bounds_km(0, 0, [0, 10], [[1], [2], [3]])
    assert lo.shape == hi.shape == (3, 2)
    assert isinstance(distance_bounds_km(0, 0, 0, 0)[0], float)
    assert distance_bounds_km(10, 20, 10, 20) == (0.0, pytest.approx(1e-6))          # 1 mm margin


# --------------------------------------------------------------------------- the cheap bound does the work

def test_few_pairs_reach_the_exact_geodesic(monkeypatch):
    """On a world of random targets only a sliver of the pairs is solved exactly (no timing)."""
    solved = []
    real = engine.WGS84

    class Counting:
        def inv(self, *args):
            solved.append(np.size(args[0]))
            return real.inv(*args)

    monkeypatch.setattr(engine, "WGS84", Counting())
    rng = np.random.default_rng(1)
    s_lat, s_lon = np.degrees(np.arcsin(rng.uniform(-1, 1, 30))), rng.uniform(-180, 180, 30)
    t_lat, t_lon = np.degrees(np.arcsin(rng.uniform(-1, 1, 5000))), rng.uniform(-180, 180, 5000)
    rs = [300, 340, 500, 600, 690, 800, 1000, 1300, 1500, 1900, 2000, 2500, 3000, 4000, 4500, 5000,
          6700, 10000, 10400, 12874, 13000, 15000]
    in_range_matrix(s_lat, s_lon, t_lat, t_lon, rs)
    assert 0 < sum(solved) < 0.002 * 30 * 5000


# --------------------------------------------------------------------------- shapes and inputs

def test_shape_dtype_and_layout():
    m = in_range_matrix([1, 2, 3], [4, 5, 6], [7, 8], [9, 10], [100, 2000, 5000, 9000])
    assert m.shape == (3, 2, 4) and m.dtype == np.bool_
    assert m[:, :, 2].flags.c_contiguous                      # one contiguous mask per range
    assert np.ascontiguousarray(m).tolist() == m.tolist()


def test_scalars_are_one_point():
    assert in_range_matrix(0, 0, 0, 1, 200).shape == (1, 1, 1)


@pytest.mark.parametrize("shape", [(0, 3, 2), (2, 0, 2), (2, 3, 0), (0, 0, 0)])
def test_empty_inputs_give_empty_arrays_of_the_right_shape(shape):
    n_s, n_t, k = shape
    m = in_range_matrix(np.zeros(n_s), np.zeros(n_s), np.ones(n_t), np.ones(n_t), np.full(k, 100.0))
    assert m.shape == shape and m.dtype == bool


@pytest.mark.parametrize("args, fragment", [
    (([91], [0], [0], [0], [100]), "site latitude 91 is outside [-90, 90]"),
    (([0], [-180.5], [0], [0], [100]), "site longitude -180.5 is outside [-180, 180]"),
    (([0], [0], [np.nan], [0], [100]), "target latitude nan"),
    (([0], [0], [0], [200], [100]), "target longitude 200"),
    (([0], [0], [0], [0], [0]), "range 0 km"),
    (([0], [0], [0], [0], [-3]), "range -3 km"),
    (([0], [0], [0], [0], [np.inf]), "range inf km"),
    (([0], [0], [0], [0], [np.nan]), "range nan km"),
    (([0], [0], [0], [0], ["far"]), "'far'"),
    (([0, 1], [0], [0], [0], [100]), "site latitudes (2) and longitudes (1)"),
    (([[0]], [[0]], [0], [0], [100]), "shape (1, 1)"),
])
def test_bad_inputs_raise_value_error_naming_the_value(args, fragment):
    with pytest.raises(ValueError) as err:
        in_range_matrix(*args)
    assert isinstance(err.value, InputError)
    assert fragment in str(err.value)


@pytest.mark.parametrize("chunk_pairs", [0, -5, "many"])
def test_bad_chunk_size(chunk_pairs):
    with pytest.raises(InputError, match="chunk_pairs"):
        in_range_matrix([0], [0], [0], [0], [1], chunk_pairs=chunk_pairs)


def test_within_km_one_site():
    t_lat = np.array([[13.58111, 21.35], [38.9072, 35.68]])
    t_lon = np.array([[144.92444, -157.94], [-77.0369, 139.77]])
    got = within_km(41.369883, 126.913631, t_lat, t_lon, 4500)
    assert got.shape == (2, 2)
    assert np.array_equal(got, karney_km(41.369883, 126.913631, t_lat, t_lon) <= 4500)
    assert within_km(0, 0, 0, 0.001, 1).shape == ()
    with pytest.raises(InputError, match="site latitude must be one number"):
        within_km([0, 1], 0, 0, 0, 100)
    with pytest.raises(InputError, match="range 0 km"):
        within_km(0, 0, 0, 0, 0)


def test_many_ranges_use_wider_codes():
    """Over 254 ranges the pair codes no longer fit a byte: same answers."""
    rng = np.random.default_rng(13)
    s_lat, s_lon = rng.uniform(-90, 90, 3), rng.uniform(-180, 180, 3)
    t_lat, t_lon = rng.uniform(-90, 90, 300), rng.uniform(-180, 180, 300)
    rs = np.concatenate([rng.uniform(1, 20010, 280), karney_km(s_lat[0], s_lon[0], t_lat[:20], t_lon[:20])])
    got = in_range_matrix(s_lat, s_lon, t_lat, t_lon, rs)
    assert np.array_equal(got, brute_force(s_lat, s_lon, t_lat, t_lon, rs))


def test_table_sine_and_cosine_are_accurate():
    x = np.concatenate([np.linspace(-np.pi, np.pi, 1_000_001), [0.0, -0.0, 5e-324, np.pi / 2, -np.pi / 2]])
    s, c = engine._sincos(x)
    assert np.abs(s - np.sin(x)).max() <= 2.5e-16
    assert np.abs(c - np.cos(x)).max() <= 2.5e-16
