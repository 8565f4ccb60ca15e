"""``rangemap find NAME``: every place a name matches, with country, coordinates and population.

The catalog rows come first (they win wherever a site or target is expected), then
countries, then GeoNames cities, most populous first: ``check --target NAME`` takes
the first line. ``NAME, QUALIFIER`` narrows to a country or a US state.
"""

from __future__ import annotations

import json

from ..catalog import places
from ..catalog.tables import parse_latlon
from ..errors import InputError, NotFoundError
from ..outputs.escape import terminal
from . import options

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    f = sub.add_parser("find", help="show the places a name matches: catalog rows, countries and cities",
                       description="Show every place a name matches, with country, coordinates and population: "
                       "catalog sites and targets first, then countries, then GeoNames cities, most populous "
                       "first. 'check --target NAME' takes the first.")
    f.add_argument("name", help="a place name, optionally qualified: 'London', 'London, Canada', 'Portland, OR'")
    f.add_argument("--limit", type=int, default=20, metavar="N", help="show at most N places (default 20)")
    f.add_argument("--json", action="store_true", help="print a JSON array")
    options.add_catalog_files(f)


def _rows(args) -> list[dict]:
    point = parse_latlon(args.name)
    if point is not None:
        return [{"name": point.name, "kind": "coordinates", "country": "", "lat": point.lat, "lon": point.lon,
                 "population": None, "source": point.source}]
    rows = [{"name": r.name, "kind": "catalog", "country": r.country, "lat": r.lat, "lon": r.lon,
             "population": None, "source": r.source}
            for r in options.catalog(args).rows_named(args.name)]
    for m in places.find(args.name):
        src = f"GeoNames id {m.code}" if m.kind == "city" else f"{m.code}; point: {m.point}"
        rows.append({"name": m.label, "kind": m.kind, "country": m.country, "lat": m.lat, "lon": m.lon,
                     "population": m.population or None, "source": src})
    return rows


def run(args, out) -> None:
    if args.limit < 1:
        raise InputError(f"--limit {args.limit} must be at least 1")
    rows = _rows(args)
    if not rows:
        close = places.closest(args.name, 4)
        hint = f"closest: {'; '.join(close)}" if close else "no close match among the countries and cities"
        raise NotFoundError(f"no place named {args.name!r}; {hint}")
    shown = rows[:args.limit]
    if args.json:
        out.write(json.dumps(shown, ensure_ascii=False, indent=2) + "\n")
        return
    more = f", showing the first {len(shown)}" if len(rows) > len(shown) else ""
    out.write(terminal(f"{args.name.strip()}: {len(rows)} place{'s' * (len(rows) > 1)}{more} "
                       "(a site or target takes the first)") + "\n")
    for r in shown:
        pop = f"pop. {r['population']:,}" if r["population"] else ""
        out.write(terminal(f"  {r['name']:<44} {r['kind']:<9} {r['lat']:9.4f} {r['lon']:10.4f}  {pop:<16} "
                           f"{r['source']}") + "\n")
