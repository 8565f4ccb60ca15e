"""Tests of geo.core.ballistics: free flight, lofted tests, rotating Earth, flight times.

No network, no timing. Reference numbers come from /work/shared/reference/ballistics.md
(BMW's worked example, the reference flight times, the Hwasong-12 loft, the LA reach) and the
published range estimates listed in the README's table (checked there within stated tolerances).
The powered-flight model itself is tested in tests/test_powered.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

import geo.core.ballistics.flighttime as ftm
import geo.core.ballistics.rotating as rotm
import geo.core.powered as pw
from geo.core.powered.vehicle import _stages
from geo.core.ballistics import (
    EARTH_RADIUS_KM,
    MODEL_LINES,
    flight_time,
    near_orbital,
    flight_time_checks,
    rotating_reach,
    HALF_CIRCUMFERENCE_KM,
    MU_KM3_S2,
    OMEGA_EARTH_RAD_S,
    boost_time_min,
    comparison_table,
    flight_time_min,
    free_flight,
    loft_range,
    max_range,
    orbital_threshold_km,
    rotating_flight_time_min,
    rotating_reach_km,
    speed_for_range,
)
from geo.errors import InputError
from geo.outputs.formatting import NEAR_ORBITAL_TEXT
from geo.outputs.model_tables import comparison_markdown, fits_markdown, flight_time_markdown, readme_markdown

SOHAE = (39.66, 124.705)
CHAGANG = (41.369883, 126.913631)
LOS_ANGELES = (34.0522, -118.2437)
FAST = settings(max_examples=25, deadline=None)
ROTATING = settings(max_examples=12, deadline=None)     # each example solves the rotating model


def one_line(exc: pytest.ExceptionInfo) -> str:
    msg = str(exc.value)
    assert "\n" not in msg and msg
    return msg


# ---------------------------------------------------------------------------------------------
# Free flight (BMW ch. 6)
# ---------------------------------------------------------------------------------------------

class TestWorkedExample:
    """BMW: burnout 1,275.6 km up at 5.2702 km/s, apogee 3,189.1 km -> φ = 51.32°, Ψ = 36.4°.

    The book works on a sphere of 6,378.145 km (1 DU); this model's is 6,371.0088 km, so
    burnout and apogee radii differ by 7 km and Q by 0.1%: tolerances of 0.3° allow for that.
    """

    V, H, APOGEE = 5.2702, 1275.6, 3189.1

    def phi_for_apogee(self) -> float:
        """Flight-path angle at which free_flight reaches the book's apogee (apogee grows with φ)."""
        lo, hi = 1.0, 89.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if free_flight(self.V, mid, self.H).apogee_km < self.APOGEE:
                lo = mid
            else:
                hi = mid
        return 0.5 * (lo + hi)

    def test_flight_path_angle(self):
        assert self.phi_for_apogee() == pytest.approx(51.32, abs=0.3)

    def test_range_angle(self):
        assert free_flight(self.V, self.phi_for_apogee(), self.H).range_angle_deg == pytest.approx(36.4, abs=0.3)
        assert free_flight(self.V, 51.32, self.H).range_angle_deg == pytest.approx(36.4, abs=0.1)

    def test_q(self):
        assert free_flight(self.V, 51.32, self.H).Q == pytest.approx(0.533, abs=0.001)


def bmw_time_s(v_kms, phi_deg, h_km):
    """Free-flight time by the book's formula: cos E1 = (e − cos(Ψ/2))/(1 − e cos(Ψ/2))."""
    r = EARTH_RADIUS_KM + h_km
    q = v_kms**2 * r / MU_KM3_S2
    c2 = math.cos(math.radians(phi_deg)) ** 2
    e = math.sqrt(1 + q * (q - 2) * c2)
    half = math.acos((1 - q * c2) / e)
    a = r / (2 - q)
    e1 = math.acos((e - math.cos(half)) / (1 - e * math.cos(half)))
    return 2 * math.sqrt(a**3 / MU_KM3_S2) * (math.pi - e1 + e * math.sin(e1)), 2 * half


@FAST
@given(st.floats(0.5, 7.5), st.floats(5.0, 85.0), st.floats(0.0, 500.0))
def test_free_flight_matches_textbook_formulas(v, phi, h):
    ff = free_flight(v, phi, h)
    t, psi = bmw_time_s(v, phi, h)
    assert ff.time_min * 60 == pytest.approx(t, rel=1e-7)
    assert math.radians(ff.range_angle_deg) == pytest.approx(psi, rel=1e-7)
    assert ff.range_km == pytest.approx(EARTH_RADIUS_KM * psi, rel=1e-7)


@FAST
@given(st.floats(0.05, 0.97), st.floats(0.0, 1000.0))
def test_min_energy_angle_is_the_maximum(q, h):
    v = math.sqrt(q * MU_KM3_S2 / (EARTH_RADIUS_KM + h))
    mr = max_range(v, h)
    assert mr.Q == pytest.approx(q)
    assert mr.flight_path_deg == pytest.approx((180 - mr.range_angle_deg) / 4)
    step = min(2.0, mr.flight_path_deg / 2)
    for delta in (-step, step):
        assert free_flight(v, mr.flight_path_deg + delta, h).range_km < mr.range_km


