r"""Input checks, in one place: every layer may import this module (like :mod:`geo.errors`).

* numbers: :func:`check_lat`, :func:`check_lon`, :func:`check_range_km` (finite, in range, not
  booleans or text), with :func:`as_float` under them;
* text: :func:`check_text` and :func:`check_record` reject control characters and lone
  surrogates in text a user gives, naming the field; :func:`quote` puts a value in a message
  safely (:func:`terminal` is the rule for one line on a terminal);
* options: :class:`ParamEnum` and the enums :class:`Model`, :class:`Units`, :class:`Verdict`,
  :class:`View`, :class:`Labels`, whose :meth:`ParamEnum.get_value` names the valid values.

Escaping for each output medium stays in :mod:`geo.outputs.escape`.

>>> check_lat(41.4), check_text("Guam", "target name")
(41.4, 'Guam')
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

import numpy as np

from .errors import InputError, InputTypeError

__all__ = ["check_lat", "check_lon", "check_range_km", "as_float", "scalar_or_array", "describe_values", "MIN_RANGE_KM",
           "check_text", "check_record", "control_character", "describe_character", "quote", "terminal", "FREE_TEXT",
           "ParamEnum", "Model", "Units", "Verdict", "View", "Labels"]

#: The smallest range rangemap accepts, km (1 m): below it a ring has no area GEOS can hold.
MIN_RANGE_KM = 0.001

def scalar_or_array(x):
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def describe_values(value) -> str:
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    return f"{arr.flat[0]:g}" if arr.size == 1 else "values such as " + ", ".join(
        f"{v:g}" for v in arr[:3]
    )


def check_lat(lat, what: str = "latitude"):
    """Return `lat` as floats, or raise :class:`InputError` naming the bad value.

    >>> check_lat(41.4)
    41.4
    >>> check_lat(91)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: latitude 91 is outside [-90, 90]: give decimal degrees, north positive
    """
    arr = as_float(lat, what, "decimal degrees")
    bad = ~((arr >= -90.0) & (arr <= 90.0))
    if bad.any():
        raise InputError(f"{what} {describe_values(arr[bad])} is outside [-90, 90]: give decimal degrees, north positive")
    return scalar_or_array(arr)


def check_lon(lon, what: str = "longitude"):
    """Return `lon` as floats, or raise :class:`InputError` naming the bad value.

    >>> check_lon(-181)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: longitude -181 is outside [-180, 180]: give decimal degrees, east positive
    """
    arr = as_float(lon, what, "decimal degrees")
    bad = ~((arr >= -180.0) & (arr <= 180.0))
    if bad.any():
        raise InputError(f"{what} {describe_values(arr[bad])} is outside [-180, 180]: give decimal degrees, east positive")
    return scalar_or_array(arr)


def check_range_km(range_km, what: str = "range", *, minimum: float = MIN_RANGE_KM):
    """Return `range_km` as floats, or raise :class:`InputError` unless every value is finite and
    at least `minimum` (by default :data:`MIN_RANGE_KM`, 1 m: the smallest ring GEOS can hold;
    the exact in-range engine takes any positive range with ``minimum=0``).

    >>> check_range_km(0)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: range 0 km must be a positive number of kilometres
    >>> check_range_km(1e-9)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: range 1e-09 km is below the smallest range rangemap handles, 0.001 km (1 m)
    >>> check_range_km(True)
    Traceback (most recent call last):
    ...
    geo.errors.InputTypeError: range True is not a number but a boolean: give kilometres
    """
    arr = as_float(range_km, what, "kilometres")
    bad = ~(np.isfinite(arr) & (arr > 0))
    if bad.any():
        raise InputError(f"{what} {describe_values(arr[bad])} km must be a positive number of kilometres")
    small = arr < minimum
    if small.any():
        raise InputError(f"{what} {describe_values(arr[small])} km is below the smallest range rangemap handles, "
                         f"{minimum:g} km ({minimum * 1000:g} m)")
    return scalar_or_array(arr)


def _has_bool(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype == bool or (value.dtype == object and any(isinstance(v, (bool, np.bool_))
                                                                     for v in value.flat))
    if isinstance(value, (list, tuple)):
        return any(_has_bool(v) for v in value)
    return False


def as_float(value, what: str, unit: str = "decimal degrees or kilometres") -> np.ndarray:
    """`value` as a float array; booleans and text are not numbers (InputTypeError)."""
    if _has_bool(value):
        raise InputTypeError(f"{what} {value!r} is not a number but a boolean: give {unit}")
    if isinstance(value, (str, bytes)):
        raise InputTypeError(f"{what} {value!r} is not a number but text: give {unit}")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputTypeError(f"{what} {value!r} is not a number: give {unit}") from None


# C0 controls except tab, line feed and carriage return; DEL; C1 controls; lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# The same with tab, line feed and carriage return: what a one-line field may not hold.
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a terminal may act on: every control character, line and paragraph separators, lone
# surrogates, and the bidirectional overrides and isolates that reorder what is shown.
_NOT_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def describe_character(char: str) -> str:
    r"""A character as people can read it in a message.

    >>> describe_character("\x00"), describe_character("\x1b"), describe_character("\ud800")
    ('control character U+0000 (NUL)', 'control character U+001B (ESC)', 'lone surrogate U+D800')
    """
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"lone surrogate U+{code:04X}"
    names = {0: "NUL", 9: "TAB", 10: "LF", 13: "CR", 27: "ESC", 127: "DEL"}
    name = names.get(code) or unicodedata.name(char, "")
    return f"control character U+{code:04X}" + (f" ({name})" if name else "")


def control_character(text: str, *, allow_breaks: bool = False) -> str | None:
    r"""The first control character or lone surrogate in `text`, or None.

    Tab, line feed and carriage return count unless `allow_breaks` (for free text such as notes).

    >>> control_character("Guam"), control_character("Gu\x07am"), control_character("a\nb", allow_breaks=True)
    (None, '\x07', None)
    """
    m = (_CONTROL if allow_breaks else _CONTROL_OR_BREAK).search(text)
    return m[0] if m else None


def check_text(value, what: str, *, allow_breaks: bool = False):
    r"""`value` unchanged if it is text without control characters, else :class:`InputError`.

    >>> check_text("Guam", "target name")
    'Guam'
    >>> check_text("Gu\x1b[2Jam", "target name")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: target name 'Gu\x1b[2Jam' contains control character U+001B (ESC): remove it
    """
    if isinstance(value, str):
        bad = control_character(value, allow_breaks=allow_breaks)
        if bad is not None:
            raise InputError(f"{what} {quote(value)} contains {describe_character(bad)}: remove it")
    return value


#: Fields of a catalog record (site, target or missile) that may hold line breaks.
FREE_TEXT = ("notes", "source")


def check_record(record, what: str = "catalog row", *, controls: bool = False):
    r"""`record` (a Place or Missile) unchanged if none of its text holds control characters (with
    `controls`, they pass, for media that escape them, such as JSON) or lone surrogates.

    >>> from geo.catalog import Place
    >>> check_record(Place("Gu\x00am", 13.5, 144.8), "target")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: target name 'Gu\x00am' contains control character U+0000 (NUL): remove it
    """
    for field in ("name", "type", "country", "confidence", "source", "notes", "aliases"):
        value = getattr(record, field, None)
        for text in (value if isinstance(value, (tuple, list)) else (value,)):
            if text is not None and not isinstance(text, str):
                raise InputError(f"{what} {field} {text!r} is not text")
            if controls and isinstance(text, str):
                bad = _SURROGATE.search(text)
                if bad:
                    raise InputError(f"{what} {field} {quote(text)} contains {describe_character(bad[0])}: "
                                     "remove it")
                continue
            check_text(text, f"{what} {field}", allow_breaks=field in FREE_TEXT)
    return record


def quote(value, limit: int = 200) -> str:
    r"""`value` quoted for a message: repr-like, so it cannot add a line or a terminal escape.

    >>> print(quote("x\nrangemap: error: forged"))
    'x\nrangemap: error: forged'
    """
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return terminal(repr(text))


_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(m: re.Match) -> str:
    code = ord(m[0])
    if m[0] in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[m[0]]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text) -> str:
    r"""`text` safe to print on a terminal: control characters and other sequences a terminal acts
    on (escape, line breaks, bidirectional overrides, lone surrogates) shown as ``\xNN`` or ``\uNNNN``.

    >>> terminal("Gu\u202eam\t1")
    'Gu\\u202eam\\t1'
    """
    return _NOT_TERMINAL.sub(_escape_char, str(text))


class ParamEnum(str, Enum):
    """The values an option may take (in the style of shapely's ``_enum.ParamEnum``).

    Members are strings, equal to (and hashing like) their values, so ``Verdict.TOO_CLOSE ==
    "too close"``; :meth:`get_value` checks what a user gave.

    >>> Units.get_value("nmi"), Units.values()
    ('nmi', ('km', 'mi', 'nmi'))
    >>> Units.get_value("miles")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: unknown units 'miles': choose one of km, mi, nmi
    """

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every valid value, in order, as plain strings."""
        return tuple(member.value for member in cls)

    @classmethod
    def get_value(cls, name) -> str:
        """`name` as a plain string if it is one of :meth:`values`, else :class:`InputError` listing them."""
        if isinstance(name, str) and name in cls.values():
            return str.__str__(name) if isinstance(name, cls) else name
        raise InputError(f"unknown {cls.__name__.lower()} {name!r}: choose one of {', '.join(cls.values())}")


class Model(ParamEnum):
    """The reach model: how the reach is judged (see :mod:`geo.core.ballistics`)."""

    #: The range is a geodesic circle: non-rotating Earth.
    GEODESIC = "geodesic"
    #: The range depends on the direction of fire on a rotating Earth.
    ROTATING = "rotating"


class Units(ParamEnum):
    """The unit of every distance shown (JSON keeps its ``_km`` fields)."""

    KM = "km"
    #: Statute miles, 1.609344 km.
    MI = "mi"
    #: Nautical miles, 1.852 km.
    NMI = "nmi"


class Verdict(ParamEnum):
    """Whether a target is in range; the order is that of the verdict codes (0-3).

    >>> Verdict.values().index(Verdict.TOO_CLOSE)
    3
    """

    #: Within the range every source agrees on.
    IN_RANGE = "in range"
    #: Inside the band where sources disagree.
    POSSIBLY_IN_RANGE = "possibly in range"
    OUT_OF_RANGE = "out of range"
    #: Under a known minimum range.
    TOO_CLOSE = "too close"


class View(ParamEnum):
    """The print figure's map (``auto`` picks by reach)."""

    AUTO = "auto"
    SITE = "site"
    WORLD = "world"


class Labels(ParamEnum):
    """Which targets the print figure labels."""

    ALL = "all"
    IN_RANGE = "in-range"
    NONE = "none"
