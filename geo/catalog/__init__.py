"""The catalogs: launch sites, missile classes, targets and country outlines, each row sourced.

Imports only :mod:`geo.core` (for validation) and the standard library.
"""

from .tables import Catalog, Missile, Place, data_dir, default_catalog, parse_latlon

__all__ = ["Catalog", "Missile", "Place", "data_dir", "default_catalog", "parse_latlon"]
