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
                  [cat.target("Guam"), cat.target("Washington"), cat.target("Los Angeles")])


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
    fig = figure([cat.site("Chagang"), us], [cat.missile("Hwasong-15")], [cat.target("Darwin")])
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
    fig = figure([Place("Plains", 40.0, -100.0)], [15_000], ["Tokyo", "Seoul"])
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
