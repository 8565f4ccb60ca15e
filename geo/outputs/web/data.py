"""The map data: one JSON blob with everything a range layer draws (:class:`geo.RangeLayer`).

:func:`map_data` reads an :class:`~geo.analysis.assessment.Assessment` and formats it for
the page: regions as lon/lat from :meth:`Assessment.regions
<geo.analysis.assessment.Assessment.regions>` (``display=True``; swapped to Leaflet's
lat/lon here, never ``L.circle``, a Mercator ellipse hundreds of km wrong), markers, paths,
labels, legend, every number already formatted in the reader's units
(:mod:`geo.outputs.formatting`). It computes nothing an output may not: the verdicts,
distances, regions and paths are the assessment's. Text is plain; the page never reads it
as HTML. A new kind of thing drawn is one more key here and one more loop in
``js/rangemap.js``.

>>> from geo.analysis.assessment import as_assessment
>>> d = map_data(as_assessment("Chagang", "Hwasong-12", "Guam"))
>>> [r["kind"] for r in d["regions"]], [t["label"] for t in d["targets"]]
(['band', 'nominal'], ['Guam (Andersen AFB) · 3,540 km'])
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ...analysis.assessment import Assessment
from ...analysis.scenario import MODEL_DESCRIPTIONS
from ...catalog.tables import Place
from ...errors import InputError
from .basemap import BORDER_COLOR, GRATICULE_COLOR, LAND_COLOR, OFFLINE_BACKGROUND
from ..formatting import length, reach_cell, signed_length
from ..style import PALETTE, VERDICT_COLORS
from ..text import ROTATING_REGIONS_TEXT, near_orbital_line, near_orbital_notes, reader_note, track_text

__all__ = ["map_data", "short_name", "check_shaded", "whole_countries", "simplify_path", "SHADE_COLOR", "BAND_OPACITY",
           "CERTAIN_OPACITY", "PATH_DECIMALS", "PATH_TOLERANCE_M", "TILE_NAMES"]

#: Colour of the hatching of shaded (covered) areas.
SHADE_COLOR = "#B2182B"
BAND_OPACITY, CERTAIN_OPACITY = 0.15, 0.35
#: Path vertices are rounded to this many decimals of a degree (1e-5° is at most 1.1 m).
PATH_DECIMALS = 5
#: Paths keep a vertex wherever leaving it out would move the drawn line by more than this
#: (Web Mercator metres, so at most this on the ground), like the rings' 1 km.
PATH_TOLERANCE_M = 1000.0
#: How the legend's caption names a tile layer drawn over the land.
TILE_NAMES = {"osm": "OpenStreetMap"}
_MERCATOR_R = 6378137.0
_LABEL_ANCHORS = 72


def whole_countries(a: Assessment) -> list:
    """The part within range of each target that is a whole country (the assessment's
    :meth:`~geo.analysis.assessment.Assessment.country`), to shade."""
    out = []
    for ti, t in enumerate(a.targets):
        for si, site in enumerate(a.sites):
            for mi, m in enumerate(a.missiles):
                whole = a.country(si, mi, ti)
                if whole is not None and not whole.covered.is_empty:
                    out.append((f"{whole.country}: {100 * whole.share:.1f}% of its area within range of the "
                                f"{m.name} from {site.name}", whole.covered))
    return out


def map_data(a: Assessment, *, title: str | None = None, shaded=(), tiles: str | None = None,
             units: str = "km", first_color: int = 0) -> dict:
    """The JSON blob of a web map of assessment `a` (what :func:`build_map` puts in the page).

    Keys: ``title``, ``ref`` (longitude the map is unwrapped around), ``fit`` and ``limits``
    (``[[south, west], [north, east]]``), ``style``, ``layers`` (id, name,
    kind, colour), ``regions``, ``shaded``, ``paths``, ``sites``, ``targets``, ``legend``.
    Text is plain (the page never reads it as HTML); a tooltip or popup is ``{"title",
    "lines", "rows"}``, a line a list of segments (a string, or ``{"b": text}`` shown bold).
    Coordinates are Leaflet's ``[lat, lon]``. `shaded` are (label, polygon) pairs to hatch
    (checked by :func:`check_shaded`), with the in-range part of every whole-country target
    (:func:`whole_countries`); `tiles` names a tile layer drawn over the land, for the caption.
    Missile `mi` is drawn in ``PALETTE[(first_color + mi) % len(PALETTE)]``.
    """
    shaded = check_shaded(shaded) + whole_countries(a)
    ref = float(a.sites[0].lon)
    layers, regions, bounds = [], [], []
    used: set[str] = set()
    for mi, missile in enumerate(a.missiles):
        name = missile.name if missile.name not in used else f"{missile.name} ({mi + 1})"
        used.add(name)
        color = PALETTE[(first_color + mi) % len(PALETTE)]
        layers.append({"id": f"m{mi}", "name": name, "kind": "rings", "color": color})
        for si, site in enumerate(a.sites):
            shift = _near(site.lon, ref) - site.lon
            regions += _regions(a, si, mi, color, shift, units)
    for r in regions:
        lats = [p[0] for part in r["parts"] for p in part[0]]
        lons = [p[1] for part in r["parts"] for p in part[0]]
        bounds += [(min(lats), min(lons)), (max(lats), max(lons))]
    shades = _shaded(shaded, ref)
    if shades:
        layers.append({"id": "shaded", "name": "Shaded areas", "kind": "shaded", "color": SHADE_COLOR})
    sites = [_site(a, si, ref, units) for si in range(len(a.sites))]
    targets = [_target(a, ti, ref, units) for ti in range(len(a.targets))]
    paths = [_path(a, si, ti, ref, units) for si in range(len(a.sites)) for ti in range(len(a.targets))]
    if paths:
        layers.append({"id": "paths", "name": "Geodesic paths", "kind": "paths", "color": "#333333"})
    layers.append({"id": "sites", "name": "Launch sites", "kind": "sites", "color": "#111111"})
    if targets:
        layers.append({"id": "targets", "name": "Targets", "kind": "targets", "color": "#222222"})
    bounds += [(p["lat"], p["lon"]) for p in sites + targets]
    lats, lons = np.asarray(bounds, dtype=float).reshape(-1, 2).T
    from ...catalog.countries import COUNTRIES_SOURCE
    from ...core.rings import MERCATOR_LAT_LIMIT

    return {
        "title": title if title is not None else a.scenario.title,
        "ref": ref,
        "units": units,
        "fit": [[float(lats.min()), float(lons.min())], [float(lats.max()), float(lons.max())]],
        "limits": [[-MERCATOR_LAT_LIMIT, ref - 540.0], [MERCATOR_LAT_LIMIT, ref + 540.0]],
        "style": {"sea": OFFLINE_BACKGROUND, "land": LAND_COLOR, "border": BORDER_COLOR,
                  "graticule": GRATICULE_COLOR, "shade": SHADE_COLOR},
        "layers": layers,
        "regions": regions,
        "shaded": shades,
        "paths": paths,
        "sites": sites,
        "targets": targets,
        "legend": _legend(a, units, bool(shades), COUNTRIES_SOURCE, tiles, first_color),
    }


def _near(lon: float, ref: float) -> float:
    """`lon` shifted by a multiple of 360° to within ±180° of `ref`."""
    return lon + 360.0 * round((ref - lon) / 360.0)


def _content(title: str = "", lines=(), rows=()) -> dict:
    """A tooltip or popup: title, lines of segments, and a table of (label, text) rows (empty rows dropped)."""
    out: dict = {"title": str(title)}
    if lines:
        out["lines"] = [list(line) for line in lines]
    rows = [[str(k), str(v)] for k, v in rows if v not in ("", None)]
    if rows:
        out["rows"] = rows
    return out


def _place_rows(kind: str, p: Place) -> list:
    return [(kind, p.name), ("Lat, lon", f"{p.lat:.6f}, {p.lon:.6f}"), ("Country", p.country),
            ("Source", p.source), ("Confidence", p.confidence), ("Notes", reader_note(p.notes))]


def short_name(p: Place) -> str:
    """A label for a place: its name, or its first alias when the name is long."""
    return p.aliases[0] if len(p.name) > 24 and p.aliases else p.name


def _verdict_line(a: Assessment, si: int, mi: int, ti: int, units: str) -> list:
    """One verdict as segments, read from the assessment."""
    c = a.check(si, mi, ti)
    reach = "reach toward it" if c.model == "rotating" else "range"
    where = " on a rotating Earth" if c.model == "rotating" else ""
    if c.inside_minimum_km is not None:
        detail = f"{length(c.inside_minimum_km, units)} inside the minimum range {length(c.min_range_km, units)}"
    else:
        detail = f"margin {signed_length(c.margin_km, units)}"
    if c.near_orbital:
        return [f"{c.missile.name} from {c.site.name}: ", {"b": c.verdict},
                f"{where} (distance {length(c.distance_km, units)}, {reach}: {reach_cell(c, units=units)})"]
    return [f"{c.missile.name} from {c.site.name}: ", {"b": c.verdict},
            f"{where} (distance {length(c.distance_km, units)}, {reach} {reach_cell(c, units=units)}, {detail})"]


def _latlng_rings(geometry, shift: float) -> list:
    """A lon/lat (Multi)Polygon as Leaflet's polygons of rings of ``[lat, lon]``, holes kept."""
    import shapely

    return [[[[lat, lon + shift] for lon, lat in ring.coords] for ring in (p.exterior, *p.interiors)]
            for p in shapely.get_parts(geometry) if not p.is_empty]


