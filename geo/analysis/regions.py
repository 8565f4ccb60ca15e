"""Where a missile reaches, as geometry: one reach function per model, and the regions it bounds.

Both the verdicts (:mod:`geo.analysis.assessment`) and every drawing take the reach from
:func:`reach_function`, so a target judged in range lies inside the drawn region (to the
1 km tolerance of :mod:`geo.core.rings`).

* ``"geodesic"``: the reach is the same in every direction, a geodesic circle on WGS84.
* ``"rotating"``: the reach per azimuth of the powered-flight model on a rotating Earth
  (:func:`geo.core.ballistics.rotating_reach`: the class missile flown through its boost, then
  a Kepler coast), computed every :data:`AZIMUTH_STEP_DEG` degrees and interpolated linearly
  between. Where that model does not bound the range (near orbital) the reach is taken as
  :data:`UNBOUNDED_KM` (19,500 km: short of the cut locus near the antipode, where geodesics
  from the site stop being shortest), and outputs say "near orbital" instead of a number.

A missile with a minimum range leaves a dead zone around the site: :func:`region` cuts it out
as a hole.

>>> import shapely
>>> zone = footprint("Chagang", "Hwasong-12")
>>> bool(shapely.contains_xy(zone, 144.92444, 13.58111))          # Guam
True
"""

from __future__ import annotations

import functools
import math

import numpy as np
import shapely

from ..catalog.tables import Catalog, Missile
from ..core import rings
from ..core.geodesy import check_range_km
from .scenario import as_missile, as_place, check_model

__all__ = ["AZIMUTH_STEP_DEG", "UNBOUNDED_KM", "NEAR_ORBITAL_KM", "reach_function", "region", "region_kinds", "footprint"]

#: Spacing of the rotating-Earth reach samples, degrees of azimuth.
AZIMUTH_STEP_DEG = 0.25
#: The reach taken where the model does not bound the range (near orbital): as far as a ray from the
#: site runs before the cut locus near the antipode (the outputs say "near orbital", not a figure).
UNBOUNDED_KM = 19_500.0
#: On a near-orbital bearing the missile's own shots cover the ground out to this distance (km:
#: :data:`geo.core.powered.NEAR_ANTIPODE_KM` short of half the model sphere's circumference), so a
#: target within it is in range; beyond it the model does not bound the range.
NEAR_ORBITAL_KM = math.pi * 6371.0088 - 1000.0


@functools.lru_cache(maxsize=256)
def region_kinds(m: Missile) -> list[tuple[str, float]]:
    """The region kinds of a missile, widest first: band top, nominal, the range sources agree on.

    >>> from geo.catalog.records import Missile
    >>> region_kinds(Missile("Hwasong-14", 10400.0, range_low_km=6700.0))
    [('nominal', 10400.0), ('certain', 6700.0)]
    """
    kinds = [("nominal", m.range_km)]
    if m.certain_km != m.range_km:
        kinds.append(("certain", m.certain_km))
    if m.max_km > m.range_km:
        kinds.append(("band", m.max_km))
    return sorted(kinds, key=lambda k: -k[1])


