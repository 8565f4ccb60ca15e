"""What every rangemap web page draws under its data, with no network: Leaflet and the land.

* :func:`leaflet_inline`: Leaflet 1.9.3 from ``xstatic-leaflet`` as inline ``<style>`` and
  ``<script>``, its images as ``data:`` URLs.
* :func:`land_layer`: Natural Earth 1:50m country outlines, simplified for the web and
  encoded compactly (:func:`encode_land`). The layer does not depend on the map's centre:
  every polygon is whole (pieces cut at the antimeridian joined again) and the page draws
  it in as many world copies (shifted by multiples of 360°) as its view needs. It ships
  as ``geo/data/countries/land-50m.json``, written by ``scripts/build_countries.py``; it is
  rebuilt in memory (a few hundred ms) only if that file is missing or was made from
  other outlines.
* :func:`land_data`: the same layer framed around a longitude, for pages that draw it at
  -360°, 0 and +360° only (the live map).

Encoding of a country: a list of polygons, each a list of rings. A ring is a flat list of
integers: ``n``, then the indices of its ``n`` edges that are cuts rather than coasts or
borders (along the antimeridian or the South Pole: filled, never stroked), then its
vertices ``lat0, lon0, dlat1, dlon1, ...`` in hundredths of a degree, the first point and
then differences (the closing point left out).

>>> countries, bounds = json.loads(land_layer())["countries"], json.loads(land_layer())["bounds"]
>>> len(countries), len(bounds) == len(countries)
(241, True)
"""

from __future__ import annotations

import base64
import functools
import json
import pathlib
import re

import numpy as np

from ...errors import RangemapError

__all__ = ["OFFLINE_BACKGROUND", "LAND_COLOR", "BORDER_COLOR", "GRATICULE_COLOR", "LAND_SIMPLIFY_DEG",
           "LAND_FILE", "leaflet_inline", "leaflet_parts", "land_layer", "land_data", "land_json", "encode_land",
           "frame_geometries", "LandLayer"]

#: Map background (the sea); land and borders are drawn over it.
OFFLINE_BACKGROUND = "#DCE9F2"
LAND_COLOR, BORDER_COLOR = "#F4F1EA", "#A09A90"
GRATICULE_COLOR = "#8C9BAA"
#: Country outlines are simplified by this many degrees (topology kept) and sent in 1/100°.
LAND_SIMPLIFY_DEG = 0.02
#: The encoded land layer, inside the data folder.
LAND_FILE = "countries/land-50m.json"


@functools.lru_cache(maxsize=1)
def leaflet_parts() -> tuple[str, str, dict]:
    """Leaflet 1.9.3 from ``xstatic-leaflet``: its CSS (images as data: URLs), its JS (no source
    map comment) and ``{"iconUrl", "iconRetinaUrl", "shadowUrl"}``, the default marker's images
    as data: URLs (Leaflet would look for them beside its stylesheet).

    >>> css, js, icons = leaflet_parts()
    >>> "Leaflet 1.9.3" in js, sorted(icons), icons["iconUrl"].startswith("data:image/png;base64,")
    (True, ['iconRetinaUrl', 'iconUrl', 'shadowUrl'], True)
    """
    try:
        import xstatic.pkg.leaflet as xl
    except ImportError:
        raise RangemapError("web maps need the xstatic-leaflet package: pip install xstatic-leaflet") from None
    base = pathlib.Path(xl.BASE_DIR)

    def data_url(name: str) -> str:
        return "data:image/png;base64," + base64.b64encode((base / "images" / name).read_bytes()).decode("ascii")

    js = re.sub(r"//# sourceMappingURL=\S*", "", (base / "leaflet.js").read_text(encoding="utf-8"))
    css = re.sub(r"url\(images/([\w.-]+\.png)\)", lambda m: f"url({data_url(m[1])})",
                 (base / "leaflet.css").read_text(encoding="utf-8"))
    if re.search(r"</(script|style)|<!--", js + css, re.IGNORECASE):
        raise RuntimeError("xstatic-leaflet files cannot be inlined safely")
    icons = {"iconUrl": data_url("marker-icon.png"), "iconRetinaUrl": data_url("marker-icon-2x.png"),
             "shadowUrl": data_url("marker-shadow.png")}
    return css, js, icons


