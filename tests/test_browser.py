"""Maps in a real browser: Debian's headless Chromium through Playwright, never the network.

Maps are self-contained (Leaflet inlined, the land drawn from the page itself); a map with
OpenStreetMap tiles gets a blank PNG for every tile through ``page.route``; any other
request is recorded and aborted.
"""

from __future__ import annotations

import base64
import itertools
import statistics
import struct
import zlib
from urllib.parse import urlsplit

import numpy as np
import pytest
import shapely
from test_render import HOSTILE, founding, hostile_map, scenario, shapes_per_ring

from conftest import VIEWPORT
from geo.catalog.tables import Place, default_catalog
from geo.core.rings import display_ring
from geo.outputs.report import build_report, write_report
from geo.outputs.style import PALETTE
from geo.outputs.web.basemap import LAND_COLOR, OFFLINE_BACKGROUND
from geo.outputs.web.data import BAND_OPACITY, CERTAIN_OPACITY
from geo.outputs.web.offline import write_map
from geo.outputs.web.page import build_map

pytestmark = pytest.mark.browser

CAT = default_catalog()
INTERACTIVE = "path.leaflet-interactive"
LABELS = ".rangemap-label:not(.rangemap-hidden)"


def only_local_requests(tab, also=()):
    """Let file:, data: and blob: requests through; record and abort anything else."""
    allowed = ("file:", "data:", "blob:", *also)
    tab.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(allowed) else (
        tab.errors.append(f"network: {route.request.url}"), route.abort()))


def solid_png(rgb, size: int = 256) -> bytes:
    """A PNG of one colour, made here."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def serve_tiles(tab, tile: bytes):
    """Answer OpenStreetMap tile requests with `tile` (never the network); record and abort the rest."""
    tab.unexpected = []

    def handle(route):
        url = route.request.url
        if urlsplit(url).hostname == "tile.openstreetmap.org":
            route.fulfill(status=200, body=tile, content_type="image/png")
        elif url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            tab.unexpected.append(url)
            route.abort()

    tab.page.route("**/*", handle)


def open_map(page, m, tmp_path, expected: int | None = None, name: str = "map.html"):
    """Write `m`, load it from file://, wait until it is drawn (and `expected` shapes are interactive)."""
    path = write_map(m, tmp_path / name)
    page.goto(path.as_uri())
    page.wait_for_function("window.rangemap !== undefined && window.rangemap.layers.length > 0 && window.rangemap.layers.every(r => r.labels.every(l => l.w !== undefined))",
                           timeout=10_000)
    if expected is not None:
        assert page.locator(INTERACTIVE).count() == expected


def expected_shapes(sites, missiles, targets) -> int:
    rings = len(sites) * sum(shapes_per_ring(mi) for mi in missiles)
    return rings + len(sites) * len(targets) + len(sites) + len(targets)


SCENARIO = ([CAT.site("Chagang"), CAT.site("Sohae")], [CAT.missile("Hwasong-12"), CAT.missile("KN-23")],
            [CAT.target("Guam"), CAT.target("Tokyo"), CAT.target("Honolulu")])


def container_point(page, lat: float, lon: float):
    return page.evaluate(f"(p => [p.x, p.y])(window.rangemap.layers[0].map.latLngToContainerPoint([{lat}, {lon}]))")


def marker_point(page, kind: str, index: int):
    """Container point of site or target marker `index`."""
    return page.evaluate(f"""(() => {{ const d = window.rangemap.layers[0].data.{kind}s[{index}];
        const p = window.rangemap.layers[0].map.latLngToContainerPoint([d.lat, d.lon]); return [p.x, p.y]; }})()""")


def open_point(page, x: float, y: float, viewport=VIEWPORT) -> bool:
    """Is (x, y) on screen, and not under a control, the legend, the title or a label?"""
    return 10 < x < viewport["width"] - 10 and 10 < y < viewport["height"] - 10 and page.evaluate(
        f"document.elementFromPoint({x}, {y}).closest('.leaflet-control, .rangemap-box, .rangemap-label')"
        " === null")


