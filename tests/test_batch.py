"""Checks at scale: target readers, batch_check against check_table, writers, Dask."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import distributed
import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyproj import Geod

from geo.analysis import batch
from geo.analysis.batch import COLUMNS, TargetTable, batch_check, batch_in_range, describe_skipped, read_targets
from geo.outputs import tables
from geo.outputs.tables import dask_check, write_table
from geo.catalog.tables import Missile, Place
from geo.errors import CatalogFileError, InputError
from geo.outputs.files import MARKER
from geo.analysis.assessment import VERDICTS
from geo.analysis.reach import check_table

GEOD = Geod(ellps="WGS84")
SITES = [Place("Chagang", 41.369883, 126.907), Place("Sohae", 39.66, 124.705)]
MISSILES = [Missile("Hwasong-12", 4500.0, range_low_km=4500.0, range_high_km=5000.0),
            Missile("Hwasong-14", 10400.0, range_low_km=6700.0, range_high_km=10400.0),
            Missile("Short", 1000.0, min_range_km=300.0)]


def random_targets(n: int, seed: int = 0) -> TargetTable:
    rng = np.random.default_rng(seed)
    lats = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    return TargetTable(np.array([f"t{i}" for i in range(n)], dtype=object), lats, rng.uniform(-180, 180, n))


def places(targets: TargetTable) -> list[Place]:
    return [Place(n, la, lo) for n, la, lo in zip(targets.names, targets.lats, targets.lons)]


# ---- readers ---------------------------------------------------------------------------------

def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_reads_any_header_case_extra_columns_bom_and_multiline_names(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes('\ufeffNAME,Lat,LON,notes\nGuam,13.58,144.92,x\n"Two\nlines",-12.5,130.9,\n'.encode())
    t = read_targets(p)
    assert t.names.tolist() == ["Guam", "Two\nlines"]
    assert t.lats.tolist() == [13.58, -12.5] and t.lons.tolist() == [144.92, 130.9]
    assert t.skipped == [] and t.path == p and t.unit == "line" and len(t) == 2


def test_csv_bad_lines_3_and_7_are_named_in_one_line(tmp_path):
    p = write(tmp_path / "t.csv", "name,lat,lon\nA,1,2\nB,abc,2\nC,3,4\nD,5,6\nE,7,8\nF,95,9\nG,1,1\n")
    with pytest.raises(CatalogFileError) as e:
        read_targets(p)
    msg = str(e.value)
    assert "\n" not in msg and str(p) in msg and "2 invalid" in msg
    assert "line 3: lat 'abc' is not a number" in msg and "line 7: lat 95 is outside [-90, 90]" in msg
    assert msg.endswith("fix them or pass --skip-invalid")


def test_csv_skip_returns_the_physical_line_numbers(tmp_path):
    text = ('name,lat,lon\n"multi\nline",1,2\n\nbad lon,1,200\n  \n,1,1\nnan lat,nan,1\nempty lat,,1\n'
            'short,1\ninf,1e400,2\nok,-90,180\n')
    t = read_targets(write(tmp_path / "t.csv", text), on_invalid="skip")
    assert t.names.tolist() == ["multi\nline", "ok"]
    assert t.skipped == [(5, "lon 200 is outside [-180, 180]"), (7, "empty name"),
                         (8, "lat nan is not a finite number"), (9, "missing lat"), (10, "missing lon"),
                         (11, "lat 1e400 is not a finite number")]
    assert describe_skipped(t) == f"skipped 6 invalid targets of {tmp_path / 't.csv'} (lines 5, 7, 8, 9, 10, 11)"


def test_more_than_five_bad_rows_are_counted(tmp_path):
    p = write(tmp_path / "t.csv", "name,lat,lon\n" + "x,y,z\n" * 8)
    with pytest.raises(CatalogFileError, match=r"8 invalid targets: line 2: .*line 6: [^;]*; and 3 more: fix"):
        read_targets(p)


def test_geojson_reports_feature_indices(tmp_path):
    feats = [{"type": "Feature", "properties": {"name": "Guam"},
              "geometry": {"type": "Point", "coordinates": [144.92, 13.58]}},
             {"type": "Feature", "properties": {"name": "line"},
              "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}},
             {"type": "Feature", "properties": {"name": "none"}, "geometry": None},
             {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
             {"type": "Feature", "properties": {"name": "far"}, "geometry": {"type": "Point", "coordinates": [0, 91]}},
             {"type": "Feature", "properties": {"name": "3d"}, "geometry": {"type": "Point", "coordinates": [1, 2, 3]}}]
    p = write(tmp_path / "t.geojson", json.dumps({"type": "FeatureCollection", "features": feats}))
    with pytest.raises(CatalogFileError, match="feature 1: geometry is LineString, not Point; feature 2: no geometry"):
        read_targets(p)
    t = read_targets(p, on_invalid="skip")
    assert t.names.tolist() == ["Guam", "3d"] and t.lats.tolist() == [13.58, 2.0]
    assert [n for n, _ in t.skipped] == [1, 2, 3, 4] and t.unit == "feature"
    assert t.skipped[2:] == [(3, "empty name"), (4, "lat 91 is outside [-90, 90]")]


def test_gpkg_points_layer_reprojected_and_fids_reported(tmp_path):
    import geopandas as gpd
    import shapely

    p, q = tmp_path / "mixed.gpkg", tmp_path / "points.gpkg"
    pts = gpd.GeoDataFrame({"Name": ["Guam", "poly", "Darwin"]},
                           geometry=[shapely.Point(144.92, 13.58), shapely.box(0, 0, 1, 1),
                                     shapely.Point(130.9, -12.5)], crs="EPSG:4326").to_crs("EPSG:3857")
    lines = gpd.GeoDataFrame({"name": ["l"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs="EPSG:4326")
    for path, layer in ((p, pts), (q, pts.iloc[[0, 2]])):
        layer.to_file(path, layer="targets", engine="pyogrio")
        lines.to_file(path, layer="lines", engine="pyogrio")
    with pytest.raises(CatalogFileError, match=r"layers targets \(Unknown\), lines \(LineString\): pass --layer"):
        read_targets(p)
    with pytest.raises(CatalogFileError, match=r"1 invalid target: fid 2: geometry is Polygon, not Point"):
        read_targets(p, layer="targets")
    for t in (read_targets(p, layer="targets", on_invalid="skip"), read_targets(q)):   # q: its only Point layer
        assert t.names.tolist() == ["Guam", "Darwin"] and t.unit == "fid"
        np.testing.assert_allclose(t.lats, [13.58, -12.5], atol=1e-9)
        np.testing.assert_allclose(t.lons, [144.92, 130.9], atol=1e-9)
    with pytest.raises(CatalogFileError, match="GeoPackage"):
        read_targets(p, layer="nope")


def test_parquet_with_lat_lon_or_wkb_geometry(tmp_path):
    import geopandas as gpd
    import shapely

    pd.DataFrame({"NAME": ["a", "b"], "lat": [1.0, np.nan], "lon": [2.0, 3.0]}).to_parquet(tmp_path / "a.parquet")
    t = read_targets(tmp_path / "a.parquet", on_invalid="skip")
    assert t.names.tolist() == ["a"] and t.skipped == [(1, "missing lat")] and t.unit == "row"
    gdf = gpd.GeoDataFrame({"name": ["p", "q", "r"]}, crs="EPSG:4326",
                           geometry=[shapely.Point(10, 20), shapely.LineString([(0, 0), (1, 1)]), None])
    gdf.to_parquet(tmp_path / "g.parquet")
    with pytest.raises(CatalogFileError, match="row 1: geometry is LineString, not Point; row 2: no geometry"):
        read_targets(tmp_path / "g.parquet")
    gdf.to_crs(3857).to_parquet(tmp_path / "m.parquet")
    with pytest.raises(CatalogFileError, match="reproject to EPSG:4326"):
        read_targets(tmp_path / "m.parquet")


@pytest.mark.parametrize("name, text", [
    ("t.csv", "name,lat,lon\n"),
    ("t.geojson", '{"type": "FeatureCollection", "features": []}'),
])
def test_empty_input_gives_empty_table_and_empty_result(tmp_path, name, text):
    t = read_targets(write(tmp_path / name, text))
    assert len(t) == 0 and t.skipped == []
    df = batch_check(SITES, MISSILES, t)
    assert list(df.columns) == list(COLUMNS) and len(df) == 0
    assert df["distance_km"].dtype == float and df["verdict"].dtype == "str"


def test_empty_parquet(tmp_path):
    pd.DataFrame({"name": pd.Series([], dtype=str), "lat": [], "lon": []}).to_parquet(tmp_path / "e.parquet")
    assert len(read_targets(tmp_path / "e.parquet")) == 0


@pytest.mark.parametrize("name, content, match", [
    ("t.txt", "x", r"unknown target file type '\.txt': use \.csv, \.geojson"),
    ("missing.csv", None, "no such file"),
    ("t.csv", "", "empty file"),
    ("t.csv", "name,lat\nA,1\n", "needs columns name, lat, lon"),
    ("t.csv", "name,lat,lon,Lat\nA,1,2,3\n", "duplicate column 'Lat'"),
    ("t.csv", 'name,lat,lon\n"A,1,2\n', "cannot read as CSV"),
    ("t.csv", b"name,lat,lon\n\xff,1,2\n", r"t\.csv: line 2, column 'name': byte 0xFF is not UTF-8 text"),
    ("t.geojson", "{not json", "cannot read as JSON"),
    ("t.json", '{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ("t.parquet", "not parquet", "cannot read as Parquet"),
    ("t.gpkg", "not a geopackage", "cannot read as GeoPackage"),
])
def test_unreadable_files_raise_one_line(tmp_path, name, content, match):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CatalogFileError, match=match) as e:
        read_targets(p)
    assert "\n" not in str(e.value)


def test_reader_options_are_checked(tmp_path):
    p = write(tmp_path / "t.csv", "name,lat,lon\n")
    with pytest.raises(InputError, match="'fail' or 'skip'"):
        read_targets(p, on_invalid="drop")
    with pytest.raises(InputError, match="--layer"):
        read_targets(p, layer="x")


# ---- batch_check -----------------------------------------------------------------------------

def scenario() -> TargetTable:
    t = random_targets(300, seed=3)
    near = TargetTable(np.array(["near", "antipode", "site itself"], dtype=object),
                       np.array([41.5, -41.369883, 41.369883]), np.array([127.0, -53.093, 126.907]))
    return TargetTable(*(np.concatenate([a, b]) for a, b in
                         ((t.names, near.names), (t.lats, near.lats), (t.lons, near.lons))))


@pytest.mark.parametrize("chunk_size", [batch.CHUNK, 7])
def test_batch_check_equals_check_table_row_for_row(chunk_size):
    t = scenario()
    got = batch_check(SITES, MISSILES, t, chunk_size=chunk_size)
    pd.testing.assert_frame_equal(got, check_table(SITES, MISSILES, places(t)))
    assert set(got["verdict"]) == set(VERDICTS)


def test_verdicts_equal_exact_pyproj_distance_within_range():
    t = random_targets(20_000, seed=5)
    df = batch_check(SITES, MISSILES, t)
    for s in SITES:
        _, _, d = GEOD.inv(np.full(len(t), s.lon), np.full(len(t), s.lat), t.lons, t.lats)
        d = d / 1000.0
        for m in MISSILES:
            rows = df[(df.site == s.name) & (df.missile == m.name)]
            np.testing.assert_array_equal(rows["distance_km"].to_numpy(), d)
            close = d < (m.min_range_km or -1)
            expect = np.where(close, "too close", np.where(d <= m.certain_km, "in range",
                              np.where(d <= m.max_km, "possibly in range", "out of range")))
            np.testing.assert_array_equal(rows["verdict"].to_numpy(dtype=object), expect)


def test_progress_bar_only_when_asked_and_on_a_terminal(capsys, monkeypatch):
    batch_check(SITES, MISSILES, random_targets(10), progress=True)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    batch_check(SITES, MISSILES, random_targets(10))
    assert capsys.readouterr().err == ""
    batch_check(SITES, MISSILES, random_targets(10), progress=True, chunk_size=4)
    out = capsys.readouterr()
    assert "10/10" in out.err and out.out == ""


def test_batch_in_range_agrees_with_the_verdicts():
    t = scenario()
    fast = batch_in_range(SITES, MISSILES, t, chunk_size=50)
    assert list(fast.columns) == ["site", "target", "lat", "lon", "Hwasong-12_in_range",
                                  "Hwasong-12_possibly_in_range", "Hwasong-14_in_range",
                                  "Hwasong-14_possibly_in_range", "Short_in_range"]
    full = batch_check(SITES, MISSILES, t)
    for m in MISSILES:
        v = full[full.missile == m.name]["verdict"].to_numpy(dtype=object)
        np.testing.assert_array_equal(fast[f"{m.name}_in_range"], v == "in range")
        if f"{m.name}_possibly_in_range" in fast:
            np.testing.assert_array_equal(fast[f"{m.name}_possibly_in_range"], v == "possibly in range")
    assert fast["Short_in_range"].any() and (full.verdict == "too close").any()
    empty = batch_in_range(SITES, MISSILES, TargetTable.from_places([]))
    assert list(empty.columns) == list(fast.columns) and len(empty) == 0


def test_batch_in_range_is_exact_at_the_boundaries():
    site, target = SITES[:1], TargetTable.from_places([Place("Guam", 13.58111, 144.92444)])
    d = float(batch_check(site, MISSILES[:1], target)["distance_km"][0])
    up, down = np.nextafter(d, np.inf), np.nextafter(d, -np.inf)
    edge = [Missile("at d", d), Missile("just short", down), Missile("min at d", 2 * d, min_range_km=d),
            Missile("min past d", 2 * d, min_range_km=up), Missile("band to d", down, range_high_km=d)]
    verdict = batch_check(site, edge, target)["verdict"].tolist()
    assert verdict == ["in range", "out of range", "in range", "too close", "possibly in range"]
    fast = batch_in_range(site, edge, target).iloc[0]
    assert [fast[f"{m.name}_in_range"] for m in edge] == [v == "in range" for v in verdict]
    assert fast["band to d_possibly_in_range"]


def test_batch_in_range_refuses_repeated_missiles():
    with pytest.raises(InputError, match="repeat"):
        batch_in_range(SITES, [MISSILES[0], MISSILES[0]], scenario())


# ---- write_table -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def table():
    return batch_check(SITES, MISSILES, scenario())


def test_write_csv_and_parquet_round_trip_exactly(tmp_path, table):
    pd.testing.assert_frame_equal(pd.read_csv(write_table(table, tmp_path / "t.csv"), dtype={"target": str}),
                                  table, check_dtype=False)
    back = pq.read_table(write_table(table, tmp_path / "t.parquet")).to_pandas()
    pd.testing.assert_frame_equal(back, table, check_dtype=False)


def test_write_json_records_exactly(tmp_path, table):
    records = json.loads(write_table(table, tmp_path / "t.json").read_text(encoding="utf-8"))
    assert isinstance(records, list) and len(records) == len(table)
    back = pd.DataFrame(records).astype({"share": float, "farthest_km": float})   # all null: a country's only
    pd.testing.assert_frame_equal(back, table, check_dtype=False)


def test_write_geojson_points_at_targets(tmp_path, table):
    path = write_table(table, tmp_path / "t.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc and len(doc["features"]) == len(table)
    f = doc["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [table.target_lon[0], table.target_lat[0]]}
    row = table.iloc[0].to_dict()
    assert f["properties"] == {k: None if isinstance(v, float) and v != v else v for k, v in row.items()}
    back = gpd.read_file(path)
    np.testing.assert_allclose(back.geometry.y, table.target_lat)
    assert back["verdict"].tolist() == table["verdict"].tolist()


def test_write_nan_as_null_and_unicode(tmp_path):
    df = pd.DataFrame({"target": ["Pyŏngyang"], "lat": [1.0], "lon": [2.0], "x": [np.nan]})
    assert json.loads(write_table(df, tmp_path / "t.json").read_text(encoding="utf-8")) == [
        {"target": "Pyŏngyang", "lat": 1.0, "lon": 2.0, "x": None}]
    assert json.loads((write_table(df, tmp_path / "t.geojson")).read_text())["features"][0]["geometry"][
        "coordinates"] == [2.0, 1.0]


def test_write_unknown_extension_or_folder(tmp_path, table):
    with pytest.raises(InputError, match=r"unknown table format '\.xlsx': use \.csv, \.json, \.geojson, \.parquet"):
        write_table(table, tmp_path / "t.xlsx")
    with pytest.raises(InputError, match="does not exist"):
        write_table(table, tmp_path / "no" / "t.csv")
    with pytest.raises(InputError, match="needs target_lat"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.geojson")
    assert list(tmp_path.iterdir()) == []


def test_write_failure_leaves_the_old_file_and_no_temporary(tmp_path, table, monkeypatch):
    out = tmp_path / "t.csv"
    out.write_text("old")

    def half(df, tmp):
        Path(tmp).write_text("partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(tables._WRITERS, ".csv", half)
    with pytest.raises(InputError, match="cannot write .*the disk is full"):
        write_table(table, out)
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["t.csv"]


# ---- Dask ------------------------------------------------------------------------------------
# (dashboard_address=None still takes port 8787 in this distributed; ":0" takes a free one.)

# Dask's own Parquet reader still calls reset_index(inplace=True), deprecated in pandas 3.1.
dask_warnings = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")

#: Targets of the Dask tests: enough for several partitions and row groups, few enough to be quick
#: (the partitioning, not the size, is what these tests check; batch_check's scale is tested above).
DASK_TARGETS = 20_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """20k random targets in a Parquet file with 8 row groups, and the batch_check reference."""
    t = random_targets(DASK_TARGETS, seed=11)
    path = tmp_path_factory.mktemp("dask") / "targets.parquet"
    frame = pd.DataFrame({"name": t.names, "lat": t.lats, "lon": t.lons})
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=DASK_TARGETS // 8)
    return path, sort(batch_check(SITES[:1], MISSILES, t))


def sort(df):
    return df.sort_values(["site", "missile", "target"]).reset_index(drop=True)


def check_output(summary, out, reference):
    got = pd.read_parquet(out)
    pd.testing.assert_frame_equal(sort(got), reference, check_dtype=False)
    assert summary.path == out and summary.rows == len(reference) and summary.skipped == []
    assert summary.verdicts == {v: int((reference.verdict == v).sum()) for v in VERDICTS}
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


@dask_warnings
def test_dask_check_local_threads_equals_batch_check(big, tmp_path):
    path, reference = big
    out = tmp_path / "out.parquet"
    out.mkdir()
    (out / MARKER).write_text("{}")                      # an earlier run's folder...
    (out / "stale.parquet").write_text("old run")        # ...replaced whole
    summary = dask_check(path, SITES[:1], MISSILES, out, blocksize=100_000)
    check_output(summary, out, reference)


@dask_warnings
def test_dask_check_on_a_local_cluster_equals_batch_check(big, tmp_path, dask_cluster):
    path, reference = big
    with distributed.Client(dask_cluster) as client:
        out = tmp_path / "a.parquet"
        check_output(dask_check(path, SITES[:1], MISSILES, out, scheduler=client, blocksize=100_000),
                     out, reference)
    out, one_group = tmp_path / "b.parquet", tmp_path / "one-group.parquet"
    pq.write_table(pq.read_table(path), one_group, row_group_size=DASK_TARGETS)
    rows = DASK_TARGETS * len(MISSILES)
    summary = dask_check(one_group, SITES[:1], MISSILES, out, scheduler=dask_cluster.scheduler_address,
                         partition_rows=rows // 4)            # the one group split in 4
    check_output(summary, out, reference)
    assert len(list(out.glob("*.parquet"))) == 4


@dask_warnings
def test_dask_check_invalid_rows_fail_or_skip(tmp_path):
    src = tmp_path / "t.parquet"
    pd.DataFrame({"name": ["a", "b", "c", ""], "lat": [1.0, 95.0, 3.0, 4.0], "lon": [2.0, 3.0, 4.0, 5.0]}
                 ).to_parquet(src)
    out = tmp_path / "out.parquet"
    with pytest.raises(CatalogFileError, match="2 invalid targets: partition 0 row 1: lat 95 is outside.*"
                                               "partition 0 row 3: empty name: fix them"):
        dask_check(src, SITES, MISSILES, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]
    summary = dask_check(src, SITES, MISSILES, out, on_invalid="skip")
    assert summary.skipped == [("partition 0 row 1", "lat 95 is outside [-90, 90]"),
                               ("partition 0 row 3", "empty name")]
    t = read_targets(src, on_invalid="skip")
    pd.testing.assert_frame_equal(sort(pd.read_parquet(out)), sort(batch_check(SITES, MISSILES, t)),
                                  check_dtype=False)
    assert summary.rows == 2 * len(SITES) * len(MISSILES)


def test_dask_check_refuses_a_missing_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        dask_check(tmp_path / "t.parquet", SITES, MISSILES, tmp_path / "no" / "out.parquet")
