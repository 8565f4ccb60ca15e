"""In-range checks: verdicts, margins, and the vectorized table against per-pair checks."""

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from geo import Missile, Place, check, check_table, default_catalog
from geo.errors import InputError, NotFoundError
from geo.analysis.assessment import VERDICTS, verdicts
from geo.analysis.scenario import as_missile

GEOD = Geodesic.WGS84
CAT = default_catalog()


def test_founding_scenario_guam_is_in_range():
    r = check("Chagang", "Hwasong-12", "Guam")
    ref = GEOD.Inverse(41.369883, 126.913631, 13.58111, 144.92444)
    assert r.verdict == "in range"
    assert r.distance_km == pytest.approx(ref["s12"] / 1000, abs=1e-6)
    assert r.bearing_deg == pytest.approx(ref["azi1"], abs=1e-6)
    assert r.range_km == 4500 and r.margin_km == pytest.approx(4500 - ref["s12"] / 1000, abs=1e-6)


@pytest.mark.parametrize("missile,target,verdict", [
    ("Hwasong-12", "Guam", "in range"),                 # 3,540 km < 4,500
    ("Hwasong-14", "Anchorage", "in range"),            # 5,700 km < band low 6,700
    ("Hwasong-14", "Pearl Harbor", "possibly in range"),  # 7,400 km inside the 6,700-10,400 band
    ("Hwasong-14", "Washington", "out of range"),       # 10,791 km > 10,400
    ("Hwasong-15", "Washington", "in range"),
    ("Hwasong-5", "Tokyo", "out of range"),
])
def test_verdicts_from_the_catalog(missile, target, verdict):
    assert check("Chagang", missile, target).verdict == verdict


def test_range_in_km_instead_of_a_missile():
    r = check("Chagang", 3540.0, "Guam")
    assert r.verdict == "out of range" and r.margin_km == pytest.approx(3540.0 - 3540.258072, abs=1e-5)
    assert r.missile.name == "3,540 km range"


def test_too_close_under_the_minimum_range():
    m = Missile("Test", 1000.0, min_range_km=500.0, source="test")
    assert check("Chagang", m, "Seoul").distance_km == pytest.approx(422.038, abs=0.001)
    assert check("Chagang", m, "Seoul").verdict == "too close"
    assert check("Chagang", m, "Tokyo").verdict == "out of range"


def test_verdict_boundaries_are_inclusive():
    assert verdicts([4500.0, 4500.0000001], 4500, 4500).tolist() == ["in range", "out of range"]
    assert verdicts([5000.0], 4500, 5000).tolist() == ["possibly in range"]
    assert verdicts([299.9, 300.0], 1000, 1000, 300).tolist() == ["too close", "in range"]
    assert set(VERDICTS) == {"in range", "possibly in range", "out of range", "too close"}


def test_places_as_coordinates_and_pairs():
    a = check("41.369883,126.913631", "HS-12", "13.58111, 144.92444")
    b = check((41.369883, 126.913631), "hwasong12", (13.58111, 144.92444))
    assert a.distance_km == b.distance_km == check("Chagang", "HS-12", "Guam").distance_km


def test_unknown_names_and_bad_ranges():
    with pytest.raises(NotFoundError, match="closest"):
        check("Chagang", "Hwasong-99", "Guam")
    with pytest.raises(InputError, match="range -5 km"):
        as_missile(-5)
    with pytest.raises(InputError, match="latitude 95"):
        check("95,10", "HS-12", "Guam")


def test_table_matches_per_pair_checks():
    sites = [CAT.site("Chagang"), CAT.site("Sohae"), Place("South", -60.0, 179.9)]
    missiles = list(CAT.missiles)
    targets = list(CAT.targets)
    table = check_table(sites, missiles, targets)
    assert len(table) == len(sites) * len(missiles) * len(targets)
    expected = [check(s, m, t) for s in sites for m in missiles for t in targets]
    assert table["verdict"].tolist() == [r.verdict for r in expected]
    np.testing.assert_allclose(table["distance_km"], [r.distance_km for r in expected], atol=1e-9)
    np.testing.assert_allclose(table["margin_km"], [r.margin_km for r in expected], atol=1e-9)
    np.testing.assert_allclose(table["bearing_deg"], [r.bearing_deg for r in expected], atol=1e-9)
    assert table["target"].tolist() == [r.target.name for r in expected]


