"""Numbers and words as people read them: the one home of number formatting for every output.

>>> km(3540.258), signed_km(959.74), signed_km(-12.3, minus="\u2212")
('3,540 km', '+960 km', '\u221212 km')
>>> band_text(4500, 5000), band_text(4500, 4500)
('4,500-5,000 km', '')
"""

from __future__ import annotations

__all__ = ["km", "signed_km", "number", "band_text", "minutes"]


def number(value: float, decimals: int = 0) -> str:
    """`value` with thousands separators: ``number(12874.2) == '12,874'``."""
    return f"{value:,.{decimals}f}"


def km(value: float, decimals: int = 0) -> str:
    """A distance in km: ``'3,540 km'``."""
    return f"{number(value, decimals)} km"


def signed_km(value: float, *, minus: str = "-") -> str:
    """A margin with its sign: ``'+960 km'``; `minus` may be a typographic minus (U+2212)."""
    return f"{value:+,.0f} km".replace("-", minus)


def band_text(low: float, high: float) -> str:
    """``'4,500-5,000 km'``, or ``''`` where there is no band."""
    return f"{number(low)}-{number(high)} km" if high > low else ""


def minutes(value: float | None, decimals: int = 0) -> str:
    """``'19 min'``; ``'—'`` for None."""
    return "—" if value is None else f"{value:.{decimals}f} min"
