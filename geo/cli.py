"""The ``rangemap`` command line.

``main(argv)`` returns the exit status: 0 on success, 2 on bad input (one line on
stderr naming the problem and the fix, no traceback, no output file).

>>> main(["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam"])
Hwasong-12 from Hoejung-ri missile operating base (Chagang) to Guam (Andersen AFB): in range
  distance 3,540 km, range 4,500 km (band 4,500-5,000 km), margin +960 km, bearing 145.2°
  (WGS84 geodesic; range: CSIS Missile Threat; UCS (D. Wright); ROK JCS)
0
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from .catalog import Catalog, Missile, Place
from .errors import InputError, RangemapError
from .reach import as_missile, check

__all__ = ["main"]

FOUNDING = {"site": "Chagang", "missile": "Hwasong-12", "target": "Guam"}
MAPS_DIR = Path("maps")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message):
        raise InputError(f"{message} (see '{self.prog} --help')")


def _range_km(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"range {text!r} is not a number of kilometres") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"range {text!r} must be a positive number of kilometres")
    return value


def _add_catalog_files(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("your own catalog rows (CSV; repeatable)")
    g.add_argument("--sites-file", action="append", default=[], metavar="CSV",
                   help="extra launch sites: columns name,lat,lon (and optionally source, ...)")
    g.add_argument("--missiles-file", action="append", default=[], metavar="CSV",
                   help="extra missile classes: columns name,range_km (and optionally range_low_km, ...)")
    g.add_argument("--targets-file", action="append", default=[], metavar="CSV",
                   help="extra targets: columns name,lat,lon (and optionally source, ...)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rangemap", description="Exact ballistic-missile range rings and in-range "
                     "checks on the WGS84 ellipsoid.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    m = sub.add_parser("map", help="write an interactive range map (HTML)",
                       description="Write an interactive map of range rings. With no arguments: the "
                       "Hwasong-12 from the Chagang base, with Guam.")
    m.add_argument("--site", action="append", default=[], help="launch site name, alias or LAT,LON (repeatable)")
    m.add_argument("--missile", action="append", default=[], help="missile class name or alias (repeatable)")
    m.add_argument("--range", dest="range_km", action="append", default=[], type=_range_km, metavar="KM",
                   help="a range in km instead of (or besides) a missile class (repeatable)")
    m.add_argument("--target", action="append", default=[], help="target name, alias or LAT,LON (repeatable)")
    m.add_argument("-o", "--output", metavar="PATH", help="output file (default: maps/<scenario>.html)")
    m.add_argument("--title", help="map title")
    m.add_argument("--offline", action="store_true",
                   help="self-contained HTML: Leaflet inlined, no tiles, no network request")
    _add_catalog_files(m)

    c = sub.add_parser("check", help="is a target in range?",
                       description="Say whether a missile fired from a site reaches a target.")
    c.add_argument("--site", required=True, help="launch site name, alias or LAT,LON")
    what = c.add_mutually_exclusive_group(required=True)
    what.add_argument("--missile", help="missile class name or alias")
    what.add_argument("--range", dest="range_km", type=_range_km, metavar="KM", help="a range in km")
    c.add_argument("--target", required=True, help="target name, alias or LAT,LON")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    _add_catalog_files(c)

    ls = sub.add_parser("list", help="list the catalog", description="List launch sites, missiles or targets.")
    ls.add_argument("what", choices=["sites", "missiles", "targets"])
    ls.add_argument("--json", action="store_true", help="print a JSON array")
    _add_catalog_files(ls)
    return parser


def _catalog(args) -> Catalog:
    return Catalog.load(sites_files=args.sites_file, missiles_files=args.missiles_file,
                        targets_files=args.targets_file)


def _place_json(p: Place) -> dict:
    return {"name": p.name, "lat": p.lat, "lon": p.lon}


def _cmd_check(args, out) -> None:
    catalog = _catalog(args)
    missile = args.missile if args.missile is not None else args.range_km
    r = check(args.site, missile, args.target, catalog=catalog)
    m = r.missile
    band = (m.certain_km, m.max_km) if m.max_km > m.certain_km else None
    if args.json:
        doc = {
            "site": _place_json(r.site), "target": _place_json(r.target), "missile": m.name,
            "range_km": r.range_km, "range_band_km": list(band) if band else None,
            "min_range_km": m.min_range_km, "distance_km": r.distance_km, "margin_km": r.margin_km,
            "bearing_deg": r.bearing_deg, "verdict": r.verdict, "model": "WGS84 geodesic (Karney)",
            "sources": {"missile": m.source, "site": r.site.source, "target": r.target.source},
        }
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    band_text = f" (band {band[0]:,.0f}-{band[1]:,.0f} km)" if band else ""
    out.write(f"{m.name} from {r.site.name} to {r.target.name}: {r.verdict}\n"
              f"  distance {r.distance_km:,.0f} km, range {r.range_km:,.0f} km{band_text}, "
              f"margin {r.margin_km:+,.0f} km, bearing {r.bearing_deg:.1f}°\n"
              f"  (WGS84 geodesic; range: {m.source or 'no source given'})\n")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40].strip("-")


def _scenario(args, catalog: Catalog):
    """Sites, missiles and targets for `map`: named ones, else the user's file rows, else the founding scenario."""
    user = Catalog.load(sites_files=args.sites_file, missiles_files=args.missiles_file,
                        targets_files=args.targets_file, builtin=False)
    sites = [catalog.site(s) for s in args.site] or list(user.sites) or [catalog.site(FOUNDING["site"])]
    missiles = [as_missile(m, catalog) for m in args.missile] + [as_missile(km) for km in args.range_km]
    missiles = missiles or list(user.missiles) or [catalog.missile(FOUNDING["missile"])]
    targets = [catalog.target(t) for t in args.target] or list(user.targets) or [catalog.target(FOUNDING["target"])]
    return sites, missiles, targets


def _default_output(sites: list[Place], missiles: list[Missile]) -> Path:
    site = sites[0].aliases[0] if sites[0].aliases else sites[0].name
    name = "_".join([_slug(site)] + [_slug(m.name) for m in missiles[:3]])
    MAPS_DIR.mkdir(exist_ok=True)
    return MAPS_DIR / f"{name}.html"


def _cmd_map(args, out) -> None:
    from .files import check_writable

    catalog = _catalog(args)
    sites, missiles, targets = _scenario(args, catalog)
    path = check_writable(args.output) if args.output else _default_output(sites, missiles)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"output {path} must end in .html: the map is an HTML page")
    from .render import build_map, write_map

    write_map(build_map(sites, missiles, targets, title=args.title, offline=args.offline), path)
    out.write(f"{path}\n")


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


COMMANDS = {"map": _cmd_map, "check": _cmd_check, "list": _cmd_list}


def main(argv: list[str] | None = None) -> int:
    """Run ``rangemap`` with `argv` (default: ``sys.argv[1:]``) and return the exit status."""
    try:
        args = _parser().parse_args(argv)
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
