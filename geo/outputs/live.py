"""The live map: one self-contained HTML file to explore what-ifs in the browser.

The reader moves the launch site (drag its marker, pick a catalog site, search a place
by name), chooses the reach (a missile class from the embedded catalog, or a typed range
in km, mi or nmi), and sees the rings redrawn at once, exact on WGS84: the page computes
them with Karney's algorithms (GeographicLib's JavaScript port, vendored in
``geo/outputs/web/vendor/``) under every rule of :func:`geo.core.rings.display_ring`
(``geo/outputs/js/rings.js``). Clicking the map or dragging a target gives distance,
bearing, margin, verdict and flight time, with the geodesic path drawn. The state lives
in the URL fragment; a button downloads the rings and targets as GeoJSON.

The page is a folium page (a ``folium.Map`` whose script calls ``rangemap.live(map)``; the
panel and the verdict legend are Leaflet controls of that map), written offline by
:func:`geo.outputs.web.offline.offline_html`. It makes no network request: Leaflet is inlined from ``xstatic-leaflet``, country
outlines come from :func:`geo.outputs.web.basemap.land_data`, and the JavaScript
(``geo/outputs/js/*.js``) is fed one JSON blob. Flight times are not re-derived in
JavaScript: Python tabulates the assessment's flight time (:func:`geo.assess`) against
distance for every missile (and over a grid of typed ranges; :mod:`geo.analysis.flight_tables`),
and the page interpolates: this module draws, it computes nothing.

Examples
--------
>>> page = build_live_map("Chagang", "Hwasong-12", ["Guam"])
>>> page.startswith("<!DOCTYPE html>"), "<script src=" in page, "L.circle(" in page
(True, False, False)
>>> data = live_data(*as_scenario("Chagang", "Hwasong-12", ["Guam"]))
>>> data["scenario"]["site"]["name"], data["missiles"][data["scenario"]["missile"]]["name"]
('Hoejung-ri missile operating base (Chagang)', 'Hwasong-12')
"""

from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources
from typing import Sequence

import numpy as np

from ..analysis.assessment import VERDICTS, Assessment
from ..analysis.flight_tables import BAND_NODES, FLIGHT_NODES, band_flight_table, flight_table, typed_flight_table
from ..analysis.scenario import Scenario, as_scenario
from ..catalog.tables import Catalog, Missile, Place, default_catalog
from ..errors import InputError
from .files import write_atomic
from .formatting import KM_PER_UNIT
from .style import PALETTE, VERDICT_COLORS
from . import escape
from .escape import js_literal
from .web.basemap import BORDER_COLOR, LAND_COLOR, OFFLINE_BACKGROUND, land_data
from .web.offline import offline_html
from .web.data import BAND_OPACITY, CERTAIN_OPACITY

__all__ = ["build_live_map", "write_live_map", "live_data", "LiveMap", "flight_table", "band_flight_table",
           "typed_flight_table", "CITY_MIN_POPULATION", "FLIGHT_NODES", "BAND_NODES"]

#: Cities of at least this many people (GeoNames) can be searched in the page.
CITY_MIN_POPULATION = 1_000_000
_SCRIPTS = ("rings.js", "verdict.js", "live.js")


class LiveMap(str):
    """The page of a live map (a ``str``); shows itself in Jupyter as a sandboxed iframe."""

    def _repr_html_(self) -> str:
        return ('<iframe class="rangemap-live" title="Live range map" style="width:100%;height:600px;border:0;'
                'display:block" sandbox="allow-scripts allow-downloads" referrerpolicy="no-referrer" '
                f'srcdoc="{html.escape(str(self), quote=True)}"></iframe>')


