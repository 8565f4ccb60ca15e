"""Checks at scale: every site × missile × target for millions of targets.

Targets come from CSV, GeoJSON, GeoPackage or Parquet (:func:`read_targets`);
:func:`batch_check` gives the same table as :func:`geo.reach.check_table`, computed
in chunks of targets; :func:`batch_in_range` gives yes/no columns only, through the
fast :func:`geo.engine.in_range_matrix` (:func:`geo.outputs.tables.write_table` writes any of
them atomically); :func:`dask_checks` runs the same per-chunk code over a Parquet data set
too large for one machine's memory, on local threads or a Dask cluster
(:func:`geo.outputs.tables.dask_check` writes its result).

Examples
--------
>>> from geo.catalog import default_catalog
>>> cat = default_catalog()
>>> targets = TargetTable.from_places([cat.target("Guam"), cat.target("Washington")])
>>> table = batch_check([cat.site("Chagang")], [cat.missile("HS-12")], targets)
>>> table[["target", "verdict"]].values.tolist()
[['Guam (Andersen AFB)', 'in range'], ['Washington, DC', 'out of range']]
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd

from ..catalog.tables import Missile, Place, not_utf8
from ..errors import CatalogFileError, InputError, MissingDependencyError, RangemapError
from .assessment import VERDICTS, measure, near_orbital_cells

__all__ = ["COLUMNS", "TargetTable", "DaskSummary", "DaskChecks", "read_targets", "describe_skipped",
           "batch_check", "batch_in_range", "dask_checks", "dask_compute", "check_scheduler",
           "DASK_CONNECT_TIMEOUT_S"]

#: Columns of :func:`batch_check`, exactly those of :func:`geo.reach.check_table`.
COLUMNS = ("site", "site_lat", "site_lon", "missile", "target", "target_lat", "target_lon",
           "distance_km", "range_km", "margin_km", "bearing_deg", "verdict", "model", "near_orbital",
           "target_kind", "share", "farthest_km")
_TEXT = ("site", "missile", "target", "verdict", "model", "target_kind")
_BOOL = ("near_orbital",)
CHUNK = 200_000
_FIX = "fix them or pass --skip-invalid"


@dataclass(frozen=True, eq=False)
class TargetTable:
    """Valid targets of one file, and the rows that were skipped as invalid.

    `skipped` holds ``(number, reason)`` pairs, where the number is a ``unit``:
    the physical ``line`` of a CSV (header = line 1), the 0-based ``feature`` index
    of a GeoJSON, the ``fid`` of a GeoPackage feature, the 0-based ``row`` of a Parquet.
    """

    names: np.ndarray
    lats: np.ndarray
    lons: np.ndarray
    skipped: list = field(default_factory=list)
    path: Path | None = None
    unit: str = "line"

    def __len__(self) -> int:
        return len(self.lats)

    @classmethod
    def from_places(cls, places: Sequence[Place]) -> TargetTable:
        """A table of catalog places.

        >>> len(TargetTable.from_places([Place("A", 1.0, 2.0)]))
        1
        """
        return cls(np.array([p.name for p in places], dtype=object),
                   np.array([p.lat for p in places], dtype=float), np.array([p.lon for p in places], dtype=float))


def _coord_problem(raw, value: float, col: str, limit: int) -> str:
    if abs(value) <= limit:
        return ""
    if isinstance(raw, (int, np.integer)) and not isinstance(raw, bool):
        raw = str(raw)                                  # exact, however long (a float would overflow)
    elif isinstance(raw, (float, np.floating)):
        raw = None if math.isnan(raw) else format(raw, ".15g")
    text = "" if raw is None else str(raw).strip()
    if len(text) > 40:
        text = text[:40] + "…"
    if not text:
        return f"missing {col}"
    if math.isnan(value) and text.casefold() != "nan":
        return f"{col} {text!r} is not a number"
    if not math.isfinite(value):
        return f"{col} {text} is not a finite number"
    return f"{col} {text} is outside [-{limit}, {limit}]"


def _text_problems(names: np.ndarray, problems: dict) -> None:
    """Mark names holding a control character (tab and line breaks are allowed: a quoted CSV cell
    may hold them) or a lone surrogate; one fast search over all names when none does."""
    # The text rules live with the escaping of every medium (an upward import, kept lazy).
    from ..validate import control_character, describe_character, quote

    if not len(names) or control_character("".join(names), allow_breaks=True) is None:
        return
    for i, name in enumerate(names):
        bad = control_character(name, allow_breaks=True)
        if bad is not None and i not in problems:
            problems[i] = f"name {quote(name, 60)} contains {describe_character(bad)}"


def _bool_problems(values: pd.Series, col: str, problems: dict) -> None:
    """Mark booleans given as coordinates: True is not latitude 1."""
    if values.dtype == bool:
        hit = np.ones(len(values), dtype=bool)
    elif values.dtype == object:
        hit = values.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    else:
        return
    for i in np.flatnonzero(hit):
        problems.setdefault(int(i), f"{col} {bool(values.iat[i])!r} is not a number but a boolean")


def _numbers(values: pd.Series) -> np.ndarray:
    """Floats of a column; text that is not a number is NaN, a number too large for a float is inf."""
    try:
        return pd.to_numeric(values, errors="coerce").to_numpy(float, na_value=np.nan)
    except (OverflowError, ValueError, TypeError):          # a 400-digit integer
        def one(v):
            try:
                return float(v)
            except OverflowError:
                return math.inf
            except (TypeError, ValueError):
                return math.nan
        return np.array([one(v) for v in values], dtype=float)


def _not_utf8(raw: bytes) -> str:
    return f"name {raw[:24]!r}{'…' if len(raw) > 24 else ''} is not UTF-8 text"


def _as_text(names, problems: dict) -> pd.Series:
    """Names as an object Series of text. Bytes (a Parquet binary column, or a string column
    holding bytes that are not UTF-8) are decoded as UTF-8; a name that is not UTF-8 is marked."""
    try:
        values = pd.Series(names, dtype=object)
    except Exception as e:                  # pyarrow's ArrowException ("Wrapping … failed")
        arrow = getattr(getattr(names, "array", None), "__arrow_array__", None)
        if arrow is None or type(e).__module__.split(".")[0] != "pyarrow":
            raise
        import pyarrow as pa

        values = pd.Series(arrow().cast(pa.binary()).to_pylist(), dtype=object)
    raw = values.map(lambda v: isinstance(v, (bytes, bytearray, memoryview)))
    for i in np.flatnonzero(raw.to_numpy(dtype=bool)):
        b = bytes(values.iat[i])
        try:
            values.iat[i] = b.decode("utf-8")
        except UnicodeDecodeError:
            values.iat[i] = ""
            problems.setdefault(int(i), _not_utf8(b))
    return values


def _points(names, lat, lon, problems: dict | None = None):
    """Validate targets: ``(ok mask, names, lats, lons, bad positions, reasons)``."""
    problems = dict(problems or {})
    names = _as_text(names, problems).fillna("")
    try:
        names = names.astype("str").str.strip().to_numpy(dtype=object)
    except UnicodeEncodeError:             # a lone surrogate (GeoJSON "\ud800"): marked below
        names = np.array([str(v).strip() for v in names], dtype=object)
    lat, lon = pd.Series(lat), pd.Series(lon)
    _text_problems(names, problems)
    _bool_problems(lat, "lat", problems)
    _bool_problems(lon, "lon", problems)
    lats, lons = (_numbers(s) for s in (lat, lon))
    ok = (np.abs(lats) <= 90) & (np.abs(lons) <= 180) & (names != "")
    ok[list(problems or ())] = False
    bad = np.flatnonzero(~ok)
    reasons = [(problems or {}).get(i) or _coord_problem(lat.iat[i], lats[i], "lat", 90)
               or _coord_problem(lon.iat[i], lons[i], "lon", 180) or "empty name" for i in bad]
    return ok, names, lats, lons, bad, reasons


def _invalid(path, unit: str, skipped: list) -> CatalogFileError:
    shown = "; ".join(f"{unit} {n}: {why}" for n, why in skipped[:5])
    more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    s = "s" if len(skipped) > 1 else ""
    return CatalogFileError(f"{path}: {len(skipped)} invalid target{s}: {shown}{more}: {_FIX}")


def _table(path, unit, numbers, names, lat, lon, on_invalid, problems=None) -> TargetTable:
    ok, names, lats, lons, bad, reasons = _points(names, lat, lon, problems)
    skipped = list(zip((int(n) for n in numbers(bad)), reasons)) if len(bad) else []
    if skipped and on_invalid == "fail":
        raise _invalid(path, unit, skipped)
    return TargetTable(names[ok], lats[ok], lons[ok], skipped, path, unit)


def _pick(columns, path, *, geometry: str | None = None) -> tuple:
    """Case-insensitive ``(name, lat, lon, geometry)`` column names; lat/lon win over geometry."""
    found = {}
    for c in columns:
        if str(c).casefold() in found:
            raise CatalogFileError(f"{path}: duplicate column {c!r}: keep one")
        found[str(c).casefold()] = c
    if "name" in found and "lat" in found and "lon" in found:
        return found["name"], found["lat"], found["lon"], None
    geometry = geometry or found.get("geometry")
    if "name" in found and geometry in columns:
        return found["name"], None, None, geometry
    raise CatalogFileError(f"{path}: needs columns name, lat, lon (or name and a point geometry); "
                           f"it has {', '.join(map(str, columns)) or 'none'}")


def _record_lines(path) -> np.ndarray:
    """Physical first line of each CSV record after the header, skipping blank lines as pandas does."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader, starts, start = csv.reader(fh), [], 1
        for record in reader:
            if len(record) > 1 or (record and record[0].strip()):
                starts.append(start)
            start = reader.line_num + 1
    return np.array(starts[1:])