def test_free_flight_broadcasts_arrays():
    ff = free_flight([3.0, 5.0, 7.0], 30.0)
    assert ff.range_km.shape == (3,) and np.all(np.diff(ff.range_km) > 0)
    assert isinstance(free_flight(5.0, 30.0).range_km, float)


def test_vertical_shot_lands_where_it_started():
    ff = free_flight(3.0, 90.0)
    assert ff.range_km == pytest.approx(0.0, abs=1e-6)
    assert ff.apogee_km > 0 and ff.time_min > 0


@FAST
@given(st.floats(100.0, 19_000.0), st.floats(0.0, 500.0))
def test_range_speed_range_round_trip(range_km, h):
    v = speed_for_range(range_km, h)
    assert max_range(v, h).range_km == pytest.approx(range_km, rel=1e-9)


@pytest.mark.parametrize("range_km, minutes", [(3_400, 16), (10_000, 32), (13_000, 37)])
def test_reference_flight_times(range_km, minutes):
    assert flight_time_min(range_km) == pytest.approx(minutes, abs=2)


def test_flight_time_grows_with_range():
    times = flight_time_min(np.linspace(200, 19_500, 50))
    assert np.all(np.diff(times) > 0)


@pytest.mark.parametrize("call", [lambda: free_flight(8.0, 30), lambda: max_range(8.2), lambda: max_range([5.0, 11.0])])
def test_orbital_speed_is_refused(call):
    with pytest.raises(InputError) as exc:
        call()
    msg = one_line(exc)
    assert "orbital" in msg and "no finite range" in msg


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: free_flight(-1, 30), "burnout speed"),
        (lambda: free_flight(5, 0), "flight-path angle"),
        (lambda: free_flight(5, 95), "flight-path angle"),
        (lambda: free_flight(5, 30, -1), "burnout altitude"),
        (lambda: free_flight("fast", 30), "not a number"),
        (lambda: free_flight(float("nan"), 30), "not finite"),
        (lambda: speed_for_range(0), "range"),
        (lambda: speed_for_range(20_100), "half the Earth's circumference"),
        (lambda: flight_time_min(-5), "range"),
    ],
)
def test_bad_input_is_an_input_error(call, words):
    with pytest.raises(InputError) as exc:
        call()
    assert words in one_line(exc)


def test_input_error_is_a_value_error():
    with pytest.raises(ValueError):
        speed_for_range(-1)


# ---------------------------------------------------------------------------------------------
# Lofted tests
# ---------------------------------------------------------------------------------------------

HS12 = dict(apogee_km=2111.5, ground_range_km=787.0)


def test_hs12_simple_loft():
    est = loft_range(**HS12)
    assert est.range_km == pytest.approx(4360, abs=60)
    assert est.model == "simple" and est.gravity_loss_kms == 0.0
    assert est.burnout_speed_kms == est.loft_speed_kms


def test_loft_conic_reproduces_the_test():
    """The lofted conic flown forward reaches the observed apogee at the observed range."""
    est = loft_range(**HS12)
    ff = free_flight(est.loft_speed_kms, est.loft_flight_path_deg)
    assert ff.apogee_km == pytest.approx(2111.5, abs=1e-6)
    assert ff.range_km == pytest.approx(787.0, abs=1e-6)
    assert ff.time_min == pytest.approx(est.model_time_min)


def test_standard_trajectory_is_minimum_energy():
    est = loft_range(**HS12, burn_time_s=150, model="gravity-loss")
    mr = max_range(est.burnout_speed_kms)
    assert mr.range_km == pytest.approx(est.range_km, abs=1e-3)
    assert mr.flight_path_deg == pytest.approx(est.standard_flight_path_deg, abs=1e-4)


def test_gravity_loss_delta_v_follows_the_documented_formula():
    est = loft_range(**HS12, burn_time_s=150, model="gravity-loss")
    mean = lambda phi: math.sin(math.radians((90 + phi) / 2))  # noqa: E731 - average flight-path angle
    dv = 9.80665e-3 * 150 * (mean(est.loft_flight_path_deg) - mean(est.standard_flight_path_deg))
    assert est.gravity_loss_kms == pytest.approx(dv, rel=1e-6)
    assert est.burnout_speed_kms == pytest.approx(est.loft_speed_kms + dv, rel=1e-9)
    assert est.range_km > loft_range(**HS12).range_km


def test_gravity_loss_grows_with_burn_time():
    ranges = [loft_range(**HS12, burn_time_s=t, model="gravity-loss").range_km for t in (30, 90, 150, 240)]
    assert ranges == sorted(ranges)


def test_observed_time_is_compared_not_fitted():
    est = loft_range(**HS12, time_min=30)
    assert est.observed_time_min == 30 and est.time_diff_min == pytest.approx(30 - est.model_time_min)
    assert est.range_km == loft_range(**HS12).range_km
    assert "observed 30 min" in est.description


def test_gravity_loss_without_burn_time():
    with pytest.raises(InputError) as exc:
        loft_range(**HS12, model="gravity-loss")
    assert "the gravity-loss model needs --burn-time SECONDS" in one_line(exc)


