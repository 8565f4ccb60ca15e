"""The answer to one check as terminal text and as JSON, read from an assessment.

>>> from geo.analysis.assessment import assess
>>> from geo.analysis.scenario import Scenario
>>> a = assess(Scenario.resolve("Chagang", "KN-23", "Seoul"))
>>> print(check_lines(a.check(0, 0, 0))[0])
KN-23 from Hoejung-ri missile operating base (Chagang) to Seoul: in range
>>> print(check_lines(a.check(0, 0, 0), units="mi")[1])
  distance 262 mi, range 429 mi (band 373-497 mi), margin +167 mi, bearing 179.2°
"""

from __future__ import annotations

import math

import re

from ..analysis.assessment import Check
from ..validate import Verdict
from ..analysis.scenario import MODEL_DESCRIPTIONS
from .formatting import (NEAR_ORBITAL_TEXT, band_text, check_units, length, percent, sectors_text, signed_length,
                         to_units, verdict_text)

__all__ = ["check_lines", "check_json", "area_lines", "place_json", "track_text", "reader_note", "FLIGHT_TIME_NOTE",
           "NEAR_ORBITAL_TEXT", "ROTATING_REGIONS_TEXT", "near_orbital_line", "near_orbital_notes",
           "comes_back_line", "coverage_caveat", "coverage_lines", "country_reach_lines", "table_lines"]

#: What the flight times are, in one phrase.
FLIGHT_TIME_NOTE = ("the class missile (powered-flight model, assumed stages) on its maximum-range pitch programme, "
                    "its thrust cut off so that the coast (Keplerian, over a sphere) lands on the target; at the "
                    "edge of the reach that is its maximum-range shot")

#: What a region drawn under the rotating model is (never "the exact geodesic region").
ROTATING_REGIONS_TEXT = ("the reach of the powered-flight model on a rotating Earth in each direction, out to the "
                         "edge of the region covered without a gap")


def near_orbital_line(sectors, units: str = "km") -> str:
    """Where a drawn region is not bounded by the model, as one clause (``""`` when nowhere).

    >>> near_orbital_line([(87.25, 100.75)])
    'near orbital toward bearings 87-101°, where this model does not bound the range; the region is drawn out to 19,500 km in those directions'
    """
    from ..analysis.regions import UNBOUNDED_KM

    if not sectors:
        return ""
    return (f"near orbital toward {sectors_text(sectors)}, where {NEAR_ORBITAL_TEXT.partition(': ')[2]}; "
            f"the region is drawn out to {length(UNBOUNDED_KM, units)} in those directions")


def near_orbital_notes(a, units: str = "km") -> list[str]:
    """One line per drawn region of assessment `a` with near-orbital directions
    (:func:`geo.analysis.unbounded.drawn_near_orbital`); empty under the geodesic model.

    >>> from geo.analysis.assessment import assess
    >>> from geo.analysis.scenario import Scenario
    >>> near_orbital_notes(assess(Scenario.resolve("Pyongyang", "Hwasong-15", model="rotating")))[0][:103]
    'Hwasong-15 from Pyongyang (city centre) (nominal range 13,000 km): near orbital toward bearings 82-103°'
    """
    from ..analysis.unbounded import drawn_near_orbital

    return [f"{a.missiles[n.missile].name} from {a.sites[n.site].name} ({_KIND_WORDS[n.kind]} "
            f"{length(n.radius_km, units)}): "
            + "; ".join(x for x in (near_orbital_line(n.sectors, units), comes_back_line(n.comes_back_km, units)) if x)
            for n in drawn_near_orbital(a)]


def comes_back_line(km: float | None, units: str = "km") -> str:
    """Where, on any bearing, the model stops bounding the range, as one clause (``""`` for None).

    >>> comes_back_line(18_156.0)
    'from 18,156 km on, on any bearing, this model does not bound the range (shots that came down near or past the antipode): not drawn'
    """
    if km is None:
        return ""
    return (f"from {length(km, units)} on, on any bearing, {NEAR_ORBITAL_TEXT.partition(': ')[2]} "
            "(shots that came down near or past the antipode): not drawn")


