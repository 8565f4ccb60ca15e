"""The ``rangemap`` command line.

``main(argv)`` returns the exit status: 0 on success, 2 on bad input (one line on
stderr naming the problem and the fix, no traceback, no output file).

>>> main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam"])
Hwasong-12 from Hoejung-ri missile operating base (Chagang) to Guam (Andersen AFB): in range
  distance 3,540 km, range 4,500 km (band 4,500-5,000 km), margin +960 km, bearing 145.2°
  flight time about 19 min (16.5 min minimum-energy free flight + 2.9 min estimated boost)
  overflight: North Korea 0-180 km, Japan 846-1,053 km, Guam 3,539-3,540 km
  (WGS84 geodesic (Karney); nominal range on a non-rotating Earth; range: CSIS Missile Threat; UCS (D. Wright); ROK JCS)
0
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

from ..catalog.tables import Catalog, Missile, Place
from ..errors import InputError, RangemapError
from ..analysis.reach import MODEL_DESCRIPTIONS, MODELS, Check, as_missile, check

__all__ = ["main"]

FOUNDING = {"site": "Chagang", "missile": "Hwasong-12", "target": "Guam"}
MAPS_DIR = Path("maps")
MAP_FORMATS = ("html", "png", "svg", "pdf")
EXPORT_FORMATS = ("geojson", "kml", "gpkg")
TABLE_SUFFIXES = (".csv", ".json", ".geojson", ".parquet")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message):
        raise InputError(f"{message} (see '{self.prog} --help')")


def _positive(what: str, unit: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} {text!r} is not a number of {unit}") from None
        if not value > 0 or math.isinf(value):
            raise argparse.ArgumentTypeError(f"{what} {text!r} must be a positive number of {unit}")
        return value

    return parse


_range_km = _positive("range", "kilometres")


# --- the parser -------------------------------------------------------------------

def _add_catalog_files(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("your own catalog rows (CSV; repeatable)")
    g.add_argument("--sites-file", action="append", default=[], metavar="CSV",
                   help="extra launch sites: columns name,lat,lon (and optionally source, ...)")
    g.add_argument("--missiles-file", action="append", default=[], metavar="CSV",
                   help="extra missile classes: columns name,range_km (and optionally range_low_km, ...)")
    g.add_argument("--targets-file", action="append", default=[], metavar="FILE",
                   help="extra targets: CSV with columns name,lat,lon (check also reads GeoJSON, "
                        "GeoPackage, Parquet)")


def _add_scenario(p: argparse.ArgumentParser, *, title: bool = True,
                  heading: str = "scenario (default: Hwasong-12 from the Chagang base, with Guam)") -> None:
    g = p.add_argument_group(heading)
    g.add_argument("--site", action="append", default=[], help="launch site name, alias or LAT,LON (repeatable)")
    g.add_argument("--missile", action="append", default=[], help="missile class name or alias (repeatable)")
    g.add_argument("--range", dest="range_km", action="append", default=[], type=_range_km, metavar="KM",
                   help="a range in km instead of (or besides) a missile class (repeatable)")
    g.add_argument("--target", action="append", default=[], help="target name, alias or LAT,LON (repeatable)")
    g.add_argument("--model", choices=MODELS, default="geodesic",
                   help="geodesic: range circles on a non-rotating Earth (default); rotating: reach "
                        "that depends on direction (Earth's rotation)")
    if title:
        g.add_argument("--title", help="title")
    _add_catalog_files(p)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rangemap", description="Exact ballistic-missile range rings and in-range "
                     "checks on the WGS84 ellipsoid.")
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"rangemap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    m = sub.add_parser("map", help="write a range map: interactive HTML, or PNG/SVG/PDF for print",
                       description="Write a map of range rings. With no arguments: the Hwasong-12 from the "
                       "Chagang base, with Guam, as interactive HTML in maps/.")
    _add_scenario(m)
    m.add_argument("-o", "--output", metavar="PATH", help="output file (default: maps/<scenario>.<format>)")
    m.add_argument("--format", choices=MAP_FORMATS, help="html (interactive, default), or png/svg/pdf "
                   "(print figure); default from the output's extension")
    m.add_argument("--offline", action="store_true",
                   help="self-contained HTML: Leaflet inlined, country outlines, no tiles, no network request")
    m.add_argument("--dpi", type=_positive("dpi", "dots per inch"), help="resolution of a PNG figure (default 200)")

    m.add_argument("--shade-coverage", action="store_true",
                   help="shade the part of each country within range (HTML maps)")

    r = sub.add_parser("report", help="write one self-contained HTML report: map, figure, table, sources",
                       description="Write an HTML report that works offline and prints well: the interactive "
                       "map, the print figure, every site x missile x target with distance, margin, verdict "
                       "and flight time, the assumptions and the source of every figure.")
    _add_scenario(r)
    r.add_argument("-o", "--output", metavar="PATH", help="output file (default: maps/<scenario>-report.html)")

    c = sub.add_parser("check", help="is a target in range? one answer, or a table for many",
                       description="Say whether a missile fired from a site reaches a target. Several "
                       "sites, missiles or targets (or a --targets-file with no --target) give a table.")
    _add_scenario(c, title=False, heading="what to check")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.add_argument("-o", "--output", metavar="PATH", help="write the table to PATH (.csv, .json, .geojson, .parquet)")
    c.add_argument("--skip-invalid", action="store_true",
                   help="skip target rows with missing or invalid coordinates (reported with a count)")
    c.add_argument("--layer", help="GeoPackage layer of the targets file")
    c.add_argument("--dask", metavar="SCHEDULER",
                   help="run the table on Dask: 'local', or a scheduler address such as tcp://host:8786 "
                        "(Parquet targets file in, Parquet folder out)")

    ls = sub.add_parser("list", help="list the catalog", description="List launch sites, missiles or targets.")
    ls.add_argument("what", choices=["sites", "missiles", "targets"])
    ls.add_argument("--json", action="store_true", help="print a JSON array")
    _add_catalog_files(ls)

    e = sub.add_parser("export", help="write rings, sites, targets and paths for GIS (GeoJSON, KML, GeoPackage)",
                       description="Export the scenario's analysis geometry with its attributes.")
    _add_scenario(e, title=False)
    e.add_argument("-o", "--output", metavar="PATH", help="output file (default: maps/<scenario>.<format>)")
    e.add_argument("--format", choices=EXPORT_FORMATS, help="default from the output's extension")

    cv = sub.add_parser("coverage", help="which countries, cities and how many people are within range",
                        description="Countries (with the covered share of their area), cities and population "
                        "within range of a missile fired from a site.")
    cv.add_argument("--site", required=True, help="launch site name, alias or LAT,LON")
    cv.add_argument("--missile", help="missile class name or alias")
    cv.add_argument("--range", dest="range_km", type=_range_km, metavar="KM", help="a range in km")
    cv.add_argument("--model", choices=MODELS, default="geodesic", help="geodesic (default) or rotating")
    cv.add_argument("--min-population", type=int, default=15000, metavar="N",
                    help="smallest city counted (default 15,000; GeoNames lists of 500, 1,000, 5,000, 15,000)")
    fmt = cv.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print one JSON object")
    fmt.add_argument("--csv", choices=["countries", "cities"], nargs="?", const="countries",
                     help="print a CSV table of the countries (default) or the cities")
    cv.add_argument("--top", type=int, default=10, metavar="N", help="countries and cities named in the text (10)")
    _add_catalog_files(cv)

    lo = sub.add_parser("loft", help="estimate a missile's range from a lofted test flight",
                        description="Range on a minimum-energy trajectory of a missile seen on a lofted test "
                        "(Keplerian free flight over a spherical, non-rotating Earth).")
    lo.add_argument("--apogee", type=_positive("apogee", "kilometres"), required=True, metavar="KM",
                    help="apogee altitude of the test, km")
    lo.add_argument("--range", dest="range_km", type=_positive("range", "kilometres"), required=True,
                    metavar="KM", help="ground range of the test, km")
    lo.add_argument("--time", type=_positive("time", "minutes"), metavar="MIN",
                    help="observed flight time, minutes (a consistency check)")
    lo.add_argument("--burn-time", type=_positive("burn time", "seconds"), metavar="S",
                    help="powered-flight time, seconds: enables the gravity-loss correction")
    lo.add_argument("--burnout-alt", type=float, default=0.0, metavar="KM", help="burnout altitude, km (default 0)")
    lo.add_argument("--model", choices=["simple", "gravity-loss"],
                    help="simple (same burnout speed) or gravity-loss (needs --burn-time); "
                         "default: gravity-loss when --burn-time is given")
    lo.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


# --- shared -------------------------------------------------------------------------

def _catalog(args) -> Catalog:
    return Catalog.load(sites_files=args.sites_file, missiles_files=args.missiles_file,
                        targets_files=args.targets_file)


def _place_json(p: Place) -> dict:
    return {"name": p.name, "lat": p.lat, "lon": p.lon}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40].strip("-")


def _missiles(args, catalog: Catalog) -> list[Missile]:
    return [as_missile(m, catalog) for m in args.missile] + [as_missile(km) for km in args.range_km]


def _scenario(args, catalog: Catalog):
    """Sites, missiles and targets: named ones, else the user's file rows, else the founding scenario."""
    user = Catalog.load(sites_files=args.sites_file, missiles_files=args.missiles_file,
                        targets_files=args.targets_file, builtin=False)
    sites = [catalog.site(s) for s in args.site] or list(user.sites) or [catalog.site(FOUNDING["site"])]
    missiles = _missiles(args, catalog) or list(user.missiles) or [catalog.missile(FOUNDING["missile"])]
    targets = [catalog.target(t) for t in args.target] or list(user.targets) or [catalog.target(FOUNDING["target"])]
    return sites, missiles, targets