def open_sea(page) -> tuple[float, float]:
    """A point of the map with nothing interactive under it (for moving the mouse away)."""
    for x, y in ((985, 350), (985, 150), (15, 350), (500, 690)):
        if page.evaluate(f"(e => e !== null && e.closest('.leaflet-interactive, .leaflet-control, .rangemap-box')"
                         f" === null)(document.elementFromPoint({x}, {y}))"):
            return x, y
    raise AssertionError("no free point on the map")


def switch(page, name: str, on: bool):
    """Tick or untick a layer switch of the legend (opened first)."""
    page.evaluate("document.querySelector('.rangemap-legend').open = true")
    box = page.locator(".rangemap-legend label", has_text=name).first.locator("input")
    box.check() if on else box.uncheck()


def boxes(page, selector: str) -> list[dict]:
    return page.evaluate(f"""[...document.querySelectorAll({selector!r})].map(e => {{
        const r = e.getBoundingClientRect(); return {{x: r.left, y: r.top, r: r.right, b: r.bottom, text: e.textContent}}; }})""")


def overlapping(rects) -> list:
    return [(a["text"], b["text"]) for a, b in itertools.combinations(rects, 2)
            if a["x"] < b["r"] and b["x"] < a["r"] and a["y"] < b["b"] and b["y"] < a["b"]]


def marker_centres(page) -> list:
    return page.evaluate("""[...document.querySelectorAll('path.rangemap-site, path.rangemap-target')].map(e => {
        const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })""")


def assert_labels_clear(page, viewport=VIEWPORT) -> list[dict]:
    """Shown labels: none overlaps another or covers a marker's centre, all inside the viewport; their boxes."""
    shown = boxes(page, LABELS)
    assert overlapping(shown) == []
    for x, y in marker_centres(page):
        assert not any(b["x"] <= x <= b["r"] and b["y"] <= y <= b["b"] for b in shown), (x, y)
    for b in shown:
        assert 0 <= b["x"] and b["r"] <= viewport["width"] and 0 <= b["y"] and b["b"] <= viewport["height"], b
    return shown


# --- what loads -------------------------------------------------------------------------

def test_tiles_are_requested_and_drawn_over_the_land_from_a_local_fake(tab, tmp_path, land):
    """No network: every tile request is answered here with a magenta tile; the tiles cover the land,
    the rings stay over them, and the layer control takes them away again."""
    magenta = (255, 0, 255)
    serve_tiles(tab, solid_png(magenta))
    open_map(tab.page, founding(tiles="osm"), tmp_path, 2 + 1 + 2)
    page = tab.page
    page.wait_for_function("document.querySelectorAll('img.leaflet-tile-loaded').length > 0", timeout=10_000)
    # Leaflet fades tiles in (opacity 0 to 1 over 200 ms): the colour is read once every tile is opaque
    page.wait_for_function("[...document.querySelectorAll('.leaflet-tile-pane .leaflet-layer, .leaflet-tile-container, "
                           "img.leaflet-tile')].every(e => getComputedStyle(e).opacity === '1')", timeout=10_000)
    assert page.evaluate("[L.version, typeof window.jQuery, typeof window.bootstrap]") == \
        ["1.9.3", "undefined", "undefined"]
    assert page.locator(".leaflet-rangemap-land-pane path").count() > 200                # the land, under the tiles
    z = page.evaluate("['.leaflet-rangemap-land-pane', '.leaflet-tile-pane', '.leaflet-overlay-pane']"
                      ".map(s => +getComputedStyle(document.querySelector(s)).zIndex)")
    assert z[0] < z[1] < z[2]
    hosts = {urlsplit(u).hostname for u in tab.requests if not u.startswith(("file:", "data:"))}
    assert hosts == {"tile.openstreetmap.org"} and tab.unexpected == [] and tab.errors == []
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").text_content()
    page.evaluate("document.querySelector('.rangemap-legend').open = false")
    page.mouse.move(*open_sea(page))
    ring = display_ring(CAT.site("Chagang").lat, CAT.site("Chagang").lon, CAT.missile("Hwasong-12").max_km)
    free = []
    for lat, lon in [(64.0, 210.0), (60.0, 240.0), (40.0, 75.0), (48.0, 68.0), (-25.0, 134.0), (62.0, 100.0)]:
        x, y = container_point(page, lat, lon)
        if (open_point(page, x, y) and not shapely.intersects_xy(ring.buffer(1.0), lon, lat)
                and land.contains(shapely.Point(lon - 360 if lon > 180 else lon, lat).buffer(1.0))):
            free.append((x, y))                                                          # land, outside the rings
    assert free
    gx, gy = marker_point(page, "target", 0)
    png = page.screenshot()
    tiled, guam = (median_rgb(px) for px in pixels(page, png, [free[0], (gx + 20, gy + 20)]))
    assert max(abs(a - b) for a, b in zip(tiled, magenta)) <= 4, tiled                  # tiles over land and sea
    assert max(abs(a - b) for a, b in zip(guam, magenta)) > 20                            # the rings over the tiles
    page.locator(".leaflet-control-layers label", has_text="Map tiles").locator("input").uncheck()
    assert page.locator("img.leaflet-tile").count() == 0


