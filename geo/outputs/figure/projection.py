"""The figure's two map projections (site view: azimuthal equidistant; world view: Equal Earth) and the
choice of the world view's central meridian.

Examples
--------
>>> p = Projection(41.369883, 126.913631)
>>> round(p.cut_m / 1000)                                      # nothing is drawn beyond, km from the centre
19404
"""

from __future__ import annotations

from functools import reduce

import numpy as np
import shapely
from pyproj import Transformer

from ...catalog.countries import country_outlines
from ...core.geodesy import HALF_MERIDIAN_KM, WGS84
from ...core.rings import range_ring

__all__ = ["Projection", "WorldProjection", "CUT", "world_centre"]

#: Nothing is drawn farther from the centre of the site view than this fraction of half a meridian.
CUT = 0.97


class _Planar:
    """A map projection of WGS84 lon/lat to metres through PROJ (``self._fwd``, set by subclasses)."""

    def xy(self, lon, lat):
        """Project lon/lat (degrees, arrays or scalars) to x, y (metres)."""
        x, y = self._fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def lonlat(self, x, y):
        """Inverse projection: x, y (metres) to lon, lat (degrees)."""
        lon, lat = self._fwd.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float),
                                       direction="INVERSE")
        return np.asarray(lon), np.asarray(lat)


class Projection(_Planar):
    """Azimuthal equidistant projection on WGS84 centred on (`lat`, `lon`), in metres.

    Examples
    --------
    >>> p = Projection(41.369883, 126.913631)
    >>> x, y = p.xy(144.92444, 13.58111)                         # Guam
    >>> round(float(np.hypot(x, y)) / 1000, 3)                  # its geodesic distance, km
    3540.258
    """

    name = "azimuthal equidistant"

    def __init__(self, lat: float, lon: float):
        self.lat, self.lon = float(lat), float(lon)
        crs = f"+proj=aeqd +lat_0={self.lat!r} +lon_0={self.lon!r} +ellps=WGS84 +units=m +no_defs"
        self._fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        #: Radius, in metres, beyond which nothing is drawn, and the disc it bounds.
        self.cut_m = CUT * HALF_MERIDIAN_KM * 1000.0
        self.disc = shapely.Point(0.0, 0.0).buffer(self.cut_m, quad_segs=256)
        antipode_lon = self.lon - 180.0 if self.lon > 0 else self.lon + 180.0
        # Regions lose a cap around the antipode before projecting (it maps onto the whole rim).
        self._cap = range_ring(-self.lat, antipode_lon, 0.8 * (1.0 - CUT) * HALF_MERIDIAN_KM)

    def geometries(self, geoms, clip, tolerance: float = 0.0) -> list:
        """Project lon/lat polygons or lines and clip them to `clip`, a planar polygon.

        Edges are densified to 0.5° after the cap around the antipode is cut out. Each
        projected polygon is rebuilt from its rings by the even-odd rule, so a region
        surrounding the antipode (whose hole then encloses its outline) comes out right.
        With a `tolerance` (metres) the result is simplified: detail finer than the
        printed line width only bloats SVG and PDF files.
        """
        geoms = np.asarray(geoms, dtype=object)
        geoms = np.where(shapely.intersects(geoms, self._cap), shapely.difference(geoms, self._cap), geoms)
        parts = shapely.get_parts(shapely.segmentize(geoms, 0.5))
        parts = shapely.transform(parts, lambda c: np.column_stack(self.xy(c[:, 0], c[:, 1])))
        for i, part in enumerate(parts):
            if isinstance(part, shapely.Polygon) and part.interiors:
                rings = [shapely.make_valid(shapely.Polygon(r)) for r in (part.exterior, *part.interiors)]
                parts[i] = reduce(shapely.symmetric_difference, rings)
            elif not part.is_valid:
                parts[i] = shapely.make_valid(part)
        return _clipped(parts, clip, tolerance)

    def geodesic(self, lat, lon, az, dist_km):
        """Points along geodesics from (`lat`, `lon`), projected; NaN beyond the cut radius.

        `az` (degrees) and `dist_km` broadcast: many azimuths at one distance trace a
        range ring, one azimuth at many distances traces a path.
        """
        az, dist = np.broadcast_arrays(np.asarray(az, dtype=float), np.asarray(dist_km, dtype=float))
        lons, lats, _ = WGS84.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, dist * 1000.0)
        x, y = self.xy(lons, lats)
        far = np.hypot(x, y) > self.cut_m
        return np.where(far, np.nan, x), np.where(far, np.nan, y)


