"""Progress lines on stderr for the slow steps of a first run, from the library's log records.

The layers report a slow step (building the index of place names, calibrating a class missile)
as an INFO record of their :mod:`logging` logger under ``geo``: no layer imports the command
line, and a Python user can show the same lines with ``logging.basicConfig(level=logging.INFO)``.
:func:`reporting` turns them into ``rangemap: <message>`` lines on standard error for the
length of one command; standard output is untouched. A step that repeats (one calibration
per missile class) prints its first record, then at most one line every :data:`EVERY_S`
seconds with a count, so a minute of calibrations is a few lines, not hundreds.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time

__all__ = ["reporting", "EVERY_S"]

#: A repeating step prints at most one line in this many seconds.
EVERY_S = 10.0


class _Lines(logging.Handler):
    """``rangemap: <message>`` on the stderr of the moment (so a test's capture sees it), throttled per step."""

    def __init__(self):
        super().__init__(logging.INFO)
        self._steps: dict = {}                    # step → [count, first time, last printed time]

    def emit(self, record: logging.LogRecord) -> None:
        from ..outputs.escape import terminal

        now = time.monotonic()
        step = self._steps.setdefault((record.name, record.msg), [0, now, -float("inf")])
        step[0] += 1
        if now - step[2] < EVERY_S:
            return
        step[2] = now
        count = f" ({step[0]:,} so far, {now - step[1]:.0f} s)" if step[0] > 1 else ""
        try:
            print(f"rangemap: {terminal(record.getMessage())}{count}", file=sys.stderr, flush=True)
        except (OSError, ValueError):              # a closed or broken stderr must not fail the run
            pass


@contextlib.contextmanager
def reporting():
    """Print the ``geo`` loggers' progress records on stderr while the block runs."""
    logger = logging.getLogger("geo")
    handler, level = _Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