def _output(args, sites, missiles, fmt: str, suffix: str = "") -> Path:
    """The output path: -o PATH (checked), or maps/<site>_<missiles><suffix>.<fmt>."""
    from ..outputs.files import check_writable

    if args.output:
        return check_writable(args.output)
    site = sites[0].aliases[0] if sites[0].aliases else sites[0].name
    name = "_".join([_slug(site)] + [_slug(m.name) for m in missiles[:3]]) + suffix
    MAPS_DIR.mkdir(exist_ok=True)
    return MAPS_DIR / f"{name}.{fmt}"


def _format(args, choices, default: str) -> str:
    """--format, else the output's extension, else `default`; the two must agree."""
    ext = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    ext = {"htm": "html", "json": "geojson"}.get(ext, ext)
    if args.format and ext and ext != args.format:
        raise InputError(f"--format {args.format} conflicts with the output's extension .{ext}: make them agree")
    fmt = args.format or ext or default
    if fmt not in choices:
        raise InputError(f"output {args.output} has an unknown format '.{ext}': use one of "
                         f"{', '.join('.' + c for c in choices)} or --format")
    return fmt


# --- check --------------------------------------------------------------------------

def _flight_text(r: Check) -> str:
    if r.flight_time_min is None:
        return ""
    return (f"  flight time about {r.flight_time_min:.0f} min ({r.free_flight_min:.1f} min minimum-energy "
            f"free flight + {r.boost_min:.1f} min estimated boost)\n")


