"""``rangemap threats``: who can reach a place? Every catalog site × missile of the same state that does."""

from __future__ import annotations

import json
from pathlib import Path

from ..analysis.scenario import MODELS
from ..errors import InputError
from ..outputs.escape import terminal
from . import options

__all__ = ["add_parser", "run", "TABLE_SUFFIXES", "GIS_SUFFIXES"]

#: A table of the reaching pairs.
TABLE_SUFFIXES = (".csv", ".json")
#: The rings that reach the place, with the sites, the place and the paths (as ``rangemap export``).
GIS_SUFFIXES = (".geojson", ".kml", ".gpkg")


def add_parser(sub) -> None:
    c = sub.add_parser("threats", help="who can reach a place? every catalog site x missile that does",
                       description="Every catalog launch site x missile class of the same state that reaches "
                       "the place (in range or possibly in range), with verdict, distance, margin and flight "
                       "time, best margin first.")
    c.add_argument("--target", required=True, help="the place: name, alias, city or LAT,LON")
    c.add_argument("--country", help="only this state's sites and missiles (ISO code or name: KP, North Korea)")
    c.add_argument("--model", choices=MODELS, default="geodesic",
                   help="geodesic (default) or rotating: reach that depends on direction (Earth's rotation)")
    c.add_argument("--launch-area", metavar="COUNTRY|FILE",
                   help="fire from anywhere in a country's territory (its own missiles) or a GeoJSON polygon "
                        "(the missiles of --country), from the area's nearest point, instead of catalog sites")
    options.add_units(c)
    c.add_argument("--json", action="store_true", help="print JSON: one object per reaching pair")
    c.add_argument("-o", "--output", metavar="PATH",
                   help="write the pairs as a table (.csv, .json) or their rings (.geojson, .kml, .gpkg)")
    options.add_catalog_files(c)


def _output(args) -> Path | None:
    from ..outputs.files import check_output

    if not args.output:
        return None
    if args.json:
        raise InputError("--json prints to the terminal; -o writes a file: give one of them")
    path = check_output(args.output, inputs=options.inputs(args))
    if path.suffix.lower() not in TABLE_SUFFIXES + GIS_SUFFIXES:
        raise InputError(f"output {path} must end in {', '.join(TABLE_SUFFIXES + GIS_SUFFIXES)} "
                         "(maps and figures of threats are not drawn yet: use rangemap map with --site and --missile)")
    return path


def run(args, out) -> None:
    from ..analysis.threats import threats

    if args.target.strip() == "":
        raise InputError("give the place with --target NAME or --target LAT,LON")
    path = _output(args)                                   # checked before any work
    cat = options.catalog(args)
    target = cat.target(args.target)
    if target.note:
        options.note(f"note: {target.note}")
    t = threats(target, country=args.country, model=args.model, catalog=cat, launch_area=args.launch_area)
    if args.json:
        from ..outputs.threat_text import threat_json

        out.write(json.dumps(threat_json(t, units=args.units), ensure_ascii=False, indent=2) + "\n")
    elif path is not None:
        _write(t, path, out)
    else:
        from ..outputs.threat_text import threat_lines

        out.write("\n".join(terminal(line) for line in threat_lines(t, units=args.units)) + "\n")


def _write(t, path: Path, out) -> None:
    from ..outputs.threat_text import NONE_REACH

    if path.suffix.lower() in TABLE_SUFFIXES:
        from ..outputs.tables import write_table

        write_table(t.table(), path)
    else:
        from ..outputs.export import merged_layers, write_layers

        write_layers(merged_layers(t.assessments()), path)
    tail = f"{len(t.rows):,} site × missile pairs reach {t.target.name}" if t.rows else NONE_REACH
    out.write(terminal(f"{path}: {tail}") + "\n")
