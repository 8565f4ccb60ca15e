"""The command line through ``main(argv)``: answers, JSON, and one test per bad-input case."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli.main import main

GUAM = ["--site", "Chagang", "--missile", "Hwasong-12", "--target", "Guam"]


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# --- check ----------------------------------------------------------------------

def test_check_founding_scenario(capsys):
    status, out, err = run(capsys, "check", *GUAM)
    assert status == 0 and err == ""
    assert "in range" in out and "3,540 km" in out and "+960 km" in out and "bearing 145.2°" in out


def test_check_json(capsys):
    status, out, _ = run(capsys, "check", *GUAM, "--json")
    doc = json.loads(out)
    assert status == 0
    assert doc["site"] == {"name": "Hoejung-ri missile operating base (Chagang)", "lat": 41.369883, "lon": 126.913631}
    assert doc["target"]["name"] == "Guam (Andersen AFB)"
    assert doc["missile"] == "Hwasong-12" and doc["range_km"] == 4500 and doc["verdict"] == "in range"
    assert doc["distance_km"] == pytest.approx(3540.258072, abs=1e-5)
    assert doc["margin_km"] == pytest.approx(959.741928, abs=1e-5)
    assert doc["bearing_deg"] == pytest.approx(145.215594, abs=1e-5)
    assert doc["sources"]["missile"]


def test_check_with_a_range_and_coordinates(capsys):
    status, out, _ = run(capsys, "check", "--site", "41.369883,126.913631", "--range", "3000",
                         "--target", "13.58111,144.92444", "--json")
    doc = json.loads(out)
    assert status == 0 and doc["verdict"] == "out of range" and doc["range_km"] == 3000
    assert doc["site"]["lat"] == 41.369883


def test_check_with_user_files(capsys, tmp_path):
    (tmp_path / "m.csv").write_text("name,range_km,source\nMy missile,3600,my estimate\n")
    (tmp_path / "t.csv").write_text("name,lat,lon\nMy port,13.4,144.7\n")
    status, out, _ = run(capsys, "check", "--site", "Chagang", "--missile", "my-missile", "--target", "my port",
                         "--missiles-file", str(tmp_path / "m.csv"), "--targets-file", str(tmp_path / "t.csv"),
                         "--json")
    doc = json.loads(out)
    assert status == 0 and doc["missile"] == "My missile" and doc["target"]["name"] == "My port"


@pytest.mark.parametrize("argv", [["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam"],
                                  ["find", "Tokyo"], ["list", "missiles"]])
def test_check_find_and_list_import_neither_folium_nor_geopandas(argv):
    code = ("import sys; from geo.cli.main import main; "
            f"status = main({argv!r}); "
            "heavy = [m for m in ('folium', 'branca', 'jinja2', 'geopandas', 'pandas', 'matplotlib') "
            "if m in sys.modules]; print(heavy); sys.exit(status)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


# --- list -------------------------------------------------------------------------

@pytest.mark.parametrize("what,expect", [("sites", "Hoejung-ri"), ("missiles", "Hwasong-12"), ("targets", "Guam")])
def test_list(capsys, what, expect):
    status, out, _ = run(capsys, "list", what)
    assert status == 0 and expect in out and "source:" in out


def test_list_json(capsys):
    status, out, _ = run(capsys, "list", "missiles", "--json")
    rows = json.loads(out)
    assert status == 0 and all(r["source"] for r in rows)
    assert {"name", "range_km", "range_low_km", "range_high_km", "type", "aliases"} <= set(rows[0])


# --- map --------------------------------------------------------------------------

def test_map_without_arguments_writes_the_founding_scenario(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "map")
    assert status == 0, err
    path = Path(out.strip())
    assert path.parent == Path("maps") and path.suffix == ".html" and path.is_file()
    html = path.read_text()
    assert "Hwasong-12" in html and "Guam" in html
    assert [p.name for p in (tmp_path / "maps").iterdir()] == [path.name]     # no temp file left


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_map_print_figure(capsys, tmp_path, fmt, magic):
    path = tmp_path / f"slide.{fmt}"
    status, out, err = run(capsys, "map", "-o", str(path), *(["--dpi", "72"] if fmt == "png" else []))
    assert status == 0, err
    assert out.strip() == str(path) and path.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_map_offline_makes_no_remote_reference(capsys, tmp_path):
    path = tmp_path / "offline.html"
    status, _, err = run(capsys, "map", "--offline", "-o", str(path))
    html = path.read_text()
    assert status == 0, err
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?https?:""", html)
    assert "tile.openstreetmap" not in html


