"""Tests of geo.analysis.coverage: countries, cities and population within reach; overflight."""

from __future__ import annotations

import time

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from geo.catalog.tables import default_catalog
from geo.analysis.coverage import (AREA_LABEL, CITIES_LABEL, Coverage, area_km2, coverage, covered_countries_geojson,
                          overflight)
from geo.analysis.coverage import _cities, _countries, _country_areas
from geo.errors import InputError, NotFoundError
from geo.core.geodesy import WGS84, HALF_MERIDIAN_KM
from geo.core.rings import range_ring
from geo.outputs.text import coverage_lines

CHAGANG = default_catalog().site("Chagang")


def by_iso(cov: Coverage) -> dict:
    return {c.iso_a3: c for c in cov.countries}


def country(iso: str):
    data = _countries()
    return data.geoms[list(data.iso).index(iso)]


def farthest_km(iso: str, lat: float, lon: float) -> float:
    """Largest geodesic distance from (lat, lon) to a vertex of the country's outline."""
    xy = shapely.get_coordinates(country(iso))
    return float(WGS84.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])[2].max() / 1000)


@pytest.fixture(scope="module")
def hs12():
    return coverage("Chagang", "Hwasong-12")


# --- areas on the ellipsoid ----------------------------------------------------

def geographiclib_cap_km2(lat, lon, km, n=7200):
    """Area of a geodesic circle from points on it, with geographiclib's polygon (geodesic edges)."""
    poly = Geodesic.WGS84.Polygon()
    for az in np.linspace(0.0, 360.0, n, endpoint=False):
        g = Geodesic.WGS84.Direct(lat, lon, az, km * 1000.0)
        poly.AddPoint(g["lat2"], g["lon2"])
    return abs(poly.Compute(False, True)[2]) / 1e6


@pytest.mark.parametrize("lat, lon, km", [(90, 0, 1000), (-90, 0, 1000), (80, 30, 2500), (-70, 170, 3000)])
def test_pole_caps_have_the_area_of_the_geodesic_circle(lat, lon, km):
    ring = range_ring(lat, lon, km)
    assert shapely.intersects_xy(ring, 0.0, 90.0 if lat > 0 else -90.0)    # the outline runs along the pole
    # Ring edges lie within 1 km of the circle: allow 1 km times the perimeter. Centred on a
    # pole the ring's edges follow the parallel exactly, and geographiclib's 7,200 geodesic
    # chords (0.9 km long) cut about 0.4 km² off the circle.
    tolerance = 2 * np.pi * km * 1.0 if abs(lat) < 90 else 1.0
    assert area_km2(ring) == pytest.approx(geographiclib_cap_km2(lat, lon, km), abs=tolerance)


def test_polar_cap_matches_the_analytic_zone_area():
    ring = range_ring(90, 0, 1000)
    phi = np.radians(ring.exterior.coords[0][1])
    a, e2 = WGS84.a, WGS84.es
    e = np.sqrt(e2)

    def q(s):   # area from the equator to sin(lat) = s, whole ellipsoid longitude (Snyder 3-12)
        return np.pi * a * a * (1 - e2) * (s / (1 - e2 * s * s) + np.arctanh(e * s) / e) / 1e6

    assert area_km2(ring) == pytest.approx(q(1.0) - q(np.sin(phi)), rel=1e-12)
    # pyproj reads edges as geodesics: the 10-degree edges along the parallel bulge poleward,
    # so the raw ring comes out 0.5 % small; densified (pole edges kept) it agrees.
    raw = WGS84.geometry_area_perimeter(ring)[0] / 1e6
    assert raw < 0.996 * area_km2(ring)
    dense = WGS84.geometry_area_perimeter(shapely.segmentize(ring, 0.01))[0] / 1e6
    assert dense == pytest.approx(area_km2(ring), rel=1e-7)


@pytest.mark.parametrize("iso, low, high", [("ATA", 12.3e6, 14.2e6), ("RUS", 16.9e6, 17.1e6),
                                            ("USA", 9.3e6, 9.8e6), ("FJI", 18_000, 19_000),
                                            ("JPN", 360_000, 380_000), ("CHN", 9.3e6, 9.7e6)])
def test_country_areas(iso, low, high):
    area = _country_areas()[list(_countries().iso).index(iso)]
    assert low <= area <= high
    reference = WGS84.geometry_area_perimeter(shapely.segmentize(country(iso), 0.01))[0] / 1e6
    assert area == pytest.approx(reference, rel=5e-5)


def test_canada_area():
    # regression: the build once dropped mainland Canada (a MultiPolygon nested in a collection)
    assert shapely.contains_xy(country("CAN"), -75.70, 45.42)      # Ottawa
    assert 9.0e6 <= area_km2(country("CAN")) <= 10.0e6


