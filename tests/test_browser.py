"""Maps in a real browser: Debian's headless Chromium through Playwright, never the network.

Online maps get Leaflet's CDN files from xstatic-leaflet and a blank PNG for every
tile through ``page.route``; offline maps must not ask for anything but file:/data:.
"""

from __future__ import annotations

import base64
import statistics
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import shapely
from test_render import HOSTILE, founding, hostile_map, scenario, shapes_per_ring

from conftest import VIEWPORT
from geo.catalog.tables import default_catalog
from geo.outputs.webmap import (BAND_OPACITY, CERTAIN_OPACITY, LAND_COLOR, LEAFLET_JS_URL, OFFLINE_BACKGROUND,
                        PALETTE, build_map, write_map)
from geo.outputs.report import build_report, write_report
from geo.core.rings import display_ring

pytestmark = pytest.mark.browser

CAT = default_catalog()
CDN = LEAFLET_JS_URL.rsplit("/", 1)[0] + "/"
TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png"}
INTERACTIVE = "path.leaflet-interactive"


def blank_png(size: int = 1) -> bytes:
    """A white PNG tile, made here."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def serve_offline_copies(tab):
    """Answer Leaflet's CDN URLs from xstatic-leaflet and tiles with a blank PNG; abort the rest."""
    import xstatic.pkg.leaflet as xl

    base, tile = Path(xl.BASE_DIR), blank_png()
    tab.unexpected = []

    def handle(route):
        url = route.request.url
        if url.startswith(CDN):
            file = base / urlsplit(url).path[len(urlsplit(CDN).path):]
            route.fulfill(status=200, body=file.read_bytes(), content_type=TYPES[file.suffix])
        elif urlsplit(url).hostname == "tile.openstreetmap.org":
            route.fulfill(status=200, body=tile, content_type="image/png")
        elif url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            tab.unexpected.append(url)
            route.abort()

    tab.page.route("**/*", handle)


def open_map(tab, m, tmp_path, expected: int) -> str:
    """Write `m`, load it from file://, wait until `expected` shapes are drawn; the map's JS name."""
    path = write_map(m, tmp_path / "map.html")
    tab.page.goto(path.as_uri())
    tab.page.wait_for_function(f"document.querySelectorAll({INTERACTIVE!r}).length >= {expected}", timeout=10_000)
    assert tab.page.locator(INTERACTIVE).count() == expected
    return m.get_name()


def expected_shapes(sites, missiles, targets) -> int:
    rings = len(sites) * sum(shapes_per_ring(mi) for mi in missiles)
    return rings + len(sites) * len(targets) + len(sites) + len(targets)


SCENARIO = ([CAT.site("Chagang"), CAT.site("Sohae")], [CAT.missile("Hwasong-12"), CAT.missile("KN-23")],
            [CAT.target("Guam"), CAT.target("Tokyo"), CAT.target("Honolulu")])


def marker_x(tab, name: str, target: str) -> float:
    """Container x of the circle marker whose tooltip starts with `target`."""
    return tab.page.evaluate("""([name, target]) => {
        const map = window[name];
        let x = null;
        map.eachLayer(l => {
            if (l instanceof L.CircleMarker && l.getTooltip() && l.getTooltip().getContent().startsWith('<b>' + target))
                x = map.latLngToContainerPoint(l.getLatLng()).x;
        });
        return x; }""", [name, target])


def test_online_map_draws_everything_with_only_leaflet(tab, tmp_path):
    serve_offline_copies(tab)
    name = open_map(tab, scenario(), tmp_path, expected_shapes(*SCENARIO))
    page = tab.page
    page.wait_for_load_state("networkidle")
    assert page.evaluate("[L.version, typeof window.jQuery, typeof window.bootstrap]") == \
        ["1.9.3", "undefined", "undefined"]
    assert page.locator("img.leaflet-tile-loaded").count() > 0
    hosts = {urlsplit(u).hostname for u in tab.requests if not u.startswith(("file:", "data:"))}
    assert hosts == {"cdn.jsdelivr.net", "tile.openstreetmap.org"} and tab.unexpected == []
    assert tab.errors == []
    tokyo, honolulu = marker_x(tab, name, "Tokyo"), marker_x(tab, name, "Honolulu")
    assert 0 < tokyo < honolulu < 1000                                        # east of Japan, on screen


def test_offline_map_requests_nothing_but_files(tab, tmp_path):
    tab.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file:", "data:", "blob:")) else (tab.errors.append(f"network: {route.request.url}"), route.abort()))
    open_map(tab, scenario(offline=True), tmp_path, expected_shapes(*SCENARIO))
    page = tab.page
    page.hover(".leaflet-control-layers")                                     # shows Leaflet's (inlined) icons
    page.wait_for_timeout(100)
    assert {urlsplit(u).scheme for u in tab.requests} <= {"file", "data", "blob"}
    assert tab.errors == []
    assert page.locator("img.leaflet-tile").count() == 0
    assert page.locator("path").count() > page.locator(INTERACTIVE).count()  # the graticule
    r, g, b = (int(OFFLINE_BACKGROUND[i:i + 2], 16) for i in (1, 3, 5))
    assert page.evaluate("getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor") \
        == f"rgb({r}, {g}, {b})"


