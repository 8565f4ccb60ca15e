"""Print figures: valid PNG/SVG/PDF, exact rings in the projection, literal text, safe writing."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely

from geo.catalog.tables import Missile, Place, default_catalog
from geo.errors import InputError, NotFoundError
from geo.outputs.figure import CUT, PALETTE, VERDICT_COLORS, Projection, figure, save_figure
from geo.core.geodesy import HALF_MERIDIAN_KM, WGS84
from geo.core.rings import range_ring

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def cat():
    return default_catalog()


@pytest.fixture(scope="module")
def founding(cat):
    return figure([cat.site("Chagang")], [cat.missile("Hwasong-12")], [cat.target("Guam")])


@pytest.fixture(scope="module")
def icbm(cat):
    return figure([cat.site("Chagang")], [cat.missile("Hwasong-15")],
                  [cat.target("Guam"), cat.target("Washington"), cat.target("Los Angeles")], view="site")


def svg_text(path) -> str:
    """Every text element of an SVG, in document order, joined by spaces."""
    root = ET.parse(path).getroot()
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def artist(fig, gid):
    ax = fig.axes[0]
    hits = [a for a in (*ax.lines, *ax.patches, *ax.artists) if a.get_gid() == gid]
    assert len(hits) == 1, gid
    return hits[0]


def caption(fig) -> str:
    return next(t for t in fig.texts if t.get_gid() == "caption").get_text().replace("\n", " ")


def test_founding_scenario_png_svg_pdf(founding, tmp_path):
    png = save_figure(founding, tmp_path / "f.png", dpi=100)
    svg = save_figure(founding, tmp_path / "f.svg")
    pdf = save_figure(founding, tmp_path / "f.pdf")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and 30_000 < len(data) < 3_000_000
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    text = svg_text(svg)
    for words in ("Hwasong-12 range from Hoejung-ri missile operating base (Chagang)",
                  "Hwasong-12 4,500 km", "Guam (Andersen AFB)", "3,540 km", "target in range",
                  "CSIS Missile Threat; UCS (D. Wright); ROK JCS", "FAA airport data",
                  "Natural Earth 1:50m", "WGS84 geodesic (Karney); nominal range on a non-rotating Earth; azimuthal "
                      "equidistant projection centred on"):
        assert words in text, words
    assert not list(tmp_path.glob(".*.tmp"))


def test_caption_and_legend_name_the_sources(founding, cat):
    text = caption(founding)
    assert cat.missile("Hwasong-12").source in text
    assert cat.site("Chagang").source in text and cat.target("Guam").source in text
    assert text.endswith("azimuthal equidistant projection centred on Hoejung-ri missile operating base (Chagang).")
    legend = [t.get_text() for t in founding.legends[0].get_texts()]
    assert legend[0] == "Hwasong-12: 4,500 km (band 4,500–5,000 km)"
    assert "launch site" in legend and "target in range" in legend


def test_founding_ring_is_a_true_circle_and_guam_is_inside(founding):
    x, y = artist(founding, "ring-0-0").get_data()
    np.testing.assert_allclose(np.hypot(x, y), 4_500_000.0, atol=1.0)
    guam = Projection(41.369883, 126.913631).xy(144.92444, 13.58111)
    assert np.hypot(*guam) < 4_500_000.0
    (xmin, xmax), (ymin, ymax) = founding.axes[0].get_xlim(), founding.axes[0].get_ylim()
    assert xmax == pytest.approx(1.1 * 5_000_000.0, rel=1e-6) and (xmin, ymin, ymax) == (-xmax, -xmax, xmax)


def test_icbm_ring_beyond_10000_km_is_a_circle_with_no_wrap_around(icbm, tmp_path):
    x, y = artist(icbm, "ring-0-0").get_data()
    assert np.isfinite(x).all()
    np.testing.assert_allclose(np.hypot(x, y), 13_000_000.0, atol=1000.0)
    extent = icbm.axes[0].get_xlim()[1]
    assert extent == pytest.approx(1.1 * 13_000_000.0)
    # countries and graticule are clipped to the frame and stop short of the antipode's rim
    for gid in ("countries", "graticule"):
        xy = artist(icbm, gid).get_path().vertices
        assert len(xy) > 1000
        assert np.abs(xy).max() <= extent * (1 + 1e-9)
        assert np.hypot(*xy.T).max() <= CUT * HALF_MERIDIAN_KM * 1000.0 * (1 + 1e-6)
    for fmt in ("png", "svg", "pdf"):
        assert save_figure(icbm, tmp_path / f"icbm.{fmt}", dpi=60).stat().st_size > 10_000


def test_ring_around_another_site_is_projected_exactly(cat):
    """A second site's 13,000 km ring: its outline lies on the geodesic circle, its fill is the true region."""
    us = Place("Colorado", 40.0, -100.0)
    fig = figure([cat.site("Chagang"), us], [cat.missile("Hwasong-15")], [cat.target("Darwin")], view="site")
    proj = Projection(*[cat.site("Chagang").lat, cat.site("Chagang").lon])
    x, y = artist(fig, "ring-1-0").get_data()
    ok = np.isfinite(x)
    assert ok.mean() > 0.5 and (np.hypot(x[ok], y[ok]) <= proj.cut_m).all()
    lon, lat = proj.lonlat(x[ok], y[ok])
    dist = WGS84.inv(np.full(lon.size, us.lon), np.full(lon.size, us.lat), lon, lat)[2]
    np.testing.assert_allclose(dist, 13_000_000.0, atol=1000.0)

    region = shapely.union_all(proj.geometries([range_ring(us.lat, us.lon, 13_000)], proj.disc))
    assert region.is_valid
    xy = np.random.default_rng(7).uniform(-proj.cut_m, proj.cut_m, (3000, 2))
    xy = xy[np.hypot(*xy.T) < proj.cut_m]
    lon, lat = proj.lonlat(*xy.T)
    dist = WGS84.inv(np.full(lon.size, us.lon), np.full(lon.size, us.lat), lon, lat)[2] / 1000.0
    inside = shapely.contains_xy(region, *xy.T)
    clear = np.abs(dist - 13_000) > 5.0
    assert (inside[clear] == (dist[clear] <= 13_000)).all()


