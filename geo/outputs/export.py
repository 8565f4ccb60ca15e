"""Export a scenario as GIS data: GeoJSON, KML or GeoPackage, for QGIS, ArcGIS or Google Earth.

A scenario (launch sites × missiles × targets) becomes four layers, all in lon/lat
(EPSG:4326) with the *analysis* geometry: rings from :func:`~geo.rings.range_ring`
and paths from :meth:`Assessment.path <geo.analysis.assessment.Assessment.path>` exactly as they are, cut at ±180°,
pole caps closed along the antimeridian and the pole.

``rings``
    One polygon per site × missile × ring kind: ``nominal`` (radius = nominal range),
    ``certain`` (the range every source agrees on, when below nominal) and ``band``
    (the top of the band, when above nominal). Each is the full disc of `radius_km`.
``sites``, ``targets``
    One point per place, with its catalog attributes.
``paths``
    One geodesic line per site × missile × target with the in-range answer, so an
    analyst filters on ``verdict`` or ``margin_km``.

Every ring and path says which ``model`` produced it. Under the rotating model the reach
toward some targets is not bounded by the model (near orbital): such a path has
``near_orbital`` true and no ``range_km`` or ``margin_km`` (null, empty in KML); a ring drawn
out to 19,500 km in some directions for that reason has ``near_orbital`` true and names
those directions in ``near_orbital_bearings``.

GeoJSON is one RFC 7946 FeatureCollection (a ``layer`` property tells the layers
apart; coordinates rounded to 7 decimals, about 1 cm); KML is one document with a
folder per layer, written by fastkml; GeoPackage holds the four layers. Files are
written to a temporary folder beside `path` and renamed into place, so a failed
export leaves no file behind.

KML descriptions are HTML by the KML standard, so the text in them is HTML-escaped
(then XML-escaped by the serializer); names and ``ExtendedData`` carry the raw text.
Pole caps are written as they are, tessellated and clamped to the ground: their
closing edges run along ±180° and along the pole itself, so they add no area.

>>> import pathlib, tempfile
>>> out = export(["Chagang"], ["Hwasong-12"], ["Guam"], pathlib.Path(tempfile.mkdtemp()) / "s.geojson")
>>> import json; [f["properties"]["layer"] for f in json.loads(out.read_text())["features"]]
['rings', 'rings', 'sites', 'targets', 'paths']
"""

from __future__ import annotations

import html
import itertools
import json
from pathlib import Path

import numpy as np
import shapely

from ..analysis.assessment import as_assessment
from ..errors import InputError
from .escape import check_record
from .files import atomic_path, check_writable, is_stdout
from .formatting import REACH_COLUMNS, reach_cell
from .style import PALETTE, VERDICT_COLORS

__all__ = ["scenario_layers", "export", "merged_layers", "write_layers", "FORMATS", "LAYERS", "COLUMNS", "PRECISION"]

#: Export formats and the file extensions that select them.
FORMATS = {"geojson": (".geojson", ".json"), "kml": (".kml",), "gpkg": (".gpkg",)}
#: Layer names, in the order they are written.
LAYERS = ("rings", "sites", "targets", "paths", "countries")
_PLACE = ["name", "lat", "lon", "country", "source", "confidence"]
#: Attribute columns of each layer (besides ``geometry``).
COLUMNS = {
    "rings": ["site", "missile", "missile_type", "kind", "radius_km", "range_km", "band_low_km",
              "band_high_km", "min_range_km", "model", "near_orbital", "near_orbital_bearings", "source",
              "confidence"],
    "sites": _PLACE,
    "targets": _PLACE,
    "paths": ["site", "missile", "target", "target_kind", "distance_km", "range_km", "margin_km", "bearing_deg",
              "verdict", "share", "farthest_km", "model", "near_orbital", "flight_time_min"],
    # a whole country as an area: per site × missile its outline ("whole") and the part within reach
    "countries": ["site", "missile", "target", "iso_a3", "part", "verdict", "share", "nearest_km", "farthest_km",
                  "area_km2", "covered_km2", "model"],
}
#: Decimals kept in GeoJSON and KML coordinates (1e-7 degrees is about 1 cm).
PRECISION = 7

_ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"   # built into Google Earth
_GPKG_TYPES = {"rings": "MultiPolygon", "sites": "Point", "targets": "Point", "paths": "MultiLineString",
               "countries": "MultiPolygon"}