def test_default_map_requests_nothing_but_files(tab, tmp_path):
    only_local_requests(tab)
    open_map(tab.page, scenario(), tmp_path, expected_shapes(*SCENARIO))
    page = tab.page
    page.hover(".leaflet-control-zoom-in")                                         # Leaflet's (inlined) icons
    page.wait_for_timeout(100)
    assert {urlsplit(u).scheme for u in tab.requests} <= {"file", "data", "blob"}
    assert tab.errors == []
    assert page.locator("img.leaflet-tile").count() == 0
    assert page.locator(".leaflet-rangemap-land-pane path").count() > 200
    r, g, b = (int(OFFLINE_BACKGROUND[i:i + 2], 16) for i in (1, 3, 5))
    assert page.evaluate("getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor") \
        == f"rgb({r}, {g}, {b})"


def test_hostile_names_show_literally_and_run_nothing(tab, tmp_path):
    open_map(tab.page, hostile_map(), tmp_path, 3 + 1 + 2)
    page = tab.page
    tips, popups, real = [], [], []
    shapes = page.locator(INTERACTIVE)
    switch(page, "Labels", False)
    page.evaluate("document.querySelector('.rangemap-legend').open = false")
    for marker in shapes.all()[-2:]:                                                 # a real mouse on the markers
        marker.hover(force=True)
        page.wait_for_timeout(20)
        real.append(page.locator(".leaflet-tooltip").last.text_content())
    page.mouse.move(*open_sea(page))                                                 # the mouse leaves the markers
    page.wait_for_timeout(20)
    for shape in shapes.all():
        box = shape.bounding_box()
        at = {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2}
        shape.dispatch_event("mouseover", at)
        tips.append(page.locator(".leaflet-tooltip").last.text_content())
        shape.dispatch_event("mouseout", at)
        shape.dispatch_event("click", at)
        page.wait_for_timeout(20)
        popups.append(page.locator(".leaflet-popup-content").last.text_content())
        page.evaluate("void window.rangemap.layers[0].map.closePopup()")
    switch(page, "Labels", True)
    legend = page.locator(".rangemap-legend").text_content()
    labels = [b["text"] for b in boxes(page, LABELS)]
    assert tab.dialogs == [] and tab.errors == []
    assert page.locator("img[src='x']").count() == 0 and page.locator("script").count() == 5   # Leaflet, its icons, ours, folium x2
    assert len(tips) == len(popups) == 6
    site, target, missile, source, notes = HOSTILE
    assert all(missile in t for t in tips[:3]) and all(site in t for t in tips[:4])    # rings, path
    assert target in tips[3] and site in tips[4] and target in tips[5] and missile in tips[5]
    assert real == tips[4:6]                                                          # the same by a real mouse
    for text in popups[:3]:                                                           # rings: type, source, notes
        assert site in text and missile in text and source in text and target in text
    assert notes in popups[4] and source in popups[4] and missile in popups[5] and missile in popups[3]
    assert missile in legend and source in legend
    assert f"{missile} · 4,500 km" in labels and any(t.startswith(target) for t in labels) and site in labels
    for text in tips + popups + real + labels + [legend]:
        assert "&lt;" not in text and "&amp;amp;" not in text and "&#x27;" not in text and "\\u003c/" not in text
    assert page.title() == " | ".join(HOSTILE)
    assert page.locator(".rangemap-title").text_content() == " | ".join(HOSTILE)


