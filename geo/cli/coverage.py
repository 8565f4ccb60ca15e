"""``rangemap coverage``: which countries, cities and how many people are within range."""

from __future__ import annotations

import json

from ..analysis.scenario import MODELS, Scenario, site_for
from ..errors import InputError
from ..outputs.escape import csv_cell, terminal
from . import options

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    cv = sub.add_parser("coverage", help="which countries, cities and how many people are within range",
                        description="Countries (with the covered share of their area), cities and population "
                        "within range of a missile fired from a site.")
    cv.add_argument("--site", help="launch site name, alias or LAT,LON, or a state (ISO code or name: each of its "
                    "catalog sites) (default: the missile's own state's one catalog site)")
    cv.add_argument("--missile", help="missile class name or alias, or a state (ISO code or name: each of its "
                    "classes)")
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
    from ..analysis.coverage import coverage
    from ..outputs.text import coverage_caveat, coverage_lines

    missile = args.missile if args.missile is not None else args.range_km
    cat = options.catalog(args)
    covs = [coverage(site, m, model=args.model, min_population=args.min_population, catalog=cat)
            for site, m in _pairs(args, missile, cat)]
    if args.json:
        docs = [_json(cov, args.units) for cov in covs]
        out.write(json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2) + "\n")
    elif args.csv:
        import csv

        for cov in covs:
            if cov.near_orbital:
                options.note(f"note: {cov.missile.name}: {coverage_caveat(cov, args.units)}")
        many = len(covs) > 1                 # a state's classes or sites: which row is whose
        rows = [({"site": cov.site.name, "missile": cov.missile.name} if many else {}) | row for cov in covs
                for row in ([c.row() for c in cov.countries] if args.csv == "countries"
                            else [c._asdict() for c in cov.cities])]
        fields = list(rows[0]) if rows else (["site", "missile"] if many else []) + (
            ["name", "iso_a3", "share"] if args.csv == "countries"
            else ["name", "country", "lat", "lon", "population", "distance_km"])
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    else:
        out.write("\n\n".join("\n".join(terminal(line) for line in coverage_lines(cov, top=args.top, units=args.units))
                              for cov in covs) + "\n")


def _pairs(args, missile, cat) -> list:
    """(site, missile) for each site and missile the options name: a state means all of its sites or classes;
    no --site, the missile's own state's one catalog site (the one rule, :func:`site_for`)."""
    if args.site is None and args.missile is None:
        raise InputError("give a launch site with --site NAME or --site LAT,LON")
    s = Scenario.resolve(() if args.site is None else args.site, missile, catalog=cat, model=args.model,
                         require=False)
    for text in s.notes:
        options.note(f"note: {text}")
    sites = s.sites
    if not sites:
        site, why = site_for(s.missiles, cat)
        options.note(why)
        sites = (site,)
    return [(site, m) for site in sites for m in s.missiles]


def _json(cov, units: str) -> dict:
    from ..analysis.coverage import AREA_LABEL, CITIES_LABEL
    from ..outputs.text import coverage_caveat, place_json

    doc = {"site": place_json(cov.site), "missile": cov.missile.name, "model": cov.model,
           "range_km": cov.range_km, "min_range_km": cov.missile.min_range_km,
           "min_population": cov.min_population, "land_km2": cov.covered_km2,
           "population": {"cities": cov.population_cities,
                          "cities_label": CITIES_LABEL.format(min=cov.min_population),
                          "area_est": cov.population_area_est, "area_label": AREA_LABEL},
           "units": units,
           "near_orbital": cov.near_orbital,
           "near_orbital_bearings_deg": [list(sector) for sector in cov.near_orbital_sectors],
           "near_orbital_note": coverage_caveat(cov, units) or None,
           "countries": [c.row() for c in cov.countries],
           "cities": [c._asdict() for c in cov.cities]}
    if units != "km":
        from ..outputs.formatting import to_units

        doc[f"range_{units}"] = to_units(cov.range_km, units)
        doc[f"land_{units}2"] = to_units(to_units(cov.covered_km2, units), units)
    return doc
