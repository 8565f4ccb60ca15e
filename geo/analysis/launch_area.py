"""Launch areas: a missile fired from anywhere in a country's territory or a GeoJSON polygon.

:func:`launch_area` reads the area (a country's Natural Earth outline, or a GeoJSON Polygon or
MultiPolygon file checked for the problems people make: empty, not a polygon, self-intersecting,
coordinates out of range); :func:`area_check` answers "can this missile, fired from somewhere in
the area, reach that target?" from the area's nearest point
(:func:`geo.core.buffer.nearest_point`): the answer is the assessment of a launch from that point.

>>> a = launch_area("North Korea")
>>> c = area_check(a, "Hwasong-12", "Guam")
>>> c.area.name, c.check.verdict, round(c.check.distance_km), c.inside
('North Korea', 'in range', 3205, False)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import numpy as np
import shapely

from ..catalog.tables import Catalog, Place
from ..errors import CatalogFileError, InputError
from .assessment import Check, assess
from .scenario import Scenario, as_missile, as_place

__all__ = ["LaunchArea", "AreaCheck", "launch_area", "read_area_file", "area_check", "launch_point", "AREA_SUFFIXES"]

#: Files read as a launch area.
AREA_SUFFIXES = (".geojson", ".json")


class LaunchArea(NamedTuple):
    """Where launchers may be: a lon/lat (Multi)Polygon (RFC 7946, cut at the antimeridian)."""

    name: str
    geometry: object
    #: ``"country"`` (Natural Earth 1:50m outline) or ``"file"``.
    kind: str
    source: str


class AreaCheck(NamedTuple):
    """The answer from a launch area: the check of a launch from the area's nearest point to the target."""

    area: LaunchArea
    #: The assessment of that launch: its ``site`` is the nearest point, its distance the area's.
    check: Check
    #: The target lies in the area (the distance is 0).
    inside: bool


def launch_area(spec, catalog: Catalog | None = None) -> LaunchArea:
    """The launch area `spec` names: a GeoJSON file (``.geojson``, ``.json``), or a country (name or code).

    >>> launch_area("KP").name
    'North Korea'
    """
    if isinstance(spec, LaunchArea):
        return spec
    text = str(spec).strip()
    if Path(text).suffix.lower() in AREA_SUFFIXES or Path(text).is_file():
        return read_area_file(text)
    from .country_reach import _outline

    if len(text) == 2 and text.isalpha():                  # an ISO 3166-1 alpha-2 code: KP
        from ..catalog.places import country_name

        text = country_name(text.upper())
    name, _iso, geom = _outline(text)
    return LaunchArea(name, geom, "country", "Natural Earth 1:50m admin-0 outline (public domain)")


def read_area_file(path) -> LaunchArea:
    """A launch area from a GeoJSON file: a Polygon or MultiPolygon geometry, Feature or FeatureCollection
    of them (united), lon/lat per RFC 7946.

    Raises :class:`~geo.errors.CatalogFileError` naming the file and the problem: missing, not JSON,
    empty, not a polygon, coordinates out of range, self-intersecting.
    """
    p = Path(path)
    if not p.is_file():
        raise CatalogFileError(f"launch-area file {path} not found: give a GeoJSON polygon file or a country name")
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise CatalogFileError(f"launch-area file {path} is not GeoJSON ({e.__class__.__name__}): give a "
                               "GeoJSON Polygon") from None
    geoms = _geometries(doc, path)
    if not geoms:
        raise CatalogFileError(f"launch-area file {path} is empty: it holds no polygon")
    parts = []
    for g in geoms:
        if not isinstance(g, dict) or g.get("type") not in ("Polygon", "MultiPolygon"):
            kind = g.get("type") if isinstance(g, dict) else type(g).__name__
            raise CatalogFileError(f"launch-area file {path} holds a {kind}, not a polygon: give a Polygon or "
                                   "MultiPolygon")
        parts.append(_polygon(g, path))
    area = shapely.union_all(parts)
    if area.is_empty or area.area == 0:
        raise CatalogFileError(f"launch-area file {path} is empty: its polygon has no area")
    return LaunchArea(p.stem, area, "file", f"GeoJSON file {p.name}")