@pytest.fixture(scope="module")
def land():
    """The land the map draws (Natural Earth outlines), for choosing test points."""
    from geo.catalog.countries import country_outlines

    return shapely.union_all(country_outlines())


def test_founding_map_draws_land_under_the_rings(tab, tmp_path, land):
    """Only local requests, no errors; country outlines drawn under the ring; Guam in the ring's tint,
    land outside the ring in the land colour, sea in the sea colour."""
    site, missile, guam = CAT.site("Chagang"), CAT.missile("Hwasong-12"), CAT.target("Guam")
    only_local_requests(tab)
    open_map(tab.page, founding(title="Hwasong-12 from Chagang"), tmp_path, 2 + 1 + 2)
    page = tab.page
    land_pane, overlay_pane = ".leaflet-rangemap-land-pane", ".leaflet-overlay-pane"
    assert page.locator(f"{land_pane} path").count() > 200                    # a path per country, and borders
    assert page.locator(f"{land_pane} path.leaflet-interactive").count() == 0
    z = page.evaluate(f"[{land_pane!r}, {overlay_pane!r}]"
                      ".map(s => +getComputedStyle(document.querySelector(s)).zIndex)")
    assert z[0] < z[1]                                                       # rings over the land
    assert sorted(b["text"] for b in assert_labels_clear(page)) == ["Chagang", "Guam (Andersen AFB) · 3,540 km",
                                                                     "Hwasong-12 · 4,500 km"]
    for layer in ("Targets", "Geodesic paths", "Labels"):                    # uncover Guam
        switch(page, layer, False)
    page.evaluate("document.querySelector('.rangemap-legend').open = false")
    page.mouse.move(500, 5)
    assert page.locator(INTERACTIVE).count() == 2 + 1
    ring = display_ring(site.lat, site.lon, missile.max_km)
    gx, gy = container_point(page, guam.lat, guam.lon)
    assert page.evaluate(f"document.elementFromPoint({gx}, {gy}).matches('path.rangemap-region')")
    points = {}
    for kind, candidates in {"land": [(-25.0, 134.0), (64.0, 210.0), (40.0, 260.0), (22.0, 79.0), (48.0, 68.0)],
                             "sea": [(-30.0, 200.0), (10.0, 205.0), (-40.0, 100.0), (45.0, 195.0)]}.items():
        for lat, lon in candidates:
            x, y = container_point(page, lat, lon)
            deep = shapely.Point(lon - 360 if lon > 180 else lon, lat).buffer(1.5)
            if (open_point(page, x, y) and not shapely.intersects_xy(ring.buffer(1.0), lon, lat)
                    and (land.contains(deep) if kind == "land" else not land.intersects(deep))):
                points[kind] = (x, y)
                break
    assert set(points) == {"land", "sea"}, points
    png = page.screenshot(path=str(tmp_path / "founding.png"))
    inside, on_land, at_sea = (median_rgb(px) for px in pixels(page, png, [(gx, gy), points["land"], points["sea"]]))
    sea, ground = hex_rgb(OFFLINE_BACKGROUND), hex_rgb(LAND_COLOR)
    blue = hex_rgb(PALETTE[0])
    tints = [blend(blend(under, blue, BAND_OPACITY), blue, CERTAIN_OPACITY) for under in (sea, ground)]
    assert min(max(abs(a - b) for a, b in zip(inside, tint)) for tint in tints) <= 8, (inside, tints)
    assert max(abs(a - b) for a, b in zip(on_land, ground)) <= 4, (on_land, ground)
    assert max(abs(a - b) for a, b in zip(at_sea, sea)) <= 4, (at_sea, sea)
    assert {urlsplit(u).scheme for u in tab.requests} <= {"file", "data", "blob"}
    assert tab.errors == [] and tab.dialogs == []


