"""Tests of the trajectory profile figure (geo.outputs.profile) and ``rangemap loft -o``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from geo.cli.main import main
from geo.core.powered import fit_loft, trajectory
from geo.errors import InputError
from geo.analysis.trajectories import loft_profile
from geo.outputs.profile import NEAR_ORBITAL_NOTE, profile_figure, save_profile


@pytest.fixture(scope="module")
def hs15():
    return fit_loft(4475, 950, burn_time_s=240, stages=2, time_min=53)


@pytest.fixture(scope="module")
def hs17():
    return fit_loft(6248.5, 1090, burn_time_s=300, stages=2, time_min=67.5)


def texts(fig):
    return [t.get_text() for t in fig.axes[0].texts] + [t.get_text() for t in fig.texts]


def test_both_trajectories_are_drawn_from_the_model(hs15):
    fig = profile_figure(loft_profile(hs15))
    lines = [line for line in fig.axes[0].lines if len(line.get_xdata()) > 10]
    loft = trajectory(hs15.vehicle, hs15.loft_pitch_deg)
    best = trajectory(hs15.vehicle)
    drawn = {round(float(np.max(line.get_xdata()))) for line in lines}
    assert round(loft.range_km) in drawn and round(best.range_km) in drawn
    loft_line = next(line for line in lines if round(float(np.max(line.get_xdata()))) == round(loft.range_km))
    assert np.allclose(loft_line.get_ydata(), loft.alt_km)
    assert max(loft_line.get_ydata()) == pytest.approx(4475, abs=0.01)


def test_apogees_and_ranges_are_labelled(hs15):
    best = trajectory(hs15.vehicle)
    words = texts(profile_figure(loft_profile(hs15)))
    assert "apogee 4,475 km" in words and "test range 950 km" in words
    assert f"maximum range {best.range_km:,.0f} km" in words and f"apogee {best.apogee_km:,.0f} km" in words
    caption = words[-1]
    assert "Powered-flight model" in caption and "stage 2" in caption and "observed 53 min" in caption


def test_near_orbital_missile_says_so_instead_of_a_trajectory(hs17):
    fig = profile_figure(loft_profile(hs17))
    assert NEAR_ORBITAL_NOTE in texts(fig)
    assert "near orbital: this model does not bound the range" in NEAR_ORBITAL_NOTE
    assert not any("maximum range" in t for t in texts(fig))


def test_title_is_printed_literally(hs15, tmp_path):
    fig = profile_figure(loft_profile(hs15), title="Test $x^2$ <b>&")
    assert fig._suptitle.get_text().startswith("Test $x^2$ <b>&\n")
    path = save_profile(loft_profile(hs15), tmp_path / "p.svg", title="Test $x^2$ <b>&")
    svg = path.read_text(encoding="utf-8")
    assert "Test $x^2$ &lt;b&gt;&amp;" in svg and "<b>" not in svg


@pytest.mark.parametrize("suffix, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_each_format_is_written(hs15, tmp_path, suffix, magic):
    path = save_profile(loft_profile(hs15), tmp_path / f"profile.{suffix}")
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [f"profile.{suffix}"]        # no temporary file left


def test_bad_format_and_bad_input(hs15, tmp_path):
    with pytest.raises(InputError, match="unknown format"):
        save_profile(loft_profile(hs15), tmp_path / "profile.gif")
    with pytest.raises(InputError, match="powered-flight fit"):
        profile_figure("not a fit")
    with pytest.raises(InputError, match="powered-flight fit"):
        profile_figure(hs15)                           # a fit, not yet flown: the analysis flies it
    with pytest.raises(InputError, match="powered-flight fit"):
        loft_profile("not a fit")
    assert not list(tmp_path.iterdir())


# --- the command --------------------------------------------------------------------------

def run(capsys, *argv):
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_loft_writes_the_profile(capsys, tmp_path):
    path = tmp_path / "hs15.png"
    status, out, err = run(capsys, "loft", "--apogee", "4475", "--range", "950", "--time", "53", "--burn-time", "240",
                           "--model", "powered", "-o", str(path))
    assert status == 0 and err == ""
    assert path.read_bytes().startswith(b"\x89PNG")
    assert "(powered model)" in out and f"trajectory profile (powered-flight model): {path}" in out
    assert "simple model (Kepler conic, burnout on the ground): 9,983 km" in out


def test_loft_profile_with_the_simple_model_still_uses_powered_flight(capsys, tmp_path):
    path = tmp_path / "hs14.svg"
    status, out, _ = run(capsys, "loft", "--apogee", "3724.9", "--range", "998", "--burn-time", "240",
                         "--model", "simple", "-o", str(path), "--json")
    doc = json.loads(out)
    assert status == 0 and doc["model"] == "simple" and doc["profile"] == str(path)
    assert path.read_text(encoding="utf-8").startswith("<?xml")


def test_loft_powered_json_near_orbital(capsys):
    status, out, _ = run(capsys, "loft", "--apogee", "6248.5", "--range", "1090", "--burn-time", "300",
                         "--model", "powered", "--json")
    doc = json.loads(out)
    assert status == 0 and doc["range_km"] is None and doc["near_orbital"] is True
    assert len(doc["fitted_stages"]) == 2 and doc["loft_pitch_deg"] > 80
    assert math.isfinite(doc["simple_range_km"])


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--apogee", "4475", "--range", "950", "--model", "gravity-loss"], "the gravity-loss model needs the powered-flight time"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "-o", "x.gif"], "unknown format"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "-o", "/nonexistent-dir/x.png"], "/nonexistent-dir"),
        (["--apogee", "100", "--range", "5000", "--burn-time", "100", "--model", "powered"], "no parameter set"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "--model", "powered", "--burnout-alt", "100"],
         "places burnout itself"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "--stages", "3"], "invalid choice"),
    ],
)
def test_loft_bad_input_is_one_line_and_status_2(capsys, tmp_path, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "loft", *argv)
    assert status == 2 and out == ""
    assert words in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


# --- hardening: bounds, strict JSON, empty -o, the README table from the command line ---------

def _strict(text):
    """json.loads that refuses NaN and Infinity (Python's json accepts them; JSON does not)."""
    def refuse(name):
        raise AssertionError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "argv, words",
    [
        # absurd apogees: a ZeroDivisionError traceback (powered), NaN printed with exit 0 (simple)
        (["--apogee", "1e9", "--range", "900", "--burn-time", "240", "--model", "powered"], "at most 40,000"),
        (["--apogee", "1e6", "--range", "900", "--burn-time", "240", "--model", "powered"], "at most 40,000"),
        (["--apogee", "1e308", "--range", "950"], "at most 40,000"),
        (["--apogee", "1e308", "--range", "950", "--json"], "at most 40,000"),
        (["--apogee", "40000.5", "--range", "950"], "at most 40,000 kilometres"),
        # burn times no missile has: 5 s gave a 32,208 kN "missile"; 1e6 s ran for more than 10 minutes
        (["--apogee", "4475", "--range", "950", "--burn-time", "5", "--model", "powered"], "from 20 to 900 seconds"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "19.9"], "from 20 to 900 seconds"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "901", "--model", "powered"], "from 20 to 900"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "1e6", "--model", "powered"], "from 20 to 900"),
        (["--apogee", "4475", "--range", "950", "--time", "1e9"], "at most 600 minutes"),
        (["--apogee", "4475", "--range", "950", "--time", "600.1"], "at most 600 minutes"),
        (["--apogee", "4475", "--range", "950", "--time", "0"], "time '0' must be a positive number"),
        (["--apogee", "4475", "--range", "950", "--time", "nan"], "time 'nan' is not a number of minutes"),
        # an empty -o wrote nothing and exited 0
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "-o", ""], "cannot write ''"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "--model", "powered", "-o", ""],
         "give a file name"),
        # the launch site
        (["--apogee", "4475", "--range", "950", "--model", "simple", "--launch-lat", "40"], "powered-flight model only"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "--model", "gravity-loss", "--launch-lat", "40"],
         "add --model powered"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "--model", "powered", "--launch-azimuth", "90"],
         "add --launch-lat"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "--model", "powered", "--launch-lat", "91"],
         "launch latitude '91' must be from -90 to 90"),
        (["--apogee", "4475", "--range", "950", "--burn-time", "240", "--model", "powered", "--launch-lat", "40",
          "--launch-azimuth", "inf"], "launch azimuth 'inf'"),
        (["--apogee", "4475", "--range", "950", "--dpi", "300"], "add -o PATH.png"),
    ],
)
def test_loft_out_of_bounds_is_one_line_and_status_2(capsys, tmp_path, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "loft", *argv)
    assert (status, out) == (2, "")
    assert err.startswith("rangemap: error: ") and words in err and err.count("\n") == 1, err
    assert "Traceback" not in err and "nan" not in err.lower().replace("'nan'", "")
    assert not list(tmp_path.iterdir())


