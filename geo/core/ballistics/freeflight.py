"""Keplerian free flight over a non-rotating spherical Earth: range, speed, flight time, boost.

The model is Keplerian free flight of a point mass in vacuum (Bate, Mueller & White,
*Fundamentals of Astrodynamics*, 1971, chapter 6) over a sphere of the mean Earth radius
R = 6371.0088 km with μ = 398,600.4418 km³/s². The trajectory starts at burnout, at the launch
site and at ``burnout_alt_km`` above it, and ends when the conic comes back down to the same
radius (the symmetric free-flight arc): ranges are the free-flight ground range R·Ψ, flight
times are free-flight times. Powered flight, re-entry below burnout altitude and the atmosphere
are left out; :func:`boost_time_min` gives a rough powered-flight duration to add to times.

This module also holds the model's constants, the Kepler core in SI units and the input
checks that the other modules of :mod:`geo.core.ballistics` share.

Units: SI (m, m/s, s, rad) inside; kilometres, km/s, degrees and minutes at the public surface.

See Also
--------
geo.core.ballistics.rotating : the same free flight over the rotating Earth.

Examples
--------
>>> round(max_range(7.0).range_km)                 # a 7 km/s burnout on the surface
8910
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ...errors import InputError

__all__ = [
    "EARTH_RADIUS_KM",
    "MU_KM3_S2",
    "OMEGA_EARTH_RAD_S",
    "HALF_CIRCUMFERENCE_KM",
    "FreeFlight",
    "free_flight",
    "max_range",
    "speed_for_range",
    "flight_time_min",
    "boost_time_min",
]

#: Mean radius of the Earth (IUGG R1), km: the sphere of this model.
EARTH_RADIUS_KM = 6371.0088
#: Earth's gravitational parameter GM, km³/s².
MU_KM3_S2 = 398600.4418
#: Earth's sidereal rotation rate, rad/s.
OMEGA_EARTH_RAD_S = 7.2921159e-5
#: Half the circumference of the model sphere, π·R (about 20,015 km): the farthest any point is.
HALF_CIRCUMFERENCE_KM = math.pi * EARTH_RADIUS_KM

# SI versions used by the computations.
_R = EARTH_RADIUS_KM * 1e3          # m
_MU = MU_KM3_S2 * 1e9               # m³/s²


# ---------------------------------------------------------------------------------------------
# Input checks and output shaping
# ---------------------------------------------------------------------------------------------

def _num(value, what: str, unit: str) -> np.ndarray:
    """`value` as a float array, or InputError naming `what`."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{what} {value!r} is not a number: give {unit}") from None
    if not np.isfinite(arr).all():
        raise InputError(f"{what} {_first(arr[~np.isfinite(arr)])} is not finite: give {unit}")
    return arr


def _first(arr) -> str:
    """The first value of `arr` for an error message."""
    return f"{np.atleast_1d(arr).flat[0]:g}"


def _positive(value, what: str, unit: str) -> np.ndarray:
    arr = _num(value, what, unit)
    if (arr <= 0).any():
        raise InputError(f"{what} {_first(arr[arr <= 0])} {unit} must be positive: give {unit} > 0")
    return arr


def _altitude(value) -> np.ndarray:
    arr = _num(value, "burnout altitude", "km")
    if (arr < 0).any():
        raise InputError(
            f"burnout altitude {_first(arr[arr < 0])} km is below the surface: give km >= 0"
        )
    return arr


def _ground_range(value, what: str = "range") -> np.ndarray:
    """A free-flight ground range in km, in (0, πR)."""
    arr = _positive(value, what, "km")
    far = arr >= HALF_CIRCUMFERENCE_KM
    if far.any():
        raise InputError(
            f"{what} {_first(arr[far])} km is at least half the Earth's circumference "
            f"({HALF_CIRCUMFERENCE_KM:,.0f} km): no sub-orbital trajectory flies that far; give a shorter range"
        )
    return arr


def _out(x):
    """A 0-d result as a Python float, anything else as an ndarray."""
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