def _check_json(r: Check) -> dict:
    m = r.missile
    band = [m.certain_km, m.max_km] if m.max_km > m.certain_km else None
    return {
        "site": _place_json(r.site), "target": _place_json(r.target), "missile": m.name,
        "range_km": r.range_km, "range_band_km": band, "min_range_km": m.min_range_km,
        "distance_km": r.distance_km, "margin_km": r.margin_km, "bearing_deg": r.bearing_deg,
        "verdict": r.verdict, "model": r.model, "model_description": MODEL_DESCRIPTIONS[r.model],
        "flight_time_min": r.flight_time_min, "free_flight_min": r.free_flight_min, "boost_min": r.boost_min,
        "flight_time_note": ("minimum-energy Keplerian free flight over a sphere plus an estimated boost "
                             "phase (rough)") if r.flight_time_min is not None else "target beyond reach",
        "sources": {"missile": m.source, "site": r.site.source, "target": r.target.source},
    }


def _check_one(args, out) -> None:
    catalog = _catalog(args)
    missile = args.missile[0] if args.missile else args.range_km[0]
    r = check(args.site[0], missile, args.target[0], model=args.model, catalog=catalog)
    from ..analysis.coverage import TERRITORIAL_GAP_KM, describe_track, overflight

    # landfalls of one country less than two 12-nautical-mile territorial seas apart are merged
    track = overflight(r.site, r.target, join_gap_km=TERRITORIAL_GAP_KM)
    if args.json:
        doc = _check_json(r)
        doc["overflight"] = [{"name": o.name, "iso_a3": o.iso_a3, "enter_km": o.enter_km, "exit_km": o.exit_km}
                             for o in track]
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    m = r.missile
    band = f" (band {m.certain_km:,.0f}-{m.max_km:,.0f} km)" if m.max_km > m.certain_km else ""
    reach = "reach toward the target" if r.model == "rotating" else "range"
    out.write(f"{m.name} from {r.site.name} to {r.target.name}: {r.verdict}\n"
              f"  distance {r.distance_km:,.0f} km, {reach} {r.range_km:,.0f} km{band}, "
              f"margin {r.margin_km:+,.0f} km, bearing {r.bearing_deg:.1f}°\n"
              f"{_flight_text(r)}"
              f"  overflight: {describe_track(track)}\n"
              f"  ({MODEL_DESCRIPTIONS[r.model]}; range: {m.source or 'no source given'})\n")


