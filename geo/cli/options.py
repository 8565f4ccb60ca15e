"""What the commands share: the parser class, the scenario options, output paths and formats."""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

from ..analysis.scenario import MODELS, Scenario, site_for
from ..catalog.tables import Catalog
from ..core.geodesy import MIN_RANGE_KM
from ..errors import InputError, NotFoundError

__all__ = ["Parser", "positive", "range_km", "add_catalog_files", "add_units", "add_scenario", "add_target_sets",
           "target_sets", "catalog",
           "scenario", "inputs", "output_path", "output_format", "to_stdout", "note", "finish", "FOUNDING", "MAPS_DIR"]

#: The founding scenario: what ``rangemap map`` draws with no arguments.
FOUNDING = {"site": "Chagang", "missile": "Hwasong-12", "target": "Guam"}
#: Where maps go when no ``-o`` is given.
MAPS_DIR = Path("maps")


# Notes for stderr and folders made for outputs, of the run under way (see finish()).
_NOTES: list = []
_MADE: list = []


def note(text: str) -> None:
    """A line for stderr (``rangemap: <text>``), printed when the run succeeds: a failed run prints
    its one error line and nothing else."""
    _NOTES.append(text)


def finish(ok: bool, stderr) -> None:
    """End of a run: print the notes (on success), or remove the folders the run made and left
    empty (on failure: nothing is left behind)."""
    from ..outputs.escape import terminal

    if ok:
        for text in _NOTES:
            print(f"rangemap: {terminal(text)}", file=stderr)
    else:
        for folder in reversed(_MADE):
            try:
                folder.rmdir()
            except OSError:
                pass
    _NOTES.clear()
    _MADE.clear()


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message):
        raise InputError(f"{message} (see '{self.prog} --help')")


def positive(what: str, unit: str):
    """An argparse type: a finite number > 0."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} {text!r} is not a number of {unit}") from None
        if not value > 0 or math.isinf(value):
            raise argparse.ArgumentTypeError(f"{what} {text!r} must be a positive number of {unit}")
        return value

    return parse


def _range(text: str) -> float:
    value = positive("range", "kilometres")(text)
    if value < MIN_RANGE_KM:
        raise argparse.ArgumentTypeError(f"range {text!r} is below the smallest range rangemap draws, "
                                         f"{MIN_RANGE_KM:g} km (1 m)")
    return value


#: An argparse type: a range in km, at least :data:`geo.core.geodesy.MIN_RANGE_KM`.
range_km = _range


def add_catalog_files(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("your own catalog rows (CSV; repeatable)")
    g.add_argument("--sites-file", action="append", default=[], metavar="CSV",
                   help="extra launch sites: columns name,lat,lon (and optionally source, ...)")
    g.add_argument("--missiles-file", action="append", default=[], metavar="CSV",
                   help="extra missile classes: columns name,range_km (and optionally range_low_km, ...)")
    g.add_argument("--targets-file", action="append", default=[], metavar="CSV",
                   help="extra targets: CSV with columns name,lat,lon (and optionally source, ...)")


def add_units(g) -> None:
    """``--units km|mi|nmi``: the unit of every distance a person reads (JSON keeps kilometres)."""
    from ..outputs.formatting import UNITS

    g.add_argument("--units", choices=UNITS, default="km",
                   help="unit of the distances shown: km (default), mi (statute miles, 1.609344 km) or nmi "
                        "(nautical miles, 1.852 km); JSON keeps its _km fields and names the unit")


def add_scenario(p: argparse.ArgumentParser, *, title: bool = True, units: bool = True,
                 heading: str = "scenario (default: Hwasong-12 from the Chagang base, with Guam)") -> None:
    g = p.add_argument_group(heading)
    g.add_argument("--site", action="append", default=[], help="launch site name, alias or LAT,LON, or a state "
                   "(ISO code or name: all of its catalog sites) (repeatable)")
    g.add_argument("--missile", action="append", default=[], help="missile class name or alias, or a state (ISO "
                   "code or name, e.g. KP or 'North Korea': all of its classes) (repeatable)")
    g.add_argument("--range", dest="range_km", action="append", default=[], type=range_km, metavar="KM",
                   help="a range in km instead of (or besides) a missile class (repeatable)")
    g.add_argument("--target", action="append", default=[], help="target name, alias or LAT,LON (repeatable)")
    add_target_sets(g)
    g.add_argument("--model", choices=MODELS, default="geodesic",
                   help="geodesic: range circles on a non-rotating Earth (default); rotating: reach "
                        "that depends on direction (Earth's rotation)")
    if title:
        g.add_argument("--title", help="title")
    if units:
        add_units(g)
    add_catalog_files(p)


def _cities(text: str) -> tuple[str, int]:
    """An argparse type: ``CC[:N]``, a country (ISO code or name) and how many of its cities."""
    from ..catalog.places import country_code
    from ..catalog.targetsets import DEFAULT_CITIES

    country, colon, count = text.rpartition(":") if ":" in text else (text, "", "")
    example = "write e.g. --cities US:50 (a country's ISO code or name, then how many of its largest cities)"
    if not country.strip():
        raise argparse.ArgumentTypeError(f"{text!r} names no country: {example}")
    n = DEFAULT_CITIES
    if colon:
        try:
            n = int(count)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: {count!r} is not a whole number of cities: {example}") from None
        if n < 1:
            raise argparse.ArgumentTypeError(f"{text!r}: the number of cities must be 1 or more: {example}")
    try:
        return country_code(country), n
    except NotFoundError as e:
        raise argparse.ArgumentTypeError(f"{text!r}: {e}") from None


def add_target_sets(g) -> None:
    """``--cities CC[:N]`` and ``--capitals``: built-in sets of targets from GeoNames."""
    g.add_argument("--cities", action="append", default=[], type=_cities, metavar="CC[:N]",
                   help="the N most populous GeoNames cities of a country (ISO code or name; N default 10) as "
                        "targets (repeatable)")
    g.add_argument("--capitals", action="store_true", help="the capital of every country as a target")


def target_sets(args) -> list:
    """The sets of targets ``--cities`` and ``--capitals`` ask for (:class:`geo.catalog.targetsets.PlaceSet`)."""
    from ..catalog import targetsets

    sets = [targetsets.cities(code, n) for code, n in getattr(args, "cities", ())]
    return sets + ([targetsets.capitals()] if getattr(args, "capitals", False) else [])


def catalog(args) -> Catalog:
    """The builtin catalogs with the user's rows (after -o PATH is checked: an output is never an input)."""
    if getattr(args, "output", None) and getattr(args, "command", None) != "check":
        from ..outputs.files import check_output

        check_output(args.output, inputs=inputs(args))
    return Catalog.load(sites_files=args.sites_file, missiles_files=args.missiles_file,
                        targets_files=args.targets_file)