def test_whole_globe_is_one_ellipsoid():
    assert area_km2(shapely.box(-180, -90, 180, 90)) == pytest.approx(4 * np.pi * 6371.0072 ** 2, rel=1e-6)


# --- coverage ------------------------------------------------------------------

def test_founding_scenario_countries(hs12):
    c = by_iso(hs12)
    for iso in ("JPN", "KOR", "PRK", "GUM", "PHL", "TWN", "MNG"):
        assert c[iso].share == 1.0 and c[iso].covered_km2 == c[iso].area_km2
    # China lies wholly within 4,500 km: its farthest outline vertex (Xinjiang) is 4,489.8 km away.
    assert farthest_km("CHN", CHAGANG.lat, CHAGANG.lon) == pytest.approx(4489.8, abs=0.1)
    assert c["CHN"].share == 1.0
    assert 0.70 < c["RUS"].share < 0.74 and 0.25 < c["IND"].share < 0.27
    # The ring reaches 186.6 degrees east (173.4 W): the Aleutians, on both sides of 180.
    assert 0 < c["USA"].share < 0.001
    _, y0, _, y1 = shapely.bounds(c["USA"].geometry)
    assert 51 < y0 < y1 < 53.5
    assert max(p.bounds[2] for p in shapely.get_parts(c["USA"].geometry) if p.bounds[2] < 0) < -173.4
    assert "CAN" not in c and "AUS" not in c
    assert all(0 < x.share <= 1 for x in hs12.countries)
    estimates = [x.population_covered_est or 0 for x in hs12.countries]
    assert estimates == sorted(estimates, reverse=True)


def test_founding_scenario_cities_and_population(hs12):
    names = {c.name for c in hs12.cities}
    assert {"Tokyo", "Seoul", "Beijing", "Shanghai", "Manila", "Taipei", "Hong Kong"} <= names
    assert 5000 < len(hs12.cities) < 8000
    pops = [c.population for c in hs12.cities]
    assert pops == sorted(pops, reverse=True) and min(pops) >= 15000
    assert hs12.population_cities == sum(pops)
    assert 1.2e9 < hs12.population_cities < 1.45e9
    assert 2.4e9 < hs12.population_area_est < 3.0e9
    assert hs12.population_area_est == pytest.approx(sum(c.population * c.share for c in hs12.countries
                                                         if c.population is not None))
    assert by_iso(hs12)["GUM"].population > 100_000          # GeoNames fills Natural Earth's gaps
    text = "\n".join(coverage_lines(hs12))
    assert "Hwasong-12" in text and CITIES_LABEL.format(min=15000) in text and AREA_LABEL in text


def test_cities_are_exactly_those_within_range(hs12):
    _, _, lat, lon, pop = _cities(15000)
    big = pop >= 15000
    dist = WGS84.inv(np.full(big.sum(), CHAGANG.lon), np.full(big.sum(), CHAGANG.lat), lon[big], lat[big])[2] / 1000
    assert len(hs12.cities) == int((dist <= 4500).sum())
    assert max(c.distance_km for c in hs12.cities) <= 4500


def grid_share(iso, site, km, step):
    """Share of a country within `km` of `site`, from a lon/lat grid weighted by geodesic cell area."""
    geom = country(iso)
    x0, y0, x1, y1 = geom.bounds
    lons, lats = np.arange(x0 + step / 2, x1, step), np.arange(y0 + step / 2, y1, step)
    cell = np.array([abs(WGS84.polygon_area_perimeter([0, step, step, 0], [y - step / 2] * 2 + [y + step / 2] * 2)[0])
                     for y in lats])
    lon, lat = np.meshgrid(lons, lats)
    weight = np.broadcast_to(cell[:, None], lon.shape)
    inside = shapely.contains_xy(geom, lon, lat)
    dist = WGS84.inv(np.full(inside.sum(), site.lon), np.full(inside.sum(), site.lat), lon[inside], lat[inside])[2]
    return weight[inside][dist / 1000 <= km].sum() / weight[inside].sum()


@pytest.mark.parametrize("iso, step", [("RUS", 0.25), ("IND", 0.1), ("KAZ", 0.1), ("THA", 0.05),
                                       ("MYS", 0.05), ("IDN", 0.1)])
def test_shares_match_a_grid_estimate(hs12, iso, step):
    assert by_iso(hs12)[iso].share == pytest.approx(grid_share(iso, CHAGANG, 4500, step), abs=0.01)


