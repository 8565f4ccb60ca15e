"""The models checked against published figures: lofted tests and observed flight times.

:func:`comparison_table` flies the lofted North Korean tests through the three models of
:func:`geo.core.ballistics.loft_range` and sets them beside the published standard-trajectory
ranges; :func:`flight_time_checks` sets :func:`geo.core.ballistics.flight_time` beside the
Hwasong-12's observed flights. :mod:`geo.outputs.model_tables` renders them as the tables written
to the README and to ``docs/ballistics-comparison.md`` (tests check that those are generated from code).

Examples
--------
>>> [r.published_km for r in comparison_table()][:2]
[4500.0, 6700.0]
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

from ...errors import InputError
from .. import powered
from .flighttime import FlightTime, flight_time
from .loft import loft_range

__all__ = [
    "ComparisonRow",
    "TEST_LAUNCH",
    "comparison_table",
    "FlightTimeCheck",
    "HWASONG_12_KM",
    "flight_time_checks",
]


class ComparisonRow(NamedTuple):
    """One lofted test, the three model estimates and the published standard-trajectory range."""

    test: str
    #: Where the apogee, range and time come from.
    figures_source: str
    apogee_km: float
    ground_range_km: float
    observed_time_min: float
    #: Free-flight time of the model's lofted conic, minutes.
    model_time_min: float | None
    #: Simple-model range, km; None where the figures imply an orbital speed.
    simple_km: float | None
    #: Gravity-loss-model range, km; None where it implies an orbital speed.
    corrected_km: float | None
    #: Burn time assumed for the gravity-loss and powered-flight models, s.
    burn_time_s: float
    #: Why that burn time.
    burn_time_note: str
    #: Burn time at which the gravity-loss model would give the published range, s (None: none does).
    matching_burn_time_s: float | None
    published_km: float
    source: str
    #: Where the model misses and why (empty if nothing to say).
    note: str
    #: Powered-flight-model range, km; inf where near orbital (the model does not bound the range).
    powered_km: float = math.nan
    #: Stages of the powered-flight missile.
    stages: int = 2
    #: Flight time of the powered model's lofted flight (boost + coast to the ground), minutes.
    powered_time_min: float = math.nan
    #: The powered-flight fit (fitted vehicle, lofted and maximum-range flights).
    fit: "powered.LoftFit | None" = None
    #: Share of the fitted speed gain with which the same missile flies the published range
    #: (:func:`geo.core.powered.speed_gain_share`): below 1, the published figure implies a
    #: heavier payload than the test's.
    published_speed_share: float = math.nan


#: Latitude and azimuth the tests are flown from in the powered model (assumed: about 40°N,
#: fired east into the Sea of Japan; the exact pads differ by well under a degree).
TEST_LAUNCH = (40.0, 90.0)

# (test, apogee km, ground range km, observed minutes, figures' source, stages, assumed burn s, why,
#  published km, source of the published figure, note)
_TESTS = (
    ("Hwasong-12, 14 May 2017", 2111.5, 787.0, 30.0, "KCNA; time: Japan MoD",
     1, 150.0, "assumed ~2.5 min: single-stage liquid IRBM",
     4500.0, "UCS (D. Wright), 2017", ""),
    ("Hwasong-14, 4 Jul 2017", 2802.0, 933.0, 39.0, "KCNA",
     2, 240.0, "assumed ~4 min: two-stage liquid ICBM, HS-12-class first stage",
     6700.0, "UCS (D. Wright), 2017", ""),
    ("Hwasong-14, 28 Jul 2017", 3724.9, 998.0, 47.2, "KCNA",
     2, 240.0, "assumed ~4 min: same missile as on 4 Jul",
     10400.0, "UCS (D. Wright), 2017", ""),
    ("Hwasong-15, 29 Nov 2017", 4475.0, 950.0, 53.0, "KCNA",
     2, 240.0, "assumed ~4 min: same engine family as the HS-14, two chambers and about twice the propellant",
     13000.0, "UCS (D. Wright), 2017", ""),
    ("Hwasong-17, 24 Mar 2022", 6248.5, 1090.0, 67.5, "KCNA",
     2, 300.0, "assumed ~5 min: largest two-stage liquid ICBM",
     15000.0, "Japan MoD, 2022",
     "Q = 0.992: 0.4% more burnout speed would be orbital, so the range is ill-conditioned; "
     "any gravity-loss credit makes it orbital, and the powered-flight fit is near orbital unless the burn "
     "is assumed shorter than about 200 s (Japan's figure depends on the warhead mass it assumes)"),
)


def _matching_burn_time(apogee, rng, target_km, h=0.0):
    """Burn time (s) at which the gravity-loss model gives `target_km`, by bisection; None if none."""
    def rng_for(tb):
        try:
            return loft_range(apogee, rng, burn_time_s=tb, burnout_alt_km=h, model="gravity-loss").range_km
        except InputError:
            return math.inf          # orbital: beyond any target
    lo, hi = 1e-3, 1000.0
    if not (rng_for(lo) <= target_km <= rng_for(hi)):
        return None
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if rng_for(mid) < target_km else (lo, mid)
    return 0.5 * (lo + hi)


def _range_or_none(apogee, rng, **kw):
    try:
        return loft_range(apogee, rng, **kw)
    except InputError as exc:
        if "orbital" in str(exc):
            return None
        raise


@functools.lru_cache(maxsize=1)
def _comparison_rows() -> tuple:
    rows = []
    for test, apo, rng, obs, fig_src, stages, burn, why, pub, src, note in _TESTS:
        simple = _range_or_none(apo, rng, time_min=obs)
        corrected = _range_or_none(apo, rng, burn_time_s=burn, model="gravity-loss")
        pw = loft_range(apo, rng, time_min=obs, burn_time_s=burn, model="powered", stages=stages,
                        launch_lat=TEST_LAUNCH[0], launch_azimuth_deg=TEST_LAUNCH[1])
        simple_km = None if simple is None else simple.range_km
        corrected_km = None if corrected is None else corrected.range_km
        rows.append(ComparisonRow(
            test=test, figures_source=fig_src, apogee_km=apo, ground_range_km=rng, observed_time_min=obs,
            model_time_min=None if simple is None else simple.model_time_min,
            simple_km=simple_km, corrected_km=corrected_km,
            burn_time_s=burn, burn_time_note=why,
            matching_burn_time_s=_matching_burn_time(apo, rng, pub),
            published_km=pub, source=src,
            note=_miss_note(simple_km, corrected_km, pw.range_km, pub) + (f"; {note}" if note else ""),
            powered_km=pw.range_km, stages=stages, powered_time_min=pw.model_time_min, fit=pw.fit,
            published_speed_share=powered.speed_gain_share(pw.fit, pub),
        ))
    return tuple(rows)


def comparison_table() -> list[ComparisonRow]:
    """The lofted North Korean tests, the three models and the published range estimates.

    Apogee, ground range and flight time are as announced (KCNA; Japan MoD for the May 2017
    time). The simple and gravity-loss models put burnout at the surface; the powered-flight
    model flies each test from :data:`TEST_LAUNCH` over the rotating Earth and gives the
    fitted missile's maximum range on a non-rotating Earth (the same footing as the published
    nominal ranges). Burn times are this module's assumptions for the class of missile, not
    published values; ``matching_burn_time_s`` shows which burn time would reproduce the
    published figure in the gravity-loss model. Computed once and cached.

    Examples
    --------
    >>> rows = comparison_table()
    >>> [r.test.split(",")[0] for r in rows][:2], round(rows[0].simple_km), round(rows[0].powered_km, -1)
    (['Hwasong-12', 'Hwasong-14'], 4356, 4790.0)
    """
    return list(_comparison_rows())


def _miss_note(simple_km, corrected_km, powered_km, published_km) -> str:
    """Say plainly how far each model is from the published figure."""
    def pct(x):
        if x is None:
            return "orbital (no finite range)"
        if not math.isfinite(x):
            return "near orbital (not bounded)"
        return f"{100.0 * (x - published_km) / published_km:+.0f}%"
    return f"simple {pct(simple_km)}, corrected {pct(corrected_km)}, powered flight {pct(powered_km)}"


# ---------------------------------------------------------------------------------------------
# Flight times against observed flights
# ---------------------------------------------------------------------------------------------

class FlightTimeCheck(NamedTuple):
    """One observed (or announced) flight on a standard trajectory, and the model's flight time."""

    flight: str
    distance_km: float
    observed_min: float
    #: Where the distance and time come from.
    source: str
    note: str
    #: The catalog's nominal range of the missile flown, km.
    nominal_km: float
    #: The model's time (:func:`flight_time`, non-rotating): boost, free flight, total.
    model: FlightTime
    #: The model is checked against the observation within this many minutes (None: not checked).
    tolerance_min: float | None

    @property
    def fits(self) -> bool | None:
        """The model's total lies within `tolerance_min` of the observation (None: not checked)."""
        if self.tolerance_min is None:
            return None
        return bool(abs(self.model.total_min - self.observed_min) <= self.tolerance_min)


