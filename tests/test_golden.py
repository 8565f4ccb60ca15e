"""Golden files: one scenario's GeoJSON, KML and report table against the checked-in tests/golden/.

The comparison is structural: the files are parsed (JSON; XML with coordinate lists and numeric
text read as numbers) and numbers agree within ``ABS_TOL + REL_TOL * |golden|`` of
scripts/regenerate_goldens.py (1e-6° is 0.1 m; 1e-6 km is 1 mm), everything else exactly. A ring
that moves, a verdict, a margin or a flight time that changes, a property added or removed: each
fails, with the path to the first difference. When the change is intended, regenerate with

    python scripts/regenerate_goldens.py

and commit the new files with the change (read ``git diff tests/golden`` first).
"""

from __future__ import annotations

import importlib.util
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
REGENERATE = "python scripts/regenerate_goldens.py"

_spec = importlib.util.spec_from_file_location("regenerate_goldens", ROOT / "scripts" / "regenerate_goldens.py")
goldens = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(goldens)


def _number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def differences(got, want, where="$"):
    """The first difference between two parsed documents, as a path and a description, or None."""
    if isinstance(want, bool) or isinstance(got, bool):
        return None if got is want else f"{where}: {got!r} != {want!r}"
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        tol = goldens.ABS_TOL + goldens.REL_TOL * abs(want)
        return None if abs(got - want) <= tol else f"{where}: {got!r} != {want!r} (tolerance {tol:g})"
    if isinstance(want, str) and isinstance(got, str) and _number(want) is not None and _number(got) is not None:
        return differences(_number(got), _number(want), where)               # data-value='3540.258'
    if type(got) is not type(want):
        return f"{where}: {type(got).__name__} {got!r:.80} != {type(want).__name__} {want!r:.80}"
    if isinstance(want, dict):
        if set(got) != set(want):
            return f"{where}: keys {sorted(set(got) ^ set(want))} differ"
        return next((d for k in want if (d := differences(got[k], want[k], f"{where}.{k}"))), None)
    if isinstance(want, list):
        if len(got) != len(want):
            return f"{where}: {len(got)} items != {len(want)}"
        return next((d for i, (g, w) in enumerate(zip(got, want)) if (d := differences(g, w, f"{where}[{i}]"))),
                    None)
    return None if got == want else f"{where}: {got!r:.120} != {want!r:.120}"


def xml_tree(text: str):
    """An XML document as nested lists: [tag, attributes, text (numbers parsed), children...]."""
    def node(e):
        body = " ".join((e.text or "").split())
        if e.tag.endswith("coordinates"):
            value = [[float(v) for v in point.split(",")] for point in body.split()]
        else:
            value = _number(body) if _number(body) is not None else body
        return [e.tag, dict(e.attrib), value, *[node(c) for c in e]]

    return node(ET.fromstring(text.encode("utf-8")))


PARSERS = {".geojson": json.loads, ".kml": xml_tree, ".json": json.loads}


@pytest.mark.parametrize("name", list(goldens.OUTPUTS))
def test_output_matches_its_golden_file(name, tmp_path):
    parse = PARSERS[Path(name).suffix]
    want = parse((GOLDEN / name).read_text(encoding="utf-8"))
    diff = differences(parse(goldens.produce(tmp_path, [name])[name]), want)
    assert diff is None, f"{name} differs from tests/golden/{name}: {diff}\nIf the change is intended: {REGENERATE}"


def test_the_golden_scenario_says_what_it_should():
    """The golden files themselves hold the founding scenario's published numbers (README)."""
    table = json.loads((GOLDEN / "chagang_hwasong-12.report-table.json").read_text(encoding="utf-8"))
    guam = next(row for row in table if any(c["text"] == "Guam (Andersen AFB)" for c in row))
    texts = [c["text"] for c in guam]
    assert "3,540" in texts and "+960" in texts and "in range" in texts
    doc = json.loads((GOLDEN / "chagang_hwasong-12.geojson").read_text(encoding="utf-8"))
    path = next(f for f in doc["features"] if f["properties"].get("target") == "Guam (Andersen AFB)")
    assert round(path["properties"]["distance_km"]) == 3540 and path["properties"]["verdict"] == "in range"
    assert any(f["properties"].get("kind") == "nominal" and f["properties"]["radius_km"] == 4500.0
               for f in doc["features"])


@pytest.mark.parametrize("change, where", [
    (lambda d: d["features"][0]["geometry"]["coordinates"][0][0][0].__setitem__(0, [126.0, 30.0]), "coordinates"),
    (lambda d: d["features"][-1]["properties"].__setitem__("margin_km", 959.0), "margin_km"),
    (lambda d: d["features"][-1]["properties"].__setitem__("verdict", "out of range"), "verdict"),
    (lambda d: d["features"][-1]["properties"].pop("flight_time_min"), "keys"),
])
def test_the_comparison_fails_on_a_real_change(change, where):
    want = json.loads((GOLDEN / "chagang_hwasong-12.geojson").read_text(encoding="utf-8"))
    got = json.loads(json.dumps(want))
    assert differences(got, want) is None
    got["features"][0]["geometry"]["coordinates"][0][0][0][1] += goldens.ABS_TOL / 2      # within tolerance
    assert differences(got, want) is None
    change(got)
    assert where in differences(got, want)
