"""The trajectories a loft profile shows: a lofted test as the powered-flight model flies it, and the same
missile on its maximum-range trajectory (:mod:`geo.core.powered`, non-rotating Earth).

Computed here, once, so that :func:`geo.outputs.profile.profile_figure` only draws.

Examples
--------
>>> from geo.core.powered import fit_loft
>>> p = loft_profile(fit_loft(2111.5, 787, burn_time_s=150, stages=1))
>>> round(p.loft.apogee_km), round(p.loft.range_km), p.best is not None and p.best.range_km > p.loft.range_km
(2112, 787, True)
"""

from __future__ import annotations

from typing import NamedTuple

from ..core import powered
from ..core.powered import LoftFit, Trajectory
from ..errors import InputError

__all__ = ["LoftProfile", "loft_profile"]


class LoftProfile(NamedTuple):
    """A fitted lofted test and the two flights a profile figure draws."""

    #: The powered-flight fit (:func:`geo.core.powered.fit_loft`).
    fit: LoftFit
    #: The lofted test as the model flies it (at the fitted final pitch).
    loft: Trajectory
    #: The same missile on its maximum-range trajectory; None where the model does not bound the range
    #: (near orbital).
    best: Trajectory | None


def loft_profile(fit: LoftFit) -> LoftProfile:
    """Fly `fit`'s missile on the lofted test's trajectory and on its maximum-range one.

    Parameters
    ----------
    fit : geo.core.powered.LoftFit
        From :func:`geo.core.powered.fit_loft` (or ``loft_range(..., model="powered").fit``).

    Raises
    ------
    geo.errors.InputError
        When `fit` is not a powered-flight fit.
    """
    if not isinstance(fit, LoftFit):
        raise InputError("a profile figure needs a powered-flight fit: use model 'powered' with a burn time")
    loft = powered.trajectory(fit.vehicle, fit.loft_pitch_deg)
    best = None if fit.max_range.near_orbital else powered.trajectory(fit.vehicle)
    return LoftProfile(fit, loft, best)
