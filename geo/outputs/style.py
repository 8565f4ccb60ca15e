"""Colours shared by every output (web map, print figure, KML, report), so they agree.

>>> PALETTE[0], VERDICT_COLORS["in range"]
('#0072B2', '#D7191C')
"""

from __future__ import annotations

from ..analysis.assessment import COUNTRY_VERDICTS, VERDICTS

__all__ = ["PALETTE", "VERDICT_COLORS", "FIGURE_COLORS"]

#: One colour per missile: Okabe & Ito's colour-blind-safe palette (yellow left out).
PALETTE = ("#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#D55E00", "#000000")
#: Target colour by verdict: in range, possibly in range, out of range, too close.
VERDICT_COLORS = dict(zip(VERDICTS, ("#D7191C", "#FD8D3C", "#7A8B9C", "#7B3294")))
#: A whole country: all or part of it within reach in the in-range colour, none in the out-of-range one.
VERDICT_COLORS.update(zip(COUNTRY_VERDICTS, ("#D7191C", "#D7191C", "#7A8B9C")))
#: The print figure's map: the sea, land, borders (as the web map's basemap), graticule and label leader lines.
FIGURE_COLORS = {"sea": "#DCE9F2", "land": "#F4F1EA", "border": "#A09A90", "graticule": "#9FB3C4", "leader": "#555555"}
