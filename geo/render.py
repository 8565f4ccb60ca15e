"""Report-ready maps: exact range rings, sites, targets and geodesic paths on Leaflet.

The page loads Leaflet and nothing else (no jQuery, Bootstrap or icon fonts). Rings
come from :func:`geo.rings.display_ring`, never ``L.circle`` (a Mercator ellipse,
hundreds of km wrong); geometry is lon/lat until :func:`_latlngs` swaps it for Leaflet.

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
>>> "<script src=" in page, "L.circle(" in page, page.count("L.polygon(")
(False, False, 2)
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
from branca.element import Element, MacroElement
from folium.template import Template
from folium.vector_layers import path_options

from .catalog import Missile, Place
from .errors import InputError, RangemapError
from .files import write_atomic
from .geodesy import distance_km, geodesic_path
from .reach import VERDICTS, check_table
from .rings import MERCATOR_LAT_LIMIT, display_ring

__all__ = ["build_map", "write_map", "map_html", "js_literal", "LeafletMap", "SafeTooltip",
           "SafePopup", "RingShape", "PALETTE", "VERDICT_COLORS", "OFFLINE_BACKGROUND"]

#: One colour per missile: Okabe & Ito's colour-blind-safe palette (yellow left out).
PALETTE = ("#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#D55E00", "#000000")
#: Target marker colour by verdict.
VERDICT_COLORS = dict(zip(VERDICTS, ("#D7191C", "#FD8D3C", "#7A8B9C", "#7B3294")))
#: Map background when offline (no tiles).
OFFLINE_BACKGROUND = "#E3EAF0"
LEAFLET_JS_URL = dict(folium.Map.default_js)["leaflet"]
LEAFLET_CSS_URL = dict(folium.Map.default_css)["leaflet_css"]
BAND_OPACITY, CERTAIN_OPACITY = 0.15, 0.35


def js_literal(value) -> str:
    r"""`value` as a JSON literal that is safe anywhere inside an HTML ``<script>``.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are escaped, and so are braces inside
    strings: folium compiles the JavaScript it renders as a Jinja template again.

    >>> print(js_literal("</script>{{7*7}}\u2028"))
    "\u003c/script\u003e\u007b\u007b7*7\u007d\u007d\u2028"
    """
    return re.sub(r'"(?:[^"\\]|\\.)*"', lambda string: string[0].translate(_JS_ESCAPES),
                  json.dumps(value, ensure_ascii=False))


_JS_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&{}\u2028\u2029"}


def _e(value) -> str:
    """HTML-escape user text; braces too, since folium re-compiles its output as Jinja."""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


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


class RingShape(MacroElement):
    """One range ring drawn as ``L.polygon``; keeps its lon/lat `geometry` and facts."""

    _template = Template("""{% macro script(this, kwargs) %}var {{ this.get_name() }} = L.polygon(
        {{ this.locations|tojson }}, {{ this.options|tojson }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self, geometry, shift: float, *, site: Place, missile: Missile, km: float, **style):
        super().__init__()
        self._name = "RingShape"
        self.geometry, self.shift, self.site, self.missile, self.km = geometry, shift, site, missile, km
        self.locations = _latlngs(geometry, shift)
        self.options = path_options(line=True, **style)


def _latlngs(geometry, shift: float = 0.0) -> list:
    """Shapely lon/lat (Multi)Polygon to Leaflet's nested ``[lat, lon]`` lists, holes kept."""
    def ring(coords):
        return [[lat, lon + shift] for lon, lat in coords]

    parts = [[ring(p.exterior.coords)] + [ring(h.coords) for h in p.interiors]
             for p in getattr(geometry, "geoms", [geometry])]
    return parts[0] if len(parts) == 1 else parts


class LeafletMap(folium.Map):
    """A folium Map whose page loads Leaflet's JS and CSS and nothing else.

    Online it links folium's Leaflet CDN files and shows OpenStreetMap tiles;
    offline it inlines Leaflet 1.9.3 from ``xstatic-leaflet`` and has no tiles.
    """

    def __init__(self, *, offline: bool = False, **kwargs):
        if offline:
            kwargs.update(attribution_control=False)     # no tiles to credit, and no link
        super().__init__(tiles=None if offline else "OpenStreetMap", world_copy_jump=False, **kwargs)
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

def build_map(sites: Sequence[Place], missiles: Sequence[Missile], targets: Sequence[Place] = (), *,
              title: str | None = None, offline: bool = False) -> folium.Map:
    """A Leaflet map of the range rings of `missiles` from `sites`, with `targets`.

    Parameters
    ----------
    sites, missiles, targets : sequences of Place, Missile, Place
        One ring per site × missile (in a layer per missile), a marker per site and
        target, a geodesic path per site × target. Longitudes are unwrapped around the
        first site, so a ring across the Pacific is one shape with its targets beside it.
    title : str, optional
        Shown above the map.
    offline : bool
        No network request at all: Leaflet inlined, no tiles, a graticule instead.

    Returns
    -------
    folium.Map
        Save it with :func:`write_map`; raises :class:`~geo.errors.InputError` without a site.

    Examples
    --------
    >>> from geo.catalog import default_catalog
    >>> cat = default_catalog()
    >>> m = build_map([cat.site("Chagang")], [cat.missile("Hwasong-12")], [cat.target("Guam")])
    >>> type(m).__name__, [g.layer_name for g in m._children.values() if isinstance(g, folium.FeatureGroup)]
    ('LeafletMap', ['Hwasong-12', 'Geodesic paths', 'Launch sites', 'Targets'])
    """
    sites, missiles, targets = tuple(sites), tuple(missiles), tuple(targets)
    if not sites:
        raise InputError("a map needs at least one launch site")
    ref = sites[0].lon
    m = LeafletMap(offline=offline)
    m.get_root().title = _e(title or "rangemap: missile range rings")
    if offline:
        _offline_basemap(m, ref)
    grid = _verdict_grid(sites, missiles, targets)
    bounds = []
    used: set[str] = set()
    for i, missile in enumerate(missiles):
        name = missile.name if missile.name not in used else f"{missile.name} ({i + 1})"
        used.add(name)
        group = folium.FeatureGroup(name=_e(name)).add_to(m)
        for site in sites:
            bounds += _add_rings(group, site, missile, PALETTE[i % len(PALETTE)], _near(site.lon, ref) - site.lon)
    if targets:
        _add_paths(m, sites, targets, grid, ref)
    bounds += _add_sites(m, sites, ref)
    bounds += _add_targets(m, targets, grid, ref) if targets else []
    _add_overlays(m, missiles, title)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    lats, lons = np.asarray(bounds, dtype=float).reshape(-1, 2).T
    m.fit_bounds([[lats.min(), lons.min()], [lats.max(), lons.max()]], padding=(24, 24))
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


def _verdict_grid(sites, missiles, targets):
    """check_table's rows as a sites × missiles × targets array of dicts."""
    grid = np.empty((len(sites), len(missiles), len(targets)), dtype=object)
    grid.ravel()[:] = check_table(sites, missiles, targets).to_dict("records")
    return grid


def _verdict_line(row) -> str:
    return (f"{_e(row['missile'])} from {_e(row['site'])}: <b>{_e(row['verdict'])}</b> "
            f"(distance {_km(row['distance_km'])}, range {_km(row['range_km'])}, "
            f"margin {row['margin_km']:+,.0f} km)")


def _add_rings(group, site: Place, missile: Missile, color: str, shift: float) -> list:
    """Band (light fill), nominal outline, certain range (solid fill), largest first; their bounds."""
    band = f"{_km(missile.certain_km)} to {_km(missile.max_km)}" if missile.max_km > missile.certain_km else ""
    popup = _facts([("Missile", missile.name), ("Launch site", site.name), ("Range", _km(missile.range_km)),
                    ("Band", band), ("Minimum range", missile.min_range_km and _km(missile.min_range_km)),
                    ("Type", missile.type), ("Source", missile.source), ("Confidence", missile.confidence),
                    ("Notes", missile.notes)])
    bounds = []
    for km in sorted({missile.certain_km, missile.range_km, missile.max_km}, reverse=True):
        says = [text for text, yes in ((f"nominal range {_km(km)}", km == missile.range_km),
                                       (f"in range up to {_km(km)}", km == missile.certain_km),
                                       (f"possibly in range {band} (sources disagree)", km > missile.certain_km))
                if yes]
        style = dict(color=color, weight=2 if km == missile.range_km else 1, fill_color=color,
                     fill_opacity=CERTAIN_OPACITY if km == missile.certain_km else BAND_OPACITY,
                     dash_array=None if km == missile.range_km else "6 4")
        if km not in (missile.certain_km, missile.max_km):      # nominal inside the band: outline only
            style.update(fill_color=None, fill=False)
        geom = display_ring(site.lat, site.lon, km)
        tip = f"<b>{_e(missile.name)}</b> from {_e(site.name)}<br>{'; '.join(says)}"
        _bind(RingShape(geom, shift, site=site, missile=missile, km=km, **style), tip, tip + popup).add_to(group)
        x0, y0, x1, y1 = geom.bounds
        bounds += [(y0, x0 + shift), (y1, x1 + shift)]
    return bounds


def _add_sites(m, sites, ref) -> list:
    group = folium.FeatureGroup(name="Launch sites").add_to(m)
    points = [(s.lat, _near(s.lon, ref)) for s in sites]
    for s, point in zip(sites, points):
        marker = folium.CircleMarker(point, radius=6, color="#FFFFFF", weight=2, fill_color="#111111",
                                     fill_opacity=1.0)
        _bind(marker, f"<b>{_e(s.name)}</b><br>launch site", _place_facts("Launch site", s)).add_to(group)
    return points


def _add_targets(m, targets, grid, ref) -> list:
    """A marker per target, coloured by its best verdict over every site × missile."""
    group = folium.FeatureGroup(name="Targets").add_to(m)
    points = [(t.lat, _near(t.lon, ref)) for t in targets]
    for ti, (t, point) in enumerate(zip(targets, points)):
        rows = list(grid[:, :, ti].ravel())
        best = min((VERDICTS.index(r["verdict"]) for r in rows), default=None)
        head = f"<b>{_e(t.name)}</b>" + (f": {_e(VERDICTS[best])}" if best is not None else "")
        lines = "<br>".join(_verdict_line(r) for r in rows)
        marker = folium.CircleMarker(point, radius=7, color="#222222", weight=1.5, fill_opacity=0.95,
                                     fill_color="#888888" if best is None else VERDICT_COLORS[VERDICTS[best]])
        _bind(marker, f"{head}<br>{lines}", f"{_place_facts('Target', t)}<p>{lines}</p>").add_to(group)
    return points


def _add_paths(m, sites, targets, grid, ref) -> None:
    """The geodesic from each site to each target, starting at the site's (unwrapped) longitude."""
    group = folium.FeatureGroup(name="Geodesic paths").add_to(m)
    for si, s in enumerate(sites):
        for ti, t in enumerate(targets):
            line = np.asarray(geodesic_path(s.lat, s.lon, t.lat, t.lon, unwrap=True).coords)
            shift = 360.0 * round((_near(s.lon, ref) - line[0, 0]) / 360.0)
            tip = (f"{_e(s.name)} &rarr; {_e(t.name)}: "
                   f"{_km(float(distance_km(s.lat, s.lon, t.lat, t.lon)))} (geodesic)")
            path = folium.PolyLine([[lat, lon + shift] for lon, lat in line], color="#333333", weight=2,
                                   opacity=0.8, dash_array="2 5")
            _bind(path, tip, "<br>".join([tip, *map(_verdict_line, grid[si, :, ti])])).add_to(group)


def _offline_basemap(m, ref: float) -> None:
    """Plain background and a 30° graticule. Country outlines (a later issue) go here."""
    m.get_root().header.add_child(RawHtml(
        f"<style>.leaflet-container {{ background: {OFFLINE_BACKGROUND}; }}</style>"), name="offline_bg")
    grid = folium.FeatureGroup(name="Graticule 30°").add_to(m)
    west, east = 30 * np.floor((ref - 540) / 30), 30 * np.ceil((ref + 540) / 30)
    lines = [[[-MERCATOR_LAT_LIMIT, lon], [MERCATOR_LAT_LIMIT, lon]] for lon in np.arange(west, east + 1, 30.0)]
    for points in lines + [[[lat, west], [lat, east]] for lat in (-60, -30, 0, 30, 60)]:
        line = folium.PolyLine(points, color="#8C9BAA", weight=0.8, opacity=0.6).add_to(grid)
        line.options["interactive"] = False          # path_options() drops this option


_BOX = ("position:absolute;z-index:1000;background:rgba(255,255,255,0.92);padding:6px 10px;"
        "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.35);font:12px/1.4 sans-serif;color:#222;")


def _add_overlays(m, missiles, title) -> None:
    """Title, legend (missiles, verdict colours) and the caption, as escaped HTML."""
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
    keys = " ".join(f"<span style='white-space:nowrap'><span style='color:{c}'>&#9679;</span> {_e(v)}</span>"
                    for v, c in VERDICT_COLORS.items())
    sources = dict.fromkeys(p.strip() for mi in missiles for p in mi.source.split(";") if p.strip())
    caption = f"WGS84 geodesic range rings (Karney); ranges: {_e('; '.join(sources) or 'none given')}"
    root.html.add_child(RawHtml(
        f"<div class='rangemap-legend' style='{_BOX}bottom:24px;left:10px;max-width:380px'>{''.join(items)}"
        f"<div style='margin-top:3px'>&#9679; launch site &nbsp; {keys}</div>"
        f"<div class='rangemap-caption' style='margin-top:3px;color:#555;font-size:11px'>{caption}</div>"
        f"</div>"), name="rangemap_legend")
