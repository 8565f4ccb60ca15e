"""Powered flight: a point mass with thrust through its stages, then a Kepler coast to the ground.

The model (everything in an Earth-centred inertial frame, over a sphere of the mean radius
R = 6,371.0088 km with μ = 398,600.4418 km³/s², no atmosphere, no drag):

* **Boost.** Each stage burns at constant thrust F and mass flow ṁ for its burn time, so the
  thrust acceleration is F / (m_ign − ṁ·t) and grows as the propellant burns; a stage ignites
  the moment the previous one burns out. The missile rises vertically for
  :data:`VERTICAL_RISE_S` seconds, then its thrust pitches over at a constant rate, in a plane
  through the Earth's centre fixed in inertial space, to the final pitch angle θ (degrees above
  the local horizontal) at burnout. θ is the pitch programme's one free parameter: about 80° for
  a lofted test, 15-25° for the longest range. Gravity is μ/r²; the launch point moves east
  with the ground, ω·R·cos(lat), and the missile starts with that velocity. The equations are
  integrated with a fixed-step fourth-order Runge-Kutta scheme whose steps end exactly at the
  vertical rise and at every staging (no step straddles a jump in thrust).
* **Coast.** From burnout the missile flies the Kepler conic, solved in closed form (Kepler's
  equation), down to the surface, r = R. The impact point is turned back west by ω·t, the
  angle the Earth turned during the whole flight; distances on the ground are great-circle
  distances R·(central angle) on the sphere, like the nominal range.

A missile is a :class:`Vehicle`: its stages (:class:`Stage`: thrust, mass flow, burn time, mass
at ignition) and where the figures come from. :func:`class_vehicle` builds one for a nominal
range from the assumed class figures in :data:`CLASS_ASSUMPTIONS` and calibrates it so that on
a non-rotating Earth its longest shot flies exactly that range; :func:`fit_loft` fits one to a
lofted test. :func:`max_range`, :func:`reach`, :func:`boost_profile` and :func:`trajectory`
fly them.

Examples
--------
>>> v = class_vehicle(10_400)
>>> round(max_range(v).range_km, 3)                      # calibrated: flies the nominal range
10400.0
>>> [round(s.burn_time_s, 1) for s in v.stages]         # two stages, burn times assumed
[147.6, 98.4]
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..errors import InputError

__all__ = [
    "Stage",
    "Vehicle",
    "make_vehicle",
    "CLASS_ASSUMPTIONS",
    "VERTICAL_RISE_S",
    "PITCH_OVER_SHARE",
    "MIN_PITCH_DEG",
    "MAX_PITCH_DEG",
    "NEAR_ANTIPODE_KM",
    "class_vehicle",
    "Shot",
    "fly",
    "MaxRange",
    "max_range",
    "Reach",
    "reach",
    "BoostProfile",
    "boost_profile",
    "LoftFit",
    "fit_loft",
    "speed_gain_share",
    "Trajectory",
    "trajectory",
    "MODEL_LINE",
    "N_ALPHA",
]

EARTH_RADIUS_KM = 6371.0088
MU_KM3_S2 = 398600.4418
OMEGA_EARTH_RAD_S = 7.2921159e-5

_R = EARTH_RADIUS_KM * 1e3
_MU = MU_KM3_S2 * 1e9
_G0 = 9.80665
_TWO_PI = 2.0 * math.pi

#: Seconds of vertical rise before the pitch-over starts.
VERTICAL_RISE_S = 10.0
#: Share of the burn (after the vertical rise) spent pitching over to the final pitch angle.
PITCH_OVER_SHARE = 0.5
#: Within this distance of the antipode (or at orbital speed) the model does not bound the range.
NEAR_ANTIPODE_KM = 1000.0
#: One line describing the model, for captions.
MODEL_LINE = ("powered flight: point mass with staged thrust, linear pitch-over, no drag, then a Kepler coast "
              "to the ground over a rotating spherical Earth")

_STEP_S = 3.0           # Runge-Kutta step, s (a segment gets at least 4 steps): metres at impact


# ---------------------------------------------------------------------------------------------
# Vehicles
# ---------------------------------------------------------------------------------------------

class Stage(NamedTuple):
    """One stage: constant thrust and mass flow for its burn time."""

    #: Thrust, kN.
    thrust_kn: float
    #: Propellant mass flow, kg/s.
    mass_flow_kgs: float
    #: Burn time, s.
    burn_time_s: float
    #: Mass of the whole missile when this stage ignites, kg.
    ignition_mass_kg: float

    @property
    def exhaust_speed_kms(self) -> float:
        """Effective exhaust speed F/ṁ, km/s (specific impulse × g₀)."""
        return self.thrust_kn / self.mass_flow_kgs

    @property
    def burnout_mass_kg(self) -> float:
        """Mass at the end of the burn, kg."""
        return self.ignition_mass_kg - self.mass_flow_kgs * self.burn_time_s

    @property
    def delta_v_kms(self) -> float:
        """Ideal speed gain c·ln(m_ign/m_burnout), km/s (no gravity)."""
        return self.exhaust_speed_kms * math.log(self.ignition_mass_kg / self.burnout_mass_kg)


class Vehicle(NamedTuple):
    """A missile for the powered-flight model: its stages and where the figures come from."""

    stages: tuple
    #: Where the figures come from, e.g. "assumed: ..." or "fitted to ...".
    source: str
    name: str = "missile"

    @property
    def burn_time_s(self) -> float:
        """Total powered-flight time, s."""
        return float(sum(s.burn_time_s for s in self.stages))

    @property
    def delta_v_kms(self) -> float:
        """Total ideal speed gain, km/s."""
        return float(sum(s.delta_v_kms for s in self.stages))

    def describe(self) -> str:
        """One line per stage: thrust, mass flow, burn time, ignition mass, exhaust speed."""
        parts = [
            f"stage {i + 1}: {s.thrust_kn:,.0f} kN, {s.mass_flow_kgs:,.1f} kg/s for {s.burn_time_s:.0f} s, "
            f"{s.ignition_mass_kg:,.0f} kg at ignition, exhaust {s.exhaust_speed_kms:.2f} km/s"
            for i, s in enumerate(self.stages)
        ]
        return "; ".join(parts) + f"; ideal Δv {self.delta_v_kms:.2f} km/s ({self.source})"


def _finite(value, what, unit):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} {value!r} is not a number: give {unit}") from None
    if not math.isfinite(x):
        raise InputError(f"{what} {x:g} is not finite: give {unit}")
    return x


def make_vehicle(stages, *, source: str, name: str = "missile") -> Vehicle:
    """A checked :class:`Vehicle` from stages given as :class:`Stage` or 4-tuples.

    Parameters
    ----------
    stages : sequence of Stage or (thrust_kn, mass_flow_kgs, burn_time_s, ignition_mass_kg)
        In firing order.
    source : str
        Where the figures come from ("assumed: ..." when they are assumptions).
    name : str, optional

    Raises
    ------
    InputError
        For no stage, a thrust, mass flow or mass that is not positive, a burn time <= 0, a
        stage that burns more propellant than it has, a later stage heavier than the one
        before burnt out, or a first stage too weak to lift off (thrust below weight).

    Examples
    --------
    >>> v = make_vehicle([(700, 250, 120, 40_000)], source="assumed: example")
    >>> round(v.delta_v_kms, 3), v.burn_time_s                # 2.8 km/s exhaust, 3/4 of it propellant
    (3.882, 120.0)
    >>> make_vehicle([(-700, 250, 120, 40_000)], source="x")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: stage 1 thrust -700 kN must be positive: give kN > 0
    """
    out = []
    stages = list(stages)
    if not stages:
        raise InputError("a vehicle needs at least one stage: give thrust, mass flow, burn time and mass")
    for i, st in enumerate(stages, start=1):
        try:
            f, mdot, tb, m0 = (float(x) for x in st)
        except (TypeError, ValueError):
            raise InputError(f"stage {i} {st!r} is not four numbers: give thrust kN, mass flow kg/s, "
                             "burn time s, ignition mass kg") from None
        for value, what, unit in ((f, "thrust", "kN"), (mdot, "mass flow", "kg/s"), (tb, "burn time", "s"),
                                  (m0, "ignition mass", "kg")):
            _finite(value, f"stage {i} {what}", unit)
            if value <= 0:
                raise InputError(f"stage {i} {what} {value:g} {unit} must be positive: give {unit} > 0")
        if mdot * tb >= m0:
            raise InputError(f"stage {i} burns {mdot * tb:,.0f} kg of propellant but weighs {m0:,.0f} kg at "
                             "ignition: give a shorter burn time, a smaller mass flow or a larger mass")
        if out and m0 > out[-1].burnout_mass_kg * (1 + 1e-9):
            raise InputError(f"stage {i} weighs {m0:,.0f} kg at ignition, more than the missile after stage {i - 1} "
                             f"burnt out ({out[-1].burnout_mass_kg:,.0f} kg): give a smaller ignition mass")
        out.append(Stage(f, mdot, tb, m0))
    if out[0].thrust_kn * 1e3 <= out[0].ignition_mass_kg * _G0:
        s = out[0]
        raise InputError(f"stage 1 thrust {s.thrust_kn:,.0f} kN is less than the lift-off weight "
                         f"({s.ignition_mass_kg * _G0 / 1e3:,.0f} kN): the missile cannot lift off; give more thrust")
    return Vehicle(tuple(out), str(source), str(name))


# Assumed class figures (not published values for any one missile): exhaust speeds of liquid
# engines, the boost-duration table of geo.core.ballistics.boost_time_min, and how the burn and
# the speed gain are shared between the stages. Masses only set the scale (the motion depends
# on thrust per unit mass); the lift-off mass is a round figure for the class.
CLASS_ASSUMPTIONS = {
    "exhaust_speed_kms": (2.55, 2.9),            # stage 1 (sea level/vacuum mix), stage 2 (vacuum)
    "second_stage_from_km": 5000.0,              # below: one stage
    "second_stage_full_km": 9000.0,              # above: second stage burns 40% of the time, 50% of Δv
    "second_stage_time_share": 0.4,
    "second_stage_dv_share": 0.5,
    "dropped_share": 0.15,                       # share of the first stage's burnt-out mass dropped
    "liftoff_mass_kg": 50_000.0,
    "source": "assumed class figures: liquid engines (exhaust 2.55/2.9 km/s), burn time from the boost "
              "estimate, Δv calibrated to the nominal range",
}


def _class_burn_s(nominal_km: float) -> float:
    from .ballistics import boost_time_min

    return round(float(boost_time_min(nominal_km)) * 60.0)


def _class_share(nominal_km: float) -> float:
    """0 (one stage) to 1 (second stage at its full share), linear in range between the bounds."""
    a = CLASS_ASSUMPTIONS
    lo, hi = a["second_stage_from_km"], a["second_stage_full_km"]
    return min(max((nominal_km - lo) / (hi - lo), 0.0), 1.0)


def _class_stages(nominal_km: float, dv_kms: float, burn_s: float | None = None):
    """Stages of the class vehicle with total ideal Δv `dv_kms` (the calibration variable)."""
    burn = _class_burn_s(nominal_km) if burn_s is None else burn_s
    return _stages(_class_share(nominal_km), dv_kms, burn)


def _stages(share: float, dv_kms: float, burn: float):
    """One stage (share 0) to two stages at the class split (share 1) with total ideal Δv and burn time."""
    a = CLASS_ASSUMPTIONS
    t2 = round(burn * a["second_stage_time_share"] * share, 6)
    times = (burn - t2, t2) if t2 > 0 else (burn,)
    dv2 = dv_kms * a["second_stage_dv_share"] * share
    dvs = (dv_kms - dv2, dv2) if t2 > 0 else (dv_kms,)
    m = a["liftoff_mass_kg"]
    stages = []
    for tb, dv, c in zip(times, dvs, a["exhaust_speed_kms"]):
        burnt = 1.0 - math.exp(-dv / c)                    # propellant share of the ignition mass
        mdot = m * burnt / tb
        stages.append(Stage(c * mdot, mdot, tb, m))
        m = m * (1.0 - burnt) * (1.0 - a["dropped_share"])
    return tuple(stages)


# ---------------------------------------------------------------------------------------------
# Integration (SI, vectorised over shots)
# ---------------------------------------------------------------------------------------------

class _Thrust(NamedTuple):
    """Thrust per unit mass of a batch: stage k gives c_k·b_k / (1 − b_k·(t − t_k))."""

    starts: tuple          # ignition times, s
    ends: tuple            # burnout times, s
    c: tuple               # exhaust speeds, m/s (arrays or floats)
    b: tuple               # ṁ / m_ign, 1/s (arrays or floats)


def _thrust(stage_sets) -> _Thrust:
    """A batch thrust law from one or more stage tuples with the same burn times."""
    first = stage_sets[0]
    starts, ends, t = [], [], 0.0
    for s in first:
        starts.append(t)
        t += s.burn_time_s
        ends.append(t)
    c = tuple(np.array([ss[k].exhaust_speed_kms * 1e3 for ss in stage_sets]) for k in range(len(first)))
    b = tuple(np.array([ss[k].mass_flow_kgs / ss[k].ignition_mass_kg for ss in stage_sets])
              for k in range(len(first)))
    return _Thrust(tuple(starts), tuple(ends), c, b)


def _segments(thrust: _Thrust, cuts):
    """(start, end, stage) pieces with no jump or kink inside: split at `cuts` and at staging."""
    out = []
    for k, (t0, t1) in enumerate(zip(thrust.starts, thrust.ends)):
        ts = [t0] + sorted(x for x in cuts if t0 < x < t1) + [t1]
        out += [(a, b, k) for a, b in zip(ts[:-1], ts[1:]) if b - a > 1e-9]
    return out


def _frame(sin_lat, cos_lat, alpha):
    """Unit vectors at the site (longitude 0): up, east, north, and the launch plane's normal for α."""
    up = np.array([cos_lat, 0.0, sin_lat])
    east = np.array([0.0, 1.0, 0.0])
    north = np.array([-sin_lat, 0.0, cos_lat])
    sa, ca = np.sin(alpha)[..., None], np.cos(alpha)[..., None]
    heading = sa * east + ca * north
    normal = np.cross(up, heading)
    return up, east, north, normal


