"""Flight time to a target: the class missile's maximum-range programme, its thrust cut off to land there.

:func:`flight_time` times the trajectory the reach model flies: the class missile of the
nominal range on the pitch programme of its maximum-range shot (over the rotating Earth: of the
farthest shot toward the target's bearing), its thrust cut off when the coast from where it is
lands on the target (:func:`geo.core.powered.cutoff.cutoff_times`). At the edge of the reach the
cut-off is burnout and the time is the maximum-range shot's own; inside it the time grows
continuously with the distance.

Examples
--------
>>> round(flight_time(3540.26, 4500).total_min, 1)        # Chagang to Guam, Hwasong-12
17.0
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...errors import InputError
from ..powered.cutoff import CUTOFF_TRAJECTORY, cutoff_times
from .freeflight import OMEGA_EARTH_RAD_S, _first, _ground_range, _num, _out
from .rotating import rotating_reach

__all__ = ["FlightTime", "flight_time", "CUTOFF_TRAJECTORY"]


class FlightTime(NamedTuple):
    """Flight time to a target: boost to thrust cut-off plus the coast, minutes (NaN where no shot lands)."""

    #: Lift-off to thrust cut-off.
    boost_min: np.ndarray | float
    #: Cut-off to impact (the Kepler coast).
    free_flight_min: np.ndarray | float
    total_min: np.ndarray | float
    #: "geodesic" or "rotating".
    model: str
    #: The trajectory timed (:data:`CUTOFF_TRAJECTORY`).
    trajectory: str = CUTOFF_TRAJECTORY


def flight_time(distance_km, nominal_range_km, *, lat=None, lon=None, azimuth_deg=None,
                model="geodesic", reach_km=None) -> FlightTime:
    """Flight time to targets: the boost to thrust cut-off plus the coast, minutes.

    The missile is the class missile of the nominal range (:func:`geo.core.powered.class_vehicle`)
    on the pitch programme of its maximum-range shot, its thrust cut off at the moment the Kepler
    coast from where it is lands on the target (:func:`geo.core.powered.cutoff.cutoff_times`).
    At the edge of the reach the cut-off is burnout: the time is the maximum-range shot's own.

    ``model="geodesic"``: a non-rotating Earth; targets beyond the nominal range get NaN.
    ``model="rotating"``: the programmes of the farthest shots over the rotating Earth (one per
    launch azimuth, as :func:`rotating_reach` flies them), cut off so that the coast lands on the
    target where it is at impact; targets beyond the reach toward their bearing get NaN, and so do
    targets on a near-orbital bearing that no cut-off shot reaches. Needs ``lat``, ``lon`` and
    ``azimuth_deg``.

    Parameters
    ----------
    distance_km : float or array_like
        Distance to each target along the ground, km (>= 0).
    nominal_range_km : float
        The missile's maximum range on a non-rotating Earth, km.
    lat, lon : float, optional
        Launch site, degrees (model "rotating").
    azimuth_deg : float or array_like, optional
        Ground azimuth of each target, degrees (model "rotating"; broadcast with the distances).
    model : {"geodesic", "rotating"}
    reach_km : float or array_like, optional
        Model "rotating": the reach toward each target, km, when the caller has it already (a
        target a little beyond the exact reach, within what the caller judged, gets the edge's
        time); default :func:`rotating_reach`.

    Returns
    -------
    FlightTime
        ``boost_min``, ``free_flight_min``, ``total_min`` (arrays broadcast; floats for scalars).

    Examples
    --------
    Chagang to Guam (3,540 km) with a Hwasong-12 (4,500 km): thrust cut off after 2.8 min, then
    14.1 min of coast; at 4,500 km the full burn, 20.1 min, the maximum-range shot's own time:

    >>> ft = flight_time(3540.26, 4500)
    >>> round(ft.boost_min, 1), round(ft.free_flight_min, 1), round(ft.total_min, 1)
    (2.8, 14.1, 17.0)
    >>> flight_time([1000, 4500, 5000], 4500).total_min.round(1)       # beyond the nominal range: NaN
    array([ 8.4, 20.1,  nan])
    """
    if model not in ("geodesic", "rotating"):
        raise InputError(f"flight-time model {model!r} is unknown: use 'geodesic' or 'rotating'")
    d = _num(distance_km, "distance", "km")
    if (d < 0).any():
        raise InputError(f"distance {_first(d[d < 0])} km is negative: give km >= 0")
    nominal = float(_ground_range(nominal_range_km, "nominal range"))
    if model == "rotating":
        if lat is None or lon is None or azimuth_deg is None:
            raise InputError("the rotating flight time needs the launch site and the target azimuth")
        az = np.mod(_num(azimuth_deg, "azimuth", "degrees clockwise from north"), 360.0)
        d, az = np.broadcast_arrays(d, az)
        reach = rotating_reach(lat, lon, az, nominal).reach_km if reach_km is None else reach_km
        d, az, reach = np.broadcast_arrays(d, az, np.asarray(reach, dtype=float))
        beyond = d > reach
        times = cutoff_times(d, nominal, lat=lat, azimuth_deg=az, omega=OMEGA_EARTH_RAD_S, reach_km=reach)
    else:
        beyond = d > nominal * (1.0 + 1e-9)
        times = cutoff_times(np.minimum(d, nominal), nominal)
    boost = np.where(beyond, np.nan, times.cutoff_s / 60.0)
    total = np.where(beyond, np.nan, times.total_s / 60.0)
    return FlightTime(_out(boost), _out(total - boost), _out(total), model)
