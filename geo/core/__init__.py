"""The exact core: geodesy, range rings, the reach engine and ballistics.

Imports only numpy, pyproj and shapely (and :mod:`geo.errors`). Nothing here knows
about catalogs, scenarios or outputs.
"""
