"""Near orbital in every output: where the rotating model does not bound the range toward a target
(a reach of UNBOUNDED_KM, 19,500 km, a stand-in), no output shows that reach or a margin as a
number; every table says which model produced its numbers; coverage, captions and legends say
where a drawn region is not bounded."""

import csv
import io
import json
import re
import sqlite3

import numpy as np
import pandas as pd
import pytest

from geo.analysis.assessment import assess
from geo.analysis.regions import UNBOUNDED_KM
from geo.analysis.scenario import Scenario
from geo.cli.main import main
from geo.outputs import formatting

# Hwasong-15 from Pyongyang: Guam in range, Cape Town out (in the gap), Buenos Aires (near the
# antipode) near orbital; a 15,000 km class is near orbital toward bearings 74-107°.
SITE, MISSILE = "Pyongyang", "Hwasong-15"
TARGETS = ("Guam", "Cape Town", "Buenos Aires, Argentina")
SCENARIO = ["--site", SITE, "--missile", MISSILE, *[a for t in TARGETS for a in ("--target", t)], "--model", "rotating"]
STAND_IN = re.compile(r"19,?500(\.0+)?(?!\d)")


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def test_the_scenario_has_one_near_orbital_cell():
    a = assess(Scenario.resolve(SITE, MISSILE, list(TARGETS), model="rotating"))
    assert a.near_orbital.tolist() == [[[False, False, True]]]
    assert a.reach_km[0, 0, 2] == UNBOUNDED_KM


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def check_rows(rows, model="rotating", near=(False, False, True), reach_columns=("range_km", "margin_km")):
    assert [str(r["near_orbital"]).lower() for r in rows] == [str(n).lower() for n in near]
    assert {r["model"] for r in rows} == {model}
    for r, n in zip(rows, near):
        for c in reach_columns:
            if n:
                assert r[c] in ("", None) or (isinstance(r[c], float) and np.isnan(r[c])), (c, r[c])
            else:
                assert float(r[c]) == float(r[c])           # a number


# --- tables: stdout, CSV, JSON, GeoJSON, Parquet ------------------------------------------------

def test_table_on_stdout_has_no_reach_where_near_orbital(capsys):
    out = run(capsys, "check", *SCENARIO, "--csv")
    rows = rows_of(out)
    check_rows(rows)
    assert not STAND_IN.search(out)
    assert rows[0]["range_km"].startswith("16995.")            # Guam: the reach toward it, a number


def test_table_json_on_stdout_nulls_reach_and_margin_in_every_unit(capsys):
    rows = json.loads(run(capsys, "check", *SCENARIO, "--json", "--units", "mi"))
    check_rows(rows, reach_columns=("range_km", "margin_km", "range_mi", "margin_mi"))
    assert rows[2]["near_orbital"] is True and rows[0]["near_orbital"] is False
    assert rows[2]["distance_mi"] > 12_000                     # the distance is still given


