"""Trajectory profile figure: altitude against ground range, lofted test beside maximum range.

Readers of test-flight analyses expect this picture: the lofted test as flown (very high,
short) and the same missile on the trajectory that maximises its range, both from the
powered-flight model (:mod:`geo.core.powered`) on a non-rotating Earth, apogees and ranges
labelled, the fitted parameters in the caption. Altitude is drawn against ground range on equal
scales (a flat picture of a curved Earth: heights above the surface, distances along it). The
trajectories are flown in the analysis layer (:func:`geo.analysis.trajectories.loft_profile`);
this module only draws them.

Matplotlib's object API only (no pyplot); files are written atomically by
:func:`geo.outputs.figure.save_figure` as PNG, SVG or PDF. Text from the user is printed
literally (no mathtext).

Examples
--------
>>> from geo.analysis.trajectories import loft_profile
>>> from geo.core.powered import fit_loft
>>> profile = loft_profile(fit_loft(2111.5, 787, burn_time_s=150, stages=1))
>>> fig = profile_figure(profile, title="Hwasong-12, 14 May 2017")
>>> [t.get_text() for t in fig.axes[0].texts][:2]
['apogee 2,112 km', 'test range 787 km']
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..analysis.trajectories import LoftProfile
from ..errors import InputError
from .figure import save_figure
from .style import PALETTE

__all__ = ["profile_figure", "save_profile", "NEAR_ORBITAL_NOTE"]

#: What the figure says when the maximum-range trajectory is not bounded.
NEAR_ORBITAL_NOTE = "maximum-range trajectory: near orbital: this model does not bound the range"

_LOFT, _MAX = PALETTE[0], PALETTE[1]
_LABEL = dict(parse_math=False, fontsize=8, textcoords="offset points",
              bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8))


def profile_figure(profile: LoftProfile, *, title: str | None = None, width_in: float = 10.0,
                   launch: tuple | None = None) -> Figure:
    """Altitude against ground range: the lofted test and the same missile on its maximum-range trajectory.

    Parameters
    ----------
    profile : geo.analysis.trajectories.LoftProfile
        From :func:`geo.analysis.trajectories.loft_profile` of a powered-flight fit
        (:func:`geo.core.powered.fit_loft`, or ``loft_range(..., model="powered").fit``).
    title : str, optional
        First line of the title (printed literally).
    width_in : float
        Figure width, inches.
    launch : (float, float), optional
        Latitude and azimuth, degrees, the test was fitted flying from over the rotating Earth
        (``loft_range(..., launch_lat=...).launch``); both flights are drawn on a non-rotating
        Earth, and the caption says so and gives the fitted test's own apogee and range.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if not isinstance(profile, LoftProfile):
        raise InputError("a profile figure draws geo.analysis.trajectories.loft_profile(fit) of a powered-flight "
                         "fit: use model 'powered' with a burn time")
    fit, loft, best = profile
    x_max = loft.range_km if best is None else max(loft.range_km, best.range_km)
    y_max = loft.apogee_km if best is None else max(loft.apogee_km, best.apogee_km)
    x_max = max(x_max, 2.5 * y_max)                 # room for the labels beside a tall loft
    plot_w = width_in - 1.0
    plot_h = min(max(plot_w * (1.15 * y_max) / (1.06 * x_max), 1.6), 6.0)
    fig = Figure(figsize=(width_in, plot_h + 1.9), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(rect=(0.0, 0.09, 1.0, 0.91))
    ax = fig.add_subplot()
    ax.plot(loft.ground_km, loft.alt_km, color=_LOFT, lw=1.8,
            label=f"lofted test: final pitch {fit.loft_pitch_deg:.1f}°")
    k = loft.burnout_index
    ax.plot(loft.ground_km[:k + 1], loft.alt_km[:k + 1], color=_LOFT, lw=4.0, solid_capstyle="butt")
    ax.annotate(f"apogee {loft.apogee_km:,.0f} km", (loft.apogee_ground_km, loft.apogee_km),
                xytext=(6, 4), color=_LOFT, **_LABEL)
    ax.annotate(f"test range {loft.range_km:,.0f} km", (loft.range_km, 0.0), xytext=(4, 8), color=_LOFT, **_LABEL)
    if best is not None:
        k = best.burnout_index
        ax.plot(best.ground_km, best.alt_km, color=_MAX, lw=1.8,
                label=f"maximum range: final pitch {best.pitch_deg:.1f}°")
        ax.plot(best.ground_km[:k + 1], best.alt_km[:k + 1], color=_MAX, lw=4.0, solid_capstyle="butt")
        ax.annotate(f"apogee {best.apogee_km:,.0f} km", (best.apogee_ground_km, best.apogee_km),
                    xytext=(0, 6), ha="center", color=_MAX, **_LABEL)
        ax.annotate(f"maximum range {best.range_km:,.0f} km", (best.range_km, 0.0), xytext=(-4, 8), ha="right",
                    color=_MAX, **_LABEL)
    else:
        ax.annotate(NEAR_ORBITAL_NOTE, (0.98, 0.95), xycoords="axes fraction", ha="right", va="top",
                    color=_MAX, **{**_LABEL, "textcoords": "offset points"}, xytext=(0, 0))
    ax.plot([], [], color="0.3", lw=4.0, label="powered flight (thick)")
    ax.set_xlim(0.0, x_max * 1.06)
    ax.set_ylim(0.0, y_max * 1.15)
    ax.set_aspect("equal")
    ax.set_xlabel("ground range (km)")
    ax.set_ylabel("altitude (km)")
    ax.grid(True, color="0.85", lw=0.6)
    ax.legend(loc="upper right" if best is not None else "center right", fontsize=8, frameon=False)
    head = f"{title}\n" if title else ""
    fig.suptitle(head + "Trajectory profile: lofted test and the same missile on its maximum-range trajectory",
                 fontsize=10, parse_math=False)
    caption = ("Powered-flight model: point mass with staged thrust, linear pitch-over, no drag, then a Kepler "
               f"coast to the ground; non-rotating spherical Earth. Fitted missile: {fit.vehicle.describe()}.")
    if launch is not None:
        lat, az = launch
        caption += (f" The test was fitted flying from {abs(lat):.1f}°{'N' if lat >= 0 else 'S'} toward "
                    f"{az % 360.0:g}° over the rotating Earth (apogee {fit.apogee_km:,.0f} km at "
                    f"{fit.ground_range_km:,.0f} km); drawn here without the Earth's rotation.")
    if fit.observed_time_min is not None:
        caption += f" Flight time: model {fit.time_min:.1f} min, observed {fit.observed_time_min:g} min."
    fig.text(0.01, 0.005, caption, fontsize=6.5, wrap=True, parse_math=False, va="bottom")
    return fig


def save_profile(profile: LoftProfile, path, *, title: str | None = None, dpi: int = 200,
                 launch: tuple | None = None):
    """Draw :func:`profile_figure` of `profile` and write it to `path` (.png, .svg or .pdf), atomically.

    `launch` as in :func:`profile_figure`.

    Returns
    -------
    pathlib.Path
    """
    return save_figure(profile_figure(profile, title=title, launch=launch), path, dpi=dpi)