_KIND_WORDS = {"nominal": "nominal range", "certain": "in range up to", "band": "possibly in range up to"}


def place_json(p) -> dict:
    return {"name": p.name, "lat": p.lat, "lon": p.lon}


def _reach_line(c: Check, units: str) -> str:
    def d(km: float) -> str:
        return length(km, units)

    reach = "reach toward the target" if c.model == "rotating" else "range"
    band = f" (band {band_text(*c.band_km, units)}{' under the same model' if c.model == 'rotating' else ''})" \
        if c.band_km and not c.near_orbital else ""
    if c.near_orbital:
        return f"  distance {d(c.distance_km)}, {reach}: {NEAR_ORBITAL_TEXT}, bearing {c.bearing_deg:.1f}°"
    if (c.point_verdict or c.verdict) == Verdict.TOO_CLOSE:
        return (f"  distance {d(c.distance_km)}, inside the minimum range of {d(c.min_range_km)} by "
                f"{d(c.inside_minimum_km)} (too close to be hit); {reach} {d(c.range_km)}{band}, "
                f"bearing {c.bearing_deg:.1f}°")
    minimum = f", minimum range {d(c.min_range_km)}" if c.min_range_km else ""
    return (f"  distance {d(c.distance_km)}, {reach} {d(c.range_km)}{band}{minimum}, "
            f"margin {signed_length(c.margin_km, units)}, bearing {c.bearing_deg:.1f}°")


def track_text(track, units: str = "km") -> str:
    """The countries under a ground track (:meth:`Assessment.overflight`) as one line, in `units`.

    >>> from geo.analysis.coverage import Overflight
    >>> track_text([Overflight("North Korea", "PRK", 0.0, 180.2)], "nmi")
    'North Korea 0-97 nmi'
    """
    if not track:
        return "no country's land (open sea)"
    return ", ".join(f"{o.name} {to_units(o.enter_km, units):,.0f}-{length(o.exit_km, units)}" for o in track)


def _point_line(what: str, p, units: str) -> str:
    """``nearest point 604 km away at 34.6860°N 129.4519°E, bearing 168.9°`` (and the part it lies on)."""
    from ..analysis.country_reach import latlon_text

    where = "" if p.main_part else f", on {p.part}"
    return f"  {what} point {length(p.distance_km, units)} away at {latlon_text(p.lat, p.lon)}, " \
           f"bearing {p.bearing_deg:.1f}°{where}"


def check_lines(c: Check, overflight: str | None = None, *, units: str = "km", whole=None) -> list[str]:
    """The lines ``rangemap check`` prints for one answer, distances in `units` (km, mi or nmi).

    For a whole country (`c.target_kind` ``"country"``; `whole` its
    :meth:`Assessment.country <geo.analysis.assessment.Assessment.country>`): the share within
    reach, its nearest and farthest points, and the reach, margin and flight time of the nearest point.
    """
    units = check_units(units)
    country = c.target_kind == "country"
    lines = [f"{c.missile.name} from {c.site.name} to {c.target.name}{' (the whole country)' if country else ''}: "
             f"{verdict_text(c.verdict, c.share)}"]
    if country and whole is not None:
        lines += [_point_line("nearest", whole.nearest, units), _point_line("farthest", whole.farthest, units)]
        lines.append(re.sub(r"^  distance [^,]*, (.*), bearing [^,]*$",
                            lambda m: f"  toward the nearest point ({c.point_verdict}): {m[1]}", _reach_line(c, units)))
    else:
        lines.append(_reach_line(c, units))
    if c.flight_time_min is not None:
        lines.append(f"  flight time{' to the nearest point' if country else ''} about {c.flight_time_min:.0f} min "
                     f"({c.boost_min:.1f} min boost + {c.free_flight_min:.1f} min coast; maximum-range programme "
                     "cut off to land there)")
    if overflight is not None:
        lines.append(f"  overflight{' to the nearest point' if country else ''}: {overflight}")
    unit = {"mi": "; 1 mi = 1.609344 km", "nmi": "; 1 nmi = 1.852 km"}.get(units, "")
    outline = "; outline: Natural Earth 1:50m, share within the nominal reach" if country else ""
    lines.append(f"  ({MODEL_DESCRIPTIONS[c.model]}; range: {c.missile.source or 'no source given'}{outline}{unit})")
    return lines


