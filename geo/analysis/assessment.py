"""One assessment behind every output: every number about a scenario, computed once.

:func:`assess` takes a :class:`~geo.analysis.scenario.Scenario` (sites × missiles × targets
under one reach model) and computes, vectorized over the whole grid (no Python loop per pair):
distance and bearing (Karney's geodesic on WGS84), the reach toward each target under the
model, the band's ends under the same model, the minimum range, margin, verdict and flight
time. Overflight and the regions (rings, footprints, dead zones) are computed on first use
and kept. Every output — CLI text and JSON, tables, web map, figure, exports, report,
coverage — reads an :class:`Assessment`; none computes a distance or a verdict of its own.

Verdicts: ``"in range"`` within the reach every source agrees on (the nominal range, or the
low end of the band where sources disagree), ``"possibly in range"`` inside the band,
``"out of range"`` beyond it, ``"too close"`` under a known minimum range.

Examples
--------
>>> a = assess(Scenario.resolve("Chagang", ["Hwasong-12", "Hwasong-15"], ["Guam", "Washington"]))
>>> a.verdict.tolist()
[[['in range', 'out of range'], ['in range', 'in range']]]
>>> c = a.check(0, 0, 0)
>>> round(c.distance_km), round(c.margin_km), round(c.flight_time_min)
(3540, 960, 19)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..catalog.tables import Missile, Place
from ..core.geodesy import inverse
from ..validate import Verdict
from .scenario import MODEL_DESCRIPTIONS, Scenario

__all__ = ["VERDICTS", "Check", "Region", "Assessment", "assess", "as_assessment", "measure", "verdicts",
           "verdict_codes", "near_orbital_cells"]

#: The possible verdicts, from best to worst reach; :attr:`Assessment.verdict_code` indexes it.
VERDICTS = Verdict.values()


def verdict_codes(distance_km, certain_km, max_km, min_range_km=np.nan) -> np.ndarray:
    """Verdict codes (indices into :data:`VERDICTS`) for distances and reaches, broadcast together.

    The one place the verdict rule lives.

    Parameters
    ----------
    distance_km : array_like
    certain_km : array_like
        Reach up to which every source agrees.
    max_km : array_like
        Upper end of the band (equal to `certain_km` when there is no band).
    min_range_km : array_like, optional
        Minimum range; NaN where none is known.

    >>> verdict_codes([100, 4600, 6000, 50], 4500, 5000, [60, np.nan, np.nan, 60]).tolist()
    [0, 1, 2, 3]

    Where the model does not bound the reach (near orbital: a reach of
    :data:`geo.analysis.regions.UNBOUNDED_KM`), a target is in range as far as the missile's own
    shots cover the ground (:data:`geo.analysis.regions.NEAR_ORBITAL_KM`, 19,015 km), and
    "possibly in range" beyond; a certain reach that is finite while the band's top is unbounded
    (a target beyond a gap, where shots aimed elsewhere come down) gives "possibly in range":

    >>> verdict_codes([15_000, 19_900], 19_500, 19_500).tolist()
    [0, 1]
    >>> verdict_codes(15_000, 10_465, 19_500).tolist()
    1
    """
    from .regions import NEAR_ORBITAL_KM, UNBOUNDED_KM

    d, certain, high, low = np.broadcast_arrays(np.asarray(distance_km, dtype=float), certain_km, max_km,
                                                min_range_km)
    code = np.full(d.shape, 2, dtype=np.int8)
    code[(d <= high) | (high >= UNBOUNDED_KM)] = 1         # unbounded (near orbital): not ruled out anywhere
    # ... and proved only as far as the missile's own near-orbital shots cover the ground
    code[(d <= certain) & ((certain < UNBOUNDED_KM) | (d <= NEAR_ORBITAL_KM))] = 0
    code[d < np.where(np.isnan(low), -np.inf, low)] = 3
    return code


def verdicts(distance_km, certain_km, max_km, min_range_km=np.nan) -> np.ndarray:
    """:func:`verdict_codes` as words.

    >>> verdicts([100, 4600, 6000, 50], 4500, 5000, [60, np.nan, np.nan, 60]).tolist()
    ['in range', 'possibly in range', 'out of range', 'too close']
    """
    return np.asarray(VERDICTS, dtype=object)[verdict_codes(distance_km, certain_km, max_km, min_range_km)]


def near_orbital_cells(reach_km, model: str) -> np.ndarray:
    """Where the model does not bound the reach toward the target (near orbital): a reach of
    :data:`geo.analysis.regions.UNBOUNDED_KM` under the rotating model; nowhere under the geodesic one.

    >>> near_orbital_cells([17_000.0, 19_500.0], "rotating").tolist(), near_orbital_cells([19_500.0], "geodesic").tolist()
    ([False, True], [False])
    """
    from .regions import UNBOUNDED_KM

    reach = np.asarray(reach_km, dtype=float)
    return (reach >= UNBOUNDED_KM) if model == "rotating" else np.zeros(reach.shape, bool)


class Check(NamedTuple):
    """The answer to "can `missile` fired from `site` reach `target`?", one cell of an assessment."""

    site: Place
    missile: Missile
    target: Place
    #: Geodesic distance from site to target, km.
    distance_km: float
    #: Nominal range of the missile under the model: under ``"rotating"`` the reach toward the target, km.
    range_km: float
    #: ``range_km - distance_km``: how far the target lies inside (+) or outside (-) the range.
    margin_km: float
    #: Initial bearing from the site towards the target, degrees clockwise from north.
    bearing_deg: float
    verdict: str
    #: The reach model that judged: ``"geodesic"`` or ``"rotating"``.
    model: str = "geodesic"
    #: Minimum-energy free flight from the burnout point to the target, minutes (None when it cannot be hit).
    free_flight_min: float | None = None
    #: Boost of the class missile until its speed suffices for that free flight, minutes.
    boost_min: float | None = None
    #: The band's ends toward the target under the model, km: (in range up to, possibly up to);
    #: None when sources agree.
    band_km: tuple[float, float] | None = None
    #: The missile's minimum range, km (None when unknown).
    min_range_km: float | None = None
    #: The model does not bound the range toward the target (near orbital): `range_km` and
    #: `margin_km` are then inf, not figures to quote.
    near_orbital: bool = False

    @property
    def flight_time_min(self) -> float | None:
        """Free flight plus the boost estimate, minutes (None when the target cannot be hit)."""
        return None if self.free_flight_min is None else self.free_flight_min + self.boost_min

    @property
    def inside_minimum_km(self) -> float | None:
        """How far inside the minimum range the target lies, km (None unless "too close")."""
        return self.min_range_km - self.distance_km if self.verdict == Verdict.TOO_CLOSE else None


class Region(NamedTuple):
    """One drawn region of a site × missile: where a statement about the reach holds."""

    #: ``"band"`` (possibly in range up to `radius_km`), ``"nominal"`` or ``"certain"`` (in range).
    kind: str
    #: Nominal range (under the model) bounding the region, km.
    radius_km: float
    #: lon/lat (Multi)Polygon; the dead zone under a minimum range is a hole.
    geometry: object


@dataclass(frozen=True, eq=False)
class Assessment:
    """Every number about a scenario, as arrays over site × missile × target (``(S, M, T)``).

    Distances and bearings are ``(S, T)``; the rest ``(S, M, T)``. Flight times are NaN where
    the target cannot be hit (out of range or too close).
    """

    scenario: Scenario
    distance_km: np.ndarray
    bearing_deg: np.ndarray
    #: Reach toward each target at the missile's nominal range, under the model, km.
    reach_km: np.ndarray
    #: Reach toward each target at the band's low / high end (the nominal where no band), km.
    certain_km: np.ndarray
    max_km: np.ndarray
    #: Per missile, km; NaN where none is known.
    min_range_km: np.ndarray
    margin_km: np.ndarray
    verdict_code: np.ndarray
    free_flight_min: np.ndarray
    boost_min: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # --- the scenario, for short ---------------------------------------------------
    @property
    def sites(self) -> tuple[Place, ...]:
        return self.scenario.sites

    @property
    def missiles(self) -> tuple[Missile, ...]:
        return self.scenario.missiles

    @property
    def targets(self) -> tuple[Place, ...]:
        return self.scenario.targets

    @property
    def model(self) -> str:
        return self.scenario.model

    @property
    def model_description(self) -> str:
        """One line naming the model that produced the reach and flight times."""
        return MODEL_DESCRIPTIONS[self.model]

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.sites), len(self.missiles), len(self.targets)

    # --- derived views -------------------------------------------------------------
    @property
    def verdict(self) -> np.ndarray:
        """Verdicts as words, ``(S, M, T)``."""
        return np.asarray(VERDICTS, dtype=object)[self.verdict_code]

    @property
    def flight_time_min(self) -> np.ndarray:
        """Free flight plus boost, minutes, ``(S, M, T)``; NaN where the target cannot be hit."""
        return self.free_flight_min + self.boost_min

    def best_verdict(self, ti: int) -> str | None:
        """The best verdict for target `ti` over every site × missile (None without sites or missiles)."""
        codes = self.verdict_code[:, :, ti]
        return VERDICTS[int(codes.min())] if codes.size else None

    @property
    def near_orbital(self) -> np.ndarray:
        """``(S, M, T)``: the model does not bound the reach toward the target (rotating model only)."""
        return near_orbital_cells(self.reach_km, self.model)

    def has_band(self, mi: int) -> bool:
        m = self.missiles[mi]
        return m.max_km > m.certain_km

    def check(self, si: int, mi: int, ti: int) -> Check:
        """One cell as a :class:`Check`."""
        def opt(x) -> float | None:
            return None if np.isnan(x) else float(x)

        from .regions import UNBOUNDED_KM

        def km(x) -> float:                   # the stand-in for "not bounded" leaves the array as inf
            return math.inf if x >= UNBOUNDED_KM and self.model == "rotating" else float(x)

        band = ((km(self.certain_km[si, mi, ti]), km(self.max_km[si, mi, ti]))
                if self.has_band(mi) else None)
        near = bool(self.near_orbital[si, mi, ti])
        return Check(self.sites[si], self.missiles[mi], self.targets[ti], float(self.distance_km[si, ti]),
                     km(self.reach_km[si, mi, ti]), math.inf if near else float(self.margin_km[si, mi, ti]),
                     float(self.bearing_deg[si, ti]), VERDICTS[int(self.verdict_code[si, mi, ti])], self.model,
                     opt(self.free_flight_min[si, mi, ti]), opt(self.boost_min[si, mi, ti]), band,
                     opt(self.min_range_km[mi]), near)

    def checks(self) -> list[Check]:
        """Every cell as a :class:`Check`, in site, missile, target order."""
        s, m, t = self.shape
        return [self.check(i, j, k) for i in range(s) for j in range(m) for k in range(t)]

    def columns(self) -> dict[str, np.ndarray]:
        """The table of every cell as flat columns (site, missile, target order); see :data:`TABLE_COLUMNS`."""
        s, m, t = self.shape
        si, mi, ti = (a.ravel() for a in np.indices((s, m, t)))
        names = [np.asarray([p.name for p in group] or [""], dtype=object)
                 for group in (self.sites, self.missiles, self.targets)]
        lat_lon = [np.asarray([getattr(p, a) for p in group], dtype=float).reshape(-1)
                   for group in (self.sites, self.targets) for a in ("lat", "lon")]
        dist = np.broadcast_to(self.distance_km[:, None, :], (s, m, t)).ravel()
        return {
            "site": names[0][si], "site_lat": lat_lon[0][si], "site_lon": lat_lon[1][si],
            "missile": names[1][mi], "target": names[2][ti], "target_lat": lat_lon[2][ti],
            "target_lon": lat_lon[3][ti], "distance_km": dist, "range_km": self.reach_km.ravel(),
            "margin_km": self.margin_km.ravel(),
            "bearing_deg": np.broadcast_to(self.bearing_deg[:, None, :], (s, m, t)).ravel(),
            "verdict": self.verdict.ravel(), "model": np.full(s * m * t, self.model, dtype=object),
            "near_orbital": self.near_orbital.ravel(), "flight_time_min": self.flight_time_min.ravel(),
        }

    def table(self):
        """:meth:`columns` as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.columns())

    # --- computed on first use -------------------------------------------------------
    def overflight(self, si: int, ti: int) -> tuple:
        """The countries under the ground track from site `si` to target `ti`, in order
        (landfalls less than two 12-nautical-mile territorial seas apart merged)."""
        key = ("overflight", si, ti)
        if key not in self._cache:
            from .coverage import TERRITORIAL_GAP_KM, overflight

            self._cache[key] = overflight(self.sites[si], self.targets[ti], join_gap_km=TERRITORIAL_GAP_KM)
        return self._cache[key]

    def regions(self, si: int, mi: int, *, display: bool = False) -> tuple[Region, ...]:
        """The regions of site `si` × missile `mi`, widest first, as the analysis uses them.

        Under ``"rotating"`` each is the rotating-Earth footprint at that nominal range. A
        minimum range is cut out as a hole. ``display=True`` gives the web-map form.
        """
        from .regions import region, region_kinds

        site, m = self.sites[si], self.missiles[mi]
        low = None if np.isnan(self.min_range_km[mi]) else float(self.min_range_km[mi])
        return tuple(Region(kind, km, region(self.model, site.lat, site.lon, km, min_range_km=low,
                                             display=display)) for kind, km in region_kinds(m))

    def country(self, si: int, mi: int, ti: int):
        """For a target that is a whole country (``Place.kind == "country"``): its nearest and farthest
        point, the share of its area within the nominal reach under the model, and a verdict
        (:func:`geo.analysis.country_reach.country_reach`); None for any other target."""
        target = self.targets[ti]
        if target.kind != "country":
            return None
        key = ("country", si, mi, ti)
        if key not in self._cache:
            from .country_reach import country_reach
            from .regions import reach_function

            site, m = self.sites[si], self.missiles[mi]
            reach = m.range_km if self.model == "geodesic" else reach_function(self.model, site.lat, site.lon,
                                                                                m.range_km)
            self._cache[key] = country_reach(site, target, reach)
        return self._cache[key]

    def dead_zone(self, si: int, mi: int, *, display: bool = False):
        """The region under missile `mi`'s minimum range around site `si` (None when it has none)."""
        from .regions import region

        if np.isnan(self.min_range_km[mi]):
            return None
        site = self.sites[si]
        return region("geodesic", site.lat, site.lon, float(self.min_range_km[mi]), display=display)


