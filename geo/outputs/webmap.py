"""Web maps (kept for its importers): everything moved to :mod:`geo.outputs.web`.

:func:`build_map` returns a ``folium.Map`` (:mod:`geo.outputs.web.page`), :func:`write_map`
writes any folium map offline (:mod:`geo.outputs.web.offline`), :func:`map_html` is that page
as text, and the blob drawn is :func:`geo.outputs.web.data.map_data`.

>>> m = build_map("Chagang", "Hwasong-12", "Guam")
>>> page = map_html(m)
>>> "<script src=" in page, "L.circle(" in page, "tile.openstreetmap" in page
(False, False, False)
"""

from __future__ import annotations

from .escape import js_literal, json_for_script
from .style import PALETTE, VERDICT_COLORS
from .web.basemap import BORDER_COLOR, LAND_COLOR, OFFLINE_BACKGROUND
from .web.data import BAND_OPACITY, CERTAIN_OPACITY, PATH_DECIMALS, PATH_TOLERANCE_M, SHADE_COLOR, map_data, simplify_path
from .web.layer import RangeLayer
from .web.offline import embed_html, offline_html, write_map
from .web.page import TILES, RangeMap, build_map

__all__ = ["build_map", "write_map", "map_html", "embed_html", "map_data", "RangeMap", "RangeLayer",
           "json_for_script", "js_literal", "TILES", "PALETTE", "VERDICT_COLORS", "OFFLINE_BACKGROUND", "LAND_COLOR",
           "BORDER_COLOR", "SHADE_COLOR", "BAND_OPACITY", "CERTAIN_OPACITY", "PATH_DECIMALS", "PATH_TOLERANCE_M",
           "simplify_path"]

map_html = offline_html
