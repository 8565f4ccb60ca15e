"""Shared test vectors: the verdict rule and the ring rules, in Python (geo) and in JavaScript (Chromium).

tests/vectors/verdicts_and_rings.json is written by scripts/make_test_vectors.py: verdict cases on
and either side of every boundary (band, minimum range, near orbital), and rings (the antimeridian,
the poles, beyond a quarter of the globe, past half a meridian) with points whose GeographicLib
distance from the site is well inside or outside the radius. Both implementations must give every
answer; a rule changed on one side only fails here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

from geo.analysis.assessment import VERDICTS, verdict_codes
from geo.analysis.regions import NEAR_ORBITAL_KM, UNBOUNDED_KM
from geo.core.rings import range_ring

ROOT = Path(__file__).resolve().parent.parent
VECTORS = json.loads((ROOT / "tests" / "vectors" / "verdicts_and_rings.json").read_text(encoding="utf-8"))
#: The package's web JavaScript (rings.js, verdict.js): the one path to change if the files move.
WEB_JS = ROOT / "geo" / "outputs" / "js"
#: The vendored GeographicLib (geographiclib-geodesic.min.js), wherever under geo/outputs it is kept.
GEOGRAPHICLIB = next((ROOT / "geo" / "outputs").rglob("geographiclib-geodesic.min.js"))


def _low(case):
    return math.nan if case["min_range_km"] is None else case["min_range_km"]


def test_the_vectors_cover_every_verdict_and_every_kind_of_ring():
    assert VECTORS["verdicts_in_code_order"] == list(VERDICTS)
    assert {c["verdict"] for c in VECTORS["verdicts"]} == set(VERDICTS)
    assert (VECTORS["unbounded_km"], VECTORS["near_orbital_km"]) == (UNBOUNDED_KM, NEAR_ORBITAL_KM)
    notes = " ".join(c["note"] for c in VECTORS["rings"])
    for kind in ("antimeridian", "north pole", "south pole", "beyond a quarter", "whole globe"):
        assert kind in notes
    assert all(c["inside"] for c in VECTORS["rings"]) and sum(bool(c["outside"]) for c in VECTORS["rings"]) >= 10


@pytest.mark.parametrize("case", VECTORS["verdicts"], ids=[c["note"] for c in VECTORS["verdicts"]])
def test_verdict_vectors_in_python(case):
    code = int(verdict_codes(case["distance_km"], case["certain_km"], case["max_km"], _low(case)))
    assert VERDICTS[code] == case["verdict"]


def test_verdict_vectors_in_python_all_at_once():
    cases = VECTORS["verdicts"]
    codes = verdict_codes(*(np.array([c[k] for c in cases], dtype=float) for k in ("distance_km", "certain_km",
                                                                                  "max_km")),
                          np.array([_low(c) for c in cases]))
    assert [VERDICTS[int(k)] for k in codes] == [c["verdict"] for c in cases]


@pytest.mark.parametrize("case", VECTORS["rings"], ids=[c["note"] for c in VECTORS["rings"]])
def test_ring_vectors_in_python(case):
    lat, lon = case["site"]
    km, clearance = case["radius_km"], VECTORS["clearance_km"]
    geod = Geodesic.WGS84
    for points, inside in ((case["inside"], True), (case["outside"], False)):   # the file says what it should
        for x, y in points:
            d = geod.Inverse(lat, lon, y, x, Geodesic.DISTANCE)["s12"] / 1000.0
            assert (d <= km - clearance) if inside else (d >= km + clearance), (x, y, d)
    ring = range_ring(lat, lon, km)
    for points, inside in ((case["inside"], True), (case["outside"], False)):
        if points:
            xy = np.array(points)
            got = shapely.contains_xy(ring, xy[:, 0], xy[:, 1])
            assert got.tolist() == [inside] * len(points), [p for p, g in zip(points, got) if g != inside]


_JS_CHECK = """(vectors) => {
  const evenOdd = (pt, parts) => {            // the region as drawn: even-odd over every ring
    let inside = false;
    for (const poly of parts) for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > pt[1]) !== (yj > pt[1]) && pt[0] < (xj - xi) * (pt[1] - yi) / (yj - yi) + xi) inside = !inside;
      }
    }
    return inside;
  };
  const wrong = [];
  vectors.verdicts.forEach((c) => {
    const code = window.rangemapVerdict.code(c.distance_km, c.certain_km, c.max_km, c.min_range_km);
    if (vectors.verdicts_in_code_order[code] !== c.verdict) wrong.push(["verdict", c.note, code]);
  });
  vectors.rings.forEach((c) => {
    const r = window.rangemapRings.ring(c.site[0], c.site[1], c.radius_km, [-180, -90, 180, 90]);
    c.inside.forEach((p) => { if (!evenOdd(p, r.parts)) wrong.push(["ring", c.note, "outside", p, r.kind]); });
    c.outside.forEach((p) => { if (evenOdd(p, r.parts)) wrong.push(["ring", c.note, "inside", p, r.kind]); });
  });
  return {wrong: wrong, unbounded: window.rangemapVerdict.UNBOUNDED_KM,
          nearOrbital: window.rangemapVerdict.NEAR_ORBITAL_KM};
}"""


@pytest.mark.browser
def test_vectors_in_the_browser(tab):
    """rings.js and verdict.js, loaded from the package as the pages load them, give every answer."""
    page = tab.page
    page.set_content("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>")
    for script in (GEOGRAPHICLIB, WEB_JS / "rings.js", WEB_JS / "verdict.js"):
        page.add_script_tag(content=script.read_text(encoding="utf-8"))
    result = page.evaluate(_JS_CHECK, VECTORS)
    assert result["wrong"] == [] and tab.errors == []
    assert (result["unbounded"], result["nearOrbital"]) == (UNBOUNDED_KM, NEAR_ORBITAL_KM)
