"""Range rings: the region within a geodesic distance of a launch site, as shapely geometry.

A range ring is the set of points whose WGS84 geodesic distance from the site is at
most the range. :func:`range_ring` returns it in lon/lat (EPSG:4326) following
RFC 7946, valid everywhere on the globe:

* every vertex lies on the geodesic circle, except the points added where the
  outline is cut at the antimeridian and where it runs along ±180° to a pole;
* edges are short enough that every point of every edge, interpolated linearly in
  lon/lat, lies within 1 km of the true circle;
* no edge crosses the antimeridian: a ring that crosses it comes back as a
  MultiPolygon cut there;
* a ring that encloses a pole contains it (the outline runs along ±180° up to ±90°);
* a ring wider than a quarter of the globe is everything but a cap around the
  antipode, and may enclose both poles; from half a meridian (20,003.93 km) on it
  is the whole globe.

:func:`display_ring` draws the same region for a web (Mercator) map: one continuous
shape with longitudes unwrapped around the site, pole caps clamped to the map's
latitude limit.

How it works: the circle is sampled adaptively by azimuth (Karney's direct problem)
until each edge is within tolerance; the closed curve is lifted to continuous
longitudes, repeated every 360° when it winds around a pole, closed along the pole
or taken as a hole, and clipped to the map's box.

Examples
--------
>>> ring = range_ring(41.369883, 126.913631, 4500)        # Hwasong-12 from Chagang
>>> ring.geom_type, round(ring.bounds[0]), round(ring.bounds[2])
('MultiPolygon', -180, 180)
>>> import shapely
>>> bool(shapely.contains_xy(ring, 144.92444, 13.58111))   # Guam
True
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import shapely
from shapely.geometry.polygon import orient

from ..errors import InputError, InputTypeError
from .geodesy import HALF_MERIDIAN_KM, WGS84, check_lat, check_lon, check_range_km

__all__ = ["range_ring", "display_ring", "reach_region", "tidy", "MERCATOR_LAT_LIMIT", "TOLERANCE_KM"]

#: Latitude limit of Web Mercator maps (Leaflet, OpenStreetMap tiles).
MERCATOR_LAT_LIMIT = 85.0511287798066

#: Largest distance, in km, between any point of an edge and the true circle.
TOLERANCE_KM = 1.0

# Adaptive sampling aims below the tolerance: the check points sit at eighths of
# each edge, so the true maximum between them is a little higher than the sampled one.
_AIM = 0.8
_CHECKS = np.arange(1, 8) / 8.0
_MIN_VERTICES = 36
_MAX_ROUNDS = 40
# A reach that jumps with the azimuth (a model's edge, e.g. near orbital) cannot meet the 1 km rule
# across the jump: an edge is not split below this share of the circle (0.0036°), and no region
# gets more than this many vertices.
_MIN_STEP = 1e-5
_MAX_VERTICES = 100_000
# Beyond this radius geodesics from the site may pass the cut locus near the
# antipode before reaching the circle; the circle is then traced from the antipode.
_ANTIPODAL_KM = 19_500.0

RadiusFn = Callable[[np.ndarray], np.ndarray]
BoundaryFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def range_ring(lat, lon, range_km, *, tolerance_km: float = TOLERANCE_KM):
    """Region within `range_km` of the point (`lat`, `lon`), in lon/lat per RFC 7946.

    Parameters
    ----------
    lat, lon : float
        Launch site in decimal degrees.
    range_km : float
        Geodesic radius in km, > 0.
    tolerance_km : float
        Largest distance of an edge from the circle (default :data:`TOLERANCE_KM`, 1 km); a
        smaller one for rings that are parts of a larger region (:func:`geo.core.buffer.buffer_area`).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Exterior rings counter-clockwise; cut at the antimeridian.

    Raises
    ------
    geo.errors.InputError
        For a latitude outside [-90, 90], a longitude outside [-180, 180], NaN, or a
        range that is not > 0.

    Examples
    --------
    >>> ring = range_ring(41.4, 126.9, 13_000)   # an ICBM ring encloses the North Pole
    >>> import shapely
    >>> bool(shapely.contains_xy(ring, 0.0, 89.99)), bool(shapely.intersects_xy(ring, 0.0, 90.0))
    (True, True)
    >>> range_ring(0, 0, 20_100).area                # half a meridian or more: the whole globe
    64800.0
    """
    lat, lon, radius = _check_site(lat, lon, range_km)
    if not (isinstance(tolerance_km, (int, float)) and 0.01 <= tolerance_km <= TOLERANCE_KM):
        raise InputError(f"tolerance_km {tolerance_km!r} must be a number from 0.01 to {TOLERANCE_KM:g} km")
    return _region(lat, lon, radius, display=False, aim_km=_AIM * tolerance_km)


def display_ring(lat, lon, range_km, *, lat_limit: float = MERCATOR_LAT_LIMIT):
    """The region of :func:`range_ring` drawn for a web map (Leaflet, Web Mercator).

    One continuous shape: longitudes run from ``lon - 180`` to ``lon + 180``, so a ring
    across the Pacific is not cut in two; pole caps are clamped at `lat_limit`.

    Examples
    --------
    >>> shape = display_ring(41.369883, 126.913631, 4500)
    >>> shape.geom_type, round(shape.bounds[2], 1)     # reaches 186.6 degrees east, uncut
    ('Polygon', 186.6)
    """
    lat, lon, radius = _check_site(lat, lon, range_km)
    return _region(lat, lon, radius, display=True, lat_limit=_check_lat_limit(lat_limit))


def reach_region(lat, lon, radius_fn: RadiusFn, *, display: bool = False,
                 lat_limit: float = MERCATOR_LAT_LIMIT):
    """Region reachable from a site when the reach depends on the direction.

    `radius_fn` maps an array of azimuths (degrees clockwise from north) to the reach
    in km along each; the result obeys every rule of :func:`range_ring` (RFC 7946 by
    default, the web-map form with ``display=True``). Reaches are capped just short
    of half a meridian.

    Examples
    --------
    >>> import numpy as np
    >>> region = reach_region(0, 0, lambda az: 1000 + 500 * np.sin(np.radians(az)))
    >>> round(region.bounds[2], 1), round(region.bounds[0], 1)    # farther east than west
    (13.5, -4.5)
    """
    lat, lon = check_lat(lat, "site latitude"), check_lon(lon, "site longitude")
    for value, what in ((lat, "site latitude"), (lon, "site longitude")):
        if np.ndim(value):
            raise InputTypeError(f"{what} must be a single number, not an array")
    if not callable(radius_fn):
        raise InputTypeError(f"radius_fn {radius_fn!r} is not a function of the azimuth: give e.g. "
                             "lambda az: 1000 + 0 * az")
    if not isinstance(display, (bool, np.bool_)):
        raise InputTypeError(f"display {display!r} must be True or False")
    return _region(float(lat), float(lon), radius_fn, display=bool(display), lat_limit=_check_lat_limit(lat_limit))


def _check_lat_limit(lat_limit) -> float:
    """The latitude a web map is clamped at: a number in (0, 90]."""
    value = check_lat(lat_limit, "lat_limit")
    if np.ndim(value):
        raise InputTypeError("lat_limit must be a single number, not an array")
    if not 0 < value <= 90:
        raise InputError(f"lat_limit {value:g} must be above 0 and at most 90 degrees (Web Mercator: "
                         f"{MERCATOR_LAT_LIMIT:.4f})")
    return float(value)


def _check_site(lat, lon, range_km):
    lat = check_lat(lat, "site latitude")
    lon = check_lon(lon, "site longitude")
    radius = check_range_km(range_km)
    for value, what in ((lat, "site latitude"), (lon, "site longitude"), (radius, "range")):
        if np.ndim(value):
            raise InputTypeError(f"{what} must be a single number, not an array")
    return float(lat), float(lon), float(radius)


def _region(lat, lon, radius, *, display, lat_limit=MERCATOR_LAT_LIMIT, aim_km=_AIM * TOLERANCE_KM):
    """Build the region for a constant radius (float) or a radius function."""
    box = (lon - 180.0, -lat_limit, lon + 180.0, lat_limit) if display else (-180.0, -90.0, 180.0, 90.0)
    if callable(radius):
        radius_fn = _capped(radius)
        boundary = _from_site(lat, lon, radius_fn)
    else:
        if radius >= HALF_MERIDIAN_KM:
            return shapely.box(*box)
        radius_fn = _constant(radius)
        boundary = _from_antipode(lat, lon, radius) if radius > _ANTIPODAL_KM else _from_site(lat, lon, radius_fn)

    lons, lats = _sample(boundary, _deviation(lat, lon, radius_fn), aim_km)
    return _assemble(lat, lon, lons, lats, radius_fn, box)


def _constant(radius: float) -> RadiusFn:
    return lambda az: np.full(np.shape(az), radius)


def _capped(radius_fn: RadiusFn) -> RadiusFn:
    cap = HALF_MERIDIAN_KM - 1e-6
    return lambda az: np.minimum(np.asarray(radius_fn(np.asarray(az, dtype=float)), dtype=float), cap)


# --- tracing the circle -------------------------------------------------------

def _from_site(lat, lon, radius_fn: RadiusFn) -> BoundaryFn:
    """Boundary parameterised by the azimuth at the site: Karney's direct problem."""

    def boundary(t):
        az = 360.0 * t
        n = az.size
        lons, lats, _ = WGS84.fwd(np.full(n, lon), np.full(n, lat), az, radius_fn(az) * 1000.0)
        return np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)

    return boundary