class WorldProjection(_Planar):
    """The Equal Earth projection on WGS84 (PROJ ``eqearth``, equal-area), centred on meridian `lon0`.

    Geometries are cut along the map's edge, the meridian opposite `lon0`, before projecting.

    Examples
    --------
    >>> w = WorldProjection(37.0)
    >>> x, y = w.xy([37.0, 126.91], [0.0, 41.37])
    >>> float(x[0]), bool(x[1] > 0 and y[1] > 0)
    (0.0, True)
    >>> round(w.frame.area / 1e12, 1)                            # km² in millions: the ellipsoid's area
    510.1
    """

    name = "Equal Earth"

    def __init__(self, lon0: float):
        self.lon0 = float((lon0 + 180.0) % 360.0 - 180.0)
        crs = f"+proj=eqearth +lon_0={self.lon0!r} +ellps=WGS84 +units=m +no_defs"
        self._fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        self._west = self.lon0 - 180.0 + 1e-7
        lat = np.linspace(-90.0, 90.0, 721)
        wx, wy = self.xy(np.full(lat.size, self._west), lat)
        ex, ey = self.xy(np.full(lat.size, self._west + 360.0 - 2e-7), lat[::-1])
        #: The outline of the globe on the map: everything drawn lies inside it.
        self.frame = shapely.Polygon(np.column_stack([np.r_[wx, ex], np.r_[wy, ey]]))
        self.width_m = float(ex.max() - wx.min())

    def geometries(self, geoms, clip, tolerance: float = 0.0) -> list:
        """Project lon/lat polygons or lines, cut at the map's edge meridian, and clip them to `clip`."""
        window = shapely.box(self._west, -90.0, self._west + 360.0 - 2e-7, 90.0)
        out = []
        for g in np.asarray(geoms, dtype=object).ravel():
            copies = [shapely.transform(g, lambda c, d=d: c + np.array([d, 0.0])) for d in (-360.0, 0.0, 360.0)]
            pieces = shapely.intersection(copies, window)
            pieces = pieces[~shapely.is_empty(pieces)]
            if len(pieces):
                out.extend(shapely.get_parts(shapely.union_all(pieces)))
        parts = np.asarray(out, dtype=object)
        if not len(parts):
            return []
        parts = shapely.get_parts(shapely.segmentize(parts, 0.5))
        parts = shapely.transform(parts, lambda c: np.column_stack(self.xy(c[:, 0], c[:, 1])))
        parts = np.where(shapely.is_valid(parts), parts, shapely.make_valid(parts))
        return _clipped(parts, clip, tolerance)

    def geodesic(self, lat, lon, az, dist_km):
        """Points along geodesics from (`lat`, `lon`), projected; NaN where the line crosses the map's edge."""
        az, dist = np.broadcast_arrays(np.asarray(az, dtype=float), np.asarray(dist_km, dtype=float))
        lons, lats, _ = WGS84.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, dist * 1000.0)
        x, y = self.xy(lons, lats)
        jump = np.abs(np.diff(x)) > 0.5 * self.width_m
        x, y = x.astype(float), y.astype(float)
        x[1:][jump], y[1:][jump] = np.nan, np.nan
        return x, y


def _clipped(parts, clip, tolerance: float) -> list:
    out = shapely.intersection(parts, clip)
    out = out[~shapely.is_empty(out)]
    return list(shapely.simplify(out, tolerance) if tolerance else out)


def world_centre(a, reach_lines) -> float:
    """The central meridian of the world view: the map's edge (its opposite) should cross no site, target,
    ring outline or land where that can be helped; among equals, the first site lies nearest the centre."""
    def near_edge(lon0, lons, lats, weight, width=12.0):
        edge = np.abs((np.asarray(lons) - lon0) % 360.0 - 180.0)
        return float(np.sum(np.where(edge < width, weight * np.cos(np.radians(np.asarray(lats))), 0.0)))

    site_lon, site_lat = (np.array([getattr(s, k) for s in a.sites], dtype=float) for k in ("lon", "lat"))
    t_lon, t_lat = (np.array([getattr(t, k) for t in a.targets], dtype=float) for k in ("lon", "lat"))
    ring_lon = np.concatenate([line[0] for line in reach_lines] or [np.empty(0)])
    ring_lat = np.concatenate([line[1] for line in reach_lines] or [np.empty(0)])
    lats = np.arange(-60.0, 75.0, 2.0)
    best = None
    for lon0 in np.arange(-180.0, 180.0, 5.0):
        edge = np.full(lats.size, lon0 if lon0 <= 0 else lon0 - 360.0) + 180.0
        on_land = float(np.sum(shapely.contains_xy(_land(), edge, lats)))
        cost = (50.0 * near_edge(lon0, site_lon, site_lat, 1.0) + 10.0 * near_edge(lon0, t_lon, t_lat, 1.0)
                + 200.0 * near_edge(lon0, ring_lon, ring_lat, 1.0 / max(1, len(ring_lon))) + on_land)
        key = (round(cost, 6), abs((lon0 - site_lon[0] + 180.0) % 360.0 - 180.0))
        if best is None or key < best[0]:
            best = (key, float(lon0))
    return best[1]


_LAND_CACHE: list = []


def _land():
    """All land as one prepared geometry (the world view's choice of centre looks it up)."""
    if not _LAND_CACHE:
        land = shapely.union_all(country_outlines())
        shapely.prepare(land)
        _LAND_CACHE.append(land)
    return _LAND_CACHE[0]