def area_lines(r, *, units: str = "km") -> list[str]:
    """The lines ``rangemap check --launch-area`` prints: the check from the area's nearest point
    (:class:`geo.analysis.launch_area.AreaCheck`), and that point."""
    from ..analysis.country_reach import latlon_text

    c = r.check
    lines = check_lines(c, units=units)
    lines[0] = f"{c.missile.name} from anywhere in {r.area.name} (launch area) to {c.target.name}: {c.verdict}"
    where = ("the target lies in the area" if r.inside else
             f"nearest point of the area {latlon_text(c.site.lat, c.site.lon)}, {length(c.distance_km, units)} "
             "from the target")
    lines.insert(1, f"  {where} (area: {r.area.source})")
    return lines


def _point_json(p, units: str) -> dict | None:
    if p is None:
        return None
    doc = {"lat": p.lat, "lon": p.lon, "distance_km": p.distance_km, "bearing_deg": p.bearing_deg, "part": p.part,
           "main_part": p.main_part}
    if units != "km":
        doc[f"distance_{units}"] = to_units(p.distance_km, units)
    return doc


def _country_json(whole, units: str) -> dict:
    """The fields of a country target (None for a point or place: one schema for every kind)."""
    from ..analysis.country_reach import OUTLINE_NOTE

    get = (lambda name: None) if whole is None else (lambda name: getattr(whole, name))     # noqa: E731
    return {"iso_a3": get("iso_a3"), "covered_km2": get("covered_km2"), "area_km2": get("area_km2"),
            "accuracy_km": get("accuracy_km"), "outline": None if whole is None else OUTLINE_NOTE,
            "nearest": _point_json(get("nearest"), units), "farthest": _point_json(get("farthest"), units)}


def check_json(c: Check, units: str = "km", whole=None) -> dict:
    """One answer as a JSON object: kilometres and minutes, and ``units``, the unit the text shows.

    With ``units`` other than km, the distances are also given in that unit, in fields named for it
    (``distance_mi``, ``range_mi``, ``margin_mi``, ``range_band_mi``, ``min_range_mi``, ``farthest_mi``).

    One schema for every kind of target (``target_kind``: point, place or country): a country's
    fields (``share``, ``farthest_km``, ``nearest``, ``farthest``, ``iso_a3``, ...) are null for a
    point or place; for a country, ``distance_km``, ``margin_km`` and the flight time are its nearest
    point's, and `whole` is its :meth:`Assessment.country <geo.analysis.assessment.Assessment.country>`.

    >>> from geo.analysis.assessment import assess
    >>> from geo.analysis.scenario import Scenario
    >>> doc = check_json(assess(Scenario.resolve("Chagang", "HS-12", "Guam")).check(0, 0, 0), "nmi")
    >>> doc["units"], round(doc["distance_km"], 3), round(doc["distance_nmi"], 3)
    ('nmi', 3540.258, 1911.586)
    """
    m, units = c.missile, check_units(units)
    doc = {
        "site": place_json(c.site), "target": place_json(c.target), "target_kind": c.target_kind, "missile": m.name,
        "range_km": c.range_km, "range_band_km": list(c.band_km) if c.band_km else None,
        "min_range_km": c.min_range_km, "inside_minimum_km": c.inside_minimum_km,
        "distance_km": c.distance_km, "margin_km": c.margin_km, "bearing_deg": c.bearing_deg,
        "verdict": c.verdict, "point_verdict": c.point_verdict, "share": c.share, "farthest_km": c.farthest_km,
        **_country_json(whole, units),
        "model": c.model, "model_description": MODEL_DESCRIPTIONS[c.model],
        "flight_time_min": c.flight_time_min, "free_flight_min": c.free_flight_min, "boost_min": c.boost_min,
        "flight_time_note": FLIGHT_TIME_NOTE if c.flight_time_min is not None else "target cannot be hit",
        "flight_time_basis": c.flight_time_basis,
        "sources": {"missile": m.source, "site": c.site.source, "target": c.target.source},
        "units": units,
    }
    # No figure to quote where the model does not bound the reach: null, and the flag (a boolean,
    # as in the tables) with the sentence beside it; a band's unbounded end is null too.
    doc.update(near_orbital=bool(c.near_orbital), near_orbital_note=NEAR_ORBITAL_TEXT if c.near_orbital else None)
    if c.near_orbital:
        doc.update(range_km=None, margin_km=None)
    if doc["range_band_km"]:
        doc["range_band_km"] = [v if math.isfinite(v) else None for v in doc["range_band_km"]]
    if units != "km":
        for key in ("range", "min_range", "inside_minimum", "distance", "margin", "farthest"):
            value = doc[f"{key}_km"]
            doc[f"{key}_{units}"] = None if value is None else to_units(value, units)
        doc[f"range_band_{units}"] = [None if v is None else to_units(v, units) for v in doc["range_band_km"]] \
            if doc["range_band_km"] else None
    return doc


