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


def test_commands_benchmark_runs_check_and_map():
    proc = run("commands.py", "--repeat", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^rangemap check --site Chagang --missile HS-12 --target Guam +median +\d+ ms", proc.stdout, re.MULTILINE)
    assert re.search(r"^rangemap map -o <tmp>/map.html +median +\d+ ms", proc.stdout, re.MULTILINE)
    assert re.search(r"^import geo\.cli\.main \(over bare\) +median", proc.stdout, re.MULTILINE)
    assert "commands failed: 0" in proc.stdout


def test_commands_benchmark_reports_a_failing_command(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_commands", BENCHMARKS / "commands.py")
    commands = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(commands)
    cmd = [sys.executable, "-c", "import sys; print('map renderer missing', file=sys.stderr); sys.exit(3)"]
    line, failure = commands.bench_command("rangemap map", cmd, 2, str(tmp_path), lambda proc: None)
    assert line.endswith("failed")
    assert "exit status 3" in failure and "map renderer missing" in failure