def test_orbital_apogee():
    with pytest.raises(InputError) as exc:
        loft_range(7000, 1000)
    msg = one_line(exc)
    assert "orbital" in msg and msg.startswith("apogee 7000 km at 1000 km range implies orbital speed (Q=")


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(apogee_km=0, ground_range_km=787), "apogee"),
        (dict(apogee_km=-5, ground_range_km=787), "apogee"),
        (dict(apogee_km=2111.5, ground_range_km=0), "ground range"),
        (dict(apogee_km=2111.5, ground_range_km=-1), "ground range"),
        (dict(apogee_km=100, ground_range_km=787, burnout_alt_km=200), "not above the burnout altitude"),
        (dict(apogee_km=2111.5, ground_range_km=787, model="fancy"), "unknown"),
        (dict(apogee_km=2111.5, ground_range_km=787, burn_time_s=0, model="gravity-loss"), "burn time"),
        (dict(apogee_km=2111.5, ground_range_km=787, time_min=-3), "flight time"),
    ],
)
def test_bad_loft_input(kwargs, words):
    with pytest.raises(InputError) as exc:
        loft_range(**kwargs)
    assert words in one_line(exc)


def test_comparison_table():
    rows = comparison_table()
    assert [r.published_km for r in rows] == [4500, 6700, 10400, 13000, 15000]
    assert rows[0].simple_km == pytest.approx(4360, abs=60)
    # The simple model understates the 2017 ICBM tests more and more (reference file).
    assert rows[1].simple_km < rows[1].published_km and rows[2].simple_km < rows[2].published_km
    assert all(r.corrected_km is None or r.corrected_km > r.simple_km for r in rows)
    assert all(r.source and r.burn_time_note.startswith("assumed") for r in rows)


# Stated tolerances of the README table: the powered-flight model within 10% of each published
# range it bounds, and its lofted flight within 2.5 minutes of the observed flight time.
POWERED_TOLERANCE = 0.10
TIME_TOLERANCE_MIN = 2.5


@pytest.mark.parametrize("i", range(4))
def test_powered_flight_model_against_published_ranges(i):
    row = comparison_table()[i]
    assert row.powered_km == pytest.approx(row.published_km, rel=POWERED_TOLERANCE)
    assert row.powered_time_min == pytest.approx(row.observed_time_min, abs=TIME_TOLERANCE_MIN)
    # It is closer to the published figure than the simple model for every ICBM test.
    if i:
        assert abs(row.powered_km - row.published_km) < abs(row.simple_km - row.published_km)
    assert row.fit.apogee_km == pytest.approx(row.apogee_km, abs=1e-3)
    assert row.fit.ground_range_km == pytest.approx(row.ground_range_km, abs=1e-3)


def test_hwasong_15_gets_a_finite_number_and_hwasong_17_is_near_orbital():
    rows = {r.test.split(",")[0]: r for r in comparison_table()}
    assert math.isfinite(rows["Hwasong-15"].powered_km) and rows["Hwasong-15"].powered_km > 10_000
    assert math.isinf(rows["Hwasong-17"].powered_km)
    assert "near orbital (not bounded)" in rows["Hwasong-17"].note
    assert "near orbital: not bounded" in comparison_markdown()


def test_comparison_doc_is_generated_from_code():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "ballistics-comparison.md").read_text(encoding="utf-8")
    assert comparison_markdown() in doc
    assert fits_markdown() in doc


def test_readme_tables_are_generated_from_code():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert readme_markdown() in readme
    assert flight_time_markdown() in readme


def test_published_ranges_as_shares_of_the_tests_speed_gain():
    """Each published range, flown by the missile fitted to its test: the 2017 figures sit within
    2% of the test's speed gain; Japan's 15,000 km for the Hwasong-17 needs about 10% less (a
    heavier warhead than the test carried), which is the finite thing the model can say."""
    rows = {r.test: r for r in comparison_table()}
    for test, row in rows.items():
        share = row.published_speed_share
        if test.startswith("Hwasong-17"):
            assert 0.85 < share < 0.95
        else:
            assert share == pytest.approx(1.0, abs=0.02)
        # Flying the fitted missile with that share of its speed gain gives the published range.
        v = row.fit.vehicle
        stages = _stages(0.0 if len(v.stages) == 1 else 1.0, share * v.delta_v_kms, v.burn_time_s)
        again = pw.max_range(pw.make_vehicle(stages, source="test")).range_km
        assert again == pytest.approx(row.published_km, abs=1.0)


@pytest.mark.parametrize("check", [c for c in flight_time_checks() if c.tolerance_min is not None],
                         ids=lambda c: c.flight)
def test_flight_times_against_observed_flights(check):
    """The README's flight-time table, checked within its stated minutes (times observed to the minute).

    The cut-off trajectory of the class missile is flatter than the 2017 flights over Hokkaido
    (apogee about 770-800 km at 3,700 km): it comes down 1.3-1.5 min early on two rows, which the
    README's table says ("outside"); the miss is held under 2 min, early, here."""
    diff = check.model.total_min - check.observed_min
    outside = {"Hwasong-12, 15 Sep 2017, over Hokkaido", "Hwasong-12, the announced Guam plan"}
    assert check.fits is (check.flight not in outside)
    if check.fits:
        assert abs(diff) <= check.tolerance_min
    else:
        assert -2.0 < diff < -check.tolerance_min and "outside" in flight_time_markdown([check])
    assert check.model.boost_min + check.model.free_flight_min == pytest.approx(check.model.total_min)
    assert all(c.source for c in flight_time_checks())


