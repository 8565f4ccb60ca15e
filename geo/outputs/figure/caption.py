"""The figure's words: the subtitle, the caption (every source once, then the method), and line wrapping
measured from the font.

Examples
--------
>>> wrap("Distances from Hoejung-ri are true to scale.", 1.5, 8)
['Distances from Hoejung-ri', 'are true to scale.']
"""

from __future__ import annotations

from ...analysis.scenario import MODEL_DESCRIPTIONS
from ...analysis.unbounded import drawn_near_orbital
from ...catalog.countries import COUNTRIES_SOURCE
from ..formatting import number
from .metrics import text_width

__all__ = ["subtitle", "caption", "wrap"]


def subtitle(a, world: bool) -> str:
    """The line under the title: what the shading means, the model, and whether distances are true to scale."""
    missiles, site = a.missiles, a.sites[0].name
    banded = [m.name for m in missiles if m.max_km > m.certain_km]
    if banded:
        which = "" if len(banded) == len(missiles) else f" ({', '.join(banded)})"
        shading = f"Shaded: the reach every source agrees on; lighter: the band where sources disagree{which}. "
    else:
        shading = "Shaded: within range. "
    rings = "rings are the exact geodesic regions"
    if a.model == "rotating":
        from ..text import ROTATING_REGIONS_TEXT

        shading = "Reach on a rotating Earth (farther eastward, shorter westward). " + shading
        rings = f"rings are {ROTATING_REGIONS_TEXT}"
        if drawn_near_orbital(a):
            from ...analysis.regions import UNBOUNDED_KM

            rings += (f"; where the model does not bound the range (near orbital, see below) they are drawn out to "
                      f"{number(UNBOUNDED_KM)} km")
    if any(m.min_range_km for m in missiles):
        shading += "Unshaded hole: under the minimum range. "
    if world:
        return (f"{shading}Equal-area world map: areas are true, distances are not to scale; {rings}. "
                f"Target distances from {site}.")
    if a.model == "rotating":
        return f"{shading}{rings[:1].upper() + rings[1:]}. Distances from {site} are true to scale."
    return f"{shading}Distances from {site} are true to scale."


def _sources(kind: str, plural: str, rows) -> str:
    """'Targets: Guam — FAA airport data · Tokyo and Osaka — X · 58 given without a source.'

    Each source is named once, with the rows it covers (by name up to three, else counted);
    rows without a source are counted in one phrase.
    """
    if not rows:
        return ""
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r.source.strip(), []).append(r.name)
    parts = []
    for source, names in groups.items():
        if not source:
            continue
        parts.append(f"{_names(names, plural)} — {source}")
    missing = groups.get("", [])
    if missing:
        parts.append(f"{_names(missing, plural)} — source not given" if len(missing) <= 3 else
                     f"{len(missing):,} {plural} given without a source")
    return f"{kind if len(rows) == 1 else plural.capitalize()}: " + " · ".join(parts) + ". "


def _names(names: list[str], plural: str) -> str:
    if len(names) > 3:
        return f"{len(names):,} {plural}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def caption(a, units: str, world: bool, proj, left_out: int) -> str:
    """Every source once, then the method."""
    where = (f"{proj.name} projection centred on {abs(proj.lon0):g}°{'E' if proj.lon0 >= 0 else 'W'}" if world
             else f"azimuthal equidistant projection centred on {a.sites[0].name}")
    skipped = (f"{left_out:,} target label{'s' if left_out != 1 else ''} left out for lack of room. "
               if left_out else "")
    unit = {"mi": "Distances in statute miles (1 mi = 1.609344 km). ",
            "nmi": "Distances in nautical miles (1 nmi = 1.852 km). "}.get(units, "")
    from ..text import near_orbital_notes

    near = "".join(f" {n[:1].upper() + n[1:]}." for n in near_orbital_notes(a, units))
    return (_sources("Range", "ranges", a.missiles) + _sources("Launch site", "launch sites", a.sites)
            + _sources("Target", "targets", a.targets)
            + f"Country outlines: {COUNTRIES_SOURCE}. Ranges are public estimates. {unit}{skipped}Reach model: "
            f"{MODEL_DESCRIPTIONS[a.model]}; {where}.{near}")


def wrap(text: str, width_in: float, size: float, weight: str = "normal") -> list:
    """Break `text` into lines that fit `width_in` inches in DejaVu Sans at `size` points.

    Measured from the font outlines (text is drawn unhinted, so widths hold at any resolution).
    """
    lines: list[str] = []
    for word in text.split():
        line = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(line, size, weight) <= 71 * width_in:
            lines[-1] = line
        else:
            lines.append(word)
    return lines
