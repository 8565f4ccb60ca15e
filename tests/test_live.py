"""The live map (``rangemap map --live``) in a real browser: Debian's headless Chromium via Playwright.

The page computes its rings and checks itself (GeographicLib's JavaScript port); every
figure is compared here with the Python side (pyproj's Karney geodesics, geo.check).
Many evaluations are batched into one ``page.evaluate`` so the file stays quick.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
import shapely.geometry

from geo.analysis.reach import check as geo_check
from geo.catalog.tables import Missile, Place, default_catalog
from geo.cli.main import main
from geo.core.geodesy import HALF_MERIDIAN_KM, WGS84
from geo.core.rings import MERCATOR_LAT_LIMIT, display_ring, range_ring
from geo.errors import InputError
from geo.outputs.live import BAND_NODES, LiveMap, band_flight_table, build_live_map, flight_table, write_live_map

browser = pytest.mark.browser
CAT = default_catalog()
PHONE = {"width": 375, "height": 667}
HOSTILE_SITE = "<img src=x onerror=alert('site')>{{7*7}}${1+1}</script>"
HOSTILE_MISSILE = "M<script>alert('m')</script>&amp;"
HOSTILE_TARGET = "\u2028<b onmouseover=alert(1)>T</b>'\""
HOSTILE_SOURCE = "<a href=javascript:alert(2)>src</a>"


# --- helpers -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def founding_file(tmp_path_factory) -> Path:
    """The founding scenario plus a missile with a minimum range (for the 'too close' verdict)."""
    page = build_live_map(["Chagang", "Sohae"],
                          ["Hwasong-12", Missile("Close-in", 1500.0, range_low_km=1200.0, range_high_km=1800.0,
                                                 min_range_km=300.0, source="test")],
                          ["Guam"], title="Founding scenario")
    return write_live_map(page, tmp_path_factory.mktemp("live") / "live.html")


def open_live(tab, path: Path, fragment: str = "", local_only: bool = True):
    """Load `path` from file://, abort (and record as an error) anything that is not file:/data:/blob:."""
    if local_only:
        tab.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("file:", "data:", "blob:")) else (tab.errors.append(f"network: {route.request.url}"), route.abort()))
    tab.page.goto(path.as_uri() + fragment)
    tab.page.wait_for_function("window.rangemap && window.rangemap.ready === true", timeout=15_000)
    return tab.page


def on_box_edge(lon, lat, site_lon):
    """Points the drawing adds on the display box (cut at site lon +-180, clamped at Mercator's limit)."""
    off = np.mod(lon - site_lon, 360.0)
    return (np.abs(np.abs(lat) - MERCATOR_LAT_LIMIT) < 1e-9) | (np.abs(off - 180.0) < 1e-9)


def distances_km(site_lat, site_lon, lon, lat):
    n = len(lon)
    return np.asarray(WGS84.inv(np.full(n, site_lon), np.full(n, site_lat), lon, lat)[2]) / 1000.0


def even_odd_inside(polygons, x, y) -> np.ndarray:
    """Even-odd point-in-polygon (SVG's fill rule, which the page uses) over every ring of every polygon."""
    inside = np.zeros(x.shape, dtype=bool)
    for polygon in polygons:
        for ring in polygon:
            r = np.asarray(ring, dtype=float)
            x1, y1, x2, y2 = r[:-1, 0], r[:-1, 1], r[1:, 0], r[1:, 1]
            for i in range(len(x1)):
                if y1[i] == y2[i]:
                    continue
                crosses = (y1[i] > y) != (y2[i] > y)
                xi = x1[i] + (y - y1[i]) * (x2[i] - x1[i]) / (y2[i] - y1[i])
                inside ^= crosses & (x < xi)
    return inside


RINGS_JS = """(cases) => cases.map(([lat, lon, km]) => {
    window.rangemap.setSite(lat, lon);
    window.rangemap.setRange(km);
    return window.rangemap.rings();
})"""

# Sites at the poles, on the antimeridian and elsewhere; ranges from 1 km to past half a meridian.
SITES = [(90.0, 0.0), (-90.0, 60.0), (89.9, -45.0), (0.0, 180.0), (-30.0, -180.0), (65.0, 179.9),
         (41.369883, 126.913631), (0.0, 0.0), (-45.0, -70.0)]
