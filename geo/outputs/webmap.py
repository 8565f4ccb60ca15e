"""Report-ready maps: exact range rings, sites, targets and geodesic paths on Leaflet.

The page loads Leaflet and nothing else (no jQuery, Bootstrap or icon fonts). Rings
come from :func:`geo.rings.display_ring`, never ``L.circle`` (a Mercator ellipse,
hundreds of km wrong); geometry is lon/lat until :func:`_latlngs` swaps it for Leaflet.
Offline, Leaflet is inlined and Natural Earth country outlines (simplified, about 300 kB)
are drawn under the rings instead of tiles. The map draws an assessment
(:mod:`geo.analysis.assessment`): under ``model="rotating"`` its regions are the rotating-Earth
footprints, and a minimum range is a hole; ``shaded=`` hatches areas such as covered
countries. :func:`embed_html` puts a map into another page as a sandboxed
``<iframe srcdoc>``; in Jupyter a map shows itself the same way.

Escaping: user text (names, sources, notes, title) is HTML-escaped by :func:`_e`,
braces included, since folium compiles the JavaScript it renders as a Jinja
template again (``{{...}}`` in a name would run Python). Whatever goes inside a
``<script>`` is a JSON literal from :func:`js_literal`. folium's ``Tooltip`` (a JS
template literal, where ``${...}`` runs) and ``Popup`` (needs jQuery) are
replaced by :class:`SafeTooltip` and :class:`SafePopup`.

>>> from geo.catalog import default_catalog
>>> cat = default_catalog()
>>> m = build_map([cat.site("Chagang")], [cat.missile("Hwasong-12")], [cat.target("Guam")], offline=True)
>>> page = map_html(m)
>>> "<script src=" in page, "L.circle(" in page, "L.tileLayer(" in page
(False, False, False)
>>> page.count("= L.polygon(")                      # the band and the certain range
2
"""

from __future__ import annotations

import base64
import functools
import html
import json
import pathlib
import re
from typing import Sequence

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from folium.template import Template
from folium.vector_layers import path_options

from ..catalog.tables import Missile, Place
from ..errors import InputError, RangemapError
from . import escape
from .escape import js_literal  # noqa: F401  (public here too: geo.outputs.webmap.js_literal)
from .files import write_atomic
from ..analysis.assessment import VERDICTS, Assessment, as_assessment
from ..analysis.coverage import describe_track
from ..analysis.scenario import MODEL_DESCRIPTIONS
from ..core.geodesy import geodesic_path
from .style import PALETTE, VERDICT_COLORS
from ..core.rings import MERCATOR_LAT_LIMIT, display_ring

__all__ = ["build_map", "write_map", "map_html", "embed_html", "js_literal", "LeafletMap", "SafeTooltip",
           "SafePopup", "PolygonShape", "RingShape", "ShadeShape", "LandLayer", "PALETTE",
           "VERDICT_COLORS", "OFFLINE_BACKGROUND", "LAND_COLOR", "BORDER_COLOR", "SHADE_COLOR"]

#: Map background (the sea) when offline (no tiles); land and borders drawn over it.
OFFLINE_BACKGROUND = "#DCE9F2"
LAND_COLOR, BORDER_COLOR = "#F4F1EA", "#A09A90"
#: Colour of the hatching of shaded (covered) areas.
SHADE_COLOR = "#B2182B"
#: Country outlines are simplified by this many degrees (topology kept) and sent in 1/100°.
LAND_SIMPLIFY_DEG = 0.02
LAND_PANE = "rangemap-land"
LEAFLET_JS_URL = dict(folium.Map.default_js)["leaflet"]
LEAFLET_CSS_URL = dict(folium.Map.default_css)["leaflet_css"]
BAND_OPACITY, CERTAIN_OPACITY = 0.15, 0.35


def _e(value) -> str:
    """HTML-escape user text; braces too, since folium re-compiles its output as Jinja."""
    return escape.html(value, braces=True)


def _km(value: float) -> str:
    return f"{value:,.0f} km"


# --- folium elements ------------------------------------------------------------