def test_the_guam_statement_is_listed_not_checked():
    guam = [c for c in flight_time_checks() if "Guam (Andersen" in c.flight]
    assert len(guam) == 1 and guam[0].tolerance_min is None
    assert guam[0].model.total_min == pytest.approx(flight_time(3540.26, 4500).total_min)


def test_powered_loft_estimate():
    est = loft_range(3724.9, 998, time_min=47.2, burn_time_s=240, model="powered")
    assert est.model == "powered" and est.fit is not None
    assert est.range_km == pytest.approx(est.fit.max_range.range_km)
    assert est.burnout_speed_kms > est.loft_speed_kms and est.gravity_loss_kms > 0
    assert 0 < est.Q < 1 and est.burnout_alt_km > 100
    assert est.time_diff_min == pytest.approx(47.2 - est.model_time_min)
    assert "powered-flight model" in est.description and "stage 2" in est.description
    # Flying the test from 40°N toward the east changes the estimate by a few percent only.
    east = loft_range(3724.9, 998, burn_time_s=240, model="powered", launch_lat=40.0, launch_azimuth_deg=90.0)
    assert east.range_km == pytest.approx(est.range_km, rel=0.05) and east.range_km != est.range_km


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(model="powered"), "the powered-flight model needs --burn-time SECONDS"),
        (dict(model="powered", burn_time_s=240, burnout_alt_km=100), "places burnout itself"),
        (dict(model="powered", burn_time_s=240, stages=5), "stages"),
        (dict(model="powered", burn_time_s=240, launch_lat=95), "latitude"),
    ],
)
def test_bad_powered_loft_input(kwargs, words):
    with pytest.raises(InputError) as exc:
        loft_range(3724.9, 998, **kwargs)
    assert words in one_line(exc)


# ---------------------------------------------------------------------------------------------
# The reach API (powered by default, closed form on request) and the near-orbital flag
# ---------------------------------------------------------------------------------------------

def test_rotating_reach_models_say_which_they_are():
    az, _, _ = Geod(ellps="WGS84").inv(SOHAE[1], SOHAE[0], LOS_ANGELES[1], LOS_ANGELES[0])
    powered = rotating_reach(*SOHAE, az, 10_400)
    kepler = rotating_reach(*SOHAE, az, 10_400, model="kepler")
    assert powered.model == "powered" and kepler.model == "kepler"
    assert float(kepler.reach_km) == pytest.approx(float(rotating_reach_km(*SOHAE, az, 10_400)))
    # The powered model counts the ground covered and the height gained during the boost.
    assert float(powered.reach_km) > float(kepler.reach_km) + 300
    assert float(powered.reach_km) == pytest.approx(11_700, rel=0.03)


def test_kepler_model_says_near_orbital_above_its_threshold():
    lat = 40.0
    above = rotating_reach(lat, 0.0, [0, 90, 180, 270], orbital_threshold_km(lat) + 1, model="kepler")
    assert above.near_orbital.all() and np.isinf(above.reach_km).all()
    below = rotating_reach(lat, 0.0, [0, 90, 180, 270], orbital_threshold_km(lat) - 500, model="kepler")
    assert not below.near_orbital.any() and np.isfinite(below.reach_km).all()


def test_near_orbital_helper_and_text():
    # 15,000 km from Pyongyang: due east the farthest shots run on to the antipode; toward 45° the
    # edge is finite (shots aimed elsewhere land farther along it, beyond a gap: `beyond_km`).
    assert near_orbital(39.0194, 125.7381, [45, 90], 15_000).tolist() == [False, True]
    assert near_orbital(*CHAGANG, [45, 90], 4_500).tolist() == [False, False]
    assert NEAR_ORBITAL_TEXT == "near orbital: this model does not bound the range"
    assert {"geodesic", "kepler", "powered", "flight time"} <= set(MODEL_LINES)


def test_unknown_reach_model():
    with pytest.raises(InputError) as exc:
        rotating_reach(40, 0, 90, 1000, model="flat")
    assert "reach model 'flat' is unknown" in one_line(exc)


# ---------------------------------------------------------------------------------------------
# Flight time: boost plus free flight from the burnout point
# ---------------------------------------------------------------------------------------------

def test_guam_flight_time():
    """Chagang to Guam with a Hwasong-12: thrust cut off after 2.8 min, then 14.1 min of coast."""
    ft = flight_time(3540.26, 4500)
    assert ft.boost_min == pytest.approx(2.8, abs=0.05)
    assert ft.free_flight_min == pytest.approx(14.1, abs=0.1)
    assert ft.total_min == pytest.approx(ft.boost_min + ft.free_flight_min)
    assert ft.total_min < flight_time_min(3540.26) + boost_time_min(4500)        # no ground counted twice
    assert ft.model == "geodesic"


