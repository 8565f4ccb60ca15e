"""``rangemap export``: rings, sites, targets and paths for GIS (GeoJSON, KML, GeoPackage)."""

from __future__ import annotations

from ..analysis.assessment import assess
from ..errors import InputError
from . import options

__all__ = ["add_parser", "run", "FORMATS"]

#: Export formats.
FORMATS = ("geojson", "kml", "gpkg")


def add_parser(sub) -> None:
    e = sub.add_parser("export", help="write rings, sites, targets and paths for GIS (GeoJSON, KML, GeoPackage)",
                       description="Export the scenario's analysis geometry with its attributes.")
    options.add_scenario(e, title=False, units=False)   # GIS attributes stay in km
    e.add_argument("-o", "--output", metavar="PATH", help="output file (default: maps/<scenario>.<format>); "
                   "'-' for standard output (GeoJSON or KML, with --format)")
    e.add_argument("--format", choices=FORMATS, help="default from the output's extension")


def run(args, out) -> None:
    fmt = options.output_format(args, FORMATS, "")
    scenario = options.scenario(args)
    from ..outputs.export import export

    if options.to_stdout(args) and fmt == "gpkg":
        raise InputError("a GeoPackage is a database file and cannot go to standard output: give -o FILE.gpkg")
    path = options.output_path(args, scenario, fmt)
    written = export(assess(scenario), path=path, fmt=fmt)
    if not options.to_stdout(args):
        out.write(f"{written}\n")