@pytest.mark.parametrize("site, km", [((41.37, 126.91), 3000.0), ((-41.37, -53.09), 3000.0), ((-80.0, 0.0), 5000.0),
                                      ((10.0, 170.0), 19_000.0)])
def test_projected_regions_match_geodesic_distances(site, km):
    """Rings around the antipode of the centre, a pole, or nearly the whole globe come out right."""
    proj = Projection(41.369883, 126.913631)
    region = shapely.union_all(proj.geometries([range_ring(*site, km)], proj.disc))
    xy = np.random.default_rng(3).uniform(-proj.cut_m, proj.cut_m, (3000, 2))
    xy = xy[np.hypot(*xy.T) < proj.cut_m]
    lon, lat = proj.lonlat(*xy.T)
    dist = WGS84.inv(np.full(lon.size, site[1]), np.full(lon.size, site[0]), lon, lat)[2] / 1000.0
    inside = shapely.contains_xy(region, *xy.T)
    clear = np.abs(dist - km) > 5.0
    assert (inside[clear] == (dist[clear] <= km)).all()


def test_site_on_another_continent_with_a_15000_km_ring(tmp_path):
    fig = figure([Place("Plains", 40.0, -100.0)], [15_000], ["Tokyo", "Seoul"], view="site")
    x, y = artist(fig, "ring-0-0").get_data()
    np.testing.assert_allclose(np.hypot(x, y), 15_000_000.0, atol=1000.0)
    assert save_figure(fig, tmp_path / "plains.png", dpi=60).stat().st_size > 10_000


def test_dollar_names_print_literally(tmp_path):
    site = Place("${x} base", 41.0, 127.0, source="notes $a$ and $b$")
    missile = Missile("$5 $6", 1000.0, source="$ cheap $")
    fig = figure([site], [missile], [Place("Target $1$", 37.5, 127.0, source="$$")], title="Title $\\alpha$")
    text = svg_text(save_figure(fig, tmp_path / "dollar.svg"))
    for words in ("Title $\\alpha$", "$5 $6 1,000 km", "$5 $6: 1,000 km", "${x} base", "Target $1$",
                  "$ cheap $", "notes $a$ and $b$"):
        assert words in text, words
    save_figure(fig, tmp_path / "dollar.png", dpi=50)
    save_figure(fig, tmp_path / "dollar.pdf")


