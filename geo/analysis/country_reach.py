"""A whole country as a target: its nearest and farthest point, the share within range, a verdict.

:func:`country_reach` answers "does this missile reach Japan?" for the whole country,
from the Natural Earth 1:50m outline shipped with rangemap (:mod:`geo.catalog.countries`):

* the **nearest** and the **farthest** point of the country from the site, by the WGS84
  geodesic (Karney, via ``pyproj.Geod``). The outline, read as straight edges in
  lon/lat as shapely draws it, is split every 0.05°; every edge that could hold the
  extreme (by the bound ``|d(x) - d(a)| <= |x - a|``) is split again into pieces of at
  most 10 m. The result is within :attr:`CountryReach.accuracy_km` (a proved bound,
  typically under 10 m) of the exact extreme over that outline. The outline itself is
  generalised (Natural Earth 1:50m, quantized to about 400 m): small islands and
  capes may be missing, which no computation can restore.
* the **share** of the country's area within range: the outline intersected with the
  range ring (:func:`geo.core.rings.range_ring`, within 1 km of the geodesic circle),
  areas on the WGS84 ellipsoid (:func:`geo.analysis.coverage.area_km2`).
* a **verdict**: ``"all"`` (the farthest point is within range), ``"none"`` (the
  nearest point is beyond it) or ``"part"``.

Where the nearest point lies on a part of the country other than its largest polygon
(French Guiana for France, Alaska for the United States), :attr:`CountryReach.nearest`
says which part: the one around its most populous GeoNames city.

The range may also be a function of the azimuth (the reach on a rotating Earth, see
:func:`geo.analysis.reach.footprint`); then the verdict and the share come from the
reach region (within 1 km), and nearest and farthest stay plain geodesic distances.

Examples
--------
>>> r = country_reach("Chagang", "Japan", 1000)
>>> r.verdict, round(r.nearest.distance_km), round(r.farthest.distance_km), round(r.share, 2)
('part', 775, 2154, 0.16)
>>> r = country_reach("Chagang", "Russia", 5000)
>>> r.verdict, r.farthest.main_part, r.farthest.part
('part', False, 'the part around Kaliningrad, Russia')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import numpy as np
import shapely

from ..catalog.tables import Catalog, Place, default_catalog
from ..core.geodesy import WGS84, check_lat, check_lon, check_range_km
from ..errors import InputError, NotFoundError

__all__ = ["CountryReach", "CountryPoint", "country_reach", "COUNTRY_VERDICTS", "OUTLINE_NOTE", "latlon_text"]

#: What share of a country is within range, in the order of reach (not the target verdicts, :data:`geo.VERDICTS`).
COUNTRY_VERDICTS = ("all", "part", "none")

#: What the outline is, for captions and JSON.
OUTLINE_NOTE = ("Natural Earth 1:50m admin-0 outline (generalised; quantized to about 400 m), edges straight "
                "in lon/lat")

_COARSE_DEG = 0.05          # first split of the outline, degrees
_FINE_KM = 0.01             # pieces of the refined edges, km
_ANTIPODE_DEG = 3.0         # half-width of the box around the antipode searched when the country covers it
_ANTIPODE_STEPS = 241       # grid lines across that box: 0.025° apart
# error bound of that grid: half the diagonal of a 0.025° cell at most 112 km per degree
_ANTIPODE_GRID_KM = 0.025 * 112.0 * 2 ** 0.5 / 2.0


class CountryPoint(NamedTuple):
    """The nearest or farthest point of a country from the site."""

    lat: float
    lon: float
    #: Geodesic distance from the site, km (WGS84, Karney).
    distance_km: float
    #: Initial bearing from the site, degrees clockwise from north.
    bearing_deg: float
    #: The part of the country it lies on: ``"the part around Anchorage, Alaska, United States"``.
    part: str
    #: Whether that part is the country's largest polygon.
    main_part: bool


@dataclass(frozen=True)
class CountryReach:
    """How much of a country lies within reach of a site."""

    site: Place
    #: Country name (Natural Earth short name).
    country: str
    #: ISO 3166-1 alpha-3 code (Natural Earth's own for the few entities without one).
    iso_a3: str
    #: The range, km; None when the reach was a function of the azimuth.
    range_km: float | None
    #: ``"geodesic"`` (a range circle) or ``"reach function"`` (reach by azimuth).
    model: str
    nearest: CountryPoint
    farthest: CountryPoint
    #: Share of the country's area within range, in [0, 1].
    share: float
    covered_km2: float
    area_km2: float
    #: ``"all"``, ``"part"`` or ``"none"``.
    verdict: str
    #: Bound on the error of the nearest and farthest distances over the outline as drawn, km.
    accuracy_km: float
    #: The part within range, lon/lat (Multi)Polygon (empty when none).
    covered: object = field(repr=False, compare=False, default=None)

    def as_dict(self) -> dict:
        """The fields as plain JSON values (no geometry)."""
        point = lambda p: {**p._asdict()}                                    # noqa: E731
        return {"country": self.country, "iso_a3": self.iso_a3, "range_km": self.range_km, "model": self.model,
                "verdict": self.verdict, "share": self.share, "covered_km2": self.covered_km2,
                "area_km2": self.area_km2, "nearest": point(self.nearest), "farthest": point(self.farthest),
                "accuracy_km": self.accuracy_km, "outline": OUTLINE_NOTE,
                "distances": "WGS84 geodesic (Karney, pyproj.Geod)"}


def latlon_text(lat: float, lon: float) -> str:
    return f"{abs(lat):.4f}°{'N' if lat >= 0 else 'S'} {abs(lon):.4f}°{'E' if lon >= 0 else 'W'}"


# --- inputs ------------------------------------------------------------------------------------------

def _site(site, catalog: Catalog | None) -> Place:
    if isinstance(site, Place):
        return site
    if isinstance(site, tuple) and len(site) == 2:
        lat, lon = float(check_lat(site[0])), float(check_lon(site[1]))
        return Place(f"{lat:.4f}, {lon:.4f}", lat, lon, kind="coordinates")
    return (catalog or default_catalog()).site(str(site))


def _outline(country) -> tuple[str, str, object]:
    """(name, iso_a3, geometry) of `country`: a country Place, an ISO code or a name."""
    from ..catalog.countries import country_records

    props, geoms = country_records()
    codes = [p["iso_a3"] for p in props]
    if isinstance(country, Place):
        if country.kind != "country":
            raise InputError(f"{country.name!r} is a {country.kind or 'point'}, not a country with an outline: "
                             "give a country name such as Japan")
        code = country.code
    else:
        text = str(country).strip()
        code = text.upper() if text.upper() in codes else None
        if code is None:
            from ..catalog import places

            found = [m for m in places.find(text) if m.kind == "country"]
            if not found:
                terr = [m for m in places.find(text) if m.kind == "territory"]
                why = (f"{terr[0].name} has no outline of its own in Natural Earth (it is drawn as part of "
                       "another country)") if terr else f"unknown country {text!r}"
                raise NotFoundError(f"{why}: give a country such as Japan or JPN (see 'rangemap find {text}')")
            code = found[0].code
    if code not in codes:
        raise NotFoundError(f"no Natural Earth outline for {country!r}: give a country such as Japan or JPN")
    i = codes.index(code)
    return props[i]["name"], code, geoms[i]


def _reach_fn(reach) -> tuple[float | None, Callable | None]:
    if callable(reach):
        return None, reach
    km = float(check_range_km(reach))
    return km, None


# --- the extremes ----------------------------------------------------------------------------------

def _rings(geom) -> list[np.ndarray]:
    """Every ring (exteriors and holes) of `geom`, densified, as (n, 2) lon/lat arrays with part indices."""
    out = []
    for k, poly in enumerate(shapely.get_parts(geom)):
        for ring in (poly.exterior, *poly.interiors):
            xy = shapely.get_coordinates(shapely.segmentize(ring, _COARSE_DEG))
            out.append((k, xy))
    return out


def _inv(site: Place, lon: np.ndarray, lat: np.ndarray):
    n = lon.size
    az, _, d = WGS84.inv(np.full(n, site.lon), np.full(n, site.lat), lon, lat)
    return np.asarray(d) / 1000.0, np.asarray(az)


def _edges(rings):
    """Start and end points of every edge, with the part each belongs to."""
    a, b, part = [], [], []
    for k, xy in rings:
        a.append(xy[:-1])
        b.append(xy[1:])
        part.append(np.full(len(xy) - 1, k))
    return np.concatenate(a), np.concatenate(b), np.concatenate(part)


def _extreme(site: Place, a, b, part, da, db, length, sign: float):
    """The extreme (min for sign=+1, max for sign=-1) of the distance over the edges, and its error bound."""
    # best sampled value, and each edge's bound on what it may hold between its ends
    values = np.concatenate([sign * da, sign * db])
    best = values.min()
    bound = (sign * da + sign * db - length) / 2.0
    cand = np.flatnonzero(bound <= best)
    pieces = np.maximum(1, np.ceil(length[cand] / _FINE_KM)).astype(int)
    t = np.concatenate([np.linspace(0.0, 1.0, n + 1) for n in pieces])
    owner = np.repeat(cand, pieces + 1)
    pts = a[owner] + (b[owner] - a[owner]) * t[:, None]
    d, az = _inv(site, pts[:, 0], pts[:, 1])
    i = int(np.argmin(sign * d))
    # rigorous bound over the refined pieces: consecutive points of the same edge
    same = owner[1:] == owner[:-1]
    seg = WGS84.inv(pts[:-1, 0][same], pts[:-1, 1][same], pts[1:, 0][same], pts[1:, 1][same])[2] / 1000.0
    fine_bound = (sign * d[:-1][same] + sign * d[1:][same] - seg) / 2.0
    rest = np.setdiff1d(np.arange(len(bound)), cand)
    lower = min(fine_bound.min() if fine_bound.size else np.inf, bound[rest].min() if rest.size else np.inf)
    error = max(0.0, float(sign * d[i] - lower))
    return pts[i, 1], pts[i, 0], float(d[i]), float(az[i]), int(part[owner[i]]), error


def _antipode_max(site: Place, geom):
    """The farthest point when the country covers the site's antipode (the distance peaks inside it)."""
    alat, alon = -site.lat, site.lon - 180.0 if site.lon > 0 else site.lon + 180.0
    box = shapely.box(alon - _ANTIPODE_DEG, alat - _ANTIPODE_DEG, alon + _ANTIPODE_DEG, alat + _ANTIPODE_DEG)
    if not shapely.intersects(geom, box):
        return None
    axis = np.linspace(-_ANTIPODE_DEG, _ANTIPODE_DEG, _ANTIPODE_STEPS)
    lons, lats = np.meshgrid(alon + axis, alat + axis)
    lons, lats = lons.ravel(), np.clip(lats.ravel(), -90.0, 90.0)
    lons = (lons + 180.0) % 360.0 - 180.0
    inside = shapely.contains_xy(geom, lons, lats)
    if not inside.any():
        return None
    d, az = _inv(site, lons[inside], lats[inside])
    i = int(np.argmax(d))
    return float(lats[inside][i]), float(lons[inside][i]), float(d[i]), float(az[i])