def scenario_layers(sites, missiles=(), targets=(), *, model: str = "geodesic") -> dict:
    """The four layers of an assessment as GeoDataFrames in EPSG:4326.

    Parameters
    ----------
    sites : Assessment, or sequence of Place, str or (lat, lon)
        An :class:`~geo.analysis.assessment.Assessment`, or the scenario's sites (catalog names,
        ``"LAT,LON"`` strings, pairs or :class:`~geo.catalog.Place`).
    missiles : sequence of Missile, str or float
        Catalog names, :class:`~geo.catalog.Missile` or ranges in km (when `sites` is not an Assessment).
    targets : sequence
        As `sites`.
    model : {"geodesic", "rotating"}
        Reach model (when `sites` is not an Assessment): under ``"rotating"`` the rings are
        the rotating-Earth footprints.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        Keys :data:`LAYERS`; columns :data:`COLUMNS` plus ``geometry``. In ``rings``,
        ``band_low_km`` is the missile's ``certain_km`` (in range up to there) and
        ``band_high_km`` its ``max_km`` (possibly in range up to there); a minimum range is a
        hole in every ring of that missile (``min_range_km``).

    Examples
    --------
    >>> layers = scenario_layers(["Chagang"], ["Hwasong-15"], ["Guam", "Washington"])
    >>> layers["rings"][["kind", "radius_km"]].values.tolist()
    [['nominal', 13000.0], ['certain', 12874.0]]
    >>> layers["paths"]["verdict"].tolist()
    ['in range', 'in range']
    """
    import geopandas as gpd

    from ..analysis.unbounded import near_orbital_sectors
    from .formatting import reach_value, sectors_text

    a = as_assessment(sites, missiles, targets, model=model, what="an export")
    for kind, items in (("site", a.sites), ("missile", a.missiles), ("target", a.targets)):
        for item in items:
            check_record(item, kind, controls=True)       # lone surrogates: no table can hold them
    rows: dict[str, list] = {name: [] for name in LAYERS}
    for (si, s), (mi, m) in itertools.product(enumerate(a.sites), enumerate(a.missiles)):
        for r in a.regions(si, mi):
            sectors = near_orbital_sectors(a.model, s.lat, s.lon, r.radius_km)
            rows["rings"].append(dict(
                site=s.name, missile=m.name, missile_type=m.type, kind=r.kind, radius_km=r.radius_km,
                range_km=m.range_km, band_low_km=m.certain_km, band_high_km=m.max_km,
                min_range_km=m.min_range_km, model=a.model, near_orbital=bool(sectors),
                near_orbital_bearings=sectors_text(sectors) or None, source=m.source, confidence=m.confidence,
                geometry=r.geometry))
    for layer, places in (("sites", a.sites), ("targets", a.targets)):
        rows[layer] = [dict({c: getattr(p, c) for c in _PLACE}, geometry=shapely.Point(p.lon, p.lat))
                       for p in places]
    columns = a.columns()
    for k, (si, mi, ti) in enumerate(itertools.product(*map(range, a.shape))):
        if a.extremes(si, mi, ti) is not None:           # a whole country: its outline and in-range part
            rows["countries"] += _country_rows(a, si, mi, ti)
        row = {c: _plain(columns[c][k]) for c in COLUMNS["paths"]}
        for c in ("range_km", "margin_km"):          # no figure where the model does not bound the range
            row[c] = reach_value(row[c], row["near_orbital"])
        rows["paths"].append(dict(row, geometry=a.path(si, ti)))        # the assessment's path, cut at ±180°
    return {name: gpd.GeoDataFrame(rows[name], columns=[*COLUMNS[name], "geometry"],
                                   geometry="geometry", crs="EPSG:4326") for name in LAYERS}


def _country_rows(a, si: int, mi: int, ti: int) -> list[dict]:
    """A country target of cell (si, mi, ti) as two area features: its outline and the part within reach."""
    c, whole = a.check(si, mi, ti), a.country(si, mi, ti)
    base = dict(site=c.site.name, missile=c.missile.name, target=c.target.name, iso_a3=whole.iso_a3,
                verdict=c.verdict, share=c.share, nearest_km=c.distance_km, farthest_km=c.farthest_km,
                area_km2=whole.area_km2, covered_km2=whole.covered_km2, model=a.model)
    rows = [dict(base, part="whole", geometry=a.outline(ti))]
    if not whole.covered.is_empty:
        rows.append(dict(base, part="in range", geometry=whole.covered))
    return rows


