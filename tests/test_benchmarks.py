"""The benchmark scripts run, at a tiny size, and report what they should (no timing asserted)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCHMARKS / script), *args], capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL, check=False)


def test_reach_benchmark_agrees_with_pyproj():
    proc = run("reach.py", "--sites", "2", "--cities", "200", "--repeat", "1")
    assert proc.returncode == 0, proc.stderr
    assert "2 sites x 200 cities" in proc.stdout
    ranges = int(re.search(r"= 400 pairs x (\d+) ranges", proc.stdout)[1])       # the catalog grows
    assert re.search(rf"verdicts compared: {400 * ranges:,}; disagreements: 0$", proc.stdout, re.MULTILINE), proc.stdout
    assert re.search(r"speed-up: [\d.]+x", proc.stdout)
    assert re.search(r"engine .* pairs/s", proc.stdout) and re.search(r"baseline .* pairs/s", proc.stdout)


def test_commands_benchmark_runs_check_and_map_and_reports_ratios():
    proc = run("commands.py", "--repeat", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("python -c 'import pyproj'", "python -c 'import folium'",
                 "python -c 'import folium; folium.Map(tiles=None).save(...)'",
                 "rangemap check --site Chagang --missile HS-12 --target Guam", "rangemap map -o <tmp>/map.html"):
        assert re.search(rf"^{re.escape(name)} +median +\d+ ms", proc.stdout, re.MULTILINE), name
    assert re.search(r"^ratio check / import pyproj: [\d.]+ \(goal <= 2.0\) (ok|MISSED)$", proc.stdout, re.MULTILINE)
    assert re.search(r"^ratio map / folium save: [\d.]+ \(goal <= 1.3\) (ok|MISSED)$", proc.stdout, re.MULTILINE)
    assert re.search(r"^map of 1,000 targets: [\d.]+ MB \(goal <= 3 MB\) (ok|MISSED); \d+ ms$", proc.stdout,
                     re.MULTILINE)
    assert re.search(r"^import geo\.cli\.main \(over bare\) +median", proc.stdout, re.MULTILINE)
    assert re.search(r"commands failed: 0; goals missed: \d$", proc.stdout)


def test_commands_benchmark_targets_are_spread_over_the_globe(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_commands", BENCHMARKS / "commands.py")
    commands = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(commands)
    path = tmp_path / "t.csv"
    commands.write_targets(path)
    rows = [line.split(",") for line in path.read_text().splitlines()[1:]]
    lats, lons = [float(r[1]) for r in rows], [float(r[2]) for r in rows]
    assert len(rows) == 1000 and len({r[0] for r in rows}) == 1000
    assert min(lats) < -60 and max(lats) > 60 and min(lons) < -170 and max(lons) > 170
    assert sum(lat > 0 for lat in lats) in range(430, 571)                     # about half north


def test_commands_benchmark_reports_a_failing_command(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_commands", BENCHMARKS / "commands.py")
    commands = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(commands)
    cmd = [sys.executable, "-c", "import sys; print('map renderer missing', file=sys.stderr); sys.exit(3)"]
    line, failure = commands.bench_command("rangemap map", cmd, 2, str(tmp_path), lambda proc: None)
    assert line.endswith("failed")
    assert "exit status 3" in failure and "map renderer missing" in failure
