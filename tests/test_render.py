"""Tests of geo.outputs.webmap without a browser: the JSON blob the page draws, and the page."""

from __future__ import annotations

import html
import json
import pathlib
import os
import re
from html.parser import HTMLParser

import numpy as np
import pytest
import shapely

from geo.analysis.reach import check
from geo.catalog.tables import Missile, Place, default_catalog
from geo.core.geodesy import geodesic_path
from geo.core.rings import MERCATOR_LAT_LIMIT, display_ring
from geo.errors import InputError
from geo.outputs.web.basemap import encode_land, land_data, land_layer, leaflet_inline, leaflet_parts
from geo.outputs.formatting import KM_PER_UNIT
from geo.outputs.escape import js_literal, json_for_script
from geo.outputs.style import PALETTE, VERDICT_COLORS
from geo.outputs.web.data import (BAND_OPACITY, CERTAIN_OPACITY, PATH_TOLERANCE_M, _cut_edges, _latlng_rings,
                                  simplify_path)
from geo.outputs.web.offline import embed_html, write_map
from geo.outputs.web.offline import offline_html as map_html
from geo.outputs.web.page import RangeMap, build_map

CAT = default_catalog()
#: Names for site, target, missile; a source; notes.
HOSTILE = ("<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "\"' `quotes` ${alert(1)}",
           "{{range(3)|list}}{{cycler.__init__.__globals__.os.getcwd()}}{% if 1 %}jinja{% endif %} a &amp; b",
           "line\u2028sep\u2029end \\u003c <!-- x")


def founding(**kw):
    return build_map([CAT.site("Chagang")], [CAT.missile("Hwasong-12")], [CAT.target("Guam")], **kw)


def scenario(**kw):
    """2 sites × 2 missiles × 3 targets; Honolulu lies across the antimeridian."""
    return build_map([CAT.site("Chagang"), CAT.site("Sohae")], [CAT.missile("Hwasong-12"), CAT.missile("KN-23")],
                     [CAT.target("Guam"), CAT.target("Tokyo"), CAT.target("Honolulu")], **kw)


def hostile_map(**kw):
    site = Place(HOSTILE[0], 41.37, 126.91, source=HOSTILE[3], notes=HOSTILE[4])
    missile = Missile(HOSTILE[2], 4500.0, 4000.0, 5000.0, source=HOSTILE[3], notes=HOSTILE[1], type=HOSTILE[0])
    target = Place(HOSTILE[1], 13.58, 144.92, source=HOSTILE[2], notes=HOSTILE[0], country=HOSTILE[3])
    return build_map([site], [missile], [target], title=" | ".join(HOSTILE), **kw)


def shapes_per_ring(missile):
    return len({missile.certain_km, missile.range_km, missile.max_km})


def fills_per_ring(missile):
    """Regions drawn filled: the band and the certain range (the nominal inside a band is an outline)."""
    return len({missile.certain_km, missile.max_km})


def scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)


def without_leaflet(page: str) -> str:
    """The page less Leaflet's own CSS and JS (inlined from xstatic-leaflet)."""
    css, js, _ = leaflet_parts()
    return page.replace(js, "").replace(css, "")


def blob(page: str, index: int = 0) -> dict:
    """The blob the page's (first) range layer draws."""
    return json.loads(re.findall(r'rangemap\.layer\(map_\w+, (.*?), \{"fit"', page, flags=re.S)[index])


def text_of(content: dict) -> str:
    """A tooltip or popup as the reader sees it."""
    lines = ["".join(s if isinstance(s, str) else s["b"] for s in line) for line in content.get("lines", [])]
    rows = [f"{k} {v}" for k, v in content.get("rows", [])]
    return "\n".join([content.get("title", ""), *lines, *rows])


def target_text(t: dict) -> str:
    return text_of({"title": t["title"], "lines": t["lines"], "rows": t["rows"]})


def outer(ring: dict) -> list:
    return ring["parts"][0][0]


# --- geometry ---------------------------------------------------------------------

def test_never_a_mercator_circle():
    page = map_html(scenario())
    assert "L.circle(" not in without_leaflet(page) and 'class="folium-map"' in page                # a folium page


def test_ring_coordinates_are_the_analysis_geometry_exactly():
    site, missile = CAT.site("Chagang"), CAT.missile("Hwasong-12")
    m = founding()
    drawn = blob(map_html(m))["regions"]
    assert [r["km"] for r in drawn] == [missile.max_km, missile.certain_km]                     # largest first
    for r, region in zip(drawn, m.assessment.regions(0, 0, display=True)):
        ring = display_ring(site.lat, site.lon, r["km"])
        assert shapely.equals_exact(region.geometry, ring, tolerance=0)
        assert r["parts"] == [[[[lat, lon] for lon, lat in ring.exterior.coords]]]               # lat/lon at the edge


