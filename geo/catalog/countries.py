"""Country outlines: Natural Earth 1:50m admin-0 countries, shipped with rangemap.

The outlines live in ``data/countries/countries-50m.geojson`` (``geo/data/countries/``
in an installed copy): 241 countries and territories in lon/lat (EPSG:4326),
RFC 7946 (cut at the antimeridian, exteriors counter-clockwise; Antarctica runs
along ±180° down to the South Pole and contains it). Each carries ``name``,
``iso_a3`` (ISO 3166-1 alpha-3; Natural Earth's own code for the few entities
without one, e.g. ``KOS`` for Kosovo), ``iso_n3`` (ISO numeric, or missing) and
``population`` (Natural Earth ``pop_est``; missing for small territories absent
from the 1:110m table). Natural Earth is in the public domain; see
``data/README.md`` for provenance and ``scripts/build_countries.py`` to rebuild.

The file is read once per process (about 0.2 s) with shapely's GeoJSON reader.

Examples
--------
>>> import shapely
>>> outlines = country_outlines()
>>> len(outlines) > 200, bool(shapely.is_valid(outlines).all())
(True, True)
>>> world = load_countries()
>>> japan = world[world.iso_a3 == "JPN"].iloc[0]
>>> japan["name"], int(japan.population) > 100_000_000
('Japan', True)
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import numpy as np
import shapely

from .tables import data_dir
from ..errors import CatalogFileError

__all__ = ["COUNTRIES_FILE", "COUNTRIES_SOURCE", "countries_path", "country_outlines", "load_countries"]

#: File name of the outlines inside the data folder.
COUNTRIES_FILE = "countries/countries-50m.geojson"

#: Credit line for figures and maps that draw the outlines.
COUNTRIES_SOURCE = "Natural Earth 1:50m admin-0 countries (public domain)"

COLUMNS = ("name", "iso_a3", "iso_n3", "population")

# Each feature's properties are one flat JSON object (the build script writes them so).
_PROPERTIES = re.compile(r'"properties":(\{[^{}]*\})')


def countries_path() -> Path:
    """Path of the shipped country outlines (GeoJSON).

    >>> countries_path().name
    'countries-50m.geojson'
    """
    return data_dir() / COUNTRIES_FILE


@functools.lru_cache(maxsize=1)
def _read() -> tuple[tuple[dict, ...], np.ndarray]:
    """Properties and geometries of every feature, in file order (read once)."""
    path = countries_path()
    try:
        text = path.read_text(encoding="utf-8")
        geoms = shapely.get_parts(shapely.from_geojson(text))
    except OSError as e:
        raise CatalogFileError(f"{path}: cannot read the country outlines ({e.strerror}): reinstall rangemap") from None
    except shapely.errors.GEOSException as e:
        raise CatalogFileError(f"{path}: not valid GeoJSON ({e}): rebuild it with scripts/build_countries.py") from None
    props = [json.loads(m) for m in _PROPERTIES.findall(text)]
    if len(props) != len(geoms):     # not the compact layout: take the slow, general road
        props = [f["properties"] for f in json.loads(text)["features"]]
    geoms.flags.writeable = False
    return tuple(props), geoms


def country_records() -> tuple[tuple[dict, ...], np.ndarray]:
    """Every country's properties (name, iso_a3, iso_n3, population) and outline, without pandas.

    >>> props, geoms = country_records()
    >>> len(props) == len(geoms), sorted(props[0])
    (True, ['iso_a3', 'iso_n3', 'name', 'population'])
    """
    props, geoms = _read()
    return props, geoms.copy()


def country_outlines() -> np.ndarray:
    """Every country's outline as a numpy array of shapely (Multi)Polygons in lon/lat.

    For renderers that need geometry only: no pandas involved. The array is a copy;
    its geometries are shared (shapely geometries are immutable).

    >>> import shapely
    >>> bool(shapely.intersects_xy(country_outlines(), 0.0, -90.0).any())   # Antarctica
    True
    """
    return _read()[1].copy()


@functools.lru_cache(maxsize=1)
def _frame():
    import geopandas as gpd
    import pandas as pd

    props, geoms = _read()
    table = pd.DataFrame.from_records(list(props), columns=list(COLUMNS))
    table["population"] = table["population"].astype("Int64")
    return gpd.GeoDataFrame(table, geometry=list(geoms), crs="EPSG:4326")


def load_countries():
    """The country outlines as a GeoDataFrame (EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``iso_a3``, ``iso_n3``, ``population`` (nullable integer)
        and ``geometry``; one row per country or territory, sorted by name. A fresh
        copy each call, built from a cached table.

    Examples
    --------
    >>> world = load_countries()
    >>> list(world.columns), world.crs.to_epsg()
    (['name', 'iso_a3', 'iso_n3', 'population', 'geometry'], 4326)
    """
    return _frame().copy()