RANGES = [1.0, 150.0, 1_000.0, 4_500.0, 9_990.0, 10_010.0, 13_000.0, 17_000.0, 19_600.0, 19_990.0,
          HALF_MERIDIAN_KM - 0.01, 20_010.0]


# --- the page alone: geometry, checks, interface ---------------------------------------

@browser
def test_opens_offline_with_no_request_and_no_error(tab, founding_file):
    page = open_live(tab, founding_file)
    state = page.evaluate("window.rangemap.state()")
    assert state["site"]["name"] == "Hoejung-ri missile operating base (Chagang)"
    assert state["reach"]["missile"] == "Hwasong-12" and [t["name"] for t in state["targets"]] == ["Guam (Andersen AFB)"]
    page.hover(".rm-target-icon")                                        # a tooltip, by a real mouse
    page.wait_for_timeout(50)
    assert "in range" in page.locator(".leaflet-tooltip").last.text_content()
    assert "Guam (Andersen AFB): in range" in page.locator("#rm-targets").text_content()
    assert {r.split(":", 1)[0] for r in tab.requests} <= {"file", "data", "blob"}
    assert page.locator("script[src], link[rel=stylesheet], img[src^=http]").count() == 0
    assert tab.errors == [] and tab.dialogs == []
    assert page.evaluate("document.querySelectorAll('path').length") > 100       # land, graticule, rings, path


@browser
def test_dragging_the_site_marker_with_the_mouse_moves_the_rings(tab, founding_file):
    page = open_live(tab, founding_file)
    before = page.evaluate("window.rangemap.rings()")
    box = page.locator(".rm-site-icon").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + 12 * i, y + 5 * i)
    page.mouse.up()
    page.wait_for_timeout(50)
    state = page.evaluate("window.rangemap.state()")
    site = state["site"]
    assert site["lon"] > 126.913631 + 1 and site["lat"] < 41.369883 - 0.5       # east and south, as dragged
    after = page.evaluate("window.rangemap.rings()")
    assert after != before
    for feature in after["features"]:                                     # every ring follows the marker
        coords = np.array([p for line in _lines(feature) for p in line])
        keep = ~on_box_edge(coords[:, 0], coords[:, 1], site["lon"])
        d = distances_km(site["lat"], site["lon"], coords[keep, 0], coords[keep, 1])
        assert np.abs(d - feature["properties"]["range_km"]).max() < 1e-3
    assert "site=" + f"{site['lat']:.6f}" in page.evaluate("location.hash")  # the view is in the URL
    assert tab.errors == []


def _lines(feature):
    g = feature["geometry"]
    if g["type"] == "MultiPolygon":
        return [ring for polygon in g["coordinates"] for ring in polygon]
    return g["coordinates"]


@browser
def test_every_vertex_lies_on_the_circle_at_poles_antimeridian_and_elsewhere(tab, founding_file):
    page = open_live(tab, founding_file)
    cases = [(lat, lon, km) for lat, lon in SITES for km in RANGES]
    results = page.evaluate(RINGS_JS, cases)
    worst_m, vertices, edge_worst_km = 0.0, 0, 0.0
    for (lat, lon, km), fc in zip(cases, results):
        regions = [f for f in fc["features"] if f["properties"]["part"] == "region"]
        assert len(regions) == (0 if display_ring(lat, lon, km).is_empty else 1), (lat, lon, km)  # above 85.05°
        if km >= HALF_MERIDIAN_KM:                                       # the whole globe: the display box
            for polygon in regions[0]["geometry"]["coordinates"]:
                xs, ys = np.array(polygon[0]).T
                assert np.ptp(xs) == 360 and np.isclose(ys.max(), MERCATOR_LAT_LIMIT) and len(polygon) == 1
            continue
        for feature in fc["features"]:
            for line in _lines(feature):
                c = np.asarray(line, dtype=float)
                keep = np.ones(len(c), dtype=bool)        # an outline is the circle itself, every vertex
                if feature["properties"]["part"] == "region":
                    keep = ~on_box_edge(c[:, 0], c[:, 1], lon)
                d = distances_km(lat, lon, c[keep, 0], c[keep, 1])
                worst_m = max(worst_m, float(np.abs(d - km).max(initial=0.0)) * 1000.0)
                vertices += int(keep.sum())
                # every point of every edge between two circle vertices lies within 1 km of the circle
                both = keep[:-1] & keep[1:]
                a, b = c[:-1][both], c[1:][both]
                for f in np.arange(1, 8) / 8.0:
                    p = a + f * (b - a)
                    p = p[np.abs(p[:, 1]) <= 90]
                    if len(p):
                        edge_worst_km = max(edge_worst_km, float(np.abs(distances_km(lat, lon, p[:, 0], p[:, 1]) - km).max()))
    print(f"\nvertices checked: {vertices:,}; worst vertex error: {worst_m:.2e} m; worst edge point: {edge_worst_km:.3f} km")
    assert vertices > 20_000
    assert worst_m < 1.0
    assert edge_worst_km < 1.0
    assert tab.errors == []


