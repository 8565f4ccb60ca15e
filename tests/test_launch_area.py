"""``rangemap check --launch-area``: a launch from anywhere in a country or a GeoJSON polygon."""

import json

import pytest
import shapely
from geographiclib.geodesic import Geodesic

import geo
from geo.analysis.launch_area import area_check, launch_area
from geo.cli.main import main
from geo.core.buffer import nearest_point


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path, doc, name="area.geojson"):
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


BOX = {"type": "Polygon", "coordinates": [[[170, -10], [180, -10], [180, 10], [170, 10], [170, -10]]]}


def test_area_check_is_the_check_from_the_nearest_point():
    area = launch_area("North Korea")
    r = area_check(area, "Hwasong-12", "Guam")
    n = nearest_point(area.geometry, 13.58111, 144.92444)
    assert (r.check.site.lat, r.check.site.lon) == (n.lat, n.lon)
    assert r.check.distance_km == pytest.approx(n.distance_km, abs=1e-6)
    same = geo.check((n.lat, n.lon), "Hwasong-12", "Guam")
    assert (r.check.verdict, r.check.margin_km, r.check.flight_time_min) == (same.verdict, same.margin_km,
                                                                             same.flight_time_min)
    # never farther than any catalog site inside the country
    assert r.check.distance_km <= geo.check("Chagang", "Hwasong-12", "Guam").distance_km


def test_cli_check_launch_area_text_and_json(capsys, tmp_path):
    status, out, err = run(capsys, "check", "--launch-area", "KP", "--missile", "HS-12", "--target", "Guam")
    lines = out.splitlines()
    assert status == 0 and err == ""
    assert lines[0] == "Hwasong-12 from anywhere in North Korea (launch area) to Guam (Andersen AFB): in range"
    assert lines[1].startswith("  nearest point of the area 38.") and "3,205 km from the target" in lines[1]
    status, out, _ = run(capsys, "check", "--launch-area", write(tmp_path, BOX), "--range", "1000", "--target",
                         "0,-175", "--json")
    doc = json.loads(out)
    assert status == 0 and doc["launch_area"]["nearest_point"] == {"lat": pytest.approx(0.0, abs=1e-6),
                                                                   "lon": pytest.approx(180.0)}
    want = Geodesic.WGS84.Inverse(0, -175, 0, 180)["s12"] / 1000.0
    assert doc["distance_km"] == pytest.approx(want, abs=1e-6) and doc["verdict"] == "in range"
    assert doc["launch_area"]["target_inside"] is False


def test_cli_check_launch_area_target_inside(capsys, tmp_path):
    status, out, _ = run(capsys, "check", "--launch-area", write(tmp_path, BOX), "--range", "1000",
                         "--target", "0,175")
    assert status == 0 and "the target lies in the area" in out and "distance 0 km" in out


@pytest.mark.parametrize("doc, words", [
    ("", "is not GeoJSON"),
    ({"type": "FeatureCollection", "features": []}, "is empty"),
    ({"type": "Point", "coordinates": [1, 2]}, "holds a Point, not a polygon"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "not valid (Self-intersection"),
    ({"type": "Polygon", "coordinates": [[[170, 0], [190, 0], [190, 5], [170, 5], [170, 0]]]}, "[190, 0] is out of range"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "at least 4"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]}, "no area"),
])
def test_cli_check_bad_launch_area_file(capsys, tmp_path, doc, words):
    path = write(tmp_path, doc)
    status, out, err = run(capsys, "check", "--launch-area", path, "--range", "1000", "--target", "Guam")
    assert status == 2 and out == "" and words in err and len(err.splitlines()) == 1, err
    assert path in err


@pytest.mark.parametrize("argv, words", [
    (["--launch-area", "KP", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam"], "not both"),
    (["--launch-area", "KP", "--missile", "HS-12", "--target", "Guam", "--model", "rotating"], "geodesic model only"),
    (["--launch-area", "KP", "--missile", "HS-12", "--missile", "HS-15", "--target", "Guam"], "one missile"),
    (["--launch-area", "Atlantis", "--missile", "HS-12", "--target", "Guam"], "Atlantis"),
    (["--launch-area", "KP", "--missile", "HS-12", "--target", "Japan"], "not a whole country (Japan)"),
    (["--launch-area", "missing.geojson", "--missile", "HS-12", "--target", "Guam"], "not found"),
])
def test_cli_check_launch_area_bad_options(capsys, argv, words):
    status, out, err = run(capsys, "check", *argv)
    assert status == 2 and out == "" and words in err and len(err.splitlines()) == 1, err
