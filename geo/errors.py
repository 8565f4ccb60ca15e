"""The error tree of rangemap.

Every error a user can cause is a :class:`RangemapError` whose message is one
line that names the problem and says what to do. The command line prints that
line and exits with status 2.

>>> issubclass(InputError, ValueError) and issubclass(NotFoundError, LookupError)
True
>>> issubclass(InputTypeError, TypeError) and issubclass(InputTypeError, InputError)
True
"""

from __future__ import annotations

__all__ = ["RangemapError", "InputError", "InputTypeError", "NotFoundError", "CatalogFileError", "OutputError",
           "MissingDependencyError"]


class RangemapError(Exception):
    """Base class of every error rangemap raises on purpose."""


class InputError(RangemapError, ValueError):
    """A value the user gave is out of its domain (coordinates, ranges, options)."""


class NotFoundError(RangemapError, LookupError):
    """A name matches no site, missile or target in the catalogs."""


class CatalogFileError(InputError):
    """A catalog file cannot be read, or one of its rows is malformed.

    The message names the file and, for a bad row, its line number.
    """


class InputTypeError(InputError, TypeError):
    """A value the user gave has the wrong type: ``True`` for a latitude, a list for a range.

    It is a :class:`TypeError` as Python expects, and an :class:`InputError` so that code that
    catches every bad input catches it too.
    """


class OutputError(InputError):
    """An output cannot be written: the path is an input, a foreign folder, a device, or the disk is full.

    Nothing is left behind and no existing file is changed.
    """


class MissingDependencyError(RangemapError, ImportError):
    """An optional package that an option needs is not installed; the message gives the ``pip install``.

    >>> str(MissingDependencyError("dask", "--dask"))
    "--dask needs the package 'dask', which is not installed: pip install 'rangemap[dask]'"
    """

    def __init__(self, package: str, what: str, extra: str = "dask"):
        super().__init__(f"{what} needs the package {package!r}, which is not installed: "
                         f"pip install 'rangemap[{extra}]'")
