"""Numbers and words as people read them: the one home of number formatting for every output.

Distances are computed in kilometres everywhere; an output shows them in the reader's unit
(:data:`UNITS`: ``"km"``, statute miles ``"mi"`` or nautical miles ``"nmi"``), converted by
exact factors (1 mi = 1.609344 km, 1 nmi = 1.852 km).

>>> km(3540.258), signed_km(959.74), signed_km(-12.3, minus="\u2212")
('3,540 km', '+960 km', '\u221212 km')
>>> length(3540.258, "mi"), signed_length(959.74, "nmi")
('2,200 mi', '+518 nmi')
>>> band_text(4500, 5000), band_text(4500, 4500), band_text(4500, 5000, "mi")
('4,500-5,000 km', '', '2,796-3,107 mi')
"""

from __future__ import annotations

from ..errors import InputError

__all__ = ["UNITS", "KM_PER_UNIT", "check_units", "to_units", "km", "length", "signed_km", "signed_length",
           "number", "band_text", "minutes"]

#: Display units for distances.
UNITS = ("km", "mi", "nmi")
#: Kilometres per display unit (exact by definition).
KM_PER_UNIT = {"km": 1.0, "mi": 1.609344, "nmi": 1.852}


def check_units(units) -> str:
    """`units` if it is one of :data:`UNITS`, else :class:`~geo.errors.InputError` listing them.

    >>> check_units("miles")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: unknown units 'miles': choose one of km, mi, nmi
    """
    if units not in UNITS:
        raise InputError(f"unknown units {units!r}: choose one of {', '.join(UNITS)}")
    return units


def to_units(value_km, units: str = "km"):
    """A distance in km expressed in `units` (scalars or numpy arrays).

    >>> to_units(1.852, "nmi"), to_units(1609.344, "mi")
    (1.0, 1000.0)
    """
    return value_km / KM_PER_UNIT[check_units(units)]


def number(value: float, decimals: int = 0) -> str:
    """`value` with thousands separators: ``number(12874.2) == '12,874'``."""
    return f"{value:,.{decimals}f}"


def length(value_km: float, units: str = "km", decimals: int = 0) -> str:
    """A distance given in km, shown in `units`: ``'2,200 mi'``."""
    return f"{number(to_units(value_km, units), decimals)} {units}"


def km(value: float, decimals: int = 0) -> str:
    """A distance in km: ``'3,540 km'``."""
    return length(value, "km", decimals)


def signed_length(value_km: float, units: str = "km", *, minus: str = "-") -> str:
    """A margin given in km with its sign, in `units`: ``'+960 km'``; `minus` may be U+2212."""
    return f"{to_units(value_km, units):+,.0f} {units}".replace("-", minus)


def signed_km(value: float, *, minus: str = "-") -> str:
    """A margin in km with its sign: ``'+960 km'``."""
    return signed_length(value, "km", minus=minus)


def band_text(low_km: float, high_km: float, units: str = "km") -> str:
    """``'4,500-5,000 km'``, or ``''`` where there is no band."""
    if not high_km > low_km:
        return ""
    return f"{number(to_units(low_km, units))}-{number(to_units(high_km, units))} {units}"


def minutes(value: float | None, decimals: int = 0) -> str:
    """``'19 min'``; ``'—'`` for None."""
    return "—" if value is None else f"{value:.{decimals}f} min"
