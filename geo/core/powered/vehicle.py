"""Vehicles of the powered-flight model: stages, checked vehicles, and the assumed class figures.

A :class:`Vehicle` is a missile as the model flies it: its stages (:class:`Stage`: thrust, mass
flow, burn time, mass at ignition, in firing order) and where the figures come from.
:func:`make_vehicle` checks figures given by hand; :data:`CLASS_ASSUMPTIONS` holds the assumed
figures of the class missile whose speed gain :mod:`geo.core.powered.calibration` calibrates
to a nominal range.

Examples
--------
>>> s = Stage(700.0, 250.0, 120.0, 40_000.0)
>>> s.exhaust_speed_kms, s.burnout_mass_kg, round(s.delta_v_kms, 3)
(2.8, 10000.0, 3.882)
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ...errors import InputError

__all__ = [
    "Stage",
    "Vehicle",
    "make_vehicle",
    "CLASS_ASSUMPTIONS",
]


_G0 = 9.80665


class Stage(NamedTuple):
    """One stage: constant thrust and mass flow for its burn time."""

    #: Thrust, kN.
    thrust_kn: float
    #: Propellant mass flow, kg/s.
    mass_flow_kgs: float
    #: Burn time, s.
    burn_time_s: float
    #: Mass of the whole missile when this stage ignites, kg.
    ignition_mass_kg: float

    @property
    def exhaust_speed_kms(self) -> float:
        """Effective exhaust speed F/ṁ, km/s (specific impulse × g₀)."""
        return self.thrust_kn / self.mass_flow_kgs

    @property
    def burnout_mass_kg(self) -> float:
        """Mass at the end of the burn, kg."""
        return self.ignition_mass_kg - self.mass_flow_kgs * self.burn_time_s

    @property
    def delta_v_kms(self) -> float:
        """Ideal speed gain c·ln(m_ign/m_burnout), km/s (no gravity)."""
        return self.exhaust_speed_kms * math.log(self.ignition_mass_kg / self.burnout_mass_kg)


class Vehicle(NamedTuple):
    """A missile for the powered-flight model: its stages and where the figures come from."""

    stages: tuple
    #: Where the figures come from, e.g. "assumed: ..." or "fitted to ...".
    source: str
    name: str = "missile"

    @property
    def burn_time_s(self) -> float:
        """Total powered-flight time, s."""
        return float(sum(s.burn_time_s for s in self.stages))

    @property
    def delta_v_kms(self) -> float:
        """Total ideal speed gain, km/s."""
        return float(sum(s.delta_v_kms for s in self.stages))

    def describe(self) -> str:
        """One line per stage: thrust, mass flow, burn time, ignition mass, exhaust speed."""
        parts = [
            f"stage {i + 1}: {s.thrust_kn:,.0f} kN, {s.mass_flow_kgs:,.1f} kg/s for {s.burn_time_s:.0f} s, "
            f"{s.ignition_mass_kg:,.0f} kg at ignition, exhaust {s.exhaust_speed_kms:.2f} km/s"
            for i, s in enumerate(self.stages)
        ]
        return "; ".join(parts) + f"; ideal Δv {self.delta_v_kms:.2f} km/s ({self.source})"


def _finite(value, what, unit):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} {value!r} is not a number: give {unit}") from None
    if not math.isfinite(x):
        raise InputError(f"{what} {x:g} is not finite: give {unit}")
    return x


def make_vehicle(stages, *, source: str, name: str = "missile") -> Vehicle:
    """A checked :class:`Vehicle` from stages given as :class:`Stage` or 4-tuples.

    Parameters
    ----------
    stages : sequence of Stage or (thrust_kn, mass_flow_kgs, burn_time_s, ignition_mass_kg)
        In firing order.
    source : str
        Where the figures come from ("assumed: ..." when they are assumptions).
    name : str, optional

    Raises
    ------
    InputError
        For no stage, a thrust, mass flow or mass that is not positive, a burn time <= 0, a
        stage that burns more propellant than it has, a later stage heavier than the one
        before burnt out, or a first stage too weak to lift off (thrust below weight).

    Examples
    --------
    >>> v = make_vehicle([(700, 250, 120, 40_000)], source="assumed: example")
    >>> round(v.delta_v_kms, 3), v.burn_time_s                # 2.8 km/s exhaust, 3/4 of it propellant
    (3.882, 120.0)
    >>> make_vehicle([(-700, 250, 120, 40_000)], source="x")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: stage 1 thrust -700 kN must be positive: give kN > 0
    """
    out = []
    stages = list(stages)
    if not stages:
        raise InputError("a vehicle needs at least one stage: give thrust, mass flow, burn time and mass")
    for i, st in enumerate(stages, start=1):
        try:
            f, mdot, tb, m0 = (float(x) for x in st)
        except (TypeError, ValueError):
            raise InputError(f"stage {i} {st!r} is not four numbers: give thrust kN, mass flow kg/s, "
                             "burn time s, ignition mass kg") from None
        for value, what, unit in ((f, "thrust", "kN"), (mdot, "mass flow", "kg/s"), (tb, "burn time", "s"),
                                  (m0, "ignition mass", "kg")):
            _finite(value, f"stage {i} {what}", unit)
            if value <= 0:
                raise InputError(f"stage {i} {what} {value:g} {unit} must be positive: give {unit} > 0")
        if mdot * tb >= m0:
            raise InputError(f"stage {i} burns {mdot * tb:,.0f} kg of propellant but weighs {m0:,.0f} kg at "
                             "ignition: give a shorter burn time, a smaller mass flow or a larger mass")
        if out and m0 > out[-1].burnout_mass_kg * (1 + 1e-9):
            raise InputError(f"stage {i} weighs {m0:,.0f} kg at ignition, more than the missile after stage {i - 1} "
                             f"burnt out ({out[-1].burnout_mass_kg:,.0f} kg): give a smaller ignition mass")
        out.append(Stage(f, mdot, tb, m0))
    if out[0].thrust_kn * 1e3 <= out[0].ignition_mass_kg * _G0:
        s = out[0]
        raise InputError(f"stage 1 thrust {s.thrust_kn:,.0f} kN is less than the lift-off weight "
                         f"({s.ignition_mass_kg * _G0 / 1e3:,.0f} kN): the missile cannot lift off; give more thrust")
    return Vehicle(tuple(out), str(source), str(name))


# Assumed class figures (not published values for any one missile): exhaust speeds of liquid
# engines, the boost-duration table of geo.core.ballistics.boost_time_min, and how the burn and
# the speed gain are shared between the stages. Masses only set the scale (the motion depends
# on thrust per unit mass); the lift-off mass is a round figure for the class.
CLASS_ASSUMPTIONS = {
    "exhaust_speed_kms": (2.55, 2.9),            # stage 1 (sea level/vacuum mix), stage 2 (vacuum)
    "second_stage_from_km": 5000.0,              # below: one stage
    "second_stage_full_km": 9000.0,              # above: second stage burns 40% of the time, 50% of Δv
    "second_stage_time_share": 0.4,
    "second_stage_dv_share": 0.5,
    "dropped_share": 0.15,                       # share of the first stage's burnt-out mass dropped
    "liftoff_mass_kg": 50_000.0,
    "source": "assumed class figures: liquid engines (exhaust 2.55/2.9 km/s), burn time from the boost "
              "estimate, Δv calibrated to the nominal range",
}


def _class_burn_s(nominal_km: float) -> float:
    """Burn time of the class missile, s: the boost estimate, not rounded (a rounded burn time
    changed the missile in steps, and its reach with it, as the nominal range grew)."""
    from ..ballistics import boost_time_min

    return float(boost_time_min(nominal_km)) * 60.0


def _class_share(nominal_km: float) -> float:
    """0 (one stage) to 1 (second stage at its full share), linear in range between the bounds."""
    a = CLASS_ASSUMPTIONS
    lo, hi = a["second_stage_from_km"], a["second_stage_full_km"]
    return min(max((nominal_km - lo) / (hi - lo), 0.0), 1.0)


def _class_stages(nominal_km: float, dv_kms: float, burn_s: float | None = None):
    """Stages of the class vehicle with total ideal Δv `dv_kms` (the calibration variable)."""
    burn = _class_burn_s(nominal_km) if burn_s is None else burn_s
    return _stages(_class_share(nominal_km), dv_kms, burn)


def _stages(share: float, dv_kms: float, burn: float):
    """One stage (share 0) to two stages at the class split (share 1) with total ideal Δv and burn time."""
    a = CLASS_ASSUMPTIONS
    t2 = round(burn * a["second_stage_time_share"] * share, 6)
    times = (burn - t2, t2) if t2 > 0 else (burn,)
    dv2 = dv_kms * a["second_stage_dv_share"] * share
    dvs = (dv_kms - dv2, dv2) if t2 > 0 else (dv_kms,)
    m = a["liftoff_mass_kg"]
    stages = []
    for tb, dv, c in zip(times, dvs, a["exhaust_speed_kms"]):
        burnt = 1.0 - math.exp(-dv / c)                    # propellant share of the ignition mass
        mdot = m * burnt / tb
        stages.append(Stage(c * mdot, mdot, tb, m))
        m = m * (1.0 - burnt) * (1.0 - a["dropped_share"])
    return tuple(stages)
