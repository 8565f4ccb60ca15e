"""Benchmark: the ``rangemap`` commands as a user runs them, as ratios to bare imports timed in the same run.

Absolute times drift on a shared machine; ratios to work of the same kind, timed in turn
with the commands, do not drift as much. Each round runs, one after another, in a fresh
process each:

* ``python -c "import pyproj"``, ``python -c "import folium"`` and ``python -c "import folium;
  folium.Map(tiles=None).save('x.html')"`` (the yardsticks);
* ``rangemap check --site Chagang --missile HS-12 --target Guam``;
* ``rangemap map -o <tmp>/map.html`` (the founding scenario's web map);
* ``rangemap report`` of 2 sites × 2 missiles × 3 targets, geodesic and ``--model rotating``.

Goals: ``check`` ≤ 1.0 × ``import pyproj`` (issue 19; it was 2.0 in issue 8); ``map`` ≤ 1.3 ×
an empty folium map saved (issue 18: the map is rendered by folium, so it cannot beat importing
folium); the rotating-model report ≤ 1.5 × the same report geodesic (issue 19; medians over the
rounds); and a web map of 1,000 targets (seeded random points over the globe, one site, one
missile) ≤ 3 MB. Then the import time of the package's modules (less a bare interpreter).

Measure as a user runs it: with ``PYTHONDONTWRITEBYTECODE`` unset (with it set, every command
compiles the package anew, about 3 × slower).

A command that fails is reported with its exit status and the end of its stderr, and the
script exits 1; a missed goal is printed as MISSED and makes it exit 1 only with ``--strict``.

    python benchmarks/commands.py              # 7 rounds
    python benchmarks/commands.py --repeat 1 --only "import pyproj,check" --no-extras
                                               # smoke run (what the tests run)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECK = ["check", "--site", "Chagang", "--missile", "HS-12", "--target", "Guam"]
MODULES = ["numpy", "pyproj", "shapely", "geo", "geo.cli.main", "geo.core.rings", "geo.outputs.web.page"]
#: name, goal ratio, yardstick
GOALS = {"check": (1.0, "import pyproj"), "map": (1.3, "folium save"),
         "report rotating": (1.5, "report geodesic")}
#: The report scenario: 2 sites × 2 missiles × 3 targets.
REPORT = ["report", "--site", "Chagang", "--site", "Sohae", "--missile", "Hwasong-14", "--missile", "Hwasong-12",
          "--target", "Guam", "--target", "Tokyo", "--target", "Honolulu"]
BIG_TARGETS = 1000
BIG_MAP_MB = 3.0


def rangemap_command() -> list[str]:
    """The installed ``rangemap`` script next to this interpreter, else on PATH, else ``python -m geo``."""
    here = Path(sys.executable).parent / ("rangemap.exe" if os.name == "nt" else "rangemap")
    if here.is_file():
        return [str(here)]
    found = shutil.which("rangemap")
    return [found] if found else [sys.executable, "-m", "geo"]


def timed(cmd: list[str], cwd: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, proc


def describe_failure(name: str, proc: subprocess.CompletedProcess, why: str) -> str:
    tail = "\n".join((proc.stderr or proc.stdout or "").strip().splitlines()[-5:])
    return f"FAILED: {name}: {why} (exit status {proc.returncode})" + (f"\n    {tail}" if tail else "")


def stats_line(name: str, times: list[float]) -> str:
    ms = [t * 1e3 for t in times]
    return (f"{name:<58} median {statistics.median(ms):7.0f} ms   min {min(ms):7.0f}   max {max(ms):7.0f}"
            f"   ({len(ms)} run{'s' if len(ms) != 1 else ''})")


def bench_command(name, cmd, repeat, cwd, check_output) -> tuple[str, str | None]:
    """`repeat` runs of `cmd`: the stats line and a failure text (or None)."""
    times: list[float] = []
    failure = run_round(name, cmd, cwd, check_output, times)
    for _ in range(repeat - 1):
        if failure:
            break
        failure = run_round(name, cmd, cwd, check_output, times)
    return (f"{name:<58} failed", failure) if failure else (stats_line(name, times), None)


def run_round(name, cmd, cwd, check_output, times: list[float]) -> str | None:
    """Run `cmd` once, append its time to `times`; a failure text, or None."""
    elapsed, proc = timed(cmd, cwd)
    if proc.returncode != 0:
        return describe_failure(name, proc, "non-zero exit status")
    problem = check_output(proc)
    if problem:
        return describe_failure(name, proc, problem)
    times.append(elapsed)
    return None


def import_times(repeat: int, cwd: str) -> list[str]:
    """Wall time of ``python -c "import X"`` less that of ``python -c pass`` (median and min)."""
    def runs(code: str) -> list[float]:
        return [timed([sys.executable, "-c", code], cwd)[0] for _ in range(repeat)]

    bare = runs("pass")
    b_med, b_min = statistics.median(bare), min(bare)
    lines = [f"{'python -c pass (bare interpreter)':<58} median {b_med * 1e3:7.0f} ms   min {b_min * 1e3:7.0f}"]
    for module in MODULES:
        t = runs(f"import {module}")
        lines.append(f"{'import ' + module + ' (over bare)':<58} median {(statistics.median(t) - b_med) * 1e3:+7.0f} ms"
                     f"   min {(min(t) - b_min) * 1e3:+7.0f}")
    return lines


def write_targets(path: Path, n: int = BIG_TARGETS) -> None:
    """`n` targets spread uniformly over the globe (seeded), as a targets CSV."""
    import numpy as np

    rng = np.random.default_rng(20261201)
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    lon = rng.uniform(-180.0, 180.0, n)
    rows = [f"Target {i + 1},{a:.5f},{b:.5f}" for i, (a, b) in enumerate(zip(lat, lon))]
    path.write_text("name,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")


def verdict(ratio: float, goal: float) -> str:
    return "ok" if ratio <= goal else "MISSED"


def jobs_for(base: list[str], tmp: str) -> dict:
    """The timed jobs: key -> (display name, command, output check)."""
    out_html = Path(tmp) / "map.html"

    def check_ok(proc):
        return None if ": in range" in proc.stdout else "output does not say 'in range'"

    def map_ok(proc):
        if not out_html.is_file() or out_html.stat().st_size == 0:
            return f"no map written to {out_html}"
        text = out_html.read_text(encoding="utf-8", errors="replace")
        out_html.unlink()
        return None if "<html" in text.lower() else f"{out_html} is not an HTML page"

    def nothing(proc):
        return None

    return {
        "import pyproj": ("python -c 'import pyproj'", [sys.executable, "-c", "import pyproj"], nothing),
        "import folium": ("python -c 'import folium'", [sys.executable, "-c", "import folium"], nothing),
        "folium save": ("python -c 'import folium; folium.Map(tiles=None).save(...)'",
                        [sys.executable, "-c", f"import folium; folium.Map(tiles=None).save({str(out_html)!r})"],
                        map_ok),
        "check": ("rangemap " + " ".join(CHECK), base + CHECK, check_ok),
        "map": ("rangemap map -o <tmp>/map.html", base + ["map", "-o", str(out_html)], map_ok),
        "report geodesic": ("rangemap report (2 x 2 x 3)", base + REPORT + ["-o", str(out_html)], map_ok),
        "report rotating": ("rangemap report (2 x 2 x 3) --model rotating",
                            base + REPORT + ["--model", "rotating", "-o", str(out_html)], map_ok),
    }


def run_interleaved(jobs: dict, repeat: int, cwd: str) -> tuple[dict, set, list]:
    """`repeat` rounds, each job once a round (load changes hit every job alike): times, broken keys, failures."""
    times: dict[str, list[float]] = {key: [] for key in jobs}
    broken: set[str] = set()
    failures: list[str] = []
    for _ in range(repeat):
        for key, (name, cmd, ok) in jobs.items():
            if key in broken:
                continue
            failure = run_round(name, cmd, cwd, ok, times[key])
            if failure:
                broken.add(key)
                failures.append(failure)
    return times, broken, failures


def ratio_lines(times: dict, broken: set) -> tuple[list[str], int]:
    """One line per goal whose job and yardstick both ran (median over median), and the number missed."""
    lines, missed = [], 0
    for key, (goal, yardstick) in GOALS.items():
        if not times.get(key) or not times.get(yardstick) or key in broken or yardstick in broken:
            continue
        ratio = statistics.median(times[key]) / statistics.median(times[yardstick])
        missed += ratio > goal
        lines.append(f"ratio {key} / {yardstick}: {ratio:.2f} (goal <= {goal}) {verdict(ratio, goal)}")
    return lines, missed


def big_map(base: list[str], tmp: str) -> tuple[str | None, str | None, int]:
    """The web map of BIG_TARGETS targets: its line, a failure text, goals missed."""
    targets = Path(tmp) / "targets.csv"
    write_targets(targets)
    big = Path(tmp) / "big.html"
    elapsed, proc = timed(base + ["map", "--targets-file", str(targets), "-o", str(big)], tmp)
    if proc.returncode != 0 or not big.is_file():
        return None, describe_failure(f"map of {BIG_TARGETS:,} targets", proc, "no map written"), 0
    mb = big.stat().st_size / 1e6
    return (f"map of {BIG_TARGETS:,} targets: {mb:.2f} MB (goal <= {BIG_MAP_MB:g} MB) "
            f"{'ok' if mb <= BIG_MAP_MB else 'MISSED'}; {elapsed * 1e3:.0f} ms"), None, int(mb > BIG_MAP_MB)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds (default 7)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--only", help="comma-separated jobs to time (default all): " + ", ".join(
        jobs_for([], ".")))
    parser.add_argument("--no-extras", action="store_true",
                        help="skip the 1,000-target map and the import times")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    base = rangemap_command()
    print(f"rangemap commands benchmark: {' '.join(base)}; python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores; {args.repeat} round(s)"
          f"{'; PYTHONDONTWRITEBYTECODE is set: commands recompile the package' if os.environ.get('PYTHONDONTWRITEBYTECODE') else ''}")
    with tempfile.TemporaryDirectory(prefix="rangemap-bench-") as tmp:
        jobs = jobs_for(base, tmp)
        if args.only:
            wanted = [key.strip() for key in args.only.split(",")]
            unknown = [key for key in wanted if key not in jobs]
            if unknown:
                parser.error(f"--only: unknown job {unknown[0]!r}; the jobs are: {', '.join(jobs)}")
            jobs = {key: jobs[key] for key in wanted}
        times, broken, failures = run_interleaved(jobs, args.repeat, tmp)
        for key, (name, _, _) in jobs.items():
            print(stats_line(name, times[key]) if key not in broken else f"{name:<58} failed", flush=True)
        lines, missed = ratio_lines(times, broken)
        print("\n".join(lines), flush=True)
        if not args.no_extras:
            line, failure, big_missed = big_map(base, tmp)
            missed += big_missed
            failures += [failure] if failure else []
            print(line or "", flush=True)
            for line in import_times(args.repeat, tmp):
                print(line, flush=True)

    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"commands failed: {len(failures)}; goals missed: {missed}")
    return 1 if failures or (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