INSIDE_CASES = [(41.369883, 126.913631, 4_500.0), (41.369883, 126.913631, 13_000.0), (90.0, 0.0, 5_000.0),
                (-89.5, 30.0, 12_000.0), (0.0, 180.0, 9_000.0), (65.0, 179.9, 3_000.0), (-30.0, -180.0, 17_000.0),
                (10.0, 20.0, 19_700.0), (0.0, 0.0, 19_995.0)]


@browser
def test_inside_and_outside_agree_with_the_geodesic(tab, founding_file):
    """10,000 random points per ring: drawn inside (even-odd fill) iff within the range, away from the circle."""
    page = open_live(tab, founding_file)
    results = page.evaluate(RINGS_JS, INSIDE_CASES)
    rng = np.random.default_rng(10)
    tried = disagreements = 0
    for (lat, lon, km), fc in zip(INSIDE_CASES, results):
        region = next(f for f in fc["features"] if f["properties"]["part"] == "region")
        polygons = region["geometry"]["coordinates"]
        k = region["properties"]["copies"][0]                           # test in a world copy that is drawn
        n = 10_000
        plat = np.degrees(np.arcsin(rng.uniform(-1, 1, 3 * n)))
        plat = plat[np.abs(plat) < MERCATOR_LAT_LIMIT][:n]
        plon = rng.uniform(lon - 180.0, lon + 180.0, n)
        d = distances_km(lat, lon, plon, plat)
        clear = np.abs(d - km) > 1.0
        drawn = even_odd_inside(polygons, plon + 360.0 * k, plat)
        wrong = (drawn != (d <= km)) & clear
        tried += int(clear.sum())
        disagreements += int(wrong.sum())
        assert not wrong.any(), (lat, lon, km, plat[wrong][:3], plon[wrong][:3])
        # and the same region as the Python display ring (shapely), where it is not within 1 km of the circle
        python = shapely.contains_xy(display_ring(lat, lon, km), plon, plat)
        assert not ((python != drawn) & clear).any()
    print(f"\npoints tried: {tried:,}; disagreements: {disagreements}")
    assert tried > 80_000


DEAD_ZONE_SITES = [(41.369883, 126.913631), (0.0, 179.9), (88.0, 0.0), (-89.9, 45.0), (60.0, -180.0)]