# ---------------------------------------------------------------------------------------------
# Kepler core (SI, vectorized). Q = v²r/μ is twice the ratio of kinetic to potential energy
# magnitude at burnout: Q < 1 is sub-orbital, 1 <= Q < 2 an ellipse that circles the Earth.
# The forms below use atan2 so that they stay accurate for nearly circular orbits and at the
# vertical; they are the BMW formulas rearranged:
#   e·sin(Ψ/2) = Q sinφ cosφ,  e·cos(Ψ/2) = 1 − Q cos²φ
#   e·sin E₁ = √(Q(2−Q))·sinφ,  e·cos E₁ = Q − 1     (E₁: eccentric anomaly at burnout)
# ---------------------------------------------------------------------------------------------

def _q(v, r):
    """Q = v²·r/μ (v in m/s, r in m)."""
    return v * v * r / _MU


def _range_angle(q, phi):
    """Free-flight range angle Ψ (rad) from burnout back down to the burnout radius."""
    c = np.cos(phi)
    return 2.0 * np.arctan2(q * np.sin(phi) * c, 1.0 - q * c * c)


def _eccentricity(q, phi):
    """e, from e² = 1 + Q(Q−2)cos²φ = (1−Q)² + Q(2−Q)sin²φ (the second form has no cancellation)."""
    s = np.sin(phi)
    return np.sqrt((1.0 - q) ** 2 + q * (2.0 - q) * s * s)


def _flight_time(q, phi, r):
    """Time (s) from burnout to the symmetric point at the same radius: twice burnout→apogee.

    t = 2·√(a³/μ)·(π − E₁ + e·sin E₁), a = r/(2 − Q).
    """
    a = r / (2.0 - q)
    e_sin_e1 = np.sqrt(q * (2.0 - q)) * np.sin(phi)
    e1 = np.arctan2(e_sin_e1, q - 1.0)
    return 2.0 * np.sqrt(a**3 / _MU) * (np.pi - e1 + e_sin_e1)


def _apogee_radius(q, phi, r):
    """Apogee radius a(1 + e), m."""
    return r / (2.0 - q) * (1.0 + _eccentricity(q, phi))


def _max_range_angle(q):
    """Range angle of the minimum-energy trajectory: sin(Ψ/2) = Q/(2 − Q)."""
    return 2.0 * np.arcsin(q / (2.0 - q))


def _min_energy_phi(psi):
    """Flight-path angle of the minimum-energy trajectory: φ = (π − Ψ)/4."""
    return (np.pi - psi) / 4.0


def _q_for_range_angle(psi):
    """Q of the minimum-energy trajectory with range angle Ψ: Q = 2 sin(Ψ/2) / (1 + sin(Ψ/2))."""
    s = np.sin(psi / 2.0)
    return 2.0 * s / (1.0 + s)


# ---------------------------------------------------------------------------------------------
# Free flight on a non-rotating Earth
# ---------------------------------------------------------------------------------------------

class FreeFlight(NamedTuple):
    """One free-flight trajectory (or an array of them), in km, km/s, degrees and minutes."""

    #: Free-flight ground range R·Ψ, km.
    range_km: np.ndarray | float
    #: Free-flight range angle Ψ, degrees of arc.
    range_angle_deg: np.ndarray | float
    #: Apogee altitude above the surface, km.
    apogee_km: np.ndarray | float
    #: Free-flight time, burnout to the same altitude on the way down, minutes.
    time_min: np.ndarray | float
    #: Q = v²r/μ at burnout (< 1 for every trajectory returned).
    Q: np.ndarray | float
    #: Flight-path angle at burnout, degrees above the local horizontal.
    flight_path_deg: np.ndarray | float
    #: Burnout speed, km/s.
    burnout_speed_kms: np.ndarray | float
    #: Burnout altitude, km.
    burnout_alt_km: np.ndarray | float
    #: Eccentricity of the conic.
    eccentricity: np.ndarray | float
    #: Semi-major axis of the conic, km.
    semi_major_axis_km: np.ndarray | float


def _check_suborbital(q, v, h_km) -> None:
    """InputError naming the first orbital case (Q >= 1); v in m/s."""
    q, v, h_km = np.broadcast_arrays(q, v, h_km)
    if (q >= 1.0).any():
        i = np.flatnonzero(q >= 1.0)[0]
        qv, vv, hv = q.flat[i], v.flat[i] / 1e3, h_km.flat[i]
        raise InputError(
            f"burnout speed {vv:g} km/s at {hv:g} km altitude is orbital (Q={qv:.3f} >= 1): "
            "the ballistic model gives no finite range; give a lower speed"
        )