@pytest.mark.parametrize("fmt", ["geojson", "kml", "gpkg"])
def test_export(capsys, tmp_path, fmt):
    path = tmp_path / f"rings.{fmt}"
    status, out, err = run(capsys, "export", "-o", str(path))
    assert status == 0, err
    assert out.strip() == str(path) and path.stat().st_size > 1000


def test_export_geojson_carries_the_analysis_ring(capsys, tmp_path):
    import shapely
    from shapely.geometry import shape

    from geo import range_ring

    path = tmp_path / "r.geojson"
    assert run(capsys, "export", "--site", "Chagang", "--missile", "Hwasong-15", "-o", str(path))[0] == 0
    feats = json.loads(path.read_text())["features"]
    ring = next(f for f in feats if f["properties"]["layer"] == "rings" and f["properties"]["kind"] == "nominal")
    exact = range_ring(41.369883, 126.913631, 13_000)
    # coordinates are written to 7 decimals (1 cm)
    assert shapely.symmetric_difference(shape(ring["geometry"]), exact).area < 1e-8 * exact.area


def test_map_to_a_chosen_path(capsys, tmp_path):
    out_path = tmp_path / "pacific.html"
    status, out, _ = run(capsys, "map", "--site", "Sohae", "--missile", "HS-15", "--range", "3000",
                         "--target", "Honolulu", "--target", "21.3,-157.9", "-o", str(out_path))
    assert status == 0 and out.strip() == str(out_path) and out_path.stat().st_size > 1000


# --- bad input: one line on stderr, exit status 2, no traceback, no file ------------

