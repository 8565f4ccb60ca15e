"""Flight times from the trajectories the model flies (issue 17, item 2).

Every target a model rates "in range" or "possibly in range" gets a flight time from that model,
under both models; at the edge of the reach it is the time of the shot that reaches it, checked
against an independent integration (SciPy's DOP853, :func:`test_powered.reference_flight`);
inside the reach it is the class missile's maximum-range programme with its thrust cut off, and
the cut-off shot, flown independently, lands on the target in that time.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from pyproj import Geod
from test_powered import as_tuples, reference_flight

from geo.analysis.assessment import NO_TIME_NEAR_ORBITAL, assess, measure
from geo.analysis.regions import UNBOUNDED_KM, reach_function
from geo.analysis.scenario import Scenario
from geo.catalog.tables import default_catalog
from geo.cli import main
from geo.core import powered
from geo.core.ballistics import CUTOFF_TRAJECTORY, flight_time, rotating_reach
from geo.core.powered.azimuths import N_ALPHA, _boundary
from geo.core.powered.flight import OMEGA_EARTH_RAD_S

WGS84 = Geod(ellps="WGS84")
SOHAE = (39.66, 124.705)
CHAGANG = (41.369883, 126.913631)
CLASSES = (1000.0, 4500.0, 10_400.0)
SHARES = np.array([0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97, 0.99, 0.995, 0.999])
BEARINGS = (0.0, 47.65, 90.0, 180.0, 270.0)


# ---------------------------------------------------------------------------------------------
# At the edge: the maximum-range shot's own time, by an independent integration
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("nominal", CLASSES)
def test_edge_time_is_the_max_range_shot_time_non_rotating(nominal):
    v = powered.class_vehicle(nominal)
    pitch = powered.max_range(v).pitch_deg
    d_km, _, t_s = reference_flight(0.0, 0.0, pitch, as_tuples(v), omega=0.0)
    assert d_km == pytest.approx(nominal, rel=1e-4)
    for share in (0.999, 1.0):
        ft = flight_time(share * nominal, nominal)
        assert ft.total_min == pytest.approx(t_s / 60.0, rel=0.01)
    # The old boost + minimum-energy conic gave 9.4, 21.9 and 36.8 min here: 4-12 % too long.
    assert flight_time(nominal, nominal).total_min == pytest.approx(t_s / 60.0, rel=2e-3)


@pytest.mark.parametrize("nominal, lat, rows", [
    (10_400.0, SOHAE[0], (0, 22, 45, 90, 135)),        # launch azimuths 0, 44, 90, 180, 270°
    (4500.0, 0.0, (45, 135)),                           # due east and due west from the equator
    (1000.0, CHAGANG[0], (45, 135)),
])
def test_edge_time_is_the_max_range_shot_time_rotating(nominal, lat, rows):
    """The farthest shot of a launch azimuth, flown by DOP853 over the rotating Earth, lands at the
    reach toward its ground azimuth; the flight time there (99.9 % of the reach) is its time."""
    _, _, _, flagged, _, (alpha, theta) = _boundary(math.radians(lat), nominal, OMEGA_EARTH_RAD_S, N_ALPHA)
    v = powered.class_vehicle(nominal)
    for i in rows:
        assert not flagged[i]
        d_km, az, t_s = reference_flight(lat, math.degrees(alpha[i]), math.degrees(theta[i]), as_tuples(v))
        reach = float(rotating_reach(lat, 0.0, az, nominal).reach_km)
        assert d_km == pytest.approx(reach, rel=1e-3)
        ft = flight_time(0.999 * reach, nominal, lat=lat, lon=0.0, azimuth_deg=az, model="rotating")
        assert ft.total_min == pytest.approx(t_s / 60.0, rel=0.01)


@pytest.mark.parametrize("nominal, share", [(4500.0, 0.3), (4500.0, 0.79), (10_400.0, 0.05), (10_400.0, 0.6)])
def test_inside_the_reach_the_cut_off_shot_lands_on_the_target(nominal, share):
    """The trajectory named: the maximum-range programme with the thrust cut off at the boost time
    given lands, flown independently, at the target's distance after the flight time given."""
    v = powered.class_vehicle(nominal)
    pitch = powered.max_range(v).pitch_deg
    ft = flight_time(share * nominal, nominal)
    assert ft.trajectory == CUTOFF_TRAJECTORY
    d_km, _, t_s = reference_flight(0.0, 0.0, pitch, as_tuples(v), omega=0.0, cutoff_s=ft.boost_min * 60.0)
    assert d_km == pytest.approx(share * nominal, rel=5e-3)
    assert t_s / 60.0 == pytest.approx(ft.total_min, rel=5e-3)


