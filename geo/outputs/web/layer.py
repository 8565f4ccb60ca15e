"""``geo.RangeLayer``: rangemap's range rings, sites, targets and paths as a folium layer.

A :class:`folium.map.Layer` (so :class:`folium.LayerControl` lists it) whose Jinja ``script``
macro calls ``rangemap.layer(map, data)`` (``js/rangemap.js``) on its parent map, with the
blob of :func:`geo.outputs.web.data.map_data` escaped for a ``<script>`` element and for
folium, which compiles the script it renders as a Jinja template again
(:func:`geo.outputs.escape.js_literal`: braces in strings escaped too). rangemap's script and styles are registered
once per page, inline (:mod:`geo.outputs.web.assets`). User text is data, never template:
``{{ }}``, ``{% %}`` and ``${ }`` in a name stay text.

>>> import folium
>>> m = folium.Map(tiles=None)
>>> layer = RangeLayer(as_assessment("Chagang", ["Hwasong-12", "KN-23"], "Guam")).add_to(m)
>>> RangeLayer(as_assessment("Sohae", "Hwasong-15")).add_to(m) is not layer
True
>>> page = m.get_root().render()
>>> page.count("rangemap.layer(map_"), page.count("rangemap.layers = "), layer.layer_name
(2, 1, 'Hwasong-12, KN-23 from Chagang')
"""

from __future__ import annotations

from folium.map import Layer
from jinja2 import Template

from ...analysis.assessment import as_assessment
from .. import escape
from ..formatting import check_units
from .assets import register
from .data import map_data, short_name

__all__ = ["RangeLayer", "as_assessment"]


class RangeLayer(Layer):
    """Range regions, launch sites, targets, geodesic paths, labels and a legend, on a folium map.

    Parameters
    ----------
    assessment : Assessment or Scenario
        What to draw (a :class:`~geo.analysis.scenario.Scenario` is assessed once, by ``geo.assess``).
    units : {"km", "mi", "nmi"}
        Units of every distance shown (labels, tooltips, legend).
    labels : bool
        Show labels (they never overlap each other, markers or controls; the legend switches them).
    name : str, optional
        The name in :class:`folium.LayerControl` (default: the missiles and the first site).
    show : bool
        Shown when the page opens.
    title : str, optional
        A title box over the map.
    shaded : sequence of (label, polygon)
        Areas to hatch (lon/lat shapely polygons), e.g. countries a missile covers.
    fit : bool
        Fit the map to this layer once it has a size, and keep the view within the world
        copies drawn (what :func:`geo.build_map` does).
    tiles : str, optional
        Name of a tile layer under the rings, for the legend's caption.
    first_color : int
        Entry of the palette (:data:`geo.outputs.style.PALETTE`) of the first missile, so that
        several layers on one map tell apart.

    Attributes
    ----------
    assessment : Assessment
    data : dict
        The blob drawn (:func:`geo.outputs.web.data.map_data`).
    bounds : list
        ``[[south, west], [north, east]]`` of everything drawn, for ``folium.Map.fit_bounds``.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
    var {{ this.get_name() }} = rangemap.layer({{ this._parent.get_name() }}, {{ this.json }}, {{ this.options_json }});
{% endmacro %}
""")

    def __init__(self, assessment, *, units: str = "km", labels: bool = True, name: str | None = None,
                 show: bool = True, title: str | None = None, shaded=(), fit: bool = False,
                 tiles: str | None = None, first_color: int = 0):
        a = as_assessment(assessment)
        if name is None:
            name = f"{', '.join(m.name for m in a.missiles)} from {short_name(a.sites[0])}"
        # Leaflet's layer control shows names as HTML: hand it the name as HTML text (braces too:
        # folium renders the control's script as a Jinja template again).
        super().__init__(name=escape.html(str(name), braces=True), overlay=True, control=True, show=show)
        self._name = "RangeLayer"
        self.assessment = a
        self.data = map_data(a, title=title, shaded=shaded, tiles=tiles, units=check_units(units),
                             first_color=int(first_color))
        self.json = escape.js_literal(self.data)
        self.options_json = escape.js_literal({"fit": bool(fit), "labels": bool(labels)})

    @property
    def bounds(self) -> list:
        return self.data["fit"]

    def render(self, **kwargs):
        register(self.get_root())
        super().render(**kwargs)