def _from_antipode(lat, lon, radius) -> BoundaryFn:
    """Boundary of a near-global ring, traced along rays leaving the antipode.

    Near the antipode geodesics from the site pass their cut locus, so the points at
    `radius` along them are not at that distance. Instead, along each ray from the
    antipode, bisect for the point whose true (shortest) distance is `radius`.
    """
    alat, alon = -lat, lon - 180.0 if lon > 0 else lon + 180.0
    outer = 2.0 * (HALF_MERIDIAN_KM - radius) + 300.0

    def boundary(t):
        az = 360.0 * t
        n = az.size
        lo, hi = np.zeros(n), np.full(n, outer)
        for _ in range(48):
            mid = 0.5 * (lo + hi)
            plons, plats, _ = WGS84.fwd(np.full(n, alon), np.full(n, alat), az, mid * 1000.0)
            dist = np.asarray(WGS84.inv(np.full(n, lon), np.full(n, lat), plons, plats)[2]) / 1000.0
            beyond = dist > radius
            lo = np.where(beyond, mid, lo)
            hi = np.where(beyond, hi, mid)
        lons, lats, _ = WGS84.fwd(np.full(n, alon), np.full(n, alat), az, 0.5 * (lo + hi) * 1000.0)
        return np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)

    return boundary