#: Words that mark a catalog note as being about the catalog's upkeep, not about the thing itself.
def coverage_caveat(cov, units: str = "km") -> str:
    """One sentence saying where the footprint of :class:`~geo.analysis.coverage.Coverage` `cov` is
    not bounded, and that the totals include it; ``""`` when it is bounded everywhere.

    >>> from geo.analysis.coverage import coverage
    >>> coverage_caveat(coverage("Pyongyang", 15_000, model="rotating"))[:75]
    'near orbital toward bearings 74-107°, where this model does not bound the r'
    """
    line = near_orbital_line(cov.near_orbital_sectors, units)
    if not line:
        return ""
    return (f"{line}: the countries, cities and people counted here include those "
            "directions, which the model does not show to be within range")


def coverage_lines(cov, top: int = 10, units: str = "km") -> list[str]:
    """A few lines of text about :class:`~geo.analysis.coverage.Coverage` `cov` for a terminal or a
    caption, distances and areas in `units` (km, mi, nmi).

    The countries are named in order of the people estimated within range; the percentage
    beside each is the share of its *area* within range (not of its people).
    """
    from ..analysis.coverage import AREA_LABEL, CITIES_LABEL

    units = check_units(units)
    whole = sum(c.share >= 1.0 for c in cov.countries)
    shares = ", ".join(f"{c.name} {percent(c.share)}" for c in cov.countries[:top])
    cities = ", ".join(c.name for c in cov.cities[:top])
    land = to_units(to_units(cov.covered_km2, units), units)
    caveat = coverage_caveat(cov, units)
    return [
        f"{cov.missile.name} ({length(cov.range_km, units)}) from {cov.site.name}, {cov.model} model",
        *([f"Caveat: {caveat}"] if caveat else []),
        f"Countries within range: {len(cov.countries)} ({whole} wholly); "
        f"land within range: {land / 1e6:,.2f} million {units}²",
        f"Share of each country's area within range (most people within range first): {shares}" + (", …" if len(cov.countries) > top else ""),
        f"Cities ≥{cov.min_population:,} within range: {len(cov.cities):,}"
        + (f"; largest: {cities}" if cities else ""),
        f"Population, {CITIES_LABEL.format(min=cov.min_population)}: {cov.population_cities:,}",
        f"Population, {AREA_LABEL}: {cov.population_area_est:,.0f}",
    ]


def country_reach_lines(r) -> list[str]:
    """Lines of text for a terminal about :class:`~geo.analysis.country_reach.CountryReach` `r`:
    verdict, nearest and farthest points, share.

    >>> from geo.analysis.country_reach import country_reach
    >>> print("\\n".join(country_reach_lines(country_reach("Semnan", "France", 4000))))
    France: part within range (1.4% of its area)
      nearest point 3,890 km away at 42.5246°N 9.5295°E, bearing 295.7°, on the part around Bastia, France
      farthest point 11,536 km away at 2.3269°N 54.6179°W, bearing 283.0°, on the part around Cayenne, French Guiana
    """
    verdict = {"all": "all of it within range", "none": "none of it within range",
               "part": f"part within range ({percent(r.share)} of its area)"}[r.verdict]
    return [f"{r.country}: {verdict}", *(_point_line(what, p, "km") for what, p in (("nearest", r.nearest),
                                                                                    ("farthest", r.farthest)))]


