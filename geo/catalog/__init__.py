"""The catalogs: launch sites, missile classes, targets, places by name and country outlines, each sourced.

Imports only :mod:`geo.core` (for validation) and the standard library; the GeoNames
place index (:mod:`geo.catalog.places`) and coordinate reading (:mod:`geo.catalog.coords`)
stay free of pandas and shapely.
"""

from .coords import format_coordinates, parse_coordinates
from .tables import Catalog, Missile, Place, data_dir, default_catalog, parse_latlon

__all__ = ["Catalog", "Missile", "Place", "data_dir", "default_catalog", "parse_latlon", "parse_coordinates",
           "format_coordinates"]