def test_svg_output_is_reproducible(founding, tmp_path):
    a = save_figure(founding, tmp_path / "a.svg").read_bytes()
    b = save_figure(founding, tmp_path / "b.svg").read_bytes()
    assert a == b


@pytest.mark.parametrize("name", ["missing-folder/map.png", "map.jpg", "."])
def test_unwritable_or_unknown_output_raises_and_leaves_nothing(founding, tmp_path, name):
    with pytest.raises(InputError):
        save_figure(founding, tmp_path / name)
    assert [p.name for p in tmp_path.rglob("*")] == []


def test_format_argument_overrides_the_extension(founding, tmp_path):
    out = save_figure(founding, tmp_path / "figure.out", fmt="PDF")
    assert out.read_bytes().startswith(b"%PDF-")


def test_inputs_by_name_and_errors(cat):
    fig = figure("Chagang", "KN-17", "13.58, 144.92", title="Custom")
    assert fig.texts[0].get_text() == "Custom"
    with pytest.raises(InputError):
        figure([], [cat.missile("Hwasong-12")], [])
    with pytest.raises(NotFoundError):
        figure("Chagang", "no such missile", [])


def test_targets_are_coloured_by_their_best_verdict(cat):
    fig = figure("Chagang", ["Hwasong-12", "Hwasong-14"], ["Guam", "Washington", "Los Angeles"])
    colours = [line.get_color() for line in fig.axes[0].lines if line.get_marker() == "o"]
    # Guam in range; Washington (10,791 km) and Los Angeles (9,334 km) possibly in range of Hwasong-14
    assert colours == [VERDICT_COLORS["in range"], VERDICT_COLORS["out of range"],
                       VERDICT_COLORS["possibly in range"]]


def test_palette_matches_the_web_map():
    render = pytest.importorskip("geo.outputs.webmap")
    assert PALETTE == render.PALETTE and VERDICT_COLORS == render.VERDICT_COLORS


def test_label_text_is_not_parsed_as_mathtext(founding):
    ax = founding.axes[0]
    assert all(not t._parse_math for t in (*founding.texts, *ax.texts))
    assert re.search(r"Hwasong-12 4,500 km", " ".join(t.get_text() for t in ax.texts))


# --- labels, sizes, scale bar, world view, dpi, units, caption (issue 13) -------------------

import matplotlib  # noqa: E402

import geo.outputs.figure as figure_module  # noqa: E402

from geo.analysis.coverage import area_km2  # noqa: E402
from geo.core.geodesy import distance_km  # noqa: E402
from geo.outputs.figure import (MAX_DPI, SIZE_NAMES, SIZES, WorldProjection, check_dpi,  # noqa: E402
                                page_size)


def crowd(n: int, seed: int = 1) -> list[Place]:
    """`n` unsourced targets scattered around the Chagang base (as from a user's CSV)."""
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(20, 60, n), rng.uniform(105, 150, n)
    return [Place(f"Target {i}", float(a), float(b)) for i, (a, b) in enumerate(zip(lat, lon))]


def draw(fig) -> None:
    """Draw as save_figure does (unhinted text, so extents are those of every resolution)."""
    with matplotlib.rc_context(figure_module.RC):
        fig.canvas.draw()


def drawn_labels(fig):
    """Every text drawn inside the map, with its extent on the canvas (pixels), after a draw."""
    draw(fig)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    return [(t, t.get_window_extent(renderer)) for t in ax.texts if t.get_visible()]


def marker_boxes(fig):
    ax = fig.axes[0]
    out = []
    for line in ax.lines:
        if line.get_gid() in ("site", "target"):
            x, y = ax.transData.transform(line.get_xydata()[0])
            r = line.get_markersize() / 2 * fig.dpi / 72
            out.append((x - r, y - r, x + r, y + r))
    return np.array(out)


def overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def left_out(fig) -> int:
    m = re.search(r"([\d,]+) target labels? left out for lack of room", caption(fig))
    return int(m.group(1).replace(",", "")) if m else 0


@pytest.mark.parametrize("n", [60, 200])
def test_labels_overlap_neither_one_another_nor_the_markers(n):
    fig = figure("Chagang", "Hwasong-12", crowd(n))
    labels = drawn_labels(fig)
    boxes = [box for _, box in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), (labels[i][0].get_text(), a, b)
    marks = marker_boxes(fig)
    assert len(marks) == n + 1
    for text, box in labels:
        hit = ((marks[:, 0] < box.x1) & (box.x0 < marks[:, 2]) & (marks[:, 1] < box.y1) & (box.y0 < marks[:, 3]))
        assert not hit.any(), text.get_text()
    frame = fig.axes[0].get_window_extent()
    assert all(frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 and frame.y0 - 1 <= b.y0 and b.y1 <= frame.y1 + 1
               for b in boxes)
    # every target either has its label or is counted as left out, and most have one
    targets = [t for t, _ in labels if t.get_text().startswith("Target ")]
    assert len(targets) + left_out(fig) == n
    assert len(targets) >= (0.7 * n if n == 60 else 0.2 * n)


def test_moved_labels_get_a_leader_line_that_ends_at_their_marker():
    fig = figure("Chagang", "Hwasong-12", crowd(60))
    ax = fig.axes[0]
    leaders = [line for line in ax.lines if line.get_gid() == "leader"]
    assert leaders
    marks = np.array([line.get_xydata()[0] for line in ax.lines if line.get_gid() == "target"])
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.get_window_extent().width * 72 / fig.dpi)
    for line in leaders:
        end = line.get_xydata()[0]
        assert np.hypot(*(marks - end).T).min() < 6 * per_pt       # within 6 points of a marker


def test_label_choice_in_range_and_none(cat):
    targets = ["Guam", "Tokyo", "Washington", "Los Angeles"]

    def named(fig):
        return {t.get_text().split("\n")[0] for t, _ in drawn_labels(fig)}

    everything = named(figure("Chagang", "Hwasong-12", targets))
    assert {"Guam (Andersen AFB)", "Tokyo", "Washington, DC", "Los Angeles (City Hall)"} <= everything
    reached = named(figure("Chagang", "Hwasong-12", targets, labels="in-range"))
    assert {"Guam (Andersen AFB)", "Tokyo"} <= reached and not {"Washington, DC", "Los Angeles (City Hall)"} & reached
    bare = named(figure("Chagang", "Hwasong-12", targets, labels="none"))
    assert not {"Guam (Andersen AFB)", "Tokyo"} & bare
    assert "Hoejung-ri missile operating base (Chagang)" in bare and "Hwasong-12 4,500 km" in bare
    with pytest.raises(InputError, match="unknown labels 'some'"):
        figure("Chagang", "Hwasong-12", targets, labels="some")


@pytest.mark.parametrize("size", [s for s in SIZE_NAMES if s != "auto" and not s.endswith("-landscape")])
def test_sizes_have_their_aspect_ratio_and_keep_every_text_on_the_page(size, tmp_path):
    fig = figure("Chagang", "Hwasong-12", ["Guam", "Tokyo"], size=size)
    w, h = page_size(size)
    assert tuple(fig.get_size_inches()) == pytest.approx((w, h))
    name = size.split("-")[0]
    assert (w >= h) == (size.endswith("-landscape") or (name not in ("a4", "letter") and "portrait" not in size)
                        or name == "square")
    png = save_figure(fig, tmp_path / "f.png", dpi=40).read_bytes()
    px_w, px_h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert abs(px_w / px_h - w / h) < 2 / min(px_w, px_h)
    draw(fig)
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    items = [*fig.texts, *fig.legends, fig.axes[0]]
    for item in items:
        box = item.get_window_extent(renderer)
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5 and page.y0 - 0.5 <= box.y0 \
            and box.y1 <= page.y1 + 0.5, (size, item)
    boxes = [t.get_window_extent(renderer) for t in (*fig.texts, *fig.legends)] + [fig.axes[0].get_window_extent()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), size