class RawHtml(Element):
    """Literal HTML, never compiled as a Jinja template (a name may contain ``{{``)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class SafeTooltip(folium.Tooltip):
    """A tooltip whose HTML (already escaped) reaches Leaflet as a JSON string."""

    _template = Template("""{% macro script(this, kwargs) %}{{ this._parent.get_name() }}.bindTooltip(
        {{ this.js }}, {{ this.options|tojavascript }});{% endmacro %}""")

    def __init__(self, content_html: str):
        super().__init__(content_html, sticky=True)
        self.js = js_literal(content_html)


class SafePopup(folium.Popup):
    """A popup bound without jQuery; its HTML (already escaped) is a JSON string."""

    _template = Template("""
        var {{ this.get_name() }} = L.popup({{ this.options|tojavascript }}).setContent({{ this.js }});
        {{ this._parent.get_name() }}.bindPopup({{ this.get_name() }});""")

    def __init__(self, content_html: str, max_width: int = 420):
        super().__init__(None, max_width=max_width)
        self.content = content_html
        self.js = js_literal(content_html)


class PolygonShape(MacroElement):
    """A lon/lat (Multi)Polygon drawn as one ``L.polygon``; keeps its `geometry`.

    `shift` (degrees) is added to every longitude on the way to Leaflet; `pane` puts the
    shape in a custom map pane; ``interactive=False`` makes it ignore the mouse.
    """

    _template = Template("""{% macro script(this, kwargs) %}var {{ this.get_name() }} = L.polygon(
        {{ this.locations|tojson }}, {{ this.options|tojson }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self, geometry, shift: float = 0.0, *, pane: str | None = None, interactive: bool = True,
                 **style):
        super().__init__()
        self._name = type(self).__name__
        self.geometry, self.shift = geometry, shift
        self.locations = _latlngs(geometry, shift)
        self.options = path_options(line=True, **style)
        if pane:
            self.options["pane"] = pane
        if not interactive:
            self.options["interactive"] = False


class RingShape(PolygonShape):
    """One region of the assessment (range ring, or rotating-Earth footprint) drawn as ``L.polygon``;
    keeps its lon/lat `geometry` and facts."""

    def __init__(self, geometry, shift: float, *, site: Place, missile: Missile, km: float,
                 model: str = "geodesic", **style):
        super().__init__(geometry, shift, **style)
        self.site, self.missile, self.km, self.model = site, missile, km, model


class ShadeShape(PolygonShape):
    """A shaded (covered) area with its `label`, hatched."""

    def __init__(self, geometry, shift: float = 0.0, *, label: str, **style):
        super().__init__(geometry, shift, **style)
        self.label = label


class LandLayer(MacroElement):
    """Country outlines under everything else: non-interactive, in their own pane.

    One filled polygon per country (no stroke) and one polyline of every border and
    coast, leaving out the edges where outlines are merely cut (antimeridian, pole).
    The outlines (:func:`_land_data`, one world around `ref`) reach the page once, as a
    compact integer array, and are drawn there three times, shifted by -360°, 0 and
    +360°, so panning finds land everywhere the graticule runs. The script is emitted
    as is, never compiled as a Jinja template (300 kB of numbers would take seconds).
    """

    def __init__(self, ref: float):
        super().__init__()
        self._name = "LandLayer"
        self.ref = ref
        self.countries = _land_data(ref)[1]

    def render(self, **kwargs):
        name, map_name, data = self.get_name(), self._parent.get_name(), _land_data(self.ref)[0]
        fill = js_literal(dict(path_options(line=True, stroke=False, fill_color=LAND_COLOR, fill_opacity=1.0),
                               pane=LAND_PANE, interactive=False))
        line = js_literal(dict(path_options(line=True, color=BORDER_COLOR, weight=0.6, opacity=1.0),
                               pane=LAND_PANE, interactive=False))
        self.get_root().script.add_child(RawHtml(f"""
    var {name}_pane = {map_name}.createPane({js_literal(LAND_PANE)});
    {name}_pane.style.zIndex = 250;
    {name}_pane.style.pointerEvents = "none";
    var {name} = L.featureGroup();
    (function (data, fill, line) {{
        var shifts = [-360, 0, 360], borders = [];
        function ring(r, shift) {{
            var n = r[0], pts = [], lat = 0, lon = 0, cut = {{}}, runs = [], run = [];
            r.slice(1, n + 1).forEach(function (edge) {{ cut[edge] = true; }});
            r.slice(n + 1).forEach(function (d, i) {{
                if (i % 2) {{ lon += d; pts.push([lat / 100, lon / 100 + shift]); }} else {{ lat += d; }}
            }});
            var start = n ? r[1] + 1 : 0;
            pts.forEach(function (_, i) {{
                var e = (start + i) % pts.length;
                if (cut[e]) {{ if (run.length) runs.push(run); run = []; return; }}
                if (!run.length) run.push(pts[e]);
                run.push(pts[(e + 1) % pts.length]);
            }});
            if (run.length) runs.push(run);
            Array.prototype.push.apply(borders, runs);
            return pts;
        }}
        data.forEach(function (country) {{
            var polygons = [];
            shifts.forEach(function (shift) {{
                country.forEach(function (polygon) {{
                    polygons.push(polygon.map(function (r) {{ return ring(r, shift); }}));
                }});
            }});
            L.polygon(polygons, fill).addTo({name});
        }});
        L.polyline(borders, line).addTo({name});
    }})({data}, {fill}, {line});
    {name}.addTo({map_name});
"""), name=name)


class FitView(folium.map.FitBounds):
    """Fit the map to `bounds` once it has a size, then keep the view within `limits`.

    A map inside an iframe (a report, a notebook) may have no size yet when its script
    runs, and such a frame gets no ``resize`` event when it is laid out: fitting then
    would give a wrong view (and, with bounds, a NaN error). So a ResizeObserver tells
    Leaflet about every change of the container's size and the fit waits for the first
    real size. `limits` (no panning past Mercator's latitude limit) apply after the fit.
    """

    _template = Template("""{% macro script(this, kwargs) %}
    (function (map, bounds, options, limits) {
        var fitted = false;
        function fit() {
            var size = map.invalidateSize(false).getSize();
            if (fitted || !(size.x && size.y)) return;
            fitted = true;
            map.fitBounds(bounds, Object.assign({animate: false}, options));
            map.setMaxBounds(limits).panInsideBounds(limits, {animate: false});
        }
        fit();
        if (window.ResizeObserver) {
            new ResizeObserver(fit).observe(map.getContainer());
        } else if (!fitted) {
            window.addEventListener("load", fit);
        }
    })({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.options|tojson }},
       {{ this.limits|tojson }});
    {% endmacro %}""")

    def __init__(self, bounds, *, limits, **kwargs):
        super().__init__(bounds, **kwargs)
        self.limits = limits


def _latlngs(geometry, shift: float = 0.0) -> list:
    """Shapely lon/lat (Multi)Polygon to Leaflet's nested ``[lat, lon]`` lists, holes kept."""
    def ring(coords):
        return [[lat, lon + shift] for lon, lat in coords]

    parts = [[ring(p.exterior.coords)] + [ring(h.coords) for h in p.interiors]
             for p in getattr(geometry, "geoms", [geometry])]
    return parts[0] if len(parts) == 1 else parts


def _in_frame(geoms, ref: float) -> np.ndarray:
    """RFC 7946 lon/lat polygons in the map's frame around longitude `ref`.

    Each part moves by a multiple of 360° so that its middle lies within ±180° of `ref`;
    the parts of each geometry are then joined, so pieces cut at the antimeridian become
    one shape again. Nothing is clipped: a part may overhang the frame a little.
    """
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


@functools.lru_cache(maxsize=8)
def _land_data(ref: float) -> tuple[str, int]:
    """Country outlines around longitude `ref` as a compact JS array, and how many countries.

    Each country is a list of polygons, each a list of rings. A ring is a flat list of
    integers: ``n``, then the indices of its ``n`` edges that are cuts rather than borders
    (along the antimeridian or the South Pole: filled, never stroked), then its vertices
    ``lat0, lon0, dlat1, dlon1, ...`` in hundredths of a degree, the first point and then
    differences (the closing point left out). Natural Earth 1:50m, simplified by
    :data:`LAND_SIMPLIFY_DEG` (topology kept) after joining the pieces cut at the antimeridian.
    """
    from ..catalog.countries import country_outlines

    land = shapely.simplify(_in_frame(country_outlines(), ref), LAND_SIMPLIFY_DEG, preserve_topology=True)
    countries = []
    for country in land:
        polygons = []
        for polygon in shapely.get_parts(country):
            rings = [_encode_ring(r.coords) for r in (polygon.exterior, *polygon.interiors)]
            if rings[0] is not None:
                polygons.append([r for r in rings if r is not None])
        if polygons:
            countries.append(polygons)
    return json.dumps(countries, separators=(",", ":")), len(countries)


def _encode_ring(coords) -> list[int] | None:
    """A closed lon/lat ring encoded for :func:`_land_data`; None if it collapses at 1/100°."""
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


class _StableLayer:
    """A folium layer that renders the same script every time.

    folium's layers add a fresh ``addTo`` element to the page's script at each render
    and the old one stays, so a second render (a notebook showing the map, then
    :func:`map_html`) would differ; these keep their ``addTo`` element.
    """

    def render(self, **kwargs):
        key = self.get_name() + "_add"
        if self.show and key not in self._children:
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()), name=key)
        MacroElement.render(self, **kwargs)