def build_live_map(sites, missiles=(), targets: Sequence = (), *, title: str | None = None,
                   catalog: Catalog | None = None) -> LiveMap:
    """One self-contained HTML page in which the reader explores the scenario.

    Parameters
    ----------
    sites, missiles, targets
        Anything :func:`geo.analysis.scenario.as_scenario` takes: Place / Missile objects,
        catalog names or aliases, ``"LAT,LON"`` or ``(lat, lon)``, ranges in km; or an
        :class:`~geo.analysis.assessment.Assessment` (or a Scenario) as `sites` alone. The
        page opens on the first site and the first missile; the others are offered first
        in its lists; every target is checked.
    title : str, optional
        Shown above the panel and as the page title (default: the scenario's title, if any).
    catalog : Catalog, optional
        Resolves names and fills the page's lists (sites, missiles, places to search);
        the builtin catalogs by default.

    Returns
    -------
    LiveMap
        The whole HTML document (a ``str``); write it with :func:`write_live_map`.

    Raises
    ------
    geo.errors.InputError
        Without a site or a missile, or for any bad name or value.

    Examples
    --------
    >>> page = build_live_map(Place("A <b>site</b>", 40.0, 125.0), Missile("M", 1000.0), title="</title>")
    >>> "<b>site</b>" in page, "<title>&lt;/title&gt;</title>" in page
    (False, True)
    """
    if isinstance(sites, Assessment):
        sites = sites.scenario
    if isinstance(sites, Scenario):
        title = sites.title if title is None else title
        sites, missiles, targets = sites.sites, sites.missiles, sites.targets
    else:
        sites, missiles, targets = as_scenario(sites, missiles, targets, catalog)
    data = live_data(sites, missiles, targets, title=title, catalog=catalog)
    return LiveMap(offline_html(live_folium_map(data, float(sites[0].lon), title or
                                                f"rangemap live map: {missiles[0].name} from {sites[0].name}")))


def live_folium_map(data: dict, ref: float, title: str):
    """The folium map of the live page: Leaflet's map with the panel, the legend and the data in
    the page (raw elements: folium never reads them as a template), ``rangemap.live(map)`` in its script."""
    import folium
    from jinja2 import Template

    from .web.assets import InlineScript, InlineStyle, Raw
    from .web.page import RangeMap, stable_ids

    class LivePanel(folium.MacroElement):
        _template = Template("{% macro script(this, kwargs) %}rangemap.live({{ this._parent.get_name() }});"
                             "{% endmacro %}")

    m = RangeMap(location=[0.0, ref], zoom_start=2, tiles=None, zoom_control="topright", min_zoom=1,
                 world_copy_jump=False, zoom_snap=0.25, zoom_delta=0.5, attribution_control=False)
    root = m.get_root()
    root.title = escape.html(escape.xml_clean(title))
    for name, element in (("live_css", InlineStyle(_asset("live.css"))), ("geographiclib", InlineScript(_vendored())),
                          ("rings_js", InlineScript(_script("rings.js"))),
                          ("verdict_js", InlineScript(_script("verdict.js"))), ("live_js", InlineScript(_script("live.js")))):
        root.header.add_child(element, name=name)
    root.html.add_child(Raw(_asset("live-panel.html")), name="live_panel")
    root.html.add_child(Raw(f'<script type="application/json" id="rangemap-data">{js_literal(data)}</script>'),
                        name="live_data")
    root.html.add_child(Raw(f'<script type="application/json" id="rangemap-land">{land_data(ref)[0]}</script>'),
                        name="live_land")
    LivePanel().add_to(m)
    stable_ids(m, js_literal(data))
    return m



def write_live_map(page: str, path):
    """Write the page of :func:`build_live_map` to `path` atomically; returns the path.

    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "live.html"
    >>> write_live_map(build_live_map("Chagang", 1000), out) == out
    True
    """
    if not isinstance(page, str) or not page.startswith("<!DOCTYPE html>"):
        raise InputError("write_live_map writes the page that build_live_map returns")
    return write_atomic(path, page)


def live_data(sites: Sequence[Place], missiles: Sequence[Missile], targets: Sequence[Place] = (), *,
              title: str | None = None, catalog: Catalog | None = None) -> dict:
    """The JSON blob the page's script reads: scenario, catalog, places, flight tables, styles.

    `sites`, `missiles` and `targets` are resolved (Place and Missile objects).

    >>> d = live_data([Place("S", 1.0, 2.0)], [Missile("M", 1000.0)])
    >>> d["scenario"]["site"], d["missiles"][0]["name"], len(d["missiles"][0]["flight"]) == FLIGHT_NODES + 1
    ({'name': 'S', 'lat': 1.0, 'lon': 2.0, 'source': ''}, 'M', True)
    """
    if not sites:
        raise InputError("a live map needs a launch site: give --site NAME or LAT,LON")
    if not missiles:
        raise InputError("a live map needs a missile or a range: give --missile NAME or --range KM")
    catalog = catalog or default_catalog()
    site_list = _unique(list(sites) + list(catalog.sites))
    missile_list = _unique(list(missiles) + list(catalog.missiles))
    return {
        "title": title,
        "verdicts": list(VERDICTS),
        "units": dict(KM_PER_UNIT),
        "scenario": {"site": _place(sites[0]), "missile": 0, "range_km": None, "units": "km",
                     "targets": [_place(t) for t in targets]},
        "sites": [_place(s) for s in site_list],
        "missiles": [_missile(m) for m in missile_list],
        "places": _places(site_list, list(targets) + list(catalog.targets)),
        "cities": _big_cities(),
        "city_min_population_text": f"{CITY_MIN_POPULATION:,}",
        "flight": {"typed": typed_flight_table(),
                   "model": "geo.assess: the class missile's maximum-range programme, thrust cut off to land there "
                            "(geo.core.ballistics), tabulated in Python and interpolated"},
        "geographiclib": _vendor_info()["version"],
        "style": {"ring": PALETTE[0], "verdict_colors": dict(VERDICT_COLORS), "band_opacity": BAND_OPACITY,
                  "certain_opacity": CERTAIN_OPACITY, "land": LAND_COLOR, "border": BORDER_COLOR,
                  "sea": OFFLINE_BACKGROUND},
        "caption": _caption(),
    }