def test_loft_help_states_the_bounds(capsys):
    status, out, _ = run(capsys, "loft", "--help")
    text = " ".join(out.split())
    assert status == 0
    assert "at most 40,000" in text and "at most 600" in text and "20-900" in text
    assert "--launch-lat 40 --launch-azimuth 90" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["--apogee", "4475", "--range", "950", "--burn-time", "20", "--model", "powered", "--time", "600"],
        ["--apogee", "300", "--range", "500", "--burn-time", "900", "--model", "gravity-loss"],
        ["--apogee", "6248.5", "--range", "1090", "--burn-time", "300", "--model", "powered", "--launch-lat", "40"],
        ["--apogee", "7000", "--range", "1000", "--burn-time", "300", "--model", "powered"],   # simple conic orbital
        ["--apogee", "1e-9", "--range", "1e-9", "--model", "simple"],
        ["--apogee", "4475", "--range", "950", "--launch-lat", "40"],          # powered by default, class burn
    ],
)
def test_loft_json_is_strict_json_and_says_which_earth(capsys, argv):
    status, out, err = run(capsys, "loft", *argv, "--json")
    assert status == 0, err
    doc = _strict(out)
    assert doc["range_km"] is None or math.isfinite(doc["range_km"])
    assert doc["near_orbital"] == (doc["range_km"] is None)
    rotating = "--launch-lat" in argv
    assert doc["fitted_on"] == ("the rotating Earth, flying from 40.0°N toward 90°" if rotating
                                else "a non-rotating Earth")
    assert doc["launch"] == ({"lat": 40.0, "azimuth_deg": 90.0} if rotating else None)


