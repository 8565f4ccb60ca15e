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
(3540, 960, 17)
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

__all__ = ["VERDICTS", "COUNTRY_VERDICTS", "TARGET_KINDS", "target_kind", "Check", "Region", "Assessment", "assess",
           "as_assessment", "measure", "verdicts",
           "verdict_codes", "near_orbital_cells"]

#: The possible verdicts, from best to worst reach; :attr:`Assessment.verdict_code` indexes it.
VERDICTS = Verdict.values()
#: The verdicts for a whole country (an area) within the nominal reach; :attr:`Assessment.extent_code` indexes it.
COUNTRY_VERDICTS = ("all in range", "part in range", "none in range")
#: What a target is: coordinates typed by a user, a named place (catalog row or GeoNames city), a whole country.
TARGET_KINDS = ("point", "place", "country")


def target_kind(place: Place) -> str:
    """``"country"`` (an area: its Natural Earth outline), ``"point"`` (coordinates) or ``"place"``.

    >>> target_kind(Place("1.0000, 2.0000", 1.0, 2.0, kind="coordinates")), target_kind(Place("Guam", 13.6, 144.9))
    ('point', 'place')
    """
    if place.kind == "country":
        return "country"
    return "point" if place.kind == "coordinates" or place.source == "coordinates given by the user" else "place"


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
    #: The coast from thrust cut-off to the target, minutes (None when no shot of the model lands there).
    free_flight_min: float | None = None
    #: The boost of the class missile until its thrust is cut off, minutes.
    boost_min: float | None = None
    #: The band's ends toward the target under the model, km: (in range up to, possibly up to);
    #: None when sources agree.
    band_km: tuple[float, float] | None = None
    #: The missile's minimum range, km (None when unknown).
    min_range_km: float | None = None
    #: The model does not bound the range toward the target (near orbital): `range_km` and
    #: `margin_km` are then inf, not figures to quote.
    near_orbital: bool = False
    #: Which trajectory the flight time is the time of, or why there is none though the target may
    #: be hit (:meth:`Assessment.flight_time_basis`); None when the target cannot be hit.
    flight_time_basis: str | None = None
    #: ``"point"``, ``"place"`` or ``"country"`` (:data:`TARGET_KINDS`). For a country, `distance_km`,
    #: `bearing_deg`, `range_km`, `margin_km` and the flight time are those of its nearest point, and
    #: `verdict` is one of :data:`COUNTRY_VERDICTS` (within the nominal reach under the model).
    target_kind: str = "place"
    #: A country's share of its area within the nominal reach, in [0, 1] (None for a point or place).
    share: float | None = None
    #: A country's farthest point from the site, km (None for a point or place).
    farthest_km: float | None = None
    #: The nearest point's own verdict (one of :data:`VERDICTS`): `verdict` for a point or place.
    point_verdict: str | None = None

    @property
    def flight_time_min(self) -> float | None:
        """Boost to thrust cut-off plus the coast, minutes (None when the target cannot be hit)."""
        return None if self.free_flight_min is None else self.free_flight_min + self.boost_min

    @property
    def inside_minimum_km(self) -> float | None:
        """How far inside the minimum range the target lies, km (None unless "too close")."""
        point = self.verdict if self.point_verdict is None else self.point_verdict
        return self.min_range_km - self.distance_km if point == Verdict.TOO_CLOSE else None


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
    the target cannot be hit (out of range or too close) and where no shot of the model comes
    down on it (near orbital); :attr:`flight_time_basis` says which.
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
    #: ``(S, M, T)``, for country targets: index into :data:`COUNTRY_VERDICTS`; -1 elsewhere.
    extent_code: np.ndarray | None = None
    #: ``(S, M, T)``: a country's share of its area within the nominal reach; NaN elsewhere.
    share: np.ndarray | None = None
    #: ``(S, T)``: a country's farthest point from the site, km; NaN elsewhere.
    farthest_km: np.ndarray | None = None
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
    def target_kinds(self) -> tuple[str, ...]:
        """Per target, ``"point"``, ``"place"`` or ``"country"`` (:func:`target_kind`)."""
        return tuple(target_kind(t) for t in self.targets)

    @property
    def verdict(self) -> np.ndarray:
        """Verdicts as words, ``(S, M, T)``: :data:`COUNTRY_VERDICTS` for a country target, else
        :data:`VERDICTS`."""
        words = np.asarray(VERDICTS, dtype=object)[self.verdict_code]
        country = self.extent_code >= 0
        words[country] = np.asarray(COUNTRY_VERDICTS, dtype=object)[self.extent_code[country]]
        return words

    @property
    def flight_time_min(self) -> np.ndarray:
        """Free flight plus boost, minutes, ``(S, M, T)``; NaN where the target cannot be hit."""
        return self.free_flight_min + self.boost_min

    @property
    def flight_time_basis(self) -> np.ndarray:
        """``(S, M, T)`` words: which trajectory each flight time is the time of (the class missile
        flown, its maximum-range programme with the thrust cut off so it lands on the target; at
        the edge of the reach that is its maximum-range shot), or why a target that may be hit has
        none; None where it cannot be hit.

        >>> a = assess(Scenario.resolve("Chagang", "Hwasong-12", ["Guam", "4.2,150", "Washington"]))
        >>> a.flight_time_basis[0, 0].tolist()          # doctest: +NORMALIZE_WHITESPACE
        ['4,500 km class missile: maximum-range pitch programme, thrust cut off so the coast lands on the target',
         "5,000 km class missile (the band's top): maximum-range pitch programme, thrust cut off so the coast lands
         on the target", None]
        """
        if "basis" not in self._cache:
            self._cache["basis"] = _basis(self)
        return self._cache["basis"]

    def _words(self) -> np.ndarray:
        """:attr:`verdict`, computed once (for :meth:`check` cell by cell)."""
        if "verdict" not in self._cache:
            self._cache["verdict"] = self.verdict
        return self._cache["verdict"]

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
        point = VERDICTS[int(self.verdict_code[si, mi, ti])]
        return Check(self.sites[si], self.missiles[mi], self.targets[ti], float(self.distance_km[si, ti]),
                     km(self.reach_km[si, mi, ti]), math.inf if near else float(self.margin_km[si, mi, ti]),
                     float(self.bearing_deg[si, ti]), self._words()[si, mi, ti], self.model,
                     opt(self.free_flight_min[si, mi, ti]), opt(self.boost_min[si, mi, ti]), band,
                     opt(self.min_range_km[mi]), near, self.flight_time_basis[si, mi, ti],
                     target_kind(self.targets[ti]), opt(self.share[si, mi, ti]), opt(self.farthest_km[si, ti]),
                     point)

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
            "flight_time_basis": self.flight_time_basis.ravel(),
            "target_kind": np.asarray(self.target_kinds or ("",), dtype=object)[ti],
            "share": self.share.ravel(),
            "farthest_km": np.broadcast_to(self.farthest_km[:, None, :], (s, m, t)).ravel(),
        }

    def table(self):
        """:meth:`columns` as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.columns())

    # --- computed on first use -------------------------------------------------------
    def overflight(self, si: int, ti: int) -> tuple:
        """The countries under the ground track from site `si` to target `ti` (a whole country: to its
        nearest point), in order (landfalls less than two 12-nautical-mile territorial seas apart merged)."""
        key = ("overflight", si, ti)
        if key not in self._cache:
            from .coverage import TERRITORIAL_GAP_KM, overflight

            ends = self.extremes(si, 0, ti) if self.missiles else None
            target = self.targets[ti] if ends is None else Place(self.targets[ti].name, ends[0].lat, ends[0].lon)
            self._cache[key] = overflight(self.sites[si], target, join_gap_km=TERRITORIAL_GAP_KM)
        return self._cache[key]

    def path(self, si: int, ti: int, *, unwrap: bool = False):
        """The geodesic from site `si` to target `ti` (:func:`geo.core.geodesy.geodesic_path`, a vertex
        every 10 km): cut at ±180° (RFC 7946), or with ``unwrap=True`` one line whose longitudes run
        on past ±180° (web maps); to a whole country, the path runs to its nearest point. Every output
        draws this one path."""
        key = ("path", si, ti, unwrap)
        if key not in self._cache:
            from ..core.geodesy import geodesic_path

            ends = self.extremes(si, 0, ti) if self.missiles else None
            s, t = self.sites[si], (self.targets[ti] if ends is None else ends[0])
            self._cache[key] = geodesic_path(s.lat, s.lon, t.lat, t.lon, unwrap=unwrap)
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
        (:func:`geo.analysis.country_reach.country_reach`), as :func:`assess` computed it; None for
        any other target."""
        if self.targets[ti].kind != "country":
            return None
        key = ("country", si, mi, ti)
        if key not in self._cache:
            self._cache[key] = _country_reach(self.scenario, si, mi, ti)
        return self._cache[key]

    def outline(self, ti: int):
        """The outline of a country target, lon/lat (Multi)Polygon (Natural Earth 1:50m); None for a
        point or place target."""
        target = self.targets[ti]
        if target.kind != "country":
            return None
        from ..catalog.countries import country_records

        props, geoms = country_records()
        return next(g for p, g in zip(props, geoms) if p["iso_a3"] == target.code)

    def in_range_part(self, si: int, mi: int, ti: int):
        """The part of a country target within the nominal reach, lon/lat (Multi)Polygon (empty when
        none); None for a point or place target. What a map shades."""
        whole = self.country(si, mi, ti)
        return None if whole is None else whole.covered

    def extremes(self, si: int, mi: int, ti: int):
        """``(nearest, farthest)`` :class:`~geo.analysis.country_reach.CountryPoint` of a country target
        from site `si` (lat, lon, distance, bearing, part); None for a point or place target. What a
        map marks."""
        whole = self.country(si, mi, ti)
        return None if whole is None else (whole.nearest, whole.farthest)

    def dead_zone(self, si: int, mi: int, *, display: bool = False):
        """The region under missile `mi`'s minimum range around site `si` (None when it has none)."""
        from .regions import region

        if np.isnan(self.min_range_km[mi]):
            return None
        site = self.sites[si]
        return region("geodesic", site.lat, site.lon, float(self.min_range_km[mi]), display=display)

    # --- what the outputs draw, computed here so that they only draw ----------------------
    def reach_profile(self, si: int, km: float, azimuths) -> np.ndarray:
        """The reach, km, toward each of `azimuths` (degrees) from site `si` of a missile of nominal range
        `km` under the model: the edge of the region covered without a gap, what a map outlines
        (:func:`geo.analysis.regions.reach_function`); computed once per site, range and azimuths.

        >>> a = assess(Scenario.resolve("Sohae", "Hwasong-14", model="rotating"))
        >>> a.reach_profile(0, 10_400, [47.65, 270.0]).round(-1)
        array([11980.,  8990.])
        """
        az = np.asarray(azimuths, dtype=float)
        key = ("reach_profile", si, float(km), az.shape, az.tobytes())
        if key not in self._cache:
            from .regions import reach_function

            site = self.sites[si]
            self._cache[key] = reach_function(self.model, site.lat, site.lon, km)(az)
        return self._cache[key]

    def reach_region(self, si: int, mi: int, km: float):
        """The region within reach `km` (a nominal range, under the model) of site `si`, less missile `mi`'s
        dead zone: a lon/lat (Multi)Polygon, RFC 7946 (:func:`geo.analysis.regions.region`).

        >>> a = assess(Scenario.resolve("Chagang", "KN-23"))
        >>> a.reach_region(0, 0, 690.0).geom_type
        'Polygon'
        """
        from .regions import region

        site = self.sites[si]
        return region(self.model, site.lat, site.lon, km, min_range_km=self.missiles[mi].min_range_km)

    def site_distance_km(self, si: int, sj: int) -> float:
        """The geodesic distance (WGS84, Karney), km, between sites `si` and `sj`.

        >>> a = assess(Scenario.resolve(["Sohae", "Chagang"], "Hwasong-14"))
        >>> round(a.site_distance_km(0, 1)), a.site_distance_km(1, 1)
        (267, 0.0)
        """
        key = ("site_distance", si, sj)
        if key not in self._cache:
            s, t = self.sites[si], self.sites[sj]
            self._cache[key] = float(inverse(s.lat, s.lon, t.lat, t.lon).distance_km)
        return self._cache[key]

    def geodesic(self) -> "Assessment":
        """The same sites, missiles and targets under the geodesic model (non-rotating Earth), for comparison
        with a rotating-model assessment; this assessment itself when it is geodesic already.

        >>> a = assess(Scenario.resolve("Sohae", "Hwasong-14", "Los Angeles", model="rotating"))
        >>> round(a.check(0, 0, 0).range_km, -1), round(a.geodesic().check(0, 0, 0).range_km, -1), a.geodesic().model
        (11980.0, 10400.0, 'geodesic')
        """
        if self.model == "geodesic":
            return self
        if "geodesic" not in self._cache:
            self._cache["geodesic"] = assess(Scenario(self.sites, self.missiles, self.targets))
        return self._cache["geodesic"]


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
    shape = (len(sites), m, len(targets))
    extent, share, far = np.full(shape, -1, np.int8), np.full(shape, np.nan), np.full(shape[::2], np.nan)
    a = Assessment(scenario, *cells, extent, share, far)
    for ti in (i for i, t in enumerate(targets) if t.kind == "country"):
        for si in range(len(sites)):
            _measure_country(a, si, ti, ranges)
    return a