def test_empty_table_has_the_columns():
    table = check_table([], list(CAT.missiles), list(CAT.targets))
    assert len(table) == 0
    assert {"site", "missile", "target", "distance_km", "range_km", "margin_km", "bearing_deg",
            "verdict"} <= set(table.columns)


# --- the rotating-Earth footprint obeys the rules of range_ring --------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from geo.core.geodesy import WGS84  # noqa: E402
from geo.analysis.regions import footprint  # noqa: E402


@settings(max_examples=12, deadline=None)
@given(st.floats(-89.9, 89.9), st.floats(-180, 180), st.integers(2, 48).map(lambda k: k * 250.0),
       st.integers(0, 2**32 - 1))
def test_rotating_footprint_membership_and_vertices(lat, lon, nominal, seed):
    # nominal ranges on a 250 km grid: the class missiles' calibrations are shared and cached (as in test_powered)
    import shapely

    from geo.analysis.regions import reach_function

    zone = footprint((lat, lon), nominal, model="rotating")
    assert zone.is_valid and -180 <= zone.bounds[0] and zone.bounds[2] <= 180
    reach = reach_function("rotating", lat, lon, nominal)       # what the verdicts use

    def radial_excess(plon, plat):
        az, _, d = WGS84.inv(np.full(plon.size, lon), np.full(plon.size, lat), plon, plat)
        return np.asarray(d) / 1000 - reach(az)

    xy = shapely.get_coordinates(zone)
    on_curve = xy[(np.abs(xy[:, 0]) < 180) & (np.abs(xy[:, 1]) < 90)]
    assert np.abs(radial_excess(on_curve[:, 0], on_curve[:, 1])).max() < 0.01
    rng = np.random.default_rng(seed)
    plat = np.degrees(np.arcsin(rng.uniform(-1, 1, 3000)))
    plon = rng.uniform(-180, 180, 3000)
    excess = radial_excess(plon, plat)
    far = np.abs(excess) > 1.0
    assert np.array_equal(shapely.contains_xy(zone, plon, plat)[far], (excess <= 0)[far])


def test_rotating_footprint_reaches_farther_east():
    zone = footprint("Chagang", "Hwasong-12", model="rotating")
    ring = footprint("Chagang", "Hwasong-12", model="geodesic")
    east = WGS84.fwd(126.913631, 41.369883, 90, 4600e3)      # beyond the circle, inside the footprint
    west = WGS84.fwd(126.913631, 41.369883, 270, 4400e3)     # inside the circle, beyond the footprint
    import shapely

    assert shapely.contains_xy(zone, east[0], east[1]) and not shapely.contains_xy(ring, east[0], east[1])
    assert shapely.contains_xy(ring, west[0], west[1]) and not shapely.contains_xy(zone, west[0], west[1])


def test_unknown_model():
    with pytest.raises(InputError, match="unknown model 'flat'"):
        check("Chagang", "HS-12", "Guam", model="flat")


@settings(max_examples=10, deadline=None)
@given(st.floats(-89.9, 89.9), st.floats(-180, 180), st.floats(300, 9_000))
def test_interpolated_rotating_reach_stays_within_100_m_of_the_model(lat, lon, nominal):
    from geo.analysis.regions import reach_function
    from geo.core.ballistics import rotating_reach

    az = np.random.default_rng(7).uniform(0, 360, 200)
    exact = rotating_reach(lat, lon, az, nominal).reach_km
    assert np.abs(reach_function("rotating", lat, lon, nominal)(az) - exact).max() < 0.1
