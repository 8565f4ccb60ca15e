"""``rangemap loft``: estimate a missile's range from a lofted test flight."""

from __future__ import annotations

import json
import math

from ..errors import InputError
from .options import positive

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    lo = sub.add_parser("loft", help="estimate a missile's range from a lofted test flight",
                        description="Range of a missile seen on a lofted test, on a non-rotating spherical Earth: "
                        "Keplerian free flight (simple, gravity-loss) or the powered-flight model (powered). "
                        "-o draws the trajectory profile (powered-flight model; needs --burn-time).")
    lo.add_argument("--apogee", type=positive("apogee", "kilometres"), required=True, metavar="KM",
                    help="apogee altitude of the test, km")
    lo.add_argument("--range", dest="range_km", type=positive("range", "kilometres"), required=True,
                    metavar="KM", help="ground range of the test, km")
    lo.add_argument("--time", type=positive("time", "minutes"), metavar="MIN",
                    help="observed flight time, minutes (a consistency check)")
    lo.add_argument("--burn-time", type=positive("burn time", "seconds"), metavar="S",
                    help="powered-flight time, seconds: enables the gravity-loss correction")
    lo.add_argument("--burnout-alt", type=float, default=0.0, metavar="KM", help="burnout altitude, km (default 0)")
    lo.add_argument("--model", choices=["simple", "gravity-loss", "powered"],
                    help="simple (same burnout speed), gravity-loss or powered (both need --burn-time); "
                         "default: gravity-loss when --burn-time is given")
    lo.add_argument("--stages", type=int, choices=[1, 2], default=2,
                    help="stages of the missile in the powered-flight model (default 2)")
    lo.add_argument("-o", "--output", metavar="PATH",
                    help="write the trajectory profile (lofted test and maximum-range trajectory) to PATH "
                         "(.png, .svg or .pdf)")
    lo.add_argument("--dpi", type=positive("dpi", "dots per inch"), help="resolution of a PNG profile (default 200)")
    lo.add_argument("--json", action="store_true", help="print one JSON object")


def run(args, out) -> None:
    from ..core.ballistics import loft_range

    model = args.model or ("gravity-loss" if args.burn_time else "simple")
    if model in ("gravity-loss", "powered") and not args.burn_time:
        raise InputError(f"the {model} model needs the powered-flight time: add --burn-time SECONDS")
    if args.output and not args.burn_time:
        raise InputError("a trajectory profile needs the powered-flight time: add --burn-time SECONDS")
    if args.output:
        from ..outputs.files import check_writable
        from ..outputs.figure import FORMATS

        path = check_writable(args.output)
        if path.suffix.lstrip(".").lower() not in FORMATS:
            raise InputError(f"cannot write {path}: unknown format; use a .png, .svg or .pdf file name")
    if model == "powered" and args.burnout_alt:
        raise InputError("the powered-flight model places burnout itself: leave out --burnout-alt")
    est = loft_range(args.apogee, args.range_km, time_min=args.time, burn_time_s=args.burn_time,
                     burnout_alt_km=args.burnout_alt, model=model, stages=args.stages)
    written = None
    if args.output:
        from ..outputs.profile import save_profile

        fit = est.fit if est.fit is not None else loft_range(
            args.apogee, args.range_km, time_min=args.time, burn_time_s=args.burn_time, model="powered",
            stages=args.stages).fit
        written = save_profile(fit, args.output, **({"dpi": int(args.dpi)} if args.dpi else {}))
    simple = est if model == "simple" else loft_range(args.apogee, args.range_km, time_min=args.time,
                                                      burnout_alt_km=args.burnout_alt)
    if args.json:
        doc = {"range_km": est.range_km, "model": est.model, "description": est.description,
               "inputs": {"apogee_km": args.apogee, "ground_range_km": args.range_km, "time_min": args.time,
                          "burn_time_s": args.burn_time, "burnout_alt_km": args.burnout_alt},
               "simple_range_km": simple.range_km, "burnout_speed_kms": est.burnout_speed_kms,
               "gravity_loss_kms": est.gravity_loss_kms, "model_time_min": est.model_time_min,
               "time_diff_min": est.time_diff_min, "near_orbital": not math.isfinite(est.range_km),
               "profile": None if written is None else str(written)}
        if not math.isfinite(est.range_km):
            doc["range_km"] = None
        if est.fit is not None:
            doc["fitted_stages"] = [s._asdict() for s in est.fit.vehicle.stages]
            doc["loft_pitch_deg"] = est.fit.loft_pitch_deg
        out.write(json.dumps(doc, indent=2) + "\n")
        return
    if math.isfinite(est.range_km):
        shape = "its maximum-range trajectory" if model == "powered" else "a minimum-energy trajectory"
        head = f"estimated range {est.range_km:,.0f} km on {shape} ({est.model} model)"
    else:
        head = f"estimated range: near orbital: this model does not bound the range ({est.model} model)"
    out.write(f"{head}\n  {est.description}\n")
    if model == "gravity-loss":
        out.write(f"  simple model (same burnout speed, no gravity-loss credit): {simple.range_km:,.0f} km\n")
    elif model == "powered":
        out.write(f"  simple model (Kepler conic, burnout on the ground): {simple.range_km:,.0f} km\n")
    if written is not None:
        out.write(f"  trajectory profile (powered-flight model): {written}\n")
