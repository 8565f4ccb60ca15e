"""The records of the catalogs: a :class:`Place` (launch site, target, typed coordinates) and a
:class:`Missile` class, each with its source.

>>> Place("Guam", 13.58, 144.92).name, Missile("Hwasong-12", 4500.0).certain_km
('Guam', 4500.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Place", "Missile"]


@dataclass(frozen=True)
class Place:
    """A named point on WGS84: a launch site, a target, or coordinates typed by a user.

    Examples
    --------
    >>> Place("Somewhere", 41.0, 126.0).aliases
    ()
    """

    name: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    country: str = ""
    source: str = ""
    confidence: str = ""
    notes: str = ""
    #: What the name resolved to: ``""`` (a catalog row or a user's object), ``"coordinates"``,
    #: ``"city"`` (GeoNames), ``"country"`` (with a Natural Earth outline; the point is its capital)
    #: or ``"territory"`` (a GeoNames country with no outline of its own).
    kind: str = ""
    #: For a country: its ISO 3166-1 alpha-3 code as in the Natural Earth outlines; for a city: its GeoNames id.
    code: str = ""
    #: How an ambiguous name was resolved, for the user to read ("London → London, United Kingdom (also: ...)").
    note: str = field(default="", compare=False)


@dataclass(frozen=True)
class Missile:
    """A missile class: nominal maximum range and, where sources disagree, a band.

    Examples
    --------
    >>> m = Missile("Hwasong-14", 10400.0, range_low_km=6700.0, range_high_km=10400.0)
    >>> m.certain_km, m.max_km
    (6700.0, 10400.0)
    >>> Missile("Hwasong-9", 1000.0).certain_km
    1000.0
    """

    name: str
    range_km: float
    range_low_km: float | None = None
    range_high_km: float | None = None
    min_range_km: float | None = None
    type: str = ""
    aliases: tuple[str, ...] = ()
    source: str = ""
    confidence: str = ""
    notes: str = ""
    #: Country that fields the missile: ISO 3166-1 alpha-2 code(s), several separated by ``;`` (``US;GB``).
    country: str = ""

    @property
    def certain_km(self) -> float:
        """Range up to which a target is "in range": the lesser of nominal and band low."""
        return self.range_km if self.range_low_km is None else min(self.range_km, self.range_low_km)

    @property
    def max_km(self) -> float:
        """Range up to which a target is "possibly in range": the greater of nominal and band high."""
        return max(self.range_km, self.range_high_km or self.range_km)
