"""``rangemap list``: the catalog's sites, missiles or targets, each with its source."""

from __future__ import annotations

import json

from ..catalog.tables import Missile
from ..errors import InputError
from ..outputs.escape import terminal
from . import options

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    ls = sub.add_parser("list", help="list the catalog", description="List launch sites, missiles or targets.")
    ls.add_argument("what", choices=["sites", "missiles", "targets"])
    ls.add_argument("--json", action="store_true", help="print a JSON array")
    ls.add_argument("--country", metavar="CODE|NAME",
                    help="the missiles or launch sites of one country: ISO 3166-1 code or name (CN, China)")
    options.add_catalog_files(ls)


def run(args, out) -> None:
    cat = options.catalog(args)
    if args.country and args.what == "targets":
        raise InputError("--country lists missiles or sites: use 'rangemap list missiles --country CODE' "
                         "or 'rangemap list sites --country CODE'")
    of = cat.missiles_of if args.what == "missiles" else cat.sites_of
    rows = of(args.country) if args.country else getattr(cat, args.what)
    if args.json:
        from dataclasses import asdict

        out.write(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
        return
    for r in rows:
        if isinstance(r, Missile):
            band = f" ({r.certain_km:,.0f}-{r.max_km:,.0f})" if r.max_km > r.certain_km else ""
            figure = f"{r.country:5} {r.type:9} {r.range_km:>7,.0f} km{band}"
        else:
            figure = f"{r.lat:9.4f} {r.lon:10.4f}"
        aliases = f" [{', '.join(r.aliases)}]" if r.aliases else ""
        out.write(terminal(f"{r.name}{aliases}") + "\n" +
                  terminal(f"    {figure}  source: {r.source} ({r.confidence or '?'})") + "\n")