_UPKEEP = re.compile(r"project(?:'s)? reference|\bthis project\b|\bthe catalog(?:ue)?\b|\bTODO\b|\bto be checked\b|"
                     r"\bto verify\b|\bdata entry\b", re.IGNORECASE)


def reader_note(note: str) -> str:
    """A catalog note as readers should see it: clauses and asides about the catalog's upkeep removed.

    >>> reader_note("No source in the project reference; commonly quoted city-centre point near City Hall")
    'Commonly quoted city-centre point near City Hall'
    >>> reader_note("Rests on a single news report (the project reference grades it H)")
    'Rests on a single news report'
    >>> reader_note("Estimate; band 4,500-5,000 km")
    'Estimate; band 4,500-5,000 km'
    >>> reader_note("line one")                     # nothing removed: kept as written
    'line one'
    """
    note = str(note or "")
    if not _UPKEEP.search(note):
        return note                                   # nothing about upkeep: the note as written
    text = re.sub(r"\s*\(([^()]*)\)", lambda m: "" if _UPKEEP.search(m[1]) else m[0], note)
    clauses = [c for c in re.split(r"(?<=[;.])\s+", text) if c.strip() and not _UPKEEP.search(c)]
    text = " ".join(clauses).strip().rstrip(";").strip()
    return text[:1].upper() + text[1:]


def table_lines(table, units: str = "km") -> list[str]:
    """A table of answers (:meth:`Assessment.table <geo.analysis.assessment.Assessment.table>` or a batch
    table) as aligned lines for a terminal: rounded distances with thousands separators in `units`,
    verdict (a country's with its share), margin and flight time. Site and missile columns appear
    when they vary; a farthest-point column when a target is a whole country.

    >>> from geo.analysis.assessment import assess
    >>> from geo.analysis.scenario import Scenario
    >>> print("\\n".join(table_lines(assess(Scenario.resolve("Sinpo", "KN-23", ["Japan", "Seoul"])).table())))
    target  kind     distance (km)  farthest (km)  range (km)  margin (km)  verdict                           flight time
    Japan   country            604          1,973         690          +86  part in range (2.0% of its area)  7 min
    Seoul   place              293                        690         +397  in range                          5 min
    """
    import math

    from .formatting import reach_cell

    units = check_units(units)
    rows = table.to_dict("records")
    show = [c for c in ("site", "missile") if table[c].nunique() > 1] + ["target"]
    country = "farthest_km" in table and table["farthest_km"].notna().any()
    reach = "reach" if (table["model"] == "rotating").any() else "range"

    def num(v, signed=False):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        return f"{to_units(v, units):+,.0f}" if signed else f"{to_units(v, units):,.0f}"

    head = [*show, "kind", f"distance ({units})", *([f"farthest ({units})"] if country else []),
            f"{reach} ({units})", f"margin ({units})", "verdict", "flight time"]
    body = []
    for r in rows:
        near = bool(r.get("near_orbital"))
        ft = r.get("flight_time_min")
        share = r.get("share")
        share = None if share is None or (isinstance(share, float) and math.isnan(share)) else share
        body.append([*(str(r[c]) for c in show), str(r.get("target_kind") or "point"), num(r["distance_km"]),
                     *([num(r.get("farthest_km"))] if country else []),
                     reach_cell(r["range_km"], near, units, short=True, unit=False) if not
                     (isinstance(r["range_km"], float) and math.isnan(r["range_km"])) or near else "",
                     "" if near else num(r["margin_km"], signed=True), verdict_text(r["verdict"], share),
                     "—" if ft is None or (isinstance(ft, float) and math.isnan(ft)) else f"{ft:.0f} min"])
    numeric = {i for i, h in enumerate(head) if "(" in h}
    widths = [max(len(x) for x in col) for col in zip(head, *body)]

    def line(cells):
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(head), *(line(b) for b in body)]
