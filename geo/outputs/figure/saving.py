"""Writing a figure: PNG, SVG or PDF, to a file atomically or into memory.

Examples
--------
>>> from geo.analysis.assessment import assess
>>> from geo.analysis.scenario import Scenario
>>> a = assess(Scenario.resolve("Chagang", "Hwasong-12", "Guam"))
>>> data = figure_bytes(a, "svg").getvalue()
>>> data[:5], b"Guam" in data
(b'<?xml', True)
>>> figure_bytes(a, "png", dpi=50).getvalue()[:8]
b'\\x89PNG\\r\\n\\x1a\\n'

"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from ...errors import InputError
from ..escape import xml_clean_bytes
from ..files import check_writable, is_stdout, write_atomic
from .layout import figure
from .options import FORMATS, RC, check_dpi

__all__ = ["save_figure", "figure_bytes"]


def save_figure(fig: Figure, path, *, dpi: float = 200, fmt: str | None = None) -> Path:
    """Write `fig` to `path` as PNG, SVG or PDF, atomically (never half a file).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Typically from :func:`figure`.
    path : str or Path
        Output file; its folder must exist and be writable.
    dpi : float
        Resolution of the PNG, from :data:`MIN_DPI` to :data:`MAX_DPI`.
    fmt : {"png", "svg", "pdf"}, optional
        File format; by default taken from the extension of `path`.

    Raises
    ------
    geo.errors.InputError
        For an unknown format, a resolution outside :data:`MIN_DPI` to :data:`MAX_DPI`, or a
        path that cannot be written; no file is left behind. ``path="-"`` writes to standard output.
    """
    dpi = check_dpi(dpi)
    path = check_writable(path)
    fmt = (fmt or ("" if is_stdout(path) else path.suffix.lstrip("."))).lower()
    if fmt not in FORMATS:
        raise InputError(f"cannot write {path}: unknown format {fmt!r}; use a .png, .svg or .pdf file name")
    return write_atomic(path, _render(fig, fmt, dpi))


def figure_bytes(assessment, fmt: str = "svg", *, dpi: float = 200, **options) -> io.BytesIO:
    """The print figure of `assessment` as a PNG, SVG or PDF file in memory, nothing written to disk.

    Parameters
    ----------
    assessment : Assessment or matplotlib.figure.Figure
        What to draw (with :func:`~geo.outputs.figure.figure` and `options`: ``title``, ``units``,
        ``size``, ``labels``, ``view``, ``width_in``), or a figure already drawn (then no `options`).
    fmt : {"svg", "png", "pdf"}
    dpi : float
        Resolution of a PNG, from :data:`MIN_DPI` to :data:`MAX_DPI`.

    Returns
    -------
    io.BytesIO
        The file's bytes, positioned at the start; an SVG is well-formed XML.

    Raises
    ------
    geo.errors.InputError
        For an unknown format or resolution, or any option :func:`~geo.outputs.figure.figure` refuses.
    """
    dpi = check_dpi(dpi)
    if not isinstance(fmt, str) or fmt.lower() not in FORMATS:
        raise InputError(f"unknown figure format {fmt!r}: use svg, png or pdf")
    if isinstance(assessment, Figure):
        if options:
            raise InputError(f"{', '.join(sorted(options))}: options for drawing a figure, not for one already drawn")
        fig = assessment
    else:
        fig = figure(assessment, **options)
    return io.BytesIO(_render(fig, fmt.lower(), dpi))


def _render(fig: Figure, fmt: str, dpi: float) -> bytes:
    """`fig` as the bytes of a `fmt` file, without dates (the same figure gives the same bytes)."""
    buf = io.BytesIO()
    metadata = {"png": {"Software": "rangemap"}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    data = buf.getvalue()
    return xml_clean_bytes(data) if fmt == "svg" else data              # SVG: well-formed XML
