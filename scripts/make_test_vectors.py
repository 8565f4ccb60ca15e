"""Write tests/vectors/verdicts_and_rings.json: the verdict and ring cases Python and JavaScript must agree on.

* Verdicts: (distance, certain reach, band top, minimum range) -> verdict, each case written out
  here by hand from the rule in the README (in range / possibly in range / out of range / too
  close; the near-orbital rule of :func:`geo.analysis.assessment.verdict_codes`), on and either
  side of every boundary. The script refuses to write a case that geo's rule answers otherwise.
* Rings: a site and a radius, and points whose geodesic distance from the site (GeographicLib,
  not the ring code) is at least :data:`CLEARANCE_KM` inside or outside the radius (the rings
  are exact to 1 km), on 16 bearings, near both poles and on both sides of the antimeridian;
  sites near a pole, on the antimeridian, radii beyond a quarter of the globe and past half a
  meridian.

``tests/test_vectors.py`` checks every case against geo (``verdict_codes``, ``range_ring``) and,
in headless Chromium, against the JavaScript (``rangemapVerdict.code`` and ``rangemapRings.ring``).
Run from the repository root after changing a rule, then commit the JSON:

    python scripts/make_test_vectors.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "vectors" / "verdicts_and_rings.json"
CLEARANCE_KM = 5.0
NAN = None                       # JSON null: no minimum range known

IN, POSSIBLY, OUT_, CLOSE = "in range", "possibly in range", "out of range", "too close"


def verdict_cases(unbounded_km: float, near_orbital_km: float) -> list[dict]:
    """(note, distance, certain, max, min, expected verdict), by hand."""
    u, n = unbounded_km, near_orbital_km
    rows = [
        ("no band, well inside", 3540.0, 4500.0, 4500.0, NAN, IN),
        ("no band, on the range", 4500.0, 4500.0, 4500.0, NAN, IN),
        ("no band, just past the range", 4500.001, 4500.0, 4500.0, NAN, OUT_),
        ("band, below its low end", 4400.0, 4500.0, 5000.0, NAN, IN),
        ("band, on its low end", 4500.0, 4500.0, 5000.0, NAN, IN),
        ("band, inside", 4600.0, 4500.0, 5000.0, NAN, POSSIBLY),
        ("band, on its top", 5000.0, 4500.0, 5000.0, NAN, POSSIBLY),
        ("band, past its top", 5000.5, 4500.0, 5000.0, NAN, OUT_),
        ("far out", 19000.0, 4500.0, 5000.0, NAN, OUT_),
        ("too close: under the minimum range", 50.0, 4500.0, 5000.0, 60.0, CLOSE),
        ("on the minimum range: not too close", 60.0, 4500.0, 5000.0, 60.0, IN),
        ("minimum range and out of range at once cannot be; a minimum past the band still says too close",
         5500.0, 4500.0, 5000.0, 6000.0, CLOSE),
        ("zero distance, no minimum", 0.0, 300.0, 300.0, NAN, IN),
        ("zero distance, a minimum", 0.0, 300.0, 300.0, 100.0, CLOSE),
        ("near orbital (unbounded reach): within the missile's own shots", 15000.0, u, u, NAN, IN),
        ("near orbital: on the last ground its shots cover", n, u, u, NAN, IN),
        ("near orbital: beyond its shots, not ruled out", n + 1.0, u, u, NAN, POSSIBLY),
        ("near orbital: near the antipode", 19990.0, u, u, NAN, POSSIBLY),
        ("finite certain reach, unbounded band top (a target beyond a gap)", 15000.0, 10465.0, u, NAN, POSSIBLY),
        ("finite certain reach, unbounded top, inside the certain reach", 10000.0, 10465.0, u, NAN, IN),
        ("near orbital but too close", 100.0, u, u, 300.0, CLOSE),
    ]
    return [{"note": note, "distance_km": d, "certain_km": c, "max_km": m, "min_range_km": lo, "verdict": v}
            for note, d, c, m, lo, v in rows]


# (note, site lat, site lon, radius km)
RING_SITES = [
    ("the founding ring, across the antimeridian", 41.369883, 126.913631, 4500.0),
    ("a small ring", 35.23472, 53.92083, 300.0),
    ("a site on the antimeridian", -17.0, 180.0, 2000.0),
    ("a site just west of the antimeridian", 52.0, -179.9, 3000.0),
    ("a ring holding the north pole", 80.0, 20.0, 1500.0),
    ("a ring holding the south pole", -77.85, 166.67, 2500.0),
    ("a site on the north pole", 90.0, 0.0, 1000.0),
    ("an ICBM ring, beyond a quarter of the globe, both poles", 0.0, 0.0, 12000.0),
    ("beyond a quarter, the antipodal cap holding the south pole", 60.0, 40.0, 15000.0),
    ("past 19,500 km: traced from the antipode", 10.0, -60.0, 19800.0),
    ("past half a meridian: the whole globe", 41.369883, 126.913631, 20010.0),
]


def ring_cases() -> list[dict]:
    from geographiclib.geodesic import Geodesic

    geod = Geodesic.WGS84
    cases = []
    for note, lat, lon, km in RING_SITES:
        candidates = []
        for k in range(16):
            azi = k * 22.5 + 3.0
            for d in (km - 4 * CLEARANCE_KM, km + 4 * CLEARANCE_KM, 0.5 * km):
                if 0 < d < 20_000:
                    g = geod.Direct(lat, lon, azi, d * 1000.0)
                    candidates.append((g["lon2"], g["lat2"]))
        for plat in (89.9, -89.9):                                     # near both poles
            candidates += [(plon, plat) for plon in (-179.5, 0.5, 179.5)]
        candidates += [(179.9, lat if abs(lat) < 80 else 0.0), (-179.9, lat if abs(lat) < 80 else 0.0)]
        inside, outside = [], []
        for x, y in candidates:
            x = (x + 180.0) % 360.0 - 180.0
            d = geod.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"] / 1000.0
            if abs(d - km) < CLEARANCE_KM:
                continue                                               # too near the circle to judge
            (inside if d < km else outside).append([round(x, 9), round(y, 9)])
        cases.append({"note": note, "site": [lat, lon], "radius_km": km, "inside": inside, "outside": outside})
    return cases


def build() -> dict:
    from geo.analysis.assessment import VERDICTS, verdict_codes
    from geo.analysis.regions import NEAR_ORBITAL_KM, UNBOUNDED_KM

    verdicts = verdict_cases(UNBOUNDED_KM, NEAR_ORBITAL_KM)
    for case in verdicts:                                              # the hand-written answer is geo's
        low = math.nan if case["min_range_km"] is None else case["min_range_km"]
        got = VERDICTS[int(verdict_codes(case["distance_km"], case["certain_km"], case["max_km"], low))]
        if got != case["verdict"]:
            raise SystemExit(f"geo says {got!r}, the case says {case['verdict']!r}: {case}")
    return {
        "about": "Shared test vectors, written by scripts/make_test_vectors.py; checked by tests/test_vectors.py "
                 "in Python (geo) and in headless Chromium (the JavaScript). Coordinates [lon, lat], degrees; km.",
        "verdicts_in_code_order": list(VERDICTS),
        "unbounded_km": UNBOUNDED_KM,
        "near_orbital_km": NEAR_ORBITAL_KM,
        "clearance_km": CLEARANCE_KM,
        "verdicts": verdicts,
        "rings": ring_cases(),
    }


def main() -> int:
    doc = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    n_points = sum(len(c["inside"]) + len(c["outside"]) for c in doc["rings"])
    print(f"wrote {OUT}: {len(doc['verdicts'])} verdict cases, {len(doc['rings'])} rings with {n_points} points")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
