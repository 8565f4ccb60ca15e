"""Reach per ground azimuth of the class missile on the rotating Earth (powered-flight model).

:func:`reach` flies the class missile of a nominal range from a site at :data:`N_ALPHA` launch
azimuths, finds for each the farthest shot (the pitch searched, then a step onto the envelope of
the family), and reads the edge of the region covered without a gap along each requested ground
azimuth. Where the farthest shots come within :data:`~geo.core.powered.flight.NEAR_ANTIPODE_KM`
of the antipode or reach orbital speed, the reach is unbounded (``inf``, ``near_orbital``).

Examples
--------
>>> r = reach(0.0, 0.0, [0, 90, 180, 270], 4500, omega=0.0)       # no rotation: the nominal range
>>> r.reach_km.round(), bool(r.near_orbital.any())
(array([4500., 4500., 4500., 4500.]), False)
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ...errors import InputError
from .calibration import _class_vehicle, _nominal
from .flight import (
    _THETA_HI,
    _THETA_LO,
    _TWO_PI,
    EARTH_RADIUS_KM,
    NEAR_ANTIPODE_KM,
    OMEGA_EARTH_RAD_S,
    _Shots,
    _shots,
    _thrust,
    _zoom_max,
)
from .vehicle import Vehicle, _finite

__all__ = [
    "Reach",
    "reach",
    "N_ALPHA",
]


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
    #: From this distance on the model does not bound the range, km (inf where nothing comes back):
    #: the nearest point, on any bearing, where shots that came down near or past the antipode
    #: land or where the region folds back beyond a gap; never less than `reach_km` (inf where
    #: near orbital). A target between `reach_km` and this is out of reach. None for models that
    #: do not compute it.
    beyond_km: np.ndarray | None = None


def _site(lat, lon):
    from ..geodesy import check_lat, check_lon

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
    """The edge of the reachable region: (vehicle, β, d, flagged, past, aims), one point per launch azimuth.

    For each launch azimuth on a grid the final pitch angle of the farthest shot (distance
    counted on past the antipode) is searched over every pitch from :data:`MIN_PITCH_DEG` up;
    a second-order step then moves each shot onto the envelope of the family (the farthest
    shot landing at its own ground azimuth). A point is flagged near orbital when the farthest
    shot for its launch azimuth comes within NEAR_ANTIPODE_KM of the antipode, goes past it, or
    never comes down; flagged points are parked at the near-orbital distance (:func:`_park`),
    and `past` holds arcs through where their shots came down near or beyond the antipode. The farthest
    distance is a maximum over a continuous family, so it moves continuously with the launch
    azimuth, up to the moment it is flagged. `aims` is (launch azimuth, final pitch), rad, of the
    shot that lands on each boundary point (for flagged points: of the farthest shot found).
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
    aims = (np.where(use, a_fin, alpha), np.where(use, theta + step, theta))
    flagged = flagged | ~np.isfinite(d_edge) | ~np.isfinite(b_edge)
    reached, past = _near_antipode(sl, cl, alpha[flagged], th, omega, hi, cap)
    b_edge, d_edge = _park(alpha, b_edge, d_edge, flagged, cap, reached)
    return vehicle, b_edge, d_edge, flagged, past, aims


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
        # The steepest pitch at which the family still gets past `cap`, and the next one that does
        # not: the bearing where it reaches `cap` is interpolated between them, so that it moves
        # continuously with the missile (the nearest sample would jump from one to the next).
        cross = (flown[:, :-1] > cap) & (flown[:, 1:] <= cap) & sh.valid[:, 1:]
    rows = np.arange(alpha.size)
    best = np.argmax(short, axis=1)
    reached = np.where(np.isfinite(short[rows, best]), sh.beta[rows, best], np.nan)
    has = cross.any(axis=1)
    j = cross.shape[1] - 1 - np.argmax(cross[:, ::-1], axis=1)         # the last crossing (steepest side)
    d0, d1 = flown[rows, j], flown[rows, j + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.clip((d0 - cap) / (d0 - d1), 0.0, 1.0)
    b0, b1 = sh.beta[rows, j], sh.beta[rows, j + 1]
    finite0 = np.isfinite(d0) & np.isfinite(b0)
    reached = np.where(has & finite0, np.mod(b1 - (1.0 - f) * _wrap(b1 - b0), _TWO_PI), reached)
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
    vehicle, b_edge, d_edge, flagged, past, _ = _boundary(lat_rad, nominal, omega, int(n_alpha))
    q = np.radians(az).ravel()
    edge, _ = _reach_from_boundary(b_edge, d_edge, flagged, past, q, with_back=False)
    # Where anything comes back into reach beyond a gap, one distance for every bearing (see Reach).
    beyond = np.where(np.isinf(edge), np.inf, np.maximum(edge, _comes_back(lat_rad, nominal, omega, int(n_alpha))))
    shape = az.shape
    return Reach(az, (edge * EARTH_RADIUS_KM).reshape(shape), np.isinf(edge).reshape(shape), "powered", vehicle,
                 (beyond * EARTH_RADIUS_KM).reshape(shape))


#: Bearings on which :func:`_comes_back` looks for the region coming back beyond a gap.
_BACK_RAYS = 720


@lru_cache(maxsize=64)
def _comes_back(lat_rad: float, nominal_km: float, omega: float, n_alpha: int) -> float:
    """The nearest distance (rad) at which the region comes back into reach beyond a gap, on any
    bearing: where shots came down near or past the antipode, or where the edge curve crosses a ray
    a second time. inf when nothing does.

    One distance for every bearing, not one per bearing: the landing points near the antipode are
    a sample of a two-parameter family, so a per-bearing figure would come and go between
    neighbouring bearings; the nearest of them over all bearings is a bound a reader can use.
    """
    _, b_edge, d_edge, flagged, past, _ = _boundary(lat_rad, nominal_km, omega, n_alpha)
    rays = np.linspace(0.0, _TWO_PI, _BACK_RAYS, endpoint=False)
    _, back = _reach_from_boundary(b_edge, d_edge, flagged, past, rays)
    landed = [np.arctan2(np.hypot(p[:, 0], p[:, 1]), p[:, 2]) for p in past if p.shape[0]]
    return float(min([np.min(back)] + [float(np.min(x)) for x in landed]))


_SAME = 0.01 / EARTH_RADIUS_KM        # crossings within 10 m of each other are one
_PART = 40.0 / EARTH_RADIUS_KM        # cubic and chord this far apart: the chord (from half that: a blend)


def _reach_from_boundary(b_edge, d_edge, flagged, past, q, chunk=256, with_back=True):
    """The edge of the region covered without a gap and where the ray comes back into reach, rad.

    The boundary points (one per launch azimuth, in order) form a closed curve C. Along each
    ray from the site, the first crossing of C is the edge of the region covered without a gap;
    it is unbounded (inf) when that crossing is on an arc with a near-orbital end, or when the ray
    crosses an arc between two near-orbital points at all. Beyond it the
    ray comes back into reach where C crosses it again (the region folds back) or where shots
    that came down near or past the antipode (`past`: arcs through their landing points) land
    on it: targets from there on are reached by shots aimed elsewhere or the long way round.
    Returns (edge, beyond), inf where unbounded and where the ray never comes back; without
    `with_back` only the edge is worked out (beyond all inf).
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
        back = np.full(qq.size, np.inf)
        if with_back:
            back = np.where(dist > d_first[:, None] + _SAME, dist, np.inf).min(axis=1)
        if with_back and w0.shape[0]:
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