def test_flight_times_grow_with_distance_and_stop_at_the_range():
    ft = flight_time(np.linspace(100, 13_000, 60), 13_000)
    assert np.all(np.diff(ft.total_min) > 0) and np.all(np.diff(ft.boost_min) >= 0)
    assert ft.boost_min[-1] == pytest.approx(sum(s.burn_time_s for s in pw.class_vehicle(13_000).stages) / 60)
    beyond = flight_time([13_001, 20_000], 13_000)
    assert np.isnan(beyond.total_min).all() and np.isnan(beyond.boost_min).all()
    assert flight_time(0.0, 13_000).total_min == pytest.approx(0.0, abs=1e-9)


def test_flight_time_broadcasts():
    ft = flight_time([[1000.0], [2000.0]], 4500)
    assert ft.total_min.shape == (2, 1)
    assert isinstance(flight_time(1000.0, 4500).total_min, float)


def test_rotating_flight_time():
    az, _, dist = Geod(ellps="WGS84").inv(SOHAE[1], SOHAE[0], LOS_ANGELES[1], LOS_ANGELES[0])
    rot = flight_time(dist / 1000, 10_400, lat=SOHAE[0], lon=SOHAE[1], azimuth_deg=az, model="rotating")
    flat = flight_time(dist / 1000, 10_400)
    assert rot.model == "rotating" and rot.total_min == pytest.approx(rot.boost_min + rot.free_flight_min)
    # Toward Los Angeles the Earth's turn helps: the same distance needs less of the burn.
    assert rot.boost_min < flat.boost_min and rot.total_min == pytest.approx(flat.total_min, abs=2.0)
    # Eastward 8,000 km is well inside the reach (13,700 km): the thrust is cut off early; westward
    # it is close to the edge (about 9,000 km), nearly the full burn and a longer flight.
    ft = flight_time([8_000, 8_000], 10_400, lat=0.0, lon=0.0, azimuth_deg=[90, 270], model="rotating")
    assert ft.boost_min[0] < ft.boost_min[1] and ft.total_min[0] < ft.total_min[1]
    # Beyond the rotating reach (west from Chagang a Hwasong-12 falls short of 4,500 km): NaN.
    assert math.isnan(flight_time(4_400, 4_500, lat=CHAGANG[0], lon=CHAGANG[1], azimuth_deg=270,
                                  model="rotating").total_min)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: flight_time(-1, 4500), "negative"),
        (lambda: flight_time(100, 0), "nominal range"),
        (lambda: flight_time(100, 4500, model="flat"), "unknown"),
        (lambda: flight_time(100, 4500, model="rotating"), "needs the launch site"),
        (lambda: flight_time("far", 4500), "not a number"),
    ],
)
def test_bad_flight_time_input(call, words):
    with pytest.raises(InputError) as exc:
        call()
    assert words in one_line(exc)


# ---------------------------------------------------------------------------------------------
# Rotating Earth
# ---------------------------------------------------------------------------------------------

def integrate_impacts(lat_deg, alpha_deg, phi_deg, v_kms, h_km=0.0, omega=OMEGA_EARTH_RAD_S):
    """Independent check: RK4 of the two-body problem in the inertial frame, back to burnout radius.

    Returns (distance km, ground azimuth deg, time s) of each shot's impact on the rotating Earth.
    """
    lat = math.radians(lat_deg)
    alpha, phi = np.radians(alpha_deg), np.radians(phi_deg)
    mu = MU_KM3_S2
    r0 = EARTH_RADIUS_KM + h_km
    up = np.array([math.cos(lat), 0.0, math.sin(lat)])
    east = np.array([0.0, 1.0, 0.0])
    north = np.array([-math.sin(lat), 0.0, math.cos(lat)])
    rel = v_kms * (np.cos(phi)[:, None] * (np.sin(alpha)[:, None] * east + np.cos(alpha)[:, None] * north)
                   + np.sin(phi)[:, None] * up)
    vel = rel + np.cross([0.0, 0.0, omega], r0 * up)            # add the ground's velocity
    pos = np.tile(r0 * up, (len(alpha), 1))

    def acc(p):
        return -mu * p / np.linalg.norm(p, axis=1, keepdims=True) ** 3

    dt, t = 0.25, np.zeros(len(alpha))
    state = np.hstack([pos, vel])
    done = np.zeros(len(alpha), bool)
    final, tf = np.zeros_like(pos), np.zeros(len(alpha))
    rad_prev = np.full(len(alpha), r0)
    for _ in range(40_000):
        def f(s):
            return np.hstack([s[:, 3:], acc(s[:, :3])])
        k1 = f(state)
        k2 = f(state + dt / 2 * k1)
        k3 = f(state + dt / 2 * k2)
        k4 = f(state + dt * k3)
        new = state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        rad = np.linalg.norm(new[:, :3], axis=1)
        cross = (~done) & (rad < r0) & (t > 10)
        if cross.any():                                         # interpolate to r = r0
            w = ((rad_prev - r0) / (rad_prev - rad))[cross][:, None]
            final[cross] = state[cross, :3] + w * (new[cross, :3] - state[cross, :3])
            tf[cross] = t[cross] + w[:, 0] * dt
            done |= cross
        if done.all():
            break
        state, rad_prev, t = new, rad, t + dt
    # Turn back by the Earth's rotation and measure from the site.
    th = -omega * tf
    x = final[:, 0] * np.cos(th) - final[:, 1] * np.sin(th)
    y = final[:, 0] * np.sin(th) + final[:, 1] * np.cos(th)
    p = np.stack([x, y, final[:, 2]], axis=1) / np.linalg.norm(final, axis=1, keepdims=True)
    d = np.arctan2(np.hypot(p @ east, p @ north), p @ up)
    beta = np.degrees(np.arctan2(p @ east, p @ north)) % 360
    return d * EARTH_RADIUS_KM, beta, tf


