"""rangemap: exact ballistic-missile range rings, in-range checks and maps on WGS84.

The public API, in the order data flows: catalog → scenario → assessment → outputs.

>>> import geo
>>> a = geo.assess(geo.Scenario.resolve("Chagang", "Hwasong-12", "Guam"))
>>> a.check(0, 0, 0).verdict
'in range'
>>> geo.check("Chagang", "Hwasong-12", "Guam").verdict
'in range'
>>> round(geo.distance_km(41.369883, 126.913631, 13.58111, 144.92444), 1)
3540.3

Layers (folders): :mod:`geo.core` (geodesy, rings, engine, ballistics), :mod:`geo.catalog`,
:mod:`geo.analysis` (scenario, assessment, coverage, batch), :mod:`geo.outputs` (web map,
figure, exports, report) and :mod:`geo.cli`. Functions that pull in heavy libraries
(shapely, pandas, folium, matplotlib) load on first use, so ``rangemap check`` starts quickly.
"""

from __future__ import annotations

import importlib

from .errors import CatalogFileError, InputError, InputTypeError, NotFoundError, OutputError, RangemapError

__version__ = "0.1.0"

__all__ = [
    # catalogs
    "Catalog", "Place", "Missile", "default_catalog", "cities", "capitals",
    # scenario and assessment
    "Scenario", "assess", "Assessment", "Check", "VERDICTS", "MODELS",
    # geodesy and geometry
    "distance_km", "bearing_deg", "geodesic_path", "range_ring", "display_ring", "footprint",
    # analysis views
    "check", "check_table", "threats", "in_range_matrix", "coverage", "overflight", "loft_range",
    # maps, figures, exports, reports
    "build_map", "write_map", "embed_html", "RangeLayer", "build_live_map", "write_live_map", "figure", "save_figure",
    "figure_bytes", "export", "build_report", "write_report",
    # errors
    "RangemapError", "InputError", "InputTypeError", "NotFoundError", "CatalogFileError", "OutputError",
]

#: Where each public name lives; loaded on first use, so that importing geo (and starting the
#: ``rangemap`` command, which sets up numpy first) costs nothing.
_LAZY = {
    "Catalog": "geo.catalog.tables",
    "Place": "geo.catalog.tables",
    "Missile": "geo.catalog.tables",
    "default_catalog": "geo.catalog.tables",
    "cities": "geo.catalog.targetsets",
    "capitals": "geo.catalog.targetsets",
    "Scenario": "geo.analysis.scenario",
    "MODELS": "geo.analysis.scenario",
    "assess": "geo.analysis.assessment",
    "Assessment": "geo.analysis.assessment",
    "Check": "geo.analysis.assessment",
    "VERDICTS": "geo.analysis.assessment",
    "check": "geo.analysis.reach",
    "check_table": "geo.analysis.reach",
    "threats": "geo.analysis.threats",
    "distance_km": "geo.core.geodesy",
    "bearing_deg": "geo.core.geodesy",
    "geodesic_path": "geo.core.geodesy",
    "range_ring": "geo.core.rings",
    "display_ring": "geo.core.rings",
    "footprint": "geo.analysis.regions",
    "in_range_matrix": "geo.core.engine",
    "coverage": "geo.analysis.coverage",
    "overflight": "geo.analysis.coverage",
    "loft_range": "geo.core.ballistics",
    "build_map": "geo.outputs.web.page",
    "write_map": "geo.outputs.web.offline",
    "embed_html": "geo.outputs.web.offline",
    "RangeLayer": "geo.outputs.web.layer",
    "build_live_map": "geo.outputs.live",
    "write_live_map": "geo.outputs.live",
    "figure": "geo.outputs.figure",
    "save_figure": "geo.outputs.figure",
    "figure_bytes": "geo.outputs.figure",
    "export": "geo.outputs.export",
    "build_report": "geo.outputs.report",
    "write_report": "geo.outputs.report",
}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
