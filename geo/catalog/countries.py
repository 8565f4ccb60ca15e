"""Country outlines: Natural Earth 1:50m admin-0 countries, shipped with rangemap.

The outlines live in ``geo/data/countries/countries-50m.geojson`` (package data, see
:func:`geo.catalog.datafiles.data_dir`): 241 countries and territories in lon/lat (EPSG:4326),
RFC 7946 (cut at the antimeridian, exteriors counter-clockwise; Antarctica runs
along ±180° down to the South Pole and contains it). Each carries ``name``,
``iso_a3`` (ISO 3166-1 alpha-3; Natural Earth's own code for the few entities
without one, e.g. ``KOS`` for Kosovo), ``iso_n3`` (ISO numeric, or missing) and
``population`` (Natural Earth ``pop_est``; missing for small territories absent
from the 1:110m table). Natural Earth is in the public domain; see
``geo/data/README.md`` for provenance and ``scripts/build_countries.py`` to rebuild.

Next to it, ``countries-50m.wkb`` holds the same outlines as WKB (the same doubles, so
the same geometries exactly) and the same properties: it is read in a few milliseconds,
where parsing the GeoJSON takes 50-100 ms. :func:`encode_binary` writes it and
``scripts/build_countries.py`` rebuilds it; it records the size and SHA-256 of the GeoJSON
it was made from, and is used only while the GeoJSON still has that size (else the
GeoJSON is parsed). Layout: the line ``RANGEMAP-WKB 1``, one line of JSON (``source_bytes``,
``source_sha256``, ``offsets``, ``properties``), then the little-endian ISO WKB of every
feature, back to back, ``offsets`` giving where each ends.

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
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import shapely

from .datafiles import data_dir
from ..errors import CatalogFileError

__all__ = ["COUNTRIES_FILE", "BINARY_FILE", "COUNTRIES_SOURCE", "countries_path", "binary_path",
           "country_outlines", "country_records", "load_countries", "encode_binary", "decode_binary"]

#: File name of the outlines inside the data folder.
COUNTRIES_FILE = "countries/countries-50m.geojson"
#: File name of their binary (WKB) copy, read instead when it matches the GeoJSON.
BINARY_FILE = "countries/countries-50m.wkb"
_MAGIC = b"RANGEMAP-WKB 1\n"

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


def binary_path() -> Path:
    """Path of the binary (WKB) copy of the outlines.

    >>> binary_path().name
    'countries-50m.wkb'
    """
    return data_dir() / BINARY_FILE


@functools.lru_cache(maxsize=1)
def _read() -> tuple[tuple[dict, ...], np.ndarray]:
    """Properties and geometries of every feature, in file order (read once): from the binary
    copy when it was made from the GeoJSON as it is, else from the GeoJSON."""
    path = countries_path()
    try:
        size = path.stat().st_size
        blob = binary_path().read_bytes()
    except OSError:
        blob = b""
    if blob:
        try:
            props, geoms, source = decode_binary(blob)
        except ValueError:
            source = None
        if source is not None and source["source_bytes"] == size:
            geoms.flags.writeable = False
            return props, geoms
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CatalogFileError(f"{path}: cannot read the country outlines ({e.strerror}): reinstall rangemap") from None
    props, geoms = _parse(text, path)
    geoms.flags.writeable = False
    return props, geoms


def _parse(text: str, path) -> tuple[tuple[dict, ...], np.ndarray]:
    try:
        geoms = shapely.get_parts(shapely.from_geojson(text))
    except shapely.errors.GEOSException as e:
        raise CatalogFileError(f"{path}: not valid GeoJSON ({e}): rebuild it with scripts/build_countries.py") from None
    props = [json.loads(m) for m in _PROPERTIES.findall(text)]
    if len(props) != len(geoms):     # not the compact layout: take the slow, general road
        props = [f["properties"] for f in json.loads(text)["features"]]
    return tuple(props), geoms


def encode_binary(geojson: bytes) -> bytes:
    """The binary (WKB) copy of the outlines in the GeoJSON text `geojson` (bytes, UTF-8).

    Deterministic: the same GeoJSON gives the same bytes.

    >>> blob = encode_binary(countries_path().read_bytes())
    >>> props, geoms, source = decode_binary(blob)
    >>> bool(shapely.equals_exact(geoms, country_outlines(), tolerance=0).all())
    True
    """
    props, geoms = _parse(geojson.decode("utf-8"), "GeoJSON")
    wkbs = shapely.to_wkb(geoms, output_dimension=2, byte_order=1, flavor="iso")
    header = {"source_bytes": len(geojson), "source_sha256": hashlib.sha256(geojson).hexdigest(),
              "offsets": np.cumsum([len(w) for w in wkbs]).tolist(), "properties": list(props)}
    return (_MAGIC + json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            + b"".join(wkbs))


def decode_binary(blob: bytes) -> tuple[tuple[dict, ...], np.ndarray, dict]:
    """Properties, geometries and source (``source_bytes``, ``source_sha256``) of a binary copy;
    ValueError if `blob` is not one."""
    if not blob.startswith(_MAGIC):
        raise ValueError("not a rangemap WKB file")
    end = blob.index(b"\n", len(_MAGIC))
    header = json.loads(blob[len(_MAGIC):end])
    body = memoryview(blob)[end + 1:]
    ends = header["offsets"]
    if len(body) != (ends[-1] if ends else 0) or len(ends) != len(header["properties"]):
        raise ValueError("truncated rangemap WKB file")
    starts = [0, *ends[:-1]]
    geoms = shapely.from_wkb(np.array([bytes(body[a:b]) for a, b in zip(starts, ends)], dtype=object))
    source = {k: header[k] for k in ("source_bytes", "source_sha256")}
    return tuple(header["properties"]), geoms, source


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
