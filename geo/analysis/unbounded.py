"""Where a drawn region is not bounded: the directions in which the reach model says "near orbital".

Under the rotating model (:mod:`geo.analysis.regions`) the reach toward some directions is not
bounded by the model (the farthest shots run on to the antipode or to orbit); the regions are
drawn out to :data:`~geo.analysis.regions.UNBOUNDED_KM` there. :func:`near_orbital_sectors`
finds those directions, so every caption, legend and coverage total can say so instead of
passing the drawn area off as a reach.

>>> near_orbital_sectors("rotating", 39.0194, 125.7381, 15_000)       # 15,000 km class from Pyongyang
(Sector(start_deg=73.75, end_deg=107.0),)
>>> near_orbital_sectors("rotating", 39.0194, 125.7381, 10_000), near_orbital_sectors("geodesic", 0, 0, 19_000)
((), ())
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from ..core.geodesy import check_range_km
from .regions import AZIMUTH_STEP_DEG, UNBOUNDED_KM, reach_function, region_kinds
from .scenario import check_model

__all__ = ["Sector", "NearOrbital", "near_orbital_sectors", "comes_back_km", "drawn_near_orbital"]


class Sector(NamedTuple):
    """Azimuths from `start_deg` clockwise to `end_deg` (degrees from north; may wrap past 360°)."""

    start_deg: float
    end_deg: float


class NearOrbital(NamedTuple):
    """A drawn region of an assessment with near-orbital directions."""

    site: int
    missile: int
    #: ``"band"``, ``"nominal"`` or ``"certain"`` (see :class:`geo.analysis.assessment.Region`).
    kind: str
    #: The nominal range whose region this is, km.
    radius_km: float
    sectors: tuple[Sector, ...]
    #: From this distance on, on any bearing, the model does not bound the range (shots that came
    #: down near or past the antipode), km; None where nothing comes back. Not part of the drawing.
    comes_back_km: float | None = None


@functools.lru_cache(maxsize=256)
def _sectors(model: str, lat: float, lon: float, km: float) -> tuple[Sector, ...]:
    if model == "geodesic":
        return ()
    az = np.arange(0.0, 360.0, AZIMUTH_STEP_DEG)         # the samples the regions are drawn from
    hit = np.asarray(reach_function(model, lat, lon, km)(az)) >= UNBOUNDED_KM
    if not hit.any():
        return ()
    if hit.all():
        return (Sector(0.0, 360.0),)
    start = np.flatnonzero(hit & ~np.roll(hit, 1))          # first sample of each run (wrapping)
    end = np.flatnonzero(hit & ~np.roll(hit, -1))           # last sample of each run
    if end[0] < start[0]:                                   # the run through north ends first
        end = np.roll(end, -1)
    return tuple(Sector(float(az[a]), float(az[b])) for a, b in zip(start, end))


def near_orbital_sectors(model: str, lat: float, lon: float, km: float) -> tuple[Sector, ...]:
    """The directions from (lat, lon) in which the region of nominal range `km` under `model` is
    drawn out to :data:`~geo.analysis.regions.UNBOUNDED_KM` because the model does not bound the
    range there; empty under the geodesic model and where every direction is bounded.

    Parameters
    ----------
    model : {"geodesic", "rotating"}
    lat, lon : float
        Launch site.
    km : float
        Nominal range.

    Returns
    -------
    tuple of Sector
        Runs of the :data:`~geo.analysis.regions.AZIMUTH_STEP_DEG` azimuth samples, clockwise.
    """
    check_model(model)
    return _sectors(model, float(lat), float(lon), float(km))


@functools.lru_cache(maxsize=256)
def comes_back_km(model: str, lat: float, lon: float, km: float) -> float | None:
    """The distance (km) from which, on any bearing, the model does not bound the range of a
    missile of nominal range `km` from (lat, lon): where shots that came down near or past the
    antipode land (:attr:`geo.core.powered.Reach.beyond_km`); None where nothing comes back and
    under the geodesic model.

    >>> round(comes_back_km("rotating", 39.0194, 125.7381, 13_000)), comes_back_km("rotating", 39.0194, 125.7381, 10_000)
    (18173, None)
    """
    check_model(model)
    if model == "geodesic":
        return None
    from .regions import _rotating_profile          # the samples the regions and verdicts use

    back = _rotating_profile(float(lat), float(lon), float(check_range_km(km)))[2]
    back = back[np.isfinite(back)]
    return float(back.min()) if back.size else None


def drawn_near_orbital(assessment) -> tuple[NearOrbital, ...]:
    """Every region of `assessment` (:meth:`~geo.analysis.assessment.Assessment.regions`' site ×
    missile × kind) that has near-orbital directions; empty under the geodesic model.

    >>> from geo.analysis.assessment import assess
    >>> from geo.analysis.scenario import Scenario
    >>> [(n.kind, n.radius_km) for n in drawn_near_orbital(assess(Scenario.resolve("Pyongyang", 15_000,
    ...                                                                            model="rotating")))]
    [('nominal', 15000.0)]
    """
    a = assessment
    if a.model == "geodesic":
        return ()
    out = []
    for si, site in enumerate(a.sites):
        for mi, m in enumerate(a.missiles):
            for kind, km in region_kinds(m):   # the kinds Assessment.regions draws, widest first
                sectors = near_orbital_sectors(a.model, site.lat, site.lon, km)
                back = comes_back_km(a.model, site.lat, site.lon, km)
                if sectors or back is not None:
                    out.append(NearOrbital(si, mi, kind, float(km), sectors, back))
    return tuple(out)