def test_holes_and_multipolygons_reach_leaflet_nested():
    outer_ring = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    hole = [(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]
    poly = shapely.Polygon(outer_ring, [hole])
    multi = shapely.MultiPolygon([poly, shapely.box(20, 0, 21, 1)])
    assert _latlng_rings(poly, 360.0) == [[[[y, x + 360.0] for x, y in outer_ring], [[y, x + 360.0] for x, y in hole]]]
    two = _latlng_rings(multi, 0.0)
    assert len(two) == 2 and two[0][1] == [[y, x] for x, y in hole] and len(two[1]) == 1


def test_ring_across_the_pacific_is_one_shape_and_the_view_is_pacific_centred():
    data = founding().data
    band = data["regions"][0]
    lons = [p[1] for p in outer(band)]
    assert len(band["parts"]) == 1 and max(lons) > 180
    (south, west), (north, east) = data["fit"]
    assert west < 127 and east > 180 and south < 13.58 < north
    assert data["limits"] == [[-MERCATOR_LAT_LIMIT, data["ref"] - 540], [MERCATOR_LAT_LIMIT, data["ref"] + 540]]


def test_cut_edges_are_only_where_the_region_meets_its_frame():
    """The edges a region gets from the display frame (site ± 180°, Mercator's limit) are
    cuts: filled, never stroked. A ring inside the frame has none."""
    assert founding().data["regions"][1]["cuts"] == [[[]]]                                     # 4,500 km
    hs17 = build_map("Chagang", "Hwasong-17", "Washington").data["regions"][0]
    site = CAT.site("Chagang")
    box = (site.lon - 180, -MERCATOR_LAT_LIMIT, site.lon + 180, MERCATOR_LAT_LIMIT)
    ring = outer(hs17)
    cuts = hs17["cuts"][0][0]
    assert cuts and cuts == _cut_edges(ring, box)
    for i in range(len(ring) - 1):
        (lat0, lon0), (lat1, lon1) = ring[i], ring[i + 1]
        on_frame = (lon0 == lon1 and lon0 in (box[0], box[2])) or (lat0 == lat1 and abs(lat0) == MERCATOR_LAT_LIMIT)
        assert (i in cuts) == on_frame
    assert _cut_edges([[-5, 10], [-5, 20], [5, 20], [-5, 10]], (10, -5, 20, 5)) == [0, 1]    # south, then east


# --- what is drawn ----------------------------------------------------------------

def test_one_layer_per_missile_holding_its_rings():
    data = scenario().data
    rings = [layer for layer in data["layers"] if layer["kind"] == "rings"]
    assert [layer["name"] for layer in rings] == ["Hwasong-12", "KN-23"]
    assert [layer["color"] for layer in rings] == list(PALETTE[:2])
    for mi, missile in enumerate((CAT.missile("Hwasong-12"), CAT.missile("KN-23"))):
        regions = [r for r in data["regions"] if r["layer"] == f"m{mi}"]
        assert {r["missile"] for r in regions} == {mi} and len(regions) == 2 * shapes_per_ring(missile)
    assert [layer["id"] for layer in data["layers"]][2:] == ["paths", "sites", "targets"]


def test_counts_for_two_sites_two_missiles_three_targets():
    data = scenario().data
    assert len({(r["site"], r["missile"]) for r in data["regions"]}) == 4
    assert len(data["regions"]) == 2 * (2 + 3)                                                  # HS-12: 2, KN-23: 3
    assert (len(data["sites"]), len(data["targets"]), len(data["paths"])) == (2, 3, 6)
    assert {(p["site"], p["target"]) for p in data["paths"]} == {(s, t) for s in range(2) for t in range(3)}


def test_ring_styles_band_certain_nominal():
    kn23 = CAT.missile("KN-23")                                                                 # 600 < 690 < 800 km
    regions = build_map([CAT.site("Chagang")], [kn23]).data["regions"]
    assert [r["km"] for r in regions] == [kn23.max_km, kn23.range_km, kn23.certain_km]
    band, nominal, certain = regions
    assert band["fill"]["opacity"] == BAND_OPACITY and certain["fill"]["opacity"] == CERTAIN_OPACITY
    assert nominal["fill"] is None and nominal["line"] == {"color": PALETTE[0], "weight": 2, "dash": None}
    assert band["line"]["dash"] == certain["line"]["dash"] == "6 4" and band["line"]["weight"] == 1
    assert [r["label"] for r in regions] == [None, "KN-23 · 690 km", None]
    plain = build_map([CAT.site("Chagang")], [Missile("M", 1000.0)]).data["regions"]
    assert len(plain) == 1 and plain[0]["fill"]["opacity"] == CERTAIN_OPACITY and plain[0]["label"] == "M · 1,000 km"


def test_targets_unwrapped_next_to_the_ring_with_paths_from_the_site():
    data = build_map([CAT.site("Chagang")], [CAT.missile("Hwasong-12")], [CAT.target("Honolulu")]).data
    (target,), (path,) = data["targets"], data["paths"]
    assert target["lon"] == pytest.approx(-157.8583 + 360)
    assert path["latlngs"][0] == pytest.approx([41.369883, 126.913631], abs=1e-5)
    assert path["latlngs"][-1] == pytest.approx([target["lat"], target["lon"]], abs=1e-5)
    lons = [p[1] for p in path["latlngs"]]
    assert max(lons) - min(lons) < 180


def test_paths_are_simplified_within_a_kilometre_and_rounded_to_a_metre():
    site, target = CAT.site("Chagang"), CAT.target("Washington")
    path = build_map([site], [CAT.missile("Hwasong-15")], [target]).data["paths"][0]["latlngs"]
    dense = np.asarray(geodesic_path(site.lat, site.lon, target.lat, target.lon, max_step_km=10.0,
                                     unwrap=True).coords)
    assert 10 < len(path) < 0.2 * len(dense)
    assert all(len(f"{x:.10g}".split(".")[-1]) <= 5 for p in path for x in p)

    def mercator(lonlat):
        lon, lat = np.asarray(lonlat, dtype=float).T
        return np.column_stack([np.radians(lon), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))]) * 6378137.0

    drawn = shapely.LineString(mercator(np.asarray(path)[:, ::-1]))
    gaps = shapely.distance(shapely.points(mercator(dense)), drawn)
    assert gaps.max() <= PATH_TOLERANCE_M + 10                                                # + rounding
    assert simplify_path(dense).shape[1] == 2 and simplify_path(dense[:2]).tolist() == dense[:2].tolist()