def _pitch_times(t_end: float):
    """End of the vertical rise and of the pitch-over, s."""
    t_vert = min(VERTICAL_RISE_S, 0.25 * t_end)
    return t_vert, t_vert + PITCH_OVER_SHARE * (t_end - t_vert)


def _boost(sin_lat, cos_lat, alpha, theta_end, thrust: _Thrust, omega, *, record=False):
    """Integrate the boost of a batch of shots.

    Returns (r, v, t_burnout, crashed[, samples]): inertial position and velocity at burnout
    (SI), the burnout time, whether a shot touched the ground after lift-off, and with
    ``record`` the list of (t, r, v) after every step. alpha and theta_end (rad) and the thrust
    law's c, b broadcast to the batch shape.
    """
    alpha, theta_end = np.broadcast_arrays(np.asarray(alpha, float), np.asarray(theta_end, float))
    shape = np.broadcast_shapes(alpha.shape, *(np.shape(x) for x in thrust.b))
    alpha = np.broadcast_to(alpha, shape).ravel()
    theta_end = np.broadcast_to(theta_end, shape).ravel()
    cs = [np.broadcast_to(x, shape).ravel() for x in thrust.c]
    bs = [np.broadcast_to(x, shape).ravel() for x in thrust.b]
    up, east, _, normal = _frame(sin_lat, cos_lat, alpha)
    n = alpha.size
    r = np.tile(_R * up, (n, 1))
    v = np.tile(omega * _R * cos_lat * east, (n, 1))
    t_end = thrust.ends[-1]
    t_vert, t_pitch = _pitch_times(t_end)
    pitch_rate = (math.pi / 2.0 - theta_end) / (t_pitch - t_vert)     # rad/s during the pitch-over

    nx, ny, nz = (np.ascontiguousarray(normal[:, i]) for i in range(3))

    def acc(rr, t, k):
        x, y, z = rr[:, 0], rr[:, 1], rr[:, 2]
        inv = 1.0 / np.sqrt(x * x + y * y + z * z)
        ux, uy, uz = x * inv, y * inv, z * inv
        g = -_MU * inv * inv
        a_t = cs[k] * bs[k] / (1.0 - bs[k] * (t - thrust.starts[k]))
        out = np.empty_like(rr)
        if t <= t_vert:
            up = g + a_t
            out[:, 0], out[:, 1], out[:, 2] = up * ux, up * uy, up * uz
            return out
        hx, hy, hz = ny * uz - nz * uy, nz * ux - nx * uz, nx * uy - ny * ux
        pitch = math.pi / 2.0 - pitch_rate * (min(t, t_pitch) - t_vert)
        up = g + a_t * np.sin(pitch)
        side = a_t * np.cos(pitch) / np.sqrt(hx * hx + hy * hy + hz * hz)
        out[:, 0], out[:, 1], out[:, 2] = up * ux + side * hx, up * uy + side * hy, up * uz + side * hz
        return out

    samples = [(0.0, r.copy(), v.copy())] if record else None
    lowest = np.full(n, np.inf)
    for t0, t1, k in _segments(thrust, (t_vert, t_pitch)):
        steps = max(4, int(math.ceil((t1 - t0) / _STEP_S)))
        h = (t1 - t0) / steps
        for i in range(steps):
            t = t0 + i * h
            # Evaluate on the segment's own side of a jump: nudge the ends inwards.
            a1 = acc(r, t + 1e-9, k)
            r2, v2 = r + h / 2 * v, v + h / 2 * a1
            a2 = acc(r2, t + h / 2, k)
            r3, v3 = r + h / 2 * v2, v + h / 2 * a2
            a3 = acc(r3, t + h / 2, k)
            r4, v4 = r + h * v3, v + h * a3
            a4 = acc(r4, t + h - 1e-9, k)
            r = r + h / 6 * (v + 2 * v2 + 2 * v3 + v4)
            v = v + h / 6 * (a1 + 2 * a2 + 2 * a3 + a4)
            np.minimum(lowest, np.einsum("ij,ij->i", r, r), out=lowest)
            if record:
                samples.append((t + h, r.copy(), v.copy()))
    crashed = (lowest < (_R - 1.0) ** 2).reshape(shape)
    r = r.reshape(shape + (3,))
    v = v.reshape(shape + (3,))
    if record:
        return r, v, t_end, crashed, samples
    return r, v, t_end, crashed


