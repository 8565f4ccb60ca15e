"""The wheel carries the catalogs: an installed copy used from another folder finds them."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_catalogs_and_finds_them(tmp_path):
    # No build isolation: the build backend (hatchling) comes with the test extras, so the build
    # needs no network and no fresh virtual environment.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("rangemap-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {"geo/data/sites.csv", "geo/data/missiles.csv", "geo/data/targets.csv"} <= set(names)
    assert {"geo/outputs/web/js/rangemap.js", "geo/outputs/web/js/rangemap.css", "geo/outputs/web/js/leaflet-icons.js",
            "geo/outputs/web/vendor/jquery-3.7.1.min.js", "geo/outputs/web/vendor/jquery.LICENSE.txt",
            "geo/outputs/js/live.js", "geo/outputs/js/live-panel.html"} <= set(names)          # the web maps' files
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import geo, geo.catalog.tables as c; print(c.data_dir()); "
            "print(geo.check('Chagang', 'HS-12', 'Guam').verdict)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    data_dir, verdict = proc.stdout.split("\n")[:2]
    assert Path(data_dir) == site / "geo" / "data" and verdict == "in range"
