"""``rangemap coverage``: which countries, cities and how many people are within range."""

from __future__ import annotations

import json

from ..analysis.scenario import MODELS
from ..errors import InputError
from ..outputs.escape import csv_cell, terminal
from . import options

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    cv = sub.add_parser("coverage", help="which countries, cities and how many people are within range",
                        description="Countries (with the covered share of their area), cities and population "
                        "within range of a missile fired from a site.")
    cv.add_argument("--site", help="launch site name, alias or LAT,LON (default: the missile's own state's "
                    "one catalog site)")
    cv.add_argument("--missile", help="missile class name or alias")
    cv.add_argument("--range", dest="range_km", type=options.range_km, metavar="KM", help="a range in km")
    cv.add_argument("--model", choices=MODELS, default="geodesic", help="geodesic (default) or rotating")
    cv.add_argument("--min-population", type=int, default=15000, metavar="N",
                    help="smallest city counted (default 15,000; GeoNames lists of 500, 1,000, 5,000, 15,000)")
    fmt = cv.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print one JSON object")
    fmt.add_argument("--csv", choices=["countries", "cities"], nargs="?", const="countries",
                     help="print a CSV table of the countries (default) or the cities")
    cv.add_argument("--top", type=int, default=10, metavar="N", help="countries and cities named in the text (10)")
    options.add_units(cv)
    options.add_catalog_files(cv)


def run(args, out) -> None:
    if (args.missile is None) == (args.range_km is None):
        raise InputError("give either --missile NAME or --range KM")
    if not 500 <= args.min_population:
        raise InputError(f"--min-population {args.min_population} must be at least 500 (GeoNames lists)")
    if args.top < 0:
        raise InputError(f"--top {args.top} must be 0 or more")
    from ..analysis.coverage import AREA_LABEL, CITIES_LABEL, coverage
    from ..outputs.text import coverage_caveat, coverage_lines, place_json

    missile = args.missile if args.missile is not None else args.range_km
    if args.site is None:
        if args.missile is None:
            raise InputError("give a launch site with --site NAME or --site LAT,LON")
        from ..analysis.scenario import site_for

        site, why = site_for([args.missile], options.catalog(args))
        options.note(why)
        args.site = site
    cov = coverage(args.site, missile, model=args.model, min_population=args.min_population,
                   catalog=options.catalog(args))
    if args.json:
        doc = {"site": place_json(cov.site), "missile": cov.missile.name, "model": cov.model,
               "range_km": cov.range_km, "min_range_km": cov.missile.min_range_km,
               "min_population": cov.min_population, "land_km2": cov.covered_km2,
               "population": {"cities": cov.population_cities,
                              "cities_label": CITIES_LABEL.format(min=cov.min_population),
                              "area_est": cov.population_area_est, "area_label": AREA_LABEL},
               "units": args.units,
               "near_orbital": cov.near_orbital,
               "near_orbital_bearings_deg": [list(sector) for sector in cov.near_orbital_sectors],
               "near_orbital_note": coverage_caveat(cov, args.units) or None,
               "countries": [c.row() for c in cov.countries],
               "cities": [c._asdict() for c in cov.cities]}
        if args.units != "km":
            from ..outputs.formatting import to_units

            doc[f"range_{args.units}"] = to_units(cov.range_km, args.units)
            doc[f"land_{args.units}2"] = to_units(to_units(cov.covered_km2, args.units), args.units)
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif args.csv:
        import csv

        if cov.near_orbital:
            options.note(f"note: {coverage_caveat(cov, args.units)}")

        rows = [c.row() for c in cov.countries] if args.csv == "countries" else [c._asdict() for c in cov.cities]
        fields = list(rows[0]) if rows else (["name", "iso_a3", "share"] if args.csv == "countries"
                                             else ["name", "country", "lat", "lon", "population", "distance_km"])
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    else:
        out.write("\n".join(terminal(line) for line in coverage_lines(cov, top=args.top, units=args.units)) + "\n")