def _place(p: Place) -> dict:
    return {"name": p.name, "lat": float(p.lat), "lon": float(p.lon), "source": p.source}


def _missile(m: Missile) -> dict:
    return {"name": m.name, "aliases": list(m.aliases), "type": m.type, "range_km": float(m.range_km),
            "certain_km": float(m.certain_km), "max_km": float(m.max_km),
            "min_range_km": None if m.min_range_km is None else float(m.min_range_km),
            "source": m.source, "confidence": m.confidence, "notes": m.notes, "flight": list(flight_table(m)),
            "flight_band": list(band_flight_table(m))}


def _unique(items: list) -> list:
    """First of each name (Place or Missile), in order."""
    seen, out = set(), []
    for item in items:
        if item.name not in seen:
            seen.add(item.name)
            out.append(item)
    return out


def _places(sites: Sequence[Place], targets: Sequence[Place]) -> list[dict]:
    """Catalog places the page can search: launch sites, then targets."""
    return [dict(_place(p), kind=kind, aliases=list(p.aliases), country=p.country)
            for kind, group in (("launch site", sites), ("target", _unique(list(targets)))) for p in group]


@functools.lru_cache(maxsize=1)
def _big_cities() -> list[list]:
    """Cities of CITY_MIN_POPULATION people or more (GeoNames), largest first: [name, country, lat, lon]."""
    from ..analysis.coverage import _cities

    names, country, lat, lon, pop = _cities(15000)
    order = [i for i in np.argsort(-pop, kind="stable") if pop[i] >= CITY_MIN_POPULATION]
    return [[str(names[i]), str(country[i]), round(float(lat[i]), 4), round(float(lon[i]), 4)] for i in order]


def _caption() -> str:
    from ..catalog.countries import COUNTRIES_SOURCE

    return (f"Rings and distances: WGS84 geodesics (Karney), computed in this page with GeographicLib "
            f"{_vendor_info()['version']}; every vertex on the circle, every edge within 1 km of it. "
            "Flight times: the class missile's maximum-range programme, thrust cut off to land there (rangemap's ballistics, "
            "tabulated), on a non-rotating Earth. "
            f"Country outlines: {COUNTRIES_SOURCE}; cities: GeoNames.")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("js", name).read_text(encoding="utf-8")


def _script(name: str) -> str:
    return _inlinable(name, _asset(name))


@functools.lru_cache(maxsize=1)
def _vendor_info() -> dict:
    return json.loads(resources.files(__package__).joinpath("web", "vendor", "geographiclib-geodesic.json")
                      .read_text(encoding="utf-8"))


def _vendored() -> str:
    info = _vendor_info()
    text = resources.files(__package__).joinpath("web", "vendor", info["file"]).read_text(encoding="utf-8")
    return (f"/* GeographicLib {info['version']} (geographiclib-geodesic, MIT licence, (c) Charles Karney; "
            f"see vendor/geographiclib-geodesic.LICENSE.txt) */\n" + _inlinable(info["file"], text))


def _inlinable(name: str, text: str) -> str:
    """`text` unchanged if it can sit inside a ``<script>`` element; else RuntimeError."""
    if re.search(r"</script|<!--|<script", text, re.IGNORECASE):
        raise RuntimeError(f"{name} cannot be inlined in a <script> element")
    return text