class Group(_StableLayer, folium.FeatureGroup):
    """A FeatureGroup (a layer in the layer control) that renders the same script every time."""


class Tiles(_StableLayer, folium.TileLayer):
    """A TileLayer that renders the same script every time."""


class LeafletMap(folium.Map):
    """A folium Map whose page loads Leaflet's JS and CSS and nothing else.

    Online it links folium's Leaflet CDN files and shows OpenStreetMap tiles;
    offline it inlines Leaflet 1.9.3 from ``xstatic-leaflet`` and has no tiles.
    """

    def __init__(self, *, offline: bool = False, **kwargs):
        if offline:
            kwargs.update(attribution_control=False,     # no tiles to credit, and no link
                          zoom_snap=0.25, zoom_delta=0.5)  # vectors only: any zoom is sharp, so fit closely
        super().__init__(tiles=None, world_copy_jump=False, **kwargs)
        if not offline:
            Tiles("OpenStreetMap").add_to(self)
        self.default_js = [] if offline else [("leaflet", LEAFLET_JS_URL)]
        self.default_css = [] if offline else [("leaflet_css", LEAFLET_CSS_URL)]
        if offline:
            self.get_root().header.add_child(RawHtml(_leaflet_inline()), name="leaflet_inline")


@functools.lru_cache(maxsize=1)
def _leaflet_inline() -> str:
    """Leaflet's JS and CSS as inline ``<script>``/``<style>``, images as data: URLs."""
    try:
        import xstatic.pkg.leaflet as xl
    except ImportError:
        raise RangemapError("offline maps need the xstatic-leaflet package: pip install xstatic-leaflet") from None
    base = pathlib.Path(xl.BASE_DIR)
    js = re.sub(r"//# sourceMappingURL=\S*", "", (base / "leaflet.js").read_text(encoding="utf-8"))
    css = re.sub(r"url\((images/[\w.-]+\.png)\)", lambda m: "url(data:image/png;base64,"
                 + base64.b64encode((base / m[1]).read_bytes()).decode("ascii") + ")",
                 (base / "leaflet.css").read_text(encoding="utf-8"))
    if re.search(r"</(script|style)", js + css, re.IGNORECASE):
        raise RuntimeError("xstatic-leaflet files cannot be inlined safely")
    return f"<style>{css}</style>\n<script>{js}</script>\n"