def leaflet_inline() -> str:
    """Leaflet's CSS and JS as inline ``<style>`` and ``<script>`` (see :func:`leaflet_parts`).

    >>> page = leaflet_inline()
    >>> page.startswith("<style>"), "Leaflet 1.9.3" in page, "sourceMappingURL" in page
    (True, True, False)
    """
    css, js, _ = leaflet_parts()
    return f"<style>{css}</style>\n<script>{js}</script>\n"


def frame_geometries(geoms, ref: float) -> np.ndarray:
    """RFC 7946 lon/lat polygons in a map's frame around longitude `ref`.

    Each part moves by a multiple of 360° so that its middle lies within ±180° of `ref`;
    the parts of each geometry are then joined, so pieces cut at the antimeridian become
    one shape again. Nothing is clipped: a part may overhang the frame a little.

    >>> import shapely
    >>> fiji = shapely.MultiPolygon([shapely.box(177, -19, 180, -16), shapely.box(-180, -19, -178, -16)])
    >>> frame_geometries([fiji], 180.0)[0].bounds
    (177.0, -19.0, 182.0, -16.0)
    """
    import shapely

    out = []
    for geom in np.asarray(geoms, dtype=object):
        parts = shapely.get_parts(geom)
        parts = parts[[isinstance(p, shapely.Polygon) and not p.is_empty for p in parts]]
        if not len(parts):
            out.append(shapely.MultiPolygon())
            continue
        x0, _, x1, _ = shapely.bounds(parts).T
        shifts = 360.0 * np.round((ref - (x0 + x1) / 2.0) / 360.0)
        moved = [shapely.transform(p, lambda c, k=k: c + (k, 0.0)) if k else p for p, k in zip(parts, shifts)]
        joined = shapely.union_all(moved) if np.any(shifts != shifts[0]) or np.abs(np.r_[x0, x1]).max() >= 180 \
            else shapely.MultiPolygon(moved)
        out.append(joined)
    return np.array(out, dtype=object)


def encode_land(outlines, source_bytes: int | None = None) -> str:
    """The land layer (JSON text) of RFC 7946 country outlines: ``source_bytes`` (the size of the
    GeoJSON it was made from), ``countries`` (see the module's docstring) and ``bounds``, per
    country per polygon its ``[west, east]`` in 1/100°.

    Pieces cut at the antimeridian are joined (each polygon placed with its middle between
    0° and 360°), then simplified by :data:`LAND_SIMPLIFY_DEG` with topology kept.
    """
    import shapely

    land = shapely.simplify(frame_geometries(outlines, 180.0), LAND_SIMPLIFY_DEG, preserve_topology=True)
    countries, bounds = [], []
    for country in land:
        polygons, spans = [], []
        for polygon in shapely.get_parts(country):
            rings = [_encode_ring(r.coords) for r in (polygon.exterior, *polygon.interiors)]
            if rings[0] is not None:
                polygons.append([r for r in rings if r is not None])
                x0, _, x1, _ = polygon.bounds
                spans.append([int(np.floor(x0 * 100.0)), int(np.ceil(x1 * 100.0))])
        if polygons:
            countries.append(polygons)
            bounds.append(spans)
    return json.dumps({"source_bytes": source_bytes, "countries": countries, "bounds": bounds},
                      separators=(",", ":"))


