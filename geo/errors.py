"""The error tree of rangemap.

Every error a user can cause is a :class:`RangemapError` whose message is one
line that names the problem and says what to do. The command line prints that
line and exits with status 2.

>>> issubclass(InputError, ValueError) and issubclass(NotFoundError, LookupError)
True
"""

from __future__ import annotations

__all__ = ["RangemapError", "InputError", "NotFoundError", "CatalogFileError"]


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