# --- the map ----------------------------------------------------------------------

def build_map(sites, missiles=(), targets=(), *, title: str | None = None, offline: bool = False,
              model: str = "geodesic", shaded: Sequence[tuple[str, object]] = ()) -> folium.Map:
    """A Leaflet map of an assessment: range regions, sites, targets and geodesic paths.

    Parameters
    ----------
    sites : Assessment, or sequence of Place
        An :class:`~geo.analysis.assessment.Assessment` (what is drawn is what it computed),
        or the scenario's sites (then `missiles`, `targets` and `model` complete it).
        One region set per site × missile (in a layer per missile), a marker per site and
        target, a geodesic path per site × target. Longitudes are unwrapped around the
        first site, so a ring across the Pacific is one shape with its targets beside it.
    title : str, optional
        Shown above the map.
    offline : bool
        No network request at all: Leaflet inlined, no tiles; country outlines
        (Natural Earth 1:50m, simplified) and a graticule instead.
    model : {"geodesic", "rotating"}
        Reach model when `sites` is not an Assessment. Under ``"rotating"`` the regions are
        the rotating-Earth footprints the verdicts use.
    shaded : sequence of (label, geometry)
        Areas to shade (hatched), e.g. the countries a missile covers: lon/lat shapely
        polygons (RFC 7946), each with a label for its tooltip. Drawn over the rings' fill,
        under paths and markers.

    Returns
    -------
    folium.Map
        Save it with :func:`write_map`; raises :class:`~geo.errors.InputError` without a
        site or missile, for an unknown model or a shaded item that is not (label, polygon).

    Examples
    --------
    >>> from geo.catalog import default_catalog
    >>> cat = default_catalog()
    >>> m = build_map([cat.site("Chagang")], [cat.missile("Hwasong-12")], [cat.target("Guam")])
    >>> type(m).__name__, [g.layer_name for g in m._children.values() if isinstance(g, folium.FeatureGroup)]
    ('LeafletMap', ['Hwasong-12', 'Geodesic paths', 'Launch sites', 'Targets'])
    """
    a = as_assessment(sites, missiles, targets, model=model, what="a map")
    shaded = _check_shaded(shaded)
    ref = a.sites[0].lon
    m = LeafletMap(offline=offline)
    m.get_root().title = _e(title or "rangemap: missile range rings")
    if offline:
        _offline_basemap(m, ref)
    bounds = []
    used: set[str] = set()
    for mi, missile in enumerate(a.missiles):
        name = missile.name if missile.name not in used else f"{missile.name} ({mi + 1})"
        used.add(name)
        group = Group(name=_e(name)).add_to(m)
        for si, site in enumerate(a.sites):
            bounds += _add_rings(group, a, si, mi, PALETTE[mi % len(PALETTE)], _near(site.lon, ref) - site.lon)
    if shaded:                              # over the rings' fill, so their names show on hover
        _add_shaded(m, shaded, ref)
    if a.targets:
        _add_paths(m, a, ref)
    bounds += _add_sites(m, a.sites, ref)
    bounds += _add_targets(m, a, ref) if a.targets else []
    _add_overlays(m, a.missiles, title, model=a.model, offline=offline, shaded=bool(shaded))
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    lats, lons = np.asarray(bounds, dtype=float).reshape(-1, 2).T
    FitView([[lats.min(), lons.min()], [lats.max(), lons.max()]], padding=(24, 24),
            limits=[[-MERCATOR_LAT_LIMIT, ref - 540.0], [MERCATOR_LAT_LIMIT, ref + 540.0]]).add_to(m)
    return m


