"""Refresh the offline copies of the scripts and styles folium's pages ask for (geo/outputs/web/vendor/).

``geo.write_map`` inlines every asset a folium map links to; Leaflet comes from the
``xstatic-leaflet`` package, everything else from the files this script copies out of npm
packages (``npm pack``, the registry's tarballs), each beside its licence:

========================  =========================================  =====================
folium asks for            copied from (npm)                          licence
========================  =========================================  =====================
jquery-3.7.1.min.js        jquery@3.7.1 dist/                         MIT
bootstrap 5.2.2 js, css    bootstrap@5.2.2 dist/                      MIT
bootstrap-glyphicons.css   bootstrap@3.4.1 (the Glyphicons rules of   MIT
                           dist/css/bootstrap.css, woff2 font)
fontawesome-free 6.2.0     @fortawesome/fontawesome-free@6.2.0        CC-BY-4.0/OFL-1.1/MIT
                           css/all.min.css, webfonts/*.woff2
Leaflet.awesome-markers    drmonty-leaflet-awesome-markers@2.0.2      MIT
leaflet.fullscreen 3.0.0   leaflet.fullscreen@3.0.0                   MIT
========================  =========================================  =====================

Run ``python scripts/vendor_web_assets.py`` (needs ``npm`` and the npm registry), then run
``tests/test_browser.py -k compos`` and commit geo/outputs/web/vendor/.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import tarfile
import tempfile

VENDOR = pathlib.Path(__file__).resolve().parent.parent / "geo" / "outputs" / "web" / "vendor"

#: npm package -> [(file in the package, name in vendor/)]; the first entry named LICENSE* is the licence.
PACKAGES = {
    "jquery@3.7.1": [("LICENSE.txt", "jquery.LICENSE.txt"), ("dist/jquery.min.js", "jquery-3.7.1.min.js")],
    "bootstrap@5.2.2": [("LICENSE", "bootstrap.LICENSE.txt"),
                        ("dist/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"),
                        ("dist/css/bootstrap.min.css", "bootstrap.min.css")],
    "bootstrap@3.4.1": [("LICENSE", "bootstrap-glyphicons.LICENSE.txt"),
                        ("dist/fonts/glyphicons-halflings-regular.woff2", "glyphicons-halflings-regular.woff2")],
    "@fortawesome/fontawesome-free@6.2.0": [
        ("LICENSE.txt", "fontawesome.LICENSE.txt"), ("css/all.min.css", "fontawesome-all.min.css"),
        ("webfonts/fa-brands-400.woff2", "fa-brands-400.woff2"), ("webfonts/fa-regular-400.woff2", "fa-regular-400.woff2"),
        ("webfonts/fa-solid-900.woff2", "fa-solid-900.woff2"),
        ("webfonts/fa-v4compatibility.woff2", "fa-v4compatibility.woff2")],
    "drmonty-leaflet-awesome-markers@2.0.2": [
        ("js/leaflet.awesome-markers.js", "leaflet.awesome-markers.js"),
        ("css/leaflet.awesome-markers.css", "leaflet.awesome-markers.css"),
        ("css/images/markers-soft.png", "markers-soft.png"), ("css/images/markers-soft@2x.png", "markers-soft@2x.png"),
        ("css/images/markers-shadow.png", "markers-shadow.png"),
        ("css/images/markers-shadow@2x.png", "markers-shadow@2x.png")],
    "leaflet.fullscreen@3.0.0": [("LICENSE", "leaflet.fullscreen.LICENSE.txt"),
                                 ("Control.FullScreen.js", "Control.FullScreen.js"),
                                 ("Control.FullScreen.css", "Control.FullScreen.css"),
                                 ("icon-fullscreen.svg", "icon-fullscreen.svg")],
}

#: The awesome-markers package ships no licence file; its package.json names the MIT licence.
AWESOME_MARKERS_LICENSE = """Leaflet.awesome-markers 2.0.2, (c) 2012-2013 Lennard Voogdt, http://leafletjs.com
Licensed under the MIT licence (package.json of drmonty-leaflet-awesome-markers@2.0.2, "licenses").

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def _unpack(spec: str, work: pathlib.Path) -> pathlib.Path:
    out = subprocess.run(["npm", "pack", "--silent", spec], cwd=work, check=True, capture_output=True, text=True)
    target = work / spec.replace("/", "_")
    with tarfile.open(work / out.stdout.strip().splitlines()[-1]) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def _glyphicons(bootstrap3_css: str) -> str:
    """The Glyphicons rules of Bootstrap 3's stylesheet (the font face and every .glyphicon class)."""
    rules = re.findall(r"@font-face\s*\{[^}]*Glyphicons Halflings[^}]*\}|\.glyphicon[^{]*\{[^}]*\}", bootstrap3_css)
    css = "\n".join(rules)
    return re.sub(r"src:[^;]*;(\s*src:[^;]*;)?", "src: url('glyphicons-halflings-regular.woff2') format('woff2');",
                  css, count=1)


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    versions = {}
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            package = _unpack(spec, pathlib.Path(tmp))
            versions[spec] = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
            for source, name in files:
                shutil.copyfile(package / source, VENDOR / name)
            if spec.startswith("bootstrap@3"):
                css = (package / "dist/css/bootstrap.css").read_text(encoding="utf-8")
                (VENDOR / "bootstrap-glyphicons.css").write_text(_glyphicons(css), encoding="utf-8")
    (VENDOR / "leaflet.awesome-markers.LICENSE.txt").write_text(AWESOME_MARKERS_LICENSE, encoding="utf-8")
    (VENDOR / "folium-assets.json").write_text(json.dumps(versions, indent=1) + "\n", encoding="utf-8")
    print(f"vendored {len(versions)} npm packages into {VENDOR}")


if __name__ == "__main__":
    main()
