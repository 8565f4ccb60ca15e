"""The answer to one check as terminal text and as JSON, read from an assessment.

>>> from geo.analysis.assessment import assess
>>> from geo.analysis.scenario import Scenario
>>> a = assess(Scenario.resolve("Chagang", "KN-23", "Seoul"))
>>> print(check_lines(a.check(0, 0, 0))[0])
KN-23 from Hoejung-ri missile operating base (Chagang) to Seoul: in range
"""

from __future__ import annotations

from ..analysis.assessment import VERDICTS, Check
from ..analysis.scenario import MODEL_DESCRIPTIONS
from .formatting import band_text, km, signed_km

__all__ = ["check_lines", "check_json", "place_json", "FLIGHT_TIME_NOTE"]

#: What the flight times are, in one phrase.
FLIGHT_TIME_NOTE = "minimum-energy Keplerian free flight over a sphere plus an estimated boost phase (rough)"


def place_json(p) -> dict:
    return {"name": p.name, "lat": p.lat, "lon": p.lon}


def _reach_line(c: Check) -> str:
    reach = "reach toward the target" if c.model == "rotating" else "range"
    band = f" (band {band_text(*c.band_km)}{' under the same model' if c.model == 'rotating' else ''})" \
        if c.band_km else ""
    if c.verdict == VERDICTS[3]:
        return (f"  distance {km(c.distance_km)}, inside the minimum range of {km(c.min_range_km)} by "
                f"{km(c.inside_minimum_km)} (too close to be hit); {reach} {km(c.range_km)}{band}, "
                f"bearing {c.bearing_deg:.1f}°")
    minimum = f", minimum range {km(c.min_range_km)}" if c.min_range_km else ""
    return (f"  distance {km(c.distance_km)}, {reach} {km(c.range_km)}{band}{minimum}, "
            f"margin {signed_km(c.margin_km)}, bearing {c.bearing_deg:.1f}°")


def check_lines(c: Check, overflight: str | None = None) -> list[str]:
    """The lines ``rangemap check`` prints for one answer."""
    lines = [f"{c.missile.name} from {c.site.name} to {c.target.name}: {c.verdict}", _reach_line(c)]
    if c.flight_time_min is not None:
        lines.append(f"  flight time about {c.flight_time_min:.0f} min ({c.free_flight_min:.1f} min minimum-energy "
                     f"free flight + {c.boost_min:.1f} min estimated boost)")
    if overflight is not None:
        lines.append(f"  overflight: {overflight}")
    lines.append(f"  ({MODEL_DESCRIPTIONS[c.model]}; range: {c.missile.source or 'no source given'})")
    return lines


def check_json(c: Check) -> dict:
    """One answer as a JSON object (kilometres and minutes)."""
    m = c.missile
    return {
        "site": place_json(c.site), "target": place_json(c.target), "missile": m.name,
        "range_km": c.range_km, "range_band_km": list(c.band_km) if c.band_km else None,
        "min_range_km": c.min_range_km, "inside_minimum_km": c.inside_minimum_km,
        "distance_km": c.distance_km, "margin_km": c.margin_km, "bearing_deg": c.bearing_deg,
        "verdict": c.verdict, "model": c.model, "model_description": MODEL_DESCRIPTIONS[c.model],
        "flight_time_min": c.flight_time_min, "free_flight_min": c.free_flight_min, "boost_min": c.boost_min,
        "flight_time_note": FLIGHT_TIME_NOTE if c.flight_time_min is not None else "target cannot be hit",
        "sources": {"missile": m.source, "site": c.site.source, "target": c.target.source},
    }