def _trajectory(v, phi, h_km) -> FreeFlight:
    """Build a FreeFlight from SI speed, flight-path angle (rad) and altitude (km); Q < 1 checked."""
    v, phi, h_km = np.broadcast_arrays(v, phi, h_km)
    r = _R + h_km * 1e3
    q = _q(v, r)
    _check_suborbital(q, v, h_km)
    psi = _range_angle(q, phi)
    return FreeFlight(
        range_km=_out(_R * psi / 1e3),
        range_angle_deg=_out(np.degrees(psi)),
        apogee_km=_out((_apogee_radius(q, phi, r) - _R) / 1e3),
        time_min=_out(_flight_time(q, phi, r) / 60.0),
        Q=_out(q),
        flight_path_deg=_out(np.degrees(phi)),
        burnout_speed_kms=_out(v / 1e3),
        burnout_alt_km=_out(h_km),
        eccentricity=_out(_eccentricity(q, phi)),
        semi_major_axis_km=_out(r / (2.0 - q) / 1e3),
    )


def free_flight(burnout_speed_kms, flight_path_deg, burnout_alt_km=0.0) -> FreeFlight:
    """Free flight from burnout speed and flight-path angle (BMW ch. 6), non-rotating Earth.

    Parameters
    ----------
    burnout_speed_kms : float or array_like
        Speed at burnout, km/s, > 0.
    flight_path_deg : float or array_like
        Flight-path angle at burnout, degrees above the local horizontal, in (0, 90].
    burnout_alt_km : float or array_like, optional
        Burnout altitude above the surface, km (default 0: burnout on the ground).

    Returns
    -------
    FreeFlight
        Range, range angle, apogee altitude, free-flight time, Q, ... (arrays broadcast
        together; floats for scalar input).

    Raises
    ------
    InputError
        For a non-positive speed, an angle outside (0, 90], a negative altitude, or an orbital
        speed (Q >= 1), for which the model gives no finite range.

    Examples
    --------
    BMW's worked example (burnout 1,275.6 km up at 5.2702 km/s, φ = 51.32°: range angle about
    36.4°, apogee about 3,189 km; the book's radius is 6,378 km, hence the small differences):

    >>> ff = free_flight(5.2702, 51.32, burnout_alt_km=1275.6)
    >>> round(ff.range_angle_deg, 2), round(ff.apogee_km, 1), round(ff.Q, 3)
    (36.35, 3184.6, 0.533)
    >>> free_flight(7.0, [20, 30, 40]).range_km.round(-1)
    array([8720., 8770., 7900.])
    >>> free_flight(8.0, 30)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: burnout speed 8 km/s at 0 km altitude is orbital (Q=1.023 >= 1): the ballistic model gives no finite range; give a lower speed
    """
    v = _positive(burnout_speed_kms, "burnout speed", "km/s") * 1e3
    deg = _num(flight_path_deg, "flight-path angle", "degrees")
    bad = (deg <= 0) | (deg > 90)
    if bad.any():
        raise InputError(
            f"flight-path angle {_first(deg[bad])}° is outside (0, 90]: give degrees above the local horizontal"
        )
    h = _altitude(burnout_alt_km)
    return _trajectory(v, np.radians(deg), h)


def max_range(burnout_speed_kms, burnout_alt_km=0.0) -> FreeFlight:
    """The minimum-energy (maximum-range) trajectory for a burnout speed.

    The flight-path angle that maximises the range is φ = (180° − Ψ)/4, where
    sin(Ψ/2) = Q/(2 − Q).

    Parameters
    ----------
    burnout_speed_kms : float or array_like
        Speed at burnout, km/s.
    burnout_alt_km : float or array_like, optional
        Burnout altitude, km (default 0).

    Returns
    -------
    FreeFlight
        The maximum-range trajectory.

    Raises
    ------
    InputError
        For a non-positive or orbital speed, or a negative altitude.

    Examples
    --------
    >>> mr = max_range(speed_for_range(10_400))
    >>> round(mr.range_km), round(mr.flight_path_deg, 2), round(mr.apogee_km), round(mr.time_min, 1)
    (10400, 21.62, 1317, 32.9)
    >>> max_range([3.0, 5.0]).range_km.round()
    array([ 988., 3215.])
    """
    v = _positive(burnout_speed_kms, "burnout speed", "km/s") * 1e3
    h = _altitude(burnout_alt_km)
    q = _q(v, _R + h * 1e3)
    _check_suborbital(q, v, h)
    return _trajectory(v, _min_energy_phi(_max_range_angle(q)), h)