def _encode_ring(coords) -> list[int] | None:
    """A closed lon/lat ring encoded for the land layer; None if it collapses at 1/100°."""
    pts = np.round(np.asarray(coords)[:, ::-1] * 100.0).astype(np.int64)          # lat, lon
    pts = pts[np.r_[True, np.any(pts[1:] != pts[:-1], axis=1)]]
    if len(pts) > 1 and (pts[0] == pts[-1]).all():
        pts = pts[:-1]
    if len(pts) < 3:
        return None
    lat, lon = pts.T
    nxt = np.roll(pts, -1, axis=0)
    on_cut = (lon % 36000 == 18000) & (nxt[:, 1] == lon)                        # along ±180°
    at_pole = (lat <= -8999) & (nxt[:, 0] <= -8999)
    cuts = np.flatnonzero(on_cut | at_pole).tolist()
    return [len(cuts), *cuts, *np.diff(pts, axis=0, prepend=[[0, 0]]).ravel().tolist()]


def _land_path() -> pathlib.Path:
    from ...catalog.datafiles import data_dir

    return data_dir() / LAND_FILE


@functools.lru_cache(maxsize=1)
def land_layer() -> str:
    """The land layer as JSON text: the shipped file, or built from the outlines when that is
    missing or was made from another GeoJSON (another size)."""
    from ...catalog.countries import countries_path, country_outlines

    try:
        text = _land_path().read_text(encoding="utf-8")
        made_from = re.match(r'\{"source_bytes":(\d+),', text)
        if made_from and int(made_from[1]) == countries_path().stat().st_size:
            return text
    except OSError:
        pass
    return encode_land(country_outlines())


@functools.lru_cache(maxsize=8)
def land_data(ref: float) -> tuple[str, int]:
    """The land's ``countries`` framed around longitude `ref` (JSON text), and how many countries.

    Each polygon is moved by a multiple of 360° so that its middle lies within ±180° of
    `ref`: drawn at -360°, 0 and +360° it covers ``ref ± 540°``.

    >>> text, count = land_data(126.9)
    >>> count, text.startswith("[[[[")
    (241, True)
    """
    layer = json.loads(land_layer())
    out = []
    for country, spans in zip(layer["countries"], layer["bounds"]):
        moved = []
        for polygon, (x0, x1) in zip(country, spans):
            k = 36000 * round((ref * 100.0 - (x0 + x1) / 2.0) / 36000.0)
            moved.append([r[:r[0] + 2] + [r[r[0] + 2] + k] + r[r[0] + 3:] if k else r for r in polygon])
        out.append(moved)
    return json.dumps(out, separators=(",", ":")), len(out)


def land_json(ref: float) -> str:
    """The land layer (:func:`land_layer`) with the longitude `ref` its world copies are drawn
    around (``ref ± 540°``), as JSON text that can sit in a ``<script>`` (numbers only)."""
    return land_layer()[:-1] + f',"ref":{float(ref)!r}}}'


def LandLayer(ref: float = 0.0, *, name: str = "Land (Natural Earth)", show: bool = True, control: bool = False):
    """A folium layer of the Natural Earth land, borders and graticule under everything
    (``rangemap.land(map, land, style)`` in ``js/rangemap.js``), with the sea colour as the
    map's background. Made on first use, so that folium loads only with a web map.

    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> _ = LandLayer(126.9).add_to(m)
    >>> "rangemap.land(" in m.get_root().render()
    True
    """
    return _land_class()(ref, name=name, show=show, control=control)


@functools.lru_cache(maxsize=1)
def _land_class():
    from folium.map import Layer
    from jinja2 import Template

    from .assets import register

    class _LandLayer(Layer):
        _template = Template("""
{% macro script(this, kwargs) %}
    var {{ this.get_name() }} = rangemap.land({{ this._parent.get_name() }}, {{ this.land }}, {{ this.style }});
{% endmacro %}
""")

        def __init__(self, ref, *, name, show, control):
            super().__init__(name=name, overlay=True, control=control, show=show)
            self._name = "LandLayer"
            self.land = land_json(ref)
            self.style = json.dumps({"sea": OFFLINE_BACKGROUND, "land": LAND_COLOR, "border": BORDER_COLOR,
                                     "graticule": GRATICULE_COLOR})

        def render(self, **kwargs):
            register(self.get_root())
            super().render(**kwargs)

    _LandLayer.__name__ = _LandLayer.__qualname__ = "LandLayer"
    return _LandLayer