def test_targets_coloured_by_best_verdict():
    site = CAT.site("Chagang")
    missile = Missile("M", 3000.0, 2500.0, 4000.0, min_range_km=500.0)
    targets = [CAT.target("Tokyo"), CAT.target("Guam"), CAT.target("Honolulu"), CAT.target("Seoul")]
    drawn = build_map([site], [missile], targets).data["targets"]
    verdicts = ("in range", "possibly in range", "out of range", "too close")
    assert [t["color"] for t in drawn] == [VERDICT_COLORS[v] for v in verdicts]
    assert [t["rank"] for t in drawn] == [0, 1, 2, 3]


def test_tooltips_and_popups_say_distance_range_margin_verdict_source():
    data = founding().data
    guam = target_text(data["targets"][0])
    assert guam.startswith("Guam (Andersen AFB): in range") and "3,540 km" in guam and "+960 km" in guam
    assert "FAA airport data" in guam
    band = text_of(data["regions"][0]["popup"])
    assert "4,500 km to 5,000 km" in band and "CSIS Missile Threat" in band
    path = data["paths"][0]
    assert path["title"].endswith("3,540 km (geodesic)")
    assert path["over"] == "over: North Korea 0-180 km, Japan 846-1,053 km, Guam 3,539-3,540 km"


def test_labels_name_rings_and_targets_with_their_distance():
    data = scenario().data
    assert [r["label"] for r in data["regions"] if r["label"]] == ["Hwasong-12 · 4,500 km"] * 2 + ["KN-23 · 690 km"] * 2
    nominal = next(r for r in data["regions"] if r["label"])
    ring = display_ring(CAT.site("Chagang").lat, CAT.site("Chagang").lon, 4500)
    anchors = shapely.points([[lon, lat] for lat, lon in nominal["anchors"]])
    assert 20 <= len(nominal["anchors"]) <= 72 and shapely.distance(anchors, ring.exterior).max() < 1e-4
    tokyo = data["targets"][1]
    nearest = min(check(s, CAT.missile("KN-23"), CAT.target("Tokyo")).distance_km
                  for s in (CAT.site("Chagang"), CAT.site("Sohae")))
    assert tokyo["label"] == f"Tokyo · {nearest:,.0f} km"
    assert [s["label"] for s in data["sites"]] == ["Chagang", "Sohae"]                        # short names