# ---------------------------------------------------------------------------------------------
# Everywhere in the band, both models; growing with the distance
# ---------------------------------------------------------------------------------------------

def _targets(site, bearing, distances):
    lon, lat, _ = WGS84.fwd(np.full(distances.size, site[1]), np.full(distances.size, site[0]),
                            np.full(distances.size, bearing), distances * 1e3)
    return np.asarray(lat), np.asarray(lon)


@pytest.mark.parametrize("model", ["geodesic", "rotating"])
@pytest.mark.parametrize("nominal", CLASSES)
def test_every_target_in_range_has_a_flight_time(model, nominal):
    """From 0.5 % to 99.9 % of the reach toward five bearings (due east and west among them): in
    range, a flight time, growing with the distance, with no jump."""
    fn = reach_function(model, *SOHAE, nominal)
    ranges = np.array([[nominal, nominal, nominal, np.nan]])
    for bearing in BEARINGS:
        reach = float(fn(np.array([bearing]))[0])
        lat, lon = _targets(SOHAE, bearing, SHARES * reach)
        _, _, _, _, _, _, _, code, free, boost = measure(np.array([SOHAE[0]]), np.array([SOHAE[1]]), lat, lon,
                                                          ranges, model)
        total = (free + boost)[0, 0]
        assert (code == 0).all(), (bearing, code)
        assert np.isfinite(total).all(), (bearing, total)
        assert np.all(np.diff(total) > 0)
    # Continuous: 400 targets along the bearing, each step of the time like its neighbours' (no jump).
    lat, lon = _targets(SOHAE, 90.0, np.linspace(0.002, 0.999, 400) * float(fn(np.array([90.0]))[0]))
    cells = measure(np.array([SOHAE[0]]), np.array([SOHAE[1]]), lat, lon, ranges, model)
    total = (cells[8] + cells[9])[0, 0]
    steps = np.diff(total)
    assert np.all(steps > 0) and np.all(steps[1:-1] <= 1.5 * np.maximum(steps[:-2], steps[2:]) + 1e-3)