def _coast(r, v, r_end=_R):
    """Kepler coast from (r, v) (arrays (..., 3), SI) down to radius r_end.

    Returns (impact position (..., 3), coast time s, apogee radius m, orbital flag): orbital
    where the conic never comes down to r_end (perigee above it, or escape).
    """
    rn = np.linalg.norm(r, axis=-1)
    hvec = np.cross(r, v)
    h = np.linalg.norm(hvec, axis=-1)
    v2 = np.einsum("...i,...i->...", v, v)
    rv = np.einsum("...i,...i->...", r, v)
    energy = v2 / 2.0 - _MU / rn
    evec = (np.cross(v, hvec) / _MU) - r / rn[..., None]
    e = np.linalg.norm(evec, axis=-1)
    p = h * h / _MU
    with np.errstate(divide="ignore", invalid="ignore"):
        a = -_MU / (2.0 * energy)
        rp = p / (1.0 + e)
        orbital = (energy >= 0) | (rp >= r_end) | (e < 1e-12)
        ra = np.where(orbital, np.inf, a * (1.0 + e))
        e_safe = np.where(orbital, 0.5, e)
        a_safe = np.where(orbital, rn, a)
        # True anomaly at burnout and at impact (descending crossing of r_end).
        cos_nu0 = np.clip((p / rn - 1.0) / e_safe, -1.0, 1.0)
        nu0 = np.where(rv >= 0, np.arccos(cos_nu0), _TWO_PI - np.arccos(cos_nu0))
        cos_nu1 = np.clip((p / r_end - 1.0) / e_safe, -1.0, 1.0)
        nu1 = _TWO_PI - np.arccos(cos_nu1)
        nu1 = np.where(nu1 < nu0, nu0, nu1)          # burnout already below r_end: lands at once

        def mean_anomaly(nu):
            ecc = 2.0 * np.arctan2(np.sqrt(1.0 - e_safe) * np.sin(nu / 2.0), np.sqrt(1.0 + e_safe) * np.cos(nu / 2.0))
            ecc = np.mod(ecc, _TWO_PI)
            return ecc - e_safe * np.sin(ecc)

        m0, m1 = mean_anomaly(nu0), mean_anomaly(nu1)
        dm = np.mod(m1 - m0, _TWO_PI)
        dm = np.where(nu1 - nu0 >= math.pi * 2 - 1e-12, _TWO_PI, dm)
        t = dm * np.sqrt(a_safe**3 / _MU)
        # Impact position: turn r about the orbit normal by nu1 − nu0, scaled to r_end.
        turn = nu1 - nu0
        hhat = hvec / np.where(h > 0, h, 1.0)[..., None]
        rhat = r / rn[..., None]
        that = np.cross(hhat, rhat)
        pos = r_end * (np.cos(turn)[..., None] * rhat + np.sin(turn)[..., None] * that)
    return pos, np.where(orbital, np.nan, t), ra, orbital


def _ground(pos, t, sin_lat, cos_lat, omega):
    """Distance (rad) and azimuth (rad) from the site of inertial position `pos` at time t."""
    th = -omega * t
    x, y, z = pos[..., 0], pos[..., 1], pos[..., 2]
    xr = x * np.cos(th) - y * np.sin(th)
    yr = x * np.sin(th) + y * np.cos(th)
    up = xr * cos_lat + z * sin_lat
    east = yr
    north = -xr * sin_lat + z * cos_lat
    d = np.arctan2(np.hypot(east, north), up)
    beta = np.mod(np.arctan2(east, north), _TWO_PI)
    return d, beta