@pytest.mark.parametrize("units", ["mi", "nmi"])
def test_every_number_in_the_chosen_units(units):
    data = founding(units=units).data
    factor = KM_PER_UNIT[units]
    assert data["units"] == units
    assert data["regions"][1]["label"] == f"Hwasong-12 · {4500 / factor:,.0f} {units}"
    assert data["targets"][0]["label"] == f"Guam (Andersen AFB) · {3540.258 / factor:,.0f} {units}"
    words = json.dumps({k: data[k] for k in ("regions", "targets", "paths", "legend")}, ensure_ascii=False)
    words = words.replace(CAT.missile("Hwasong-12").notes, "")                 # the catalog's own words
    numbers = re.findall(r"\d[\d,]* (km|mi|nmi)\b", words)
    assert numbers and set(numbers) == {units}
    c = check(CAT.site("Chagang"), CAT.missile("Hwasong-12"), CAT.target("Guam"))
    assert f"margin +{c.margin_km / factor:,.0f} {units}" in target_text(data["targets"][0])
    track = founding().assessment.overflight(0, 0)
    assert data["paths"][0]["over"] == "over: " + ", ".join(
        f"{o.name} {o.enter_km / factor:,.0f}-{o.exit_km / factor:,.0f} {units}" for o in track)
    assert {"mi": "statute miles", "nmi": "nautical miles"}[units] in data["legend"]["caption"]


def test_legend_title_and_caption():
    m = founding(title="Hwasong-12 from Chagang")
    page = map_html(m)
    assert "<title>Hwasong-12 from Chagang</title>" in page and m.data["title"] == "Hwasong-12 from Chagang"
    legend = m.data["legend"]
    assert legend["missiles"] == [{"layer": "m0", "name": "Hwasong-12", "color": PALETTE[0],
                                   "text": "4,500 km; in range to 4,500 km, possibly to 5,000 km",
                                   "source": "CSIS Missile Threat; UCS (D. Wright); ROK JCS"}]
    assert legend["caption"] == ("WGS84 geodesic range rings (Karney); ranges: CSIS Missile Threat; UCS (D. Wright); "
                                 "ROK JCS; distances in kilometres; country outlines: Natural Earth 1:50m admin-0 "
                                 "countries (public domain)")
    assert legend["verdicts"] == [[v, c] for v, c in VERDICT_COLORS.items()]


def test_needs_a_site():
    with pytest.raises(InputError, match="at least one launch site"):
        build_map([], [CAT.missile("Hwasong-12")])


@pytest.mark.parametrize("kw, message", [
    ({"tiles": "google"}, "unknown tile layer 'google': choose one of none, osm"),
    ({"tiles": "osm", "offline": True}, "offline map makes no network request"),
    ({"units": "miles"}, "unknown units 'miles'")])
def test_bad_options(kw, message):
    with pytest.raises(InputError, match=message):
        founding(**kw)


# --- escaping and loading ------------------------------------------------------------

def test_json_for_script_cannot_close_a_script():
    for s in HOSTILE:
        for lit in (json_for_script(s), js_literal(s)):
            assert json.loads(lit) == s
            assert not set(lit) & {"<", ">", "&", "\u2028", "\u2029"}
    with pytest.raises(ValueError):
        json_for_script(float("nan"))


def test_hostile_names_never_reach_the_html_unescaped():
    m = hostile_map()
    page = map_html(m)
    rest = without_leaflet(page)
    assert "<img src=x" not in rest and "</script><script>" not in rest and "<!-- x" not in rest
    assert page.count("<script") == page.count("</script>")                           # no script closed early
    data_tag = re.findall(r'rangemap\.layer\(map_\w+, (.*?), \{"fit"', page, flags=re.S)[0]
    assert not set(data_tag) & {"<", ">", "&", "\u2028", "\u2029"}
    data = blob(page)
    assert data == json.loads(json_for_script(m.data))                                # the text comes back exactly
    assert not re.search(r"\{[{%#]", data_tag)                                       # nothing Jinja would read
    assert data["title"] == " | ".join(HOSTILE)
    assert data["sites"][0]["tip"]["title"] == HOSTILE[0] and data["targets"][0]["title"].startswith(HOSTILE[1])
    assert data["legend"]["missiles"][0]["name"] == HOSTILE[2]
    assert f"<title>{html.escape(' | '.join(HOSTILE), quote=True)}</title>" in page
    assert os.getcwd() not in page and "[0, 1, 2]" not in page                         # no template ran
    from geo.outputs.web.assets import asset

    script = asset("rangemap.js")
    assert script in page and "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script


