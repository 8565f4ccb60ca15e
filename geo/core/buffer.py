"""Launch areas: the geodesic buffer of a polygon on WGS84, and the distance from its nearest point.

A launch area (a country's territory, a submarine patrol box) is a lon/lat polygon whose edges
are straight in lon/lat, as in GeoJSON (RFC 7946: cut at the antimeridian). The region a missile
of range R reaches from anywhere in it is

    B = A ∪ {p : d(p, q) ≤ R for some q on the boundary of A}

(d: Karney's geodesic on WGS84). :func:`buffer_area` returns B as shapely geometry in lon/lat
under the rules of :func:`geo.core.rings.range_ring`: every edge within 1 km of the true
boundary, cut at the antimeridian, pole caps closed, the whole globe from the distance at which
no point is farther than R from A.

How: B is A together with the discs of radius R around every boundary point; its edge is the
envelope of those circles. The boundary is densified so that consecutive points lie at most `s`
apart, where `s` keeps the scallops between neighbouring circles below 0.2 km (on a sphere of
radius a, two circles of radius ρ around points s apart on a boundary meet at a depth
ρ − arccos(cos ρ / cos(s/2)) under the true edge: about s²/(8ρ)). Most circles lie wholly inside
their neighbours (a coastline's detail, the far side of a country): each circle is sampled
finely enough that a circle covered at every sample pokes out by under 0.1 km between them, its
samples tested against the other centres (nearest centres through a k-d tree on the unit sphere,
exact geodesics wherever the sphere cannot decide) and against the area itself; only circles
with an uncovered sample are drawn, as range rings (tolerance 0.6 km), and united with the area.
Within 1 km: ring 0.6 + scallop 0.2 + pruning 0.1 km.

:func:`nearest_point` gives the area's nearest point to a place and the distance to it: zero
inside; else the nearest vertex of the boundary densified to 5 km, refined by golden-section
search along the boundary segments on either side of the few nearest vertices.

>>> import shapely
>>> box = shapely.box(125.0, 39.0, 129.0, 42.0)              # a box over North Korea
>>> region = buffer_area(box, 1000.0)
>>> bool(shapely.contains_xy(region, 135.0, 34.7)), bool(shapely.contains_xy(region, 144.9, 13.6))
(True, False)
>>> n = nearest_point(box, 13.58111, 144.92444)              # Guam
>>> round(n.distance_km), round(n.lat, 2), round(n.lon, 2), n.inside
(3223, 39.0, 129.0, False)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import shapely

from ..errors import InputError
from ..validate import check_range_km
from .geodesy import HALF_MERIDIAN_KM, WGS84

__all__ = ["buffer_area", "nearest_point", "NearestPoint", "boundary_points", "is_whole_globe", "GLOBE_AREA_DEG2",
           "SCALLOP_KM", "PRUNE_KM", "RING_TOLERANCE_KM"]

#: Mean Earth radius used to size the sampling (km); every distance is still Karney's on WGS84.
_A = 6371.0088
#: Error budget of :func:`buffer_area`, km: scallops between circles, circles left out, ring edges.
SCALLOP_KM, PRUNE_KM, RING_TOLERANCE_KM = 0.2, 0.1, 0.6
#: The lon/lat box of the whole globe, square degrees.
GLOBE_AREA_DEG2 = 360.0 * 180.0
# The ellipsoid's geodesic differs from a great circle on the mean sphere by under 0.6%:
# beyond that, the sphere decides whether a sample is covered.
_SPHERE_SLACK = 0.006
_NEIGHBOURS = 8
_NEAREST_SPACING_KM = 5.0


class NearestPoint(NamedTuple):
    """The point of an area nearest to a place."""

    #: Geodesic distance from the place to the point, km (0 inside the area).
    distance_km: float
    lat: float
    lon: float
    #: The place lies in the area (the point is the place itself).
    inside: bool


def _rings(area) -> list[np.ndarray]:
    """Every exterior and interior ring of `area` as an (n, 2) lon/lat array (closed: first == last)."""
    out = []
    for poly in shapely.get_parts(area):
        if poly.is_empty:
            continue
        out.append(np.asarray(poly.exterior.coords, dtype=float))
        out.extend(np.asarray(r.coords, dtype=float) for r in poly.interiors)
    return out


def _edge_km(xy: np.ndarray) -> np.ndarray:
    """Geodesic length of each edge between consecutive points of `xy`, km."""
    return np.asarray(WGS84.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])[2]) / 1000.0


def _densify(xy: np.ndarray, spacing_km: float) -> np.ndarray:
    """A closed ring with points added along each lon/lat-straight edge until consecutive points
    are at most `spacing_km` apart (measured again after each split: lon/lat lines bend near the poles)."""
    steps = np.abs(np.diff(xy, axis=0)).max(axis=1)
    first = True
    for _ in range(12):
        km = _edge_km(xy)
        # lon/lat edges are measured in pieces of at most 1°: an edge along a parallel can end where it began
        parts = np.maximum(np.ceil(km / spacing_km).astype(int), np.ceil(steps).astype(int) if first else 1)
        parts = np.maximum(parts, 1)
        first = False
        if parts.max() == 1:
            return xy
        pieces = [xy[i] + np.outer(np.arange(k) / k, xy[i + 1] - xy[i]) for i, k in enumerate(parts)]
        xy = np.vstack(pieces + [xy[-1:]])
    return xy


def boundary_points(area, spacing_km: float) -> list[np.ndarray]:
    """The boundary rings of `area`, densified so that consecutive points are at most `spacing_km` apart.

    >>> [len(r) for r in boundary_points(shapely.box(0, 0, 1, 1), 50.0)]
    [13]
    """
    return [_densify(r, spacing_km) for r in _rings(area)]


def _scallop_spacing(radius_km: float) -> float:
    """Largest spacing of circle centres along a boundary keeping scallops under :data:`SCALLOP_KM`."""
    rho = min(radius_km, HALF_MERIDIAN_KM / 2.0 - SCALLOP_KM) / _A
    depth = SCALLOP_KM / _A
    if rho <= depth:
        return 2.0 * SCALLOP_KM
    ratio = math.cos(rho) / math.cos(rho - depth)          # cos(s/2); for rho near 90° the depth bound is ~0
    s = 2.0 * _A * math.acos(min(ratio, 1.0)) if ratio < 1.0 else 2.0 * SCALLOP_KM
    return float(min(max(s, 2.0 * SCALLOP_KM), 200.0))


def _circle_samples(radius_km: float) -> int:
    """Samples per circle such that an arc between two covered samples pokes out under :data:`PRUNE_KM`.

    An arc of a circle of spherical radius ρ between samples 2π/n apart stands off its chord by
    about π² a |sin 2ρ| / (4 n²) (geodesic curvature cot ρ / a, arc length 2π a sin ρ / n).
    """
    rho = radius_km / _A
    n = math.pi * math.sqrt(_A * abs(math.sin(2.0 * rho)) / (4.0 * PRUNE_KM))
    return int(min(max(math.ceil(1.2 * n), 32), 480))


def _unit(lon, lat) -> np.ndarray:
    lon, lat = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _exposed_centres(centres: np.ndarray, area, radius_km: float) -> np.ndarray:
    """Indices of the centres whose circle has a point outside the area and every other circle.

    A circle pokes out of the others only where its centre's Voronoi cell (on the unit sphere)
    reaches farther than the radius: the candidates are the centres with a cell vertex beyond
    the radius less the sphere's slack, and their nearest neighbours (where sphere and ellipsoid
    might order two close centres differently). Their circles are then sampled finely
    (:func:`_circle_samples`) and tested exactly: the sphere first, Karney's geodesic wherever
    the sphere cannot decide.
    """
    from scipy.spatial import SphericalVoronoi, cKDTree

    xyz = _unit(centres[:, 0], centres[:, 1])
    tree = cKDTree(xyz)
    try:
        vor = SphericalVoronoi(xyz, threshold=1e-12) if len(centres) >= 4 else None
    except ValueError:                      # points on one great circle (a sliver): test every circle
        vor = None
    if vor is None:
        candidates = np.arange(len(centres))
    else:
        reach = np.array([np.max(np.arccos(np.clip(vor.vertices[r] @ xyz[i], -1.0, 1.0))) if r else math.pi
                          for i, r in enumerate(vor.regions)]) * _A
        far = np.flatnonzero(reach > radius_km * (1.0 - 2.0 * _SPHERE_SLACK) - PRUNE_KM)
        near = tree.query(xyz[far], k=min(_NEIGHBOURS, len(centres)))[1] if far.size else np.zeros((0, 1), int)
        candidates = np.unique(np.concatenate([far, np.ravel(near)]))
    return candidates[~_all_covered(centres, tree, candidates, radius_km, _circle_samples(radius_km), area)]


def _all_covered(centres, tree, which, radius_km, n_az, area) -> np.ndarray:
    """For each centre in `which`: every one of its `n_az` circle samples lies inside the area or another circle."""
    k = min(_NEIGHBOURS, len(centres))
    az = np.arange(n_az) * (360.0 / n_az)
    out = np.ones(len(which), bool)
    chunk = max(1, 200_000 // n_az)
    for start in range(0, len(which), chunk):
        ids = which[start:start + chunk]
        c = centres[ids]
        own = np.repeat(ids, n_az)
        pos = np.repeat(np.arange(start, start + len(ids)), n_az)
        lons, lats, _ = WGS84.fwd(np.repeat(c[:, 0], n_az), np.repeat(c[:, 1], n_az), np.tile(az, len(c)),
                                  np.full(len(c) * n_az, radius_km * 1000.0))
        lons, lats = np.asarray(lons), np.asarray(lats)
        open_ = ~shapely.contains_xy(area, lons, lats)
        lons, lats, own, pos = lons[open_], lats[open_], own[open_], pos[open_]
        chord, idx = tree.query(_unit(lons, lats), k=k)
        chord, idx = chord.reshape(-1, k), idx.reshape(-1, k)
        sphere = 2.0 * _A * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
        other = idx != own[:, None]
        covered = (other & (sphere < radius_km * (1.0 - _SPHERE_SLACK) - PRUNE_KM)).any(axis=1)
        # exact geodesics to the candidates the sphere cannot rule out
        rows, cols = np.nonzero(~covered[:, None] & other & (sphere < radius_km * (1.0 + _SPHERE_SLACK)))
        ci = idx[rows, cols]
        exact = np.asarray(WGS84.inv(centres[ci, 0], centres[ci, 1], lons[rows], lats[rows])[2]) / 1000.0
        covered[np.unique(rows[exact < radius_km - 1e-6])] = True
        out[np.unique(pos[~covered])] = False
    return out


def is_whole_globe(region) -> bool:
    """True when `region` (lon/lat) is the whole globe.

    >>> is_whole_globe(shapely.box(-180, -90, 180, 90)), is_whole_globe(shapely.box(0, 0, 1, 1))
    (True, False)
    """
    return abs(region.area - GLOBE_AREA_DEG2) < 1e-9 * GLOBE_AREA_DEG2


def buffer_area(area, radius_km):
    """The region within `radius_km` of some point of `area` (a lon/lat (Multi)Polygon), in lon/lat.

    Parameters
    ----------
    area : shapely.Polygon or shapely.MultiPolygon
        Lon/lat, edges straight in lon/lat, cut at the antimeridian (RFC 7946); valid.
    radius_km : float
        Geodesic radius, km, > 0.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Every edge within 1 km of the true boundary; the box of the whole globe when every point
        lies within `radius_km` of the area (:func:`is_whole_globe`).

    Examples
    --------
    >>> pole = shapely.box(-180, 80, 180, 90)                  # everything north of 80°N
    >>> r = buffer_area(pole, 1000)
    >>> round(r.bounds[1], 1), bool(shapely.contains_xy(r, 0, 71.1)), bool(shapely.contains_xy(r, 0, 70.9))
    (71.0, True, False)
    """
    from .rings import range_ring, tidy

    radius = float(check_range_km(radius_km))
    if area.is_empty:
        raise InputError("the launch area is empty: give a polygon with an area")
    if radius >= HALF_MERIDIAN_KM:
        return shapely.box(-180.0, -90.0, 180.0, 90.0)
    rings = boundary_points(area, _scallop_spacing(radius))
    centres = np.vstack([r[:-1] for r in rings])
    centres = centres[np.unique(np.round(_unit(centres[:, 0], centres[:, 1]), 9), axis=0, return_index=True)[1]]
    shapely.prepare(area)
    keep = _exposed_centres(centres, area, radius)
    if keep.size == 0:                      # no circle pokes out of the others: they cover the globe
        return shapely.box(-180.0, -90.0, 180.0, 90.0)
    discs = [range_ring(lat, lon, radius, tolerance_km=RING_TOLERANCE_KM) for lon, lat in centres[keep]]
    return tidy(_fill_covered_holes(shapely.union_all([area, *discs]), centres, radius))


def _fill_covered_holes(region, centres: np.ndarray, radius_km: float):
    """`region` with every hole filled whose inner point lies within the radius of some centre: a hole
    left where only circles that poke out nowhere (and so were not drawn) cover the ground."""
    polys = []
    for poly in shapely.get_parts(region):
        holes = []
        for ring in poly.interiors:
            p = shapely.Polygon(ring).point_on_surface()
            d = np.asarray(WGS84.inv(np.full(len(centres), p.x), np.full(len(centres), p.y), centres[:, 0],
                                     centres[:, 1])[2]) / 1000.0
            if d.min() > radius_km:
                holes.append(ring)
        polys.append(shapely.Polygon(poly.exterior, holes))
    return shapely.union_all(polys)


def nearest_point(area, lat: float, lon: float) -> NearestPoint:
    """The point of `area` nearest to (`lat`, `lon`) and the geodesic distance to it.

    Zero inside the area; else the nearest point of its boundary (edges straight in lon/lat), found
    on the boundary densified to 5 km and refined by golden-section search to well under a metre.

    >>> n = nearest_point(shapely.box(170, -10, 180, 10), 0.0, -175.0)   # across the antimeridian
    >>> round(n.distance_km, 1), n.lon
    (556.6, 180.0)
    """
    if area.is_empty:
        raise InputError("the launch area is empty: give a polygon with an area")
    if shapely.contains_xy(area, lon, lat) or shapely.intersects_xy(area, lon, lat):
        return NearestPoint(0.0, float(lat), float(lon), True)
    best = (math.inf, 0.0, 0.0)
    for ring in boundary_points(area, _NEAREST_SPACING_KM):
        n = len(ring) - 1
        d = np.asarray(WGS84.inv(np.full(n, lon), np.full(n, lat), ring[:-1, 0], ring[:-1, 1])[2]) / 1000.0
        for i in np.argsort(d)[:4]:
            for j in ((i - 1) % n, i):                    # the edges before and after vertex i
                cand = _golden(ring[j], ring[j + 1], lat, lon)
                if cand[0] < best[0]:
                    best = cand
    return NearestPoint(float(best[0]), float(best[2]), float(best[1]), False)


def _golden(a: np.ndarray, b: np.ndarray, lat: float, lon: float, steps: int = 60) -> tuple[float, float, float]:
    """Minimum of the distance from (lat, lon) along the lon/lat-straight edge a→b: (km, lon, lat)."""
    def dist(t):
        x, y = a + t * (b - a)
        return WGS84.inv(lon, lat, x, y)[2] / 1000.0

    g = (math.sqrt(5.0) - 1.0) / 2.0
    lo, hi = 0.0, 1.0
    c, d = hi - g * (hi - lo), lo + g * (hi - lo)
    fc, fd = dist(c), dist(d)
    for _ in range(steps):
        if fc < fd:
            hi, d, fd = d, c, fc
            c = hi - g * (hi - lo)
            fc = dist(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + g * (hi - lo)
            fd = dist(d)
    cands = [(dist(t), t) for t in (0.0, 1.0, 0.5 * (lo + hi))]
    km, t = min(cands)
    x, y = a + t * (b - a)
    return km, float(x), float(y)
