"""Flight of the powered-flight model: the boost integrated through the stages, the Kepler coast, the pitch search.

Everything is in an Earth-centred inertial frame over a sphere of radius :data:`EARTH_RADIUS_KM`
with gravity μ/r² (:data:`MU_KM3_S2`), no atmosphere, no drag. The boost is integrated with a
fixed-step fourth-order Runge-Kutta scheme, vectorised over a batch of shots (launch azimuths,
final pitch angles, stage sets); the coast is the Kepler conic in closed form; the impact point
is turned back by the angle the Earth (:data:`OMEGA_EARTH_RAD_S`) turned during the flight. The
pitch programme rises vertically for :data:`VERTICAL_RISE_S`, then pitches over at a constant
rate for :data:`PITCH_OVER_SHARE` of the rest of the burn; the farthest final pitch angle is
searched between :data:`MIN_PITCH_DEG` and :data:`MAX_PITCH_DEG`.

Examples
--------
>>> MIN_PITCH_DEG, MAX_PITCH_DEG, VERTICAL_RISE_S
(10.0, 89.5, 10.0)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

__all__ = [
    "EARTH_RADIUS_KM",
    "MU_KM3_S2",
    "OMEGA_EARTH_RAD_S",
    "VERTICAL_RISE_S",
    "PITCH_OVER_SHARE",
    "NEAR_ANTIPODE_KM",
    "MODEL_LINE",
    "MIN_PITCH_DEG",
    "MAX_PITCH_DEG",
]


EARTH_RADIUS_KM = 6371.0088
MU_KM3_S2 = 398600.4418
OMEGA_EARTH_RAD_S = 7.2921159e-5

_R = EARTH_RADIUS_KM * 1e3
_MU = MU_KM3_S2 * 1e9
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


def _boost(sin_lat, cos_lat, alpha, theta_end, thrust: _Thrust, omega, *, record=False, step=None):
    """Integrate the boost of a batch of shots.

    Returns (r, v, t_burnout, crashed[, samples]): inertial position and velocity at burnout
    (SI), the burnout time, whether a shot touched the ground after lift-off, and with
    ``record`` the list of (t, r, v) after every step. alpha and theta_end (rad) and the thrust
    law's c, b broadcast to the batch shape. `step`: the Runge-Kutta step, s (default :data:`_STEP_S`).
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
        steps = max(4, int(math.ceil((t1 - t0) / (step or _STEP_S))))
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
