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

import logging
import math
from functools import lru_cache

import numpy as np

from ...errors import InputError
from .flight import _R, EARTH_RADIUS_KM, _max_travel
from .vehicle import CLASS_ASSUMPTIONS, Vehicle, _class_stages, _finite

__all__ = [
    "CALIBRATION_CACHE",
    "class_vehicle",
]

#: Progress of slow steps (a calibration takes 0.2-2 s): INFO records, shown by the command line.
_log = logging.getLogger(__name__)


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
CALIBRATION_CACHE = "class-vehicles-v2.json"


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
        _log.info("calibrating the %s km class missile (first use on this machine; kept in the cache)",
                  f"{nominal_km:,.6g}")
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
