"""One assessment behind every output: every output shows the same distance, reach, margin and verdict.

One scenario — 2 sites, 2 missiles (one with a band, one with a minimum range), 3 targets, the
rotating model — is rendered to every output: CLI text and JSON, a CLI table, the web map, the
print figure, GeoJSON, KML and GeoPackage exports, the report, and coverage. Each output is read
back and compared, cell by cell, with :func:`geo.assess`.
"""

import csv
import html
import io
import json
import re

import numpy as np
import pytest

import geo
from geo.cli.main import main

SITES = ["Chagang", "Sohae"]
MISSILES_CSV = ("name,range_km,range_low_km,range_high_km,min_range_km,source\n"
                "Test IRBM,4000,,,1200,test row: a minimum range\n")
TARGETS = ["Guam", "Seoul", "Tokyo"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one")
    (folder / "m.csv").write_text(MISSILES_CSV)
    return folder


@pytest.fixture(scope="module")
def assessment(files):
    cat = geo.Catalog.load(missiles_files=[files / "m.csv"])
    scenario = geo.Scenario.resolve(SITES, ["Hwasong-14", "Test IRBM"], TARGETS, model="rotating", catalog=cat)
    a = geo.assess(scenario)
    # the scenario exercises every verdict that matters here
    assert {"in range", "possibly in range", "too close"} <= set(a.verdict.ravel()) or \
        {"in range", "too close"} <= set(a.verdict.ravel())
    return a


def argv(files, *extra):
    out = []
    for s in SITES:
        out += ["--site", s]
    out += ["--missile", "Hwasong-14", "--missile", "Test IRBM"]
    for t in TARGETS:
        out += ["--target", t]
    return [*out, "--model", "rotating", "--missiles-file", str(files / "m.csv"), *extra]


def cells(a):
    for si in range(len(a.sites)):
        for mi in range(len(a.missiles)):
            for ti in range(len(a.targets)):
                yield si, mi, ti, a.check(si, mi, ti)


def test_the_scenario_has_a_band_a_minimum_and_every_useful_verdict(assessment):
    verdicts = set(assessment.verdict.ravel())
    assert "too close" in verdicts and "in range" in verdicts
    assert assessment.missiles[0].max_km > assessment.missiles[0].certain_km
    assert assessment.missiles[1].min_range_km == 1200


def test_cli_single_checks_text_and_json(assessment, files, capsys):
    for si, mi, ti, c in cells(assessment):
        args = ["check", "--site", SITES[si], "--missile", ["Hwasong-14", "Test IRBM"][mi], "--target", TARGETS[ti],
                "--model", "rotating", "--missiles-file", str(files / "m.csv")]
        assert main([*args, "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["distance_km"] == pytest.approx(c.distance_km, abs=1e-9)
        assert doc["range_km"] == pytest.approx(c.range_km, abs=1e-9)
        assert doc["margin_km"] == pytest.approx(c.margin_km, abs=1e-9)
        assert doc["verdict"] == c.verdict and doc["model"] == "rotating"
        assert main(args) == 0
        text = capsys.readouterr().out
        assert text.splitlines()[0].endswith(f": {c.verdict}") and f"distance {c.distance_km:,.0f} km" in text
        if c.verdict == "too close":
            assert f"inside the minimum range of 1,200 km by {c.inside_minimum_km:,.0f} km" in text
            assert "flight time" not in text and "margin" not in text
        else:
            assert f"reach toward the target {c.range_km:,.0f} km" in text and f"margin {c.margin_km:+,.0f} km" in text


def test_cli_table(assessment, files, capsys):
    assert main(["check", *argv(files)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 12
    for row, (_, _, _, c) in zip(rows, cells(assessment)):
        assert (row["site"], row["missile"], row["target"]) == (c.site.name, c.missile.name, c.target.name)
        assert float(row["distance_km"]) == pytest.approx(c.distance_km, abs=1e-6)
        assert float(row["range_km"]) == pytest.approx(c.range_km, abs=1e-6)
        assert float(row["margin_km"]) == pytest.approx(c.margin_km, abs=1e-6)
        assert row["verdict"] == c.verdict


def test_exports_geojson_kml_gpkg(assessment, files, tmp_path, capsys):
    import geopandas as gpd

    for ext in ("geojson", "kml", "gpkg"):
        out = tmp_path / f"s.{ext}"
        assert main(["export", *argv(files), "-o", str(out)]) == 0, capsys.readouterr().err
    features = json.loads((tmp_path / "s.geojson").read_text())["features"]
    paths = [f["properties"] for f in features if f["properties"]["layer"] == "paths"]
    gpkg = gpd.read_file(tmp_path / "s.gpkg", layer="paths")
    kml = (tmp_path / "s.kml").read_text()
    for p, (_, row), (_, _, _, c) in zip(paths, gpkg.iterrows(), cells(assessment)):
        for got in (p, row):
            assert got["distance_km"] == pytest.approx(c.distance_km, abs=1e-6)
            assert got["range_km"] == pytest.approx(c.range_km, abs=1e-6)
            assert got["margin_km"] == pytest.approx(c.margin_km, abs=1e-6)
            assert got["verdict"] == c.verdict and got["model"] == "rotating"
        assert f"{c.site.name} to {c.target.name}: {c.missile.name}, {c.verdict}" in html.unescape(kml)
    rings = [f for f in features if f["properties"]["layer"] == "rings"]
    # the dead zone is a hole in every ring of the missile with a minimum range
    import shapely.geometry

    holed = [f for f in rings if f["properties"]["min_range_km"]]
    assert len(holed) == 2
    for f in holed:
        shape = shapely.geometry.shape(f["geometry"])
        assert sum(len(p.interiors) for p in getattr(shape, "geoms", [shape])) == 1


def test_web_map(assessment):
    from test_render import blob

    from geo.outputs.webmap import build_map, map_html

    page = map_html(build_map(assessment, offline=True))
    data = blob(page)                                                 # what the page's script reads
    page = "\n".join("".join(s if isinstance(s, str) else s["b"] for s in line)
                     for t in data["targets"] for line in t["lines"])
    for _, _, _, c in cells(assessment):
        line = f"{c.missile.name} from {c.site.name}: {c.verdict} on a rotating Earth (distance " \
               f"{c.distance_km:,.0f} km, reach toward it {c.range_km:,.0f} km, "
        assert line in page, line
        if c.verdict == "too close":
            assert f"{c.inside_minimum_km:,.0f} km inside the minimum range 1,200 km" in page
        else:
            assert f"{line}margin {c.margin_km:+,.0f} km)" in page


def test_print_figure(assessment):
    from geo.outputs.figure import figure
    from geo.outputs.style import VERDICT_COLORS

    fig = figure(assessment)
    ax = fig.axes[0]
    colours = [line.get_color() for line in ax.lines if line.get_marker() == "o"]
    assert colours == [VERDICT_COLORS[assessment.best_verdict(ti)] for ti in range(3)]
    texts = "\n".join(t.get_text() for t in ax.texts)
    for ti, t in enumerate(assessment.targets):
        assert f"{t.name}\n{assessment.distance_km[0, ti]:,.0f} km" in texts
    assert "rotating Earth" in "\n".join(t.get_text() for t in fig.texts)


def test_report(assessment):
    from geo.outputs.report import build_report

    page = build_report(assessment)
    rows = re.findall(r"<tr><td class='site'>.*?</tr>", page)
    assert len(rows) == 12
    for row, (_, _, _, c) in zip(rows, cells(assessment)):
        values = [float(v) for v in re.findall(r"data-value='([-\d.]+)'", row)]
        assert values == pytest.approx([c.distance_km, c.range_km, c.margin_km], abs=1e-3)
        assert re.search(r"data-verdict='([^']+)'", row)[1] == c.verdict


def test_coverage_uses_the_assessments_region_without_the_dead_zone(assessment):
    import shapely

    cov = geo.coverage(assessment.sites[0], assessment.missiles[1], model="rotating")
    region = assessment.regions(0, 1)[0].geometry
    assert shapely.equals_exact(cov.region, region, tolerance=0)
    assert not any(c.name == "North Korea" and c.share > 0.99 for c in cov.countries)     # inside the dead zone
    assert all(c.distance_km >= 1200 for c in cov.cities)


def test_table_and_single_check_agree_under_rotating_model(assessment):
    table = geo.check_table(assessment.sites, assessment.missiles, assessment.targets, model="rotating")
    assert table["verdict"].tolist() == assessment.verdict.ravel().tolist()
    assert np.allclose(table["range_km"], assessment.reach_km.ravel())


def test_a_whole_country_as_target_in_text_and_json(capsys):
    assert main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Japan", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    a = geo.assess(geo.Scenario.resolve("Chagang", "HS-12", "Japan"))
    whole = a.country(0, 0, 0)
    assert doc["target_kind"] == "country" and doc["verdict"] == whole.verdict == "all"
    assert doc["nearest"]["distance_km"] == pytest.approx(whole.nearest.distance_km)
    assert doc["farthest"]["distance_km"] == pytest.approx(whole.farthest.distance_km)
    assert whole.farthest.distance_km < 4500
    assert main(["check", "--site", "Chagang", "--range", "1000", "--target", "Japan"]) == 0
    text = capsys.readouterr().out
    assert "to Japan (the whole country): part of it in range (" in text.splitlines()[0]
    share = geo.assess(geo.Scenario.resolve("Chagang", 1000, "Japan")).country(0, 0, 0).share
    assert "nearest point 775 km" in text and f"part of it in range ({100 * share:.1f}% of its area)" in text


def test_an_ambiguous_place_name_says_which_place_it_took(capsys):
    assert main(["check", "--site", "Semnan", "--missile", "Khorramshahr", "--target", "London"]) == 0
    out, err = capsys.readouterr()
    assert "London, United Kingdom: out of range" in out
    assert err.startswith("rangemap: note: London → London, United Kingdom (also: London, Canada)")
    assert err.count("\n") == 1
