"""Tests of the catalogs: the builtin data row by row, look-up, user files, import weight."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from geo.catalog.tables import Catalog, Missile, Place, data_dir, default_catalog, parse_latlon
from geo.errors import CatalogFileError, InputError, NotFoundError

REPO = Path(__file__).resolve().parent.parent


# Schema, coordinates, bands, sources and unique look-up keys are checked row by row in
# tests/test_catalog_rows.py, generated from the CSV files (a new row needs no new test).


# --- everything in the reference is present (golden values, not a mirror of the files) ----------

SITES = [  # (query, lat, lon, confidence) from /work/shared/reference/north-korea.md
    ("Chagang", 41.369883, 126.913631, "M-H"),
    ("Sohae", 39.660, 124.705, "H"),
    ("Sunan", 39.22389, 125.67000, "H"),
    ("Panghyon", 39.92747, 125.20789, "H"),
    ("Sinpo", 40.03, 128.19, "L-M"),
    ("Tonghae", 40.85833, 129.68639, "H"),
    ("Wonsan", 39.16639, 127.48417, "H"),
    ("Pyongyang", 39.0194, 125.7381, "H"),
    ("Sino-ri", 39.644929, 125.355288, "M"),
    ("Sangnam-ni", 40.838977, 128.54165, "M"),
    ("Yongnim", 40.483324, 126.501814, "M"),
    ("Sinpung-dong", 40.316252, 125.276505, "M"),
    ("Kumchon-ni", 38.966111, 127.594722, "M"),
    ("Yusang-ni", 39.449886, 126.259682, "M"),
    ("Sakkanmol", 38.584698, 126.107945, "M"),
]
MISSILES = [  # (name, type, range, band low, band high, confidence)
    ("Hwasong-5", "SRBM", 300, 320, 340, "H"),
    ("Hwasong-6", "SRBM", 500, 500, 600, "H"),
    ("Hwasong-9", "MRBM", 1000, None, None, "M"),
    ("KN-23", "SRBM", 690, 600, 800, "M"),
    ("Nodong", "MRBM", 1300, 1000, 1500, "M"),
    ("Musudan", "IRBM", 3000, 2500, 4000, "M"),
    ("Pukguksong-1", "SLBM", 1300, None, None, "M"),
    ("Pukguksong-2", "MRBM", 1300, 1300, 2000, "M"),
    ("Pukguksong-3", "SLBM", 1900, 1900, 2500, "M"),
    ("Hwasong-12", "IRBM", 4500, 4500, 5000, "H"),
    ("Hwasong-14", "ICBM", 10400, 6700, 10400, "H"),
    ("Hwasong-15", "ICBM", 13000, 12874, 13000, "H"),
    ("Hwasong-17", "ICBM", 15000, None, None, "M"),
    ("Hwasong-18", "ICBM", 15000, None, None, "M"),
    ("Hwasong-19", "ICBM", 15000, None, None, "L-M"),
    ("Taepodong-2", "ICBM/SLV", 10000, None, None, "M"),
]
MISSILE_ALIASES = [("Hwasong-5", "Scud-B"), ("Hwasong-6", "Scud-C"), ("Hwasong-9", "Scud-ER"),
                   ("Hwasong-9", "KN-04"), ("KN-23", "Hwasong-11A"), ("Nodong", "Hwasong-7"),
                   ("Nodong", "Rodong"), ("Nodong", "Nodong-1"), ("Musudan", "Hwasong-10"),
                   ("Musudan", "BM-25"), ("Musudan", "KN-07"), ("Pukguksong-1", "KN-11"),
                   ("Pukguksong-2", "KN-15"), ("Pukguksong-3", "KN-26"), ("Hwasong-12", "KN-17"),
                   ("Hwasong-14", "KN-20"), ("Hwasong-15", "KN-22"), ("Taepodong-2", "Unha-3")]
TARGETS = [
    ("Guam", 13.58111, 144.92444, "H"),
    ("Tokyo", 35.6895, 139.6917, "H"),
    ("Seoul", 37.56889, 126.97667, "H"),
    ("Kadena", 26.35556, 127.76750, "H"),
    ("Yokosuka", 35.2933, 139.6714, "M"),
    ("Misawa", 40.7033, 141.3683, "H"),
    ("Camp Humphreys", 36.96067, 127.03361, "H"),
    ("Pearl Harbor", 21.34927, -157.94397, "H"),
    ("Honolulu", 21.3069, -157.8583, "H"),
    ("Anchorage", 61.25139, -149.80639, "H"),
    ("Darwin", -12.41472, 130.87667, "H"),
    ("Los Angeles", 34.0522, -118.2437, "M"),
    ("Washington", 38.8951, -77.0364, "M"),
]


@pytest.mark.parametrize("query, lat, lon, conf", SITES, ids=[s[0] for s in SITES])
def test_reference_site(query, lat, lon, conf):
    s = default_catalog().site(query)
    assert (s.lat, s.lon, s.confidence, s.country) == (lat, lon, conf, "North Korea")


@pytest.mark.parametrize("name, type_, rng, low, high, conf", MISSILES, ids=[m[0] for m in MISSILES])
def test_reference_missile(name, type_, rng, low, high, conf):
    m = default_catalog().missile(name)
    assert (m.name, m.type, m.range_km, m.range_low_km, m.range_high_km, m.confidence, m.country) == (
        name, type_, rng, low, high, conf, "KP")
    assert m.min_range_km is None


@pytest.mark.parametrize("name, alias", MISSILE_ALIASES, ids=[a for _, a in MISSILE_ALIASES])
def test_reference_missile_alias(name, alias):
    assert default_catalog().missile(alias).name == name


@pytest.mark.parametrize("query, lat, lon, conf", TARGETS, ids=[t[0] for t in TARGETS])
def test_reference_target(query, lat, lon, conf):
    t = default_catalog().target(query)
    assert (t.lat, t.lon, t.confidence) == (lat, lon, conf)


def test_order_and_first_rows():
    cat = default_catalog()
    assert cat.sites[0].name == "Hoejung-ri missile operating base (Chagang)"
    assert cat.targets[0].name == "Guam (Andersen AFB)"
    assert {"Chagang", "Hoejung-ni", "Hoejung-ri"} <= set(cat.sites[0].aliases)
    assert {"KN-17", "HS-12", "Hwaseong-12"} <= set(cat.missile("Hwasong-12").aliases)


def test_unsourced_targets_say_so():
    for name in ("Los Angeles", "Washington"):
        t = default_catalog().target(name)
        assert "Wikipedia" in t.source and "no source in the project reference" in t.notes.casefold()


def test_kn23_nominal_is_explained():
    assert "690" in default_catalog().missile("KN-23").notes


# --- look-up --------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["Hwasong-12", "hwasong12", "HWASONG 12", "HS-12", "KN-17", "kn17",
                                   "Hwaseong-12", "Hwasŏng-12", " hwasong_12 "])
def test_missile_forgiving(query):
    assert default_catalog().missile(query).name == "Hwasong-12"


@pytest.mark.parametrize("query", ["Chagang", "chagang", "CHAGANG", "Hoejung-ni", "Hoejung-ri", "hoejungri",
                                   "hoejungni", "Hoejung ni", "Hoejung-ri missile operating base (Chagang)"])
def test_site_forgiving(query):
    assert default_catalog().site(query).name.startswith("Hoejung-ri")


@pytest.mark.parametrize("query", ["guam", "GUAM", "Andersen", "andersen afb", "Guam (Andersen AFB)"])
def test_target_forgiving(query):
    assert default_catalog().target(query).name == "Guam (Andersen AFB)"


def test_romanisation_folds_ni_ri_on_other_bases():
    cat = default_catalog()
    assert cat.site("Sino-ni") == cat.site("sinori") == cat.site("Sino-ri missile operating base")
    assert cat.site("Sangnam-ri").name.startswith("Sangnam-ni")


@pytest.mark.parametrize("kind, query, closest", [
    ("missile", "Hwasong-99", "Hwasong-9"),
    ("missile", "Musudam", "Musudan"),
    ("site", "Chagnag", "Hoejung-ri missile operating base (Chagang)"),
    ("target", "Tokoy", "Tokyo"),
])
def test_unknown_names_closest_match(kind, query, closest):
    with pytest.raises(NotFoundError) as e:
        getattr(default_catalog(), kind)(query)
    msg = str(e.value)
    assert "\n" not in msg and f"unknown {kind} {query!r}" in msg
    assert f"closest: {closest}" in msg and f"rangemap list {kind}s" in msg


def test_unknown_with_nothing_close():
    with pytest.raises(NotFoundError, match="no close match"):
        default_catalog().missile("zzzzqqqq")


def test_empty_query_is_input_error():
    with pytest.raises(InputError):
        default_catalog().missile(" - ")


def test_ambiguous_alias_names_both(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("name,aliases,range_km\nA-1,X,100\nB-1,X,200\n", encoding="utf-8")
    cat = Catalog.load(missiles_files=[f], builtin=False)
    with pytest.raises(NotFoundError, match="ambiguous.*A-1, B-1"):
        cat.missile("x")


def test_name_beats_alias(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("name,lat,lon\nGuam,13.4,144.8\n", encoding="utf-8")
    cat = Catalog.load(targets_files=[f])
    assert cat.target("guam").lat == 13.4 and cat.target("Andersen").lat == 13.58111


# --- LAT,LON ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, lat, lon, name", [
    ("41.37,126.91", 41.37, 126.91, "41.3700, 126.9100"),
    ("41.37, 126.91", 41.37, 126.91, "41.3700, 126.9100"),
    ("-12.4 130.9", -12.4, 130.9, "-12.4000, 130.9000"),
    (" 0,-180 ", 0.0, -180.0, "0.0000, -180.0000"),
    ("+90,.5", 90.0, 0.5, "90.0000, 0.5000"),
])
def test_parse_latlon(text, lat, lon, name):
    p = parse_latlon(text)
    assert isinstance(p, Place) and (p.lat, p.lon, p.name) == (lat, lon, name)


@pytest.mark.parametrize("text", ["Chagang", "", "1,2x", "Hwasong-12", "Sao Paulo", "NEWS"])
def test_parse_latlon_not_coordinates(text):
    assert parse_latlon(text) is None


@pytest.mark.parametrize("text", ["41.37", "41.37,126.91,5", "41N 126N"])
def test_parse_latlon_unreadable_shows_a_form(text):
    with pytest.raises(InputError, match=r"e\.g\. 41\.37,126\.91"):
        parse_latlon(text)


def test_parse_latlon_reads_hemispheres_and_dms():
    assert parse_latlon("41.37N 126.91E").lat == 41.37
    p = parse_latlon("41°22'12\"N 126°54'49\"E")
    assert (p.name, p.kind) == ("41.3700, 126.9136", "coordinates")


@pytest.mark.parametrize("text, bad", [("91,0", "latitude 91"), ("-90.5, 10", "latitude -90.5"),
                                       ("10,181", "longitude 181"), ("0 -200", "longitude -200")])
def test_parse_latlon_out_of_range(text, bad):
    with pytest.raises(InputError, match=bad):
        parse_latlon(text)


def test_latlon_wherever_a_place_is_expected():
    cat = default_catalog()
    assert cat.site("41.37,126.91").lat == 41.37 and cat.target("-12.4 130.9").lon == 130.9
    with pytest.raises(InputError):
        cat.target("13.5,200")


# --- certain_km / max_km ----------------------------------------------------------------------

@pytest.mark.parametrize("name, certain, most", [("HS-12", 4500, 5000), ("HS-14", 6700, 10400),
                                                ("HS-5", 300, 340), ("Hwasong-9", 1000, 1000),
                                                ("KN-23", 600, 800)])
def test_certain_and_max(name, certain, most):
    m = default_catalog().missile(name)
    assert (m.certain_km, m.max_km) == (certain, most)


def test_one_sided_band():
    assert Missile("X", 100, range_high_km=150).certain_km == 100
    assert Missile("X", 100, range_low_km=80).max_km == 100


# --- user files --------------------------------------------------------------------------------

def write(tmp_path, text, name="user.csv", encoding="utf-8"):
    f = tmp_path / name
    f.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return f


def test_user_file_adds_rows_after_builtin(tmp_path):
    sites = write(tmp_path, "name,lat,lon,aliases\nMy base,40.5,127.25,MB;Base 1\n\n", "s.csv")
    missiles = write(tmp_path, "name,range_km,range_low_km,range_high_km,type\nX-1,1234.5,1000,1500,MRBM\n", "m.csv")
    cat = Catalog.load(sites_files=[sites], missiles_files=missiles)
    assert cat.sites[-1] == Place("My base", 40.5, 127.25, aliases=("MB", "Base 1"))
    assert cat.site("base-1").name == "My base" and cat.sites[0].name.startswith("Hoejung-ri")
    x = cat.missile("x1")
    assert (x.range_km, x.certain_km, x.max_km, x.type) == (1234.5, 1000, 1500, "MRBM")
    assert len(cat.targets) == len(default_catalog().targets)


def test_user_file_overrides_in_place(tmp_path):
    f = write(tmp_path, "name,range_km,source,confidence\nhwasong 12,4600,my analysis,L\n")
    cat = Catalog.load(missiles_files=[f])
    m = cat.missile("Hwasong-12")
    assert m.name == "hwasong 12" and m.range_km == 4600 and m.range_low_km is None
    with pytest.raises(NotFoundError):  # the whole row is replaced, aliases included
        cat.missile("KN-17")
    assert len(cat.missiles) == len(default_catalog().missiles)
    assert [x.name for x in cat.missiles].index("hwasong 12") == 9


def test_later_user_file_overrides_earlier(tmp_path):
    a = write(tmp_path, "name,lat,lon\nP,1,2\n", "a.csv")
    b = write(tmp_path, "name,lat,lon\np,3,4\n", "b.csv")
    assert Catalog.load(targets_files=[a, b], builtin=False).targets == (Place("p", 3.0, 4.0),)


def test_bom_crlf_quotes_and_multiline(tmp_path):
    text = '\ufeffName,LAT,lon,notes\r\n"Washington, Navy Yard",38.87,-76.99,"two\r\nlines"\r\n'
    cat = Catalog.load(targets_files=[write(tmp_path, text)], builtin=False)
    assert cat.targets[0].name == "Washington, Navy Yard" and cat.targets[0].notes == "two\r\nlines"


@pytest.mark.parametrize("kind, text, line, fix", [
    ("sites", "", None, "empty file"),
    ("sites", "\n\n", None, "empty file"),
    ("sites", "name,lat\nA,1\n", 1, "missing column 'lon'"),
    ("missiles", "name,range\nA,100\n", 1, "unknown column 'range'"),
    ("sites", "name,lat,lat,lon\n", 1, "duplicate column 'lat'"),
    ("sites", "name,lat,lon\nA,1,2\nB,north,2\n", 3, "lat 'north' is not a number"),
    ("sites", "name,lat,lon\n\nA,95,2\n", 3, "latitude 95 is outside"),
    ("targets", "name,lat,lon\nA,1,-190\n", 2, "longitude -190 is outside"),
    ("targets", "name,lat,lon\nA,,2\n", 2, "empty lat"),
    ("targets", "name,lat,lon\nWashington, DC,38.9,-77\n", 2, "quote text that contains commas"),
    ("targets", "name,lat,lon\n,1,2\n", 2, "empty name"),
    ("targets", "name,lat,lon\n--,1,2\n", 2, "empty name '--'"),
    ("targets", "name,lat,lon\nA,1,2\nB,1,2\na,3,4\n", 4, "duplicate name 'a' (also on line 2)"),
    ("missiles", "name,range_km\nA,0\n", 2, "range_km 0 km must be a positive"),
    ("missiles", "name,range_km\nA,-5\n", 2, "range_km -5 km must be a positive"),
    ("missiles", "name,range_km\nA,1,300\n", 2, "more values than named columns"),
    ("missiles", "name,range_km\nA,nan\n", 2, "range_km nan km must be a positive"),
    ("missiles", "name,range_km\nA,\"1,300\"\n", 2, "range_km '1,300' is not a number"),
    ("missiles", "name,range_km\nA,ten\n", 2, "range_km 'ten' is not a number"),
    ("missiles", "name,range_km,range_low_km,range_high_km\nA,100,90,80\n", 2, "range_low_km 90 is above"),
    ("missiles", "name,range_km,range_low_km\nA,100,0\n", 2, "range_low_km 0 km must be a positive"),
    ("missiles", "name,range_km,min_range_km\nA,100,150\n", 2, "min_range_km 150 is not below"),
    ("missiles", "name,range_km,confidence\nA,100,high\n", 2, "confidence 'high' is not one of"),
    ("missiles", "name,range_km\nA,100\nB,\"200\n", 3, "malformed CSV"),
])
def test_malformed_user_file(tmp_path, kind, text, line, fix):
    f = write(tmp_path, text, "bad_file.csv")
    with pytest.raises(CatalogFileError) as e:
        Catalog.load(**{f"{kind}_files": [f]})
    msg = str(e.value)
    assert "\n" not in msg and str(f) in msg and fix in msg
    if line is not None:
        assert f"line {line}:" in msg


def test_missing_file(tmp_path):
    with pytest.raises(CatalogFileError, match=r"nope\.csv: no such file"):
        Catalog.load(sites_files=[tmp_path / "nope.csv"])


def test_unreadable_directory(tmp_path):
    with pytest.raises(CatalogFileError, match="not a regular file"):
        Catalog.load(sites_files=[tmp_path])


def test_not_utf8(tmp_path):
    f = write(tmp_path, "name,lat,lon\nPyŏngyang,39,125\n".encode("latin-1", "replace").replace(b"?", b"\xf6"))
    with pytest.raises(CatalogFileError, match=r"user\.csv, line 2, column 'name': byte 0xF6 is not UTF-8.*CSV UTF-8"):
        Catalog.load(sites_files=[f], builtin=False)


def test_single_path_accepted(tmp_path):
    f = write(tmp_path, "name,range_km\nZ,5\n")
    assert Catalog.load(missiles_files=str(f), builtin=False).missiles == (Missile("Z", 5.0),)


def test_builtin_false_is_empty():
    assert Catalog.load(builtin=False) == Catalog()


# --- packaging and import weight -------------------------------------------------------------

def test_data_dir_is_the_checkout_data():
    assert data_dir() == REPO / "geo" / "data"
    assert {"sites.csv", "missiles.csv", "targets.csv", "README.md"} <= {p.name for p in data_dir().iterdir()}


def test_default_catalog_is_cached():
    assert default_catalog() is default_catalog()


def test_import_is_light():
    code = ("import sys, geo.catalog.tables; "
            "print(','.join(m for m in ('pandas', 'geopandas', 'folium', 'shapely') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_builtin_places_distinct_from_each_other():
    cat = default_catalog()
    pts = [(p.lat, p.lon) for p in cat.sites + cat.targets]
    assert len(set(pts)) == len(pts)
    assert all(math.isfinite(v) for pt in pts for v in pt)


@pytest.mark.parametrize("kind, query, name", [
    ("target", "Kadena Air Base", "Kadena Air Base (Okinawa)"),
    ("target", "Camp Humphreys", "Camp Humphreys (Desiderio Army Airfield)"),
    ("site", "Sinpo naval base", "Sinpo naval base (SLBM shipyard)"),
    ("site", "Hoejung-ri missile operating base", "Hoejung-ri missile operating base (Chagang)"),
])
def test_name_without_parenthetical(kind, query, name):
    assert getattr(default_catalog(), kind)(query).name == name
