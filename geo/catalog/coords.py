"""Coordinates as people write them: decimal, with hemisphere letters, or degrees-minutes-seconds.

:func:`parse_coordinates` reads one latitude and one longitude, latitude first unless
hemisphere letters say otherwise:

* ``41.37,126.91``, ``41.37 126.91``, ``-12.4 130.9`` (south and west negative);
* ``41.37N 126.91E``, ``N41.37 E126.91``, ``12.4°S 130.9°E`` (letters before or after);
* ``41°22'12"N 126°54'49"E``, ``41°22.2′N 126°54.8′E`` (degrees, minutes, seconds);
* ``41 22 12 N, 126 54 49 E``, ``41 22 12, 126 54 49`` (the same, spaced).

Text with no digit, or with letters other than N, S, E and W, is not coordinates
(:func:`parse_coordinates` returns None: it is a name). Text that looks like
coordinates but cannot be read as exactly one pair (out of range, minutes of 60 or
more, two latitudes, a sign and a letter that disagree, a split into latitude and
longitude that could go two ways) raises :class:`~geo.errors.InputError` whose
message shows an accepted form.

Examples
--------
>>> parse_coordinates("41°22'12\\"N 126°54'49\\"E")
(41.37, 126.91361111111111)
>>> parse_coordinates("12.4S, 130.9E"), parse_coordinates("Chagang") is None
((-12.4, 130.9), True)
>>> parse_coordinates("10 20 30 40")
Traceback (most recent call last):
...
geo.errors.InputError: '10 20 30 40' can be read more than one way (10°, 20°30'40" or 10°20', 30°40' or ...): separate latitude and longitude with a comma and add N/S and E/W, e.g. 41°22'12"N, 126°54'49"E
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from ..errors import InputError

__all__ = ["parse_coordinates", "format_coordinates", "looks_like_coordinates", "ACCEPTED_FORMS", "STYLES"]

#: Forms shown in error messages.
ACCEPTED_FORMS = "41.37,126.91 or 41.37N 126.91E or 41°22'12\"N 126°54'49\"E"
#: Styles of :func:`format_coordinates`.
STYLES = ("decimal", "hemisphere", "dms", "dms-spaced")

_EXAMPLE_DMS = "41°22'12\"N, 126°54'49\"E"

# Unit marks people type (and what word processors turn them into).
_DEG = "°º˚"
_MIN = "'′’‘"
_SEC = "\"″”“"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_TOKEN = re.compile(rf"\s*(?:(?P<num>{_NUMBER})|(?P<deg>[{_DEG}])|(?P<sec>[{_SEC}]|[{_MIN}]{{2}})"
                    rf"|(?P<min>[{_MIN}])|(?P<hemi>[NSEWnsew])|(?P<sep>[,;/]))")
_ALLOWED = re.compile(rf"[\d\s.+\-,;/NSEWnsew{_DEG}{_MIN}{_SEC}]*")


class _Part(NamedTuple):
    """One number: its text, value and unit mark (``"d"``, ``"m"``, ``"s"`` or ``""``)."""

    text: str
    value: float
    mark: str


class _Coordinate(NamedTuple):
    parts: tuple[_Part, ...]
    hemisphere: str          # "N", "S", "E", "W" or ""


def looks_like_coordinates(text: str) -> bool:
    """True when `text` has a digit and nothing but numbers, signs, unit marks, N/S/E/W and separators.

    >>> looks_like_coordinates("41.37N 126.91E"), looks_like_coordinates("Sao Paulo")
    (True, False)
    """
    return any(c.isdigit() for c in text) and _ALLOWED.fullmatch(text) is not None


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """Read a latitude and a longitude from `text`, in decimal degrees (north and east positive).

    Parameters
    ----------
    text : str
        Coordinates in one of the forms listed in the module docstring.

    Returns
    -------
    (lat, lon) or None
        None when `text` is not coordinates at all (a name).

    Raises
    ------
    InputError
        When `text` looks like coordinates but cannot be read as exactly one pair;
        the message shows an accepted form.

    Examples
    --------
    >>> parse_coordinates("41 22 12 N, 126 54 49 E")
    (41.37, 126.91361111111111)
    >>> parse_coordinates("33.9S 151.2E"), parse_coordinates("W77.04 N38.9")
    ((-33.9, 151.2), (38.9, -77.04))
    >>> parse_coordinates("95,126")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: latitude 95 is outside [-90, 90]: give latitude first, north positive, e.g. 41.37,126.91 or 41.37N 126.91E or 41°22'12"N 126°54'49"E
    """
    if not looks_like_coordinates(text):
        return None
    tokens = _tokens(text)
    groups = _split_at_separator(tokens, text)
    if groups is None:
        readings = _readings(tokens)
    else:
        readings = [pair for pair in [(_coordinate(groups[0]), _coordinate(groups[1]))] if None not in pair]
    results: dict[str, tuple[float, float]] = {}
    for first, second in readings:
        latlon = _assign(first, second)
        if latlon is not None:
            results.setdefault(latlon[2], latlon[:2])
    if not results:
        raise InputError(f"cannot read {text.strip()!r} as coordinates: write latitude then longitude, "
                         f"e.g. {ACCEPTED_FORMS}")
    valid = {k: v for k, v in results.items() if -90.0 <= v[0] <= 90.0 and -180.0 <= v[1] <= 180.0}
    if len(valid) > 1:
        shown = " or ".join(list(valid)[:2]) + (" or ..." if len(valid) > 2 else "")
        raise InputError(f"{text.strip()!r} can be read more than one way ({shown}): separate latitude and "
                         f"longitude with a comma and add N/S and E/W, e.g. {_EXAMPLE_DMS}")
    if valid:
        return next(iter(valid.values()))
    lat, lon = next(iter(results.values()))
    if not -90.0 <= lat <= 90.0:
        raise InputError(f"latitude {lat:g} is outside [-90, 90]: give latitude first, north positive, "
                         f"e.g. {ACCEPTED_FORMS}")
    raise InputError(f"longitude {lon:g} is outside [-180, 180]: give longitude second, east positive, "
                     f"e.g. {ACCEPTED_FORMS}")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs; kinds: num, deg, min, sec, hemi, sep."""
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos:].strip():
                raise InputError(f"cannot read {text.strip()!r} as coordinates: e.g. {ACCEPTED_FORMS}")
            break
        out.append((m.lastgroup, m[m.lastgroup]))
        pos = m.end()
    return out


