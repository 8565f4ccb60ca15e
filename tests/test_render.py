"""Tests of geo.outputs.webmap without a browser: the generated folium tree and HTML."""

from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser

import folium
import numpy as np
import pytest
import shapely

from geo.catalog.tables import Missile, Place, default_catalog
from geo.errors import InputError
from geo.analysis.reach import check
from geo.outputs.webmap import (
    LEAFLET_CSS_URL,
    LEAFLET_JS_URL,
    PALETTE,
    VERDICT_COLORS,
    LandLayer,
    RingShape,
    SafePopup,
    SafeTooltip,
    ShadeShape,
    _land_data,
    _leaflet_inline,
    build_map,
    embed_html,
    js_literal,
    map_html,
    write_map,
)
from geo.core.rings import display_ring

CAT = default_catalog()
#: Names for site, target, missile; a source; notes. Jinja in a name would run Python inside folium.
HOSTILE = ("<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "\"' `quotes` ${alert(1)}",
           "{{range(3)|list}}{{cycler.__init__.__globals__.os.getcwd()}}{% if 1 %}jinja{% endif %} a &amp; b",
           "line\u2028sep\u2029end \\u003c")


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


def walk(element):
    for child in element._children.values():
        yield child
        yield from walk(child)


def of_type(m, cls):
    return [e for e in walk(m) if isinstance(e, cls)]


def shapes_per_ring(missile):
    return len({missile.certain_km, missile.range_km, missile.max_km})


def scripts(page: str) -> list[str]:
    return re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)


# --- geometry ---------------------------------------------------------------------

def test_never_a_mercator_circle():
    m = scenario()
    page = map_html(m)
    assert "L.circle(" not in page and "folium.Circle" not in page
    assert not of_type(m, folium.Circle)


def test_ring_coordinates_in_html_are_display_ring_exactly():
    site, missile = CAT.site("Chagang"), CAT.missile("Hwasong-12")
    page = map_html(founding())
    drawn = [json.loads(x) for x in re.findall(r"L\.polygon\(\s*(\[.*?\]\]\]), \{", page)]
    assert len(drawn) == 2
    for km, locations in zip((missile.max_km, missile.certain_km), drawn):     # largest first
        ring = display_ring(site.lat, site.lon, km)
        assert locations == [[[lat, lon] for lon, lat in ring.exterior.coords]]


def test_ring_shapes_keep_their_geometry_and_swap_only_at_the_leaflet_edge():
    m = scenario()
    for shape in of_type(m, RingShape):
        ring = display_ring(shape.site.lat, shape.site.lon, shape.km)
        assert shapely.equals_exact(shape.geometry, ring, tolerance=0)
        assert shape.locations[0] == [[lat, lon + shape.shift] for lon, lat in ring.exterior.coords]