def assess(scenario: Scenario) -> Assessment:
    """Compute every number about `scenario` at once (see :mod:`geo.analysis.assessment`).

    Parameters
    ----------
    scenario : Scenario
        From :meth:`Scenario.resolve <geo.analysis.scenario.Scenario.resolve>`.

    Returns
    -------
    Assessment

    Examples
    --------
    >>> a = assess(Scenario.resolve("Sohae", "Hwasong-14", "Los Angeles", model="rotating"))
    >>> c = a.check(0, 0, 0)
    >>> c.verdict, round(c.range_km, -1), [round(b, -1) for b in c.band_km]
    ('possibly in range', 11980.0, [7210.0, 11980.0])
    """
    sites, missiles, targets, model = scenario.sites, scenario.missiles, scenario.targets, scenario.model
    m = len(missiles)
    s_lat, s_lon = (np.array([getattr(p, a) for p in sites], dtype=float) for a in ("lat", "lon"))
    t_lat, t_lon = (np.array([getattr(p, a) for p in targets], dtype=float) for a in ("lat", "lon"))
    ranges = np.array([[mi.range_km, mi.certain_km, mi.max_km,
                        np.nan if mi.min_range_km is None else mi.min_range_km] for mi in missiles],
                      dtype=float).reshape(m, 4)
    cells = measure(s_lat, s_lon, t_lat, t_lon, ranges, model)
    return Assessment(scenario, *cells)


