"""The command line through ``main(argv)``: answers, JSON, and one test per bad-input case."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main

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


def test_check_imports_neither_folium_nor_geopandas():
    code = ("import sys; from geo.cli import main; "
            "status = main(['check', '--site', 'Chagang', '--missile', 'HS-12', '--target', 'Guam']); "
            "heavy = [m for m in ('folium', 'geopandas', 'pandas', 'shapely') if m in sys.modules]; "
            "print(heavy); sys.exit(status)")
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


def test_map_to_a_chosen_path(capsys, tmp_path):
    out_path = tmp_path / "pacific.html"
    status, out, _ = run(capsys, "map", "--site", "Sohae", "--missile", "HS-15", "--range", "3000",
                         "--target", "Honolulu", "--target", "21.3,-157.9", "-o", str(out_path))
    assert status == 0 and out.strip() == str(out_path) and out_path.stat().st_size > 1000


# --- bad input: one line on stderr, exit status 2, no traceback, no file ------------

BAD = [
    (["check", "--site", "Nowhere", "--missile", "HS-12", "--target", "Guam"], "unknown site 'Nowhere'"),
    (["check", "--site", "Chagang", "--missile", "Hwasong-99", "--target", "Guam"], "unknown missile 'Hwasong-99'; closest:"),
    (["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Atlantis"], "unknown target 'Atlantis'"),
    (["check", "--site", "95,126", "--missile", "HS-12", "--target", "Guam"], "latitude 95 is outside [-90, 90]"),
    (["check", "--site", "41,190", "--missile", "HS-12", "--target", "Guam"], "longitude 190 is outside [-180, 180]"),
    (["check", "--site", "Chagang", "--range", "0", "--target", "Guam"], "range '0' must be a positive number"),
    (["check", "--site", "Chagang", "--range", "-100", "--target", "Guam"], "range '-100' must be a positive number"),
    (["check", "--site", "Chagang", "--range", "abc", "--target", "Guam"], "range 'abc' is not a number"),
    (["check", "--site", "Chagang", "--range", "nan", "--target", "Guam"], "range 'nan' must be a positive number"),
    (["check", "--site", "Chagang", "--range", "inf", "--target", "Guam"], "range 'inf' must be a positive number"),
    (["check", "--site", "Chagang", "--missile", "HS-12", "--range", "10", "--target", "Guam"], "not allowed with"),
    (["check", "--site", "Chagang", "--target", "Guam"], "one of the arguments --missile --range is required"),
    (["check", "--missile", "HS-12", "--target", "Guam"], "required: --site"),
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
    ("{tmp}/map.png", "must end in .html"),
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
