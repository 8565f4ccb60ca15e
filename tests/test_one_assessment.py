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
    assert main(["check", *argv(files), "--csv"]) == 0
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
    assert doc["target_kind"] == "country" and doc["verdict"] == "all in range" and whole.verdict == "all"
    assert doc["nearest"]["distance_km"] == pytest.approx(whole.nearest.distance_km)
    assert doc["farthest"]["distance_km"] == pytest.approx(whole.farthest.distance_km)
    assert whole.farthest.distance_km < 4500
    assert main(["check", "--site", "Chagang", "--range", "1000", "--target", "Japan"]) == 0
    text = capsys.readouterr().out
    assert "to Japan (the whole country): part in range (" in text.splitlines()[0]
    share = geo.assess(geo.Scenario.resolve("Chagang", 1000, "Japan")).country(0, 0, 0).share
    assert "nearest point 775 km" in text and f"part in range ({100 * share:.1f}% of its area)" in text


def test_an_ambiguous_place_name_says_which_place_it_took(capsys):
    assert main(["check", "--site", "Semnan", "--missile", "Khorramshahr", "--target", "London"]) == 0
    out, err = capsys.readouterr()
    assert "London, United Kingdom: out of range" in out
    assert err.startswith("rangemap: note: London → London, United Kingdom (also: London, Canada)")
    assert err.count("\n") == 1


# --- every kind of target, one answer in every output (issue 17) ------------------------------------

SINPO = ["--site", "Sinpo", "--missile", "KN-23", "--target", "Japan"]


def _svg_texts(fig) -> str:
    from geo.outputs.figure import save_figure

    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    return html.unescape(re.sub(r"<[^>]+>", "\n", buf.getvalue().decode()))


@pytest.fixture(scope="module")
def japan():
    return geo.assess(geo.Scenario.resolve("Sinpo", "KN-23", ["Japan", "Guam"]))


