"""Launch areas: geo.core.buffer.buffer_area against the plain construction it replaces.

The plain construction is correct but slow: the area united with a range ring (same 0.6 km
tolerance) around every point of its boundary densified to the same spacing. buffer_area draws
only the rings that poke out of the others. Both are timed (best of --repeat) and compared: the
symmetric difference of the two regions, in square degrees, and the ratio of the times.

    python benchmarks/buffer.py                       # North Korea at 1,000 and 4,500 km
    python benchmarks/buffer.py --country RUS --radius 1000 --repeat 1
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely

from geo.catalog.countries import country_records
from geo.core import buffer as B
from geo.core.rings import range_ring, tidy


def plain(area, radius_km: float):
    rings = B.boundary_points(area, B._scallop_spacing(radius_km))
    centres = np.unique(np.vstack([r[:-1] for r in rings]), axis=0)
    discs = [range_ring(lat, lon, radius_km, tolerance_km=B.RING_TOLERANCE_KM) for lon, lat in centres]
    return tidy(shapely.union_all([area, *discs])), len(centres)


def best(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--country", default="PRK", help="ISO 3166-1 alpha-3 code of the area (default PRK)")
    p.add_argument("--radius", type=float, action="append", help="km (repeatable; default 1000 and 4500)")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    recs, geoms = country_records()
    area = geoms[[r["iso_a3"] for r in recs].index(args.country)]
    B.buffer_area(shapely.box(0, 0, 1, 1), 100.0)                 # imports (scipy) out of the timing
    for radius in args.radius or [1000.0, 4500.0]:
        fast_s, fast = best(lambda: B.buffer_area(area, radius), args.repeat)
        plain_s, (slow, n) = best(lambda: plain(area, radius), 1)
        diff = shapely.symmetric_difference(fast, slow).area
        print(f"{args.country} {radius:,.0f} km: buffer_area {fast_s:.2f} s, plain union of {n:,} rings "
              f"{plain_s:.2f} s ({plain_s / fast_s:.0f}x); regions differ by {diff:.2e} square degrees "
              f"of {slow.area:,.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