def test_icbm_covers_most_of_the_world_fast():
    start = time.perf_counter()
    cov = coverage("Chagang", "Hwasong-15")
    assert time.perf_counter() - start < 5.0
    c = by_iso(cov)
    # Over the North Pole, but not to the South Pole: 14,600 km away.
    assert shapely.intersects_xy(cov.region, 0, 90) and not shapely.intersects_xy(cov.region, 0, -90)
    assert WGS84.inv(CHAGANG.lon, CHAGANG.lat, 0, -90)[2] / 1000 == pytest.approx(14_600, abs=20)
    for iso in ("USA", "RUS", "FJI", "GBR", "AUS", "NZL"):
        assert c[iso].share == 1.0
    assert 0 < c["ATA"].share < 1 and 0 < c["ZAF"].share < 1
    assert 0.8 < c["FRA"].share < 0.9                        # all but French Guiana
    assert not {"BRA", "ARG", "CHL", "VEN"} & set(c)          # South America is out of reach
    assert 3e9 < cov.population_cities < 4e9 and 6.5e9 < cov.population_area_est < 7.8e9


def test_ring_across_the_antimeridian_counts_both_sides():
    fiji = by_iso(coverage("-18.14,178.44", 1500))["FJI"]                 # from Suva
    assert fiji.share == 1.0
    xs = shapely.get_coordinates(fiji.geometry)[:, 0]
    assert xs.min() < -178 and xs.max() > 177
    russia = by_iso(coverage("66.5,179.5", 300))["RUS"]                   # Chukotka
    parts = shapely.get_parts(russia.geometry)
    assert any(p.bounds[2] <= -170 for p in parts) and any(p.bounds[0] >= 170 for p in parts)
    assert russia.share == pytest.approx(grid_share_ring("RUS", 66.5, 179.5, 300), abs=2e-5)


def grid_share_ring(iso, lat, lon, km):
    """Covered area / country area from a grid of points near the site (Russia: both sides of 180)."""
    total = _country_areas()[list(_countries().iso).index(iso)]
    ys = np.arange(lat - 3.5, lat + 3.5, 0.01)
    xs = np.arange(-180, 180, 0.02)
    xs = xs[np.abs(((xs - lon + 180) % 360) - 180) < 9]
    x, y = np.meshgrid(xs + 0.01, ys + 0.005)
    inside = shapely.contains_xy(country(iso), x, y)
    d = WGS84.inv(np.full(inside.sum(), lon), np.full(inside.sum(), lat), x[inside], y[inside])[2] / 1000
    cell = np.array([abs(WGS84.polygon_area_perimeter([0, 0.02, 0.02, 0], [v - 0.005] * 2 + [v + 0.005] * 2)[0])
                     for v in y[inside][d <= km]]) / 1e6
    return cell.sum() / total


def test_half_a_meridian_covers_every_country():
    cov = coverage("0,0", HALF_MERIDIAN_KM + 6)
    data = _countries()
    assert len(cov.countries) == len(data.iso)
    assert all(c.share == 1.0 for c in cov.countries)
    assert cov.covered_km2 == pytest.approx(_country_areas().sum(), rel=1e-12)
    assert cov.population_area_est == pytest.approx(np.nansum(data.population))
    _, _, _, _, pop = _cities(15000)
    assert len(cov.cities) == int((pop >= 15000).sum())


def test_rotating_model_and_city_threshold():
    cov = coverage("Chagang", "Hwasong-12", model="rotating", min_population=100_000)
    assert cov.model == "rotating" and min(c.population for c in cov.cities) >= 100_000
    assert shapely.contains_xy(cov.region, [c.lon for c in cov.cities], [c.lat for c in cov.cities]).all()
    small = coverage("Chagang", 300, min_population=5000)
    assert min(c.population for c in small.cities) >= 5000
    assert len(small.cities) > len(coverage("Chagang", 300).cities)


def test_geojson_layer(hs12):
    layer = covered_countries_geojson(hs12)
    assert len(layer["features"]) == len(hs12.countries)
    first = layer["features"][0]
    assert first["properties"]["iso_a3"] == "CHN" and first["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize("call, error", [
    (lambda: coverage("Atlantis-9", "Hwasong-12"), NotFoundError),
    (lambda: coverage("Chagang", "Hwasong-99"), NotFoundError),
    (lambda: coverage("Chagang", -5), InputError),
    (lambda: coverage("Chagang", "Hwasong-12", model="flat"), InputError),
    (lambda: coverage("Chagang", "Hwasong-12", min_population=100), InputError),
    (lambda: coverage("Chagang", "Hwasong-12", min_population="many"), InputError),
    (lambda: coverage("95,0", 1000), InputError),
    (lambda: overflight("Chagang", "Atlantis-9"), NotFoundError),
    (lambda: overflight("Chagang", "0,200"), InputError),
    (lambda: overflight("Chagang", "Guam", join_gap_km="wide"), InputError),
    (lambda: overflight("Chagang", "Guam", join_gap_km=float("nan")), InputError),
    (lambda: overflight("Chagang", "Guam", join_gap_km=-1), InputError),
])
def test_bad_input(call, error):
    with pytest.raises(error):
        call()


