"""Flight time to a target inside the reach: the class missile's maximum-range shot with its thrust cut off.

The trajectory flown to a target is that of the class missile (:func:`class_vehicle`) on the
pitch programme of its maximum-range shot, its thrust cut off (thrust termination) at the moment
the coast from where it is lands on the target. Cut off at burnout it is the maximum-range shot
itself, so at the edge of the reach the time is that shot's own time; inside the reach it grows
continuously with the distance. Over the rotating Earth the programmes are those of the farthest
shots of :func:`geo.core.powered.reach` (one per launch azimuth): each is cut off at every
integration step, and the target is found between the launch azimuths whose shots land on its
bearing at its distance.

:func:`cutoff_times` answers for arrays of targets; the tables behind it are kept in memory per
site latitude and nominal range.

Examples
--------
>>> t = cutoff_times([1000.0, 4500.0], 4500)
>>> t.total_s.round(-1).tolist(), t.cutoff_s.round().tolist()
([510.0, 1210.0], [147.0, 174.0])
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .calibration import _class_vehicle, _nominal
from .flight import _R, _TWO_PI, EARTH_RADIUS_KM, NEAR_ANTIPODE_KM, _boost, _coast, _ground, _pitch_times, _thrust

__all__ = ["CutoffTimes", "cutoff_times", "CUTOFF_TRAJECTORY"]

#: What the flight time is the time of, in a few words (for captions and the JSON).
CUTOFF_TRAJECTORY = "maximum-range pitch programme, thrust cut off so the coast lands on the target"

#: Runge-Kutta step of the tables, s: the time between two cut-off moments tabulated (the flight
#: time is interpolated between them: within 0.02 min and 0.3 % of a table at 0.25 s).
_TABLE_STEP_S = 2.0


class CutoffTimes(NamedTuple):
    """Flight times of the cut-off shots landing on targets, s (NaN where no such shot lands)."""

    #: Thrust cut-off (the boost), s after lift-off.
    cutoff_s: np.ndarray
    #: Lift-off to impact, s.
    total_s: np.ndarray


class _Table(NamedTuple):
    """Per programme (row) and cut-off moment (column): where and when its coast lands."""

    d: np.ndarray            # ground distance, rad: non-decreasing along a row, NaN after the last landing
    beta: np.ndarray         # ground azimuth, rad
    total: np.ndarray        # lift-off to impact, s
    cut: np.ndarray          # cut-off moment, s
    edge: np.ndarray         # (rows,) bool: the row's full burn is a point of the reach's edge


def _table_from(sin_lat, cos_lat, alpha, theta, vehicle, omega, edge, cap) -> _Table:
    """Fly the programmes (alpha, theta) with the boost recorded; coast from every recorded moment.

    Shots that land farther than `cap` (rad), go round past the antipode or into orbit end a row."""
    th = _thrust([vehicle.stages])
    *_, samples = _boost(sin_lat, cos_lat, alpha, theta, th, omega, record=True, step=_TABLE_STEP_S)
    t_vert, _ = _pitch_times(th.ends[-1])
    samples = [s for s in samples if s[0] > t_vert]    # a vertical climb comes straight back down: the start knot below
    t = np.array([s[0] for s in samples])                         # (J,)
    r = np.stack([s[1] for s in samples], axis=1)                  # (rows, J, 3)
    v = np.stack([s[2] for s in samples], axis=1)
    pos, coast, _, orbital = _coast(r, v)
    total = t[None, :] + coast
    d, beta = _ground(pos, np.where(orbital, 0.0, total), sin_lat, cos_lat, omega)
    past = (d > math.pi / 2) & (np.cos(beta - alpha[:, None]) < 0)     # round past the antipode
    ok = ~orbital & (np.linalg.norm(r, axis=-1) >= _R - 1.0) & ~past & (d <= cap) & np.isfinite(total)
    ok = np.logical_and.accumulate(ok, axis=1)
    d = np.where(ok, np.fmax.accumulate(np.where(ok, d, -np.inf), axis=1), np.nan)
    # The first knot: lift-off, nothing flown.
    zero = np.zeros((alpha.size, 1))
    first = np.argmax(ok, axis=1)
    b0 = beta[np.arange(alpha.size), first][:, None]
    return _Table(np.hstack([zero, d]), np.hstack([b0, beta]), np.hstack([zero, np.where(ok, total, np.nan)]),
                  np.hstack([zero, np.broadcast_to(t, d.shape)]), edge)


@lru_cache(maxsize=64)
def _flat_table(nominal_km: float) -> _Table:
    """The non-rotating table: one programme, the class missile's maximum-range shot (no bearing to
    lose near the antipode: its shots count all the way)."""
    vehicle, theta = _class_vehicle(nominal_km)
    return _table_from(0.0, 1.0, np.zeros(1), np.array([theta]), vehicle, 0.0, np.ones(1, bool), math.pi)


@lru_cache(maxsize=64)
def _rotating_table(lat_rad: float, nominal_km: float, omega: float, n_alpha: int) -> _Table:
    """The rotating table: the farthest shot of every launch azimuth of the reach."""
    from .azimuths import _boundary

    vehicle, _, _, flagged, _, (alpha, theta) = _boundary(lat_rad, nominal_km, omega, n_alpha)
    # Near the antipode ground bearings fan out: the shots that land there say nothing about a bearing.
    cap = (math.pi * EARTH_RADIUS_KM - NEAR_ANTIPODE_KM) / EARTH_RADIUS_KM
    return _table_from(math.sin(lat_rad), math.cos(lat_rad), alpha, theta, vehicle, omega, ~flagged, cap)


def _wrap(x):
    return np.mod(x + math.pi, _TWO_PI) - math.pi


#: A target this far beyond the reach given still gets the edge's time, rad (1 km).
_EDGE_SLACK = 1.0 / EARTH_RADIUS_KM


def _along_rows(tab: _Table, dist, edge_dist, chunk=256):
    """Per target (rows of the result) and programme: bearing, total time and cut-off where the
    programme's cut-off shots land at the target's distance. Beyond a row's last landing: its
    full burn where that is a point of the reach's edge and the target lies within the reach
    `edge_dist` (rad) toward it (between the boundary points), else NaN."""
    n = tab.d.shape[0]
    rows = np.arange(n)[None, :]
    landed = np.isfinite(tab.d)
    last = landed.sum(axis=1) - 1                          # the last landing (the knots land in a prefix)
    dm = np.where(landed, tab.d, np.inf)
    out = np.full((3, dist.size, n), np.nan)
    for i in range(0, dist.size, chunk):
        q, lim = dist[i:i + chunk, None], edge_dist[i:i + chunk, None]
        j = np.clip((dm[None, :, :] < q[..., None]).sum(axis=2), 1, np.maximum(last, 1)[None, :])
        d0, d1 = dm[rows, j - 1], dm[rows, j]
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.clip(np.where(d1 > d0, (q - d0) / (d1 - d0), 1.0), 0.0, 1.0)
        far = q > dm[rows, last[None, :]]
        clamp = tab.edge[None, :] & np.isfinite(lim) & (q <= lim + _EDGE_SLACK)
        none = (last < 1)[None, :] | (far & ~clamp)          # no shot of the programme comes down there
        for k, x in enumerate((tab.beta, tab.total, tab.cut)):
            x0, x1 = x[rows, j - 1], x[rows, j]
            step = _wrap(x1 - x0) if k == 0 else x1 - x0
            val = np.where(far, x[rows, last[None, :]], x0 + f * step)
            out[k, i:i + chunk] = np.where(none, np.nan, val)
    return out


def _on_bearing(rows, bearing):
    """Total and cut-off where the programmes' landing bearing passes the target's bearing
    (interpolated between neighbouring launch azimuths; the quickest where several do)."""
    beta, total, cut = rows
    s0 = _wrap(beta - bearing[:, None])
    s1 = np.roll(s0, -1, axis=1)
    cross = (np.sign(s0) != np.sign(s1)) | (s0 == 0)
    cross &= (np.abs(s0 - s1) < math.pi / 2) & np.isfinite(s0 + s1)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(s0 != s1, s0 / (s0 - s1), 0.0)

    def at(x):
        return x + g * (np.roll(x, -1, axis=1) - x)

    t_all = np.where(cross, at(total), np.inf)
    k = np.argmin(t_all, axis=1)
    rows_i = np.arange(bearing.size)
    found = np.isfinite(t_all[rows_i, k])
    return (np.where(found, t_all[rows_i, k], np.nan), np.where(found, at(cut)[rows_i, k], np.nan))


def cutoff_times(distance_km, nominal_range_km, *, lat=None, azimuth_deg=None, omega=0.0, reach_km=None,
                 n_alpha=None) -> CutoffTimes:
    """Flight times of the class missile's maximum-range programme cut off to land on each target.

    Parameters
    ----------
    distance_km : array_like
        Ground distance to each target, km (on the model sphere).
    nominal_range_km : float
        The class (its maximum range on a non-rotating Earth), km.
    lat : float, optional
        Site latitude, degrees (with `omega` > 0).
    azimuth_deg : array_like, optional
        Ground azimuth of each target, degrees (with `omega` > 0; broadcast with the distances).
    omega : float
        Rotation rate, rad/s: 0 (default) flies on a non-rotating Earth, where the bearing does not matter.
    reach_km : array_like, optional
        The reach toward each target, km (with `omega` > 0): a target within it but a little
        beyond where the tabulated shots land (between two launch azimuths) gets the time of the
        edge; inf or None: only targets a tabulated shot reaches are timed (near orbital).
    n_alpha : int, optional
        Launch azimuths of the rotating reach (default :data:`geo.core.powered.N_ALPHA`).

    Returns
    -------
    CutoffTimes
        Arrays of the broadcast shape; NaN where no cut-off shot lands there (beyond the reach;
        on a near-orbital bearing beyond the shots that still come down).

    Examples
    --------
    Due east from the equator the Earth's turn carries a 4,500 km class missile farther, and
    the same distance takes a little less of the burn:

    >>> east = cutoff_times(4000.0, 4500, lat=0.0, azimuth_deg=90.0, omega=7.2921159e-5)
    >>> flat = cutoff_times(4000.0, 4500)
    >>> bool(east.cutoff_s < flat.cutoff_s)
    True
    """
    from .azimuths import N_ALPHA

    nominal = _nominal(nominal_range_km)
    d = np.asarray(distance_km, dtype=float)
    if omega == 0.0:
        d = d / EARTH_RADIUS_KM
        flat = d.ravel()
        beta, total, cut = _along_rows(_flat_table(nominal), flat, np.full(flat.shape, nominal / EARTH_RADIUS_KM))
        return CutoffTimes(cut[:, 0].reshape(d.shape), total[:, 0].reshape(d.shape))
    edge = np.inf if reach_km is None else np.asarray(reach_km, dtype=float)
    d, az, edge = np.broadcast_arrays(d / EARTH_RADIUS_KM, np.radians(np.asarray(azimuth_deg, dtype=float)),
                                      edge / EARTH_RADIUS_KM)
    tab = _rotating_table(math.radians(float(lat)), nominal, float(omega), int(n_alpha or N_ALPHA))
    total, cut = _on_bearing(_along_rows(tab, d.ravel(), edge.ravel()), az.ravel())
    return CutoffTimes(cut.reshape(d.shape), total.reshape(d.shape))