@browser
def test_a_minimum_range_is_a_hole_in_every_ring(tab, founding_file):
    """'Close-in': in range 300-1,200 km, possibly to 1,800 km. Drawn regions are valid polygons, the same as
    geo.analysis.regions.region, and agree with the geodesic on 10,000 random points per region."""
    from geo.analysis.regions import region as python_region

    page = open_live(tab, founding_file)
    results = page.evaluate("""(sites) => sites.map(([lat, lon]) => {
        window.rangemap.setSite(lat, lon);
        window.rangemap.setMissile('close-in');
        return [window.rangemap.rings(), window.rangemap.geojson()];
    })""", DEAD_ZONE_SITES)
    rng = np.random.default_rng(300)
    for (lat, lon), (fc, download) in zip(DEAD_ZONE_SITES, results):
        regions = [f for f in fc["features"] if f["properties"]["part"] == "region"]
        assert sorted(f["properties"]["range_km"] for f in regions) == [1200, 1800]
        assert any(f["properties"]["role"] == "minimum" for f in fc["features"])          # its outline drawn
        for f in regions:
            km, k = f["properties"]["range_km"], f["properties"]["copies"][0]
            polygons = [[[(x - 360.0 * k, y) for x, y in ring] for ring in poly] for poly in f["geometry"]["coordinates"]]
            drawn = shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in polygons if
                                          min(x for x, _ in p[0]) < lon + 180 and max(x for x, _ in p[0]) > lon - 180])
            assert drawn.is_valid, (lat, lon, km)
            python = python_region("geodesic", lat, lon, km, min_range_km=300.0, display=True)
            assert drawn.symmetric_difference(python).area < 1e-6, (lat, lon, km)
            plat = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(max(-85, lat - 25))),
                                                    np.sin(np.radians(min(85, lat + 25))), 10_000)))
            plon = rng.uniform(lon - 180.0, lon + 180.0, 10_000)
            d = distances_km(lat, lon, plon, plat)
            clear = (np.abs(d - km) > 1.0) & (np.abs(d - 300.0) > 1.0)
            inside = even_odd_inside(polygons, plon, plat)
            assert not ((inside != ((d >= 300.0) & (d <= km))) & clear).any(), (lat, lon, km)
        for f in download["features"]:
            if f["properties"].get("part") == "region":
                geom = shapely.geometry.shape(f["geometry"])
                expected = python_region("geodesic", lat, lon, f["properties"]["range_km"], min_range_km=300.0)
                assert geom.is_valid and geom.symmetric_difference(expected).area < 1e-6, (lat, lon)
    assert tab.errors == []


@browser
def test_check_agrees_with_geo_check_on_1000_random_pairs(tab, founding_file):
    page = open_live(tab, founding_file)
    rng = np.random.default_rng(1000)
    reaches = ["Hwasong-12", "Hwasong-14", "Close-in", 3_700.0, 12_345.6]   # band, min range, typed ranges
    n_sites, per = 25, 8
    sites = np.column_stack([np.degrees(np.arcsin(rng.uniform(-1, 1, n_sites))), rng.uniform(-180, 180, n_sites)])
    jobs = []
    for s in sites:
        for reach in reaches:
            lat, lon = np.degrees(np.arcsin(rng.uniform(-1, 1, per))), rng.uniform(-180, 180, per)
            near = rng.uniform(0, 1, per) < 0.5                        # half of them near the rings' band
            if near.any():
                bearing = rng.uniform(0, 360, near.sum())
                dist = rng.uniform(50, 2.5 * (reach if isinstance(reach, float) else CAT.missile(reach).max_km
                                               if reach != "Close-in" else 1800.0), near.sum())
                dist = np.minimum(dist, 19_990.0)
                plon, plat, _ = WGS84.fwd(np.full(near.sum(), s[1]), np.full(near.sum(), s[0]), bearing, dist * 1000)
                lat[near], lon[near] = plat, plon
            jobs.append([float(s[0]), float(s[1]), reach, np.column_stack([lat, lon]).tolist()])
    answers = page.evaluate("""(jobs) => jobs.map(([lat, lon, reach, points]) => {
        window.rangemap.setSite(lat, lon);
        if (typeof reach === 'number') window.rangemap.setRange(reach); else window.rangemap.setMissile(reach);
        return points.map(([a, b]) => window.rangemap.check(a, b));
    })""", jobs)
    close_in = Missile("Close-in", 1500.0, range_low_km=1200.0, range_high_km=1800.0, min_range_km=300.0)
    pairs, worst_m, worst_min, worst_typed, verdicts = 0, 0.0, 0.0, 0.0, set()
    for (lat, lon, reach, points), got in zip(jobs, answers):
        missile = close_in if reach == "Close-in" else reach
        for (tlat, tlon), js in zip(points, got):
            py = geo_check((lat, lon), missile, (tlat, tlon))
            pairs += 1
            worst_m = max(worst_m, abs(js["distance_km"] - py.distance_km) * 1000.0)
            assert js["verdict"] == py.verdict, (lat, lon, reach, tlat, tlon)
            assert abs(js["margin_km"] - py.margin_km) < 1e-3
            assert abs((js["bearing_deg"] - py.bearing_deg + 180) % 360 - 180) < 1e-6
            if py.flight_time_min is None:
                assert js["flight_time_min"] is None
            elif isinstance(reach, float):
                worst_typed = max(worst_typed, abs(js["flight_time_min"] - py.flight_time_min))
            else:
                worst_min = max(worst_min, abs(js["flight_time_min"] - py.flight_time_min))
            verdicts.add(py.verdict)
    print(f"\npairs: {pairs}; worst distance difference: {worst_m:.2e} m; worst flight-time difference: "
          f"{worst_min:.3f} min (catalog missiles), {worst_typed:.3f} min (typed ranges)")
    # A typed range is interpolated between the rows of neighbouring classes, whose edge times do not
    # vary smoothly with the range (README, "The live map"): 0.13 min here, up to about 1 min elsewhere.
    assert pairs == 1000 and worst_m < 1.0 and worst_min < 0.05 and worst_typed < 0.2
    assert verdicts == {"in range", "possibly in range", "out of range", "too close"}