def test_holes_and_multipolygons_reach_leaflet_nested():
    outer = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    hole = [(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]
    poly = shapely.Polygon(outer, [hole])
    multi = shapely.MultiPolygon([poly, shapely.box(20, 0, 21, 1)])
    kw = dict(site=Place("s", 0, 0), missile=Missile("m", 1.0), km=1.0)
    one = RingShape(poly, 360.0, **kw).locations
    assert one == [[[y, x + 360.0] for x, y in outer], [[y, x + 360.0] for x, y in hole]]
    two = RingShape(multi, 0.0, **kw).locations
    assert len(two) == 2 and two[0][1] == [[y, x] for x, y in hole] and len(two[1]) == 1


def test_ring_across_the_pacific_is_one_shape_and_the_view_is_pacific_centred():
    m = founding()
    band = of_type(m, RingShape)[0]
    assert band.geometry.geom_type == "Polygon" and band.geometry.bounds[2] > 180
    (south, west), (north, east) = of_type(m, folium.map.FitBounds)[0].bounds
    assert west < 127 and east > 180 and south < 13.58 < north
    assert '"worldCopyJump": false' in map_html(m)


# --- what is drawn ----------------------------------------------------------------

def test_one_feature_group_per_missile_holding_its_rings():
    m = scenario()
    groups = {g.layer_name: g for g in of_type(m, folium.FeatureGroup)}
    for missile in (CAT.missile("Hwasong-12"), CAT.missile("KN-23")):
        group = groups[missile.name]
        shapes = [c for c in group._children.values() if isinstance(c, RingShape)]
        assert {s.missile for s in shapes} == {missile}
        assert len(shapes) == 2 * shapes_per_ring(missile)
    assert len(m._children) == len({id(c) for c in m._children.values()})


def test_counts_for_two_sites_two_missiles_three_targets():
    m = scenario()
    shapes = of_type(m, RingShape)
    assert len({(s.site, s.missile) for s in shapes}) == 4                     # one ring per site × missile
    assert len(shapes) == 2 * (2 + 3)                                          # HS-12: band, certain; KN-23: 3
    assert len(of_type(m, folium.CircleMarker)) == 2 + 3
    assert len(of_type(m, folium.PolyLine)) == 2 * 3
    page = map_html(m)
    assert (page.count("L.polygon("), page.count("L.circleMarker("), page.count("L.polyline(")) == (10, 5, 6)
    assert page.count(".bindTooltip(") == page.count(".bindPopup(") == 10 + 5 + 6
    offline = scenario(offline=True)
    assert len(of_type(offline, folium.PolyLine)) > 6                         # plus the graticule


def test_ring_styles_band_certain_nominal():
    kn23 = CAT.missile("KN-23")                                                # 600 < 690 < 800 km
    shapes = of_type(build_map([CAT.site("Chagang")], [kn23]), RingShape)
    assert [s.km for s in shapes] == [kn23.max_km, kn23.range_km, kn23.certain_km]
    band, nominal, certain = (s.options for s in shapes)
    assert band["fill"] and certain["fill"] and not nominal["fill"]
    assert certain["fillOpacity"] > band["fillOpacity"] and nominal["weight"] > band["weight"]
    assert {o["color"] for o in (band, nominal, certain)} == {PALETTE[0]}
    plain = of_type(build_map([CAT.site("Chagang")], [Missile("M", 1000.0)]), RingShape)
    assert len(plain) == 1 and plain[0].options["fill"]


def test_targets_unwrapped_next_to_the_ring_with_paths_from_the_site():
    m = build_map([CAT.site("Chagang")], [CAT.missile("Hwasong-12")], [CAT.target("Honolulu")])
    site_marker, marker = of_type(m, folium.CircleMarker)                     # sites first, then targets
    assert marker.location[1] == pytest.approx(-157.8583 + 360)
    path = of_type(m, folium.PolyLine)[0].locations
    assert path[0] == [41.369883, 126.913631]
    assert path[-1][1] == pytest.approx(marker.location[1]) and path[-1][0] == pytest.approx(21.3069)
    assert max(p[1] for p in path) - min(p[1] for p in path) < 180


def test_targets_coloured_by_best_verdict():
    site = CAT.site("Chagang")
    missile = Missile("M", 3000.0, 2500.0, 4000.0, min_range_km=500.0)
    targets = [CAT.target("Tokyo"), CAT.target("Guam"), CAT.target("Honolulu"), CAT.target("Seoul")]
    markers = of_type(build_map([site], [missile], targets), folium.CircleMarker)[1:]
    assert [c.options["fillColor"] for c in markers] == [VERDICT_COLORS[v] for v in
                                                         ("in range", "possibly in range", "out of range", "too close")]


def test_tooltips_and_popups_say_distance_range_margin_verdict_source():
    m = founding()
    texts = [t.text for t in of_type(m, SafeTooltip)] + [p.content for p in of_type(m, SafePopup)]
    target_tip = next(t for t in texts if t.startswith("<b>Guam"))
    assert "in range" in target_tip and "3,540 km" in target_tip and "+960 km" in target_tip
    ring_popup = next(t for t in texts if "Band" in t)
    assert "4,500 km to 5,000 km" in ring_popup and "CSIS Missile Threat" in ring_popup
    assert any("3,540 km (geodesic)" in t for t in texts)
    assert any("FAA airport data" in t for t in texts)


def test_legend_title_and_caption():
    page = map_html(founding(title="Hwasong-12 from Chagang"))
    assert "<title>Hwasong-12 from Chagang</title>" in page
    assert "rangemap-title" in page and "rangemap-legend" in page
    caption = re.search(r"class='rangemap-caption'[^>]*>(.*?)</div>", page)[1]
    assert caption == ("WGS84 geodesic range rings (Karney); ranges: "
                       "CSIS Missile Threat; UCS (D. Wright); ROK JCS")


def test_needs_a_site():
    with pytest.raises(InputError, match="at least one launch site"):
        build_map([], [CAT.missile("Hwasong-12")])


# --- escaping and loading ------------------------------------------------------------

def test_js_literal_cannot_close_a_script():
    for s in HOSTILE:
        lit = js_literal(s)
        assert json.loads(lit) == s
        assert not set(lit) & {"<", ">", "&", "\u2028", "\u2029"}


def test_hostile_names_never_reach_the_html_unescaped():
    m = hostile_map()
    page = map_html(m)
    assert "<img src=x" not in page and "</script><script>" not in page
    assert page.count("<script") == page.count("</script>") == 3               # CDN Leaflet, switches, the map
    main = scripts(page)[-1]
    assert "<" not in main and ">" not in main.replace("=>", "")               # all text is JSON-escaped
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', main)                           # JSON strings removed
    assert "`" not in code and "${" not in code                               # no JS template literals
    assert "\u2028" not in main and "\u2029" not in main
    decoder = json.JSONDecoder()
    shown = [decoder.raw_decode(main, k.end())[0] for k in re.finditer(r"(bindTooltip|setContent)\(\s*", main)]
    assert any(escaped(HOSTILE[2]) in s for s in shown)
    assert os.getcwd() not in page and "[0, 1, 2]" not in page               # Jinja ran nothing
    assert "&#123;&#123;range(3)|list&#125;&#125;" in page and "\\u0026#123;\\u0026#123;range(3)" in main
    assert "&lt;img src=x onerror=alert(1)&gt;" in page                       # legend: escaped once
    assert "&amp;amp;" in page                                                # so '&amp;' shows literally
    groups = [g.layer_name for g in of_type(m, folium.FeatureGroup)]
    assert escaped(HOSTILE[2]) in groups                                      # layer control uses innerHTML


def escaped(text):
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def test_only_leaflet_is_loaded_online():
    page = map_html(scenario())
    assert re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", page) == [LEAFLET_JS_URL]
    assert re.findall(r"<link[^>]*\bhref=\"([^\"]+)\"", page) == [LEAFLET_CSS_URL]
    for lib in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers", "awesome_markers"):
        assert lib not in page.lower()
    assert "$(" not in page and "tile.openstreetmap.org/{z}/{x}/{y}.png" in page


def test_offline_html_fetches_nothing():
    page = map_html(scenario(offline=True))
    inline = _leaflet_inline()                                                # Leaflet 1.9.3, inlined
    assert page.count(inline) == 1 and "Leaflet 1.9.3" in inline and "sourceMappingURL" not in inline
    assert not re.search(r"url\(\s*[\"']?(https?:|//|images/)", inline)     # its images are data: URLs
    rest = page.replace(inline, "")
    assert "http://" not in rest and "https://" not in rest                   # not even a link
    assert "<script src" not in rest and "<link" not in rest and "L.tileLayer" not in rest
    assert "{z}" not in rest and "url(" not in rest


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


# --- offline basemap: country outlines ------------------------------------------------

def decode_land(data: str) -> list:
    """The land layer's compact array back to shapely MultiPolygons (one per country, frame around ref)."""
    countries = []
    for country in json.loads(data):
        polygons = []
        for polygon in country:
            rings = []
            for r in polygon:
                n = r[0]
                pts = np.cumsum(np.asarray(r[n + 1:]).reshape(-1, 2), axis=0) / 100.0       # lat, lon
                rings.append(pts[:, ::-1])
            polygons.append(shapely.Polygon(rings[0], rings[1:]))
        countries.append(shapely.make_valid(shapely.MultiPolygon(polygons)))    # rounding may pinch a ring
    return countries


def test_offline_map_draws_country_outlines_under_the_rings():
    m = founding(offline=True)
    land = of_type(m, LandLayer)
    assert len(land) == 1 and land[0].countries == 241
    page = map_html(m)
    assert page.count("createPane(\"rangemap-land\")") == 1 and "style.zIndex = 250" in page   # overlays: 400
    assert page.index("L.polygon(polygons, fill)") < page.index("= L.polygon(")                   # land first
    assert 100_000 < len(page.encode()) < 1_500_000
    assert not of_type(founding(), LandLayer) and "rangemap-land" not in map_html(founding())


def test_land_covers_the_frame_around_the_site_and_joins_pieces_cut_at_the_antimeridian():
    ref = CAT.site("Chagang").lon
    data, count = _land_data(ref)
    countries = decode_land(data)
    assert len(countries) == count == 241
    lons = np.concatenate([shapely.get_coordinates(c)[:, 0] for c in countries])
    assert lons.min() < ref - 175 and lons.max() > ref + 175                 # the whole frame ...
    parts = shapely.get_parts(countries)
    x0, _, x1, _ = shapely.bounds(parts).T
    assert np.all(np.abs((x0 + x1) / 2 - ref) <= 180)                       # ... once (copies made in JS)
    world = shapely.union_all(countries)
    for name, lat, lon in [("Pyongyang", 39.03, 125.75), ("Alaska", 64.8, -147.7 + 360),
                           ("Chukotka east of 180", 66.0, -172.0 + 360), ("Madrid", 40.4, -3.7)]:
        assert shapely.contains_xy(world, lon, lat), name
    assert not shapely.contains_xy(world, 150.0, 30.0) and not shapely.contains_xy(world, 200.0, 0.0)
    chukotka = [p for c in countries for p in shapely.get_parts(c) if shapely.intersects_xy(p, 179.9, 66.5)]
    assert len(chukotka) == 1 and shapely.intersects_xy(chukotka[0], 180.1, 66.5)   # not cut in two at 180°
    cuts = [r[1:r[0] + 1] for c in json.loads(data) for p in c for r in p if r[0]]
    assert 0 < len(cuts) <= 3                                                # Antarctica's cut edges only


def test_land_is_simplified_for_the_web_yet_close_to_natural_earth():
    from geo.catalog.countries import country_outlines

    source = country_outlines()
    countries = decode_land(_land_data(0.0)[0])               # at 0°E the frame is Natural Earth's own
    assert shapely.get_num_coordinates(countries).sum() < 0.6 * shapely.get_num_coordinates(source).sum()
    areas, drawn = shapely.area(source), shapely.area(countries)
    assert np.all(np.abs(drawn - areas) <= shapely.length(source) * (0.02 + 0.01))  # tolerance + rounding
    moved = shapely.area(shapely.symmetric_difference(shapely.make_valid(source), countries))
    assert moved.sum() < 0.005 * areas.sum()


# --- rotating-Earth footprint, model verdicts --------------------------------------------

def test_rotating_model_draws_the_footprints_the_verdicts_use():
    from geo.analysis.regions import footprint

    m = scenario(model="rotating")
    rings = of_type(m, RingShape)
    assert len(rings) == 10 and {r.model for r in rings} == {"rotating"}        # 2 sites × (3 + 2) regions
    for shape in rings:
        zone = footprint(shape.site, shape.missile, model="rotating", range_km=shape.km, display=True)
        assert shapely.equals_exact(shape.geometry, zone, tolerance=0)
        assert shape.options["color"] == PALETTE[[CAT.missile("Hwasong-12"), CAT.missile("KN-23")].index(shape.missile)]
    geodesic = of_type(scenario(), RingShape)
    assert not any(shapely.equals_exact(r.geometry, g.geometry, tolerance=0) for r, g in zip(rings, geodesic))
    tips = [t.text for t in of_type(m, SafeTooltip)]
    assert sum("on a rotating Earth" in t for t in tips if "sources disagree" in t or "range on" in t
               or "up to on" in t) == 10
    page = map_html(m)
    assert "filled: reach on a rotating Earth" in page and "Keplerian" in page


def test_rotating_model_targets_state_the_rotating_verdict():
    site, missile = CAT.site("Sohae"), CAT.missile("Hwasong-14")
    target = CAT.target("Los Angeles")
    m = build_map([site], [missile], [target], model="rotating")
    tip = next(t.text for t in of_type(m, SafeTooltip) if t.text.startswith("<b>Los Angeles"))
    rot = check(site, missile, target, model="rotating")
    assert f"<b>{rot.verdict}</b> on a rotating Earth" in tip
    assert f"reach toward it {rot.range_km:,.0f} km" in tip and f"margin {rot.margin_km:+,.0f} km" in tip
    marker = of_type(m, folium.CircleMarker)[-1]
    assert marker.options["fillColor"] == VERDICT_COLORS[rot.verdict]


def test_minimum_range_is_a_hole_and_the_tooltip_says_how_far_inside():
    missile = Missile("Short-legged", 3000.0, min_range_km=1000.0, source="test")
    m = build_map([CAT.site("Chagang")], [missile], [CAT.target("Seoul")])
    ring = of_type(m, RingShape)[0]
    assert len(ring.geometry.interiors) == 1 and not ring.geometry.contains(shapely.Point(126.913631, 41.369883))
    tip = next(t.text for t in of_type(m, SafeTooltip) if t.text.startswith("<b>Seoul"))
    c = check(CAT.site("Chagang"), missile, CAT.target("Seoul"))
    assert c.verdict == "too close" and f"{c.inside_minimum_km:,.0f} km inside the minimum range 1,000 km" in tip


def test_unknown_model():
    with pytest.raises(InputError, match="unknown model 'flat'"):
        founding(model="flat")


# --- shaded areas (coverage hook) -----------------------------------------------------

def test_shaded_areas_are_hatched_with_escaped_tooltips_and_joined_across_the_antimeridian():
    fiji = shapely.MultiPolygon([shapely.box(177.0, -19.0, 180.0, -16.0), shapely.box(-180.0, -19.0, -178.0, -16.0)])
    m = founding(offline=True, shaded=[(HOSTILE[0], shapely.box(125.0, 38.0, 129.0, 42.0)), (HOSTILE[3], fiji),
                                       ("empty", shapely.Polygon())])
    shades = of_type(m, ShadeShape)
    assert [s.label for s in shades] == [HOSTILE[0], HOSTILE[3]]
    assert shapely.get_num_geometries(shades[1].geometry) == 1                # one island again, east of 180
    assert shades[1].geometry.bounds == pytest.approx((177.0, -19.0, 182.0, -16.0))
    assert all(s.options["fillColor"] == "url(#rangemap-hatch)" for s in shades)
    page = map_html(m)
    assert page.count('<pattern id="rangemap-hatch"') == 1 and "hatched: shaded areas" in page
    assert "<img src=x" not in page and os.getcwd() not in page and "[0, 1, 2]" not in page
    tips = [t.text for t in of_type(m, SafeTooltip)]
    assert f"<b>{escaped(HOSTILE[0])}</b>" in tips and f"<b>{escaped(HOSTILE[3])}</b>" in tips
    ring = page.index("= L.polygon(")
    assert ring < page.index("rangemap-hatch)") < page.index("L.circleMarker(")  # over rings, under markers


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
    frames = iframes(m._repr_html_())
    assert len(frames) == 1 and frames[0]["srcdoc"] == map_html(m)


def test_embed_html_escapes_the_page_into_srcdoc():
    m = hostile_map(offline=True)
    snippet = embed_html(m, width=800, height="50vh", title=HOSTILE[1])
    assert snippet.startswith("<iframe") and snippet.endswith("</iframe>") and snippet.count("<") == 2
    assert "<img src=x" not in snippet and "</script>" not in snippet and "{{" not in snippet
    (frame,) = iframes(snippet)
    assert frame["srcdoc"] == map_html(m) and frame["title"] == HOSTILE[1]
    assert frame["sandbox"] == "allow-scripts"
    assert "width:800px;height:50vh" in frame["style"]


@pytest.mark.parametrize("width", ["100%;background:url(x)", "wide", -3, "600px\" onload=\"x"])
def test_embed_html_refuses_what_is_not_a_css_length(width):
    with pytest.raises(InputError, match="not a CSS length"):
        embed_html(founding(), width=width)
