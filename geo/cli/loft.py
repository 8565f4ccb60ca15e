"""``rangemap loft``: estimate a missile's range from a lofted test flight.

Bounds (refused outside, one line, exit status 2): apogee up to 40,000 km, observed time up to
600 minutes, burn time 20-900 s (see :mod:`geo.core.ballistics.loft`), launch latitude within
±90° and azimuth within ±360°; the JSON output is strict JSON (no ``NaN`` or ``Infinity``).
"""

from __future__ import annotations

import argparse
import json
import math

from ..errors import InputError
from .options import positive

__all__ = ["add_parser", "run"]


def _bounded(what: str, unit: str, lo: float, hi: float, *, lo_open: bool = True, why: str = ""):
    """An argparse type: a finite number in (lo, hi] (or [lo, hi] with ``lo_open=False``)."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if math.isnan(value):
            raise argparse.ArgumentTypeError(f"{what} {text!r} is not a number of {unit}")
        if lo_open and lo == 0.0 and not value > 0.0:
            raise argparse.ArgumentTypeError(f"{what} {text!r} must be a positive number of {unit}")
        if not ((value > lo if lo_open else value >= lo) and value <= hi):
            span = f"at most {hi:,g}" if lo_open and lo == 0.0 else f"from {lo:g} to {hi:,g}"
            raise argparse.ArgumentTypeError(f"{what} {text!r} must be {span} {unit}{why}")
        return value

    return parse


def add_parser(sub) -> None:
    from ..core.ballistics.loft import BURN_TIME_RANGE_S, MAX_APOGEE_KM, MAX_FLIGHT_TIME_MIN

    lo_burn, hi_burn = BURN_TIME_RANGE_S
    lo = sub.add_parser("loft", help="estimate a missile's range from a lofted test flight",
                        description="Range of a missile seen on a lofted test, on a spherical Earth: the "
                        "powered-flight model by default (the test fitted on a non-rotating Earth, or with "
                        "--launch-lat over the rotating Earth; the maximum range on a non-rotating Earth; "
                        "without --burn-time the class-typical burn time, stated in the output), or Keplerian "
                        "free flight (simple, gravity-loss; non-rotating Earth). "
                        "-o draws the trajectory profile (powered-flight model).")
    lo.add_argument("--apogee", type=_bounded("apogee", "kilometres", 0.0, MAX_APOGEE_KM,
                                              why=" (higher is no ballistic test)"),
                    required=True, metavar="KM",
                    help=f"apogee altitude of the test, km, at most {MAX_APOGEE_KM:,.0f}")
    lo.add_argument("--range", dest="range_km", type=positive("range", "kilometres"), required=True,
                    metavar="KM", help="ground range of the test, km")
    lo.add_argument("--time", type=_bounded("time", "minutes", 0.0, MAX_FLIGHT_TIME_MIN,
                                            why=" (a ballistic flight comes down within hours)"),
                    metavar="MIN",
                    help=f"observed flight time, minutes, at most {MAX_FLIGHT_TIME_MIN:g} (a consistency check)")
    lo.add_argument("--burn-time", type=_bounded("burn time", "seconds", lo_burn, hi_burn, lo_open=False,
                                                 why=" (the powered flight of a ballistic missile)"),
                    metavar="S", help=f"powered-flight time, seconds, {lo_burn:g}-{hi_burn:g} (default for the "
                                      "powered model: the class-typical burn time, from the simple estimate)")
    lo.add_argument("--burnout-alt", type=float, default=0.0, metavar="KM", help="burnout altitude, km (default 0)")
    lo.add_argument("--model", choices=["simple", "gravity-loss", "powered"],
                    help="powered (default: the best estimate), gravity-loss (needs --burn-time) or simple "
                         "(same burnout speed)")
    lo.add_argument("--stages", type=int, choices=[1, 2],
                    help="stages of the missile in the powered-flight model (default: the class-typical "
                         "stages, 1 below 5,000 km by the simple estimate, else 2)")
    lo.add_argument("--launch-lat", type=_bounded("launch latitude", "degrees", -90.0, 90.0, lo_open=False),
                    metavar="DEG", help="fit the test flown from this latitude over the rotating Earth "
                                        "(powered model; default: a non-rotating Earth)")
    lo.add_argument("--launch-azimuth", type=_bounded("launch azimuth", "degrees", -360.0, 360.0, lo_open=False),
                    metavar="DEG", help="azimuth of the test launch, degrees clockwise from north (with "
                                        "--launch-lat; default 90, due east). The README's table: "
                                        "--launch-lat 40 --launch-azimuth 90")
    lo.add_argument("-o", "--output", metavar="PATH",
                    help="write the trajectory profile (lofted test and maximum-range trajectory) to PATH "
                         "(.png, .svg or .pdf)")
    lo.add_argument("--dpi", type=positive("dpi", "dots per inch"), help="resolution of a PNG profile (default 200)")
    lo.add_argument("--json", action="store_true", help="print one JSON object")


def _check(args, model: str) -> None:
    """Refuse combinations of options that make no sense, before any work is done."""
    if model == "gravity-loss" and not args.burn_time:
        raise InputError(f"the {model} model needs the powered-flight time: add --burn-time SECONDS")
    if args.launch_azimuth is not None and args.launch_lat is None:
        raise InputError("--launch-azimuth needs the launch latitude: add --launch-lat DEG")
    if args.launch_lat is not None and model != "powered":
        raise InputError(f"--launch-lat applies to the powered-flight model only, not the {model} model: "
                         "add --model powered or leave out --launch-lat")
    if args.dpi is not None and args.output is None:
        raise InputError("--dpi sets the resolution of the profile: add -o PATH.png or leave out --dpi")
    if model == "powered" and args.burnout_alt:
        raise InputError("the powered-flight model places burnout itself: leave out --burnout-alt")


def _simple(args, *, strict: bool = False):
    """The simple model's estimate (beside another model's: None where its conic is orbital, unless `strict`)."""
    from ..core.ballistics import loft_range

    try:
        return loft_range(args.apogee, args.range_km, time_min=args.time, burnout_alt_km=args.burnout_alt)
    except InputError as e:
        if "orbital" in str(e) and not strict:
            return None
        raise


def _boost(args, model: str, simple):
    """``(burn time, stages, class-typical boost or None)``: what the user gave, else the class-typical
    figures (:func:`geo.core.ballistics.loft.typical_burn`, from the simple estimate)."""
    from ..core.ballistics.loft import typical_burn

    typical = None
    if (model == "powered" or args.output is not None) and (args.burn_time is None or args.stages is None):
        typical = typical_burn(None if simple is None else simple.range_km)
    burn = args.burn_time if args.burn_time is not None else (typical.burn_time_s if typical else None)
    stages = args.stages if args.stages is not None else (typical.stages if typical else 2)
    return burn, stages, typical


def _typical_line(typical, burn: float, stages: int, args) -> str:
    """What was assumed for the class and what was given, in one line."""
    said = {"burn time": (f"{burn:g} s", args.burn_time is None), "stages": (str(stages), args.stages is None)}
    assumed = ", ".join(f"{k} {v}" for k, (v, default) in said.items() if default)
    given = ", ".join(f"{k} {v}" for k, (v, default) in said.items() if not default)
    return (f"  {assumed}: class-typical for a {typical.name} (an assumption, not a published figure; "
            f"--burn-time and --stages set them){'; given: ' + given if given else ''}")


def run(args, out) -> None:
    from ..core.ballistics import loft_range

    model = args.model or "powered"
    _check(args, model)
    if args.output is not None:
        from ..outputs.figure import FORMATS
        from ..outputs.files import check_writable

        path = check_writable(args.output)
        if path.suffix.lstrip(".").lower() not in FORMATS:
            raise InputError(f"cannot write {path}: unknown format; use a .png, .svg or .pdf file name")
    launch = {} if args.launch_lat is None else {
        "launch_lat": args.launch_lat, "launch_azimuth_deg": 90.0 if args.launch_azimuth is None else args.launch_azimuth}
    simple = _simple(args, strict=model == "simple")
    burn, stages, typical = _boost(args, model, simple)
    est = simple if model == "simple" else loft_range(
        args.apogee, args.range_km, time_min=args.time, burn_time_s=burn if model == "powered" else args.burn_time,
        burnout_alt_km=args.burnout_alt, model=model, stages=stages, **launch)
    written = None
    if args.output is not None:
        from ..analysis.trajectories import loft_profile
        from ..outputs.profile import save_profile

        fitted = est if est.fit is not None else loft_range(
            args.apogee, args.range_km, time_min=args.time, burn_time_s=burn, model="powered",
            stages=stages)
        written = save_profile(loft_profile(fitted.fit), args.output, launch=fitted.launch,
                               **({"dpi": int(args.dpi)} if args.dpi else {}))
    if args.json:
        doc = {"range_km": est.range_km if math.isfinite(est.range_km) else None, "model": est.model,
               "description": est.description,
               "inputs": {"apogee_km": args.apogee, "ground_range_km": args.range_km, "time_min": args.time,
                          "burn_time_s": args.burn_time, "burnout_alt_km": args.burnout_alt},
               "launch": None if est.launch is None else {"lat": est.launch[0], "azimuth_deg": est.launch[1]},
               "fitted_on": est.fitted_on,
               "simple_range_km": None if simple is None else simple.range_km, "burnout_speed_kms": est.burnout_speed_kms,
               "gravity_loss_kms": est.gravity_loss_kms, "model_time_min": est.model_time_min,
               "time_diff_min": est.time_diff_min, "near_orbital": not math.isfinite(est.range_km),
               "profile": None if written is None else str(written), "burn_time_s": burn,
               "stages": stages if model == "powered" else None,
               "burn_time_assumed": None if typical is None or model != "powered"
               else f"class-typical for a {typical.name}"}
        if est.fit is not None:
            doc["fitted_stages"] = [s._asdict() for s in est.fit.vehicle.stages]
            doc["loft_pitch_deg"] = est.fit.loft_pitch_deg
        out.write(json.dumps(doc, indent=2, allow_nan=False) + "\n")      # strict JSON: no NaN, no Infinity
        return
    if math.isfinite(est.range_km):
        shape = "its maximum-range trajectory" if model == "powered" else "a minimum-energy trajectory"
        head = f"estimated range {est.range_km:,.0f} km on {shape} ({est.model} model)"
    else:
        head = f"estimated range: near orbital: this model does not bound the range ({est.model} model)"
    out.write(f"{head}\n  {est.description}\n")
    if typical is not None and (model == "powered" or written is not None):
        out.write(_typical_line(typical, burn, stages, args) + "\n")
    simple_km = "orbital: no finite range" if simple is None else f"{simple.range_km:,.0f} km"
    if model == "powered":
        out.write(f"  test fitted on {est.fitted_on}; maximum range on a non-rotating Earth\n")
        out.write(f"  simple model (Kepler conic, burnout on the ground): {simple_km}\n")
    else:
        out.write("  free flight on a non-rotating spherical Earth\n")
        if model == "gravity-loss":
            out.write(f"  simple model (same burnout speed, no gravity-loss credit): {simple_km}\n")
    if written is not None:
        out.write(f"  trajectory profile (powered-flight model): {written}\n")