def _check_table(args, out) -> None:
    import numpy as np

    from ..analysis import batch

    if args.model != "geodesic":
        raise InputError("--model rotating answers one site, missile and target at a time: "
                         "drop --model or check one target")
    on_invalid = "skip" if args.skip_invalid else "fail"
    catalog = Catalog.load(sites_files=args.sites_file, missiles_files=args.missiles_file)
    sites = [catalog.site(s) for s in args.site]
    missiles = _missiles(args, catalog)
    if args.dask:
        return _check_dask(args, sites, missiles, on_invalid, out)
    tables = [batch.read_targets(f, on_invalid=on_invalid, layer=args.layer) for f in args.targets_file]
    for t in tables:
        if t.skipped:
            print(f"rangemap: {batch.describe_skipped(t)}", file=sys.stderr)
    named = batch.TargetTable.from_places([catalog.target(t) for t in args.target])
    parts = [named, *tables]
    targets = batch.TargetTable(*(np.concatenate([getattr(t, a) for t in parts]) for a in ("names", "lats", "lons")))
    path = None
    if args.output:
        from ..outputs.files import check_writable

        path = check_writable(args.output)
        if path.suffix.lower() not in TABLE_SUFFIXES:
            raise InputError(f"output {path} must end in {', '.join(TABLE_SUFFIXES)}")
    table = batch.batch_check(sites, missiles, targets, progress=True)
    if path is not None:
        batch.write_table(table, path)
        counts = table["verdict"].value_counts()
        summary = ", ".join(f"{counts[v]:,} {v}" for v in counts.index)
        out.write(f"{path}: {len(table):,} rows ({summary or 'no targets'})\n")
    elif args.json:
        out.write(table.to_json(orient="records", force_ascii=False, indent=2) + "\n")
    else:
        table.to_csv(out, index=False)


def _check_dask(args, sites, missiles, on_invalid, out) -> None:
    from ..analysis import batch

    if len(args.targets_file) != 1 or args.target or Path(args.targets_file[0]).suffix.lower() != ".parquet":
        raise InputError("--dask takes exactly one Parquet --targets-file and no --target")
    if not args.output or Path(args.output).suffix.lower() != ".parquet":
        raise InputError("--dask writes a Parquet folder: give -o PATH.parquet")
    scheduler = None if args.dask == "local" else args.dask
    summary = batch.dask_check(args.targets_file[0], sites, missiles, args.output, scheduler=scheduler,
                               on_invalid=on_invalid)
    out.write(f"{summary.path}: {summary.rows:,} rows\n")


def _cmd_check(args, out) -> None:
    if not args.site:
        raise InputError("give a launch site with --site NAME or --site LAT,LON")
    if not (args.missile or args.range_km):
        raise InputError("give a missile with --missile NAME or a range with --range KM")
    if not (args.target or args.targets_file):
        raise InputError("give a target with --target NAME or --target LAT,LON, or a --targets-file")
    many = (len(args.site) > 1 or len(args.missile) + len(args.range_km) > 1 or len(args.target) > 1
            or not args.target or args.output or args.dask)
    if many:
        _check_table(args, out)
    else:
        if args.skip_invalid or args.layer:
            raise InputError("--skip-invalid and --layer apply to a table of targets from --targets-file")
        _check_one(args, out)


