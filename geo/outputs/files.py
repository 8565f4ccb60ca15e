"""Writing output files: atomically, and never over anything but our own earlier output.

Every file rangemap writes goes through :func:`atomic_path` (or :func:`write_atomic`), which

* refuses an output that is one of the inputs (same resolved path or same inode, or a folder
  holding an input), an existing folder that rangemap did not write (:data:`MARKER` tells ours
  apart), a device, FIFO, socket or other special file, and a name longer than the file
  system allows;
* writes to a temporary name beside the output (:data:`TEMP_PREFIX`, short whatever the output's
  name) and renames it into place, so a reader never sees half a file and a failure leaves the
  older file untouched and nothing behind;
* reports a full disk as such, in one line (:class:`~geo.errors.OutputError`);
* removes the temporary files a killed run left in that folder (ours only: a dead process of
  this machine, or untouched for :data:`STALE_AFTER_S`);
* writes ``-`` to standard output.

>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
>>> write_atomic(out, "<p>ok</p>") == out, out.read_text()
(True, '<p>ok</p>')
>>> write_atomic(out.parent, "x")
Traceback (most recent call last):
...
geo.errors.OutputError: cannot write ...: it is a folder; give a file name with -o PATH
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..core.cache import HOST as _HOST  # noqa: F401 (the tests name it)
from ..core.cache import STALE_AFTER_S, TEMP_PREFIX, register, temp_path, unregister
from ..core.cache import clean_stale as _clean_stale
from ..errors import OutputError
from ..validate import check_text, quote

__all__ = ["write_atomic", "atomic_path", "check_writable", "check_output", "is_stdout", "clean_stale",
           "is_our_folder", "as_inputs", "STDOUT", "TEMP_PREFIX", "MARKER", "STALE_AFTER_S"]

#: The output path that means standard output.
STDOUT = "-"
#: The file rangemap writes into every folder it writes (a Dask Parquet folder), so that a
#: later run replaces that folder and no other. Parquet readers skip names starting with ``_``.
MARKER = "_rangemap"
_FIX = "choose another -o PATH"


def is_stdout(path) -> bool:
    """True when `path` is ``-``, standard output.

    >>> is_stdout("-"), is_stdout("map.html")
    (True, False)
    """
    return path is not None and str(path) == STDOUT


def _kind(mode: int) -> str | None:
    """What a special file is, or None for a regular file."""
    for test, kind in ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder"), (stat.S_ISREG, None)):
        if test(mode):
            return kind
    return "a special file"


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


def is_our_folder(path) -> bool:
    """True when `path` is a folder rangemap wrote (it holds :data:`MARKER`)."""
    return Path(path).is_dir() and (Path(path) / MARKER).is_file()


def as_inputs(inputs) -> dict:
    """Input files as a mapping path → how the user named it, from such a mapping or from paths.

    >>> as_inputs(["t.csv"])
    {PosixPath('t.csv'): 'an input'}
    """
    if isinstance(inputs, dict):
        return {Path(p): o for p, o in inputs.items()}
    return {Path(p): "an input" for p in inputs or ()}


def _overlaps(out: Path, inp: Path) -> str | None:
    """How `out` would destroy input `inp`: the same file, a folder holding it, or inside it."""
    try:
        if os.path.samefile(out, inp):
            return "is"
    except OSError:
        pass
    try:
        o, i = out.resolve(), inp.resolve()
    except (OSError, RuntimeError):
        return None
    if o == i:
        return "is"
    if o in i.parents:
        return "is a folder that holds"
    if i in o.parents:
        return "is inside"
    return None


def check_output(path, *, inputs=(), folder: bool = False) -> Path:
    """`path` as a Path if rangemap may write it, else :class:`~geo.errors.OutputError` saying why.

    Parameters
    ----------
    path : str or Path
        The output; ``-`` (standard output) passes as it is.
    inputs : mapping of path to option name, or iterable of paths
        Files the run reads: the output may not be one of them, hold one, or lie inside one.
    folder : bool
        The output is a folder (a Dask Parquet data set): an existing folder is replaced only
        if rangemap wrote it.

    Examples
    --------
    >>> check_output("/nonexistent-dir/map.html")
    Traceback (most recent call last):
    ...
    geo.errors.OutputError: cannot write /nonexistent-dir/map.html: folder /nonexistent-dir does not exist; create it or choose another -o PATH
    >>> check_output("/dev/null")
    Traceback (most recent call last):
    ...
    geo.errors.OutputError: cannot write /dev/null: it is a character device, not a file; choose another -o PATH
    """
    if is_stdout(path):
        return Path(STDOUT)
    if isinstance(path, str):
        check_text(path, "output path")
        if path.endswith(("/", os.sep)) or not path.strip():
            raise OutputError(f"cannot write {quote(path)}: give a file name, not a folder, with -o PATH")
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.name in ("", ".", ".."):
        raise OutputError(f"cannot write {path}: give a file name with -o PATH")
    size, limit = len(os.fsencode(path.name)), _name_max(parent if parent.is_dir() else Path("."))
    if size > limit:
        raise OutputError(f"cannot write {path}: the file name is {size} bytes, longer than the file system "
                          f"allows ({limit}); choose a shorter -o PATH")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"cannot write {path}: {_describe(e)}") from None
    if st is not None:
        kind = _kind(st.st_mode)
        if kind == "a folder":
            if not folder:
                raise OutputError(f"cannot write {path}: it is a folder; give a file name with -o PATH")
            if not is_our_folder(path):
                raise OutputError(f"cannot write {path}: it is a folder rangemap did not write, and it would be "
                                  f"replaced; give a new name with -o PATH, or remove the folder yourself")
        elif kind is not None:
            raise OutputError(f"cannot write {path}: it is {kind}, not a file; {_FIX}")
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist; create it or {_FIX}")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot write {path}: folder {parent} is not writable; {_FIX}")
    for inp, option in as_inputs(inputs).items():
        how = _overlaps(path, inp)
        if how:
            raise OutputError(f"cannot write {path}: it {how} {option} {inp}, which would be destroyed; "
                              f"write the output to another name with -o PATH")
    return path


def check_writable(path, *, inputs=()) -> Path:
    """:func:`check_output` for a file: the name older code uses."""
    return check_output(path, inputs=inputs)


def clean_stale(folder) -> list:
    """Remove the temporary files of killed rangemap runs from `folder`; return their paths.

    Only names made by :func:`atomic_path` (:data:`TEMP_PREFIX`, this machine's tag, a process
    id) are touched: those of a process of this machine that no longer runs, and those of
    another machine untouched for :data:`STALE_AFTER_S` seconds (:func:`geo.core.cache.clean_stale`).
    """
    return _clean_stale(folder)


def _describe(e: BaseException) -> str:
    number = getattr(e, "errno", None)
    text = str(e)
    if number in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text or "disk is full" in text:
        return "the disk is full (No space left on device); free some space or choose another -o PATH"
    if number == errno.EFBIG:
        return "the file is too large for this file system; choose another -o PATH"
    if number == errno.ENAMETOOLONG:
        return "the path is longer than the file system allows; choose a shorter -o PATH"
    if isinstance(e, OSError):
        return f"{e.strerror or text}; {_FIX}"
    return f"{' '.join(text.split())}; check the free space and {_FIX}"


def _is_write_error(e: BaseException) -> bool:
    """An error of the file system, directly or through a writer library (GDAL's pyogrio)."""
    return isinstance(e, OSError) or type(e).__module__.startswith("pyogrio")


def _to_stdout(tmp: Path) -> None:
    out = sys.stdout
    out.flush()
    buffer = getattr(out, "buffer", None)
    with open(tmp, "rb") as fh:
        if buffer is not None:
            shutil.copyfileobj(fh, buffer)
            buffer.flush()
        else:
            out.write(fh.read().decode("utf-8"))
            out.flush()


def _replace(tmp: Path, path: Path, work: Path) -> None:
    """Rename `tmp` onto `path`. A folder (a Dask data set) first gets :data:`MARKER`; what it
    replaces (our own earlier folder, or a file) is moved into `work` first, and back on failure."""
    if not (tmp.is_dir() and not tmp.is_symlink()):
        os.replace(tmp, path)
        return
    (tmp / MARKER).write_text(json.dumps({"written_by": "rangemap"}) + "\n", encoding="utf-8")
    if path.is_dir() and not path.is_symlink() and not is_our_folder(path):     # it appeared meanwhile
        raise OutputError(f"cannot write {path}: a folder rangemap did not write appeared there; "
                          "give a new name with -o PATH")
    old = None
    if path.exists() or path.is_symlink():
        old = work / "old"
        os.replace(path, old)
    try:
        os.replace(tmp, path)
    except BaseException:
        if old is not None:
            os.replace(old, path)
        raise


@contextmanager
def atomic_path(path, *, inputs=(), folder: bool = False) -> Iterator[Path]:
    """Yield a temporary path to fill in place of `path`; rename it into place when the block ends.

    The temporary file has `path`'s own name (writers such as GDAL want the real extension)
    inside a hidden folder beside it named by :data:`TEMP_PREFIX`, so the rename stays on one
    file system and the temporary name is short. `path` is first checked by
    :func:`check_output` (with `inputs` and `folder`), and stale temporary files of killed runs
    in its folder are removed. On any failure nothing is left behind and an older `path` is
    untouched; a file-system error (a full disk) becomes an :class:`~geo.errors.OutputError`.
    With ``path="-"`` the result goes to standard output.

    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("a,b\\n")
    >>> sorted(p.name for p in out.parent.iterdir())
    ['t.csv']
    """
    if is_stdout(path):
        with tempfile.TemporaryDirectory(prefix="rangemap-stdout-") as work:
            tmp = Path(work) / "output"
            try:
                yield tmp
                _to_stdout(tmp)
            except OSError as e:
                if isinstance(e, BrokenPipeError):
                    raise
                raise OutputError(f"cannot write to standard output: {_describe(e)}") from None
        return
    path = check_output(path, inputs=inputs, folder=folder)
    parent = path.parent if str(path.parent) else Path(".")
    clean_stale(parent)
    work = None
    try:
        work = temp_path(parent)
        register(work)                  # any later run finds it if this one is killed
        os.mkdir(work)                  # default permissions: Dask workers may run as another user
        tmp = work / path.name
        yield tmp
        _replace(tmp, path, work)
    except Exception as e:
        if not _is_write_error(e):
            raise
        raise OutputError(f"cannot write {path}: {_describe(e)}") from None
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
            unregister(work)


def write_atomic(path, data: str | bytes, *, inputs=()) -> Path:
    """Write `data` to `path` through :func:`atomic_path` (``-``: standard output)."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as e:
            raise OutputError(f"cannot write {path}: the text holds a lone surrogate U+{ord(e.object[e.start]):04X}, "
                              "which UTF-8 cannot encode: remove it") from None
    with atomic_path(path, inputs=inputs) as tmp:
        tmp.write_bytes(data)
    return Path(path)
