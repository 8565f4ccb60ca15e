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

The package holds one module per concern; this module only gathers their public names:
:mod:`~geo.core.powered.vehicle` (stages, vehicles, the class figures),
:mod:`~geo.core.powered.flight` (the integration, the coast, the pitch search),
:mod:`~geo.core.powered.calibration` (the class missile for a nominal range),
:mod:`~geo.core.powered.trajectories` (shots, maximum range, trajectories, the boost profile),
:mod:`~geo.core.powered.azimuths` (reach per ground azimuth on the rotating Earth),
:mod:`~geo.core.powered.cutoff` (flight times: the maximum-range programme with its thrust cut
off to land on a target) and :mod:`~geo.core.powered.loftfit` (vehicles fitted to lofted tests).

Examples
--------
>>> v = class_vehicle(10_400)
>>> round(max_range(v).range_km, 3)                      # calibrated: flies the nominal range
10400.0
>>> [round(s.burn_time_s, 1) for s in v.stages]         # two stages, burn times assumed
[147.5, 98.3]
"""

from __future__ import annotations

from .azimuths import N_ALPHA, Reach, reach
from .calibration import class_vehicle
from .cutoff import CUTOFF_TRAJECTORY, CutoffTimes, cutoff_times
from .flight import MAX_PITCH_DEG, MIN_PITCH_DEG, MODEL_LINE, NEAR_ANTIPODE_KM, PITCH_OVER_SHARE, VERTICAL_RISE_S
from .loftfit import LoftFit, fit_loft, speed_gain_share
from .trajectories import BoostProfile, MaxRange, Shot, Trajectory, boost_profile, fly, max_range, trajectory
from .vehicle import CLASS_ASSUMPTIONS, Stage, Vehicle, make_vehicle

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
    "CutoffTimes",
    "cutoff_times",
    "CUTOFF_TRAJECTORY",
    "MODEL_LINE",
    "N_ALPHA",
]
