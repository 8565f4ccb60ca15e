"""Writing output files atomically: a reader never sees half a file.

>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
>>> write_atomic(out, "<p>ok</p>") == out, out.read_text()
(True, '<p>ok</p>')
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import InputError

__all__ = ["write_atomic", "atomic_path", "check_writable"]


def check_writable(path) -> Path:
    """Return `path` as a Path, or raise :class:`InputError` if it cannot be written.

    >>> check_writable("/nonexistent-dir/map.html")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: cannot write /nonexistent-dir/map.html: folder /nonexistent-dir does not exist; create it or choose another -o PATH
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder; give a file name with -o PATH")
    if not folder.is_dir():
        raise InputError(f"cannot write {path}: folder {folder} does not exist; create it or choose another -o PATH")
    if not os.access(folder, os.W_OK):
        raise InputError(f"cannot write {path}: folder {folder} is not writable; choose another -o PATH")
    return path


@contextmanager
def atomic_path(path) -> Iterator[Path]:
    """Yield a temporary path to fill in place of `path`; rename it into place when the block ends.

    The temporary file has `path`'s own name inside a hidden folder beside it (writers such
    as GDAL want the real extension), so the rename stays on one file system. On any
    failure nothing is left behind and an older `path` is untouched; an ``OSError``
    becomes an :class:`InputError`.

    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("a,b\\n")
    >>> sorted(p.name for p in out.parent.iterdir())
    ['t.csv']
    """
    path = check_writable(path)
    folder = None
    try:
        folder = tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent)
        tmp = Path(folder) / path.name
        yield tmp
        os.replace(tmp, path)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}; choose another -o PATH") from None
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def write_atomic(path, data: str | bytes) -> Path:
    """Write `data` to `path` through :func:`atomic_path`."""
    with atomic_path(path) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
    return Path(path)
