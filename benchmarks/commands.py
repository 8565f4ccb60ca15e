"""Benchmark: the ``rangemap`` commands as a user runs them, whole processes.

Times, over ``--repeat`` runs each (median, min and max of the wall time):

* ``rangemap check --site Chagang --missile HS-12 --target Guam``
* ``rangemap map -o <tmp>/map.html``

and the import time of the package's modules (a fresh interpreter per import, less the
start-up of a bare interpreter). A command that fails is reported with its exit status
and the end of its stderr, and the script exits 1.

    python benchmarks/commands.py              # 5 runs of each
    python benchmarks/commands.py --repeat 1   # CI smoke run
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
MODULES = ["numpy", "pyproj", "geo", "geo.cli.main", "geo.core.engine", "geo.core.rings", "geo.outputs.webmap"]


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
    times = []
    for _ in range(repeat):
        elapsed, proc = timed(cmd, cwd)
        if proc.returncode != 0:
            return f"{name:<58} failed", describe_failure(name, proc, "non-zero exit status")
        problem = check_output(proc)
        if problem:
            return f"{name:<58} failed", describe_failure(name, proc, problem)
        times.append(elapsed)
    return stats_line(name, times), None


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command (default 5)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    base = rangemap_command()
    print(f"rangemap commands benchmark: {' '.join(base)}; python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores; {args.repeat} run(s) each")
    failures = []
    with tempfile.TemporaryDirectory(prefix="rangemap-bench-") as tmp:
        def check_ok(proc):
            return None if ": in range" in proc.stdout else "output does not say 'in range'"

        out_html = Path(tmp) / "map.html"

        def map_ok(proc):
            if not out_html.is_file() or out_html.stat().st_size == 0:
                return f"no map written to {out_html}"
            text = out_html.read_text(encoding="utf-8", errors="replace")
            out_html.unlink()
            return None if "<html" in text.lower() else f"{out_html} is not an HTML page"

        for name, cmd, ok in (("rangemap " + " ".join(CHECK), base + CHECK, check_ok),
                              ("rangemap map -o <tmp>/map.html", base + ["map", "-o", str(out_html)], map_ok)):
            line, failure = bench_command(name, cmd, args.repeat, tmp, ok)
            print(line, flush=True)
            if failure:
                failures.append(failure)
        for line in import_times(args.repeat, tmp):
            print(line, flush=True)

    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"commands failed: {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