def test_impact_formulas_match_numerical_integration():
    alpha = np.array([0.0, 45.0, 90.0, 200.0, 270.0])
    phi = np.array([20.0, 35.0, 10.0, 60.0, 25.0])
    lat, v = 39.66, 7.0
    d_num, b_num, t_num = integrate_impacts(lat, alpha, phi, v)
    s, c = math.sin(math.radians(lat)), math.cos(math.radians(lat))
    d, b, t = rotm._impact(s, c, np.radians(alpha), np.radians(phi), v * 1e3, EARTH_RADIUS_KM * 1e3, OMEGA_EARTH_RAD_S)
    assert d * EARTH_RADIUS_KM == pytest.approx(d_num, abs=0.05)     # km
    assert np.degrees(b) == pytest.approx(b_num, abs=1e-3)
    assert t == pytest.approx(t_num, abs=0.05)                         # s


def brute_force_reach_km(lat, az_deg, nominal_km, n_phi=3000):
    """Constrained maximum by brute force: for each φ on a fine grid, bisect the launch azimuth
    so that the shot lands exactly at `az_deg`; take the farthest. (Below the orbital threshold.)"""
    s, c = math.sin(math.radians(lat)), math.cos(math.radians(lat))
    v, r = speed_for_range(nominal_km) * 1e3, EARTH_RADIUS_KM * 1e3
    target = math.radians(az_deg)
    phi = np.linspace(math.radians(0.05), math.radians(89.0), n_phi)

    def miss(alpha):
        d, b, _ = rotm._impact(s, c, alpha, phi, v, r, OMEGA_EARTH_RAD_S)
        return np.mod(b - target + math.pi, 2 * math.pi) - math.pi, d

    lo, hi = np.full(n_phi, target - 1.0), np.full(n_phi, target + 1.0)
    ok = (miss(lo)[0] < 0) & (miss(hi)[0] > 0)
    for _ in range(55):
        mid = 0.5 * (lo + hi)
        below = miss(mid)[0] < 0
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    m, d = miss(0.5 * (lo + hi))
    return float(np.max(np.where(ok & (np.abs(m) < 1e-9), d, -np.inf))) * EARTH_RADIUS_KM


@pytest.mark.parametrize(
    "lat, nominal",
    [(0.0, 3_000), (39.66, 10_400), (41.37, 4_500), (-35.0, 8_000), (70.0, 12_000), (10.0, 300)],
)
def test_reach_matches_brute_force(lat, nominal):
    az = np.array([0.0, 47.65, 90.0, 160.0, 225.0, 270.0, 330.0])
    fast = rotating_reach_km(lat, 0.0, az, nominal)
    slow = np.array([brute_force_reach_km(lat, a, nominal) for a in az])
    assert fast == pytest.approx(slow, abs=0.1)                     # km


@ROTATING
@given(st.floats(-90, 90), st.floats(100, 19_000))
def test_no_rotation_gives_the_nominal_range(lat, nominal):
    reach = rotating_reach_km(lat, 10.0, np.arange(0, 360, 45), nominal, omega=0.0)
    assert reach == pytest.approx(np.full(8, nominal), abs=0.1)


@ROTATING
@given(st.floats(-85, 85), st.floats(100, 19_000))
def test_east_beats_west(lat, nominal):
    east, west = rotating_reach_km(lat, 0.0, [90, 270], nominal)
    assert east > west


@pytest.mark.parametrize("nominal", [300, 4_500, 10_400, 15_000])
def test_equator_north_equals_south(nominal):
    north, south = rotating_reach_km(0.0, 30.0, [0, 180], nominal)
    assert north == pytest.approx(south, abs=1e-6)


@ROTATING
@given(st.floats(-80, 80), st.floats(0, 360), st.floats(300, 12_000))
def test_mirror_symmetry_across_the_equator(lat, az, nominal):
    """Reflection in the equatorial plane keeps the sense of rotation: (lat, β) ↔ (−lat, 180° − β)."""
    a = rotating_reach_km(lat, 0.0, az, nominal)
    b = rotating_reach_km(-lat, 0.0, (180.0 - az) % 360, nominal)
    assert a == pytest.approx(b, abs=0.01)


@pytest.mark.parametrize("lat", [90.0, -90.0])
def test_pole_is_symmetric_up_to_the_rotation(lat):
    """At a pole the ground does not move: every launch azimuth flies the nominal range, and the
    rotation only turns the impact point's azimuth by ω·t (one more turn of the Earth under it)."""
    reach = rotating_reach_km(lat, 0.0, np.arange(0, 360, 15), 10_000)
    assert reach == pytest.approx(np.full(24, 10_000), abs=0.1)
    s = math.sin(math.radians(lat))
    alpha = np.radians(np.arange(0, 360, 30))
    phi = np.radians(np.full(12, 25.0))
    d, beta, t = rotm._impact(s, 0.0, alpha, phi, 7e3, EARTH_RADIUS_KM * 1e3, OMEGA_EARTH_RAD_S)
    assert np.ptp(d) < 1e-9 and np.ptp(t) < 1e-6
    turn = np.mod(beta - alpha + math.pi, 2 * math.pi) - math.pi
    assert np.ptp(turn) < 1e-9 and abs(turn[0]) == pytest.approx(OMEGA_EARTH_RAD_S * t[0], rel=1e-9)