def test_the_page_is_self_contained_and_asks_the_network_for_nothing_by_default():
    for m in (scenario(), scenario(offline=True)):
        page = map_html(m)
        css, js, _ = leaflet_parts()                                                # Leaflet 1.9.3, inlined
        assert page.count(js) == page.count(css) == 1 and "Leaflet 1.9.3" in js and "sourceMappingURL" not in js
        assert not re.search(r"url\(\s*[\"']?(https?:|//|images/)", css)
        rest = without_leaflet(page).replace('"http://www.w3.org/2000/svg"', "")    # SVG's namespace
        assert "http://" not in rest and "https://" not in rest                    # not even a link
        assert "<script src" not in rest and "<link" not in rest and "{z}" not in rest
        assert all(u.startswith(("data:", '#"')) for u in re.findall(r"url\(([^)]*)\)", rest))   # or the hatching
        assert "rangemap.land(" in page and "L.tileLayer(" not in page


def test_osm_tiles_are_an_optional_layer_over_the_land():
    m = founding(tiles="osm")
    page = map_html(m)
    rest = without_leaflet(page).replace('"http://www.w3.org/2000/svg"', "")
    assert re.findall(r"https?://[^\"'\s\\]+", rest) == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                                                        "https://www.openstreetmap.org/copyright"]
    assert rest.index("= rangemap.land(") < rest.index("L.tileLayer(") < rest.index("= rangemap.layer(")
    assert "map tiles: OpenStreetMap" in m.data["legend"]["caption"]
    assert "<script src" not in rest and "<link" not in rest