@pytest.mark.parametrize("suffix", ["csv", "json", "geojson", "parquet"])
def test_table_files_have_no_reach_where_near_orbital(capsys, tmp_path, suffix):
    path = tmp_path / f"t.{suffix}"
    out = run(capsys, "check", *SCENARIO, "-o", str(path))
    assert "1 possibly in range" in out
    if suffix == "csv":
        rows = rows_of(path.read_text(encoding="utf-8"))
    elif suffix == "json":
        rows = json.loads(path.read_text(encoding="utf-8"))
    elif suffix == "geojson":
        rows = [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
    else:
        rows = pd.read_parquet(path).to_dict("records")
    check_rows(rows)
    if suffix != "parquet":
        assert not STAND_IN.search(path.read_text(encoding="utf-8"))


def test_terminal_table_says_near_orbital_instead_of_a_reach(capsys):
    out = run(capsys, "check", *SCENARIO)
    assert not STAND_IN.search(out) and "near orbital" in out.splitlines()[3]
    assert "16,996" in out.splitlines()[1]                     # Guam: the reach toward it (16,995.6), rounded


def test_geodesic_table_says_its_model_and_is_never_near_orbital(capsys):
    rows = rows_of(run(capsys, "check", *SCENARIO[:-2], "--csv"))
    check_rows(rows, model="geodesic", near=(False, False, False))


def test_csv_keeps_spreadsheet_safety_on_near_orbital_rows(capsys, tmp_path):
    path = tmp_path / "t.csv"
    run(capsys, "check", "--site", SITE, "--missile", MISSILE, "--target", "-34.61315,-58.37723",
        "--target", "Guam", "--model", "rotating", "-o", str(path))
    targets = tmp_path / "targets.csv"
    targets.write_text('name,lat,lon\n"=HYPERLINK(""x"")",-34.61315,-58.37723\n', encoding="utf-8")
    for out in (run(capsys, "check", "--site", SITE, "--missile", MISSILE, "--targets-table", str(targets),
                    "--model", "rotating", "--csv"),
                (run(capsys, "check", "--site", SITE, "--missile", MISSILE, "--targets-table", str(targets),
                     "--model", "rotating", "-o", str(path)), path.read_text(encoding="utf-8"))[1]):
        (row,) = rows_of(out)
        assert row["target"].startswith("'=") and row["near_orbital"].lower() == "true" and row["range_km"] == ""


def test_python_tables_carry_model_and_near_orbital():
    from geo.analysis.batch import TargetTable, batch_check
    from geo.analysis.reach import check_table
    from geo.catalog import default_catalog

    cat = default_catalog()
    table = check_table([SITE], [MISSILE], list(TARGETS), model="rotating")
    assert table["near_orbital"].tolist() == [False, False, True] and set(table["model"]) == {"rotating"}
    batch = batch_check([cat.site(SITE)], [cat.missile(MISSILE)],
                        TargetTable.from_places([cat.target(t) for t in TARGETS]), model="rotating")
    pd.testing.assert_frame_equal(batch, table, check_dtype=False)


def test_dask_parquet_has_no_reach_where_near_orbital(tmp_path):
    from geo.outputs.tables import dask_check
    from geo.catalog import default_catalog

    cat = default_catalog()
    src = tmp_path / "targets.parquet"
    pd.DataFrame({"name": ["Guam", "BA"], "lat": [13.58111, -34.61315], "lon": [144.92444, -58.37723]}).to_parquet(src)
    summary = dask_check(src, [cat.site(SITE)], [cat.missile(MISSILE)], tmp_path / "out.parquet",
                         scheduler="synchronous", model="rotating")
    rows = pd.read_parquet(summary.path).sort_values("target").to_dict("records")
    check_rows(rows, near=(True, False))                      # BA, Guam


# --- GIS exports -----------------------------------------------------------------------------------

def export_paths(capsys, tmp_path, suffix):
    path = tmp_path / f"e.{suffix}"
    run(capsys, "export", *SCENARIO, "-o", str(path))
    return path


def test_geojson_export_paths(capsys, tmp_path):
    doc = json.loads(export_paths(capsys, tmp_path, "geojson").read_text(encoding="utf-8"))
    paths = [f["properties"] for f in doc["features"] if f["properties"]["layer"] == "paths"]
    check_rows(paths)
    assert paths[2]["range_km"] is None and paths[2]["margin_km"] is None
    rings = [f["properties"] for f in doc["features"] if f["properties"]["layer"] == "rings"]
    assert {r["model"] for r in rings} == {"rotating"}
    # the Hwasong-15's regions (13,000 km nominal, 12,874 km in range) are drawn out to 19,500 km
    # toward the bearings where the farthest shots reach the antipode's neighbourhood
    assert [(r["kind"], r["near_orbital"], r["near_orbital_bearings"]) for r in rings] == [
        ("nominal", True, "bearings 82-103°"), ("certain", True, "bearings 82-103°")]


def test_gpkg_export_paths(capsys, tmp_path):
    path = export_paths(capsys, tmp_path, "gpkg")
    with sqlite3.connect(path) as db:
        rows = [dict(zip(("range_km", "margin_km", "near_orbital", "model"), r))
                for r in db.execute("SELECT range_km, margin_km, near_orbital, model FROM paths ORDER BY fid")]
    assert [r["near_orbital"] for r in rows] == [0, 0, 1] and {r["model"] for r in rows} == {"rotating"}
    assert rows[2]["range_km"] is None and rows[2]["margin_km"] is None and rows[0]["range_km"] > 16_000


def test_kml_export_paths(capsys, tmp_path):
    text = export_paths(capsys, tmp_path, "kml").read_text(encoding="utf-8")
    buenos = text[text.index("to Buenos Aires, Argentina:"):]
    buenos = buenos[:buenos.index("</Placemark>")]
    data = dict(re.findall(r'<Data name="(\w+)">\s*(?:<value>([^<]*)</value>|<value\s*/>)', buenos))
    assert data.get("range_km", "") == "" and data.get("margin_km", "") == ""
    assert data["near_orbital"] == "true" and data["model"] == "rotating"
    assert "range_km: near orbital: this model does not bound the range" in buenos
    assert not STAND_IN.search(buenos) and "nan" not in buenos.lower().replace("nanometre", "")


# --- report ----------------------------------------------------------------------------------------

def test_report_table_summary_and_map_show_no_reach_where_near_orbital(capsys, tmp_path):
    import html

    path = tmp_path / "r.html"
    run(capsys, "report", *SCENARIO, "-o", str(path))
    page = path.read_text(encoding="utf-8")
    table = re.search(r"<section id='table'>(.*?)</section>", page, flags=re.S)[1]
    (buenos,) = [row for row in table.split("<tr>") if "Buenos Aires" in row]
    assert buenos.count(">near orbital<") == 3                # reach, margin, and why no flight time
    assert "data-value='19400." in buenos                     # the distance keeps its value
    assert not STAND_IN.search(buenos) and "+99" not in buenos
    assert formatting.NEAR_ORBITAL_TEXT.partition(": ")[2] in table             # the note under the table
    summary = re.search(r"<section id='summary'>(.*?)</section>", page, flags=re.S)[1]
    assert "Buenos Aires, Argentina at 19,400 km (near orbital: this model does not bound the range)" in summary
    frame = html.unescape(re.search(r'srcdoc="([^"]*)"', page)[1])
    from test_render import blob

    data = blob(frame)
    (target,) = [t for t in data["targets"] if t["title"].startswith("Buenos")]
    line = "".join(s if isinstance(s, str) else s["b"] for s in target["lines"][0])
    assert formatting.NEAR_ORBITAL_TEXT in line and not STAND_IN.search(line)
    assumptions = re.search(r"<section id='assumptions'>(.*?)</section>", page, flags=re.S)[1]
    assert "exact regions within the range" not in assumptions
    assert "near orbital toward bearings 82-103°" in assumptions


# --- web map, figure -------------------------------------------------------------------------------

def test_web_map_legend_says_what_is_drawn_and_where_unbounded(capsys, tmp_path):
    from geo.outputs.webmap import build_map

    m = build_map(SITE, [15_000], ["Buenos Aires, Argentina"], model="rotating")
    notes = " ".join(m.data["legend"]["notes"])
    assert "edge of the region covered without a gap" in notes
    assert "near orbital toward bearings 74-107°, where this model does not bound the range" in notes
    assert "exact geodesic" not in json.dumps(m.data)
    tips = [" ".join("".join(s if isinstance(s, str) else s["b"] for s in line) for line in r["tip"]["lines"])
            for r in m.data["regions"]]
    assert any("near orbital toward bearings 74-107°" in t for t in tips)
    target_line = "".join(s if isinstance(s, str) else s["b"] for s in m.data["targets"][0]["lines"][0])
    assert formatting.NEAR_ORBITAL_TEXT in target_line and not STAND_IN.search(target_line)
    # bounded everywhere (Hwasong-12): no near-orbital note
    bounded = build_map(SITE, ["Hwasong-12"], ["Guam"], model="rotating")
    assert not any("near orbital" in n for n in bounded.data["legend"]["notes"])
    path = tmp_path / "m.html"
    run(capsys, "map", "--site", SITE, "--range", "15000", "--model", "rotating", "-o", str(path))
    assert "near orbital toward bearings 74-107" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("view", ["world", "site"])
def test_figure_under_rotating_model_does_not_call_rings_geodesic(view):
    from geo.outputs.figure import figure

    fig = figure(SITE, [15_000], ["Buenos Aires, Argentina"], model="rotating", view=view)
    text = " ".join(t.get_text().replace("\n", " ") for t in fig.texts)
    assert "exact geodesic" not in text
    assert "edge of the region covered without a gap" in text
    assert "near orbital toward bearings 74-107°, where this model does not bound the range" in text
    plain = " ".join(t.get_text() for t in figure(SITE, ["Hwasong-12"], ["Guam"], model="rotating",
                                                  view=view).texts)
    assert "near orbital" not in plain and "exact geodesic" not in plain
    if view == "world":
        assert "exact geodesic" in " ".join(t.get_text() for t in figure(SITE, [15_000], view=view).texts)


# --- coverage --------------------------------------------------------------------------------------

def test_coverage_text_carries_the_near_orbital_caveat(capsys):
    lines = run(capsys, "coverage", "--site", SITE, "--range", "15000", "--model", "rotating").splitlines()
    assert lines[1].startswith("Caveat: near orbital toward bearings 74-107°, where this model does not bound "
                               "the range; the region is drawn out to 19,500 km in those directions")
    assert lines[2].startswith("Countries within range:")
    for argv in (("--range", "15000"), ("--missile", "Hwasong-14", "--model", "rotating")):    # bounded: no caveat
        assert "near orbital" not in run(capsys, "coverage", "--site", SITE, *argv)


def test_coverage_json_carries_the_near_orbital_caveat(capsys):
    doc = json.loads(run(capsys, "coverage", "--site", SITE, "--range", "15000", "--model", "rotating", "--json"))
    assert doc["near_orbital"] is True and doc["near_orbital_bearings_deg"] == [[73.75, 107.0]]
    assert doc["near_orbital_note"].startswith("near orbital toward bearings 74-107°")
    plain = json.loads(run(capsys, "coverage", "--site", SITE, "--range", "15000", "--json"))
    assert plain["near_orbital"] is False and plain["near_orbital_bearings_deg"] == [] \
        and plain["near_orbital_note"] is None


def test_coverage_csv_notes_the_caveat_on_stderr(capsys):
    status = main(["coverage", "--site", SITE, "--range", "15000", "--model", "rotating", "--csv"])
    out, err = capsys.readouterr()
    assert status == 0 and out.startswith("name,") and "near orbital toward bearings 74-107°" in err


# --- the rule itself -------------------------------------------------------------------------------

def test_one_sentence_for_near_orbital():
    import geo.core.ballistics as ballistics
    from geo.outputs.text import NEAR_ORBITAL_TEXT as text_sentence

    assert formatting.NEAR_ORBITAL_TEXT == text_sentence == "near orbital: this model does not bound the range"
    assert not hasattr(ballistics, "NEAR_ORBITAL_TEXT")         # defined once, in outputs/formatting.py


def test_reach_cell_reads_a_check():
    a = assess(Scenario.resolve(SITE, MISSILE, list(TARGETS), model="rotating"))
    guam, _, buenos = a.checks()
    assert formatting.reach_cell(guam) == "16,996 km" == formatting.reach_cell(guam.range_km, False)
    assert formatting.reach_cell(guam, signed=True, units="mi") == "+8,453 mi"
    assert formatting.reach_cell(buenos) == formatting.NEAR_ORBITAL_TEXT
    assert formatting.reach_cell(buenos, signed=True, short=True) == "near orbital"
    assert formatting.reach_value(buenos) is None and formatting.reach_value(guam) == guam.range_km


# --- second review ---------------------------------------------------------------------------------

def test_single_target_json_has_a_boolean_flag_and_the_sentence_beside_it(capsys):
    """As in the tables: `near_orbital` is a boolean on every answer; the sentence is in
    `near_orbital_note`; a band end the model does not bound is null (never Infinity)."""
    far = json.loads(run(capsys, "check", "--site", SITE, "--missile", MISSILE, "--target", "Buenos Aires, Argentina",
                         "--model", "rotating", "--json"))
    assert far["near_orbital"] is True and far["near_orbital_note"] == formatting.NEAR_ORBITAL_TEXT
    assert far["range_km"] is None and far["margin_km"] is None and far["verdict"] == "possibly in range"
    assert far["range_band_km"][1] is None
    near = json.loads(run(capsys, "check", "--site", SITE, "--missile", MISSILE, "--target", "Guam", "--model",
                          "rotating", "--json"))
    assert near["near_orbital"] is False and near["near_orbital_note"] is None


def test_a_near_target_on_a_near_orbital_bearing_is_in_range(capsys):
    """Tokyo, 1,289 km from Pyongyang on a bearing the Hwasong-15's shots cover out to the
    antipode's neighbourhood: in range (it was 'possibly in range'); no reach figure to quote."""
    doc = json.loads(run(capsys, "check", "--site", SITE, "--missile", MISSILE, "--target", "Tokyo", "--model",
                         "rotating", "--json"))
    assert doc["verdict"] == "in range" and doc["near_orbital"] is True and doc["range_km"] is None
    import geo

    c = geo.check(SITE, MISSILE, "Tokyo", model="rotating")
    assert c.verdict == "in range" and c.range_km == float("inf") and c.margin_km == float("inf")


def test_where_the_region_comes_back_beyond_a_gap_is_said_though_not_drawn(capsys, tmp_path):
    """Beyond 18,173 km from Pyongyang, on any bearing, shots of the Hwasong-15 class that came down
    near the antipode may reach a target ('possibly in range'); the maps do not draw that zone, so
    the report's assumptions say where it starts."""
    from geo.analysis.unbounded import comes_back_km

    assert round(comes_back_km("rotating", 39.0194, 125.7381, 13_000)) == 18_173
    out = tmp_path / "r.html"
    run(capsys, "report", *SCENARIO, "-o", str(out))
    assumptions = re.search(r"<section id='assumptions'>(.*?)</section>", out.read_text(encoding="utf-8"),
                            flags=re.S)[1]
    assert "from 18,173 km on, on any bearing, this model does not bound the range" in assumptions