def test_reach_toward_los_angeles():
    az, _, dist = Geod(ellps="WGS84").inv(SOHAE[1], SOHAE[0], LOS_ANGELES[1], LOS_ANGELES[0])
    assert az == pytest.approx(47.65, abs=0.05)        # the brief's 44.7° is not what WGS84 gives
    reach = float(rotating_reach_km(*SOHAE, az, 10_400))
    assert reach == pytest.approx(11_700, abs=300)
    assert reach > dist / 1000


@pytest.mark.parametrize("lat", [0.0, 41.37, -60.0, 89.9, 90.0])
@pytest.mark.parametrize("nominal", [15_000, 19_000, 20_000])
def test_near_half_the_globe_stays_finite(lat, nominal):
    reach = rotating_reach_km(lat, 0.0, np.arange(0, 360, 5.0), nominal)
    assert np.all(np.isfinite(reach))
    assert np.all((reach > 0.5 * nominal) & (reach <= HALF_CIRCUMFERENCE_KM + 1e-6))


def test_orbital_threshold():
    assert orbital_threshold_km(0) == pytest.approx(11_716, abs=5)
    assert orbital_threshold_km(90) == pytest.approx(HALF_CIRCUMFERENCE_KM)
    # Below the threshold the eastward optimum is sub-orbital in the inertial frame.
    lat = 40.0
    v = speed_for_range(orbital_threshold_km(lat) - 1) + OMEGA_EARTH_RAD_S * EARTH_RADIUS_KM * math.cos(math.radians(lat))
    assert v**2 * EARTH_RADIUS_KM / MU_KM3_S2 < 1


def test_reach_shape_and_periodicity():
    az = np.array([[0.0, 90.0], [360.0, -270.0]])
    reach = rotating_reach_km(*CHAGANG, az, 4_500)
    assert reach.shape == (2, 2)
    assert reach[0] == pytest.approx(reach[1], abs=1e-6)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: rotating_reach_km(95, 0, 90, 1000), "latitude"),
        (lambda: rotating_reach_km(40, 200, 90, 1000), "longitude"),
        (lambda: rotating_reach_km(40, 0, 90, 0), "range"),
        (lambda: rotating_reach_km(40, 0, 90, 21_000), "half the Earth's circumference"),
        (lambda: rotating_reach_km(40, 0, float("inf"), 1000), "azimuth"),
        (lambda: rotating_reach_km([40, 41], 0, 90, 1000), "one point"),
    ],
)
def test_bad_rotating_input(call, words):
    with pytest.raises(InputError) as exc:
        call()
    assert words in one_line(exc)


def test_outline_query_no_segment_covers_falls_back_to_nearest_point():
    """A degenerate outline covering only part of the circle still yields finite numbers."""
    n = 8
    ol = rotm._Outline(
        alpha=np.linspace(0, 2 * np.pi, n, endpoint=False),
        phi=np.full(n, 0.3),
        beta=np.linspace(0.0, 0.7, n),          # covers 0..0.7 rad, and back
        d=np.linspace(1.0, 1.7, n),
        t=np.full(n, 100.0),
    )
    d, t, _, _ = rotm._on_outline(ol, np.array([0.35, 3.0]))
    assert np.all(np.isfinite(d)) and d[1] == pytest.approx(1.7)


# ---------------------------------------------------------------------------------------------
# Flight times on the rotating Earth, boost
# ---------------------------------------------------------------------------------------------

def test_rotating_time_without_rotation_is_the_minimum_energy_time():
    t = rotating_flight_time_min(0.0, 0.0, [30.0, 200.0], [5_000, 9_000], 13_000, omega=0.0)
    assert t == pytest.approx(flight_time_min([5_000, 9_000]), abs=0.01)


def test_rotating_time_toward_los_angeles():
    az, _, dist = Geod(ellps="WGS84").inv(SOHAE[1], SOHAE[0], LOS_ANGELES[1], LOS_ANGELES[0])
    t = rotating_flight_time_min(*SOHAE, az, dist / 1000, 10_400)
    assert 25 < t < 40
    assert t == pytest.approx(flight_time_min(dist / 1000), abs=3)


def test_rotating_time_grows_with_distance():
    t = rotating_flight_time_min(*CHAGANG, 60.0, [1_000, 3_000, 6_000, 9_000], 10_400)
    assert np.all(np.diff(t) > 0)


def test_rotating_time_target_out_of_reach():
    with pytest.raises(InputError) as exc:
        rotating_flight_time_min(*CHAGANG, 270.0, 4_400, 4_500)      # west loses range
    assert "beyond this missile's reach" in one_line(exc)


def test_boost_time_estimate():
    t = boost_time_min(np.array([100, 300, 1_000, 4_500, 10_000, 13_000, 20_000]))
    assert np.all(np.diff(t) >= 0)
    assert t[0] == t[1] == 1.0 and t[-1] == 5.0
    assert 1 <= t[3] <= 5


