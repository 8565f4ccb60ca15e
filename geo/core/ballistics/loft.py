"""Lofted test -> range on a standard (minimum-energy) trajectory.

A lofted test flies steeply up and comes down a short way off; :func:`loft_range` turns its
apogee and ground range into the range the same missile would reach on a minimum-energy
trajectory, with three models: "simple" (the Kepler conic through burnout on the ground and
the apogee), "gravity-loss" (plus a gravity-loss credit for the flatter boost, burn time
assumed) and "powered" (:func:`geo.core.powered.fit_loft`, the missile flown through its boost).

See Also
--------
geo.core.ballistics.comparison : the models against published estimates for real tests.

Examples
--------
>>> round(loft_range(2111.5, 787).range_km)         # Hwasong-12, 14 May 2017
4356
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ...errors import InputError
from .. import powered
from .freeflight import (
    _MU,
    _R,
    _altitude,
    _flight_time,
    _ground_range,
    _max_range_angle,
    _min_energy_phi,
    _num,
    _positive,
    _q,
)

__all__ = ["LoftEstimate", "loft_range", "check_burn_time", "typical_burn", "TypicalBurn", "TYPICAL_BURNS",
           "MAX_APOGEE_KM", "BURN_TIME_RANGE_S", "MAX_FLIGHT_TIME_MIN"]

_G0 = 9.80665                       # m/s², standard gravity (gravity-loss model)

#: Highest apogee accepted, km: beyond it a flight is no ballistic test (a near-vertical shot is
#: orbital from about 6,400 km up; a tenth of the way to the Moon is a space launch).
MAX_APOGEE_KM = 40_000.0
#: Burn times accepted by the powered-flight model (and, in ``rangemap loft``, the gravity-loss
#: model), s: below 20 s no missile reaches a lofted test's speed (the fit asks for tens of
#: thousands of kN for seconds), above 900 s no ballistic missile burns (an ICBM's boost is
#: 3-5 min); the powered-flight model's integration work grows with the burn time.
BURN_TIME_RANGE_S = (20.0, 900.0)
#: Longest observed flight time accepted, minutes: a ballistic flight short of orbit comes down
#: within about an hour and a half (the Hwasong-17's 2022 loft took 67.5 min).
MAX_FLIGHT_TIME_MIN = 600.0


class TypicalBurn(NamedTuple):
    """The class-typical boost assumed for a lofted test when no burn time is given."""

    #: Burn time, s.
    burn_time_s: float
    #: Stages (1 or 2).
    stages: int
    #: The class, in words.
    name: str


#: Class-typical burn times (round figures for liquid-propellant classes, not published values for
#: any missile; see docs/ballistics-comparison.md), by the simple model's range estimate (km, the
#: class's lower bound): the README's lofted-test table assumes exactly these.
TYPICAL_BURNS = ((0.0, TypicalBurn(150.0, 1, "single-stage liquid IRBM")),
                 (5_000.0, TypicalBurn(240.0, 2, "two-stage liquid ICBM")),
                 (15_000.0, TypicalBurn(300.0, 2, "large two-stage liquid ICBM")))


def typical_burn(simple_range_km: float | None) -> TypicalBurn:
    """The class-typical boost for a test whose simple-model range is `simple_range_km` (None or inf:
    the simple conic is orbital, the largest class).

    >>> typical_burn(4356.0), typical_burn(9983.0).burn_time_s, typical_burn(None).burn_time_s
    (TypicalBurn(burn_time_s=150.0, stages=1, name='single-stage liquid IRBM'), 240.0, 300.0)
    """
    km = math.inf if simple_range_km is None else float(simple_range_km)
    return [burn for low, burn in TYPICAL_BURNS if km >= low][-1]


class LoftEstimate(NamedTuple):
    """Range on a minimum-energy trajectory inferred from a lofted test."""

    #: Free-flight ground range of the minimum-energy trajectory, km.
    range_km: float
    #: "simple" or "gravity-loss".
    model: str
    #: Burnout speed used on the standard trajectory, km/s (lofted speed + gravity-loss Δv).
    burnout_speed_kms: float
    #: Apogee altitude of the test, km (input).
    apogee_km: float
    #: Ground range of the test, km (input).
    ground_range_km: float
    #: Burnout altitude assumed, km (input).
    burnout_alt_km: float
    #: Q of the standard trajectory.
    Q: float
    #: Flight-path angle of the standard (minimum-energy) trajectory, degrees.
    standard_flight_path_deg: float
    #: Burnout speed of the lofted test, km/s (from the conic through burnout and apogee).
    loft_speed_kms: float
    #: Burnout flight-path angle of the lofted test, degrees.
    loft_flight_path_deg: float
    #: Extra speed the lofted flight lost to gravity during boost, km/s (0 for "simple").
    gravity_loss_kms: float
    #: Powered-flight time used by the gravity-loss model, s (None if not given).
    burn_time_s: float | None
    #: Free-flight time of the model's lofted conic, minutes.
    model_time_min: float
    #: Observed flight time given by the caller, minutes (None if not given).
    observed_time_min: float | None
    #: observed − model flight time, minutes (None without an observed time).
    time_diff_min: float | None
    #: One line saying what was computed.
    description: str
    #: The powered-flight fit (model "powered" only): fitted vehicle, lofted and maximum-range flights.
    fit: "powered.LoftFit | None" = None
    #: Latitude and azimuth (degrees) the test was fitted flying from over the rotating Earth
    #: (model "powered" with ``launch_lat``); None: fitted on a non-rotating Earth.
    launch: "tuple[float, float] | None" = None

    @property
    def fitted_on(self) -> str:
        """Which Earth the test was fitted on, e.g. "a non-rotating Earth".

        >>> loft_range(2111.5, 787).fitted_on
        'a non-rotating Earth'
        """
        if self.launch is None:
            return "a non-rotating Earth"
        lat, az = self.launch
        return f"the rotating Earth, flying from {abs(lat):.1f}°{'N' if lat >= 0 else 'S'} toward {az % 360.0:g}°"


def check_burn_time(burn_time_s) -> float:
    """`burn_time_s` as a float if it lies in :data:`BURN_TIME_RANGE_S`, else :class:`~geo.errors.InputError`.

    Examples
    --------
    >>> check_burn_time(240)
    240.0
    >>> check_burn_time(5)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: burn time 5 s is outside 20-900 s, the powered flight of a ballistic missile: give the burn time in seconds
    """
    burn = float(_positive(burn_time_s, "burn time", "s"))
    lo, hi = BURN_TIME_RANGE_S
    if not lo <= burn <= hi:
        raise InputError(f"burn time {burn:g} s is outside {lo:g}-{hi:g} s, the powered flight of a ballistic "
                         "missile: give the burn time in seconds")
    return burn


def _loft_conic(apogee_km: float, ground_range_km: float, h_km: float):
    """Q, burnout flight-path angle (rad) and burnout radius (m) of the conic through burnout and apogee.

    With burnout at radius r and true anomaly ν₁ = π − Ψ/2, apogee radius r_a at ν = π:
    r(1 + e cos ν₁) = r_a(1 − e) gives e = (r_a − r)/(r_a − r cos(Ψ/2)); a = r_a/(1 + e);
    then v² = μ(2/r − 1/a), i.e. Q = 2 − r/a.
    """
    r = _R + h_km * 1e3
    ra = _R + apogee_km * 1e3
    half = ground_range_km * 1e3 / _R / 2.0
    e = (ra - r) / (ra - r * math.cos(half))
    a = ra / (1.0 + e)
    q = 2.0 - r / a
    # tan φ = e sin ν₁ / (1 + e cos ν₁) with ν₁ = π − Ψ/2.
    phi = math.atan2(e * math.sin(half), 1.0 - e * math.cos(half))
    return q, phi, r


def _sin_mean_gamma(phi_bo):
    """sin of the average flight-path angle during boost, γ̄ = (90° + φ_bo)/2.

    The missile lifts off vertically and pitches over to the burnout angle φ_bo; with the angle
    falling about linearly in time its average is the midpoint.
    """
    return math.sin((math.pi / 2.0 + phi_bo) / 2.0)


def _gravity_loss_speed(v_loft, phi_loft, burn_time_s, r):
    """Standard-trajectory burnout speed with the gravity-loss correction, by fixed-point iteration.

    Returns (v_std, Δv, q_std, psi_std). Raises nothing: q_std may come out >= 1.
    """
    psi = _max_range_angle(min(_q(v_loft, r), 0.999999))
    v_std = v_loft
    for _ in range(100):
        phi_std = _min_energy_phi(psi)
        dv = _G0 * burn_time_s * (_sin_mean_gamma(phi_loft) - _sin_mean_gamma(phi_std))
        v_std = v_loft + dv
        q = _q(v_std, r)
        if q >= 1.0:
            return v_std, dv, q, math.nan
        new_psi = float(_max_range_angle(q))
        if abs(new_psi - psi) * _R < 1e-3:       # converged to a millimetre
            psi = new_psi
            break
        psi = new_psi
    return v_std, dv, q, psi


_MODELS = ("simple", "gravity-loss", "powered")


def loft_range(
    apogee_km,
    ground_range_km,
    *,
    time_min=None,
    burn_time_s=None,
    burnout_alt_km=0.0,
    model="simple",
    stages=2,
    launch_lat=None,
    launch_azimuth_deg=90.0,
) -> LoftEstimate:
    """Range on a minimum-energy trajectory of a missile seen on a lofted test.

    **simple**: the symmetric conic through burnout (at the launch site, ``burnout_alt_km`` up)
    and the observed apogee, with the whole observed ground range taken as free flight (range
    angle Ψ = ground range / R), fixes e and a; v² = μ(2/r − 1/a) gives Q, and the maximum-range
    formula sin(Ψmax/2) = Q/(2 − Q) gives the range. It ignores that the same missile loses
    less speed to gravity on a flat trajectory, so it understates long-range missiles.

    **gravity-loss**: during powered flight gravity takes g·sin γ off the speed every second
    (γ: flight-path angle). A lofted flight stays steep, so it loses more speed than the same
    missile on a standard trajectory. Model: the missile lifts off vertically and pitches over
    about linearly in time to its burnout angle φ_bo, so its average flight-path angle during
    the boost is γ̄ = (90° + φ_bo)/2. The standard trajectory is credited with

        Δv = g₀ · t_burn · (sin γ̄_loft − sin γ̄_std),

    added to the lofted burnout speed. φ_std = (180° − Ψ)/4 depends on the resulting range Ψ,
    so Δv and Ψ are iterated to a fixed point (a few steps). Constant g₀ = 9.80665 m/s²
    slightly overstates the loss at altitude; drag, and thrust lost to steering, are ignored.
    The result is sensitive to the burn time, which must be assumed; near Q = 1 the range is
    very sensitive to any speed error. Needs ``burn_time_s``.

    **powered**: the powered-flight model (:func:`geo.core.powered.fit_loft`): a one- or two-stage
    missile with the given (assumed) burn time is fitted, total speed gain and final pitch of
    the lofted programme, so that its flight reaches the observed apogee at the observed ground
    range; the same missile is then flown on the programme that maximises range on a
    non-rotating Earth. Burnout is wherever the boost ends (no ``burnout_alt_km``). With
    ``launch_lat`` the test is flown over the rotating Earth from that latitude toward
    ``launch_azimuth_deg``. Where the fitted missile reaches orbital speed on a flat trajectory
    the range is ``inf`` and the description says "near orbital: this model does not bound the
    range". Needs ``burn_time_s``.

    Bounds: the apogee is at most :data:`MAX_APOGEE_KM` (40,000 km), the observed time at most
    :data:`MAX_FLIGHT_TIME_MIN` (600 minutes), the powered model's burn time within
    :data:`BURN_TIME_RANGE_S` (20-900 s; the gravity-loss model computes any positive burn time,
    ``rangemap loft`` holds it to the same bounds). Every number returned is finite except a
    near-orbital ``range_km`` (``inf``, powered model only).

    Parameters
    ----------
    apogee_km : float
        Observed apogee altitude, km, in (0, 40,000].
    ground_range_km : float
        Observed ground range of the test, km.
    time_min : float, optional
        Observed flight time, minutes, in (0, 600]: reported against the model's own free-flight time of the
        lofted conic as a consistency check (nothing is fitted to it). The observed time also
        contains the boost, so it should exceed the model's by roughly a minute or two.
    burn_time_s : float, optional
        Powered-flight duration, s (required by the gravity-loss and powered models; 20-900 s for
        the powered model).
    burnout_alt_km : float, optional
        Burnout altitude, km (default 0: burnout at the launch site on the ground).
    model : {"simple", "gravity-loss", "powered"}
        Which estimate.
    stages : {1, 2}
        Stages of the missile (model "powered" only).
    launch_lat, launch_azimuth_deg : float, optional
        Latitude and azimuth (degrees clockwise from north, within ±360) of the test launch:
        the test is fitted over the rotating Earth (model "powered" only; default: no latitude,
        a non-rotating Earth). The maximum range is still on a non-rotating Earth.

    Returns
    -------
    LoftEstimate

    Raises
    ------
    InputError
        Apogee or range <= 0, apogee above 40,000 km or not above burnout, range of half the
        globe or more, an observed time above 600 minutes, unknown model, gravity-loss or powered
        without a burn time, a powered burn time outside 20-900 s, a launch site with another
        model than "powered", or figures implying an orbital speed.

    Examples
    --------
    Hwasong-12, 14 May 2017 (apogee 2,111.5 km, range 787 km; published estimate ~4,500 km):

    >>> est = loft_range(2111.5, 787, time_min=30)
    >>> round(est.range_km), round(est.burnout_speed_kms, 2), round(est.model_time_min, 1)
    (4356, 5.61, 27.9)
    >>> est.description
    'simple model: apogee 2111.5 km at 787 km -> burnout 5.61 km/s at 82.9° -> standard range 4,356 km (Q=0.502); model flight time 27.9 min vs observed 30 min (+2.1 min)'
    >>> round(loft_range(2111.5, 787, model="gravity-loss", burn_time_s=150).range_km)
    4732
    >>> round(loft_range(2111.5, 787, model="powered", burn_time_s=150, stages=1).range_km, -1)
    4840.0
    >>> loft_range(7000, 1000)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: apogee 7000 km at 1000 km range implies orbital speed (Q=1.05): the minimum-energy model gives no finite range; check the apogee and range
    """
    apogee = float(_positive(apogee_km, "apogee", "km"))
    if apogee > MAX_APOGEE_KM:
        raise InputError(f"apogee {apogee:g} km is above {MAX_APOGEE_KM:,.0f} km, beyond any ballistic test: "
                         "give the apogee altitude in km")
    rng = float(_ground_range(ground_range_km, "ground range"))
    h = float(_altitude(burnout_alt_km))
    if apogee <= h:
        raise InputError(
            f"apogee {apogee:g} km is not above the burnout altitude {h:g} km: give the apogee altitude in km"
        )
    if model not in _MODELS:
        raise InputError(f"model {model!r} is unknown: use 'simple', 'gravity-loss' or 'powered'")
    observed = None if time_min is None else float(_positive(time_min, "flight time", "minutes"))
    if observed is not None and observed > MAX_FLIGHT_TIME_MIN:
        raise InputError(f"flight time {observed:g} minutes is above {MAX_FLIGHT_TIME_MIN:g} minutes, beyond any "
                         "ballistic flight: give the observed flight time in minutes")
    burn = None if burn_time_s is None else float(_positive(burn_time_s, "burn time", "s"))
    if model == "gravity-loss" and burn is None:
        raise InputError("the gravity-loss model needs --burn-time SECONDS (the powered-flight duration)")
    if launch_lat is not None and model != "powered":
        raise InputError(f"a launch latitude applies to the powered-flight model only, not the {model} model: "
                         "use model 'powered' or leave out the launch site")
    if model == "powered":
        if burn is None:
            raise InputError("the powered-flight model needs --burn-time SECONDS (the powered-flight duration)")
        burn = check_burn_time(burn)
        if h:
            raise InputError("the powered-flight model places burnout itself: leave the burnout altitude at 0")
        return _powered_loft(apogee, rng, burn, stages, observed, launch_lat, launch_azimuth_deg)

    q_loft, phi_loft, r = _loft_conic(apogee, rng, h)
    if q_loft >= 1.0:
        raise InputError(
            f"apogee {apogee:g} km at {rng:g} km range implies orbital speed (Q={q_loft:.2f}): "
            "the minimum-energy model gives no finite range; check the apogee and range"
        )
    v_loft = math.sqrt(q_loft * _MU / r)
    model_time = float(_flight_time(q_loft, phi_loft, r)) / 60.0

    if model == "simple":
        v_std, dv, q_std = v_loft, 0.0, q_loft
        psi = float(_max_range_angle(q_std))
    else:
        v_std, dv, q_std, psi = _gravity_loss_speed(v_loft, phi_loft, burn, r)
        if q_std >= 1.0:
            raise InputError(
                f"apogee {apogee:g} km at {rng:g} km range with a {burn:g} s burn implies orbital speed "
                f"(Q={q_std:.2f}) in the gravity-loss model: no finite range; try the simple model or a shorter burn time"
            )

    range_std = _R * psi / 1e3
    if not all(math.isfinite(x) for x in (range_std, v_std, q_std, phi_loft, model_time)):
        raise InputError(f"apogee {apogee:g} km at {rng:g} km is outside what the {model} model computes: "
                         "check the apogee and range")
    diff = None if observed is None else observed - model_time
    text = (
        f"{model} model: apogee {apogee:g} km at {rng:g} km -> burnout {v_loft / 1e3:.2f} km/s at "
        f"{math.degrees(phi_loft):.1f}°"
    )
    if model == "gravity-loss":
        text += f", {dv / 1e3:+.3f} km/s gravity-loss difference over a {burn:g} s burn"
    text += f" -> standard range {range_std:,.0f} km (Q={q_std:.3f})"
    if observed is not None:
        text += f"; model flight time {model_time:.1f} min vs observed {observed:g} min ({diff:+.1f} min)"
    return LoftEstimate(
        range_km=range_std,
        model=model,
        burnout_speed_kms=v_std / 1e3,
        apogee_km=apogee,
        ground_range_km=rng,
        burnout_alt_km=h,
        Q=q_std,
        standard_flight_path_deg=math.degrees(_min_energy_phi(psi)),
        loft_speed_kms=v_loft / 1e3,
        loft_flight_path_deg=math.degrees(phi_loft),
        gravity_loss_kms=dv / 1e3,
        burn_time_s=burn,
        model_time_min=model_time,
        observed_time_min=observed,
        time_diff_min=diff,
        description=text,
    )


def _powered_loft(apogee, rng, burn, stages, observed, launch_lat, launch_azimuth_deg) -> LoftEstimate:
    site = launch = None
    if launch_lat is not None:
        from ..geodesy import check_lat

        lat = float(check_lat(launch_lat))
        az = float(_num(launch_azimuth_deg, "launch azimuth", "degrees clockwise from north"))
        if not -360.0 <= az <= 360.0:
            raise InputError(f"launch azimuth {az:g}° is outside -360..360: give degrees clockwise from north")
        site, launch = (math.radians(lat), math.radians(az)), (lat, az)
    fit = powered.fit_loft(apogee, rng, burn_time_s=burn, stages=stages, time_min=observed, site=site)
    mr = fit.max_range
    r_bo = _R + mr.burnout_alt_km * 1e3
    return LoftEstimate(
        range_km=mr.range_km, model="powered", burnout_speed_kms=mr.burnout_speed_kms, apogee_km=apogee,
        ground_range_km=rng, burnout_alt_km=mr.burnout_alt_km, Q=float(_q(mr.burnout_speed_kms * 1e3, r_bo)),
        standard_flight_path_deg=mr.burnout_flight_path_deg, loft_speed_kms=fit.loft_burnout_speed_kms,
        loft_flight_path_deg=fit.loft_burnout_flight_path_deg,
        gravity_loss_kms=mr.burnout_speed_kms - fit.loft_burnout_speed_kms, burn_time_s=burn,
        model_time_min=fit.time_min, observed_time_min=observed, time_diff_min=fit.time_diff_min,
        description=fit.description, fit=fit, launch=launch)