def test_rotating_model_gives_times_where_main_gave_none(capsys):
    """Sohae / 9,000 km / Los Angeles: in range under the rotating model, and now timed."""
    assert main(["check", "--site", "Sohae", "--range", "9000", "--target", "Los Angeles", "--model", "rotating",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == "in range" and doc["margin_km"] > 300
    assert 28 < doc["flight_time_min"] < 33
    assert doc["flight_time_basis"] == f"9,000 km class missile: {CUTOFF_TRAJECTORY}"
    assert doc["flight_time_min"] == pytest.approx(doc["boost_min"] + doc["free_flight_min"])


def test_band_targets_are_timed_by_the_band_top_up_to_its_rotating_edge(capsys):
    """Hwasong-12 from Chagang to 27.15714,-178.82859: possibly in range (rotating), flown by the
    5,000 km class (the band's top), timed; and so everywhere across the band, east and west."""
    assert main(["check", "--site", "Chagang", "--missile", "Hwasong-12", "--target", "27.15714,-178.82859",
                 "--model", "rotating", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["verdict"] == "possibly in range" and doc["flight_time_min"] is not None
    assert doc["flight_time_basis"].startswith("5,000 km class missile (the band's top)")
    ft = flight_time(doc["distance_km"], 5000, lat=CHAGANG[0], lon=CHAGANG[1], azimuth_deg=doc["bearing_deg"],
                     model="rotating")
    assert doc["flight_time_min"] == pytest.approx(ft.total_min, rel=1e-3)
    high = reach_function("rotating", *CHAGANG, 5000.0)
    nominal = reach_function("rotating", *CHAGANG, 4500.0)
    for bearing in (90.0, 270.0, 180.0):
        lo, hi = float(nominal(np.array([bearing]))[0]), float(high(np.array([bearing]))[0])
        lat, lon = _targets(CHAGANG, bearing, lo + (hi - lo) * np.array([0.01, 0.5, 0.99, 0.999]))
        cells = measure(np.array([CHAGANG[0]]), np.array([CHAGANG[1]]), lat, lon,
                        np.array([[4500.0, 4500.0, 5000.0, np.nan]]), "rotating")
        assert (cells[7] == 1).all() and np.isfinite(cells[8] + cells[9]).all(), bearing


@pytest.mark.parametrize("model", ["geodesic", "rotating"])
def test_catalog_missiles_with_bands_are_timed_across_the_band(model):
    """Catalog missiles with a band, from Chagang: targets from 0.5 % to 99.9 % of the band top's
    reach, due east and due west, all in range or possibly, all timed (where the reach is bounded)."""
    cat = default_catalog()
    site = cat.site("Chagang")
    names = ("KN-23", "Musudan", "Hwasong-12", "Agni-V", "Jericho III", "DF-41")
    for name in names if model == "geodesic" else names[::2]:
        m = cat.missile(name)
        assert m.max_km > m.certain_km
        for bearing in (90.0, 270.0):
            top = float(reach_function(model, site.lat, site.lon, m.max_km)(np.array([bearing]))[0])
            if top >= UNBOUNDED_KM:             # near orbital: see test_near_orbital_bearings_...
                continue
            lat, lon = _targets((site.lat, site.lon), bearing, np.array([0.005, 0.3, 0.7, 0.95, 0.999]) * top)
            cells = measure(np.array([site.lat]), np.array([site.lon]), lat, lon,
                            np.array([[m.range_km, m.certain_km, m.max_km, np.nan]]), model)
            code, total = cells[7][0, 0], (cells[8] + cells[9])[0, 0]
            assert (code <= 1).all() and (code[-2:] == 1).all(), (m.name, bearing, code)
            assert np.isfinite(total).all(), (m.name, bearing, total)


def test_the_basis_reaches_the_check_the_table_and_the_json(capsys):
    a = assess(Scenario.resolve("Chagang", "Hwasong-12", ["Guam", "4.2,150", "Washington"]))
    basis = a.columns()["flight_time_basis"].tolist()
    assert basis[0] == f"4,500 km class missile: {CUTOFF_TRAJECTORY}"
    assert "band's top" in basis[1] and basis[2] is None
    assert a.check(0, 0, 0).flight_time_basis == basis[0]
    assert main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["flight_time_basis"] == basis[0] and "cut off" in doc["flight_time_note"]
    assert round(doc["flight_time_min"], 1) == 17.0
    assert main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam"]) == 0
    assert "cut off to land there" in capsys.readouterr().out


def test_near_orbital_bearings_are_timed_where_a_shot_comes_down():
    """A 15,000 km class from Sohae, due east: near orbital (the model does not bound the reach).
    Targets its own cut-off shots reach get their time; farther out, toward the antipode, none,
    and the reason says why."""
    lat, lon = _targets(SOHAE, 90.0, np.array([3000.0, 12_000.0, 18_900.0]))
    a = assess(Scenario.resolve(SOHAE, 15_000.0, [(y, x) for y, x in zip(lat, lon)], model="rotating"))
    assert a.near_orbital.all() and (a.verdict_code == 0).all()
    total = a.flight_time_min[0, 0]
    assert np.isfinite(total[:2]).all() and total[0] < total[1] and math.isnan(total[2])
    basis = a.flight_time_basis[0, 0]
    assert basis[0].startswith("15,000 km class missile") and basis[2] == NO_TIME_NEAR_ORBITAL
