"""``geo.threats`` and ``rangemap threats``: who can reach a place, against a brute force over the catalog."""

import csv
import json
import math

import pytest

import geo
from geo.analysis.threats import Threat, Threats, threats
from geo.catalog.places import country_code
from geo.catalog.tables import default_catalog
from geo.cli.main import main

REACHING = ("in range", "possibly in range")


def _state(country: str) -> str | None:
    """The brute force's own reading of a site's state: the lessee of a leased site, else its country."""
    if "leased by" in country:
        country = country.split("leased by", 1)[1].rstrip(") ")
    return country_code(country) if country else None


def brute_force(place, country=None, model="geodesic"):
    """Every catalog site × missile checked one by one with geo.check, same state only."""
    cat = default_catalog()
    rows = []
    for site in cat.sites:
        state = _state(site.country)
        if state is None or (country and state != country) or "not a launch site" in site.notes.lower():
            continue
        for m in cat.missiles:
            if state not in m.country.split(";"):
                continue
            c = geo.check(site, m, place, model=model)
            if c.verdict in REACHING:
                rows.append((state, site.name, m.name, c.verdict, c.distance_km, c.margin_km, c.flight_time_min))
    return rows


@pytest.mark.parametrize("place, country", [("Guam", None), ("Tokyo", "KP"), ((64.8, -147.7), None),
                                            ((-33.9, 151.2), "CN")])
def test_threats_equal_brute_force(place, country):
    t = threats(place, country=country)
    want = brute_force(place, country)
    got = [(r.state, r.site.name, r.missile.name, r.verdict, r.distance_km, r.margin_km, r.flight_time_min)
           for r in t.rows]
    assert len(got) == len(want) and len(got) > 0
    assert sorted(got, key=lambda r: (r[1], r[2])) == pytest.approx(sorted(want, key=lambda r: (r[1], r[2])),
                                                                    rel=1e-12)
    margins = [r.margin_km for r in t.rows]
    assert margins == sorted(margins, reverse=True)              # best margin first


def test_threats_guam_names_the_founding_pair_and_counts_pairs():
    t = threats("Guam")
    assert isinstance(t, Threats) and isinstance(t.rows[0], Threat)
    founding = [r for r in t.rows if r.missile.name == "Hwasong-12" and r.site.name.endswith("(Chagang)")]
    assert len(founding) == 1 and round(founding[0].margin_km) == 960 and round(founding[0].distance_km) == 3540
    cat = default_catalog()
    assert t.pairs_tried == sum(1 for s in cat.sites for m in cat.missiles if _state(s.country) in m.country.split(";")
                                and "not a launch site" not in s.notes.lower())
    assert {"KP", "RU", "CN", "US"} <= set(t.states)
    with pytest.raises(Exception):
        t.rows = ()                                              # frozen


def test_threats_baikonur_fires_russian_missiles():
    t = threats("Guam", country="RU")
    assert any(r.site.name == "Baikonur Cosmodrome" for r in t.rows)
    assert {r.state for r in t.rows} == {"RU"}


def test_threats_rotating_model_matches_brute_force():
    # One site and one missile class (a user catalog): the rotating model flies the class missile,
    # which takes seconds per class on a fresh cache.
    cat = geo.Catalog(sites=(geo.Place("Chagang", 41.369883, 126.913631, country="North Korea"),),
                      missiles=(default_catalog().missile("Hwasong-12"),), targets=())
    for place in (default_catalog().target("Guam"), (13.6, 150.0), (20.0, 165.0)):
        t = threats(place, model="rotating", catalog=cat)
        c = geo.check(cat.sites[0], cat.missiles[0], place, model="rotating")
        assert [(r.verdict, r.distance_km, r.range_km) for r in t.rows] == \
            ([(c.verdict, c.distance_km, c.range_km)] if c.verdict in REACHING else [])


def test_threats_refuses_a_whole_country():
    with pytest.raises(geo.InputError, match="not a whole country"):
        threats("Japan")


# --- the command -------------------------------------------------------------------

def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_threats_text_table(capsys):
    status, out, err = run(capsys, "threats", "--target", "Guam", "--country", "North Korea")
    lines = out.splitlines()
    assert status == 0 and err == ""
    assert lines[0].startswith("Who can reach Guam (Andersen AFB) (13.5811°N 144.9244°E)? ")
    assert "WGS84 geodesic (Karney)" in lines[1] and "place: FAA airport data" in lines[1]
    header = lines[2]
    assert header.split()[:3] == ["margin", "verdict", "missile"]
    rows = [line for line in lines[3:] if line.lstrip()[:1] in "+-"]
    assert len(rows) == len(brute_force("Guam", "KP"))
    assert len({line.index(" KP ") for line in rows}) == 1          # aligned columns
    hs12 = next(line for line in rows if "Hwasong-12" in line and "Chagang" in line)
    minutes = round(geo.check("Chagang", "Hwasong-12", "Guam").flight_time_min)
    assert hs12.split()[:3] == ["+960", "km", "in"] and f"about {minutes} min" in hs12
    assert any(line.startswith("  range sources: ") for line in lines)


def test_cli_threats_units_and_json(capsys):
    status, out, _ = run(capsys, "threats", "--target", "Guam", "--country", "KP", "--units", "nmi", "--json")
    doc = json.loads(out)
    want = brute_force("Guam", "KP")
    assert status == 0 and len(doc) == len(want)
    first = doc[0]
    assert first["units"] == "nmi" and first["distance_nmi"] == pytest.approx(first["distance_km"] / 1.852)
    assert {d["verdict"] for d in doc} <= set(REACHING)
    assert [d["margin_km"] for d in doc] == sorted((d["margin_km"] for d in doc), reverse=True)


