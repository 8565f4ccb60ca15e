"""The user's cache folder, and temporary files that any later run can find and remove.

rangemap keeps two things between runs in one folder (:func:`cache_dir`): the index of place
names (:mod:`geo.catalog.places`) and the calibrations of class missiles
(:mod:`geo.core.powered.calibration`). Both are rebuilt from their sources on any doubt, so
the folder may be deleted at any time.

Every temporary file or folder rangemap makes, in the cache or beside an output, is named by
:func:`temp_path`: :data:`TEMP_PREFIX`, a tag of this machine and the id of the process that
made it. :func:`clean_stale` removes those of a process of this machine that no longer runs
(a run killed with ``kill -9``), and those of another machine (shared storage) untouched for
:data:`STALE_AFTER_S`. A temporary folder beside an output is also recorded in the cache
(:func:`register`, folder :data:`PENDING`) while it exists, so that any later run
(:func:`sweep`, at the start of every command) finds and removes it, wherever it is.

Examples
--------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> mine = temp_path(folder)
>>> mine.name.startswith(TEMP_PREFIX) and f"-{os.getpid()}-" in mine.name
True
>>> _ = mine.write_text("x")
>>> clean_stale(folder)                 # this process still runs
[]
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
import time
from pathlib import Path

__all__ = ["cache_dir", "temp_path", "clean_stale", "alive", "register", "unregister", "sweep", "TEMP_PREFIX",
           "STALE_AFTER_S", "PENDING"]

#: How every temporary file or folder rangemap makes begins.
TEMP_PREFIX = ".rangemap-tmp-"
#: A temporary file of another machine (shared storage), or one named by an older version
#: of rangemap without its process, is stale when untouched this long, s.
STALE_AFTER_S = 6 * 3600

HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]
TEMP = re.compile(re.escape(TEMP_PREFIX) + r"([0-9a-f]{6})-(\d+)-[0-9a-f]{8}")
# What older versions left in the cache: the index build's "places-v2-<hash>.<pid>.tmp", and the
# calibration store's random names (tempfile.mkstemp: no process in them).
_OLD_INDEX_TEMP = re.compile(r"places-v\d+-[0-9a-f]+\.(\d+)\.tmp")
_OLD_RANDOM_TEMP = re.compile(re.escape(TEMP_PREFIX) + r"[A-Za-z0-9_]{8}")


def cache_dir() -> Path:
    """``$RANGEMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/rangemap`` (``%LOCALAPPDATA%``), else ``~/.cache/rangemap``.

    >>> os.environ["RANGEMAP_CACHE_DIR"] = "/tmp/rc"; cache_dir().as_posix()
    '/tmp/rc'
    >>> del os.environ["RANGEMAP_CACHE_DIR"]
    """
    if os.environ.get("RANGEMAP_CACHE_DIR"):
        return Path(os.environ["RANGEMAP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or Path.home() / ".cache"
    return Path(base) / "rangemap"


def temp_path(folder) -> Path:
    """A new temporary name in `folder` carrying this machine's tag and this process's id."""
    return Path(folder) / f"{TEMP_PREFIX}{HOST}-{os.getpid()}-{secrets.token_hex(4)}"


def alive(pid: int) -> bool:
    """True when process `pid` of this machine runs (or cannot be asked: then it is kept)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _newest_mtime(path: Path) -> float:
    newest = path.lstat().st_mtime
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            try:
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
            except OSError:
                pass
    return newest


def _stale(name: str, path: Path, now: float, legacy: bool) -> bool:
    m = TEMP.fullmatch(name)
    if m:
        return (not alive(int(m[2]))) if m[1] == HOST else now - _newest_mtime(path) > STALE_AFTER_S
    if not legacy:
        return False
    m = _OLD_INDEX_TEMP.fullmatch(name)
    if m:
        return not alive(int(m[1])) or now - _newest_mtime(path) > STALE_AFTER_S
    return bool(_OLD_RANDOM_TEMP.fullmatch(name)) and now - _newest_mtime(path) > STALE_AFTER_S


def clean_stale(folder, *, legacy: bool = False) -> list:
    """Remove the temporary files and folders of killed rangemap runs from `folder`; return their paths.

    Only names made by :func:`temp_path` are touched: those of a process of this machine that
    no longer runs, and those of another machine untouched for :data:`STALE_AFTER_S`. With
    `legacy` (the cache folder), also the temporary names older versions of rangemap left there.
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith((TEMP_PREFIX, "places-v")):
            continue
        try:
            if not _stale(entry.name, Path(entry.path), now, legacy):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


#: Sub-folder of the cache recording the temporary folders that runs made beside their outputs.
PENDING = "pending"


def register(temp: Path) -> None:
    """Record the temporary folder `temp` (named by :func:`temp_path`) in the cache (best effort)."""
    try:
        folder = cache_dir() / PENDING
        folder.mkdir(parents=True, exist_ok=True)
        (folder / temp.name).write_text(os.fsdecode(os.path.abspath(temp)), encoding="utf-8", errors="surrogateescape")
    except (OSError, RuntimeError, KeyError):
        pass


def unregister(temp: Path) -> None:
    """Forget the record of `temp` (it was renamed into place or removed)."""
    try:
        os.unlink(cache_dir() / PENDING / temp.name)
    except (OSError, RuntimeError, KeyError):
        pass


def sweep() -> list:
    """Remove what killed runs left: stale temporary names in the cache, and the recorded temporary
    folders beside outputs whose process is gone; return the paths removed (about 0.1 ms when none).

    A record is followed only to a path whose last part is the record's own name (a name of
    :func:`temp_path`), so a forged record cannot remove anything else.
    """
    try:
        folder = cache_dir()
    except (RuntimeError, OSError, KeyError):       # no home folder
        return []
    removed = clean_stale(folder, legacy=True)
    pending = folder / PENDING
    now = time.time()
    try:
        records = list(os.scandir(pending))
    except OSError:
        return removed
    for record in records:
        try:
            m = TEMP.fullmatch(record.name)
            if not m:
                continue
            if (alive(int(m[2])) if m[1] == HOST else now - record.stat().st_mtime <= STALE_AFTER_S):
                continue
            target = Path(Path(record.path).read_text(encoding="utf-8", errors="surrogateescape"))
            if target.name == record.name and target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
                removed.append(target)
            os.unlink(record.path)
        except OSError:
            continue
    return removed