def speed_for_range(range_km, burnout_alt_km=0.0):
    """Minimum-energy burnout speed for a free-flight ground range (inverse of :func:`max_range`).

    Parameters
    ----------
    range_km : float or array_like
        Free-flight ground range R·Ψ, km, in (0, πR ≈ 20,015).
    burnout_alt_km : float or array_like, optional
        Burnout altitude, km (default 0).

    Returns
    -------
    float or ndarray
        Burnout speed, km/s.

    Raises
    ------
    InputError
        For a range <= 0 or at least half the circumference (the speed would be orbital).

    Examples
    --------
    >>> round(speed_for_range(4500), 3), round(max_range(speed_for_range(4500)).range_km, 6)
    (5.671, 4500.0)
    >>> speed_for_range(20100)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: range 20100 km is at least half the Earth's circumference (20,015 km): no sub-orbital trajectory flies that far; give a shorter range
    """
    d = _ground_range(range_km)
    h = _altitude(burnout_alt_km)
    q = _q_for_range_angle(d * 1e3 / _R)
    return _out(np.sqrt(q * _MU / (_R + h * 1e3)) / 1e3)


def flight_time_min(range_km, burnout_alt_km=0.0):
    """Free-flight time of the minimum-energy trajectory for a ground range, minutes.

    Boost is not included; see :func:`boost_time_min`.

    Parameters
    ----------
    range_km : float or array_like
        Free-flight ground range, km, in (0, πR).
    burnout_alt_km : float or array_like, optional
        Burnout altitude, km (default 0).

    Returns
    -------
    float or ndarray
        Minutes.

    Examples
    --------
    >>> flight_time_min([3400, 10000, 13000]).round(1)      # ~16, 32, 37 min in the reference
    array([16.1, 32.2, 37.2])
    """
    return max_range(speed_for_range(range_km, burnout_alt_km), burnout_alt_km).time_min


# ---------------------------------------------------------------------------------------------
# Boost
# ---------------------------------------------------------------------------------------------

# Rough powered-flight durations (range km, minutes): a Scud-class SRBM burns about a minute,
# a Nodong-class MRBM nearly two, single-stage IRBMs two to three, two-stage liquid ICBMs four
# to five. An estimate for reporting total flight times, not data about any one missile.
_BOOST_TABLE_KM = np.array([300.0, 1_000.0, 3_000.0, 5_000.0, 10_000.0, 15_000.0])
_BOOST_TABLE_MIN = np.array([1.0, 1.7, 2.5, 3.0, 4.0, 5.0])


def boost_time_min(range_km):
    """Rough ESTIMATE of the powered-flight (boost) duration for a missile class, minutes.

    Log-linear interpolation in range between about 1 min (300 km SRBM) and 5 min
    (15,000 km ICBM), flat beyond: 1.0 min at 300 km, 1.7 at 1,000, 2.5 at 3,000, 3.0 at
    5,000, 4.0 at 10,000, 5.0 at 15,000. Real burn times vary by design (solid-propellant
    missiles burn shorter); use it only to turn a free-flight time into a rough total.

    Parameters
    ----------
    range_km : float or array_like
        Nominal range of the missile, km (> 0).

    Returns
    -------
    float or ndarray
        Minutes (estimate).

    Examples
    --------
    >>> boost_time_min([300, 4500, 13000]).round(2)
    array([1.  , 2.9 , 4.65])
    >>> round(flight_time_min(10_000) + boost_time_min(10_000))     # total, minutes
    36
    """
    d = _positive(range_km, "range", "km")
    return _out(np.interp(np.log10(d), np.log10(_BOOST_TABLE_KM), _BOOST_TABLE_MIN))