def _csv_not_utf8(path) -> CatalogFileError:
    """The first place where a CSV file is not UTF-8, as one line naming the line and the column."""
    with open(path, "rb") as fh:
        return CatalogFileError(f"{path}: {not_utf8(fh)}: save it as CSV UTF-8")


def _read_csv(path, on_invalid, layer):
    """CSV via pandas: lat/lon columns with only numbers (or empty cells) parse fast as floats;
    a column with any other text stays text, so each bad cell can be quoted."""
    try:
        name, lat, lon, _ = _pick(list(pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns), path)
        if lat is None:
            raise CatalogFileError(f"{path}: needs columns name, lat, lon")
        df = pd.read_csv(path, usecols=[name, lat, lon], dtype={name: str}, keep_default_na=False,
                         na_values=[""], encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise CatalogFileError(f"{path}: empty file: the first line must be a header such as name,lat,lon") from None
    except CatalogFileError:
        raise
    except UnicodeDecodeError:
        raise _csv_not_utf8(path) from None
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise CatalogFileError(f"{path}: cannot read as CSV ({' '.join(str(e).split())}): "
                               "save it as CSV UTF-8 and check the quotes") from None

    def lines(bad):          # csv and pandas should agree on the records; if not, count records + 1
        try:
            starts = _record_lines(path)
        except (csv.Error, OSError, ValueError):
            return bad + 2
        return starts[bad] if len(starts) == len(df) else bad + 2

    return _table(path, "line", lines, df[name], df[lat], df[lon], on_invalid)


def _coordinate(v):
    """A GeoJSON coordinate as a float, or None if it is not a finite number (True is not 1)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    try:
        v = float(v)                       # a 400-digit integer overflows
    except OverflowError:
        return None
    return v if math.isfinite(v) else None


_SURROGATE_BYTE = re.compile("[\udc80-\udcff]")


def _read_geojson(path, on_invalid, layer):
    raw = False
    try:
        try:
            data = json.loads(Path(path).read_bytes())
        except UnicodeDecodeError:       # bytes that are not UTF-8: kept as surrogates, marked per feature
            raw = True
            data = json.loads(Path(path).read_bytes().decode("utf-8", "surrogateescape"))
    except RecursionError:
        raise CatalogFileError(f"{path}: cannot read as JSON (nested too deeply): check the file") from None
    except (OSError, ValueError) as e:
        raise CatalogFileError(f"{path}: cannot read as JSON ({' '.join(str(e).split())}): check the file") from None
    feats = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(feats, list):
        raise CatalogFileError(f"{path}: not a GeoJSON FeatureCollection: give one of Point features")
    names, lats, lons, problems = [], [], [], {}
    for i, f in enumerate(feats):
        props = (f.get("properties") if isinstance(f, dict) else None) or {}
        geom = (f.get("geometry") if isinstance(f, dict) else None) or {}
        name = props.get("name") if isinstance(props, dict) else None
        if raw and isinstance(name, str) and _SURROGATE_BYTE.search(name):
            problems[i] = _not_utf8(name.encode("utf-8", "surrogateescape"))
        names.append(name if name is None or isinstance(name, str) else json.dumps(name)[:200])
        xy = geom.get("coordinates") if isinstance(geom, dict) else None
        if isinstance(geom, dict) and geom.get("type") == "Point" and isinstance(xy, list) and len(xy) in (2, 3):
            values = [_coordinate(v) for v in xy]
            if None not in values:
                lons.append(values[0]), lats.append(values[1])
                continue
        lons.append(None), lats.append(None)
        kind = geom.get("type") if isinstance(geom, dict) else None
        problems[i] = ("no geometry" if not kind else f"geometry is {kind if isinstance(kind, str) and kind.isalnum() and len(kind) < 40 else repr(str(kind)[:40])}, not Point" if kind != "Point"
                       else "Point coordinates must be finite numbers [lon, lat]")
    return _table(path, "feature", lambda bad: bad, names, lats, lons, on_invalid, problems)


def _geom_points(geoms):
    """``(lats, lons, problems)`` of an array of shapely geometries; only non-empty Points are valid."""
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    kind, empty = shapely.get_type_id(geoms), shapely.is_empty(geoms)
    ok = (kind == 0) & ~empty
    lats, lons = np.full(len(geoms), np.nan), np.full(len(geoms), np.nan)
    lats[ok], lons[ok] = shapely.get_y(geoms[ok]), shapely.get_x(geoms[ok])
    problems = {i: "no geometry" if kind[i] < 0 else "empty Point" if kind[i] == 0
                else f"geometry is {geoms[i].geom_type}, not Point" for i in np.flatnonzero(~ok)}
    return lats, lons, problems


#: Points of a projected file may lie this far (degrees) outside their CRS's area of use.
AREA_MARGIN_DEG = 1.0


def _area_problems(gdf, crs, problems: dict) -> None:
    """Mark points that do not survive the trip to lon/lat and back, or lie outside the area of use
    of their CRS (EPSG:3857 at 1e30 m would become (90, -180))."""
    import shapely
    from pyproj import Transformer

    geoms = gdf.geometry.to_numpy()
    points = np.flatnonzero((shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms))
    if not len(points):
        return
    x, y = shapely.get_x(geoms[points]), shapely.get_y(geoms[points])
    forward = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    with np.errstate(all="ignore"):
        lon, lat = forward.transform(x, y, errcheck=False)
        bx, by = forward.transform(lon, lat, direction="INVERSE", errcheck=False)
        scale = np.maximum(1.0, np.maximum(np.abs(x), np.abs(y)))
        bad = ~(np.isfinite(lon) & np.isfinite(lat) & (np.hypot(bx - x, by - y) <= 1e-6 * scale))
    area = crs.area_of_use
    where = ""
    if area is not None:
        w, s_, e, n = area.bounds
        m = AREA_MARGIN_DEG
        inside_lon = (lon >= w - m) & (lon <= e + m) if w <= e else (lon >= w - m) | (lon <= e + m)
        bad |= ~(inside_lon & (lat >= s_ - m) & (lat <= n + m))
        where = f" (lon {w:g} to {e:g}, lat {s_:g} to {n:g})"
    name = crs.to_string() if crs.to_epsg() is None else f"EPSG:{crs.to_epsg()}"
    for k in np.flatnonzero(bad):
        problems.setdefault(int(points[k]), f"point ({x[k]:.6g}, {y[k]:.6g}) is outside the area of use of "
                                            f"{name}{where}")


def _read_gpkg(path, on_invalid, layer):
    import pyogrio
    from pyproj.exceptions import CRSError

    problems: dict = {}
    try:
        if layer is None:
            layers = pyogrio.list_layers(path)
            points = [n for n, g in layers if str(g).startswith("Point")]
            if len(layers) != 1 and len(points) != 1:
                listed = ", ".join(f"{n} ({g})" for n, g in layers) or "none"
                raise CatalogFileError(f"{path}: layers {listed}: pass --layer NAME of a layer of Points")
            layer = points[0] if points else layers[0][0]
        try:
            gdf, latin = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True), False
        except UnicodeDecodeError:      # text that is not UTF-8: read byte for byte, rows marked below
            gdf, latin = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True, encoding="latin-1"), True
        if gdf.crs is not None and not gdf.crs.equals("EPSG:4326", ignore_axis_order=True):
            _area_problems(gdf, gdf.crs, problems)
            gdf = gdf.to_crs("EPSG:4326")
    except (OSError, RuntimeError, ValueError, TypeError, CRSError) as e:   # pyogrio's errors are RuntimeErrors
        raise CatalogFileError(f"{path}: cannot read as GeoPackage ({' '.join(str(e).split())}): "
                               "check the file and --layer") from None
    if getattr(gdf, "geometry", None) is None or "geometry" not in gdf:
        raise CatalogFileError(f"{path}: layer {layer!r} has no geometry: give a layer of Points")
    name = _pick([c for c in gdf.columns if c != gdf.geometry.name] + [gdf.geometry.name], path)[0]
    lats, lons, geom_problems = _geom_points(gdf.geometry.to_numpy())
    problems = {**geom_problems, **problems}
    fids = gdf.index.to_numpy()
    names = gdf[name].map(lambda v: v.encode("latin-1") if isinstance(v, str) else v) if latin else gdf[name]
    return _table(path, "fid", lambda bad: fids[bad], names, lats, lons, on_invalid, problems)


def _parquet_spec(path) -> tuple:
    """Columns to read from a Parquet file or folder; only lon/lat geometry is accepted."""
    import pyarrow.dataset as ds
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        schema = ds.dataset(str(path), format="parquet").schema
    except (OSError, ValueError, TypeError) as e:        # pyarrow.ArrowInvalid is a ValueError
        raise CatalogFileError(f"{path}: cannot read as Parquet ({' '.join(str(e).split())}): check the file") from None
    bad = f"{path}: the GeoParquet 'geo' metadata"
    raw = (schema.metadata or {}).get(b"geo")
    try:
        geo = json.loads(raw) if raw else {}
    except (ValueError, RecursionError) as e:
        raise CatalogFileError(f"{bad} is not JSON ({e}): write the file again, e.g. with geopandas") from None
    columns = geo.get("columns", {}) if isinstance(geo, dict) else None
    primary = geo.get("primary_column") if isinstance(geo, dict) else None
    if not isinstance(columns, dict) or not isinstance(primary, (str, type(None))):
        raise CatalogFileError(f"{bad} has the wrong shape (an object with 'primary_column' and 'columns' "
                               "expected): write the file again, e.g. with geopandas")
    spec = _pick(schema.names, path, geometry=primary)
    meta = columns.get(spec[3], {}) if spec[3] else {}
    if not isinstance(meta, dict):
        raise CatalogFileError(f"{bad} for column {spec[3]!r} is not an object: write the file again")
    crs = meta.get("crs")
    if crs is not None:
        try:
            crs = CRS.from_user_input(crs)
        except (CRSError, TypeError, ValueError) as e:
            raise CatalogFileError(f"{bad} names an unknown CRS ({' '.join(str(e).split())[:200]}): "
                                   "write the geometry in EPSG:4326") from None
        if not crs.equals("EPSG:4326", ignore_axis_order=True):
            raise CatalogFileError(f"{path}: geometry is in {crs.name}: "
                                   "reproject to EPSG:4326 first, e.g. gdf.to_crs(4326).to_parquet(...)")
    return spec


def _frame_points(df, spec):
    """``(names, lats, lons, problems)`` from a frame of `spec` columns (lat/lon or WKB points)."""
    name, lat, lon, geom = spec
    if geom is None:
        return df[name], df[lat], df[lon], None
    import shapely

    try:
        geoms = shapely.from_wkb(df[geom].to_numpy(), on_invalid="ignore")
    except (TypeError, shapely.errors.GEOSException) as e:
        raise CatalogFileError(f"column {geom!r} is not WKB ({e}): write the geometry as WKB (GeoParquet)") from None
    return (df[name],) + _geom_points(geoms)


def _parquet_error(path, e) -> CatalogFileError:
    return CatalogFileError(f"{path}: cannot read as Parquet ({' '.join(str(e).split())[:300]}): check that every "
                            "part of the data set has the same columns and types")


def _read_parquet(path, on_invalid, layer):
    import pyarrow as pa

    spec = _parquet_spec(path)
    try:
        df = pd.read_parquet(path, columns=[c for c in spec if c])
    except (pa.ArrowException, OSError, ValueError, TypeError) as e:
        raise _parquet_error(path, e) from None
    try:
        names, lats, lons, problems = _frame_points(df, spec)
    except CatalogFileError as e:
        raise CatalogFileError(f"{path}: {e}") from None
    return _table(path, "row", lambda bad: bad, names, lats, lons, on_invalid, problems)


_READERS = {".csv": _read_csv, ".geojson": _read_geojson, ".json": _read_geojson,
            ".gpkg": _read_gpkg, ".parquet": _read_parquet}


def read_targets(path, *, on_invalid: str = "fail", layer: str | None = None) -> TargetTable:
    """Read targets from ``.csv``, ``.geojson``/``.json``, ``.gpkg`` or ``.parquet``.

    Parameters
    ----------
    path : str or Path
        CSV with columns ``name,lat,lon`` (any case; others ignored); a GeoJSON
        FeatureCollection of Points named by ``properties.name``; a GeoPackage points
        layer with a ``name`` field (reprojected to EPSG:4326 if needed); a Parquet
        file or folder with columns ``name, lat, lon`` or ``name`` and a WKB geometry.
    on_invalid : {"fail", "skip"}
        What to do with rows that have a missing, non-numeric, non-finite or
        out-of-range coordinate, an empty name, or a geometry that is not a Point:
        raise :class:`~geo.errors.CatalogFileError` naming up to five of them, or
        drop them and list them in ``TargetTable.skipped``.
    layer : str, optional
        GeoPackage layer; by default the only layer, or the only Point layer.

    Raises
    ------
    CatalogFileError
        Unreadable file, unknown extension, missing columns, or invalid rows with ``"fail"``.
    """
    if on_invalid not in ("fail", "skip"):
        raise InputError(f"on_invalid {on_invalid!r} must be 'fail' or 'skip'")
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise CatalogFileError(f"{path}: unknown target file type {path.suffix or '(none)'!r}: "
                               f"use {', '.join(_READERS)}")
    if not path.exists():
        raise CatalogFileError(f"{path}: no such file: check the path")
    if not (path.is_file() or (path.is_dir() and path.suffix.lower() == ".parquet")):   # a device or a pipe
        raise CatalogFileError(f"{path}: not a regular file (a device, pipe or folder): give a target table file")
    if layer is not None and reader is not _read_gpkg:
        raise InputError(f"--layer {layer!r} applies to .gpkg files only, not {path.name}")
    return reader(path, on_invalid, layer)


def describe_skipped(targets: TargetTable) -> str:
    """One line for the user about skipped rows, or ``""``.

    >>> describe_skipped(TargetTable(*[np.array([])] * 3, [(3, "missing lat"), (7, "empty name")], "t.csv"))
    'skipped 2 invalid targets of t.csv (lines 3, 7)'
    """
    k = len(targets.skipped)
    if not k:
        return ""
    numbers = ", ".join(str(n) for n, _ in targets.skipped[:10]) + (", …" if k > 10 else "")
    s = "s" if k > 1 else ""
    return f"skipped {k} invalid target{s} of {targets.path} ({targets.unit}{s} {numbers})"


def _ranges(missiles: Sequence[Missile]) -> np.ndarray:
    """Rows: nominal, certain, maximum and minimum range (NaN if unknown), km; one column per missile."""
    return np.array([[m.range_km, m.certain_km, m.max_km, np.nan if m.min_range_km is None else m.min_range_km]
                     for m in missiles], dtype=float).reshape(-1, 4).T


def _check_chunk(sites, missiles, lats, lons, model: str = "geodesic") -> dict:
    """:data:`COLUMNS` for sites × missiles × these targets, in that order, as numpy arrays.

    The numbers come from :func:`geo.analysis.assessment.measure` (the assessment's own
    computation, without flight times). Text columns hold integer codes: into `sites`,
    `missiles`, the chunk's targets and :data:`~geo.analysis.assessment.VERDICTS`;
    :func:`_frame` turns them into strings (``model`` is code 0 of ``[model]``). Targets of a table are
    named places (``target_kind``); a country's ``share`` and ``farthest_km`` are NaN here.
    """
    shape = (len(sites), len(missiles), len(lats))
    site_lat, site_lon = (np.array([getattr(s, a) for s in sites], dtype=float) for a in ("lat", "lon"))
    lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    dist, bear, reach, _, _, _, margin, code, _, _ = measure(site_lat, site_lon, lats, lons,
                                                             _ranges(missiles).T, model, flight_times=False)
    si, mi, ti = (a.ravel() for a in np.indices(shape))
    return dict(zip(COLUMNS, [
        si, site_lat[si], site_lon[si], mi, ti, lats[ti], lons[ti],
        np.broadcast_to(dist[:, None, :], shape).ravel(), reach.ravel(), margin.ravel(),
        np.broadcast_to(bear[:, None, :], shape).ravel(), code.ravel().astype(np.intp),
        np.zeros(code.size, dtype=np.intp), near_orbital_cells(reach, model).ravel(),
        np.zeros(code.size, dtype=np.intp), np.full(code.size, np.nan), np.full(code.size, np.nan)]))


def _text(values):
    """A pandas ``str`` array (take() on it is much faster than building one from many Python strings)."""
    return pd.array(np.asarray(values, dtype=object), dtype="str")


def _frame(columns: dict, sites, missiles, target_names, model: str = "geodesic") -> pd.DataFrame:
    """The table of :func:`_check_chunk`'s columns, codes turned into ``str`` columns."""
    labels = {"site": [s.name for s in sites], "missile": [m.name for m in missiles],
              "target": target_names, "verdict": VERDICTS, "model": [model], "target_kind": ["place"]}
    try:
        return pd.DataFrame({c: _text(labels[c]).take(v) if c in labels else v for c, v in columns.items()},
                            copy=False)
    except UnicodeEncodeError as e:           # a lone surrogate (read_targets refuses them; Python callers may not)
        from ..validate import describe_character, quote

        raise InputError(f"name {quote(e.object, 60)} holds {describe_character(e.object[e.start])}, which "
                         "UTF-8 cannot encode: remove it") from None


def batch_check(sites: Sequence[Place], missiles: Sequence[Missile], targets: TargetTable, *,
                progress: bool = False, chunk_size: int = CHUNK, model: str = "geodesic") -> pd.DataFrame:
    """Every site × missile × target, as :func:`geo.analysis.reach.check_table` gives it, in bounded memory.

    Targets are processed `chunk_size` at a time, with one exact geodesic call per
    site per chunk; rows come in ``check_table``'s order (site, missile, target).

    Parameters
    ----------
    sites, missiles : sequences of Place and Missile
    targets : TargetTable
    progress : bool
        Show a progress bar on stderr when stderr is a terminal.
    chunk_size : int
        Targets per chunk: the temporaries hold about ``sites × missiles × chunk_size`` rows.
    model : {"geodesic", "rotating"}
        Reach model of the verdicts (see :mod:`geo.analysis.assessment`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; empty, with the same dtypes, when there is nothing to check.
        The whole table is held in memory (about 120 bytes a row): beyond that, see
        :func:`dask_check`.
    """
    from tqdm import tqdm

    shape = (len(sites) * len(missiles), len(targets))
    out = {c: np.empty(shape[0] * shape[1], dtype=np.intp if c in _TEXT else bool if c in _BOOL else float)
           for c in COLUMNS}
    with tqdm(total=shape[1], unit="target", file=sys.stderr, disable=not (progress and sys.stderr.isatty())) as bar:
        for a in range(0, shape[1], chunk_size):
            b = min(a + chunk_size, shape[1])
            part = _check_chunk(sites, missiles, targets.lats[a:b], targets.lons[a:b], model)
            part["target"] += a
            for c, arr in out.items():
                arr.reshape(shape)[:, a:b] = part[c].reshape(shape[0], b - a)
            bar.update(b - a)
    return _frame(out, sites, missiles, targets.names, model)


def batch_in_range(sites: Sequence[Place], missiles: Sequence[Missile], targets: TargetTable, *,
                   chunk_size: int = CHUNK) -> pd.DataFrame:
    """Yes/no per site × target and missile, through the fast :func:`geo.engine.in_range_matrix`.

    Columns ``site, target, lat, lon``, then per missile ``<missile>_in_range`` (its
    verdict would be "in range") and, for a missile with a range band,
    ``<missile>_possibly_in_range`` (the verdict would be "possibly in range"); both
    are False under a minimum range. Rows are site-major. Exactly the verdicts of
    :func:`batch_check`, without computing distances and bearings for every pair.
    """
    from ..core.engine import in_range_matrix

    names = [m.name for m in missiles]
    if len(set(names)) < len(names):
        raise InputError(f"missile names {', '.join(names)} repeat: give each missile once")
    _, certain, high, low = _ranges(missiles)
    has_min, k = ~np.isnan(low), len(missiles)
    # Every test is "d <= r": d < low exactly when d <= the float just below low.
    radii = np.concatenate([certain, high, np.where(has_min, np.nextafter(low, -np.inf), certain)])
    n_s, n_t = len(sites), len(targets)
    in_range, possibly = np.zeros((2, n_s, n_t, k), dtype=bool)
    s_lat, s_lon = (np.array([getattr(s, a) for s in sites], dtype=float) for a in ("lat", "lon"))
    for a in range(0, n_t, chunk_size):
        b = min(a + chunk_size, n_t)
        hit = in_range_matrix(s_lat, s_lon, targets.lats[a:b], targets.lons[a:b], radii)
        reach = ~(hit[..., 2 * k:] & has_min)
        in_range[:, a:b] = hit[..., :k] & reach
        possibly[:, a:b] = hit[..., k:2 * k] & ~hit[..., :k] & reach
    ti = np.tile(np.arange(n_t), n_s)
    frame = pd.DataFrame({"site": _text([s.name for s in sites]).take(np.repeat(np.arange(n_s), n_t)),
                          "target": _text(targets.names).take(ti), "lat": targets.lats[ti], "lon": targets.lons[ti]})
    for j, name in enumerate(names):
        frame[f"{name}_in_range"] = in_range[..., j].ravel()
        if high[j] > certain[j]:
            frame[f"{name}_possibly_in_range"] = possibly[..., j].ravel()
    return frame


class DaskSummary(NamedTuple):
    """What :func:`geo.outputs.tables.dask_check` wrote."""

    path: Path
    rows: int
    #: Rows per verdict, in :data:`geo.analysis.assessment.VERDICTS` order, zeros included.
    verdicts: dict
    #: ``("partition P row R", reason)`` of the invalid targets left out (``on_invalid="skip"``).
    skipped: list


def _check_partition(df, sites, missiles, spec, on_invalid, path, model="geodesic",
                     partition_info=None) -> pd.DataFrame:
    """The per-partition task of :func:`dask_check`: validate, then :func:`_check_chunk`."""
    ok, names, lats, lons, bad, reasons = _points(*_frame_points(df, spec))
    if len(bad) and on_invalid == "fail":
        p = (partition_info or {}).get("number", "?")
        raise _invalid(path, "partition", [(f"{p} row {i}", why) for i, why in zip(bad, reasons)])
    return _frame(_check_chunk(sites, missiles, lats[ok], lons[ok], model), sites, missiles, names[ok], model)


def _skipped_partition(df, spec, partition_info=None) -> pd.DataFrame:
    _, _, _, _, bad, reasons = _points(*_frame_points(df, spec))
    where = [f"partition {(partition_info or {}).get('number', '?')} row {i}" for i in bad]
    return pd.DataFrame({"where": pd.Series(where, dtype="str"), "reason": pd.Series(reasons, dtype="str")})


#: Seconds to wait for a Dask scheduler to answer before giving up.
DASK_CONNECT_TIMEOUT_S = 5.0
#: Dask scheduler names :func:`dask_check` accepts besides an address ("local" is "threads").
_SCHEDULER_NAMES = ("threads", "synchronous", "processes")
_ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):(\d{1,5})")


