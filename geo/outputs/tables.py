"""Writing tables: the check tables of :mod:`geo.analysis.batch` as CSV, JSON, GeoJSON or Parquet
(:func:`write_table`), and a Parquet data set checked on Dask (:func:`dask_check`).

Every file appears whole or not at all (:mod:`geo.outputs.files`); CSV cells a spreadsheet would
run are escaped (:func:`geo.outputs.escape.csv_arrow`); reach and margin are left empty where
the model does not bound the range (:func:`geo.outputs.formatting.blank_near_orbital`).

>>> import pandas as pd, tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     print(write_table(pd.DataFrame({"target": ["=Guam"], "km": [1.5]}), pathlib.Path(d) / "t.csv").read_text())
"target","km"
"'=Guam",1.5
<BLANKLINE>
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import InputError
from ..validate import describe_character
from .escape import csv_arrow
from .files import as_inputs, atomic_path, check_output, is_stdout
from .formatting import blank_near_orbital

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.batch import DaskSummary
    from ..catalog.records import Missile, Place

__all__ = ["write_table", "dask_check"]


def _write_json(df: pd.DataFrame, tmp, geojson: bool = False, step: int = 50_000) -> None:
    """One JSON array of records, or a GeoJSON FeatureCollection of Points at target_lon/target_lat
    (or lon/lat) with every column as a property; floats exact, NaN as null."""
    keys = [str(c) for c in df.columns]
    xy = next(((keys.index(x), keys.index(y)) for x, y in (("target_lon", "target_lat"), ("lon", "lat"))
               if x in keys and y in keys), None)
    if geojson and xy is None:
        raise InputError("a GeoJSON table needs target_lat, target_lon (or lat, lon) columns")
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [' if geojson else "[")
        for a in range(0, len(df), step):
            part = df.iloc[a:a + step]
            rows = zip(*[part[c].astype(object).where(part[c].notna(), None).tolist() for c in part.columns])
            recs = ({"type": "Feature", "geometry": {"type": "Point", "coordinates": [v[xy[0]], v[xy[1]]]},
                     "properties": dict(zip(keys, v))} if geojson else dict(zip(keys, v)) for v in rows)
            fh.write(("\n" if a == 0 else ",\n") + ",\n".join(map(encode, recs)))
        fh.write("\n]}\n" if geojson else "\n]\n")


def _write_csv(df: pd.DataFrame, tmp) -> None:
    """CSV through pyarrow (fast, floats exact); text cells a spreadsheet would run as formulas
    get a leading ``'`` (:func:`geo.outputs.escape.csv_arrow`)."""
    import pyarrow as pa
    import pyarrow.csv

    pyarrow.csv.write_csv(csv_arrow(pa.Table.from_pandas(df, preserve_index=False)), tmp)


def _write_parquet(df: pd.DataFrame, tmp) -> None:
    df.to_parquet(tmp, engine="pyarrow", index=False)


_WRITERS = {".csv": _write_csv, ".json": _write_json,
            ".geojson": lambda df, tmp: _write_json(df, tmp, geojson=True), ".parquet": _write_parquet}


