"""``rangemap threats`` as terminal text and JSON, read from a :class:`~geo.analysis.threats.Threats`.

>>> from geo.analysis.threats import threats
>>> lines = threat_lines(threats("Guam", country="KP"))
>>> lines[0][:76]
'Who can reach Guam (Andersen AFB) (13.5811°N 144.9244°E)? 120 site × missile'
>>> lines[2].split()[:6]
['margin', 'verdict', 'missile', 'site', 'state', 'distance']
"""

from __future__ import annotations

from ..analysis.country_reach import latlon_text
from .text import FLIGHT_TIME_NOTE
from .formatting import NEAR_ORBITAL_TEXT, check_units, length, minutes, reach_cell, to_units

__all__ = ["threat_lines", "threat_json", "NONE_REACH"]

#: What the text says when no pair reaches the place.
NONE_REACH = "No catalog missile reaches this place from a site of its own state."

_HEAD = ("margin", "verdict", "missile", "site", "state", "distance", "range", "flight time")
_RIGHT = {0, 5, 6, 7}


def _cells(r, units: str) -> list[str]:
    return [reach_cell(r.margin_km, r.near_orbital, units, signed=True, short=True), r.verdict, r.missile.name,
            r.site.name, r.state, length(r.distance_km, units), reach_cell(r.range_km, r.near_orbital, units, short=True),
            f"about {minutes(r.flight_time_min)}" if r.flight_time_min is not None else "—"]


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.rjust(w) if i in _RIGHT else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
            for row in rows]


def threat_lines(t, *, units: str = "km") -> list[str]:
    """The lines ``rangemap threats`` prints: a header naming the place, the model and the sources;
    an aligned table, best margin first; the range source of each missile class once."""
    units = check_units(units)
    place = t.target
    states = ", ".join(t.states) or "none"
    origin = "each missile from its own state's catalog sites" if t.area_site is None else (
        f"each missile fired from anywhere in {t.area_site.country}, whose nearest point is "
        f"{latlon_text(t.area_site.lat, t.area_site.lon)}; area: {t.area_site.source}")
    head = [f"Who can reach {place.name} ({latlon_text(place.lat, place.lon)})? {len(t.rows)} site × missile pairs of "
            f"{t.pairs_tried} tried reach it ({origin}; states: {states})",
            f"  ({t.model_description}; place: {place.source or 'no source given'})"]
    if not t.rows:
        return head + [NONE_REACH]
    body = _aligned([list(_HEAD)] + [_cells(r, units) for r in t.rows])
    sources = {r.missile.name: r.missile.source or "no source given" for r in t.rows}
    notes = ["range sources: " + "; ".join(f"{name}: {src}" for name, src in sources.items())]
    if any(r.near_orbital for r in t.rows):
        notes.append(f"near orbital: {NEAR_ORBITAL_TEXT.partition(': ')[2]}")
    notes.append(f"flight time: {FLIGHT_TIME_NOTE}")
    if units != "km":
        notes.append({"mi": "1 mi = 1.609344 km", "nmi": "1 nmi = 1.852 km"}[units])
    return head + body + ["  " + n for n in notes]


def threat_json(t, *, units: str = "km") -> list[dict]:
    """One object per reaching pair (the rows of :meth:`Threats.records`), with ``units`` and, for other
    units than km, ``distance_<u>``, ``range_<u>`` and ``margin_<u>`` beside the ``_km`` fields."""
    units = check_units(units)
    out = []
    for rec in t.records():
        rec["units"] = units
        rec["model_description"] = t.model_description
        if units != "km":
            for key in ("distance", "range", "margin"):
                v = rec[f"{key}_km"]
                rec[f"{key}_{units}"] = None if v is None else to_units(v, units)
        out.append(rec)
    return out