def test_a_country_is_the_same_area_in_check_table_report_figure_and_export(japan, tmp_path, capsys):
    c = japan.check(0, 0, 0)
    assert (c.target_kind, c.verdict, round(100 * c.share, 1), round(c.distance_km)) == \
        ("country", "part in range", 2.0, 604)
    # check, alone and beside Guam (the country's row was "out of range", from its capital)
    assert main(["check", *SINPO]) == 0
    assert "part in range (2.0% of its area)" in capsys.readouterr().out
    assert main(["check", *SINPO, "--target", "Guam", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (rows[0]["target_kind"], rows[0]["verdict"]) == ("country", "part in range")
    assert float(rows[0]["distance_km"]) == pytest.approx(c.distance_km)
    assert float(rows[0]["share"]) == pytest.approx(c.share) and float(rows[0]["farthest_km"]) == pytest.approx(c.farthest_km)
    # report: the same verdict, share and nearest/farthest distances
    out = tmp_path / "r.html"
    assert main(["report", *SINPO, "-o", str(out)]) == 0
    page = out.read_text()
    row = re.findall(r"<tr><td class='site'>.*?</tr>", page)[0]
    assert "data-verdict='part in range'" in row and f"data-share='{c.share:.6f}'" in row
    assert f"data-value='{c.distance_km:.3f}'" in row and f"data-farthest='{c.farthest_km:.3f}'" in row
    assert "out of range" not in row
    # figure: the part within reach shaded, nearest and farthest points marked, no dot at Tokyo
    from geo.outputs.figure import figure

    fig = figure(geo.assess(geo.Scenario.resolve("Sinpo", "KN-23", "Japan")))
    ax = fig.axes[0]
    gids = {a.get_gid() for a in [*ax.patches, *ax.artists, *ax.lines]}
    assert {"in-range-part-0-0-0", "nearest-0-0", "farthest-0-0"} <= gids and "target" not in gids
    assert "Japan: part in range (2.0% of its area)\n604-1,973 km" in "\n".join(t.get_text() for t in ax.texts)
    # web map: the page's blob (what its script draws): the area, its nearest and farthest points, no dot at Tokyo
    from test_render import blob

    from geo.outputs.webmap import build_map, map_html

    data = blob(map_html(build_map(japan, offline=True)))
    country, = data["countries"]
    near, far = japan.extremes(0, 0, 0)
    assert (country["cells"][0]["verdict"], country["cells"][0]["share"]) == (c.verdict, round(c.share, 6))
    assert country["ends"][0]["nearest"]["km"] == c.distance_km and country["ends"][0]["farthest"]["km"] == c.farthest_km
    assert [data["targets"][0][k] for k in ("kind", "lat", "lon", "label")] == \
        ["country", near.lat, near.lon, "Japan: part in range (2.0% of its area) · 604-1,973 km"]
    assert data["targets"][1]["kind"] == "place" and not data["shaded"]
    # export: the country as an area with its in-range part and verdict
    out = tmp_path / "e.geojson"
    assert main(["export", *SINPO, "-o", str(out)]) == 0
    features = json.loads(out.read_text())["features"]
    areas = [f for f in features if f["properties"]["layer"] == "countries"]
    assert sorted(f["properties"]["part"] for f in areas) == ["in range", "whole"]
    for f in areas:
        assert f["geometry"]["type"] == "MultiPolygon" and f["properties"]["verdict"] == "part in range"
        assert f["properties"]["share"] == pytest.approx(c.share)
    path, = [f["properties"] for f in features if f["properties"]["layer"] == "paths"]
    assert path["verdict"] == "part in range" and path["distance_km"] == pytest.approx(c.distance_km)


@pytest.mark.parametrize("units,factor", [("mi", 1.609344), ("nmi", 1.852)])
def test_units_reach_a_country_target(units, factor, capsys):
    assert main(["check", *SINPO, "--units", units]) == 0
    text = capsys.readouterr().out
    assert f"nearest point {604 / factor:,.0f} {units} away" in text and " km" not in text.split("(WGS84")[0]
    assert main(["check", *SINPO, "--units", units, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["units"] == units and doc["target_kind"] == "country"
    for key in ("distance", "farthest", "margin"):
        assert doc[f"{key}_{units}"] == pytest.approx(doc[f"{key}_km"] / factor)
    assert doc["nearest"][f"distance_{units}"] == pytest.approx(doc["nearest"]["distance_km"] / factor)


def test_a_missile_without_a_site_is_fired_from_its_own_state_or_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["check", "--target", "Guam"], ["map", "-o", "x.svg"], ["report", "-o", "x.html"],
                    ["export", "-o", "x.geojson"], ["coverage"]):
        assert main([command[0], "--missile", "Sarmat", *command[1:]]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "Russia has 3 launch sites" in err and "Plesetsk" in err
        assert "Chagang" not in err
    assert not list(tmp_path.iterdir())
    assert main(["check", "--missile", "Minuteman III", "--target", "Moscow"]) == 0
    out, err = capsys.readouterr()
    assert "from Vandenberg Space Force Base to Moscow" in out
    assert "drawing LGM-30G Minuteman III from Vandenberg Space Force Base" in err
    assert main(["map", "-o", "f.svg"]) == 0                 # the founding scenario is unchanged
    svg = (tmp_path / "f.svg").read_text()
    assert "Hwasong-12" in svg and "Chagang" in svg and "Guam" in svg


def test_several_targets_on_a_terminal_are_an_aligned_table(capsys):
    assert main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam", "--target", "Washington",
                 "--target", "Japan"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and not any(re.search(r"\d\.\d{4,}", line) for line in lines)
    assert lines[0].split()[:3] == ["target", "kind", "distance"] and "flight time" in lines[0]
    guam = geo.check("Chagang", "HS-12", "Guam").flight_time_min                  # the assessment's own time
    assert "3,540" in lines[1] and "+960" in lines[1] and "in range" in lines[1] and f"{guam:.0f} min" in lines[1]
    assert "10,791" in lines[2] and "-6,291" in lines[2]        # thousands separators
    starts = {line.find("place") for line in lines[1:3]}
    assert len(starts) == 1                                    # aligned columns
    assert main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam", "--target", "Seoul",
                 "--csv"]) == 0
    assert capsys.readouterr().out.startswith("site,site_lat,site_lon,")


def test_the_python_api_has_the_same_schema(japan):
    cols = japan.columns()
    assert list(cols["target_kind"]) == ["country", "place"]
    assert cols["verdict"][0] == "part in range" and np.isnan(cols["share"][1])
    c = geo.check("Sinpo", "KN-23", "Japan")
    assert c.verdict == "part in range" and c.target_kind == "country" and round(c.distance_km) == 604
    part, (near, far) = japan.in_range_part(0, 0, 0), japan.extremes(0, 0, 0)
    assert not part.is_empty and near.distance_km == pytest.approx(c.distance_km) and far.distance_km > 1900
    assert japan.in_range_part(0, 0, 1) is None and japan.extremes(0, 0, 1) is None


# --- property: random scenarios, every output I render, one answer per cell -------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

P_SITES = ["Chagang", "Sohae", "Plesetsk", "-33.87,151.21", "64.84,-147.72"]
P_COUNTRIES = ["Fiji", "Russia", "Antarctica", "Japan", "New Zealand"]      # across the antimeridian, a pole
P_PLACES = ["Guam", "Honolulu", "Seoul"]


@st.composite
def scenarios(draw):
    nominal = draw(st.floats(300.0, 14_000.0))
    low = draw(st.one_of(st.none(), st.floats(0.6, 0.99).map(lambda f: round(nominal * f, 1))))
    high = draw(st.one_of(st.none(), st.floats(1.01, 1.3).map(lambda f: round(nominal * f, 1))))
    minimum = draw(st.one_of(st.none(), st.floats(0.05, 0.3).map(lambda f: round(nominal * f, 1))))
    point = draw(st.tuples(st.floats(-80.0, 80.0), st.floats(-180.0, 180.0)).map(lambda p: f"{p[0]:.4f},{p[1]:.4f}"))
    other = draw(st.sampled_from([point, *P_PLACES]))
    return dict(site=draw(st.sampled_from(P_SITES)), missile=(round(nominal, 1), low, high, minimum),
                targets=[draw(st.sampled_from(P_COUNTRIES)), other],
                model=draw(st.sampled_from(["geodesic", "rotating"])), units=draw(st.sampled_from(["km", "mi", "nmi"])))


def _missile_file(folder, missile) -> str:
    nominal, low, high, minimum = missile
    path = folder / "prop.csv"
    blank = lambda v: "" if v is None else repr(v)                                   # noqa: E731
    path.write_text("name,range_km,range_low_km,range_high_km,min_range_km,source\n"
                    f"Prop,{nominal!r},{blank(low)},{blank(high)},{blank(minimum)},property test\n")
    return str(path)


def _cli(*args):
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    assert status == 0, err.getvalue()
    return out.getvalue()


def _same(got, want, tol=1e-6):
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got is None or (isinstance(got, float) and math.isnan(got))
    return got == pytest.approx(want, abs=tol)


import math  # noqa: E402


PROPERTY = settings(max_examples=3, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _assessed(s, files):
    mfile = _missile_file(files, s["missile"])
    cat = geo.Catalog.load(missiles_files=[mfile])
    a = geo.assess(geo.Scenario.resolve(s["site"], "Prop", s["targets"], model=s["model"], catalog=cat))
    checks = [a.check(0, 0, ti) for ti in range(len(a.targets))]
    assert checks[0].target_kind == "country" and checks[1].target_kind in ("point", "place")
    return a, checks, mfile


@PROPERTY
@given(s=scenarios())
def test_property_cli_json_and_tables_give_each_cell_the_same_answer(s, files):
    from geo.outputs.formatting import to_units, verdict_text

    a, checks, mfile = _assessed(s, files)
    units = s["units"]
    base = [f"--site={s['site']}", "--missile", "Prop", "--missiles-file", mfile, "--model", s["model"],
            "--units", units]
    targets = [f"--target={t}" for t in s["targets"]]
    # CLI JSON, one cell at a time
    for t, c in zip(targets, checks):
        doc = json.loads(_cli("check", *base, t, "--json"))
        assert doc["verdict"] == c.verdict and doc["target_kind"] == c.target_kind and doc["units"] == units
        assert _same(doc["distance_km"], c.distance_km) and _same(doc["share"], c.share)
        assert _same(doc["flight_time_min"], c.flight_time_min)
        assert _same(doc["margin_km"], None if c.near_orbital else c.margin_km)
        if units != "km":
            assert _same(doc[f"distance_{units}"], to_units(c.distance_km, units))
    # CLI table: CSV and the terminal's aligned one
    rows = list(csv.DictReader(io.StringIO(_cli("check", *base, *targets, "--csv"))))
    lines = _cli("check", *base, *targets).splitlines()[1:]
    for row, line, c in zip(rows, lines, checks):
        assert row["verdict"] == c.verdict and float(row["distance_km"]) == pytest.approx(c.distance_km)
        assert _same(float(row["flight_time_min"]) if row["flight_time_min"] else None, c.flight_time_min)
        assert verdict_text(c.verdict, c.share) in line and f"{to_units(c.distance_km, units):,.0f}" in line
        if not c.near_orbital:
            assert f"{to_units(c.margin_km, units):+,.0f}" in line
        assert (f"{c.flight_time_min:.0f} min" if c.flight_time_min is not None else "—") in line


@PROPERTY
@given(s=scenarios())
def test_property_exports_report_and_figure_give_each_cell_the_same_answer(s, files):
    from geo.outputs.export import export
    from geo.outputs.formatting import to_units, verdict_text

    a, checks, _ = _assessed(s, files)
    units = s["units"]
    # exports: GeoJSON paths and country areas, KML titles

    folder = files / "exports"
    folder.mkdir(exist_ok=True)
    features = json.loads(export(a, path=folder / "p.geojson").read_text())["features"]
    kml = html.unescape(export(a, path=folder / "p.kml").read_text())
    paths = [f["properties"] for f in features if f["properties"]["layer"] == "paths"]
    areas = [f["properties"] for f in features if f["properties"]["layer"] == "countries"]
    for p, c in zip(paths, checks):
        assert p["verdict"] == c.verdict and _same(p["distance_km"], c.distance_km) and _same(p["share"], c.share)
        assert _same(p["flight_time_min"], c.flight_time_min)
        assert f"{c.site.name} to {c.target.name}: Prop, {c.verdict}" in kml
    assert areas and all(f["verdict"] == checks[0].verdict and _same(f["share"], checks[0].share) for f in areas)
    # report
    from geo.outputs.report import build_report

    page = build_report(a, units=units)
    for row, c in zip(re.findall(r"<tr><td class='site'>.*?</tr>", page), checks):
        assert re.search(r"data-verdict='([^']+)'", row)[1] == c.verdict
        assert float(re.search(r"data-value='([-\d.]+)'", row)[1]) == pytest.approx(c.distance_km, abs=1e-3)
        if c.share is not None:
            assert float(re.search(r"data-share='([-\d.]+)'", row)[1]) == pytest.approx(c.share, abs=1e-6)
        if c.flight_time_min is not None:
            free, boost = (float(v) for v in re.search(r"data-free='([\d.]+)' data-boost='([\d.]+)'", row).groups())
            assert free + boost == pytest.approx(c.flight_time_min, abs=2e-3)
    # web map data: the country's area, points and label; the other target's verdict
    from geo.outputs.web.data import map_data

    d = map_data(a, units=units)
    (country,), c = d["countries"], checks[0]
    assert (country["cells"][0]["verdict"], country["cells"][0]["share"]) == (c.verdict, round(c.share, 6))
    assert _same(country["ends"][0]["nearest"]["km"], c.distance_km)
    assert _same(country["ends"][0]["farthest"]["km"], c.farthest_km)
    label = d["targets"][0]["label"]
    assert f": {verdict_text(c.verdict, c.share)} · {to_units(c.distance_km, units):,.0f}-" \
        f"{to_units(c.farthest_km, units):,.0f} {units}" in label
    assert [seg["b"] for seg in d["targets"][1]["lines"][0] if isinstance(seg, dict)] == [checks[1].verdict]
    # figure, as SVG text: each label that found room says the same
    from geo.outputs.figure import figure

    svg = _svg_texts(figure(a, units=units))
    for c in checks:
        if c.target.name in svg:
            want = verdict_text(c.verdict, c.share) if c.target_kind == "country" else \
                f"{to_units(c.distance_km, units):,.0f} {units}"
            assert want in svg