def _cut_edges(ring: list, box: tuple[float, float, float, float]) -> list[int]:
    """Indices of the edges of `ring` (``[lat, lon]`` points) that run along the frame `box`
    (west, south, east, north): where the region is merely cut, never to be stroked."""
    pts = np.asarray(ring, dtype=float)
    if len(pts) < 2:
        return []
    a, b = pts[:-1], pts[1:]
    west, south, east, north = box
    cut = np.zeros(len(a), dtype=bool)
    for col, value in ((1, west), (1, east), (0, south), (0, north)):
        cut |= (np.abs(a[:, col] - value) < 1e-9) & (np.abs(b[:, col] - value) < 1e-9)
    return np.flatnonzero(cut).tolist()


def _anchors(parts: list, cuts: list, n: int = _LABEL_ANCHORS) -> list:
    """Up to `n` points of the outline (exterior rings, not on cuts) where a ring's label may sit."""
    pts = []
    for polygon, polygon_cuts in zip(parts, cuts):
        ring, cut = polygon[0], set(polygon_cuts[0])
        pts += [ring[i] for i in range(len(ring) - 1) if i not in cut and (i - 1) not in cut]
    if not pts:
        return []
    step = max(1, math.ceil(len(pts) / n))
    return [[round(lat, 5), round(lon, 5)] for lat, lon in pts[::step]]


