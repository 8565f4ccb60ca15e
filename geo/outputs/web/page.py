"""``geo.build_map``: a :class:`folium.Map` of an assessment, ready to show, extend and save.

The map has no tiles by default (``tiles="osm"`` or any xyzservices provider adds them), the
Natural Earth land under everything (:func:`geo.outputs.web.basemap.LandLayer`) and a
:class:`~geo.outputs.web.layer.RangeLayer` fitted to the view. It is a :class:`RangeMap`, a
``folium.Map`` that also carries the assessment and the blob drawn (``m.assessment``,
``m.data``), and shows itself in Jupyter offline. Add markers, layers and plugins as to any
folium map; write it offline with :func:`geo.write_map` (``m.save()`` keeps folium's CDN links).

>>> m = build_map("Chagang", ["Hwasong-12", "KN-23"], ["Guam", "Tokyo"], units="mi")
>>> import folium; isinstance(m, folium.Map)
True
>>> [layer["name"] for layer in m.data["layers"]][:3], m.data["targets"][1]["label"]
(['Hwasong-12', 'KN-23', 'Geodesic paths'], 'Tokyo · 794 mi')
"""

from __future__ import annotations

from typing import Sequence

import folium
import folium.folium

from ...analysis.assessment import as_assessment
from ...errors import InputError
from .. import escape
from ..formatting import check_units
from .basemap import LandLayer
from .layer import RangeLayer
from .offline import embed_html

__all__ = ["build_map", "RangeMap", "TILES", "stable_ids"]

#: Tile layers by the names the command line knows: none, or OpenStreetMap (an xyzservices name).
TILES = {"none": None, "osm": "OpenStreetMap.Mapnik"}
_LEAFLET = ("leaflet", "leaflet_css")


class RangeMap(folium.Map):
    """A ``folium.Map`` made by :func:`build_map`: ``assessment`` and ``data`` are its range layer's.

    It links only Leaflet (folium's other defaults, jQuery, Bootstrap, Font Awesome and
    awesome-markers, come back as soon as a ``folium.Icon`` is added), and shows itself in
    Jupyter as an offline, sandboxed frame.
    """

    default_js = [pair for pair in folium.folium._default_js if pair[0] in _LEAFLET]
    default_css = [pair for pair in folium.folium._default_css if pair[0] in _LEAFLET]

    @property
    def range_layers(self) -> list:
        return [c for c in self._children.values() if isinstance(c, RangeLayer)]

    @property
    def assessment(self):
        return self.range_layers[0].assessment

    @property
    def data(self) -> dict:
        return self.range_layers[0].data

    def render(self, **kwargs):
        if any(isinstance(e, folium.Icon) for e in _walk(self)):
            self.default_js, self.default_css = folium.folium._default_js, folium.folium._default_css
        super().render(**kwargs)

    def _repr_html_(self, **kwargs) -> str:
        return embed_html(self, height="600px", title="Range map")


def _walk(element):
    for child in element._children.values():
        yield child
        yield from _walk(child)


def build_map(sites, missiles=(), targets=(), *, title: str | None = None, offline: bool = False,
              model: str = "geodesic", shaded: Sequence[tuple[str, object]] = (), tiles=None,
              units: str = "km") -> RangeMap:
    """A folium map of an assessment: land, range regions, sites, targets, geodesic paths and labels.

    Parameters
    ----------
    sites : Assessment, or sites (names, ``"LAT,LON"``, Place objects)
        An :class:`~geo.analysis.assessment.Assessment` (what is drawn is what it computed),
        or the scenario's sites (then `missiles`, `targets` and `model` complete it).
        One region set per site × missile (a layer per missile), a marker per site and
        target, a geodesic path per site × target. Longitudes are unwrapped around the
        first site, so a ring across the Pacific is one shape with its targets beside it.
    title : str, optional
        Shown above the map and as the page title.
    offline : bool
        Guarantee that the page makes no network request (the same as no tiles, the
        default; an error with tiles).
    model : {"geodesic", "rotating"}
        Reach model when `sites` is not an Assessment.
    shaded : sequence of (label, geometry)
        Areas to hatch, e.g. the countries a missile covers: lon/lat shapely polygons
        (RFC 7946), each with a label for its tooltip.
    tiles : {"none", "osm"} or xyzservices.TileProvider, optional
        A tile layer over the land (where a network is there; the land shows where not).
    units : {"km", "mi", "nmi"}
        Units of every distance the map shows (labels, tooltips, legend).

    Returns
    -------
    RangeMap
        A ``folium.Map``; write it offline with :func:`geo.write_map`. Raises
        :class:`~geo.errors.InputError` without a site or missile, for an unknown model,
        tile layer or unit, or a shaded item that is not (label, polygon).
    """
    units = check_units(units)
    provider = _check_tiles(tiles, offline)
    a = as_assessment(sites, missiles, targets, model=model, what="a map")
    tile_name = None if provider is None else _provider_name(provider)
    layer = RangeLayer(a, units=units, title=title, shaded=shaded, fit=True, tiles=tile_name)
    (south, west), (north, east) = layer.bounds
    m = RangeMap(location=[(south + north) / 2, (west + east) / 2], zoom_start=1, tiles=None, min_zoom=0,
                 max_zoom=12, zoom_snap=0.25, zoom_delta=0.5, world_copy_jump=False,
                 attribution_control=provider is not None)
    m.get_root().title = escape.html(escape.xml_clean(title or a.scenario.title or "rangemap: missile range rings"))
    LandLayer(float(a.sites[0].lon)).add_to(m)
    if provider is not None:
        folium.TileLayer(provider, name=escape.html(f"Map tiles ({tile_name}, needs a network)", braces=True), overlay=True,
                         control=True).add_to(m)
    layer.add_to(m)
    if provider is not None:
        folium.LayerControl(collapsed=False).add_to(m)
    stable_ids(m, layer.json)
    return m


def stable_ids(m, seed: str) -> None:
    """Give `m` and its elements ids made from `seed` (folium draws random ones), so that the same
    map is the same file each time; elements added later keep folium's random ids."""
    import hashlib

    base = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:24]
    for i, element in enumerate([m, *_walk(m)]):
        element._id = f"{base}{i:08x}"


def _provider_name(provider) -> str:
    return "OpenStreetMap" if provider.name.startswith("OpenStreetMap") else provider.name


def _check_tiles(tiles, offline: bool):
    """The xyzservices provider of `tiles` (None for none)."""
    if tiles is None or tiles == "none":
        return None
    if offline:
        raise InputError(f"an offline map makes no network request: leave out tiles={tiles!r}")
    import xyzservices

    if isinstance(tiles, xyzservices.TileProvider):
        return tiles
    if tiles not in TILES:
        raise InputError(f"unknown tile layer {tiles!r}: choose one of {', '.join(TILES)}, "
                         "or give an xyzservices provider")
    return xyzservices.providers.query_name(TILES[tiles])