def _deviation(lat, lon, radius_fn: RadiusFn):
    """Distance, in km, of points from the boundary, measured along the radial geodesic."""

    def deviation(plons, plats):
        n = plons.size
        az, _, dist = WGS84.inv(np.full(n, lon), np.full(n, lat), plons, plats)
        return np.abs(np.asarray(dist) / 1000.0 - radius_fn(np.mod(np.asarray(az), 360.0)))

    return deviation


def _sample(boundary: BoundaryFn, deviation, aim_km: float = _AIM * TOLERANCE_KM):
    """Sample a closed boundary finely enough that straight lon/lat edges stay within `aim_km`.

    Each round checks every edge at its eighths and splits each failing edge into as
    many equal parts as its deviation asks for (deviation falls as the square of
    the edge length), so the count converges in a few rounds without overshoot.
    """
    t = np.linspace(0.0, 1.0, _MIN_VERTICES, endpoint=False)
    lons, lats = boundary(t)
    for _ in range(_MAX_ROUNDS):
        t_next = np.append(t[1:], 1.0)
        dlon = _wrap(np.roll(lons, -1) - lons)
        dlat = np.roll(lats, -1) - lats
        plons = _wrap(lons[:, None] + _CHECKS * dlon[:, None])
        plats = lats[:, None] + _CHECKS * dlat[:, None]
        worst = deviation(plons.ravel(), plats.ravel()).reshape(plons.shape).max(axis=1)
        bad = np.flatnonzero((worst > aim_km) & (t_next - t > _MIN_STEP))
        if t.size > _MAX_VERTICES:
            break
        if bad.size == 0:
            break
        parts = np.clip(np.ceil(np.sqrt(worst[bad] / aim_km) * 1.05), 2, 64).astype(int)
        new_t = np.concatenate([
            t[i] + (t_next[i] - t[i]) * np.arange(1, k) / k for i, k in zip(bad, parts)
        ])
        new_lons, new_lats = boundary(new_t)
        order = np.argsort(np.concatenate([t, new_t]), kind="stable")
        t = np.concatenate([t, new_t])[order]
        lons = np.concatenate([lons, new_lons])[order]
        lats = np.concatenate([lats, new_lats])[order]
    return lons, lats


def _wrap(deg):
    """Wrap angles in degrees to [-180, 180)."""
    return np.mod(np.asarray(deg) + 180.0, 360.0) - 180.0


# --- from a closed curve to a lon/lat region ----------------------------------

