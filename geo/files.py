"""Writing output files atomically: a reader never sees half a file.

>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
>>> write_atomic(out, "<p>ok</p>") == out, out.read_text()
(True, '<p>ok</p>')
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError

__all__ = ["write_atomic", "check_writable"]


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


def write_atomic(path, data: str | bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path = check_writable(path)
    mode = "wb" if isinstance(data, bytes) else "w"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}; choose another -o PATH") from None
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {e.strerror or e}; choose another -o PATH") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