def measure(site_lat, site_lon, target_lat, target_lon, ranges, model: str = "geodesic", *,
            flight_times: bool = True) -> tuple:
    """The numbers of an :class:`Assessment` from plain arrays (also used in chunks by batch tables).

    Parameters
    ----------
    site_lat, site_lon : (S,) arrays
    target_lat, target_lon : (T,) arrays
    ranges : (M, 4) array
        Per missile: nominal, certain (band low), maximum (band high) and minimum range (NaN if none).
    model : {"geodesic", "rotating"}
    flight_times : bool
        Compute flight times (NaN everywhere when False: batch tables at scale leave them out).

    Returns
    -------
    tuple
        distance, bearing ``(S, T)``; reach, certain, max ``(S, M, T)``; min range ``(M,)``;
        margin, verdict code, free flight, boost ``(S, M, T)``.
    """
    from .regions import reach_function

    s, t, m = len(site_lat), len(target_lat), len(ranges)
    inv = inverse(*np.broadcast_arrays(site_lat[:, None], site_lon[:, None], target_lat[None, :],
                                       target_lon[None, :]))
    dist = np.asarray(inv.distance_km, dtype=float).reshape(s, t)
    bearing = np.asarray(inv.bearing_deg, dtype=float).reshape(s, t)
    reach = np.empty((3, s, m, t))
    for si in range(s):
        for k in range(3):
            for mi in range(m):
                fn = reach_function(model, site_lat[si], site_lon[si], ranges[mi, k])
                # The certain reach is the edge (unbounded only on a near-orbital bearing): a target
                # beyond a gap is never certain; the nominal and the band's top may come back there.
                reach[k, si, mi] = fn(bearing[si], np.zeros(t) if k == 1 else dist[si])
    nominal, certain, high = reach
    low = ranges[:, 3]
    d = dist[:, None, :]
    code = verdict_codes(d, certain, high, low[None, :, None])
    free, boost = (_flight_times(model, site_lat, site_lon, dist, bearing, ranges, code, nominal) if flight_times
                   else (np.full(code.shape, np.nan), np.full(code.shape, np.nan)))
    return dist, bearing, nominal, certain, high, low, nominal - d, code, free, boost