class _Shots(NamedTuple):
    d: np.ndarray           # ground distance from the site, rad (NaN where the shot does not land)
    beta: np.ndarray        # ground azimuth, rad
    t: np.ndarray           # total flight time, s
    t_boost: float          # boost time, s
    apogee: np.ndarray      # apogee altitude, m
    valid: np.ndarray       # lands (not orbital, did not touch the ground during boost)
    orbital: np.ndarray     # bool: never comes down
    travel: np.ndarray      # angle flown from the launch point, rad, in [0, 2π) (inertial)
    r_bo: np.ndarray        # burnout position (inertial)
    v_bo: np.ndarray        # burnout velocity (inertial)


def _shots(sin_lat, cos_lat, alpha, theta_end, thrust, omega) -> _Shots:
    """Fly a batch of shots: boost, coast, impact on the turning Earth."""
    r, v, tb, crashed = _boost(sin_lat, cos_lat, alpha, theta_end, thrust, omega)
    pos, tc, ra, orbital = _coast(r, v)
    t = tb + tc
    d, beta = _ground(pos, np.where(orbital, 0.0, t), sin_lat, cos_lat, omega)
    rn = np.linalg.norm(r, axis=-1)
    apogee = np.where(orbital, np.inf, np.maximum(ra, rn)) - _R
    valid = ~orbital & ~crashed
    # Angle flown, measured in the plane of the coast from the launch point (inertial).
    start = np.array([cos_lat, 0.0, sin_lat])
    hvec = np.cross(r, v)
    nrm = hvec / np.linalg.norm(hvec, axis=-1, keepdims=True)
    p0 = start - np.einsum("...i,i->...", nrm, start)[..., None] * nrm
    ph = pos / _R
    travel = np.mod(np.arctan2(np.einsum("...i,...i->...", np.cross(p0, ph), nrm),
                               np.einsum("...i,...i->...", p0, ph)), _TWO_PI)
    return _Shots(np.where(valid, d, np.nan), beta, t, tb, apogee, valid, orbital, travel, r, v)


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
    from .geodesy import check_lat

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


# ---------------------------------------------------------------------------------------------
# Searches
# ---------------------------------------------------------------------------------------------

#: Flattest and steepest final pitch searched, degrees. Flatter programmes make the longest
#: missiles skim the ground at the end of the boost, which only a drag-free model allows.
MIN_PITCH_DEG, MAX_PITCH_DEG = 10.0, 89.5
_THETA_LO, _THETA_HI = math.radians(MIN_PITCH_DEG), math.radians(MAX_PITCH_DEG)


def _zoom_max(f, lo, hi, *, n=16, rounds=6):
    """Per row, the θ in [lo, hi] maximising f; f maps θ of shape (m, n) to values (NaN: invalid).

    Each round evaluates a grid of n points and keeps the two cells around the best one (the
    bracket shrinks about n/2 times a round). Returns (θ, value); value −inf where no point was valid.
    """
    lo = np.asarray(lo, float).copy()
    hi = np.asarray(hi, float).copy()
    grid = np.linspace(0.0, 1.0, n)
    best_t = best_v = None
    for _ in range(rounds):
        theta = lo[:, None] + (hi - lo)[:, None] * grid
        val = np.asarray(f(theta), float)
        val = np.where(np.isnan(val), -np.inf, val)
        j = np.argmax(val, axis=1)
        rows = np.arange(lo.size)
        best_t, best_v = theta[rows, j], val[rows, j]
        jl, jh = np.maximum(j - 1, 0), np.minimum(j + 1, n - 1)
        lo, hi = theta[rows, jl], theta[rows, jh]
    return best_t, best_v


def _travel_range(shots: _Shots):
    """Range flown on a non-rotating Earth, rad, unwrapped past the antipode (NaN: does not land)."""
    return np.where(shots.valid, shots.travel, np.nan)


def _max_travel(stage_sets, rounds=6):
    """Non-rotating maximum range (rad, unwrapped) and best θ for each stage set (same burn times)."""
    th = _thrust(stage_sets)
    th = th._replace(c=tuple(x[:, None] for x in th.c), b=tuple(x[:, None] for x in th.b))
    k = len(stage_sets)

    def f(theta):
        return _travel_range(_shots(0.0, 1.0, 0.0, theta, th, 0.0))

    theta, val = _zoom_max(f, np.full(k, _THETA_LO), np.full(k, _THETA_HI), rounds=rounds)
    return val, theta


def _calibrate(make_stages, target_rad, lo=0.3, hi=12.0):
    """Total ideal Δv (km/s) whose non-rotating maximum range is `target_rad`, and its best θ.

    make_stages(dv) gives the stage tuple. Bracketing with 8 candidates a round, then linear
    interpolation. Raises InputError when even `hi` does not reach the target.
    """
    for _ in range(7):
        dvs = np.linspace(lo, hi, 8)
        rng, _ = _max_travel([make_stages(x) for x in dvs])
        rng = np.where(np.isfinite(rng), rng, -np.inf)
        above = np.flatnonzero(rng >= target_rad)
        if above.size == 0:
            raise InputError(f"no speed gain up to {hi:g} km/s flies {target_rad * EARTH_RADIUS_KM:,.0f} km in the "
                             "powered model: give a shorter range")
        i = above[0]
        if i == 0:
            hi = dvs[0]
            lo = max(lo * 0.5, 1e-3)
            continue
        lo, hi = dvs[i - 1], dvs[i]
        r_lo, r_hi = rng[i - 1], rng[i]
        if hi - lo < 1e-7:
            break
    # Secant steps from the bracket (x1 = hi, whose range reaches the target, if none is taken).
    x0, x1 = lo, hi
    f0, f1 = r_lo - target_rad, r_hi - target_rad
    _, th2 = _max_travel([make_stages(x1)], rounds=7)
    for _ in range(6):
        if not (np.isfinite(f0) and np.isfinite(f1)) or f1 == f0:
            break
        x2 = x1 - f1 * (x1 - x0) / (f1 - f0)
        x2 = min(max(x2, lo), hi)
        r2, th2 = _max_travel([make_stages(x2)], rounds=7)
        x0, f0, x1, f1 = x1, f1, x2, r2[0] - target_rad
        if abs(f1) * _R < 1e-3:                      # a millimetre
            break
    return x1, th2[0]


#: Calibrations are kept between runs in this file of the user's cache folder (the same folder as
#: the place index: ``$RANGEMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/rangemap``, else ``~/.cache/rangemap``);
#: the name carries a version, so a change to the model's assumptions starts a new file.
CALIBRATION_CACHE = "class-vehicles-v1.json"