# --- map, export ----------------------------------------------------------------------

def _cmd_map(args, out) -> None:
    fmt = _format(args, MAP_FORMATS, "html")
    if fmt != "html" and args.offline:
        raise InputError(f"--offline applies to HTML maps; a {fmt.upper()} figure never needs the network")
    if fmt == "html" and args.dpi:
        raise InputError("--dpi applies to PNG figures: add --format png")
    if fmt != "html" and args.shade_coverage:
        raise InputError("--shade-coverage applies to HTML maps: use --format html")
    catalog = _catalog(args)
    sites, missiles, targets = _scenario(args, catalog)
    path = _output(args, sites, missiles, fmt)
    if fmt == "html":
        from ..outputs.webmap import build_map, write_map

        shaded = _coverage_shading(sites, missiles, args.model) if args.shade_coverage else ()
        write_map(build_map(sites, missiles, targets, title=args.title, offline=args.offline, model=args.model,
                            shaded=shaded), path)
    else:
        if args.model != "geodesic":
            raise InputError("--model rotating is drawn on HTML maps only for now: use --format html")
        from ..outputs.figure import figure, save_figure

        save_figure(figure(sites, missiles, targets, title=args.title), path, fmt=fmt,
                    **({"dpi": int(args.dpi)} if args.dpi else {}))
    out.write(f"{path}\n")


def _coverage_shading(sites, missiles, model: str):
    """(label, covered part) per country, over every site × missile: the largest share labels it."""
    import shapely

    from ..analysis.coverage import coverage

    parts: dict[str, list] = {}
    best: dict[str, tuple[float, str]] = {}
    for site in sites:
        for missile in missiles:
            for c in coverage(site, missile, model=model).countries:
                parts.setdefault(c.iso_a3, []).append(c.geometry)
                label = f"{c.name}: {100 * c.share:.1f}% of its area within range of the {missile.name} from {site.name}"
                best[c.iso_a3] = max(best.get(c.iso_a3, (-1.0, "")), (c.share, label))
    return [(best[iso][1], shapely.union_all(geoms)) for iso, geoms in parts.items()]


def _cmd_report(args, out) -> None:
    from ..outputs.files import check_writable

    catalog = _catalog(args)
    sites, missiles, targets = _scenario(args, catalog)
    path = check_writable(args.output) if args.output else _output(args, sites, missiles, "html", "-report")
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"output {path} must end in .html: the report is one HTML document")
    from ..outputs.report import build_report, write_report

    write_report(build_report(sites, missiles, targets, title=args.title, model=args.model), path)
    out.write(f"{path}\n")


def _cmd_export(args, out) -> None:
    fmt = _format(args, EXPORT_FORMATS, "")
    if args.model != "geodesic":
        raise InputError("--model rotating is not exported yet: export the geodesic rings")
    catalog = _catalog(args)
    sites, missiles, targets = _scenario(args, catalog)
    from ..outputs.export import export

    out.write(f"{export(sites, missiles, targets, _output(args, sites, missiles, fmt), fmt=fmt)}\n")


# --- coverage -----------------------------------------------------------------------