def test_rotating_model_draws_the_footprint_per_site_and_missile(tab, tmp_path):
    sites, missiles, targets = SCENARIO[0], SCENARIO[1][:1], SCENARIO[2][:1]
    m = build_map(sites, missiles, targets, model="rotating")
    open_map(tab.page, m, tmp_path, expected_shapes(sites, missiles, targets))
    tab.page.locator(INTERACTIVE).first.dispatch_event("mouseover")
    assert "on a rotating Earth" in tab.page.locator(".leaflet-tooltip").last.text_content()
    legend = tab.page.locator(".rangemap-legend").text_content()
    assert "filled: reach on a rotating Earth" in legend
    assert tab.errors == [] and tab.dialogs == []


# --- world copies, labels, small screens ------------------------------------------------------

def test_a_target_in_range_is_inside_the_ring_in_every_world_copy_in_view(tab, tmp_path):
    """Hwasong-17 from Chagang: Washington (10,791 km) is in range. Zoomed out so that three
    copies of the world show, each copy of Washington lies in the drawn ring, and each copy of
    the point opposite the site (out of range) does not."""
    site, washington = CAT.site("Chagang"), CAT.target("Washington")
    only_local_requests(tab)
    m = build_map([site], [CAT.missile("Hwasong-17")], [washington])
    assert m.assessment.verdict[0, 0, 0] == "in range"
    open_map(tab.page, m, tmp_path)
    page = tab.page
    for layer in ("Targets", "Geodesic paths", "Launch sites", "Labels"):
        switch(page, layer, False)
    page.evaluate("document.querySelector('.rangemap-legend').open = false")
    page.evaluate("void window.rangemap.layers[0].map.setView([20, window.rangemap.layers[0].data.ref], 0, {animate: false})")
    page.mouse.move(500, 5)
    ref = site.lon
    antipode = (-site.lat, site.lon - 180.0)
    seen = {"in": 0, "out": 0}
    for lat, lon, kind in [(washington.lat, washington.lon, "in"), (*antipode, "out")]:
        base = lon + 360.0 * round((ref - lon) / 360.0)
        for k in range(-2, 3):
            x, y = container_point(page, lat, base + 360.0 * k)
            if not open_point(page, x, y):
                continue
            seen[kind] += 1
            hit = page.evaluate(f"document.elementFromPoint({x}, {y}).matches('path.rangemap-region')")
            assert hit == (kind == "in"), (kind, k, x, y)
    assert seen["in"] >= 2 and seen["out"] >= 2, seen
    west, east = (container_point(page, 0, ref + d)[0] for d in (-540, 540))
    assert west <= 0 and east >= VIEWPORT["width"]                              # nothing shown past the copies
    assert tab.errors == []


def crowd(n: int) -> list[Place]:
    """`n` targets: the catalog's in and around East Asia, then a seeded scatter over Korea and Japan."""
    rng = np.random.default_rng(13)
    out = [t for t in CAT.targets if 0 < t.lat < 50 and 100 < t.lon < 150][:n]
    while len(out) < n:
        out.append(Place(f"Point {len(out) + 1}", float(rng.uniform(30, 45)), float(rng.uniform(124, 142))))
    return out


@pytest.mark.parametrize("n", [60, 200])
def test_labels_never_overlap_each_other_or_markers(tab, tmp_path, n):
    m = build_map([CAT.site("Chagang")], [CAT.missile("Hwasong-12"), CAT.missile("KN-23")], crowd(n))
    open_map(tab.page, m, tmp_path)
    page = tab.page
    counts = []
    for zoom_in in range(3):
        if zoom_in:                                                          # into the crowd
            page.evaluate("void window.rangemap.layers[0].map.setView([37.5, 133], window.rangemap.layers[0].map.getZoom() + 1, "
                          "{animate: false})")
            page.wait_for_timeout(50)
        shown = assert_labels_clear(page)
        counts.append(sum(" km" in b["text"] and not b["text"].startswith(("Hwasong", "KN-23")) for b in shown))
        texts = [b["text"] for b in shown]
        if not zoom_in:
            assert "Hwasong-12 · 4,500 km" in texts and "KN-23 · 690 km" in texts
        assert page.evaluate("document.querySelectorAll('.rangemap-label').length") == 1 + 2 + n
    assert counts[0] >= 6 and counts[2] > counts[0], counts                 # zooming in makes room
    assert tab.errors == []