def check_scheduler(scheduler):
    """The Dask scheduler `scheduler` names, or :class:`~geo.errors.InputError` saying what works.

    ``None`` and ``"local"`` mean local threads (returned as None); ``"threads"``,
    ``"synchronous"``, ``"processes"`` and a ``distributed.Client`` pass as they are; an address
    must be ``tcp://HOST:PORT`` or ``tls://HOST:PORT`` with a port from 1 to 65535.

    >>> check_scheduler("local") is None, check_scheduler("tcp://10.0.0.5:8786")
    (True, 'tcp://10.0.0.5:8786')
    >>> check_scheduler("http://example.org")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: --dask 'http://example.org' is not a Dask scheduler: give 'local', or an address tcp://HOST:PORT or tls://HOST:PORT (e.g. tcp://10.0.0.5:8786)
    """
    from ..validate import quote

    _require("dask", "dask.dataframe")
    if scheduler is None or scheduler == "local":
        return None
    if type(scheduler).__name__ == "Client" and type(scheduler).__module__.startswith("distributed"):
        return scheduler
    if isinstance(scheduler, str):
        if scheduler in _SCHEDULER_NAMES:
            return scheduler
        m = _ADDRESS.fullmatch(scheduler)
        if m and 1 <= int(m[3]) <= 65535:
            _require("distributed")
            return scheduler
        if m:
            raise InputError(f"--dask {quote(scheduler)}: port {m[3]} is not between 1 and 65535")
    raise InputError(f"--dask {quote(scheduler)} is not a Dask scheduler: give 'local', or an address "
                     "tcp://HOST:PORT or tls://HOST:PORT (e.g. tcp://10.0.0.5:8786)")


