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


def _commands_module():
    spec = importlib.util.spec_from_file_location("bench_commands", BENCHMARKS / "commands.py")
    commands = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(commands)
    return commands


def test_commands_benchmark_smoke_run_times_check_and_reports_its_ratio():
    """The script end to end on its smallest configuration: one round of `import pyproj` and `check`."""
    proc = run("commands.py", "--repeat", "1", "--only", "import pyproj,check", "--no-extras")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("python -c 'import pyproj'", "rangemap check --site Chagang --missile HS-12 --target Guam"):
        assert re.search(rf"^{re.escape(name)} +median +\d+ ms", proc.stdout, re.MULTILINE), name
    assert re.search(r"^ratio check / import pyproj: [\d.]+ \(goal <= 1.0\) (ok|MISSED)$", proc.stdout, re.MULTILINE)
    assert "ratio map" not in proc.stdout and "import geo.cli.main" not in proc.stdout      # not asked for
    assert re.search(r"commands failed: 0; goals missed: [01]$", proc.stdout)


def test_commands_benchmark_refuses_an_unknown_job():
    proc = run("commands.py", "--only", "check,nonsense")
    assert proc.returncode == 2 and "unknown job 'nonsense'" in proc.stderr


def test_commands_benchmark_ratios_are_medians_over_medians_with_every_goal():
    commands = _commands_module()
    times = {"import pyproj": [0.1, 0.2, 0.9], "check": [0.1, 0.3, 0.2], "folium save": [1.0],
             "map": [0.5], "report geodesic": [1.0, 1.0], "report rotating": [2.0, 1.0]}
    lines, missed = commands.ratio_lines(times, broken=set())
    assert lines == ["ratio check / import pyproj: 1.00 (goal <= 1.0) ok",
                     "ratio map / folium save: 0.50 (goal <= 1.3) ok",
                     "ratio report rotating / report geodesic: 1.50 (goal <= 1.5) ok"]
    assert missed == 0
    times["report rotating"] = [2.0, 1.1]
    lines, missed = commands.ratio_lines(times, broken={"map"})
    assert lines[-1] == "ratio report rotating / report geodesic: 1.55 (goal <= 1.5) MISSED" and missed == 1
    assert not [line for line in lines if line.startswith("ratio map")]                # a broken job: no ratio


def test_commands_benchmark_targets_are_spread_over_the_globe(tmp_path):
    commands = _commands_module()
    path = tmp_path / "t.csv"
    commands.write_targets(path)
    rows = [line.split(",") for line in path.read_text().splitlines()[1:]]
    lats, lons = [float(r[1]) for r in rows], [float(r[2]) for r in rows]
    assert len(rows) == 1000 and len({r[0] for r in rows}) == 1000
    assert min(lats) < -60 and max(lats) > 60 and min(lons) < -170 and max(lons) > 170
    assert sum(lat > 0 for lat in lats) in range(430, 571)                     # about half north


def test_commands_benchmark_reports_a_failing_command(tmp_path):
    commands = _commands_module()
    cmd = [sys.executable, "-c", "import sys; print('map renderer missing', file=sys.stderr); sys.exit(3)"]
    line, failure = commands.bench_command("rangemap map", cmd, 2, str(tmp_path), lambda proc: None)
    assert line.endswith("failed")
    assert "exit status 3" in failure and "map renderer missing" in failure
