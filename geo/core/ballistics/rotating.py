"""Reach over the rotating Earth: the closed-form Kepler model and the reach API.

The same missile reaches farther fired east than west, because the ground's eastward speed
ω·r·cos(lat) adds to the burnout speed in the inertial frame while the Earth turns under the
missile. :func:`rotating_reach_km` and :func:`rotating_flight_time_min` give the closed-form
Kepler answer (burnout on the ground); :func:`rotating_reach` is what the analysis layer calls,
with the powered-flight model (:func:`geo.core.powered.reach`) by default and the near-orbital
flag where a model does not bound the range (:func:`orbital_threshold_km`).

Examples
--------
>>> round(orbital_threshold_km(40), -1)
12670.0
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ...errors import InputError
from .. import powered
from ..powered import Reach
from ..powered.azimuths import _site
from ..powered.flight import _ground
from .freeflight import (
    _MU,
    _R,
    OMEGA_EARTH_RAD_S,
    _altitude,
    _flight_time,
    _ground_range,
    _max_range_angle,
    _num,
    _out,
    _positive,
    _q,
    speed_for_range,
)

__all__ = [
    "rotating_reach_km",
    "rotating_flight_time_min",
    "orbital_threshold_km",
    "REACH_MODELS",
    "Reach",
    "rotating_reach",
    "near_orbital",
    "MODEL_LINES",
]

# Frame: Earth-centred inertial axes that coincide with Earth-fixed axes at burnout (t = 0),
# z along the spin axis. By symmetry about the axis the site's longitude does not matter, so
# the site is put on the x-z plane (longitude 0). A shot is given by its speed relative to the
# ground v, launch azimuth α and flight-path angle φ (relative to the ground). In local
# east/north/up components the inertial velocity is
#     v·(cosφ sinα + ω r cosλ/v,  cosφ cosα,  sinφ),
# i.e. the ground's eastward velocity ω×r is added. The inertial conic gives the range angle Ψ
# and time t (formulas valid for Q < 2, so also for shots that go more than half way round);
# the impact point is moved Ψ along the inertial azimuth and then turned back by −ω t about the
# axis, because the Earth has turned east under the missile meanwhile.

_TWO_PI = 2.0 * math.pi


def _impact(sin_lat, cos_lat, alpha, phi, v, r, omega):
    """Ground distance angle d (rad), ground azimuth β (rad) and flight time (s) of shots.

    All arguments broadcast; v in m/s relative to the ground, r in m, omega in rad/s.
    """
    vh = v * np.cos(phi)
    vu = v * np.sin(phi)
    v_east = vh * np.sin(alpha) + omega * r * cos_lat     # inertial east component
    v_north = vh * np.cos(alpha)
    h2 = v_east**2 + v_north**2                           # horizontal speed squared
    v2 = h2 + vu**2
    q = v2 * r / _MU
    # Ψ/2 = atan2(Q sinφ cosφ, 1 − Q cos²φ) with the inertial φ: Q sinφ cosφ = r·vu·√h2/μ.
    psi = 2.0 * np.arctan2(r * vu * np.sqrt(h2) / _MU, 1.0 - h2 * r / _MU)
    t = _flight_time(q, np.arctan2(vu, np.sqrt(h2)), r)
    az = np.arctan2(v_east, v_north)                      # inertial azimuth
    # Impact in the inertial frame (site at longitude 0): cosΨ·up + sinΨ·(sin az·east + cos az·north).
    cp, sp = np.cos(psi), np.sin(psi)
    x = cp * cos_lat - sp * np.cos(az) * sin_lat
    y = sp * np.sin(az)
    z = cp * sin_lat + sp * np.cos(az) * cos_lat
    # The Earth turned by ω t; distance and azimuth from the site (one home: geo.core.powered.flight._ground).
    d, beta = _ground(np.stack(np.broadcast_arrays(x, y, z), axis=-1), t, sin_lat, cos_lat, omega)
    return d, beta, t


_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0     # 0.618...
_PHI_LO, _PHI_HI = 1e-6, math.pi / 2.0 - 1e-6


def _best_phi(f, shape, iterations=40, lo=_PHI_LO, hi=_PHI_HI):
    """Vectorized golden-section search for the φ in [lo, hi] maximising f(φ) (array -> array)."""
    a = np.broadcast_to(np.asarray(lo, dtype=float), shape).copy()
    b = np.broadcast_to(np.asarray(hi, dtype=float), shape).copy()
    c = b - _GOLDEN * (b - a)
    d = a + _GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        left = fc >= fd                 # the maximum lies in [a, d]
        a = np.where(left, a, c)
        b = np.where(left, d, b)
        # On the left the old c becomes the new d; on the right the old d becomes the new c.
        new_c = np.where(left, b - _GOLDEN * (b - a), d)
        new_d = np.where(left, c, a + _GOLDEN * (b - a))
        f_new = f(np.where(left, new_c, new_d))
        fc, fd = np.where(left, f_new, fd), np.where(left, fc, f_new)
        c, d = new_c, new_d
    return 0.5 * (a + b)


class _Outline(NamedTuple):
    """The farthest shot for each launch azimuth on a regular grid: arrays of shape (..., n)."""

    alpha: np.ndarray       # launch azimuth, rad (relative to the ground)
    phi: np.ndarray         # flight-path angle of the farthest shot, rad
    beta: np.ndarray        # ground azimuth of its impact point, rad
    d: np.ndarray           # ground distance of its impact point, rad of arc
    t: np.ndarray           # its flight time, s


_CAP = 100e3 / _R      # 100 km around the antipode, rad: ground azimuths are ill-defined there


def _outline(sin_lat, cos_lat, v, r, omega, n_alpha) -> _Outline:
    """For launch azimuths on a regular grid, the φ that flies farthest (golden section).

    The impact points (β, d) of these shots trace the outline of the reachable region as a
    closed curve around the site. `v` may be an array: the outline gets its shape + (n_alpha,).
    """
    v = np.asarray(v, dtype=float)[..., None]
    alpha = np.linspace(0.0, _TWO_PI, n_alpha, endpoint=False)
    shape = np.broadcast_shapes(v.shape, alpha.shape)
    alpha = np.broadcast_to(alpha, shape)
    phi = _best_phi(lambda p: _impact(sin_lat, cos_lat, alpha, p, v, r, omega)[0], shape)
    d, beta, t = _impact(sin_lat, cos_lat, alpha, phi, v, r, omega)
    return _Outline(alpha, phi, beta, d, t)


def _on_outline(ol: _Outline, query):
    """Where a ray from the site at each query azimuth meets the outline: (d, t, α, φ).

    The outline is a closed polyline in (β, d): segment i joins point i to i + 1, the last
    joining back to the first. Each segment covers the azimuths between its ends (taken the
    short way round). Below the orbital threshold every ray meets the outline once; above it
    the outline winds about near the antipode and a ray can meet it several times, and the
    nearest crossing is taken: the edge of the area covered without a gap from the site.
    Launch azimuth, flight-path angle and time are interpolated along the chosen segment.
    Outline arrays have shape (..., n), query (..., m); results have the shape of query.
    """
    step = _TWO_PI / ol.alpha.shape[-1]

    def ends(x):                              # (start, end) of each segment, as (..., 1, n)
        return x[..., None, :], np.roll(x, -1, axis=-1)[..., None, :]

    b0, b1 = ends(ol.beta)
    span = _wrap(b1 - b0)
    off = _wrap(query[..., :, None] - b0)                        # (..., m, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(span != 0.0, off / span, np.where(off == 0.0, 0.0, -1.0))
    covered = (frac >= 0.0) & (frac <= 1.0)
    frac = np.clip(frac, 0.0, 1.0)
    d0, d1 = ends(ol.d)
    d = np.where(covered, d0 + frac * (d1 - d0), np.inf)
    best = np.argmin(d, axis=-1)[..., None]
    lost = ~covered.any(axis=-1)
    if lost.any():
        # A query no segment covers (not seen in practice): use the nearest outline point.
        nearest = np.argmin(np.abs(off), axis=-1)[..., None]
        best = np.where(lost[..., None], nearest, best)
        frac = np.where(lost[..., None], 0.0, frac)
        d = np.where(lost[..., None], np.broadcast_to(d0, d.shape), d)

    def pick(x):
        return np.take_along_axis(np.broadcast_to(x, frac.shape), best, axis=-1)[..., 0]

    f = pick(frac)
    t0, t1 = ends(ol.t)
    p0, p1 = ends(ol.phi)
    return (
        pick(d),
        pick(t0) + f * (pick(t1) - pick(t0)),
        pick(ol.alpha[..., None, :]) + f * step,
        pick(p0) + f * (pick(p1) - pick(p0)),
    )


def _aim(sin_lat, cos_lat, alpha, phi, v, r, omega, target, iterations=3):
    """Newton's method on the launch azimuth so that the shot lands at ground azimuth `target`.

    The slope dβ/dα (close to 1) is taken once by a finite difference and reused (chord
    method). Returns (α, d, t, ok); ok is False where it did not converge.
    """
    _, b, _ = _impact(sin_lat, cos_lat, alpha, phi, v, r, omega)
    _, b2, _ = _impact(sin_lat, cos_lat, alpha + 1e-6, phi, v, r, omega)
    slope = _wrap(b2 - b) / 1e-6
    slope = np.where(np.abs(slope) > 1e-3, slope, 1.0)
    for _ in range(iterations):
        alpha = alpha - np.clip(_wrap(b - target) / slope, -0.05, 0.05)
        d, b, t = _impact(sin_lat, cos_lat, alpha, phi, v, r, omega)
    return alpha, d, t, np.abs(_wrap(b - target)) < 1e-9


def _refine(sin_lat, cos_lat, v, r, omega, query, alpha0, phi0, half_width=0.05, iterations=22):
    """Exact constrained maximum near the outline estimate: (d, t), d = −inf where it failed.

    The outline is the farthest shot per *launch* azimuth; the reach is the farthest shot per
    *ground* azimuth. They differ slightly because the ground azimuth of a shot moves with its
    flight-path angle (longer flights are turned further by the rotation). So for each query
    azimuth: golden-section search over φ (±3° around the outline's φ), each φ aimed by Newton
    on the launch azimuth (warm-started from the previous aim) to land at the query azimuth.
    """
    state = {"alpha": alpha0}

    def dist(phi):
        alpha, d, t, ok = _aim(sin_lat, cos_lat, state["alpha"], phi, v, r, omega, query)
        state["alpha"] = np.where(ok, alpha, state["alpha"])
        return np.where(ok, d, -np.inf)

    lo = np.clip(phi0 - half_width, _PHI_LO, _PHI_HI)
    hi = np.clip(phi0 + half_width, _PHI_LO, _PHI_HI)
    phi = _best_phi(dist, query.shape, iterations=iterations, lo=lo, hi=hi)
    _, d, t, ok = _aim(sin_lat, cos_lat, state["alpha"], phi, v, r, omega, query, iterations=6)
    return np.where(ok, d, -np.inf), t


def _reach(lat_rad, v, r, omega, query, n_alpha):
    """Reach (rad of arc) at each query azimuth and the flight time (s) of the shot that gets there.

    `v` scalar with `query` (m,), or v (K,) with query (K, m): one speed per row.
    """
    sl, cl = math.sin(lat_rad), math.cos(lat_rad)
    ol = _outline(sl, cl, v, r, omega, n_alpha)
    d_out, t_out, alpha0, phi0 = _on_outline(ol, query)
    vq = np.asarray(v, dtype=float)[..., None] if np.ndim(v) else v
    d_ref, t_ref = _refine(sl, cl, vq, r, omega, query, alpha0, phi0)
    # Both are real shots landing in the query direction; the refinement is a small correction
    # (it moves the point by metres to a few km), not used in the antipodal cap.
    better = (d_ref > d_out) & (d_ref < d_out + 50e3 / _R) & (d_out < np.pi - _CAP)
    return np.where(better, d_ref, d_out), np.where(better, t_ref, t_out)


def _wrap(x):
    """Angle difference into [−π, π)."""
    return np.mod(x + np.pi, _TWO_PI) - np.pi


def _check_site(lat, lon):
    """The launch site's latitude in radians, checked (one home: :func:`geo.core.powered.azimuths._site`)."""
    return _site(lat, lon)


def _azimuths(azimuth_deg) -> np.ndarray:
    return np.radians(np.mod(_num(azimuth_deg, "azimuth", "degrees clockwise from north"), 360.0))


_CHUNK = 512       # query azimuths handled at once (memory: chunk × n_alpha floats per array)


def rotating_reach_km(
    lat,
    lon,
    azimuth_deg,
    nominal_range_km,
    burnout_alt_km=0.0,
    *,
    omega=OMEGA_EARTH_RAD_S,
    n_alpha=720,
) -> np.ndarray:
    """Reach of a missile on the rotating Earth, per ground azimuth, km.

    The nominal range (the non-rotating minimum-energy free-flight range) fixes the burnout speed
    relative to the ground, :func:`speed_for_range`. A shot with that relative speed at launch
    azimuth α and flight-path angle φ gets the ground's eastward velocity ω·r·cos(lat) added in
    an inertial frame, flies the Kepler conic, and comes down where the Earth has turned to
    meanwhile: the inertial impact point turned back west by ω·t. The reach in a ground
    direction β (azimuth from the site to the impact point) is the farthest impact in that
    direction over all launch azimuths and flight-path angles.

    Computation: for 720 launch azimuths a vectorized golden-section search finds the φ of the
    farthest shot; the (ground azimuth, distance) points of these shots trace the outline of
    the reachable area as a closed curve, interpolated linearly at the requested azimuths. Since
    a shot's ground azimuth shifts a little with φ (a longer flight is turned further), each
    result is then polished by a constrained search (golden section over φ, Newton on the launch
    azimuth so that the shot lands exactly at the requested azimuth). Tests check the result
    against a brute-force constrained maximisation to better than 0.1 km.

    Distances are great-circle distances on the model sphere, R·(central angle), the same
    measure as the nominal range, so the reach never exceeds πR ≈ 20,015 km (the antipode).

    Near 20,000 km, and the orbital threshold: when the relative burnout speed plus the
    ground's eastward speed exceeds circular speed, an eastward shot could circle the Earth (see
    :func:`orbital_threshold_km`: from 40°N about 12,650 km nominal, at the equator about
    11,700). Above that threshold the outline winds about near the antipode, where ground
    azimuths are ill-defined, and a ray from the site can cross it several times; the function
    then returns the nearest crossing, the edge of the area covered without a gap. That is
    finite and at most πR in every direction, but within some tens of degrees of due east it can
    understate by up to ~1,500 km the reach of shots that run on close to the antipode. Treat
    results above the threshold as "reaches most of the way round the globe", not as a ring to
    the kilometre. Nominal ranges of πR or more are refused (the speed would be orbital).

    Parameters
    ----------
    lat, lon : float
        Launch site, degrees (the longitude only is checked: on a sphere it does not matter).
    azimuth_deg : float or array_like
        Ground azimuths, degrees clockwise from north.
    nominal_range_km : float
        Non-rotating minimum-energy range of the missile, km, in (0, πR).
    burnout_alt_km : float, optional
        Burnout altitude, km (default 0). The flight ends back at this altitude.
    omega : float, optional
        Rotation rate, rad/s (default Earth's; 0 gives the non-rotating model).
    n_alpha : int, optional
        Launch azimuths sampled (default 720).

    Returns
    -------
    ndarray
        Reach in km, the shape of ``azimuth_deg``.

    Examples
    --------
    Hwasong-14 class (10,400 km nominal) from Sohae: east gains, west loses.

    >>> rotating_reach_km(39.66, 124.705, [90, 270], 10_400).round(-1)
    array([12390.,  9270.])
    >>> rotating_reach_km(39.66, 124.705, [0, 90], 10_400, omega=0.0).round(3)
    array([10400., 10400.])
    """
    lat_rad = _check_site(lat, lon)
    query = _azimuths(azimuth_deg)
    v = float(speed_for_range(nominal_range_km, burnout_alt_km)) * 1e3
    r = _R + float(_altitude(burnout_alt_km)) * 1e3
    omega = float(_num(omega, "omega", "rad/s"))
    flat = query.ravel()
    out = np.empty_like(flat)
    for i in range(0, flat.size, _CHUNK):
        out[i:i + _CHUNK] = _reach(lat_rad, v, r, omega, flat[i:i + _CHUNK], int(n_alpha))[0]
    return out.reshape(query.shape) * _R / 1e3


def rotating_flight_time_min(
    lat,
    lon,
    azimuth_deg,
    range_km,
    nominal_range_km,
    burnout_alt_km=0.0,
    *,
    omega=OMEGA_EARTH_RAD_S,
    n_alpha=720,
):
    """Free-flight time to a target on the rotating Earth, minutes (minimum energy).

    The target is at ground distance ``range_km`` and ground azimuth ``azimuth_deg`` from the
    site. The missile is assumed to fly the minimum-energy shot to it: the lowest burnout speed
    (relative to the ground) whose rotating-Earth reach in that direction is exactly the target
    distance, found by iterating on that speed; the time is that shot's free-flight time. The
    missile's own nominal range is used only to check that the target is within its reach.
    Boost is not included; add :func:`boost_time_min`. Above :func:`orbital_threshold_km` the
    reach near the antipode is approximate (see :func:`rotating_reach_km`), and so is the time.

    Parameters
    ----------
    lat, lon : float
        Launch site, degrees.
    azimuth_deg, range_km : float or array_like
        Targets: ground azimuth (degrees) and distance (km), broadcast together.
    nominal_range_km : float
        Non-rotating range of the missile, km.
    burnout_alt_km : float, optional
        Burnout altitude, km.
    omega : float, optional
        Rotation rate, rad/s (default Earth's).
    n_alpha : int, optional
        Launch azimuths sampled per target (default 720, as :func:`rotating_reach_km`).

    Returns
    -------
    float or ndarray
        Minutes (free flight only).

    Raises
    ------
    InputError
        For a target beyond the missile's reach in its direction, or bad input.

    Examples
    --------
    >>> round(rotating_flight_time_min(39.66, 124.705, 47.65, 9_600, 10_400), 1)    # toward LA
    31.4
    >>> round(rotating_flight_time_min(0, 0, 90, 10_000, 13_000, omega=0.0), 1)    # = flight_time_min
    32.2
    """
    lat_rad = _check_site(lat, lon)
    az = _azimuths(azimuth_deg)
    dist = _positive(range_km, "target distance", "km")
    az, dist = np.broadcast_arrays(az, dist)
    h = float(_altitude(burnout_alt_km))
    r = _R + h * 1e3
    omega = float(_num(omega, "omega", "rad/s"))
    v_nom = float(speed_for_range(nominal_range_km, h)) * 1e3
    n_alpha = int(n_alpha)
    flat_az, flat_d = az.ravel(), dist.ravel() * 1e3 / _R      # target central angles

    def reach_and_time(v):
        """Reach (rad) and time (s) toward each target azimuth, one speed per target."""
        reach, time = _reach(lat_rad, v, r, omega, flat_az[:, None], n_alpha)
        return reach[:, 0], time[:, 0]

    reach_nom, _ = reach_and_time(np.full(flat_az.shape, v_nom))
    beyond = flat_d > reach_nom + 1.0 / _R          # more than a metre beyond
    if beyond.any():
        i = np.flatnonzero(beyond)[0]
        raise InputError(
            f"target {flat_d[i] * _R / 1e3:,.0f} km away at azimuth {math.degrees(flat_az[i]):.1f}° is beyond this "
            f"missile's reach there ({reach_nom[i] * _R / 1e3:,.0f} km): give a longer nominal range or a nearer target"
        )
    # Iterate the nominal-range parameter: reach grows about in proportion to it.
    nominal = np.minimum(float(nominal_range_km) * flat_d / reach_nom, float(nominal_range_km))
    for _ in range(60):
        v = np.asarray(speed_for_range(nominal, h)) * 1e3
        reach, time = reach_and_time(v)
        if np.all(np.abs(reach - flat_d) * _R < 1.0):        # within a metre
            break
        nominal = np.clip(nominal * flat_d / reach, 1e-6, float(nominal_range_km))
    return _out((time / 60.0).reshape(az.shape))


def orbital_threshold_km(lat, burnout_alt_km=0.0):
    """Nominal range above which a due-east shot from latitude `lat` is orbital, km.

    A missile whose burnout speed relative to the ground is v gets, fired east, an inertial
    speed up to v + ω·r·cos(lat). Once that reaches circular speed √(μ/r) it could circle the
    Earth, and :func:`rotating_reach_km` becomes approximate near the antipode. This returns
    the nominal (non-rotating) range of the speed v = √(μ/r) − ω·r·cos(lat).

    Parameters
    ----------
    lat : float or array_like
        Latitude, degrees.
    burnout_alt_km : float, optional
        Burnout altitude, km.

    Returns
    -------
    float or ndarray
        km.

    Examples
    --------
    >>> [round(orbital_threshold_km(x), -1) for x in (0, 40, 90)]
    [11720.0, 12670.0, 20020.0]
    """
    from ..geodesy import check_lat

    lat = np.radians(np.asarray(check_lat(lat), dtype=float))
    r = _R + _altitude(burnout_alt_km) * 1e3
    v = np.sqrt(_MU / r) - OMEGA_EARTH_RAD_S * r * np.cos(lat)
    psi = _max_range_angle(np.minimum(_q(v, r), 1.0))
    return _out(_R * psi / 1e3)


# ---------------------------------------------------------------------------------------------
# The API the analysis layer calls: reach per azimuth with the near-orbital flag, flight times
# ---------------------------------------------------------------------------------------------

#: Reach models: "powered" (powered flight + Kepler coast, rotating Earth) and "kepler" (the
#: closed-form rotating model of :func:`rotating_reach_km`, burnout on the ground).
REACH_MODELS = ("powered", "kepler")

#: One line per model, for captions and notes.
MODEL_LINES = {
    "geodesic": "WGS84 geodesic (Karney); nominal range on a non-rotating Earth",
    "kepler": "closed-form Kepler free flight over a rotating sphere, burnout on the ground at the launch site",
    "powered": powered.MODEL_LINE + "; missile class calibrated to the nominal range",
    "flight time": "the class missile on its maximum-range pitch programme, its thrust cut off so that the "
                   "Kepler coast lands on the target (at the edge of the reach: its maximum-range shot)",
    "simple": "lofted test -> standard trajectory: Kepler conic through burnout on the ground and the apogee",
    "gravity-loss": "simple model plus a gravity-loss credit for the flatter boost (burn time assumed)",
}


def rotating_reach(lat, lon, azimuth_deg, nominal_range_km, *, model="powered",
                   omega=OMEGA_EARTH_RAD_S, n_alpha=None) -> Reach:
    """Reach per ground azimuth on the rotating Earth, with the near-orbital flag, km.

    Parameters
    ----------
    lat, lon : float
        Launch site, degrees.
    azimuth_deg : float or array_like
        Ground azimuths, degrees clockwise from north.
    nominal_range_km : float
        The missile's maximum range on a non-rotating Earth, km, in (0, πR).
    model : {"powered", "kepler"}
        ``"powered"`` (default): :func:`geo.core.powered.reach`, the class missile flown through
        its boost over the rotating Earth (about 0.2 s for one site and range; cached).
        ``"kepler"``: :func:`rotating_reach_km`, burnout on the ground; it does not bound the
        range at or above :func:`orbital_threshold_km`, and says so there.
    omega : float, optional
        Rotation rate, rad/s.
    n_alpha : int, optional
        Launch azimuths flown (default 180 powered, 720 kepler).

    Returns
    -------
    Reach
        ``reach_km`` (inf where near orbital), ``near_orbital`` (bool), ``model``.

    Examples
    --------
    >>> r = rotating_reach(39.66, 124.705, [47.65, 270], 10_400)
    >>> r.reach_km.round(-1), r.near_orbital, r.model
    (array([11980.,  8990.]), array([False, False]), 'powered')
    >>> r = rotating_reach(39.02, 125.74, [45, 90], 15_000)             # 15,000 km class from Pyongyang
    >>> r.near_orbital, r.reach_km.round(-2), r.beyond_km.round(-2)   # due east: near orbital
    (array([False,  True]), array([17800.,    inf]), array([17800.,    inf]))
    >>> round(float(rotating_reach(39.66, 124.705, 47.65, 10_400, model="kepler").reach_km), -1)
    11470.0
    """
    if model not in REACH_MODELS:
        raise InputError(f"reach model {model!r} is unknown: use one of {', '.join(REACH_MODELS)}")
    if model == "powered":
        return powered.reach(lat, lon, azimuth_deg, nominal_range_km, omega=omega, n_alpha=n_alpha or powered.N_ALPHA)
    az = np.mod(_num(azimuth_deg, "azimuth", "degrees clockwise from north"), 360.0)
    nominal = float(_ground_range(nominal_range_km, "nominal range"))
    unbounded = nominal >= float(orbital_threshold_km(lat)) if omega else False
    if unbounded:
        _check_site(lat, lon)
        return Reach(az, np.full(az.shape, np.inf), np.ones(az.shape, bool), "kepler", None)
    km = rotating_reach_km(lat, lon, az, nominal, omega=omega, n_alpha=n_alpha or 720)
    return Reach(az, np.asarray(km, dtype=float), np.zeros(az.shape, bool), "kepler", None)


def near_orbital(lat, lon, azimuth_deg, nominal_range_km, *, model="powered", omega=OMEGA_EARTH_RAD_S):
    """True where the model does not bound the range in that direction (see :func:`rotating_reach`).

    >>> near_orbital(39.02, 125.74, [90, 270], 10_400).tolist()
    [False, False]
    """
    return rotating_reach(lat, lon, azimuth_deg, nominal_range_km, model=model, omega=omega).near_orbital
