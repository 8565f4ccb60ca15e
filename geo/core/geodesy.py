"""Geodesy on the WGS84 ellipsoid: distances, bearings and geodesic paths.

A thin, vectorized layer over :class:`pyproj.Geod` (Karney's algorithms, exact to
nanometres). Users speak kilometres and degrees; every function takes scalars or
numpy arrays and returns the same shape. Arguments come latitude first, as people
write coordinates; everything returned as geometry is in lon/lat order (EPSG:4326).

>>> round(distance_km(39.0194, 125.7381, 13.58111, 144.92444))   # Pyongyang-Guam
3392
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from pyproj import Geod

from ..errors import InputError, InputTypeError
from ..validate import MIN_RANGE_KM, check_lat, check_lon, check_range_km  # noqa: F401  (public here too)
from ..validate import as_float as _as_float, scalar_or_array as _scalar_or_array

__all__ = [
    "WGS84",
    "HALF_MERIDIAN_KM",
    "Inverse",
    "inverse",
    "distance_km",
    "bearing_deg",
    "destination",
    "geodesic_path",
    "check_lat",
    "check_lon",
    "check_range_km",
    "check_step_km",
    "MIN_RANGE_KM",
    "MAX_PATH_VERTICES",
]

#: The WGS84 ellipsoid with Karney's geodesic algorithms.
WGS84 = Geod(ellps="WGS84")

#: Length of half a meridian, pole to pole: no two points are farther apart.
HALF_MERIDIAN_KM: float = WGS84.inv(0.0, 90.0, 0.0, -90.0)[2] / 1000.0

#: Most vertices a geodesic path may have (bounds the memory a tiny `max_step_km` asks for).
MAX_PATH_VERTICES = 1_000_000


class Inverse(NamedTuple):
    """Solution of the inverse geodesic problem, in degrees and kilometres."""

    distance_km: np.ndarray | float
    #: Azimuth at the first point, clockwise from north, in [0, 360).
    bearing_deg: np.ndarray | float
    #: Azimuth of the geodesic as it arrives at the second point, in [0, 360).
    back_bearing_deg: np.ndarray | float


def check_step_km(step_km, distance_km: float = HALF_MERIDIAN_KM, what: str = "max_step_km") -> float:
    """Return `step_km` as a float if a path of `distance_km` in such steps has at most
    :data:`MAX_PATH_VERTICES` vertices, else raise :class:`InputError` naming the smallest step.

    >>> check_step_km(0)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: max_step_km 0 km must be a positive number of kilometres
    >>> check_step_km(1e-9, 20000)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: max_step_km 1e-09 km would need 2e+13 vertices over 20,000 km; give at least 0.02 km
    """
    arr = _as_float(step_km, what, "kilometres")
    if arr.ndim:
        raise InputTypeError(f"{what} must be a single number, not an array")
    step = float(arr)
    if not (math.isfinite(step) and step > 0):
        raise InputError(f"{what} {step:g} km must be a positive number of kilometres")
    if distance_km / step > MAX_PATH_VERTICES:
        raise InputError(f"{what} {step:g} km would need {distance_km / step:.0e} vertices over "
                         f"{distance_km:,.0f} km; give at least {distance_km / MAX_PATH_VERTICES:.2g} km")
    return step


def inverse(lat1, lon1, lat2, lon2) -> Inverse:
    """Solve the inverse geodesic problem between two points (or arrays of points).

    Examples
    --------
    >>> inv = inverse(0, 0, 0, 90)
    >>> round(inv.distance_km, 3), round(inv.bearing_deg, 6), round(inv.back_bearing_deg, 6)
    (10018.754, 90.0, 90.0)
    """
    lat1, lat2 = check_lat(lat1), check_lat(lat2)
    lon1, lon2 = check_lon(lon1), check_lon(lon2)
    if any(np.ndim(v) for v in (lat1, lon1, lat2, lon2)):        # scalars and arrays broadcast together
        lat1, lon1, lat2, lon2 = (np.ascontiguousarray(v) for v in np.broadcast_arrays(lat1, lon1, lat2, lon2))
    az12, az21, dist = WGS84.inv(lon1, lat1, lon2, lat2)
    az12 = np.mod(np.asarray(az12, dtype=float), 360.0)
    back = np.mod(np.asarray(az21, dtype=float) + 180.0, 360.0)
    return Inverse(
        _scalar_or_array(np.asarray(dist, dtype=float) / 1000.0),
        _scalar_or_array(az12),
        _scalar_or_array(back),
    )


def distance_km(lat1, lon1, lat2, lon2):
    """Geodesic distance in kilometres on WGS84 (scalars or numpy arrays).

    Examples
    --------
    >>> round(distance_km(90, 0, -90, 0), 3)      # pole to pole: half a meridian
    20003.931
    >>> distance_km([0, 0], [0, 0], [0, 1], [1, 0]).round(3)
    array([111.319, 110.574])
    >>> distance_km([39.0, 40.0], [125.7, 126.0], 13.58, 144.92).round(1)     # arrays and scalars broadcast
    array([3391.9, 3463. ])
    """
    return inverse(lat1, lon1, lat2, lon2).distance_km


def bearing_deg(lat1, lon1, lat2, lon2):
    """Initial bearing (azimuth) from point 1 towards point 2, degrees clockwise from north in [0, 360).

    Examples
    --------
    >>> round(bearing_deg(0, 0, 10, 0), 6), round(bearing_deg(0, 0, 0, -10), 6)
    (0.0, 270.0)
    """
    return inverse(lat1, lon1, lat2, lon2).bearing_deg


def destination(lat, lon, bearing, dist_km):
    """Point reached by travelling `dist_km` along the geodesic leaving at `bearing`.

    Returns ``(lon, lat)`` with longitude in [-180, 180].

    >>> [round(v, 6) for v in destination(0, 0, 90, 10018.754171394622)]
    [90.0, 0.0]
    """
    lat, lon = check_lat(lat), check_lon(lon)
    lon2, lat2, _ = WGS84.fwd(lon, lat, bearing, np.asarray(dist_km, dtype=float) * 1000.0)
    return _scalar_or_array(lon2), _scalar_or_array(lat2)


def geodesic_path(lat1, lon1, lat2, lon2, max_step_km: float = 10.0, unwrap: bool = False):
    """The shortest path between two points as a densified shapely line, in lon/lat.

    Vertices lie on the geodesic at most `max_step_km` apart. With ``unwrap=False``
    (RFC 7946) a path that crosses the antimeridian is cut there into a
    MultiLineString, both pieces ending exactly on ±180°. With ``unwrap=True`` the
    path is one continuous LineString whose longitudes run on past ±180° (for
    web maps such as Leaflet that draw a path across the Pacific as one line).

    Examples
    --------
    >>> path = geodesic_path(41.37, 126.91, 21.35, -157.94)     # Chagang to Pearl Harbor
    >>> path.geom_type, [round(p.coords[-1][0]) for p in path.geoms][0]
    ('MultiLineString', 180)
    >>> cont = geodesic_path(41.37, 126.91, 21.35, -157.94, unwrap=True)
    >>> cont.geom_type, round(cont.coords[-1][0], 2)
    ('LineString', 202.06)
    """
    import shapely

    lat1, lat2 = check_lat(lat1), check_lat(lat2)
    lon1, lon2 = check_lon(lon1), check_lon(lon2)
    for value, what in ((lat1, "latitude"), (lon1, "longitude"), (lat2, "latitude"), (lon2, "longitude")):
        if np.ndim(value):
            raise InputTypeError(f"{what} of a geodesic path must be a single number, not an array")
    az, _, dist = WGS84.inv(lon1, lat1, lon2, lat2)
    max_step_km = check_step_km(max_step_km, max(dist / 1000.0, MIN_RANGE_KM))
    n = max(int(math.ceil(dist / 1000.0 / max_step_km)), 1)
    steps = np.linspace(0.0, dist, n + 1)
    lons, lats, _ = WGS84.fwd(np.full(n + 1, lon1), np.full(n + 1, lat1), np.full(n + 1, az), steps)
    lons, lats = np.asarray(lons), np.asarray(lats)
    lons[0], lats[0] = lon1, lat1
    lons[-1], lats[-1] = lon2, lat2
    unwrapped = unwrap_lon(lons)
    if unwrap:
        return shapely.LineString(np.column_stack([unwrapped, lats]))
    return _cut_line_at_antimeridian(unwrapped, lats)


def unwrap_lon(lons) -> np.ndarray:
    """Make a sequence of longitudes continuous: no step larger than 180°.

    >>> unwrap_lon([170, 179, -179, -170]).tolist()
    [170.0, 179.0, 181.0, 190.0]
    """
    lons = np.asarray(lons, dtype=float)
    steps = np.mod(np.diff(lons) + 180.0, 360.0) - 180.0
    return np.concatenate([lons[:1], lons[0] + np.cumsum(steps)])


def _cut_line_at_antimeridian(lons, lats):
    """Cut a continuous (unwrapped) line into pieces within [-180, 180]."""
    import shapely

    line = shapely.LineString(np.column_stack([lons, lats]))
    pieces = []
    lo = math.floor((lons.min() + 180.0) / 360.0)
    hi = math.floor((lons.max() + 180.0) / 360.0)
    for k in range(lo, hi + 1):
        shift = 360.0 * k
        part = shapely.clip_by_rect(line, shift - 180.0, -90.0, shift + 180.0, 90.0)
        for geom in getattr(part, "geoms", [part]):
            if isinstance(geom, shapely.LineString) and not geom.is_empty and geom.length > 0:
                coords = np.asarray(geom.coords)
                coords[:, 0] = _snap_antimeridian(coords[:, 0] - shift)
                pieces.append(shapely.LineString(coords))
    return pieces[0] if len(pieces) == 1 else shapely.MultiLineString(pieces)


def _snap_antimeridian(lons: np.ndarray) -> np.ndarray:
    """Put longitudes within a nanodegree of ±180 exactly on ±180 and clamp rounding spill."""
    lons = np.where(np.abs(np.abs(lons) - 180.0) < 1e-9, np.sign(lons) * 180.0, lons)
    return np.clip(lons, -180.0, 180.0)
