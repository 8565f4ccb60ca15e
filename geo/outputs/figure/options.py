"""The figure's options: sizes, resolutions, label and view choices, and the settings every figure is drawn with.

Examples
--------
>>> page_size("square"), check_labels("in-range")
((7.5, 7.5), 'in-range')
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import InputError, InputTypeError
from ...validate import Labels, View

__all__ = ["page_size", "check_dpi", "check_labels", "check_view", "FORMATS", "SIZES", "SIZE_NAMES", "LABELS",
           "VIEWS", "MAX_DPI", "MIN_DPI", "WIDTH_RANGE_IN", "WORLD_VIEW_KM", "RC", "MARGIN_IN"]

#: File formats :func:`save_figure` writes.
FORMATS = ("png", "svg", "pdf")
#: Page and slide sizes, inches, landscape (width, height): PowerPoint's 16:9 (13.333 × 7.5 in) and
#: 4:3, a square, ISO A4 (297 × 210 mm) and US Letter (11 × 8.5 in).
SIZES = {"16:9": (40 / 3, 7.5), "4:3": (10.0, 7.5), "square": (7.5, 7.5), "a4": (297 / 25.4, 210 / 25.4),
         "letter": (11.0, 8.5)}
_PORTRAIT_BY_DEFAULT = ("a4", "letter")
#: Every value ``size`` takes: ``"auto"`` (7.5 in wide, as tall as the content), a size, or a
#: size with ``-landscape`` or ``-portrait`` (slides default to landscape, pages to portrait).
SIZE_NAMES = ("auto", *(f"{n}{o}" for n in SIZES for o in ("", "-landscape", "-portrait")))
#: Which targets are labelled: every one, those some missile reaches (in range or possibly), none.
LABELS = Labels.values()
#: Map views: ``"site"`` (azimuthal equidistant on the first site), ``"world"`` (Equal Earth), or auto.
VIEWS = View.values()
#: Highest PNG resolution :func:`save_figure` writes, dots per inch (a 7.5 in figure: 9,000 px wide).
MAX_DPI = 1200
#: Lowest PNG resolution :func:`save_figure` writes, dots per inch (below it the fonts fail).
MIN_DPI = 10
#: Widths :func:`figure` draws with ``size="auto"``, inches.
WIDTH_RANGE_IN = (2.0, 50.0)
#: Reach (km) from which ``view="auto"`` draws the world: past it the site view's corners pass
#: the cut and the out-of-range cap around the antipode is stretched more than fourfold at its rim.
WORLD_VIEW_KM = 12_000.0
#: The matplotlib settings every figure is drawn and saved with: text stays text in SVG and PDF;
#: unhinted glyphs keep the same width at every PNG resolution.
RC = {"svg.fonttype": "none", "svg.hashsalt": "rangemap", "pdf.fonttype": 42, "font.family": "DejaVu Sans",
      "text.hinting": "no_hinting"}
#: The page margin, inches.
MARGIN_IN = 0.25


def page_size(size: str | None = "auto") -> tuple[float, float] | None:
    """(width, height) in inches of a named size, or None for ``"auto"``.

    >>> [round(v, 2) for v in page_size("a4")], [round(v, 2) for v in page_size("a4-landscape")]
    ([8.27, 11.69], [11.69, 8.27])
    >>> page_size("16:9-portrait")
    (7.5, 13.333333333333334)
    >>> page_size("A5")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: unknown size 'A5': choose auto, 16:9, 4:3, square, a4 or letter, optionally with -landscape or -portrait (e.g. a4-landscape)
    """
    if size is None or size == "auto":
        return None
    text = str(size).strip().lower()
    name, _, orientation = text.partition("-")
    if name not in SIZES or orientation not in ("", "landscape", "portrait"):
        raise InputError(f"unknown size {size!r}: choose auto, {', '.join(list(SIZES)[:-1])} or {list(SIZES)[-1]}, "
                         "optionally with -landscape or -portrait (e.g. a4-landscape)")
    w, h = SIZES[name]
    portrait = orientation == "portrait" or (not orientation and name in _PORTRAIT_BY_DEFAULT)
    return (h, w) if portrait else (w, h)


def check_dpi(dpi) -> float:
    """`dpi` if it is a resolution :func:`save_figure` writes (:data:`MIN_DPI` to :data:`MAX_DPI`).

    >>> check_dpi(300)
    300
    >>> check_dpi(5000)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: dpi 5000 is more than 1200, the most a figure is written at (a 7.5 in wide figure at 1200 dpi is 9,000 px wide): use 1200 or less, or an SVG or PDF, which print sharp at any size
    """
    try:
        ok = isinstance(dpi, (int, float, np.number)) and not isinstance(dpi, bool) and math.isfinite(dpi)
    except TypeError:
        ok = False
    if not ok or not dpi > 0:
        raise InputError(f"dpi {dpi!r} is not a positive number of dots per inch: use e.g. 200 (at most {MAX_DPI})")
    if dpi < MIN_DPI:
        raise InputError(f"dpi {dpi:g} is less than {MIN_DPI}, the least a figure is written at: use {MIN_DPI} to "
                         f"{MAX_DPI}")
    if dpi > MAX_DPI:
        raise InputError(f"dpi {dpi:g} is more than {MAX_DPI}, the most a figure is written at (a 7.5 in wide "
                         f"figure at {MAX_DPI} dpi is {7.5 * MAX_DPI:,.0f} px wide): use {MAX_DPI} or less, or an "
                         "SVG or PDF, which print sharp at any size")
    return dpi


def check_width(width_in) -> float:
    """`width_in` as a float if it is a number of inches within :data:`WIDTH_RANGE_IN`; else
    :class:`~geo.errors.InputTypeError` (not a number) or :class:`~geo.errors.InputError`."""
    low, high = WIDTH_RANGE_IN
    if isinstance(width_in, (bool, np.bool_)) or not isinstance(width_in, (int, float, np.number)):
        raise InputTypeError(f"width_in {width_in!r} is not a number of inches")
    if not low <= float(width_in) <= high:
        raise InputError(f"width_in {width_in!r} must be between {low:g} and {high:g} inches")
    return float(width_in)


def check_labels(labels) -> str:
    """`labels` if it is one of :data:`LABELS`, else :class:`~geo.errors.InputError` listing them."""
    return Labels.get_value(labels)


def check_view(view) -> str:
    """`view` if it is one of :data:`VIEWS`, else :class:`~geo.errors.InputError` listing them."""
    return View.get_value(view)