def _split_at_separator(tokens, text):
    seps = [i for i, (kind, _) in enumerate(tokens) if kind == "sep"]
    if not seps:
        return None
    if len(seps) > 1:
        raise InputError(f"{text.strip()!r} has more than one separator: write one comma between latitude "
                         f"and longitude, e.g. {ACCEPTED_FORMS} (decimal points, not commas)")
    i = seps[0]
    return tokens[:i], tokens[i + 1:]


def _readings(tokens):
    """Every way to cut the tokens into two readable coordinates."""
    out = []
    for cut in range(1, len(tokens)):
        first, second = _coordinate(tokens[:cut]), _coordinate(tokens[cut:])
        if first is not None and second is not None:
            out.append((first, second))
    return out


def _coordinate(tokens) -> _Coordinate | None:
    """One coordinate: optional letter, 1-3 numbers with unit marks in order, optional letter; else None."""
    tokens = list(tokens)
    hemi = ""
    if tokens and tokens[0][0] == "hemi":
        hemi = tokens.pop(0)[1].upper()
    if tokens and tokens[-1][0] == "hemi":
        if hemi:
            return None
        hemi = tokens.pop()[1].upper()
    parts: list[_Part] = []
    for kind, text in tokens:
        if kind == "num":
            parts.append(_Part(text, float(text), ""))
        elif kind in ("deg", "min", "sec") and parts and not parts[-1].mark:
            parts[-1] = parts[-1]._replace(mark=kind[0])
        else:
            return None
    if not 1 <= len(parts) <= 3:
        return None
    if any(p.mark not in ("", "dms"[k]) for k, p in enumerate(parts)):
        return None                                       # marks out of order: 41'22°
    if any(p.text[0] in "+-" for p in parts[1:]):
        return None
    if any("." in p.text for p in parts[:-1]):            # only the last part may have decimals
        return None
    if any(not p.value < 60.0 for p in parts[1:]):         # minutes and seconds below 60
        return None
    return _Coordinate(tuple(parts), hemi)