# ---------------------------------------------------------------------------------------------
# Lofted tests: bounds, no NaN, the launch site
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(apogee_km=1e308, ground_range_km=950), "above 40,000 km"),               # was NaN, no error
        (dict(apogee_km=40000.01, ground_range_km=950, burn_time_s=240, model="gravity-loss"), "above 40,000 km"),
        (dict(apogee_km=1e6, ground_range_km=900, burn_time_s=240, model="powered"), "above 40,000 km"),
        (dict(apogee_km=4475, ground_range_km=950, burn_time_s=5, model="powered"), "outside 20-900 s"),
        (dict(apogee_km=4475, ground_range_km=950, burn_time_s=1e6, model="powered"), "outside 20-900 s"),
        (dict(apogee_km=4475, ground_range_km=950, time_min=1e9), "above 600 minutes"),
        (dict(apogee_km=4475, ground_range_km=950, launch_lat=40), "powered-flight model only"),
        (dict(apogee_km=4475, ground_range_km=950, burn_time_s=240, model="powered", launch_lat=40,
              launch_azimuth_deg=400), "launch azimuth 400° is outside -360..360"),
    ],
)
def test_loft_bounds(kwargs, words):
    with pytest.raises(InputError) as exc:
        loft_range(**kwargs)
    assert words in one_line(exc)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(apogee_km=1e9, ground_range_km=900, burn_time_s=240), "above 40,000 km"),      # ZeroDivisionError
        (dict(apogee_km=4475, ground_range_km=950, burn_time_s=19.9), "outside 20-900 s"),
        (dict(apogee_km=4475, ground_range_km=950, burn_time_s=1e6), "outside 20-900 s"),      # ran for minutes
        (dict(apogee_km=4475, ground_range_km=950, burn_time_s=240, time_min=600.5), "above 600 minutes"),
    ],
)
def test_loft_fit_bounds(kwargs, words):
    with pytest.raises(InputError) as exc:
        pw.fit_loft(**kwargs)
    assert words in one_line(exc)


def test_loft_bounds_agree():
    """fit_loft repeats loft.py's bounds (geo.core.powered cannot import the ballistics package): the same edges."""
    from geo.core.ballistics.loft import BURN_TIME_RANGE_S, MAX_APOGEE_KM, MAX_FLIGHT_TIME_MIN, check_burn_time

    lo, hi = BURN_TIME_RANGE_S
    for burn in (np.nextafter(lo, 0), np.nextafter(hi, 2 * hi)):
        for check in (check_burn_time, lambda b: pw.fit_loft(2111.5, 787, burn_time_s=b)):
            with pytest.raises(InputError, match="outside 20-900 s"):
                check(float(burn))
    with pytest.raises(InputError, match="above 40,000 km"):
        pw.fit_loft(np.nextafter(MAX_APOGEE_KM, 1e9), 787, burn_time_s=150)
    with pytest.raises(InputError, match="above 600 minutes"):
        pw.fit_loft(2111.5, 787, burn_time_s=150, time_min=np.nextafter(MAX_FLIGHT_TIME_MIN, 1e9))
    assert check_burn_time(lo) == lo and check_burn_time(hi) == hi


@pytest.mark.parametrize("burn", [20.0, 900.0])
@pytest.mark.parametrize("apogee, rng", [(1e-6, 1e-6), (40000, 950), (50, 19000), (4475, 950)])
def test_loft_corners_answer_or_refuse(burn, apogee, rng):
    """At the corners of the accepted inputs every model gives finite numbers or one InputError
    (no NaN, no ZeroDivisionError; the powered fit's work is bounded by the 900 s burn)."""
    for model in ("simple", "gravity-loss", "powered"):
        try:
            est = loft_range(apogee, rng, burn_time_s=burn, model=model, stages=2, time_min=600)
        except InputError as exc:
            assert "\n" not in str(exc)
            continue
        numbers = [x for x in est[:-2] if isinstance(x, float)]
        assert all(math.isfinite(x) for x in numbers if x is not est.range_km), est
        assert math.isfinite(est.range_km) or (model == "powered" and est.range_km == math.inf)
        assert "nan" not in est.description


@settings(max_examples=60, deadline=None)
@given(apogee=st.floats(1e-9, 40000), rng=st.floats(1e-9, 20000), burn=st.floats(20, 900))
def test_loft_closed_form_models_never_return_nan(apogee, rng, burn):
    for model in ("simple", "gravity-loss"):
        try:
            est = loft_range(apogee, rng, burn_time_s=burn, model=model)
        except InputError:
            continue
        assert all(math.isfinite(x) for x in est if isinstance(x, float)), est


def test_loft_launch_site_is_reported():
    flat = loft_range(4475, 950, burn_time_s=240, model="powered")
    east = loft_range(4475, 950, burn_time_s=240, model="powered", launch_lat=40, launch_azimuth_deg=90)
    assert flat.launch is None and flat.fitted_on == "a non-rotating Earth"
    assert east.launch == (40.0, 90.0) and east.fitted_on == "the rotating Earth, flying from 40.0°N toward 90°"
    assert round(flat.range_km) == 14446 and round(east.range_km) == 13899