def map_html(m) -> str:
    """The whole HTML page of map `m`."""
    return m.get_root().render()


def write_map(m: folium.Map, path) -> pathlib.Path:
    """Write map `m` as one HTML file, atomically; returns the path.

    Raises :class:`~geo.errors.InputError` when `path` cannot be written.

    >>> import tempfile
    >>> from geo.catalog import Place, Missile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
    >>> m = build_map([Place("Site", 40.0, 125.0)], [Missile("M", 1000.0)], offline=True)
    >>> write_map(m, out) == out, out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    (True, True)
    """
    return write_atomic(path, map_html(m))


def embed_html(m: folium.Map, width="100%", height="600px", *, title: str = "Interactive range map") -> str:
    """An ``<iframe srcdoc="…">`` holding map `m`, to paste into another HTML page.

    The map's page is attribute-escaped into ``srcdoc``, so its scripts run isolated in
    the frame (``sandbox="allow-scripts"``: no access to the host page, no dialogs, no
    navigation of the host). `width` and `height` are CSS lengths (a number means pixels);
    anything else raises :class:`~geo.errors.InputError`.

    >>> m = build_map([Place("Site", 40.0, 125.0)], [Missile("M", 1000.0)], offline=True)
    >>> snippet = embed_html(m, height=450)
    >>> snippet.startswith('<iframe class="rangemap-map"'), 'height:450px' in snippet, '<script' in snippet
    (True, True, False)
    """
    size = f"width:{_css_length(width, 'width')};height:{_css_length(height, 'height')}"
    return (f'<iframe class="rangemap-map" title="{_e(title)}" style="{size};border:0;display:block" '
            f'sandbox="allow-scripts" referrerpolicy="no-referrer" '
            f'srcdoc="{html.escape(map_html(m), quote=True)}"></iframe>')


_CSS_LENGTH = re.compile(r"(\d+(\.\d+)?)(px|%|em|rem|vh|vw|cm|mm|in|pt)?")