@browser
def test_the_view_shows_every_world_copy(tab, founding_file):
    page = open_live(tab, founding_file)
    page.evaluate("window.rangemap.setRange(13000)")
    page.locator(".leaflet-control-zoom-out").click()
    page.locator(".leaflet-control-zoom-out").click()
    page.wait_for_timeout(400)
    fc = page.evaluate("window.rangemap.rings()")
    copies = fc["features"][0]["properties"]["copies"]
    assert len(copies) >= 2 and 0 in copies
    region = next(f for f in fc["features"] if f["properties"]["part"] == "region")
    assert len(region["geometry"]["coordinates"]) == len(copies)               # one cap per copy
    assert tab.errors == []


@browser
def test_targets_by_click_and_by_search_show_their_facts_and_path(tab, founding_file):
    page = open_live(tab, founding_file)
    page.evaluate("window.rangemap.clearTargets()")
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.4)
    state = page.evaluate("window.rangemap.state()")
    assert len(state["targets"]) == 1
    t = state["targets"][0]
    py = geo_check("Chagang", "Hwasong-12", (t["lat"], t["lon"]))
    text = page.locator("#rm-targets").text_content()
    assert py.verdict in text and f"{py.distance_km:,.0f} km" in text
    assert page.locator("path.leaflet-interactive, path").count() > 0
    page.fill("#rm-search", "tokyo")
    page.click("#rm-add")
    assert page.evaluate("window.rangemap.state().targets.length") == 2
    assert "Tokyo" in page.locator("#rm-targets").text_content()
    page.fill("#rm-search", "Sohae")
    page.click("#rm-move")
    assert page.evaluate("window.rangemap.state().site.name") == "Sohae Satellite Launching Station"
    page.select_option("#rm-units", "nmi")
    guam = geo_check("Sohae", "Hwasong-12", "Tokyo")
    assert f"{guam.distance_km / 1.852:,.0f} nmi" in page.locator("#rm-targets").text_content()
    page.select_option("#rm-missile", label=next(o for o in page.locator("#rm-missile option").all_text_contents()
                                                 if o.startswith("Hwasong-15")))
    assert page.evaluate("window.rangemap.state().reach.missile") == "Hwasong-15"
    facts = page.locator("#rm-missile-facts").text_content()
    assert "band" in facts and "UCS" in facts                            # its band and source shown
    assert tab.errors == []


@browser
def test_bad_input_gets_a_message_and_keeps_the_drawing(tab, founding_file):
    page = open_live(tab, founding_file)
    before = page.evaluate("window.rangemap.rings()")
    for field, text, button in (("#rm-search", "95, 10", "#rm-move"), ("#rm-search", "10, 200", "#rm-add"),
                                ("#rm-search", "Atlantis", "#rm-move"), ("#rm-range", "-5", "#rm-draw"),
                                ("#rm-range", "0", "#rm-draw"), ("#rm-range", "far", "#rm-draw")):
        page.fill(field, text)
        page.click(button)
        message = page.locator("#rm-message").text_content()
        assert message and "unchanged" in message, (text, message)
        assert page.evaluate("window.rangemap.rings()") == before
    assert "outside [-90, 90]" in page.evaluate("""(() => { try { window.rangemap.setSite(91, 0); }
        catch (e) { return e.message; } })()""")
    page.fill("#rm-range", "2,000")
    page.click("#rm-draw")
    assert page.locator("#rm-message").text_content() == ""
    assert page.evaluate("window.rangemap.state().reach.range_km") == 2000
    assert tab.errors == [] and tab.dialogs == []


