"""Launch areas (geo.core.buffer) against a brute force: the nearest-point distance over the outline
densified to about 2 km, computed one point at a time with Karney's geodesic."""

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from geo.core.buffer import buffer_area, is_whole_globe, nearest_point
from geo.catalog.countries import country_records

GEOD = Geodesic.WGS84
EDGE_KM = 1.0


def outline(area, step_km=2.0):
    """Every ring of `area` sampled along its lon/lat-straight edges about every `step_km`."""
    pts = []
    for poly in shapely.get_parts(area):
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            for a, b in zip(xy[:-1], xy[1:]):
                cos = np.cos(np.radians(min(abs(a[1]), abs(b[1]))))
                km = max(abs(b[1] - a[1]) * 111.7, abs(b[0] - a[0]) * 111.7 * cos)
                n = max(int(np.ceil(km / step_km)), 1)
                pts.append(a + np.outer(np.arange(n) / n, b - a))
    return np.vstack(pts)


def brute(area, lon, lat, pts):
    """Nearest-point distance (km) from (lat, lon) to `area`: 0 inside, else over the outline points."""
    if shapely.intersects_xy(area, lon, lat):
        return 0.0
    return min(GEOD.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"] for x, y in pts) / 1000.0


def brute_many(area, lons, lats, pts):
    """The same for many points, vectorized through pyproj (Karney's algorithm too), checked
    against geographiclib on a few."""
    from pyproj import Geod

    g = Geod(ellps="WGS84")
    out = np.empty(len(lons))
    inside = shapely.intersects_xy(area, lons, lats)
    for i, (x, y) in enumerate(zip(lons, lats)):
        out[i] = 0.0 if inside[i] else np.min(g.inv(np.full(len(pts), x), np.full(len(pts), y), pts[:, 0],
                                                       pts[:, 1])[2]) / 1000.0
    for i in range(0, len(lons), max(1, len(lons) // 3)):
        assert out[i] == pytest.approx(brute(area, lons[i], lats[i], pts), abs=1e-6)
    return out


def country(iso):
    recs, geoms = country_records()
    return geoms[[r["iso_a3"] for r in recs].index(iso)]


ANTIMERIDIAN = shapely.MultiPolygon([shapely.box(170, -10, 180, 10), shapely.box(-180, -10, -170, 10)])
POLE = shapely.box(-180, 80, 180, 90)
NEAR_POLE = shapely.box(0, 84, 60, 88)

CASES = [
    ("North Korea 1,000 km", country("PRK"), 1000.0, (100, 160, 15, 65)),
    ("across the antimeridian 2,000 km", ANTIMERIDIAN, 2000.0, (140, 220, -35, 35)),
    ("north of 80°N 1,500 km", POLE, 1500.0, (-180, 180, 55, 90)),
    ("a box near the pole 800 km", NEAR_POLE, 800.0, (-180, 180, 70, 90)),
    ("North Korea 13,000 km", country("PRK"), 13000.0, (-180, 180, -90, 90)),
]


def _random_points(box, n, seed):
    rng = np.random.default_rng(seed)
    x0, x1, y0, y1 = box
    lons = (rng.uniform(x0, x1, n) + 180.0) % 360.0 - 180.0
    s0, s1 = np.sin(np.radians([y0, y1]))
    lats = np.degrees(np.arcsin(rng.uniform(s0, s1, n)))      # uniform on the sphere within the band
    return lons, lats


@pytest.mark.parametrize("name, area, radius, box", CASES, ids=[c[0] for c in CASES])
def test_region_membership_equals_brute_force(name, area, radius, box):
    region = buffer_area(area, radius)
    lons, lats = _random_points(box, 250, seed=len(name))
    d = brute_many(area, lons, lats, outline(area))
    inside = shapely.intersects_xy(region, lons, lats)
    clear = np.abs(d - radius) > EDGE_KM
    assert clear.sum() > 200
    assert np.array_equal(inside[clear], d[clear] <= radius), name


@pytest.mark.parametrize("name, area, radius, box", CASES[:4], ids=[c[0] for c in CASES[:4]])
def test_region_edge_lies_within_1_km_of_the_true_boundary(name, area, radius, box):
    """Every vertex and every edge midpoint of the region's outline (but the cut along ±180° and
    the pole closures, which lie inside) is at the radius from the area, within 1 km."""
    region = buffer_area(area, radius)
    pts = outline(area)
    xy = []
    for poly in shapely.get_parts(region):
        for ring in [poly.exterior, *poly.interiors]:
            c = np.asarray(ring.coords)
            mid = (c[:-1] + c[1:]) / 2
            xy.extend([c[:-1], mid])
    xy = np.vstack(xy)
    real = (np.abs(np.abs(xy[:, 0]) - 180.0) > 1e-9) & (np.abs(np.abs(xy[:, 1]) - 90.0) > 1e-9)
    xy = xy[real][:: max(1, real.sum() // 150)]
    d = brute_many(area, xy[:, 0], xy[:, 1], pts)
    assert np.max(np.abs(d - radius)) < EDGE_KM, (name, np.max(np.abs(d - radius)))


@pytest.mark.parametrize("name, area, radius, box", CASES[:4], ids=[c[0] for c in CASES[:4]])
def test_nearest_point_equals_brute_force(name, area, radius, box):
    lons, lats = _random_points(box, 60, seed=7 + len(name))
    pts = outline(area)
    d = brute_many(area, lons, lats, pts)
    for x, y, want in zip(lons, lats, d):
        n = nearest_point(area, y, x)
        assert n.inside == (want == 0.0)
        assert n.distance_km <= want + 1e-6                     # never farther than a point of the outline
        assert want - n.distance_km < (1.0 if want < 50 else 0.05)   # the brute force's own spacing
        if not n.inside:                                          # the point reported is at that distance
            s = GEOD.Inverse(y, x, n.lat, n.lon, Geodesic.DISTANCE)["s12"] / 1000.0
            assert s == pytest.approx(n.distance_km, abs=1e-6)
            assert shapely.distance(area.boundary, shapely.Point(n.lon, n.lat)) < 1e-9


def test_nearest_point_across_the_antimeridian_and_inside():
    n = nearest_point(ANTIMERIDIAN, 0.0, -165.0)
    assert n.lon == pytest.approx(-170.0) and n.lat == pytest.approx(0.0, abs=1e-6)
    assert n.distance_km == pytest.approx(GEOD.Inverse(0, -165, 0, -170)["s12"] / 1000.0, abs=1e-6)
    assert nearest_point(ANTIMERIDIAN, 5.0, 179.9) == (0.0, 5.0, 179.9, True)


def test_buffer_across_the_antimeridian_is_cut_there_and_symmetric():
    region = buffer_area(ANTIMERIDIAN, 2000.0)
    assert region.geom_type == "MultiPolygon" and region.bounds[0] == -180.0 and region.bounds[2] == 180.0
    left = shapely.clip_by_rect(region, -180, -90, 0, 90)
    right = shapely.clip_by_rect(region, 0, -90, 180, 90)
    mirrored = shapely.transform(left, lambda xy: np.column_stack([-xy[:, 0], xy[:, 1]]))
    assert shapely.symmetric_difference(mirrored, right).area < 1e-3 * right.area


def test_buffer_is_the_whole_globe_when_nothing_is_farther():
    assert is_whole_globe(buffer_area(shapely.box(0, 0, 1, 1), 20_100.0))
    assert is_whole_globe(buffer_area(shapely.box(-180, -60, 180, 60), 3_500.0))


def test_a_tiny_area_buffers_to_the_range_ring_of_its_point():
    """All boundary points on (nearly) one great circle: the Voronoi shortcut cannot run, every circle is tested."""
    from geo.core.rings import range_ring

    region = buffer_area(shapely.box(30.0, 10.0, 30.000001, 10.000001), 500.0)
    ring = range_ring(10.0, 30.0, 500.0)
    assert shapely.symmetric_difference(region, ring).area < 2e-3 * ring.area
    assert is_whole_globe(buffer_area(shapely.box(-180, -90, 180, 90), 1.0))