def test_named_sizes_are_the_standard_ones():
    assert SIZES["16:9"][0] / SIZES["16:9"][1] == pytest.approx(16 / 9)
    assert SIZES["4:3"][0] / SIZES["4:3"][1] == pytest.approx(4 / 3)
    assert page_size("a4") == pytest.approx((210 / 25.4, 297 / 25.4))
    assert page_size("letter-landscape") == (11.0, 8.5)
    assert page_size("square-portrait") == (7.5, 7.5) and page_size("auto") is None
    with pytest.raises(InputError, match="unknown size 'a3'"):
        figure("Chagang", "KN-23", size="a3")


def test_dpi_is_bounded_with_a_clear_error(founding, tmp_path):
    assert check_dpi(MAX_DPI) == MAX_DPI
    for dpi in (MAX_DPI + 1, 5000, 0, -3, float("nan"), "300"):
        with pytest.raises(InputError, match="dpi"):
            save_figure(founding, tmp_path / "big.png", dpi=dpi)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match="more than 1200.*SVG or PDF"):
        check_dpi(5000)


@pytest.mark.parametrize("units, factor", [("km", 1.0), ("mi", 1.609344), ("nmi", 1.852)])
def test_scale_bar_is_true_in_the_unit_it_names(units, factor):
    fig = figure("Chagang", "Hwasong-12", "Guam", units=units)
    ax = fig.axes[0]
    bar = [p for p in ax.patches if p.get_gid() == "scale-bar"]
    assert len(bar) == 2
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "scale-text"]
    end = float(texts[2].split()[0].replace(",", ""))
    assert texts[2].endswith(f" {units}") and texts[0] == "0"
    width_m = sum(p.get_width() for p in bar)
    assert width_m == pytest.approx(end * factor * 1000.0, rel=1e-12)
    assert 0.1 < width_m / (ax.get_xlim()[1] - ax.get_xlim()[0]) < 0.5


def test_world_view_has_no_scale_bar_and_says_why(cat):
    fig = figure("Chagang", "Hwasong-17", "Washington")
    assert not [p for p in fig.axes[0].patches if p.get_gid() == "scale-bar"]
    sub = next(t for t in fig.texts if t.get_gid() == "subtitle").get_text().replace("\n", " ")
    assert "distances are not to scale" in sub and "Equal Earth projection centred on" in caption(fig)


@pytest.mark.parametrize("units, ring, guam", [("km", "Hwasong-12 4,500 km", "3,540 km"),
                                               ("mi", "Hwasong-12 2,796 mi", "2,200 mi"),
                                               ("nmi", "Hwasong-12 2,430 nmi", "1,912 nmi")])
def test_every_distance_in_the_figure_is_in_the_unit_asked_for(units, ring, guam):
    fig = figure("Chagang", "Hwasong-12", "Guam", units=units)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert ring in texts and f"Guam (Andersen AFB)\n{guam}" in texts
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    hi = {"km": "5,000 km", "mi": "3,107 mi", "nmi": "2,700 nmi"}[units]
    assert legend[0].endswith(f"– {hi})".replace("– ", "–"))
    other = {"km", "mi", "nmi"} - {units}
    everything = " ".join(texts + legend + [t.get_text() for t in fig.texts if t.get_gid() != "caption"])
    assert not any(re.search(rf"\d {u}\b", everything) for u in other)


def test_band_wording_only_where_there_is_a_band():
    def sub(fig):
        return next(t for t in fig.texts if t.get_gid() == "subtitle").get_text().replace("\n", " ")

    plain = figure("Chagang", 4500, "Guam")
    assert "band" not in sub(plain) and "Shaded: within range." in sub(plain)
    assert "band" not in " ".join(t.get_text() for t in plain.legends[0].get_texts())
    banded = figure("Chagang", "Hwasong-12", "Guam")
    assert "the band where sources disagree." in sub(banded)
    mixed = figure("Chagang", ["Hwasong-12", "Hwasong-9"], "Guam")
    assert "the band where sources disagree (Hwasong-12)." in sub(mixed)


