"""Flying a vehicle: where shots land, its longest shot, sampled trajectories and the class boost profile.

:func:`fly` flies shots of a :class:`~geo.core.powered.vehicle.Vehicle` for given launch
azimuths and final pitch angles over the rotating Earth; :func:`max_range` finds its longest
shot on a non-rotating Earth; :func:`trajectory` samples one flight for figures;
:func:`boost_profile` samples the boost of the class missile.

Examples
--------
>>> mr = max_range(class_vehicle(4500))
>>> round(mr.range_km), round(mr.apogee_km)
(4500, 769)
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ...errors import InputError
from .calibration import _class_vehicle, _nominal, class_vehicle  # noqa: F401 (the examples fly it)
from .flight import (
    _MU,
    _R,
    _TWO_PI,
    EARTH_RADIUS_KM,
    NEAR_ANTIPODE_KM,
    OMEGA_EARTH_RAD_S,
    _boost,
    _max_travel,
    _shots,
    _thrust,
)
from .vehicle import Vehicle, _finite

__all__ = [
    "Shot",
    "fly",
    "MaxRange",
    "max_range",
    "Trajectory",
    "trajectory",
    "BoostProfile",
    "boost_profile",
]


class Shot(NamedTuple):
    """Where shots land (arrays broadcast over the inputs)."""

    #: Ground distance from the site, km (great circle on the sphere); NaN where the shot does not land.
    range_km: np.ndarray
    #: Ground azimuth of the impact point from the site, degrees.
    azimuth_deg: np.ndarray
    #: Flight time, lift-off to impact, minutes.
    time_min: np.ndarray
    #: Apogee altitude, km (inf where orbital).
    apogee_km: np.ndarray
    #: False where the shot never comes down (orbital) or touched the ground during the boost.
    lands: np.ndarray


def fly(vehicle: Vehicle, lat, launch_azimuth_deg, pitch_deg, *, omega=OMEGA_EARTH_RAD_S) -> Shot:
    """Fly `vehicle` from latitude `lat` with launch azimuth and final pitch angle (arrays broadcast).

    The launch azimuth sets the plane of the pitch-over (fixed in inertial space); the impact
    azimuth differs from it on the rotating Earth.

    Examples
    --------
    >>> s = fly(class_vehicle(4500), 0.0, [0, 90, 270], 35.05, omega=0.0)
    >>> s.range_km.round(1), s.azimuth_deg.round(6)
    (array([4500., 4500., 4500.]), array([  0.,  90., 270.]))
    """
    from ..geodesy import check_lat

    lat_rad = math.radians(float(check_lat(lat)))
    alpha = np.radians(np.asarray(launch_azimuth_deg, dtype=float))
    theta = np.radians(np.asarray(pitch_deg, dtype=float))
    if not (np.isfinite(alpha).all() and np.isfinite(theta).all()):
        raise InputError("launch azimuth and pitch angle must be finite numbers of degrees")
    if ((theta < 0) | (theta > math.pi / 2)).any():
        raise InputError("pitch angle is outside [0, 90]: give degrees above the local horizontal")
    sh = _shots(math.sin(lat_rad), math.cos(lat_rad), alpha, theta, _thrust([vehicle.stages]),
                _finite(omega, "omega", "rad/s"))
    shape = np.broadcast_shapes(alpha.shape, theta.shape)

    def out(x):
        return np.asarray(x).reshape(shape)

    return Shot(out(sh.d * EARTH_RADIUS_KM), out(np.degrees(sh.beta)), out(sh.t / 60.0), out(sh.apogee / 1e3),
                out(sh.valid))


class MaxRange(NamedTuple):
    """The longest shot of a vehicle on a non-rotating Earth."""

    #: Ground range, km (inf: near orbital, the model does not bound the range).
    range_km: float
    #: Final pitch angle of the programme, degrees.
    pitch_deg: float
    #: Burnout altitude, km; ground covered during the boost, km.
    burnout_alt_km: float
    burnout_ground_km: float
    #: Burnout speed, km/s, and flight-path angle, degrees.
    burnout_speed_kms: float
    burnout_flight_path_deg: float
    #: Apogee altitude, km.
    apogee_km: float
    #: Boost time and total flight time, minutes.
    boost_min: float
    time_min: float
    #: True where the model does not bound the range.
    near_orbital: bool


def _burnout_facts(r, v, sin_lat=0.0, cos_lat=1.0):
    """Altitude (km), ground from the site (km), speed (km/s), flight-path angle (deg) at burnout."""
    rn = np.linalg.norm(r, axis=-1)
    start = np.array([cos_lat, 0.0, sin_lat])
    ground = np.arccos(np.clip(np.einsum("...i,i->...", r, start) / rn, -1, 1)) * EARTH_RADIUS_KM
    vn = np.linalg.norm(v, axis=-1)
    fpa = np.degrees(np.arcsin(np.clip(np.einsum("...i,...i->...", r, v) / (rn * vn), -1, 1)))
    return (rn - _R) / 1e3, ground, vn / 1e3, fpa


def max_range(vehicle: Vehicle) -> MaxRange:
    """The longest shot of `vehicle` on a non-rotating Earth (pitch programme searched).

    Examples
    --------
    >>> mr = max_range(class_vehicle(4500))
    >>> round(mr.range_km), round(mr.burnout_alt_km), round(mr.burnout_ground_km), round(mr.boost_min, 1)
    (4500, 119, 195, 2.9)
    """
    rng, theta = _max_travel([vehicle.stages], rounds=7)
    th = _thrust([vehicle.stages])
    sh = _shots(0.0, 1.0, 0.0, theta, th, 0.0)
    near = bool(rng[0] * _R / 1e3 > math.pi * EARTH_RADIUS_KM - NEAR_ANTIPODE_KM) or not np.isfinite(rng[0])
    alt, ground, speed, fpa = _burnout_facts(sh.r_bo, sh.v_bo)
    return MaxRange(
        range_km=math.inf if near else float(rng[0] * EARTH_RADIUS_KM),
        pitch_deg=float(np.degrees(theta[0])), burnout_alt_km=float(alt[0]), burnout_ground_km=float(ground[0]),
        burnout_speed_kms=float(speed[0]), burnout_flight_path_deg=float(fpa[0]), apogee_km=float(sh.apogee[0] / 1e3),
        boost_min=sh.t_boost / 60.0, time_min=float(sh.t[0] / 60.0), near_orbital=near)


class Trajectory(NamedTuple):
    """One flight on a non-rotating Earth, sampled from lift-off to impact."""

    #: Ground range from the launch point, km; altitude, km; time since lift-off, s.
    ground_km: np.ndarray
    alt_km: np.ndarray
    t_s: np.ndarray
    #: Index of the burnout sample.
    burnout_index: int
    #: Apogee altitude and its ground range, km; ground range at impact, km; flight time, min.
    apogee_km: float
    apogee_ground_km: float
    range_km: float
    time_min: float
    #: Final pitch angle of the programme, degrees.
    pitch_deg: float


def trajectory(vehicle: Vehicle, pitch_deg=None, *, n_coast=400) -> Trajectory:
    """Sample the flight of `vehicle` with final pitch `pitch_deg` (default: its maximum-range shot).

    Non-rotating Earth; the boost is sampled at every integration step, the coast at `n_coast`
    points evenly spaced in true anomaly (closed form).

    Examples
    --------
    >>> tr = trajectory(class_vehicle(4500))
    >>> round(tr.range_km), round(tr.apogee_km), float(tr.alt_km[0]), float(tr.alt_km[-1])
    (4500, 769, 0.0, 0.0)
    """
    th = _thrust([vehicle.stages])
    if pitch_deg is None:
        _, theta = _max_travel([vehicle.stages], rounds=7)
        theta = float(theta[0])
    else:
        theta = math.radians(_finite(pitch_deg, "pitch angle", "degrees"))
        if not 0.0 <= theta <= math.pi / 2:
            raise InputError(f"pitch angle {pitch_deg:g}° is outside [0, 90]: give degrees above the horizontal")
    r, v, tb, crashed, samples = _boost(0.0, 1.0, np.array([0.0]), np.array([theta]), th, 0.0, record=True)
    start = np.array([1.0, 0.0, 0.0])
    bt = np.array([x[0] for x in samples])
    br = np.array([x[1][0] for x in samples])
    b_rn = np.linalg.norm(br, axis=-1)
    b_ground = np.arccos(np.clip(br @ start / b_rn, -1, 1)) * EARTH_RADIUS_KM
    r0, v0 = r[0], v[0]
    rn = np.linalg.norm(r0)
    hvec = np.cross(r0, v0)
    h = np.linalg.norm(hvec)
    evec = np.cross(v0, hvec) / _MU - r0 / rn
    e = np.linalg.norm(evec)
    p = h * h / _MU
    if e >= 1.0 or p / (1 + e) >= _R:
        raise InputError("this shot does not come down (orbital): the model does not bound its range")
    a = p / (1 - e * e)
    cos_nu0 = np.clip((p / rn - 1) / e, -1, 1)
    nu0 = math.acos(cos_nu0) if r0 @ v0 >= 0 else _TWO_PI - math.acos(cos_nu0)
    nu1 = _TWO_PI - math.acos(np.clip((p / _R - 1) / e, -1, 1))
    nu = np.linspace(nu0, nu1, n_coast)
    if nu0 < math.pi < nu1:                       # sample the apogee itself
        nu = np.sort(np.append(nu, math.pi))
    radius = p / (1 + e * np.cos(nu))
    ground0 = b_ground[-1]

    def mean(x):
        ecc = np.mod(2 * np.arctan2(math.sqrt(1 - e) * np.sin(x / 2), math.sqrt(1 + e) * np.cos(x / 2)), _TWO_PI)
        return ecc - e * np.sin(ecc)

    tc = np.mod(mean(nu) - mean(nu0), _TWO_PI) * math.sqrt(a**3 / _MU)
    tc[-1] = np.mod(mean(nu1) - mean(nu0), _TWO_PI) * math.sqrt(a**3 / _MU)
    ground = np.concatenate([b_ground, ground0 + (nu[1:] - nu0) * EARTH_RADIUS_KM])
    alt = np.concatenate([(b_rn - _R) / 1e3, (radius[1:] - _R) / 1e3])
    alt[-1] = 0.0
    t = np.concatenate([bt, tb + tc[1:]])
    alt[0] = 0.0
    k = int(np.argmax(alt))
    return Trajectory(ground, alt, t, len(bt) - 1, float(alt[k]), float(ground[k]), float(ground[-1]),
                      float(t[-1] / 60.0), math.degrees(theta))


class BoostProfile(NamedTuple):
    """The class missile's boost on its maximum-range programme, sampled in time (non-rotating)."""

    t_s: np.ndarray
    alt_km: np.ndarray
    ground_km: np.ndarray
    speed_kms: np.ndarray
    vehicle: Vehicle


@lru_cache(maxsize=256)
def _boost_profile(nominal_km: float) -> BoostProfile:
    vehicle, theta = _class_vehicle(nominal_km)
    th = _thrust([vehicle.stages])
    *_, samples = _boost(0.0, 1.0, np.array([0.0]), np.array([theta]), th, 0.0, record=True)
    t = np.array([x[0] for x in samples])
    r = np.array([x[1][0] for x in samples])
    v = np.array([x[2][0] for x in samples])
    rn = np.linalg.norm(r, axis=-1)
    ground = np.arccos(np.clip(r[:, 0] / rn, -1, 1)) * EARTH_RADIUS_KM
    return BoostProfile(t, (rn - _R) / 1e3, ground, np.linalg.norm(v, axis=-1) / 1e3, vehicle)


def boost_profile(nominal_range_km) -> BoostProfile:
    """Time, altitude, ground covered and speed through the boost of the class missile (cached).

    Examples
    --------
    >>> bp = boost_profile(4500)
    >>> round(bp.t_s[-1]), round(bp.alt_km[-1]), round(bp.ground_km[-1]), round(float(bp.speed_kms[-1]), 2)
    (174, 119, 195, 5.49)
    """
    return _boost_profile(_nominal(nominal_range_km))