def _part_label(poly, name: str) -> str:
    """``"the part around <largest GeoNames city in it>"``, else ``"the part at <lat, lon>"``."""
    from ..catalog import places

    minx, miny, maxx, maxy = poly.bounds
    shapely.prepare(poly)
    for city in places.cities_within(miny, minx, maxy, maxx):
        if shapely.contains_xy(poly, city.lon, city.lat):
            return f"the part around {city.label}"
    p = poly.representative_point()
    return f"the part at {latlon_text(p.y, p.x)}"


def country_reach(site, country, reach, *, catalog: Catalog | None = None) -> CountryReach:
    """Nearest and farthest point of `country` from `site`, the share of it within `reach`, a verdict.

    Parameters
    ----------
    site
        A :class:`~geo.catalog.tables.Place`, a ``(lat, lon)`` pair, or a name or
        ``"LAT,LON"`` the catalog resolves.
    country
        A Place of kind ``"country"`` (what ``Catalog.target("Japan")`` returns), an
        ISO 3166-1 alpha-3 code (``"JPN"``) or a country name (``"Japan"``, ``"USA"``).
    reach : float or callable
        The range in km, or a function mapping an array of azimuths (degrees clockwise
        from north) to the reach along each, km (e.g. the rotating-Earth reach).
    catalog : Catalog, optional
        Resolves a site given by name (default: the builtin catalogs).

    Returns
    -------
    CountryReach

    Raises
    ------
    NotFoundError
        When the country has no outline of its own in Natural Earth.
    InputError
        For a bad site or range.

    Examples
    --------
    >>> r = country_reach((41.369883, 126.913631), "FRA", 10000)
    >>> r.verdict, r.nearest.part, r.farthest.part
    ('part', 'the part around Paris, France', 'the part around Cayenne, French Guiana')
    >>> country_reach("Chagang", "Japan", 4500).verdict, country_reach("Chagang", "Brazil", 4500).verdict
    ('all', 'none')
    """
    from ..core.rings import range_ring, reach_region
    from .coverage import area_km2

    site = _site(site, catalog)
    km, fn = _reach_fn(reach)
    name, iso, geom = _outline(country)
    parts = shapely.get_parts(geom)
    main = int(np.argmax(area_km2(parts)))

    a, b, part = _edges(_rings(geom))
    da, db = _inv(site, a[:, 0], a[:, 1])[0], _inv(site, b[:, 0], b[:, 1])[0]
    length = WGS84.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2] / 1000.0

    inside = bool(shapely.contains_xy(geom, site.lon, site.lat))
    if inside:
        k = int(np.flatnonzero(shapely.contains_xy(parts, site.lon, site.lat))[0])
        near = (site.lat, site.lon, 0.0, 0.0, k, 0.0)
    else:
        near = _extreme(site, a, b, part, da, db, length, +1.0)
    far = _extreme(site, a, b, part, da, db, length, -1.0)
    anti = _antipode_max(site, geom)
    if anti is not None and anti[2] > far[2]:
        k = int(np.flatnonzero(shapely.contains_xy(parts, anti[1], anti[0]))[0])
        far = (*anti, k, _ANTIPODE_GRID_KM)

    def point(v) -> CountryPoint:
        lat, lon, d, az, k, _ = v
        return CountryPoint(float(lat), float(lon), float(d), float(az) % 360.0,
                            _part_label(parts[k], name), k == main)

    total = float(area_km2(geom))
    if fn is None:
        region = range_ring(site.lat, site.lon, km)
    else:
        region = reach_region(site.lat, site.lon, fn)
    if fn is None and far[2] <= km:
        verdict, covered, covered_km2 = "all", geom, total
    elif fn is None and near[2] > km:
        verdict, covered, covered_km2 = "none", shapely.Polygon(), 0.0
    else:
        covered = shapely.intersection(geom, region)
        covered_km2 = float(area_km2(covered)) if not covered.is_empty else 0.0
        if fn is not None:
            verdict = "none" if covered.is_empty else "all" if shapely.contains(region, geom) else "part"
        else:
            verdict = "part"
    share = 1.0 if verdict == "all" else 0.0 if verdict == "none" else min(max(covered_km2 / total, 0.0), 1.0)
    if verdict == "part" and share in (0.0, 1.0):        # a sliver below what the areas resolve
        share = min(max(share, 1e-9), 1.0 - 1e-9)
    return CountryReach(site, name, iso, km, "geodesic" if fn is None else "reach function", point(near),
                        point(far), share, covered_km2, total, verdict, max(near[5], far[5]), covered)