def _rotating_profile(lat: float, lon: float, km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from ..core.ballistics import rotating_reach

    azimuths = np.linspace(0.0, 360.0, int(round(360.0 / AZIMUTH_STEP_DEG)) + 1)
    r = rotating_reach(lat, lon, azimuths, km)
    reach = np.minimum(r.reach_km, UNBOUNDED_KM)                   # inf: near orbital
    beyond = np.full(azimuths.shape, np.inf) if r.beyond_km is None else np.asarray(r.beyond_km, dtype=float)
    reach[-1], beyond[-1] = reach[0], beyond[0]    # 360° is 0°
    return azimuths, reach, beyond


def reach_function(model: str, lat: float, lon: float, nominal_km: float):
    """The reach (km) toward each azimuth (degrees) of a missile of `nominal_km` fired from (lat, lon).

    The function takes azimuths and, optionally, the distances of the targets there. Without
    distances it gives the edge of the region covered without a gap, interpolated between
    samples every :data:`AZIMUTH_STEP_DEG` degrees: what the maps draw. With distances, under
    the rotating model, a target gets :data:`UNBOUNDED_KM` (the model does not bound the range
    toward it) when either sample around its azimuth is near orbital (no figure blended from the
    stand-in), or when it lies at or beyond :attr:`geo.core.powered.Reach.beyond_km`, from where
    shots that came down near or past the antipode may reach it.

    Examples
    --------
    >>> f = reach_function("rotating", 39.66, 124.705, 10_400)
    >>> f([47.65, 270.0]).round(-1)                         # toward Los Angeles it gains, westward it loses
    array([11980.,  8990.])
    >>> g = reach_function("rotating", 39.0194, 125.7381, 13_000)     # Hwasong-15 class from Pyongyang
    >>> g([250.8, 250.8], [13_659, 19_000]).round(-1).tolist()        # Cape Town out; near the antipode unbounded
    [10470.0, 19500.0]
    >>> reach_function("geodesic", 0.0, 0.0, 4500)([0.0, 123.0])
    array([4500., 4500.])
    """
    check_model(model)
    km = float(check_range_km(nominal_km))
    if model == "geodesic":
        return lambda az, dist=None: np.full(np.shape(az), km)
    azimuths, reach, beyond = _rotating_profile(float(lat), float(lon), km)

    def fn(az, dist=None):
        a = np.mod(np.asarray(az, dtype=float), 360.0)
        edge = np.interp(a, azimuths, reach)
        if dist is None:
            return edge
        i = np.clip(np.searchsorted(azimuths, a, side="right") - 1, 0, azimuths.size - 2)
        near = (reach[i] >= UNBOUNDED_KM) | (reach[i + 1] >= UNBOUNDED_KM)    # no blend into a stand-in
        back = np.minimum(beyond[i], beyond[i + 1])
        return np.where(near | (np.asarray(dist, dtype=float) >= back), UNBOUNDED_KM, edge)

    return fn


@functools.lru_cache(maxsize=512)
def _disc(model: str, lat: float, lon: float, km: float, display: bool):
    if model == "geodesic":
        return (rings.display_ring if display else rings.range_ring)(lat, lon, km)
    return rings.reach_region(lat, lon, reach_function(model, lat, lon, km), display=display)


def region(model: str, lat: float, lon: float, km: float, *, min_range_km: float | None = None,
           display: bool = False):
    """The region within reach `km` (nominal, under `model`) of (lat, lon), less any dead zone.

    Parameters
    ----------
    model : {"geodesic", "rotating"}
    lat, lon : float
        Launch site.
    km : float
        Nominal range whose reach bounds the region.
    min_range_km : float, optional
        Minimum range: the geodesic disc of this radius is cut out (a hole).
    display : bool
        The web-map form (longitudes unwrapped around the site, clamped at Mercator's limit)
        instead of RFC 7946.

    Examples
    --------
    >>> ring = region("geodesic", 41.37, 126.91, 1000, min_range_km=300)
    >>> len(ring.interiors), bool(shapely.contains_xy(ring, 126.91, 41.37))
    (1, False)
    """
    outer = _disc(model, float(lat), float(lon), float(km), bool(display))
    if not min_range_km:
        return outer
    return shapely.difference(outer, _disc("geodesic", float(lat), float(lon), float(min_range_km), bool(display)))


def footprint(site, missile, model: str = "rotating", *, range_km: float | None = None,
              display: bool = False, catalog: Catalog | None = None):
    """The region `missile` reaches from `site`: a shapely (Multi)Polygon in lon/lat.

    Obeys every rule of :func:`geo.core.rings.range_ring` (RFC 7946; the web-map form with
    ``display=True``). With ``model="geodesic"`` it is the range ring itself. The dead zone
    under a minimum range is not cut out here (see :func:`region`).

    Parameters
    ----------
    site, missile
        Catalog names, ``"LAT,LON"``, objects, or a range in km for the missile.
    model : {"rotating", "geodesic"}
    range_km : float, optional
        Nominal range to use instead of the missile's (e.g. its ``max_km``).
    display : bool
        Web-map form: longitudes unwrapped around the site, clamped at Mercator's limit.
    """
    check_model(model)
    site = as_place(site, catalog, kind="site")
    km = float(check_range_km(as_missile(missile, catalog).range_km if range_km is None else range_km))
    return region(model, site.lat, site.lon, km, display=display)