# --- overflight ----------------------------------------------------------------

def isos(track) -> list[str]:
    """Country codes in order, repeated landfalls on one country collapsed."""
    out = []
    for o in track:
        if not out or out[-1] != o.iso_a3:
            out.append(o.iso_a3)
    return out


def check_track(track, site, target):
    total = WGS84.inv(site[1], site[0], target[1], target[0])[2] / 1000
    enters = [o.enter_km for o in track]
    assert enters == sorted(enters)
    assert all(0 <= o.enter_km <= o.exit_km <= total + 1e-6 for o in track)
    for o in track:   # the middle of every stretch lies in that country
        az = WGS84.inv(site[1], site[0], target[1], target[0])[0]
        lon, lat, _ = WGS84.fwd(site[1], site[0], az, (o.enter_km + o.exit_km) / 2 * 1000)
        assert shapely.intersects_xy(country(o.iso_a3), lon, lat), o
    return total


def test_chagang_to_guam_crosses_western_japan():
    track = overflight("Chagang", "Guam")
    guam = default_catalog().target("Guam")
    total = check_track(track, (CHAGANG.lat, CHAGANG.lon), (guam.lat, guam.lon))
    assert isos(track) == ["PRK", "JPN", "GUM"] and len(track) == 4      # Honshu, then Shikoku
    assert track[0].enter_km == 0 and track[-1].exit_km == pytest.approx(total)
    joined = overflight("Chagang", "Guam", join_gap_km=44.4)
    assert [o.iso_a3 for o in joined] == ["PRK", "JPN", "GUM"]
    assert joined[1].enter_km == track[1].enter_km and joined[1].exit_km == track[2].exit_km


def test_chagang_to_washington_over_the_arctic():
    track = overflight("Chagang", "Washington")
    dc = default_catalog().target("Washington")
    check_track(track, (CHAGANG.lat, CHAGANG.lon), (dc.lat, dc.lon))
    assert isos(track) == ["PRK", "CHN", "RUS", "CAN", "USA"]
    russia = next(o for o in track if o.iso_a3 == "RUS")
    assert 2500 < russia.length_km < 3200


def test_chagang_to_washington_crosses_mainland_canada():
    track = overflight("Chagang", "Washington")
    canada = [o for o in track if o.iso_a3 == "CAN"]
    assert canada[-1].exit_km == next(o for o in track if o.iso_a3 == "USA").enter_km   # a land border


def test_sohae_to_los_angeles():
    sohae, la = default_catalog().site("Sohae"), default_catalog().target("Los Angeles")
    track = overflight("Sohae", "Los Angeles")
    total = check_track(track, (sohae.lat, sohae.lon), (la.lat, la.lon))
    assert isos(track) == ["PRK", "CHN", "PRK", "CHN", "RUS", "USA"]      # along the Yalu, then Primorye
    assert "JPN" not in isos(track)
    assert sum(o.iso_a3 == "RUS" for o in track) == 4                   # mainland, Sakhalin, Kamchatka, Commander Is.
    assert track[-1].exit_km == pytest.approx(total)


def test_track_across_the_antimeridian_keeps_order():
    tokyo, honolulu = (35.6895, 139.6917), (21.3069, -157.8583)
    track = overflight("35.6895,139.6917", "Honolulu")
    total = check_track(track, tokyo, honolulu)
    assert isos(track)[0] == "JPN" and isos(track)[-1] == "USA"
    assert track[0].enter_km == 0 and track[-1].exit_km == pytest.approx(total)
    # Over Chukotka from 175E to 175W: one stretch over Russia, joined at the cut.
    assert shapely.contains_xy(country("RUS"), [175.0, -175.0], [67.0, 67.0]).all()
    chukotka = overflight("67,175", "67,-175")
    assert [o.iso_a3 for o in chukotka] == ["RUS"] and chukotka[0].enter_km == 0


def test_site_at_sea_has_no_leading_country():
    track = overflight("30,150", "Honolulu")
    assert track and track[0].enter_km > 0 and set(isos(track)) == {"USA"}
    assert overflight("30,150", "31,151") == ()
    assert [(o.iso_a3, o.enter_km, o.exit_km) for o in overflight("Chagang", "41.369883,126.913631")] == \
        [("PRK", 0.0, 0.0)]
