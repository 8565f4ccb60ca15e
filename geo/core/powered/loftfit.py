"""Lofted tests in the powered-flight model: a vehicle fitted to an observed apogee and ground range.

:func:`fit_loft` fits the total speed gain and the lofted pitch programme of a missile of the
class structure so that it reproduces a test's apogee at its ground range, then flies the same
missile for maximum range; :func:`speed_gain_share` says what share of that speed gain a
given range needs.

Examples
--------
>>> fit = fit_loft(2111.5, 787, burn_time_s=150, stages=1)
>>> fit.vehicle.name, len(fit.vehicle.stages), fit.max_range.near_orbital
('fitted missile', 1, False)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ...errors import InputError
from .calibration import _calibrate
from .flight import _R, _THETA_HI, EARTH_RADIUS_KM, NEAR_ANTIPODE_KM, OMEGA_EARTH_RAD_S, _shots, _thrust
from .trajectories import MaxRange, _burnout_facts, max_range
from .vehicle import Vehicle, _finite, _stages

__all__ = [
    "LoftFit",
    "fit_loft",
    "speed_gain_share",
]


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
