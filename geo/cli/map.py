"""``rangemap map``: a range map, interactive HTML or a PNG/SVG/PDF figure for print."""

from __future__ import annotations

from ..analysis.assessment import assess
from ..errors import InputError
from ..validate import Labels, View
from . import options

__all__ = ["add_parser", "run", "FORMATS"]

#: Map formats: interactive HTML, or a print figure.
FORMATS = ("html", "png", "svg", "pdf")
#: Tile layers of HTML maps (geo.outputs.web.page.TILES, named here so the parser stays light).
TILE_CHOICES = ("none", "osm")


def add_parser(sub) -> None:
    m = sub.add_parser("map", help="write a range map: interactive HTML, or PNG/SVG/PDF for print",
                       description="Write a map of range rings. With no arguments: the Hwasong-12 from the "
                       "Chagang base, with Guam, as interactive HTML in maps/.")
    options.add_scenario(m)
    m.add_argument("-o", "--output", metavar="PATH", help="output file (default: maps/<scenario>.<format>); "
                   "'-' for standard output (HTML or SVG)")
    m.add_argument("--format", choices=FORMATS, help="html (interactive, default), or png/svg/pdf "
                   "(print figure); default from the output's extension")
    m.add_argument("--tiles", choices=TILE_CHOICES, default=None,
                   help="HTML maps are self-contained: Leaflet and the country outlines are in the file. none "
                        "(default): no tiles, the page never makes a network request; osm: OpenStreetMap tiles "
                        "over the land where a network is there (OSM may refuse pages opened from a file)")
    m.add_argument("--offline", action="store_true",
                   help="guarantee no network request at all (the default; refuses --tiles osm)")
    fig = m.add_argument_group("print figure (PNG, SVG, PDF)")
    fig.add_argument("--dpi", type=options.positive("dpi", "dots per inch"),
                     help="resolution of a PNG figure (default 200; from 10 to 1200)")
    fig.add_argument("--size", metavar="SIZE",
                     help="figure size: 16:9, 4:3, square, a4 or letter, optionally -landscape or -portrait "
                          "(e.g. a4-landscape; slides default to landscape, pages to portrait); default: 7.5 in "
                          "wide, as tall as the content")
    fig.add_argument("--labels", choices=Labels.values(),
                     help="which targets get a label with name and distance: all (default), in-range (in range "
                          "or possibly in range of some missile), none; labels that find no room are left out "
                          "and counted in the caption")
    fig.add_argument("--view", choices=View.values(),
                     help="site: azimuthal equidistant centred on the first site (distances from it true); world: "
                          "Equal Earth world map (areas true); auto (default): world for reaches of 12,000 km "
                          "and more")
    m.add_argument("--shade-coverage", action="store_true",
                   help="shade the part of each country within range (HTML maps)")
    m.add_argument("--live", action="store_true",
                   help="one offline HTML page to explore what-ifs: drag the site, pick a missile or type a "
                        "range, click any point for distance and verdict (exact WGS84 rings computed in the page)")


def run(args, out) -> None:
    fmt = options.output_format(args, FORMATS, "html")
    if args.live:
        _run_live(args, fmt, out)
        return
    if fmt != "html" and args.offline:
        raise InputError(f"--offline applies to HTML maps; a {fmt.upper()} figure never needs the network")
    if fmt != "html" and args.tiles:
        raise InputError(f"--tiles applies to HTML maps; a {fmt.upper()} figure draws no tiles")
    if args.offline and args.tiles not in (None, "none"):
        raise InputError(f"--offline makes no network request: leave out --tiles {args.tiles}")
    figure_only = [f"--{o}" for o in ("dpi", "size", "labels", "view") if getattr(args, o) is not None]
    if fmt == "html" and figure_only:
        raise InputError(f"{figure_only[0]} applies to PNG figures: add --format png (or svg, pdf)")
    if fmt != "html":
        from ..outputs.figure import check_dpi, page_size

        page_size(args.size)                   # bad input fails before any work
        if args.dpi is not None:
            check_dpi(args.dpi)
    if fmt != "html" and args.shade_coverage:
        raise InputError("--shade-coverage applies to HTML maps: use --format html")
    if options.to_stdout(args) and fmt in ("png", "pdf"):
        raise InputError(f"a {fmt.upper()} figure is binary and cannot go to standard output: give -o FILE.{fmt}, "
                         "or --format svg")
    scenario = options.scenario(args)
    path = options.output_path(args, scenario, fmt)
    a = assess(scenario)
    if fmt == "html":
        from ..analysis.coverage import shaded_countries
        from ..outputs.web.offline import write_map
        from ..outputs.web.page import build_map

        shaded = shaded_countries(a) if args.shade_coverage else ()
        write_map(build_map(a, title=args.title, offline=args.offline, shaded=shaded, tiles=args.tiles,
                            units=args.units), path)
    else:
        from ..outputs.figure import figure, save_figure

        fig = figure(a, title=args.title, units=args.units, size=args.size or "auto", labels=args.labels or "all",
                     view=args.view or "auto")
        save_figure(fig, path, fmt=fmt, **({"dpi": args.dpi} if args.dpi else {}))
    if not options.to_stdout(args):
        out.write(f"{path}\n")


def _run_live(args, fmt: str, out) -> None:
    """``rangemap map --live``: the live map (:mod:`geo.outputs.live`), always offline, geodesic model."""
    if fmt != "html":
        raise InputError(f"--live writes an HTML page, not {fmt.upper()}: use an .html output or leave out --format")
    for flag, given in (("--offline", args.offline), ("--dpi", args.dpi), ("--shade-coverage", args.shade_coverage),
                        ("--tiles", args.tiles)):
        if given:
            raise InputError(f"{flag} does not apply to --live (the live page is always offline): leave out {flag}")
    if args.model != "geodesic":
        raise InputError("--live draws the geodesic model only: leave out --model rotating")
    from ..outputs.live import build_live_map, write_live_map

    cat = options.catalog(args)
    scenario = options.scenario(args, cat)
    path = options.output_path(args, scenario, "html", suffix="_live")
    write_live_map(build_live_map(scenario, title=args.title, catalog=cat), path)
    if not options.to_stdout(args):
        out.write(f"{path}\n")