def _regions(a: Assessment, si: int, mi: int, color: str, shift: float, units: str) -> list[dict]:
    """The assessment's regions of site `si` × missile `mi`, widest first: band (light fill),
    nominal outline, certain range (solid fill); a minimum range is a hole."""
    from ...core.rings import MERCATOR_LAT_LIMIT

    site, missile = a.sites[si], a.missiles[mi]
    km = functools.partial(length, units=units)
    band = f"{km(missile.certain_km)} to {km(missile.max_km)}" if missile.max_km > missile.certain_km else ""
    rows = [("Missile", missile.name), ("Launch site", site.name), ("Range", km(missile.range_km)),
            ("Band", band), ("Minimum range", missile.min_range_km and km(missile.min_range_km)),
            ("Type", missile.type), ("Source", missile.source), ("Confidence", missile.confidence),
            ("Notes", reader_note(missile.notes)), ("Model", MODEL_DESCRIPTIONS[a.model])]
    rotating = " on a rotating Earth, at" if a.model == "rotating" else ""
    minimum = f"; none within the minimum range {km(missile.min_range_km)}" if missile.min_range_km else ""
    box = (site.lon - 180.0 + shift, -MERCATOR_LAT_LIMIT, site.lon + 180.0 + shift, MERCATOR_LAT_LIMIT)
    out = []
    for r in a.regions(si, mi, display=True):
        says = [text for text, yes in (
            (f"nominal range{rotating} {km(r.radius_km)}", r.radius_km == missile.range_km),
            (f"in range up to{rotating} {km(r.radius_km)}", r.radius_km == missile.certain_km),
            (f"possibly in range {band} (sources disagree)" + (" on a rotating Earth" if rotating else ""),
             r.radius_km > missile.certain_km)) if yes]
        fill = None
        if r.radius_km in (missile.certain_km, missile.max_km):        # nominal inside the band: outline only
            fill = {"color": color,
                    "opacity": CERTAIN_OPACITY if r.radius_km == missile.certain_km else BAND_OPACITY}
        parts = _latlng_rings(r.geometry, shift)
        cuts = [[_cut_edges(ring, box) for ring in polygon] for polygon in parts]
        nominal = r.radius_km == missile.range_km
        from ...analysis.unbounded import near_orbital_sectors

        unbounded = near_orbital_line(near_orbital_sectors(a.model, site.lat, site.lon, r.radius_km), units)
        tip = _content(f"{missile.name} from {site.name}", [["; ".join(says) + minimum]]
                       + ([[unbounded]] if unbounded else []))
        out.append({
            "layer": f"m{mi}", "site": si, "missile": mi, "kind": r.kind, "km": float(r.radius_km),
            "parts": parts, "cuts": cuts, "fill": fill,
            "line": {"color": color, "weight": 2 if nominal else 1, "dash": None if nominal else "6 4"},
            "tip": tip, "popup": dict(_content(tip["title"], tip["lines"], rows)),
            "label": f"{missile.name} · {km(missile.range_km)}" if nominal else None,
            "anchors": _anchors(parts, cuts) if nominal else [],
        })
    return out