def test_tooltips_wrap_and_stay_on_screen(tab, tmp_path):
    m = build_map([CAT.site("Chagang")], [CAT.missile("Hwasong-12"), CAT.missile("Hwasong-15")], [CAT.target("Guam")])
    open_map(tab.page, m, tmp_path)
    page = tab.page
    page.evaluate("document.querySelector('.rangemap-legend').open = false")
    for edge in (VIEWPORT["width"] - 12, 12):
        x, y = marker_point(page, "target", 0)
        page.evaluate(f"void window.rangemap.layers[0].map.panBy([{x - edge}, 0], {{animate: false}})")
        x, y = marker_point(page, "target", 0)
        assert abs(x - edge) < 2
        page.locator("path.rangemap-target").dispatch_event("mouseover", {"clientX": x, "clientY": y})
        tip = page.locator(".leaflet-tooltip").last.bounding_box()
        assert tip["x"] >= 0 and tip["x"] + tip["width"] <= VIEWPORT["width"], (edge, tip)
        assert tip["y"] >= 0 and tip["y"] + tip["height"] <= VIEWPORT["height"]
        assert tip["width"] <= 342 and tip["height"] > 3 * 16                          # wrapped lines
        page.locator("path.rangemap-target").dispatch_event("mouseout", {"clientX": x, "clientY": y})
        page.locator("path.rangemap-target").dispatch_event("click", {"clientX": x, "clientY": y})
        page.wait_for_timeout(300)                                                     # the popup pans into view
        assert page.locator(".leaflet-tooltip").count() == 0                           # the popup replaces it
        popup = page.locator(".leaflet-popup").bounding_box()
        assert popup["x"] >= 0 and popup["x"] + popup["width"] <= VIEWPORT["width"]
        page.evaluate("void window.rangemap.layers[0].map.closePopup()")
    assert tab.errors == []


PHONE = {"width": 375, "height": 667}


