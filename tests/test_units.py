"""Display units through ``main(argv)``: every distance a person reads in km, mi or nmi, by exact factors.

The expected numbers are computed here from the kilometre fields of the JSON and the defining
factors (1 mi = 1.609344 km exactly, 1 nmi = 1.852 km exactly), independently of
:mod:`geo.outputs.formatting`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from geo.cli.main import main

FACTOR = {"km": 1.0, "mi": 1.609344, "nmi": 1.852}
TARGETS = ["Guam", "Tokyo", "Washington", "Los Angeles"]


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def shown(km: float, units: str) -> str:
    return f"{round(km / FACTOR[units]):,} {units}"


def signed(km: float, units: str) -> str:
    value = round(km / FACTOR[units])
    return f"{'+' if value >= 0 else '-'}{abs(value):,} {units}"


@pytest.mark.parametrize("units", ["km", "mi", "nmi"])
@pytest.mark.parametrize("target", TARGETS)
def test_check_text_shows_every_distance_in_the_unit_asked_for(capsys, units, target):
    argv = ["check", "--site", "Chagang", "--missile", "Hwasong-14", "--target", target, "--units", units]
    doc = json.loads(run(capsys, *argv, "--json"))
    text = run(capsys, *argv)
    line = text.splitlines()[1]
    assert f"distance {shown(doc['distance_km'], units)}," in line
    assert f"range {shown(doc['range_km'], units)} (band {round(doc['range_band_km'][0] / FACTOR[units]):,}-" \
           f"{shown(doc['range_band_km'][1], units)})" in line
    assert f"margin {signed(doc['margin_km'], units)}," in line
    over = next(ln for ln in text.splitlines() if ln.strip().startswith("overflight:"))
    for stretch in doc["overflight"]:
        assert f"{stretch['name']} {round(stretch['enter_km'] / FACTOR[units]):,}-" \
               f"{shown(stretch['exit_km'], units)}" in over
    other = {"km", "mi", "nmi"} - {units}
    body = re.sub(r"1 (mi|nmi) = [\d.]+ km", "", text)      # the note giving the factor
    assert not any(re.search(rf"\d {u}\b", body) for u in other)
    if units != "km":
        assert f"1 {units} = {FACTOR[units]} km" in text


@pytest.mark.parametrize("units", ["mi", "nmi"])
def test_check_json_keeps_kilometres_and_names_the_unit(capsys, units):
    base = ["check", "--site", "Chagang", "--missile", "Hwasong-12", "--target", "Guam", "--json"]
    km = json.loads(run(capsys, *base))
    doc = json.loads(run(capsys, *base, "--units", units))
    assert km["units"] == "km" and doc["units"] == units
    for key in ("distance_km", "range_km", "margin_km", "range_band_km", "bearing_deg", "flight_time_min"):
        assert doc[key] == km[key]
    for key in ("distance", "range", "margin"):
        assert doc[f"{key}_{units}"] == pytest.approx(km[f"{key}_km"] / FACTOR[units], rel=1e-15)
    assert doc[f"range_band_{units}"] == pytest.approx([v / FACTOR[units] for v in km["range_band_km"]], rel=1e-15)
    assert doc[f"min_range_{units}"] is None
    assert not any(k.endswith("_mi" if units == "nmi" else "_nmi") for k in doc)


def test_check_table_adds_a_column_per_kilometre_column(capsys):
    out = run(capsys, "check", "--site", "Chagang", "--missile", "Hwasong-12", *sum((["--target", t] for t in TARGETS),
                                                                                     []), "--units", "mi", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    header = list(rows[0])
    assert header.index("distance_mi") == header.index("distance_km") + 1
    for row in rows:
        for key in ("distance", "range", "margin"):
            assert float(row[f"{key}_mi"]) == pytest.approx(float(row[f"{key}_km"]) / 1.609344, rel=1e-12)


def test_units_rejects_anything_else(capsys):
    status = main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam", "--units", "miles"])
    err = capsys.readouterr().err
    assert status == 2 and "invalid choice: 'miles'" in err and "km" in err and "nmi" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("units", ["mi", "nmi"])
def test_coverage_text_and_json(capsys, units):
    base = ["coverage", "--site", "Chagang", "--missile", "Hwasong-12"]
    doc = json.loads(run(capsys, *base, "--json", "--units", units))
    assert doc["units"] == units and doc["range_km"] == 4500
    assert doc[f"range_{units}"] == pytest.approx(4500 / FACTOR[units], rel=1e-15)
    assert doc[f"land_{units}2"] == pytest.approx(doc["land_km2"] / FACTOR[units] ** 2, rel=1e-12)
    text = run(capsys, *base, "--units", units)
    assert text.startswith(f"Hwasong-12 ({shown(4500, units)}) from")
    assert f"land within range: {doc['land_km2'] / FACTOR[units] ** 2 / 1e6:,.2f} million {units}²" in text
    assert " km" not in text


def test_coverage_names_area_shares_as_area_shares(capsys):
    text = run(capsys, "coverage", "--site", "Chagang", "--missile", "Hwasong-12")
    assert "Most people covered" not in text
    assert "Share of each country's area within range (most people within range first): China 100%, India 26.1%" \
        in text


@pytest.mark.parametrize("units", ["mi", "nmi"])
def test_report_shows_distances_in_the_unit_asked_for(capsys, tmp_path, units):
    path = tmp_path / "r.html"
    run(capsys, "report", "--site", "Chagang", "--missile", "Hwasong-12", "--target", "Guam", "--target", "Washington",
        "--units", units, "-o", str(path))
    page = path.read_text()
    doc = json.loads(run(capsys, "check", "--site", "Chagang", "--missile", "Hwasong-12", "--target", "Guam",
                         "--json"))
    assert f"Distance ({units})" in page and f"Margin ({units})" in page and "Distance (km)" not in page
    d = round(doc["distance_km"] / FACTOR[units])
    assert re.search(rf"data-value='{doc['distance_km']:.3f}'>{d:,}<", page)   # data-value stays km
    assert f"Guam (Andersen AFB) at {shown(doc['distance_km'], units)}" in page
    assert f"nominal range {shown(4500, units)}" in page
    assert f"1 {units} = {FACTOR[units]} km" in page


@pytest.mark.parametrize("units", ["mi", "nmi"])
def test_map_figure_in_miles(capsys, tmp_path, units):
    path = tmp_path / "f.svg"
    run(capsys, "map", "--site", "Chagang", "--missile", "Hwasong-12", "--target", "Guam", "--units", units,
        "-o", str(path))
    root = ET.parse(path).getroot()
    text = " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert f"Hwasong-12 {shown(4500, units)}" in text and shown(3540.258, units) in text
    assert f"Hwasong-12: {shown(4500, units)} (band {round(4500 / FACTOR[units]):,}–{shown(5000, units)})" in text