def _site(a: Assessment, si: int, ref: float, units: str) -> dict:
    s = a.sites[si]
    return {"lat": float(s.lat), "lon": _near(float(s.lon), ref), "label": short_name(s),
            "tip": _content(s.name, [["launch site"]]), "popup": _content("", (), _place_rows("Launch site", s))}


def _target(a: Assessment, ti: int, ref: float, units: str) -> dict:
    """A target marker, coloured by its best verdict over every site × missile; labelled with its
    name and its distance from the nearest site."""
    t = a.targets[ti]
    best = a.best_verdict(ti)
    lines = [_verdict_line(a, si, mi, ti, units) for si in range(len(a.sites)) for mi in range(len(a.missiles))]
    nearest = float(np.min(a.distance_km[:, ti]))
    rank = int(a.verdict_code[:, :, ti].min()) if a.verdict_code[:, :, ti].size else 4
    return {"lat": float(t.lat), "lon": _near(float(t.lon), ref), "verdict": best,
            "color": "#888888" if best is None else VERDICT_COLORS[best], "rank": rank,
            "label": f"{short_name(t)} · {length(nearest, units)}",
            "title": t.name + (f": {best}" if best is not None else ""), "lines": lines,
            "rows": _content("", (), _place_rows("Target", t)).get("rows", [])}


def _path(a: Assessment, si: int, ti: int, ref: float, units: str) -> dict:
    """The geodesic from site `si` to target `ti` (:meth:`Assessment.path
    <geo.analysis.assessment.Assessment.path>`), starting at the site's (unwrapped) longitude:
    vertices every 10 km, simplified to :data:`PATH_TOLERANCE_M` on Web Mercator, rounded to
    :data:`PATH_DECIMALS`."""
    s, t = a.sites[si], a.targets[ti]
    line = np.asarray(a.path(si, ti, unwrap=True).coords)
    line[:, 0] += 360.0 * round((_near(s.lon, ref) - line[0, 0]) / 360.0)
    line = simplify_path(line)
    head = f"{s.name} → {t.name}: {length(float(a.distance_km[si, ti]), units)} (geodesic)"
    return {"site": si, "target": ti, "latlngs": np.round(line[:, ::-1], PATH_DECIMALS).tolist(),
            "title": head, "over": f"over: {track_text(a.overflight(si, ti), units)}"}


