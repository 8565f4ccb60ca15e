"""Tests of the trajectory profile figure (geo.outputs.profile) and ``rangemap loft -o``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from geo.cli.main import main
from geo.core.powered import fit_loft, trajectory
from geo.errors import InputError
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
    fig = profile_figure(hs15)
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
    words = texts(profile_figure(hs15))
    assert "apogee 4,475 km" in words and "test range 950 km" in words
    assert f"maximum range {best.range_km:,.0f} km" in words and f"apogee {best.apogee_km:,.0f} km" in words
    caption = words[-1]
    assert "Powered-flight model" in caption and "stage 2" in caption and "observed 53 min" in caption


def test_near_orbital_missile_says_so_instead_of_a_trajectory(hs17):
    fig = profile_figure(hs17)
    assert NEAR_ORBITAL_NOTE in texts(fig)
    assert "near orbital: this model does not bound the range" in NEAR_ORBITAL_NOTE
    assert not any("maximum range" in t for t in texts(fig))


def test_title_is_printed_literally(hs15, tmp_path):
    fig = profile_figure(hs15, title="Test $x^2$ <b>&")
    assert fig._suptitle.get_text().startswith("Test $x^2$ <b>&\n")
    path = save_profile(hs15, tmp_path / "p.svg", title="Test $x^2$ <b>&")
    svg = path.read_text(encoding="utf-8")
    assert "Test $x^2$ &lt;b&gt;&amp;" in svg and "<b>" not in svg


@pytest.mark.parametrize("suffix, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_each_format_is_written(hs15, tmp_path, suffix, magic):
    path = save_profile(hs15, tmp_path / f"profile.{suffix}")
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [f"profile.{suffix}"]        # no temporary file left


def test_bad_format_and_bad_input(hs15, tmp_path):
    with pytest.raises(InputError, match="unknown format"):
        save_profile(hs15, tmp_path / "profile.gif")
    with pytest.raises(InputError, match="powered-flight fit"):
        profile_figure("not a fit")
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
        (["--apogee", "4475", "--range", "950", "-o", "x.png"], "a trajectory profile needs the powered-flight time"),
        (["--apogee", "4475", "--range", "950", "--model", "powered"], "the powered model needs the powered-flight time"),
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