def test_caption_names_each_source_once_and_counts_unsourced_rows(cat):
    shared = [Place(f"Base {i}", 35.0 + i, 130.0, source="Shared survey") for i in range(5)]
    fig = figure("Chagang", "Hwasong-12", [cat.target("Guam"), *shared, *crowd(60)])
    text = caption(fig)
    assert "source not given" not in text
    assert text.count("60 targets given without a source") == 1
    assert text.count("Shared survey") == 1 and "5 targets — Shared survey" in text
    assert text.count("FAA airport data") == 1 and "Guam (Andersen AFB) — FAA airport data" in text
    few = caption(figure("Chagang", "Hwasong-12", crowd(2)))
    assert "Target 0 and Target 1 — source not given" in few


def test_world_view_for_the_widest_rings_draws_the_whole_reach_with_true_areas(cat):
    fig = figure("Chagang", "Hwasong-17", ["Washington", "Guam"])
    assert "Equal Earth" in caption(fig)
    ax = fig.axes[0]
    lon0 = float(re.search(r"Equal Earth projection centred on ([\d.]+)°([EW])", caption(fig)).group(1))
    sign = 1 if re.search(r"°E", caption(fig)) else -1
    proj = WorldProjection(sign * lon0)
    reach = artist(fig, "reach-0-0").get_path()
    drawn = reduce_xor([shapely.make_valid(shapely.Polygon(p)) for p in reach.to_polygons()])   # even-odd
    site = cat.site("Chagang")
    # A target in range, and the site, lie inside the drawn reach; the antipode does not.
    for lat, lon, inside in [(cat.target("Washington").lat, cat.target("Washington").lon, True),
                             (site.lat, site.lon, True), (-site.lat, site.lon - 180.0, False)]:
        assert bool(shapely.contains_xy(drawn, *np.ravel(proj.xy(lon, lat)))) == inside
    # Equal area: the projected reach has the ellipsoid area of the exact region (and nothing is smeared).
    true_km2 = float(area_km2(range_ring(site.lat, site.lon, 15_000)))
    assert drawn.area / 1e6 == pytest.approx(true_km2, rel=2e-3)
    # The map's edge meridian crosses neither the site nor a target.
    for p in (site, cat.target("Washington"), cat.target("Guam")):
        assert abs((p.lon - proj.lon0) % 360.0 - 180.0) > 12.0
    # Out of range lies only around the antipode: every sampled point outside the reach is > 15,000 km away.
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    xy = np.random.default_rng(5).uniform((x0, y0), (x1, y1), (4000, 2))
    xy = xy[shapely.contains_xy(proj.frame, *xy.T)]
    lon, lat = proj.lonlat(*xy.T)
    d = distance_km(np.full(lon.size, site.lat), np.full(lon.size, site.lon), lat, lon)
    inside = shapely.contains_xy(drawn, *xy.T)
    clear = np.abs(d - 15_000) > 30
    assert (inside[clear] == (d[clear] <= 15_000)).all()


def reduce_xor(pieces):
    out = pieces[0]
    for p in pieces[1:]:
        out = shapely.symmetric_difference(out, p)
    return out


def test_auto_view_switches_to_the_world_at_the_widest_rings():
    assert "azimuthal equidistant" in caption(figure("Chagang", "Hwasong-14", "Guam"))
    assert "Equal Earth" in caption(figure("Chagang", "Hwasong-15", "Guam"))
    assert "azimuthal equidistant" in caption(figure("Chagang", "Hwasong-15", "Guam", view="site"))
    assert "Equal Earth" in caption(figure("Chagang", "KN-23", "Seoul", view="world"))
    with pytest.raises(InputError, match="unknown view"):
        figure("Chagang", "KN-23", view="globe")