def _assemble(lat, lon, lons, lats, radius_fn: RadiusFn, box):
    """Turn the sampled closed curve into the region on the side of the site."""
    steps = _wrap(np.diff(np.append(lons, lons[0])))
    ulons = lons[0] + np.concatenate([[0.0], np.cumsum(steps[:-1])])
    turn = int(round(steps.sum() / 360.0))
    north = _pole_inside(lat, lon, 90.0, radius_fn)
    south = _pole_inside(lat, lon, -90.0, radius_fn)

    if turn == 0:
        copies = _clip_copies(ulons, lats, box)
        if north and south:   # the curve bounds a cap around the antipode: the region is the rest
            region = shapely.box(*box).difference(shapely.union_all(copies))
        else:
            region = shapely.union_all(copies)
    else:
        if north == south:    # the curve passes (numerically) through a pole: take the nearer side
            north = _pole_margin(lat, lon, 90.0, radius_fn) > _pole_margin(lat, lon, -90.0, radius_fn)
        region = _pole_cap(ulons, lats, 360.0 * turn, 90.0 if north else -90.0, box)
    return _tidy(region, box)


def _pole_margin(lat, lon, pole_lat, radius_fn):
    az, _, dist = WGS84.inv(lon, lat, lon, pole_lat)
    azimuth = 0.0 if pole_lat > 0 else 180.0
    if abs(lat) < 90.0:
        azimuth = float(np.mod(az, 360.0))
    return float(radius_fn(np.array([azimuth]))[0]) - dist / 1000.0


def _pole_inside(lat, lon, pole_lat, radius_fn) -> bool:
    return _pole_margin(lat, lon, pole_lat, radius_fn) >= 0.0


def _clip_copies(ulons, lats, box):
    """The polygon and its copies every 360 degrees, each clipped to `box`."""
    xmin, ymin, xmax, ymax = box
    polygon = shapely.Polygon(np.column_stack([ulons, lats]))
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon)
    pieces = []
    for k in range(math.floor((xmin - ulons.max()) / 360.0), math.ceil((xmax - ulons.min()) / 360.0) + 1):
        part = shapely.clip_by_rect(shapely.transform(polygon, lambda xy, k=k: xy + (360.0 * k, 0.0)),
                                    xmin, ymin, xmax, ymax)
        if not part.is_empty:
            pieces.append(part)
    return pieces


def _pole_cap(ulons, lats, period, pole_lat, box):
    """Region bounded by a curve that winds once around a pole, on the pole's side."""
    xmin, ymin, xmax, ymax = box
    # Consecutive copies join up (copy k ends where copy k+1 starts); seven of them
    # span 2,520 degrees, far more than any box, so the pole closure lies outside it.
    tiles = range(-3, 4)
    xs = np.concatenate([ulons + period * k for k in tiles])
    ys = np.tile(lats, len(tiles))
    xs = np.concatenate([xs, [xs[-1], xs[0]]])
    ys = np.concatenate([ys, [pole_lat, pole_lat]])
    polygon = shapely.Polygon(np.column_stack([xs, ys]))
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon)
    return shapely.clip_by_rect(polygon, xmin, ymin, xmax, ymax)


def tidy(region):
    """A lon/lat region (e.g. a union of rings) made tidy as every ring is: box edges snapped, slivers
    dropped, valid, exteriors counter-clockwise (RFC 7946).

    >>> tidy(shapely.union_all([range_ring(0, 179, 100), range_ring(0, -179, 100)])).geom_type
    'MultiPolygon'
    """
    return _tidy(region, (-180.0, -90.0, 180.0, 90.0))


def _tidy(region, box):
    """Snap the box edges exactly, drop slivers, orient exteriors counter-clockwise."""
    xmin, ymin, xmax, ymax = box

    def snap(coords):
        x, y = coords[:, 0], coords[:, 1]
        x = np.where(np.abs(x - xmin) < 1e-9, xmin, np.where(np.abs(x - xmax) < 1e-9, xmax, x))
        y = np.where(np.abs(y - ymin) < 1e-9, ymin, np.where(np.abs(y - ymax) < 1e-9, ymax, y))
        return np.column_stack([np.clip(x, xmin, xmax), np.clip(y, ymin, ymax)])

    region = shapely.transform(region, snap)
    try:
        region = shapely.remove_repeated_points(region, 1e-9)
    except shapely.errors.GEOSException:         # a sliver ring collapses to two points: drop slivers first
        parts = [p for p in shapely.get_parts(shapely.make_valid(region))
                 if isinstance(p, shapely.Polygon) and p.area > 1e-12]
        region = shapely.remove_repeated_points(shapely.MultiPolygon(parts), 1e-9)
    if not region.is_valid:
        region = shapely.make_valid(region)
    polygons = [p for p in getattr(region, "geoms", [region])
                if isinstance(p, shapely.Polygon) and p.area > 1e-12]
    polygons = [orient(p, 1.0) for p in polygons]
    if len(polygons) == 1:
        return polygons[0]
    return shapely.MultiPolygon(polygons)
