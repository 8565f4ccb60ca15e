"""A whole country as a target: golden distances against GeographicLib, properties, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.analysis.country_reach import COUNTRY_VERDICTS, CountryReach, country_reach
from geo.catalog.countries import country_records
from geo.catalog.tables import default_catalog
from geo.errors import InputError, NotFoundError
from geo.outputs.text import country_reach_lines

GEOD = Geodesic.WGS84


def outline(iso: str):
    props, geoms = country_records()
    return geoms[[p["iso_a3"] for p in props].index(iso)]


def brute_force(lat: float, lon: float, iso: str, step_deg: float = 0.002):
    """Min and max GeographicLib distance (km) over the outline split every `step_deg` (~200 m)."""
    xy = shapely.get_coordinates(shapely.segmentize(shapely.boundary(outline(iso)), step_deg))
    d = np.array([GEOD.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"] for x, y in xy]) / 1000.0
    return d.min(), d.max(), float(step_deg * 111.4)


# Sites and small countries: the brute force runs GeographicLib (pure Python) on every point.
GOLDEN = [((41.369883, 126.913631), "LUX"), ((35.23472, 53.92083), "CYP"), ((35.23472, 53.92083), "ISR"),
          ((62.92556, 40.57778), "LKA"), ((34.75133, -120.52023), "JAM"), ((-33.9, 151.2), "FJI")]


@pytest.mark.parametrize("site, iso", GOLDEN, ids=[g[1] for g in GOLDEN])
def test_nearest_and_farthest_agree_with_geographiclib(site, iso):
    r = country_reach(site, iso, 5000)
    lo, hi, spacing = brute_force(*site, iso)
    # our extremes are exact to accuracy_km over the outline; the brute force is within half its spacing
    assert r.accuracy_km < 0.02
    assert lo - r.accuracy_km <= r.nearest.distance_km <= lo + 1e-6
    assert hi - 1e-6 <= r.farthest.distance_km <= hi + spacing / 2 + r.accuracy_km
    for p in (r.nearest, r.farthest):             # each reported point is at its reported distance
        g = GEOD.Inverse(site[0], site[1], p.lat, p.lon)
        assert g["s12"] / 1000.0 == pytest.approx(p.distance_km, abs=1e-6)
        assert (g["azi1"] % 360.0) == pytest.approx(p.bearing_deg, abs=1e-6)
        assert shapely.distance(outline(iso).boundary, shapely.Point(p.lon, p.lat)) < 1e-9


def test_site_inside_the_country():
    r = country_reach("Chagang", "North Korea", 100)
    assert r.nearest.distance_km == 0.0 and r.verdict == "part" and 0 < r.share < 1
    assert (r.nearest.lat, r.nearest.lon) == (41.369883, 126.913631)


def test_antipode_inside_the_country():
    # from Spain, the antipode lies in New Zealand: the farthest point is inside, not on the coast
    site = (40.0, -4.0)
    r = country_reach(site, "NZL", 20010)
    _, hi, _ = brute_force(*site, "NZL", step_deg=0.02)
    g = GEOD.Inverse(site[0], site[1], -40.0, 176.0)["s12"] / 1000.0
    assert r.farthest.distance_km >= max(hi, g) - r.accuracy_km
    assert r.farthest.distance_km < 20004.0 and r.verdict == "all"


@pytest.mark.parametrize("site, country, km, verdict", [
    ("Chagang", "Japan", 4500, "all"), ("Chagang", "Japan", 1000, "part"), ("Chagang", "Brazil", 4500, "none"),
    ("Semnan", "Germany", 2000, "none"), ("Semnan", "Germany", 4000, "part"), ("Semnan", "Israel", 2000, "all"),
])
def test_verdicts(site, country, km, verdict):
    r = country_reach(site, country, km)
    assert r.verdict == verdict
    assert r.share == {"all": 1.0, "none": 0.0}.get(verdict, r.share) and 0 <= r.share <= 1


def test_far_territories_are_named():
    fr = country_reach("Semnan", "France", 4000)
    assert fr.nearest.main_part is False and fr.nearest.part == "the part around Bastia, France"
    assert fr.farthest.part == "the part around Cayenne, French Guiana" and not fr.farthest.main_part
    us = country_reach("Semnan", "US", 10000)
    assert us.nearest.part == "the part around Anchorage, Alaska, United States"
    assert us.farthest.part == "the part around Hilo, Hawaii, United States"
    assert "on the part around Anchorage" in country_reach_lines(us)[1]
    de = country_reach("Semnan", "Germany", 4000)
    assert de.nearest.main_part and ", on " not in country_reach_lines(de)[1]


def test_share_is_the_geodesic_area_share():
    from geo.analysis.coverage import area_km2
    from geo.core.rings import range_ring

    r = country_reach("Chagang", "Japan", 1000)
    want = float(area_km2(shapely.intersection(outline("JPN"), range_ring(41.369883, 126.913631, 1000))))
    assert r.covered_km2 == pytest.approx(want) and r.share == pytest.approx(want / r.area_km2)
    assert r.area_km2 == pytest.approx(float(area_km2(outline("JPN"))))


def test_reach_function_matches_a_constant_range():
    fixed = country_reach("Chagang", "Japan", 1000)
    fn = country_reach("Chagang", "Japan", lambda az: np.full(np.shape(az), 1000.0))
    assert (fn.verdict, fn.model, fn.range_km) == ("part", "reach function", None)
    assert fn.share == pytest.approx(fixed.share, rel=0.01)
    assert fn.nearest == fixed.nearest and fn.farthest == fixed.farthest


def test_reach_function_varies_with_azimuth():
    # long reach toward the east-south-east (Japan), short toward the west (Kazakhstan)
    def east(az):
        return 1500.0 + 1400.0 * np.cos(np.radians(np.asarray(az) - 120.0))

    assert country_reach("Chagang", "Japan", 1500).verdict == "part"
    japan = country_reach("Chagang", "Japan", east)
    assert (japan.verdict, japan.share) == ("all", 1.0)
    assert country_reach("Chagang", "Kazakhstan", east).verdict == "none"
    assert country_reach("Chagang", "Kazakhstan", 3500).verdict == "part"


def test_country_place_from_the_catalog():
    japan = default_catalog().target("Japan")
    r = country_reach(default_catalog().site("Chagang"), japan, 1000)
    assert isinstance(r, CountryReach) and (r.country, r.iso_a3) == ("Japan", "JPN")
    doc = r.as_dict()
    assert doc["verdict"] == "part" and doc["nearest"]["part"] and "Natural Earth" in doc["outline"]
    assert "Karney" in doc["distances"] and "geometry" not in doc


@pytest.mark.parametrize("country, error, text", [
    ("Narnia", NotFoundError, "unknown country 'Narnia'"),
    ("French Guiana", NotFoundError, "French Guiana has no outline of its own"),
])
def test_bad_country(country, error, text):
    with pytest.raises(error, match=text):
        country_reach("Chagang", country, 1000)


def test_a_city_is_not_a_country():
    with pytest.raises(InputError, match="is a city, not a country"):
        country_reach("Chagang", default_catalog().target("Berlin"), 1000)


@pytest.mark.parametrize("reach", [0, -5, float("nan")])
def test_bad_range(reach):
    with pytest.raises(InputError):
        country_reach("Chagang", "Japan", reach)


@settings(max_examples=15, deadline=None)
@given(st.floats(-80, 80), st.floats(-180, 180), st.floats(50, 15000), st.sampled_from(["LUX", "CYP", "JAM", "ISL"]))
def test_properties(lat, lon, km, iso):
    r = country_reach((lat, lon), iso, km)
    assert r.verdict in COUNTRY_VERDICTS and 0 <= r.share <= 1
    assert r.nearest.distance_km <= r.farthest.distance_km
    xy = shapely.get_coordinates(outline(iso))
    d = np.array([GEOD.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"] for x, y in xy[::5]]) / 1000.0
    assert r.nearest.distance_km <= d.min() + 1e-6 and d.max() <= r.farthest.distance_km + 1e-6
    assert r.verdict == ("all" if r.farthest.distance_km <= km else "none" if r.nearest.distance_km > km else "part")
    assert (r.share == 1.0) == (r.verdict == "all") and (r.share == 0.0) == (r.verdict == "none")