def test_usable_on_a_phone(browser, tmp_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        m = build_map([CAT.site("Chagang")], [CAT.missile("Hwasong-12"), CAT.missile("KN-23")], crowd(12),
                      title="North Korean missile reach from the Chagang base", units="mi")
        open_map(page, m, tmp_path)
        legend = page.locator(".rangemap-legend")
        assert page.evaluate("document.querySelector('.rangemap-legend').open") is False   # folded
        folded = legend.bounding_box()
        assert folded["height"] < 40 and folded["width"] < PHONE["width"] / 2
        title = page.locator(".rangemap-title").bounding_box()
        assert title["x"] >= 0 and title["x"] + title["width"] <= PHONE["width"]
        shown = assert_labels_clear(page, PHONE)
        assert len(shown) >= 4 and all(" mi" in b["text"] for b in shown if "·" in b["text"])
        ring = page.locator("path.rangemap-region").first.bounding_box()                # the ring fits the screen
        assert ring["width"] < PHONE["width"] + 10 and ring["width"] > 0.5 * PHONE["width"]
        page.locator(".rangemap-legend summary").tap()
        opened = legend.bounding_box()
        assert page.evaluate("document.querySelector('.rangemap-legend').open") is True
        assert opened["x"] >= 0 and opened["x"] + opened["width"] <= PHONE["width"] and opened["y"] >= 0
        assert "mi" in legend.text_content() and "statute miles" in legend.text_content()
        assert_labels_clear(page, PHONE)                                                 # clear of the open legend
        page.locator(".rangemap-legend summary").tap()
        x, y = marker_point(page, "target", 0)
        page.locator("path.rangemap-target").first.dispatch_event("mouseover", {"clientX": x, "clientY": y})
        tip = page.locator(".leaflet-tooltip").last.bounding_box()
        assert tip["x"] >= 0 and tip["x"] + tip["width"] <= PHONE["width"]
        assert tip["y"] >= 0 and tip["y"] + tip["height"] <= PHONE["height"]
        assert errors == []
    finally:
        context.close()


# --- the report's map -----------------------------------------------------------------------

def open_report(tab, tmp_path, report: str):
    """Write `report`, load it from file://, wait for the map inside its frame; the frame locator."""
    only_local_requests(tab, also=("about:",))
    path = write_report(report, tmp_path / "report.html")
    tab.page.goto(path.as_uri())
    frame = tab.page.frame_locator("iframe.rangemap-map")
    frame.locator(INTERACTIVE).first.wait_for(state="attached", timeout=10_000)
    return frame


def frame_element_center(locator):
    return locator.evaluate("e => { const r = e.getBoundingClientRect(); "
                            "return {clientX: r.x + r.width / 2, clientY: r.y + r.height / 2}; }")


def test_report_loads_offline_with_its_map_and_figure(tab, tmp_path):
    sites, missiles, targets = SCENARIO[0][:1], SCENARIO[1], SCENARIO[2][:2]
    frame = open_report(tab, tmp_path, build_report(sites, missiles, targets, title="Report"))
    page = tab.page
    expected = expected_shapes(sites, missiles, targets)
    frame.locator(f"{INTERACTIVE} >> nth={expected - 1}").wait_for(state="attached", timeout=10_000)
    assert frame.locator(INTERACTIVE).count() == expected
    assert frame.locator(".leaflet-rangemap-land-pane path").count() > 200
    box = page.locator("iframe.rangemap-map").bounding_box()
    assert box["width"] > 900 and box["height"] == pytest.approx(600, abs=3)
    ring = frame.locator(INTERACTIVE).first.bounding_box()                    # fitted: the ring fills the frame
    assert ring["width"] > 0.3 * box["width"] and ring["height"] > 0.5 * box["height"]
    assert frame.locator(LABELS).count() >= 3
    assert page.evaluate("(() => { const i = document.querySelector('#figure img'); "
                         "return i.complete && i.naturalWidth > 500; })()")
    assert page.locator("table.checks tbody tr").count() == len(sites) * len(missiles) * len(targets)
    page.emulate_media(media="print")
    assert page.locator("iframe.rangemap-map").is_hidden()
    assert page.locator("#figure img").bounding_box()["width"] > 0.9 * VIEWPORT["width"] - 10
    page.emulate_media(media="screen")
    assert {urlsplit(u).scheme for u in tab.requests} <= {"file", "data", "blob", "about"}
    assert tab.errors == [] and tab.dialogs == []


def test_hostile_report_shows_names_as_text_and_runs_nothing(tab, tmp_path):
    from test_report import HOSTILE as NAMES
    from test_report import hostile_report

    frame = open_report(tab, tmp_path, hostile_report())
    page = tab.page
    frame.locator(f"{INTERACTIVE} >> nth=5").wait_for(state="attached", timeout=10_000)
    shapes = frame.locator(INTERACTIVE)
    assert shapes.count() == 3 + 1 + 2
    tips, popups = [], []
    for shape in shapes.all():
        at = frame_element_center(shape)
        shape.dispatch_event("mouseover", at)
        tips.append(frame.locator(".leaflet-tooltip").last.text_content())
        shape.dispatch_event("mouseout", at)
        shape.dispatch_event("click", at)
        popups.append(frame.locator(".leaflet-popup-content").last.text_content())
    for marker in shapes.all()[-2:]:                                          # and a real mouse
        marker.hover(force=True)
        page.wait_for_timeout(20)
    body = page.locator("main").inner_text()
    for text in NAMES:
        assert text in body or text.replace("  ", " ") in body, text
    assert page.title() == " | ".join(NAMES)
    assert all(NAMES[2] in t for t in tips[:3]) and NAMES[1] in tips[5]       # rings: missile; target
    for text in tips + popups + [body]:
        assert "&lt;" not in text and "&amp;" not in text and "&#123;" not in text
    assert page.locator("img[src='x']").count() == 0 and frame.locator("img[src='x']").count() == 0
    assert page.locator("script").count() == 0 and frame.locator("script").count() == 5
    assert tab.dialogs == [] and tab.errors == []


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def blend(under, over, alpha):
    return tuple(alpha * o + (1 - alpha) * u for u, o in zip(under, over))


def median_rgb(pixels):
    return tuple(statistics.median(p[c] for p in pixels) for c in range(3))


def pixels(page, png: bytes, points, r: int = 2):
    """The pixels of the screenshot `png` in a (2r+1)² square around each point, decoded by the browser."""
    return page.evaluate("""async ([b64, points, r]) => {
        const img = new Image();
        img.src = 'data:image/png;base64,' + b64;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width; canvas.height = img.height;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        return points.map(([x, y]) => {
            const d = ctx.getImageData(Math.round(x) - r, Math.round(y) - r, 2 * r + 1, 2 * r + 1).data;
            const out = [];
            for (let i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2]]);
            return out;
        });
    }""", [base64.b64encode(png).decode("ascii"), points, r])


# --- rangemap's layers on a user's own folium map ---------------------------------------------

def test_a_users_folium_map_with_plugins_and_two_range_layers_works_offline(tab, tmp_path):
    """folium.Marker (Leaflet's default icon and an awesome-markers icon), plugins.Fullscreen,
    folium.LayerControl and two RangeLayers, written by geo.write_map: everything draws, no request
    leaves the file, no script error."""
    import folium
    from folium import plugins

    import geo

    only_local_requests(tab)
    m = folium.Map(location=[35, 130], zoom_start=3, tiles=None)
    folium.Marker([35.68, 139.69], tooltip="a user's marker").add_to(m)
    folium.Marker([37.57, 126.98], icon=folium.Icon(color="green", icon="info-sign")).add_to(m)
    plugins.Fullscreen().add_to(m)
    north = geo.RangeLayer(geo.assess(geo.Scenario.resolve("Chagang", "Hwasong-12", "Guam")))
    south = geo.RangeLayer(geo.assess(geo.Scenario.resolve("Sohae", "KN-23", "Tokyo")), units="mi", first_color=1,
                           name="KN-23 <b>from</b> Sohae {{ 7*7 }}")
    north.add_to(m)
    south.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    path = geo.write_map(m, tmp_path / "composed.html")
    page = tab.page
    page.goto(path.as_uri())
    page.wait_for_function("window.rangemap && window.rangemap.layers.length === 2 && "
                           "window.rangemap.layers.every(r => r.labels.every(l => l.w !== undefined))", timeout=10_000)
    page.wait_for_timeout(200)
    filled = [sum(1 for r in layer.data["regions"] if r["fill"]) for layer in (north, south)]
    assert min(filled) > 0 and page.locator("path.rangemap-region").count() == sum(filled)     # both layers draw
    assert page.locator("path.rangemap-target").count() == 2
    assert page.locator(".leaflet-marker-pane > *").count() == 2                        # the user's markers
    assert page.evaluate("document.querySelector('img.leaflet-marker-icon').src").startswith("data:image/png")
    assert page.locator(".awesome-marker-icon-green").count() == 1
    assert page.locator(".leaflet-control-zoom-fullscreen, .leaflet-control-fullscreen").count() >= 1
    assert page.locator(".rangemap-legend").count() == 2                                 # a legend per layer
    control = page.locator(".leaflet-control-layers").text_content()
    assert "Hwasong-12 from Chagang" in control and "KN-23 <b>from</b> Sohae {{ 7*7 }}" in control
    assert "mi" in page.locator(".rangemap-legend").nth(1).text_content()
    assert_labels_clear(page)                                                             # both layers' labels
    colors = page.evaluate("[...document.querySelectorAll('.rangemap-legend .rangemap-swatch')]"
                           ".map(e => getComputedStyle(e).backgroundColor)")
    assert len(set(colors)) == 2                                                          # two layers, two colours
    page.locator(".leaflet-control-layers label", has_text="KN-23").locator("input").uncheck()
    assert page.locator("path.rangemap-region").count() == filled[0] and page.locator(".rangemap-legend").count() == 1
    assert {urlsplit(u).scheme for u in tab.requests} <= {"file", "data", "blob"}
    assert tab.errors == [] and tab.dialogs == []
