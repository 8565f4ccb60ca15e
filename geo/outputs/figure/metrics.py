"""Text metrics, measured once: a figure measures the same strings many times while it lays out its page
(each caption and subtitle line as it grows, at every trial width) and places its labels.

Widths for wrapping are read from the font outlines (:func:`text_width`, cached for the process: the
answer depends on nothing but the string, the size and the weight in the figure's one font). The
extents of drawn labels (:class:`TextMetrics`) are cached within one figure build, keyed by the text,
its font properties, line spacing, rotation and the figure's resolution.

Examples
--------
>>> round(text_width("Guam", 10.0), 2) == round(text_width("Guam", 10.0), 2) > 0
True
>>> text_width("Guam", 20.0) > text_width("Guam", 10.0)
True
"""

from __future__ import annotations

import functools

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from .options import RC

__all__ = ["text_width", "TextMetrics"]


@functools.lru_cache(maxsize=8192)
def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width, points, of `text` in the figure's font (DejaVu Sans) at `size` points, from the outlines
    (text is drawn unhinted, so the width holds at every resolution)."""
    font = FontProperties(family=RC["font.family"], size=size, weight=weight)
    return text_to_path.get_text_width_height_descent(text, font, ismath=False)[0]


class TextMetrics:
    """The drawn size of text artists on one figure's renderer, each distinct text measured once.

    Examples
    --------
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(dpi=100)
    >>> renderer = FigureCanvasAgg(fig).get_renderer()
    >>> m = TextMetrics(renderer, fig.dpi)
    >>> a, b = fig.text(0.1, 0.1, "Guam"), fig.text(0.5, 0.5, "Guam")
    >>> m.size(a) == m.size(b), m.measured
    (True, 1)
    """

    def __init__(self, renderer, dpi: float):
        self.renderer, self.dpi = renderer, float(dpi)
        self._sizes: dict[tuple, tuple[float, float]] = {}
        #: How many texts were measured (not taken from the cache).
        self.measured = 0

    def _key(self, text) -> tuple:
        fp = text.get_fontproperties()
        return (text.get_text(), tuple(fp.get_family()), fp.get_style(), fp.get_variant(), fp.get_weight(),
                fp.get_stretch(), fp.get_size_in_points(), fp.get_file(), text.get_linespacing(),
                text.get_rotation(), self.dpi)

    def size(self, text) -> tuple[float, float]:
        """Width and height, pixels, of the text artist `text` as drawn (its box and arrow left out)."""
        key = self._key(text)
        if key not in self._sizes:
            e = text.get_window_extent(self.renderer)
            self._sizes[key] = (e.width, e.height)
            self.measured += 1
        return self._sizes[key]