def test_cli_dpi_past_the_bound_is_one_line_and_no_file(capsys, tmp_path):
    from geo.cli.main import main

    out = tmp_path / "big.png"
    assert main(["map", "--dpi", "5000", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rangemap: error: dpi 5000 is more than 1200") and err.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert main(["map", "--size", "a5", "-o", str(out)]) == 2
    assert "unknown size 'a5'" in capsys.readouterr().err
    assert main(["map", "--size", "16:9", "-o", str(tmp_path / "m.html")]) == 2
    assert "--size applies to PNG figures" in capsys.readouterr().err


def test_cli_slide_figure(capsys, tmp_path):
    from geo.cli.main import main

    out = tmp_path / "slide.png"
    assert main(["map", "--size", "16:9", "--dpi", "30", "--labels", "in-range", "--units", "nmi", "-o", str(out)]) == 0
    png = out.read_bytes()
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (400, 225)


# --- figure_bytes: the file in memory; cached text metrics (issue 19) --------------------------

import io  # noqa: E402
import struct  # noqa: E402
import zlib  # noqa: E402

from geo.analysis.assessment import assess  # noqa: E402
from geo.analysis.scenario import Scenario  # noqa: E402
from geo.outputs.figure import figure_bytes, text_width  # noqa: E402


@pytest.fixture(scope="module")
def founding_assessment():
    return assess(Scenario.resolve("Chagang", "Hwasong-12", "Guam"))


def test_figure_bytes_svg_is_the_figure_with_its_names_and_scale_bar(founding_assessment):
    buf = figure_bytes(founding_assessment, "svg")
    assert isinstance(buf, io.BytesIO) and buf.tell() == 0
    data = buf.getvalue()
    assert data.startswith(b"<?xml")
    root = ET.fromstring(data)
    text = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Hoejung-ri missile operating base (Chagang)" in text and "Guam" in text and "3,540 km" in text
    assert "true along lines through the centre" in text and re.search(r"\b\d[\d,]* km\b", text)
    assert root.find(f".//{SVG}g[@id='scale-bar']") is not None


def test_figure_bytes_png_has_the_figure_size_and_its_colours(founding_assessment):
    data = figure_bytes(founding_assessment, "png", dpi=40).getvalue()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])                  # IHDR
    assert width == 300 and 200 < height < 400                           # 7.5 in at 40 dpi; height from content
    import matplotlib.image

    pixels = (matplotlib.image.imread(io.BytesIO(data), format="png")[..., :3] * 255).round().astype(int)
    colours = {tuple(p) for p in pixels.reshape(-1, 3)}
    assert (255, 255, 255) in colours and (0xDC, 0xE9, 0xF2) in colours   # page and ocean
    assert len(colours) > 50                                               # land, rings, text: a picture


def test_figure_bytes_pdf_is_one_page_of_the_figure_size_with_its_font(founding_assessment):
    fig = figure(founding_assessment)
    data = figure_bytes(fig, "pdf").getvalue()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    w, h = (72 * v for v in fig.get_size_inches())
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box and float(box[1]) == pytest.approx(w) and float(box[2]) == pytest.approx(h)
    assert data.count(b"/Type /Page ") + data.count(b"/Type /Page\n") == 1 and b"DejaVuSans" in data
    streams = [zlib.decompress(m) for m in re.findall(rb"stream\n(.*?)\nendstream", data, re.S)
               if m[:1] == b"x"]
    assert any(b"Tj" in s or b"TJ" in s for s in streams)                 # text as text


def test_figure_bytes_equals_the_saved_file_and_refuses_bad_formats(founding_assessment, tmp_path):
    fig = figure(founding_assessment)
    for fmt in ("svg", "png", "pdf"):
        saved = save_figure(fig, tmp_path / f"f.{fmt}", dpi=50).read_bytes()
        assert figure_bytes(fig, fmt, dpi=50).getvalue() == saved, fmt
    with pytest.raises(InputError, match="unknown figure format 'gif'"):
        figure_bytes(fig, "gif")
    with pytest.raises(InputError, match="not for one already drawn"):
        figure_bytes(fig, "svg", units="mi")
    with pytest.raises(InputError, match="dpi"):
        figure_bytes(founding_assessment, "png", dpi=5000)


def test_cached_text_metrics_change_nothing_drawn(founding_assessment):
    text_width.cache_clear()
    cold = figure_bytes(founding_assessment, "svg", size="a4").getvalue()
    assert text_width.cache_info().misses > 0
    hits = text_width.cache_info().hits
    warm = figure_bytes(founding_assessment, "svg", size="a4").getvalue()
    assert text_width.cache_info().hits > hits and warm == cold