def _calibration_file():
    import os
    from pathlib import Path

    folder = os.environ.get("RANGEMAP_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "rangemap")
    return Path(folder) / CALIBRATION_CACHE


def _stored_calibration(nominal_km: float):
    """(Δv, θ) of an earlier run's calibration for `nominal_km`, or None."""
    import json

    try:
        value = json.loads(_calibration_file().read_text(encoding="utf-8")).get(repr(float(nominal_km)))
        return (float(value[0]), float(value[1])) if value else None
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        return None


def _store_calibration(nominal_km: float, dv: float, theta: float) -> None:
    """Keep a calibration for later runs (best effort: a read-only or full disk only costs time)."""
    import json
    import os
    import tempfile

    path = _calibration_file()
    try:
        try:
            table = json.loads(path.read_text(encoding="utf-8"))
            table = table if isinstance(table, dict) else {}
        except (OSError, ValueError):
            table = {}
        table[repr(float(nominal_km))] = [float(dv), float(theta)]
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".rangemap-tmp-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(table, f)
        os.replace(tmp, path)
    except OSError:
        pass


@lru_cache(maxsize=256)
def _class_vehicle(nominal_km: float) -> tuple:
    stored = _stored_calibration(nominal_km)
    if stored is None:
        stored = _calibrate(lambda x: _class_stages(nominal_km, x), nominal_km / EARTH_RADIUS_KM)
        _store_calibration(nominal_km, *stored)
    dv, theta = stored
    stages = _class_stages(nominal_km, dv)
    return Vehicle(stages, CLASS_ASSUMPTIONS["source"], f"{nominal_km:,.6g} km class"), theta


def class_vehicle(nominal_range_km) -> Vehicle:
    """The class missile for a nominal range, calibrated so its longest non-rotating shot flies that range.

    Stage structure, burn times and exhaust speeds are the assumptions of
    :data:`CLASS_ASSUMPTIONS` (one stage below 3,000 km, a second stage phased in up to
    8,000 km; the burn time of :func:`geo.core.ballistics.boost_time_min`); the total ideal
    speed gain is found so that the maximum range on a non-rotating Earth equals the nominal range.

    Parameters
    ----------
    nominal_range_km : float
        km, in (0, πR).

    Returns
    -------
    Vehicle

    Examples
    --------
    >>> v = class_vehicle(4500)
    >>> len(v.stages), v.stages[0].burn_time_s, round(v.delta_v_kms, 2)
    (1, 174, 6.68)
    """
    n = _nominal(nominal_range_km)
    return _class_vehicle(n)[0]


def _nominal(value) -> float:
    x = _finite(value, "nominal range", "km")
    if x <= 0:
        raise InputError(f"nominal range {x:g} km must be positive: give km > 0")
    if x >= math.pi * EARTH_RADIUS_KM:
        raise InputError(f"nominal range {x:g} km is at least half the Earth's circumference "
                         f"({math.pi * EARTH_RADIUS_KM:,.0f} km): give a shorter range")
    return x


# ---------------------------------------------------------------------------------------------
# Maximum range, and reach per ground azimuth on the rotating Earth
# ---------------------------------------------------------------------------------------------

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


class Reach(NamedTuple):
    """Reach per ground azimuth from a site on the rotating Earth."""

    #: Ground azimuths asked for, degrees.
    azimuth_deg: np.ndarray
    #: Reach, km: great-circle distance on the model sphere to the edge of the region covered
    #: without a gap; inf where near orbital.
    reach_km: np.ndarray
    #: True where the model does not bound the range (the farthest shots in that direction run on
    #: to the antipode or to orbital speed): say "near orbital: this model does not bound the range".
    near_orbital: np.ndarray
    #: Which model produced the numbers ("powered" or "kepler").
    model: str
    #: The missile flown.
    vehicle: Vehicle | None
    #: Where the ray comes back into reach beyond a gap, km (inf where it does not): shots aimed
    #: elsewhere that came down near or past the antipode, or the region folding back. A target
    #: between `reach_km` and this is out of reach; from this on the model does not bound the
    #: range there either. None for models that do not compute it.
    beyond_km: np.ndarray | None = None


def _site(lat, lon):
    from .geodesy import check_lat, check_lon

    lat = check_lat(lat)
    check_lon(lon)
    if np.ndim(lat) != 0 or np.ndim(lon) != 0:
        raise InputError("the launch site must be one point: give one latitude and one longitude")
    return math.radians(float(lat))


def _wrap(x):
    return np.mod(x + np.pi, _TWO_PI) - np.pi


def _unwrapped(shots: _Shots, alpha):
    """Ground distance flown, rad, counted on past the antipode (NaN: crashed; inf: orbital).

    A shot that went round past the antipode lands on the far side of the globe, at a ground
    azimuth roughly opposite its launch azimuth: its distance flown is 2π − d. (Within
    NEAR_ANTIPODE_KM of the antipode the two readings differ by little, and both are flagged.)
    """
    past = (shots.d > math.pi / 2) & (np.cos(shots.beta - alpha) < 0)
    flown = np.where(past, _TWO_PI - shots.d, shots.d)
    return np.where(shots.orbital, np.inf, np.where(shots.valid, flown, np.nan))


#: Final pitch angles searched above the non-rotating optimum, degrees (the Earth's rotation
#: moves the optimum by up to about 10°: flatter toward the east, steeper toward the west).
_PITCH_WINDOW_DEG = 25.0
#: Rounds of the grid search for the farthest pitch (16 points a round, the bracket shrinks
#: 7.5 times a round: about 0.08° after 3); a Newton step finishes it (within 10 m of a brute-force search).
_PITCH_ROUNDS = 3


@lru_cache(maxsize=64)
def _boundary(lat_rad: float, nominal_km: float, omega: float, n_alpha: int):
    """The edge of the reachable region: (vehicle, β, d, flagged, past), one point per launch azimuth.

    For each launch azimuth on a grid the final pitch angle of the farthest shot (distance
    counted on past the antipode) is searched over every pitch from :data:`MIN_PITCH_DEG` up;
    a second-order step then moves each shot onto the envelope of the family (the farthest
    shot landing at its own ground azimuth). A point is flagged near orbital when the farthest
    shot for its launch azimuth comes within NEAR_ANTIPODE_KM of the antipode, goes past it, or
    never comes down; flagged points are parked at the near-orbital distance (:func:`_park`),
    and `past` holds arcs through where their shots came down near or beyond the antipode. The farthest
    distance is a maximum over a continuous family, so it moves continuously with the launch
    azimuth, up to the moment it is flagged.
    """
    vehicle, theta0 = _class_vehicle(nominal_km)
    th = _thrust([vehicle.stages])
    sl, cl = math.sin(lat_rad), math.cos(lat_rad)
    alpha = np.linspace(0.0, _TWO_PI, n_alpha, endpoint=False)

    def flown(theta, a=alpha[:, None]):
        return _unwrapped(_shots(sl, cl, a, theta, th, omega), a)

    hi = min(_THETA_HI, theta0 + math.radians(_PITCH_WINDOW_DEG))
    theta, dmax = _zoom_max(flown, np.full(n_alpha, _THETA_LO), np.full(n_alpha, hi), n=16, rounds=_PITCH_ROUNDS)
    cap = (math.pi * EARTH_RADIUS_KM - NEAR_ANTIPODE_KM) / EARTH_RADIUS_KM
    flagged = ~np.isfinite(dmax) | (dmax > cap)
    # Finite differences around each optimum: α ± δa, θ ± δt.
    da, dt = 1e-4, 2e-3
    a5 = alpha[:, None] + np.array([0.0, da, -da, 0.0, 0.0])
    t5 = np.clip(theta[:, None] + np.array([0.0, 0.0, 0.0, dt, -dt]), _THETA_LO, _THETA_HI)
    sh = _shots(sl, cl, a5, t5, th, omega)
    d, b = sh.d, sh.beta
    d_a = (d[:, 1] - d[:, 2]) / (2 * da)
    b_a = _wrap(b[:, 1] - b[:, 2]) / (2 * da)
    d_t = (d[:, 3] - d[:, 4]) / (2 * dt)
    b_t = _wrap(b[:, 3] - b[:, 4]) / (2 * dt)
    d_tt = (d[:, 3] - 2 * d[:, 0] + d[:, 4]) / dt**2
    interior = theta > _THETA_LO + dt                  # at the flattest pitch the edge is the shot itself
    with np.errstate(divide="ignore", invalid="ignore"):
        # Newton's step along the curve of shots landing on the same ground azimuth (θ moves by
        # `step`, α by k·step): it finishes the pitch search and moves onto the envelope at once.
        k = -b_t / b_a
        step = np.where(interior & (d_tt < 0), -(d_t + d_a * k) / d_tt, 0.0)
    step = np.where(np.isfinite(step), np.clip(step, -0.02, 0.02), 0.0)
    step = np.clip(theta + step, _THETA_LO, _THETA_HI) - theta
    a_fin = alpha + np.where(np.isfinite(k), k, 0.0) * step
    fin = _shots(sl, cl, a_fin, theta + step, th, omega)
    with np.errstate(invalid="ignore"):
        flagged |= _unwrapped(fin, a_fin) > cap
    use = fin.valid & (fin.d >= d[:, 0] - 1e-9) & ~flagged
    d_edge = np.where(use, fin.d, d[:, 0])
    b_edge = np.where(use, fin.beta, b[:, 0])
    flagged = flagged | ~np.isfinite(d_edge) | ~np.isfinite(b_edge)
    reached, past = _near_antipode(sl, cl, alpha[flagged], th, omega, hi, cap)
    b_edge, d_edge = _park(alpha, b_edge, d_edge, flagged, cap, reached)
    return vehicle, b_edge, d_edge, flagged, past


def _park(alpha, b_edge, d_edge, flagged, cap, reached):
    """Put flagged boundary points at the near-orbital distance `cap`, on the bearing where their
    shots reach it.

    Their farthest shots went on past the antipode (or to orbit), so where they landed says
    nothing about the edge. Shorter shots of the same launch azimuth cover the ground up to
    `cap` on a bearing `reached` (NaN where unknown: the offset between ground and launch
    azimuth of the unflagged points is kept). Near the antipode those bearings crowd together:
    the Earth turns under long flights, and a few hundred kilometres sideways is many degrees.
    """
    if not flagged.any():
        return b_edge, d_edge
    offset = np.zeros(alpha.shape)
    if (~flagged).any():
        offset = np.interp(alpha, alpha[~flagged], _wrap(b_edge[~flagged] - alpha[~flagged]), period=_TWO_PI)
    parked = np.full(alpha.shape, np.nan)
    parked[flagged] = reached
    parked = np.where(np.isfinite(parked), parked, np.mod(alpha + offset, _TWO_PI))
    return np.where(flagged, parked, b_edge), np.where(flagged, cap, d_edge)


def _near_antipode(sl, cl, alpha, th, omega, hi, cap, n_theta=32):
    """For the near-orbital launch azimuths `alpha`, pitch sampled over the search: the bearing
    where each family reaches `cap` (its farthest shot that stays short of it; NaN if none), and
    short arcs (p0, p1 unit vectors, east/north/up) through where shots come down near or past
    the antipode (farther than `cap`). Near the antipode ground azimuths fan out: such a shot can
    land on the ray of a direction far from its own."""
    if alpha.size == 0:
        return np.empty(0), (np.empty((0, 3)), np.empty((0, 3)))
    theta = np.linspace(_THETA_LO, hi, n_theta)
    sh = _shots(sl, cl, alpha[:, None], theta, th, omega)
    with np.errstate(invalid="ignore"):
        flown = _unwrapped(sh, alpha[:, None])
        past = sh.valid & (flown > cap)
        short = np.where(sh.valid & (flown <= cap), flown, -np.inf)
    best = np.argmax(short, axis=1)
    rows = np.arange(alpha.size)
    reached = np.where(np.isfinite(short[rows, best]), sh.beta[rows, best], np.nan)
    pts = _unit(sh.beta, np.where(sh.valid, sh.d, 0.0))
    seg = past[:, :-1] & past[:, 1:]
    seg &= np.einsum("ijk,ijk->ij", pts[:, :-1], pts[:, 1:]) > math.cos(0.3)        # short arcs only
    return reached, (pts[:, :-1][seg], pts[:, 1:][seg])


def _interp_periodic(x, y, q):
    """Cubic Hermite interpolation of y(x) at q, x in radians (periodic, any order, distinct)."""
    order = np.argsort(x)
    x, y = x[order], y[order]
    xe = np.concatenate([x[-2:] - _TWO_PI, x, x[:2] + _TWO_PI])
    ye = np.concatenate([y[-2:], y, y[:2]])
    slopes = np.gradient(ye, xe)
    q = np.mod(q, _TWO_PI)
    q = np.where(q < xe[2], q + 0.0, q)
    i = np.clip(np.searchsorted(xe, q, side="right") - 1, 0, xe.size - 2)
    x0, x1 = xe[i], xe[i + 1]
    h = x1 - x0
    s = (q - x0) / h
    h00, h10 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s
    h01, h11 = -2 * s**3 + 3 * s**2, s**3 - s**2
    return h00 * ye[i] + h10 * h * slopes[i] + h01 * ye[i + 1] + h11 * h * slopes[i + 1]


def _unit(beta, d):
    """Unit vectors (east, north, up) of points at azimuth β and distance d (rad) from the site."""
    sd = np.sin(d)
    return np.stack([sd * np.sin(beta), sd * np.cos(beta), np.cos(d)], axis=-1)


def _crossings(p0, p1, q):
    """Where the arcs p0→p1 (n, 3) cross the rays from the site at azimuths q (m,).

    Returns (hit (m, n) bool, distance (m, n) rad). An arc crosses a ray when its ends lie on
    either side of the ray's great-circle plane and the crossing point lies on the ray's half.
    """
    n_q = np.stack([-np.cos(q), np.sin(q), np.zeros_like(q)], axis=-1)          # plane normals
    h_q = np.stack([np.sin(q), np.cos(q), np.zeros_like(q)], axis=-1)           # ray headings
    s0 = n_q @ p0.T
    s1 = n_q @ p1.T
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(s0 != s1, s0 / (s0 - s1), 0.0)
    hit = (s0 * s1 <= 0) & ~((s0 == 0) & (s1 == 0))
    pts = p0[None] + t[..., None] * (p1 - p0)[None]
    along = np.einsum("mnk,mk->mn", pts, h_q)
    d = np.arctan2(np.abs(along), pts[..., 2])
    return hit & (along >= -1e-12), d


#: Launch azimuths flown for one footprint: the reach between them is interpolated (within 10 m of
#: a brute-force search over the test cases; 360 gives 5 m for twice the time).
N_ALPHA = 180


def reach(lat, lon, azimuth_deg, nominal_range_km, *, omega=OMEGA_EARTH_RAD_S, n_alpha=N_ALPHA) -> Reach:
    """Reach per ground azimuth of the class missile for a nominal range, powered-flight model.

    The missile (:func:`class_vehicle`) is flown from the site at `n_alpha` launch azimuths; for
    each, the final pitch angle of the farthest shot is searched, and the shot is moved onto the
    envelope (farthest shot landing at its own ground azimuth). Those boundary points are
    interpolated (periodic cubic Hermite in azimuth) at the requested azimuths. Where the
    farthest shots come within :data:`NEAR_ANTIPODE_KM` of the antipode, run into orbital speed,
    or (going round past the antipode) land beyond the regular edge, the reach is ``inf`` and
    ``near_orbital`` is True: this model does not bound the range there.

    Parameters
    ----------
    lat, lon : float
        Launch site, degrees (the longitude only is checked: on a sphere it does not matter).
    azimuth_deg : float or array_like
        Ground azimuths, degrees clockwise from north.
    nominal_range_km : float
        Maximum range on a non-rotating Earth, km, in (0, πR).
    omega : float, optional
        Rotation rate, rad/s (default Earth's; 0 gives the nominal range in every direction).
    n_alpha : int, optional
        Launch azimuths flown (default :data:`N_ALPHA`).

    Returns
    -------
    Reach

    Examples
    --------
    >>> r = reach(39.66, 124.705, [47.65, 90, 270], 10_400)
    >>> r.reach_km.round(-1), r.near_orbital
    (array([11980., 13750.,  8990.]), array([False, False, False]))
    """
    lat_rad = _site(lat, lon)
    az = np.mod(np.asarray(azimuth_deg, dtype=float), 360.0)
    if not np.isfinite(az).all():
        raise InputError("azimuth is not finite: give degrees clockwise from north")
    nominal = _nominal(nominal_range_km)
    omega = _finite(omega, "omega", "rad/s")
    vehicle, b_edge, d_edge, flagged, past = _boundary(lat_rad, nominal, omega, int(n_alpha))
    q = np.radians(az).ravel()
    edge, beyond = _reach_from_boundary(b_edge, d_edge, flagged, past, q)
    shape = az.shape
    return Reach(az, (edge * EARTH_RADIUS_KM).reshape(shape), np.isinf(edge).reshape(shape), "powered", vehicle,
                 (beyond * EARTH_RADIUS_KM).reshape(shape))


_SAME = 0.01 / EARTH_RADIUS_KM        # crossings within 10 m of each other are one
_PART = 40.0 / EARTH_RADIUS_KM        # cubic and chord this far apart: the chord (from half that: a blend)


def _reach_from_boundary(b_edge, d_edge, flagged, past, q, chunk=256):
    """The edge of the region covered without a gap and where the ray comes back into reach, rad.

    The boundary points (one per launch azimuth, in order) form a closed curve C. Along each
    ray from the site, the first crossing of C is the edge of the region covered without a gap;
    it is unbounded (inf) when that crossing is on an arc with a near-orbital end, or when the ray
    crosses an arc between two near-orbital points at all. Beyond it the
    ray comes back into reach where C crosses it again (the region folds back) or where shots
    that came down near or past the antipode (`past`: arcs through their landing points) land
    on it: targets from there on are reached by shots aimed elsewhere or the long way round.
    Returns (edge, beyond), inf where unbounded and where the ray never comes back.
    """
    pts = _unit(b_edge, d_edge)
    nxt = np.roll(np.arange(b_edge.size), -1)
    bad_arc = flagged | flagged[nxt]
    all_bad = (flagged & flagged[nxt])[None, :]
    c0, c1 = pts, pts[nxt]
    good = ~flagged
    smooth = _interp_periodic(b_edge[good], d_edge[good], q) if good.sum() >= 4 else np.full(q.shape, np.nan)
    w0, w1 = past
    edge = np.empty(q.shape)
    beyond = np.empty(q.shape)
    for i in range(0, q.size, chunk):
        qq = q[i:i + chunk]
        hit, dist = _crossings(c0, c1, qq)
        dist = np.where(hit, dist, np.inf)
        first = np.argmin(dist, axis=1)
        d_first = dist[np.arange(qq.size), first]
        # Crossings farther out (not the same point seen from two arcs that share an end).
        back = np.where(dist > d_first[:, None] + _SAME, dist, np.inf).min(axis=1)
        if w0.shape[0]:
            whit, wdist = _crossings(w0, w1, qq)
            back = np.minimum(back, np.where(whit & (wdist > d_first[:, None] + _SAME), wdist, np.inf).min(axis=1))
        # The chord is a linear interpolation; the cubic through the boundary points is finer.
        # Where they part (a fold, a kink) the chord is kept, blended in between so as not to jump.
        sm = smooth[i:i + chunk]
        with np.errstate(invalid="ignore"):
            w = np.clip((_PART - np.abs(sm - d_first)) / (_PART / 2), 0.0, 1.0)
        fine = np.where(np.isfinite(sm), d_first + w * (sm - d_first), d_first)
        # A ray across the parked points of near-orbital launch azimuths is covered out to them
        # by those shots, whatever other shots that came down near the antipode cross it first.
        unbounded = bad_arc[first] | ~np.isfinite(d_first) | (hit & all_bad).any(axis=1)
        edge[i:i + chunk] = np.where(unbounded, np.inf, fine)
        beyond[i:i + chunk] = np.where(unbounded, np.inf, back)
    return edge, beyond


# ---------------------------------------------------------------------------------------------
# Lofted tests
# ---------------------------------------------------------------------------------------------

class LoftFit(NamedTuple):
    """A vehicle fitted to a lofted test, and the same vehicle on its maximum-range trajectory."""

    #: The fitted missile (stages with the fitted speed gain; burn times and exhaust speeds assumed).
    vehicle: Vehicle
    #: Final pitch angle that reproduces the test, degrees.
    loft_pitch_deg: float
    #: Apogee and ground range of the model's lofted flight, km (equal to the test's to a metre).
    apogee_km: float
    ground_range_km: float
    #: Model flight time of the lofted test (boost + coast to the ground), minutes.
    time_min: float
    #: Observed flight time, minutes (None if not given); observed − model (None without it).
    observed_time_min: float | None
    time_diff_min: float | None
    #: Burnout altitude, speed and flight-path angle of the lofted flight.
    loft_burnout_alt_km: float
    loft_burnout_speed_kms: float
    loft_burnout_flight_path_deg: float
    #: The same vehicle on its maximum-range trajectory (non-rotating Earth).
    max_range: MaxRange
    description: str


def _fit_shots(share, burn, dvs, thetas, site=None):
    th = _thrust([_stages(share, float(x), burn) for x in dvs])
    if site is None:
        return _shots(0.0, 1.0, 0.0, np.asarray(thetas, float), th, 0.0)
    lat, az = site
    return _shots(math.sin(lat), math.cos(lat), az, np.asarray(thetas, float), th, OMEGA_EARTH_RAD_S)


def fit_loft(apogee_km, ground_range_km, *, burn_time_s, stages=2, time_min=None, site=None) -> LoftFit:
    """Fit the powered-flight model to a lofted test; fly the fitted missile for maximum range.

    The missile has the class structure of :data:`CLASS_ASSUMPTIONS` (one stage, or two with
    the second burning 40% of the time and giving half the speed gain), the given total burn
    time (assumed) and assumed exhaust speeds. Two parameters are fitted, by Newton's method
    with finite differences, so that the model's flight on a non-rotating Earth reaches the
    observed apogee at the observed ground range: the total ideal speed gain (which stands
    for the payload the test carried) and the final pitch angle of the lofted programme. The
    same missile is then flown on the pitch programme that maximises range. An observed flight
    time is compared with the model's, not fitted.

    Parameters
    ----------
    apogee_km, ground_range_km : float
        Observed apogee altitude, km, in (0, 40,000] (higher is no ballistic test), and ground
        range, km.
    burn_time_s : float
        Total powered-flight time, s (assumed), in [20, 900]: shorter is no missile (the fit
        asks for kilotonnes of thrust), longer is no ballistic missile's boost (and the work of
        the integration grows with it).
    stages : {1, 2}
    time_min : float, optional
        Observed flight time, minutes, in (0, 600].

    Raises
    ------
    InputError
        For non-positive figures, figures outside the bounds above, a stage count other than
        1 or 2, or a test that no parameter set of the model reproduces.

    Examples
    --------
    >>> fit = fit_loft(2111.5, 787, burn_time_s=150, stages=1)
    >>> round(fit.apogee_km, 1), round(fit.ground_range_km, 1), round(fit.max_range.range_km, -1)
    (2111.5, 787.0, 4840.0)
    """
    apogee = _finite(apogee_km, "apogee", "km")
    rng = _finite(ground_range_km, "ground range", "km")
    burn = _finite(burn_time_s, "burn time", "s")
    for value, what in ((apogee, "apogee"), (rng, "ground range")):
        if value <= 0:
            raise InputError(f"{what} {value:g} km must be positive: give km > 0")
    if burn <= 0:
        raise InputError(f"burn time {burn:g} s must be positive: give s > 0")
    # The same bounds as geo.core.ballistics.loft (MAX_APOGEE_KM, BURN_TIME_RANGE_S, MAX_FLIGHT_TIME_MIN).
    if apogee > 40000.0:
        raise InputError(f"apogee {apogee:g} km is above 40,000 km, beyond any ballistic test: "
                         "give the apogee altitude in km")
    if not 20.0 <= burn <= 900.0:
        raise InputError(f"burn time {burn:g} s is outside 20-900 s, the powered flight of a ballistic missile: "
                         "give the burn time in seconds")
    if stages not in (1, 2):
        raise InputError(f"stages {stages!r} must be 1 or 2")
    observed = None if time_min is None else _finite(time_min, "flight time", "minutes")
    if observed is not None and observed <= 0:
        raise InputError(f"flight time {observed:g} minutes must be positive: give minutes > 0")
    if observed is not None and observed > 600.0:
        raise InputError(f"flight time {observed:g} minutes is above 600 minutes, beyond any ballistic flight: "
                         "give the observed flight time in minutes")
    share = 0.0 if stages == 1 else 1.0
    target = np.array([apogee * 1e3, rng * 1e3])
    scale = np.array([1e6, 1e5])                        # residual units: 1,000 km apogee, 100 km range
    x = np.array([4.0 + 0.0008 * apogee, math.radians(80.0)])   # Δv km/s, final pitch rad
    ok = False
    for _ in range(60):
        dv, th = x[0], x[1]
        sh = _fit_shots(share, burn, [dv, dv + 1e-4, dv], [th, th, th + 1e-5], site)
        if not sh.valid[0]:
            x = np.array([dv * 0.95, min(th + 0.02, _THETA_HI)])
            continue
        f = np.stack([sh.apogee, sh.d * _R])
        res = (f[:, 0] - target) / scale
        if np.all(np.abs(f[:, 0] - target) < 0.5):
            ok = True
            break
        jac = np.stack([(f[:, 1] - f[:, 0]) / 1e-4, (f[:, 2] - f[:, 0]) / 1e-5], axis=1) / scale[:, None]
        try:
            step = np.linalg.solve(jac, -res)
        except np.linalg.LinAlgError:
            break
        step = step * min(1.0, 0.5 / max(abs(step[0]), 1e-12), 0.1 / max(abs(step[1]), 1e-12))
        x = x + step
        x[0] = max(x[0], 0.5)
        x[1] = min(max(x[1], math.radians(1.0)), _THETA_HI)
    if not ok:
        raise InputError(f"no parameter set of the powered-flight model reproduces apogee {apogee:g} km at "
                         f"{rng:g} km with a {burn:g} s burn: check the figures or the burn time")
    dv, th = float(x[0]), float(x[1])
    vehicle = Vehicle(_stages(share, dv, burn), f"fitted to apogee {apogee:g} km at {rng:g} km; burn time "
                      f"{burn:g} s and exhaust speeds assumed", "fitted missile")
    sh = _fit_shots(share, burn, [dv], [th], site)
    alt, _, speed, fpa = _burnout_facts(sh.r_bo, sh.v_bo)
    model_time = float(sh.t[0]) / 60.0
    mr = max_range(vehicle)
    diff = None if observed is None else observed - model_time
    rng_text = ("near orbital: this model does not bound the range" if mr.near_orbital
                else f"maximum range {mr.range_km:,.0f} km")
    text = (f"powered-flight model: {vehicle.describe()}; lofted at {math.degrees(th):.1f}° final pitch -> "
            f"apogee {apogee:g} km at {rng:g} km; {rng_text}")
    if observed is not None:
        text += f"; model flight time {model_time:.1f} min vs observed {observed:g} min ({diff:+.1f} min)"
    return LoftFit(vehicle, math.degrees(th), float(sh.apogee[0]) / 1e3, float(sh.d[0]) * EARTH_RADIUS_KM,
                   model_time, observed, diff, float(alt[0]), float(speed[0]), float(fpa[0]), mr, text)


def speed_gain_share(fit: LoftFit, range_km) -> float:
    """Share of the fitted speed gain with which the same missile flies `range_km` at most.

    Same stages, burn times and exhaust speeds as the fit; only the total ideal speed gain
    changes, which is what a heavier or lighter payload than the test's does. Below 1: the
    range needs a heavier payload than the test carried; above 1: a lighter one. Non-rotating
    Earth, pitch programme searched, as :func:`max_range`. This is how a test that makes the
    missile near orbital still says something finite: what a published range implies.

    Examples
    --------
    >>> fit = fit_loft(2111.5, 787, burn_time_s=150, stages=1)
    >>> round(speed_gain_share(fit, fit.max_range.range_km), 6), round(speed_gain_share(fit, 4500), 3)
    (1.0, 0.978)
    """
    target = _finite(range_km, "range", "km")
    if not 0 < target < math.pi * EARTH_RADIUS_KM - NEAR_ANTIPODE_KM:
        raise InputError(f"range {target:g} km is outside (0, {math.pi * EARTH_RADIUS_KM - NEAR_ANTIPODE_KM:,.0f}) km: "
                         "give a range the model bounds")
    share = 0.0 if len(fit.vehicle.stages) == 1 else 1.0
    burn = fit.vehicle.burn_time_s
    dv, _ = _calibrate(lambda x: _stages(share, x, burn), target / EARTH_RADIUS_KM)
    return float(dv / fit.vehicle.delta_v_kms)


# ---------------------------------------------------------------------------------------------
# Trajectories (for figures) and the boost profile (for flight times)
# ---------------------------------------------------------------------------------------------

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