BAD = [
    (["check", "--site", "Nowhere", "--missile", "HS-12", "--target", "Guam"], "unknown site 'Nowhere'"),
    (["check", "--site", "Chagang", "--missile", "Hwasong-99", "--target", "Guam"], "unknown missile 'Hwasong-99'; closest:"),
    (["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Atlantis-9"], "unknown target 'Atlantis-9'"),
    (["check", "--site", "95,126", "--missile", "HS-12", "--target", "Guam"], "latitude 95 is outside [-90, 90]"),
    (["check", "--site", "41,190", "--missile", "HS-12", "--target", "Guam"], "longitude 190 is outside [-180, 180]"),
    (["check", "--site", "Chagang", "--range", "0", "--target", "Guam"], "range '0' must be a positive number"),
    (["check", "--site", "Chagang", "--range", "-100", "--target", "Guam"], "range '-100' must be a positive number"),
    (["check", "--site", "Chagang", "--range", "abc", "--target", "Guam"], "range 'abc' is not a number"),
    (["check", "--site", "Chagang", "--range", "nan", "--target", "Guam"], "range 'nan' must be a positive number"),
    (["check", "--site", "Chagang", "--range", "inf", "--target", "Guam"], "range 'inf' must be a positive number"),
    (["check", "--site", "Chagang", "--target", "Guam"], "give a missile with --missile NAME or a range with --range KM"),
    (["check", "--missile", "HS-12", "--target", "Guam"], "North Korea has 15 launch sites in the catalog: Hoejung-ri"),
    (["check", "--site", "Chagang", "--missile", "HS-12"], "give a target with --target NAME"),
    (["check", *GUAM, "--model", "flat"], "argument --model: invalid choice: 'flat'"),
    (["check", *GUAM, "--skip-invalid"], "--skip-invalid and --layer apply to a table"),
    (["check", *GUAM, "-o", "out.xlsx"], "must end in .csv, .json, .geojson, .parquet"),
    (["check", *GUAM, "--dask", "local"], "--dask takes exactly one Parquet --targets-table"),
    (["map", "--format", "png", "--offline"], "--offline applies to HTML maps"),
    (["map", "--dpi", "300"], "--dpi applies to PNG figures"),
    (["map", "-o", "m.png", "--format", "svg"], "--format svg conflicts with the output's extension .png"),
    (["map", "--dpi", "-3", "--format", "png"], "dpi '-3' must be a positive number"),
    (["export"], "unknown format"),
    (["export", "-o", "x.shp"], "unknown format '.shp'"),
    (["export", "--format", "kml", "-o", "x.gpkg"], "conflicts with the output's extension .gpkg"),
    (["loft", "--apogee", "2111.5"], "required: --range"),
    (["loft", "--apogee", "0", "--range", "787"], "apogee '0' must be a positive number"),
    (["loft", "--apogee", "-5", "--range", "787"], "apogee '-5' must be a positive number"),
    (["loft", "--apogee", "2111.5", "--range", "abc"], "range 'abc' is not a number"),
    (["loft", "--apogee", "2111.5", "--range", "787", "--model", "gravity-loss"], "needs the powered-flight time: add --burn-time"),
    (["loft", "--apogee", "7000", "--range", "1000", "--model", "simple"], "orbital"),
    (["list", "rockets"], "invalid choice: 'rockets'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    ([], "required: COMMAND"),
    (["map", "--missile", "Hwasong-99"], "unknown missile 'Hwasong-99'"),
    (["map", "--range", "-1"], "range '-1' must be a positive number"),
    (["map", "--site", "91,0"], "latitude 91 is outside"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[" ".join(a) or "nothing" for a, _ in BAD])
def test_bad_input(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("rangemap: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert message in err
    assert not (tmp_path / "maps").exists() or not any((tmp_path / "maps").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["maps"])


BAD_FILES = [
    ("missing.csv", None, "no such file"),
    ("empty.csv", "", "empty file"),
    ("nocol.csv", "name,lat\nX,1\n", "missing column 'lon'"),
    ("badlat.csv", "name,lat,lon\nOK,1,2\nX,100,2\n", "line 3: latitude 100 is outside"),
    ("badnum.csv", "name,lat,lon\nX,north,2\n", "line 2: lat 'north' is not a number"),
    ("binary.csv", b"name,lat,lon\n\xff\xfe,1,2\n", "not UTF-8"),
]


@pytest.mark.parametrize("name,content,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
@pytest.mark.parametrize("command", ["check", "map"])
def test_bad_targets_file(capsys, tmp_path, monkeypatch, name, content, message, command):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    argv = ([command, "--site", "Chagang", "--missile", "HS-12", "--target", "Guam"] if command == "check"
            else [command, "-o", str(tmp_path / "out.html")])
    status, out, err = run(capsys, *argv, "--targets-file", str(path))
    assert status == 2 and out == "" and err.count("\n") == 1
    assert name in err and message in err
    assert not (tmp_path / "out.html").exists()


def test_bad_missiles_file_names_the_line(capsys, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("name,range_km\nGood,1000\nBad,-5\n")
    status, _, err = run(capsys, "check", *GUAM, "--missiles-file", str(path))
    assert status == 2 and f"{path}, line 3" in err and "range_km -5" in err


@pytest.mark.parametrize("output,message", [
    ("{tmp}/no/such/folder/map.html", "folder {tmp}/no/such/folder does not exist"),
    ("{tmp}", "it is a folder"),
    ("{tmp}/map.txt", "unknown format '.txt'"),
])
def test_map_bad_output(capsys, tmp_path, output, message):
    status, out, err = run(capsys, "map", "-o", output.format(tmp=tmp_path))
    assert status == 2 and out == "" and message.format(tmp=tmp_path) in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_map_unwritable_folder(capsys, tmp_path, monkeypatch):
    # CI runs as root, which may write anywhere: stand in for a read-only folder.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    status, out, err = run(capsys, "map", "-o", str(tmp_path / "m.html"))
    assert status == 2 and out == "" and "is not writable" in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_console_script_and_module_entry_points():
    proc = subprocess.run([sys.executable, "-m", "geo", "check", *GUAM], capture_output=True, text=True)
    assert proc.returncode == 0 and "in range" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "geo", "check", "--site", "x"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# --- models, flight time, loft ---------------------------------------------------------

def test_check_reports_flight_time(capsys):
    from geo.core.ballistics import flight_time

    doc = json.loads(run(capsys, "check", *GUAM, "--json")[1])
    # boost to thrust cut-off and the coast, for the class missile of the nominal range
    # (4,500 km), as in the README's flight-time table (a reviewer found the band's top flown instead)
    expected = flight_time(doc["distance_km"], 4500)
    assert doc["free_flight_min"] == pytest.approx(expected.free_flight_min, rel=1e-9)
    assert doc["boost_min"] == pytest.approx(expected.boost_min, rel=1e-9)
    assert doc["flight_time_min"] == pytest.approx(doc["free_flight_min"] + doc["boost_min"])
    assert 13 < doc["free_flight_min"] < 15 and 2 < doc["boost_min"] < 4 and "cut off" in doc["flight_time_note"]
    # Beyond the nominal range but within the band, the band's top flies it.
    far = json.loads(run(capsys, "check", "--site", "Chagang", "--missile", "Hwasong-12", "--target", "4.2,150",
                         "--json")[1])
    assert 4500 < far["distance_km"] < 5000 and far["verdict"] == "possibly in range"
    assert far["flight_time_min"] == pytest.approx(flight_time(far["distance_km"], 5000).total_min, rel=1e-9)


def test_check_beyond_reach_has_no_flight_time(capsys):
    doc = json.loads(run(capsys, "check", "--site", "Chagang", "--missile", "HS-12", "--target", "Washington",
                         "--json")[1])
    assert doc["verdict"] == "out of range" and doc["flight_time_min"] is None


def test_check_rotating_model_judges_by_reach_toward_the_target(capsys):
    from geo.core.ballistics import rotating_reach

    argv = ["check", "--site", "Sohae", "--range", "10400", "--target", "Los Angeles", "--json"]
    flat = json.loads(run(capsys, *argv)[1])
    rot = json.loads(run(capsys, *argv, "--model", "rotating")[1])
    assert flat["range_km"] == 10400 and flat["model"] == "geodesic"
    assert rot["model"] == "rotating" and "rotating" in rot["model_description"]
    exact = float(rotating_reach(39.66, 124.705, rot["bearing_deg"], 10400).reach_km)
    assert rot["range_km"] == pytest.approx(exact, abs=0.1)       # interpolated between 0.25° samples
    assert 11_500 < rot["range_km"] < 12_300        # published analysis: about 11,700 km toward Los Angeles
    assert rot["distance_km"] == flat["distance_km"] and rot["verdict"] == "in range"


def test_loft_hwasong_12_simple(capsys):
    status, out, _ = run(capsys, "loft", "--apogee", "2111.5", "--range", "787", "--json", "--model", "simple")
    doc = json.loads(out)
    assert status == 0 and doc["model"] == "simple" and doc["burn_time_assumed"] is None
    assert doc["range_km"] == pytest.approx(4360, abs=60)
    assert doc["inputs"] == {"apogee_km": 2111.5, "ground_range_km": 787.0, "time_min": None,
                             "burn_time_s": None, "burnout_alt_km": 0.0}


@pytest.mark.parametrize("apogee, ground, burn, stages, model_km", [
    (2111.5, 787, 150, 1, 4842), (3724.9, 998, 240, 2, 10245), (4475.0, 950, 240, 2, 14446)])
def test_loft_defaults_to_powered_with_class_typical_burn(capsys, apogee, ground, burn, stages, model_km):
    """No option: the powered-flight model, the class-typical burn time and stages said in the output,
    the same answer as giving them."""
    status, out, _ = run(capsys, "loft", "--apogee", str(apogee), "--range", str(ground))
    assert status == 0 and out.startswith(f"estimated range {model_km:,} km on its maximum-range trajectory (powered model)")
    assert f"burn time {burn} s, stages {stages}: class-typical" in out
    assert "simple model (Kepler conic" in out
    status, given, _ = run(capsys, "loft", "--apogee", str(apogee), "--range", str(ground), "--burn-time", str(burn),
                           "--stages", str(stages), "--json")
    doc = json.loads(given)
    assert doc["model"] == "powered" and round(doc["range_km"]) == model_km and doc["burn_time_assumed"] is None
    status, default, _ = run(capsys, "loft", "--apogee", str(apogee), "--range", str(ground), "--json")
    doc = json.loads(default)
    assert doc["burn_time_s"] == burn and doc["stages"] == stages and doc["burn_time_assumed"].startswith("class-typical")


def test_loft_default_near_orbital_when_the_conic_is_orbital(capsys):
    status, out, _ = run(capsys, "loft", "--apogee", "7000", "--range", "1000")
    assert status == 0 and "near orbital: this model does not bound the range (powered model)" in out
    assert "burn time 300 s, stages 2: class-typical" in out and "orbital: no finite range" in out


def test_loft_gravity_loss_text_names_both_models(capsys):
    status, out, _ = run(capsys, "loft", "--apogee", "3725", "--range", "998", "--burn-time", "240",
                         "--time", "47", "--model", "gravity-loss")
    assert status == 0
    assert "(gravity-loss model)" in out and "simple model" in out and "vs observed 47" in out


# --- tables -------------------------------------------------------------------------------

def _targets_csv(tmp_path, body="name,lat,lon\nGuam,13.58111,144.92444\nWashington,38.8951,-77.0364\n"):
    path = tmp_path / "targets.csv"
    path.write_text(body)
    return path


def test_check_table_to_each_format(capsys, tmp_path):
    import pandas as pd

    src = _targets_csv(tmp_path)
    for suffix in (".csv", ".json", ".geojson", ".parquet"):
        out_path = tmp_path / f"table{suffix}"
        status, out, err = run(capsys, "check", "--site", "Chagang", "--site", "Sohae", "--missile", "HS-12",
                               "--missile", "HS-15", "--targets-file", str(src), "-o", str(out_path))
        assert status == 0, err
        assert out.startswith(f"{out_path}: 8 rows") and out_path.exists()
    table = pd.read_csv(tmp_path / "table.csv")
    assert len(table) == 8 and set(table["verdict"]) == {"in range", "out of range"}
    first = table.iloc[0]
    assert (first["site"], first["missile"], first["target"]) == (
        "Hoejung-ri missile operating base (Chagang)", "Hwasong-12", "Guam")
    assert first["distance_km"] == pytest.approx(3540.258072, abs=1e-5)


def test_check_table_to_stdout(capsys, tmp_path):
    status, out, _ = run(capsys, "check", "--site", "Chagang", "--missile", "HS-12", "--targets-file",
                         str(_targets_csv(tmp_path)), "--json")
    rows = json.loads(out)
    assert status == 0 and [r["verdict"] for r in rows] == ["in range", "out of range"]


def test_check_table_invalid_rows_fail_or_are_skipped(capsys, tmp_path):
    src = _targets_csv(tmp_path, "name,lat,lon\nGuam,13.58111,144.92444\nBad,95,10\nNone,,\n")
    argv = ["check", "--site", "Chagang", "--missile", "HS-12", "--targets-file", str(src)]
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and "line 3" in err and "line 4" in err and "--skip-invalid" in err
    status, out, err = run(capsys, *argv, "--skip-invalid")
    assert status == 0 and "skipped 2 invalid targets" in err and "lines 3, 4" in err
    assert out.count("\n") == 2         # header + Guam


def test_check_table_empty_file_gives_the_columns(capsys, tmp_path):
    status, out, _ = run(capsys, "check", "--site", "Chagang", "--missile", "HS-12", "--csv", "--targets-file",
                         str(_targets_csv(tmp_path, "name,lat,lon\n")))
    assert status == 0 and out.strip().split(",")[:3] == ["site", "site_lat", "site_lon"]


# --- coverage and overflight ------------------------------------------------------------

def test_check_names_the_countries_under_the_track(capsys):
    status, out, _ = run(capsys, "check", *GUAM)
    # Honshu and Shikoku (26 km of sea apart) merge: within two 12-nautical-mile territorial seas
    assert status == 0 and "overflight: North Korea 0-180 km, Japan 846-1,053 km, Guam 3,539-3,540 km" in out
    doc = json.loads(run(capsys, "check", *GUAM, "--json")[1])
    assert [o["iso_a3"] for o in doc["overflight"]] == ["PRK", "JPN", "GUM"]
    assert doc["overflight"][-1]["exit_km"] == pytest.approx(doc["distance_km"])


def test_coverage_text(capsys):
    status, out, _ = run(capsys, "coverage", "--site", "Chagang", "--missile", "Hwasong-12")
    assert status == 0
    assert "Countries within range: 34 (21 wholly)" in out and "Japan 100%" in out
    assert "sum of GeoNames cities ≥15,000 within range" in out and "assumes uniform density" in out


def test_coverage_json(capsys):
    doc = json.loads(run(capsys, "coverage", "--site", "Chagang", "--missile", "HS-12", "--json")[1])
    countries = {c["iso_a3"]: c for c in doc["countries"]}
    assert countries["JPN"]["share"] == 1.0 and 0 < countries["RUS"]["share"] < 1
    assert {"name", "iso_a3", "share", "population"} <= set(countries["CHN"])
    tokyo = next(c for c in doc["cities"] if c["name"] == "Tokyo")
    assert {"name", "country", "lat", "lon", "population"} <= set(tokyo)
    assert doc["population"]["cities"] == sum(c["population"] for c in doc["cities"])


@pytest.mark.parametrize("what,first", [("countries", "name,iso_a3,share"), ("cities", "name,country,lat,lon")])
def test_coverage_csv(capsys, what, first):
    status, out, _ = run(capsys, "coverage", "--site", "Chagang", "--range", "1000", "--csv", what)
    assert status == 0 and out.startswith(first) and out.count("\n") > 2


@pytest.mark.parametrize("argv,message", [
    (["coverage", "--site", "Chagang"], "give either --missile NAME or --range KM"),
    (["coverage", "--site", "Chagang", "--missile", "HS-12", "--range", "10"], "give either --missile"),
    (["coverage", "--site", "Chagang", "--range", "10", "--min-population", "10"], "must be at least 500"),
    (["coverage", "--site", "Chagang", "--range", "10", "--json", "--csv"], "not allowed with"),
    (["coverage", "--site", "Atlantis-9", "--range", "10"], "unknown site 'Atlantis-9'"),
])
def test_coverage_bad_input(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and message in err and err.count("\n") == 1


def test_check_on_dask(capsys, tmp_path):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    n = 5000
    pd.DataFrame({"name": [f"p{i}" for i in range(n)], "lat": np.degrees(np.arcsin(rng.uniform(-1, 1, n))),
                  "lon": rng.uniform(-180, 180, n)}).to_parquet(tmp_path / "points.parquet")
    out_dir = tmp_path / "answers.parquet"
    status, out, err = run(capsys, "check", "--site", "Chagang", "--missile", "HS-12", "--missile", "HS-15",
                           "--targets-file", str(tmp_path / "points.parquet"), "-o", str(out_dir), "--dask", "local")
    assert status == 0, err
    assert out.strip() == f"{out_dir}: 10,000 rows"
    table = pd.read_parquet(out_dir)
    assert len(table) == 10_000 and set(table["missile"]) == {"Hwasong-12", "Hwasong-15"}


# --- report, shading ------------------------------------------------------------------------

def test_report_default_path(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "report")
    assert status == 0, err
    path = Path(out.strip())
    assert path == Path("maps/chagang_hwasong-12-report.html")
    html = path.read_text()
    assert "Guam (Andersen AFB)" in html and "CSIS Missile Threat" in html and "Assumptions" in html
    assert not re.search(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?https?:""", html)


@pytest.mark.parametrize("argv,message", [
    (["report", "-o", "{tmp}/r.pdf"], "must end in .html"),
    (["report", "-o", "{tmp}/missing/r.html"], "does not exist"),
    (["report", "--missile", "nope"], "unknown missile 'nope'"),
    (["map", "--shade-coverage", "--format", "png"], "--shade-coverage applies to HTML maps"),
])
def test_report_and_shading_bad_input(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert status == 2 and out == "" and message in err and err.count("\n") == 1
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_map_shades_the_covered_countries(capsys, tmp_path):
    path = tmp_path / "shaded.html"
    status, _, err = run(capsys, "map", "--range", "1000", "--shade-coverage", "-o", str(path))
    html = path.read_text()
    assert status == 0, err
    assert "Japan: 16.1% of its area within range" in html and "South Korea: 100.0%" in html


def test_map_path_tooltip_names_the_countries_overflown(capsys, tmp_path):
    path = tmp_path / "m.html"
    assert run(capsys, "map", "-o", str(path))[0] == 0
    assert "over: North Korea 0-180 km, Japan 846-1,053 km, Guam 3,539-3,540 km" in path.read_text()


@pytest.mark.parametrize("site", ["-12.41472,130.87667", "-12.41472, 130.87667", "-12.41472 130.87667"])
def test_southern_coordinates_need_no_equals_sign(capsys, site):
    status, out, err = run(capsys, "check", "--site", site, "--range", "5000", "--target", "-33.87,151.21", "--json")
    doc = json.loads(out)
    assert status == 0, err
    assert doc["site"]["lat"] == -12.41472 and doc["target"]["lon"] == 151.21