def test_cli_threats_nothing_reaches(capsys):
    status, out, err = run(capsys, "threats", "--target", "Guam", "--country", "IR")
    assert status == 0 and err == ""
    assert "0 site × missile pairs of 8 tried" in out
    assert out.rstrip().endswith("No catalog missile reaches this place from a site of its own state.")


def test_cli_threats_table_files(capsys, tmp_path):
    for name in ("t.csv", "t.json"):
        status, out, _ = run(capsys, "threats", "--target", "Guam", "--country", "RU", "-o", str(tmp_path / name))
        assert status == 0 and out.startswith(str(tmp_path / name))
    rows = list(csv.DictReader(open(tmp_path / "t.csv", encoding="utf-8")))
    doc = json.loads((tmp_path / "t.json").read_text())
    want = brute_force("Guam", "RU")
    assert len(rows) == len(doc) == len(want)
    assert sorted(float(r["distance_km"]) for r in rows) == pytest.approx(sorted(w[4] for w in want), rel=1e-12)


def test_cli_threats_geojson_draws_the_rings_that_reach(capsys, tmp_path):
    path = tmp_path / "t.geojson"
    status, _, _ = run(capsys, "threats", "--target", "Guam", "--country", "RU", "-o", str(path))
    features = json.loads(path.read_text())["features"]
    pairs = {(f["properties"]["site"], f["properties"]["missile"]) for f in features
             if f["properties"]["layer"] == "rings"}
    want = {(w[1], w[2]) for w in brute_force("Guam", "RU")}
    assert status == 0 and pairs == want
    assert [f["properties"]["name"] for f in features if f["properties"]["layer"] == "targets"] == ["Guam (Andersen AFB)"]
    assert all(f["properties"]["verdict"] in REACHING for f in features if f["properties"]["layer"] == "paths")


@pytest.mark.parametrize("argv, message", [
    (["--target", "Guam", "-o", "x.html"], "must end in .csv"),
    (["--target", "Guam", "--json", "-o", "x.csv"], "give one of them"),
    (["--target", "Guam", "--country", "Atlantis"], "unknown country 'Atlantis'"),
    (["--target", "Japan"], "not a whole country"),
    (["--target", "Guam", "--country", "JP"], "the catalog has no missile of JP"),
    (["--target", "Guam", "--model", "sphere"], "invalid choice"),
    (["--target", ""], "give the place"),
])
def test_cli_threats_bad_input(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "threats", *argv)
    assert status == 2 and out == "" and message in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_threats_from_a_launch_area_equal_checks_from_its_nearest_point():
    from geo.analysis.launch_area import launch_area
    from geo.core.buffer import nearest_point

    area = launch_area("North Korea")
    guam = default_catalog().target("Guam")
    n = nearest_point(area.geometry, guam.lat, guam.lon)
    t = threats(guam, launch_area="North Korea")
    want = {}
    for m in default_catalog().missiles_of("KP"):
        c = geo.check((n.lat, n.lon), m, guam)
        if c.verdict in REACHING:
            want[m.name] = (c.verdict, c.margin_km, c.flight_time_min)
    assert {r.missile.name: (r.verdict, r.margin_km, r.flight_time_min) for r in t.rows} == want
    assert t.area_site.lat == n.lat and t.pairs_tried == len(default_catalog().missiles_of("KP"))
    # from anywhere in the country, no catalog site of it does better
    best = {}
    for r in threats(guam, country="KP").rows:
        best[r.missile.name] = max(best.get(r.missile.name, -math.inf), r.margin_km)
    for r in t.rows:
        assert r.margin_km >= best.get(r.missile.name, -math.inf) - 1.0


def test_cli_threats_launch_area(capsys, tmp_path):
    status, out, _ = run(capsys, "threats", "--target", "Guam", "--launch-area", "KP")
    assert status == 0 and "fired from anywhere in North Korea, whose nearest point is 38.3594°N 128.1703°E" in out
    box = tmp_path / "box.geojson"
    box.write_text(json.dumps({"type": "Polygon", "coordinates": [[[140, 20], [150, 20], [150, 30], [140, 30],
                                                                   [140, 20]]]}))
    status, out, err = run(capsys, "threats", "--target", "Guam", "--launch-area", str(box))
    assert status == 2 and "add --country CODE" in err
    status, out, _ = run(capsys, "threats", "--target", "Guam", "--launch-area", str(box), "--country", "US", "--json")
    doc = json.loads(out)
    assert status == 0 and {d["missile"] for d in doc} == {"Trident II D5", "LGM-30G Minuteman III"}
    assert doc[0]["distance_km"] == pytest.approx(_geodesic_km(13.58111, 144.92444, 20.0, 144.92444), abs=0.01)


def _geodesic_km(lat1, lon1, lat2, lon2):
    from geographiclib.geodesic import Geodesic

    return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0


def test_an_impact_range_is_never_a_launch_site():
    """The Kura range on Kamchatka is in the catalog as the place Russia's ICBM tests land ("not a
    launch site"): no threat is fired from it, and --site RU does not expand to it."""
    cat = default_catalog()
    kura = cat.site("Kura")
    assert "not a launch site" in kura.notes.lower()
    assert all(r.site.name != kura.name for r in threats("Guam").rows)
    assert kura not in cat.sites_of("RU") and cat.site("Plesetsk") in cat.sites_of("RU")
