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

Where the rotating-Earth model does not bound the range toward a target (near orbital), no
output shows a reach or a margin: :func:`reach_cell` gives the words instead of the number,
:func:`reach_value` gives None, and :func:`blank_near_orbital` empties a table's reach and
margin columns (the one rule for every output):

>>> reach_cell(19_500, True), reach_cell(16_999.6, False, "mi"), reach_cell(99.9, True, signed=True, short=True)
('near orbital: this model does not bound the range', '10,563 mi', 'near orbital')
"""

from __future__ import annotations

import math

from ..validate import Units

__all__ = ["UNITS", "KM_PER_UNIT", "check_units", "to_units", "km", "length", "signed_km", "signed_length",
           "number", "band_text", "minutes", "percent", "NEAR_ORBITAL_TEXT", "NEAR_ORBITAL_SHORT", "REACH_COLUMNS",
           "reach_cell", "reach_value", "blank_near_orbital", "sectors_text", "verdict_text"]

#: Display units for distances.
UNITS = Units.values()
#: Kilometres per display unit (exact by definition).
KM_PER_UNIT = {"km": 1.0, "mi": 1.609344, "nmi": 1.852}
#: Said instead of a reach (or margin) the model does not bound: the one definition of this sentence.
NEAR_ORBITAL_TEXT = "near orbital: this model does not bound the range"
#: The short form, for table cells and labels, with :data:`NEAR_ORBITAL_TEXT` in a note beside them.
NEAR_ORBITAL_SHORT = "near orbital"
#: Table columns that hold a reach or a margin (``range_km``, ``margin_mi``...): emptied where near orbital.
REACH_COLUMNS = tuple(f"{what}_{u}" for what in ("range", "margin") for u in UNITS)


def check_units(units) -> str:
    """`units` if it is one of :data:`UNITS`, else :class:`~geo.errors.InputError` listing them.

    >>> check_units("miles")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: unknown units 'miles': choose one of km, mi, nmi
    """
    return Units.get_value(units)


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
    """``'4,500-5,000 km'``, or ``''`` where there is no band; an end the model does not bound
    (inf: near orbital) reads "near orbital".

    >>> band_text(4500, 5000), band_text(10_418, math.inf), band_text(math.inf, 19_164), band_text(5000, 5000)
    ('4,500-5,000 km', '10,418 km to near orbital', 'near orbital', '')
    """
    if not (math.isfinite(low_km) and math.isfinite(high_km)):
        return f"{length(low_km, units)} to near orbital" if math.isfinite(low_km) else "near orbital"
    if not high_km > low_km:
        return ""
    return f"{number(to_units(low_km, units))}-{number(to_units(high_km, units))} {units}"


def percent(share: float) -> str:
    """A share in [0, 1] as a percentage that never rounds to 0 % or 100 % when it is not.

    >>> percent(1.0), percent(0.9995), percent(0.0004), percent(0.161)
    ('100%', '>99.9%', '<0.1%', '16.1%')
    """
    if share >= 1.0:
        return "100%"
    return ">99.9%" if share > 0.999 else "<0.1%" if share < 0.001 else f"{100 * share:.1f}%"


def minutes(value: float | None, decimals: int = 0) -> str:
    """``'19 min'``; ``'—'`` for None."""
    return "—" if value is None else f"{value:.{decimals}f} min"


def _unpack(value, near_orbital, signed: bool):
    """``(km, near_orbital)`` from a number and a flag, or from a Check-like object (its
    ``range_km``, or ``margin_km`` when `signed`, and its ``near_orbital``)."""
    if hasattr(value, "near_orbital") and hasattr(value, "range_km"):
        near = value.near_orbital if near_orbital is None else near_orbital
        return (value.margin_km if signed else value.range_km), bool(near)
    return value, bool(near_orbital)


def reach_cell(value, near_orbital=None, units: str = "km", *, signed: bool = False, short: bool = False,
               unit: bool = True, minus: str = "-") -> str:
    """A reach (or with ``signed=True`` a margin) as text, or the near-orbital words in its place.

    Parameters
    ----------
    value : float or Check
        The reach or margin in km, or an :class:`~geo.analysis.assessment.Check` (its
        ``range_km``, or ``margin_km`` when `signed`, and its ``near_orbital``).
    near_orbital : bool, optional
        The model does not bound the range there (taken from `value` when it is a Check).
    units : {"km", "mi", "nmi"}
    signed : bool
        A margin: with its sign.
    short : bool
        ``"near orbital"`` (:data:`NEAR_ORBITAL_SHORT`) rather than the whole sentence; say
        :data:`NEAR_ORBITAL_TEXT` in a note beside it.
    unit : bool
        Append the unit to a number (``False`` for a table column that names it).
    minus : str
        The minus sign of a margin (U+2212 in HTML).

    Examples
    --------
    >>> reach_cell(13_000, False, "km", unit=False), reach_cell(-3194.8, False, signed=True, minus="\u2212")
    ('13,000', '\u22123,195 km')
    >>> reach_cell(19_500, True, short=True)
    'near orbital'
    """
    km_value, near = _unpack(value, near_orbital, signed)
    if near:
        return NEAR_ORBITAL_SHORT if short else NEAR_ORBITAL_TEXT
    if signed:
        text = signed_length(km_value, units, minus=minus)
    else:
        text = length(km_value, units)
    return text if unit else text.rsplit(" ", 1)[0]


def reach_value(value, near_orbital=None):
    """A reach or margin (km) for a machine output (JSON, GeoJSON, KML data, GeoPackage): the number,
    or None where near orbital (see :func:`reach_cell`).

    >>> reach_value(16_999.6, False), reach_value(19_500.0, True)
    (16999.6, None)
    """
    km_value, near = _unpack(value, near_orbital, False)
    if near:
        return None
    return km_value.item() if hasattr(km_value, "item") else km_value


def blank_near_orbital(table):
    """A table (pandas DataFrame) with its reach and margin columns (:data:`REACH_COLUMNS` present)
    emptied (NaN) on the rows whose ``near_orbital`` column is true; a copy when anything changes,
    else the table itself. Every table writer calls it, so no file holds the 19,500 km stand-in.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"range_km": [17_000.0, 19_500.0], "range_mi": [10_563.0, 12_117.0],
    ...                   "margin_km": [13_600.0, 99.9], "near_orbital": [False, True]})
    >>> blank_near_orbital(t).to_dict("list")
    {'range_km': [17000.0, nan], 'range_mi': [10563.0, nan], 'margin_km': [13600.0, nan], 'near_orbital': [False, True]}
    """
    if "near_orbital" not in getattr(table, "columns", ()):
        return table
    near = table["near_orbital"].to_numpy(dtype=bool)
    columns = [c for c in table.columns if c in REACH_COLUMNS]
    if not (near.any() and columns):
        return table
    table = table.copy()
    for c in columns:
        table[c] = table[c].astype(float).mask(near)
    return table


def sectors_text(sectors) -> str:
    """Azimuth sectors ``(from, to)`` (degrees clockwise from north) as words: ``'bearings 87-101°'``.

    >>> sectors_text([(87.25, 100.75)]), sectors_text([(350.0, 10.0), (90.0, 90.0)]), sectors_text([(90, 90)])
    ('bearings 87-101°', 'bearings 350-10° and 90°', 'bearing 90°')
    """
    parts = [f"{a:.0f}°" if round(a) == round(b) else f"{a:.0f}-{b:.0f}°" for a, b in sectors]
    if not parts:
        return ""
    if len(parts) == 1:
        return f"{'bearings' if '-' in parts[0] else 'bearing'} {parts[0]}"
    return f"bearings {', '.join(parts[:-1])} and {parts[-1]}"


def verdict_text(verdict: str, share: float | None = None) -> str:
    """A verdict as people read it; a country's with the share of its area within reach.

    >>> verdict_text("part in range", 0.019547), verdict_text("all in range", 1.0), verdict_text("in range")
    ('part in range (2.0% of its area)', 'all in range', 'in range')
    """
    if share is None or verdict != "part in range":
        return verdict
    return f"{verdict} ({percent(share)} of its area)"
