"""``rangemap check``: is a target in range? One answer, or a table for many."""

from __future__ import annotations

import json
from pathlib import Path

from ..analysis.assessment import assess
from ..analysis.reach import TABLE_COLUMNS
from ..analysis.scenario import as_missile
from ..errors import InputError
from ..outputs.escape import csv_frame, terminal
from . import options

__all__ = ["add_parser", "run", "TABLE_SUFFIXES"]

#: What a table of answers can be written as.
TABLE_SUFFIXES = (".csv", ".json", ".geojson", ".parquet")


def add_parser(sub) -> None:
    c = sub.add_parser("check", help="is a target in range? one answer, or a table for many",
                       description="Say whether a missile fired from a site reaches a target. Several "
                       "sites, missiles or targets (or a --targets-table) give a table.")
    options.add_scenario(c, title=False, heading="what to check")
    c.add_argument("--targets-table", action="append", default=[], metavar="FILE",
                   help="a table of targets to check (CSV name,lat,lon; GeoJSON; GeoPackage; Parquet)")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.add_argument("--csv", action="store_true", help="several answers: print CSV rather than an aligned table")
    c.add_argument("-o", "--output", metavar="PATH", help="write the table to PATH (.csv, .json, .geojson, "
                   ".parquet); '-' for standard output")
    c.add_argument("--format", choices=[s.lstrip(".") for s in TABLE_SUFFIXES],
                   help="table format (default: from the output's extension; CSV on standard output)")
    c.add_argument("--skip-invalid", action="store_true",
                   help="skip target rows with missing or invalid coordinates (reported with a count)")
    c.add_argument("--layer", help="GeoPackage layer of the targets table")
    c.add_argument("--launch-area", metavar="COUNTRY|FILE",
                   help="fire from anywhere in a country's territory or a GeoJSON polygon (instead of --site): "
                        "the distance is from the area's nearest point, which is reported")
    c.add_argument("--dask", metavar="SCHEDULER",
                   help="run the table on Dask: 'local', or a scheduler address such as tcp://host:8786 "
                        "(Parquet targets table in, Parquet folder out)")


def _split_target_files(args) -> None:
    """Older spelling: ``--targets-file`` with a table of targets. Read it as ``--targets-table``, and say so."""
    legacy = [f for f in args.targets_file if Path(f).suffix.lower() != ".csv" or not args.target]
    for f in legacy:
        options.note(f"note: reading {f!r} as a table of targets; --targets-file now adds catalog rows, "
                     f"so write --targets-table {f!r}")
    args.targets_file = [f for f in args.targets_file if f not in legacy]
    args.targets_table = list(args.targets_table) + legacy


def run(args, out) -> None:
    if args.launch_area is not None:
        return _area(args, out)
    if not args.site and not args.missile:
        raise InputError("give a launch site with --site NAME or --site LAT,LON")
    if not (args.missile or args.range_km):
        raise InputError("give a missile with --missile NAME or a range with --range KM")
    _split_target_files(args)
    if not (args.target or args.targets_table or args.cities or args.capitals):
        raise InputError("give a target with --target NAME or --target LAT,LON, a set with --cities CC[:N] or "
                         "--capitals, or a --targets-table FILE")
    # outputs are checked before anything is read
    scheduler = _dask_output(args) if args.dask else None
    output = (_table_output(args) if not args.dask and (args.output or args.format or args.targets_table or args.csv)
              else None)
    # a state means all its classes or sites, --cities and --capitals many places; no --site: the missile's own
    # state's site (options.scenario applies both rules)
    scenario = options.scenario(args)
    if args.dask:
        return _dask(args, scenario, scheduler, out)
    if output or len(scenario.sites) * len(scenario.missiles) * len(scenario.targets) > 1:
        return _table(args, scenario, output or _table_output(args), out)
    if args.skip_invalid or args.layer:
        raise InputError("--skip-invalid and --layer apply to a table of targets from --targets-table")
    _one(args, scenario, out)


def _one(args, scenario, out) -> None:
    from ..outputs.text import check_json, check_lines, track_text

    a = assess(scenario)
    c, whole = a.check(0, 0, 0), a.country(0, 0, 0)
    track = a.overflight(0, 0)                  # a whole country: to its nearest point
    if args.json:
        doc = check_json(c, args.units, whole)
        doc["overflight"] = [{"name": o.name, "iso_a3": o.iso_a3, "enter_km": o.enter_km, "exit_km": o.exit_km}
                             for o in track]
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        lines = check_lines(c, track_text(track, args.units), units=args.units, whole=whole)
        out.write("\n".join(terminal(line) for line in lines) + "\n")


def _area(args, out) -> None:
    """From a launch area: the check of a launch from its nearest point, and that point."""
    from ..analysis.launch_area import area_check
    from ..outputs.text import area_lines, check_json

    if args.site:
        raise InputError("give either --site or --launch-area, not both")
    if len(args.missile) + len(args.range_km) != 1 or len(args.target) != 1 or args.targets_table or args.output:
        raise InputError("--launch-area checks one missile (or --range) against one --target")
    cat = options.catalog(args)
    missile = as_missile(args.missile[0], cat) if args.missile else as_missile(args.range_km[0])
    r = area_check(args.launch_area, missile, cat.target(args.target[0]), model=args.model, catalog=cat)
    if args.json:
        doc = check_json(r.check, args.units)
        doc["launch_area"] = {"name": r.area.name, "kind": r.area.kind, "source": r.area.source,
                              "nearest_point": {"lat": r.check.site.lat, "lon": r.check.site.lon},
                              "target_inside": r.inside}
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(terminal(line) for line in area_lines(r, units=args.units)) + "\n")


