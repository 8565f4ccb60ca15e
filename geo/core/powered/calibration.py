"""The class missile for a nominal range: its speed gain calibrated to fly that range, kept between runs.

:func:`class_vehicle` builds the missile of the assumed class figures
(:data:`geo.core.powered.vehicle.CLASS_ASSUMPTIONS`) whose longest shot on a non-rotating Earth
flies exactly the nominal range: the total ideal speed gain is searched (a bracket, then secant
steps). A calibration is kept in memory and in the file :data:`CALIBRATION_CACHE` of the user's
cache folder, so a later run does not fly the search again.

Examples
--------
>>> v = class_vehicle(10_400)
>>> v.name, len(v.stages)
('10,400 km class', 2)
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ...errors import InputError
from .flight import _R, _THETA_HI, _THETA_LO, EARTH_RADIUS_KM, _max_travel, _shots, _thrust, _travel_range
from .vehicle import CLASS_ASSUMPTIONS, Vehicle, _class_stages, _finite

__all__ = [
    "CALIBRATION_CACHE",
    "class_vehicle",
]


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


#: Calibrations are kept between runs in this file of the user's cache folder
#: (:func:`geo.core.cache.cache_dir`); the name carries a version, so a change to the model's
#: assumptions starts a new file.
CALIBRATION_CACHE = "class-vehicles-v2.json"
#: The layout of that file: ``{"schema": CALIBRATION_SCHEMA, "4500.0": [Δv, θ], …}`` (a file without
#: "schema" is of the same layout, written by an older version; every entry is checked all the same).
CALIBRATION_SCHEMA = 1
#: A calibration file larger than this (bytes) is not read: it cannot be ours (256 entries are ~15 kB).
_MAX_FILE_BYTES = 1 << 20
#: A stored Δv (km/s) outside this interval cannot come from :func:`_calibrate`.
_DV_BOUNDS = (1e-3, 12.0)
#: A stored calibration is used only when its shot, flown again, lands this close to the nominal range (m).
_REFLY_TOLERANCE_M = 1.0


def _calibration_file():
    from ..cache import cache_dir

    return cache_dir() / CALIBRATION_CACHE


def _read_table() -> dict:
    """The stored calibrations ``{key: [Δv, θ]}``; {} for a missing, huge, damaged or foreign file."""
    import json

    path = _calibration_file()
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            return {}
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):        # UnicodeDecodeError is a ValueError
        return {}
    if not isinstance(doc, dict) or doc.get("schema", CALIBRATION_SCHEMA) != CALIBRATION_SCHEMA:
        return {}
    return {k: v for k, v in doc.items() if k != "schema" and _plausible(v)}


def _plausible(value) -> bool:
    """True for ``[Δv, θ]``: two finite numbers within the bounds :func:`_calibrate` can give.

    >>> _plausible([6.68, 0.61]), _plausible([float("nan")] * 2), _plausible([1e9, 0.5]), _plausible([0, 0])
    (True, False, False, False)
    """
    if not (isinstance(value, list) and len(value) == 2):
        return False
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value):
        return False
    dv, theta = (float(x) for x in value)
    return (math.isfinite(dv) and math.isfinite(theta) and _DV_BOUNDS[0] <= dv <= _DV_BOUNDS[1]
            and _THETA_LO <= theta <= _THETA_HI)


def _refly_km(nominal_km: float, dv: float, theta: float) -> float:
    """Range flown (km, non-rotating) by the class missile of speed gain `dv` at final pitch `theta`."""
    shots = _shots(0.0, 1.0, np.array([0.0]), np.array([theta]), _thrust([_class_stages(nominal_km, dv)]), 0.0)
    return float(_travel_range(shots)[0]) * EARTH_RADIUS_KM


def _stored_calibration(nominal_km: float):
    """(Δv, θ) of an earlier run's calibration for `nominal_km`, or None when there is none or any doubt.

    A stored entry must be plausible (:func:`_plausible`), and its shot is flown again: it must
    land within :data:`_REFLY_TOLERANCE_M` of the nominal range (a few ms; once per range and process).
    """
    value = _read_table().get(repr(float(nominal_km)))
    if value is None:
        return None
    dv, theta = float(value[0]), float(value[1])
    flown = _refly_km(nominal_km, dv, theta)
    if not (math.isfinite(flown) and abs(flown - nominal_km) * 1e3 <= _REFLY_TOLERANCE_M):
        return None
    return dv, theta


def _store_calibration(nominal_km: float, dv: float, theta: float) -> None:
    """Keep a calibration for later runs (best effort: a read-only or full disk only costs time).

    The file is rewritten whole under a temporary name of this process
    (:func:`geo.core.cache.temp_path`), keeping only the plausible entries of the old one.
    """
    import json
    import os

    from ..cache import clean_stale, temp_path

    path = _calibration_file()
    tmp = None
    try:
        table = _read_table()
        table[repr(float(nominal_km))] = [float(dv), float(theta)]
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path.parent, legacy=True)
        tmp = temp_path(path.parent)
        with open(tmp, "x", encoding="utf-8") as f:
            json.dump({"schema": CALIBRATION_SCHEMA, **table}, f)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
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
    >>> len(v.stages), round(v.stages[0].burn_time_s, 1), round(v.delta_v_kms, 2)
    (1, 173.8, 6.68)
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
