"""``rangemap loft``: estimate a missile's range from a lofted test flight."""

from __future__ import annotations

import json

from ..errors import InputError
from .options import positive

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    lo = sub.add_parser("loft", help="estimate a missile's range from a lofted test flight",
                        description="Range on a minimum-energy trajectory of a missile seen on a lofted test "
                        "(Keplerian free flight over a spherical, non-rotating Earth).")
    lo.add_argument("--apogee", type=positive("apogee", "kilometres"), required=True, metavar="KM",
                    help="apogee altitude of the test, km")
    lo.add_argument("--range", dest="range_km", type=positive("range", "kilometres"), required=True,
                    metavar="KM", help="ground range of the test, km")
    lo.add_argument("--time", type=positive("time", "minutes"), metavar="MIN",
                    help="observed flight time, minutes (a consistency check)")
    lo.add_argument("--burn-time", type=positive("burn time", "seconds"), metavar="S",
                    help="powered-flight time, seconds: enables the gravity-loss correction")
    lo.add_argument("--burnout-alt", type=float, default=0.0, metavar="KM", help="burnout altitude, km (default 0)")
    lo.add_argument("--model", choices=["simple", "gravity-loss"],
                    help="simple (same burnout speed) or gravity-loss (needs --burn-time); "
                         "default: gravity-loss when --burn-time is given")
    lo.add_argument("--json", action="store_true", help="print one JSON object")


def run(args, out) -> None:
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