def _plain(value):
    """A numpy scalar as a Python one; NaN as None."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and value != value else value


def export(sites, missiles=(), targets=(), path=None, fmt: str | None = None, *, model: str = "geodesic") -> Path:
    """Write a scenario's layers to `path` as GeoJSON, KML or GeoPackage.

    Parameters
    ----------
    sites, missiles, targets, model
        As for :func:`scenario_layers` (an Assessment, or the scenario).
    path : str or Path
        Output file; replaced atomically if it exists.
    fmt : {"geojson", "kml", "gpkg"}, optional
        The format; by default taken from the extension of `path` (see :data:`FORMATS`).

    Returns
    -------
    Path

    Raises
    ------
    geo.errors.InputError
        Without sites or missiles, for an unknown format or extension, or a path that cannot be written.
    """
    if path is None:
        raise InputError("give the output file: export(..., path='rings.geojson')")
    path, fmt = _checked(path, fmt)
    return write_layers(scenario_layers(sites, missiles, targets, model=model), path, fmt)


def merged_layers(assessments) -> dict:
    """The layers of several assessments in one: rings and paths of each, every site and target once.

    Used to draw a chosen set of site × missile pairs (e.g. those of :func:`geo.analysis.threats.threats`
    that reach a place), each pair one assessment.

    >>> from geo.analysis.assessment import as_assessment
    >>> layers = merged_layers([as_assessment("Chagang", "HS-12", "Guam"), as_assessment("Sohae", "HS-15", "Guam")])
    >>> len(layers["rings"]), len(layers["sites"]), len(layers["targets"]), len(layers["paths"])
    (4, 2, 1, 2)
    >>> len(merged_layers([])["rings"])
    0
    """
    import geopandas as gpd
    import pandas as pd

    parts = [scenario_layers(a) for a in assessments]
    if not parts:                                   # nothing reaches: every layer empty, columns kept
        return {name: gpd.GeoDataFrame(columns=[*COLUMNS[name], "geometry"], geometry="geometry", crs="EPSG:4326")
                for name in LAYERS}
    merged = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in LAYERS}
    for name in ("sites", "targets"):
        merged[name] = merged[name].drop_duplicates(["name", "lat", "lon"], ignore_index=True)
    return merged


def write_layers(layers: dict, path, fmt: str | None = None) -> Path:
    """Write layers (as :func:`scenario_layers` or :func:`merged_layers` give them) to `path`
    as GeoJSON, KML or GeoPackage, atomically (see :func:`export`)."""
    path, fmt = _checked(path, fmt)
    # Control characters: JSON escapes them, XML cannot hold them, GeoPackage cuts text at a NUL.
    controls = fmt == "geojson"
    for name in ("sites", "targets"):
        for record in layers[name][_PLACE].itertuples(index=False):
            check_record(record, name[:-1], controls=controls)
    for record in layers["rings"].drop_duplicates("missile").itertuples(index=False):
        check_record(type("Missile", (), {"name": record.missile, "type": record.missile_type,
                                          "source": record.source})(), "missile", controls=controls)
    with atomic_path(path) as tmp:
        _WRITERS[fmt](layers, tmp)
    return path


def _checked(path, fmt) -> tuple[Path, str]:
    """The output path and format, checked before any work."""
    fmt = _format(path, fmt)
    path = check_writable(path)
    if is_stdout(path) and fmt == "gpkg":
        raise InputError("a GeoPackage is a database file and cannot go to standard output: give -o FILE.gpkg")
    return path, fmt


def _format(path, fmt) -> str:
    names = ", ".join(FORMATS)
    if fmt is not None:
        if str(fmt).lower() not in FORMATS:
            raise InputError(f"unknown export format {fmt!r}: choose one of {names}")
        return str(fmt).lower()
    suffix = Path(path).suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    ends = ", ".join(s for suffixes in FORMATS.values() for s in suffixes)
    raise InputError(f"cannot tell the export format of {path}: end the name with {ends}, or give the format ({names})")


def _rounded(geoms):
    return shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, PRECISION))


def _write_geojson(layers, tmp: Path) -> None:
    features = [dict(f, properties={"layer": name, **f["properties"]}) for name, gdf in layers.items()
                for f in gdf.set_geometry(_rounded(gdf.geometry), crs=gdf.crs).iterfeatures(na="null", drop_id=True)]
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    tmp.write_text(text + "\n", encoding="utf-8")


def _write_gpkg(layers, tmp: Path) -> None:
    for name, gdf in layers.items():
        gdf.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio",
                    geometry_type=_GPKG_TYPES[name], promote_to_multi=name in ("rings", "paths", "countries"))


def _kml_color(hex_rgb: str, alpha: int = 255) -> str:
    """``#RRGGBB`` to KML's ``aabbggrr``."""
    return f"{alpha:02x}{hex_rgb[5:7]}{hex_rgb[3:5]}{hex_rgb[1:3]}".lower()


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _text(column: str, value, row=None) -> str:
    """An attribute as people read it: km and degrees to 0.1, coordinates as they are; the
    near-orbital words for a reach or margin the model does not bound; "—" for no value."""
    if row is not None and row.get("near_orbital") and column in REACH_COLUMNS:
        return reach_cell(value, True)
    if _missing(value):
        return "—"
    if isinstance(value, float) and column.endswith(("_km", "_deg")):
        return f"{value:,.1f}"
    return str(value)


