"""The ``rangemap`` command: argument parsing and dispatch, nothing else."""

import os
import sys

if "numpy" not in sys.modules:
    # A command does its linear algebra on one thread; starting OpenBLAS's pool costs more
    # (about a quarter of numpy's import) than it ever saves here. Only when nothing has
    # imported numpy yet, and only if the user has not chosen.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .main import main  # noqa: E402

__all__ = ["main"]