def _flight_times(model, site_lat, site_lon, dist, bearing, ranges, code, nominal) -> tuple[np.ndarray, np.ndarray]:
    """Free-flight and boost minutes per cell (:func:`geo.core.ballistics.flight_time`: the class
    missile's boost, then the minimum-energy free flight from the burnout point); NaN where the
    target cannot be hit (out of range, too close, or at the site).

    The missile flown is the class of the nominal range (the catalog's headline figure, as in
    the README's flight-time table); a target beyond the nominal reach but within the band is
    flown by the class of the band's top, the only one that gets there."""
    from ..core.ballistics import flight_time

    free, boost = np.full(code.shape, np.nan), np.full(code.shape, np.nan)
    hit = (code <= 1) & (dist[:, None, :] > 0)
    for si, mi in zip(*np.nonzero(hit.any(axis=2))):
        for k, beyond_nominal in ((0, False), (2, True)):
            ti = np.flatnonzero(hit[si, mi] & ((dist[si] > nominal[si, mi]) == beyond_nominal))
            if ti.size == 0:
                continue
            kw = dict(lat=site_lat[si], lon=site_lon[si], azimuth_deg=bearing[si, ti]) if model == "rotating" else {}
            ft = flight_time(dist[si, ti], ranges[mi, k], model=model, **kw)
            free[si, mi, ti], boost[si, mi, ti] = ft.free_flight_min, ft.boost_min
    return free, boost


def as_assessment(sites, missiles=(), targets=(), *, model: str = "geodesic", what: str = "a map") -> Assessment:
    """`sites` itself when it is an :class:`Assessment`, else the assessment of the scenario given.

    Outputs take either, so ``figure(assessment)`` and ``figure("Chagang", "HS-12", "Guam")`` both work.

    >>> as_assessment("Chagang", "HS-12", "Guam").verdict.item()
    'in range'
    >>> as_assessment([], "HS-12", what="a figure")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: a figure needs at least one launch site and one missile
    """
    from ..errors import InputError

    if isinstance(sites, Assessment):
        return sites
    scenario = Scenario.resolve(sites, missiles, targets, model=model, require=False)
    if not (scenario.sites and scenario.missiles):
        raise InputError(f"{what} needs at least one launch site and one missile")
    return assess(scenario)