def _country_reach(scenario: Scenario, si: int, mi: int, ti: int):
    from .country_reach import country_reach
    from .regions import reach_function

    site, m = scenario.sites[si], scenario.missiles[mi]
    reach = m.range_km if scenario.model == "geodesic" else reach_function(scenario.model, site.lat, site.lon,
                                                                            m.range_km)
    return country_reach(site, scenario.targets[ti], reach)


def _measure_country(a: Assessment, si: int, ti: int, ranges) -> None:
    """A country target from site `si`: every number of its cells, in place: the distance, bearing,
    reach, margin, verdict and flight time of its nearest point; its share, farthest point and
    verdict (:data:`COUNTRY_VERDICTS`) from :func:`~geo.analysis.country_reach.country_reach`."""
    wholes = [a.country(si, mi, ti) for mi in range(len(a.missiles))]
    if not wholes:
        return
    near, site = wholes[0].nearest, a.sites[si]
    dist, bearing, nominal, certain, high, _, margin, code, free, boost = measure(
        np.array([site.lat]), np.array([site.lon]), np.array([near.lat]), np.array([near.lon]), ranges, a.model)
    a.distance_km[si, ti], a.bearing_deg[si, ti] = dist[0, 0], bearing[0, 0]
    for array, value in ((a.reach_km, nominal), (a.certain_km, certain), (a.max_km, high), (a.margin_km, margin),
                         (a.verdict_code, code), (a.free_flight_min, free), (a.boost_min, boost)):
        array[si, :, ti] = value[0, :, 0]
    a.farthest_km[si, ti] = wholes[0].farthest.distance_km
    for mi, whole in enumerate(wholes):
        a.extent_code[si, mi, ti] = ("all", "part", "none").index(whole.verdict)
        a.share[si, mi, ti] = whole.share


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
    free, boost = (_flight_times(model, site_lat, site_lon, dist, bearing, ranges, code, nominal, high)
                   if flight_times
                   else (np.full(code.shape, np.nan), np.full(code.shape, np.nan)))
    return dist, bearing, nominal, certain, high, low, nominal - d, code, free, boost