def _table(args, scenario, output, out) -> None:
    import numpy as np
    import pandas as pd

    from ..analysis import batch
    from ..outputs.tables import write_table

    path, fmt = output
    on_invalid = "skip" if args.skip_invalid else "fail"
    tables = [batch.read_targets(f, on_invalid=on_invalid, layer=args.layer) for f in args.targets_table]
    for t in tables:
        if t.skipped:
            options.note(batch.describe_skipped(t))
    # named targets (points, places, whole countries) from the assessment; a table's points in bounded memory
    frames = [assess(scenario).table()[list(TABLE_COLUMNS) + ["flight_time_min"]]] if scenario.targets else []
    if tables:
        targets = batch.TargetTable(*(np.concatenate([getattr(t, a) for t in tables])
                                      for a in ("names", "lats", "lons")))
        frames.append(batch.batch_check(scenario.sites, scenario.missiles, targets, progress=True,
                                        model=args.model).assign(flight_time_min=np.nan))
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if len(frames) > 1:                           # site, missile, target order, as every table
        order = {name: i for i, name in enumerate(m.name for m in scenario.missiles)}
        sites = {name: i for i, name in enumerate(s.name for s in scenario.sites)}
        table = table.iloc[np.lexsort((table["missile"].map(order), table["site"].map(sites)))].reset_index(drop=True)
    if args.units != "km":
        from ..outputs.formatting import to_units

        # The kilometre columns stay; each gets a twin in the unit asked for, beside it.
        for column in [c for c in table.columns if c.endswith("_km")]:
            table.insert(table.columns.get_loc(column) + 1, f"{column[:-3]}_{args.units}",
                         to_units(table[column], args.units))
        table["units"] = args.units
    if path is not None:
        write_table(table, path, fmt=fmt)
        counts = table["verdict"].value_counts()
        summary = ", ".join(f"{counts[v]:,} {v}" for v in counts.index)
        out.write(f"{path}: {len(table):,} rows ({summary or 'no targets'})\n")
        return
    from ..outputs.formatting import blank_near_orbital

    table = blank_near_orbital(table)      # as write_table does: no reach where the model bounds none
    if fmt == "json":
        out.write(table.to_json(orient="records", force_ascii=False, indent=2) + "\n")
    elif fmt == "geojson":
        write_table(table, "-", fmt="geojson")
    elif fmt == "csv":
        csv_frame(table).to_csv(out, index=False)
    else:
        from ..outputs.text import table_lines

        out.write("\n".join(terminal(line) for line in table_lines(table, args.units)) + "\n")


def _table_output(args):
    """``(path or None for standard output, format)`` of the table, checked before any work."""
    from ..outputs.files import check_output

    formats = [s.lstrip(".") for s in TABLE_SUFFIXES]
    if args.json and args.format not in (None, "json"):
        raise InputError(f"--json conflicts with --format {args.format}: give one of them")
    if not args.output or options.to_stdout(args):
        fmt = args.format or ("json" if args.json else "csv" if args.csv or options.to_stdout(args) else "text")
        if args.csv and fmt != "csv":
            raise InputError(f"--csv conflicts with --format {fmt}: give one of them")
        if fmt == "parquet":
            raise InputError("a Parquet table is binary and cannot go to standard output: give -o FILE.parquet")
        return None, fmt
    path = check_output(args.output, inputs=options.inputs(args))
    ext = path.suffix.lower().lstrip(".")
    if ext not in formats:
        raise InputError(f"output {path} must end in {', '.join(TABLE_SUFFIXES)}")
    if args.csv and ext != "csv":
        raise InputError(f"--csv conflicts with the output's extension .{ext}: write to a .csv file or leave out --csv")
    if args.format and args.format != ext:
        raise InputError(f"--format {args.format} conflicts with the output's extension .{ext}: make them agree")
    return path, ext


def _dask_output(args):
    """Check the Dask run's options and output folder; return the scheduler."""
    from ..analysis import batch
    from ..outputs.files import check_output

    if args.units != "km":
        raise InputError("--dask writes kilometre columns only: leave out --units, or run without --dask")
    if len(args.targets_table) != 1 or args.target or args.cities or args.capitals \
            or Path(args.targets_table[0]).suffix.lower() != ".parquet":
        raise InputError("--dask takes exactly one Parquet --targets-table and no --target, --cities or --capitals")
    if not args.output or options.to_stdout(args) or Path(args.output).suffix.lower() != ".parquet":
        raise InputError("--dask writes a Parquet folder: give -o PATH.parquet")
    if args.format not in (None, "parquet"):
        raise InputError(f"--dask writes a Parquet folder, not --format {args.format}")
    check_output(args.output, inputs=options.inputs(args), folder=True)
    return batch.check_scheduler(args.dask)


def _dask(args, scenario, scheduler, out) -> None:
    from ..outputs import tables

    on_invalid = "skip" if args.skip_invalid else "fail"
    summary = tables.dask_check(args.targets_table[0], scenario.sites, scenario.missiles, args.output,
                                scheduler=scheduler, on_invalid=on_invalid, model=args.model,
                                inputs=options.inputs(args))
    out.write(f"{summary.path}: {summary.rows:,} rows\n")