def write_table(df: pd.DataFrame, path, *, fmt: str | None = None, inputs=()) -> Path:
    """Write a table atomically as ``.csv``, ``.json``, ``.geojson`` or ``.parquet``.

    JSON is one array of records; GeoJSON (RFC 7946) a FeatureCollection of Points at
    the targets with every column as a property; floats are written exactly in all
    four. CSV and Parquet go through pyarrow (about a million rows a second); JSON and
    GeoJSON through Python's encoder (tens of thousands a second): use them for
    modest tables. The file appears whole or not at all: a temporary file in the
    same folder is renamed into place. Text cells of a CSV that a spreadsheet would run as
    formulas (``=``, ``+``, ``-``, ``@``...) get a leading ``'``; numbers keep their sign.
    Where a ``near_orbital`` column is true, the reach and margin columns are left empty
    (:func:`geo.outputs.formatting.blank_near_orbital`): the model does not bound the range there.

    Parameters
    ----------
    df : pandas.DataFrame
    path : str or Path
        The output file, or ``"-"`` for standard output (not Parquet).
    fmt : {"csv", "json", "geojson", "parquet"}, optional
        By default from the extension of `path`.
    inputs : mapping of path to option name, or iterable of paths
        Files the table was read from: `path` may not be one of them (see
        :func:`geo.outputs.files.check_output`).

    Raises
    ------
    InputError
        Unknown extension, unwritable folder; :class:`~geo.errors.OutputError` for an input,
        a folder or a device as `path`, or a write error such as a full disk.
    """
    suffix = f".{str(fmt).lower()}" if fmt is not None else ("" if is_stdout(path) else Path(path).suffix.lower())
    writer = _WRITERS.get(suffix)
    if writer is None:
        raise InputError(f"cannot write {path}: unknown table format {suffix or '(none)'!r}: "
                         f"use {', '.join(_WRITERS)}")
    if is_stdout(path) and suffix == ".parquet":
        raise InputError("a Parquet table is binary and cannot go to standard output: give a file name")
    df = blank_near_orbital(df)             # no reach or margin where the model does not bound the range
    try:
        with atomic_path(path, inputs=inputs) as tmp:
            writer(df, tmp)
    except UnicodeEncodeError as e:
        raise InputError(f"cannot write {path}: a text cell holds {describe_character(e.object[e.start])}, "
                         "which UTF-8 cannot encode: remove it") from None
    return Path(path)


def dask_check(targets_parquet, sites: Sequence[Place], missiles: Sequence[Missile], out_parquet, *,
               scheduler=None, blocksize="default", partition_rows: int = 2_000_000,
               on_invalid: str = "fail", model: str = "geodesic", inputs=()) -> DaskSummary:
    """:func:`~geo.analysis.batch.batch_check` for a Parquet data set larger than memory, with Dask.

    Each partition goes through the same validation and per-chunk computation as
    :func:`~geo.analysis.batch.read_targets` and :func:`~geo.analysis.batch.batch_check`
    (:func:`~geo.analysis.batch.dask_checks`); the result is written as a folder
    of Parquet files to a temporary folder beside `out_parquet`, then renamed into
    place. An older `out_parquet` is replaced only if rangemap wrote it (it holds the
    :data:`geo.outputs.files.MARKER` file); any other existing folder, the input itself
    or a folder holding it is refused. Row order within a partition is site, missile, target.

    Parameters
    ----------
    targets_parquet : path
        Parquet file or folder with ``name, lat, lon`` or ``name`` and a WKB geometry.
    out_parquet : path
        Folder to create; on a cluster, both paths must be on storage every worker sees.
    scheduler : None, distributed.Client, str
        None (or ``"local"``) for local threads; a Client; an address such as
        ``"tcp://host:8786"`` (a Client is connected for the run, waiting at most
        :data:`DASK_CONNECT_TIMEOUT_S`); or a Dask scheduler name (``"processes"``).
    blocksize : int or str
        Passed to :func:`dask.dataframe.read_parquet` (a read holds at least a row group).
    partition_rows : int
        Partitions are split further so that each yields at most about this many
        output rows (site × missile × target), about 150 bytes each in memory.
    on_invalid : {"fail", "skip"}
        As in :func:`~geo.analysis.batch.read_targets`; rows are numbered within their partition.
    model : {"geodesic", "rotating"}
        Reach model of the verdicts (see :mod:`geo.analysis.assessment`).
    inputs : mapping of path to option name, or iterable of paths
        Other files the run read (catalog files): `out_parquet` may not be one of them.
    """
    from ..analysis.batch import DaskSummary, check_scheduler, dask_checks, dask_compute

    scheduler = check_scheduler(scheduler)
    inputs = {Path(targets_parquet): "the targets table", **as_inputs(inputs)}
    out = check_output(out_parquet, inputs=inputs, folder=True)
    checks = dask_checks(targets_parquet, sites, missiles, blocksize=blocksize, partition_rows=partition_rows,
                         on_invalid=on_invalid, model=model)
    table = checks.table.map_partitions(blank_near_orbital, meta=checks.meta)   # the one rule for written tables
    with atomic_path(out, inputs=inputs, folder=True) as tmp:
        counts, bad = dask_compute(checks, table.to_parquet(str(tmp), write_index=False, compute=False), scheduler)
    return DaskSummary(out, sum(counts.values()), counts, bad)
