"""Ballistic free flight over a spherical Earth: range, speed, flight time, lofted tests, rotation.

The model is Keplerian free flight of a point mass in vacuum (Bate, Mueller & White,
*Fundamentals of Astrodynamics*, 1971, chapter 6) over a sphere of the mean Earth radius
R = 6371.0088 km with μ = 398,600.4418 km³/s². The trajectory starts at burnout, at the launch
site and at ``burnout_alt_km`` above it, and ends when the conic comes back down to the same
radius (the symmetric free-flight arc): ranges are the free-flight ground range R·Ψ, flight
times are free-flight times. Powered flight, re-entry below burnout altitude and the atmosphere
are left out; :func:`boost_time_min` gives a rough powered-flight duration to add to times.

Units: SI (m, m/s, s, rad) inside; kilometres, km/s, degrees and minutes at the public surface.

This package re-exports the public names of its modules, one module per part:

* :mod:`~geo.core.ballistics.freeflight` - :func:`free_flight`, :func:`max_range`,
  :func:`speed_for_range`, :func:`flight_time_min`, :func:`boost_time_min`: the textbook
  formulas on a non-rotating Earth (``Q = v²r/μ``, minimum-energy trajectory).
* :mod:`~geo.core.ballistics.loft` - :func:`loft_range`: the range a missile flown on a lofted
  test would reach on a standard (minimum-energy) trajectory.
* :mod:`~geo.core.ballistics.comparison` - :func:`comparison_table`, :func:`flight_time_checks`:
  the models against published estimates and observed flights.
* :mod:`~geo.core.ballistics.rotating` - :func:`rotating_reach_km`,
  :func:`rotating_flight_time_min`, :func:`rotating_reach`: the same missile on a rotating
  Earth: the reach depends on the direction of fire (east gains, west loses).
* :mod:`~geo.core.ballistics.flighttime` - :func:`flight_time`: the boost to thrust cut-off plus the coast to a target.

>>> from geo.core.ballistics import max_range, speed_for_range
>>> round(max_range(7.0).range_km)                 # a 7 km/s burnout on the surface
8910
>>> round(speed_for_range(10_400), 3)              # burnout speed for a 10,400 km missile
7.262
"""

import importlib

# Loaded on first use, like :mod:`geo`: importing one module of the package (the CLI's loft
# command reads its bounds from :mod:`.loft` on every command line) must not load them all.
_MODULE_OF = {
    "TEST_LAUNCH": "comparison",
    "ComparisonRow": "comparison",
    "FlightTimeCheck": "comparison",
    "comparison_table": "comparison",
    "flight_time_checks": "comparison",
    "FlightTime": "flighttime",
    "flight_time": "flighttime",
    "CUTOFF_TRAJECTORY": "flighttime",
    "EARTH_RADIUS_KM": "freeflight",
    "HALF_CIRCUMFERENCE_KM": "freeflight",
    "MU_KM3_S2": "freeflight",
    "OMEGA_EARTH_RAD_S": "freeflight",
    "FreeFlight": "freeflight",
    "boost_time_min": "freeflight",
    "flight_time_min": "freeflight",
    "free_flight": "freeflight",
    "max_range": "freeflight",
    "speed_for_range": "freeflight",
    "LoftEstimate": "loft",
    "loft_range": "loft",
    "MODEL_LINES": "rotating",
    "REACH_MODELS": "rotating",
    "Reach": "rotating",
    "near_orbital": "rotating",
    "orbital_threshold_km": "rotating",
    "rotating_flight_time_min": "rotating",
    "rotating_reach": "rotating",
    "rotating_reach_km": "rotating",
}

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
    "LoftEstimate",
    "loft_range",
    "ComparisonRow",
    "comparison_table",
    "FlightTimeCheck",
    "flight_time_checks",
    "TEST_LAUNCH",
    "rotating_reach_km",
    "rotating_flight_time_min",
    "orbital_threshold_km",
    "boost_time_min",
    "REACH_MODELS",
    "Reach",
    "rotating_reach",
    "near_orbital",
    "FlightTime",
    "flight_time",
    "CUTOFF_TRAJECTORY",
    "MODEL_LINES",
]


def __getattr__(name):
    if name in _MODULE_OF:
        value = getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
