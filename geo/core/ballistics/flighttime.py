"""Flight time to a target: the class missile's boost, then the minimum-energy free flight.

:func:`flight_time` cuts the boost off as soon as the speed suffices for the minimum-energy
free flight from where the missile is to the target, and times that conic by Lagrange's
equation, on a non-rotating Earth or (model "rotating") to where the target will be at impact.

Examples
--------
>>> round(flight_time(3540.26, 4500).total_min, 1)        # Chagang to Guam, Hwasong-12
19.1
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ...errors import InputError
from .. import powered
from .freeflight import _MU, _R, OMEGA_EARTH_RAD_S, _first, _ground_range, _num, _out
from .rotating import rotating_reach

__all__ = ["FlightTime", "flight_time"]


class FlightTime(NamedTuple):
    """Flight time to a target: boost plus free flight from the burnout point, minutes (NaN beyond reach)."""

    boost_min: np.ndarray | float
    free_flight_min: np.ndarray | float
    total_min: np.ndarray | float
    #: "geodesic" or "rotating".
    model: str


def _lagrange_min_energy(r1, r2, psi):
    """Speed at r1 (m/s) and time (s) of the minimum-energy conic from radius r1 to r2 across angle psi.

    Semi-perimeter s of the triangle (r1, r2, chord c); a = s/2; Lagrange's equation for the
    minimum-energy ellipse: t = √(a³/μ)·(π − β + sin β), sin(β/2) = √((s − c)/s).
    """
    c = np.sqrt(np.maximum(r1 * r1 + r2 * r2 - 2.0 * r1 * r2 * np.cos(psi), 0.0))
    s = 0.5 * (r1 + r2 + c)
    a = 0.5 * s
    beta = 2.0 * np.arcsin(np.sqrt(np.clip((s - c) / s, 0.0, 1.0)))
    t = np.sqrt(a**3 / _MU) * (np.pi - beta + np.sin(beta))
    v = np.sqrt(np.maximum(_MU * (2.0 / r1 - 1.0 / a), 0.0))
    return v, t


def _cutoff(profile, dist_rad):
    """Boost cut-off for each target: the first moment the speed suffices for a minimum-energy free flight.

    Returns (t_c s, altitude m, ground rad); NaN where even burnout does not suffice.
    """
    t, h, g, v = profile.t_s, profile.alt_km * 1e3, profile.ground_km * 1e3 / _R, profile.speed_kms * 1e3
    d = dist_rad[:, None]
    v_req, _ = _lagrange_min_energy(_R + h[None, :], _R, np.maximum(d - g[None, :], 0.0))
    margin = v[None, :] - v_req                                    # grows with time
    ok = margin >= 0
    k = np.where(ok.any(axis=1), np.argmax(ok, axis=1), -1)
    k0 = np.maximum(k - 1, 0)
    rows = np.arange(d.shape[0])
    m0, m1 = margin[rows, k0], margin[rows, np.maximum(k, 0)]
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where((k > 0) & (m1 != m0), -m0 / (m1 - m0), 0.0)
    f = np.clip(f, 0.0, 1.0)

    def at(x):
        return np.where(k >= 0, x[k0] + f * (x[np.maximum(k, 0)] - x[k0]), np.nan)

    return at(t), at(h), at(g)


def flight_time(distance_km, nominal_range_km, *, lat=None, lon=None, azimuth_deg=None,
                model="geodesic") -> FlightTime:
    """Flight time to targets: boost plus free flight from the burnout point, minutes.

    The boost is the class missile of the nominal range (:func:`geo.core.powered.class_vehicle`)
    flying its maximum-range pitch programme, cut off as soon as its speed suffices for the
    minimum-energy free flight from where it is to the target; the free flight is that
    minimum-energy conic, from the burnout point (its altitude and the ground covered during the
    boost count) down to the target on the ground, timed by Lagrange's equation. So the ground
    covered while the engines burn is not counted twice.

    ``model="geodesic"``: a non-rotating Earth; targets beyond the nominal range get NaN.
    ``model="rotating"``: the free flight is the minimum-energy conic in the inertial frame from
    the burnout point to where the target will be at impact (the Earth turns meanwhile; the
    boost is taken as on the non-rotating Earth); targets beyond the powered-flight reach in
    their direction (:func:`rotating_reach`) get NaN. Needs ``lat``, ``lon`` and ``azimuth_deg``.

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

    Returns
    -------
    FlightTime
        ``boost_min``, ``free_flight_min``, ``total_min`` (arrays broadcast; floats for scalars).

    Examples
    --------
    Chagang to Guam (3,540 km) with a Hwasong-12 (4,500 km): 2.8 min of boost (it covers 190 km
    and climbs 110 km) and 16.2 min of free flight:

    >>> ft = flight_time(3540.26, 4500)
    >>> round(ft.boost_min, 1), round(ft.free_flight_min, 1), round(ft.total_min, 1)
    (2.8, 16.2, 19.1)
    >>> flight_time([1000, 5000], 4500).total_min.round(1)       # beyond the nominal range: NaN
    array([10., nan])
    """
    if model not in ("geodesic", "rotating"):
        raise InputError(f"flight-time model {model!r} is unknown: use 'geodesic' or 'rotating'")
    d = _num(distance_km, "distance", "km")
    if (d < 0).any():
        raise InputError(f"distance {_first(d[d < 0])} km is negative: give km >= 0")
    nominal = float(_ground_range(nominal_range_km, "nominal range"))
    profile = powered.boost_profile(nominal)
    if model == "rotating":
        if lat is None or lon is None or azimuth_deg is None:
            raise InputError("the rotating flight time needs the launch site and the target azimuth")
        az = np.mod(_num(azimuth_deg, "azimuth", "degrees clockwise from north"), 360.0)
        d, az = np.broadcast_arrays(d, az)
        reach = rotating_reach(lat, lon, az, nominal).reach_km
        beyond = d > reach
    else:
        beyond = d > nominal * (1.0 + 1e-9)
    shape = d.shape
    flat = d.ravel() * 1e3 / _R
    tc, hc, gc = _cutoff(profile, flat)
    r1 = _R + hc
    if model == "geodesic":
        _, tf = _lagrange_min_energy(r1, _R, np.maximum(flat - gc, 0.0))
    else:
        tf = _rotating_free_flight(float(lat), np.radians(az.ravel()), flat, tc, r1, gc)
    bad = beyond.ravel() | ~np.isfinite(tc)
    boost = np.where(bad, np.nan, tc / 60.0).reshape(shape)
    free = np.where(bad, np.nan, tf / 60.0).reshape(shape)
    return FlightTime(_out(boost), _out(free), _out(boost + free), model)


def _rotating_free_flight(lat_deg, az, dist, tc, r1, gc, iterations=8):
    """Inertial minimum-energy time (s) from the burnout point to the target's position at impact."""
    lat = math.radians(lat_deg)
    sl, cl = math.sin(lat), math.cos(lat)

    def point(arc):
        # Earth-fixed unit vector at distance `arc` along azimuth az from the site (site at longitude 0).
        up = np.array([cl, 0.0, sl])
        east = np.array([0.0, 1.0, 0.0])
        north = np.array([-sl, 0.0, cl])
        head = np.sin(az)[:, None] * east + np.cos(az)[:, None] * north
        return np.cos(arc)[:, None] * up + np.sin(arc)[:, None] * head

    def turn(p, ang):
        c, s = np.cos(ang), np.sin(ang)
        return np.stack([p[:, 0] * c - p[:, 1] * s, p[:, 0] * s + p[:, 1] * c, p[:, 2]], axis=1)

    burnout = turn(point(np.nan_to_num(gc)), OMEGA_EARTH_RAD_S * np.nan_to_num(tc))
    target = point(dist)
    _, tf = _lagrange_min_energy(r1, _R, np.maximum(dist - gc, 0.0))
    for _ in range(iterations):
        at_impact = turn(target, OMEGA_EARTH_RAD_S * (np.nan_to_num(tc) + tf))
        psi = np.arccos(np.clip(np.einsum("ij,ij->i", burnout, at_impact), -1.0, 1.0))
        _, tf = _lagrange_min_energy(r1, _R, psi)
    return tf