def _require(*modules: str) -> None:
    """Import `modules`, or :class:`~geo.errors.MissingDependencyError` naming the ``rangemap[dask]`` extra."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            raise MissingDependencyError(name.split(".")[0], "--dask") from None


@contextlib.contextmanager
def _scheduler(scheduler):
    scheduler = check_scheduler(scheduler)
    if scheduler is None:
        yield "threads"
    elif isinstance(scheduler, str) and "://" in scheduler:
        from distributed import Client

        try:
            client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as e:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} within {DASK_CONNECT_TIMEOUT_S:g} s "
                             f"({' '.join(str(e).split())[:200]}): start it ('dask scheduler') or check "
                             "the address") from None
        with client:
            yield client
    else:
        yield scheduler


class DaskChecks(NamedTuple):
    """The lazy result of :func:`dask_checks`, for :func:`dask_compute` (and a writer) to run."""

    #: Dask DataFrame of :data:`COLUMNS`, one row per site × missile × target.
    table: object
    #: Empty pandas DataFrame with the columns and types of `table`.
    meta: pd.DataFrame
    #: Dask DataFrame of the invalid rows, ``(where, reason)``, with ``on_invalid="skip"``; else None.
    skipped: object
    #: The targets' Parquet file or folder (for error messages).
    source: Path


def dask_checks(targets_parquet, sites: Sequence[Place], missiles: Sequence[Missile], *, blocksize="default",
                partition_rows: int = 2_000_000, on_invalid: str = "fail", model: str = "geodesic") -> DaskChecks:
    """:func:`batch_check` for a Parquet data set larger than memory, as a lazy Dask frame.

    Each partition goes through the same validation and per-chunk computation as
    :func:`read_targets` and :func:`batch_check`. :func:`geo.outputs.tables.dask_check` writes it;
    the parameters are those of that function.
    """
    import pyarrow as pa
    import pyarrow.dataset as ds

    if on_invalid not in ("fail", "skip"):
        raise InputError(f"on_invalid {on_invalid!r} must be 'fail' or 'skip'")
    _require("dask", "dask.dataframe")                      # one line with the fix if Dask is missing
    import dask.dataframe as dd

    if not Path(targets_parquet).exists():
        raise CatalogFileError(f"{targets_parquet}: no such file or folder: check the path")
    spec = _parquet_spec(targets_parquet)
    try:
        ddf = dd.read_parquet(str(targets_parquet), columns=[c for c in spec if c], blocksize=blocksize)
        n_targets = ds.dataset(str(targets_parquet), format="parquet").count_rows()       # from the metadata
    except (pa.ArrowException, OSError, ValueError, TypeError) as e:
        raise _parquet_error(targets_parquet, e) from None
    sites, missiles = tuple(sites), tuple(missiles)
    parts = -(-n_targets * len(sites) * len(missiles) // max(1, partition_rows))
    if parts > ddf.npartitions:
        ddf = ddf.repartition(npartitions=parts)
    meta = _frame(_check_chunk(sites, missiles, np.array([]), np.array([]), model), sites, missiles, [], model)
    table = ddf.map_partitions(_check_partition, sites, missiles, spec, on_invalid, str(targets_parquet),
                               model, meta=meta)
    skipped = None
    if on_invalid == "skip":
        skipped = ddf.map_partitions(_skipped_partition, spec, meta=pd.DataFrame(
            {"where": pd.Series(dtype="str"), "reason": pd.Series(dtype="str")}))
    return DaskChecks(table, meta, skipped, Path(targets_parquet))


def dask_compute(checks: DaskChecks, write, scheduler=None) -> tuple[dict, list]:
    """Run `checks` on `scheduler` (see :func:`check_scheduler`), with `write` (a Dask DataFrame →
    delayed write, or None) computed in the same pass: the rows per verdict, in
    :data:`~geo.analysis.assessment.VERDICTS` order with zeros, and the invalid rows skipped."""
    import dask
    import pyarrow as pa

    todo = [checks.table["verdict"].map_partitions(pd.Series.value_counts)]          # no shuffle
    if checks.skipped is not None:
        todo.append(checks.skipped)
    if write is not None:
        todo.append(write)
    with _scheduler(scheduler) as sched:
        try:
            counts, *rest = dask.compute(*todo, scheduler=sched)
        except (pa.ArrowException, ValueError, TypeError) as e:
            if isinstance(e, (OSError, RangemapError)):      # the output's (a full disk), or said already
                raise
            raise _parquet_error(checks.source, e) from None
    counts = counts.groupby(level=0).sum()
    counts = {v: int(counts.get(v, 0)) for v in VERDICTS}
    bad = list(rest[0].itertuples(index=False, name=None)) if checks.skipped is not None else []
    return counts, bad
