"""Can this missile reach that place? Exact in-range checks on WGS84.

A target is ``"in range"`` when its geodesic distance is within the range every
source agrees on (the nominal range, or the low end of the band when sources
disagree), ``"possibly in range"`` when it lies inside the band, ``"out of range"``
beyond it, and ``"too close"`` under a known minimum range.

Examples
--------
>>> from geo.catalog import default_catalog
>>> result = check("Chagang", "Hwasong-12", "Guam")
>>> result.verdict, round(result.distance_km), round(result.margin_km)
('in range', 3540, 960)
>>> check("Chagang", 3000, "Guam").verdict
'out of range'
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from ..catalog.tables import Catalog, Missile, Place, default_catalog
from ..errors import InputError
from ..core.geodesy import check_lat, check_lon, check_range_km, inverse

__all__ = ["Check", "VERDICTS", "MODELS", "check", "check_table", "footprint", "verdicts", "as_missile",
           "as_place", "as_scenario"]

#: The possible verdicts, from best to worst reach.
VERDICTS = ("in range", "possibly in range", "out of range", "too close")

#: Reach models: ``"geodesic"`` (the range is a geodesic circle: non-rotating Earth) and
#: ``"rotating"`` (the range depends on the direction of fire; see :mod:`geo.ballistics`).
MODELS = ("geodesic", "rotating")
MODEL_DESCRIPTIONS = {
    "geodesic": "WGS84 geodesic (Karney); nominal range on a non-rotating Earth",
    "rotating": "rotating Earth: Keplerian minimum-energy flight over a sphere with the ground's eastward "
                "speed added at launch, reach toward the target; distance WGS84 geodesic (Karney)",
}


class Check(NamedTuple):
    """The answer to "can `missile` fired from `site` reach `target`?"."""

    site: Place
    missile: Missile
    target: Place
    #: Geodesic distance from site to target, km.
    distance_km: float
    #: Nominal maximum range of the missile, km.
    range_km: float
    #: ``range_km - distance_km``: how far the target lies inside (+) or outside (-) the range.
    margin_km: float
    #: Initial bearing from the site towards the target, degrees clockwise from north.
    bearing_deg: float
    verdict: str
    #: The reach model that judged: ``"geodesic"`` or ``"rotating"`` (then `range_km` is the
    #: reach toward the target).
    model: str = "geodesic"
    #: Free-flight time of the minimum-energy trajectory to the target, minutes (None when out of reach).
    free_flight_min: float | None = None
    #: Estimated boost (powered-flight) duration for the missile class, minutes.
    boost_min: float | None = None

    @property
    def flight_time_min(self) -> float | None:
        """Free flight plus the boost estimate, minutes (None when the target is out of reach)."""
        return None if self.free_flight_min is None else self.free_flight_min + self.boost_min


def as_missile(missile, catalog: Catalog | None = None) -> Missile:
    """A :class:`Missile` from a catalog name, a Missile, or a range in km.

    >>> as_missile(4500).name, as_missile("KN-17").name
    ('4,500 km range', 'Hwasong-12')
    """
    if isinstance(missile, Missile):
        return missile
    if isinstance(missile, (int, float, np.number)) and not isinstance(missile, bool):
        km = float(check_range_km(missile))
        return Missile(f"{km:,.6g} km range", km, source="range given by the user")
    return (catalog or default_catalog()).missile(str(missile))


def as_place(place, catalog: Catalog | None = None, kind: str = "target") -> Place:
    """A :class:`Place` from a catalog name, ``"LAT,LON"``, a ``(lat, lon)`` pair or a Place.

    >>> as_place((13.5, 144.8)).name
    '13.5000, 144.8000'
    >>> as_place("Chagang", kind="site").lat
    41.369883
    """
    if isinstance(place, Place):
        return place
    if isinstance(place, tuple) and len(place) == 2:
        lat, lon = float(check_lat(place[0])), float(check_lon(place[1]))
        return Place(f"{lat:.4f}, {lon:.4f}", lat, lon, source="coordinates given by the user")
    catalog = catalog or default_catalog()
    return catalog.site(str(place)) if kind == "site" else catalog.target(str(place))


def as_scenario(sites, missiles, targets=(), catalog: Catalog | None = None):
    """Sites, missiles and targets as lists of Place and Missile, from one item or a sequence of each.

    Each item may be anything :func:`as_place` or :func:`as_missile` takes.

    >>> sites, missiles, targets = as_scenario("Chagang", ["HS-12", 3000], (13.58, 144.92))
    >>> [s.name for s in sites], [m.name for m in missiles], [t.name for t in targets]
    (['Hoejung-ri missile operating base (Chagang)'], ['Hwasong-12', '3,000 km range'], ['13.5800, 144.9200'])
    """
    def listed(items, convert):
        pair = isinstance(items, tuple) and len(items) == 2 and all(isinstance(v, (int, float)) for v in items)
        if pair or isinstance(items, (str, int, float, Place, Missile)) or not hasattr(items, "__iter__"):
            items = [items]
        return [convert(i) for i in items]

    return (listed(sites, lambda s: as_place(s, catalog, kind="site")),
            listed(missiles, lambda m: as_missile(m, catalog)),
            listed(targets, lambda t: as_place(t, catalog, kind="target")))


def verdicts(distance_km, certain_km, max_km, min_range_km=np.nan):
    """Verdicts for arrays of distances and missile ranges (broadcast together).

    Parameters
    ----------
    distance_km : array_like
    certain_km : array_like
        Range up to which every source agrees.
    max_km : array_like
        Upper end of the band (equal to `certain_km` when there is no band).
    min_range_km : array_like, optional
        Minimum range; NaN where none is known.

    >>> verdicts([100, 4600, 6000, 50], 4500, 5000, [60, np.nan, np.nan, 60]).tolist()
    ['in range', 'possibly in range', 'out of range', 'too close']
    """
    d = np.asarray(distance_km, dtype=float)
    d, certain, high, low = np.broadcast_arrays(d, certain_km, max_km, min_range_km)
    out = np.full(d.shape, VERDICTS[2], dtype=object)
    out[d <= high] = VERDICTS[1]
    out[d <= certain] = VERDICTS[0]
    out[np.asarray(d < np.where(np.isnan(low), -np.inf, low))] = VERDICTS[3]
    return out


def _ranges(missiles: Sequence[Missile]):
    return (
        np.array([m.range_km for m in missiles], dtype=float),
        np.array([m.certain_km for m in missiles], dtype=float),
        np.array([m.max_km for m in missiles], dtype=float),
        np.array([np.nan if m.min_range_km is None else m.min_range_km for m in missiles], dtype=float),
    )


def _check_model(model: str) -> str:
    if model not in MODELS:
        raise InputError(f"unknown model {model!r}: choose one of {', '.join(MODELS)}")
    return model


def check(site, missile, target, *, model: str = "geodesic", catalog: Catalog | None = None) -> Check:
    """Check whether `missile` fired from `site` reaches `target`.

    Parameters
    ----------
    site, target : str, tuple or Place
        A catalog name or alias, ``"LAT,LON"``, a ``(lat, lon)`` pair or a Place.
    missile : str, float or Missile
        A catalog name or alias, a Missile, or a range in km.
    model : {"geodesic", "rotating"}
        ``"geodesic"``: the range is a circle on WGS84. ``"rotating"``: the range depends
        on the direction, from the ground's eastward speed (:mod:`geo.ballistics`); the
        result's `range_km` is then the reach toward the target.
    catalog : Catalog, optional
        Where names are looked up; the builtin catalogs by default.

    Examples
    --------
    >>> r = check("41.37,126.91", "Hwasong-14", "Washington, DC")
    >>> r.verdict, round(r.distance_km), round(r.bearing_deg, 1)
    ('out of range', 10791, 18.5)
    >>> r = check("Sohae", "Hwasong-14", "Los Angeles", model="rotating")
    >>> r.verdict, round(r.range_km, -1), round(r.flight_time_min)
    ('possibly in range', 11470.0, 36)
    """
    _check_model(model)
    site = as_place(site, catalog, kind="site")
    target = as_place(target, catalog, kind="target")
    missile = as_missile(missile, catalog)
    inv = inverse(site.lat, site.lon, target.lat, target.lon)
    dist, bearing = float(inv.distance_km), float(inv.bearing_deg)
    ranges = np.array([v[0] for v in _ranges([missile])])          # nominal, certain, max, min
    if model == "rotating":
        from ..core.ballistics import rotating_reach_km

        ranges[:3] = [float(rotating_reach_km(site.lat, site.lon, bearing, km)) for km in ranges[:3]]
    rng, certain, high, low = (float(v) for v in ranges)
    verdict = verdicts(dist, certain, high, low).item()
    free, boost = _flight_time(site, missile, dist, bearing, model, high)
    return Check(site, missile, target, dist, rng, rng - dist, bearing, verdict, model, free, boost)


def _flight_time(site: Place, missile: Missile, dist: float, bearing: float, model: str, reach_km: float):
    """Minimum-energy free-flight time to `dist` and the boost estimate; (None, None) beyond reach."""
    from ..core.ballistics import boost_time_min, flight_time_min, rotating_flight_time_min

    if dist > reach_km or dist <= 0:
        return None, None
    if model == "rotating":
        free = rotating_flight_time_min(site.lat, site.lon, bearing, dist, missile.max_km)
    else:
        free = flight_time_min(dist)
    return float(free), float(boost_time_min(missile.range_km))


def footprint(site, missile, model: str = "rotating", *, range_km: float | None = None,
              display: bool = False, catalog: Catalog | None = None):
    """The region `missile` reaches from `site`: a shapely (Multi)Polygon in lon/lat.

    Obeys every rule of :func:`geo.rings.range_ring` (RFC 7946; the web-map form with
    ``display=True``). With ``model="geodesic"`` it is the range ring itself; with
    ``model="rotating"`` the reach in each direction comes from
    :func:`geo.ballistics.rotating_reach_km`, sampled every 0.1° of azimuth and
    interpolated between.

    Parameters
    ----------
    site, missile
        As for :func:`check`.
    model : {"rotating", "geodesic"}
    range_km : float, optional
        Nominal range to use instead of the missile's (e.g. its ``max_km``).
    display : bool
        Web-map form: longitudes unwrapped around the site, clamped at Mercator's limit.

    Examples
    --------
    >>> import shapely
    >>> zone = footprint("Chagang", "Hwasong-12")
    >>> bool(shapely.contains_xy(zone, 144.92444, 13.58111))          # Guam
    True
    """
    from ..core import rings

    _check_model(model)
    site = as_place(site, catalog, kind="site")
    km = float(check_range_km(as_missile(missile, catalog).range_km if range_km is None else range_km))
    if model == "geodesic":
        make = rings.display_ring if display else rings.range_ring
        return make(site.lat, site.lon, km)
    from ..core.ballistics import rotating_reach_km

    azimuths = np.linspace(0.0, 360.0, 3601)
    reach = rotating_reach_km(site.lat, site.lon, azimuths, km)
    return rings.reach_region(site.lat, site.lon, lambda az: np.interp(np.mod(az, 360.0), azimuths, reach),
                              display=display)


def check_table(sites: Sequence[Place], missiles: Sequence[Missile], targets: Sequence[Place]):
    """Every site × missile × target as a pandas DataFrame, computed without a per-pair loop.

    Distances are computed once per site × target pair (one vectorized geodesic call)
    and broadcast against every missile.

    Examples
    --------
    >>> cat = default_catalog()
    >>> table = check_table([cat.site("Chagang")], [cat.missile("HS-12"), cat.missile("HS-15")],
    ...                     [cat.target("Guam"), cat.target("Washington")])
    >>> table[["missile", "target", "verdict"]].values.tolist()
    [['Hwasong-12', 'Guam (Andersen AFB)', 'in range'], ['Hwasong-12', 'Washington, DC', 'out of range'], ['Hwasong-15', 'Guam (Andersen AFB)', 'in range'], ['Hwasong-15', 'Washington, DC', 'in range']]
    """
    import pandas as pd

    columns = ["site", "site_lat", "site_lon", "missile", "target", "target_lat", "target_lon",
               "distance_km", "range_km", "margin_km", "bearing_deg", "verdict"]
    if not (sites and missiles and targets):
        return pd.DataFrame({c: [] for c in columns})
    s_lat = np.array([s.lat for s in sites])[:, None]
    s_lon = np.array([s.lon for s in sites])[:, None]
    t_lat = np.array([t.lat for t in targets])[None, :]
    t_lon = np.array([t.lon for t in targets])[None, :]
    inv = inverse(*np.broadcast_arrays(s_lat, s_lon, t_lat, t_lon))
    dist = np.asarray(inv.distance_km)[:, None, :]                     # site × 1 × target
    rng, certain, high, low = (v[None, :, None] for v in _ranges(missiles))
    shape = (len(sites), len(missiles), len(targets))
    si, mi, ti = (a.ravel() for a in np.indices(shape))
    table = pd.DataFrame({
        "site": [sites[i].name for i in si],
        "site_lat": s_lat[si, 0], "site_lon": s_lon[si, 0],
        "missile": [missiles[i].name for i in mi],
        "target": [targets[i].name for i in ti],
        "target_lat": t_lat[0, ti], "target_lon": t_lon[0, ti],
        "distance_km": np.broadcast_to(dist, shape).ravel(),
        "range_km": np.broadcast_to(rng, shape).ravel(),
        "margin_km": (rng - dist).ravel(),
        "bearing_deg": np.broadcast_to(np.asarray(inv.bearing_deg)[:, None, :], shape).ravel(),
        "verdict": verdicts(dist, certain, high, low).ravel(),
    })
    return table[columns]