def _data(value) -> str:
    """An attribute as KML ``ExtendedData`` holds it: empty for no value, booleans as true/false."""
    if _missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return str(value)


def _write_kml(layers, tmp: Path) -> None:
    import fastkml as k
    from fastkml.enums import AltitudeMode

    balloon = k.BalloonStyle(text="$[description]")      # no raw $[name] in the balloon
    missiles = dict.fromkeys([*layers["rings"]["missile"], *layers["paths"]["missile"]])
    color = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(missiles)}
    styles, folders = {}, []

    def style_id(sid: str, *parts) -> str:
        styles.setdefault(sid, k.Style(id=sid, styles=[*parts, balloon]))
        return "#" + sid

    for name, gdf in layers.items():
        placemarks = []
        for row, geom in zip(gdf[COLUMNS[name]].to_dict("records"), _rounded(gdf.geometry)):
            if name == "rings":
                i = list(missiles).index(row["missile"])
                fill = {"nominal": 0x40, "certain": 0, "band": 0x20}[row["kind"]]
                url = style_id(f"ring-{i}-{row['kind']}",
                               k.LineStyle(color=_kml_color(color[row["missile"]]),
                                           width={"nominal": 2, "certain": 3, "band": 1}[row["kind"]]),
                               k.PolyStyle(color=_kml_color(color[row["missile"]], fill), fill=bool(fill)))
                title = f"{row['missile']} {row['kind']} {row['radius_km']:,.0f} km from {row['site']}"
            elif name == "countries":
                tint = VERDICT_COLORS[row["verdict"]] if row["part"] == "in range" else "#555555"
                url = style_id(f"country-{row['part'].replace(' ', '-')}-{row['verdict'].replace(' ', '-')}",
                               k.LineStyle(color=_kml_color(tint), width=1),
                               k.PolyStyle(color=_kml_color(tint, 0x60 if row["part"] == "in range" else 0x18)))
                title = f"{row['target']} ({row['part']}): {row['missile']} from {row['site']}, {row['verdict']}"
            elif name == "paths":
                url = style_id("verdict-" + row["verdict"].replace(" ", "-"),
                               k.LineStyle(color=_kml_color(VERDICT_COLORS[row["verdict"]]), width=2))
                title = f"{row['site']} to {row['target']}: {row['missile']}, {row['verdict']}"
            else:
                url = style_id(name[:-1], k.IconStyle(color=_kml_color("#111111" if name == "sites" else "#555555"),
                                                      icon_href=_ICON))
                title = row["name"]
            description = "<br>".join([f"<b>{html.escape(title)}</b>"] + [
                f"{html.escape(c)}: {html.escape(_text(c, v, row if name == 'paths' else None))}"
                for c, v in row.items()])
            data = k.ExtendedData(elements=[k.Data(name=c, value=_data(v)) for c, v in row.items()])
            placemarks.append(k.Placemark(
                name=title, description=description, style_url=k.StyleUrl(url=url), extended_data=data,
                kml_geometry=k.create_kml_geometry(geom, tessellate=True,
                                                   altitude_mode=AltitudeMode.clamp_to_ground)))
        folders.append(k.Folder(name=name, features=placemarks))
    doc = k.Document(name="rangemap scenario", styles=list(styles.values()), features=folders,
                     description="Range rings, sites, targets and geodesic paths on WGS84, from rangemap")
    try:
        text = k.KML(features=[doc]).to_string(prettyprint=True)
    except ValueError as e:       # XML 1.0 cannot hold control characters
        raise InputError(f"cannot write KML: {e}; remove control characters from the catalog text") from None
    tmp.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + text, encoding="utf-8")


_WRITERS = {"geojson": _write_geojson, "kml": _write_kml, "gpkg": _write_gpkg}