#: Why a target that may be hit has no flight time.
NO_TIME_NEAR_ORBITAL = ("near orbital: no shot of the model's programmes toward it comes down there (they run on "
                        "near the antipode or into orbit), so no flight time")
NO_TIME_NO_SHOT = "no shot of the model's programmes comes down there, so no flight time"


def _basis(a: Assessment) -> np.ndarray:
    """:attr:`Assessment.flight_time_basis`, worked out from the cells (see :func:`_flown_class`)."""
    from ..core.ballistics import CUTOFF_TRAJECTORY

    out = np.full(a.verdict_code.shape, None, dtype=object)
    flown = _flown_class(a.distance_km, a.reach_km)
    timed = np.isfinite(a.flight_time_min)
    for idx in zip(*np.nonzero((a.verdict_code <= 1) & (a.distance_km[:, None, :] > 0))):
        m = a.missiles[idx[1]]
        if timed[idx]:
            top = flown[idx] == 2
            km = m.max_km if top else m.range_km
            which = " (the band's top)" if top else ""
            out[idx] = f"{km:,.0f} km class missile{which}: {CUTOFF_TRAJECTORY}"
        else:
            out[idx] = NO_TIME_NEAR_ORBITAL if a.near_orbital[idx] else NO_TIME_NO_SHOT
    return out