def simplify_path(lonlat: np.ndarray, tolerance_m: float = PATH_TOLERANCE_M) -> np.ndarray:
    """Vertices of a lon/lat polyline that Leaflet draws (straight on Web Mercator) within
    `tolerance_m` Mercator metres of the whole line: Douglas-Peucker on Web Mercator.

    >>> line = np.column_stack([np.linspace(0, 10, 101), np.zeros(101)])
    >>> simplify_path(line).tolist()
    [[0.0, 0.0], [10.0, 0.0]]
    """
    import shapely

    lonlat = np.asarray(lonlat, dtype=float)
    if len(lonlat) < 3:
        return lonlat
    lat = np.clip(lonlat[:, 1], -89.9, 89.9)
    xy = np.column_stack([np.radians(lonlat[:, 0]), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))]) * _MERCATOR_R
    kept = shapely.get_coordinates(shapely.simplify(shapely.LineString(xy), tolerance_m, preserve_topology=False))
    keep = set(map(tuple, kept.tolist()))
    index = [i for i, p in enumerate(map(tuple, xy.tolist())) if p in keep]
    return lonlat[np.unique(np.r_[0, index, len(lonlat) - 1])]


def check_shaded(shaded) -> list[tuple[str, object]]:
    """(label, polygonal geometry) pairs, checked; empty geometries dropped."""
    import shapely

    out = []
    for item in shaded:
        try:
            label, geom = item
        except (TypeError, ValueError):
            raise InputError(f"shaded areas are (label, geometry) pairs, not {type(item).__name__}") from None
        if not isinstance(geom, shapely.Geometry):
            raise InputError(f"shaded area {str(label)!r}: {type(geom).__name__} is not a shapely geometry")
        if not geom.is_empty:
            if shapely.get_dimensions(geom) != 2:
                raise InputError(f"shaded area {str(label)!r}: a {geom.geom_type} has no area to shade")
            out.append((str(label), geom))
    return out


def _shaded(shaded, ref: float) -> list[dict]:
    """Hatched areas in the frame around `ref` (pieces cut at the antimeridian joined), simplified
    by 0.01° and kept to about 10 m."""
    if not shaded:
        return []
    import shapely

    from .basemap import frame_geometries

    out = []
    geoms = shapely.simplify(frame_geometries([g for _, g in shaded], ref), 0.01, preserve_topology=True)
    for (label, _), geom in zip(shaded, geoms):
        parts = [p for p in shapely.get_parts(shapely.set_precision(geom, 1e-4))
                 if isinstance(p, shapely.Polygon) and not p.is_empty]
        if parts:
            shape = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
            out.append({"label": label, "parts": _latlng_rings(shape, 0.0), "tip": _content(label)})
    return out


def _legend(a: Assessment, units: str, shaded: bool, land_source: str, tiles: str | None, first_color: int) -> dict:
    km = functools.partial(length, units=units)
    missiles = []
    for mi, m in enumerate(a.missiles):
        band = f"; in range to {km(m.certain_km)}, possibly to {km(m.max_km)}" if m.max_km > m.certain_km else ""
        minimum = f"; minimum range {km(m.min_range_km)}" if m.min_range_km else ""
        missiles.append({"layer": f"m{mi}", "name": m.name, "color": PALETTE[(first_color + mi) % len(PALETTE)],
                         "text": f"{km(m.range_km)}{band}{minimum}", "source": m.source})
    notes = []
    if a.model == "rotating":
        notes.append("filled: reach on a rotating Earth (longer eastward, shorter westward), as the verdicts use it; "
                     f"drawn: {ROTATING_REGIONS_TEXT}")
        notes += near_orbital_notes(a, units)
    if shaded:
        notes.append("hatched: shaded areas (hover for names)")
    sources = dict.fromkeys(p.strip() for m in a.missiles for p in m.source.split(";") if p.strip())
    ranges = "; ".join(sources) or "none given"
    caption = (f"WGS84 geodesic range rings (Karney); ranges: {ranges}" if a.model == "geodesic" else
               f"Reach on a rotating Earth ({MODEL_DESCRIPTIONS['rotating']}); ranges: {ranges}")
    caption += f"; distances in {_UNIT_WORDS[units]}; country outlines: {land_source}"
    if tiles:
        caption += f"; map tiles: {tiles} (when a network is there)"
    return {"missiles": missiles, "notes": notes, "verdicts": [[v, c] for v, c in VERDICT_COLORS.items()],
            "caption": caption}


_UNIT_WORDS = {"km": "kilometres", "mi": "statute miles", "nmi": "nautical miles"}