@browser
def test_the_url_fragment_keeps_the_view_and_a_bad_one_falls_back(tab, founding_file):
    page = open_live(tab, founding_file)
    page.evaluate("window.rangemap.setSite(-33.9, 18.4); window.rangemap.setRange(7777); "
                  "window.rangemap.setUnits('mi'); window.rangemap.addTarget(51.5, -0.12)")
    fragment = page.evaluate("location.hash")
    page.goto("about:blank")
    page = open_live(tab, founding_file, fragment, local_only=False)
    state = page.evaluate("window.rangemap.state()")
    assert state["site"]["lat"] == -33.9 and state["reach"]["range_km"] == 7777 and state["units"] == "mi"
    assert [(t["lat"], t["lon"]) for t in state["targets"]] == [(13.58111, 144.92444), (51.5, -0.12)]
    for bad in ("#site=95,0&km=100", "#site=10,10&missile=Nope", "#garbage%", "#site=1,2&km=-4", "#site=1,2"):
        page.goto("about:blank")
        page = open_live(tab, founding_file, bad, local_only=False)
        state = page.evaluate("window.rangemap.state()")
        assert state["reach"]["missile"] == "Hwasong-12" and state["site"]["lat"] == 41.369883, bad
        assert "could not be read" in page.locator("#rm-message").text_content()
    assert tab.errors == []


@browser
def test_download_gives_rfc7946_geojson_of_the_rings_and_targets(tab, founding_file):
    from shapely.geometry import shape

    page = open_live(tab, founding_file)
    with page.expect_download() as info:
        page.click("#rm-download")
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert info.value.suggested_filename == "rangemap-live.geojson"
    regions = [f for f in data["features"] if f["properties"].get("part") == "region"]
    assert sorted(f["properties"]["range_km"] for f in regions) == [4500, 5000]
    for f in regions:
        geom = shape(f["geometry"])
        x0, y0, x1, y1 = geom.bounds
        assert -180 <= x0 and x1 <= 180 and -90 <= y0 and y1 <= 90
        assert geom.is_valid
        assert geom.symmetric_difference(range_ring(41.369883, 126.913631, f["properties"]["range_km"])).area < 1e-6
    outline = next(f for f in data["features"] if f["properties"].get("part") == "outline")
    assert outline["properties"]["range_km"] == 4500 and len(outline["geometry"]["coordinates"]) == 2   # cut once
    c = np.array([p for line in outline["geometry"]["coordinates"] for p in line])
    assert np.abs(c[:, 0]).max() == 180 and np.abs(distances_km(41.369883, 126.913631, c[:, 0], c[:, 1]) - 4500).max() < 1
    page.evaluate("window.rangemap.setRange(13000)")                   # a pole cap: the circle cut once
    lines = page.evaluate("window.rangemap.geojson()")["features"][1]["geometry"]["coordinates"]
    c = np.array([p for line in lines for p in line])
    assert len(lines) == 2 and np.abs(c[:, 0]).max() == 180
    err = np.abs(distances_km(41.369883, 126.913631, c[:, 0], c[:, 1]) - 13000)
    assert np.sort(err)[-2:].max() < 1 and np.sort(err)[:-2].max() < 1e-3           # exact but at the two cuts
    for lat, lon, km in ((41.369883, 126.913631, 17_000.0), (0.0, 0.0, 15_000.0), (-30.0, 180.0, 19_700.0),
                         (89.0, 10.0, 12_000.0), (0.0, 179.0, 20_010.0)):
        page.evaluate(f"window.rangemap.setSite({lat}, {lon}); window.rangemap.setRange({km})")
        region = shape(page.evaluate("window.rangemap.geojson()")["features"][0]["geometry"])
        assert region.is_valid and region.symmetric_difference(range_ring(lat, lon, km)).area < 1e-6, (lat, lon, km)
    guam = next(f for f in data["features"] if f["properties"].get("role") == "target")
    assert guam["properties"]["verdict"] == "in range" and guam["geometry"]["coordinates"] == [144.92444, 13.58111]