def _flown_class(dist, nominal_reach) -> np.ndarray:
    """Per cell ``(S, M, T)``, the column of `ranges` whose class missile flies to the target: 0 (the
    nominal range) up to the nominal reach toward it, 2 (the band's top, the only one that gets
    there) beyond. The one place this rule lives."""
    return np.where(dist[:, None, :] > nominal_reach, 2, 0)


def _flight_times(model, site_lat, site_lon, dist, bearing, ranges, code, nominal, high) -> tuple[np.ndarray, np.ndarray]:
    """Boost-to-cut-off and coast minutes per cell (:func:`geo.core.ballistics.flight_time`: the
    class missile's maximum-range programme, its thrust cut off so the coast lands on the target);
    NaN where the target cannot be hit (out of range, too close, at the site) and where no cut-off
    shot of the model lands (near orbital, beyond a gap).

    The missile flown is the class of the nominal range (the catalog's headline figure, as in
    the README's flight-time table); a target beyond the nominal reach but within the band is
    flown by the class of the band's top, the only one that gets there, up to that class's edge
    toward the target (:func:`_flown_class`)."""
    from ..core.ballistics import flight_time
    from .regions import UNBOUNDED_KM

    free, boost = np.full(code.shape, np.nan), np.full(code.shape, np.nan)
    hit = (code <= 1) & (dist[:, None, :] > 0)
    flown = _flown_class(dist, nominal)
    for si, mi in zip(*np.nonzero(hit.any(axis=2))):
        for k, reach in ((0, nominal), (2, high)):
            ti = np.flatnonzero(hit[si, mi] & (flown[si, mi] == k))
            if ti.size == 0:
                continue
            edge = np.where(reach[si, mi, ti] >= UNBOUNDED_KM, np.inf, reach[si, mi, ti])
            kw = (dict(lat=site_lat[si], lon=site_lon[si], azimuth_deg=bearing[si, ti], reach_km=edge)
                  if model == "rotating" else {})
            ft = flight_time(dist[si, ti], ranges[mi, k], model=model, **kw)
            free[si, mi, ti], boost[si, mi, ti] = ft.free_flight_min, ft.boost_min
    return free, boost


def as_assessment(sites, missiles=(), targets=(), *, model: str = "geodesic", what: str = "a map") -> Assessment:
    """`sites` itself when it is an :class:`Assessment`, else the assessment of the scenario given
    (a :class:`Scenario`, or names as :meth:`Scenario.resolve` takes them).

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
    scenario = sites if isinstance(sites, Scenario) else Scenario.resolve(sites, missiles, targets, model=model,
                                                                           require=False)
    if not (scenario.sites and scenario.missiles):
        raise InputError(f"{what} needs at least one launch site and one missile")
    return assess(scenario)
