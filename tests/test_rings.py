"""Range rings: every rule of ``range_ring`` over the whole globe, and named edge cases.

The independent reference is geographiclib (distances from the site) and plain
``distance <= range`` for membership.
"""


import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import display_ring, range_ring
from geo.core.geodesy import HALF_MERIDIAN_KM, WGS84
from geo.core.rings import MERCATOR_LAT_LIMIT, TOLERANCE_KM, reach_region

GEOD = Geodesic.WGS84
CHAGANG = (41.369883, 126.913631)


def dist_km(lat, lon, plons, plats):
    plons, plats = np.asarray(plons, float), np.asarray(plats, float)
    return np.asarray(WGS84.inv(np.full(plons.size, lon), np.full(plons.size, lat), plons, plats)[2]) / 1000


def polygons(geom):
    return list(getattr(geom, "geoms", [geom]))


def rings_of(geom):
    for p in polygons(geom):
        yield np.asarray(p.exterior.coords)
        for hole in p.interiors:
            yield np.asarray(hole.coords)


def added(xy):
    """Points the rules allow off the circle: on the antimeridian cut or at a pole."""
    return (np.abs(xy[:, 0]) == 180.0) | (np.abs(xy[:, 1]) == 90.0)


def circle_edges(geom):
    """Edges that trace the circle (not the ones running along ±180 or along a pole)."""
    for xy in rings_of(geom):
        a, b = xy[:-1], xy[1:]
        along_cut = (a[:, 0] == b[:, 0]) & (np.abs(a[:, 0]) == 180.0)
        along_pole = (a[:, 1] == b[:, 1]) & (np.abs(a[:, 1]) == 90.0)
        keep = ~(along_cut | along_pole)
        yield a[keep], b[keep]


def max_edge_error_km(geom, lat, lon, radius, samples=24):
    worst = 0.0
    f = np.linspace(0, 1, samples + 1)[1:-1]
    for a, b in circle_edges(geom):
        if len(a):
            pts = a[:, None, :] + f[None, :, None] * (b - a)[:, None, :]
            d = dist_km(lat, lon, pts[..., 0].ravel(), pts[..., 1].ravel())
            worst = max(worst, float(np.abs(d - radius).max()))
    return worst


# --- strategies ---------------------------------------------------------------

lats = st.one_of(st.floats(-90, 90), st.sampled_from([90.0, -90.0, 0.0, 89.9999, -45.0, CHAGANG[0]]))
lons = st.one_of(st.floats(-180, 180), st.sampled_from([180.0, -180.0, 0.0, 179.99, -179.99, CHAGANG[1]]))
radii = st.one_of(st.floats(1, 20_010), st.floats(19_900, 20_010), st.floats(1, 200),
                  st.sampled_from([1.0, 5_450.0, 10_001.97, 13_000.0, 19_970.0, 20_003.9, 20_010.0]))
PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(lats, lons, radii)
def test_vertices_lie_on_the_circle(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    assert ring.is_valid
    for xy in rings_of(ring):
        on_circle = xy[~added(xy)]
        if len(on_circle):
            err = np.abs(dist_km(lat, lon, on_circle[:, 0], on_circle[:, 1]) - radius)
            assert err.max() < 0.001, f"vertex {err.max() * 1000:.3f} m off the circle"


@PROPERTY
@given(lats, lons, radii)
def test_edges_stay_within_tolerance(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    assert max_edge_error_km(ring, lat, lon, radius) < TOLERANCE_KM


@PROPERTY
@given(lats, lons, radii)
def test_no_edge_crosses_the_antimeridian(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    xmin, ymin, xmax, ymax = ring.bounds
    assert -180 <= xmin and xmax <= 180 and -90 <= ymin and ymax <= 90
    for xy in rings_of(ring):
        # a crossing edge would join points near +180 and -180 in one step
        assert np.abs(np.diff(xy[:, 0])).max(initial=0) <= 360
        jumps = np.abs(np.diff(xy[:, 0])) > 180
        assert not jumps.any() or np.all(np.abs(xy[1:][jumps][:, 1]) == 90)


@PROPERTY
@given(lats, lons, radii)
def test_poles_inside_exactly_when_in_range(lat, lon, radius):
    ring = range_ring(lat, lon, radius)
    for pole in (90.0, -90.0):
        d = GEOD.Inverse(lat, lon, pole, 0)["s12"] / 1000
        if abs(d - radius) > TOLERANCE_KM:
            assert shapely.intersects_xy(ring, 0.0, pole) == (d <= radius)
            if d <= radius < HALF_MERIDIAN_KM:
                # the outline runs along ±180 up to the pole
                corners = {tuple(c) for xy in rings_of(ring) for c in xy}
                assert (180.0, pole) in corners and (-180.0, pole) in corners


@PROPERTY
@given(lats, lons, radii, st.integers(0, 2**32 - 1))
def test_membership_agrees_with_distance(lat, lon, radius, seed):
    ring = range_ring(lat, lon, radius)
    rng = np.random.default_rng(seed)
    n = 2000
    # uniform over the sphere, plus a band of points just inside and outside the circle
    plat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    plon = rng.uniform(-180, 180, n)
    az = rng.uniform(0, 360, 400)
    near = np.clip(radius + rng.choice([-1.2, 1.2], 400), 0.0, None)
    nlon, nlat, _ = WGS84.fwd(np.full(400, lon), np.full(400, lat), az, near * 1000)
    plon, plat = np.concatenate([plon, nlon]), np.concatenate([plat, nlat])
    d = dist_km(lat, lon, plon, plat)
    far = np.abs(d - radius) > TOLERANCE_KM
    inside = shapely.contains_xy(ring, plon, plat)
    # points exactly on the cut lines are on the polygon boundary: count them with intersects
    cut = (np.abs(plon) == 180) | (np.abs(plat) == 90)
    inside[cut] = shapely.intersects_xy(ring, plon[cut], plat[cut])
    wrong = far & (inside != (d <= radius))
    assert not wrong.any(), f"{wrong.sum()} points misclassified, e.g. {plon[wrong][0]}, {plat[wrong][0]}"


@settings(max_examples=60, deadline=None)
@given(lats, lons, radii)
def test_display_form_is_the_same_region(lat, lon, radius):
    """The web-map shape, folded back into [-180, 180], equals the analysis ring clipped at the map's limit."""
    ring = range_ring(lat, lon, radius)
    shape = display_ring(lat, lon, radius)
    assert shape.is_valid
    analysis = shapely.clip_by_rect(ring, -180, -MERCATOR_LAT_LIMIT, 180, MERCATOR_LAT_LIMIT)
    if shape.is_empty:           # a small cap beyond the map's latitude limit
        assert analysis.area < 1e-9
        return
    xmin, ymin, xmax, ymax = shape.bounds
    assert xmin >= lon - 180 - 1e-9 and xmax <= lon + 180 + 1e-9 and max(-ymin, ymax) <= MERCATOR_LAT_LIMIT
    folded = shapely.union_all([
        shapely.transform(shapely.clip_by_rect(shape, k * 360 - 180, -90, k * 360 + 180, 90),
                          lambda xy, k=k: xy - (k * 360, 0))
        for k in (-1, 0, 1)
    ])
    assert shapely.symmetric_difference(folded, analysis).area < 1e-6 * max(analysis.area, 1e-3)


# --- named edge cases -----------------------------------------------------------

def test_founding_scenario_crosses_the_antimeridian_and_covers_guam():
    ring = range_ring(*CHAGANG, 4500)
    assert ring.geom_type == "MultiPolygon"
    assert shapely.contains_xy(ring, 144.92444, 13.58111)                     # Guam, 3,540 km
    east = max(p.bounds[2] for p in ring.geoms if p.bounds[0] == -180)
    # farthest east the circle reaches, from geographiclib: 186.576 E = -173.424
    far_east = max(GEOD.Direct(*CHAGANG, az, 4500e3)["lon2"] % 360 for az in np.arange(30, 50, 0.01))
    assert east == pytest.approx(far_east - 360, abs=0.01)


def test_display_form_of_the_founding_ring_is_one_shape_across_the_pacific():
    shape = display_ring(*CHAGANG, 4500)
    assert shape.geom_type == "Polygon" and shape.bounds[2] == pytest.approx(186.576, abs=0.01)


def test_icbm_ring_from_41n_encloses_the_north_pole():
    # From 41 N the pole is 5,461.4 km away: every ICBM ring encloses it.
    d_pole = GEOD.Inverse(41.0, 126.9, 90, 0)["s12"] / 1000
    assert d_pole == pytest.approx(5461.39, abs=0.01)
    assert not shapely.intersects_xy(range_ring(41.0, 126.9, d_pole - 2), 0, 90)
    assert shapely.intersects_xy(range_ring(41.0, 126.9, d_pole + 2), 0, 90)
    ring = range_ring(41.0, 126.9, 13_000)
    assert ring.geom_type == "Polygon" and ring.bounds == (-180.0, pytest.approx(ring.bounds[1]), 180.0, 90.0)


def test_beyond_a_quarter_is_all_but_a_cap_around_the_antipode():
    ring = range_ring(0.0, 0.0, 15_000)       # encloses both poles
    assert shapely.intersects_xy(ring, 0, 90) and shapely.intersects_xy(ring, 0, -90)
    assert not shapely.contains_xy(ring, 180, 0) and not shapely.contains_xy(ring, -179.9, 0)
    for az in (30, 100, 200, 300):
        inside = GEOD.Direct(0, 0, az, (15_000 - 20) * 1e3)
        outside = GEOD.Direct(0, 0, az, (15_000 + 20) * 1e3)
        assert shapely.contains_xy(ring, inside["lon2"], inside["lat2"])
        assert not shapely.contains_xy(ring, outside["lon2"], outside["lat2"])


@pytest.mark.parametrize("radius", [19_975.0, 19_990.0, 20_000.0, 20_003.0])
def test_near_antipodal_rings_beyond_the_cut_locus(radius):
    """Past ~19,970 km geodesics from an equatorial site pass their cut locus; the hole is still right."""
    ring = range_ring(0.0, 0.0, radius)
    hole = [np.asarray(h.coords) for p in polygons(ring) for h in p.interiors] or [
        xy for xy in rings_of(ring) if (~added(xy)).any()]
    pts = np.concatenate(hole)
    pts = pts[~added(pts)]
    assert len(pts) > 8
    assert np.abs(dist_km(0, 0, pts[:, 0], pts[:, 1]) - radius).max() < 0.001


@pytest.mark.parametrize("radius", [HALF_MERIDIAN_KM, 20_010.0, 25_000.0])
def test_half_a_meridian_or_more_is_the_whole_globe(radius):
    assert range_ring(12.0, 34.0, radius).equals(shapely.box(-180, -90, 180, 90))


@pytest.mark.parametrize("pole", [90.0, -90.0])
def test_ring_centred_on_a_pole_is_a_cap(pole):
    ring = range_ring(pole, 0.0, 1000)
    xy = np.asarray(ring.exterior.coords)
    circle = xy[~added(xy)]
    assert np.ptp(circle[:, 1]) < 1e-9                               # a circle of latitude
    assert shapely.intersects_xy(ring, 123.0, pole)


def test_ring_at_the_antimeridian_on_the_equator():
    ring = range_ring(0.0, 180.0, 500)
    assert ring.geom_type == "MultiPolygon" and len(ring.geoms) == 2
    assert shapely.contains_xy(ring, 179.0, 0.0) and shapely.contains_xy(ring, -179.0, 0.0)


def test_ring_through_a_pole_region_without_enclosing_it():
    d_pole = GEOD.Inverse(80.0, 10.0, 90, 0)["s12"] / 1000
    ring = range_ring(80.0, 10.0, d_pole - 5)
    assert not shapely.intersects_xy(ring, 0, 90)
    assert max_edge_error_km(ring, 80.0, 10.0, d_pole - 5) < TOLERANCE_KM


def test_exterior_rings_are_counter_clockwise():
    for geom in (range_ring(*CHAGANG, 4500), range_ring(*CHAGANG, 13_000), range_ring(0, 0, 15_000)):
        for p in polygons(geom):
            assert p.exterior.is_ccw
            assert all(not h.is_ccw for h in p.interiors)


@pytest.mark.parametrize("radius", [1_000, 5_000, 13_000, 17_000])
def test_not_many_more_vertices_than_needed(radius):
    """Dropping every other vertex breaks the tolerance: the ring is no more than twice as dense as it must be."""
    ring = range_ring(*CHAGANG, radius)
    def thin(xy):
        keep = added(xy) | (np.arange(len(xy)) % 2 == 0)
        keep[-1] = True
        return xy[keep]

    thinned = [shapely.Polygon(thin(np.asarray(p.exterior.coords)),
                               [thin(np.asarray(h.coords)) for h in p.interiors]) for p in polygons(ring)]
    assert max_edge_error_km(shapely.MultiPolygon(thinned), *CHAGANG, radius) > TOLERANCE_KM


def test_reach_region_follows_a_radius_function():
    region = reach_region(0, 0, lambda az: 1000 + 500 * np.sin(np.radians(az)))
    east = GEOD.Direct(0, 0, 90, 1500e3)["lon2"]
    west = GEOD.Direct(0, 0, 270, 500e3)["lon2"]
    assert region.bounds[2] == pytest.approx(east, abs=1e-6) and region.bounds[0] == pytest.approx(west, abs=1e-6)


@pytest.mark.parametrize("args,message", [
    ((91, 0, 100), "site latitude 91"),
    ((-90.1, 0, 100), "site latitude -90.1"),
    ((0, 181, 100), "site longitude 181"),
    ((0, -180.5, 100), "site longitude -180.5"),
    ((float("nan"), 0, 100), "site latitude nan"),
    ((0, float("nan"), 100), "site longitude nan"),
    ((0, 0, 0), "range 0 km"),
    ((0, 0, -10), "range -10 km"),
    ((0, 0, float("nan")), "range nan km"),
])
def test_bad_input_raises_value_error_naming_the_value(args, message):
    with pytest.raises(ValueError, match=message):
        range_ring(*args)
    with pytest.raises(ValueError, match=message):
        display_ring(*args)


def test_a_reach_that_jumps_with_the_azimuth_gives_a_bounded_region():
    """A model's reach may jump (near orbital): the sampler stops splitting at the jump instead of
    allocating without end, and every vertex still lies on the reach."""
    import numpy as np
    import shapely

    from geo.core.geodesy import WGS84

    def jumpy(az):
        return np.where((np.asarray(az) % 360.0) < 69.9, 13_000.0, np.where((np.asarray(az) % 360.0) < 70.0,
                                                                             18_600.0, 9_000.0))

    region = reach_region(39.66, 124.705, jumpy)
    xy = shapely.get_coordinates(region)
    assert region.is_valid and len(xy) < 120_000
    inner = xy[(np.abs(xy[:, 0]) < 180) & (np.abs(xy[:, 1]) < 90)]
    az, _, d = WGS84.inv(np.full(len(inner), 124.705), np.full(len(inner), 39.66), inner[:, 0], inner[:, 1])
    on = np.isin(np.round(np.asarray(d) / 1000.0, 3), [13_000.0, 18_600.0, 9_000.0])
    assert on.mean() > 0.95