@browser
def test_hostile_names_from_user_files_show_as_text(tab, tmp_path):
    page_html = build_live_map(Place(HOSTILE_SITE, 40.0, 125.0, source=HOSTILE_SOURCE),
                               Missile(HOSTILE_MISSILE, 1000.0, source=HOSTILE_SOURCE, notes=HOSTILE_SITE),
                               [Place(HOSTILE_TARGET, 41.0, 130.0)], title=HOSTILE_SITE)
    page = open_live(tab, write_live_map(page_html, tmp_path / "hostile.html"))
    panel = page.locator("#rm-panel").text_content()
    for text in (HOSTILE_SITE, HOSTILE_MISSILE, HOSTILE_TARGET.strip("\u2028"), HOSTILE_SOURCE):
        assert text in panel, text
    assert page.title() == HOSTILE_SITE
    assert HOSTILE_MISSILE in page.locator("#rm-missile option").first.text_content()
    page.hover(".rm-target-icon")
    page.wait_for_timeout(50)
    assert HOSTILE_TARGET.strip("\u2028") in page.locator(".leaflet-tooltip").last.text_content()
    assert page.locator("img[src=x], b[onmouseover], a[href^=javascript]").count() == 0
    assert page.locator("script").count() == 10           # Leaflet, its icons, data, land, 4 scripts, folium x2
    assert tab.dialogs == [] and tab.errors == []