def _geometries(doc, path) -> list:
    if not isinstance(doc, dict):
        raise CatalogFileError(f"launch-area file {path} is not a GeoJSON object: give a Polygon")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        return [f.get("geometry") for f in doc.get("features") or [] if isinstance(f, dict) and f.get("geometry")]
    if kind == "Feature":
        return [doc["geometry"]] if doc.get("geometry") else []
    return [doc]


def _polygon(g: dict, path):
    try:
        coords = g["coordinates"]
        rings = [coords] if g["type"] == "Polygon" else list(coords)
        arrays = [[np.asarray(r, dtype=float) for r in poly] for poly in rings]
    except (KeyError, TypeError, ValueError):
        raise CatalogFileError(f"launch-area file {path}: the polygon's coordinates are not lists of "
                               "[lon, lat] pairs") from None
    if not arrays or any(not poly for poly in arrays):
        raise CatalogFileError(f"launch-area file {path} is empty: a polygon without rings")
    for poly in arrays:
        for r in poly:
            if r.ndim != 2 or r.shape[1] < 2 or len(r) < 4:
                raise CatalogFileError(f"launch-area file {path}: a ring needs at least 4 [lon, lat] positions")
            bad = ~np.isfinite(r[:, :2]).all(axis=1) | (np.abs(r[:, 0]) > 180) | (np.abs(r[:, 1]) > 90)
            if bad.any():
                lon, lat = r[np.argmax(bad), :2]
                raise CatalogFileError(f"launch-area file {path}: position [{lon:g}, {lat:g}] is out of range "
                                       "(longitude -180 to 180, latitude -90 to 90; cut a polygon at the "
                                       "antimeridian as RFC 7946 asks)")
    polys = [shapely.Polygon(poly[0][:, :2], [h[:, :2] for h in poly[1:]]) for poly in arrays]
    geom = shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]
    if geom.convex_hull.area == 0:                       # every position on one line
        raise CatalogFileError(f"launch-area file {path} is empty: its polygon has no area")
    if not geom.is_valid:
        why = shapely.is_valid_reason(geom)
        raise CatalogFileError(f"launch-area file {path}: the polygon is not valid ({why}): a ring may not cross "
                               "itself or another")
    return geom


def launch_point(area, target: Place, *, model: str = "geodesic", catalog: Catalog | None = None):
    """``(area, site, inside)``: the launch area resolved, its point nearest `target` as a launch
    site (named "the nearest point of …", the area's country on it), and whether `target` lies inside.

    The one place a launch area becomes a launch point, for :func:`area_check` and ``geo.threats``.
    """
    from ..core.buffer import nearest_point

    if model != "geodesic":
        raise InputError("a launch area is judged under the geodesic model only: leave out --model rotating")
    area = launch_area(area, catalog)
    if target.kind == "country":
        raise InputError(f"a launch area is checked against a place, not a whole country ({target.name}): "
                         "name a city or give LAT,LON")
    n = nearest_point(area.geometry, target.lat, target.lon)
    site = Place(f"the nearest point of {area.name}", n.lat, n.lon, country=area.name, source=area.source,
                 kind="coordinates")
    return area, site, n.inside


def area_check(area, missile, target, *, model: str = "geodesic", catalog: Catalog | None = None) -> AreaCheck:
    """Can `missile`, fired from anywhere in `area`, reach `target`? Judged from the area's nearest point.

    Parameters
    ----------
    area : LaunchArea, or what :func:`launch_area` takes
    missile, target
        As for :func:`geo.check`.
    model : {"geodesic"}
        Launch areas use the geodesic model (the rotating-Earth reach from an area is not built yet).
    """
    m, t = as_missile(missile, catalog), as_place(target, catalog)
    area, site, inside = launch_point(area, t, model=model, catalog=catalog)
    c = assess(Scenario((site,), (m,), (t,), model)).check(0, 0, 0)
    return AreaCheck(area, c, inside)
