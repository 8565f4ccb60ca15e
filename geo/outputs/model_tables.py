"""The models checked against published figures, as the Markdown tables of the README and of
``docs/ballistics-comparison.md`` (tests check that those are generated from this code).

The numbers come from :func:`geo.core.ballistics.comparison_table` and
:func:`geo.core.ballistics.flight_time_checks`; this module only writes them out.
"""

from __future__ import annotations

import math

from ..core.ballistics.comparison import comparison_table, flight_time_checks

__all__ = ["comparison_markdown", "readme_markdown", "fits_markdown", "flight_time_markdown"]


def _share_cell(x) -> str:
    """A speed-gain share as the percentage of the test's, e.g. "90.4% of the test's"."""
    return "-" if not math.isfinite(x) else f"{100.0 * x:.1f}% of the test's"


def _km_cell(x) -> str:
    if x is None:
        return "orbital: no finite range"
    if not math.isfinite(x):
        return "near orbital: not bounded"
    return f"{x:,.0f}"


def comparison_markdown(rows=None) -> str:
    """The comparison as a Markdown table (one line per test), as written to the docs.

    Examples
    --------
    >>> print(comparison_markdown().splitlines()[2][:62])
    | Hwasong-12, 14 May 2017 | 2,111.5 | 787 | 30 / 27.9 / 30.0 |
    """
    rows = comparison_table() if rows is None else rows
    lines = [
        "| Test | Apogee (km) | Ground range (km) | Flight time obs. / simple / powered (min) | Test figures "
        "| Simple model (km) | Corrected model (km) | Powered flight (km) | Burn time assumed "
        "| Burn time matching published (corrected) | Speed gain for the published range (powered) "
        "| Published (km) | Source | Model vs published |",
        "|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---|---|",
    ]
    for r in rows:
        model_t = "-" if r.model_time_min is None else f"{r.model_time_min:.1f}"
        match = "none" if r.matching_burn_time_s is None else f"{r.matching_burn_time_s:.0f} s"
        lines.append(
            f"| {r.test} | {r.apogee_km:,.1f} | {r.ground_range_km:,.0f} | {r.observed_time_min:g} / {model_t} / "
            f"{r.powered_time_min:.1f} | {r.figures_source} | {_km_cell(r.simple_km)} | {_km_cell(r.corrected_km)} "
            f"| {_km_cell(r.powered_km)} | {r.burn_time_s:.0f} s, {r.stages} stage{'s' if r.stages > 1 else ''} "
            f"({r.burn_time_note}) | {match} | {_share_cell(r.published_speed_share)} | {r.published_km:,.0f} "
            f"| {r.source} | {r.note} |"
        )
    return "\n".join(lines)


def fits_markdown(rows=None) -> str:
    """The powered-flight model's fitted parameters for each test, as a Markdown table.

    Examples
    --------
    >>> print(fits_markdown().splitlines()[2].split(" | ")[2])             # Hwasong-12: ideal Δv, km/s
    6.691
    """
    rows = comparison_table() if rows is None else rows
    lines = [
        "| Test | Fitted missile (per stage: thrust, mass flow, burn time, mass at ignition, exhaust speed) "
        "| Ideal speed gain (km/s) | Lofted: final pitch, burnout speed, flight-path angle "
        "| Maximum range: final pitch, burnout speed, altitude, flight-path angle | Range (km) |",
        "|---|---|---:|---|---|---:|",
    ]
    for r in rows:
        f = r.fit
        mr = f.max_range
        stages = "; ".join(
            f"{s.thrust_kn:,.0f} kN, {s.mass_flow_kgs:,.1f} kg/s, {s.burn_time_s:.0f} s, {s.ignition_mass_kg:,.0f} kg, "
            f"{s.exhaust_speed_kms:.2f} km/s" for s in f.vehicle.stages)
        lines.append(
            f"| {r.test} | {stages} | {f.vehicle.delta_v_kms:.3f} | {f.loft_pitch_deg:.2f}°, "
            f"{f.loft_burnout_speed_kms:.3f} km/s, {f.loft_burnout_flight_path_deg:.1f}° | {mr.pitch_deg:.2f}°, "
            f"{mr.burnout_speed_kms:.3f} km/s, {mr.burnout_alt_km:,.0f} km, {mr.burnout_flight_path_deg:.1f}° "
            f"| {_km_cell(r.powered_km)} |"
        )
    return "\n".join(lines)


def readme_markdown(rows=None) -> str:
    """The short comparison for the README: test, inputs, the three models, published, source.

    Examples
    --------
    >>> print(readme_markdown().splitlines()[0])
    | Test | Apogee / ground range (km) | Burn time assumed | Simple (km) | Corrected (km) | Powered flight (km) | Published (km) | Speed gain for the published range | Source |
    """
    rows = comparison_table() if rows is None else rows
    lines = [
        "| Test | Apogee / ground range (km) | Burn time assumed | Simple (km) | Corrected (km) "
        "| Powered flight (km) | Published (km) | Speed gain for the published range | Source |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.test} | {r.apogee_km:,.1f} / {r.ground_range_km:,.0f} | {r.burn_time_s:.0f} s, {r.stages} "
            f"stage{'s' if r.stages > 1 else ''} | {_km_cell(r.simple_km)} | {_km_cell(r.corrected_km)} "
            f"| {_km_cell(r.powered_km)} | {r.published_km:,.0f} | {_share_cell(r.published_speed_share)} "
            f"| {r.source} |"
        )
    return "\n".join(lines)


def flight_time_markdown(checks=None) -> str:
    """The flight-time checks as a Markdown table, as written to the README.

    Examples
    --------
    >>> print(flight_time_markdown().splitlines()[0])
    | Flight | Distance (km) | Observed (min) | Model: boost to cut-off + coast = total (min) | Model − observed | Checked within | Source | Note |
    """
    checks = flight_time_checks() if checks is None else checks
    lines = [
        "| Flight | Distance (km) | Observed (min) | Model: boost to cut-off + coast = total (min) | Model − observed "
        "| Checked within | Source | Note |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for c in checks:
        m = c.model
        within = ("not checked" if c.tolerance_min is None
                  else f"{c.tolerance_min:g} min" + ("" if c.fits else ": **outside**"))
        lines.append(
            f"| {c.flight} | {c.distance_km:,.1f} | {c.observed_min:.2f} | {m.boost_min:.1f} + {m.free_flight_min:.1f} "
            f"= {m.total_min:.1f} | {m.total_min - c.observed_min:+.1f} | {within} | {c.source} | {c.note} |"
        )
    return "\n".join(lines)