@browser
def test_usable_at_a_phone_viewport(browser, founding_file):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(founding_file.as_uri())
    page.wait_for_function("window.rangemap && window.rangemap.ready === true", timeout=15_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    panel = page.locator("#rm-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"] and panel["height"] <= PHONE["height"] / 2
    site = page.locator(".rm-site-icon").bounding_box()
    assert 0 < site["y"] < panel["y"] and 0 < site["x"] < PHONE["width"]       # the site shows above the panel
    page.select_option("#rm-missile", label=next(o for o in page.locator("#rm-missile option").all_text_contents()
                                                 if o.startswith("Hwasong-14")))
    assert page.evaluate("window.rangemap.state().reach.missile") == "Hwasong-14"
    page.tap("#rm-toggle")
    assert page.locator("#rm-body").is_hidden()
    page.tap(".folium-map", position={"x": 300, "y": 500})
    assert page.evaluate("window.rangemap.state().targets.length") == 2
    page.tap("#rm-toggle")
    assert page.locator("#rm-targets li").count() == 2
    assert errors == []
    context.close()


# --- the Python side -----------------------------------------------------------------

def test_build_live_map_resolves_names_and_objects_and_escapes():
    page = build_live_map("Chagang", [Missile("A </script><script>x()</script>", 1000.0), 3000], ["Guam", (1.0, 2.0)])
    assert isinstance(page, LiveMap) and isinstance(page, str)
    data = page.split('<script type="application/json" id="rangemap-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and "\\u003c/script\\u003e" in data
    parsed = json.loads(data)
    assert parsed["missiles"][0]["name"] == "A </script><script>x()</script>"
    assert parsed["missiles"][1]["name"] == "3,000 km range" and parsed["scenario"]["targets"][1]["lat"] == 1.0
    assert page.count("<script") == 10 and "<script src" not in page
    assert page._repr_html_().startswith('<iframe class="rangemap-live"') and "<script" not in page._repr_html_()


def test_build_live_map_refuses_an_empty_scenario_and_bad_names():
    with pytest.raises(InputError, match="launch site"):
        build_live_map([], "Hwasong-12")
    with pytest.raises(InputError, match="missile"):
        build_live_map("Chagang", [])
    with pytest.raises(LookupError, match="unknown missile"):
        build_live_map("Chagang", "Hwasong-99")
    with pytest.raises(InputError):
        write_live_map("not a page", "x.html")


def test_flight_tables_follow_geo_check():
    missile = CAT.missile("Hwasong-15")
    row = flight_table(missile)
    assert all(b > a for a, b in zip(row, row[1:]))
    for i in (1, 10, 48):
        d = missile.max_km * (i / 48) ** 2 * (1 - 1e-9)
        lon, lat, _ = WGS84.fwd(0.0, 0.0, 0.0, d * 1000)
        assert row[i] == pytest.approx(geo_check((0.0, 0.0), missile, (lat, lon)).flight_time_min, abs=1e-3)


def test_band_flight_tables_follow_geo_check():
    """Beyond the nominal range, within the band, geo.check flies the class of the band's top: the
    page's second row follows it, so its flight time jumps where geo.check's does."""
    missile = CAT.missile("Hwasong-12")
    assert missile.max_km > missile.range_km
    row = band_flight_table(missile)
    assert len(row) == BAND_NODES + 1 and all(b > a for a, b in zip(row, row[1:]))
    for i in (0, 3, BAND_NODES):
        d = missile.range_km + (missile.max_km - missile.range_km) * min(max(i / BAND_NODES, 1e-6), 1 - 1e-9)
        lon, lat, _ = WGS84.fwd(0.0, 0.0, 0.0, d * 1000)
        assert row[i] == pytest.approx(geo_check((0.0, 0.0), missile, (lat, lon)).flight_time_min, abs=1e-3)
    # The bigger class gets there with its thrust cut off short of burnout, sooner than the nominal
    # class's maximum-range shot: the time steps down where geo.check changes class.
    assert row[0] < flight_table(missile)[-1]


def test_vendored_geographiclib_ships_with_its_licence():
    vendor = Path(__file__).resolve().parent.parent / "geo" / "outputs" / "web" / "vendor"
    info = json.loads((vendor / "geographiclib-geodesic.json").read_text())
    assert info["license"] == "MIT" and "Charles Karney" in (vendor / "geographiclib-geodesic.LICENSE.txt").read_text()
    import hashlib
    assert hashlib.sha256((vendor / info["file"]).read_bytes()).hexdigest() == info["sha256"]


def test_cli_map_live_writes_the_page(tmp_path, capsys):
    out = tmp_path / "live.html"
    assert main(["map", "--live", "--site", "Sohae", "--missile", "HS-15", "--target", "Washington",
                 "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert capsys.readouterr().out.strip() == str(out)
    data = json.loads(page.split('id="rangemap-data">', 1)[1].split("</script>", 1)[0])
    assert data["scenario"]["site"]["name"] == "Sohae Satellite Launching Station"
    assert data["missiles"][0]["name"] == "Hwasong-15" and data["scenario"]["targets"][0]["name"] == "Washington, DC"
    html, png = str(tmp_path / "x.html"), str(tmp_path / "x.png")
    for argv in (["--offline", "-o", html], ["-o", png], ["--model", "rotating", "-o", html],
                 ["--shade-coverage", "-o", html]):
        assert main(["map", "--live", *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("rangemap: error: ") and "--live" in err and err.count("\n") == 1


@browser
def test_live_benchmark_runs_and_reports_the_redraw_time(browser):
    """The benchmark's measuring code, once, in this session's browser (no timing asserted)."""
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "live.py"
    spec = importlib.util.spec_from_file_location("bench_live", script)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = "\n".join(bench.run(browser, 1))
    assert "13,000 km ring" in out and "; 1 runs" in out
    for line in ("geometry (rings.js)", "redraw (setSite)", "redraw + next frame painted", "python display_ring"):
        assert line in out and "median" in out.split(line, 1)[1].split("\n", 1)[0]
    assert "python / page geometry: " in out and "(median): " in out


@browser
def test_shows_inline_as_a_sandboxed_iframe_as_in_jupyter(tab):
    page = tab.page
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file:", "data:", "blob:", "about:")) else (tab.errors.append(f"network: {route.request.url}"), route.abort()))
    snippet = build_live_map("Chagang", "Hwasong-15", ["Guam"])._repr_html_()
    page.set_content(f"<!DOCTYPE html><html><body><h1>Notebook</h1>{snippet}</body></html>")
    frame = page.frame_locator("iframe.rangemap-live")
    frame.locator(".rm-site-icon").wait_for(timeout=15_000)
    inner = page.frames[1]
    inner.wait_for_function("window.rangemap && window.rangemap.ready === true", timeout=15_000)
    assert inner.evaluate("window.rangemap.state().reach.missile") == "Hwasong-15"
    assert inner.evaluate("window.rangemap.check(13.58111, 144.92444).verdict") == "in range"
    frame.locator("#rm-range").fill("1000")
    frame.locator("#rm-range").press("Enter")                            # no form: sandboxed frames block them
    assert inner.evaluate("window.rangemap.state().reach.range_km") == 1000
    assert page.evaluate("typeof window.rangemap") == "undefined"
    assert tab.errors == [] and tab.dialogs == []
