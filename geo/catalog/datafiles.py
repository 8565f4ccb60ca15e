"""Where the builtin data files live (catalog CSVs, country outlines, land): ``geo/data``, package
data found with :mod:`importlib.resources`, in a checkout and in an installed wheel alike. Every
reader of a builtin file goes through :func:`data_dir`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import CatalogFileError

__all__ = ["data_dir"]


def data_dir() -> Path:
    """Directory holding the builtin data: ``geo/data``, package data of :mod:`geo`.

    Examples
    --------
    >>> (data_dir() / "missiles.csv").is_file(), data_dir().parts[-2:]
    (True, ('geo', 'data'))
    """
    folder = resources.files("geo").joinpath("data")
    if not folder.is_dir():
        raise CatalogFileError(f"builtin catalogs not found in {folder}: reinstall rangemap")
    return Path(str(folder))