def test_loft_text_says_which_earth_the_test_was_fitted_on(capsys):
    args = ["--apogee", "4475", "--range", "950", "--burn-time", "240", "--model", "powered"]
    _, flat, _ = run(capsys, "loft", *args)
    _, east, _ = run(capsys, "loft", *args, "--launch-lat", "-12.5", "--launch-azimuth", "-90")
    assert flat.startswith("estimated range 14,446 km") and "test fitted on a non-rotating Earth" in flat
    assert "test fitted on the rotating Earth, flying from 12.5°S toward 270°" in east
    assert "maximum range on a non-rotating Earth" in east and "nan" not in (flat + east).lower()


def test_loft_profile_of_a_test_fitted_over_the_rotating_earth_says_so(capsys, tmp_path):
    path = tmp_path / "hs15.svg"
    status, out, _ = run(capsys, "loft", "--apogee", "4475", "--range", "950", "--burn-time", "240", "--model",
                         "powered", "--launch-lat", "40", "--launch-azimuth", "90", "-o", str(path))
    assert status == 0 and out.startswith("estimated range 13,899 km")
    svg = " ".join(path.read_text(encoding="utf-8").split())
    assert "fitted flying from 40.0°N toward 90° over the rotating Earth" in svg
    assert "maximum range 13,899 km" in svg


def _readme_loft_rows():
    """The README's lofted-tests table: (test, apogee, range, burn s, stages, simple, corrected, powered)."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Test | Apogee / ground range (km) |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        apogee, rng = (float(x.replace(",", "")) for x in cells[1].split(" / "))
        burn, stages = cells[2].split(" s, ")
        rows.append((cells[0], apogee, rng, float(burn), int(stages.split()[0]), cells[3], cells[4], cells[5]))
    return rows


def _cell(capsys, argv):
    """What the README's table prints for `rangemap loft ARGV --json`."""
    status, out, err = run(capsys, "loft", *argv, "--json")
    if status == 2 and "orbital" in err:
        return "orbital: no finite range"
    assert status == 0, err
    doc = _strict(out)
    return "near orbital: not bounded" if doc["near_orbital"] else f"{doc['range_km']:,.0f}"


def test_the_readme_table_is_reproduced_by_the_command_line(capsys):
    """Each row of the README's lofted-tests table, from `rangemap loft` with the table's burn time
    and stages; the powered-flight column flown from 40°N due east (--launch-lat 40 --launch-azimuth 90)."""
    rows = _readme_loft_rows()
    assert len(rows) == 5
    for test, apogee, rng, burn, stages, simple, corrected, pw in rows:
        base = ["--apogee", f"{apogee:g}", "--range", f"{rng:g}"]
        assert _cell(capsys, base + ["--model", "simple"]) == simple, test
        assert _cell(capsys, base + ["--burn-time", f"{burn:g}", "--model", "gravity-loss"]) == corrected, test
        assert _cell(capsys, base + ["--burn-time", f"{burn:g}", "--stages", str(stages), "--model", "powered",
                                     "--launch-lat", "40", "--launch-azimuth", "90"]) == pw, test
    hs15 = ["--apogee", "4475", "--range", "950", "--burn-time", "240", "--model", "powered"]
    assert _cell(capsys, hs15) == "14,446"            # without the launch site: a non-rotating Earth


def test_the_readme_example_runs(capsys):
    """Every `rangemap loft ...` command in the README's lofted-tests paragraph exits 0."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    examples = [m for m in re.findall(r"(?:`|^\$ )rangemap loft ([^`\n]*)", readme, re.MULTILINE) if "KM" not in m]
    assert examples
    for example in examples:
        status, out, err = run(capsys, "loft", *shlex.split(example))
        assert status == 0 and out.startswith("estimated range"), (example, err)