def _value(c: _Coordinate) -> float:
    sign = -1.0 if c.parts[0].text.startswith("-") else 1.0
    deg = abs(c.parts[0].value)
    deg += sum(p.value / 60.0 ** k for k, p in enumerate(c.parts[1:], start=1))
    if c.hemisphere in "SW" and c.hemisphere:
        sign = -1.0
    return sign * deg


def _shown(c: _Coordinate) -> str:
    return "".join(p.text + "°'\""[k] for k, p in enumerate(c.parts)) + c.hemisphere


def _assign(first: _Coordinate, second: _Coordinate):
    """(lat, lon, shown) from two coordinates, by hemisphere letters or else by order; None if inconsistent."""
    for c in (first, second):
        if c.hemisphere and c.parts[0].text.startswith("-"):
            return None                       # "-41S": the sign and the letter both say south
    kinds = ["lat" if c.hemisphere in ("N", "S") and c.hemisphere else "lon" if c.hemisphere else ""
             for c in (first, second)]
    if kinds[0] == kinds[1] and kinds[0]:
        return None                           # two latitudes or two longitudes
    if kinds[0] == "lon" or kinds[1] == "lat":
        first, second = second, first
    lat, lon = _value(first), _value(second)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return lat, lon, f"{_shown(first)}, {_shown(second)}"


def format_coordinates(lat: float, lon: float, style: str = "decimal", digits: int = 4) -> str:
    """Write a latitude and a longitude the way :func:`parse_coordinates` reads them back.

    Parameters
    ----------
    lat, lon : float
        Decimal degrees, north and east positive.
    style : {"decimal", "hemisphere", "dms", "dms-spaced"}
    digits : int
        Decimals of the degrees (decimal styles) or of the seconds (DMS styles).

    Examples
    --------
    >>> format_coordinates(41.37, 126.913611, "dms", digits=0)
    '41°22\\'12"N 126°54\\'49"E'
    >>> format_coordinates(-12.4, -130.9, "hemisphere", digits=1)
    '12.4S 130.9W'
    >>> format_coordinates(-12.4, -130.9, "dms-spaced", digits=0)
    '12 24 0 S, 130 54 0 W'
    """
    if style not in STYLES:
        raise InputError(f"unknown coordinate style {style!r}: choose one of {', '.join(STYLES)}")
    if style == "decimal":
        return f"{lat:.{digits}f},{lon:.{digits}f}"
    hemis = ("N" if lat >= 0 else "S", "E" if lon >= 0 else "W")
    if style == "hemisphere":
        return f"{abs(lat):.{digits}f}{hemis[0]} {abs(lon):.{digits}f}{hemis[1]}"
    parts = [_dms(abs(v), digits) for v in (lat, lon)]
    if style == "dms":
        return " ".join(f"{d}°{m}'{s}\"{h}" for (d, m, s), h in zip(parts, hemis))
    return ", ".join(f"{d} {m} {s} {h}" for (d, m, s), h in zip(parts, hemis))


def _dms(value: float, digits: int) -> tuple[int, int, str]:
    """Degrees, minutes and seconds text of a non-negative angle, seconds rounded to `digits`."""
    total = round(value * 3600.0, digits)
    deg, rest = divmod(total, 3600.0)
    minutes, seconds = divmod(rest, 60.0)
    sec = f"{seconds:.{digits}f}"
    if float(sec) >= 60.0:                     # rounding carried: 59.99995 -> 60
        sec, minutes = f"{0:.{digits}f}", minutes + 1
        if minutes >= 60:
            minutes, deg = 0, deg + 1
    return int(deg), int(minutes), sec