#: Nominal range of the Hwasong-12 in the catalog (UCS, 2017), km.
HWASONG_12_KM = 4500.0

# (flight, distance km, observed minutes, source, note, tolerance minutes or None)
_FLIGHTS = (
    ("Hwasong-12, 15 Sep 2017, over Hokkaido", 3700.0, 19.0,
     "Japan MoD press release, 15 Sep 2017: launched about 6:57, fell about 7:16 JST; about 3,700 km",
     "apogee about 800 km (ROK JCS: 770 km); times to the minute", 1.0),
    ("Hwasong-12, the announced Guam plan", 3356.7, 1065.0 / 60.0,
     "KCNA, 10 Aug 2017, as quoted in press reports: 3,356.7 km in 1,065 s",
     "a plan announced, never flown", 1.0),
    ("Hwasong-12, 29 Aug 2017, over Hokkaido", 2700.0, 14.0,
     "Japan's Chief Cabinet Secretary, 29 Aug 2017: launched 5:58, fell about 6:12 JST; ROK JCS: 2,700 km",
     "apogee 550 km; broke into three pieces (NHK), so not a clean flight", 2.5),
    ("Chagang to Guam (Andersen AFB)", 3540.26, 14.0,
     "Guam's Homeland Security Adviser (G. Charfauros), 11 Aug 2017: \"14 minutes\"",
     "a statement with no stated trajectory; the founding scenario's distance", None),
)


@functools.lru_cache(maxsize=1)
def flight_time_checks() -> tuple:
    """The flight-time model against observed Hwasong-12 flights on standard trajectories.

    Examples
    --------
    >>> c = flight_time_checks()[0]
    >>> c.distance_km, c.observed_min, round(c.model.total_min, 1)
    (3700.0, 19.0, 17.5)
    >>> c.fits                    # the cut-off trajectory is flatter than the one flown: 1.5 min early
    False
    """
    return tuple(
        FlightTimeCheck(name, km, obs, src, note, HWASONG_12_KM, flight_time(km, HWASONG_12_KM), tol)
        for name, km, obs, src, note, tol in _FLIGHTS
    )