def test_page_assets_are_package_data_and_no_javascript_lives_in_python():
    from importlib import resources

    import geo.outputs.web as web

    files = resources.files("geo.outputs.web").joinpath("js")
    assert {"rangemap.css", "rangemap.js", "leaflet-icons.js"} <= {f.name for f in files.iterdir()}
    for module in pathlib.Path(web.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert "function (" not in source and "L.polygon" not in source and "addTo(" not in source, module


# --- writing ----------------------------------------------------------------------

def test_write_map_is_atomic(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("old", encoding="utf-8")
    assert write_map(founding(offline=True), out) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert os.listdir(tmp_path) == ["map.html"]


def test_write_map_failing_midway_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("old", encoding="utf-8")

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match="No space left on device"):
        write_map(founding(), out)
    assert os.listdir(tmp_path) == ["map.html"] and out.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("where", ["missing/map.html", "."])
def test_write_map_to_an_unwritable_path(tmp_path, where):
    with pytest.raises(InputError, match="cannot write"):
        write_map(founding(), tmp_path / where)
    assert os.listdir(tmp_path) == []


# --- the land: country outlines ------------------------------------------------

def decode_countries(countries: list) -> list:
    """Encoded countries back to shapely MultiPolygons."""
    out = []
    for country in countries:
        polygons = []
        for polygon in country:
            rings = []
            for r in polygon:
                n = r[0]
                pts = np.cumsum(np.asarray(r[n + 1:]).reshape(-1, 2), axis=0) / 100.0       # lat, lon
                rings.append(pts[:, ::-1])
            polygons.append(shapely.Polygon(rings[0], rings[1:]))
        out.append(shapely.make_valid(shapely.MultiPolygon(polygons)))     # rounding may pinch a ring
    return out


def test_every_map_draws_the_land_once_whatever_its_centre():
    page = map_html(founding())
    assert page.count(land_layer()[:-1]) == 1
    assert 100_000 < len(page.encode()) < 1_500_000
    assert map_html(build_map("0,-70", 1000)).count(land_layer()[:-1]) == 1                         # any centre: the same layer


def test_land_layer_joins_pieces_cut_at_the_antimeridian_and_marks_the_cuts():
    layer = json.loads(land_layer())
    countries = decode_countries(layer["countries"])
    assert len(countries) == 241 == len(layer["bounds"])
    for country, spans in zip(countries, layer["bounds"]):
        parts = [p for p in shapely.get_parts(country)]
        x0, x1 = min(p.bounds[0] for p in parts), max(p.bounds[2] for p in parts)
        assert min(s[0] for s in spans) <= round(x0 * 100) and max(s[1] for s in spans) >= round(x1 * 100)
    world = shapely.union_all(countries)
    for name, lat, lon in [("Pyongyang", 39.03, 125.75), ("Madrid", 40.4, -3.7 + 360), ("Alaska", 64.8, -147.7 + 360),
                           ("Chukotka east of 180", 66.0, -172.0 + 360)]:
        assert shapely.contains_xy(world, lon, lat) or shapely.contains_xy(world, lon - 360, lat), name
    chukotka = [p for c in countries for p in shapely.get_parts(c) if shapely.intersects_xy(p, 179.9, 66.5)]
    assert len(chukotka) == 1 and shapely.intersects_xy(chukotka[0], 180.1, 66.5)           # not cut in two at 180°
    cuts = [r[1:r[0] + 1] for c in layer["countries"] for p in c for r in p if r[0]]
    assert 0 < len(cuts) <= 3                                                                # Antarctica's only


def test_land_data_frames_the_layer_around_a_longitude_for_the_live_map():
    ref = CAT.site("Chagang").lon
    text, count = land_data(ref)
    assert count == 241
    parts = shapely.get_parts(decode_countries(json.loads(text)))
    x0, _, x1, _ = shapely.bounds(parts).T
    assert np.all(np.abs((x0 + x1) / 2 - ref) <= 180.01)                                   # once, around ref
    canonical = shapely.get_parts(decode_countries(json.loads(land_layer())["countries"]))
    assert np.allclose(np.sort(shapely.area(parts)), np.sort(shapely.area(canonical)))     # moved, not changed


def test_land_is_simplified_for_the_web_yet_close_to_natural_earth():
    from geo.catalog.countries import country_outlines

    source = country_outlines()
    countries = decode_countries(json.loads(land_layer())["countries"])
    assert shapely.get_num_coordinates(countries).sum() < 0.6 * shapely.get_num_coordinates(source).sum()
    unwrap = [shapely.union_all([shapely.transform(p, lambda c, k=k: c + (k, 0.0)) for k in (-360.0, 0.0)])
              .intersection(shapely.box(-180, -90, 180, 90)) for p in countries]
    areas, drawn = shapely.area(source), shapely.area(unwrap)
    assert np.all(np.abs(drawn - areas) <= shapely.length(source) * (0.02 + 0.01))          # tolerance + rounding
    moved = shapely.area(shapely.symmetric_difference(shapely.make_valid(source), unwrap))
    assert moved.sum() < 0.005 * areas.sum()


def test_shipped_land_layer_is_what_the_build_script_makes_from_the_shipped_outlines():
    from geo.catalog.countries import country_outlines, countries_path

    shipped = land_layer()
    assert json.loads(shipped)["source_bytes"] == countries_path().stat().st_size
    assert shipped == encode_land(country_outlines(), source_bytes=countries_path().stat().st_size)


# --- rotating-Earth footprint, model verdicts --------------------------------------------

def test_rotating_model_draws_the_footprints_the_verdicts_use():
    from geo.analysis.regions import footprint

    m = scenario(model="rotating")
    regions = m.data["regions"]
    assert len(regions) == 10                                                               # 2 sites × (2 + 3)
    for r in regions:
        site, missile = m.assessment.sites[r["site"]], m.assessment.missiles[r["missile"]]
        zone = footprint(site, missile, model="rotating", range_km=r["km"], display=True)
        shift = r["parts"][0][0][0][1] - zone.exterior.coords[0][0]
        assert r["parts"] == _latlng_rings(zone, shift) and shift in (0.0, 360.0, -360.0)
        assert r["line"]["color"] == PALETTE[r["missile"]]
    geodesic = scenario().data["regions"]
    assert all(r["parts"] != g["parts"] for r, g in zip(regions, geodesic))
    assert all("on a rotating Earth" in text_of(r["tip"]) for r in regions)
    assert "filled: reach on a rotating Earth" in m.data["legend"]["notes"][0]
    assert "powered flight" in m.data["legend"]["caption"] and "Kepler coast" in m.data["legend"]["caption"]


def test_rotating_model_targets_state_the_rotating_verdict():
    site, missile = CAT.site("Sohae"), CAT.missile("Hwasong-14")
    target = CAT.target("Los Angeles")
    t = build_map([site], [missile], [target], model="rotating").data["targets"][0]
    rot = check(site, missile, target, model="rotating")
    tip = target_text(t)
    assert f"{rot.verdict} on a rotating Earth" in tip and {"b": rot.verdict} in t["lines"][0]
    assert f"reach toward it {rot.range_km:,.0f} km" in tip and f"margin {rot.margin_km:+,.0f} km" in tip
    assert t["color"] == VERDICT_COLORS[rot.verdict]


def test_minimum_range_is_a_hole_and_the_tooltip_says_how_far_inside():
    missile = Missile("Short-legged", 3000.0, min_range_km=1000.0, source="test")
    data = build_map([CAT.site("Chagang")], [missile], [CAT.target("Seoul")]).data
    (region,) = data["regions"]
    ring = shapely.Polygon(*[[(lon, lat) for lat, lon in r] for r in (region["parts"][0][0], )],
                           [[(lon, lat) for lat, lon in r] for r in region["parts"][0][1:]])
    assert len(ring.interiors) == 1 and not ring.contains(shapely.Point(126.913631, 41.369883))
    c = check(CAT.site("Chagang"), missile, CAT.target("Seoul"))
    assert c.verdict == "too close"
    assert f"{c.inside_minimum_km:,.0f} km inside the minimum range 1,000 km" in target_text(data["targets"][0])
    assert "minimum range 1,000 km" in data["legend"]["missiles"][0]["text"]


def test_unknown_model():
    with pytest.raises(InputError, match="unknown model 'flat'"):
        founding(model="flat")


# --- shaded areas (coverage hook) -----------------------------------------------------

def test_shaded_areas_with_their_labels_joined_across_the_antimeridian():
    fiji = shapely.MultiPolygon([shapely.box(177.0, -19.0, 180.0, -16.0), shapely.box(-180.0, -19.0, -178.0, -16.0)])
    m = founding(shaded=[(HOSTILE[0], shapely.box(125.0, 38.0, 129.0, 42.0)), (HOSTILE[3], fiji),
                         ("empty", shapely.Polygon())])
    shades = m.data["shaded"]
    assert [s["label"] for s in shades] == [HOSTILE[0], HOSTILE[3]]
    assert [s["tip"]["title"] for s in shades] == [HOSTILE[0], HOSTILE[3]]
    assert len(shades[1]["parts"]) == 1                                                     # one island again, east of 180
    lats, lons = np.asarray(shades[1]["parts"][0][0]).T
    assert (lons.min(), lats.min(), lons.max(), lats.max()) == pytest.approx((177.0, -19.0, 182.0, -16.0))
    assert [layer["id"] for layer in m.data["layers"]].index("shaded") == 1                 # over the rings
    assert "hatched: shaded areas (hover for names)" in m.data["legend"]["notes"]
    page = map_html(m)
    assert "<img src=x" not in without_leaflet(page) and "hatchPattern(" in page


@pytest.mark.parametrize("shaded, message", [
    ([("x",)], "pairs"), ([("x", "POLYGON ((0 0, 1 0, 1 1, 0 0))")], "not a shapely geometry"),
    ([("x", shapely.Point(0, 0))], "no area"), ([3], "pairs")])
def test_shaded_areas_bad_input(shaded, message):
    with pytest.raises(InputError, match=message):
        founding(shaded=shaded)


# --- Jupyter, embedding ---------------------------------------------------------------

class _Srcdoc(HTMLParser):
    def __init__(self):
        super().__init__()
        self.frames = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.frames.append(dict(attrs))


def iframes(snippet: str) -> list[dict]:
    parser = _Srcdoc()
    parser.feed(snippet)
    return parser.frames


def test_notebook_repr_is_an_iframe_holding_the_map():
    m = founding(offline=True)
    assert isinstance(m, RangeMap)
    frames = iframes(m._repr_html_())
    assert len(frames) == 1 and blob(frames[0]["srcdoc"]) == blob(map_html(m)) == json.loads(json_for_script(m.data))
    assert "<script src=" not in frames[0]["srcdoc"] and frames[0]["sandbox"] == "allow-scripts"


def test_a_range_layer_on_a_plain_folium_map_shows_in_jupyter():
    import folium

    import geo

    m = folium.Map(tiles=None)
    layer = geo.RangeLayer(geo.Scenario.resolve("Chagang", "Hwasong-12", "Guam"), units="nmi").add_to(m)
    (frame,) = iframes(m._repr_html_())                                  # folium's own notebook view
    inner = frame["srcdoc"]
    assert blob(inner) == json.loads(json_for_script(layer.data)) and "rangemap.layer = function" in inner
    assert layer.data["targets"][0]["label"].endswith(" nmi")


def test_embed_html_escapes_the_page_into_srcdoc():
    m = hostile_map(offline=True)
    snippet = embed_html(m, width=800, height="50vh", title=HOSTILE[1])
    assert snippet.startswith("<iframe") and snippet.endswith("</iframe>") and snippet.count("<") == 2
    assert "<img src=x" not in snippet and "</script>" not in snippet
    (frame,) = iframes(snippet)
    assert blob(frame["srcdoc"]) == json.loads(json_for_script(m.data)) and frame["title"] == HOSTILE[1]
    assert frame["sandbox"] == "allow-scripts"
    assert "width:800px;height:50vh" in frame["style"]


@pytest.mark.parametrize("width", ["100%;background:url(x)", "wide", -3, "600px\" onload=\"x"])
def test_embed_html_refuses_what_is_not_a_css_length(width):
    with pytest.raises(InputError, match="not a CSS length"):
        embed_html(founding(), width=width)


# --- the command line -----------------------------------------------------------------------

def run_cli(capsys, *argv):
    from geo.cli.main import main

    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_map_is_self_contained_by_default_and_osm_on_request(capsys, tmp_path):
    default, osm = tmp_path / "a.html", tmp_path / "b.html"
    assert run_cli(capsys, "map", "-o", str(default))[0] == 0
    assert run_cli(capsys, "map", "--tiles", "osm", "-o", str(osm))[0] == 0
    assert run_cli(capsys, "map", "--offline", "--tiles", "none", "-o", str(tmp_path / "c.html"))[0] == 0
    assert "L.tileLayer(" not in default.read_text(encoding="utf-8")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in osm.read_text(encoding="utf-8")
    assert "https://" not in without_leaflet(default.read_text(encoding="utf-8"))


def test_cli_map_units(capsys, tmp_path):
    path = tmp_path / "mi.html"
    status, out, err = run_cli(capsys, "map", "--units", "mi", "-o", str(path))
    assert status == 0, err
    data = blob(path.read_text(encoding="utf-8"))
    assert data["units"] == "mi" and data["targets"][0]["label"] == "Guam (Andersen AFB) · 2,200 mi"


@pytest.mark.parametrize("argv, message", [
    (["map", "--offline", "--tiles", "osm"], "--offline makes no network request: leave out --tiles osm"),
    (["map", "--tiles", "osm", "--format", "png"], "--tiles applies to HTML maps"),
    (["map", "--tiles", "google"], "invalid choice: 'google'"),
    (["map", "--units", "furlongs"], "invalid choice: 'furlongs'")])
def test_cli_map_bad_options(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli(capsys, *argv)
    assert status == 2 and out == "" and message in err and err.count("\n") == 1
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_whole_country_as_target_is_shaded_where_it_is_within_range():
    import geo

    m = build_map(["Chagang"], [1000], ["Japan"])
    whole = geo.assess(geo.Scenario.resolve("Chagang", 1000, "Japan")).country(0, 0, 0)
    shaded = m.data["shaded"]
    assert len(shaded) == 1 and shaded[0]["label"].startswith(f"Japan: {100 * whole.share:.1f}% of its area")
    assert not build_map(["Chagang"], [1000], ["Guam"]).data["shaded"]


def test_build_map_links_only_leaflet_until_an_icon_needs_folium_defaults():
    import folium

    m = founding(offline=True)
    assert "jQuery v3.7.1" not in map_html(m)                                   # the default map stays small
    folium.Marker([40.0, 120.0], icon=folium.Icon(icon="info-sign")).add_to(m)
    page = map_html(m)
    assert "jQuery v3.7.1" in page and "L.AwesomeMarkers" in page and "Glyphicons Halflings" in page
    assert "<script src" not in page and "<link rel" not in page


def test_every_vendored_asset_ships_with_its_licence():
    from importlib import resources

    from geo.outputs.web.offline import ASSETS, LICENCES

    vendor = resources.files("geo.outputs.web").joinpath("vendor")
    made_here = {"leaflet.js", "leaflet.css", "rotate.css"}                 # xstatic-leaflet, or written here
    assert set(ASSETS.values()) - made_here == set(LICENCES)
    for name, licence in LICENCES.items():
        text = vendor.joinpath(f"{licence}.LICENSE.txt").read_text(encoding="utf-8")
        assert vendor.joinpath(name).is_file() and ("MIT" in text or "Permission is hereby granted" in text), name


def test_the_same_map_is_the_same_file():
    assert map_html(founding()) == map_html(founding())                     # folium's random ids made stable
    ids = {re.search(r'class="folium-map" id="(map_\w+)"', map_html(m))[1] for m in (founding(), scenario())}
    assert len(ids) == 2                                                     # another map, other ids


def test_any_xyzservices_provider_as_tiles():
    import xyzservices

    provider = xyzservices.providers.OpenTopoMap
    page = map_html(founding(tiles=provider))
    assert provider.build_url(fill_subdomain=False, scale_factor="{r}") in page and "map tiles: OpenTopoMap" in page
    with pytest.raises(InputError, match="offline map makes no network request"):
        founding(tiles=provider, offline=True)