def scenario(args, cat: Catalog | None = None) -> Scenario:
    """The scenario the options name.

    Sites, missiles and targets come from the options, else from the user's catalog files. With
    none of them at all, the founding scenario (with its target, Guam); otherwise the founding
    site and missile fill what is missing, and no target is added that nobody asked for.
    """
    from ..outputs.escape import terminal

    cat = cat or catalog(args)
    user = Catalog.load(sites_files=args.sites_file, missiles_files=args.missiles_file,
                        targets_files=args.targets_file, builtin=False)
    # states expand to their missiles and sites, --cities and --capitals to places (the scenario layer's rules)
    given = Scenario.resolve(args.site, [*args.missile, *args.range_km], [*args.target, *target_sets(args)],
                             model=args.model, catalog=cat, require=False)
    sites = list(given.sites) or list(user.sites)
    missiles = list(given.missiles) or list(user.missiles)
    targets = list(given.targets) or list(user.targets)
    if not (sites or missiles or targets):
        targets = [cat.target(FOUNDING["target"])]
    if not sites and args.missile:           # a missile named without a site: its own state's site, or refuse
        named = given.missiles[:len(given.missiles) - len(args.range_km)]     # the ranges come last
        site, why = site_for(named, cat)
        note(why)
        sites = [site]
    for text in given.notes:          # "North Korea → 16 missile classes: …", "London → London, United Kingdom …"
        print(f"rangemap: note: {terminal(text)}", file=sys.stderr)
    sites = sites or [cat.site(FOUNDING["site"])]
    missiles = missiles or [cat.missile(FOUNDING["missile"])]
    return Scenario(tuple(sites), tuple(missiles), tuple(targets), args.model, getattr(args, "title", None))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40].strip("-")


def inputs(args) -> dict:
    """The files a command reads, path → option: an output may not be one of them."""
    found = {}
    for option in ("sites_file", "missiles_file", "targets_file", "targets_table"):
        for path in getattr(args, option, None) or ():
            found.setdefault(path, "--" + option.replace("_", "-"))
    area = getattr(args, "launch_area", None)              # a country's name, or a GeoJSON file
    if area and Path(area).exists():
        found.setdefault(area, "--launch-area")
    return found


def to_stdout(args) -> bool:
    """True when the output is ``-o -``: standard output."""
    return getattr(args, "output", None) == "-"


def output_path(args, s: Scenario, fmt: str, suffix: str = "") -> Path:
    """The output path: -o PATH (checked: not an input, a folder or a device), ``-`` for
    standard output, or maps/<site>_<missiles><suffix>.<fmt>."""
    from ..outputs.files import check_output

    if args.output is not None:                    # -o "" is refused by check_output, not taken as no -o
        return check_output(args.output, inputs=inputs(args))
    site = s.sites[0].aliases[0] if s.sites[0].aliases else s.sites[0].name
    name = "_".join([_slug(site)] + [_slug(m.name) for m in s.missiles[:3]]) + suffix
    if not MAPS_DIR.is_dir():
        MAPS_DIR.mkdir()
        _MADE.append(MAPS_DIR)
    return MAPS_DIR / f"{name}.{fmt}"


def output_format(args, choices, default: str) -> str:
    """--format, else the output's extension, else `default`; the two must agree."""
    ext = Path(args.output).suffix.lower().lstrip(".") if args.output and not to_stdout(args) else ""
    ext = {"htm": "html", "json": "geojson"}.get(ext, ext)
    if args.format and ext and ext != args.format:
        raise InputError(f"--format {args.format} conflicts with the output's extension .{ext}: make them agree")
    fmt = args.format or ext or default
    if not fmt and to_stdout(args):
        raise InputError(f"-o - writes to standard output: say which format with --format {{{','.join(choices)}}}")
    if fmt not in choices:
        raise InputError(f"output {args.output} has an unknown format '.{ext}': use one of "
                         f"{', '.join('.' + c for c in choices)} or --format")
    return fmt