def _css_length(value, what: str) -> str:
    """`value` as a CSS length: a number is pixels; '600px', '100%', '40em' pass as they are."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return f"{value:g}px"
    text = str(value).strip()
    match = _CSS_LENGTH.fullmatch(text)
    if not match:
        raise InputError(f"{what} {value!r} is not a CSS length: give a number of pixels, or e.g. '600px' or '100%'")
    return text if match[3] else f"{text}px"


def _near(lon: float, ref: float) -> float:
    """`lon` shifted by a multiple of 360° to within ±180° of `ref`."""
    return lon + 360.0 * round((ref - lon) / 360.0)


def _bind(layer, tip: str, popup: str):
    """Attach a tooltip and a popup (HTML, user text already escaped) to `layer`."""
    return layer.add_child(SafeTooltip(tip)).add_child(SafePopup(popup))


def _facts(pairs) -> str:
    """A small HTML table of (label, text) pairs; text is escaped here, empty rows dropped."""
    rows = "".join(f"<tr><th style='text-align:left;padding-right:6px'>{_e(k)}</th><td>{_e(v)}</td></tr>"
                   for k, v in pairs if v not in ("", None))
    return f"<table>{rows}</table>"


def _place_facts(kind: str, p: Place) -> str:
    return _facts([(kind, p.name), ("Lat, lon", f"{p.lat:.6f}, {p.lon:.6f}"), ("Country", p.country),
                   ("Source", p.source), ("Confidence", p.confidence), ("Notes", p.notes)])


def _verdict_line(a: Assessment, si: int, mi: int, ti: int) -> str:
    """One verdict as escaped HTML, read from the assessment."""
    c = a.check(si, mi, ti)
    reach = "reach toward it" if c.model == "rotating" else "range"
    where = " on a rotating Earth" if c.model == "rotating" else ""
    if c.inside_minimum_km is not None:
        detail = f"{_km(c.inside_minimum_km)} inside the minimum range {_km(c.min_range_km)}"
    else:
        detail = f"margin {c.margin_km:+,.0f} km"
    return (f"{_e(c.missile.name)} from {_e(c.site.name)}: <b>{_e(c.verdict)}</b>{where} "
            f"(distance {_km(c.distance_km)}, {reach} {_km(c.range_km)}, {detail})")


def _check_shaded(shaded) -> list[tuple[str, object]]:
    """(label, polygonal geometry) pairs, checked; empty geometries dropped."""
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


def _add_shaded(m, shaded, ref: float) -> None:
    """Hatched areas with escaped tooltips, drawn over the rings and under paths and markers."""
    m.get_root().html.add_child(RawHtml(
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false"><defs>'
        '<pattern id="rangemap-hatch" width="7" height="7" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="7" height="7" fill="{SHADE_COLOR}" fill-opacity="0.10"/>'
        f'<line x1="0" y1="0" x2="0" y2="7" stroke="{SHADE_COLOR}" stroke-width="2" stroke-opacity="0.40"/>'
        '</pattern></defs></svg>'), name="rangemap_hatch")
    group = Group(name="Shaded areas").add_to(m)
    geoms = shapely.simplify(_in_frame([g for _, g in shaded], ref), 0.01, preserve_topology=True)
    for (label, _), geom in zip(shaded, geoms):
        parts = [p for p in shapely.get_parts(shapely.set_precision(geom, 1e-4))     # about 10 m
                 if isinstance(p, shapely.Polygon) and not p.is_empty]
        if not parts:
            continue
        geom = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
        tip = f"<b>{_e(label)}</b>"
        shape = ShadeShape(geom, label=label, color=SHADE_COLOR, weight=1, opacity=0.7,
                           fill_color="url(#rangemap-hatch)", fill_opacity=1.0)
        _bind(shape, tip, tip).add_to(group)


def _add_rings(group, a: Assessment, si: int, mi: int, color: str, shift: float) -> list:
    """The assessment's regions of site `si` × missile `mi`: band (light fill), nominal outline,
    certain range (solid fill), largest first, a minimum range as a hole; their bounds."""
    site, missile = a.sites[si], a.missiles[mi]
    band = f"{_km(missile.certain_km)} to {_km(missile.max_km)}" if missile.max_km > missile.certain_km else ""
    popup = _facts([("Missile", missile.name), ("Launch site", site.name), ("Range", _km(missile.range_km)),
                    ("Band", band), ("Minimum range", missile.min_range_km and _km(missile.min_range_km)),
                    ("Type", missile.type), ("Source", missile.source), ("Confidence", missile.confidence),
                    ("Notes", missile.notes), ("Model", MODEL_DESCRIPTIONS[a.model])])
    rotating = " on a rotating Earth, at" if a.model == "rotating" else ""
    minimum = f"; none within the minimum range {_km(missile.min_range_km)}" if missile.min_range_km else ""
    bounds = []
    for r in a.regions(si, mi, display=True):
        km = r.radius_km
        says = [text for text, yes in ((f"nominal range{rotating} {_km(km)}", km == missile.range_km),
                                       (f"in range up to{rotating} {_km(km)}", km == missile.certain_km),
                                       (f"possibly in range {band} (sources disagree)"
                                        + (" on a rotating Earth" if rotating else ""), km > missile.certain_km))
                if yes]
        style = dict(color=color, weight=2 if km == missile.range_km else 1, fill_color=color,
                     fill_opacity=CERTAIN_OPACITY if km == missile.certain_km else BAND_OPACITY,
                     dash_array=None if km == missile.range_km else "6 4")
        if km not in (missile.certain_km, missile.max_km):      # nominal inside the band: outline only
            style.update(fill_color=None, fill=False)
        tip = f"<b>{_e(missile.name)}</b> from {_e(site.name)}<br>{'; '.join(says)}{minimum}"
        _bind(RingShape(r.geometry, shift, site=site, missile=missile, km=km, model=a.model, **style), tip,
              tip + popup).add_to(group)
        x0, y0, x1, y1 = r.geometry.bounds
        bounds += [(y0, x0 + shift), (y1, x1 + shift)]
    return bounds


def _add_sites(m, sites, ref) -> list:
    group = Group(name="Launch sites").add_to(m)
    points = [(s.lat, _near(s.lon, ref)) for s in sites]
    for s, point in zip(sites, points):
        marker = folium.CircleMarker(point, radius=6, color="#FFFFFF", weight=2, fill_color="#111111",
                                     fill_opacity=1.0)
        _bind(marker, f"<b>{_e(s.name)}</b><br>launch site", _place_facts("Launch site", s)).add_to(group)
    return points


def _add_targets(m, a: Assessment, ref) -> list:
    """A marker per target, coloured by its best verdict over every site × missile."""
    group = Group(name="Targets").add_to(m)
    points = [(t.lat, _near(t.lon, ref)) for t in a.targets]
    cells = [(si, mi) for si in range(len(a.sites)) for mi in range(len(a.missiles))]
    for ti, (t, point) in enumerate(zip(a.targets, points)):
        best = a.best_verdict(ti)
        head = f"<b>{_e(t.name)}</b>" + (f": {_e(best)}" if best is not None else "")
        lines = "<br>".join(_verdict_line(a, si, mi, ti) for si, mi in cells)
        marker = folium.CircleMarker(point, radius=7, color="#222222", weight=1.5, fill_opacity=0.95,
                                     fill_color="#888888" if best is None else VERDICT_COLORS[best])
        _bind(marker, f"{head}<br>{lines}", f"{_place_facts('Target', t)}<p>{lines}</p>").add_to(group)
    return points


#: Path vertices are rounded to this many decimals (1e-6 degrees is about 0.1 m).
PATH_DECIMALS = 6


def _add_paths(m, a: Assessment, ref) -> None:
    """The geodesic from each site to each target, starting at the site's (unwrapped) longitude.

    Drawn from 100 km steps (a geodesic is smooth: the straight pieces stay within about
    0.4 km of it at Web Mercator's scale) and rounded to about 0.1 m.
    """
    group = Group(name="Geodesic paths").add_to(m)
    for si, s in enumerate(a.sites):
        for ti, t in enumerate(a.targets):
            line = np.asarray(geodesic_path(s.lat, s.lon, t.lat, t.lon, max_step_km=100.0, unwrap=True).coords)
            shift = 360.0 * round((_near(s.lon, ref) - line[0, 0]) / 360.0)
            tip = (f"{_e(s.name)} &rarr; {_e(t.name)}: {_km(float(a.distance_km[si, ti]))} (geodesic)"
                   f"<br>over: {_e(describe_track(a.overflight(si, ti)))}")
            points = np.round(np.column_stack([line[:, 1], line[:, 0] + shift]), PATH_DECIMALS).tolist()
            path = folium.PolyLine(points, color="#333333", weight=2, opacity=0.8, dash_array="2 5")
            lines = [_verdict_line(a, si, mi, ti) for mi in range(len(a.missiles))]
            _bind(path, tip, "<br>".join([tip, *lines])).add_to(group)


def _offline_basemap(m, ref: float) -> None:
    """Sea-coloured background, country outlines (Natural Earth 1:50m) and a 30° graticule,
    all non-interactive, in a pane under the rings."""
    m.get_root().header.add_child(RawHtml(
        f"<style>.leaflet-container {{ background: {OFFLINE_BACKGROUND}; }}</style>"), name="offline_bg")
    LandLayer(ref).add_to(m)
    grid = Group(name="Graticule 30°").add_to(m)
    west, east = 30 * np.floor((ref - 540) / 30), 30 * np.ceil((ref + 540) / 30)
    lines = [[[-MERCATOR_LAT_LIMIT, lon], [MERCATOR_LAT_LIMIT, lon]] for lon in np.arange(west, east + 1, 30.0)]
    for points in lines + [[[lat, west], [lat, east]] for lat in (-60, -30, 0, 30, 60)]:
        line = folium.PolyLine(points, color="#8C9BAA", weight=0.8, opacity=0.6).add_to(grid)
        line.options.update(interactive=False, pane=LAND_PANE)   # path_options() drops these options


_BOX = ("position:absolute;z-index:1000;background:rgba(255,255,255,0.92);padding:6px 10px;"
        "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.35);font:12px/1.4 sans-serif;color:#222;")


def _add_overlays(m, missiles, title, *, model: str = "geodesic", offline: bool = False,
                  shaded: bool = False) -> None:
    """Title, legend (missiles, line styles, verdict colours) and the caption, as escaped HTML."""
    root = m.get_root()
    if title:
        root.html.add_child(RawHtml(
            f"<div class='rangemap-title' style='{_BOX}top:10px;left:50%;transform:translateX(-50%);"
            f"font-size:16px;font-weight:bold'>{_e(title)}</div>"), name="rangemap_title")
    items = []
    for i, mi in enumerate(missiles):
        band = f"; in range to {_km(mi.certain_km)}, possibly to {_km(mi.max_km)}" if mi.max_km > mi.certain_km else ""
        items.append(f"<div><span style='display:inline-block;width:12px;height:12px;margin-right:5px;"
                     f"vertical-align:-2px;background:{PALETTE[i % len(PALETTE)]};opacity:0.8'></span>"
                     f"<b>{_e(mi.name)}</b>: {_km(mi.range_km)}{band}"
                     + (f" <span style='color:#555'>({_e(mi.source)})</span>" if mi.source else "") + "</div>")
    if model == "rotating":
        items.append("<div class='rangemap-models' style='margin-top:3px'>"
                     f"{_swatch(None, 'fill')} filled: reach on a rotating Earth (longer eastward, shorter "
                     "westward), as the verdicts use it</div>")
    if shaded:
        items.append(f"<div style='margin-top:3px'>{_swatch(None, 'hatch')} hatched: shaded areas "
                     "(hover for names)</div>")
    keys = " ".join(f"<span style='white-space:nowrap'><span style='color:{c}'>&#9679;</span> {_e(v)}</span>"
                    for v, c in VERDICT_COLORS.items())
    sources = dict.fromkeys(p.strip() for mi in missiles for p in mi.source.split(";") if p.strip())
    caption = f"WGS84 geodesic range rings (Karney); ranges: {_e('; '.join(sources) or 'none given')}"
    if model == "rotating":
        caption = (f"Reach on a rotating Earth ({_e(MODEL_DESCRIPTIONS['rotating'])}); "
                   f"ranges: {_e('; '.join(sources) or 'none given')}")
    if offline:
        from ..catalog.countries import COUNTRIES_SOURCE

        caption += f"; country outlines: {_e(COUNTRIES_SOURCE)}"
    root.html.add_child(RawHtml(
        f"<div class='rangemap-legend' style='{_BOX}bottom:24px;left:10px;max-width:380px'>{''.join(items)}"
        f"<div style='margin-top:3px'>&#9679; launch site &nbsp; {keys}</div>"
        f"<div class='rangemap-caption' style='margin-top:3px;color:#555;font-size:11px'>{caption}</div>"
        f"</div>"), name="rangemap_legend")


def _swatch(dash: str | None, kind: str) -> str:
    """A small inline SVG legend key: a grey dashed line, a filled square, or hatching."""
    if kind == "line":
        body = f"<line x1='0' y1='6' x2='26' y2='6' stroke='#444' stroke-width='2' stroke-dasharray='{dash}'/>"
    elif kind == "hatch":
        body = (f"<rect x='7' y='0.5' width='12' height='11' fill='{SHADE_COLOR}' fill-opacity='0.1' "
                f"stroke='{SHADE_COLOR}' stroke-opacity='0.7'/>"
                + "".join(f"<line x1='{x}' y1='11.5' x2='{x + 11}' y2='0.5' stroke='{SHADE_COLOR}' "
                          f"stroke-opacity='0.5' stroke-width='1.5'/>" for x in (2, 7, 12)))
    else:
        body = "<rect x='7' y='0.5' width='12' height='11' fill='#888' fill-opacity='0.45' stroke='#444'/>"
    return f"<svg width='26' height='12' style='vertical-align:-2px' aria-hidden='true'>{body}</svg>"
