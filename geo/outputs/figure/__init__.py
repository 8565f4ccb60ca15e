"""Print figures: range rings on a map for pages and slides, saved as PNG, SVG or PDF.

Two views (``view``):

* ``"site"``: the azimuthal equidistant projection on WGS84 centred on the first launch
  site (PROJ ``aeqd``, Karney's geodesics). Every distance from that site is true, so its
  range rings are exact circles, its geodesics to the targets are straight, and a scale bar
  holds along every line through it. Rings around other sites are projected from the exact
  lon/lat regions. Near the antipode of the centre the projection degenerates (the antipode
  maps to the whole rim), so nothing is drawn beyond :data:`CUT` of half a meridian.
* ``"world"``: the Equal Earth projection (PROJ ``eqearth``, equal-area) of the whole
  globe. A ring wider than :data:`WORLD_VIEW_KM` leaves out only a cap around the antipode,
  which the site view would smear around its rim; a world map shows the whole reach and
  the whole out-of-range cap in one piece, with areas true (an orthographic globe shows half
  the Earth: a ring wider than a quarter meridian, 10,002 km, lies wholly on the hemisphere
  hidden from the site). The central meridian is chosen so that the map's edge crosses
  neither site, target nor ring where it can be helped. ``"auto"`` (the default) takes the
  world view for reaches of :data:`WORLD_VIEW_KM` and more.

Labels are placed so that none overlaps another, a marker, the scale bar or a leader line:
each label tries spots beside its marker, then farther out along a leader line; a label that
fits nowhere is left out and the caption counts it. The caption names each source once.
Sizes (:data:`SIZES`) fit slides and pages; distances are shown in km, mi or nmi.

All text comes from the user's data and is printed literally (no mathtext: a name
with ``$`` stays as typed). Matplotlib is used without pyplot: no display needed.

The figure only draws: every number it shows (distances, reaches, verdicts, the outlines'
reach profiles) comes from the :class:`~geo.analysis.assessment.Assessment`. The package is
split by operation:

* :mod:`.options`: sizes, resolutions, label and view choices; the matplotlib settings.
* :mod:`.projection`: the site and world projections; the world view's central meridian.
* :mod:`.drawing`: land, graticule, reach regions and rings, paths, markers, scale bar, legend.
* :mod:`.labels`: label placement without overlaps, leader lines.
* :mod:`.caption`: subtitle and caption (each source once), line wrapping.
* :mod:`.metrics`: text measured once (widths from the font, label extents per figure).
* :mod:`.layout`: :func:`figure`, the page layout and the order of drawing.
* :mod:`.saving`: :func:`save_figure` (a file, atomically) and :func:`figure_bytes` (in memory).

Examples
--------
>>> from geo.catalog import default_catalog
>>> cat = default_catalog()
>>> fig = figure(cat.site("Chagang"), cat.missile("Hwasong-12"), cat.target("Guam"))
>>> fig.texts[0].get_text()
'Hwasong-12 range from Hoejung-ri missile operating base (Chagang)'
>>> [round(float(v), 3) for v in figure("Chagang", "HS-12", size="16:9").get_size_inches()]
[13.333, 7.5]
>>> figure_bytes(figure("Chagang", "HS-12"), "pdf").read(5)
b'%PDF-'
"""

from __future__ import annotations

from ..style import PALETTE, VERDICT_COLORS
from .layout import figure
from .metrics import TextMetrics, text_width
from .options import (FORMATS, LABELS, MAX_DPI, MIN_DPI, RC, SIZE_NAMES, SIZES, VIEWS, WIDTH_RANGE_IN, WORLD_VIEW_KM,
                      check_dpi, check_labels, check_view, page_size)
from .projection import CUT, Projection, WorldProjection
from .saving import figure_bytes, save_figure

__all__ = ["figure", "save_figure", "figure_bytes", "Projection", "WorldProjection", "page_size", "check_dpi",
           "check_labels", "check_view", "text_width", "TextMetrics", "FORMATS", "PALETTE", "VERDICT_COLORS", "CUT",
           "SIZES", "SIZE_NAMES", "LABELS", "VIEWS", "MAX_DPI", "MIN_DPI", "WIDTH_RANGE_IN", "WORLD_VIEW_KM", "RC"]