def _cmd_coverage(args, out) -> None:
    if (args.missile is None) == (args.range_km is None):
        raise InputError("give either --missile NAME or --range KM")
    if not 500 <= args.min_population:
        raise InputError(f"--min-population {args.min_population} must be at least 500 (GeoNames lists)")
    from ..analysis.coverage import AREA_LABEL, CITIES_LABEL, coverage

    catalog = _catalog(args)
    missile = args.missile if args.missile is not None else args.range_km
    cov = coverage(args.site, missile, model=args.model, min_population=args.min_population, catalog=catalog)
    if args.json:
        doc = {"site": _place_json(cov.site), "missile": cov.missile.name, "model": cov.model,
               "range_km": cov.range_km, "min_population": cov.min_population, "land_km2": cov.covered_km2,
               "population": {"cities": cov.population_cities,
                              "cities_label": CITIES_LABEL.format(min=cov.min_population),
                              "area_est": cov.population_area_est, "area_label": AREA_LABEL},
               "countries": [c.row() for c in cov.countries],
               "cities": [c._asdict() for c in cov.cities]}
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif args.csv:
        import csv

        rows = [c.row() for c in cov.countries] if args.csv == "countries" else [c._asdict() for c in cov.cities]
        fields = list(rows[0]) if rows else (["name", "iso_a3", "share"] if args.csv == "countries"
                                             else ["name", "country", "lat", "lon", "population", "distance_km"])
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        out.write("\n".join(cov.summary(top=args.top)) + "\n")


# --- loft, list ---------------------------------------------------------------------

def _cmd_loft(args, out) -> None:
    from ..core.ballistics import loft_range

    model = args.model or ("gravity-loss" if args.burn_time else "simple")
    if model == "gravity-loss" and not args.burn_time:
        raise InputError("the gravity-loss model needs the powered-flight time: add --burn-time SECONDS")
    est = loft_range(args.apogee, args.range_km, time_min=args.time, burn_time_s=args.burn_time,
                     burnout_alt_km=args.burnout_alt, model=model)
    simple = est if model == "simple" else loft_range(args.apogee, args.range_km, time_min=args.time,
                                                      burnout_alt_km=args.burnout_alt)
    if args.json:
        doc = {"range_km": est.range_km, "model": est.model, "description": est.description,
               "inputs": {"apogee_km": args.apogee, "ground_range_km": args.range_km, "time_min": args.time,
                          "burn_time_s": args.burn_time, "burnout_alt_km": args.burnout_alt},
               "simple_range_km": simple.range_km, "burnout_speed_kms": est.burnout_speed_kms,
               "gravity_loss_kms": est.gravity_loss_kms, "model_time_min": est.model_time_min,
               "time_diff_min": est.time_diff_min}
        out.write(json.dumps(doc, indent=2) + "\n")
        return
    out.write(f"estimated range {est.range_km:,.0f} km on a minimum-energy trajectory ({est.model} model)\n"
              f"  {est.description}\n")
    if model != "simple":
        out.write(f"  simple model (same burnout speed, no gravity-loss credit): {simple.range_km:,.0f} km\n")


def _cmd_list(args, out) -> None:
    rows = getattr(_catalog(args), args.what)
    if args.json:
        from dataclasses import asdict

        out.write(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
        return
    for r in rows:
        if isinstance(r, Missile):
            band = f" ({r.certain_km:,.0f}-{r.max_km:,.0f})" if r.max_km > r.certain_km else ""
            figure = f"{r.type:9} {r.range_km:>7,.0f} km{band}"
        else:
            figure = f"{r.lat:9.4f} {r.lon:10.4f}"
        aliases = f" [{', '.join(r.aliases)}]" if r.aliases else ""
        out.write(f"{r.name}{aliases}\n    {figure}  source: {r.source} ({r.confidence or '?'})\n")


COMMANDS = {"map": _cmd_map, "check": _cmd_check, "list": _cmd_list, "export": _cmd_export, "loft": _cmd_loft,
            "coverage": _cmd_coverage, "report": _cmd_report}


_PLACE_OPTIONS = ("--site", "--target")
_SOUTH_OR_WEST = re.compile(r"-\d[\d.]*\s*,?\s*[-+]?[\d.]+")


def _join_negative_places(argv: list[str]) -> list[str]:
    """``--site -12.4,130.9`` as ``--site=-12.4,130.9``: argparse would take the value for an option."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in _PLACE_OPTIONS and _SOUTH_OR_WEST.fullmatch(arg):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run ``rangemap`` with `argv` (default: ``sys.argv[1:]``) and return the exit status."""
    try:
        args = _parser().parse_args(_join_negative_places(list(sys.argv[1:] if argv is None else argv)))
        COMMANDS[args.command](args, sys.stdout)
    except RangemapError as e:
        print(f"rangemap: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rangemap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except SystemExit as e:   # --help and --version
        return e.code if isinstance(e.code, int) else 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
