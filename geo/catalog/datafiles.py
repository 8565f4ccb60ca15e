"""Where the builtin data files live (catalog CSVs, country outlines, land): one place for all readers."""

from __future__ import annotations

from pathlib import Path

from ..errors import CatalogFileError

__all__ = ["data_dir"]


def data_dir() -> Path:
    """Directory holding the builtin CSVs: ``geo/data`` in a wheel, ``<repo>/data`` in a checkout.

    Examples
    --------
    >>> (data_dir() / "missiles.csv").is_file()
    True
    """
    here = Path(__file__).resolve().parents[1]            # the geo package
    candidates = (here / "data", here.parent / "data")
    for d in candidates:
        if d.is_dir():
            return d
    raise CatalogFileError(f"builtin catalogs not found in {candidates[0]} or {candidates[1]}: reinstall rangemap")