def test_hostile_names_show_literally_and_run_nothing(tab, tmp_path):
    name = open_map(tab, hostile_map(offline=True), tmp_path, 3 + 1 + 2)
    page = tab.page
    tips, popups, real = [], [], []
    shapes = page.locator(INTERACTIVE)
    for marker in shapes.all()[-2:]:                                          # a real mouse on the markers
        marker.hover(force=True)
        page.wait_for_timeout(20)
        real.append(page.locator(".leaflet-tooltip").last.text_content())
    for shape in shapes.all():
        box = shape.bounding_box()
        at = {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2}
        shape.dispatch_event("mouseover", at)
        tips.append(page.locator(".leaflet-tooltip").last.text_content())    # closed ones fade for 200 ms
        shape.dispatch_event("mouseout", at)
        shape.dispatch_event("click", at)
        page.wait_for_timeout(20)
        popups.append(page.locator(".leaflet-popup-content").last.text_content())
        page.evaluate(f"void window.{name}.closePopup()")     # returning the map would serialize it all
    page.hover(".leaflet-control-layers")
    layers = page.locator(".leaflet-control-layers-overlays").text_content()
    legend = page.locator(".rangemap-legend").text_content()
    assert tab.dialogs == [] and tab.errors == []
    assert page.locator("img[src='x']").count() == 0 and page.locator("script").count() == 3
    assert len(tips) == len(popups) == 6
    site, target, missile, source, notes = HOSTILE
    assert all(missile in t for t in tips[:3]) and all(site in t for t in tips[:4])   # rings, path
    assert target in tips[3] and site in tips[4] and target in tips[5] and missile in tips[5]
    assert real == tips[4:6]                                                  # the same by a real mouse
    for text in popups[:3]:                                                   # rings: type, source, notes
        assert site in text and missile in text and source in text and target in text
    assert notes in popups[4] and source in popups[4] and missile in popups[5] and missile in popups[3]
    assert missile in layers and missile in legend and source in legend
    for text in tips + popups + real + [layers, legend]:
        assert "&lt;" not in text and "&amp;amp;" not in text and "&#x27;" not in text and "&#123;" not in text
    assert page.title() == " | ".join(HOSTILE)
    assert page.locator(".rangemap-title").text_content() == " | ".join(HOSTILE)


def only_local_requests(tab, also=()):
    """Let file:, data: and blob: requests through; record and abort anything else."""
    allowed = ("file:", "data:", "blob:", *also)
    tab.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(allowed) else (
        tab.errors.append(f"network: {route.request.url}"), route.abort()))


@pytest.fixture(scope="module")
def land():
    """The land the offline map draws (Natural Earth outlines), for choosing test points."""
    from geo.catalog.countries import country_outlines

    return shapely.union_all(country_outlines())


def container_point(page, name: str, lat: float, lon: float):
    return page.evaluate(f"(p => [p.x, p.y])(window.{name}.latLngToContainerPoint([{lat}, {lon}]))")


def open_point(page, x: float, y: float) -> bool:
    """Is (x, y) on screen, and not under a control or the legend?"""
    return 10 < x < VIEWPORT["width"] - 10 and 10 < y < VIEWPORT["height"] - 10 and page.evaluate(
        f"document.elementFromPoint({x}, {y}).closest('.leaflet-control, .rangemap-legend, .rangemap-title')"
        " === null")


def test_offline_founding_map_draws_land_under_the_rings(tab, tmp_path, land):
    """Only local requests, no errors; country outlines drawn under the ring; Guam in the ring's tint,
    land outside the ring in the land colour, sea in the sea colour."""
    site, missile, guam = CAT.site("Chagang"), CAT.missile("Hwasong-12"), CAT.target("Guam")
    only_local_requests(tab)
    name = open_map(tab, founding(title="Hwasong-12 from Chagang", offline=True), tmp_path, 2 + 1 + 2)
    page = tab.page
    land_pane, overlay_pane = ".leaflet-rangemap-land-pane", ".leaflet-overlay-pane"
    assert page.locator(f"{land_pane} path").count() > 200                   # a path per country, and borders
    assert page.locator(f"{land_pane} path.leaflet-interactive").count() == 0
    z = page.evaluate(f"[{land_pane!r}, {overlay_pane!r}]"
                      ".map(s => +getComputedStyle(document.querySelector(s)).zIndex)")
    assert z[0] < z[1]                                                       # rings over the land
    page.hover(".leaflet-control-layers")
    for layer in ("Targets", "Geodesic paths"):                               # uncover Guam
        page.locator(".leaflet-control-layers-overlays label", has_text=layer).locator("input").uncheck()
    page.hover(".rangemap-legend")
    assert page.locator(INTERACTIVE).count() == 2 + 1
    ring = display_ring(site.lat, site.lon, missile.max_km)
    gx, gy = container_point(page, name, guam.lat, guam.lon)
    assert page.evaluate(f"document.elementFromPoint({gx}, {gy}).matches({INTERACTIVE!r})")
    points = {}
    for kind, candidates in {"land": [(-25.0, 134.0), (64.0, 210.0), (40.0, 260.0), (22.0, 79.0), (48.0, 68.0)],
                             "sea": [(-30.0, 200.0), (10.0, 205.0), (-40.0, 100.0), (45.0, 195.0)]}.items():
        for lat, lon in candidates:
            x, y = container_point(page, name, lat, lon)
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
    m = build_map(sites, missiles, targets, offline=True, model="rotating")
    open_map(tab, m, tmp_path, expected_shapes(sites, missiles, targets))
    tab.page.locator(INTERACTIVE).first.dispatch_event("mouseover")
    assert "on a rotating Earth" in tab.page.locator(".leaflet-tooltip").last.text_content()
    legend = tab.page.locator(".rangemap-legend").text_content()
    assert "filled: reach on a rotating Earth" in legend
    assert tab.errors == [] and tab.dialogs == []


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
    assert page.locator("script").count() == 0 and frame.locator("script").count() == 3
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
