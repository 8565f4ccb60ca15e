"""Flight times tabulated against distance, for pages that interpolate them (the live map).

The live map redraws rings and checks targets in the browser as the reader moves things; its
flight times are not re-derived in JavaScript but read from these tables, which are the
assessment's own (:func:`geo.assess`: the class missile's maximum-range programme, thrust cut off to land there)
along the meridian from (0°, 0°). Kept here, in the analysis layer, so outputs only draw.

>>> len(flight_table(Missile("M", 1000.0))) == FLIGHT_NODES + 1
True
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from ..catalog.tables import Missile, Place
from ..core.geodesy import HALF_MERIDIAN_KM, WGS84
from .assessment import assess
from .scenario import Scenario

__all__ = ["flight_table", "band_flight_table", "typed_flight_table", "FLIGHT_NODES", "BAND_NODES"]

#: Flight-time table size: times at distances ``max_km * (i / FLIGHT_NODES)**2``, i = 0..FLIGHT_NODES.
FLIGHT_NODES = 48
#: Nodes of a missile's flight-time row across its band (beyond the nominal range).
BAND_NODES = 8
# Typed ranges: rows of the flight table at these ranges (km, log-spaced), interpolated in log10(range).
_TYPED_RANGES_KM = np.geomspace(1.0, HALF_MERIDIAN_KM, 45)
_TYPED_NODES = 32
_ORIGIN = Place("origin", 0.0, 0.0)


@functools.lru_cache(maxsize=256)
def flight_table(missile: Missile) -> tuple[float, ...]:
    """Flight times (minutes) of `missile` as :func:`geo.assess` (and so ``geo.check``) gives them, at
    distances ``range_km * (i / FLIGHT_NODES)**2`` for i = 0..FLIGHT_NODES (the first just above 0).

    Up to the nominal range the class of the nominal range flies; beyond it, within a band, the
    class of the band's top (:func:`band_flight_table`). The page interpolates linearly in
    ``sqrt(distance)``, where the time is nearly linear.

    >>> from geo import check
    >>> from geo.core.geodesy import destination
    >>> row = flight_table(Missile("M", 4500.0))
    >>> lon, lat = destination(0.0, 0.0, 0.0, 4499.999)        # the last entry: at the missile's reach
    >>> len(row), round(row[-1], 2), round(check((0.0, 0.0), Missile("M", 4500.0), (lat, lon)).flight_time_min, 2)
    (49, 20.13, 20.13)
    """
    return tuple(_times(missile, missile.range_km, FLIGHT_NODES))


@functools.lru_cache(maxsize=256)
def band_flight_table(missile: Missile) -> tuple[float, ...]:
    """Flight times (minutes) beyond the nominal range, within the band: at distances
    ``range_km + (max_km - range_km) * i / BAND_NODES`` for i = 0..BAND_NODES, the first just
    beyond the nominal range (empty without a band). The page interpolates linearly in distance.

    >>> row = band_flight_table(Missile("M", 4500.0, range_high_km=5000.0))
    >>> len(row), row[0] < row[-1]
    (9, True)
    >>> band_flight_table(Missile("M", 4500.0))
    ()
    """
    if not missile.max_km > missile.range_km:
        return ()
    w = missile.max_km - missile.range_km
    d = missile.range_km + w * np.clip(np.arange(BAND_NODES + 1) / BAND_NODES, 1e-6, 1.0 - 1e-9)
    return tuple(_times_at(missile, np.minimum(d, HALF_MERIDIAN_KM)))


@functools.lru_cache(maxsize=1)
def typed_flight_table() -> dict:
    """Flight times for typed ranges: rows as :func:`flight_table`'s over log-spaced ranges (1 km to half a meridian).

    >>> t = typed_flight_table()
    >>> len(t["log10_km"]) == len(t["rows"]), len(t["rows"][0])
    (True, 33)
    """
    rows = [_times(Missile("typed", float(km)), float(km), _TYPED_NODES) for km in _TYPED_RANGES_KM]
    return {"log10_km": [round(float(v), 9) for v in np.log10(_TYPED_RANGES_KM)], "rows": rows}


def _times(missile: Missile, reach_km: float, nodes: int) -> list[float]:
    """Flight times (free flight + boost) of the assessment at distances reach * (i / nodes)**2,
    along the meridian from (0, 0)."""
    top = min(reach_km, HALF_MERIDIAN_KM) * (1.0 - 1e-9)
    return _times_at(missile, np.maximum(top * (np.arange(nodes + 1) / nodes) ** 2, 1e-6))


def _times_at(missile: Missile, d: np.ndarray) -> list[float]:
    """Flight times (free flight + boost) of the assessment at distances `d` (km) along the meridian from (0, 0)."""
    lon, lat, _ = WGS84.fwd(np.zeros(d.size), np.zeros(d.size), np.zeros(d.size), d * 1000.0)
    targets = tuple(Place("t", float(a), float(b)) for a, b in zip(lat, lon))
    # the minimum range only hides flight times ("too close"); the page hides them the same way
    a = assess(Scenario((_ORIGIN,), (dataclasses.replace(missile, min_range_km=None),), targets))
    minutes = (a.free_flight_min + a.boost_min)[0, 0]
    if np.isnan(minutes).any():
        raise RuntimeError(f"no flight time for {missile.name} within its reach")
    return [round(float(v), 4) for v in minutes]
