"""Any place on Earth by name: GeoNames cities and countries after the catalogs."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.catalog import places
from geo.catalog.places import country_code, country_name, find, fold, resolve
from geo.catalog.tables import Place, default_catalog
from geo.cli.main import main
from geo.errors import NotFoundError

REPO = Path(__file__).resolve().parent.parent


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["Sao Paulo", "SAO PAULO", "são paulo", "Sao-Paulo", " sao   paulo "])
def test_forgiving_of_case_accents_and_spacing(query):
    p = resolve(query)
    assert (p.name, p.kind, p.country) == ("São Paulo, Brazil", "city", "Brazil")


@pytest.mark.parametrize("query, name", [("Peking", "Beijing, China"), ("Bombay", "Mumbai, India"),
                                         ("Kiev", "Kyiv, Ukraine"), ("Moskva", "Moscow, Russia"),
                                         ("Tokio", "Tokyo, Japan")])
def test_alternate_names(query, name):
    assert resolve(query).name == name


def test_ambiguous_name_takes_the_most_populous_and_says_so():
    p = resolve("London")
    assert (p.name, p.country, p.kind) == ("London, United Kingdom", "United Kingdom", "city")
    assert p.note.startswith("London → London, United Kingdom (also: London, Canada)")
    assert "rangemap find London" in p.note and "\n" not in p.note
    assert (p.lat, p.lon) == pytest.approx((51.50853, -0.12574))
    assert "GeoNames" in p.source and p.code == "2643743"


def test_unambiguous_name_has_no_note():
    assert resolve("Berlin, Germany").note == "" and resolve("Semnan").note == ""


@pytest.mark.parametrize("query, name", [
    ("London, Canada", "London, Canada"),
    ("London, CA", "London, Canada"),                  # CA is Canada before California
    ("london , canada", "London, Canada"),
    ("London, CAN", "London, Canada"),
    ("London, California", "London, California, United States"),
    ("London, Ohio", "London, Ohio, United States"),
    ("London, OH, US", "London, Ohio, United States"),
    ("Portland, OR", "Portland, Oregon, United States"),
    ("Portland, Maine", "Portland, Maine, United States"),
    ("Paris, France", "Paris, France"),
    ("Hyderabad, Pakistan", "Hyderabad, Pakistan"),
])
def test_qualified_names(query, name):
    p = resolve(query)
    assert p.name == name and p.note == ""


def test_qualified_name_that_still_matches_several_lists_them():
    with pytest.raises(NotFoundError) as e:
        resolve("London, US", "target")
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("target 'London, US' matches several places:")
    assert "London, Ohio, United States (10,060)" in msg and "London, Kentucky, United States" in msg
    assert "add a state or country" in msg


def test_qualifier_naming_nothing_finds_nothing():
    assert find("London, Narnia") == [] and resolve("London, Narnia") is None


@pytest.mark.parametrize("query", ["Japan", "japan", "JAPAN", "JP", "JPN"])
def test_countries(query):
    p = resolve(query)
    assert (p.name, p.kind, p.code, p.country) == ("Japan", "country", "JPN", "Japan")
    assert "capital, Tokyo" in p.source


@pytest.mark.parametrize("query, code", [("USA", "USA"), ("United States", "USA"), ("United States of America", "USA"),
                                         ("UK", "GBR"), ("Britain", "GBR"), ("Bosnia and Herz.", "BIH"),
                                         ("Kosovo", "KOS"), ("Somaliland", "SOL"), ("Antarctica", "ATA"),
                                         ("Côte d'Ivoire", "CIV"), ("Ivory Coast", "CIV"), ("Iran", "IRN")])
def test_country_names_from_geonames_natural_earth_and_common_use(query, code):
    p = resolve(query)
    assert (p.kind, p.code) == ("country", code)


def test_country_without_an_outline_is_a_territory():
    p = resolve("French Guiana")
    assert (p.kind, p.code) == ("territory", "GUF")


def test_country_beats_a_city_of_the_same_name():
    p = resolve("Singapore")
    assert p.kind == "country" and "Singapore, Singapore" in p.note
    assert resolve("Mexico").kind == "country"


def test_lowercase_two_letters_are_not_a_country_code():
    assert all(m.kind == "city" for m in find("jp"))


def test_find_lists_countries_then_cities_by_population():
    matches = find("London")
    assert [m.label for m in matches[:2]] == ["London, United Kingdom", "London, Canada"]
    cities = [m.population for m in matches]
    assert cities[:2] == sorted(cities[:2], reverse=True) and len(matches) >= 6
    assert find("Zzyzxqq") == [] and find(" ") == []


def test_closest_names_for_a_typo():
    assert places.closest("Lodnon", 3)[0] == "London, United Kingdom"
    assert places.closest("Zzyzxqq") == []


def test_cities_within_a_box():
    big = places.cities_within(35.0, 139.0, 36.0, 140.5, limit=3)
    assert big[0].label == "Tokyo, Japan" and big[0].population >= big[1].population >= big[2].population


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_notable_city_is_found_by_its_name_and_country(data):
    rows = _notable_cities()
    name, country, pop = data.draw(st.sampled_from(rows))
    matches = find(f"{name}, {country}")
    assert any(m.name == name and m.country == country and m.population == pop for m in matches)
    assert any(m.name == name for m in find(name.upper()))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=25))
def test_fold_is_idempotent_and_ignores_case(text):
    assert fold(fold(text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower()) or not text.isascii()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=6))
def test_the_bulk_fold_of_the_index_build_equals_fold(texts):
    assert places._fold_many(texts) == [fold(t.replace("\n", " ")) for t in texts]


def _notable_cities():
    if not hasattr(_notable_cities, "rows"):
        con = places._db()
        _notable_cities.rows = con.execute("SELECT name, country, population FROM place WHERE kind = 'city' "
                                           "AND population >= 1000000 ORDER BY id").fetchall()
    return _notable_cities.rows


def test_counts():
    stats = places.index_stats()
    assert stats["cities"] > 200_000 and 245 <= stats["countries"] <= 260


# --- countries by code or name ----------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [("CN", "CN"), ("cn", "CN"), ("China", "CN"), ("CHN", "CN"),
                                        ("People's Republic of China", "CN"), ("Russia", "RU"),
                                        ("United Kingdom", "GB"), ("UK", "GB"), ("USA", "US"), ("Türkiye", "TR")])
def test_country_code(text, code):
    assert country_code(text) == code


def test_unknown_country_code():
    with pytest.raises(NotFoundError, match="unknown country 'Narnia'"):
        country_code("Narnia")
    assert country_name("IR") == "Iran" and country_name("??") == "??"


# --- in the catalogs -------------------------------------------------------------------------------

def test_catalog_rows_win_over_places():
    cat = default_catalog()
    assert cat.target("Guam").name == "Guam (Andersen AFB)"          # not the territory
    assert cat.target("Tokyo").source == "Tokyo Metropolitan Government"
    assert cat.site("Pyongyang").name == "Pyongyang (city centre)"
    assert cat.site("Semnan").name == "Imam Khomeini Space Center (Semnan)"


def test_sites_serve_as_targets_and_targets_as_sites():
    cat = default_catalog()
    assert cat.target("Sohae").name == "Sohae Satellite Launching Station"
    assert cat.site("Darwin").name == "Darwin (RAAF Base Darwin)"


def test_places_wherever_a_site_or_target_is_expected():
    cat = default_catalog()
    berlin = cat.target("Berlin")
    assert isinstance(berlin, Place) and (berlin.name, berlin.kind) == ("Berlin, Germany", "city")
    assert cat.site("Beijing").country == "China"
    assert cat.target("Japan").kind == "country"


def test_unknown_name_lists_the_closest_across_catalogs_cities_and_countries():
    with pytest.raises(NotFoundError) as e:
        default_catalog().target("Lodnon")
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("unknown target 'Lodnon'; closest: London, United Kingdom")
    assert "rangemap find NAME" in msg and "LAT,LON" in msg
    with pytest.raises(NotFoundError, match="closest: Tokyo; Tokyo, Japan"):
        default_catalog().site("Tokoy")
    with pytest.raises(NotFoundError, match="closest: Germany"):
        default_catalog().target("Germanny")


def test_name_lookup_stays_light_and_fast():
    """A city name in a fresh process: no pandas, shapely, folium or JSON of the GeoNames data."""
    code = ("import sys, time; t = time.perf_counter(); from geo.catalog.tables import default_catalog; "
            "p = default_catalog().target('Berlin'); dt = time.perf_counter() - t; "
            "print(p.name); print(','.join(m for m in ('pandas', 'geopandas', 'folium', 'shapely', 'matplotlib') "
            "if m in sys.modules)); print(dt)")
    places.index_stats()                      # the index exists (built once per machine)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    name, heavy, _ = out.stdout.splitlines()
    assert name == "Berlin, Germany" and heavy == ""


def test_index_built_in_memory_when_no_folder_is_writable(tmp_path):
    """No writable cache folder: the index is built in memory, and names resolve.

    Built from a GeoNames folder of 3 cities (the full one takes about 10 s to index, and the same
    build code runs for the file index that the other tests use): what is checked is where the
    index goes, not how big it is.
    """
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    geonames = tmp_path / "geonames"
    geonames.mkdir()
    real = places._geonames_dir()
    for name in ("countries.json", "us_states.json"):
        (geonames / name).write_bytes((real / name).read_bytes())
    cities = {k: v for k, v in json.loads((real / "cities500.json").read_text("utf-8")).items()
              if v["name"] in ("São Paulo", "Berlin", "Lagos") and int(v["population"] or 0) > 1_000_000}
    (geonames / "cities500.json").write_text(json.dumps(cities), encoding="utf-8")
    code = (f"from pathlib import Path; from geo.catalog import places; "
            f"places._geonames_dir = lambda: Path({str(geonames)!r}); p = places.resolve('Sao Paulo'); "
            "print(p.name, places.index_stats()['cities'], places.index_path().parent.is_dir())")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO), "RANGEMAP_CACHE_DIR": str(blocker / "sub")})
    assert len(cities) == 3
    assert out.stdout.split() == ["São", "Paulo,", "Brazil", "3", "False"]


def test_index_is_a_valid_sqlite_file_named_by_its_sources():
    path = places.index_path()
    assert path.is_file() and path.name.startswith(f"places-v{places.INDEX_FORMAT}-")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert places._COUNTRIES_FILE == __import__("geo.catalog.countries", fromlist=["x"]).COUNTRIES_FILE


def test_index_name_follows_the_content_not_the_modification_time(tmp_path):
    """A fresh clone (new modification times, same data) finds the same index; new data a new one."""
    files = [tmp_path / f"source{i}.json" for i in range(2)]
    for i, f in enumerate(files):
        f.write_bytes(bytes(range(256)) * (300 + i))
    before = places._fingerprint(files)
    os.utime(files[0], (1, 1))
    assert places._fingerprint(files) == before
    files[1].write_bytes(bytes(range(256)) * 299 + b"x" * 256)          # same size, other content at the end
    assert places._fingerprint(files) != before


def test_only_old_indexes_of_other_data_are_removed(tmp_path):
    keep = tmp_path / "places-v2-aaaa.sqlite"
    recent, old, other = (tmp_path / n for n in ("places-v2-bbbb.sqlite", "places-v1-cccc.sqlite", "notes.txt"))
    for f in (keep, recent, old, other):
        f.write_text("x")
    now = time.time()
    os.utime(old, (now - places.STALE_INDEX_S - 60, now - places.STALE_INDEX_S - 60))
    os.utime(other, (1, 1))
    assert places._remove_old_indexes(keep, now) == [old]
    assert keep.exists() and recent.exists() and other.exists() and not old.exists()


# --- through the command line ------------------------------------------------------------------------

def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("target, shown", [("Berlin", "Berlin, Germany"), ("London", "London, United Kingdom"),
                                           ("London, Canada", "London, Canada")])
def test_check_a_world_missile_at_a_city(capsys, target, shown):
    status, out, err = run(capsys, "check", "--site", "Semnan", "--missile", "Khorramshahr", "--target", target)
    assert status == 0, err
    assert out.startswith(f"Khorramshahr from Imam Khomeini Space Center (Semnan) to {shown}: ")
    assert "Iranian officials via AP, May 2023" in out


def test_check_from_degrees_minutes_seconds(capsys):
    status, out, err = run(capsys, "check", "--site", "41°22'12\"N 126°54'49\"E", "--missile", "HS-12",
                           "--target", "Guam", "--json")
    assert status == 0, err
    doc = json.loads(out)
    assert doc["site"] == {"name": "41.3700, 126.9136", "lat": 41.37, "lon": pytest.approx(126.913611)}
    assert doc["verdict"] == "in range"


@pytest.mark.parametrize("argv, problem", [
    (["--target", "Lodnon"], "unknown target 'Lodnon'; closest: London, United Kingdom"),
    (["--target", "London, US"], "target 'London, US' matches several places"),
    (["--target", "41.37,126.91,5"], "more than one separator"),
    (["--target", "41N 126N"], "cannot read '41N 126N' as coordinates"),
])
def test_bad_names_and_coordinates_one_line_exit_2(capsys, argv, problem):
    status, out, err = run(capsys, "check", "--site", "Chagang", "--missile", "HS-12", *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and problem in err and "Traceback" not in err


def test_find_command(capsys):
    status, out, err = run(capsys, "find", "London")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "London: 8 places (a site or target takes the first)"
    assert lines[1].split()[:3] == ["London,", "United", "Kingdom"] and "pop. 8,961,989" in lines[1]
    assert "51.5085" in lines[1] and "-0.1257" in lines[1]
    assert lines[2].split()[:2] == ["London,", "Canada"]


def test_find_command_catalog_rows_first_and_json(capsys):
    status, out, _ = run(capsys, "find", "Pyongyang", "--json")
    rows = json.loads(out)
    assert status == 0 and [r["kind"] for r in rows] == ["catalog", "city"]
    assert rows[0]["name"] == "Pyongyang (city centre)" and rows[1]["population"] > 3_000_000
    status, out, _ = run(capsys, "find", "London", "--limit", "1", "--json")
    assert [r["name"] for r in json.loads(out)] == ["London, United Kingdom"]
    status, out, _ = run(capsys, "find", "41.37N 126.91E", "--json")
    assert json.loads(out)[0]["kind"] == "coordinates"


@pytest.mark.parametrize("argv, problem", [
    (["find", "Lodnon"], "no place named 'Lodnon'; closest: London, United Kingdom"),
    (["find", "London", "--limit", "0"], "--limit 0 must be at least 1"),
    (["find", "95,0"], "latitude 95 is outside"),
    (["list", "missiles", "--country", "Narnia"], "unknown country 'Narnia'"),
    (["list", "sites", "--country", "RU"], "--country lists missiles"),
])
def test_find_and_list_bad_input(capsys, argv, problem):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and err.count("\n") == 1 and problem in err


@pytest.mark.parametrize("country", ["RU", "ru", "Russia", "RUS"])
def test_list_missiles_of_a_country(capsys, country):
    status, out, err = run(capsys, "list", "missiles", "--country", country)
    assert status == 0, err
    names = [line.split(" [")[0] for line in out.splitlines() if not line.startswith(" ")]
    assert names == ["Iskander-M", "RS-24 Yars", "RS-12M2 Topol-M", "RS-28 Sarmat", "RSM-56 Bulava"]
    assert out.count("source: ") == len(names) and "Reuters" in out


def test_list_missiles_by_code_and_name_agree(capsys):
    _, by_code, _ = run(capsys, "list", "missiles", "--country", "CN", "--json")
    _, by_name, _ = run(capsys, "list", "missiles", "--country", "China", "--json")
    rows = json.loads(by_code)
    assert rows == json.loads(by_name) and len(rows) == 12 and {r["country"] for r in rows} == {"CN"}
    _, gb, _ = run(capsys, "list", "missiles", "--country", "United Kingdom", "--json")
    assert [r["name"] for r in json.loads(gb)] == ["Trident II D5"]


@pytest.mark.parametrize("code", ["KP", "CN", "RU", "US", "GB", "FR", "IN", "PK", "IR", "IL"])
def test_every_country_of_the_world_catalog_has_missiles(code):
    assert default_catalog().missiles_of(code)


def test_ambiguous_alternatives_sharing_a_label_are_told_apart():
    from geo.catalog import places

    note = places.resolve("San Jose").note
    also = note.partition("(also: ")[2].rpartition(")")[0].split("; ")
    assert len(also) == len(set(also)) >= 3                       # no two alternatives read the same
    assert any("Philippines (" in a and "°N" in a for a in also)
